"""Bot protection of the public comment form without third-party services (as the complaint form's): a honeypot field
people never see, and a signed timestamp issued with the form — a person takes at least a few seconds to write a
comment, and a form older than four hours is stale."""

import secrets
import time

from django.core import signing

from fazhi.core.errors import DomainError

SALT = "fazhi.rulemaking.comment"
FORM_MIN_SECONDS = 2
FORM_MAX_SECONDS = 4 * 3600


def issue_token(*, now: float | None = None) -> str:
    return signing.dumps({"n": secrets.token_hex(8), "t": int(now if now is not None else time.time())}, salt=SALT)


def check_token(token: str, *, honeypot: str = "", now: float | None = None) -> None:
    now = now if now is not None else time.time()
    if honeypot:
        raise DomainError("提交失败，请刷新页面后重新填写", field="form_token")
    try:
        data = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        raise DomainError("表单已失效，请刷新页面后重新填写", field="form_token") from None
    age = now - int(data.get("t", 0))
    if age < FORM_MIN_SECONDS:
        raise DomainError("提交过快，请确认填写内容后再提交", field="form_token")
    if age > FORM_MAX_SECONDS:
        raise DomainError("表单已超过 4 小时未提交，请刷新页面后重新填写", field="form_token")
