"""The API: the exact shapes of the disclosure contract, its refusals (422 naming the field, nothing written), the
scope (404 outside it, 403 without the permission), and the proposal routes end to end."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.requests import selectors
from fazhi.requests.models import DisclosureRequest, Proposal
from fazhi.requests.tests import factories as F
from fazhi.tracking.models import TimelineEvent

pytestmark = pytest.mark.django_db

NEW = {
    "applicant": {"kind": "person", "name": "张三"},
    "agency": "示例市市场监督管理局",
    "content": "2025年度本市食品安全抽检计划及抽检结果",
    "received_on": "2025-09-26",
    "channel": "window",
}


def post(client, path, data):
    return client.post(f"/api/v1{path}", data, content_type="application/json")


def test_the_disclosure_contract(api_client):
    c = api_client("agency")
    r = post(c, "/disclosure-requests", NEW)
    assert r.status_code == 201, r.content
    body = r.json()
    assert {"id", "status", "deadline", "paused", "clocks"} <= set(body)
    assert body["status"] == "processing" and body["paused"] is False
    # 20 working days from Friday 2025-09-26 across National Day (test_rules has the counting).
    assert body["deadline"] == "2025-10-30"
    (clock,) = body["clocks"]
    assert {"name", "deadline", "paused", "open", "basis"} <= set(clock)
    assert (clock["name"], clock["deadline"], clock["paused"], clock["open"]) == ("answer", "2025-10-30", False, True)
    assert "第三十三条" in clock["basis"]
    pk = body["id"]
    got = c.get(f"/api/v1/disclosure-requests/{pk}")
    assert got.status_code == 200 and {k: got.json()[k] for k in ("id", "status", "deadline", "paused")} == {
        "id": pk,
        "status": "processing",
        "deadline": "2025-10-30",
        "paused": False,
    }

    r = post(
        c,
        f"/disclosure-requests/{pk}/events",
        {"kind": "correction_requested", "on": "2025-09-29", "reason": "请写明所需文件的名称"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "correction" and body["paused"] is True
    assert {x["name"] for x in body["clocks"]} == {"answer", "correction"}
    # The corrected application arrives Monday 2025-10-20: 20 working days from then end 2025-11-17.
    r = post(c, f"/disclosure-requests/{pk}/events", {"kind": "correction_received", "on": "2025-10-20", "reason": ""})
    assert r.status_code == 200 and r.json()["deadline"] == "2025-11-17" and r.json()["paused"] is False

    before = TimelineEvent.objects.count()
    r = post(
        c, f"/disclosure-requests/{pk}/events", {"kind": "extended", "on": "2025-11-03", "days": 21, "reason": "量大"}
    )
    assert r.status_code == 422 and r.json()["field"] == "days" and "20个工作日" in r.json()["detail"]
    assert TimelineEvent.objects.count() == before
    r = post(
        c, f"/disclosure-requests/{pk}/events", {"kind": "extended", "on": "2025-11-03", "days": 20, "reason": "量大"}
    )
    # 2025-11-17 + 20 working days = 2025-12-15.
    assert r.status_code == 200 and r.json()["deadline"] == "2025-12-15"
    r = post(
        c, f"/disclosure-requests/{pk}/events", {"kind": "extended", "on": "2025-11-04", "days": 1, "reason": "再延"}
    )
    assert r.status_code == 422 and r.json()["field"] == "days"

    r = post(c, f"/disclosure-requests/{pk}/events", {"kind": "answered", "on": "2025-12-01", "answer": "disclosed"})
    assert r.status_code == 200 and r.json()["status"] == "answered"
    assert all(not x["open"] for x in r.json()["clocks"])
    # Anything after the answer but its delivery is refused.
    r = post(c, f"/disclosure-requests/{pk}/events", {"kind": "extended", "on": "2025-12-02", "days": 1, "reason": "x"})
    assert r.status_code == 422 and r.json()["field"] == "kind"
    r = post(c, f"/disclosure-requests/{pk}/events", {"kind": "delivered", "on": "2025-12-02", "method": "邮寄"})
    assert r.status_code == 200 and r.json()["status"] == "delivered"


def test_events_the_rules_do_not_allow_are_422(api_client):
    c = api_client("agency")
    pk = post(c, "/disclosure-requests", NEW).json()["id"]
    events = f"/disclosure-requests/{pk}/events"
    assert post(c, events, {"kind": "consultation_ended", "on": "2025-09-29"}).status_code == 422
    assert post(c, events, {"kind": "correction_received", "on": "2025-09-29"}).status_code == 422
    r = post(c, events, {"kind": "correction_requested", "on": "2025-10-14", "reason": "写明名称"})
    assert r.status_code == 422 and r.json()["field"] == "on"  # after the 7 working days of 第三十条
    assert post(c, events, {"kind": "consultation_started", "on": "2025-09-29"}).status_code == 200
    r = post(c, events, {"kind": "answered", "on": "2025-09-30", "answer": "disclosed"})
    assert r.status_code == 422 and r.json()["field"] == "kind"
    r = post(c, events, {"kind": "consultation_ended", "on": "2025-10-20", "reason": "同意"})
    # 9/29 → 10/20 paused: 9/30, 10/9, 10/10, 10/11, 10/13–17, 10/20 = 10 working days on top of 2025-10-30.
    assert r.status_code == 200 and r.json()["deadline"] == "2025-11-13"
    r = post(c, events, {"kind": "answered", "on": "2025-10-21", "answer": "不予公开", "reason": "涉及商业秘密"})
    assert r.status_code == 422 and r.json()["field"] == "ground"
    r = post(c, events, {"kind": "teleport", "on": "2025-10-21"})
    assert r.status_code == 422 and r.json()["field"] == "kind"
    r = post(c, events, {"kind": "answered", "on": "not a date"})
    assert r.status_code == 422 and r.json()["field"] == "on"


def test_registration_refusals_name_the_field(api_client):
    c = api_client("agency")
    r = post(c, "/disclosure-requests", {**NEW, "agency": "不存在的局"})
    assert r.status_code == 422 and r.json()["field"] == "agency"
    r = post(c, "/disclosure-requests", {**NEW, "agency": "示例市生态环境局"})
    assert r.status_code == 422 and r.json()["field"] == "agency"
    r = post(c, "/disclosure-requests", {**NEW, "channel": "carrier pigeon"})
    assert r.status_code == 422 and r.json()["field"] == "channel"
    r = post(c, "/disclosure-requests", {**NEW, "received_on": "2099-01-01"})
    assert r.status_code == 422 and r.json()["field"] == "received_on"
    r = post(c, "/disclosure-requests", {**NEW, "applicant": {"kind": "robot", "name": ""}})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} >= {"applicant_kind", "name"}
    assert not DisclosureRequest.objects.exists()


def test_scope_and_permissions_of_the_disclosure_routes(api_client):
    pk = post(api_client("agency"), "/disclosure-requests", NEW).json()["id"]
    other = api_client("agency2")
    assert other.get(f"/api/v1/disclosure-requests/{pk}").status_code == 404
    r = post(
        other, f"/disclosure-requests/{pk}/events", {"kind": "answered", "on": "2025-10-09", "answer": "disclosed"}
    )
    assert r.status_code == 404
    assert api_client("leader").get(f"/api/v1/disclosure-requests/{pk}").status_code == 200
    assert api_client("supervisor").get(f"/api/v1/disclosure-requests/{pk}").status_code == 200
    r = post(api_client("leader"), f"/disclosure-requests/{pk}/events", {"kind": "answered", "on": "2025-10-09"})
    assert r.status_code == 403
    # The Justice Bureau reads every request but answers only its own bureau's.
    r = post(
        api_client("supervisor"),
        f"/disclosure-requests/{pk}/events",
        {"kind": "answered", "on": "2025-10-09", "answer": "disclosed"},
    )
    assert r.status_code == 403
    assert api_client("officer").get(f"/api/v1/disclosure-requests/{pk}").status_code == 403
    assert Client().get(f"/api/v1/disclosure-requests/{pk}").status_code == 401
    listed = api_client("agency2").get("/api/v1/disclosure-requests").json()["items"]
    assert pk not in [x["id"] for x in listed]


def test_the_report_shows_disputes_as_unavailable_without_a_counter(api_client, no_dispute_counters):
    c = api_client("agency")
    pk = post(c, "/disclosure-requests", NEW).json()["id"]
    post(c, f"/disclosure-requests/{pk}/events", {"kind": "answered", "on": "2025-10-20", "answer": "disclosed"})
    r = c.get("/api/v1/disclosure-reports?year=2025")
    assert r.status_code == 200
    body = r.json()
    assert body["received"]["person"] == 1 and body["total"]["total"] == 1 and body["carried_out"]["total"] == 0
    disclosed = next(x for x in body["results"] if x["key"] == "disclosed")
    assert disclosed["figures"]["person"] == 1
    assert body["reconsiderations"] is None and body["suits"] is None
    assert body["units"][0]["unit"] == "示例市市场监督管理局" and body["units"][0]["reconsiderations"] is None
    assert api_client("agency2").get("/api/v1/disclosure-reports?year=2025").json()["total"]["total"] == 0


# ---------------------------------------------------------------- proposals


def test_a_proposal_through_the_api(api_client):
    boss, legal = api_client("supervisor"), api_client("agency")
    r = post(boss, "/proposal-sessions", {"body": "npc", "term": 18, "meeting": 4, "year": 2025})
    assert r.status_code == 201 and r.json()["name"] == "示例市第十八届人民代表大会第四次会议"
    session = r.json()["id"]
    r = post(
        boss,
        "/proposals",
        {
            "session_id": session,
            "number": "12",
            "title": "关于规范农贸市场计量器具管理的建议",
            "text": "建议推行智慧计量监管。",
            "proposers": [{"name": "王建国", "delegation": "东城区代表团"}, {"name": "李秀英"}],
            "registered_on": "2025-07-01",
        },
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert [p["is_lead"] for p in r.json()["proposers"]] == [True, False]
    assert post(legal, f"/proposals/{pk}/assign", {"lead_unit": "示例市市场监督管理局"}).status_code == 403
    r = post(boss, f"/proposals/{pk}/assign", {"lead_unit": "示例市市场监督管理局", "on": "2025-07-01"})
    assert r.status_code == 200 and r.json()["reply_deadline"] == "2025-10-09"
    assert r.json()["clocks"][0]["name"] == "reply"
    r = post(legal, f"/proposals/{pk}/reply", {"text": "已推行智慧计量。", "classification": "C"})
    assert r.status_code == 422 and r.json()["field"] == "c_reason"
    assert post(legal, f"/proposals/{pk}/reply", {"text": "已推行智慧计量。", "classification": "A"}).status_code == 200
    assert post(legal, f"/proposals/{pk}/reply/approve", {"signer": "局长 王某", "on": "2025-08-01"}).status_code == 200
    r = post(legal, f"/proposals/{pk}/reply/issue", {"on": "2025-08-04"})
    assert r.status_code == 200 and r.json()["status"] == "replied" and r.json()["on_time"] is True
    assert r.json()["replies"][0]["number"].startswith("市场监管局建复〔")
    assert api_client("agency2").get(f"/api/v1/proposals/{pk}").status_code == 404

    stranger = F.proposal(on=dt.date(2025, 7, 1)).proposers.get(is_lead=True)
    r = post(
        boss, f"/proposals/{pk}/rating", {"proposer_id": stranger.pk, "attitude": "satisfied", "result": "satisfied"}
    )
    assert r.status_code == 422 and r.json()["field"] == "proposer"

    # The public rating route: a link of another proposal is refused naming the token; the right one is taken
    # (its window is counted from the reply's day, so it is rated through the staff route here instead).
    other = F.proposal(on=dt.date(2025, 7, 1))
    F.replied(other, on=dt.date(2025, 8, 1))
    other = Proposal.objects.get(pk=other.pk)
    token = selectors.rating_token(
        reply=selectors.proposal_current_reply(other), proposer=selectors.lead_proposer(other)
    )
    r = Client().post(
        f"/api/v1/public/proposals/{pk}/rating",
        {"token": token, "attitude": "satisfied", "result": "satisfied"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "token"
    lead = Proposal.objects.get(pk=pk).proposers.get(is_lead=True)
    r = post(
        boss,
        f"/proposals/{pk}/rating",
        {
            "proposer_id": lead.pk,
            "attitude": "satisfied",
            "result": "dissatisfied",
            "comment": "未解决",
            "on": "2025-08-05",
        },
    )
    assert r.status_code == 200 and r.json()["status"] == "rereplying"
    stats = boss.get("/api/v1/proposal-stats?group=unit").json()
    row = next(x for x in stats["rows"] if x["label"] == "示例市市场监督管理局")
    assert row["rates"]["result"]["value"] == 0.0 and row["rates"]["result"]["light"] == "red"


def test_a_fresh_public_rating_through_the_right_link(api_client):
    today = timezone.localdate()
    p = F.proposal(on=today - dt.timedelta(days=10), today=today)
    F.replied(p, on=today)
    p = Proposal.objects.get(pk=p.pk)
    token = selectors.rating_token(reply=selectors.proposal_current_reply(p), proposer=selectors.lead_proposer(p))
    r = Client().post(
        f"/api/v1/public/proposals/{p.pk}/rating",
        {"token": token, "attitude": "satisfied", "result": "basic"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["result"] == "basic"
    r = Client().post(
        f"/api/v1/public/proposals/{p.pk}/rating",
        {"token": token, "attitude": "satisfied", "result": "basic"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "token"
