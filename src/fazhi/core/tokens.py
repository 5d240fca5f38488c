"""Bearer-token authentication for the API: `Authorization: Bearer <token>`."""

from django.utils import timezone
from ninja.security import HttpBearer

from fazhi.core.models import ApiToken


def user_for_token(secret: str):
    from fazhi.core.services import token_hash

    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=token_hash(secret), revoked_at__isnull=True, user__is_active=True)
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


class PermissionAuth:
    """Authenticate like the API default (bearer token, then session) and require one of `codes`.

    Used as an operation's `auth=`, it runs before the body is parsed, so a caller without the permission
    gets 403 {"detail": "无权访问"} whatever it sent, and no 422 that would describe the schema to it.
    """

    def __init__(self, *codes: str):
        from ninja.security import SessionAuth

        self.codes = codes
        self.auths = [BearerTokenAuth(), SessionAuth()]

    def __call__(self, request):
        from fazhi.core.errors import Forbidden
        from fazhi.core.scope import has_permission

        for auth in self.auths:
            user = auth(request)
            if user:
                if not any(has_permission(user, code) for code in self.codes):
                    raise Forbidden()
                return user
        return None
