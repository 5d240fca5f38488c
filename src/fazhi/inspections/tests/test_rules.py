import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

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


def _days(seg):
    return {seg.start + dt.timedelta(days=k) for k in range((seg.end - seg.start).days + 1)}


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D(2023, 1, 1), max_value=D(2027, 12, 31)), st.integers(0, 900))
def test_burden_segments_add_up_to_exactly_the_range(start, length):
    end = start + dt.timedelta(days=length)
    weight: dict = {}
    for seg in rules.burden_segments(start, end):
        if seg.kind == "year":
            assert (seg.start.month, seg.start.day, seg.end.month, seg.end.day) == (1, 1, 12, 31)
        if seg.kind == "month":
            assert seg.start.day == 1 and (seg.end + dt.timedelta(days=1)).day == 1
        for day in _days(seg):
            weight[day] = weight.get(day, 0) + seg.sign
    assert {day for day, w in weight.items() if w} == _days(rules.Segment("days", 1, start, end))
    assert all(w in (0, 1) for w in weight.values())


def test_burden_segments_read_few_records():
    segs = rules.burden_segments(D(2025, 2, 17), D(2025, 11, 3))
    record_days = sum(len(_days(s)) for s in segs if s.kind == "days")
    assert record_days <= 15 and segs[0].kind == "year"
    assert rules.burden_segments(D(2025, 4, 1), D(2025, 6, 30)) == [
        rules.Segment("month", 1, D(2025, 4, 1), D(2025, 6, 30))
    ]
