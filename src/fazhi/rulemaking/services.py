"""Every write of 依法决策, one transaction each, its timeline event in the same transaction.

A service checks who may act (the role part of the predicates in permissions.py: Forbidden) and then the state and
the rules (DomainError with a Chinese message naming the field; nothing written). `by=None` is the system (demo,
signals, the nightly job). Dates default to `timezone.localdate()` through `today=`."""

import datetime as dt
import hashlib
import json
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.models import Role, Unit, User
from fazhi.core.normalize import clean_text
from fazhi.core.search import index_tokens
from fazhi.core.throttle import throttle_hit, throttle_wait_minutes
from fazhi.documents.gongwen import Gongwen, gongwen_docx
from fazhi.documents.services import document_store, number_take
from fazhi.rulemaking import permissions as perms
from fazhi.rulemaking import rules, selectors
from fazhi.rulemaking.models import (
    CatalogueAdjustment,
    CleanupCampaign,
    CleanupEntry,
    Consultation,
    DecisionCatalogue,
    Discussion,
    ExecutionReport,
    Expert,
    Hearing,
    IncidentalReview,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    NormativeFiling,
    NormativeItem,
    PortalEntry,
    PostEvaluation,
    PublicComment,
    RiskAssessment,
)
from fazhi.rulemaking.tracking_kinds import INCIDENTAL_REVIEW, MAJOR_DECISION, NORMATIVE_FILING, NORMATIVE_REVIEW
from fazhi.tracking.models import Clock, TrackedItem
from fazhi.tracking.services import clock_event, clock_open, item_annotate, item_close, item_open, item_record

# ---------------------------------------------------------------- helpers


