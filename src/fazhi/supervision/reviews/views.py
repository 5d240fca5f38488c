"""Pages of 行政执法案卷评查 (/supervision/reviews/). Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core import imports as core_imports
from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.exports import export_filename, xlsx_file_response, xlsx_response
from fazhi.supervision.links import link_label
from fazhi.supervision.reviews import forms as f
from fazhi.supervision.reviews import permissions as perms
from fazhi.supervision.reviews import rules, selectors, services
from fazhi.supervision.reviews.imports import IMPORTER, rubric_xlsx
from fazhi.supervision.reviews.models import Campaign, ReviewOpinion
from fazhi.tracking.selectors import item_timeline

PER_PAGE = 30
NS = "supervision:reviews:"


def _ip(request):
    return client_ip(request)


def _int(value):
    return int(value) if str(value or "").isdigit() else None


def _timeline(item):
    return item_timeline(item=item) if item is not None else []


# ---------------------------------------------------------------- rubrics


@permission_required("review.view")
def rubric_list_view(request):
    g = request.GET
    year = _int(g.get("year"))
    case_type = g.get("case_type", "") if g.get("case_type", "") in dict(f.PowerItem.KINDS) else ""
    rubrics = selectors.rubric_list(user=request.user, q=g.get("q", ""), year=year, case_type=case_type)
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("评查标准"),
            [
                "年度",
                "案卷类型",
                "版本",
                "标准名称",
                "总分",
                "优秀分数线",
                "合格分数线",
                "项目数",
                "使用活动数",
                "制定依据",
            ],
            (
                (
                    r.year,
                    r.get_case_type_display(),
                    r.version,
                    r.name,
                    r.total,
                    r.excellent_min,
                    r.pass_min,
                    r.item_count,
                    r.campaign_count,
                    r.basis,
                )
                for r in rubrics
            ),
            sheet="评查标准",
        )
    return render(
        request,
        "supervision/reviews/rubric_list.html",
        {
            "page": Paginator(rubrics, PER_PAGE).get_page(g.get("page")),
            "filters": g,
            "case_types": f.PowerItem.KINDS,
            "actions": perms.rubric_actions(user=request.user, obj=None),
            "source": rules.RUBRIC_SOURCE,
        },
    )


@permission_required("review.view")
def rubric_detail_view(request, pk: int):
    rubric = selectors.rubric_get(user=request.user, pk=pk)
    if request.GET.get("format") == "xlsx":
        return xlsx_file_response(
            f"{rubric.name}_{rubric.year}_v{rubric.version}.xlsx", rubric_xlsx(selectors.rubric_rows(rubric=rubric))
        )
    return render(
        request,
        "supervision/reviews/rubric_detail.html",
        {
            "rubric": rubric,
            "sections": selectors.rubric_sections(rubric=rubric),
            "vetoes": selectors.rubric_veto_items(rubric=rubric),
            "actions": perms.rubric_actions(user=request.user, obj=rubric),
            "rules": dict((c, (t, cit)) for c, t, cit in selectors.rule_catalogue()),
        },
    )


@require_POST
@permission_required("review.manage")
def rubric_version_view(request, pk: int):
    rubric = selectors.rubric_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.rubric_new_version(by=request.user, rubric=rubric, ip=_ip(request)),
        done=lambda r: f"已建立第 {r.version} 版，可导入 Excel 修改后用于新的评查活动",
        then=lambda r: (NS + "rubric_detail", r.pk if r else rubric.pk),
    )


def _header(form, replacing) -> dict:
    d = form.cleaned_data
    return {
        "name": d.get("name"),
        "year": replacing.year if replacing else d.get("year"),
        "case_type": replacing.case_type if replacing else d.get("case_type"),
        "basis": d.get("basis", ""),
        "total": d.get("total"),
        "excellent_min": d.get("excellent_min"),
        "pass_min": d.get("pass_min"),
        "rubric": replacing,
    }


@permission_required("review.manage")
def rubric_import_view(request):
    """Upload → check the whole sheet (dry run) → confirm: all or nothing. `?rubric=<id>` replaces the content of a
    rubric no campaign uses yet."""
    user = request.user
    replacing = None
    rubric_id = request.POST.get("rubric") or request.GET.get("rubric")
    if rubric_id:
        replacing = selectors.rubric_get(user=user, pk=rubric_id)
        if "edit" not in perms.rubric_actions(user=user, obj=replacing):
            raise Forbidden()
    elif "create" not in perms.rubric_actions(user=user, obj=None):
        raise Forbidden()
    form = f.RubricHeaderForm(request.POST or None, replacing=replacing)
    context = {"form": form, "importer": IMPORTER, "replacing": replacing, "result": None, "token": ""}
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("token"):
                token = request.POST["token"]
                commit = True
            else:
                token = core_imports.upload_store(user=user, uploaded=request.FILES.get("file"))
                commit = False
            with core_imports.upload_open(user=user, token=token) as fh:
                result = IMPORTER.run(fh, by=user, ip=_ip(request), commit=commit, header=_header(form, replacing))
        except DomainError as exc:
            form.add_error(None, exc.message)
            return render(request, "supervision/reviews/rubric_import.html", context, status=422)
        if result.committed:
            core_imports.upload_discard(user=user, token=token)
            messages.success(request, "评查标准已导入")
            return redirect(NS + "rubric_detail", result.summary["rubric_id"])
        context.update(result=result, token=token, preview=result.preview_rows)
        return render(
            request, "supervision/reviews/rubric_import.html", context, status=422 if result.has_errors else 200
        )
    return render(request, "supervision/reviews/rubric_import.html", context, status=422 if form.errors else 200)


@permission_required("review.manage")
def rubric_import_template_view(request):
    return xlsx_file_response("评查标准导入模板.xlsx", core_imports.template_xlsx(IMPORTER))


# ---------------------------------------------------------------- campaigns


@permission_required("review.view")
def campaign_list_view(request):
    g = request.GET
    status = g.get("status", "") if g.get("status", "") in dict(Campaign.STATUSES) else ""
    campaigns = selectors.campaign_list(user=request.user, q=g.get("q", ""), year=_int(g.get("year")), status=status)
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("案卷评查活动"),
            ["年度", "活动名称", "评查标准", "决定日期起", "决定日期止", "案卷数", "已定稿", "评查完成期限", "状态"],
            (
                (
                    c.year,
                    c.name,
                    str(c.rubric),
                    c.period_start,
                    c.period_end,
                    c.file_count,
                    c.final_count,
                    c.deadline,
                    c.get_status_display(),
                )
                for c in campaigns
            ),
            sheet="评查活动",
        )
    return render(
        request,
        "supervision/reviews/campaign_list.html",
        {
            "page": Paginator(campaigns, PER_PAGE).get_page(g.get("page")),
            "filters": g,
            "statuses": Campaign.STATUSES,
            "actions": perms.campaign_actions(user=request.user, obj=None),
        },
    )


@permission_required("review.manage")
def campaign_create_view(request):
    user = request.user
    if "create" not in perms.campaign_actions(user=user, obj=None):
        raise Forbidden()
    form = f.CampaignForm(request.POST or None, rubrics=selectors.rubric_choices(), agencies=selectors.agency_choices())
    return act_on_form(
        request,
        form,
        lambda d: services.campaign_create(by=user, ip=_ip(request), agencies=list(d.pop("agencies")), **d),
        done=lambda c: f"已建立“{c.name}”：请加入评查人员，然后进行抽样承诺",
        then=lambda c: (NS + "campaign_detail", c.pk),
    ) or render(request, "supervision/reviews/campaign_form.html", {"form": form}, status=422 if form.errors else 200)


def _campaign_context(request, campaign, **extra):
    user = request.user
    actions = perms.campaign_actions(user=user, obj=campaign)
    verified, problems = selectors.sample_verify(campaign=campaign)
    files = selectors.file_list(user=user, filters=selectors.FileFilters(campaign=campaign.pk))
    context = {
        "campaign": campaign,
        "actions": actions,
        "agencies": selectors.campaign_agencies(campaign=campaign),
        "sample": selectors.campaign_sample(campaign=campaign),
        "verified": verified,
        "problems": problems,
        "pool": selectors.campaign_pool(campaign=campaign),
        "loads": selectors.pool_loads(campaign=campaign) if "files" in actions else {},
        "totals": selectors.campaign_totals(campaign=campaign) if "summary" in actions else None,
        "files": files[:50],
        "file_count": files.count(),
        "timeline": _timeline(campaign.item) if "files" in actions else [],
        "documents": selectors.documents_of(kind="review_campaign", pk=campaign.pk) if "documents" in actions else [],
        "opinions": selectors.opinion_list(user=user, campaign=campaign),
        "pool_form": f.PoolForm(users=selectors.reviewer_candidates(campaign=campaign)) if "pool" in actions else None,
        "opinion_form": f.OpinionIssueForm() if "opinions" in actions else None,
        "rectification_days": rules.rectification_days(),
    }
    context.update(extra)
    return context


@permission_required("review.view")
def campaign_detail_view(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    return render(request, "supervision/reviews/campaign_detail.html", _campaign_context(request, campaign))


ACTIONS = {
    "commit": ("已冻结候选名录并公布承诺值，可以抽取", services.sample_commit),
    "draw": ("已抽取案卷并公开随机种子", services.sample_draw),
    "assign": (None, services.files_auto_assign),
    "publish": ("评查结果已公布，被评查单位可以查看本单位案卷的评查结果", services.campaign_publish),
    "report": ("已生成评查情况报告", services.campaign_report),
}


@require_POST
@permission_required("review.manage")
def campaign_action_view(request, pk: int, action: str):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    if action == "opinions":
        form = f.OpinionIssueForm(request.POST)
        return act_on_form(
            request,
            form,
            lambda d: services.opinions_issue(by=request.user, campaign=campaign, prefix=d["prefix"], ip=_ip(request)),
            done=lambda issued: f"已印发评查意见 {len(issued)} 份",
            then=(NS + "campaign_detail", campaign.pk),
        ) or render(
            request,
            "supervision/reviews/campaign_detail.html",
            _campaign_context(request, campaign, opinion_form=form),
            status=422,
        )
    if action not in ACTIONS:
        raise Http404()
    done, service = ACTIONS[action]

    def message(result):
        if action == "assign":
            text = f"已分配 {result['assigned']} 件案卷"
            if result["unassigned"]:
                text += f"；{len(result['unassigned'])} 件没有可回避的评查人员，请补充评查人员库"
            return text
        return done

    return act(
        request,
        lambda: service(by=request.user, campaign=campaign, ip=_ip(request)),
        done=message,
        then=(NS + "campaign_detail", campaign.pk),
    )


@require_POST
@permission_required("review.manage")
def campaign_pool_view(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    if request.POST.get("remove"):
        user = selectors.reviewer_ref(pk=request.POST.get("remove"))
        return act(
            request,
            lambda: services.pool_remove(by=request.user, campaign=campaign, user=user, ip=_ip(request)),
            done=f"已将“{user}”移出评查人员库",
            then=(NS + "campaign_detail", campaign.pk),
        )
    form = f.PoolForm(request.POST, users=selectors.reviewer_candidates(campaign=campaign))
    return act_on_form(
        request,
        form,
        lambda d: services.pool_add(by=request.user, campaign=campaign, user=d["user"], ip=_ip(request)),
        done=lambda e: f"已将“{e.user}”加入评查人员库",
        then=(NS + "campaign_detail", campaign.pk),
    ) or render(
        request,
        "supervision/reviews/campaign_detail.html",
        _campaign_context(request, campaign, pool_form=form),
        status=422,
    )


@permission_required("review.view")
def campaign_summary_view(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    if "summary" not in perms.campaign_actions(user=request.user, obj=campaign):
        raise Forbidden()
    summary = selectors.campaign_summary(campaign=campaign)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename(f"{campaign.name}_各单位评查情况"),
            ["名次", "单位", "抽取案卷", "已定稿", "平均分", "优秀", "合格", "不合格", "主要问题"],
            (
                (
                    r["rank"],
                    r["agency"],
                    r["files"],
                    r["final"],
                    float(r["mean"]) if r["mean"] is not None else None,
                    r["excellent"],
                    r["pass"],
                    r["fail"],
                    "；".join(f"{d['code']} {d['title']}（{d['files']} 件）" for d in r["defects"]),
                )
                for r in summary
            ),
            sheet="各单位评查情况",
        )
    return render(
        request,
        "supervision/reviews/campaign_summary.html",
        {
            "campaign": campaign,
            "summary": summary,
            "totals": selectors.campaign_totals(campaign=campaign),
            "defects": selectors.campaign_defects(campaign=campaign)[:10],
            "filters": request.GET,
        },
    )


@permission_required("review.view")
def campaign_document_view(request, pk: int, document_id: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    if "documents" not in perms.campaign_actions(user=request.user, obj=campaign):
        raise Http404()
    document = selectors.document_of(kind="review_campaign", pk=campaign.pk, document_id=document_id)
    return attachment_response(document.attachment)


# ---------------------------------------------------------------- files


def _file_filters(request):
    g = request.GET
    form = f.FileFilterForm(g or None, campaigns=selectors.campaign_list(user=request.user))
    form.is_valid()
    data = getattr(form, "cleaned_data", {}) or {}
    filters = selectors.FileFilters(
        campaign=_int(data.get("campaign")),
        status=data.get("status") or "",
        grade=data.get("grade") or "",
        q=data.get("q") or "",
        mine=bool(data.get("mine")) or (not g and _reviewer_only(request.user)),
    )
    return form, filters


def _reviewer_only(user) -> bool:
    """A reviewer without a manager's scope starts on his own files."""
    from fazhi.core.scope import has_permission

    return not has_permission(user, "review.manage")


