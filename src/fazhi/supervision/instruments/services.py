"""Every write of 监督文书. One transaction each; each step of an issued instrument is an event on the SM3 timeline of
its tracked item (fazhi.tracking), in the same transaction.

Flow: draft (no number) → issue (number from the register, document in 公文 layout, tracked item with the reply
deadline, in-app notice and e-mail to the recipient) → acknowledge (签收) → reply with evidence → accept, or return
with reasons (the agency replies again). 约谈 also takes a 约谈记录; 通报 is published and needs no reply. An unheeded
意见书 is followed by a proposed 决定书 (periodic job); 执法风险预警提醒 proposals become draft 工作提示函.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core import clock
from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Unit, User
from fazhi.core.normalize import clean_text
from fazhi.core.scope import has_permission
from fazhi.core.services import notify
from fazhi.documents.gongwen import Gongwen, gongwen_docx
from fazhi.documents.services import document_store, number_take
from fazhi.supervision.instruments import rules, selectors
from fazhi.supervision.instruments.models import (
    Instrument,
    InstrumentBasis,
    InstrumentReply,
    InterviewRecord,
    RiskProposal,
)
from fazhi.supervision.instruments.permissions import instrument_actions, may_issue, risk_actions, unit_in_scope
from fazhi.supervision.instruments.tracking_kinds import INSTRUMENT
from fazhi.supervision.links import link_resolve
from fazhi.supervision.signals import wrong_case_found
from fazhi.tracking.services import item_annotate, item_close, item_open, item_record

ISSUER_ACTIONS = {"edit", "issue", "discard", "accept", "return", "record_interview"}
NOT_ADDRESSED = "该文书不是发给本单位的"


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _lock(instrument: Instrument) -> Instrument:
    return (
        Instrument.objects.select_for_update(of=("self",))
        .select_related("recipient", "issuing_unit", "item", "follows")
        .get(pk=instrument.pk)
    )


def _gate(by: User | None, inst: Instrument, action: str, message: str, *, field: str = "status") -> None:
    """The predicate decides; when it refuses, say why: a missing right or another unit's instrument is a refusal
    (403), a reply for a unit that is not the recipient a DomainError on `instrument`, a wrong state a DomainError.
    `by` None is the system (jobs, demo)."""
    if by is None:
        if action not in _system_actions(inst):
            raise DomainError(message, field=field)
        return
    if action in instrument_actions(user=by, obj=inst):
        return
    if action in ISSUER_ACTIONS:
        if not (may_issue(by) and unit_in_scope(by, inst.issuing_unit)):
            raise Forbidden()
    else:
        if not has_permission(by, "instrument.reply"):
            raise Forbidden()
        if by.unit_id is None or by.unit_id != inst.recipient_id:
            raise DomainError(NOT_ADDRESSED, field="instrument")
    raise DomainError(message, field=field)


def _system_actions(inst: Instrument) -> set[str]:
    """What the system itself may do: every step the state allows (the demo drives whole flows)."""
    actions = set()
    if inst.status == rules.DRAFT:
        actions |= {"edit", "issue", "discard"}
    recorded = inst.kind == rules.INTERVIEW and InterviewRecord.objects.filter(instrument_id=inst.pk).exists()
    if inst.status in rules.REVIEWABLE:
        actions.add("return")
        if inst.kind != rules.INTERVIEW or recorded:
            actions.add("accept")
    if inst.status in rules.ACKNOWLEDGEABLE:
        actions.add("acknowledge")
    if inst.status in rules.REPLYABLE and inst.needs_reply:
        actions.add("reply")
    if inst.kind == rules.INTERVIEW and inst.status in rules.INTERVIEW_RECORDABLE and not recorded:
        actions.add("record_interview")
    return actions


def _text(value, *, field: str, label: str, required: bool = True, limit: int = rules.TEXT_MAX) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not clean_text(text):
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字（当前 {len(text)} 字）", field=field)
    return text


def _line(value, *, field: str, label: str, required: bool = True, limit: int = rules.TITLE_MAX) -> str:
    text = clean_text(value)
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字", field=field)
    return text


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """A time given without a zone is local time (Asia/Shanghai)."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _url(inst: Instrument) -> str:
    return reverse("supervision:instruments:instrument_detail", args=[inst.pk])


def _email_later() -> None:
    """E-mail the new notices once the transaction commits (only when SMTP is configured), as tracking does."""
    if settings.FAZHI["EMAIL_ENABLED"]:
        from fazhi.tracking.reminders import email_pending

        transaction.on_commit(email_pending)


def _issuers_of(unit: Unit | None) -> list[User]:
    return selectors.unit_users_with(unit_ids=[unit.pk], permission="instrument.issue") if unit else []


# ---------------------------------------------------------------- drafts


