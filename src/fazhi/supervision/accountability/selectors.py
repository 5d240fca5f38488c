"""Reads of 专项监督与责任追究, each applying the viewer's data scope.

- Investigations: by the investigated unit (and the opening Justice Bureau) within the scope; the 本人 scope — an
  invited supervisor — sees only the investigations whose team he is in (so does anyone, beside his scope).
- Proposals, records, typical cases: by the answerable unit within the scope, or a unit the viewer's unit
  supervises; with the 本人 scope an officer sees the records that name him, and nothing else.
Outside the scope an object does not exist (NotFound, 404).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import Role, Unit, User
from fazhi.core.normalize import clean_text
from fazhi.core.scope import scope_q, user_data_scope
from fazhi.documents.models import GeneratedDocument
from fazhi.documents.selectors import documents_for
from fazhi.supervision.accountability import rules
from fazhi.supervision.accountability.models import (
    AccountabilityOfficer,
    AccountabilityProposal,
    AccountabilityRecord,
    AccountabilitySanction,
    Investigation,
    InvestigationReferral,
    TypicalCase,
)
from fazhi.tracking import rules as tracking_rules
from fazhi.tracking.models import TimelineEvent
from fazhi.tracking.selectors import yellow_until

OBJECT_INVESTIGATION = "investigation"
OBJECT_RECORD = "accountability_record"
OBJECT_TYPICAL = "typical_case"


def _nothing() -> Q:
    return Q(pk__in=[])


def _unit_q(user, unit_field: str = "unit") -> Q:
    """The unit within the viewer's scope, or one his unit supervises; Q() for the 全部 scope."""
    scope = user_data_scope(user)
    if scope == "all":
        return Q()
    if user.unit_id is None or scope == "self":
        return _nothing()
    return scope_q(user, unit_field=unit_field) | Q(**{f"{unit_field}__supervising_unit_id": user.unit_id})


def _light(qs: QuerySet, today: dt.date, prefix: str = "item__") -> QuerySet:
    return qs.annotate(
        light=tracking_rules.light_expression(today=today, yellow_until=yellow_until(today), prefix=prefix)
    )


def _light_filter(qs: QuerySet, light: str, today: dt.date) -> QuerySet:
    if light in ("red", "yellow", "green"):
        qs = qs.filter(
            tracking_rules.light_q(light=light, today=today, yellow_until=yellow_until(today), prefix="item__")
        )
    return qs


def timeline(*, item_ids) -> QuerySet[TimelineEvent]:
    return (
        TimelineEvent.objects.filter(item_id__in=[i for i in item_ids if i])
        .order_by("item_id", "seq")
        .select_related("actor")
        .prefetch_related("attachments")
    )


# ---------------------------------------------------------------- investigations


def investigation_scope_q(user) -> Q:
    member = Q(pk__in=Investigation.investigators.through.objects.filter(user_id=user.pk).values("investigation_id"))
    if user_data_scope(user) == "self":
        return member
    unit_q = _unit_q(user)
    if not unit_q:
        return Q()
    return unit_q | _unit_q(user, "opened_unit") | member


@dataclass
class InvestigationFilters:
    q: str = ""
    status: str = ""
    light: str = ""
    unit: int | None = None


def investigation_list(*, user, filters: InvestigationFilters | None = None, today: dt.date | None = None):
    f = filters or InvestigationFilters()
    today = today or timezone.localdate()
    qs = Investigation.objects.filter(investigation_scope_q(user)).select_related("unit", "item", "opened_unit")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    q = clean_text(f.q)
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(basis_label__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(notice_number__icontains=q)
        )
    qs = _light_filter(qs, f.light, today)
    return _light(qs, today).order_by("-opened_on", "-id")


