"""Reads of 考核评价, each applying the viewer's scope: a unit sees its own scores (published runs only), an
assessor the units his scope reaches, a leader everything."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet

from fazhi.assessment.scoring import indicators, rules
from fazhi.assessment.scoring.models import Appeal, AssessmentRun, Framework, Indicator, RunUnit, Score
from fazhi.assessment.scoring.permissions import is_assessor, sees_internal
from fazhi.core.errors import NotFound
from fazhi.core.scope import scope_q, user_data_scope


def _pk(value) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**62 else None


# ---------------------------------------------------------------- frameworks


def framework_list(*, q: str = "") -> QuerySet[Framework]:
    qs = Framework.objects.annotate(n=Count("indicators"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(year__icontains=q))
    return qs.order_by("-year")


def framework_get(*, user, pk) -> Framework:
    pk = _pk(pk)
    if pk is None or not (is_assessor(user) or sees_internal(user)):
        raise NotFound()
    fw = Framework.objects.filter(pk=pk).first()
    if fw is None:
        raise NotFound()
    return fw


def indicator_get(*, user, pk) -> Indicator:
    pk = _pk(pk)
    if pk is None or not (is_assessor(user) or sees_internal(user)):
        raise NotFound()
    node = Indicator.objects.filter(pk=pk).select_related("framework", "parent").first()
    if node is None:
        raise NotFound()
    return node


def framework_tree(*, framework) -> list[Indicator]:
    """The nodes in tree order (depth first), each with `path_weight`: its weight times its ancestors' (what its
    points count for in a unit's total, `rules.WEIGHT_RULE`)."""
    nodes = list(framework.indicators.all())
    weights = rules.path_weights([(n.pk, n.parent_id, n.weight) for n in nodes])
    for n in nodes:
        n.path_weight = weights[n.pk]
    kids: dict[int | None, list[Indicator]] = {}
    for n in nodes:
        kids.setdefault(n.parent_id, []).append(n)
    out: list[Indicator] = []

    def walk(parent_id):
        for n in sorted(kids.get(parent_id, []), key=lambda x: (x.sort_order, x.pk)):
            out.append(n)
            walk(n.pk)

    walk(None)
    return out


def framework_weights(*, framework_id: int) -> dict[int, Decimal]:
    """Node id -> its path weight (what its points count for in a unit's total)."""
    return rules.path_weights(
        list(Indicator.objects.filter(framework_id=framework_id).values_list("pk", "parent_id", "weight"))
    )


def framework_leaves(*, framework) -> list[Indicator]:
    return [n for n in framework_tree(framework=framework) if n.method != "group"]


def spec_of(n: Indicator, *, parent_code: str) -> rules.NodeSpec:
    return rules.NodeSpec(
        code=n.code,
        name=n.name,
        level=n.level,
        parent=parent_code,
        points=n.points,
        method=n.method,
        source=n.source,
        cap=n.cap,
        weight=n.weight,
    )


def framework_specs(*, framework) -> list[rules.NodeSpec]:
    """The framework's nodes as the checker sees them."""
    nodes = list(framework.indicators.all())
    codes = {n.pk: n.code for n in nodes}
    return [spec_of(n, parent_code=codes.get(n.parent_id, "")) for n in nodes]


def framework_gaps(*, framework) -> list[str]:
    """What a draft still lacks before a run can use it (points not yet given out, groups without children)."""
    return rules.framework_gaps(framework_specs(framework=framework), total=framework.total_points)


def framework_full_marks(*, nodes: list[Indicator]) -> Decimal:
    """The weighted full marks of a framework (its scored leaves' points times their path weights)."""
    return rules.weighted_full_marks([(n.method, n.points, n.path_weight) for n in nodes if n.method != "group"])


def unit_people(*, unit_ids, permissions) -> list:
    """Active users of these units who hold any of the permissions (the recipients of a delivery)."""
    from fazhi.core.models import Role, User

    role_ids = [r.pk for r in Role.objects.filter(is_active=True) if set(permissions) & set(r.permissions or [])]
    return list(User.objects.filter(unit_id__in=list(unit_ids), is_active=True, roles__in=role_ids).distinct())


# ---------------------------------------------------------------- runs


def run_visible_q(user) -> Q:
    """A run is seen by the 全部 scope; below it, once a unit the user's scope reaches is in it (assessors also
    while it is under review, units only once published)."""
    if sees_internal(user):
        return Q()
    return Q(pk__in=RunUnit.objects.filter(member_visible_q(user)).values("run_id"))


def run_list(*, user, year: int | None = None, q: str = "") -> QuerySet[AssessmentRun]:
    qs = AssessmentRun.objects.filter(run_visible_q(user)).select_related("framework")
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("-year", "-pk")


def run_get(*, user, pk) -> AssessmentRun:
    pk = _pk(pk)
    run = AssessmentRun.objects.filter(run_visible_q(user), pk=pk).select_related("framework").first() if pk else None
    if run is None:
        raise NotFound()
    return run


