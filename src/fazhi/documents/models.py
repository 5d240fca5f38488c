"""公文: document-number registers (发文字号) and the documents the system generated."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import Attachment, Unit


class DocumentNumberRegister(models.Model):
    """One register per issuing unit, document type and year. `last_number` is the last number taken; it only
    moves inside the transaction that issues the document (row locked), so a rollback leaves no gap."""

    unit = models.ForeignKey(Unit, verbose_name="发文机关", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField("文种", max_length=40)
    prefix = models.CharField("发文机关代字", max_length=20)
    year = models.PositiveSmallIntegerField("年份")
    last_number = models.PositiveIntegerField("已用至", default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "发文字号登记簿"
        constraints = [
            models.UniqueConstraint(fields=["unit", "doc_type", "year"], name="documents_register_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.doc_type} {self.year}"


class DocumentNumber(models.Model):
    """A number taken from a register: the unique constraint is the database's own guard against a duplicate."""

    register = models.ForeignKey(DocumentNumberRegister, on_delete=models.PROTECT, related_name="numbers")
    number = models.PositiveIntegerField("序号")
    text = models.CharField("发文字号", max_length=60)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "发文字号"
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="documents_number_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class GeneratedDocument(models.Model):
    """A document the system produced for an object (`object_kind` + `object_id`), stored as a core Attachment
    (so its SM3 is registered) and, for a tracked item, recorded on the item's SM3 timeline."""

    object_kind = models.CharField("对象类型", max_length=40, blank=True)
    object_id = models.PositiveBigIntegerField("对象编号", null=True, blank=True)
    item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField("标题", max_length=200)
    number = models.CharField("发文字号", max_length=60, blank=True)
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "生成的文书"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_kind", "object_id"])]

    def __str__(self) -> str:
        return self.title
