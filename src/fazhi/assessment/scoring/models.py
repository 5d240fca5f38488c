"""Models of 考核评价: a framework per year (a tree of indicators), assessment runs with their units and groups,
one score per unit and leaf indicator, and the units' appeals (申诉)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Unit


class Framework(models.Model):
    """The year's indicator framework (考核指标体系): a tree 一级 / 二级 / 三级 of `Indicator` rows."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    name = models.CharField("名称", max_length=100)
    total_points = models.DecimalField("总分", max_digits=7, decimal_places=2, default=100)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "考核指标体系"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"


class Indicator(models.Model):
    """A node of the framework. Leaves (level 3, or a lower level without children) are scored; each leaf has a
    method: computed (a registered function, mapped to points), manual (assessors score from evidence), bonus /
    deduction (capped) or veto (一票否决)."""

    METHODS = [
        ("group", "分组（非叶子）"),
        ("computed", "自动计算"),
        ("manual", "人工评分"),
        ("bonus", "加分项"),
        ("deduction", "扣分项"),
        ("veto", "一票否决"),
    ]
    MAPPINGS = [("linear", "线性"), ("thresholds", "分档")]

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.PositiveSmallIntegerField("级别", default=1)
    code = models.CharField("编号", max_length=20)
    name = models.CharField("指标名称", max_length=200)
    points = models.DecimalField("分值", max_digits=7, decimal_places=2, default=0)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2, default=1)
    method = models.CharField("评分方式", max_length=10, choices=METHODS, default="group")
    source = models.CharField("计算函数", max_length=60, blank=True)
    mapping = models.CharField("换算方式", max_length=10, choices=MAPPINGS, blank=True)
    params = models.JSONField("换算参数", default=dict, blank=True)
    target = models.DecimalField("目标值", max_digits=9, decimal_places=2, null=True, blank=True)
    cap = models.DecimalField("封顶分值", max_digits=7, decimal_places=2, null=True, blank=True)
    criteria = models.CharField("评分标准", max_length=500, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "考核指标"
        ordering = ["framework", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="assessment_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AssessmentRun(models.Model):
    """One assessment of the units for a year (or a quarter of it) against the year's framework."""

    STATUSES = [
        ("computed", "已计算"),
        ("published", "已公布（申诉期）"),
        ("finalised", "已定档"),
    ]

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="runs")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True)
    name = models.CharField("名称", max_length=100)
    period_start = models.DateField("考核期起")
    period_end = models.DateField("考核期止")
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="computed")
    appeal_days = models.PositiveSmallIntegerField("申诉期限（工作日）", default=5)
    appeal_until = models.DateField("申诉截止", null=True, blank=True)
    top_adjust = models.JSONField("前三名加分", default=list)
    bottom_adjust = models.JSONField("后三名扣分", default=list)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    finalised_at = models.DateTimeField("定档时间", null=True, blank=True)
    notice_document = models.ForeignKey(
        "documents.GeneratedDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "考核"
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.name


class RunUnit(models.Model):
    """A unit assessed in a run, in its group (区县政府 / 市直部门), with its total, rank and adjustment."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    group = models.CharField("考核组", max_length=40)
    total = models.DecimalField("得分", max_digits=8, decimal_places=2, default=0)
    vetoed = models.BooleanField("一票否决", default=False)
    rank = models.PositiveIntegerField("组内名次", null=True, blank=True)
    adjustment = models.DecimalField("目标考核加减分", max_digits=6, decimal_places=2, default=0)

    class Meta:
        verbose_name = verbose_name_plural = "考核单位"
        ordering = ["run", "group", "rank", "unit__sort_order", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="assessment_run_unit")]

    def __str__(self) -> str:
        return f"{self.run} {self.unit}"


class Score(models.Model):
    """One unit's figure and points on one leaf indicator. `value` is the computed figure (None: no data or
    the source module is unavailable); `points` what counts; `override` an assessor's correction."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(RunUnit, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    available = models.BooleanField("可计算", default=True)
    value = models.DecimalField("指标值", max_digits=12, decimal_places=2, null=True, blank=True)
    numerator = models.IntegerField("分子", null=True, blank=True)
    denominator = models.IntegerField("分母", null=True, blank=True)
    points = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.CharField("评分说明", max_length=500, blank=True)
    evidence = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="佐证材料"
    )
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "指标得分"
        ordering = ["member", "indicator__sort_order", "indicator_id"]
        constraints = [models.UniqueConstraint(fields=["member", "indicator"], name="assessment_score_unique")]

    def __str__(self) -> str:
        return f"{self.member} {self.indicator.code}"


class Appeal(models.Model):
    """A unit's 申诉 against one figure, filed within the run's appeal period and answered by an assessor."""

    STATUSES = [("open", "待处理"), ("upheld", "申诉成立"), ("rejected", "申诉不成立")]

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="appeals")
    reason = models.TextField("申诉理由")
    evidence = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="佐证材料"
    )
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="open")
    filed_on = models.DateField("申诉日期")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answer = models.TextField("处理意见", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核申诉"
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"申诉 {self.score}"
