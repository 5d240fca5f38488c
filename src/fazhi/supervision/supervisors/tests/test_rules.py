"""The rules of invited supervisors: the configured defaults and their (local) citations pinned; the eligibility
check, the age, the term and the state gates as pure functions, with Hypothesis."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.supervision.supervisors import rules

DEFAULTS = {
    "MIN_AGE": 25,
    "MAX_AGE": 65,
    "MIN_RESIDENCY_YEARS": 3,
    "EXCLUDE_FUNCTIONARIES": True,
    "REQUIRE_NO_SANCTIONS": True,
    "PUBLICITY_WORKING_DAYS": 5,
    "TERM_YEARS": 5,
    "EXPIRY_REMINDER_DAYS": 60,
    "INITIAL_REVIEW_WORKING_DAYS": 10,
    "RECORD_WORKING_DAYS": 5,
    "OPINION_REPLY_WORKING_DAYS": 15,
}


@pytest.fixture
def local(settings):
    """The shipped defaults, whatever the deployment running the tests configured."""
    settings.FAZHI_INVITED_SUPERVISORS = {}


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_defaults_are_pinned(local, key):
    assert rules.conf()[key] == DEFAULTS[key]


def test_every_number_cites_the_local_rules_and_says_it_is_local(local):
    assert "各地特邀行政执法监督员工作办法" in rules.LOCAL and "地方规定" in rules.LOCAL
    assert rules.publicity_source() == (
        f"{rules.LOCAL}：拟聘任人员名单公示5个工作日（本平台默认值，按本地规定可配置；期间不计首日）"
    )
    assert rules.term_source().startswith(f"{rules.LOCAL}：聘期5年")
    assert "10个工作日内完成资格初审" in rules.review_source()
    assert "5个工作日内记录" in rules.record_source()
    assert "15个工作日内答复" in rules.opinion_source()
    for text in (rules.CONDITIONS_SOURCE, rules.ROUTES_SOURCE):
        assert text.startswith(rules.LOCAL)
    assert [label for _, label in rules.ROUTES] == ["个人自荐", "单位推荐", "定向邀请（函询）"]


def test_a_setting_changes_a_value_and_its_citation(settings):
    settings.FAZHI_INVITED_SUPERVISORS = {"PUBLICITY_WORKING_DAYS": 7, "TERM_YEARS": 3}
    assert rules.conf()["PUBLICITY_WORKING_DAYS"] == 7
    assert "公示7个工作日" in rules.publicity_source()
    assert "聘期3年" in rules.term_source()
    assert rules.default_conditions().min_age == 25


# ---------------------------------------------------------------- eligibility

CONDITIONS = rules.Conditions(
    min_age=25, max_age=65, min_residency_years=3, exclude_functionaries=True, require_no_sanctions=True
)
days = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2090, 12, 31))


@st.composite
def facts(draw):
    return rules.Facts(
        birth_date=draw(st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31))),
        residency_years=draw(st.integers(min_value=0, max_value=80)),
        is_functionary=draw(st.booleans()),
        has_sanctions=draw(st.booleans()),
    )


@st.composite
def conditions(draw):
    low = draw(st.integers(min_value=0, max_value=80))
    return rules.Conditions(
        min_age=low,
        max_age=draw(st.one_of(st.just(0), st.integers(min_value=low, max_value=100))),
        min_residency_years=draw(st.integers(min_value=0, max_value=30)),
        exclude_functionaries=draw(st.booleans()),
        require_no_sanctions=draw(st.booleans()),
    )


@given(facts(), conditions(), st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_eligibility_names_exactly_the_failed_conditions(f, c, on):
    failures = rules.eligibility(f, c, on=on)
    age = rules.age_on(f.birth_date, on)
    expected = set()
    if (c.min_age and age < c.min_age) or (c.max_age and age > c.max_age):
        expected.add(("age", "id_number"))
    if c.min_residency_years and f.residency_years < c.min_residency_years:
        expected.add(("residency", "residency_years"))
    if c.exclude_functionaries and f.is_functionary:
        expected.add(("functionary", "is_functionary"))
    if c.require_no_sanctions and f.has_sanctions:
        expected.add(("sanctions", "has_sanctions"))
    assert {(x.code, x.field) for x in failures} == expected
    assert len(failures) == len(expected)  # each condition named once
    for x in failures:
        assert (x.message and "：" in x.message) or "不能担任" in x.message


def test_every_failed_condition_is_named_with_its_reason():
    on = dt.date(2040, 6, 1)
    f = rules.Facts(birth_date=dt.date(2020, 6, 2), residency_years=1, is_functionary=True, has_sanctions=True)
    messages = {x.field: x.message for x in rules.eligibility(f, CONDITIONS, on=on)}
    assert messages == {
        "id_number": "年龄不符合招募条件：应为25至65周岁，按身份证号计算为19周岁",
        "residency_years": "本地居住年限不符合招募条件：应满3年，填报为1年",
        "is_functionary": "在职的国家公职人员不能担任特邀行政执法监督员（招募条件）",
        "has_sanctions": "受过刑事处罚、被开除公职或受过其他处分、行政拘留的，不能担任特邀行政执法监督员（招募条件）",
    }


def test_the_age_bounds_are_inclusive():
    on = dt.date(2040, 6, 1)
    for birth, ok in (
        (dt.date(2015, 6, 1), True),  # 25 today
        (dt.date(2015, 6, 2), False),  # 25 tomorrow
        (dt.date(1975, 6, 2), True),  # 65, 66 tomorrow
        (dt.date(1974, 6, 1), False),  # 66 today
    ):
        f = rules.Facts(birth_date=birth, residency_years=5, is_functionary=False, has_sanctions=False)
        assert (rules.eligibility(f, CONDITIONS, on=on) == []) is ok, birth


def test_switched_off_conditions_never_fail():
    off = rules.Conditions(0, 0, 0, False, False)
    f = rules.Facts(birth_date=dt.date(2030, 1, 1), residency_years=0, is_functionary=True, has_sanctions=True)
    assert rules.eligibility(f, off, on=dt.date(2031, 1, 1)) == []


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2000, 12, 31)), st.integers(min_value=1, max_value=90))
def test_age_turns_k_on_the_kth_birthday(birth, k):
    if (birth.month, birth.day) == (2, 29):
        birth = birth.replace(day=28)
    birthday = birth.replace(year=birth.year + k)
    assert rules.age_on(birth, birthday) == k
    assert rules.age_on(birth, birthday - dt.timedelta(days=1)) == k - 1


def test_birth_date_and_gender_come_from_the_id_number():
    assert rules.birth_date_from_id("110105194912310021") == dt.date(1949, 12, 31)
    assert rules.gender_from_id("110105194912310021") == "女"
    assert rules.gender_from_id("110105194912310013") == "男"


@given(days, st.integers(min_value=1, max_value=10))
def test_a_term_ends_on_the_corresponding_day(start, years):
    end = rules.term_end(start, years)
    assert end.year == start.year + years and end.month == start.month
    assert end.day == start.day or (start.month, start.day, end.day) == (2, 29, 28)


def test_a_term_from_29_february_and_its_citation():
    assert rules.term_end(dt.date(2028, 2, 29), 5) == dt.date(2033, 2, 28)
    assert rules.term_end(dt.date(2026, 3, 10), 5) == dt.date(2031, 3, 10)
    assert rules.TERM_END_CITATION == "《民法典》第二百零一条、第二百零三条"


def test_the_reminder_opens_n_days_before_the_term_ends():
    assert rules.reminder_opens_on(term_end=dt.date(2031, 3, 9), reminder_days=60) == dt.date(2031, 1, 8)


# ---------------------------------------------------------------- state gates


@given(days, days, days)
def test_applications_only_within_the_window_of_an_open_campaign(a, b, day):
    start, end = min(a, b), max(a, b)
    assert rules.campaign_takes_applications(status="open", apply_from=start, apply_until=end, today=day) == (
        start <= day <= end
    )
    for status in ("draft", "publicity", "closed"):
        assert not rules.campaign_takes_applications(status=status, apply_from=start, apply_until=end, today=day)


@given(days, days, days)
def test_objections_during_and_appointment_after_the_publicity(a, b, day):
    start, end = min(a, b), max(a, b)
    running = rules.publicity_running(status="publicity", start=start, end=end, today=day)
    over = rules.publicity_over(status="publicity", end=end, today=day)
    assert running == (start <= day <= end)
    assert over == (day > end)
    assert not (running and over)
    assert not rules.publicity_over(status="open", end=end, today=day)


def test_review_years_of_the_term_only():
    appointed = dt.date(2030, 7, 1)
    today = dt.date(2032, 3, 1)
    assert (
        rules.review_year_problem(year=2029, appointed_on=appointed, today=today)
        == "2029年早于聘任年份（2030年），不能考核"
    )
    assert rules.review_year_problem(year=2033, appointed_on=appointed, today=today) == "2033年尚未开始，不能考核"
    assert rules.review_year_problem(year=2031, appointed_on=appointed, today=today) is None


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=200))
def test_quota_left_is_never_negative(quota, appointed):
    assert rules.quota_left(quota=quota, appointed=appointed) == max(0, quota - appointed)


def test_conditions_that_make_no_sense_are_refused():
    assert rules.conditions_problem(rules.Conditions(30, 20, 3, True, True))[0] == "max_age"
    assert rules.conditions_problem(rules.Conditions(25, 0, 3, True, True)) is None
    assert rules.conditions_text(CONDITIONS) == [
        "年龄25周岁以上、65周岁以下（按报名之日计算）",
        "在本地居住满3年",
        "不是在职的国家公职人员",
        "未受过刑事处罚，未被开除公职，未受过其他处分或行政拘留",
    ]
