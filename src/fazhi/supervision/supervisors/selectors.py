"""Reads of 特邀行政执法监督员, each applying the viewer's data scope (by the organising unit; with the 本人 scope the
invited supervisor's own record, duties and submissions, and nothing of recruitment)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.masking import mask_address, mask_id_number, mask_name, mask_phone
from fazhi.core.models import Unit
from fazhi.core.normalize import clean_text
from fazhi.core.reveal import reveal_log
from fazhi.core.reveal import reveal_reason as reveal_reason_check
from fazhi.core.scope import scope_q, user_data_scope
from fazhi.supervision.supervisors import rules
from fazhi.supervision.supervisors.models import (
    AnnualReview,
    Application,
    Duty,
    InvitedSupervisor,
    Objection,
    RecruitmentCampaign,
    Submission,
    Training,
    TrainingAttendance,
)

NOTHING = Q(pk__in=[])


def _self(user) -> bool:
    return user_data_scope(user) == "self"


# ---------------------------------------------------------------- scope


def campaign_scope_q(user) -> Q:
    """Recruitment is the organising unit's: nothing of it for the 本人 scope (an invited supervisor)."""
    return NOTHING if _self(user) else scope_q(user, unit_field="organiser")


def application_scope_q(user) -> Q:
    return Q(created_by=user) if _self(user) else scope_q(user, unit_field="campaign__organiser")


def objection_scope_q(user) -> Q:
    return NOTHING if _self(user) else scope_q(user, unit_field="campaign__organiser")


def supervisor_scope_q(user) -> Q:
    return Q(user=user) if _self(user) else scope_q(user, unit_field="unit")


def duty_scope_q(user) -> Q:
    return Q(supervisor__user=user) if _self(user) else scope_q(user, unit_field="supervisor__unit")


def submission_scope_q(user) -> Q:
    return Q(supervisor__user=user) if _self(user) else scope_q(user, unit_field="supervisor__unit")


def training_scope_q(user) -> Q:
    if _self(user):
        return Q(pk__in=TrainingAttendance.objects.filter(supervisor__user=user).values("training_id"))
    return scope_q(user, unit_field="unit")


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


# ---------------------------------------------------------------- campaigns


def campaign_list(*, user, q: str = "", status: str = "", year: int | None = None) -> QuerySet[RecruitmentCampaign]:
    qs = RecruitmentCampaign.objects.filter(campaign_scope_q(user)).select_related("organiser", "item")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(organiser__name__icontains=q))
    if status in dict(rules.CAMPAIGN_STATUSES):
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(
        application_count=Count("applications", distinct=True), appointed_count=Count("supervisors", distinct=True)
    ).order_by("-year", "-id")


def campaign_get(*, user, pk) -> RecruitmentCampaign:
    return _get(RecruitmentCampaign.objects.filter(campaign_scope_q(user)).select_related("organiser", "item"), pk)


def campaign_counts(*, campaign: RecruitmentCampaign) -> dict:
    """Applications of a campaign by status (for its page and the 公示 gate)."""
    rows = campaign.applications.values("status").annotate(n=Count("id")).order_by()
    counts = {code: 0 for code, _ in rules.APPLICATION_STATUSES}
    counts.update({r["status"]: r["n"] for r in rows})
    counts["appointed_total"] = campaign.supervisors.count()
    return counts


def organiser_units(*, user) -> QuerySet[Unit]:
    """Units that may organise a campaign: the viewer's unit and those below it (justice bureaus and others)."""
    return Unit.objects.filter(scope_q(user, unit_field=""), is_active=True).order_by("sort_order", "id")


# ---------------------------------------------------------------- applications


@dataclass
class ApplicationFilters:
    q: str = ""
    campaign: int | None = None
    route: str = ""
    status: str = ""
    eligible: str = ""  # "yes" / "no"


def application_list(*, user, filters: ApplicationFilters | None = None) -> QuerySet[Application]:
    f = filters or ApplicationFilters()
    qs = Application.objects.filter(application_scope_q(user)).select_related("campaign", "campaign__organiser", "item")
    q = clean_text(f.q)
    if q:
        qs = qs.filter(
            Q(tracking_code=q.upper()) | Q(name=q) | Q(id_number=q.upper()) | Q(employer__icontains=q)
            | Q(recommender__icontains=q)
        )  # fmt: skip
    if f.campaign:
        qs = qs.filter(campaign_id=f.campaign)
    if f.route in dict(rules.ROUTES):
        qs = qs.filter(route=f.route)
    if f.status in dict(rules.APPLICATION_STATUSES):
        qs = qs.filter(status=f.status)
    if f.eligible in ("yes", "no"):
        qs = qs.filter(eligible=f.eligible == "yes")
    return qs


