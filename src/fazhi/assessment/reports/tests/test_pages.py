"""Pages and API of 通报与年度报告: list with search, paging and export; the report page with figures linked to the
records behind them; edit, submit, approve, publish; publication before approval refused in Chinese; the portal."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from fazhi.assessment.reports import rules, services
from fazhi.assessment.reports.models import AssessmentReport

pytestmark = pytest.mark.django_db
MARKET, JUSTICE = "示例市市场监督管理局", "示例市司法局"


def _annual(org, year=2025):
    return services.annual_generate(by=None, unit=org[MARKET], year=year, today=dt.date(year + 1, 1, 10))


def test_list_export_and_detail_with_trace_links(org, login_as):
    r = _annual(org)
    for y in range(2004, 2025):
        AssessmentReport.objects.create(
            kind=rules.ANNUAL,
            unit=org[MARKET],
            year=y,
            title=f"{y}年报告",
            period_start=dt.date(y, 1, 1),
            period_end=dt.date(y, 12, 31),
        )
    sup = login_as("supervisor")
    page = sup.get("/assessment/reports/").content.decode()
    assert "第 1 / 2 页" in page and 'id="bulletin-form"' in page
    assert sup.get("/assessment/reports/", {"q": "2025年法治"}).content.decode().count('class="report-row"') == 1
    x = sup.get("/assessment/reports/", {"year": 2025, "format": "xlsx"})
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(x.content)).active.iter_rows()]
    assert rows[0][0] == "标题" and rows[1][2] == MARKET
    detail = sup.get(f"/assessment/reports/{r.pk}/").content.decode()
    assert 'class="figure-link"' in detail and 'id="monthly-table"' in detail
    fig = r.figures.filter(unit__isnull=True, month__isnull=True).first()
    trace = sup.get(f"/assessment/reports/{r.pk}/figures/{fig.pk}/")
    assert trace.status_code == 200 and 'id="figure-records"' in trace.content.decode()
    assert login_as("agency2").get(f"/assessment/reports/{r.pk}/").status_code == 404


def test_publish_before_approval_is_refused_then_flow(org, login_as):
    r = _annual(org)
    sup, agency = login_as("supervisor"), login_as("agency")
    resp = sup.post(f"/assessment/reports/{r.pk}/publish/", follow=True)
    assert "尚未审核批准" in resp.content.decode()
    r.refresh_from_db()
    assert r.status == rules.DRAFT
    resp = agency.post(
        f"/assessment/reports/{r.pk}/sections/",
        {"section": "other", "other-key": "other", "other-text": "无其他情况。"},
    )
    assert resp.status_code == 302 and r.sections.get(key="other").edited
    agency.post(f"/assessment/reports/{r.pk}/submit/")
    sup.post(f"/assessment/reports/{r.pk}/approve/", {"comment": "同意"})
    sup.post(f"/assessment/reports/{r.pk}/publish/")
    r.refresh_from_db()
    assert r.status == rules.PUBLISHED
    assert login_as("agency").get(f"/assessment/reports/{r.pk}/document/").status_code == 200
    from django.test import Client

    public = Client()
    assert r.title in public.get("/portal/annual-reports/").content.decode()
    assert "无其他情况。" in public.get(f"/portal/annual-reports/{r.pk}/").content.decode()


def test_draft_is_not_on_the_portal(org):
    from django.test import Client

    r = _annual(org)
    assert Client().get(f"/portal/annual-reports/{r.pk}/").status_code == 404


def test_api_publish_refused_and_records(org, api_client):
    r = _annual(org)
    sup = api_client("supervisor")
    resp = sup.post(f"/api/v1/assessment/reports/{r.pk}/publish", {}, content_type="application/json")
    assert resp.status_code == 422 and resp.json()["field"] == "status"
    fig = r.figures.filter(unit__isnull=True, month__isnull=True, metric="oversight").first()
    assert sup.get(f"/api/v1/assessment/reports/{r.pk}/figures/{fig.pk}/records").status_code == 200
    out = sup.get(f"/api/v1/assessment/reports/{r.pk}").json()
    assert [s["key"] for s in out["sections"]] == [k for k, _ in rules.ANNUAL_PARTS] and out["deadline"] == "2026-03-01"
    resp = sup.post(
        "/api/v1/assessment/reports/bulletins", {"year": 2099, "quarter": 1}, content_type="application/json"
    )
    assert resp.status_code == 422 and resp.json()["field"] == "quarter"
    assert api_client("agency2").get(f"/api/v1/assessment/reports/{r.pk}").status_code == 404


def test_drafting_from_the_page_is_a_job_the_user_can_leave_and_come_back_to(org, login_as, users):
    """The page checks, queues a job and shows its page; the worker drafts the report; the job page links to it.
    A refusal comes back beside its field and queues nothing."""
    from fazhi.core.jobs import job_run
    from fazhi.core.models import Job

    sup = login_as("supervisor")
    today = dt.date.today()
    refused = sup.post("/assessment/reports/bulletins/new/", {"b-year": today.year + 1, "b-quarter": 1})
    assert refused.status_code == 422 and Job.objects.count() == 0
    year = today.year - 1
    r = sup.post("/assessment/reports/bulletins/new/", {"b-year": year, "b-quarter": 4})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.QUEUED and job.params["action"] == "bulletin"
    assert "排队中" in sup.get(f"/jobs/{job.pk}/").content.decode()
    assert job_run(job.pk) == Job.DONE
    report = AssessmentReport.objects.get(kind=rules.BULLETIN, year=year, quarter=4)
    page = sup.get(f"/jobs/{job.pk}/").content.decode()
    assert 'id="job-result-link"' in page and f"/assessment/reports/{report.pk}/" in page
    # Regenerating the draft is a job too; once published it is refused on the report's page.
    r = sup.post(f"/assessment/reports/{report.pk}/regenerate/")
    assert r.status_code == 302 and job_run(Job.objects.latest("id").pk) == Job.DONE
    services.report_publish(by=users["supervisor"], report=report)
    r = sup.post(f"/assessment/reports/{report.pk}/regenerate/")
    assert r["Location"] == f"/assessment/reports/{report.pk}/" and Job.objects.count() == 2
