"""Every write of 专项监督与责任追究. One transaction each; each state change is an event on the SM3 timeline of the
object's TrackedItem (fazhi.tracking.services), in the same transaction. Documents go through fazhi.documents
(a number is taken only when a document is issued, inside the issuing transaction).

Every service checks the user's right first (403), then the input and the state (a DomainError naming the field,
nothing written), then the object's predicate (permissions.py) again. `by=None` is the system.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.masking import mask_name, party_display
from fazhi.core.models import Unit, User
from fazhi.core.normalize import clean_text, parse_date
from fazhi.core.scope import has_permission
from fazhi.documents.gongwen import Gongwen, gongwen_docx
from fazhi.documents.services import document_store, number_take
from fazhi.supervision.accountability import rules
from fazhi.supervision.accountability.models import (
    AccountabilityOfficer,
    AccountabilityProposal,
    AccountabilityRecord,
    AccountabilitySanction,
    Investigation,
    InvestigationReferral,
    InvestigationStep,
    ReferralFollowUp,
    TypicalCase,
)
from fazhi.supervision.accountability.permissions import (
    investigation_actions,
    proposal_actions,
    record_actions,
    referral_actions,
    typical_case_actions,
)
from fazhi.supervision.accountability.tracking_kinds import INVESTIGATION, PROPOSAL, RECORD, TYPICAL
from fazhi.supervision.links import link_label, link_resolve
from fazhi.supervision.signals import wrong_case_found
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.services import item_annotate, item_change_deadline, item_close, item_open, item_record

MAX_FILES = 10
INVESTIGATION_KINDS = ("case", "complaint")  # what an investigation is opened on (supervision.links)


# ---------------------------------------------------------------- helpers


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _require(by, *codes: str) -> None:
    """The user holds one of the codes (the system, `by` None, always does)."""
    if by is not None and not any(has_permission(by, code) for code in codes):
        raise Forbidden()


def _require_action(by, actions: set[str], action: str) -> None:
    """The object's predicate offers the step; checked after the state messages."""
    if by is not None and action not in actions:
        raise Forbidden()


def _refusal(problems: list[DomainError]) -> DomainError:
    """One error carrying every problem (the form shows each beside its field); its own field is the first's."""
    if len(problems) == 1:
        return problems[0]
    first = problems[0]
    return DomainError(
        first.message, field=first.field, errors=[{"field": p.field, "message": p.message} for p in problems]
    )