@permission_required("review.view", "review.score")
def file_list_view(request):
    form, filters = _file_filters(request)
    files = selectors.file_list(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename("评查案卷"),
            [
                "评查活动",
                "序号",
                "抽取方式",
                "案号",
                "案由",
                "被评查单位",
                "评查人员",
                "第二评查人员",
                "状态",
                "得分",
                "等次",
            ],
            (
                (
                    x.campaign.name,
                    x.position,
                    x.get_reason_display(),
                    x.case.number,
                    x.case.title,
                    x.agency.unit.name,
                    str(x.reviewer or ""),
                    str(x.second_reviewer or ""),
                    x.get_status_display(),
                    float(x.score) if x.score is not None else None,
                    x.get_grade_display(),
                )
                for x in files.iterator(chunk_size=2000)
            ),
            sheet="评查案卷",
        )
    return render(
        request,
        "supervision/reviews/file_list.html",
        {"page": Paginator(files, PER_PAGE).get_page(request.GET.get("page")), "filter": form},
    )


def _file_context(request, file, **extra):
    user = request.user
    actions = perms.file_actions(user=user, obj=file)
    pool = None
    if "assign" in actions:
        pool = [m.user for m in selectors.campaign_pool(campaign=file.campaign)]
    context = {
        "file": file,
        "campaign": file.campaign,
        "actions": actions,
        "case_link": link_label(user=user, kind="case", pk=file.case_id),
        "sheets": selectors.file_sheets(user=user, file=file),
        "timeline": _timeline(file.item),
        "documents": selectors.documents_of(kind="review_file", pk=file.pk) if "document" in actions else [],
        "assign_form": f.AssignForm(
            users=selectors.reviewer_candidates().filter(pk__in=[u.pk for u in pool]),
            initial={"reviewer": file.reviewer_id, "second_reviewer": file.second_reviewer_id},
        )
        if pool is not None
        else None,
        "resolve_form": f.ResolveForm() if "resolve" in actions else None,
    }
    context.update(extra)
    return context


