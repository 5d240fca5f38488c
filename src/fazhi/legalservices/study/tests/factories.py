"""Builders for the study tests: a small question bank and an exam with candidates."""

import datetime as dt

from django.utils import timezone

from fazhi.legalservices.study import rules, services


def bank(*, subject: str = "行政处罚法", singles: int = 6, multiples: int = 3, judges: int = 4) -> list:
    made = []
    for n in range(singles):
        made.append(
            services.question_save(
                by=None,
                subject=subject,
                kind=rules.SINGLE,
                stem=f"{subject}单选题{n}",
                options=["甲", "乙", "丙", "丁"],
                answer="ABCD"[n % 4],
            )
        )
    for n in range(multiples):
        made.append(
            services.question_save(
                by=None,
                subject=subject,
                kind=rules.MULTIPLE,
                stem=f"{subject}多选题{n}",
                options=["甲", "乙", "丙", "丁"],
                answer="AC",
            )
        )
    for n in range(judges):
        made.append(
            services.question_save(
                by=None,
                subject=subject,
                kind=rules.JUDGE,
                stem=f"{subject}判断题{n}",
                options=[],
                answer="正确" if n % 2 else "错误",
            )
        )
    return made


def exam(
    *,
    unit,
    kind: str = rules.ANNUAL,
    now=None,
    duration: int = 30,
    candidates=(),
    subject: str = "行政处罚法",
    counts=(4, 2, 2),
    open_: bool = True,
    year: int | None = None,
):
    now = now or timezone.now()
    e = services.exam_create(
        by=None,
        unit=unit,
        title="测试考试",
        kind=kind,
        year=year or timezone.localtime(now).year,
        subjects=[subject],
        single_count=counts[0],
        multiple_count=counts[1],
        judge_count=counts[2],
        duration_minutes=duration,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
    )
    if candidates:
        services.exam_enrol(by=None, exam=e, users=list(candidates))
    if open_:
        services.exam_open(by=None, exam=e)
    return e


def answer_all(paper, *, right: bool = True, now=None):
    from fazhi.legalservices.study.models import StudyQuestion

    for q in StudyQuestion.objects.filter(pk__in=paper.question_ids):
        wrong = {"single": "B" if q.answer != "B" else "A", "multiple": "A", "judge": "B" if q.answer == "A" else "A"}
        services.paper_answer(
            by=paper.user, paper=paper, question_id=q.pk, answer=q.answer if right else wrong[q.kind], now=now
        )
