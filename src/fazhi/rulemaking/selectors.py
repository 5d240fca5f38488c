"""Reads of 依法决策, each applying the viewer's data scope (decisions by lead unit or organ, documents by drafting
unit or issuer, incidental reviews by handling or making unit), and the portal's public reads."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from fazhi.core.errors import NotFound
from fazhi.core.models import Attachment, Unit
from fazhi.core.normalize import clean_text
from fazhi.core.scope import scope_q, user_data_scope
from fazhi.core.search import search_filter
from fazhi.documents.models import GeneratedDocument
from fazhi.rulemaking import rules
from fazhi.rulemaking.models import (
    CleanupCampaign,
    CleanupEntry,
    Consultation,
    DecisionCatalogue,
    Hearing,
    IncidentalReview,
    MajorDecision,
    NormativeDocument,
    NormativeFiling,
    NormativeItem,
    PortalEntry,
    PublicComment,
)
from fazhi.tracking import rules as light_rules
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.selectors import yellow_until

PAGE = 20


def _either(*conditions: Q) -> Q:
    """OR of scope filters where an empty Q means everything (Q() | x would narrow to x)."""
    if any(not c for c in conditions):
        return Q()
    result = conditions[0]
    for c in conditions[1:]:
        result |= c
    return result


def _pk(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def _with_light(qs: QuerySet, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return qs.annotate(
        light=light_rules.light_expression(today=today, yellow_until=yellow_until(today), prefix="item__")
    )


# ---------------------------------------------------------------- scope


# Decisions and documents are their units' records: the 本人 scope sees only those the user created himself.


def decision_scope_q(user) -> Q:
    if user_data_scope(user) == "self":
        return Q(created_by=user)
    return _either(scope_q(user, unit_field="lead_unit"), scope_q(user, unit_field="organ"))


def normative_scope_q(user) -> Q:
    if user_data_scope(user) == "self":
        return Q(created_by=user)
    return _either(scope_q(user, unit_field="drafting_unit"), scope_q(user, unit_field="issuer"))


def incidental_scope_q(user) -> Q:
    if user_data_scope(user) == "self":
        return Q(pk__in=[])
    return _either(scope_q(user, unit_field="unit"), scope_q(user, unit_field="maker_unit"))


def units_for(*, user, kinds=("agency", "government", "justice")) -> QuerySet[Unit]:
    """Active units the user's scope reaches (for choosing a lead or drafting unit)."""
    return Unit.objects.filter(scope_q(user, unit_field=""), is_active=True, kind__in=kinds).order_by(
        "sort_order", "id"
    )


def governments() -> QuerySet[Unit]:
    return Unit.objects.filter(kind="government", is_active=True).order_by("sort_order", "id")


def justice_units() -> QuerySet[Unit]:
    return Unit.objects.filter(kind="justice", is_active=True).order_by("sort_order", "id")


def all_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).order_by("sort_order", "id")


# ---------------------------------------------------------------- catalogues


def catalogue_list(*, user, year: int | None = None, q: str = "") -> QuerySet[DecisionCatalogue]:
    qs = DecisionCatalogue.objects.select_related("organ").annotate(decision_count=Count("decisions"))
    if year:
        qs = qs.filter(year=year)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(organ__name__icontains=q))
    return qs.order_by("-year", "organ__sort_order", "id")


def catalogue_get(*, user, pk) -> DecisionCatalogue:
    """Catalogues are published documents: every reader of decisions may open one."""
    return _get(DecisionCatalogue.objects.select_related("organ"), pk)


def catalogue_decisions(*, catalogue: DecisionCatalogue) -> QuerySet[MajorDecision]:
    return catalogue.decisions.select_related("lead_unit").order_by("id")


def catalogue_candidates(*, user, catalogue: DecisionCatalogue) -> QuerySet[MajorDecision]:
    """Proposals of the catalogue's year and organ, not yet in any catalogue."""
    return MajorDecision.objects.filter(
        catalogue__isnull=True, organ=catalogue.organ, year=catalogue.year, stage="proposed"
    ).select_related("lead_unit")


