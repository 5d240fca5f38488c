import datetime as dt

import pytest
from django.utils import timezone

from fazhi.inspections import services
from fazhi.inspections.models import Draw, Enterprise
from fazhi.inspections.tests import factories as fx

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def setup(users):
    agency = fx.make_agency(fx.MARKET)
    item = fx.make_item(agency)
    officers = fx.make_pool(agency, 3)
    fx.make_enterprises(12, risk="c_elevated")
    return {"agency": agency, "item": item, "officers": officers}


def _plan_payload(s, **kw):
    data = {
        "agency_id": s["agency"].pk,
        "year": TODAY().year,
        "name": "API 计划",
        "item_ids": [s["item"].pk],
        "proportions": {"c_elevated": 25},
        "period_start": TODAY().isoformat(),
        "period_end": (TODAY() + dt.timedelta(days=60)).isoformat(),
    }
    data.update(kw)
    return data


def test_enterprise_create_list_and_bad_code(api_client):
    c = api_client("agency")
    r = c.post(
        "/api/v1/enterprises",
        {"uscc": fx.make_uscc(900), "name": "接口企业", "division_code": "439902", "legal_representative": "王小明"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["legal_representative"] == "王某"
    r = c.post(
        "/api/v1/enterprises",
        {"uscc": "91439902ABC", "name": "坏", "division_code": "439902"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "uscc"
    r = c.get("/api/v1/enterprises?q=接口")
    assert [e["name"] for e in r.json()["items"]] == ["接口企业"]


def test_full_draw_flow_and_public_verification(api_client, setup, client):
    c = api_client("agency")
    r = c.post("/api/v1/plans", _plan_payload(setup), content_type="application/json")
    assert r.status_code == 201, r.content
    plan_id = r.json()["id"]
    r = c.post(f"/api/v1/plans/{plan_id}/draws", {"item_id": setup["item"].pk}, content_type="application/json")
    assert r.status_code == 422 and "公示" in r.json()["detail"]
    assert c.post(f"/api/v1/plans/{plan_id}/publish").status_code == 200
    r = c.post(f"/api/v1/plans/{plan_id}/draws", {"item_id": setup["item"].pk}, content_type="application/json")
    assert r.status_code == 201
    draw = r.json()
    assert draw["seed"] is None and len(draw["commitment"]) == 64
    # Before the draw the public sees the commitment, not the seed.
    v = client.get(f"/api/v1/draws/{draw['id']}/verification").json()
    assert v["seed"] is None and v["commitment"] == draw["commitment"] and v["verified"] is None
    r = c.post(f"/api/v1/draws/{draw['id']}/draw")
    assert r.status_code == 200 and len(r.json()["assignments"]) == 3
    assert all(len(a["inspector_ids"]) >= 2 for a in r.json()["assignments"])
    v = client.get(f"/api/v1/draws/{draw['id']}/verification").json()
    assert v["seed"] is None  # drawn but not yet published
    assert c.post(f"/api/v1/draws/{draw['id']}/publish").status_code == 200
    v = client.get(f"/api/v1/draws/{draw['id']}/verification").json()
    assert v["verified"] is True and len(v["seed"]) == 64 and v["candidates"].count("\n") == 12
    # Offline re-run from the JSON alone.
    from fazhi.inspections import draw as d

    assert d.verify(v) == (True, [])
    assert d.verify({**v, "candidates": v["candidates"].replace("c_elevated", "d_high", 1)})[0] is False


def test_bad_inputs(api_client, setup):
    c = api_client("agency")
    r = c.post("/api/v1/plans", _plan_payload(setup, proportions={"c_elevated": 150}), content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "proportions"
    r = c.post("/api/v1/plans", _plan_payload(setup, item_ids=[999999]), content_type="application/json")
    assert r.status_code == 422
    r = c.post(
        "/api/v1/inspection-records",
        {
            "enterprise_id": Enterprise.objects.first().pk,
            "agency_id": setup["agency"].pk,
            "source": "complaint",
            "inspected_on": TODAY().isoformat(),
            "inspector_ids": [o.pk for o in setup["officers"][:2]],
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "reason"


def test_scope_404_and_permission_403(api_client, setup, users):
    plan = services.plan_create(
        by=users["agency"],
        agency=setup["agency"],
        year=TODAY().year,
        name="市场计划",
        items=[setup["item"]],
        proportions={"c_elevated": 10},
        period_start=TODAY(),
        period_end=TODAY(),
    )
    other = api_client("agency2")
    assert other.get(f"/api/v1/plans/{plan.pk}").status_code == 404
    assert other.post(f"/api/v1/plans/{plan.pk}/publish").status_code == 404
    assert [p["id"] for p in other.get("/api/v1/plans").json()] == []
    monitor = api_client("monitor")
    r = monitor.get("/api/v1/plans")
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}
    assert (
        api_client("officer").post("/api/v1/plans", _plan_payload(setup), content_type="application/json").status_code
        == 403
    )
    assert api_client("agency").get("/api/v1/inspections/burden").status_code == 403
    assert api_client("supervisor").get("/api/v1/inspections/burden").status_code == 200
    # An unpublished plan's draws are not public.
    services.plan_publish(by=users["agency"], plan=plan)
    draw = services.draw_commit(by=users["agency"], plan=plan, item=setup["item"])
    assert other.get(f"/api/v1/draws/{draw.pk}").status_code == 404
    assert Draw.objects.count() == 1


def test_records_api_and_burden(api_client, setup):
    c = api_client("agency")
    e = Enterprise.objects.first()
    payload = {
        "enterprise_id": e.pk,
        "agency_id": setup["agency"].pk,
        "source": "complaint",
        "reason": "投诉",
        "inspected_on": TODAY().isoformat(),
        "inspector_ids": [o.pk for o in setup["officers"][:2]],
    }
    r = c.post("/api/v1/inspection-records", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    rec = r.json()
    assert rec["non_plan"] and rec["publication_deadline"] > TODAY().isoformat()
    assert c.post(f"/api/v1/inspection-records/{rec['id']}/publish").json()["published_on"] == TODAY().isoformat()
    assert c.get("/api/v1/inspection-records?source=non_plan").json()["total"] == 1
    b = api_client("supervisor").get(f"/api/v1/inspections/burden?year={TODAY().year}&threshold=0").json()
    assert b["total"] == 1 and b["over_threshold"] == 1 and b["by_enterprise"][0]["enterprise_id"] == e.pk


def test_officer_declares_own_conflict(api_client, setup, users):
    officer = fx.make_officer(setup["agency"], user=users["officer"])
    e = Enterprise.objects.first()
    r = api_client("officer").post(
        "/api/v1/conflicts", {"enterprise_id": e.pk, "reason": "配偶持股"}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["officer_id"] == officer.pk
    r = api_client("officer").post(
        "/api/v1/conflicts", {"enterprise_id": e.pk, "reason": "配偶持股"}, content_type="application/json"
    )
    assert r.status_code == 422 and "已申报" in r.json()["detail"]
    # Another officer of the agency: only a legal officer (inspection.manage) may declare for them.
    other = setup["officers"][0]
    r = api_client("officer").post(
        "/api/v1/conflicts",
        {"enterprise_id": e.pk, "reason": "x", "officer_id": other.pk},
        content_type="application/json",
    )
    assert r.status_code == 403, r.content
    # Refused for who is asking, before what is asked is looked at: an empty reason changes nothing.
    r = api_client("officer").post(
        "/api/v1/conflicts",
        {"enterprise_id": e.pk, "reason": " ", "officer_id": other.pk},
        content_type="application/json",
    )
    assert r.status_code == 403, r.content
    # A legal officer who may declare for the officer, with a bad body: 422 naming the field.
    r = api_client("agency").post(
        "/api/v1/conflicts",
        {"enterprise_id": e.pk, "reason": " ", "officer_id": other.pk},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "reason", r.content
    r = api_client("agency").post(
        "/api/v1/conflicts",
        {"enterprise_id": e.pk, "reason": "曾任职", "officer_id": other.pk},
        content_type="application/json",
    )
    assert r.status_code == 201


def test_joint_plan_api_and_verification_lists_agencies(api_client, setup, client):
    eco = fx.make_agency(fx.ECO)
    eco_item = fx.make_item(eco)
    fx.make_pool(eco, 3)
    market_item = setup["item"]
    c = api_client("agency")
    today = timezone.localdate()
    r = c.post(
        "/api/v1/plans",
        {
            "agency_id": market_item.agency_id,
            "year": today.year,
            "name": "联合计划",
            "item_ids": [market_item.pk, eco_item.pk],
            "proportions": {"d_high": 100},
            "period_start": str(today),
            "period_end": str(today),
            "joint_agencies": [eco.pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["is_joint"] and r.json()["joint_agencies"] == [eco.pk]
    pk = r.json()["id"]
    assert c.post(f"/api/v1/plans/{pk}/publish").status_code == 200
    d = c.post(f"/api/v1/plans/{pk}/draws", {}, content_type="application/json")
    assert d.status_code == 201, d.content
    did = d.json()["id"]
    c.post(f"/api/v1/draws/{did}/draw")
    body = c.post(f"/api/v1/draws/{did}/publish").json()
    assert all(set(a["inspector_agency_ids"]) == {market_item.agency_id, eco.pk} for a in body["assignments"])
    v = client.get(f"/api/v1/draws/{did}/verification").json()
    assert v["verified"] is True and v["algorithm"] == "fazhi-draw-joint-v1"
    assert eco.pk in v["inspector_agencies"].values()


def test_inspection_item_scope_editable_through_the_api(api_client, setup):
    c = api_client("agency")
    payload = {
        "power_item_id": setup["item"].power_item_id,
        "targets": "食品生产企业",
        "basis": "《某法》第十条",
        "scope_industries": "C13,C14",
        "scope_risk_levels": ["c_elevated", "d_high"],
    }
    r = c.post("/api/v1/inspection-items", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["id"] == setup["item"].pk
    assert body["scope_industries"] == ["C13", "C14"] and body["scope_risk_levels"] == ["c_elevated", "d_high"]
    listed = {i["id"]: i for i in c.get("/api/v1/inspection-items").json()}
    assert listed[setup["item"].pk]["scope_industries"] == ["C13", "C14"]
    r = c.post("/api/v1/inspection-items", {**payload, "scope_industries": "13"}, content_type="application/json")
    assert r.status_code == 422 and "行业代码" in r.json()["detail"]
    r = c.post("/api/v1/inspection-items", {**payload, "power_item_id": 999999}, content_type="application/json")
    assert r.status_code == 404
