"""依法决策 API: catalogues, major decisions step by step, normative documents (review, 三统一, publication, filing,
repeal), filing statistics, cleanups, incidental reviews, and the portal's public reads. Parse, call a service or a
selector, serialise — nothing else. Steps with documents (drafts, opinions, minutes, reports) are also taken as
multipart at `…/steps/{step}`: the page's own form and service for that step, so the checks are the same, and the
files in `attachments` go through fazhi.core.attachments."""

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema, Status

from fazhi.core.apitypes import Limit, Offset, Year
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.masking import mask_name
from fazhi.core.models import Unit
from fazhi.core.tokens import PermissionAuth, PublicAuth
from fazhi.rulemaking import permissions, rules, selectors, services
from fazhi.rulemaking.models import PublicComment
from fazhi.tracking.api import ClockOut, EventOut, _event, clock_out
from fazhi.tracking.selectors import item_clocks, item_timeline

router = Router(tags=["依法决策"])
P = "/rulemaking"

VIEW_D = PermissionAuth("decision.view")
MANAGE_D = PermissionAuth("decision.manage")
REVIEW_D = PermissionAuth("decision.review")
ORGAN_D = PermissionAuth("decision.organ")
VIEW_N = PermissionAuth("normative.view")
MANAGE_N = PermissionAuth("normative.manage")
REVIEW_N = PermissionAuth("normative.review")
EITHER_N = PermissionAuth("normative.manage", "normative.review")


def _unit(pk: int | None, field: str) -> Unit | None:
    if pk is None:
        return None
    unit = Unit.objects.filter(pk=pk, is_active=True).first()
    if unit is None:
        raise DomainError("单位不存在", field=field)
    return unit


def _window(limit: int, offset: int) -> tuple[int, int]:
    return max(0, offset), min(max(limit, 1), 200)


# ---------------------------------------------------------------- schemas


class RulemakingDocumentOut(Schema):
    id: int
    title: str
    number: str
    sm3: str
    url: str


class RulemakingCatalogueIn(Schema):
    organ_id: int
    year: Year
    title: str = ""


class RulemakingCatalogueDecisionOut(Schema):
    id: int
    title: str
    lead_unit: str
    source: str
    stage: str


class RulemakingAdjustmentOut(Schema):
    kind: str
    decision_id: int
    reason: str
    consent_ref: str
    adjusted_on: dt.date


class RulemakingCatalogueOut(Schema):
    id: int
    organ_id: int
    organ: str
    year: int
    title: str
    status: str
    consent_on: dt.date | None
    consent_ref: str
    published_on: dt.date | None
    decisions: list[RulemakingCatalogueDecisionOut]
    adjustments: list[RulemakingAdjustmentOut]
    actions: list[str]


class RulemakingCatalogueListOut(Schema):
    items: list[RulemakingCatalogueOut]
    total: int


class RulemakingIncludeIn(Schema):
    decision_id: int


class RulemakingConsentIn(Schema):
    consent_on: dt.date
    consent_ref: str


class RulemakingPublishDateIn(Schema):
    published_on: dt.date | None = None


class RulemakingAdjustIn(Schema):
    kind: str
    decision_id: int
    reason: str
    consent_ref: str = ""
    adjusted_on: dt.date | None = None


class RulemakingProposalIn(Schema):
    title: str
    organ_id: int
    lead_unit_id: int
    year: Year
    source: str = "department"
    summary: str = ""
    category: str = "policy"
    source_detail: str = ""
    proposal_number: str = ""
    proposal_title: str = ""
    proposal_id: int | None = None


class RulemakingStepOut(Schema):
    code: str
    label: str
    required: bool
    done: bool
    current: bool
    omit_reason: str
    citation: str


class RulemakingProposalRefOut(Schema):
    label: str
    url: str
    proposal_id: int | None


class RulemakingDecisionOut(Schema):
    id: int
    title: str
    year: int
    category: str
    organ_id: int
    organ: str
    lead_unit_id: int
    lead_unit: str
    catalogue_id: int | None
    source: str
    source_detail: str
    proposal: RulemakingProposalRefOut | None
    stage: str
    stage_label: str
    public_participation: bool
    hearing_required: bool
    expert_argument: bool
    risk_assessment: bool
    exploratory: bool
    steps: list[RulemakingStepOut]
    number: str
    published_on: dt.date | None
    deadline: dt.date | None
    actions: list[str]
    clocks: list[ClockOut]
    documents: list[RulemakingDocumentOut]
    timeline: list[EventOut]


class RulemakingDecisionRowOut(Schema):
    id: int
    title: str
    year: int
    lead_unit: str
    stage: str
    number: str
    deadline: dt.date | None
    light: str | None


class RulemakingDecisionListOut(Schema):
    items: list[RulemakingDecisionRowOut]
    total: int


class RulemakingProceduresIn(Schema):
    public_participation: bool = True
    participation_omit_reason: str = ""
    hearing_required: bool = False
    hearing_reason: str = ""
    expert_argument: bool = True
    expert_omit_reason: str = ""
    risk_assessment: bool = True
    risk_omit_reason: str = ""
    exploratory: bool = False


class RulemakingConsultationIn(Schema):
    starts_on: dt.date
    days: int = rules.COMMENT_MIN_DAYS
    draft_text: str
    explanation: str = ""
    how_to_comment: str = ""
    shortened_reason: str = ""


class RulemakingCommentOut(Schema):
    id: int
    submitted_at: dt.datetime
    name: str
    content: str
    status: str
    withhold_reason: str
    answer: str
    answer_reason: str


class RulemakingModerateIn(Schema):
    comment_id: int
    publish: bool
    reason: str = ""


class RulemakingAnswerIn(Schema):
    comment_id: int
    answer: str
    reason: str


class RulemakingAnswersPublishIn(Schema):
    adoption_summary: str


class RulemakingHearingPlanIn(Schema):
    organiser: str
    held_on: dt.date
    place: str
    selection_rules: str
    rules_published_on: dt.date
    participants: str
    participants_published_on: dt.date
    materials_sent_on: dt.date


class RulemakingHearingHeldIn(Schema):
    record_confirmed: bool
    summary: str


class RulemakingExpertIn(Schema):
    name: str
    organisation: str = ""
    field: str = ""
    interest: str = ""


class RulemakingExpertOut(Schema):
    id: int
    name: str
    excluded: bool


class RulemakingExpertOpinionIn(Schema):
    expert_id: int
    opinion: str
    signed: bool
    opinion_on: dt.date


class RulemakingExpertCompleteIn(Schema):
    adoption: str


class RulemakingRiskIn(Schema):
    assessor: str
    risk_points: str
    measures: str
    level: str
    controllable: bool
    assessed_on: dt.date