def application_get(*, user, pk) -> Application:
    return _get(
        Application.objects.filter(application_scope_q(user)).select_related(
            "campaign", "campaign__organiser", "item", "reviewed_by"
        ),
        pk,
    )


@dataclass
class Applicant:
    """The applicant's personal data as this viewer may see it."""

    name: str
    id_number: str
    phone: str
    address: str
    masked: bool


def applicant_display(*, user, application: Application, reveal_reason: str | None = None, ip=None) -> Applicant:
    """Masked for everyone (core.masking); in full only to one who may reveal and gives a reason, logged."""
    from fazhi.supervision.supervisors.permissions import application_actions

    if reveal_reason is not None and "reveal" in application_actions(user=user, obj=application):
        reveal_log(
            user=user, obj=application, what="特邀监督员报名人信息", reason=reveal_reason_check(reveal_reason), ip=ip
        )
        return Applicant(application.name, application.id_number, application.phone, application.address, False)
    return masked_applicant(application)


def masked_applicant(application: Application) -> Applicant:
    return Applicant(
        mask_name(application.name),
        mask_id_number(application.id_number),
        mask_phone(application.phone),
        mask_address(application.address),
        True,
    )


def application_age(application: Application, *, on: dt.date | None = None) -> int:
    return rules.age_on(application.birth_date, on or timezone.localdate(application.received_at))


def pending_objections(*, application: Application) -> int:
    return application.objections.filter(status="pending").count()


# ---------------------------------------------------------------- objections


def objection_list(*, user, q: str = "", campaign: int | None = None, status: str = "") -> QuerySet[Objection]:
    qs = Objection.objects.filter(objection_scope_q(user)).select_related("campaign", "application")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(content__icontains=q) | Q(application__name=q))
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    if status in dict(rules.OBJECTION_STATUSES):
        qs = qs.filter(status=status)
    return qs


def objection_get(*, user, pk) -> Objection:
    return _get(
        Objection.objects.filter(objection_scope_q(user)).select_related(
            "campaign", "campaign__organiser", "application"
        ),
        pk,
    )


# ---------------------------------------------------------------- supervisors


def supervisor_list(*, user, q: str = "", status: str = "", campaign: int | None = None) -> QuerySet:
    qs = InvitedSupervisor.objects.filter(supervisor_scope_q(user)).select_related(
        "unit", "campaign", "application", "user", "expiry_item"
    )
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(number__icontains=q) | Q(application__employer__icontains=q))
    if status in dict(rules.SUPERVISOR_STATUSES):
        qs = qs.filter(status=status)
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    return qs


def supervisor_get(*, user, pk) -> InvitedSupervisor:
    return _get(
        InvitedSupervisor.objects.filter(supervisor_scope_q(user)).select_related(
            "unit", "campaign", "campaign__organiser", "application", "application__item", "user", "expiry_item"
        ),
        pk,
    )


def supervisor_ref(*, user, pk, field: str = "supervisor") -> InvitedSupervisor:
    """A supervisor named in an input: outside the scope it is a wrong input, not a hint that he exists."""
    try:
        return supervisor_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"特邀监督员（id={pk}）不存在或无权访问", field=field) from None


def supervisors_serving(*, user, on: dt.date | None = None) -> QuerySet[InvitedSupervisor]:
    on = on or timezone.localdate()
    return supervisor_list(user=user, status="serving").filter(appointed_on__lte=on, term_end__gte=on).order_by("name")


def supervisor_reviews(*, supervisor: InvitedSupervisor) -> QuerySet[AnnualReview]:
    return supervisor.reviews.select_related("reviewed_by")


def supervisor_of_user(*, user) -> InvitedSupervisor | None:
    """The signed-in invited supervisor's record: the serving one, else the latest."""
    qs = InvitedSupervisor.objects.filter(user=user).select_related("unit", "campaign", "expiry_item")
    return qs.filter(status="serving").first() or qs.order_by("-appointed_on", "-id").first()


def supervisor_by_id_number(*, id_number: str) -> InvitedSupervisor | None:
    """An earlier appointment of the same person (re-appointment reuses his account)."""
    return (
        InvitedSupervisor.objects.filter(application__id_number=id_number)
        .select_related("user")
        .order_by("-appointed_on", "-id")
        .first()
    )