# ---------------------------------------------------------------- decisions


@dataclass
class DecisionFilters:
    q: str = ""
    stage: str = ""
    year: int | None = None
    lead_unit: int | None = None


def decision_list(*, user, filters: DecisionFilters | None = None, today=None) -> QuerySet[MajorDecision]:
    f = filters or DecisionFilters()
    qs = MajorDecision.objects.filter(decision_scope_q(user)).select_related("lead_unit", "organ", "catalogue", "item")
    q = clean_text(f.q)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(proposal_number__icontains=q))
    if f.stage in dict(MajorDecision.STAGES):
        qs = qs.filter(stage=f.stage)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.lead_unit:
        qs = qs.filter(lead_unit_id=f.lead_unit)
    return _with_light(qs, today).order_by("-year", "-id")


def decision_get(*, user, pk) -> MajorDecision:
    qs = MajorDecision.objects.filter(decision_scope_q(user)).select_related(
        "lead_unit", "organ", "catalogue", "item", "executing_unit"
    )
    return _get(_with_light(qs), pk)


def decision_required(decision: MajorDecision) -> tuple[str, ...]:
    return rules.steps_required(
        rules.Procedures(
            public_participation=decision.public_participation,
            hearing=decision.hearing_required,
            expert_argument=decision.expert_argument,
            risk_assessment=decision.risk_assessment,
        )
    )


def consultation_of(decision: MajorDecision) -> Consultation | None:
    return Consultation.objects.filter(decision=decision).first()


def hearing_of(decision: MajorDecision) -> Hearing | None:
    # A query, not the reverse accessor: Django caches a missing one-to-one as None on the instance.
    return Hearing.objects.filter(decision=decision).first()


def last_review(decision: MajorDecision):
    return decision.reviews.order_by("-round").first()


def last_risk(decision: MajorDecision):
    return decision.risk_assessments.order_by("-id").first()


def open_evaluation(decision: MajorDecision):
    return decision.evaluations.filter(finished_on__isnull=True).order_by("-id").first()


def decision_done(decision: MajorDecision) -> set[str]:
    """The steps whose record is complete (their order is rules.DECISION_STEPS)."""
    done = set()
    consultation = consultation_of(decision)
    if consultation and consultation.answers_published_on:
        done.add("consultation")
    hearing = hearing_of(decision)
    if hearing is not None and hearing.held:
        done.add("hearing")
    if decision.experts_completed_on:
        done.add("expert")
    risk = last_risk(decision)
    if risk is not None and risk.controllable:
        done.add("risk")
    review = last_review(decision)
    if review is not None and review.opinion:
        blocked = rules.review_allows_discussion(
            opinion=review.opinion, exploratory=decision.exploratory, changes_done=bool(review.changes_on)
        )
        if blocked is None:
            done.add("review")
    if decision.discussions.filter(outcome="adopted").exists():
        done.add("discussion")
    if decision.published_on:
        done.add("publication")
    return done


def decision_started(decision: MajorDecision) -> bool:
    """Whether any step has a record (then the procedures are fixed)."""
    return (
        Consultation.objects.filter(decision=decision).exists()
        or decision.experts.exists()
        or decision.risk_assessments.exists()
        or decision.reviews.exists()
        or decision.discussions.exists()
        or Hearing.objects.filter(decision=decision).exists()
    )


