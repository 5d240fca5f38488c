import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.tracking.tests.conftest import MARKET

pytestmark = pytest.mark.django_db


def test_inbox_matches_the_page(market_assignment, ecology_assignment, api_client, login_as):
    r = api_client("agency").get("/api/v1/inbox")
    assert r.status_code == 200
    data = r.json()
    assert data["total"] == 1 and [i["id"] for i in data["items"]] == [market_assignment.item_id]
    assert data["items"][0]["url"] == f"/tasks/assignments/{market_assignment.pk}/"
    page = login_as("agency").get("/")
    assert page.context["total"] == data["total"] and page.context["counts"] == data["counts"]
    assert [i.pk for i in page.context["page"].object_list] == [i["id"] for i in data["items"]]
    assert api_client("agency").get("/api/v1/inbox?light=red").json()["items"] == []


def test_item_with_timeline(market_assignment, api_client):
    r = api_client("agency").get(f"/api/v1/items/{market_assignment.item_id}")
    assert r.status_code == 200
    (event,) = r.json()["timeline"]
    assert event["action"] == "created" and len(event["hash"]) == 64 and event["prev_hash"] == ""


def test_out_of_scope_is_404_on_api_and_page(market_assignment, api_client, login_as):
    client = api_client("agency2")
    for url in (
        f"/api/v1/assignments/{market_assignment.pk}",
        f"/api/v1/items/{market_assignment.item_id}",
        f"/api/v1/tasks/{market_assignment.task_id}",
    ):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.json() == {"detail": "记录不存在或无权访问"}
    r = client.post(
        f"/api/v1/assignments/{market_assignment.pk}/reports",
        {"progress": 10, "text": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404
    page = login_as("agency2")
    assert page.get(f"/tasks/assignments/{market_assignment.pk}/").status_code == 404
    assert page.get(f"/items/{market_assignment.item_id}/").status_code == 404


def test_missing_permission_is_403(market_assignment, api_client):
    r = api_client("agency").post(
        "/api/v1/tasks", {"title": "x", "basis": "y", "deadline": "2099-01-01"}, content_type="application/json"
    )
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}
    r = api_client("supervisor").post(
        f"/api/v1/assignments/{market_assignment.pk}/reports",
        {"progress": 10, "text": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}
    assert api_client("officer").get("/api/v1/tasks").status_code == 403


def test_full_flow_over_api(org, api_client):
    sup, agency = api_client("supervisor"), api_client("agency")
    deadline = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    r = sup.post(
        "/api/v1/tasks",
        {"title": "普法责任制落实", "basis": "谁执法谁普法", "deadline": deadline},
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    task_id = r.json()["id"]
    r = sup.post(
        f"/api/v1/tasks/{task_id}/assignments",
        {"unit_id": org[MARKET].pk, "deadline": deadline, "requirement": "报送材料"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    a_id = r.json()["id"]
    assert r.json()["light"] == "green" and r.json()["status"] == "assigned"
    r = sup.post(
        f"/api/v1/tasks/{task_id}/assignments",
        {"unit_id": org[MARKET].pk, "deadline": deadline},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "unit"

    r = agency.post(
        f"/api/v1/assignments/{a_id}/reports", {"progress": 120, "text": "x"}, content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["field"] == "progress"
    r = agency.post(f"/api/v1/assignments/{a_id}/reports", {"text": "x"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "progress"
    r = agency.post(
        f"/api/v1/assignments/{a_id}/reports",
        {"progress": "50", "text": "见附件", "attachments": SimpleUploadedFile("r.pdf", b"%PDF")},
    )
    assert r.status_code == 200, r.json()
    assert r.json()["progress"] == 50
    r = sup.post(f"/api/v1/assignments/{a_id}/accept", {}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "status"
    r = agency.post(
        f"/api/v1/assignments/{a_id}/reports",
        {"progress": 100, "text": "完成", "submit": True},
        content_type="application/json",
    )
    assert r.json()["status"] == "submitted"
    r = sup.post(f"/api/v1/assignments/{a_id}/return", {"reason": " "}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = sup.post(f"/api/v1/assignments/{a_id}/accept", content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["light"] == "closed"
    item_id = r.json()["item_id"]

    r = sup.get(f"/api/v1/tasks/{task_id}")
    assert r.json()["status"] == "done" and r.json()["accepted_count"] == 1
    board = sup.get("/api/v1/tasks/board?status=done").json()
    assert [u["name"] for u in board["units"]] == [MARKET]
    assert board["rows"][0]["cells"][0]["status"] == "accepted"
    tasks = sup.get("/api/v1/tasks?q=普法").json()
    assert tasks["total"] == 1 and tasks["items"][0]["id"] == task_id

    item = sup.get(f"/api/v1/items/{item_id}").json()
    actions = [e["action"] for e in item["timeline"]]
    assert actions == ["created", "progress", "submitted", "closed"]
    (att,) = item["timeline"][1]["attachments"]
    assert att["name"] == "r.pdf" and len(att["sm3"]) == 64


def test_assign_to_unknown_unit(task, api_client):
    r = api_client("supervisor").post(
        f"/api/v1/tasks/{task.pk}/assignments",
        {"unit_id": 999999, "deadline": "2099-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "unit_id"


def test_session_api_write_requires_csrf(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["supervisor"])
    r = client.post("/api/v1/tasks", {"title": "x"}, content_type="application/json")
    assert r.status_code in (401, 403)
