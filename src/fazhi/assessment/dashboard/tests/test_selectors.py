"""The dashboard's reads: every leader's page warm, shared where the viewers are alike, and the same figures as
a plain computation."""

import datetime as dt

import pytest
from django.core.cache import cache


@pytest.fixture
def leaders(users, org):
    """Besides the demo leader (全部): a district leader (本单位及下级) and a department head (本单位)."""
    from fazhi.core.models import Role, Unit, User

    perms = ["dashboard.view", "case.view", "complaint.view"]
    district = Role.objects.create(code="district_leader", name="区县领导", data_scope="subtree", permissions=perms)
    head = Role.objects.create(code="unit_head", name="单位负责人", data_scope="unit", permissions=perms)
    gov = Unit.objects.filter(kind="government").exclude(parent=None).order_by("path").first()
    out = {"leader": users["leader"]}
    for name, role, unit in (
        ("district", district, gov),
        ("district2", district, gov),
        ("head", head, users["agency"].unit),
    ):
        u = User.objects.create_user(username=f"dash_{name}", password="x", unit=unit)
        u.roles.add(role)
        out[name] = u
    return out


@pytest.fixture
def cases(users, year):
    """Cases of the demo agency filed and closed in several months of the year (and one the year before)."""
    from fazhi.cases.models import Case
    from fazhi.registry.models import Agency, PowerItem

    agency = Agency.objects.get_or_create(unit=users["agency"].unit)[0]
    item = PowerItem.objects.create(agency=agency, code="DASH", name="驾驶舱测试事项", kind="penalty")
    specs = [(1, 3), (1, None), (2, 2), (5, 7), (5, 12), (12, None), (None, 1)]
    for n, (filed, closed) in enumerate(specs):
        Case.objects.create(
            agency=agency,
            power_item=item,
            number=f"DASH-{n}",
            title="驾驶舱测试",
            procedure="general",
            party_kind="person",
            party_name="某某",
            filed_on=dt.date(year, filed, 10) if filed else dt.date(year - 1, 12, 20),
            closed_on=dt.date(year, closed, 20) if closed else None,
        )
    return Case.objects.filter(number__startswith="DASH-")


def _plain_trend(user, year):
    """The month trend of cases the slow, obvious way: every visible case looked at in Python."""
    from fazhi.cases.models import Case
    from fazhi.cases.selectors import case_scope_q

    filed, closed = [0] * 12, [0] * 12
    for c in Case.objects.filter(case_scope_q(user)):
        if c.filed_on.year == year:
            filed[c.filed_on.month - 1] += 1
        if c.closed_on and c.closed_on.year == year:
            closed[c.closed_on.month - 1] += 1
    return filed, closed


def _same(a, b):
    assert a.run == b.run
    assert [f.__dict__ for f in a.figures] == [f.__dict__ for f in b.figures]
    assert (a.trend, a.ranking, a.red, a.red_total, a.divisions, a.problems) == (
        b.trend,
        b.ranking,
        b.red,
        b.red_total,
        b.divisions,
        b.problems,
    )


def test_the_month_trend_counts_what_a_plain_count_finds(run, leaders, cases, year):
    from fazhi.assessment.dashboard import selectors

    cache.clear()
    for user in leaders.values():
        board = selectors._build(user=user, year=year, today=dt.date(year, 12, 31), fresh=True)
        filed, closed = _plain_trend(user, year)
        assert board.trend["cases_filed"] == filed and board.trend["cases_closed"] == closed
    assert sum(_plain_trend(leaders["head"], year)[0]) == 6  # the department head sees the demo agency's cases


def test_the_worker_warms_every_leaders_page_with_the_figures_of_a_fresh_build(run, leaders, cases, year):
    from fazhi.assessment.dashboard import selectors

    cache.clear()
    today = dt.date(year, 6, 30)
    warmed = selectors.dashboard_warm(today=today)
    # Two district leaders of one government share their scope's figures; each page is still the viewer's own.
    assert warmed["warmed"] >= len(leaders) and warmed["scopes"] < warmed["warmed"]
    for user in leaders.values():
        key = selectors._board_key(user=user, year=year, today=today)
        assert cache.get(key) is not None
        _same(
            selectors.dashboard(user=user, today=today), selectors._build(user=user, year=year, today=today, fresh=True)
        )


def test_viewers_alike_share_figures_but_each_sees_the_items_waiting_on_him(run, leaders, year):
    from fazhi.assessment.dashboard import selectors
    from fazhi.tracking.models import TrackedItem

    a, b = leaders["district"], leaders["district2"]
    assert selectors.share_key(a) == selectors.share_key(b)
    assert selectors.share_key(a) != selectors.share_key(leaders["head"])
    today = dt.date(year, 6, 30)
    kind = TrackedItem.objects.values_list("kind", flat=True).first() or "task_assignment"
    TrackedItem.objects.create(
        kind=kind,
        title="逾期待办",
        unit=leaders["head"].unit,
        action_unit=leaders["head"].unit,
        action_user=a,
        deadline=today - dt.timedelta(days=5),
        start_date=today - dt.timedelta(days=30),
    )
    cache.clear()
    board_a = selectors.dashboard(user=a, today=today)
    board_b = selectors.dashboard(user=b, today=today)
    assert board_a.trend == board_b.trend and board_a.ranking == board_b.ranking
    assert board_a.red_total == board_b.red_total + 1
    # The one GROUP BY behind the red items gives what the tracking app's own counts give.
    from django.db.models import Count

    from fazhi.tracking.selectors import overdue_counts, overdue_items, overdue_tally

    for user in (a, b):
        board = selectors.dashboard(user=user, today=today)
        assert board.red == overdue_counts(user=user, today=today)
        by_unit = overdue_items(user=user, today=today).values("unit_id").annotate(n=Count("id")).order_by()
        assert overdue_tally(user=user, today=today)[1] == {r["unit_id"]: r["n"] for r in by_unit}
