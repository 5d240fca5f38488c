"""Pages of 专项监督与责任追究 (thin: parse, call a service or selector, render)."""

from django import forms as django_forms
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.forms import add_domain_error
from fazhi.core.paging import CappedPaginator
from fazhi.supervision.accountability import forms as f
from fazhi.supervision.accountability import rules, selectors, services
from fazhi.supervision.accountability.permissions import (
    investigation_actions,
    proposal_actions,
    record_actions,
    referral_actions,
    typical_case_actions,
)
from fazhi.supervision.links import link_label
from fazhi.tracking.rules import LIGHTS

NS = "supervision:accountability"


def _page(request, qs, per_page: int = 20):
    return CappedPaginator(qs, per_page).get_page(request.GET.get("page"))


def _ip(request):
    return client_ip(request)


def _light_label(obj) -> str:
    return "已办结" if obj.item.status == "closed" else LIGHTS.get(getattr(obj, "light", ""), "")


# ---------------------------------------------------------------- investigations

INVESTIGATION_HEADERS = [
    "调查事项",
    "关联对象",
    "被调查单位",
    "状态",
    "立项日期",
    "调查期限",
    "亮牌",
    "调查通知书",
    "调查结论",
    "结论日期",
]


@permission_required("investigation.view")
def investigation_list_view(request):
    form = f.InvestigationFilterForm(request.GET)
    filters = selectors.InvestigationFilters(q=form.value("q"), status=form.value("status"), light=form.value("light"))
    qs = selectors.investigation_list(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                i.title,
                i.basis_label,
                i.unit.name,
                i.get_status_display(),
                i.opened_on,
                i.item.deadline,
                _light_label(i),
                i.notice_number,
                i.get_conclusion_display(),
                i.concluded_on,
            ]
            for i in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("专项监督调查"), INVESTIGATION_HEADERS, rows, sheet="专项监督调查")
    return render(
        request,
        "supervision/accountability/investigation_list.html",
        {
            "filter": form,
            "page": _page(request, qs),
            "actions": investigation_actions(user=request.user, obj=None),
        },
    )


def _investigation_form(request, data=None, initial=None):
    return f.InvestigationForm(
        data,
        initial=initial,
        units=selectors.investigation_units(user=request.user),
        investigators=selectors.eligible_investigators(),
    )


