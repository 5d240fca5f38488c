"""Every write of 公文: taking a document number (发文字号) and storing a generated document."""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core.attachments import attachment_store
from fazhi.core.errors import DomainError
from fazhi.core.models import Unit, User
from fazhi.core.normalize import clean_text
from fazhi.documents.models import DocumentNumber, DocumentNumberRegister, GeneratedDocument
from fazhi.documents.rules import number_text
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.services import item_annotate


def _register_create(*, unit: Unit, doc_type: str, year: int, prefix: str, today: dt.date) -> None:
    if year < today.year:
        raise DomainError(f"不能为已经过去的 {year} 年新建发文字号登记簿", field="year")
    prefix = clean_text(prefix or "")
    if not prefix:
        # Carry the prefix over from the unit's register of the same type in an earlier year.
        prefix = (
            DocumentNumberRegister.objects.filter(unit=unit, doc_type=doc_type, year__lt=year)
            .order_by("-year")
            .values_list("prefix", flat=True)
            .first()
        )
    if not prefix:
        raise DomainError(f"{unit}的“{doc_type}”尚无发文机关代字，请先填写", field="prefix")
    try:
        # A concurrent first issue of the year creates the same register: the unique constraint decides, the
        # loser (inside its own savepoint) simply uses the winner's row.
        with transaction.atomic():
            DocumentNumberRegister.objects.create(unit=unit, doc_type=doc_type, year=year, prefix=prefix)
    except IntegrityError:
        pass


def number_take(
    *,
    unit: Unit,
    doc_type: str,
    year: int,
    by: User | None,
    prefix: str = "",
    today: dt.date | None = None,
) -> DocumentNumber:
    """Take the next number of the unit's register for this document type and year.

    Call it from the service that *issues* the document, inside its transaction — never for a draft. The
    register row stays locked (`select_for_update`) until that transaction ends, so concurrent issuers queue
    and a rolled-back issue gives its number back: numbers are gapless and unique."""
    doc_type = clean_text(doc_type or "")
    if not doc_type:
        raise DomainError("文种不能为空", field="doc_type")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("年份无效", field="year")
    today = today or timezone.localdate()
    with transaction.atomic():
        key = {"unit": unit, "doc_type": doc_type, "year": year}
        register = DocumentNumberRegister.objects.select_for_update().filter(**key).first()
        if register is None:
            _register_create(unit=unit, doc_type=doc_type, year=year, prefix=prefix, today=today)
            register = DocumentNumberRegister.objects.select_for_update().get(**key)
        register.last_number += 1
        register.save(update_fields=["last_number"])
        return DocumentNumber.objects.create(
            register=register,
            number=register.last_number,
            text=number_text(prefix=register.prefix, year=year, number=register.last_number),
            taken_by=by if getattr(by, "pk", None) else None,
        )


@transaction.atomic
def document_store(
    *,
    by: User | None,
    item: TrackedItem | None = None,
    title: str,
    number: str = "",
    content: bytes,
    filename: str,
    object_kind: str = "",
    object_id: int | None = None,
) -> GeneratedDocument:
    """Store a generated document's bytes as a core Attachment (SM3 computed) and, for a tracked item, record
    it on the item's timeline with the attachment, so the event hash covers the document's SM3."""
    title = clean_text(title or "")
    if not title:
        raise DomainError("文书标题不能为空", field="title")
    attachment = attachment_store(file=ContentFile(content, name=filename), by=by)
    document = GeneratedDocument.objects.create(
        object_kind=object_kind or (item.kind if item else ""),
        object_id=object_id if object_id is not None else (item.pk if item else None),
        item=item,
        title=title,
        number=number,
        attachment=attachment,
        created_by=by if getattr(by, "pk", None) else None,
    )
    if item is not None:
        item_annotate(
            item=item,
            by=by,
            action="document",
            label="生成文书",
            comment=f"{title}{'（' + number + '）' if number else ''}",
            data={"document": document.pk, "number": number, "sm3": attachment.sm3},
            attachments=[attachment],
        )
    return document


@transaction.atomic
def register_create(
    *, by: User | None, unit: Unit, doc_type: str, year: int, prefix: str, today: dt.date | None = None, ip=None
) -> DocumentNumberRegister:
    """A register set up ahead of its first issue (the 发文字号 page): for the current or a later year, with its
    发文机关代字. A past year is refused (field `year`), as when an issuing service would create one. `by` None: the
    system (demo, setup)."""
    from fazhi.core.audit import log_operation
    from fazhi.core.errors import Forbidden
    from fazhi.documents.permissions import register_actions, register_unit_allowed

    if by is not None and "create" not in register_actions(user=by, obj=None):
        raise Forbidden()
    if not isinstance(unit, Unit):
        raise DomainError("请选择发文机关", field="unit")
    if by is not None and not register_unit_allowed(user=by, unit=unit):
        raise DomainError(f"单位“{unit.name}”不在本人管辖范围内", field="unit")
    doc_type = clean_text(doc_type or "")
    if not doc_type:
        raise DomainError("文种不能为空", field="doc_type")
    if len(doc_type) > 40:
        raise DomainError("文种不能超过 40 字", field="doc_type")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("年份应为 2000 至 2100 之间的整数", field="year")
    today = today or timezone.localdate()
    if year < today.year:
        raise DomainError(f"不能为已经过去的 {year} 年新建发文字号登记簿", field="year")
    prefix = clean_text(prefix or "")
    if not prefix:
        raise DomainError("发文机关代字不能为空", field="prefix")
    if len(prefix) > 20 or any(ch in prefix for ch in "〔〕[]()（）"):
        raise DomainError("发文机关代字不超过 20 字，且不含括号（年份的六角括号由系统加上）", field="prefix")
    if DocumentNumberRegister.objects.filter(unit=unit, doc_type=doc_type, year=year).exists():
        raise DomainError(f"{unit.name}已有 {year} 年“{doc_type}”的登记簿", field="doc_type")
    try:
        with transaction.atomic():
            register = DocumentNumberRegister.objects.create(unit=unit, doc_type=doc_type, year=year, prefix=prefix)
    except IntegrityError:
        raise DomainError(f"{unit.name}已有 {year} 年“{doc_type}”的登记簿", field="doc_type") from None
    log_operation(
        user=by, action="新建发文字号登记簿", obj=register, summary=f"{unit.name} {doc_type} {year} {prefix}", ip=ip
    )
    return register
