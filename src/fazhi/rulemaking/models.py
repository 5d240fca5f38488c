"""依法决策: major administrative decisions (重大行政决策) with their annual catalogue and public consultation, and
normative documents (行政规范性文件) with legality review, 三统一, filing, validity, cleanup and incidental review.

The procedure of a decision is a fixed order of steps (rules.DECISION_STEPS); each step's record is its own row
below, and its events (with the article) are on the decision's SM3 timeline (`item`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Attachment, Unit
from fazhi.core.search import token_vector_field

# ---------------------------------------------------------------- the annual catalogue


class DecisionCatalogue(models.Model):
    """决策事项年度目录 of a decision organ (县级以上地方人民政府): approved by the 同级党委, published, adjusted
    during the year with reasons (《重大行政决策程序暂行条例》第三条第三款)."""

    STATUSES = [("draft", "编制中"), ("consented", "党委已同意"), ("published", "已公布")]

    organ = models.ForeignKey(Unit, verbose_name="决策机关", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("目录名称", max_length=200)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="draft")
    consent_on = models.DateField("同级党委同意日期", null=True, blank=True)
    consent_ref = models.CharField("同意文件或会议", max_length=200, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "organ_id"]
        verbose_name = verbose_name_plural = "重大行政决策事项目录"
        constraints = [models.UniqueConstraint(fields=["organ", "year"], name="rulemaking_catalogue_organ_year")]

    def __str__(self) -> str:
        return self.title


class MajorDecision(models.Model):
    """重大行政决策. Proposed (第十条), listed in a catalogue, then taken through the steps of rules.DECISION_STEPS
    in the order the 条例 sets; `stage` is the next step due (or the end state)."""

    CATEGORIES = [
        ("policy", "重大公共政策和措施（公共服务、市场监管、社会管理、环境保护等）"),
        ("plan", "经济和社会发展等方面的重要规划"),
        ("resources", "开发利用、保护重要自然资源和文化资源的重大公共政策和措施"),
        ("project", "重大公共建设项目"),
        ("other", "对经济社会发展有重大影响、涉及重大公共利益或者社会公众切身利益的其他重大事项"),
    ]
    SOURCES = [
        ("leader", "决策机关领导人员提出"),
        ("department", "所属部门提出"),
        ("lower_gov", "下一级人民政府提出"),
        ("deputy", "人大代表建议"),
        ("cppcc", "政协委员提案"),
        ("public", "公民、法人或者其他组织建议"),
    ]
    STAGES = [
        ("proposed", "拟列入目录"),
        ("listed", "已列入目录，待确定程序"),
        ("consultation", "公众参与：公开征求意见"),
        ("hearing", "公众参与：听证"),
        ("expert", "专家论证"),
        ("risk", "风险评估"),
        ("review", "合法性审查"),
        ("discussion", "集体讨论决定"),
        ("publication", "待公布"),
        ("published", "已公布，执行中"),
        ("not_adopted", "未通过"),
        ("removed", "已调出目录"),
    ]

    catalogue = models.ForeignKey(
        DecisionCatalogue,
        verbose_name="所属目录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("决策事项", max_length=200)
    summary = models.TextField("事项说明", blank=True)
    category = models.CharField("事项类别", max_length=10, choices=CATEGORIES, default="policy")
    organ = models.ForeignKey(Unit, verbose_name="决策机关", on_delete=models.PROTECT, related_name="+")
    lead_unit = models.ForeignKey(Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("建议来源", max_length=12, choices=SOURCES, default="department")
    source_detail = models.CharField("建议人或建议单位", max_length=200, blank=True)
    # A 人大代表建议 / 政协提案: its number and title as text, and its id in the requests app when linked there.
    proposal_number = models.CharField("建议、提案编号", max_length=60, blank=True)
    proposal_title = models.CharField("建议、提案标题", max_length=200, blank=True)
    proposal_id = models.PositiveBigIntegerField("建议、提案记录", null=True, blank=True)
    # Procedures (第十四条、第十六条、第十九条、第二十二条): participation, experts and risk may be left out with a reason.
    procedures_set = models.BooleanField("已确定程序", default=False)
    public_participation = models.BooleanField("公众参与（公开征求意见）", default=True)
    participation_omit_reason = models.CharField("不公开征求意见的理由", max_length=300, blank=True)
    hearing_required = models.BooleanField("召开听证会", default=False)
    hearing_reason = models.CharField("召开听证会的理由", max_length=300, blank=True)
    expert_argument = models.BooleanField("专家论证", default=True)
    expert_omit_reason = models.CharField("不进行专家论证的理由", max_length=300, blank=True)
    risk_assessment = models.BooleanField("风险评估", default=True)
    risk_omit_reason = models.CharField("不进行风险评估的理由", max_length=300, blank=True)
    experts_completed_on = models.DateField("专家论证完成日期", null=True, blank=True)
    expert_adoption = models.TextField("专家论证意见研究采纳情况", blank=True)
    exploratory = models.BooleanField("探索性改革决策事项（国家尚无明确规定）", default=False)
    stage = models.CharField("进度", max_length=14, choices=STAGES, default="proposed", db_index=True)
    # Decision and publication (第三十条至第三十二条)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    party_report_on = models.DateField("向同级党委请示报告日期", null=True, blank=True)
    party_report_note = models.CharField("请示报告情况", max_length=300, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    number = models.CharField("文号", max_length=60, blank=True)
    publication_channels = models.CharField("公布途径", max_length=200, blank=True)
    decision_text = models.TextField("决策内容", blank=True)
    adoption_note = models.TextField("公众意见、专家论证意见采纳情况说明", blank=True)
    executing_unit = models.ForeignKey(
        Unit, verbose_name="决策执行单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="major_decision"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "重大行政决策"
        indexes = [models.Index(fields=["lead_unit", "year"]), models.Index(fields=["organ", "year"])]

    def __str__(self) -> str:
        return self.title


class CatalogueAdjustment(models.Model):
    """A change to a published catalogue during the year (第三条第三款: 根据实际情况调整), always with its reason."""

    KINDS = [("add", "增列"), ("remove", "调出"), ("change", "调整内容")]

    catalogue = models.ForeignKey(DecisionCatalogue, on_delete=models.PROTECT, related_name="adjustments")
    decision = models.ForeignKey(MajorDecision, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField("调整类型", max_length=8, choices=KINDS)
    reason = models.TextField("调整理由")
    consent_ref = models.CharField("党委同意情况", max_length=200, blank=True)
    adjusted_on = models.DateField("调整日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["catalogue_id", "adjusted_on", "id"]
        verbose_name = verbose_name_plural = "目录调整"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.decision}"


# ---------------------------------------------------------------- public participation


class Consultation(models.Model):
    """向社会公开征求意见 (第十五条): the draft and its explanation on the portal for at least 30 days (shorter only
    with a reason published with it); comments moderated, each answered, answers published once the period closed."""

    decision = models.OneToOneField(MajorDecision, on_delete=models.PROTECT, related_name="consultation")
    starts_on = models.DateField("征求意见开始日期")
    days = models.PositiveSmallIntegerField("征求意见期限（日）")
    ends_on = models.DateField("征求意见截止日期")
    shortened_reason = models.TextField("缩短期限的理由", blank=True)
    draft_text = models.TextField("决策草案")
    explanation = models.TextField("起草说明", blank=True)
    how_to_comment = models.CharField("提出意见的方式", max_length=300, blank=True)
    materials = models.ManyToManyField(Attachment, blank=True, related_name="+")
    answers_published_on = models.DateField("意见采纳情况公布日期", null=True, blank=True)
    adoption_summary = models.TextField("意见研究采纳情况综述", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = verbose_name_plural = "公开征求意见"

    def __str__(self) -> str:
        return str(self.decision)


class PublicComment(models.Model):
    """A comment from the public on a consultation. Shown only after moderation; answered by the lead unit as
    adopted / partly adopted / not adopted with a reason; the commenter reads the answer with the code he got."""

    STATUSES = [("pending", "待审核"), ("published", "已公开"), ("withheld", "不予公开")]
    ANSWERS = [("adopted", "采纳"), ("partly", "部分采纳"), ("not_adopted", "不予采纳")]

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    content = models.TextField("意见内容")
    name = models.CharField("姓名或单位", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    code_hash = models.CharField(max_length=64, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    status = models.CharField("审核状态", max_length=10, choices=STATUSES, default="pending")
    withhold_reason = models.CharField("不予公开的理由", max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField("采纳情况", max_length=12, choices=ANSWERS, blank=True)
    answer_reason = models.TextField("理由", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consultation_id", "submitted_at", "id"]
        verbose_name = verbose_name_plural = "公众意见"
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self) -> str:
        return self.content[:30]


class Hearing(models.Model):
    """听证会 (第十六条、第十七条): selection rules and the participant list published beforehand, materials to the
    participants at least 7 days before, the record confirmed and signed by the participants."""

    decision = models.OneToOneField(MajorDecision, on_delete=models.PROTECT, related_name="hearing")
    organiser = models.CharField("组织听证的单位", max_length=100)
    held_on = models.DateField("听证日期")
    place = models.CharField("听证地点", max_length=200)
    selection_rules = models.TextField("听证参加人遴选办法")
    rules_published_on = models.DateField("遴选办法公布日期")
    participants = models.TextField("听证参加人名单")
    participants_published_on = models.DateField("名单公布日期")
    materials_sent_on = models.DateField("材料送达日期")
    record_confirmed = models.BooleanField("参加人已确认听证记录并签字", default=False)
    held = models.BooleanField("已举行", default=False)
    summary = models.TextField("听证情况", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "听证会"

    def __str__(self) -> str:
        return f"{self.decision} 听证会"


class Expert(models.Model):
    """An expert or institution asked for an argument (第十九条、第二十条). One with a direct interest in the matter
    is recorded as excluded and gives no opinion; a written opinion is signed (署名、盖章)."""

    decision = models.ForeignKey(MajorDecision, on_delete=models.PROTECT, related_name="experts")
    name = models.CharField("专家或机构", max_length=100)
    organisation = models.CharField("工作单位", max_length=100, blank=True)
    field = models.CharField("专业领域", max_length=100, blank=True)
    interest = models.CharField("利害关系申报", max_length=300, blank=True)
    excluded = models.BooleanField("因利害关系排除", default=False)
    opinion = models.TextField("论证意见", blank=True)
    signed = models.BooleanField("书面意见已署名", default=False)
    opinion_on = models.DateField("意见日期", null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision_id", "id"]
        verbose_name = verbose_name_plural = "论证专家"

    def __str__(self) -> str:
        return self.name


class RiskAssessment(models.Model):
    """风险评估 (第二十二条至第二十四条): risk points, measures and contingency plan, the level, and whether the risk is
    controllable — only a controllable risk lets the decision go on."""

    LEVELS = [("low", "低风险"), ("medium", "中风险"), ("high", "高风险")]

    decision = models.ForeignKey(MajorDecision, on_delete=models.PROTECT, related_name="risk_assessments")
    assessor = models.CharField("评估单位", max_length=100)
    risk_points = models.TextField("风险点")
    measures = models.TextField("风险防范措施和处置预案")
    level = models.CharField("风险等级", max_length=8, choices=LEVELS)
    controllable = models.BooleanField("风险可控")
    assessed_on = models.DateField("评估日期")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision_id", "id"]
        verbose_name = verbose_name_plural = "风险评估"

    def __str__(self) -> str:
        return f"{self.decision} 风险评估"


class LegalityReview(models.Model):
    """合法性审查 (第二十五条至第二十八条). One row per submission: a draft found unlawful is revised and sent again."""

    OPINIONS = [
        ("lawful", "合法"),
        ("lawful_after_changes", "修改后合法"),
        ("unlawful", "不合法"),
        ("risk_disclosed", "国家尚无明确规定，明示法律风险"),
    ]

    decision = models.ForeignKey(MajorDecision, on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField("送审次数", default=1)
    reviewer_unit = models.ForeignKey(Unit, verbose_name="合法性审查部门", on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("送审日期")
    working_days = models.PositiveSmallIntegerField("审查时间（工作日）")
    materials_note = models.TextField("送审材料说明", blank=True)
    opinion = models.CharField("审查意见", max_length=24, choices=OPINIONS, blank=True)
    opinion_text = models.TextField("审查意见内容", blank=True)
    opinion_on = models.DateField("出具意见日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes_text = models.TextField("承办单位根据审查意见的修改情况", blank=True)
    changes_on = models.DateField("修改完成日期", null=True, blank=True)

    class Meta:
        ordering = ["decision_id", "round"]
        verbose_name = verbose_name_plural = "合法性审查"
        constraints = [models.UniqueConstraint(fields=["decision", "round"], name="rulemaking_review_round")]

    def __str__(self) -> str:
        return f"{self.decision} 第{self.round}次合法性审查"


class Discussion(models.Model):
    """集体讨论决定 (第三十条): at the 常务会议 or 全体会议; every member speaks, the head last; a decision of the head
    against the majority is explained; dissent minuted as it was said."""

    MEETINGS = [("executive", "常务会议"), ("plenary", "全体会议")]
    OUTCOMES = [("adopted", "通过"), ("revise", "修改后再次提请讨论"), ("rejected", "不予通过")]

    decision = models.ForeignKey(MajorDecision, on_delete=models.PROTECT, related_name="discussions")
    meeting_kind = models.CharField("会议类型", max_length=10, choices=MEETINGS, default="executive")
    meeting_name = models.CharField("会议名称", max_length=100)
    held_on = models.DateField("会议日期")
    members_total = models.PositiveSmallIntegerField("会议组成人员总数")
    members_present = models.PositiveSmallIntegerField("出席人数")
    attendees = models.TextField("出席、列席人员")
    # [{"speaker": "…", "role": "member" | "head", "position": "agree" | "disagree" | "abstain", "opinion": "…"}]
    speeches = models.JSONField("发言记录（按发言顺序）", default=list)
    dissent = models.TextField("不同意见", blank=True)
    head_reason = models.TextField("行政首长决定与多数意见不一致的理由", blank=True)
    outcome = models.CharField("讨论结果", max_length=10, choices=OUTCOMES)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision_id", "held_on", "id"]
        verbose_name = verbose_name_plural = "集体讨论"

    def __str__(self) -> str:
        return self.meeting_name


class ExecutionReport(models.Model):
    """决策执行情况报告 (第三十四条、第三十五条)."""

    decision = models.ForeignKey(MajorDecision, on_delete=models.PROTECT, related_name="execution_reports")
    unit = models.ForeignKey(Unit, verbose_name="报告单位", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("报告期", max_length=50)
    reported_on = models.DateField("报告日期")
    content = models.TextField("执行情况")
    problems = models.TextField("存在问题、客观情况重大变化", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision_id", "reported_on", "id"]
        verbose_name = verbose_name_plural = "决策执行情况报告"

    def __str__(self) -> str:
        return f"{self.decision} {self.period}"


class PostEvaluation(models.Model):
    """决策后评估 (第三十六条): on one of its three grounds, by a unit other than those that argued and assessed the
    decision before it was taken (and, as configured, other than the legality reviewer)."""

    TRIGGERS = [
        ("ineffective", "重大行政决策实施后明显未达到预期效果"),
        ("opinions", "公民、法人或者其他组织提出较多意见"),
        ("necessary", "决策机关认为有必要"),
    ]
    CONCLUSIONS = [("continue", "继续执行"), ("adjust", "调整决策"), ("stop", "停止执行")]

    decision = models.ForeignKey(MajorDecision, on_delete=models.PROTECT, related_name="evaluations")
    trigger = models.CharField("启动情形", max_length=12, choices=TRIGGERS)
    trigger_note = models.TextField("启动说明")
    evaluator_unit = models.ForeignKey(
        Unit, verbose_name="评估单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluator_name = models.CharField("评估单位名称", max_length=100)
    started_on = models.DateField("启动日期")
    result = models.TextField("评估结果", blank=True)
    conclusion = models.CharField("评估结论", max_length=10, choices=CONCLUSIONS, blank=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        ordering = ["decision_id", "started_on", "id"]
        verbose_name = verbose_name_plural = "决策后评估"

    def __str__(self) -> str:
        return f"{self.decision} 后评估"


# ---------------------------------------------------------------- normative documents


class NormativeDocument(models.Model):
    """行政规范性文件: draft → legality review (on a clock) → collective deliberation → 三统一 (registered and numbered
    from the documents register, issued) → published on the portal → filed → in force until its validity ends,
    it is repealed in a cleanup, or replaced."""

    KINDS = [("government", "政府规范性文件"), ("department", "部门规范性文件")]
    STAGES = [
        ("drafting", "起草中"),
        ("review", "合法性审核中"),
        ("reviewed", "已审核，待集体审议"),
        ("deliberated", "已集体审议，待登记印发"),
        ("registered", "已登记编号印发，待公布"),
        ("published", "已公布"),
        ("rejected", "未通过"),
    ]
    STATES = [("in_force", "有效"), ("repealed", "已废止"), ("expired", "已失效")]
    OPINIONS = [("lawful", "合法"), ("lawful_after_changes", "修改后合法"), ("unlawful", "不合法")]

    title = models.CharField("文件名称", max_length=200)
    kind = models.CharField("文件类别", max_length=12, choices=KINDS)
    issuer = models.ForeignKey(Unit, verbose_name="制定机关", on_delete=models.PROTECT, related_name="+")
    drafting_unit = models.ForeignKey(Unit, verbose_name="起草单位", on_delete=models.PROTECT, related_name="+")
    provisional = models.BooleanField("暂行、试行", default=False)
    draft_text = models.TextField("草案", blank=True)
    explanation = models.TextField("起草说明", blank=True)
    stage = models.CharField("进度", max_length=12, choices=STAGES, default="drafting", db_index=True)
    # Legality review (国办发〔2018〕115号)
    reviewing_unit = models.ForeignKey(
        Unit, verbose_name="合法性审核机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField("报送审核日期", null=True, blank=True)
    review_days = models.PositiveSmallIntegerField("审核时限（工作日）", null=True, blank=True)
    review_opinion = models.CharField("审核意见", max_length=24, choices=OPINIONS, blank=True)
    review_text = models.TextField("审核意见内容", blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    changes_text = models.TextField("根据审核意见的修改情况", blank=True)
    # Collective deliberation, 三统一, publication
    deliberation_meeting = models.CharField("审议会议", max_length=100, blank=True)
    deliberated_on = models.DateField("审议日期", null=True, blank=True)
    number = models.CharField("文号", max_length=60, blank=True, db_index=True)
    registered_on = models.DateField("登记印发日期", null=True, blank=True)
    text = models.TextField("正文", blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    early_effect_reason = models.CharField("公布后不足30日施行的理由", max_length=300, blank=True)
    validity_years = models.PositiveSmallIntegerField("有效期（年）", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True, db_index=True)
    state = models.CharField("效力状态", max_length=10, choices=STATES, default="in_force")
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    repeal_reason = models.TextField("废止理由", blank=True)
    amend_note = models.TextField("清理结论：需修改", blank=True)
    suspended_clauses = models.TextField("停止执行的条款", blank=True)
    expiry_reminded_on = models.DateField("到期提醒日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "行政规范性文件"
        indexes = [
            models.Index(fields=["drafting_unit", "stage"]),
            models.Index(fields=["issuer", "published_on"]),
            models.Index(fields=["state", "valid_until"]),
        ]

    def __str__(self) -> str:
        return self.title


class NormativeItem(models.Model):
    """The tracked items of a document: one per submission for legality review (its clock; the document's later
    life is recorded on the latest one) and one for the filing duties (a clock per filing body)."""

    ROLES = [("review", "合法性审核"), ("filing", "备案")]

    document = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT, related_name="items")
    item = models.OneToOneField("tracking.TrackedItem", on_delete=models.PROTECT, related_name="normative_link")
    role = models.CharField(max_length=8, choices=ROLES)

    class Meta:
        ordering = ["document_id", "id"]
        verbose_name = verbose_name_plural = "规范性文件督办事项"

    def __str__(self) -> str:
        return f"{self.document} {self.get_role_display()}"


class NormativeFiling(models.Model):
    """备案: one row per body the document is filed with, due within 30 days of publication (configurable).
    `unit` and `year` (of publication) are copied for the statistics (报备率、及时率、规范率 per unit and year)."""

    AUTHORITIES = [
        ("higher_gov", "上一级人民政府"),
        ("congress", "本级人大常委会"),
        ("gov", "本级人民政府"),
    ]

    document = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT, related_name="filings")
    authority = models.CharField("备案机关", max_length=12, choices=AUTHORITIES)
    authority_name = models.CharField("备案机关名称", max_length=100, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="报备单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    due_on = models.DateField("报备期限")
    filed_on = models.DateField("报备日期", null=True, blank=True)
    proper = models.BooleanField("报备材料齐全规范", null=True, blank=True)
    receipt = models.CharField("备案登记号或回执", max_length=100, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["document_id", "authority"]
        verbose_name = verbose_name_plural = "规范性文件备案"
        constraints = [models.UniqueConstraint(fields=["document", "authority"], name="rulemaking_filing_authority")]
        indexes = [models.Index(fields=["year", "unit"], name="rulemaking_filing_year_unit")]

    def __str__(self) -> str:
        return f"{self.document} → {self.get_authority_display()}"


class CleanupCampaign(models.Model):
    """清理: every document in force of the organiser's jurisdiction is kept, amended or repealed with reasons;
    the results are published, and a repealed document shows so on the portal."""

    STATUSES = [("open", "清理中"), ("published", "结果已公布")]

    title = models.CharField("清理名称", max_length=200)
    organiser = models.ForeignKey(Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    basis = models.CharField("清理依据", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="open")
    published_on = models.DateField("结果公布日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "规范性文件清理"

    def __str__(self) -> str:
        return self.title


class CleanupEntry(models.Model):
    RESULTS = [("keep", "继续有效"), ("amend", "修改"), ("repeal", "废止")]

    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.PROTECT, related_name="entries")
    document = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT, related_name="cleanup_entries")
    result = models.CharField("清理结果", max_length=8, choices=RESULTS, blank=True)
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign_id", "document_id"]
        verbose_name = verbose_name_plural = "清理结果"
        constraints = [models.UniqueConstraint(fields=["campaign", "document"], name="rulemaking_cleanup_document")]

    def __str__(self) -> str:
        return f"{self.document}：{self.get_result_display() or '待定'}"


class IncidentalReview(models.Model):
    """附带审查 of a normative document asked for in a reconsideration (《行政复议法》第十三条), handled on its
    clocks: the body with power handles it within 30 days (第五十六条), notifies the maker within 3 working days and
    the maker answers within 10 working days (第五十八条), then decides (第五十九条); a body without power forwards it
    within 7 working days (第五十六条) and the receiving body replies within 60 days (第六十条)."""

    PATHS = [
        ("", "待确定"),
        ("handle", "本机关有权处理"),
        ("forward", "无权处理，转送"),
        ("forwarded_in", "接受转送处理"),
    ]
    STATUSES = [
        ("received", "已收到"),
        ("notified", "已通知制定机关"),
        ("answered", "制定机关已答复"),
        ("forwarded", "已转送"),
        ("concluded", "已处理"),
    ]
    CONCLUSIONS = [("lawful", "相关条款合法"), ("unlawful", "相关条款超越权限或者违反上位法")]

    document = models.ForeignKey(
        NormativeDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="incidental_reviews"
    )
    document_ref = models.CharField("规范性文件（名称、文号）", max_length=300)
    clauses = models.CharField("申请审查的条款", max_length=300, blank=True)
    maker_unit = models.ForeignKey(
        Unit, verbose_name="制定机关", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name="处理机关", on_delete=models.PROTECT, related_name="+")
    reconsideration_label = models.CharField("行政复议案件", max_length=200)
    reconsideration_url = models.CharField("复议案件链接", max_length=300, blank=True)
    # The disputes app's record of the request (its NormativeReview id) when it came from a reconsideration: this
    # review owns the handling and its clocks; the reconsideration reads the state through rulemaking.selectors.
    source_review_id = models.PositiveBigIntegerField("复议附带审查请求", null=True, blank=True, unique=True)
    received_on = models.DateField("收到日期")
    # The day the reconsideration was suspended for the review (《行政复议法》第三十九条): the 3-day notice counts from it.
    suspended_on = models.DateField("行政复议中止日期", null=True, blank=True)
    path = models.CharField("处理方式", max_length=14, choices=PATHS, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="received")
    notified_on = models.DateField("通知制定机关日期", null=True, blank=True)
    maker_answer = models.TextField("制定机关书面答复", blank=True)
    maker_answered_on = models.DateField("答复日期", null=True, blank=True)
    forwarded_to = models.CharField("转送机关", max_length=100, blank=True)
    forwarded_on = models.DateField("转送日期", null=True, blank=True)
    conclusion = models.CharField("处理结论", max_length=10, choices=CONCLUSIONS, blank=True)
    conclusion_text = models.TextField("处理意见", blank=True)
    concluded_on = models.DateField("处理日期", null=True, blank=True)
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="incidental_review"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "附带审查"

    def __str__(self) -> str:
        return f"附带审查：{self.document_ref}"


# ---------------------------------------------------------------- the portal's search


class PortalEntry(models.Model):
    """What the portal lists and searches: every published normative document and decision, one row each, with the
    bigram search tokens of its title, number, issuer and full text (core/search.py)."""

    KINDS = [("normative", "规范性文件"), ("decision", "重大行政决策")]

    kind = models.CharField(max_length=10, choices=KINDS)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=200)
    number = models.CharField(max_length=60, blank=True)
    issuer = models.CharField(max_length=100)
    published_on = models.DateField()
    effective_on = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, default="in_force")
    search = models.TextField(blank=True, editable=False)
    search_tokens = models.TextField(blank=True, default="", db_default="", editable=False)
    search_vector = token_vector_field("search_tokens")

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = verbose_name_plural = "公开文件索引"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="rulemaking_portal_entry_object")]
        indexes = [
            models.Index(fields=["-published_on", "-id"], name="rulemaking_portal_newest"),
            models.Index(fields=["kind", "-published_on", "-id"], name="rulemaking_portal_kind_newest"),
        ]

    def __str__(self) -> str:
        return self.title
