"""The pure draw: determinism, no conflicts, at least two inspectors, balance, verification of tampering."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.inspections import draw as d

LEVELS = ["a_low", "b_general", "c_elevated", "d_high"]


def _published(seed, candidates, inspectors, conflicts, proportions, per=2) -> dict:
    texts = {
        "candidates": d.canonical_candidates(candidates),
        "inspectors": d.canonical_inspectors(inspectors),
        "conflicts": d.canonical_conflicts(conflicts),
        "params": d.canonical_params(proportions=proportions, per_enterprise=per),
    }
    hashes = {f"{k}_hash": d.sm3_hex(v.encode("ascii")) for k, v in texts.items()}
    result = d.draw(
        seed=seed,
        candidates=candidates,
        inspectors=inspectors,
        conflicts=conflicts,
        proportions=proportions,
        per_enterprise=per,
    )
    s_hash = d.seed_hash(seed)
    return {
        "seed": seed,
        "seed_hash": s_hash,
        **texts,
        **hashes,
        "commitment": d.commitment_of(seed_hash=s_hash, **hashes),
        "result": result.canonical,
        "result_hash": result.hash,
    }


@st.composite
def scenarios(draw):
    n_ent = draw(st.integers(1, 120))
    ids = draw(st.lists(st.integers(1, 10**6), min_size=n_ent, max_size=n_ent, unique=True))
    candidates = [(i, draw(st.sampled_from(LEVELS))) for i in ids]
    inspectors = draw(st.lists(st.integers(1, 5000), min_size=6, max_size=40, unique=True))
    per = draw(st.integers(2, 3))
    # Conflicts: each enterprise may block at most len(inspectors) - per inspectors, so the draw stays possible.
    conflicts = []
    for eid, _ in candidates:
        k = draw(st.integers(0, min(3, len(inspectors) - per)))
        conflicts += [(o, eid) for o in draw(st.permutations(inspectors))[:k]]
    proportions = {lv: draw(st.integers(0, 10000)) for lv in LEVELS}
    seed = draw(st.binary(min_size=32, max_size=32)).hex()
    return seed, candidates, inspectors, conflicts, proportions, per


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_same_seed_and_lists_give_the_same_draw(scenario):
    seed, candidates, inspectors, conflicts, proportions, per = scenario
    first = d.draw(
        seed=seed,
        candidates=candidates,
        inspectors=inspectors,
        conflicts=conflicts,
        proportions=proportions,
        per_enterprise=per,
    )
    shuffled = list(candidates)
    random.Random(7).shuffle(shuffled)
    second = d.draw(
        seed=seed,
        candidates=shuffled,
        inspectors=list(reversed(inspectors)),
        conflicts=list(reversed(conflicts)),
        proportions=dict(proportions),
        per_enterprise=per,
    )
    assert first.canonical == second.canonical
    assert first.hash == second.hash


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_no_conflict_and_enough_distinct_inspectors(scenario):
    seed, candidates, inspectors, conflicts, proportions, per = scenario
    result = d.draw(
        seed=seed,
        candidates=candidates,
        inspectors=inspectors,
        conflicts=conflicts,
        proportions=proportions,
        per_enterprise=per,
    )
    blocked = set(conflicts)
    pool = set(inspectors)
    for row in result.rows:
        assert len(row["inspectors"]) == per >= 2
        assert len(set(row["inspectors"])) == per
        assert set(row["inspectors"]) <= pool
        assert not any((o, row["enterprise"]) in blocked for o in row["inspectors"])
    # Per-level quota: ⌈n × bp / 10000⌉ and only enterprises of that level.
    levels = dict(candidates)
    for level in LEVELS:
        n = sum(1 for _, lv in candidates if lv == level)
        picked = [r for r in result.rows if r["level"] == level]
        assert len(picked) == d.quota(n, proportions[level])
        assert all(levels[r["enterprise"]] == level for r in picked)
    assert len({r["enterprise"] for r in result.rows}) == len(result.rows)


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=32, max_size=32), st.integers(3, 30), st.integers(1, 200))
def test_workload_balanced_without_conflicts(seed, n_insp, n_ent):
    candidates = [(i, "a_low") for i in range(1, n_ent + 1)]
    result = d.draw(
        seed=seed.hex(),
        candidates=candidates,
        inspectors=list(range(1, n_insp + 1)),
        conflicts=[],
        proportions={"a_low": 10000},
        per_enterprise=2,
    )
    loads = {o: 0 for o in range(1, n_insp + 1)}
    for row in result.rows:
        for o in row["inspectors"]:
            loads[o] += 1
    assert max(loads.values()) - min(loads.values()) <= 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.data())
def test_verification_passes_and_fails_on_tampering(scenario, data):
    seed, candidates, inspectors, conflicts, proportions, per = scenario
    published = _published(seed, candidates, inspectors, conflicts, proportions, per)
    assert d.verify(published) == (True, [])
    # A different seed (published in place of the committed one).
    other = data.draw(st.binary(min_size=32, max_size=32)).hex()
    if other != seed:
        ok, problems = d.verify({**published, "seed": other})
        assert not ok and any("种子" in p for p in problems)
    # A tampered candidate list: one enterprise dropped or its level changed.
    lines = published["candidates"].splitlines(keepends=True)
    tampered = "".join(lines[1:]) if len(lines) > 1 else "999999999,d_high\n"
    ok, problems = d.verify({**published, "candidates": tampered})
    assert not ok and any("名录" in p for p in problems)
    # A tampered inspector list.
    ok, _ = d.verify({**published, "inspectors": published["inspectors"] + "424242\n"})
    assert not ok
    # A tampered result.
    ok, _ = d.verify({**published, "result": published["result"] + "1,a_low,1;2\n"})
    assert not ok


def test_known_answer_pins_the_stream():
    """A fixed test vector so that a re-implementation can check its SM3 stream (docs/inspections.md)."""
    s = d.Stream("00" * 32)
    first = [s.next64() for _ in range(2)]
    assert first == [
        int.from_bytes(d.hashlib.new("sm3", bytes(32) + b"fazhi-draw-v1" + bytes(8)).digest()[i : i + 8], "big")
        for i in (0, 8)
    ]
    result = d.draw(
        seed="00" * 32,
        candidates=[(i, "a_low") for i in range(1, 11)],
        inspectors=[1, 2, 3, 4],
        conflicts=[(1, 3)],
        proportions={"a_low": 3000},
        per_enterprise=2,
    )
    assert len(result.rows) == 3
    assert result.canonical == KNOWN_RESULT


KNOWN_RESULT = "9,a_low,4;3\n6,a_low,2;1\n8,a_low,1;2\n"


def test_empty_pool_too_few_inspectors_and_bad_proportions():
    cands = [(1, "a_low"), (2, "d_high")]
    with pytest.raises(d.DrawError, match="检查人员库为空"):
        d.draw(seed="11" * 32, candidates=cands, inspectors=[], conflicts=[], proportions={"a_low": 10000})
    with pytest.raises(d.DrawError, match="检查人员不足"):
        d.draw(seed="11" * 32, candidates=cands, inspectors=[5], conflicts=[], proportions={"a_low": 10000})
    with pytest.raises(d.DrawError, match="0%–100%"):
        d.draw(seed="11" * 32, candidates=cands, inspectors=[5, 6], conflicts=[], proportions={"a_low": 10001})
    with pytest.raises(d.DrawError, match="不得少于 2 名"):
        d.draw(
            seed="11" * 32,
            candidates=cands,
            inspectors=[5, 6],
            conflicts=[],
            proportions={"a_low": 1},
            per_enterprise=1,
        )
    # Every inspector but one is in conflict with enterprise 1: it cannot get two.
    with pytest.raises(d.DrawError, match="利害关系"):
        d.draw(
            seed="11" * 32,
            candidates=cands,
            inspectors=[5, 6, 7],
            conflicts=[(5, 1), (6, 1)],
            proportions={"a_low": 10000},
        )
    with pytest.raises(d.DrawError, match="种子"):
        d.draw(seed="xyz", candidates=cands, inspectors=[5, 6], conflicts=[], proportions={"a_low": 10000})


def test_quota_rounds_up():
    assert d.quota(10, 3000) == 3
    assert d.quota(10, 3001) == 4
    assert d.quota(1, 1) == 1
    assert d.quota(0, 10000) == 0
    assert d.quota(7, 0) == 0


# ---------------------------------------------------------------- joint draws (fazhi-draw-joint-v1)


def _published_joint(seed, candidates, pairs, conflicts, proportions, per, agencies, lead) -> dict:
    texts = {
        "candidates": d.canonical_candidates(candidates),
        "inspectors": d.canonical_joint_inspectors(pairs),
        "conflicts": d.canonical_conflicts(conflicts),
        "params": d.canonical_joint_params(proportions=proportions, per_enterprise=per, agencies=agencies, lead=lead),
    }
    hashes = {f"{k}_hash": d.sm3_hex(v.encode("ascii")) for k, v in texts.items()}
    result = d.draw_joint(
        seed=seed,
        candidates=candidates,
        inspectors=pairs,
        conflicts=conflicts,
        proportions=proportions,
        per_enterprise=per,
        agencies=agencies,
        lead=lead,
    )
    s_hash = d.seed_hash(seed)
    return {
        "seed": seed,
        "seed_hash": s_hash,
        **texts,
        **hashes,
        "result": result.canonical,
        "result_hash": result.hash,
        "commitment": d.commitment_of(seed_hash=s_hash, algorithm=d.JOINT_ALGORITHM, **hashes),
    }


@st.composite
def joint_scenarios(draw):
    n_agencies = draw(st.integers(2, 4))
    agencies = sorted(draw(st.lists(st.integers(1, 500), min_size=n_agencies, max_size=n_agencies, unique=True)))
    lead = draw(st.sampled_from(agencies))
    per = draw(st.integers(max(2, n_agencies), n_agencies + 2))
    ids = draw(st.lists(st.integers(1, 10**6), min_size=1, max_size=80, unique=True))
    candidates = [(i, draw(st.sampled_from(LEVELS))) for i in ids]
    officers = iter(draw(st.lists(st.integers(1, 10**5), min_size=40, max_size=40, unique=True)))
    pools = {a: [next(officers) for _ in range(draw(st.integers(per + 1, 8)))] for a in agencies}
    pairs = [(o, a) for a, pool in pools.items() for o in pool]
    conflicts = []
    for eid, _ in candidates:  # at most one conflict per agency and enterprise: every draw stays possible
        for pool in pools.values():
            if draw(st.booleans()):
                conflicts.append((draw(st.sampled_from(pool)), eid))
    proportions = {lv: draw(st.integers(0, 10000)) for lv in LEVELS}
    seed = draw(st.binary(min_size=32, max_size=32)).hex()
    return seed, candidates, pairs, conflicts, proportions, per, agencies, lead


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(joint_scenarios())
def test_joint_every_enterprise_gets_each_agency_and_no_conflict(scenario):
    seed, candidates, pairs, conflicts, proportions, per, agencies, lead = scenario
    result = d.draw_joint(
        seed=seed,
        candidates=candidates,
        inspectors=pairs,
        conflicts=conflicts,
        proportions=proportions,
        per_enterprise=per,
        agencies=agencies,
        lead=lead,
    )
    agency_of = dict(pairs)
    blocked = set(conflicts)
    for row in result.rows:
        chosen = row["inspectors"]
        assert len(chosen) == per >= 2 and len(set(chosen)) == per
        assert {agency_of[o] for o in chosen} == set(agencies)
        assert not any((o, row["enterprise"]) in blocked for o in chosen)
    again = d.draw_joint(
        seed=seed,
        candidates=list(reversed(candidates)),
        inspectors=list(reversed(pairs)),
        conflicts=conflicts,
        proportions=proportions,
        per_enterprise=per,
        agencies=agencies,
        lead=lead,
    )
    assert again.canonical == result.canonical


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(joint_scenarios(), st.data())
def test_joint_verification_passes_and_fails_on_tampering(scenario, data):
    published = _published_joint(*scenario)
    assert d.verify(published) == (True, [])
    key = data.draw(st.sampled_from(["seed", "inspectors", "params", "result", "commitment"]))
    tampered = dict(published)
    if key == "seed":
        tampered["seed"] = ("1" if published["seed"][0] != "1" else "2") + published["seed"][1:]
    elif key == "inspectors":  # move the first inspector to another agency
        o, a = d.parse_joint_inspectors(published["inspectors"])[0]
        tampered["inspectors"] = published["inspectors"].replace(f"{o},{a}\n", f"{o},{a + 1000}\n", 1)
    elif key == "params":
        tampered["params"] = published["params"].replace('"lead":', '"lead":9', 1)
    elif key == "result":
        tampered["result"] = published["result"] + "1,a_low,1;2\n"
    else:
        tampered["commitment"] = "0" * 64
    ok, problems = d.verify(tampered)
    assert not ok and problems


def test_joint_known_answer_and_single_agency_vector_unchanged():
    joint = d.draw_joint(
        seed="0" * 64,
        candidates=[(i, "a_low") for i in range(1, 11)],
        inspectors=[(1, 10), (2, 10), (3, 20), (4, 20)],
        conflicts=[(1, 3)],
        proportions={"a_low": 3000},
        per_enterprise=3,
        agencies=[10, 20],
        lead=20,
    )
    assert joint.canonical == "6,a_low,2;4;3\n1,a_low,1;4;3\n2,a_low,1;3;4\n"
    single = d.draw(
        seed="0" * 64,
        candidates=[(i, "a_low") for i in range(1, 11)],
        inspectors=[1, 2, 3, 4],
        conflicts=[(1, 3)],
        proportions={"a_low": 3000},
        per_enterprise=2,
    )
    assert single.canonical == "9,a_low,4;3\n6,a_low,2;1\n8,a_low,1;2\n"


def test_joint_refuses_missing_agency_pool_and_too_few_slots():
    base = {"seed": "0" * 64, "candidates": [(1, "a_low")], "conflicts": [], "proportions": {"a_low": 10000}}
    with pytest.raises(d.DrawError, match="不足"):
        d.draw_joint(**base, inspectors=[(1, 10), (2, 10)], per_enterprise=2, agencies=[10, 20], lead=10)
    with pytest.raises(d.DrawError, match="参与部门数"):
        d.draw_joint(**base, inspectors=[(1, 10), (2, 20), (3, 30)], per_enterprise=2, agencies=[10, 20, 30], lead=10)
    with pytest.raises(d.DrawError, match="不足"):  # the only eco inspector is in conflict
        d.draw_joint(
            **base | {"conflicts": [(2, 1)]},
            inspectors=[(1, 10), (3, 10), (2, 20)],
            per_enterprise=2,
            agencies=[10, 20],
            lead=10,
        )
