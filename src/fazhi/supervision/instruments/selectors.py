"""Reads of 监督文书, each applying the viewer's scope: the issuing side sees its own instruments (drafts too),
an agency those addressed to its units and the 通报 published to them, the 本人 scope nothing."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import Attachment, Role, Unit, User
from fazhi.core.normalize import clean_text
from fazhi.core.scope import has_permission, scope_q, user_data_scope
from fazhi.documents.models import GeneratedDocument
from fazhi.documents.selectors import documents_for
from fazhi.supervision.instruments import rules
from fazhi.supervision.instruments.models import Instrument, InstrumentBasis, InstrumentReply, RiskProposal
from fazhi.supervision.links import LINK_KINDS, link_label
from fazhi.tracking import rules as tracking_rules
from fazhi.tracking.models import TimelineEvent
from fazhi.tracking.selectors import yellow_until

OBJECT_KIND = "instrument"  # documents.GeneratedDocument.object_kind of an instrument's documents
NOTHING = Q(pk__in=[])


def instrument_scope_q(user) -> Q:
    """Which instruments the user may see. Issued ones by their recipient (or, for a 通报, the units it was published
    to) inside the user's scope; drafts only on the issuing side (instrument.issue, issuing unit in scope)."""
    scope = user_data_scope(user)
    viewer = has_permission(user, "instrument.view") or has_permission(user, "instrument.issue")
    if not viewer or scope == "self":
        return NOTHING
    issuer = has_permission(user, "instrument.issue")
    if scope == "all":
        return Q() if issuer else ~Q(status__in=rules.UNISSUED)
    if user.unit_id is None:
        return NOTHING
    through = Instrument.audience.through
    published_to = through.objects.filter(scope_q(user, unit_field="unit")).values("instrument_id")
    addressed = ~Q(status__in=rules.UNISSUED) & (
        scope_q(user, unit_field="recipient") | Q(kind=rules.BULLETIN, pk__in=published_to)
    )
    if issuer:
        return addressed | scope_q(user, unit_field="issuing_unit")
    return addressed


@dataclass
class InstrumentFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    light: str = ""
    origin: str = ""
    recipient: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def instrument_list(*, user, filters: InstrumentFilters | None = None, today: dt.date | None = None) -> QuerySet:
    f = filters or InstrumentFilters()
    today = today or timezone.localdate()
    until = yellow_until(today)
    qs = Instrument.objects.filter(instrument_scope_q(user)).select_related("recipient", "issuing_unit", "item")
    if f.kind in rules.KIND_LABELS:
        qs = qs.filter(kind=f.kind)
    if f.status in rules.STATUS_LABELS:
        qs = qs.filter(status=f.status)
    if f.origin in ("manual", "proposed", "risk"):
        qs = qs.filter(origin=f.origin)
    if f.recipient:
        qs = qs.filter(recipient_id=f.recipient)
    if f.date_from:
        qs = qs.filter(Q(issued_on__gte=f.date_from) | Q(issued_on__isnull=True, created_at__date__gte=f.date_from))
    if f.date_to:
        qs = qs.filter(Q(issued_on__lte=f.date_to) | Q(issued_on__isnull=True, created_at__date__lte=f.date_to))
    if f.light in ("red", "yellow", "green"):
        qs = qs.filter(item__isnull=False).filter(
            tracking_rules.light_q(light=f.light, today=today, yellow_until=until, prefix="item__")
        )
    q = clean_text(f.q)
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(number__icontains=q)
            | Q(recipient__name__icontains=q)
            | Q(recipient__short_name__icontains=q)
            | Q(facts__icontains=q)
        )
    return qs.annotate(
        light=tracking_rules.light_expression(today=today, yellow_until=until, prefix="item__")
    ).order_by("-created_at", "-id")


def instrument_get(*, user, pk) -> Instrument:
    try:
        return (
            Instrument.objects.filter(instrument_scope_q(user))
            .select_related("recipient", "issuing_unit", "item", "follows", "issued_by", "created_by")
            .get(pk=pk)
        )
    except (Instrument.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def instrument_ref(*, user, pk, field: str = "instrument") -> Instrument:
    """For input naming an instrument: one the viewer cannot see is a DomainError on the field."""
    try:
        return instrument_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"监督文书“{pk}”不存在或无权查看", field=field) from None


@dataclass
class BasisRow:
    basis: InstrumentBasis
    kind_label: str
    link: object  # supervision.links.Linked, or None when the viewer may not follow it


def instrument_bases(*, user, instrument: Instrument) -> list[BasisRow]:
    """The instrument's bases, each followed only inside the viewer's scope (otherwise the stored line alone)."""
    rows = []
    for b in instrument.bases.all():
        kind = LINK_KINDS.get(b.kind)
        rows.append(BasisRow(b, kind.label if kind else b.kind, link_label(user=user, kind=b.kind, pk=b.object_id)))
    return rows


