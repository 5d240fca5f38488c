"""Writes of 调解: each one transaction, checked against `case_actions` / `org_actions` (by=None: the system).
A court referral is a tracked item (the 委派调解 period, timeline); the 调解协议书 is a document of fazhi.documents."""

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.masking import mask_name
from fazhi.core.normalize import clean_text, strip_controls
from fazhi.legalservices.mediation import rules
from fazhi.legalservices.mediation.models import (
    MediationCase,
    MediationMonthly,
    MediationOrg,
    MediationSession,
    Mediator,
)
from fazhi.legalservices.mediation.permissions import case_actions, may_manage, org_actions

ITEM_KIND = "mediation_court"
COURT_CLOCK = "court_referral"  # the clock of the 委派调解 period on the referral's tracked item


def _text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = clean_text(value)
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字", field=field)
    return text


def _long(value, *, field: str, label: str, required: bool = True) -> str:
    text = strip_controls(str(value or "")).strip()
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > rules.TEXT_MAX:
        raise DomainError(f"{label}不能超过 {rules.TEXT_MAX} 字", field=field)
    return text


def _choice(value, choices, *, field: str, label: str) -> str:
    codes = dict(choices)
    if value in codes:
        return value
    by_label = {v: k for k, v in codes.items()}
    if value in by_label:
        return by_label[value]
    raise DomainError(f"{label}“{value or ''}”无效，应为：{'、'.join(codes.values())}", field=field)


def _amount(value) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise DomainError("涉及金额应为数字（元）", field="amount") from None
    if amount < 0 or amount > rules.AMOUNT_MAX or not amount.is_finite():
        raise DomainError("涉及金额应为不小于 0 的金额（元）", field="amount")
    return amount.quantize(Decimal("0.01"))


