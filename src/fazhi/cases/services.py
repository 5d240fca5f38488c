"""Every write of penalty cases: filing, stages, extensions, disclosure. One transaction each."""

import datetime as dt
import re

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fazhi.cases import stages as stage_rules
from fazhi.cases.checks import DATE_FIELDS, case_facts, check_date_order, money
from fazhi.cases.models import Case, CaseCheck, CaseExtension, CaseHandler, Disclosure
from fazhi.cases.permissions import CASE_ACTION_PERMISSIONS, disclosure_actions
from fazhi.cases.rules import (
    DECISION_DAYS,
    DECISION_SOURCE,
    DISCLOSURE_SOURCE,
    DISCLOSURE_WORKING_DAYS,
    RULES,
    SERVICE_SOURCE,
    SERVICE_WORKING_DAYS,
    WARNING_WORKING_DAYS,
    check_case,
    decision_limit,
)
from fazhi.cases.selectors import case_scope_q
from fazhi.cases.tracking_kinds import CASE as CASE_KIND
from fazhi.cases.tracking_kinds import CASE_DISCLOSURE, CASE_SERVICE, CASE_WARNING
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.identifiers import clean_id_number, clean_uscc
from fazhi.core.masking import party_display
from fazhi.core.normalize import clean_text, parse_date
from fazhi.core.scope import has_permission, scope_q, user_data_scope
from fazhi.core.search import index_tokens
from fazhi.registry.models import (
    Agency,
    DiscretionTier,
    ListEntry,
    Officer,
)
from fazhi.registry.rules import (
    PENALTY_KINDS,
)
from fazhi.registry.selectors import power_item_for_case

# ---------------------------------------------------------------- cases

# Extra date pairs of the case record beyond checks.ORDER: the notice (告知) falls between filing and decision.
CASE_DATE_LABELS = {**DATE_FIELDS, "notified_on": "告知日期", "executed_on": "执行完毕日期", "closed_on": "结案日期"}
CASE_ORDER = [
    ("filed_on", "notified_on"),
    ("notified_on", "hearing_notice_on"),
    ("notified_on", "decided_on"),
    ("hearing_on", "decided_on"),
    ("served_on", "executed_on"),
    ("decided_on", "executed_on"),
    ("filed_on", "closed_on"),
    ("decided_on", "closed_on"),
    ("served_on", "closed_on"),
    ("executed_on", "closed_on"),
]


def _case_today() -> dt.date:
    return timezone.localdate()


def _case_require(by, case: Case | None = None, *, action: str) -> None:
    """The case inside the actor's scope (404 outside) and the permission `case_actions` ties to `action` (403).
    The action's state gates (closed, decided) are checked by the service itself, with their own message.
    `by=None` is the system."""
    if by is None:
        return
    if case is not None and case.pk and not Case.objects.filter(case_scope_q(by), pk=case.pk).exists():
        raise NotFound()
    if not has_permission(by, CASE_ACTION_PERMISSIONS[action]):
        raise Forbidden()


def _case_day(data: dict, key: str, *, required: bool = False) -> dt.date | None:
    label = CASE_DATE_LABELS.get(key, key)
    value = data.get(key)
    if value is None or (not isinstance(value, dt.date) and clean_text(value) == ""):
        if required:
            raise DomainError(f"{label}不能为空", field=key)
        return None
    day = parse_date(value, field=key, label=label)
    if day > _case_today():
        raise DomainError(f"{label}（{day}）不能晚于今天", field=key)
    return day


def _case_check_dates(case: Case) -> None:
    dates = {key: getattr(case, key) for key in CASE_DATE_LABELS}
    check_date_order(dates)
    for earlier, later in CASE_ORDER:
        a, b = dates.get(earlier), dates.get(later)
        if a and b and b < a:
            raise DomainError(
                f"{CASE_DATE_LABELS[later]}（{b}）不能早于{CASE_DATE_LABELS[earlier]}（{a}）", field=later
            )


def _case_party(case: Case, data: dict) -> None:
    kind = clean_text(data.get("party_kind"))
    kinds = dict(Case.PARTY_KINDS)
    for code, label in Case.PARTY_KINDS:
        if kind == label:
            kind = code
    if kind not in kinds:
        raise DomainError("当事人类型应为“自然人”或“法人或其他组织”", field="party_kind")
    name = clean_text(data.get("party_name"))
    if not name:
        raise DomainError("当事人名称不能为空", field="party_name")
    if len(name) > 100:
        raise DomainError("当事人名称不能超过 100 字", field="party_name")
    case.party_kind, case.party_name = kind, name
    if kind == "person":
        if not clean_text(data.get("party_id_number")):
            raise DomainError("当事人为自然人的，身份证号不能为空", field="party_id_number")
        case.party_id_number, case.party_uscc = clean_id_number(data["party_id_number"], field="party_id_number"), ""
    else:
        if not clean_text(data.get("party_uscc")):
            raise DomainError("当事人为法人或其他组织的，统一社会信用代码不能为空", field="party_uscc")
        case.party_uscc, case.party_id_number = clean_uscc(data["party_uscc"], field="party_uscc"), ""


