"""The API contract of issue #12 (exact shapes), its 422s in Chinese naming the field, and the scope of the
routes: an agency sees only the disputes where it is the respondent or the defendant, by id as well as in lists."""

import datetime as dt

import pytest

from fazhi.disputes.models import Reconsideration
from fazhi.disputes.tests.conftest import ECOLOGY, MARKET, PERSON_ID, D

pytestmark = pytest.mark.django_db

BODY = {
    "applicant": {"kind": "person", "name": "王建国", "id_number": PERSON_ID},
    "respondent": MARKET,
    "act": "罚款5000元的行政处罚决定",
    "known_on": "2025-08-02",
    "received_on": "2025-09-30",
    "procedure": "ordinary",
}


@pytest.fixture
def sup(api_client):
    return api_client("supervisor")


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_create_answers_the_contract_shape(sup, agencies):
    r = _post(sup, "/api/v1/reconsiderations", BODY)
    assert r.status_code == 201, r.content
    data = r.json()
    assert {"id", "status", "procedure", "warnings", "clocks"} <= set(data)
    assert (data["status"], data["procedure"]) == ("review", "ordinary")
    # Received 2025-09-30: five working days over 国庆 → 2025-10-14 (see test_services).
    [clock] = data["clocks"]
    assert clock == {
        "name": "acceptance_review",
        "label": "受理审查",
        "rule": "5个工作日",
        "start": "2025-09-30",
        "deadline": "2025-10-14",
        "paused": False,
        "open": True,
        "extended": 0,
        "basis": "《行政复议法》第三十条、第八十八条",
    }
    # Known 2025-08-02: 60 days → 10月1日 → 10月9日; applied 9/30, in time. (The review period is long over
    # today: the case shows that it is deemed accepted until the daily job records it.)
    assert [w["rule"] for w in data["warnings"]] == ["acceptance_deemed"]
    assert data["period_deadline"] == "2025-10-09"


def test_a_late_application_is_registered_with_its_warning(sup, agencies):
    r = _post(sup, "/api/v1/reconsiderations", {**BODY, "received_on": "2025-10-10"})
    assert r.status_code == 201
    [warning] = [w for w in r.json()["warnings"] if w["rule"] == "application_period_expired"]
    assert warning["citation"] == "《行政复议法》第二十条第一款" and "2025年10月9日" in warning["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure": "simple", "amount": 5000}, "procedure"),
        ({"procedure": "simple"}, "procedure"),
        ({"respondent": "示例市不存在局"}, "respondent"),
        ({"applicant": {"kind": "person", "name": "王建国", "id_number": "110105194912310021"}}, "applicant.id_number"),
        ({"applicant": {"kind": "robot", "name": "x"}}, "applicant.kind"),
        ({"known_on": "2025-10-01"}, "known_on"),
        ({"known_on": "2025-13-01"}, "known_on"),
        ({"received_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()}, "received_on"),
    ],
)
def test_bad_input_is_a_chinese_422_naming_the_field(sup, agencies, change, field):
    r = _post(sup, "/api/v1/reconsiderations", {**BODY, **change})
    assert r.status_code == 422, r.content
    data = r.json()
    assert field in {e["field"] for e in data["errors"]}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["detail"])
    assert not Reconsideration.objects.exists()


