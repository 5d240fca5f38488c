"""Reads of 法律顾问, filtered by the viewer's scope; the coverage figures for the assessment module and the
division page."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import Division
from fazhi.core.scope import has_permission, scope_q
from fazhi.legalservices.advisers import rules
from fazhi.legalservices.advisers.models import (
    AdviserContract,
    AdviserService,
    AdviserVillage,
    LegalAdviser,
    LegalOpinion,
)


def _q(user, field: str = "unit") -> Q:
    """Rows follow their unit; the 本人 scope (officers, invited supervisors) sees none."""
    from fazhi.core.scope import user_data_scope

    if user is None:
        return Q()
    if user_data_scope(user) == "self":
        return Q(pk__in=[])
    return scope_q(user, unit_field=field)


def adviser_list(*, user, q: str = "", kind: str = "", active: bool | None = True) -> QuerySet[LegalAdviser]:
    """The roster: in office (default), removed (False) or both (None)."""
    qs = LegalAdviser.objects.filter(_q(user)).select_related("unit")
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(firm__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def adviser_get(*, user, pk) -> LegalAdviser:
    try:
        return LegalAdviser.objects.filter(_q(user)).select_related("unit").get(pk=pk)
    except (LegalAdviser.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def adviser_ref(*, user, pk=None, name: str = "", field: str = "adviser") -> LegalAdviser:
    qs = LegalAdviser.objects.filter(_q(user), is_active=True)
    found = qs.filter(pk=pk).first() if pk else qs.filter(name=name).first()
    if found is None:
        raise DomainError(f"法律顾问“{name or pk}”不在名册中", field=field)
    return found


def adviser_contracts(*, adviser: LegalAdviser) -> QuerySet[AdviserContract]:
    return adviser.contracts.select_related("village", "unit")


def contract_get(*, adviser: LegalAdviser, pk) -> AdviserContract:
    """One contract of an adviser the caller has already read in scope."""
    try:
        return adviser.contracts.select_related("village", "unit").get(pk=int(pk))
    except (AdviserContract.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def adviser_services(*, adviser: LegalAdviser) -> QuerySet[AdviserService]:
    return adviser.services.select_related("village")[:200]


def village_list(*, user, q: str = "") -> QuerySet[AdviserVillage]:
    qs = AdviserVillage.objects.filter(_q(user), is_active=True).select_related("unit", "division")
    return qs.filter(name__icontains=q) if q else qs


def village_ref(*, user, name: str = "", pk=None, field: str = "village") -> AdviserVillage:
    qs = AdviserVillage.objects.filter(_q(user), is_active=True)
    if pk:
        found = qs.filter(pk=pk).first()
    else:
        found = qs.filter(name=name).first()
        if found is not None and qs.filter(name=name).count() > 1:
            raise DomainError(f"村（社区）“{name}”重名，请写作“乡镇/村名”", field=field)
        if found is None and "/" in name:
            unit_name, _, village = name.partition("/")
            found = qs.filter(name=village, unit__name=unit_name).first()
    if found is None:
        raise DomainError(f"村（社区）“{name or pk}”不存在或不在本单位范围内", field=field)
    return found


# ---------------------------------------------------------------- coverage


@dataclass
class Coverage:
    division_id: int
    code: str
    name: str
    level: str
    villages: int
    covered: int

    @property
    def rate(self) -> float | None:
        return rules.coverage_rate(villages=self.villages, covered=self.covered)

    @property
    def light(self) -> str:
        return rules.coverage_light(self.rate)

    def as_dict(self) -> dict:
        return {
            "division_id": self.division_id,
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "villages": self.villages,
            "covered": self.covered,
            "rate": self.rate,
            "light": self.light,
            "goal": rules.COVERAGE_GOAL,
        }


def in_force_on(day: dt.date) -> Q:
    """Contracts in force on `day`: begun, not past their end, not terminated on or before it."""
    return Q(start__lte=day, end__gte=day) & (Q(terminated_on__isnull=True) | Q(terminated_on__gt=day))


def _coverage(*, year: int, today: dt.date | None, villages: QuerySet) -> dict[int, Coverage]:
    day = rules.coverage_day(year=year, today=today or timezone.localdate())
    in_force = AdviserContract.objects.filter(in_force_on(day), village=OuterRef("pk"))
    rows = villages.filter(is_active=True).annotate(covered=Exists(in_force)).values_list("division_id", "covered")
    divisions = {d.pk: d for d in Division.objects.all()}
    out: dict[int, Coverage] = {}
    for division_id, covered in rows:
        d = divisions.get(division_id)
        while d is not None:  # a village counts for its division and every division above it
            c = out.setdefault(d.pk, Coverage(d.pk, d.code, d.name, d.level, 0, 0))
            c.villages += 1
            c.covered += int(covered)
            d = divisions.get(d.parent_id) if d.parent_id else None
    return out


def village_adviser_coverage(*, year: int, today: dt.date | None = None) -> list[dict]:
    """For the assessment module: per division (every division with villages in its subtree), the villages and
    communities, those with a village legal adviser's contract in force on the coverage day of `year`
    (rules.coverage_day), the rate in percent and the light toward the 100 % goal. Sorted by division code; each
    row is {"division_id", "code", "name", "level", "villages", "covered", "rate", "light", "goal"}."""
    found = _coverage(year=year, today=today, villages=AdviserVillage.objects.all())
    return [c.as_dict() for c in sorted(found.values(), key=lambda c: c.code)]


def coverage_for(*, user, year: int, today: dt.date | None = None) -> list[Coverage]:
    """The coverage table of the page: the villages the user may see."""
    found = _coverage(year=year, today=today, villages=AdviserVillage.objects.filter(_q(user)))
    return sorted(found.values(), key=lambda c: c.code)


def division_coverage(*, division: Division, year: int, today: dt.date | None = None) -> Coverage | None:
    return _coverage(year=year, today=today, villages=AdviserVillage.objects.all()).get(division.pk)


def villages_uncovered(*, user, year: int, today: dt.date | None = None) -> QuerySet[AdviserVillage]:
    day = rules.coverage_day(year=year, today=today or timezone.localdate())
    in_force = AdviserContract.objects.filter(in_force_on(day), village=OuterRef("pk"))
    return village_list(user=user).filter(~Exists(in_force))


# ---------------------------------------------------------------- opinions


def opinion_scope_q(user) -> Q:
    """An opinion follows its requesting unit for the bureau (adviser.view / manage, by data scope); a requester
    (opinion.request) sees his own unit's requests; the 本人 scope sees none."""
    from fazhi.core.scope import user_data_scope

    if user is None:
        return Q()
    if user_data_scope(user) == "self":
        return Q(pk__in=[])
    parts = []
    if has_permission(user, "adviser.view") or has_permission(user, "adviser.manage"):
        parts.append(_q(user))
    if has_permission(user, "opinion.request") and user.unit_id:
        parts.append(Q(unit_id=user.unit_id))
    if not parts:
        return Q(pk__in=[])
    if any(not p for p in parts):  # an empty Q is "everything": OR-ing it with Q objects would drop it
        return Q()
    q = parts[0]
    for p in parts[1:]:
        q |= p
    return q


