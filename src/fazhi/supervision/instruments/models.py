"""监督文书: supervision instruments (意见书, 建议书, 工作提示函, 约谈, 决定书, 通报), their replies and 约谈记录, and the
执法风险预警提醒 proposals. Each issued instrument is a tracked item of the recipient unit (timeline, deadline, lights).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fazhi.core.models import Attachment, Unit
from fazhi.supervision.instruments import rules


class Instrument(models.Model):
    ORIGINS = [("manual", "人工拟制"), ("proposed", "系统建议"), ("risk", "风险预警")]

    kind = models.CharField("文书种类", max_length=16, choices=rules.KINDS, db_index=True)
    decision_kind = models.CharField("决定种类", max_length=16, choices=rules.DECISION_KINDS, blank=True)
    status = models.CharField("状态", max_length=12, choices=rules.STATUSES, default=rules.DRAFT, db_index=True)
    title = models.CharField("标题", max_length=200)
    issuing_unit = models.ForeignKey(Unit, verbose_name="发文单位", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        Unit, verbose_name="主送单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 通报: the units it is published to (all units the issuing unit supervises, fixed at issue).
    audience = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="通报范围")
    facts = models.TextField("基本事实")
    requirements = models.TextField("监督意见与要求", blank=True)
    # 约谈: the notice's time and place, and whether a written report is asked for besides the 约谈记录.
    interview_at = models.DateTimeField("约谈时间", null=True, blank=True)
    interview_place = models.CharField("约谈地点", max_length=200, blank=True)
    reply_required = models.BooleanField("需要书面回复", default=True)
    needs_reply = models.BooleanField("须回复", default=True)

    number = models.CharField("发文字号", max_length=60, blank=True, db_index=True)
    issued_on = models.DateField("签发日期", null=True, blank=True, db_index=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="instrument"
    )
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    # The day the accepted reply came in (the day the agency reported), and whether that was within the period.
    answered_on = models.DateField("回复日期", null=True, blank=True)
    answered_on_time = models.BooleanField("按期回复", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    origin = models.CharField("来源", max_length=10, choices=ORIGINS, default="manual")
    # A 决定书 that follows an unheeded 意见书.
    follows = models.ForeignKey(
        "self", verbose_name="所依据的意见书", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    proposal_reason = models.CharField("建议理由", max_length=200, blank=True)
    dismissed_reason = models.CharField("撤销理由", max_length=500, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "监督文书"
        indexes = [
            models.Index(fields=["recipient", "status"], name="instrument_recipient_status"),
            models.Index(fields=["issuing_unit", "issued_on"], name="instrument_issuer_issued"),
        ]
        constraints = [
            # The periodic job proposes one 决定书 per unheeded 意见书, never twice.
            models.UniqueConstraint(
                fields=["follows"], condition=Q(origin="proposed"), name="instrument_one_proposal_per_opinion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '草稿'} {self.title}"

    @property
    def kind_label(self) -> str:
        if self.kind == rules.DECISION and self.decision_kind:
            return f"{rules.KIND_LABELS[self.kind]}（{rules.DECISION_KIND_LABELS[self.decision_kind]}）"
        return rules.KIND_LABELS.get(self.kind, self.kind)


class InstrumentBasis(models.Model):
    """What an instrument stems from: a case, a complaint or clue, a review file, a finding, another instrument —
    any kind of supervision.links. `label` is the line as it stood when linked (for the document)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="bases")
    kind = models.CharField("关联类型", max_length=30)
    object_id = models.BigIntegerField("关联对象")
    label = models.CharField("关联说明", max_length=300)

    class Meta:
        ordering = ["instrument_id", "id"]
        verbose_name = verbose_name_plural = "监督文书依据"
        constraints = [
            models.UniqueConstraint(fields=["instrument", "kind", "object_id"], name="instrument_basis_unique"),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="instrument_basis_object")]

    def __str__(self) -> str:
        return self.label


class InstrumentReply(models.Model):
    """The recipient's written reply (整改情况): findings, measures, evidence. The supervisor accepts or returns it."""

    STATUSES = [("pending", "待审核"), ("accepted", "已采纳"), ("returned", "已退回")]

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="replies")
    findings = models.TextField("核查情况")
    measures = models.TextField("整改措施")
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    replied_on = models.DateField("回复日期")
    on_time = models.BooleanField("按期回复", default=True)
    status = models.CharField(max_length=10, choices=STATUSES, default="pending")
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["instrument_id", "at", "id"]
        verbose_name = verbose_name_plural = "监督文书回复"

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.get_status_display()}"


class InterviewRecord(models.Model):
    """约谈记录: when and where the 约谈 took place, who took part, what was said and undertaken."""

    instrument = models.OneToOneField(Instrument, on_delete=models.CASCADE, related_name="interview_record")
    held_at = models.DateTimeField("约谈时间")
    place = models.CharField("约谈地点", max_length=200)
    participants = models.TextField("参加人员")
    content = models.TextField("约谈内容")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "约谈记录"

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.held_at:%Y-%m-%d}"


class RiskProposal(models.Model):
    """执法风险预警提醒: an agency whose statutory-check warnings or complaints reached the threshold in a period, with
    the figures; the supervisor turns it into a draft 工作提示函 or dismisses it. One per agency and period."""

    STATUSES = [("proposed", "待处理"), ("drafted", "已拟制提示函"), ("dismissed", "不予提示")]

    unit = models.ForeignKey(Unit, verbose_name="执法部门", on_delete=models.PROTECT, related_name="+")
    supervising_unit = models.ForeignKey(
        Unit, verbose_name="监督单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    period_start = models.DateField("统计期起")
    period_end = models.DateField("统计期止")
    warnings = models.PositiveIntegerField("规则校验预警件数")
    complaints = models.PositiveIntegerField("投诉举报件数")
    warnings_threshold = models.PositiveIntegerField("预警阈值")
    complaints_threshold = models.PositiveIntegerField("投诉阈值")
    reasons = models.CharField("触发情形", max_length=300)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="proposed", db_index=True)
    reminder = models.OneToOneField(
        Instrument, null=True, blank=True, on_delete=models.SET_NULL, related_name="risk_proposal"
    )
    dismissed_reason = models.CharField("不予提示理由", max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "-created_at", "-id"]
        verbose_name = verbose_name_plural = "执法风险预警提醒"
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_start"], name="risk_proposal_unit_period"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"
