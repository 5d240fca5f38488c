"""API of 通报与年度报告 (/api/v1/assessment/reports/…): parse, call a service or selector, serialise."""

import datetime as dt
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from fazhi.assessment.reports import rules, selectors, services
from fazhi.assessment.reports.permissions import report_actions
from fazhi.core.apitypes import MAX_OFFSET
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError
from fazhi.core.models import Unit
from fazhi.core.tokens import PermissionAuth

router = Router(tags=["通报与年度报告"])

VIEW = PermissionAuth("report.view", "report.manage", "report.edit")
MANAGE = PermissionAuth("report.manage")
WRITE = PermissionAuth("report.manage", "report.edit")


class SectionOut(Schema):
    key: str
    title: str
    text: str
    edited: bool


class ReportsFigureOut(Schema):
    id: int
    metric: str
    label: str
    unit_id: int | None
    unit: str
    month: int | None
    period_start: dt.date
    period_end: dt.date
    value: int | None


class ReportRow(Schema):
    id: int
    kind: str
    title: str
    unit_id: int
    unit: str
    year: int
    quarter: int | None
    status: str
    number: str
    published_on: dt.date | None


class ReportsReportOut(ReportRow):
    sections: list[SectionOut]
    figures: list[ReportsFigureOut]
    deadline: dt.date | None
    actions: list[str]


class BulletinIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)


class AnnualIn(Schema):
    unit_id: int = Field(..., ge=1, le=2**62)
    year: int = Field(..., ge=2000, le=2100)


class ReportsSectionIn(Schema):
    text: str = Field(..., max_length=rules.TEXT_MAX)


class ReportsCommentIn(Schema):
    comment: str = Field("", max_length=1000)


class ReportsReasonIn(Schema):
    reason: str = Field(..., max_length=1000)


class ReportsRecordOut(Schema):
    label: str
    url: str


def _row(r) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "title": r.title,
        "unit_id": r.unit_id,
        "unit": r.unit.name,
        "year": r.year,
        "quarter": r.quarter,
        "status": r.status,
        "number": r.number,
        "published_on": r.published_on,
    }


def _out(request, pk: int) -> dict:
    r = selectors.report_get(user=request.auth, pk=pk)
    return {
        **_row(r),
        "sections": [
            {"key": s.key, "title": s.title, "text": s.text, "edited": s.edited}
            for s in selectors.report_sections(report=r)
        ],
        "figures": [
            {
                "id": f.pk,
                "metric": f.metric,
                "label": f.label,
                "unit_id": f.unit_id,
                "unit": f.unit.name if f.unit_id else "",
                "month": f.month,
                "period_start": f.period_start,
                "period_end": f.period_end,
                "value": f.value,
            }
            for f in r.figures.select_related("unit").order_by("id")
        ],
        "deadline": r.item.deadline if r.item_id else None,
        "actions": sorted(report_actions(user=request.auth, obj=r)),
    }