class RulemakingReviewSubmitIn(Schema):
    reviewer_unit_id: int
    working_days: int = rules.DECISION_REVIEW_MIN_WORKING_DAYS
    materials_note: str = ""


class RulemakingReviewOpinionIn(Schema):
    opinion: str
    opinion_text: str


class RulemakingChangesIn(Schema):
    changes_text: str


class RulemakingSpeechIn(Schema):
    speaker: str
    role: str = "member"  # member | head
    position: str  # agree | disagree | abstain
    opinion: str = ""


class RulemakingDiscussionIn(Schema):
    meeting_kind: str = "executive"
    meeting_name: str
    held_on: dt.date
    members_total: int
    members_present: int
    attendees: str
    speeches: list[RulemakingSpeechIn]
    dissent: str = ""
    head_reason: str = ""
    outcome: str


class RulemakingPublicationIn(Schema):
    published_on: dt.date
    channels: str
    decision_text: str
    party_report_on: dt.date
    party_report_note: str = ""
    adoption_note: str = ""
    executing_unit_id: int | None = None
    prefix: str = ""


class RulemakingExecutionIn(Schema):
    period: str
    reported_on: dt.date
    content: str
    problems: str = ""


class RulemakingEvaluationStartIn(Schema):
    trigger: str
    trigger_note: str
    evaluator_name: str = ""
    evaluator_unit_id: int | None = None
    started_on: dt.date | None = None


class RulemakingEvaluationResultIn(Schema):
    result: str
    conclusion: str


class RulemakingNormativeIn(Schema):
    title: str
    issuer_id: int
    drafting_unit_id: int
    draft_text: str
    explanation: str = ""


class RulemakingFilingOut(Schema):
    authority: str
    authority_name: str
    due_on: dt.date
    filed_on: dt.date | None
    timely: bool | None
    proper: bool | None
    receipt: str


class RulemakingNormativeOut(Schema):
    id: int
    title: str
    kind: str
    issuer_id: int
    issuer: str
    drafting_unit_id: int
    drafting_unit: str
    provisional: bool
    stage: str
    stage_label: str
    state: str
    review_opinion: str
    number: str
    published_on: dt.date | None
    effective_on: dt.date | None
    valid_until: dt.date | None
    repealed_on: dt.date | None
    suspended_clauses: str
    filings: list[RulemakingFilingOut]
    actions: list[str]
    clocks: list[ClockOut]
    documents: list[RulemakingDocumentOut]
    timeline: list[EventOut]


class RulemakingNormativeRowOut(Schema):
    id: int
    title: str
    number: str
    issuer: str
    stage: str
    state: str
    published_on: dt.date | None
    valid_until: dt.date | None


class RulemakingNormativeListOut(Schema):
    items: list[RulemakingNormativeRowOut]
    total: int


class RulemakingSubmitIn(Schema):
    reviewing_unit_id: int


class RulemakingExtendIn(Schema):
    days: int
    reason: str


class RulemakingNormativeReviewIn(Schema):
    opinion: str
    text: str


class RulemakingDeliberateIn(Schema):
    meeting: str
    deliberated_on: dt.date
    adopted: bool = True


class RulemakingRegisterIn(Schema):
    text: str = ""
    prefix: str = ""
    registered_on: dt.date | None = None


class RulemakingNormativePublishIn(Schema):
    published_on: dt.date | None = None
    effective_on: dt.date | None = None
    early_effect_reason: str = ""
    validity_years: int | None = None


class RulemakingFileIn(Schema):
    authority: str
    filed_on: dt.date
    proper: bool
    receipt: str = ""
    note: str = ""


class RulemakingRepealIn(Schema):
    reason: str
    repealed_on: dt.date | None = None


class RulemakingStatsRowOut(Schema):
    unit_id: int
    unit: str
    due: int
    filed: int
    timely: int
    proper: int
    overdue_open: int
    filing_rate: float | None
    timely_rate: float | None
    proper_rate: float | None


class RulemakingStatsOut(Schema):
    year: int
    rows: list[RulemakingStatsRowOut]
    total: RulemakingStatsRowOut


class RulemakingCleanupIn(Schema):
    title: str
    organiser_id: int
    year: Year
    basis: str = ""


class RulemakingEntryOut(Schema):
    id: int
    document_id: int
    document: str
    number: str
    result: str
    reason: str


class RulemakingCleanupOut(Schema):
    id: int
    title: str
    organiser: str
    year: int
    status: str
    published_on: dt.date | None
    entries: list[RulemakingEntryOut]
    actions: list[str]


class RulemakingCleanupListOut(Schema):
    items: list[RulemakingCleanupOut]
    total: int


class RulemakingAddedOut(Schema):
    added: int


class RulemakingDecideIn(Schema):
    entry_id: int
    result: str
    reason: str


class RulemakingIncidentalIn(Schema):
    document_id: int | None = None
    document_ref: str = ""
    clauses: str = ""
    maker_unit_id: int | None = None
    reconsideration_label: str
    reconsideration_url: str = ""
    received_on: dt.date
    suspended_on: dt.date | None = None
    requested_by_unit_id: int
    path: str = ""


class RulemakingIncidentalOut(Schema):
    id: int
    document_id: int | None
    document_ref: str
    clauses: str
    maker_unit: str | None
    unit: str
    reconsideration_label: str
    reconsideration_url: str
    received_on: dt.date
    path: str
    status: str
    conclusion: str
    conclusion_text: str
    concluded_on: dt.date | None
    deadline: dt.date | None
    actions: list[str]
    clocks: list[ClockOut]
    timeline: list[EventOut]


class RulemakingIncidentalListOut(Schema):
    items: list[RulemakingIncidentalOut]
    total: int


class RulemakingRouteIn(Schema):
    path: str


class RulemakingNotifyIn(Schema):
    notified_on: dt.date


class RulemakingMakerAnswerIn(Schema):
    answer: str
    answered_on: dt.date


class RulemakingConcludeIn(Schema):
    conclusion: str
    text: str
    concluded_on: dt.date | None = None


class RulemakingForwardIn(Schema):
    forwarded_to: str
    forwarded_on: dt.date


class RulemakingReplyIn(Schema):
    conclusion: str
    text: str
    replied_on: dt.date


class RulemakingPublicEntryOut(Schema):
    kind: str
    id: int
    title: str
    number: str
    issuer: str
    published_on: dt.date
    effective_on: dt.date | None
    valid_until: dt.date | None
    state: str
    url: str


class RulemakingPublicSearchOut(Schema):
    items: list[RulemakingPublicEntryOut]
    next_cursor: str


class RulemakingPublicCommentOut(Schema):
    submitted_at: dt.datetime
    content: str
    answer: str
    answer_reason: str


