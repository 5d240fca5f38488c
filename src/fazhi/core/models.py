"""Organisation (divisions, units), users, roles, API tokens, logs, attachments and notifications."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone


class Division(models.Model):
    """行政区划: a six-digit GB/T 2260 code, in a tree (province → city → county → township)."""

    LEVELS = [("province", "省级"), ("city", "市级"), ("county", "县级"), ("township", "乡级")]

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("级别", max_length=10, choices=LEVELS)
    parent = models.ForeignKey(
        "self", verbose_name="上级区划", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Unit(models.Model):
    """A unit of the organisation tree. `path` is the chain of ancestor ids ("/1/4/9/") for subtree scope."""

    KINDS = [
        ("government", "人民政府"),
        ("justice", "司法局"),
        ("agency", "执法部门"),
        ("township", "乡镇/街道"),
        ("other", "其他"),
    ]

    name = models.CharField("单位全称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=12, choices=KINDS)
    division = models.ForeignKey(Division, verbose_name="所在区划", on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    supervising_unit = models.ForeignKey(
        "self",
        verbose_name="监督单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_units",
        help_text="红牌时一并提醒的单位；为空时取上级单位",
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    sort_order = models.IntegerField("排序", default=0)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = verbose_name_plural = "单位"
        constraints = [models.UniqueConstraint(fields=["name"], name="unit_name_unique")]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def escalation_unit(self) -> "Unit | None":
        return self.supervising_unit or self.parent


class Role(models.Model):
    SCOPES = [("all", "全部"), ("subtree", "本单位及下级"), ("unit", "本单位"), ("self", "本人")]

    code = models.SlugField("角色编码", max_length=40, unique=True)
    name = models.CharField("角色名称", max_length=50, unique=True)
    data_scope = models.CharField("数据范围", max_length=10, choices=SCOPES, default="unit")
    permissions = models.JSONField("功能权限", default=list, blank=True)
    description = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "角色"

    def __str__(self) -> str:
        return self.name


class FazhiUserManager(UserManager):
    pass


class User(AbstractUser):
    """A person who logs in. Belongs to exactly one unit; roles give permissions and data scope."""

    name = models.CharField("姓名", max_length=50, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="所属单位", null=True, on_delete=models.PROTECT, related_name="users")
    roles = models.ManyToManyField(Role, verbose_name="角色", blank=True, related_name="users")
    phone = models.CharField("手机号", max_length=20, blank=True)
    must_change_password = models.BooleanField("首次登录须改密码", default=True)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    objects = FazhiUserManager()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username


class ApiToken(models.Model):
    """A revocable bearer token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=50, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name or '令牌'}（{self.prefix}…）"


class LogImmutableError(RuntimeError):
    """Raised on any attempt to change or delete a log entry through the ORM: the logs are append-only."""


class ChainedLogQuerySet(models.QuerySet):
    """Login and operation logs are append-only (等保 三级 安全审计: 审计记录不可修改、删除).

    The only writes after the insert are `_seal` (the chain fields of an entry not yet chained, once) and
    `_purge` (old entries past retention, by the purge job, which leaves a checkpoint)."""

    def update(self, **kwargs):
        raise LogImmutableError(f"{self.model._meta.verbose_name}不可修改")

    def delete(self):
        raise LogImmutableError(f"{self.model._meta.verbose_name}不可删除，只能由保存期限清理任务清理")

    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(): sign each entry the same way and have the batch linked after commit, or the
        # entries would sit unsigned and fail `fazhi verify`. Conflict handling could drop or overwrite entries.
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise LogImmutableError(f"{self.model._meta.verbose_name}只能追加")
        from fazhi.core.audit import log_chain_schedule_seal, log_entry_mac

        objs = list(objs)
        for obj in objs:
            if obj.seq is not None:
                raise LogImmutableError(f"{self.model._meta.verbose_name}的链字段只能由入链写入")
            obj.mac = log_entry_mac(self.model.CHAIN, {f: getattr(obj, f) for f in self.model.CHAIN_FIELDS})
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            log_chain_schedule_seal(self.model.CHAIN)
        return created

    def _seal(self, **chain_fields) -> int:
        return models.QuerySet.update(self.filter(seq__isnull=True), **chain_fields)

    def _purge(self):
        return models.QuerySet.delete(self)


