"""API of 学法用法 (/api/v1/legalservices/study/…): parse, call a service or selector, serialise."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.core.apitypes import MAX_OFFSET
from fazhi.core.attachments import attachment_response
from fazhi.core.errors import NotFound
from fazhi.core.masking import mask_name
from fazhi.core.models import User
from fazhi.core.scope import scoped
from fazhi.core.tokens import PermissionAuth
from fazhi.legalservices.study import selectors, services

router = Router(tags=["学法用法"])

VIEW = PermissionAuth("study.view")
MANAGE = PermissionAuth("study.manage")
TAKE = PermissionAuth("study.take")


class QuestionIn(Schema):
    subject: str = Field(..., max_length=50)
    kind: str = Field(..., description="single 单选 / multiple 多选 / judge 判断（也接受中文题型名）")
    stem: str = Field(..., max_length=2000)
    options: list[str] = Field(default_factory=list, max_length=8, description="选择题的选项，依次为 A、B、C…")
    answer: str = Field(..., max_length=20, description="正确答案：字母（多选如 ABD），判断题 正确/错误")
    explanation: str = Field("", max_length=2000)


class QuestionOut(Schema):
    id: int
    subject: str
    kind: str
    stem: str
    options: list[str]
    answer: str
    explanation: str
    is_active: bool


class StudyQuestionActiveIn(Schema):
    active: bool = Field(..., description="false 停用（不再抽到，已抽出的试卷不受影响）；true 重新启用")


class StudyImportOut(Schema):
    imported: int


class ExamIn(Schema):
    title: str = Field(..., max_length=100)
    kind: str = Field(
        ..., description="pre_appointment 任前考法 / annual 年度集中闭卷考试 / qualification 执法资格考试"
    )
    year: int = Field(..., ge=2000, le=2100)
    subjects: list[str] = Field(..., min_length=1, max_length=50)
    single_count: int = Field(0, ge=0, le=200)
    multiple_count: int = Field(0, ge=0, le=200)
    judge_count: int = Field(0, ge=0, le=200)
    duration_minutes: int = Field(60, ge=1, le=1000)
    pass_mark: int | None = Field(None, ge=0, le=1000)
    opens_at: dt.datetime
    closes_at: dt.datetime


class ExamOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    year: int
    unit: str
    subjects: list[str]
    single_count: int
    multiple_count: int
    judge_count: int
    duration_minutes: int
    pass_mark: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    status: str


class EnrolIn(Schema):
    usernames: list[str] = Field(default_factory=list, max_length=5000)
    unit_ids: list[int] = Field(default_factory=list, max_length=500)


class EnrolOut(Schema):
    enrolled: int


class UnitResultOut(Schema):
    unit_id: int
    unit_name: str
    enrolled: int
    sat: int
    passed: int
    pass_rate: Decimal | None
    average: Decimal | None
    light: str


class PaperQuestionOut(Schema):
    number: int
    question_id: int
    kind: str
    stem: str
    options: list[str] = Field(..., description="选项，按本试卷的显示顺序（依抽题种子打乱，判断题不打乱）")
    option_keys: list[str] = Field(
        ..., description="与 options 一一对应的题库字母：作答时提交这些字母（given 也用题库字母）"
    )
    given: str


class PaperOut(Schema):
    id: int
    exam_id: int
    exam_title: str
    candidate: str
    unit: str
    status: str
    seed: str = Field(..., description="抽题种子（十进制字符串）：用同一题库可以重新抽出同一份试卷")
    started_at: dt.datetime | None
    deadline: dt.datetime | None
    remaining_seconds: int
    submitted_at: dt.datetime | None
    score: Decimal | None
    passed: bool | None
    questions: list[PaperQuestionOut] = Field(default_factory=list, description="考生本人答题中：试题与已保存的答案")


class StudyAnswerIn(Schema):
    question_id: int = Field(..., ge=1, le=2**62)
    answer: str = Field("", max_length=20)


class AnswerOut(Schema):
    question_id: int
    answer: str
    saved_at: dt.datetime


class StudySubmitIn(Schema):
    answers: dict[str, str] = Field(default_factory=dict, description="交卷时一并提交的答案：{试题编号: 答案}")


class SessionIn(Schema):
    meeting: str = Field(..., max_length=100)
    held_on: dt.date
    topic: str = Field(..., max_length=200)
    law_title: str = Field(..., max_length=200)
    presenting_unit_id: int = Field(..., ge=1, le=2**62)
    presenter: str = Field(..., max_length=50)
    attendees: int = Field(0, ge=0, le=10000)


class SessionOut(Schema):
    id: int
    unit: str
    meeting: str
    held_on: dt.date
    topic: str
    law_title: str
    presenting_unit: str
    presenter: str
    attendees: int


class StudyReportIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    leader_name: str = Field(..., max_length=50)
    leader_post: str = Field(..., max_length=50)
    content: str = Field(..., max_length=20000)


class StudyReportOut(Schema):
    id: int
    year: int
    unit: str
    leader_name: str
    leader_post: str
    content: str
    submitted_at: dt.datetime
    file_name: str | None = Field(None, description="已上传的述法报告文件名；未上传为 null")


class StudyReportFileStatusOut(Schema):
    unit: str
    expected: int
    uploaded: list[str]
    missing: list[str]


def _question(q) -> dict:
    return {
        "id": q.pk,
        "subject": q.subject,
        "kind": q.kind,
        "stem": q.stem,
        "options": q.options,
        "answer": q.answer,
        "explanation": q.explanation,
        "is_active": q.is_active,
    }


def _exam(e) -> dict:
    return {
        **{
            f: getattr(e, f)
            for f in (
                "title",
                "kind",
                "kind_label",
                "year",
                "subjects",
                "single_count",
                "multiple_count",
                "judge_count",
                "duration_minutes",
                "pass_mark",
                "opens_at",
                "closes_at",
                "status",
            )
        },
        "id": e.pk,
        "unit": e.unit.name,
    }


def _paper(request, paper) -> dict:
    from fazhi.legalservices.study import rules

    mine = paper.user_id == request.auth.pk
    questions = []
    if mine and paper.status == rules.STARTED:
        questions = [
            {
                "number": q.number,
                "question_id": q.question.pk,
                "kind": q.question.kind,
                "stem": q.question.stem,
                "options": [text for _key, _label, text in q.choices],
                "option_keys": [key for key, _label, _text in q.choices],
                "given": q.given,
            }
            for q in selectors.paper_questions(paper=paper)
        ]
    name = paper.user.name or paper.user.username
    return {
        "id": paper.pk,
        "exam_id": paper.exam_id,
        "exam_title": paper.exam.title,
        "candidate": name if mine else mask_name(name),
        "unit": paper.unit.name,
        "status": paper.status,
        "seed": str(paper.seed),
        "started_at": paper.started_at,
        "deadline": paper.deadline,
        "remaining_seconds": selectors.remaining_seconds(paper=paper),
        "submitted_at": paper.submitted_at,
        "score": paper.score,
        "passed": paper.passed,
        "questions": questions,
    }


# ---------------------------------------------------------------- question bank


@router.get("/study/questions", auth=MANAGE, response=list[QuestionOut], summary="题库（按科目、题型、关键词）")
def question_list(
    request: HttpRequest,
    q: str = "",
    subject: str = "",
    kind: str = "",
    active: str = Query("", description="1 启用 / 0 停用 / 空：全部"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.question_list(user=request.auth, q=q, subject=subject, kind=kind, active=active)
    return [_question(x) for x in qs[offset : offset + limit]]


@router.post("/study/questions", auth=MANAGE, response={201: QuestionOut}, summary="新增试题")
def question_create(request: HttpRequest, payload: QuestionIn):
    q = services.question_save(by=request.auth, **payload.dict())
    return Status(201, _question(q))


@router.get("/study/questions/{int:pk}", auth=MANAGE, response=QuestionOut, summary="一道试题")
def question_get(request: HttpRequest, pk: int):
    return _question(selectors.question_get(user=request.auth, pk=pk))


@router.put("/study/questions/{int:pk}", auth=MANAGE, response=QuestionOut, summary="修改试题（需全部数据范围）")
def question_update(request: HttpRequest, pk: int, payload: QuestionIn):
    q = selectors.question_get(user=request.auth, pk=pk)
    return _question(services.question_save(by=request.auth, instance=q, **payload.dict()))


@router.post(
    "/study/questions/{int:pk}/active",
    auth=MANAGE,
    response=QuestionOut,
    summary="停用或重新启用试题（需全部数据范围）",
)
def question_active(request: HttpRequest, pk: int, payload: StudyQuestionActiveIn):
    q = selectors.question_get(user=request.auth, pk=pk)
    return _question(services.question_set_active(by=request.auth, question=q, active=payload.active))


@router.post(
    "/study/questions/import", auth=MANAGE, response={201: StudyImportOut}, summary="Excel 导入题库（全有或全无）"
)
def question_import(request: HttpRequest, file: UploadedFile = File(...)):
    result = services.questions_import(by=request.auth, fileobj=file, commit=True)
    return Status(201, {"imported": len(result.rows)})


# ---------------------------------------------------------------- exams


@router.get("/study/exams", auth=VIEW, response=list[ExamOut], summary="考试列表")
def exam_list(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100), kind: str = ""):
    return [_exam(e) for e in selectors.exam_list(user=request.auth, year=year, kind=kind)[:500]]


@router.post("/study/exams", auth=MANAGE, response={201: ExamOut}, summary="组织考试（未发布）")
def exam_create(request: HttpRequest, payload: ExamIn):
    exam = services.exam_create(by=request.auth, **payload.dict())
    return Status(201, _exam(exam))


@router.get("/study/exams/{int:pk}", auth=VIEW, response=ExamOut, summary="考试详情")
def exam_detail(request: HttpRequest, pk: int):
    return _exam(selectors.exam_get(user=request.auth, pk=pk))


@router.post("/study/exams/{int:pk}/enrol", auth=MANAGE, response=EnrolOut, summary="报名考生（每人随机组卷）")
def exam_enrol(request: HttpRequest, pk: int, payload: EnrolIn):
    exam = selectors.exam_get(user=request.auth, pk=pk)
    people = scoped(User.objects.filter(is_active=True), request.auth)
    users = list(people.filter(username__in=payload.usernames)) + list(people.filter(unit_id__in=payload.unit_ids))
    return {"enrolled": services.exam_enrol(by=request.auth, exam=exam, users=users)}


@router.post("/study/exams/{int:pk}/open", auth=MANAGE, response=ExamOut, summary="发布考试")
def exam_open(request: HttpRequest, pk: int):
    exam = selectors.exam_get(user=request.auth, pk=pk)
    return _exam(services.exam_open(by=request.auth, exam=exam))


@router.post(
    "/study/exams/{int:pk}/close", auth=MANAGE, response=ExamOut, summary="结束考试（未交卷的按已保存答案评分）"
)
def exam_close(request: HttpRequest, pk: int):
    exam = selectors.exam_get(user=request.auth, pk=pk)
    return _exam(services.exam_close(by=request.auth, exam=exam))


@router.get("/study/exams/{int:pk}/results", auth=VIEW, response=list[UnitResultOut], summary="本次考试按单位成绩")
def exam_results_of(request: HttpRequest, pk: int):
    exam = selectors.exam_get(user=request.auth, pk=pk)
    rows = selectors.exam_results(year=exam.year, user=request.auth, exam=exam)
    return [{**r.__dict__, "pass_rate": r.pass_rate} for r in rows]


@router.get("/study/results", auth=VIEW, response=list[UnitResultOut], summary="年度考试成绩（按单位）")
def results(request: HttpRequest, year: int = Query(..., ge=2000, le=2100), kind: str = ""):
    rows = selectors.exam_results(year=year, user=request.auth, kind=kind)
    return [{**r.__dict__, "pass_rate": r.pass_rate} for r in rows]


# ---------------------------------------------------------------- papers


@router.get("/study/my-papers", auth=TAKE, response=list[PaperOut], summary="我的考试")
def my_papers(request: HttpRequest):
    return [_paper(request, p) for p in selectors.my_papers(user=request.auth)[:200]]


def _get_paper(request, pk: int):
    return selectors.paper_get(user=request.auth, pk=pk)


@router.get(
    "/study/papers/{int:pk}",
    auth=PermissionAuth("study.take", "study.view"),
    response=PaperOut,
    summary="试卷（考生本人或成绩查看）",
)
def paper_detail(request: HttpRequest, pk: int):
    return _paper(request, _get_paper(request, pk))


def _own_paper(request, pk: int):
    paper = _get_paper(request, pk)
    if paper.user_id != request.auth.pk:
        raise NotFound()
    return paper


@router.post("/study/papers/{int:pk}/start", auth=TAKE, response=PaperOut, summary="开始考试（重复调用不重新计时）")
def paper_start(request: HttpRequest, pk: int):
    paper = services.paper_start(by=request.auth, paper=_own_paper(request, pk))
    return _paper(request, paper)


@router.post("/study/papers/{int:pk}/answers", auth=TAKE, response=AnswerOut, summary="保存一题的答案")
def paper_answer(request: HttpRequest, pk: int, payload: StudyAnswerIn):
    saved = services.paper_answer(
        by=request.auth, paper=_own_paper(request, pk), question_id=payload.question_id, answer=payload.answer
    )
    return {"question_id": saved.question_id, "answer": saved.answer, "saved_at": saved.saved_at}


@router.post("/study/papers/{int:pk}/submit", auth=TAKE, response=PaperOut, summary="交卷（超过时限拒绝）")
def paper_submit(request: HttpRequest, pk: int, payload: StudySubmitIn):
    paper = services.paper_submit(
        by=request.auth, paper=_own_paper(request, pk), answers=payload.answers or None, now=timezone.now()
    )
    return _paper(request, paper)


# ---------------------------------------------------------------- 会前学法 and 年终述法


@router.get("/study/sessions", auth=VIEW, response=list[SessionOut], summary="会前学法")
def session_list(
    request: HttpRequest,
    q: str = "",
    year: int | None = Query(None, ge=2000, le=2100),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.session_list(user=request.auth, q=q, year=year)[offset : offset + limit]
    return [
        {
            "id": s.pk,
            "unit": s.unit.name,
            "meeting": s.meeting,
            "held_on": s.held_on,
            "topic": s.topic,
            "law_title": s.law_title,
            "presenting_unit": s.presenting_unit.name,
            "presenter": s.presenter,
            "attendees": s.attendees,
        }
        for s in qs
    ]


@router.post("/study/sessions", auth=MANAGE, response={201: SessionOut}, summary="登记会前学法")
def session_create(request: HttpRequest, payload: SessionIn):
    from fazhi.core.models import Unit

    data = payload.dict()
    unit = scoped(Unit.objects.all(), request.auth, unit_field="").filter(pk=data.pop("presenting_unit_id")).first()
    s = services.session_save(by=request.auth, presenting_unit=unit, **data)
    return Status(
        201,
        {
            "id": s.pk,
            "unit": s.unit.name,
            "meeting": s.meeting,
            "held_on": s.held_on,
            "topic": s.topic,
            "law_title": s.law_title,
            "presenting_unit": s.presenting_unit.name,
            "presenter": s.presenter,
            "attendees": s.attendees,
        },
    )


def _report(r) -> dict:
    return {
        "id": r.pk,
        "year": r.year,
        "unit": r.unit.name,
        "leader_name": r.leader_name,
        "leader_post": r.leader_post,
        "content": r.content,
        "submitted_at": r.submitted_at,
        "file_name": r.attachment.name if r.attachment_id else None,
    }


@router.get("/study/reports", auth=VIEW, response=list[StudyReportOut], summary="年终述法")
def report_list(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100),
    q: str = "",
    has_file: bool | None = Query(None, description="true 已上传述法报告文件 / false 未上传"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = selectors.report_list(user=request.auth, year=year, q=q, has_file=has_file)
    return [_report(r) for r in qs[offset : offset + limit]]


@router.get(
    "/study/reports/files",
    auth=VIEW,
    response=list[StudyReportFileStatusOut],
    summary="年终述法报告文件上传情况（按单位）",
)
def report_file_status(request: HttpRequest, year: int = Query(..., ge=2000, le=2100)):
    return [
        {"unit": s.unit.name, "expected": s.expected, "uploaded": s.uploaded, "missing": s.missing}
        for s in selectors.report_file_status(user=request.auth, year=year)
    ]


@router.post(
    "/study/reports",
    auth=PermissionAuth("study.report", "study.manage"),
    response={201: StudyReportOut},
    summary="报送年终述法",
)
def report_create(request: HttpRequest, payload: StudyReportIn):
    return Status(201, _report(services.report_save(by=request.auth, **payload.dict())))


@router.get("/study/reports/{int:pk}", auth=VIEW, response=StudyReportOut, summary="年终述法详情")
def report_detail(request: HttpRequest, pk: int):
    return _report(selectors.report_get(user=request.auth, pk=pk))


@router.post(
    "/study/reports/{int:pk}/file",
    auth=PermissionAuth("study.report", "study.manage"),
    response=StudyReportOut,
    summary="上传年终述法报告文件（multipart：file）",
)
def report_file_upload(request: HttpRequest, pk: int, file: File[UploadedFile] = None):
    report = selectors.report_get(user=request.auth, pk=pk)
    return _report(services.report_file_upload(by=request.auth, report=report, file=file))


@router.get("/study/reports/{int:pk}/file", auth=VIEW, summary="下载年终述法报告文件")
def report_file_download(request: HttpRequest, pk: int):
    return attachment_response(selectors.report_file_get(user=request.auth, pk=pk))
