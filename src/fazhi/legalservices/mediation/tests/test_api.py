"""The 调解 API under /api/v1/legalservices/mediation: the flow, bad input (422 naming the field), scope, rights."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.legalservices.mediation.models import MediationCase
from fazhi.legalservices.mediation.tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/legalservices/mediation"
JSON = "application/json"


def test_register_to_agreement_through_the_api(api_client):
    o = f.org()
    sup = api_client("supervisor")
    today = timezone.localdate()
    r = sup.post(
        f"{BASE}/cases",
        {
            "org_id": o.pk,
            "kind": "neighbour",
            "source": "walk_in",
            "applicant": "王大明",
            "respondent": "赵小红",
            "facts": "排水沟纠纷。",
            "amount": "300.5",
            "applicant_phone": "13807431234",
        },
        content_type=JSON,
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["applicant"] == "王某" and body["respondent"] == "赵某" and "close" in body["actions"]
    pk = body["id"]
    r = sup.post(f"{BASE}/cases/{pk}/sessions", {"held_on": str(today), "notes": "释法说理"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["status"] == "mediating"
    r = sup.post(f"{BASE}/cases/{pk}/close", {"outcome": ""}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "outcome" and "调解结果" in r.json()["detail"]
    r = sup.post(f"{BASE}/cases/{pk}/close", {"outcome": "success", "agreement": "三日内疏通。"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["status"] == "success" and r.json()["document_id"]
    r = sup.post(f"{BASE}/cases/{pk}/follow-up", {"performance": "performed"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["performance"] == "performed"
    rows = sup.get(f"{BASE}/cases?kind=neighbour").json()
    assert [c["id"] for c in rows] == [pk]
    stats = sup.get(f"{BASE}/stats?dimension=kind").json()
    assert stats[0]["success_rate"] == 100.0 and stats[0]["amount"] == 300.5
    assert sup.get(f"{BASE}/stats?dimension=nope").status_code == 422
    assert sup.get(f"{BASE}/orgs").json()[0]["mediators"] == 1


def test_court_referral_and_return(api_client):
    o = f.org()
    sup = api_client("supervisor")
    today = timezone.localdate()
    r = sup.post(
        f"{BASE}/cases",
        {
            "org_id": o.pk,
            "kind": "contract",
            "source": "court",
            "applicant": "刘志强",
            "respondent": "孙海涛",
            "facts": "借款纠纷。",
            "court_name": "东城区人民法院",
            "court_referred_on": str(today - dt.timedelta(days=2)),
        },
        content_type=JSON,
    )
    assert r.status_code == 201 and r.json()["court_due"] == str(today + dt.timedelta(days=28))
    pk = r.json()["id"]
    r = sup.post(f"{BASE}/cases/{pk}/close", {"outcome": "failed"}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "next_channel"
    r = sup.post(f"{BASE}/cases/{pk}/close", {"outcome": "failed", "next_channel": "litigation"}, content_type=JSON)
    assert r.status_code == 200 and "court_return" in r.json()["actions"]
    r = sup.post(f"{BASE}/cases/{pk}/court-return", {}, content_type=JSON)
    assert r.status_code == 200 and r.json()["court_returned_on"] == str(today)


def test_rights_and_scope(api_client):
    c = f.case(today=timezone.localdate())
    assert api_client("agency").get(f"{BASE}/cases").status_code == 403
    assert api_client("leader").get(f"{BASE}/cases/{c.pk}").status_code == 200
    r = api_client("leader").post(f"{BASE}/cases/{c.pk}/close", {"outcome": "failed"}, content_type=JSON)
    assert r.status_code == 403
    assert MediationCase.objects.get(pk=c.pk).status == "registered"


def test_court_extension_through_the_api(api_client):
    o = f.org()
    today = timezone.localdate()
    c = f.case(
        the_org=o,
        today=today,
        source="court",
        court_name="东城区人民法院",
        court_referred_on=today - dt.timedelta(days=2),
        received_on=today - dt.timedelta(days=2),
    )
    sup = api_client("supervisor")
    url = f"{BASE}/cases/{c.pk}/court-extend"
    r = sup.post(url, {"days": 99, "ground": "consent", "reason": "协商"}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "days"
    assert (
        api_client("leader").post(url, {"days": 5, "ground": "consent", "reason": "x"}, content_type=JSON).status_code
        == 403
    )
    r = sup.post(url, {"days": 10, "ground": "court", "reason": "法院准许"}, content_type=JSON)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["court_due"] == str(today + dt.timedelta(days=38)) and body["court_extended_days"] == 10
    assert "court_extend" not in body["actions"]
    r = sup.post(url, {"days": 5, "ground": "court", "reason": "再延"}, content_type=JSON)
    assert r.status_code == 403


def test_org_and_mediator_edit_and_deactivate_through_the_api(api_client):
    from fazhi.legalservices.mediation.models import Mediator

    o = f.org()
    m = Mediator.objects.get(org=o)
    sup = api_client("supervisor")
    url = f"{BASE}/orgs/{o.pk}"
    body = sup.get(url).json()
    assert body["mediator_list"][0]["phone"].startswith("139") and "*" in body["mediator_list"][0]["phone"]
    r = sup.put(url, {"name": "", "kind": "village", "division_id": o.division_id}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "name"
    r = sup.put(url, {"name": "新名", "kind": "nope", "division_id": o.division_id}, content_type=JSON)
    assert r.status_code == 422 and r.json()["field"] == "kind"
    r = sup.put(url, {"name": "新名调委会", "kind": "village", "division_id": o.division_id}, content_type=JSON)
    assert r.status_code == 200 and r.json()["name"] == "新名调委会"
    r = sup.put(f"{url}/mediators/{m.pk}", {"name": "罗二", "is_full_time": True}, content_type=JSON)
    assert r.status_code == 200 and r.json()["mediator_list"][0]["name"] == "罗二"
    r = sup.post(f"{url}/mediators/{m.pk}/active", {"active": False}, content_type=JSON)
    assert r.status_code == 200 and r.json()["mediators"] == 0 and not r.json()["mediator_list"][0]["is_active"]
    r = sup.post(f"{url}/active", {"active": False}, content_type=JSON)
    assert r.status_code == 200 and r.json()["is_active"] is False and "activate" in r.json()["actions"]
    assert [x["id"] for x in sup.get(f"{BASE}/orgs?active=0").json()] == [o.pk]
    assert sup.get(f"{BASE}/orgs").json() == []
    r = sup.post(f"{url}/mediators", {"name": "新人"}, content_type=JSON)
    assert r.status_code == 403
    assert api_client("leader").post(f"{url}/active", {"active": True}, content_type=JSON).status_code == 403
