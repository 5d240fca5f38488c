"""How periods are counted: the citations shown with every computed deadline, pinned."""

from fazhi.workdays import rules, selectors


def test_citations():
    assert rules.PENALTY_LAW_WORKING_DAYS == "《行政处罚法》第八十五条"
    assert rules.RECONSIDERATION_LAW_WORKING_DAYS == "《行政复议法》第八十八条"
    assert rules.CIVIL_PROCEDURE_PERIODS == "《民事诉讼法》第八十五条"


def test_notes_shown_with_deadlines_carry_them():
    assert "《行政处罚法》第八十五条：本法中“二日”“三日”“五日”“七日”的规定是指工作日" in rules.NOTE_WORKING
    assert "起算日不计入" in rules.NOTE_WORKING
    assert "《民事诉讼法》第八十五条" in rules.NOTE_CALENDAR and "《行政诉讼法》第一百零一条" in rules.NOTE_CALENDAR
    assert "《行政复议法》第八十八条" in rules.NOTE_CALENDAR
    assert (selectors.NOTE_WORKING, selectors.NOTE_CALENDAR) == (rules.NOTE_WORKING, rules.NOTE_CALENDAR)