class RulemakingPublicConsultationOut(Schema):
    id: int
    decision: str
    organ: str
    lead_unit: str
    starts_on: dt.date
    ends_on: dt.date
    days: int
    shortened_reason: str
    open: bool
    draft_text: str
    explanation: str
    answers_published_on: dt.date | None
    adoption_summary: str
    comments: list[RulemakingPublicCommentOut]


class RulemakingPublicConsultationRowOut(Schema):
    id: int
    decision: str
    organ: str
    starts_on: dt.date
    ends_on: dt.date
    open: bool


# ---------------------------------------------------------------- serialisers


def _documents(kind: str, pk: int) -> list[dict]:
    return [
        {"id": g.pk, "title": g.title, "number": g.number, "sm3": g.attachment.sm3, "url": f"{P}/documents/{g.pk}/"}
        for g in selectors.documents_of(object_kind=kind, object_id=pk)
    ]


def _catalogue(c, *, user) -> dict:
    return {
        "id": c.pk,
        "organ_id": c.organ_id,
        "organ": c.organ.name,
        "year": c.year,
        "title": c.title,
        "status": c.status,
        "consent_on": c.consent_on,
        "consent_ref": c.consent_ref,
        "published_on": c.published_on,
        "decisions": [
            {"id": d.pk, "title": d.title, "lead_unit": d.lead_unit.name, "source": d.source, "stage": d.stage}
            for d in selectors.catalogue_decisions(catalogue=c)
        ],
        "adjustments": [
            {
                "kind": a.kind,
                "decision_id": a.decision_id,
                "reason": a.reason,
                "consent_ref": a.consent_ref,
                "adjusted_on": a.adjusted_on,
            }
            for a in c.adjustments.all()
        ],
        "actions": sorted(permissions.catalogue_actions(user=user, obj=c)),
    }


def _decision(d, *, user) -> dict:
    d = selectors.decision_get(user=user, pk=d.pk)
    item = d.item
    return {
        "id": d.pk,
        "title": d.title,
        "year": d.year,
        "category": d.category,
        "organ_id": d.organ_id,
        "organ": d.organ.name,
        "lead_unit_id": d.lead_unit_id,
        "lead_unit": d.lead_unit.name,
        "catalogue_id": d.catalogue_id,
        "source": d.source,
        "source_detail": d.source_detail,
        "proposal": selectors.proposal_display(user=user, decision=d),
        "stage": d.stage,
        "stage_label": d.get_stage_display(),
        "public_participation": d.public_participation,
        "hearing_required": d.hearing_required,
        "expert_argument": d.expert_argument,
        "risk_assessment": d.risk_assessment,
        "exploratory": d.exploratory,
        "steps": [s.__dict__ for s in selectors.decision_steps(d)],
        "number": d.number,
        "published_on": d.published_on,
        "deadline": item.deadline if item else None,
        "actions": sorted(permissions.decision_actions(user=user, obj=d)),
        "clocks": [clock_out(c) for c in item_clocks(item=item)] if item else [],
        "documents": _documents("major_decision", d.pk),
        "timeline": [_event(e) for e in item_timeline(item=item)] if item else [],
    }


def _normative(doc, *, user) -> dict:
    doc = selectors.normative_get(user=user, pk=doc.pk)
    clocks, events = [], []
    for link in selectors.normative_items(doc):
        clocks += [clock_out(c) for c in item_clocks(item=link.item)]
        events += [_event(e) for e in item_timeline(item=link.item)]
    return {
        "id": doc.pk,
        "title": doc.title,
        "kind": doc.kind,
        "issuer_id": doc.issuer_id,
        "issuer": doc.issuer.name,
        "drafting_unit_id": doc.drafting_unit_id,
        "drafting_unit": doc.drafting_unit.name,
        "provisional": doc.provisional,
        "stage": doc.stage,
        "stage_label": doc.get_stage_display(),
        "state": rules.portal_state(state=doc.state, valid_until=doc.valid_until, today=timezone.localdate()),
        "review_opinion": doc.review_opinion,
        "number": doc.number,
        "published_on": doc.published_on,
        "effective_on": doc.effective_on,
        "valid_until": doc.valid_until,
        "repealed_on": doc.repealed_on,
        "suspended_clauses": doc.suspended_clauses,
        "filings": [
            {
                "authority": x.authority,
                "authority_name": x.authority_name,
                "due_on": x.due_on,
                "filed_on": x.filed_on,
                "timely": (x.filed_on <= x.due_on) if x.filed_on else None,
                "proper": x.proper,
                "receipt": x.receipt,
            }
            for x in selectors.filings_of(doc)
        ],
        "actions": sorted(permissions.normative_actions(user=user, obj=doc)),
        "clocks": clocks,
        "documents": _documents("normative_document", doc.pk),
        "timeline": events,
    }


def _cleanup(c, *, user) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "organiser": c.organiser.name,
        "year": c.year,
        "status": c.status,
        "published_on": c.published_on,
        "entries": [
            {
                "id": e.pk,
                "document_id": e.document_id,
                "document": e.document.title,
                "number": e.document.number,
                "result": e.result,
                "reason": e.reason,
            }
            for e in selectors.cleanup_entries(user=user, campaign=c)
        ],
        "actions": sorted(permissions.cleanup_actions(user=user, obj=c)),
    }


def _incidental(r, *, user, full: bool = True) -> dict:
    item = r.item
    return {
        "id": r.pk,
        "document_id": r.document_id,
        "document_ref": r.document_ref,
        "clauses": r.clauses,
        "maker_unit": r.maker_unit.name if r.maker_unit_id else None,
        "unit": r.unit.name,
        "reconsideration_label": r.reconsideration_label,
        "reconsideration_url": r.reconsideration_url,
        "received_on": r.received_on,
        "path": r.path,
        "status": r.status,
        "conclusion": r.conclusion,
        "conclusion_text": r.conclusion_text,
        "concluded_on": r.concluded_on,
        "deadline": item.deadline if item else None,
        "actions": sorted(permissions.incidental_actions(user=user, obj=r)),
        "clocks": [clock_out(c) for c in item_clocks(item=item)] if item and full else [],
        "timeline": [_event(e) for e in item_timeline(item=item)] if item and full else [],
    }


# ---------------------------------------------------------------- catalogues


@router.get(
    f"{P}/catalogues",
    response=RulemakingCatalogueListOut,
    summary="决策事项目录",
    auth=PermissionAuth("decision.view", "decision.organ"),
)
def catalogues_list(request, year: Year | None = None, q: str = "", limit: Limit = 50, offset: Offset = 0):
    user = request.auth
    qs = selectors.catalogue_list(user=user, year=year, q=q)
    offset, limit = _window(limit, offset)
    return {"items": [_catalogue(c, user=user) for c in qs[offset : offset + limit]], "total": qs.count()}


