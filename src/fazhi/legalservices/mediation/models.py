"""Models of 调解: mediation organisations and their mediators, disputes (MediationCase) with their sessions.
A case carries its unit and division (copied from its organisation) so that scope and statistics need no join."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Division, Unit
from fazhi.legalservices.mediation import rules


class MediationOrg(models.Model):
    name = models.CharField("组织名称", max_length=100, unique=True)
    kind = models.CharField("组织类型", max_length=12, choices=rules.ORG_KINDS)
    unit = models.ForeignKey(Unit, verbose_name="指导单位", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["division__code", "name"]
        verbose_name = verbose_name_plural = "调解组织"

    def __str__(self) -> str:
        return self.name


class Mediator(models.Model):
    org = models.ForeignKey(MediationOrg, verbose_name="调解组织", on_delete=models.CASCADE, related_name="mediators")
    name = models.CharField("姓名", max_length=rules.NAME_MAX)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_full_time = models.BooleanField("专职", default=False)
    is_active = models.BooleanField("在任", default=True)

    class Meta:
        ordering = ["org_id", "name", "id"]
        verbose_name = verbose_name_plural = "人民调解员"

    def __str__(self) -> str:
        return self.name


class MediationCase(models.Model):
    number = models.CharField("编号", max_length=30, unique=True)
    org = models.ForeignKey(MediationOrg, verbose_name="调解组织", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, verbose_name="指导单位", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    mediator = models.ForeignKey(
        Mediator, verbose_name="调解员", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    kind = models.CharField("纠纷类型", max_length=12, choices=rules.KINDS)
    source = models.CharField("来源", max_length=12, choices=rules.SOURCES)
    complaint_id = models.BigIntegerField("来源投诉", null=True, blank=True)
    applicant = models.CharField("申请人", max_length=rules.NAME_MAX)
    applicant_phone = models.CharField("申请人电话", max_length=20, blank=True)
    respondent = models.CharField("被申请人", max_length=rules.NAME_MAX)
    facts = models.TextField("纠纷简要情况")
    amount = models.DecimalField("涉及金额（元）", max_digits=14, decimal_places=2, default=0)
    received_on = models.DateField("受理日期")
    status = models.CharField("状态", max_length=12, choices=rules.STATUSES, default=rules.REGISTERED)
    # 诉前调解: the court, the day of referral, the due day, and the result returned to the court.
    court_name = models.CharField("委派法院", max_length=100, blank=True)
    court_case_no = models.CharField("法院立案前编号", max_length=60, blank=True)
    court_referred_on = models.DateField("委派日期", null=True, blank=True)
    court_due = models.DateField("委派调解期限", null=True, blank=True)
    court_returned_on = models.DateField("结果反馈法院日期", null=True, blank=True)
    court_extended_days = models.PositiveSmallIntegerField("委派调解期限已延长（日）", default=0)
    court_extension_ground = models.CharField(
        "延长依据", max_length=10, choices=rules.COURT_EXTENSION_GROUNDS, blank=True
    )
    court_extension_reason = models.CharField("延长理由", max_length=500, blank=True)
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="mediation_case"
    )
    # Outcome.
    closed_on = models.DateField("调结日期", null=True, blank=True)
    agreement = models.TextField("协议内容", blank=True)
    performance_terms = models.CharField("履行方式与期限", max_length=500, blank=True)
    next_channel = models.CharField("后续途径", max_length=12, choices=rules.CHANNELS, blank=True)
    failure_reason = models.CharField("未成功原因", max_length=500, blank=True)
    document_id = models.BigIntegerField("调解协议书", null=True, blank=True)
    performance = models.CharField("履行情况", max_length=14, choices=rules.PERFORMANCE, blank=True)
    performance_note = models.CharField("回访情况", max_length=500, blank=True)
    performance_checked_on = models.DateField("回访日期", null=True, blank=True)
    imported = models.BooleanField("台账导入", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "矛盾纠纷调解"
        indexes = [
            # The statistics read one period: the covering index lets PostgreSQL answer from the index alone.
            models.Index(
                fields=["received_on", "unit", "org", "division", "kind", "status", "amount"],
                name="mediation_case_stats",
            ),
            models.Index(fields=["unit", "received_on"], name="mediation_case_unit"),
        ]

    def __str__(self) -> str:
        return self.number


class MediationSession(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("调解日期")
    place = models.CharField("地点", max_length=200, blank=True)
    mediator = models.ForeignKey(
        Mediator, verbose_name="调解员", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField("调解记录")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case_id", "held_on", "id"]
        verbose_name = verbose_name_plural = "调解过程记录"

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class MediationMonthly(models.Model):
    """The statistics rolled up by month of receipt, organisation and kind, kept by the services in the same
    transaction as each registration and conclusion (`mediation_monthly_rebuild` recomputes it from the cases).
    Whole-month statistics read these rows instead of every dispute."""

    month = models.DateField("月份")
    org = models.ForeignKey(MediationOrg, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=rules.KINDS)
    received = models.PositiveIntegerField(default=0)
    mediated = models.PositiveIntegerField(default=0)
    success = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    success_amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        ordering = ["month", "org_id", "kind"]
        verbose_name = verbose_name_plural = "调解月度统计"
        constraints = [models.UniqueConstraint(fields=["month", "org", "kind"], name="mediation_monthly_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.org_id} {self.kind}"
