"""A report as a 公文 (.docx, GB/T 9704 via fazhi.documents) with its charts drawn from the stored figures."""

import datetime as dt

from django.utils import timezone

from fazhi.assessment.reports import rules
from fazhi.assessment.reports.models import AssessmentReport
from fazhi.documents.charts import bar_chart
from fazhi.documents.gongwen import Figure, Gongwen, gongwen_docx


def report_charts(report: AssessmentReport) -> list[tuple[str, bytes]]:
    """(caption, PNG): for each metric with data, its monthly series (annual) and its split by unit."""
    figures = list(report.figures.select_related("unit").order_by("id"))
    charts = []
    monthly: dict[str, list] = {}
    per_unit: dict[str, list] = {}
    for f in figures:
        if f.value is None:
            continue
        if f.month is not None:
            monthly.setdefault(f.metric, []).append(f)
        elif f.unit_id is not None:
            per_unit.setdefault(f.metric, []).append(f)
    for _code, rows in monthly.items():
        label = rows[0].label.split("（")[0]
        charts.append((f"{label}（按月）", bar_chart([f"{r.month}月" for r in rows], [r.value for r in rows], label)))
    for _code, rows in per_unit.items():
        rows = sorted(rows, key=lambda r: -r.value)[:15]
        label = rows[0].label
        names = [(r.unit.short_name or r.unit.name)[:6] for r in rows]
        charts.append((f"{label}（按单位）", bar_chart(names, [r.value for r in rows], label)))
    return charts


def report_docx(
    report: AssessmentReport, *, date: dt.date | None = None, charts: list[tuple[str, bytes]] | None = None
) -> bytes:
    """The 公文 of the report; `charts`: report_charts(report) when the caller already drew them."""
    body: list = []
    charts = report_charts(report) if charts is None else charts
    chart_after = "figures" if report.kind == rules.BULLETIN else "measures"
    for section in report.sections.order_by("order"):
        body.append(section.title)
        body.extend(p for p in section.text.split("\n") if p.strip())
        if section.key == chart_after:
            for n, (caption, png) in enumerate(charts, start=1):
                body.append(Figure(png, caption=f"图{n}  {caption}"))
    bulletin = report.kind == rules.BULLETIN
    return gongwen_docx(
        Gongwen(
            title=report.title,
            body=body,
            issuer_mark=f"{report.unit.name}文件" if bulletin else "",
            number=report.number,
            recipients="各区县人民政府，市政府各部门：" if bulletin else "",
            signature=report.unit.name,
            date=date or report.published_on or timezone.localdate(),
        )
    )


def report_pdf(report: AssessmentReport) -> tuple[bytes, str]:
    """(PDF, file name): the report rendered by LibreOffice (fazhi.documents.gongwen.to_pdf) from its 公文 — the
    stored one once published (refused if its bytes no longer match their SM3), else the draft as it stands.
    Raises RenderError when LibreOffice is missing, fails or times out."""
    from fazhi.core.attachments import attachment_digest
    from fazhi.documents.gongwen import RenderError, to_pdf

    if report.document_id:
        att = report.document.attachment
        if attachment_digest(att) != att.sm3:
            raise RenderError("公文文件已被改动或缺失，与登记的 SM3 不符，无法生成 PDF")
        with att.file.open("rb") as f:
            docx = f.read()
        return to_pdf(docx), f"{report.title}.pdf"
    return to_pdf(report_docx(report)), f"{report.title}（草稿）.pdf"