def _case_handlers(*, agency: Agency, by, handlers) -> list[Officer]:
    """Officers of the handling agency, at least one, each once (the two-officer rule is a check, not a block)."""
    officers = []
    for value in handlers or []:
        pk = getattr(value, "pk", value)
        officer = Officer.objects.filter(pk=pk).select_related("agency__unit").first() if str(pk).isdigit() else None
        if officer is None:
            raise DomainError(f"执法人员“{value}”不存在", field="handlers")
        if officer.agency_id != agency.pk:
            raise DomainError(f"执法人员“{officer.name}”不属于办案机关“{agency}”，不能承办本案", field="handlers")
        if not officer.is_active:
            raise DomainError(f"执法人员“{officer.name}”已不在岗", field="handlers")
        if officer not in officers:
            officers.append(officer)
    if not officers:
        raise DomainError("请选择承办本案的执法人员", field="handlers")
    if by is not None and user_data_scope(by) == "self" and not any(o.user_id == by.pk for o in officers):
        raise DomainError("承办人员须包含本人", field="handlers")
    return officers


def _case_number(agency: Agency, day: dt.date) -> str:
    prefix = f"{agency.unit.short_name or agency.unit.name}立〔{day.year}〕"
    n = Case.objects.filter(agency=agency, filed_on__year=day.year).count() + 1
    while Case.objects.filter(number=f"{prefix}{n}号").exists():
        n += 1
    return f"{prefix}{n}号"


def _case_attachments(*, by, attachments) -> list:
    """Stored files (SM3 and size) for a stage event: uploads are stored here, stored rows are kept."""
    from fazhi.core.attachments import attachments_store
    from fazhi.core.models import Attachment

    attachments = list(attachments or [])
    # Every upload is checked before any is stored: a refused file leaves none of the others behind.
    uploads = iter(attachments_store(files=[a for a in attachments if not isinstance(a, Attachment)], by=by))
    return [a if isinstance(a, Attachment) else next(uploads) for a in attachments]


def _case_event(
    case: Case, *, by, action: str, label: str, comment: str = "", data: dict | None = None, attachments=()
) -> None:
    """One step on the case's timeline. The case's item closes at the decision (its 第六十条 clock is done);
    the later steps are still appended to its chain, so the whole-process record stays in one place."""
    from fazhi.tracking.services import item_annotate, item_record

    if case.item_id is None:
        return
    write = item_annotate if case.item.status == "closed" else item_record
    write(
        item=case.item,
        by=by,
        action=action,
        label=label,
        comment=clean_text(comment)[:2000],
        data=data or {},
        attachments=_case_attachments(by=by, attachments=attachments),
    )


@transaction.atomic
def case_file(
    *,
    by,
    agency: Agency | None = None,
    power_item,
    title: str,
    party_kind: str,
    party_name: str,
    filed_on,
    handlers,
    procedure: str = "general",
    number: str = "",
    party_id_number: str = "",
    party_uscc: str = "",
    violation_ended_on=None,
    limitation_extended: bool = False,
    major: bool = False,
    comment: str = "",
    attachments=(),
    ip=None,
) -> Case:
    """立案: the case, its handlers and its tracked item with the 90-day decision limit (第六十条)."""
    from fazhi.tracking.services import item_open

    _case_require(by, action="create")
    if agency is None:
        agency = Agency.objects.filter(unit_id=getattr(by, "unit_id", None)).select_related("unit").first()
        if agency is None:
            raise DomainError("当前用户所在单位不是执法主体，不能立案", field="agency")
    if by is not None and not Agency.objects.filter(scope_q(by, unit_field="unit"), pk=agency.pk).exists():
        raise DomainError(f"不能为“{agency}”立案：不在本人管辖范围内", field="agency")
    case = Case(agency=agency, created_by=by if getattr(by, "pk", None) else None)
    item = power_item_for_case(agency=agency, pk=getattr(power_item, "pk", power_item))
    if item.kind != "penalty":
        raise DomainError(f"执法事项“{item}”不是行政处罚事项", field="power_item")
    case.power_item = item
    case.title = clean_text(title)
    if not case.title:
        raise DomainError("案由不能为空", field="title")
    if procedure not in dict(Case.PROCEDURES):
        raise DomainError("程序应为普通程序或简易程序", field="procedure")
    case.procedure = procedure
    _case_party(
        case,
        {
            "party_kind": party_kind,
            "party_name": party_name,
            "party_id_number": party_id_number,
            "party_uscc": party_uscc,
        },
    )
    case.filed_on = _case_day({"filed_on": filed_on}, "filed_on", required=True)
    case.violation_ended_on = _case_day({"violation_ended_on": violation_ended_on}, "violation_ended_on")
    case.limitation_extended, case.major = bool(limitation_extended), bool(major)
    officers = _case_handlers(agency=agency, by=by, handlers=handlers)
    _case_check_dates(case)
    number = clean_text(number)
    if number and Case.objects.filter(number=number).exists():
        raise DomainError(f"案号“{number}”已存在", field="number")
    case.number = number or _case_number(agency, case.filed_on)
    case.save()
    CaseHandler.objects.bulk_create([CaseHandler(case=case, officer=o) for o in officers])
    case.item = item_open(
        kind=CASE_KIND.code,
        title=f"{case.number} {case.title}"[:200],
        unit=agency.unit,
        by=by,
        start=case.filed_on,
        limit_kind="calendar",
        limit_days=DECISION_DAYS,
        deadline_source=DECISION_SOURCE,
        url=reverse("cases:case_detail", args=[case.pk]),
        comment=clean_text(comment),
    )
    case.save(update_fields=["item"])
    _case_event(
        case,
        by=by,
        action="filed",
        label="立案",
        comment=comment,
        attachments=attachments,
        data={
            "stage": "filed",
            "date": case.filed_on.isoformat(),
            "handlers": [o.name for o in officers],
            "power_item": str(item),
        },
    )
    log_operation(user=by, action="行政处罚立案", obj=case, summary=f"{case.number} {case.title}", ip=ip)
    case_run_checks(case=case, by=by)
    return case


