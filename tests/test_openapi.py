"""The OpenAPI document is accurate (issue 8): unique schema names, the error answers of every operation
documented, and the Swagger UI at /api/v1/docs loads nothing from outside (intranets have no internet)."""

import re

import pytest
from django.contrib.staticfiles import finders
from ninja import Schema

pytestmark = pytest.mark.django_db


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_schema_names_are_unique():
    import fazhi.api  # noqa: F401  (imports every router and its schemas)

    by_name: dict[str, set[str]] = {}
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("fazhi."):
            by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    duplicates = {name: modules for name, modules in by_name.items() if len(modules) > 1}
    assert duplicates == {}


def test_every_operation_documents_its_error_answers():
    from fazhi.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert "ErrorOut" in schema["components"]["schemas"]
    missing = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            expected = {"404", "422"} | ({"401", "403"} if operation.get("security") else set())
            if "requestBody" in operation:
                expected.add("400")
            if not expected <= set(operation["responses"]):
                missing.append(f"{method.upper()} {path}: {sorted(expected - set(operation['responses']))}")
    assert missing == []


def test_docs_load_only_local_assets(client):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert "cdn" not in html.lower()
    assert "'self'" in r.headers["Content-Security-Policy"]
    assert "validator.swagger.io" not in html


def test_security_is_documented_on_every_operation_that_needs_a_login():
    from django.urls import get_resolver

    from fazhi.api import api

    get_resolver().url_patterns  # noqa: B018  (binds the routers, which sets each operation's guards)
    public = {
        api.get_openapi_operation_id(operation)
        for router in api._get_bound_routers()
        for view in router.path_operations.values()
        for operation in view.operations
        if all(getattr(a, "mode", "") == "public" for a in operation.auth_callbacks)
    }
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    without_security = {
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
        if not operation.get("security")
    }
    assert public and without_security == public
