"""Data scope: agency A never sees agency B's items, through selectors, pages or the API."""

import pytest

from fazhi.core.scope import user_data_scope
from fazhi.core.selectors import unit_list

pytestmark = pytest.mark.django_db


def test_scope_of_builtin_roles(users):
    assert user_data_scope(users["supervisor"]) == "all"
    assert user_data_scope(users["agency"]) == "subtree"
    assert user_data_scope(users["officer"]) == "self"


def test_agency_sees_its_subtree_only(users, org):
    names = {u.name for u in unit_list(user=users["agency"])}
    assert "示例市市场监督管理局" in names
    assert "示例市市场监督管理局东城分局" in names
    assert "示例市生态环境局" not in names


def test_supervisor_sees_all_units(users, org):
    assert unit_list(user=users["supervisor"]).count() == len(org)


def test_units_api_is_scoped(api_client):
    r = api_client("agency2").get("/api/v1/units", {"q": "局"})
    assert r.status_code == 200
    names = {u["name"] for u in r.json()}
    assert "示例市生态环境局" in names
    assert "示例市市场监督管理局" not in names
    assert set(r.json()[0]) == {"id", "name", "short_name", "kind", "division"}


def test_api_requires_authentication(client):
    assert client.get("/api/v1/units").status_code == 401
    r = client.get("/api/v1/units", headers={"Authorization": "Bearer nonsense"})
    assert r.status_code == 401