def investigation_get(*, user, pk) -> Investigation:
    try:
        return (
            _light(Investigation.objects.filter(investigation_scope_q(user)), timezone.localdate())
            .select_related("unit", "item", "opened_unit", "opened_by")
            .get(pk=pk)
        )
    except (Investigation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def investigation_system_get(*, pk) -> Investigation:
    try:
        return Investigation.objects.select_related("unit").get(pk=pk)
    except (Investigation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def investigation_steps(*, investigation: Investigation):
    return investigation.steps.select_related("by", "unit").prefetch_related("attachments")


def investigation_referrals(*, investigation: Investigation):
    return investigation.referrals.select_related("by").prefetch_related("follow_ups__by")


def investigation_documents(*, investigation: Investigation):
    return documents_for(object_kind=OBJECT_INVESTIGATION, object_id=investigation.pk)


def investigation_document_get(*, user, pk, document_pk):
    """A document generated for an investigation the viewer may see; anything else does not exist."""
    investigation = investigation_get(user=user, pk=pk)
    try:
        return investigation_documents(investigation=investigation).get(pk=document_pk)
    except (GeneratedDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def referral_get(*, user, pk) -> InvestigationReferral:
    try:
        return (
            InvestigationReferral.objects.filter(
                investigation__in=Investigation.objects.filter(investigation_scope_q(user))
            )
            .select_related("investigation__unit")
            .get(pk=pk)
        )
    except (InvestigationReferral.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def eligible_investigators() -> QuerySet[User]:
    """Active users who may be on an investigation team (investigation.join): the Justice Bureau's supervisors
    and the invited supervisors."""
    roles = [r.pk for r in Role.objects.filter(is_active=True) if "investigation.join" in (r.permissions or [])]
    return (
        User.objects.filter(is_active=True, roles__in=roles)
        .distinct()
        .select_related("unit")
        .order_by("unit__path", "username")
    )


def basis_lookup(*, user, kind: str, ref) -> int:
    """The id of the record a supervisor names by its id, its 案号 or its 查询码 (a case's or a complaint's own
    reference, read through that app's scoped selectors). An unknown reference is a field error."""
    ref = clean_text(ref)
    if not ref:
        raise DomainError("请填写关联对象：案号、投诉查询码或编号", field="basis_id")
    if ref.isdigit():
        return int(ref)
    found = None
    if kind == "case":
        from fazhi.cases.selectors import CaseFilters, case_list

        found = case_list(user=user, filters=CaseFilters(q=ref)).filter(number=ref).values_list("pk", flat=True).first()
    elif kind == "complaint":
        from fazhi.complaints.selectors import ComplaintFilters, complaint_list

        found = (
            complaint_list(user=user, filters=ComplaintFilters(q=ref))
            .filter(tracking_code=ref.upper())
            .values_list("pk", flat=True)
            .first()
        )
    if found is None:
        raise DomainError(f"“{ref}”不存在或无权查看", field="basis_id")
    return found


def investigation_units(*, user) -> QuerySet[Unit]:
    """Enforcement units an investigation may be about, within the viewer's scope."""
    return Unit.objects.filter(_unit_q(user, ""), is_active=True, kind__in=("agency", "township")).order_by(
        "path", "sort_order"
    )


# ---------------------------------------------------------------- 移送纪检监察 waiting for a follow-up


def referrals_due(user, today: dt.date, limit: int = 50):
    """The 督办 desk's section: referrals still waiting for the organ's result, due for a follow-up
    (registered with tracking in setup). None for those who do not follow referrals up."""
    from fazhi.core.scope import has_permission
    from fazhi.tracking.registry import DeskRow

    if not has_permission(user, "investigation.manage"):
        return None
    qs = (
        InvestigationReferral.objects.filter(
            status="pending", investigation__in=Investigation.objects.filter(investigation_scope_q(user))
        )
        .select_related("investigation__unit")
        .prefetch_related("follow_ups")
        .order_by("referred_on", "id")
    )
    every = dt.timedelta(days=rules.referral_follow_up_days())
    rows = []
    for r in qs[:limit]:
        last = max([r.referred_on, *(f.on for f in r.follow_ups.all())])
        rows.append(
            DeskRow(
                title=f"移送{r.organ}：{r.investigation.title}",
                url=reverse("supervision:accountability:investigation_detail", args=[r.investigation_id]),
                deadline=last + every,
                deadline_source=rules.referral_follow_up_source(),
                unit=r.investigation.unit.name,
            )
        )
    rows.sort(key=lambda row: row.deadline)
    return rows, qs.count()


# ---------------------------------------------------------------- invited supervisors' duties


def investigator_duty_rows(user):
    """The investigations whose team the user is in, open ones first (duties.py: his own page)."""
    from fazhi.supervision.duties import DutyRow

    qs = (
        Investigation.objects.filter(investigators=user)
        .select_related("item")
        .order_by("status", "-opened_on", "-id")[:100]
    )
    return [
        DutyRow(
            title=f"专项监督调查：{i.title}",
            url=reverse("supervision:accountability:investigation_detail", args=[i.pk]),
            status=i.get_status_display(),
            due=i.item.deadline if i.status == "open" else None,
            done=i.status == "concluded",
        )
        for i in qs
    ]


def investigator_done_counts(user_ids: list[int], date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Investigations concluded in the period, per member of their team (the activity ledger)."""
    through = Investigation.investigators.through
    rows = (
        through.objects.filter(
            user_id__in=user_ids,
            investigation__status="concluded",
            investigation__concluded_on__gte=date_from,
            investigation__concluded_on__lte=date_to,
        )
        .values("user_id")
        .annotate(n=Count("id"))
    )
    return {r["user_id"]: r["n"] for r in rows}


# ---------------------------------------------------------------- proposals


def proposal_scope_q(user) -> Q:
    return _unit_q(user)


def proposal_list(*, user, q: str = "", status: str = "", today: dt.date | None = None):
    today = today or timezone.localdate()
    qs = AccountabilityProposal.objects.filter(proposal_scope_q(user)).select_related("unit", "item")
    if status:
        qs = qs.filter(status=status)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(source_label__icontains=q) | Q(reason__icontains=q) | Q(unit__name__icontains=q))
    return _light(qs, today).order_by("-proposed_on", "-id")


def proposal_get(*, user, pk) -> AccountabilityProposal:
    try:
        return (
            _light(AccountabilityProposal.objects.filter(proposal_scope_q(user)), timezone.localdate())
            .select_related("unit", "item")
            .get(pk=pk)
        )
    except (AccountabilityProposal.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def proposal_ref(*, user, pk, field: str = "proposal") -> AccountabilityProposal:
    try:
        return proposal_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"追责建议（id={pk}）不存在或无权查看", field=field) from None


# ---------------------------------------------------------------- records


def record_scope_q(user) -> Q:
    if user_data_scope(user) == "self":
        return Q(pk__in=AccountabilityOfficer.objects.filter(officer__user_id=user.pk).values("record_id"))
    return _unit_q(user)


@dataclass
class RecordFilters:
    q: str = ""
    status: str = ""
    year: int | None = None
    light: str = ""


def record_list(*, user, filters: RecordFilters | None = None, today: dt.date | None = None):
    f = filters or RecordFilters()
    today = today or timezone.localdate()
    qs = AccountabilityRecord.objects.filter(record_scope_q(user)).select_related("unit", "item")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.year:
        qs = qs.filter(opened_on__gte=dt.date(f.year, 1, 1), opened_on__lt=dt.date(f.year + 1, 1, 1))
    q = clean_text(f.q)
    if q:
        qs = qs.filter(
            Q(case_label__icontains=q)
            | Q(source_label__icontains=q)
            | Q(reason__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(officers__officer__name__icontains=q)
        ).distinct()
    qs = _light_filter(qs, f.light, today)
    return _light(qs, today).prefetch_related("officers__officer", "officers__sanctions").order_by("-opened_on", "-id")


def record_get(*, user, pk) -> AccountabilityRecord:
    try:
        return (
            _light(AccountabilityRecord.objects.filter(record_scope_q(user)), timezone.localdate())
            .select_related("unit", "item", "proposal", "opened_by")
            .get(pk=pk)
        )
    except (AccountabilityRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def record_ref(*, user, pk, field: str = "record") -> AccountabilityRecord:
    try:
        return record_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"追责记录（id={pk}）不存在或无权查看", field=field) from None


def record_documents(*, record: AccountabilityRecord):
    return documents_for(object_kind=OBJECT_RECORD, object_id=record.pk)


def record_document_get(*, user, pk, document_pk):
    record = record_get(user=user, pk=pk)
    try:
        return record_documents(record=record).get(pk=document_pk)
    except (GeneratedDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class OfficerRow:
    entry: AccountabilityOfficer
    certificate: object  # the registry certificate valid today, or None
    registry_url: str  # the officer's page in the registry ("" when the viewer may not open it)
    other_records: list = field(default_factory=list)


def record_officers(*, user, record: AccountabilityRecord, today: dt.date | None = None) -> list[OfficerRow]:
    """Each answerable officer with his registry record (read-only): the certificate valid today, the link to
    his registry page when the viewer may see it, and his other accountability records within the scope."""
    from fazhi.core.scope import has_permission
    from fazhi.registry.selectors import officer_certificate_on, officer_list

    today = today or timezone.localdate()
    entries = list(record.officers.select_related("officer__agency__unit").prefetch_related("sanctions"))
    visible = set()
    if has_permission(user, "registry.view"):
        visible = set(
            officer_list(user=user, active=None)
            .filter(pk__in=[e.officer_id for e in entries])
            .values_list("pk", flat=True)
        )
    others: dict[int, list] = {}
    for other in (
        AccountabilityOfficer.objects.filter(
            officer_id__in=[e.officer_id for e in entries],
            record__in=AccountabilityRecord.objects.filter(record_scope_q(user)),
        )
        .exclude(record=record)
        .select_related("record")
    ):
        others.setdefault(other.officer_id, []).append(other.record)
    return [
        OfficerRow(
            entry=e,
            certificate=officer_certificate_on(officer=e.officer, day=today),
            registry_url=reverse("registry:officer_detail", args=[e.officer_id]) if e.officer_id in visible else "",
            other_records=others.get(e.officer_id, []),
        )
        for e in entries
    ]


def officer_accountability(*, user, officer) -> QuerySet[AccountabilityOfficer]:
    """An officer's accountability entries within the viewer's scope (for the registry's officer page, later)."""
    return (
        AccountabilityOfficer.objects.filter(
            officer=officer, record__in=AccountabilityRecord.objects.filter(record_scope_q(user))
        )
        .select_related("record__unit")
        .prefetch_related("sanctions")
        .order_by("-record__opened_on", "-id")
    )


def unit_officers(*, user, unit: Unit):
    """Registry officers of the enforcement body whose unit this is (those who left included: a record may name
    them), through the registry's scoped selector."""
    from fazhi.registry.selectors import officer_list

    return officer_list(user=user, active=None).filter(agency__unit=unit).order_by("-is_active", "name", "id")


def case_for(*, user, case_id):
    """The penalty case behind a record or a typical case, through the cases app's scoped selector."""
    from fazhi.cases.selectors import case_get

    return case_get(user=user, pk=case_id)


def case_handler_officer_ids(*, user, case_id) -> list[int]:
    """The handlers of the case (cases.selectors.case_handlers): the officers a record prefills."""
    from fazhi.cases.selectors import case_handlers

    try:
        case = case_for(user=user, case_id=case_id)
    except NotFound:
        return []
    return [row.officer.pk for row in case_handlers(case=case)]


def case_lookup(*, user, ref, field: str = "case_id") -> int:
    """A penalty case named by its id or its 案号 (a problem on `field`)."""
    if not clean_text(ref):
        raise DomainError("请填写行政处罚案件的案号或编号", field=field)
    try:
        return basis_lookup(user=user, kind="case", ref=ref)
    except DomainError as exc:
        raise DomainError(exc.message, field=field) from None


def case_and_unit(*, user, ref, field: str = "case_id"):
    """(case id, the unit of its enforcement body) of a case named by id or 案号 inside the viewer's scope."""
    case_id = case_lookup(user=user, ref=ref, field=field)
    try:
        return case_id, case_for(user=user, case_id=case_id).agency.unit
    except NotFound:
        raise DomainError(f"行政处罚案件“{clean_text(ref)}”不存在或无权查看", field=field) from None


# ---------------------------------------------------------------- statistics


@dataclass
class StatRow:
    unit_id: int
    unit: str
    records: int = 0
    decided: int = 0
    officers: int = 0
    exempt: int = 0
    kinds: dict = field(default_factory=dict)

    def kind_counts(self) -> list[int]:
        return [self.kinds.get(code, 0) for code, _ in rules.RESPONSIBILITY_CHOICES]


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def _stats(records: QuerySet) -> list[StatRow]:
    """Records, officers, exemptions and each kind of responsibility per unit: three grouped queries."""
    rows: dict[int, StatRow] = {}
    for r in records.values("unit_id", "unit__name").annotate(
        n=Count("id"), decided=Count("id", filter=Q(status="decided"))
    ):
        rows[r["unit_id"]] = StatRow(r["unit_id"], r["unit__name"], records=r["n"], decided=r["decided"])
    for r in (
        AccountabilityOfficer.objects.filter(record__in=records)
        .values("record__unit_id")
        .annotate(n=Count("id"), exempt=Count("id", filter=Q(exempt=True)))
    ):
        row = rows[r["record__unit_id"]]
        row.officers, row.exempt = r["n"], r["exempt"]
    for r in (
        AccountabilitySanction.objects.filter(entry__record__in=records)
        .values("entry__record__unit_id", "kind")
        .annotate(n=Count("id"))
    ):
        rows[r["entry__record__unit_id"]].kinds[r["kind"]] = r["n"]
    return sorted(rows.values(), key=lambda row: (-row.records, row.unit))


def accountability_stats(*, user, year: int) -> list[StatRow]:
    """追责统计 of a year (by the record's opening date), per answerable unit within the viewer's scope."""
    start, end = _year_range(year)
    return _stats(AccountabilityRecord.objects.filter(record_scope_q(user), opened_on__gte=start, opened_on__lt=end))


def stats_totals(rows: list[StatRow]) -> StatRow:
    total = StatRow(0, "合计")
    for r in rows:
        total.records += r.records
        total.decided += r.decided
        total.officers += r.officers
        total.exempt += r.exempt
        for k, n in r.kinds.items():
            total.kinds[k] = total.kinds.get(k, 0) + n
    return total


def stats_years(*, user) -> list[int]:
    this = timezone.localdate().year
    first = (
        AccountabilityRecord.objects.filter(record_scope_q(user))
        .order_by("opened_on")
        .values_list("opened_on", flat=True)
        .first()
    )
    start = min(first.year, this) if first else this
    return list(range(this, start - 1, -1))


def accountability_unit_counts(*, year: int, unit_ids: list[int] | None = None) -> dict[int, StatRow]:
    """For the assessment module (no viewer: the system's own scoring): each unit's records of the year,
    answerable officers, exemptions and responsibilities by kind. Keyed by core Unit id."""
    start, end = _year_range(year)
    records = AccountabilityRecord.objects.filter(opened_on__gte=start, opened_on__lt=end)
    if unit_ids is not None:
        records = records.filter(unit_id__in=unit_ids)
    return {row.unit_id: row for row in _stats(records)}


# ---------------------------------------------------------------- typical cases


def typical_scope_q(user) -> Q:
    return _unit_q(user)


def typical_list(*, user, q: str = "", status: str = "", today: dt.date | None = None):
    today = today or timezone.localdate()
    qs = TypicalCase.objects.filter(typical_scope_q(user)).select_related("unit", "item")
    if status:
        qs = qs.filter(status=status)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(case_label__icontains=q) | Q(unit__name__icontains=q))
    return _light(qs, today).order_by("-marked_on", "-id")


def typical_get(*, user, pk) -> TypicalCase:
    try:
        return (
            _light(TypicalCase.objects.filter(typical_scope_q(user)), timezone.localdate())
            .select_related("unit", "item", "record")
            .get(pk=pk)
        )
    except (TypicalCase.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class Preview:
    texts: dict  # field -> masked text as the portal would show it
    party: str
    officers: str
    problems: list  # (field, message) that refuse publication


def typical_preview(*, typical: TypicalCase) -> Preview:
    """What publication would put on the portal now, and what stops it (the same functions the service runs)."""
    from fazhi.core.masking import mask_name, party_display

    shown, _ = party_display(kind=typical.party_kind or "organisation", name=typical.party_name)
    hidden = shown != typical.party_name
    names = list(typical.officer_names) + ([typical.party_name] if hidden else [])
    texts = {f: getattr(typical, f) for f, _ in rules.PUBLIC_FIELDS}
    return Preview(
        texts={f: rules.mask_public_text(t, names=names) for f, t in texts.items()},
        party=shown,
        officers="、".join(mask_name(n) for n in typical.officer_names),
        problems=rules.publication_problems(texts=texts, party_name=typical.party_name, party_hidden=hidden),
    )


def typical_documents(*, typical: TypicalCase):
    return documents_for(object_kind=OBJECT_TYPICAL, object_id=typical.pk)


def typical_document_get(*, user, pk, document_pk):
    typical = typical_get(user=user, pk=pk)
    try:
        return typical_documents(typical=typical).get(pk=document_pk)
    except (GeneratedDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def typical_active_for_case(*, case_id) -> TypicalCase | None:
    return TypicalCase.objects.filter(case_id=case_id, status__in=("draft", "published")).first()


# ---------------------------------------------------------------- the portal (no viewer: published only)


def public_typical_list(*, q: str = "", agency: str = "", year: int | None = None) -> QuerySet[TypicalCase]:
    qs = TypicalCase.objects.filter(status="published").only(
        "id", "public_title", "public_agency", "public_summary", "published_on"
    )
    q = clean_text(q)
    if q:
        qs = qs.filter(
            Q(public_title__icontains=q)
            | Q(public_summary__icontains=q)
            | Q(public_lesson__icontains=q)
            | Q(public_agency__icontains=q)
        )
    agency = clean_text(agency)
    if agency:
        qs = qs.filter(public_agency=agency)
    if year:
        start, end = _year_range(year)
        qs = qs.filter(published_on__gte=start, published_on__lt=end)
    return qs.order_by("-published_on", "-id")


def public_typical_get(*, pk) -> TypicalCase:
    try:
        return TypicalCase.objects.filter(status="published").get(pk=pk)
    except (TypicalCase.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def public_typical_agencies() -> list[str]:
    return list(
        TypicalCase.objects.filter(status="published")
        .order_by("public_agency")
        .values_list("public_agency", flat=True)
        .distinct()
    )


def public_typical_years() -> list[int]:
    days = TypicalCase.objects.filter(status="published").values_list("published_on", flat=True)
    return sorted({d.year for d in days if d}, reverse=True)


# ---------------------------------------------------------------- item visibility (tracking.register_visibility)


def investigation_items_q(user) -> Q:
    return Q(pk__in=Investigation.objects.filter(investigation_scope_q(user)).values("item_id"))


def proposal_items_q(user) -> Q:
    return Q(pk__in=AccountabilityProposal.objects.filter(proposal_scope_q(user)).values("item_id"))


def record_items_q(user) -> Q:
    return Q(pk__in=AccountabilityRecord.objects.filter(record_scope_q(user)).values("item_id"))


def typical_items_q(user) -> Q:
    return Q(pk__in=TypicalCase.objects.filter(typical_scope_q(user)).values("item_id"))
