"""Staff pages of complaints (thin: parse, call a service or selector, render)."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fazhi.complaints import forms, hotline_import, routing, selectors, services
from fazhi.complaints.models import CATEGORIES, SATISFACTION
from fazhi.complaints.permissions import complaint_actions
from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError
from fazhi.core.exports import export_filename, xlsx_file_response, xlsx_response
from fazhi.core.forms import add_domain_error
from fazhi.core.imports import (
    errors_xlsx,
    import_job_start,
    template_xlsx,
    upload_is_large,
    upload_open,
    upload_store,
)
from fazhi.core.normalize import parse_date
from fazhi.core.paging import COUNT_CAP, CappedPaginator
from fazhi.core.reveal import reveal_request
from fazhi.core.scope import has_permission
from fazhi.tracking.rules import LIGHTS

LIST_HEADERS = [
    "查询码",
    "渠道",
    "类别",
    "状态",
    "收到时间",
    "承办单位",
    "办理期限",
    "亮牌",
    "发生地点",
    "被投诉对象",
    "投诉内容",
    "12345工单号",
    "满意度",
]


@permission_required("complaint.view")
def complaint_list_view(request):
    f = forms.FilterForm(request.GET)
    filters = selectors.ComplaintFilters(
        q=f.value("q"),
        status=f.value("status"),
        category=f.value("category"),
        channel=f.value("channel"),
        light=f.value("light"),
    )
    export = request.GET.get("format") == "xlsx"
    # A page reads at most the paginator's capped count of rows; the export reads them all.
    qs = selectors.complaint_list(user=request.user, filters=filters, first=None if export else COUNT_CAP + 1)
    if export:
        rows = (
            [
                c.tracking_code,
                c.get_channel_display(),
                c.get_category_display(),
                c.get_status_display(),
                c.received_at,
                c.agency.name if c.agency_id else "",
                c.item.deadline if c.item_id else "",
                LIGHTS.get(c.light, "") if c.item_id else "",
                c.place,
                c.party,
                c.description,
                c.work_order_no or "",
                c.get_satisfaction_display(),
            ]
            for c in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("投诉举报"), LIST_HEADERS, rows, sheet="投诉举报")
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/list.html",
        {"filter": f, "page": page, "lights": LIGHTS, "can_triage": has_permission(request.user, "complaint.triage")},
    )


def _detail_context(request, complaint, **extra) -> dict:
    user = request.user
    actions = complaint_actions(user=user, obj=complaint)
    reveal_error = ""
    try:
        reason = reveal_request(request)
    except DomainError as exc:
        reason, reveal_error = None, exc.message
    ctx = {
        "c": complaint,
        "identity": selectors.complainant_identity(
            user=user, complaint=complaint, reveal_reason=reason, ip=client_ip(request)
        ),
        "reveal_error": reveal_error,
        "actions": actions,
        "may_reveal": "reveal" in actions,
        "replies": selectors.complaint_replies(complaint=complaint),
        "timeline": selectors.complaint_timeline(complaint=complaint),
        "transfers": selectors.complaint_transfers(complaint=complaint),
        "outbox": selectors.complaint_messages(complaint=complaint) if "outbox" in actions else [],
        "merged": complaint.merged.all(),
        "categories": CATEGORIES,
        "satisfaction": SATISFACTION,
        "lights": LIGHTS,
        "attachments": complaint.attachments.all(),
    }
    if "assign" in actions:
        ctx["suggestions"] = routing.suggest(complaint.description)
        ctx["agencies"] = selectors.assignable_agencies()
    if "merge" in actions:
        ctx["duplicates"] = selectors.complaint_duplicates(complaint=complaint)
    ctx.update(extra)
    return ctx


@permission_required("complaint.view")
def complaint_detail_view(request, pk: int):
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


def _act(request, pk: int, action, success: str):
    """Run one handling step from a POSTed form; a DomainError goes back to the page as a message."""
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    return act(request, lambda: action(complaint), done=success, then=("complaints:detail", pk))


@require_POST
@permission_required("complaint.triage")
def complaint_assign_view(request, pk: int):
    def run(c):
        try:
            agency = selectors.agency_ref(pk=request.POST.get("agency"))
        except DomainError:
            raise DomainError("请选择承办单位", field="agency") from None
        services.complaint_assign(
            by=request.user,
            complaint=c,
            agency=agency,
            category=request.POST.get("category", ""),
            comment=request.POST.get("comment", ""),
            ip=client_ip(request),
        )

    return _act(request, pk, run, "已受理并交办")


@require_POST
@permission_required("complaint.handle")
def complaint_reply_view(request, pk: int):
    return _act(
        request,
        pk,
        lambda c: services.complaint_reply(
            by=request.user,
            complaint=c,
            findings=request.POST.get("findings", ""),
            measures=request.POST.get("measures", ""),
            files=request.FILES.getlist("attachments"),
            ip=client_ip(request),
        ),
        "答复已提交，等待司法局审核",
    )


@require_POST
@permission_required("complaint.triage")
def complaint_approve_view(request, pk: int):
    return _act(
        request,
        pk,
        lambda c: services.complaint_approve(
            by=request.user, complaint=c, comment=request.POST.get("comment", ""), ip=client_ip(request)
        ),
        "答复已审核通过并告知投诉人",
    )


@require_POST
@permission_required("complaint.triage")
def complaint_return_view(request, pk: int):
    return _act(
        request,
        pk,
        lambda c: services.complaint_return(
            by=request.user, complaint=c, reason=request.POST.get("reason", ""), ip=client_ip(request)
        ),
        "答复已退回",
    )


@require_POST
@permission_required("complaint.triage")
def complaint_review_close_view(request, pk: int):
    return _act(
        request,
        pk,
        lambda c: services.complaint_review_close(
            by=request.user, complaint=c, comment=request.POST.get("comment", ""), ip=client_ip(request)
        ),
        "已复核办结",
    )


@require_POST
@permission_required("complaint.triage")
def complaint_out_of_scope_view(request, pk: int):
    return _act(
        request,
        pk,
        lambda c: services.complaint_out_of_scope(
            by=request.user,
            complaint=c,
            reason=request.POST.get("reason", ""),
            transferred_to=request.POST.get("transferred_to", ""),
            ip=client_ip(request),
        ),
        "已作不予受理（转办）处理",
    )


@require_POST
@permission_required("complaint.triage")
def complaint_merge_view(request, pk: int):
    def run(primary):
        duplicate = selectors.complaint_ref(user=request.user, pk=request.POST.get("duplicate"), field="duplicate")
        services.complaint_merge(by=request.user, primary=primary, duplicate=duplicate, ip=client_ip(request))

    return _act(request, pk, run, "重复投诉已合并")


@require_POST
@permission_required("complaint.triage")
def discipline_transfer_view(request, pk: int):
    return _act(
        request,
        pk,
        lambda c: services.discipline_transfer(
            by=request.user,
            complaint=c,
            organ=request.POST.get("organ", ""),
            reason=request.POST.get("reason", ""),
            ip=client_ip(request),
        ),
        "已移送纪检监察机关",
    )


@require_POST
@permission_required("complaint.triage")
def discipline_follow_up_view(request, pk: int):
    transfer = selectors.discipline_transfer_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.discipline_follow_up(
            by=request.user,
            transfer=transfer,
            follow_up=request.POST.get("follow_up", ""),
            result=request.POST.get("result", ""),
            ip=client_ip(request),
        ),
        done="跟踪情况已记录",
        then=("complaints:detail", transfer.complaint_id),
    )


@permission_required("complaint.view")
def attachment_view(request, pk: int):
    return attachment_response(selectors.attachment_get(user=request.user, pk=pk))


# ---------------------------------------------------------------- clues


@permission_required("clue.create")
def clue_create_view(request):
    form = forms.ClueForm(request.POST or None)

    def register(data):
        return services.clue_register(
            by=request.user,
            category=data["category"],
            description=data["description"],
            place=data["place"],
            party=data["party"],
            occurred_on=data["occurred_on"],
            agency_named=selectors.agency_by_name(name=data["agency"]),
            files=request.FILES.getlist("attachments"),
            ip=client_ip(request),
        )

    def then(complaint):
        if has_permission(request.user, "complaint.view"):
            return ("complaints:detail", complaint.pk)
        return "complaints:clue_create"

    return act_on_form(
        request, form, register, done=lambda c: f"问题线索已登记，编号 {c.tracking_code}", then=then
    ) or render(
        request,
        "complaints/clue_form.html",
        {"form": form, "agencies": selectors.assignable_agencies().values_list("name", flat=True)},
    )


# ---------------------------------------------------------------- 12345 import


def _hotline_import_page(request, form, *, result=None, token=""):
    return render(
        request,
        "complaints/hotline_import.html",
        {"form": form, "result": result, "token": token, "columns": hotline_import.IMPORTER.columns},
    )


def _hotline_job_start(request, token: str, *, check_only: bool = False):
    return import_job_start(
        hotline_import.IMPORTER,
        by=request.user,
        name=hotline_import.JOB_NAME,
        token=token,
        page_url=reverse("complaints:hotline_import"),
        confirm_url=reverse("complaints:hotline_import_confirm"),
        ip=client_ip(request),
        check_only=check_only,
    )


@permission_required("complaint.import")
def hotline_import_view(request):
    """Upload: a small file is checked here and shows its result; the import itself, and the check of a large
    file, run as a job of 我的任务 (100k orders take minutes), whose page shows the progress and the result."""
    form = forms.HotlineImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _hotline_import_page(request, form)
    upload = form.cleaned_data["file"]
    errors_wanted = bool(request.POST.get("errors_xlsx"))
    commit = form.cleaned_data["commit"] and not errors_wanted
    try:
        token = upload_store(
            user=request.user,
            uploaded=upload,
            extensions=hotline_import.EXTENSIONS,
            max_bytes=hotline_import.MAX_BYTES,
        )
        if commit or upload_is_large(upload):
            return redirect("core:job_detail", _hotline_job_start(request, token, check_only=not commit).pk)
        with upload_open(user=request.user, token=token) as fh:
            result = hotline_import.IMPORTER.run(fh, by=request.user, ip=client_ip(request))
    except DomainError as exc:
        add_domain_error(form, exc)
        return _hotline_import_page(request, form)
    if result.has_errors and errors_wanted:
        return xlsx_file_response("12345工单导入错误清单.xlsx", errors_xlsx(result))
    return _hotline_import_page(request, form, result=result, token=token)


@require_POST
@permission_required("complaint.import")
def hotline_import_confirm_view(request):
    """The import of a checked upload, as a job (我的任务): its page shows the progress and the counts."""
    try:
        job = _hotline_job_start(request, request.POST.get("token", ""))
    except DomainError as exc:
        form = forms.HotlineImportForm()
        add_domain_error(form, exc)
        return _hotline_import_page(request, form)
    return redirect("core:job_detail", job.pk)


@permission_required("complaint.import")
def hotline_template_view(request):
    return xlsx_file_response("12345热线工单导入模板.xlsx", template_xlsx(hotline_import.IMPORTER))


# ---------------------------------------------------------------- statistics


def _dates(request) -> tuple[dt.date | None, dt.date | None]:
    out = []
    for key, label in (("date_from", "开始日期"), ("date_to", "结束日期")):
        raw = request.GET.get(key, "")
        try:
            out.append(parse_date(raw, field=key, label=label) if raw else None)
        except DomainError as exc:
            messages.error(request, exc.message)
            out.append(None)
    return out[0], out[1]


STAT_HEADERS = [
    "维度",
    "收到",
    "受理",
    "已答复",
    "按期答复",
    "按期答复率",
    "平均办理用时（工作日）",
    "已评价",
    "满意率",
    "重新办理",
    "重办率",
]


@permission_required("complaint.stats")
def stats_view(request):
    dimension = request.GET.get("dimension", "agency")
    if dimension not in selectors.DIMENSIONS:
        dimension = "agency"
    date_from, date_to = _dates(request)
    rows = selectors.complaint_stats(user=request.user, dimension=dimension, date_from=date_from, date_to=date_to)
    if request.GET.get("format") == "xlsx":

        def pct(v):
            return "" if v is None else f"{v:.1%}"

        data = (
            [
                r.label,
                r.received,
                r.accepted,
                r.answered,
                r.on_time,
                pct(r.on_time_rate),
                "" if r.avg_days is None else r.avg_days,
                r.rated,
                pct(r.satisfaction_rate),
                r.reopened,
                pct(r.reopen_rate),
            ]
            for r in rows
        )
        return xlsx_response(
            export_filename(f"投诉统计_按{selectors.DIMENSIONS[dimension][0]}"), STAT_HEADERS, data, sheet="投诉统计"
        )
    chart = {
        "labels": [r.label for r in rows],
        "received": [r.received for r in rows],
        # No answered (or rated) complaint yet is no rate at all: null, which the chart draws as a gap, not 0 %.
        "on_time_rate": [None if r.on_time_rate is None else round(r.on_time_rate * 100, 1) for r in rows],
        "satisfaction_rate": [
            None if r.satisfaction_rate is None else round(r.satisfaction_rate * 100, 1) for r in rows
        ],
    }
    return render(
        request,
        "complaints/stats.html",
        {
            "rows": rows,
            "totals": selectors.stats_totals(rows),
            "dimension": dimension,
            "dimensions": [(k, v[0]) for k, v in selectors.DIMENSIONS.items()],
            "chart": chart,
            "date_from": request.GET.get("date_from", ""),
            "date_to": request.GET.get("date_to", ""),
            "query": request.GET.urlencode(),
        },
    )
