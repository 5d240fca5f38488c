import datetime as dt

import pytest

from fazhi.core.models import OperationLog, Unit
from fazhi.registry.demo import id_number
from fazhi.registry.models import Agency, Certificate, Officer, PowerItem
from fazhi.registry.tests.helpers import BASIS, ECO, MARKET, TIERS, agency, item, officer, today

pytestmark = pytest.mark.django_db

API = "/api/v1"


def post(client, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json")


def patch(client, url, body):
    return client.patch(f"{API}{url}", body, content_type="application/json")


def test_registry_api_agency_create_list_patch(api_client):
    c = api_client("agency")
    unit = Unit.objects.get(name=MARKET)
    r = post(
        c,
        "/agencies",
        {"unit_id": unit.pk, "legal_status": "statutory", "jurisdiction": "示例市", "domains": ["食品安全"]},
    )
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    assert r.json()["legal_status_label"] == "法定"
    assert [a["name"] for a in c.get(f"{API}/agencies").json()] == [MARKET]
    r = patch(c, f"/agencies/{aid}", {"jurisdiction": "示例市全域"})
    assert r.status_code == 200 and r.json()["jurisdiction"] == "示例市全域" and r.json()["domains"] == ["食品安全"]
    r = post(c, "/agencies", {"unit_id": unit.pk})
    assert r.status_code == 422 and r.json()["field"] == "unit"
    # A unit outside the caller's scope is a field error, and nothing is created.
    r = post(api_client("agency2"), "/agencies", {"unit_id": Unit.objects.get(name="示例市交通运输局").pk})
    assert r.status_code == 422 and r.json()["field"] == "unit_id"
    assert Agency.objects.count() == 1


def test_registry_api_permissions_and_scope(api_client):
    market = agency()
    o = officer(market, 21)
    r = post(api_client("officer"), "/agencies", {"unit_id": market.unit_id})
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}
    r = api_client("admin").get(f"{API}/officers")
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}
    other = api_client("agency2")
    assert other.get(f"{API}/officers/{o.pk}").status_code == 404
    assert other.get(f"{API}/agencies/{market.pk}").status_code == 404
    assert patch(other, f"/officers/{o.pk}", {"post": "x"}).status_code == 404
    assert (
        post(
            other,
            f"/officers/{o.pk}/certificates",
            {"number": "X", "valid_from": "2025-01-01", "valid_to": "2026-01-01"},
        ).status_code
        == 404
    )
    assert other.get(f"{API}/officers").json() == []
    mine = api_client("agency").get(f"{API}/officers/{o.pk}")
    assert mine.status_code == 200 and mine.json()["name"] == "人员21"


def test_registry_api_officer_bad_input_saves_nothing(api_client):
    market = agency()
    c = api_client("agency")
    r = post(c, "/officers", {"agency_id": market.pk, "name": "张三", "id_number": "110101199003070039"})
    assert r.status_code == 422
    assert r.json()["field"] == "id_number" and "GB 11643" in r.json()["detail"]
    r = post(c, "/officers", {"agency_id": 999999, "name": "张三", "id_number": id_number(1)})
    assert r.status_code == 422 and r.json()["field"] == "agency_id"
    r = post(c, "/officers", {"agency_id": agency(ECO).pk, "name": "张三", "id_number": id_number(1)})
    assert r.status_code == 422 and r.json()["field"] == "agency_id"
    r = post(c, "/officers", {"agency_id": market.pk, "id_number": id_number(1)})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name"
    assert not Officer.objects.exists()
    r = post(c, "/officers", {"agency_id": market.pk, "name": "张三", "id_number": id_number(1)})
    assert r.status_code == 201
    r = post(c, "/officers", {"agency_id": market.pk, "name": "张三", "id_number": id_number(1)})
    assert r.status_code == 422 and r.json()["field"] == "id_number" and "已登记" in r.json()["detail"]


