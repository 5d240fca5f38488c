"""The API under /api/v1/supervision: the same flows as the pages, the permission of each route, 404 outside the
scope, 422 with the field for bad input (nothing written), the portal's public routes."""

import datetime as dt

import pytest
from django.test import Client

from fazhi.supervision.accountability.models import AccountabilityProposal, Investigation, TypicalCase
from fazhi.supervision.accountability.tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision"


@pytest.fixture
def w(org, users):
    return f.world(org, users)


def _post(client, path, data=None):
    return client.post(API + path, data or {}, content_type="application/json")


def test_investigation_flow(w, users, api_client):
    sup = api_client("supervisor")
    r = _post(
        sup,
        "/investigations",
        {
            "basis_kind": "case",
            "basis_id": w["case"].pk,
            "title": "罚款超出裁量基准问题",
            "reason": f.REASON,
            "investigators": [users["supervisor"].pk, users["monitor"].pk],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    pk = body["id"]
    assert body["unit"] == f.MARKET and body["light"] == "green" and "notice" in body["actions"]
    assert body["timeline"][0]["action"] == "created" and "本地规定" in body["deadline_source"]
    # A step as JSON, one with materials as multipart (by the invited supervisor of the team).
    r = _post(
        sup,
        f"/investigations/{pk}/steps",
        {"kind": "file_review", "done_on": f.today().isoformat(), "text": "调阅全部案卷。"},
    )
    assert r.status_code == 201, r.content
    r = api_client("monitor").post(
        f"{API}/investigations/{pk}/steps",
        {"kind": "interview", "done_on": f.today().isoformat(), "text": "询问当事人。", "attachments": [f.pdf()]},
    )
    assert r.status_code == 201, r.content
    assert r.json()["steps"][1]["attachments"][0]["name"] == "笔录.pdf"
    r = _post(api_client("agency"), f"/investigations/{pk}/statement", {"text": "本局对该案情况的说明。"})
    assert r.status_code == 201
    r = _post(sup, f"/investigations/{pk}/notice")
    assert r.status_code == 200 and r.json()["notice_number"].startswith("司监调〔")
    document = r.json()["documents"][0]
    r = sup.get(document["url"])
    assert r.status_code == 200 and b"".join(r.streaming_content)[:2] == b"PK"
    assert r["Content-Disposition"].startswith("attachment")
    assert api_client("agency2").get(document["url"]).status_code == 404
    r = _post(
        sup,
        f"/investigations/{pk}/conclusion",
        {"conclusion": "substantiated", "findings": f.FINDINGS, "measures": "追究有关人员责任。", "propose": True},
    )
    assert r.status_code == 200 and r.json()["status"] == "concluded"
    assert {d["title"] for d in r.json()["documents"]} == {"专项监督调查通知书", "专项监督调查报告"}
    r = _post(sup, f"/investigations/{pk}/referrals", {"organ": "示例市纪委监委", "reason": "涉嫌违纪违法的问题线索。"})
    assert r.status_code == 201
    referral = r.json()["referrals"][0]
    r = _post(
        sup, f"/investigation-referrals/{referral['id']}/follow-ups", {"text": "已办结。", "result": "诫勉谈话。"}
    )
    assert r.status_code == 201 and r.json()["referrals"][0]["status"] == "resulted"
    assert AccountabilityProposal.objects.filter(source_kind="investigation", source_id=pk).exists()


def test_investigation_bad_input_is_422_with_the_field(w, users, api_client):
    sup = api_client("supervisor")
    r = _post(
        sup,
        "/investigations",
        {
            "basis_kind": "case",
            "basis_id": w["case"].pk,
            "title": "罚款问题",
            "reason": "短",
            "investigators": [users["supervisor"].pk],
        },
    )
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"reason", "investigators"}
    r = _post(
        sup,
        "/investigations",
        {"basis_kind": "case", "basis_id": "x", "title": "t", "reason": "r", "investigators": []},
    )
    assert r.status_code == 422 and r.json()["field"] == "basis_id"
    assert not Investigation.objects.exists()
    inv = f.open_investigation(users, w["case"])
    future = (f.today() + dt.timedelta(days=1)).isoformat()
    r = _post(sup, f"/investigations/{inv.pk}/steps", {"kind": "file_review", "done_on": future, "text": "调阅案卷。"})
    assert r.status_code == 422 and r.json()["field"] == "done_on" and "今天" in r.json()["detail"]
    r = _post(sup, f"/investigations/{inv.pk}/steps", {"kind": "file_review"})
    assert r.status_code == 422 and r.json()["field"] in ("done_on", "text")
    r = _post(sup, f"/investigations/{inv.pk}/conclusion", {"conclusion": "partly", "findings": f.FINDINGS})
    assert r.status_code == 422 and r.json()["field"] == "conclusion"  # no step yet
    r = _post(sup, f"/investigations/{inv.pk}/extend", {"days": 99, "reason": "需要延长"})
    assert r.status_code == 422 and r.json()["field"] == "days"


def test_scope_and_rights_through_the_api(w, users, org, api_client):
    inv = f.open_investigation(users, w["case"])
    other = f.open_investigation(users, w["eco_case"], team=[users["supervisor"].pk, f.second_supervisor(org).pk])
    assert api_client("agency").get(f"{API}/investigations/{inv.pk}").status_code == 200
    assert api_client("agency2").get(f"{API}/investigations/{inv.pk}").status_code == 404
    r = _post(api_client("agency2"), f"/investigations/{inv.pk}/statement", {"text": "别的单位的说明内容。"})
    assert r.status_code == 404
    assert _post(api_client("agency"), "/investigations", {}).status_code == 403
    r = _post(
        api_client("agency"),
        f"/investigations/{inv.pk}/steps",
        {"kind": "file_review", "done_on": f.today().isoformat(), "text": "越权记录"},
    )
    assert r.status_code == 403
    monitor = api_client("monitor")
    assert [i["id"] for i in monitor.get(f"{API}/investigations").json()] == [inv.pk]
    assert monitor.get(f"{API}/investigations/{other.pk}").status_code == 404
    assert monitor.get(f"{API}/accountability/records").status_code == 403
    assert [i["id"] for i in api_client("agency2").get(f"{API}/investigations").json()] == [other.pk]


def test_records_from_a_proposal_and_the_statistics(w, users, api_client):
    proposal = f.proposal_for(users, w)
    sup = api_client("supervisor")
    listed = sup.get(f"{API}/accountability/proposals?status=pending").json()
    assert [p["id"] for p in listed] == [proposal.pk] and listed[0]["actions"] == ["dismiss", "open", "view"]
    assert api_client("agency").get(f"{API}/accountability/proposals").status_code == 403
    r = _post(sup, "/accountability/records", {"proposal_id": proposal.pk, "officers": [w["e1"].pk], "reason": "短"})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"officers", "reason"}
    r = _post(
        sup,
        "/accountability/records",
        {
            "proposal_id": proposal.pk,
            "officers": [w["o1"].pk, w["o2"].pk],
            "reason": "专项调查认定罚款超出裁量基准，追究责任。",
        },
    )
    assert r.status_code == 201, r.content
    record = r.json()
    assert record["source_kind"] == "investigation" and [o["name"] for o in record["officers"]] == ["陈执法", "王执法"]
    assert record["officers"][0]["certificate"]
    assert [e["action"] for e in record["timeline"]][:2] == ["created", "closed"]  # the proposal's item first
    decision = {
        "outcomes": [
            {
                "officer": w["o1"].pk,
                "exempt": True,
                "exemption_ground": "law_unclear",
                "exemption_reason": "法律规定不明确",
            },
            {"officer": w["o2"].pk, "fault": "ordinary", "responsibilities": ["public_criticism"]},
        ],
        "decision": "主办人员尽职免责；协办人员通报批评。",
        "decision_organ": "示例市市场监督管理局",
        "decision_on": f.today().isoformat(),
    }
    bad = {**decision, "outcomes": [{"officer": w["o1"].pk, "exempt": True}]}
    r = _post(sup, f"/accountability/records/{record['id']}/decision", bad)
    assert r.status_code == 422
    assert {f"exemption_ground_{w['o1'].pk}", f"fault_{w['o2'].pk}"} <= {e["field"] for e in r.json()["errors"]}
    r = _post(sup, f"/accountability/records/{record['id']}/decision", decision)
    assert r.status_code == 200 and r.json()["status"] == "decided"
    assert api_client("agency2").get(f"{API}/accountability/records/{record['id']}").status_code == 404
    stats = sup.get(f"{API}/accountability/stats?year={f.today().year}").json()
    (row,) = stats["rows"]
    assert (row["unit"], row["records"], row["exempt"], row["responsibilities"]["public_criticism"]) == (
        f.MARKET,
        1,
        1,
        1,
    )
    assert stats["kinds"]["sanction"] == "依法给予处分"
    assert api_client("agency2").get(f"{API}/accountability/stats").json()["rows"] == []
    r = _post(
        sup,
        "/accountability/records",
        {"case_id": w["case"].pk, "officers": [w["o1"].pk], "reason": "再次立案追究有关人员责任。"},
    )
    assert r.status_code == 201  # the first record is decided: a new one may be opened
    r = _post(sup, f"/accountability/proposals/{proposal.pk}/dismiss", {"reason": "不予追责的理由"})
    assert r.status_code == 422 and r.json()["field"] == "status"