def _day(value, *, field: str, label: str, today: dt.date, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise DomainError(f"{label}不能为空", field=field)
        return None
    if not isinstance(value, dt.date):
        raise DomainError(f"{label}格式无效", field=field)
    if value > today:
        raise DomainError(f"{label}不能晚于今天", field=field)
    return value


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise Forbidden(message)


# ---------------------------------------------------------------- organisations and mediators


@transaction.atomic
def org_create(*, by, name: str, kind: str, unit, division) -> MediationOrg:
    _require(by is None or "create" in org_actions(user=by, obj=None), "无权登记调解组织")
    name = _text(name, field="name", label="组织名称", limit=100)
    kind = _choice(kind, rules.ORG_KINDS, field="kind", label="组织类型")
    if unit is None:
        raise DomainError("请选择指导单位", field="unit")
    if division is None:
        raise DomainError("请选择所在区划", field="division")
    if by is not None:
        from fazhi.legalservices.mediation.permissions import _in_scope

        if not _in_scope(by, unit):
            raise DomainError("指导单位不在本单位范围内", field="unit")
    if MediationOrg.objects.filter(name=name).exists():
        raise DomainError(f"调解组织“{name}”已登记", field="name")
    return MediationOrg.objects.create(name=name, kind=kind, unit=unit, division=division)


@transaction.atomic
def mediator_add(*, by, org: MediationOrg, name: str, phone: str = "", is_full_time: bool = False) -> Mediator:
    _require(by is None or "mediator" in org_actions(user=by, obj=org), "无权管理该组织的调解员")
    if not org.is_active:
        raise DomainError(f"调解组织“{org.name}”已停用，不能添加调解员", field="org")
    name = _text(name, field="name", label="调解员姓名", limit=rules.NAME_MAX)
    phone = _text(phone, field="phone", label="联系电话", limit=20, required=False)
    if org.mediators.filter(name=name, is_active=True).exists():
        raise DomainError(f"调解员“{name}”已在该组织登记", field="name")
    return Mediator.objects.create(org=org, name=name, phone=phone, is_full_time=is_full_time)


@transaction.atomic
def org_update(*, by, org: MediationOrg, name: str, kind: str, division) -> MediationOrg:
    """Change an organisation's name, kind or division. Its unit stays (the disputes it registered keep the unit and
    division they were registered under: statistics of the past do not move)."""
    org = MediationOrg.objects.select_for_update().get(pk=org.pk)
    _require(by is None or "edit" in org_actions(user=by, obj=org), "无权修改该调解组织")
    name = _text(name, field="name", label="组织名称", limit=100)
    kind = _choice(kind, rules.ORG_KINDS, field="kind", label="组织类型")
    if division is None:
        raise DomainError("请选择所在区划", field="division")
    if MediationOrg.objects.filter(name=name).exclude(pk=org.pk).exists():
        raise DomainError(f"调解组织“{name}”已登记", field="name")
    before = f"{org.name}/{org.get_kind_display()}/{org.division_id}"
    org.name, org.kind, org.division = name, kind, division
    org.save(update_fields=["name", "kind", "division"])
    log_operation(user=by, action="修改调解组织", obj=org, summary=f"{before} → {name}/{org.get_kind_display()}")
    return org


@transaction.atomic
def org_set_active(*, by, org: MediationOrg, active: bool) -> MediationOrg:
    """停用 (or 启用) an organisation: a deactivated one takes no new disputes and no new mediators; its disputes
    and statistics stay."""
    org = MediationOrg.objects.select_for_update().get(pk=org.pk)
    _require(
        by is None or ("activate" if active else "deactivate") in org_actions(user=by, obj=org),
        "无权启用或停用该调解组织",
    )
    if org.is_active == bool(active):
        raise DomainError("调解组织已启用" if active else "调解组织已停用", field="is_active")
    org.is_active = bool(active)
    org.save(update_fields=["is_active"])
    log_operation(user=by, action="启用调解组织" if active else "停用调解组织", obj=org, summary=org.name)
    return org


@transaction.atomic
def mediator_update(*, by, mediator: Mediator, name: str, phone: str = "", is_full_time: bool = False) -> Mediator:
    mediator = Mediator.objects.select_for_update().select_related("org", "org__unit").get(pk=mediator.pk)
    _require(by is None or "mediator" in org_actions(user=by, obj=mediator.org), "无权管理该组织的调解员")
    name = _text(name, field="name", label="调解员姓名", limit=rules.NAME_MAX)
    phone = _text(phone, field="phone", label="联系电话", limit=20, required=False)
    if mediator.org.mediators.filter(name=name, is_active=True).exclude(pk=mediator.pk).exists():
        raise DomainError(f"调解员“{name}”已在该组织登记", field="name")
    mediator.name, mediator.phone, mediator.is_full_time = name, phone, bool(is_full_time)
    mediator.save(update_fields=["name", "phone", "is_full_time"])
    log_operation(user=by, action="修改调解员", obj=mediator, summary=f"{mediator.org.name} {name}")
    return mediator


@transaction.atomic
def mediator_set_active(*, by, mediator: Mediator, active: bool) -> Mediator:
    """离任 (deactivate) or 复任 a mediator: a departed mediator keeps the sessions already recorded but cannot be
    assigned new disputes or sessions."""
    mediator = Mediator.objects.select_for_update().select_related("org", "org__unit").get(pk=mediator.pk)
    _require(by is None or "mediator" in org_actions(user=by, obj=mediator.org), "无权管理该组织的调解员")
    if mediator.is_active == bool(active):
        raise DomainError("调解员已在任" if active else "调解员已离任", field="is_active")
    if active and mediator.org.mediators.filter(name=mediator.name, is_active=True).exists():
        raise DomainError(f"该组织已有在任调解员“{mediator.name}”", field="name")
    mediator.is_active = bool(active)
    mediator.save(update_fields=["is_active"])
    log_operation(
        user=by,
        action="调解员复任" if active else "调解员离任",
        obj=mediator,
        summary=f"{mediator.org.name} {mediator.name}",
    )
    return mediator


def _mediator_check(mediator: Mediator | None, org_id: int, *, field: str = "mediator") -> None:
    if mediator is None:
        return
    if mediator.org_id != org_id:
        raise DomainError("调解员不属于所选调解组织", field=field)
    if not Mediator.objects.filter(pk=mediator.pk, is_active=True).exists():  # as stored, not as the caller held it
        raise DomainError(f"调解员“{mediator.name}”已离任，不能安排新的调解", field=field)


# ---------------------------------------------------------------- disputes


def _complaint_check(*, by, complaint_id) -> int:
    """A dispute transferred from the complaints desk names a complaint the registrar can see, closed there as out of
    scope (不属于受理范围) — read through the complaints app's selector."""
    from fazhi.complaints.selectors import complaint_ref

    if not complaint_id:
        raise DomainError("来源为投诉举报转来的，须填写投诉编号", field="complaint_id")
    if by is None:
        raise DomainError("投诉转来的纠纷须由工作人员登记", field="complaint_id")
    complaint = complaint_ref(user=by, pk=complaint_id, field="complaint_id")
    if complaint.status != "out_of_scope":
        raise DomainError("该投诉未作“不属于受理范围”处理，不能作为调解来源", field="complaint_id")
    if MediationCase.objects.filter(complaint_id=complaint.pk).exists():
        raise DomainError("该投诉已转为调解案件", field="complaint_id")
    return complaint.pk


@transaction.atomic
def case_register(
    *,
    by,
    org: MediationOrg,
    kind: str,
    source: str,
    applicant: str,
    respondent: str,
    facts: str,
    amount=0,
    received_on: dt.date | None = None,
    applicant_phone: str = "",
    mediator: Mediator | None = None,
    complaint_id: int | None = None,
    court_name: str = "",
    court_case_no: str = "",
    court_referred_on: dt.date | None = None,
    imported: bool = False,
    today: dt.date | None = None,
) -> MediationCase:
    """Register a dispute. A court referral (诉前调解) opens a tracked item due COURT_REFERRAL_DAYS after the
    referral (the period and its source in rules.py)."""
    today = today or timezone.localdate()
    _require(by is None or "create" in case_actions(user=by, obj=None), "无权登记矛盾纠纷")
    if org is None:
        raise DomainError("请选择调解组织", field="org")
    if by is not None:
        from fazhi.legalservices.mediation.permissions import _in_scope

        if not _in_scope(by, org.unit):
            raise DomainError("调解组织不在本单位范围内", field="org")
    kind = _choice(kind, rules.KINDS, field="kind", label="纠纷类型")
    source = _choice(source, rules.SOURCES, field="source", label="来源")
    applicant = _text(applicant, field="applicant", label="申请人", limit=rules.NAME_MAX)
    respondent = _text(respondent, field="respondent", label="被申请人", limit=rules.NAME_MAX)
    applicant_phone = _text(applicant_phone, field="applicant_phone", label="申请人电话", limit=20, required=False)
    facts = _long(facts, field="facts", label="纠纷简要情况")
    amount = _amount(amount)
    received_on = _day(received_on or today, field="received_on", label="受理日期", today=today)
    if not org.is_active:
        raise DomainError(f"调解组织“{org.name}”已停用，不能登记新的纠纷", field="org")
    _mediator_check(mediator, org.pk)
    if source == rules.SOURCE_COMPLAINT:
        complaint_id = _complaint_check(by=by, complaint_id=complaint_id)
    else:
        complaint_id = None
    if source == rules.SOURCE_COURT:
        court_name = _text(court_name, field="court_name", label="委派法院", limit=100)
        court_case_no = _text(court_case_no, field="court_case_no", label="法院编号", limit=60, required=False)
        court_referred_on = _day(
            court_referred_on or received_on, field="court_referred_on", label="委派日期", today=today
        )
        if court_referred_on > received_on:
            raise DomainError("委派日期不能晚于受理日期", field="court_referred_on")
    else:
        court_name, court_case_no, court_referred_on = "", "", None
    case = MediationCase.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:24]}",
        org=org,
        unit_id=org.unit_id,
        division_id=org.division_id,
        mediator=mediator,
        kind=kind,
        source=source,
        complaint_id=complaint_id,
        applicant=applicant,
        applicant_phone=applicant_phone,
        respondent=respondent,
        facts=facts,
        amount=amount,
        received_on=received_on,
        court_name=court_name,
        court_case_no=court_case_no,
        court_referred_on=court_referred_on,
        court_due=rules.court_due(referred_on=court_referred_on) if court_referred_on else None,
        imported=imported,
        created_by=by if getattr(by, "pk", None) else None,
    )
    case.number = f"TJ{received_on.year}-{case.pk:06d}"
    fields = ["number"]
    if source == rules.SOURCE_COURT and not imported:
        from fazhi.tracking.services import item_open

        case.item = item_open(
            kind=ITEM_KIND,
            title=f"诉前调解 {case.number}（{court_name}委派）",
            unit=org.unit,
            by=by,
            start=court_referred_on,
            deadline=case.court_due,
            deadline_source=rules.COURT_REFERRAL_SOURCE,
            url=reverse("legalservices:mediation:case_detail", args=[case.pk]),
            comment=f"{mask_name(applicant)}与{mask_name(respondent)}，{rules.KIND_LABELS[kind]}",
        )
        fields.append("item")
        from fazhi.tracking.services import clock_open

        clock_open(
            item=case.item,
            name=COURT_CLOCK,
            label="委派调解期限",
            unit="calendar",
            length=rules.COURT_REFERRAL_DAYS,
            basis=rules.COURT_REFERRAL_SOURCE,
            start=court_referred_on,
            by=by,
            extension_cap=rules.COURT_EXTENSION_MAX_DAYS,
        )
    case.save(update_fields=fields)
    _monthly_add(case, received=1, amount=case.amount)
    return case