@permission_required("investigation.manage")
def investigation_create_view(request):
    initial = {
        "basis_kind": request.GET.get("basis_kind", "case"),
        "basis_id": request.GET.get("basis_id", ""),
        "investigators": [request.user.pk],
    }
    form = _investigation_form(request, request.POST or None, initial)

    def run(data):
        basis_id = selectors.basis_lookup(user=request.user, kind=data["basis_kind"], ref=data["basis_id"])
        return services.investigation_open(
            by=request.user,
            basis_kind=data["basis_kind"],
            basis_id=basis_id,
            title=data["title"],
            reason=data["reason"],
            investigators=[u.pk for u in data["investigators"]],
            unit=data["unit"],
            ip=_ip(request),
        )

    if request.method == "POST":
        response = act_on_form(
            request, form, run, done="专项监督调查已立项", then=lambda i: (f"{NS}:investigation_detail", i.pk)
        )
        if response:
            return response
    return render(
        request,
        "supervision/accountability/investigation_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def _investigation_page(request, investigation, status: int = 200, **bound):
    user = request.user
    actions = investigation_actions(user=user, obj=investigation)
    referrals = list(selectors.investigation_referrals(investigation=investigation))
    follow_forms = {}
    for r in referrals:
        if "follow_up" in referral_actions(user=user, obj=r):
            follow_forms[r.pk] = bound.get(f"follow_up_{r.pk}") or f.FollowUpForm(referral=r)
    ctx = {
        "inv": investigation,
        "actions": actions,
        "link": link_label(user=user, kind=investigation.basis_kind, pk=investigation.basis_id),
        "kind_label": {"case": "行政处罚案件", "complaint": "投诉举报 / 问题线索"}.get(investigation.basis_kind, ""),
        "investigators": investigation.investigators.select_related("unit"),
        "steps": selectors.investigation_steps(investigation=investigation),
        "referrals": [(r, follow_forms.get(r.pk)) for r in referrals],
        "documents": selectors.investigation_documents(investigation=investigation),
        "events": selectors.timeline(item_ids=[investigation.item_id]),
        "light_label": _light_label(investigation),
        "step_form": bound.get("step") or f.StepForm(),
        "statement_form": bound.get("statement") or f.StatementForm(),
        "conclude_form": bound.get("conclude") or f.ConcludeForm(),
        "extend_form": bound.get("extend") or f.ExtendForm(),
        "refer_form": bound.get("refer") or f.ReferForm(),
        "rules": rules,
        "extension_max": rules.setting("INVESTIGATION_EXTENSION_MAX_DAYS"),
    }
    return render(request, "supervision/accountability/investigation_detail.html", ctx, status=status)


@permission_required("investigation.view")
def investigation_detail_view(request, pk: int):
    return _investigation_page(request, selectors.investigation_get(user=request.user, pk=pk))


def _investigation_action(request, pk: int, form_cls, name: str, call, done: str):
    """A POSTed form of the investigation page: accepted → back to the page; refused → the page again (422)
    with the problems beside the fields."""
    investigation = selectors.investigation_get(user=request.user, pk=pk)
    form = form_cls(request.POST)
    return act_on_form(
        request,
        form,
        lambda data: call(investigation, data),
        done=done,
        then=(f"{NS}:investigation_detail", investigation.pk),
    ) or _investigation_page(request, investigation, status=422, **{name: form})


@require_POST
@permission_required("investigation.manage", "investigation.join")
def investigation_step_view(request, pk: int):
    return _investigation_action(
        request,
        pk,
        f.StepForm,
        "step",
        lambda inv, d: services.investigation_step_record(
            by=request.user,
            investigation=inv,
            kind=d["kind"],
            done_on=d["done_on"],
            text=d["text"],
            files=request.FILES.getlist("attachments"),
            ip=_ip(request),
        ),
        "调查步骤已记录",
    )


@require_POST
@permission_required("accountability.respond")
def investigation_statement_view(request, pk: int):
    return _investigation_action(
        request,
        pk,
        f.StatementForm,
        "statement",
        lambda inv, d: services.investigation_statement(
            by=request.user,
            investigation=inv,
            text=d["text"],
            files=request.FILES.getlist("attachments"),
            ip=_ip(request),
        ),
        "说明已提交",
    )


@require_POST
@permission_required("investigation.manage")
def investigation_notice_view(request, pk: int):
    investigation = selectors.investigation_get(user=request.user, pk=pk)
    form = f.BootstrapForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda _d: services.investigation_notice_issue(by=request.user, investigation=investigation, ip=_ip(request)),
        done=lambda d: f"调查通知书已签发（{d.number}）",
        then=(f"{NS}:investigation_detail", investigation.pk),
    ) or _investigation_page(request, investigation, status=422, notice=form)


@require_POST
@permission_required("investigation.manage")
def investigation_extend_view(request, pk: int):
    return _investigation_action(
        request,
        pk,
        f.ExtendForm,
        "extend",
        lambda inv, d: services.investigation_extend(
            by=request.user, investigation=inv, days=d["days"], reason=d["reason"], ip=_ip(request)
        ),
        "调查期限已延长",
    )


@require_POST
@permission_required("investigation.manage")
def investigation_conclude_view(request, pk: int):
    return _investigation_action(
        request,
        pk,
        f.ConcludeForm,
        "conclude",
        lambda inv, d: services.investigation_conclude(
            by=request.user,
            investigation=inv,
            conclusion=d["conclusion"],
            findings=d["findings"],
            measures=d["measures"],
            propose=d["propose"],
            ip=_ip(request),
        ),
        "调查结论已作出，调查报告已生成",
    )


@require_POST
@permission_required("investigation.manage")
def investigation_refer_view(request, pk: int):
    return _investigation_action(
        request,
        pk,
        f.ReferForm,
        "refer",
        lambda inv, d: services.investigation_refer(
            by=request.user,
            investigation=inv,
            organ=d["organ"],
            reason=d["reason"],
            referred_on=d["referred_on"],
            ip=_ip(request),
        ),
        "已移送纪检监察机关，移送函已生成",
    )


