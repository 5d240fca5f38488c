"""The verifiable sample of a case-file review campaign (algorithm "fazhi-review-sample-v1"). Pure: no database,
no clock, no I/O.

It uses the commitment scheme of the 双随机 draws (fazhi.inspections.draw): SM3 of a secret seed and of the frozen
lists is published first, the draw follows, then the seed; anyone holding the published data re-runs `sample()` and
must obtain the same list. docs/supervision-reviews.md describes the algorithm in prose for a third party.

Inputs (canonical, see `canonical_*`):
- seed: 32 random bytes, published as 64 lowercase hex characters, secret until the draw;
- candidates: per agency (registry.Agency id) the ids of the cases in the campaign's scope (decided in the period,
  of the rubric's case type and the chosen procedures), one line per agency "agency:id,id,…\\n", agencies ascending,
  ids ascending, agencies without a candidate omitted;
- flagged: the same form, the candidates whose statutory checks found an error when the list was frozen;
- params: JSON with sorted keys and no spaces: the algorithm, `min_per_agency` (N), `percent_bp` (P in basis points,
  10000 = 100 %), `include_flagged`, and `scope` (what the candidate list was taken from, so that it cannot be
  changed after the commitment).

Commitment = SM3 of "fazhi-review-sample-v1\\n" + seed hash + "\\n" + candidates hash + "\\n" + flagged hash + "\\n" +
params hash + "\\n" (each hash 64 lowercase hex characters; the seed hash is SM3 of the 32 seed bytes).

Draw: the SM3 counter-mode stream of fazhi.inspections.draw (`Stream`) with the domain "fazhi-review-sample-v1": block
i = SM3(seed ‖ "fazhi-review-sample-v1" ‖ i as 8-byte big-endian); each block gives four 64-bit big-endian integers;
a number below n is taken by rejection (x ≥ ⌊2⁶⁴ / n⌋·n is discarded, else x mod n).
1. For each agency in ascending id order, with n candidates: k = min(n, max(N, ⌈n × P / 10000⌉)); a partial
   Fisher–Yates shuffle of its ids (ascending) — for i = 0 … k−1: j = i + below(n − i), swap positions i and j —
   selects positions 0 … k−1, in that order (reason "random").
2. With `include_flagged`: for each agency in ascending id order, its flagged ids not already selected, ascending
   (reason "flagged"). No randomness.
Result: one line per selected case in that order, "case,agency,reason\\n"; its SM3 is the result hash.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from fazhi.inspections.draw import FULL, DrawError, Stream, quota, seed_hash, sm3_hex

ALGORITHM = "fazhi-review-sample-v1"
DOMAIN = ALGORITHM.encode("ascii")
REASONS = {"random": "随机抽取", "flagged": "法定校验预警"}

__all__ = [
    "ALGORITHM",
    "SampleError",
    "SampleResult",
    "canonical_groups",
    "canonical_params",
    "canonical_result",
    "commitment_of",
    "parse_groups",
    "sample",
    "sample_canonical",
    "seed_hash",
    "sm3_hex",
    "stratum_size",
    "verify",
]


class SampleError(DrawError):
    """Bad input to the sample; the message is Chinese and meant for the user. Nothing is drawn."""


# ---------------------------------------------------------------- canonical texts


def canonical_groups(groups: Mapping[int, Sequence[int]]) -> str:
    """ "agency:id,id,…\\n" per agency with at least one id; agencies ascending, ids ascending (the caller's order is
    not trusted)."""
    lines = []
    for agency in sorted(groups):
        ids = sorted(groups[agency])
        if ids:
            lines.append(f"{int(agency)}:{','.join(map(str, ids))}\n")
    return "".join(lines)


def parse_groups(text: str) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for line in text.splitlines():
        if not line:
            continue
        agency, _, ids = line.partition(":")
        out[int(agency)] = list(map(int, ids.split(","))) if ids else []
    return out


def canonical_params(*, min_per_agency: int, percent_bp: int, include_flagged: bool, scope: Mapping) -> str:
    return json.dumps(
        {
            "algorithm": ALGORITHM,
            "include_flagged": bool(include_flagged),
            "min_per_agency": int(min_per_agency),
            "percent_bp": int(percent_bp),
            "scope": scope,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )


def canonical_result(rows: Sequence[tuple[int, int, str]]) -> str:
    return "".join(f"{case},{agency},{reason}\n" for case, agency, reason in rows)


def parse_result(text: str) -> list[tuple[int, int, str]]:
    out = []
    for line in text.splitlines():
        if line:
            case, agency, reason = line.split(",", 2)
            out.append((int(case), int(agency), reason))
    return out


def commitment_of(*, seed_hash: str, candidates_hash: str, flagged_hash: str, params_hash: str) -> str:
    text = f"{ALGORITHM}\n{seed_hash}\n{candidates_hash}\n{flagged_hash}\n{params_hash}\n"
    return sm3_hex(text.encode("ascii"))


# ---------------------------------------------------------------- the draw


def stratum_size(n: int, *, min_per_agency: int, percent_bp: int) -> int:
    """Files drawn at random from an agency with n candidates: max(N, ⌈n × P⌉), never more than n."""
    return min(n, max(min_per_agency, quota(n, percent_bp)))


@dataclass
class SampleResult:
    rows: list[tuple[int, int, str]] = field(default_factory=list)  # (case, agency, reason) in draw order
    per_agency: dict[int, dict] = field(default_factory=dict)  # agency -> {"candidates", "random", "flagged"}

    @cached_property
    def canonical(self) -> str:
        return canonical_result(self.rows)

    @cached_property
    def hash(self) -> str:
        return sm3_hex(self.canonical.encode("ascii"))


def _check(*, min_per_agency: int, percent_bp: int) -> None:
    if not isinstance(min_per_agency, int) or min_per_agency < 0:
        raise SampleError("每个单位至少抽取的案卷数应为非负整数", field="min_per_agency")
    if not isinstance(percent_bp, int) or not 0 <= percent_bp <= FULL:
        raise SampleError("抽取比例应在 0%–100% 之间", field="percent")


def _shuffled_positions(below, n: int, k: int) -> list[int]:
    """Positions 0 … k−1 after the partial Fisher–Yates shuffle of 0 … n−1 (module docstring), keeping only the
    swapped positions: k draws cost k steps however many candidates there are."""
    moved: dict[int, int] = {}
    for i in range(k):
        j = i + below(n - i)
        at_i, at_j = moved.get(i, i), moved.get(j, j)
        moved[i], moved[j] = at_j, at_i
    return [moved.get(i, i) for i in range(k)]


def sample(
    *,
    seed: str,
    candidates: Mapping[int, Sequence[int]],
    flagged: Mapping[int, Sequence[int]] | None = None,
    min_per_agency: int,
    percent_bp: int,
    include_flagged: bool,
) -> SampleResult:
    """Draw the sample (see the module docstring). Raises SampleError when the input cannot be drawn from."""
    groups = {agency: sorted(ids) for agency, ids in candidates.items() if ids}
    sets: dict[int, set[int]] = {}

    def contains(agency: int, case: int) -> bool:
        if agency not in sets:
            sets[agency] = set(groups.get(agency, ()))
        return case in sets[agency]

    return _sample(
        seed=seed,
        groups={agency: (len(ids), ids.__getitem__) for agency, ids in groups.items()},
        contains=contains,
        flagged={agency: sorted(ids) for agency, ids in (flagged or {}).items()},
        min_per_agency=min_per_agency,
        percent_bp=percent_bp,
        include_flagged=include_flagged,
    )


def _id_array(ids: str):
    """ "1,2,3" as an int64 array; a damaged list is refused, not read in part."""
    import warnings

    import numpy as np

    with warnings.catch_warnings():
        # numpy stops at the first bad number with a DeprecationWarning (an error in later versions): make it one.
        warnings.simplefilter("error", DeprecationWarning)
        try:
            parsed = np.fromstring(ids, dtype=np.int64, sep=",")
        except (ValueError, DeprecationWarning):
            parsed = None
    if parsed is None or len(parsed) != ids.count(",") + 1:
        raise SampleError("候选案卷名录格式不正确（未进行抽取）", field="candidates")
    return parsed


def sample_canonical(
    *, seed: str, candidates: str, flagged: str = "", min_per_agency: int, percent_bp: int, include_flagged: bool
) -> SampleResult:
    """`sample()` over the canonical texts as frozen (`canonical_groups`: agencies and ids ascending), without building
    a Python object per candidate: each agency's ids are read into one int64 array (numpy parses the text in C), so a
    million candidates cost a few tens of milliseconds, not a million strings and the garbage collector's passes over
    them. The same result as `sample(parse_groups(…))` for canonical texts (test_sampling checks both); `verify` keeps
    the parsing path, which re-sorts whatever it is given."""
    import numpy as np

    lines: dict[int, np.ndarray] = {}
    for line in candidates.splitlines():
        if line:
            agency, _, ids = line.partition(":")
            if ids:
                lines[int(agency)] = _id_array(ids)

    def at(parts):
        return lambda p: int(parts[p])

    def contains(agency: int, case: int) -> bool:
        parts = lines.get(agency)
        if parts is None:
            return False
        i = int(np.searchsorted(parts, case))
        return i < len(parts) and int(parts[i]) == case

    return _sample(
        seed=seed,
        groups={agency: (len(parts), at(parts)) for agency, parts in lines.items()},
        contains=contains,
        flagged=parse_groups(flagged),
        min_per_agency=min_per_agency,
        percent_bp=percent_bp,
        include_flagged=include_flagged,
    )


def _sample(*, seed, groups, contains, flagged, min_per_agency, percent_bp, include_flagged) -> SampleResult:
    """The draw over per-agency (n, id at ascending position) pairs; `contains(agency, case)` tells a candidate."""
    _check(min_per_agency=min_per_agency, percent_bp=percent_bp)
    stream = Stream(seed, DOMAIN)
    below = stream.below
    result = SampleResult()
    chosen: set[int] = set()
    for agency in sorted(groups):
        n, id_at = groups[agency]
        k = stratum_size(n, min_per_agency=min_per_agency, percent_bp=percent_bp)
        picked = [id_at(p) for p in _shuffled_positions(below, n, k)]
        result.rows.extend((case, agency, "random") for case in picked)
        chosen.update(picked)
        result.per_agency[agency] = {"candidates": n, "random": k, "flagged": 0}
    if include_flagged and flagged:
        for agency in sorted(flagged):
            extra = [case for case in sorted(flagged[agency]) if case not in chosen]
            if extra and not all(contains(agency, case) for case in extra):
                raise SampleError(f"单位（id={agency}）的预警案卷不在候选名录中", field="flagged")
            result.rows.extend((case, agency, "flagged") for case in extra)
            chosen.update(extra)
            if extra:
                known = groups.get(agency, (0, None))[0]
                result.per_agency.setdefault(agency, {"candidates": known, "random": 0, "flagged": 0})
                result.per_agency[agency]["flagged"] = len(extra)
    return result


# ---------------------------------------------------------------- verification


def verify(published: Mapping) -> tuple[bool, list[str]]:
    """Check a drawn sample: every hash, the commitment, and a re-run of the draw. Never raises.

    `published` holds: seed, seed_hash, candidates, candidates_hash, flagged, flagged_hash, params, params_hash,
    commitment, result (canonical text), result_hash.
    """
    problems: list[str] = []
    try:
        checks = [
            ("seed_hash", seed_hash(published["seed"]), "随机种子与事先公布的种子哈希不一致"),
            ("candidates_hash", sm3_hex(published["candidates"].encode("ascii")), "候选案卷名录与公布的哈希不一致"),
            ("flagged_hash", sm3_hex(published["flagged"].encode("ascii")), "预警案卷名录与公布的哈希不一致"),
            ("params_hash", sm3_hex(published["params"].encode("ascii")), "抽取参数与公布的哈希不一致"),
        ]
        for key, actual, message in checks:
            if actual != published.get(key):
                problems.append(message)
        expected = commitment_of(
            seed_hash=published.get("seed_hash", ""),
            candidates_hash=published.get("candidates_hash", ""),
            flagged_hash=published.get("flagged_hash", ""),
            params_hash=published.get("params_hash", ""),
        )
        if expected != published.get("commitment"):
            problems.append("承诺值与各哈希不一致")
        params = json.loads(published["params"])
        if params.get("algorithm") != ALGORITHM:
            raise SampleError(f"未知的抽取算法“{params.get('algorithm')}”", field="algorithm")
        rerun = sample(
            seed=published["seed"],
            candidates=parse_groups(published["candidates"]),
            flagged=parse_groups(published["flagged"]),
            min_per_agency=int(params["min_per_agency"]),
            percent_bp=int(params["percent_bp"]),
            include_flagged=bool(params["include_flagged"]),
        )
        if rerun.canonical != published.get("result"):
            problems.append("按公布的种子和名录重新抽取，结果与公布的抽取结果不一致")
        if rerun.hash != published.get("result_hash"):
            problems.append("抽取结果与公布的结果哈希不一致")
    except DrawError as exc:
        problems.append(f"无法重新抽取：{exc.message}")
    except (KeyError, ValueError, TypeError, AttributeError, UnicodeEncodeError) as exc:
        problems.append(f"公布的数据不完整或格式错误：{type(exc).__name__}")
    return not problems, problems