def decision_open_steps(decision: MajorDecision) -> set[str]:
    """The actions the decision's state allows now (who may take them is permissions.decision_actions)."""
    stage = decision.stage
    steps: set[str] = set()
    if stage in ("proposed", "not_adopted", "removed"):
        return steps
    if stage == "published":
        steps.add("execution")
        steps.add("evaluation_result" if open_evaluation(decision) else "evaluation_start")
        return steps
    catalogue_live = decision.catalogue is not None and decision.catalogue.status == "published"
    if not catalogue_live:
        return steps
    if not decision_started(decision):
        steps.add("procedures")
    if stage == "consultation":
        consultation = consultation_of(decision)
        if consultation is None:
            steps.add("consultation_open")
        elif not consultation.answers_published_on:
            steps |= {"moderate", "answer", "answers_publish"}
    elif stage == "hearing":
        steps.add("hearing_plan" if hearing_of(decision) is None else "hearing_held")
    elif stage == "expert":
        steps |= {"expert_add", "expert_opinion", "expert_complete"}
    elif stage == "risk":
        steps.add("risk")
    elif stage == "review":
        review = last_review(decision)
        if review is None or review.opinion == "unlawful":
            steps.add("review_submit")
        elif not review.opinion:
            steps.add("review_opinion")
        elif review.opinion == "lawful_after_changes" and not review.changes_on:
            steps.add("review_changes")
        elif review.opinion == "risk_disclosed" and not decision.exploratory:
            steps.add("review_submit")
    elif stage == "discussion":
        steps.add("discussion")
    elif stage == "publication":
        steps.add("publication")
    return steps


@dataclass
class StepRow:
    code: str
    label: str
    citation: str
    required: bool
    done: bool
    current: bool
    omit_reason: str = ""


def decision_steps(decision: MajorDecision) -> list[StepRow]:
    """The procedure as the page shows it: every step of the 条例's order, required or left out (with why)."""
    required = decision_required(decision)
    done = decision_done(decision)
    current = rules.next_step(required, done) if decision.procedures_set else None
    reasons = {
        "consultation": decision.participation_omit_reason,
        "expert": decision.expert_omit_reason,
        "risk": decision.risk_omit_reason,
        "hearing": "" if decision.public_participation else decision.participation_omit_reason,
    }
    return [
        StepRow(
            code=s,
            label=rules.STEP_LABELS[s],
            citation=rules.STEP_CITATIONS[s],
            required=s in required,
            done=s in done,
            current=s == current and decision.stage not in ("not_adopted", "removed"),
            omit_reason=reasons.get(s, "") if s not in required else "",
        )
        for s in rules.DECISION_STEPS
    ]


def decision_comments(*, decision: MajorDecision, status: str = "") -> QuerySet[PublicComment]:
    qs = PublicComment.objects.filter(consultation__decision=decision)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("submitted_at", "id")


def comment_counts(*, decision: MajorDecision) -> dict:
    qs = PublicComment.objects.filter(consultation__decision=decision)
    return qs.aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(status="pending")),
        published=Count("id", filter=Q(status="published")),
        withheld=Count("id", filter=Q(status="withheld")),
        unanswered=Count("id", filter=Q(status="published", answer="")),
    )


def decision_reviewer_units(decision: MajorDecision) -> set[int]:
    return set(decision.reviews.values_list("reviewer_unit_id", flat=True))


def decision_reviewer_unit_names(decision: MajorDecision) -> set[str]:
    return set(decision.reviews.values_list("reviewer_unit__name", flat=True))


def decision_assessors(decision: MajorDecision) -> set[str]:
    """Who argued and assessed the decision before it was taken (第三十六条): the risk assessors and the experts'
    institutions."""
    names = set(decision.risk_assessments.values_list("assessor", flat=True))
    for name, organisation in decision.experts.filter(excluded=False).values_list("name", "organisation"):
        names |= {n for n in (name, organisation) if n}
    return names


def proposal_display(*, user, decision: MajorDecision) -> dict | None:
    """The 人大建议 / 政协提案 a catalogue item came from, as the page shows it: linked to the proposal's page
    (requests app) when the viewer may see it, else the reference text as it was entered."""
    from fazhi.core.errors import NotFound
    from fazhi.requests.selectors import proposal_ref

    if decision.source not in rules.PROPOSAL_SOURCES:
        return None
    label = " ".join(x for x in (decision.proposal_number, decision.proposal_title) if x)
    shown = {"label": label or decision.get_source_display(), "url": "", "proposal_id": decision.proposal_id}
    if decision.proposal_id:
        try:
            shown["label"], shown["url"] = proposal_ref(user=user, pk=decision.proposal_id)
        except NotFound:
            pass
    return shown


