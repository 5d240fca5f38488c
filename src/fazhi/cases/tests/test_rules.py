"""Each statutory rule: one case that breaks it, one that satisfies it; hypothesis over dates and tiers."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.cases.rules import RULES, CaseFacts, Handler, check_case
from fazhi.workdays.calendar import add_working_days, is_working_day

D = dt.date
CERT = {"certificate": "43990012345", "valid_from": D(2024, 1, 1), "valid_to": D(2028, 12, 31)}
TWO = (Handler("甲", **CERT), Handler("乙", **CERT))


def codes(facts: CaseFacts) -> set[str]:
    return {f.rule for f in check_case(facts)}


def findings(facts: CaseFacts, code: str):
    return [f for f in check_case(facts) if f.rule == code]


def test_every_rule_has_code_citation_and_title():
    expected = {
        "handlers_min_two",
        "handler_certificate_invalid",
        "decision_overdue",
        "legal_review_missing",
        "hearing_notice_short",
        "service_late",
        "disclosure_late",
        "fine_outside_tier",
        "on_the_spot_limit",
        "limitation_expired",
    }
    assert expected <= set(RULES)
    for r in RULES.values():
        assert r.citation.startswith("《")
        assert r.title


def test_handlers_min_two():
    assert "handlers_min_two" in codes(CaseFacts(handlers=(TWO[0],), filed_on=D(2025, 3, 3)))
    assert "handlers_min_two" not in codes(CaseFacts(handlers=TWO, filed_on=D(2025, 3, 3)))
    # The simple procedure may be carried out by one officer where the law allows.
    assert "handlers_min_two" not in codes(CaseFacts(procedure="simple", handlers=(TWO[0],)))
    f = findings(CaseFacts(handlers=(TWO[0],)), "handlers_min_two")[0]
    assert f.citation == "《中华人民共和国行政处罚法》第四十二条"
    assert f.severity == "error"


def test_handler_certificate_invalid():
    expired = Handler("丙", certificate="1", valid_from=D(2020, 1, 1), valid_to=D(2024, 12, 31))
    assert "handler_certificate_invalid" in codes(CaseFacts(handlers=(TWO[0], expired), decided_on=D(2025, 1, 2)))
    assert "handler_certificate_invalid" in codes(CaseFacts(handlers=(TWO[0], Handler("丁")), filed_on=D(2025, 1, 2)))
    revoked = Handler("戊", status="revoked", **CERT)
    assert "handler_certificate_invalid" in codes(CaseFacts(handlers=(TWO[0], revoked), filed_on=D(2025, 1, 2)))
    assert "handler_certificate_invalid" not in codes(CaseFacts(handlers=TWO, decided_on=D(2025, 1, 2)))
    # Valid on the last day of validity.
    assert "handler_certificate_invalid" not in codes(CaseFacts(handlers=(expired, TWO[0]), decided_on=D(2024, 12, 31)))


def test_decision_overdue_90_days_plus_extension():
    filed = D(2025, 3, 3)  # +90 days = 2025-06-01, a Sunday (端午 holiday) → next working day 2025-06-03
    assert "decision_overdue" not in codes(CaseFacts(filed_on=filed, decided_on=D(2025, 6, 3)))
    assert "decision_overdue" in codes(CaseFacts(filed_on=filed, decided_on=D(2025, 6, 4)))
    assert "decision_overdue" not in codes(CaseFacts(filed_on=filed, decided_on=D(2025, 6, 20), extension_days=30))
    # An open case is overdue once today passes the limit.
    assert "decision_overdue" in codes(CaseFacts(filed_on=filed, as_of=D(2025, 7, 1)))
    assert "decision_overdue" not in codes(CaseFacts(filed_on=filed, as_of=D(2025, 5, 1)))


def test_legal_review_missing():
    assert "legal_review_missing" in codes(CaseFacts(major=True, decided_on=D(2025, 5, 6)))
    assert "legal_review_missing" in codes(
        CaseFacts(major=True, decided_on=D(2025, 5, 6), legal_review_on=D(2025, 5, 7))
    )
    assert "legal_review_missing" not in codes(
        CaseFacts(major=True, decided_on=D(2025, 5, 6), legal_review_on=D(2025, 5, 6))
    )
    assert "legal_review_missing" not in codes(CaseFacts(major=False, decided_on=D(2025, 5, 6)))


def test_hearing_notice_short_counts_working_days():
    # Notice Friday 2025-09-26: 9/28 (Sun), 9/29, 9/30, 10/9, 10/10, 10/11 (Sat), 10/13 are the 7 working days.
    notice = D(2025, 9, 26)
    assert add_working_days(notice, 7) == D(2025, 10, 13)
    assert "hearing_notice_short" in codes(CaseFacts(hearing_notice_on=notice, hearing_on=D(2025, 10, 11)))
    assert "hearing_notice_short" not in codes(CaseFacts(hearing_notice_on=notice, hearing_on=D(2025, 10, 13)))


def test_service_late_seven_working_days():
    decided = D(2025, 4, 30)  # 5/1–5/5 off: 5/6, 7, 8, 9, 12, 13, 14 are the seven working days
    assert add_working_days(decided, 7) == D(2025, 5, 14)
    assert "service_late" not in codes(CaseFacts(decided_on=decided, served_on=D(2025, 5, 14)))
    assert "service_late" in codes(CaseFacts(decided_on=decided, served_on=D(2025, 5, 15)))


def test_disclosure_late_penalty_seven_other_twenty_working_days():
    decided = D(2025, 1, 24)  # 春节 1/28–2/4 off, 1/26 and 2/8 worked
    limit = add_working_days(decided, 7)
    assert "disclosure_late" not in codes(CaseFacts(decided_on=decided, disclosed_on=limit))
    assert "disclosure_late" in codes(CaseFacts(decided_on=decided, disclosed_on=limit + dt.timedelta(days=1)))
    late_for_penalty = limit + dt.timedelta(days=3)
    assert "disclosure_late" not in codes(
        CaseFacts(decided_on=decided, disclosed_on=late_for_penalty, decision_kind="other")
    )


def test_fine_outside_tier():
    assert "fine_outside_tier" in codes(
        CaseFacts(fine=Decimal("5001"), tier_min=Decimal("1000"), tier_max=Decimal("5000"))
    )
    assert "fine_outside_tier" in codes(
        CaseFacts(fine=Decimal("999"), tier_min=Decimal("1000"), tier_max=Decimal("5000"))
    )
    assert "fine_outside_tier" not in codes(
        CaseFacts(fine=Decimal("5000"), tier_min=Decimal("1000"), tier_max=Decimal("5000"))
    )


def test_on_the_spot_limit():
    assert "on_the_spot_limit" in codes(CaseFacts(procedure="simple", party_kind="person", fine=Decimal("201")))
    assert "on_the_spot_limit" not in codes(CaseFacts(procedure="simple", party_kind="person", fine=Decimal("200")))
    assert "on_the_spot_limit" not in codes(
        CaseFacts(procedure="simple", party_kind="organisation", fine=Decimal("3000"))
    )
    assert "on_the_spot_limit" in codes(
        CaseFacts(procedure="simple", party_kind="organisation", fine=Decimal("3000.01"))
    )
    assert "on_the_spot_limit" not in codes(CaseFacts(procedure="general", party_kind="person", fine=Decimal("9999")))


def test_limitation_expired_two_or_five_years():
    ended = D(2022, 3, 1)
    assert "limitation_expired" not in codes(CaseFacts(violation_ended_on=ended, filed_on=D(2024, 3, 1)))
    assert "limitation_expired" in codes(CaseFacts(violation_ended_on=ended, filed_on=D(2024, 3, 2)))
    assert "limitation_expired" not in codes(
        CaseFacts(violation_ended_on=ended, filed_on=D(2026, 3, 1), limitation_extended=True)
    )
    # 29 February ends on 28 February.
    assert "limitation_expired" in codes(CaseFacts(violation_ended_on=D(2024, 2, 29), filed_on=D(2026, 3, 1)))


def test_absent_fields_skip_rules():
    assert check_case(CaseFacts()) == []


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(decided=dates, gap=st.integers(min_value=0, max_value=40))
def test_service_limit_is_exactly_seven_working_days(decided, gap):
    served = decided + dt.timedelta(days=gap)
    late = "service_late" in codes(CaseFacts(decided_on=decided, served_on=served))
    assert late == (served > add_working_days(decided, 7))
    # The last allowed day is always a working day, whatever holidays lie between.
    assert is_working_day(add_working_days(decided, 7))


@settings(max_examples=300, deadline=None)
@given(filed=dates, gap=st.integers(min_value=0, max_value=150), ext=st.integers(min_value=0, max_value=60))
def test_decision_limit_monotonic_in_extension(filed, gap, ext):
    decided = filed + dt.timedelta(days=gap)
    without = "decision_overdue" in codes(CaseFacts(filed_on=filed, decided_on=decided))
    with_ext = "decision_overdue" in codes(CaseFacts(filed_on=filed, decided_on=decided, extension_days=ext))
    assert not (with_ext and not without)
    if gap <= 90:
        assert not without


money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(a=money, b=money, fine=money)
def test_tier_range_property(a, b, fine):
    lo, hi = min(a, b), max(a, b)
    outside = "fine_outside_tier" in codes(CaseFacts(fine=fine, tier_min=lo, tier_max=hi))
    assert outside == (fine < lo or fine > hi)
