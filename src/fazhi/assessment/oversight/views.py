"""Pages of 法治督察 (thin: parse, call a service or selector, render)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.assessment.oversight import forms, selectors, services
from fazhi.assessment.oversight.importers import ProblemImporter
from fazhi.assessment.oversight.permissions import campaign_actions, rectification_actions
from fazhi.core.actions import act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.exports import export_filename, xlsx_file_response, xlsx_response
from fazhi.core.forms import add_domain_error
from fazhi.core.imports import import_file, template_xlsx, upload_store
from fazhi.core.paging import CappedPaginator
from fazhi.tracking.rules import LIGHTS
from fazhi.tracking.rules import light as light_rule
from fazhi.tracking.selectors import yellow_until

VIEW = ("oversight.view", "oversight.manage")
CAMPAIGN = "assessment:oversight:campaign_detail"
DETAIL = "assessment:oversight:problem_detail"

LEDGER_HEADERS = [
    "督察",
    "问题方面",
    "序号",
    "问题描述",
    "责任单位",
    "整改期限",
    "期限依据",
    "状态",
    "亮牌",
    "销号日期",
    "退回次数",
]
CAMPAIGN_HEADERS = ["督察名称", "督察方式", "督察单位", "开始", "结束", "问题数", "整改事项", "已销号"]


@permission_required("oversight.manage")
def campaign_list_view(request):
    f = forms.CampaignFilterForm(request.GET)
    qs = selectors.campaign_list(user=request.user, q=f.value("q", ""), kind=f.value("kind", ""), year=f.value("year"))
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                c.title,
                c.get_kind_display(),
                c.lead_unit.name,
                c.period_start,
                c.period_end,
                c.problem_count,
                c.due_count,
                c.done_count,
            ]
            for c in qs
        )
        return xlsx_response(export_filename("法治督察"), CAMPAIGN_HEADERS, rows, sheet="法治督察")
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/oversight/campaign_list.html",
        {"filter": f, "page": page, "actions": campaign_actions(user=request.user, obj=None)},
    )


@permission_required("oversight.manage")
def campaign_create_view(request):
    if "create" not in campaign_actions(user=request.user, obj=None):
        raise Forbidden()
    form = forms.CampaignForm(request.POST or None, units=selectors.unit_choices(user=request.user))

    def create(d):
        return services.campaign_create(
            by=request.user,
            kind=d["kind"],
            title=d["title"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            units=list(d["units"]),
            scope=d["scope"],
            team=d["team"],
            ip=client_ip(request),
        )

    return act_on_form(request, form, create, done="督察已建立", then=lambda c: (CAMPAIGN, c.pk)) or render(
        request,
        "assessment/oversight/campaign_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


def _campaign_page(request, campaign, *, problem_form=None, import_form=None, preview=None, status=200):
    units = campaign.units.order_by("sort_order", "name")
    return render(
        request,
        "assessment/oversight/campaign_detail.html",
        {
            "c": campaign,
            "tree": selectors.campaign_problem_tree(campaign=campaign),
            "actions": campaign_actions(user=request.user, obj=campaign),
            "problem_form": problem_form or forms.ProblemForm(units=units),
            "import_form": import_form or forms.ImportForm(),
            "preview": preview,
            "units": units,
        },
        status=status,
    )


@permission_required(*VIEW)
def campaign_detail_view(request, pk: int):
    return _campaign_page(request, selectors.campaign_get(user=request.user, pk=pk))


@require_POST
@permission_required("oversight.manage")
def problem_add_view(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    form = forms.ProblemForm(request.POST, units=campaign.units.order_by("sort_order", "name"))

    def add(d):
        return services.problem_add(
            by=request.user,
            campaign=campaign,
            aspect=d["aspect"],
            description=d["description"],
            requirement=d["requirement"],
            units=list(d["units"]),
            deadline=d["deadline"],
            ip=client_ip(request),
        )

    return act_on_form(request, form, add, done="问题已交办", then=(CAMPAIGN, pk)) or _campaign_page(
        request, campaign, problem_form=form, status=422
    )


@require_POST
@permission_required("oversight.manage")
def problem_import_view(request, pk: int):
    """Two steps on one route: a file → dry run (nothing written) and a preview; the token → the import itself."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    if "import" not in campaign_actions(user=request.user, obj=campaign):
        raise Forbidden()
    form = forms.ImportForm(request.POST, request.FILES)
    form.is_valid()
    importer = ProblemImporter(campaign)
    commit = request.POST.get("step") == "commit"
    try:
        token = form.cleaned_data.get("token") or ""
        if not commit or not token:
            token = upload_store(user=request.user, uploaded=request.FILES.get("file"))
            commit = False
        result = import_file(importer, user=request.user, token=token, commit=commit, ip=client_ip(request))
    except DomainError as exc:
        add_domain_error(form, exc)
        return _campaign_page(request, campaign, import_form=form, status=422)
    if result.committed:
        from django.contrib import messages
        from django.shortcuts import redirect

        messages.success(request, f"已导入 {result.row_count} 个问题")
        return redirect(CAMPAIGN, pk)
    return _campaign_page(
        request,
        campaign,
        import_form=forms.ImportForm(initial={"token": token}),
        preview={"result": result, "token": token},
        status=422 if result.has_errors else 200,
    )


