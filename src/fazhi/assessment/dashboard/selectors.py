"""Reads of 领导驾驶舱: everything comes from other areas' and apps' selectors, scoped to the viewer."""

import datetime as dt
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from fazhi.assessment.dashboard import rules
from fazhi.core.scope import has_permission, user_data_scope, user_permissions


@dataclass
class KeyFigure:
    code: str
    name: str
    value: Decimal | None
    target: Decimal | None
    unit: str
    red: bool
    available: bool
    url: str = ""


@dataclass
class Dashboard:
    year: int
    run: object = None
    figures: list[KeyFigure] = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    ranking: dict = field(default_factory=dict)
    red: list = field(default_factory=list)
    red_total: int = 0
    problems: dict | None = None
    problems_url: str = ""
    divisions: list = field(default_factory=list)


def key_figures(*, user, run) -> list[KeyFigure]:
    """The run's computed indicators over the units the viewer sees, with their targets: one query on the
    stored scores (numerators and denominators summed, means weighted)."""
    from fazhi.assessment.scoring import indicators
    from fazhi.assessment.scoring.models import Score
    from fazhi.assessment.scoring.selectors import member_visible_q

    if run is None:
        return []
    rows = (
        Score.objects.filter(run=run, indicator__method="computed")
        .filter(member__in=run.members.filter(member_visible_q(user)))
        .values_list("indicator_id", "available", "value", "numerator", "denominator")
        .order_by()  # summed: Score's default order would join the member, run and unit only to sort
    )
    acc: dict[int, list] = {}
    for ind_id, available, value, num, den in rows:
        a = acc.setdefault(ind_id, [available, Decimal(0), 0])
        a[0] = a[0] and available
        if den:
            a[1] += Decimal(num) if num is not None else (value or Decimal(0)) * den
            a[2] += den
    out = []
    for ind in run.framework.indicators.filter(method="computed").order_by("sort_order"):
        available, num, den = acc.get(ind.pk, [indicators.source_available(ind.source), Decimal(0), 0])
        source = indicators.SOURCES.get(ind.source)
        value = None
        if den and source is not None:
            value = (num * 100 / den if source.kind == "rate" else num / den).quantize(Decimal("0.01"))
        out.append(
            KeyFigure(
                ind.code,
                ind.name,
                value,
                ind.target,
                source.unit if source else "",
                rules.is_red(value, ind.target, higher_is_better=source.higher_is_better if source else True),
                bool(available),
            )
        )
    return out


def _trend(*, user, year: int) -> dict:
    from fazhi.cases.selectors import case_monthly_counts
    from fazhi.complaints.selectors import complaint_stats

    months = [f"{m}月" for m in range(1, 13)]
    cases = case_monthly_counts(user=user, year=year)
    stats = complaint_stats(user=user, dimension="month", date_from=dt.date(year, 1, 1), date_to=dt.date(year, 12, 31))
    received = [0] * 12
    on_time = [None] * 12
    for r in stats:
        try:
            m = int(str(r.key)[5:7])
        except ValueError:
            continue
        if 1 <= m <= 12:
            received[m - 1] = r.received
            on_time[m - 1] = round(r.on_time_rate * 100, 1) if r.on_time_rate is not None else None
    return {
        "months": months,
        "cases_filed": [cases[m][0] for m in range(1, 13)],
        "cases_closed": [cases[m][1] for m in range(1, 13)],
        "complaints": received,
        "on_time": on_time,
    }


def _problems(*, user) -> tuple[dict | None, str]:
    """Open / overdue 督察 problems from the oversight area; None when that area is not installed."""
    try:
        from fazhi.assessment.oversight.selectors import open_problem_counts
    except ImportError:
        return None, ""
    try:
        url = reverse("assessment:oversight:problem_list")
    except NoReverseMatch:
        url = ""
    return open_problem_counts(user=user), url


def _divisions(*, user, ranking: dict, red_units: dict[int, int]) -> list[dict]:
    """The division tree (no map): each district / county with its government's score and its red items."""
    from fazhi.core.models import Unit

    govs = Unit.objects.filter(kind="government", is_active=True).select_related("division").order_by("path")
    score_of = {m["unit_id"]: m for group in ranking.values() for m in group}
    paths = {u.pk: u.path for u in Unit.objects.filter(pk__in=list(red_units)).only("pk", "path")}
    out = []
    for g in govs:
        depth = g.path.strip("/").count("/")
        reds = sum(n for uid, n in red_units.items() if paths.get(uid, "").startswith(g.path))
        m = score_of.get(g.pk)
        out.append(
            {
                "depth": depth,
                "division": g.division.name,
                "unit": g.short_name or g.name,
                "unit_id": g.pk,
                "score": m["total"] if m else None,
                "rank": m["rank"] if m else None,
                "red": reds,
            }
        )
    return out


def dashboard(*, user, year: int | None = None, today: dt.date | None = None) -> Dashboard:
    """Everything on the leader's page for `year` (default: this year), scoped to the viewer and kept for a few
    minutes (rules.CACHE_SECONDS): the worker keeps the page of every leader warm (dashboard_warm)."""
    today = today or timezone.localdate()
    year = year or today.year
    key = _board_key(user=user, year=year, today=today)
    cached = cache.get(key)
    if cached is not None:
        return cached
    board = _build(user=user, year=year, today=today)
    cache.set(key, board, rules.CACHE_SECONDS)
    return board


