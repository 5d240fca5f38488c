"""Writes of 法律顾问: each one transaction, checked against the `<entity>_actions` predicates (by=None: system).
A legal-opinion request is a tracked item due on its deadline; the answer is a 法律意见书 of fazhi.documents."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.normalize import clean_text, strip_controls
from fazhi.legalservices.advisers import rules
from fazhi.legalservices.advisers.models import (
    AdviserContract,
    AdviserService,
    AdviserVillage,
    LegalAdviser,
    LegalOpinion,
)
from fazhi.legalservices.advisers.permissions import adviser_actions, in_scope, may_manage, opinion_actions

ITEM_KIND = "legal_opinion"


def _text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = clean_text(value)
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字", field=field)
    return text


def _long(value, *, field: str, label: str) -> str:
    text = strip_controls(str(value or "")).strip()
    if not text:
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


def _date(value, *, field: str, label: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(f"{label}不能为空", field=field)
    return value


def _unit_in_scope(by, unit, *, field: str) -> None:
    if unit is None:
        raise DomainError("请选择单位", field=field)
    if not in_scope(by, unit):
        raise DomainError("单位不在本单位范围内", field=field)


# ---------------------------------------------------------------- villages and the roster


@transaction.atomic
def village_create(*, by, name: str, unit, division, kind: str = "village") -> AdviserVillage:
    if not may_manage(by):
        raise Forbidden("无权登记村（社区）")
    name = _text(name, field="name", label="村（社区）名称", limit=100)
    kind = _choice(kind, rules.VILLAGE_KINDS, field="kind", label="类型")
    _unit_in_scope(by, unit, field="unit")
    if division is None:
        raise DomainError("请选择所在区划", field="division")
    if AdviserVillage.objects.filter(unit=unit, name=name).exists():
        raise DomainError(f"“{unit}”已有村（社区）“{name}”", field="name")
    return AdviserVillage.objects.create(name=name, kind=kind, unit=unit, division=division)


@transaction.atomic
def adviser_create(
    *, by, kind: str, name: str, unit, firm: str = "", license_no: str = "", phone: str = ""
) -> LegalAdviser:
    if "create" not in adviser_actions(user=by, obj=None):
        raise Forbidden("无权登记法律顾问")
    kind = _choice(kind, rules.ADVISER_KINDS, field="kind", label="类别")
    name = _text(name, field="name", label="姓名", limit=rules.NAME_MAX)
    firm = _text(firm, field="firm", label="律师事务所或工作单位", limit=100, required=kind != rules.GOV_LAWYER)
    license_no = _text(license_no, field="license_no", label="执业证号", limit=30, required=False)
    phone = _text(phone, field="phone", label="联系电话", limit=20, required=False)
    _unit_in_scope(by, unit, field="unit")
    if license_no and LegalAdviser.objects.filter(license_no=license_no, kind=kind, is_active=True).exists():
        raise DomainError(f"执业证号 {license_no} 已在名册中", field="license_no")
    return LegalAdviser.objects.create(kind=kind, name=name, firm=firm, license_no=license_no, phone=phone, unit=unit)


@transaction.atomic
def contract_create(
    *,
    by,
    adviser: LegalAdviser,
    start: dt.date,
    end: dt.date,
    village: AdviserVillage | None = None,
    unit=None,
    fee=0,
    note: str = "",
) -> AdviserContract:
    """A contract of an adviser with a unit, or with a village for 村（居）法律顾问: one adviser per village at a time —
    a second contract for the same village and an overlapping period is refused, naming the field."""
    if "contract" not in adviser_actions(user=by, obj=adviser):
        raise Forbidden("无权登记该顾问的合同")
    start = _date(start, field="start", label="合同起始日")
    end = _date(end, field="end", label="合同终止日")
    if end < start:
        raise DomainError("合同终止日不能早于起始日", field="end")
    try:
        fee = Decimal(str(fee or 0))
    except InvalidOperation:
        raise DomainError("聘用费用应为金额（元）", field="fee") from None
    if fee < 0 or not fee.is_finite() or fee > Decimal("9999999999"):
        raise DomainError("聘用费用应为不小于 0 的金额（元）", field="fee")
    if adviser.kind == rules.VILLAGE and village is None:
        raise DomainError("村（居）法律顾问的合同须选择村（社区）", field="village")
    if village is not None:
        if adviser.kind != rules.VILLAGE:
            raise DomainError("只有村（居）法律顾问才能与村（社区）签订合同", field="village")
        AdviserVillage.objects.select_for_update().filter(pk=village.pk).first()  # one writer per village
        clash = (
            AdviserContract.objects.filter(village=village, start__lte=end, end__gte=start)
            .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=start))
            .select_related("adviser")
            .first()
        )
        if clash is not None:
            raise DomainError(
                f"村（社区）“{village.name}”在 {clash.start:%Y-%m-%d} 至 {clash.end:%Y-%m-%d} 已有法律顾问合同"
                f"（{clash.adviser.name}），合同期间不能重叠",
                field="village",
            )
        unit = village.unit
    unit = unit or adviser.unit
    _unit_in_scope(by, unit, field="unit")
    return AdviserContract.objects.create(
        adviser=adviser,
        unit=unit,
        village=village,
        start=start,
        end=end,
        fee=fee,
        note=_text(note, field="note", label="备注", limit=300, required=False),
        created_by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def contract_terminate(*, by, contract: AdviserContract, on: dt.date, reason: str, today=None) -> AdviserContract:
    """End a contract early (解除/终止). The contract stays on record with its agreed period; from `on` it no longer
    counts for the village's coverage, and another adviser may be contracted for the village from that day."""
    today = today or timezone.localdate()
    contract = AdviserContract.objects.select_for_update(of=("self",)).select_related("adviser").get(pk=contract.pk)
    if "terminate" not in adviser_actions(user=by, obj=contract.adviser):
        raise Forbidden("无权终止该顾问的合同")
    if contract.terminated_on:
        raise DomainError(f"该合同已于 {contract.terminated_on:%Y-%m-%d} 终止", field="on")
    on = _date(on, field="on", label="终止日期")
    if on <= contract.start:
        raise DomainError("终止日期应晚于合同起始日（未开始的合同可终止于次日）", field="on")
    if on > contract.end:
        raise DomainError(f"终止日期不能晚于合同终止日 {contract.end:%Y-%m-%d}", field="on")
    if on > today + dt.timedelta(days=366):
        raise DomainError("终止日期过远", field="on")
    contract.terminated_on = on
    contract.termination_reason = _text(reason, field="reason", label="终止原因", limit=300)
    contract.save(update_fields=["terminated_on", "termination_reason"])
    log_operation(
        user=by if getattr(by, "pk", None) else None,
        action="终止法律顾问合同",
        obj=contract,
        summary=f"{contract.adviser.name} {contract.start}–{contract.end} 于 {on} 终止：{contract.termination_reason}",
    )
    return contract