@router.get("/reports", auth=VIEW, response=list[ReportRow], summary="通报与年度报告列表（按数据范围）")
def report_list(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    year: int | None = Query(None, ge=2000, le=2100),
    status: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.report_list(user=request.auth, q=q, kind=kind, year=year, status=status)
    return [_row(r) for r in qs[offset : offset + limit]]


@router.post("/reports/bulletins", auth=MANAGE, response={201: ReportsReportOut}, summary="生成（或刷新）季度通报草稿")
def bulletin_generate(request: HttpRequest, payload: BulletinIn):
    if request.auth.unit is None:
        raise DomainError("本人没有所属单位，不能生成通报", field="unit")
    r = services.bulletin_generate(
        by=request.auth, issuer=request.auth.unit, year=payload.year, quarter=payload.quarter, ip=client_ip(request)
    )
    return Status(201, _out(request, r.pk))


@router.post("/reports/annual", auth=WRITE, response={201: ReportsReportOut}, summary="生成（或刷新）年度报告草稿")
def annual_generate(request: HttpRequest, payload: AnnualIn):
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise DomainError("报告单位不存在", field="unit_id")
    r = services.annual_generate(by=request.auth, unit=unit, year=payload.year, ip=client_ip(request))
    return Status(201, _out(request, r.pk))


@router.get("/reports/{int:pk}", auth=VIEW, response=ReportsReportOut, summary="报告详情（章节与数据）")
def report_detail(request: HttpRequest, pk: int):
    return _out(request, pk)


@router.put("/reports/{int:pk}/sections/{key}", auth=WRITE, response=ReportsReportOut, summary="修改章节正文")
def section_edit(request: HttpRequest, pk: int, key: str, payload: ReportsSectionIn):
    r = selectors.report_get(user=request.auth, pk=pk)
    services.section_edit(by=request.auth, report=r, key=key, text=payload.text, ip=client_ip(request))
    return _out(request, pk)


@router.post(
    "/reports/{int:pk}/regenerate", auth=WRITE, response=ReportsReportOut, summary="重新生成数据（保留人工修改）"
)
def report_regenerate(request: HttpRequest, pk: int):
    r = selectors.report_get(user=request.auth, pk=pk)
    services.regenerate(by=request.auth, report=r, ip=client_ip(request))
    return _out(request, pk)


@router.post("/reports/{int:pk}/submit", auth=WRITE, response=ReportsReportOut, summary="提交年度报告审核")
def report_submit(request: HttpRequest, pk: int):
    r = selectors.report_get(user=request.auth, pk=pk)
    services.annual_submit(by=request.auth, report=r, ip=client_ip(request))
    return _out(request, pk)


@router.post("/reports/{int:pk}/approve", auth=MANAGE, response=ReportsReportOut, summary="批准年度报告")
def report_approve(request: HttpRequest, pk: int, payload: ReportsCommentIn):
    r = selectors.report_get(user=request.auth, pk=pk)
    services.annual_approve(by=request.auth, report=r, comment=payload.comment, ip=client_ip(request))
    return _out(request, pk)


@router.post("/reports/{int:pk}/return", auth=MANAGE, response=ReportsReportOut, summary="退回年度报告修改")
def report_return(request: HttpRequest, pk: int, payload: ReportsReasonIn):
    r = selectors.report_get(user=request.auth, pk=pk)
    services.annual_return(by=request.auth, report=r, reason=payload.reason, ip=client_ip(request))
    return _out(request, pk)


@router.post(
    "/reports/{int:pk}/publish",
    auth=MANAGE,
    response=ReportsReportOut,
    summary="发布（通报取号印发；年度报告须已批准）",
)
def report_publish(request: HttpRequest, pk: int):
    r = selectors.report_get(user=request.auth, pk=pk)
    services.report_publish(by=request.auth, report=r, ip=client_ip(request))
    return _out(request, pk)


@router.get(
    "/reports/{int:pk}/figures/{int:figure_pk}/records",
    auth=VIEW,
    response=list[ReportsRecordOut],
    summary="某个数字所依据的记录（本人有权查看的，最多 200 条）",
)
def figure_records(request: HttpRequest, pk: int, figure_pk: int):
    r = selectors.report_get(user=request.auth, pk=pk)
    f = selectors.figure_get(report=r, pk=figure_pk)
    return [
        {"label": label, "url": url}
        for label, url in selectors.figure_records(user=request.auth, report=r, figure=f) or []
    ]


PDF_DOWNLOAD = {
    "responses": {
        "200": {
            "description": "PDF（由公文经 LibreOffice 生成）",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        "503": {"description": "未安装 LibreOffice 或生成失败"},
    }
}
DOCX_DOWNLOAD = {
    "responses": {
        "200": {
            "description": "公文（.docx；已发布的为存档文件，否则为草稿）",
            "content": {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                    "schema": {"type": "string", "format": "binary"}
                }
            },
        }
    }
}


@router.get(
    "/reports/{int:pk}/document",
    auth=VIEW,
    response={200: None},
    summary="下载报告公文（Word）",
    openapi_extra=DOCX_DOWNLOAD,
)
def report_document(request: HttpRequest, pk: int):
    from fazhi.assessment.reports.documents import report_docx
    from fazhi.core.attachments import attachment_response

    r = selectors.report_get(user=request.auth, pk=pk)
    if r.document_id:
        return attachment_response(r.document.attachment)
    response = HttpResponse(
        report_docx(r), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(r.title + '（草稿）.docx')}"
    return response


@router.get(
    "/reports/{int:pk}/pdf",
    auth=VIEW,
    response={200: None, 503: dict},
    summary="下载报告 PDF（LibreOffice 由公文生成）",
    openapi_extra=PDF_DOWNLOAD,
)
def report_pdf(request: HttpRequest, pk: int):
    from fazhi.assessment.reports.documents import report_pdf as render
    from fazhi.documents.gongwen import RenderError

    r = selectors.report_get(user=request.auth, pk=pk)
    try:
        pdf, name = render(r)
    except RenderError as exc:
        return Status(503, {"detail": f"无法生成 PDF：{exc}"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