def test_typical_case_publication_and_the_public_api(w, users, api_client):
    sup = api_client("supervisor")
    r = _post(
        sup,
        "/typical-cases",
        {"case_id": w["case"].pk, **f.TYPICAL, "summary": f"当事人{f.PARTY}销售过期食品，罚款超出基准。"},
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    r = _post(sup, f"/typical-cases/{pk}/publish")
    assert r.status_code == 422 and r.json()["field"] == "summary" and "王某" in r.json()["detail"]
    assert TypicalCase.objects.get(pk=pk).status == "draft"
    r = sup.put(f"{API}/typical-cases/{pk}", f.TYPICAL, content_type="application/json")
    assert r.status_code == 200
    r = _post(sup, f"/typical-cases/{pk}/publish")
    assert r.status_code == 200 and r.json()["public_party"] == "王某"
    public = Client()
    listed = public.get(f"{API}/public/typical-cases?q=裁量").json()
    assert [t["id"] for t in listed] == [pk]
    detail = public.get(f"{API}/public/typical-cases/{pk}").json()
    text = str(detail)
    assert "陈执法" not in text and "13907310000" not in text and f.PARTY not in text
    assert detail["officers"] == "陈某、王某" and "summary" in detail and "party_name" not in detail
    assert api_client("agency2").get(f"{API}/typical-cases/{pk}").status_code == 404
    assert _post(api_client("agency"), f"/typical-cases/{pk}/withdraw", {"reason": "撤回理由"}).status_code == 403
    r = _post(sup, f"/typical-cases/{pk}/withdraw", {"reason": "当事人已提起行政诉讼。"})
    assert r.status_code == 200 and r.json()["timeline"][-1]["action"] == "withdrawn"
    assert public.get(f"{API}/public/typical-cases/{pk}").status_code == 404
    assert public.get(f"{API}/public/typical-cases").json() == []