@transaction.atomic
def adviser_update(*, by, adviser: LegalAdviser, name: str, firm: str = "", license_no: str = "", phone: str = ""):
    """Correct an adviser's name, firm, licence number or phone. The category and the engaging unit stay (his
    contracts and coverage were recorded under them)."""
    adviser = LegalAdviser.objects.select_for_update(of=("self",)).select_related("unit").get(pk=adviser.pk)
    if "edit" not in adviser_actions(user=by, obj=adviser):
        raise Forbidden("无权修改该顾问")
    name = _text(name, field="name", label="姓名", limit=rules.NAME_MAX)
    firm = _text(firm, field="firm", label="律师事务所或工作单位", limit=100, required=adviser.kind != rules.GOV_LAWYER)
    license_no = _text(license_no, field="license_no", label="执业证号", limit=30, required=False)
    phone = _text(phone, field="phone", label="联系电话", limit=20, required=False)
    same = LegalAdviser.objects.filter(license_no=license_no, kind=adviser.kind, is_active=True).exclude(pk=adviser.pk)
    if license_no and same.exists():
        raise DomainError(f"执业证号 {license_no} 已在名册中", field="license_no")
    adviser.name, adviser.firm, adviser.license_no, adviser.phone = name, firm, license_no, phone
    adviser.save(update_fields=["name", "firm", "license_no", "phone"])
    log_operation(user=by if getattr(by, "pk", None) else None, action="修改法律顾问", obj=adviser, summary=name)
    return adviser


