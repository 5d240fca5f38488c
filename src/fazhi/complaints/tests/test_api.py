import pytest
from django.test import Client
from django.utils import timezone

from fazhi.complaints.models import Complaint
from fazhi.complaints.tests import factories as f

pytestmark = pytest.mark.django_db

PUBLIC = {
    "category": "执法不文明不规范",
    "description": f.TEXT,
    "name": "王小明",
    "phone": "13911112222",
    "consent": True,
    "agency": "示例市市场监督管理局",
}


def test_public_submit_and_status():
    c = Client()
    r = c.post("/api/v1/public/complaints", PUBLIC, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == {"tracking_code", "query_password"}
    r = c.get(
        f"/api/v1/public/complaints/{body['tracking_code']}", headers={"X-Query-Password": body["query_password"]}
    )
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "received" and data["reply"] is None
    assert "description" not in data and "complainant_name" not in data
    complaint = Complaint.objects.get(tracking_code=body["tracking_code"])
    assert complaint.channel == "api" and complaint.agency_named.name == "示例市市场监督管理局"


def test_public_idempotency_key():
    c = Client()
    payload = {**PUBLIC, "idempotency_key": "k-1"}
    a = c.post("/api/v1/public/complaints", payload, content_type="application/json").json()
    b = c.post("/api/v1/public/complaints", payload, content_type="application/json").json()
    assert a == b and Complaint.objects.filter(submit_token="api:k-1").count() == 1


def test_public_bad_input_422():
    c = Client()
    r = c.post("/api/v1/public/complaints", {**PUBLIC, "description": ""}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "description"
    r = c.post("/api/v1/public/complaints", {**PUBLIC, "agency": "不存在的局"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "agency"


def test_wrong_password_gives_no_hint():
    complaint, _ = f.submit()
    c = Client()
    a = c.get(f"/api/v1/public/complaints/{complaint.tracking_code}?password=AAAAAAAAAA")
    b = c.get("/api/v1/public/complaints/TS000000ZZZZZZ?password=AAAAAAAAAA")
    assert a.status_code == b.status_code == 404 and a.json() == b.json()


def test_public_rate_limit_429():
    c = Client()
    for _i in range(5):
        assert (
            c.post(
                "/api/v1/public/complaints", {**PUBLIC, "phone": f.next_phone()}, content_type="application/json"
            ).status_code
            == 201
        )
    r = c.post("/api/v1/public/complaints", {**PUBLIC, "phone": f.next_phone()}, content_type="application/json")
    assert r.status_code == 429


def test_public_rating(users):
    complaint, password = f.answered(users)
    c = Client()
    r = c.post(
        f"/api/v1/public/complaints/{complaint.tracking_code}/rating",
        {"password": password, "satisfaction": "basic"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "closed"


HOTLINE = {
    "work_order_no": "HL-API-1",
    "received_at": "2025-03-05T09:30:00+08:00",
    "content": "执法人员在检查中辱骂商户，并且没有出示执法证件。",
    "caller_name": "李女士",
    "caller_phone": "13800001111",
    "handling_unit": "示例市市场监督管理局",
}


def test_hotline_push_idempotent_and_status(api_client, users):
    c = api_client("supervisor")
    r1 = c.post("/api/v1/complaints/hotline", HOTLINE, content_type="application/json")
    r2 = c.post("/api/v1/complaints/hotline", HOTLINE, content_type="application/json")
    assert r1.status_code == 201 and r2.status_code == 200
    assert r1.json()["tracking_code"] == r2.json()["tracking_code"] and r2.json()["created"] is False
    assert Complaint.objects.filter(work_order_no="HL-API-1").count() == 1
    complaint = Complaint.objects.get(work_order_no="HL-API-1")
    assert timezone.localtime(complaint.received_at).hour == 9
    r = c.get("/api/v1/complaints/hotline/HL-API-1")
    assert r.status_code == 200 and r.json()["status"] == "received"
    assert c.get("/api/v1/complaints/hotline/NOPE").status_code == 404


def test_hotline_needs_token_and_permission(api_client):
    assert Client().post("/api/v1/complaints/hotline", HOTLINE, content_type="application/json").status_code == 401
    r = api_client("agency").post("/api/v1/complaints/hotline", HOTLINE, content_type="application/json")
    assert r.status_code == 403


def test_hotline_bad_unit_422(api_client):
    r = api_client("supervisor").post(
        "/api/v1/complaints/hotline", {**HOTLINE, "handling_unit": "某某局"}, content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["field"] == "handling_unit"


def test_agency2_gets_404_via_api(api_client, users):
    complaint, _ = f.assigned(users)
    assert api_client("agency").get(f"/api/v1/complaints/{complaint.pk}").status_code == 200
    assert api_client("agency2").get(f"/api/v1/complaints/{complaint.pk}").status_code == 404
    data = api_client("agency").get(f"/api/v1/complaints/{complaint.pk}").json()
    assert data["complainant_name"] == "王某" and "*" in data["complainant_phone"]


def test_handling_via_api(api_client, users):
    complaint, _ = f.submit()
    sup, ag = api_client("supervisor"), api_client("agency")
    r = sup.post(
        f"/api/v1/complaints/{complaint.pk}/assign", {"agency": "示例市市场监督管理局"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "assigned" and r.json()["deadline"]
    r = ag.post(
        f"/api/v1/complaints/{complaint.pk}/reply",
        {"findings": "经核查情况属实。", "measures": "已整改"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "replied"
    assert ag.post(f"/api/v1/complaints/{complaint.pk}/approve", {}, content_type="application/json").status_code == 403
    r = sup.post(f"/api/v1/complaints/{complaint.pk}/approve", {}, content_type="application/json")
    assert r.json()["status"] == "answered"


def test_suggest_endpoint(api_client, settings, tmp_path):
    from fazhi.complaints import routing
    from fazhi.registry.demo import build_agencies, build_power_items

    settings.VAR_DIR = tmp_path
    routing.reset_cache()
    build_power_items(build_agencies())
    r = api_client("supervisor").post(
        "/api/v1/complaints/suggest", {"text": "饭店销售过期食品"}, content_type="application/json"
    )
    assert r.status_code == 200
    s = r.json()["suggestions"]
    assert 1 <= len(s) <= 3 and s[0]["agency"] == "示例市市场监督管理局" and 0 <= s[0]["score"] <= 1
    assert s[0]["reasons"] and s[0]["category"]
    bad = api_client("supervisor").post("/api/v1/complaints/suggest", {"text": " "}, content_type="application/json")
    assert bad.status_code == 422
    routing.reset_cache()


def test_stats_api(api_client, users):
    f.answered(users)
    r = api_client("leader").get("/api/v1/complaints/stats?dimension=category")
    assert r.status_code == 200 and any(row["label"] == "执法不文明不规范" for row in r.json())
    assert api_client("leader").get("/api/v1/complaints/stats?date_from=bad").status_code == 422


def test_hotline_rating_callback(api_client, users):
    from fazhi.complaints import services

    c = api_client("supervisor")
    c.post("/api/v1/complaints/hotline", {**HOTLINE, "work_order_no": "HL-R-1"}, content_type="application/json")
    complaint = Complaint.objects.get(work_order_no="HL-R-1")
    early = c.post(
        "/api/v1/complaints/hotline/HL-R-1/rating", {"satisfaction": "satisfied"}, content_type="application/json"
    )
    assert early.status_code == 422  # not answered yet
    services.complaint_assign(by=users["supervisor"], complaint=complaint, agency=f.agency())
    services.complaint_reply(
        by=users["agency"], complaint=complaint, findings="经核查属实，已处理。", measures="批评教育"
    )
    services.complaint_approve(by=users["supervisor"], complaint=complaint)
    r = c.get("/api/v1/complaints/hotline/HL-R-1")
    assert r.json()["status"] == "answered" and r.json()["reply"]["measures"] == "批评教育"
    r = c.post(
        "/api/v1/complaints/hotline/HL-R-1/rating", {"satisfaction": "dissatisfied"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "reopened"


def _long_order(n: int = 3700) -> str:
    """A citizen's long account: the facts that decide the route come at the very end."""
    story = "我是附近的居民，这件事已经持续很长时间，多次反映都没有得到处理，下面把经过详细说明一下。"
    text = (story * (n // len(story) + 1))[: n - 40]
    return text + "最后：超市销售过期变质食品，市场监管部门不予查处。"


def test_hotline_order_over_2000_characters_is_stored_whole_and_routed_on_it(api_client, settings, tmp_path):
    from fazhi.complaints import routing
    from fazhi.registry.demo import build_agencies, build_power_items

    build_power_items(build_agencies())
    settings.VAR_DIR = tmp_path
    routing.reset_cache()
    content = _long_order()
    assert len(content) > 3600
    r = api_client("supervisor").post(
        "/api/v1/complaints/hotline",
        {**HOTLINE, "work_order_no": "HL-LONG-1", "content": content, "handling_unit": ""},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    complaint = Complaint.objects.get(work_order_no="HL-LONG-1")
    assert complaint.description == content
    out = routing.suggest(complaint.description)
    routing.reset_cache()
    assert out and out[0].agency == "示例市市场监督管理局"  # decided by the last sentence, past character 3,600


def test_public_api_keeps_its_limit(api_client):
    r = Client().post(
        "/api/v1/public/complaints", {**PUBLIC, "description": "很长" * 1001}, content_type="application/json"
    )
    assert r.status_code == 422 and "2000" in r.content.decode("unicode_escape")
