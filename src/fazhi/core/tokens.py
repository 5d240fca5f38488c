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
