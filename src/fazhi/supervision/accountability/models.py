"""专项监督与责任追究: special investigations of major enforcement cases, the accountability ledger for wrong
cases (proposals fed by `supervision.signals.wrong_case_found`, records with their officers), and typical wrong
cases published on the portal.

Records of other apps (a penalty case, a complaint) are referred to by kind and id and resolved through
`supervision.links` for each viewer, never through a foreign key into another domain app. Registry officers
(a lower app) are referred to directly.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Attachment, Unit
from fazhi.supervision.accountability import rules


class Investigation(models.Model):
    """重大行政执法案件专项监督调查: opened by the supervisor on a linked record, tracked on a TrackedItem."""

    STATUSES = [("open", "调查中"), ("concluded", "已结论")]

    basis_kind = models.CharField("关联对象类型", max_length=40)
    basis_id = models.BigIntegerField("关联对象编号")
    basis_label = models.CharField("关联对象", max_length=200)
    case_id = models.BigIntegerField("行政处罚案件编号", null=True, blank=True, db_index=True)
    unit = models.ForeignKey(Unit, verbose_name="被调查单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("调查事项", max_length=200)
    reason = models.TextField("调查事由")
    investigators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="调查人员", related_name="accountability_investigations"
    )
    status = models.CharField("状态", max_length=12, choices=STATUSES, default="open", db_index=True)
    opened_on = models.DateField("立项日期")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_unit = models.ForeignKey(Unit, verbose_name="监督机关", on_delete=models.PROTECT, related_name="+")
    notice_number = models.CharField("调查通知书文号", max_length=60, blank=True)
    notice_on = models.DateField("通知日期", null=True, blank=True)
    extended_days = models.PositiveIntegerField("延长天数", default=0)
    conclusion = models.CharField("调查结论", max_length=16, choices=rules.CONCLUSIONS, blank=True)
    findings = models.TextField("查明的事实", blank=True)
    measures = models.TextField("处理措施和建议", blank=True)
    concluded_on = models.DateField("结论日期", null=True, blank=True)
    item = models.ForeignKey("tracking.TrackedItem", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = verbose_name_plural = "专项监督调查"
        indexes = [models.Index(fields=["unit", "opened_on"], name="acc_inv_unit_opened")]

    def __str__(self) -> str:
        return self.title


class InvestigationStep(models.Model):
    """One step of the investigation (调阅案卷, 询问, 现场核查 …) or the agency's 说明, with its materials."""

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("调查方式", max_length=16, choices=rules.STEP_KIND_CHOICES)
    done_on = models.DateField("日期")
    text = models.TextField("情况记录")
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_on", "id"]
        verbose_name = verbose_name_plural = "调查步骤"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on}"