@transaction.atomic
def session_add(
    *, by, case: MediationCase, held_on: dt.date, notes: str, place: str = "", mediator=None, today=None
) -> MediationSession:
    today = today or timezone.localdate()
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    _require(by is None or "session" in case_actions(user=by, obj=case), "该纠纷不能再记录调解过程")
    if case.status not in rules.OPEN_STATUSES:
        raise DomainError("该纠纷已调结，不能再记录调解过程", field="status")
    held_on = _day(held_on, field="held_on", label="调解日期", today=today)
    if held_on < case.received_on:
        raise DomainError("调解日期不能早于受理日期", field="held_on")
    notes = _long(notes, field="notes", label="调解记录")
    place = _text(place, field="place", label="地点", limit=200, required=False)
    _mediator_check(mediator, case.org_id)
    if mediator is None and case.mediator_id and case.mediator.is_active:
        mediator = case.mediator  # the dispute's mediator, unless he has left since (then the session names none)
    session = MediationSession.objects.create(
        case=case, held_on=held_on, notes=notes, place=place, mediator=mediator, by=by
    )
    if case.status == rules.REGISTERED:
        case.status = rules.MEDIATING
        case.save(update_fields=["status"])
    if case.item_id:
        from fazhi.tracking.services import item_record

        item_record(item=case.item, by=by, action="session", label="调解", comment=f"{held_on:%Y-%m-%d} {place}")
    return session


