"""Excel export of lists: one helper that every module's list page uses for `?format=xlsx`."""

import datetime as dt
import io
from collections.abc import Iterable, Sequence

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_ROWS = 100_000


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
            if timezone.is_aware(value)
            else (value.strftime("%Y-%m-%d %H:%M:%S"))
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return str(value)


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "Sheet1") -> bytes:
    buffer = io.BytesIO()
    # constant_memory streams rows to disk instead of holding the sheet; strings_to_formulas off so that a
    # cell starting with "=" from user input is never evaluated by Excel (CSV/formula injection).
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": False, "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    widths = [max(8, len(h) * 2 + 2) for h in headers]
    ws.write_row(0, 0, list(headers), bold)
    for r, row in enumerate(rows, start=1):
        if r > MAX_EXPORT_ROWS:
            break
        values = [_cell(v) for v in row]
        for c, v in enumerate(values):
            widths[c] = min(60, max(widths[c], len(str(v)) + 2))
        ws.write_row(r, 0, values)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def xlsx_file_response(filename: str, content: bytes) -> HttpResponse:
    """An attachment; a Chinese filename goes out as RFC 5987 `filename*=utf-8''…`."""
    if not filename.endswith(".xlsx"):
        filename += ".xlsx"
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "Sheet1"
) -> HttpResponse:
    return xlsx_file_response(filename, xlsx_bytes(headers, rows, sheet=sheet))


def export_filename(title: str) -> str:
    return f"{title}_{timezone.localdate():%Y%m%d}.xlsx"