def test_registry_api_officer_masked_and_reveal_logged(api_client):
    o = officer(agency(), 22)
    c = api_client("agency")
    listed = c.get(f"{API}/officers").json()[0]
    assert listed["id_number"] != o.id_number and listed["id_number"].endswith(o.id_number[-4:])
    assert "*" in listed["id_number"] and listed["certificate_state"] == "valid"
    detail = c.get(f"{API}/officers/{o.pk}").json()
    assert detail["id_number"] == listed["id_number"] and detail["certificates"][0]["number"] == "CERT00022"
    # A GET never unmasks (the audit saw a crawler follow reveal links); a POST with a reason does, logged.
    assert c.get(f"{API}/officers/{o.pk}?reveal=true").json()["id_number"] == listed["id_number"]
    assert not OperationLog.objects.filter(action="查看身份证号").exists()
    r = c.post(f"{API}/officers/{o.pk}/reveal", {"reason": " "}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "reveal_reason"
    r = c.post(f"{API}/officers/{o.pk}/reveal", {"reason": "核对执法证信息"}, content_type="application/json")
    assert r.json()["id_number"] == o.id_number
    log = OperationLog.objects.get(action="查看身份证号", object_id=str(o.pk))
    assert "核对执法证信息" in log.summary
    assert api_client("leader").post(f"{API}/officers/{o.pk}/reveal", {"reason": "x"},
                                     content_type="application/json").status_code == 403  # fmt: skip


def test_registry_api_certificate(api_client):
    o = officer(agency(), 23, cert=False)
    c = api_client("agency")
    r = post(
        c, f"/officers/{o.pk}/certificates", {"number": "C-9", "valid_from": "2025-06-01", "valid_to": "2025-05-01"}
    )
    assert r.status_code == 422 and r.json()["field"] == "valid_to"
    assert not Certificate.objects.exists()
    r = post(
        c,
        f"/officers/{o.pk}/certificates",
        {"number": "C-9", "valid_from": "2025年6月1日", "valid_to": (today() + dt.timedelta(days=9)).isoformat()},
    )
    assert r.status_code == 201 and r.json()["state"] == "expiring"
    r = c.get(f"{API}/officers?expiring_within=30")
    assert [x["id"] for x in r.json()] == [o.pk]


def test_registry_api_power_items_versioning(api_client):
    market = agency()
    c = api_client("agency")
    body = {
        "agency_id": market.pk,
        "code": "API-1",
        "name": "事项",
        "kind": "penalty",
        "major": False,
        "legal_bases": [BASIS],
        "tiers": [{**TIERS[0]}],
    }
    r = post(c, "/power-items", body)
    assert r.status_code == 201, r.content
    v1 = r.json()
    assert v1["version"] == 1 and v1["tiers"][0]["fine_max"] == "70000.00"
    r = patch(c, f"/power-items/{v1['id']}", {"major": True, "tiers": TIERS})
    assert r.status_code == 200, r.content
    v2 = r.json()
    assert (v2["version"], v2["major"], len(v2["tiers"]), len(v2["legal_bases"])) == (2, True, 2, 1)
    assert [v["version"] for v in v2["versions"]] == [2, 1]
    old = c.get(f"{API}/power-items/{v1['id']}").json()
    assert old["is_current"] is False and len(old["tiers"]) == 1
    assert [i["id"] for i in c.get(f"{API}/power-items").json()] == [v2["id"]]
    assert len(c.get(f"{API}/power-items?current_only=false").json()) == 2
    # Editing a replaced version is refused.
    r = patch(c, f"/power-items/{v1['id']}", {"name": "x"})
    assert r.status_code == 422 and r.json()["field"] == "code"


def test_registry_api_power_item_bad_tier_saves_nothing(api_client):
    market = agency()
    body = {
        "agency_id": market.pk,
        "code": "API-2",
        "name": "事项",
        "kind": "penalty",
        "legal_bases": [BASIS],
        "tiers": [{"level": "ordinary", "circumstances": "c", "fine_min": 500, "fine_max": 100}],
    }
    r = post(api_client("agency"), "/power-items", body)
    assert r.status_code == 422 and r.json()["field"] == "tiers.0.fine_max"
    r = post(api_client("agency"), "/power-items", {**body, "tiers": [], "agency_id": agency(ECO).pk})
    assert r.status_code == 422 and r.json()["field"] == "agency_id"
    assert not PowerItem.objects.exists()


def test_registry_api_power_items_scope(api_client):
    it = item(agency(), code="S-1")
    assert api_client("agency2").get(f"{API}/power-items/{it.pk}").status_code == 404
    assert api_client("agency2").get(f"{API}/power-items").json() == []
    assert api_client("supervisor").get(f"{API}/power-items/{it.pk}").status_code == 200
    assert patch(api_client("leader"), f"/power-items/{it.pk}", {"name": "x"}).status_code == 403


def test_registry_api_list_entries(api_client):
    market = agency()
    it = item(market)
    c = api_client("agency")
    r = post(
        c,
        "/list-entries",
        {
            "agency_id": market.pk,
            "kind": "exempt",
            "power_item_id": it.pk,
            "circumstances": "首次违法且危害后果轻微并及时改正",
            "legal_basis": "《中华人民共和国行政处罚法》第三十三条第一款",
        },
    )
    assert r.status_code == 201, r.content
    entry = r.json()
    assert entry["kind_label"] == "不予处罚" and entry["power_item_id"] == it.pk and entry["agency"] == MARKET
    r = post(
        c,
        "/list-entries",
        {
            "agency_id": market.pk,
            "kind": "mitigate",
            "circumstances": "主动消除违法行为危害后果",
            "legal_basis": "《中华人民共和国行政处罚法》第三十二条",
        },
    )
    assert r.status_code == 201 and r.json()["power_item_id"] is None
    assert [e["kind"] for e in c.get(f"{API}/list-entries").json()] == ["exempt", "mitigate"]
    assert [e["kind"] for e in c.get(f"{API}/list-entries?kind=mitigate").json()] == ["mitigate"]
    r = patch(
        c, f"/list-entries/{entry['id']}", {"circumstances": "首次违法、危害后果轻微并及时改正", "is_active": False}
    )
    assert r.status_code == 200 and r.json()["is_active"] is False and r.json()["power_item_id"] == it.pk
    assert r.json()["legal_basis"] == "《中华人民共和国行政处罚法》第三十三条第一款"
    assert [e["kind"] for e in c.get(f"{API}/list-entries?active=true").json()] == ["mitigate"]
    r = patch(c, f"/list-entries/{entry['id']}", {"power_item_id": None})
    assert r.status_code == 200 and r.json()["power_item_id"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "pardon"}, "kind"),
        ({"circumstances": "  "}, "circumstances"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"power_item_id": 987654}, "power_item_id"),
        ({"agency_id": 987654}, "agency_id"),
        ({"agency_id": "x"}, "agency_id"),
    ],
)
def test_registry_api_list_entry_bad_input_422(api_client, overrides, field):
    from fazhi.registry.models import ListEntry

    market = agency()
    data = {"agency_id": market.pk, "kind": "exempt", "circumstances": "情形", "legal_basis": "依据", **overrides}
    r = post(api_client("agency"), "/list-entries", data)
    assert r.status_code == 422, r.content
    assert field in (r.json().get("field"), *[e["field"] for e in r.json().get("errors", [])])
    assert not ListEntry.objects.exists()


def test_registry_api_list_entries_permissions_and_scope(api_client):
    from fazhi.registry.models import ListEntry

    market = agency()
    entry = ListEntry.objects.create(agency=market, kind="exempt", circumstances="情形", legal_basis="依据")
    r = post(
        api_client("officer"),
        "/list-entries",
        {"agency_id": market.pk, "kind": "exempt", "circumstances": "x", "legal_basis": "y"},
    )
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}
    assert patch(api_client("officer"), f"/list-entries/{entry.pk}", {"legal_basis": "z"}).status_code == 403
    assert api_client("admin").get(f"{API}/list-entries").status_code == 403
    other = api_client("agency2")
    assert other.get(f"{API}/list-entries").json() == []
    assert patch(other, f"/list-entries/{entry.pk}", {"legal_basis": "z"}).status_code == 404
    r = post(
        other, "/list-entries", {"agency_id": market.pk, "kind": "exempt", "circumstances": "x", "legal_basis": "y"}
    )
    assert r.status_code == 422 and r.json()["field"] == "agency_id"
    entry.refresh_from_db()
    assert entry.legal_basis == "依据" and ListEntry.objects.count() == 1
