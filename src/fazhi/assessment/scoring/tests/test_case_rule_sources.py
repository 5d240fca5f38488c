"""The case indicators the issue names one by one — decisions disclosed on time, major decisions reviewed, handlers
certified — each counts only the cases its statutory rule applies to, from the stored check results."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def _cases(org, users):
    from fazhi.cases.models import Case, CaseCheck
    from fazhi.cases.services import case_file
    from fazhi.cases.tests import case_factories as cf

    m = cf.market(org, users)
    filed = dt.date(2025, 3, 3)
    made = [case_file(by=users["agency"], **cf.case_kwargs(m, filed_on=filed)) for _ in range(4)]
    decided = filed + dt.timedelta(days=20)
    # Case 0: decided and disclosed late; case 1: decided, disclosed on time, major without review;
    # case 2: decided, not disclosed, an uncertified handler; case 3: not decided.
    Case.objects.filter(pk=made[0].pk).update(decided_on=decided, disclosed_on=decided + dt.timedelta(days=60))
    Case.objects.filter(pk=made[1].pk).update(decided_on=decided, disclosed_on=decided, major=True)
    Case.objects.filter(pk=made[2].pk).update(decided_on=decided)
    failed = {0: ["disclosure_late"], 1: ["legal_review_missing"], 2: ["handler_certificate_invalid"], 3: []}
    for i, rules in failed.items():
        CaseCheck.objects.update_or_create(case=made[i], defaults={"errors": len(rules), "rules": rules})
    return m["agency"].unit_id, made


def test_each_rule_counts_the_cases_it_applies_to(org, users):
    from fazhi.cases.selectors import case_rule_checked_of, case_rule_compliance_by_unit

    unit, made = _cases(org, users)
    period = {"date_from": dt.date(2025, 1, 1), "date_to": dt.date(2025, 12, 31)}
    # Disclosure: the two decided and disclosed cases, one late.
    assert case_rule_compliance_by_unit(rule="disclosure_late", **period)[unit] == (1, 2)
    # Legal review: the one decided major case, not reviewed.
    assert case_rule_compliance_by_unit(rule="legal_review_missing", **period)[unit] == (0, 1)
    # Certified handlers: every checked case, one with an uncertified handler.
    assert case_rule_compliance_by_unit(rule="handler_certificate_invalid", **period)[unit] == (3, 4)
    # Outside the period: nothing.
    assert (
        case_rule_compliance_by_unit(
            rule="disclosure_late", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)
        )
        == {}
    )
    # The records behind a figure: the failure first.
    rows = case_rule_checked_of(rule="disclosure_late", unit_ids=[unit], **period)
    assert [(pk, failed) for pk, _, failed in rows] == [(made[0].pk, True), (made[1].pk, False)]


def test_the_sources_are_registered_and_available():
    from fazhi.assessment.scoring.indicators import SOURCES, source_available

    for key in ("cases_disclosed_on_time", "cases_legal_reviewed", "cases_certified_handlers"):
        assert key in SOURCES and source_available(key)
        assert SOURCES[key].records is not None