@transaction.atomic
def case_close(
    *,
    by,
    case: MediationCase,
    outcome: str,
    closed_on: dt.date | None = None,
    agreement: str = "",
    performance_terms: str = "",
    next_channel: str = "",
    failure_reason: str = "",
    today: dt.date | None = None,
    make_document: bool = True,
) -> MediationCase:
    """Conclude a mediation: 调解成功 with the agreement (a 调解协议书 is generated), or 不成功 with the channel the
    parties are told of (《人民调解法》第二十六条). Without an outcome nothing is written."""
    today = today or timezone.localdate()
    case = MediationCase.objects.select_for_update(of=("self",)).select_related("org", "item").get(pk=case.pk)
    _require(by is None or "close" in case_actions(user=by, obj=case), "该纠纷不能办结")
    if case.status not in rules.OPEN_STATUSES:
        raise DomainError("该纠纷已调结", field="status")
    if not outcome:
        raise DomainError("请选择调解结果（调解成功或调解不成功）", field="outcome")
    outcome = _choice(outcome, rules.OUTCOMES, field="outcome", label="调解结果")
    closed_on = _day(closed_on or today, field="closed_on", label="调结日期", today=today)
    if closed_on < case.received_on:
        raise DomainError("调结日期不能早于受理日期", field="closed_on")
    if outcome == rules.SUCCESS:
        case.agreement = _long(agreement, field="agreement", label="调解协议内容")
        case.performance_terms = _text(
            performance_terms, field="performance_terms", label="履行方式与期限", limit=500, required=False
        )
        case.performance = "pending"
        case.next_channel, case.failure_reason = "", ""
    else:
        if not next_channel:
            raise DomainError("调解不成功的，须选择告知当事人的后续途径", field="next_channel")
        case.next_channel = _choice(next_channel, rules.CHANNELS, field="next_channel", label="后续途径")
        case.failure_reason = _text(
            failure_reason, field="failure_reason", label="未成功原因", limit=500, required=False
        )
        case.agreement, case.performance_terms, case.performance = "", "", ""
    case.status, case.closed_on = outcome, closed_on
    case.save()
    success = outcome == rules.SUCCESS
    _monthly_add(case, mediated=1, success=int(success), success_amount=case.amount if success else 0)
    if outcome == rules.SUCCESS and make_document:
        case.document_id = agreement_document(by=by, case=case).pk
        case.save(update_fields=["document_id"])
    if case.item_id:
        from fazhi.tracking.services import item_record

        item_record(
            item=case.item,
            by=by,
            action="outcome",
            label=rules.STATUS_LABELS[outcome],
            comment=case.failure_reason if outcome == rules.FAILED else "",
            data={"outcome": outcome, "closed_on": closed_on.isoformat()},
        )
    return case