def _clean_fields(
    *,
    by,
    kind: str,
    title,
    facts,
    requirements,
    recipient: Unit | None,
    decision_kind: str,
    interview_at,
    interview_place,
) -> dict:
    if kind not in rules.KIND_LABELS:
        raise DomainError(f"文书种类“{kind}”无效，应为：{'、'.join(rules.KIND_LABELS.values())}", field="kind")
    decision_kind = clean_text(decision_kind)
    if kind != rules.DECISION:
        decision_kind = ""
    elif decision_kind and decision_kind not in rules.DECISION_KIND_LABELS:
        raise DomainError(
            f"决定种类“{decision_kind}”无效，应为：{'、'.join(rules.DECISION_KIND_LABELS.values())}",
            field="decision_kind",
        )
    if recipient is None and kind != rules.BULLETIN:
        raise DomainError("请选择主送单位", field="recipient")
    if recipient is not None and by is not None:
        if not selectors.recipient_choices(user=by).filter(pk=recipient.pk).exists():
            raise DomainError(f"主送单位“{recipient.name}”不在本人管辖范围内或已停用", field="recipient")
    if interview_at is not None and not isinstance(interview_at, dt.datetime):
        raise DomainError("约谈时间格式不正确", field="interview_at")
    interview_at = _aware(interview_at)
    return {
        "kind": kind,
        "decision_kind": decision_kind,
        "title": _line(title, field="title", label="标题"),
        "facts": _text(facts, field="facts", label="基本事实"),
        "requirements": _text(
            requirements, field="requirements", label="监督意见与要求", required=kind != rules.BULLETIN
        ),
        "recipient": recipient,
        "interview_at": interview_at if kind == rules.INTERVIEW else None,
        "interview_place": _line(interview_place, field="interview_place", label="约谈地点", required=False)
        if kind == rules.INTERVIEW
        else "",
    }


def _resolve_bases(*, by, bases) -> list:
    """Each (kind, id) through supervision.links inside the user's scope; a bad one is a DomainError on `basis`."""
    resolved, seen = [], set()
    for kind, pk in bases or ():
        if kind in ("", None) and pk in ("", None):
            continue
        linked = link_resolve(user=by, kind=kind, pk=pk, field="basis")
        if (linked.kind, linked.id) not in seen:
            seen.add((linked.kind, linked.id))
            resolved.append(linked)
    return resolved


