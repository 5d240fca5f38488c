"""Reads of the enforcement registry, each applying the viewer's data scope."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.masking import mask_id_number
from fazhi.core.models import Unit
from fazhi.core.normalize import clean_text
from fazhi.core.reveal import reveal_log
from fazhi.core.reveal import reveal_reason as reveal_reason_check
from fazhi.core.scope import get_scoped_or_404, has_permission, scope_q, scoped
from fazhi.registry.models import Agency, Certificate, ListEntry, Officer, PowerItem, TrainingRecord
from fazhi.registry.rules import CERTIFICATE_EXPIRY_DAYS

# ---------------------------------------------------------------- registry: agencies, power items, officers

AGENCY_SCOPE = {"unit_field": "unit"}
ITEM_SCOPE = {"unit_field": "agency__unit"}
# A user whose scope is "本人" sees only the officer record linked to their own login.
OFFICER_SCOPE = {"unit_field": "agency__unit", "owner_field": "user"}
CERT_STATUSES = [
    ("", "全部证件状态"),
    ("valid", "有效"),
    ("expiring", "即将到期"),
    ("expired", "已过期"),
    ("suspended", "暂扣"),
    ("revoked", "吊销"),
    ("none", "无证"),
]


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _pk(value):
    return getattr(value, "pk", value)


# ---- agencies


def agency_list(
    *, user, q: str = "", legal_status: str = "", domain: str = "", active: bool | None = True
) -> QuerySet[Agency]:
    qs = scoped(Agency.objects.select_related("unit", "entrusting_agency__unit"), user, **AGENCY_SCOPE)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(unit__short_name__icontains=q) | Q(jurisdiction__icontains=q))
    if legal_status:
        qs = qs.filter(legal_status=legal_status)
    domain = clean_text(domain)
    if domain:
        # domains is a short JSON list; a text match keeps this portable across SQLite and PostgreSQL.
        qs = qs.filter(domains__icontains=domain)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.annotate(
        item_count=Count(
            "power_items", filter=Q(power_items__is_current=True, power_items__is_active=True), distinct=True
        ),
        officer_count=Count("officers", filter=Q(officers__is_active=True), distinct=True),
    ).order_by("unit__path", "unit__sort_order", "id")


def agency_get(*, user, pk) -> Agency:
    return get_scoped_or_404(Agency.objects.select_related("unit", "entrusting_agency__unit"), user, pk, **AGENCY_SCOPE)


def agency_ref(*, user, pk, field: str = "agency") -> Agency:
    """An agency named by id in a request body: unknown or out of scope is a field error (422)."""
    try:
        return agency_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"执法主体（id={pk}）不存在或不在您的管理范围内", field=field) from None


def agency_by_name(*, user, name, field: str = "agency") -> Agency:
    """Resolve an agency by its unit's full name (or a unique short name) inside the viewer's scope."""
    name = clean_text(name)
    qs = scoped(Agency.objects.select_related("unit"), user, **AGENCY_SCOPE)
    agency = qs.filter(unit__name=name).first()
    if agency is None:
        matches = list(qs.filter(unit__short_name=name)[:2])
        agency = matches[0] if len(matches) == 1 else None
    if agency is None:
        raise DomainError(f"执法主体“{name}”不存在或不在您的管理范围内", field=field)
    return agency


def agency_unit_choices(*, user, instance: Agency | None = None) -> QuerySet[Unit]:
    """Units in the viewer's scope that may be registered as an agency (not registered yet)."""
    qs = Unit.objects.filter(scope_q(user, unit_field=""), is_active=True, kind__in=("agency", "township", "other"))
    taken = Agency.objects.exclude(pk=getattr(instance, "pk", None)).values("unit_id")
    return qs.exclude(pk__in=taken).order_by("path", "sort_order", "id")


def unit_for_agency(*, user, pk, field: str = "unit") -> Unit:
    try:
        return Unit.objects.filter(scope_q(user, unit_field="")).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise DomainError(f"单位（id={pk}）不存在或不在您的管理范围内", field=field) from None


def unit_for_agency_by_name(*, user, name, field: str = "unit") -> Unit:
    name = clean_text(name)
    qs = Unit.objects.filter(scope_q(user, unit_field=""))
    unit = qs.filter(name=name).first()
    if unit is None:
        matches = list(qs.filter(short_name=name)[:2])
        unit = matches[0] if len(matches) == 1 else None
    if unit is None:
        raise DomainError(f"单位“{name}”不存在或不在您的管理范围内", field=field)
    return unit