@permission_required("oversight.manage")
def problem_import_template_view(request):
    return xlsx_file_response("督察问题清单导入模板.xlsx", template_xlsx(ProblemImporter()))


@require_POST
@permission_required("oversight.manage")
def campaign_close_view(request, pk: int):
    from fazhi.core.actions import act

    campaign = selectors.campaign_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.campaign_close(by=request.user, campaign=campaign, ip=client_ip(request)),
        done="督察已结束",
        then=(CAMPAIGN, pk),
    )


# ---------------------------------------------------------------- the ledger and a rectification


def _ledger_filters(f) -> selectors.LedgerFilters:
    return selectors.LedgerFilters(
        q=f.value("q", ""), status=f.value("status", ""), light=f.value("light", ""), campaign=f.value("campaign")
    )


@permission_required(*VIEW)
def problem_list_view(request):
    f = forms.LedgerFilterForm(request.GET)
    qs = selectors.ledger(user=request.user, filters=_ledger_filters(f))
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                r.problem.campaign.title,
                r.problem.aspect.title,
                r.problem.order,
                r.problem.description,
                r.unit.name,
                r.deadline,
                r.item.deadline_source if r.item_id else "",
                r.get_status_display(),
                LIGHTS.get(r.light, ""),
                r.signed_off_on or "",
                r.returns,
            ]
            for r in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("督察整改台账"), LEDGER_HEADERS, rows, sheet="整改台账")
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/oversight/problem_list.html",
        {"filter": f, "page": page, "lights": LIGHTS, "counts": selectors.open_problem_counts(user=request.user)},
    )


PANEL_ACTIONS = {
    "plan": "plan",
    "report": "report",
    "signoff": "signoff",
    "return": "return",
    "link": "link",
    "clue": "refer",
}


def _detail(request, rect, *, bound: dict | None = None, status: int = 200):
    user = request.user
    actions = rectification_actions(user=user, obj=rect)
    panels = {
        "plan": forms.PlanForm(initial={"plan": rect.plan}),
        "report": forms.ReportForm(),
        "signoff": forms.SignoffForm(),
        "return": forms.ReturnForm(),
        "link": forms.LinkForm(),
        "clue": forms.ClueForm(),
    }
    panels.update(bound or {})
    orphaned = [
        m
        for panel, form in (bound or {}).items()
        if PANEL_ACTIONS[panel] not in actions
        for m in form.non_field_errors()
    ]
    today = timezone.localdate()
    light = ""
    if rect.item_id:
        item = rect.item
        light = light_rule(status=item.status, deadline=item.deadline, today=today, yellow_until=yellow_until(today))
    manager = "link" in actions
    return render(
        request,
        "assessment/oversight/problem_detail.html",
        {
            "r": rect,
            "p": rect.problem,
            "actions": actions,
            "forms": panels,
            "light": light,
            "reports": selectors.rectification_reports(rectification=rect),
            "evidence": selectors.rectification_evidence_count(rectification=rect),
            "links": selectors.problem_links(user=user, problem=rect.problem),
            "clues": selectors.problem_clues(problem=rect.problem) if manager else [],
            "feedback_form": forms.ClueFeedbackForm(),
            "timeline": selectors.rectification_timeline(rectification=rect),
            "orphaned": orphaned,
        },
        status=status,
    )


