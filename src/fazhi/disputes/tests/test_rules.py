"""The statutory numbers of disputes pinned to their articles, and the pure rules checked with Hypothesis and with
hand-computed examples (the reasoning beside each)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.disputes import rules
from fazhi.tracking.clocks import ClockError, ClockEvent, add_months, clock_apply, clock_start, clock_state
from fazhi.workdays.calendar import add_working_days, is_working_day, next_working_day

D = dt.date
days_2024_2027 = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 6, 30))


def test_statutory_numbers_and_articles():
    # 《行政复议法》(2023)
    assert rules.APPLICATION_DAYS == 60 and "第二十条" in rules.APPLICATION_CITATION
    assert rules.NOT_TOLD_MAX_MONTHS == 12 and "第二十条第三款" in rules.NOT_TOLD_CITATION
    assert (rules.ABSOLUTE_MONTHS_REAL_PROPERTY, rules.ABSOLUTE_MONTHS_OTHER) == (240, 60)
    assert rules.ACCEPTANCE_WORKING_DAYS == 5 and "第三十条" in rules.ACCEPTANCE_CITATION
    assert rules.CORRECTION_WORKING_DAYS == 10 and "第三十一条" in rules.CORRECTION_CITATION
    assert rules.FORWARD_WORKING_DAYS == 5 and "第三十二条" in rules.FORWARD_CITATION
    assert rules.COPY_WORKING_DAYS == {"ordinary": 7, "simple": 3}
    assert rules.ANSWER_WORKING_DAYS == {"ordinary": 10, "simple": 5}
    assert rules.COPY_CITATION == {"ordinary": "《行政复议法》第四十八条", "simple": "《行政复议法》第五十四条"}
    assert rules.HEARING_NOTICE_WORKING_DAYS == 5 and "第五十一条" in rules.HEARING_CITATION
    assert rules.SIMPLE_AMOUNT_MAX == Decimal("3000") and "第五十三条" in rules.SIMPLE_CITATION
    assert rules.DECISION_DAYS == {"ordinary": 60, "simple": 30} and rules.EXTENSION_MAX_DAYS == 30
    assert "第六十二条" in rules.DECISION_CITATION["ordinary"]
    assert rules.OPINION_DAYS == 60 and "第七十六条" in rules.OPINION_CITATION
    # 附带审查: its periods are the rule-making module's, which owns the review (rulemaking.rules INCIDENTAL_*).
    assert "第五十六条" in rules.NORMATIVE_CITATION["applicant"] and "第五十九条" in rules.NORMATIVE_RESULT_CITATION
    assert rules.SUSPENDED_TERMINATION_DAYS == 60 and rules.SUSPENDED_TERMINATION_GROUNDS == ("1", "2", "4")
    # 《行政诉讼法》
    assert rules.SUIT_MONTHS == 6 and rules.SUIT_AFTER_DECISION_DAYS == 15 and rules.DEFENCE_DAYS == 15
    assert rules.APPEAL_DAYS == {"judgment": 15, "ruling": 10} and "第八十五条" in rules.APPEAL_CITATION
    assert rules.SUMMONS_DAYS == 3
    # suggestions
    assert rules.SUGGESTION_DEFAULT_MONTHS == 2 and rules.SUGGESTION_URGENT_DAYS == 15
    assert rules.CORRECTING == {"varied", "annulled", "unlawful", "perform", "void"}
    assert rules.CORRECTING < rules.DECIDED and not {"mediated", "withdrawn", "terminated"} & rules.DECIDED


def test_the_kinds_of_clock_the_law_sets():
    assert (rules.acceptance_rule().unit, rules.acceptance_rule().length) == ("working", 5)
    assert (rules.correction_rule().unit, rules.correction_rule().length) == ("working", 10)
    ordinary, simple = rules.decision_rule("ordinary"), rules.decision_rule("simple")
    assert (ordinary.unit, ordinary.length, ordinary.extension_cap) == ("calendar", 60, 30)
    assert (simple.unit, simple.length, simple.extension_cap) == ("calendar", 30, 0)
    assert rules.defence_rule().unit == "calendar" and rules.appeal_rule("annulled").length == 15
    assert rules.appeal_rule("withdrawn").length == 10


# ---------------------------------------------------------------- the application period, by hand


def test_sixty_days_rolling_past_national_day_2025():
    # Known 2025-08-02: + 60 days = 10月1日, a holiday (10月1日—8日) → 10月9日.
    period = rules.application_period(known_on=D(2025, 8, 2), submitted_on=D(2025, 10, 9))
    assert period.deadline == D(2025, 10, 9) and not period.expired
    late = rules.application_period(known_on=D(2025, 8, 2), submitted_on=D(2025, 10, 10))
    assert late.expired and late.warnings[0].rule == "application_period_expired"
    assert late.warnings[0].citation == "《行政复议法》第二十条第一款"


def test_sixty_days_rolling_past_spring_festival_2026():
    # Known 2025-12-17: + 60 days = 2026年2月15日 (春节 2月15日—23日) → 2月24日.
    assert rules.application_period(known_on=D(2025, 12, 17), submitted_on=D(2026, 2, 24)).deadline == D(2026, 2, 24)


def test_not_told_of_the_right():
    # Known 2025-01-10, not told; learned of the right 2025-12-20: 60 days → 2026-02-18 (春节) → 2月24日; but at
    # most a year after knowing the act: 2026-01-10, a Saturday → 1月12日. The earlier one wins.
    period = rules.application_period(
        known_on=D(2025, 1, 10), submitted_on=D(2026, 1, 12), told_of_right=False, right_known_on=D(2025, 12, 20)
    )
    assert period.deadline == D(2026, 1, 12) and not period.expired
    assert period.citation == "《行政复议法》第二十条第三款"
    # Learned early: 2025-03-01 + 60 = 4月30日 (Wednesday), well inside the year.
    early = rules.application_period(
        known_on=D(2025, 1, 10), submitted_on=D(2025, 5, 6), told_of_right=False, right_known_on=D(2025, 3, 1)
    )
    assert early.deadline == D(2025, 4, 30) and early.expired


def test_force_majeure_time_is_not_counted():
    # Known 2025-06-01 (60 days → 7月31日). Flooded out from 7/1 to 7/21: the period continues after the obstacle,
    # 20 days later → 8月20日 (Wednesday) (第二十条第二款).
    period = rules.application_period(
        known_on=D(2025, 6, 1), submitted_on=D(2025, 8, 20), obstacle_from=D(2025, 7, 1), obstacle_to=D(2025, 7, 21)
    )
    assert period.deadline == D(2025, 8, 20) and not period.expired and "第二款" in period.citation


def test_absolute_limits():
    # An act of 2020-03-02: five years → 2025-03-02 (Sunday) → 3月3日; real property: twenty years.
    period = rules.application_period(known_on=D(2025, 2, 1), submitted_on=D(2025, 3, 4), act_date=D(2020, 3, 2))
    assert period.absolute_deadline == D(2025, 3, 3)
    assert "application_absolute_limit" in {w.rule for w in period.warnings}
    land = rules.application_period(
        known_on=D(2025, 2, 1), submitted_on=D(2025, 3, 4), act_date=D(2020, 3, 2), real_property=True
    )
    assert "application_absolute_limit" not in {w.rule for w in land.warnings}


def test_forwarding_within_five_working_days():
    # The agency got it on 2025-09-30; five working days: 10/9, 10/10, 10/11, 10/13, 10/14.
    assert rules.forward_late(agency_received_on=D(2025, 9, 30), forwarded_on=D(2025, 10, 14)) is None
    assert rules.forward_late(agency_received_on=D(2025, 9, 30), forwarded_on=D(2025, 10, 15)).rule == "forward_late"


def test_simple_procedure_grounds():
    assert rules.simple_grounds(
        on_the_spot=False, warning=False, amount=Decimal("3000"), disclosure=False, parties_agree=False
    )
    assert not rules.simple_grounds(
        on_the_spot=False, warning=False, amount=Decimal("3000.01"), disclosure=False, parties_agree=False
    )
    assert not rules.simple_grounds(
        on_the_spot=False, warning=False, amount=None, disclosure=False, parties_agree=False
    )
    assert (
        len(rules.simple_grounds(on_the_spot=True, warning=True, amount=None, disclosure=True, parties_agree=True)) == 4
    )


def test_hearing_notice():
    # Notice 2026-09-25 (Fri): 5 working days 9/28, 9/29, 9/30, 10/8, 10/9 → a hearing on 10/9 at the earliest.
    assert rules.hearing_notice_problem(notice_on=D(2026, 9, 25), held_on=D(2026, 10, 9)) == ""
    assert "2026年10月9日" in rules.hearing_notice_problem(notice_on=D(2026, 9, 25), held_on=D(2026, 10, 8))


def test_termination_after_sixty_days_of_suspension():
    # Suspended 2025-08-02 on ground 1: 60 days → 10月1日 → 10月9日; due only after that day.
    assert rules.termination_due(ground="1", suspended_on=D(2025, 8, 2), today=D(2025, 10, 9)) is None
    assert rules.termination_due(ground="1", suspended_on=D(2025, 8, 2), today=D(2025, 10, 10)) is not None
    assert rules.termination_due(ground="5", suspended_on=D(2025, 8, 2), today=D(2026, 1, 1)) is None


def test_suit_periods():
    # Six months from 2025-08-31 → 2026-02-28, an adjusted working Saturday: the deadline stays (民诉法第八十五条
    # moves only a rest day).
    assert is_working_day(D(2026, 2, 28))
    assert rules.suit_period(filed_on=D(2026, 2, 28), known_on=D(2025, 8, 31)).deadline == D(2026, 2, 28)
    assert rules.suit_period(filed_on=D(2026, 3, 2), known_on=D(2025, 8, 31)).warnings


def test_event_table_messages():
    assert rules.event_refusal(kind="decided", status="accepted") == ""
    assert "尚未受理" in rules.event_refusal(kind="decided", status="review")
    assert "补正" in rules.event_refusal(kind="correction_requested", status="accepted")
    assert "无效" in rules.event_refusal(kind="unknown", status="review")


# ---------------------------------------------------------------- properties


@given(kind=st.sampled_from(sorted(rules.EVENT_STATES)), status=st.sampled_from([s for s, _ in (
    ("review", 1), ("correction", 1), ("accepted", 1), ("suspended", 1), ("decided", 1), ("terminated", 1),
    ("refused", 1), ("abandoned", 1))]))  # fmt: skip
def test_an_event_is_refused_exactly_outside_its_states(kind, status):
    refusal = rules.event_refusal(kind=kind, status=status)
    assert (refusal == "") == (status in rules.EVENT_STATES[kind])


@settings(max_examples=300, deadline=None)
@given(known=days_2024_2027, after=st.integers(0, 120))
def test_the_application_deadline_is_the_first_working_day_from_sixty_days_on(known, after):
    submitted = known + dt.timedelta(days=after)
    period = rules.application_period(known_on=known, submitted_on=submitted)
    assert period.deadline == next_working_day(known + dt.timedelta(days=60))
    assert period.expired == (submitted > period.deadline)


@settings(max_examples=300, deadline=None)
@given(known=days_2024_2027, learned_after=st.integers(0, 500))
def test_not_told_never_runs_past_a_year(known, learned_after):
    learned = known + dt.timedelta(days=learned_after)
    period = rules.application_period(known_on=known, submitted_on=learned, told_of_right=False, right_known_on=learned)
    cap = next_working_day(add_months(known, 12))
    assert period.deadline <= cap
    assert period.deadline == min(cap, next_working_day(learned + dt.timedelta(days=60)))


@settings(max_examples=300, deadline=None)
@given(received=days_2024_2027, notice_after=st.integers(0, 6), reply_after=st.integers(0, 20))
def test_correction_pauses_then_restarts_the_review_from_the_receipt(received, notice_after, reply_after):
    """The review runs 5 working days from receipt; a 补正 notice inside it pauses it and starts the applicant's
    10 working days; the materials' receipt starts the review afresh (第三十条, 第三十一条)."""
    review = clock_start(rules.acceptance_rule(), received)
    assert review.deadline == add_working_days(received, 5)
    notice = received + dt.timedelta(days=notice_after)
    if notice > review.deadline:
        return
    review = clock_apply(review, ClockEvent("pause", notice))
    reply = clock_start(rules.correction_rule(), notice)
    assert reply.deadline == add_working_days(notice, 10)
    got = notice + dt.timedelta(days=reply_after)
    review = clock_apply(review, ClockEvent("restart", got))
    assert not review.paused and review.deadline == add_working_days(got, 5)


