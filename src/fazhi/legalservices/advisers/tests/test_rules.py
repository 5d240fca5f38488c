"""The numbers and citations of 法律顾问 (rules.py), pinned."""

import datetime as dt

from fazhi.legalservices.advisers import rules


def test_coverage_goal_and_lights():
    assert rules.COVERAGE_GOAL == 100.0 and rules.COVERAGE_YELLOW_FROM == 90.0
    assert "公共法律服务体系建设" in rules.COVERAGE_CITATION
    assert rules.coverage_rate(villages=138, covered=138) == 100.0
    assert rules.coverage_light(100.0) == "green"
    assert rules.coverage_light(92.5) == "yellow"
    assert rules.coverage_light(89.9) == "red"
    assert rules.coverage_light(None) == "none"


def test_coverage_day():
    today = dt.date(2026, 6, 15)
    assert rules.coverage_day(year=2026, today=today) == today
    assert rules.coverage_day(year=2025, today=today) == dt.date(2025, 12, 31)
    assert rules.coverage_day(year=2027, today=today) == dt.date(2027, 1, 1)


def test_opinion_period_and_overlap():
    assert rules.OPINION_DEFAULT_WORKING_DAYS == 5 and "5 个工作日" in rules.OPINION_PERIOD_SOURCE
    assert "2016" in rules.ADVISER_CITATION
    d = dt.date
    assert rules.periods_overlap(d(2026, 1, 1), d(2026, 12, 31), d(2026, 12, 31), d(2027, 12, 31))
    assert not rules.periods_overlap(d(2026, 1, 1), d(2026, 12, 31), d(2027, 1, 1), d(2027, 12, 31))
