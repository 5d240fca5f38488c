"""The record of signed-in browser sessions (models.UserSession) behind the list of online sessions.

A record is written at login (the `user_logged_in` signal), touched by the idle-timeout middleware at most
once a minute, and ended at logout, at timeout or by a forced logout. The record's id also lives in the
session data, so the record follows the session when Django rotates its key.
"""

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from fazhi.core.models import UserSession

SID = "_fazhi_sid"
LOGIN_AT = "_fazhi_login_at"
TOUCH_SECONDS = 60

# Why a session ended (UserSession.end_reason).
END_LOGOUT = "退出登录"
END_RELOGIN = "重新登录"
END_TIMEOUT = "超时"
END_EXPIRED = "超过会话时长"
END_FORCED = "强制下线"


def _client(request) -> tuple[str | None, str]:
    from fazhi.core.audit import client_ip

    return client_ip(request), (request.META.get("HTTP_USER_AGENT") or "")[:255]


def session_record_login(*, request, user, now: dt.datetime | None = None) -> UserSession | None:
    """Start the record of the session `user` has just signed in with."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    now = now or timezone.now()
    ip, agent = _client(request)
    previous = session.get(SID)
    if previous:
        # A login on top of a signed-in session: Django kept the data under a new key.
        UserSession.objects.filter(pk=previous, ended_at__isnull=True).exclude(session_key=session.session_key).update(
            ended_at=now, end_reason=END_RELOGIN
        )
    session[LOGIN_AT] = int(now.timestamp())
    record, _ = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip": ip,
            "user_agent": agent,
            "login_at": now,
            "last_activity": now,
            "ended_at": None,
            "end_reason": "",
        },
    )
    session[SID] = record.pk
    return record


def session_record_touch(*, request, now: dt.datetime | None = None) -> UserSession | None:
    """The live record of the request's session, touched; None if the session was ended (forced logout)."""
    session, user = request.session, request.user
    now = now or timezone.now()
    key = session.session_key
    record = UserSession.objects.filter(session_key=key).first() if key else None
    if record is None and session.get(SID):
        # Django rotated the key (login on top of a session, a password change): follow it.
        record = UserSession.objects.filter(pk=session[SID], user=user).first()
        if record is not None and record.ended_at is None:
            record.session_key = key
            record.save(update_fields=["session_key"])
    if record is None:
        # A session older than this record keeping, or one whose record was removed.
        if key is None:
            session.save()
        ip, agent = _client(request)
        record = UserSession.objects.create(
            session_key=session.session_key, user=user, ip=ip, user_agent=agent, login_at=now, last_activity=now
        )
        session[SID] = record.pk
        return record
    if record.ended_at is not None or record.user_id != user.pk:
        return None
    if (now - record.last_activity).total_seconds() >= TOUCH_SECONDS:
        record.last_activity = now
        UserSession.objects.filter(pk=record.pk).update(last_activity=now)
    return record


def session_record_end(*, session_key: str | None, reason: str, by=None, now: dt.datetime | None = None) -> int:
    if not session_key:
        return 0
    return UserSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
        ended_at=now or timezone.now(), end_reason=reason, ended_by=by if getattr(by, "pk", None) else None
    )


def session_store_delete(session_key: str) -> None:
    """Remove a session from the configured session store, whatever the engine (database, cache)."""
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).delete()


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    session_record_login(request=request, user=user)


def on_user_logged_out(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session_record_end(session_key=session.session_key, reason=END_LOGOUT, by=user)
