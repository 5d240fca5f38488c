"""Penalty cases: stages, stored check results, handlers, extensions and the public disclosure."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.cases import stages as stage_rules
from fazhi.core.search import token_vector_field
from fazhi.registry.models import Agency, DiscretionTier, ListEntry, Officer, PowerItem


class Case(models.Model):
    """行政处罚案件. Dates of each stage are fields so that the statutory checks run as set-based queries."""

    PROCEDURES = [("general", "普通程序"), ("simple", "简易程序")]
    STAGES = stage_rules.STAGES  # the statutory order, kept in one place
    PARTY_KINDS = [("person", "自然人"), ("organisation", "法人或其他组织")]
    OUTCOMES = [("penalty", "给予处罚"), ("no_penalty", "不予处罚")]

    agency = models.ForeignKey(Agency, verbose_name="办案机关", on_delete=models.PROTECT, related_name="cases")
    power_item = models.ForeignKey(PowerItem, verbose_name="执法事项", on_delete=models.PROTECT, related_name="cases")
    number = models.CharField("案号", max_length=60, unique=True)
    title = models.CharField("案由", max_length=200)
    procedure = models.CharField("程序", max_length=10, choices=PROCEDURES, default="general")
    stage = models.CharField("阶段", max_length=15, choices=STAGES, default="filed", db_index=True)
    party_kind = models.CharField("当事人类型", max_length=12, choices=PARTY_KINDS)
    party_name = models.CharField("当事人", max_length=100)
    party_id_number = models.CharField("身份证号", max_length=18, blank=True)
    party_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    violation_ended_on = models.DateField("违法行为终了日期", null=True, blank=True)
    limitation_extended = models.BooleanField("涉及生命健康安全或金融安全且有危害后果", default=False)
    filed_on = models.DateField("立案日期")
    notified_on = models.DateField("告知日期", null=True, blank=True)
    major = models.BooleanField("重大执法决定", default=False)
    extension_days = models.PositiveIntegerField("延长天数", default=0)
    hearing_requested = models.BooleanField("申请听证", default=False)
    hearing_notice_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_on = models.DateField("听证日期", null=True, blank=True)
    legal_review_on = models.DateField("法制审核日期", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=12, choices=OUTCOMES, blank=True)
    decision_number = models.CharField("决定书文号", max_length=80, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    tier = models.ForeignKey(DiscretionTier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    list_entry = models.ForeignKey(ListEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    served_on = models.DateField("送达日期", null=True, blank=True)
    disclosed_on = models.DateField("公示日期", null=True, blank=True)
    executed_on = models.DateField("执行完毕日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    handlers = models.ManyToManyField(Officer, through="CaseHandler", related_name="cases")
    item = models.OneToOneField(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="case"
    )
    # The statutory clocks after the decision (the case's own item closes at the decision).
    service_item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disclosure_item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The open 风险预警 item of this case, if any (one per case while open).
    warning_item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = verbose_name_plural = "行政处罚案件"
        indexes = [
            models.Index(fields=["agency", "filed_on"]),
            models.Index(fields=["decided_on"]),
            # A case-file review freezes the decided cases of its agencies and period (supervision.reviews): with every
            # column it reads in the index, a million cases are one index-only scan, not a pass over the wide table,
            # and in (agency, id) order, so each agency's ids are aggregated without sorting a million rows.
            models.Index(
                fields=["agency", "id"], include=["decided_on", "power_item", "procedure"], name="case_review_scope"
            ),
            # The leaders' dashboard counts the year's cases filed and closed by month (case_monthly_counts): an
            # index-only scan of the dates instead of two passes over the wide table.
            models.Index(fields=["filed_on"], name="case_filed_on"),
            models.Index(fields=["closed_on"], name="case_closed_on"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CaseCheck(models.Model):
    """The last result of the statutory checks of a case (no row: never checked).

    A narrow side table rather than columns of `Case`: the bulk check rewrites it set-based, and rewriting a
    million rows of the wide, heavily indexed case table cost ten times the checking itself.
    `rules` = the codes of the rules with an error, in catalogue order; `errors` = their number.
    """

    # No foreign-key constraint in the database (Django still cascades the delete of a case): a derived result,
    # rewritten set-based, and PostgreSQL checked the constraint row by row, locking each referenced case — 50 s of
    # a 68 s first bulk check of a million cases (bench/bench_cases.py).
    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="check_result", db_constraint=False
    )
    errors = models.PositiveSmallIntegerField("预警数", default=0)
    rules = models.JSONField("预警规则", default=list, blank=True)
    checked_at = models.DateTimeField("校验时间")

    class Meta:
        verbose_name = verbose_name_plural = "案件校验结果"
        # The warning list and the 风险预警 sync look up the few cases with errors.
        indexes = [models.Index(fields=["case"], condition=models.Q(errors__gt=0), name="casecheck_with_errors")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.errors}"


class CaseHandler(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="case_handler_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.officer_id}"


class CaseExtension(models.Model):
    """A recorded extension of the 90-day decision limit (《行政处罚法》第六十条), with approver and reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField("延长天数")
    reason = models.CharField("理由", max_length=300)
    approver = models.CharField("批准人", max_length=50)
    approved_on = models.DateField("批准日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["case_id", "approved_on", "id"]
        verbose_name = verbose_name_plural = "办案期限延长"

    def __str__(self) -> str:
        return f"延长 {self.days} 日"


class Disclosure(models.Model):
    """A decision published on the portal (行政执法公示). Withdrawal needs a reason and is logged."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="disclosure")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField("公示日期", db_index=True)
    decision_number = models.CharField("决定书文号", max_length=80)
    party_kind = models.CharField(max_length=12)
    party_display = models.CharField("当事人（公示）", max_length=100)
    party_code_display = models.CharField("证件号码（公示）", max_length=30, blank=True)
    summary = models.TextField("违法事实与处罚内容")
    fine = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Party, number, agency and summary in one column, its search
    # tokens and their vector for keyword search (core/search.py), GIN-indexed on PostgreSQL.
    search = models.TextField(blank=True, editable=False)
    # db_default: rows inserted by SQL (imports, the benchmark) start with no tokens rather than fail.
    search_tokens = models.TextField(blank=True, default="", db_default="", editable=False)
    search_vector = token_vector_field("search_tokens")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = verbose_name_plural = "执法决定公示"
        indexes = [models.Index(fields=["agency", "published_on"]), models.Index(fields=["party_kind", "published_on"])]

    def __str__(self) -> str:
        return self.decision_number


class DisclosureWord(models.Model):
    """Each disclosure's ASCII words (core/search.py `bounded_words`: numbers and codes of three or more letters
    and digits) with its place in the portal's order, under one B-tree (word, published_on, id): the newest
    disclosures holding a word come in order, which the GIN index cannot give. A query whose bigrams are all common
    (示罚〔2020〕) walks these instead of the whole table (`selectors.disclosure_search`). Kept by a PostgreSQL trigger
    on cases_disclosure (migration 0009), whoever writes the tokens (the ORM, COPY, the benchmark's SQL); unused
    and empty on SQLite."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    word = models.CharField(max_length=60)
    published_on = models.DateField()

    class Meta:
        indexes = [
            models.Index(
                models.F("word"),
                models.F("published_on").desc(),
                models.F("disclosure").desc(),
                name="disclosure_word_order",
            )
        ]

    def __str__(self) -> str:
        return self.word
