"""Organisation API: permissions (403), scope (404), validation (422 naming the field), tokens."""

import pytest

from fazhi.core.models import ApiToken, Division, Unit, User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Chushi@2026x"
JSON = "application/json"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/divisions"),
        ("post", "/api/v1/divisions"),
        ("post", "/api/v1/units"),
        ("get", "/api/v1/users"),
        ("post", "/api/v1/users"),
        ("get", "/api/v1/roles"),
        ("post", "/api/v1/roles"),
    ],
)
def test_missing_permission_is_403(api_client, method, path):
    c = api_client("agency")
    r = getattr(c, method)(path, data={} if method == "post" else None, content_type=JSON)
    assert r.status_code == 403
    assert r.json() == {"detail": "无权访问"}


def test_units_list_contract_unchanged(api_client):
    r = api_client("admin").get("/api/v1/units", {"kind": "justice"})
    assert r.status_code == 200
    assert set(r.json()[0]) == {"id", "name", "short_name", "kind", "division"}


def test_unit_detail_scope(api_client, org):
    c = api_client("agency")
    own = org["示例市市场监督管理局东城分局"]
    r = c.get(f"/api/v1/units/{own.pk}")
    assert r.status_code == 200 and r.json()["parent_id"] == org["示例市市场监督管理局"].pk
    r = c.get(f"/api/v1/units/{org['示例市生态环境局'].pk}")
    assert r.status_code == 404
    assert c.get("/api/v1/units/999999").status_code == 404