CASE_EDITABLE = (
    "title",
    "party_kind",
    "party_name",
    "party_id_number",
    "party_uscc",
    "violation_ended_on",
    "limitation_extended",
    "major",
    "handlers",
    "power_item",
    "procedure",
)


@transaction.atomic
def case_update(*, by, case: Case, data: dict, ip=None) -> Case:
    """Correct the case record (案由, 当事人, 执法人员, …). Executed decisions are not edited here."""
    _case_require(by, case, action="edit")
    case = _case_lock(case)
    if case.stage == "closed":
        raise DomainError("案件已结案，不能修改", field="stage")
    unknown = set(data) - set(CASE_EDITABLE)
    if unknown:
        raise DomainError(f"不能修改字段：{'、'.join(sorted(unknown))}", field=sorted(unknown)[0])
    changed = []
    if "title" in data:
        title = clean_text(data["title"])
        if not title:
            raise DomainError("案由不能为空", field="title")
        if title != case.title:
            case.title = title
            changed.append("案由")
    if any(k in data for k in ("party_kind", "party_name", "party_id_number", "party_uscc")):
        before = (case.party_kind, case.party_name, case.party_id_number, case.party_uscc)
        _case_party(
            case,
            {
                "party_kind": data.get("party_kind", case.party_kind),
                "party_name": data.get("party_name", case.party_name),
                "party_id_number": data.get("party_id_number", case.party_id_number),
                "party_uscc": data.get("party_uscc", case.party_uscc),
            },
        )
        if before != (case.party_kind, case.party_name, case.party_id_number, case.party_uscc):
            changed.append("当事人")
    if "violation_ended_on" in data:
        day = _case_day(data, "violation_ended_on")
        if day != case.violation_ended_on:
            case.violation_ended_on = day
            changed.append("违法行为终了日期")
    for key, label in (("limitation_extended", "追责时效情形"), ("major", "重大执法决定")):
        if key in data and bool(data[key]) != getattr(case, key):
            setattr(case, key, bool(data[key]))
            changed.append(label)
    if "procedure" in data and data["procedure"] != case.procedure:
        if data["procedure"] not in dict(Case.PROCEDURES):
            raise DomainError("程序应为普通程序或简易程序", field="procedure")
        if case.stage != "filed":
            raise DomainError("已进入后续阶段的案件不能变更程序", field="procedure")
        case.procedure = data["procedure"]
        changed.append("程序")
    if "power_item" in data and str(getattr(data["power_item"], "pk", data["power_item"])) != str(case.power_item_id):
        if case.decided_on:
            raise DomainError("已作出决定的案件不能变更执法事项", field="power_item")
        item = power_item_for_case(agency=case.agency, pk=getattr(data["power_item"], "pk", data["power_item"]))
        if item.kind != "penalty":
            raise DomainError(f"执法事项“{item}”不是行政处罚事项", field="power_item")
        case.power_item = item
        changed.append("执法事项")
    officers = None
    if "handlers" in data:
        officers = _case_handlers(agency=case.agency, by=by, handlers=data["handlers"])
        if {o.pk for o in officers} != set(case.casehandler_set.values_list("officer_id", flat=True)):
            changed.append("执法人员")
        else:
            officers = None
    _case_check_dates(case)
    if not changed:
        return case
    case.save()
    if officers is not None:
        case.casehandler_set.all().delete()
        CaseHandler.objects.bulk_create([CaseHandler(case=case, officer=o) for o in officers])
    _case_event(
        case,
        by=by,
        action="updated",
        label="修改案件信息",
        comment="修改：" + "、".join(changed),
        data={"changed": changed},
    )
    log_operation(user=by, action="修改行政处罚案件", obj=case, summary=f"{case.number}：{'、'.join(changed)}", ip=ip)
    case_run_checks(case=case, by=by)
    return case


def _case_lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("agency__unit", "power_item", "item", "service_item", "disclosure_item")
        .get(pk=case.pk)
    )


