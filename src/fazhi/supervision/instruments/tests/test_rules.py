"""The numbers and citations of 监督文书 are pinned here; the pure rules are checked with Hypothesis."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.supervision.instruments import rules

DAYS = st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2099, 12, 31))
# Pure functions: no deadline, and no complaint when a shared machine is slow to generate.
CALM = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_reply_periods_and_their_citations():
    opinion = rules.reply_rule(rules.OPINION)
    assert (opinion.days, opinion.limit_kind) == (30, "calendar")
    assert "《山东省行政执法监督条例》第二十八条" in opinion.source and "三十日" in opinion.source
    decision = rules.reply_rule(rules.DECISION)
    assert (decision.days, decision.limit_kind) == (30, "calendar")
    assert "第二十九条第二款" in decision.source
    assert (rules.reply_rule(rules.RECOMMENDATION).days, rules.reply_rule(rules.RECOMMENDATION).limit_kind) == (
        30,
        "calendar",
    )
    assert (rules.reply_rule(rules.REMINDER).days, rules.reply_rule(rules.REMINDER).limit_kind) == (15, "working")
    assert (rules.reply_rule(rules.INTERVIEW).days, rules.reply_rule(rules.INTERVIEW).limit_kind) == (30, "calendar")
    assert "第二十六条" in rules.reply_rule(rules.INTERVIEW).source
    assert rules.reply_rule(rules.BULLETIN) is None


def test_the_other_numbers():
    assert rules.UNHEEDED_RETURNS == 2
    assert (rules.RISK_MONTHS, rules.RISK_WARNINGS, rules.RISK_COMPLAINTS) == (3, 10, 20)
    assert rules.risk_thresholds() == rules.RiskThresholds(3, 10, 20)
    assert set(rules.DECISION_KIND_LABELS.values()) == {"责令履行", "责令改正", "撤销", "确认违法"}
    assert rules.WRONG_CASE_DECISIONS == (rules.CORRECT, rules.REVOKE, rules.CONFIRM_ILLEGAL)
    assert all("第二十九条" in c for c in rules.DECISION_CITATIONS.values())
    assert rules.DEFAULT_PREFIXES[rules.OPINION] == "司监意" and rules.default_prefix(rules.OPINION) == "司监意"


def test_a_period_is_configurable_and_cites_a_local_rule_when_changed(settings):
    settings.FAZHI_INSTRUMENTS = {"REPLY": {rules.OPINION: {"days": 20, "limit_kind": "working"}}}
    rule = rules.reply_rule(rules.OPINION)
    assert (rule.days, rule.limit_kind) == (20, "working")
    assert rule.source.endswith(rules.LOCAL) and "20个工作日" in rule.source
    settings.FAZHI_INSTRUMENTS = {"REPLY": {rules.DECISION: {"days": 15, "source": "《某市行政执法监督办法》第十条"}}}
    assert rules.reply_rule(rules.DECISION) == rules.ReplyRule(15, "calendar", "《某市行政执法监督办法》第十条")
    # nonsense falls back to the statutory value
    settings.FAZHI_INSTRUMENTS = {"REPLY": {rules.OPINION: {"days": -3}}}
    assert rules.reply_rule(rules.OPINION) == rules.DEFAULT_REPLY[rules.OPINION]


def test_environment_configures_periods_and_thresholds(monkeypatch):
    monkeypatch.setenv("INSTRUMENT_REPLY_DAYS", "reminder=10,opinion=x")
    monkeypatch.setenv("INSTRUMENT_UNHEEDED_RETURNS", "3")
    monkeypatch.setenv("INSTRUMENT_RISK_WARNINGS", "8")
    monkeypatch.setenv("INSTRUMENT_RISK_MONTHS", "5")  # does not divide the year: the default stays
    assert rules.reply_rule(rules.REMINDER).days == 10
    assert rules.reply_rule(rules.OPINION) == rules.DEFAULT_REPLY[rules.OPINION]
    assert rules.conf()["UNHEEDED_RETURNS"] == 3
    assert rules.risk_thresholds() == rules.RiskThresholds(3, 8, 20)


def test_which_kinds_need_a_reply():
    assert rules.needs_reply(kind=rules.OPINION)
    assert rules.needs_reply(kind=rules.DECISION, reply_required=False)
    assert not rules.needs_reply(kind=rules.BULLETIN)
    assert rules.needs_reply(kind=rules.INTERVIEW, reply_required=True)
    assert not rules.needs_reply(kind=rules.INTERVIEW, reply_required=False)


@CALM
@given(day=DAYS, months=st.sampled_from([1, 2, 3, 4, 6, 12]))
def test_a_period_contains_its_day_and_the_previous_one_ends_before_it(day, months):
    start, end = rules.risk_period(day, months)
    assert start <= day <= end
    assert start.day == 1 and (start.month - 1) % months == 0
    assert (end + dt.timedelta(days=1)).day == 1
    assert rules.risk_period(start, months) == rules.risk_period(end, months) == (start, end)
    p_start, p_end = rules.risk_previous_period(day, months)
    assert p_end == start - dt.timedelta(days=1) and p_start < start


def test_a_quarter():
    assert rules.risk_period(dt.date(2026, 5, 17), 3) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert rules.risk_previous_period(dt.date(2026, 1, 5), 3) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    with pytest.raises(ValueError):
        rules.risk_period(dt.date(2026, 5, 17), 5)


@CALM
@given(
    warnings=st.integers(0, 100),
    complaints=st.integers(0, 100),
    tw=st.integers(1, 50),
    tc=st.integers(1, 50),
)
def test_a_threshold_is_crossed_when_reached(warnings, complaints, tw, tc):
    t = rules.RiskThresholds(3, tw, tc)
    crossed = rules.risk_crossed(warnings=warnings, complaints=complaints, thresholds=t)
    assert bool(crossed) == (warnings >= tw or complaints >= tc)
    assert any("预警" in c for c in crossed) == (warnings >= tw)
    # more never crosses fewer
    assert len(rules.risk_crossed(warnings=warnings + 1, complaints=complaints + 1, thresholds=t)) >= len(crossed)


@CALM
@given(
    status=st.sampled_from([s for s, _ in rules.STATUSES]),
    offset=st.integers(-60, 60),
    returns=st.integers(0, 5),
    on_time=st.booleans(),
)
def test_when_an_opinion_is_unheeded(status, offset, returns, on_time):
    today = dt.date(2026, 6, 15)
    deadline = today + dt.timedelta(days=offset)
    reason = rules.unheeded_reason(
        status=status, deadline=deadline, today=today, returns=returns, pending_reply_on_time=on_time
    )
    if status not in rules.OPEN:
        assert reason == ""
    elif returns >= rules.UNHEEDED_RETURNS:
        assert "退回" in reason
    elif deadline < today and not (status == rules.REPLIED and on_time):
        assert "逾期" in reason
    else:
        assert reason == ""


def test_unheeded_can_be_limited_to_returns():
    today = dt.date(2026, 6, 15)
    late = today - dt.timedelta(days=1)
    assert (
        rules.unheeded_reason(status=rules.ACKNOWLEDGED, deadline=late, today=today, returns=0, on_overdue=False) == ""
    )
    assert rules.unheeded_reason(status=rules.RETURNED, deadline=today, today=today, returns=3, returns_limit=3)


@CALM
@given(replied=DAYS, deadline=DAYS)
def test_reply_on_time(replied, deadline):
    assert rules.reply_on_time(replied_on=replied, deadline=deadline) == (replied <= deadline)