def test_events_follow_the_law(sup, agencies):
    rc = _post(sup, "/api/v1/reconsiderations", {**BODY, "received_on": "2026-02-10"}).json()
    path = f"/api/v1/reconsiderations/{rc['id']}/events"
    r = _post(sup, path, {"kind": "decided", "on": "2026-02-12", "outcome": "annulled"})
    assert r.status_code == 422 and r.json()["field"] == "kind"
    r = _post(sup, path, {"kind": "correction_requested", "on": "2026-02-12", "reason": "请补充决定书复印件"})
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["status"] == "correction"
    clocks = {c["name"]: c for c in data["clocks"]}
    assert clocks["acceptance_review"]["paused"] is True
    assert clocks["correction_reply"]["deadline"] == "2026-03-04"
    assert _post(sup, path, {"kind": "correction_received", "on": "2026-03-03"}).json()["status"] == "review"
    r = _post(sup, path, {"kind": "accepted", "on": "2026-03-09"})
    assert r.json()["status"] == "accepted"
    clocks = {c["name"]: c for c in r.json()["clocks"]}
    assert clocks["decision"]["deadline"] == "2026-05-08"
    assert {c["name"] for c in r.json()["other_clocks"]} == {"respondent_copy"}
    r = _post(sup, path, {"kind": "extended", "on": "2026-04-20", "days": 31, "reason": "案情复杂"})
    assert r.status_code == 422 and r.json()["field"] == "days" and "30" in r.json()["detail"]
    r = _post(sup, path, {"kind": "extended", "on": "2026-04-20", "days": 30, "reason": "案情复杂"})
    assert {c["name"]: c for c in r.json()["clocks"]}["decision"]["deadline"] == "2026-06-08"
    r = _post(sup, path, {"kind": "suspended", "on": "2026-04-25", "reason": "等待另案判决", "ground": "8"})
    assert r.json()["status"] == "suspended"
    assert {c["name"]: c for c in r.json()["clocks"]}["decision"]["paused"] is True
    r = _post(sup, path, {"kind": "resumed", "on": "2026-05-05"})
    # Paused (4/25, 5/5]: 10 days more → 6月17日 + … : 60 + 30 + 10 = 100 days from 3/9 → 6月17日 (Wednesday).
    assert {c["name"]: c for c in r.json()["clocks"]}["decision"]["deadline"] == "2026-06-17"
    r = _post(sup, path, {"kind": "decided", "on": "2026-06-10", "outcome": "varied", "reason": "罚款数额明显不当"})
    data = r.json()
    assert data["status"] == "decided" and data["outcome"] == "varied" and data["corrected"] is True
    assert all(c["open"] is False for c in data["clocks"])
    assert [d["title"] for d in data["documents"]] == ["行政复议决定书"]
    assert _post(sup, path, {"kind": "resumed", "on": "2026-06-11"}).status_code == 422
    r = _post(sup, path, {"kind": "teleported", "on": "2026-06-11"})
    assert r.status_code == 422 and r.json()["field"] == "kind"


def test_the_agency_sees_only_its_own_disputes(sup, api_client, agencies):
    market = _post(sup, "/api/v1/reconsiderations", BODY).json()
    ecology = _post(sup, "/api/v1/reconsiderations", {**BODY, "respondent": ECOLOGY}).json()
    agency = api_client("agency")
    assert agency.get(f"/api/v1/reconsiderations/{market['id']}").status_code == 200
    assert agency.get(f"/api/v1/reconsiderations/{ecology['id']}").status_code == 404
    assert [r["id"] for r in agency.get("/api/v1/reconsiderations").json()] == [market["id"]]
    # The agency may not act as the body, on its own case or another's.
    r = _post(agency, f"/api/v1/reconsiderations/{market['id']}/events", {"kind": "accepted", "on": "2025-10-09"})
    assert r.status_code == 403
    r = _post(agency, f"/api/v1/reconsiderations/{ecology['id']}/events", {"kind": "answered", "on": "2025-10-09"})
    assert r.status_code == 404
    assert api_client("agency2").get(f"/api/v1/reconsiderations/{market['id']}").status_code == 404
    assert _post(agency, "/api/v1/reconsiderations", BODY).status_code == 403


