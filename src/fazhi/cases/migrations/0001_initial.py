"""Cases take over the enforcement app's tables (renamed by enforcement 0006): state only.

The index names are still the old ones here; 0002 renames them to what the models now generate.
"""

import django.db.models.deletion
from django.conf import settings
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("enforcement", "0006_hand_tables_to_registry_and_cases"),
        ("registry", "0001_initial"),
        ("tracking", "0002_timeline_keyed_hash"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Case",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("number", models.CharField(max_length=60, unique=True, verbose_name="案号")),
                        ("title", models.CharField(max_length=200, verbose_name="案由")),
                        (
                            "procedure",
                            models.CharField(
                                choices=[("general", "普通程序"), ("simple", "简易程序")],
                                default="general",
                                max_length=10,
                                verbose_name="程序",
                            ),
                        ),
                        (
                            "stage",
                            models.CharField(
                                choices=[
                                    ("filed", "立案"),
                                    ("investigation", "调查取证"),
                                    ("notice", "告知"),
                                    ("hearing", "听证"),
                                    ("legal_review", "法制审核"),
                                    ("decision", "决定"),
                                    ("service", "送达"),
                                    ("disclosure", "公示"),
                                    ("execution", "执行"),
                                    ("closed", "结案"),
                                ],
                                db_index=True,
                                default="filed",
                                max_length=15,
                                verbose_name="阶段",
                            ),
                        ),
                        (
                            "party_kind",
                            models.CharField(
                                choices=[("person", "自然人"), ("organisation", "法人或其他组织")],
                                max_length=12,
                                verbose_name="当事人类型",
                            ),
                        ),
                        ("party_name", models.CharField(max_length=100, verbose_name="当事人")),
                        ("party_id_number", models.CharField(blank=True, max_length=18, verbose_name="身份证号")),
                        ("party_uscc", models.CharField(blank=True, max_length=18, verbose_name="统一社会信用代码")),
                        (
                            "violation_ended_on",
                            models.DateField(blank=True, null=True, verbose_name="违法行为终了日期"),
                        ),
                        (
                            "limitation_extended",
                            models.BooleanField(default=False, verbose_name="涉及生命健康安全或金融安全且有危害后果"),
                        ),
                        ("filed_on", models.DateField(verbose_name="立案日期")),
                        ("notified_on", models.DateField(blank=True, null=True, verbose_name="告知日期")),
                        ("major", models.BooleanField(default=False, verbose_name="重大执法决定")),
                        ("extension_days", models.PositiveIntegerField(default=0, verbose_name="延长天数")),
                        ("hearing_requested", models.BooleanField(default=False, verbose_name="申请听证")),
                        ("hearing_notice_on", models.DateField(blank=True, null=True, verbose_name="听证通知日期")),
                        ("hearing_on", models.DateField(blank=True, null=True, verbose_name="听证日期")),
                        ("legal_review_on", models.DateField(blank=True, null=True, verbose_name="法制审核日期")),
                        (
                            "outcome",
                            models.CharField(
                                blank=True,
                                choices=[("penalty", "给予处罚"), ("no_penalty", "不予处罚")],
                                max_length=12,
                                verbose_name="处理结果",
                            ),
                        ),
                        ("decision_number", models.CharField(blank=True, max_length=80, verbose_name="决定书文号")),
                        ("decided_on", models.DateField(blank=True, null=True, verbose_name="决定日期")),
                        ("penalty_kinds", models.JSONField(blank=True, default=list, verbose_name="处罚种类")),
                        (
                            "fine",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="罚款金额（元）"
                            ),
                        ),
                        ("served_on", models.DateField(blank=True, null=True, verbose_name="送达日期")),
                        ("disclosed_on", models.DateField(blank=True, null=True, verbose_name="公示日期")),
                        ("executed_on", models.DateField(blank=True, null=True, verbose_name="执行完毕日期")),
                        ("closed_on", models.DateField(blank=True, null=True, verbose_name="结案日期")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        "verbose_name": "行政处罚案件",
                        "verbose_name_plural": "行政处罚案件",
                        "ordering": ["-filed_on", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="CaseExtension",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("days", models.PositiveIntegerField(verbose_name="延长天数")),
                        ("reason", models.CharField(max_length=300, verbose_name="理由")),
                        ("approver", models.CharField(max_length=50, verbose_name="批准人")),
                        ("approved_on", models.DateField(verbose_name="批准日期")),
                    ],
                    options={
                        "verbose_name": "办案期限延长",
                        "verbose_name_plural": "办案期限延长",
                        "ordering": ["case_id", "approved_on", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="CaseHandler",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="Disclosure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("published_on", models.DateField(db_index=True, verbose_name="公示日期")),
                        ("decision_number", models.CharField(max_length=80, verbose_name="决定书文号")),
                        ("party_kind", models.CharField(max_length=12)),
                        ("party_display", models.CharField(max_length=100, verbose_name="当事人（公示）")),
                        (
                            "party_code_display",
                            models.CharField(blank=True, max_length=30, verbose_name="证件号码（公示）"),
                        ),
                        ("summary", models.TextField(verbose_name="违法事实与处罚内容")),
                        ("fine", models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ("search", models.TextField(blank=True, editable=False)),
                        ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                        ("withdraw_reason", models.CharField(blank=True, max_length=300)),
                    ],
                    options={
                        "verbose_name": "执法决定公示",
                        "verbose_name_plural": "执法决定公示",
                        "ordering": ["-published_on", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="CaseCheck",
                    fields=[
                        (
                            "case",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="check_result",
                                serialize=False,
                                to="cases.case",
                            ),
                        ),
                        ("errors", models.PositiveSmallIntegerField(default=0, verbose_name="预警数")),
                        ("rules", models.JSONField(blank=True, default=list, verbose_name="预警规则")),
                        ("checked_at", models.DateTimeField(verbose_name="校验时间")),
                    ],
                    options={
                        "verbose_name": "案件校验结果",
                        "verbose_name_plural": "案件校验结果",
                    },
                ),
                migrations.AddField(
                    model_name="case",
                    name="agency",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="registry.agency",
                        verbose_name="办案机关",
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="created_by",
                    field=models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="disclosure_item",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tracking.trackeditem",
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="item",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="case",
                        to="tracking.trackeditem",
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="list_entry",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.listentry",
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="power_item",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="registry.poweritem",
                        verbose_name="执法事项",
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="service_item",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tracking.trackeditem",
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="tier",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.discretiontier",
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="warning_item",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="tracking.trackeditem",
                    ),
                ),
                migrations.AddField(
                    model_name="caseextension",
                    name="case",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="extensions", to="cases.case"
                    ),
                ),
                migrations.AddField(
                    model_name="caseextension",
                    name="recorded_by",
                    field=models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                migrations.AddField(
                    model_name="casehandler",
                    name="case",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="cases.case"),
                ),
                migrations.AddField(
                    model_name="casehandler",
                    name="officer",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="registry.officer"),
                ),
                migrations.AddField(
                    model_name="case",
                    name="handlers",
                    field=models.ManyToManyField(related_name="cases", through="cases.CaseHandler", to="registry.officer"),
                ),
                migrations.AddField(
                    model_name="disclosure",
                    name="agency",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.agency"
                    ),
                ),
                migrations.AddField(
                    model_name="disclosure",
                    name="case",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="disclosure", to="cases.case"
                    ),
                ),
                migrations.AddIndex(
                    model_name="casecheck",
                    index=models.Index(condition=models.Q(("errors__gt", 0)), fields=["case"], name="casecheck_with_errors"),
                ),
                migrations.AddConstraint(
                    model_name="casehandler",
                    constraint=models.UniqueConstraint(fields=("case", "officer"), name="case_handler_unique"),
                ),
                migrations.AddIndex(
                    model_name="case",
                    index=models.Index(fields=["agency", "filed_on"], name="enforcement_agency__38134b_idx"),
                ),
                migrations.AddIndex(
                    model_name="case",
                    index=models.Index(fields=["decided_on"], name="enforcement_decided_7bfa45_idx"),
                ),
                migrations.AddIndex(
                    model_name="disclosure",
                    index=models.Index(fields=["agency", "published_on"], name="enforcement_agency__a5dc21_idx"),
                ),
                migrations.AddIndex(
                    model_name="disclosure",
                    index=models.Index(fields=["party_kind", "published_on"], name="enforcement_party_k_405157_idx"),
                ),
            ],
            database_operations=[],
        ),
    ]
