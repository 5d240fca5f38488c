"""Reads of 法治督察, each inside the viewer's data scope. Also the two reads other areas use (contracts with the
scoring and dashboard areas): `problem_counts_for_units` and `open_problem_counts`."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from fazhi.assessment.oversight import rules
from fazhi.assessment.oversight.models import (
    OversightCampaign,
    OversightClue,
    OversightProblemLink,
    OversightRectification,
    OversightReport,
)
from fazhi.core.errors import NotFound
from fazhi.core.models import Unit
from fazhi.core.scope import scope_q, user_data_scope
from fazhi.tracking.rules import light_expression, light_q
from fazhi.tracking.selectors import yellow_until


def campaign_scope_q(user) -> Q:
    """Campaigns of the supervising units the viewer's scope reaches (the 本人 scope: none)."""
    if user_data_scope(user) == "self":
        return Q(pk__in=[])
    return scope_q(user, unit_field="lead_unit")


def rectification_scope_q(user, prefix: str = "") -> Q:
    """A rectification is seen by its responsible unit's scope and by the supervising side of its campaign."""
    scope = user_data_scope(user)
    if scope == "self":
        return Q(pk__in=[])
    if scope == "all":
        return Q()
    return scope_q(user, unit_field=f"{prefix}unit") | scope_q(user, unit_field=f"{prefix}problem__campaign__lead_unit")


def campaign_list(*, user, q: str = "", kind: str = "", year: int | None = None) -> QuerySet[OversightCampaign]:
    qs = (
        OversightCampaign.objects.filter(campaign_scope_q(user))
        .select_related("lead_unit")
        .annotate(
            problem_count=Count("problems", distinct=True),
            due_count=Count("problems__rectifications", distinct=True),
            done_count=Count(
                "problems__rectifications",
                filter=Q(problems__rectifications__status=rules.SIGNED_OFF),
                distinct=True,
            ),
        )
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(scope__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(period_start__year=year)
    # A grouped query drops Meta.ordering: the list pages need a stable order to page through.
    return qs.order_by("-period_start", "-id")


def campaign_get(*, user, pk) -> OversightCampaign:
    try:
        return OversightCampaign.objects.select_related("lead_unit").get(campaign_scope_q(user), pk=pk)
    except (OversightCampaign.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def campaign_problem_tree(*, campaign) -> list[dict]:
    """The problem list as the campaign has it: aspects in order, each with its problems and their units."""
    rects = (
        OversightRectification.objects.filter(problem__campaign=campaign)
        .select_related("unit")
        .order_by("problem_id", "unit__sort_order", "id")
    )
    by_problem: dict[int, list] = {}
    for r in rects:
        by_problem.setdefault(r.problem_id, []).append(r)
    tree = []
    for aspect in campaign.aspects.prefetch_related("problems"):
        problems = [{"problem": p, "rectifications": by_problem.get(p.pk, [])} for p in aspect.problems.all()]
        tree.append({"aspect": aspect, "problems": problems})
    return tree


@dataclass(frozen=True)
class LedgerFilters:
    q: str = ""
    campaign: int | None = None
    unit: int | None = None
    status: str = ""
    light: str = ""


def ledger(*, user, filters: LedgerFilters | None = None, today: dt.date | None = None) -> QuerySet:
    """The rectification ledger (整改台账): one row per problem and unit, with its light."""
    f = filters or LedgerFilters()
    today = today or timezone.localdate()
    until = yellow_until(today)
    qs = (
        OversightRectification.objects.filter(rectification_scope_q(user))
        .select_related("unit", "problem__aspect", "problem__campaign", "item")
        .annotate(light=light_expression(today=today, yellow_until=until, prefix="item__"))
    )
    if f.q:
        qs = qs.filter(
            Q(problem__description__icontains=f.q)
            | Q(unit__name__icontains=f.q)
            | Q(problem__aspect__title__icontains=f.q)
            | Q(problem__campaign__title__icontains=f.q)
        )
    if f.campaign:
        qs = qs.filter(problem__campaign_id=f.campaign)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.light:
        qs = qs.filter(light_q(light=f.light, today=today, yellow_until=until, prefix="item__"))
    return qs.order_by("deadline", "problem__aspect__order", "problem__order", "id")


def rectification_get(*, user, pk) -> OversightRectification:
    try:
        return OversightRectification.objects.select_related(
            "unit", "problem__aspect", "problem__campaign__lead_unit", "item", "signed_off_by"
        ).get(rectification_scope_q(user), pk=pk)
    except (OversightRectification.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def rectification_reports(*, rectification) -> QuerySet[OversightReport]:
    return rectification.reports.select_related("by").prefetch_related("attachments")


def rectification_evidence_count(*, rectification) -> int:
    return OversightReport.attachments.through.objects.filter(oversightreport__rectification=rectification).count()


def rectification_file_get(*, user, pk, attachment_pk):
    rect = rectification_get(user=user, pk=pk)
    for report in rectification_reports(rectification=rect):
        for a in report.attachments.all():
            if a.pk == int(attachment_pk):
                return a
    raise NotFound()


def problem_links(*, user, problem) -> list[dict]:
    from fazhi.supervision.links import LINK_KINDS, link_label

    return [
        {
            "link": link,
            "kind_label": LINK_KINDS[link.kind].label if link.kind in LINK_KINDS else link.kind,
            "resolved": link_label(user=user, kind=link.kind, pk=link.object_id),
        }
        for link in OversightProblemLink.objects.filter(problem=problem)
    ]


def problem_clues(*, problem) -> QuerySet[OversightClue]:
    return OversightClue.objects.filter(problem=problem)


def clue_get(*, user, pk) -> OversightClue:
    """A clue is seen by the supervising side of its campaign only (the unit does not see the referral)."""
    try:
        return OversightClue.objects.select_related("problem__campaign__lead_unit").get(
            Q(pk__in=[])
            if user_data_scope(user) == "self"
            else scope_q(user, unit_field="problem__campaign__lead_unit"),
            pk=pk,
        )
    except (OversightClue.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def rectification_timeline(*, rectification):
    from fazhi.tracking.selectors import item_timeline

    return item_timeline(item=rectification.item) if rectification.item_id else []


def unit_choices(*, user) -> QuerySet[Unit]:
    """Units a campaign may cover: active units inside the manager's scope."""
    return Unit.objects.filter(scope_q(user, unit_field=""), is_active=True).order_by("sort_order", "name")


# ---------------------------------------------------------------- contracts with other areas


def problem_counts_for_units(*, unit_ids, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """Per unit: the problems whose rectification deadline falls in [start, end], and how many of them were signed off
    by their deadline — (due, signed off on time). Every asked unit is in the answer ((0, 0) when it had none).
    System-wide (no viewer): the scoring area computes it for every unit of a run."""
    ids = [int(u) for u in unit_ids]
    out = {u: (0, 0) for u in ids}
    rows = (
        OversightRectification.objects.filter(unit_id__in=ids, deadline__gte=start, deadline__lte=end)
        .values("unit_id")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(signed_off_on__isnull=False, signed_off_on__lte=F("deadline"))),
        )
        .order_by()
    )
    for r in rows:
        out[r["unit_id"]] = (r["due"], r["done"])
    return out


def open_problem_counts(*, user, today: dt.date | None = None) -> dict:
    """The viewer's open rectifications (not yet signed off) and how many of them are past their deadline."""
    today = today or timezone.localdate()
    qs = OversightRectification.objects.filter(rectification_scope_q(user)).exclude(status=rules.SIGNED_OFF)
    return {"open": qs.count(), "overdue": qs.filter(deadline__lt=today).count()}