@require_POST
@permission_required("investigation.manage")
def referral_follow_up_view(request, pk: int):
    referral = selectors.referral_get(user=request.user, pk=pk)
    form = f.FollowUpForm(request.POST, referral=referral)
    investigation = selectors.investigation_get(user=request.user, pk=referral.investigation_id)
    return act_on_form(
        request,
        form,
        lambda d: services.referral_follow_up(
            by=request.user, referral=referral, text=d["text"], result=d["result"], on=d["on"], ip=_ip(request)
        ),
        done="跟踪情况已记录",
        then=(f"{NS}:investigation_detail", referral.investigation_id),
    ) or _investigation_page(request, investigation, status=422, **{f"follow_up_{referral.pk}": form})


@permission_required("investigation.view")
def investigation_document_view(request, pk: int, document_pk: int):
    document = selectors.investigation_document_get(user=request.user, pk=pk, document_pk=document_pk)
    return attachment_response(document.attachment)


# ---------------------------------------------------------------- proposals

PROPOSAL_HEADERS = ["来源", "责任单位", "认定错误的理由", "提出日期", "处理期限", "亮牌", "状态", "不予追责理由"]


@permission_required("accountability.manage")
def proposal_list_view(request):
    form = f.ProposalFilterForm(request.GET)
    qs = selectors.proposal_list(user=request.user, q=form.value("q"), status=form.value("status"))
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                p.source_label,
                p.unit.name,
                p.reason,
                p.proposed_on,
                p.item.deadline,
                _light_label(p),
                p.get_status_display(),
                p.dismiss_reason,
            ]
            for p in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("追责建议"), PROPOSAL_HEADERS, rows, sheet="追责建议")
    return render(
        request, "supervision/accountability/proposal_list.html", {"filter": form, "page": _page(request, qs)}
    )


def _proposal_page(request, proposal, dismiss_form=None, status=200):
    return render(
        request,
        "supervision/accountability/proposal_detail.html",
        {
            "p": proposal,
            "actions": proposal_actions(user=request.user, obj=proposal),
            "events": selectors.timeline(item_ids=[proposal.item_id]),
            "dismiss_form": dismiss_form or f.ReasonForm(label="不予追责的理由"),
            "record": getattr(proposal, "record", None) if proposal.status == "opened" else None,
            "case": link_label(user=request.user, kind="case", pk=proposal.case_id) if proposal.case_id else None,
            "light_label": _light_label(proposal),
        },
        status=status,
    )


@permission_required("accountability.manage")
def proposal_detail_view(request, pk: int):
    return _proposal_page(request, selectors.proposal_get(user=request.user, pk=pk))


@require_POST
@permission_required("accountability.manage")
def proposal_dismiss_view(request, pk: int):
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    form = f.ReasonForm(request.POST, label="不予追责的理由")
    return act_on_form(
        request,
        form,
        lambda d: services.proposal_dismiss(by=request.user, proposal=proposal, reason=d["reason"], ip=_ip(request)),
        done="已作不予追责处理",
        then=(f"{NS}:proposal_detail", proposal.pk),
    ) or _proposal_page(request, proposal, form, status=422)


# ---------------------------------------------------------------- records

RECORD_HEADERS = [
    "案件",
    "来源",
    "责任单位",
    "责任人员",
    "状态",
    "立案日期",
    "办理期限",
    "亮牌",
    "过错与责任",
    "处理决定",
    "决定机关",
    "决定日期",
]


def _entry_text(e) -> str:
    if e.exempt:
        return f"{e.officer.name}：尽职免责（{e.get_exemption_ground_display()}）"
    if not e.decided:
        return f"{e.officer.name}：待决定"
    kinds = "、".join(s.get_kind_display() for s in e.sanctions.all())
    return f"{e.officer.name}：{e.get_fault_display()}，{kinds}"