def opinion_list(*, user, q: str = "", status: str = "", year: int | None = None) -> QuerySet[LegalOpinion]:
    qs = LegalOpinion.objects.filter(opinion_scope_q(user)).select_related("unit", "adviser", "item")
    if q:
        qs = qs.filter(Q(subject__icontains=q) | Q(unit__name__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(requested_on__year=year)
    from fazhi.tracking.rules import light_expression
    from fazhi.tracking.selectors import yellow_until

    today = timezone.localdate()
    return qs.annotate(light=light_expression(today=today, yellow_until=yellow_until(today), prefix="item__"))


def opinion_get(*, user, pk) -> LegalOpinion:
    try:
        return LegalOpinion.objects.filter(opinion_scope_q(user)).select_related("unit", "adviser", "item").get(pk=pk)
    except (LegalOpinion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def yearly_counts(*, user, year: int) -> dict:
    """The year's work of the advisers the user may see: documents and contracts reviewed (opinions answered on
    normative documents / decisions / contracts, plus the service records of reviews), suggestions made,
    opinions answered, consultations and lectures."""
    opinions = LegalOpinion.objects.filter(opinion_scope_q(user), status="answered", answered_on__year=year)
    o = opinions.aggregate(
        answered=Count("id"),
        contracts=Count("id", filter=Q(kind="contract")),
        documents=Count("id", filter=Q(kind__in=("normative_document", "major_decision"))),
        suggestions=Sum("suggestions"),
    )
    services = AdviserService.objects.filter(_q(user), on__year=year)
    s = dict(services.values_list("kind").annotate(n=Sum("count")).values_list("kind", "n"))
    return {
        "year": year,
        "opinions": o["answered"],
        "contracts_reviewed": o["contracts"] + (s.get("contract_review") or 0),
        "documents_reviewed": o["documents"] + (s.get("document_review") or 0),
        "suggestions": o["suggestions"] or 0,
        "consultations": s.get("consultation") or 0,
        "lectures": s.get("lecture") or 0,
    }
