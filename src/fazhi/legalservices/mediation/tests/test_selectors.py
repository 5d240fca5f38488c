"""调解 statistics by organisation, division, kind and month, and `mediation_figures` for the assessment module."""

import datetime as dt

import pytest

from fazhi.core.errors import DomainError
from fazhi.legalservices.mediation import rules, selectors, services
from fazhi.legalservices.mediation.tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def cases(users):
    a = f.org()
    b = f.org(name="城关街道人民调解委员会", unit="东城区城关街道办事处", code="439902")
    out = []
    for o, kind, amount, outcome, ago in [
        (a, "neighbour", 1000, rules.SUCCESS, 40),
        (a, "neighbour", 2000, rules.FAILED, 10),
        (a, "contract", 5000, "", 5),
        (b, "contract", 7000, rules.SUCCESS, 3),
    ]:
        c = f.case(the_org=o, kind=kind, amount=amount, received_on=TODAY - dt.timedelta(days=ago), today=TODAY)
        if outcome:
            services.case_close(
                by=None,
                case=c,
                outcome=outcome,
                agreement="约定。",
                next_channel="litigation",
                today=TODAY,
                make_document=False,
            )
        out.append(c)
    return out


def test_stats_by_every_dimension(cases, users):
    sup = users["supervisor"]
    by_org = {r.label: r for r in selectors.mediation_stats(user=sup, dimension="org")}
    a = by_org["测试镇人民调解委员会"]
    assert (a.received, a.mediated, a.success, a.success_rate, a.amount) == (3, 2, 1, 50.0, 8000.0)
    by_kind = {r.key: r for r in selectors.mediation_stats(user=sup, dimension="kind")}
    assert by_kind["contract"].label == "合同纠纷" and by_kind["contract"].success_amount == 7000.0
    by_div = {r.label: r.received for r in selectors.mediation_stats(user=sup, dimension="division")}
    assert by_div == {"南山县": 3, "东城区": 1}
    months = selectors.mediation_stats(user=sup, dimension="month")
    assert [r.label for r in months] == ["2026年05月", "2026年06月"] and sum(r.received for r in months) == 4
    start_only = selectors.mediation_stats(user=sup, dimension="kind", start=TODAY - dt.timedelta(days=6))
    assert sum(r.received for r in start_only) == 2
    total = selectors.stats_totals(months)
    assert total.success == 2 and total.success_rate == round(200 / 3, 1)


def test_stats_bad_input(users):
    with pytest.raises(DomainError) as exc:
        selectors.mediation_stats(user=users["supervisor"], dimension="bogus")
    assert exc.value.field == "dimension"
    with pytest.raises(DomainError) as exc:
        selectors.mediation_stats(user=users["supervisor"], start=TODAY, end=TODAY - dt.timedelta(days=1))
    assert exc.value.field == "start"


def test_stats_follow_the_scope(cases, users):
    assert selectors.mediation_stats(user=users["agency"]) == []  # no permission scope over these townships


def test_mediation_figures_for_assessment(cases, org):
    county = org["南山县人民政府"]
    figures = selectors.mediation_figures(unit_ids=[county.pk], start=TODAY - dt.timedelta(days=60), end=TODAY)
    assert figures["received"] == 3 and figures["mediated"] == 2 and figures["success"] == 1
    assert figures["success_rate"] == 50.0 and figures["amount"] == 8000.0 and figures["court_referred"] == 0
    city = selectors.mediation_figures(
        unit_ids=[org["示例市人民政府"].pk], start=TODAY - dt.timedelta(days=60), end=TODAY
    )
    assert city["received"] == 4
    assert selectors.mediation_figures(unit_ids=[], start=TODAY, end=TODAY)["success_rate"] is None


def test_monthly_rollup_agrees_with_the_disputes(cases, users):
    """The roll-up kept by the services, the rebuilt one and a live count give the same figures."""
    from fazhi.legalservices.mediation.models import MediationMonthly

    sup = users["supervisor"]
    may_start, june_end = dt.date(2026, 5, 1), dt.date(2026, 6, 30)

    def both(**kw):
        rolled = selectors.mediation_stats(user=sup, **kw)
        live = selectors.mediation_stats(user=sup, live=True, **kw)
        return [r.__dict__ for r in rolled], [r.__dict__ for r in live]

    for dimension in selectors.DIMENSIONS:
        rolled, live = both(dimension=dimension, start=may_start, end=june_end)
        assert rolled == live, dimension
    kept = list(MediationMonthly.objects.values_list("month", "org_id", "kind", "received", "mediated", "success"))
    assert services.mediation_monthly_rebuild() == len(kept)
    rebuilt = list(MediationMonthly.objects.values_list("month", "org_id", "kind", "received", "mediated", "success"))
    assert sorted(kept) == sorted(rebuilt)
    assert selectors._whole_months(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert not selectors._whole_months(dt.date(2026, 2, 2), None)
