"""Reads of 调解, each filtered by the viewer's data scope (a case and an organisation follow their unit)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import Unit
from fazhi.core.scope import scope_q
from fazhi.legalservices.mediation import rules
from fazhi.legalservices.mediation.models import MediationCase, MediationOrg, MediationSession, Mediator


def case_scope_q(user) -> Q:
    """A case follows its unit; the 本人 scope (officers, invited supervisors) sees none."""
    return _unit_q(user)


def _unit_q(user) -> Q:
    from fazhi.core.scope import user_data_scope

    if user is None:
        return Q()
    if user_data_scope(user) == "self":
        return Q(pk__in=[])
    return scope_q(user, unit_field="unit")


@dataclass
class CaseFilters:
    q: str = ""
    kind: str = ""
    source: str = ""
    status: str = ""
    org: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def case_list(*, user, filters: CaseFilters | None = None) -> QuerySet[MediationCase]:
    f = filters or CaseFilters()
    qs = MediationCase.objects.filter(case_scope_q(user)).select_related("org", "division", "mediator")
    if f.q:
        qs = qs.filter(
            Q(number__icontains=f.q) | Q(facts__icontains=f.q) | Q(org__name__icontains=f.q) | Q(court_name=f.q)
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.org:
        qs = qs.filter(org_id=f.org)
    if f.date_from:
        qs = qs.filter(received_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(received_on__lte=f.date_to)
    return qs


def case_get(*, user, pk) -> MediationCase:
    try:
        return (
            MediationCase.objects.filter(case_scope_q(user))
            .select_related("org", "division", "unit", "mediator", "item")
            .get(pk=pk)
        )
    except (MediationCase.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def case_sessions(*, case: MediationCase) -> QuerySet[MediationSession]:
    return case.sessions.select_related("mediator")


def org_list(*, user, q: str = "", active: bool | None = True) -> QuerySet[MediationOrg]:
    qs = MediationOrg.objects.filter(_unit_q(user))
    qs = qs.select_related("unit", "division").annotate(
        n_mediators=Count("mediators", filter=Q(mediators__is_active=True))
    )
    if q:
        qs = qs.filter(name__icontains=q)
    if active is not None:
        qs = qs.filter(is_active=active)
    # A grouped query drops Meta.ordering: the list pages need a stable order to page through.
    return qs.order_by("division__code", "name", "id")


def org_get(*, user, pk) -> MediationOrg:
    try:
        return MediationOrg.objects.filter(_unit_q(user)).select_related("unit", "division").get(pk=pk)
    except (MediationOrg.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def org_ref(*, user, pk=None, name: str = "", field: str = "org") -> MediationOrg:
    """An organisation the user may register disputes for, by id or by full name (imports)."""
    qs = MediationOrg.objects.filter(is_active=True)
    if user is not None:
        qs = qs.filter(_unit_q(user))
    found = qs.filter(pk=pk).first() if pk else qs.filter(name=name).first()
    if found is None:
        raise DomainError(f"调解组织“{name or pk}”不存在、已停用或不在本单位范围内", field=field)
    return found


def org_mediators(*, org: MediationOrg, active: bool | None = True) -> QuerySet[Mediator]:
    """The organisation's mediators: in office (default), departed (False) or all (None, in office first)."""
    qs = org.mediators.all()
    if active is not None:
        return qs.filter(is_active=active)
    return qs.order_by("-is_active", "name", "id")


