"""Every action of the disputes pages is also in /api/v1/ with the same permission and the same service: hearing
attendance, committee referral and opinion, 意见书 and its report (with files), 附带审查 later steps, link and
publish, appeal / effect / enforcement, multipart uploads, the portal's application with files and the published
decisions. Each with its negative cases: a user without the permission 403, another unit's user 404."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.disputes.models import Reconsideration
from fazhi.disputes.tests.conftest import MARKET, PERSON_ID

pytestmark = pytest.mark.django_db
D = dt.date


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def _pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


@pytest.fixture
def accepted(apply, event):
    rc = apply(received_on=D(2025, 9, 1))
    return event(rc, "accepted", D(2025, 9, 2))


def test_hearing_attendance_by_api(api_client, accepted, heads):
    sup = api_client("supervisor")
    base = f"/api/v1/reconsiderations/{accepted.pk}"
    r = _post(
        sup,
        f"{base}/hearings",
        {"notice_on": "2025-09-26", "held_on": "2025-10-10", "place": "复议听证室", "matters": "处罚幅度"},
    )
    assert r.status_code == 200, r.content
    [hearing] = sup.get(f"{base}/hearings").json()
    path = f"{base}/hearings/{hearing['id']}/record"
    r = _post(sup, path, {"head_attended": True, "head_id": heads["ecology"].pk})
    assert r.status_code == 422 and r.json()["field"] == "head_id"
    r = _post(sup, path, {"head_attended": False, "stand_in": "法制科张科长"})
    assert r.status_code == 422 and r.json()["field"] == "absence_reason"
    # The respondent may read its case but not act as the body; another agency does not see it at all.
    assert _post(api_client("agency"), path, {"head_attended": True, "head_id": heads["deputy"].pk}).status_code == 403
    assert api_client("agency2").get(f"{base}/hearings").status_code == 404
    r = _post(sup, path, {"head_attended": True, "head_id": heads["deputy"].pk, "record": "双方陈述意见"})
    assert r.status_code == 200 and r.json()["head_attended"] is True and "吴副局长" in r.json()["head"]


def test_committee_referral_and_opinion_by_api(api_client, accepted):
    sup = api_client("supervisor")
    base = f"/api/v1/reconsiderations/{accepted.pk}"
    r = _post(sup, f"{base}/referrals", {"ground": "1", "referred_on": "2025-09-20"})
    assert r.status_code == 422 and r.json()["field"] == "referred_on"
    r = _post(
        sup,
        "/api/v1/committees",
        {"name": "示例市人民政府行政复议委员会", "term_from": "2024-01-01", "term_to": "2027-12-31"},
    )
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    r = _post(
        sup,
        f"/api/v1/committees/{cid}/members",
        {"name": "钱教授", "kind": "scholar", "organisation": "示例大学法学院"},
    )
    assert r.status_code == 201 and r.json()["members"][0]["name"] == "钱教授"
    assert (
        _post(
            api_client("agency"), "/api/v1/committees", {"term_from": "2028-01-01", "term_to": "2029-01-01"}
        ).status_code
        == 403
    )
    r = _post(sup, f"{base}/referrals", {"ground": "1", "referred_on": "2025-09-20"})
    assert r.status_code == 201
    path = f"{base}/referrals/{r.json()['id']}/opinion"
    assert _post(api_client("agency"), path, {"opinion": "x", "opinion_on": "2025-09-25"}).status_code == 403
    r = _post(sup, path, {"opinion": "建议变更罚款数额", "opinion_on": "2025-09-19"})
    assert r.status_code == 422 and r.json()["field"] == "opinion_on"
    r = _post(sup, path, {"opinion": "建议变更罚款数额", "opinion_on": "2025-09-25"})
    assert r.status_code == 200 and r.json()["opinion"] == "建议变更罚款数额"
    assert sup.get(f"{base}/referrals").json()[0]["opinion_on"] == "2025-09-25"


def test_opinion_letter_and_its_report_with_files(api_client, accepted):
    sup = api_client("supervisor")
    r = _post(
        sup,
        f"/api/v1/reconsiderations/{accepted.pk}/opinions",
        {"agency": MARKET, "content": "罚款数额不统一，请规范裁量基准的适用", "issued_on": "2025-09-10"},
    )
    assert r.status_code == 201, r.content
    opinion = r.json()
    assert opinion["clocks"][0]["name"] == "opinion_report"
    path = f"/api/v1/opinions/{opinion['id']}/report"
    body = {"report": "已修订裁量基准", "reported_on": "2025-10-20", "attachments": [_pdf("整改报告.pdf")]}
    assert api_client("agency2").post(path, body).status_code == 404
    assert sup.post(path, body).status_code == 403  # the body does not report for the agency
    bad = api_client("agency").post(path, {**body, "attachments": [SimpleUploadedFile("x.exe", b"MZ")]})
    assert bad.status_code == 422 and bad.json()["field"] == "attachments"
    r = api_client("agency").post(path, {**body, "attachments": [_pdf("整改报告.pdf")]})
    assert r.status_code == 200, r.content
    assert r.json()["reported_on"] == "2025-10-20" and r.json()["attachments"][0]["name"] == "整改报告.pdf"
    download = f"/api/v1/dispute-attachments/{r.json()['attachments'][0]['id']}"
    got = sup.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content if got.streaming else [got.content]).startswith(
        b"%PDF"
    )
    assert api_client("agency2").get(download).status_code == 404
    assert api_client("agency").post(path, body).status_code in (403, 422)


def test_normative_review_is_handled_by_rulemaking_and_shown_here(api_client, accepted):
    """附带审查's later steps are the rule-making module's (one owner of the review and its clocks): taken through
    /api/v1/rulemaking/incidental-reviews, shown back on the disputes record."""
    sup = api_client("supervisor")
    r = _post(
        sup,
        f"/api/v1/reconsiderations/{accepted.pk}/normative-reviews",
        {
            "document_title": "示例市市场监督管理局关于规范食品经营许可的通知",
            "issuer": MARKET,
            "articles": "第五条",
            "source": "applicant",
            "competent": False,
            "started_on": "2025-09-10",
        },
    )
    assert r.status_code == 201, r.content
    nr = r.json()
    assert nr["handling"]["path"] == "forward" and {c["name"] for c in nr["clocks"]} == {"handle", "forward"}
    path = f"/api/v1/rulemaking/incidental-reviews/{nr['handling']['id']}"
    assert (
        _post(api_client("agency"), f"{path}/forward", {"forwarded_to": "x", "forwarded_on": "2025-09-12"}).status_code
        == 403
    )
    r = _post(sup, f"{path}/forward", {"forwarded_to": "示例市人民政府", "forwarded_on": "2025-09-12"})
    assert r.status_code == 200, r.content
    r = _post(sup, f"{path}/reply", {"conclusion": "unlawful", "text": "第五条超越权限", "replied_on": "2025-10-20"})
    assert r.status_code == 200, r.content
    got = sup.get(f"/api/v1/normative-reviews/{nr['id']}").json()
    assert (got["status"], got["result"], got["handling"]["status"]) == ("replied", "unlawful", "concluded")
    assert api_client("agency2").get(f"/api/v1/normative-reviews/{nr['id']}").status_code in (403, 404)


def test_publication_and_the_public_decisions(api_client, client, accepted, event):
    sup = api_client("supervisor")
    rc = event(accepted, "decided", D(2025, 10, 10), outcome="varied", reason="王建国的违法情节轻微")
    path = f"/api/v1/reconsiderations/{rc.pk}/publish"
    [doc] = sup.get(f"/api/v1/reconsiderations/{rc.pk}").json()["documents"]
    assert sup.get(doc["download"]).status_code == 200
    assert api_client("agency2").get(doc["download"]).status_code in (403, 404)
    r = _post(sup, path)
    assert r.status_code == 422  # not served yet
    assert _post(api_client("agency"), path).status_code == 403
    event(rc, "served", D(2025, 10, 11))
    assert _post(sup, path).status_code == 200
    [row] = client.get("/api/v1/public/reconsideration-decisions").json()
    assert row["id"] == rc.pk and "王某" in row["text"] and "王建国" not in row["text"]
    assert client.get(f"/api/v1/public/reconsideration-decisions/{rc.pk}").json()["outcome"] == "变更"
    other = Reconsideration.objects.exclude(pk=rc.pk).first()
    assert other is None or client.get(f"/api/v1/public/reconsideration-decisions/{other.pk}").status_code == 404


def test_answer_with_evidence_by_multipart(api_client, apply, event):
    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "accepted", D(2025, 9, 2))
    rc = event(rc, "copied", D(2025, 9, 3), received_on=D(2025, 9, 4))
    path = f"/api/v1/reconsiderations/{rc.pk}/events/upload"
    body = {"kind": "answered", "on": "2025-09-10", "reason": "处罚事实清楚"}
    assert api_client("agency2").post(path, {**body, "attachments": [_pdf("证据.pdf")]}).status_code == 404
    r = api_client("agency").post(path, {**body, "attachments": [_pdf("证据.pdf")]})
    assert r.status_code == 200, r.content
    assert any(c["name"] == "respondent_answer" and not c["open"] for c in r.json()["clocks"])


def test_litigation_appeal_effect_and_enforcement_by_api(api_client, agencies):
    agency = api_client("agency")
    lit = _post(
        agency,
        "/api/v1/litigations",
        {
            "court": "示例市东城区人民法院",
            "case_number": "（2025）湘9902行初22号",
            "plaintiff": {"kind": "person", "name": "王建国"},
            "defendant": MARKET,
            "act": "罚款5000元的行政处罚决定",
            "filed_on": "2025-09-10",
            "served_on": "2025-09-20",
        },
    ).json()
    base = f"/api/v1/litigations/{lit['id']}"
    r = _post(agency, f"{base}/judgment", {"kind": "annulled", "judgment_on": "2025-11-03", "served_on": "2025-11-05"})
    assert r.status_code == 200
    # Served 11/5: 15 days → 11月20日; an appeal on 11/21 is late.
    r = _post(agency, f"{base}/appeal", {"on": "2025-11-21", "appealed_by": "被告"})
    assert r.status_code == 422 and r.json()["field"] == "appealed_on"
    assert _post(api_client("agency2"), f"{base}/effective").status_code == 404
    assert _post(api_client("officer"), f"{base}/effective").status_code == 403
    r = _post(agency, f"{base}/effective")
    assert r.status_code == 200 and r.json()["status"] == "judged"
    r = _post(agency, f"{base}/enforcement", {"enforcement": "pending"})
    assert r.status_code == 422 and r.json()["field"] == "note"
    r = _post(agency, f"{base}/enforcement", {"enforcement": "done", "on": "2025-12-10", "note": "已撤销原处罚决定"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = _post(agency, f"{base}/link-case", {"case_id": 999999})
    assert r.status_code in (403, 404, 422)


def test_appearance_and_reply_with_proof_files(api_client, agencies, heads):
    agency = api_client("agency")
    lit = _post(
        agency,
        "/api/v1/litigations",
        {
            "court": "示例市东城区人民法院",
            "case_number": "（2025）湘9902行初23号",
            "plaintiff": {"kind": "person", "name": "王建国"},
            "defendant": MARKET,
            "act": "罚款的行政处罚决定",
            "filed_on": "2025-09-10",
            "served_on": "2025-09-20",
        },
    ).json()
    # The hearing with the court's 出庭通知书 (multipart); the notice is not proof of a head's absence.
    r = agency.post(
        f"/api/v1/litigations/{lit['id']}/hearings",
        {"held_on": "2025-11-05", "summons_received_on": "2025-10-20", "summons": [_pdf("出庭通知书.pdf")]},
    )
    assert r.status_code == 200, r.content
    hearing = r.json()["hearings"][0]
    assert [f["name"] for f in hearing["summons_files"]] == ["出庭通知书.pdf"]
    assert (
        api_client("agency2").post(f"/api/v1/litigations/{lit['id']}/hearings", {"held_on": "2025-11-06"}).status_code
        == 404
    )
    summons = hearing["summons_files"][0]["id"]
    assert agency.get(f"/api/v1/dispute-attachments/{summons}").status_code == 200
    assert api_client("agency2").get(f"/api/v1/dispute-attachments/{summons}").status_code == 404
    path = f"/api/v1/court-hearings/{hearing['id']}/appearance"
    absent = {"staff_name": "法制科张科长", "absence_ground": "3", "absence_reason": "出席省政府专题会议"}
    r = agency.post(path, absent)
    assert r.status_code == 422 and r.json()["field"] == "attachments"
    r = agency.post(
        path,
        {
            "staff_name": "法制科张科长",
            "absence_ground": "3",
            "absence_reason": "出席省政府专题会议",
            "attachments": [_pdf("会议通知.pdf")],
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["hearings"][0]["head_appeared"] is False
    assert api_client("agency2").post(path, {"head_id": heads["principal"].pk}).status_code == 404


def test_public_application_with_files(client, agencies):
    body = {
        "applicant_kind": "person",
        "applicant_name": "李秀英",
        "applicant_id_number": PERSON_ID,
        "respondent": MARKET,
        "act": "罚款5000元的行政处罚决定",
        "known_on": (dt.date.today() - dt.timedelta(days=10)).isoformat(),
        "request": "请求撤销",
        "facts": "执法人员未出示证件，程序违法，处罚过重。",
        "consent": "true",
    }
    r = client.post("/api/v1/public/reconsideration-applications", {**body, "attachments": [_pdf("处罚决定书.pdf")]})
    assert r.status_code == 201, r.content
    rc = Reconsideration.objects.get(tracking_code=r.json()["tracking_code"])
    assert rc.channel == "online" and [a.name for a in rc.attachments.all()] == ["处罚决定书.pdf"]
    # A file that is not what its name says is refused, nothing written.
    fake = SimpleUploadedFile("照片.jpg", b"MZ not a picture", content_type="image/jpeg")
    r = client.post("/api/v1/public/reconsideration-applications", {**body, "attachments": [fake]})
    assert r.status_code == 422 and r.json()["field"] == "attachments"
    r = client.post(
        "/api/v1/public/reconsideration-applications", {**body, "applicant_id_number": "110105194912310021"}
    )
    assert r.status_code == 422 and r.json()["field"] == "applicant_id_number"
    assert Reconsideration.objects.count() == 1


def test_the_applicants_personal_data_masked_and_revealed_with_a_reason(api_client, accepted):
    sup = api_client("supervisor")
    base = f"/api/v1/reconsiderations/{accepted.pk}/applicant"
    shown = sup.get(base).json()
    assert shown["masked"] is True and PERSON_ID not in shown["code"]
    r = _post(sup, f"{base}/reveal", {"reveal_reason": ""})
    assert r.status_code == 422 and r.json()["field"] == "reveal_reason"
    assert _post(api_client("agency"), f"{base}/reveal", {"reveal_reason": "核对身份"}).status_code == 403
    assert api_client("agency2").get(base).status_code == 404
    r = _post(sup, f"{base}/reveal", {"reveal_reason": "送达决定书需核对身份"})
    assert r.status_code == 200 and r.json()["code"] == PERSON_ID and r.json()["masked"] is False


def test_staff_registration_with_the_application_materials(api_client, agencies):
    sup = api_client("supervisor")
    body = {
        "applicant_kind": "person",
        "applicant_name": "王建国",
        "applicant_id_number": PERSON_ID,
        "respondent": MARKET,
        "act": "罚款5000元的行政处罚决定",
        "known_on": "2025-08-02",
        "received_on": "2025-09-30",
        "channel": "post",
        "agent_name": "李律师",
        "agent_kind": "律师",
    }
    r = sup.post("/api/v1/reconsiderations/upload", {**body, "attachments": [_pdf("申请书.pdf")]})
    assert r.status_code == 201, r.content
    rc = Reconsideration.objects.get(pk=r.json()["id"])
    assert (rc.channel, rc.agent_name) == ("post", "李律师") and [a.name for a in rc.attachments.all()] == [
        "申请书.pdf"
    ]
    r = sup.post("/api/v1/reconsiderations/upload", {**body, "applicant_id_number": "110105194912310021"})
    assert r.status_code == 422 and r.json()["field"] == "applicant_id_number"
    assert api_client("agency").post("/api/v1/reconsiderations/upload", body).status_code == 403
    assert Reconsideration.objects.count() == 1
