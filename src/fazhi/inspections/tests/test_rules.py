import datetime as dt

from fazhi.inspections import rules
from fazhi.inspections.models import RISK_LABELS

D = dt.date
SPANS = [rules.QuietSpan(label="东城区", start=D(2025, 6, 2), end=D(2025, 6, 6))]


def test_quiet_day_refuses_routine_inspection():
    message = rules.quiet_day_check(day=D(2025, 6, 3), source="random", reason="", spans=SPANS)
    assert "企业安静生产日" in message and "东城区" in message
    assert rules.quiet_day_check(day=D(2025, 6, 3), source="referral", reason="交办", spans=SPANS)


def test_quiet_day_allows_complaint_and_emergency_with_reason():
    assert rules.quiet_day_check(day=D(2025, 6, 3), source="complaint", reason="12345 投诉", spans=SPANS) is None
    assert rules.quiet_day_check(day=D(2025, 6, 6), source="emergency", reason="火灾隐患", spans=SPANS) is None
    assert "事由" in rules.quiet_day_check(day=D(2025, 6, 3), source="complaint", reason=" ", spans=SPANS)


def test_outside_quiet_days_anything_goes():
    assert rules.quiet_day_check(day=D(2025, 6, 7), source="random", reason="", spans=SPANS) is None
    assert rules.quiet_day_check(day=D(2025, 6, 1), source="random", reason="", spans=[]) is None


def test_non_plan_needs_reason():
    assert rules.non_plan_reason_check(source="random", reason="") is None
    assert "事由" in rules.non_plan_reason_check(source="complaint", reason="")
    assert rules.non_plan_reason_check(source="referral", reason="上级交办") is None
    assert "无效" in rules.non_plan_reason_check(source="whim", reason="x")


def test_proportions():
    assert rules.proportions_check({"a_low": 500, "d_high": 10000}, RISK_LABELS) is None
    assert "0%–100%" in rules.proportions_check({"a_low": 10001}, RISK_LABELS)
    assert "0%–100%" in rules.proportions_check({"a_low": -1}, RISK_LABELS)
    assert "无效" in rules.proportions_check({"x": 1}, RISK_LABELS)
    assert "大于 0" in rules.proportions_check({"a_low": 0}, RISK_LABELS)


def test_plan_published_before_period_starts():
    assert rules.plan_publish_check(today=D(2025, 1, 1), period_start=D(2025, 1, 1)) is None
    assert "开始" in rules.plan_publish_check(today=D(2025, 1, 2), period_start=D(2025, 1, 1))


def test_burden_and_periods():
    assert rules.burden_exceeds(count=4, threshold=3)
    assert not rules.burden_exceeds(count=3, threshold=3)
    assert rules.period_bounds(period="quarter", day=D(2025, 11, 5)) == (D(2025, 10, 1), D(2025, 12, 31))
    assert rules.period_bounds(period="quarter", day=D(2025, 2, 5)) == (D(2025, 1, 1), D(2025, 3, 31))
    assert rules.period_bounds(period="month", day=D(2024, 2, 10)) == (D(2024, 2, 1), D(2024, 2, 29))
    assert rules.period_bounds(period="year", day=D(2025, 7, 1)) == (D(2025, 1, 1), D(2025, 12, 31))
    assert rules.PUBLICATION_WORKING_DAYS == 20
