"""Reads of suggestions, proposals and disclosure requests, each applying the viewer's scope: the assigning body,
the Justice Bureau and the government office (scope 全部) see all; a unit sees the items assigned to it or a unit
below it (lead or co-unit, also after it returned one) and the disclosure requests addressed to it; the 本人
scope sees what the user registered himself. Statistics are set-based (GROUP BY), never a loop over rows."""

import datetime as dt
from dataclasses import dataclass, field

from django.core import signing
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.masking import mask_address, mask_email, mask_id_number, mask_name, mask_phone
from fazhi.core.models import Unit
from fazhi.core.normalize import clean_text
from fazhi.core.reveal import reveal_log
from fazhi.core.reveal import reveal_reason as reveal_reason_check
from fazhi.core.scope import has_permission, scope_q, user_data_scope
from fazhi.documents.models import GeneratedDocument
from fazhi.requests import registry, rules
from fazhi.requests.models import (
    DisclosureRequest,
    Proposal,
    ProposalReply,
    ProposalUnit,
    Proposer,
    Session,
)
from fazhi.tracking import rules as tracking_rules
from fazhi.tracking.models import Clock, TimelineEvent
from fazhi.tracking.selectors import yellow_until

PROPOSAL_OBJECT = "proposal"
DISCLOSURE_OBJECT = "disclosure_request"
RATING_SALT = "fazhi.requests.rating"


# ================================================================ proposals


def proposal_scope_q(user) -> Q:
    scope = user_data_scope(user)
    if scope == "all":
        return Q()
    if scope == "self" or user.unit_id is None:
        return Q(created_by=user) if user.is_authenticated else Q(pk__in=[])
    units = ProposalUnit.objects.filter(scope_q(user, unit_field="unit"))
    return Q(pk__in=units.values("proposal_id")) | Q(created_by=user)


def session_list() -> QuerySet[Session]:
    """Sessions are the jurisdiction's (no unit): every reader sees them."""
    return Session.objects.select_related("division")


def session_get(*, pk) -> Session:
    try:
        return Session.objects.select_related("division").get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class ProposalFilters:
    q: str = ""
    session: int | None = None
    kind: str = ""
    status: str = ""
    unit: int | None = None
    light: str = ""
    classification: str = ""


def proposal_list(*, user, filters: ProposalFilters | None = None, today: dt.date | None = None) -> QuerySet[Proposal]:
    f = filters or ProposalFilters()
    today = today or timezone.localdate()
    until = yellow_until(today)
    qs = Proposal.objects.filter(proposal_scope_q(user)).select_related("session", "lead_unit", "item")
    if f.session:
        qs = qs.filter(session_id=f.session)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit:
        qs = qs.filter(Exists(ProposalUnit.objects.filter(proposal=OuterRef("pk"), unit_id=f.unit, active=True)))
    if f.classification:
        qs = qs.filter(classification=f.classification)
    if f.light in ("red", "yellow", "green", "paused"):
        qs = qs.filter(tracking_rules.light_q(light=f.light, today=today, yellow_until=until, prefix="item__"))
    q = clean_text(f.q)
    if q:
        # A session holds hundreds of items, not millions: a plain substring search over number, title, text
        # and the proposers' names is exact and fast enough.
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(text__icontains=q)
            | Q(Exists(Proposer.objects.filter(proposal=OuterRef("pk"), name__icontains=q)))
        )
    return qs.annotate(
        light=tracking_rules.light_expression(today=today, yellow_until=until, prefix="item__")
    ).order_by("-session__year", "session_id", "number", "id")