def test_litigation_and_appearance_by_api(api_client, agencies, heads):
    agency = api_client("agency")
    r = _post(
        agency,
        "/api/v1/litigations",
        {
            "court": "示例市东城区人民法院",
            "case_number": "（2025）湘9902行初21号",
            "plaintiff": {"kind": "person", "name": "王建国"},
            "defendant": MARKET,
            "act": "罚款5000元的行政处罚决定",
            "filed_on": "2025-09-10",
            "served_on": "2025-09-20",
        },
    )
    assert r.status_code == 201, r.content
    lit = r.json()
    assert {c["name"]: c for c in lit["clocks"]}["defence"]["deadline"] == "2025-10-09"
    r = agency.post(f"/api/v1/litigations/{lit['id']}/hearings", {"held_on": "2025-11-05"})  # multipart
    hearing = r.json()["hearings"][0]
    r = agency.post(f"/api/v1/court-hearings/{hearing['id']}/appearance", {"lawyer_name": "李律师"})
    assert r.status_code == 422 and r.json()["field"] == "staff_name"
    r = agency.post(f"/api/v1/court-hearings/{hearing['id']}/appearance", {"head_id": heads["ecology"].pk})
    assert r.status_code == 422 and r.json()["field"] == "head_id"
    r = agency.post(f"/api/v1/court-hearings/{hearing['id']}/appearance", {"head_id": heads["principal"].pk})
    assert r.status_code == 200 and r.json()["hearings"][0]["head_appeared"] is True
    other = api_client("agency2")
    assert other.get(f"/api/v1/litigations/{lit['id']}").status_code == 404
    assert (
        other.post(f"/api/v1/court-hearings/{hearing['id']}/appearance", {"head_id": heads["principal"].pk}).status_code
        == 404
    )
    r = _post(agency, f"/api/v1/litigations/{lit['id']}/judgment", {"kind": "annulled", "judgment_on": "2025-12-01"})
    assert r.json()["lost"] is True
    # The suit's detail carries its timeline, each step as the page shows it.
    actions = [e["action"] for e in agency.get(f"/api/v1/litigations/{lit['id']}").json()["timeline"]]
    assert actions[0] == "created" and len(actions) >= 4
    stats = api_client("supervisor").get("/api/v1/disputes/stats?dimension=agency&year=2025").json()
    row = next(s for s in stats if s["label"] == MARKET)
    assert (row["suits"], row["judged"], row["lost"], row["loss_rate"], row["appearance_rate"]) == (1, 1, 1, 1.0, 1.0)


def test_suggestions_by_api(api_client, agencies):
    agency = api_client("agency")
    r = _post(
        agency,
        "/api/v1/suggestions",
        {
            "kind": "procuratorial",
            "issuer": "示例市人民检察院",
            "number": "示检行公建〔2026〕3号",
            "agency": MARKET,
            "content": "对校园周边食品经营者监管不到位",
            "received_on": "2026-03-31",
        },
    )
    assert r.status_code == 201 and r.json()["deadline"] == "2026-06-01"
    sid = r.json()["id"]
    assert api_client("agency2").get(f"/api/v1/suggestions/{sid}").status_code == 404
    r = agency.post(f"/api/v1/suggestions/{sid}/reply", {"reply": "已开展专项检查", "replied_on": "2026-05-20"})
    assert r.json()["on_time"] is True
    timeline = agency.get(f"/api/v1/suggestions/{sid}").json()["timeline"]
    assert timeline[-1]["action_label"] == "已答复" and any(e["comment"] == "已开展专项检查" for e in timeline)


