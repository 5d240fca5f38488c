"""Reads of 学法用法, each applying the viewer's data scope (`exam_results` with no user: the whole jurisdiction,
for the assessment module)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from fazhi.core.errors import NotFound
from fazhi.core.normalize import clean_text
from fazhi.core.scope import get_scoped_or_404, scope_q, user_data_scope
from fazhi.legalservices.study import rules
from fazhi.legalservices.study.models import (
    ExamAnswer,
    ExamPaper,
    StudyExam,
    StudyLawReport,
    StudyQuestion,
    StudySession,
)
from fazhi.legalservices.study.permissions import may_manage

# ---------------------------------------------------------------- question bank


def question_list(*, user, q: str = "", subject: str = "", kind: str = "", active: str = "") -> QuerySet[StudyQuestion]:
    """`active`: "1" in use, "0" withdrawn, "" both."""
    if not may_manage(user):
        return StudyQuestion.objects.none()
    qs = StudyQuestion.objects.all()
    if active in ("0", "1"):
        qs = qs.filter(is_active=active == "1")
    if subject := clean_text(subject):
        qs = qs.filter(subject=subject)
    if kind in rules.QUESTION_KIND_LABELS:
        qs = qs.filter(kind=kind)
    if q := clean_text(q):
        qs = qs.filter(stem__icontains=q)
    return qs.order_by("subject", "kind", "id")


def question_get(*, user, pk) -> StudyQuestion:
    """One question of the bank (those who keep the bank only)."""
    if not may_manage(user):
        raise NotFound()
    try:
        return StudyQuestion.objects.get(pk=int(pk))
    except (StudyQuestion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def subjects() -> list[tuple[str, int]]:
    return list(
        StudyQuestion.objects.filter(is_active=True).values_list("subject").annotate(n=Count("pk")).order_by("subject")
    )


# ---------------------------------------------------------------- exams and papers


def exam_list(*, user, year: int | None = None, kind: str = "") -> QuerySet[StudyExam]:
    """Exams organised inside the viewer's scope, or with candidates of units inside it."""
    if user_data_scope(user) == "self":
        return StudyExam.objects.none()
    qs = StudyExam.objects.filter(
        Q(scope_q(user)) | Q(pk__in=ExamPaper.objects.filter(scope_q(user)).values("exam_id"))
    ).select_related("unit")
    if year:
        qs = qs.filter(year=year)
    if kind in rules.EXAM_KIND_LABELS:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        enrolled=Count("papers"),
        finished=Count("papers", filter=Q(papers__status__in=rules.FINISHED)),
        passes=Count("papers", filter=Q(papers__passed=True)),
    ).order_by("-opens_at", "-id")