@permission_required("accountability.view")
def record_list_view(request):
    form = f.RecordFilterForm(request.GET)
    filters = selectors.RecordFilters(
        q=form.value("q"), status=form.value("status"), year=form.value("year", None), light=form.value("light")
    )
    qs = selectors.record_list(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                r.case_label,
                r.source_label,
                r.unit.name,
                "、".join(e.officer.name for e in r.officers.all()),
                r.get_status_display(),
                r.opened_on,
                r.item.deadline,
                _light_label(r),
                "；".join(_entry_text(e) for e in r.officers.all()),
                r.decision,
                r.decision_organ,
                r.decision_on,
            ]
            for r in qs.iterator(chunk_size=500)
        )
        return xlsx_response(export_filename("错案责任追究"), RECORD_HEADERS, rows, sheet="错案责任追究")
    return render(
        request,
        "supervision/accountability/record_list.html",
        {"filter": form, "page": _page(request, qs), "actions": record_actions(user=request.user, obj=None)},
    )


def _record_source(request):
    """What a new record is opened on: (proposal, case id, unit), or (None, None, None) with the lookup form
    (and its problem) when no case is named yet or the one named is unknown."""
    user = request.user
    source = request.POST or request.GET
    if source.get("proposal"):
        proposal = selectors.proposal_get(user=user, pk=source.get("proposal"))
        return proposal, proposal.case_id, proposal.unit, None
    lookup = f.CaseLookupForm(source if source.get("case") is not None else None)
    if not source.get("case"):
        return None, None, None, lookup
    try:
        case_id, unit = selectors.case_and_unit(user=user, ref=source.get("case"), field="case")
    except DomainError as exc:
        lookup.is_valid()
        add_domain_error(lookup, exc)
        return None, None, None, lookup
    return None, case_id, unit, None


@permission_required("accountability.manage")
def record_create_view(request):
    """From a proposal (`?proposal=`), or directly for a case (`?case=` its 案号 or id): the officers of the case's
    enforcement body, the case's handlers preselected."""
    user = request.user
    proposal, case_id, unit, lookup = _record_source(request)
    if lookup is not None:
        return render(
            request,
            "supervision/accountability/record_form.html",
            {"lookup": lookup},
            status=422 if lookup.errors else 200,
        )
    initial = {"officers": selectors.case_handler_officer_ids(user=user, case_id=case_id) if case_id else []}
    if proposal is not None:
        initial["reason"] = proposal.reason
    form = f.RecordForm(request.POST or None, initial=initial, officers=selectors.unit_officers(user=user, unit=unit))
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.record_open(
                by=user,
                officers=[o.pk for o in d["officers"]],
                reason=d["reason"],
                proposal=proposal,
                case_id=None if proposal else case_id,
                ip=_ip(request),
            ),
            done="错案责任追究已立案",
            then=lambda r: (f"{NS}:record_detail", r.pk),
        )
        if response:
            return response
    return render(
        request,
        "supervision/accountability/record_form.html",
        {
            "form": form,
            "proposal": proposal,
            "case": link_label(user=user, kind="case", pk=case_id) if case_id else None,
            "case_ref": (request.POST or request.GET).get("case", ""),
            "unit": unit,
        },
        status=422 if form.errors else 200,
    )


def _record_page(request, record, status=200, **bound):
    user = request.user
    actions = record_actions(user=user, obj=record)
    entries = list(record.officers.select_related("officer"))
    return render(
        request,
        "supervision/accountability/record_detail.html",
        {
            "r": record,
            "actions": actions,
            "officers": selectors.record_officers(user=user, record=record),
            "case": link_label(user=user, kind="case", pk=record.case_id) if record.case_id else None,
            "documents": selectors.record_documents(record=record),
            "events": selectors.timeline(
                item_ids=[record.proposal.item_id if record.proposal_id else None, record.item_id]
            ),
            "decide_form": bound.get("decide") or f.DecideForm(entries=entries),
            "statement_form": bound.get("statement") or f.StatementForm(),
            "typical": selectors.typical_active_for_case(case_id=record.case_id) if record.case_id else None,
            "light_label": _light_label(record),
            "rules": rules,
        },
        status=status,
    )


