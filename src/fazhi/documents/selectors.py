"""Reads of 公文. The object's own app decides who may see the object; these follow it."""

from django.db.models import QuerySet

from fazhi.documents.models import GeneratedDocument


def documents_for(*, object_kind: str, object_id: int) -> QuerySet[GeneratedDocument]:
    """The documents generated for one object, newest first (for the object's page)."""
    return GeneratedDocument.objects.filter(object_kind=object_kind, object_id=object_id).select_related(
        "attachment", "created_by"
    )


def document_bytes(document: GeneratedDocument) -> bytes:
    with document.attachment.file.open("rb") as f:
        return f.read()
