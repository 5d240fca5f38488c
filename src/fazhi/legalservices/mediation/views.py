"""Pages of 调解 (thin: parse, call a service or selector, render)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fazhi.core.actions import act, act_on_form
from fazhi.core.decorators import permission_required
from fazhi.core.errors import NotFound
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.masking import mask_name, mask_phone
from fazhi.core.models import Division, Unit
from fazhi.core.paging import CappedPaginator
from fazhi.core.scope import scope_q
from fazhi.legalservices.mediation import forms, rules, selectors, services
from fazhi.legalservices.mediation.permissions import case_actions, org_actions

VIEW = ("mediation.view", "mediation.manage")
MANAGE = "mediation.manage"
DETAIL = "legalservices:mediation:case_detail"

LIST_HEADERS = [
    "编号",
    "调解组织",
    "纠纷类型",
    "来源",
    "调解类别",
    "申请人",
    "被申请人",
    "涉及金额（元）",
    "受理日期",
    "状态",
    "调结日期",
]


def _filters(f) -> selectors.CaseFilters:
    return selectors.CaseFilters(
        q=f.value("q", ""),
        kind=f.value("kind", ""),
        source=f.value("source", ""),
        status=f.value("status", ""),
        date_from=f.value("date_from"),
        date_to=f.value("date_to"),
    )


@permission_required(*VIEW)
def case_list_view(request):
    f = forms.CaseFilterForm(request.GET)
    qs = selectors.case_list(user=request.user, filters=_filters(f))
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                c.number,
                c.org.name,
                c.get_kind_display(),
                c.get_source_display(),
                rules.category(c.source),
                mask_name(c.applicant),
                mask_name(c.respondent),
                float(c.amount),
                c.received_on,
                c.get_status_display(),
                c.closed_on,
            ]
            for c in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("矛盾纠纷调解"), LIST_HEADERS, rows, sheet="矛盾纠纷调解")
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "legalservices/mediation/case_list.html",
        {"filter": f, "page": page, "actions": case_actions(user=request.user, obj=None)},
    )


@permission_required(MANAGE)
def case_create_view(request):
    if "create" not in case_actions(user=request.user, obj=None):
        raise PermissionDenied("无权登记矛盾纠纷")
    form = forms.CaseForm(request.POST or None, orgs=selectors.org_list(user=request.user))

    def create(d):
        return services.case_register(
            by=request.user,
            org=d["org"],
            kind=d["kind"],
            source=d["source"],
            applicant=d["applicant"],
            applicant_phone=d["applicant_phone"],
            respondent=d["respondent"],
            facts=d["facts"],
            amount=d["amount"] or 0,
            received_on=d["received_on"] or None,
            complaint_id=d["complaint_id"],
            court_name=d["court_name"],
            court_case_no=d["court_case_no"],
            court_referred_on=d["court_referred_on"] or None,
        )

    done = act_on_form(request, form, create, done=lambda c: f"已登记 {c.number}", then=lambda c: (DETAIL, c.pk))
    return done or render(
        request,
        "legalservices/mediation/case_form.html",
        {"form": form, "source_citation": rules.SOURCE_CITATION},
        status=422 if request.method == "POST" else 200,
    )


def _detail(request, case, *, status=200, **forms_in):
    from fazhi.documents.selectors import documents_for

    actions = case_actions(user=request.user, obj=case)
    complaint_label, complaint_url = selectors.complaint_label(user=request.user, complaint_id=case.complaint_id)
    context = {
        "case": case,
        "actions": actions,
        "applicant": mask_name(case.applicant),
        "applicant_phone": mask_phone(case.applicant_phone) if case.applicant_phone else "",
        "respondent": mask_name(case.respondent),
        "sessions": selectors.case_sessions(case=case),
        # The agreement names the parties in full: only those who manage cases open it.
        "documents": documents_for(object_kind="mediation_case", object_id=case.pk)
        if _can_manage(request.user)
        else [],
        "complaint_label": complaint_label,
        "complaint_url": complaint_url,
        "session_form": forms_in.get("session_form") or forms.SessionForm(),
        "close_form": forms_in.get("close_form") or forms.CloseForm(),
        "follow_form": forms_in.get("follow_form") or forms.FollowUpForm(),
        "court_form": forms_in.get("court_form") or forms.CourtReturnForm(),
        "extend_form": forms_in.get("extend_form") or forms.CourtExtendForm(),
        "item": case.item if case.item_id else None,
    }
    return render(request, "legalservices/mediation/case_detail.html", context, status=status)


def _can_manage(user) -> bool:
    from fazhi.core.scope import has_permission

    return has_permission(user, MANAGE)


@permission_required(*VIEW)
def case_detail_view(request, pk):
    return _detail(request, selectors.case_get(user=request.user, pk=pk))


def _case_action(request, pk, *, action, form_cls, form_key, call, done):
    case = selectors.case_get(user=request.user, pk=pk)
    if action not in case_actions(user=request.user, obj=case):
        raise PermissionDenied("该纠纷现在不能执行此操作")
    form = form_cls(request.POST)
    return act_on_form(request, form, lambda d: call(case, d), done=done, then=(DETAIL, case.pk)) or _detail(
        request, case, status=422, **{form_key: form}
    )


@permission_required(MANAGE)
@require_POST
def case_session_view(request, pk):
    return _case_action(
        request,
        pk,
        action="session",
        form_cls=forms.SessionForm,
        form_key="session_form",
        call=lambda c, d: services.session_add(
            by=request.user, case=c, held_on=d["held_on"], place=d["place"], notes=d["notes"]
        ),
        done="已记录调解过程",
    )


@permission_required(MANAGE)
@require_POST
def case_close_view(request, pk):
    return _case_action(
        request,
        pk,
        action="close",
        form_cls=forms.CloseForm,
        form_key="close_form",
        call=lambda c, d: services.case_close(
            by=request.user,
            case=c,
            outcome=d["outcome"],
            closed_on=d["closed_on"] or None,
            agreement=d["agreement"],
            performance_terms=d["performance_terms"],
            next_channel=d["next_channel"],
            failure_reason=d["failure_reason"],
        ),
        done=lambda c: f"已调结：{c.get_status_display()}",
    )


@permission_required(MANAGE)
@require_POST
def case_follow_up_view(request, pk):
    return _case_action(
        request,
        pk,
        action="follow_up",
        form_cls=forms.FollowUpForm,
        form_key="follow_form",
        call=lambda c, d: services.case_follow_up(
            by=request.user, case=c, performance=d["performance"], note=d["note"], checked_on=d["checked_on"] or None
        ),
        done="已记录履行情况",
    )


@permission_required(MANAGE)
@require_POST
def case_court_return_view(request, pk):
    return _case_action(
        request,
        pk,
        action="court_return",
        form_cls=forms.CourtReturnForm,
        form_key="court_form",
        call=lambda c, d: services.court_return(by=request.user, case=c, returned_on=d["returned_on"] or None),
        done="已反馈法院",
    )


@permission_required(MANAGE)
@require_POST
def case_court_extend_view(request, pk):
    return _case_action(
        request,
        pk,
        action="court_extend",
        form_cls=forms.CourtExtendForm,
        form_key="extend_form",
        call=lambda c, d: services.court_extend(
            by=request.user, case=c, days=d["days"], ground=d["ground"], reason=d["reason"], on=d["on"] or None
        ),
        done=lambda c: f"委派调解期限已延长至 {c.court_due:%Y-%m-%d}",
    )


@permission_required(MANAGE)
def case_document_view(request, pk, doc_pk):
    from fazhi.core.attachments import attachment_response
    from fazhi.documents.selectors import documents_for

    case = selectors.case_get(user=request.user, pk=pk)
    if "view" not in case_actions(user=request.user, obj=case) or not _can_manage(request.user):
        raise NotFound()
    doc = documents_for(object_kind="mediation_case", object_id=case.pk).filter(pk=doc_pk).first()
    if doc is None:
        raise NotFound()
    return attachment_response(doc.attachment)


# ---------------------------------------------------------------- organisations


def _org_form(request, data=None):
    return forms.OrgForm(
        data,
        units=Unit.objects.filter(scope_q(request.user, unit_field=""), is_active=True),
        divisions=Division.objects.filter(is_active=True),
    )


@permission_required(*VIEW)
def org_list_view(request):
    q = request.GET.get("q", "").strip()[:50]
    state = request.GET.get("state", "")
    active = {"": True, "inactive": False, "all": None}.get(state, True)
    qs = selectors.org_list(user=request.user, q=q, active=active)
    actions = org_actions(user=request.user, obj=None)
    form = _org_form(request, request.POST or None) if "create" in actions else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("无权登记调解组织")
        done = act_on_form(
            request,
            form,
            lambda d: services.org_create(by=request.user, **d),
            done=lambda o: f"已登记 {o.name}",
            then=lambda o: ("legalservices:mediation:org_detail", o.pk),
        )
        if done:
            return done
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                o.name,
                o.get_kind_display(),
                o.unit.name,
                o.division.name,
                o.n_mediators,
                "启用" if o.is_active else "停用",
            ]
            for o in qs
        )
        headers = ["组织名称", "类型", "指导单位", "区划", "在任调解员", "状态"]
        return xlsx_response(export_filename("调解组织"), headers, rows)
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "legalservices/mediation/org_list.html",
        {"page": page, "q": q, "state": state, "form": form, "actions": actions},
        status=422 if request.method == "POST" else 200,
    )


def _org_page(request, org, *, status=200, form=None, edit_form=None):
    actions = org_actions(user=request.user, obj=org)
    if form is None and "mediator" in actions:
        form = forms.MediatorForm()
    if edit_form is None and "edit" in actions:
        edit_form = forms.OrgEditForm(
            initial={"name": org.name, "kind": org.kind, "division": org.division_id},
            divisions=Division.objects.filter(is_active=True),
        )
    mediators = [(m, mask_phone(m.phone) if m.phone else "") for m in selectors.org_mediators(org=org, active=None)]
    return render(
        request,
        "legalservices/mediation/org_detail.html",
        {"org": org, "mediators": mediators, "form": form, "edit_form": edit_form, "actions": actions},
        status=status,
    )


@permission_required(*VIEW)
def org_detail_view(request, pk):
    org = selectors.org_get(user=request.user, pk=pk)
    if request.method == "POST":
        if "mediator" not in org_actions(user=request.user, obj=org):
            raise PermissionDenied("无权管理该组织的调解员")
        form = forms.MediatorForm(request.POST)
        done = act_on_form(
            request,
            form,
            lambda d: services.mediator_add(by=request.user, org=org, **d),
            done=lambda m: f"已添加调解员 {m.name}",
            then=("legalservices:mediation:org_detail", org.pk),
        )
        return done or _org_page(request, org, status=422, form=form)
    return _org_page(request, org)


@permission_required(MANAGE)
@require_POST
def org_edit_view(request, pk):
    org = selectors.org_get(user=request.user, pk=pk)
    if "edit" not in org_actions(user=request.user, obj=org):
        raise PermissionDenied("无权修改该调解组织")
    form = forms.OrgEditForm(request.POST, divisions=Division.objects.filter(is_active=True))
    done = act_on_form(
        request,
        form,
        lambda d: services.org_update(by=request.user, org=org, **d),
        done="已修改调解组织",
        then=("legalservices:mediation:org_detail", org.pk),
    )
    return done or _org_page(request, org, status=422, edit_form=form)


@permission_required(MANAGE)
@require_POST
def org_active_view(request, pk):
    org = selectors.org_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    if ("activate" if active else "deactivate") not in org_actions(user=request.user, obj=org):
        raise PermissionDenied("无权启用或停用该调解组织")
    return act(
        request,
        lambda: services.org_set_active(by=request.user, org=org, active=active),
        done="已启用调解组织" if active else "已停用调解组织：不再登记新的纠纷，已有纠纷和统计不变",
        then=("legalservices:mediation:org_detail", org.pk),
    )


@permission_required(*VIEW)
def mediator_detail_view(request, pk, mediator_pk):
    org = selectors.org_get(user=request.user, pk=pk)
    mediator = selectors.mediator_get(org=org, pk=mediator_pk)
    form = None
    if "mediator" in org_actions(user=request.user, obj=org):
        data = request.POST if request.method == "POST" else None
        form = forms.MediatorForm(
            data, initial={"name": mediator.name, "phone": mediator.phone, "is_full_time": mediator.is_full_time}
        )
        if data is not None:
            done = act_on_form(
                request,
                form,
                lambda d: services.mediator_update(by=request.user, mediator=mediator, **d),
                done="已修改调解员",
                then=("legalservices:mediation:org_detail", org.pk),
            )
            if done:
                return done
    elif request.method == "POST":
        raise PermissionDenied("无权管理该组织的调解员")
    return render(
        request,
        "legalservices/mediation/mediator_detail.html",
        {
            "org": org,
            "mediator": mediator,
            "phone": mask_phone(mediator.phone) if mediator.phone else "",
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


@permission_required(MANAGE)
@require_POST
def mediator_active_view(request, pk, mediator_pk):
    org = selectors.org_get(user=request.user, pk=pk)
    mediator = selectors.mediator_get(org=org, pk=mediator_pk)
    if "mediator" not in org_actions(user=request.user, obj=org):
        raise PermissionDenied("无权管理该组织的调解员")
    active = request.POST.get("active") == "1"
    return act(
        request,
        lambda: services.mediator_set_active(by=request.user, mediator=mediator, active=active),
        done="调解员已复任" if active else "调解员已离任：不再安排新的调解，已有记录保留",
        then=("legalservices:mediation:org_detail", org.pk),
    )


# ---------------------------------------------------------------- statistics


def _stats(request):
    f = forms.StatsForm(request.GET)
    dimension = f.value("dimension", "org")
    rows = selectors.mediation_stats(user=request.user, dimension=dimension, start=f.value("start"), end=f.value("end"))
    return f, dimension, rows


STATS_HEADERS = ["受理", "调结", "调解成功", "成功率（%）", "涉及金额（元）", "成功涉及金额（元）"]


@permission_required(*VIEW)
def stats_view(request):
    from fazhi.core.errors import DomainError

    try:
        f, dimension, rows = _stats(request)
    except DomainError as exc:
        f = forms.StatsForm(request.GET)
        f.is_valid()
        f.add_domain_error(exc)
        return render(request, "legalservices/mediation/stats.html", {"filter": f, "rows": []}, status=422)
    if request.GET.get("format") == "xlsx":
        out = (
            [r.label, r.received, r.mediated, r.success, r.success_rate, r.amount, r.success_amount]
            for r in [*rows, selectors.stats_totals(rows)]
        )
        return xlsx_response(export_filename("调解统计"), [selectors.DIMENSIONS[dimension], *STATS_HEADERS], out)
    return render(
        request,
        "legalservices/mediation/stats.html",
        {
            "filter": f,
            "rows": rows,
            "totals": selectors.stats_totals(rows),
            "dimension_label": selectors.DIMENSIONS[dimension],
            "chart_query": request.GET.urlencode(),
        },
    )


@permission_required(*VIEW)
def stats_chart_view(request):
    from fazhi.core.errors import DomainError
    from fazhi.documents.charts import bar_chart

    try:
        _, dimension, rows = _stats(request)
    except DomainError as exc:  # the page shows the message beside its field; the picture is simply absent
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    top = rows[:20]
    png = bar_chart(
        [r.label for r in top],
        [float(r.received) for r in top],
        f"矛盾纠纷受理件数（按{selectors.DIMENSIONS[dimension]}）",
    )
    return HttpResponse(png, content_type="image/png")


def case_url(case) -> str:
    return reverse(DETAIL, args=[case.pk])