class ChainedLog(models.Model):
    """A log entry in a keyed SM3 chain. `mac` (HMAC-SM3 of the entry's fields, fazhi.core.audit) is set at
    insert; `seq`, `prev_hash` and `hash` link the entry into its chain just after its transaction commits."""

    CHAIN = ""
    CHAIN_FIELDS: tuple[str, ...] = ()

    seq = models.PositiveBigIntegerField("链序号", null=True, blank=True, unique=True, editable=False)
    mac = models.CharField(max_length=64, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField("链哈希", max_length=64, blank=True, editable=False)

    objects = ChainedLogQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LogImmutableError(f"{self._meta.verbose_name}不可修改")
        from fazhi.core.audit import log_chain_schedule_seal, log_entry_mac

        self.mac = log_entry_mac(self.CHAIN, {f: getattr(self, f) for f in self.CHAIN_FIELDS})
        super().save(*args, **kwargs)
        log_chain_schedule_seal(self.CHAIN)

    def delete(self, *args, **kwargs):
        raise LogImmutableError(f"{self._meta.verbose_name}不可删除")


class ChainSeal(models.Model):
    """The keyed head of a chain (`login`, `operation`, and `timeline.v1`, the boundary of the timeline events
    hashed before the chain was keyed), with the checkpoint a purge leaves (`base_seq`, `base_hash`).

    `mac` is HMAC-SM3 over the other fields, so that a database-only attacker can neither cut the tail of a chain
    and move its head back nor move the checkpoint."""

    name = models.CharField(max_length=40, unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    head = models.CharField(max_length=64, blank=True)
    base_seq = models.PositiveBigIntegerField(default=0)
    base_hash = models.CharField(max_length=64, blank=True)
    key_id = models.CharField(max_length=16, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "哈希链封存"

    def __str__(self) -> str:
        return f"{self.name} #{self.seq}"


class LoginLog(ChainedLog):
    CHAIN = "login"
    CHAIN_FIELDS = ("username", "user_id", "success", "reason", "ip", "user_agent", "at")

    username = models.CharField("用户名", max_length=150, db_index=True)
    # PROTECT: an audit record keeps its user; users are deactivated, never deleted.
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)
    success = models.BooleanField("成功")
    reason = models.CharField("说明", max_length=100, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "登录日志"

    def __str__(self) -> str:
        return f"{self.username} {'成功' if self.success else '失败'}"


class OperationLog(ChainedLog):
    CHAIN = "operation"
    CHAIN_FIELDS = ("user_id", "username", "action", "object_type", "object_id", "summary", "ip", "at")

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)
    username = models.CharField("用户", max_length=150, blank=True)
    action = models.CharField("操作", max_length=50, db_index=True)
    object_type = models.CharField("对象类型", max_length=50, blank=True)
    object_id = models.CharField("对象", max_length=50, blank=True)
    summary = models.CharField("摘要", max_length=500, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "操作日志"

    def __str__(self) -> str:
        return f"{self.username} {self.action}"


class Attachment(models.Model):
    """An uploaded file, stored through the storage API, with its SM3 digest and size."""

    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小")
    sm3 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """An in-app notice. `dedup_key` makes a rerun of a reminder job a no-op."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=10, default="info")
    dedup_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "dedup_key"], name="notification_dedup_unique")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class UserSession(models.Model):
    """A signed-in browser session, for the security administrator's list of online sessions (等保 三级:
    会话管理、强制下线). Keyed by the session key, which follows the session when Django rotates it."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="web_sessions")
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)
    login_at = models.DateTimeField("登录时间", default=timezone.now)
    last_activity = models.DateTimeField("最后活动", default=timezone.now, db_index=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=20, blank=True)
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-last_activity", "-id"]
        verbose_name = verbose_name_plural = "在线会话"

    def __str__(self) -> str:
        return f"{self.user} {self.ip or ''}"


class WorkerHeartbeat(models.Model):
    """A running `fazhi worker` process (fazhi.core.workers). The worker touches its row every few seconds;
    a task left RUNNING by a worker whose row went stale is re-queued or failed by the scheduler."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最后心跳", db_index=True)
    is_scheduler = models.BooleanField("运行定时调度", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "后台进程心跳"

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.host}"


class Job(models.Model):
    """A long piece of work started by a user and run by `fazhi worker` (fazhi.core.jobs): the user follows its
    progress on 我的任务 and finds the result there, even after leaving the page."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [(QUEUED, "排队中"), (RUNNING, "进行中"), (DONE, "已完成"), (FAILED, "失败")]

    kind = models.CharField("类型", max_length=50)
    label = models.CharField("名称", max_length=200)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="jobs")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=QUEUED)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)  # 0: not known yet
    message = models.CharField("进度说明", max_length=200, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    result_file = models.CharField("结果文件", max_length=300, blank=True)  # a default_storage name
    result_filename = models.CharField("结果文件名", max_length=200, blank=True)
    error = models.TextField("失败原因", blank=True)
    task_id = models.CharField("后台任务", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_by", "-id"], name="job_owner_idx")]
        verbose_name = verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return self.label

    @property
    def is_finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
