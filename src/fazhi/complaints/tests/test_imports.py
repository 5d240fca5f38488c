import io

import pytest
import xlsxwriter

from fazhi.complaints.hotline_import import IMPORTER, hotline_import
from fazhi.complaints.models import Complaint
from fazhi.complaints.tests import factories as f
from fazhi.core.imports import template_xlsx

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


def test_import_page(login_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login_as("supervisor")
    assert c.get("/complaints/hotline/template/").status_code == 200
    r = c.post(
        "/complaints/hotline/import/", {"file": SimpleUploadedFile("o.xlsx", _xlsx([HEADER, *GOOD])), "commit": "on"}
    )
    assert "已导入 3 件" in r.content.decode()
    assert login_as("agency").get("/complaints/hotline/import/").status_code == 403
    _ = f


def test_error_list_download(login_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = _xlsx([HEADER, ["", "2025-03-05", "太短", "", "", "", ""]])
    r = login_as("supervisor").post(
        "/complaints/hotline/import/", {"file": SimpleUploadedFile("o.xlsx", bad), "errors_xlsx": "1"}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Complaint.objects.exists()


def test_long_work_order_is_imported_whole(users):
    content = "反映执法人员多次上门检查却不出示证件，" * 250
    assert len(content) > 4000
    rows = [HEADER, ["HL-LONG", "2025/3/5", content, "", "", "", ""]]
    result = hotline_import(by=users["supervisor"], name="long.xlsx", data=_xlsx(rows), commit=True)
    assert result.committed and not result.errors
    assert Complaint.objects.get(work_order_no="HL-LONG").description == content.strip()