def proposals_with_relations(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What a proposal's page and API answer read, fetched in a few queries for any number of proposals."""
    return qs.select_related("session__division", "lead_unit", "item", "created_by").prefetch_related(
        "proposers",
        Prefetch("units", queryset=ProposalUnit.objects.select_related("unit", "item").order_by("-role", "id")),
        Prefetch("replies", queryset=ProposalReply.objects.select_related("unit", "document__attachment", "rated_by")),
    )


def proposal_get(*, user, pk) -> Proposal:
    try:
        return proposals_with_relations(Proposal.objects.filter(proposal_scope_q(user))).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def proposal_ref(*, user, pk) -> tuple[str, str]:
    """For other apps (the rulemaking app's decision catalogue links items to proposals): the proposal's label and
    the address of its page, or NotFound when it is outside the viewer's scope."""
    p = proposal_get(user=user, pk=pk)
    return f"{p.session.name} 第{p.number}号{p.kind_word}：{p.title}", reverse("requests:proposal_detail", args=[p.pk])


def lead_proposer(proposal: Proposal) -> Proposer | None:
    proposers = list(proposal.proposers.all())
    return next((p for p in proposers if p.is_lead), proposers[0] if proposers else None)


def proposal_current_reply(proposal: Proposal) -> ProposalReply | None:
    replies = sorted(proposal.replies.all(), key=lambda r: r.round)
    return replies[-1] if replies else None


def proposal_active_units(proposal: Proposal) -> list[ProposalUnit]:
    return [u for u in proposal.units.all() if u.active]


def proposal_pending_co_views(proposal: Proposal) -> list[tuple[str, dt.date]]:
    """The active co-units without a view yet, with the last day of their period."""
    return [
        (u.unit.name, u.view_deadline)
        for u in proposal.units.all()
        if u.role == "co" and u.active and u.status in ("assigned", "return_requested") and u.view_deadline
    ]


def proposal_timeline(*, proposal: Proposal) -> QuerySet[TimelineEvent]:
    """The events of every item of the proposal (handling, co-units' views, re-reply), in the order they happened."""
    return (
        TimelineEvent.objects.filter(item__in=proposal.items.all())
        .select_related("item")
        .prefetch_related("attachments")
        .order_by("at", "item_id", "seq")
    )


def proposal_clocks(*, proposal: Proposal) -> list[Clock]:
    return list(
        Clock.objects.filter(item__in=proposal.items.all())
        .select_related("item")
        .order_by("-is_open", "deadline", "id")
    )


def proposal_documents(*, proposal: Proposal) -> QuerySet[GeneratedDocument]:
    return GeneratedDocument.objects.filter(object_kind=PROPOSAL_OBJECT, object_id=proposal.pk).select_related(
        "attachment", "created_by"
    )


def proposal_document_get(*, user, pk, document_pk) -> GeneratedDocument:
    proposal = proposal_get(user=user, pk=pk)
    document = proposal_documents(proposal=proposal).filter(pk=document_pk).first()
    if document is None:
        raise NotFound()
    return document


def proposal_assignable_units(*, user) -> QuerySet[Unit]:
    """Units an item may be assigned to: the active units in the assigning body's scope."""
    return Unit.objects.filter(scope_q(user, unit_field=""), is_active=True).order_by("sort_order", "id")


def unit_by_name(*, name: str, field: str = "unit") -> Unit:
    name = clean_text(name)
    unit = (
        Unit.objects.filter(Q(name=name) | Q(short_name=name), is_active=True).order_by("id").first() if name else None
    )
    if unit is None:
        raise DomainError(f"单位“{name}”不存在或已停用，请填写单位全称" if name else "请填写单位全称", field=field)
    return unit


def decision_queue(user, today: dt.date, limit: int = 50):
    """The 督办 desk's section for the assigning body: returns and extensions waiting for its decision, each by the
    day the reply is due (a decision after it would come too late)."""
    from fazhi.tracking.registry import DeskRow

    if not has_permission(user, "proposal.manage"):
        return None
    qs = (
        Proposal.objects.filter(proposal_scope_q(user))
        .filter(
            Q(status="return_requested")
            | Q(extension_requested__gt=0)
            | Q(Exists(ProposalUnit.objects.filter(proposal=OuterRef("pk"), status="return_requested")))
        )
        .select_related("session", "lead_unit")
        .order_by("reply_deadline", "id")
    )
    rows = []
    for p in qs[:limit]:
        what = "延期申请" if p.extension_requested else "退回申请"
        rows.append(
            DeskRow(
                title=f"{what}：{p.session.name}第{p.number}号{p.kind_word}：{p.title}",
                url=reverse("requests:proposal_detail", args=[p.pk]),
                deadline=p.reply_deadline or today,
                deadline_source=rules.REPLY_BASIS.get(p.kind, "")[:200],
                unit=p.lead_unit.name if p.lead_unit_id else "",
            )
        )
    return rows, qs.count()


# ---------------------------------------------------------------- the proposer's rating link


def rating_token(*, reply: ProposalReply, proposer: Proposer) -> str:
    """The signed link token handed to the lead proposer with an issued reply: it names the proposal, the reply,
    the proposer and the last day it may be used, signed with the secret key (it cannot be altered)."""
    expires = rules.rating_link_expires(reply.issued_on)
    return signing.dumps(
        {"p": reply.proposal_id, "r": reply.pk, "m": proposer.pk, "x": expires.isoformat()},
        salt=RATING_SALT,
        compress=False,
    )


def rating_link_path(*, reply: ProposalReply) -> str:
    proposer = lead_proposer(reply.proposal)
    if proposer is None or reply.status != "issued":
        return ""
    return reverse("portal:proposal_rating", args=[reply.proposal_id, rating_token(reply=reply, proposer=proposer)])


@dataclass(frozen=True)
class RatingClaim:
    proposal_id: int
    reply_id: int
    proposer_id: int
    expires: dt.date


def rating_claim(token: str) -> RatingClaim:
    """What a rating link's token says; a DomainError on the field "token" when it was not signed by us."""
    try:
        data = signing.loads(token or "", salt=RATING_SALT)
        return RatingClaim(int(data["p"]), int(data["r"]), int(data["m"]), dt.date.fromisoformat(data["x"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise DomainError("评价链接无效：请使用答复时收到的完整链接", field="token") from None


def public_rating_proposal(*, pk) -> Proposal:
    """The proposal a rating page names (secret ones too: its proposer rates it through his link)."""
    try:
        return (
            Proposal.objects.select_related("session", "lead_unit")
            .prefetch_related("proposers", Prefetch("replies", queryset=ProposalReply.objects.select_related("unit")))
            .get(pk=pk, status__in=("replied", "rereplying", "done"))
        )
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# ---------------------------------------------------------------- the portal


def public_reply_list(*, q: str = "", session: int | None = None) -> QuerySet[ProposalReply]:
    """Issued replies published on the portal (not secret), newest first."""
    qs = ProposalReply.objects.filter(status="issued", published=True, proposal__secret=False).select_related(
        "proposal__session", "unit"
    )
    if session:
        qs = qs.filter(proposal__session_id=session)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(proposal__title__icontains=q) | Q(proposal__number__icontains=q) | Q(text__icontains=q))
    return qs.order_by("-issued_on", "-id")


def public_proposal_get(*, pk) -> Proposal:
    try:
        return (
            Proposal.objects.filter(secret=False, replies__status="issued", replies__published=True)
            .select_related("session", "lead_unit")
            .prefetch_related(
                "proposers",
                Prefetch(
                    "replies",
                    queryset=ProposalReply.objects.filter(status="issued", published=True).select_related("unit"),
                ),
            )
            .distinct()
            .get(pk=pk)
        )
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# ---------------------------------------------------------------- statistics


@dataclass
class StatsRow:
    key: int | None
    label: str
    total: int = 0
    replied: int = 0
    due: int = 0
    on_time: int = 0
    overdue_open: int = 0
    a: int = 0
    b: int = 0
    c: int = 0
    rated: int = 0
    attitude_ok: int = 0
    result_ok: int = 0
    first_dissatisfied: int = 0
    rates: dict = field(default_factory=dict)

    def finish(self) -> "StatsRow":
        """Rates against the 100 % goal, each with its light (rules.goal_light)."""
        for name, num, den in (
            ("replied", self.replied, self.total),
            ("on_time", self.on_time, self.due),
            ("attitude", self.attitude_ok, self.rated),
            ("result", self.result_ok, self.rated),
        ):
            value = rules.rate(num, den)
            self.rates[name] = {"value": value, "light": rules.goal_light(value)}
        return self


STATS_COUNTS = {
    "total": Count("id"),
    "replied": Count("id", filter=Q(first_replied_on__isnull=False)),
    "on_time": Count("id", filter=Q(on_time=True)),
    "a": Count("id", filter=Q(classification="A")),
    "b": Count("id", filter=Q(classification="B")),
    "c": Count("id", filter=Q(classification="C")),
    "rated": Count("id", filter=Q(rated_on__isnull=False)),
    "attitude_ok": Count("id", filter=Q(rated_on__isnull=False) & ~Q(attitude="dissatisfied")),
    "result_ok": Count("id", filter=Q(rated_on__isnull=False) & ~Q(result="dissatisfied")),
    "first_dissatisfied": Count("id", filter=Q(first_dissatisfied=True)),
}


def proposal_stats(
    *,
    user,
    group: str = "unit",
    session: int | None = None,
    year: int | None = None,
    kind: str = "",
    today: dt.date | None = None,
) -> tuple[list[StatsRow], StatsRow]:
    """On-time replies, classification and the two satisfactions, by lead unit or by session (one GROUP BY).
    An item counts towards the on-time rate once it was replied or its deadline has passed (`due`)."""
    today = today or timezone.localdate()
    qs = Proposal.objects.filter(proposal_scope_q(user), lead_unit__isnull=False)
    if session:
        qs = qs.filter(session_id=session)
    if year:
        qs = qs.filter(session__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    overdue = Q(first_replied_on__isnull=True, reply_deadline__lt=today)
    counts = {**STATS_COUNTS, "overdue_open": Count("id", filter=overdue)}
    key, label = ("lead_unit_id", "lead_unit__name") if group == "unit" else ("session_id", "session__name")
    rows = []
    total = StatsRow(key=None, label="合计")
    for r in qs.order_by().values(key, label).annotate(**counts).order_by(label):
        row = StatsRow(key=r[key], label=r[label], **{k: r[k] for k in counts})
        row.due = row.replied + row.overdue_open
        rows.append(row.finish())
        for k in (*counts, "due"):
            setattr(total, k, getattr(total, k) + getattr(row, k))
    return rows, total.finish()


# ================================================================ disclosure requests


def disclosure_scope_q(user) -> Q:
    return scope_q(user, unit_field="agency", owner_field="created_by")


@dataclass
class DisclosureFilters:
    q: str = ""
    status: str = ""
    channel: str = ""
    agency: int | None = None
    light: str = ""
    year: int | None = None
    answer: str = ""


def disclosure_list(
    *, user, filters: DisclosureFilters | None = None, today: dt.date | None = None
) -> QuerySet[DisclosureRequest]:
    f = filters or DisclosureFilters()
    today = today or timezone.localdate()
    until = yellow_until(today)
    qs = DisclosureRequest.objects.filter(disclosure_scope_q(user)).select_related("agency", "item")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.agency:
        qs = qs.filter(agency_id=f.agency)
    if f.year:
        qs = qs.filter(submitted_on__year=f.year)
    if f.answer:
        qs = qs.filter(answer_kind=f.answer)
    if f.light in ("red", "yellow", "green", "paused"):
        qs = qs.filter(tracking_rules.light_q(light=f.light, today=today, yellow_until=until, prefix="item__"))
    q = clean_text(f.q)
    if q:
        # The applicant's name is personal data: found by an exact match only, never by a fragment.
        qs = qs.filter(Q(tracking_code__iexact=q) | Q(content__icontains=q) | Q(applicant_name=q) | Q(answer_number=q))
    return qs.annotate(
        light=tracking_rules.light_expression(today=today, yellow_until=until, prefix="item__")
    ).order_by("-submitted_on", "-id")


def disclosure_get(*, user, pk) -> DisclosureRequest:
    try:
        return (
            DisclosureRequest.objects.filter(disclosure_scope_q(user))
            .select_related("agency", "item", "created_by")
            .prefetch_related("consultations")
            .get(pk=pk)
        )
    except (DisclosureRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def disclosure_clocks(*, request: DisclosureRequest) -> list[Clock]:
    if request.item_id is None:
        return []
    return list(request.item.clocks.order_by("-is_open", "deadline", "id"))


def disclosure_answer_clock(*, request: DisclosureRequest) -> Clock | None:
    if request.item_id is None:
        return None
    return Clock.objects.filter(item_id=request.item_id, name="answer").first()


def disclosure_timeline(*, request: DisclosureRequest) -> QuerySet[TimelineEvent]:
    if request.item_id is None:
        return TimelineEvent.objects.none()
    return request.item.events.order_by("seq").prefetch_related("attachments")


def disclosure_documents(*, request: DisclosureRequest) -> QuerySet[GeneratedDocument]:
    return GeneratedDocument.objects.filter(object_kind=DISCLOSURE_OBJECT, object_id=request.pk).select_related(
        "attachment", "created_by"
    )


def disclosure_document_get(*, user, pk, document_pk) -> GeneratedDocument:
    request = disclosure_get(user=user, pk=pk)
    document = disclosure_documents(request=request).filter(pk=document_pk).first()
    if document is None:
        raise NotFound()
    return document


def disclosure_agencies(*, user) -> QuerySet[Unit]:
    """The units the user may register requests for: his own and those below it."""
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=user.unit.path, is_active=True).order_by("sort_order", "id")


def disclosure_report_units(*, user) -> QuerySet[Unit]:
    """The units whose figures the viewer may read (the report's unit selector)."""
    return Unit.objects.filter(
        scope_q(user, unit_field=""), is_active=True, kind__in=("government", "justice", "agency")
    ).order_by("sort_order", "id")


def public_agencies() -> QuerySet[Unit]:
    """Every active government body and department a member of the public may address (第二十七条)."""
    return Unit.objects.filter(is_active=True, kind__in=("government", "justice", "agency")).order_by(
        "sort_order", "id"
    )


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    phone: str
    email: str
    address: str
    masked: bool


def applicant_display(*, user, request: DisclosureRequest, reveal_reason: str | None = None, ip=None) -> Applicant:
    """An organisation's name is not personal data; a person's identity is masked unless someone who may
    (the handling unit, personal.reveal) gives a reason, which is logged (design.md §4)."""
    from fazhi.requests.permissions import disclosure_request_actions

    if reveal_reason is not None and "reveal" in disclosure_request_actions(user=user, obj=request):
        reveal_log(user=user, obj=request, what="申请人信息", reason=reveal_reason_check(reveal_reason), ip=ip)
        return Applicant(
            request.applicant_name, request.id_number, request.phone, request.email, request.address, masked=False
        )
    person = request.applicant_kind == "person"
    return Applicant(
        name=mask_name(request.applicant_name) if person else request.applicant_name,
        id_number=mask_id_number(request.id_number) if request.id_number else "",
        phone=mask_phone(request.phone) if request.phone else "",
        email=mask_email(request.email) if request.email else "",
        address=mask_address(request.address) if request.address else "",
        masked=True,
    )


def confirmation_queue(user, today: dt.date, limit: int = 50):
    """The 督办 desk's section: online requests waiting for the agency's confirmation of receipt."""
    from fazhi.tracking.registry import DeskRow
    from fazhi.workdays.calendar import add_working_days

    if not has_permission(user, "disclosure_request.handle") or user.unit_id is None:
        return None
    qs = DisclosureRequest.objects.filter(
        status="awaiting_confirmation", agency__path__startswith=user.unit.path
    ).order_by("submitted_on", "id")
    rows = [
        DeskRow(
            title=f"{r.tracking_code} 政府信息公开申请：{r.title}",
            url=reverse("requests:disclosure_detail", args=[r.pk]),
            deadline=add_working_days(r.submitted_on, rules.confirm_working_days()),
            deadline_source=rules.CONFIRM_BASIS,
            unit=r.agency.name,
        )
        for r in qs.select_related("agency")[:limit]
    ]
    return rows, qs.count()


def public_request_view(*, request: DisclosureRequest) -> dict:
    """What the applicant sees after the code and password check: progress, deadline and the answer."""
    clock = disclosure_answer_clock(request=request)
    return {
        "tracking_code": request.tracking_code,
        "agency": request.agency.name,
        "status": request.status,
        "status_label": request.get_status_display(),
        "submitted_on": request.submitted_on,
        "received_on": request.received_on,
        "deadline": clock.deadline if clock and request.status not in rules.CONCLUDED_STATES else None,
        "paused": bool(clock and clock.paused and clock.is_open),
        "correction_items": request.correction_items if request.status == "correction" else "",
        "answer_kind": rules.ANSWER[request.answer_kind].label if request.answer_kind in rules.ANSWER else "",
        "answer_text": request.answer_text if request.answered_on else "",
        "answered_on": request.answered_on,
        "answer_number": request.answer_number,
    }


# ---------------------------------------------------------------- the annual report


@dataclass
class ReportFigures:
    """The figures of the annual information-disclosure report for a set of units and a year."""

    year: int
    received: dict  # column -> new requests received in the year
    carried_in: dict  # column -> requests received before and not concluded on 1 January
    results: dict  # row -> column -> requests concluded in the year
    carried_out: dict  # column -> requests not concluded on 31 December
    disputes: dict | None  # {"reconsiderations": n, "suits": n}; None: not available
    per_unit: list[dict]


def _column(applicant_kind: str, org_type: str) -> str:
    return "person" if applicant_kind == "person" else f"org_{org_type or 'other'}"


def _by_column(rows) -> dict:
    out = dict.fromkeys([c for c, _ in rules.REPORT_COLUMNS], 0)
    for r in rows:
        column = _column(r["applicant_kind"], r["org_type"])
        out[column] += r["n"]
        out["total"] += r["n"]
    return out


def disclosure_report(*, user, year: int, unit: Unit | None = None) -> ReportFigures:
    """Table 三 (received, carried over, results by kind and applicant type, carried forward) and section 四
    (reconsiderations and suits about disclosure, from the disputes app's counter) of the annual report, for the
    units in the viewer's scope (or `unit` and those below it), and the same per unit."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    base = DisclosureRequest.objects.filter(disclosure_scope_q(user), received_on__isnull=False)
    if unit is not None:
        base = base.filter(agency__path__startswith=unit.path)
    open_on = lambda day: Q(received_on__lte=day) & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=day))  # noqa: E731
    kinds = ("applicant_kind", "org_type")
    received = _by_column(
        base.filter(received_on__gte=start, received_on__lte=end).values(*kinds).annotate(n=Count("id")).order_by()
    )
    carried_in = _by_column(
        base.filter(open_on(start - dt.timedelta(days=1))).values(*kinds).annotate(n=Count("id")).order_by()
    )
    carried_out = _by_column(base.filter(open_on(end)).values(*kinds).annotate(n=Count("id")).order_by())
    results = {key: dict.fromkeys([c for c, _ in rules.REPORT_COLUMNS], 0) for key, _ in rules.REPORT_ROWS}
    results["total"] = dict.fromkeys([c for c, _ in rules.REPORT_COLUMNS], 0)
    concluded = base.filter(concluded_on__gte=start, concluded_on__lte=end)
    for r in concluded.values("status", "answer_kind", "answer_ground", *kinds).annotate(n=Count("id")).order_by():
        kind = r["answer_kind"] if r["status"] in ("answered", "delivered") else r["status"]
        row = rules.report_row(kind, r["answer_ground"])
        column = _column(r["applicant_kind"], r["org_type"])
        for key in (row, "total"):
            results[key][column] += r["n"]
            results[key]["total"] += r["n"]
    per_unit = _report_per_unit(base, start, end, year)
    disputes = None
    if per_unit and per_unit[0]["disputes"] is not None:
        disputes = {k: sum(u["disputes"][k] for u in per_unit) for k in registry.KEYS}
    elif not per_unit and registry.dispute_counts([], year) is not None:
        disputes = dict.fromkeys(registry.KEYS, 0)
    return ReportFigures(year, received, carried_in, results, carried_out, disputes, per_unit)


def _report_per_unit(base, start: dt.date, end: dt.date, year: int) -> list[dict]:
    concluded = Q(concluded_on__gte=start, concluded_on__lte=end)
    answered = concluded & Q(status__in=("answered", "delivered"))
    rows = list(
        base.filter(Q(received_on__lte=end) & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start)))
        .values("agency_id", "agency__name")
        .annotate(
            received=Count("id", filter=Q(received_on__gte=start, received_on__lte=end)),
            carried_in=Count("id", filter=Q(received_on__lt=start)),
            concluded=Count("id", filter=concluded),
            disclosed=Count("id", filter=answered & Q(answer_kind__in=("disclosed", "public_already"))),
            partial=Count("id", filter=answered & Q(answer_kind="partial")),
            withheld=Count("id", filter=answered & Q(answer_kind="withheld")),
            unavailable=Count(
                "id", filter=answered & Q(answer_kind__in=("not_exist", "not_held", "needs_creation", "unclear"))
            ),
            not_processed=Count("id", filter=answered & Q(answer_kind__in=("repeat", "not_processed"))),
            other=Count("id", filter=concluded & (Q(status__in=("abandoned", "withdrawn")) | Q(answer_kind="other"))),
            on_time=Count("id", filter=answered & Q(on_time=True)),
            carried_out=Count("id", filter=Q(concluded_on__isnull=True) | Q(concluded_on__gt=end)),
        )
        .order_by("agency__name")
    )
    counts = registry.dispute_counts([r["agency_id"] for r in rows], year)
    for r in rows:
        answered_n = r["disclosed"] + r["partial"] + r["withheld"] + r["unavailable"] + r["not_processed"]
        r["on_time_rate"] = rules.rate(r["on_time"], answered_n)
        r["disputes"] = counts.get(r["agency_id"]) if counts is not None else None
    return rows


def reply_figures_by_unit(*, date_from: dt.date, date_to: dt.date) -> dict[str, dict[int, tuple[int, int]]]:
    """For the assessment module (考核), system-wide, per unit: "proposals" (suggestions and proposals whose reply
    deadline fell in [date_from, date_to]: replied on time, due — by the lead unit) and "disclosures" (requests
    answered in the period: on time, answered — by the receiving agency). Two GROUP BY queries."""
    proposals = (
        Proposal.objects.filter(lead_unit__isnull=False, reply_deadline__gte=date_from, reply_deadline__lte=date_to)
        .values("lead_unit_id")
        .annotate(n=Count("pk"), k=Count("pk", filter=Q(on_time=True)))
        .order_by()
    )
    disclosures = (
        DisclosureRequest.objects.filter(answered_on__gte=date_from, answered_on__lte=date_to)
        .values("agency_id")
        .annotate(n=Count("pk"), k=Count("pk", filter=Q(on_time=True)))
        .order_by()
    )
    return {
        "proposals": {r["lead_unit_id"]: (r["k"], r["n"]) for r in proposals},
        "disclosures": {r["agency_id"]: (r["k"], r["n"]) for r in disclosures},
    }
