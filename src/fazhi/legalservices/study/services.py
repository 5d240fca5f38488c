"""Every write of 学法用法, each in one transaction, checking the actor's rights itself (`by=None`: the system)."""

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.normalize import clean_text, parse_date
from fazhi.legalservices.study import rules
from fazhi.legalservices.study.models import (
    ExamAnswer,
    ExamPaper,
    StudyExam,
    StudyLawReport,
    StudyQuestion,
    StudySession,
)
from fazhi.legalservices.study.permissions import (
    exam_actions,
    paper_actions,
    question_actions,
    report_actions,
    session_actions,
)


def _require(actions: set[str], action: str) -> None:
    if action not in actions:
        raise Forbidden()


def _text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = clean_text(value)
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 个字符", field=field)
    return text


def _int(value, *, field: str, label: str, lo: int, hi: int) -> int:
    try:
        number = int(clean_text(value) if not isinstance(value, int) else value)
    except (TypeError, ValueError):
        raise DomainError(f"{label}“{clean_text(value)}”不是整数", field=field) from None
    if not lo <= number <= hi:
        raise DomainError(f"{label}应在 {lo}–{hi} 之间", field=field)
    return number


# ---------------------------------------------------------------- question bank


@transaction.atomic
def question_save(
    *, by, subject, kind, stem, options, answer, explanation="", instance: StudyQuestion | None = None
) -> StudyQuestion:
    """A question of the bank. A question without a correct answer, or with one outside its options, is refused."""
    if by is not None:
        _require(question_actions(user=by, obj=instance), "edit" if instance else "create")
    subject = _text(subject, field="subject", label="科目", limit=50)
    kind_text = clean_text(kind)
    kind = {label: code for code, label in rules.QUESTION_KINDS}.get(kind_text, kind_text)
    if kind not in rules.QUESTION_KIND_LABELS:
        raise DomainError(f"题型“{kind_text}”无效（单选题、多选题或判断题）", field="kind")
    stem = _text(stem, field="stem", label="题干", limit=2000)
    if kind == rules.JUDGE:
        options = list(rules.JUDGE_OPTIONS)
    else:
        options = [clean_text(o) for o in (options or []) if clean_text(o)]
        if len(options) < 2:
            raise DomainError("选择题至少需要两个选项", field="options")
        if len(options) > rules.MAX_OPTIONS:
            raise DomainError(f"选项不能超过 {rules.MAX_OPTIONS} 个", field="options")
        if any(len(o) > 500 for o in options):
            raise DomainError("每个选项不能超过 500 个字符", field="options")
    if not clean_text(answer):
        raise DomainError("正确答案不能为空", field="answer")
    try:
        key = rules.normalise_answer(kind, answer, options=len(options))
    except ValueError:
        raise DomainError(
            f"正确答案“{clean_text(answer)}”与题型或选项不符（{rules.QUESTION_KIND_LABELS[kind]}，"
            f"选项 {rules.OPTION_LETTERS[: len(options)]}）",
            field="answer",
        ) from None
    if kind == rules.MULTIPLE and len(key) < 2:
        raise DomainError("多选题的正确答案至少两项", field="answer")
    dup = StudyQuestion.objects.filter(subject=subject, stem=stem).exclude(pk=getattr(instance, "pk", None))
    if dup.exists():
        raise DomainError(f"科目“{subject}”中已有相同题干的试题", field="stem")
    question = instance or StudyQuestion()
    question.subject, question.kind, question.stem = subject, kind, stem
    question.options, question.answer = options, key
    question.explanation = _text(explanation, field="explanation", label="解析", limit=2000, required=False)
    question.save()
    log_operation(
        user=by, action="修改试题" if instance else "新增试题", obj=question, summary=f"{subject} {stem[:30]}"
    )
    return question