# ---------------------------------------------------------------- normative documents


@dataclass
class NormativeFilters:
    q: str = ""
    stage: str = ""
    state: str = ""
    year: int | None = None
    unit: int | None = None


def normative_list(*, user, filters: NormativeFilters | None = None) -> QuerySet[NormativeDocument]:
    f = filters or NormativeFilters()
    qs = NormativeDocument.objects.filter(normative_scope_q(user)).select_related("issuer", "drafting_unit")
    q = clean_text(f.q)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    if f.stage in dict(NormativeDocument.STAGES):
        qs = qs.filter(stage=f.stage)
    if f.state in dict(NormativeDocument.STATES):
        qs = qs.filter(state=f.state, stage="published")
    if f.year:
        qs = qs.filter(published_on__year=f.year)
    if f.unit:
        qs = qs.filter(Q(drafting_unit_id=f.unit) | Q(issuer_id=f.unit))
    return qs.order_by("-created_at", "-id")


def normative_get(*, user, pk) -> NormativeDocument:
    return _get(NormativeDocument.objects.filter(normative_scope_q(user)).select_related("issuer", "drafting_unit"), pk)


def normative_items(document: NormativeDocument) -> list[NormativeItem]:
    return list(document.items.select_related("item").order_by("id"))


def normative_review_item(document: NormativeDocument) -> TrackedItem | None:
    link = document.items.filter(role="review").select_related("item").order_by("-id").first()
    return link.item if link else None


def normative_filing_item(document: NormativeDocument) -> TrackedItem | None:
    link = document.items.filter(role="filing").select_related("item").order_by("-id").first()
    return link.item if link else None


def normative_open_steps(document: NormativeDocument) -> set[str]:
    stage = document.stage
    if stage == "drafting":
        return {"edit", "submit"}
    if stage == "review":
        return {"review", "extend"}
    if stage == "reviewed":
        if document.review_opinion == "lawful_after_changes" and not document.changes_text:
            return {"changes"}
        return {"deliberate"}
    if stage == "deliberated":
        return {"register"}
    if stage == "registered":
        return {"publish"}
    if stage == "published" and document.state == "in_force":
        steps = {"repeal"}
        if document.filings.filter(filed_on__isnull=True).exists():
            steps.add("file")
        return steps
    return set()


def filings_of(document: NormativeDocument) -> QuerySet[NormativeFiling]:
    return document.filings.order_by("authority")


@dataclass
class FilingStatsRow:
    unit_id: int
    unit: str
    due: int
    filed: int
    timely: int
    proper: int
    overdue_open: int
    filing_rate: float | None = None
    timely_rate: float | None = None
    proper_rate: float | None = None


@dataclass
class FilingStats:
    year: int
    rows: list[FilingStatsRow] = field(default_factory=list)
    total: FilingStatsRow | None = None