@permission_required("review.view", "review.score")
def file_detail_view(request, pk: int):
    file = selectors.file_get(user=request.user, pk=pk)
    return render(request, "supervision/reviews/file_detail.html", _file_context(request, file))


@require_POST
@permission_required("review.manage")
def file_assign_view(request, pk: int):
    file = selectors.file_get(user=request.user, pk=pk)
    pool_ids = [m.user_id for m in selectors.campaign_pool(campaign=file.campaign)]
    form = f.AssignForm(request.POST, users=selectors.reviewer_candidates().filter(pk__in=pool_ids))
    return act_on_form(
        request,
        form,
        lambda d: services.file_assign(
            by=request.user, file=file, reviewer=d["reviewer"], second_reviewer=d["second_reviewer"], ip=_ip(request)
        ),
        done="已指定评查人员",
        then=(NS + "file_detail", file.pk),
    ) or render(
        request, "supervision/reviews/file_detail.html", _file_context(request, file, assign_form=form), status=422
    )


@require_POST
@permission_required("review.manage")
def file_resolve_view(request, pk: int):
    file = selectors.file_get(user=request.user, pk=pk)
    form = f.ResolveForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda d: services.file_resolve(by=request.user, file=file, ip=_ip(request), **d),
        done="已裁定，案卷评查结果定稿",
        then=(NS + "file_detail", file.pk),
    ) or render(
        request, "supervision/reviews/file_detail.html", _file_context(request, file, resolve_form=form), status=422
    )


