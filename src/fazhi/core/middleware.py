"""Session idle timeout and the forced password change of first login."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

EXEMPT_PREFIXES = ("/static/", "/login/", "/logout/", "/password/", "/api/", "/portal/")


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path.startswith("/api/"):
            limit = settings.FAZHI["SESSION_IDLE_MINUTES"] * 60
            now = int(time.time())
            last = request.session.get("last_activity", now)
            if now - last > limit:
                logout(request)
                messages.warning(request, "长时间未操作，已自动退出，请重新登录")
                return redirect(f"{settings.LOGIN_URL}?next={request.path}")
            request.session["last_activity"] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect("core:password_change")
        return self.get_response(request)
