"""API of 法治督察: create, assign, report with evidence, sign off; errors as 422 naming the field; scope 404."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.assessment.oversight.tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1/assessment/oversight"


def test_flow_through_the_api(org, api_client):
    today = timezone.localdate()
    sup, agency = api_client("supervisor"), api_client("agency")
    r = sup.post(
        f"{API}/campaigns",
        {
            "kind": "special",
            "title": "专项督察",
            "period_start": str(today),
            "period_end": str(today),
            "unit_ids": [org[f.MARKET].pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    r = sup.post(
        f"{API}/campaigns/{cid}/problems",
        {
            "aspect": "执法方面",
            "description": "未公示",
            "unit_ids": [org[f.MARKET].pk],
            "deadline": str(today - dt.timedelta(days=1)),
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "deadline"
    r = sup.post(
        f"{API}/campaigns/{cid}/problems",
        {
            "aspect": "执法方面",
            "description": "未公示",
            "unit_ids": [org[f.MARKET].pk],
            "deadline": str(today + dt.timedelta(days=10)),
        },
        content_type="application/json",
    )
    rid = r.json()["rectification_ids"][0]
    r = agency.post(f"{API}/problems/{rid}/report", {"text": "已整改", "submit": "true", "attachments": f.pdf()})
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    r = sup.post(f"{API}/problems/{rid}/signoff", {"comment": "同意"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "signed_off"
    rows = agency.get(f"{API}/problems").json()
    assert [x["id"] for x in rows] == [rid]
    assert agency.get(f"{API}/problems/counts").json() == {"open": 0, "overdue": 0}
    assert api_client("agency2").get(f"{API}/problems/{rid}").status_code == 404
    assert agency.get(f"{API}/campaigns").status_code == 403


def test_signoff_without_evidence_api(org, api_client):
    today = timezone.localdate()
    rect = f.problem(org, f.campaign(org, today=today), today=today).rectifications.get()
    api_client("agency").post(f"{API}/problems/{rect.pk}/report", {"text": "已整改", "submit": "true"})
    r = api_client("supervisor").post(f"{API}/problems/{rect.pk}/signoff", {}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "evidence"
