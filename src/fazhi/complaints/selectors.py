"""Reads of complaints, each applying the viewer's scope: supervisors see all in their jurisdiction, an agency
the complaints assigned to its unit subtree, an invited supervisor the clues he registered. The
complainant's identity is shown in full to supervisors only, and each such view is logged."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from fazhi.complaints import rules
from fazhi.complaints.models import Complaint, DisciplineTransfer, Message, Reply
from fazhi.core.errors import NotFound
from fazhi.core.masking import mask_email, mask_name, mask_phone
from fazhi.core.models import Attachment, Unit
from fazhi.core.normalize import clean_text
from fazhi.core.reveal import reveal_log
from fazhi.core.reveal import reveal_reason as reveal_reason_check
from fazhi.core.scope import has_permission, scope_q, user_data_scope
from fazhi.core.search import search_filter
from fazhi.tracking import rules as tracking_rules
from fazhi.tracking.models import TimelineEvent
from fazhi.tracking.selectors import yellow_until


def complaint_scope_q(user) -> Q:
    """Supervisors (triage) see every complaint; others see those of their scope by the assigned agency, and
    with the 本人 scope the clues they registered themselves."""
    if user_data_scope(user) == "self":  # 本人: the clues he registered, and what is his own turn to act on
        return Q(created_by=user) | Q(item__action_user=user)
    if has_permission(user, "complaint.triage"):
        if user_data_scope(user) == "all":
            return Q()
        # A district Justice Bureau: what it supervises or its agencies handle, and the untriaged queue.
        return scope_q(user, unit_field="supervising_unit") | scope_q(user, unit_field="agency") | Q(status="received")
    return scope_q(user, unit_field="agency", owner_field="created_by")


def acceptance_deadline(*, complaint: Complaint) -> tuple[dt.date, str]:
    """The day a complaint waiting in the queue should be accepted by, and the rule's source."""
    from fazhi.workdays.calendar import deadline_calendar_days, deadline_working_days

    rule = rules.acceptance_rule(channel=complaint.channel)
    start = timezone.localdate(complaint.received_at)
    count = deadline_working_days if rule.limit_kind == "working" else deadline_calendar_days
    return count(start, rule.days).deadline, rule.source


def acceptance_queue(user, today: dt.date, limit: int = 50):
    """The 督办 desk's 待受理 section: complaints waiting to be accepted, oldest first, for those who triage
    (None for anyone else). Registered with tracking (complaints.tracking_kinds)."""
    from fazhi.tracking.registry import DeskRow

    if not has_permission(user, "complaint.triage"):
        return None
    qs = Complaint.objects.filter(complaint_scope_q(user), status="received").order_by("received_at", "id")
    rows = []
    for c in qs.select_related("agency_named")[:limit]:
        deadline, source = acceptance_deadline(complaint=c)
        title = f"{c.tracking_code} {c.get_channel_display()} · {c.get_category_display()}：{clean_text(c.description)[:40]}"
        rows.append(
            DeskRow(
                title=title,
                url=reverse("complaints:detail", args=[c.pk]),
                deadline=deadline,
                deadline_source=source,
                unit=c.agency_named.name if c.agency_named_id else "",
            )
        )
    return rows, qs.count()


