"""Staff pages of 依法决策. Thin: parse, call a service or selector, render. Each object's page shows its steps,
clocks, documents and timeline; every action of an object posts to one view per object that looks the action up in a
table (form, service, message), so that a refused action comes back to the object's page beside its field."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from fazhi.core.actions import act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.masking import mask_name, mask_phone
from fazhi.core.paging import CappedPaginator
from fazhi.rulemaking import forms as f
from fazhi.rulemaking import permissions as perms
from fazhi.rulemaking import rules, selectors, services
from fazhi.rulemaking.archive import decision_archive
from fazhi.rulemaking.models import CleanupEntry, PublicComment
from fazhi.tracking.selectors import item_clocks, item_timeline

PER_PAGE = 20


def _ip(request):
    return client_ip(request)


def _files(request):
    return request.FILES.getlist("attachments")


@dataclass(frozen=True)
class Action:
    form: type
    call: Callable  # (request, obj, cleaned_data) -> result
    done: str
    kwargs: Callable = lambda request, obj: {}  # form constructor arguments
    title: str = ""
    files: bool = True


def _post_action(request, obj, table: dict, action: str, detail_name: str, page: Callable):
    spec = table.get(action)
    if spec is None:
        raise Http404()
    form = spec.form(request.POST, **spec.kwargs(request, obj))
    return act_on_form(
        request, form, lambda d: spec.call(request, obj, d), done=spec.done, then=(detail_name, obj.pk)
    ) or page(request, obj, bound={action: form}, status=422)


def _forms(request, obj, table: dict, actions: set[str], bound: dict) -> list[dict]:
    """One unbound form (or the bound one that was refused) per action the predicate offers, in table order."""
    shown = []
    for code, spec in table.items():
        if code not in actions and code not in bound:  # a refused step is shown with its error
            continue
        form = bound.get(code) or spec.form(**spec.kwargs(request, obj))
        shown.append({"code": code, "title": spec.title, "form": form, "files": spec.files, "open": code in bound})
    return shown


def _page(qs, request, per_page=PER_PAGE):
    return CappedPaginator(qs, per_page).get_page(request.GET.get("page"))


# ---------------------------------------------------------------- catalogues


@permission_required("decision.view", "decision.organ")
def catalogue_list_view(request):
    form = f.YearFilterForm(request.GET)
    qs = selectors.catalogue_list(user=request.user, year=form.value("year"), q=form.value("q") or "")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename("重大行政决策事项目录"),
            ["年度", "目录名称", "决策机关", "事项数", "状态", "党委同意日期", "公布日期"],
            (
                (c.year, c.title, c.organ.name, c.decision_count, c.get_status_display(), c.consent_on, c.published_on)
                for c in qs.iterator(chunk_size=2000)
            ),
            sheet="决策事项目录",
        )
    return render(
        request,
        "rulemaking/catalogue_list.html",
        {"page": _page(qs, request), "form": form, "actions": perms.catalogue_actions(user=request.user, obj=None)},
    )


@permission_required("decision.organ")
def catalogue_create_view(request):
    form = f.CatalogueForm(
        request.POST or None, organs=selectors.governments(), initial={"year": timezone.localdate().year}
    )
    return act_on_form(
        request,
        form,
        lambda d: services.catalogue_create(by=request.user, ip=_ip(request), **d),
        done=lambda c: f"已建立“{c.title}”",
        then=lambda c: ("rulemaking:catalogue_detail", c.pk),
    ) or render(
        request,
        "rulemaking/form.html",
        {"form": form, "title": "编制决策事项目录", "back": "rulemaking:catalogue_list"},
        status=422 if form.errors else 200,
    )


def _catalogue_table():
    def candidates(request, c):
        return {"candidates": selectors.catalogue_candidates(user=request.user, catalogue=c)}

    def adjustable(request, c):
        return {"decisions": selectors.catalogue_candidates(user=request.user, catalogue=c) | c.decisions.all()}

    return {
        "include": Action(
            f.IncludeForm,
            lambda r, c, d: services.catalogue_include(by=r.user, catalogue=c, decision=d["decision"], ip=_ip(r)),
            "已列入目录",
            candidates,
            "列入目录",
            files=False,
        ),
        "consent": Action(
            f.ConsentForm,
            lambda r, c, d: services.catalogue_consent(by=r.user, catalogue=c, files=_files(r), ip=_ip(r), **d),
            "已记录同级党委同意",
            title="记录同级党委同意",
        ),
        "publish": Action(
            f.CataloguePublishForm,
            lambda r, c, d: services.catalogue_publish(by=r.user, catalogue=c, ip=_ip(r), **d),
            "目录已向社会公布",
            title="向社会公布",
            files=False,
        ),
        "adjust": Action(
            f.AdjustForm,
            lambda r, c, d: services.catalogue_adjust(by=r.user, catalogue=c, files=_files(r), ip=_ip(r), **d),
            "目录已调整",
            adjustable,
            "调整目录",
        ),
    }


def _catalogue_page(request, catalogue, *, bound=None, status=200):
    actions = perms.catalogue_actions(user=request.user, obj=catalogue)
    return render(
        request,
        "rulemaking/catalogue_detail.html",
        {
            "catalogue": catalogue,
            "decisions": selectors.catalogue_decisions(catalogue=catalogue),
            "adjustments": catalogue.adjustments.select_related("decision"),
            "actions": actions,
            "forms": _forms(request, catalogue, _catalogue_table(), actions, bound or {}),
            "citation": rules.CATALOGUE_CITATION,
        },
        status=status,
    )


@permission_required("decision.view", "decision.organ")
def catalogue_detail_view(request, pk: int):
    return _catalogue_page(request, selectors.catalogue_get(user=request.user, pk=pk))


@require_POST
@permission_required("decision.organ")
def catalogue_action_view(request, pk: int, action: str):
    catalogue = selectors.catalogue_get(user=request.user, pk=pk)
    return _post_action(request, catalogue, _catalogue_table(), action, "rulemaking:catalogue_detail", _catalogue_page)


# ---------------------------------------------------------------- decisions


@permission_required("decision.view")
def decision_list_view(request):
    form = f.DecisionFilterForm(request.GET)
    qs = selectors.decision_list(
        user=request.user,
        filters=selectors.DecisionFilters(
            q=form.value("q") or "", stage=form.value("stage") or "", year=form.value("year")
        ),
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename("重大行政决策"),
            ["年度", "决策事项", "决策机关", "承办单位", "建议来源", "进度", "文号", "公布日期", "期限"],
            (
                (
                    d.year,
                    d.title,
                    d.organ.name,
                    d.lead_unit.name,
                    d.get_source_display(),
                    d.get_stage_display(),
                    d.number,
                    d.published_on,
                    d.item.deadline if d.item_id else "",
                )
                for d in qs.iterator(chunk_size=2000)
            ),
            sheet="重大行政决策",
        )
    return render(
        request,
        "rulemaking/decision_list.html",
        {"page": _page(qs, request), "form": form, "actions": perms.decision_actions(user=request.user, obj=None)},
    )


@permission_required("decision.manage", "decision.organ")
def decision_create_view(request):
    user = request.user
    form = f.ProposalForm(
        request.POST or None,
        organs=selectors.governments(),
        units=selectors.units_for(user=user),
        initial={
            "year": timezone.localdate().year,
            "organ": selectors.governments().first(),
            "lead_unit": user.unit_id,
            "source": "department",
        },
    )
    return act_on_form(
        request,
        form,
        lambda d: services.decision_propose(by=user, ip=_ip(request), **d),
        done=lambda d: f"已提出决策事项建议“{d.title}”",
        then=lambda d: ("rulemaking:decision_detail", d.pk),
    ) or render(
        request,
        "rulemaking/form.html",
        {"form": form, "title": "提出重大行政决策事项建议", "back": "rulemaking:decision_list"},
        status=422 if form.errors else 200,
    )


def _comment(request, decision, d):
    comment = PublicComment.objects.filter(pk=d["comment"], consultation__decision=decision).first()
    if comment is None:
        raise DomainError("该意见不属于本决策事项", field="comment")
    return comment


def _decision_table():
    def experts(request, d):
        return {"experts": d.experts.filter(excluded=False, opinion="")}

    def reviewers(request, d):
        return {"reviewers": selectors.justice_units()}

    def units(request, d):
        return {"units": selectors.all_units()}

    S = services
    return {
        "procedures": Action(
            f.ProceduresForm,
            lambda r, d, x: S.decision_set_procedures(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已确定适用程序",
            title="启动决策程序：确定适用程序",
        ),
        "consultation_open": Action(
            f.ConsultationForm,
            lambda r, d, x: S.consultation_open(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "决策草案已公开征求意见",
            title="向社会公开征求意见",
        ),
        "moderate": Action(
            f.ModerateForm,
            lambda r, d, x: S.comment_moderate(
                by=r.user, decision=d, comment=_comment(r, d, x), publish=x["publish"], reason=x["reason"], ip=_ip(r)
            ),
            "已审核",
            title="",
            files=False,
        ),
        "answer": Action(
            f.AnswerForm,
            lambda r, d, x: S.comment_answer(
                by=r.user, decision=d, comment=_comment(r, d, x), answer=x["answer"], reason=x["reason"], ip=_ip(r)
            ),
            "已答复",
            title="",
            files=False,
        ),
        "answers_publish": Action(
            f.AnswersPublishForm,
            lambda r, d, x: S.consultation_publish_answers(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "意见采纳情况已公布",
            title="征求意见期满：公布意见采纳情况",
        ),
        "hearing_plan": Action(
            f.HearingPlanForm,
            lambda r, d, x: S.hearing_plan(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "听证会信息已公布",
            title="安排并公布听证会",
        ),
        "hearing_held": Action(
            f.HearingHeldForm,
            lambda r, d, x: S.hearing_held(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已登记听证会",
            title="登记听证会举行情况",
        ),
        "expert_add": Action(
            f.ExpertAddForm,
            lambda r, d, x: S.expert_add(by=r.user, decision=d, ip=_ip(r), **x),
            "已选定论证专家",
            title="选定论证专家",
            files=False,
        ),
        "expert_opinion": Action(
            f.ExpertOpinionForm,
            lambda r, d, x: S.expert_opinion(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已登记专家论证意见",
            experts,
            "登记专家论证意见",
        ),
        "expert_complete": Action(
            f.ExpertCompleteForm,
            lambda r, d, x: S.expert_complete(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "专家论证完成",
            title="完成专家论证",
        ),
        "risk": Action(
            f.RiskForm,
            lambda r, d, x: S.risk_assess(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已登记风险评估",
            title="登记风险评估",
        ),
        "review_submit": Action(
            f.ReviewSubmitForm,
            lambda r, d, x: S.review_submit(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已送请合法性审查",
            reviewers,
            "送请合法性审查",
        ),
        "review_opinion": Action(
            f.ReviewOpinionForm,
            lambda r, d, x: S.review_opinion(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已出具合法性审查意见",
            title="出具合法性审查意见",
        ),
        "review_changes": Action(
            f.ChangesForm,
            lambda r, d, x: S.review_changes(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已登记修改情况",
            title="按合法性审查意见修改",
        ),
        "discussion": Action(
            f.DiscussionForm,
            lambda r, d, x: S.discussion_record(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已登记集体讨论决定",
            title="登记集体讨论决定",
        ),
        "publication": Action(
            f.PublicationForm,
            lambda r, d, x: S.decision_publish(
                by=r.user, decision=d, files=_files(r), ip=_ip(r), channels=x.pop("channels"), **x
            ),
            "决策已公布",
            units,
            "决策公布",
        ),
        "execution": Action(
            f.ExecutionForm,
            lambda r, d, x: S.execution_report(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已登记执行情况报告",
            title="报告决策执行情况",
        ),
        "evaluation_start": Action(
            f.EvaluationStartForm,
            lambda r, d, x: S.evaluation_start(by=r.user, decision=d, ip=_ip(r), **x),
            "已启动决策后评估",
            units,
            "启动决策后评估",
            files=False,
        ),
        "evaluation_result": Action(
            f.EvaluationResultForm,
            lambda r, d, x: S.evaluation_result(by=r.user, decision=d, files=_files(r), ip=_ip(r), **x),
            "已登记后评估结论",
            title="登记后评估结论",
        ),
    }


# The moderation and answer forms are per comment, on the comment table; not among the step forms.
INLINE = {"moderate", "answer"}


def _decision_page(request, decision, *, bound=None, status=200):
    user = request.user
    actions = perms.decision_actions(user=user, obj=decision)
    bound = bound or {}
    comments = list(selectors.decision_comments(decision=decision)) if "view" in actions else []
    for c in comments:
        c.name_masked = mask_name(c.name) if c.name else ""
        c.contact_masked = mask_phone(c.contact) if c.contact.isdigit() else ("（已填写）" if c.contact else "")
    item = decision.item
    return render(
        request,
        "rulemaking/decision_detail.html",
        {
            "d": decision,
            "actions": actions,
            "steps": selectors.decision_steps(decision),
            "forms": [
                x for x in _forms(request, decision, _decision_table(), actions, bound) if x["code"] not in INLINE
            ],
            "inline_error": next((form for code, form in bound.items() if code in INLINE), None),
            "consultation": selectors.consultation_of(decision),
            "comments": comments,
            "comment_counts": selectors.comment_counts(decision=decision),
            "hearing": selectors.hearing_of(decision),
            "experts": decision.experts.all(),
            "risks": decision.risk_assessments.all(),
            "reviews": decision.reviews.select_related("reviewer_unit"),
            "discussions": decision.discussions.all(),
            "executions": decision.execution_reports.select_related("unit"),
            "evaluations": decision.evaluations.select_related("evaluator_unit"),
            "adjustments": decision.adjustments.select_related("catalogue"),
            "proposal": selectors.proposal_display(user=user, decision=decision),
            "clocks": item_clocks(item=item) if item else [],
            "events": item_timeline(item=item) if item else [],
            "documents": selectors.documents_of(object_kind="major_decision", object_id=decision.pk),
            "answer_choices": PublicComment.ANSWERS,
        },
        status=status,
    )


@permission_required("decision.view")
def decision_detail_view(request, pk: int):
    return _decision_page(request, selectors.decision_get(user=request.user, pk=pk))


@require_POST
@permission_required("decision.manage", "decision.review", "decision.organ")
def decision_step_view(request, pk: int, step: str):
    decision = selectors.decision_get(user=request.user, pk=pk)
    return _post_action(request, decision, _decision_table(), step, "rulemaking:decision_detail", _decision_page)


@permission_required("decision.view")
def decision_file_view(request, pk: int):
    decision = selectors.decision_get(user=request.user, pk=pk)
    name, content = decision_archive(decision=decision)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@permission_required("decision.view", "normative.view")
def document_download_view(request, pk: int):
    document = selectors.generated_document_get(user=request.user, pk=pk)
    return attachment_response(document.attachment)


# ---------------------------------------------------------------- normative documents


@permission_required("normative.view")
def normative_list_view(request):
    form = f.NormativeFilterForm(request.GET)
    qs = selectors.normative_list(
        user=request.user,
        filters=selectors.NormativeFilters(
            q=form.value("q") or "",
            stage=form.value("stage") or "",
            state=form.value("state") or "",
            year=form.value("year"),
        ),
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename("行政规范性文件"),
            ["文件名称", "文号", "类别", "制定机关", "起草单位", "进度", "效力", "公布日期", "施行日期", "有效期至"],
            (
                (
                    d.title,
                    d.number,
                    d.get_kind_display(),
                    d.issuer.name,
                    d.drafting_unit.name,
                    d.get_stage_display(),
                    d.get_state_display() if d.stage == "published" else "",
                    d.published_on,
                    d.effective_on,
                    d.valid_until,
                )
                for d in qs.iterator(chunk_size=2000)
            ),
            sheet="规范性文件",
        )
    return render(
        request,
        "rulemaking/normative_list.html",
        {"page": _page(qs, request), "form": form, "actions": perms.normative_actions(user=request.user, obj=None)},
    )


@permission_required("normative.manage")
def normative_create_view(request):
    user = request.user
    units = selectors.units_for(user=user)
    form = f.NormativeForm(
        request.POST or None,
        issuers=selectors.all_units(),
        units=units,
        initial={"drafting_unit": user.unit_id, "issuer": user.unit_id},
    )
    return act_on_form(
        request,
        form,
        lambda d: services.normative_create(by=user, ip=_ip(request), **d),
        done=lambda d: f"已登记“{d.title}”草案",
        then=lambda d: ("rulemaking:normative_detail", d.pk),
    ) or render(
        request,
        "rulemaking/form.html",
        {"form": form, "title": "起草规范性文件", "back": "rulemaking:normative_list"},
        status=422 if form.errors else 200,
    )


def _normative_table():
    def reviewers(request, d):
        return {"reviewers": selectors.justice_units()}

    def edit_initial(request, d):
        return {"initial": {"title": d.title, "draft_text": d.draft_text, "explanation": d.explanation}}

    S = services
    return {
        "edit": Action(
            f.NormativeEditForm,
            lambda r, d, x: S.normative_update(by=r.user, document=d, ip=_ip(r), **x),
            "草案已保存",
            edit_initial,
            "修改草案",
            files=False,
        ),
        "submit": Action(
            f.NormativeSubmitForm,
            lambda r, d, x: S.normative_submit(by=r.user, document=d, files=_files(r), ip=_ip(r), **x),
            "已报送合法性审核",
            reviewers,
            "报送合法性审核",
        ),
        "review": Action(
            f.NormativeReviewForm,
            lambda r, d, x: S.normative_review(by=r.user, document=d, files=_files(r), ip=_ip(r), **x),
            "已出具合法性审核意见",
            title="出具合法性审核意见",
        ),
        "extend": Action(
            f.ExtendForm,
            lambda r, d, x: S.normative_review_extend(by=r.user, document=d, ip=_ip(r), **x),
            "审核期限已延长",
            title="延长审核期限",
            files=False,
        ),
        "changes": Action(
            f.ChangesForm,
            lambda r, d, x: S.normative_changes(by=r.user, document=d, files=_files(r), ip=_ip(r), **x),
            "已登记修改情况",
            title="按审核意见修改",
        ),
        "deliberate": Action(
            f.DeliberateForm,
            lambda r, d, x: S.normative_deliberate(by=r.user, document=d, files=_files(r), ip=_ip(r), **x),
            "已登记集体审议",
            title="集体审议",
        ),
        "register": Action(
            f.RegisterForm,
            lambda r, d, x: S.normative_register(by=r.user, document=d, ip=_ip(r), **x),
            "已统一登记、编号、印发",
            title="统一登记、统一编号、统一印发",
            files=False,
        ),
        "publish": Action(
            f.NormativePublishForm,
            lambda r, d, x: S.normative_publish(by=r.user, document=d, ip=_ip(r), **x),
            "已向社会公布",
            title="向社会公布",
            files=False,
        ),
        "file": Action(
            f.FileForm,
            lambda r, d, x: S.normative_file(by=r.user, document=d, files=_files(r), ip=_ip(r), **x),
            "已登记报送备案",
            title="报送备案",
        ),
        "repeal": Action(
            f.RepealForm,
            lambda r, d, x: S.normative_repeal(by=r.user, document=d, ip=_ip(r), **x),
            "文件已废止",
            title="废止",
            files=False,
        ),
    }


def _normative_page(request, document, *, bound=None, status=200):
    actions = perms.normative_actions(user=request.user, obj=document)
    links = selectors.normative_items(document)
    return render(
        request,
        "rulemaking/normative_detail.html",
        {
            "doc": document,
            "actions": actions,
            "forms": _forms(request, document, _normative_table(), actions, bound or {}),
            "filings": selectors.filings_of(document),
            "tracks": [
                {
                    "label": link.get_role_display(),
                    "item": link.item,
                    "clocks": item_clocks(item=link.item),
                    "events": item_timeline(item=link.item),
                }
                for link in links
            ],
            "documents": selectors.documents_of(object_kind="normative_document", object_id=document.pk),
            "incidental": document.incidental_reviews.all(),
            "cleanups": document.cleanup_entries.select_related("campaign"),
            "portal_state": rules.portal_state(
                state=document.state, valid_until=document.valid_until, today=timezone.localdate()
            ),
        },
        status=status,
    )


@permission_required("normative.view")
def normative_detail_view(request, pk: int):
    return _normative_page(request, selectors.normative_get(user=request.user, pk=pk))


@require_POST
@permission_required("normative.manage", "normative.review")
def normative_action_view(request, pk: int, action: str):
    document = selectors.normative_get(user=request.user, pk=pk)
    return _post_action(request, document, _normative_table(), action, "rulemaking:normative_detail", _normative_page)


@permission_required("normative.view")
def filing_stats_view(request):
    form = f.YearFilterForm(request.GET)
    year = form.value("year") or timezone.localdate().year
    stats = selectors.filing_stats(user=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        rows = [*stats.rows, stats.total]
        return xlsx_response(
            export_filename(f"规范性文件备案统计{year}"),
            ["报备单位", "应报备", "已报备", "按期报备", "材料规范", "逾期未报", "报备率%", "及时率%", "规范率%"],
            (
                (
                    r.unit,
                    r.due,
                    r.filed,
                    r.timely,
                    r.proper,
                    r.overdue_open,
                    r.filing_rate,
                    r.timely_rate,
                    r.proper_rate,
                )
                for r in rows
            ),
            sheet="备案统计",
        )
    return render(
        request,
        "rulemaking/filing_stats.html",
        {"stats": stats, "form": form, "year": year, "source": rules.NORMATIVE_FILING_SOURCE},
    )


# ---------------------------------------------------------------- cleanups


@permission_required("normative.view")
def cleanup_list_view(request):
    form = f.YearFilterForm(request.GET)
    qs = selectors.cleanup_list(user=request.user, q=form.value("q") or "", year=form.value("year"))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename("规范性文件清理"),
            ["年度", "清理名称", "组织单位", "文件数", "已定结论", "状态", "公布日期"],
            (
                (
                    c.year,
                    c.title,
                    c.organiser.name,
                    c.entry_count,
                    c.decided_count,
                    c.get_status_display(),
                    c.published_on,
                )
                for c in qs.iterator(chunk_size=2000)
            ),
            sheet="清理",
        )
    return render(
        request,
        "rulemaking/cleanup_list.html",
        {"page": _page(qs, request), "form": form, "actions": perms.cleanup_actions(user=request.user, obj=None)},
    )


@permission_required("normative.review")
def cleanup_create_view(request):
    form = f.CleanupForm(
        request.POST or None,
        units=selectors.units_for(user=request.user),
        initial={"year": timezone.localdate().year, "organiser": request.user.unit_id},
    )
    return act_on_form(
        request,
        form,
        lambda d: services.cleanup_create(by=request.user, ip=_ip(request), **d),
        done=lambda c: f"已建立“{c.title}”",
        then=lambda c: ("rulemaking:cleanup_detail", c.pk),
    ) or render(
        request,
        "rulemaking/form.html",
        {"form": form, "title": "组织规范性文件清理", "back": "rulemaking:cleanup_list"},
        status=422 if form.errors else 200,
    )


class _NoForm(f.BootstrapForm):
    pass


def _cleanup_table():
    def entry(request, c, d):
        return selectors.cleanup_entry_get(user=request.user, campaign=c, pk=d["entry"])

    return {
        "add_documents": Action(
            _NoForm,
            lambda r, c, d: services.cleanup_add_documents(by=r.user, campaign=c, ip=_ip(r)),
            "已列入辖区内全部有效文件",
            title="列入辖区内全部有效文件",
            files=False,
        ),
        "decide": Action(
            f.DecideForm,
            lambda r, c, d: services.cleanup_decide(
                by=r.user, campaign=c, entry=entry(r, c, d), result=d["result"], reason=d["reason"], ip=_ip(r)
            ),
            "已作出清理结论",
            files=False,
        ),
        "publish": Action(
            _NoForm,
            lambda r, c, d: services.cleanup_publish(by=r.user, campaign=c, ip=_ip(r)),
            "清理结果已公布",
            title="公布清理结果",
            files=False,
        ),
    }


def _cleanup_page(request, campaign, *, bound=None, status=200):
    actions = perms.cleanup_actions(user=request.user, obj=campaign)
    entries = list(selectors.cleanup_entries(user=request.user, campaign=campaign))
    for e in entries:
        e.actions = perms.cleanup_entry_actions(user=request.user, obj=e)
    bound = bound or {}
    return render(
        request,
        "rulemaking/cleanup_detail.html",
        {
            "campaign": campaign,
            "entries": entries,
            "actions": actions,
            "results": CleanupEntry.RESULTS,
            "decide_error": bound.get("decide"),
            "forms": [x for x in _forms(request, campaign, _cleanup_table(), actions, bound) if x["code"] != "decide"],
            "citation": rules.NORMATIVE_CLEANUP_CITATION,
        },
        status=status,
    )


@permission_required("normative.view")
def cleanup_detail_view(request, pk: int):
    return _cleanup_page(request, selectors.cleanup_get(user=request.user, pk=pk))


@require_POST
@permission_required("normative.manage", "normative.review")
def cleanup_action_view(request, pk: int, action: str):
    campaign = selectors.cleanup_get(user=request.user, pk=pk)
    return _post_action(request, campaign, _cleanup_table(), action, "rulemaking:cleanup_detail", _cleanup_page)


# ---------------------------------------------------------------- incidental reviews


@permission_required("normative.view")
def incidental_list_view(request):
    form = f.IncidentalFilterForm(request.GET)
    qs = selectors.incidental_list(user=request.user, q=form.value("q") or "", status=form.value("status") or "")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename("规范性文件附带审查"),
            [
                "规范性文件",
                "条款",
                "行政复议案件",
                "制定机关",
                "处理机关",
                "收到日期",
                "处理方式",
                "状态",
                "结论",
                "期限",
            ],
            (
                (
                    r.document_ref,
                    r.clauses,
                    r.reconsideration_label,
                    r.maker_unit.name if r.maker_unit else "",
                    r.unit.name,
                    r.received_on,
                    r.get_path_display(),
                    r.get_status_display(),
                    r.get_conclusion_display() if r.conclusion else "",
                    r.item.deadline if r.item_id else "",
                )
                for r in qs.iterator(chunk_size=2000)
            ),
            sheet="附带审查",
        )
    return render(
        request,
        "rulemaking/incidental_list.html",
        {"page": _page(qs, request), "form": form, "actions": perms.incidental_actions(user=request.user, obj=None)},
    )


@permission_required("normative.review")
def incidental_create_view(request):
    user = request.user
    form = f.IncidentalForm(
        request.POST or None,
        documents=selectors.normative_documents_for_ref(user=user, q=""),
        units=selectors.all_units(),
        handlers=selectors.units_for(user=user, kinds=("justice", "government")),
        initial={"requested_by_unit": user.unit_id, "received_on": timezone.localdate()},
    )
    return act_on_form(
        request,
        form,
        lambda d: services.incidental_review_receive(by=user, ip=_ip(request), **d),
        done="已登记附带审查申请",
        then=lambda r: ("rulemaking:incidental_detail", r.pk),
    ) or render(
        request,
        "rulemaking/form.html",
        {"form": form, "title": "登记附带审查申请", "back": "rulemaking:incidental_list"},
        status=422 if form.errors else 200,
    )


def _incidental_table():
    S = services
    return {
        "route": Action(
            f.RouteForm,
            lambda r, x, d: S.incidental_route(by=r.user, review=x, ip=_ip(r), **d),
            "已确定处理方式",
            title="确定处理方式",
            files=False,
        ),
        "notify": Action(
            f.NotifyForm,
            lambda r, x, d: S.incidental_notify(by=r.user, review=x, files=_files(r), ip=_ip(r), **d),
            "已书面通知制定机关",
            title="书面通知制定机关答复",
        ),
        "answer": Action(
            f.MakerAnswerForm,
            lambda r, x, d: S.incidental_answer(by=r.user, review=x, files=_files(r), ip=_ip(r), **d),
            "已登记书面答复",
            title="制定机关书面答复",
        ),
        "conclude": Action(
            f.ConcludeForm,
            lambda r, x, d: S.incidental_conclude(by=r.user, review=x, files=_files(r), ip=_ip(r), **d),
            "已作出处理结论",
            title="作出处理结论",
        ),
        "forward": Action(
            f.ForwardForm,
            lambda r, x, d: S.incidental_forward(by=r.user, review=x, files=_files(r), ip=_ip(r), **d),
            "已转送",
            title="转送有权处理的机关",
        ),
        "reply": Action(
            f.ReplyForm,
            lambda r, x, d: S.incidental_reply(by=r.user, review=x, files=_files(r), ip=_ip(r), **d),
            "已登记回复",
            title="登记接受转送机关的回复",
        ),
    }


def _incidental_page(request, review, *, bound=None, status=200):
    actions = perms.incidental_actions(user=request.user, obj=review)
    item = review.item
    return render(
        request,
        "rulemaking/incidental_detail.html",
        {
            "r": review,
            "actions": actions,
            "forms": _forms(request, review, _incidental_table(), actions, bound or {}),
            "clocks": item_clocks(item=item) if item else [],
            "events": item_timeline(item=item) if item else [],
            "documents": selectors.documents_of(object_kind="incidental_review", object_id=review.pk),
            "citation": rules.INCIDENTAL_APPLICATION_CITATION,
            "working_days_note": rules.WORKING_DAYS_NOTE,
        },
        status=status,
    )


@permission_required("normative.view")
def incidental_detail_view(request, pk: int):
    return _incidental_page(request, selectors.incidental_get(user=request.user, pk=pk))


@require_POST
@permission_required("normative.manage", "normative.review")
def incidental_action_view(request, pk: int, action: str):
    review = selectors.incidental_get(user=request.user, pk=pk)
    return _post_action(request, review, _incidental_table(), action, "rulemaking:incidental_detail", _incidental_page)