# ---- power items


def power_item_list(
    *, user, q: str = "", kind: str = "", agency=None, major: bool | None = None, current_only: bool = True
) -> QuerySet[PowerItem]:
    qs = scoped(PowerItem.objects.select_related("agency__unit"), user, **ITEM_SCOPE)
    if current_only:
        qs = qs.filter(is_current=True)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(legal_bases__law__icontains=q)).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    if agency:
        qs = qs.filter(agency_id=_pk(agency))
    if major is not None:
        qs = qs.filter(major=major)
    return qs.order_by("agency__unit__path", "code", "-version")


def power_item_get(*, user, pk) -> PowerItem:
    return get_scoped_or_404(
        PowerItem.objects.select_related("agency__unit").prefetch_related("legal_bases", "tiers"),
        user,
        pk,
        **ITEM_SCOPE,
    )


def power_item_ref(*, user, pk, field: str = "power_item") -> PowerItem:
    try:
        return power_item_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"权责清单事项（id={pk}）不存在或不在您的管理范围内", field=field) from None


def power_item_versions(*, item: PowerItem) -> QuerySet[PowerItem]:
    return PowerItem.objects.filter(agency_id=item.agency_id, code=item.code).order_by("-version")


def power_item_current_by_code(*, user, agency: Agency, code: str, field: str = "code") -> PowerItem | None:
    return scoped(
        PowerItem.objects.filter(agency=agency, code=clean_text(code), is_current=True), user, **ITEM_SCOPE
    ).first()


def list_entries_for(*, agency: Agency, item: PowerItem | None = None) -> QuerySet[ListEntry]:
    """不予处罚 / 从轻减轻 entries of an agency (the caller has already fetched the agency or item in scope);
    for an item, those tied to any version of it plus the agency's general ones."""
    qs = ListEntry.objects.filter(agency=agency, is_active=True).select_related("power_item")
    if item is not None:
        qs = qs.filter(Q(power_item__isnull=True) | Q(power_item__code=item.code))
    return qs.order_by("kind", "id")


def list_entry_list(
    *, user, agency=None, kind: str = "", power_item=None, active: bool | None = None
) -> QuerySet[ListEntry]:
    """不予处罚 / 从轻减轻 entries of the agencies within the user's data scope (the registry's scope)."""
    qs = scoped(ListEntry.objects.select_related("agency__unit", "power_item"), user, **ITEM_SCOPE)
    if agency:
        qs = qs.filter(agency_id=_pk(agency))
    if kind:
        qs = qs.filter(kind=kind)
    if power_item:
        qs = qs.filter(power_item_id=_pk(power_item))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("agency_id", "kind", "id")


def list_entry_get(*, user, pk) -> ListEntry:
    return get_scoped_or_404(ListEntry.objects.select_related("agency__unit", "power_item"), user, pk, **ITEM_SCOPE)


def power_item_for_case(*, agency, pk) -> PowerItem:
    """The power item a case is filed under: a current, active item of the case's agency (field error if not)."""
    item = (
        (
            PowerItem.objects.select_related("agency")
            .prefetch_related("tiers")
            .filter(agency_id=_pk(agency), pk=pk)
            .first()
        )
        if str(pk).isdigit()
        else None
    )
    if item is None:
        raise DomainError("执法事项不存在或不属于办案机关的权责清单", field="power_item")
    if not item.is_current or not item.is_active:
        raise DomainError(
            f"执法事项“{item}”第 {item.version} 版已停用或被新版本取代，请选择现行版本", field="power_item"
        )
    return item


# ---- officers


def _latest_certificate():
    return Certificate.objects.filter(officer=OuterRef("pk")).order_by("-valid_to", "-id")


