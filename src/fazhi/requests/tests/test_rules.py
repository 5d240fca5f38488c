"""The numbers, citations and pure rules of suggestions, proposals and disclosure requests, pinned; deadlines
computed by hand across the 2025 and 2026 holidays (国办发明电〔2024〕12号, 国办发明电〔2025〕7号)."""

import datetime as dt

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.requests import rules
from fazhi.tracking.clocks import ClockEvent, clock_state
from fazhi.workdays.calendar import add_working_days, is_working_day, working_days_between

D = dt.date


# ---------------------------------------------------------------- numbers and citations


def test_statutory_numbers_of_disclosure_on_request():
    assert rules.ANSWER_WORKING_DAYS == 20
    assert rules.EXTENSION_CAP_WORKING_DAYS == 20
    assert rules.CORRECTION_NOTICE_WORKING_DAYS == 7
    assert rules.CONSULTATION_WORKING_DAYS == 15
    assert "第三十三条第二款" in rules.ANSWER_BASIS and "20个工作日" in rules.ANSWER_BASIS
    assert "第三十条" in rules.CORRECTION_NOTICE_BASIS and "7个工作日" in rules.CORRECTION_NOTICE_BASIS
    assert "第三十二条" in rules.CONSULTATION_BASIS["third_party"]
    assert "第三十四条" in rules.CONSULTATION_BASIS["agency"]
    assert "第三十三条第三款" in rules.PAUSE_BASIS
    assert "第三十二条" in rules.CONSULTATION_LAPSED["third_party"]
    assert "第三十四条" in rules.CONSULTATION_LAPSED["agency"] and "视为同意公开" in rules.CONSULTATION_LAPSED["agency"]
    assert rules.RECEIPT_BASIS == "《政府信息公开条例》（2019）第三十一条"
    rule = rules.answer_rule()
    assert (rule.unit, rule.length, rule.extension_cap) == ("working", 20, 20)


def test_statutory_and_local_numbers_of_suggestions():
    assert (rules.REPLY_MONTHS, rules.REPLY_MAX_MONTHS, rules.EXTENSION_CAP_MONTHS) == (3, 6, 3)
    assert "第五十一条第二款" in rules.REPLY_BASIS["suggestion"]
    assert rules.RETURN_WORKING_DAYS_DEFAULT == 5 and rules.return_working_days() == 5
    assert rules.CO_VIEW_MONTHS_DEFAULT == 1 and rules.co_view_months() == 1
    assert rules.REREPLY_MONTHS_DEFAULT == 1 and rules.rereply_months() == 1
    assert rules.RATING_WORKING_DAYS_DEFAULT == 15 and rules.rating_working_days() == 15
    assert rules.GOAL_PERCENT == 100 and rules.goal_yellow_from() == 90
    assert "第二十一条" in rules.CO_VIEW_BASIS and "第十二条" in rules.RETURN_BASIS
    assert "第四十三条" in rules.REREPLY_BASIS and "第二十三条" in rules.RATING_BASIS
    rule = rules.reply_rule("suggestion")
    assert (rule.unit, rule.length, rule.extension_cap) == ("months", 3, 3)


@override_settings(FAZHI_REQUESTS={"RETURN_WORKING_DAYS": 10, "CO_VIEW_MONTHS": 2, "RATING_WORKING_DAYS": "x"})
def test_local_values_are_settings_and_bad_ones_fall_back():
    assert rules.return_working_days() == 10
    assert rules.co_view_months() == 2
    assert rules.rating_working_days() == 15  # not an integer: the default


@override_settings(FAZHI_REQUESTS={"ISSUER_CODES": {"示例市市场监督管理局": "示市监"}})
def test_issuer_prefix_from_settings_or_short_name():
    assert (
        rules.issuer_prefix(unit_name="示例市市场监督管理局", short_name="市场监管局", doc_type="disclosure_answer")
        == "示市监信公"
    )
    assert (
        rules.issuer_prefix(unit_name="示例市生态环境局", short_name="生态环境局", doc_type="suggestion_reply")
        == "生态环境局建复"
    )


