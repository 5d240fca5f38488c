"""Models of 法律顾问: villages and communities (for 一村一法律顾问), the roster of advisers and government lawyers,
their contracts (AdviserContract), service records and legal-opinion requests."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Division, Unit
from fazhi.legalservices.advisers import rules


class AdviserVillage(models.Model):
    """A 村 or 社区: the township (unit) it belongs to and its division."""

    name = models.CharField("村（社区）名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=rules.VILLAGE_KINDS, default="village")
    unit = models.ForeignKey(Unit, verbose_name="所属乡镇（街道）", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["division__code", "unit_id", "name"]
        verbose_name = verbose_name_plural = "村（社区）"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="adviser_village_unique")]

    def __str__(self) -> str:
        return self.name


class LegalAdviser(models.Model):
    kind = models.CharField("类别", max_length=12, choices=rules.ADVISER_KINDS)
    name = models.CharField("姓名", max_length=rules.NAME_MAX)
    firm = models.CharField("律师事务所或工作单位", max_length=100, blank=True)
    license_no = models.CharField("执业证号", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="聘用（所在）单位", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = verbose_name_plural = "法律顾问"

    def __str__(self) -> str:
        return self.name


class AdviserContract(models.Model):
    adviser = models.ForeignKey(
        LegalAdviser, verbose_name="法律顾问", on_delete=models.PROTECT, related_name="contracts"
    )
    unit = models.ForeignKey(Unit, verbose_name="聘用单位", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        AdviserVillage,
        verbose_name="村（社区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    start = models.DateField("合同起始日")
    end = models.DateField("合同终止日")
    # Ended early (解除/终止): from this day the contract no longer counts (coverage, the one-adviser rule).
    terminated_on = models.DateField("提前终止日", null=True, blank=True)
    termination_reason = models.CharField("终止原因", max_length=300, blank=True)
    fee = models.DecimalField("聘用费用（元）", max_digits=12, decimal_places=2, default=0)
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = verbose_name_plural = "法律顾问合同"
        indexes = [models.Index(fields=["village", "start", "end"], name="adviser_contract_village")]

    def __str__(self) -> str:
        return f"{self.adviser} {self.start}–{self.end}"

    @property
    def last_day(self):
        """The last day the contract is in force: the day before an early termination, else its end."""
        import datetime as dt

        return min(self.end, self.terminated_on - dt.timedelta(days=1)) if self.terminated_on else self.end


class AdviserService(models.Model):
    adviser = models.ForeignKey(
        LegalAdviser, verbose_name="法律顾问", on_delete=models.CASCADE, related_name="services"
    )
    unit = models.ForeignKey(Unit, verbose_name="服务单位", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        AdviserVillage, verbose_name="村（社区）", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField("服务类型", max_length=16, choices=rules.SERVICE_KINDS)
    on = models.DateField("服务日期")
    count = models.PositiveIntegerField("件（人）次", default=1)
    note = models.CharField("服务内容", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = verbose_name_plural = "法律顾问服务记录"

    def __str__(self) -> str:
        return f"{self.adviser} {self.on}"


class LegalOpinion(models.Model):
    """A request for a legal opinion from a unit, routed to an adviser and answered by a 法律意见书 before its
    deadline (a tracked item)."""

    unit = models.ForeignKey(Unit, verbose_name="请求单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事项类型", max_length=20, choices=rules.OPINION_KINDS)
    subject = models.CharField("事项名称", max_length=200)
    question = models.TextField("需要论证的问题")
    adviser = models.ForeignKey(
        LegalAdviser, verbose_name="法律顾问", null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    requested_on = models.DateField("请求日期")
    deadline = models.DateField("答复期限")
    status = models.CharField("状态", max_length=10, choices=rules.OPINION_STATUSES, default="pending")
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_opinion"
    )
    related_kind = models.CharField("关联记录类型", max_length=12, choices=rules.RELATED_KINDS, blank=True)
    related_id = models.BigIntegerField("关联记录", null=True, blank=True)
    opinion = models.TextField("法律意见", blank=True)
    suggestions = models.PositiveIntegerField("提出意见建议（条）", default=0)
    answered_on = models.DateField("出具日期", null=True, blank=True)
    document_id = models.BigIntegerField("法律意见书", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = verbose_name_plural = "法律意见"

    def __str__(self) -> str:
        return self.subject