@permission_required("accountability.view")
def record_detail_view(request, pk: int):
    return _record_page(request, selectors.record_get(user=request.user, pk=pk))


@require_POST
@permission_required("accountability.manage")
def record_decide_view(request, pk: int):
    record = selectors.record_get(user=request.user, pk=pk)
    form = f.DecideForm(request.POST, entries=list(record.officers.select_related("officer")))
    return act_on_form(
        request,
        form,
        lambda d: services.record_decide(
            by=request.user,
            record=record,
            outcomes=form.outcomes(),
            decision=d["decision"],
            decision_organ=d["decision_organ"],
            decision_on=d["decision_on"],
            ip=_ip(request),
        ),
        done="追责决定已登记",
        then=(f"{NS}:record_detail", record.pk),
    ) or _record_page(request, record, status=422, decide=form)


@require_POST
@permission_required("accountability.respond")
def record_statement_view(request, pk: int):
    record = selectors.record_get(user=request.user, pk=pk)
    form = f.StatementForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda d: services.record_statement(
            by=request.user, record=record, text=d["text"], files=request.FILES.getlist("attachments"), ip=_ip(request)
        ),
        done="说明已提交",
        then=(f"{NS}:record_detail", record.pk),
    ) or _record_page(request, record, status=422, statement=form)


@require_POST
@permission_required("accountability.manage")
def record_notice_view(request, pk: int):
    record = selectors.record_get(user=request.user, pk=pk)
    form = f.BootstrapForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda _d: services.record_notice_issue(by=request.user, record=record, ip=_ip(request)),
        done=lambda d: f"责任追究建议书已签发（{d.number}）",
        then=(f"{NS}:record_detail", record.pk),
    ) or _record_page(request, record, status=422)


@permission_required("accountability.view")
def record_document_view(request, pk: int, document_pk: int):
    document = selectors.record_document_get(user=request.user, pk=pk, document_pk=document_pk)
    return attachment_response(document.attachment)


# ---------------------------------------------------------------- statistics


def _stats_headers() -> list[str]:
    return [
        "责任单位",
        "追责记录",
        "已决定",
        "涉及人员",
        "尽职免责",
        *(label for _, label in rules.RESPONSIBILITY_CHOICES),
    ]


@permission_required("accountability.view")
def stats_view(request):
    form = f.StatsForm(request.GET)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    rows = selectors.accountability_stats(user=request.user, year=year)
    totals = selectors.stats_totals(rows)
    if request.GET.get("format") == "xlsx":
        data = ([r.unit, r.records, r.decided, r.officers, r.exempt, *r.kind_counts()] for r in [*rows, totals] if rows)
        return xlsx_response(export_filename(f"错案责任追究统计_{year}年"), _stats_headers(), data, sheet="追责统计")
    return render(
        request,
        "supervision/accountability/stats.html",
        {
            "year": year,
            "years": selectors.stats_years(user=request.user),
            "rows": rows,
            "totals": totals,
            "kinds": rules.RESPONSIBILITY_CHOICES,
        },
    )


# ---------------------------------------------------------------- typical cases

TYPICAL_HEADERS = ["标题", "案件", "执法单位", "状态", "选定日期", "发布日期", "撤回日期", "撤回理由"]


@permission_required("accountability.view")
def typical_list_view(request):
    form = f.TypicalFilterForm(request.GET)
    qs = selectors.typical_list(user=request.user, q=form.value("q"), status=form.value("status"))
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                t.title,
                t.case_label,
                t.unit.name,
                t.get_status_display(),
                t.marked_on,
                t.published_on,
                t.withdrawn_on,
                t.withdraw_reason,
            ]
            for t in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("典型案例通报"), TYPICAL_HEADERS, rows, sheet="典型案例通报")
    return render(
        request,
        "supervision/accountability/typical_list.html",
        {"filter": form, "page": _page(request, qs), "actions": typical_case_actions(user=request.user, obj=None)},
    )


