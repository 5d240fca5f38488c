"""Revealing masked personal data (design.md §4): always a POST that gives a reason, and always logged.

A GET never unmasks anything, so a link followed by a crawler or a prefetching browser reveals nothing and
writes no audit record. The caller checks who may reveal (its entity's predicate); this module checks the
reason and writes the operation log entry in the caller's transaction.
"""

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError
from fazhi.core.normalize import clean_text

REASON_FIELD = "reveal_reason"
REASON_MAX = 200


def reveal_reason(raw) -> str:
    reason = clean_text(raw or "")
    if not reason:
        raise DomainError("查看完整信息须填写理由（将记入操作日志）", field=REASON_FIELD)
    if len(reason) > REASON_MAX:
        raise DomainError(f"理由不能超过 {REASON_MAX} 个字", field=REASON_FIELD)
    return reason


def reveal_log(*, user, obj, what: str, reason: str, ip=None) -> None:
    """Record who saw `what` of `obj` in full, and why."""
    log_operation(user=user, action=f"查看{what}", obj=obj, summary=f"{obj}；理由：{reason}"[:300], ip=ip)


def reveal_request(request) -> str | None:
    """The reason of a page's reveal POST (None when the request asks for no reveal); DomainError if blank."""
    if request.method != "POST" or REASON_FIELD not in request.POST:
        return None
    return reveal_reason(request.POST.get(REASON_FIELD))
