"""Uploaded files: checked by type and size (design.md §4), stored under a random name with their SM3 digest.

A file is never served inline: downloads always go out as `Content-Disposition: attachment`.
"""

import hashlib
import os
import unicodedata
import uuid

from django.http import FileResponse

from fazhi.core.errors import DomainError
from fazhi.core.models import Attachment

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
    attachment.save()
    return attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """Always a download, never rendered by the browser (no inline HTML, no sniffing)."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
