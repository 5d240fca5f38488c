"""The numbers and citations of 学法用法, pinned."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.legalservices.study import rules


def test_numbers():
    assert rules.DEFAULT_PASS_MARK == 60
    assert rules.DEFAULT_GRACE_SECONDS == 15
    assert rules.POINTS == {"single": 1, "multiple": 2, "judge": 1}
    assert "未通过执法资格网上考试的，不发执法证书" in rules.CERT_GATE_CITATION
    assert "会上先行讲法" in rules.PRE_MEETING_SOURCE
    assert "集中闭卷考试" in rules.ANNUAL_EXAM_SOURCE


def test_answers_are_normalised_and_checked():
    assert rules.normalise_answer("multiple", "c, a", options=4) == "AC"
    assert rules.normalise_answer("judge", "正确", options=2) == "A"
    assert rules.normalise_answer("single", "", options=4) == ""
    with pytest.raises(ValueError):
        rules.normalise_answer("single", "AB", options=4)
    with pytest.raises(ValueError):
        rules.normalise_answer("single", "E", options=4)


def test_score_and_pass():
    assert rules.score_of(earned=17, total=28) == Decimal("60.7")
    assert rules.passed(Decimal("60.0"), 60) and not rules.passed(Decimal("59.9"), 60)


def test_the_same_seed_draws_the_same_paper():
    pools = {"single": list(range(1, 50)), "multiple": list(range(50, 70)), "judge": list(range(70, 90))}
    bp = rules.Blueprint(10, 3, 5)
    assert rules.draw_paper(seed=7, pools=pools, blueprint=bp) == rules.draw_paper(seed=7, pools=pools, blueprint=bp)
    assert rules.draw_paper(seed=7, pools=pools, blueprint=bp) != rules.draw_paper(seed=8, pools=pools, blueprint=bp)
    with pytest.raises(ValueError):
        rules.draw_paper(seed=1, pools=pools, blueprint=rules.Blueprint(60, 0, 0))


def test_deadline_and_grace():
    start = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    close = dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)
    assert rules.deadline_of(started_at=start, duration_minutes=60, closes_at=close) == close
    assert not rules.too_late(now=close + dt.timedelta(seconds=15), deadline=close)
    assert rules.too_late(now=close + dt.timedelta(seconds=16), deadline=close)


def test_gate_applies(settings):
    day = dt.date(2027, 1, 1)
    assert rules.certificate_gate_applies(enrolled=True, today=day)
    assert not rules.certificate_gate_applies(enrolled=False, today=day)
    settings.FAZHI_STUDY = {"CERT_GATE_FROM": "2027-01-01"}
    assert rules.certificate_gate_applies(enrolled=False, today=day)
    assert not rules.certificate_gate_applies(enrolled=False, today=day - dt.timedelta(days=1))


def test_result_light():
    assert rules.result_light(sat=3, passed_count=3, enrolled=3) == "green"
    assert rules.result_light(sat=2, passed_count=2, enrolled=3) == "yellow"
    assert rules.result_light(sat=3, passed_count=2, enrolled=3) == "red"


def test_option_order_is_reproducible_per_paper_and_question():
    a = rules.option_order(seed=7, question_id=3, kind=rules.SINGLE, count=4)
    assert sorted(a) == [0, 1, 2, 3] and a == rules.option_order(seed=7, question_id=3, kind=rules.SINGLE, count=4)
    orders = {tuple(rules.option_order(seed=s, question_id=3, kind=rules.MULTIPLE, count=4)) for s in range(20)}
    assert len(orders) > 1
    assert rules.option_order(seed=7, question_id=3, kind=rules.JUDGE, count=2) == [0, 1]