def agreement_document(*, by, case: MediationCase):
    """The 人民调解协议书 (《人民调解法》第二十九条: the parties, the facts and points in dispute, what was agreed and
    how and when it is performed), as a GB/T 9704 docx stored by fazhi.documents. It names the parties in full:
    it is the parties' own instrument, read only by those who may manage the case."""
    from fazhi.documents.gongwen import Gongwen, gongwen_docx
    from fazhi.documents.services import document_store

    body = [
        "一、当事人",
        f"申请人：{case.applicant}" + (f"，联系电话：{case.applicant_phone}" if case.applicant_phone else ""),
        f"被申请人：{case.respondent}",
        "二、纠纷主要事实和争议事项",
        f"{rules.KIND_LABELS[case.kind]}。{case.facts}",
        "三、经调解，双方自愿达成如下协议",
        *[line for line in case.agreement.splitlines() if line.strip()],
        "四、履行方式和期限",
        case.performance_terms or "自本协议生效之日起按约定履行。",
        "五、其他",
        "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效，具有法律约束力，"
        f"当事人应当按照约定履行。双方认为有必要的，可以自本协议生效之日起{rules.CONFIRMATION_DAYS}日内共同向人民法院申请司法确认。",
        "本协议一式三份，双方当事人和人民调解委员会各执一份。",
        "当事人（签名）：                    当事人（签名）：",
        f"人民调解员（签名）：{case.mediator.name if case.mediator_id else ''}",
    ]
    content = gongwen_docx(
        Gongwen(title="人民调解协议书", body=body, number=case.number, signature=case.org.name, date=case.closed_on)
    )
    return document_store(
        by=by,
        item=case.item if case.item_id else None,
        title=f"人民调解协议书（{case.number}）",
        number=case.number,
        content=content,
        filename=f"人民调解协议书-{case.number}.docx",
        object_kind="mediation_case",
        object_id=case.pk,
    )


