"""The 依法决策 API: a decision through its steps, a document from review to filing, the negatives (another unit 404,
a missing permission 403, bad input 422 naming the field), and the public search."""

import datetime as dt

import pytest

from fazhi.rulemaking.models import LegalityReview
from fazhi.rulemaking.tests import factories as fx

pytestmark = pytest.mark.django_db
API = "/api/v1/rulemaking"


def _post(client, path, body):
    return client.post(f"{API}{path}", data=body, content_type="application/json")


def test_a_decision_through_the_api(users, api_client):
    agency, sup = api_client("agency"), api_client("supervisor")
    day = fx.today()
    r = _post(
        agency,
        "/decisions",
        {
            "title": "示例市农贸市场升级改造实施方案",
            "organ_id": fx.unit(fx.GOV).pk,
            "lead_unit_id": fx.unit(fx.MARKET).pk,
            "year": day.year,
        },
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    r = _post(sup, "/catalogues", {"organ_id": fx.unit(fx.GOV).pk, "year": day.year})
    cat = r.json()["id"]
    assert _post(sup, f"/catalogues/{cat}/items", {"decision_id": pk}).status_code == 200
    r = _post(sup, f"/catalogues/{cat}/publish", {})
    assert r.status_code == 422 and r.json()["field"] == "consent_on"
    _post(sup, f"/catalogues/{cat}/consent", {"consent_on": day.isoformat(), "consent_ref": "纪要"})
    assert _post(sup, f"/catalogues/{cat}/publish", {}).json()["status"] == "published"
    r = _post(
        agency,
        f"/decisions/{pk}/procedures",
        {
            "public_participation": False,
            "participation_omit_reason": "依法不予公开",
            "expert_argument": False,
            "expert_omit_reason": "无专业问题",
            "risk_assessment": False,
            "risk_omit_reason": "已评估",
        },
    )
    assert r.json()["stage"] == "review"
    assert [s["code"] for s in r.json()["steps"] if s["required"]] == ["review", "discussion", "publication"]
    # discussion without a legality review: 422, nothing written
    body = {
        "meeting_name": "常务会议",
        "held_on": day.isoformat(),
        "members_total": 9,
        "members_present": 8,
        "attendees": "全体",
        "speeches": [{"speaker": "市长", "role": "head", "position": "agree"}],
        "outcome": "adopted",
    }
    r = _post(sup, f"/decisions/{pk}/discussion", body)
    assert r.status_code == 422 and "合法性审查" in r.json()["detail"] and r.json()["field"] == "stage"
    r = _post(agency, f"/decisions/{pk}/review", {"reviewer_unit_id": fx.unit(fx.JUSTICE).pk, "working_days": 3})
    assert r.status_code == 422 and r.json()["field"] == "working_days"
    assert not LegalityReview.objects.exists()
    r = _post(agency, f"/decisions/{pk}/review", {"reviewer_unit_id": fx.unit(fx.JUSTICE).pk})
    assert r.json()["clocks"][0]["rule"] in ("7个工作日", f"{(dt.date(day.year, 12, 31) - day).days}日")
    assert "review_opinion" not in r.json()["actions"]
    assert (
        _post(agency, f"/decisions/{pk}/review/opinion", {"opinion": "lawful", "opinion_text": "合法"}).status_code
        == 403
    )
    r = _post(sup, f"/decisions/{pk}/review/opinion", {"opinion": "lawful", "opinion_text": "合法"})
    assert r.json()["stage"] == "discussion"
    assert _post(sup, f"/decisions/{pk}/discussion", body).json()["stage"] == "publication"
    r = _post(
        sup,
        f"/decisions/{pk}/publication",
        {
            "published_on": day.isoformat(),
            "channels": "政府网站",
            "decision_text": "内容",
            "party_report_on": day.isoformat(),
            "adoption_note": "无",
            "prefix": "示政决",
        },
    )
    data = r.json()
    assert data["stage"] == "published" and data["number"].startswith("示政决〔")
    assert data["documents"][0]["number"] == data["number"]
    assert [e["action_label"] for e in data["timeline"]][-1] == "决策作出并公布"
    hits = api_client("agency").get(f"{API}/public/search", {"q": "农贸"}).json()["items"]
    assert [h["id"] for h in hits] == [pk] and hits[0]["kind"] == "decision"


def test_another_unit_gets_404_and_a_missing_permission_403(users, api_client):
    d = fx.decision(users, to="risk")
    doc = fx.normative(users, to="review")
    other = api_client("agency2")
    assert other.get(f"{API}/decisions/{d.pk}").status_code == 404
    assert (
        _post(
            other,
            f"/decisions/{d.pk}/risk",
            {
                "assessor": "a",
                "risk_points": "b",
                "measures": "c",
                "level": "low",
                "controllable": True,
                "assessed_on": fx.today().isoformat(),
            },
        ).status_code
        == 404
    )
    assert other.get(f"{API}/normative/{doc.pk}").status_code == 404
    assert _post(other, f"/normative/{doc.pk}/submit", {"reviewing_unit_id": fx.unit(fx.JUSTICE).pk}).status_code == 404
    leader = api_client("leader")
    assert leader.get(f"{API}/decisions/{d.pk}").status_code == 200
    assert _post(leader, f"/normative/{doc.pk}/review", {"opinion": "lawful", "text": "合法"}).status_code == 403
    assert api_client("monitor").get(f"{API}/decisions").status_code == 403
    assert api_client("agency").get(f"{API}/decisions").json()["total"] == 1
    assert other.get(f"{API}/decisions").json()["total"] == 0


def test_a_normative_document_through_the_api(users, api_client):
    agency, sup = api_client("agency"), api_client("supervisor")
    day = fx.today()
    r = _post(
        agency,
        "/normative",
        {
            "title": "示例市市场监督管理局行政处罚裁量基准适用规定",
            "issuer_id": fx.unit(fx.MARKET).pk,
            "drafting_unit_id": fx.unit(fx.MARKET).pk,
            "draft_text": "第一条",
        },
    )
    pk = r.json()["id"]
    _post(agency, f"/normative/{pk}/submit", {"reviewing_unit_id": fx.unit(fx.JUSTICE).pk})
    r = _post(sup, f"/normative/{pk}/review/extend", {"days": 9, "reason": "征求意见"})
    assert r.status_code == 422 and r.json()["field"] == "days" and "最多还可延长5个工作日" in r.json()["detail"]
    _post(sup, f"/normative/{pk}/review", {"opinion": "lawful", "text": "合法"})
    _post(agency, f"/normative/{pk}/deliberation", {"meeting": "局务会议", "deliberated_on": day.isoformat()})
    r = _post(agency, f"/normative/{pk}/publish", {})
    assert r.status_code == 422 and r.json()["field"] == "number"
    r = _post(sup, f"/normative/{pk}/register", {"prefix": "示市监规"})
    assert r.json()["number"] == f"示市监规〔{day.year}〕1号"
    r = _post(agency, f"/normative/{pk}/publish", {})
    assert r.json()["stage"] == "published" and r.json()["filings"][0]["authority"] == "gov"
    r = _post(agency, f"/normative/{pk}/filings", {"authority": "gov", "filed_on": day.isoformat(), "proper": True})
    assert r.json()["filings"][0]["timely"] is True
    stats = sup.get(f"{API}/filing-stats", {"year": day.year}).json()
    assert stats["total"]["filing_rate"] == 100.0
    search = api_client("agency").get(f"{API}/public/search", {"q": "裁量"}).json()
    assert search["items"][0]["number"] == f"示市监规〔{day.year}〕1号"


def test_public_consultation_and_comments_only_when_published(users, client):
    d = fx.decision(users, to="consultation")
    from fazhi.rulemaking import services

    c = services.consultation_open(
        by=users["agency"], decision=d, starts_on=fx.today(), days=30, draft_text="草案", today=fx.today()
    )
    comment, _ = services.comment_submit(consultation=c, content="建议分批施工改造。")
    body = client.get(f"{API}/public/consultations/{c.pk}").json()
    assert body["open"] is True and body["comments"] == []
    services.comment_moderate(by=users["agency"], decision=d, comment=comment, publish=True)
    services.comment_answer(by=users["agency"], decision=d, comment=comment, answer="adopted", reason="采纳")
    body = client.get(f"{API}/public/consultations/{c.pk}").json()
    assert (
        body["comments"][0]["content"] == "建议分批施工改造。" and body["comments"][0]["answer"] == ""
    )  # not before close
    assert [x["id"] for x in client.get(f"{API}/public/consultations").json()] == [c.pk]


def test_incidental_review_through_the_api(users, api_client):
    doc = fx.normative(users, to="published")
    sup = api_client("supervisor")
    r = _post(
        sup,
        "/incidental-reviews",
        {
            "document_id": doc.pk,
            "reconsideration_label": "复议案件第1号",
            "received_on": fx.today().isoformat(),
            "requested_by_unit_id": fx.unit(fx.JUSTICE).pk,
            "path": "handle",
        },
    )
    assert r.status_code == 201, r.json()
    data = r.json()
    assert {c["name"] for c in data["clocks"]} == {"handle", "notice"} and data["actions"] == ["notify", "view"]
    assert api_client("agency2").get(f"{API}/incidental-reviews/{data['id']}").status_code == 404
    r = _post(sup, f"/incidental-reviews/{data['id']}/notify", {"notified_on": fx.today().isoformat()})
    assert "answer" in {c["name"] for c in r.json()["clocks"]}
    r = _post(
        api_client("agency"),
        f"/incidental-reviews/{data['id']}/answer",
        {"answer": "有依据", "answered_on": fx.today().isoformat()},
    )
    assert r.json()["status"] == "answered"


def test_steps_with_files_by_multipart(users, api_client):
    """A step's documents go up with the step (the page's form and service): the draft sent for legality review,
    the review opinion; the same checks as on the page, another unit 404, a missing permission 403."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def pdf(name):
        return SimpleUploadedFile(name, b"%PDF-1.4 draft", content_type="application/pdf")

    doc = fx.normative(users, to="drafting")
    agency, sup = api_client("agency"), api_client("supervisor")
    path = f"{API}/normative/{doc.pk}/steps"
    justice = fx.unit(fx.JUSTICE).pk
    assert api_client("agency2").post(f"{path}/submit", {"reviewing_unit": justice}).status_code == 404
    assert api_client("leader").post(f"{path}/submit", {"reviewing_unit": justice}).status_code == 403
    assert agency.post(f"{path}/teleport", {}).status_code == 404
    r = agency.post(f"{path}/submit", {"attachments": [pdf("草案.pdf")]})
    assert r.status_code == 422 and r.json()["field"] == "reviewing_unit"
    bad = SimpleUploadedFile("草案.exe", b"MZ", content_type="application/octet-stream")
    r = agency.post(f"{path}/submit", {"reviewing_unit": justice, "attachments": [bad]})
    assert r.status_code == 422 and r.json()["field"] == "attachments"
    doc.refresh_from_db()
    assert doc.stage == "drafting"
    r = agency.post(f"{path}/edit", {"title": doc.title, "draft_text": "第一条", "attachments": [pdf("x.pdf")]})
    assert r.status_code == 422 and r.json()["field"] == "attachments"
    r = agency.post(
        f"{path}/submit", {"reviewing_unit": justice, "attachments": [pdf("草案.pdf"), pdf("起草说明.pdf")]}
    )
    assert r.status_code == 200, r.content
    names = [a["name"] for e in r.json()["timeline"] for a in e["attachments"]]
    assert names == ["草案.pdf", "起草说明.pdf"]
    r = sup.post(
        f"{path}/review", {"opinion": "lawful", "text": "符合上位法规定", "attachments": [pdf("审核意见书.pdf")]}
    )
    assert r.status_code == 200, r.content
    assert "审核意见书.pdf" in [a["name"] for e in r.json()["timeline"] for a in e["attachments"]]