def _sheet_context(request, file, sheet, **extra):
    rubric = file.campaign.rubric
    context = {
        "file": file,
        "sheet": sheet,
        "lines": selectors.sheet_lines(sheet=sheet) if sheet else [],
        "preview": services.sheet_preview(sheet=sheet) if sheet else None,
        "sections": selectors.rubric_sections(rubric=rubric),
        "vetoes": selectors.rubric_veto_items(rubric=rubric),
        "line_form": f.LineForm(items=rubric.items.order_by("kind", "sort_order")),
        "submit_form": f.SubmitForm(),
        "case_link": link_label(user=request.user, kind="case", pk=file.case_id),
        "line_error": "",
    }
    context.update(extra)
    return context


@permission_required("review.score")
def file_sheet_view(request, pk: int):
    """The reviewer's score sheet: opened with the statutory deductions prefilled; confirm or override each (a
    reason to override), add deductions and failed veto items, submit."""
    user = request.user
    file = selectors.file_get(user=user, pk=pk)
    sheet = selectors.sheet_of(file=file, user=user)
    if request.method != "POST":
        if sheet is None and "score" not in perms.file_actions(user=user, obj=file):
            raise Forbidden()
        return render(request, "supervision/reviews/file_sheet.html", _sheet_context(request, file, sheet))
    action = request.POST.get("action", "")
    back = (NS + "file_sheet", file.pk)
    if action == "open":
        return act(
            request,
            lambda: services.sheet_open(by=user, file=file),
            done="已打开评分表，法定校验发现的问题已预填，请逐项确认或推翻",
            then=back,
        )
    if sheet is None:
        raise Forbidden()
    if action == "add":
        form = f.LineForm(request.POST, items=file.campaign.rubric.items.order_by("kind", "sort_order"))
        return act_on_form(
            request,
            form,
            lambda d: services.sheet_line_add(by=user, sheet=sheet, **d),
            done="已记录",
            then=back,
        ) or render(
            request,
            "supervision/reviews/file_sheet.html",
            _sheet_context(request, file, sheet, line_form=form),
            status=422,
        )
    if action in ("confirm", "override", "remove"):
        line = selectors.line_get(sheet=sheet, pk=request.POST.get("line"))

        def on_error(exc):
            return render(
                request,
                "supervision/reviews/file_sheet.html",
                _sheet_context(request, file, sheet, line_error=exc.message, error_line=line.pk),
                status=422,
            )

        if action == "remove":
            return act(
                request,
                lambda: services.sheet_line_remove(by=user, line=line),
                done="已删除",
                then=back,
                on_error=on_error,
            )
        return act(
            request,
            lambda: services.sheet_line_decide(
                by=user,
                line=line,
                decision=action,
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            ),
            done="已确认" if action == "confirm" else "已推翻，理由已记入时间线",
            then=back,
            on_error=on_error,
        )
    if action == "submit":
        form = f.SubmitForm(request.POST)
        return act_on_form(
            request,
            form,
            lambda d: services.sheet_submit(by=user, sheet=sheet, comment=d["comment"], ip=_ip(request)),
            done=lambda s: f"已提交评分：{rules.pts(s.score)} 分，{s.get_grade_display()}",
            then=(NS + "file_detail", file.pk),
        ) or render(
            request,
            "supervision/reviews/file_sheet.html",
            _sheet_context(request, file, sheet, submit_form=form),
            status=422,
        )
    raise Http404()


