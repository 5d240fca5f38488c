"""The numbers and citations of 普法, pinned."""

import datetime as dt

from fazhi.legalservices.outreach import rules


def test_numbers_and_citations():
    assert rules.DEFAULT_YELLOW_RATE == 80
    assert "谁执法谁普法" in rules.DUTY_SOURCE
    assert "12 月 4 日" in rules.CONSTITUTION_WEEK_SOURCE
    assert [code for code, _ in rules.VENUES] == ["organ", "village", "community", "school", "enterprise", "unit"]


def test_constitution_week_holds_december_4():
    for year in (2025, 2026, 2027, 2055):
        start, end = rules.constitution_week(year)
        assert start <= dt.date(year, 12, 4) <= end and (end - start).days == 6 and start.weekday() == 0


def test_completion_light():
    assert rules.completion_light(total=0, done=0, overdue=0, due_by_today=0) == "red"
    assert rules.completion_light(total=4, done=1, overdue=1, due_by_today=2) == "red"
    assert rules.completion_light(total=4, done=1, overdue=0, due_by_today=2) == "yellow"
    assert rules.completion_light(total=4, done=2, overdue=0, due_by_today=2) == "green"
    assert rules.completion_light(total=4, done=0, overdue=0, due_by_today=0) == "green"
    assert rules.completion_rate(done=1, total=3) == rules.completion_rate(done=2, total=6)
