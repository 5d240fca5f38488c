"""The verifiable 双随机 draw (algorithm "fazhi-draw-v1", and "fazhi-draw-joint-v1" for 跨部门联合抽查, see
`draw_joint`). Pure: no database, no clock, no I/O.

Anyone holding the published seed and frozen lists can re-run `draw()` and must obtain the same result;
docs/inspections.md describes the algorithm in prose so that a third party can re-implement it.

Inputs (all canonical, see `canonical_*`):
- seed: 32 random bytes, published as 64 lowercase hex characters, kept secret until the draw;
- candidates: (enterprise id, risk level) pairs, sorted by id; the frozen list of eligible enterprises
  (recently inspected enterprises are already left out when the list is frozen);
- inspectors: officer ids, sorted; the available, certified officers of the agency's pool;
- conflicts: (officer id, enterprise id) pairs, sorted; declared conflicts of interest;
- params: proportions per risk level in basis points (10000 = 100 %) and inspectors per enterprise (≥ 2),
  and (since the object scope exists) "scope": the definition of the candidate list — per inspection item its
  GB/T 4754 industry prefixes and risk levels (empty = not restricted); a candidate is inside every item's
  scope. Committed with the rest, so the scope cannot be changed after the commitment; `verify` checks the
  candidates' risk levels against it, and `fazhi draw verify <id>` also their industries in the directory.

Randomness: an SM3 counter-mode stream. Block i = SM3(seed ‖ "fazhi-draw-v1" ‖ i as 8-byte big-endian),
i = 0, 1, 2, …; each 32-byte block gives four 64-bit big-endian unsigned integers, used in order. A number
below n is taken by rejection: an integer x ≥ ⌊2⁶⁴ / n⌋·n is discarded, else the result is x mod n.
"""

import hashlib
import json
import math
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

ALGORITHM = "fazhi-draw-v1"
DOMAIN = ALGORITHM.encode("ascii")
MIN_PER_ENTERPRISE = 2
FULL = 10000  # basis points: 100 %
_BLOCKS_PER_REFILL = 512