def _day(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _text(value, field: str, label: str, *, max_len: int | None = None, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if required and not clean_text(value):
        raise DomainError(f"{label}不能为空", field=field)
    if max_len and len(value) > max_len:
        raise DomainError(f"{label}不能超过 {max_len} 字", field=field)
    return value


def _date(value, field: str, label: str, *, not_after: dt.date | None = None, not_before=None) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(f"{label}不能为空", field=field)
    if not_after is not None and value > not_after:
        raise DomainError(f"{label}不能晚于 {not_after:%Y-%m-%d}", field=field)
    if not_before is not None and value < not_before:
        raise DomainError(f"{label}不能早于 {not_before:%Y-%m-%d}", field=field)
    return value


def _problems(problems: list[tuple[str, str]]) -> None:
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field, errors=[{"field": f, "message": m} for f, m in problems])


def _choice(value, choices, field: str, label: str) -> str:
    if value not in dict(choices):
        raise DomainError(f"{label}“{value}”无效", field=field)
    return value


def _need(roles: set[str], role: str, by) -> None:
    if by is not None and role not in roles:
        raise Forbidden()


def _log(by, action: str, obj, summary: str = "", ip=None) -> None:
    if by is not None:
        log_operation(user=by, action=action, obj=obj, summary=summary, ip=ip)


def _unit_users(unit: Unit, permission: str) -> list[User]:
    role_ids = [r.pk for r in Role.objects.filter(is_active=True) if permission in (r.permissions or [])]
    return list(User.objects.filter(unit=unit, is_active=True, roles__in=role_ids).distinct())


def _open_clock(item: TrackedItem, name: str) -> Clock | None:
    return Clock.objects.filter(item=item, name=name, is_open=True).first()


def _stop(item: TrackedItem, name: str, *, on: dt.date, by, basis: str, reason: str = "") -> None:
    clock = _open_clock(item, name)
    if clock is not None:
        clock_event(clock=clock, kind="stop", on=max(on, clock.start), by=by, basis=basis, reason=reason)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


# ---------------------------------------------------------------- catalogues and proposals


def _decision_url(decision: MajorDecision) -> str:
    return reverse("rulemaking:decision_detail", args=[decision.pk])


def _proposal_check(*, by, pk) -> None:
    """A linked 人大建议 / 政协提案 must exist and be one the proposer may see (requests app)."""
    from fazhi.core.errors import NotFound
    from fazhi.requests.selectors import proposal_ref

    try:
        if by is not None:
            proposal_ref(user=by, pk=pk)
        elif not isinstance(pk, int) or pk < 1:
            raise NotFound()
    except (NotFound, TypeError, ValueError):
        raise DomainError(f"建议、提案“{pk}”不存在或无权查看", field="proposal_id") from None


@transaction.atomic
def decision_propose(
    *,
    by,
    title: str,
    organ: Unit,
    lead_unit: Unit,
    year: int,
    source: str,
    summary: str = "",
    category: str = "policy",
    source_detail: str = "",
    proposal_number: str = "",
    proposal_title: str = "",
    proposal_id: int | None = None,
    ip=None,
    today: dt.date | None = None,
) -> MajorDecision:
    """决策事项建议 (第十条): from the organ's leaders, its departments, a lower government, a 人大代表建议 or 政协提案,
    or the public. A department proposes for itself; the organ's office records the others."""
    today = _day(today)
    if not isinstance(organ, Unit) or organ.kind != "government":
        raise DomainError("决策机关应为县级以上地方人民政府", field="organ")
    if not isinstance(lead_unit, Unit) or not lead_unit.is_active:
        raise DomainError("请选择承办单位", field="lead_unit")
    if by is not None and not (
        perms.keeps(by, "decision.manage", lead_unit) or perms.keeps(by, "decision.organ", organ)
    ):
        raise Forbidden()
    title = _text(title, "title", "决策事项名称", max_len=200)
    if not isinstance(year, int) or not today.year <= year <= today.year + 1:
        raise DomainError(f"年度应为 {today.year} 或 {today.year + 1} 年", field="year")
    _choice(source, MajorDecision.SOURCES, "source", "建议来源")
    _choice(category, MajorDecision.CATEGORIES, "category", "事项类别")
    proposal_number = _text(proposal_number, "proposal_number", "建议、提案编号", max_len=60, required=False)
    proposal_title = _text(proposal_title, "proposal_title", "建议、提案标题", max_len=200, required=False)
    if source in rules.PROPOSAL_SOURCES and not (proposal_number or proposal_title):
        kind = "人大代表建议" if source == "deputy" else "政协提案"
        raise DomainError(f"来源为{kind}的，须填写其编号或标题——{rules.SOURCE_CITATION}", field="proposal_number")
    if source not in rules.PROPOSAL_SOURCES:
        proposal_number, proposal_title, proposal_id = "", "", None
    elif proposal_id is not None:
        _proposal_check(by=by, pk=proposal_id)
    decision = MajorDecision.objects.create(
        year=year,
        title=title,
        summary=(summary or "").strip(),
        category=category,
        organ=organ,
        lead_unit=lead_unit,
        source=source,
        source_detail=_text(source_detail, "source_detail", "建议人或建议单位", max_len=200, required=False),
        proposal_number=proposal_number,
        proposal_title=proposal_title,
        proposal_id=proposal_id,
        created_by=by,
    )
    _log(by, "提出重大行政决策事项建议", decision, title, ip)
    return decision


@transaction.atomic
def catalogue_create(*, by, organ: Unit, year: int, title: str = "", ip=None, today=None) -> DecisionCatalogue:
    today = _day(today)
    if not isinstance(organ, Unit) or organ.kind != "government":
        raise DomainError("决策机关应为县级以上地方人民政府", field="organ")
    if by is not None and not perms.keeps(by, "decision.organ", organ):
        raise Forbidden()
    if not isinstance(year, int) or not today.year <= year <= today.year + 1:
        raise DomainError(f"年度应为 {today.year} 或 {today.year + 1} 年", field="year")
    if DecisionCatalogue.objects.filter(organ=organ, year=year).exists():
        raise DomainError(f"{organ.name}{year}年度的决策事项目录已经建立", field="year")
    title = (
        _text(title, "title", "目录名称", max_len=200, required=False) or f"{organ.name}{year}年度重大行政决策事项目录"
    )
    catalogue = DecisionCatalogue.objects.create(organ=organ, year=year, title=title, created_by=by)
    _log(by, "编制重大行政决策事项目录", catalogue, title, ip)
    return catalogue


def _catalogue_locked(catalogue: DecisionCatalogue, by) -> DecisionCatalogue:
    catalogue = DecisionCatalogue.objects.select_for_update().select_related("organ").get(pk=catalogue.pk)
    if by is not None and not perms.keeps(by, "decision.organ", catalogue.organ):
        raise Forbidden()
    return catalogue


def _decision_open_item(decision: MajorDecision, *, by, today: dt.date, comment: str) -> None:
    """The decision is tracked from its listing: a plan clock to the end of the catalogue year (第三条第三款)."""
    year_end = dt.date(decision.year, 12, 31)
    item = item_open(
        kind=MAJOR_DECISION.code,
        title=decision.title,
        unit=decision.lead_unit,
        by=by,
        start=today,
        deadline=year_end,
        deadline_source=rules.PLAN_SOURCE,
        url=_decision_url(decision),
        comment=comment,
    )
    clock_open(
        item=item,
        name="plan",
        label="年度目录计划",
        unit="calendar",
        length=max((year_end - today).days, 1),
        basis=rules.PLAN_SOURCE,
        start=today,
        by=by,
    )
    decision.item = item


def _include(catalogue: DecisionCatalogue, decision: MajorDecision, *, by, today: dt.date, comment: str) -> None:
    decision = MajorDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.catalogue_id is not None or decision.stage != "proposed":
        raise DomainError(f"“{decision.title}”已列入目录", field="decision")
    if decision.organ_id != catalogue.organ_id or decision.year != catalogue.year:
        raise DomainError("只能列入同一决策机关、同一年度的事项", field="decision")
    decision.catalogue = catalogue
    decision.stage = "listed"
    _decision_open_item(decision, by=by, today=today, comment=comment)
    decision.save(update_fields=["catalogue", "stage", "item"])


@transaction.atomic
def catalogue_include(*, by, catalogue: DecisionCatalogue, decision: MajorDecision, ip=None, today=None) -> None:
    catalogue = _catalogue_locked(catalogue, by)
    if catalogue.status != "draft":
        raise DomainError("目录已报经党委同意，新增事项须在公布后以目录调整方式办理", field="catalogue")
    _include(catalogue, decision, by=by, today=_day(today), comment=f"列入《{catalogue.title}》（编制中）")
    _log(by, "决策事项列入目录", catalogue, decision.title, ip)


@transaction.atomic
def catalogue_consent(
    *, by, catalogue: DecisionCatalogue, consent_on: dt.date, consent_ref: str, files=(), ip=None, today=None
) -> DecisionCatalogue:
    today = _day(today)
    catalogue = _catalogue_locked(catalogue, by)
    if catalogue.status != "draft":
        raise DomainError("目录已记录党委同意", field="status")
    if not catalogue.decisions.exists():
        raise DomainError("目录中尚无决策事项", field="decisions")
    catalogue.consent_on = _date(consent_on, "consent_on", "同级党委同意日期", not_after=today)
    catalogue.consent_ref = _text(consent_ref, "consent_ref", "同意文件或会议", max_len=200)
    catalogue.status = "consented"
    catalogue.save(update_fields=["consent_on", "consent_ref", "status"])
    stored = attachments_store(files=files, by=by)
    for decision in catalogue.decisions.select_related("item"):
        item_annotate(
            item=decision.item,
            by=by,
            action="catalogue_consented",
            label="目录经同级党委同意",
            comment=f"{catalogue.consent_ref}（{catalogue.consent_on:%Y-%m-%d}）",
            data={"citation": rules.CATALOGUE_CITATION},
            attachments=stored,
        )
    _log(by, "记录目录经同级党委同意", catalogue, catalogue.consent_ref, ip)
    return catalogue


@transaction.atomic
def catalogue_publish(
    *, by, catalogue: DecisionCatalogue, published_on: dt.date | None = None, ip=None, today=None
) -> DecisionCatalogue:
    today = _day(today)
    catalogue = _catalogue_locked(catalogue, by)
    if catalogue.status == "draft":
        raise DomainError(f"目录须经同级党委同意后才能向社会公布——{rules.CATALOGUE_CITATION}", field="consent_on")
    if catalogue.status == "published":
        raise DomainError("目录已公布", field="status")
    published_on = published_on or today
    catalogue.published_on = _date(
        published_on, "published_on", "公布日期", not_after=today, not_before=catalogue.consent_on
    )
    catalogue.status = "published"
    catalogue.save(update_fields=["published_on", "status"])
    for decision in catalogue.decisions.select_related("item"):
        item_annotate(
            item=decision.item,
            by=by,
            action="catalogue_published",
            label="目录向社会公布",
            comment=catalogue.title,
            data={"published_on": catalogue.published_on.isoformat(), "citation": rules.CATALOGUE_CITATION},
        )
    _log(by, "公布重大行政决策事项目录", catalogue, catalogue.title, ip)
    return catalogue


@transaction.atomic
def catalogue_adjust(
    *,
    by,
    catalogue: DecisionCatalogue,
    kind: str,
    decision: MajorDecision,
    reason: str,
    consent_ref: str = "",
    adjusted_on: dt.date | None = None,
    files=(),
    ip=None,
    today=None,
) -> CatalogueAdjustment:
    """目录调整 during the year (第三条第三款: 根据实际情况调整), each with its reason, published with the catalogue."""
    today = _day(today)
    catalogue = _catalogue_locked(catalogue, by)
    if catalogue.status != "published":
        raise DomainError("目录公布后才能调整；公布前直接编辑目录", field="status")
    _choice(kind, CatalogueAdjustment.KINDS, "kind", "调整类型")
    reason = _text(reason, "reason", "调整理由", max_len=1000)
    adjusted_on = _date(adjusted_on or today, "adjusted_on", "调整日期", not_after=today)
    if kind == "add":
        _include(catalogue, decision, by=by, today=today, comment=f"目录调整增列：{reason}")
        decision.refresh_from_db()
        decision.stage = "listed"
    else:
        decision = MajorDecision.objects.select_for_update(of=("self",)).select_related("item").get(pk=decision.pk)
        if decision.catalogue_id != catalogue.pk:
            raise DomainError("该事项不在本目录中", field="decision")
        if decision.stage in ("published", "not_adopted", "removed"):
            raise DomainError(f"该事项已{decision.get_stage_display()}，不能再调整", field="decision")
        if kind == "remove":
            decision.stage = "removed"
            decision.save(update_fields=["stage"])
            item_close(item=decision.item, by=by, comment=reason, label="调出目录", closed_on=adjusted_on)
        else:
            item_annotate(
                item=decision.item,
                by=by,
                action="catalogue_changed",
                label="目录调整",
                comment=reason,
                data={"citation": rules.CATALOGUE_CITATION},
                attachments=attachments_store(files=files, by=by),
            )
    adjustment = CatalogueAdjustment.objects.create(
        catalogue=catalogue,
        decision=decision,
        kind=kind,
        reason=reason,
        consent_ref=_text(consent_ref, "consent_ref", "党委同意情况", max_len=200, required=False),
        adjusted_on=adjusted_on,
        by=by,
    )
    _log(by, "调整重大行政决策事项目录", catalogue, f"{adjustment.get_kind_display()}：{decision.title}", ip)
    return adjustment


# ---------------------------------------------------------------- the steps of a decision


def _decision_locked(decision: MajorDecision, by, role: str) -> MajorDecision:
    decision = (
        MajorDecision.objects.select_for_update(of=("self",))
        .select_related("lead_unit", "organ", "catalogue", "item")
        .get(pk=decision.pk)
    )
    if by is not None:
        _need(perms.decision_roles(user=by, obj=decision), role, by)
    return decision


def _step_gate(decision: MajorDecision, step: str) -> None:
    if decision.stage in ("not_adopted", "removed"):
        raise DomainError(f"该决策事项{decision.get_stage_display()}", field="stage")
    if decision.catalogue is None or decision.catalogue.status != "published":
        raise DomainError(
            f"决策事项目录经同级党委同意并公布后才能启动决策程序——{rules.CATALOGUE_CITATION}", field="stage"
        )
    if not decision.procedures_set:
        raise DomainError(f"请先确定本决策事项适用的程序——{rules.LAUNCH_CITATION}", field="stage")
    problem = rules.step_gate(step, selectors.decision_required(decision), selectors.decision_done(decision))
    if problem:
        raise DomainError(problem, field="stage")


def _advance(decision: MajorDecision) -> str:
    """The decision's stage: the next step the order requires (published once the last is done)."""
    step = rules.next_step(selectors.decision_required(decision), selectors.decision_done(decision))
    decision.stage = step or "published"
    decision.save(update_fields=["stage"])
    return decision.stage


def _record(decision, *, by, action: str, label: str, comment: str = "", data=None, files=(), attachments=(), **kw):
    stored = list(attachments) + attachments_store(files=files, by=by)
    item_record(
        item=decision.item,
        by=by,
        action=action,
        label=label,
        comment=comment,
        data=data or {},
        attachments=stored,
        **kw,
    )
    return stored


@transaction.atomic
def decision_set_procedures(
    *,
    by,
    decision: MajorDecision,
    public_participation: bool,
    hearing_required: bool = False,
    expert_argument: bool = True,
    risk_assessment: bool = True,
    participation_omit_reason: str = "",
    hearing_reason: str = "",
    expert_omit_reason: str = "",
    risk_omit_reason: str = "",
    exploratory: bool = False,
    files=(),
    ip=None,
    today=None,
) -> MajorDecision:
    """启动决策程序 (第十一条): which procedures apply. Legality review, discussion and publication always do;
    public participation, expert argument and risk assessment are left out only with a reason."""
    decision = _decision_locked(decision, by, "manage")
    if decision.stage in ("proposed", "not_adopted", "removed", "published"):
        raise DomainError(f"该决策事项{decision.get_stage_display()}，不能确定程序", field="stage")
    if decision.catalogue is None or decision.catalogue.status != "published":
        raise DomainError(
            f"决策事项目录经同级党委同意并公布后才能启动决策程序——{rules.CATALOGUE_CITATION}", field="stage"
        )
    if selectors.decision_started(decision):
        raise DomainError("决策程序已经开始，不能再调整适用的程序", field="stage")
    values = {
        "public_participation": bool(public_participation),
        "participation_omit_reason": (participation_omit_reason or "").strip()[:300],
        "hearing": bool(hearing_required),
        "hearing_reason": (hearing_reason or "").strip()[:300],
        "expert_argument": bool(expert_argument),
        "expert_omit_reason": (expert_omit_reason or "").strip()[:300],
        "risk_assessment": bool(risk_assessment),
        "risk_omit_reason": (risk_omit_reason or "").strip()[:300],
    }
    _problems(rules.procedures_problems(**values))
    decision.public_participation = values["public_participation"]
    decision.participation_omit_reason = "" if decision.public_participation else values["participation_omit_reason"]
    decision.hearing_required = values["hearing"] and decision.public_participation
    decision.hearing_reason = values["hearing_reason"] if decision.hearing_required else ""
    decision.expert_argument = values["expert_argument"]
    decision.expert_omit_reason = "" if decision.expert_argument else values["expert_omit_reason"]
    decision.risk_assessment = values["risk_assessment"]
    decision.risk_omit_reason = "" if decision.risk_assessment else values["risk_omit_reason"]
    decision.exploratory = bool(exploratory)
    decision.procedures_set = True
    decision.save()
    steps = selectors.decision_required(decision)
    omitted = [
        f"不{label}：{reason}"
        for label, on, reason in (
            ("公开征求意见", decision.public_participation, decision.participation_omit_reason),
            ("进行专家论证", decision.expert_argument, decision.expert_omit_reason),
            ("进行风险评估", decision.risk_assessment, decision.risk_omit_reason),
        )
        if not on
    ]
    _record(
        decision,
        by=by,
        action="procedures",
        label="启动决策程序，确定适用程序",
        comment="；".join(["程序：" + "→".join(rules.STEP_LABELS[s] for s in steps), *omitted]),
        data={"steps": list(steps), "exploratory": decision.exploratory, "citation": rules.LAUNCH_CITATION},
        files=files,
    )
    _advance(decision)
    _log(by, "确定重大行政决策程序", decision, decision.title, ip)
    return decision


# -------- public participation


@transaction.atomic
def consultation_open(
    *,
    by,
    decision: MajorDecision,
    starts_on: dt.date,
    days: int,
    draft_text: str,
    explanation: str = "",
    how_to_comment: str = "",
    shortened_reason: str = "",
    files=(),
    ip=None,
    today=None,
) -> Consultation:
    """公开征求意见 (第十五条): the draft on the portal for at least 30 days, a shorter period only with its reason,
    which the portal shows with the draft."""
    today = _day(today)
    decision = _decision_locked(decision, by, "manage")
    _step_gate(decision, "consultation")
    if Consultation.objects.filter(decision=decision).exists():
        raise DomainError("已经公开征求意见", field="stage")
    _date(starts_on, "starts_on", "征求意见开始日期", not_before=today)
    problem = rules.comment_period_problem(days=days, shortened_reason=shortened_reason)
    if problem:
        raise DomainError(problem, field="days" if not isinstance(days, int) or days < 1 else "shortened_reason")
    if days > 366:
        raise DomainError("征求意见期限不宜超过一年", field="days")
    shortened = (shortened_reason or "").strip() if days < rules.COMMENT_MIN_DAYS else ""
    consultation = Consultation.objects.create(
        decision=decision,
        starts_on=starts_on,
        days=days,
        ends_on=rules.consultation_end(starts_on, days),
        shortened_reason=shortened,
        draft_text=_text(draft_text, "draft_text", "决策草案"),
        explanation=(explanation or "").strip(),
        how_to_comment=_text(how_to_comment, "how_to_comment", "提出意见的方式", max_len=300, required=False)
        or "通过本平台提交意见",
    )
    basis = rules.COMMENT_CITATION + (f"；缩短期限的理由：{shortened}" if shortened else "")
    clock_open(
        item=decision.item,
        name="consultation",
        label="公开征求意见期",
        unit="calendar",
        length=days,
        basis=basis[:200],
        start=starts_on,
        by=by,
    )
    stored = _record(
        decision,
        by=by,
        action="consultation_opened",
        label="向社会公开征求意见",
        comment=f"{starts_on:%Y-%m-%d} 至 {consultation.ends_on:%Y-%m-%d}，共{days}日"
        + (f"（缩短期限：{shortened}）" if shortened else ""),
        data={"ends_on": consultation.ends_on.isoformat(), "days": days, "citation": rules.COMMENT_CITATION},
        files=files,
    )
    consultation.materials.set(stored)
    _log(by, "公开征求意见", decision, decision.title, ip)
    return consultation


COMMENT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _comment_code() -> str:
    return "YJ" + "".join(secrets.choice(COMMENT_ALPHABET) for _ in range(10))


def _throttle(scope: str, ip: str | None, limit: int, window: int, message: str, now: float | None) -> None:
    if not ip or not limit:
        return
    if throttle_hit(scope=scope, ident=ip, window_seconds=window, now=now) > limit:
        minutes = throttle_wait_minutes(window_seconds=window, now=now)
        raise DomainError(message.format(limit=limit, minutes=minutes), field="form_token")


@transaction.atomic
def comment_submit(
    *,
    consultation: Consultation,
    content: str,
    name: str = "",
    contact: str = "",
    ip: str | None = None,
    today: dt.date | None = None,
    now: float | None = None,
) -> tuple[PublicComment, str]:
    """A comment from the public (no login), while the period runs. Returns the comment and the code with which
    the commenter reads the answer later (only its hash is kept)."""
    today = _day(today)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if today < consultation.starts_on:
        raise DomainError(f"征求意见将于 {consultation.starts_on:%Y-%m-%d} 开始", field="content")
    if not rules.comment_open(starts_on=consultation.starts_on, ends_on=consultation.ends_on, today=today):
        raise DomainError(
            f"征求意见已于 {consultation.ends_on:%Y-%m-%d} 截止，不再接受意见——{rules.COMMENT_CITATION}",
            field="content",
        )
    content = (content or "").strip()
    if len(clean_text(content)) < rules.COMMENT_MIN_CHARS:
        raise DomainError(f"意见内容不少于 {rules.COMMENT_MIN_CHARS} 个字", field="content")
    if len(content) > rules.COMMENT_MAX_CHARS:
        raise DomainError(f"意见内容不能超过 {rules.COMMENT_MAX_CHARS} 字", field="content")
    name = _text(name, "name", "姓名或单位", max_len=100, required=False)
    contact = _text(contact, "contact", "联系方式", max_len=100, required=False)
    limits = rules.conf()
    message = "提交过于频繁：同一网络{window}最多提交 {limit} 条意见，请 {minutes} 分钟后再试"
    _throttle(
        "rulemaking-comment-hour", ip, limits["COMMENT_IP_HOUR"], 3600, message.replace("{window}", "1 小时内"), now
    )
    _throttle("rulemaking-comment-day", ip, limits["COMMENT_IP_DAY"], 86400, message.replace("{window}", "1 天内"), now)
    code = _comment_code()
    comment = PublicComment.objects.create(
        consultation=consultation,
        content=content,
        name=name,
        contact=contact,
        code_hash=selectors.comment_code_hash(code),
        ip=ip,
    )
    return comment, code


def comment_lookup(*, code: str, ip: str | None = None, now: float | None = None) -> PublicComment:
    """The commenter reads his comment and its answer with his code; failed tries are rate limited per address."""
    limit = rules.conf()["LOOKUP_FAIL_HOUR"]
    try:
        return selectors.comment_by_code(code)
    except NotFound:
        _throttle("rulemaking-lookup", ip, limit, 3600, "查询失败次数过多，请 {minutes} 分钟后再试", now)
        raise DomainError("查询码不正确", field="code") from None


def _comment_locked(decision: MajorDecision, comment: PublicComment) -> tuple[Consultation, PublicComment]:
    consultation = Consultation.objects.select_for_update().filter(decision=decision).first()
    if consultation is None:
        raise DomainError("尚未公开征求意见", field="stage")
    comment = PublicComment.objects.select_for_update().filter(pk=comment.pk, consultation=consultation).first()
    if comment is None:
        raise DomainError("该意见不属于本决策事项", field="comment")
    if consultation.answers_published_on:
        raise DomainError("意见采纳情况已经公布，不能再修改", field="comment")
    return consultation, comment


@transaction.atomic
def comment_moderate(
    *, by, decision: MajorDecision, comment: PublicComment, publish: bool, reason: str = "", ip=None
) -> PublicComment:
    """Moderation before a comment shows on the portal; a comment withheld states why (its author sees it)."""
    decision = _decision_locked(decision, by, "manage")
    _, comment = _comment_locked(decision, comment)
    if comment.status != "pending":
        raise DomainError("该意见已审核", field="comment")
    if publish:
        comment.status, comment.withhold_reason = "published", ""
    else:
        comment.withhold_reason = _text(reason, "reason", "不予公开的理由", max_len=300)
        comment.status = "withheld"
    comment.moderated_by, comment.moderated_at = by, timezone.now()
    comment.save(update_fields=["status", "withhold_reason", "moderated_by", "moderated_at"])
    return comment


@transaction.atomic
def comment_answer(
    *, by, decision: MajorDecision, comment: PublicComment, answer: str, reason: str, ip=None
) -> PublicComment:
    """Each published comment is answered: adopted, partly adopted or not adopted, always with the reason
    (第十八条); the answers go public when the period has closed."""
    decision = _decision_locked(decision, by, "manage")
    _, comment = _comment_locked(decision, comment)
    if comment.status != "published":
        raise DomainError("只需答复已公开的意见；请先审核该意见", field="comment")
    comment.answer = _choice(answer, PublicComment.ANSWERS, "answer", "采纳情况")
    comment.answer_reason = _text(reason, "reason", "采纳情况的理由", max_len=2000)
    comment.answered_by, comment.answered_at = by, timezone.now()
    comment.save(update_fields=["answer", "answer_reason", "answered_by", "answered_at"])
    return comment


def _comments_digest(consultation: Consultation) -> tuple[str, dict]:
    """SM3 over every comment as received, moderated and answered: the published set is sealed on the timeline."""
    digest = hashlib.new("sm3")
    counts = {"total": 0, "published": 0, "withheld": 0, "adopted": 0, "partly": 0, "not_adopted": 0}
    for c in consultation.comments.order_by("id"):
        row = [c.pk, c.submitted_at.isoformat(), c.content, c.status, c.withhold_reason, c.answer, c.answer_reason]
        digest.update(json.dumps(row, ensure_ascii=False).encode())
        counts["total"] += 1
        if c.status in counts:
            counts[c.status] += 1
        if c.answer:
            counts[c.answer] += 1
    return digest.hexdigest(), counts


@transaction.atomic
def consultation_publish_answers(
    *, by, decision: MajorDecision, adoption_summary: str, files=(), ip=None, today=None
) -> Consultation:
    today = _day(today)
    decision = _decision_locked(decision, by, "manage")
    _step_gate(decision, "consultation")
    consultation = Consultation.objects.select_for_update().filter(decision=decision).first()
    if consultation is None:
        raise DomainError("尚未公开征求意见", field="stage")
    if not rules.answers_publishable(ends_on=consultation.ends_on, today=today):
        raise DomainError(f"征求意见期至 {consultation.ends_on:%Y-%m-%d}，期满后才能公布意见采纳情况", field="ends_on")
    pending = consultation.comments.filter(status="pending").count()
    if pending:
        raise DomainError(f"尚有 {pending} 条意见未审核", field="comments")
    unanswered = consultation.comments.filter(status="published", answer="").count()
    if unanswered:
        raise DomainError(f"尚有 {unanswered} 条意见未答复采纳情况——{rules.ADOPTION_CITATION}", field="comments")
    consultation.adoption_summary = _text(adoption_summary, "adoption_summary", "意见研究采纳情况综述")
    consultation.answers_published_on = today
    consultation.save(update_fields=["adoption_summary", "answers_published_on"])
    _stop(decision.item, "consultation", on=consultation.ends_on, by=by, basis=rules.COMMENT_CITATION[:200])
    sm3, counts = _comments_digest(consultation)
    _record(
        decision,
        by=by,
        action="consultation_answered",
        label="公布公众意见采纳情况",
        comment=(
            f"收到意见 {counts['total']} 条，公开 {counts['published']} 条（采纳 {counts['adopted']}、部分采纳 "
            f"{counts['partly']}、不予采纳 {counts['not_adopted']}），不予公开 {counts['withheld']} 条"
        ),
        data={**counts, "comments_sm3": sm3, "citation": rules.ADOPTION_CITATION},
        files=files,
    )
    _advance(decision)
    _log(by, "公布公众意见采纳情况", decision, decision.title, ip)
    return consultation


@transaction.atomic
def hearing_plan(
    *,
    by,
    decision: MajorDecision,
    organiser: str,
    held_on: dt.date,
    place: str,
    selection_rules: str,
    rules_published_on: dt.date,
    participants: str,
    participants_published_on: dt.date,
    materials_sent_on: dt.date,
    files=(),
    ip=None,
    today=None,
) -> Hearing:
    """听证会 (第十六条): selection rules and the participant list published beforehand, materials 7 days before."""
    decision = _decision_locked(decision, by, "manage")
    _step_gate(decision, "hearing")
    if Hearing.objects.filter(decision=decision).exists():
        raise DomainError("已安排听证会", field="stage")
    values = {
        "held_on": _date(held_on, "held_on", "听证日期"),
        "rules_published_on": _date(rules_published_on, "rules_published_on", "遴选办法公布日期"),
        "participants_published_on": _date(participants_published_on, "participants_published_on", "名单公布日期"),
        "materials_sent_on": _date(materials_sent_on, "materials_sent_on", "材料送达日期"),
    }
    _problems(rules.hearing_problems(**values))
    hearing = Hearing.objects.create(
        decision=decision,
        organiser=_text(organiser, "organiser", "组织听证的单位", max_len=100),
        place=_text(place, "place", "听证地点", max_len=200),
        selection_rules=_text(selection_rules, "selection_rules", "听证参加人遴选办法"),
        participants=_text(participants, "participants", "听证参加人名单"),
        **values,
    )
    _record(
        decision,
        by=by,
        action="hearing_planned",
        label="公布听证会信息",
        comment=f"{hearing.held_on:%Y-%m-%d} 在{hearing.place}举行；材料于 {hearing.materials_sent_on:%Y-%m-%d} 送达",
        data={"citation": rules.HEARING_CITATION},
        files=files,
    )
    _log(by, "安排决策听证会", decision, decision.title, ip)
    return hearing


@transaction.atomic
def hearing_held(
    *, by, decision: MajorDecision, record_confirmed: bool, summary: str, files=(), ip=None, today=None
) -> Hearing:
    today = _day(today)
    decision = _decision_locked(decision, by, "manage")
    _step_gate(decision, "hearing")
    hearing = Hearing.objects.select_for_update().filter(decision=decision).first()
    if hearing is None:
        raise DomainError("尚未安排听证会", field="stage")
    if hearing.held_on > today:
        raise DomainError(f"听证会定于 {hearing.held_on:%Y-%m-%d} 举行，举行后才能登记", field="held_on")
    if not record_confirmed:
        raise DomainError(
            f"听证参加人须确认听证会记录并签字——{rules.HEARING_RECORD_CITATION}", field="record_confirmed"
        )
    hearing.summary = _text(summary, "summary", "听证情况")
    hearing.record_confirmed = hearing.held = True
    hearing.save(update_fields=["summary", "record_confirmed", "held"])
    _record(
        decision,
        by=by,
        action="hearing_held",
        label="举行听证会",
        comment=hearing.summary,
        data={"held_on": hearing.held_on.isoformat(), "citation": rules.HEARING_RECORD_CITATION},
        files=files,
    )
    _advance(decision)
    return hearing


# -------- experts and risk


@transaction.atomic
def expert_add(
    *, by, decision: MajorDecision, name: str, organisation: str = "", field: str = "", interest: str = "", ip=None
) -> Expert:
    """An expert chosen for the argument. One who declares a direct interest is excluded (第二十条)."""
    decision = _decision_locked(decision, by, "manage")
    _step_gate(decision, "expert")
    interest = _text(interest, "interest", "利害关系申报", max_len=300, required=False)
    expert = Expert.objects.create(
        decision=decision,
        name=_text(name, "name", "专家或机构名称", max_len=100),
        organisation=_text(organisation, "organisation", "工作单位", max_len=100, required=False),
        field=_text(field, "field", "专业领域", max_len=100, required=False),
        interest=interest,
        excluded=bool(interest),
    )
    if expert.excluded:
        _record(
            decision,
            by=by,
            action="expert_excluded",
            label="专家因利害关系排除",
            comment=f"{expert.name}：{interest}",
            data={"citation": rules.EXPERT_INTEREST_CITATION},
        )
    return expert


@transaction.atomic
def expert_opinion(
    *,
    by,
    decision: MajorDecision,
    expert: Expert,
    opinion: str,
    signed: bool,
    opinion_on: dt.date,
    files=(),
    ip=None,
    today=None,
) -> Expert:
    today = _day(today)
    decision = _decision_locked(decision, by, "manage")
    _step_gate(decision, "expert")
    expert = Expert.objects.select_for_update().filter(pk=getattr(expert, "pk", None), decision=decision).first()
    if expert is None:
        raise DomainError("请选择本决策事项的论证专家", field="expert")
    if expert.excluded:
        raise DomainError(
            f"{expert.name}与决策事项有直接利害关系，已被排除，不得提出论证意见——{rules.EXPERT_INTEREST_CITATION}",
            field="expert",
        )
    if expert.opinion:
        raise DomainError(f"{expert.name}的论证意见已登记", field="expert")
    expert.opinion = _text(opinion, "opinion", "论证意见")
    if not signed:
        raise DomainError(f"书面论证意见应当署名、盖章——{rules.EXPERT_CITATION}", field="signed")
    expert.signed = True
    expert.opinion_on = _date(opinion_on, "opinion_on", "意见日期", not_after=today)
    expert.save(update_fields=["opinion", "signed", "opinion_on"])
    _record(
        decision,
        by=by,
        action="expert_opinion",
        label="专家论证意见",
        comment=f"{expert.name}{'（' + expert.organisation + '）' if expert.organisation else ''}：{expert.opinion}",
        data={"expert": expert.name, "signed": True, "citation": rules.EXPERT_CITATION},
        files=files,
    )
    return expert


@transaction.atomic
def expert_complete(*, by, decision: MajorDecision, adoption: str, files=(), ip=None, today=None) -> MajorDecision:
    today = _day(today)
    decision = _decision_locked(decision, by, "manage")
    _step_gate(decision, "expert")
    if not decision.experts.filter(excluded=False, signed=True).exclude(opinion="").exists():
        raise DomainError("至少须有一位无利害关系专家的署名论证意见", field="experts")
    decision.expert_adoption = _text(adoption, "adoption", "专家论证意见研究采纳情况")
    decision.experts_completed_on = today
    decision.save(update_fields=["expert_adoption", "experts_completed_on"])
    _record(
        decision,
        by=by,
        action="expert_completed",
        label="专家论证完成",
        comment=decision.expert_adoption,
        data={"citation": rules.EXPERT_CITATION},
        files=files,
    )
    _advance(decision)
    return decision


@transaction.atomic
def risk_assess(
    *,
    by,
    decision: MajorDecision,
    assessor: str,
    risk_points: str,
    measures: str,
    level: str,
    controllable: bool,
    assessed_on: dt.date,
    files=(),
    ip=None,
    today=None,
) -> RiskAssessment:
    """风险评估 (第二十二条至第二十四条). An uncontrollable risk is recorded, but the decision goes on only after the
    draft is adjusted and assessed again as controllable."""
    today = _day(today)
    decision = _decision_locked(decision, by, "manage")
    _step_gate(decision, "risk")
    assessment = RiskAssessment.objects.create(
        decision=decision,
        assessor=_text(assessor, "assessor", "评估单位", max_len=100),
        risk_points=_text(risk_points, "risk_points", "风险点"),
        measures=_text(measures, "measures", "风险防范措施和处置预案"),
        level=_choice(level, RiskAssessment.LEVELS, "level", "风险等级"),
        controllable=bool(controllable),
        assessed_on=_date(assessed_on, "assessed_on", "评估日期", not_after=today),
    )
    _record(
        decision,
        by=by,
        action="risk_assessed",
        label=f"风险评估：{assessment.get_level_display()}，{'风险可控' if assessment.controllable else '风险不可控'}",
        comment=f"风险点：{assessment.risk_points}\n防范措施和处置预案：{assessment.measures}",
        data={"controllable": assessment.controllable, "citation": rules.RISK_GATE_CITATION},
        files=files,
    )
    _advance(decision)
    _log(by, "登记决策风险评估", decision, decision.title, ip)
    return assessment


# -------- legality review, discussion, publication


@transaction.atomic
def review_submit(
    *,
    by,
    decision: MajorDecision,
    reviewer_unit: Unit,
    working_days: int = rules.DECISION_REVIEW_MIN_WORKING_DAYS,
    materials_note: str = "",
    files=(),
    ip=None,
    today=None,
) -> LegalityReview:
    """送请合法性审查 (第二十六条): with the draft and its materials, leaving the reviewer at least 7 working days."""
    today = _day(today)
    decision = _decision_locked(decision, by, "manage")
    _step_gate(decision, "review")
    last = selectors.last_review(decision)
    if last is not None and (not last.opinion or last.opinion != "unlawful"):
        if not last.opinion:
            raise DomainError("合法性审查正在进行", field="stage")
        if not (last.opinion == "risk_disclosed" and not decision.exploratory):
            raise DomainError("已有合法性审查意见", field="stage")
    if not isinstance(reviewer_unit, Unit) or reviewer_unit.kind != "justice":
        raise DomainError("请选择负责合法性审查的部门（司法行政部门）", field="reviewer_unit")
    problem = rules.review_days_problem(working_days)
    if problem:
        raise DomainError(problem, field="working_days")
    number = (last.round + 1) if last else 1
    review = LegalityReview.objects.create(
        decision=decision,
        round=number,
        reviewer_unit=reviewer_unit,
        submitted_on=today,
        working_days=working_days,
        materials_note=(materials_note or "").strip(),
    )
    clock_open(
        item=decision.item,
        name=f"review{number}",
        label="合法性审查" if number == 1 else f"合法性审查（第{number}次）",
        unit="working",
        length=working_days,
        basis=rules.LEGALITY_REVIEW_CITATION,
        start=today,
        by=by,
    )
    _record(
        decision,
        by=by,
        action="review_submitted",
        label="送请合法性审查",
        comment=f"送{reviewer_unit.name}审查，审查时间{working_days}个工作日。{review.materials_note}".strip(),
        data={"round": number, "working_days": working_days, "citation": rules.LEGALITY_REVIEW_CITATION},
        files=files,
        status="review",
        action_unit=reviewer_unit,
    )
    _log(by, "送请合法性审查", decision, decision.title, ip)
    return review


@transaction.atomic
def review_opinion(
    *, by, decision: MajorDecision, opinion: str, opinion_text: str, files=(), ip=None, today=None
) -> LegalityReview:
    today = _day(today)
    decision = _decision_locked(decision, by, "review")
    review = decision.reviews.select_for_update().filter(opinion="").order_by("-round").first()
    if review is None:
        raise DomainError("没有待审查的决策草案", field="stage")
    _choice(opinion, LegalityReview.OPINIONS, "opinion", "审查意见")
    if opinion == "risk_disclosed" and not decision.exploratory:
        raise DomainError("只有国家尚无明确规定的探索性改革决策事项才能明示法律风险——第二十五条", field="opinion")
    review.opinion = opinion
    review.opinion_text = _text(opinion_text, "opinion_text", "审查意见内容")
    review.opinion_on, review.reviewed_by = today, by
    review.save(update_fields=["opinion", "opinion_text", "opinion_on", "reviewed_by"])
    _stop(decision.item, f"review{review.round}", on=today, by=by, basis=rules.LEGALITY_REVIEW_CITATION)
    _record(
        decision,
        by=by,
        action="review_opinion",
        label=f"合法性审查意见：{review.get_opinion_display()}",
        comment=review.opinion_text,
        data={"round": review.round, "opinion": opinion, "citation": rules.LEGALITY_GATE_CITATION},
        files=files,
        status="open",
        action_unit=decision.lead_unit,
    )
    _advance(decision)
    _log(by, "出具合法性审查意见", decision, f"{decision.title}：{review.get_opinion_display()}", ip)
    return review


@transaction.atomic
def review_changes(*, by, decision: MajorDecision, changes_text: str, files=(), ip=None, today=None) -> LegalityReview:
    today = _day(today)
    decision = _decision_locked(decision, by, "manage")
    review = selectors.last_review(decision)
    if review is None or review.opinion != "lawful_after_changes" or review.changes_on:
        raise DomainError("没有需要按审查意见修改的事项", field="stage")
    review.changes_text = _text(changes_text, "changes_text", "修改情况")
    review.changes_on = today
    review.save(update_fields=["changes_text", "changes_on"])
    _record(
        decision,
        by=by,
        action="review_changes",
        label="按合法性审查意见修改",
        comment=review.changes_text,
        data={"citation": rules.LEGALITY_CHANGES_CITATION},
        files=files,
    )
    _advance(decision)
    return review


def _speeches(raw) -> list[dict]:
    speeches = []
    for s in raw or []:
        if not isinstance(s, dict):
            raise DomainError("发言记录格式不正确", field="speeches")
        speeches.append(
            {
                "speaker": clean_text(str(s.get("speaker", "")))[:50],
                "role": "head" if s.get("role") == "head" else "member",
                "position": str(s.get("position", "")),
                "opinion": str(s.get("opinion", "")).strip()[:1000],
            }
        )
        if not speeches[-1]["speaker"]:
            raise DomainError("每条发言须写明发言人", field="speeches")
    return speeches


@transaction.atomic
def discussion_record(
    *,
    by,
    decision: MajorDecision,
    meeting_name: str,
    held_on: dt.date,
    members_total: int,
    members_present: int,
    attendees: str,
    speeches: list[dict],
    outcome: str,
    meeting_kind: str = "executive",
    dissent: str = "",
    head_reason: str = "",
    files=(),
    ip=None,
    today=None,
) -> Discussion:
    """集体讨论决定 (第三十条). Only a draft with a favourable legality review comes here (第二十五条)."""
    today = _day(today)
    decision = _decision_locked(decision, by, "organ")
    _step_gate(decision, "discussion")
    speeches = _speeches(speeches)
    _choice(outcome, Discussion.OUTCOMES, "outcome", "讨论结果")
    _choice(meeting_kind, Discussion.MEETINGS, "meeting_kind", "会议类型")
    _problems(
        rules.discussion_problems(
            members_total=members_total,
            members_present=members_present,
            speeches=speeches,
            dissent=dissent,
            head_reason=head_reason,
            outcome=outcome,
        )
    )
    discussion = Discussion.objects.create(
        decision=decision,
        meeting_kind=meeting_kind,
        meeting_name=_text(meeting_name, "meeting_name", "会议名称", max_len=100),
        held_on=_date(held_on, "held_on", "会议日期", not_after=today),
        members_total=members_total,
        members_present=members_present,
        attendees=_text(attendees, "attendees", "出席、列席人员"),
        speeches=speeches,
        dissent=(dissent or "").strip(),
        head_reason=(head_reason or "").strip(),
        outcome=outcome,
    )
    head = speeches[-1]
    _record(
        decision,
        by=by,
        action="discussed",
        label=f"集体讨论决定：{discussion.get_outcome_display()}",
        comment=(
            f"{discussion.meeting_name}（{discussion.held_on:%Y-%m-%d}），应到 {members_total} 人，实到 {members_present} 人；"
            f"{len(speeches)} 人发言，行政首长{head['speaker']}最后发表意见"
            + (f"；不同意见：{discussion.dissent}" if discussion.dissent else "")
            + (f"；行政首长说明理由：{discussion.head_reason}" if discussion.head_reason else "")
        ),
        data={"outcome": outcome, "speeches": speeches, "citation": rules.DISCUSSION_CITATION},
        files=files,
    )
    if outcome == "adopted":
        decision.decided_on = discussion.held_on
        decision.save(update_fields=["decided_on"])
        _advance(decision)
    elif outcome == "rejected":
        decision.stage = "not_adopted"
        decision.save(update_fields=["stage"])
        item_close(item=decision.item, by=by, comment=discussion.meeting_name, label="集体讨论不予通过")
    _log(by, "登记集体讨论决定", decision, f"{decision.title}：{discussion.get_outcome_display()}", ip)
    return discussion


def _portal_entry(*, kind: str, obj, title: str, number: str, issuer: str, text: str, **fields) -> None:
    search = " ".join(x for x in (title, number, issuer, text) if x)
    PortalEntry.objects.update_or_create(
        kind=kind,
        object_id=obj.pk,
        defaults={
            "title": title,
            "number": number,
            "issuer": issuer,
            "search": search,
            "search_tokens": index_tokens(search),
            **fields,
        },
    )


@transaction.atomic
def decision_publish(
    *,
    by,
    decision: MajorDecision,
    published_on: dt.date,
    channels: str,
    decision_text: str,
    party_report_on: dt.date,
    party_report_note: str = "",
    adoption_note: str = "",
    executing_unit: Unit | None = None,
    prefix: str = "",
    files=(),
    ip=None,
    today=None,
) -> MajorDecision:
    """决策公布 (第三十二条), after it was reported to the 同级党委 (第三十一条): numbered from the organ's register,
    issued as a 公文, on the portal, with how the public's and the experts' opinions were taken up."""
    today = _day(today)
    decision = _decision_locked(decision, by, "organ")
    _step_gate(decision, "publication")
    published_on = _date(published_on, "published_on", "公布日期", not_after=today, not_before=decision.decided_on)
    party_report_on = _date(
        party_report_on, "party_report_on", f"向同级党委请示报告日期（{rules.PARTY_REPORT_CITATION}）"
    )
    if party_report_on > published_on:
        raise DomainError(f"决策出台前应当向同级党委请示报告——{rules.PARTY_REPORT_CITATION}", field="party_report_on")
    decision.publication_channels = _text(channels, "channels", "公布途径", max_len=200)
    decision.decision_text = _text(decision_text, "decision_text", "决策内容")
    decision.adoption_note = (adoption_note or "").strip()
    if (decision.public_participation or decision.expert_argument) and not decision.adoption_note:
        raise DomainError(
            f"须说明公众意见、专家论证意见的采纳情况——{rules.PUBLICATION_CITATION}", field="adoption_note"
        )
    decision.party_report_on = party_report_on
    decision.party_report_note = (party_report_note or "").strip()[:300]
    decision.executing_unit = executing_unit or decision.lead_unit
    number = number_take(
        unit=decision.organ, doc_type=rules.DECISION_DOC_TYPE, year=published_on.year, by=by, prefix=prefix, today=today
    )
    decision.number = number.text
    decision.published_on = published_on
    decision.save()
    docx = gongwen_docx(
        Gongwen(
            issuer_mark=f"{decision.organ.name}文件",
            number=decision.number,
            title=decision.title,
            body=_paragraphs(decision.decision_text),
            signature=decision.organ.name,
            date=published_on,
        )
    )
    document_store(
        by=by,
        item=decision.item,
        title=decision.title,
        number=decision.number,
        content=docx,
        filename=f"{decision.title}.docx",
        object_kind=MAJOR_DECISION.code,
        object_id=decision.pk,
    )
    _record(
        decision,
        by=by,
        action="published",
        label="决策公布",
        comment=f"{decision.number}，{published_on:%Y-%m-%d} 通过{decision.publication_channels}公布；"
        f"{party_report_on:%Y-%m-%d} 已向同级党委请示报告",
        data={"number": decision.number, "citation": rules.PUBLICATION_CITATION},
        files=files,
    )
    _portal_entry(
        kind="decision",
        obj=decision,
        title=decision.title,
        number=decision.number,
        issuer=decision.organ.name,
        text=decision.decision_text,
        published_on=published_on,
        effective_on=None,
        valid_until=None,
        state="in_force",
    )
    _advance(decision)
    item_close(item=decision.item, by=by, comment=decision.number, label="决策作出并公布", closed_on=published_on)
    _log(by, "公布重大行政决策", decision, f"{decision.number} {decision.title}", ip)
    return decision


@transaction.atomic
def execution_report(
    *,
    by,
    decision: MajorDecision,
    period: str,
    reported_on: dt.date,
    content: str,
    problems: str = "",
    unit: Unit | None = None,
    files=(),
    ip=None,
    today=None,
) -> ExecutionReport:
    today = _day(today)
    decision = _decision_locked(decision, by, "manage")
    if decision.stage != "published":
        raise DomainError("决策公布后才能报告执行情况", field="stage")
    report = ExecutionReport.objects.create(
        decision=decision,
        unit=unit or decision.executing_unit or decision.lead_unit,
        period=_text(period, "period", "报告期", max_len=50),
        reported_on=_date(reported_on, "reported_on", "报告日期", not_after=today, not_before=decision.published_on),
        content=_text(content, "content", "执行情况"),
        problems=(problems or "").strip(),
    )
    stored = attachments_store(files=files, by=by)
    item_annotate(
        item=decision.item,
        by=by,
        action="execution_report",
        label="决策执行情况报告",
        comment=f"{report.period}：{report.content}" + (f"\n存在问题：{report.problems}" if report.problems else ""),
        data={"citation": rules.EXECUTION_CITATION},
        attachments=stored,
    )
    return report


@transaction.atomic
def evaluation_start(
    *,
    by,
    decision: MajorDecision,
    trigger: str,
    trigger_note: str,
    evaluator_name: str = "",
    evaluator_unit: Unit | None = None,
    started_on: dt.date | None = None,
    ip=None,
    today=None,
) -> PostEvaluation:
    """决策后评估 (第三十六条) on one of its grounds, not by a unit that argued or assessed the decision before it
    was taken, nor (local rule) by its legality reviewer."""
    today = _day(today)
    decision = _decision_locked(decision, by, "organ")
    if decision.stage != "published":
        raise DomainError("决策公布实施后才能开展后评估", field="stage")
    if selectors.open_evaluation(decision) is not None:
        raise DomainError("后评估正在进行", field="stage")
    _choice(trigger, PostEvaluation.TRIGGERS, "trigger", "启动情形")
    name = (evaluator_name or "").strip() or (evaluator_unit.name if evaluator_unit else "")
    name = _text(name, "evaluator_name", "评估单位", max_len=100)
    problem = rules.evaluator_problem(
        evaluator_name=name,
        evaluator_unit_id=evaluator_unit.pk if evaluator_unit else None,
        assessors=selectors.decision_assessors(decision),
        reviewer_unit_ids=selectors.decision_reviewer_units(decision),
        reviewer_unit_names=selectors.decision_reviewer_unit_names(decision),
        excludes_reviewer=rules.conf()["EVALUATION_EXCLUDES_REVIEWER"],
    )
    if problem:
        raise DomainError(problem[1], field=problem[0])
    evaluation = PostEvaluation.objects.create(
        decision=decision,
        trigger=trigger,
        trigger_note=_text(trigger_note, "trigger_note", "启动说明"),
        evaluator_unit=evaluator_unit,
        evaluator_name=name,
        started_on=_date(started_on or today, "started_on", "启动日期", not_after=today),
    )
    item_annotate(
        item=decision.item,
        by=by,
        action="evaluation_started",
        label="启动决策后评估",
        comment=f"{evaluation.get_trigger_display()}：{evaluation.trigger_note}；评估单位：{name}",
        data={"citation": rules.EVALUATION_CITATION},
    )
    _log(by, "启动决策后评估", decision, decision.title, ip)
    return evaluation


@transaction.atomic
def evaluation_result(
    *, by, decision: MajorDecision, result: str, conclusion: str, files=(), ip=None, today=None
) -> PostEvaluation:
    today = _day(today)
    decision = _decision_locked(decision, by, "organ")
    evaluation = selectors.open_evaluation(decision)
    if evaluation is None:
        raise DomainError("没有正在进行的后评估", field="stage")
    evaluation.result = _text(result, "result", "评估结果")
    evaluation.conclusion = _choice(conclusion, PostEvaluation.CONCLUSIONS, "conclusion", "评估结论")
    evaluation.finished_on = today
    evaluation.save(update_fields=["result", "conclusion", "finished_on"])
    item_annotate(
        item=decision.item,
        by=by,
        action="evaluation_finished",
        label=f"决策后评估结论：{evaluation.get_conclusion_display()}",
        comment=evaluation.result,
        data={"citation": rules.EVALUATION_CITATION},
        attachments=attachments_store(files=files, by=by),
    )
    return evaluation


# ---------------------------------------------------------------- normative documents


def _normative_url(document: NormativeDocument) -> str:
    return reverse("rulemaking:normative_detail", args=[document.pk])


def _normative_locked(document: NormativeDocument, by, *roles: str) -> NormativeDocument:
    document = (
        NormativeDocument.objects.select_for_update(of=("self",))
        .select_related("issuer", "drafting_unit", "reviewing_unit")
        .get(pk=document.pk)
    )
    if by is not None and not (perms.normative_roles(user=by, obj=document) & set(roles)):
        raise Forbidden()
    return document


def _stage(document: NormativeDocument, *stages: str, message: str, field: str = "stage") -> None:
    if document.stage not in stages:
        raise DomainError(message, field=field)


def _doc_note(
    document: NormativeDocument, *, by, action: str, label: str, comment: str = "", data=None, attachments=()
):
    """A step of the document's life after its legality review: on its latest review item (closed or not)."""
    item = selectors.normative_review_item(document)
    if item is not None:
        item_annotate(
            item=item, by=by, action=action, label=label, comment=comment, data=data or {}, attachments=attachments
        )


@transaction.atomic
def normative_create(
    *,
    by,
    title: str,
    issuer: Unit,
    drafting_unit: Unit,
    draft_text: str,
    explanation: str = "",
    provisional: bool | None = None,
    ip=None,
) -> NormativeDocument:
    if not isinstance(drafting_unit, Unit) or not drafting_unit.is_active:
        raise DomainError("请选择起草单位", field="drafting_unit")
    if by is not None and not perms.keeps(by, "normative.manage", drafting_unit):
        raise Forbidden()
    if not isinstance(issuer, Unit):
        raise DomainError("请选择制定机关", field="issuer")
    if issuer.pk != drafting_unit.pk and not (
        issuer.kind == "government" and drafting_unit.path.startswith(issuer.path)
    ):
        raise DomainError(
            "制定机关应为起草单位本身（部门规范性文件）或其所属人民政府（政府规范性文件）", field="issuer"
        )
    title = _text(title, "title", "文件名称", max_len=200)
    document = NormativeDocument.objects.create(
        title=title,
        kind=rules.normative_kind(issuer.kind),
        issuer=issuer,
        drafting_unit=drafting_unit,
        provisional=rules.provisional_title(title) if provisional is None else bool(provisional),
        draft_text=_text(draft_text, "draft_text", "草案"),
        explanation=(explanation or "").strip(),
        created_by=by,
    )
    _log(by, "起草规范性文件", document, title, ip)
    return document


@transaction.atomic
def normative_update(
    *, by, document: NormativeDocument, title: str, draft_text: str, explanation: str = "", ip=None
) -> NormativeDocument:
    document = _normative_locked(document, by, "manage")
    _stage(document, "drafting", message="报送审核后不能再修改草案")
    document.title = _text(title, "title", "文件名称", max_len=200)
    document.provisional = rules.provisional_title(document.title) or document.provisional
    document.draft_text = _text(draft_text, "draft_text", "草案")
    document.explanation = (explanation or "").strip()
    document.save(update_fields=["title", "provisional", "draft_text", "explanation"])
    return document


@transaction.atomic
def normative_submit(
    *, by, document: NormativeDocument, reviewing_unit: Unit, files=(), ip=None, today=None
) -> NormativeDocument:
    """报送合法性审核: a review clock of the configured working days (5–15, 国办发〔2018〕115号)."""
    today = _day(today)
    document = _normative_locked(document, by, "manage")
    _stage(document, "drafting", message=f"文件{document.get_stage_display()}，不能报送审核")
    if not isinstance(reviewing_unit, Unit) or reviewing_unit.kind != "justice":
        raise DomainError("请选择合法性审核机构（司法行政部门）", field="reviewing_unit")
    days = rules.normative_review_days()
    item = item_open(
        kind=NORMATIVE_REVIEW.code,
        title=document.title,
        unit=document.drafting_unit,
        by=by,
        start=today,
        deadline=today,
        deadline_source=rules.NORMATIVE_REVIEW_SOURCE[:200],
        action_unit=reviewing_unit,
        url=_normative_url(document),
        comment="起草单位报送合法性审核",
    )
    NormativeItem.objects.create(document=document, item=item, role="review")
    clock_open(
        item=item,
        name="review",
        label="合法性审核",
        unit="working",
        length=days,
        basis=rules.NORMATIVE_REVIEW_SOURCE[:200],
        start=today,
        by=by,
        extension_cap=rules.normative_review_cap(days),
    )
    stored = attachments_store(files=files, by=by)
    item_record(
        item=item,
        by=by,
        action="submitted",
        label="报送合法性审核",
        comment=f"报送{reviewing_unit.name}，审核时限{days}个工作日",
        attachments=stored,
        status="review",
        data={"citation": rules.NORMATIVE_REVIEW_SOURCE},
    )
    document.stage = "review"
    document.reviewing_unit, document.submitted_on, document.review_days = reviewing_unit, today, days
    document.review_opinion = document.review_text = ""
    document.reviewed_on = None
    document.save()
    _log(by, "报送规范性文件合法性审核", document, document.title, ip)
    return document


@transaction.atomic
def normative_review_extend(
    *, by, document: NormativeDocument, days: int, reason: str, ip=None, today=None
) -> NormativeDocument:
    """Extend the review within the 15-working-day maximum; past it the clock refuses (the message says how many
    days are left)."""
    today = _day(today)
    document = _normative_locked(document, by, "review")
    _stage(document, "review", message="文件不在合法性审核中")
    item = selectors.normative_review_item(document)
    clock = _open_clock(item, "review")
    if not isinstance(days, int) or days < 1:
        raise DomainError("延长的期限应为正整数（工作日）", field="days")
    clock_event(
        clock=clock,
        kind="extend",
        on=today,
        by=by,
        basis=rules.NORMATIVE_REVIEW_SOURCE[:200],
        reason=reason,
        amount=days,
    )
    _log(by, "延长规范性文件合法性审核期限", document, f"{days}个工作日：{reason}", ip)
    return document


@transaction.atomic
def normative_review(
    *, by, document: NormativeDocument, opinion: str, text: str, files=(), ip=None, today=None
) -> NormativeDocument:
    """合法性审核意见: lawful, lawful after changes, or unlawful (back to the drafting unit, not to deliberation)."""
    today = _day(today)
    document = _normative_locked(document, by, "review")
    _stage(document, "review", message="文件不在合法性审核中")
    document.review_opinion = _choice(opinion, NormativeDocument.OPINIONS, "opinion", "审核意见")
    document.review_text = _text(text, "text", "审核意见内容")
    document.reviewed_on = today
    document.stage = "drafting" if opinion == "unlawful" else "reviewed"
    document.changes_text = ""
    document.save(update_fields=["review_opinion", "review_text", "reviewed_on", "stage", "changes_text"])
    item = selectors.normative_review_item(document)
    item_record(
        item=item,
        by=by,
        action="reviewed",
        label=f"合法性审核意见：{document.get_review_opinion_display()}",
        comment=document.review_text,
        attachments=attachments_store(files=files, by=by),
        data={"opinion": opinion, "citation": rules.NORMATIVE_REVIEW_GATE_CITATION},
    )
    item_close(item=item, by=by, comment=document.get_review_opinion_display(), label="合法性审核办结", closed_on=today)
    _log(by, "出具规范性文件合法性审核意见", document, f"{document.title}：{document.get_review_opinion_display()}", ip)
    return document


@transaction.atomic
def normative_changes(*, by, document: NormativeDocument, changes_text: str, files=(), ip=None) -> NormativeDocument:
    document = _normative_locked(document, by, "manage")
    if document.stage != "reviewed" or document.review_opinion != "lawful_after_changes" or document.changes_text:
        raise DomainError("没有需要按审核意见修改的事项", field="stage")
    document.changes_text = _text(changes_text, "changes_text", "修改情况")
    document.save(update_fields=["changes_text"])
    _doc_note(
        document,
        by=by,
        action="changes",
        label="按合法性审核意见修改",
        comment=document.changes_text,
        attachments=attachments_store(files=files, by=by),
    )
    return document


@transaction.atomic
def normative_deliberate(
    *,
    by,
    document: NormativeDocument,
    meeting: str,
    deliberated_on: dt.date,
    adopted: bool = True,
    files=(),
    ip=None,
    today=None,
) -> NormativeDocument:
    """集体审议 (国办发〔2018〕37号), only of a draft the legality review found lawful (115号)."""
    today = _day(today)
    document = _normative_locked(document, by, "manage")
    if document.stage in ("drafting", "review") or document.review_opinion not in ("lawful", "lawful_after_changes"):
        raise DomainError(f"{rules.NORMATIVE_REVIEW_GATE_CITATION}", field="review_opinion")
    _stage(document, "reviewed", message="文件已经集体审议")
    if document.review_opinion == "lawful_after_changes" and not document.changes_text:
        raise DomainError("审核意见为修改后合法，须先按审核意见修改", field="changes_text")
    document.deliberation_meeting = _text(meeting, "meeting", "审议会议", max_len=100)
    document.deliberated_on = _date(
        deliberated_on, "deliberated_on", "审议日期", not_after=today, not_before=document.reviewed_on
    )
    document.stage = "deliberated" if adopted else "rejected"
    document.save(update_fields=["deliberation_meeting", "deliberated_on", "stage"])
    _doc_note(
        document,
        by=by,
        action="deliberated",
        label="集体审议通过" if adopted else "集体审议未通过",
        comment=f"{document.deliberation_meeting}（{document.deliberated_on:%Y-%m-%d}）",
        data={"citation": rules.NORMATIVE_DELIBERATION_CITATION},
        attachments=attachments_store(files=files, by=by),
    )
    return document


@transaction.atomic
def normative_register(
    *,
    by,
    document: NormativeDocument,
    text: str = "",
    prefix: str = "",
    registered_on: dt.date | None = None,
    ip=None,
    today=None,
) -> NormativeDocument:
    """三统一: registered and numbered from the issuer's register (示政规〔2026〕1号) and issued as a 公文, in one
    transaction (the number is taken only when the document is issued)."""
    today = _day(today)
    document = _normative_locked(document, by, "review")
    if document.stage in ("drafting", "review", "reviewed"):
        raise DomainError(
            f"文件须经合法性审核和集体审议后才能统一登记、编号、印发——{rules.THREE_UNIFIED_CITATION}", field="stage"
        )
    _stage(document, "deliberated", message="文件已经登记编号")
    document.text = (text or "").strip() or document.draft_text
    registered_on = _date(
        registered_on or today, "registered_on", "登记印发日期", not_after=today, not_before=document.deliberated_on
    )
    number = number_take(
        unit=document.issuer,
        doc_type=rules.NORMATIVE_DOC_TYPE,
        year=registered_on.year,
        by=by,
        prefix=prefix,
        today=today,
    )
    document.number, document.registered_on, document.stage = number.text, registered_on, "registered"
    document.save(update_fields=["text", "number", "registered_on", "stage"])
    docx = gongwen_docx(
        Gongwen(
            issuer_mark=f"{document.issuer.name}文件",
            number=document.number,
            title=document.title,
            body=_paragraphs(document.text),
            signature=document.issuer.name,
            date=registered_on,
        )
    )
    item = selectors.normative_review_item(document)
    generated = document_store(
        by=by,
        item=item,
        title=document.title,
        number=document.number,
        content=docx,
        filename=f"{document.title}.docx",
        object_kind="normative_document",
        object_id=document.pk,
    )
    _doc_note(
        document,
        by=by,
        action="registered",
        label="统一登记、统一编号、统一印发",
        comment=document.number,
        data={"number": document.number, "document": generated.pk, "citation": rules.THREE_UNIFIED_CITATION},
    )
    _log(by, "规范性文件统一登记编号", document, f"{document.number} {document.title}", ip)
    return document


@transaction.atomic
def normative_publish(
    *,
    by,
    document: NormativeDocument,
    published_on: dt.date | None = None,
    effective_on: dt.date | None = None,
    early_effect_reason: str = "",
    validity_years: int | None = None,
    ip=None,
    today=None,
) -> NormativeDocument:
    """向社会公布: on the portal, in force (by default) 30 days later, valid 5 years (暂行/试行 2), and filed within 30
    days with each filing body, each filing on its own clock."""
    today = _day(today)
    document = _normative_locked(document, by, "manage", "review")
    if document.stage in ("drafting", "review", "reviewed", "deliberated") or not document.number:
        raise DomainError(f"未经统一登记、统一编号的规范性文件不得公布——{rules.THREE_UNIFIED_CITATION}", field="number")
    _stage(document, "registered", message="文件已经公布")
    published_on = _date(
        published_on or today, "published_on", "公布日期", not_after=today, not_before=document.registered_on
    )
    effective_on = effective_on or rules.effective_default(published_on)
    if not isinstance(effective_on, dt.date):
        raise DomainError("施行日期无效", field="effective_on")
    problem = rules.effective_problem(published_on=published_on, effective_on=effective_on, reason=early_effect_reason)
    if problem:
        raise DomainError(problem, field="early_effect_reason" if effective_on >= published_on else "effective_on")
    years = validity_years if validity_years is not None else rules.validity_max(document.provisional)
    problem = rules.validity_problem(years=years, provisional=document.provisional)
    if problem:
        raise DomainError(problem, field="validity_years")
    document.published_on, document.effective_on = published_on, effective_on
    document.early_effect_reason = (
        (early_effect_reason or "").strip()[:300] if effective_on < rules.effective_default(published_on) else ""
    )
    document.validity_years = years
    document.valid_until = rules.valid_until(effective_on, years)
    document.stage, document.state = "published", "in_force"
    document.save()
    _portal_entry(
        kind="normative",
        obj=document,
        title=document.title,
        number=document.number,
        issuer=document.issuer.name,
        text=document.text,
        published_on=published_on,
        effective_on=effective_on,
        valid_until=document.valid_until,
        state="in_force",
    )
    _doc_note(
        document,
        by=by,
        action="published",
        label="向社会公布",
        comment=f"{published_on:%Y-%m-%d} 公布，{effective_on:%Y-%m-%d} 起施行，有效期至 {document.valid_until:%Y-%m-%d}",
        data={"citation": rules.NORMATIVE_PUBLISH_CITATION, "validity": rules.NORMATIVE_VALIDITY_POLICY},
    )
    due = rules.filing_due(published_on)
    item = item_open(
        kind=NORMATIVE_FILING.code,
        title=f"{document.title}（备案）",
        unit=document.issuer,
        by=by,
        start=published_on,
        deadline=due,
        deadline_source=rules.NORMATIVE_FILING_SOURCE[:200],
        action_unit=document.drafting_unit,
        url=_normative_url(document),
        comment=f"{document.number} 公布，{', '.join(dict(NormativeFiling.AUTHORITIES)[a] for a in rules.filing_targets(document.kind))}备案",
    )
    NormativeItem.objects.create(document=document, item=item, role="filing")
    for authority in rules.filing_targets(document.kind):
        label = dict(NormativeFiling.AUTHORITIES)[authority]
        NormativeFiling.objects.create(
            document=document,
            authority=authority,
            authority_name=_authority_name(document, authority),
            unit=document.issuer,
            year=published_on.year,
            due_on=due,
        )
        clock_open(
            item=item,
            name=f"filing_{authority}",
            label=f"报{label}备案",
            unit="calendar",
            length=rules.conf()["NORMATIVE_FILING_DAYS"],
            basis=rules.NORMATIVE_FILING_SOURCE[:200],
            start=published_on,
            by=by,
        )
    _log(by, "公布规范性文件", document, f"{document.number} {document.title}", ip)
    return document


def _authority_name(document: NormativeDocument, authority: str) -> str:
    issuer = document.issuer
    if authority == "gov":
        gov = issuer.parent if issuer.parent and issuer.parent.kind == "government" else None
        return gov.name if gov else "本级人民政府"
    if authority == "congress":
        return f"{issuer.division.name}人大常委会"
    upper = issuer.parent
    while upper is not None and upper.kind != "government":
        upper = upper.parent
    if upper is not None:
        return upper.name
    parent = issuer.division.parent
    return f"{parent.name}人民政府" if parent else "上一级人民政府"


@transaction.atomic
def normative_file(
    *,
    by,
    document: NormativeDocument,
    authority: str,
    filed_on: dt.date,
    proper: bool,
    receipt: str = "",
    note: str = "",
    files=(),
    ip=None,
    today=None,
) -> NormativeFiling:
    """报送备案 with one filing body: timely if by the deadline; 规范 if the materials were complete and in form."""
    today = _day(today)
    document = _normative_locked(document, by, "manage", "review")
    if document.stage != "published":
        raise DomainError("文件公布后才能报送备案", field="stage")
    filing = document.filings.select_for_update().filter(authority=authority).first()
    if filing is None:
        raise DomainError(f"备案机关“{authority}”无效", field="authority")
    if filing.filed_on:
        raise DomainError(f"已于 {filing.filed_on:%Y-%m-%d} 报{filing.get_authority_display()}备案", field="authority")
    filing.filed_on = _date(filed_on, "filed_on", "报备日期", not_after=today, not_before=document.published_on)
    if proper is None:
        raise DomainError("请注明报备材料是否齐全规范", field="proper")
    filing.proper = bool(proper)
    filing.receipt = _text(receipt, "receipt", "备案登记号或回执", max_len=100, required=False)
    filing.note = _text(note, "note", "说明", max_len=300, required=False)
    filing.save(update_fields=["filed_on", "proper", "receipt", "note"])
    item = selectors.normative_filing_item(document)
    late = filing.filed_on > filing.due_on
    _stop(item, f"filing_{authority}", on=filing.filed_on, by=by, basis=rules.NORMATIVE_FILING_SOURCE[:200])
    item_record(
        item=item,
        by=by,
        action="filed",
        label=f"报{filing.get_authority_display()}备案" + ("（逾期）" if late else ""),
        comment=f"{filing.authority_name}；{'材料齐全规范' if filing.proper else '材料不齐全或不规范'}"
        + (f"；{filing.receipt}" if filing.receipt else "")
        + (f"；{filing.note}" if filing.note else ""),
        attachments=attachments_store(files=files, by=by),
        data={"due_on": filing.due_on.isoformat(), "timely": not late, "proper": filing.proper},
    )
    if not document.filings.filter(filed_on__isnull=True).exists():
        last = max(document.filings.values_list("filed_on", flat=True))
        item_close(item=item, by=by, label="备案办结", closed_on=last)
    _log(by, "规范性文件报送备案", document, f"{document.number} → {filing.authority_name}", ip)
    return filing


def _repeal(document: NormativeDocument, *, by, on: dt.date, reason: str, label: str) -> None:
    document.state, document.repealed_on, document.repeal_reason = "repealed", on, reason
    document.save(update_fields=["state", "repealed_on", "repeal_reason"])
    PortalEntry.objects.filter(kind="normative", object_id=document.pk).update(state="repealed")
    _doc_note(document, by=by, action="repealed", label=label, comment=reason, data={"repealed_on": on.isoformat()})


@transaction.atomic
def normative_repeal(
    *, by, document: NormativeDocument, reason: str, repealed_on: dt.date | None = None, ip=None, today=None
) -> NormativeDocument:
    today = _day(today)
    document = _normative_locked(document, by, "review")
    if document.stage != "published" or document.state != "in_force":
        raise DomainError("只能废止公布后仍然有效的文件", field="stage")
    reason = _text(reason, "reason", "废止理由", max_len=1000)
    on = _date(repealed_on or today, "repealed_on", "废止日期", not_after=today, not_before=document.published_on)
    _repeal(document, by=by, on=on, reason=reason, label="废止")
    _log(by, "废止规范性文件", document, f"{document.number}：{reason}", ip)
    return document


def normative_validity_scan(*, today: dt.date | None = None) -> dict:
    """The nightly job: a reminder to the drafting unit six months before a document's validity ends (configurable),
    and a document past its validity marked expired (the portal shows it at once either way)."""
    from fazhi.core.services import notify

    today = _day(today)
    reminded = expired = 0
    # Every document whose reminder may be due (a few days wider than the window, for short months; the rule decides).
    horizon = rules.months_before(today, -rules.conf()["EXPIRY_REMINDER_MONTHS"]) + dt.timedelta(days=4)
    due = NormativeDocument.objects.filter(
        stage="published",
        state="in_force",
        expiry_reminded_on__isnull=True,
        valid_until__gte=today,
        valid_until__lte=horizon,
    ).select_related("drafting_unit")
    for document in due:
        if not rules.expiry_reminder_due(valid_until=document.valid_until, today=today):
            continue
        with transaction.atomic():
            locked = NormativeDocument.objects.select_for_update().get(pk=document.pk)
            if locked.expiry_reminded_on:
                continue
            locked.expiry_reminded_on = today
            locked.save(update_fields=["expiry_reminded_on"])
            notify(
                recipients=_unit_users(document.drafting_unit, "normative.manage"),
                title=f"【规范性文件到期提醒】{document.number}《{document.title}》将于 {document.valid_until:%Y-%m-%d} 有效期届满",
                body=f"请在有效期届满前评估，决定继续施行、修改或废止（{rules.NORMATIVE_VALIDITY_POLICY}）",
                url=_normative_url(document),
                level="yellow",
                dedup_key=f"normative-expiry:{document.pk}:{document.valid_until:%Y%m%d}",
            )
            _doc_note(
                locked,
                by=None,
                action="expiry_reminder",
                label="有效期届满提醒",
                comment=f"有效期至 {document.valid_until:%Y-%m-%d}",
                data={"policy": rules.NORMATIVE_VALIDITY_POLICY},
            )
            reminded += 1
    for document in NormativeDocument.objects.filter(stage="published", state="in_force", valid_until__lt=today):
        with transaction.atomic():
            locked = NormativeDocument.objects.select_for_update().get(pk=document.pk)
            if locked.state != "in_force":
                continue
            locked.state = "expired"
            locked.save(update_fields=["state"])
            PortalEntry.objects.filter(kind="normative", object_id=locked.pk).update(state="expired")
            _doc_note(
                locked,
                by=None,
                action="expired",
                label="有效期届满失效",
                comment=f"有效期至 {locked.valid_until:%Y-%m-%d}",
                data={"policy": rules.NORMATIVE_VALIDITY_POLICY},
            )
            expired += 1
    return {"reminded": reminded, "expired": expired}


# ---------------------------------------------------------------- cleanups


@transaction.atomic
def cleanup_create(
    *, by, title: str, organiser: Unit, year: int, basis: str = "", ip=None, today=None
) -> CleanupCampaign:
    today = _day(today)
    if not isinstance(organiser, Unit):
        raise DomainError("请选择组织单位", field="organiser")
    if by is not None and not perms.keeps(by, "normative.review", organiser):
        raise Forbidden()
    if not isinstance(year, int) or not today.year - 1 <= year <= today.year + 1:
        raise DomainError("清理年度无效", field="year")
    campaign = CleanupCampaign.objects.create(
        title=_text(title, "title", "清理名称", max_len=200),
        organiser=organiser,
        year=year,
        basis=_text(basis, "basis", "清理依据", max_len=200, required=False),
        created_by=by,
    )
    _log(by, "组织规范性文件清理", campaign, campaign.title, ip)
    return campaign


def _campaign_locked(campaign: CleanupCampaign, by) -> CleanupCampaign:
    campaign = CleanupCampaign.objects.select_for_update().select_related("organiser").get(pk=campaign.pk)
    if by is not None and not perms.keeps(by, "normative.review", campaign.organiser):
        raise Forbidden()
    if campaign.status != "open":
        raise DomainError("清理结果已公布", field="status")
    return campaign


@transaction.atomic
def cleanup_add_documents(*, by, campaign: CleanupCampaign, ip=None) -> int:
    """Every document in force of the organiser's jurisdiction goes into the campaign."""
    campaign = _campaign_locked(campaign, by)
    candidates = list(selectors.cleanup_candidates(campaign=campaign).values_list("pk", flat=True))
    CleanupEntry.objects.bulk_create([CleanupEntry(campaign=campaign, document_id=pk) for pk in candidates])
    return len(candidates)


@transaction.atomic
def cleanup_decide(*, by, campaign: CleanupCampaign, entry: CleanupEntry, result: str, reason: str, ip=None):
    entry = (
        CleanupEntry.objects.select_for_update(of=("self",))
        .select_related("campaign", "campaign__organiser", "document", "document__drafting_unit")
        .filter(pk=getattr(entry, "pk", None), campaign=campaign)
        .first()
    )
    if entry is None:
        raise DomainError("该文件不在本次清理中", field="entry")
    if entry.campaign.status != "open":
        raise DomainError("清理结果已公布", field="status")
    if by is not None and "decide" not in perms.cleanup_entry_actions(user=by, obj=entry):
        raise Forbidden()
    entry.result = _choice(result, CleanupEntry.RESULTS, "result", "清理结果")
    entry.reason = _text(reason, "reason", "理由", max_len=1000)
    entry.decided_by, entry.decided_at = by, timezone.now()
    entry.save(update_fields=["result", "reason", "decided_by", "decided_at"])
    return entry


@transaction.atomic
def cleanup_publish(*, by, campaign: CleanupCampaign, ip=None, today=None) -> CleanupCampaign:
    """清理结果向社会公布: a repealed document is repealed from that day (and shows so on the portal); one to be
    amended is marked."""
    today = _day(today)
    campaign = _campaign_locked(campaign, by)
    if not campaign.entries.exists():
        raise DomainError("清理中尚无文件", field="entries")
    undecided = campaign.entries.filter(result="").count()
    if undecided:
        raise DomainError(f"尚有 {undecided} 件文件未作出清理结论", field="entries")
    campaign.status, campaign.published_on = "published", today
    campaign.save(update_fields=["status", "published_on"])
    for entry in campaign.entries.select_related("document"):
        document = NormativeDocument.objects.select_for_update().get(pk=entry.document_id)
        label = f"清理结论：{entry.get_result_display()}"
        if entry.result == "repeal" and document.state == "in_force":
            _repeal(document, by=by, on=today, reason=f"{campaign.title}：{entry.reason}", label=label)
            continue
        if entry.result == "amend":
            document.amend_note = f"{campaign.title}：{entry.reason}"
            document.save(update_fields=["amend_note"])
        _doc_note(
            document,
            by=by,
            action="cleanup",
            label=label,
            comment=entry.reason,
            data={"campaign": campaign.title, "citation": rules.NORMATIVE_CLEANUP_CITATION},
        )
    _log(by, "公布规范性文件清理结果", campaign, campaign.title, ip)
    return campaign


# ---------------------------------------------------------------- incidental review (附带审查)


def _incidental_url(review: IncidentalReview) -> str:
    return reverse("rulemaking:incidental_detail", args=[review.pk])


@transaction.atomic
def incidental_review_receive(
    *,
    reconsideration_label: str,
    received_on: dt.date,
    requested_by_unit: Unit,
    by=None,
    document: NormativeDocument | None = None,
    document_ref: str = "",
    clauses: str = "",
    maker_unit: Unit | None = None,
    reconsideration_url: str = "",
    suspended_on: dt.date | None = None,
    path: str = "",
    source_review_id: int | None = None,
    ip=None,
    today=None,
) -> IncidentalReview:
    """A request for incidental review of a normative document made in a reconsideration (《行政复议法》第十三条)
    reaches the reconsideration body (`requested_by_unit`, which handles it). The disputes app's signal calls this
    with `by=None`; staff may also register one by hand. Opens the 30-day handling clock (第五十六条), or the 60-day
    reply clock when it comes forwarded by another body (第六十条). `suspended_on`, the day the reconsideration was
    suspended for it, starts the 3-day notice to the maker (第五十八条); without it the day of receipt does."""
    today = _day(today)
    if not isinstance(requested_by_unit, Unit):
        raise DomainError("请选择处理机关", field="requested_by_unit")
    if by is not None and not perms.keeps(by, "normative.review", requested_by_unit):
        raise Forbidden()
    if document is not None:
        document_ref = f"{document.title}（{document.number}）" if document.number else document.title
        maker_unit = document.issuer
    document_ref = _text(document_ref, "document_ref", "规范性文件名称、文号", max_len=300)
    received_on = _date(received_on, "received_on", "收到日期", not_after=today)
    if suspended_on is not None:
        _date(suspended_on, "suspended_on", "行政复议中止日期", not_after=today, not_before=received_on)
    _choice(path, IncidentalReview.PATHS, "path", "处理方式")
    review = IncidentalReview.objects.create(
        document=document,
        document_ref=document_ref,
        clauses=_text(clauses, "clauses", "申请审查的条款", max_len=300, required=False),
        maker_unit=maker_unit,
        unit=requested_by_unit,
        reconsideration_label=_text(reconsideration_label, "reconsideration_label", "行政复议案件", max_len=200),
        reconsideration_url=_text(
            reconsideration_url, "reconsideration_url", "复议案件链接", max_len=300, required=False
        ),
        received_on=received_on,
        suspended_on=suspended_on,
        source_review_id=source_review_id,
    )
    item = item_open(
        kind=INCIDENTAL_REVIEW.code,
        title=f"附带审查：{document_ref}"[:200],
        unit=requested_by_unit,
        by=by,
        start=received_on,
        deadline=received_on,
        deadline_source=rules.INCIDENTAL_HANDLE_SOURCE,
        url=_incidental_url(review),
        comment=f"{review.reconsideration_label}：申请对{document_ref}{('（' + review.clauses + '）') if review.clauses else ''}附带审查",
    )
    review.item = item
    review.save(update_fields=["item"])
    if path == "forwarded_in":
        review.path = path
        review.save(update_fields=["path"])
        _incidental_clock(item, "reply", by=by, start=received_on)
    else:
        _incidental_clock(item, "handle", by=by, start=received_on)
        if path:
            _route(review, path, by=by)
    item_record(
        item=item,
        by=by,
        action="received",
        label="收到附带审查申请",
        status="review",
        data={"citation": rules.INCIDENTAL_APPLICATION_CITATION},
    )
    if document is not None:
        _doc_note(
            document,
            by=by,
            action="incidental_review",
            label="收到附带审查申请",
            comment=f"{review.reconsideration_label}{('：' + review.clauses) if review.clauses else ''}",
        )
    _log(by, "登记规范性文件附带审查", review, document_ref, ip)
    return review


def incidental_review_from_reconsideration(
    sender=None,
    *,
    review_id: int,
    document_title: str,
    document_number: str,
    articles: str,
    reconsideration_id: int,
    started_on: dt.date,
    competent: bool = True,
    **kwargs,
) -> IncidentalReview:
    """The disputes app's `normative_review_requested`: a 附带审查 recorded in a reconsideration reaches the body that
    keeps the normative documents, which owns it from then on — its handling, its clocks and its result (told back
    through `rulemaking.signals.incidental_review_concluded`). The document is matched by its number when it is one
    of ours; the review is received on the day the reconsideration recorded it and routed as the body decided there
    (handle it, or forward it when it has no power, 第五十六条)."""
    from django.urls import reverse

    from fazhi.disputes.selectors import normative_review_for_rulemaking

    review = normative_review_for_rulemaking(pk=review_id).first()
    if review is None:
        raise DomainError("附带审查记录不存在", field="review_id")
    rc = review.reconsideration
    document = NormativeDocument.objects.filter(number=document_number).first() if document_number else None
    return incidental_review_receive(
        reconsideration_label=f"行政复议案件 {rc.tracking_code}",
        reconsideration_url=reverse("disputes:reconsideration_detail", args=[reconsideration_id]),
        received_on=started_on,
        requested_by_unit=rc.body_unit,
        by=None,
        document=document,
        document_ref=""
        if document
        else f"{document_title}（{document_number}）"
        if document_number
        else document_title,
        clauses=articles,
        suspended_on=started_on,
        path="handle" if competent else "forward",
        source_review_id=review_id,
        today=max(started_on, timezone.localdate()),
    )


def _tell_reconsideration(review: IncidentalReview, *, by) -> None:
    if review.source_review_id is None:
        return
    from fazhi.rulemaking.signals import incidental_review_concluded

    incidental_review_concluded.send(
        sender=IncidentalReview,
        source_review_id=review.source_review_id,
        conclusion=review.conclusion,
        text=review.conclusion_text,
        on=review.concluded_on,
        forwarded_to=review.forwarded_to,
        by=by,
    )


INCIDENTAL_CLOCKS = {
    "handle": ("附带审查处理", "calendar", rules.INCIDENTAL_HANDLE_DAYS, rules.INCIDENTAL_HANDLE_SOURCE),
    "notice": ("书面通知制定机关", "working", rules.INCIDENTAL_NOTICE_WORKING_DAYS, rules.INCIDENTAL_NOTICE_SOURCE),
    "answer": ("制定机关书面答复", "working", rules.INCIDENTAL_ANSWER_WORKING_DAYS, rules.INCIDENTAL_ANSWER_SOURCE),
    "forward": ("转送有权机关", "working", rules.INCIDENTAL_FORWARD_WORKING_DAYS, rules.INCIDENTAL_FORWARD_SOURCE),
    "reply": ("接受转送机关回复", "calendar", rules.INCIDENTAL_REPLY_DAYS, rules.INCIDENTAL_REPLY_SOURCE),
}


def _incidental_clock(item: TrackedItem, name: str, *, by, start: dt.date) -> None:
    label, unit, length, basis = INCIDENTAL_CLOCKS[name]
    clock_open(item=item, name=name, label=label, unit=unit, length=length, basis=basis[:200], start=start, by=by)


def _incidental_locked(review: IncidentalReview, by, *roles: str) -> IncidentalReview:
    review = (
        IncidentalReview.objects.select_for_update(of=("self",))
        .select_related("document", "maker_unit", "unit", "item")
        .get(pk=review.pk)
    )
    if by is not None and not (perms.incidental_roles(user=by, obj=review) & set(roles)):
        raise Forbidden()
    if review.status == "concluded":
        raise DomainError("附带审查已处理完毕", field="status")
    return review


def _route(review: IncidentalReview, path: str, *, by) -> None:
    review.path = path
    review.save(update_fields=["path"])
    if path == "handle":
        _incidental_clock(review.item, "notice", by=by, start=review.suspended_on or review.received_on)
    elif path == "forward":
        _stop(
            review.item,
            "handle",
            on=review.received_on,
            by=by,
            basis=rules.INCIDENTAL_FORWARD_SOURCE,
            reason="本机关无权处理，依法转送",
        )
        _incidental_clock(review.item, "forward", by=by, start=review.received_on)
    else:
        _stop(
            review.item,
            "handle",
            on=review.received_on,
            by=by,
            basis=rules.INCIDENTAL_REPLY_SOURCE,
            reason="接受转送处理",
        )
        _incidental_clock(review.item, "reply", by=by, start=review.received_on)


@transaction.atomic
def incidental_route(*, by, review: IncidentalReview, path: str, ip=None) -> IncidentalReview:
    review = _incidental_locked(review, by, "handle")
    if review.path:
        raise DomainError(f"处理方式已确定为“{review.get_path_display()}”", field="path")
    if path not in ("handle", "forward", "forwarded_in"):
        raise DomainError("请选择处理方式", field="path")
    _route(review, path, by=by)
    item_record(
        item=review.item,
        by=by,
        action="routed",
        label=f"确定处理方式：{review.get_path_display()}",
        data={"citation": rules.INCIDENTAL_HANDLE_SOURCE},
    )
    return review


@transaction.atomic
def incidental_notify(
    *, by, review: IncidentalReview, notified_on: dt.date, files=(), ip=None, today=None
) -> IncidentalReview:
    """书面通知制定机关 within 3 working days; the maker's 10-working-day answer clock starts (第五十八条)."""
    today = _day(today)
    review = _incidental_locked(review, by, "handle")
    if review.path != "handle" or review.status != "received":
        raise DomainError("当前不能通知制定机关", field="status")
    review.notified_on = _date(notified_on, "notified_on", "通知日期", not_after=today, not_before=review.received_on)
    review.status = "notified"
    review.save(update_fields=["notified_on", "status"])
    _stop(review.item, "notice", on=review.notified_on, by=by, basis=rules.INCIDENTAL_NOTICE_SOURCE[:200])
    _incidental_clock(review.item, "answer", by=by, start=review.notified_on)
    item_record(
        item=review.item,
        by=by,
        action="notified",
        label="书面通知制定机关答复",
        comment=f"通知{review.maker_unit or '制定机关'}自收到之日起十日内提交书面答复",
        attachments=attachments_store(files=files, by=by),
        status="open",
        action_unit=review.maker_unit or review.unit,
        data={"citation": rules.INCIDENTAL_NOTICE_SOURCE},
    )
    if review.maker_unit is not None:
        from fazhi.core.services import notify

        notify(
            recipients=_unit_users(review.maker_unit, "normative.manage"),
            title=f"【附带审查】请就{review.document_ref}的相关条款提交书面答复",
            body=rules.INCIDENTAL_ANSWER_SOURCE,
            url=_incidental_url(review),
            level="yellow",
            dedup_key=f"incidental-notice:{review.pk}",
        )
    return review


@transaction.atomic
def incidental_answer(
    *, by, review: IncidentalReview, answer: str, answered_on: dt.date, files=(), ip=None, today=None
) -> IncidentalReview:
    today = _day(today)
    review = _incidental_locked(review, by, "maker", "handle")
    if review.status != "notified":
        raise DomainError("尚未通知制定机关答复", field="status")
    review.maker_answer = _text(answer, "answer", "书面答复")
    review.maker_answered_on = _date(
        answered_on, "answered_on", "答复日期", not_after=today, not_before=review.notified_on
    )
    review.status = "answered"
    review.save(update_fields=["maker_answer", "maker_answered_on", "status"])
    _stop(review.item, "answer", on=review.maker_answered_on, by=by, basis=rules.INCIDENTAL_ANSWER_SOURCE[:200])
    item_record(
        item=review.item,
        by=by,
        action="answered",
        label="制定机关书面答复",
        comment=review.maker_answer,
        attachments=attachments_store(files=files, by=by),
        status="review",
        action_unit=review.unit,
        data={"citation": rules.INCIDENTAL_ANSWER_SOURCE},
    )
    return review


@transaction.atomic
def incidental_conclude(
    *,
    by,
    review: IncidentalReview,
    conclusion: str,
    text: str,
    concluded_on: dt.date | None = None,
    files=(),
    ip=None,
    today=None,
) -> IncidentalReview:
    """处理 (第五十九条): lawful — told in the reconsideration decision; unlawful — the clauses stop being executed
    and the maker is ordered to correct them (the document shows it)."""
    today = _day(today)
    review = _incidental_locked(review, by, "handle")
    if review.path not in ("handle", "forwarded_in"):
        raise DomainError("当前不能作出处理结论", field="status")
    if review.path == "handle" and review.status == "received":
        raise DomainError(f"须先书面通知制定机关答复——{rules.INCIDENTAL_NOTICE_SOURCE}", field="status")
    review.conclusion = _choice(conclusion, IncidentalReview.CONCLUSIONS, "conclusion", "处理结论")
    review.conclusion_text = _text(text, "text", "处理意见")
    review.concluded_on = _date(
        concluded_on or today, "concluded_on", "处理日期", not_after=today, not_before=review.received_on
    )
    review.status = "concluded"
    review.save(update_fields=["conclusion", "conclusion_text", "concluded_on", "status"])
    item_record(
        item=review.item,
        by=by,
        action="concluded",
        label=f"附带审查结论：{review.get_conclusion_display()}",
        comment=review.conclusion_text,
        attachments=attachments_store(files=files, by=by),
        data={"citation": rules.INCIDENTAL_CONCLUSION_CITATION},
    )
    item_close(item=review.item, by=by, label="附带审查办结", closed_on=review.concluded_on)
    _tell_reconsideration(review, by=by)
    if review.conclusion == "unlawful" and review.document is not None:
        document = NormativeDocument.objects.select_for_update().get(pk=review.document_id)
        document.suspended_clauses = (review.clauses or "相关条款") + f"（{review.concluded_on:%Y-%m-%d} 起停止执行）"
        document.save(update_fields=["suspended_clauses"])
        _doc_note(
            document,
            by=by,
            action="clauses_suspended",
            label="附带审查：决定停止条款执行并责令纠正",
            comment=f"{review.reconsideration_label}：{review.conclusion_text}",
            data={"citation": rules.INCIDENTAL_CONCLUSION_CITATION},
        )
    _log(by, "作出附带审查结论", review, review.get_conclusion_display(), ip)
    return review


@transaction.atomic
def incidental_forward(
    *, by, review: IncidentalReview, forwarded_to: str, forwarded_on: dt.date, files=(), ip=None, today=None
) -> IncidentalReview:
    today = _day(today)
    review = _incidental_locked(review, by, "handle")
    if review.path != "forward" or review.status != "received":
        raise DomainError("当前不能转送", field="status")
    review.forwarded_to = _text(forwarded_to, "forwarded_to", "转送机关", max_len=100)
    review.forwarded_on = _date(
        forwarded_on, "forwarded_on", "转送日期", not_after=today, not_before=review.received_on
    )
    review.status = "forwarded"
    review.save(update_fields=["forwarded_to", "forwarded_on", "status"])
    _stop(review.item, "forward", on=review.forwarded_on, by=by, basis=rules.INCIDENTAL_FORWARD_SOURCE[:200])
    _incidental_clock(review.item, "reply", by=by, start=review.forwarded_on)
    item_record(
        item=review.item,
        by=by,
        action="forwarded",
        label="转送有权处理的机关",
        comment=review.forwarded_to,
        attachments=attachments_store(files=files, by=by),
        data={"citation": rules.INCIDENTAL_FORWARD_SOURCE},
    )
    return review


@transaction.atomic
def incidental_reply(
    *,
    by,
    review: IncidentalReview,
    conclusion: str,
    text: str,
    replied_on: dt.date,
    files=(),
    ip=None,
    today=None,
) -> IncidentalReview:
    """The receiving body's reply to a forwarded request (第六十条) closes it here."""
    today = _day(today)
    review = _incidental_locked(review, by, "handle")
    if review.path != "forward" or review.status != "forwarded":
        raise DomainError("尚未转送，不能登记回复", field="status")
    review.conclusion = _choice(conclusion, IncidentalReview.CONCLUSIONS, "conclusion", "处理结论")
    review.conclusion_text = _text(text, "text", "回复的处理意见")
    review.concluded_on = _date(replied_on, "replied_on", "回复日期", not_after=today, not_before=review.forwarded_on)
    review.status = "concluded"
    review.save(update_fields=["conclusion", "conclusion_text", "concluded_on", "status"])
    item_record(
        item=review.item,
        by=by,
        action="reply",
        label=f"收到处理意见回复：{review.get_conclusion_display()}",
        comment=review.conclusion_text,
        attachments=attachments_store(files=files, by=by),
        data={"citation": rules.INCIDENTAL_REPLY_SOURCE},
    )
    item_close(item=review.item, by=by, label="附带审查办结", closed_on=review.concluded_on)
    _tell_reconsideration(review, by=by)
    return review
