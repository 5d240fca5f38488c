"""Hostile workbooks (issue 8): every one is "文件无法读取：<原因>" (or a row limit), never an exception, and
nothing reads past the limits of core.imports."""

import io

import pytest

from fazhi.core import imports
from fazhi.core.imports import IMPORTERS, iter_sheet, read_sheet, run_import
from fazhi.core.tests import hostile_xlsx as hx

pytestmark = pytest.mark.django_db

HEADERS = ["名称", "区划代码", "上级区划代码"]
DIVISIONS = IMPORTERS["divisions"]


@pytest.mark.parametrize("name", list(hx.hostile_files(HEADERS)))
def test_hostile_workbook_is_a_file_error(name):
    build, word = hx.hostile_files(HEADERS)[name]
    data = build()
    assert len(data) < 1024 * 1024  # small on disk
    rows, errors = read_sheet(DIVISIONS, io.BytesIO(data))
    assert rows == []
    assert len(errors) == 1 and word in errors[0], errors
    assert errors[0].startswith("文件无法读取：")


def test_zip_sizes_are_checked_before_openpyxl_opens_the_file(monkeypatch):
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    data = hx.hostile_files(HEADERS)["huge_shared_strings_part"][0]()
    with pytest.raises(imports.DomainError, match="解压后过大"):
        list(iter_sheet(io.BytesIO(data)))


def test_a_dimension_of_a_million_rows_reads_only_the_rows_there_are():
    sheet = hx.sheet_xml([hx.header_row(["区划代码", "名称"])], dimension="A1:XFD1048576")
    rows = list(iter_sheet(io.BytesIO(hx.workbook(sheet))))
    assert [(number, values) for number, values in rows] == [(1, ("区划代码", "名称"))]


def test_rows_past_the_limit_stop_the_scan():
    rows = [hx.header_row(["区划代码", "名称"])] + [hx.inline(f"A{n}", "x") for n in range(2, 8)]
    data = hx.workbook(hx.sheet_xml(rows))
    result_rows, errors = read_sheet(DIVISIONS, io.BytesIO(data), max_rows=3)
    assert result_rows == [] and errors == ["一次最多导入 3 行，请拆分文件"]


def test_reading_stops_past_the_time_budget(monkeypatch):
    ticks = iter(range(0, 10_000, 30))  # every look at the clock is 30 s later
    monkeypatch.setattr(imports, "_clock", lambda: next(ticks))
    rows = [hx.header_row(["区划代码", "名称"])] + [hx.inline(f"A{n}", "x") for n in range(2, 8)]
    _, errors = read_sheet(DIVISIONS, io.BytesIO(hx.workbook(hx.sheet_xml(rows))))
    assert errors == [f"文件无法读取：处理超时（超过 {imports.READ_SECONDS} 秒），请拆分文件后重试"]


def test_preview_never_echoes_huge_values(users):
    long = "名" * 4000
    rows = [
        hx.header_row(["区划代码", "名称"]),
        hx.inline("A2", "4399x9") + hx.inline("B2", long),
    ]
    result = run_import(DIVISIONS, io.BytesIO(hx.workbook(hx.sheet_xml(rows))), by=users["admin"])
    assert result.has_errors
    row = result.rows[0]
    assert all(len(v) <= imports.PREVIEW_CHARS for v in row.values)
    assert all(len(message) <= imports.PREVIEW_CHARS for _, message in row.errors)


def test_preview_shows_a_bounded_number_of_rows(users):
    rows = [hx.header_row(["区划代码", "名称"])] + [
        hx.inline(f"A{n}", "bad") + hx.inline(f"B{n}", "x") for n in range(2, imports.PREVIEW_ROWS + 12)
    ]
    result = run_import(DIVISIONS, io.BytesIO(hx.workbook(hx.sheet_xml(rows))), by=users["admin"])
    assert len(result.rows) == imports.PREVIEW_ROWS + 10
    assert len(result.preview_rows) == imports.PREVIEW_ROWS
    assert len(result.preview_messages) <= imports.PREVIEW_ROWS


def test_a_date_serial_out_of_range_is_a_row_error(users):
    from fazhi.workdays.imports import CalendarImporter  # noqa: F401  (registers the calendar importer)

    rows = [hx.header_row(["日期", "类型", "名称"]), '<c r="A2" s="1"><v>1e20</v></c>' + hx.inline("B2", "休息")]
    result = run_import(IMPORTERS["calendar"], io.BytesIO(hx.workbook(hx.sheet_xml(rows))), by=users["admin"])
    assert not result.file_errors and result.rows[0].errors
