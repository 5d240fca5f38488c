"""Rules of 考核评价: the numbers of the assessment and their sources, and the pure functions that turn a figure
into points, check a framework and rank a group. No I/O."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# 排名前三名、后三名分别奖励或扣减 30 分、20 分、10 分 (seeds: the city's 法治政府建设纳入年度目标考核 rule):
# the defaults of a run, configurable per run.
TOP_ADJUST = [Decimal(30), Decimal(20), Decimal(10)]
BOTTOM_ADJUST = [Decimal(-30), Decimal(-20), Decimal(-10)]
ADJUST_SOURCE = "法治政府建设纳入年度目标考核：排名前三名、后三名分别奖励或扣减30分、20分、10分"

# 申诉: a unit may appeal a published figure within this many working days (the assessment office's own rule; the
# seeds leave the number to the assessment notice, so the run keeps it configurable).
APPEAL_DAYS = 5
APPEAL_SOURCE = "考核结果公布后5个工作日内可提出申诉（考核通知约定，可按年度调整）"

# The demo framework follows the areas of the 2021 市县法治政府建设示范指标体系; its points are not public.
DEMO_SOURCE = "中央全面依法治国委员会办公室《市县法治政府建设示范指标体系》（2021年版）"
DEMO_POINTS_NOTE = "指标领域参照2021年版示范指标体系；分值为本系统演示所设，并非官方分值"

# The result notice's 文种 and the 发文机关代字 suggested for a bureau without one (it can change it on the 发文字号 page).
NOTICE_DOC_TYPE = "考核通报"
NOTICE_PREFIX = "法考"
# Who in an assessed unit receives the notice when the run is finalised: whoever reads or appeals its scores.
NOTICE_PERMISSIONS = ("assessment.view", "assessment.appeal")

GROUPS = ("区县政府", "市直部门")
LEAF_METHODS = ("computed", "manual", "bonus", "deduction", "veto")
SCORED = ("computed", "manual")  # count towards the framework total
MAX_LEVEL = 3
CENT = Decimal("0.01")

# 权重: a node's points count times its weight and the weights of every node above it (default 1, so a framework
# without weights totals its plain points). A weight is a multiplier, not a share: it must be above 0 and at most
# WEIGHT_MAX (a sanity bound — a bureau that wants an area to count double writes 2, never 100).
WEIGHT_DEFAULT = Decimal(1)
WEIGHT_MAX = Decimal(10)
WEIGHT_RULE = "指标得分按“分值×本级及各上级指标权重之积”计入总分，权重默认为1，应大于0且不超过10"


def q2(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def points_linear(value: Decimal, *, points: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """Full points at `high` or beyond, none at `low` or below, linear in between (low > high: lower is better)."""
    if high == low:
        return points if value >= high else Decimal(0)
    share = (Decimal(value) - low) / (high - low)
    share = min(max(share, Decimal(0)), Decimal(1))
    return q2(points * share)


def points_thresholds(value: Decimal, *, steps: list) -> Decimal:
    """Steps [[at_least, points], ...] (highest first): the points of the first step the value reaches."""
    for at_least, pts in sorted(((Decimal(str(a)), Decimal(str(p))) for a, p in steps), reverse=True):
        if Decimal(value) >= at_least:
            return q2(pts)
    return Decimal("0.00")


def points_for(value, *, points: Decimal, mapping: str, params: dict) -> Decimal | None:
    """A computed figure to points (None: no figure — the assessor decides, it is not scored zero)."""
    if value is None:
        return None
    if mapping == "thresholds":
        return min(points_thresholds(value, steps=params.get("steps", [])), points)
    return points_linear(
        value, points=points, low=Decimal(str(params.get("low", 0))), high=Decimal(str(params.get("high", 100)))
    )


@dataclass(frozen=True)
class NodeSpec:
    """A framework node as the checker sees it (from a form, an import row or the database)."""

    code: str
    name: str
    level: int
    parent: str  # parent code, "" for level 1
    points: Decimal
    method: str
    source: str = ""
    cap: Decimal | None = None
    row: int | None = None  # spreadsheet row, for the message
    weight: Decimal = WEIGHT_DEFAULT


@dataclass(frozen=True)
class Problem:
    message: str
    field: str
    row: int | None = None


def _where(n: NodeSpec) -> str:
    return f"第{n.row}行" if n.row else f"指标 {n.code}"


def framework_problems(
    nodes: list[NodeSpec], *, total: Decimal, known_sources: set[str], complete: bool = True
) -> list[Problem]:
    """Everything wrong with a framework: levels, parents, methods, functions that do not exist, weights, and
    points that do not add up (children to their parent, level 1 to the total; bonus / deduction / veto items
    stand apart). `complete=False` checks a draft being edited node by node: the children's points may still
    fall short of their parent (and level 1 of the total), and a group may still lack children, but they may
    never exceed it — a run is only created from a complete framework."""
    problems: list[Problem] = []
    by_code: dict[str, NodeSpec] = {}
    for n in nodes:
        if not n.code:
            problems.append(Problem(f"{_where(n)}：编号不能为空", "code", n.row))
            continue
        if n.code in by_code:
            problems.append(Problem(f"{_where(n)}：编号 {n.code} 重复", "code", n.row))
        by_code[n.code] = n
        if not n.name:
            problems.append(Problem(f"{_where(n)}：指标名称不能为空", "name", n.row))
        if not 1 <= n.level <= MAX_LEVEL:
            problems.append(Problem(f"{_where(n)}：级别应为1、2或3", "level", n.row))
        if n.points < 0:
            problems.append(Problem(f"{_where(n)}：分值不能为负数", "points", n.row))
        if not weight_ok(n.weight):
            problems.append(Problem(f"{_where(n)}：权重 {n.weight} 应大于0且不超过{WEIGHT_MAX}", "weight", n.row))
        if n.method not in ("group", *LEAF_METHODS):
            problems.append(Problem(f"{_where(n)}：评分方式“{n.method}”无效", "method", n.row))
        if n.method == "computed" and n.source not in known_sources:
            problems.append(Problem(f"{_where(n)}：计算函数“{n.source}”不存在", "source", n.row))
        if n.method in ("bonus", "deduction") and n.cap is None:
            problems.append(Problem(f"{_where(n)}：加分项、扣分项须设封顶分值", "cap", n.row))
    children: dict[str, list[NodeSpec]] = {}
    for n in nodes:
        if n.level == 1:
            if n.parent:
                problems.append(Problem(f"{_where(n)}：一级指标不能有上级", "parent", n.row))
            continue
        parent = by_code.get(n.parent)
        if parent is None:
            problems.append(Problem(f"{_where(n)}：上级指标“{n.parent}”不存在", "parent", n.row))
        elif parent.level != n.level - 1:
            problems.append(Problem(f"{_where(n)}：上级指标 {parent.code} 的级别应为{n.level - 1}级", "parent", n.row))
        else:
            children.setdefault(n.parent, []).append(n)
    for n in nodes:
        kids = [k for k in children.get(n.code, []) if k.method not in ("bonus", "deduction", "veto")]
        if complete and n.method == "group" and not children.get(n.code):
            problems.append(Problem(f"{_where(n)}：分组指标 {n.code} 没有下级指标", "method", n.row))
        if n.method != "group" and children.get(n.code):
            problems.append(Problem(f"{_where(n)}：有下级指标的 {n.code} 评分方式应为“分组”", "method", n.row))
        added = sum((k.points for k in kids), Decimal(0))
        if kids and complete and added != n.points:
            problems.append(
                Problem(f"{_where(n)}：{n.code} 的下级指标分值合计 {added} 与其分值 {n.points} 不一致", "points", n.row)
            )
        elif kids and added > n.points:
            problems.append(
                Problem(f"{_where(n)}：{n.code} 的下级指标分值合计 {added} 超过其分值 {n.points}", "points", n.row)
            )
    tops = [n for n in nodes if n.level == 1 and n.method not in ("bonus", "deduction", "veto")]
    added = sum((n.points for n in tops), Decimal(0))
    if nodes and complete and added != total:
        problems.append(Problem(f"一级指标分值合计 {added} 与总分 {total} 不一致", "points"))
    elif added > total:
        problems.append(Problem(f"一级指标分值合计 {added} 超过总分 {total}", "points"))
    return problems


def framework_gaps(nodes: list[NodeSpec], *, total: Decimal) -> list[str]:
    """What a draft still lacks before a run can use it: points not yet given out under a parent or the total."""
    out = []
    for n in nodes:
        kids = [k for k in nodes if k.parent == n.code and k.method not in ("bonus", "deduction", "veto")]
        added = sum((k.points for k in kids), Decimal(0))
        if n.method == "group" and not kids:
            out.append(f"{n.code} {n.name}：还没有下级指标")
        elif kids and added < n.points:
            out.append(f"{n.code} {n.name}：下级指标分值合计 {added}，尚差 {n.points - added} 分")
    tops = sum((n.points for n in nodes if n.level == 1 and n.method not in ("bonus", "deduction", "veto")), Decimal(0))
    if tops < total:
        out.append(f"一级指标分值合计 {tops}，距总分 {total} 尚差 {total - tops} 分")
    return out


def rank_group(totals: list[tuple[int, Decimal, bool]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; a vetoed unit goes last whatever its total."""
    ordered = sorted(totals, key=lambda t: (t[2], -t[1]))
    ranks: dict[int, int] = {}
    prev = None
    for i, (uid, total, vetoed) in enumerate(ordered, start=1):
        key = (vetoed, total)
        ranks[uid] = ranks[ordered[i - 2][0]] if prev == key else i
        prev = key
    return ranks


