"""督办: tracked items with deadlines and a tamper-evident timeline; 督导任务 as the first use."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Attachment, Unit


class TrackedItem(models.Model):
    """Anything with a responsible unit, a deadline and a timeline. Domain objects point to one of these.

    `action_unit` / `action_user` say whose turn it is (the inbox); `unit` is who answers for it.
    """

    STATUSES = [("open", "办理中"), ("review", "待验收"), ("returned", "已退回"), ("closed", "已办结")]
    LIMIT_KINDS = [("working", "工作日"), ("calendar", "自然日"), ("fixed", "指定日期")]

    kind = models.CharField("类型", max_length=40, db_index=True)
    title = models.CharField("标题", max_length=200)
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="tracked_items")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    action_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField("起算日")
    limit_kind = models.CharField("期限类型", max_length=10, choices=LIMIT_KINDS, default="fixed")
    limit_days = models.IntegerField("期限天数", null=True, blank=True)
    deadline = models.DateField("办理期限", db_index=True)
    deadline_confirmed = models.BooleanField("期限已按正式日历确认", default=True)
    deadline_source = models.CharField("期限依据", max_length=200)
    # Every open clock of the item is paused (中止): no light, no reminder until one runs again.
    paused = models.BooleanField("中止计时", default=False)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="open")
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_on_time = models.BooleanField("按期办结", null=True, blank=True)
    # The chain head: a deleted last event shows as a count or hash that no longer matches.
    event_count = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    # HMAC-SM3 of (id, event_count, last_hash): cutting the last events and moving the head back needs the key.
    head_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = verbose_name_plural = "督办事项"
        indexes = [
            models.Index(fields=["action_unit", "status", "deadline"], name="item_inbox_unit"),
            models.Index(fields=["action_user", "status", "deadline"], name="item_inbox_user"),
            models.Index(fields=["unit", "status", "deadline"], name="item_unit_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != "closed"


class TimelineEvent(models.Model):
    """One append-only step of an item's history, hashed by fazhi.tracking.timeline.event_hash.

    `hash_version` 2 (every event written now): `hash` = HMAC-SM3(key, previous hash + every shown field + the
    name, size and SM3 of each attachment), `key_id` the fingerprint of that key. Version 1 (events written
    before the key existed): plain SM3 without actor_unit and action_label; accepted only up to the boundary
    sealed by migration tracking 0002, so that nobody can pass a rewritten event off as an old one."""

    item = models.ForeignKey(TrackedItem, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=100, blank=True)
    actor_unit = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=40)
    action_label = models.CharField(max_length=40)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    hash_version = models.PositiveSmallIntegerField(default=2)
    key_id = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["item_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["item", "seq"], name="event_item_seq_unique")]
        verbose_name = verbose_name_plural = "时间线事件"

    def __str__(self) -> str:
        return f"{self.item_id}#{self.seq} {self.action_label}"


class SupervisionTask(models.Model):
    """督导任务: a key task the Justice Bureau sets and splits among units (依法行政督导平台)."""

    STATUSES = [("draft", "草稿"), ("active", "推进中"), ("done", "已完成"), ("cancelled", "已撤销")]

    title = models.CharField("任务名称", max_length=200)
    description = models.TextField("任务内容", blank=True)
    basis = models.CharField("任务依据", max_length=200, help_text="例：《法治政府建设实施纲要（2021—2025年）》")
    owner_unit = models.ForeignKey(Unit, verbose_name="督导单位", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateField("总体期限")
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="active")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "督导任务"

    def __str__(self) -> str:
        return self.title


class TaskAssignment(models.Model):
    """One unit's share of a supervision task, tracked as a TrackedItem."""

    STATUSES = [
        ("assigned", "已分解"),
        ("in_progress", "推进中"),
        ("submitted", "待验收"),
        ("returned", "已退回"),
        ("accepted", "已验收"),
    ]

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    requirement = models.TextField("具体要求", blank=True)
    deadline = models.DateField("完成期限")
    progress = models.PositiveSmallIntegerField("完成进度(%)", default=0)
    status = models.CharField("状态", max_length=12, choices=STATUSES, default="assigned")
    item = models.OneToOneField(TrackedItem, on_delete=models.PROTECT, related_name="task_assignment")

    class Meta:
        ordering = ["task_id", "unit__sort_order", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="assignment_task_unit_unique")]
        verbose_name = verbose_name_plural = "任务分解"

    def __str__(self) -> str:
        return f"{self.task} / {self.unit}"


