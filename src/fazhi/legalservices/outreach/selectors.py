"""Reads of 普法, each applying the viewer's data scope (`outreach_completion` with no user: the whole
jurisdiction, for the assessment module)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from fazhi.core.errors import NotFound
from fazhi.core.masking import mask_id_number, mask_name, mask_phone
from fazhi.core.models import Unit
from fazhi.core.normalize import clean_text
from fazhi.core.scope import get_scoped_or_404, scope_q, user_data_scope
from fazhi.legalservices.outreach import rules
from fazhi.legalservices.outreach.models import LegalLiterate, OutreachActivity, OutreachDutyItem, OutreachDutyList


def _unit_scope(user, qs: QuerySet, unit_field: str = "unit") -> QuerySet:
    if user_data_scope(user) == "self":
        return qs.none()
    return qs.filter(scope_q(user, unit_field=unit_field))


def duty_lists(*, user, year: int | None = None, q: str = "") -> QuerySet[OutreachDutyList]:
    qs = _unit_scope(user, OutreachDutyList.objects.select_related("unit"))
    if year:
        qs = qs.filter(year=year)
    if q := clean_text(q):
        qs = qs.filter(unit__name__icontains=q)
    return qs.annotate(total=Count("items"), done=Count("items", filter=Q(items__done_on__isnull=False))).order_by(
        "-year", "unit__sort_order", "unit_id"
    )


def duty_list_get(*, user, pk: int) -> OutreachDutyList:
    if user_data_scope(user) == "self":
        raise NotFound()
    return get_scoped_or_404(OutreachDutyList.objects.select_related("unit"), user, pk)


def duty_items(*, duty_list: OutreachDutyList) -> QuerySet[OutreachDutyItem]:
    return (
        duty_list.items.select_related("item").annotate(activity_count=Count("activities")).order_by("deadline", "id")
    )


def duty_item_get(*, user, duty_list: OutreachDutyList, pk: int) -> OutreachDutyItem:
    entry = duty_list.items.filter(pk=pk).select_related("duty_list__unit", "item").first()
    if entry is None:
        raise NotFound()
    return entry


@dataclass
class ActivityFilters:
    q: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def activity_list(*, user, filters: ActivityFilters | None = None) -> QuerySet[OutreachActivity]:
    f = filters or ActivityFilters()
    qs = _unit_scope(user, OutreachActivity.objects.select_related("unit"))
    if f.kind in rules.ACTIVITY_KIND_LABELS:
        qs = qs.filter(kind=f.kind)
    if f.date_from:
        qs = qs.filter(held_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(held_on__lte=f.date_to)
    if q := clean_text(f.q):
        qs = qs.filter(Q(title__icontains=q) | Q(laws__icontains=q) | Q(place__icontains=q))
    return qs.annotate(files=Count("attachments")).order_by("-held_on", "-id")


def activity_get(*, user, pk: int) -> OutreachActivity:
    if user_data_scope(user) == "self":
        raise NotFound()
    return get_scoped_or_404(OutreachActivity.objects.select_related("unit", "duty_item"), user, pk)


def activity_attachment(*, user, activity: OutreachActivity, attachment_pk: int):
    found = activity.attachments.filter(pk=attachment_pk).first()
    if found is None:
        raise NotFound()
    return found


# ---------------------------------------------------------------- 法律明白人


@dataclass
class LiterateRow:
    pk: int
    division: str
    township: str
    village: str
    name: str
    id_number: str
    phone: str
    occupation: str
    appointed_on: dt.date | None
    is_active: bool


def literate_list(*, user, q: str = "", division_id: int | None = None, active: bool = True) -> QuerySet[LegalLiterate]:
    qs = _unit_scope(user, LegalLiterate.objects.select_related("division"))
    if active:
        qs = qs.filter(is_active=True)
    if division_id:
        qs = qs.filter(division_id=division_id)
    if q := clean_text(q):
        qs = qs.filter(Q(village__icontains=q) | Q(township__icontains=q) | Q(name__icontains=q))
    return qs.order_by("division__code", "township", "village", "id")


def literate_rows(people) -> list[LiterateRow]:
    """The roster as shown and exported: names, ID numbers and phones masked (core.masking)."""
    return [
        LiterateRow(
            p.pk,
            p.division.name,
            p.township,
            p.village,
            mask_name(p.name),
            mask_id_number(p.id_number),
            mask_phone(p.phone),
            p.occupation,
            p.appointed_on,
            p.is_active,
        )
        for p in people
    ]


def literate_by_village(*, user) -> list[dict]:
    """How many 法律明白人 each village has (one grouped query)."""
    return list(
        literate_list(user=user)
        .values("division__name", "township", "village")
        .annotate(n=Count("pk"))
        .order_by("division__name", "township", "village")
    )


# ---------------------------------------------------------------- the year's completion per unit


@dataclass
class UnitCompletion:
    unit_id: int
    unit_name: str
    published: bool
    total: int
    done: int
    done_on_time: int
    overdue: int
    activities: int
    attendance: int
    light: str

    @property
    def rate(self) -> Decimal | None:
        return rules.completion_rate(done=self.done, total=self.total)


def activities_by_month(*, year: int, user) -> list[dict]:
    """The year's 普法 activities per month in the viewer's scope: [{"month": 1..12, "activities", "attendance"}],
    every month present (zeros included), for the chart and its export."""
    from django.db.models import Sum
    from django.db.models.functions import ExtractMonth

    qs = _unit_scope(user, OutreachActivity.objects.filter(held_on__year=year))
    found = {
        r["m"]: r
        for r in qs.annotate(m=ExtractMonth("held_on"))
        .values("m")
        .annotate(n=Count("pk"), people=Sum("attendance"))
        .order_by("m")
    }
    return [
        {
            "month": m,
            "activities": found.get(m, {}).get("n", 0),
            "attendance": found.get(m, {}).get("people") or 0,
        }
        for m in range(1, 13)
    ]


def outreach_completion(*, year: int, user=None, today: dt.date | None = None) -> list[UnitCompletion]:
    """The year's 谁执法谁普法 completion per unit: every enforcement agency (they owe a list) and any other unit
    with a list, with the items of its published list — total, done, done by their deadline, overdue (not done and
    past the deadline) — the year's activities and attendance, and a light (rules.completion_light). Three grouped
    queries whatever the number of units. With `user`, only units inside the viewer's scope."""
    today = today or timezone.localdate()
    units = Unit.objects.filter(Q(kind="agency", is_active=True) | _has_list(year))
    if user is not None:
        units = units.none() if user_data_scope(user) == "self" else units.filter(scope_q(user, unit_field=""))
    units = list(units.order_by("sort_order", "pk").values("pk", "name"))
    ids = [u["pk"] for u in units]
    items = {
        r["duty_list__unit_id"]: r
        for r in OutreachDutyItem.objects.filter(
            duty_list__year=year, duty_list__status=rules.PUBLISHED, duty_list__unit_id__in=ids
        )
        .values("duty_list__unit_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(done_on__isnull=False)),
            on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("deadline"))),
            overdue=Count("pk", filter=Q(done_on__isnull=True, deadline__lt=today)),
            due=Count("pk", filter=Q(deadline__lte=today)),
        )
    }
    published = set(
        OutreachDutyList.objects.filter(year=year, status=rules.PUBLISHED, unit_id__in=ids).values_list(
            "unit_id", flat=True
        )
    )
    acts = {
        r["unit_id"]: r
        for r in OutreachActivity.objects.filter(held_on__year=year, unit_id__in=ids)
        .values("unit_id")
        .annotate(n=Count("pk"), people=Sum("attendance"))
    }
    rows = []
    for u in units:
        i = items.get(u["pk"], {})
        a = acts.get(u["pk"], {})
        total, done, overdue = i.get("total", 0), i.get("done", 0), i.get("overdue", 0)
        rows.append(
            UnitCompletion(
                unit_id=u["pk"],
                unit_name=u["name"],
                published=u["pk"] in published,
                total=total,
                done=done,
                done_on_time=i.get("on_time", 0),
                overdue=overdue,
                activities=a.get("n", 0),
                attendance=a.get("people") or 0,
                light=rules.completion_light(
                    total=total, done=i.get("on_time", 0), overdue=overdue, due_by_today=i.get("due", 0)
                ),
            )
        )
    return rows


def _has_list(year: int) -> Q:
    return Q(pk__in=OutreachDutyList.objects.filter(year=year).values("unit_id"))


def literate_get(*, user, pk: int) -> LegalLiterate:
    if user_data_scope(user) == "self":
        raise NotFound()
    return get_scoped_or_404(LegalLiterate.objects.select_related("division"), user, pk)


def open_items_of_unit(*, user) -> QuerySet[OutreachDutyItem]:
    """The open items of the user's own unit's published lists (an activity may count towards one)."""
    return OutreachDutyItem.objects.filter(
        duty_list__unit_id=user.unit_id, duty_list__status=rules.PUBLISHED, done_on__isnull=True
    ).order_by("deadline", "id")