def _case_enter(case: Case, stage: str) -> None:
    allowed = stage_rules.next_stages(case)
    if stage not in allowed:
        now = stage_rules.STAGE_LABELS.get(case.stage, case.stage)
        target = stage_rules.STAGE_LABELS.get(stage, stage)
        hint = "、".join(stage_rules.STAGE_LABELS[s] for s in allowed) or "无"
        reason = stage_rules.blocked_reason(case, stage)
        raise DomainError(f"案件当前处于“{now}”阶段，不能进入“{target}”{reason}（可进入：{hint}）", field="stage")


@transaction.atomic
def case_advance(*, case: Case, by, stage: str, data: dict | None = None, attachments=(), ip=None) -> Case:
    """Move a case to its next stage, in the statutory order (stages.next_stages), with the stage's record."""
    data = dict(data or {})
    handlers = {
        "decision": case_decide,
        "service": case_serve,
        "disclosure": case_disclose,
        "closed": case_close,
    }
    if stage in handlers:
        result = handlers[stage](case=case, by=by, data=data, attachments=attachments, ip=ip)
        return result.case if isinstance(result, Disclosure) else result
    if stage not in stage_rules.STAGE_LABELS:
        raise DomainError(f"阶段“{stage}”无效", field="stage")
    _case_require(by, case, action="advance")
    case = _case_lock(case)
    _case_enter(case, stage)
    record: dict = {"stage": stage}
    if stage == "investigation":
        day = _case_day(data, "date") or _case_today()
        if day < case.filed_on:
            raise DomainError(f"调查取证日期（{day}）不能早于立案日期（{case.filed_on}）", field="date")
        record["date"] = day.isoformat()
    elif stage == "notice":
        case.notified_on = _case_day(data, "notified_on", required=True)
        case.hearing_requested = bool(data.get("hearing_requested"))
        record.update(date=case.notified_on.isoformat(), hearing_requested=case.hearing_requested)
    elif stage == "hearing":
        case.hearing_notice_on = _case_day(data, "hearing_notice_on", required=True)
        value = data.get("hearing_on")
        if value in (None, ""):
            raise DomainError("听证日期不能为空", field="hearing_on")
        case.hearing_on = parse_date(value, field="hearing_on", label="听证日期")
        if case.hearing_on > _case_today():
            raise DomainError(f"听证日期（{case.hearing_on}）不能晚于今天：听证举行后再登记", field="hearing_on")
        record.update(hearing_notice_on=case.hearing_notice_on.isoformat(), date=case.hearing_on.isoformat())
    elif stage == "legal_review":
        case.legal_review_on = _case_day(data, "legal_review_on", required=True)
        if not clean_text(data.get("comment")):
            raise DomainError("请填写法制审核意见", field="comment")
        record["date"] = case.legal_review_on.isoformat()
    elif stage == "execution":
        case.executed_on = _case_day(data, "executed_on", required=True)
        record["date"] = case.executed_on.isoformat()
    _case_check_dates(case)
    case.stage = stage
    case.save()
    _case_event(
        case,
        by=by,
        action=f"stage_{stage}",
        label=stage_rules.STAGE_LABELS[stage],
        comment=data.get("comment") or "",
        data=record,
        attachments=attachments,
    )
    if stage == "execution":  # 公示 skipped (第四十八条: only decisions with some social impact): its clock ends
        _case_clock_close(case.disclosure_item, by=by, done_on=case.executed_on, label="未公示，进入执行")
    log_operation(user=by, action=f"案件{stage_rules.STAGE_LABELS[stage]}", obj=case, summary=case.number, ip=ip)
    case_run_checks(case=case, by=by)
    return case


@transaction.atomic
def case_attach(*, case: Case, by, attachments, comment: str = "", ip=None) -> list:
    """补充材料: files added to an open case's timeline outside a stage change (each checked by type and size,
    stored with its SM3 digest by `core.attachments`)."""
    _case_require(by, case, action="attach")
    case = _case_lock(case)
    files = list(attachments or [])
    if not files:
        raise DomainError("请选择要上传的附件", field="attachments")
    if case.item_id is None or case.stage == "closed":
        raise DomainError("案件已结案，不能再补充材料", field="attachments")
    stored = _case_attachments(by=by, attachments=files)
    _case_event(
        case,
        by=by,
        action="case_attachments",
        label="补充材料",
        comment=comment,
        data={"count": len(stored)},
        attachments=stored,
    )
    log_operation(user=by, action="案件补充材料", obj=case, summary=f"{case.number}：{len(stored)} 个附件", ip=ip)
    return stored


def _case_tier(case: Case, value) -> DiscretionTier | None:
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    tier = (
        DiscretionTier.objects.filter(
            pk=pk, power_item__code=case.power_item.code, power_item__agency_id=case.agency_id
        ).first()
        if str(pk).isdigit()
        else None
    )
    if tier is None:
        raise DomainError("裁量阶次不存在或不属于本案执法事项", field="tier")
    return tier