def share_key(user) -> str:
    """Who sees the same figures, trends and ranking: every selector they come from decides by the data scope,
    the unit and the permissions, so viewers alike in all three share one entry (the unit does not matter to the
    全部 scope). The 本人 scope counts the viewer's own records: an entry per user."""
    scope = user_data_scope(user)
    if scope == "self":
        return f"self:{user.pk}"
    perms = hashlib.sha1(",".join(sorted(user_permissions(user))).encode()).hexdigest()[:12]
    return f"{scope}:{user.unit_id if scope != 'all' else '-'}:{perms}"


def _board_key(*, user, year: int, today: dt.date) -> str:
    """The whole page: shared by the 全部 scope (its red items are everybody's); narrower scopes also see the
    items waiting on them personally (tracking's item_visible_q), so their page is their own."""
    who = share_key(user) if user_data_scope(user) == "all" else f"user:{user.pk}"
    return f"dashboard:board:{who}:{year}:{today}"


def _part_key(*, user, year: int) -> str:
    return f"dashboard:part:{share_key(user)}:{year}"


def dashboard_warm(*, today: dt.date | None = None) -> dict:
    """Build and store this year's page of every active user who may see the dashboard (periodic job, every
    rules.WARM_MINUTES, inside rules.CACHE_SECONDS): the figures of each distinct scope once, then each page's
    red items."""
    from fazhi.core.models import Role, User

    today = today or timezone.localdate()
    year = today.year
    roles = [r.pk for r in Role.objects.filter(is_active=True) if "dashboard.view" in (r.permissions or [])]
    parts: dict[str, _Part] = {}
    boards = set()
    for user in User.objects.filter(is_active=True, roles__in=roles).distinct().select_related("unit").order_by("pk"):
        key = _board_key(user=user, year=year, today=today)
        if key in boards or not has_permission(user, "dashboard.view"):
            continue
        part_key = _part_key(user=user, year=year)
        if part_key not in parts:
            parts[part_key] = _part(user=user, year=year)
            cache.set(part_key, parts[part_key], rules.CACHE_SECONDS)
        cache.set(key, _assemble(user=user, year=year, today=today, part=parts[part_key]), rules.CACHE_SECONDS)
        boards.add(key)
    return {"warmed": len(boards), "scopes": len(parts), "year": year}


@dataclass
class _Part:
    """What viewers of one share_key have in common: the run's figures, its ranking and the month trends."""

    run: object
    figures: list[KeyFigure]
    ranking: dict
    trend: dict


@contextmanager
def _no_jit():
    """PostgreSQL compiles a query whose estimated cost passes jit_above_cost: the visibility filter of tracked items
    (a subquery per kind, several over the million cases) and the year's trend are estimated far above it, and the
    compiling took 50–190 ms a query against a few ms to run it (bench_scoring). Off for the dashboard's reads."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET LOCAL jit = off")
        yield


def _part(*, user, year: int) -> _Part:
    with _no_jit():
        return _part_read(user=user, year=year)


def _part_read(*, user, year: int) -> _Part:
    from fazhi.assessment.scoring.selectors import latest_run_for, run_members

    run = latest_run_for(user=user, year=year)
    figures = key_figures(user=user, run=run)
    ranking: dict = {}
    if run is not None:
        for fig in figures:
            fig.url = reverse("assessment:scoring:run_detail", args=[run.pk])
        for m in run_members(user=user, run=run):
            ranking.setdefault(m.group, []).append(
                {
                    "unit_id": m.unit_id,
                    "unit": m.unit.short_name or m.unit.name,
                    "total": m.total,
                    "rank": m.rank,
                    "url": reverse("assessment:scoring:member_detail", args=[m.pk]),
                }
            )
    return _Part(run=run, figures=figures, ranking=ranking, trend=_trend(user=user, year=year))


def _build(*, user, year: int, today: dt.date, fresh: bool = False) -> Dashboard:
    """The page, reusing the scope's figures while they are kept (`fresh`: compute them again)."""
    key = _part_key(user=user, year=year)
    part = None if fresh else cache.get(key)
    if part is None:
        part = _part(user=user, year=year)
        cache.set(key, part, rules.CACHE_SECONDS)
    return _assemble(user=user, year=year, today=today, part=part)


def _assemble(*, user, year: int, today: dt.date, part: _Part) -> Dashboard:
    """The scope's figures plus what is the viewer's own: red items, 督察 problems, the division tree's reds."""
    with _no_jit():
        return _assemble_read(user=user, year=year, today=today, part=part)


def _assemble_read(*, user, year: int, today: dt.date, part: _Part) -> Dashboard:
    from fazhi.tracking.selectors import overdue_tally

    board = Dashboard(
        year=year,
        run=part.run,
        figures=part.figures,
        trend=part.trend,
        ranking=part.ranking,
    )
    board.red, red_units = overdue_tally(user=user, today=today)
    board.red_total = sum(n for _, _, n in board.red)
    board.divisions = _divisions(user=user, ranking=board.ranking, red_units=red_units)
    board.problems, board.problems_url = _problems(user=user)
    return board


def chart_data(board: Dashboard) -> dict:
    """What the page's ECharts read (json_script): trends and the ranking of each group."""
    return {
        "trend": board.trend,
        "ranking": {
            g: {"units": [m["unit"] for m in ms], "totals": [float(m["total"]) for m in ms]}
            for g, ms in board.ranking.items()
        },
    }