@transaction.atomic
def adviser_set_active(*, by, adviser: LegalAdviser, active: bool, today=None) -> LegalAdviser:
    """Take an adviser off the roster (出册) or put him back. Off the roster: no new contracts, services or opinions;
    his contracts and records stay. A contract still running must be terminated first."""
    today = today or timezone.localdate()
    adviser = LegalAdviser.objects.select_for_update(of=("self",)).select_related("unit").get(pk=adviser.pk)
    if ("activate" if active else "deactivate") not in adviser_actions(user=by, obj=adviser):
        raise Forbidden("无权调整该顾问的在册状态")
    if not active:
        running = (
            adviser.contracts.filter(end__gte=today)
            .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=today))
            .first()
        )
        if running is not None:
            raise DomainError(
                f"该顾问尚有未到期的合同（{running.start:%Y-%m-%d} 至 {running.end:%Y-%m-%d}），请先终止合同",
                field="is_active",
            )
    adviser.is_active = bool(active)
    adviser.save(update_fields=["is_active"])
    log_operation(
        user=by if getattr(by, "pk", None) else None,
        action="法律顾问重新在册" if active else "法律顾问出册",
        obj=adviser,
        summary=adviser.name,
    )
    return adviser


@transaction.atomic
def service_record(
    *, by, adviser: LegalAdviser, kind: str, on: dt.date, count: int = 1, note: str = "", village=None, today=None
) -> AdviserService:
    today = today or timezone.localdate()
    if "service" not in adviser_actions(user=by, obj=adviser):
        raise Forbidden("无权登记该顾问的服务记录")
    kind = _choice(kind, rules.SERVICE_KINDS, field="kind", label="服务类型")
    on = _date(on, field="on", label="服务日期")
    if on > today:
        raise DomainError("服务日期不能晚于今天", field="on")
    if not isinstance(count, int) or count < 1 or count > 100000:
        raise DomainError("件（人）次应为正整数", field="count")
    return AdviserService.objects.create(
        adviser=adviser,
        unit=village.unit if village else adviser.unit,
        village=village,
        kind=kind,
        on=on,
        count=count,
        note=_text(note, field="note", label="服务内容", limit=500, required=False),
    )


# ---------------------------------------------------------------- legal opinions


def related_label(*, user, kind: str, pk: int | None) -> tuple[str, str]:
    """(label, url) of the rule-making or disputes record an opinion concerns, through those apps' selectors;
    raises NotFound when the user cannot see it."""
    if not kind or not pk:
        return "", ""
    if kind == "decision":
        from fazhi.rulemaking.selectors import decision_get

        obj = decision_get(user=user, pk=pk)
        return f"重大行政决策：{obj.title}", reverse("rulemaking:decision_detail", args=[obj.pk])
    if kind == "normative":
        from fazhi.rulemaking.selectors import normative_get

        obj = normative_get(user=user, pk=pk)
        return f"规范性文件：{obj.title}", reverse("rulemaking:normative_detail", args=[obj.pk])
    from fazhi.disputes.selectors import litigation_get

    obj = litigation_get(user=user, pk=pk)
    return f"行政应诉：{obj.case_number}（{obj.court}）", reverse("disputes:litigation_detail", args=[obj.pk])


@transaction.atomic
def opinion_request(
    *,
    by,
    unit,
    kind: str,
    subject: str,
    question: str,
    deadline: dt.date | None = None,
    related_kind: str = "",
    related_id: int | None = None,
    today: dt.date | None = None,
) -> LegalOpinion:
    from fazhi.core.errors import NotFound
    from fazhi.tracking.services import item_open

    today = today or timezone.localdate()
    if "create" not in opinion_actions(user=by, obj=None):
        raise Forbidden("无权提出法律意见请求")
    if unit is None:
        raise DomainError("请选择请求单位", field="unit")
    if by is not None and not may_manage(by) and unit.pk != by.unit_id:
        raise DomainError("只能为本单位提出请求", field="unit")
    _unit_in_scope(by, unit, field="unit")
    kind = _choice(kind, rules.OPINION_KINDS, field="kind", label="事项类型")
    subject = _text(subject, field="subject", label="事项名称", limit=200)
    question = _long(question, field="question", label="需要论证的问题")
    if deadline is not None and deadline <= today:
        raise DomainError("答复期限应晚于今天", field="deadline")
    if related_kind:
        related_kind = _choice(related_kind, rules.RELATED_KINDS, field="related_kind", label="关联记录类型")
        if not related_id:
            raise DomainError("请填写关联记录编号", field="related_id")
        if by is not None:
            try:
                related_label(user=by, kind=related_kind, pk=related_id)
            except NotFound:
                raise DomainError("关联记录不存在或无权访问", field="related_id") from None
    else:
        related_id = None
    opinion = LegalOpinion.objects.create(
        unit=unit,
        kind=kind,
        subject=subject,
        question=question,
        requested_on=today,
        deadline=deadline or today,
        related_kind=related_kind,
        related_id=related_id,
        created_by=by if getattr(by, "pk", None) else None,
    )
    opinion.item = item_open(
        kind=ITEM_KIND,
        title=f"法律意见：{subject}",
        unit=unit,
        by=by,
        start=today,
        limit_kind="fixed" if deadline else "working",
        limit_days=None if deadline else rules.OPINION_DEFAULT_WORKING_DAYS,
        deadline=deadline,
        deadline_source=rules.OPINION_PERIOD_SOURCE,
        url=reverse("legalservices:advisers:opinion_detail", args=[opinion.pk]),
    )
    opinion.deadline = opinion.item.deadline
    opinion.save(update_fields=["item", "deadline"])
    return opinion


