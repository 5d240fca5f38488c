"""Pages of 法律顾问 (thin: parse, call a service or selector, render)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.decorators import permission_required
from fazhi.core.errors import NotFound
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.masking import mask_phone
from fazhi.core.models import Division, Unit
from fazhi.core.paging import CappedPaginator
from fazhi.core.scope import scope_q
from fazhi.legalservices.advisers import forms, rules, selectors, services
from fazhi.legalservices.advisers.permissions import adviser_actions, may_manage, opinion_actions

VIEW = ("adviser.view", "adviser.manage")
MANAGE = "adviser.manage"
OPINIONS = ("adviser.view", "adviser.manage", "opinion.request")


def _units(request):
    return Unit.objects.filter(scope_q(request.user, unit_field=""), is_active=True)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# ---------------------------------------------------------------- roster


@permission_required(*VIEW)
def adviser_list_view(request):
    q, kind = request.GET.get("q", "").strip()[:50], request.GET.get("kind", "")
    kind = kind if kind in rules.ADVISER_KIND_LABELS else ""
    qs = selectors.adviser_list(user=request.user, q=q, kind=kind)
    actions = adviser_actions(user=request.user, obj=None)
    form = forms.AdviserForm(request.POST or None, units=_units(request)) if "create" in actions else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("无权登记法律顾问")
        done = act_on_form(
            request,
            form,
            lambda d: services.adviser_create(by=request.user, **d),
            done=lambda a: f"已登记 {a.name}",
            then=lambda a: ("legalservices:advisers:adviser_detail", a.pk),
        )
        if done:
            return done
    if request.GET.get("format") == "xlsx":
        rows = ([a.get_kind_display(), a.name, a.firm, a.license_no, mask_phone(a.phone), a.unit.name] for a in qs)
        headers = ["类别", "姓名", "律师事务所或工作单位", "执业证号", "联系电话", "聘用（所在）单位"]
        return xlsx_response(export_filename("法律顾问名册"), headers, rows, sheet="法律顾问")
    return render(
        request,
        "legalservices/advisers/adviser_list.html",
        {
            "page": CappedPaginator(qs, 20).get_page(request.GET.get("page")),
            "q": q,
            "kind": kind,
            "kinds": rules.ADVISER_KINDS,
            "form": form,
            "actions": actions,
            "counts": selectors.yearly_counts(user=request.user, year=_year(request)),
        },
        status=422 if request.method == "POST" else 200,
    )


def _detail(
    request,
    adviser,
    *,
    status=200,
    contract_form=None,
    service_form=None,
    terminate_form=None,
    terminate_pk=None,
    edit_form=None,
):
    actions = adviser_actions(user=request.user, obj=adviser)
    return render(
        request,
        "legalservices/advisers/adviser_detail.html",
        {
            "adviser": adviser,
            "phone": mask_phone(adviser.phone) if adviser.phone else "",
            "actions": actions,
            "contracts": selectors.adviser_contracts(adviser=adviser),
            "services": selectors.adviser_services(adviser=adviser),
            "contract_form": contract_form or forms.ContractForm(villages=selectors.village_list(user=request.user)),
            "service_form": service_form or forms.ServiceForm(),
            "terminate_form": terminate_form or forms.TerminateForm(),
            "terminate_pk": terminate_pk,
            "edit_form": edit_form
            or forms.AdviserEditForm(
                initial={
                    "name": adviser.name,
                    "firm": adviser.firm,
                    "license_no": adviser.license_no,
                    "phone": adviser.phone,
                }
            ),
            "citation": rules.ADVISER_CITATION,
        },
        status=status,
    )


@permission_required(*VIEW)
def adviser_detail_view(request, pk):
    return _detail(request, selectors.adviser_get(user=request.user, pk=pk))


@permission_required(MANAGE)
@require_POST
def adviser_contract_view(request, pk):
    adviser = selectors.adviser_get(user=request.user, pk=pk)
    if "contract" not in adviser_actions(user=request.user, obj=adviser):
        raise PermissionDenied("无权登记该顾问的合同")
    form = forms.ContractForm(request.POST, villages=selectors.village_list(user=request.user))
    return act_on_form(
        request,
        form,
        lambda d: services.contract_create(by=request.user, adviser=adviser, **{**d, "fee": d["fee"] or 0}),
        done="已登记合同",
        then=("legalservices:advisers:adviser_detail", adviser.pk),
    ) or _detail(request, adviser, status=422, contract_form=form)


@permission_required(MANAGE)
@require_POST
def adviser_service_view(request, pk):
    adviser = selectors.adviser_get(user=request.user, pk=pk)
    if "service" not in adviser_actions(user=request.user, obj=adviser):
        raise PermissionDenied("无权登记该顾问的服务记录")
    form = forms.ServiceForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda d: services.service_record(by=request.user, adviser=adviser, **d),
        done="已登记服务记录",
        then=("legalservices:advisers:adviser_detail", adviser.pk),
    ) or _detail(request, adviser, status=422, service_form=form)


@permission_required(MANAGE)
@require_POST
def contract_terminate_view(request, pk, contract_pk):
    adviser = selectors.adviser_get(user=request.user, pk=pk)
    if "terminate" not in adviser_actions(user=request.user, obj=adviser):
        raise PermissionDenied("无权终止该顾问的合同")
    contract = selectors.contract_get(adviser=adviser, pk=contract_pk)
    form = forms.TerminateForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda d: services.contract_terminate(by=request.user, contract=contract, on=d["on"], reason=d["reason"]),
        done=lambda c: f"合同已于 {c.terminated_on:%Y-%m-%d} 终止",
        then=("legalservices:advisers:adviser_detail", adviser.pk),
    ) or _detail(request, adviser, status=422, terminate_form=form, terminate_pk=contract.pk)


@permission_required(MANAGE)
@require_POST
def adviser_edit_view(request, pk):
    adviser = selectors.adviser_get(user=request.user, pk=pk)
    if "edit" not in adviser_actions(user=request.user, obj=adviser):
        raise PermissionDenied("无权修改该顾问")
    form = forms.AdviserEditForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda d: services.adviser_update(by=request.user, adviser=adviser, **d),
        done="已修改顾问信息",
        then=("legalservices:advisers:adviser_detail", adviser.pk),
    ) or _detail(request, adviser, status=422, edit_form=form)


@permission_required(MANAGE)
@require_POST
def adviser_active_view(request, pk):
    adviser = selectors.adviser_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    if ("activate" if active else "deactivate") not in adviser_actions(user=request.user, obj=adviser):
        raise PermissionDenied("无权调整该顾问的在册状态")
    return act(
        request,
        lambda: services.adviser_set_active(by=request.user, adviser=adviser, active=active),
        done="已重新在册" if active else "已出册：不再登记新的合同、服务和意见，已有记录保留",
        then=("legalservices:advisers:adviser_detail", adviser.pk),
    )


# ---------------------------------------------------------------- villages and coverage


@permission_required(*VIEW)
def coverage_view(request):
    year = _year(request)
    rows = selectors.coverage_for(user=request.user, year=year)
    form = None
    if may_manage(request.user):
        form = forms.VillageForm(
            request.POST or None,
            units=_units(request).filter(kind="township"),
            divisions=Division.objects.filter(is_active=True),
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("无权登记村（社区）")
        done = act_on_form(
            request,
            form,
            lambda d: services.village_create(by=request.user, **d),
            done=lambda v: f"已登记 {v.name}",
            then="legalservices:advisers:coverage",
        )
        if done:
            return done
    if request.GET.get("format") == "xlsx":
        out = ([c.code, c.name, c.villages, c.covered, c.rate] for c in rows)
        return xlsx_response(
            export_filename(f"村居法律顾问覆盖率{year}"),
            ["区划代码", "区划", "村（社区）", "已配备", "覆盖率（%）"],
            out,
        )
    return render(
        request,
        "legalservices/advisers/coverage.html",
        {
            "year": year,
            "rows": rows,
            "uncovered": selectors.villages_uncovered(user=request.user, year=year)[:200],
            "form": form,
            "goal": rules.COVERAGE_GOAL,
        },
        status=422 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------- opinions


@permission_required(*OPINIONS)
def opinion_list_view(request):
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    status = status if status in dict(rules.OPINION_STATUSES) else ""
    qs = selectors.opinion_list(user=request.user, q=q, status=status)
    actions = opinion_actions(user=request.user, obj=None)
    form = None
    if "create" in actions:
        units = _units(request) if may_manage(request.user) else Unit.objects.filter(pk=request.user.unit_id)
        form = forms.OpinionForm(request.POST or None, units=units, initial={"unit": request.user.unit_id})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("无权提出法律意见请求")
        done = act_on_form(
            request,
            form,
            lambda d: services.opinion_request(by=request.user, **{**d, "deadline": d["deadline"] or None}),
            done="已提出法律意见请求",
            then=lambda o: ("legalservices:advisers:opinion_detail", o.pk),
        )
        if done:
            return done
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                o.requested_on,
                o.unit.name,
                o.get_kind_display(),
                o.subject,
                o.adviser.name if o.adviser_id else "",
                o.deadline,
                o.get_status_display(),
                o.answered_on,
                o.suggestions,
            ]
            for o in qs
        )
        headers = [
            "请求日期",
            "请求单位",
            "事项类型",
            "事项名称",
            "法律顾问",
            "答复期限",
            "状态",
            "出具日期",
            "意见建议（条）",
        ]
        return xlsx_response(export_filename("法律意见"), headers, rows, sheet="法律意见")
    return render(
        request,
        "legalservices/advisers/opinion_list.html",
        {
            "page": CappedPaginator(qs, 20).get_page(request.GET.get("page")),
            "q": q,
            "status": status,
            "statuses": rules.OPINION_STATUSES,
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


def _opinion_page(request, opinion, *, status=200, route_form=None, answer_form=None):
    from fazhi.documents.selectors import documents_for

    actions = opinion_actions(user=request.user, obj=opinion)
    try:
        related, related_url = services.related_label(
            user=request.user, kind=opinion.related_kind, pk=opinion.related_id
        )
    except NotFound:
        related, related_url = ("关联记录（无权查看）" if opinion.related_kind else ""), ""
    advisers = selectors.adviser_list(user=request.user).exclude(kind=rules.VILLAGE)
    return render(
        request,
        "legalservices/advisers/opinion_detail.html",
        {
            "opinion": opinion,
            "actions": actions,
            "related": related,
            "related_url": related_url,
            "documents": documents_for(object_kind="legal_opinion", object_id=opinion.pk),
            "route_form": route_form or forms.RouteForm(advisers=advisers),
            "answer_form": answer_form or forms.AnswerForm(),
        },
        status=status,
    )


@permission_required(*OPINIONS)
def opinion_detail_view(request, pk):
    opinion = selectors.opinion_get(user=request.user, pk=pk)
    if "view" not in opinion_actions(user=request.user, obj=opinion):
        raise NotFound()
    return _opinion_page(request, opinion)


@permission_required(MANAGE)
@require_POST
def opinion_route_view(request, pk):
    opinion = selectors.opinion_get(user=request.user, pk=pk)
    if "route" not in opinion_actions(user=request.user, obj=opinion):
        raise PermissionDenied("该请求不能分派")
    form = forms.RouteForm(request.POST, advisers=selectors.adviser_list(user=request.user).exclude(kind=rules.VILLAGE))
    return act_on_form(
        request,
        form,
        lambda d: services.opinion_route(by=request.user, opinion=opinion, adviser=d["adviser"]),
        done="已分派",
        then=("legalservices:advisers:opinion_detail", opinion.pk),
    ) or _opinion_page(request, opinion, status=422, route_form=form)


@permission_required(MANAGE)
@require_POST
def opinion_answer_view(request, pk):
    opinion = selectors.opinion_get(user=request.user, pk=pk)
    if "answer" not in opinion_actions(user=request.user, obj=opinion):
        raise PermissionDenied("该请求尚未分派或已答复")
    form = forms.AnswerForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda d: services.opinion_answer(
            by=request.user,
            opinion=opinion,
            text=d["text"],
            suggestions=d["suggestions"],
            answered_on=d["answered_on"] or None,
        ),
        done="已出具法律意见",
        then=("legalservices:advisers:opinion_detail", opinion.pk),
    ) or _opinion_page(request, opinion, status=422, answer_form=form)


@permission_required(*OPINIONS)
def opinion_document_view(request, pk, doc_pk):
    from fazhi.documents.selectors import documents_for

    opinion = selectors.opinion_get(user=request.user, pk=pk)
    if "view" not in opinion_actions(user=request.user, obj=opinion):
        raise NotFound()
    doc = documents_for(object_kind="legal_opinion", object_id=opinion.pk).filter(pk=doc_pk).first()
    if doc is None:
        raise NotFound()
    return attachment_response(doc.attachment)
