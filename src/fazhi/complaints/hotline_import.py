"""12345 work orders from Excel (.xlsx) or CSV, in the documented template (core/imports.py makes the template).

Sized for a year of a province's orders (100k rows): the file is read once in streaming mode, every row is
checked (a bad row is reported with its number and column, and then nothing is imported), and the good
rows are inserted in batches. Work-order numbers already present are skipped, so importing the same file
twice makes no second complaint.

The page runs it as core's import job (我的任务, `core.imports.import_job_start`): `HotlineImporter.run` gives the
job an ImportResult, with progress while reading, checking and writing.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils import timezone

from fazhi.complaints import rules
from fazhi.complaints.models import CATEGORIES
from fazhi.complaints.services import hotline_bulk_create
from fazhi.core import imports as core_imports
from fazhi.core.errors import DomainError
from fazhi.core.imports import Column, Importer, ImportResult, RowResult, choice_parser, iter_sheet, parse_text
from fazhi.core.models import Unit
from fazhi.core.normalize import EXCEL_EPOCH, clean_text, parse_date

MAX_BYTES = 60 * 1024 * 1024
MAX_ROWS = 200_000
EXTENSIONS = (".xlsx", ".csv")
JOB_NAME = "complaints:hotline"
_DT = re.compile(
    r"^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})"
    r"(?:\s*[:：分]\s*(\d{1,2}))?\s*秒?)?$"
)


def parse_datetime_value(value) -> dt.datetime:
    """ISO, 2025/3/5 9:30, 2025年3月5日 9:30, a date alone (00:00), datetime objects and Excel serials."""
    tz = timezone.get_default_timezone()
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, tz)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time()), tz)
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return timezone.make_aware(dt.datetime.combine(EXCEL_EPOCH, dt.time()) + dt.timedelta(days=float(value)), tz)
    text = clean_text(value)
    m = _DT.match(text)
    if m:
        try:
            return timezone.make_aware(
                dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)), tz
            )
        except ValueError:
            pass
    try:
        parsed = dt.datetime.fromisoformat(text)
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, tz)
    except ValueError:
        pass
    parse_date(text, label="受理时间")  # raises the standard message
    raise DomainError(f"受理时间“{text}”无效")


class HotlineImporter(Importer):
    key = "hotline"
    title = "12345热线工单"
    permission = "complaint.import"
    list_url_name = "complaints:list"
    unit = "件"
    columns = [
        Column(
            "工单编号",
            "work_order_no",
            True,
            example="HL2025030500001",
            help="热线系统的工单编号，唯一；重复导入自动跳过",
        ),
        Column(
            "受理时间",
            "received_at",
            True,
            parser=parse_datetime_value,
            example="2025-03-05 09:30",
            help="2025-03-05 09:30、2025/3/5 9:30 或 2025年3月5日；只写日期按 0 时计",
        ),
        Column(
            "诉求内容",
            "content",
            True,
            example="反映某执法人员在检查时态度恶劣，未出示执法证件。",
            help=f"至少 {rules.DESCRIPTION_MIN} 字，长度不限（全文保存）",
        ),
        Column("来电人", "caller_name", example="张先生"),
        Column("联系电话", "caller_phone", example="13800000000"),
        Column(
            "承办单位",
            "handling_unit",
            example="示例市市场监督管理局",
            help="热线派单的承办单位全称（可空）；历史工单的承办单位用于训练分办模型",
        ),
        Column(
            "诉求类别",
            "category",
            parser=choice_parser(CATEGORIES),
            example="执法不文明不规范",
            help="、".join(label for _, label in CATEGORIES) + "（可空，默认“其他”）",
        ),
    ]

    def run(self, fileobj, *, by, ip=None, commit: bool = False, progress=None) -> ImportResult:
        """The import of a kept upload, as core's import job takes it. The kept file is named by its token, not by the
        upload: a zip is the .xlsx, anything else the .csv (`upload_store` refuses a .csv that is a zip)."""
        data = fileobj.read()
        name = "upload.xlsx" if data.startswith(b"PK\x03\x04") else "upload.csv"
        try:
            found = hotline_import(by=by, name=name, data=data, commit=commit, progress=progress)
        except DomainError as exc:  # the file itself: too large, not a workbook, an encoding not known
            return ImportResult(importer=self, file_errors=[exc.message], total=0)
        return found.as_import_result(self)


IMPORTER = HotlineImporter()


@dataclass
class HotlineImportResult:
    total: int = 0
    created: int = 0
    skipped: int = 0
    committed: bool = False
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column header, message)

    @property
    def messages(self) -> list[str]:
        return [f"第 {r} 行“{h}”：{m}" if h else (f"第 {r} 行：{m}" if r else m) for r, h, m in self.errors]

    def as_import_result(self, importer: Importer) -> ImportResult:
        """What core's import job reports: the rows with errors (→ the error list), the counts and the sentence."""
        by_row: dict[int, RowResult] = {}
        file_errors = []
        for number, header, message in self.errors:
            if number:
                by_row.setdefault(number, RowResult(number=number, values=[])).errors.append((header, message))
            else:
                file_errors.append(message)
        return ImportResult(
            importer=importer,
            rows=list(by_row.values()),
            file_errors=file_errors,
            committed=self.committed,
            total=self.total,
            message=f"已导入{importer.title} {self.created} 件，跳过已存在的 {self.skipped} 件"
            if self.committed
            else "",
            summary={"created": self.created, "skipped": self.skipped} if self.committed else {},
        )


def _rows_xlsx(data: bytes):
    # core's reader: zip, row, column, cell-length and time limits, and "文件无法读取：<原因>" for a damaged file.
    for _, values in iter_sheet(io.BytesIO(data), max_rows=MAX_ROWS):
        yield values


