"""The 法律顾问 API under /api/v1/legalservices/advisers: roster, contracts (the village clash is a 422 naming the
field), coverage, opinions from request to answer, rights."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.legalservices.advisers.tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/legalservices/advisers"
JSON = "application/json"


def test_roster_contract_and_coverage(api_client, org):
    sup = api_client("supervisor")
    v = f.village()
    r = sup.post(
        BASE,
        {"kind": "village", "name": "谭律师", "firm": "南山所", "unit_id": org[f.TOWNSHIP].pk, "phone": "13907431111"},
        content_type=JSON,
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["phone"] == "139****1111"
    year = timezone.localdate().year
    period = {"start": f"{year}-01-01", "end": f"{year}-12-31", "village_id": v.pk}
    assert sup.post(f"{BASE}/{pk}/contracts", period, content_type=JSON).status_code == 201
    r = sup.post(f"{BASE}/{pk}/contracts", period, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "village" and "不能重叠" in r.json()["detail"]
    cov = {c["code"]: c for c in sup.get(f"{BASE}/coverage").json()}
    assert cov["439921"]["rate"] == 100.0 and cov["439921"]["light"] == "green"
    assert sup.get(f"{BASE}/{pk}").json()["contracts"][0]["village"] == "石桥村"
    r = sup.post(f"{BASE}/{pk}/services", {"kind": "lecture", "on": str(timezone.localdate())}, content_type=JSON)
    assert r.status_code == 201
    assert sup.get(f"{BASE}/counts").json()["lectures"] == 1


def test_opinion_flow(api_client, users, org):
    gov = f.adviser(kind="government", name="欧阳顾问", unit="示例市人民政府")
    ag, sup = api_client("agency"), api_client("supervisor")
    r = ag.post(
        f"{BASE}/opinions",
        {
            "unit_id": users["agency"].unit_id,
            "kind": "contract",
            "subject": "采购合同",
            "question": "是否合法？",
            "deadline": str(timezone.localdate() + dt.timedelta(days=5)),
        },
        content_type=JSON,
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert ag.post(f"{BASE}/opinions/{pk}/route", {"adviser_id": gov.pk}, content_type=JSON).status_code == 403
    assert sup.post(f"{BASE}/opinions/{pk}/route", {"adviser_id": gov.pk}, content_type=JSON).status_code == 200
    r = sup.post(f"{BASE}/opinions/{pk}/answer", {"text": "合法。", "suggestions": 1}, content_type=JSON)
    assert r.status_code == 200 and r.json()["status"] == "answered" and r.json()["document_id"]
    assert ag.get(f"{BASE}/opinions/{pk}").json()["opinion"] == "合法。"
    assert api_client("officer").get(f"{BASE}/opinions/{pk}").status_code in (403, 404)
    assert ag.get(BASE).status_code == 403


def test_contract_terminated_and_adviser_off_the_roster_through_the_api(api_client):
    today = timezone.localdate()
    v = f.village()
    c = f.village_contract(v, start=today - dt.timedelta(days=30), end=today + dt.timedelta(days=300))
    sup = api_client("supervisor")
    url = f"{BASE}/{c.adviser_id}"
    r = sup.post(f"{url}/active", {"active": False}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "is_active"
    r = sup.put(url, {"name": "", "firm": "所"}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "name"
    r = sup.put(url, {"name": "谭二", "firm": "新所", "phone": "13900001111"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["name"] == "谭二" and r.json()["phone"] == "139****1111"
    assert api_client("leader").put(url, {"name": "x", "firm": "y"}, content_type=JSON).status_code == 403
    r = sup.post(f"{url}/contracts/{c.pk}/terminate", {"on": str(today), "reason": ""}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "reason"
    assert (
        api_client("leader")
        .post(f"{url}/contracts/{c.pk}/terminate", {"on": str(today), "reason": "x"}, content_type=JSON)
        .status_code
        == 403
    )
    r = sup.post(f"{url}/contracts/{c.pk}/terminate", {"on": str(today), "reason": "调离"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["contracts"][0]["terminated_on"] == str(today)
    cov = {x["code"]: x for x in sup.get(f"{BASE}/coverage").json()}
    assert cov["439921"]["covered"] == 0
    r = sup.post(f"{url}/active", {"active": False}, content_type=JSON)
    assert r.status_code == 200 and r.json()["is_active"] is False and "activate" in r.json()["actions"]
    assert sup.get(f"{url}/contracts/999999/terminate").status_code in (404, 405)