@router.post(f"{P}/catalogues", response={201: RulemakingCatalogueOut}, summary="编制年度决策事项目录", auth=ORGAN_D)
def catalogues_create(request, payload: RulemakingCatalogueIn):
    user = request.auth
    c = services.catalogue_create(
        by=user,
        organ=_unit(payload.organ_id, "organ_id"),
        year=payload.year,
        title=payload.title,
        ip=client_ip(request),
    )
    return Status(201, _catalogue(c, user=user))


@router.get(
    f"{P}/catalogues/{{pk}}",
    response=RulemakingCatalogueOut,
    summary="决策事项目录详情",
    auth=PermissionAuth("decision.view", "decision.organ"),
)
def catalogues_get(request, pk: int):
    user = request.auth
    return _catalogue(selectors.catalogue_get(user=user, pk=pk), user=user)


def _proposal_for(user, pk: int):
    return selectors.decision_get(user=user, pk=pk)


@router.post(
    f"{P}/catalogues/{{pk}}/items", response=RulemakingCatalogueOut, summary="决策事项列入目录（编制中）", auth=ORGAN_D
)
def catalogues_include(request, pk: int, payload: RulemakingIncludeIn):
    user = request.auth
    c = selectors.catalogue_get(user=user, pk=pk)
    services.catalogue_include(
        by=user, catalogue=c, decision=_proposal_for(user, payload.decision_id), ip=client_ip(request)
    )
    return _catalogue(selectors.catalogue_get(user=user, pk=pk), user=user)


@router.post(
    f"{P}/catalogues/{{pk}}/consent",
    response=RulemakingCatalogueOut,
    summary="记录同级党委同意（第三条）",
    auth=ORGAN_D,
)
def catalogues_consent(request, pk: int, payload: RulemakingConsentIn):
    user = request.auth
    c = services.catalogue_consent(
        by=user, catalogue=selectors.catalogue_get(user=user, pk=pk), ip=client_ip(request), **payload.dict()
    )
    return _catalogue(c, user=user)


@router.post(f"{P}/catalogues/{{pk}}/publish", response=RulemakingCatalogueOut, summary="目录向社会公布", auth=ORGAN_D)
def catalogues_publish(request, pk: int, payload: RulemakingPublishDateIn):
    user = request.auth
    c = services.catalogue_publish(
        by=user, catalogue=selectors.catalogue_get(user=user, pk=pk), ip=client_ip(request), **payload.dict()
    )
    return _catalogue(c, user=user)


@router.post(
    f"{P}/catalogues/{{pk}}/adjustments",
    response=RulemakingCatalogueOut,
    summary="目录年度调整（须说明理由）",
    auth=ORGAN_D,
)
def catalogues_adjust(request, pk: int, payload: RulemakingAdjustIn):
    user = request.auth
    c = selectors.catalogue_get(user=user, pk=pk)
    data = payload.dict()
    decision = _proposal_for(user, data.pop("decision_id"))
    services.catalogue_adjust(by=user, catalogue=c, decision=decision, ip=client_ip(request), **data)
    return _catalogue(selectors.catalogue_get(user=user, pk=pk), user=user)


# ---------------------------------------------------------------- decisions


@router.get(f"{P}/decisions", response=RulemakingDecisionListOut, summary="重大行政决策", auth=VIEW_D)
def decisions_list(
    request, q: str = "", stage: str = "", year: Year | None = None, limit: Limit = 50, offset: Offset = 0
):
    user = request.auth
    qs = selectors.decision_list(user=user, filters=selectors.DecisionFilters(q=q, stage=stage, year=year))
    offset, limit = _window(limit, offset)
    items = [
        {
            "id": d.pk,
            "title": d.title,
            "year": d.year,
            "lead_unit": d.lead_unit.name,
            "stage": d.stage,
            "number": d.number,
            "deadline": d.item.deadline if d.item_id else None,
            "light": d.light if d.item_id else None,
        }
        for d in qs[offset : offset + limit]
    ]
    return {"items": items, "total": qs.count()}


@router.post(
    f"{P}/decisions",
    response={201: RulemakingDecisionOut},
    summary="提出决策事项建议（第十条）",
    auth=PermissionAuth("decision.manage", "decision.organ"),
)
def decisions_create(request, payload: RulemakingProposalIn):
    user = request.auth
    data = payload.dict()
    organ = _unit(data.pop("organ_id"), "organ_id")
    lead = _unit(data.pop("lead_unit_id"), "lead_unit_id")
    d = services.decision_propose(by=user, organ=organ, lead_unit=lead, ip=client_ip(request), **data)
    return Status(201, _decision(d, user=user))


@router.get(
    f"{P}/decisions/{{pk}}",
    response=RulemakingDecisionOut,
    summary="重大行政决策详情（程序、期限、文书、时间线）",
    auth=VIEW_D,
)
def decisions_get(request, pk: int):
    user = request.auth
    return _decision(selectors.decision_get(user=user, pk=pk), user=user)


def _step(request, pk: int, call):
    user = request.auth
    decision = selectors.decision_get(user=user, pk=pk)
    call(user, decision, client_ip(request))
    return _decision(decision, user=user)


@router.post(
    f"{P}/decisions/{{pk}}/procedures",
    response=RulemakingDecisionOut,
    summary="启动决策程序，确定适用程序（第十一条）",
    auth=MANAGE_D,
)
def decisions_procedures(request, pk: int, payload: RulemakingProceduresIn):
    return _step(
        request, pk, lambda u, d, ip: services.decision_set_procedures(by=u, decision=d, ip=ip, **payload.dict())
    )


@router.post(
    f"{P}/decisions/{{pk}}/consultation",
    response=RulemakingDecisionOut,
    summary="公开征求意见（第十五条：不少于30日）",
    auth=MANAGE_D,
)
def decisions_consultation(request, pk: int, payload: RulemakingConsultationIn):
    return _step(request, pk, lambda u, d, ip: services.consultation_open(by=u, decision=d, ip=ip, **payload.dict()))


@router.get(
    f"{P}/decisions/{{pk}}/comments", response=list[RulemakingCommentOut], summary="公众意见（含待审核）", auth=VIEW_D
)
def decisions_comments(request, pk: int):
    decision = selectors.decision_get(user=request.auth, pk=pk)
    return [
        {
            "id": c.pk,
            "submitted_at": c.submitted_at,
            "name": mask_name(c.name) if c.name else "",
            "content": c.content,
            "status": c.status,
            "withhold_reason": c.withhold_reason,
            "answer": c.answer,
            "answer_reason": c.answer_reason,
        }
        for c in selectors.decision_comments(decision=decision)
    ]


def _comment(decision, pk: int) -> PublicComment:
    comment = PublicComment.objects.filter(pk=pk, consultation__decision=decision).first()
    if comment is None:
        raise NotFound()
    return comment


