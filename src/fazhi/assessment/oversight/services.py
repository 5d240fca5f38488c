"""Every write of 法治督察. One transaction each; each step of a rectification is an event on the SM3 timeline of its
tracked item (fazhi.tracking), in the same transaction.

Flow: campaign → problems (by hand or imported from Excel, all or nothing) each assigned to units with a deadline →
the unit's plan, progress reports and evidence → hand-in (申请销号) → the supervisor signs off (对账销号, evidence
required) or returns it. Problems link to the records they stem from; clues go to 纪检监察 with follow-up.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment.oversight import rules
from fazhi.assessment.oversight.models import (
    OversightAspect,
    OversightCampaign,
    OversightClue,
    OversightProblem,
    OversightProblemLink,
    OversightRectification,
    OversightReport,
)
from fazhi.assessment.oversight.permissions import campaign_actions, may_manage, rectification_actions
from fazhi.assessment.oversight.tracking_kinds import RECTIFICATION
from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Unit, User
from fazhi.core.normalize import clean_text
from fazhi.tracking.services import item_close, item_open, item_record

MANAGER_ACTIONS = {"signoff", "return", "link", "refer", "add_problem", "import", "close"}


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _line(value, *, field: str, label: str, required: bool = True, limit: int = rules.TITLE_MAX) -> str:
    text = clean_text(value or "")
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字", field=field)
    return text


def _text(value, *, field: str, label: str, required: bool = True, limit: int = rules.TEXT_MAX) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not clean_text(text):
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字（当前 {len(text)} 字）", field=field)
    return text


def _gate_campaign(by, campaign, action: str, message: str) -> None:
    if by is None:
        if campaign.status != "active":
            raise DomainError(message, field="status")
        return
    if action in campaign_actions(user=by, obj=campaign):
        return
    if not may_manage(by):
        raise Forbidden()
    raise DomainError(message, field="status")


def _gate(by, rect: OversightRectification, action: str, message: str, *, field: str = "status") -> None:
    """The predicate decides; a missing right is a refusal, another unit's rectification a DomainError on `unit`,
    a wrong state a DomainError. `by` None is the system (demo, imports from the command line)."""
    if by is None:
        allowed = {"link", "refer"}
        if rect.status in rules.SIGNABLE:
            allowed |= {"signoff", "return"}
        if rect.status in rules.UNIT_WORKABLE:
            allowed |= {"plan", "report", "submit"}
        if action not in allowed:
            raise DomainError(message, field=field)
        return
    if action in rectification_actions(user=by, obj=rect):
        return
    from fazhi.core.scope import has_permission

    if action in MANAGER_ACTIONS:
        if not may_manage(by):
            raise Forbidden()
        from fazhi.assessment.oversight.permissions import unit_in_scope

        if not unit_in_scope(by, rect.problem.campaign.lead_unit):
            raise Forbidden()
    else:
        if not has_permission(by, "oversight.rectify"):
            raise Forbidden()
        if by.unit_id != rect.unit_id:
            raise DomainError("该问题不是交办给本单位的", field="unit")
    raise DomainError(message, field=field)


def _lock(rect: OversightRectification) -> OversightRectification:
    return (
        OversightRectification.objects.select_for_update(of=("self",))
        .select_related("unit", "problem__campaign__lead_unit", "item")
        .get(pk=rect.pk)
    )


def _url(rect: OversightRectification) -> str:
    return reverse("assessment:oversight:problem_detail", args=[rect.pk])


# ---------------------------------------------------------------- campaigns


def _check_date(value, *, field: str, label: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(f"请填写{label}", field=field)
    return value


@transaction.atomic
def campaign_create(
    *,
    by: User | None,
    kind: str,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    units=(),
    scope: str = "",
    team: str = "",
    lead_unit: Unit | None = None,
    ip=None,
) -> OversightCampaign:
    if by is not None and "create" not in campaign_actions(user=by, obj=None):
        raise Forbidden()
    if kind not in rules.CAMPAIGN_KIND_LABELS:
        raise DomainError(f"督察方式“{kind}”无效，应为：{'、'.join(rules.CAMPAIGN_KIND_LABELS.values())}", field="kind")
    title = _line(title, field="title", label="督察名称")
    period_start = _check_date(period_start, field="period_start", label="督察开始日期")
    period_end = _check_date(period_end, field="period_end", label="督察结束日期")
    if period_end < period_start:
        raise DomainError("督察结束日期不能早于开始日期", field="period_end")
    lead = lead_unit or (by.unit if by is not None else None)
    if lead is None:
        raise DomainError("请指定督察单位", field="lead_unit")
    units = list(units or [])
    if not units:
        raise DomainError("请至少选择一个被督察单位", field="units")
    if by is not None:
        from fazhi.assessment.oversight.selectors import unit_choices

        allowed = set(unit_choices(user=by).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
        for u in units:
            if u.pk not in allowed:
                raise DomainError(f"被督察单位“{u.name}”不在本人管辖范围内或已停用", field="units")
    campaign = OversightCampaign.objects.create(
        kind=kind,
        title=title,
        scope=_text(scope, field="scope", label="督察范围与内容", required=False),
        team=_text(team, field="team", label="督察组成员", required=False, limit=1000),
        lead_unit=lead,
        period_start=period_start,
        period_end=period_end,
        created_by=by,
    )
    campaign.units.set(units)
    log_operation(user=by, action="新建法治督察", obj=campaign, summary=title, ip=ip)
    return campaign


@transaction.atomic
def campaign_close(*, by: User | None, campaign: OversightCampaign, ip=None) -> OversightCampaign:
    campaign = OversightCampaign.objects.select_for_update().get(pk=campaign.pk)
    _gate_campaign(by, campaign, "close", "督察已结束")
    campaign.status = "closed"
    campaign.save(update_fields=["status"])
    log_operation(user=by, action="结束法治督察", obj=campaign, summary=campaign.title, ip=ip)
    return campaign


def _resolve_units(*, campaign, units, field: str = "units") -> list[Unit]:
    """The units a problem is assigned to: each must be one the campaign covers."""
    units = [u for u in units or [] if u is not None]
    if not units:
        raise DomainError("请至少指定一个责任单位", field=field)
    covered = set(campaign.units.values_list("pk", flat=True))
    for u in units:
        if u.pk not in covered:
            raise DomainError(f"责任单位“{u.name}”不是本次督察的被督察单位", field=field)
    seen, out = set(), []
    for u in units:
        if u.pk not in seen:
            seen.add(u.pk)
            out.append(u)
    return out


@transaction.atomic
def problem_add(
    *,
    by: User | None,
    campaign: OversightCampaign,
    aspect: str,
    description: str,
    units,
    deadline: dt.date | None,
    requirement: str = "",
    bases=(),
    today: dt.date | None = None,
    ip=None,
) -> OversightProblem:
    """Add one problem under its aspect (created on first use) and assign it to its units, each a tracked item."""
    campaign = OversightCampaign.objects.select_for_update().select_related("lead_unit").get(pk=campaign.pk)
    _gate_campaign(by, campaign, "add_problem", "督察已结束，不能再交办问题")
    aspect_title = _line(aspect, field="aspect", label="问题方面")
    description = _text(description, field="description", label="问题描述")
    requirement = _text(requirement, field="requirement", label="整改要求", required=False)
    units = _resolve_units(campaign=campaign, units=units)
    start = _today(today)
    if deadline is not None and not isinstance(deadline, dt.date):
        raise DomainError("整改期限格式不正确", field="deadline")
    why = rules.deadline_problem(deadline=deadline, start=start)
    if why:
        raise DomainError(why, field="deadline")
    from fazhi.supervision.links import link_resolve

    resolved = []
    for kind, pk in bases or ():
        if kind in ("", None) and pk in ("", None):
            continue
        resolved.append(link_resolve(user=by, kind=kind, pk=pk, field="basis"))
    aspect_obj = OversightAspect.objects.filter(campaign=campaign, title=aspect_title).first()
    if aspect_obj is None:
        order = (campaign.aspects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        aspect_obj = OversightAspect.objects.create(campaign=campaign, order=order, title=aspect_title)
    order = (campaign.problems.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    problem = OversightProblem.objects.create(
        campaign=campaign, aspect=aspect_obj, order=order, description=description, requirement=requirement
    )
    for linked in resolved:
        OversightProblemLink.objects.get_or_create(
            problem=problem, kind=linked.kind, object_id=linked.id, defaults={"label": linked.label[:300]}
        )
    for unit in units:
        rect = OversightRectification.objects.create(problem=problem, unit=unit, deadline=deadline)
        rect.item = item_open(
            kind=RECTIFICATION.code,
            title=f"督察问题整改：{description[:80]}",
            unit=unit,
            by=by,
            start=start,
            deadline=deadline,
            deadline_source=rules.RECTIFICATION_SOURCE,
            url=_url(rect),
            comment=f"{campaign.title} · {aspect_title}",
        )
        rect.save(update_fields=["item"])
    log_operation(user=by, action="交办督察问题", obj=problem, summary=description[:100], ip=ip)
    return problem


# ---------------------------------------------------------------- the unit's side


@transaction.atomic
def rectification_plan(*, by: User | None, rectification: OversightRectification, plan: str, ip=None):
    rect = _lock(rectification)
    _gate(by, rect, "plan", "该问题已申请销号或已销号，不能修改整改方案")
    rect.plan = _text(plan, field="plan", label="整改方案")
    if rect.status == rules.ASSIGNED:
        rect.status = rules.IN_PROGRESS
    rect.save(update_fields=["plan", "status"])
    item_record(item=rect.item, by=by, action="plan", label="制定整改方案", comment=rect.plan)
    log_operation(user=by, action="填报督察整改方案", obj=rect, summary=str(rect.problem)[:100], ip=ip)
    return rect


@transaction.atomic
def rectification_report(
    *,
    by: User | None,
    rectification: OversightRectification,
    text: str,
    files=(),
    submit: bool = False,
    ip=None,
) -> OversightReport:
    """A progress report with evidence; with `submit` the unit hands the problem in for 对账销号."""
    rect = _lock(rectification)
    _gate(by, rect, "submit" if submit else "report", "该问题已申请销号或已销号，不能再填报")
    text = _text(text, field="text", label="整改进展")
    attachments = attachments_store(files=files, by=by)
    report = OversightReport.objects.create(rectification=rect, text=text, submitted=submit, by=by)
    report.attachments.set(attachments)
    if submit:
        rect.status = rules.SUBMITTED
        item_record(
            item=rect.item,
            by=by,
            action="submitted",
            label="申请销号",
            comment=text,
            attachments=attachments,
            status="review",
            action_unit=rect.problem.campaign.lead_unit,
        )
    else:
        if rect.status == rules.ASSIGNED:
            rect.status = rules.IN_PROGRESS
        item_record(
            item=rect.item, by=by, action="progress", label="报告整改进展", comment=text, attachments=attachments
        )
    rect.save(update_fields=["status"])
    log_operation(user=by, action="申请督察问题销号" if submit else "报告督察整改进展", obj=rect, ip=ip)
    return report


# ---------------------------------------------------------------- 对账销号


@transaction.atomic
def rectification_signoff(
    *,
    by: User | None,
    rectification: OversightRectification,
    comment: str = "",
    today: dt.date | None = None,
    ip=None,
) -> OversightRectification:
    """Sign the problem off for this unit. Evidence is required: a hand-in without any file cannot be signed off."""
    rect = _lock(rectification)
    _gate(by, rect, "signoff", "该问题尚未申请销号，不能销号")
    if not OversightReport.attachments.through.objects.filter(oversightreport__rectification=rect).exists():
        raise DomainError("没有整改佐证材料，不能对账销号：请退回责任单位补充佐证材料", field="evidence")
    comment = _text(comment, field="comment", label="销号意见", required=False, limit=1000)
    today = _today(today)
    rect.status, rect.signed_off_on, rect.signed_off_by, rect.signoff_comment = rules.SIGNED_OFF, today, by, comment
    rect.save(update_fields=["status", "signed_off_on", "signed_off_by", "signoff_comment"])
    item_close(item=rect.item, by=by, label="对账销号", comment=comment, closed_on=today)
    log_operation(user=by, action="督察问题对账销号", obj=rect, summary=str(rect.problem)[:100], ip=ip)
    return rect


@transaction.atomic
def rectification_return(*, by: User | None, rectification: OversightRectification, reason: str, ip=None):
    rect = _lock(rectification)
    _gate(by, rect, "return", "该问题尚未申请销号，不能退回")
    reason = _text(reason, field="reason", label="退回理由", limit=1000)
    rect.status, rect.returns = rules.RETURNED, rect.returns + 1
    rect.save(update_fields=["status", "returns"])
    item_record(
        item=rect.item,
        by=by,
        action="returned",
        label="退回重新整改",
        comment=reason,
        status="returned",
        action_unit=rect.unit,
    )
    log_operation(user=by, action="退回督察问题整改", obj=rect, summary=reason[:100], ip=ip)
    return rect


# ---------------------------------------------------------------- links and clues


@transaction.atomic
def problem_link_add(*, by: User | None, rectification: OversightRectification, kind: str, object_id, ip=None):
    """Link the problem to a record it stems from (a case, complaint, instrument…), inside the user's scope."""
    from fazhi.supervision.links import link_resolve

    rect = _lock(rectification)
    _gate(by, rect, "link", "不能关联记录")
    linked = link_resolve(user=by, kind=kind, pk=object_id, field="basis")
    link, created = OversightProblemLink.objects.get_or_create(
        problem=rect.problem, kind=linked.kind, object_id=linked.id, defaults={"label": linked.label[:300]}
    )
    if not created:
        raise DomainError("该记录已关联", field="basis_id")
    log_operation(user=by, action="督察问题关联记录", obj=rect.problem, summary=linked.label[:100], ip=ip)
    return link