def adjustments(ranks: dict[int, int], *, top: list, bottom: list) -> dict[int, Decimal]:
    """Top-N and bottom-N adjustments to the annual target score. `bottom` is listed worst first (−30, −20, −10);
    a unit's place from the end is 1 + the units strictly behind it, so ties share; the top ones are never
    also counted as bottom ones in a small group."""
    out = {uid: Decimal(0) for uid in ranks}
    for uid, r in ranks.items():
        if r <= len(top):
            out[uid] = Decimal(str(top[r - 1]))
            continue
        from_end = 1 + sum(1 for other in ranks.values() if other > r)
        if from_end <= len(bottom):
            out[uid] = Decimal(str(bottom[from_end - 1]))
    return out


def weight_ok(weight) -> bool:
    return weight is not None and Decimal(0) < Decimal(weight) <= WEIGHT_MAX


def path_weights(nodes: list[tuple[int, int | None, Decimal]]) -> dict[int, Decimal]:
    """(id, parent id, weight) of every node -> the product of its weight and its ancestors' weights."""
    own = {pk: (parent, Decimal(w if w is not None else WEIGHT_DEFAULT)) for pk, parent, w in nodes}
    out: dict[int, Decimal] = {}

    def of(pk: int, depth: int = 0) -> Decimal:
        if pk in out:
            return out[pk]
        parent, w = own[pk]
        up = of(parent, depth + 1) if parent in own and depth <= MAX_LEVEL else Decimal(1)
        out[pk] = w * up
        return out[pk]

    for pk in own:
        of(pk)
    return out