@transaction.atomic
def question_set_active(*, by, question: StudyQuestion, active: bool) -> StudyQuestion:
    """停用 (withdraw) or 启用 a question. Never deleted: papers already drawn and marked keep pointing at it."""
    question = StudyQuestion.objects.select_for_update().get(pk=question.pk)
    if by is not None:
        _require(question_actions(user=by, obj=question), "activate" if active else "deactivate")
    if question.is_active == bool(active):
        raise DomainError("试题已启用" if active else "试题已停用", field="is_active")
    question.is_active = bool(active)
    question.save(update_fields=["is_active"])
    log_operation(
        user=by,
        action="启用试题" if active else "停用试题",
        obj=question,
        summary=f"{question.subject} {question.stem[:30]}",
    )
    return question


def questions_import(*, by, fileobj, commit: bool = True, ip=None):
    """Import a question bank from Excel, all or nothing. A bad row refuses the whole file with a message that
    names the row and the column; the page shows every row's errors from the same result."""
    from fazhi.core.imports import run_import
    from fazhi.legalservices.study.imports import QuestionImporter

    if by is not None:
        _require(question_actions(user=by), "import")
    result = run_import(QuestionImporter(), fileobj, by=by, ip=ip, commit=commit)
    if result.file_errors:
        raise DomainError("；".join(result.file_errors), field="file")
    for row in result.rows:
        if row.errors:
            header, message = row.errors[0]
            field = next((c.field for c in QuestionImporter.columns if c.header == header), "file")
            raise DomainError(f"第 {row.number} 行“{header or '整行'}”：{message}", field=field, row=row.number)
    return result


# ---------------------------------------------------------------- examinations


