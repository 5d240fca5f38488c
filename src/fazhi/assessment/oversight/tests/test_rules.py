"""The rules of 法治督察 and the citations the pages show."""

import datetime as dt

from fazhi.assessment.oversight import rules


def test_citations_pinned():
    assert rules.OVERSIGHT_CITATION == "《法治政府建设与责任落实督察工作规定》（中共中央办公厅、国务院办公厅，2019年）"
    assert "对账销号" in rules.SIGNOFF_CITATION
    assert "纪检监察" in rules.CLUE_CITATION
    assert rules.RECTIFICATION_SOURCE.startswith("督察单位")
    assert rules.DEADLINE_MAX_DAYS == 730


def test_deadline_problem():
    start = dt.date(2026, 6, 1)
    assert rules.deadline_problem(deadline=None, start=start) == "请填写整改期限"
    assert "不能早于" in rules.deadline_problem(deadline=dt.date(2026, 5, 31), start=start)
    assert "请核对年份" in rules.deadline_problem(deadline=dt.date(2028, 6, 2), start=start)
    assert rules.deadline_problem(deadline=dt.date(2026, 6, 1), start=start) == ""


def test_signed_off_on_time():
    d = dt.date(2026, 6, 30)
    assert rules.signed_off_on_time(signed_off_on=d, deadline=d)
    assert not rules.signed_off_on_time(signed_off_on=d + dt.timedelta(1), deadline=d)
    assert not rules.signed_off_on_time(signed_off_on=None, deadline=d)
