"""The 监督文书 API under /api/v1/supervision: the whole flow, bad input (422 naming the field, nothing written),
another agency's instrument (404), a missing right (403)."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.supervision.instruments import rules, services
from fazhi.supervision.instruments.models import Instrument, InstrumentReply, RiskProposal
from fazhi.supervision.instruments.tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision/instruments"
JSON = "application/json"


def _post(client, path, data=None):
    return client.post(path, data or {}, content_type=JSON)


def test_opinion_issued_replied_accepted_through_the_api(api_client, org, users):
    sup, ag = api_client("supervisor"), api_client("agency")
    r = _post(
        sup,
        BASE,
        {
            "kind": "opinion",
            "title": "关于执法公示不及时的监督意见",
            "facts": "抽查发现行政处罚决定未在七个工作日内公示。",
            "requirements": "请立即补充公示并健全公示台账。",
            "recipient_id": org[f.MARKET].pk,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    pk = body["id"]
    assert body["status"] == "draft" and body["number"] == "" and "issue" in body["actions"]
    r = _post(sup, f"{BASE}/{pk}/issue")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "delivered" and body["number"].startswith("司监意〔")
    assert "第二十八条" in body["deadline_source"] and body["light"] == "green"
    assert ag.get(f"{BASE}/{pk}").json()["actions"] == ["acknowledge", "view"]
    assert _post(ag, f"{BASE}/{pk}/acknowledge").json()["status"] == "acknowledged"
    r = ag.post(
        f"{BASE}/{pk}/reply",
        {"findings": "已逐件核查，5 件未按时公示。", "measures": "已全部补充公示。", "attachments": [f.pdf()]},
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "replied"
    replies = sup.get(f"{BASE}/{pk}/replies").json()
    assert len(replies) == 1 and replies[0]["on_time"] and replies[0]["attachments"][0]["name"] == "整改材料.pdf"
    evidence = ag.get(replies[0]["attachments"][0]["download"])
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == f.PDF
    r = _post(sup, f"{BASE}/{pk}/accept", {"comment": "采纳"})
    assert r.json()["status"] == "accepted"
    timeline = ag.get(f"{BASE}/{pk}/timeline").json()
    assert [e["action"] for e in timeline] == [
        "created",
        "issued",
        "document",
        "delivered",
        "acknowledged",
        "replied",
        "closed",
    ]
    assert all(len(e["hash"]) == 64 for e in timeline)
    docs = ag.get(f"{BASE}/{pk}/documents").json()
    assert len(docs) == 1 and docs[0]["number"] == body["number"]
    download = ag.get(docs[0]["download"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    listed = ag.get(BASE, {"q": "执法公示"}).json()
    assert [i["id"] for i in listed] == [pk]


def test_a_reply_for_another_unit_is_422_naming_the_instrument(api_client, users, east_legal):
    inst = f.issued(users, recipient=f.MARKET_EAST)
    services.instrument_acknowledge(by=east_legal, instrument=inst)
    # 市场监管局's legal officer sees his 东城分局's instrument, but may not answer it for them
    r = api_client("agency").post(f"{BASE}/{inst.pk}/reply", {"findings": "已核查", "measures": "已整改"})
    assert r.status_code == 422
    assert r.json()["field"] == "instrument" and r.json()["detail"] == "该文书不是发给本单位的"
    assert not InstrumentReply.objects.exists()


def test_another_agency_finds_nothing_and_a_missing_right_is_refused(api_client, users):
    inst = f.issued(users)
    other = api_client("agency2")
    assert other.get(f"{BASE}/{inst.pk}").status_code == 404
    assert other.get(f"{BASE}/{inst.pk}/timeline").status_code == 404
    assert _post(other, f"{BASE}/{inst.pk}/acknowledge").status_code == 404
    assert other.post(f"{BASE}/{inst.pk}/reply", {"findings": "x", "measures": "y"}).status_code == 404
    assert [i["id"] for i in other.get(BASE).json()] == []
    ag = api_client("agency")
    assert _post(ag, f"{BASE}/{inst.pk}/accept").status_code == 403  # no instrument.issue
    assert _post(ag, BASE, {"kind": "opinion", "title": "x", "facts": "y"}).status_code == 403
    assert api_client("monitor").get(BASE).status_code == 403  # invited supervisors: none
    assert api_client("leader").get(f"{BASE}/{inst.pk}").status_code == 200
    assert _post(api_client("leader"), f"{BASE}/{inst.pk}/acknowledge").status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "opinion", "title": "监督意见", "facts": "事实", "requirements": "要求"}, "recipient"),
        ({"kind": "memo", "title": "监督意见", "facts": "事实", "requirements": "要求"}, "kind"),
        ({"kind": "opinion", "title": " ", "facts": "事实", "requirements": "要求", "recipient_id": 0}, "recipient_id"),
        (
            {"kind": "opinion", "title": "监督意见", "facts": "事实", "requirements": "要求", "recipient_id": 99999999},
            "recipient",
        ),
        (
            {
                "kind": "opinion",
                "title": "监督意见",
                "facts": "事实",
                "requirements": "要求",
                "bases": [{"kind": "case", "id": 99999999}],
            },
            "basis_id",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field(api_client, org, payload, field):
    if field == "basis_id":
        payload = {**payload, "recipient_id": org[f.MARKET].pk}
    r = _post(api_client("supervisor"), BASE, payload)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field and r.json()["detail"]
    assert not Instrument.objects.exists()


def test_issue_and_review_refusals(api_client, users):
    sup = api_client("supervisor")
    draft = f.draft(users, kind=rules.DECISION)
    r = _post(sup, f"{BASE}/{draft.pk}/issue")
    assert r.status_code == 422 and r.json()["field"] == "decision_kind"
    r = _post(sup, f"{BASE}/{draft.pk}/issue", {"decision_kind": "fine"})
    assert r.status_code == 422 and r.json()["field"] == "decision_kind"
    assert Instrument.objects.get().number == ""
    inst = f.replied(users)
    r = _post(sup, f"{BASE}/{inst.pk}/return", {"reason": ""})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = _post(sup, f"{BASE}/{inst.pk}/return", {"reason": "不具体"})
    assert r.json()["status"] == "returned" and r.json()["returns"] == 1
    r = _post(sup, f"{BASE}/{inst.pk}/accept")
    assert r.status_code == 422 and r.json()["field"] == "status"


def test_edit_bases_discard(api_client, users, org):
    from fazhi.complaints.tests import factories as cf

    sup = api_client("supervisor")
    draft = f.draft(users)
    complaint, _ = cf.assigned(users)
    r = _post(sup, f"{BASE}/{draft.pk}/bases", {"kind": "complaint", "id": complaint.pk})
    assert r.status_code == 200 and r.json()["bases"][0]["kind"] == "complaint"
    basis_id = r.json()["bases"][0]["id"]
    r = sup.put(
        f"{BASE}/{draft.pk}",
        {"title": "新标题", "facts": "新事实", "requirements": "新要求", "recipient_id": org[f.ECOLOGY].pk},
        content_type=JSON,
    )
    assert r.status_code == 200 and r.json()["title"] == "新标题" and r.json()["recipient"] == f.ECOLOGY
    assert _post(sup, f"{BASE}/{draft.pk}/bases/remove", {"basis_id": basis_id}).json()["bases"] == []
    r = _post(sup, f"{BASE}/{draft.pk}/discard", {"reason": "重复"})
    assert r.json()["status"] == "dismissed"


def test_interview_record_through_the_api(api_client, users):
    from django.utils import timezone

    inst = f.issued(users, kind=rules.INTERVIEW, interview_at=timezone.now(), reply_required=False)
    sup = api_client("supervisor")
    payload = {
        "held_at": timezone.now().isoformat(),
        "place": "会议室",
        "participants": "甲、乙",
        "content": "约谈内容",
    }
    r = _post(sup, f"{BASE}/{inst.pk}/interview", {**payload, "place": ""})
    assert r.status_code == 422 and r.json()["field"] == "place"
    r = _post(sup, f"{BASE}/{inst.pk}/interview", payload)
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert len(sup.get(f"{BASE}/{inst.pk}/documents").json()) == 2


def test_stats_through_the_api(api_client, users):
    old = timezone.localdate() - dt.timedelta(days=45)
    f.issued(users, today=old)
    rows = api_client("supervisor").get(f"{BASE}/stats", {"date_from": old.isoformat()}).json()
    assert rows == [
        {
            "unit_id": rows[0]["unit_id"],
            "unit": f.MARKET,
            "issued": 1,
            "replied_on_time": 0,
            "overdue": 1,
            "open": 0,
            "on_time_rate": 0.0,
        }
    ]
    assert api_client("agency2").get(f"{BASE}/stats").json() == []


def test_risks_through_the_api(api_client, users, org):
    from fazhi.supervision.instruments.tests.test_services import _warnings
    from fazhi.tracking.services import today

    _warnings(org[f.MARKET], rules.RISK_WARNINGS, rules.risk_period(today(), rules.RISK_MONTHS)[0])
    sup = api_client("supervisor")
    assert _post(sup, "/api/v1/supervision/instrument-risks/scan").json() == {"created": 1}
    assert _post(sup, "/api/v1/supervision/instrument-risks/scan").json() == {"created": 0}
    assert _post(api_client("agency"), "/api/v1/supervision/instrument-risks/scan").status_code == 403
    (risk,) = sup.get("/api/v1/supervision/instrument-risks").json()
    assert (
        risk["unit"] == f.MARKET
        and risk["warnings"] == rules.RISK_WARNINGS
        and risk["actions"]
        == [
            "dismiss",
            "draft",
            "view",
        ]
    )
    r = _post(sup, f"/api/v1/supervision/instrument-risks/{risk['id']}/dismiss", {"reason": " "})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = _post(sup, f"/api/v1/supervision/instrument-risks/{risk['id']}/draft")
    assert r.status_code == 201 and r.json()["kind"] == "reminder" and r.json()["origin"] == "risk"
    assert RiskProposal.objects.get().status == "drafted"
    r = _post(sup, f"/api/v1/supervision/instrument-risks/{risk['id']}/draft")
    assert r.status_code == 422 and r.json()["field"] == "status"
