"""The numbers and citations of 依法决策 pinned, and the pure rules checked over many inputs (Hypothesis)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.rulemaking import rules
from fazhi.workdays import calendar as workdays

# ---------------------------------------------------------------- pinned numbers and articles


def test_major_decision_numbers_and_articles():
    assert rules.COMMENT_MIN_DAYS == 30
    assert "第十五条" in rules.COMMENT_CITATION and "不少于30日" in rules.COMMENT_CITATION
    assert rules.HEARING_MATERIALS_DAYS == 7
    # The 7-day materials rule is 第十六条 of the 条例 (domain.md says 第十七条, which is the hearing's order).
    assert "第十六条" in rules.HEARING_CITATION and "7日前" in rules.HEARING_CITATION
    assert "第十七条" in rules.HEARING_RECORD_CITATION and "签字" in rules.HEARING_RECORD_CITATION
    assert rules.DECISION_REVIEW_MIN_WORKING_DAYS == 7
    assert "第二十六条" in rules.LEGALITY_REVIEW_CITATION and "7个工作日" in rules.LEGALITY_REVIEW_CITATION
    assert "第二十五条" in rules.LEGALITY_GATE_CITATION and "不得提交决策机关讨论" in rules.LEGALITY_GATE_CITATION
    assert "第三十条" in rules.DISCUSSION_CITATION and "最后发表意见" in rules.DISCUSSION_CITATION
    assert "第三十一条" in rules.PARTY_REPORT_CITATION
    assert "第三十二条" in rules.PUBLICATION_CITATION
    assert "第三条第三款" in rules.CATALOGUE_CITATION and "同级党委同意" in rules.CATALOGUE_CITATION
    assert "第十九条" in rules.EXPERT_CITATION and "署名" in rules.EXPERT_CITATION
    assert "第二十条" in rules.EXPERT_INTEREST_CITATION and "直接利害关系" in rules.EXPERT_INTEREST_CITATION
    assert "第二十四条" in rules.RISK_GATE_CITATION
    assert "第三十六条" in rules.EVALUATION_CITATION and "承担主要论证评估工作的单位除外" in rules.EVALUATION_CITATION
    assert "第三十三条" in rules.ARCHIVE_CITATION
    assert "本地工作安排" in rules.PLAN_SOURCE and "第三条第三款" in rules.PLAN_SOURCE
    assert rules.DECISION_STEPS == ("consultation", "hearing", "expert", "risk", "review", "discussion", "publication")


def test_normative_numbers_and_sources():
    assert (rules.NORMATIVE_REVIEW_MIN_DAYS, rules.NORMATIVE_REVIEW_MAX_DAYS) == (5, 15)
    assert "国办发〔2018〕115号" in rules.NORMATIVE_REVIEW_SOURCE
    assert (
        "国办发〔2018〕37号" in rules.THREE_UNIFIED_CITATION
        and "统一登记、统一编号、统一印发" in rules.THREE_UNIFIED_CITATION
    )
    conf = rules.conf()
    assert conf["NORMATIVE_REVIEW_DAYS"] == 10
    assert conf["NORMATIVE_FILING_DAYS"] == 30
    assert conf["NORMATIVE_EFFECTIVE_DAYS"] == 30
    assert (conf["NORMATIVE_VALIDITY_YEARS"], conf["NORMATIVE_PROVISIONAL_YEARS"]) == (5, 2)
    assert conf["EXPIRY_REMINDER_MONTHS"] == 6
    assert conf["EVALUATION_EXCLUDES_REVIEWER"] is True


def test_incidental_review_numbers_and_articles():
    # 《行政复议法》(2023): 30 days to handle and 7 (working) days to forward are 第五十六条; the notice (3) and the
    # maker's answer (10) are 第五十八条; the forwarded body's reply (60 days) is 第六十条.
    assert rules.INCIDENTAL_HANDLE_DAYS == 30 and "第五十六条" in rules.INCIDENTAL_HANDLE_SOURCE
    assert rules.INCIDENTAL_FORWARD_WORKING_DAYS == 7 and "第五十六条" in rules.INCIDENTAL_FORWARD_SOURCE
    assert rules.INCIDENTAL_NOTICE_WORKING_DAYS == 3 and "第五十八条" in rules.INCIDENTAL_NOTICE_SOURCE
    assert rules.INCIDENTAL_ANSWER_WORKING_DAYS == 10 and "第五十八条" in rules.INCIDENTAL_ANSWER_SOURCE
    assert rules.INCIDENTAL_REPLY_DAYS == 60 and "第六十条" in rules.INCIDENTAL_REPLY_SOURCE
    assert "第五十九条" in rules.INCIDENTAL_CONCLUSION_CITATION
    assert "第八十八条" in rules.WORKING_DAYS_NOTE


def test_settings_override_the_configurable_values(settings):
    settings.FAZHI_RULEMAKING = {"NORMATIVE_REVIEW_DAYS": 20, "NORMATIVE_FILING_DAYS": 15}
    assert rules.normative_review_days() == 15  # held at 115号's maximum
    assert rules.filing_due(dt.date(2055, 3, 1)) == workdays.deadline_calendar_days(dt.date(2055, 3, 1), 15).deadline
    settings.FAZHI_RULEMAKING = {"NORMATIVE_REVIEW_DAYS": 2}
    assert rules.normative_review_days() == 5


# ---------------------------------------------------------------- the order of the steps

procedures = st.builds(
    rules.Procedures,
    public_participation=st.booleans(),
    hearing=st.booleans(),
    expert_argument=st.booleans(),
    risk_assessment=st.booleans(),
)


@given(p=procedures)
def test_review_discussion_and_publication_always_apply_in_order(p):
    steps = rules.steps_required(p)
    assert steps[-3:] == ("review", "discussion", "publication")
    assert list(steps) == sorted(steps, key=rules.DECISION_STEPS.index)
    assert ("consultation" in steps) == p.public_participation
    assert ("hearing" in steps) == (p.public_participation and p.hearing)
    assert ("expert" in steps) == p.expert_argument
    assert ("risk" in steps) == p.risk_assessment


@given(p=procedures, done=st.sets(st.sampled_from(rules.DECISION_STEPS)))
def test_a_step_opens_only_when_every_earlier_required_step_is_done(p, done):
    required = rules.steps_required(p)
    for step in rules.DECISION_STEPS:
        problem = rules.step_gate(step, required, done)
        if step not in required or step in done:
            assert problem is not None
            continue
        earlier_open = [s for s in required[: required.index(step)] if s not in done]
        assert (problem is None) == (not earlier_open)
    nxt = rules.next_step(required, done)
    if nxt is not None:
        assert rules.step_gate(nxt, required, done) is None


def test_discussion_before_review_names_the_article():
    required = rules.steps_required(
        rules.Procedures(public_participation=False, expert_argument=False, risk_assessment=False)
    )
    problem = rules.step_gate("discussion", required, set())
    assert "须先完成合法性审查" in problem and "第二十五条" in problem


def test_procedures_left_out_need_reasons():
    base = {
        "public_participation": True,
        "participation_omit_reason": "",
        "hearing": False,
        "hearing_reason": "",
        "expert_argument": True,
        "expert_omit_reason": "",
        "risk_assessment": True,
        "risk_omit_reason": "",
    }
    assert rules.procedures_problems(**base) == []
    fields = [
        f
        for f, _ in rules.procedures_problems(
            **(base | {"public_participation": False, "expert_argument": False, "risk_assessment": False})
        )
    ]
    assert fields == ["participation_omit_reason", "expert_omit_reason", "risk_omit_reason"]
    assert rules.procedures_problems(**(base | {"hearing": True}))[0][0] == "hearing_reason"


# ---------------------------------------------------------------- consultation and hearing


@given(days=st.integers(min_value=-3, max_value=90), reason=st.sampled_from(["", "  ", "防汛形势紧急"]))
def test_comment_period_at_least_thirty_days_unless_a_reason_is_stated(days, reason):
    problem = rules.comment_period_problem(days=days, shortened_reason=reason)
    if days < 1:
        assert problem
    elif days < 30 and not reason.strip():
        assert problem and "30日" in problem and "第十五条" in problem
    else:
        assert problem is None


@settings(max_examples=60)
@given(start=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31)), days=st.integers(1, 90))
def test_the_last_comment_day_counts_from_the_day_after_and_rolls_past_rest_days(start, days):
    end = rules.consultation_end(start, days)
    assert end >= start + dt.timedelta(days=days)
    assert workdays.is_working_day(end)
    assert all(not workdays.is_working_day(start + dt.timedelta(days=d)) for d in range(days, (end - start).days))
    assert rules.comment_open(starts_on=start, ends_on=end, today=end)
    assert not rules.comment_open(starts_on=start, ends_on=end, today=end + dt.timedelta(days=1))
    assert rules.answers_publishable(ends_on=end, today=end + dt.timedelta(days=1))
    assert not rules.answers_publishable(ends_on=end, today=end)


@given(gap=st.integers(0, 20))
def test_hearing_materials_seven_days_before(gap):
    held = dt.date(2055, 6, 20)
    problems = rules.hearing_problems(
        held_on=held,
        rules_published_on=held - dt.timedelta(days=30),
        participants_published_on=held - dt.timedelta(days=10),
        materials_sent_on=held - dt.timedelta(days=gap),
    )
    assert (problems != []) == (gap < 7)
    if problems:
        assert problems[0][0] == "materials_sent_on" and "第十六条" in problems[0][1]


def test_hearing_lists_published_in_order_and_beforehand():
    held = dt.date(2055, 6, 20)
    fields = [
        f
        for f, _ in rules.hearing_problems(
            held_on=held,
            rules_published_on=held,
            participants_published_on=held,
            materials_sent_on=held - dt.timedelta(days=8),
        )
    ]
    assert fields == ["participants_published_on"]
    fields = [
        f
        for f, _ in rules.hearing_problems(
            held_on=held,
            rules_published_on=held - dt.timedelta(days=5),
            participants_published_on=held - dt.timedelta(days=9),
            materials_sent_on=held - dt.timedelta(days=8),
        )
    ]
    assert fields == ["rules_published_on"]


# ---------------------------------------------------------------- review and discussion


@pytest.mark.parametrize(
    "opinion, exploratory, changes, allowed",
    [
        ("lawful", False, False, True),
        ("lawful_after_changes", False, False, False),
        ("lawful_after_changes", False, True, True),
        ("unlawful", False, True, False),
        ("unlawful", True, True, False),
        ("risk_disclosed", True, False, True),
        ("risk_disclosed", False, False, False),
        ("", False, False, False),
    ],
)
def test_only_a_favourable_review_opens_the_discussion(opinion, exploratory, changes, allowed):
    assert (
        rules.review_allows_discussion(opinion=opinion, exploratory=exploratory, changes_done=changes) is None
    ) == allowed


@given(days=st.integers(-5, 100))
def test_legality_review_at_least_seven_working_days(days):
    assert (rules.review_days_problem(days) is None) == (7 <= days <= 60)


positions = st.sampled_from(["agree", "disagree", "abstain"])
member = st.builds(lambda p: {"speaker": "成员", "role": "member", "position": p}, positions)


@given(
    members=st.lists(member, min_size=1, max_size=8),
    head_at=st.integers(0, 8),
    outcome=st.sampled_from(["adopted", "rejected", "revise"]),
)
def test_the_head_speaks_last_and_dissent_is_minuted(members, head_at, outcome):
    speeches = list(members)
    speeches.insert(min(head_at, len(speeches)), {"speaker": "市长", "role": "head", "position": "agree"})
    problems = rules.discussion_problems(
        members_total=20, members_present=10, speeches=speeches, dissent="", head_reason="", outcome=outcome
    )
    fields = [f for f, _ in problems]
    head_last = speeches[-1]["role"] == "head"
    assert ("speeches" in fields) == (not head_last)
    assert ("dissent" in fields) == any(s["position"] == "disagree" for s in members)
    agree = sum(s["position"] == "agree" for s in members)
    against = sum(s["position"] == "disagree" for s in members)
    majority = "adopted" if agree > against else "rejected" if against > agree else None
    assert ("head_reason" in fields) == (outcome != "revise" and majority is not None and majority != outcome)


def test_post_evaluation_not_by_who_assessed_nor_by_the_reviewer():
    kw = {"assessors": {"示例市社会稳定风险评估中心"}, "reviewer_unit_ids": {7}, "excludes_reviewer": True}
    assert (
        rules.evaluator_problem(evaluator_name="示例市社会稳定风险评估中心", evaluator_unit_id=None, **kw)[0]
        == "evaluator_name"
    )
    assert rules.evaluator_problem(evaluator_name="示例市司法局", evaluator_unit_id=7, **kw)[0] == "evaluator_unit"
    assert rules.evaluator_problem(evaluator_name="示例市社会科学院", evaluator_unit_id=None, **kw) is None
    # The reviewer typed by name instead of chosen from the org tree is refused all the same.
    named = kw | {"reviewer_unit_names": {"示例市司法局"}}
    assert (
        rules.evaluator_problem(evaluator_name="示例市司法局", evaluator_unit_id=None, **named)[0] == "evaluator_name"
    )
    assert rules.evaluator_problem(evaluator_name="示例市社会科学院", evaluator_unit_id=None, **named) is None
    assert (
        rules.evaluator_problem(
            evaluator_name="示例市司法局", evaluator_unit_id=7, **(kw | {"excludes_reviewer": False})
        )
        is None
    )


# ---------------------------------------------------------------- normative documents


@given(title=st.text(max_size=20), word=st.sampled_from(["", "暂行", "试行"]))
def test_provisional_documents_are_valid_two_years(title, word):
    provisional = rules.provisional_title(title + word + "办法")
    assert provisional == (word != "" or "暂行" in title or "试行" in title)
    assert rules.validity_max(provisional) == (2 if provisional else 5)


@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), years=st.integers(1, 5))
def test_valid_until_is_the_day_before_the_anniversary(day, years):
    until = rules.valid_until(day, years)
    assert until < rules.add_years(day, years)
    assert (rules.add_years(day, years) - until).days == 1
    assert rules.validity_problem(years=years, provisional=False) is None
    assert (rules.validity_problem(years=years, provisional=True) is None) == (years <= 2)


@given(day=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2060, 12, 31)), offset=st.integers(-5, 60))
def test_effective_at_least_thirty_days_after_publication_unless_a_reason(day, offset):
    effective = day + dt.timedelta(days=offset)
    bare = rules.effective_problem(published_on=day, effective_on=effective, reason="")
    reasoned = rules.effective_problem(published_on=day, effective_on=effective, reason="公布后不立即施行将有碍施行")
    assert (bare is None) == (offset >= 30)
    assert (reasoned is None) == (offset >= 0)
    assert rules.effective_default(day) == day + dt.timedelta(days=30)


def test_filing_targets_by_kind():
    assert rules.filing_targets("government") == ("higher_gov", "congress")
    assert rules.filing_targets("department") == ("gov",)
    assert rules.normative_kind("government") == "government"
    assert rules.normative_kind("agency") == "department"


@given(until=st.dates(min_value=dt.date(2030, 1, 1), max_value=dt.date(2050, 12, 31)), back=st.integers(-30, 400))
def test_expiry_reminder_six_months_before(until, back):
    today = until - dt.timedelta(days=back)
    due = rules.expiry_reminder_due(valid_until=until, today=today)
    assert due == (rules.months_before(until, 6) <= today <= until)
    if back <= 150 and back >= 0:
        assert due


def test_the_portal_shows_an_expired_document_as_expired_before_the_job_runs():
    today = dt.date(2055, 1, 10)
    assert rules.portal_state(state="in_force", valid_until=dt.date(2055, 1, 9), today=today) == "expired"
    assert rules.portal_state(state="in_force", valid_until=dt.date(2055, 1, 10), today=today) == "in_force"
    assert rules.portal_state(state="repealed", valid_until=dt.date(2060, 1, 1), today=today) == "repealed"


@given(n=st.integers(0, 1000), d=st.integers(0, 1000))
def test_rates(n, d):
    r = rules.rate(n, d)
    assert (r is None) == (d == 0)
    if d:
        assert r == round(100 * n / d, 1)


def test_templates_cite_articles_from_rules_not_literally():
    """Neither "《…》第X条" nor a bare "第X条" in this app's templates: every article shown comes from rules.py
    through {% cite %}, so a number and its article live in one place."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    article = re.compile(r"(?:《[^》]+》)?第[一二三四五六七八九十百零〇\d]+条")
    found = [
        f"{p.relative_to(templates)}: {m}"
        for folder in ("rulemaking", "portal/rulemaking")
        for p in (templates / folder).rglob("*.html")
        for m in article.findall(p.read_text(encoding="utf-8"))
    ]
    assert found == []
