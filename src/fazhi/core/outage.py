"""A shared service that is down — the file store or Redis — answers 503 with a Chinese page, not a 500.

Installed as `handler500` (fazhi/urls.py): Django calls it from inside the `except` block that caught the
error, wherever it was raised (a view, a service, the session middleware), so `sys.exc_info()` still holds
the exception. Nothing is retried here: the clients' short socket timeouts (settings.py) make the request
fail within seconds, and the next request reconnects on its own once the service is back.
Services write in one transaction, and attachments are stored inside it, so a failed store rolls back
the database rows of the same request.
"""

import errno
import logging
import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error

logger = logging.getLogger("fazhi.outage")

MESSAGES = {
    "storage": "文件存储服务暂时不可用，请求未能完成。请稍后重试；问题持续时请联系系统管理员。",
    "cache": "会话与缓存服务暂时不可用，请求未能完成。请稍后重试；如刚提交过内容，请先刷新页面确认是否已保存。",
}
# A local or network disk that is gone or full, as opposed to one missing file (a plain 404/500).
_DISK_ERRNOS = {errno.EIO, errno.ENOSPC, errno.EROFS, errno.ESTALE, errno.ENOTCONN, errno.ETIMEDOUT, errno.EHOSTDOWN}


def outage_kind(exc: BaseException | None) -> str | None:
    """'storage' or 'cache' when `exc` (or what caused it) says that shared service is unreachable."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        kind = _kind(exc)
        if kind:
            return kind
        exc = exc.__cause__ or exc.__context__
    return None


def _kind(exc: BaseException) -> str | None:
    try:
        import redis.exceptions as redis_errors

        if isinstance(exc, redis_errors.ConnectionError | redis_errors.TimeoutError | redis_errors.ReadOnlyError):
            return "cache"
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    try:
        import botocore.exceptions as boto_errors

        if isinstance(exc, boto_errors.ConnectionError | boto_errors.HTTPClientError):
            return "storage"
        if isinstance(exc, boto_errors.ClientError):
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
            return "storage" if status >= 500 else None
    except ImportError:  # pragma: no cover - boto3 is a dependency
        pass
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
        return "storage"
    return None


def outage_response(request: HttpRequest, kind: str) -> HttpResponse:
    message = MESSAGES[kind]
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message, "code": f"{kind}_unavailable"}, status=503)
    else:
        html = render_to_string("503.html", {"message": message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response


def server_error_view(request: HttpRequest) -> HttpResponse:
    kind = outage_kind(sys.exc_info()[1])
    if kind is None:
        return server_error(request)
    logger.error("%s unavailable: %s %s", kind, request.method, request.path)
    return outage_response(request, kind)
