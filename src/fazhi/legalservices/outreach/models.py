"""Models of 普法: responsibility lists (普法责任清单) and their items (tracked on the tracking core), activities with
attendance and files, and the 法律明白人 roster by village. Class names carry a prefix: the areas of legalservices
share one Django app."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.legalservices.outreach import rules


class OutreachDutyList(models.Model):
    unit = models.ForeignKey("core.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    status = models.CharField("状态", max_length=10, choices=rules.LIST_STATUSES, default=rules.DRAFT)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "unit_id"]
        verbose_name = verbose_name_plural = "普法责任清单"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="outreach_list_unit_year_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} 年普法责任清单"


class OutreachDutyItem(models.Model):
    duty_list = models.ForeignKey(OutreachDutyList, on_delete=models.CASCADE, related_name="items")
    content = models.CharField("普法任务", max_length=300)
    laws = models.CharField("重点宣传的法律法规", max_length=300, blank=True)
    target_groups = models.JSONField("普法对象", default=list)
    deadline = models.DateField("完成期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    item = models.ForeignKey("tracking.TrackedItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["duty_list_id", "deadline", "id"]
        verbose_name = verbose_name_plural = "普法责任清单事项"

    def __str__(self) -> str:
        return self.content


class OutreachActivity(models.Model):
    unit = models.ForeignKey("core.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("活动类型", max_length=20, choices=rules.ACTIVITY_KINDS)
    venue = models.CharField("“六进”类别", max_length=12, choices=rules.VENUES, blank=True)
    title = models.CharField("活动名称", max_length=200)
    held_on = models.DateField("活动日期")
    place = models.CharField("地点", max_length=200, blank=True)
    attendance = models.PositiveIntegerField("参加人数", default=0)
    laws = models.CharField("宣传的法律法规", max_length=300, blank=True)
    summary = models.TextField("活动简况", blank=True)
    duty_item = models.ForeignKey(
        OutreachDutyItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    attachments = models.ManyToManyField("core.Attachment", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "普法活动"
        indexes = [models.Index(fields=["held_on"]), models.Index(fields=["kind", "held_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return rules.ACTIVITY_KIND_LABELS.get(self.kind, self.kind)


class LegalLiterate(models.Model):
    """法律明白人: a villager trained to explain the law, listed by township and village."""

    unit = models.ForeignKey("core.Unit", verbose_name="管理单位", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey("core.Division", verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    township = models.CharField("乡镇（街道）", max_length=100)
    village = models.CharField("村（社区）", max_length=100)
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    occupation = models.CharField("身份", max_length=50, blank=True)
    appointed_on = models.DateField("确认日期", null=True, blank=True)
    is_active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["division_id", "township", "village", "id"]
        verbose_name = verbose_name_plural = "法律明白人"
        indexes = [models.Index(fields=["division", "township", "village"])]

    def __str__(self) -> str:
        return self.name