@permission_required(*VIEW)
def problem_detail_view(request, pk: int):
    return _detail(request, selectors.rectification_get(user=request.user, pk=pk))


def _on_form(request, pk: int, panel: str, form_class, call, done: str):
    rect = selectors.rectification_get(user=request.user, pk=pk)
    form = form_class(request.POST)
    return act_on_form(request, form, lambda d: call(rect, d), done=done, then=(DETAIL, pk)) or _detail(
        request, rect, bound={panel: form}, status=422
    )


@require_POST
@permission_required("oversight.rectify")
def problem_plan_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "plan",
        forms.PlanForm,
        lambda r, d: services.rectification_plan(
            by=request.user, rectification=r, plan=d["plan"], ip=client_ip(request)
        ),
        "整改方案已保存",
    )


@require_POST
@permission_required("oversight.rectify")
def problem_report_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "report",
        forms.ReportForm,
        lambda r, d: services.rectification_report(
            by=request.user,
            rectification=r,
            text=d["text"],
            files=request.FILES.getlist("attachments"),
            submit=d["hand_in"],
            ip=client_ip(request),
        ),
        "已提交，等待督察单位对账销号" if request.POST.get("hand_in") else "整改进展已报告",
    )


@require_POST
@permission_required("oversight.manage")
def problem_signoff_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "signoff",
        forms.SignoffForm,
        lambda r, d: services.rectification_signoff(
            by=request.user, rectification=r, comment=d["comment"], ip=client_ip(request)
        ),
        "已对账销号",
    )


@require_POST
@permission_required("oversight.manage")
def problem_return_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "return",
        forms.ReturnForm,
        lambda r, d: services.rectification_return(
            by=request.user, rectification=r, reason=d["reason"], ip=client_ip(request)
        ),
        "已退回责任单位",
    )


@require_POST
@permission_required("oversight.manage")
def problem_link_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "link",
        forms.LinkForm,
        lambda r, d: services.problem_link_add(
            by=request.user, rectification=r, kind=d["basis_kind"], object_id=d["basis_id"], ip=client_ip(request)
        ),
        "已关联",
    )


@require_POST
@permission_required("oversight.manage")
def problem_clue_view(request, pk: int):
    return _on_form(
        request,
        pk,
        "clue",
        forms.ClueForm,
        lambda r, d: services.clue_refer(
            by=request.user,
            rectification=r,
            recipient=d["recipient"],
            summary=d["summary"],
            referred_on=d["referred_on"],
            ip=client_ip(request),
        ),
        "线索已移送",
    )


@require_POST
@permission_required("oversight.manage")
def clue_feedback_view(request, pk: int):
    from django.contrib import messages
    from django.shortcuts import redirect

    clue = selectors.clue_get(user=request.user, pk=pk)
    rect = clue.problem.rectifications.filter(selectors.rectification_scope_q(request.user)).first()
    form = forms.ClueFeedbackForm(request.POST)
    back = (DETAIL, rect.pk) if rect else ("assessment:oversight:problem_list",)
    if form.is_valid():
        try:
            services.clue_feedback(
                by=request.user,
                clue=clue,
                feedback=form.cleaned_data["feedback"],
                feedback_on=form.cleaned_data["feedback_on"],
                close=form.cleaned_data["close"],
                ip=client_ip(request),
            )
            messages.success(request, "已登记办理反馈")
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "请填写办理反馈")
    return redirect(*back)


@permission_required(*VIEW)
def problem_file_view(request, pk: int, attachment_pk: int):
    return attachment_response(selectors.rectification_file_get(user=request.user, pk=pk, attachment_pk=attachment_pk))
