"""Pages of 通报与年度报告 (thin: parse, call a service or selector, render)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from fazhi.assessment.reports import forms, rules, selectors, services
from fazhi.assessment.reports.jobs import report_job_start
from fazhi.assessment.reports.permissions import report_actions
from fazhi.core.actions import act, act_on_form
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.models import Unit
from fazhi.core.paging import CappedPaginator
from fazhi.core.scope import scope_q

VIEW = ("report.view", "report.manage", "report.edit")
JOB_QUEUED = "已提交后台生成，完成后可从任务页打开报告"


def _job_page(job):
    return ("core:job_detail", job.pk)


DETAIL = "assessment:reports:report_detail"
HEADERS = ["标题", "种类", "报告单位", "年度", "季度", "状态", "发文字号", "发布日期"]


def _annual_units(user):
    qs = Unit.objects.filter(scope_q(user, unit_field=""), is_active=True, kind__in=("government", "agency"))
    return qs.order_by("sort_order", "name")


def _list_page(request, *, bulletin_form=None, annual_form=None, status=200):
    f = forms.FilterForm(request.GET)
    qs = selectors.report_list(
        user=request.user,
        q=f.value("q", ""),
        kind=f.value("kind", ""),
        year=f.value("year"),
        status=f.value("status", ""),
    )
    if request.GET.get("format") == "xlsx" and request.method == "GET":
        rows = (
            [
                r.title,
                r.get_kind_display(),
                r.unit.name,
                r.year,
                r.quarter or "",
                r.get_status_display(),
                r.number,
                r.published_on or "",
            ]
            for r in qs
        )
        return xlsx_response(export_filename("通报与年度报告"), HEADERS, rows, sheet="报告")
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/reports/list.html",
        {
            "filter": f,
            "page": page,
            "actions": report_actions(user=request.user, obj=None),
            "bulletin_form": bulletin_form or forms.BulletinForm(prefix="b"),
            "annual_form": annual_form or forms.AnnualForm(units=_annual_units(request.user), prefix="a"),
        },
        status=status,
    )


@permission_required(*VIEW)
def report_list_view(request):
    return _list_page(request)


@require_POST
@permission_required("report.manage")
def bulletin_generate_view(request):
    form = forms.BulletinForm(request.POST, prefix="b")

    def call(d):
        issuer = request.user.unit
        services.bulletin_generate_check(by=request.user, issuer=issuer, year=d["year"], quarter=d["quarter"])
        return report_job_start(
            by=request.user,
            action="bulletin",
            params={"unit": issuer.pk, "year": d["year"], "quarter": d["quarter"]},
            ip=client_ip(request),
        )

    return act_on_form(request, form, call, done=JOB_QUEUED, then=_job_page) or _list_page(
        request, bulletin_form=form, status=422
    )


@require_POST
@permission_required("report.manage", "report.edit")
def annual_generate_view(request):
    form = forms.AnnualForm(request.POST, units=_annual_units(request.user), prefix="a")

    def call(d):
        services.annual_generate_check(by=request.user, unit=d["unit"], year=d["year"])
        return report_job_start(
            by=request.user,
            action="annual",
            params={"unit": d["unit"].pk, "year": d["year"]},
            ip=client_ip(request),
        )

    return act_on_form(request, form, call, done=JOB_QUEUED, then=_job_page) or _list_page(
        request, annual_form=form, status=422
    )


def _detail(request, report, *, bound=None, status=200):
    actions = report_actions(user=request.user, obj=report)
    sections = selectors.report_sections(report=report)
    forms_by_key = {s.key: forms.SectionForm(initial={"key": s.key, "text": s.text}, prefix=s.key) for s in sections}
    if bound is not None:
        forms_by_key[bound.prefix] = bound
    return render(
        request,
        "assessment/reports/detail.html",
        {
            "r": report,
            "actions": actions,
            "sections": [(s, forms_by_key.get(s.key)) for s in sections],
            "table": selectors.report_figure_table(report=report),
            "comment_form": forms.CommentForm(),
            "reason_form": forms.ReasonForm(),
            "citation": rules.ANNUAL_REPORT_CITATION if report.kind == rules.ANNUAL else rules.BULLETIN_POLICY,
        },
        status=status,
    )


@permission_required(*VIEW)
def report_detail_view(request, pk: int):
    return _detail(request, selectors.report_get(user=request.user, pk=pk))


@require_POST
@permission_required("report.manage", "report.edit")
def section_edit_view(request, pk: int):
    report = selectors.report_get(user=request.user, pk=pk)
    key = request.POST.get("section", "")
    form = forms.SectionForm(request.POST, prefix=key)

    def call(d):
        return services.section_edit(
            by=request.user, report=report, key=d["key"], text=d["text"], ip=client_ip(request)
        )

    return act_on_form(request, form, call, done="章节已保存，重新生成时保留", then=(DETAIL, pk)) or _detail(
        request, report, bound=form, status=422
    )


def _step(request, pk: int, call, done: str):
    report = selectors.report_get(user=request.user, pk=pk)
    return act(request, lambda: call(report), done=done, then=(DETAIL, pk))


@require_POST
@permission_required("report.manage", "report.edit")
def report_regenerate_view(request, pk: int):
    report = selectors.report_get(user=request.user, pk=pk)

    def call():
        services.regenerate_check(by=request.user, report=report)
        return report_job_start(
            by=request.user, action="regenerate", params={"report": report.pk}, ip=client_ip(request)
        )

    # Refused (not a draft any more): back to the report with the reason.
    return act(request, call, done=JOB_QUEUED, then=lambda job: _job_page(job) if job else (DETAIL, pk))


@require_POST
@permission_required("report.manage", "report.edit")
def report_submit_view(request, pk: int):
    return _step(
        request, pk, lambda r: services.annual_submit(by=request.user, report=r, ip=client_ip(request)), "已提交审核"
    )


@require_POST
@permission_required("report.manage")
def report_approve_view(request, pk: int):
    comment = request.POST.get("comment", "")
    return _step(
        request,
        pk,
        lambda r: services.annual_approve(by=request.user, report=r, comment=comment, ip=client_ip(request)),
        "已批准",
    )


@require_POST
@permission_required("report.manage")
def report_return_view(request, pk: int):
    reason = request.POST.get("reason", "")
    return _step(
        request,
        pk,
        lambda r: services.annual_return(by=request.user, report=r, reason=reason, ip=client_ip(request)),
        "已退回修改",
    )


@require_POST
@permission_required("report.manage")
def report_publish_view(request, pk: int):
    return _step(
        request, pk, lambda r: services.report_publish(by=request.user, report=r, ip=client_ip(request)), "已发布"
    )


@permission_required(*VIEW)
def report_document_view(request, pk: int):
    """The 公文: the stored one once published, else rendered from the draft as it stands."""
    from fazhi.assessment.reports.documents import report_docx
    from fazhi.core.attachments import attachment_response

    report = selectors.report_get(user=request.user, pk=pk)
    if report.document_id:
        return attachment_response(report.document.attachment)
    response = HttpResponse(
        report_docx(report), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report.title + '（草稿）.docx')}"
    return response


@permission_required(*VIEW)
def report_pdf_view(request, pk: int):
    """The same 公文 as PDF (LibreOffice); 503 with the reason when LibreOffice cannot render it."""
    from urllib.parse import quote

    from fazhi.assessment.reports.documents import report_pdf
    from fazhi.documents.gongwen import RenderError

    report = selectors.report_get(user=request.user, pk=pk)
    try:
        pdf, name = report_pdf(report)
    except RenderError as exc:
        return HttpResponse(
            f"无法生成 PDF：{exc}。请联系系统管理员。", status=503, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required(*VIEW)
def figure_records_view(request, pk: int, figure_pk: int):
    report = selectors.report_get(user=request.user, pk=pk)
    figure = selectors.figure_get(report=report, pk=figure_pk)
    records = selectors.figure_records(user=request.user, report=report, figure=figure)
    return render(request, "assessment/reports/figure.html", {"r": report, "f": figure, "records": records})
