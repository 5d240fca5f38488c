from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.assessment.scoring import rules


def test_rule_numbers():
    assert rules.TOP_ADJUST == [30, 20, 10]
    assert rules.BOTTOM_ADJUST == [-30, -20, -10]
    assert "30分、20分、10分" in rules.ADJUST_SOURCE
    assert rules.APPEAL_DAYS == 5 and "5个工作日" in rules.APPEAL_SOURCE
    assert "2021" in rules.DEMO_SOURCE and "并非官方分值" in rules.DEMO_POINTS_NOTE


def test_linear_and_thresholds():
    assert rules.points_linear(Decimal(90), points=Decimal(10), low=Decimal(80), high=Decimal(100)) == Decimal("5.00")
    assert rules.points_linear(Decimal(10), points=Decimal(5), low=Decimal(30), high=Decimal(0)) == Decimal("3.33")
    assert rules.points_linear(Decimal(120), points=Decimal(10), low=Decimal(80), high=Decimal(100)) == 10
    steps = [["95", "6"], ["90", "4"], ["80", "2"]]
    assert rules.points_thresholds(Decimal(92), steps=steps) == 4
    assert rules.points_thresholds(Decimal(50), steps=steps) == 0
    assert rules.points_for(None, points=Decimal(5), mapping="linear", params={}) is None


def test_rank_ties_and_veto():
    ranks = rules.rank_group(
        [(1, Decimal(90), False), (2, Decimal(95), False), (3, Decimal(90), False), (4, Decimal(99), True)]
    )
    assert ranks == {2: 1, 1: 2, 3: 2, 4: 4}


def test_adjustments_top_and_bottom():
    ranks = {i: i for i in range(1, 9)}
    adj = rules.adjustments(ranks, top=rules.TOP_ADJUST, bottom=rules.BOTTOM_ADJUST)
    assert [adj[i] for i in range(1, 9)] == [30, 20, 10, 0, 0, -10, -20, -30]
    small = rules.adjustments({1: 1, 2: 2, 3: 3, 4: 4}, top=rules.TOP_ADJUST, bottom=rules.BOTTOM_ADJUST)
    assert small == {1: 30, 2: 20, 3: 10, 4: -30}


def test_framework_problems_name_the_field_and_row():
    nodes = [
        rules.NodeSpec("1", "一", 1, "", Decimal(60), "group", row=2),
        rules.NodeSpec("1.1", "一一", 2, "1", Decimal(50), "manual", row=3),
        rules.NodeSpec("2", "二", 1, "", Decimal(40), "computed", source="nope", row=4),
    ]
    problems = rules.framework_problems(nodes, total=Decimal(100), known_sources=set())
    fields = {(p.field, p.row) for p in problems}
    assert ("points", 2) in fields and ("source", 4) in fields


def test_weight_rule_pinned():
    assert rules.WEIGHT_DEFAULT == 1 and rules.WEIGHT_MAX == 10
    assert not rules.weight_ok(Decimal(0)) and rules.weight_ok(Decimal("0.01")) and not rules.weight_ok(Decimal(11))


def test_path_weights_multiply_down_the_tree():
    w = rules.path_weights(
        [(1, None, Decimal(2)), (2, 1, Decimal("1.5")), (3, 2, Decimal("0.5")), (4, None, Decimal(1))]
    )
    assert w == {1: Decimal(2), 2: Decimal(3), 3: Decimal("1.5"), 4: Decimal(1)}


def test_weights_checked_with_the_row():
    nodes = [
        rules.NodeSpec("1", "一", 1, "", Decimal(100), "group", row=2),
        rules.NodeSpec("1.1", "一一", 2, "1", Decimal(100), "manual", row=3, weight=Decimal(0)),
    ]
    problems = rules.framework_problems(nodes, total=Decimal(100), known_sources=set())
    assert [(p.field, p.row) for p in problems] == [("weight", 3)]


_points = st.integers(min_value=0, max_value=10000).map(lambda cents: Decimal(cents) / 100)
_relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@_relaxed
@given(
    scored=st.lists(st.one_of(st.none(), _points), max_size=12),
    bonus=st.lists(st.tuples(_points, _points), max_size=3),
    deduction=st.lists(st.tuples(_points, _points), max_size=3),
)
def test_all_weights_one_give_the_plain_total(scored, bonus, deduction):
    plain = rules.total_points(scored=scored, bonus=bonus, deduction=deduction)
    weighted = rules.total_points(
        scored=[(p, Decimal(1)) for p in scored],
        bonus=[(p, c, Decimal(1)) for p, c in bonus],
        deduction=[(p, c, Decimal(1)) for p, c in deduction],
    )
    base = sum((p for p in scored if p is not None), Decimal(0))
    assert (
        weighted
        == plain
        == rules.q2(
            base + sum((min(p, c) for p, c in bonus), Decimal(0)) - sum((min(p, c) for p, c in deduction), Decimal(0))
        )
    )


@_relaxed
@given(scored=st.lists(_points, max_size=12), w=st.sampled_from([Decimal("0.5"), Decimal(2), Decimal(3)]))
def test_a_common_weight_scales_the_total(scored, w):
    plain = rules.total_points(scored=scored, bonus=[], deduction=[])
    weighted = rules.total_points(scored=[(p, w) for p in scored], bonus=[], deduction=[])
    assert weighted == rules.q2(plain * w)
