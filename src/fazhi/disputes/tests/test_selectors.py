"""Reads: the scope of every list (agencies see their own disputes, the 本人 scope only what it registered, the
invited supervisor nothing) and the statistics (counted by the year received / decided, the correction rate as
domain.md defines it, set-based)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.disputes import selectors
from fazhi.disputes.tests.conftest import ECOLOGY, MARKET, D

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(apply, event):
    """Market: 3 decided in 2025 (annulled, upheld, varied), 1 mediated, 1 open received 2026; ecology: 1 upheld."""
    out = {}
    for n, outcome in enumerate(["annulled", "upheld", "varied", "mediated"]):
        rc = apply(
            received_on=D(2025, 9, 1 + n),
            applicant={"kind": "person", "name": f"申请人{n}", "id_number": "11010519491231002X"},
        )
        rc = event(rc, "accepted", D(2025, 9, 8))
        out[outcome] = event(rc, "decided", D(2025, 10, 10 + n), outcome=outcome, reason="理由")
    out["open"] = apply(received_on=D(2026, 1, 5))
    rc = apply(received_on=D(2025, 9, 1), respondent=ECOLOGY)
    rc = event(rc, "accepted", D(2025, 9, 3))
    out["ecology"] = event(rc, "decided", D(2025, 12, 1), outcome="upheld", reason="理由")
    return out


def test_correction_rate_by_agency_and_year(world, org):
    rows = {r.label: r for r in selectors.dispute_stats(dimension="agency", year=2025)}
    market = rows[MARKET]
    # Decided (第六十三条至第六十九条): annulled, upheld, varied = 3; mediated is concluded but not decided.
    assert (market.applications, market.accepted, market.concluded, market.decided) == (4, 4, 4, 3)
    assert market.corrected == 2 and market.correction_rate == round(2 / 3, 4)
    assert market.outcomes == {"annulled": 1, "upheld": 1, "varied": 1, "mediated": 1}
    assert market.on_time == 4 and market.on_time_rate == 1.0
    assert rows[ECOLOGY].correction_rate == 0.0
    # 2026: the market's new application counts there, with no decision yet: no rate, not 0 %.
    rows_2026 = {r.label: r for r in selectors.dispute_stats(dimension="agency", year=2026)}
    assert rows_2026[MARKET].applications == 1 and rows_2026[MARKET].correction_rate is None
    by_year = {r.key: r for r in selectors.dispute_stats(dimension="year")}
    assert by_year["2025"].decided == 4 and by_year["2026"].applications == 1
    by_division = selectors.dispute_stats(dimension="division", year=2025)
    assert sum(r.decided for r in by_division) == 4
    totals = selectors.stats_totals(selectors.dispute_stats(dimension="agency", year=2025))
    assert totals.correction_rate == 0.5


def test_the_statistics_are_a_few_grouped_queries(world):
    with CaptureQueriesContext(connection) as queries:
        selectors.dispute_stats(dimension="agency", year=2025)
    assert len(queries) <= 8


def test_the_correction_rate_moves_when_a_decision_corrects(apply, event):
    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "accepted", D(2025, 9, 2))
    event(rc, "decided", D(2025, 10, 1), outcome="upheld", reason="理由")
    assert selectors.agency_correction_rate(unit_id=rc.respondent_unit_id, year=2025) == 0.0
    other = apply(
        received_on=D(2025, 9, 1), applicant={"kind": "person", "name": "张伟", "id_number": "430102199201010061"}
    )
    other = event(other, "accepted", D(2025, 9, 2))
    event(other, "decided", D(2025, 10, 2), outcome="void", reason="实施主体不具有行政主体资格")
    assert selectors.agency_correction_rate(unit_id=rc.respondent_unit_id, year=2025) == 0.5


def test_scopes(world, users):
    market = {world[k].pk for k in ("annulled", "upheld", "varied", "mediated", "open")}
    seen = set(selectors.reconsideration_list(user=users["agency"]).values_list("pk", flat=True))
    assert seen == market
    assert set(selectors.reconsideration_list(user=users["agency2"]).values_list("pk", flat=True)) == {
        world["ecology"].pk
    }
    assert not selectors.reconsideration_list(user=users["monitor"]).exists()
    assert not selectors.reconsideration_list(user=users["officer"]).exists()
    assert selectors.reconsideration_list(user=users["leader"]).count() == 6
    # The agency's statistics count only its own.
    rows = selectors.dispute_stats(user=users["agency"], dimension="agency", year=2025)
    assert [r.label for r in rows] == [MARKET]


def test_the_case_page_provider_follows_the_viewers_scope(apply, event, users):
    rc = apply(received_on=D(2025, 9, 1))
    from fazhi.disputes.models import Reconsideration

    Reconsideration.objects.filter(pk=rc.pk).update(corrected=True)
    assert selectors.case_related_records(user=users["agency2"], case=None) == []


def test_the_body_of_an_agency(org):
    assert selectors.body_unit_for(org[MARKET]).name == "示例市司法局"
    assert selectors.body_unit_for(org["东城区城市管理综合执法局"]).name == "东城区司法局"
    assert selectors.body_unit_for(org["示例市市场监督管理局东城分局"]).name == "示例市司法局"


def test_public_view_shows_no_internal_detail(apply, event):
    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "correction_requested", D(2025, 9, 2), reason="请补充身份证明")
    view = selectors.public_view(rc=rc)
    assert view["status"] == "correction" and view["correction_items"] == "请补充身份证明"
    assert "applicant" not in view and "id_number" not in str(view)


def test_the_counts_kept_by_the_services_equal_a_rebuild_and_the_live_figures(world, apply, event):
    from fazhi.disputes.models import ReconsiderationTally
    from fazhi.disputes.services import reconsideration_tallies_rebuild

    refused = apply(
        received_on=D(2025, 11, 3), applicant={"kind": "person", "name": "某甲", "id_number": "430102199201010061"}
    )
    event(refused, "refused", D(2025, 11, 4), ground="scope", reason="不属于行政复议范围")
    fields = [f.name for f in ReconsiderationTally._meta.fields if f.name != "id"]

    def snapshot():
        return sorted(ReconsiderationTally.objects.values_list(*fields))

    kept = snapshot()
    assert kept and reconsideration_tallies_rebuild() == len(kept)
    assert snapshot() == kept
    for dimension in ("agency", "division", "year"):
        for year in (2025, 2026, None):
            counted, live = {}, {}
            for target, fill in ((counted, selectors._reconsideration_counts), (live, None)):

                def row(k, target=target):
                    k = "" if k is None else str(k)
                    return target.setdefault(k, selectors.DisputeRow(key=k, label=k))

                if fill is None:
                    unit_key = {"agency": "respondent_unit_id", "division": "division_id"}.get(dimension, "")
                    selectors._reconsideration_live(row, None, dimension, year, unit_key)
                else:
                    fill(row, None, dimension, year)
            assert {k: v.as_dict() for k, v in counted.items()} == {k: v.as_dict() for k, v in live.items()}