@transaction.atomic
def case_decide(*, case: Case, by, data: dict, attachments=(), ip=None) -> Case:
    """决定: number, date and outcome — penalty kinds, fine and discretion tier, or 不予处罚 citing the
    exemption list entry (《行政处罚法》第三十三条)."""
    _case_require(by, case, action="advance")
    case = _case_lock(case)
    _case_enter(case, "decision")
    outcome = data.get("outcome") or "penalty"
    if outcome not in dict(Case.OUTCOMES):
        raise DomainError("处理结果应为给予处罚或不予处罚", field="outcome")
    number = clean_text(data.get("decision_number"))
    if not number:
        raise DomainError("决定书文号不能为空", field="decision_number")
    if len(number) > 80:
        raise DomainError("决定书文号不能超过 80 字", field="decision_number")
    case.decided_on = _case_day(data, "decided_on", required=True)
    case.outcome, case.decision_number = outcome, number
    if outcome == "penalty":
        kinds = data.get("penalty_kinds") or []
        if isinstance(kinds, str):
            kinds = [k for k in re.split(r"[、,，;；\s]+", clean_text(kinds)) if k]
        bad = [k for k in kinds if k not in PENALTY_KINDS]
        if bad:
            raise DomainError(f"处罚种类“{bad[0]}”无效，应为：{'、'.join(PENALTY_KINDS)}", field="penalty_kinds")
        if not kinds:
            raise DomainError("请选择处罚种类", field="penalty_kinds")
        fine = money(data.get("fine"), field="fine", label="罚款金额")
        if "罚款" in kinds and fine is None:
            raise DomainError("处罚种类含罚款的，罚款金额不能为空", field="fine")
        if "罚款" not in kinds and fine is not None:
            raise DomainError("处罚种类不含罚款，不应填写罚款金额", field="fine")
        case.penalty_kinds, case.fine = list(dict.fromkeys(kinds)), fine
        case.tier, case.list_entry = _case_tier(case, data.get("tier")), None
    else:
        pk = getattr(data.get("list_entry"), "pk", data.get("list_entry"))
        entry = (
            ListEntry.objects.filter(pk=pk, agency_id=case.agency_id, kind="exempt", is_active=True).first()
            if str(pk or "").isdigit()
            else None
        )
        if entry is None:
            raise DomainError("不予处罚须引用本机关不予处罚清单中的适用情形", field="list_entry")
        case.list_entry, case.penalty_kinds, case.fine, case.tier = entry, [], None, None
    _case_check_dates(case)
    case.stage = "decision"
    case.save()
    summary = (
        f"不予处罚（{case.list_entry.legal_basis}）"
        if outcome == "no_penalty"
        else "、".join(case.penalty_kinds) + (f"，罚款 {case.fine} 元" if case.fine is not None else "")
    )
    _case_event(
        case,
        by=by,
        action="stage_decision",
        label="作出决定",
        comment=data.get("comment") or summary,
        attachments=attachments,
        data={
            "stage": "decision",
            "date": case.decided_on.isoformat(),
            "decision_number": number,
            "outcome": outcome,
            "penalty_kinds": case.penalty_kinds,
            "fine": str(case.fine) if case.fine is not None else None,
        },
    )
    from fazhi.tracking.services import item_close

    if case.item_id and case.item.status != "closed":
        # 第六十条's clock stops on the decision's date, whenever the decision is entered.
        case.item = item_close(
            item=case.item, by=by, closed_on=case.decided_on, label="作出决定", comment=f"决定书 {number}"
        )
    case.service_item = _case_service_clock_open(case, by=by)
    case.save(update_fields=["service_item"])
    log_operation(user=by, action="作出行政处罚决定", obj=case, summary=f"{case.number} {number} {summary}", ip=ip)
    case_run_checks(case=case, by=by)
    return case


def _case_service_clock_open(case: Case, *, by):
    """送达 within 7 working days of the decision (《行政处罚法》第六十一条)."""
    return _case_clock_open(
        case, by=by, kind=CASE_SERVICE.code, label="送达", days=SERVICE_WORKING_DAYS, source=SERVICE_SOURCE
    )


def _case_disclosure_clock_open(case: Case, *, by):
    """公示 within 7 working days of the decision (国办发〔2018〕118号)."""
    return _case_clock_open(
        case,
        by=by,
        kind=CASE_DISCLOSURE.code,
        label="公示",
        days=DISCLOSURE_WORKING_DAYS["penalty"],
        source=DISCLOSURE_SOURCE,
    )


def _case_clock_open(case: Case, *, by, kind: str, label: str, days: int, source: str):
    """Open the tracked item of a statutory clock that runs from the decision (送达, 公示), and note its
    deadline and legal basis on the case's timeline."""
    from fazhi.tracking.services import item_open

    item = item_open(
        kind=kind,
        title=f"{case.number} {case.decision_number} {label}"[:200],
        unit=case.agency.unit,
        by=by,
        start=case.decided_on,
        limit_kind="working",
        limit_days=days,
        deadline_source=source,
        url=reverse("cases:case_detail", args=[case.pk]),
    )
    _case_event(
        case,
        by=by,
        action=f"clock_{kind}",
        label=f"{label}期限起算",
        comment=f"应于 {item.deadline:%Y-%m-%d} 前{label}（{source}）",
        data={"item": item.pk, "deadline": item.deadline.isoformat(), "source": source},
    )
    return item


def _case_clock_close(item, *, by, done_on: dt.date, label: str, comment: str = "") -> None:
    from fazhi.tracking.services import item_close

    if item is not None and item.status != "closed":
        item_close(item=item, by=by, closed_on=done_on, label=label, comment=comment)


