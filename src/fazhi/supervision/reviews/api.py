"""API of 行政执法案卷评查 (/api/v1/supervision/reviews/…): parse, call a service or selector, serialise — nothing
else. Every route declares its permission; objects follow the viewer's scope (selectors), actions the predicates."""

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema, Status

from fazhi.core.apitypes import Limit, Offset, Year
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.errors import NotFound
from fazhi.core.tokens import PermissionAuth
from fazhi.supervision.reviews import permissions, rules, selectors, services
from fazhi.tracking.selectors import item_timeline

router = Router(tags=["行政执法案卷评查"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Downloads answer the stored Word file itself (byte for byte, SM3-checked), not JSON.
DOCUMENT_RESPONSE = {
    "responses": {
        200: {
            "description": "Word 文书（.docx）",
            "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}

VIEW = PermissionAuth("review.view")
MANAGE = PermissionAuth("review.manage")
SCORE = PermissionAuth("review.score")
FILE_VIEW = PermissionAuth("review.view", "review.score")


# ---------------------------------------------------------------- schemas


class SectionIn(Schema):
    code: str
    title: str
    points: Decimal
    group: str = ""


class ItemIn(Schema):
    code: str
    title: str
    kind: str = "scored"  # scored / veto
    section: str = ""  # the section's code (scored items)
    points: Decimal | None = None
    deduction: Decimal | None = None
    caps_excellent: bool = False
    rule_code: str = ""
    category: str = ""
    guidance: str = ""


class RubricContentIn(Schema):
    name: str
    basis: str = ""
    total: Decimal = rules.DEFAULT_TOTAL
    excellent_min: Decimal = rules.DEFAULT_EXCELLENT_MIN
    pass_min: Decimal = rules.DEFAULT_PASS_MIN
    sections: list[SectionIn]
    items: list[ItemIn]


class RubricIn(RubricContentIn):
    year: Year
    case_type: str = "penalty"


class RubricItemOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    section: str
    points: Decimal
    deduction: Decimal | None
    caps_excellent: bool
    rule_code: str
    category: str
    guidance: str


class RubricSectionOut(Schema):
    id: int
    group: str
    code: str
    title: str
    points: Decimal


class RubricOut(Schema):
    id: int
    name: str
    year: int
    case_type: str
    version: int
    total: Decimal
    excellent_min: Decimal
    pass_min: Decimal
    basis: str
    previous_id: int | None
    frozen: bool
    sections: list[RubricSectionOut]
    items: list[RubricItemOut]
    actions: list[str]


class RubricBriefOut(Schema):
    id: int
    name: str
    year: int
    case_type: str
    version: int
    total: Decimal
    item_count: int
    campaign_count: int


class CampaignIn(Schema):
    name: str
    year: Year
    rubric_id: int
    agency_ids: list[int]
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    procedures: list[str] = []
    min_per_agency: int | None = None
    percent: Decimal | None = None  # per cent, 0–100
    include_flagged: bool = True
    double_review: bool = False
    disagreement_points: Decimal | None = None


class ReviewEventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    unit: str
    action: str
    label: str
    comment: str
    hash: str


class ReviewDocumentOut(Schema):
    id: int
    title: str
    number: str
    created_at: dt.datetime
    sm3: str


class ReviewerOut(Schema):
    user_id: int
    name: str
    unit: str
    kind: str
    files: int


class CampaignOut(Schema):
    id: int
    name: str
    year: int
    rubric_id: int
    rubric: str
    agency_ids: list[int]
    period_start: dt.date
    period_end: dt.date
    procedures: list[str]
    min_per_agency: int
    percent: float
    include_flagged: bool
    double_review: bool
    disagreement_points: Decimal
    deadline: dt.date
    owner_unit: str
    lead_id: int | None
    status: str
    published_on: dt.date | None
    commitment: str | None
    files: int
    final: int
    actions: list[str]
    reviewers: list[ReviewerOut] = []
    timeline: list[ReviewEventOut] = []
    documents: list[ReviewDocumentOut] = []


class SampleOut(Schema):
    campaign_id: int
    algorithm: str
    commitment: str
    seed_hash: str
    candidates_hash: str
    flagged_hash: str
    params_hash: str
    params: str
    candidate_count: int
    flagged_count: int
    committed_at: dt.datetime
    drawn_at: dt.datetime | None
    seed: str | None
    candidates: str | None
    flagged: str | None
    result: str | None
    result_hash: str | None
    verified: bool | None
    problems: list[str]


class PoolIn(Schema):
    user_id: int


class AssignOut(Schema):
    assigned: int
    unassigned: list[int]


class FileOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    position: int
    reason: str
    case_id: int
    case_number: str
    case_title: str
    agency_id: int
    agency: str
    status: str
    reviewer_id: int | None
    second_reviewer_id: int | None
    score: Decimal | None
    grade: str
    grade_label: str
    veto: bool
    final_on: dt.date | None
    actions: list[str]


class FileListOut(Schema):
    items: list[FileOut]
    total: int


class LineOut(Schema):
    id: int
    rubric_item_id: int
    item_code: str
    item_title: str
    kind: str
    defects: int
    points: Decimal
    source: str
    decision: str
    rule_code: str
    citation: str
    finding: str
    note: str
    reason: str


class SheetOut(Schema):
    id: int
    file_id: int
    reviewer_id: int
    role: str
    status: str
    score: Decimal | None
    grade: str
    veto: bool
    capped: bool
    comment: str
    preview_score: Decimal
    preview_grade: str
    lines: list[LineOut]


class FileDetailOut(FileOut):
    resolution: str
    sheets: list[SheetOut]
    timeline: list[ReviewEventOut]
    documents: list[ReviewDocumentOut]


class ReviewAssignIn(Schema):
    reviewer_id: int
    second_reviewer_id: int | None = None


class LineIn(Schema):
    rubric_item_id: int
    defects: int = 1
    note: str


class DecisionIn(Schema):
    decision: str  # confirm / override
    reason: str = ""
    note: str = ""


class SubmitIn(Schema):
    comment: str = ""


class ResolveIn(Schema):
    choose: str  # first / second
    reason: str


class DefectOut(Schema):
    code: str
    title: str
    files: int


class SummaryRowOut(Schema):
    rank: int | None
    agency_id: int
    agency: str
    files: int
    final: int
    mean: Decimal | None
    excellent: int
    passed: int
    failed: int
    defects: list[DefectOut]


class SummaryOut(Schema):
    campaign_id: int
    files: int
    final: int
    mean: Decimal | None
    excellent: int
    passed: int
    failed: int
    agencies: list[SummaryRowOut]
    defects: list[DefectOut]


class OpinionsIn(Schema):
    prefix: str = ""


class OpinionOut(Schema):
    id: int
    campaign_id: int
    agency_id: int
    agency: str
    number: str
    issued_on: dt.date
    status: str
    deadline: dt.date | None
    defects: list[dict]
    actions: list[str]
    timeline: list[ReviewEventOut] = []
    documents: list[ReviewDocumentOut] = []


class ReviewReportIn(Schema):
    text: str


class CommentIn(Schema):
    comment: str = ""


class ReviewReasonIn(Schema):
    reason: str


class UnitScoreOut(Schema):
    unit_id: int
    unit: str
    files: int
    mean: Decimal | None
    excellent: int
    passed: int
    failed: int


# ---------------------------------------------------------------- serialisers


def _events(item) -> list[dict]:
    if item is None:
        return []
    return [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor_name,
            "unit": e.actor_unit,
            "action": e.action,
            "label": e.action_label,
            "comment": e.comment,
            "hash": e.hash,
        }
        for e in item_timeline(item=item)
    ]


def _documents(kind: str, pk: int) -> list[dict]:
    return [
        {"id": d.pk, "title": d.title, "number": d.number, "created_at": d.created_at, "sm3": d.attachment.sm3}
        for d in selectors.documents_of(kind=kind, pk=pk)
    ]


def _rubric(r, *, user) -> dict:
    sections = list(r.sections.all())
    codes = {s.pk: s.code for s in sections}
    r.frozen = getattr(r, "frozen", r.campaigns.exists())
    return {
        "id": r.pk,
        "name": r.name,
        "year": r.year,
        "case_type": r.case_type,
        "version": r.version,
        "total": r.total,
        "excellent_min": r.excellent_min,
        "pass_min": r.pass_min,
        "basis": r.basis,
        "previous_id": r.previous_id,
        "frozen": r.frozen,
        "sections": [
            {"id": s.pk, "group": s.group, "code": s.code, "title": s.title, "points": s.points} for s in sections
        ],
        "items": [
            {
                "id": i.pk,
                "code": i.code,
                "title": i.title,
                "kind": i.kind,
                "section": codes.get(i.section_id, ""),
                "points": i.points,
                "deduction": i.deduction,
                "caps_excellent": i.caps_excellent,
                "rule_code": i.rule_code,
                "category": i.category,
                "guidance": i.guidance,
            }
            for i in r.items.all()
        ],
        "actions": sorted(permissions.rubric_actions(user=user, obj=r)),
    }


def _spec(payload: RubricContentIn):
    data = payload.dict()
    return services.rubric_spec_from(data)


def _campaign(c, *, user, detail: bool = False) -> dict:
    actions = permissions.campaign_actions(user=user, obj=c)
    sample = selectors.campaign_sample(campaign=c)
    out = {
        "id": c.pk,
        "name": c.name,
        "year": c.year,
        "rubric_id": c.rubric_id,
        "rubric": str(c.rubric),
        "agency_ids": sorted(c.agencies.values_list("pk", flat=True)),
        "period_start": c.period_start,
        "period_end": c.period_end,
        "procedures": c.procedures or [],
        "min_per_agency": c.min_per_agency,
        "percent": c.percent_bp / 100,
        "include_flagged": c.include_flagged,
        "double_review": c.double_review,
        "disagreement_points": c.disagreement_points,
        "deadline": c.deadline,
        "owner_unit": c.owner_unit.name,
        "lead_id": c.lead_id,
        "status": c.status,
        "published_on": c.published_on,
        "commitment": sample.commitment if sample else None,
        "files": c.files.count(),
        "final": c.files.filter(status="final").count(),
        "actions": sorted(actions),
    }
    if detail:
        loads = selectors.pool_loads(campaign=c)
        out["reviewers"] = [
            {
                "user_id": m.user_id,
                "name": m.user.display_name,
                "unit": str(m.user.unit or ""),
                "kind": m.kind,
                "files": loads.get(m.user_id, 0),
            }
            for m in selectors.campaign_pool(campaign=c)
        ]
        if "files" in actions:
            out["timeline"] = _events(c.item)
        if "documents" in actions:
            out["documents"] = _documents("review_campaign", c.pk)
    return out


def _file(x, *, user) -> dict:
    return {
        "id": x.pk,
        "campaign_id": x.campaign_id,
        "campaign": x.campaign.name,
        "position": x.position,
        "reason": x.reason,
        "case_id": x.case_id,
        "case_number": x.case.number,
        "case_title": x.case.title,
        "agency_id": x.agency_id,
        "agency": x.agency.unit.name,
        "status": x.status,
        "reviewer_id": x.reviewer_id,
        "second_reviewer_id": x.second_reviewer_id,
        "score": x.score,
        "grade": x.grade,
        "grade_label": rules.GRADE_LABELS.get(x.grade, ""),
        "veto": x.veto,
        "final_on": x.final_on,
        "actions": sorted(permissions.file_actions(user=user, obj=x)),
    }


def _line(line) -> dict:
    return {
        "id": line.pk,
        "rubric_item_id": line.rubric_item_id,
        "item_code": line.rubric_item.code,
        "item_title": line.rubric_item.title,
        "kind": line.kind,
        "defects": line.defects,
        "points": line.points,
        "source": line.source,
        "decision": line.decision,
        "rule_code": line.rule_code,
        "citation": line.citation,
        "finding": line.finding,
        "note": line.note,
        "reason": line.reason,
    }


def _sheet(s) -> dict:
    preview = services.sheet_preview(sheet=s)
    return {
        "id": s.pk,
        "file_id": s.file_id,
        "reviewer_id": s.reviewer_id,
        "role": s.role,
        "status": s.status,
        "score": s.score,
        "grade": s.grade,
        "veto": s.veto,
        "capped": s.capped,
        "comment": s.comment,
        "preview_score": preview.score,
        "preview_grade": preview.grade,
        "lines": [_line(line) for line in selectors.sheet_lines(sheet=s)],
    }


def _file_detail(x, *, user) -> dict:
    actions = permissions.file_actions(user=user, obj=x)
    return {
        **_file(x, user=user),
        "resolution": x.resolution,
        "sheets": [_sheet(s) for s in selectors.file_sheets(user=user, file=x)],
        "timeline": _events(x.item),
        "documents": _documents("review_file", x.pk) if "document" in actions else [],
    }


def _opinion(o, *, user, detail: bool = False) -> dict:
    out = {
        "id": o.pk,
        "campaign_id": o.campaign_id,
        "agency_id": o.agency_id,
        "agency": o.agency.unit.name,
        "number": o.number,
        "issued_on": o.issued_on,
        "status": o.status,
        "deadline": o.item.deadline if o.item_id else None,
        "defects": o.defects or [],
        "actions": sorted(permissions.opinion_actions(user=user, obj=o)),
    }
    if detail:
        out["timeline"] = _events(o.item)
        out["documents"] = _documents("review_opinion", o.pk)
    return out


def _summary_row(r: dict) -> dict:
    return {**r, "passed": r["pass"], "failed": r["fail"]}


# ---------------------------------------------------------------- rubrics


@router.get("/reviews/rubrics", response=list[RubricBriefOut], summary="评查标准", auth=VIEW)
def rubrics_list(request, q: str = "", year: Year | None = None, case_type: str = ""):
    return [
        {
            "id": r.pk,
            "name": r.name,
            "year": r.year,
            "case_type": r.case_type,
            "version": r.version,
            "total": r.total,
            "item_count": r.item_count,
            "campaign_count": r.campaign_count,
        }
        for r in selectors.rubric_list(user=request.auth, q=q, year=year, case_type=case_type)
    ]


@router.post(
    "/reviews/rubrics",
    response={201: RubricOut},
    summary="新建评查标准（分部分值合计等于总分，每处扣分不超过该项分值，否决项不计分值）",
    auth=MANAGE,
)
def rubrics_create(request, payload: RubricIn):
    rubric = services.rubric_create(
        by=request.auth,
        name=payload.name,
        year=payload.year,
        case_type=payload.case_type,
        basis=payload.basis,
        spec=_spec(payload),
        ip=client_ip(request),
    )
    return Status(201, _rubric(selectors.rubric_get(user=request.auth, pk=rubric.pk), user=request.auth))


@router.get("/reviews/rubrics/{pk}", response=RubricOut, summary="评查标准详情", auth=VIEW)
def rubrics_get(request, pk: int):
    return _rubric(selectors.rubric_get(user=request.auth, pk=pk), user=request.auth)


@router.put("/reviews/rubrics/{pk}", response=RubricOut, summary="修改尚未被评查活动使用的评查标准", auth=MANAGE)
def rubrics_replace(request, pk: int, payload: RubricContentIn):
    rubric = selectors.rubric_get(user=request.auth, pk=pk)
    services.rubric_replace(
        by=request.auth,
        rubric=rubric,
        name=payload.name,
        basis=payload.basis,
        spec=_spec(payload),
        ip=client_ip(request),
    )
    return _rubric(selectors.rubric_get(user=request.auth, pk=pk), user=request.auth)


@router.post(
    "/reviews/rubrics/{pk}/versions", response={201: RubricOut}, summary="以此标准为底稿建立新版本", auth=MANAGE
)
def rubrics_new_version(request, pk: int):
    rubric = selectors.rubric_get(user=request.auth, pk=pk)
    new = services.rubric_new_version(by=request.auth, rubric=rubric, ip=client_ip(request))
    return Status(201, _rubric(selectors.rubric_get(user=request.auth, pk=new.pk), user=request.auth))


# ---------------------------------------------------------------- campaigns


@router.get("/reviews/campaigns", response=list[CampaignOut], summary="案卷评查活动", auth=VIEW)
def campaigns_list(request, q: str = "", year: Year | None = None, status: str = ""):
    user = request.auth
    return [_campaign(c, user=user) for c in selectors.campaign_list(user=user, q=q, year=year, status=status)]


@router.post("/reviews/campaigns", response={201: CampaignOut}, summary="新建评查活动", auth=MANAGE)
def campaigns_create(request, payload: CampaignIn):
    user = request.auth
    data = payload.dict()
    rubric = selectors.rubric_ref(pk=data.pop("rubric_id"), field="rubric_id")
    agencies = selectors.agencies_ref(pks=data.pop("agency_ids"), field="agency_ids")
    campaign = services.campaign_create(by=user, rubric=rubric, agencies=agencies, ip=client_ip(request), **data)
    return Status(201, _campaign(selectors.campaign_get(user=user, pk=campaign.pk), user=user, detail=True))


@router.get("/reviews/campaigns/{pk}", response=CampaignOut, summary="评查活动详情（时间线、文书）", auth=VIEW)
def campaigns_get(request, pk: int):
    return _campaign(selectors.campaign_get(user=request.auth, pk=pk), user=request.auth, detail=True)


@router.post("/reviews/campaigns/{pk}/reviewers", response={201: CampaignOut}, summary="加入评查人员", auth=MANAGE)
def campaigns_pool_add(request, pk: int, payload: PoolIn):
    user = request.auth
    campaign = selectors.campaign_get(user=user, pk=pk)
    reviewer = selectors.reviewer_ref(pk=payload.user_id, field="user_id")
    services.pool_add(by=user, campaign=campaign, user=reviewer, ip=client_ip(request))
    return Status(201, _campaign(selectors.campaign_get(user=user, pk=pk), user=user, detail=True))


@router.delete("/reviews/campaigns/{pk}/reviewers/{user_id}", response=CampaignOut, summary="移出评查人员", auth=MANAGE)
def campaigns_pool_remove(request, pk: int, user_id: int):
    user = request.auth
    campaign = selectors.campaign_get(user=user, pk=pk)
    reviewer = selectors.reviewer_ref(pk=user_id, field="user_id")
    services.pool_remove(by=user, campaign=campaign, user=reviewer, ip=client_ip(request))
    return _campaign(selectors.campaign_get(user=user, pk=pk), user=user, detail=True)


def _sample(campaign) -> dict:
    data = selectors.sample_published(campaign=campaign)
    if data is None:
        raise NotFound()
    verified, problems = selectors.sample_verify(campaign=campaign)
    return {"campaign_id": campaign.pk, **data, "verified": verified, "problems": problems}


@router.post(
    "/reviews/campaigns/{pk}/commit",
    response={201: SampleOut},
    summary="抽样承诺：冻结候选案卷名录，公布种子哈希和名录哈希",
    auth=MANAGE,
)
def campaigns_commit(request, pk: int):
    user = request.auth
    campaign = selectors.campaign_get(user=user, pk=pk)
    services.sample_commit(by=user, campaign=campaign, ip=client_ip(request))
    return Status(201, _sample(campaign))


@router.post(
    "/reviews/campaigns/{pk}/draw", response=SampleOut, summary="抽取案卷并公开随机种子（任何人可复算）", auth=MANAGE
)
def campaigns_draw(request, pk: int):
    user = request.auth
    campaign = selectors.campaign_get(user=user, pk=pk)
    services.sample_draw(by=user, campaign=campaign, ip=client_ip(request))
    return _sample(campaign)


@router.get(
    "/reviews/campaigns/{pk}/sample",
    response=SampleOut,
    summary="抽样核验数据（抽取后含随机种子、名录和结果）与复算结果",
    auth=VIEW,
)
def campaigns_sample(request, pk: int):
    return _sample(selectors.campaign_get(user=request.auth, pk=pk))


@router.post(
    "/reviews/campaigns/{pk}/assign",
    response=AssignOut,
    summary="自动分配案卷（均衡、确定性，回避本单位）",
    auth=MANAGE,
)
def campaigns_assign(request, pk: int):
    user = request.auth
    campaign = selectors.campaign_get(user=user, pk=pk)
    return services.files_auto_assign(by=user, campaign=campaign, ip=client_ip(request))


@router.post("/reviews/campaigns/{pk}/publish", response=CampaignOut, summary="公布评查结果", auth=MANAGE)
def campaigns_publish(request, pk: int):
    user = request.auth
    services.campaign_publish(by=user, campaign=selectors.campaign_get(user=user, pk=pk), ip=client_ip(request))
    return _campaign(selectors.campaign_get(user=user, pk=pk), user=user, detail=True)


@router.get(
    "/reviews/campaigns/{pk}/summary",
    response=SummaryOut,
    summary="各单位评查情况：平均分、等次分布、主要问题、排名",
    auth=VIEW,
)
def campaigns_summary(request, pk: int):
    user = request.auth
    campaign = selectors.campaign_get(user=user, pk=pk)
    if "summary" not in permissions.campaign_actions(user=user, obj=campaign):
        raise NotFound()
    totals = selectors.campaign_totals(campaign=campaign)
    return {
        "campaign_id": campaign.pk,
        "files": totals["files"],
        "final": totals["final"],
        "mean": totals["mean"],
        "excellent": totals["excellent"],
        "passed": totals["pass"],
        "failed": totals["fail"],
        "agencies": [_summary_row(r) for r in selectors.campaign_summary(campaign=campaign)],
        "defects": selectors.campaign_defects(campaign=campaign)[:10],
    }


@router.post(
    "/reviews/campaigns/{pk}/report",
    response={201: ReviewDocumentOut},
    summary="生成评查情况报告（含图表和排名）",
    auth=MANAGE,
)
def campaigns_report(request, pk: int):
    user = request.auth
    d = services.campaign_report(by=user, campaign=selectors.campaign_get(user=user, pk=pk), ip=client_ip(request))
    return Status(
        201, {"id": d.pk, "title": d.title, "number": d.number, "created_at": d.created_at, "sm3": d.attachment.sm3}
    )


@router.post(
    "/reviews/campaigns/{pk}/opinions",
    response={201: list[OpinionOut]},
    summary="印发评查意见（取发文字号，开启整改督办）",
    auth=MANAGE,
)
def campaigns_opinions(request, pk: int, payload: OpinionsIn):
    user = request.auth
    campaign = selectors.campaign_get(user=user, pk=pk)
    issued = services.opinions_issue(by=user, campaign=campaign, prefix=payload.prefix, ip=client_ip(request))
    return Status(201, [_opinion(selectors.opinion_get(user=user, pk=o.pk), user=user) for o in issued])


@router.get(
    "/reviews/campaigns/{pk}/documents/{document_id}",
    summary="下载评查活动的文书",
    auth=VIEW,
    openapi_extra=DOCUMENT_RESPONSE,
)
def campaigns_document(request, pk: int, document_id: int):
    user = request.auth
    campaign = selectors.campaign_get(user=user, pk=pk)
    if "documents" not in permissions.campaign_actions(user=user, obj=campaign):
        raise NotFound()
    return attachment_response(selectors.document_of(kind="review_campaign", pk=pk, document_id=document_id).attachment)


# ---------------------------------------------------------------- files and score sheets


@router.get("/reviews/files", response=FileListOut, summary="评查案卷（本人可见的）", auth=FILE_VIEW)
def files_list(
    request,
    campaign_id: int | None = None,
    agency_id: int | None = None,
    status: str = "",
    grade: str = "",
    q: str = "",
    mine: bool = False,
    offset: Offset = 0,
    limit: Limit = 50,
):
    user = request.auth
    qs = selectors.file_list(
        user=user,
        filters=selectors.FileFilters(
            campaign=campaign_id, agency=agency_id, status=status, grade=grade, q=q, mine=mine
        ),
    ).prefetch_related("sheets")
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    return {"items": [_file(x, user=user) for x in qs[offset : offset + limit]], "total": qs.count()}


@router.get(
    "/reviews/files/{pk}", response=FileDetailOut, summary="评查案卷详情（评分表、时间线、文书）", auth=FILE_VIEW
)
def files_get(request, pk: int):
    return _file_detail(selectors.file_get(user=request.auth, pk=pk), user=request.auth)


@router.post(
    "/reviews/files/{pk}/assign",
    response=FileDetailOut,
    summary="指定评查人员（评查人员不得评查本单位案卷）",
    auth=MANAGE,
)
def files_assign(request, pk: int, payload: ReviewAssignIn):
    user = request.auth
    file = selectors.file_get(user=user, pk=pk)
    reviewer = selectors.reviewer_ref(pk=payload.reviewer_id, field="reviewer")
    second = (
        selectors.reviewer_ref(pk=payload.second_reviewer_id, field="second_reviewer")
        if payload.second_reviewer_id
        else None
    )
    services.file_assign(by=user, file=file, reviewer=reviewer, second_reviewer=second, ip=client_ip(request))
    return _file_detail(selectors.file_get(user=user, pk=pk), user=user)


def _my_sheet(request, pk: int):
    user = request.auth
    file = selectors.file_get(user=user, pk=pk)
    sheet = selectors.sheet_of(file=file, user=user)
    if sheet is None:
        raise NotFound()
    return file, sheet


@router.get("/reviews/files/{pk}/sheet", response=SheetOut, summary="本人的评分表", auth=SCORE)
def files_sheet(request, pk: int):
    return _sheet(_my_sheet(request, pk)[1])


@router.post(
    "/reviews/files/{pk}/sheet",
    response={201: SheetOut},
    summary="开始评查：打开评分表，按法定校验结果预填扣分",
    auth=SCORE,
)
def files_sheet_open(request, pk: int):
    user = request.auth
    file = selectors.file_get(user=user, pk=pk)
    return Status(201, _sheet(services.sheet_open(by=user, file=file)))


@router.post(
    "/reviews/files/{pk}/sheet/lines",
    response={201: SheetOut},
    summary="记录扣分或否决项（扣分不得超过该项分值）",
    auth=SCORE,
)
def files_sheet_line_add(request, pk: int, payload: LineIn):
    user = request.auth
    file, sheet = _my_sheet(request, pk)
    item = selectors.rubric_item_ref(rubric=file.campaign.rubric, pk=payload.rubric_item_id, field="rubric_item_id")
    services.sheet_line_add(by=user, sheet=sheet, rubric_item=item, defects=payload.defects, note=payload.note)
    return Status(201, _sheet(sheet))


@router.post(
    "/reviews/files/{pk}/sheet/lines/{line_id}/decision",
    response=SheetOut,
    summary="确认或推翻预填扣分（推翻须说明理由）",
    auth=SCORE,
)
def files_sheet_line_decide(request, pk: int, line_id: int, payload: DecisionIn):
    user = request.auth
    _, sheet = _my_sheet(request, pk)
    line = selectors.line_get(sheet=sheet, pk=line_id)
    services.sheet_line_decide(by=user, line=line, decision=payload.decision, reason=payload.reason, note=payload.note)
    return _sheet(sheet)


@router.delete("/reviews/files/{pk}/sheet/lines/{line_id}", response=SheetOut, summary="删除本人记录的扣分", auth=SCORE)
def files_sheet_line_remove(request, pk: int, line_id: int):
    user = request.auth
    _, sheet = _my_sheet(request, pk)
    services.sheet_line_remove(by=user, line=selectors.line_get(sheet=sheet, pk=line_id))
    return _sheet(sheet)


@router.post("/reviews/files/{pk}/sheet/submit", response=FileDetailOut, summary="提交评分", auth=SCORE)
def files_sheet_submit(request, pk: int, payload: SubmitIn):
    user = request.auth
    _, sheet = _my_sheet(request, pk)
    services.sheet_submit(by=user, sheet=sheet, comment=payload.comment, ip=client_ip(request))
    return _file_detail(selectors.file_get(user=user, pk=pk), user=user)


@router.post("/reviews/files/{pk}/resolve", response=FileDetailOut, summary="裁定两名评查人员的评分分歧", auth=MANAGE)
def files_resolve(request, pk: int, payload: ResolveIn):
    user = request.auth
    file = selectors.file_get(user=user, pk=pk)
    services.file_resolve(by=user, file=file, choose=payload.choose, reason=payload.reason, ip=client_ip(request))
    return _file_detail(selectors.file_get(user=user, pk=pk), user=user)


@router.get(
    "/reviews/files/{pk}/documents/{document_id}",
    summary="下载案卷评查评分表",
    auth=FILE_VIEW,
    openapi_extra=DOCUMENT_RESPONSE,
)
def files_document(request, pk: int, document_id: int):
    user = request.auth
    file = selectors.file_get(user=user, pk=pk)
    if "document" not in permissions.file_actions(user=user, obj=file):
        raise NotFound()
    return attachment_response(selectors.document_of(kind="review_file", pk=pk, document_id=document_id).attachment)


# ---------------------------------------------------------------- 评查意见 and rectification


@router.get("/reviews/opinions", response=list[OpinionOut], summary="案卷评查意见与整改", auth=VIEW)
def opinions_list(request, q: str = "", status: str = "", campaign_id: int | None = None):
    user = request.auth
    return [_opinion(o, user=user) for o in selectors.opinion_list(user=user, q=q, status=status, campaign=campaign_id)]


@router.get("/reviews/opinions/{pk}", response=OpinionOut, summary="评查意见详情（整改时间线、文书）", auth=VIEW)
def opinions_get(request, pk: int):
    return _opinion(selectors.opinion_get(user=request.auth, pk=pk), user=request.auth, detail=True)


@router.post(
    "/reviews/opinions/{pk}/report", response=OpinionOut, summary="报送整改情况", auth=PermissionAuth("review.rectify")
)
def opinions_report(request, pk: int, payload: ReviewReportIn):
    user = request.auth
    opinion = selectors.opinion_get(user=user, pk=pk)
    services.opinion_report(by=user, opinion=opinion, text=payload.text, ip=client_ip(request))
    return _opinion(selectors.opinion_get(user=user, pk=pk), user=user, detail=True)


@router.post("/reviews/opinions/{pk}/signoff", response=OpinionOut, summary="整改销号", auth=MANAGE)
def opinions_signoff(request, pk: int, payload: CommentIn):
    user = request.auth
    opinion = selectors.opinion_get(user=user, pk=pk)
    services.opinion_signoff(by=user, opinion=opinion, comment=payload.comment, ip=client_ip(request))
    return _opinion(selectors.opinion_get(user=user, pk=pk), user=user, detail=True)


@router.post("/reviews/opinions/{pk}/return", response=OpinionOut, summary="退回整改", auth=MANAGE)
def opinions_return(request, pk: int, payload: ReviewReasonIn):
    user = request.auth
    opinion = selectors.opinion_get(user=user, pk=pk)
    services.opinion_return(by=user, opinion=opinion, reason=payload.reason, ip=client_ip(request))
    return _opinion(selectors.opinion_get(user=user, pk=pk), user=user, detail=True)


@router.get(
    "/reviews/opinions/{pk}/documents/{document_id}",
    summary="下载评查意见书",
    auth=VIEW,
    openapi_extra=DOCUMENT_RESPONSE,
)
def opinions_document(request, pk: int, document_id: int):
    opinion = selectors.opinion_get(user=request.auth, pk=pk)
    return attachment_response(
        selectors.document_of(kind="review_opinion", pk=opinion.pk, document_id=document_id).attachment
    )


# ---------------------------------------------------------------- figures for the assessment


@router.get(
    "/reviews/scores-by-unit",
    response=list[UnitScoreOut],
    summary="各单位案卷评查得分（按评查结果公布日期；供考核）",
    auth=VIEW,
)
def scores_by_unit(request, date_from: dt.date, date_to: dt.date):
    user = request.auth
    rows = selectors.review_scores_by_unit(date_from=date_from, date_to=date_to)
    visible = selectors.units_visible(user=user, unit_ids=[r["unit_id"] for r in rows])
    return [{**r, "passed": r["pass"], "failed": r["fail"]} for r in rows if r["unit_id"] in visible]
