"""The case-file review API: the whole flow with bearer tokens, bad input as 422 naming the field, and scope."""

import datetime as dt

import pytest

from fazhi.supervision.reviews import demo, selectors
from fazhi.supervision.reviews.tests import factories as fx

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision/reviews"


def _rubric_payload(**overrides) -> dict:
    spec = demo.rubric_spec()
    data = {
        "name": "接口评查标准",
        "year": fx.today().year,
        "case_type": "penalty",
        "sections": [
            {"code": s.code, "title": s.title, "points": str(s.points), "group": s.group} for s in spec.sections
        ],
        "items": [
            {
                "code": i.code,
                "title": i.title,
                "kind": i.kind,
                "section": i.section,
                "points": str(i.points) if i.points is not None else None,
                "deduction": str(i.deduction) if i.deduction is not None else None,
                "caps_excellent": i.caps_excellent,
                "rule_code": i.rule_code,
                "category": i.category,
            }
            for i in spec.items
        ],
    }
    data.update(overrides)
    return data


def _post(client, path, data=None):
    return client.post(BASE + path, data=data or {}, content_type="application/json")


def test_the_review_flow_through_the_api(api_client, org, users):
    market, ecology = fx.agency_setup(org[fx.MARKET]), fx.agency_setup(org[fx.ECOLOGY])
    flawed = fx.decided_case(market, flaw="service_late")
    fx.decided_case(market)
    fx.decided_case(ecology)
    sup = api_client("supervisor")

    bad = _rubric_payload()
    bad["items"][0]["deduction"] = "9"  # 1.1 is worth 4
    r = _post(sup, "/rubrics", bad)
    assert r.status_code == 422 and r.json()["field"] == "deduction" and "超过该项分值" in r.json()["detail"]
    r = _post(sup, "/rubrics", _rubric_payload(sections=[]))
    assert r.status_code == 422 and r.json()["field"] == "sections"
    r = _post(sup, "/rubrics", _rubric_payload())
    assert r.status_code == 201, r.json()
    rubric = r.json()
    assert rubric["version"] == 1 and not rubric["frozen"] and "edit" in rubric["actions"]

    campaign_in = {
        "name": "接口评查活动",
        "year": fx.today().year,
        "rubric_id": rubric["id"],
        "agency_ids": [market["agency"].pk, ecology["agency"].pk],
        "period_start": str(fx.today() - dt.timedelta(days=90)),
        "period_end": str(fx.today()),
        "deadline": str(fx.today() + dt.timedelta(days=20)),
        "min_per_agency": 5,
        "percent": "5",
    }
    r = _post(sup, "/campaigns", {**campaign_in, "agency_ids": []})
    assert r.status_code == 422 and r.json()["field"] == "agencies"
    r = _post(sup, "/campaigns", {**campaign_in, "agency_ids": [999999]})
    assert r.status_code == 422 and r.json()["field"] == "agency_ids"
    r = _post(sup, "/campaigns", campaign_in)
    assert r.status_code == 201, r.json()
    cid = r.json()["id"]
    assert sup.get(f"{BASE}/rubrics/{rubric['id']}").json()["frozen"]
    for name in ("agency2", "monitor"):
        assert _post(sup, f"/campaigns/{cid}/reviewers", {"user_id": users[name].pk}).status_code == 201
    r = _post(sup, f"/campaigns/{cid}/reviewers", {"user_id": users["officer"].pk})
    assert r.status_code == 422 and r.json()["field"] == "reviewer"

    r = _post(sup, f"/campaigns/{cid}/commit")
    assert r.status_code == 201 and r.json()["seed"] is None and r.json()["candidate_count"] == 3
    r = _post(sup, f"/campaigns/{cid}/draw")
    sample = r.json()
    assert r.status_code == 200 and len(sample["seed"]) == 64 and sample["verified"] is True
    assert sup.get(f"{BASE}/campaigns/{cid}/sample").json()["result_hash"] == sample["result_hash"]

    files = sup.get(f"{BASE}/files?campaign_id={cid}").json()
    assert files["total"] == 3
    eco_file = next(f for f in files["items"] if f["agency_id"] == ecology["agency"].pk)
    r = _post(sup, f"/files/{eco_file['id']}/assign", {"reviewer_id": users["agency2"].pk})
    assert r.status_code == 422 and r.json()["field"] == "reviewer"
    assert r.json()["detail"].startswith("评查人员不得评查本单位案卷")
    assert sup.get(f"{BASE}/files/{eco_file['id']}").json()["reviewer_id"] is None
    assert _post(sup, f"/campaigns/{cid}/assign").json() == {"assigned": 3, "unassigned": []}

    target = next(f for f in sup.get(f"{BASE}/files?campaign_id={cid}").json()["items"] if f["case_id"] == flawed.pk)
    reviewer = next(u for u in users.values() if u.pk == target["reviewer_id"])
    rc = api_client(reviewer.username)
    assert rc.get(f"{BASE}/files/{target['id']}/sheet").status_code == 404
    sheet = _post(rc, f"/files/{target['id']}/sheet").json()
    [line] = sheet["lines"]
    assert (line["item_code"], line["decision"], line["rule_code"]) == ("4.4", "pending", "service_late")
    r = _post(rc, f"/files/{target['id']}/sheet/submit")
    assert r.status_code == 422 and r.json()["field"] == "lines"
    r = _post(rc, f"/files/{target['id']}/sheet/lines/{line['id']}/decision", {"decision": "override"})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    assert (
        _post(rc, f"/files/{target['id']}/sheet/lines/{line['id']}/decision", {"decision": "confirm"}).status_code
        == 200
    )
    item = next(i for i in rubric["items"] if i["code"] == "4.4")
    r = _post(rc, f"/files/{target['id']}/sheet/lines", {"rubric_item_id": item["id"], "defects": 5, "note": "x"})
    assert r.status_code == 422 and r.json()["field"] == "defects"
    r = _post(rc, f"/files/{target['id']}/sheet/submit", {"comment": "送达超期"})
    assert r.status_code == 200 and r.json()["status"] == "final" and r.json()["score"] == "99.0"
    assert r.json()["timeline"][-1]["label"] == "定稿" and r.json()["documents"]

    for f in sup.get(f"{BASE}/files?campaign_id={cid}").json()["items"]:
        if f["status"] == "final":
            continue
        c = api_client(next(u for u in users.values() if u.pk == f["reviewer_id"]).username)
        _post(c, f"/files/{f['id']}/sheet")
        assert _post(c, f"/files/{f['id']}/sheet/submit").status_code == 200
    r = _post(sup, f"/campaigns/{cid}/publish")
    assert r.status_code == 200 and r.json()["status"] == "published"
    summary = sup.get(f"{BASE}/campaigns/{cid}/summary").json()
    assert summary["final"] == 3 and {a["agency_id"] for a in summary["agencies"]} == {
        market["agency"].pk,
        ecology["agency"].pk,
    }
    r = _post(sup, f"/campaigns/{cid}/report")
    assert r.status_code == 201 and len(r.json()["sm3"]) == 64
    r = _post(sup, f"/campaigns/{cid}/opinions", {"prefix": "接评"})
    assert r.status_code == 201
    opinion = next(o for o in r.json() if o["agency_id"] == market["agency"].pk)
    assert opinion["number"] == f"接评〔{fx.today().year}〕1号" and opinion["deadline"]

    agency = api_client("agency")
    assert agency.get(f"{BASE}/files/{target['id']}").status_code == 200  # its own file, once published
    r = _post(agency, f"/opinions/{opinion['id']}/report", {"text": "已整改"})
    assert r.status_code == 200 and r.json()["status"] == "reported"
    assert _post(api_client("agency2"), f"/opinions/{opinion['id']}/report", {"text": "x"}).status_code == 404
    r = _post(sup, f"/opinions/{opinion['id']}/signoff", {"comment": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["timeline"][-1]["label"] == "整改销号"

    doc = r.json()["documents"][0]
    download = agency.get(f"{BASE}/opinions/{opinion['id']}/documents/{doc['id']}")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")

    scores = sup.get(f"{BASE}/scores-by-unit?date_from={fx.today()}&date_to={fx.today()}").json()
    assert {s["unit_id"] for s in scores} == {org[fx.MARKET].pk, org[fx.ECOLOGY].pk}
    assert {
        s["unit_id"] for s in agency.get(f"{BASE}/scores-by-unit?date_from={fx.today()}&date_to={fx.today()}").json()
    } == {org[fx.MARKET].pk}


def test_an_invited_supervisor_sees_only_what_he_is_assigned(api_client, org, users):
    market = fx.agency_setup(org[fx.MARKET])
    for _ in range(4):
        fx.decided_case(market)
    c = fx.drawn_campaign(units=[org[fx.MARKET]], reviewers=("supervisor", "monitor"), min_per_agency=4)
    mine = set(c.files.filter(reviewer=users["monitor"]).values_list("pk", flat=True))
    others = set(c.files.exclude(reviewer=users["monitor"]).values_list("pk", flat=True))
    assert mine and others
    monitor = api_client("monitor")
    listed = {f["id"] for f in monitor.get(f"{BASE}/files").json()["items"]}
    assert listed == mine
    for pk in others:
        assert monitor.get(f"{BASE}/files/{pk}").status_code == 404
        assert _post(monitor, f"/files/{pk}/sheet").status_code == 404
    assert monitor.get(f"{BASE}/campaigns/{c.pk}").status_code == 200
    assert _post(monitor, f"/campaigns/{c.pk}/assign").status_code == 403
    assert monitor.get(f"{BASE}/campaigns/{c.pk}/summary").status_code == 404
    # agency2, outside the campaign (its agency is not reviewed, it is not in the pool), sees nothing of it.
    other = api_client("agency2")
    assert other.get(f"{BASE}/campaigns/{c.pk}").status_code == 404
    assert other.get(f"{BASE}/files/{next(iter(mine))}").status_code == 404


def test_a_frozen_rubric_cannot_be_replaced(api_client, org):
    c = fx.campaign(units=[org[fx.MARKET]])
    sup = api_client("supervisor")
    r = sup.put(f"{BASE}/rubrics/{c.rubric_id}", data=_rubric_payload(), content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "rubric"
    r = _post(sup, f"/rubrics/{c.rubric_id}/versions")
    assert r.status_code == 201 and r.json()["version"] == 2 and not r.json()["frozen"]
    r = sup.put(
        f"{BASE}/rubrics/{r.json()['id']}", data=_rubric_payload(name="第二版"), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["name"] == "第二版"
    assert selectors.rubric_get(user=None, pk=c.rubric_id).frozen
