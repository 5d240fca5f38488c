"""Every write of suggestions, proposals and disclosure requests. One transaction each; every state change is an
event on the SM3 timeline of the tracked item (fazhi.tracking), every statutory period a clock of that item
(clock_open / clock_event), every issued document numbered and stored through fazhi.documents in the same
transaction. Each service checks the entity's predicate (permissions.py) before it writes; `by=None` is the
system (the demo, the periodic job)."""

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.identifiers import clean_id_number, clean_uscc
from fazhi.core.models import Division, Unit
from fazhi.core.normalize import clean_text, email_valid
from fazhi.core.query_codes import PASSWORD_LENGTH, password_digest, query_password, random_code
from fazhi.core.throttle import throttle_count, throttle_hit, throttle_wait_minutes
from fazhi.documents.gongwen import Gongwen, gongwen_docx
from fazhi.documents.services import document_store, number_take
from fazhi.requests import permissions as perms
from fazhi.requests import rules, selectors
from fazhi.requests.models import (
    APPLICANT_KINDS,
    BODIES,
    CHANNELS,
    ORG_TYPES,
    Consultation,
    DisclosureRequest,
    Proposal,
    ProposalReply,
    ProposalUnit,
    Proposer,
    Session,
)
from fazhi.requests.tracking_kinds import DISCLOSURE, PROPOSAL, PROPOSAL_CO
from fazhi.tracking.models import Clock, TrackedItem
from fazhi.tracking.services import clock_event, clock_open, item_annotate, item_close, item_open, item_record

TEXT_MAX = 20000
TITLE_MAX = 200
REASON_MAX = 1000


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _require(actions: set[str], action: str) -> None:
    if action not in actions:
        raise Forbidden()


def _refusal(problems: list[tuple[str, str]]) -> DomainError:
    """One error carrying every problem (the form shows them all at once); its own field is the first one's."""
    field, message = problems[0]
    if len(problems) == 1:
        return DomainError(message, field=field)
    return DomainError(message, field=field, errors=[{"field": f, "message": m} for f, m in problems])


def _day(value, *, field: str, label: str, today: dt.date, not_before: dt.date | None = None, before_label: str = ""):
    if not isinstance(value, dt.date):
        raise DomainError(f"{label}不能为空", field=field)
    if value > today:
        raise DomainError(f"{label}不能晚于今天", field=field)
    if not_before is not None and value < not_before:
        raise DomainError(f"{label}不能早于{before_label}（{not_before:%Y-%m-%d}）", field=field)
    return value


def _text(value, *, field: str, label: str, limit: int = TEXT_MAX, required: bool = True) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not clean_text(text):
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字（当前 {len(text)} 字）", field=field)
    return text


def _issue_document(
    *,
    by,
    item: TrackedItem,
    unit: Unit,
    doc_type: str,
    title: str,
    recipients: str,
    body: list,
    on: dt.date,
    today: dt.date,
    object_kind: str,
    object_id: int,
    cc: list[str] | None = None,
):
    """Take the unit's next number of `doc_type` (inside the caller's transaction: a rollback gives it back), write
    the GB/T 9704 document and store it on the item's timeline. Returns (number text, GeneratedDocument)."""
    label, _ = rules.DOC_TYPES[doc_type]
    number = number_take(
        unit=unit,
        doc_type=label,
        year=today.year,
        by=by,
        prefix=rules.issuer_prefix(unit_name=unit.name, short_name=unit.short_name, doc_type=doc_type),
        today=today,
    )
    content = gongwen_docx(
        Gongwen(
            title=title,
            issuer_mark=unit.name,
            number=number.text,
            recipients=recipients,
            body=body,
            signature=unit.name,
            date=on,
            cc=cc or [],
            printer=unit.name,
        )
    )
    document = document_store(
        by=by,
        item=item,
        title=title,
        number=number.text,
        content=content,
        filename=f"{label}（{number.text}）.docx",
        object_kind=object_kind,
        object_id=object_id,
    )
    return number.text, document


# ================================================================ sessions


@transaction.atomic
def session_create(
    *, by, body: str, term, meeting, year, division: Division | None = None, opened_on: dt.date | None = None
) -> Session:
    if by is not None:
        _require(perms.session_actions(user=by, obj=None), "create")
    problems = []
    if body not in dict(BODIES):
        problems.append(("body", "请选择人民代表大会或政治协商会议"))
    for name, value, label, low, high in (("term", term, "届次", 1, 99), ("meeting", meeting, "会议", 0, 20)):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append((name, f"{label}应为 {low} 到 {high} 之间的整数"))
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(("year", "年度无效"))
    if problems:
        raise _refusal(problems)
    if division is None:
        unit = getattr(by, "unit", None)
        division = unit.division if unit is not None else Division.objects.filter(level="city").first()
    if division is None:
        raise DomainError("请选择行政区划", field="division")
    if Session.objects.filter(body=body, division=division, term=term, meeting=meeting, year=year).exists():
        raise DomainError("该会议届次已登记", field="meeting")
    name = rules.session_name(body=body, division=division.name, term=term, meeting=meeting, year=year)
    session = Session.objects.create(
        body=body, division=division, term=term, meeting=meeting, year=year, name=name, opened_on=opened_on
    )
    log_operation(user=by, action="登记会议届次", obj=session, summary=name)
    return session


# ================================================================ proposals: registration and assignment


def _proposers_clean(proposers) -> list[dict]:
    rows = rules.proposer_lines(proposers) if isinstance(proposers, str) else list(proposers or [])
    cleaned = []
    for row in rows:
        if isinstance(row, str):
            row = {"name": row}
        name = clean_text(row.get("name", ""))
        if not name:
            continue
        if len(name) > 100:
            raise DomainError(f"提出人“{name[:20]}…”的名称不能超过 100 字", field="proposers")
        cleaned.append(
            {
                "name": name,
                "delegation": clean_text(row.get("delegation", ""))[:100],
                "phone": clean_text(row.get("phone", "")).replace(" ", "")[:20],
            }
        )
    if not cleaned:
        raise DomainError("请填写提出人（联名的每行一人，第一行为领衔人）", field="proposers")
    names = [r["name"] for r in cleaned]
    if len(set(names)) != len(names):
        raise DomainError("提出人有重复", field="proposers")
    return cleaned


