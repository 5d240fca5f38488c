"""「立即全面校验」: the bulk statutory check started by a supervisor as a job (page and API), its progress, and a
summary equal to what `cases_check_all` itself reports."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.cases import services
from fazhi.cases.bulk_checks import JOB_KIND, cases_check_all, cases_check_all_start, check_summary
from fazhi.cases.models import CaseCheck, CaseHandler
from fazhi.cases.tests import case_factories as cf
from fazhi.core import jobs
from fazhi.core.errors import Forbidden
from fazhi.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale(org, users):
    """Three cases whose stored results are out of date: one never checked, one that lost a handler (a warning to
    open), one whose missing handler was added (a warning to close)."""
    m = cf.market(org, users)
    today = timezone.localdate()
    dates = {"filed_on": today - dt.timedelta(days=3), "violation_ended_on": today - dt.timedelta(days=10)}
    kw = cf.case_kwargs(m, **dates)
    never = services.case_file(by=users["agency"], **kw)
    lost = services.case_file(by=users["agency"], **kw)
    fixed = services.case_file(by=users["agency"], **{**kw, "handlers": [m["o1"].pk]})
    CaseCheck.objects.filter(pk=never.pk).delete()
    CaseHandler.objects.filter(case=lost, officer=m["o2"]).delete()
    CaseHandler.objects.create(case=fixed, officer=m["o2"])
    return {"never": never, "lost": lost, "fixed": fixed}


def _expected() -> dict:
    """What a run of `cases_check_all` reports now (rolled back, so the job then finds the same work)."""
    with transaction.atomic():
        summary = check_summary(cases_check_all(as_of=timezone.localdate()))
        transaction.set_rollback(True)
    return summary


def test_agency_user_may_not_start_it(users, login_as, api_client):
    assert login_as("agency").post(reverse("cases:check_all")).status_code == 403
    assert api_client("agency").post("/api/v1/cases/check-all").status_code == 403
    with pytest.raises(Forbidden):
        cases_check_all_start(by=users["agency"])
    assert not Job.objects.filter(kind=JOB_KIND).exists()
    page = login_as("agency").get(reverse("cases:warning_list"))
    assert page.status_code == 403


def test_button_on_the_warnings_page(login_as):
    page = login_as("supervisor").get(reverse("cases:warning_list")).content.decode()
    assert "立即全面校验" in page and reverse("cases:check_all") in page and "data-confirm" in page


def test_page_starts_the_job_and_its_summary_matches_the_check(
    stale, users, login_as, monkeypatch, django_capture_on_commit_callbacks
):
    expected = _expected()
    assert expected["changed"] == 3 and expected["warnings_opened"] == 1 and expected["warnings_closed"] == 1
    assert expected["cases"] == 3 and expected["with_errors"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        r = login_as("supervisor").post(reverse("cases:check_all"))
    job = Job.objects.get(kind=JOB_KIND)
    assert r.status_code == 302 and r.headers["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == Job.QUEUED and job.task_id and job.created_by == users["supervisor"]

    seen = []
    real = jobs.job_progress

    def recording(job, done, total=None, message=""):
        seen.append((done, total, message))
        return real(job, done, total, message)

    monkeypatch.setattr(jobs, "job_progress", recording)
    assert jobs.job_run(job.pk) == Job.DONE

    job.refresh_from_db()
    assert {k: v for k, v in job.result.items() if k in expected} == expected
    assert job.result["url"] == reverse("cases:warning_list")
    assert "已检查 3 件案件，1 件存在问题" in job.message
    assert [m for _, _, m in seen] == [
        "正在准备工作日历和执法证有效期",
        "正在对全部案件逐条计算 10 项法定规则并写入结果",
        "正在开立和办结风险预警",
        "已完成",
    ]
    assert [(d, t) for d, t, _ in seen] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert (job.done, job.total) == (3, 3) and job.percent == 100
    # The check did the work: the three cases now carry their current results and warnings.
    assert CaseCheck.objects.get(pk=stale["lost"].pk).rules == ["handlers_min_two"]
    assert CaseCheck.objects.get(pk=stale["fixed"].pk).rules == []
    assert CaseCheck.objects.filter(pk=stale["never"].pk).exists()
    stale["lost"].refresh_from_db()
    assert stale["lost"].warning_item.status == "open"


def test_api_starts_the_job(stale, users, api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = api_client("supervisor").post("/api/v1/cases/check-all")
    assert r.status_code == 202, r.content
    body = r.json()
    job = Job.objects.get(pk=body["job_id"])
    assert job.kind == JOB_KIND and job.created_by == users["supervisor"] and body["status"] == "queued"
    assert body["url"] == reverse("core:job_detail", args=[job.pk]) and body["api_url"] == f"/api/v1/jobs/{job.pk}"
    jobs.job_run(job.pk)
    got = api_client("supervisor").get(body["api_url"]).json()
    assert got["status"] == "done" and got["result"]["changed"] == 3


def test_a_supervisor_of_one_unit_may_not_check_every_units_cases(users):
    """The run reads and summarises every unit's cases: case.supervise with a narrower scope is not enough."""
    from fazhi.cases.permissions import case_supervision_actions
    from fazhi.core.models import Role

    officer = users["officer"]
    officer.roles.set([Role.objects.create(code="unit_supervisor", name="本单位监督", data_scope="subtree",
                                           permissions=["case.view", "case.supervise"])])  # fmt: skip
    officer._fazhi_roles = None
    assert case_supervision_actions(user=officer) == set()
    assert case_supervision_actions(user=users["supervisor"]) == {"bulk_check"}
    with pytest.raises(Forbidden):
        cases_check_all_start(by=officer)