class DrawError(ValueError):
    """Bad input to the draw; the message is Chinese and meant for the user. Nothing is drawn."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


# ---------------------------------------------------------------- canonical serialisations


def canonical_candidates(candidates: Iterable[tuple[int, str]]) -> str:
    """One line per enterprise, "id,level\\n", ids ascending (the caller's order is not trusted)."""
    return "".join(f"{eid},{level}\n" for eid, level in sorted(candidates))


def canonical_inspectors(inspectors: Iterable[int]) -> str:
    return "".join(f"{oid}\n" for oid in sorted(inspectors))


def canonical_conflicts(conflicts: Iterable[tuple[int, int]]) -> str:
    """One line per declared conflict, "officer_id,enterprise_id\\n", sorted by officer then enterprise."""
    return "".join(f"{o},{e}\n" for o, e in sorted(set(conflicts)))


def _canonical_scope(scope: Sequence[dict]) -> list[dict]:
    return sorted(
        (
            {
                "industries": sorted(str(c) for c in s["industries"]),
                "item": int(s["item"]),
                "risk_levels": sorted(str(level) for level in s["risk_levels"]),
            }
            for s in scope
        ),
        key=lambda s: s["item"],
    )


def canonical_params(*, proportions: dict[str, int], per_enterprise: int, scope: Sequence[dict] | None = None) -> str:
    """JSON with sorted keys and no spaces; proportions in basis points (integers, no floats). `scope` (the
    candidate list's definition) is left out when None, as in draws committed before it existed."""
    params: dict = {
        "algorithm": ALGORITHM,
        "per_enterprise": int(per_enterprise),
        "proportions": {str(k): int(v) for k, v in proportions.items()},
    }
    if scope is not None:
        params["scope"] = _canonical_scope(scope)
    return json.dumps(
        params,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )


def canonical_result(result: Sequence[dict]) -> str:
    """One line per drawn enterprise in draw order: "enterprise,level,officer;officer\\n"."""
    return "".join(f"{r['enterprise']},{r['level']},{';'.join(str(o) for o in r['inspectors'])}\n" for r in result)


def parse_candidates(text: str) -> list[tuple[int, str]]:
    return [(int(eid), level) for eid, _, level in (line.partition(",") for line in text.splitlines() if line)]


def parse_inspectors(text: str) -> list[int]:
    return [int(line) for line in text.splitlines() if line]


def parse_conflicts(text: str) -> list[tuple[int, int]]:
    out = []
    for line in text.splitlines():
        if line:
            o, e = line.split(",", 1)
            out.append((int(o), int(e)))
    return out


def seed_hash(seed_hex: str) -> str:
    """SM3 of the 32 seed bytes (not of the hex text)."""
    return sm3_hex(_seed_bytes(seed_hex))


def commitment_of(
    *,
    seed_hash: str,
    candidates_hash: str,
    inspectors_hash: str,
    conflicts_hash: str,
    params_hash: str,
    algorithm: str = ALGORITHM,
) -> str:
    """The single value published before the draw: SM3 of the algorithm name and the five hashes, one per
    line, in this order (the joint draw uses the same scheme under its own name)."""
    text = f"{algorithm}\n{seed_hash}\n{candidates_hash}\n{inspectors_hash}\n{conflicts_hash}\n{params_hash}\n"
    return sm3_hex(text.encode("ascii"))


def _seed_bytes(seed_hex: str) -> bytes:
    text = (seed_hex or "").strip().lower()
    if len(text) != 64:
        raise DrawError("随机种子应为 64 位十六进制字符", field="seed")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise DrawError("随机种子应为 64 位十六进制字符", field="seed") from None


# ---------------------------------------------------------------- the random stream


class Stream:
    """SM3 counter-mode stream of 64-bit integers (see module docstring)."""

    def __init__(self, seed_hex: str, domain: bytes = DOMAIN):
        self._base = hashlib.new("sm3", _seed_bytes(seed_hex) + domain)
        self._counter = 0
        self._buf = array("Q")
        self._pos = 0

    def _refill(self) -> None:
        base, start = self._base, self._counter
        chunks = []
        for i in range(start, start + _BLOCKS_PER_REFILL):
            h = base.copy()
            h.update(i.to_bytes(8, "big"))
            chunks.append(h.digest())
        self._counter = start + _BLOCKS_PER_REFILL
        buf = array("Q", b"".join(chunks))
        if sys.byteorder == "little":
            buf.byteswap()
        self._buf, self._pos = buf, 0

    def next64(self) -> int:
        if self._pos >= len(self._buf):
            self._refill()
        x = self._buf[self._pos]
        self._pos += 1
        return x

    def below(self, n: int) -> int:
        """A uniform integer in [0, n) by rejection sampling (no modulo bias)."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = ((1 << 64) // n) * n
        while True:
            x = self.next64()
            if x < limit:
                return x % n


# ---------------------------------------------------------------- the draw


@dataclass
class DrawResult:
    rows: list[dict] = field(default_factory=list)  # {"enterprise", "level", "inspectors"} in draw order
    per_level: dict[str, dict] = field(default_factory=dict)  # level -> {"candidates", "selected"}

    @cached_property
    def canonical(self) -> str:
        return canonical_result(self.rows)

    @cached_property
    def hash(self) -> str:
        return sm3_hex(self.canonical.encode("ascii"))


def quota(count: int, basis_points: int) -> int:
    """How many of `count` candidates a proportion selects: ⌈count × bp / 10000⌉ (integer arithmetic)."""
    return (count * basis_points + FULL - 1) // FULL


def check_params(*, proportions: dict[str, int], per_enterprise: int) -> None:
    for level, bp in proportions.items():
        if not isinstance(bp, int) or bp < 0 or bp > FULL:
            raise DrawError(f"风险等级“{level}”的抽取比例应在 0%–100% 之间", field="proportions")
    if not isinstance(per_enterprise, int) or per_enterprise < MIN_PER_ENTERPRISE:
        raise DrawError(f"每户检查人员不得少于 {MIN_PER_ENTERPRISE} 名", field="per_enterprise")


def draw(
    *,
    seed: str,
    candidates: Sequence[tuple[int, str]],
    inspectors: Sequence[int],
    conflicts: Iterable[tuple[int, int]],
    proportions: dict[str, int],
    per_enterprise: int = MIN_PER_ENTERPRISE,
) -> DrawResult:
    """Run the draw. Raises DrawError (and returns nothing) when it cannot be carried out as required."""
    check_params(proportions=proportions, per_enterprise=per_enterprise)
    pool = sorted(set(inspectors))
    if not pool:
        raise DrawError("检查人员库为空：请先将持有效执法证的人员加入检查人员库", field="inspectors")
    if len(pool) < per_enterprise:
        raise DrawError(
            f"检查人员不足：每户须至少 {per_enterprise} 名检查人员，库中可用人员仅 {len(pool)} 名", field="inspectors"
        )
    stream = Stream(seed)
    result = DrawResult()
    selected = _select_objects(stream, candidates, proportions, result)

    # Step 2 — inspectors: for each selected enterprise in draw order, `per_enterprise` times, pick uniformly
    # among the least-loaded inspectors (see `_Buckets`), skipping those in conflict or already chosen.
    blocked: dict[int, set[int]] = {}
    for officer, enterprise in conflicts:
        blocked.setdefault(enterprise, set()).add(officer)
    buckets = _Buckets(pool)
    empty: set[int] = set()
    for eid, level in selected:
        chosen: list[int] = []
        conflict = blocked.get(eid, empty)
        for _ in range(per_enterprise):
            officer = buckets.pick(stream, conflict, chosen)
            if officer is None:
                raise DrawError(
                    f"企业（id={eid}）可派检查人员不足 {per_enterprise} 名：其余人员均已申报利害关系，请补充检查人员库",
                    field="inspectors",
                )
            chosen.append(officer)
        result.rows.append({"enterprise": eid, "level": level, "inspectors": chosen})
    return result


def _select_objects(
    stream: Stream, candidates: Sequence[tuple[int, str]], proportions: dict[str, int], result: DrawResult
) -> list[tuple[int, str]]:
    """Step 1 — objects: per risk level (levels in ascending code order), a partial Fisher–Yates shuffle
    of that level's ids (ascending) selects the first k = quota(n, bp) positions, in draw order."""
    by_level: dict[str, list[int]] = {}
    for eid, level in sorted(candidates):
        by_level.setdefault(level, []).append(eid)
    selected: list[tuple[int, str]] = []
    for level in sorted(by_level):
        ids = by_level[level]
        n = len(ids)
        k = quota(n, proportions.get(level, 0))
        below = stream.below
        for i in range(k):
            j = i + below(n - i)
            ids[i], ids[j] = ids[j], ids[i]
        selected.extend((eid, level) for eid in ids[:k])
        result.per_level[level] = {"candidates": n, "selected": k}
    return selected


class _Buckets:
    """Inspectors grouped by load (number of enterprises assigned so far in this draw).

    bucket[0] starts as the sorted pool. To pick: take the lowest non-empty bucket b (loads ascending),
    j = below(len(b)), remove b[j] by moving the last element of b into position j ("swap-remove").
    If that inspector may not serve (conflict, or already chosen for this enterprise) it is set aside and
    the pick repeats (still lowest bucket first). When one is accepted it is appended to bucket[load+1],
    then the set-aside inspectors are appended back to their own buckets in the order they were set aside.
    """

    def __init__(self, pool: list[int]):
        self.buckets: list[list[int]] = [list(pool), []]
        self.low = 0

    def pick(self, stream: Stream, conflict: set[int], chosen: list[int]) -> int | None:
        aside: list[tuple[int, int]] = []
        buckets = self.buckets
        load = self.low
        accepted = None
        while load < len(buckets):
            b = buckets[load]
            if not b:
                load += 1
                continue
            j = stream.below(len(b))
            x = b[j]
            b[j] = b[-1]
            b.pop()
            if x in conflict or x in chosen:
                aside.append((load, x))
                continue
            accepted = x
            if load + 1 == len(buckets):
                buckets.append([])
            buckets[load + 1].append(x)
            break
        for lo, y in aside:
            buckets[lo].append(y)
        while self.low < len(buckets) and not buckets[self.low]:
            self.low += 1
        return accepted


# ---------------------------------------------------------------- the joint draw (跨部门联合抽查)

JOINT_ALGORITHM = "fazhi-draw-joint-v1"


def canonical_joint_inspectors(inspectors: Iterable[tuple[int, int]]) -> str:
    """One line per inspector, "officer_id,agency_id\n", officer ids ascending."""
    return "".join(f"{oid},{aid}\n" for oid, aid in sorted(set(inspectors)))


def parse_joint_inspectors(text: str) -> list[tuple[int, int]]:
    out = []
    for line in text.splitlines():
        if line:
            o, a = line.split(",", 1)
            out.append((int(o), int(a)))
    return out


def canonical_joint_params(
    *,
    proportions: dict[str, int],
    per_enterprise: int,
    agencies: Iterable[int],
    lead: int,
    scope: Sequence[dict] | None = None,
) -> str:
    """As `canonical_params`, plus the participating agency ids (ascending) and the lead agency id."""
    params: dict = {
        "agencies": sorted({int(a) for a in agencies}),
        "algorithm": JOINT_ALGORITHM,
        "lead": int(lead),
        "per_enterprise": int(per_enterprise),
        "proportions": {str(k): int(v) for k, v in proportions.items()},
    }
    if scope is not None:
        params["scope"] = _canonical_scope(scope)
    return json.dumps(
        params,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )


def joint_slots(*, agencies: Sequence[int], lead: int, per_enterprise: int) -> list[int]:
    """The agency of each inspector slot of one enterprise: every agency once (ascending id), then the extra
    slots in turn over [lead, the others ascending]."""
    order = [lead] + [a for a in sorted(agencies) if a != lead]
    extra = per_enterprise - len(order)
    return sorted(agencies) + [order[j % len(order)] for j in range(max(0, extra))]


def draw_joint(
    *,
    seed: str,
    candidates: Sequence[tuple[int, str]],
    inspectors: Sequence[tuple[int, int]],
    conflicts: Iterable[tuple[int, int]],
    proportions: dict[str, int],
    per_enterprise: int,
    agencies: Sequence[int],
    lead: int,
) -> DrawResult:
    """The joint draw: step 1 as `draw`, step 2 with one `_Buckets` per agency, each enterprise receiving at
    least one inspector of every participating agency. Raises DrawError when that cannot be done."""
    check_params(proportions=proportions, per_enterprise=per_enterprise)
    agencies = sorted(set(agencies))
    if len(agencies) < 2 or lead not in agencies:
        raise DrawError("联合抽查须有两个以上参与部门，且牵头部门须为参与部门之一", field="agencies")
    if per_enterprise < len(agencies):
        raise DrawError(f"联合抽查每户检查人员不得少于参与部门数（{len(agencies)} 名）", field="per_enterprise")
    pools: dict[int, list[int]] = {a: [] for a in agencies}
    for officer, agency in sorted(set(inspectors)):
        if agency not in pools:
            raise DrawError(f"检查人员（id={officer}）所属部门（id={agency}）不是联合抽查参与部门", field="inspectors")
        pools[agency].append(officer)
    slots = joint_slots(agencies=agencies, lead=lead, per_enterprise=per_enterprise)
    for agency in agencies:
        need = slots.count(agency)
        if len(pools[agency]) < need:
            raise DrawError(
                f"部门（id={agency}）检查人员不足：每户须 {need} 名，库中可用人员仅 {len(pools[agency])} 名",
                field="inspectors",
            )
    stream = Stream(seed, JOINT_ALGORITHM.encode("ascii"))
    result = DrawResult()
    selected = _select_objects(stream, candidates, proportions, result)
    blocked: dict[int, set[int]] = {}
    for officer, enterprise in conflicts:
        blocked.setdefault(enterprise, set()).add(officer)
    buckets = {a: _Buckets(pools[a]) for a in agencies}
    empty: set[int] = set()
    for eid, level in selected:
        chosen: list[int] = []
        conflict = blocked.get(eid, empty)
        for agency in slots:
            officer = buckets[agency].pick(stream, conflict, chosen)
            if officer is None:
                raise DrawError(
                    f"企业（id={eid}）可派部门（id={agency}）检查人员不足：其余人员均已申报利害关系，请补充检查人员库",
                    field="inspectors",
                )
            chosen.append(officer)
        result.rows.append({"enterprise": eid, "level": level, "inspectors": chosen})
    return result


# ---------------------------------------------------------------- verification


def params_from(published: dict) -> tuple[dict[str, int], int]:
    params = json.loads(published["params"])
    return {k: int(v) for k, v in params["proportions"].items()}, int(params["per_enterprise"])


def verify(published: dict) -> tuple[bool, list[str]]:
    """Check a published draw: every hash, the commitment, and a re-run of the draw. Never raises.

    `published` holds: seed, seed_hash, candidates, candidates_hash, inspectors, inspectors_hash, conflicts,
    conflicts_hash, params, params_hash, commitment, result (canonical text), result_hash.
    """
    problems: list[str] = []
    try:
        checks = [
            ("seed_hash", seed_hash(published["seed"]), "随机种子与事先公布的种子哈希不一致"),
            ("candidates_hash", sm3_hex(published["candidates"].encode("ascii")), "抽查对象名录与公布的哈希不一致"),
            ("inspectors_hash", sm3_hex(published["inspectors"].encode("ascii")), "检查人员名录与公布的哈希不一致"),
            ("conflicts_hash", sm3_hex(published["conflicts"].encode("ascii")), "利害关系申报清单与公布的哈希不一致"),
            ("params_hash", sm3_hex(published["params"].encode("ascii")), "抽取参数与公布的哈希不一致"),
        ]
        for key, actual, message in checks:
            if actual != published.get(key):
                problems.append(message)
        params = json.loads(published["params"])
        algorithm = params.get("algorithm", ALGORITHM)
        expected_commitment = commitment_of(
            seed_hash=published.get("seed_hash", ""),
            candidates_hash=published.get("candidates_hash", ""),
            inspectors_hash=published.get("inspectors_hash", ""),
            conflicts_hash=published.get("conflicts_hash", ""),
            params_hash=published.get("params_hash", ""),
            algorithm=algorithm,
        )
        if expected_commitment != published.get("commitment"):
            problems.append("承诺值与各哈希不一致")
        for scope in params.get("scope") or []:
            levels = set(scope["risk_levels"])
            outside = [
                eid for eid, level in parse_candidates(published["candidates"]) if levels and level not in levels
            ]
            if outside:
                problems.append(f"抽查对象名录中的对象 {outside[0]} 的风险等级不在承诺的抽查对象范围内")
        proportions, per_enterprise = params_from(published)
        if algorithm == JOINT_ALGORITHM:
            rerun = draw_joint(
                seed=published["seed"],
                candidates=parse_candidates(published["candidates"]),
                inspectors=parse_joint_inspectors(published["inspectors"]),
                conflicts=parse_conflicts(published["conflicts"]),
                proportions=proportions,
                per_enterprise=per_enterprise,
                agencies=[int(a) for a in params["agencies"]],
                lead=int(params["lead"]),
            )
        elif algorithm == ALGORITHM:
            rerun = draw(
                seed=published["seed"],
                candidates=parse_candidates(published["candidates"]),
                inspectors=parse_inspectors(published["inspectors"]),
                conflicts=parse_conflicts(published["conflicts"]),
                proportions=proportions,
                per_enterprise=per_enterprise,
            )
        else:
            raise DrawError(f"未知的抽取算法“{algorithm}”", field="algorithm")
        if rerun.canonical != published.get("result"):
            problems.append("按公布的种子和名录重新抽取，结果与公布的抽取结果不一致")
        if rerun.hash != published.get("result_hash"):
            problems.append("抽取结果与公布的结果哈希不一致")
    except DrawError as exc:
        problems.append(f"无法重新抽取：{exc.message}")
    except (KeyError, ValueError, TypeError, AttributeError, UnicodeEncodeError) as exc:
        problems.append(f"公布的数据不完整或格式错误：{type(exc).__name__}")
    return not problems, problems


def percent_to_bp(value) -> int:
    """12.5 (percent) → 1250 basis points; rejects NaN and anything outside 0–100 %."""
    number = float(value)
    if math.isnan(number) or number < 0 or number > 100:
        raise DrawError("抽取比例应在 0%–100% 之间", field="proportions")
    return round(number * 100)
