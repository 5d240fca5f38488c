"""Enterprises, inspection items, inspector pools, plans, verifiable draws, inspection records, quiet days."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Attachment, Division

RISK_LEVELS = [("a_low", "低风险"), ("b_general", "一般风险"), ("c_elevated", "较高风险"), ("d_high", "高风险")]
RISK_LABELS = dict(RISK_LEVELS)
CREDIT_GRADES = [("A", "A 级（诚信）"), ("B", "B 级（守信）"), ("C", "C 级（失信）"), ("D", "D 级（严重失信）")]


class Enterprise(models.Model):
    """市场主体, identified by its 统一社会信用代码 (GB 32100-2015)."""

    KINDS = [
        ("llc", "有限责任公司"),
        ("joint_stock", "股份有限公司"),
        ("sole", "个人独资企业"),
        ("partnership", "合伙企业"),
        ("individual", "个体工商户"),
        ("coop", "农民专业合作社"),
        ("branch", "分支机构"),
        ("other", "其他"),
    ]

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    kind = models.CharField("类型", max_length=12, choices=KINDS, default="llc")
    industry = models.CharField("国民经济行业分类", max_length=5, blank=True, help_text="GB/T 4754，如 C1391、F5211")
    division = models.ForeignKey(Division, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("住所", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    risk_level = models.CharField("风险等级", max_length=12, choices=RISK_LEVELS, default="b_general")
    credit_grade = models.CharField("信用等级", max_length=1, choices=CREDIT_GRADES, default="B")
    group = models.CharField("企业分组", max_length=50, blank=True, help_text="如所在园区，用于企业安静生产日")
    is_active = models.BooleanField("存续", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "市场主体"
        indexes = [models.Index(fields=["division", "risk_level"]), models.Index(fields=["group"])]

    def __str__(self) -> str:
        return self.name


class InspectionItem(models.Model):
    """抽查事项清单的一项: an agency's power item of kind 行政检查 with its objects, method and basis."""

    METHODS = [
        ("onsite", "现场检查"),
        ("documents", "书面检查"),
        ("online", "网络监测"),
        ("sampling", "抽样检测"),
        ("other", "其他"),
    ]

    agency = models.ForeignKey(
        "registry.Agency", verbose_name="实施主体", on_delete=models.PROTECT, related_name="inspection_items"
    )
    power_item = models.ForeignKey(
        "registry.PowerItem", verbose_name="权责清单事项", on_delete=models.PROTECT, related_name="inspection_items"
    )
    name = models.CharField("抽查事项", max_length=200)
    targets = models.CharField("抽查对象", max_length=200)
    # The object scope (抽查对象范围) that a draw's candidates are taken from; blank = not restricted on that axis.
    scope_industries = models.CharField(
        "对象行业范围",
        max_length=200,
        blank=True,
        help_text="GB/T 4754 行业代码或其前缀，多个以逗号分隔，如 C13、C14、F521、H62；留空为不限行业",
    )
    scope_risk_levels = models.JSONField("对象风险等级范围", default=list, blank=True)
    method = models.CharField("检查方式", max_length=12, choices=METHODS, default="onsite")
    basis = models.TextField("检查依据")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["agency_id", "id"]
        verbose_name = verbose_name_plural = "抽查事项"
        constraints = [models.UniqueConstraint(fields=["agency", "power_item"], name="inspection_item_unique")]

    def __str__(self) -> str:
        return self.name