def exam_get(*, user, pk: int) -> StudyExam:
    qs = exam_list(user=user)
    try:
        return qs.get(pk=pk)
    except (StudyExam.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def exam_papers(*, user, exam: StudyExam) -> QuerySet[ExamPaper]:
    """The papers of an exam that the viewer may see: the organiser's managers see all, others their units'."""
    from fazhi.legalservices.study.permissions import _scope_reaches

    qs = ExamPaper.objects.filter(exam=exam).select_related("user", "unit", "officer")
    if not (may_manage(user) and _scope_reaches(user, exam.unit)):
        qs = qs.filter(scope_q(user))
    return qs.order_by("unit__sort_order", "unit_id", "user__name", "id")


def my_papers(*, user) -> QuerySet[ExamPaper]:
    return (
        ExamPaper.objects.filter(user=user)
        .exclude(exam__status=rules.DRAFT)
        .select_related("exam")
        .order_by("-exam__opens_at", "-id")
    )


def paper_get(*, user, pk: int) -> ExamPaper:
    """A paper: its candidate, or a viewer whose scope reaches the candidate's unit (results only)."""
    qs = ExamPaper.objects.select_related("exam", "user", "unit", "officer")
    try:
        paper = qs.get(pk=pk)
    except (ExamPaper.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if paper.user_id == user.pk:
        return paper
    if user_data_scope(user) != "self":
        return get_scoped_or_404(qs, user, pk)
    raise NotFound()


@dataclass
class PaperQuestion:
    number: int
    question: StudyQuestion
    given: str
    order: list[int] = field(default_factory=list)  # option indexes in the order this paper shows them

    @property
    def correct(self) -> bool:
        return bool(self.given) and self.given == self.question.answer

    @property
    def choices(self) -> list[tuple[str, str, str]]:
        """(key, label, text) in display order: `key` is the canonical letter of the bank (what is submitted and
        stored, and the element id's letter), `label` the letter the candidate sees in this position."""
        letters, options = rules.OPTION_LETTERS, self.question.options
        order = self.order or list(range(len(options)))
        return [(letters[i], letters[pos], options[i]) for pos, i in enumerate(order)]

    def shown(self, key: str) -> str:
        """Canonical letters as this paper labels them (the candidate's view of an answer), in label order."""
        labels = {k: label for k, label, _ in self.choices}
        return "".join(sorted(labels.get(ch, ch) for ch in key or ""))

    @property
    def given_shown(self) -> str:
        return self.shown(self.given)

    @property
    def answer_shown(self) -> str:
        return self.shown(self.question.answer)


def paper_questions(*, paper: ExamPaper) -> list[PaperQuestion]:
    """The paper's questions in their drawn order with the answers saved so far (what a reload shows)."""
    questions = StudyQuestion.objects.in_bulk(paper.question_ids)
    given = dict(ExamAnswer.objects.filter(paper=paper).values_list("question_id", "answer"))
    return [
        PaperQuestion(
            n,
            questions[qid],
            given.get(qid, ""),
            rules.option_order(
                seed=paper.seed, question_id=qid, kind=questions[qid].kind, count=len(questions[qid].options)
            ),
        )
        for n, qid in enumerate(paper.question_ids, start=1)
        if qid in questions
    ]


def remaining_seconds(*, paper: ExamPaper, now: dt.datetime | None = None) -> int:
    if paper.deadline is None:
        return paper.exam.duration_minutes * 60
    return max(0, int((paper.deadline - (now or timezone.now())).total_seconds()))


# ---------------------------------------------------------------- results per unit (assessment)


@dataclass
class UnitResult:
    unit_id: int
    unit_name: str
    enrolled: int
    sat: int
    passed: int
    average: Decimal | None
    light: str

    @property
    def pass_rate(self) -> Decimal | None:
        """Passes among those who sat, in percent (None: nobody sat)."""
        return (Decimal(self.passed) * 100 / self.sat).quantize(Decimal("0.1")) if self.sat else None


def exam_results(*, year: int, user=None, exam: StudyExam | None = None, kind: str = "") -> list[UnitResult]:
    """Results per candidate's unit over the year's exams (or one exam): enrolled, sat (submitted or collected at
    the time limit), passed, the average score of those who sat, and a light (rules.result_light). One grouped
    query. With `user`, only units inside the viewer's scope; without, the whole jurisdiction (assessment)."""
    qs = ExamPaper.objects.filter(exam__year=year).exclude(exam__status=rules.DRAFT)
    if exam is not None:
        qs = qs.filter(exam=exam)
    if kind in rules.EXAM_KIND_LABELS:
        qs = qs.filter(exam__kind=kind)
    if user is not None:
        qs = qs.filter(scope_q(user))
    rows = (
        qs.values("unit_id", "unit__name", "unit__sort_order")
        .annotate(
            enrolled=Count("pk"),
            sat=Count("pk", filter=Q(status__in=rules.FINISHED)),
            passes=Count("pk", filter=Q(passed=True)),
            average=Avg("score", filter=Q(status__in=rules.FINISHED)),
        )
        .order_by("unit__sort_order", "unit_id")
    )
    return [
        UnitResult(
            unit_id=r["unit_id"],
            unit_name=r["unit__name"],
            enrolled=r["enrolled"],
            sat=r["sat"],
            passed=r["passes"],
            average=Decimal(str(r["average"])).quantize(Decimal("0.1")) if r["average"] is not None else None,
            light=rules.result_light(sat=r["sat"], passed_count=r["passes"], enrolled=r["enrolled"]),
        )
        for r in rows
    ]


# ---------------------------------------------------------------- 会前学法 and 年终述法


def session_list(*, user, q: str = "", year: int | None = None) -> QuerySet[StudySession]:
    """Sessions of meetings in the viewer's scope or where a unit in his scope presented."""
    if user_data_scope(user) == "self":
        return StudySession.objects.none()
    qs = StudySession.objects.filter(scope_q(user) | scope_q(user, unit_field="presenting_unit"))
    if year:
        qs = qs.filter(held_on__year=year)
    if q := clean_text(q):
        qs = qs.filter(Q(topic__icontains=q) | Q(law_title__icontains=q) | Q(meeting__icontains=q))
    return qs.select_related("unit", "presenting_unit").order_by("-held_on", "-id")


def report_list(
    *, user, year: int | None = None, q: str = "", has_file: bool | None = None
) -> QuerySet[StudyLawReport]:
    if user_data_scope(user) == "self":
        return StudyLawReport.objects.none()
    qs = StudyLawReport.objects.filter(scope_q(user)).select_related("unit", "attachment")
    if year:
        qs = qs.filter(year=year)
    if has_file is not None:
        qs = qs.filter(attachment__isnull=not has_file)
    if q := clean_text(q):
        qs = qs.filter(Q(leader_name__icontains=q) | Q(unit__name__icontains=q))
    return qs.order_by("-year", "unit__sort_order", "id")


def report_get(*, user, pk: int) -> StudyLawReport:
    if user_data_scope(user) == "self":
        raise NotFound()
    return get_scoped_or_404(StudyLawReport.objects.select_related("unit", "attachment"), user, pk)


@dataclass
class ReportFileStatus:
    """One unit's 年终述法 for a year: the leaders expected (its 述法 records) and whose report file is in."""

    unit: object
    uploaded: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.uploaded) + len(self.missing)


def report_file_status(*, user, year: int) -> list[ReportFileStatus]:
    """Per unit in scope, which leaders with a 述法 record for `year` have their report file uploaded."""
    rows: dict[int, ReportFileStatus] = {}
    for r in report_list(user=user, year=year).order_by("unit__sort_order", "unit_id", "leader_name"):
        row = rows.setdefault(r.unit_id, ReportFileStatus(unit=r.unit))
        (row.uploaded if r.attachment_id else row.missing).append(r.leader_name)
    return list(rows.values())


def report_file_get(*, user, pk: int):
    """The uploaded report file of a 述法 record in scope (404 when there is none)."""
    report = report_get(user=user, pk=pk)
    if report.attachment is None:
        raise NotFound()
    return report.attachment