def test_public_application_and_status(client, agencies):
    body = {
        "applicant": {"kind": "person", "name": "李秀英", "id_number": PERSON_ID},
        "respondent": MARKET,
        "act": "罚款5000元的行政处罚决定",
        "known_on": (dt.date.today() - dt.timedelta(days=10)).isoformat(),
        "request": "请求撤销",
        "facts": "执法人员未出示证件，程序违法，处罚过重。",
        "consent": True,
    }
    r = _post(client, "/api/v1/public/reconsiderations", body)
    assert r.status_code == 201, r.content
    receipt = r.json()
    r = client.get(
        f"/api/v1/public/reconsiderations/{receipt['tracking_code']}",
        headers={"X-Query-Password": receipt["query_password"]},
    )
    assert r.status_code == 200 and r.json()["status"] == "review" and r.json()["respondent"] == MARKET
    assert "id_number" not in r.json() and PERSON_ID not in r.content.decode()
    r = client.get(f"/api/v1/public/reconsiderations/{receipt['tracking_code']}", headers={"X-Query-Password": "WRONG"})
    assert r.status_code == 404
    r = _post(client, "/api/v1/public/reconsiderations", {**body, "consent": False})
    assert r.status_code == 422 and r.json()["field"] == "consent"


def test_the_stats_route_checks_its_dimension(api_client):
    r = api_client("supervisor").get("/api/v1/disputes/stats?dimension=planet")
    assert r.status_code == 422 and r.json()["field"] == "dimension"
    assert api_client("officer").get("/api/v1/disputes/stats").status_code == 403


def test_particulars_by_api(sup, api_client, agencies):
    rc = _post(sup, "/api/v1/reconsiderations", BODY).json()
    path = f"/api/v1/reconsiderations/{rc['id']}/particulars"
    r = _post(sup, path, {"amount": "abc"})
    assert r.status_code == 422
    r = _post(sup, path, {"act_kind": "nothing"})
    assert r.status_code == 422 and r.json()["field"] == "act_kind"
    r = _post(sup, path, {"amount": 2500, "parties_agree_simple": True, "reason": "各方书面同意"})
    assert r.status_code == 200, r.content
    assert r.json()["timeline"][-1]["action"] == "particulars_changed"
    assert api_client("agency2").post(path, {"amount": 1}, content_type="application/json").status_code in (403, 404)


def test_head_list_searches_and_pages_within_scope(api_client, heads):
    sup = api_client("supervisor")
    names = [h["name"] for h in sup.get("/api/v1/agency-heads?q=副局长").json()]
    assert names == ["吴副局长"]
    every = [h["name"] for h in sup.get("/api/v1/agency-heads").json()]
    assert len(every) >= 3
    assert [h["name"] for h in sup.get("/api/v1/agency-heads?offset=1&limit=1").json()] == every[1:2]
    # An agency sees its own heads only.
    own = {h["agency"] for h in api_client("agency").get("/api/v1/agency-heads").json()}
    assert own == {MARKET}


def test_stats_figures_follow_the_callers_scope(api_client, apply, event):
    for respondent, outcome in ((MARKET, "annulled"), (ECOLOGY, "upheld")):
        rc = event(apply(received_on=D(2025, 9, 1), respondent=respondent), "accepted", D(2025, 9, 2))
        event(rc, "decided", D(2025, 10, 10), outcome=outcome, reason="经审查")
    every = {
        r["label"]: r for r in api_client("supervisor").get("/api/v1/disputes/stats?dimension=agency&year=2025").json()
    }
    assert every[MARKET]["corrected"] == 1 and every[ECOLOGY]["corrected"] == 0
    # The market bureau's legal officer counts its own disputes only.
    own = api_client("agency").get("/api/v1/disputes/stats?dimension=agency&year=2025").json()
    assert {r["label"] for r in own if r["applications"]} == {MARKET}


def test_a_suit_with_an_unknown_defendant_reports_every_problem_at_once(api_client, agencies):
    r = _post(
        api_client("agency"),
        "/api/v1/litigations",
        {
            "court": "示例市东城区人民法院",
            "case_number": "",
            "plaintiff": {"kind": "person", "name": "王建国"},
            "defendant": "没有这个局",
            "act": "罚款",
            "filed_on": "2025-09-10",
            "served_on": "2025-09-20",
        },
    )
    assert r.status_code == 422
    assert {"defendant", "case_number"} <= {e["field"] for e in r.json()["errors"]}