class TimelineAnchorHead(models.Model):
    """The head of an item's timeline as of the latest daily anchor (fazhi.tracking.anchors): `fazhi verify`
    checks that the chain still holds this event with this hash, so a chain rewritten after the anchor, even
    with the key, is found. The digest of all these rows is the timeline's anchor in the operation log."""

    item = models.OneToOneField(TrackedItem, primary_key=True, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    anchored_on = models.DateField()

    class Meta:
        verbose_name = verbose_name_plural = "时间线锚定链头"

    def __str__(self) -> str:
        return f"{self.item_id}#{self.seq}"


class Clock(models.Model):
    """A statutory period of a tracked item (acceptance review, answer, decision …). Its state is derived: the
    pure fold of fazhi.tracking.clocks over its rule, start and events, stored here so that lists and the inbox
    read it with an index; recomputed on every event and whenever the working-day calendar changes."""

    UNITS = [("working", "工作日"), ("calendar", "自然日"), ("months", "月")]

    item = models.ForeignKey(TrackedItem, on_delete=models.PROTECT, related_name="clocks")
    name = models.CharField("期限代码", max_length=40)
    label = models.CharField("期限名称", max_length=60)
    # The rule as first set; a switch (简易 → 普通) is an event, and the current rule is `rule_*` below.
    initial_unit = models.CharField(max_length=10, choices=UNITS)
    initial_length = models.PositiveIntegerField()
    initial_cap = models.PositiveIntegerField(default=0)
    initial_basis = models.CharField(max_length=200)
    initial_start = models.DateField("起算日")
    # Derived (fazhi.tracking.clocks.ClockState):
    rule_unit = models.CharField("期限单位", max_length=10, choices=UNITS)
    rule_length = models.PositiveIntegerField("期限长度")
    rule_cap = models.PositiveIntegerField("最多延长", default=0)
    basis = models.CharField("期限依据", max_length=200)
    start = models.DateField("当前起算日")
    extended = models.PositiveIntegerField("已延长", default=0)
    deadline = models.DateField("届满日", db_index=True)
    deadline_confirmed = models.BooleanField(default=True)
    paused = models.BooleanField("中止中", default=False)
    is_open = models.BooleanField("计时中", default=True)
    stopped_on = models.DateField("停止计时日", null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item_id", "id"]
        verbose_name = verbose_name_plural = "法定期限"
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="clock_item_name_unique")]
        indexes = [models.Index(fields=["is_open", "deadline"], name="clock_open_deadline")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.label}"


class ClockEvent(models.Model):
    """One append-only event of a clock; the same event is on the item's SM3 timeline (`timeline_event`)."""

    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=10)
    on = models.DateField("日期")
    amount = models.PositiveIntegerField(default=0)
    # For a switch: the new rule.
    rule_unit = models.CharField(max_length=10, blank=True)
    rule_length = models.PositiveIntegerField(null=True, blank=True)
    rule_cap = models.PositiveIntegerField(null=True, blank=True)
    rule_basis = models.CharField(max_length=200, blank=True)
    reason = models.TextField("事由", blank=True)
    basis = models.CharField("法律依据", max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    timeline_event = models.ForeignKey(TimelineEvent, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["clock_id", "seq"]
        verbose_name = verbose_name_plural = "期限事件"
        constraints = [models.UniqueConstraint(fields=["clock", "seq"], name="clock_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.clock_id}#{self.seq} {self.kind}"
