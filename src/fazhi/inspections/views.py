"""Staff pages of 双随机、一公开. Thin: parse, call a service or selector, render."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import imports as core_imports
from fazhi.core.actions import act, act_on_form
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.exports import export_filename, xlsx_file_response, xlsx_response
from fazhi.core.masking import mask_name
from fazhi.core.reveal import reveal_request
from fazhi.inspections import forms as f
from fazhi.inspections import permissions as perms
from fazhi.inspections import rules, selectors, services
from fazhi.inspections.imports import IMPORTER, enterprise_import, enterprise_import_start, upload_is_large
from fazhi.inspections.models import RISK_LABELS, RISK_LEVELS, InspectionRecord, Plan


def _ip(request):
    return client_ip(request)


# ---------------------------------------------------------------- enterprises


@permission_required("inspection.view")
def enterprise_list_view(request):
    g = request.GET
    division = None
    if g.get("division"):
        division = selectors.divisions_all().filter(code=g.get("division")).first()
    qs = selectors.enterprise_list(
        user=request.user,
        q=g.get("q", ""),
        division=division,
        risk_level=g.get("risk_level", ""),
        industry=g.get("industry", ""),
        credit_grade=g.get("credit_grade", ""),
    )
    if g.get("format") == "xlsx":
        rows = (
            (
                e.uscc,
                e.name,
                e.get_kind_display(),
                e.industry,
                e.division.name,
                e.address,
                mask_name(e.legal_representative),
                e.get_risk_level_display(),
                e.credit_grade,
                e.group,
            )
            for e in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(
            export_filename("市场主体"),
            [
                "统一社会信用代码",
                "名称",
                "类型",
                "行业代码",
                "区划",
                "住所",
                "法定代表人",
                "风险等级",
                "信用等级",
                "企业分组",
            ],
            rows,
            sheet="市场主体",
        )
    page = Paginator(qs, 30).get_page(g.get("page"))
    for e in page.object_list:
        e.legal_rep_masked = mask_name(e.legal_representative)
    return render(
        request,
        "inspections/enterprise_list.html",
        {
            "page": page,
            "filters": g,
            "risk_levels": RISK_LEVELS,
            "divisions": selectors.divisions_all(),
            "actions": perms.enterprise_actions(user=request.user, obj=None),
        },
    )


@permission_required("inspection.view")
def enterprise_detail_view(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    actions = perms.enterprise_actions(user=request.user, obj=enterprise)
    reveal_error = ""
    try:
        reason = reveal_request(request)
    except DomainError as exc:
        reason, reveal_error = None, exc.message
    legal_rep = selectors.enterprise_legal_rep_display(
        user=request.user, enterprise=enterprise, reveal_reason=reason, ip=_ip(request)
    )
    return render(
        request,
        "inspections/enterprise_detail.html",
        {
            "e": enterprise,
            "legal_rep": legal_rep,
            "actions": actions,
            "may_reveal": "reveal" in actions and reason is None,
            "reveal_error": reveal_error,
            "records": selectors.enterprise_inspections(user=request.user, enterprise=enterprise)[:50],
        },
    )


@permission_required("inspection.manage")
def enterprise_create_view(request):
    form = f.EnterpriseForm(request.POST or None, divisions=selectors.divisions_all())
    return act_on_form(
        request,
        form,
        lambda d: services.enterprise_create(by=request.user, ip=_ip(request), **d),
        done=lambda e: f"已登记“{e.name}”",
        then=lambda e: ("inspections:enterprise_detail", e.pk),
    ) or render(
        request,
        "inspections/form.html",
        {"form": form, "title": "登记市场主体", "back": "inspections:enterprise_list"},
        status=422 if form.errors else 200,
    )


def _import_page(request, *, result=None, token="", file_error=""):
    return render(
        request,
        "inspections/enterprise_import.html",
        {
            "importer": IMPORTER,
            "result": result,
            "token": token,
            "file_error": file_error,
            "preview": result.rows[:200] if result else [],
        },
    )


@permission_required("inspection.manage")
def enterprise_import_view(request):
    if request.method != "POST":
        return _import_page(request)
    uploaded = request.FILES.get("file")
    try:
        token = core_imports.upload_store(user=request.user, uploaded=uploaded)
        if upload_is_large(uploaded):  # checked by a job: its page shows the progress, then the confirmation
            job = enterprise_import_start(by=request.user, token=token, ip=_ip(request), check_only=True)
            return redirect("core:job_detail", job.pk)
        with core_imports.upload_open(user=request.user, token=token) as fh:
            result = enterprise_import(by=request.user, fileobj=fh, commit=False, ip=_ip(request))
    except DomainError as exc:
        return _import_page(request, file_error=exc.message)
    return _import_page(request, result=result, token=token)


@require_POST
@permission_required("inspection.manage")
def enterprise_import_confirm_view(request):
    """The import runs as a job (100k rows take a minute): its page shows the progress and the result."""
    try:
        job = enterprise_import_start(by=request.user, token=request.POST.get("token", ""), ip=_ip(request))
    except DomainError as exc:
        return _import_page(request, file_error=exc.message)
    return redirect("core:job_detail", job.pk)


@permission_required("inspection.manage")
def enterprise_import_template_view(request):
    return xlsx_file_response("市场主体导入模板.xlsx", core_imports.template_xlsx(IMPORTER))


@permission_required("inspection.manage")
def enterprise_import_errors_view(request, token: str):
    try:
        with core_imports.upload_open(user=request.user, token=token) as fh:
            result = enterprise_import(by=request.user, fileobj=fh, commit=False, ip=_ip(request))
    except DomainError as exc:
        raise Http404(exc.message) from None
    return xlsx_file_response("市场主体导入错误清单.xlsx", core_imports.errors_xlsx(result))


# ---------------------------------------------------------------- items, pool, conflicts


@permission_required("inspection.view")
def pool_list_view(request):
    user = request.user
    actions = perms.pool_entry_actions(user=user, obj=None)
    editing = (
        selectors.item_list(user=user).filter(pk=request.GET.get("edit")).first()
        if (request.GET.get("edit", "").isdigit())
        else None
    )
    initial = None
    if editing is not None:
        initial = {
            "power_item": editing.power_item_id,
            "name": editing.name,
            "targets": editing.targets,
            "scope_industries": editing.scope_industries,
            "scope_risk_levels": editing.scope_risk_levels,
            "method": editing.method,
            "basis": editing.basis,
        }
    item_form = f.ItemForm(initial=initial, power_items=selectors.inspection_power_items(user=user))
    pool_form = f.PoolAddForm(officers=selectors.officers_for(user=user).filter(pool_entry__isnull=True))
    conflict_form = f.ConflictForm(officers=selectors.officers_for(user=user))
    if request.method == "POST" and "create" in actions:
        action, response = request.POST.get("action"), None
        if action == "item":
            item_form = f.ItemForm(request.POST, power_items=selectors.inspection_power_items(user=user))
            response = act_on_form(
                request,
                item_form,
                lambda d: services.inspection_item_save(by=user, agency=d["power_item"].agency, ip=_ip(request), **d),
                done="已加入抽查事项清单",
                then="inspections:pool_list",
            )
        elif action == "pool":
            pool_form = f.PoolAddForm(request.POST, officers=selectors.officers_for(user=user))
            response = act_on_form(
                request,
                pool_form,
                lambda d: services.pool_add(by=user, ip=_ip(request), **d),
                done="已加入检查人员库",
                then="inspections:pool_list",
            )
        elif action == "conflict":
            conflict_form = f.ConflictForm(request.POST, officers=selectors.officers_for(user=user))

            def declare(d):
                enterprise = selectors.enterprise_by_uscc(uscc=d["uscc"])
                services.conflict_declare(
                    by=user, officer=d["officer"], enterprise=enterprise, reason=d["reason"], ip=_ip(request)
                )

            response = act_on_form(
                request, conflict_form, declare, done="已登记利害关系申报", then="inspections:pool_list"
            )
        elif action == "toggle":
            entry = selectors.pool_entry_get(user=user, pk=request.POST.get("entry"))
            services.pool_set_available(by=user, entry=entry, available=not entry.available, ip=_ip(request))
            return redirect("inspections:pool_list")
        if response:
            return response
    g = request.GET
    available = {"yes": True, "no": False}.get(g.get("available", ""))
    pool = selectors.pool_list(user=user, q=g.get("q", ""), available=available)
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("检查人员库"),
            ["执法主体", "姓名", "执法证", "利害关系申报", "状态"],
            (
                (
                    p.agency,
                    p.officer.name,
                    "有效" if p.certified else "无有效证件（不参加抽取）",
                    p.conflict_count,
                    "可参加抽查" if p.available else "暂不参加",
                )
                for p in pool.iterator(chunk_size=2000)
            ),
            sheet="检查人员库",
        )
    items = list(selectors.item_list(user=user))
    for i in items:
        i.actions = perms.inspection_item_actions(user=user, obj=i)
    pool = list(pool)
    for entry in pool:
        entry.actions = perms.pool_entry_actions(user=user, obj=entry)
    return render(
        request,
        "inspections/pool_list.html",
        {
            "items": items,
            "pool": pool,
            "filters": g,
            "conflicts": selectors.conflict_list(user=user)[:100],
            "actions": actions,
            "item_form": item_form,
            "editing": editing,
            "risk_levels": RISK_LEVELS,
            "pool_form": pool_form,
            "conflict_form": conflict_form,
        },
    )


# ---------------------------------------------------------------- plans and draws


@permission_required("inspection.view")
def plan_list_view(request):
    g = request.GET
    year = g.get("year", "")
    status = g.get("status", "") if g.get("status", "") in dict(Plan.STATUSES) else ""
    plans = selectors.plan_list(
        user=request.user, year=int(year) if year.isdigit() else None, status=status, q=g.get("q", "")
    )
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("双随机抽查计划"),
            ["年度", "计划名称", "执法主体", "抽查期起", "抽查期止", "事项数", "抽取次数", "状态"],
            (
                (
                    p.year,
                    p.name,
                    p.agency,
                    p.period_start,
                    p.period_end,
                    p.item_count,
                    p.draw_count,
                    p.get_status_display(),
                )
                for p in plans.iterator(chunk_size=2000)
            ),
            sheet="抽查计划",
        )
    return render(
        request,
        "inspections/plan_list.html",
        {
            "plans": plans,
            "filters": g,
            "statuses": Plan.STATUSES,
            "actions": perms.plan_actions(user=request.user, obj=None),
        },
    )


@permission_required("inspection.manage")
def plan_create_view(request):
    user = request.user
    form = f.PlanForm(
        request.POST or None,
        agencies=selectors.agencies_for(user=user),
        items=selectors.joint_item_choices(user=user),
        joint_agencies=selectors.joint_agency_choices(),
    )

    def create(d):
        return services.plan_create(
            by=user,
            agency=d["agency"],
            year=d["year"],
            name=d["name"],
            items=list(d["items"]),
            proportions=form.proportions(),
            period_start=d["period_start"],
            period_end=d["period_end"],
            exclusion_days=d["exclusion_days"],
            inspectors_per_enterprise=d["inspectors_per_enterprise"],
            joint_agencies=list(d["joint_agencies"]),
            ip=_ip(request),
        )

    return act_on_form(
        request,
        form,
        create,
        done=lambda plan: f"已制定“{plan.name}”，公示后即可抽取",
        then=lambda plan: ("inspections:plan_detail", plan.pk),
    ) or render(request, "inspections/plan_form.html", {"form": form}, status=422 if form.errors else 200)


def _plan_context(request, plan, commit_form=None):
    return {
        "plan": plan,
        "draws": selectors.draw_list(user=request.user, plan=plan),
        "proportions": [(RISK_LABELS[k], v / 100) for k, v in sorted(plan.proportions.items())],
        "commit_form": commit_form or f.CommitForm(items=plan.items.all(), joint=plan.is_joint),
        "joint_agencies": plan.joint_agencies.select_related("unit") if plan.is_joint else [],
        "actions": perms.plan_actions(user=request.user, obj=plan),
    }


@permission_required("inspection.view")
def plan_detail_view(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    return render(request, "inspections/plan_detail.html", _plan_context(request, plan))


@require_POST
@permission_required("inspection.manage")
def plan_publish_view(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.plan_publish(by=request.user, plan=plan, ip=_ip(request)),
        done="计划已在公开平台公示",
        then=("inspections:plan_detail", plan.pk),
    )


@require_POST
@permission_required("inspection.manage")
def draw_commit_view(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = f.CommitForm(request.POST, items=plan.items.all(), joint=plan.is_joint)
    return act_on_form(
        request,
        form,
        lambda d: services.draw_commit(by=request.user, plan=plan, item=d.get("item"), ip=_ip(request)),
        done="已冻结名录并公布承诺值，可以抽取",
        then=lambda draw: ("inspections:draw_detail", draw.pk),
    ) or render(request, "inspections/plan_detail.html", _plan_context(request, plan, form), status=422)


def _draw_context(request, draw, redraw_form=None):
    ok, problems = selectors.draw_verify(draw=draw) if selectors.draw_revealed(draw) else (None, [])
    assignments = selectors.draw_assignments(draw=draw) if draw.drawn_at else []
    return {
        "draw": draw,
        "assignments": assignments,
        "verified": ok,
        "problems": problems,
        "redraw_form": redraw_form or f.RedrawForm(),
        "actions": perms.draw_actions(user=request.user, obj=draw),
        "redrawn_by": getattr(draw, "redrawn_by", None) if draw.status == "superseded" else None,
    }


@permission_required("inspection.view")
def draw_detail_view(request, pk: int):
    draw = selectors.draw_get(user=request.user, pk=pk)
    return render(request, "inspections/draw_detail.html", _draw_context(request, draw))


@require_POST
@permission_required("inspection.manage")
def draw_action_view(request, pk: int, action: str):
    draw = selectors.draw_get(user=request.user, pk=pk)
    back = ("inspections:draw_detail", draw.pk)
    if action == "draw":
        return act(
            request,
            lambda: services.draw_perform(by=request.user, draw=draw, ip=_ip(request)),
            done="已按公布的算法完成抽取",
            then=back,
        )
    if action == "publish":
        return act(
            request,
            lambda: services.draw_publish(by=request.user, draw=draw, ip=_ip(request)),
            done="已公布随机种子、名录和抽取结果，公众可在公开平台核验",
            then=back,
        )
    if action != "redraw":
        raise Http404()
    form = f.RedrawForm(request.POST)
    if not form.is_valid():
        return render(request, "inspections/draw_detail.html", _draw_context(request, draw, form), status=422)
    return act(
        request,
        lambda: services.draw_redraw(by=request.user, draw=draw, reason=form.cleaned_data["reason"], ip=_ip(request)),
        done="原抽取已作废并公开理由，已重新冻结名录并公布承诺值",
        then=lambda new: ("inspections:draw_detail", new.pk) if new else back,  # refused: back to this draw
    )


# ---------------------------------------------------------------- records


@permission_required("inspection.view")
def record_list_view(request):
    g = request.GET
    filters = selectors.RecordFilters(q=g.get("q", ""), source=g.get("source", ""), published=g.get("published", ""))
    qs = selectors.record_list(user=request.user, filters=filters)
    if g.get("format") == "xlsx":
        rows = (
            (
                r.enterprise.name,
                r.enterprise.uscc,
                r.agency.unit.name,
                r.item.name if r.item_id else "",
                r.get_source_display(),
                r.reason,
                r.inspected_on,
                r.get_result_display(),
                r.problems,
                r.measures,
                r.published_on,
                r.publication_item.deadline if r.publication_item_id else None,
            )
            for r in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(
            export_filename("检查记录"),
            [
                "企业",
                "统一社会信用代码",
                "执法主体",
                "抽查事项",
                "检查来源",
                "检查事由",
                "检查日期",
                "检查结果",
                "发现问题",
                "处理措施",
                "公示日期",
                "公示期限",
            ],
            rows,
            sheet="检查记录",
        )
    page = Paginator(qs, 30).get_page(g.get("page"))
    return render(
        request,
        "inspections/record_list.html",
        {
            "page": page,
            "filters": g,
            "sources": InspectionRecord.SOURCES,
            "actions": perms.record_actions(user=request.user, obj=None),
        },
    )


@permission_required("inspection.manage")
def record_create_view(request):
    user = request.user
    assignment = None
    if request.GET.get("assignment"):
        assignment = selectors.assignment_get(user=user, pk=request.GET["assignment"])
    officers = selectors.officers_for(user=user, agency=assignment.draw.plan.agency if assignment else None)
    form = f.RecordForm(
        request.POST or None,
        request.FILES or None,
        agencies=selectors.agencies_for(user=user),
        officers=officers,
        from_draw=assignment is not None,
    )

    def create(d):
        extra = {}
        if assignment is None:
            extra = {
                "enterprise": selectors.enterprise_by_uscc(uscc=d["enterprise_uscc"], field="enterprise_uscc")
                if d["enterprise_uscc"]
                else None,
                "agency": d["agency"],
                "source": d["source"] or "other",
                "reason": d["reason"],
            }
        return services.inspection_record_create(
            by=user,
            assignment=assignment,
            inspected_on=d["inspected_on"],
            result=d["result"],
            problems=d["problems"],
            measures=d["measures"],
            inspectors=list(d["inspectors"]),
            files=request.FILES.getlist("attachments"),
            ip=_ip(request),
            **extra,
        )

    return act_on_form(
        request,
        form,
        create,
        done=f"已登记检查记录，请在 {rules.PUBLICATION_WORKING_DAYS} 个工作日内公示检查结果",
        then=lambda record: ("inspections:record_detail", record.pk),
    ) or render(
        request,
        "inspections/record_form.html",
        {"form": form, "assignment": assignment},
        status=422 if form.errors else 200,
    )


@permission_required("inspection.view")
def record_detail_view(request, pk: int):
    record = selectors.record_get(user=request.user, pk=pk)
    actions = perms.record_actions(user=request.user, obj=record)
    feedback_url = ""
    if "feedback_link" in actions:
        feedback_url = request.build_absolute_uri(
            reverse("portal:inspection_feedback", args=[selectors.feedback_token(record=record)])
        )
    return render(
        request,
        "inspections/record_detail.html",
        {
            "r": record,
            "actions": actions,
            "feedback": selectors.record_feedback(record=record),
            "feedback_url": feedback_url,
        },
    )


@require_POST
@permission_required("inspection.manage")
def record_publish_view(request, pk: int):
    record = selectors.record_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.inspection_record_publish(by=request.user, record=record, ip=_ip(request)),
        done="检查结果已公示",
        then=("inspections:record_detail", record.pk),
    )


# ---------------------------------------------------------------- burden and quiet days


@permission_required("inspection.supervise")
def burden_view(request):
    form = f.BurdenForm(request.GET or None)
    year, threshold = timezone.localdate().year, None
    date_from = date_to = None
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        threshold = form.cleaned_data["threshold"]
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    date_from = date_from or dt.date(year, 1, 1)
    date_to = date_to or dt.date(year, 12, 31)
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    b = selectors.burden_statistics(
        user=request.user, date_from=date_from, date_to=date_to, threshold=threshold, limit=100
    )
    if request.GET.get("format") == "xlsx":
        rows = [
            (
                i + 1,
                r["name"],
                r["uscc"],
                r["inspections"],
                r["agencies"],
                r["non_plan"],
                "超过预警线，建议联合抽查" if r["over"] else "",
            )
            for i, r in enumerate(b.by_enterprise)
        ]
        return xlsx_response(
            export_filename(f"{year}年涉企检查频次"),
            ["排名", "企业", "统一社会信用代码", "检查次数", "检查部门数", "计划外检查", "提示"],
            rows,
            sheet="按企业",
        )
    return render(
        request,
        "inspections/burden.html",
        {
            "b": b,
            "year": year,
            "form": form,
            "ratings": selectors.feedback_by_agency(user=request.user, date_from=date_from, date_to=date_to),
        },
    )


@permission_required("inspection.view")
def quiet_day_list_view(request):
    form = f.QuietDayForm(request.POST or None, divisions=selectors.divisions_all())
    actions = perms.quiet_day_actions(user=request.user, obj=None)
    if request.method == "POST":
        if "create" not in actions:
            raise Forbidden()
        response = act_on_form(
            request,
            form,
            lambda d: services.quiet_day_create(by=request.user, ip=_ip(request), **d),
            done="已设定企业安静生产日",
            then="inspections:quiet_day_list",
        )
        if response:
            return response
    g = request.GET
    year = g.get("year", "")
    quiet_days = selectors.quiet_day_list(
        user=request.user, q=g.get("q", ""), year=int(year) if year.isdigit() else None
    )
    if request.method == "GET" and g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("企业安静生产日"),
            ["区划 / 企业分组", "起始日期", "截止日期", "说明"],
            (
                (q.division.name if q.division_id else f"分组“{q.group}”", q.start_date, q.end_date, q.note)
                for q in quiet_days.iterator(chunk_size=2000)
            ),
            sheet="企业安静生产日",
        )
    return render(
        request,
        "inspections/quiet_days.html",
        {"quiet_days": quiet_days, "filters": g, "form": form, "actions": actions},
        status=422 if form.errors else 200,
    )
