"""Reads of 法治督察: the ledger in scope with lights, and the two contracts other areas use."""

import datetime as dt

import pytest

from fazhi.assessment.oversight import selectors, services
from fazhi.assessment.oversight.tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_ledger_scope_and_light(org, users):
    c = f.campaign(org, today=TODAY)
    f.problem(org, c, today=TODAY, units=(f.MARKET, f.ECOLOGY), deadline=TODAY + dt.timedelta(days=1))
    market = selectors.ledger(user=users["agency"], today=TODAY + dt.timedelta(days=5))
    assert [r.unit.name for r in market] == [f.MARKET] and market[0].light == "red"
    assert selectors.ledger(user=users["supervisor"], today=TODAY).count() == 2
    assert selectors.ledger(user=users["officer"], today=TODAY).count() == 0
    red = selectors.ledger(
        user=users["supervisor"], filters=selectors.LedgerFilters(light="red"), today=TODAY + dt.timedelta(days=5)
    )
    assert red.count() == 2


def test_problem_counts_for_units(org, users):
    c = f.campaign(org, today=TODAY)
    p1 = f.problem(org, c, today=TODAY, units=(f.MARKET, f.ECOLOGY), deadline=dt.date(2026, 6, 30))
    f.problem(org, c, today=TODAY, units=(f.MARKET,), deadline=dt.date(2026, 9, 30), text="另一个问题")
    rect = p1.rectifications.get(unit=org[f.MARKET])
    services.rectification_report(by=None, rectification=rect, text="完成", files=[f.pdf()], submit=True)
    services.rectification_signoff(by=None, rectification=rect, today=dt.date(2026, 6, 20))
    ids = [org[f.MARKET].pk, org[f.ECOLOGY].pk, org[f.JUSTICE].pk]
    counts = selectors.problem_counts_for_units(unit_ids=ids, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    assert counts == {org[f.MARKET].pk: (1, 1), org[f.ECOLOGY].pk: (1, 0), org[f.JUSTICE].pk: (0, 0)}


def test_signed_off_late_does_not_count_as_on_time(org):
    c = f.campaign(org, today=TODAY)
    rect = f.problem(org, c, today=TODAY, deadline=dt.date(2026, 6, 30)).rectifications.get()
    services.rectification_report(by=None, rectification=rect, text="完成", files=[f.pdf()], submit=True)
    services.rectification_signoff(by=None, rectification=rect, today=dt.date(2026, 7, 2))
    counts = selectors.problem_counts_for_units(
        unit_ids=[org[f.MARKET].pk], start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30)
    )
    assert counts == {org[f.MARKET].pk: (1, 0)}


def test_open_problem_counts_scoped(org, users):
    c = f.campaign(org, today=TODAY)
    f.problem(org, c, today=TODAY, units=(f.MARKET, f.ECOLOGY), deadline=TODAY + dt.timedelta(days=1))
    later = TODAY + dt.timedelta(days=10)
    assert selectors.open_problem_counts(user=users["agency"], today=later) == {"open": 1, "overdue": 1}
    assert selectors.open_problem_counts(user=users["leader"], today=TODAY) == {"open": 2, "overdue": 0}
    assert selectors.open_problem_counts(user=users["officer"], today=TODAY) == {"open": 0, "overdue": 0}