def total_points(
    *,
    scored: list[Decimal | tuple[Decimal | None, Decimal] | None],
    bonus: list[tuple[Decimal, Decimal] | tuple[Decimal, Decimal, Decimal]],
    deduction: list[tuple[Decimal, Decimal] | tuple[Decimal, Decimal, Decimal]],
) -> Decimal:
    """Scored leaves plus bonus items (each up to its cap) minus deduction items (each up to its cap), each
    times its path weight (`WEIGHT_RULE`; an item given without a weight counts with weight 1). Rounded once,
    at the end, to the cent."""

    base = Decimal(0)
    for item in scored:
        p, weight = item if isinstance(item, tuple) else (item, Decimal(1))
        if p is not None:
            base += p * weight
    plus = sum((min(i[0], i[1]) * (i[2] if len(i) > 2 else 1) for i in bonus), Decimal(0))
    minus = sum((min(i[0], i[1]) * (i[2] if len(i) > 2 else 1) for i in deduction), Decimal(0))
    return q2(base + plus - minus)


def weighted_full_marks(leaves: list[tuple[str, Decimal, Decimal]]) -> Decimal:
    """(method, points, path weight) of every leaf -> the most a unit can score before bonus items."""
    return q2(sum((p * w for m, p, w in leaves if m in SCORED), Decimal(0)))


def appeal_open(*, today, until) -> bool:
    """An appeal may be filed up to and including the last day of the period."""
    return until is not None and today <= until
