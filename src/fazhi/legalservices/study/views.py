"""Pages of 学法用法 (thin: parse, call a service or selector, render)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.masking import mask_name
from fazhi.core.models import Unit, User
from fazhi.core.paging import CappedPaginator
from fazhi.core.scope import scoped
from fazhi.legalservices.study import forms, rules, selectors, services
from fazhi.legalservices.study.permissions import (
    exam_actions,
    paper_actions,
    question_actions,
    report_actions,
    session_actions,
)

NS = "legalservices:study"


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


# ---------------------------------------------------------------- sitting an exam


@permission_required("study.take")
def my_exams_view(request):
    papers = selectors.my_papers(user=request.user)
    return render(request, "legalservices/study/my_exams.html", {"papers": papers, "now": timezone.now()})


@permission_required("study.take", "study.view")
def paper_view(request, pk: int):
    paper = selectors.paper_get(user=request.user, pk=pk)
    if paper.status == rules.STARTED and paper.deadline and rules.too_late(now=timezone.now(), deadline=paper.deadline):
        paper = services.paper_time_out(paper=paper)
    actions = paper_actions(user=request.user, obj=paper)
    mine = paper.user_id == request.user.pk
    context = {
        "paper": paper,
        "exam": paper.exam,
        "actions": actions,
        "mine": mine,
        "candidate": paper.user.name if mine else mask_name(paper.user.name or paper.user.username),
        "grace": int(rules.grace().total_seconds()),
    }
    if (paper.status == rules.STARTED and mine) or paper.status in rules.FINISHED:
        context["questions"] = selectors.paper_questions(paper=paper)
        context["remaining"] = selectors.remaining_seconds(paper=paper)
    return render(request, "legalservices/study/paper.html", context)


@require_POST
@permission_required("study.take")
def paper_start_view(request, pk: int):
    paper = selectors.paper_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.paper_start(by=request.user, paper=paper),
        done=None,
        then=(f"{NS}:paper", pk),
    )


@require_POST
@permission_required("study.take")
def paper_answer_view(request, pk: int):
    """HTMX: save one answer as it is given; the fragment says when it was saved (or why it was refused)."""
    paper = selectors.paper_get(user=request.user, pk=pk)
    raw_q = request.POST.get("question_id", "")
    try:
        saved = services.paper_answer(
            by=request.user,
            paper=paper,
            question_id=int(raw_q) if raw_q.isdigit() else -1,
            answer="".join(request.POST.getlist("answer")),
        )
    except DomainError as exc:
        return HttpResponse(f'<span class="text-danger save-error">{exc.message}</span>', status=422)
    return HttpResponse(f'<span class="text-success saved">已保存 {timezone.localtime(saved.saved_at):%H:%M:%S}</span>')


@require_POST
@permission_required("study.take")
def paper_submit_view(request, pk: int):
    paper = selectors.paper_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.paper_submit(by=request.user, paper=paper),
        done=lambda p: f"已交卷：{p.score} 分，{'合格' if p.passed else '不合格'}",
        then=(f"{NS}:paper", pk),
    )


# ---------------------------------------------------------------- exams and results


@permission_required("study.view")
def exam_list_view(request):
    year = _year(request)
    exams = selectors.exam_list(user=request.user, year=year)
    results = selectors.exam_results(year=year, user=request.user)
    if request.GET.get("format") == "xlsx":
        rows = ([r.unit_name, r.enrolled, r.sat, r.passed, r.pass_rate, r.average] for r in results)
        return xlsx_response(
            export_filename(f"{year}年考试成绩（按单位）"),
            ["单位", "报名", "参考", "合格", "合格率(%)", "平均分"],
            rows,
            sheet="按单位",
        )
    return render(
        request,
        "legalservices/study/exam_list.html",
        {"exams": exams, "results": results, "year": year, "actions": exam_actions(user=request.user, obj=None)},
    )


@permission_required("study.manage")
def exam_create_view(request):
    form = forms.ExamForm(
        request.POST or None, subjects=selectors.subjects(), initial={"year": timezone.localdate().year}
    )
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.exam_create(by=request.user, **d),
            done="考试已创建，请报名考生后发布",
            then=lambda e: (f"{NS}:exam_detail", e.pk),
        )
        if response is not None:
            return response
    return render(request, "legalservices/study/exam_form.html", {"form": form}, status=422 if form.is_bound else 200)


@permission_required("study.view")
def exam_detail_view(request, pk: int):
    exam = selectors.exam_get(user=request.user, pk=pk)
    papers = selectors.exam_papers(user=request.user, exam=exam)
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                p.unit.name,
                p.user.name or p.user.username,
                p.get_status_display(),
                p.score,
                "合格" if p.passed else ("不合格" if p.passed is False else ""),
                p.submitted_at,
                p.seed,
            ]
            for p in papers.iterator(chunk_size=2000)
        )
        return xlsx_response(
            export_filename(f"{exam.title}成绩"),
            ["单位", "考生", "状态", "成绩", "结论", "交卷时间", "抽题种子"],
            rows,
            sheet="成绩",
        )
    actions = exam_actions(user=request.user, obj=exam)
    enrol_form = forms.EnrolForm(units=scoped(Unit.objects.filter(is_active=True), request.user, unit_field=""))
    return render(
        request,
        "legalservices/study/exam_detail.html",
        {
            "exam": exam,
            "actions": actions,
            "page": CappedPaginator(papers, 50).get_page(request.GET.get("page")),
            "results": selectors.exam_results(year=exam.year, user=request.user, exam=exam),
            "enrol_form": enrol_form,
        },
    )


@require_POST
@permission_required("study.manage")
def exam_enrol_view(request, pk: int):
    exam = selectors.exam_get(user=request.user, pk=pk)
    form = forms.EnrolForm(request.POST, units=scoped(Unit.objects.filter(is_active=True), request.user, unit_field=""))
    form.is_valid()
    units = form.cleaned_data.get("units") or []
    names = [n.strip() for n in (form.cleaned_data.get("usernames") or "").split() if n.strip()]
    users = list(User.objects.filter(unit__in=units, is_active=True)) + list(
        scoped(User.objects.filter(username__in=names, is_active=True), request.user)
    )
    return act(
        request,
        lambda: services.exam_enrol(by=request.user, exam=exam, users=users),
        done=lambda n: f"新增考生 {n} 名（每人一份随机试卷，抽题种子已记录）",
        then=(f"{NS}:exam_detail", pk),
    )


@require_POST
@permission_required("study.manage")
def exam_open_view(request, pk: int):
    exam = selectors.exam_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.exam_open(by=request.user, exam=exam),
        done="考试已发布",
        then=(f"{NS}:exam_detail", pk),
    )


@require_POST
@permission_required("study.manage")
def exam_close_view(request, pk: int):
    exam = selectors.exam_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.exam_close(by=request.user, exam=exam),
        done="考试已结束，未交卷的试卷已按已保存答案评分",
        then=(f"{NS}:exam_detail", pk),
    )


# ---------------------------------------------------------------- question bank


@permission_required("study.manage")
def question_list_view(request):
    f = forms.QuestionFilterForm(request.GET)
    qs = selectors.question_list(
        user=request.user,
        q=f.value("q", ""),
        subject=f.value("subject", ""),
        kind=f.value("kind", ""),
        active=f.value("active", ""),
    )
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                q.subject,
                q.kind_label,
                q.stem,
                *(q.options + [""] * 6)[:6],
                q.answer,
                q.explanation,
                "启用" if q.is_active else "停用",
            ]
            for q in qs.iterator(chunk_size=2000)
        )
        headers = ["科目", "题型", "题干", *[f"选项{c}" for c in rules.OPTION_LETTERS[:6]], "正确答案", "解析", "状态"]
        return xlsx_response(export_filename("题库"), headers, rows, sheet="题库")
    return render(
        request,
        "legalservices/study/question_list.html",
        {
            "filter": f,
            "page": CappedPaginator(qs, 30).get_page(request.GET.get("page")),
            "subjects": selectors.subjects(),
            "actions": question_actions(user=request.user),
        },
    )


def _question_page(request, form, *, question=None, status=200):
    return render(
        request,
        "legalservices/study/question_form.html",
        {
            "form": form,
            "question": question,
            "actions": question_actions(user=request.user, obj=question),
            "title": "修改试题" if question else "新增试题",
            "back": reverse(f"{NS}:question_list"),
        },
        status=status,
    )


@permission_required("study.manage")
def question_create_view(request):
    if "create" not in question_actions(user=request.user):
        raise PermissionDenied("无权新增试题")
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.question_save(by=request.user, **form.data_for_service()),
            done="已新增试题",
            then=lambda q: (f"{NS}:question_detail", q.pk),
        )
        if response is not None:
            return response
    return _question_page(request, form, status=422 if form.is_bound else 200)


@permission_required("study.manage")
def question_detail_view(request, pk: int):
    question = selectors.question_get(user=request.user, pk=pk)
    if request.method == "POST":
        if "edit" not in question_actions(user=request.user, obj=question):
            raise PermissionDenied("无权修改该试题")
        form = forms.QuestionForm(request.POST)
        response = act_on_form(
            request,
            form,
            lambda d: services.question_save(by=request.user, instance=question, **form.data_for_service()),
            done="已保存试题",
            then=(f"{NS}:question_detail", question.pk),
        )
        if response is not None:
            return response
        return _question_page(request, form, question=question, status=422)
    return _question_page(
        request, forms.QuestionForm(initial=forms.QuestionForm.initial_for(question)), question=question
    )


@require_POST
@permission_required("study.manage")
def question_active_view(request, pk: int):
    question = selectors.question_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    if ("activate" if active else "deactivate") not in question_actions(user=request.user, obj=question):
        raise PermissionDenied("无权启用或停用该试题")
    return act(
        request,
        lambda: services.question_set_active(by=request.user, question=question, active=active),
        done="已启用试题" if active else "已停用试题：以后抽题不再抽到它，已抽出的试卷不受影响",
        then=(f"{NS}:question_detail", question.pk),
    )


# ---------------------------------------------------------------- 会前学法


@permission_required("study.view")
def session_list_view(request):
    f = forms.FilterForm(request.GET)
    qs = selectors.session_list(user=request.user, q=f.value("q", ""), year=f.value("year"))
    if request.GET.get("format") == "xlsx":
        rows = (
            [s.held_on, s.meeting, s.topic, s.law_title, s.presenting_unit.name, s.presenter, s.attendees] for s in qs
        )
        return xlsx_response(
            export_filename("会前学法"),
            ["日期", "会议", "学习主题", "所学法律法规", "讲法单位", "讲法人", "参会人数"],
            rows,
            sheet="会前学法",
        )
    return render(
        request,
        "legalservices/study/session_list.html",
        {
            "filter": f,
            "page": CappedPaginator(qs, 20).get_page(request.GET.get("page")),
            "actions": session_actions(user=request.user),
        },
    )


@permission_required("study.manage")
def session_create_view(request):
    units = scoped(Unit.objects.filter(is_active=True), request.user, unit_field="")
    form = forms.SessionForm(request.POST or None, units=units)
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.session_save(by=request.user, **d),
            done="已登记会前学法",
            then=f"{NS}:session_list",
        )
        if response is not None:
            return response
    return render(
        request,
        "legalservices/study/form.html",
        {"form": form, "title": "登记会前学法", "back": reverse(f"{NS}:session_list")},
        status=422 if form.is_bound else 200,
    )


# ---------------------------------------------------------------- 年终述法


@permission_required("study.view")
def report_list_view(request):
    f = forms.ReportFilterForm(request.GET)
    has_file = {"1": True, "0": False}.get(f.value("file", ""))
    qs = selectors.report_list(user=request.user, q=f.value("q", ""), year=f.value("year"), has_file=has_file)
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                r.year,
                r.unit.name,
                r.leader_name,
                r.leader_post,
                r.submitted_at,
                "已上传" if r.attachment_id else "未上传",
            ]
            for r in qs
        )
        return xlsx_response(
            export_filename("年终述法"),
            ["年度", "单位", "述法人", "职务", "报送时间", "述法报告文件"],
            rows,
            sheet="年终述法",
        )
    year = f.value("year") or timezone.localdate().year
    return render(
        request,
        "legalservices/study/report_list.html",
        {
            "filter": f,
            "page": CappedPaginator(qs, 20).get_page(request.GET.get("page")),
            "actions": report_actions(user=request.user),
            "status_year": year,
            "status": selectors.report_file_status(user=request.user, year=year),
        },
    )


@permission_required("study.report", "study.manage")
def report_create_view(request):
    form = forms.ReportForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.report_save(by=request.user, **d),
            done="已报送年终述法",
            then=f"{NS}:report_list",
        )
        if response is not None:
            return response
    return render(
        request,
        "legalservices/study/form.html",
        {"form": form, "title": "报送年终述法", "back": reverse(f"{NS}:report_list")},
        status=422 if form.is_bound else 200,
    )


@permission_required("study.view")
def report_detail_view(request, pk: int):
    return _report_detail(request, selectors.report_get(user=request.user, pk=pk))


def _report_detail(request, report, *, error: DomainError | None = None):
    return render(
        request,
        "legalservices/study/report_detail.html",
        {"report": report, "actions": report_actions(user=request.user, obj=report), "upload_error": error},
        status=422 if error else 200,
    )


@require_POST
@permission_required("study.report", "study.manage")
def report_upload_view(request, pk: int):
    report = selectors.report_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.report_file_upload(by=request.user, report=report, file=request.FILES.get("file")),
        done="已上传述法报告文件",
        then=(f"{NS}:report_detail", pk),
        on_error=lambda exc: _report_detail(request, report, error=exc),
    )


@permission_required("study.view")
def report_file_view(request, pk: int):
    return attachment_response(selectors.report_file_get(user=request.user, pk=pk))