def _moment(value, *, field: str, label: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    text = clean_text(value)
    try:
        moment = dt.datetime.fromisoformat(text.replace("T", " "))
    except ValueError:
        if not text:
            raise DomainError(f"{label}不能为空", field=field) from None
        day = parse_date(text, field=field, label=label)
        moment = dt.datetime.combine(day, dt.time(0, 0))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _pools(subjects: list[str]) -> dict[str, list[int]]:
    pools: dict[str, list[int]] = {kind: [] for kind in rules.QUESTION_KIND_LABELS}
    for pk, kind in StudyQuestion.objects.filter(subject__in=subjects, is_active=True).values_list("pk", "kind"):
        pools[kind].append(pk)
    return pools


@transaction.atomic
def exam_create(
    *,
    by,
    title,
    kind,
    year,
    subjects,
    single_count=0,
    multiple_count=0,
    judge_count=0,
    duration_minutes=rules.DEFAULT_DURATION_MINUTES,
    pass_mark=None,
    opens_at,
    closes_at,
    unit=None,
) -> StudyExam:
    if by is not None:
        _require(exam_actions(user=by, obj=None), "create")
    unit = unit or getattr(by, "unit", None)
    if unit is None:
        raise DomainError("组织单位不能为空", field="unit")
    title = _text(title, field="title", label="考试名称", limit=100)
    if kind not in rules.EXAM_KIND_LABELS:
        raise DomainError(f"考试类型“{clean_text(kind)}”无效", field="kind")
    year = _int(year, field="year", label="年度", lo=2000, hi=2100)
    subjects = [clean_text(s) for s in (subjects or []) if clean_text(s)]
    if not subjects:
        raise DomainError("至少选择一个科目", field="subjects")
    counts = {
        rules.SINGLE: _int(single_count or 0, field="single_count", label="单选题数", lo=0, hi=rules.MAX_QUESTIONS),
        rules.MULTIPLE: _int(
            multiple_count or 0, field="multiple_count", label="多选题数", lo=0, hi=rules.MAX_QUESTIONS
        ),
        rules.JUDGE: _int(judge_count or 0, field="judge_count", label="判断题数", lo=0, hi=rules.MAX_QUESTIONS),
    }
    if sum(counts.values()) == 0:
        raise DomainError("试卷至少需要一道题", field="single_count")
    pools = _pools(subjects)
    for kind_code, count in counts.items():
        if count > len(pools[kind_code]):
            field = {rules.SINGLE: "single_count", rules.MULTIPLE: "multiple_count", rules.JUDGE: "judge_count"}
            raise DomainError(
                f"题库中所选科目的{rules.QUESTION_KIND_LABELS[kind_code]}只有 {len(pools[kind_code])} 道，不足 {count} 道",
                field=field[kind_code],
            )
    duration = _int(duration_minutes, field="duration_minutes", label="考试时长", lo=5, hi=rules.MAX_DURATION_MINUTES)
    mark = _int(
        rules.pass_mark() if pass_mark in (None, "") else pass_mark, field="pass_mark", label="合格分数", lo=1, hi=100
    )
    opens = _moment(opens_at, field="opens_at", label="开考时间")
    closes = _moment(closes_at, field="closes_at", label="截止时间")
    if closes <= opens:
        raise DomainError("截止时间应晚于开考时间", field="closes_at")
    exam = StudyExam.objects.create(
        title=title,
        kind=kind,
        year=year,
        unit=unit,
        subjects=subjects,
        single_count=counts[rules.SINGLE],
        multiple_count=counts[rules.MULTIPLE],
        judge_count=counts[rules.JUDGE],
        duration_minutes=duration,
        pass_mark=mark,
        opens_at=opens,
        closes_at=closes,
        created_by=by,
    )
    log_operation(user=by, action="新建考试", obj=exam, summary=f"{exam.kind_label} {title}")
    return exam


def _seed() -> int:
    return secrets.randbits(62)


@transaction.atomic
def exam_enrol(*, by, exam: StudyExam, users, seed_base: int | None = None) -> int:
    """Enrol candidates: each gets a paper drawn now from a fresh seed (recorded). Already enrolled: skipped.
    `seed_base` numbers the seeds instead (the demo, which must come out the same every time)."""
    from fazhi.registry.models import Officer

    if by is not None:
        _require(exam_actions(user=by, obj=exam), "enrol")
    users = [u for u in users if u is not None]
    if not users:
        raise DomainError("请选择考生", field="users")
    if any(u.unit_id is None for u in users):
        raise DomainError("考生须属于某个单位", field="users")
    taken = set(ExamPaper.objects.filter(exam=exam).values_list("user_id", flat=True))
    officers = dict(Officer.objects.filter(user__in=users).values_list("user_id", "pk"))
    pools = _pools(exam.subjects)
    papers = []
    for n, user in enumerate(users):
        if user.pk in taken:
            continue
        taken.add(user.pk)
        seed = _seed() if seed_base is None else seed_base + n
        try:
            ids = rules.draw_paper(seed=seed, pools=pools, blueprint=exam.blueprint)
        except ValueError as exc:
            raise DomainError(f"题库中{rules.QUESTION_KIND_LABELS[str(exc)]}已不足，无法组卷", field="users") from None
        papers.append(
            ExamPaper(
                exam=exam,
                user=user,
                officer_id=officers.get(user.pk),
                unit_id=user.unit_id,
                seed=seed,
                question_ids=ids,
            )
        )
    ExamPaper.objects.bulk_create(papers, batch_size=500)
    log_operation(user=by, action="考试报名", obj=exam, summary=f"{exam.title}：新增考生 {len(papers)} 名")
    return len(papers)


@transaction.atomic
def exam_open(*, by, exam: StudyExam) -> StudyExam:
    if by is not None:
        _require(exam_actions(user=by, obj=exam), "open")
    if exam.status != rules.DRAFT:
        raise DomainError("只有未发布的考试可以发布", field="status")
    if not ExamPaper.objects.filter(exam=exam).exists():
        raise DomainError("考试还没有考生，不能发布", field="users")
    exam.status = rules.OPEN
    exam.save(update_fields=["status"])
    log_operation(user=by, action="发布考试", obj=exam, summary=exam.title)
    return exam


@transaction.atomic
def exam_close(*, by, exam: StudyExam, now: dt.datetime | None = None) -> StudyExam:
    """Close an exam: papers still being answered are collected and marked with the answers saved in time."""
    if by is not None:
        _require(exam_actions(user=by, obj=exam), "close")
    if exam.status != rules.OPEN:
        raise DomainError("只有考试中的考试可以结束", field="status")
    exam.status = rules.CLOSED
    exam.save(update_fields=["status"])
    for paper in ExamPaper.objects.select_for_update().filter(exam=exam, status=rules.STARTED):
        _finish(paper, status=rules.TIMED_OUT, at=now or timezone.now())
    log_operation(user=by, action="结束考试", obj=exam, summary=exam.title)
    return exam


# ---------------------------------------------------------------- sitting an exam


def _locked(paper: ExamPaper) -> ExamPaper:
    return ExamPaper.objects.select_for_update().select_related("exam").get(pk=paper.pk)


@transaction.atomic
def paper_start(*, by, paper: ExamPaper, now: dt.datetime | None = None) -> ExamPaper:
    """Start (once): the deadline is fixed now. Starting again — a reload, a second tab — changes nothing."""
    now = now or timezone.now()
    paper = _locked(paper)
    if paper.status == rules.STARTED:
        return paper
    _require(paper_actions(user=by, obj=paper, now=now), "start")
    paper.status, paper.started_at = rules.STARTED, now
    paper.deadline = rules.deadline_of(
        started_at=now, duration_minutes=paper.exam.duration_minutes, closes_at=paper.exam.closes_at
    )
    paper.save(update_fields=["status", "started_at", "deadline"])
    return paper


def _refuse_late(paper: ExamPaper, now: dt.datetime, *, what: str) -> None:
    if paper.deadline is not None and rules.too_late(now=now, deadline=paper.deadline):
        local = timezone.localtime(paper.deadline)
        raise DomainError(
            f"已超过考试时限（交卷期限 {local:%Y-%m-%d %H:%M:%S}），不能再{what}；此前保存的答案已由系统收卷评分",
            field="deadline",
        )


def _clean_answer(paper: ExamPaper, question: StudyQuestion, raw) -> str:
    try:
        return rules.normalise_answer(question.kind, raw, options=len(question.options))
    except ValueError:
        raise DomainError(
            f"第 {paper.question_ids.index(question.pk) + 1} 题的答案“{clean_text(raw)}”无效", field="answer"
        ) from None


@transaction.atomic
def paper_answer(*, by, paper: ExamPaper, question_id: int, answer, now: dt.datetime | None = None) -> ExamAnswer:
    """Save one answer as it is given. The candidate's own paper row is locked while the answer is written, so an
    answer can never land after the paper was marked (it is either counted or refused); candidates do not wait for
    each other, only for their own earlier clicks."""
    now = now or timezone.now()
    paper = _locked(paper)
    if paper.status in rules.FINISHED:
        raise DomainError("试卷已交卷，不能再修改答案", field="status")
    _require(paper_actions(user=by, obj=paper, now=now), "answer")
    _refuse_late(paper, now, what="作答")
    if question_id not in paper.question_ids:
        raise DomainError("该题不在您的试卷中", field="question_id")
    question = StudyQuestion.objects.get(pk=question_id)
    value = _clean_answer(paper, question, answer)
    saved, _ = ExamAnswer.objects.update_or_create(
        paper=paper, question_id=question_id, defaults={"answer": value, "saved_at": now}
    )
    return saved


@transaction.atomic
def paper_submit(*, by, paper: ExamPaper, answers: dict | None = None, now: dt.datetime | None = None) -> ExamPaper:
    """Hand in: the answers sent with the submission are saved, then the paper is marked. After the time limit
    (plus the grace of rules.DEFAULT_GRACE_SECONDS) the submission is refused and nothing is written."""
    now = now or timezone.now()
    paper = _locked(paper)
    if paper.status in rules.FINISHED:
        raise DomainError("试卷已交卷，不能重复交卷", field="status")
    _require(paper_actions(user=by, obj=paper, now=now), "submit")
    _refuse_late(paper, now, what="交卷")
    if answers:
        try:
            ids = {int(k) for k in answers}
        except (TypeError, ValueError):
            raise DomainError("答案中的题目编号无效", field="answers") from None
        questions = StudyQuestion.objects.in_bulk(ids)
        rows = []
        for key, raw in answers.items():
            qid = int(key)
            if qid not in paper.question_ids or qid not in questions:
                raise DomainError("答案中有不在试卷中的题目", field="answers")
            rows.append(
                ExamAnswer(paper=paper, question_id=qid, answer=_clean_answer(paper, questions[qid], raw), saved_at=now)
            )
        # Under the paper's lock: the answers sent with the submission replace those saved earlier, in two statements.
        ExamAnswer.objects.filter(paper=paper, question_id__in=ids).delete()
        ExamAnswer.objects.bulk_create(rows)
    return _finish(paper, status=rules.SUBMITTED, at=now)


def _finish(paper: ExamPaper, *, status: str, at: dt.datetime) -> ExamPaper:
    """Mark a (locked) paper from its saved answers, set-based, and pass the result to the officer's record."""
    rows = (
        ExamAnswer.objects.filter(paper=paper)
        .filter(answer=F("question__answer"))
        .values("question__kind")
        .annotate(n=Count("pk"))
    )
    earned = sum(rules.POINTS[r["question__kind"]] * r["n"] for r in rows)
    total = sum(rules.POINTS[k] * n for k, n in paper.exam.blueprint.counts().items())
    paper.score = rules.score_of(earned=earned, total=total)
    paper.passed = rules.passed(paper.score, paper.exam.pass_mark)
    paper.status, paper.submitted_at = status, at
    paper.save(update_fields=["score", "passed", "status", "submitted_at"])
    if paper.officer_id:
        from fazhi.registry.services import training_exam_record

        training_exam_record(officer=paper.officer, year=paper.exam.year, score=paper.score, passed=paper.passed)
    log_operation(
        user=None if status == rules.TIMED_OUT else paper.user,
        action="交卷" if status == rules.SUBMITTED else "超时自动收卷",
        obj=paper,
        summary=f"{paper.exam.title}：{paper.score} 分（{'合格' if paper.passed else '不合格'}）",
    )
    return paper


def paper_time_out(*, paper: ExamPaper, now: dt.datetime | None = None) -> ExamPaper:
    """Collect one paper whose time ran out (the candidate's page asks when its clock reaches zero)."""
    now = now or timezone.now()
    with transaction.atomic():
        paper = _locked(paper)
        if paper.status == rules.STARTED and paper.deadline and rules.too_late(now=now, deadline=paper.deadline):
            _finish(paper, status=rules.TIMED_OUT, at=now)
    return paper


def papers_time_out(*, now: dt.datetime | None = None) -> int:
    """Collect the papers whose time ran out (deadline and grace passed) without a submission: marked with the
    answers that were saved in time (later ones were refused), so no answer given in time is lost."""
    now = now or timezone.now()
    cutoff = now - rules.grace()
    done = 0
    for pk in ExamPaper.objects.filter(status=rules.STARTED, deadline__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            paper = ExamPaper.objects.select_for_update().select_related("exam").get(pk=pk)
            if paper.status == rules.STARTED:
                _finish(paper, status=rules.TIMED_OUT, at=now)
                done += 1
    return done


# ---------------------------------------------------------------- the certificate gate


def certificate_gate(*, officer, today: dt.date) -> None:
    """Registered with fazhi.registry.gates: no new certificate without a passed qualification examination
    (rules.CERT_GATE_CITATION), when rules.certificate_gate_applies says the rule covers this officer."""
    qualification = ExamPaper.objects.filter(officer=officer, exam__kind=rules.QUALIFICATION)
    if not rules.certificate_gate_applies(enrolled=qualification.exists(), today=today):
        return
    if not qualification.filter(passed=True).exists():
        raise DomainError(
            f"执法人员“{officer.name}”未通过执法资格网上考试，不发执法证书（{rules.CERT_GATE_CITATION}）",
            field="officer",
        )


# ---------------------------------------------------------------- 会前学法 and 年终述法


@transaction.atomic
def session_save(
    *,
    by,
    meeting,
    held_on,
    topic,
    law_title,
    presenting_unit,
    presenter,
    attendees=0,
    unit=None,
    instance: StudySession | None = None,
    today: dt.date | None = None,
) -> StudySession:
    if by is not None:
        _require(session_actions(user=by, obj=instance), "edit" if instance else "create")
    unit = unit or (instance.unit if instance else getattr(by, "unit", None))
    if unit is None:
        raise DomainError("会议单位不能为空", field="unit")
    if presenting_unit is None:
        raise DomainError("讲法单位不能为空", field="presenting_unit")
    if not isinstance(held_on, dt.date) and not clean_text(held_on):
        raise DomainError("日期不能为空", field="held_on")
    day = held_on if isinstance(held_on, dt.date) else parse_date(held_on, field="held_on", label="日期")
    if day > (today or timezone.localdate()):
        raise DomainError("会前学法日期不能晚于今天", field="held_on")
    session = instance or StudySession(created_by=by)
    session.unit = unit
    session.meeting = _text(meeting, field="meeting", label="会议", limit=100)
    session.held_on = day
    session.topic = _text(topic, field="topic", label="学习主题", limit=200)
    session.law_title = _text(law_title, field="law_title", label="所学法律法规", limit=200)
    session.presenting_unit = presenting_unit
    session.presenter = _text(presenter, field="presenter", label="讲法人", limit=50)
    session.attendees = _int(attendees or 0, field="attendees", label="参会人数", lo=0, hi=10000)
    session.save()
    log_operation(user=by, action="登记会前学法", obj=session, summary=str(session))
    return session


@transaction.atomic
def report_save(
    *, by, year, leader_name, leader_post, content, unit=None, attachment=None, today: dt.date | None = None
) -> StudyLawReport:
    """年终述法: one report per leader, unit and year; submitting again for the same leader updates it."""
    unit = unit or getattr(by, "unit", None)
    if unit is None:
        raise DomainError("单位不能为空", field="unit")
    if by is not None:
        _require(report_actions(user=by, obj=None), "create")
        _require(report_actions(user=by, obj=StudyLawReport(unit=unit)), "edit")
    this_year = (today or timezone.localdate()).year
    year = _int(year, field="year", label="年度", lo=2000, hi=this_year)
    name = _text(leader_name, field="leader_name", label="述法人", limit=50)
    report, created = StudyLawReport.objects.update_or_create(
        year=year,
        unit=unit,
        leader_name=name,
        defaults={
            "leader_post": _text(leader_post, field="leader_post", label="职务", limit=50),
            "content": _text(content, field="content", label="述法内容", limit=20000),
            # Submitting the text again keeps a report file already uploaded (report_file_upload).
            **({"attachment": attachment} if attachment is not None else {}),
            "submitted_by": by,
            "submitted_at": timezone.now(),
        },
    )
    log_operation(user=by, action="报送年终述法" if created else "修改年终述法", obj=report, summary=f"{year} {name}")
    return report


@transaction.atomic
def report_file_upload(*, by, report: StudyLawReport, file) -> StudyLawReport:
    """年终述法报告文件: the signed report of one leader for one year, uploaded by his unit's 法制员 (or a
    manager in scope). A new upload replaces the previous file (the old attachment row stays, unreferenced)."""
    report = StudyLawReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if by is not None:
        _require(report_actions(user=by, obj=report), "edit")
    if file is None or not getattr(file, "name", ""):
        raise DomainError("请选择述法报告文件", field="file")
    from fazhi.core.attachments import attachments_store

    try:
        (attachment,) = attachments_store(files=[file], by=by)
    except DomainError as exc:
        raise DomainError(f"述法报告文件：{exc.message}", field="file") from exc
    report.attachment = attachment
    report.save(update_fields=["attachment"])
    log_operation(
        user=by, action="上传年终述法报告", obj=report, summary=f"{report.year} {report.leader_name} {attachment.name}"
    )
    return report
