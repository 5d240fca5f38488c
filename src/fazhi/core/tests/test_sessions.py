"""Sessions (issue 8, 等保 三级): the idle timeout and the session lifetime hold for session API calls too,
online sessions are listed and can be forced out, a pending password change suspends API access, HSTS is on
with secure cookies, and a 403 is logged without a traceback."""

import importlib.util
import logging
import time

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core import sessions
from fazhi.core.models import ApiToken, OperationLog, Role, User, UserSession
from fazhi.core.services import token_create, user_change_password, user_reset_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tq7#mVz2Lp-x"


def _age_session(client, *, idle_seconds=0, login_seconds=0):
    session = client.session
    now = int(time.time())
    session["last_activity"] = now - idle_seconds
    session[sessions.LOGIN_AT] = now - login_seconds
    session.save()


@pytest.fixture
def security_admin(users):
    """A security administrator (session.manage, scope 全部), whatever the demo roles hold."""
    role, _ = Role.objects.get_or_create(
        code="test_security", defaults={"name": "测试安全员", "data_scope": "all", "permissions": ["session.manage"]}
    )
    user = User.objects.create(
        username="sessions_secadmin", name="测试安全员", unit=users["admin"].unit, must_change_password=False
    )
    user.roles.add(role)
    return user


# ---------------------------------------------------------------- idle timeout and lifetime


def test_idle_session_cannot_use_the_api(login_as, settings):
    """A 31-minute-idle session created a permanent token through the API, which skipped the idle check."""
    c = login_as("supervisor")
    assert c.get("/api/v1/me").status_code == 200
    _age_session(c, idle_seconds=(settings.FAZHI["SESSION_IDLE_MINUTES"] + 1) * 60)
    before = ApiToken.objects.count()
    r = c.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert r.status_code == 401
    assert "长时间未操作" in r.json()["detail"]
    assert ApiToken.objects.count() == before
    # The session is gone: the next call is refused too, and its record says why.
    assert c.get("/api/v1/me").status_code in (401, 403)
    assert UserSession.objects.filter(user__username="supervisor", end_reason=sessions.END_TIMEOUT).exists()


def test_active_session_api_call_keeps_the_session_alive(login_as):
    c = login_as("supervisor")
    _age_session(c, idle_seconds=60)
    assert c.get("/api/v1/me").status_code == 200
    assert int(time.time()) - c.session["last_activity"] < 60


def test_bearer_calls_are_not_session_calls(api_client, users):
    """A token call is not touched by the idle timeout, even if it also carries an expired session cookie;
    that session is dropped, so the API cannot fall back on it."""
    c = api_client("supervisor")
    assert c.get("/api/v1/me").status_code == 200
    c.force_login(users["officer"])
    _age_session(c, idle_seconds=3 * 3600)
    r = c.get("/api/v1/me")
    assert r.status_code == 200 and r.json()["username"] == "supervisor"
    assert c.get(reverse("core:tokens")).status_code == 302  # the officer's session ended


def test_session_lifetime_is_bounded(login_as, settings):
    assert 3600 <= settings.SESSION_COOKIE_AGE <= 12 * 3600
    c = login_as("admin")
    # Busy all the time, but signed in longer than the session may live.
    _age_session(c, idle_seconds=10, login_seconds=settings.SESSION_COOKIE_AGE + 60)
    r = c.get(reverse("core:notifications"))
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    c = login_as("admin")
    _age_session(c, idle_seconds=10, login_seconds=settings.SESSION_COOKIE_AGE + 60)
    assert c.get("/api/v1/me").status_code == 401