# ---------------------------------------------------------------- hand-computed deadlines


def test_answer_deadline_across_national_day_2025():
    # Received Friday 2025-09-26. Working days after it: 9/28 (Sunday, adjusted working day) 1, 9/29 2, 9/30 3,
    # 10/1–10/8 National Day and Mid-Autumn, 10/9 4, 10/10 5, 10/11 (Saturday, adjusted) 6, 10/13–17 7–11,
    # 10/20–24 12–16, 10/27–30 17–20: the 20th working day is Thursday 2025-10-30.
    assert clock_state(rules.answer_rule(), D(2025, 9, 26)).deadline == D(2025, 10, 30)


def test_correction_notice_window_across_national_day_2025():
    # 7 working days after 2025-09-26: 9/28, 9/29, 9/30, 10/9, 10/10, 10/11, 10/13 → Monday 2025-10-13.
    assert rules.correction_notice_deadline(D(2025, 9, 26)) == D(2025, 10, 13)


def test_correction_restarts_the_answer_period_across_spring_festival_2026():
    # Received 2026-01-05, 补正 asked 2026-01-08 (the clock waits), the corrected application received Thursday
    # 2026-02-12: 20 working days from then (第三十条). 2/13 1, 2/14 (Saturday, adjusted) 2, 2/15–2/23 Spring
    # Festival, 2/24–27 3–6, 2/28 (Saturday, adjusted) 7, 3/2–6 8–12, 3/9–13 13–17, 3/16–18 18–20 → 2026-03-18.
    events = [ClockEvent("pause", D(2026, 1, 8)), ClockEvent("restart", D(2026, 2, 12))]
    assert clock_state(rules.answer_rule(), D(2026, 1, 5), events).deadline == D(2026, 3, 18)


def test_consultation_is_not_counted_across_may_day_2025():
    # Received Tuesday 2025-04-01: 4/2 1, 4/3 2, 4/4–4/6 Qingming, 4/7–11 3–7, 4/14–18 8–12, 4/21–25 13–17,
    # 4/27 (Sunday, adjusted) 18, 4/28 19, 4/29 20 → 2025-04-29 without a consultation.
    assert clock_state(rules.answer_rule(), D(2025, 4, 1)).deadline == D(2025, 4, 29)
    # Third party asked 2025-04-10, its view received 2025-04-30: the working days in (4/10, 4/30] are 4/11,
    # 4/14–18, 4/21–25, 4/27, 4/28–30 = 15, not counted (第三十三条第三款). 15 working days after 4/29: 4/30 1,
    # 5/1–5/5 May Day, 5/6–9 2–5, 5/12–16 6–10, 5/19–23 11–15 → 2025-05-23.
    events = [ClockEvent("pause", D(2025, 4, 10)), ClockEvent("resume", D(2025, 4, 30))]
    state = clock_state(rules.answer_rule(), D(2025, 4, 1), events)
    assert (state.paused_units, state.deadline) == (15, D(2025, 5, 23))
    # The third party's own 15 working days from 4/10 end on 4/30 (第三十二条).
    assert rules.period_end(rules.consultation_rule("third_party"), D(2025, 4, 10)) == D(2025, 4, 30)