def filing_stats(*, user, year: int, today: dt.date | None = None) -> FilingStats:
    """报备率 (filed ÷ due), 及时率 (filed by the deadline ÷ due) and 规范率 (filed in proper form ÷ filed) per
    reporting unit for the documents published in `year`: one grouped query over the filings, one for the names."""
    today = today or timezone.localdate()
    qs = NormativeFiling.objects.filter(scope_q(user, unit_field="unit"), year=year)
    # Grouped by the unit id alone (the names are joined afterwards from the few units found).
    grouped = list(
        qs.values("unit_id")
        .annotate(
            due=Count("id"),
            filed=Count("id", filter=Q(filed_on__isnull=False)),
            timely=Count("id", filter=Q(filed_on__isnull=False, filed_on__lte=F("due_on"))),
            proper=Count("id", filter=Q(proper=True)),
            overdue_open=Count("id", filter=Q(filed_on__isnull=True, due_on__lt=today)),
        )
        .order_by()
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["unit_id"] for r in grouped])}
    grouped.sort(key=lambda r: (units[r["unit_id"]].sort_order, r["unit_id"]))
    stats = FilingStats(year=year)
    totals = {"due": 0, "filed": 0, "timely": 0, "proper": 0, "overdue_open": 0}
    for r in grouped:
        row = FilingStatsRow(
            unit_id=r["unit_id"],
            unit=units[r["unit_id"]].name,
            due=r["due"],
            filed=r["filed"],
            timely=r["timely"],
            proper=r["proper"],
            overdue_open=r["overdue_open"],
        )
        _rates(row)
        stats.rows.append(row)
        for k in totals:
            totals[k] += r[k]
    stats.total = _rates(FilingStatsRow(unit_id=0, unit="合计", **totals))
    return stats