def _settings_with(monkeypatch, **env):
    path = importlib.util.find_spec("fazhi.settings").origin
    for name in ("SECURE_COOKIES", "SESSION_MAX_HOURS", "HSTS_SECONDS", "HSTS_INCLUDE_SUBDOMAINS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("fazhi_settings_probe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_hsts_with_secure_cookies_and_session_age(monkeypatch):
    plain = _settings_with(monkeypatch)
    assert plain.SESSION_COOKIE_AGE == 8 * 3600
    assert getattr(plain, "SECURE_HSTS_SECONDS", 0) == 0
    secure = _settings_with(monkeypatch, SECURE_COOKIES="1", SESSION_MAX_HOURS="10")
    assert secure.SESSION_COOKIE_AGE == 10 * 3600
    assert secure.SESSION_COOKIE_SECURE and secure.CSRF_COOKIE_SECURE
    assert secure.SECURE_HSTS_SECONDS >= 31536000 and secure.SECURE_HSTS_INCLUDE_SUBDOMAINS


def test_hsts_header_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = 31536000, True
    header = client.get("/login/", secure=True).headers["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains"


# ---------------------------------------------------------------- online sessions and forced logout


def test_login_records_the_session(client, users):
    from fazhi.core.demo.build import DEMO_PASSWORD

    r = client.post(
        reverse("core:login"),
        {"username": "officer", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.20.30.40",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    assert r.status_code == 302
    record = UserSession.objects.get(session_key=client.session.session_key)
    assert (record.user, record.ip, record.user_agent) == (users["officer"], "10.20.30.40", "TestBrowser/1.0")
    client.post(reverse("core:logout"))
    record.refresh_from_db()
    assert record.ended_at is not None and record.end_reason == sessions.END_LOGOUT


def test_password_change_keeps_the_session_record(login_as, users):
    c = login_as("officer")
    c.get(reverse("core:notifications"))
    record = UserSession.objects.get(session_key=c.session.session_key)
    from fazhi.core.demo.build import DEMO_PASSWORD

    r = c.post(
        reverse("core:password_change"),
        {"old_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302
    assert c.get(reverse("core:notifications")).status_code == 200
    record.refresh_from_db()
    assert record.session_key == c.session.session_key and record.ended_at is None


def test_security_admin_lists_and_forces_out_a_session(security_admin, login_as):
    officer = login_as("officer")
    assert officer.get(reverse("core:notifications")).status_code == 200
    admin = Client()
    admin.force_login(security_admin)
    html = admin.get(reverse("core:session_list")).content.decode()
    record = UserSession.objects.get(session_key=officer.session.session_key)
    assert f'data-session="{record.pk}"' in html and "officer" in html and str(record.user.unit) in html

    assert admin.get(reverse("core:session_logout", args=[record.pk])).status_code == 405  # a POST only
    r = admin.post(reverse("core:session_logout", args=[record.pk]))
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.end_reason == sessions.END_FORCED and record.ended_by == security_admin
    log = OperationLog.objects.filter(action="强制下线").latest("id")
    assert log.user == security_admin and "officer" in log.summary

    # The next request of the forced-out session is refused, page or API.
    r = officer.get(reverse("core:notifications"))
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert officer.get("/api/v1/me").status_code in (401, 403)
    assert f'data-session="{record.pk}"' not in admin.get(reverse("core:session_list")).content.decode()


def test_forced_out_session_refused_even_if_the_store_kept_it(security_admin, login_as):
    """The record is checked on every request: a session store that missed the removal does not matter."""
    officer = login_as("officer")
    officer.get(reverse("core:notifications"))
    UserSession.objects.filter(session_key=officer.session.session_key).update(
        ended_at="2026-01-01T00:00:00Z", end_reason=sessions.END_FORCED
    )
    r = officer.get("/api/v1/me")
    assert r.status_code == 401 and "强制下线" in r.json()["detail"]


def test_sessions_page_needs_session_manage(login_as):
    officer = login_as("officer")
    officer.get(reverse("core:notifications"))
    record = UserSession.objects.get(session_key=officer.session.session_key)
    other = login_as("agency")
    assert other.get(reverse("core:session_list")).status_code == 403
    assert other.post(reverse("core:session_logout", args=[record.pk])).status_code == 403
    record.refresh_from_db()
    assert record.ended_at is None


# ---------------------------------------------------------------- pending password change suspends the API


def test_admin_reset_suspends_tokens_until_the_change(users, api_client):
    c = api_client("officer")
    assert c.get("/api/v1/me").status_code == 200
    user_reset_password(by=users["admin"], user=users["officer"], password="Reset#Passw0rd-93")
    assert c.get("/api/v1/me").status_code == 401
    officer = User.objects.get(username="officer")
    user_change_password(user=officer, old_password="Reset#Passw0rd-93", new_password=NEW_PASSWORD)
    assert c.get("/api/v1/me").status_code == 200


def test_pending_change_refuses_session_api_calls(users):
    officer = users["officer"]
    _, secret = token_create(user=officer)
    officer.must_change_password = True
    officer.save(update_fields=["must_change_password"])
    c = Client()
    c.force_login(officer)
    r = c.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert r.status_code == 403 and "修改密码" in r.json()["detail"]
    assert Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/v1/me").status_code == 401


# ---------------------------------------------------------------- 403 without a traceback


def test_forbidden_is_logged_without_traceback(login_as, caplog):
    c = login_as("officer")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert c.get(reverse("core:user_list")).status_code == 403
        assert c.get("/api/v1/users").status_code == 403
    refused = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert refused, "Django logs a refused request as a warning"
    assert all(r.exc_info is None and r.levelno == logging.WARNING for r in refused)
