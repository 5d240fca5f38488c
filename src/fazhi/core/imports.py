"""Excel import: template, upload, dry-run preview, all-or-nothing write, error list (design.md §4).

An `Importer` lists its columns (Chinese header, field, required, parser) and saves one parsed row by
calling the module's own service, so an imported row passes exactly the validation of the form and the
API. `run_import` runs every row inside one transaction, each row in its own savepoint: a later row can
refer to an earlier one (a unit's parent defined above it), every row is checked even after an error,
and the transaction is rolled back unless it is a confirmed run without a single error.

Other modules reuse this: subclass `Importer`, `register()` it, and link to `core:import` with its key
(or call `run_import` from their own views).
"""

import datetime as dt
import io
import re
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

import xlsxwriter
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core.errors import AccessError, DomainError, Forbidden
from fazhi.core.jobs import Outcome, job_progress, job_start, register_job_kind
from fazhi.core.normalize import clean_text, parse_date

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Limits on what an uploaded workbook may make the server do (a 615 KB zip can hold 200 MB of sheet XML, a
# shared string can be 300 MB): checked on the zip directory before anything is opened, and while reading.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all members of the zip together
MAX_PART_BYTES = 32 * 1024 * 1024  # any member outside xl/worksheets/ (shared strings, styles, ...)
MAX_COLUMNS = 100  # the last column that may hold a value
MAX_CELLS_PER_ROW = 2000  # cells written in one row, values or not (Excel writes styled empty cells)
MAX_CELL_CHARS = 5000
READ_SECONDS = 60  # reading stops after this long, whatever the file holds
PREVIEW_ROWS = 500  # rows a preview page shows; the error list and the import itself take them all
PREVIEW_CHARS = 200  # characters of one value shown in a preview or an error message
PROGRESS_ROWS = 1000  # a `progress` callback hears of every this many rows
# A confirmed upload this small is imported in the request itself, still as a job, so the job page shows its
# result at once; a larger one (and the dry run of one) waits for `fazhi worker`.
INLINE_BYTES = 100 * 1024
JOB_KIND = "import"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")


# ---------------------------------------------------------------- parsers (raise DomainError on bad input)


def parse_text(value) -> str:
    return clean_text(value)


def parse_secret(value) -> str:
    """Passwords are taken as typed (no NFKC, no space folding); Excel may have made them a number."""
    return str(value)


def parse_int(value) -> int:
    text = clean_text(value)
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(float(text))
    raise DomainError(f"“{text}”不是整数")


def parse_day(value) -> dt.date:
    return parse_date(value)


def parse_list(value) -> list[str]:
    return [part for part in LIST_SEPARATORS.split(clean_text(value)) if part]


def choice_parser(choices: list[tuple[str, str]]) -> Callable[[Any], str]:
    """Accept either the code or the Chinese label of a choice."""
    by_label = {label: code for code, label in choices}
    codes = {code for code, _ in choices}

    def parse(value) -> str:
        text = clean_text(value)
        if text in codes:
            return text
        if text in by_label:
            return by_label[text]
        raise DomainError(f"“{text}”无效，应为：{'、'.join(label for _, label in choices)}")

    return parse


# ---------------------------------------------------------------- importer description


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool = False
    parser: Callable[[Any], Any] = parse_text
    example: Any = ""
    help: str = ""
    secret: bool = False  # never echoed in previews or error lists


class Importer:
    key = ""
    title = ""
    permission = ""
    list_url_name = ""
    columns: list[Column] = []

    unit = "条"  # what the job's result counts: "已导入单位 12 条"

    def save_row(self, data: dict, *, by, ip=None):
        """Resolve references and call the service; raise DomainError(field=<column field>) on bad input.
        Importers that write in bulk (hotline orders, enterprises) skip the per-row path and do not define it."""
        raise NotImplementedError(f"{type(self).__name__} writes rows in bulk, not through save_row")

    def allowed(self, user) -> bool:
        """Whether `user` may run this import: asked by the pages, when its job starts and again when it runs."""
        from fazhi.core.scope import has_permission

        return has_permission(user, self.permission)

    def run(self, fileobj, *, by, ip=None, commit: bool = False, progress: "Progress | None" = None) -> "ImportResult":
        """Check (and, with `commit`, write) a whole file; an importer that writes in bulk runs its own."""
        return run_import(self, fileobj, by=by, ip=ip, commit=commit, progress=progress)

    def header_for(self, field_name: str) -> str:
        for col in self.columns:
            if col.field == field_name:
                return col.header
        return ""


IMPORTERS: dict[str, Importer] = {}
# What the import job may run, by the name in its params: core's page importers under their key, a module's own
# under "<module>:<key>" (a factory, so that an importer that keeps state between rows starts fresh each run).
JOB_IMPORTERS: dict[str, Callable[[], Importer]] = {}


def register(importer: Importer) -> Importer:
    IMPORTERS[importer.key] = importer
    register_job_importer(importer.key, lambda: importer)
    return importer


def register_job_importer(name: str, factory: Callable[[], Importer]) -> None:
    JOB_IMPORTERS[name] = factory


# ---------------------------------------------------------------- results


@dataclass
class RowResult:
    number: int  # the row number as Excel shows it (the header is row 1)
    values: list[str]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header or "", message)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [
            f"第 {self.number} 行“{header}”：{msg}" if header else f"第 {self.number} 行：{msg}"
            for header, msg in self.errors
        ]


