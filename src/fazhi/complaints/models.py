"""投诉举报 (complaints and clues): intake from every channel, triage, handling, reply, satisfaction.

Statistics are set-based: the fields they group and count by (channel, category, agency, division,
received_at, on_time, handling_days, satisfaction, reopened) are columns of `Complaint` itself.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Attachment, Division, Unit
from fazhi.core.search import token_vector_field

CATEGORIES = [
    ("inaction", "执法不作为"),
    ("delay", "执法慢作为"),
    ("abuse", "执法乱作为"),
    ("misconduct", "执法不文明不规范"),
    ("profit", "逐利执法"),
    ("other", "其他"),
]
CHANNELS = [
    ("web", "网上投诉"),
    ("api", "接口提交"),
    ("hotline", "12345热线"),
    ("email", "投诉邮箱"),
    ("clue", "问题线索"),
]
SATISFACTION = [("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")]


class Complaint(models.Model):
    STATUSES = [
        ("received", "待受理"),
        ("assigned", "办理中"),
        ("replied", "答复待审核"),
        ("returned", "答复已退回"),
        ("answered", "已答复待评价"),
        ("reopened", "不满意待复核"),
        ("closed", "已办结"),
        ("out_of_scope", "不属于受理范围"),
        ("merged", "已合并"),
    ]

    tracking_code = models.CharField("查询码", max_length=20)
    password_salt = models.CharField(max_length=32)
    password_hash = models.CharField(max_length=64)
    channel = models.CharField("渠道", max_length=10, choices=CHANNELS)
    category = models.CharField("类别", max_length=12, choices=CATEGORIES)
    status = models.CharField("状态", max_length=12, choices=STATUSES, default="received")

    agency_named = models.ForeignKey(
        Unit, verbose_name="投诉人所指单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        Unit,
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,  # complaint_agency_received leads with it
    )
    division = models.ForeignKey(
        Division, verbose_name="所在区划", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supervising_unit = models.ForeignKey(
        Unit, verbose_name="督办单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    party = models.CharField("被投诉单位或人员", max_length=100, blank=True)
    place = models.CharField("发生地点", max_length=200, blank=True)
    occurred_on = models.DateField("发生时间", null=True, blank=True)
    description = models.TextField("投诉内容")
    # description, place and party as search tokens (core/search.py), and their vector, GIN-indexed on PostgreSQL.
    search_tokens = models.TextField(blank=True, default="", db_default="", editable=False)
    search_vector = token_vector_field("search_tokens")

    anonymous = models.BooleanField("匿名", default=False)
    complainant_name = models.CharField("投诉人姓名", max_length=50, blank=True)
    complainant_phone = models.CharField("联系电话", max_length=20, blank=True)
    complainant_email = models.EmailField("电子邮箱", blank=True)
    consent_at = models.DateTimeField("同意处理个人信息时间", null=True, blank=True)

    work_order_no = models.CharField("12345工单号", max_length=40, null=True, blank=True)
    handling_unit_name = models.CharField("热线承办单位", max_length=100, blank=True)
    message_id = models.CharField("邮件 Message-ID", max_length=300, null=True, blank=True)
    submit_token = models.CharField(max_length=64, null=True, blank=True)
    ip = models.GenericIPAddressField("提交 IP", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")

    received_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True, db_index=True)
    deadline_days = models.PositiveSmallIntegerField("办理时限（工作日）", null=True, blank=True)
    on_time = models.BooleanField("按期答复", null=True, blank=True)
    handling_days = models.PositiveIntegerField("办理用时（工作日）", null=True, blank=True)
    item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    prior_item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    routing_confirmed = models.BooleanField("承办单位经人工确认", default=False)
    suggestions = models.JSONField("分办建议", default=list, blank=True)

    satisfaction = models.CharField("满意度", max_length=12, choices=SATISFACTION, blank=True)
    rating_comment = models.CharField("评价意见", max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reopened = models.BooleanField("曾重新办理", default=False)
    out_of_scope_reason = models.CharField("不予受理（转办）理由", max_length=500, blank=True)
    transferred_to = models.CharField("转办单位", max_length=100, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = verbose_name_plural = "投诉举报"
        # Unique keys and indexes here rather than unique=True / db_index=True on the text fields: those add a second,
        # varchar_pattern_ops index per field for LIKE 'x%', which nothing runs here. A 12345 import writes 100k rows
        # at once, and every index costs it (issue 10).
        constraints = [
            models.UniqueConstraint(fields=["tracking_code"], name="complaint_tracking_code_unique"),
            models.UniqueConstraint(fields=["work_order_no"], name="complaint_work_order_no_unique"),
            models.UniqueConstraint(fields=["message_id"], name="complaint_message_id_unique"),
            models.UniqueConstraint(fields=["submit_token"], name="complaint_submit_token_unique"),
        ]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="complaint_agency_received"),
            models.Index(fields=["status", "received_at"], name="complaint_status_received"),
            models.Index(fields=["ip", "received_at"], name="complaint_ip_received"),
            models.Index(fields=["channel"], name="complaint_channel"),
            models.Index(fields=["category"], name="complaint_category"),
            models.Index(fields=["complainant_phone"], name="complaint_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def title(self) -> str:
        text = self.description.replace("\n", " ")
        return text[:30] + ("…" if len(text) > 30 else "")


class Reply(models.Model):
    """An agency's reply (调查核实情况、处理措施). The supervisor approves or returns it; only an approved reply
    reaches the complainant."""

    STATUSES = [("pending", "待审核"), ("approved", "已审核通过"), ("returned", "已退回")]

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="replies")
    findings = models.TextField("调查核实情况")
    measures = models.TextField("处理措施")
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=STATUSES, default="pending")
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["complaint_id", "at", "id"]
        verbose_name = verbose_name_plural = "投诉答复"

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_status_display()}"


class Message(models.Model):
    """A message to a complainant (outbox). Sent through the configured gateway; the row is the record."""

    CHANNELS = [("email", "电子邮件"), ("sms", "短信")]

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=8, choices=CHANNELS)
    to = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "投诉人通知"

    def __str__(self) -> str:
        return self.subject


class DisciplineTransfer(models.Model):
    """Suspected disciplinary violation moved to 纪检监察 (怀化市“对涉嫌违纪违法的问题线索，依法及时移送”)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="discipline_transfers")
    organ = models.CharField("移送机关", max_length=100)
    reason = models.TextField("移送理由")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    follow_up = models.TextField("跟踪情况", blank=True)
    result = models.CharField("处理结果", max_length=300, blank=True)
    followed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "移送纪检监察"

    def __str__(self) -> str:
        return f"{self.complaint.tracking_code} → {self.organ}"


class QueryAttempt(models.Model):
    """A failed status query (wrong code or password), counted per IP for the rate limit."""

    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"], name="complaint_query_ip_at")]

    def __str__(self) -> str:
        return f"{self.ip} {self.at:%Y-%m-%d %H:%M}"


class MailboxState(models.Model):
    """How far the IMAP poller has read a mailbox: UIDVALIDITY and the highest UID done."""

    mailbox = models.CharField(max_length=200, unique=True)
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    polled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.mailbox


class MonthlyStat(models.Model):
    """Monthly rollup of the statistics columns (set-based, rebuilt by the worker for months that can still
    change), so that statistics over millions of complaints read thousands of rows. The running month and
    partial months at the edges of a date range are always counted live."""

    month = models.DateField(db_index=True)
    channel = models.CharField(max_length=10)
    category = models.CharField(max_length=12)
    agency_id = models.BigIntegerField(null=True)
    division_id = models.BigIntegerField(null=True)
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    days_sum = models.BigIntegerField(default=0)
    days_n = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "投诉月度统计"

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.channel} {self.category}"


class StatsState(models.Model):
    """When the monthly rollup was last refreshed (one row)."""

    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.refreshed_at)