def _opinion_followed(bases) -> Instrument | None:
    """A 决定书 based on an issued 意见书 follows it (the periodic job then proposes no other)."""
    ids = [b.id for b in bases if b.kind == "instrument"]
    if not ids:
        return None
    return (
        Instrument.objects.filter(pk__in=ids, kind=rules.OPINION)
        .exclude(status__in=rules.UNISSUED)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def instrument_create(
    *,
    by: User,
    kind: str,
    title: str,
    facts: str,
    requirements: str = "",
    recipient: Unit | None = None,
    bases=(),
    decision_kind: str = "",
    interview_at: dt.datetime | None = None,
    interview_place: str = "",
    reply_required: bool = True,
    ip=None,
) -> Instrument:
    """A draft (no number yet: a number is taken only when it is issued)."""
    if "create" not in instrument_actions(user=by, obj=None):
        raise Forbidden()
    if by.unit_id is None:
        raise DomainError("当前用户未归属任何单位，不能拟制监督文书", field="issuing_unit")
    data = _clean_fields(
        by=by,
        kind=kind,
        title=title,
        facts=facts,
        requirements=requirements,
        recipient=recipient,
        decision_kind=decision_kind,
        interview_at=interview_at,
        interview_place=interview_place,
    )
    linked = _resolve_bases(by=by, bases=bases)
    inst = Instrument.objects.create(
        **data,
        issuing_unit=by.unit,
        reply_required=bool(reply_required) if kind == rules.INTERVIEW else True,
        follows=_opinion_followed(linked) if kind == rules.DECISION else None,
        created_by=by,
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    for link in linked:
        InstrumentBasis.objects.create(instrument=inst, kind=link.kind, object_id=link.id, label=link.label[:300])
    log_operation(user=by, action="拟制监督文书", obj=inst, summary=f"{inst.kind_label} {inst.title}", ip=ip)
    return inst


@transaction.atomic
def instrument_update(
    *,
    by: User,
    instrument: Instrument,
    title: str,
    facts: str,
    requirements: str = "",
    recipient: Unit | None = None,
    decision_kind: str = "",
    interview_at: dt.datetime | None = None,
    interview_place: str = "",
    reply_required: bool = True,
    ip=None,
) -> Instrument:
    inst = _lock(instrument)
    _gate(by, inst, "edit", "只有草稿可以修改")
    data = _clean_fields(
        by=by,
        kind=inst.kind,
        title=title,
        facts=facts,
        requirements=requirements,
        recipient=recipient,
        decision_kind=decision_kind,
        interview_at=interview_at,
        interview_place=interview_place,
    )
    for name, value in data.items():
        setattr(inst, name, value)
    inst.reply_required = bool(reply_required) if inst.kind == rules.INTERVIEW else True
    inst.updated_at = clock.now()
    inst.save()
    log_operation(user=by, action="修改监督文书草稿", obj=inst, summary=inst.title, ip=ip)
    return inst


@transaction.atomic
def instrument_basis_add(*, by: User, instrument: Instrument, kind: str, pk) -> InstrumentBasis:
    inst = _lock(instrument)
    _gate(by, inst, "edit", "只有草稿可以修改依据")
    found = _resolve_bases(by=by, bases=[(kind, pk)])
    if not found:
        raise DomainError("请填写关联对象", field="basis_id")
    link = found[0]
    if inst.bases.filter(kind=link.kind, object_id=link.id).exists():
        raise DomainError(f"已关联“{link.label}”", field="basis_id")
    basis = InstrumentBasis.objects.create(instrument=inst, kind=link.kind, object_id=link.id, label=link.label[:300])
    if inst.kind == rules.DECISION and inst.follows_id is None:
        followed = _opinion_followed([link])
        if followed is not None:
            Instrument.objects.filter(pk=inst.pk).update(follows=followed)
    return basis


@transaction.atomic
def instrument_basis_remove(*, by: User, instrument: Instrument, basis_id) -> None:
    inst = _lock(instrument)
    _gate(by, inst, "edit", "只有草稿可以修改依据")
    basis = inst.bases.filter(pk=basis_id if str(basis_id).isdigit() else None).first()
    if basis is None:
        raise DomainError("要移除的依据不存在", field="basis")
    basis.delete()


@transaction.atomic
def instrument_discard(*, by: User | None, instrument: Instrument, reason: str, ip=None) -> Instrument:
    """A draft (or the system's proposal) is withdrawn with a reason; it keeps its row, so that the job never
    proposes the same 决定书 again."""
    inst = _lock(instrument)
    _gate(by, inst, "discard", "只有草稿可以撤销")
    reason = _line(reason, field="reason", label="撤销理由", limit=rules.REASON_MAX)
    inst.status, inst.dismissed_reason = rules.DISMISSED, reason
    inst.dismissed_by, inst.dismissed_at = (by if by else None), clock.now()
    inst.save(update_fields=["status", "dismissed_reason", "dismissed_by", "dismissed_at"])
    if inst.follows_id and inst.follows.item_id:
        item_annotate(
            item=inst.follows.item,
            by=by,
            action="decision_dismissed",
            label="不予作出监督决定",
            comment=reason,
            data={"decision": inst.pk},
        )
    log_operation(user=by, action="撤销监督文书草稿", obj=inst, summary=f"{inst.title}：{reason}", ip=ip)
    return inst


# ---------------------------------------------------------------- issue, deliver


def _issue_checks(inst: Instrument, today: dt.date) -> None:
    if inst.kind != rules.BULLETIN and inst.recipient is None:
        raise DomainError("请选择主送单位", field="recipient")
    if inst.recipient is not None and not inst.recipient.is_active:
        raise DomainError(f"主送单位“{inst.recipient.name}”已停用", field="recipient")
    if inst.kind == rules.DECISION and inst.decision_kind not in rules.DECISION_KIND_LABELS:
        raise DomainError("请选择决定种类（责令履行、责令改正、撤销、确认违法）", field="decision_kind")
    if inst.kind != rules.BULLETIN and not clean_text(inst.requirements):
        raise DomainError("监督意见与要求不能为空", field="requirements")
    if inst.kind == rules.INTERVIEW:
        if inst.interview_at is None:
            raise DomainError("请填写约谈时间", field="interview_at")
        if not clean_text(inst.interview_place):
            raise DomainError("请填写约谈地点", field="interview_place")
        if timezone.localdate(inst.interview_at) < today:
            raise DomainError("约谈时间不能早于签发日期", field="interview_at")


def _open_item(inst: Instrument, *, by, today: dt.date):
    """The tracked item: the reply period of the kind from the issue day (receipt), or — for a 约谈 without a
    written report — the day of the 约谈; a 通报 gets an item only for its timeline (closed at once)."""
    title = f"{rules.KIND_LABELS[inst.kind]}：{inst.title}"[:200]
    common = {"kind": INSTRUMENT.code, "title": title, "by": by, "url": _url(inst), "comment": inst.number}
    if inst.kind == rules.BULLETIN:
        return item_open(
            unit=inst.recipient or inst.issuing_unit,
            start=today,
            deadline=today,
            deadline_source=rules.BULLETIN_SOURCE,
            **common,
        )
    start = today
    if inst.kind == rules.INTERVIEW:
        start = max(today, timezone.localdate(inst.interview_at))
    if not inst.needs_reply:
        return item_open(
            unit=inst.recipient,
            start=today,
            deadline=start,
            deadline_source=f"约谈通知书确定的约谈时间（{rules.KIND_BASIS[rules.INTERVIEW]}）",
            **common,
        )
    rule = rules.reply_rule(inst.kind)
    return item_open(
        unit=inst.recipient,
        start=start,
        limit_kind=rule.limit_kind,
        limit_days=rule.days,
        deadline_source=rule.source,
        **common,
    )


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def instrument_gongwen(inst: Instrument, *, deadline: dt.date | None, source: str) -> Gongwen:
    """The instrument in 公文 layout (GB/T 9704): number, recipient, facts, bases, requirements, the period."""
    body: list = []
    heading = 1
    numerals = "一二三四五六七八九十"

    def section(name: str) -> None:
        nonlocal heading
        body.append(f"{numerals[heading - 1]}、{name}")
        heading += 1

    if inst.kind == rules.BULLETIN:
        body += _paragraphs(inst.facts) + _paragraphs(inst.requirements)
    else:
        section("基本事实")
        body += _paragraphs(inst.facts)
        bases = list(inst.bases.all())
        if bases:
            section("依据材料")
            body += [f"{i}. {b.label}" for i, b in enumerate(bases, 1)]
        if inst.kind == rules.DECISION:
            section("处理决定")
            body.append(
                f"根据{rules.DECISION_CITATIONS[inst.decision_kind]}的规定，本机关决定："
                f"{rules.DECISION_KIND_LABELS[inst.decision_kind]}。"
            )
        else:
            section("监督意见" if inst.kind in (rules.OPINION, rules.RECOMMENDATION) else "有关要求")
        body += _paragraphs(inst.requirements)
        if inst.kind == rules.INTERVIEW:
            section("约谈安排")
            at = timezone.localtime(inst.interview_at)
            body.append(f"约谈时间：{_cn(at.date())} {at:%H:%M}；约谈地点：{inst.interview_place}。")
            body.append("请你单位主要负责人或者分管负责人及相关人员准时参加，并做好情况汇报准备。")
        if inst.needs_reply and deadline is not None:
            section("办理期限")
            report = "执行情况" if inst.kind == rules.DECISION else "整改落实情况"
            body.append(f"请你单位于{_cn(deadline)}前将{report}书面报告本机关（期限依据：{source}）。")
            if inst.kind == rules.OPINION:
                body.append("逾期未自行纠正的，本机关将依法作出行政执法监督决定。")
    return Gongwen(
        title=rules.KIND_LABELS[inst.kind],
        number=inst.number,
        recipients=inst.recipient.name if inst.recipient else "本辖区各执法部门",
        body=[f"事由：{inst.title}", *body],
        signature=inst.issuing_unit.name,
        date=inst.issued_on,
    )


def _deliver(inst: Instrument, *, by, item) -> None:
    """In-app notice (and e-mail, when SMTP is configured) to the recipient unit's users who reply — for a 通报, to
    every unit it is published to — recorded on the timeline."""
    if inst.kind == rules.BULLETIN:
        units = [u.pk for u in inst.audience.all()]
        people = selectors.unit_users_with(unit_ids=units, permission="instrument.view")
        where = f"{len(units)} 个单位"
    else:
        people = selectors.unit_users_with(unit_ids=[inst.recipient_id], permission="instrument.reply")
        where = inst.recipient.name
    deadline = f"，请于 {item.deadline:%Y-%m-%d} 前回复（{item.deadline_source}）" if inst.needs_reply else ""
    sent = notify(
        recipients=people,
        title=f"【{rules.KIND_LABELS[inst.kind]}】{inst.number} {inst.title}",
        body=f"{inst.issuing_unit.name}发出{inst.kind_label}{deadline}",
        url=_url(inst),
        level="info",
        dedup_key=f"instrument:{inst.pk}:delivered",
    )
    emailed = sum(1 for p in people if p.email) if settings.FAZHI["EMAIL_ENABLED"] else 0
    item_annotate(
        item=item,
        by=by,
        action="delivered",
        label="送达",
        comment=f"已送达{where}：站内通知 {sent} 人"
        + (f"，电子邮件 {emailed} 人" if settings.FAZHI["EMAIL_ENABLED"] else "（未配置邮件服务，仅站内通知）"),
        data={"notified": sent, "emailed": emailed},
    )
    _email_later()


def _escalate(opinion: Instrument, decision: Instrument, *, by) -> None:
    """The 意见书 a 决定书 follows is closed: what the agency owes now is the decision's report."""
    opinion = _lock(opinion)
    if opinion.status not in rules.OPEN:
        return
    opinion.status, opinion.closed_at = rules.ESCALATED, clock.now()
    opinion.save(update_fields=["status", "closed_at"])
    item_close(
        item=opinion.item,
        by=by,
        label="转监督决定",
        comment=f"逾期未纠正，已作出{decision.number}《行政执法监督决定书》（{decision.kind_label}）",
    )


def _wrong_cases(decision: Instrument, *, by, today: dt.date) -> None:
    """A 决定书 that corrects, revokes or declares unlawful an act about a penalty case proposes accountability."""
    if decision.kind != rules.DECISION or decision.decision_kind not in rules.WRONG_CASE_DECISIONS:
        return
    for basis in decision.bases.filter(kind="case"):
        wrong_case_found.send(
            sender=Instrument,
            source_kind="instrument",
            source_id=decision.pk,
            source_label=f"{decision.number}《行政执法监督决定书》（{rules.DECISION_KIND_LABELS[decision.decision_kind]}）",
            source_url=_url(decision),
            unit_id=decision.recipient_id,
            case_id=basis.object_id,
            reason=clean_text(decision.facts)[:300],
            by=by,
            today=today,
        )


@transaction.atomic
def instrument_issue(
    *, by: User | None, instrument: Instrument, decision_kind: str | None = None, today: dt.date | None = None, ip=None
) -> Instrument:
    """签发: the number from the issuing unit's register (taken in this transaction), the 公文 stored on the tracked
    item with the reply deadline, delivery to the recipient. A 通报 is published to the units supervised."""
    inst = _lock(instrument)
    _gate(by, inst, "issue", "只有草稿可以签发")
    today = _today(today)
    if decision_kind is not None and inst.kind == rules.DECISION:
        decision_kind = clean_text(decision_kind)
        if decision_kind and decision_kind not in rules.DECISION_KIND_LABELS:
            raise DomainError(f"决定种类“{decision_kind}”无效", field="decision_kind")
        inst.decision_kind = decision_kind or inst.decision_kind
    _issue_checks(inst, today)
    inst.needs_reply = rules.needs_reply(kind=inst.kind, reply_required=inst.reply_required)
    number = number_take(
        unit=inst.issuing_unit,
        doc_type=rules.DOC_TYPES[inst.kind],
        year=today.year,
        by=by,
        prefix=rules.default_prefix(inst.kind),
        today=today,
    )
    inst.number, inst.issued_on, inst.issued_at, inst.issued_by = number.text, today, clock.now(), by
    inst.status = rules.PUBLISHED if inst.kind == rules.BULLETIN else rules.DELIVERED
    inst.save()
    if inst.kind == rules.BULLETIN:
        audience = selectors.supervised_units(unit=inst.issuing_unit)
        if inst.recipient is not None and inst.recipient not in audience:
            audience.append(inst.recipient)
        inst.audience.set(audience)
    item = _open_item(inst, by=by, today=today)
    inst.item = item
    inst.save(update_fields=["item"])
    rule = rules.reply_rule(inst.kind)
    item_annotate(
        item=item,
        by=by,
        action="issued",
        label="签发",
        comment=f"{number.text} {inst.kind_label}",
        data={"number": number.text, "kind": inst.kind, "decision_kind": inst.decision_kind},
    )
    content = gongwen_docx(
        instrument_gongwen(inst, deadline=item.deadline, source=rule.source if rule and inst.needs_reply else "")
    )
    document_store(
        by=by,
        item=item,
        title=f"{rules.KIND_LABELS[inst.kind]}：{inst.title}"[:200],
        number=number.text,
        content=content,
        filename=f"{rules.KIND_LABELS[inst.kind]}{number.text}.docx",
        object_kind=selectors.OBJECT_KIND,
        object_id=inst.pk,
    )
    _deliver(inst, by=by, item=item)
    if inst.kind == rules.BULLETIN:
        item_close(item=item, by=by, label="发布", comment=f"通报已在本辖区内发布（{inst.audience.count()} 个单位）")
    if inst.follows_id:
        _escalate(inst.follows, inst, by=by)
    _wrong_cases(inst, by=by, today=today)
    log_operation(user=by, action="签发监督文书", obj=inst, summary=f"{number.text} {inst.title}", ip=ip)
    inst.item.refresh_from_db()  # closed (通报) and its chain head moved by the steps above
    return inst


# ---------------------------------------------------------------- the recipient


@transaction.atomic
def instrument_acknowledge(*, by: User | None, instrument: Instrument, ip=None) -> Instrument:
    inst = _lock(instrument)
    _gate(by, inst, "acknowledge", "文书已签收或不在待签收状态")
    inst.status, inst.acknowledged_at = rules.ACKNOWLEDGED, clock.now()
    inst.save(update_fields=["status", "acknowledged_at"])
    item_record(item=inst.item, by=by, action="acknowledged", label="签收", comment="已签收，正在办理")
    log_operation(user=by, action="签收监督文书", obj=inst, summary=inst.number, ip=ip)
    return inst


def _reply_state_message(inst: Instrument) -> str:
    if inst.status in rules.UNISSUED:
        return "文书尚未签发"
    if not inst.needs_reply:
        return "该文书无需书面回复"
    if inst.status == rules.DELIVERED:
        return "请先签收文书，再回复"
    if inst.status == rules.REPLIED:
        return "回复已提交，正在等待审核"
    return "文书已办结，不能再回复"


@transaction.atomic
def instrument_reply(
    *,
    by: User | None,
    instrument: Instrument,
    findings: str,
    measures: str,
    files=(),
    today: dt.date | None = None,
    ip=None,
) -> InstrumentReply:
    """The recipient reports what it found and did, with evidence; the supervisor then accepts or returns it."""
    inst = _lock(instrument)
    _gate(by, inst, "reply", _reply_state_message(inst))
    findings = _text(findings, field="findings", label="核查情况")
    measures = _text(measures, field="measures", label="整改措施")
    attachments = attachments_store(files=files, by=by)
    today = _today(today)
    on_time = rules.reply_on_time(replied_on=today, deadline=inst.item.deadline)
    reply = InstrumentReply.objects.create(
        instrument=inst,
        at=clock.now(),
        findings=findings,
        measures=measures,
        by=by,
        unit=inst.recipient,
        replied_on=today,
        on_time=on_time,
    )
    reply.attachments.set(attachments)
    inst.status = rules.REPLIED
    inst.save(update_fields=["status"])
    item_record(
        item=inst.item,
        by=by,
        action="replied",
        label="回复",
        comment=f"核查情况：{findings}\n整改措施：{measures}",
        data={"reply": reply.pk, "on_time": on_time},
        attachments=attachments,
        status="review",
        action_unit=inst.issuing_unit,
    )
    notify(
        recipients=_issuers_of(inst.issuing_unit),
        title=f"【待审核】{inst.recipient.name}回复了{inst.number}",
        body=f"{inst.kind_label}：{inst.title}",
        url=_url(inst),
        dedup_key=f"instrument:{inst.pk}:reply:{reply.pk}",
    )
    _email_later()
    log_operation(user=by, action="回复监督文书", obj=inst, summary=inst.number, ip=ip)
    return reply


# ---------------------------------------------------------------- review


def _pending_reply(inst: Instrument) -> InstrumentReply:
    reply = inst.replies.filter(status="pending").order_by("-at", "-id").first()
    if reply is None:
        raise DomainError("没有待审核的回复", field="status")
    return reply


@transaction.atomic
def instrument_accept(*, by: User | None, instrument: Instrument, comment: str = "", ip=None) -> Instrument:
    inst = _lock(instrument)
    if inst.status in rules.REVIEWABLE and inst.kind == rules.INTERVIEW:
        if not InterviewRecord.objects.filter(instrument=inst).exists():
            _gate(by, inst, "accept", "请先填写约谈记录，再采纳书面回复", field="interview")
    _gate(by, inst, "accept", "没有待审核的回复")
    comment = _text(comment, field="comment", label="审核意见", required=False, limit=rules.REASON_MAX)
    reply = _pending_reply(inst)
    reply.status, reply.review_comment, reply.reviewed_by, reply.reviewed_at = "accepted", comment, by, clock.now()
    reply.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    inst.status, inst.closed_at = rules.ACCEPTED, clock.now()
    inst.answered_on, inst.answered_on_time = reply.replied_on, reply.on_time
    inst.save(update_fields=["status", "closed_at", "answered_on", "answered_on_time"])
    # Judged on the day the agency reported, not on the day of the review.
    item_close(item=inst.item, by=by, label="采纳回复，办结", comment=comment, closed_on=reply.replied_on)
    notify(
        recipients=selectors.unit_users_with(unit_ids=[inst.recipient_id], permission="instrument.reply"),
        title=f"【已办结】{inst.number}的回复已被采纳",
        body=comment or inst.title,
        url=_url(inst),
        dedup_key=f"instrument:{inst.pk}:accepted",
    )
    _email_later()
    log_operation(user=by, action="采纳监督文书回复", obj=inst, summary=inst.number, ip=ip)
    return inst


@transaction.atomic
def instrument_return(
    *, by: User | None, instrument: Instrument, reason: str, today: dt.date | None = None, ip=None
) -> Instrument:
    """Returned with reasons: the agency replies again. An 意见书 returned too often is unheeded (a 决定书 is
    proposed at once; the periodic job would find it too)."""
    inst = _lock(instrument)
    _gate(by, inst, "return", "没有待审核的回复")
    reason = _text(reason, field="reason", label="退回理由", limit=rules.REASON_MAX)
    reply = _pending_reply(inst)
    reply.status, reply.review_comment, reply.reviewed_by, reply.reviewed_at = "returned", reason, by, clock.now()
    reply.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    inst.status, inst.returns = rules.RETURNED, inst.returns + 1
    inst.save(update_fields=["status", "returns"])
    item_record(
        item=inst.item,
        by=by,
        action="returned",
        label="退回",
        comment=reason,
        data={"returns": inst.returns},
        status="returned",
        action_unit=inst.recipient,
    )
    notify(
        recipients=selectors.unit_users_with(unit_ids=[inst.recipient_id], permission="instrument.reply"),
        title=f"【退回】{inst.number}的回复被退回，请重新办理",
        body=reason,
        url=_url(inst),
        level="yellow",
        dedup_key=f"instrument:{inst.pk}:returned:{inst.returns}",
    )
    _email_later()
    if inst.kind == rules.OPINION:
        c = rules.conf()
        reason_unheeded = rules.unheeded_reason(
            status=inst.status,
            deadline=inst.item.deadline,
            today=_today(today),
            returns=inst.returns,
            returns_limit=int(c["UNHEEDED_RETURNS"]),
            on_overdue=c["UNHEEDED_ON_OVERDUE"],
        )
        if reason_unheeded and not inst.decisions.filter(kind=rules.DECISION).exists():
            _propose_decision(inst, reason_unheeded)
    log_operation(user=by, action="退回监督文书回复", obj=inst, summary=f"{inst.number}：{reason}", ip=ip)
    return inst


# ---------------------------------------------------------------- 约谈记录


@transaction.atomic
def instrument_record_interview(
    *,
    by: User | None,
    instrument: Instrument,
    held_at: dt.datetime,
    place: str,
    participants: str,
    content: str,
    ip=None,
) -> InterviewRecord:
    """The supervisor records the 约谈 (time, place, participants, content); without a written report asked for,
    that completes the instrument."""
    inst = _lock(instrument)
    message = "只有已送达的约谈可以填写约谈记录" if inst.kind == rules.INTERVIEW else "只有约谈可以填写约谈记录"
    if inst.kind == rules.INTERVIEW and InterviewRecord.objects.filter(instrument=inst).exists():
        message = "约谈记录已填写"
    _gate(by, inst, "record_interview", message)
    if not isinstance(held_at, dt.datetime):
        raise DomainError("请填写约谈时间", field="held_at")
    held_at = _aware(held_at)
    if timezone.localdate(held_at) < inst.issued_on:
        raise DomainError("约谈时间不能早于约谈通知的签发日期", field="held_at")
    if held_at > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError("约谈记录只能在约谈之后填写：约谈时间不能晚于现在", field="held_at")
    record = InterviewRecord.objects.create(
        instrument=inst,
        held_at=held_at,
        place=_line(place, field="place", label="约谈地点"),
        participants=_text(participants, field="participants", label="参加人员", limit=1000),
        content=_text(content, field="content", label="约谈内容"),
        recorded_by=by,
        recorded_at=clock.now(),
    )
    at = timezone.localtime(held_at)
    doc = Gongwen(
        title="约谈记录",
        recipients="",
        body=[
            f"约谈事由：{inst.title}（{inst.number}）",
            f"约谈时间：{_cn(at.date())} {at:%H:%M}",
            f"约谈地点：{record.place}",
            f"被约谈单位：{inst.recipient.name}",
            f"参加人员：{record.participants}",
            "约谈内容：",
            *_paragraphs(record.content),
        ],
        signature=inst.issuing_unit.name,
        date=at.date(),
    )
    document_store(
        by=by,
        item=inst.item,
        title=f"约谈记录：{inst.title}"[:200],
        content=gongwen_docx(doc),
        filename=f"约谈记录{inst.number}.docx",
        object_kind=selectors.OBJECT_KIND,
        object_id=inst.pk,
    )
    item_annotate(
        item=inst.item,
        by=by,
        action="interview_recorded",
        label="约谈记录",
        comment=f"{at:%Y-%m-%d %H:%M} {record.place}；参加人员：{record.participants}",
        data={"record": record.pk},
    )
    if not inst.needs_reply:
        inst.status, inst.closed_at = rules.ACCEPTED, clock.now()
        inst.answered_on, inst.answered_on_time = at.date(), True
        inst.save(update_fields=["status", "closed_at", "answered_on", "answered_on_time"])
        item_close(item=inst.item, by=by, label="约谈完成，办结", closed_on=at.date())
    log_operation(user=by, action="填写约谈记录", obj=inst, summary=inst.number, ip=ip)
    return record


# ---------------------------------------------------------------- unheeded 意见书 → proposed 决定书


def _propose_decision(opinion: Instrument, reason: str) -> Instrument | None:
    """A draft 决定书 prefilled from the 意见书 (recipient, basis, facts); the supervisor picks the kind and issues
    it. One per 意见书 (the unique constraint holds it also against a concurrent run)."""
    rule = rules.reply_rule(rules.DECISION)
    facts = (
        f"本机关于{_cn(opinion.issued_on)}向你单位发出{opinion.number}《行政执法监督意见书》（{opinion.title}），"
        f"要求于{_cn(opinion.item.deadline)}前自行纠正并书面报告。{reason}。\n"
        f"意见书认定的事实：{opinion.facts}"
    )
    requirements = (
        f"请你单位按照本决定纠正违法或者不当的行政执法行为，并自收到本决定书之日起{rule.days}"
        f"{rules.LIMIT_KIND_LABELS[rule.limit_kind]}内向本机关书面报告执行情况。\n原监督意见：{opinion.requirements}"
    )
    try:
        with transaction.atomic():
            decision = Instrument.objects.create(
                kind=rules.DECISION,
                status=rules.DRAFT,
                title=f"关于{opinion.number}监督意见书未落实的处理决定"[:200],
                issuing_unit=opinion.issuing_unit,
                recipient=opinion.recipient,
                facts=facts[: rules.TEXT_MAX],
                requirements=requirements[: rules.TEXT_MAX],
                origin="proposed",
                follows=opinion,
                proposal_reason=reason[:200],
                created_at=clock.now(),
                updated_at=clock.now(),
            )
    except IntegrityError:
        return None
    InstrumentBasis.objects.create(
        instrument=decision, kind="instrument", object_id=opinion.pk, label=f"{opinion.number} {opinion.title}"[:300]
    )
    for b in opinion.bases.all():
        InstrumentBasis.objects.get_or_create(
            instrument=decision, kind=b.kind, object_id=b.object_id, defaults={"label": b.label}
        )
    item_annotate(
        item=opinion.item,
        by=None,
        action="decision_proposed",
        label="建议作出监督决定",
        comment=reason,
        data={"decision": decision.pk},
    )
    notify(
        recipients=_issuers_of(opinion.issuing_unit),
        title=f"【建议】{opinion.recipient.name}未落实{opinion.number}，已拟好监督决定书草稿",
        body=reason,
        url=_url(decision),
        level="yellow",
        dedup_key=f"instrument:{opinion.pk}:decision_proposed",
    )
    _email_later()
    return decision


def decisions_propose(*, today: dt.date | None = None) -> dict:
    """The periodic job: every unheeded 意見书 without a 决定书 gets a proposed one. Idempotent."""
    today = _today(today)
    proposed = 0
    for opinion, reason in selectors.unheeded_opinions(today=today):
        with transaction.atomic():
            if _propose_decision(opinion, reason) is not None:
                proposed += 1
    return {"proposed": proposed}


# ---------------------------------------------------------------- 执法风险预警提醒


def risks_scan(
    *, by: User | None = None, today: dt.date | None = None, thresholds: rules.RiskThresholds | None = None
) -> dict:
    """The periodic job (and the button): per agency, the statutory-check warnings and the complaints of the current
    and the previous period, counted set-based; each agency that reached a threshold gets one proposal per period
    with its figures, never twice. The supervisors of its supervising unit are notified."""
    if by is not None and "scan" not in risk_actions(user=by, obj=None):
        raise Forbidden()
    today = _today(today)
    t = thresholds or rules.risk_thresholds()
    created = 0
    for start, end in (rules.risk_period(today, t.months), rules.risk_previous_period(today, t.months)):
        figures = selectors.risk_figures(date_from=start, date_to=min(end, today))
        existing = set(RiskProposal.objects.filter(period_start=start).values_list("unit_id", flat=True))
        due = {
            uid: (w, c, crossed)
            for uid, (w, c) in figures.items()
            if uid not in existing and (crossed := rules.risk_crossed(warnings=w, complaints=c, thresholds=t))
        }
        units = Unit.objects.filter(pk__in=list(due), is_active=True).select_related("supervising_unit", "parent")
        for unit in units:
            w, c, crossed = due[unit.pk]
            try:
                with transaction.atomic():
                    proposal = RiskProposal.objects.create(
                        unit=unit,
                        supervising_unit=selectors.supervising_unit_of(unit),
                        period_start=start,
                        period_end=end,
                        warnings=w,
                        complaints=c,
                        warnings_threshold=t.warnings,
                        complaints_threshold=t.complaints,
                        reasons="；".join(crossed)[:300],
                    )
                    notify(
                        recipients=_issuers_of(proposal.supervising_unit),
                        title=f"【执法风险预警】{unit.name}：{'；'.join(crossed)}"[:200],
                        body=f"统计期 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}；{rules.RISK_SOURCE}",
                        url=reverse("supervision:instruments:risk_list"),
                        level="yellow",
                        dedup_key=f"risk:{proposal.pk}",
                    )
            except IntegrityError:  # a concurrent run created it: one per agency and period
                continue
            created += 1
    if created:
        _email_later()
    if by is not None:
        log_operation(user=by, action="计算执法风险预警", summary=f"新增 {created} 条")
    return {"created": created}


def _lock_risk(proposal: RiskProposal) -> RiskProposal:
    return RiskProposal.objects.select_for_update(of=("self",)).select_related("unit").get(pk=proposal.pk)


def _risk_gate(by: User, proposal: RiskProposal, action: str) -> None:
    if action in risk_actions(user=by, obj=proposal):
        return
    if not may_issue(by) or not unit_in_scope(by, proposal.unit):
        raise Forbidden()
    raise DomainError("该预警提醒已处理", field="status")


@transaction.atomic
def risk_draft(*, by: User, proposal: RiskProposal, ip=None) -> Instrument:
    """The proposal becomes a draft 工作提示函 to the agency, prefilled with the figures."""
    proposal = _lock_risk(proposal)
    _risk_gate(by, proposal, "draft")
    p = proposal
    facts = (
        f"{_cn(p.period_start)}至{_cn(p.period_end)}统计期内，你单位法定规则校验发现执法问题预警 {p.warnings} 件"
        f"（提示阈值 {p.warnings_threshold} 件），群众投诉举报 {p.complaints} 件（提示阈值 {p.complaints_threshold} 件）。"
        f"触发情形：{p.reasons}。\n{rules.RISK_SOURCE}。"
    )
    requirements = (
        "请你单位对照规则校验预警和投诉举报反映的问题逐项自查，分析原因，明确责任，制定整改措施，"
        "并按期将自查整改情况书面反馈本机关。"
    )
    reminder = instrument_create(
        by=by,
        kind=rules.REMINDER,
        title=f"关于{p.unit.name}执法风险的工作提示函"[:200],
        facts=facts,
        requirements=requirements,
        recipient=p.unit,
        ip=ip,
    )
    Instrument.objects.filter(pk=reminder.pk).update(origin="risk")
    reminder.origin = "risk"
    p.status, p.reminder, p.handled_by, p.handled_at = "drafted", reminder, by, clock.now()
    p.save(update_fields=["status", "reminder", "handled_by", "handled_at"])
    return reminder


@transaction.atomic
def risk_dismiss(*, by: User, proposal: RiskProposal, reason: str, ip=None) -> RiskProposal:
    proposal = _lock_risk(proposal)
    _risk_gate(by, proposal, "dismiss")
    reason = _line(reason, field="reason", label="不予提示理由", limit=rules.REASON_MAX)
    proposal.status, proposal.dismissed_reason = "dismissed", reason
    proposal.handled_by, proposal.handled_at = by, clock.now()
    proposal.save(update_fields=["status", "dismissed_reason", "handled_by", "handled_at"])
    log_operation(user=by, action="不予发出工作提示函", obj=proposal, summary=f"{proposal.unit}：{reason}", ip=ip)
    return proposal
