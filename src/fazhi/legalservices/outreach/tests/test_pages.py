import pytest

pytestmark = pytest.mark.django_db


def test_pages_open_for_the_legal_officer(login_as):
    client = login_as("agency")
    for url in (
        "/legalservices/outreach/",
        "/legalservices/outreach/activities/",
        "/legalservices/outreach/activities/new/",
        "/legalservices/outreach/literates/",
        "/legalservices/outreach/completion/",
        "/legalservices/outreach/completion/?format=xlsx",
        "/legalservices/study/",
        "/legalservices/study/exams/",
        "/legalservices/study/reports/",
        "/legalservices/study/sessions/",
    ):
        assert client.get(url).status_code == 200, url


def test_a_list_is_created_and_a_bad_item_is_shown_beside_its_field(login_as):
    from django.utils import timezone

    client = login_as("agency")
    year = timezone.localdate().year
    r = client.post("/legalservices/outreach/", {"year": year})
    assert r.status_code == 302
    detail = r["Location"]
    r = client.post(detail, {"content": "进社区", "target_groups": "社区居民", "deadline": f"{year - 1}-05-01"})
    assert r.status_code == 422 and f"完成期限应在 {year} 年内" in r.content.decode()
    r = client.post(detail, {"content": "进社区", "target_groups": "社区居民", "deadline": f"{year}-12-31"})
    assert r.status_code == 302


def test_completion_page_charts_and_monthly_export(login_as, api_client):
    import io
    import json
    import re

    from django.utils import timezone
    from openpyxl import load_workbook

    from fazhi.core.models import Unit
    from fazhi.legalservices.outreach import rules, services

    today = timezone.localdate()
    services.activity_save(
        by=None,
        kind=rules.CASE_EXPLAIN,
        title="以案释法进社区",
        held_on=today,
        attendance=40,
        unit=Unit.objects.get(name="示例市市场监督管理局"),
        today=today,
    )
    client = login_as("agency")
    page = client.get(f"/legalservices/outreach/completion/?year={today.year}").content.decode()
    assert 'id="completion-chart"' in page and 'id="month-chart"' in page and "vendor/echarts/echarts.min.js" in page
    data = json.loads(re.search(r'id="outreach-chart-data" type="application/json">(.*?)</script>', page).group(1))
    assert len(data["months"]) == 12 and data["activities"][today.month - 1] == 1
    assert data["attendance"][today.month - 1] == 40 and "示例市市场监督管理局" in data["units"]
    r = client.get(f"/legalservices/outreach/completion/?year={today.year}&format=xlsx&by=month")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]] == ["月份", "活动次数", "参加人次"] and ws.cell(today.month + 1, 2).value == 1
    rows = api_client("agency").get(f"/api/v1/legalservices/outreach/activities-by-month?year={today.year}").json()
    assert rows[today.month - 1] == {"month": today.month, "activities": 1, "attendance": 40}