@transaction.atomic
def case_follow_up(
    *, by, case: MediationCase, performance: str, note: str = "", checked_on: dt.date | None = None, today=None
) -> MediationCase:
    """回访: how the agreement is being performed (《人民调解法》第三十一条)."""
    today = today or timezone.localdate()
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    _require(by is None or "follow_up" in case_actions(user=by, obj=case), "只有调解成功的纠纷才回访履行情况")
    if case.status != rules.SUCCESS:
        raise DomainError("只有调解成功的纠纷才回访履行情况", field="performance")
    if not performance or performance == "pending":
        raise DomainError("请选择履行情况", field="performance")
    case.performance = _choice(performance, rules.PERFORMANCE, field="performance", label="履行情况")
    case.performance_note = _text(note, field="note", label="回访情况", limit=500, required=False)
    case.performance_checked_on = _day(checked_on or today, field="checked_on", label="回访日期", today=today)
    if case.closed_on and case.performance_checked_on < case.closed_on:
        raise DomainError("回访日期不能早于调结日期", field="checked_on")
    case.save(update_fields=["performance", "performance_note", "performance_checked_on"])
    return case


@transaction.atomic
def court_return(*, by, case: MediationCase, returned_on: dt.date | None = None, today=None) -> MediationCase:
    """The result of a court referral is returned to the court: the tracked item closes on that day."""
    today = today or timezone.localdate()
    case = MediationCase.objects.select_for_update(of=("self",)).select_related("item").get(pk=case.pk)
    _require(by is None or "court_return" in case_actions(user=by, obj=case), "该纠纷不能反馈法院")
    if case.source != rules.SOURCE_COURT:
        raise DomainError("只有法院委派的诉前调解需要反馈法院", field="source")
    if case.status in rules.OPEN_STATUSES:
        raise DomainError("调解尚未调结，不能反馈法院", field="status")
    returned_on = _day(returned_on or today, field="returned_on", label="反馈日期", today=today)
    if case.closed_on and returned_on < case.closed_on:
        raise DomainError("反馈日期不能早于调结日期", field="returned_on")
    case.court_returned_on = returned_on
    case.save(update_fields=["court_returned_on"])
    if case.item_id and case.item.status != "closed":
        from fazhi.tracking.services import item_close

        item_close(
            item=case.item, by=by, label="反馈法院", comment=rules.STATUS_LABELS[case.status], closed_on=returned_on
        )
    return case


