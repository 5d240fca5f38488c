import csv
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.complaints.hotline_import import IMPORTER, hotline_import
from fazhi.complaints.models import Complaint
from fazhi.complaints.tests import factories as f
from fazhi.core.imports import template_xlsx
from fazhi.core.models import Job

pytestmark = pytest.mark.django_db

HEADER = ["工单编号", "受理时间", "诉求内容", "来电人", "联系电话", "承办单位", "诉求类别"]
GOOD = [
    [
        "HL1",
        "2025-03-05 09:30",
        "执法人员检查时态度粗暴，辱骂店员。",
        "张先生",
        "13800000001",
        "示例市市场监督管理局",
        "执法不文明不规范",
    ],
    ["HL2", "2025/3/6", "城管执法人员暴力收缴摊贩物品，没有开具清单。", "", "", "示例市城市管理综合执法局", ""],
    ["HL3", "2025年3月7日", "环保部门对企业重复检查，每周都来查。", "李女士", "0731-1234567", "", "执法乱作为"],
]


def _xlsx(rows) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet()
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    book.close()
    return buf.getvalue()


def test_template_has_the_documented_columns():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template_xlsx(IMPORTER)))
    headers = [c.value.rstrip("*") for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert headers == HEADER and "承办单位" in headers


def test_xlsx_import_preview_then_commit_and_repeat(users):
    data = _xlsx([HEADER, *GOOD])
    preview = hotline_import(by=users["supervisor"], name="orders.xlsx", data=data, commit=False)
    assert preview.total == 3 and not preview.errors and not Complaint.objects.exists()
    result = hotline_import(by=users["supervisor"], name="orders.xlsx", data=data, commit=True)
    assert result.committed and result.created == 3
    c = Complaint.objects.get(work_order_no="HL1")
    assert c.agency_named.name == "示例市市场监督管理局" and c.category == "misconduct" and c.channel == "hotline"
    again = hotline_import(by=users["supervisor"], name="orders.xlsx", data=data, commit=True)
    assert again.created == 0 and again.skipped == 3 and Complaint.objects.count() == 3


def test_imported_orders_are_whole_complaints(users):
    """The rows go in by one COPY on PostgreSQL: every field the import does not set has its model default, and
    the complaint works like any other (status, tokens, the agency and the importer recorded)."""
    from django.utils import timezone

    from fazhi.complaints import selectors

    data = _xlsx([HEADER, *GOOD])
    assert hotline_import(by=users["supervisor"], name="orders.xlsx", data=data, commit=True).created == 3
    c = Complaint.objects.get(work_order_no="HL2")
    assert (c.status, c.suggestions, c.routing_confirmed, c.anonymous, c.item_id) == (
        "received",
        [],
        False,
        False,
        None,
    )
    assert c.created_by == users["supervisor"] and c.agency_named.name == "示例市城市管理综合执法局"
    assert c.tracking_code and c.password_hash == "-" and c.category == "other"
    assert timezone.localtime(c.received_at).isoformat() == "2025-03-06T00:00:00+08:00"
    assert "城管" in c.search_tokens.split()
    found = selectors.complaint_list(user=users["supervisor"], filters=selectors.ComplaintFilters(q="城管"))
    assert list(found.values_list("work_order_no", flat=True)) == ["HL2"]


def test_csv_import_gbk(users):
    rows = [HEADER, *GOOD]
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    result = hotline_import(by=users["supervisor"], name="orders.csv", data=buf.getvalue().encode("gbk"), commit=True)
    assert result.created == 3


def test_malformed_rows_reported_by_row_nothing_imported(users):
    rows = [
        HEADER,
        GOOD[0],
        ["", "2025-03-05", "执法人员检查时态度粗暴，辱骂店员。", "", "", "", ""],
        ["HL5", "昨天", "执法人员检查时态度粗暴，辱骂店员。", "", "", "", ""],
        ["HL6", "2025-03-05", "太短", "", "", "", ""],
        ["HL7", "2025-03-05", "执法人员检查时态度粗暴，辱骂店员。", "", "123", "", ""],
        ["HL8", "2025-03-05", "执法人员检查时态度粗暴，辱骂店员。", "", "", "不存在的局", ""],
        ["HL1", "2025-03-05", "执法人员检查时态度粗暴，辱骂店员。", "", "", "", ""],
        ["HL9", "2025-03-05", "执法人员检查时态度粗暴，辱骂店员。", "", "", "", "乱七八糟"],
    ]
    result = hotline_import(by=users["supervisor"], name="bad.xlsx", data=_xlsx(rows), commit=True)
    assert not result.committed and not Complaint.objects.exists()
    msgs = result.messages
    assert any(m.startswith("第 3 行“工单编号”：必填") for m in msgs)
    assert any(m.startswith("第 4 行“受理时间”") for m in msgs)
    assert any(m.startswith("第 5 行“诉求内容”") for m in msgs)
    assert any(m.startswith("第 6 行“联系电话”") for m in msgs)
    assert any(m.startswith("第 7 行“承办单位”") for m in msgs)
    assert any(m.startswith("第 8 行“工单编号”：与第 2 行重复") for m in msgs)
    assert any(m.startswith("第 9 行“诉求类别”") for m in msgs)


def test_file_level_errors(users):
    from fazhi.core.errors import DomainError

    with pytest.raises(DomainError):
        hotline_import(by=users["supervisor"], name="a.xls", data=b"xx", commit=True)
    with pytest.raises(DomainError):
        hotline_import(by=users["supervisor"], name="a.xlsx", data=b"not a zip", commit=True)
    missing = hotline_import(by=users["supervisor"], name="a.xlsx", data=_xlsx([["工单编号", "诉求内容"]]), commit=True)
    assert any("受理时间" in m for m in missing.messages)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(rows, name="o.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _xlsx(rows))


def test_import_page_checks_then_imports_as_a_job(login_as, media):
    c = login_as("supervisor")
    assert c.get("/complaints/hotline/template/").status_code == 200
    r = c.post("/complaints/hotline/import/", {"file": _upload([HEADER, *GOOD])})
    assert "校验通过：共 3 行" in r.content.decode() and not Complaint.objects.exists()  # the dry run, here
    r = c.post(reverse("complaints:hotline_import_confirm"), {"token": r.context["token"]})
    job = Job.objects.get(kind="import")
    assert r["Location"] == reverse("core:job_detail", args=[job.pk]) and job.label == "导入12345热线工单"
    assert job.status == Job.DONE and job.message == "已导入12345热线工单 3 件，跳过已存在的 0 件"
    assert (job.result["created"], job.result["skipped"]) == (3, 0) and Complaint.objects.count() == 3
    assert "已导入12345热线工单 3 件" in c.get(r["Location"]).content.decode()
    # 直接导入 the same file again: nothing duplicated
    r = c.post("/complaints/hotline/import/", {"file": _upload([HEADER, *GOOD]), "commit": "on"})
    again = Job.objects.exclude(pk=job.pk).get()
    assert r["Location"] == reverse("core:job_detail", args=[again.pk])
    assert (again.status, again.result["created"], again.result["skipped"]) == (Job.DONE, 0, 3)
    assert Complaint.objects.count() == 3


def test_csv_upload_is_imported_by_the_job(login_as, media):
    buf = io.StringIO()
    csv.writer(buf).writerows([HEADER, *GOOD])
    upload = SimpleUploadedFile("orders.csv", buf.getvalue().encode("gbk"))
    r = login_as("supervisor").post("/complaints/hotline/import/", {"file": upload, "commit": "on"})
    job = Job.objects.get(kind="import")
    assert r.status_code == 302 and job.status == Job.DONE and job.result["created"] == 3
    assert Complaint.objects.filter(channel="hotline").count() == 3


def test_a_zip_named_csv_and_other_types_are_refused(login_as, media):
    c = login_as("supervisor")
    r = c.post("/complaints/hotline/import/", {"file": _upload([HEADER, *GOOD], name="o.csv"), "commit": "on"})
    assert "不是 CSV" in r.content.decode()
    r = c.post("/complaints/hotline/import/", {"file": SimpleUploadedFile("o.xls", b"xx"), "commit": "on"})
    assert "只支持 .xlsx 或 .csv 文件" in r.content.decode() and not Job.objects.exists()


def test_a_bad_row_fails_the_job_nothing_imported_error_list_downloads(login_as, media):
    from openpyxl import load_workbook

    c = login_as("supervisor")
    bad = [HEADER, *GOOD, ["", "2025-03-05", "执法人员检查时态度粗暴，辱骂店员。", "", "", "", ""]]
    bad.append(["HL6", "2025-03-05", "太短", "", "", "", ""])
    r = c.post("/complaints/hotline/import/", {"file": _upload(bad), "commit": "on"})
    job = Job.objects.get(kind="import")
    assert job.status == Job.FAILED and job.error == "校验未通过，未导入任何数据"
    assert not Complaint.objects.exists()
    assert "第 5 行“工单编号”：必填" in job.result["messages"] and job.result["error_count"] == 2
    assert job.result["back_url"] == reverse("complaints:hotline_import")
    page = c.get(r["Location"]).content.decode()
    assert "第 6 行“诉求内容”" in page and reverse("core:job_download", args=[job.pk]) in page
    download = c.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert [r[:2] for r in sheet.iter_rows(min_row=2, values_only=True)] == [(5, "工单编号"), (6, "诉求内容")]


def test_a_large_upload_is_checked_then_imported_by_the_worker_with_progress(
    login_as, media, monkeypatch, django_capture_on_commit_callbacks
):
    from fazhi.core import imports
    from fazhi.core.jobs import job_progress
    from fazhi.core.tests.test_jobs import run_queued

    heard = []

    def listen(job, done, total=None, message=""):
        heard.append(message)
        return job_progress(job, done, total, message)

    monkeypatch.setattr(imports, "INLINE_BYTES", 0)
    monkeypatch.setattr(imports, "PROGRESS_ROWS", 1)
    monkeypatch.setattr(imports, "job_progress", listen)
    c = login_as("supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/complaints/hotline/import/", {"file": _upload([HEADER, *GOOD])})
    check = Job.objects.get(kind="import")
    assert check.status == Job.QUEUED and check.params["check_only"] and check.label == "校验12345热线工单导入文件"
    assert [t.status for t in run_queued()] == ["SUCCESSFUL"]
    check.refresh_from_db()
    assert check.status == Job.DONE and check.message == "共 3 行，全部校验通过" and not Complaint.objects.exists()
    assert check.result["next"]["url"] == reverse("complaints:hotline_import_confirm")
    assert "已读取 3 行" in " ".join(heard) and "正在校验：2 / 3 行" in heard
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(check.result["next"]["url"], check.result["next"]["fields"])
    assert not Complaint.objects.exists()  # waits for the worker
    run_queued()
    job = Job.objects.exclude(pk=check.pk).get()
    assert job.status == Job.DONE and (job.done, job.total) == (3, 3) and Complaint.objects.count() == 3
    assert any("正在写入 3 件工单" in m for m in heard)
    assert r["Location"] == reverse("core:job_detail", args=[check.pk])


def test_import_needs_complaint_import_and_the_job_is_its_starters(login_as, media):
    c = login_as("supervisor")
    r = c.post("/complaints/hotline/import/", {"file": _upload([HEADER, *GOOD]), "commit": "on"})
    job = Job.objects.get(kind="import")
    other = login_as("agency")
    assert other.get("/complaints/hotline/import/").status_code == 403
    assert other.post("/complaints/hotline/import/", {"file": _upload([HEADER, *GOOD])}).status_code == 403
    assert other.post(reverse("complaints:hotline_import_confirm"), {"token": "0" * 32}).status_code == 403
    assert other.get(r["Location"]).status_code == 404
    assert other.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_a_job_whose_starter_lost_the_permission_imports_nothing(users, media):
    from fazhi.core.imports import import_job_run

    job = Job.objects.create(kind="import", label="x", created_by=users["agency"], unit_id=users["agency"].unit_id)
    outcome = import_job_run(job, {"key": "complaints:hotline", "token": "0" * 32})
    assert not outcome.ok and outcome.message == "无权导入12345热线工单，未导入任何数据"


def test_error_list_download(login_as, media):
    bad = _xlsx([HEADER, ["", "2025-03-05", "太短", "", "", "", ""]])
    r = login_as("supervisor").post(
        "/complaints/hotline/import/", {"file": SimpleUploadedFile("o.xlsx", bad), "errors_xlsx": "1", "commit": "on"}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Complaint.objects.exists() and not Job.objects.exists()
    _ = f


def test_long_work_order_is_imported_whole(users):
    content = "反映执法人员多次上门检查却不出示证件，" * 250
    assert len(content) > 4000
    rows = [HEADER, ["HL-LONG", "2025/3/5", content, "", "", "", ""]]
    result = hotline_import(by=users["supervisor"], name="long.xlsx", data=_xlsx(rows), commit=True)
    assert result.committed and not result.errors
    assert Complaint.objects.get(work_order_no="HL-LONG").description == content.strip()