def member_visible_q(user) -> Q:
    """A unit's scores: the 全部 scope sees all; an assessor the units his scope reaches; a unit its own (and
    its subtree's) once published; the 本人 scope none."""
    if sees_internal(user):
        return Q()
    if user_data_scope(user) == "self":
        return Q(pk__in=[])
    q = scope_q(user, unit_field="unit")
    return q if is_assessor(user) else q & ~Q(run__status="computed")


def run_members(*, user, run, group: str = "", q: str = "") -> QuerySet[RunUnit]:
    qs = run.members.filter(member_visible_q(user)).select_related("unit")
    if group:
        qs = qs.filter(group=group)
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(unit__short_name__icontains=q))
    return qs.order_by("group", "rank", "unit__sort_order", "unit_id")


def member_get(*, user, pk) -> RunUnit:
    pk = _pk(pk)
    m = RunUnit.objects.filter(member_visible_q(user), pk=pk).select_related("run", "unit").first() if pk else None
    if m is None:
        raise NotFound()
    return m


def member_scores(*, member) -> list[Score]:
    return list(
        member.scores.select_related("indicator", "indicator__parent", "evidence").order_by(
            "indicator__sort_order", "indicator_id"
        )
    )


def score_get(*, user, pk) -> Score:
    pk = _pk(pk)
    s = (
        Score.objects.filter(pk=pk)
        .filter(Q(member__in=RunUnit.objects.filter(member_visible_q(user))))
        .select_related("member", "member__run", "member__unit", "indicator", "evidence")
        .first()
        if pk
        else None
    )
    if s is None:
        raise NotFound()
    return s


def score_records(*, score) -> list[indicators.Evidence] | None:
    """The records behind a computed figure (the unit and its subtree), for the evidence page."""
    from fazhi.core.models import Unit

    ind = score.indicator
    if ind.method != "computed":
        return None
    run = score.member.run
    unit = score.member.unit
    ids = list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    return indicators.records(ind.source, unit_ids=ids, start=run.period_start, end=run.period_end)


def score_appeals(*, score) -> QuerySet[Appeal]:
    return score.appeals.select_related("filed_by", "answered_by", "evidence").order_by("-pk")


def appeal_list(*, user, run, status: str = "") -> QuerySet[Appeal]:
    qs = Appeal.objects.filter(score__run=run, score__member__in=RunUnit.objects.filter(member_visible_q(user)))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("score__member__unit", "score__indicator", "filed_by").order_by("status", "-pk")


def appeal_get(*, user, pk) -> Appeal:
    pk = _pk(pk)
    a = (
        Appeal.objects.filter(pk=pk, score__member__in=RunUnit.objects.filter(member_visible_q(user)))
        .select_related("score__member__run", "score__member__unit", "score__indicator")
        .first()
        if pk
        else None
    )
    if a is None:
        raise NotFound()
    return a


def run_groups(*, run) -> list[str]:
    return list(run.members.values_list("group", flat=True).distinct().order_by("group"))


def assessable_units():
    """Units an assessment takes in by default: district / county governments and city departments."""
    from fazhi.core.models import Unit

    return Unit.objects.filter(is_active=True, kind__in=("government", "agency", "justice")).order_by(
        "sort_order", "pk"
    )


def default_group(unit) -> str | None:
    """区县政府 for a government below the top one, 市直部门 for a department directly under the top government;
    None for the others (branches and township units answer through their parent)."""
    depth = unit.path.strip("/").count("/")
    if unit.kind == "government" and depth == 1:
        return rules.GROUPS[0]
    if unit.kind in ("agency", "justice") and depth == 1:
        return rules.GROUPS[1]
    return None


# ---------------------------------------------------------------- for other areas (contract)


def _latest_run(*, year: int, quarter: int | None) -> AssessmentRun | None:
    qs = AssessmentRun.objects.filter(year=year, quarter=quarter).exclude(status="computed")
    return (
        qs.filter(status="finalised").order_by("-finalised_at", "-pk").first()
        or AssessmentRun.objects.filter(year=year, quarter=quarter).order_by("-computed_at", "-pk").first()
    )


def unit_ranking(*, year: int, quarter: int | None = None) -> list[dict]:
    """Per unit of the latest finalised (failing that, latest computed) run for the year / quarter: unit_id,
    unit_name, group, score (Decimal), rank. [] when there is none. System level: the caller scopes."""
    run = _latest_run(year=year, quarter=quarter)
    if run is None:
        return []
    return [
        {
            "unit_id": m.unit_id,
            "unit_name": m.unit.name,
            "group": m.group,
            "score": Decimal(m.total),
            "rank": m.rank or 0,
        }
        for m in run.members.select_related("unit").order_by("group", "rank", "unit__sort_order")
    ]


def latest_run_for(*, user, year: int) -> AssessmentRun | None:
    """The finalised run of the year if there is one, else the latest (NULLs last on both databases)."""
    return (
        run_list(user=user, year=year)
        .order_by(F("finalised_at").desc(nulls_last=True), F("computed_at").desc(nulls_last=True), "-pk")
        .first()
    )


def period_of(*, year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)