@permission_required("review.view", "review.score")
def file_document_view(request, pk: int, document_id: int):
    file = selectors.file_get(user=request.user, pk=pk)
    if "document" not in perms.file_actions(user=request.user, obj=file):
        raise Http404()
    document = selectors.document_of(kind="review_file", pk=file.pk, document_id=document_id)
    return attachment_response(document.attachment)


# ---------------------------------------------------------------- 评查意见 and rectification


@permission_required("review.view")
def opinion_list_view(request):
    g = request.GET
    status = g.get("status", "") if g.get("status", "") in dict(ReviewOpinion.STATUSES) else ""
    opinions = selectors.opinion_list(user=request.user, q=g.get("q", ""), status=status)
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("案卷评查意见"),
            ["文号", "评查活动", "被评查单位", "印发日期", "问题数", "整改期限", "状态"],
            (
                (
                    o.number,
                    o.campaign.name,
                    o.agency.unit.name,
                    o.issued_on,
                    len(o.defects or []),
                    o.item.deadline if o.item_id else None,
                    o.get_status_display(),
                )
                for o in opinions
            ),
            sheet="评查意见",
        )
    return render(
        request,
        "supervision/reviews/opinion_list.html",
        {
            "page": Paginator(opinions, PER_PAGE).get_page(g.get("page")),
            "filters": g,
            "statuses": ReviewOpinion.STATUSES,
        },
    )