class InvestigationReferral(models.Model):
    """移送纪检监察: the organ, the reason and the date, followed up until the organ's result is recorded."""

    STATUSES = [("pending", "待反馈"), ("resulted", "已反馈结果")]

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="referrals")
    organ = models.CharField("移送机关", max_length=100)
    reason = models.TextField("移送理由")
    referred_on = models.DateField("移送日期")
    letter_number = models.CharField("移送函文号", max_length=60, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="pending", db_index=True)
    result = models.TextField("处理结果", blank=True)
    result_on = models.DateField("反馈日期", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = verbose_name_plural = "移送纪检监察"

    def __str__(self) -> str:
        return f"{self.investigation} → {self.organ}"


class ReferralFollowUp(models.Model):
    referral = models.ForeignKey(InvestigationReferral, on_delete=models.PROTECT, related_name="follow_ups")
    on = models.DateField("跟踪日期")
    text = models.TextField("跟踪情况")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = verbose_name_plural = "移送跟踪记录"

    def __str__(self) -> str:
        return f"{self.referral_id} {self.on}"


class AccountabilityProposal(models.Model):
    """A proposal to open an accountability record, made by a `wrong_case_found` signal (one per sender record)."""

    STATUSES = [("pending", "待处理"), ("opened", "已立案追责"), ("dismissed", "不予追责")]

    source_kind = models.CharField("来源类型", max_length=40)
    source_id = models.BigIntegerField("来源编号")
    source_label = models.CharField("来源", max_length=200)
    source_url = models.CharField("来源页面", max_length=300, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    case_id = models.BigIntegerField("行政处罚案件编号", null=True, blank=True)
    reason = models.TextField("认定错误的理由")
    proposed_on = models.DateField("提出日期")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="pending", db_index=True)
    dismiss_reason = models.TextField("不予追责理由", blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    item = models.ForeignKey("tracking.TrackedItem", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = verbose_name_plural = "追责建议"
        constraints = [
            models.UniqueConstraint(fields=["source_kind", "source_id"], name="acc_proposal_source_unique"),
        ]

    def __str__(self) -> str:
        return self.source_label


class AccountabilityRecord(models.Model):
    """错案责任追究 record: the officers answerable for a wrong case, and the decision or the exemption of each."""

    STATUSES = [("open", "追责中"), ("decided", "已作出决定")]

    proposal = models.OneToOneField(
        AccountabilityProposal, null=True, blank=True, on_delete=models.PROTECT, related_name="record"
    )
    source_kind = models.CharField("来源类型", max_length=40, blank=True)
    source_label = models.CharField("来源", max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    case_id = models.BigIntegerField("行政处罚案件编号", null=True, blank=True, db_index=True)
    case_label = models.CharField("案件", max_length=200, blank=True)
    reason = models.TextField("追责事由")
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="open", db_index=True)
    opened_on = models.DateField("立案日期")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    notice_number = models.CharField("追责建议书文号", max_length=60, blank=True)
    decision = models.TextField("处理决定", blank=True)
    decision_organ = models.CharField("决定机关", max_length=100, blank=True)
    decision_on = models.DateField("决定日期", null=True, blank=True)
    item = models.ForeignKey("tracking.TrackedItem", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = verbose_name_plural = "错案责任追究"
        indexes = [models.Index(fields=["unit", "opened_on"], name="acc_record_unit_opened")]

    def __str__(self) -> str:
        return f"责任追究 {self.case_label or self.source_label}"


class AccountabilityOfficer(models.Model):
    """One answerable officer of a record: the kind of fault and the responsibilities, or 尽职免责 with its ground."""

    record = models.ForeignKey(AccountabilityRecord, on_delete=models.PROTECT, related_name="officers")
    officer = models.ForeignKey(
        "registry.Officer", verbose_name="执法人员", on_delete=models.PROTECT, related_name="accountability_entries"
    )
    fault = models.CharField("过错类型", max_length=10, choices=rules.FAULTS, blank=True)
    exempt = models.BooleanField("尽职免责", default=False)
    exemption_ground = models.CharField("免责情形", max_length=24, choices=rules.EXEMPTION_GROUNDS, blank=True)
    exemption_reason = models.TextField("免责理由", blank=True)
    decided = models.BooleanField(default=False)

    class Meta:
        ordering = ["record_id", "id"]
        verbose_name = verbose_name_plural = "追责人员"
        constraints = [models.UniqueConstraint(fields=["record", "officer"], name="acc_officer_once_per_record")]

    def __str__(self) -> str:
        return f"{self.record_id} {self.officer_id}"


class AccountabilitySanction(models.Model):
    """One kind of responsibility given to one officer (a row each, so statistics count them set-based)."""

    entry = models.ForeignKey(AccountabilityOfficer, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField("责任种类", max_length=24, choices=rules.RESPONSIBILITY_CHOICES)

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = verbose_name_plural = "责任种类"
        constraints = [models.UniqueConstraint(fields=["entry", "kind"], name="acc_sanction_once")]

    def __str__(self) -> str:
        return self.get_kind_display()


class TypicalCase(models.Model):
    """典型案例通报: a wrong case told to the public. The staff texts are private; at publication a masked copy is
    taken (`public_*`), and only that copy of a published case ever reaches the portal."""

    STATUSES = [("draft", "待发布"), ("published", "已发布"), ("withdrawn", "已撤回")]

    case_id = models.BigIntegerField("行政处罚案件编号", db_index=True)
    record = models.ForeignKey(
        AccountabilityRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="typical_cases"
    )
    unit = models.ForeignKey(Unit, verbose_name="执法单位", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField("案号", max_length=60)
    case_label = models.CharField("案件", max_length=200)
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("基本案情和存在问题")
    lesson = models.TextField("警示教训")
    handling = models.TextField("处理情况")
    # What the masking needs, read from the case when it is marked (never shown on the portal).
    party_kind = models.CharField(max_length=12, blank=True)
    party_name = models.CharField(max_length=100, blank=True)
    officer_names = models.JSONField(default=list, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="draft", db_index=True)
    marked_on = models.DateField("选定日期")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_on = models.DateField("发布日期", null=True, blank=True, db_index=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)
    public_title = models.CharField(max_length=200, blank=True)
    public_summary = models.TextField(blank=True)
    public_lesson = models.TextField(blank=True)
    public_handling = models.TextField(blank=True)
    public_agency = models.CharField(max_length=100, blank=True)
    public_case_number = models.CharField(max_length=100, blank=True)
    public_party = models.CharField(max_length=100, blank=True)
    public_officers = models.CharField(max_length=300, blank=True)
    item = models.ForeignKey("tracking.TrackedItem", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-marked_on", "-id"]
        verbose_name = verbose_name_plural = "典型案例通报"
        indexes = [models.Index(fields=["status", "published_on"], name="acc_typical_published")]

    def __str__(self) -> str:
        return self.title
