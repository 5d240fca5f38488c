"""Models of 季度通报 and 法治政府建设年度报告: a report (one per kind, unit, year and quarter) in sections whose
edited text is kept across regeneration, and the figures it was drawn from — each figure remembers its metric, unit
and period so the page can list the records behind it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fazhi.assessment.reports import rules
from fazhi.core.models import Unit


class AssessmentReport(models.Model):
    kind = models.CharField("报告种类", max_length=10, choices=rules.KINDS, db_index=True)
    subject = models.CharField("报告主体", max_length=12, choices=rules.SUBJECTS, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="报告单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True)
    title = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=10, choices=rules.STATUSES, default=rules.DRAFT, db_index=True)
    number = models.CharField("发文字号", max_length=60, blank=True)
    period_start = models.DateField("统计期起")
    period_end = models.DateField("统计期止")
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="assessment_report"
    )
    document = models.ForeignKey(
        "documents.GeneratedDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    generated_at = models.DateTimeField("生成时间", default=timezone.now)
    review_comment = models.TextField("审核意见", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-quarter", "kind", "unit__sort_order", "id"]
        verbose_name = verbose_name_plural = "通报与年度报告"
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit", "year", "quarter"], name="assessment_report_unique"),
            models.UniqueConstraint(
                fields=["kind", "unit", "year"],
                condition=Q(quarter__isnull=True),
                name="assessment_report_annual_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReportSection(models.Model):
    report = models.ForeignKey(AssessmentReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField()
    title = models.CharField("标题", max_length=100)
    text = models.TextField("正文", blank=True)
    # Text a person wrote: regeneration refreshes the figures and the generated sections, never this text.
    edited = models.BooleanField("已人工修改", default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report_id", "order"]
        verbose_name = verbose_name_plural = "报告章节"
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="report_section_unique")]

    def __str__(self) -> str:
        return self.title


class ReportFigure(models.Model):
    """One figure: a metric for a unit (None: the report's whole scope) over a period (a month, or the whole)."""

    report = models.ForeignKey(AssessmentReport, on_delete=models.CASCADE, related_name="figures")
    metric = models.CharField("指标", max_length=30)
    label = models.CharField("名称", max_length=100)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.IntegerField("数值", null=True, blank=True)  # None: the module is not available

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = verbose_name_plural = "报告数据"

    def __str__(self) -> str:
        return f"{self.label} {self.value}"