class InspectorPoolEntry(models.Model):
    """检查人员库: an officer of the agency who may be drawn; `available` off while on leave etc."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="inspector_pool")
    officer = models.OneToOneField(
        "registry.Officer", verbose_name="执法人员", on_delete=models.PROTECT, related_name="pool_entry"
    )
    available = models.BooleanField("可参加抽查", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency_id", "officer_id"]
        verbose_name = verbose_name_plural = "检查人员库"

    def __str__(self) -> str:
        return str(self.officer)


class ConflictDeclaration(models.Model):
    """利害关系申报: the officer is never drawn to inspect this enterprise."""

    officer = models.ForeignKey("registry.Officer", on_delete=models.PROTECT, related_name="conflicts")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="conflicts")
    reason = models.CharField("利害关系", max_length=200)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = verbose_name_plural = "利害关系申报"
        constraints = [models.UniqueConstraint(fields=["officer", "enterprise"], name="conflict_unique")]

    def __str__(self) -> str:
        return f"{self.officer} / {self.enterprise}"


class Plan(models.Model):
    """年度双随机抽查计划. Proportions are basis points per risk level (10000 = 100 %)."""

    STATUSES = [("draft", "草稿"), ("published", "已公示")]

    agency = models.ForeignKey(
        "registry.Agency", verbose_name="实施主体", on_delete=models.PROTECT, related_name="inspection_plans"
    )
    year = models.PositiveIntegerField("年度")
    name = models.CharField("计划名称", max_length=200)
    items = models.ManyToManyField(InspectionItem, verbose_name="抽查事项", related_name="plans")
    proportions = models.JSONField("各风险等级抽取比例（万分比）", default=dict)
    period_start = models.DateField("抽查期起")
    period_end = models.DateField("抽查期止")
    exclusion_days = models.PositiveIntegerField("同一事项已检查企业的排除期（天）", default=365)
    inspectors_per_enterprise = models.PositiveSmallIntegerField("每户检查人员数", default=2)
    # 跨部门联合抽查: `agency` leads; these agencies take part (their items and inspectors join the draw).
    joint_agencies = models.ManyToManyField(
        "registry.Agency", verbose_name="联合抽查参与部门", blank=True, related_name="joint_inspection_plans"
    )
    is_joint = models.BooleanField("跨部门联合抽查", default=False)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="draft")
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "抽查计划"

    def __str__(self) -> str:
        return self.name


class Draw(models.Model):
    """One verifiable draw of a plan's item: committed (hashes public, seed secret) → drawn → published."""

    STATUSES = [("committed", "已承诺"), ("drawn", "已抽取"), ("published", "已公布"), ("superseded", "已重抽作废")]

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="draws")
    item = models.ForeignKey(InspectionItem, verbose_name="抽查事项", on_delete=models.PROTECT, related_name="draws")
    # A joint draw covers every item of its plan (all participating agencies); `item` is the lead's first.
    joint_items = models.ManyToManyField(InspectionItem, verbose_name="联合抽查事项", blank=True, related_name="+")
    status = models.CharField("状态", max_length=12, choices=STATUSES, default="committed", db_index=True)
    algorithm = models.CharField(max_length=20)
    seed = models.CharField("随机种子", max_length=64)  # secret until drawn; never served before that
    seed_hash = models.CharField(max_length=64)
    candidates = models.TextField("抽查对象名录（规范文本）")
    candidates_hash = models.CharField(max_length=64)
    candidate_count = models.PositiveIntegerField(default=0)
    inspectors = models.TextField("检查人员名录（规范文本）")
    inspectors_hash = models.CharField(max_length=64)
    inspector_count = models.PositiveIntegerField(default=0)
    conflicts = models.TextField("利害关系清单（规范文本）", blank=True)
    conflicts_hash = models.CharField(max_length=64)
    params = models.TextField("抽取参数（规范 JSON）")
    params_hash = models.CharField(max_length=64)
    commitment = models.CharField("承诺值", max_length=64)
    result = models.TextField("抽取结果（规范文本）", blank=True)
    result_hash = models.CharField(max_length=64, blank=True)
    committed_at = models.DateTimeField(default=timezone.now)
    drawn_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    redraw_of = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="redrawn_by")
    superseded_reason = models.CharField("重抽理由", max_length=500, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-committed_at", "-id"]
        verbose_name = verbose_name_plural = "双随机抽取"

    def __str__(self) -> str:
        return f"{self.plan} / {self.item}（#{self.pk}）"

    @property
    def seed_revealed(self) -> bool:
        return self.drawn_at is not None


class DrawAssignment(models.Model):
    """One drawn enterprise and its inspectors, in draw order."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="assignments")
    position = models.PositiveIntegerField()
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="draw_assignments")
    risk_level = models.CharField(max_length=12, choices=RISK_LEVELS)
    inspectors = models.ManyToManyField("registry.Officer", related_name="draw_assignments")

    class Meta:
        ordering = ["draw_id", "position"]
        constraints = [models.UniqueConstraint(fields=["draw", "enterprise"], name="draw_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.draw_id}:{self.enterprise_id}"


class InspectionRecord(models.Model):
    """涉企行政检查记录. `source` random = from a draw; the others are non-plan inspections with a reason."""

    SOURCES = [
        ("random", "双随机抽查"),
        ("complaint", "投诉举报"),
        ("referral", "转办交办"),
        ("emergency", "突发事件应急"),
        ("other", "其他"),
    ]
    RESULTS = [
        ("ok", "未发现问题"),
        ("corrected", "发现问题已责令整改"),
        ("case", "发现问题已立案查处"),
        ("not_found", "未发现市场主体（查无下落）"),
        ("other", "其他"),
    ]

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="inspections")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="inspection_records")
    item = models.ForeignKey(InspectionItem, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    assignment = models.OneToOneField(
        DrawAssignment, null=True, blank=True, on_delete=models.PROTECT, related_name="record"
    )
    source = models.CharField("检查来源", max_length=12, choices=SOURCES, default="random")
    reason = models.CharField("检查事由", max_length=500, blank=True)
    inspected_on = models.DateField("检查日期")
    result = models.CharField("检查结果", max_length=12, choices=RESULTS, default="ok")
    problems = models.TextField("发现问题", blank=True)
    measures = models.TextField("处理措施", blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    inspectors = models.ManyToManyField("registry.Officer", blank=True, related_name="inspection_records")
    published_on = models.DateField("公示日期", null=True, blank=True)
    publication_item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = verbose_name_plural = "检查记录"
        indexes = [
            models.Index(fields=["inspected_on", "enterprise"], name="insp_rec_day_ent"),
            # Covers the burden statistics' scan of the partial months at the ends of a range (index-only).
            models.Index(fields=["inspected_on", "enterprise", "agency", "source"], name="insp_rec_day_cover"),
            models.Index(fields=["agency", "inspected_on"], name="insp_rec_agency_day"),
            models.Index(fields=["item", "inspected_on"], name="insp_rec_item_day"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.inspected_on}"

    @property
    def is_non_plan(self) -> bool:
        return self.source != "random"


class QuietDay(models.Model):
    """企业安静生产日: no routine inspection of the enterprises of a division (with its sub-divisions) or a group."""

    division = models.ForeignKey(
        Division, verbose_name="区划", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField("企业分组", max_length=50, blank=True)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("截止日期")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = verbose_name_plural = "企业安静生产日"

    def __str__(self) -> str:
        return f"{self.division or self.group} {self.start_date}–{self.end_date}"


class EnterpriseYearTally(models.Model):
    """Inspections of an enterprise in a calendar year (all agencies), in total and per month (`m01`…`m12`,
    non-plan `np01`…`np12`), kept in step with InspectionRecord by `services.inspection_record_create` in the
    same transaction; `burden_tallies_rebuild` recomputes it. One row per enterprise and year answers the
    count in any set of whole months of the year, so a date range reads one row per enterprise and year plus
    the records of the partial months' days."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    total = models.PositiveIntegerField(default=0)
    non_plan = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "enterprise"], name="ent_year_tally_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}/{self.year}: {self.total}"


