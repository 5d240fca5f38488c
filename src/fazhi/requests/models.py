"""人大代表建议、政协提案 (deputies' suggestions and CPPCC proposals) and 政府信息公开申请 (information disclosure
on request).

A proposal is registered in a session, assigned (交办) to a lead unit and co-units, answered by a reply that is
drafted, approved (签发) and issued as a numbered document, and rated by its proposer. A disclosure request is
received through a channel on the day 第三十一条 fixes, runs on the statutory clocks of the tracking core
(20 working days, 补正 restarts, consultations pause, extension capped) and ends in an answer document.
The statistics group and count columns of these rows (set-based SQL).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Division, Unit

# ---------------------------------------------------------------- deputies' suggestions and CPPCC proposals

BODIES = [("npc", "人民代表大会"), ("cppcc", "政治协商会议")]
PROPOSAL_KINDS = [("suggestion", "人大代表建议"), ("proposal", "政协提案")]
CLASSIFICATIONS = [
    ("A", "A类：所提问题已经解决或基本解决"),
    ("B", "B类：所提问题列入计划逐步解决"),
    ("C", "C类：所提问题因条件限制暂不能解决"),
]
SATISFACTION = [("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")]


class Session(models.Model):
    """届次与会议: the session of the 人民代表大会 or the 政协 in which the items were raised (meeting 0: raised
    between sessions, 闭会期间)."""

    body = models.CharField("机关", max_length=10, choices=BODIES)
    division = models.ForeignKey(Division, verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    term = models.PositiveSmallIntegerField("届次")
    meeting = models.PositiveSmallIntegerField("会议", help_text="第几次会议；0 表示闭会期间")
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=120)
    opened_on = models.DateField("开幕日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "body", "-term", "-meeting", "id"]
        verbose_name = verbose_name_plural = "会议届次"
        constraints = [
            models.UniqueConstraint(
                fields=["body", "division", "term", "meeting", "year"], name="requests_session_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind(self) -> str:
        return "suggestion" if self.body == "npc" else "proposal"


class Proposal(models.Model):
    STATUSES = [
        ("registered", "待交办"),
        ("assigned", "办理中"),
        ("return_requested", "申请退回"),
        ("replied", "已答复待评价"),
        ("rereplying", "不满意重新办理"),
        ("done", "已办结"),
    ]

    session = models.ForeignKey(Session, verbose_name="会议届次", on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField("类别", max_length=12, choices=PROPOSAL_KINDS, db_index=True)
    number = models.CharField("编号", max_length=20)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("内容")
    registered_on = models.DateField("登记日期")
    status = models.CharField("状态", max_length=20, choices=STATUSES, default="registered", db_index=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    # The current reply deadline (the lead item's clock), copied so that lists and statistics read a column.
    reply_deadline = models.DateField("答复期限", null=True, blank=True)
    # 延期: the lead unit asks, the assigning body consents (recorded), the reply clock is extended (cap 3 months).
    extension_months = models.PositiveSmallIntegerField("延期（月）", default=0)
    extension_requested = models.PositiveSmallIntegerField("申请延期（月）", default=0)
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)
    extension_consent = models.CharField("交办机关同意延期记录", max_length=300, blank=True)
    secret = models.BooleanField("不予公开", default=False)
    secret_reason = models.CharField("不公开理由", max_length=300, blank=True)
    first_replied_on = models.DateField("首次答复日期", null=True, blank=True)
    on_time = models.BooleanField("按期答复", null=True, blank=True)
    classification = models.CharField("办理结果分类", max_length=1, choices=CLASSIFICATIONS, blank=True)
    attitude = models.CharField("办理态度评价", max_length=12, choices=SATISFACTION, blank=True)
    result = models.CharField("办理结果评价", max_length=12, choices=SATISFACTION, blank=True)
    rated_on = models.DateField("评价日期", null=True, blank=True)
    first_dissatisfied = models.BooleanField("首次答复不满意", default=False)
    item = models.ForeignKey("tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Every tracked item the proposal ever had (handling, co-units' views, a re-reply): their timelines are its.
    items = models.ManyToManyField("tracking.TrackedItem", blank=True, related_name="proposals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session_id", "number", "id"]
        verbose_name = verbose_name_plural = "建议提案"
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="requests_proposal_number")]
        indexes = [models.Index(fields=["lead_unit", "session"], name="requests_proposal_unit")]

    def __str__(self) -> str:
        return f"第{self.number}号 {self.title}"

    @property
    def kind_word(self) -> str:
        return "建议" if self.kind == "suggestion" else "提案"


class Proposer(models.Model):
    """A deputy or member (or, for a CPPCC proposal, a party, group or committee) who raised the item. Joint items
    have several; the first (领衔) gives the rating for all (《山东省人民代表大会代表建议、批评和意见办理工作条例》
    (2017) 第二十三条)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="proposers")
    name = models.CharField("姓名或名称", max_length=100)
    delegation = models.CharField("代表团 / 界别", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_lead = models.BooleanField("领衔", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal_id", "order", "id"]
        verbose_name = verbose_name_plural = "提出人"

    def __str__(self) -> str:
        return self.name


class ProposalUnit(models.Model):
    """A unit's share of a proposal: the lead unit (主办) replies, a co-unit (协办) gives its view first. A unit
    that returned a wrongly assigned item keeps its (inactive) row, so that the history stays visible to it."""

    ROLES = [("lead", "主办"), ("co", "协办")]
    STATUSES = [
        ("assigned", "办理中"),
        ("return_requested", "申请退回"),
        ("returned", "已退回"),
        ("viewed", "已提出协办意见"),
    ]

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("角色", max_length=4, choices=ROLES)
    status = models.CharField("状态", max_length=20, choices=STATUSES, default="assigned")
    active = models.BooleanField(default=True)
    assigned_on = models.DateField("交办日期")
    return_reason = models.CharField("退回理由", max_length=500, blank=True)
    return_requested_on = models.DateField("申请退回日期", null=True, blank=True)
    view_text = models.TextField("协办意见", blank=True)
    view_on = models.DateField("提出意见日期", null=True, blank=True)
    view_deadline = models.DateField("协办意见期限", null=True, blank=True)
    item = models.ForeignKey("tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["proposal_id", "-role", "id"]
        verbose_name = verbose_name_plural = "承办单位"
        indexes = [models.Index(fields=["unit", "active"], name="requests_punit_unit")]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"


class ProposalReply(models.Model):
    """A reply of the lead unit. Round 1 answers the assignment; round 2 the proposer's dissatisfaction."""

    STATUSES = [("draft", "草稿"), ("approved", "已签发"), ("issued", "已答复")]

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField("轮次", default=1)
    unit = models.ForeignKey(Unit, verbose_name="答复单位", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("答复内容")
    classification = models.CharField("办理结果分类", max_length=1, choices=CLASSIFICATIONS)
    c_reason = models.TextField("暂不能解决的原因", blank=True)
    contact = models.CharField("联系人及电话", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="draft")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drafted_at = models.DateTimeField(default=timezone.now)
    signer = models.CharField("签发人", max_length=50, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField("签发日期", null=True, blank=True)
    issued_on = models.DateField("答复日期", null=True, blank=True)
    number = models.CharField("文号", max_length=60, blank=True)
    document = models.ForeignKey(
        "documents.GeneratedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published = models.BooleanField("在门户公开", default=False)
    attitude = models.CharField("办理态度评价", max_length=12, choices=SATISFACTION, blank=True)
    result = models.CharField("办理结果评价", max_length=12, choices=SATISFACTION, blank=True)
    rating_comment = models.TextField("评价意见", blank=True)
    rated_on = models.DateField("评价日期", null=True, blank=True)
    rated_by = models.ForeignKey(Proposer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rating_channel = models.CharField("评价方式", max_length=10, blank=True)  # "link" | "paper"

    class Meta:
        ordering = ["proposal_id", "round", "id"]
        verbose_name = verbose_name_plural = "建议提案答复"
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="requests_reply_round")]

    def __str__(self) -> str:
        return f"{self.proposal}（第{self.round}次答复）"


# ---------------------------------------------------------------- information disclosure on request

CHANNELS = [
    ("online", "互联网"),
    ("window", "当面提交"),
    ("post", "邮寄（签收）"),
    ("letter", "平常信函"),
    ("fax", "传真"),
]
SOURCES = [("portal", "门户网站"), ("api", "接口"), ("staff", "工作人员登记")]
APPLICANT_KINDS = [("person", "自然人"), ("organisation", "法人或其他组织")]
ORG_TYPES = [
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("charity", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他"),
]


class DisclosureRequest(models.Model):
    STATUSES = [
        ("awaiting_confirmation", "待确认收到"),
        ("processing", "办理中"),
        ("correction", "待补正"),
        ("consulting", "征求意见中"),
        ("answered", "已答复待送达"),
        ("delivered", "已送达"),
        ("abandoned", "视为放弃申请"),
        ("withdrawn", "申请人撤回"),
    ]

    tracking_code = models.CharField("查询码", max_length=20, unique=True)
    password_salt = models.CharField(max_length=32, blank=True)
    password_hash = models.CharField(max_length=64, blank=True)
    agency = models.ForeignKey(Unit, verbose_name="受理机关", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("申请方式", max_length=10, choices=CHANNELS, db_index=True)
    source = models.CharField("来源", max_length=10, choices=SOURCES, default="staff")
    applicant_kind = models.CharField("申请人类型", max_length=12, choices=APPLICANT_KINDS)
    org_type = models.CharField("组织类型", max_length=10, choices=ORG_TYPES, blank=True)
    applicant_name = models.CharField("申请人姓名或名称", max_length=100)
    id_number = models.CharField("证件号码", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    email = models.CharField("电子邮箱", max_length=254, blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    content = models.TextField("所需政府信息描述")
    form_wanted = models.CharField("获取信息的方式", max_length=100, blank=True)
    submitted_on = models.DateField("提交日期")
    received_on = models.DateField("收到申请之日", null=True, blank=True, db_index=True)
    status = models.CharField("状态", max_length=24, choices=STATUSES, default="processing", db_index=True)
    correction_requested_on = models.DateField("告知补正日期", null=True, blank=True)
    correction_items = models.TextField("需要补正的事项", blank=True)
    correction_received_on = models.DateField("收到补正日期", null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField("已延长（工作日）", default=0)
    answer_kind = models.CharField("答复类型", max_length=20, blank=True, db_index=True)
    answer_ground = models.CharField("答复依据", max_length=30, blank=True)
    answer_text = models.TextField("答复内容", blank=True)
    competent_body = models.CharField("负责公开的机关", max_length=200, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answer_number = models.CharField("答复书文号", max_length=60, blank=True)
    on_time = models.BooleanField("按期答复", null=True, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=40, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="disclosure_requests"
    )
    submit_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    ip = models.GenericIPAddressField("提交 IP", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = verbose_name_plural = "政府信息公开申请"
        indexes = [
            models.Index(fields=["agency", "received_on"], name="requests_dr_agency_received"),
            models.Index(fields=["agency", "concluded_on"], name="requests_dr_agency_concluded"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def title(self) -> str:
        text = " ".join(self.content.split())
        return text[:30] + ("…" if len(text) > 30 else "")


class Consultation(models.Model):
    """征求意见: a third party (第三十二条) or another agency (第三十四条) asked for its view; the time it takes does not
    count towards the answer period (第三十三条第三款)."""

    PARTIES = [("third_party", "第三方"), ("agency", "其他行政机关")]

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="consultations")
    party = models.CharField("征求对象类型", max_length=12, choices=PARTIES)
    party_name = models.CharField("征求对象", max_length=200, blank=True)
    clock_name = models.CharField(max_length=40)
    started_on = models.DateField("发出征求意见日期")
    ended_on = models.DateField("收到意见日期", null=True, blank=True)
    opinion = models.TextField("意见", blank=True)

    class Meta:
        ordering = ["request_id", "started_on", "id"]
        verbose_name = verbose_name_plural = "征求意见"

    def __str__(self) -> str:
        return f"{self.request_id} {self.get_party_display()} {self.party_name}"
