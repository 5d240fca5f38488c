"""Bot protection of the public form without third-party services: a honeypot field that people never see
and fill, and a signed timestamp issued with the form (a person takes at least FORM_MIN_SECONDS to fill it
in). The random nonce inside the token is also the submission's idempotency key."""

import secrets
import time

from django.core import signing

from fazhi.complaints import rules
from fazhi.core.errors import DomainError

SALT = "fazhi.complaints.form"


def issue_token(*, now: float | None = None) -> str:
    return signing.dumps({"n": secrets.token_hex(16), "t": int(now if now is not None else time.time())}, salt=SALT)


def check_token(token: str, *, honeypot: str = "", now: float | None = None) -> str:
    """The nonce of a valid token; a DomainError (no detail useful to a bot) otherwise."""
    now = now if now is not None else time.time()
    if honeypot:
        raise DomainError("提交失败，请刷新页面后重新填写", field="form_token")
    try:
        data = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        raise DomainError("表单已失效，请刷新页面后重新填写", field="form_token") from None
    age = now - int(data.get("t", 0))
    if age < rules.FORM_MIN_SECONDS:
        raise DomainError("提交过快，请确认填写内容后再提交", field="form_token")
    if age > rules.FORM_MAX_SECONDS:
        raise DomainError("表单已超过 4 小时未提交，请刷新页面后重新填写", field="form_token")
    return str(data["n"])
