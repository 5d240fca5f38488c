"""公文: 2,000 document numbers from 8 threads (no duplicate, no gap), and a 20-page report with 5 charts rendered
to .docx and to PDF (target ≤ 5 s, issue 11). Each timing has a floor measured in the same run: an empty
python-docx document for the .docx, an empty document through LibreOffice for the PDF (process start-up).

Run by bench/run.py after django.setup() and migrate.
"""

import datetime as dt
import io
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

THREADS, NUMBERS = 8, 2000
PARAGRAPH = (
    "各级行政执法机关要严格落实行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，"
    "规范行政执法程序，提升行政执法质量和效能，切实保护人民群众和市场主体的合法权益。"
) * 3
AGENCIES = ["市场监管局", "生态环境局", "交通运输局", "应急管理局", "城市管理局", "自然资源局"]


def _numbers() -> dict:
    from django.db import connection, transaction

    from fazhi.core.demo.build import build_org, build_users
    from fazhi.core.models import Unit
    from fazhi.documents.services import number_take

    with transaction.atomic():
        build_org()
        build_users()
    unit = Unit.objects.get(name="示例市司法局")
    doc_type = f"基准测试{uuid.uuid4().hex[:8]}"  # a fresh register each run
    year = dt.date.today().year
    taken, errors = [], []
    per_thread = NUMBERS // THREADS
    start = threading.Barrier(THREADS)

    def issue():
        try:
            start.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    taken.append(number_take(unit=unit, doc_type=doc_type, year=year, by=None, prefix="示司基").number)
        except Exception as exc:  # counted in the figures
            errors.append(repr(exc))
        finally:
            connection.close()

    workers = [threading.Thread(target=issue) for _ in range(THREADS)]
    began = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - began
    distinct = set(taken)
    return {
        "database": connection.vendor,
        "threads": THREADS,
        "numbers": len(taken),
        "duplicates": len(taken) - len(distinct),
        "gaps": (max(distinct) - len(distinct)) if distinct else 0,
        "errors": len(errors),
        "numbers_seconds": round(seconds, 3),
        "numbers_per_second": round(len(taken) / seconds, 1) if seconds else None,
    }


def _report(charts: list[bytes]):
    from fazhi.documents.gongwen import Figure, Gongwen

    body = []
    for section in range(5):
        body.append(f"{'一二三四五'[section]}、第{section + 1}部分 行政执法情况")
        body.append(Figure(charts[section], caption=f"图{section + 1}  各单位行政执法情况"))
        for sub in range(3):
            body.append(f"（{'一二三'[sub]}）具体情况")
            body.extend([PARAGRAPH] * 3)
    return Gongwen(
        issuer_mark="示例市司法局文件",
        number="示司发〔2026〕1号",
        title="示例市2026年度法治政府建设情况报告",
        recipients="市人民政府",
        body=body,
        signature="示例市司法局",
        date=dt.date(2026, 3, 5),
        cc=["市委依法治市办"],
    )


def _pages(pdf: bytes) -> int | None:
    if not shutil.which("pdfinfo"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    return next((int(line.split()[-1]) for line in out.splitlines() if line.startswith("Pages:")), None)


def _render() -> dict:
    from docx import Document

    from fazhi.documents.charts import bar_chart
    from fazhi.documents.gongwen import gongwen_docx, soffice_path, to_pdf

    began = time.perf_counter()
    empty = io.BytesIO()
    Document().save(empty)
    docx_floor = time.perf_counter() - began

    # The first chart pays for matplotlib's font lookup once per process: timed apart from the five.
    began = time.perf_counter()
    bar_chart(["预热"], [1], "预热")
    chart_warmup = time.perf_counter() - began
    began = time.perf_counter()
    charts = [bar_chart(AGENCIES, [(i * 7 + j * 3) % 20 + 1 for j in range(6)], f"图表 {i + 1}") for i in range(5)]
    charts_seconds = time.perf_counter() - began

    spec = _report(charts)
    began = time.perf_counter()
    docx = gongwen_docx(spec)
    docx_seconds = time.perf_counter() - began
    figures = {
        "charts": 5,
        "chart_warmup_seconds": round(chart_warmup, 3),
        "charts_seconds": round(charts_seconds, 3),
        "docx_floor_seconds": round(docx_floor, 4),
        "docx_seconds": round(docx_seconds, 3),
        "docx_ratio": round(docx_seconds / docx_floor, 1) if docx_floor else None,
        "docx_with_charts_seconds": round(docx_seconds + charts_seconds, 3),
        "docx_bytes": len(docx),
    }
    if not soffice_path():
        figures["pdf"] = "skipped: LibreOffice not installed"
        return figures
    began = time.perf_counter()
    to_pdf(empty.getvalue())
    pdf_floor = time.perf_counter() - began
    began = time.perf_counter()
    pdf = to_pdf(docx)
    pdf_seconds = time.perf_counter() - began
    figures.update(
        pages=_pages(pdf),
        pdf_floor_seconds=round(pdf_floor, 3),
        pdf_seconds=round(pdf_seconds, 3),
        pdf_ratio=round(pdf_seconds / pdf_floor, 2) if pdf_floor else None,
        total_seconds=round(charts_seconds + docx_seconds + pdf_seconds, 3),
    )
    return figures


def run() -> dict:
    return {**_numbers(), **_render()}