# ---------------------------------------------------------------- duties, submissions, trainings


@dataclass
class DutyFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    supervisor: int | None = None


def duty_list(*, user, filters: DutyFilters | None = None) -> QuerySet[Duty]:
    f = filters or DutyFilters()
    qs = Duty.objects.filter(duty_scope_q(user)).select_related("supervisor", "agency", "item")
    q = clean_text(f.q)
    if q:
        qs = qs.filter(Q(subject__icontains=q) | Q(supervisor__name=q) | Q(findings__icontains=q))
    if f.kind in dict(rules.DUTY_KINDS):
        qs = qs.filter(kind=f.kind)
    if f.status in dict(rules.DUTY_STATUSES):
        qs = qs.filter(status=f.status)
    if f.supervisor:
        qs = qs.filter(supervisor_id=f.supervisor)
    return qs


def duty_get(*, user, pk) -> Duty:
    return _get(
        Duty.objects.filter(duty_scope_q(user)).select_related(
            "supervisor", "supervisor__unit", "agency", "item", "assigned_by"
        ),
        pk,
    )


def duty_link(*, user, duty: Duty):
    """The linked case or inspection record, if this viewer may see it (supervision.links); None otherwise."""
    from fazhi.supervision.links import link_label

    return link_label(user=user, kind=duty.link_kind, pk=duty.link_id) if duty.link_kind else None


def submission_list(*, user, q: str = "", kind: str = "", answered: str = "") -> QuerySet[Submission]:
    qs = Submission.objects.filter(submission_scope_q(user)).select_related("supervisor", "agency", "item")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(content__icontains=q) | Q(supervisor__name=q) | Q(clue_code=q.upper()))
    if kind in dict(rules.SUBMISSION_KINDS):
        qs = qs.filter(kind=kind)
    if answered == "no":
        qs = qs.filter(kind="opinion", answered_at__isnull=True)
    elif answered == "yes":
        qs = qs.filter(kind="opinion", answered_at__isnull=False)
    return qs


def submission_get(*, user, pk) -> Submission:
    return _get(
        Submission.objects.filter(submission_scope_q(user)).select_related(
            "supervisor", "supervisor__unit", "agency", "item", "answered_by"
        ),
        pk,
    )


@dataclass
class Feedback:
    """What became of a submission (the closed loop): the clue's stage and the agency's approved reply, or the
    organiser's answer to an opinion."""

    status: str
    reply: dict | None = None
    clue_url: str = ""


def submission_feedback(*, user, submission: Submission) -> Feedback:
    if submission.kind == "opinion":
        if submission.answered_at is None:
            return Feedback("待答复")
        return Feedback(
            "已答复",
            {"text": submission.answer, "on": timezone.localdate(submission.answered_at).isoformat(), "by": ""},
        )
    if not submission.clue_id:
        return Feedback("未登记为问题线索")
    from fazhi.complaints.selectors import complaint_get, public_view
    from fazhi.core.scope import has_permission

    try:
        clue = complaint_get(user=user, pk=submission.clue_id)
    except NotFound:
        return Feedback("已登记为问题线索（无权查看办理情况）")
    view = public_view(complaint=clue)
    reply = None
    if view.reply:
        reply = {
            "text": f"调查核实情况：{view.reply['findings']}\n处理措施：{view.reply['measures']}",
            "on": view.reply["replied_on"],
            "by": str(clue.agency or ""),
        }
    url = ""
    if has_permission(user, "complaint.view"):
        from django.urls import reverse

        url = reverse("complaints:detail", args=[clue.pk])
    return Feedback(f"问题线索 {clue.tracking_code}：{view.status_label}", reply, url)


def training_list(*, user, q: str = "", year: int | None = None) -> QuerySet[Training]:
    qs = Training.objects.filter(training_scope_q(user)).select_related("unit")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(topic__icontains=q) | Q(place__icontains=q))
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.annotate(attendee_count=Count("attendance")).order_by("-held_on", "-id")


def training_get(*, user, pk) -> Training:
    return _get(Training.objects.filter(training_scope_q(user)).select_related("unit", "created_by"), pk)


def training_attendees(*, training: Training) -> QuerySet[InvitedSupervisor]:
    return training.attendees.select_related("unit").order_by("name")


# ---------------------------------------------------------------- the activity ledger


