"""行政执法案卷评查: rubrics (data, versioned by year and case type), campaigns with their verifiable sample and
reviewer pool, review files with score sheets and lines, and the 评查意见 sent to each agency."""

import zlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.registry.models import PowerItem
from fazhi.supervision.reviews import rules

POINTS = {"max_digits": 6, "decimal_places": 1}


class Rubric(models.Model):
    """评查标准. Frozen once a campaign uses it: a change is a new version."""

    name = models.CharField("标准名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    case_type = models.CharField("案卷类型", max_length=12, choices=PowerItem.KINDS, default="penalty")
    version = models.PositiveSmallIntegerField("版本", default=1)
    total = models.DecimalField("总分", default=rules.DEFAULT_TOTAL, **POINTS)
    excellent_min = models.DecimalField("优秀分数线", default=rules.DEFAULT_EXCELLENT_MIN, **POINTS)
    pass_min = models.DecimalField("合格分数线", default=rules.DEFAULT_PASS_MIN, **POINTS)
    basis = models.CharField("制定依据", max_length=300, blank=True)
    previous = models.ForeignKey(
        "self", verbose_name="上一版本", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "case_type", "-version", "-id"]
        verbose_name = verbose_name_plural = "评查标准"
        constraints = [
            models.UniqueConstraint(fields=["year", "case_type", "version"], name="review_rubric_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}年第{self.version}版）"


class RubricSection(models.Model):
    """A section of points (分部), e.g. 基础标准 / 主体 10 分. Its score never goes below 0."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="sections")
    group = models.CharField("类别", max_length=50, blank=True)  # 基础标准 / 文书规范
    code = models.CharField("编号", max_length=20)
    title = models.CharField("名称", max_length=100)
    points = models.DecimalField("分值", **POINTS)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rubric_id", "sort_order", "id"]
        verbose_name = verbose_name_plural = "评查标准分部"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class RubricItem(models.Model):
    """A veto item (否决项: no points, any failure → 不合格, score 0) or a scored item of a section (分值, 每处扣分,
    optionally 一票否决优秀). `rule_code` names a statutory check of the cases app whose finding prefills it."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(RubricSection, null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("类型", max_length=8, choices=rules.ITEM_KINDS, default="scored")
    code = models.CharField("编号", max_length=20)
    title = models.CharField("评查内容", max_length=300)
    category = models.CharField("否决类别", max_length=20, blank=True)
    points = models.DecimalField("分值", default=0, **POINTS)
    deduction = models.DecimalField("每处扣分", null=True, blank=True, **POINTS)
    caps_excellent = models.BooleanField("一票否决优秀", default=False)
    rule_code = models.CharField("对应法定校验规则", max_length=40, blank=True)
    guidance = models.CharField("评分说明", max_length=500, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rubric_id", "sort_order", "id"]
        verbose_name = verbose_name_plural = "评查项目"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Campaign(models.Model):
    """评查活动: scope (agencies, decision period, procedures, the rubric's case type), sample parameters, reviewers."""

    STATUSES = [("draft", "草稿"), ("committed", "已承诺"), ("reviewing", "评查中"), ("published", "已公布")]
    PROCEDURES = [("general", "普通程序"), ("simple", "简易程序")]

    name = models.CharField("活动名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    rubric = models.ForeignKey(Rubric, verbose_name="评查标准", on_delete=models.PROTECT, related_name="campaigns")
    agencies = models.ManyToManyField("registry.Agency", verbose_name="被评查单位", related_name="+")
    period_start = models.DateField("决定日期起")
    period_end = models.DateField("决定日期止")
    procedures = models.JSONField("程序", default=list, blank=True)  # empty: every procedure
    min_per_agency = models.PositiveIntegerField("每单位至少抽取（件）", default=rules.MIN_PER_AGENCY_DEFAULT)
    percent_bp = models.PositiveIntegerField("抽取比例（万分比）", default=500)
    include_flagged = models.BooleanField("法定校验预警的案卷全部纳入", default=True)
    double_review = models.BooleanField("每卷两名评查人员", default=False)
    disagreement_points = models.DecimalField("分歧分差（分）", default=rules.DISAGREEMENT_POINTS_DEFAULT, **POINTS)
    deadline = models.DateField("评查完成期限")
    owner_unit = models.ForeignKey("core.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评查组长", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="draft", db_index=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="review_campaign"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "评查活动"

    def __str__(self) -> str:
        return self.name

    @property
    def percent(self):
        return self.percent_bp / 100


class CampaignSample(models.Model):
    """The frozen candidate list and the commitment (published before the draw), then the seed and the result.

    The canonical lists (a million cases are 7 MB of text) are kept zlib-compressed: the database would compress them
    anyway, ten times slower (pglz). `candidates` / `flagged` give the canonical text, whose SM3 is what is committed.
    """

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="sample")
    algorithm = models.CharField(max_length=40)
    seed = models.CharField("随机种子", max_length=64)  # secret until drawn; never served before that
    seed_hash = models.CharField(max_length=64)
    candidates_z = models.BinaryField("候选案卷名录（规范文本，zlib）")
    candidates_hash = models.CharField(max_length=64)
    candidate_count = models.PositiveIntegerField(default=0)
    flagged_z = models.BinaryField("预警案卷名录（规范文本，zlib）", blank=True)
    flagged_hash = models.CharField(max_length=64)
    flagged_count = models.PositiveIntegerField(default=0)
    params = models.TextField("抽取参数（规范 JSON）")
    params_hash = models.CharField(max_length=64)
    commitment = models.CharField("承诺值", max_length=64)
    result = models.TextField("抽取结果（规范文本）", blank=True)
    result_hash = models.CharField(max_length=64, blank=True)
    committed_at = models.DateTimeField(default=timezone.now)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评查抽样"

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.commitment[:12]}"

    @property
    def revealed(self) -> bool:
        return self.drawn_at is not None

    @staticmethod
    def pack(text: str) -> bytes:
        return zlib.compress(text.encode("ascii"), 1)

    @property
    def candidates(self) -> str:
        return zlib.decompress(bytes(self.candidates_z)).decode("ascii")

    @property
    def flagged(self) -> str:
        return zlib.decompress(bytes(self.flagged_z)).decode("ascii") if self.flagged_z else ""


class CampaignReviewer(models.Model):
    """A member of the campaign's reviewer pool: a supervisor, a legal officer of another agency, an invited
    supervisor."""

    KINDS = [
        ("supervisor", "监督人员"),
        ("agency_legal", "部门法制员"),
        ("invited_supervisor", "特邀监督员"),
        ("other", "其他"),
    ]

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("身份", max_length=20, choices=KINDS, default="other")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["campaign_id", "id"]
        verbose_name = verbose_name_plural = "评查人员库"
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="review_pool_unique")]

    def __str__(self) -> str:
        return str(self.user)


class ReviewFile(models.Model):
    """One sampled case file (案卷) of a campaign: its reviewers, and once final its score and grade."""

    STATUSES = [("pending", "待分配"), ("assigned", "评查中"), ("disagreement", "分歧待裁定"), ("final", "已定稿")]
    REASONS = [("random", "随机抽取"), ("flagged", "法定校验预警")]

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="files")
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("registry.Agency", verbose_name="被评查单位", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("抽取序号")
    reason = models.CharField("抽取方式", max_length=8, choices=REASONS, default="random")
    status = models.CharField("状态", max_length=12, choices=STATUSES, default="pending")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评查人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="第二评查人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.DecimalField("得分", null=True, blank=True, **POINTS)
    grade = models.CharField("等次", max_length=10, choices=rules.GRADES, blank=True)
    veto = models.BooleanField("否决项不合格", default=False)
    final_sheet = models.ForeignKey("ScoreSheet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    final_on = models.DateField("定稿日期", null=True, blank=True)
    resolution = models.CharField("裁定理由", max_length=500, blank=True)
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="review_file"
    )

    class Meta:
        ordering = ["campaign_id", "position"]
        verbose_name = verbose_name_plural = "评查案卷"
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="review_file_unique")]
        indexes = [
            models.Index(fields=["campaign", "agency"], name="review_file_agency"),
            models.Index(fields=["reviewer", "status"], name="review_file_reviewer"),
            models.Index(fields=["second_reviewer", "status"], name="review_file_second"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}#{self.position}"


class ScoreSheet(models.Model):
    """One reviewer's score sheet of a file (first, and with double review second)."""

    ROLES = [("first", "评查人员"), ("second", "第二评查人员")]
    STATUSES = [("draft", "评分中"), ("submitted", "已提交")]

    file = models.ForeignKey(ReviewFile, on_delete=models.CASCADE, related_name="sheets")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=ROLES, default="first")
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="draft")
    score = models.DecimalField("得分", null=True, blank=True, **POINTS)
    grade = models.CharField("等次", max_length=10, choices=rules.GRADES, blank=True)
    veto = models.BooleanField(default=False)
    capped = models.BooleanField(default=False)
    comment = models.TextField("评查意见", blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["file_id", "role"]
        verbose_name = verbose_name_plural = "评分表"
        constraints = [models.UniqueConstraint(fields=["file", "role"], name="review_sheet_role_unique")]
        indexes = [models.Index(fields=["reviewer", "submitted_on"], name="review_sheet_done")]

    def __str__(self) -> str:
        return f"{self.file_id}/{self.role}"


class ScoreLine(models.Model):
    """A deduction (扣分) or a failed veto item (否决) on a sheet. Prefilled lines come from the case's statutory
    checks, with the check's citation, and wait for the reviewer to confirm or override them (with a reason)."""

    KINDS = [("deduction", "扣分"), ("veto", "否决")]
    SOURCES = [("prefill", "法定校验预填"), ("reviewer", "评查人员")]
    DECISIONS = [("pending", "待确认"), ("confirmed", "已确认"), ("overridden", "已推翻")]

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="lines")
    rubric_item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=KINDS, default="deduction")
    defects = models.PositiveSmallIntegerField("处数", default=1)
    points = models.DecimalField("扣分", default=0, **POINTS)
    source = models.CharField(max_length=10, choices=SOURCES, default="reviewer")
    decision = models.CharField(max_length=10, choices=DECISIONS, default="confirmed")
    rule_code = models.CharField(max_length=40, blank=True)
    citation = models.CharField("依据", max_length=300, blank=True)
    finding = models.CharField("校验发现", max_length=500, blank=True)
    note = models.CharField("问题描述", max_length=500, blank=True)
    reason = models.CharField("推翻理由", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sheet_id", "id"]
        verbose_name = verbose_name_plural = "扣分明细"

    def __str__(self) -> str:
        return f"{self.sheet_id}:{self.rubric_item_id}"

    @property
    def counts(self) -> bool:
        """A line the score counts: not overridden, not still waiting for the reviewer."""
        return self.decision == "confirmed"


class ReviewOpinion(models.Model):
    """评查意见 to one agency: its defects, a number from the register, and a rectification item on the tracking core
    (the agency reports, the supervisor signs off or returns)."""

    STATUSES = [("issued", "待整改"), ("reported", "已报整改"), ("returned", "已退回"), ("closed", "已销号")]

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="opinions")
    agency = models.ForeignKey("registry.Agency", verbose_name="被评查单位", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("文号", max_length=60)
    issued_on = models.DateField("印发日期")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="issued")
    defects = models.JSONField("问题清单", default=list, blank=True)  # [{"item", "title", "count", "cases"}]
    item = models.OneToOneField(
        "tracking.TrackedItem", on_delete=models.PROTECT, related_name="review_opinion", null=True, blank=True
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = verbose_name_plural = "案卷评查意见"
        constraints = [models.UniqueConstraint(fields=["campaign", "agency"], name="review_opinion_unique")]

    def __str__(self) -> str:
        return self.number
