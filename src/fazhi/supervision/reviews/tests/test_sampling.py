"""The pure, verifiable sample of a campaign (fazhi-review-sample-v1)."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.supervision.reviews import sampling

SEED = "5a" * 32
CANDIDATES = {12: list(range(100, 140)), 7: [3, 1, 2], 30: list(range(500, 1500))}
FLAGGED = {7: [2], 30: [501, 777, 1499], 12: [139]}


def _published(*, seed=SEED, candidates=CANDIDATES, flagged=FLAGGED, n=2, bp=1000, include=True) -> dict:
    texts = {
        "candidates": sampling.canonical_groups(candidates),
        "flagged": sampling.canonical_groups(flagged),
        "params": sampling.canonical_params(
            min_per_agency=n, percent_bp=bp, include_flagged=include, scope={"agencies": sorted(candidates)}
        ),
    }
    hashes = {f"{k}_hash": sampling.sm3_hex(v.encode("ascii")) for k, v in texts.items()}
    result = sampling.sample(
        seed=seed,
        candidates=sampling.parse_groups(texts["candidates"]),
        flagged=sampling.parse_groups(texts["flagged"]),
        min_per_agency=n,
        percent_bp=bp,
        include_flagged=include,
    )
    s_hash = sampling.seed_hash(seed)
    return {
        "seed": seed,
        "seed_hash": s_hash,
        **texts,
        **hashes,
        "commitment": sampling.commitment_of(seed_hash=s_hash, **hashes),
        "result": result.canonical,
        "result_hash": result.hash,
    }


def test_canonical_forms():
    assert sampling.canonical_groups({12: [105, 101], 7: [3], 9: []}) == "7:3\n12:101,105\n"
    assert sampling.parse_groups("7:3\n12:101,105\n") == {7: [3], 12: [101, 105]}
    params = sampling.canonical_params(min_per_agency=3, percent_bp=500, include_flagged=True, scope={"b": 1, "a": [2]})
    assert params == (
        '{"algorithm":"fazhi-review-sample-v1","include_flagged":true,"min_per_agency":3,'
        '"percent_bp":500,"scope":{"a":[2],"b":1}}'
    )
    assert sampling.canonical_result([(5, 7, "random"), (2, 7, "flagged")]) == "5,7,random\n2,7,flagged\n"


def test_stratum_sizes_take_the_larger_of_n_and_p_and_never_more_than_there_are():
    assert sampling.stratum_size(3, min_per_agency=2, percent_bp=1000) == 2  # ⌈0.3⌉ = 1 < N
    assert sampling.stratum_size(40, min_per_agency=2, percent_bp=1000) == 4  # ⌈4⌉ > N
    assert sampling.stratum_size(1000, min_per_agency=2, percent_bp=1000) == 100
    assert sampling.stratum_size(41, min_per_agency=0, percent_bp=1000) == 5  # ⌈4.1⌉
    assert sampling.stratum_size(1, min_per_agency=5, percent_bp=0) == 1


def test_the_sample_is_stratified_and_adds_every_flagged_case():
    result = sampling.sample(
        seed=SEED, candidates=CANDIDATES, flagged=FLAGGED, min_per_agency=2, percent_bp=1000, include_flagged=True
    )
    by_agency = {}
    for case, agency, reason in result.rows:
        by_agency.setdefault((agency, reason), []).append(case)
    assert len(by_agency[(7, "random")]) == 2 and len(by_agency[(12, "random")]) == 4
    assert len(by_agency[(30, "random")]) == 100
    assert [a for _, a, r in result.rows if r == "random"] == sorted(a for _, a, r in result.rows if r == "random")
    cases = [c for c, _, _ in result.rows]
    assert len(cases) == len(set(cases))
    flagged_cases = {c for ids in FLAGGED.values() for c in ids}
    assert flagged_cases <= set(cases)
    assert all(c in flagged_cases for c, _, r in result.rows if r == "flagged")
    # Agencies in order, the flagged ones last, none drawn twice.
    assert [r for _, _, r in result.rows][-1] == "flagged"


def test_without_flagged_only_the_random_stratum():
    result = sampling.sample(
        seed=SEED, candidates=CANDIDATES, flagged=FLAGGED, min_per_agency=2, percent_bp=1000, include_flagged=False
    )
    assert {r for _, _, r in result.rows} == {"random"}


def test_same_input_same_sample_another_seed_another():
    a = sampling.sample(seed=SEED, candidates=CANDIDATES, min_per_agency=2, percent_bp=1000, include_flagged=False)
    b = sampling.sample(seed=SEED, candidates=CANDIDATES, min_per_agency=2, percent_bp=1000, include_flagged=False)
    c = sampling.sample(seed="a5" * 32, candidates=CANDIDATES, min_per_agency=2, percent_bp=1000, include_flagged=False)
    assert a.canonical == b.canonical and a.hash == b.hash
    assert a.canonical != c.canonical


def test_known_vector():
    """The vector docs/supervision-reviews.md gives for a re-implementation: agency 7 with cases 1–5, agency 9 with
    cases 10–13, flagged 5 and 13, N = 2, P = 10 %, seed "5a" × 32."""
    result = sampling.sample(
        seed=SEED,
        candidates={7: [1, 2, 3, 4, 5], 9: [10, 11, 12, 13]},
        flagged={7: [5], 9: [13]},
        min_per_agency=2,
        percent_bp=1000,
        include_flagged=True,
    )
    assert result.canonical == "3,7,random\n1,7,random\n11,9,random\n13,9,random\n5,7,flagged\n"
    assert result.hash == "6d7de9faf0e3a5ff14dc43eb773587f8859e9b5ef7d03386178db931de555bf6"
    assert sampling.seed_hash(SEED) == "ac060a75958f4be4c30d25b3f0948f824bbb1dd2f156c3bb52c2262ca83625ab"


def test_verify_passes_and_detects_every_change():
    published = _published()
    assert sampling.verify(published) == (True, [])
    for key, value, message in [
        ("seed", "00" * 32, "随机种子与事先公布的种子哈希不一致"),
        ("candidates", published["candidates"].replace("100,", ""), "候选案卷名录与公布的哈希不一致"),
        ("flagged", "7:1\n", "预警案卷名录与公布的哈希不一致"),
        (
            "params",
            published["params"].replace('"min_per_agency":2', '"min_per_agency":3'),
            "抽取参数与公布的哈希不一致",
        ),
        ("commitment", "0" * 64, "承诺值与各哈希不一致"),
        ("result", "1,7,random\n", "按公布的种子和名录重新抽取，结果与公布的抽取结果不一致"),
    ]:
        ok, problems = sampling.verify({**published, key: value})
        assert not ok and message in problems, (key, problems)


def test_verify_never_raises_on_garbage():
    ok, problems = sampling.verify({"seed": "xyz"})
    assert not ok and problems
    ok, problems = sampling.verify({**_published(), "params": json.dumps({"algorithm": "other"})})
    assert not ok and any("未知的抽取算法" in p or "哈希" in p for p in problems)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.integers(1, 50), st.sets(st.integers(1, 10_000), min_size=1, max_size=60), min_size=1, max_size=6
    ),
    st.integers(0, 10),
    st.integers(0, 10_000),
    st.booleans(),
)
def test_sample_properties(groups, n, bp, include):
    candidates = {a: sorted(ids) for a, ids in groups.items()}
    seen, flagged = set(), {}
    for a, ids in candidates.items():  # a case belongs to one agency
        candidates[a] = [i for i in ids if i not in seen]
        seen.update(candidates[a])
        flagged[a] = candidates[a][::3]
    result = sampling.sample(
        seed=SEED, candidates=candidates, flagged=flagged, min_per_agency=n, percent_bp=bp, include_flagged=include
    )
    cases = [c for c, _, _ in result.rows]
    assert len(cases) == len(set(cases))
    for agency, ids in candidates.items():
        drawn = [c for c, a, r in result.rows if a == agency and r == "random"]
        assert len(drawn) == sampling.stratum_size(len(ids), min_per_agency=n, percent_bp=bp)
        assert set(drawn) <= set(ids)
        if include:
            assert set(flagged[agency]) <= {c for c, a, _ in result.rows if a == agency}


def _dense_reference(seed, candidates, flagged, n, bp, include):
    """The draw as the module docstring states it, with the whole list shuffled in place (the sparse shuffle of
    `sample` must give the same)."""
    from fazhi.inspections.draw import Stream

    stream, rows, chosen = Stream(seed, sampling.DOMAIN), [], set()
    for agency in sorted(a for a, ids in candidates.items() if ids):
        ids = sorted(candidates[agency])
        k = sampling.stratum_size(len(ids), min_per_agency=n, percent_bp=bp)
        for i in range(k):
            j = i + stream.below(len(ids) - i)
            ids[i], ids[j] = ids[j], ids[i]
        rows += [(c, agency, "random") for c in ids[:k]]
        chosen.update(ids[:k])
    if include:
        for agency in sorted(flagged):
            rows += [(c, agency, "flagged") for c in sorted(flagged[agency]) if c not in chosen]
    return rows


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.integers(1, 50), st.sets(st.integers(1, 100_000), min_size=1, max_size=300), min_size=1, max_size=5
    ),
    st.integers(0, 40),
    st.integers(0, 10_000),
    st.booleans(),
    st.sampled_from(["5a" * 32, "00" * 32, "c3" * 32]),
)
def test_canonical_draw_equals_the_parsed_draw_and_the_dense_shuffle(groups, n, bp, include, seed):
    candidates, seen = {}, set()
    for a, ids in groups.items():
        candidates[a] = sorted(i for i in ids if i not in seen)
        seen.update(candidates[a])
    flagged = {a: ids[1::4] for a, ids in candidates.items() if ids[1::4]}
    texts = sampling.canonical_groups(candidates), sampling.canonical_groups(flagged)
    kwargs = {"min_per_agency": n, "percent_bp": bp, "include_flagged": include}
    parsed = sampling.sample(
        seed=seed, candidates=sampling.parse_groups(texts[0]), flagged=sampling.parse_groups(texts[1]), **kwargs
    )
    fast = sampling.sample_canonical(seed=seed, candidates=texts[0], flagged=texts[1], **kwargs)
    assert fast.rows == parsed.rows == _dense_reference(seed, candidates, flagged, n, bp, include)
    assert fast.per_agency == parsed.per_agency


def test_canonical_draw_refuses_a_flagged_case_that_is_no_candidate():
    import pytest

    with pytest.raises(sampling.SampleError):
        sampling.sample_canonical(
            seed=SEED, candidates="7:1,2,3\n", flagged="7:4\n", min_per_agency=1, percent_bp=0, include_flagged=True
        )


def test_canonical_draw_refuses_a_damaged_candidate_list():
    import pytest

    with pytest.raises(sampling.SampleError, match="格式不正确"):
        sampling.sample_canonical(
            seed=SEED, candidates="7:1,2,x3,4\n", flagged="", min_per_agency=1, percent_bp=0, include_flagged=True
        )