def instrument_replies(*, instrument: Instrument) -> QuerySet[InstrumentReply]:
    return instrument.replies.select_related("by", "unit", "reviewed_by").prefetch_related("attachments")


def instrument_timeline(*, instrument: Instrument) -> QuerySet[TimelineEvent]:
    if not instrument.item_id:
        return TimelineEvent.objects.none()
    return (
        TimelineEvent.objects.filter(item_id=instrument.item_id)
        .order_by("seq")
        .select_related("actor")
        .prefetch_related("attachments")
    )


def instrument_documents(*, instrument: Instrument) -> QuerySet[GeneratedDocument]:
    return documents_for(object_kind=OBJECT_KIND, object_id=instrument.pk)


def instrument_file_get(*, user, pk, attachment_pk) -> Attachment:
    """A file of an instrument the viewer may see: one of its generated documents, a reply's evidence or an
    attachment on its timeline. Anything else does not exist (404)."""
    instrument = instrument_get(user=user, pk=pk)
    docs = GeneratedDocument.objects.filter(object_kind=OBJECT_KIND, object_id=instrument.pk).values("attachment_id")
    replies = InstrumentReply.attachments.through.objects.filter(instrumentreply__instrument=instrument).values(
        "attachment_id"
    )
    events = TimelineEvent.attachments.through.objects.filter(timelineevent__item_id=instrument.item_id).values(
        "attachment_id"
    )
    try:
        return Attachment.objects.filter(Q(pk__in=docs) | Q(pk__in=replies) | Q(pk__in=events)).get(pk=attachment_pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def recipient_choices(*, user) -> QuerySet[Unit]:
    """Units an instrument can be addressed to: active agencies and townships inside the issuer's scope."""
    qs = Unit.objects.filter(is_active=True, kind__in=("agency", "township"))
    if user_data_scope(user) != "all":
        qs = qs.filter(scope_q(user, unit_field="")) if user.unit_id else qs.none()
    return qs.order_by("sort_order", "id")


def recipient_ref(*, user, pk, field: str = "recipient") -> Unit | None:
    if pk in (None, ""):
        return None
    try:
        return recipient_choices(user=user).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise DomainError(f"主送单位“{pk}”不存在或不在本人管辖范围内", field=field) from None


def unit_users_with(*, unit_ids, permission: str) -> list[User]:
    """Active users of these units who hold the permission (recipients of a delivery)."""
    role_ids = [r.pk for r in Role.objects.filter(is_active=True) if permission in (r.permissions or [])]
    return list(User.objects.filter(unit_id__in=list(unit_ids), is_active=True, roles__in=role_ids).distinct())


def supervised_units(*, unit: Unit) -> list[Unit]:
    """Every active agency and township the unit supervises, directly or through a lower supervising unit (a city
    Justice Bureau supervises the districts' bureaus, which supervise their agencies): the audience of a 通报."""
    found: dict[int, Unit] = {}
    frontier = [unit.pk]
    seen = {unit.pk}
    while frontier:
        level = list(Unit.objects.filter(supervising_unit_id__in=frontier, is_active=True))
        frontier = [u.pk for u in level if u.pk not in seen]
        seen.update(frontier)
        for u in level:
            if u.kind in ("agency", "township"):
                found[u.pk] = u
    return sorted(found.values(), key=lambda u: (u.sort_order, u.pk))


def supervising_unit_of(unit: Unit) -> Unit | None:
    return unit.escalation_unit


# ---------------------------------------------------------------- unheeded 意见书 (the periodic job)


def unheeded_opinions(*, today: dt.date) -> list[tuple[Instrument, str]]:
    """Issued 意见书 that went unheeded (rules.unheeded_reason) and are not yet followed by any 决定书 (a proposal,
    a draft or an issued one, even a dismissed proposal): one query for the candidates, the rule per row."""
    c = rules.conf()
    limit = int(c["UNHEEDED_RETURNS"])
    candidates = Q(item__deadline__lt=today) if c["UNHEEDED_ON_OVERDUE"] else NOTHING
    if limit:
        candidates |= Q(returns__gte=limit)
    pending_on_time = InstrumentReply.objects.filter(instrument=OuterRef("pk"), status="pending", on_time=True)
    qs = (
        Instrument.objects.filter(kind=rules.OPINION, status__in=rules.OPEN, item__isnull=False)
        .filter(candidates)
        .exclude(Exists(Instrument.objects.filter(follows=OuterRef("pk"), kind=rules.DECISION)))
        .annotate(pending_on_time=Exists(pending_on_time))
        .select_related("item", "recipient", "issuing_unit")
        .order_by("pk")
    )
    found = []
    for opinion in qs:
        reason = rules.unheeded_reason(
            status=opinion.status,
            deadline=opinion.item.deadline,
            today=today,
            returns=opinion.returns,
            pending_reply_on_time=opinion.pending_on_time,
            returns_limit=limit,
            on_overdue=c["UNHEEDED_ON_OVERDUE"],
        )
        if reason:
            found.append((opinion, reason))
    return found


# ---------------------------------------------------------------- 执法风险预警提醒


def risk_figures(*, date_from: dt.date, date_to: dt.date) -> dict[int, tuple[int, int]]:
    """Per agency unit: (statutory-check warnings opened, complaints received) in the period — two GROUP BY queries
    through the cases and complaints selectors, system-wide (the job computes them for every agency)."""
    from fazhi.cases.selectors import case_warning_counts
    from fazhi.complaints.selectors import complaint_counts_by_agency

    warnings = case_warning_counts(date_from=date_from, date_to=date_to)
    complaints = complaint_counts_by_agency(date_from=date_from, date_to=date_to)
    return {uid: (warnings.get(uid, 0), complaints.get(uid, 0)) for uid in set(warnings) | set(complaints)}


def _risk_scope_q(user) -> Q:
    if not has_permission(user, "instrument.issue") or user_data_scope(user) == "self":
        return NOTHING
    return scope_q(user, unit_field="unit")


@dataclass
class RiskFilters:
    q: str = ""
    status: str = ""
    period_start: dt.date | None = None


def risk_list(*, user, filters: RiskFilters | None = None) -> QuerySet[RiskProposal]:
    f = filters or RiskFilters()
    qs = RiskProposal.objects.filter(_risk_scope_q(user)).select_related("unit", "reminder", "handled_by")
    if f.status in dict(RiskProposal.STATUSES):
        qs = qs.filter(status=f.status)
    if f.period_start:
        qs = qs.filter(period_start=f.period_start)
    q = clean_text(f.q)
    if q:
        qs = qs.filter(Q(unit__name__icontains=q) | Q(unit__short_name__icontains=q) | Q(reasons__icontains=q))
    return qs.order_by("-period_start", "-created_at", "-id")


def risk_get(*, user, pk) -> RiskProposal:
    try:
        return RiskProposal.objects.filter(_risk_scope_q(user)).select_related("unit", "reminder").get(pk=pk)
    except (RiskProposal.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# ---------------------------------------------------------------- statistics (for the assessment module)


@dataclass
class ReplyStatRow:
    unit_id: int
    unit: str
    issued: int  # instruments that needed a reply, issued in the period
    replied_on_time: int  # the accepted reply came within the period set
    overdue: int  # accepted late, or still without an accepted reply after the deadline
    open: int  # still running (not yet due, or waiting for the review)

    @property
    def on_time_rate(self) -> float | None:
        return round(self.replied_on_time / self.issued, 4) if self.issued else None


def instrument_reply_stats(
    *, date_from: dt.date | None, date_to: dt.date | None, user=None, today: dt.date | None = None
) -> list[ReplyStatRow]:
    """Per recipient unit: instruments issued in [date_from, date_to] that needed a reply, how many were answered on
    time (accepted reply within the period), how many went overdue. One GROUP BY query.

    `user` None: every unit (the assessment module scores units from this); with a user, his scope."""
    today = today or timezone.localdate()
    qs = Instrument.objects.filter(needs_reply=True, issued_on__isnull=False, recipient__isnull=False)
    if user is not None:
        qs = qs.filter(instrument_scope_q(user))
    if date_from:
        qs = qs.filter(issued_on__gte=date_from)
    if date_to:
        qs = qs.filter(issued_on__lte=date_to)
    late_answer = Q(status=rules.ACCEPTED, answered_on_time=False)
    unanswered_past = ~Q(status=rules.ACCEPTED) & Q(item__deadline__lt=today)
    rows = (
        qs.values("recipient_id", "recipient__name", "recipient__sort_order")
        .annotate(
            issued=Count("pk"),
            on_time=Count("pk", filter=Q(status=rules.ACCEPTED, answered_on_time=True)),
            overdue=Count("pk", filter=late_answer | unanswered_past),
            open=Count("pk", filter=Q(status__in=rules.OPEN, item__deadline__gte=today)),
        )
        .order_by("recipient__sort_order", "recipient_id")
    )
    return [
        ReplyStatRow(r["recipient_id"], r["recipient__name"], r["issued"], r["on_time"], r["overdue"], r["open"])
        for r in rows
    ]