@router.post(
    f"{P}/decisions/{{pk}}/comments/moderation", response=RulemakingDecisionOut, summary="审核公众意见", auth=MANAGE_D
)
def decisions_moderate(request, pk: int, payload: RulemakingModerateIn):
    return _step(
        request,
        pk,
        lambda u, d, ip: services.comment_moderate(
            by=u,
            decision=d,
            comment=_comment(d, payload.comment_id),
            publish=payload.publish,
            reason=payload.reason,
            ip=ip,
        ),
    )


@router.post(
    f"{P}/decisions/{{pk}}/comments/answer",
    response=RulemakingDecisionOut,
    summary="答复公众意见：采纳、部分采纳、不予采纳及理由",
    auth=MANAGE_D,
)
def decisions_answer(request, pk: int, payload: RulemakingAnswerIn):
    return _step(
        request,
        pk,
        lambda u, d, ip: services.comment_answer(
            by=u,
            decision=d,
            comment=_comment(d, payload.comment_id),
            answer=payload.answer,
            reason=payload.reason,
            ip=ip,
        ),
    )


@router.post(
    f"{P}/decisions/{{pk}}/consultation/answers",
    response=RulemakingDecisionOut,
    summary="征求意见期满后公布意见采纳情况",
    auth=MANAGE_D,
)
def decisions_answers_publish(request, pk: int, payload: RulemakingAnswersPublishIn):
    return _step(
        request, pk, lambda u, d, ip: services.consultation_publish_answers(by=u, decision=d, ip=ip, **payload.dict())
    )


@router.post(
    f"{P}/decisions/{{pk}}/hearing",
    response=RulemakingDecisionOut,
    summary="安排并公布听证会（第十六条）",
    auth=MANAGE_D,
)
def decisions_hearing_plan(request, pk: int, payload: RulemakingHearingPlanIn):
    return _step(request, pk, lambda u, d, ip: services.hearing_plan(by=u, decision=d, ip=ip, **payload.dict()))


@router.post(
    f"{P}/decisions/{{pk}}/hearing/held",
    response=RulemakingDecisionOut,
    summary="登记听证会举行情况（第十七条）",
    auth=MANAGE_D,
)
def decisions_hearing_held(request, pk: int, payload: RulemakingHearingHeldIn):
    return _step(request, pk, lambda u, d, ip: services.hearing_held(by=u, decision=d, ip=ip, **payload.dict()))


@router.post(
    f"{P}/decisions/{{pk}}/experts",
    response={201: RulemakingExpertOut},
    summary="选定论证专家（有利害关系的排除，第二十条）",
    auth=MANAGE_D,
)
def decisions_expert_add(request, pk: int, payload: RulemakingExpertIn):
    user = request.auth
    decision = selectors.decision_get(user=user, pk=pk)
    e = services.expert_add(by=user, decision=decision, ip=client_ip(request), **payload.dict())
    return Status(201, {"id": e.pk, "name": e.name, "excluded": e.excluded})


@router.post(
    f"{P}/decisions/{{pk}}/experts/opinion",
    response=RulemakingDecisionOut,
    summary="登记专家署名论证意见（第十九条）",
    auth=MANAGE_D,
)
def decisions_expert_opinion(request, pk: int, payload: RulemakingExpertOpinionIn):
    def call(u, d, ip):
        data = payload.dict()
        expert = d.experts.filter(pk=data.pop("expert_id")).first()
        if expert is None:
            raise NotFound()
        services.expert_opinion(by=u, decision=d, expert=expert, ip=ip, **data)

    return _step(request, pk, call)


@router.post(
    f"{P}/decisions/{{pk}}/experts/complete", response=RulemakingDecisionOut, summary="完成专家论证", auth=MANAGE_D
)
def decisions_expert_complete(request, pk: int, payload: RulemakingExpertCompleteIn):
    return _step(request, pk, lambda u, d, ip: services.expert_complete(by=u, decision=d, ip=ip, **payload.dict()))


@router.post(
    f"{P}/decisions/{{pk}}/risk",
    response=RulemakingDecisionOut,
    summary="登记风险评估（风险可控方可继续，第二十四条）",
    auth=MANAGE_D,
)
def decisions_risk(request, pk: int, payload: RulemakingRiskIn):
    return _step(request, pk, lambda u, d, ip: services.risk_assess(by=u, decision=d, ip=ip, **payload.dict()))


@router.post(
    f"{P}/decisions/{{pk}}/review",
    response=RulemakingDecisionOut,
    summary="送请合法性审查（不少于7个工作日，第二十六条）",
    auth=MANAGE_D,
)
def decisions_review_submit(request, pk: int, payload: RulemakingReviewSubmitIn):
    data = payload.dict()
    reviewer = _unit(data.pop("reviewer_unit_id"), "reviewer_unit_id")
    return _step(
        request, pk, lambda u, d, ip: services.review_submit(by=u, decision=d, reviewer_unit=reviewer, ip=ip, **data)
    )


@router.post(
    f"{P}/decisions/{{pk}}/review/opinion", response=RulemakingDecisionOut, summary="出具合法性审查意见", auth=REVIEW_D
)
def decisions_review_opinion(request, pk: int, payload: RulemakingReviewOpinionIn):
    return _step(request, pk, lambda u, d, ip: services.review_opinion(by=u, decision=d, ip=ip, **payload.dict()))


@router.post(
    f"{P}/decisions/{{pk}}/review/changes",
    response=RulemakingDecisionOut,
    summary="按合法性审查意见修改（第二十八条）",
    auth=MANAGE_D,
)
def decisions_review_changes(request, pk: int, payload: RulemakingChangesIn):
    return _step(request, pk, lambda u, d, ip: services.review_changes(by=u, decision=d, ip=ip, **payload.dict()))


@router.post(
    f"{P}/decisions/{{pk}}/discussion",
    response=RulemakingDecisionOut,
    summary="登记集体讨论决定（第三十条）",
    auth=ORGAN_D,
)
def decisions_discussion(request, pk: int, payload: RulemakingDiscussionIn):
    data = payload.dict()
    return _step(request, pk, lambda u, d, ip: services.discussion_record(by=u, decision=d, ip=ip, **data))


@router.post(
    f"{P}/decisions/{{pk}}/publication",
    response=RulemakingDecisionOut,
    summary="决策公布（第三十一条、第三十二条）",
    auth=ORGAN_D,
)
def decisions_publication(request, pk: int, payload: RulemakingPublicationIn):
    data = payload.dict()
    executing = _unit(data.pop("executing_unit_id"), "executing_unit_id")
    return _step(
        request,
        pk,
        lambda u, d, ip: services.decision_publish(by=u, decision=d, executing_unit=executing, ip=ip, **data),
    )


