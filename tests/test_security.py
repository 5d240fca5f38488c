"""Cross-cutting security settings (design.md §4): CSP, CSRF, cookies, framing, no unauthenticated pages."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_send_strict_csp_and_no_framing(client):
    r = client.get("/login/")
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_login_form_requires_csrf_token():
    client = Client(enforce_csrf_checks=True)
    r = client.post("/login/", {"username": "supervisor", "password": "x"})
    assert r.status_code == 403


def test_session_api_writes_require_csrf(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["supervisor"])
    r = client.post("/api/v1/tasks", {"title": "x"}, content_type="application/json")
    assert r.status_code in (401, 403)


def test_anonymous_is_sent_to_login(client):
    r = client.get("/")
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/login/")


def test_passwords_are_hashed_with_argon2(users):
    assert users["supervisor"].password.startswith("argon2")


def test_open_redirect_after_login_is_refused(client):
    from fazhi.core.demo.build import DEMO_PASSWORD

    r = client.post("/login/", {"username": "supervisor", "password": DEMO_PASSWORD, "next": "https://evil.example/"})
    assert r.status_code == 302
    assert r.headers["Location"] == "/"
