"""Session idle timeout, absolute session lifetime, forced logout, and the forced password change of first login."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect

from fazhi.core import sessions

EXEMPT_PREFIXES = ("/static/", "/login/", "/logout/", "/password/", "/api/", "/portal/")
API_PREFIX = "/api/"

IDLE_MESSAGE = "长时间未操作，已自动退出，请重新登录"
EXPIRED_MESSAGE = "登录时间已超过会话时长上限，请重新登录"
FORCED_MESSAGE = "您的会话已被安全管理员强制下线，请重新登录"


def _bearer(request) -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


class IdleTimeoutMiddleware:
    """Ends a browser session idle longer than SESSION_IDLE_MINUTES, older than SESSION_COOKIE_AGE, or
    forced out by the security administrator — for pages and for API calls made with the session cookie.

    `request.user` here comes from the session only: a bearer-token call is authenticated later by the API
    and is not a session call. If such a call also carries an ended session, the session is dropped silently
    so that the API cannot fall back on it, and the token decides.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last = session.get("last_activity", now)
            started = session.get(sessions.LOGIN_AT) or now
            message = reason = None
            if now - last > settings.FAZHI["SESSION_IDLE_MINUTES"] * 60:
                message, reason = IDLE_MESSAGE, sessions.END_TIMEOUT
            elif now - started > settings.SESSION_COOKIE_AGE:
                message, reason = EXPIRED_MESSAGE, sessions.END_EXPIRED
            elif sessions.session_record_touch(request=request) is None:
                message = FORCED_MESSAGE
            if message is not None:
                if reason:
                    sessions.session_record_end(session_key=session.session_key, reason=reason)
                logout(request)
                if request.path.startswith(API_PREFIX):
                    if _bearer(request):
                        return self.get_response(request)
                    return JsonResponse({"detail": message}, status=401)
                messages.warning(request, message)
                return redirect(f"{settings.LOGIN_URL}?next={request.path}")
            session["last_activity"] = now
            session.setdefault(sessions.LOGIN_AT, started)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A user whose password was set by someone else (first login, reset by an administrator) must change it
    before doing anything else; on the API (with the session cookie) that is a 403. Their bearer tokens are
    suspended meanwhile (tokens.user_for_token)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            if request.path.startswith(API_PREFIX):
                if not _bearer(request):
                    return JsonResponse({"detail": "须先修改密码才能使用 API，请在网页上修改密码"}, status=403)
                # The token decides; the API must not fall back on this session.
                request.user = AnonymousUser()
            elif not request.path.startswith(EXEMPT_PREFIXES):
                return redirect("core:password_change")
        return self.get_response(request)