MONTHS = range(1, 13)


def month_field(month: int) -> str:
    return f"m{month:02d}"


def month_non_plan_field(month: int) -> str:
    return f"np{month:02d}"


for _month in MONTHS:
    EnterpriseYearTally.add_to_class(month_field(_month), models.PositiveIntegerField(default=0))
for _month in MONTHS:
    EnterpriseYearTally.add_to_class(month_non_plan_field(_month), models.PositiveIntegerField(default=0))


class AgencyYearTally(models.Model):
    """Inspections made by an agency in a calendar year (same upkeep as EnterpriseYearTally)."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    total = models.PositiveIntegerField(default=0)
    non_plan = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "agency"], name="agency_year_tally_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.total}"


class AgencyMonthTally(models.Model):
    """Inspections made by an agency in a calendar month (`month` is its first day; same upkeep as the yearly
    tallies), so that any date range sums whole months and scans the records only for the partial months."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    total = models.PositiveIntegerField(default=0)
    non_plan = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "agency"], name="agency_month_tally_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.month:%Y-%m}: {self.total}"


class InspectionFeedback(models.Model):
    """The inspected enterprise's rating of one published inspection, given once through its signed link."""

    RATINGS = [("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")]
    SCORES = {"satisfied": 3, "basic": 2, "dissatisfied": 1}

    record = models.OneToOneField(InspectionRecord, on_delete=models.PROTECT, related_name="feedback")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField("评价", max_length=12, choices=RATINGS)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField("意见建议", blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name="反映的不当行为",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "企业评价"
        indexes = [models.Index(fields=["agency", "created_at"], name="insp_feedback_agency")]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.get_rating_display()}"
