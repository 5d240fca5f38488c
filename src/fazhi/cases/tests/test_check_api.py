import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/check"
CASE = {
    "procedure": "general",
    "party": {"kind": "organisation", "uscc": "91110000600037341L"},
    "handlers": [
        {"name": "甲", "certificate": "43990012345", "valid_from": "2024-01-01", "valid_to": "2028-12-31"},
        {"name": "乙", "certificate": "43990012346", "valid_from": "2024-01-01", "valid_to": "2028-12-31"},
    ],
    "violation_ended_on": "2025-01-10",
    "filed_on": "2025-03-03",
    "extension_days": 0,
    "major": True,
    "legal_review_on": "2025-04-01",
    "decided_on": "2025-04-02",
    "served_on": "2025-04-03",
    "disclosed_on": "2025-04-08",
    "fine": 5000,
    "tier": {"min": 1000, "max": 10000},
}


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_clean_case_has_no_checks(api_client):
    r = post(api_client("officer"), CASE)
    assert r.status_code == 200, r.content
    assert r.json() == {"checks": []}


def test_findings_carry_rule_severity_message_citation(api_client):
    body = {
        **CASE,
        "handlers": CASE["handlers"][:1],
        "decided_on": "2025-07-01",
        "legal_review_on": None,
        "served_on": "2025-07-01",
        "disclosed_on": "2025-07-30",
        "fine": 20000,
    }
    r = post(api_client("officer"), body)
    assert r.status_code == 200
    checks = {c["rule"]: c for c in r.json()["checks"]}
    assert set(checks) == {
        "handlers_min_two",
        "decision_overdue",
        "legal_review_missing",
        "disclosure_late",
        "fine_outside_tier",
    }
    assert checks["decision_overdue"]["citation"] == "《中华人民共和国行政处罚法》第六十条"
    assert checks["decision_overdue"]["severity"] == "error"
    assert "九十" in checks["decision_overdue"]["citation"] or "2025-06-03" in checks["decision_overdue"]["message"]
    assert set(checks["handlers_min_two"]) == {"rule", "severity", "message", "citation"}


def test_simple_procedure_fine_limit(api_client):
    body = {"procedure": "simple", "party": {"kind": "person", "id_number": "11010519491231002X"}, "fine": 300}
    r = post(api_client("officer"), body)
    assert [c["rule"] for c in r.json()["checks"]] == ["on_the_spot_limit"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"party": {"kind": "person", "id_number": "110105194912310021"}}, "party.id_number"),
        ({"party": {"kind": "organisation", "uscc": "91110000600037341X"}}, "party.uscc"),
        ({"fine": 0}, "fine"),
        ({"fine": "abc"}, "fine"),
        ({"decided_on": "2025-03-01"}, "decided_on"),
        ({"filed_on": "2025-13-01"}, "filed_on"),
        ({"procedure": "fast"}, "procedure"),
        ({"extension_days": -1}, "extension_days"),
    ],
)
def test_bad_input_is_422_with_field(api_client, change, field):
    r = post(api_client("officer"), {**CASE, **change})
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])


def test_check_requires_authentication(client):
    assert post(client, CASE).status_code == 401


def test_rule_catalogue(api_client):
    r = api_client("officer").get("/api/v1/cases/rules")
    assert {x["rule"] for x in r.json()} >= {"handlers_min_two", "limitation_expired"}