def officer_list(
    *,
    user,
    q: str = "",
    agency=None,
    cert_status: str = "",
    expiring_within: int | None = None,
    active: bool | None = True,
    today: dt.date | None = None,
) -> QuerySet[Officer]:
    """Officers in scope with their latest certificate (number, status, valid_to) annotated."""
    today = _today(today)
    latest = _latest_certificate()
    qs = scoped(Officer.objects.select_related("agency__unit"), user, **OFFICER_SCOPE).annotate(
        cert_number=Subquery(latest.values("number")[:1]),
        cert_status=Subquery(latest.values("status")[:1]),
        cert_valid_from=Subquery(latest.values("valid_from")[:1]),
        cert_valid_to=Subquery(latest.values("valid_to")[:1]),
    )
    q = clean_text(q)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(post__icontains=q) | Q(certificates__number__icontains=q) | Q(id_number=q.upper())
        ).distinct()
    if agency:
        qs = qs.filter(agency_id=_pk(agency))
    if active is not None:
        qs = qs.filter(is_active=active)
    valid = Certificate.objects.filter(
        officer=OuterRef("pk"), status="active", valid_from__lte=today, valid_to__gte=today
    )
    if cert_status == "valid":
        qs = qs.filter(Exists(valid))
    elif cert_status == "expiring":
        expiring_within = expiring_within or CERTIFICATE_EXPIRY_DAYS
    elif cert_status == "expired":
        qs = qs.filter(cert_status="active", cert_valid_to__lt=today)
    elif cert_status in ("suspended", "revoked"):
        qs = qs.filter(cert_status=cert_status)
    elif cert_status == "none":
        qs = qs.filter(cert_number__isnull=True)
    if expiring_within is not None:
        horizon = today + dt.timedelta(days=max(0, int(expiring_within)))
        qs = qs.filter(cert_status="active", cert_valid_to__gte=today, cert_valid_to__lte=horizon)
    return qs.order_by("agency__unit__path", "agency_id", "id")


def officer_get(*, user, pk) -> Officer:
    return get_scoped_or_404(Officer.objects.select_related("agency__unit", "user"), user, pk, **OFFICER_SCOPE)


def officer_ref(*, user, pk, field: str = "officer") -> Officer:
    try:
        return officer_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"执法人员（id={pk}）不存在或不在您的管理范围内", field=field) from None


def officer_may_reveal(*, user) -> bool:
    return has_permission(user, "registry.manage") or has_permission(user, "personal.reveal")


def officer_id_number_display(*, user, officer: Officer, reveal_reason: str | None = None, ip=None) -> str:
    """The ID number masked for everyone; in full only to a registry manager (or a holder of personal.reveal)
    who gives a reason, and that view is logged (fazhi.core.reveal)."""
    if reveal_reason is not None and officer_may_reveal(user=user):
        reveal_log(user=user, obj=officer, what="身份证号", reason=reveal_reason_check(reveal_reason), ip=ip)
        return officer.id_number
    return mask_id_number(officer.id_number)


def officer_certificates(*, officer: Officer) -> QuerySet[Certificate]:
    return officer.certificates.select_related("expiry_item").order_by("-valid_to", "-id")


def officer_certificate_on(*, officer, day: dt.date) -> Certificate | None:
    """The certificate that is active and valid on `day`, or None (《行政处罚法》第四十二条)."""
    return (
        Certificate.objects.filter(officer_id=_pk(officer), status="active", valid_from__lte=day, valid_to__gte=day)
        .order_by("-valid_to", "-id")
        .first()
    )


def certificate_state_of(
    *,
    status: str | None,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    today: dt.date | None = None,
    within_days: int = CERTIFICATE_EXPIRY_DAYS,
) -> str:
    """none / valid / expiring / expired / not_yet / suspended / revoked — for colours and labels."""
    today = _today(today)
    if not status:
        return "none"
    if status != "active":
        return status
    if valid_to < today:
        return "expired"
    if valid_from > today:
        return "not_yet"
    if valid_to <= today + dt.timedelta(days=within_days):
        return "expiring"
    return "valid"


def certificate_state(
    cert: Certificate, *, today: dt.date | None = None, within_days: int = CERTIFICATE_EXPIRY_DAYS
) -> str:
    return certificate_state_of(
        status=cert.status, valid_from=cert.valid_from, valid_to=cert.valid_to, today=today, within_days=within_days
    )


CERT_STATE_LABELS = {
    "none": "无证",
    "valid": "有效",
    "expiring": "即将到期",
    "expired": "已过期",
    "not_yet": "未生效",
    "suspended": "暂扣",
    "revoked": "吊销",
}


