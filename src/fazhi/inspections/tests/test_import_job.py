"""The confirmed enterprise import runs as a job (我的任务): all-or-nothing as before, with progress, its
errors and error list on the job page; a small file at once, a large one by the worker."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from fazhi.core.models import Division, Job
from fazhi.core.tests.test_jobs import run_queued
from fazhi.inspections import imports
from fazhi.inspections.imports import IMPORTER
from fazhi.inspections.models import Enterprise
from fazhi.inspections.tests import factories as fx

pytestmark = pytest.mark.django_db


def _upload(rows) -> SimpleUploadedFile:
    book = Workbook()
    ws = book.active
    ws.append([c.header for c in IMPORTER.columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return SimpleUploadedFile("企业.xlsx", buf.getvalue())


def _preview(client, rows) -> str:
    page = client.post("/inspections/enterprises/import/", {"file": _upload(rows)}).content.decode()
    assert "全部校验通过" in page
    return re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)


def _rows(n, start):
    return [[fx.make_uscc(start + i), f"任务导入企业{start + i}", "", "", "439902"] for i in range(n)]


def test_a_small_file_is_imported_at_once_and_the_job_page_shows_it(login_as):
    c = login_as("agency")
    token = _preview(c, _rows(10, 9100))
    r = c.post("/inspections/enterprises/import/confirm/", {"token": token})
    job = Job.objects.get(kind="enterprise_import")
    assert r.status_code == 302 and r.headers["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.DONE and job.created_by.username == "agency"
    assert Enterprise.objects.filter(name__startswith="任务导入企业").count() == 10
    page = c.get(r.headers["Location"]).content.decode()
    assert "已导入市场主体 10 户" in page and "/inspections/enterprises/" in page


def test_a_large_file_waits_for_the_worker_which_imports_it_with_progress(
    login_as, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "PROGRESS_ROWS", 2)
    monkeypatch.setattr("fazhi.core.jobs.PROGRESS_SECONDS", 0)
    steps = []
    real_progress = imports.job_progress
    monkeypatch.setattr(imports, "job_progress", lambda job, *a: steps.append(a) or real_progress(job, *a))
    c = login_as("agency")
    token = _preview(c, _rows(5, 9200))
    monkeypatch.setattr(imports, "INLINE_BYTES", 0)  # after the preview on the page: the import is "large"
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/inspections/enterprises/import/confirm/", {"token": token})
    job = Job.objects.get(kind="enterprise_import")
    assert job.status == Job.QUEUED and not Enterprise.objects.filter(name__startswith="任务导入企业").exists()
    assert "every 2s" in c.get(r.headers["Location"]).content.decode()

    assert [t.status for t in run_queued()] == ["SUCCESSFUL"]

    job.refresh_from_db()
    assert job.status == Job.DONE and (job.done, job.total) == (5, 5)
    assert Enterprise.objects.filter(name__startswith="任务导入企业").count() == 5
    assert (2, 5, "正在校验：2 / 5 行") in steps and (4, 5, "正在校验：4 / 5 行") in steps
    assert steps[-1] == (5, 5, "已校验 5 行，正在写入")
    assert "every 2s" not in c.get(r.headers["Location"]).content.decode()


def test_one_bad_row_imports_nothing_and_the_job_keeps_the_error_list(login_as):
    c = login_as("agency")
    rows = _rows(3, 9300)
    token = _preview(c, rows)
    # Between the preview and the job, another user registers the third code: the job's own check finds it.
    Enterprise.objects.create(uscc=rows[2][0], name="先到企业", division=Division.objects.get(code="439902"))
    r = c.post("/inspections/enterprises/import/confirm/", {"token": token})
    job = Job.objects.get(kind="enterprise_import")
    assert job.status == Job.FAILED and job.error == "校验未通过，未导入任何数据"
    assert not Enterprise.objects.filter(name__startswith="任务导入企业").exists()
    page = c.get(r.headers["Location"]).content.decode()
    assert "第 4 行" in page and "已登记" in page and "下载市场主体导入错误清单.xlsx" in page
    download = c.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert any("已登记" in str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    assert login_as("supervisor").get(f"/jobs/{job.pk}/download/").status_code == 404


def test_an_expired_upload_is_refused_on_the_import_page(login_as):
    c = login_as("agency")
    page = c.post("/inspections/enterprises/import/confirm/", {"token": "0" * 32}).content.decode()
    assert "导入文件已失效" in page and not Job.objects.exists()


def test_a_large_upload_is_checked_by_a_job_whose_page_offers_the_confirmation(
    login_as, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_BYTES", 0)
    c = login_as("agency")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/inspections/enterprises/import/", {"file": _upload(_rows(4, 9400))})
    check = Job.objects.get(kind="enterprise_import_check")
    assert r.status_code == 302 and r.headers["Location"] == f"/jobs/{check.pk}/"
    run_queued()
    check.refresh_from_db()
    assert check.status == Job.DONE and check.message == "共 4 行，全部校验通过"
    assert not Enterprise.objects.filter(name__startswith="任务导入企业").exists()  # a dry run
    page = c.get(f"/jobs/{check.pk}/").content.decode()
    token = re.search(r'id="job-next".*?name="token" value="([0-9a-f]{32})"', page, re.S).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/inspections/enterprises/import/confirm/", {"token": token})
    run_queued()
    assert Job.objects.get(kind="enterprise_import").status == Job.DONE
    assert Enterprise.objects.filter(name__startswith="任务导入企业").count() == 4
