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


class LoginLog(models.Model):
    username = models.CharField("用户名", max_length=150, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
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


class OperationLog(models.Model):
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
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
