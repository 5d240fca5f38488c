import datetime as dt
import io

import pytest
from django.utils import timezone

from fazhi.core.errors import DomainError, Forbidden
from fazhi.legalservices.study import rules, services
from fazhi.legalservices.study.models import ExamAnswer, ExamPaper, StudyQuestion
from fazhi.legalservices.study.tests.factories import answer_all, bank, exam

pytestmark = pytest.mark.django_db


def _paper(e, user):
    return ExamPaper.objects.get(exam=e, user=user)


def test_a_question_without_a_correct_answer_is_refused():
    with pytest.raises(DomainError) as err:
        services.question_save(by=None, subject="宪法", kind="单选题", stem="题", options=["甲", "乙"], answer="")
    assert err.value.field == "answer"
    with pytest.raises(DomainError) as err:
        services.question_save(by=None, subject="宪法", kind="single", stem="题", options=["甲", "乙"], answer="C")
    assert err.value.field == "answer"
    assert not StudyQuestion.objects.exists()


def test_the_paper_is_drawn_again_from_its_recorded_seed(org, users):
    bank()
    e = exam(unit=org["示例市司法局"], candidates=[users["officer"], users["agency"]])
    paper = _paper(e, users["officer"])
    pools = services._pools(e.subjects)
    assert rules.draw_paper(seed=paper.seed, pools=pools, blueprint=e.blueprint) == paper.question_ids
    assert len(paper.question_ids) == 8 == len(set(paper.question_ids))


def test_a_reload_keeps_the_paper_the_clock_and_the_answers(org, users):
    bank()
    e = exam(unit=org["示例市司法局"], candidates=[users["officer"]])
    paper = _paper(e, users["officer"])
    t0 = timezone.now()
    started = services.paper_start(by=users["officer"], paper=paper, now=t0)
    services.paper_answer(by=users["officer"], paper=paper, question_id=paper.question_ids[0], answer="b", now=t0)
    again = services.paper_start(by=users["officer"], paper=paper, now=t0 + dt.timedelta(minutes=5))
    assert again.deadline == started.deadline == t0 + dt.timedelta(minutes=30)
    assert ExamAnswer.objects.get(paper=paper).answer == "B"


def test_submitting_after_the_time_limit_is_refused_and_nothing_is_written(org, users):
    bank()
    e = exam(unit=org["示例市司法局"], candidates=[users["officer"]])
    paper = _paper(e, users["officer"])
    t0 = timezone.now()
    services.paper_start(by=users["officer"], paper=paper, now=t0)
    late = t0 + dt.timedelta(minutes=30) + rules.grace() + dt.timedelta(seconds=1)
    with pytest.raises(DomainError) as err:
        services.paper_submit(by=users["officer"], paper=paper, answers={str(paper.question_ids[0]): "A"}, now=late)
    assert "超过考试时限" in err.value.message and err.value.field == "deadline"
    paper.refresh_from_db()
    assert paper.status == rules.STARTED and paper.score is None and not ExamAnswer.objects.exists()
    # Within the grace it still counts.
    ok = services.paper_submit(by=users["officer"], paper=paper, now=t0 + dt.timedelta(minutes=30) + rules.grace())
    assert ok.status == rules.SUBMITTED


def test_marking_passes_and_joins_the_officers_training_record(org, users):
    from fazhi.registry.models import TrainingRecord
    from fazhi.registry.tests.helpers import agency, officer

    o = officer(agency(), 1)
    o.user = users["officer"]
    o.save()
    bank()
    e = exam(unit=org["示例市司法局"], candidates=[users["officer"]])
    paper = _paper(e, users["officer"])
    services.paper_start(by=users["officer"], paper=paper)
    answer_all(paper)
    done = services.paper_submit(by=users["officer"], paper=paper)
    assert done.score == 100 and done.passed
    record = TrainingRecord.objects.get(officer=o, year=e.year)
    assert record.exam_score == 100 and record.exam_passed


def test_a_wrong_paper_fails(org, users):
    bank()
    e = exam(unit=org["示例市司法局"], candidates=[users["agency"]])
    paper = _paper(e, users["agency"])
    services.paper_start(by=users["agency"], paper=paper)
    answer_all(paper, right=False)
    done = services.paper_submit(by=users["agency"], paper=paper)
    assert done.score == 0 and done.passed is False


def test_only_the_candidate_sits_his_paper(org, users):
    bank()
    e = exam(unit=org["示例市司法局"], candidates=[users["officer"]])
    with pytest.raises(Forbidden):
        services.paper_start(by=users["agency"], paper=_paper(e, users["officer"]))


def test_time_out_collects_saved_answers(org, users):
    bank()
    e = exam(unit=org["示例市司法局"], candidates=[users["officer"]])
    paper = _paper(e, users["officer"])
    t0 = timezone.now()
    services.paper_start(by=users["officer"], paper=paper, now=t0)
    answer_all(paper, now=t0)
    assert services.papers_time_out(now=t0 + dt.timedelta(minutes=29)) == 0
    assert services.papers_time_out(now=t0 + dt.timedelta(hours=1)) == 1
    paper.refresh_from_db()
    assert paper.status == rules.TIMED_OUT and paper.score == 100


