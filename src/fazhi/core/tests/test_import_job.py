"""Core's import pages run the confirmed import, and the dry run of a large upload, as core's import job
(我的任务): a small file at once, a large one by the worker, with progress; the job its starter's alone."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core import imports
from fazhi.core.models import Job, User
from fazhi.core.tests.test_imports import USER_HEADERS, xlsx
from fazhi.core.tests.test_jobs import run_queued

pytestmark = pytest.mark.django_db

ROWS = [
    ["zhangsan", "张三", "示例市市场监督管理局", "部门法制员", "", "", "Chushi@2026"],
    ["lisi", "李四", "示例市市场监督管理局", "", "", "", "Chushi@2026"],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("用户.xlsx", xlsx(USER_HEADERS, rows).getvalue())


def test_the_user_import_runs_as_a_job(login_as):
    c = login_as("admin")
    token = c.post(reverse("core:import", args=["users"]), {"file": _upload(ROWS)}).context["token"]
    r = c.post(reverse("core:import_confirm", args=["users"]), {"token": token})
    job = Job.objects.get(kind="import")
    assert r["Location"] == reverse("core:job_detail", args=[job.pk]) and job.label == "导入用户"
    assert job.status == Job.DONE and job.message == "已导入用户 2 条"
    assert User.objects.get(username="zhangsan").must_change_password
    assert login_as("secadmin").get(r["Location"]).status_code == 404  # nobody else's job, whatever their roles


def test_a_large_upload_is_checked_then_imported_by_the_worker_with_progress(
    login_as, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_BYTES", 0)
    monkeypatch.setattr(imports, "PROGRESS_ROWS", 1)
    c = login_as("admin")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("core:import", args=["users"]), {"file": _upload(ROWS)})
    check = Job.objects.get(kind="import")
    assert r["Location"] == reverse("core:job_detail", args=[check.pk]) and check.status == Job.QUEUED
    assert check.params["check_only"] and check.label == "校验用户导入文件"
    assert [t.status for t in run_queued()] == ["SUCCESSFUL"]
    check.refresh_from_db()
    assert check.status == Job.DONE and check.message == "共 2 行，全部校验通过"
    assert (check.done, check.total) == (2, 2)  # kept, though the dry run's transaction rolled back
    assert not User.objects.filter(username="zhangsan").exists()
    page = c.get(r["Location"]).content.decode()
    form = re.search(r'<form[^>]*id="job-next".*?</form>', page, re.S).group(0)
    assert reverse("core:import_confirm", args=["users"]) in form
    token = re.search(r'name="token" value="([0-9a-f]{32})"', form).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("core:import_confirm", args=["users"]), {"token": token})
    assert not User.objects.filter(username="zhangsan").exists()  # waits for the worker
    run_queued()
    job = Job.objects.exclude(pk=check.pk).get()
    assert job.status == Job.DONE and (job.done, job.total) == (2, 2)
    assert User.objects.filter(username__in=["zhangsan", "lisi"]).count() == 2


def test_an_unknown_importer_fails_the_job_with_a_message(users):
    from fazhi.core.jobs import job_run, job_start

    job = job_start("import", by=users["admin"], params={"key": "nothing", "token": "0" * 32})
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.FAILED and job.error == "没有这种导入"


def test_upload_store_takes_other_extensions_only_when_asked(users):
    from fazhi.core.errors import DomainError

    csv_file = SimpleUploadedFile("工单.csv", "工单编号,受理时间\n".encode())
    with pytest.raises(DomainError, match=r"\.xlsx 文件"):
        imports.upload_store(user=users["admin"], uploaded=csv_file)
    token = imports.upload_store(user=users["admin"], uploaded=csv_file, extensions=(".xlsx", ".csv"))
    with imports.upload_open(user=users["admin"], token=token) as fh:
        assert fh.read().startswith("工单编号".encode())
    zipped = SimpleUploadedFile("工单.csv", xlsx(USER_HEADERS, ROWS).getvalue())
    with pytest.raises(DomainError, match="不是 CSV"):  # a workbook renamed: the kept file is told apart by content
        imports.upload_store(user=users["admin"], uploaded=zipped, extensions=(".xlsx", ".csv"))
    big = SimpleUploadedFile("工单.csv", b"x" * (2 * 1024 * 1024))
    with pytest.raises(DomainError, match="不能超过 1 MB"):
        imports.upload_store(user=users["admin"], uploaded=big, extensions=(".csv",), max_bytes=1024 * 1024)
