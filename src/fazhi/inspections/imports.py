"""Excel import of enterprises, built for 100k rows: the columns, template, result and error list are core's
(`fazhi.core.imports`); validation is `services.enterprise_clean` (the same as the form and the API); rows are
written with bulk_create in one transaction, only when every row is valid (all-or-nothing, dry run first).
A credit code that appears twice in the file is an error naming both rows."""

from django.db import transaction
from django.urls import reverse

from fazhi.core import imports as core_imports
from fazhi.core.errors import DomainError
from fazhi.core.imports import Column, Importer, ImportResult, RowResult, _display
from fazhi.core.jobs import Outcome, job_progress, register_job_kind
from fazhi.core.normalize import clean_text
from fazhi.inspections.models import CREDIT_GRADES, RISK_LABELS, Enterprise
from fazhi.inspections.permissions import enterprise_actions

MAX_ROWS = 200_000
BATCH = 5000
PROGRESS_ROWS = core_imports.PROGRESS_ROWS
# A confirmed upload this small (~1,500 rows) is imported in the request itself, still as a job, so the job page
# shows its result at once; a larger one waits for `fazhi worker`.
INLINE_BYTES = 100 * 1024
JOB_KIND = "enterprise_import"
CHECK_KIND = "enterprise_import_check"
JOB_NAME = "inspections:enterprises"


class EnterpriseImporter(Importer):
    key = "enterprises"
    title = "市场主体"
    permission = "inspection.manage"
    list_url_name = "inspections:enterprise_list"
    unit = "户"
    columns = [
        Column("统一社会信用代码", "uscc", True, example="91439902MA4L000018", help="18 位，GB 32100-2015 校验"),
        Column("名称", "name", True, example="示例市某某科技有限公司"),
        Column("类型", "kind", example="有限责任公司", help="、".join(label for _, label in Enterprise.KINDS)),
        Column("行业代码", "industry", example="C1391", help="GB/T 4754 国民经济行业分类"),
        Column("区划代码", "division", True, example="439902", help="6 位区划代码，须已存在"),
        Column("住所", "address", example="示例市东城区某某路 1 号"),
        Column("法定代表人", "legal_representative", example="张三"),
        Column("风险等级", "risk_level", example="一般风险", help="、".join(RISK_LABELS.values())),
        Column("信用等级", "credit_grade", example="B", help="、".join(g for g, _ in CREDIT_GRADES)),
        Column("企业分组", "group", example="高新园区", help="用于企业安静生产日，可空"),
    ]

    def save_row(self, data, *, by, ip=None):
        from fazhi.inspections.selectors import division_by_code
        from fazhi.inspections.services import enterprise_create

        division = division_by_code(code=data["division"]) if data["division"] else None
        fields = {k: v for k, v in data.items() if k != "division" and v is not None}
        return enterprise_create(by=by, division=division, ip=ip, **fields)

    def allowed(self, user) -> bool:
        return "import" in enterprise_actions(user=user, obj=None)

    def run(self, fileobj, *, by, ip=None, commit: bool = False, progress=None) -> ImportResult:
        return enterprise_import(by=by, fileobj=fileobj, commit=commit, ip=ip, progress=progress)


IMPORTER = EnterpriseImporter()


def _read(fileobj, progress=None) -> tuple[list[tuple[int, dict]], list[str]]:
    return core_imports.read_sheet(IMPORTER, fileobj, max_rows=MAX_ROWS, progress=progress)


