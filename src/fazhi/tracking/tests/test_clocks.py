"""Statutory clocks: the pure fold (Hypothesis and hand-computed examples across the 2025 and 2026 holidays) and
the services that store clocks, put their events on the SM3 timeline and make the item follow them."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.tracking.clocks import (
    ClockError,
    ClockEvent,
    ClockRule,
    add_months,
    clock_apply,
    clock_start,
    clock_state,
)
from fazhi.workdays.calendar import add_working_days, is_working_day, working_days_between

D = dt.date
BASIS = "《行政复议法》第六十二条"
WORKING = ClockRule("working", 5, "《行政复议法》第三十条", extension_cap=0)
NATURAL = ClockRule("calendar", 60, BASIS, extension_cap=30)

starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 6, 30))
lengths = st.integers(min_value=1, max_value=90)
units = st.sampled_from(["working", "calendar", "months"])


# ---------------------------------------------------------------- hand-computed examples


def test_working_days_skip_national_day_2025():
    # 2025: 10月1日—8日 放假，9月28日（周日）、10月11日（周六）上班 (国办发明电〔2024〕12号). Five working days
    # after 9月30日, the first day not counted: 10月9日, 10日, 11日 (adjusted Saturday), 13日, 14日.
    assert clock_state(WORKING, D(2025, 9, 30)).deadline == D(2025, 10, 14)


def test_natural_days_roll_past_national_day_2025():
    # 60 days after 8月2日 is 10月1日, a statutory holiday; the holiday runs to 10月8日, so the period ends on
    # the first working day after it, 10月9日 (民事诉讼法第八十五条).
    state = clock_state(NATURAL, D(2025, 8, 2))
    assert state.nominal == D(2025, 10, 1)
    assert state.deadline == D(2025, 10, 9)


def test_natural_days_roll_past_spring_festival_2026():
    # 2026 春节: 2月15日—23日 放假 (2月14日、2月28日 上班). 60 days after 12月17日 2025 is 2月15日 2026, a
    # holiday: the period ends on 2月24日, the first working day after the holiday.
    state = clock_state(NATURAL, D(2025, 12, 17))
    assert state.nominal == D(2026, 2, 15)
    assert not is_working_day(D(2026, 2, 23))
    assert state.deadline == D(2026, 2, 24)


def test_pause_over_national_day_counts_no_holiday():
    # 5 working days from 2025-09-26 (Fri): 9/28 (adjusted Sunday) 1, 9/29 2, 9/30 3, 10/9 4, 10/10 5.
    state = clock_state(WORKING, D(2025, 9, 26))
    assert state.deadline == D(2025, 10, 10)
    # Paused on 9/29, resumed on 10/9: the working days in (9/29, 10/9] are 9/30 and 10/9, so two more.
    state = clock_state(
        WORKING, D(2025, 9, 26), [ClockEvent("pause", D(2025, 9, 29)), ClockEvent("resume", D(2025, 10, 9))]
    )
    assert state.paused_units == 2
    # 5 + 2 = 7 working days after 9/26: 9/28, 9/29, 9/30, 10/9, 10/10, 10/11 (adjusted Saturday), 10/13.
    assert state.deadline == D(2025, 10, 13)


def test_extension_and_switch_of_a_reconsideration_decision():
    # Simple procedure: 30 days from acceptance on 2026-03-02 → 4月1日 (a Wednesday).
    simple = ClockRule("calendar", 30, "《行政复议法》第六十二条第二款")
    ordinary = ClockRule("calendar", 60, "《行政复议法》第六十二条第一款", extension_cap=30)
    state = clock_state(simple, D(2026, 3, 2))
    assert state.deadline == D(2026, 4, 1)
    # Switched to the ordinary procedure on 3月20日: 60 days from the same acceptance → 5月1日, 劳动节
    # (5月1日—5日 放假), so 5月6日; extended by 30 days → 5月31日 (a Sunday) → 6月1日.
    state = clock_apply(state, ClockEvent("switch", D(2026, 3, 20), rule=ordinary))
    assert state.nominal == D(2026, 5, 1)
    assert state.deadline == D(2026, 5, 6)
    state = clock_apply(state, ClockEvent("extend", D(2026, 4, 25), amount=30))
    assert state.deadline == D(2026, 6, 1)
    with pytest.raises(ClockError) as exc:
        clock_apply(state, ClockEvent("extend", D(2026, 4, 26), amount=1))
    assert "30" in exc.value.message and exc.value.field == "days"


def test_months_take_the_month_end_when_the_day_is_missing():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    # 3 months from 2026-07-01 is 10月1日, 国庆节: rolls forward past the holiday.
    state = clock_state(ClockRule("months", 3, "《代表法》第五十一条"), D(2026, 7, 1))
    assert state.nominal == D(2026, 10, 1)
    assert is_working_day(state.deadline) and state.deadline > D(2026, 10, 1)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([ClockEvent("resume", D(2026, 3, 3))], "未中止"),
        ([ClockEvent("pause", D(2026, 3, 3)), ClockEvent("pause", D(2026, 3, 4))], "已中止"),
        ([ClockEvent("pause", D(2026, 3, 3)), ClockEvent("extend", D(2026, 3, 4), amount=1)], "已中止"),
        ([ClockEvent("stop", D(2026, 3, 3)), ClockEvent("pause", D(2026, 3, 4))], "停止计时"),
        ([ClockEvent("pause", D(2026, 3, 5)), ClockEvent("resume", D(2026, 3, 4))], "不能早于"),
        ([ClockEvent("extend", D(2026, 3, 4), amount=1)], "不得延长"),
        ([ClockEvent("switch", D(2026, 3, 4))], "新的期限规则"),
    ],
)
def test_events_the_clock_cannot_take(events, message):
    rule = ClockRule("working", 5, "《行政复议法》第三十条")
    with pytest.raises(ClockError) as exc:
        clock_state(rule, D(2026, 3, 2), events)
    assert message in exc.value.message


def test_a_rule_needs_its_basis_and_a_positive_length():
    with pytest.raises(ClockError):
        ClockRule("working", 5, "")
    with pytest.raises(ClockError):
        ClockRule("working", 0, BASIS)
    with pytest.raises(ClockError):
        ClockRule("fortnights", 2, BASIS)


# ---------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(start=starts, n=lengths, pause_at=st.integers(0, 120), paused_for=st.integers(0, 90))
def test_pause_and_resume_move_a_working_deadline_by_the_paused_working_days(start, n, pause_at, paused_for):
    rule = ClockRule("working", n, BASIS)
    before = clock_state(rule, start).deadline
    p = start + dt.timedelta(days=pause_at)
    r = p + dt.timedelta(days=paused_for)
    after = clock_state(rule, start, [ClockEvent("pause", p), ClockEvent("resume", r)]).deadline
    k = working_days_between(p, r)
    assert after == add_working_days(before, k)
    assert working_days_between(before, after) == k


@settings(max_examples=300, deadline=None)
@given(start=starts, n=lengths, pause_at=st.integers(0, 120), paused_for=st.integers(0, 90))
def test_pause_and_resume_move_a_natural_deadline_by_the_paused_days(start, n, pause_at, paused_for):
    rule = ClockRule("calendar", n, BASIS)
    p = start + dt.timedelta(days=pause_at)
    r = p + dt.timedelta(days=paused_for)
    state = clock_state(rule, start, [ClockEvent("pause", p), ClockEvent("resume", r)])
    assert state.nominal == clock_state(rule, start).nominal + dt.timedelta(days=paused_for)


@st.composite
def histories(draw):
    """A rule, a start and a valid sequence of events (no stop), in time order."""
    unit = draw(units)
    cap = draw(st.integers(0, 40))
    rule = ClockRule(unit, draw(st.integers(1, 60)), BASIS, extension_cap=cap)
    start = draw(starts)
    state = clock_start(rule, start)
    events = []
    day = start
    for _ in range(draw(st.integers(0, 8))):
        day = day + dt.timedelta(days=draw(st.integers(0, 20)))
        kind = draw(st.sampled_from(["pause", "resume", "extend", "restart"]))
        event = ClockEvent(kind, day, amount=draw(st.integers(1, 10)) if kind == "extend" else 0)
        try:
            state = clock_apply(state, event)
        except ClockError:
            continue
        events.append(event)
    return rule, start, events, day


@settings(max_examples=300, deadline=None)
@given(history=histories(), later=st.integers(0, 30))
def test_a_restart_equals_a_fresh_clock_from_the_restart_day(history, later):
    rule, start, events, last = history
    restart = last + dt.timedelta(days=later)
    state = clock_state(rule, start, [*events, ClockEvent("restart", restart)])
    fresh = clock_state(rule, restart)
    assert (state.deadline, state.paused, state.extended) == (fresh.deadline, fresh.paused, fresh.extended)


@settings(max_examples=300, deadline=None)
@given(start=starts, cap=st.integers(1, 60), first=st.integers(1, 60), second=st.integers(1, 60))
def test_extensions_never_pass_the_cap(start, cap, first, second):
    rule = ClockRule("calendar", 60, BASIS, extension_cap=cap)
    state = clock_start(rule, start)
    total = 0
    for i, amount in enumerate((first, second)):
        event = ClockEvent("extend", start + dt.timedelta(days=i), amount=amount)
        if total + amount > cap:
            with pytest.raises(ClockError):
                clock_apply(state, event)
        else:
            state = clock_apply(state, event)
            total += amount
    assert state.extended == total <= cap


@settings(max_examples=300, deadline=None)
@given(history=histories())
def test_a_natural_or_month_deadline_never_ends_on_a_rest_day(history):
    rule, start, events, _ = history
    state = clock_state(rule, start, events)
    assert is_working_day(state.deadline)
    assert state.deadline >= state.nominal
    if rule.unit != "working":
        # It moves only past rest days.
        day = state.nominal
        while day < state.deadline:
            assert not is_working_day(day)
            day += dt.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(history=histories())
def test_the_deadline_never_comes_before_the_plain_period(history):
    rule, start, events, _ = history
    state = clock_state(rule, start, events)
    assert state.deadline >= clock_state(rule, state.start).deadline
