"""The registry takes over the enforcement app's tables (renamed by enforcement 0006): state only.

The index names are still the old ones here; 0002 renames them to what the models now generate.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("enforcement", "0006_hand_tables_to_registry_and_cases"),
        ("core", "0005_job"),
        ("tracking", "0002_timeline_keyed_hash"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Agency",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "legal_status",
                            models.CharField(
                                choices=[("statutory", "法定"), ("authorised", "授权"), ("entrusted", "委托")],
                                default="statutory",
                                max_length=12,
                                verbose_name="主体资格",
                            ),
                        ),
                        ("jurisdiction", models.CharField(blank=True, max_length=200, verbose_name="管辖范围")),
                        ("domains", models.JSONField(blank=True, default=list, verbose_name="执法领域")),
                        ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                        (
                            "entrusting_agency",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="entrusted",
                                to="registry.agency",
                                verbose_name="委托机关",
                            ),
                        ),
                        (
                            "unit",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="agency",
                                to="core.unit",
                                verbose_name="单位",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "执法主体",
                        "verbose_name_plural": "执法主体",
                        "ordering": ["unit__sort_order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Officer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=50, verbose_name="姓名")),
                        ("id_number", models.CharField(max_length=18, unique=True, verbose_name="身份证号")),
                        ("post", models.CharField(blank=True, max_length=50, verbose_name="职务/岗位")),
                        ("is_active", models.BooleanField(default=True, verbose_name="在岗")),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="officers",
                                to="registry.agency",
                                verbose_name="所属执法主体",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="officer",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "执法人员",
                        "verbose_name_plural": "执法人员",
                        "ordering": ["agency_id", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="PowerItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.CharField(max_length=50, verbose_name="事项编码")),
                        ("version", models.PositiveIntegerField(default=1, verbose_name="版本")),
                        ("is_current", models.BooleanField(default=True, verbose_name="现行版本")),
                        ("name", models.CharField(max_length=200, verbose_name="事项名称")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("penalty", "行政处罚"),
                                    ("licence", "行政许可"),
                                    ("coercion", "行政强制"),
                                    ("inspection", "行政检查"),
                                    ("levy", "行政征收"),
                                    ("confirmation", "行政确认"),
                                    ("ruling", "行政裁决"),
                                    ("reward", "行政奖励"),
                                    ("benefit", "行政给付"),
                                    ("other", "其他"),
                                ],
                                max_length=12,
                                verbose_name="事项类型",
                            ),
                        ),
                        ("major", models.BooleanField(default=False, verbose_name="重大执法决定（须法制审核）")),
                        (
                            "effective_from",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="生效日期"),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="power_items",
                                to="registry.agency",
                                verbose_name="实施主体",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "权责清单事项",
                        "verbose_name_plural": "权责清单事项",
                        "ordering": ["agency_id", "code", "-version"],
                    },
                ),
                migrations.CreateModel(
                    name="ListEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("exempt", "不予处罚"), ("mitigate", "从轻减轻")],
                                max_length=10,
                                verbose_name="清单类型",
                            ),
                        ),
                        ("circumstances", models.TextField(verbose_name="适用情形")),
                        ("legal_basis", models.CharField(max_length=300, verbose_name="依据")),
                        ("is_active", models.BooleanField(default=True, verbose_name="启用")),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="list_entries",
                                to="registry.agency",
                            ),
                        ),
                        (
                            "power_item",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="registry.poweritem",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "不予处罚和从轻减轻清单",
                        "verbose_name_plural": "不予处罚和从轻减轻清单",
                        "ordering": ["agency_id", "kind", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="LegalBasis",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("law", models.CharField(max_length=200, verbose_name="法律法规名称")),
                        ("article", models.CharField(max_length=30, verbose_name="条")),
                        ("clause", models.CharField(blank=True, max_length=30, verbose_name="款/项")),
                        ("text", models.TextField(blank=True, verbose_name="条文")),
                        (
                            "power_item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="legal_bases",
                                to="registry.poweritem",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "执法依据",
                        "verbose_name_plural": "执法依据",
                        "ordering": ["id"],
                    },
                ),
                migrations.CreateModel(
                    name="DiscretionTier",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "level",
                            models.CharField(
                                choices=[
                                    ("minor", "轻微"),
                                    ("ordinary", "一般"),
                                    ("serious", "较重"),
                                    ("grave", "严重"),
                                    ("custom", "其他"),
                                ],
                                max_length=10,
                                verbose_name="阶次",
                            ),
                        ),
                        ("name", models.CharField(blank=True, max_length=50, verbose_name="阶次名称")),
                        ("circumstances", models.TextField(verbose_name="适用情形")),
                        ("penalty_kinds", models.JSONField(blank=True, default=list, verbose_name="处罚种类")),
                        (
                            "fine_min",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="罚款下限（元）"
                            ),
                        ),
                        (
                            "fine_max",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="罚款上限（元）"
                            ),
                        ),
                        (
                            "multiple_min",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=6, null=True, verbose_name="违法所得倍数下限"
                            ),
                        ),
                        (
                            "multiple_max",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=6, null=True, verbose_name="违法所得倍数上限"
                            ),
                        ),
                        ("sort_order", models.IntegerField(default=0)),
                        (
                            "power_item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="tiers",
                                to="registry.poweritem",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "裁量基准阶次",
                        "verbose_name_plural": "裁量基准阶次",
                        "ordering": ["power_item_id", "sort_order", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="TrainingRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveIntegerField(verbose_name="年度")),
                        (
                            "hours",
                            models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name="培训学时"),
                        ),
                        (
                            "exam_score",
                            models.DecimalField(
                                blank=True, decimal_places=1, max_digits=5, null=True, verbose_name="考试成绩"
                            ),
                        ),
                        ("exam_passed", models.BooleanField(blank=True, null=True, verbose_name="考试合格")),
                        (
                            "officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="trainings",
                                to="registry.officer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "培训考试记录",
                        "verbose_name_plural": "培训考试记录",
                        "ordering": ["officer_id", "-year"],
                    },
                ),
                migrations.CreateModel(
                    name="Certificate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("number", models.CharField(max_length=40, unique=True, verbose_name="证件编号")),
                        ("issuer", models.CharField(blank=True, max_length=100, verbose_name="发证机关")),
                        ("valid_from", models.DateField(verbose_name="有效期起")),
                        ("valid_to", models.DateField(verbose_name="有效期止")),
                        (
                            "status",
                            models.CharField(
                                choices=[("active", "有效"), ("suspended", "暂扣"), ("revoked", "吊销")],
                                default="active",
                                max_length=10,
                                verbose_name="状态",
                            ),
                        ),
                        (
                            "expiry_item",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="tracking.trackeditem",
                            ),
                        ),
                        (
                            "officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="certificates",
                                to="registry.officer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "行政执法证",
                        "verbose_name_plural": "行政执法证",
                        "ordering": ["officer_id", "-valid_to"],
                        "indexes": [models.Index(fields=["status", "valid_to"], name="enforcement_status_212ea0_idx")],
                    },
                ),
                migrations.AddIndex(
                    model_name="poweritem",
                    index=models.Index(fields=["agency", "is_current"], name="enforcement_agency__bd8a58_idx"),
                ),
                migrations.AddConstraint(
                    model_name="poweritem",
                    constraint=models.UniqueConstraint(
                        fields=("agency", "code", "version"), name="power_item_version_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="trainingrecord",
                    constraint=models.UniqueConstraint(fields=("officer", "year"), name="training_officer_year_unique"),
                ),
            ],
            database_operations=[],
        ),
    ]