def enterprise_import(*, by, fileobj, commit: bool = False, ip=None, progress=None) -> ImportResult:
    """Check every row; write all of them only if `commit` and not a single row failed. `progress(done, total,
    message)` hears of every PROGRESS_ROWS rows read and checked, and of the write (all before the one
    transaction, whose inside nobody else sees until it commits)."""
    from fazhi.core.audit import log_operation
    from fazhi.core.models import Division
    from fazhi.inspections.services import enterprise_clean

    result = ImportResult(importer=IMPORTER)
    if by is not None and "import" not in enterprise_actions(user=by, obj=None):
        result.file_errors.append("无权导入市场主体")
        return result
    rows, result.file_errors = _read(fileobj, progress)
    if result.file_errors:
        return result
    total = len(rows)
    divisions = {d.code: d for d in Division.objects.filter(is_active=True)}
    first_row: dict[str, int] = {}
    valid: list[tuple[int, dict]] = []
    for done, (number, values) in enumerate(rows, start=1):
        if progress is not None and done % PROGRESS_ROWS == 0:
            progress(done, total, f"正在校验：{done} / {total} 行")
        row = RowResult(number=number, values=[_display(values.get(c.field)) for c in IMPORTER.columns])
        result.rows.append(row)
        data = {c.field: ("" if values.get(c.field) is None else values.get(c.field)) for c in IMPORTER.columns}
        for col in IMPORTER.columns:
            if col.required and clean_text(data[col.field]) == "":
                row.errors.append((col.header, "必填"))
        if row.errors:
            continue
        code = clean_text(data["division"])
        division = divisions.get(code)
        if division is None:
            row.errors.append(("区划代码", f"行政区划代码“{code}”不存在"))
            continue
        try:
            cleaned = enterprise_clean(**{**data, "division": division})
        except DomainError as exc:
            row.errors.append((IMPORTER.header_for(exc.field), exc.message))
            continue
        if cleaned["uscc"] in first_row:
            row.errors.append(("统一社会信用代码", f"{cleaned['uscc']} 与本文件第 {first_row[cleaned['uscc']]} 行重复"))
            continue
        first_row[cleaned["uscc"]] = number
        valid.append((number, cleaned))
    # Codes already registered: one query per chunk of the file, not one per row.
    codes = [c["uscc"] for _, c in valid]
    existing: set[str] = set()
    for i in range(0, len(codes), BATCH):
        existing.update(Enterprise.objects.filter(uscc__in=codes[i : i + BATCH]).values_list("uscc", flat=True))
    if existing:
        by_number = {r.number: r for r in result.rows}
        for number, cleaned in valid:
            if cleaned["uscc"] in existing:
                by_number[number].errors.append(("统一社会信用代码", f"{cleaned['uscc']} 已登记，不能重复导入"))
    if progress is not None:
        progress(total, total, f"已校验 {total} 行" + ("，正在写入" if commit and not result.has_errors else ""))
    if commit and not result.has_errors:
        with transaction.atomic():
            Enterprise.objects.bulk_create([Enterprise(**c) for _, c in valid], batch_size=BATCH)
            log_operation(user=by, action="导入市场主体", summary=f"导入 {len(valid)} 户市场主体", ip=ip)
        result.committed = True
    return result


# ---------------------------------------------------------------- the check and the import, as background jobs
# core's import job (`core.imports.import_job_start` / `import_job_run`) under kinds of their own.


def upload_is_large(uploaded) -> bool:
    """Whether an upload is checked by a job rather than in the request (a preview of 100k rows takes a minute)."""
    return core_imports.upload_is_large(uploaded, inline_bytes=INLINE_BYTES)


def _pages() -> dict:
    return {
        "page_url": reverse("inspections:enterprise_import"),
        "confirm_url": reverse("inspections:enterprise_import_confirm"),
    }


def enterprise_import_start(*, by, token: str, ip=None, check_only: bool = False):
    """Import (or, `check_only`, just check) an upload kept by `upload_store`, as a job of `by` (我的任务); returns
    the Job. The upload stays in default_storage until a job has imported it."""
    return core_imports.import_job_start(
        IMPORTER,
        by=by,
        name=JOB_NAME,
        token=token,
        ip=ip,
        check_only=check_only,
        kind=CHECK_KIND if check_only else JOB_KIND,
        inline_bytes=INLINE_BYTES,
        **_pages(),
    )


def _run_job(job, params: dict, *, commit: bool) -> Outcome:
    # job_progress looked up here, at run time, so that a test can listen to it
    return core_imports.import_job_run(
        job, {**_pages(), **params, "check_only": not commit}, importer=IMPORTER, report=job_progress
    )


def enterprise_import_job(job, params: dict) -> Outcome:
    """The confirmed import: all-or-nothing as on the page, with progress; a failed check keeps its messages
    and the error list (an xlsx) on the job."""
    return _run_job(job, params, commit=True)


def enterprise_check_job(job, params: dict) -> Outcome:
    """The dry run of a large upload: nothing is written; the job page then offers the confirmation."""
    return _run_job(job, params, commit=False)


core_imports.register_job_importer(JOB_NAME, lambda: IMPORTER)
register_job_kind(JOB_KIND, label="导入市场主体", run=enterprise_import_job)
register_job_kind(CHECK_KIND, label="校验市场主体导入文件", run=enterprise_check_job)