def decision_counts_by_unit(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """For the assessment module's reports, system-wide: major decisions decided in [date_from, date_to], per lead
    unit (承办单位). One GROUP BY."""
    rows = (
        MajorDecision.objects.filter(decided_on__gte=date_from, decided_on__lte=date_to)
        .values("lead_unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["lead_unit_id"]: r["n"] for r in rows}


def filing_figures_by_unit(*, year: int) -> dict[str, dict[int, tuple[int, int]]]:
    """For the assessment module (考核), system-wide, per reporting unit, over the filings of the normative documents
    published in `year`: "filed" (filed, due) and "timely" (filed by the deadline, due) — one GROUP BY."""
    rows = (
        NormativeFiling.objects.filter(year=year)
        .values("unit_id")
        .annotate(
            due=Count("id"),
            filed=Count("id", filter=Q(filed_on__isnull=False)),
            timely=Count("id", filter=Q(filed_on__isnull=False, filed_on__lte=F("due_on"))),
        )
        .order_by()
    )
    return {
        "filed": {r["unit_id"]: (r["filed"], r["due"]) for r in rows},
        "timely": {r["unit_id"]: (r["timely"], r["due"]) for r in rows},
    }


def _rates(row: FilingStatsRow) -> FilingStatsRow:
    row.filing_rate = rules.rate(row.filed, row.due)
    row.timely_rate = rules.rate(row.timely, row.due)
    row.proper_rate = rules.rate(row.proper, row.filed)
    return row


# ---------------------------------------------------------------- cleanups


def cleanup_list(*, user, q: str = "", year: int | None = None) -> QuerySet[CleanupCampaign]:
    qs = CleanupCampaign.objects.select_related("organiser").annotate(
        entry_count=Count("entries"), decided_count=Count("entries", filter=~Q(entries__result=""))
    )
    q = clean_text(q)
    if q:
        qs = qs.filter(title__icontains=q)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-id")


def cleanup_get(*, user, pk) -> CleanupCampaign:
    return _get(CleanupCampaign.objects.select_related("organiser"), pk)


def cleanup_entries(*, user, campaign: CleanupCampaign) -> QuerySet[CleanupEntry]:
    """The entries of the documents the viewer may see (every entry once the results are public)."""
    qs = campaign.entries.select_related("document", "document__drafting_unit", "document__issuer")
    if campaign.status != "published":
        qs = qs.filter(document__in=NormativeDocument.objects.filter(normative_scope_q(user)))
    return qs.order_by("document__drafting_unit__sort_order", "document_id")


def cleanup_entry_get(*, user, campaign: CleanupCampaign, pk) -> CleanupEntry:
    return _get(cleanup_entries(user=user, campaign=campaign), pk)


def cleanup_candidates(*, campaign: CleanupCampaign) -> QuerySet[NormativeDocument]:
    """Documents in force issued or drafted inside the organiser's part of the tree, not yet in the campaign."""
    path = campaign.organiser.path
    return (
        NormativeDocument.objects.filter(stage="published", state="in_force")
        .filter(Q(issuer__path__startswith=path) | Q(drafting_unit__path__startswith=path))
        .exclude(cleanup_entries__campaign=campaign)
    )


# ---------------------------------------------------------------- incidental reviews


def incidental_list(*, user, q: str = "", status: str = "", today=None) -> QuerySet[IncidentalReview]:
    qs = IncidentalReview.objects.filter(incidental_scope_q(user)).select_related(
        "document", "maker_unit", "unit", "item"
    )
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(document_ref__icontains=q) | Q(reconsideration_label__icontains=q))
    if status in dict(IncidentalReview.STATUSES):
        qs = qs.filter(status=status)
    return _with_light(qs, today).order_by("-received_on", "-id")


def incidental_get(*, user, pk) -> IncidentalReview:
    qs = IncidentalReview.objects.filter(incidental_scope_q(user)).select_related(
        "document", "maker_unit", "unit", "item"
    )
    return _get(_with_light(qs), pk)


def incidental_for_reconsideration(*, source_review_ids) -> dict[int, IncidentalReview]:
    """System read for the disputes app: the reviews this module owns for the given requests made in
    reconsiderations (its NormativeReview ids), with their items for the clocks. The caller checks its own scope."""
    qs = IncidentalReview.objects.filter(source_review_id__in=list(source_review_ids)).select_related("item", "unit")
    return {r.source_review_id: r for r in qs}


def incidental_open_steps(review: IncidentalReview) -> set[str]:
    if review.status == "concluded":
        return set()
    if review.path == "":
        return {"route"}
    if review.path == "handle":
        if review.status == "received":
            return {"notify"}
        if review.status == "notified":
            return {"answer", "conclude"}
        return {"conclude"}
    if review.path == "forward":
        return {"forward"} if review.status == "received" else {"reply"}
    return {"conclude"}  # forwarded_in: we are the body with power


def normative_documents_for_ref(*, user, q: str) -> QuerySet[NormativeDocument]:
    """Published documents the viewer may see, for naming the document of an incidental review."""
    q = clean_text(q)
    qs = NormativeDocument.objects.filter(normative_scope_q(user), stage="published")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    return qs.order_by("-published_on", "-id")


# ---------------------------------------------------------------- documents and files


def documents_of(*, object_kind: str, object_id: int) -> QuerySet[GeneratedDocument]:
    from fazhi.documents.selectors import documents_for

    return documents_for(object_kind=object_kind, object_id=object_id)


def generated_document_get(*, user, pk) -> GeneratedDocument:
    """A document generated for a decision, normative document or incidental review the viewer may see."""
    visible = (
        Q(object_kind="major_decision", object_id__in=MajorDecision.objects.filter(decision_scope_q(user)).values("pk"))
        | Q(
            object_kind="normative_document",
            object_id__in=NormativeDocument.objects.filter(normative_scope_q(user)).values("pk"),
        )
        | Q(
            object_kind="incidental_review",
            object_id__in=IncidentalReview.objects.filter(incidental_scope_q(user)).values("pk"),
        )
    )
    return _get(GeneratedDocument.objects.filter(visible).select_related("attachment"), pk)


# ---------------------------------------------------------------- the portal


def public_catalogues() -> QuerySet[DecisionCatalogue]:
    return DecisionCatalogue.objects.filter(status="published").select_related("organ").order_by("-year", "id")


def public_catalogue_get(pk) -> DecisionCatalogue:
    return _get(public_catalogues(), pk)


def public_catalogue_decisions(catalogue: DecisionCatalogue) -> QuerySet[MajorDecision]:
    return catalogue.decisions.exclude(stage="proposed").select_related("lead_unit").order_by("id")


def public_consultations(*, today: dt.date | None = None) -> QuerySet[Consultation]:
    today = today or timezone.localdate()
    return (
        Consultation.objects.filter(starts_on__lte=today)
        .select_related("decision", "decision__lead_unit", "decision__organ")
        .annotate(comment_count=Count("comments", filter=Q(comments__status="published")))
        .order_by("-starts_on", "-id")
    )


def public_consultation_get(pk, *, today: dt.date | None = None) -> Consultation:
    return _get(public_consultations(today=today), pk)


def public_comments(consultation: Consultation) -> QuerySet[PublicComment]:
    return consultation.comments.filter(status="published").order_by("submitted_at", "id")


def comment_code_hash(code: str) -> str:
    return hashlib.sha256(("fazhi-comment:" + (code or "").strip().upper()).encode()).hexdigest()


def comment_by_code(code: str) -> PublicComment:
    code = clean_text(code or "").upper()
    if not code:
        raise NotFound()
    try:
        return PublicComment.objects.select_related("consultation", "consultation__decision").get(
            code_hash=comment_code_hash(code)
        )
    except PublicComment.DoesNotExist:
        raise NotFound() from None


def public_material(pk, *, today: dt.date | None = None) -> Attachment:
    """A published consultation's materials (the draft and its explanation as files)."""
    today = today or timezone.localdate()
    through = Consultation.materials.through
    published = through.objects.filter(attachment_id=OuterRef("pk"), consultation__starts_on__lte=today)
    return _get(Attachment.objects.filter(Exists(published)), pk)


@dataclass
class SearchPage:
    rows: list
    next_cursor: str


def _cursor(value: str) -> tuple[dt.date, int] | None:
    day, _, pk = (value or "").partition("_")
    try:
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def portal_search(
    *, q: str = "", kind: str = "", state: str = "", cursor: str = "", limit: int = PAGE, today=None
) -> SearchPage:
    """Published normative documents and decisions, newest first, keyset-paginated on (published_on, id); a keyword
    through the bigram tokens of title, number, issuer and full text (core/search.py)."""
    today = today or timezone.localdate()
    qs = PortalEntry.objects.all()
    if kind in dict(PortalEntry.KINDS):
        qs = qs.filter(kind=kind)
    if state == "in_force":
        qs = qs.filter(state="in_force").filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    elif state == "repealed":
        qs = qs.filter(state="repealed")
    elif state == "expired":
        qs = qs.filter(Q(state="expired") | Q(state="in_force", valid_until__lt=today))
    after = _cursor(cursor) if cursor else None
    if after:
        qs = qs.filter(Q(published_on__lt=after[0]) | Q(published_on=after[0], id__lt=after[1]))
    q = clean_text(q)[:50]
    if q:
        qs = search_filter(qs, "search_vector", q, fields=["search"], newest=("-published_on", "-id"), first=limit + 1)
    rows = list(
        qs.order_by("-published_on", "-id").only(
            "id",
            "kind",
            "object_id",
            "title",
            "number",
            "issuer",
            "published_on",
            "effective_on",
            "valid_until",
            "state",
        )[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    for r in rows:
        r.shown_state = rules.portal_state(state=r.state, valid_until=r.valid_until, today=today)
    next_cursor = f"{rows[-1].published_on.isoformat()}_{rows[-1].pk}" if more and rows else ""
    return SearchPage(rows=rows, next_cursor=next_cursor)


def public_document_get(pk) -> NormativeDocument:
    return _get(NormativeDocument.objects.filter(stage="published").select_related("issuer", "drafting_unit"), pk)


def public_decision_get(pk) -> MajorDecision:
    return _get(MajorDecision.objects.filter(published_on__isnull=False).select_related("organ", "lead_unit"), pk)


def public_cleanups() -> QuerySet[CleanupCampaign]:
    return CleanupCampaign.objects.filter(status="published").select_related("organiser").order_by("-published_on")


def public_cleanup_get(pk) -> CleanupCampaign:
    return _get(public_cleanups(), pk)


def self_scope(user) -> bool:
    return user_data_scope(user) == "self"
