"""The set-based bulk check gives exactly the per-case rule functions' findings, on a varied set of cases."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.cases.bulk_checks import SQL_RULES, cases_check_all
from fazhi.cases.checks import case_facts
from fazhi.cases.models import Case, CaseCheck, CaseHandler
from fazhi.cases.rules import RULES, check_case
from fazhi.cases.services import case_rules_of
from fazhi.cases.tests import case_factories as cf
from fazhi.registry.models import Certificate, DiscretionTier

pytestmark = pytest.mark.django_db
D = dt.date
LO, HI = D(2023, 1, 1), D(2026, 10, 31)


@pytest.fixture
def pool(org):
    ag = cf.agency(org[cf.MARKET])
    items = [
        cf.power_item(ag),
        cf.power_item(ag, major=True),
        cf.power_item(ag, kind="licence"),
        cf.power_item(ag, kind="inspection"),
    ]
    tiers = [
        items[0].tiers.first(),
        DiscretionTier.objects.create(
            power_item=items[0], level="minor", circumstances="轻微", fine_max=Decimal("500")
        ),
        DiscretionTier.objects.create(
            power_item=items[0], level="grave", circumstances="严重", fine_min=Decimal("2000")
        ),
    ]
    officers = [
        cf.officer(ag, "有效"),
        cf.officer(ag, "过期", valid_from=D(2018, 1, 1), valid_to=D(2024, 6, 30)),
        cf.officer(ag, "未生效", valid_from=D(2025, 7, 1), valid_to=D(2030, 1, 1)),
        cf.officer(ag, "吊销", status="revoked"),
        cf.officer(ag, "无证", certificate=False),
    ]
    renewed = cf.officer(ag, "换证", valid_from=D(2019, 1, 1), valid_to=D(2024, 3, 31))
    Certificate.objects.create(officer=renewed, number="RENEWED-1", valid_from=D(2024, 4, 1), valid_to=D(2029, 3, 31))
    suspended_then = cf.officer(
        ag, "暂扣后恢复", status="suspended", valid_from=D(2020, 1, 1), valid_to=D(2024, 12, 31)
    )
    Certificate.objects.create(officer=suspended_then, number="OK-2", valid_from=D(2023, 6, 1), valid_to=D(2027, 1, 1))
    # Two active certificates with half a year between them: certified before and after, not in the gap.
    gap = cf.officer(ag, "断档", valid_from=D(2019, 1, 1), valid_to=D(2023, 12, 31))
    Certificate.objects.create(officer=gap, number="GAP-2", valid_from=D(2024, 7, 1), valid_to=D(2029, 12, 31))
    officers += [renewed, suspended_then, gap]
    return {"agency": ag, "items": items, "tiers": tiers, "officers": officers}


def days(lo=0, hi=200):
    return st.integers(min_value=lo, max_value=hi)


case_spec = st.fixed_dictionaries(
    {
        "filed": st.dates(min_value=LO, max_value=HI),
        "procedure": st.sampled_from(["general", "general", "simple"]),
        "party_kind": st.sampled_from(["person", "organisation"]),
        "handlers": st.lists(st.integers(0, 7), max_size=3, unique=True),
        "violation_before": st.one_of(st.none(), days(0, 2200)),
        "limitation_extended": st.booleans(),
        "extension": st.one_of(st.just(0), days(1, 90)),
        "major": st.booleans(),
        "item": st.integers(0, 3),
        "decided_after": st.one_of(st.none(), days(0, 160)),
        "review": st.one_of(st.none(), st.integers(-5, 3)),
        "hearing": st.one_of(st.none(), st.tuples(days(0, 30), days(0, 20))),
        "served_after": st.one_of(st.none(), days(0, 25)),
        "disclosed_after": st.one_of(st.none(), days(0, 45)),
        "fine": st.one_of(st.none(), st.decimals(min_value=1, max_value=20000, places=2)),
        "tier": st.one_of(st.none(), st.integers(0, 2)),
    }
)


def make_case(pool, spec, n) -> Case:
    filed = spec["filed"]
    decided = filed + dt.timedelta(days=spec["decided_after"]) if spec["decided_after"] is not None else None
    review = None
    if decided and spec["review"] is not None:
        review = decided + dt.timedelta(days=spec["review"])
    notice = hearing = None
    if spec["hearing"]:
        notice = filed + dt.timedelta(days=spec["hearing"][0])
        hearing = notice + dt.timedelta(days=spec["hearing"][1])
    item = pool["items"][spec["item"]]
    case = Case.objects.create(
        agency=pool["agency"],
        power_item=item,
        number=f"BULK-{n}",
        title="批量校验",
        procedure=spec["procedure"],
        party_kind=spec["party_kind"],
        party_name="某某",
        filed_on=filed,
        violation_ended_on=filed - dt.timedelta(days=spec["violation_before"])
        if spec["violation_before"] is not None
        else None,
        limitation_extended=spec["limitation_extended"],
        extension_days=spec["extension"],
        major=spec["major"],
        decided_on=decided,
        legal_review_on=review,
        hearing_notice_on=notice,
        hearing_on=hearing,
        served_on=decided + dt.timedelta(days=spec["served_after"])
        if decided and spec["served_after"] is not None
        else None,
        disclosed_on=decided + dt.timedelta(days=spec["disclosed_after"])
        if decided and spec["disclosed_after"] is not None
        else None,
        fine=spec["fine"],
        tier=pool["tiers"][spec["tier"]] if spec["tier"] is not None and spec["item"] == 0 else None,
    )
    CaseHandler.objects.bulk_create([CaseHandler(case=case, officer=pool["officers"][i]) for i in spec["handlers"]])
    return case


def per_case(case, as_of) -> list[str]:
    case = Case.objects.select_related("power_item", "tier").get(pk=case.pk)
    return case_rules_of(check_case(case_facts(case, as_of=as_of)))


def test_every_rule_has_an_sql_twin():
    assert set(SQL_RULES) == set(RULES)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(specs=st.lists(case_spec, min_size=20, max_size=40), as_of=st.dates(min_value=LO, max_value=D(2027, 3, 1)))
def test_bulk_equals_per_case(pool, specs, as_of):
    cases = [make_case(pool, spec, n) for n, spec in enumerate(specs)]
    try:
        result = cases_check_all(as_of=as_of, sync_warnings=False)
        assert result["cases"] == len(cases)
        for case in cases:
            stored = CaseCheck.objects.get(pk=case.pk)
            expected = per_case(case, as_of)
            assert stored.rules == expected, (case.number, stored.rules, expected)
            assert stored.errors == len(expected)
            assert stored.checked_at is not None
    finally:
        Case.objects.filter(pk__in=[c.pk for c in cases]).delete()


def test_bulk_edge_dates(pool):
    """Holiday roll-forward of the 90 days, working-day limits over the National Day week, 29 February."""
    o = pool["officers"]
    specs = [
        # 2025-03-03 + 90 = 2025-06-01 (端午 rest day) → deadline 2025-06-03: decided on the 3rd is in time.
        dict(filed=D(2025, 3, 3), decided_after=92),
        dict(filed=D(2025, 3, 3), decided_after=93),
        # Decided 2025-09-26 (Fri): the 7th working day after is 2025-10-13.
        dict(filed=D(2025, 9, 1), decided_after=25, served_after=17),
        dict(filed=D(2025, 9, 1), decided_after=25, served_after=18),
        # Violation ended 2024-02-29: two years end 2026-02-28.
        dict(filed=D(2026, 2, 28), decided_after=10, violation_before=(D(2026, 2, 28) - D(2024, 2, 29)).days),
        dict(filed=D(2026, 3, 1), decided_after=10, violation_before=(D(2026, 3, 1) - D(2024, 2, 29)).days),
    ]
    base = {
        "procedure": "general",
        "party_kind": "person",
        "handlers": [0, 5],
        "violation_before": None,
        "limitation_extended": False,
        "extension": 0,
        "major": False,
        "item": 0,
        "decided_after": None,
        "review": None,
        "hearing": None,
        "served_after": None,
        "disclosed_after": None,
        "fine": None,
        "tier": None,
    }
    cases = [make_case(pool, {**base, **s}, 1000 + i) for i, s in enumerate(specs)]
    as_of = D(2026, 6, 1)
    cases_check_all(as_of=as_of, sync_warnings=False)
    got = [CaseCheck.objects.get(pk=c.pk).rules for c in cases]
    assert got == [per_case(c, as_of) for c in cases]
    assert got[0] == [] and got[1] == ["decision_overdue"]
    assert got[2] == [] and got[3] == ["service_late"]
    assert got[4] == [] and got[5] == ["limitation_expired"]
    assert o[5].certificates.count() == 2


def test_bulk_opens_and_closes_warnings(pool):
    today = timezone.localdate()
    base = {
        "filed": today - dt.timedelta(days=3),
        "procedure": "general",
        "party_kind": "person",
        "handlers": [0],
        "violation_before": None,
        "limitation_extended": False,
        "extension": 0,
        "major": False,
        "item": 0,
        "decided_after": None,
        "review": None,
        "hearing": None,
        "served_after": None,
        "disclosed_after": None,
        "fine": None,
        "tier": None,
    }
    # Officers certified from 2020 until ten years after today, so that the cases filed today stay valid.
    pool["officers"] += [cf.officer(pool["agency"], "长期有效甲"), cf.officer(pool["agency"], "长期有效乙")]
    first, second = len(pool["officers"]) - 2, len(pool["officers"]) - 1
    base["handlers"] = [first]
    bad = make_case(pool, base, 2000)
    good = make_case(pool, {**base, "handlers": [first, second]}, 2001)
    result = cases_check_all()
    assert result["warnings"] == {"opened": 1, "closed": 0}
    bad.refresh_from_db()
    assert bad.check_result.rules == ["handlers_min_two"] and bad.warning_item.status == "open"
    good.refresh_from_db()
    assert good.warning_item_id is None
    assert cases_check_all()["warnings"] == {"opened": 0, "closed": 0}  # idempotent
    CaseHandler.objects.create(case=bad, officer=pool["officers"][second])
    assert cases_check_all()["warnings"] == {"opened": 0, "closed": 1}
    bad.refresh_from_db()
    assert bad.warning_item.status == "closed"


def test_bulk_certificate_spans(pool):
    """A handler is certified on the act date only inside one of his active certificates: a renewal the day after
    is seamless, a gap between two certificates is not covered, nor is a suspended one."""
    base = {
        "procedure": "general",
        "party_kind": "person",
        "violation_before": None,
        "limitation_extended": False,
        "extension": 0,
        "major": False,
        "item": 0,
        "decided_after": 0,
        "review": None,
        "hearing": None,
        "served_after": None,
        "disclosed_after": None,
        "fine": None,
        "tier": None,
    }
    specs = [
        dict(filed=D(2023, 12, 31), handlers=[0, 7]),  # last day of the first certificate
        dict(filed=D(2024, 1, 1), handlers=[0, 7]),  # in the gap
        dict(filed=D(2024, 6, 30), handlers=[7, 5]),  # in the gap, beside a seamless renewal
        dict(filed=D(2024, 7, 1), handlers=[0, 7]),  # first day of the second
        dict(filed=D(2024, 4, 1), handlers=[5, 0]),  # the renewal's first day
        dict(filed=D(2025, 3, 3), handlers=[6, 0]),  # suspended certificate lapsed, an active one covers
        dict(filed=D(2024, 2, 1), handlers=[7, 1]),  # both uncertified: one rule broken, once
    ]
    cases = [make_case(pool, {**base, **s}, 4000 + i) for i, s in enumerate(specs)]
    as_of = D(2026, 6, 1)
    cases_check_all(as_of=as_of, sync_warnings=False)
    got = [CaseCheck.objects.get(pk=c.pk).rules for c in cases]
    assert got == [per_case(c, as_of) for c in cases]
    bad = ["handler_certificate_invalid"]
    assert got == [[], bad, bad, [], [], [], bad]


def test_command(pool, capsys):
    call_command("check_cases", "--as-of", "2026-01-05", "--no-warnings")
    assert '"cases"' in capsys.readouterr().out


def test_rule_without_sql_twin_runs_per_row(pool, monkeypatch):
    """A rule with no SQL twin still runs (case by case) and is merged into the stored result."""
    monkeypatch.delitem(SQL_RULES, "handlers_min_two")
    base = {
        "filed": D(2025, 3, 3),
        "procedure": "general",
        "party_kind": "person",
        "handlers": [0],
        "violation_before": None,
        "limitation_extended": False,
        "extension": 0,
        "major": False,
        "item": 0,
        "decided_after": 95,
        "review": None,
        "hearing": None,
        "served_after": None,
        "disclosed_after": None,
        "fine": None,
        "tier": None,
    }
    one = make_case(pool, base, 3000)
    two = make_case(pool, {**base, "handlers": [0, 5], "decided_after": 10}, 3001)
    as_of = D(2026, 6, 1)
    result = cases_check_all(as_of=as_of, sync_warnings=False)
    assert result["per_row_rules"] == ["handlers_min_two"] and result["per_row_updated"] == 1
    assert CaseCheck.objects.get(pk=one.pk).rules == per_case(one, as_of) == ["handlers_min_two", "decision_overdue"]
    assert CaseCheck.objects.get(pk=one.pk).errors == 2
    assert CaseCheck.objects.get(pk=two.pk).rules == per_case(two, as_of) == []
