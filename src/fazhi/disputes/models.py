"""Administrative disputes: reconsideration (行政复议, 2023 law), litigation (行政应诉) with the heads' court
appearance, judicial and procuratorial suggestions.

The fields that the statistics group and count by (respondent / defendant unit, division, received and decided
dates, outcome, corrected, on time, lost) are columns of the record itself, so that the statistics are one
grouped query. Deadlines are statutory clocks of the records' tracked items (fazhi.tracking.clocks).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Attachment, Division, Unit

PARTY_KINDS = [("person", "自然人"), ("organisation", "法人或其他组织")]


class AgencyHead(models.Model):
    """A head of an agency who may appear in court for it: 正职, 副职 or a head in charge of the contested work
    (最高人民法院《关于行政机关负责人出庭应诉若干问题的规定》(2020) 第二条). Kept by the agency's legal officer;
    a hearing's appearance is checked against this list."""

    KINDS = [("principal", "正职负责人"), ("deputy", "副职负责人"), ("in_charge", "分管负责人")]

    agency = models.ForeignKey("registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=50)
    kind = models.CharField("负责人类别", max_length=10, choices=KINDS)
    is_active = models.BooleanField("在任", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency_id", "kind", "id"]
        verbose_name = verbose_name_plural = "行政机关负责人"
        constraints = [models.UniqueConstraint(fields=["agency", "name", "post"], name="disputes_head_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"


# ---------------------------------------------------------------- reconsideration


class Reconsideration(models.Model):
    """行政复议案件, from the application to the decision and its service."""

    CHANNELS = [
        ("window", "当面提交"),
        ("post", "邮寄"),
        ("oral", "口头申请"),
        ("online", "网上申请"),
        ("forwarded", "处罚机关转送"),
        ("api", "接口提交"),
    ]
    STATUSES = [
        ("review", "受理审查"),
        ("correction", "补正中"),
        ("accepted", "审理中"),
        ("suspended", "中止审理"),
        ("decided", "已作出决定"),
        ("terminated", "终止"),
        ("refused", "不予受理"),
        ("abandoned", "视为放弃申请"),
    ]
    PROCEDURES = [("ordinary", "普通程序"), ("simple", "简易程序")]
    ACT_KINDS = [
        ("penalty", "行政处罚"),
        ("coercion", "行政强制"),
        ("licence", "行政许可"),
        ("inaction", "不履行法定职责"),
        ("disclosure", "政府信息公开"),
        ("other", "其他行政行为"),
    ]

    tracking_code = models.CharField("查询码", max_length=20, unique=True)
    password_salt = models.CharField(max_length=32, blank=True)
    password_hash = models.CharField(max_length=64, blank=True)
    submit_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField("申请方式", max_length=10, choices=CHANNELS, default="window")
    status = models.CharField("状态", max_length=12, choices=STATUSES, default="review", db_index=True)
    procedure = models.CharField("审理程序", max_length=10, choices=PROCEDURES, default="ordinary")

    body_unit = models.ForeignKey(Unit, verbose_name="行政复议机构", on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(
        "registry.Agency", verbose_name="被申请人", on_delete=models.PROTECT, related_name="+"
    )
    respondent_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    applicant_kind = models.CharField("申请人类型", max_length=12, choices=PARTY_KINDS)
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_id_number = models.CharField("身份证号", max_length=18, blank=True)
    applicant_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    applicant_phone = models.CharField("联系电话", max_length=20, blank=True)
    applicant_address = models.CharField("联系地址", max_length=200, blank=True)
    agent_name = models.CharField("委托代理人", max_length=100, blank=True)
    agent_kind = models.CharField("代理人身份", max_length=30, blank=True, help_text="律师、基层法律服务工作者或其他")
    third_parties = models.TextField("第三人", blank=True, help_text="一行一个")

    act = models.TextField("被申请复议的行政行为")
    act_kind = models.CharField("行为类型", max_length=12, choices=ACT_KINDS, default="penalty")
    act_number = models.CharField("决定书文号", max_length=80, blank=True)
    act_date = models.DateField("行政行为作出日期", null=True, blank=True)
    act_on_the_spot = models.BooleanField("当场作出", default=False)
    act_is_warning = models.BooleanField("警告或者通报批评", default=False)
    amount = models.DecimalField("涉及款额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    real_property = models.BooleanField("因不动产提出", default=False)
    parties_agree_simple = models.BooleanField("各方同意适用简易程序", default=False)
    # The penalty case (cases.Case) the contested act is, when it is one: linked through cases.selectors.
    case = models.ForeignKey(
        "cases.Case", verbose_name="行政处罚案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request = models.TextField("行政复议请求", blank=True)
    facts = models.TextField("事实和理由", blank=True)

    known_on = models.DateField("知道或应当知道行政行为之日")
    told_of_right = models.BooleanField("已告知申请复议的权利、复议机关和期限", default=True)
    right_known_on = models.DateField("知道申请复议权利之日", null=True, blank=True)
    obstacle_from = models.DateField("耽误期限开始", null=True, blank=True)
    obstacle_to = models.DateField("障碍消除", null=True, blank=True)
    obstacle_reason = models.CharField("耽误期限的事由", max_length=200, blank=True)
    submitted_on = models.DateField("提出申请之日")
    received_on = models.DateField("复议机关收到申请之日")
    forwarded_on = models.DateField("处罚机关转送之日", null=True, blank=True)
    period_deadline = models.DateField("申请期限届满日", null=True, blank=True)
    period_expired = models.BooleanField("超过申请期限", default=False)

    correction_items = models.TextField("补正事项", blank=True)
    correction_requested_on = models.DateField("通知补正之日", null=True, blank=True)
    correction_received_on = models.DateField("收到补正材料之日", null=True, blank=True)
    accepted_on = models.DateField("受理之日", null=True, blank=True)
    acceptance_deemed = models.BooleanField("视为受理", default=False)
    refused_on = models.DateField("不予受理之日", null=True, blank=True)
    refusal_reason = models.TextField("不予受理理由", blank=True)
    competent_body = models.CharField("有管辖权的行政复议机关", max_length=100, blank=True)

    copy_sent_on = models.DateField("发送申请书副本之日", null=True, blank=True)
    copy_received_on = models.DateField("被申请人收到副本之日", null=True, blank=True)
    answered_on = models.DateField("被申请人答复之日", null=True, blank=True)
    answer = models.TextField("被申请人书面答复", blank=True)
    suspended_on = models.DateField("中止之日", null=True, blank=True)
    suspension_ground = models.CharField("中止情形", max_length=10, blank=True)
    extension_days = models.PositiveIntegerField("延长天数", default=0)
    extension_approver = models.CharField("批准人", max_length=50, blank=True)

    decided_on = models.DateField("决定之日", null=True, blank=True)
    outcome = models.CharField("决定类型", max_length=12, blank=True, db_index=True)
    redo_ordered = models.BooleanField("责令重新作出行政行为", default=False)
    decision_reasons = models.TextField("决定理由", blank=True)
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    decision_deadline = models.DateField("决定期限", null=True, blank=True)
    on_time = models.BooleanField("按期作出决定", null=True, blank=True)
    corrected = models.BooleanField("纠错", default=False)
    served_on = models.DateField("决定书送达之日", null=True, blank=True)
    published_on = models.DateField("网上公开之日", null=True, blank=True)
    published_text = models.TextField("公开文本（已脱敏）", blank=True)
    terminated_ground = models.CharField("终止情形", max_length=10, blank=True)

    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The respondent's duty to answer (第四十八条 / 第五十四条) in its own inbox.
    answer_item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "行政复议案件"
        indexes = [
            models.Index(fields=["respondent_unit", "received_on"], name="disputes_rc_unit_received"),
            models.Index(fields=["body_unit", "received_on"], name="disputes_rc_body_received"),
            # The statistics (selectors.dispute_stats) read these alone (index-only scans on PostgreSQL): intake by
            # the day received, outcomes by the day decided.
            models.Index(
                fields=["received_on", "respondent_unit", "division", "status", "accepted_on"],
                name="disputes_rc_intake",
            ),
            models.Index(
                fields=["decided_on", "respondent_unit", "division", "outcome", "corrected", "on_time"],
                condition=~models.Q(outcome=""),
                name="disputes_rc_outcomes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.applicant_name}诉{self.respondent_unit}"

    @property
    def title(self) -> str:
        return f"{self.applicant_name}不服{self.respondent_unit.name}{self.get_act_kind_display()}"


class ReconsiderationHearing(models.Model):
    """听证 (第五十条、第五十一条): notice at least five working days ahead; the respondent's head attends."""

    reconsideration = models.ForeignKey(Reconsideration, on_delete=models.CASCADE, related_name="hearings")
    notice_on = models.DateField("通知之日")
    held_on = models.DateField("听证之日")
    place = models.CharField("地点", max_length=100)
    matters = models.CharField("拟听证事项", max_length=300)
    head_attended = models.BooleanField("被申请人负责人参加", null=True, blank=True)
    head = models.ForeignKey(AgencyHead, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stand_in = models.CharField("受委托参加的工作人员", max_length=50, blank=True)
    absence_reason = models.CharField("负责人不能参加的理由", max_length=300, blank=True)
    record = models.TextField("听证笔录摘要", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reconsideration_id", "held_on", "id"]
        verbose_name = verbose_name_plural = "行政复议听证"

    def __str__(self) -> str:
        return f"{self.reconsideration_id} 听证 {self.held_on}"


class Committee(models.Model):
    """行政复议委员会 of a government (第五十二条): a term, its members; it gives 咨询意见 on referred cases."""

    unit = models.ForeignKey(Unit, verbose_name="行政复议机构", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    term_from = models.DateField("本届任期起")
    term_to = models.DateField("本届任期止")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit_id", "-term_from", "id"]
        verbose_name = verbose_name_plural = "行政复议委员会"

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    KINDS = [("official", "政府部门"), ("expert", "专家"), ("scholar", "学者"), ("lawyer", "律师"), ("other", "其他")]

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类别", max_length=10, choices=KINDS)
    organisation = models.CharField("工作单位及职务", max_length=100)
    is_active = models.BooleanField("在任", default=True)

    class Meta:
        ordering = ["committee_id", "kind", "id"]
        verbose_name = verbose_name_plural = "行政复议委员会委员"

    def __str__(self) -> str:
        return self.name


class CommitteeReferral(models.Model):
    """A case put to the committee for its 咨询意见 (第五十二条第二款), and the opinion."""

    GROUNDS = [
        ("1", "案情重大、疑难、复杂"),
        ("2", "专业性、技术性较强"),
        ("3", "第二十四条第二款规定的案件"),
        ("4", "行政复议机构认为有必要"),
    ]

    reconsideration = models.ForeignKey(Reconsideration, on_delete=models.CASCADE, related_name="referrals")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="referrals")
    ground = models.CharField("提请情形", max_length=2, choices=GROUNDS)
    referred_on = models.DateField("提请之日")
    opinion = models.TextField("咨询意见", blank=True)
    opinion_on = models.DateField("提出意见之日", null=True, blank=True)

    class Meta:
        ordering = ["reconsideration_id", "referred_on", "id"]
        verbose_name = verbose_name_plural = "提请行政复议委员会咨询"

    def __str__(self) -> str:
        return f"{self.reconsideration_id} → {self.committee}"


class OpinionLetter(models.Model):
    """行政复议意见书 (第七十六条): the agency reports its correction within 60 days of receipt."""

    reconsideration = models.ForeignKey(Reconsideration, on_delete=models.PROTECT, related_name="opinions")
    agency = models.ForeignKey("registry.Agency", verbose_name="制发对象", on_delete=models.PROTECT, related_name="+")
    agency_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    number = models.CharField("文号", max_length=60)
    issued_on = models.DateField("制发之日")
    received_on = models.DateField("收到之日")
    content = models.TextField("违法或者不当的行政行为及纠正意见")
    reported_on = models.DateField("报送纠正情况之日", null=True, blank=True)
    report = models.TextField("纠正情况", blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = verbose_name_plural = "行政复议意见书"

    def __str__(self) -> str:
        return self.number


class NormativeReview(models.Model):
    """附带审查 of a normative document (第十三条, 第五十六条至第六十条): handled by the body within 30 days when it
    may, else transferred within 7 working days to the competent organ, which replies within 60 days."""

    SOURCES = [("applicant", "申请人提出（第五十六条）"), ("ex_officio", "审查中发现（第五十七条）")]
    STATUSES = [
        ("pending", "审查中"),
        ("handled", "已处理"),
        ("transferred", "已转送"),
        ("replied", "已收到处理意见"),
    ]
    RESULTS = [("", "—"), ("lawful", "相关条款合法"), ("unlawful", "停止执行并责令纠正")]

    reconsideration = models.ForeignKey(Reconsideration, on_delete=models.PROTECT, related_name="normative_reviews")
    document_title = models.CharField("规范性文件名称", max_length=200)
    document_number = models.CharField("文号", max_length=80, blank=True)
    issuer = models.CharField("制定机关", max_length=100)
    articles = models.CharField("相关条款", max_length=200)
    source = models.CharField("来源", max_length=12, choices=SOURCES)
    competent = models.BooleanField("本机关有权处理", default=True)
    started_on = models.DateField("收到申请或发现之日")
    status = models.CharField("状态", max_length=12, choices=STATUSES, default="pending")
    maker_notified_on = models.DateField("通知制定机关之日", null=True, blank=True)
    maker_answered_on = models.DateField("制定机关答复之日", null=True, blank=True)
    transferred_to = models.CharField("转送机关", max_length=100, blank=True)
    transferred_on = models.DateField("转送之日", null=True, blank=True)
    replied_on = models.DateField("收到处理意见之日", null=True, blank=True)
    handled_on = models.DateField("处理之日", null=True, blank=True)
    result = models.CharField("处理结果", max_length=10, choices=RESULTS, blank=True)
    result_note = models.TextField("处理意见", blank=True)
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = verbose_name_plural = "规范性文件附带审查"

    def __str__(self) -> str:
        return self.document_title


# ---------------------------------------------------------------- litigation


class Litigation(models.Model):
    """行政应诉: a suit against an agency, its hearings with the head's appearance, the judgment and enforcement."""

    INSTANCES = [("first", "一审"), ("second", "二审"), ("retrial", "再审")]
    STATUSES = [("pending", "审理中"), ("judged", "已判决/裁定"), ("closed", "已结案")]
    ENFORCEMENT = [("", "—"), ("pending", "履行中"), ("done", "已履行"), ("none", "无需履行")]

    court = models.CharField("法院", max_length=100)
    case_number = models.CharField("案号", max_length=60, unique=True)
    instance = models.CharField("审级", max_length=10, choices=INSTANCES, default="first")
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="pending", db_index=True)
    plaintiff_kind = models.CharField("原告类型", max_length=12, choices=PARTY_KINDS)
    plaintiff_name = models.CharField("原告", max_length=100)
    plaintiff_id_number = models.CharField("身份证号", max_length=18, blank=True)
    plaintiff_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    defendant = models.ForeignKey("registry.Agency", verbose_name="被告", on_delete=models.PROTECT, related_name="+")
    defendant_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    act = models.TextField("被诉行政行为")
    act_date = models.DateField("行政行为作出日期", null=True, blank=True)
    real_property = models.BooleanField("因不动产提起", default=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name="行政处罚案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reconsideration = models.ForeignKey(
        Reconsideration,
        verbose_name="经复议的案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="litigations",
    )
    known_on = models.DateField("知道或应当知道行政行为之日", null=True, blank=True)
    decision_received_on = models.DateField("收到复议决定书之日", null=True, blank=True)
    filed_on = models.DateField("起诉之日")
    period_deadline = models.DateField("起诉期限届满日", null=True, blank=True)
    period_expired = models.BooleanField("超过起诉期限", default=False)
    served_on = models.DateField("收到起诉状副本之日")
    defence_on = models.DateField("提交答辩状和证据之日", null=True, blank=True)
    judgment_kind = models.CharField("裁判结果", max_length=20, blank=True)
    judgment_on = models.DateField("裁判之日", null=True, blank=True, db_index=True)
    judgment_served_on = models.DateField("裁判文书送达之日", null=True, blank=True)
    lost = models.BooleanField("败诉", default=False)
    appealed_on = models.DateField("上诉之日", null=True, blank=True)
    appealed_by = models.CharField("上诉人", max_length=20, blank=True)
    effective_on = models.DateField("生效之日", null=True, blank=True)
    enforcement = models.CharField("履行情况", max_length=8, choices=ENFORCEMENT, blank=True)
    enforcement_note = models.CharField("履行说明", max_length=300, blank=True)
    enforced_on = models.DateField("履行完毕之日", null=True, blank=True)
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = verbose_name_plural = "行政应诉案件"
        indexes = [
            models.Index(fields=["defendant_unit", "filed_on"], name="disputes_lit_unit_filed"),
            models.Index(fields=["defendant_unit", "judgment_on"], name="disputes_lit_unit_judged"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.plaintiff_name}诉{self.defendant_unit}"


class CourtHearing(models.Model):
    """One hearing of a suit and who appeared for the defendant (《行政诉讼法》第三条第三款)."""

    litigation = models.ForeignKey(Litigation, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField("开庭之日")
    summons_received_on = models.DateField("收到出庭通知书之日", null=True, blank=True)
    head_summoned = models.BooleanField("法院通知负责人出庭", default=False)
    recorded = models.BooleanField("已登记出庭情况", default=False)
    head = models.ForeignKey(AgencyHead, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    head_appeared = models.BooleanField("负责人出庭", default=False)
    staff_name = models.CharField("出庭工作人员", max_length=100, blank=True)
    lawyer_name = models.CharField("委托律师", max_length=100, blank=True)
    absence_reason = models.CharField("负责人不能出庭的理由", max_length=300, blank=True)
    absence_ground = models.CharField("不能出庭的情形", max_length=2, blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")  # proof of a head's absence
    summons_files = models.ManyToManyField(Attachment, verbose_name="出庭通知书", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["litigation_id", "held_on", "id"]
        verbose_name = verbose_name_plural = "开庭与出庭应诉"

    def __str__(self) -> str:
        return f"{self.litigation_id} 开庭 {self.held_on}"


class Suggestion(models.Model):
    """司法建议 / 检察建议 to an agency, and its reply with evidence."""

    KINDS = [("judicial", "司法建议"), ("procuratorial", "检察建议")]
    STATUSES = [("open", "待答复"), ("replied", "已答复")]

    kind = models.CharField("类型", max_length=14, choices=KINDS)
    issuer = models.CharField("提出机关", max_length=100)
    number = models.CharField("文号", max_length=80)
    agency = models.ForeignKey("registry.Agency", verbose_name="被建议单位", on_delete=models.PROTECT, related_name="+")
    agency_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    litigation = models.ForeignKey(
        Litigation, null=True, blank=True, on_delete=models.PROTECT, related_name="suggestions"
    )
    content = models.TextField("建议内容")
    received_on = models.DateField("收到之日", db_index=True)
    urgent = models.BooleanField("紧急情形", default=False)
    period_unit = models.CharField(max_length=10, default="months")
    period_length = models.PositiveIntegerField(default=2)
    deadline = models.DateField("答复期限", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="open")
    replied_on = models.DateField("答复之日", null=True, blank=True)
    reply = models.TextField("答复内容", blank=True)
    on_time = models.BooleanField("按期答复", null=True, blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = verbose_name_plural = "司法建议和检察建议"
        constraints = [models.UniqueConstraint(fields=["issuer", "number"], name="disputes_suggestion_unique")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.number}"


class QueryAttempt(models.Model):
    """A failed public status query (wrong code or password), counted per IP for the rate limit."""

    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"], name="disputes_query_ip_at")]

    def __str__(self) -> str:
        return f"{self.ip} {self.at:%Y-%m-%d %H:%M}"


OUTCOME_CODES = (
    "varied",
    "annulled",
    "unlawful",
    "perform",
    "void",
    "upheld",
    "rejected",
    "dismissed",
    "mediated",
    "withdrawn",
    "terminated",
)


class ReconsiderationTally(models.Model):
    """Reconsiderations counted per body, respondent, division and year, kept by the services in the transaction
    of each step (received, accepted, refused → the year received; concluded → the year decided), so that the
    statistics read a few hundred rows instead of the province's cases. `services.reconsideration_tallies_rebuild`
    recomputes it from the cases (after a bulk load)."""

    body_unit_id = models.BigIntegerField()
    respondent_unit_id = models.BigIntegerField()
    division_id = models.BigIntegerField(default=0)  # 0: the respondent's unit has no division
    year = models.PositiveSmallIntegerField()
    applications = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    concluded = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    corrected = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    o_varied = models.PositiveIntegerField(default=0)
    o_annulled = models.PositiveIntegerField(default=0)
    o_unlawful = models.PositiveIntegerField(default=0)
    o_perform = models.PositiveIntegerField(default=0)
    o_void = models.PositiveIntegerField(default=0)
    o_upheld = models.PositiveIntegerField(default=0)
    o_rejected = models.PositiveIntegerField(default=0)
    o_dismissed = models.PositiveIntegerField(default=0)
    o_mediated = models.PositiveIntegerField(default=0)
    o_withdrawn = models.PositiveIntegerField(default=0)
    o_terminated = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "行政复议统计计数"
        constraints = [
            models.UniqueConstraint(
                fields=["body_unit_id", "respondent_unit_id", "division_id", "year"],
                name="disputes_tally_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.respondent_unit_id}"