def _rows_csv(data: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError("CSV 文件编码无法识别：请保存为 UTF-8 或 GBK 编码", field="file")
    yield from csv.reader(io.StringIO(text))


def read_rows(*, name: str, data: bytes):
    """The rows of the file (header first), as tuples of cell values."""
    if len(data) > MAX_BYTES:
        raise DomainError(f"文件过大：不能超过 {MAX_BYTES // 1024 // 1024} MB", field="file")
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            raise DomainError("文件内容不是有效的 .xlsx 文件", field="file")
        return _rows_xlsx(data)
    if lower.endswith(".csv"):
        return _rows_csv(data)
    raise DomainError("只支持 .xlsx 或 .csv 文件", field="file")


def _units_by_name() -> dict[str, Unit]:
    return {u.name: u for u in Unit.objects.filter(is_active=True)}


def hotline_import(*, by, name: str, data: bytes, commit: bool, progress=None) -> HotlineImportResult:
    """Check every row; with `commit` and no error, insert them. Nothing is written when any row is bad.
    `progress(done, total, message)` hears of every PROGRESS_ROWS rows read and checked, and of the write."""
    step = core_imports.PROGRESS_ROWS
    result = HotlineImportResult()
    rows = iter(read_rows(name=name, data=data))
    header = next(rows, None)
    if header is None:
        result.errors.append((0, "", "文件是空的：第 1 行应为表头"))
        return result
    headers = [clean_text(h).rstrip("*＊ ").strip() for h in header]
    positions = {}
    for col in IMPORTER.columns:
        if col.header in headers:
            positions[col.field] = headers.index(col.header)
        elif col.required:
            result.errors.append((1, col.header, "缺少必填列：请使用下载的模板"))
    if result.errors:
        return result
    units = _units_by_name()
    latest = timezone.now() + dt.timedelta(hours=1)
    seen: dict[str, int] = {}
    good: list[dict] = []
    # Read everything first: the reader's time limit is for reading, not for the checks made between rows.
    raws = []
    for raw in rows:
        raws.append(raw)
        if progress is not None and len(raws) % step == 0:
            progress(len(raws), None, f"正在读取：已读取 {len(raws)} 行")
    if progress is not None:
        progress(0, len(raws), f"已读取 {len(raws)} 行，正在校验")
    for number, raw in enumerate(raws, start=2):
        if progress is not None and (number - 1) % step == 0:
            progress(number - 1, len(raws), f"正在校验：{number - 1} / {len(raws)} 行")
        values = {f: (raw[i] if i < len(raw) else None) for f, i in positions.items()}
        cleaned = {f: clean_text(v) for f, v in values.items()}  # once per cell: the costliest step of a check
        if not any(cleaned.values()):
            continue
        result.total += 1
        if result.total > MAX_ROWS:
            result.errors.append((number, "", f"一次最多导入 {MAX_ROWS} 行，请拆分文件"))
            break
        row, problems = _check_row(values, cleaned, units, latest=latest)
        for header_name, message in problems:
            result.errors.append((number, header_name, message))
        if problems:
            continue
        first = seen.get(row["work_order_no"])
        if first:
            result.errors.append((number, "工单编号", f"与第 {first} 行重复"))
            continue
        seen[row["work_order_no"]] = number
        good.append(row)
    if result.total == 0 and not result.errors:
        result.errors.append((0, "", "文件中没有数据行"))
    if progress is not None:
        write = commit and not result.errors
        progress(len(raws), len(raws), f"已校验 {len(raws)} 行" + (f"，正在写入 {len(good)} 件工单" if write else ""))
    if result.errors or not commit:
        return result
    result.created = hotline_bulk_create(by=by, rows=good)
    result.skipped = len(good) - result.created
    result.committed = True
    return result


def _check_row(
    values: dict, cleaned: dict, units: dict[str, Unit], *, latest: dt.datetime
) -> tuple[dict, list[tuple[str, str]]]:
    """`cleaned` holds clean_text() of each value; `latest` is the latest acceptable 受理时间."""
    problems = []
    row = {}
    for col in IMPORTER.columns:
        text = cleaned.get(col.field, "")
        if text == "":
            if col.required:
                problems.append((col.header, "必填"))
            row[col.field] = ""
            continue
        try:
            row[col.field] = text if col.parser is parse_text else col.parser(values[col.field])
        except DomainError as exc:
            problems.append((col.header, exc.message))
    if problems:
        return row, problems
    if len(row["work_order_no"]) > 40:
        problems.append(("工单编号", "不能超过 40 个字符"))
    content = str(values.get("content") or "").strip()
    limit = rules.description_max("hotline")
    if len(cleaned["content"]) < rules.DESCRIPTION_MIN:
        problems.append(("诉求内容", f"至少 {rules.DESCRIPTION_MIN} 个字"))
    elif limit is not None and len(content) > limit:
        problems.append(("诉求内容", f"不能超过 {limit} 字"))
    row["content"] = content
    phone = row["caller_phone"].replace(" ", "")
    if phone and not rules.phone_ok(phone):
        problems.append(("联系电话", f"“{phone}”格式不正确"))
    row["caller_phone"] = phone
    row["caller_name"] = row["caller_name"][: rules.NAME_MAX]
    unit_name = row.pop("handling_unit")
    row["handling_unit_name"] = unit_name
    row["handling_unit"] = None
    if unit_name:
        row["handling_unit"] = units.get(unit_name)
        if row["handling_unit"] is None:
            problems.append(("承办单位", f"“{unit_name}”不存在：请填写单位全称"))
    if row["received_at"] and row["received_at"] > latest:
        problems.append(("受理时间", "不能晚于现在"))
    return row, problems


core_imports.register_job_importer(JOB_NAME, lambda: IMPORTER)