@permission_required("accountability.manage")
def typical_create_view(request):
    """Choose a case (its 案号 or id), or an accountability record's case (`?record=`), and write the summary."""
    user = request.user
    record_pk = request.POST.get("record") or request.GET.get("record")
    record = selectors.record_get(user=user, pk=record_pk) if record_pk else None
    form = f.TypicalSourceForm(
        request.POST or None, initial={"record": record.pk if record else None, "case": request.GET.get("case", "")}
    )
    if record is not None:
        form.fields["case"].widget = django_forms.HiddenInput()

    def run(data):
        case_id = None
        if record is None:
            case_id = selectors.case_lookup(user=user, ref=data["case"], field="case")
        return services.typical_mark(
            by=user,
            case_id=case_id,
            record=record,
            title=data["title"],
            summary=data["summary"],
            lesson=data["lesson"],
            handling=data["handling"],
            ip=_ip(request),
        )

    if request.method == "POST":
        response = act_on_form(
            request, form, run, done="已选为典型案例（待发布）", then=lambda t: (f"{NS}:typical_detail", t.pk)
        )
        if response:
            return response
    return render(
        request,
        "supervision/accountability/typical_form.html",
        {"form": form, "record": record},
        status=422 if form.errors else 200,
    )


def _typical_page(request, typical, status=200, withdraw_form=None, publish_error=None):
    user = request.user
    actions = typical_case_actions(user=user, obj=typical)
    return render(
        request,
        "supervision/accountability/typical_detail.html",
        {
            "t": typical,
            "actions": actions,
            "preview": selectors.typical_preview(typical=typical) if typical.status == "draft" else None,
            "case": link_label(user=user, kind="case", pk=typical.case_id),
            "events": selectors.timeline(item_ids=[typical.item_id]),
            "documents": selectors.typical_documents(typical=typical),
            "withdraw_form": withdraw_form or f.ReasonForm(label="撤回理由"),
            "publish_error": publish_error,
            "light_label": _light_label(typical),
            "fields": rules.PUBLIC_FIELDS,
        },
        status=status,
    )


@permission_required("accountability.view")
def typical_detail_view(request, pk: int):
    return _typical_page(request, selectors.typical_get(user=request.user, pk=pk))


@permission_required("accountability.manage")
def typical_edit_view(request, pk: int):
    typical = selectors.typical_get(user=request.user, pk=pk)
    if "edit" not in typical_case_actions(user=request.user, obj=typical):
        return redirect(f"{NS}:typical_detail", typical.pk)
    initial = {name: getattr(typical, name) for name, _ in rules.PUBLIC_FIELDS}
    form = f.TypicalForm(request.POST or None, initial=initial)
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.typical_edit(
                by=request.user,
                typical=typical,
                title=d["title"],
                summary=d["summary"],
                lesson=d["lesson"],
                handling=d["handling"],
                ip=_ip(request),
            ),
            done="通报内容已保存",
            then=(f"{NS}:typical_detail", typical.pk),
        )
        if response:
            return response
    return render(
        request,
        "supervision/accountability/typical_form.html",
        {"form": form, "typical": typical},
        status=422 if form.errors else 200,
    )


@require_POST
@permission_required("accountability.manage")
def typical_publish_view(request, pk: int):
    typical = selectors.typical_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.typical_publish(by=request.user, typical=typical, ip=_ip(request)),
        done="典型案例已在公开平台发布",
        then=(f"{NS}:typical_detail", typical.pk),
        on_error=lambda exc: _typical_page(request, typical, status=422, publish_error=exc),
    )


@require_POST
@permission_required("accountability.manage")
def typical_withdraw_view(request, pk: int):
    typical = selectors.typical_get(user=request.user, pk=pk)
    form = f.ReasonForm(request.POST, label="撤回理由")
    return act_on_form(
        request,
        form,
        lambda d: services.typical_withdraw(by=request.user, typical=typical, reason=d["reason"], ip=_ip(request)),
        done="通报已撤回，公开平台不再显示",
        then=(f"{NS}:typical_detail", typical.pk),
    ) or _typical_page(request, typical, status=422, withdraw_form=form)


@permission_required("accountability.view")
def typical_document_view(request, pk: int, document_pk: int):
    document = selectors.typical_document_get(user=request.user, pk=pk, document_pk=document_pk)
    return attachment_response(document.attachment)