@router.post(
    f"{P}/decisions/{{pk}}/executions",
    response=RulemakingDecisionOut,
    summary="决策执行情况报告（第三十四条）",
    auth=MANAGE_D,
)
def decisions_execution(request, pk: int, payload: RulemakingExecutionIn):
    return _step(request, pk, lambda u, d, ip: services.execution_report(by=u, decision=d, ip=ip, **payload.dict()))


@router.post(
    f"{P}/decisions/{{pk}}/evaluation",
    response=RulemakingDecisionOut,
    summary="启动决策后评估（第三十六条）",
    auth=ORGAN_D,
)
def decisions_evaluation_start(request, pk: int, payload: RulemakingEvaluationStartIn):
    data = payload.dict()
    evaluator = _unit(data.pop("evaluator_unit_id"), "evaluator_unit_id")
    return _step(
        request,
        pk,
        lambda u, d, ip: services.evaluation_start(by=u, decision=d, evaluator_unit=evaluator, ip=ip, **data),
    )


@router.post(
    f"{P}/decisions/{{pk}}/evaluation/result", response=RulemakingDecisionOut, summary="登记后评估结论", auth=ORGAN_D
)
def decisions_evaluation_result(request, pk: int, payload: RulemakingEvaluationResultIn):
    return _step(request, pk, lambda u, d, ip: services.evaluation_result(by=u, decision=d, ip=ip, **payload.dict()))


# ---------------------------------------------------------------- normative documents