def certificates_expiring(
    *, within_days: int = CERTIFICATE_EXPIRY_DAYS, today: dt.date | None = None, user=None
) -> QuerySet[Certificate]:
    """Active certificates of serving officers whose validity ends within `within_days` (optionally scoped)."""
    today = _today(today)
    qs = Certificate.objects.filter(
        status="active",
        officer__is_active=True,
        valid_to__gte=today,
        valid_to__lte=today + dt.timedelta(days=within_days),
    )
    if user is not None:
        qs = qs.filter(scope_q(user, unit_field="officer__agency__unit", owner_field="officer__user"))
    return qs.select_related("officer__agency__unit").order_by("valid_to", "id")


@dataclass
class TrainingYear:
    year: int
    hours: Decimal
    exam_score: Decimal | None
    exam_passed: bool | None
    minimum: int

    @property
    def met(self) -> bool:
        return self.hours >= self.minimum

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(0), Decimal(self.minimum) - self.hours)


def training_min_hours() -> int:
    return int(settings.FAZHI.get("TRAINING_MIN_HOURS", 40))


def officer_training(*, officer: Officer) -> list[TrainingYear]:
    minimum = training_min_hours()
    return [
        TrainingYear(r.year, r.hours, r.exam_score, r.exam_passed, minimum)
        for r in TrainingRecord.objects.filter(officer=officer).order_by("-year")
    ]


def training_shortfall(*, user, year: int) -> QuerySet[Officer]:
    """Serving officers in scope whose training hours in `year` are below the minimum."""
    hours = (
        TrainingRecord.objects.filter(officer=OuterRef("pk"), year=year)
        .values("officer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return (
        officer_list(user=user)
        .annotate(year_hours=Subquery(hours))
        .filter(Q(year_hours__isnull=True) | Q(year_hours__lt=training_min_hours()))
    )


# ---- public (portal): no personal data


def public_agency_list(*, q: str = "") -> QuerySet[Agency]:
    qs = Agency.objects.filter(is_active=True, unit__is_active=True).select_related("unit", "entrusting_agency__unit")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(jurisdiction__icontains=q) | Q(domains__icontains=q))
    return qs.annotate(
        item_count=Count("power_items", filter=Q(power_items__is_current=True, power_items__is_active=True)),
    ).order_by("unit__path", "unit__sort_order", "id")


def public_agency_get(*, pk) -> Agency:
    try:
        return public_agency_list().get(pk=pk)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def public_power_items(*, agency: Agency) -> QuerySet[PowerItem]:
    return (
        PowerItem.objects.filter(agency=agency, is_current=True, is_active=True)
        .prefetch_related("legal_bases")
        .order_by("code")
    )


def officer_figures_by_unit(*, year: int, day: dt.date) -> dict[str, dict[int, tuple[int, int]]]:
    """For the assessment module (考核), system-wide, per agency unit, over the officers on post: "certified"
    (holding a certificate valid on `day`, officers) and "trained" (with at least the yearly minimum of training
    hours in `year`, officers). Two GROUP BY queries with EXISTS subqueries."""
    valid = Certificate.objects.filter(officer=OuterRef("pk"), status="active", valid_from__lte=day, valid_to__gte=day)
    trained = (
        TrainingRecord.objects.filter(officer=OuterRef("pk"), year=year)
        .values("officer")
        .annotate(h=Sum("hours"))
        .filter(h__gte=training_min_hours())
    )
    rows = (
        Officer.objects.filter(is_active=True)
        .annotate(ok=Exists(valid), tr=Exists(trained))
        .values("agency__unit_id")
        .annotate(n=Count("pk"), c=Count("pk", filter=Q(ok=True)), t=Count("pk", filter=Q(tr=True)))
        .order_by()
    )
    return {
        "certified": {r["agency__unit_id"]: (r["c"], r["n"]) for r in rows},
        "trained": {r["agency__unit_id"]: (r["t"], r["n"]) for r in rows},
    }


def training_figures_by_unit(*, year: int) -> dict[str, dict[int, int]]:
    """For the assessment module's reports, system-wide, per agency unit, over the training records of `year` of
    the officers on post: "hours" (training hours, summed and rounded down to whole hours) and "passed" (officers
    who passed the year's law exam). One GROUP BY."""
    rows = (
        TrainingRecord.objects.filter(year=year, officer__is_active=True)
        .values("officer__agency__unit_id")
        .annotate(h=Sum("hours"), p=Count("pk", filter=Q(exam_passed=True)))
        .order_by()
    )
    return {
        "hours": {r["officer__agency__unit_id"]: int(r["h"] or 0) for r in rows},
        "passed": {r["officer__agency__unit_id"]: r["p"] for r in rows},
    }