def mediator_get(*, org: MediationOrg, pk) -> Mediator:
    """One mediator of an organisation the caller has already read in scope."""
    try:
        return org.mediators.get(pk=int(pk))
    except (Mediator.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def complaint_label(*, user, complaint_id: int | None) -> tuple[str, str]:
    """(label, url) of the complaint a dispute came from, read through the complaints app (empty when the viewer
    cannot see it)."""
    if not complaint_id or user is None:
        return "", ""
    from django.urls import reverse

    from fazhi.complaints.selectors import complaint_get

    try:
        c = complaint_get(user=user, pk=complaint_id)
    except NotFound:
        return f"投诉（编号 {complaint_id}）", ""
    return f"{c.tracking_code} {c.title}", reverse("complaints:detail", args=[c.pk])


# ---------------------------------------------------------------- statistics

DIMENSIONS = {"org": "调解组织", "division": "行政区划", "kind": "纠纷类型", "month": "月份"}


@dataclass
class StatRow:
    key: str
    label: str
    received: int
    mediated: int
    success: int
    amount: float
    success_amount: float

    @property
    def success_rate(self) -> float | None:
        return rules.success_rate(success=self.success, mediated=self.mediated)


def _aggregates() -> dict:
    # Counted over received_on (never null) rather than id: every column read is in the covering index
    # `mediation_case_stats`, so PostgreSQL answers from the index alone (Count("*") takes no filter).
    concluded = Q(status__in=(rules.SUCCESS, rules.FAILED))
    return {
        "received": Count("received_on"),
        "mediated": Count("received_on", filter=concluded),
        "success": Count("received_on", filter=Q(status=rules.SUCCESS)),
        "total_amount": Sum("amount"),
        "success_amount": Sum("amount", filter=Q(status=rules.SUCCESS)),
    }


def _whole_months(start: dt.date | None, end: dt.date | None) -> bool:
    """The period is made of whole months (or open-ended), so the monthly roll-up answers it exactly."""
    return (start is None or start.day == 1) and (end is None or (end + dt.timedelta(days=1)).day == 1)


def mediation_stats(
    *,
    user,
    dimension: str = "org",
    start: dt.date | None = None,
    end: dt.date | None = None,
    live: bool = False,
) -> list[StatRow]:
    """Received, mediated (concluded), success, success rate and amounts by organisation, division, kind or month
    of receipt, over the disputes the user may see received in [start, end]. A period of whole months is read from
    the monthly roll-up (MediationMonthly); any other period, or `live=True`, from the disputes themselves."""
    if dimension not in DIMENSIONS:
        raise DomainError("统计维度无效：应为调解组织、行政区划、纠纷类型或月份", field="dimension")
    if start and end and start > end:
        raise DomainError("统计期起不能晚于统计期止", field="start")
    group = {"org": "org_id", "division": "division_id", "kind": "kind"}
    if not live and _whole_months(start, end):
        from fazhi.legalservices.mediation.models import MediationMonthly

        qs = MediationMonthly.objects.filter(_unit_q(user))
        if start:
            qs = qs.filter(month__gte=start)
        if end:
            qs = qs.filter(month__lte=end)
        grouped = qs.values(g=F("month" if dimension == "month" else group[dimension]))
        aggregates = {
            "received": Sum("received"),
            "mediated": Sum("mediated"),
            "success": Sum("success"),
            "total_amount": Sum("amount"),
            "success_amount": Sum("success_amount"),
        }
    else:
        qs = MediationCase.objects.filter(case_scope_q(user))
        if start:
            qs = qs.filter(received_on__gte=start)
        if end:
            qs = qs.filter(received_on__lte=end)
        if dimension == "month":
            grouped = qs.annotate(g=TruncMonth("received_on")).values("g")
        else:
            grouped = qs.values(g=F(group[dimension]))
        aggregates = _aggregates()
    rows = list(grouped.annotate(**aggregates).order_by("g"))
    labels = _labels(dimension, [r["g"] for r in rows])
    out = [
        StatRow(
            key=str(r["g"]),
            label=labels.get(r["g"], str(r["g"])),
            received=r["received"] or 0,
            mediated=r["mediated"] or 0,
            success=r["success"] or 0,
            amount=float(r["total_amount"] or 0),
            success_amount=float(r["success_amount"] or 0),
        )
        for r in rows
    ]
    if dimension != "month":
        out.sort(key=lambda r: -r.received)
    return out


def _labels(dimension: str, keys: list) -> dict:
    from fazhi.core.models import Division

    if dimension == "org":
        return dict(MediationOrg.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "division":
        return dict(Division.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "kind":
        return rules.KIND_LABELS
    return {k: f"{k:%Y年%m月}" for k in keys if k}


def stats_totals(rows: list[StatRow]) -> StatRow:
    return StatRow(
        key="total",
        label="合计",
        received=sum(r.received for r in rows),
        mediated=sum(r.mediated for r in rows),
        success=sum(r.success for r in rows),
        amount=sum(r.amount for r in rows),
        success_amount=sum(r.success_amount for r in rows),
    )


def mediation_figures(*, unit_ids: list[int], start: dt.date, end: dt.date) -> dict:
    """For the assessment module: the disputes of the given units and every unit below them (by the org tree),
    received in [start, end]. Returns {"received", "mediated", "success", "success_rate" (percent or None),
    "amount" (yuan, float), "court_referred", "court_success", "court_returned", "court_overdue"} where
    court_overdue counts the court referrals of the period concluded after their due day or still open past it
    on `end`."""
    paths = list(Unit.objects.filter(pk__in=unit_ids).values_list("path", flat=True))
    if not paths:
        return {
            "received": 0,
            "mediated": 0,
            "success": 0,
            "success_rate": None,
            "amount": 0.0,
            "court_referred": 0,
            "court_success": 0,
            "court_returned": 0,
            "court_overdue": 0,
        }
    under = Q()
    for p in paths:
        under |= Q(unit__path__startswith=p)
    qs = MediationCase.objects.filter(under, received_on__gte=start, received_on__lte=end)
    court = Q(source=rules.SOURCE_COURT)
    late = Q(closed_on__gt=F("court_due")) | Q(closed_on__isnull=True, court_due__lt=end)
    agg = qs.aggregate(
        **_aggregates(),
        court_referred=Count("id", filter=court),
        court_success=Count("id", filter=court & Q(status=rules.SUCCESS)),
        court_returned=Count("id", filter=court & Q(court_returned_on__isnull=False)),
        court_overdue=Count("id", filter=court & late),
    )
    return {
        "received": agg["received"],
        "mediated": agg["mediated"],
        "success": agg["success"],
        "success_rate": rules.success_rate(success=agg["success"], mediated=agg["mediated"]),
        "amount": float(agg["total_amount"] or 0),
        "court_referred": agg["court_referred"],
        "court_success": agg["court_success"],
        "court_returned": agg["court_returned"],
        "court_overdue": agg["court_overdue"],
    }