def test_extension_across_new_year_2026_and_its_cap():
    # Received Monday 2025-12-15: 12/16–19 1–4, 12/22–26 5–9, 12/29–31 10–12, 2026-01-01–03 New Year,
    # 1/4 (Sunday, adjusted) 13, 1/5–9 14–18, 1/12 19, 1/13 20 → 2026-01-13.
    assert clock_state(rules.answer_rule(), D(2025, 12, 15)).deadline == D(2026, 1, 13)
    # Extended by the full 20 working days: 1/14–16 1–3, 1/19–23 4–8, 1/26–30 9–13, 2/2–6 14–18, 2/9 19,
    # 2/10 20 → 2026-02-10. One more day is past the cap of 第三十三条第二款.
    extended = clock_state(rules.answer_rule(), D(2025, 12, 15), [ClockEvent("extend", D(2026, 1, 5), 20)])
    assert extended.deadline == D(2026, 2, 10)
    with pytest.raises(Exception, match="延长不得超过20个工作日"):
        clock_state(rules.answer_rule(), D(2025, 12, 15), [ClockEvent("extend", D(2026, 1, 5), 21)])


def test_reply_within_three_months_and_six_with_consent():
    # Assigned 2025-07-01: three months end on 2025-10-01, National Day, so the period ends on the first working
    # day after the holiday, Thursday 2025-10-09 (《民事诉讼法》第八十五条).
    rule = rules.reply_rule("suggestion")
    assert clock_state(rule, D(2025, 7, 1)).deadline == D(2025, 10, 9)
    # With the assigning body's consent, three more months: 2026-01-01 is New Year's Day (1/1–1/3 off) and
    # Sunday 2026-01-04 an adjusted working day, so the six months end on 2026-01-04.
    assert clock_state(rule, D(2025, 7, 1), [ClockEvent("extend", D(2025, 9, 1), 3)]).deadline == D(2026, 1, 4)


def test_local_periods_of_suggestions_across_holidays():
    # The co-unit's month from 2025-07-01 ends Friday 2025-08-01.
    assert rules.period_end(rules.co_view_rule(), D(2025, 7, 1)) == D(2025, 8, 1)
    # Returning a wrongly assigned item: 5 working days from Friday 2025-09-26 are 9/28 (Sunday, adjusted),
    # 9/29, 9/30, 10/9, 10/10 → 2025-10-10.
    assert rules.return_deadline(D(2025, 9, 26)) == D(2025, 10, 10)
    assert rules.return_problem(assigned_on=D(2025, 9, 26), on=D(2025, 10, 10)) is None
    assert "已超过退回期限" in rules.return_problem(assigned_on=D(2025, 9, 26), on=D(2025, 10, 11))
    # A new reply within a month of a dissatisfied rating on 2026-01-31: February has no 31st, so its last day,
    # Saturday 2026-02-28, which is an adjusted working day: it stands.
    assert rules.period_end(rules.rereply_rule(), D(2026, 1, 31)) == D(2026, 2, 28)
    # From 2026-01-15 the month ends on 2026-02-15, in the Spring Festival (2/15–2/23): rolled to 2/24.
    assert rules.period_end(rules.rereply_rule(), D(2026, 1, 15)) == D(2026, 2, 24)
    # The rating link of a reply issued Tuesday 2026-02-10 lasts 15 working days: 2/11–13 1–3, 2/14 (Saturday,
    # adjusted) 4, Spring Festival, 2/24–27 5–8, 2/28 (adjusted) 9, 3/2–6 10–14, 3/9 15 → 2026-03-09.
    assert rules.rating_link_expires(D(2026, 2, 10)) == D(2026, 3, 9)


# ---------------------------------------------------------------- pure rules


def test_receipt_day_by_channel_article_31():
    today = D(2025, 10, 20)
    assert (
        rules.receipt_problem(channel="window", submitted_on=D(2025, 10, 9), received_on=D(2025, 10, 9), today=today)
        is None
    )
    assert "提交之日" in rules.receipt_problem(
        channel="window", submitted_on=D(2025, 10, 9), received_on=D(2025, 10, 10), today=today
    )
    assert (
        rules.receipt_problem(channel="post", submitted_on=D(2025, 10, 9), received_on=D(2025, 10, 13), today=today)
        is None
    )
    assert "不能早于提交日期" in rules.receipt_problem(
        channel="online", submitted_on=D(2025, 10, 9), received_on=D(2025, 10, 8), today=today
    )
    assert "不能晚于今天" in rules.receipt_problem(
        channel="fax", submitted_on=D(2025, 10, 9), received_on=D(2025, 10, 21), today=today
    )
    assert "无效" in rules.receipt_problem(channel="pigeon", submitted_on=today, received_on=today, today=today)