def test_certificate_gate(org, users, settings):
    from fazhi.registry.services import certificate_save
    from fazhi.registry.tests.helpers import agency, officer

    o = officer(agency(), 2, cert=False)
    today = timezone.localdate()
    # Not enrolled in a qualification examination and no gate date: recorded as before.
    certificate_save(by=None, officer=o, number="GATE-1", valid_from=today, valid_to=today + dt.timedelta(days=30))
    o.user = users["officer"]
    o.save()
    bank()
    e = exam(unit=org["示例市司法局"], kind=rules.QUALIFICATION, candidates=[users["officer"]])
    with pytest.raises(DomainError) as err:
        certificate_save(by=None, officer=o, number="GATE-2", valid_from=today, valid_to=today + dt.timedelta(days=30))
    assert err.value.field == "officer" and "未通过执法资格网上考试" in err.value.message
    paper = _paper(e, users["officer"])
    services.paper_start(by=users["officer"], paper=paper)
    answer_all(paper)
    services.paper_submit(by=users["officer"], paper=paper)
    assert certificate_save(
        by=None, officer=o, number="GATE-2", valid_from=today, valid_to=today + dt.timedelta(days=30)
    )
    # From a configured date every new certificate needs a pass.
    other = officer(agency(), 3, cert=False)
    settings.FAZHI_STUDY = {"CERT_GATE_FROM": today.isoformat()}
    with pytest.raises(DomainError):
        certificate_save(
            by=None, officer=other, number="GATE-3", valid_from=today, valid_to=today + dt.timedelta(days=30)
        )


def _sheet(rows) -> io.BytesIO:
    from fazhi.core.exports import xlsx_bytes
    from fazhi.legalservices.study.imports import QuestionImporter

    headers = [c.header for c in QuestionImporter.columns]
    return io.BytesIO(xlsx_bytes(headers, rows))


def test_import_is_all_or_nothing_and_names_row_and_field(users):
    good = ["宪法", "单选题", "题一", "甲", "乙", "", "", "", "", "A", ""]
    bad = ["宪法", "单选题", "题二", "甲", "乙", "", "", "", "", "", ""]
    with pytest.raises(DomainError) as err:
        services.questions_import(by=users["supervisor"], fileobj=_sheet([good, bad]))
    assert "第 3 行" in err.value.message and "正确答案" in err.value.message
    assert not StudyQuestion.objects.exists()
    result = services.questions_import(
        by=users["supervisor"], fileobj=_sheet([good, ["宪法", "判断题", "题三", "", "", "", "", "", "", "错误", ""]])
    )
    assert len(result.rows) == 2 and StudyQuestion.objects.count() == 2
    with pytest.raises(Forbidden):
        services.questions_import(by=users["officer"], fileobj=_sheet([good]))


def test_exam_needs_enough_questions(org):
    bank(singles=2)
    with pytest.raises(DomainError) as err:
        exam(unit=org["示例市司法局"], counts=(3, 0, 0), open_=False)
    assert err.value.field == "single_count"


def test_each_paper_shows_the_options_in_its_own_order_and_marks_by_the_bank(org, users):
    from fazhi.legalservices.study import selectors

    bank(singles=6, multiples=0, judges=2)
    e = exam(unit=org["示例市司法局"], counts=(6, 0, 2), open_=False)
    services.exam_enrol(by=None, exam=e, users=[users["officer"], users["agency"]], seed_base=1000)
    services.exam_open(by=None, exam=e)
    mine, theirs = _paper(e, users["officer"]), _paper(e, users["agency"])
    order = {p.pk: {q.question.pk: q.order for q in selectors.paper_questions(paper=p)} for p in (mine, theirs)}
    common = set(order[mine.pk]) & set(order[theirs.pk])
    assert any(order[mine.pk][q] != order[theirs.pk][q] for q in common), "two candidates see different orders"
    # The order comes from the recorded seed: drawn again it is the same; true-false keeps 正确, 错误.
    again = {q.question.pk: q.order for q in selectors.paper_questions(paper=mine)}
    assert again == order[mine.pk]
    for q in selectors.paper_questions(paper=mine):
        if q.question.kind == rules.JUDGE:
            assert [text for _k, _l, text in q.choices] == rules.JUDGE_OPTIONS
    # The candidate picks the option whose text is right, wherever it is shown: marking is by the bank's letter.
    services.paper_start(by=users["officer"], paper=mine)
    shown = selectors.paper_questions(paper=mine)
    for q in shown:
        right_text = q.question.options[rules.OPTION_LETTERS.index(q.question.answer)]
        key = next(k for k, _label, text in q.choices if text == right_text)
        services.paper_answer(by=users["officer"], paper=mine, question_id=q.question.pk, answer=key)
    done = services.paper_submit(by=users["officer"], paper=mine)
    assert done.score == 100
    moved = next(q for q in selectors.paper_questions(paper=mine) if q.shown(q.question.answer) != q.question.answer)
    assert moved.given == moved.question.answer and moved.given_shown == moved.answer_shown != moved.given
