"""Models of 法治督察: a campaign, its problem list in aspects and problems, each problem's rectification by each unit
it is assigned to (a tracked item with the deadline), the unit's reports with evidence, the records a problem stems
from, and clues referred to 纪检监察. Class names carry the area's prefix (they share the assessment app)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.assessment.oversight import rules
from fazhi.core.models import Attachment, Unit


class OversightCampaign(models.Model):
    kind = models.CharField("督察方式", max_length=10, choices=rules.CAMPAIGN_KINDS)
    title = models.CharField("督察名称", max_length=rules.TITLE_MAX)
    scope = models.TextField("督察范围与内容", blank=True)
    lead_unit = models.ForeignKey(Unit, verbose_name="督察单位", on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField(Unit, verbose_name="被督察单位", related_name="+", blank=True)
    team = models.TextField("督察组成员", blank=True)
    period_start = models.DateField("督察开始")
    period_end = models.DateField("督察结束")
    status = models.CharField("状态", max_length=10, choices=rules.CAMPAIGN_STATUSES, default="active")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = verbose_name_plural = "法治督察"

    def __str__(self) -> str:
        return self.title


class OversightAspect(models.Model):
    """一个方面 of the problem list ("一、重大行政决策方面")."""

    campaign = models.ForeignKey(OversightCampaign, on_delete=models.CASCADE, related_name="aspects")
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("方面", max_length=rules.TITLE_MAX)

    class Meta:
        ordering = ["campaign_id", "order"]
        verbose_name = verbose_name_plural = "督察问题方面"
        constraints = [models.UniqueConstraint(fields=["campaign", "title"], name="oversight_aspect_unique")]

    def __str__(self) -> str:
        return self.title


class OversightProblem(models.Model):
    campaign = models.ForeignKey(OversightCampaign, on_delete=models.CASCADE, related_name="problems")
    aspect = models.ForeignKey(OversightAspect, on_delete=models.PROTECT, related_name="problems")
    order = models.PositiveSmallIntegerField("序号")
    description = models.TextField("问题描述")
    requirement = models.TextField("整改要求", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["campaign_id", "aspect__order", "order", "id"]
        verbose_name = verbose_name_plural = "督察问题"

    def __str__(self) -> str:
        return f"{self.order}. {self.description[:40]}"


class OversightRectification(models.Model):
    """One unit's rectification of one problem: the row of the ledger (整改台账) and the tracked item."""

    problem = models.ForeignKey(OversightProblem, on_delete=models.CASCADE, related_name="rectifications")
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("整改期限", db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=rules.RECTIFICATION_STATUSES, default=rules.ASSIGNED, db_index=True
    )
    plan = models.TextField("整改方案", blank=True)
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="oversight_rectification"
    )
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    signed_off_on = models.DateField("销号日期", null=True, blank=True, db_index=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signoff_comment = models.TextField("销号意见", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = verbose_name_plural = "督察问题整改"
        constraints = [models.UniqueConstraint(fields=["problem", "unit"], name="oversight_rectification_unique")]
        indexes = [models.Index(fields=["unit", "deadline"], name="oversight_rect_unit_deadline")]

    def __str__(self) -> str:
        return f"{self.unit} {self.problem}"


class OversightReport(models.Model):
    """The unit's progress report (整改进展) with evidence; the one handed in for sign-off has `submitted`."""

    rectification = models.ForeignKey(OversightRectification, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField("整改进展")
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    submitted = models.BooleanField("申请销号", default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["rectification_id", "at", "id"]
        verbose_name = verbose_name_plural = "督察整改进展"

    def __str__(self) -> str:
        return self.text[:40]


class OversightProblemLink(models.Model):
    """A record the problem stems from (a case, complaint, instrument…): any kind of supervision.links."""

    problem = models.ForeignKey(OversightProblem, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField("关联类型", max_length=30)
    object_id = models.BigIntegerField("关联对象")
    label = models.CharField("关联说明", max_length=300)

    class Meta:
        ordering = ["problem_id", "id"]
        verbose_name = verbose_name_plural = "督察问题关联记录"
        constraints = [
            models.UniqueConstraint(fields=["problem", "kind", "object_id"], name="oversight_link_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class OversightClue(models.Model):
    """A clue referred to 纪检监察 (涉嫌违纪、职务违法犯罪), with the follow-up received back."""

    problem = models.ForeignKey(OversightProblem, on_delete=models.CASCADE, related_name="clues")
    recipient = models.CharField("移送机关", max_length=200)
    summary = models.TextField("线索摘要")
    referred_on = models.DateField("移送日期")
    status = models.CharField("状态", max_length=10, choices=rules.CLUE_STATUSES, default="referred")
    feedback = models.TextField("办理反馈", blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = verbose_name_plural = "移送纪检监察线索"

    def __str__(self) -> str:
        return f"{self.recipient} {self.referred_on:%Y-%m-%d}"