def cases_stage_clocks_sync() -> int:
    """Cases decided before the clocks after the decision existed still have their 第六十条 item open (and
    show red once the 90 days pass): close it on the decision's date and open the clock of the stage the case
    waits for, as case_decide / case_serve do now. Idempotent; run with the daily case checks. Returns how
    many cases it repaired."""
    from fazhi.tracking.services import item_close

    stale = Case.objects.filter(decided_on__isnull=False, item__isnull=False).exclude(item__status="closed")
    repaired = 0
    for pk in stale.values_list("pk", flat=True).iterator(chunk_size=2000):
        with transaction.atomic():
            case = _case_lock(Case(pk=pk))
            if case.item.status == "closed":
                continue
            case.item = item_close(
                item=case.item, by=None, closed_on=case.decided_on, label="作出决定", comment=case.decision_number
            )
            if case.stage == "decision" and case.service_item_id is None:
                case.service_item = _case_service_clock_open(case, by=None)
            elif (
                case.stage == "service"
                and case.disclosure_item_id is None
                and "disclosure" in stage_rules.next_stages(case)
            ):
                case.disclosure_item = _case_disclosure_clock_open(case, by=None)
            case.save(update_fields=["service_item", "disclosure_item"])
        repaired += 1
    return repaired


@transaction.atomic
def case_serve(*, case: Case, by, data: dict, attachments=(), ip=None) -> Case:
    """送达: the decision handed to the party (第六十一条: on the spot, or within 7 working days)."""
    _case_require(by, case, action="advance")
    case = _case_lock(case)
    _case_enter(case, "service")
    case.served_on = _case_day(data, "served_on", required=True)
    _case_check_dates(case)
    case.stage = "service"
    case.save()
    _case_event(
        case,
        by=by,
        action="stage_service",
        label="送达",
        comment=data.get("comment") or "",
        attachments=attachments,
        data={"stage": "service", "date": case.served_on.isoformat(), "method": clean_text(data.get("method"))},
    )
    _case_clock_close(case.service_item, by=by, done_on=case.served_on, label="已送达")
    if "disclosure" in stage_rules.next_stages(case):
        case.disclosure_item = _case_disclosure_clock_open(case, by=by)
        case.save(update_fields=["disclosure_item"])
    log_operation(user=by, action="送达行政处罚决定书", obj=case, summary=case.number, ip=ip)
    case_run_checks(case=case, by=by)
    return case


@transaction.atomic
def case_disclose(*, case: Case, by, data: dict | None = None, attachments=(), ip=None) -> Disclosure:
    """公示: publish the decision on the portal, party name and number masked by rule (masking.py)."""
    data = data or {}
    _case_require(by, case, action="advance")
    case = _case_lock(case)
    _case_enter(case, "disclosure")
    case.disclosed_on = _case_day(data, "disclosed_on") or _case_today()
    _case_check_dates(case)
    case.stage = "disclosure"
    case.save()
    disclosure = Disclosure.objects.create(**disclosure_fields(case, summary=clean_text(data.get("summary"))))
    _case_event(
        case,
        by=by,
        action="stage_disclosure",
        label="公示",
        comment=data.get("comment") or "",
        attachments=attachments,
        data={"stage": "disclosure", "date": case.disclosed_on.isoformat(), "party_display": disclosure.party_display},
    )
    _case_clock_close(case.disclosure_item, by=by, done_on=case.disclosed_on, label="已公示")
    log_operation(user=by, action="公示行政处罚决定", obj=case, summary=f"{case.number} {case.decision_number}", ip=ip)
    case_run_checks(case=case, by=by)
    return disclosure


@transaction.atomic
def disclosure_withdraw(*, disclosure: Disclosure, by, reason: str, ip=None) -> Disclosure:
    """Take a disclosed decision down (annulled, retention period over, …): the reason is required and logged."""
    if by is not None:
        if not Case.objects.filter(case_scope_q(by), pk=disclosure.case_id).exists():
            raise NotFound()
        if "withdraw" not in disclosure_actions(user=by, obj=disclosure):
            raise Forbidden() if disclosure.withdrawn_at is None else DomainError("该公示已撤回", field="reason")
    disclosure = Disclosure.objects.select_for_update(of=("self",)).select_related("case__item").get(pk=disclosure.pk)
    if disclosure.withdrawn_at is not None:
        raise DomainError("该公示已撤回", field="reason")
    reason = clean_text(reason)
    if not reason:
        raise DomainError("撤回公示须说明理由", field="reason")
    if len(reason) > 300:
        raise DomainError("撤回理由不能超过 300 字", field="reason")
    disclosure.withdrawn_at, disclosure.withdraw_reason = timezone.now(), reason
    disclosure.save(update_fields=["withdrawn_at", "withdraw_reason"])
    _case_event(disclosure.case, by=by, action="disclosure_withdrawn", label="撤回公示", comment=reason)
    log_operation(
        user=by,
        action="撤回执法决定公示",
        obj=disclosure.case,
        summary=f"{disclosure.decision_number}：{reason}",
        ip=ip,
    )
    return disclosure


