"""Pages of 考核评价 (thin: parse, call a service or selector, render)."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fazhi.assessment.scoring import forms, indicators, rules, selectors, services
from fazhi.assessment.scoring.permissions import framework_actions, member_actions, run_actions
from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.imports import Column, Importer, read_sheet
from fazhi.core.paging import CappedPaginator

VIEW = ("assessment.view", "assessment.manage")
MANAGE = "assessment.manage"


def _need(actions: set[str], action: str) -> None:
    if action not in actions:
        raise Forbidden()


# ---------------------------------------------------------------- runs


@permission_required(*VIEW)
def run_list_view(request):
    f = forms.FilterForm(request.GET)
    qs = selectors.run_list(user=request.user, year=f.value("year"), q=f.value("q", ""))
    if request.GET.get("format") == "xlsx":
        rows = (
            [r.name, r.year, r.quarter or "全年", r.period_start, r.period_end, r.get_status_display(), r.appeal_until]
            for r in qs.iterator()
        )
        return xlsx_response(
            export_filename("考核"),
            ["名称", "年度", "季度", "考核期起", "考核期止", "状态", "申诉截止"],
            rows,
            sheet="考核",
        )
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/scoring/run_list.html",
        {"filter": f, "page": page, "actions": run_actions(user=request.user, obj=None)},
    )


@permission_required(MANAGE)
def run_create_view(request):
    _need(run_actions(user=request.user, obj=None), "create")
    frameworks = list(selectors.framework_list())
    form = forms.RunForm(request.POST or None, frameworks=frameworks)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def call(_):
            fw = next((f for f in frameworks if f.pk == d["framework"]), None)
            if fw is None:
                raise DomainError("请选择指标体系", field="framework")
            return services.run_create(
                framework=fw,
                name=d["name"],
                quarter=d["quarter"],
                appeal_days=d["appeal_days"],
                top_adjust=[x for x in d["top_adjust"].replace("，", ",").split(",") if x.strip()],
                bottom_adjust=[x for x in d["bottom_adjust"].replace("，", ",").split(",") if x.strip()],
                by=request.user,
            )

        done = act_on_form(
            request,
            form,
            call,
            done="考核已创建并完成计算",
            then=lambda r: redirect("assessment:scoring:run_detail", r.pk),
        )
        if done is not None:
            return done
        return render(request, "assessment/scoring/form.html", {"form": form, "title": "组织考核"}, status=422)
    return render(request, "assessment/scoring/form.html", {"form": form, "title": "组织考核"})


@permission_required(*VIEW)
def run_detail_view(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    f = forms.MemberFilterForm(request.GET)
    members = selectors.run_members(user=request.user, run=run, group=f.value("group", ""), q=f.value("q", ""))
    if request.GET.get("format") == "xlsx":
        rows = (
            [m.group, m.rank, m.unit.name, m.total, "是" if m.vetoed else "", m.adjustment] for m in members.iterator()
        )
        return xlsx_response(
            export_filename(run.name),
            ["考核组", "名次", "单位", "得分", "一票否决", "目标考核加减分"],
            rows,
            sheet="考核结果",
        )
    actions = run_actions(user=request.user, obj=run)
    appeals = selectors.appeal_list(user=request.user, run=run) if "answer" in actions or "finalise" in actions else []
    return render(
        request,
        "assessment/scoring/run_detail.html",
        {
            "run": run,
            "filter": f,
            "members": list(members),
            "groups": selectors.run_groups(run=run),
            "actions": actions,
            "appeals": appeals,
            "answer_form": forms.AnswerForm(),
        },
    )


def _run_action(request, pk, action, call, done):
    run = selectors.run_get(user=request.user, pk=pk)
    _need(run_actions(user=request.user, obj=run), action)
    return act(request, lambda: call(run), done=done, then=("assessment:scoring:run_detail", run.pk))


@require_POST
@permission_required(MANAGE)
def run_compute_view(request, pk):
    return _run_action(request, pk, "compute", lambda r: services.run_compute(run=r, by=request.user), "已重新计算")


@require_POST
@permission_required(MANAGE)
def run_publish_view(request, pk):
    return _run_action(
        request, pk, "publish", lambda r: services.run_publish(run=r, by=request.user), "已公布，进入申诉期"
    )


@require_POST
@permission_required(MANAGE)
def run_finalise_view(request, pk):
    return _run_action(
        request, pk, "finalise", lambda r: services.run_finalise(run=r, by=request.user), "已定档，结果通报已生成"
    )


@permission_required(*VIEW)
def run_notice_view(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    if run.notice_document_id is None:
        raise NotFound()
    return attachment_response(run.notice_document.attachment)


# ---------------------------------------------------------------- a unit's scores


@permission_required(*VIEW)
def member_detail_view(request, pk):
    member = selectors.member_get(user=request.user, pk=pk)
    scores = list(selectors.member_scores(member=member))
    weights = selectors.framework_weights(framework_id=member.run.framework_id)
    for s in scores:
        s.path_weight = weights.get(s.indicator_id, rules.WEIGHT_DEFAULT)
    return render(
        request,
        "assessment/scoring/member_detail.html",
        {
            "member": member,
            "run": member.run,
            "scores": scores,
            "actions": member_actions(user=request.user, obj=member),
            "sources": indicators.SOURCES,
        },
    )


@permission_required(*VIEW, "assessment.appeal")
def score_detail_view(request, pk):
    score = selectors.score_get(user=request.user, pk=pk)
    member = score.member
    actions = member_actions(user=request.user, obj=member)
    score_form = forms.ScoreForm(initial={"points": score.points, "note": score.note})
    appeal_form = forms.AppealForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("do") == "score":
            _need(actions, "score")
            score_form = forms.ScoreForm(request.POST, request.FILES)
            if score_form.is_valid():
                d = score_form.cleaned_data
                done = act_on_form(
                    request,
                    score_form,
                    lambda _: services.score_set(
                        score=score, points=d["points"], note=d["note"], evidence=d["evidence"], by=request.user
                    ),
                    done="评分已保存",
                    then=("assessment:scoring:score_detail", score.pk),
                )
                if done is not None:
                    return done
            status = 422
        else:
            _need(actions, "appeal")
            appeal_form = forms.AppealForm(request.POST, request.FILES)
            if appeal_form.is_valid():
                d = appeal_form.cleaned_data
                done = act_on_form(
                    request,
                    appeal_form,
                    lambda _: services.appeal_file(
                        score=score, reason=d["reason"], evidence=d["evidence"], by=request.user
                    ),
                    done="申诉已提交",
                    then=("assessment:scoring:score_detail", score.pk),
                )
                if done is not None:
                    return done
            status = 422
    records = selectors.score_records(score=score)
    page = Paginator(records or [], 20).get_page(request.GET.get("page")) if records is not None else None
    return render(
        request,
        "assessment/scoring/score_detail.html",
        {
            "score": score,
            "member": member,
            "run": member.run,
            "source": indicators.SOURCES.get(score.indicator.source),
            "page": page,
            "appeals": selectors.score_appeals(score=score),
            "actions": actions,
            "score_form": score_form,
            "appeal_form": appeal_form,
        },
        status=status,
    )


@permission_required(*VIEW)
def score_evidence_view(request, pk):
    score = selectors.score_get(user=request.user, pk=pk)
    if score.evidence_id is None:
        raise NotFound()
    return attachment_response(score.evidence)


@require_POST
@permission_required(MANAGE)
def appeal_answer_view(request, pk):
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    run = appeal.score.member.run
    _need(run_actions(user=request.user, obj=run), "answer")
    form = forms.AnswerForm(request.POST)
    form.is_valid()
    d = {"upheld": False, "answer": "", "points": None} | form.cleaned_data
    return act(
        request,
        lambda: services.appeal_answer(
            appeal=appeal, upheld=d["upheld"], answer=d["answer"], points=d["points"], by=request.user
        ),
        done="申诉已处理",
        then=("assessment:scoring:run_detail", run.pk),
    )


# ---------------------------------------------------------------- frameworks


class FrameworkImporter(Importer):
    key = "assessment_framework"
    title = "考核指标体系"
    permission = MANAGE
    columns = [Column(h, f, required=f in ("code", "level", "name", "points", "method")) for h, f in services.COLUMNS]


@permission_required(MANAGE)
def framework_list_view(request):
    _need(framework_actions(user=request.user, obj=None), "view")
    f = forms.FilterForm(request.GET)
    page = CappedPaginator(selectors.framework_list(q=f.value("q", "")), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/scoring/framework_list.html",
        {"filter": f, "page": page, "actions": framework_actions(user=request.user, obj=None)},
    )


@permission_required(MANAGE)
def framework_create_view(request):
    _need(framework_actions(user=request.user, obj=None), "create")
    form = forms.FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = act_on_form(
            request,
            form,
            lambda _: services.framework_create(
                year=d["year"], name=d["name"], total_points=d["total_points"], note=d["note"], by=request.user
            ),
            done="指标体系已创建，请导入指标",
            then=lambda fw: redirect("assessment:scoring:framework_detail", fw.pk),
        )
        if done is not None:
            return done
        return render(request, "assessment/scoring/form.html", {"form": form, "title": "新建指标体系"}, status=422)
    return render(request, "assessment/scoring/form.html", {"form": form, "title": "新建指标体系"})


@permission_required(MANAGE)
def framework_detail_view(request, pk):
    fw = selectors.framework_get(user=request.user, pk=pk)
    actions = framework_actions(user=request.user, obj=fw)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename(f"{fw.year}年考核指标体系"),
            [h for h, _ in services.COLUMNS],
            services.framework_rows(framework=fw),
            sheet="指标体系",
        )
    form = forms.ImportForm()
    status = 200
    if request.method == "POST":
        _need(actions, "import")
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            rows, errors = read_sheet(FrameworkImporter(), form.cleaned_data["file"])

            def call(_):
                if errors:
                    raise DomainError(errors[0], field="file")
                return services.framework_replace(framework=fw, rows=rows, by=request.user)

            done = act_on_form(
                request,
                form,
                call,
                done="指标已导入",
                then=("assessment:scoring:framework_detail", fw.pk),
                above=("file",),
            )
            if done is not None:
                return done
        status = 422
    nodes = selectors.framework_tree(framework=fw)
    return render(
        request,
        "assessment/scoring/framework_detail.html",
        {
            "framework": fw,
            "nodes": nodes,
            "full_marks": selectors.framework_full_marks(nodes=nodes),
            "gaps": selectors.framework_gaps(framework=fw) if "edit" in actions else [],
            "weight_rule": rules.WEIGHT_RULE,
            "actions": actions,
            "form": form,
            "sources": indicators.SOURCES,
        },
        status=status,
    )


def _node_form(request, fw, *, node=None):
    """Add a node to (node None) or change a node of a draft framework."""
    _need(framework_actions(user=request.user, obj=fw), "edit")
    parents = (
        None if node is not None else [n for n in selectors.framework_tree(framework=fw) if n.level < rules.MAX_LEVEL]
    )
    initial = (
        services.indicator_initial(node)
        if node is not None
        else {"weight": "1", "parent": request.GET.get("parent", "")}
    )
    form = forms.IndicatorForm(request.POST or None, initial=initial, parents=parents)
    title = f"修改指标 {node.code}" if node is not None else f"新增指标（{fw}）"
    context = {"form": form, "title": title, "sources": indicators.SOURCES, "framework": fw, "node": node}
    if request.method == "POST":
        done = act_on_form(
            request,
            form,
            lambda d: services.indicator_save(framework=fw, indicator=node, data=d, by=request.user),
            done="指标已保存",
            then=("assessment:scoring:framework_detail", fw.pk),
        )
        if done is not None:
            return done
        return render(request, "assessment/scoring/indicator_form.html", context, status=422)
    return render(request, "assessment/scoring/indicator_form.html", context)


@permission_required(MANAGE)
def indicator_create_view(request, pk):
    return _node_form(request, selectors.framework_get(user=request.user, pk=pk))


@permission_required(MANAGE)
def indicator_edit_view(request, pk):
    node = selectors.indicator_get(user=request.user, pk=pk)
    return _node_form(request, node.framework, node=node)


@require_POST
@permission_required(MANAGE)
def indicator_delete_view(request, pk):
    node = selectors.indicator_get(user=request.user, pk=pk)
    _need(framework_actions(user=request.user, obj=node.framework), "edit")
    return act(
        request,
        lambda: services.indicator_delete(indicator=node, by=request.user),
        done="指标已删除",
        then=("assessment:scoring:framework_detail", node.framework_id),
    )


@permission_required(MANAGE)
def source_list_view(request):
    _need(framework_actions(user=request.user, obj=None), "view")
    return render(request, "assessment/scoring/source_list.html", {"sources": indicators.catalogue()})


def run_url(run) -> str:
    return reverse("assessment:scoring:run_detail", args=[run.pk])