def test_events_allowed_by_state():
    assert rules.event_problem(status="processing", kind="extended") is None
    assert "征求意见尚未结束" in rules.event_problem(status="consulting", kind="answered")
    assert "尚未补正" in rules.event_problem(status="correction", kind="answered")
    assert "一次性" in rules.event_problem(status="processing", kind="correction_requested", corrections_asked=1)
    assert "已答复" in rules.event_problem(status="answered", kind="extended")
    assert "无效" in rules.event_problem(status="processing", kind="teleport")
    for kind, states in rules.EVENT_FROM.items():
        for status in rules.STATE_HINT:
            assert (rules.event_problem(status=status, kind=kind) is None) == (status in states)


def test_answer_kinds_grounds_and_report_rows():
    assert rules.answer_code("予以公开") == "disclosed" == rules.answer_code("disclosed")
    assert rules.answer_code("部分公开") == "partial"
    assert rules.answer_code("信息不存在") == "not_exist"
    assert rules.answer_code("nonsense") == ""
    assert rules.ground_code("withheld", "属于国家秘密") == "state_secret"
    assert rules.ground_code("not_processed", "petition") == "petition"
    fields = [f for f, _ in rules.answer_problems(kind="withheld", ground="", reason="", competent_body="")]
    assert fields == ["ground", "reason"]
    assert [f for f, _ in rules.answer_problems(kind="not_held", ground="", reason="x", competent_body="")] == [
        "competent_body"
    ]
    assert rules.answer_problems(kind="disclosed", ground="", reason="", competent_body="") == []
    assert rules.answer_problems(kind="", ground="", reason="", competent_body="")[0][0] == "answer"
    assert rules.report_row("withheld", "third_party") == "withheld_third_party"
    assert rules.report_row("not_exist", "") == rules.report_row("not_held", "") == "unavailable_not_held"
    assert rules.report_row("repeat", "") == "not_processed_repeat"
    assert rules.report_row("abandoned", "") == "other_abandoned"
    keys = [k for k, _ in rules.REPORT_ROWS]
    assert len(keys) == len(set(keys)) == 21
    for a in rules.ANSWER_KINDS:
        assert a.report_row == "" or a.report_row in keys


def test_classification_and_rating_rules():
    assert rules.classification_problem(classification="", c_reason="")[0] == "classification"
    assert rules.classification_problem(classification="C", c_reason=" ")[0] == "c_reason"
    assert rules.classification_problem(classification="C", c_reason="资金不足") is None
    assert [f for f, _ in rules.rating_problems(attitude="", result="satisfied", comment="")] == ["attitude"]
    assert [f for f, _ in rules.rating_problems(attitude="satisfied", result="dissatisfied", comment="")] == ["comment"]


def test_session_names_in_chinese_numerals():
    assert (
        rules.session_name(body="npc", division="示例市", term=18, meeting=5, year=2026)
        == "示例市第十八届人民代表大会第五次会议"
    )
    assert (
        rules.session_name(body="cppcc", division="示例市", term=13, meeting=1, year=2026)
        == "政协示例市第十三届委员会第一次会议"
    )
    assert "2026年闭会期间" in rules.session_name(body="npc", division="示例市", term=18, meeting=0, year=2026)
    assert [rules.chinese_number(n) for n in (0, 1, 10, 11, 20, 21, 100, 105, 110, 120)] == [
        "零",
        "一",
        "十",
        "十一",
        "二十",
        "二十一",
        "一百",
        "一百零五",
        "一百一十",
        "一百二十",
    ]


