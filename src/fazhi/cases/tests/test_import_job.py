"""The confirmed case import (core's import pages) runs as core's import job (我的任务): all-or-nothing, the
count or every error on the job page, the error list downloadable, the case importer's permission asked when
the job starts and again when it runs."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.cases.models import Case
from fazhi.cases.tests import case_factories as cf
from fazhi.cases.tests.test_pages import _xlsx
from fazhi.core.jobs import job_run, job_start
from fazhi.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(org, users):
    return cf.market(org, users)


@pytest.fixture
def good(m):
    cert1, cert2 = m["o1"].certificates.get().number, m["o2"].certificates.get().number
    return {
        "agency": cf.MARKET,
        "power_item": m["item"].code,
        "title": "销售过期食品",
        "party_kind": "法人或其他组织",
        "party_name": "某公司",
        "party_uscc": cf.ORG_USCC,
        "handlers": f"{cert1}、{cert2}",
        "filed_on": "2025-03-03",
        "decision_number": "旧〔2025〕1号",
        "decided_on": "2025-04-02",
        "penalty_kinds": "警告",
        "served_on": "2025-04-03",
        "closed_on": "2025-04-10",
    }


def _token(client, rows) -> str:
    return client.post(reverse("core:import", args=["cases"]), {"file": _xlsx(rows)}).context["token"]


def _confirm(client, token):
    return client.post(reverse("core:import_confirm", args=["cases"]), {"token": token})


def test_a_good_file_is_imported_by_a_job_whose_page_shows_the_count(good, login_as):
    c = login_as("agency")
    second = {**good, "decision_number": "旧〔2025〕2号", "title": "销售变质食品"}
    r = _confirm(c, _token(c, [good, second]))
    job = Job.objects.get(kind="import")
    assert r.status_code == 302 and r["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == Job.DONE and job.message == "已导入行政处罚案件 2 条" and job.result["created"] == 2
    assert Case.objects.count() == 2 and Case.objects.filter(stage="closed").count() == 2
    page = c.get(r["Location"]).content.decode()
    assert "已完成" in page and "已导入行政处罚案件 2 条" in page and reverse("cases:case_list") in page


def test_a_bad_row_imports_nothing_and_the_job_keeps_the_errors(good, login_as):
    c = login_as("agency")
    bad = {**good, "party_uscc": "123", "decision_number": "旧〔2025〕2号"}
    r = _confirm(c, _token(c, [good, bad]))  # a confirm the preview would not offer: the job checks again
    job = Job.objects.get(kind="import")
    assert job.status == Job.FAILED and job.error == "校验未通过，未导入任何数据"
    assert not Case.objects.exists()
    page = c.get(r["Location"]).content.decode()
    assert "第 3 行“统一社会信用代码”" in page
    assert "下载行政处罚案件导入错误清单.xlsx" in page
    download = c.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "错误") and rows[1][:2] == (3, "统一社会信用代码")
    other = login_as("agency2")
    assert other.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_a_user_without_the_importers_permission_can_neither_start_nor_run_it(good, login_as, users):
    token = _token(login_as("agency"), [good])
    supervisor = login_as("supervisor")  # may see cases, may not handle them
    assert supervisor.get(reverse("core:import", args=["cases"])).status_code == 403
    assert _confirm(supervisor, token).status_code == 403
    assert not Job.objects.exists()
    # A job queued for a user whose permission goes before the worker reaches it imports nothing.
    job = job_start("import", by=users["supervisor"], params={"key": "cases", "token": token})
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.FAILED and job.error == "无权导入行政处罚案件，未导入任何数据"
    assert not Case.objects.exists()