@transaction.atomic
def case_close(*, case: Case, by, data: dict | None = None, attachments=(), ip=None) -> Case:
    """结案: the case and its tracked item are closed."""
    from fazhi.tracking.services import item_close

    data = data or {}
    _case_require(by, case, action="advance")
    case = _case_lock(case)
    _case_enter(case, "closed")
    case.closed_on = _case_day(data, "closed_on") or _case_today()
    _case_check_dates(case)
    case.stage = "closed"
    case.save()
    _case_event(
        case,
        by=by,
        action="stage_closed",
        label="结案",
        comment=data.get("comment") or "",
        attachments=attachments,
        data={"stage": "closed", "date": case.closed_on.isoformat()},
    )
    if case.item_id and case.item.status != "closed":
        item_close(item=case.item, by=by, comment="案件结案", label="结案")
    _case_clock_close(case.service_item, by=by, done_on=case.closed_on, label="结案")
    _case_clock_close(case.disclosure_item, by=by, done_on=case.closed_on, label="结案（未公示）")
    log_operation(user=by, action="行政处罚案件结案", obj=case, summary=case.number, ip=ip)
    case_run_checks(case=case, by=by)
    return case


@transaction.atomic
def case_extend(*, case: Case, by, days, reason: str, approver: str, approved_on=None, ip=None) -> CaseExtension:
    """Extend the 90-day decision limit (第六十条 “法律、法规、规章另有规定的，从其规定”), with approver and
    reason; the tracked deadline moves with it."""
    from fazhi.tracking.services import item_change_deadline

    _case_require(by, case, action="extend")
    case = _case_lock(case)
    if case.decided_on is not None or case.stage == "closed":
        raise DomainError("已作出决定的案件无需延长办案期限", field="days")
    try:
        days = int(clean_text(days)) if not isinstance(days, int) else days
    except ValueError:
        raise DomainError("延长天数应为正整数", field="days") from None
    if isinstance(days, bool) or days <= 0 or days > 365:
        raise DomainError("延长天数应为 1 到 365 之间的整数", field="days")
    reason, approver = clean_text(reason), clean_text(approver)
    if not reason:
        raise DomainError("延长办案期限须说明理由", field="reason")
    if not approver:
        raise DomainError("批准人不能为空", field="approver")
    approved = _case_day({"approved_on": approved_on}, "approved_on") or _case_today()
    if approved < case.filed_on:
        raise DomainError(f"批准日期（{approved}）不能早于立案日期（{case.filed_on}）", field="approved_on")
    extension = CaseExtension.objects.create(
        case=case,
        days=days,
        reason=reason[:300],
        approver=approver[:50],
        approved_on=approved,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    case.extension_days += days
    case.save(update_fields=["extension_days"])
    if case.item_id and case.item.status != "closed":
        deadline = decision_limit(filed_on=case.filed_on, extension_days=case.extension_days)
        item_change_deadline(
            item=case.item, by=by, deadline=deadline, reason=f"延长办案期限 {days} 日（批准人：{approver}）：{reason}"
        )
    log_operation(user=by, action="延长办案期限", obj=case, summary=f"{case.number} 延长 {days} 日：{reason}", ip=ip)
    case_run_checks(case=case, by=by)
    return extension


def case_rules_of(findings) -> list[str]:
    """The rule codes with an error, once each, in the catalogue's order (what is stored on the case)."""
    codes = {f.rule for f in findings if f.severity == "error"}
    return [code for code in RULES if code in codes]


@transaction.atomic
def case_run_checks(*, case: Case, by=None, as_of: dt.date | None = None) -> list:
    """Run the statutory checks on a stored case, store their result and open or close its 风险预警 item."""
    given = case
    case = Case.objects.select_related("power_item", "tier", "agency__unit", "warning_item", "item").get(pk=case.pk)
    as_of = as_of or _case_today()
    findings = check_case(case_facts(case, as_of=as_of))
    codes = case_rules_of(findings)
    previous = CaseCheck.objects.filter(pk=case.pk).values_list("rules", flat=True).first()
    result, _ = CaseCheck.objects.update_or_create(
        case=case, defaults={"errors": len(codes), "rules": codes, "checked_at": timezone.now()}
    )
    case_warning_sync(case=case, rules=codes, by=by, previous=previous, today=as_of)
    # The caller's instance shows the stored result too.
    given.check_result = result
    given.warning_item_id = case.warning_item_id
    return findings


def case_warning_sync(
    *, case: Case, rules: list[str], by=None, previous: list | None = None, today: dt.date | None = None
) -> None:
    """One open 风险预警 item per case while it has errors: opened when an error appears, closed when none is left.
    `rules` are the case's broken rules as stored; `previous` those stored before, if known."""
    from fazhi.tracking.services import item_close, item_open, item_record

    warning = case.warning_item
    is_open = warning is not None and warning.status != "closed"
    if rules and not is_open:
        first = RULES[rules[0]]
        titles = "、".join(RULES[c].title for c in rules)
        item = item_open(
            kind=CASE_WARNING.code,
            title=f"风险预警：{case.number} {titles}"[:200],
            unit=case.agency.unit,
            by=None,
            start=today or _case_today(),
            limit_kind="working",
            limit_days=WARNING_WORKING_DAYS,
            deadline_source=first.citation,
            url=reverse("cases:case_detail", args=[case.pk]),
            comment="法定规则校验发现问题：" + titles,
        )
        Case.objects.filter(pk=case.pk).update(warning_item=item)
        case.warning_item = item
    elif not rules and is_open:
        item_close(item=warning, by=by, comment="复核校验未发现问题，预警解除", label="预警解除")
    elif is_open and previous is not None and list(previous) != list(rules):
        item_record(
            item=warning,
            by=by,
            action="rules_changed",
            label="预警内容变化",
            comment="现存问题：" + "、".join(RULES[c].title for c in rules),
            data={"rules": list(rules)},
        )


def cases_sync_warnings(*, limit: int | None = None, today: dt.date | None = None) -> dict:
    """After a bulk check: open or close 风险预警 items of the cases whose state changed (per row, few rows)."""
    open_statuses = ("open", "review", "returned")
    to_open = Case.objects.filter(check_result__errors__gt=0).filter(
        Q(warning_item__isnull=True) | Q(warning_item__status="closed")
    )
    to_close = Case.objects.filter(check_result__errors=0, warning_item__status__in=open_statuses)
    opened = closed = 0
    for qs, counter in ((to_open, "opened"), (to_close, "closed")):
        ids = list(qs.values_list("pk", flat=True)[:limit] if limit else qs.values_list("pk", flat=True))
        for pk in ids:
            with transaction.atomic():
                case = Case.objects.select_related("agency__unit", "warning_item", "check_result").get(pk=pk)
                case_warning_sync(case=case, rules=list(case.check_result.rules), today=today)
            if counter == "opened":
                opened += 1
            else:
                closed += 1
    return {"opened": opened, "closed": closed}


def case_import_row(*, by, data: dict, ip=None) -> Case:
    """A case from another system: filed, then every later stage whose date is given, in the statutory order,
    through the same services as a case handled here (so the same validation and the same timeline)."""
    case = case_file(
        by=by,
        agency=data.get("agency"),
        power_item=data["power_item"],
        title=data["title"],
        party_kind=data["party_kind"],
        party_name=data["party_name"],
        party_id_number=data.get("party_id_number") or "",
        party_uscc=data.get("party_uscc") or "",
        filed_on=data["filed_on"],
        handlers=data["handlers"],
        procedure=data.get("procedure") or "general",
        number=data.get("number") or "",
        violation_ended_on=data.get("violation_ended_on"),
        major=bool(data.get("major")),
        comment="从其他系统导入",
        ip=ip,
    )
    general = case.procedure == "general"
    if general and data.get("decided_on"):
        case = case_advance(case=case, by=by, stage="investigation", data={"date": case.filed_on})
        case = case_advance(
            case=case, by=by, stage="notice", data={"notified_on": data.get("notified_on") or data["decided_on"]}
        )
        if data.get("legal_review_on"):
            case = case_advance(
                case=case,
                by=by,
                stage="legal_review",
                data={"legal_review_on": data["legal_review_on"], "comment": "导入：已经法制审核"},
            )
    if data.get("decided_on"):
        case = case_decide(
            case=case,
            by=by,
            data={
                "outcome": data.get("outcome") or "penalty",
                "decision_number": data.get("decision_number"),
                "decided_on": data["decided_on"],
                "penalty_kinds": data.get("penalty_kinds") or [],
                "fine": data.get("fine"),
                "list_entry": data.get("list_entry"),
            },
        )
    for stage, key in (
        ("service", "served_on"),
        ("disclosure", "disclosed_on"),
        ("execution", "executed_on"),
        ("closed", "closed_on"),
    ):
        if data.get(key) and not (case.procedure == "simple" and stage in ("disclosure", "execution")):
            case = case_advance(case=case, by=by, stage=stage, data={key: data[key]})
    return case


def disclosure_fields(case: Case, *, summary: str = "") -> dict:
    """The row published for a decided case: party masked by rule, a summary of facts and penalty."""
    shown_name, shown_code = party_display(
        kind=case.party_kind, name=case.party_name, id_number=case.party_id_number, uscc=case.party_uscc
    )
    if not summary:
        if case.outcome == "no_penalty":
            basis = case.list_entry.legal_basis if case.list_entry_id else "不予处罚清单"
            summary = f"{case.title}。依据{basis}，决定不予行政处罚。"
        else:
            fine = f"，罚款人民币 {case.fine} 元" if case.fine is not None else ""
            summary = f"{case.title}。处罚决定：{'、'.join(case.penalty_kinds)}{fine}。"
    search = " ".join([shown_name, shown_code, case.decision_number, case.agency.unit.name, summary])
    return {
        "case": case,
        "agency": case.agency,
        "published_on": case.disclosed_on,
        "decision_number": case.decision_number,
        "party_kind": case.party_kind,
        "party_display": shown_name,
        "party_code_display": shown_code,
        "summary": summary,
        "fine": case.fine,
        "search": search,
        "search_tokens": index_tokens(search),
    }
