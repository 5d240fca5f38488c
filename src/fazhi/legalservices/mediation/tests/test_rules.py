"""The numbers and citations of 调解 (rules.py), pinned."""

import datetime as dt

from fazhi.legalservices.mediation import rules


def test_court_referral_period():
    assert rules.COURT_REFERRAL_DAYS == 30
    assert "特邀调解的规定" in rules.COURT_REFERRAL_SOURCE and "三十日" in rules.COURT_REFERRAL_SOURCE
    assert "第二十七条" in rules.COURT_REFERRAL_SOURCE and "第二十二条" not in rules.COURT_REFERRAL_SOURCE
    assert rules.COURT_EXTENSION_MAX_DAYS == 30 and rules.COURT_EXTENSION_TIMES == 1
    assert "第二十七条" in rules.COURT_EXTENSION_CITATION and "不受此限" in rules.COURT_EXTENSION_CITATION
    assert rules.court_due(referred_on=dt.date(2026, 1, 31)) == dt.date(2026, 3, 2)


def test_confirmation_and_citations():
    assert rules.CONFIRMATION_DAYS == 30 and "第三十三条" in rules.CONFIRMATION_CITATION
    assert "第二十六条" in rules.FAILED_CITATION
    assert "第二十八条" in rules.AGREEMENT_CITATION and "第二十九条" in rules.AGREEMENT_CITATION
    assert "第三十一条" in rules.PERFORMANCE_CITATION
    assert rules.confirmation_until(agreed_on=dt.date(2026, 6, 1)) == dt.date(2026, 7, 1)


def test_success_rate():
    assert rules.success_rate(success=1053, mediated=1056) == 99.7
    assert rules.success_rate(success=0, mediated=0) is None
    assert [c for c, _ in rules.CHANNELS] == ["litigation", "arbitration", "adjudication", "petition"]
