"""Uploaded files: checked by type and size (design.md §4), stored under a random name with their SM3 digest.

A file is never served inline: downloads always go out as `Content-Disposition: attachment`.
"""

import hashlib
import logging
import os
import unicodedata
import uuid
import weakref

from django.db import transaction
from django.http import FileResponse, HttpResponse

from fazhi.core.errors import DomainError
from fazhi.core.models import Attachment
from fazhi.core.outage import outage_kind

logger = logging.getLogger(__name__)

MAX_SIZE = 20 * 1024 * 1024
# Extension → the content type we send back (never the one the browser claimed on upload).
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "wav": "audio/wav",
    "zip": "application/zip",
    "txt": "text/plain",
}
ALLOWED_LABEL = "、".join(sorted(ALLOWED_TYPES))


def _clean_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", os.path.basename((name or "").replace("\\", "/"))).strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-200:] or "附件"


def attachment_check(*, name: str, size: int) -> str:
    """The extension of an acceptable file, or a DomainError naming what is wrong with it."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise DomainError(f"附件“{name}”的类型不允许：只接受 {ALLOWED_LABEL} 格式", field="attachments")
    if size <= 0:
        raise DomainError(f"附件“{name}”是空文件", field="attachments")
    if size > MAX_SIZE:
        raise DomainError(f"附件“{name}”超过 20 MB 的大小限制", field="attachments")
    return ext


def attachment_store(*, file, by) -> Attachment:
    """Check and store one uploaded file. The caller's transaction rolls the row back if it fails later."""
    name = _clean_name(getattr(file, "name", ""))
    ext = attachment_check(name=name, size=file.size)
    digest = hashlib.new("sm3")
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    attachment = Attachment(
        name=name,
        size=file.size,
        sm3=digest.hexdigest(),
        content_type=ALLOWED_TYPES[ext],
        uploaded_by=by if getattr(by, "pk", None) else None,
    )
    # Stored under a random name: the uploader's file name never reaches the file system.
    attachment.file.save(f"{uuid.uuid4().hex}.{ext}", file, save=False)
    _delete_on_rollback(attachment.file.storage, attachment.file.name)
    attachment.save()
    return attachment


def attachments_store(*, files, by) -> list[Attachment]:
    """Check every file first and store them only if all pass: a refused file leaves none of the others
    behind. Stored files of a transaction that rolls back later are deleted (`_delete_on_rollback`)."""
    files = list(files or [])
    for f in files:
        attachment_check(name=_clean_name(getattr(f, "name", "")), size=f.size)
    return [attachment_store(file=f, by=by) for f in files]


class _Pending:
    """Lives exactly as long as the on-commit callback that refers to it."""


def _delete_on_rollback(storage, name: str) -> None:
    """Delete the stored file if the transaction (or savepoint) it was stored in rolls back.

    Django has no rollback hook, but it drops the on-commit callbacks of a transaction or savepoint that
    rolls back; the callback registered here holds the only reference to a `_Pending`, whose finalizer
    deletes the file when it is dropped (immediately, by reference counting). On commit the callback runs
    first and detaches the finalizer, so the file stays."""
    if not transaction.get_connection().in_atomic_block:
        return  # autocommit: the row is written at once, nothing can roll back
    pending = _Pending()
    finalizer = weakref.finalize(pending, _delete_quietly, storage, name)

    def committed(pending=pending):
        finalizer.detach()

    transaction.on_commit(committed)


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.warning("attachment file %s of a rolled-back transaction could not be deleted", name)


def attachment_digest(attachment: Attachment) -> str | None:
    """SM3 of the stored bytes, read through the storage API (local disk or S3); None if the file is gone."""
    digest = hashlib.new("sm3")
    try:
        with attachment.file.storage.open(attachment.file.name, "rb") as f:
            for chunk in iter(lambda: f.read(1024 * 1024), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError) as exc:
        if outage_kind(exc):
            raise  # the store is down, not the file altered: fazhi.core.outage answers 503
        return None
    return digest.hexdigest()


def attachment_response(attachment: Attachment) -> HttpResponse:
    """Always a download, never rendered by the browser (no inline HTML, no sniffing).

    A file whose bytes no longer match the SM3 registered at upload (overwritten in storage) is not served."""
    if attachment_digest(attachment) != attachment.sm3:
        logger.error("attachment %s: stored bytes do not match its SM3", attachment.pk)
        return HttpResponse(
            "附件文件已被改动或缺失，与上传时登记的 SM3 不符，已拒绝下载。请联系系统管理员。",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