@router.get(f"{P}/normative", response=RulemakingNormativeListOut, summary="行政规范性文件", auth=VIEW_N)
def normative_list(
    request,
    q: str = "",
    stage: str = "",
    state: str = "",
    year: Year | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    user = request.auth
    qs = selectors.normative_list(
        user=user, filters=selectors.NormativeFilters(q=q, stage=stage, state=state, year=year)
    )
    offset, limit = _window(limit, offset)
    items = [
        {
            "id": d.pk,
            "title": d.title,
            "number": d.number,
            "issuer": d.issuer.name,
            "stage": d.stage,
            "state": d.state,
            "published_on": d.published_on,
            "valid_until": d.valid_until,
        }
        for d in qs[offset : offset + limit]
    ]
    return {"items": items, "total": qs.count()}


@router.post(f"{P}/normative", response={201: RulemakingNormativeOut}, summary="起草规范性文件", auth=MANAGE_N)
def normative_create(request, payload: RulemakingNormativeIn):
    user = request.auth
    data = payload.dict()
    issuer = _unit(data.pop("issuer_id"), "issuer_id")
    drafting = _unit(data.pop("drafting_unit_id"), "drafting_unit_id")
    doc = services.normative_create(by=user, issuer=issuer, drafting_unit=drafting, ip=client_ip(request), **data)
    return Status(201, _normative(doc, user=user))


@router.get(
    f"{P}/normative/{{pk}}",
    response=RulemakingNormativeOut,
    summary="规范性文件详情（期限、备案、文书、时间线）",
    auth=VIEW_N,
)
def normative_get(request, pk: int):
    user = request.auth
    return _normative(selectors.normative_get(user=user, pk=pk), user=user)


def _doc_step(request, pk: int, call):
    user = request.auth
    doc = selectors.normative_get(user=user, pk=pk)
    call(user, doc, client_ip(request))
    return _normative(doc, user=user)


@router.post(f"{P}/normative/{{pk}}/submit", response=RulemakingNormativeOut, summary="报送合法性审核", auth=MANAGE_N)
def normative_submit(request, pk: int, payload: RulemakingSubmitIn):
    reviewer = _unit(payload.reviewing_unit_id, "reviewing_unit_id")
    return _doc_step(
        request, pk, lambda u, d, ip: services.normative_submit(by=u, document=d, reviewing_unit=reviewer, ip=ip)
    )


@router.post(
    f"{P}/normative/{{pk}}/review/extend",
    response=RulemakingNormativeOut,
    summary="延长合法性审核期限（合计不超过15个工作日）",
    auth=REVIEW_N,
)
def normative_extend(request, pk: int, payload: RulemakingExtendIn):
    return _doc_step(
        request, pk, lambda u, d, ip: services.normative_review_extend(by=u, document=d, ip=ip, **payload.dict())
    )


@router.post(
    f"{P}/normative/{{pk}}/review", response=RulemakingNormativeOut, summary="出具合法性审核意见", auth=REVIEW_N
)
def normative_review(request, pk: int, payload: RulemakingNormativeReviewIn):
    return _doc_step(request, pk, lambda u, d, ip: services.normative_review(by=u, document=d, ip=ip, **payload.dict()))


@router.post(f"{P}/normative/{{pk}}/changes", response=RulemakingNormativeOut, summary="按审核意见修改", auth=MANAGE_N)
def normative_changes(request, pk: int, payload: RulemakingChangesIn):
    return _doc_step(
        request, pk, lambda u, d, ip: services.normative_changes(by=u, document=d, ip=ip, **payload.dict())
    )


@router.post(f"{P}/normative/{{pk}}/deliberation", response=RulemakingNormativeOut, summary="集体审议", auth=MANAGE_N)
def normative_deliberate(request, pk: int, payload: RulemakingDeliberateIn):
    return _doc_step(
        request, pk, lambda u, d, ip: services.normative_deliberate(by=u, document=d, ip=ip, **payload.dict())
    )


@router.post(
    f"{P}/normative/{{pk}}/register",
    response=RulemakingNormativeOut,
    summary="统一登记、统一编号、统一印发",
    auth=REVIEW_N,
)
def normative_register(request, pk: int, payload: RulemakingRegisterIn):
    return _doc_step(
        request, pk, lambda u, d, ip: services.normative_register(by=u, document=d, ip=ip, **payload.dict())
    )


@router.post(
    f"{P}/normative/{{pk}}/publish",
    response=RulemakingNormativeOut,
    summary="向社会公布（未登记编号的不得公布）",
    auth=EITHER_N,
)
def normative_publish(request, pk: int, payload: RulemakingNormativePublishIn):
    return _doc_step(
        request, pk, lambda u, d, ip: services.normative_publish(by=u, document=d, ip=ip, **payload.dict())
    )


@router.post(f"{P}/normative/{{pk}}/filings", response=RulemakingNormativeOut, summary="报送备案", auth=EITHER_N)
def normative_file(request, pk: int, payload: RulemakingFileIn):
    return _doc_step(request, pk, lambda u, d, ip: services.normative_file(by=u, document=d, ip=ip, **payload.dict()))


@router.post(f"{P}/normative/{{pk}}/repeal", response=RulemakingNormativeOut, summary="废止", auth=REVIEW_N)
def normative_repeal(request, pk: int, payload: RulemakingRepealIn):
    return _doc_step(request, pk, lambda u, d, ip: services.normative_repeal(by=u, document=d, ip=ip, **payload.dict()))


@router.get(
    f"{P}/filing-stats",
    response=RulemakingStatsOut,
    summary="备案统计：报备率、及时率、规范率（按单位、年度）",
    auth=VIEW_N,
)
def filing_stats(request, year: Year | None = None):
    stats = selectors.filing_stats(user=request.auth, year=year or timezone.localdate().year)
    return {"year": stats.year, "rows": [r.__dict__ for r in stats.rows], "total": stats.total.__dict__}


# ---------------------------------------------------------------- cleanups


@router.get(f"{P}/cleanups", response=RulemakingCleanupListOut, summary="规范性文件清理", auth=VIEW_N)
def cleanups_list(request, year: Year | None = None, limit: Limit = 50, offset: Offset = 0):
    user = request.auth
    qs = selectors.cleanup_list(user=user, year=year)
    offset, limit = _window(limit, offset)
    return {"items": [_cleanup(c, user=user) for c in qs[offset : offset + limit]], "total": qs.count()}


@router.post(f"{P}/cleanups", response={201: RulemakingCleanupOut}, summary="组织清理", auth=REVIEW_N)
def cleanups_create(request, payload: RulemakingCleanupIn):
    user = request.auth
    data = payload.dict()
    organiser = _unit(data.pop("organiser_id"), "organiser_id")
    c = services.cleanup_create(by=user, organiser=organiser, ip=client_ip(request), **data)
    return Status(201, _cleanup(c, user=user))


@router.get(f"{P}/cleanups/{{pk}}", response=RulemakingCleanupOut, summary="清理详情", auth=VIEW_N)
def cleanups_get(request, pk: int):
    user = request.auth
    return _cleanup(selectors.cleanup_get(user=user, pk=pk), user=user)


@router.post(
    f"{P}/cleanups/{{pk}}/documents", response=RulemakingAddedOut, summary="列入辖区内全部有效文件", auth=REVIEW_N
)
def cleanups_add(request, pk: int):
    user = request.auth
    return {"added": services.cleanup_add_documents(by=user, campaign=selectors.cleanup_get(user=user, pk=pk))}


@router.post(
    f"{P}/cleanups/{{pk}}/entries",
    response=RulemakingCleanupOut,
    summary="作出清理结论（继续有效、修改、废止及理由）",
    auth=EITHER_N,
)
def cleanups_decide(request, pk: int, payload: RulemakingDecideIn):
    user = request.auth
    c = selectors.cleanup_get(user=user, pk=pk)
    entry = selectors.cleanup_entry_get(user=user, campaign=c, pk=payload.entry_id)
    services.cleanup_decide(
        by=user, campaign=c, entry=entry, result=payload.result, reason=payload.reason, ip=client_ip(request)
    )
    return _cleanup(c, user=user)


@router.post(f"{P}/cleanups/{{pk}}/publish", response=RulemakingCleanupOut, summary="公布清理结果", auth=REVIEW_N)
def cleanups_publish(request, pk: int):
    user = request.auth
    c = services.cleanup_publish(by=user, campaign=selectors.cleanup_get(user=user, pk=pk), ip=client_ip(request))
    return _cleanup(c, user=user)


# ---------------------------------------------------------------- incidental reviews


@router.get(f"{P}/incidental-reviews", response=RulemakingIncidentalListOut, summary="附带审查", auth=VIEW_N)
def incidental_list(request, q: str = "", status: str = "", limit: Limit = 50, offset: Offset = 0):
    user = request.auth
    qs = selectors.incidental_list(user=user, q=q, status=status)
    offset, limit = _window(limit, offset)
    return {"items": [_incidental(r, user=user, full=False) for r in qs[offset : offset + limit]], "total": qs.count()}


@router.post(
    f"{P}/incidental-reviews",
    response={201: RulemakingIncidentalOut},
    summary="登记附带审查申请（《行政复议法》第十三条）",
    auth=REVIEW_N,
)
def incidental_create(request, payload: RulemakingIncidentalIn):
    user = request.auth
    data = payload.dict()
    document_id = data.pop("document_id")
    document = selectors.normative_get(user=user, pk=document_id) if document_id else None
    r = services.incidental_review_receive(
        by=user,
        document=document,
        maker_unit=_unit(data.pop("maker_unit_id"), "maker_unit_id"),
        requested_by_unit=_unit(data.pop("requested_by_unit_id"), "requested_by_unit_id"),
        ip=client_ip(request),
        **data,
    )
    return Status(201, _incidental(selectors.incidental_get(user=user, pk=r.pk), user=user))


@router.get(
    f"{P}/incidental-reviews/{{pk}}",
    response=RulemakingIncidentalOut,
    summary="附带审查详情（期限、时间线）",
    auth=VIEW_N,
)
def incidental_get(request, pk: int):
    user = request.auth
    return _incidental(selectors.incidental_get(user=user, pk=pk), user=user)


def _inc_step(request, pk: int, call):
    user = request.auth
    review = selectors.incidental_get(user=user, pk=pk)
    call(user, review, client_ip(request))
    return _incidental(selectors.incidental_get(user=user, pk=pk), user=user)


@router.post(
    f"{P}/incidental-reviews/{{pk}}/route", response=RulemakingIncidentalOut, summary="确定处理方式", auth=REVIEW_N
)
def incidental_route(request, pk: int, payload: RulemakingRouteIn):
    return _inc_step(request, pk, lambda u, r, ip: services.incidental_route(by=u, review=r, ip=ip, **payload.dict()))


@router.post(
    f"{P}/incidental-reviews/{{pk}}/notify",
    response=RulemakingIncidentalOut,
    summary="书面通知制定机关答复（第五十八条）",
    auth=REVIEW_N,
)
def incidental_notify(request, pk: int, payload: RulemakingNotifyIn):
    return _inc_step(request, pk, lambda u, r, ip: services.incidental_notify(by=u, review=r, ip=ip, **payload.dict()))


@router.post(
    f"{P}/incidental-reviews/{{pk}}/answer", response=RulemakingIncidentalOut, summary="制定机关书面答复", auth=EITHER_N
)
def incidental_answer(request, pk: int, payload: RulemakingMakerAnswerIn):
    return _inc_step(request, pk, lambda u, r, ip: services.incidental_answer(by=u, review=r, ip=ip, **payload.dict()))


@router.post(
    f"{P}/incidental-reviews/{{pk}}/conclusion",
    response=RulemakingIncidentalOut,
    summary="作出处理结论（第五十九条）",
    auth=REVIEW_N,
)
def incidental_conclude(request, pk: int, payload: RulemakingConcludeIn):
    return _inc_step(
        request, pk, lambda u, r, ip: services.incidental_conclude(by=u, review=r, ip=ip, **payload.dict())
    )


@router.post(
    f"{P}/incidental-reviews/{{pk}}/forward",
    response=RulemakingIncidentalOut,
    summary="转送有权处理的机关（第五十六条）",
    auth=REVIEW_N,
)
def incidental_forward(request, pk: int, payload: RulemakingForwardIn):
    return _inc_step(request, pk, lambda u, r, ip: services.incidental_forward(by=u, review=r, ip=ip, **payload.dict()))


@router.post(
    f"{P}/incidental-reviews/{{pk}}/reply",
    response=RulemakingIncidentalOut,
    summary="登记接受转送机关的回复（第六十条）",
    auth=REVIEW_N,
)
def incidental_reply(request, pk: int, payload: RulemakingReplyIn):
    return _inc_step(request, pk, lambda u, r, ip: services.incidental_reply(by=u, review=r, ip=ip, **payload.dict()))


# ---------------------------------------------------------------- public


def _public_entry(r) -> dict:
    kind_path = "documents" if r.kind == "normative" else "decisions"
    return {
        "kind": r.kind,
        "id": r.object_id,
        "title": r.title,
        "number": r.number,
        "issuer": r.issuer,
        "published_on": r.published_on,
        "effective_on": r.effective_on,
        "valid_until": r.valid_until,
        "state": r.shown_state,
        "url": f"/portal/rulemaking/{kind_path}/{r.object_id}/",
    }


@router.get(
    f"{P}/public/search",
    response=RulemakingPublicSearchOut,
    summary="公开检索：已公布的规范性文件和重大行政决策（全文）",
    auth=PublicAuth(),
)
def public_search(request, q: str = "", kind: str = "", state: str = "", cursor: str = ""):
    page = selectors.portal_search(q=q, kind=kind, state=state, cursor=cursor)
    return {"items": [_public_entry(r) for r in page.rows], "next_cursor": page.next_cursor}


@router.get(
    f"{P}/public/consultations",
    response=list[RulemakingPublicConsultationRowOut],
    summary="公开征求意见的决策草案",
    auth=PublicAuth(),
)
def public_consultations(request):
    today = timezone.localdate()
    return [
        {
            "id": c.pk,
            "decision": c.decision.title,
            "organ": c.decision.organ.name,
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
            "open": rules.comment_open(starts_on=c.starts_on, ends_on=c.ends_on, today=today),
        }
        for c in selectors.public_consultations(today=today)[:200]
    ]


@router.get(
    f"{P}/public/consultations/{{pk}}",
    response=RulemakingPublicConsultationOut,
    summary="决策草案、公开的意见及采纳情况",
    auth=PublicAuth(),
)
def public_consultation(request, pk: int):
    today = timezone.localdate()
    c = selectors.public_consultation_get(pk, today=today)
    answered = c.answers_published_on is not None
    return {
        "id": c.pk,
        "decision": c.decision.title,
        "organ": c.decision.organ.name,
        "lead_unit": c.decision.lead_unit.name,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "days": c.days,
        "shortened_reason": c.shortened_reason,
        "open": rules.comment_open(starts_on=c.starts_on, ends_on=c.ends_on, today=today),
        "draft_text": c.draft_text,
        "explanation": c.explanation,
        "answers_published_on": c.answers_published_on,
        "adoption_summary": c.adoption_summary if answered else "",
        "comments": [
            {
                "submitted_at": x.submitted_at,
                "content": x.content,
                "answer": x.answer if answered else "",
                "answer_reason": x.answer_reason if answered else "",
            }
            for x in selectors.public_comments(c)
        ],
    }


# ---------------------------------------------------------------- steps with files (multipart)
# The pages' step tables (form + service call per step) are reused as they are, so that a step taken through the
# API is checked exactly as on the page; `attachments` are the step's documents.


def _page_step(request, obj, table: dict, step: str):
    spec = table.get(step)
    if spec is None:
        raise NotFound()
    form = spec.form(request.POST, **spec.kwargs(request, obj))
    if not form.is_valid():
        errors = [
            {"field": "" if name == "__all__" else name, "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        raise DomainError(errors[0]["message"], field=errors[0]["field"], errors=errors)
    if not spec.files and request.FILES:
        raise DomainError("这一步不上传附件", field="attachments")
    request.user = request.auth  # the page's call reads the acting user from the request
    return spec.call(request, obj, form.cleaned_data)


def _step_tables():
    from fazhi.rulemaking import views  # the step tables live with the pages

    return views


STEP_HELP = "multipart：该步骤页面表单的字段，附件字段名 attachments（可多个）；与页面同样的检查"


@router.post(
    f"{P}/catalogues/{{pk}}/steps/{{step}}",
    response=RulemakingCatalogueOut,
    summary=f"决策事项目录的步骤（党委同意、调整）及其文件（{STEP_HELP}）",
    auth=ORGAN_D,
)
def catalogues_step_upload(request, pk: int, step: str):
    user = request.auth
    catalogue = selectors.catalogue_get(user=user, pk=pk)
    _page_step(request, catalogue, _step_tables()._catalogue_table(), step)
    return _catalogue(selectors.catalogue_get(user=user, pk=pk), user=user)


@router.post(
    f"{P}/decisions/{{pk}}/steps/{{step}}",
    response=RulemakingDecisionOut,
    summary=f"重大行政决策的程序步骤及其文件（{STEP_HELP}）",
    auth=PermissionAuth("decision.manage", "decision.review", "decision.organ"),
)
def decisions_step_upload(request, pk: int, step: str):
    user = request.auth
    decision = selectors.decision_get(user=user, pk=pk)
    _page_step(request, decision, _step_tables()._decision_table(), step)
    return _decision(selectors.decision_get(user=user, pk=pk), user=user)


@router.post(
    f"{P}/normative/{{pk}}/steps/{{step}}",
    response=RulemakingNormativeOut,
    summary=f"规范性文件的步骤（报送审核的草案、审核意见、修改稿、审议纪要……）及其文件（{STEP_HELP}）",
    auth=EITHER_N,
)
def normative_step_upload(request, pk: int, step: str):
    user = request.auth
    document = selectors.normative_get(user=user, pk=pk)
    _page_step(request, document, _step_tables()._normative_table(), step)
    return _normative(selectors.normative_get(user=user, pk=pk), user=user)


@router.post(
    f"{P}/incidental-reviews/{{pk}}/steps/{{step}}",
    response=RulemakingIncidentalOut,
    summary=f"附带审查的步骤及其文件（{STEP_HELP}）",
    auth=EITHER_N,
)
def incidental_step_upload(request, pk: int, step: str):
    user = request.auth
    review = selectors.incidental_get(user=user, pk=pk)
    _page_step(request, review, _step_tables()._incidental_table(), step)
    return _incidental(selectors.incidental_get(user=user, pk=pk), user=user)
