"""The enforcement registry: agencies, power lists, discretion tiers, officers, certificates, training."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Unit


class Agency(models.Model):
    """执法主体: a unit that holds enforcement powers, by law, by authorisation or by entrustment."""

    LEGAL_STATUSES = [("statutory", "法定"), ("authorised", "授权"), ("entrusted", "委托")]

    unit = models.OneToOneField(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="agency")
    legal_status = models.CharField("主体资格", max_length=12, choices=LEGAL_STATUSES, default="statutory")
    entrusting_agency = models.ForeignKey(
        "self", verbose_name="委托机关", null=True, blank=True, on_delete=models.PROTECT, related_name="entrusted"
    )
    jurisdiction = models.CharField("管辖范围", max_length=200, blank=True)
    domains = models.JSONField("执法领域", default=list, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["unit__sort_order", "id"]
        verbose_name = verbose_name_plural = "执法主体"

    def __str__(self) -> str:
        return self.unit.name


class PowerItem(models.Model):
    """权责清单事项, versioned: an edit makes a new version; a case keeps the version it was decided under."""

    KINDS = [
        ("penalty", "行政处罚"),
        ("licence", "行政许可"),
        ("coercion", "行政强制"),
        ("inspection", "行政检查"),
        ("levy", "行政征收"),
        ("confirmation", "行政确认"),
        ("ruling", "行政裁决"),
        ("reward", "行政奖励"),
        ("benefit", "行政给付"),
        ("other", "其他"),
    ]

    agency = models.ForeignKey(Agency, verbose_name="实施主体", on_delete=models.PROTECT, related_name="power_items")
    code = models.CharField("事项编码", max_length=50)
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("现行版本", default=True)
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("事项类型", max_length=12, choices=KINDS)
    major = models.BooleanField("重大执法决定（须法制审核）", default=False)
    effective_from = models.DateField("生效日期", default=timezone.localdate)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["agency_id", "code", "-version"]
        verbose_name = verbose_name_plural = "权责清单事项"
        constraints = [models.UniqueConstraint(fields=["agency", "code", "version"], name="power_item_version_unique")]
        indexes = [models.Index(fields=["agency", "is_current"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LegalBasis(models.Model):
    power_item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="legal_bases")
    law = models.CharField("法律法规名称", max_length=200)
    article = models.CharField("条", max_length=30)
    clause = models.CharField("款/项", max_length=30, blank=True)
    text = models.TextField("条文", blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "执法依据"

    def __str__(self) -> str:
        return f"{self.law}{self.article}{self.clause}"


class DiscretionTier(models.Model):
    """行政裁量权基准的一个阶次: circumstances → allowed penalty kinds and a fine range.

    The range is fixed amounts (fine_min/fine_max, yuan) or multiples of illegal gains (multiple_min/max).
    """

    LEVELS = [("minor", "轻微"), ("ordinary", "一般"), ("serious", "较重"), ("grave", "严重"), ("custom", "其他")]

    power_item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="tiers")
    level = models.CharField("阶次", max_length=10, choices=LEVELS)
    name = models.CharField("阶次名称", max_length=50, blank=True)
    circumstances = models.TextField("适用情形")
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    multiple_min = models.DecimalField("违法所得倍数下限", max_digits=6, decimal_places=2, null=True, blank=True)
    multiple_max = models.DecimalField("违法所得倍数上限", max_digits=6, decimal_places=2, null=True, blank=True)
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["power_item_id", "sort_order", "id"]
        verbose_name = verbose_name_plural = "裁量基准阶次"

    def __str__(self) -> str:
        return self.name or self.get_level_display()


class ListEntry(models.Model):
    """不予处罚清单 / 从轻减轻处罚清单 entries (《行政处罚法》第三十二条、第三十三条)."""

    KINDS = [("exempt", "不予处罚"), ("mitigate", "从轻减轻")]

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="list_entries")
    power_item = models.ForeignKey(PowerItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("清单类型", max_length=10, choices=KINDS)
    circumstances = models.TextField("适用情形")
    legal_basis = models.CharField("依据", max_length=300)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["agency_id", "kind", "id"]
        verbose_name = verbose_name_plural = "不予处罚和从轻减轻清单"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.circumstances[:30]}"


class Officer(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="所属执法主体", on_delete=models.PROTECT, related_name="officers")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    post = models.CharField("职务/岗位", max_length=50, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="officer"
    )
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        ordering = ["agency_id", "id"]
        verbose_name = verbose_name_plural = "执法人员"

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    STATUSES = [("active", "有效"), ("suspended", "暂扣"), ("revoked", "吊销")]

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField("证件编号", max_length=40, unique=True)
    issuer = models.CharField("发证机关", max_length=100, blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    status = models.CharField("状态", max_length=10, choices=STATUSES, default="active")
    # The 督办 item opened when the certificate nears expiry (at most one open at a time).
    expiry_item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["officer_id", "-valid_to"]
        verbose_name = verbose_name_plural = "行政执法证"
        indexes = [models.Index(fields=["status", "valid_to"])]

    def __str__(self) -> str:
        return self.number


class TrainingRecord(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="trainings")
    year = models.PositiveIntegerField("年度")
    hours = models.DecimalField("培训学时", max_digits=6, decimal_places=1, default=0)
    exam_score = models.DecimalField("考试成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    exam_passed = models.BooleanField("考试合格", null=True, blank=True)

    class Meta:
        ordering = ["officer_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["officer", "year"], name="training_officer_year_unique")]
        verbose_name = verbose_name_plural = "培训考试记录"

    def __str__(self) -> str:
        return f"{self.officer} {self.year}"