@transaction.atomic
def opinion_route(*, by, opinion: LegalOpinion, adviser: LegalAdviser) -> LegalOpinion:
    from fazhi.tracking.services import item_record

    opinion = LegalOpinion.objects.select_for_update(of=("self",)).select_related("unit", "item").get(pk=opinion.pk)
    if "route" not in opinion_actions(user=by, obj=opinion):
        raise Forbidden("该请求不能分派")
    if adviser is None or not adviser.is_active or adviser.kind == rules.VILLAGE:
        raise DomainError("请选择在册的政府法律顾问或公职律师", field="adviser")
    opinion.adviser, opinion.status = adviser, "routed"
    opinion.save(update_fields=["adviser", "status"])
    item_record(item=opinion.item, by=by, action="route", label="分派顾问", comment=adviser.name)
    return opinion


@transaction.atomic
def opinion_answer(
    *, by, opinion: LegalOpinion, text: str, suggestions: int = 0, answered_on: dt.date | None = None, today=None
) -> LegalOpinion:
    """The adviser's opinion, recorded by the bureau: a 法律意见书 is generated and the tracked item closes."""
    from fazhi.documents.gongwen import Gongwen, gongwen_docx
    from fazhi.documents.services import document_store
    from fazhi.tracking.services import item_close

    today = today or timezone.localdate()
    opinion = (
        LegalOpinion.objects.select_for_update(of=("self",))
        .select_related("unit", "item", "adviser")
        .get(pk=opinion.pk)
    )
    if "answer" not in opinion_actions(user=by, obj=opinion):
        raise Forbidden("该请求尚未分派或已答复")
    text = _long(text, field="text", label="法律意见")
    if not isinstance(suggestions, int) or suggestions < 0 or suggestions > 1000:
        raise DomainError("意见建议条数应为不小于 0 的整数", field="suggestions")
    answered_on = answered_on or today
    if answered_on > today or answered_on < opinion.requested_on:
        raise DomainError("出具日期应在请求日期与今天之间", field="answered_on")
    opinion.opinion, opinion.suggestions, opinion.answered_on, opinion.status = (
        text,
        suggestions,
        answered_on,
        "answered",
    )
    content = gongwen_docx(
        Gongwen(
            title="法律意见书",
            recipients=opinion.unit.name,
            body=[
                f"关于“{opinion.subject}”（{rules.OPINION_KIND_LABELS[opinion.kind]}）的法律意见如下：",
                *[line for line in text.splitlines() if line.strip()],
            ],
            signature=f"{rules.ADVISER_KIND_LABELS[opinion.adviser.kind]} {opinion.adviser.name}"
            + (f"（{opinion.adviser.firm}）" if opinion.adviser.firm else ""),
            date=answered_on,
        )
    )
    doc = document_store(
        by=by,
        item=opinion.item,
        title=f"法律意见书（{opinion.subject}）",
        content=content,
        filename="法律意见书.docx",
        object_kind="legal_opinion",
        object_id=opinion.pk,
    )
    opinion.document_id = doc.pk
    opinion.save(update_fields=["opinion", "suggestions", "answered_on", "status", "document_id"])
    item_close(item=opinion.item, by=by, label="出具法律意见", closed_on=answered_on)
    return opinion