class _Problems(list):
    """Collects every problem of an input before refusing, so one submit shows them all."""

    def add(self, field: str, message: str) -> None:
        self.append(DomainError(message, field=field))

    def check(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            self.append(exc)
            return None

    def raise_any(self) -> None:
        if self:
            raise _refusal(list(self))


def _text(value, *, field: str, label: str, minimum: int, maximum: int = rules.TEXT_MAX, problems: _Problems) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if len(clean_text(text)) < minimum:
        problems.add(field, f"请填写{label}（至少 {minimum} 个字）")
    elif len(text) > maximum:
        problems.add(field, f"{label}不能超过 {maximum} 字（当前 {len(text)} 字）")
    return text


def _short(value, *, field: str, label: str, maximum: int, problems: _Problems, required: bool = True) -> str:
    text = clean_text(value)
    if required and not text:
        problems.add(field, f"请填写{label}")
    elif len(text) > maximum:
        problems.add(field, f"{label}不能超过 {maximum} 字")
    return text


def _date(value, *, field: str, label: str, earliest: dt.date | None, today: dt.date, problems: _Problems):
    """A date of something done: given, not after today, not before the record began."""
    if value in (None, ""):
        problems.add(field, f"请填写{label}")
        return None
    day = problems.check(parse_date, value, field=field, label=label)
    if day is None:
        return None
    if day > today:
        problems.add(field, f"{label}不能晚于今天")
    elif earliest is not None and day < earliest:
        problems.add(field, f"{label}不能早于{earliest:%Y年%m月%d日}")
    return day


def _choice(value, choices, *, field: str, label: str, problems: _Problems) -> str:
    value = clean_text(value)
    codes = dict(choices)
    if value in codes:
        return value
    by_label = {lab: code for code, lab in choices}
    if value in by_label:
        return by_label[value]
    problems.add(field, f"请选择{label}" if not value else f"{label}“{value}”无效，应为：{'、'.join(codes.values())}")
    return ""


def _files(files, *, problems: _Problems) -> list:
    files = list(files or [])
    if len(files) > MAX_FILES:
        problems.add("attachments", f"附件最多 {MAX_FILES} 个")
    return files


def _supervising_unit(by, unit: Unit) -> Unit:
    """The Justice Bureau that answers for the work: the user's own unit, or for the system the unit's
    supervising unit (the jurisdiction's Justice Bureau)."""
    if by is not None and by.unit_id:
        return by.unit
    return unit.supervising_unit or Unit.objects.filter(kind="justice").order_by("path").first() or unit


def _event(item: TrackedItem, *, by, action: str, label: str, comment: str = "", data=None, attachments=()) -> None:
    """A step on the object's item; after the item closed, an annotation on its timeline."""
    if item.status == "closed":
        item_annotate(item=item, by=by, action=action, label=label, comment=comment, data=data, attachments=attachments)
    else:
        item_record(item=item, by=by, action=action, label=label, comment=comment, data=data, attachments=attachments)


def _issue(
    *,
    by,
    issuer: Unit,
    item: TrackedItem,
    object_kind: str,
    object_id: int,
    doc_type: str,
    prefix_setting: str | None,
    title: str,
    recipients: str,
    body: list,
    day: dt.date,
):
    """Generate a document (GB/T 9704), take its number when it has one (inside this transaction: a rollback
    gives the number back), store it and put it on the item's timeline. Returns (document, number text)."""
    number = ""
    if prefix_setting:
        number = number_take(
            unit=issuer,
            doc_type=doc_type,
            year=day.year,
            by=by,
            prefix=rules.setting(prefix_setting),
            today=day,
        ).text
    content = gongwen_docx(
        Gongwen(
            title=title,
            issuer_mark=issuer.name,
            number=number,
            recipients=recipients,
            body=body,
            signature=issuer.name,
            date=day,
        )
    )
    document = document_store(
        by=by,
        item=item,
        title=doc_type,
        number=number,
        content=content,
        filename=f"{doc_type}.docx",
        object_kind=object_kind,
        object_id=object_id,
    )
    return document, number


def _set_url(item: TrackedItem, url: str) -> None:
    """The item is made before its object (which points to it); its link to the object's page follows."""
    item.url = url
    TrackedItem.objects.filter(pk=item.pk).update(url=url)


def _names(users) -> str:
    return "、".join(u.display_name for u in users)


# ---------------------------------------------------------------- investigations


def _lock_investigation(investigation: Investigation) -> Investigation:
    return Investigation.objects.select_for_update().select_related("unit", "item").get(pk=investigation.pk)


def _investigators(ids, *, problems: _Problems) -> list[User]:
    try:
        wanted = sorted({int(i) for i in ids or []})
    except (TypeError, ValueError):
        problems.add("investigators", "调查人员无效")
        return []
    users = list(User.objects.filter(pk__in=wanted, is_active=True).select_related("unit"))
    if len(users) != len(wanted):
        problems.add("investigators", "调查人员不存在或已停用")
        return []
    refused = [u.display_name for u in users if not has_permission(u, "investigation.join")]
    if refused:
        problems.add("investigators", f"{'、'.join(refused)}不是执法监督人员或特邀监督员，不能参加调查")
    elif len(users) < rules.INVESTIGATORS_MIN:
        problems.add(
            "investigators",
            f"调查人员不得少于 {rules.INVESTIGATORS_MIN} 人（{rules.INVESTIGATORS_CITATION}）",
        )
    return users


@transaction.atomic
def investigation_open(
    *,
    by,
    basis_kind: str,
    basis_id,
    title: str,
    reason: str,
    investigators,
    unit: Unit | None = None,
    today: dt.date | None = None,
    ip=None,
) -> Investigation:
    """专项监督调查立项 on a case, a complaint or a clue (supervision.links, resolved in the user's scope); the
    investigated unit is the record's (or, for a complaint not yet assigned, the one chosen)."""
    _require(by, "investigation.manage")
    _require_action(by, investigation_actions(user=by, obj=None) if by else set(), "create")
    today = _today(today)
    problems = _Problems()
    link = None
    if basis_kind not in INVESTIGATION_KINDS:
        problems.add("basis_kind", "请选择关联对象类型：行政处罚案件或投诉举报（问题线索）")
    else:
        link = problems.check(link_resolve, user=by, kind=basis_kind, pk=basis_id, field="basis")
    title = _short(title, field="title", label="调查事项", maximum=150, problems=problems)
    if title and len(title) < 4:
        problems.add("title", "调查事项至少 4 个字")
    reason = _text(reason, field="reason", label="调查事由", minimum=10, problems=problems)
    team = _investigators(investigators, problems=problems)
    subject = None
    if link is not None and link.unit_id:
        subject = Unit.objects.get(pk=link.unit_id)
        if unit is not None and unit.pk != subject.pk:
            problems.add("unit", f"被调查单位应为关联记录的责任单位“{subject.name}”")
    elif link is not None:
        subject = unit
        if subject is None:
            problems.add("unit", "关联记录尚无承办单位，请选择被调查单位")
    if subject is not None and (not subject.is_active or subject.kind not in ("agency", "township")):
        problems.add("unit", f"“{subject.name}”不是执法单位，不能作为被调查单位")
    problems.raise_any()

    opened_unit = _supervising_unit(by, subject)
    item = item_open(
        kind=INVESTIGATION.code,
        title=f"专项监督调查：{title}"[:200],
        unit=opened_unit,
        by=by,
        start=today,
        limit_kind="calendar",
        limit_days=rules.investigation_days(),
        deadline_source=rules.investigation_source(),
        comment=f"关联：{link.label}\n被调查单位：{subject.name}\n调查人员：{_names(team)}\n调查事由：{reason}",
    )
    investigation = Investigation.objects.create(
        basis_kind=basis_kind,
        basis_id=link.id,
        basis_label=link.label[:200],
        case_id=link.id if basis_kind == "case" else None,
        unit=subject,
        title=title,
        reason=reason,
        status="open",
        opened_on=today,
        opened_by=by if getattr(by, "pk", None) else None,
        opened_unit=opened_unit,
        item=item,
    )
    investigation.investigators.set(team)
    _set_url(item, reverse("supervision:accountability:investigation_detail", args=[investigation.pk]))
    log_operation(user=by, action="专项监督调查立项", obj=investigation, summary=f"{title} {subject.name}", ip=ip)
    return investigation


def _step(
    *, by, investigation, kind: str, kinds, action: str, done_on, text: str, files, today, ip
) -> InvestigationStep:
    today = _today(today)
    investigation = _lock_investigation(investigation)
    problems = _Problems()
    if not rules.investigation_may_step(status=investigation.status):
        raise DomainError("调查已作出结论，不能再记录", field="status")
    kind = _choice(kind, kinds, field="kind", label="调查方式", problems=problems)
    done_on = _date(
        done_on, field="done_on", label="日期", earliest=investigation.opened_on, today=today, problems=problems
    )
    text = _text(text, field="text", label="情况记录", minimum=5, problems=problems)
    files = _files(files, problems=problems)
    problems.raise_any()
    _require_action(by, investigation_actions(user=by, obj=investigation) if by else set(), action)
    attachments = attachments_store(files=files, by=by)
    step = InvestigationStep.objects.create(
        investigation=investigation,
        kind=kind,
        done_on=done_on,
        text=text,
        by=by if getattr(by, "pk", None) else None,
        unit=by.unit if by is not None and by.unit_id else None,
    )
    if attachments:
        step.attachments.set(attachments)
    label = dict(rules.STEP_KIND_CHOICES)[kind]
    item_record(
        item=investigation.item,
        by=by,
        action="statement" if kind == rules.STATEMENT[0] else "step",
        label=label,
        comment=f"{done_on:%Y-%m-%d} {text}",
        data={"kind": kind, "done_on": done_on.isoformat(), "step": step.pk},
        attachments=attachments,
    )
    log_operation(user=by, action=f"专项调查：{label}", obj=investigation, summary=text[:200], ip=ip)
    return step


@transaction.atomic
def investigation_step_record(
    *, by, investigation: Investigation, kind: str, done_on, text: str, files=(), today=None, ip=None
) -> InvestigationStep:
    """A step of the investigation (调阅案卷, 询问, 现场核查 …) with its text and materials; by a supervisor or a
    member of the investigation team."""
    _require(by, "investigation.manage", "investigation.join")
    return _step(
        by=by,
        investigation=investigation,
        kind=kind,
        kinds=rules.STEP_KINDS,
        action="step",
        done_on=done_on,
        text=text,
        files=files,
        today=today,
        ip=ip,
    )


@transaction.atomic
def investigation_statement(
    *, by, investigation: Investigation, text: str, files=(), today=None, ip=None
) -> InvestigationStep:
    """The investigated unit's own 说明 (with its materials), while the investigation is open."""
    _require(by, "accountability.respond")
    return _step(
        by=by,
        investigation=investigation,
        kind=rules.STATEMENT[0],
        kinds=[rules.STATEMENT],
        action="statement",
        done_on=_today(today),
        text=text,
        files=files,
        today=today,
        ip=ip,
    )


@transaction.atomic
def investigation_notice_issue(*, by, investigation: Investigation, today=None, ip=None):
    """签发调查通知书 to the investigated unit: a number of the Justice Bureau's register, taken now."""
    _require(by, "investigation.manage")
    today = _today(today)
    investigation = _lock_investigation(investigation)
    if investigation.status != "open":
        raise DomainError("调查已作出结论，不能再签发调查通知书", field="status")
    if investigation.notice_number:
        raise DomainError(f"调查通知书已签发（{investigation.notice_number}）", field="status")
    _require_action(by, investigation_actions(user=by, obj=investigation) if by else set(), "notice")
    team = list(investigation.investigators.all())
    document, number = _issue(
        by=by,
        issuer=investigation.opened_unit,
        item=investigation.item,
        object_kind="investigation",
        object_id=investigation.pk,
        doc_type="专项监督调查通知书",
        prefix_setting="NOTICE_PREFIX",
        title=f"关于对{investigation.title}开展专项监督调查的通知",
        recipients=f"{investigation.unit.name}：",
        body=[
            f"根据{rules.REGULATION}第二十一条、第二十五条的规定，我局决定对{investigation.basis_label}"
            f"开展专项监督调查。现将有关事项通知如下：",
            "一、调查事由",
            investigation.reason,
            "二、调查人员",
            f"{_names(team)}。调查人员执行公务时不少于两人，并出示行政执法监督证件（{rules.INVESTIGATORS_CITATION}）。",
            "三、配合事项",
            f"请你单位按照{rules.STEP_CITATION}的规定，提供相关行政执法案卷和材料，安排有关人员接受询问，"
            f"如实说明情况。调查期限至{investigation.item.deadline:%Y年%m月%d日}。",
        ],
        day=today,
    )
    investigation.notice_number, investigation.notice_on = number, today
    investigation.save(update_fields=["notice_number", "notice_on"])
    log_operation(user=by, action="签发调查通知书", obj=investigation, summary=number, ip=ip)
    return document


@transaction.atomic
def investigation_extend(*, by, investigation: Investigation, days, reason: str, today=None, ip=None) -> Investigation:
    """Extend the investigation's period once, within the local maximum, with the reason on the timeline."""
    _require(by, "investigation.manage")
    investigation = _lock_investigation(investigation)
    if investigation.status != "open":
        raise DomainError("调查已作出结论，不能延长期限", field="status")
    if investigation.extended_days:
        raise DomainError("调查期限只能延长一次", field="days")
    problems = _Problems()
    limit = int(rules.setting("INVESTIGATION_EXTENSION_MAX_DAYS"))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= limit:
        problems.add("days", f"延长天数应为 1 至 {limit} 日（本地规定）")
    reason = _text(reason, field="reason", label="延长理由", minimum=4, maximum=500, problems=problems)
    problems.raise_any()
    _require_action(by, investigation_actions(user=by, obj=investigation) if by else set(), "extend")
    item_change_deadline(
        item=investigation.item,
        by=by,
        deadline=investigation.item.deadline + dt.timedelta(days=days),
        reason=f"延长{days}日：{reason}",
    )
    investigation.extended_days = days
    investigation.save(update_fields=["extended_days"])
    log_operation(user=by, action="延长专项调查期限", obj=investigation, summary=f"{days}日 {reason}", ip=ip)
    return investigation


@transaction.atomic
def investigation_conclude(
    *,
    by,
    investigation: Investigation,
    conclusion: str,
    findings: str,
    measures: str = "",
    propose: bool = False,
    today=None,
    ip=None,
) -> Investigation:
    """调查结论 (问题属实 / 部分属实 / 不属实) with the findings and measures: the investigation's item closes, the
    调查报告 is generated, and a conclusion that found the problem may propose accountability (wrong_case_found,
    source_kind "investigation")."""
    _require(by, "investigation.manage")
    today = _today(today)
    investigation = _lock_investigation(investigation)
    if investigation.status != "open":
        raise DomainError("调查已作出结论", field="status")
    steps = investigation.steps.exclude(kind=rules.STATEMENT[0]).count()
    problems = _Problems()
    if not rules.investigation_may_conclude(status=investigation.status, steps=steps):
        problems.add("conclusion", "尚未记录任何调查步骤，不能作出结论")
    conclusion = _choice(conclusion, rules.CONCLUSIONS, field="conclusion", label="调查结论", problems=problems)
    findings = _text(findings, field="findings", label="查明的事实", minimum=10, problems=problems)
    found = conclusion in rules.FINDING_CONCLUSIONS
    if found:
        measures = _text(measures, field="measures", label="处理措施和建议", minimum=4, problems=problems)
    else:
        measures = (measures or "").strip()[: rules.TEXT_MAX]
    if propose and conclusion and not found:
        problems.add("propose", "调查结论为“不属实”的，不提出追责建议")
    problems.raise_any()
    _require_action(by, investigation_actions(user=by, obj=investigation) if by else set(), "conclude")
    investigation.status, investigation.conclusion = "concluded", conclusion
    investigation.findings, investigation.measures, investigation.concluded_on = findings, measures, today
    investigation.save(update_fields=["status", "conclusion", "findings", "measures", "concluded_on"])
    label = dict(rules.CONCLUSIONS)[conclusion]
    steps_text = [
        f"（{n}）{s.done_on:%Y年%m月%d日}，{s.get_kind_display()}：{s.text}"
        for n, s in enumerate(investigation.steps.order_by("done_on", "id"), start=1)
    ]
    _issue(
        by=by,
        issuer=investigation.opened_unit,
        item=investigation.item,
        object_kind="investigation",
        object_id=investigation.pk,
        doc_type="专项监督调查报告",
        prefix_setting=None,
        title=f"关于{investigation.title}的专项监督调查报告",
        recipients="",
        body=[
            "一、调查事由",
            f"{investigation.basis_label}。{investigation.reason}",
            "二、调查经过",
            *steps_text,
            "三、调查结论",
            f"{label}。{findings}",
            "四、处理措施和建议",
            measures or "无。",
        ],
        day=today,
    )
    item_close(item=investigation.item, by=by, label="作出调查结论", comment=f"{label}：{findings}", closed_on=today)
    log_operation(
        user=by, action="专项调查作出结论", obj=investigation, summary=f"{label} {investigation.title}", ip=ip
    )
    if propose:
        wrong_case_found.send(
            sender=Investigation,
            source_kind="investigation",
            source_id=investigation.pk,
            source_label=f"专项监督调查：{investigation.title}（{label}）"[:200],
            source_url=reverse("supervision:accountability:investigation_detail", args=[investigation.pk]),
            unit_id=investigation.unit_id,
            case_id=investigation.case_id,
            reason=findings,
            by=by,
            today=today,
        )
    return investigation


@transaction.atomic
def investigation_refer(
    *, by, investigation: Investigation, organ: str, reason: str, referred_on=None, today=None, ip=None
) -> InvestigationReferral:
    """移送纪检监察: the organ, the reason and the date, with a 移送函 of the Justice Bureau's register."""
    _require(by, "investigation.manage")
    today = _today(today)
    investigation = _lock_investigation(investigation)
    if not rules.investigation_may_refer(status=investigation.status, conclusion=investigation.conclusion):
        raise DomainError("调查结论为“不属实”，不能移送纪检监察", field="status")
    problems = _Problems()
    organ = _short(organ, field="organ", label="移送机关（如：示例市纪委监委）", maximum=100, problems=problems)
    reason = _text(reason, field="reason", label="移送理由", minimum=10, problems=problems)
    referred_on = _date(
        referred_on or today,
        field="referred_on",
        label="移送日期",
        earliest=investigation.opened_on,
        today=today,
        problems=problems,
    )
    problems.raise_any()
    _require_action(by, investigation_actions(user=by, obj=investigation) if by else set(), "refer")
    _, number = _issue(
        by=by,
        issuer=investigation.opened_unit,
        item=investigation.item,
        object_kind="investigation",
        object_id=investigation.pk,
        doc_type="问题线索移送函",
        prefix_setting="REFERRAL_PREFIX",
        title=f"关于移送{investigation.unit.name}有关问题线索的函",
        recipients=f"{organ}：",
        body=[
            f"我局在对{investigation.basis_label}开展专项监督调查中，发现有关公职人员涉嫌违纪违法的问题线索。"
            f"根据{rules.REFERRAL_CITATION}的规定，现将有关问题线索移送你单位依法处理。",
            "一、移送理由",
            reason,
            "二、有关材料",
            "专项监督调查有关材料另附。请将处理结果反馈我局。",
        ],
        day=referred_on,
    )
    referral = InvestigationReferral.objects.create(
        investigation=investigation,
        organ=organ,
        reason=reason,
        referred_on=referred_on,
        letter_number=number,
        by=by if getattr(by, "pk", None) else None,
    )
    _event(
        investigation.item,
        by=by,
        action="referral",
        label="移送纪检监察",
        comment=f"{organ}（{number}）：{reason}",
        data={"referral": referral.pk, "organ": organ, "referred_on": referred_on.isoformat()},
    )
    log_operation(user=by, action="移送纪检监察", obj=investigation, summary=f"{organ} {number}", ip=ip)
    return referral


@transaction.atomic
def referral_follow_up(
    *, by, referral: InvestigationReferral, text: str, result: str = "", on=None, today=None, ip=None
) -> InvestigationReferral:
    """A follow-up of a referral; with the organ's result the referral is done (no more follow-ups)."""
    _require(by, "investigation.manage")
    today = _today(today)
    referral = (
        InvestigationReferral.objects.select_for_update().select_related("investigation__item").get(pk=referral.pk)
    )
    if referral.status != "pending":
        raise DomainError("纪检监察机关已反馈处理结果，跟踪已结束", field="status")
    problems = _Problems()
    text = _text(text, field="text", label="跟踪情况", minimum=4, problems=problems)
    result = (result or "").strip()
    if result and len(clean_text(result)) < 4:
        problems.add("result", "处理结果至少 4 个字")
    on = _date(on or today, field="on", label="跟踪日期", earliest=referral.referred_on, today=today, problems=problems)
    problems.raise_any()
    _require_action(by, referral_actions(user=by, obj=referral) if by else set(), "follow_up")
    ReferralFollowUp.objects.create(referral=referral, on=on, text=text, by=by if getattr(by, "pk", None) else None)
    if result:
        referral.status, referral.result, referral.result_on = "resulted", result[: rules.TEXT_MAX], on
        referral.save(update_fields=["status", "result", "result_on"])
    _event(
        referral.investigation.item,
        by=by,
        action="referral_result" if result else "referral_follow_up",
        label="纪检监察机关反馈处理结果" if result else "跟踪移送情况",
        comment=f"{referral.organ}：{text}" + (f"\n处理结果：{result}" if result else ""),
        data={"referral": referral.pk, "on": on.isoformat()},
    )
    log_operation(user=by, action="跟踪移送纪检监察", obj=referral.investigation, summary=text[:200], ip=ip)
    return referral


# ---------------------------------------------------------------- proposals (wrong_case_found)


def proposal_receive(
    sender=None,
    *,
    source_kind,
    source_id,
    unit_id,
    source_label: str = "",
    source_url: str = "",
    case_id=None,
    reason: str = "",
    by=None,
    today=None,
    **kwargs,
) -> AccountabilityProposal:
    """The receiver of `supervision.signals.wrong_case_found`: a proposal of accountability, one per sender record
    (the same source sent twice is the first proposal). Runs in the sender's transaction: a refusal here rolls the
    sender back. The sender needs nothing of this area — only the signal's keyword arguments."""
    problems = _Problems()
    kind = clean_text(source_kind)
    if not kind or len(kind) > 40 or not kind.replace("_", "").isalnum():
        problems.add("source_kind", f"来源类型“{source_kind}”无效")
    try:
        source_id = int(source_id)
    except (TypeError, ValueError):
        problems.add("source_id", f"来源编号“{source_id}”无效")
    unit = Unit.objects.filter(pk=unit_id).first() if str(unit_id or "").isdigit() else None
    if unit is None:
        problems.add("unit_id", f"责任单位（id={unit_id}）不存在")
    if case_id is not None and not str(case_id).isdigit():
        problems.add("case_id", f"案件编号“{case_id}”无效")
    reason = (reason or "").strip()
    if len(clean_text(reason)) < 2:
        problems.add("reason", "请说明认定错误的理由")
    problems.raise_any()
    existing = AccountabilityProposal.objects.filter(source_kind=kind, source_id=source_id).first()
    if existing is not None:
        return existing
    today = _today(today)
    label = (clean_text(source_label) or f"{kind} #{source_id}")[:200]
    try:
        with transaction.atomic():
            item = item_open(
                kind=PROPOSAL.code,
                title=f"追责建议：{label}"[:200],
                unit=_supervising_unit(None, unit),
                by=by,
                start=today,
                limit_kind="calendar",
                limit_days=rules.proposal_days(),
                deadline_source=rules.proposal_source(),
                comment=f"责任单位：{unit.name}\n理由：{reason}",
            )
            proposal = AccountabilityProposal.objects.create(
                source_kind=kind,
                source_id=source_id,
                source_label=label,
                source_url=clean_text(source_url)[:300],
                unit=unit,
                case_id=int(case_id) if case_id is not None else None,
                reason=reason[: rules.TEXT_MAX],
                proposed_on=today,
                proposed_by=by if getattr(by, "pk", None) else None,
                item=item,
            )
    except IntegrityError:
        # The same source proposed concurrently: the other transaction's proposal is the one.
        existing = AccountabilityProposal.objects.filter(source_kind=kind, source_id=source_id).first()
        if existing is None:
            raise
        return existing
    _set_url(item, reverse("supervision:accountability:proposal_detail", args=[proposal.pk]))
    log_operation(user=by, action="提出追责建议", obj=proposal, summary=label)
    return proposal


def _lock_proposal(proposal: AccountabilityProposal) -> AccountabilityProposal:
    return AccountabilityProposal.objects.select_for_update().select_related("unit", "item").get(pk=proposal.pk)


@transaction.atomic
def proposal_dismiss(*, by, proposal: AccountabilityProposal, reason: str, ip=None) -> AccountabilityProposal:
    """不予追责, with the reason on the proposal's timeline."""
    _require(by, "accountability.manage")
    proposal = _lock_proposal(proposal)
    if proposal.status != "pending":
        raise DomainError(f"该追责建议已{proposal.get_status_display()}", field="status")
    problems = _Problems()
    reason = _text(reason, field="reason", label="不予追责的理由", minimum=4, problems=problems)
    problems.raise_any()
    _require_action(by, proposal_actions(user=by, obj=proposal) if by else set(), "dismiss")
    proposal.status, proposal.dismiss_reason = "dismissed", reason
    proposal.handled_by, proposal.handled_at = (by if getattr(by, "pk", None) else None), timezone.now()
    proposal.save(update_fields=["status", "dismiss_reason", "handled_by", "handled_at"])
    item_close(item=proposal.item, by=by, label="不予追责", comment=reason)
    log_operation(user=by, action="追责建议不予追责", obj=proposal, summary=reason[:200], ip=ip)
    return proposal


# ---------------------------------------------------------------- accountability records


def _officers(by, ids, *, unit: Unit, problems: _Problems) -> list:
    """Registry officers of the unit's enforcement body (read through the registry's scoped selector)."""
    from fazhi.registry.models import Officer
    from fazhi.registry.selectors import officer_list

    try:
        wanted = list(dict.fromkeys(int(i) for i in ids or []))
    except (TypeError, ValueError):
        problems.add("officers", "责任人员无效")
        return []
    if not wanted:
        problems.add("officers", "请选择至少一名责任人员")
        return []
    qs = officer_list(user=by, active=None) if by is not None else Officer.objects.all()
    found = {o.pk: o for o in qs.filter(pk__in=wanted).select_related("agency__unit")}
    if len(found) != len(wanted):
        problems.add("officers", "责任人员不存在或不在您的管理范围内")
        return []
    others = [o.name for o in found.values() if o.agency.unit_id != unit.pk]
    if others:
        problems.add("officers", f"{'、'.join(others)}不是{unit.name}的执法人员")
    return [found[i] for i in wanted]


@transaction.atomic
def record_open(
    *,
    by,
    officers,
    reason: str,
    proposal: AccountabilityProposal | None = None,
    case_id=None,
    today=None,
    ip=None,
) -> AccountabilityRecord:
    """错案责任追究立案: from a proposal, or directly for a penalty case; the answerable officers are the registry
    officers of the case's enforcement body (the form prefills the case's handlers)."""
    _require(by, "accountability.manage")
    _require_action(by, record_actions(user=by, obj=None) if by else set(), "create")
    today = _today(today)
    problems = _Problems()
    if proposal is not None:
        proposal = _lock_proposal(proposal)
        if proposal.status != "pending":
            raise DomainError(f"该追责建议已{proposal.get_status_display()}", field="proposal")
        unit, case_id = proposal.unit, proposal.case_id
        source_kind, source_label = proposal.source_kind, proposal.source_label
    else:
        if case_id in (None, ""):
            raise DomainError("请填写行政处罚案件的案号或编号", field="case_id")
        link = problems.check(link_resolve, user=by, kind="case", pk=case_id, field="case")
        problems.raise_any()
        unit, case_id = Unit.objects.get(pk=link.unit_id), link.id
        source_kind, source_label = "direct", "直接立案"
    chosen = _officers(by, officers, unit=unit, problems=problems)
    reason = _text(reason, field="reason", label="追责事由", minimum=10, problems=problems)
    if case_id and AccountabilityRecord.objects.filter(case_id=case_id, status="open").exists():
        problems.add("case_id", "该案件已有正在办理的责任追究记录")
    problems.raise_any()
    if proposal is not None:
        _require_action(by, proposal_actions(user=by, obj=proposal) if by else set(), "open")
    case_label = ""
    if case_id:
        linked = link_label(user=by, kind="case", pk=case_id)
        case_label = linked.label if linked else f"行政处罚案件（id={case_id}）"
    item = item_open(
        kind=RECORD.code,
        title=f"错案责任追究：{case_label or source_label}"[:200],
        unit=_supervising_unit(by, unit),
        by=by,
        start=today,
        limit_kind="calendar",
        limit_days=rules.record_days(),
        deadline_source=rules.record_source(),
        comment=f"责任单位：{unit.name}\n责任人员：{'、'.join(o.name for o in chosen)}\n追责事由：{reason}",
    )
    record = AccountabilityRecord.objects.create(
        proposal=proposal,
        source_kind=source_kind,
        source_label=source_label[:200],
        unit=unit,
        case_id=case_id,
        case_label=case_label[:200],
        reason=reason,
        opened_on=today,
        opened_by=by if getattr(by, "pk", None) else None,
        item=item,
    )
    AccountabilityOfficer.objects.bulk_create([AccountabilityOfficer(record=record, officer=o) for o in chosen])
    _set_url(item, reverse("supervision:accountability:record_detail", args=[record.pk]))
    if proposal is not None:
        proposal.status = "opened"
        proposal.handled_by, proposal.handled_at = (by if getattr(by, "pk", None) else None), timezone.now()
        proposal.save(update_fields=["status", "handled_by", "handled_at"])
        item_close(item=proposal.item, by=by, label="立案追责", comment=f"追责记录 {record.pk}：{reason}")
    log_operation(user=by, action="错案责任追究立案", obj=record, summary=f"{unit.name} {case_label}", ip=ip)
    return record


def _lock_record(record: AccountabilityRecord) -> AccountabilityRecord:
    return AccountabilityRecord.objects.select_for_update().select_related("unit", "item").get(pk=record.pk)


@transaction.atomic
def record_notice_issue(*, by, record: AccountabilityRecord, today=None, ip=None):
    """责任追究建议书 to the answerable unit (the Justice Bureau's number, taken now)."""
    _require(by, "accountability.manage")
    today = _today(today)
    record = _lock_record(record)
    if record.status != "open":
        raise DomainError("已作出追责决定，不能再签发建议书", field="status")
    if record.notice_number:
        raise DomainError(f"责任追究建议书已签发（{record.notice_number}）", field="status")
    _require_action(by, record_actions(user=by, obj=record) if by else set(), "notice")
    names = "、".join(e.officer.name for e in record.officers.select_related("officer"))
    document, number = _issue(
        by=by,
        issuer=_supervising_unit(by, record.unit),
        item=record.item,
        object_kind="accountability_record",
        object_id=record.pk,
        doc_type="行政执法过错责任追究建议书",
        prefix_setting="RECORD_NOTICE_PREFIX",
        title=f"关于对{record.case_label or record.source_label}有关人员追究责任的建议书",
        recipients=f"{record.unit.name}：",
        body=[
            "一、追责事由",
            record.reason,
            "二、涉及人员",
            f"{names}。",
            "三、有关要求",
            "请你单位依照本地行政执法过错责任追究规定，查明有关人员的过错，区分故意、重大过失和一般过失，"
            f"依法作出处理；符合尽职免责情形的，写明情形和理由（{rules.EXEMPTION_CITATION}）。"
            f"处理结果请于{record.item.deadline:%Y年%m月%d日}前报送我局。",
        ],
        day=today,
    )
    record.notice_number = number
    record.save(update_fields=["notice_number"])
    log_operation(user=by, action="签发责任追究建议书", obj=record, summary=number, ip=ip)
    return document


@transaction.atomic
def record_statement(*, by, record: AccountabilityRecord, text: str, files=(), today=None, ip=None) -> None:
    """The answerable unit's 说明 (陈述、申辩 of its officers) while the record is open, on its timeline."""
    _require(by, "accountability.respond")
    record = _lock_record(record)
    if record.status != "open":
        raise DomainError("已作出追责决定，不能再提交说明", field="status")
    problems = _Problems()
    text = _text(text, field="text", label="说明", minimum=5, problems=problems)
    files = _files(files, problems=problems)
    problems.raise_any()
    _require_action(by, record_actions(user=by, obj=record) if by else set(), "statement")
    attachments = attachments_store(files=files, by=by)
    item_record(
        item=record.item, by=by, action="statement", label="责任单位说明", comment=text, attachments=attachments
    )
    log_operation(user=by, action="提交追责说明", obj=record, summary=text[:200], ip=ip)


def _outcome_value(outcome: dict, key: str, default=""):
    value = outcome.get(key, default)
    return default if value is None else value


@transaction.atomic
def record_decide(
    *,
    by,
    record: AccountabilityRecord,
    outcomes: list[dict],
    decision: str,
    decision_organ: str,
    decision_on,
    today=None,
    ip=None,
) -> AccountabilityRecord:
    """The decision on every answerable officer: the kind of fault and the responsibilities, or 尽职免责 with its
    ground and reason; the decision, its organ and its date. Each problem is reported on the officer's own field
    (`fault_<officer id>` …)."""
    _require(by, "accountability.manage")
    today = _today(today)
    record = _lock_record(record)
    if record.status != "open":
        raise DomainError("已作出追责决定", field="status")
    entries = list(record.officers.select_related("officer").order_by("id"))
    problems = _Problems()
    given = {}
    for outcome in outcomes or []:
        if not isinstance(outcome, dict):
            problems.add("outcomes", "每名人员的处理意见应为一组字段")
            continue
        try:
            given[int(outcome.get("officer"))] = outcome
        except (TypeError, ValueError):
            problems.add("outcomes", f"人员“{outcome.get('officer')}”无效")
    known = {e.officer_id for e in entries}
    strangers = set(given) - known
    if strangers:
        problems.add("outcomes", f"人员（id={'、'.join(map(str, sorted(strangers)))}）不是本记录的责任人员")
    decided = []
    for entry in entries:
        outcome = given.get(entry.officer_id)
        if outcome is None:
            problems.add(f"fault_{entry.officer_id}", f"请对{entry.officer.name}作出处理意见")
            continue
        exempt = bool(_outcome_value(outcome, "exempt", False))
        fault = clean_text(_outcome_value(outcome, "fault"))
        kinds = _outcome_value(outcome, "responsibilities", [])
        kinds = list(dict.fromkeys(clean_text(k) for k in (kinds if isinstance(kinds, list | tuple) else [kinds]) if k))
        ground = clean_text(_outcome_value(outcome, "exemption_ground"))
        why = str(_outcome_value(outcome, "exemption_reason")).strip()
        for f, message in rules.outcome_problems(
            exempt=exempt, fault=fault, responsibilities=kinds, ground=ground, reason=why
        ):
            problems.add(f"{f}_{entry.officer_id}", f"{entry.officer.name}：{message}")
        decided.append((entry, exempt, fault, kinds, ground, why))
    decision = _text(decision, field="decision", label="处理决定", minimum=4, problems=problems)
    decision_organ = _short(decision_organ, field="decision_organ", label="决定机关", maximum=100, problems=problems)
    decision_on = _date(
        decision_on, field="decision_on", label="决定日期", earliest=record.opened_on, today=today, problems=problems
    )
    problems.raise_any()
    _require_action(by, record_actions(user=by, obj=record) if by else set(), "decide")
    sanctions = []
    for entry, exempt, fault, kinds, ground, why in decided:
        entry.exempt, entry.fault, entry.decided = exempt, "" if exempt else fault, True
        entry.exemption_ground = ground if exempt else ""
        entry.exemption_reason = why if exempt else ""
        entry.save(update_fields=["exempt", "fault", "decided", "exemption_ground", "exemption_reason"])
        sanctions += [AccountabilitySanction(entry=entry, kind=k) for k in ([] if exempt else kinds)]
    AccountabilitySanction.objects.bulk_create(sanctions)
    record.status, record.decision, record.decision_organ, record.decision_on = (
        "decided",
        decision,
        decision_organ,
        decision_on,
    )
    record.save(update_fields=["status", "decision", "decision_organ", "decision_on"])
    kinds_label, grounds_label, faults_label = (
        dict(rules.RESPONSIBILITY_CHOICES),
        dict(rules.EXEMPTION_GROUNDS),
        dict(rules.FAULTS),
    )
    lines = [
        f"{entry.officer.name}：尽职免责（{grounds_label[ground]}）"
        if exempt
        else f"{entry.officer.name}：{faults_label[fault]}，{'、'.join(kinds_label[k] for k in kinds)}"
        for entry, exempt, fault, kinds, ground, _ in decided
    ]
    item_close(
        item=record.item,
        by=by,
        label="作出追责决定",
        comment=f"{decision_organ} {decision_on:%Y-%m-%d}：{decision}\n" + "\n".join(lines),
        closed_on=decision_on,
    )
    log_operation(user=by, action="登记追责决定", obj=record, summary="；".join(lines)[:300], ip=ip)
    return record


# ---------------------------------------------------------------- typical cases


def _typical_texts(*, title, summary, lesson, handling, problems: _Problems) -> dict:
    texts = {
        "title": _short(title, field="title", label="标题", maximum=100, problems=problems),
        "summary": _text(summary, field="summary", label="基本案情和存在问题", minimum=20, problems=problems),
        "lesson": _text(lesson, field="lesson", label="警示教训", minimum=10, problems=problems),
        "handling": _text(handling, field="handling", label="处理情况", minimum=10, problems=problems),
    }
    if texts["title"] and len(texts["title"]) < 4:
        problems.add("title", "标题至少 4 个字")
    return texts


@transaction.atomic
def typical_mark(
    *,
    by,
    title: str,
    summary: str,
    lesson: str,
    handling: str,
    case_id=None,
    record: AccountabilityRecord | None = None,
    today=None,
    ip=None,
) -> TypicalCase:
    """选为典型错案: a case (or an accountability record's case) with a summary written for the public. The party's
    name and the officers' names are read from the case now, for the masking at publication. A supervisor's own
    act (the system writes no public texts), so `by` is always a user."""
    if by is None:
        raise Forbidden("典型案例须由监督人员选定")
    _require(by, "accountability.manage")
    _require_action(by, typical_case_actions(user=by, obj=None), "create")
    from fazhi.cases.selectors import case_get, case_handlers

    today = _today(today)
    problems = _Problems()
    if record is not None:
        if not record.case_id:
            problems.add("record", "该追责记录未关联行政处罚案件，不能作为典型案例")
        case_id = record.case_id
    case = None
    if case_id:
        try:
            case = case_get(user=by, pk=case_id)
        except NotFound:
            problems.add("case_id", f"行政处罚案件（id={case_id}）不存在或无权查看")
    elif record is None:
        problems.add("case_id", "请填写行政处罚案件的案号或编号")
    if case is not None and TypicalCase.objects.filter(case_id=case.pk, status__in=("draft", "published")).exists():
        problems.add("case_id", "该案件已选为典型案例")
    texts = _typical_texts(title=title, summary=summary, lesson=lesson, handling=handling, problems=problems)
    problems.raise_any()
    names = [row.officer.name for row in case_handlers(case=case)]
    if record is not None:
        names += [e.officer.name for e in record.officers.select_related("officer")]
    unit = case.agency.unit
    item = item_open(
        kind=TYPICAL.code,
        title=f"典型案例：{texts['title']}"[:200],
        unit=_supervising_unit(by, unit),
        by=by,
        start=today,
        limit_kind="calendar",
        limit_days=rules.typical_publish_days(),
        deadline_source=rules.typical_source(),
        comment=f"案件：{case.number} {case.title}",
    )
    typical = TypicalCase.objects.create(
        case_id=case.pk,
        record=record,
        unit=unit,
        case_number=case.number[:60],
        case_label=f"{case.number} {case.title}"[:200],
        **texts,
        party_kind=case.party_kind,
        party_name=case.party_name,
        officer_names=list(dict.fromkeys(names)),
        marked_on=today,
        marked_by=by,
        item=item,
    )
    _set_url(item, reverse("supervision:accountability:typical_detail", args=[typical.pk]))
    log_operation(user=by, action="选定典型案例", obj=typical, summary=typical.case_label, ip=ip)
    return typical


def _lock_typical(typical: TypicalCase) -> TypicalCase:
    return TypicalCase.objects.select_for_update().select_related("unit", "item").get(pk=typical.pk)


@transaction.atomic
def typical_edit(*, by, typical: TypicalCase, title: str, summary: str, lesson: str, handling: str, ip=None):
    _require(by, "accountability.manage")
    typical = _lock_typical(typical)
    if not rules.typical_may_edit(status=typical.status):
        raise DomainError(f"典型案例{typical.get_status_display()}，不能修改", field="status")
    problems = _Problems()
    texts = _typical_texts(title=title, summary=summary, lesson=lesson, handling=handling, problems=problems)
    problems.raise_any()
    _require_action(by, typical_case_actions(user=by, obj=typical) if by else set(), "edit")
    changed = [label for f, label in rules.PUBLIC_FIELDS if getattr(typical, f) != texts[f]]
    for f, value in texts.items():
        setattr(typical, f, value)
    typical.save(update_fields=list(texts))
    if changed:
        item_record(item=typical.item, by=by, action="edited", label="修改通报内容", comment="、".join(changed))
    return typical


@transaction.atomic
def typical_publish(*, by, typical: TypicalCase, today=None, ip=None) -> TypicalCase:
    """Publish on the portal: refused while a text still holds the party's full name (where the masking policy
    hides it) or an ID number (field of that text, e.g. `summary`); otherwise a masked copy is taken — the party
    through core.masking, officers' names as 张某, phone and ID numbers masked — and only that copy is public."""
    _require(by, "accountability.manage")
    today = _today(today)
    typical = _lock_typical(typical)
    if not rules.typical_may_publish(status=typical.status):
        raise DomainError(f"典型案例{typical.get_status_display()}，不能发布", field="status")
    shown, _ = party_display(kind=typical.party_kind or "organisation", name=typical.party_name)
    hidden = shown != typical.party_name
    texts = {f: getattr(typical, f) for f, _ in rules.PUBLIC_FIELDS}
    problems = _Problems()
    for f, message in rules.publication_problems(texts=texts, party_name=typical.party_name, party_hidden=hidden):
        problems.add(f, message)
    problems.raise_any()
    _require_action(by, typical_case_actions(user=by, obj=typical) if by else set(), "publish")
    names = list(typical.officer_names) + ([typical.party_name] if hidden else [])
    typical.public_title = rules.mask_public_text(typical.title, names=names)[:200]
    typical.public_summary = rules.mask_public_text(typical.summary, names=names)
    typical.public_lesson = rules.mask_public_text(typical.lesson, names=names)
    typical.public_handling = rules.mask_public_text(typical.handling, names=names)
    typical.public_agency = typical.unit.name[:100]
    typical.public_case_number = typical.case_number[:100]
    typical.public_party = shown[:100]
    typical.public_officers = "、".join(mask_name(n) for n in typical.officer_names)[:300]
    typical.status, typical.published_on = "published", today
    typical.save()
    _issue(
        by=by,
        issuer=typical.item.unit,
        item=typical.item,
        object_kind="typical_case",
        object_id=typical.pk,
        doc_type="典型案例通报",
        prefix_setting="TYPICAL_PREFIX",
        title=f"关于{typical.public_title}的通报",
        recipients="各行政执法部门：",
        body=[
            f"现将{typical.public_agency}{typical.public_case_number}案作为典型案例通报如下。",
            "一、基本案情和存在问题",
            typical.public_summary,
            "二、处理情况",
            typical.public_handling,
            "三、警示教训",
            typical.public_lesson,
            "各单位要引以为戒，严格规范公正文明执法。",
        ],
        day=today,
    )
    item_close(item=typical.item, by=by, label="发布通报", comment=typical.public_title, closed_on=today)
    log_operation(user=by, action="发布典型案例通报", obj=typical, summary=typical.public_title, ip=ip)
    return typical


@transaction.atomic
def typical_withdraw(*, by, typical: TypicalCase, reason: str, today=None, ip=None) -> TypicalCase:
    """撤回: gone from the portal at once; the reason stays on the timeline."""
    _require(by, "accountability.manage")
    today = _today(today)
    typical = _lock_typical(typical)
    if not rules.typical_may_withdraw(status=typical.status):
        raise DomainError(f"典型案例{typical.get_status_display()}，不能撤回", field="status")
    problems = _Problems()
    reason = _text(reason, field="reason", label="撤回理由", minimum=4, maximum=500, problems=problems)
    problems.raise_any()
    _require_action(by, typical_case_actions(user=by, obj=typical) if by else set(), "withdraw")
    typical.status, typical.withdrawn_on, typical.withdraw_reason = "withdrawn", today, reason
    typical.save(update_fields=["status", "withdrawn_on", "withdraw_reason"])
    _event(typical.item, by=by, action="withdrawn", label="撤回通报", comment=reason)
    log_operation(user=by, action="撤回典型案例通报", obj=typical, summary=reason[:200], ip=ip)
    return typical