def test_unit_create_and_validation(api_client, org):
    c = api_client("admin")
    body = {
        "name": "示例市大数据中心",
        "kind": "other",
        "division": "439900",
        "parent_id": org["示例市人民政府"].pk,
    }
    r = c.post("/api/v1/units", body, content_type=JSON)
    assert r.status_code == 201, r.json()
    assert Unit.objects.get(pk=r.json()["id"]).parent == org["示例市人民政府"]
    r = c.post("/api/v1/units", body | {"name": "示例市大数据中心二", "division": "999999"}, content_type=JSON)
    assert r.status_code == 422
    assert r.json()["field"] == "division" and r.json()["detail"] == "区划代码“999999”不存在"
    r = c.post("/api/v1/units", body | {"name": "示例市大数据中心二", "parent_id": 999999}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "parent"
    r = c.post("/api/v1/units", body, content_type=JSON)
    assert r.status_code == 422 and r.json()["detail"] == "单位“示例市大数据中心”已存在"
    assert not Unit.objects.filter(name="示例市大数据中心二").exists()


def test_unit_patch_own_ancestor_changes_nothing(api_client, org):
    c = api_client("admin")
    market = org["示例市市场监督管理局"]
    branch = org["示例市市场监督管理局东城分局"]
    r = c.patch(f"/api/v1/units/{market.pk}", {"parent_id": branch.pk}, content_type=JSON)
    assert r.status_code == 422
    assert r.json()["field"] == "parent"
    assert r.json()["detail"] == "上级单位不能是本单位或其下级单位"
    assert Unit.objects.get(pk=market.pk).parent == org["示例市人民政府"]
    r = c.patch(f"/api/v1/units/{market.pk}", {"short_name": "市监局"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["short_name"] == "市监局"
    assert r.json()["parent_id"] == org["示例市人民政府"].pk


def test_dept_admin_cannot_touch_other_agency(api_client, dept_admin, org, users):
    c = api_client("agency")
    other = org["示例市生态环境局"]
    assert c.patch(f"/api/v1/units/{other.pk}", {"short_name": "x"}, content_type=JSON).status_code == 404
    assert c.get(f"/api/v1/users/{users['agency2'].pk}").status_code == 404
    assert c.patch(f"/api/v1/users/{users['agency2'].pk}", {"name": "x"}, content_type=JSON).status_code == 404
    assert c.get(f"/api/v1/users/{users['officer'].pk}").status_code == 200
    # Nor create a user in it.
    body = {"username": "spy", "name": "间谍", "unit_id": other.pk, "password": GOOD_PASSWORD}
    r = c.post("/api/v1/users", body, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "unit_id"
    usernames = {u["username"] for u in c.get("/api/v1/users").json()}
    assert usernames == {"agency", "officer"}


def test_division_api(api_client):
    c = api_client("admin")
    r = c.post("/api/v1/divisions", {"code": "439910", "name": "新区", "parent_code": "439900"}, content_type=JSON)
    assert r.status_code == 201 and r.json()["parent_code"] == "439900"
    r = c.post("/api/v1/divisions", {"code": "43991", "name": "坏区"}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "code"
    r = c.post("/api/v1/divisions", {"code": "439911", "name": "坏区", "parent_code": "000001"}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "parent"
    pk = Division.objects.get(code="439910").pk
    r = c.patch(f"/api/v1/divisions/{pk}", {"name": "新城区", "is_active": False}, content_type=JSON)
    assert r.status_code == 200 and r.json()["name"] == "新城区" and not r.json()["is_active"]
    city = Division.objects.get(code="439900")
    r = c.patch(f"/api/v1/divisions/{city.pk}", {"is_active": False}, content_type=JSON)
    assert r.status_code == 422 and "还有启用的" in r.json()["detail"]
    assert [d["code"] for d in c.get("/api/v1/divisions", {"q": "4399"}).json()][:2] == ["439900", "439902"]


def test_user_api_create_patch(api_client, org):
    c = api_client("admin")
    body = {
        "username": "apiuser",
        "name": "接口用户",
        "unit_id": org["示例市司法局"].pk,
        "roles": ["officer"],
        "password": "weak",
    }
    r = c.post("/api/v1/users", body, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "password"
    r = c.post("/api/v1/users", body | {"password": GOOD_PASSWORD}, content_type=JSON)
    assert r.status_code == 201
    data = r.json()
    assert data["roles"] == ["officer"] and data["must_change_password"] and "password" not in data
    r = c.post("/api/v1/users", body | {"password": GOOD_PASSWORD, "username": "APIUSER"}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "username"
    r = c.patch(f"/api/v1/users/{data['id']}", {"roles": ["officer", "nope"]}, content_type=JSON)
    assert r.status_code == 422 and r.json()["detail"] == "角色“nope”不存在"
    r = c.patch(f"/api/v1/users/{data['id']}", {"roles": ["leader"], "is_active": False}, content_type=JSON)
    assert r.status_code == 200 and r.json()["roles"] == ["leader"] and not r.json()["is_active"]
    assert User.objects.get(pk=data["id"]).name == "接口用户"


def test_role_api(api_client):
    c = api_client("secadmin")
    r = c.post(
        "/api/v1/roles",
        {"code": "log_reader", "name": "日志查阅员", "data_scope": "all", "permissions": ["log.view"]},
        content_type=JSON,
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    r = c.patch(f"/api/v1/roles/{pk}", {"permissions": ["log.view", "bad.code"]}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "permissions"
    r = c.patch(f"/api/v1/roles/{pk}", {"data_scope": "unit"}, content_type=JSON)
    assert r.json()["data_scope"] == "unit" and r.json()["permissions"] == ["log.view"]
    assert "log_reader" in {x["code"] for x in c.get("/api/v1/roles").json()}


def test_tokens_api(api_client, users):
    c = api_client("agency")
    r = c.post("/api/v1/tokens", {"name": "脚本"}, content_type=JSON)
    assert r.status_code == 201
    secret, pk = r.json()["secret"], r.json()["id"]
    listed = c.get("/api/v1/tokens").json()
    assert pk in {t["id"] for t in listed} and all("secret" not in t for t in listed)
    from django.test import Client

    new_client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert new_client.get("/api/v1/me").json()["username"] == "agency"
    other = ApiToken.objects.create(user=users["agency2"], prefix="x", key_hash="0" * 64)
    assert c.delete(f"/api/v1/tokens/{other.pk}").status_code == 404
    assert c.delete(f"/api/v1/tokens/{pk}").status_code == 204
    assert new_client.get("/api/v1/me").status_code == 401