def _opinion_context(request, opinion, **extra):
    actions = perms.opinion_actions(user=request.user, obj=opinion)
    context = {
        "opinion": opinion,
        "actions": actions,
        "timeline": _timeline(opinion.item),
        "documents": selectors.documents_of(kind="review_opinion", pk=opinion.pk),
        "report_form": f.ReportForm() if "report" in actions else None,
        "signoff_form": f.CommentForm() if "signoff" in actions else None,
        "return_form": f.ReturnForm() if "return" in actions else None,
    }
    context.update(extra)
    return context


@permission_required("review.view")
def opinion_detail_view(request, pk: int):
    opinion = selectors.opinion_get(user=request.user, pk=pk)
    return render(request, "supervision/reviews/opinion_detail.html", _opinion_context(request, opinion))


@require_POST
@permission_required("review.rectify", "review.manage")
def opinion_action_view(request, pk: int, action: str):
    user = request.user
    opinion = selectors.opinion_get(user=user, pk=pk)
    back = (NS + "opinion_detail", opinion.pk)
    if action == "report":
        form = f.ReportForm(request.POST)
        call = lambda d: services.opinion_report(  # noqa: E731
            by=user, opinion=opinion, text=d["text"], files=request.FILES.getlist("attachments"), ip=_ip(request)
        )
        done, key = "已报送整改情况，等待监督机关审核", "report_form"
    elif action == "signoff":
        form = f.CommentForm(request.POST)
        call = lambda d: services.opinion_signoff(by=user, opinion=opinion, comment=d["comment"], ip=_ip(request))  # noqa: E731
        done, key = "整改已销号", "signoff_form"
    elif action == "return":
        form = f.ReturnForm(request.POST)
        call = lambda d: services.opinion_return(by=user, opinion=opinion, reason=d["reason"], ip=_ip(request))  # noqa: E731
        done, key = "已退回，被评查单位需重新整改", "return_form"
    else:
        raise Http404()
    return act_on_form(request, form, call, done=done, then=back) or render(
        request,
        "supervision/reviews/opinion_detail.html",
        _opinion_context(request, opinion, **{key: form}),
        status=422,
    )


@permission_required("review.view")
def opinion_document_view(request, pk: int, document_id: int):
    opinion = selectors.opinion_get(user=request.user, pk=pk)
    document = selectors.document_of(kind="review_opinion", pk=opinion.pk, document_id=document_id)
    return attachment_response(document.attachment)
