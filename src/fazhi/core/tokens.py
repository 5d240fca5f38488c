"""Bearer-token authentication for the API: `Authorization: Bearer <token>`."""

from django.utils import timezone
from ninja.security import HttpBearer

from fazhi.core.models import ApiToken


def user_for_token(secret: str):
    from fazhi.core.services import token_hash

    # A password reset by an administrator, or a first-login change still pending, suspends the user's tokens
    # until the owner has set a password of their own (who reset it may have held a token-bearing session).
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(
            key_hash=token_hash(secret),
            revoked_at__isnull=True,
            user__is_active=True,
            user__must_change_password=False,
        )
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def _authenticate(request, *, session: bool = True):
    """The caller of an API request: a bearer token first, then the session cookie; None if neither."""
    from django.conf import settings
    from ninja.security import SessionAuth

    user = BearerTokenAuth()(request)
    # Only a request that carries a session cookie is a session call (and owes a CSRF token on writes);
    # without one it is simply anonymous: 401, not a CSRF 403.
    if not user and session and settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = SessionAuth()(request)
    return user or None


class PermissionAuth:
    """The guard every API route declares as its `auth=` (the API's default denies, see fazhi/api.py).

    `PermissionAuth("case.view", ...)` requires one of the codes; `LoginAuth()` any signed-in user (only for
    the caller's own things); `PublicAuth()` nobody (the portal). The guard runs before the body is parsed,
    so a caller without the permission gets 403 {"detail": "无权访问"} whatever it sent, and no 422 that
    would describe the schema to it.
    """

    def __init__(self, *codes: str, _mode: str = "permission"):
        if _mode == "permission" and not codes:
            raise ValueError("PermissionAuth needs a permission code; use LoginAuth() or PublicAuth()")
        self.codes = codes
        self.mode = _mode
        if _mode != "public":
            self.openapi_security_schema = {"type": "http", "scheme": "bearer"}

    def __call__(self, request):
        from django.contrib.auth.models import AnonymousUser

        from fazhi.core.errors import Forbidden
        from fazhi.core.scope import has_permission

        if self.mode == "public":
            # Public routes act on no identity; a stray session cookie must not make them demand CSRF.
            return _authenticate(request, session=False) or AnonymousUser()
        user = _authenticate(request)
        if user is None:
            return None
        if self.mode == "permission" and not any(has_permission(user, code) for code in self.codes):
            raise Forbidden()
        return user

    def __repr__(self) -> str:
        return f"<{self.mode} {','.join(self.codes)}>"


def LoginAuth() -> PermissionAuth:
    return PermissionAuth(_mode="login")


def PublicAuth() -> PermissionAuth:
    return PermissionAuth(_mode="public")


class DenyAuth:
    """The API's default: a route that declares no guard of its own answers 403 to everyone."""

    codes = ()
    mode = "deny"

    def __call__(self, request):
        from fazhi.core.errors import Forbidden

        raise Forbidden()