@transaction.atomic
def court_extend(
    *, by, case: MediationCase, days, ground: str, reason: str, on: dt.date | None = None, today=None
) -> MediationCase:
    """Extend a court referral's period once (rules.COURT_EXTENSION_*): the parties agreed or the court approved,
    for a reason, by at most COURT_EXTENSION_MAX_DAYS. The referral's tracked item runs a clock of the tracking
    core (opened here for referrals registered before the clock existed); the extension is a clock event, so the
    item's deadline moves and its timeline records who extended, why and on what basis."""
    today = today or timezone.localdate()
    case = MediationCase.objects.select_for_update(of=("self",)).select_related("org", "item").get(pk=case.pk)
    _require(by is None or "court_extend" in case_actions(user=by, obj=case), "该纠纷不能延长委派调解期限")
    if case.source != rules.SOURCE_COURT or not case.court_due:
        raise DomainError("只有法院委派的诉前调解可以延长调解期限", field="source")
    if case.status not in rules.OPEN_STATUSES:
        raise DomainError("调解已调结，不能再延长期限", field="status")
    if case.court_extended_days:
        raise DomainError(
            f"委派调解期限只能延长一次，已延长{case.court_extended_days}日（{rules.COURT_EXTENSION_CITATION}）",
            field="days",
        )
    try:
        days = int(str(days).strip())
    except (TypeError, ValueError):
        raise DomainError("延长天数应为正整数", field="days") from None
    if days < 1 or days > rules.COURT_EXTENSION_MAX_DAYS:
        raise DomainError(
            f"延长天数应为 1 至 {rules.COURT_EXTENSION_MAX_DAYS} 日（{rules.COURT_EXTENSION_CITATION}）", field="days"
        )
    ground = _choice(ground, rules.COURT_EXTENSION_GROUNDS, field="ground", label="延长依据")
    reason = _text(reason, field="reason", label="延长理由", limit=500)
    on = _day(on or today, field="on", label="延长日期", today=today)
    if case.court_referred_on and on < case.court_referred_on:
        raise DomainError("延长日期不能早于委派日期", field="on")
    if on > case.court_due:
        raise DomainError(f"委派调解期限已于{case.court_due:%Y-%m-%d}届满，不能再延长", field="on")
    if case.item_id and case.item.status != "closed":
        from fazhi.tracking.models import Clock
        from fazhi.tracking.services import clock_event, clock_open

        clock = Clock.objects.filter(item=case.item, name=COURT_CLOCK).first() or clock_open(
            item=case.item,
            name=COURT_CLOCK,
            label="委派调解期限",
            unit="calendar",
            length=rules.COURT_REFERRAL_DAYS,
            basis=rules.COURT_REFERRAL_SOURCE,
            start=case.court_referred_on,
            by=by,
            extension_cap=rules.COURT_EXTENSION_MAX_DAYS,
        )
        clock_event(
            clock=clock,
            kind="extend",
            on=on,
            by=by,
            basis=rules.COURT_EXTENSION_CITATION,
            reason=f"{rules.COURT_EXTENSION_GROUND_LABELS[ground]}：{reason}",
            amount=days,
        )
    case.court_extended_days = days
    case.court_extension_ground = ground
    case.court_extension_reason = reason
    case.court_due = rules.court_due(referred_on=case.court_referred_on, extension_days=days)
    case.save(update_fields=["court_extended_days", "court_extension_ground", "court_extension_reason", "court_due"])
    return case


def may_register(user) -> bool:
    return may_manage(user)


# ---------------------------------------------------------------- the monthly roll-up


def _monthly_add(case: MediationCase, **deltas) -> None:
    """Add to the case's row of the roll-up (month of receipt, organisation, kind), in the caller's transaction."""
    from django.db import IntegrityError
    from django.db.models import F

    key = {"month": case.received_on.replace(day=1), "org_id": case.org_id, "kind": case.kind}
    change = {name: F(name) + value for name, value in deltas.items()}
    if MediationMonthly.objects.filter(**key).update(**change):
        return
    try:
        with transaction.atomic():
            MediationMonthly.objects.create(**key, unit_id=case.unit_id, division_id=case.division_id, **deltas)
    except IntegrityError:  # another transaction created the row first
        MediationMonthly.objects.filter(**key).update(**change)


@transaction.atomic
def mediation_monthly_rebuild() -> int:
    """Recompute the roll-up from the cases (after a bulk load, or to check it); returns the number of rows."""
    from django.db.models import Count, Q, Sum
    from django.db.models.functions import TruncMonth

    MediationMonthly.objects.all().delete()
    rows = (
        MediationCase.objects.annotate(month=TruncMonth("received_on"))
        .values("month", "org_id", "unit_id", "division_id", "kind")
        .annotate(
            received=Count("received_on"),
            mediated=Count("received_on", filter=Q(status__in=(rules.SUCCESS, rules.FAILED))),
            success=Count("received_on", filter=Q(status=rules.SUCCESS)),
            total=Sum("amount"),
            success_total=Sum("amount", filter=Q(status=rules.SUCCESS)),
        )
        .order_by()
    )
    objs = [
        MediationMonthly(
            month=r["month"],
            org_id=r["org_id"],
            unit_id=r["unit_id"],
            division_id=r["division_id"],
            kind=r["kind"],
            received=r["received"],
            mediated=r["mediated"],
            success=r["success"],
            amount=r["total"] or 0,
            success_amount=r["success_total"] or 0,
        )
        for r in rows.iterator(chunk_size=5000)
    ]
    MediationMonthly.objects.bulk_create(objs, batch_size=2000)
    return len(objs)