def test_goal_lights():
    assert rules.goal_light(None) == ""
    assert rules.goal_light(100.0) == "green"
    assert rules.goal_light(95.0) == "yellow"
    assert rules.goal_light(89.9) == "red"
    assert rules.rate(0, 0) is None and rules.rate(1, 3) == 33.3


def test_proposer_lines():
    rows = rules.proposer_lines("王建国，东城区代表团，13807310001\n\n李秀英,西城区代表团\n张伟")
    assert [r["name"] for r in rows] == ["王建国", "李秀英", "张伟"]
    assert rows[0]["phone"] == "13807310001" and rows[1]["delegation"] == "西城区代表团"


# ---------------------------------------------------------------- properties of the rules that are ours


def _parse_chinese(text: str) -> int:
    digits = {c: i for i, c in enumerate(rules.CHINESE_DIGITS)}
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += current * 100
            current = 0
    return total + current


@given(st.integers(min_value=0, max_value=999))
def test_chinese_numbers_read_back(n):
    assert _parse_chinese(rules.chinese_number(n)) == n


DAYS = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))


@settings(max_examples=200)
@given(DAYS, st.integers(min_value=0, max_value=40))
def test_the_return_window_is_n_working_days(assigned, later):
    """A unit may return an item up to and including the N-th working day after 交办, never after."""
    last = rules.return_deadline(assigned)
    assert is_working_day(last) and working_days_between(assigned, last) == rules.return_working_days()
    on = assigned + dt.timedelta(days=later)
    assert (rules.return_problem(assigned_on=assigned, on=on) is None) == (on <= last)


@settings(max_examples=200)
@given(DAYS, st.integers(min_value=0, max_value=30))
def test_a_correction_notice_is_allowed_exactly_within_seven_working_days(received, later):
    last = rules.correction_notice_deadline(received)
    assert last == add_working_days(received, 7) and is_working_day(last)
    assert working_days_between(received, last) == rules.CORRECTION_NOTICE_WORKING_DAYS
    on = received + dt.timedelta(days=later)
    # Within the window exactly when no more than 7 working days have passed and no rest day after the 7th.
    assert (on <= last) == (
        working_days_between(received, on) < 7 or on == last or (working_days_between(received, on) == 7 and on <= last)
    )


@given(
    st.sampled_from(list(rules.SATISFACTION_LABELS)),
    st.sampled_from(list(rules.SATISFACTION_LABELS)),
    st.text(max_size=5),
)
def test_a_rating_is_dissatisfied_when_either_part_is(attitude, result, comment):
    dissatisfied = rules.rating_dissatisfied(attitude=attitude, result=result)
    assert dissatisfied == ("dissatisfied" in (attitude, result))
    problems = rules.rating_problems(attitude=attitude, result=result, comment=comment)
    assert (problems == []) == (not dissatisfied or bool(comment.strip()))


@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_goal_lights_never_improve_as_the_rate_falls(a, b):
    order = {"red": 0, "yellow": 1, "green": 2}
    low, high = sorted((a, b))
    assert order[rules.goal_light(low)] <= order[rules.goal_light(high)]


@given(DAYS, DAYS)
def test_a_window_request_is_received_the_day_it_is_handed_in(submitted, received):
    today = D(2027, 1, 1)
    problem = rules.receipt_problem(channel="window", submitted_on=submitted, received_on=received, today=today)
    assert (problem is None) == (received == submitted)


def test_templates_cite_articles_from_rules_not_literally():
    """Neither "《…》第X条" nor a bare "第X条" in this app's templates: every article shown comes from rules.py
    through {% cite %}, so a number and its article live in one place."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    article = re.compile(r"(?:《[^》]+》)?第[一二三四五六七八九十百零〇\d]+条")
    found = [
        f"{p.relative_to(templates)}: {m}"
        for folder in ("requests", "portal/requests")
        for p in (templates / folder).rglob("*.html")
        for m in article.findall(p.read_text(encoding="utf-8"))
    ]
    assert found == []
