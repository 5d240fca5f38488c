"""The confirmed registry import runs as core's import job (我的任务): all-or-nothing as on the page, the rows
imported or every error on the job page, the error list downloadable from the job, the job its starter's alone."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import Job
from fazhi.registry.demo import id_number
from fazhi.registry.models import Officer
from fazhi.registry.tests.helpers import MARKET, agency
from fazhi.registry.tests.test_imports import OFFICER_HEADERS, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    agency()


def _upload(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("人员.xlsx", xlsx(OFFICER_HEADERS, rows).getvalue())


def _token(client, rows) -> str:
    return client.post(reverse("registry:registry_import", args=["officers"]), {"file": _upload(rows)}).context["token"]


def _confirm(client, token):
    return client.post(reverse("registry:registry_import_confirm", args=["officers"]), {"token": token})


def test_a_good_file_is_imported_by_a_job_whose_page_shows_the_count(login_as):
    c = login_as("agency")
    token = _token(c, [["李四", id_number(71), MARKET], ["王五", id_number(72), MARKET]])
    assert not Officer.objects.exists()  # the preview wrote nothing
    r = _confirm(c, token)
    job = Job.objects.get(kind="import")
    assert r.status_code == 302 and r["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.params["key"] == "registry:officers" and not job.params["check_only"]
    assert job.status == Job.DONE and job.message == "已导入执法人员 2 行"
    assert set(Officer.objects.values_list("name", flat=True)) == {"李四", "王五"}
    page = c.get(r["Location"]).content.decode()
    assert "已完成" in page and "已导入执法人员 2 行" in page and reverse("registry:officer_list") in page
    # The upload is gone once imported: a second confirm of it is refused on the import page.
    assert "导入文件已失效" in _confirm(c, token).content.decode()


def test_a_bad_row_imports_nothing_and_the_job_keeps_the_errors(login_as, users):
    c = login_as("agency")
    # The preview's own page shows the error and offers no confirmation; the job checks the file again anyway.
    token = _token(c, [["李四", id_number(73), MARKET], ["王五", "110101199003070039", MARKET]])
    r = _confirm(c, token)
    job = Job.objects.get(kind="import")
    assert job.status == Job.FAILED and job.error == "校验未通过，未导入任何数据"
    assert not Officer.objects.exists()
    assert any("第 3 行“身份证号”" in m for m in job.result["messages"])
    page = c.get(r["Location"]).content.decode()
    assert "第 3 行“身份证号”" in page and "下载执法人员导入错误清单.xlsx" in page
    assert reverse("registry:registry_import", args=["officers"]) in page  # 重新上传
    download = c.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][:2] == (3, "身份证号")
    # Another user (even one who may import) never sees the job nor its file.
    other = login_as("supervisor")
    assert other.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_a_user_without_the_importers_permission_cannot_start_the_job(login_as):
    token = _token(login_as("agency"), [["李四", id_number(74), MARKET]])
    officer = login_as("officer")
    assert _confirm(officer, token).status_code == 403
    assert not Job.objects.exists() and not Officer.objects.exists()
