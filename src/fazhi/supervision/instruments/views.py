"""Pages of 监督文书 (thin: parse, call a service or selector, render)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import Forbidden
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.paging import CappedPaginator
from fazhi.supervision.instruments import forms, rules, selectors, services
from fazhi.supervision.instruments.permissions import instrument_actions, risk_actions
from fazhi.tracking.rules import LIGHTS
from fazhi.tracking.rules import light as light_rule
from fazhi.tracking.selectors import yellow_until

VIEW = ("instrument.view", "instrument.issue")
DETAIL = "supervision:instruments:instrument_detail"

LIST_HEADERS = [
    "发文字号",
    "种类",
    "标题",
    "主送单位",
    "发文单位",
    "状态",
    "签发日期",
    "回复期限",
    "期限依据",
    "亮牌",
    "退回次数",
    "来源",
]


def _filters(f: forms.FilterForm) -> selectors.InstrumentFilters:
    return selectors.InstrumentFilters(
        q=f.value("q", ""),
        kind=f.value("kind", ""),
        status=f.value("status", ""),
        light=f.value("light", ""),
        origin=f.value("origin", ""),
        date_from=f.value("date_from"),
        date_to=f.value("date_to"),
    )


@permission_required(*VIEW)
def instrument_list_view(request):
    f = forms.FilterForm(request.GET)
    qs = selectors.instrument_list(user=request.user, filters=_filters(f))
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                i.number,
                i.kind_label,
                i.title,
                i.recipient.name if i.recipient_id else "本辖区",
                i.issuing_unit.name,
                i.get_status_display(),
                i.issued_on,
                i.item.deadline if i.item_id and i.needs_reply else "",
                i.item.deadline_source if i.item_id and i.needs_reply else "",
                LIGHTS.get(i.light, "") if i.item_id and i.needs_reply else "",
                i.returns,
                i.get_origin_display(),
            ]
            for i in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("监督文书"), LIST_HEADERS, rows, sheet="监督文书")
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/instruments/list.html",
        {"filter": f, "page": page, "lights": LIGHTS, "actions": instrument_actions(user=request.user, obj=None)},
    )


def _instrument_form(request, *, instance=None, data=None):
    editing = instance is not None
    initial = None
    if editing:
        initial = {
            "recipient": instance.recipient_id,
            "title": instance.title,
            "decision_kind": instance.decision_kind,
            "facts": instance.facts,
            "requirements": instance.requirements,
            "interview_at": instance.interview_at,
            "interview_place": instance.interview_place,
            "reply_required": instance.reply_required,
        }
    elif request.GET.get("kind") in rules.KIND_LABELS:
        initial = {"kind": request.GET["kind"]}
    return forms.InstrumentForm(
        data, initial=initial, recipients=selectors.recipient_choices(user=request.user), editing=editing
    )


@permission_required("instrument.issue")
def instrument_create_view(request):
    form = _instrument_form(request, data=request.POST or None)

    def create(d):
        return services.instrument_create(
            by=request.user,
            kind=d["kind"],
            title=d["title"],
            facts=d["facts"],
            requirements=d["requirements"],
            recipient=d["recipient"],
            bases=[(d["basis_kind"], d["basis_id"])] if d["basis_kind"] or d["basis_id"] else [],
            decision_kind=d["decision_kind"],
            interview_at=d["interview_at"],
            interview_place=d["interview_place"],
            reply_required=d["reply_required"],
            ip=client_ip(request),
        )

    if "create" not in instrument_actions(user=request.user, obj=None):
        raise Forbidden()
    return act_on_form(
        request, form, create, done="草稿已保存，核对后即可签发", then=lambda i: (DETAIL, i.pk)
    ) or render(
        request,
        "supervision/instruments/form.html",
        {"form": form, "kind_basis": rules.KIND_BASIS, "instrument": None},
    )


@permission_required("instrument.issue")
def instrument_edit_view(request, pk: int):
    inst = selectors.instrument_get(user=request.user, pk=pk)
    if "edit" not in instrument_actions(user=request.user, obj=inst):
        raise Forbidden()
    form = _instrument_form(request, instance=inst, data=request.POST or None)

    def update(d):
        return services.instrument_update(
            by=request.user,
            instrument=inst,
            title=d["title"],
            facts=d["facts"],
            requirements=d["requirements"],
            recipient=d["recipient"],
            decision_kind=d["decision_kind"],
            interview_at=d["interview_at"],
            interview_place=d["interview_place"],
            reply_required=d["reply_required"],
            ip=client_ip(request),
        )

    return act_on_form(request, form, update, done="草稿已修改", then=(DETAIL, pk)) or render(
        request,
        "supervision/instruments/form.html",
        {"form": form, "kind_basis": rules.KIND_BASIS, "instrument": inst},
    )


PANEL_ACTIONS = {
    "issue": "issue",
    "reply": "reply",
    "accept": "accept",
    "return": "return",
    "discard": "discard",
    "interview": "record_interview",
    "basis": "edit",
}


def _detail(request, inst, *, bound: dict | None = None, status: int = 200):
    user = request.user
    actions = instrument_actions(user=user, obj=inst)
    panels = {
        "issue": forms.IssueForm(initial={"decision_kind": inst.decision_kind}),
        "reply": forms.ReplyForm(),
        "accept": forms.ReviewForm(),
        "return": forms.ReasonForm(),
        "discard": forms.ReasonForm(),
        "interview": forms.InterviewForm(initial={"place": inst.interview_place, "held_at": inst.interview_at}),
        "basis": forms.BasisForm(),
    }
    panels.update(bound or {})
    # A refusal whose form the page no longer offers (e.g. a reply for another unit) is shown above everything.
    orphaned = [
        message
        for panel, form in (bound or {}).items()
        if PANEL_ACTIONS[panel] not in actions
        for message in form.non_field_errors()
    ]
    item = inst.item
    light = ""
    if item is not None and inst.needs_reply:
        today = timezone.localdate()
        light = light_rule(status=item.status, deadline=item.deadline, today=today, yellow_until=yellow_until(today))
    record = getattr(inst, "interview_record", None) if inst.kind == rules.INTERVIEW else None
    return render(
        request,
        "supervision/instruments/detail.html",
        {
            "i": inst,
            "actions": actions,
            "forms": panels,
            "bases": selectors.instrument_bases(user=user, instrument=inst),
            "replies": selectors.instrument_replies(instrument=inst),
            "timeline": selectors.instrument_timeline(instrument=inst),
            "documents": selectors.instrument_documents(instrument=inst),
            "record": record,
            "light": light,
            "lights": LIGHTS,
            "kind_basis": rules.KIND_BASIS.get(inst.kind, ""),
            "decisions": inst.decisions.exclude(status=rules.DISMISSED) if inst.kind == rules.OPINION else [],
            "audience": inst.audience.all() if inst.kind == rules.BULLETIN else [],
            "orphaned": orphaned,
        },
        status=status,
    )


@permission_required(*VIEW)
def instrument_detail_view(request, pk: int):
    return _detail(request, selectors.instrument_get(user=request.user, pk=pk))


@permission_required(*VIEW)
def instrument_file_view(request, pk: int, attachment_pk: int):
    return attachment_response(selectors.instrument_file_get(user=request.user, pk=pk, attachment_pk=attachment_pk))


def _on_form(request, pk: int, panel: str, form_class, call, done: str, **form_kwargs):
    """A POSTed step with a small form: accepted → back to the page; refused → the page again (422) with the
    error beside the field it names."""
    inst = selectors.instrument_get(user=request.user, pk=pk)
    form = form_class(request.POST, **form_kwargs)
    return act_on_form(request, form, lambda d: call(inst, d), done=done, then=(DETAIL, pk)) or _detail(
        request, inst, bound={panel: form}, status=422
    )


@require_POST
@permission_required("instrument.issue")
def instrument_issue_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "issue",
        forms.IssueForm,
        lambda inst, d: services.instrument_issue(
            by=request.user, instrument=inst, decision_kind=d["decision_kind"] or None, ip=client_ip(request)
        ),
        "已签发并送达主送单位",
    )


@require_POST
@permission_required("instrument.issue")
def instrument_discard_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "discard",
        forms.ReasonForm,
        lambda inst, d: services.instrument_discard(
            by=request.user, instrument=inst, reason=d["reason"], ip=client_ip(request)
        ),
        "草稿已撤销",
    )


@require_POST
@permission_required("instrument.issue")
def instrument_basis_add_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "basis",
        forms.BasisForm,
        lambda inst, d: services.instrument_basis_add(
            by=request.user, instrument=inst, kind=d["basis_kind"], pk=d["basis_id"]
        ),
        "依据已关联",
    )


@require_POST
@permission_required("instrument.issue")
def instrument_basis_remove_view(request, pk: int):
    inst = selectors.instrument_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.instrument_basis_remove(by=request.user, instrument=inst, basis_id=request.POST.get("basis")),
        done="依据已移除",
        then=(DETAIL, pk),
    )


@require_POST
@permission_required("instrument.reply")
def instrument_acknowledge_view(request, pk: int):
    inst = selectors.instrument_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.instrument_acknowledge(by=request.user, instrument=inst, ip=client_ip(request)),
        done="已签收",
        then=(DETAIL, pk),
    )


@require_POST
@permission_required("instrument.reply")
def instrument_reply_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "reply",
        forms.ReplyForm,
        lambda inst, d: services.instrument_reply(
            by=request.user,
            instrument=inst,
            findings=d["findings"],
            measures=d["measures"],
            files=request.FILES.getlist("attachments"),
            ip=client_ip(request),
        ),
        "回复已提交，等待司法局审核",
    )


@require_POST
@permission_required("instrument.issue")
def instrument_accept_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "accept",
        forms.ReviewForm,
        lambda inst, d: services.instrument_accept(
            by=request.user, instrument=inst, comment=d["comment"], ip=client_ip(request)
        ),
        "回复已采纳，文书办结",
    )


@require_POST
@permission_required("instrument.issue")
def instrument_return_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "return",
        forms.ReasonForm,
        lambda inst, d: services.instrument_return(
            by=request.user, instrument=inst, reason=d["reason"], ip=client_ip(request)
        ),
        "回复已退回，请主送单位重新办理",
    )


@require_POST
@permission_required("instrument.issue")
def instrument_interview_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "interview",
        forms.InterviewForm,
        lambda inst, d: services.instrument_record_interview(
            by=request.user,
            instrument=inst,
            held_at=d["held_at"],
            place=d["place"],
            participants=d["participants"],
            content=d["content"],
            ip=client_ip(request),
        ),
        "约谈记录已保存",
    )


# ---------------------------------------------------------------- 执法风险预警提醒

RISK_HEADERS = [
    "执法部门",
    "统计期起",
    "统计期止",
    "规则校验预警",
    "预警阈值",
    "投诉举报",
    "投诉阈值",
    "触发情形",
    "状态",
    "工作提示函",
    "不予提示理由",
]


def _risk_page(request, *, status: int = 200, bound=None):
    f = forms.RiskFilterForm(request.GET)
    qs = selectors.risk_list(
        user=request.user, filters=selectors.RiskFilters(q=f.value("q", ""), status=f.value("status", ""))
    )
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    for p in page:
        p.allowed = risk_actions(user=request.user, obj=p)
    return render(
        request,
        "supervision/instruments/risks.html",
        {
            "filter": f,
            "page": page,
            "actions": risk_actions(user=request.user, obj=None),
            "thresholds": rules.risk_thresholds(),
            "source": rules.RISK_SOURCE,
            "bound": bound,
        },
        status=status,
    )


@permission_required("instrument.issue")
def risk_list_view(request):
    if request.GET.get("format") == "xlsx":
        f = forms.RiskFilterForm(request.GET)
        qs = selectors.risk_list(
            user=request.user, filters=selectors.RiskFilters(q=f.value("q", ""), status=f.value("status", ""))
        )
        rows = (
            [
                p.unit.name,
                p.period_start,
                p.period_end,
                p.warnings,
                p.warnings_threshold,
                p.complaints,
                p.complaints_threshold,
                p.reasons,
                p.get_status_display(),
                p.reminder.number or p.reminder.title if p.reminder_id else "",
                p.dismissed_reason,
            ]
            for p in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("执法风险预警"), RISK_HEADERS, rows, sheet="执法风险预警")
    return _risk_page(request)


@require_POST
@permission_required("instrument.issue")
def risk_scan_view(request):
    return act(
        request,
        lambda: services.risks_scan(by=request.user),
        done=lambda r: f"已完成计算：新增 {r['created']} 条预警提醒",
        then="supervision:instruments:risk_list",
    )


@require_POST
@permission_required("instrument.issue")
def risk_draft_view(request, pk: int):
    proposal = selectors.risk_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.risk_draft(by=request.user, proposal=proposal, ip=client_ip(request)),
        done="已拟制工作提示函草稿，核对后签发",
        then=lambda r: (DETAIL, r.pk) if r is not None else "supervision:instruments:risk_list",
    )


@require_POST
@permission_required("instrument.issue")
def risk_dismiss_view(request, pk: int):
    proposal = selectors.risk_get(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda d: services.risk_dismiss(by=request.user, proposal=proposal, reason=d["reason"], ip=client_ip(request)),
        done="已不予提示",
        then="supervision:instruments:risk_list",
    ) or _risk_page(request, status=422, bound={"pk": proposal.pk, "form": form})


# ---------------------------------------------------------------- statistics

STAT_HEADERS = ["主送单位", "应回复文书", "按期回复", "逾期", "办理中", "按期回复率"]


@permission_required(*VIEW)
def stats_view(request):
    f = forms.StatsForm(request.GET)
    rows = selectors.instrument_reply_stats(
        date_from=f.value("date_from"), date_to=f.value("date_to"), user=request.user
    )
    if request.GET.get("format") == "xlsx":
        data = (
            [
                r.unit,
                r.issued,
                r.replied_on_time,
                r.overdue,
                r.open,
                "" if r.on_time_rate is None else f"{r.on_time_rate:.1%}",
            ]
            for r in rows
        )
        return xlsx_response(export_filename("监督文书回复统计"), STAT_HEADERS, data, sheet="回复统计")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    totals = {
        "issued": sum(r.issued for r in rows),
        "replied_on_time": sum(r.replied_on_time for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "open": sum(r.open for r in rows),
    }
    return render(
        request,
        "supervision/instruments/stats.html",
        {"filter": f, "page": page, "totals": totals, "export": reverse("supervision:instruments:stats")},
    )