@dataclass
class ComplaintFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    channel: str = ""
    agency: int | None = None
    light: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def complaint_list(
    *, user, filters: ComplaintFilters | None = None, today: dt.date | None = None, first: int | None = None
) -> QuerySet:
    """The complaints the user may see, newest first. `first`: only the first that many rows (and a count capped
    there) will be read, as a list page does; a keyword search may then leave the later rows out (core/search.py)."""
    f = filters or ComplaintFilters()
    today = today or timezone.localdate()
    until = yellow_until(today)
    # The agency by a second query: joined, it would be joined to every candidate of a search before the sort.
    qs = Complaint.objects.filter(complaint_scope_q(user)).select_related("item").prefetch_related("agency")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.agency:
        qs = qs.filter(agency_id=f.agency)
    if f.date_from:
        qs = qs.filter(received_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(received_at__date__lte=f.date_to)
    if f.light in ("red", "yellow", "green"):
        qs = qs.filter(tracking_rules.light_q(light=f.light, today=today, yellow_until=until, prefix="item__"))
    q = clean_text(f.q)
    if q:
        qs = search_filter(
            qs,
            "search_vector",
            q,
            fields=["description", "place", "party"],
            also=Q(tracking_code__iexact=q) | Q(work_order_no__iexact=q),
            newest=("-received_at", "-id"),
            first=first,
        )
    # The search columns are the widest of the row and no list shows them.
    return (
        qs.defer("search_tokens", "search_vector")
        .annotate(light=tracking_rules.light_expression(today=today, yellow_until=until, prefix="item__"))
        .order_by("-received_at", "-id")
    )


def complaint_get(*, user, pk) -> Complaint:
    try:
        return (
            Complaint.objects.filter(complaint_scope_q(user))
            .select_related("agency", "agency_named", "item", "prior_item", "merged_into", "supervising_unit")
            .get(pk=pk)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def complaint_ref(*, user, pk, field: str = "complaint") -> Complaint:
    from fazhi.core.errors import DomainError

    try:
        return complaint_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"投诉（id={pk}）不存在或无权访问", field=field) from None


@dataclass
class Identity:
    name: str
    phone: str
    email: str
    masked: bool
    anonymous: bool


def complainant_identity(*, user, complaint: Complaint, reveal_reason: str | None = None, ip=None) -> Identity:
    """Masked for everyone; in full only to a supervisor who gives a reason, and that view is logged."""
    if complaint.anonymous:
        return Identity("匿名", "", "", masked=False, anonymous=True)
    if reveal_reason is not None and may_reveal(user=user):
        reveal_log(user=user, obj=complaint, what="投诉人信息", reason=reveal_reason_check(reveal_reason), ip=ip)
        return Identity(
            complaint.complainant_name,
            complaint.complainant_phone,
            complaint.complainant_email,
            masked=False,
            anonymous=False,
        )
    return Identity(
        mask_name(complaint.complainant_name),
        mask_phone(complaint.complainant_phone),
        mask_email(complaint.complainant_email),
        masked=True,
        anonymous=False,
    )


def may_reveal(*, user) -> bool:
    return has_permission(user, "complaint.triage")


def complaint_replies(*, complaint: Complaint) -> QuerySet[Reply]:
    return complaint.replies.select_related("by", "unit", "reviewed_by").prefetch_related("attachments")


def approved_reply(*, complaint: Complaint) -> Reply | None:
    return complaint.replies.filter(status="approved").order_by("-at", "-id").first()


def complaint_timeline(*, complaint: Complaint) -> QuerySet[TimelineEvent]:
    items = [i for i in (complaint.prior_item_id, complaint.item_id) if i]
    return (
        TimelineEvent.objects.filter(item_id__in=items)
        .order_by("item_id", "seq")
        .select_related("actor")
        .prefetch_related("attachments")
    )


def complaint_messages(*, complaint: Complaint) -> QuerySet[Message]:
    return complaint.messages.all()


def complaint_transfers(*, complaint: Complaint) -> QuerySet[DisciplineTransfer]:
    return complaint.discipline_transfers.select_related("by")


def attachment_get(*, user, pk) -> Attachment:
    """A file of a complaint or of a reply that the viewer may see; anything else does not exist."""
    visible = Complaint.objects.filter(complaint_scope_q(user))
    complaint_files = Complaint.attachments.through.objects.filter(attachment_id=OuterRef("pk"), complaint__in=visible)
    reply_files = Reply.attachments.through.objects.filter(attachment_id=OuterRef("pk"), reply__complaint__in=visible)
    try:
        return Attachment.objects.filter(Exists(complaint_files) | Exists(reply_files)).get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# ---------------------------------------------------------------- triage helpers


@dataclass
class Duplicate:
    complaint: Complaint
    score: float
    reasons: list[str] = field(default_factory=list)


def _subject(c: Complaint) -> dict:
    return {
        "agency_id": c.agency_id or c.agency_named_id,
        "party": c.party,
        "place": c.place,
        "description": c.description,
    }


def complaint_duplicates(*, complaint: Complaint, limit: int = 5) -> list[Duplicate]:
    """Complaints of the 30 days around this one about the same agency, party or place with similar text."""
    window = dt.timedelta(days=rules.DUPLICATE_DAYS)
    subject = Q()
    agency_id = complaint.agency_id or complaint.agency_named_id
    if agency_id:
        subject |= Q(agency_id=agency_id) | Q(agency_named_id=agency_id)
    if complaint.party:
        subject |= Q(party__icontains=complaint.party[:20])
    if complaint.place:
        subject |= Q(place__icontains=complaint.place[:20])
    if not subject:
        return []
    candidates = (
        Complaint.objects.filter(subject)
        .filter(received_at__gte=complaint.received_at - window, received_at__lte=complaint.received_at + window)
        .exclude(pk=complaint.pk)
        .exclude(status__in=("out_of_scope", "merged"))
        .order_by("-received_at")[:300]
    )
    me = _subject(complaint)
    found = []
    for other in candidates:
        score, reasons = rules.duplicate_score(me, _subject(other))
        if score:
            found.append(Duplicate(other, score, reasons))
    found.sort(key=lambda d: -d.score)
    return found[:limit]


def assignable_agencies() -> QuerySet[Unit]:
    """Units a complaint can be assigned to (and the public form's list of agencies)."""
    return Unit.objects.filter(is_active=True, kind="agency").order_by("path", "sort_order", "id")


def agency_by_name(*, name: str, field: str = "agency") -> Unit | None:
    """The agency a complainant named (full or unique short name); "" is none; unknown is a field error."""
    from fazhi.core.errors import DomainError

    name = clean_text(name)
    if not name:
        return None
    qs = assignable_agencies()
    unit = qs.filter(name=name).first()
    if unit is None:
        matches = list(qs.filter(short_name=name)[:2])
        unit = matches[0] if len(matches) == 1 else None
    if unit is None:
        raise DomainError(f"单位“{name}”不在列表中：请从列表中选择，或留空由我们判断", field=field)
    return unit


def agency_ref(*, pk, field: str = "agency") -> Unit:
    from fazhi.core.errors import DomainError

    try:
        return assignable_agencies().get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise DomainError(f"承办单位（id={pk}）不存在", field=field) from None


# ---------------------------------------------------------------- public view (status page, APIs)


@dataclass
class PublicView:
    tracking_code: str
    status: str
    status_label: str
    received_on: dt.date
    steps: list[tuple[str, dt.datetime | None]]
    reply: dict | None
    may_rate: bool
    satisfaction: str
    out_of_scope_reason: str


def public_view(*, complaint: Complaint) -> PublicView:
    """Progress and the reply, and nothing else (no agency staff, no internal comments)."""
    handling = complaint.merged_into if complaint.status == "merged" and complaint.merged_into_id else complaint
    reply = approved_reply(complaint=handling) if rules.reply_visible(handling.status) else None
    steps = [
        ("已收到", complaint.received_at),
        ("已受理", handling.accepted_at),
        ("已答复", handling.answered_at),
        ("已办结", handling.closed_at if handling.status == "closed" else None),
    ]
    return PublicView(
        tracking_code=complaint.tracking_code,
        status=handling.status,
        status_label=rules.public_status(handling.status),
        received_on=timezone.localdate(complaint.received_at),
        steps=steps,
        reply={
            "findings": reply.findings,
            "measures": reply.measures,
            "replied_on": timezone.localdate(reply.reviewed_at or reply.at).isoformat(),
        }
        if reply
        else None,
        may_rate=rules.may_rate(status=complaint.status, satisfaction=complaint.satisfaction),
        satisfaction=complaint.get_satisfaction_display() if complaint.satisfaction else "",
        out_of_scope_reason=(
            f"{handling.out_of_scope_reason}"
            + (f"（已转{handling.transferred_to}）" if handling.transferred_to else "")
        )
        if handling.status == "out_of_scope"
        else "",
    )


def hotline_get(*, work_order_no: str) -> Complaint:
    try:
        return Complaint.objects.get(work_order_no=clean_text(work_order_no))
    except Complaint.DoesNotExist:
        raise NotFound() from None


# ---------------------------------------------------------------- statistics

DIMENSIONS = {
    "channel": ("渠道", "channel"),
    "category": ("类别", "category"),
    "agency": ("承办单位", "agency__name"),
    "division": ("区划", "division__name"),
    "month": ("月份", "month"),
}


@dataclass
class StatRow:
    key: str
    label: str
    received: int
    accepted: int
    answered: int
    on_time: int
    on_time_rate: float | None
    avg_days: float | None
    rated: int
    satisfaction_rate: float | None
    reopened: int
    reopen_rate: float | None


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


_AGGREGATES = {
    "received": Count("id"),
    "accepted": Count("id", filter=Q(accepted_at__isnull=False)),
    "answered": Count("id", filter=Q(answered_at__isnull=False)),
    "on_time": Count("id", filter=Q(on_time=True)),
    "days_sum": Sum("handling_days"),
    "days_n": Count("handling_days"),
    "rated": Count("id", filter=~Q(satisfaction="")),
    "satisfied": Count("id", filter=Q(satisfaction__in=("satisfied", "basic"))),
    "reopened": Count("id", filter=Q(reopened=True)),
}
_KEYS = {
    "channel": "channel",
    "category": "category",
    "agency": "agency_id",
    "division": "division_id",
    "month": "month",
}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _live(qs: QuerySet, dimension: str, start: dt.date | None, end: dt.date | None) -> list[dict]:
    """Grouped counts straight from the complaints in [start, end) (dates in local time)."""
    if start:
        qs = qs.filter(received_at__gte=_start_of(start))
    if end:
        qs = qs.filter(received_at__lt=_start_of(end))
    if dimension == "month":
        qs = qs.annotate(month=TruncMonth("received_at"))
    return list(qs.values(_KEYS[dimension]).annotate(**_AGGREGATES).order_by())


def _rollup_usable(user) -> bool:
    # The rollup knows the agency, not who registered a clue: the 本人 scope counts live.
    return user_data_scope(user) in ("all", "subtree", "unit") and (
        not has_permission(user, "complaint.triage") or user_data_scope(user) == "all"
    )


def _rolled_months(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The whole months inside [start, end) that the rollup covers (ended before its last refresh)."""
    from fazhi.complaints.models import StatsState

    state = StatsState.objects.order_by("pk").first()
    if state is None or state.refreshed_at is None:
        return None
    limit = month_start(timezone.localdate(state.refreshed_at))  # months before the refresh month are final
    first = next_month(start) if start and start != month_start(start) else start
    last = month_start(end) if end else limit
    last = min(last, limit)
    if first is None:
        from fazhi.complaints.models import MonthlyStat

        oldest = MonthlyStat.objects.order_by("month").values_list("month", flat=True).first()
        if oldest is None:
            return None
        first = oldest
    return (first, last) if first < last else None


def _stat_rows(user, dimension: str, date_from: dt.date | None, date_to: dt.date | None) -> list[dict]:
    from fazhi.complaints.models import MonthlyStat

    live_qs = Complaint.objects.filter(complaint_scope_q(user))
    end = date_to + dt.timedelta(days=1) if date_to else None
    span = _rolled_months(date_from, end) if _rollup_usable(user) else None
    if span is None:
        return _live(live_qs, dimension, date_from, end)
    first, last = span
    parts = []
    if date_from is None or date_from < first:
        parts += _live(live_qs, dimension, date_from, first)
    parts += _live(live_qs, dimension, last, end)
    rolled = MonthlyStat.objects.filter(month__gte=first, month__lt=last)
    if user_data_scope(user) != "all":
        rolled = rolled.filter(agency_id__in=Unit.objects.filter(scope_q(user, unit_field="")).values("pk"))
    sums = {k: Sum(k) for k in _AGGREGATES}
    parts += list(rolled.values(_KEYS[dimension]).annotate(**sums).order_by())
    merged: dict = {}
    for row in parts:
        key = row[_KEYS[dimension]]
        if dimension == "month" and key is not None:
            key = _month_key(key)
        acc = merged.setdefault(key, dict.fromkeys(_AGGREGATES, 0))
        for k in _AGGREGATES:
            acc[k] += row[k] or 0
    return [{_KEYS[dimension]: k, **v} for k, v in merged.items()]


def _month_key(value) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m")
    return value.strftime("%Y-%m")


def complaint_stats(
    *, user, dimension: str = "agency", date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[StatRow]:
    """Received, accepted, on-time reply rate, average handling time (working days), satisfaction and reopen
    rate by one dimension: grouped SQL over the monthly rollup plus the live rows it does not cover."""
    from fazhi.complaints.models import CATEGORIES, CHANNELS

    if dimension not in DIMENSIONS:
        dimension = "agency"
    rows = _stat_rows(user, dimension, date_from, date_to)
    key = _KEYS[dimension]
    labels: dict = {"channel": dict(CHANNELS), "category": dict(CATEGORIES)}.get(dimension, {})
    if dimension in ("agency", "division"):
        from fazhi.core.models import Division

        ids = [r[key] for r in rows if r[key] is not None]
        model = Unit if dimension == "agency" else Division
        labels = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    out = []
    for r in rows:
        raw = r[key]
        if dimension == "month" and raw is not None and not isinstance(raw, str):
            raw = _month_key(raw)
        label = labels.get(raw, raw) if raw is not None else "（未交办）"
        out.append(
            StatRow(
                key=str(raw if raw is not None else ""),
                label=str(label),
                received=r["received"],
                accepted=r["accepted"],
                answered=r["answered"],
                on_time=r["on_time"],
                on_time_rate=_ratio(r["on_time"], r["answered"]),
                avg_days=round(r["days_sum"] / r["days_n"], 1) if r["days_n"] else None,
                rated=r["rated"],
                satisfaction_rate=_ratio(r["satisfied"], r["rated"]),
                reopened=r["reopened"],
                reopen_rate=_ratio(r["reopened"], r["answered"]),
            )
        )
    out.sort(key=lambda s: (s.key == "", s.key if dimension in ("month", "channel", "category") else s.label))
    return out


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


def stats_totals(rows: list[StatRow]) -> dict:
    received = sum(r.received for r in rows)
    answered = sum(r.answered for r in rows)
    on_time = sum(r.on_time for r in rows)
    rated = sum(r.rated for r in rows)
    satisfied = sum(round((r.satisfaction_rate or 0) * r.rated) for r in rows)
    reopened = sum(r.reopened for r in rows)
    return {
        "received": received,
        "accepted": sum(r.accepted for r in rows),
        "answered": answered,
        "on_time_rate": _ratio(on_time, answered),
        "satisfaction_rate": _ratio(satisfied, rated),
        "reopen_rate": _ratio(reopened, answered),
    }


def public_complaint_by_code(*, code: str) -> Complaint:
    """Only after the code and password were checked in this browser session (the rating form)."""
    try:
        return Complaint.objects.get(tracking_code=clean_text(code).upper())
    except Complaint.DoesNotExist:
        raise NotFound() from None


def discipline_transfer_get(*, user, pk) -> DisciplineTransfer:
    try:
        return DisciplineTransfer.objects.select_related("complaint").get(
            pk=pk, complaint__in=Complaint.objects.filter(complaint_scope_q(user))
        )
    except (DisciplineTransfer.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def complaint_counts_by_agency(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Per agency unit: complaints and clues about it (assigned to it) received in [date_from, date_to], without
    the merged duplicates and those outside the remit — system-wide, one GROUP BY (执法风险预警提醒 of supervision)."""
    rows = (
        Complaint.objects.filter(
            agency__isnull=False,
            received_at__gte=_start_of(date_from),
            received_at__lt=_start_of(date_to + dt.timedelta(days=1)),
        )
        .exclude(status__in=("merged", "out_of_scope"))
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["agency_id"]: r["n"] for r in rows}


def complaint_handling_by_agency(*, date_from: dt.date, date_to: dt.date) -> dict[int, dict]:
    """For the assessment module (考核): per agency unit, over the complaints answered in [date_from, date_to]:
    answered, answered on time, rated, rated satisfied or basically satisfied — system-wide, one GROUP BY."""
    rows = (
        Complaint.objects.filter(
            agency__isnull=False,
            answered_at__gte=_start_of(date_from),
            answered_at__lt=_start_of(date_to + dt.timedelta(days=1)),
        )
        .values("agency_id")
        .annotate(
            answered=Count("id"),
            on_time=Count("id", filter=Q(on_time=True)),
            rated=Count("id", filter=~Q(satisfaction="")),
            satisfied=Count("id", filter=Q(satisfaction__in=("satisfied", "basic"))),
        )
        .order_by()
    )
    return {r.pop("agency_id"): r for r in rows}


def complaints_answered_of(*, unit_ids, date_from: dt.date, date_to: dt.date, limit: int = 200) -> list[tuple]:
    """The complaints behind complaint_handling_by_agency for some units: (id, tracking code, on time, rating)."""
    return list(
        Complaint.objects.filter(
            agency_id__in=list(unit_ids),
            answered_at__gte=_start_of(date_from),
            answered_at__lt=_start_of(date_to + dt.timedelta(days=1)),
        )
        .order_by("-answered_at", "-pk")
        .values_list("pk", "tracking_code", "on_time", "satisfaction")[:limit]
    )
