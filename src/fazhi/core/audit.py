"""Operation log: who did what, when, from where. Services call `log_operation` inside their transaction."""

from fazhi.core.models import OperationLog


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind a reverse proxy the operator sets TRUSTED_PROXY; otherwise trust only REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR") or None


def log_operation(*, user, action: str, obj=None, summary: str = "", ip: str | None = None) -> OperationLog:
    return OperationLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type=obj._meta.verbose_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        ip=ip,
    )