@dataclass
class ImportResult:
    importer: Importer
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    committed: bool = False
    # An importer that writes in bulk keeps a RowResult for bad rows only: it gives the number of data rows here,
    # and may word the job's result itself (the hotline's "已导入 n 件，跳过已存在的 m 件") with counts to go with it.
    total: int | None = None
    message: str = ""
    summary: dict = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return len(self.rows) if self.total is None else self.total

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.error_rows)

    @property
    def messages(self) -> list[str]:
        return self.file_errors + [m for r in self.rows for m in r.messages]

    @property
    def preview_rows(self) -> list[RowResult]:
        """What a preview page shows: the rows with errors first, at most PREVIEW_ROWS in all."""
        return (self.error_rows + [r for r in self.rows if r.ok])[:PREVIEW_ROWS]

    @property
    def preview_messages(self) -> list[str]:
        return self.messages[:PREVIEW_ROWS]


# ---------------------------------------------------------------- reading


def _cell_value(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def shorten(text: str, limit: int = PREVIEW_CHARS) -> str:
    """A value as a preview or a message may echo it back: at most `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _display(value) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return shorten(clean_text(value))


def _header_key(value) -> str:
    return clean_text(value).rstrip("*＊ ").strip()


def _unreadable(reason: str) -> DomainError:
    return DomainError(f"文件无法读取：{reason}", field="file")


def _clock() -> float:
    return time.monotonic()


def _column_number(ref: str) -> int:
    number = 0
    for char in ref:
        if not "A" <= char <= "Z":
            break
        number = number * 26 + ord(char) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_zip(fileobj) -> None:
    """Refuse a zip whose members would unpack to too much, before openpyxl reads any of them. The sizes
    are the declared ones; zipfile never inflates a member past its declared size."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _unreadable("不是有效的 .xlsx 文件（无法作为 zip 压缩包打开）") from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _unreadable(f"解压后超过 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB，请拆分文件")
    for member in members:
        if member.file_size > MAX_PART_BYTES and not member.filename.startswith("xl/worksheets/"):
            raise _unreadable(f"“{shorten(member.filename, 60)}”解压后过大，请使用模板重新填写")
    fileobj.seek(0)


_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?\d+$")


class _SheetScan:
    """The one pass of expat over the sheet XML: limits rows, columns, cells per row and cell length, checks what
    would not convert (numbers, dates, booleans, shared-string indexes), finds the last row and column that hold a
    value (a dimension of A1:XFD1048576 reads no further than the rows there are), and keeps each cell's value as
    openpyxl's read-only reader would give it (shared and inline strings, numbers, booleans, ISO dates, and numbers
    in a date style as dates), so the sheet is parsed once."""

    def __init__(self, *, strings, max_rows: int, deadline: float, date_styles=(), timedelta_styles=(), epoch=None):
        self.strings = strings
        self.max_rows = max_rows
        self.deadline = deadline
        self.date_styles = date_styles
        self.timedelta_styles = timedelta_styles
        self.epoch = epoch
        self.events = 0
        self.row = 0
        self.column = 0
        self.cells_in_row = 0
        self.rows_with_values = 0
        self.row_has_value = False
        self.last_row = 0
        self.last_column = 0
        self.cell_type = ""
        self.style = 0
        self.inline = False
        self.phonetic = 0  # inside <rPh>: a reading aid, not part of the value
        self.collecting = False
        self.text: list[str] | None = None
        self.text_length = 0
        self.cells: dict[int, dict[int, Any]] = {}

    def ref(self) -> str:
        return f"{_column_letters(self.column)}{self.row}"

    def start(self, name: str, attrs: dict) -> None:
        self.events += 1
        if self.events % 10_000 == 0 and _clock() > self.deadline:
            raise _unreadable(f"处理超时（超过 {READ_SECONDS} 秒），请拆分文件后重试")
        tag = name.rpartition(" ")[2]
        if tag == "c":
            ref = attrs.get("r")
            if not ref:
                self.column += 1
            else:
                match = _CELL_REF.match(ref)
                if match is None:  # as openpyxl refuses it
                    raise _unreadable(f"第 {self.row} 行有无法识别的内容（单元格位置“{shorten(ref, 20)}”）")
                self.column = _column_number(match[1].upper())
            self.cells_in_row += 1
            if self.cells_in_row > MAX_CELLS_PER_ROW:
                raise _unreadable(f"第 {self.row} 行的单元格超过 {MAX_CELLS_PER_ROW} 个")
            self.cell_type = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style and style.isdigit() else 0
            self.inline = False
            self.text = None
        elif tag in ("v", "t"):
            if not self.phonetic:
                self.collecting = True
                if self.text is None:
                    self.text = []
                    self.text_length = 0
        elif tag == "row":
            self.row = int(attrs["r"]) if attrs.get("r", "").isdigit() else self.row + 1
            self.column = 0
            self.cells_in_row = 0
            self.row_has_value = False
        elif tag == "is":
            self.inline = True
            if self.text is None:
                self.text = []
                self.text_length = 0
        elif tag == "rPh":
            self.phonetic += 1

    def data(self, text: str) -> None:
        if self.collecting:
            self.text_length += len(text)
            if self.text_length > MAX_CELL_CHARS:
                raise _unreadable(f"单元格 {self.ref()} 的内容超过 {MAX_CELL_CHARS} 个字符")
            self.text.append(text)

    def end(self, name: str) -> None:
        tag = name.rpartition(" ")[2]
        if tag in ("v", "t"):
            self.collecting = False
        elif tag == "c":
            if self.text is not None:
                self._cell("".join(self.text))
            self.text = None
        elif tag == "row" and self.row_has_value:
            self.rows_with_values += 1
            if self.rows_with_values > self.max_rows + 1:
                raise DomainError(f"一次最多导入 {self.max_rows} 行，请拆分文件", field="file")
        elif tag == "rPh":
            self.phonetic -= 1

    def _cell(self, value: str) -> None:
        kind = self.cell_type
        if kind == "s":
            if not value.strip().isdigit() or int(value) >= len(self.strings):
                raise _unreadable(f"单元格 {self.ref()} 引用了不存在的共享字符串")
        elif kind == "n" and value:
            try:
                float(value)
            except ValueError:
                raise _unreadable(f"单元格 {self.ref()} 的数值“{shorten(value, 30)}”无效") from None
        elif kind == "d" and value:
            try:
                dt.datetime.fromisoformat(value)
            except ValueError:
                raise _unreadable(f"单元格 {self.ref()} 的日期“{shorten(value, 30)}”无效") from None
        elif kind == "b" and value not in ("0", "1"):
            raise _unreadable(f"单元格 {self.ref()} 的逻辑值“{shorten(value, 30)}”无效")
        if value.strip() == "":
            return
        if self.column > MAX_COLUMNS:
            raise _unreadable(f"单元格 {self.ref()} 超出范围：最多 {MAX_COLUMNS} 列")
        self.row_has_value = True
        self.last_row = max(self.last_row, self.row)
        self.last_column = max(self.last_column, self.column)
        try:
            converted = self._value(kind, value)
        except (ValueError, TypeError, OverflowError, IndexError) as exc:
            raise _unreadable(f"第 {self.row} 行有无法识别的内容（{type(exc).__name__}）") from None
        row = self.cells.get(self.row)
        if row is None:
            row = self.cells[self.row] = {}
        row[self.column] = converted

    def _value(self, kind: str, value: str):
        """The value as openpyxl's read-only reader converts it (openpyxl.worksheet._reader, data only)."""
        if kind == "inlineStr":
            return value if self.inline else None
        if kind == "n":
            number = float(value) if "." in value or "E" in value or "e" in value else int(value)
            if self.style in self.date_styles:
                from openpyxl.utils.datetime import from_excel

                try:
                    return from_excel(number, self.epoch, timedelta=self.style in self.timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # openpyxl's value for a date serial out of range
            return number
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(value)
        return value  # "str" (a formula's text), "e" (an error such as #N/A)

    def run(self, stream) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        try:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _unreadable(
                f"工作表内容已损坏（XML 第 {exc.lineno} 行：{expat.errors.messages[exc.code]}）"
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError):
            raise _unreadable("压缩数据已损坏") from None


def iter_sheet(fileobj, *, max_rows: int = MAX_ROWS):
    """The rows of the first sheet as (excel row number, tuple of values), the header first.

    Raises DomainError(“文件无法读取：<原因>”, field="file") for a file that is not a workbook, is damaged
    (truncated XML, a number or date that is not one, a shared string that does not exist), holds more than
    `max_rows` rows, MAX_COLUMNS columns or MAX_CELL_CHARS characters in a cell, unpacks to more than
    MAX_UNCOMPRESSED_BYTES, or takes longer than READ_SECONDS to read. openpyxl reads the workbook's parts (shared
    strings, styles, the date epoch); the sheet itself is read by `_SheetScan` alone, in one pass."""
    from openpyxl import load_workbook

    deadline = _clock() + READ_SECONDS
    _check_zip(fileobj)
    try:
        book = load_workbook(fileobj, read_only=True, data_only=True)
    except ElementTree.ParseError:
        raise _unreadable("工作表内容已损坏（XML 不完整或格式错误）") from None
    except Exception:  # openpyxl raises many types for a damaged or foreign file
        raise _unreadable("请上传由模板填写的 Excel（.xlsx）文件") from None
    try:
        if not book.worksheets:
            raise _unreadable("文件中没有工作表")
        sheet = book.worksheets[0]
        # openpyxl keeps the shared strings and the sheet's part name on the read-only sheet (3.1), and the styles
        # whose number format is a date (or a duration) on the workbook.
        strings = sheet._shared_strings
        if any(len(text) > MAX_CELL_CHARS for text in strings):
            raise _unreadable(f"有单元格的内容超过 {MAX_CELL_CHARS} 个字符")
        scan = _SheetScan(
            strings=strings,
            max_rows=max_rows,
            deadline=deadline,
            date_styles=book._date_formats,
            timedelta_styles=book._timedelta_formats,
            epoch=book.epoch,
        )
        try:
            stream = book._archive.open(sheet._worksheet_path)
        except KeyError:
            raise _unreadable("缺少工作表内容") from None
        with stream:
            scan.run(stream)
    finally:
        book.close()
    width = range(1, scan.last_column + 1)
    cells = scan.cells
    empty: dict[int, Any] = {}
    for number in range(1, scan.last_row + 1):
        if _clock() > deadline:
            raise _unreadable(f"处理超时（超过 {READ_SECONDS} 秒），请拆分文件后重试")
        row = cells.pop(number, empty)
        yield number, tuple([row.get(column) for column in width])


Progress = Callable[[int, int, str], object]  # (done, total or 0 when not known yet, message)


def read_sheet(
    importer: Importer, fileobj, *, max_rows: int = MAX_ROWS, progress: Progress | None = None
) -> tuple[list[tuple[int, dict]], list[str]]:
    """Rows of the first sheet as (excel row number, {field: raw value}), plus file-level errors."""
    try:
        return _read_sheet(importer, fileobj, max_rows=max_rows, progress=progress)
    except DomainError as exc:
        return [], [exc.message]


def _read_sheet(
    importer: Importer, fileobj, *, max_rows: int, progress: Progress | None = None
) -> tuple[list[tuple[int, dict]], list[str]]:
    rows_iter = iter_sheet(fileobj, max_rows=max_rows)
    try:
        first = next(rows_iter, None)
        if first is None:
            return [], ["文件是空的：第 1 行应为表头"]
        headers = [_header_key(h) for h in first[1]]
        positions: dict[str, int] = {}
        for col in importer.columns:
            if col.header in headers:
                positions[col.field] = headers.index(col.header)
            elif col.required:
                return [], [f"缺少必填列“{col.header}”：请使用下载的模板"]
        rows = []
        for number, raw in rows_iter:
            if progress is not None and number % PROGRESS_ROWS == 0:
                progress(number, 0, f"正在读取文件：第 {number} 行")
            values = {f: _cell_value(raw[i]) if i < len(raw) else None for f, i in positions.items()}
            if all(v is None or clean_text(v) == "" for v in values.values()):
                continue
            rows.append((number, values))
            if len(rows) > max_rows:
                return [], [f"一次最多导入 {max_rows} 行，请拆分文件"]
        if not rows:
            return [], ["文件中没有数据行"]
        return rows, []
    finally:
        rows_iter.close()


class _Rollback(Exception):
    pass


def run_import(
    importer: Importer, fileobj, *, by, ip=None, commit: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Check every row (and write them all, if `commit` and no row failed). Nothing is written otherwise.
    `progress(done, total, message)` is called every PROGRESS_ROWS rows, while reading and while checking."""
    result = ImportResult(importer=importer)
    rows, result.file_errors = read_sheet(importer, fileobj, progress=progress)
    if result.file_errors:
        return result
    try:
        with transaction.atomic():
            for done, (number, values) in enumerate(rows, start=1):
                result.rows.append(_run_row(importer, number, values, by=by, ip=ip))
                if progress is not None and (done % PROGRESS_ROWS == 0 or done == len(rows)):
                    progress(done, len(rows), f"正在校验：{done} / {len(rows)} 行")
            if not commit or result.has_errors:
                raise _Rollback
            result.committed = True
    except _Rollback:
        pass
    return result


def _run_row(importer: Importer, number: int, values: dict, *, by, ip) -> RowResult:
    row = RowResult(
        number=number,
        # A secret (an initial password) is never shown back: the preview and the error list only say it is there.
        values=[
            ("******" if values.get(c.field) not in (None, "") else "") if c.secret else _display(values.get(c.field))
            for c in importer.columns
        ],
    )
    data = {}
    for col in importer.columns:
        raw = values.get(col.field)
        if raw is None or clean_text(raw) == "":
            if col.required:
                row.errors.append((col.header, "必填"))
            data[col.field] = None
            continue
        try:
            data[col.field] = col.parser(raw)
        except DomainError as exc:
            row.errors.append((col.header, shorten(exc.message)))
    if row.errors:
        return row
    try:
        with transaction.atomic():
            importer.save_row(data, by=by, ip=ip)
    except DomainError as exc:
        row.errors.append((importer.header_for(exc.field), shorten(exc.message)))
    except AccessError as exc:  # a row that names something outside the importer's scope, or not allowed
        row.errors.append(("", shorten(exc.message)))
    return row


# ---------------------------------------------------------------- files out


def template_xlsx(importer: Importer) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    text = book.add_format({"num_format": "@"})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "num_format": "@"})
    head_req = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_color": "#C00000"})
    ws = book.add_worksheet(importer.title[:31])
    for c, col in enumerate(importer.columns):
        ws.write_string(0, c, col.header + ("*" if col.required else ""), head_req if col.required else head)
        ws.write_string(1, c, str(col.example), text)
        ws.set_column(c, c, max(12, len(col.header) * 3), text)
    ws.freeze_panes(1, 0)
    notes = book.add_worksheet("说明")
    bold = book.add_format({"bold": True})
    notes.write_row(0, 0, ["列", "必填", "说明"], bold)
    for r, col in enumerate(importer.columns, start=1):
        notes.write_row(r, 0, [col.header, "是" if col.required else "否", col.help])
    r = len(importer.columns) + 2
    for line in [
        "1. 在第一个工作表填写，第 1 行表头不要改动，第 2 行是示例，导入前请删除或改成真实数据。",
        "2. 带 * 的列必填。日期可写 2025-03-05、2025/3/5 或 2025年3月5日。",
        "3. 上传后先预览校验结果，确认后才写入；任何一行有错误则全部不导入。",
        "4. 同一文件中，后面的行可以引用前面行新增的数据（例如下级单位写在上级单位之后）。",
    ]:
        notes.write_string(r, 0, line)
        r += 1
    notes.set_column(0, 0, 16)
    notes.set_column(1, 1, 6)
    notes.set_column(2, 2, 70)
    book.close()
    return buffer.getvalue()


def errors_xlsx(result: ImportResult) -> bytes:
    from fazhi.core.exports import xlsx_bytes

    rows = [["", "", msg] for msg in result.file_errors]
    for row in result.error_rows:
        for (header, _), text in zip(row.errors, row.messages, strict=True):
            rows.append([row.number, header, text])
    return xlsx_bytes(["行号", "列", "错误"], rows, sheet="错误清单")


# ---------------------------------------------------------------- uploads kept between preview and confirm


def _upload_name(user, token: str) -> str:
    if not TOKEN.match(token or ""):
        raise DomainError("导入文件已失效，请重新上传", field="file")
    return f"imports/{user.pk}/{token}.xlsx"


def upload_store(*, user, uploaded, extensions: tuple[str, ...] = (".xlsx",), max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Check type and size, keep the file under the uploader's own folder and return its token. An importer that
    also reads CSV (the hotline's) passes `extensions=(".xlsx", ".csv")`: a .csv must not be a zip, so that the
    importer can tell the two apart by content alone (the kept file is named by its token, not by the upload)."""
    if uploaded is None:
        raise DomainError("请选择要上传的 Excel 文件", field="file")
    name = (uploaded.name or "").lower()
    if not name.endswith(tuple(extensions)):
        if tuple(extensions) == (".xlsx",):
            raise DomainError("只支持 Excel 2007 及以上的 .xlsx 文件（请不要上传 .xls、.csv 或其他文件）", field="file")
        raise DomainError(f"只支持 {' 或 '.join(extensions)} 文件", field="file")
    if uploaded.size > max_bytes:
        raise DomainError(f"文件过大：不能超过 {max_bytes // 1024 // 1024} MB", field="file")
    head = uploaded.read(4)
    uploaded.seek(0)
    if name.endswith(".xlsx") and head != b"PK\x03\x04":
        raise DomainError("文件内容不是有效的 .xlsx 文件", field="file")
    if not name.endswith(".xlsx") and head == b"PK\x03\x04":
        raise DomainError("文件内容是 Excel 压缩包而不是 CSV：请把扩展名改为 .xlsx 后上传", field="file")
    _uploads_prune(user)
    token = uuid.uuid4().hex
    default_storage.save(_upload_name(user, token), uploaded)
    return token


UPLOAD_MAX_AGE = dt.timedelta(days=1)


def _uploads_prune(user, max_age: dt.timedelta = UPLOAD_MAX_AGE, *, now=None) -> int:
    """Previews that were never confirmed are dropped after a day (on the uploader's next upload, and daily by
    `uploads_prune`). No `exists(folder)` first: an S3 store has no folders, only names under a prefix."""
    return _prune_folder(f"imports/{user.pk}", (now or timezone.now()) - max_age)


def _prune_folder(folder: str, cutoff) -> int:
    try:
        names = default_storage.listdir(folder)[1]
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    for name in names:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed


def uploads_prune(*, now=None) -> int:
    """Every user's unconfirmed uploads older than a day (the daily job)."""
    cutoff = (now or timezone.now()) - UPLOAD_MAX_AGE
    try:
        folders = default_storage.listdir("imports")[0]
    except (FileNotFoundError, NotADirectoryError):
        return 0
    return sum(_prune_folder(f"imports/{folder}", cutoff) for folder in folders)


def upload_open(*, user, token: str):
    name = _upload_name(user, token)
    if not default_storage.exists(name):
        raise DomainError("导入文件已失效，请重新上传", field="file")
    return default_storage.open(name, "rb")


def upload_discard(*, user, token: str) -> None:
    name = _upload_name(user, token)
    if default_storage.exists(name):
        default_storage.delete(name)


def import_file(importer: Importer, *, user, token: str, commit: bool, ip=None) -> ImportResult:
    with upload_open(user=user, token=token) as fh:
        result = run_import(importer, fh, by=user, ip=ip, commit=commit)
    if result.committed:
        upload_discard(user=user, token=token)
    return result


# ---------------------------------------------------------------- imports as background jobs (我的任务)


def upload_is_large(uploaded, *, inline_bytes: int | None = None) -> bool:
    """Whether an upload is checked by a job rather than in the request (a preview of 20k rows takes a while)."""
    return uploaded.size > (INLINE_BYTES if inline_bytes is None else inline_bytes)


def import_job_start(
    importer: Importer,
    *,
    by,
    name: str,
    token: str,
    page_url: str,
    confirm_url: str,
    ip=None,
    check_only: bool = False,
    kind: str = JOB_KIND,
    inline_bytes: int | None = None,
):
    """Import (or, `check_only`, just check) an upload kept by `upload_store` as a job of `by`; returns the Job.
    `name` is the importer's in JOB_IMPORTERS; `page_url` and `confirm_url` are its upload page and confirm
    step, which the job's result links back to. The upload stays in default_storage until a job imports it."""
    if not importer.allowed(by):
        raise Forbidden(f"无权导入{importer.title}")
    with upload_open(user=by, token=token) as fh:  # an expired token fails here, not in the worker
        size = getattr(fh, "size", None) or default_storage.size(fh.name)
    return job_start(
        kind,
        by=by,
        label=f"校验{importer.title}导入文件" if check_only else f"导入{importer.title}",
        params={
            "key": name,
            "token": token,
            "check_only": check_only,
            "ip": ip,
            "page_url": page_url,
            "confirm_url": confirm_url,
        },
        run_now=size <= (INLINE_BYTES if inline_bytes is None else inline_bytes),
    )


def import_job_run(job, params: dict, *, importer: Importer | None = None, report=None) -> Outcome:
    """Run the import a job names: all-or-nothing as on the page, with progress (`report`, by default
    `job_progress`); a failed check keeps its messages and the error list (an xlsx) on the job."""
    by = job.created_by
    if importer is None:
        factory = JOB_IMPORTERS.get(params.get("key", ""))
        if factory is None:
            raise DomainError("没有这种导入")
        importer = factory()
    if not importer.allowed(by):  # the permission may have been withdrawn while the job waited
        return Outcome(ok=False, message=f"无权导入{importer.title}，未导入任何数据")
    report = report or job_progress
    token = params.get("token", "")
    report(job, 0, 0, "正在读取文件")

    def progress(done, total, message):
        report(job, done, total, message)

    with upload_open(user=by, token=token) as fh:
        result = importer.run(fh, by=by, ip=params.get("ip"), commit=not params.get("check_only"), progress=progress)
    if result.committed:
        upload_discard(user=by, token=token)
        summary = {"created": result.row_count} | result.summary
        if importer.list_url_name:
            summary |= {"url": reverse(importer.list_url_name), "url_label": f"查看{importer.title}"}
        message = result.message or f"已导入{importer.title} {result.row_count} {importer.unit}"
        return Outcome(message=message, summary=summary)
    if not result.has_errors:  # a check that passed: the next step is the confirmation, on the job page
        return Outcome(
            message=f"共 {result.row_count} 行，全部校验通过",
            summary={
                "rows": result.row_count,
                "next": {"url": params.get("confirm_url", ""), "label": "确认导入", "fields": {"token": token}},
            },
        )
    messages = result.messages
    return Outcome(
        ok=False,
        message="校验未通过，未导入任何数据",
        summary={"error_count": len(messages), "messages": messages[:50], "back_url": params.get("page_url", "")},
        file=errors_xlsx(result),
        filename=f"{importer.title}导入错误清单.xlsx",
    )


register_job_kind(JOB_KIND, label="Excel 导入", run=import_job_run)


# ---------------------------------------------------------------- the importers of core


class DivisionImporter(Importer):
    key = "divisions"
    title = "行政区划"
    permission = "org.manage"
    list_url_name = "core:division_list"
    columns = [
        Column("区划代码", "code", True, example="439904", help="6 位 GB/T 2260 代码"),
        Column("名称", "name", True, example="北湖区"),
        Column("上级区划代码", "parent", example="439900", help="须已存在，或写在本文件前面的行中"),
    ]

    def save_row(self, data, *, by, ip=None):
        from fazhi.core.selectors import division_by_code
        from fazhi.core.services import division_save

        parent = division_by_code(code=data["parent"], field="parent") if data["parent"] else None
        return division_save(by=by, code=data["code"], name=data["name"], parent=parent, ip=ip)


class UnitImporter(Importer):
    key = "units"
    title = "单位"
    permission = "org.manage"
    list_url_name = "core:unit_list"

    def __init__(self):
        from fazhi.core.models import Unit

        self.columns = [
            Column("单位全称", "name", True, example="示例市北湖区市场监督管理局"),
            Column("简称", "short_name", example="北湖区市场监管局"),
            Column(
                "类型",
                "kind",
                True,
                parser=choice_parser(Unit.KINDS),
                example="执法部门",
                help="、".join(label for _, label in Unit.KINDS),
            ),
            Column("所在区划代码", "division", True, example="439900", help="6 位区划代码，须已存在"),
            Column("上级单位", "parent", example="示例市人民政府", help="单位全称；可写本文件前面行中的单位"),
            Column("监督单位", "supervising_unit", example="示例市司法局", help="单位全称；为空时取上级单位"),
            Column("统一社会信用代码", "credit_code", example=""),
            Column("排序", "sort_order", parser=parse_int, example="0", help="整数，越小越靠前"),
        ]

    def save_row(self, data, *, by, ip=None):
        from fazhi.core.selectors import division_by_code, unit_by_name
        from fazhi.core.services import unit_save

        division = division_by_code(code=data["division"], field="division")
        parent = unit_by_name(user=by, name=data["parent"], field="parent") if data["parent"] else None
        supervising = (
            unit_by_name(user=by, name=data["supervising_unit"], field="supervising_unit")
            if data["supervising_unit"]
            else None
        )
        return unit_save(
            by=by,
            name=data["name"],
            short_name=data["short_name"] or "",
            kind=data["kind"],
            division=division,
            parent=parent,
            supervising_unit=supervising,
            credit_code=data["credit_code"] or "",
            sort_order=data["sort_order"] or 0,
            ip=ip,
        )


class UserImporter(Importer):
    key = "users"
    title = "用户"
    permission = "user.manage"
    list_url_name = "core:user_list"
    columns = [
        Column("用户名", "username", True, example="zhangsan", help="3–50 位字母、数字或 _ . @ -"),
        Column("姓名", "name", True, example="张三"),
        Column("所属单位", "unit", True, example="示例市市场监督管理局", help="单位全称"),
        Column("角色", "roles", parser=parse_list, example="部门法制员", help="角色名称或编码，多个用顿号分隔"),
        Column("手机号", "phone", example="13800000000"),
        Column("邮箱", "email", example=""),
        Column(
            "初始密码",
            "password",
            True,
            parser=parse_secret,
            secret=True,
            example="Chushi@2026",
            help="至少 10 位，含大写字母、小写字母、数字、特殊字符中的至少三类；首次登录须修改",
        ),
    ]

    def save_row(self, data, *, by, ip=None):
        from fazhi.core.selectors import roles_by_names, unit_by_name
        from fazhi.core.services import user_save

        unit = unit_by_name(user=by, name=data["unit"], field="unit")
        roles = roles_by_names(names=data["roles"] or [], field="roles")
        return user_save(
            by=by,
            username=data["username"],
            name=data["name"],
            unit=unit,
            roles=roles,
            phone=data["phone"] or "",
            email=data["email"] or "",
            password=data["password"],
            ip=ip,
        )


register(DivisionImporter())
register(UnitImporter())
register(UserImporter())


def import_urls(key: str, *, token: str = "", namespace: str = "core", prefix: str = "import") -> dict:
    """The template, error-list and confirm URLs of an import page (core's or a module's own)."""
    return {
        "template": reverse(f"{namespace}:{prefix}_template", args=[key]),
        "errors": reverse(f"{namespace}:{prefix}_errors", args=[key, token]) if token else "",
        "confirm": reverse(f"{namespace}:{prefix}_confirm", args=[key]),
    }