@settings(max_examples=300, deadline=None)
@given(
    accepted=days_2024_2027,
    suspended_after=st.integers(0, 50),
    suspended_for=st.integers(0, 60),
    extension=st.integers(1, 40),
)
def test_the_decision_period_with_a_suspension_and_an_extension(accepted, suspended_after, suspended_for, extension):
    """60 days from acceptance, the suspended days not counted (第三十九条), at most 30 days more (第六十二条), the
    last day moved off a rest day (第八十八条 → 民诉法第八十五条)."""
    rule = rules.decision_rule("ordinary")
    p = accepted + dt.timedelta(days=suspended_after)
    r = p + dt.timedelta(days=suspended_for)
    state = clock_state(rule, accepted, [ClockEvent("pause", p), ClockEvent("resume", r)])
    assert state.deadline == next_working_day(accepted + dt.timedelta(days=60 + suspended_for))
    event = ClockEvent("extend", r, amount=extension)
    if extension > rules.EXTENSION_MAX_DAYS:
        with pytest.raises(ClockError):
            clock_apply(state, event)
    else:
        extended = clock_apply(state, event)
        assert extended.deadline == next_working_day(accepted + dt.timedelta(days=60 + suspended_for + extension))
        assert is_working_day(extended.deadline)


@settings(max_examples=200, deadline=None)
@given(corrected=st.integers(0, 500), others=st.integers(0, 500))
def test_the_correction_rate(corrected, others):
    rate = rules.correction_rate(corrected=corrected, decided=corrected + others)
    if corrected + others == 0:
        assert rate is None
    else:
        assert 0 <= rate <= 1 and abs(rate - corrected / (corrected + others)) < 1e-4


@settings(max_examples=200, deadline=None)
@given(amount=st.decimals(min_value=0, max_value=10000, places=2))
def test_the_amount_ground_is_three_thousand_yuan_or_less(amount):
    grounds = rules.simple_grounds(
        on_the_spot=False, warning=False, amount=amount, disclosure=False, parties_agree=False
    )
    assert bool(grounds) == (amount <= 3000)


def test_templates_cite_articles_from_rules_not_literally():
    """Neither "《…》第X条" nor a bare "第X条" in this app's templates: every article shown comes from rules.py
    through {% cite %}, so a number and its article live in one place."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    article = re.compile(r"(?:《[^》]+》)?第[一二三四五六七八九十百零〇\d]+条")
    found = [
        f"{p.relative_to(templates)}: {m}"
        for folder in ("disputes", "portal/reconsideration")
        for p in (templates / folder).rglob("*.html")
        for m in article.findall(p.read_text(encoding="utf-8"))
    ]
    assert found == []