@transaction.atomic
def clue_refer(
    *,
    by: User | None,
    rectification: OversightRectification,
    recipient: str,
    summary: str,
    referred_on: dt.date | None = None,
    today: dt.date | None = None,
    ip=None,
) -> OversightClue:
    rect = _lock(rectification)
    _gate(by, rect, "refer", "不能移送线索")
    today = _today(today)
    referred_on = referred_on or today
    if not isinstance(referred_on, dt.date):
        raise DomainError("移送日期格式不正确", field="referred_on")
    if referred_on > today:
        raise DomainError("移送日期不能晚于今天", field="referred_on")
    clue = OversightClue.objects.create(
        problem=rect.problem,
        recipient=_line(recipient, field="recipient", label="移送机关"),
        summary=_text(summary, field="summary", label="线索摘要"),
        referred_on=referred_on,
        by=by,
    )
    if rect.item_id:
        from fazhi.tracking.services import item_annotate

        item_annotate(item=rect.item, by=by, action="clue", label="移送问题线索", comment=f"移送{clue.recipient}")
    log_operation(user=by, action="移送督察问题线索", obj=clue, summary=clue.recipient, ip=ip)
    return clue


@transaction.atomic
def clue_feedback(
    *,
    by: User | None,
    clue: OversightClue,
    feedback: str,
    feedback_on: dt.date | None = None,
    close: bool = False,
    today: dt.date | None = None,
    ip=None,
) -> OversightClue:
    clue = OversightClue.objects.select_for_update().select_related("problem__campaign__lead_unit").get(pk=clue.pk)
    if by is not None:
        from fazhi.assessment.oversight.permissions import unit_in_scope

        if not (may_manage(by) and unit_in_scope(by, clue.problem.campaign.lead_unit)):
            raise Forbidden()
    if clue.status == "closed":
        raise DomainError("线索已办结", field="status")
    today = _today(today)
    feedback_on = feedback_on or today
    if feedback_on < clue.referred_on:
        raise DomainError("反馈日期不能早于移送日期", field="feedback_on")
    clue.feedback = _text(feedback, field="feedback", label="办理反馈")
    clue.feedback_on, clue.status = feedback_on, "closed" if close else "feedback"
    clue.save(update_fields=["feedback", "feedback_on", "status"])
    log_operation(user=by, action="登记线索办理反馈", obj=clue, summary=clue.recipient, ip=ip)
    return clue
