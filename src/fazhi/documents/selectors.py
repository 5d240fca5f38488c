"""Reads of 公文. The object's own app decides who may see the object; these follow it."""

from django.db.models import Count, Q, QuerySet

from fazhi.core.errors import NotFound
from fazhi.core.models import Unit
from fazhi.core.normalize import clean_text
from fazhi.core.scope import has_permission, scope_q, user_data_scope
from fazhi.documents.models import DocumentNumberRegister, GeneratedDocument


def documents_for(*, object_kind: str, object_id: int) -> QuerySet[GeneratedDocument]:
    """The documents generated for one object, newest first (for the object's page)."""
    return GeneratedDocument.objects.filter(object_kind=object_kind, object_id=object_id).select_related(
        "attachment", "created_by"
    )


def document_bytes(document: GeneratedDocument) -> bytes:
    with document.attachment.file.open("rb") as f:
        return f.read()


# ---------------------------------------------------------------- 发文字号 registers (pages and API)


def _register_scope_q(user):
    if not (has_permission(user, "document.view") or has_permission(user, "document.manage")):
        return Q(pk__in=[])
    if user_data_scope(user) == "self":
        # 本人: the registers of his own unit (its numbers are the unit's, not anybody's own)
        return Q(unit_id=user.unit_id) if user.unit_id else Q(pk__in=[])
    return scope_q(user, unit_field="unit")


def register_list(*, user, q: str = "", year: int | None = None, unit: int | None = None) -> QuerySet:
    """The registers of the units inside the viewer's scope, newest year first, with how many numbers were taken."""
    qs = DocumentNumberRegister.objects.filter(_register_scope_q(user)).select_related("unit")
    if year:
        qs = qs.filter(year=year)
    if unit:
        qs = qs.filter(unit_id=unit)
    q = clean_text(q)
    if q:
        qs = qs.filter(
            Q(doc_type__icontains=q)
            | Q(prefix__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(unit__short_name__icontains=q)
        )
    return qs.annotate(taken=Count("numbers")).order_by("-year", "unit__sort_order", "unit_id", "doc_type", "id")


def register_get(*, user, pk):
    try:
        return DocumentNumberRegister.objects.filter(_register_scope_q(user)).select_related("unit").get(pk=pk)
    except (DocumentNumberRegister.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def register_numbers(*, register, q: str = "") -> QuerySet:
    """The numbers taken from a register, with who took them and when, last first."""

    qs = register.numbers.select_related("taken_by")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(taken_by__name__icontains=q) | Q(taken_by__username__icontains=q))
    return qs.order_by("-number", "-id")


def register_unit_choices(*, user) -> QuerySet:
    """Units a register can be set up for: active units inside the user's scope."""
    qs = Unit.objects.filter(is_active=True)
    if user_data_scope(user) == "self":
        return qs.none()
    return qs.filter(scope_q(user, unit_field="")).order_by("sort_order", "id")


def register_doc_types() -> list[str]:
    """The 文种 in use, for the form's suggestions."""
    return list(DocumentNumberRegister.objects.order_by("doc_type").values_list("doc_type", flat=True).distinct())
