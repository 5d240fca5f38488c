"""Deny by default: every API route and every page declares its permission, and nobody without it gets in.

These tests walk the live URL configuration and the API's routers, so a route added tomorrow without a
declared permission fails here, and so does one whose guard lets an unprivileged user write.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from fazhi.core.decorators import BY_KEY, LOGIN, PUBLIC
from fazhi.core.permissions import PERMISSION_CODES
from fazhi.core.tokens import PermissionAuth

pytestmark = pytest.mark.django_db

# Routes anyone may call without logging in. Adding one here is a decision, not a default.
PUBLIC_API = {
    ("POST", "/api/v1/public/complaints"),
    ("GET", "/api/v1/public/complaints/{tracking_code}"),
    ("POST", "/api/v1/public/complaints/{tracking_code}/rating"),
    ("GET", "/api/v1/disclosures"),
    ("GET", "/api/v1/draws/{pk}/verification"),
    ("GET", "/api/v1/supervision/public/typical-cases"),
    ("GET", "/api/v1/supervision/public/typical-cases/{int:pk}"),
    ("POST", "/api/v1/public/proposals/{pk}/rating"),
    ("GET", "/api/v1/rulemaking/public/search"),
    ("GET", "/api/v1/rulemaking/public/consultations"),
    ("GET", "/api/v1/rulemaking/public/consultations/{pk}"),
    ("POST", "/api/v1/public/reconsiderations"),
    ("GET", "/api/v1/public/reconsiderations/{tracking_code}"),
    ("POST", "/api/v1/public/reconsideration-applications"),
    ("GET", "/api/v1/public/reconsideration-decisions"),
    ("GET", "/api/v1/public/reconsideration-decisions/{int:decision_id}"),
    ("GET", "/api/v1/supervision/public/invited/campaigns"),
    ("GET", "/api/v1/supervision/public/invited/campaigns/{pk}"),
    ("POST", "/api/v1/supervision/public/invited/campaigns/{pk}/applications"),
    ("POST", "/api/v1/supervision/public/invited/campaigns/{pk}/objections"),
    ("GET", "/api/v1/supervision/public/invited/applications/{tracking_code}"),
    ("GET", "/api/v1/supervision/public/invited/roster"),
}
PUBLIC_PAGES_PREFIXES = ("portal/", "login/", "logout/", "healthz", "readyz", "favicon.ico")


def api_operations():
    """(method, path, operation) for every operation of the API, child routers included."""
    from fazhi.api import api

    _ = get_resolver().url_patterns  # binds the routers, which sets each operation's guards
    found = []

    def walk(router, prefix):
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                for method in op.methods:
                    found.append((method, "/api/v1" + re.sub("/+", "/", prefix + path), op))
        for sub_prefix, sub, *_ in router._routers:
            walk(sub, prefix + sub_prefix)

    for prefix, router in api._routers:
        walk(router, prefix)
    return found


def page_patterns():
    """(path, callback) for every page URL pattern outside the API."""

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("api/"):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.callback

    return list(walk(get_resolver().url_patterns, ""))


def _guard(op):
    callbacks = op.auth_callbacks
    return callbacks[0] if len(callbacks) == 1 and isinstance(callbacks[0], PermissionAuth) else None


def _fill(path: str) -> str:
    """A concrete URL for a pattern: ids that do not exist, words that mean nothing."""
    path = re.sub(r"\{(int:)?[a-z_]*(id|pk)\}", "999999", path)
    path = re.sub(r"\{[a-z_:]+\}", "x", path)
    path = re.sub(r"<int:[a-z_]+>", "999999", path)
    return "/" + re.sub(r"<(str|slug):[a-z_]+>", "x", path).lstrip("/")


@pytest.fixture
def lacking(db):
    """`lacking(codes)`: a client of a user who holds every permission but `codes`, with the widest scope."""
    from fazhi.core.models import Role, Unit, User

    made = {}

    def make(codes):
        key = tuple(sorted(codes))
        if key not in made:
            role = Role.objects.create(
                code=f"all_but_{len(made)}",
                name=f"缺权限测试角色{len(made)}",
                data_scope="all",
                permissions=sorted(PERMISSION_CODES - set(codes)),
            )
            user = User.objects.create(
                username=f"lacking{len(made)}", name="测试", unit=Unit.objects.first(), must_change_password=False
            )
            user.roles.add(role)
            client = Client()
            client.force_login(user)
            made[key] = client
        return made[key]

    return make


def test_every_api_route_declares_its_guard():
    undeclared = [f"{m} {p}" for m, p, op in api_operations() if _guard(op) is None]
    assert undeclared == [], "API routes without PermissionAuth / LoginAuth / PublicAuth"
    for method, path, op in api_operations():
        guard = _guard(op)
        assert set(guard.codes) <= PERMISSION_CODES, f"{method} {path} names an unknown permission {guard.codes}"
        if guard.mode == "public":
            assert (method, path) in PUBLIC_API, f"{method} {path} is public but not in PUBLIC_API"


def test_no_api_route_opens_to_a_user_without_its_permission(lacking):
    checked = 0
    for method, path, op in api_operations():
        guard = _guard(op)
        if guard.mode != "permission":
            continue
        client = lacking(guard.codes)
        r = client.generic(method, _fill(path), data="{}", content_type="application/json")
        assert r.status_code == 403, f"{method} {path} answered {r.status_code} to a user without {guard.codes}"
        checked += 1
    assert checked > 80


def test_login_only_api_routes_refuse_the_anonymous():
    for method, path, op in api_operations():
        guard = _guard(op)
        if guard.mode == "public":
            continue
        r = Client().generic(method, _fill(path), data="{}", content_type="application/json")
        assert r.status_code == 401, f"{method} {path} answered {r.status_code} without login"


def test_the_api_default_denies_an_undeclared_route():
    from fazhi.api import api
    from fazhi.core.tokens import DenyAuth

    # A route that declares nothing inherits the API's default, which refuses everyone.
    defaults = api.auth if isinstance(api.auth, list | tuple) else [api.auth]
    assert [type(a) for a in defaults] == [DenyAuth]


def test_every_page_declares_its_permission():
    undeclared = [path for path, cb in page_patterns() if getattr(cb, "fazhi_permission", None) is None]
    assert undeclared == [], "pages without permission_required / login_only / public"
    for path, cb in page_patterns():
        declared = cb.fazhi_permission
        if declared == PUBLIC:
            assert path.startswith(PUBLIC_PAGES_PREFIXES), f"{path} is public outside the portal"
        elif declared not in (LOGIN, BY_KEY):
            assert set(declared) <= PERMISSION_CODES, f"{path} names an unknown permission {declared}"


def test_no_page_opens_to_a_user_without_its_permission(lacking):
    checked = 0
    for path, cb in page_patterns():
        declared = cb.fazhi_permission
        if declared in (LOGIN, PUBLIC, BY_KEY):
            continue
        client = lacking(declared)
        url = _fill(path)
        r = client.post(url)
        assert r.status_code == 403, f"POST /{path} answered {r.status_code} without {declared}"
        # A POST-only page may answer a GET with 405 before it looks at the user: it shows nothing either way.
        r = client.get(url)
        assert r.status_code in (403, 405), f"GET /{path} answered {r.status_code} without {declared}"
        checked += 1
    assert checked > 90


def test_pages_send_the_anonymous_to_login():
    for path, cb in page_patterns():
        if cb.fazhi_permission == PUBLIC:
            continue
        r = Client().post(_fill(path))
        assert r.status_code == 302 and r.headers["Location"].startswith("/login/"), path


def test_import_pages_check_each_importers_permission(lacking):
    from django.urls import reverse

    from fazhi.core.imports import IMPORTERS, import_urls

    assert IMPORTERS
    for key, importer in IMPORTERS.items():
        client = lacking([importer.permission])
        upload = reverse("core:import", args=[key])
        for url in (upload, import_urls(key)["template"]):
            assert client.get(url).status_code == 403, url
        assert client.post(upload).status_code == 403
        assert client.post(import_urls(key)["confirm"]).status_code == 403