def _count(qs: QuerySet) -> Coalesce:
    """COUNT(*) of `qs` per supervisor, as a correlated subquery (one row per supervisor, no join fan-out)."""
    rows = qs.filter(supervisor=OuterRef("pk")).order_by().values("supervisor").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


@dataclass
class LedgerRow:
    supervisor: InvitedSupervisor
    counts: dict[str, int]
    hours: float
    grade: str
    sources: dict[str, int] = field(default_factory=dict)
    cells: list[int] = field(default_factory=list)  # in the order of ledger_columns()

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + sum(self.sources.values())


LEDGER_COLUMNS = [
    ("observation", "现场观摩"),
    ("inspection", "参加执法检查"),
    ("training", "参加培训"),
    ("opinion", "意见建议"),
    ("problem", "问题反映"),
]


def ledger_columns() -> list[tuple[str, str]]:
    """This area's counts and then one per registered duty source (案卷评查 …)."""
    from fazhi.supervision.duties import DUTY_SOURCES

    return LEDGER_COLUMNS + [(f"source:{s.code}", s.label) for s in DUTY_SOURCES.values()]


def ledger(*, user, year: int, q: str = "", supervisor: InvitedSupervisor | None = None) -> list[LedgerRow]:
    """履职台账: per invited supervisor who served in `year`, the count of each kind of duty done that year, from
    this area's records and every registered duty source. Set-based: one query plus one per duty source."""
    from fazhi.supervision.duties import DUTY_SOURCES

    start, end = rules.year_bounds(year)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    qs = (
        supervisor_list(user=user, q=q)
        .filter(appointed_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    )
    if supervisor is not None:
        qs = qs.filter(pk=supervisor.pk)
    done = Duty.objects.filter(status="recorded", observed_on__gte=start, observed_on__lte=end)
    attended = TrainingAttendance.objects.filter(training__held_on__gte=start, training__held_on__lte=end)
    sent = Submission.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
    hours = (
        attended.filter(supervisor=OuterRef("pk"))
        .order_by()
        .values("supervisor")
        .annotate(h=Sum("training__hours"))
        .values("h")
    )
    grade = AnnualReview.objects.filter(supervisor=OuterRef("pk"), year=year).values("grade")[:1]
    qs = qs.annotate(
        n_observation=_count(done.filter(kind="observation")),
        n_inspection=_count(done.filter(kind="inspection")),
        n_training=_count(attended),
        n_opinion=_count(sent.filter(kind="opinion")),
        n_problem=_count(sent.filter(kind="problem")),
        n_hours=Coalesce(Subquery(hours, output_field=DecimalField()), Value(0, output_field=DecimalField())),
        the_grade=Subquery(grade),
    ).order_by("name", "id")
    sups = list(qs)
    grades = dict(rules.GRADES)
    rows = [
        LedgerRow(
            supervisor=s,
            counts={code: getattr(s, f"n_{code}") for code, _ in LEDGER_COLUMNS},
            hours=float(s.n_hours or 0),
            grade=grades.get(s.the_grade or "", ""),
        )
        for s in sups
    ]
    user_ids = [s.user_id for s in sups]
    for source in DUTY_SOURCES.values():
        counts = source.done_counts(user_ids, start, end) if user_ids else {}
        for row in rows:
            row.sources[f"source:{source.code}"] = counts.get(row.supervisor.user_id, 0)
    columns = ledger_columns()
    for row in rows:
        values = row.counts | row.sources
        row.cells = [values.get(code, 0) for code, _ in columns]
    return rows


# ---------------------------------------------------------------- the invited supervisor's own page


@dataclass
class MyWork:
    record: InvitedSupervisor | None
    duties: list
    source_rows: list  # (label, [DutyRow])
    submissions: list  # (Submission, Feedback)
    trainings: QuerySet
    ledger: list[LedgerRow]  # this year's counts (one row, or none without a record)


def my_work(*, user, today: dt.date | None = None) -> MyWork:
    """我的监督工作: his assigned duties (open first), every duty source's rows, his submissions with what became
    of each, his training record and this year's counts. Only his own: every read is by his user."""
    from fazhi.supervision.duties import DUTY_SOURCES

    today = today or timezone.localdate()
    record = supervisor_of_user(user=user)
    duties = list(
        Duty.objects.filter(supervisor__user=user)
        .select_related("agency", "item")
        .order_by("status", "-planned_on", "-id")[:100]
    )
    submissions = [
        (s, submission_feedback(user=user, submission=s))
        for s in Submission.objects.filter(supervisor__user=user).select_related("agency")[:100]
    ]
    trainings = Training.objects.filter(attendance__supervisor__user=user).order_by("-held_on", "-id")
    sources = [(s.label, s.rows(user)) for s in DUTY_SOURCES.values()]
    mine = ledger(user=user, year=today.year, supervisor=record) if record is not None else []
    return MyWork(record, duties, sources, submissions, trainings, mine)


# ---------------------------------------------------------------- timelines and documents


def timeline(*, item_ids: list[int | None]):
    from fazhi.tracking.models import TimelineEvent

    ids = [i for i in item_ids if i]
    return (
        TimelineEvent.objects.filter(item_id__in=ids)
        .order_by("at", "item_id", "seq")
        .select_related("actor")
        .prefetch_related("attachments")
    )


def supervisor_timeline(*, user, supervisor: InvitedSupervisor):
    """His record's timeline (from his application on, and the term's expiry item). Seen by himself, without the
    objections raised against him in the 公示: they name no one, but their wording may point to who raised them."""
    from fazhi.supervision.supervisors.permissions import supervisor_actions

    events = timeline(item_ids=[supervisor.application.item_id, supervisor.expiry_item_id])
    if supervisor.user_id == user.pk and "review" not in supervisor_actions(user=user, obj=supervisor):
        events = events.exclude(action__in=("objection", "objection_answered"))
    return events


def documents(*, kind: str, pk: int):
    from fazhi.documents.selectors import documents_for

    return documents_for(object_kind=kind, object_id=pk)


def document_get(*, kind: str, pk: int, document_pk):
    """A document of an object the caller already fetched in scope; any other document does not exist here."""
    return _get(documents(kind=kind, pk=pk), document_pk)


# ---------------------------------------------------------------- the portal


PUBLIC_CAMPAIGN_STATUSES = ("open", "publicity", "closed")


def public_campaigns() -> QuerySet[RecruitmentCampaign]:
    return RecruitmentCampaign.objects.filter(status__in=PUBLIC_CAMPAIGN_STATUSES).select_related("organiser")


def public_campaign_get(*, pk) -> RecruitmentCampaign:
    return _get(public_campaigns(), pk)


def public_candidates(*, campaign: RecruitmentCampaign) -> list[Application]:
    """The candidates a 公示 names: those publicised (and, after it, what became of them)."""
    if campaign.publicity_start is None:
        return []
    return list(
        campaign.applications.filter(
            status__in=("publicized", "objection_upheld", "appointed", "not_appointed")
        ).order_by("name", "id")
    )


def public_candidate(*, campaign: RecruitmentCampaign, pk) -> Application:
    """A candidate an objection names: one under 公示 in this campaign (else a wrong input)."""
    try:
        return campaign.applications.get(pk=pk, status="publicized")
    except (Application.DoesNotExist, ValueError, TypeError):
        raise DomainError("请选择公示名单中的拟聘任人员", field="application") from None


def public_roster() -> QuerySet[InvitedSupervisor]:
    """The serving invited supervisors, for the public roster (name, 聘书 number, term, work unit)."""
    today = timezone.localdate()
    return (
        InvitedSupervisor.objects.filter(status="serving", term_end__gte=today)
        .select_related("unit", "application")
        .order_by("unit__sort_order", "name", "id")
    )


@dataclass
class PublicStage:
    tracking_code: str
    campaign: str
    route: str
    stage: str
    received_on: dt.date
    reasons: list[str]
    publicity: str


def public_stage(*, application: Application) -> PublicStage:
    """What the applicant sees: the stage and, if refused, the reasons (the conditions failed, the review's
    reason, the objection found well-founded). Nothing about others."""
    reasons: list[str] = []
    if application.status == "failed":
        reasons = [f["message"] for f in application.eligibility] + (
            [application.review_reason] if application.review_reason else []
        )
    elif application.status == "objection_upheld":
        reasons = [o.answer for o in application.objections.filter(upheld=True)]
    c = application.campaign
    publicity = ""
    if c.publicity_start and application.status in ("publicized", "objection_upheld", "appointed"):
        publicity = f"{c.publicity_start:%Y-%m-%d} 至 {c.publicity_end:%Y-%m-%d}"
    return PublicStage(
        tracking_code=application.tracking_code,
        campaign=c.title,
        route=application.get_route_display(),
        stage=rules.PUBLIC_STAGES.get(application.status, "已收到"),
        received_on=timezone.localdate(application.received_at),
        reasons=reasons,
        publicity=publicity,
    )