@transaction.atomic
def proposal_register(
    *,
    by,
    session: Session,
    number: str,
    title: str,
    text: str,
    proposers,
    registered_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Proposal:
    today = _today(today)
    if by is not None:
        _require(perms.proposal_actions(user=by, obj=None), "create")
    problems = []

    def check(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            problems.append((exc.field, exc.message))
            return None

    number = clean_text(number).removeprefix("第").removesuffix("号").strip()
    if not number:
        problems.append(("number", "请填写编号"))
    elif len(number) > 20:
        problems.append(("number", "编号不能超过 20 个字符"))
    elif Proposal.objects.filter(session=session, number=number).exists():
        problems.append(("number", f"{session.name}已有第{number}号"))
    title = check(_text, clean_text(title), field="title", label="标题", limit=TITLE_MAX)
    text = check(_text, text, field="text", label="内容")
    proposers = check(_proposers_clean, proposers)
    registered_on = check(_day, registered_on or today, field="registered_on", label="登记日期", today=today)
    if problems:
        raise _refusal(problems)
    proposal = Proposal.objects.create(
        session=session,
        kind=session.kind,
        number=number,
        title=title,
        text=text,
        registered_on=registered_on,
        created_by=by if getattr(by, "pk", None) else None,
    )
    Proposer.objects.bulk_create(
        [Proposer(proposal=proposal, is_lead=i == 0, order=i, **row) for i, row in enumerate(proposers)]
    )
    log_operation(user=by, action=f"登记{proposal.kind_word}", obj=proposal, summary=f"{session.name} 第{number}号")
    return proposal


def _lock_proposal(proposal: Proposal) -> Proposal:
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    return (
        Proposal.objects.select_related("session", "lead_unit", "item", "created_by__unit")
        .prefetch_related("proposers", "units__unit", "replies")
        .get(pk=proposal.pk)
    )


def _assignable(by, unit: Unit, *, field: str) -> Unit:
    if not isinstance(unit, Unit):
        raise DomainError("请选择承办单位", field=field)
    if not unit.is_active:
        raise DomainError(f"单位“{unit.name}”已停用", field=field)
    if by is not None and not selectors.proposal_assignable_units(user=by).filter(pk=unit.pk).exists():
        raise DomainError(f"单位“{unit.name}”不在本人管辖范围内", field=field)
    return unit


def _proposal_url(proposal: Proposal) -> str:
    return reverse("requests:proposal_detail", args=[proposal.pk])


def _assigning_unit(proposal: Proposal, by) -> Unit | None:
    """Whose turn it is while a return or an extension waits for a decision: the assigning body."""
    if proposal.created_by_id and proposal.created_by.unit_id:
        return proposal.created_by.unit
    return getattr(by, "unit", None)


def _open_lead(proposal: Proposal, unit: Unit, *, on: dt.date, by, comment: str = "") -> ProposalUnit:
    rule = rules.reply_rule(proposal.kind)
    item = item_open(
        kind=PROPOSAL.code,
        title=f"{proposal.session.name}第{proposal.number}号{proposal.kind_word}：{proposal.title}"[:200],
        unit=unit,
        by=by,
        start=on,
        deadline=rules.period_end(rule, on),
        deadline_source=rule.basis[:200],
        url=_proposal_url(proposal),
        comment=comment,
    )
    clock = clock_open(
        item=item,
        name="reply",
        label="答复期限",
        unit=rule.unit,
        length=rule.length,
        basis=rule.basis,
        extension_cap=rule.extension_cap,
        start=on,
        by=by,
    )
    proposal.items.add(item)
    proposal.item, proposal.reply_deadline = item, clock.deadline
    return ProposalUnit.objects.create(proposal=proposal, unit=unit, role="lead", assigned_on=on, item=item)


def _open_co(proposal: Proposal, unit: Unit, *, on: dt.date, by) -> ProposalUnit:
    rule = rules.co_view_rule()
    item = item_open(
        kind=PROPOSAL_CO.code,
        title=f"协办：{proposal.session.name}第{proposal.number}号{proposal.kind_word}：{proposal.title}"[:200],
        unit=unit,
        by=by,
        start=on,
        deadline=rules.period_end(rule, on),
        deadline_source=rule.basis[:200],
        url=_proposal_url(proposal),
    )
    clock = clock_open(
        item=item,
        name="co_view",
        label="协办意见期限",
        unit=rule.unit,
        length=rule.length,
        basis=rule.basis,
        start=on,
        by=by,
    )
    proposal.items.add(item)
    return ProposalUnit.objects.create(
        proposal=proposal, unit=unit, role="co", assigned_on=on, item=item, view_deadline=clock.deadline
    )


@transaction.atomic
def proposal_assign(
    *,
    by,
    proposal: Proposal,
    lead_unit: Unit,
    co_units=(),
    on: dt.date | None = None,
    comment: str = "",
    today: dt.date | None = None,
) -> Proposal:
    """交办: the lead unit replies within 3 months of `on`; each co-unit gives its view within 1 month."""
    today = _today(today)
    proposal = _lock_proposal(proposal)
    # The state first (a 422 that names it), then who may act (403); so in every service below.
    if proposal.status != "registered":
        raise DomainError("该件已交办", field="status")
    if by is not None:
        _require(perms.proposal_actions(user=by, obj=proposal), "assign")
    on = _day(
        on or today,
        field="on",
        label="交办日期",
        today=today,
        not_before=proposal.registered_on,
        before_label="登记日期",
    )
    lead_unit = _assignable(by, lead_unit, field="lead_unit")
    co = []
    for unit in co_units or ():
        unit = _assignable(by, unit, field="co_units")
        if unit.pk == lead_unit.pk:
            raise DomainError("主办单位不能同时是协办单位", field="co_units")
        if unit.pk in {u.pk for u in co}:
            raise DomainError(f"协办单位“{unit.name}”重复", field="co_units")
        co.append(unit)
    comment = _text(comment, field="comment", label="交办意见", limit=REASON_MAX, required=False)
    _open_lead(proposal, lead_unit, on=on, by=by, comment=comment)
    for unit in co:
        _open_co(proposal, unit, on=on, by=by)
    proposal.status, proposal.lead_unit, proposal.assigned_on = "assigned", lead_unit, on
    proposal.save(update_fields=["status", "lead_unit", "assigned_on", "item", "reply_deadline"])
    log_operation(
        user=by,
        action=f"交办{proposal.kind_word}",
        obj=proposal,
        summary=f"第{proposal.number}号 → {lead_unit.name}"
        + (f"（协办：{'、'.join(u.name for u in co)}）" if co else ""),
    )
    return proposal


# ---------------------------------------------------------------- wrongly assigned: return and decision


@transaction.atomic
def proposal_return_request(
    *, by, row: ProposalUnit, reason: str, on: dt.date | None = None, today: dt.date | None = None
) -> ProposalUnit:
    """A unit that finds the item outside its duties asks, with its reason, within the local window after 交办,
    to be released; only the assigning body's consent returns it (未经交办机关同意不得擅自退回)."""
    today = _today(today)
    proposal = _lock_proposal(row.proposal)
    row = ProposalUnit.objects.select_related("unit", "item").get(pk=row.pk)
    allowed = (
        perms.proposal_actions(user=by, obj=proposal)
        if row.role == "lead"
        else perms.proposal_unit_actions(user=by, obj=row)
    )
    if not row.active or row.status != "assigned" or (row.role == "lead" and proposal.status != "assigned"):
        raise DomainError("当前状态不能申请退回", field="status")
    _require(allowed, "request_return")
    reason = _text(reason, field="reason", label="退回理由", limit=REASON_MAX)
    on = _day(
        on or today, field="on", label="申请退回日期", today=today, not_before=row.assigned_on, before_label="交办日期"
    )
    problem = rules.return_problem(assigned_on=row.assigned_on, on=on)
    if problem:
        raise DomainError(problem, field="on")
    row.status, row.return_reason, row.return_requested_on = "return_requested", reason, on
    row.save(update_fields=["status", "return_reason", "return_requested_on"])
    if row.role == "lead":
        proposal.status = "return_requested"
        proposal.save(update_fields=["status"])
    item_record(
        item=row.item,
        by=by,
        action="return_requested",
        label="申请退回",
        comment=reason,
        data={"on": on.isoformat(), "unit": row.unit.name, "basis": rules.RETURN_BASIS},
        action_unit=_assigning_unit(proposal, by),
    )
    return row


@transaction.atomic
def proposal_return_decide(
    *,
    by,
    row: ProposalUnit,
    accept: bool,
    new_unit: Unit | None = None,
    comment: str = "",
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> Proposal:
    """The assigning body accepts a return (a returned lead item goes to `new_unit` with a fresh 3-month period from
    the new 交办; a returned co-unit is released, optionally replaced) or refuses it (the unit goes on handling)."""
    today = _today(today)
    proposal = _lock_proposal(row.proposal)
    row = ProposalUnit.objects.select_related("unit", "item").get(pk=row.pk)
    allowed = (
        perms.proposal_actions(user=by, obj=proposal)
        if row.role == "lead"
        else perms.proposal_unit_actions(user=by, obj=row)
    )
    if row.status != "return_requested":
        raise DomainError("该单位没有申请退回", field="status")
    _require(allowed, "decide_return")
    on = _day(
        on or today,
        field="on",
        label="决定日期",
        today=today,
        not_before=row.return_requested_on,
        before_label="申请退回日期",
    )
    comment = _text(comment, field="comment", label="意见", limit=REASON_MAX, required=not accept)
    if not accept:
        row.status = "assigned"
        row.save(update_fields=["status"])
        if row.role == "lead":
            proposal.status = "assigned"
            proposal.save(update_fields=["status"])
        item_record(
            item=row.item, by=by, action="return_refused", label="不同意退回", comment=comment, action_unit=row.unit
        )
        return proposal
    if new_unit is not None:
        new_unit = _assignable(by, new_unit, field="new_unit")
        taken = {u.unit_id for u in proposal.units.all() if u.active and u.pk != row.pk}
        if new_unit.pk == row.unit_id or new_unit.pk in taken:
            raise DomainError(f"“{new_unit.name}”已承办本件，请选择其他单位", field="new_unit")
    elif row.role == "lead":
        raise DomainError("同意退回主办单位的，请选择新的主办单位（重新交办）", field="new_unit")
    row.status, row.active = "returned", False
    row.save(update_fields=["status", "active"])
    item_close(item=row.item, by=by, comment=comment or row.return_reason, label="同意退回", closed_on=on)
    if row.role == "lead":
        _open_lead(proposal, new_unit, on=on, by=by, comment=f"原主办单位{row.unit.name}退回，重新交办。{comment}")
        proposal.status, proposal.lead_unit, proposal.assigned_on = "assigned", new_unit, on
        proposal.extension_months = proposal.extension_requested = 0
        proposal.extension_reason = proposal.extension_consent = ""
        proposal.save(
            update_fields=[
                "status",
                "lead_unit",
                "assigned_on",
                "item",
                "reply_deadline",
                "extension_months",
                "extension_requested",
                "extension_reason",
                "extension_consent",
            ]
        )
    elif new_unit is not None:
        _open_co(proposal, new_unit, on=on, by=by)
    log_operation(
        user=by,
        action="同意退回建议提案",
        obj=proposal,
        summary=f"第{proposal.number}号 {row.unit.name} 退回" + (f"，改交 {new_unit.name}" if new_unit else ""),
    )
    return proposal


# ---------------------------------------------------------------- extension to 6 months, with consent


@transaction.atomic
def proposal_extension_request(
    *, by, proposal: Proposal, months, reason: str, on: dt.date | None = None, today: dt.date | None = None
) -> Proposal:
    today = _today(today)
    proposal = _lock_proposal(proposal)
    if proposal.status != "assigned":
        raise DomainError("当前状态不能申请延期", field="status")
    if proposal.extension_requested:
        raise DomainError("已申请延期，等待交办机关决定", field="months")
    left = rules.EXTENSION_CAP_MONTHS - proposal.extension_months
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise DomainError("延期月数应为正整数", field="months")
    if months > left:
        raise DomainError(
            f"答复期限最长为交办之日起{rules.REPLY_MAX_MONTHS}个月，最多还可延长{left}个月（{rules.REPLY_BASIS[proposal.kind]}）",
            field="months",
        )
    _require(perms.proposal_actions(user=by, obj=proposal), "request_extension")
    reason = _text(reason, field="reason", label="延期理由（涉及面广、处理难度大的情况）", limit=500)
    on = _day(
        on or today, field="on", label="申请日期", today=today, not_before=proposal.assigned_on, before_label="交办日期"
    )
    if proposal.reply_deadline and on > proposal.reply_deadline:
        raise DomainError(f"答复期限已于{proposal.reply_deadline:%Y-%m-%d}届满，不能再申请延期", field="on")
    proposal.extension_requested, proposal.extension_reason = months, reason
    proposal.save(update_fields=["extension_requested", "extension_reason"])
    item_annotate(
        item=proposal.item,
        by=by,
        action="extension_requested",
        label="申请延期",
        comment=reason,
        data={"months": months, "on": on.isoformat()},
    )
    return proposal


@transaction.atomic
def proposal_extension_decide(
    *, by, proposal: Proposal, approve: bool, comment: str = "", on: dt.date | None = None, today: dt.date | None = None
) -> Proposal:
    """The assigning body's consent (recorded) extends the reply clock; the clock refuses anything past the cap."""
    today = _today(today)
    proposal = _lock_proposal(proposal)
    if not proposal.extension_requested or proposal.status not in ("assigned", "return_requested"):
        raise DomainError("没有待决定的延期申请", field="status")
    _require(perms.proposal_actions(user=by, obj=proposal), "decide_extension")
    on = _day(
        on or today, field="on", label="决定日期", today=today, not_before=proposal.assigned_on, before_label="交办日期"
    )
    comment = _text(comment, field="comment", label="意见", limit=REASON_MAX, required=not approve)
    months = proposal.extension_requested
    if approve:
        clock = Clock.objects.get(item=proposal.item, name="reply")
        if on > clock.deadline:
            raise DomainError(f"答复期限已于{clock.deadline:%Y-%m-%d}届满，不能再延期", field="on")
        clock = clock_event(
            clock=clock,
            kind="extend",
            on=on,
            by=by,
            amount=months,
            basis=rules.REPLY_BASIS[proposal.kind],
            reason=f"{proposal.extension_reason}；交办机关同意：{comment}".strip("；"),
        )
        unit = getattr(by, "unit", None) or _assigning_unit(proposal, by)
        proposal.extension_months += months
        proposal.extension_consent = (
            f"{on:%Y-%m-%d} {unit or '交办机关'}同意延期{months}个月{('：' + comment) if comment else ''}"[:300]
        )
        proposal.reply_deadline = clock.deadline
    else:
        item_annotate(item=proposal.item, by=by, action="extension_refused", label="不同意延期", comment=comment)
    proposal.extension_requested = 0
    proposal.save(update_fields=["extension_months", "extension_consent", "reply_deadline", "extension_requested"])
    return proposal


# ---------------------------------------------------------------- co-units' views


@transaction.atomic
def proposal_co_view_submit(
    *, by, row: ProposalUnit, text: str, on: dt.date | None = None, today: dt.date | None = None
) -> ProposalUnit:
    today = _today(today)
    _lock_proposal(row.proposal)
    row = ProposalUnit.objects.select_related("unit", "item", "proposal__item", "proposal__lead_unit").get(pk=row.pk)
    if row.role != "co" or not row.active or row.status != "assigned":
        raise DomainError("该单位当前不能提出协办意见", field="status")
    _require(perms.proposal_unit_actions(user=by, obj=row), "view_submit")
    text = _text(text, field="text", label="协办意见", limit=TEXT_MAX)
    on = _day(
        on or today, field="on", label="提出意见日期", today=today, not_before=row.assigned_on, before_label="交办日期"
    )
    row.status, row.view_text, row.view_on = "viewed", text, on
    row.save(update_fields=["status", "view_text", "view_on"])
    item_close(item=row.item, by=by, comment=text, label="提出协办意见", closed_on=on)
    proposal = row.proposal
    if proposal.item_id and proposal.item.status != "closed":
        item_record(
            item=proposal.item, by=by, action="co_view", label=f"收到协办意见（{row.unit.name}）", comment=text[:500]
        )
    return row


# ---------------------------------------------------------------- replies: draft, approve (签发), issue


@transaction.atomic
def proposal_reply_save(
    *, by, proposal: Proposal, text: str, classification: str, c_reason: str = "", contact: str = ""
) -> ProposalReply:
    proposal = _lock_proposal(proposal)
    if proposal.status not in ("assigned", "rereplying"):
        raise DomainError("当前状态不能起草答复（已答复，或待交办、申请退回中）", field="status")
    round_ = 2 if proposal.status == "rereplying" else 1
    reply = next((r for r in proposal.replies.all() if r.round == round_), None)
    if reply is not None and reply.status != "draft":
        raise DomainError("答复已签发，不能再修改", field="status")
    _require(perms.proposal_actions(user=by, obj=proposal), "draft_reply")
    problems = []
    try:
        text = _text(text, field="text", label="答复内容")
    except DomainError as exc:
        problems.append((exc.field, exc.message))
    classification = clean_text(classification).upper()
    problem = rules.classification_problem(classification=classification, c_reason=c_reason)
    if problem:
        problems.append(problem)
    if problems:
        raise _refusal(problems)
    fields = {
        "text": text,
        "classification": classification,
        "c_reason": (c_reason or "").strip() if classification == "C" else "",
        "contact": clean_text(contact)[:100],
        "drafted_by": by if getattr(by, "pk", None) else None,
        "drafted_at": timezone.now(),
    }
    if reply is None:
        reply = ProposalReply.objects.create(proposal=proposal, round=round_, unit=proposal.lead_unit, **fields)
    else:
        for k, v in fields.items():
            setattr(reply, k, v)
        reply.save()
    item_record(
        item=proposal.item,
        by=by,
        action="reply_drafted",
        label="起草答复",
        comment=f"{rules.CLASSIFICATION_LABELS[classification]}",
        data={"round": round_},
    )
    return reply


def _lock_reply(reply: ProposalReply) -> ProposalReply:
    _lock_proposal(reply.proposal)
    return ProposalReply.objects.select_related(
        "proposal__session", "proposal__item", "proposal__lead_unit", "unit"
    ).get(pk=reply.pk)


@transaction.atomic
def proposal_reply_approve(
    *, by, reply: ProposalReply, signer: str, on: dt.date | None = None, today: dt.date | None = None
) -> ProposalReply:
    """签发: the head of the unit (named) signs the draft; nothing can be changed after."""
    today = _today(today)
    reply = _lock_reply(reply)
    if reply.status != "draft":
        raise DomainError("答复已签发", field="status")
    _require(perms.proposal_reply_actions(user=by, obj=reply), "approve")
    signer = clean_text(signer)
    if not signer:
        raise DomainError("请填写签发人（单位负责人）", field="signer")
    if len(signer) > 50:
        raise DomainError("签发人不能超过 50 字", field="signer")
    on = _day(
        on or today,
        field="on",
        label="签发日期",
        today=today,
        not_before=reply.proposal.assigned_on,
        before_label="交办日期",
    )
    reply.status, reply.signer, reply.approved_on = "approved", signer, on
    reply.approved_by = by if getattr(by, "pk", None) else None
    reply.save(update_fields=["status", "signer", "approved_on", "approved_by"])
    item_record(item=reply.proposal.item, by=by, action="reply_approved", label="签发答复", comment=f"签发人：{signer}")
    return reply


def _reply_body(reply: ProposalReply, proposal: Proposal, lead: Proposer | None, co_views: list[ProposalUnit]) -> list:
    word = proposal.kind_word
    who = f"{lead.name}{'代表' if proposal.kind == 'suggestion' else '委员'}" if lead else "提出人"
    joint = len(proposal.proposers.all()) > 1
    body = [
        f"{who}{'等' if joint else ''}：",
        f"您{'们' if joint else ''}提出的《{proposal.title}》（第{proposal.number}号）{word}收悉。"
        + ("现答复如下：" if reply.round == 1 else "根据您对前次答复提出的意见，我们重新研究办理，现再次答复如下："),
        *[p for p in reply.text.split("\n") if p.strip()],
    ]
    if co_views:
        body.append(
            "协办单位意见：" + "；".join(f"{u.unit.name}：{' '.join(u.view_text.split())[:200]}" for u in co_views)
        )
    if reply.classification == "C":
        body.append(f"暂不能解决的原因：{' '.join(reply.c_reason.split())}")
    body.append(f"办理结果分类：{rules.CLASSIFICATION_LABELS[reply.classification]}。")
    body.append(f"签发人：{reply.signer}" + (f"    联系人及电话：{reply.contact}" if reply.contact else ""))
    body.append("感谢您对我们工作的关心和支持，请对办理态度和办理结果提出评价意见。")
    return body


@transaction.atomic
def proposal_reply_issue(
    *, by, reply: ProposalReply, on: dt.date | None = None, today: dt.date | None = None
) -> ProposalReply:
    """印发: the reply becomes a numbered document (GB/T 9704) on the item's timeline; the handling item closes on
    the day of the reply (on time or not); co-units whose period ran out without a view are closed with it."""
    today = _today(today)
    reply = _lock_reply(reply)
    if reply.status != "approved":
        raise DomainError("答复尚未签发" if reply.status == "draft" else "答复已印发", field="status")
    _require(perms.proposal_reply_actions(user=by, obj=reply), "issue")
    proposal = _lock_proposal(reply.proposal)
    on = _day(
        on or today, field="on", label="答复日期", today=today, not_before=reply.approved_on, before_label="签发日期"
    )
    problem = rules.reply_issue_problem(pending=selectors.proposal_pending_co_views(proposal), on=on)
    if problem:
        raise DomainError(problem, field="co_units")
    lead = selectors.lead_proposer(proposal)
    viewed = [u for u in proposal.units.all() if u.role == "co" and u.active and u.status == "viewed"]
    doc_type = "suggestion_reply" if proposal.kind == "suggestion" else "proposal_reply"
    number, document = _issue_document(
        by=by,
        item=proposal.item,
        unit=reply.unit,
        doc_type=doc_type,
        title=f"{reply.unit.name}关于{proposal.session.name}第{proposal.number}号{proposal.kind_word}的"
        + ("答复" if reply.round == 1 else "再次答复"),
        recipients=f"{lead.name}{'代表' if proposal.kind == 'suggestion' else '委员'}" if lead else "",
        body=_reply_body(reply, proposal, lead, viewed),
        on=on,
        today=today,
        object_kind=selectors.PROPOSAL_OBJECT,
        object_id=proposal.pk,
        cc=["人大常委会代表工作机构" if proposal.kind == "suggestion" else "政协提案委员会", "人民政府办公室"],
    )
    for row in proposal.units.all():
        if row.role == "co" and row.active and row.status in ("assigned", "return_requested") and row.item_id:
            item_close(
                item=row.item,
                by=by,
                comment="协办单位逾期未提出意见，主办单位已答复",
                label="逾期未提出协办意见",
                closed_on=on,
            )
    item = item_close(item=proposal.item, by=by, comment=number, label="答复", closed_on=on)
    reply.status, reply.issued_on, reply.number, reply.document = "issued", on, number, document
    reply.published = not proposal.secret
    reply.save(update_fields=["status", "issued_on", "number", "document", "published"])
    proposal.status, proposal.classification = "replied", reply.classification
    fields = ["status", "classification"]
    if reply.round == 1:
        proposal.first_replied_on, proposal.on_time = on, item.closed_on_time
        fields += ["first_replied_on", "on_time"]
    proposal.save(update_fields=fields)
    log_operation(user=by, action=f"答复{proposal.kind_word}", obj=proposal, summary=f"第{proposal.number}号 {number}")
    return reply


# ---------------------------------------------------------------- the proposer's rating


def _rate(
    *,
    proposal: Proposal,
    reply: ProposalReply,
    proposer: Proposer,
    attitude: str,
    result: str,
    comment: str,
    on: dt.date,
    by,
    channel: str,
    ip=None,
) -> ProposalReply:
    problems = rules.rating_problems(attitude=attitude, result=result, comment=comment)
    if problems:
        raise _refusal(problems)
    comment = _text(comment, field="comment", label="评价意见", limit=REASON_MAX, required=False)
    reply.attitude, reply.result, reply.rating_comment = attitude, result, comment
    reply.rated_on, reply.rated_by, reply.rating_channel = on, proposer, channel
    reply.save(update_fields=["attitude", "result", "rating_comment", "rated_on", "rated_by", "rating_channel"])
    dissatisfied = rules.rating_dissatisfied(attitude=attitude, result=result)
    labels = rules.SATISFACTION_LABELS
    item_annotate(
        item=proposal.item,
        by=by,
        action="rated",
        label="提出人评价" if channel == "link" else "登记提出人评价",
        comment=f"{proposer.name}：办理态度{labels[attitude]}，办理结果{labels[result]}。{comment}".strip(),
        data={"attitude": attitude, "result": result, "round": reply.round, "channel": channel},
    )
    proposal.attitude, proposal.result, proposal.rated_on = attitude, result, on
    fields = ["attitude", "result", "rated_on", "status"]
    if dissatisfied and reply.round == 1:
        # 不满意: the lead unit handles it again and replies within 1 month (浙江 2016 第四十三条).
        rule = rules.rereply_rule()
        item = item_open(
            kind=PROPOSAL.code,
            title=f"重新办理：{proposal.session.name}第{proposal.number}号{proposal.kind_word}：{proposal.title}"[:200],
            unit=proposal.lead_unit,
            by=by,
            start=on,
            deadline=rules.period_end(rule, on),
            deadline_source=rule.basis[:200],
            url=_proposal_url(proposal),
            comment=comment,
        )
        clock = clock_open(
            item=item,
            name="rereply",
            label="重新答复期限",
            unit=rule.unit,
            length=rule.length,
            basis=rule.basis,
            start=on,
            by=by,
        )
        proposal.items.add(item)
        proposal.item, proposal.reply_deadline, proposal.status = item, clock.deadline, "rereplying"
        proposal.first_dissatisfied = True
        fields += ["item", "reply_deadline", "first_dissatisfied"]
    else:
        proposal.status = "done"
    proposal.save(update_fields=fields)
    log_operation(
        user=by,
        action="建议提案评价",
        obj=proposal,
        summary=f"第{proposal.number}号 {proposer.name}：态度{labels[attitude]}，结果{labels[result]}",
        ip=ip,
    )
    return reply


def _rated_reply(proposal: Proposal, reply_id: int | None, *, field: str) -> ProposalReply:
    current = selectors.proposal_current_reply(proposal)
    if current is None or current.status != "issued" or proposal.status != "replied":
        raise DomainError("本件尚未答复或已评价，无需评价", field=field)
    if reply_id is not None and current.pk != reply_id:
        raise DomainError("评价链接对应的答复已有新的答复，请使用新答复的评价链接", field=field)
    if current.rated_on:
        raise DomainError("该次答复已评价，不能重复评价", field=field)
    return current


@transaction.atomic
def proposal_rate_by_link(
    *,
    proposal: Proposal,
    token: str,
    attitude: str,
    result: str,
    comment: str = "",
    today: dt.date | None = None,
    ip=None,
) -> ProposalReply:
    """The deputy or member rates through the signed link he received with the reply: the link proves who he is.
    A link of another proposal, of someone who is not the lead proposer, or past its window is refused."""
    today = _today(today)
    claim = selectors.rating_claim(token)
    if claim.proposal_id != proposal.pk:
        raise DomainError("该评价链接属于另一件建议（提案）：只有本件的提出人可以评价本件答复", field="token")
    proposal = _lock_proposal(proposal)
    proposer = next((p for p in proposal.proposers.all() if p.pk == claim.proposer_id), None)
    if proposer is None or not proposer.is_lead:
        raise DomainError(f"评价人不是本件的领衔提出人（{rules.RATING_WHO}）", field="token")
    if today > claim.expires:
        raise DomainError(
            f"评价链接已于{claim.expires:%Y-%m-%d}过期（{rules.RATING_BASIS}）；请联系承办单位登记评价意见",
            field="token",
        )
    reply = _rated_reply(proposal, claim.reply_id, field="token")
    return _rate(
        proposal=proposal,
        reply=reply,
        proposer=proposer,
        attitude=attitude,
        result=result,
        comment=comment,
        on=today,
        by=None,
        channel="link",
        ip=ip,
    )


@transaction.atomic
def proposal_rating_record(
    *,
    by,
    proposal: Proposal,
    proposer: Proposer | int | None,
    attitude: str,
    result: str,
    comment: str = "",
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> ProposalReply:
    """A rating the proposer returned on paper (征询意见表), entered by staff: it must be the lead proposer's."""
    today = _today(today)
    proposal = _lock_proposal(proposal)
    reply = _rated_reply(proposal, None, field="status")
    _require(perms.proposal_actions(user=by, obj=proposal), "record_rating")
    proposer_id = proposer.pk if isinstance(proposer, Proposer) else proposer
    found = next((p for p in proposal.proposers.all() if p.pk == proposer_id), None)
    if found is None:
        raise DomainError("评价人不是本件的提出人：只有提出人可以评价答复", field="proposer")
    if not found.is_lead:
        raise DomainError(f"联名提出的，由领衔人反馈评价意见（{rules.RATING_WHO}）", field="proposer")
    on = _day(
        on or today, field="on", label="评价日期", today=today, not_before=reply.issued_on, before_label="答复日期"
    )
    return _rate(
        proposal=proposal,
        reply=reply,
        proposer=found,
        attitude=attitude,
        result=result,
        comment=comment,
        on=on,
        by=by,
        channel="paper",
    )


@transaction.atomic
def proposal_secret_set(*, by, proposal: Proposal, secret: bool, reason: str = "") -> Proposal:
    """Replies are published on the portal unless the item touches state, commercial or private secrets."""
    proposal = _lock_proposal(proposal)
    _require(perms.proposal_actions(user=by, obj=proposal), "secret")
    reason = _text(reason, field="secret_reason", label="不予公开的理由", limit=300, required=bool(secret))
    proposal.secret, proposal.secret_reason = bool(secret), reason if secret else ""
    proposal.save(update_fields=["secret", "secret_reason"])
    ProposalReply.objects.filter(proposal=proposal, status="issued").update(published=not secret)
    if proposal.item_id:
        item_annotate(
            item=proposal.item,
            by=by,
            action="secret" if secret else "public",
            label="设为不予公开" if secret else "设为公开",
            comment=reason or rules.PUBLICATION_BASIS[:200],
        )
    return proposal


# ================================================================ disclosure requests

CODE_PREFIX = "GK"
# The HMAC label of a repeated submission's password; the one requests used when it borrowed the complaints helper,
# so that a form submitted again across the upgrade still answers with the password first shown.
PASSWORD_PURPOSE = "complaint-password"


def _new_code() -> str:
    while True:
        code = f"{CODE_PREFIX}{timezone.localdate():%y%m%d}{random_code(8)}"
        if not DisclosureRequest.objects.filter(tracking_code=code).exists():
            return code


def _set_password(request: DisclosureRequest, password: str) -> None:
    request.password_salt = secrets.token_hex(8)
    request.password_hash = password_digest(request.password_salt, password)


def _applicant_problems(
    *, kind, org_type, name, id_number, phone, email, address, content, public: bool
) -> tuple[dict, list[tuple[str, str]]]:
    problems = []
    values = {}
    if kind not in dict(APPLICANT_KINDS):
        problems.append(("applicant_kind", "申请人类型应为自然人（person）或法人或其他组织（organisation）"))
    values["applicant_kind"] = kind
    org_type = clean_text(org_type)
    if kind == "organisation":
        if org_type and org_type not in dict(ORG_TYPES):
            problems.append(("org_type", f"组织类型应为：{'、'.join(label for _, label in ORG_TYPES)}"))
        values["org_type"] = org_type or "other"
    else:
        values["org_type"] = ""
    name = clean_text(name)
    if not name:
        problems.append(("name", "请填写申请人姓名或名称（第二十九条）"))
    elif len(name) > 100:
        problems.append(("name", "申请人姓名或名称不能超过 100 字"))
    values["applicant_name"] = name
    id_number = clean_text(id_number).replace(" ", "")
    if id_number:
        try:
            id_number = clean_id_number(id_number) if kind == "person" else clean_uscc(id_number, field="id_number")
        except DomainError as exc:
            problems.append((exc.field, exc.message))
    elif public:
        problems.append(("id_number", "请填写身份证明：自然人填写身份证号，组织填写统一社会信用代码（第二十九条）"))
    values["id_number"] = id_number
    phone = clean_text(phone).replace(" ", "").replace("+86", "")
    from fazhi.complaints.rules import phone_ok

    if phone and not phone_ok(phone):
        problems.append(("phone", f"联系电话“{phone}”格式不正确（手机号 11 位，座机如 0731-12345678）"))
    elif public and not phone:
        problems.append(("phone", "请填写联系电话（第二十九条：联系方式）"))
    values["phone"] = phone
    email = clean_text(email)
    if email and not email_valid(email):
        problems.append(("email", f"电子邮箱“{email}”格式不正确"))
    values["email"] = email
    values["address"] = clean_text(address)[:200]
    content = (content or "").replace("\r\n", "\n").strip()
    if len(clean_text(content)) < rules.CONTENT_MIN:
        problems.append(
            ("content", f"请写明所需政府信息的名称、文号或便于查询的特征性描述（至少 {rules.CONTENT_MIN} 个字）")
        )
    elif len(content) > rules.CONTENT_MAX:
        problems.append(("content", f"所需政府信息描述不能超过 {rules.CONTENT_MAX} 字"))
    values["content"] = content
    return values, problems


def _open_request_item(request: DisclosureRequest, *, by, comment: str = "") -> None:
    """The answer period starts on the day of receipt (第三十一条, 第三十三条): a tracked item with its clock."""
    rule = rules.answer_rule()
    item = item_open(
        kind=DISCLOSURE.code,
        title=f"{request.tracking_code} 政府信息公开申请：{request.title}"[:200],
        unit=request.agency,
        by=by,
        start=request.received_on,
        deadline=rules.period_end(rule, request.received_on),
        deadline_source=rule.basis[:200],
        url=reverse("requests:disclosure_detail", args=[request.pk]),
        comment=comment,
    )
    clock_open(
        item=item,
        name="answer",
        label="答复期限",
        unit=rule.unit,
        length=rule.length,
        basis=rule.basis,
        extension_cap=rule.extension_cap,
        start=request.received_on,
        by=by,
        comment=rules.RECEIPT_RULES.get(request.channel, ""),
    )
    request.item = item
    request.save(update_fields=["item"])


@transaction.atomic
def disclosure_register(
    *,
    by,
    agency: Unit,
    applicant_kind: str,
    applicant_name: str,
    content: str,
    channel: str,
    received_on: dt.date,
    submitted_on: dt.date | None = None,
    org_type: str = "",
    id_number: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    form_wanted: str = "",
    source: str = "staff",
    today: dt.date | None = None,
) -> tuple[DisclosureRequest, str]:
    """A request received at the window, by post or fax, or pushed by another system (API). `received_on` is the
    day of receipt as 第三十一条 fixes it for the channel; the 20-working-day answer period starts then.
    Returns the request and the applicant's query password."""
    today = _today(today)
    if by is not None:
        _require(perms.disclosure_request_actions(user=by, obj=None), "create")
    values, problems = _applicant_problems(
        kind=applicant_kind,
        org_type=org_type,
        name=applicant_name,
        id_number=id_number,
        phone=phone,
        email=email,
        address=address,
        content=content,
        public=False,
    )
    if not isinstance(agency, Unit):
        problems.append(("agency", "请填写受理机关"))
    elif by is not None and not perms.unit_is_users(by, agency):
        problems.append(("agency", f"只能登记本单位或下级单位收到的申请，“{agency.name}”不是"))
    if channel not in dict(CHANNELS):
        problems.append(("channel", f"申请方式应为：{'、'.join(f'{c}（{label}）' for c, label in CHANNELS)}"))
    if not isinstance(received_on, dt.date):
        problems.append(("received_on", "请填写收到申请之日"))
    elif channel in dict(CHANNELS):
        submitted_on = submitted_on or received_on
        problem = rules.receipt_problem(
            channel=channel, submitted_on=submitted_on, received_on=received_on, today=today
        )
        if problem:
            problems.append(("received_on", problem))
    if problems:
        raise _refusal(problems)
    password = random_code(PASSWORD_LENGTH)
    request = DisclosureRequest(
        tracking_code=_new_code(),
        agency=agency,
        channel=channel,
        source=source,
        submitted_on=submitted_on,
        received_on=received_on,
        status="processing",
        form_wanted=clean_text(form_wanted)[:100],
        created_by=by if getattr(by, "pk", None) else None,
        **values,
    )
    _set_password(request, password)
    request.save()
    _open_request_item(request, by=by)
    log_operation(user=by, action="登记政府信息公开申请", obj=request, summary=request.tracking_code)
    return request, password


def public_rate_check(*, ip: str | None, scope: str = "disclosure-request", now: float | None = None) -> None:
    """Count one submission of a public form (the request form, the rating link) from `ip`; over the hourly limit
    it is refused (design §4 rate limits). Counted before the input is validated, so that bad posts count too."""
    if not ip:
        return
    limit = rules.portal_ip_hour() if scope == "disclosure-request" else rules.RATING_IP_HOUR
    count = throttle_hit(scope=scope, ident=ip, window_seconds=rules.WINDOW_SECONDS, now=now)
    if count > limit:
        wait = throttle_wait_minutes(window_seconds=rules.WINDOW_SECONDS, now=now)
        raise DomainError(f"提交过于频繁：同一网络 1 小时内最多提交 {limit} 次，请 {wait} 分钟后再试", field="rate")


def disclosure_submit_public(
    *,
    agency: Unit | None,
    applicant_kind: str,
    name: str,
    id_number: str,
    phone: str,
    content: str,
    org_type: str = "",
    email: str = "",
    address: str = "",
    form_wanted: str = "",
    consent: bool = False,
    ip: str | None = None,
    submit_token: str | None = None,
    refused: list[DomainError] | None = None,
    today: dt.date | None = None,
) -> tuple[DisclosureRequest, str]:
    """A request from the portal. It waits for the agency's confirmation: for online requests the day both sides
    confirm is the day of receipt (第三十一条第三项). With `submit_token` a repeated submission returns the first
    request and the same password."""
    today = _today(today)
    if submit_token:
        existing = DisclosureRequest.objects.filter(submit_token=submit_token).first()
        if existing is not None:
            return existing, query_password(submit_token, purpose=PASSWORD_PURPOSE)
    values, problems = _applicant_problems(
        kind=applicant_kind,
        org_type=org_type,
        name=name,
        id_number=id_number,
        phone=phone,
        email=email,
        address=address,
        content=content,
        public=True,
    )
    problems = [(e.field, e.message) for e in refused or []] + problems
    if agency is None and not refused:
        problems.append(("agency", "请选择受理申请的行政机关"))
    if not consent:
        problems.append(("consent", "请阅读并同意个人信息处理说明后再提交"))
    if problems:
        raise _refusal(problems)
    password = query_password(submit_token, purpose=PASSWORD_PURPOSE)
    try:
        with transaction.atomic():
            request = DisclosureRequest(
                tracking_code=_new_code(),
                agency=agency,
                channel="online",
                source="portal",
                submitted_on=today,
                received_on=None,
                status="awaiting_confirmation",
                form_wanted=clean_text(form_wanted)[:100],
                submit_token=submit_token or None,
                ip=ip,
                **values,
            )
            _set_password(request, password)
            request.save()
            log_operation(
                user=None, action="网上提交政府信息公开申请", obj=request, summary=request.tracking_code, ip=ip
            )
    except IntegrityError:
        existing = DisclosureRequest.objects.filter(submit_token=submit_token).first() if submit_token else None
        if existing is None:
            raise
        return existing, password
    return request, password


def disclosure_public_query(*, code: str, password: str, ip: str | None, now: float | None = None) -> DisclosureRequest:
    """The request behind a tracking code and password; a wrong code and a wrong password get the same answer, and
    failures are limited per network address."""
    import hmac

    from fazhi.core.errors import NotFound

    limit = rules.query_fail_hour()
    if ip and throttle_count(scope="disclosure-query", ident=ip, window_seconds=rules.WINDOW_SECONDS, now=now) >= limit:
        raise DomainError("查询失败次数过多，请 1 小时后再试", field="rate")
    code = clean_text(code).upper().replace(" ", "")
    password = clean_text(password).upper().replace(" ", "")
    request = DisclosureRequest.objects.select_related("agency").filter(tracking_code=code).first() if code else None
    ok = (
        request is not None
        and request.password_hash
        and password
        and hmac.compare_digest(password_digest(request.password_salt, password), request.password_hash)
    )
    if not ok:
        if ip:
            throttle_hit(scope="disclosure-query", ident=ip, window_seconds=rules.WINDOW_SECONDS, now=now)
        raise NotFound("查询码或查询密码不正确")
    return request


# ---------------------------------------------------------------- events


def _lock_request(request: DisclosureRequest) -> DisclosureRequest:
    return DisclosureRequest.objects.select_for_update(of=("self",)).select_related("agency", "item").get(pk=request.pk)


def _clock(request: DisclosureRequest, name: str) -> Clock:
    return Clock.objects.get(item=request.item, name=name)


def _days(value, *, field: str, label: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DomainError(f"{label}应为正整数（工作日）", field=field)
    if value > high:
        raise DomainError(f"{label}不能超过 {high} 个工作日", field=field)
    return value


def _applicant_salutation(request: DisclosureRequest) -> str:
    return request.applicant_name + ("：" if request.applicant_kind == "organisation" else "（先生/女士）：")


def _received_words(request: DisclosureRequest) -> str:
    return (
        f"你（单位）于{request.received_on:%Y年%-m月%-d日}通过{request.get_channel_display()}方式提出的政府信息公开申请"
        f"（查询码 {request.tracking_code}）收悉。"
    )


@transaction.atomic
def disclosure_event(
    *,
    by,
    request: DisclosureRequest,
    kind: str,
    on: dt.date,
    days: int | None = None,
    answer: str = "",
    reason: str = "",
    ground: str = "",
    competent_body: str = "",
    party: str = "",
    party_name: str = "",
    method: str = "",
    today: dt.date | None = None,
) -> DisclosureRequest:
    """One step of a request, on its clocks and timeline. Refused with the reason (nothing written) when the law or
    the request's state does not allow it: a second 补正, a 补正 notice after 7 working days, an extension past 20
    working days or after the period ran out, an answer while waiting for a 补正 or a consultation …"""
    today = _today(today)
    request = _lock_request(request)
    actions = perms.disclosure_request_actions(user=by, obj=request) if by is not None else set(rules.EVENT_KINDS)
    if by is not None and not perms.unit_is_users(by, request.agency):
        raise Forbidden()
    kind = clean_text(kind)
    problem = rules.event_problem(
        status=request.status, kind=kind, corrections_asked=1 if request.correction_requested_on else 0
    )
    if problem:
        raise DomainError(problem, field="kind")
    _require(actions, kind)
    floor = request.received_on or request.submitted_on
    on = _day(
        on,
        field="on",
        label="日期",
        today=today,
        not_before=floor,
        before_label="收到申请之日" if request.received_on else "提交日期",
    )
    # The answer's reasons may run long (第三十六条: 说明理由); other events carry a short note.
    reason = _text(
        reason, field="reason", label="说明", limit=TEXT_MAX if kind == "answered" else REASON_MAX, required=False
    )
    _EVENT_HANDLERS[kind](
        request,
        by=by,
        on=on,
        days=days,
        answer=answer,
        reason=reason,
        ground=ground,
        competent_body=competent_body,
        party=party,
        party_name=party_name,
        method=method,
        today=today,
    )
    return request


def _event_confirmed(request, *, by, on, reason, **_):
    request.received_on, request.status = on, "processing"
    request.save(update_fields=["received_on", "status"])
    _open_request_item(request, by=by, comment=reason or rules.RECEIPT_RULES["online"])


def _event_correction_requested(request, *, by, on, days, reason, today, **_):
    last = rules.correction_notice_deadline(request.received_on)
    if on > last:
        raise DomainError(
            f"补正告知应在收到申请之日起{rules.CORRECTION_NOTICE_WORKING_DAYS}个工作日内（至{last:%Y-%m-%d}）"
            f"一次性作出（{rules.CORRECTION_NOTICE_BASIS}）",
            field="on",
        )
    if not reason:
        raise DomainError("请说明需要补正的事项（第三十条：说明需要补正的事项和合理的补正期限）", field="reason")
    period = rules.correction_working_days() if days is None else _days(days, field="days", label="补正期限", high=60)
    clock_event(
        clock=_clock(request, "answer"),
        kind="pause",
        on=on,
        by=by,
        basis=rules.CORRECTION_NOTICE_BASIS,
        reason=f"告知补正：{reason}",
    )
    rule = rules.correction_rule(period)
    clock = clock_open(
        item=request.item,
        name="correction",
        label="申请人补正期限",
        unit=rule.unit,
        length=rule.length,
        basis=rule.basis,
        start=on,
        by=by,
        comment=reason,
    )
    request.status, request.correction_requested_on, request.correction_items = "correction", on, reason
    request.save(update_fields=["status", "correction_requested_on", "correction_items"])
    _issue_document(
        by=by,
        item=request.item,
        unit=request.agency,
        doc_type="correction_notice",
        title=f"{request.agency.name}政府信息公开申请补正告知书",
        recipients=_applicant_salutation(request),
        body=[
            _received_words(request),
            f"经审查，你（单位）的申请内容不明确，请于{clock.deadline:%Y年%-m月%-d日}前补正以下事项：",
            *[p for p in reason.split("\n") if p.strip()],
            "答复期限自本机关收到补正的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
            f"依据：{rules.REGULATION}第三十条。",
        ],
        on=on,
        today=today,
        object_kind=selectors.DISCLOSURE_OBJECT,
        object_id=request.pk,
    )


def _event_correction_received(request, *, by, on, reason, **_):
    correction = _clock(request, "correction")
    if on > correction.deadline and not reason:
        raise DomainError(
            f"补正期限已于{correction.deadline:%Y-%m-%d}届满：逾期补正的，须说明申请人的正当理由", field="reason"
        )
    clock_event(clock=correction, kind="stop", on=on, by=by, basis=rules.CORRECTION_BASIS, reason=reason)
    # 第三十条: the answer period is counted from the day the corrected application is received.
    clock_event(
        clock=_clock(request, "answer"),
        kind="restart",
        on=on,
        by=by,
        basis=rules.RESTART_BASIS,
        reason=reason or "收到补正的申请",
    )
    request.status, request.correction_received_on = "processing", on
    request.save(update_fields=["status", "correction_received_on"])


def _event_consultation_started(request, *, by, on, reason, party, party_name, today, **_):
    party = clean_text(party) or "third_party"
    if party not in dict(Consultation.PARTIES):
        raise DomainError("征求意见对象应为第三方（third_party）或其他行政机关（agency）", field="party")
    party_name = clean_text(party_name)[:200]
    n = request.consultations.count() + 1
    name = "consultation" if n == 1 else f"consultation_{n}"
    rule = rules.consultation_rule(party)
    label = "第三方意见期限" if party == "third_party" else "被征求意见机关意见期限"
    clock_event(
        clock=_clock(request, "answer"),
        kind="pause",
        on=on,
        by=by,
        basis=rules.PAUSE_BASIS,
        reason=f"征求{dict(Consultation.PARTIES)[party]}意见{('：' + party_name) if party_name else ''}"
        + (f"；{reason}" if reason else ""),
    )
    clock_open(
        item=request.item,
        name=name,
        label=label,
        unit=rule.unit,
        length=rule.length,
        basis=rule.basis,
        start=on,
        by=by,
        comment=party_name,
    )
    Consultation.objects.create(request=request, party=party, party_name=party_name, clock_name=name, started_on=on)
    request.status = "consulting"
    request.save(update_fields=["status"])
    _issue_document(
        by=by,
        item=request.item,
        unit=request.agency,
        doc_type="consultation_letter",
        title=f"{request.agency.name}政府信息公开征求意见书",
        recipients=f"{party_name or dict(Consultation.PARTIES)[party]}：",
        body=[
            f"本机关收到的一件政府信息公开申请（查询码 {request.tracking_code}）涉及你（单位），"
            + ("公开可能损害你（单位）的合法权益。" if party == "third_party" else "所申请信息由你机关共同制作。"),
            f"请自收到本征求意见书之日起{rules.CONSULTATION_WORKING_DAYS}个工作日内书面提出意见。"
            + (
                "逾期未提出意见的，由本机关依照规定决定是否公开。"
                if party == "third_party"
                else "逾期未提出意见的，视为同意公开。"
            ),
            *([reason] if reason else []),
            f"依据：{rules.CONSULTATION_BASIS[party].split('：')[0]}。",
        ],
        on=on,
        today=today,
        object_kind=selectors.DISCLOSURE_OBJECT,
        object_id=request.pk,
    )


def _event_consultation_ended(request, *, by, on, reason, **_):
    consultation = request.consultations.filter(ended_on__isnull=True).order_by("-id").first()
    consulted = _clock(request, consultation.clock_name)
    clock_event(
        clock=consulted,
        kind="stop",
        on=on,
        by=by,
        basis=rules.CONSULTATION_BASIS[consultation.party],
        reason=reason,
    )
    # 第三十三条第三款: the days the consultation took are not counted; the answer period runs on from here. The
    # other side has 15 working days (第三十二条、第三十四条): the days after its period count again.
    resume_on, late = on, ""
    if consulted.deadline is not None and on > consulted.deadline:
        resume_on = consulted.deadline
        late = f"（意见期限已于 {consulted.deadline:%Y-%m-%d} 届满，此后的时间计入答复期限）"
    clock_event(
        clock=_clock(request, "answer"),
        kind="resume",
        on=resume_on,
        by=by,
        basis=rules.PAUSE_BASIS,
        reason=(reason or "收到意见") + late,
    )
    consultation.ended_on, consultation.opinion = on, reason
    consultation.save(update_fields=["ended_on", "opinion"])
    request.status = "processing"
    request.save(update_fields=["status"])


def _event_extended(request, *, by, on, days, reason, today, **_):
    answer = _clock(request, "answer")
    if days is None:
        raise DomainError("请填写延长的工作日数", field="days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise DomainError("延长的期限应为正整数（工作日）", field="days")
    if on > answer.deadline:
        raise DomainError(f"答复期限已于{answer.deadline:%Y-%m-%d}届满，不能再延长（须在期限内决定延长）", field="on")
    if not reason:
        raise DomainError("延长答复期限须说明理由（经政府信息公开工作机构负责人同意并告知申请人）", field="reason")
    answer = clock_event(
        clock=answer,
        kind="extend",
        on=on,
        by=by,
        amount=days,
        basis=rules.ANSWER_BASIS,
        reason=f"经政府信息公开工作机构负责人同意：{reason}",
    )
    request.extended_days = answer.extended
    request.save(update_fields=["extended_days"])
    # The applicant is told (第三十三条第二款): the notice is the numbered document on the timeline.
    _issue_document(
        by=by,
        item=request.item,
        unit=request.agency,
        doc_type="extension_notice",
        title=f"{request.agency.name}延长政府信息公开答复期限告知书",
        recipients=_applicant_salutation(request),
        body=[
            _received_words(request),
            f"因{reason}，经本机关政府信息公开工作机构负责人同意，答复期限延长{days}个工作日，"
            f"本机关将于{answer.deadline:%Y年%-m月%-d日}前作出答复。",
            f"依据：{rules.REGULATION}第三十三条第二款。",
        ],
        on=on,
        today=today,
        object_kind=selectors.DISCLOSURE_OBJECT,
        object_id=request.pk,
    )


def _answer_paragraphs(request, kind: str, ground: str, reason: str, competent_body: str) -> list[str]:
    a = rules.ANSWER[kind]
    lines = [_received_words(request), "经审查，现答复如下："]
    if kind in ("disclosed", "public_already", "partial"):
        lines.append(
            {
                "disclosed": "你（单位）申请公开的政府信息，本机关予以公开，相关信息见附件（或按申请的方式提供）。",
                "public_already": "你（单位）申请公开的政府信息已经主动公开，可通过本机关门户网站政府信息公开专栏获取。",
                "partial": "你（单位）申请公开的政府信息中含有不应当公开的内容，本机关对可以公开的部分予以提供，不予公开部分的理由如下：",
            }[kind]
        )
    elif kind == "withheld":
        label, article = rules.WITHHELD_GROUNDS[ground]
        lines.append(f"你（单位）申请公开的政府信息{label}，根据{rules.REGULATION}{article}，本机关决定不予公开。")
    elif kind == "not_exist":
        lines.append("经检索，本机关没有你（单位）申请公开的政府信息，该政府信息不存在。")
    elif kind == "not_held":
        lines.append(f"你（单位）申请公开的政府信息不属于本机关负责公开，请向{competent_body}申请获取。")
    elif kind == "needs_creation":
        lines.append("你（单位）申请的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供（第三十八条）。")
    elif kind == "unclear":
        lines.append("经补正后，你（单位）的申请内容仍不明确，本机关无法提供。")
    elif kind == "repeat":
        lines.append("本机关已就你（单位）的相同申请作出答复，对重复申请不予重复处理（第三十六条第六项）。")
    elif kind == "not_processed":
        label, article = rules.NOT_PROCESSED_GROUNDS[ground]
        lines.append(
            f"你（单位）的申请属于{label}，根据{rules.REGULATION}{article}，本机关不作为政府信息公开申请处理。"
        )
    if reason:
        lines += [p for p in reason.split("\n") if p.strip()]
    lines.append(f"依据：{rules.REGULATION}{a.article or '第三十六条'}。")
    if kind not in ("disclosed", "public_already"):
        lines.append(rules.REMEDY_NOTE)
    return lines


def _event_answered(request, *, by, on, answer, reason, ground, competent_body, today, **_):
    code = rules.answer_code(answer)
    ground_code = rules.ground_code(code, ground) or rules.ground_code(code, reason)
    competent_body = clean_text(competent_body)[:200]
    problems = rules.answer_problems(kind=code, ground=ground_code, reason=reason, competent_body=competent_body)
    if code in ("withheld", "not_processed") and ground and not ground_code:
        problems.insert(0, ("ground", f"依据“{clean_text(ground)[:30]}”无效"))
    if problems:
        raise _refusal(problems)
    answer_clock = _clock(request, "answer")
    paragraphs = _answer_paragraphs(request, code, ground_code, reason, competent_body)
    number, _ = _issue_document(
        by=by,
        item=request.item,
        unit=request.agency,
        doc_type="disclosure_answer",
        title=f"{request.agency.name}政府信息公开申请答复书",
        recipients=_applicant_salutation(request),
        body=paragraphs,
        on=on,
        today=today,
        object_kind=selectors.DISCLOSURE_OBJECT,
        object_id=request.pk,
    )
    item_close(item=request.item, by=by, comment=f"{rules.ANSWER[code].label}（{number}）", label="答复", closed_on=on)
    request.status, request.answer_kind, request.answer_ground = "answered", code, ground_code
    request.answer_text, request.competent_body, request.answered_on = reason, competent_body, on
    request.answer_number, request.concluded_on = number, on
    request.on_time = on <= answer_clock.deadline
    request.save(
        update_fields=[
            "status",
            "answer_kind",
            "answer_ground",
            "answer_text",
            "competent_body",
            "answered_on",
            "answer_number",
            "concluded_on",
            "on_time",
        ]
    )


def _event_delivered(request, *, by, on, method, reason, **_):
    method = clean_text(method) or "邮寄"
    if len(method) > 40:
        raise DomainError("送达方式不能超过 40 字", field="method")
    if on < request.answered_on:
        raise DomainError(f"送达日期不能早于答复日期（{request.answered_on:%Y-%m-%d}）", field="on")
    request.status, request.delivered_on, request.delivery_method = "delivered", on, method
    request.save(update_fields=["status", "delivered_on", "delivery_method"])
    item_annotate(
        item=request.item,
        by=by,
        action="delivered",
        label="送达",
        comment=f"{method}送达。{reason}".strip(),
        data={"on": on.isoformat(), "method": method},
    )


def _event_abandoned(request, *, by, on, reason, **_):
    correction = _clock(request, "correction")
    if on <= correction.deadline:
        raise DomainError(
            f"补正期限至{correction.deadline:%Y-%m-%d}，届满前不能视为放弃申请（{rules.CORRECTION_BASIS}）", field="on"
        )
    item_close(
        item=request.item, by=by, comment=reason or "申请人无正当理由逾期不补正", label="视为放弃申请", closed_on=on
    )
    request.status, request.concluded_on = "abandoned", on
    request.save(update_fields=["status", "concluded_on"])


def _event_withdrawn(request, *, by, on, reason, **_):
    if request.item_id:
        item_close(item=request.item, by=by, comment=reason or "申请人撤回申请", label="申请人撤回", closed_on=on)
    request.status, request.concluded_on = "withdrawn", on
    if request.received_on is None:
        request.received_on = on  # counted in the year's figures as received and concluded
    request.save(update_fields=["status", "concluded_on", "received_on"])


_EVENT_HANDLERS = {
    "confirmed": _event_confirmed,
    "correction_requested": _event_correction_requested,
    "correction_received": _event_correction_received,
    "consultation_started": _event_consultation_started,
    "consultation_ended": _event_consultation_ended,
    "extended": _event_extended,
    "answered": _event_answered,
    "delivered": _event_delivered,
    "abandoned": _event_abandoned,
    "withdrawn": _event_withdrawn,
}


def disclosure_consultation_lapse(*, today: dt.date | None = None) -> int:
    """The periodic job: a consultation whose 15 working days ran out without an opinion ends on its last day — a
    third party's silence leaves the decision to the agency (第三十二条), another agency's is consent (第三十四条) —
    and the answer period runs on from there. Returns how many ended."""
    today = _today(today)
    open_consultations = Consultation.objects.filter(ended_on__isnull=True, request__status="consulting")
    count = 0
    for consultation in list(open_consultations.select_related("request")):
        with transaction.atomic():
            request = DisclosureRequest.objects.select_for_update().get(pk=consultation.request_id)
            consulted = _clock(request, consultation.clock_name)
            if request.status != "consulting" or consulted.deadline is None or consulted.deadline >= today:
                continue
            disclosure_event(
                by=None,
                request=request,
                kind="consultation_ended",
                on=consulted.deadline,
                reason=rules.CONSULTATION_LAPSED[consultation.party],
                today=today,
            )
            count += 1
    return count


def disclosure_lapse(*, today: dt.date | None = None) -> int:
    """The periodic job: requests whose correction period ran out without a correction are deemed abandoned
    (第三十条: 无正当理由逾期不补正的，视为放弃申请), on the first day after the period. Returns how many."""
    today = _today(today)
    lapsed = DisclosureRequest.objects.filter(
        status="correction",
        item__clocks__name="correction",
        item__clocks__is_open=True,
        item__clocks__deadline__lt=today,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(lapsed):
        with transaction.atomic():
            request = DisclosureRequest.objects.get(pk=pk)
            if request.status != "correction":
                continue
            deadline = _clock(request, "correction").deadline
            disclosure_event(
                by=None,
                request=request,
                kind="abandoned",
                on=min(today, deadline + dt.timedelta(days=1)),
                reason="申请人逾期未补正，视为放弃申请（系统按补正期限自动办结）",
                today=today,
            )
            count += 1
    return count
