"""Every write of the disputes app. One transaction each; each step is an event on the SM3 timeline of the tracked
item of its record, and every statutory period is a clock of the tracking core (clock_open / clock_event), so a
pause, a restart or an extension is the core's fold and sits on the timeline with its article.
"""

import datetime as dt
import hmac
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.identifiers import clean_id_number, clean_uscc
from fazhi.core.masking import mask_name
from fazhi.core.normalize import clean_text, parse_date
from fazhi.core.query_codes import password_digest, query_password, random_code
from fazhi.core.scope import has_permission
from fazhi.disputes import permissions, rules, selectors
from fazhi.disputes.models import (
    PARTY_KINDS,
    AgencyHead,
    Committee,
    CommitteeMember,
    CommitteeReferral,
    CourtHearing,
    Litigation,
    NormativeReview,
    OpinionLetter,
    QueryAttempt,
    Reconsideration,
    ReconsiderationHearing,
    Suggestion,
)
from fazhi.disputes.tracking_kinds import (
    LITIGATION,
    OPINION,
    RECONSIDERATION,
    RECONSIDERATION_ANSWER,
    SUGGESTION,
)
from fazhi.tracking.clocks import ClockRule
from fazhi.tracking.models import Clock
from fazhi.tracking.services import clock_event, clock_open, item_annotate, item_close, item_open, item_record

PUBLIC_HOURLY_LIMIT = 5
QUERY_FAIL_LIMIT = 10
TEXT_MAX = 5000
MAX_FILES = 10


# ---------------------------------------------------------------- small helpers


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _require(by, code: str) -> None:
    if by is not None and not has_permission(by, code):
        raise Forbidden()


def _day(value, *, field: str, label: str, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise DomainError(f"{label}不能为空", field=field)
        return None
    return parse_date(value, field=field, label=label)


def _text(value, *, field: str, label: str, required: bool = True, minimum: int = 2, limit: int = TEXT_MAX) -> str:
    text = (value or "").replace("\r\n", "\n").strip() if isinstance(value, str) else clean_text(value)
    if required and len(clean_text(text)) < minimum:
        raise DomainError(f"{label}不能为空" if not text else f"{label}至少 {minimum} 个字", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字", field=field)
    return text


def _short(value, *, field: str, label: str, limit: int, required: bool = False) -> str:
    text = clean_text(value)
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字", field=field)
    return text


def _amount(value, *, field: str = "amount") -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError("涉及款额应为数字（元）", field=field) from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise DomainError("涉及款额应在 0 至 1 万亿元之间", field=field)
    return amount


def _refusal(problems: list[DomainError]) -> DomainError:
    if len(problems) == 1:
        return problems[0]
    first = problems[0]
    return DomainError(
        first.message, field=first.field, errors=[{"field": p.field, "message": p.message} for p in problems]
    )


def _password_for(submit_token: str | None) -> str:
    return query_password(submit_token, purpose="reconsideration")


def _tracking_code() -> str:
    while True:
        code = f"FY{timezone.localdate():%y%m%d}{random_code(6)}"
        if not Reconsideration.objects.filter(tracking_code=code).exists():
            return code


def _record(item, *, by, action: str, label: str, comment: str = "", data=None, attachments=(), **kw) -> None:
    """A step on an item's chain; after the item closed (a decided case served, published …) an annotation."""
    if item is None:
        return
    item.refresh_from_db(fields=["status"])
    if item.status == "closed":
        item_annotate(item=item, by=by, action=action, label=label, comment=comment, data=data, attachments=attachments)
    else:
        item_record(
            item=item, by=by, action=action, label=label, comment=comment, data=data, attachments=attachments, **kw
        )


def _clock(item, name: str) -> Clock | None:
    if item is None:
        return None
    return Clock.objects.filter(item=item, name=name).first()


def _open_clock(item, name: str, label: str, rule: ClockRule, start: dt.date, by, comment: str = "") -> Clock:
    return clock_open(
        item=item,
        name=name,
        label=label,
        unit=rule.unit,
        length=rule.length,
        basis=rule.basis,
        start=start,
        by=by,
        extension_cap=rule.extension_cap,
        comment=comment,
    )


def _stop(item, name: str, on: dt.date, by, basis: str) -> None:
    clock = _clock(item, name)
    if clock is not None and clock.is_open:
        clock_event(clock=clock, kind="stop", on=max(on, _last_on(clock)), by=by, basis=basis)


def _last_on(clock: Clock) -> dt.date:
    from fazhi.tracking.services import clock_fold

    return clock_fold(clock).last_on or clock.start


def _users_pk(by):
    return by if getattr(by, "pk", None) else None


# ---------------------------------------------------------------- heads (负责人名单)


@transaction.atomic
def head_save(*, by, agency, name: str, post: str, kind: str, ip=None) -> AgencyHead:
    """Add a head to the agency's list (最高法规定第二条: 正职、副职、参与分管的负责人)."""
    if "edit" not in permissions.head_actions(user=by, agency=agency):
        raise Forbidden()
    problems = []
    name = _short(name, field="name", label="姓名", limit=50, required=True) if clean_text(name) else ""
    if not name:
        problems.append(DomainError("负责人姓名不能为空", field="name"))
    post = clean_text(post)
    if not post:
        problems.append(DomainError("职务不能为空（如：局长、副局长）", field="post"))
    if kind not in dict(AgencyHead.KINDS):
        problems.append(DomainError("负责人类别应为正职、副职或分管负责人", field="kind"))
    if problems:
        raise _refusal(problems)
    existing = AgencyHead.objects.filter(agency=agency, name=name, post=post[:50]).first()
    if existing is not None:
        if existing.is_active:
            raise DomainError(f"{name}（{post}）已在负责人名单中", field="name")
        existing.is_active, existing.kind = True, kind
        existing.save(update_fields=["is_active", "kind"])
        head = existing
    else:
        head = AgencyHead.objects.create(agency=agency, name=name, post=post[:50], kind=kind, created_by=by)
    log_operation(user=by, action="维护负责人名单", obj=agency, summary=f"新增 {name}（{post}）", ip=ip)
    return head


@transaction.atomic
def head_deactivate(*, by, head: AgencyHead, ip=None) -> AgencyHead:
    if "edit" not in permissions.head_actions(user=by, agency=head.agency):
        raise Forbidden()
    if not head.is_active:
        raise DomainError("该负责人已不在名单中", field="head")
    head.is_active = False
    head.save(update_fields=["is_active"])
    log_operation(user=by, action="维护负责人名单", obj=head.agency, summary=f"移出 {head}", ip=ip)
    return head


# ---------------------------------------------------------------- reconsideration: intake


def _applicant(data: dict, problems: list) -> dict:
    kind = clean_text(data.get("kind") or "")
    out = {"kind": kind, "name": "", "id_number": "", "uscc": "", "phone": "", "address": ""}
    if kind not in dict(PARTY_KINDS):
        problems.append(
            DomainError("申请人类型应为自然人（person）或法人或其他组织（organisation）", field="applicant.kind")
        )
        return out
    name = clean_text(data.get("name") or "")
    if not name:
        problems.append(DomainError("申请人姓名或名称不能为空", field="applicant.name"))
    elif len(name) > 100:
        problems.append(DomainError("申请人姓名或名称不能超过 100 字", field="applicant.name"))
    out["name"] = name[:100]
    try:
        if kind == "person":
            raw = data.get("id_number") or ""
            if not clean_text(raw):
                raise DomainError("自然人申请须填写身份证号", field="applicant.id_number")
            out["id_number"] = clean_id_number(raw, field="applicant.id_number")
        else:
            raw = data.get("uscc") or ""
            if not clean_text(raw):
                raise DomainError("法人或其他组织申请须填写统一社会信用代码", field="applicant.uscc")
            out["uscc"] = clean_uscc(raw, field="applicant.uscc")
    except DomainError as exc:
        problems.append(exc)
    phone = clean_text(data.get("phone") or "").replace(" ", "")
    if (phone and not (phone.isdigit() or "-" in phone)) or len(phone) > 20:
        problems.append(DomainError(f"联系电话“{phone}”格式不正确", field="applicant.phone"))
    out["phone"] = phone[:20]
    out["address"] = clean_text(data.get("address") or "")[:200]
    return out


def _procedure_check(procedure: str, grounds: list[str]) -> DomainError | None:
    if procedure not in ("ordinary", "simple"):
        return DomainError("审理程序应为普通程序（ordinary）或简易程序（simple）", field="procedure")
    if procedure == "simple" and not grounds:
        return DomainError(
            "本案不符合适用简易程序的情形：被申请行政复议的行政行为当场作出、为警告或者通报批评、涉及款额三千元以下、"
            f"属于政府信息公开案件，或者当事人各方同意（{rules.SIMPLE_CITATION}）",
            field="procedure",
        )
    return None


@transaction.atomic
def reconsideration_register(
    *,
    by,
    applicant: dict,
    respondent,
    act: str,
    known_on,
    received_on,
    procedure: str = "ordinary",
    amount=None,
    channel: str = "window",
    submitted_on=None,
    forwarded_on=None,
    act_kind: str = "penalty",
    act_number: str = "",
    act_date=None,
    act_on_the_spot: bool = False,
    act_is_warning: bool = False,
    parties_agree_simple: bool = False,
    real_property: bool = False,
    told_of_right: bool = True,
    right_known_on=None,
    obstacle_from=None,
    obstacle_to=None,
    obstacle_reason: str = "",
    request: str = "",
    facts: str = "",
    agent_name: str = "",
    agent_kind: str = "",
    third_parties: str = "",
    case=None,
    files=(),
    ip=None,
    submit_token: str | None = None,
    password: str = "",
    refused: list[DomainError] | None = None,
    today: dt.date | None = None,
) -> Reconsideration:
    """An application received by the 行政复议机构 (window, post, oral record, forwarded by the penalising agency
    under 第三十二条, the API) or submitted online (`by` None, channel "online"). Every field is checked before
    refusing, so that one submit shows every problem; the application period is checked and shown with its
    article, never refused (the body decides, 第三十条第一款第四项). The 5-working-day review clock starts."""
    today = _today(today)
    if by is not None:
        _require(by, "reconsideration.manage")
    if channel not in dict(Reconsideration.CHANNELS):
        raise DomainError(f"申请方式“{channel}”无效", field="channel")
    problems: list[DomainError] = list(refused or [])

    def checked(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            problems.append(exc)
            return None

    who = _applicant(applicant or {}, problems)
    act = checked(_text, act, field="act", label="被申请复议的行政行为", minimum=4, limit=2000) or ""
    known = checked(_day, known_on, field="known_on", label="知道或应当知道行政行为之日")
    received = checked(_day, received_on, field="received_on", label="收到申请之日")
    if channel == "forwarded":
        submitted = checked(_day, submitted_on, field="submitted_on", label="处罚机关收到申请之日")
        forwarded = checked(_day, forwarded_on, field="forwarded_on", label="处罚机关转送之日")
    else:
        submitted = checked(_day, submitted_on, field="submitted_on", label="提出申请之日", required=False) or received
        forwarded = None
    act_day = checked(_day, act_date, field="act_date", label="行政行为作出日期", required=False)
    right_day = checked(_day, right_known_on, field="right_known_on", label="知道申请权利之日", required=False)
    ob_from = checked(_day, obstacle_from, field="obstacle_from", label="耽误期限开始日", required=False)
    ob_to = checked(_day, obstacle_to, field="obstacle_to", label="障碍消除日", required=False)
    money = checked(_amount, amount)
    if act_kind not in dict(Reconsideration.ACT_KINDS):
        problems.append(DomainError(f"行为类型“{act_kind}”无效", field="act_kind"))
    if received and received > today:
        problems.append(DomainError("收到申请之日不能晚于今天", field="received_on"))
    if known and received and known > received:
        problems.append(DomainError("知道行政行为之日不能晚于收到申请之日", field="known_on"))
    if submitted and received and submitted > received:
        problems.append(DomainError("提出申请之日不能晚于复议机关收到之日", field="submitted_on"))
    if forwarded and submitted and forwarded < submitted:
        problems.append(DomainError("转送之日不能早于处罚机关收到申请之日", field="forwarded_on"))
    if forwarded and received and forwarded > received:
        problems.append(DomainError("转送之日不能晚于复议机关收到之日", field="forwarded_on"))
    if act_day and known and act_day > known:
        problems.append(DomainError("行政行为作出日期不能晚于知道该行为之日", field="act_date"))
    if (ob_from is None) != (ob_to is None) or (ob_from and ob_to and ob_to < ob_from):
        problems.append(DomainError("耽误期限的起止日期应同时填写，且障碍消除日不早于开始日", field="obstacle_to"))
    if ob_from and not clean_text(obstacle_reason):
        problems.append(DomainError("请说明耽误申请期限的不可抗力或者其他正当理由", field="obstacle_reason"))
    grounds = rules.simple_grounds(
        on_the_spot=act_on_the_spot,
        warning=act_is_warning,
        amount=money,
        disclosure=act_kind == "disclosure",
        parties_agree=parties_agree_simple,
    )
    bad_procedure = _procedure_check(procedure, grounds)
    if bad_procedure:
        problems.append(bad_procedure)
    body = selectors.body_unit_for(respondent.unit) if respondent is not None else None
    if respondent is not None and body is None:
        problems.append(DomainError(f"未找到{respondent.unit.name}所属人民政府的行政复议机构", field="respondent"))
    if body is not None and by is not None and not permissions.unit_in_scope(by, body):
        problems.append(
            DomainError(
                f"不属于本机关管辖：对{respondent.unit.name}的行政行为不服的，应向{body.name}（行政复议机构）提出",
                field="respondent",
            )
        )
    if case is not None and respondent is not None and case.agency_id != respondent.pk:
        problems.append(DomainError("所关联的行政处罚案件不是被申请人办理的", field="case"))
    files = list(files or [])
    if files:
        checked(_files_check, files, public=by is None)
    request = checked(_text, request, field="request", label="行政复议请求", required=False) or ""
    facts = checked(_text, facts, field="facts", label="事实和理由", required=False) or ""
    if problems:
        raise _refusal(problems)
    if submit_token:
        existing = Reconsideration.objects.filter(submit_token=submit_token).first()
        if existing is not None:
            return existing
    period = rules.application_period(
        known_on=known,
        submitted_on=submitted,
        told_of_right=told_of_right,
        right_known_on=right_day,
        act_date=act_day,
        real_property=real_property,
        obstacle_from=ob_from,
        obstacle_to=ob_to,
    )
    rc = Reconsideration(
        tracking_code=_tracking_code(),
        submit_token=submit_token or None,
        ip=ip,
        channel=channel,
        procedure=procedure,
        body_unit=body,
        respondent=respondent,
        respondent_unit=respondent.unit,
        division_id=respondent.unit.division_id,
        applicant_kind=who["kind"],
        applicant_name=who["name"],
        applicant_id_number=who["id_number"],
        applicant_uscc=who["uscc"],
        applicant_phone=who["phone"],
        applicant_address=who["address"],
        agent_name=clean_text(agent_name)[:100],
        agent_kind=clean_text(agent_kind)[:30],
        third_parties=(third_parties or "").strip()[:2000],
        act=act,
        act_kind=act_kind,
        act_number=clean_text(act_number)[:80],
        act_date=act_day,
        act_on_the_spot=act_on_the_spot,
        act_is_warning=act_is_warning,
        amount=money,
        real_property=real_property,
        parties_agree_simple=parties_agree_simple,
        case=case,
        request=request,
        facts=facts,
        known_on=known,
        told_of_right=told_of_right,
        right_known_on=right_day,
        obstacle_from=ob_from,
        obstacle_to=ob_to,
        obstacle_reason=clean_text(obstacle_reason)[:200],
        submitted_on=submitted,
        received_on=received,
        forwarded_on=forwarded,
        period_deadline=period.deadline,
        period_expired=period.expired,
        created_by=_users_pk(by),
    )
    if password:
        rc.password_salt = secrets.token_hex(8)
        rc.password_hash = password_digest(rc.password_salt, password)
    try:
        with transaction.atomic():
            rc.save()
    except IntegrityError:
        existing = Reconsideration.objects.filter(submit_token=submit_token).first() if submit_token else None
        if existing is None:
            raise
        return existing
    stored = attachments_store(files=files, by=_users_pk(by)) if files else []
    if stored:
        rc.attachments.set(stored)
    item = item_open(
        kind=RECONSIDERATION.code,
        title=f"{rc.tracking_code} {rc.title}"[:200],
        unit=body,
        by=_users_pk(by),
        start=received,
        limit_kind="working",
        limit_days=rules.ACCEPTANCE_WORKING_DAYS,
        deadline_source=rules.ACCEPTANCE_CITATION,
        url=reverse("disputes:reconsideration_detail", args=[rc.pk]),
        comment=f"{rc.get_channel_display()}：{act[:200]}",
    )
    rc.item = item
    rc.save(update_fields=["item"])
    warnings = selectors.reconsideration_warnings(rc=rc, today=today)
    item_record(
        item=item,
        by=_users_pk(by),
        action="application_received",
        label="收到行政复议申请",
        comment="；".join(f"{w.message}（{w.citation}）" for w in warnings),
        data={
            "channel": channel,
            "received_on": received.isoformat(),
            "submitted_on": submitted.isoformat(),
            "period_deadline": period.deadline.isoformat(),
            "warnings": [w.rule for w in warnings],
        },
        attachments=stored,
    )
    _open_clock(item, "acceptance_review", "受理审查", rules.acceptance_rule(), received, _users_pk(by))
    _tally(rc, received.year, applications=1)
    log_operation(
        user=_users_pk(by), action="登记行政复议申请", obj=rc, summary=f"{rc.tracking_code} {rc.title}"[:300], ip=ip
    )
    return rc


# What may be completed or corrected after registration, until the case is decided: the particulars the
# simple-procedure eligibility (第五十三条) and the absolute limits (第二十一条) read, and the parties around the
# applicant. Who applied, against whom and when stay as registered.
PARTICULARS = {
    "agent_name": "委托代理人",
    "agent_kind": "代理人身份",
    "third_parties": "第三人",
    "act_kind": "行为类型",
    "act_number": "决定书文号",
    "act_date": "行政行为作出日期",
    "act_on_the_spot": "当场作出",
    "act_is_warning": "警告或者通报批评",
    "amount": "涉及款额（元）",
    "real_property": "因不动产提出",
    "parties_agree_simple": "各方同意适用简易程序",
    "request": "行政复议请求",
    "facts": "事实和理由",
}


def _particular(name: str, value):
    """`value` for the field `name`, cleaned and checked as registration does."""
    label = PARTICULARS[name]
    if value is None and name not in ("act_date", "amount"):
        value = ""  # an API null clears a text, and a flag is then off
    if name in ("act_on_the_spot", "act_is_warning", "real_property", "parties_agree_simple"):
        return bool(value)
    if name == "act_date":
        return _day(value, field=name, label=label, required=False)
    if name == "amount":
        return _amount(value)
    if name == "act_kind":
        if value not in dict(Reconsideration.ACT_KINDS):
            raise DomainError(f"行为类型“{value}”无效", field=name)
        return value
    if name in ("request", "facts"):
        return _text(value, field=name, label=label, required=False) or ""
    if name == "third_parties":
        return (value or "").strip()[:2000]
    return _short(value, field=name, label=label, limit=Reconsideration._meta.get_field(name).max_length)


@transaction.atomic
def reconsideration_particulars(
    *, by, reconsideration: Reconsideration, changes: dict, reason: str = "", ip=None
) -> Reconsideration:
    """Complete or correct the application's particulars (PARTICULARS) before the decision — an online application
    carries no act date or amount, and the parties' consent to the simple procedure often comes later. The
    application period is checked again with them; every change, old and new value, is on the timeline. Every
    field is checked before anything is written."""
    rc = _lock(reconsideration)
    if "particulars" not in permissions.reconsideration_actions(user=by, obj=rc):
        if permissions.reconsideration_body(user=by, obj=rc):
            raise DomainError(f"案件{rc.get_status_display()}，申请信息不能再更改", field="status")
        raise Forbidden()
    unknown = sorted(set(changes) - set(PARTICULARS))
    if unknown:
        raise DomainError(f"不能更改的字段：{'、'.join(unknown)}", field=unknown[0])
    problems: list[DomainError] = []
    cleaned = {}
    for name, value in changes.items():
        try:
            cleaned[name] = _particular(name, value)
        except DomainError as exc:
            problems.append(exc)
    act_day = cleaned.get("act_date", rc.act_date)
    if act_day and act_day > rc.known_on:
        problems.append(DomainError("行政行为作出日期不能晚于知道该行为之日", field="act_date"))
    if rc.procedure == "simple":
        grounds = rules.simple_grounds(
            on_the_spot=cleaned.get("act_on_the_spot", rc.act_on_the_spot),
            warning=cleaned.get("act_is_warning", rc.act_is_warning),
            amount=cleaned.get("amount", rc.amount),
            disclosure=cleaned.get("act_kind", rc.act_kind) == "disclosure",
            parties_agree=cleaned.get("parties_agree_simple", rc.parties_agree_simple),
        )
        if not grounds:
            problems.append(
                DomainError(
                    f"本案适用简易程序，更改后不再符合简易程序的情形（{rules.SIMPLE_CITATION}）；应先转为普通程序",
                    field="procedure",
                )
            )
    if problems:
        raise _refusal(problems)
    changed = {name: value for name, value in cleaned.items() if getattr(rc, name) != value}
    if not changed:
        return rc
    shown = {
        name: ("是" if v is True else "否" if v is False else "" if v is None else str(v))
        for name, v in changed.items()
    }
    before = {name: getattr(rc, name) for name in changed}
    for name, value in changed.items():
        setattr(rc, name, value)
    period = rules.application_period(
        known_on=rc.known_on,
        submitted_on=rc.submitted_on,
        told_of_right=rc.told_of_right,
        right_known_on=rc.right_known_on,
        act_date=rc.act_date,
        real_property=rc.real_property,
        obstacle_from=rc.obstacle_from,
        obstacle_to=rc.obstacle_to,
    )
    rc.period_deadline, rc.period_expired = period.deadline, period.expired
    rc.save(update_fields=[*changed, "period_deadline", "period_expired"])
    reason = clean_text(reason)[:200]
    _record(
        rc.item,
        by=by,
        action="particulars_changed",
        label="补充更正申请信息",
        comment="；".join(f"{PARTICULARS[n]}：{shown[n] or '（空）'}" for n in changed)
        + (f"（{reason}）" if reason else ""),
        data={
            "fields": sorted(changed),
            "before": {n: None if v is None else str(v) for n, v in before.items()},
            "period_deadline": period.deadline.isoformat(),
            "period_expired": period.expired,
        },
    )
    log_operation(
        user=by, action="更正行政复议申请信息", obj=rc, summary="、".join(PARTICULARS[n] for n in changed), ip=ip
    )
    return rc


def _files_check(files, *, public: bool = False) -> None:
    """Every file checked before any is stored. A public upload (the portal) must also be what its extension says
    (images and PDF, by their first bytes: the complaint form's rule); staff may attach any type core accepts."""
    from fazhi.core.attachments import attachment_check

    if len(files) > MAX_FILES:
        raise DomainError(f"附件最多 {MAX_FILES} 个", field="attachments")
    for f in files:
        if public:
            from fazhi.complaints.rules import file_type_problem

            head = f.read(8)
            f.seek(0)
            problem = file_type_problem(name=getattr(f, "name", "") or "", size=f.size, head=head)
            if problem:
                raise DomainError(problem, field="attachments")
        else:
            attachment_check(name=str(getattr(f, "name", "") or "附件").strip(), size=f.size)


def _public_rate_limit(ip: str | None) -> None:
    if not ip:
        return
    since = timezone.now() - dt.timedelta(hours=1)
    if Reconsideration.objects.filter(ip=ip, channel="online", created_at__gte=since).count() >= PUBLIC_HOURLY_LIMIT:
        raise DomainError(
            f"提交过于频繁：同一网络 1 小时内最多提交 {PUBLIC_HOURLY_LIMIT} 件申请，请稍后再试", field="rate"
        )


def reconsideration_apply_online(
    *,
    applicant: dict,
    respondent_name: str,
    act: str,
    known_on,
    request: str,
    facts: str,
    act_number: str = "",
    told_of_right: bool = True,
    consent: bool = False,
    files=(),
    ip=None,
    submit_token: str | None = None,
    today: dt.date | None = None,
) -> tuple[Reconsideration, str]:
    """An application on the portal (第二十二条第二款: 互联网渠道): received today, with its attachments. Returns the
    case and the query password shown once; a repeated submit (same token) returns the same case and password."""
    today = _today(today)
    refused = []
    respondent = None
    try:
        respondent = selectors.respondent_by_name(name=respondent_name)
    except DomainError as exc:
        refused.append(exc)
    if not consent:
        refused.append(DomainError("请阅读并同意个人信息处理说明后再提交", field="consent"))
    if not clean_text(request):
        refused.append(DomainError("请写明行政复议请求（如：请求撤销……）", field="request"))
    if len(clean_text(facts)) < 10:
        refused.append(DomainError("请写明申请行政复议的主要事实和理由（至少 10 字）", field="facts"))
    password = _password_for(submit_token)
    with transaction.atomic():
        _public_rate_limit(ip)
        rc = reconsideration_register(
            by=None,
            applicant=applicant,
            respondent=respondent,
            act=act,
            known_on=known_on,
            received_on=today,
            channel="online",
            act_number=act_number,
            told_of_right=told_of_right,
            request=request,
            facts=facts,
            files=files,
            ip=ip,
            submit_token=submit_token,
            password=password,
            refused=refused,
            today=today,
        )
    return rc, password


def reconsideration_public_query(*, code: str, password: str, ip: str | None) -> Reconsideration:
    """The case behind a tracking code and its password; a wrong code and a wrong password answer alike, and
    failures are limited per IP."""
    from fazhi.core.errors import NotFound

    since = timezone.now() - dt.timedelta(hours=1)
    code = clean_text(code).upper().replace(" ", "")
    password = clean_text(password).upper().replace(" ", "")
    with transaction.atomic():
        if ip and QueryAttempt.objects.filter(ip=ip, at__gte=since).count() >= QUERY_FAIL_LIMIT:
            raise DomainError("查询失败次数过多，请 1 小时后再试", field="rate")
        rc = Reconsideration.objects.select_related("respondent_unit").filter(tracking_code=code).first()
        ok = (
            rc is not None
            and rc.password_hash
            and password
            and hmac.compare_digest(password_digest(rc.password_salt, password), rc.password_hash)
        )
        if not ok:
            QueryAttempt.objects.create(ip=ip)
    if not ok:
        raise NotFound("查询码或查询密码不正确")
    return rc


@transaction.atomic
def reconsideration_link_case(*, by, reconsideration: Reconsideration, case, ip=None) -> Reconsideration:
    """The contested act is this penalty case (so that a correction shows on the case and counts for the agency)."""
    rc = _lock(reconsideration)
    if "link_case" not in permissions.reconsideration_actions(user=by, obj=rc):
        raise Forbidden()
    if case.agency_id != rc.respondent_id:
        raise DomainError("所关联的行政处罚案件不是被申请人办理的", field="case")
    rc.case = case
    rc.save(update_fields=["case"])
    _record(
        rc.item,
        by=by,
        action="case_linked",
        label="关联行政处罚案件",
        comment=str(case),
        data={"case": case.pk},
    )
    log_operation(user=by, action="关联行政处罚案件", obj=rc, summary=str(case)[:300], ip=ip)
    return rc


def _lock(rc: Reconsideration) -> Reconsideration:
    return (
        Reconsideration.objects.select_for_update(of=("self",))
        .select_related("respondent__unit", "respondent_unit", "body_unit", "item", "answer_item")
        .get(pk=rc.pk)
    )


# ---------------------------------------------------------------- reconsideration: events


def _deemed_acceptance(rc: Reconsideration, until: dt.date) -> None:
    """The review period passed without a refusal: the application is accepted as of the period's last day
    (第三十条第三款). While the applicant corrects, the review clock is paused and nothing is deemed; when the
    correction period passes without the materials, the application is deemed abandoned (第三十一条第二款)."""
    if rc.status == "review":
        review = _clock(rc.item, "acceptance_review")
        if review and review.is_open and not review.paused and review.deadline < until:
            _accept(rc, by=None, on=review.deadline, deemed=True)
    elif rc.status == "correction":
        reply = _clock(rc.item, "correction_reply")
        if reply and reply.is_open and not reply.paused and reply.deadline < until:
            _abandon(rc, on=reply.deadline)


def _accept(rc: Reconsideration, *, by, on: dt.date, deemed: bool = False, procedure: str = "") -> None:
    if procedure and procedure != rc.procedure:
        bad = _procedure_check(procedure, selectors.reconsideration_simple_grounds(rc=rc))
        if bad:
            raise bad
        rc.procedure = procedure
    basis = rules.DEEMED_ACCEPTANCE_CITATION if deemed else rules.ACCEPTANCE_CITATION
    _record(
        rc.item,
        by=by,
        action="accepted",
        label="视为受理" if deemed else "受理",
        comment=f"审查期限届满未作出不予受理决定，自{on:%Y-%m-%d}起视为受理" if deemed else "",
        data={"on": on.isoformat(), "procedure": rc.procedure, "deemed": deemed, "basis": basis},
    )
    _stop(rc.item, "acceptance_review", on, by, basis)
    rc.status, rc.accepted_on, rc.acceptance_deemed = "accepted", on, deemed
    _open_clock(
        rc.item,
        "respondent_copy",
        "发送申请书副本",
        rules.copy_rule(rc.procedure),
        on,
        by,
    )
    decision = _open_clock(rc.item, "decision", "行政复议决定", rules.decision_rule(rc.procedure), on, by)
    rc.decision_deadline = decision.deadline
    rc.save()
    _tally(rc, rc.received_on.year, accepted=1)


def _abandon(rc: Reconsideration, *, on: dt.date) -> None:
    _record(
        rc.item,
        by=None,
        action="abandoned",
        label="视为放弃行政复议申请",
        comment=f"补正期限于{on:%Y-%m-%d}届满，申请人未提交补正材料，视为放弃行政复议申请，记录在案",
        data={"on": on.isoformat(), "basis": rules.CORRECTION_CITATION},
    )
    _stop(rc.item, "correction_reply", on, None, rules.CORRECTION_CITATION)
    _stop(rc.item, "acceptance_review", on, None, rules.CORRECTION_CITATION)
    rc.status = "abandoned"
    rc.save(update_fields=["status"])
    item_close(item=rc.item, by=None, label="视为放弃申请", closed_on=on)


def _event_permission(by, rc: Reconsideration, kind: str) -> None:
    """Refuse a user who may not take the event at all (403); a wrong state is the event's own 422."""
    if by is None:
        return
    if kind == "answered":
        if permissions.reconsideration_body(user=by, obj=rc) or permissions.reconsideration_respondent(user=by, obj=rc):
            return
        raise Forbidden()
    if not permissions.reconsideration_body(user=by, obj=rc):
        raise Forbidden()


def _outcome(value: str) -> str:
    value = clean_text(value)
    if value in rules.OUTCOMES:
        return value
    if value in rules.OUTCOME_ALIASES:
        return rules.OUTCOME_ALIASES[value]
    labels = "、".join(f"{label}（{code}）" for code, (label, _) in rules.OUTCOMES.items() if code != "terminated")
    raise DomainError(
        f"请选择决定类型：{labels}" if not value else f"决定类型“{value}”无效，应为：{labels}", field="outcome"
    )


@transaction.atomic
def reconsideration_event(
    *,
    by,
    reconsideration: Reconsideration,
    kind: str,
    on,
    reason: str = "",
    days=None,
    outcome: str = "",
    ground: str = "",
    competent_body: str = "",
    approver: str = "",
    procedure: str = "",
    redo: bool = False,
    received_on=None,
    files=(),
    ip=None,
    today: dt.date | None = None,
) -> Reconsideration:
    """One step of the procedure the law allows at that point (rules.EVENT_STATES); anything else is refused with
    a Chinese message naming the field, and nothing is written. Before the step, what the law deems to have
    happened by its date (视为受理, 视为放弃) is recorded."""
    today = _today(today)
    rc = _lock(reconsideration)
    kind = clean_text(kind)
    if kind not in rules.EVENT_STATES:
        raise DomainError(rules.event_refusal(kind=kind, status=rc.status), field="kind")
    _event_permission(by, rc, kind)
    on = _day(on, field="on", label="日期")
    if on > today:
        raise DomainError("日期不能晚于今天", field="on")
    if on < rc.received_on:
        raise DomainError(f"日期不能早于收到申请之日（{rc.received_on:%Y-%m-%d}）", field="on")
    _deemed_acceptance(rc, on)
    refusal = rules.event_refusal(kind=kind, status=rc.status)
    if refusal:
        if rc.acceptance_deemed and kind in ("accepted", "refused", "correction_requested"):
            refusal = (
                f"受理审查期限已于{rc.accepted_on:%Y-%m-%d}届满，未作出不予受理决定，已视为受理"
                f"（{rules.DEEMED_ACCEPTANCE_CITATION}）"
            )
        if rc.status == "abandoned" and kind in ("correction_received", "correction_extended"):
            reply = _clock(rc.item, "correction_reply")
            refusal = (
                f"补正期限已于{reply.deadline:%Y-%m-%d}届满，申请人无正当理由逾期不补正的，视为放弃行政复议申请"
                f"（{rules.CORRECTION_CITATION}）"
            )
        raise DomainError(refusal, field="kind")
    reason = (reason or "").strip()
    handler = _HANDLERS[kind]
    handler(
        rc,
        by=by,
        on=on,
        reason=reason,
        days=days,
        outcome=outcome,
        ground=clean_text(ground),
        competent_body=clean_text(competent_body),
        approver=clean_text(approver),
        procedure=clean_text(procedure),
        redo=bool(redo),
        received_on=received_on,
        files=list(files or []),
        today=today,
    )
    log_operation(
        user=_users_pk(by),
        action=f"行政复议：{rules.EVENT_LABELS[kind]}",
        obj=rc,
        summary=f"{rc.tracking_code} {on:%Y-%m-%d} {reason}"[:300],
        ip=ip,
    )
    return rc


def _need_reason(reason: str, label: str, field: str = "reason") -> str:
    if len(clean_text(reason)) < 2:
        raise DomainError(f"请填写{label}", field=field)
    if len(reason) > TEXT_MAX:
        raise DomainError(f"{label}不能超过 {TEXT_MAX} 字", field=field)
    return reason


def _on_correction_requested(rc, *, by, on, reason, received_on, **_):
    items = _need_reason(reason, "需要补正的事项（补正通知应当一次性载明）")
    if rc.correction_requested_on is not None:
        raise DomainError(
            f"本申请已于{rc.correction_requested_on:%Y-%m-%d}通知补正：补正通知应当一次性载明需要补正的事项"
            f"（{rules.CORRECTION_NOTICE_CITATION}）",
            field="kind",
        )
    review = _clock(rc.item, "acceptance_review")
    if on > review.deadline:
        raise DomainError(
            f"补正通知应当自收到申请之日起五个工作日内发出，已于{review.deadline:%Y-%m-%d}届满"
            f"（{rules.CORRECTION_NOTICE_CITATION}）",
            field="on",
        )
    served = _day(received_on, field="received_on", label="申请人收到补正通知之日", required=False) or on
    if served < on:
        raise DomainError("申请人收到补正通知之日不能早于通知之日", field="received_on")
    _record(
        rc.item,
        by=by,
        action="correction_requested",
        label="通知补正",
        comment=items,
        data={"on": on.isoformat(), "served_on": served.isoformat(), "basis": rules.CORRECTION_NOTICE_CITATION},
    )
    clock_event(
        clock=review, kind="pause", on=on, by=by, basis=rules.CORRECTION_NOTICE_CITATION, reason="等待申请人补正"
    )
    _open_clock(rc.item, "correction_reply", "申请人补正", rules.correction_rule(), served, by, comment=items[:200])
    rc.status, rc.correction_items, rc.correction_requested_on = "correction", items, on
    rc.save()


def _on_correction_extended(rc, *, by, on, reason, days, **_):
    reason = _need_reason(reason, "延长补正期限的正当理由")
    amount = _positive_days(days)
    clock = _clock(rc.item, "correction_reply")
    if on > clock.deadline:
        raise DomainError(f"补正期限已于{clock.deadline:%Y-%m-%d}届满，不能再延长", field="on")
    clock_event(clock=clock, kind="extend", on=on, by=by, basis=rules.CORRECTION_CITATION, reason=reason, amount=amount)


def _on_correction_received(rc, *, by, on, reason, files, **_):
    clock = _clock(rc.item, "correction_reply")
    if on > clock.deadline:
        raise DomainError(f"补正期限已于{clock.deadline:%Y-%m-%d}届满", field="on")
    stored = attachments_store(files=files, by=_users_pk(by)) if files else []
    if stored:
        rc.attachments.add(*stored)
    _record(
        rc.item,
        by=by,
        action="correction_received",
        label="收到补正材料",
        comment=reason,
        data={"on": on.isoformat(), "basis": rules.CORRECTION_RESTART_CITATION},
        attachments=stored,
    )
    clock_event(clock=clock, kind="stop", on=on, by=by, basis=rules.CORRECTION_CITATION)
    # 第三十一条第三款: on receipt the application is reviewed under 第三十条 again: five fresh working days.
    clock_event(
        clock=_clock(rc.item, "acceptance_review"),
        kind="restart",
        on=on,
        by=by,
        basis=rules.CORRECTION_RESTART_CITATION,
    )
    rc.status, rc.correction_received_on = "review", on
    rc.save()


def _on_accepted(rc, *, by, on, procedure, **_):
    review = _clock(rc.item, "acceptance_review")
    if on > review.deadline:  # unreachable after _deemed_acceptance; kept as the rule's own guard
        raise DomainError(f"受理审查期限已于{review.deadline:%Y-%m-%d}届满", field="on")
    _accept(rc, by=by, on=on, procedure=procedure)


def _on_refused(rc, *, by, on, reason, ground, competent_body, **_):
    reason = _need_reason(reason, "不予受理的理由")
    if ground and ground not in rules.REFUSAL_GROUNDS:
        raise DomainError("不予受理的情形无效", field="ground")
    if ground == "jurisdiction" and not competent_body:
        raise DomainError(
            f"不属于本机关管辖的，应当在不予受理决定中告知申请人有管辖权的行政复议机关（{rules.REFUSAL_CITATION}）",
            field="competent_body",
        )
    _record(
        rc.item,
        by=by,
        action="refused",
        label="不予受理",
        comment=reason + (f"；有管辖权的行政复议机关：{competent_body}" if competent_body else ""),
        data={"on": on.isoformat(), "ground": ground, "basis": rules.REFUSAL_CITATION},
    )
    _stop(rc.item, "acceptance_review", on, by, rules.REFUSAL_CITATION)
    rc.status, rc.refused_on, rc.refusal_reason, rc.competent_body = "refused", on, reason, competent_body[:100]
    rc.save()
    _tally(rc, rc.received_on.year, refused=1)
    item_close(item=rc.item, by=by, label="不予受理", closed_on=on)


def _on_switched(rc, *, by, on, reason, approver, **_):
    if rc.procedure != "simple":
        raise DomainError(f"只有适用简易程序的案件可以转为普通程序（{rules.SWITCH_CITATION}）", field="kind")
    reason = _need_reason(reason, "不宜适用简易程序的理由")
    if not approver:
        raise DomainError(
            f"转为普通程序须经行政复议机构负责人批准，请填写批准人（{rules.SWITCH_CITATION}）", field="approver"
        )
    for item, name, rule in (
        (rc.item, "decision", rules.decision_rule("ordinary")),
        (rc.item, "respondent_copy", rules.copy_rule("ordinary")),
        (rc.answer_item, "respondent_answer", rules.answer_rule("ordinary")),
    ):
        clock = _clock(item, name)
        if clock is not None and clock.is_open:
            clock_event(
                clock=clock,
                kind="switch",
                on=on,
                by=by,
                basis=rules.SWITCH_CITATION,
                reason=f"{reason}（批准人：{approver}）",
                unit=rule.unit,
                length=rule.length,
                extension_cap=rule.extension_cap,
                rule_basis=rule.basis,
            )
    rc.procedure = "ordinary"
    rc.decision_deadline = _clock(rc.item, "decision").deadline
    rc.save(update_fields=["procedure", "decision_deadline"])


def _on_copied(rc, *, by, on, received_on, **_):
    if rc.copy_sent_on:
        raise DomainError(f"已于{rc.copy_sent_on:%Y-%m-%d}发送申请书副本", field="kind")
    if on < rc.accepted_on:
        raise DomainError("发送副本之日不能早于受理之日", field="on")
    got = _day(received_on, field="received_on", label="被申请人收到副本之日", required=False) or on
    if got < on:
        raise DomainError("被申请人收到副本之日不能早于发送之日", field="received_on")
    _record(
        rc.item,
        by=by,
        action="copied",
        label="发送申请书副本",
        comment=f"被申请人{got:%Y-%m-%d}收到",
        data={"on": on.isoformat(), "received_on": got.isoformat(), "basis": rules.COPY_CITATION[rc.procedure]},
    )
    _stop(rc.item, "respondent_copy", on, by, rules.COPY_CITATION[rc.procedure])
    answer_item = item_open(
        kind=RECONSIDERATION_ANSWER.code,
        title=f"{rc.tracking_code} 答复：{rc.title}"[:200],
        unit=rc.respondent_unit,
        by=by,
        start=got,
        limit_kind="working",
        limit_days=rules.ANSWER_WORKING_DAYS[rc.procedure],
        deadline_source=rules.ANSWER_CITATION[rc.procedure],
        url=reverse("disputes:reconsideration_detail", args=[rc.pk]),
        comment="请提出书面答复，并提交作出行政行为的证据、依据和其他有关材料",
    )
    _open_clock(answer_item, "respondent_answer", "被申请人答复", rules.answer_rule(rc.procedure), got, by)
    rc.copy_sent_on, rc.copy_received_on, rc.answer_item = on, got, answer_item
    rc.save(update_fields=["copy_sent_on", "copy_received_on", "answer_item"])


def _on_answered(rc, *, by, on, reason, files, **_):
    if not rc.copy_sent_on or rc.answer_item is None:
        raise DomainError("尚未向被申请人发送申请书副本", field="kind")
    if rc.answered_on:
        raise DomainError(f"被申请人已于{rc.answered_on:%Y-%m-%d}答复", field="kind")
    if on < rc.copy_received_on:
        raise DomainError("答复之日不能早于收到副本之日", field="on")
    answer = _need_reason(reason, "书面答复的内容（作出行政行为的事实、证据和依据）")
    stored = attachments_store(files=files, by=_users_pk(by)) if files else []
    clock = _clock(rc.answer_item, "respondent_answer")
    late = on > clock.deadline
    _record(
        rc.answer_item,
        by=by,
        action="answered",
        label="提出书面答复",
        comment=answer,
        data={"on": on.isoformat(), "late": late},
        attachments=stored,
    )
    item_close(item=rc.answer_item, by=by, label="已答复", closed_on=on)
    _record(
        rc.item,
        by=by,
        action="answered",
        label="被申请人答复" + ("（逾期）" if late else ""),
        comment=answer[:500],
        data={"on": on.isoformat(), "late": late},
    )
    rc.answered_on, rc.answer = on, answer
    rc.save(update_fields=["answered_on", "answer"])
    if stored:
        rc.attachments.add(*stored)


def _running(rc) -> list[Clock]:
    return [c for c in Clock.objects.filter(item=rc.item, is_open=True, name__in=("decision", "respondent_copy"))]


def _on_suspended(rc, *, by, on, reason, ground, **_):
    reason = _need_reason(reason, "中止的理由")
    ground = ground or "10"
    if ground not in rules.SUSPENSION_GROUNDS:
        raise DomainError("中止情形应为第三十九条第一款第一项至第十项之一", field="ground")
    basis = f"{rules.SUSPENSION_CITATION}第一款第{ground}项"
    _record(
        rc.item,
        by=by,
        action="suspended",
        label="中止审理",
        comment=f"{rules.SUSPENSION_GROUNDS[ground]}：{reason}",
        data={"on": on.isoformat(), "ground": ground, "basis": basis},
    )
    for clock in _running(rc):
        clock_event(clock=clock, kind="pause", on=on, by=by, basis=basis, reason=reason)
    rc.status, rc.suspended_on, rc.suspension_ground = "suspended", on, ground
    rc.save(update_fields=["status", "suspended_on", "suspension_ground"])


def _on_resumed(rc, *, by, on, reason, **_):
    _record(
        rc.item,
        by=by,
        action="resumed",
        label="恢复审理",
        comment=reason or "中止的原因已消除",
        data={"on": on.isoformat(), "basis": rules.RESUMPTION_CITATION},
    )
    for clock in _running(rc):
        if clock.paused:
            clock_event(clock=clock, kind="resume", on=on, by=by, basis=rules.RESUMPTION_CITATION)
    rc.status = "accepted"
    rc.decision_deadline = _clock(rc.item, "decision").deadline
    rc.save(update_fields=["status", "decision_deadline"])


def _positive_days(days) -> int:
    try:
        amount = int(days)
    except (TypeError, ValueError):
        raise DomainError("请填写延长的天数（正整数）", field="days") from None
    if amount < 1:
        raise DomainError("延长的天数应为正整数", field="days")
    return amount


def _on_extended(rc, *, by, on, reason, days, approver, **_):
    if rc.procedure != "ordinary":
        raise DomainError(
            f"适用简易程序的案件应当自受理申请之日起三十日内作出决定，不得延长（{rules.DECISION_CITATION['simple']}）",
            field="days",
        )
    amount = _positive_days(days)
    reason = _need_reason(reason, "情况复杂、不能在规定期限内作出决定的理由")
    clock = _clock(rc.item, "decision")
    if on > clock.deadline:
        raise DomainError(
            f"行政复议决定期限已于{clock.deadline:%Y-%m-%d}届满，不能再延长（{rules.DECISION_CITATION['ordinary']}）",
            field="on",
        )
    approver = approver or "行政复议机构负责人（未载明姓名）"
    _record(
        rc.item,
        by=by,
        action="extended",
        label="延长审理期限",
        comment=f"{reason}（批准人：{approver}；已书面告知当事人）",
        data={"on": on.isoformat(), "days": amount, "approver": approver},
    )
    clock = clock_event(
        clock=clock,
        kind="extend",
        on=on,
        by=by,
        basis=rules.DECISION_CITATION["ordinary"],
        reason=f"{reason}（批准人：{approver}）",
        amount=amount,
    )
    rc.extension_days += amount
    rc.extension_approver, rc.decision_deadline = approver[:50], clock.deadline
    rc.save(update_fields=["extension_days", "extension_approver", "decision_deadline"])


def _close_everything(rc, *, by, on: dt.date, basis: str, label: str) -> None:
    if rc.answer_item is not None:
        rc.answer_item.refresh_from_db()
        if rc.answer_item.status != "closed":
            item_close(item=rc.answer_item, by=by, label=f"复议{label}", closed_on=on)
    for clock in Clock.objects.filter(item=rc.item, is_open=True):
        clock_event(clock=clock, kind="stop", on=max(on, _last_on(clock)), by=by, basis=basis)


def _on_terminated(rc, *, by, on, reason, ground, today, **_):
    if ground not in rules.TERMINATION_GROUNDS:
        raise DomainError("请选择终止的情形（第四十一条第一项至第五项）", field="ground")
    reason = _need_reason(reason, "终止的理由")
    if ground == "5":
        if rc.status != "suspended" or rc.suspension_ground not in rules.SUSPENDED_TERMINATION_GROUNDS:
            raise DomainError("第四十一条第五项仅适用于依第三十九条第一款第一、二、四项中止的案件", field="ground")
        if (
            rules.termination_due(ground=rc.suspension_ground, suspended_on=rc.suspended_on, today=on + dt.timedelta(1))
            is None
        ):
            raise DomainError("中止尚未满六十日，不能依第四十一条第五项终止", field="ground")
    _conclude(
        rc,
        by=by,
        on=on,
        outcome="withdrawn" if ground == "1" else "terminated",
        reasons=f"{rules.TERMINATION_GROUNDS[ground]}。{reason}",
        redo=False,
        ground=ground,
    )


def _on_decided(rc, *, by, on, reason, outcome, redo, **_):
    code = _outcome(outcome)
    if code == "terminated":
        raise DomainError("终止行政复议请用“终止”，并选择第四十一条规定的情形", field="outcome")
    if on < rc.accepted_on:
        raise DomainError(f"决定之日不能早于受理之日（{rc.accepted_on:%Y-%m-%d}）", field="on")
    if redo and code != "annulled":
        raise DomainError("只有撤销或者部分撤销时才可以责令重新作出行政行为（第六十四条）", field="redo")
    _conclude(rc, by=by, on=on, outcome=code, reasons=reason, redo=redo, ground="1" if code == "withdrawn" else "")


def _conclude(rc, *, by, on: dt.date, outcome: str, reasons: str, redo: bool, ground: str) -> None:
    """Decision, mediation or termination: the clocks stop, the 决定书 (调解书, 终止决定书) is issued with its number
    in the 公文 layout and stored on the timeline, and a correction proposes accountability."""
    decision_clock = _clock(rc.item, "decision")
    deadline = decision_clock.deadline if decision_clock else rc.decision_deadline
    label, citation = rules.OUTCOMES[outcome]
    terminated = outcome in ("withdrawn", "terminated")
    _record(
        rc.item,
        by=by,
        action="decided",
        label=f"{'终止行政复议' if terminated else '作出行政复议决定'}：{label}",
        comment=reasons,
        data={"on": on.isoformat(), "outcome": outcome, "redo": redo, "basis": citation},
    )
    _close_everything(rc, by=by, on=on, basis=citation, label="决定" if not terminated else "终止")
    rc.outcome, rc.decided_on, rc.redo_ordered = outcome, on, redo
    rc.decision_reasons = reasons
    rc.decision_deadline = deadline
    rc.on_time = deadline is not None and on <= deadline
    rc.corrected = outcome in rules.CORRECTING
    rc.status = "terminated" if terminated else "decided"
    rc.terminated_ground = ground if terminated else ""
    number, _ = _issue_decision(rc, by=by, on=on)
    rc.decision_number = number
    rc.save()
    _tally_concluded(rc)
    item_close(item=rc.item, by=by, label=rc.get_status_display(), closed_on=on)
    if rc.corrected:
        _propose_accountability(rc, by=by, on=on)


def _government_of(unit):
    parent = unit.parent
    return parent if parent is not None and parent.kind == "government" else unit


DOC_TYPES = {"mediated": "行政复议调解书", "withdrawn": "行政复议终止决定书", "terminated": "行政复议终止决定书"}
# Each kind of document has its own register and 代字, so that no two documents share a number.
DOC_PREFIX_SUFFIX = {"行政复议调解书": "调", "行政复议终止决定书": "终"}


def _issue_decision(rc: Reconsideration, *, by, on: dt.date):
    """The 行政复议决定书 (第七十五条) in the name of the 行政复议机关 (第六十一条), numbered in its register."""
    from fazhi.documents.gongwen import Gongwen, gongwen_docx
    from fazhi.documents.services import document_store, number_take

    gov = _government_of(rc.body_unit)
    doc_type = DOC_TYPES.get(rc.outcome, "行政复议决定书")
    prefix = rules.decision_prefix(gov.name) + DOC_PREFIX_SUFFIX.get(doc_type, "")
    number = number_take(unit=gov, doc_type=doc_type, year=on.year, by=_users_pk(by), prefix=prefix, today=on)
    label, citation = rules.OUTCOMES[rc.outcome]
    applicant = rc.applicant_name + (f"，统一社会信用代码 {rc.applicant_uscc}" if rc.applicant_uscc else "")
    body = [f"申请人：{applicant}"]
    if rc.agent_name:
        body.append(f"委托代理人：{rc.agent_name}{('（' + rc.agent_kind + '）') if rc.agent_kind else ''}")
    body.append(f"被申请人：{rc.respondent_unit.name}")
    body += [f"第三人：{p.strip()}" for p in rc.third_parties.splitlines() if p.strip()]
    body.append(
        f"申请人不服被申请人{rc.act}（{rc.act_number or '文号未载明'}），于{_cn(rc.submitted_on)}提出行政复议申请，"
        f"本机关于{_cn(rc.accepted_on)}依法受理，适用{rc.get_procedure_display()}审理。"
    )
    if rc.outcome not in ("withdrawn", "terminated"):
        body += ["一、申请人请求", rc.request or f"请求对{rc.act}依法审查。"]
        body += ["二、被申请人答复", rc.answer or f"被申请人未在法定期限内提出书面答复（{rules.NO_ANSWER_CITATION}）。"]
        body += ["三、本机关认定的事实和理由", rc.decision_reasons or "（略）"]
        decision = f"依照{citation}的规定，本机关决定：{label}被申请人作出的{rc.act}"
        if rc.outcome in ("upheld", "rejected", "dismissed", "mediated"):
            decision = f"依照{citation}的规定，本机关决定：{label}。"
        if rc.redo_ordered:
            decision += "，并责令被申请人在法定期限内重新作出行政行为"
        body.append(decision if decision.endswith("。") else decision + "。")
        if rc.outcome != "mediated":
            body.append(
                "申请人如不服本决定，可以自收到本决定书之日起十五日内，依照《中华人民共和国行政诉讼法》的规定向人民法院提起行政诉讼。"
            )
    else:
        body.append(f"本案{rc.decision_reasons}依照{citation}的规定，本机关决定：终止行政复议。")
    content = gongwen_docx(
        Gongwen(
            issuer_mark=gov.name,
            number=number.text,
            title=doc_type,
            body=body,
            signature=gov.name,
            date=on,
            cc=[rc.respondent_unit.name],
        )
    )
    document = document_store(
        by=_users_pk(by),
        item=rc.item,
        title=doc_type,
        number=number.text,
        content=content,
        filename=f"{doc_type}_{number.text}.docx",
        object_kind="reconsideration",
        object_id=rc.pk,
    )
    return number.text, document


def _cn(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "（未载明）"


def _propose_accountability(rc: Reconsideration, *, by, on: dt.date) -> None:
    """A corrected act proposes an accountability record (错案责任追究) in 执法监督: the signal's receivers run in
    this transaction."""
    from fazhi.supervision.signals import wrong_case_found

    label, citation = rules.OUTCOMES[rc.outcome]
    wrong_case_found.send(
        sender=Reconsideration,
        source_kind="reconsideration",
        source_id=rc.pk,
        source_label=f"行政复议{rc.decision_number}：{label}",
        source_url=reverse("disputes:reconsideration_detail", args=[rc.pk]),
        unit_id=rc.respondent_unit_id,
        case_id=rc.case_id,
        reason=f"行政复议机关{label}被申请人作出的{rc.act}（{citation}）",
        by=_users_pk(by),
        today=on,
    )


def _on_served(rc, *, by, on, received_on, **_):
    if rc.served_on:
        raise DomainError(f"决定书已于{rc.served_on:%Y-%m-%d}送达", field="kind")
    if on < rc.decided_on:
        raise DomainError("送达之日不能早于决定之日", field="on")
    _record(
        rc.item,
        by=by,
        action="served",
        label="送达决定书",
        comment=f"{rc.decision_number} 送达申请人、被申请人",
        data={"on": on.isoformat(), "basis": rules.DECISION_DOCUMENT_CITATION},
    )
    rc.served_on = on
    rc.save(update_fields=["served_on"])


_HANDLERS = {
    "correction_requested": _on_correction_requested,
    "correction_extended": _on_correction_extended,
    "correction_received": _on_correction_received,
    "accepted": _on_accepted,
    "refused": _on_refused,
    "switched": _on_switched,
    "copied": _on_copied,
    "answered": _on_answered,
    "suspended": _on_suspended,
    "resumed": _on_resumed,
    "extended": _on_extended,
    "terminated": _on_terminated,
    "decided": _on_decided,
    "served": _on_served,
}


def reconsiderations_deem(*, today: dt.date | None = None) -> dict:
    """The daily job: applications whose review period passed without a refusal are deemed accepted (第三十条第三款);
    those whose correction period passed are deemed abandoned (第三十一条第二款). Each in its own transaction."""
    today = _today(today)
    done = {"accepted": 0, "abandoned": 0}
    ids = Reconsideration.objects.filter(status__in=("review", "correction"), item__deadline__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(ids):
        with transaction.atomic():
            rc = _lock(Reconsideration(pk=pk))
            before = rc.status
            _deemed_acceptance(rc, today)
            if rc.status != before:
                done["accepted" if rc.status == "accepted" else "abandoned"] += 1
    return done


# ---------------------------------------------------------------- statistics counts


def _tally(rc: Reconsideration, year: int, **deltas: int) -> None:
    """Add `deltas` to the case's count row of `year` (in the caller's transaction)."""
    from django.db.models import F

    from fazhi.disputes.models import ReconsiderationTally

    key = {
        "body_unit_id": rc.body_unit_id,
        "respondent_unit_id": rc.respondent_unit_id,
        "division_id": rc.division_id or 0,
        "year": year,
    }
    updates = {name: F(name) + n for name, n in deltas.items()}
    if ReconsiderationTally.objects.filter(**key).update(**updates):
        return
    try:
        with transaction.atomic():
            ReconsiderationTally.objects.create(**key, **deltas)
    except IntegrityError:  # created meanwhile by a concurrent step: add to it
        ReconsiderationTally.objects.filter(**key).update(**updates)


def _tally_concluded(rc: Reconsideration) -> None:
    deltas = {"concluded": 1, f"o_{rc.outcome}": 1}
    if rc.outcome in rules.DECIDED:
        deltas["decided"] = 1
    if rc.corrected:
        deltas["corrected"] = 1
    if rc.on_time:
        deltas["on_time"] = 1
    _tally(rc, rc.decided_on.year, **deltas)


@transaction.atomic
def reconsideration_tallies_rebuild() -> int:
    """Recompute every count row from the cases themselves (two grouped queries): after a bulk load, or to check
    the counts the services kept. Returns the number of rows."""
    from django.db.models import BooleanField, Count, ExpressionWrapper, Q
    from django.db.models.functions import ExtractYear

    from fazhi.disputes.models import ReconsiderationTally

    rows: dict[tuple, dict] = {}

    def row(r) -> dict:
        key = (r["body_unit_id"], r["respondent_unit_id"], r["division_id"] or 0, r["y"])
        return rows.setdefault(key, {})

    accepted = ExpressionWrapper(Q(accepted_on__isnull=False), output_field=BooleanField())
    intake = (
        Reconsideration.objects.annotate(y=ExtractYear("received_on"), acc=accepted)
        .values("body_unit_id", "respondent_unit_id", "division_id", "y", "status", "acc")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in intake:
        counts = row(r)
        counts["applications"] = counts.get("applications", 0) + r["n"]
        if r["acc"]:
            counts["accepted"] = counts.get("accepted", 0) + r["n"]
        if r["status"] == "refused":
            counts["refused"] = counts.get("refused", 0) + r["n"]
    outcomes = (
        Reconsideration.objects.exclude(outcome="")
        .exclude(decided_on__isnull=True)
        .annotate(y=ExtractYear("decided_on"))
        .values("body_unit_id", "respondent_unit_id", "division_id", "y", "outcome", "corrected", "on_time")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in outcomes:
        counts = row(r)
        for name, add in (
            ("concluded", True),
            ("decided", r["outcome"] in rules.DECIDED),
            ("corrected", r["corrected"]),
            ("on_time", r["on_time"]),
            (f"o_{r['outcome']}", True),
        ):
            if add:
                counts[name] = counts.get(name, 0) + r["n"]
    ReconsiderationTally.objects.all().delete()
    ReconsiderationTally.objects.bulk_create(
        [
            ReconsiderationTally(body_unit_id=b, respondent_unit_id=u, division_id=d, year=y, **counts)
            for (b, u, d, y), counts in rows.items()
        ],
        batch_size=2000,
    )
    return len(rows)


# ---------------------------------------------------------------- hearing, committee, publication


@transaction.atomic
def reconsideration_hearing_add(
    *, by, reconsideration: Reconsideration, notice_on, held_on, place: str, matters: str, ip=None
) -> ReconsiderationHearing:
    rc = _lock(reconsideration)
    if "hearing" not in permissions.reconsideration_actions(user=by, obj=rc):
        if permissions.reconsideration_body(user=by, obj=rc):
            raise DomainError("只有已受理、尚未作出决定的案件可以组织听证", field="held_on")
        raise Forbidden()
    problems = []
    notice = held = None
    try:
        notice = _day(notice_on, field="notice_on", label="通知之日")
    except DomainError as exc:
        problems.append(exc)
    try:
        held = _day(held_on, field="held_on", label="听证之日")
    except DomainError as exc:
        problems.append(exc)
    place = clean_text(place)
    if not place:
        problems.append(DomainError("请填写听证地点", field="place"))
    matters = clean_text(matters)
    if not matters:
        problems.append(DomainError("请填写拟听证事项", field="matters"))
    if notice and held:
        problem = rules.hearing_notice_problem(notice_on=notice, held_on=held)
        if problem:
            problems.append(DomainError(problem, field="held_on"))
        if notice < rc.accepted_on:
            problems.append(DomainError("通知之日不能早于受理之日", field="notice_on"))
    if problems:
        raise _refusal(problems)
    hearing = ReconsiderationHearing.objects.create(
        reconsideration=rc, notice_on=notice, held_on=held, place=place[:100], matters=matters[:300]
    )
    _record(
        rc.item,
        by=by,
        action="hearing_scheduled",
        label="通知听证",
        comment=f"{held:%Y-%m-%d} 于{place}听证：{matters}",
        data={"notice_on": notice.isoformat(), "held_on": held.isoformat(), "basis": rules.HEARING_CITATION},
    )
    log_operation(user=by, action="行政复议：通知听证", obj=rc, summary=f"{held} {place}", ip=ip)
    return hearing


@transaction.atomic
def reconsideration_hearing_record(
    *,
    by,
    hearing: ReconsiderationHearing,
    head_attended: bool,
    head=None,
    stand_in: str = "",
    absence_reason: str = "",
    record: str = "",
    today: dt.date | None = None,
    ip=None,
) -> ReconsiderationHearing:
    """Who attended for the respondent: its head (第五十一条第三款), or a staff member it entrusted with the reason
    the head could not come."""
    rc = _lock(hearing.reconsideration)
    if not permissions.reconsideration_body(user=by, obj=rc):
        raise Forbidden()
    if hearing.held_on > _today(today):
        raise DomainError("听证尚未举行", field="held_on")
    if head_attended:
        if head is None or head.agency_id != rc.respondent_id or not head.is_active:
            raise DomainError("请从被申请人的负责人名单中选择参加听证的负责人", field="head")
        hearing.head, hearing.stand_in, hearing.absence_reason = head, "", ""
    else:
        stand_in, absence_reason = clean_text(stand_in), clean_text(absence_reason)
        if not absence_reason:
            raise DomainError(
                f"负责人不能参加听证的，应当说明理由（{rules.HEAD_AT_HEARING_CITATION}）", field="absence_reason"
            )
        if not stand_in:
            raise DomainError("请填写受委托参加听证的工作人员", field="stand_in")
        hearing.head, hearing.stand_in, hearing.absence_reason = None, stand_in[:50], absence_reason[:300]
    hearing.head_attended, hearing.record = head_attended, (record or "").strip()[:TEXT_MAX]
    hearing.save()
    who = (
        f"负责人{head.name}（{head.post}）参加"
        if head_attended
        else f"负责人未参加（{hearing.absence_reason}），委托{hearing.stand_in}参加"
    )
    _record(
        rc.item,
        by=by,
        action="hearing_held",
        label="举行听证",
        comment=f"{hearing.held_on:%Y-%m-%d} 听证，被申请人{who}",
        data={"head_attended": head_attended, "basis": rules.HEAD_AT_HEARING_CITATION},
    )
    log_operation(user=by, action="行政复议：听证笔录", obj=rc, summary=who[:300], ip=ip)
    return hearing


@transaction.atomic
def committee_save(*, by, name: str, term_from, term_to, unit=None, ip=None) -> Committee:
    if "create" not in permissions.committee_actions(user=by, obj=None):
        raise Forbidden()
    unit = unit or by.unit
    if unit is None or unit.kind != "justice":
        raise DomainError("行政复议委员会设在行政复议机构（司法局）", field="unit")
    if not permissions.unit_in_scope(by, unit):
        raise Forbidden()
    name = _short(name, field="name", label="名称", limit=100, required=True)
    start = _day(term_from, field="term_from", label="任期起")
    end = _day(term_to, field="term_to", label="任期止")
    if end <= start:
        raise DomainError("任期止应晚于任期起", field="term_to")
    if Committee.objects.filter(unit=unit, term_from__lte=end, term_to__gte=start).exists():
        raise DomainError("该期间已有一届行政复议委员会", field="term_from")
    committee = Committee.objects.create(unit=unit, name=name, term_from=start, term_to=end)
    log_operation(user=by, action="设立行政复议委员会", obj=committee, summary=name, ip=ip)
    return committee


@transaction.atomic
def committee_member_add(*, by, committee: Committee, name: str, kind: str, organisation: str, ip=None):
    if "member" not in permissions.committee_actions(user=by, obj=committee):
        raise Forbidden()
    name = _short(name, field="name", label="姓名", limit=50, required=True)
    if kind not in dict(CommitteeMember.KINDS):
        raise DomainError("委员类别应为政府部门、专家、学者、律师或其他", field="kind")
    organisation = _short(organisation, field="organisation", label="工作单位及职务", limit=100, required=True)
    member = CommitteeMember.objects.create(committee=committee, name=name, kind=kind, organisation=organisation)
    log_operation(user=by, action="行政复议委员会委员", obj=committee, summary=f"{name} {organisation}", ip=ip)
    return member


@transaction.atomic
def reconsideration_refer(*, by, reconsideration: Reconsideration, ground: str, referred_on, ip=None):
    """提请行政复议委员会提出咨询意见 (第五十二条第二款)."""
    rc = _lock(reconsideration)
    if "refer" not in permissions.reconsideration_actions(user=by, obj=rc):
        if permissions.reconsideration_body(user=by, obj=rc):
            raise DomainError("只有审理中的案件可以提请行政复议委员会咨询", field="ground")
        raise Forbidden()
    if ground not in dict(CommitteeReferral.GROUNDS):
        raise DomainError("请选择提请咨询的情形（第五十二条第二款第一项至第四项）", field="ground")
    on = _day(referred_on, field="referred_on", label="提请之日")
    committee = selectors.committee_for(unit=rc.body_unit, on=on)
    if committee is None:
        raise DomainError(f"{rc.body_unit.name}在{on:%Y-%m-%d}没有在任的行政复议委员会，请先设立", field="referred_on")
    referral = CommitteeReferral.objects.create(reconsideration=rc, committee=committee, ground=ground, referred_on=on)
    _record(
        rc.item,
        by=by,
        action="committee_referred",
        label="提请行政复议委员会咨询",
        comment=f"{committee.name}：{dict(CommitteeReferral.GROUNDS)[ground]}",
        data={"on": on.isoformat(), "basis": rules.COMMITTEE_CITATION},
    )
    log_operation(user=by, action="行政复议：提请委员会咨询", obj=rc, summary=committee.name, ip=ip)
    return referral


@transaction.atomic
def referral_opinion(*, by, referral: CommitteeReferral, opinion: str, opinion_on, ip=None):
    rc = _lock(referral.reconsideration)
    if not permissions.reconsideration_body(user=by, obj=rc):
        raise Forbidden()
    if referral.opinion:
        raise DomainError("已记录委员会的咨询意见", field="opinion")
    opinion = _need_reason(opinion, "委员会的咨询意见", field="opinion")
    on = _day(opinion_on, field="opinion_on", label="提出意见之日")
    if on < referral.referred_on:
        raise DomainError("提出意见之日不能早于提请之日", field="opinion_on")
    referral.opinion, referral.opinion_on = opinion, on
    referral.save(update_fields=["opinion", "opinion_on"])
    _record(
        rc.item,
        by=by,
        action="committee_opinion",
        label="行政复议委员会咨询意见",
        comment=opinion,
        data={"on": on.isoformat(), "basis": rules.COMMITTEE_CITATION},
    )
    log_operation(user=by, action="行政复议：委员会咨询意见", obj=rc, summary=opinion[:300], ip=ip)
    return referral


@transaction.atomic
def reconsideration_publish(*, by, reconsideration: Reconsideration, today: dt.date | None = None, ip=None):
    """Publish the decision on the portal (第七十九条): the applicant's name masked when a person, no ID numbers,
    no contact details."""
    rc = _lock(reconsideration)
    if "publish" not in permissions.reconsideration_actions(user=by, obj=rc):
        if permissions.reconsideration_body(user=by, obj=rc):
            raise DomainError("决定书送达后才能公开，且只公开一次", field="published_on")
        raise Forbidden()
    label, citation = rules.OUTCOMES[rc.outcome]
    applicant = selectors.public_applicant_name(rc)
    text = (
        f"申请人{applicant}不服{rc.respondent_unit.name}作出的{rc.get_act_kind_display()}，申请行政复议。"
        f"本机关于{_cn(rc.accepted_on)}受理，于{_cn(rc.decided_on)}作出决定：{label}"
        f"{'，并责令重新作出行政行为' if rc.redo_ordered else ''}（{citation}）。"
    )
    if rc.decision_reasons:
        text += f"\n理由：{_masked(rc.decision_reasons, rc)}"
    rc.published_on, rc.published_text = _today(today), text
    rc.save(update_fields=["published_on", "published_text"])
    _record(
        rc.item,
        by=by,
        action="published",
        label="网上公开决定书",
        comment=text[:500],
        data={"on": rc.published_on.isoformat(), "basis": rules.PUBLICATION_CITATION},
    )
    log_operation(user=by, action="行政复议：公开决定书", obj=rc, summary=rc.decision_number, ip=ip)
    return rc


def _masked(text: str, rc: Reconsideration) -> str:
    """The published text without the applicant's full name, ID number or phone."""
    out = text
    if rc.applicant_kind == "person" and rc.applicant_name:
        out = out.replace(rc.applicant_name, mask_name(rc.applicant_name))
    for secret in (rc.applicant_id_number, rc.applicant_phone):
        if secret:
            out = out.replace(secret, "***")
    return out


# ---------------------------------------------------------------- 行政复议意见书 (第七十六条)


@transaction.atomic
def opinion_issue(
    *, by, reconsideration: Reconsideration, agency, content: str, issued_on, received_on=None, ip=None
) -> OpinionLetter:
    rc = _lock(reconsideration)
    if "opinion" not in permissions.reconsideration_actions(user=by, obj=rc):
        if permissions.reconsideration_body(user=by, obj=rc):
            raise DomainError("只有已受理的案件可以制发行政复议意见书", field="content")
        raise Forbidden()
    content = _need_reason(content, "违法或者不当的行政行为及纠正意见", field="content")
    issued = _day(issued_on, field="issued_on", label="制发之日")
    received = _day(received_on, field="received_on", label="收到之日", required=False) or issued
    if received < issued:
        raise DomainError("收到之日不能早于制发之日", field="received_on")
    if agency is None:
        raise DomainError("请选择制发对象（被申请人或者其他下级行政机关）", field="agency")
    gov = _government_of(rc.body_unit)
    from fazhi.documents.gongwen import Gongwen, gongwen_docx
    from fazhi.documents.services import document_store, number_take

    number = number_take(
        unit=gov,
        doc_type="行政复议意见书",
        year=issued.year,
        by=by,
        prefix=f"{rules.decision_prefix(gov.name)}意",
        today=issued,
    )
    item = item_open(
        kind=OPINION.code,
        title=f"{number.text} 行政复议意见书"[:200],
        unit=agency.unit,
        by=by,
        start=received,
        limit_kind="calendar",
        limit_days=rules.OPINION_DAYS,
        deadline_source=rules.OPINION_CITATION,
        url=reverse("disputes:reconsideration_detail", args=[rc.pk]),
        comment=content[:500],
    )
    _open_clock(item, "opinion_report", "报送纠正情况", rules.opinion_rule(), received, by)
    opinion = OpinionLetter.objects.create(
        reconsideration=rc,
        agency=agency,
        agency_unit=agency.unit,
        number=number.text,
        issued_on=issued,
        received_on=received,
        content=content,
        item=item,
    )
    docx = gongwen_docx(
        Gongwen(
            issuer_mark=gov.name,
            number=number.text,
            title="行政复议意见书",
            recipients=agency.unit.name,
            body=[
                f"本机关在办理{rc.applicant_name}不服{rc.respondent_unit.name}行政复议一案中，发现以下行政行为违法或者不当：",
                content,
                f"请你单位自收到本意见书之日起六十日内，将纠正相关违法或者不当行政行为的情况报送本机关（{rules.OPINION_CITATION}）。",
            ],
            signature=gov.name,
            date=issued,
        )
    )
    document_store(
        by=by,
        item=item,
        title="行政复议意见书",
        number=number.text,
        content=docx,
        filename=f"行政复议意见书_{number.text}.docx",
        object_kind="reconsideration",
        object_id=rc.pk,
    )
    _record(
        rc.item,
        by=by,
        action="opinion_issued",
        label="制发行政复议意见书",
        comment=f"{number.text} 致{agency.unit.name}",
        data={"opinion": opinion.pk, "basis": rules.OPINION_CITATION},
    )
    log_operation(user=by, action="制发行政复议意见书", obj=rc, summary=number.text, ip=ip)
    return opinion


@transaction.atomic
def opinion_report(*, by, opinion: OpinionLetter, report: str, reported_on, files=(), ip=None) -> OpinionLetter:
    opinion = (
        OpinionLetter.objects.select_for_update(of=("self",)).select_related("agency_unit", "item").get(pk=opinion.pk)
    )
    if "report" not in permissions.opinion_actions(user=by, obj=opinion):
        if opinion.reported_on:
            raise DomainError(f"已于{opinion.reported_on:%Y-%m-%d}报送纠正情况", field="report")
        raise Forbidden()
    report = _need_reason(report, "纠正相关违法或者不当行政行为的情况", field="report")
    on = _day(reported_on, field="reported_on", label="报送之日")
    if on < opinion.received_on:
        raise DomainError("报送之日不能早于收到意见书之日", field="reported_on")
    if on > timezone.localdate():
        raise DomainError("报送之日不能晚于今天", field="reported_on")
    files = list(files or [])
    if files:
        _files_check(files)
    stored = attachments_store(files=files, by=by) if files else []
    opinion.report, opinion.reported_on = report, on
    opinion.save(update_fields=["report", "reported_on"])
    if stored:
        opinion.attachments.add(*stored)
    item_record(item=opinion.item, by=by, action="reported", label="报送纠正情况", comment=report, attachments=stored)
    item_close(item=opinion.item, by=by, label="已报送纠正情况", closed_on=on)
    log_operation(user=by, action="报送行政复议意见书纠正情况", obj=opinion, summary=report[:300], ip=ip)
    return opinion


# ---------------------------------------------------------------- 附带审查 (第五十六条至第六十条)


@transaction.atomic
def normative_review_open(
    *,
    by,
    reconsideration: Reconsideration,
    document_title: str,
    issuer: str,
    articles: str,
    source: str,
    competent: bool,
    started_on,
    document_number: str = "",
    ip=None,
) -> NormativeReview:
    """Record a 附带审查 request and hand it over: the rule-making module owns the review and its clocks (handled
    within 30 days when the body may, else forwarded within 7 working days), told through
    signals.normative_review_requested; the case is suspended meanwhile (第三十九条第一款第九项) and hears the result
    back (normative_review_concluded)."""
    from fazhi.disputes.signals import normative_review_requested

    rc = _lock(reconsideration)
    if "normative" not in permissions.reconsideration_actions(user=by, obj=rc):
        if permissions.reconsideration_body(user=by, obj=rc):
            raise DomainError("只有审理中的案件可以提出附带审查", field="document_title")
        raise Forbidden()
    problems = []
    title = clean_text(document_title)
    if not title:
        problems.append(DomainError("请填写规范性文件名称", field="document_title"))
    issuer = clean_text(issuer)
    if not issuer:
        problems.append(DomainError("请填写制定机关", field="issuer"))
    articles = clean_text(articles)
    if not articles:
        problems.append(DomainError("请填写相关条款", field="articles"))
    if source not in dict(NormativeReview.SOURCES):
        problems.append(DomainError("请选择来源：申请人提出（第五十六条）或审查中发现（第五十七条）", field="source"))
    try:
        on = _day(started_on, field="started_on", label="收到申请或发现之日")
    except DomainError as exc:
        problems.append(exc)
        on = None
    if on and rc.accepted_on and on < rc.accepted_on:
        problems.append(DomainError("附带审查之日不能早于受理之日", field="started_on"))
    if problems:
        raise _refusal(problems)
    review = NormativeReview.objects.create(
        reconsideration=rc,
        document_title=title[:200],
        document_number=clean_text(document_number)[:80],
        issuer=issuer[:100],
        articles=articles[:200],
        source=source,
        competent=competent,
        started_on=on,
    )
    rule_basis = rules.NORMATIVE_CITATION[source]
    _record(
        rc.item,
        by=by,
        action="normative_review",
        label="规范性文件附带审查",
        comment=f"{title}（{issuer}）{articles}",
        data={"review": review.pk, "basis": rule_basis},
    )
    if rc.status == "accepted":
        # 第三十九条第一款第九项: the review waits for the document's; paused no earlier than the clocks' last events.
        day = max([on, *(_last_on(c) for c in _running(rc))])
        _on_suspended(rc, by=by, on=day, reason=f"对《{title}》附带审查", ground="9")
    normative_review_requested.send(
        sender=NormativeReview,
        review_id=review.pk,
        document_title=review.document_title,
        document_number=review.document_number,
        issuer=review.issuer,
        articles=review.articles,
        source=source,
        competent=competent,
        reconsideration_id=rc.pk,
        started_on=on,
        by=by,
    )
    log_operation(user=by, action="规范性文件附带审查", obj=rc, summary=title, ip=ip)
    return review


@transaction.atomic
def normative_review_concluded(
    sender=None, *, source_review_id: int, conclusion: str, text: str, on, forwarded_to: str = "", by=None, **kwargs
) -> NormativeReview | None:
    """`rulemaking.signals.incidental_review_concluded`: the rule-making module, which owns the 附带审查 and its
    clocks, concluded it (第五十九条, or the organ it was forwarded to answered, 第六十条). The request's record here
    takes the result and the reconsideration's timeline shows it; the body then resumes the case (第三十九条第二款)."""
    review = (
        NormativeReview.objects.select_for_update(of=("self",))
        .select_related("reconsideration__item")
        .filter(pk=source_review_id)
        .first()
    )
    if review is None:
        return None
    review.result, review.result_note = conclusion, (text or "")[:TEXT_MAX]
    if forwarded_to:
        review.status, review.transferred_to, review.replied_on = "replied", forwarded_to[:100], on
    else:
        review.status, review.handled_on = "handled", on
    review.save(update_fields=["result", "result_note", "status", "transferred_to", "replied_on", "handled_on"])
    _record(
        review.reconsideration.item,
        by=by,
        action="normative_concluded",
        label="附带审查结果",
        comment=f"{review.document_title}：{review.get_result_display()}。{text}",
        data={"review": review.pk, "basis": rules.NORMATIVE_RESULT_CITATION},
    )
    return review


# ---------------------------------------------------------------- litigation


@transaction.atomic
def litigation_register(
    *,
    by,
    court: str,
    case_number: str,
    plaintiff: dict,
    defendant,
    act: str,
    filed_on,
    served_on,
    instance: str = "first",
    known_on=None,
    decision_received_on=None,
    act_date=None,
    real_property: bool = False,
    case=None,
    reconsideration=None,
    ip=None,
    refused: list[DomainError] | None = None,
    today: dt.date | None = None,
) -> Litigation:
    """A suit against an agency, registered by its legal officer on service of the complaint: the filing limits
    are checked (《行政诉讼法》第四十五条、第四十六条) and the 15-day 答辩 clock starts (第六十七条). `refused`: what the
    caller could not resolve (an unknown defendant's name), reported with every other problem."""
    today = _today(today)
    if "create" not in permissions.litigation_actions(user=by, obj=None):
        raise Forbidden()
    problems: list[DomainError] = list(refused or [])

    def checked(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            problems.append(exc)
            return None

    court = checked(_short, court, field="court", label="法院", limit=100, required=True) or ""
    number = checked(_short, case_number, field="case_number", label="案号", limit=60, required=True) or ""
    if number and Litigation.objects.filter(case_number=number).exists():
        problems.append(DomainError(f"案号“{number}”已登记", field="case_number"))
    if instance not in dict(Litigation.INSTANCES):
        problems.append(DomainError("审级应为一审、二审或再审", field="instance"))
    who = _plaintiff(plaintiff or {}, problems)
    if defendant is None:
        if not any(p.field == "defendant" for p in problems):
            problems.append(DomainError("请选择被告（执法主体）", field="defendant"))
    elif not permissions.litigation_keeper(user=by, unit=defendant.unit):
        problems.append(DomainError(f"{defendant.unit.name}不在您的管理范围内", field="defendant"))
    act = checked(_text, act, field="act", label="被诉行政行为", minimum=4, limit=2000) or ""
    filed = checked(_day, filed_on, field="filed_on", label="起诉之日")
    served = checked(_day, served_on, field="served_on", label="收到起诉状副本之日")
    known = checked(_day, known_on, field="known_on", label="知道行政行为之日", required=False)
    decided = checked(
        _day, decision_received_on, field="decision_received_on", label="收到复议决定书之日", required=False
    )
    act_day = checked(_day, act_date, field="act_date", label="行政行为作出日期", required=False)
    if served and served > today:
        problems.append(DomainError("收到起诉状副本之日不能晚于今天", field="served_on"))
    if filed and served and served < filed:
        problems.append(DomainError("收到起诉状副本之日不能早于起诉之日", field="served_on"))
    if known and filed and known > filed:
        problems.append(DomainError("知道行政行为之日不能晚于起诉之日", field="known_on"))
    if case is not None and defendant is not None and case.agency_id != defendant.pk:
        problems.append(DomainError("所关联的行政处罚案件不是被告办理的", field="case"))
    if reconsideration is not None and defendant is not None and reconsideration.respondent_id != defendant.pk:
        if reconsideration.body_unit_id != defendant.unit_id:
            problems.append(DomainError("所关联的行政复议案件与被告不符", field="reconsideration"))
    if problems:
        raise _refusal(problems)
    period = rules.suit_period(
        filed_on=filed, known_on=known, decision_received_on=decided, act_date=act_day, real_property=real_property
    )
    lit = Litigation.objects.create(
        court=court,
        case_number=number,
        instance=instance,
        plaintiff_kind=who["kind"],
        plaintiff_name=who["name"],
        plaintiff_id_number=who["id_number"],
        plaintiff_uscc=who["uscc"],
        defendant=defendant,
        defendant_unit=defendant.unit,
        division_id=defendant.unit.division_id,
        act=act,
        act_date=act_day,
        real_property=real_property,
        case=case,
        reconsideration=reconsideration,
        known_on=known,
        decision_received_on=decided,
        filed_on=filed,
        period_deadline=period.deadline,
        period_expired=bool(period.warnings),
        served_on=served,
        created_by=by,
    )
    item = item_open(
        kind=LITIGATION.code,
        title=f"{number} {who['name']}诉{defendant.unit.short_name or defendant.unit.name}"[:200],
        unit=defendant.unit,
        by=by,
        start=served,
        limit_kind="calendar",
        limit_days=rules.DEFENCE_DAYS,
        deadline_source=rules.DEFENCE_CITATION,
        url=reverse("disputes:litigation_detail", args=[lit.pk]),
        comment=f"{court} {act[:200]}",
    )
    lit.item = item
    lit.save(update_fields=["item"])
    item_record(
        item=item,
        by=by,
        action="suit_registered",
        label="登记应诉案件",
        comment="；".join(f"{w.message}（{w.citation}）" for w in period.warnings),
        data={"filed_on": filed.isoformat(), "served_on": served.isoformat()},
    )
    _open_clock(item, "defence", "提交答辩状和证据", rules.defence_rule(), served, by)
    log_operation(user=by, action="登记行政应诉案件", obj=lit, summary=str(lit)[:300], ip=ip)
    return lit


def _plaintiff(data: dict, problems: list) -> dict:
    kind = clean_text(data.get("kind") or "")
    out = {"kind": kind, "name": "", "id_number": "", "uscc": ""}
    if kind not in dict(PARTY_KINDS):
        problems.append(DomainError("原告类型应为自然人或法人或其他组织", field="plaintiff.kind"))
        return out
    name = clean_text(data.get("name") or "")
    if not name:
        problems.append(DomainError("原告姓名或名称不能为空", field="plaintiff.name"))
    out["name"] = name[:100]
    try:
        if kind == "person" and clean_text(data.get("id_number") or ""):
            out["id_number"] = clean_id_number(data["id_number"], field="plaintiff.id_number")
        if kind == "organisation" and clean_text(data.get("uscc") or ""):
            out["uscc"] = clean_uscc(data["uscc"], field="plaintiff.uscc")
    except DomainError as exc:
        problems.append(exc)
    return out


def _lock_lit(lit: Litigation) -> Litigation:
    return (
        Litigation.objects.select_for_update(of=("self",))
        .select_related("defendant__unit", "defendant_unit", "item")
        .get(pk=lit.pk)
    )


def _lit_require(by, lit: Litigation, action: str) -> None:
    actions = permissions.litigation_actions(user=by, obj=lit)
    if action in actions:
        return
    if "hearing" in actions:  # a keeper of the suit: the state is wrong, not the user
        raise DomainError(f"案件当前为“{lit.get_status_display()}”，不能进行该操作", field="status")
    raise Forbidden()


@transaction.atomic
def litigation_defence(*, by, litigation: Litigation, on, ip=None, today=None) -> Litigation:
    lit = _lock_lit(litigation)
    _lit_require(by, lit, "defence")
    on = _day(on, field="on", label="提交答辩状之日")
    if on > _today(today):
        raise DomainError("提交答辩状之日不能晚于今天", field="on")
    if on < lit.served_on:
        raise DomainError("提交答辩状之日不能早于收到起诉状副本之日", field="on")
    clock = _clock(lit.item, "defence")
    late = on > clock.deadline
    item_record(
        item=lit.item,
        by=by,
        action="defence",
        label="提交答辩状和证据" + ("（逾期）" if late else ""),
        data={"on": on.isoformat(), "late": late, "basis": rules.DEFENCE_CITATION},
    )
    _stop(lit.item, "defence", on, by, rules.DEFENCE_CITATION)
    lit.defence_on = on
    lit.save(update_fields=["defence_on"])
    log_operation(user=by, action="行政应诉：提交答辩状", obj=lit, summary=str(on), ip=ip)
    return lit


@transaction.atomic
def court_hearing_add(
    *,
    by,
    litigation: Litigation,
    held_on,
    summons_received_on=None,
    head_summoned: bool = False,
    files=(),
    ip=None,
) -> CourtHearing:
    """A hearing of the suit and, when the court sent one, its 出庭通知书 (the scan among `files`)."""
    lit = _lock_lit(litigation)
    _lit_require(by, lit, "hearing")
    files = list(files or [])
    if files:
        _files_check(files)
    held = _day(held_on, field="held_on", label="开庭之日")
    summons = _day(summons_received_on, field="summons_received_on", label="收到出庭通知书之日", required=False)
    if held < lit.filed_on:
        raise DomainError("开庭之日不能早于起诉之日", field="held_on")
    if summons and summons > held:
        raise DomainError("收到出庭通知书之日不能晚于开庭之日", field="summons_received_on")
    if head_summoned and summons is None:
        raise DomainError("法院通知负责人出庭的，请填写收到出庭通知书之日", field="summons_received_on")
    hearing = CourtHearing.objects.create(
        litigation=lit, held_on=held, summons_received_on=summons, head_summoned=head_summoned
    )
    stored = attachments_store(files=files, by=by) if files else []
    if stored:
        hearing.summons_files.add(*stored)
    note = rules.summons_short(received_on=summons, held_on=held)
    _record(
        lit.item,
        by=by,
        action="hearing_scheduled",
        label="开庭通知",
        comment=f"{held:%Y-%m-%d} 开庭"
        + ("；法院通知负责人出庭" if head_summoned else "")
        + (f"；{note}" if note else ""),
        data={"held_on": held.isoformat(), "head_summoned": head_summoned},
        attachments=stored,
    )
    log_operation(user=by, action="行政应诉：开庭", obj=lit, summary=str(held), ip=ip)
    return hearing


@transaction.atomic
def court_hearing_record(
    *,
    by,
    hearing: CourtHearing,
    head=None,
    staff_name: str = "",
    lawyer_name: str = "",
    absence_ground: str = "",
    absence_reason: str = "",
    files=(),
    today: dt.date | None = None,
    ip=None,
) -> CourtHearing:
    """Who appeared for the defendant at one hearing: a head on the agency's list (《行政诉讼法》第三条第三款,
    规定第二条) — or, when the head could not, the reason (规定第八条) with proof (第九条) and the agency's own staff
    (第十条). A lawyer alone is not an appearance: the agency's staff must be there."""
    hearing = (
        CourtHearing.objects.select_for_update(of=("self",))
        .select_related("litigation__defendant__unit", "litigation__defendant_unit", "litigation__item")
        .get(pk=hearing.pk)
    )
    lit = hearing.litigation
    _lit_require(by, lit, "appearance")
    if hearing.held_on > _today(today):
        raise DomainError("尚未开庭，开庭后再登记出庭情况", field="held_on")
    staff_name, lawyer_name = clean_text(staff_name), clean_text(lawyer_name)
    files = list(files or [])
    if head is not None:
        if head.agency_id != lit.defendant_id or not head.is_active:
            raise DomainError(
                f"{head.name}不在{lit.defendant_unit.name}的负责人名单（正职、副职、分管负责人）中（{rules.HEAD_CITATION}）",
                field="head",
            )
        hearing.head, hearing.head_appeared = head, True
        hearing.absence_ground, hearing.absence_reason = "", ""
    else:
        if not staff_name:
            if lawyer_name:
                raise DomainError(
                    f"只委托律师出庭不视为出庭应诉：负责人不能出庭的，应当委托本机关相应的工作人员出庭（{rules.STAFF_CITATION}）",
                    field="staff_name",
                )
            raise DomainError("请选择出庭的负责人，或填写出庭的本机关工作人员", field="staff_name")
        if absence_ground not in rules.ABSENCE_GROUNDS:
            raise DomainError(f"请选择负责人不能出庭的情形（{rules.ABSENCE_CITATION}）", field="absence_ground")
        absence_reason = clean_text(absence_reason)
        if not absence_reason:
            raise DomainError("请说明负责人不能出庭的具体理由", field="absence_reason")
        if not files and not hearing.attachments.exists():
            raise DomainError(
                f"负责人不能出庭的，应当提交相关证明材料（{rules.ABSENCE_CITATION}）", field="attachments"
            )
        hearing.head, hearing.head_appeared = None, False
        hearing.absence_ground, hearing.absence_reason = absence_ground, absence_reason[:300]
    if files:
        _files_check(files)
    stored = attachments_store(files=files, by=by) if files else []
    if stored:
        hearing.attachments.add(*stored)
    hearing.staff_name, hearing.lawyer_name, hearing.recorded = staff_name[:100], lawyer_name[:100], True
    hearing.save()
    if hearing.head_appeared:
        who = f"负责人{head.name}（{head.get_kind_display()}，{head.post}）出庭"
    else:
        who = f"负责人未出庭（{rules.ABSENCE_GROUNDS[hearing.absence_ground]}：{hearing.absence_reason}），{staff_name}出庭"
    if lawyer_name:
        who += f"，委托律师{lawyer_name}"
    _record(
        lit.item,
        by=by,
        action="appearance",
        label="登记出庭应诉情况",
        comment=f"{hearing.held_on:%Y-%m-%d} 开庭：{who}",
        data={"hearing": hearing.pk, "head_appeared": hearing.head_appeared, "basis": rules.HEAD_CITATION},
        attachments=stored,
    )
    log_operation(user=by, action="行政应诉：出庭情况", obj=lit, summary=who[:300], ip=ip)
    return hearing


@transaction.atomic
def litigation_judgment(
    *, by, litigation: Litigation, kind: str, judgment_on, served_on=None, ip=None, today=None
) -> Litigation:
    """The judgment or ruling: lost or not, and the appeal period on a clock (15 days a judgment, 10 a ruling,
    《行政诉讼法》第八十五条) from service. A loss proposes accountability (wrong_case_found)."""
    lit = _lock_lit(litigation)
    _lit_require(by, lit, "judgment")
    if kind not in rules.JUDGMENTS:
        labels = "、".join(v[0] for v in rules.JUDGMENTS.values())
        raise DomainError(f"请选择裁判结果：{labels}", field="kind")
    on = _day(judgment_on, field="judgment_on", label="裁判之日")
    served = _day(served_on, field="served_on", label="裁判文书送达之日", required=False) or on
    today = _today(today)
    if on > today or served > today:
        raise DomainError("裁判日期不能晚于今天", field="judgment_on")
    if on < lit.filed_on:
        raise DomainError("裁判之日不能早于起诉之日", field="judgment_on")
    if served < on:
        raise DomainError("送达之日不能早于裁判之日", field="served_on")
    label, _, lost, citation = rules.JUDGMENTS[kind]
    _record(
        lit.item,
        by=by,
        action="judgment",
        label=label,
        comment=f"{on:%Y-%m-%d} {label}" + ("（败诉）" if lost else ""),
        data={"kind": kind, "lost": lost, "basis": citation},
    )
    for clock in Clock.objects.filter(item=lit.item, is_open=True):
        clock_event(clock=clock, kind="stop", on=max(served, _last_on(clock)), by=by, basis=citation)
    _open_clock(lit.item, "appeal", "上诉期限", rules.appeal_rule(kind), served, by)
    lit.judgment_kind, lit.judgment_on, lit.judgment_served_on, lit.lost = kind, on, served, lost
    lit.status = "judged"
    if lost and kind in ("perform", "payment", "annulled", "varied", "contract"):
        lit.enforcement = "pending"
    lit.save()
    if lost:
        from fazhi.supervision.signals import wrong_case_found

        wrong_case_found.send(
            sender=Litigation,
            source_kind="litigation",
            source_id=lit.pk,
            source_label=f"行政诉讼{lit.case_number}：{label}",
            source_url=reverse("disputes:litigation_detail", args=[lit.pk]),
            unit_id=lit.defendant_unit_id,
            case_id=lit.case_id,
            reason=f"{lit.court}{label}（{citation}），被诉行政行为：{lit.act}",
            by=by,
            today=on,
        )
    log_operation(user=by, action="行政应诉：裁判结果", obj=lit, summary=label, ip=ip)
    return lit


@transaction.atomic
def litigation_appeal(*, by, litigation: Litigation, appealed_on, appealed_by: str, ip=None) -> Litigation:
    lit = _lock_lit(litigation)
    _lit_require(by, lit, "appeal")
    on = _day(appealed_on, field="appealed_on", label="上诉之日")
    clock = _clock(lit.item, "appeal")
    if on < lit.judgment_served_on:
        raise DomainError("上诉之日不能早于裁判文书送达之日", field="appealed_on")
    if on > clock.deadline:
        raise DomainError(f"上诉期限已于{clock.deadline:%Y-%m-%d}届满（{rules.APPEAL_CITATION}）", field="appealed_on")
    who = clean_text(appealed_by)
    if who not in ("原告", "被告", "第三人"):
        raise DomainError("请选择上诉人：原告、被告或第三人", field="appealed_by")
    item_record(item=lit.item, by=by, action="appealed", label=f"{who}上诉", data={"on": on.isoformat()})
    _stop(lit.item, "appeal", on, by, rules.APPEAL_CITATION)
    lit.appealed_on, lit.appealed_by, lit.status = on, who, "closed"
    lit.save(update_fields=["appealed_on", "appealed_by", "status"])
    item_close(item=lit.item, by=by, label="上诉（转入二审）", closed_on=on)
    log_operation(user=by, action="行政应诉：上诉", obj=lit, summary=f"{who} {on}", ip=ip)
    return lit


@transaction.atomic
def litigation_effective(*, by, litigation: Litigation, ip=None, today: dt.date | None = None) -> Litigation:
    """No appeal in the period: the judgment is in force (第八十五条) on the day after the period ends."""
    lit = _lock_lit(litigation)
    _lit_require(by, lit, "effective")
    clock = _clock(lit.item, "appeal")
    today = _today(today)
    if clock.deadline >= today:
        raise DomainError(f"上诉期限至{clock.deadline:%Y-%m-%d}届满，届满后方可登记生效", field="status")
    effective = clock.deadline + dt.timedelta(days=1)
    item_record(item=lit.item, by=by, action="effective", label="裁判生效", data={"on": effective.isoformat()})
    _stop(lit.item, "appeal", clock.deadline, by, rules.APPEAL_CITATION)
    lit.effective_on = effective
    lit.status = "judged" if lit.enforcement == "pending" else "closed"
    lit.save(update_fields=["effective_on", "status"])
    if lit.status == "closed":
        item_close(item=lit.item, by=by, label="结案", closed_on=max(effective, clock.deadline))
    log_operation(user=by, action="行政应诉：裁判生效", obj=lit, summary=str(effective), ip=ip)
    return lit


@transaction.atomic
def litigation_enforcement(
    *, by, litigation: Litigation, enforcement: str, note: str = "", enforced_on=None, ip=None, today=None
) -> Litigation:
    """The agency's performance of the judgment (《行政诉讼法》第九十四条、第九十六条)."""
    lit = _lock_lit(litigation)
    _lit_require(by, lit, "enforcement")
    if enforcement not in ("pending", "done", "none"):
        raise DomainError("履行情况应为履行中、已履行或无需履行", field="enforcement")
    on = None
    if enforcement == "done":
        on = _day(enforced_on, field="enforced_on", label="履行完毕之日")
        if on > _today(today):
            raise DomainError("履行完毕之日不能晚于今天", field="enforced_on")
        if on < lit.judgment_on:
            raise DomainError("履行完毕之日不能早于裁判之日", field="enforced_on")
    note = clean_text(note)
    if enforcement == "pending" and not note:
        raise DomainError("请说明履行进展", field="note")
    lit.enforcement, lit.enforcement_note, lit.enforced_on = enforcement, note[:300], on
    if enforcement in ("done", "none") and lit.effective_on:
        lit.status = "closed"
    lit.save(update_fields=["enforcement", "enforcement_note", "enforced_on", "status"])
    _record(
        lit.item,
        by=by,
        action="enforcement",
        label=f"履行判决：{dict(Litigation.ENFORCEMENT)[enforcement]}",
        comment=note,
        data={"on": on.isoformat() if on else None},
    )
    lit.item.refresh_from_db()
    if lit.status == "closed" and lit.item.status != "closed":
        item_close(item=lit.item, by=by, label="结案", closed_on=on or _today(today))
    log_operation(user=by, action="行政应诉：履行判决", obj=lit, summary=f"{enforcement} {note}"[:300], ip=ip)
    return lit


@transaction.atomic
def litigation_link_case(*, by, litigation: Litigation, case, ip=None) -> Litigation:
    lit = _lock_lit(litigation)
    _lit_require(by, lit, "hearing")
    if case.agency_id != lit.defendant_id:
        raise DomainError("所关联的行政处罚案件不是被告办理的", field="case")
    lit.case = case
    lit.save(update_fields=["case"])
    _record(lit.item, by=by, action="case_linked", label="关联行政处罚案件", comment=str(case), data={"case": case.pk})
    log_operation(user=by, action="行政应诉：关联案件", obj=lit, summary=str(case)[:300], ip=ip)
    return lit


# ---------------------------------------------------------------- suggestions


@transaction.atomic
def suggestion_register(
    *,
    by,
    kind: str,
    issuer: str,
    number: str,
    agency,
    content: str,
    received_on,
    urgent: bool = False,
    days=None,
    months=None,
    litigation=None,
    ip=None,
    today: dt.date | None = None,
) -> Suggestion:
    """A 司法建议 or 检察建议 received by an agency, with its reply period on a clock: as the court set it (normally at
    most two months), two months for a 检察建议 (fifteen days when urgent)."""
    if "create" not in permissions.suggestion_actions(user=by, obj=None):
        raise Forbidden()
    problems: list[DomainError] = []
    if kind not in dict(Suggestion.KINDS):
        problems.append(DomainError("类型应为司法建议或检察建议", field="kind"))
    issuer = clean_text(issuer)
    if not issuer:
        problems.append(DomainError("请填写提出建议的法院或检察院", field="issuer"))
    number = clean_text(number)
    if not number:
        problems.append(DomainError("请填写建议书文号", field="number"))
    elif Suggestion.objects.filter(issuer=issuer, number=number).exists():
        problems.append(DomainError(f"{issuer}的“{number}”已登记", field="number"))
    if agency is None:
        problems.append(DomainError("请选择被建议单位", field="agency"))
    elif not (has_permission(by, "suggestion.manage") and permissions.unit_in_scope(by, agency.unit)):
        problems.append(DomainError(f"{agency.unit.name}不在您的管理范围内", field="agency"))
    try:
        content = _text(content, field="content", label="建议内容", minimum=5)
    except DomainError as exc:
        problems.append(exc)
    try:
        received = _day(received_on, field="received_on", label="收到之日")
        if received > _today(today):
            problems.append(DomainError("收到之日不能晚于今天", field="received_on"))
    except DomainError as exc:
        problems.append(exc)
        received = None
    day_count = month_count = None
    for raw, label, target in ((days, "答复期限（日）", "days"), (months, "答复期限（月）", "months")):
        if raw in (None, "", 0):
            continue
        try:
            value = int(raw)
            if not 1 <= value <= 366:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(DomainError(f"{label}应为 1 至 366 之间的整数", field=target))
            continue
        if target == "days":
            day_count = value
        else:
            month_count = value
    if day_count and month_count:
        problems.append(DomainError("答复期限请只填天数或月数之一", field="days"))
    if kind == "procuratorial":
        problem = rules.suggestion_period_problem(kind=kind, days=day_count, months=month_count)
        if problem:
            problems.append(DomainError(problem, field="months" if month_count else "days"))
    if problems:
        raise _refusal(problems)
    rule = rules.suggestion_rule(kind=kind, urgent=urgent, days=day_count, months=month_count)
    suggestion = Suggestion.objects.create(
        kind=kind,
        issuer=issuer[:100],
        number=number[:80],
        agency=agency,
        agency_unit=agency.unit,
        division_id=agency.unit.division_id,
        litigation=litigation,
        content=content,
        received_on=received,
        urgent=urgent,
        period_unit=rule.unit,
        period_length=rule.length,
        created_by=by,
    )
    item = item_open(
        kind=SUGGESTION.code,
        title=f"{dict(Suggestion.KINDS)[kind]}：{issuer} {number}"[:200],
        unit=agency.unit,
        by=by,
        start=received,
        limit_kind="calendar",
        limit_days=rule.length if rule.unit == "calendar" else 60,
        deadline_source=rule.basis,
        url=reverse("disputes:suggestion_detail", args=[suggestion.pk]),
        comment=content[:500],
    )
    clock = _open_clock(item, "suggestion_reply", "书面答复", rule, received, by)
    suggestion.item, suggestion.deadline = item, clock.deadline
    suggestion.save(update_fields=["item", "deadline"])
    log_operation(user=by, action="登记司法建议/检察建议", obj=suggestion, summary=str(suggestion), ip=ip)
    return suggestion


@transaction.atomic
def suggestion_reply(*, by, suggestion: Suggestion, reply: str, replied_on, files=(), ip=None, today=None):
    s = Suggestion.objects.select_for_update(of=("self",)).select_related("agency_unit", "item").get(pk=suggestion.pk)
    if "reply" not in permissions.suggestion_actions(user=by, obj=s):
        if s.status == "replied" and has_permission(by, "suggestion.manage"):
            raise DomainError(f"已于{s.replied_on:%Y-%m-%d}答复", field="reply")
        raise Forbidden()
    reply = _need_reason(reply, "答复内容（采纳落实情况）", field="reply")
    on = _day(replied_on, field="replied_on", label="答复之日")
    if on > _today(today):
        raise DomainError("答复之日不能晚于今天", field="replied_on")
    if on < s.received_on:
        raise DomainError("答复之日不能早于收到建议之日", field="replied_on")
    files = list(files or [])
    if files:
        _files_check(files)
    stored = attachments_store(files=files, by=by) if files else []
    s.reply, s.replied_on, s.status = reply, on, "replied"
    s.on_time = on <= _clock(s.item, "suggestion_reply").deadline
    s.save(update_fields=["reply", "replied_on", "status", "on_time"])
    if stored:
        s.attachments.add(*stored)
    item_record(item=s.item, by=by, action="replied", label="书面答复", comment=reply, attachments=stored)
    item_close(item=s.item, by=by, label="已答复", closed_on=on)
    log_operation(user=by, action="答复司法建议/检察建议", obj=s, summary=reply[:300], ip=ip)
    return s


def deadline_copies_refresh(*, item_ids, **_) -> None:
    """A calendar change moved some clocks (tracking's `clocks_moved`): the decision and reply deadlines the records
    keep for their lists, exports and statistics follow their clocks."""
    for model, field, name in (
        (Reconsideration, "decision_deadline", "decision"),
        (Suggestion, "deadline", "suggestion_reply"),
    ):
        clocks = Clock.objects.filter(item_id=OuterRef("item_id"), name=name, is_open=True)
        model.objects.filter(item_id__in=item_ids).filter(Exists(clocks)).update(
            **{field: Subquery(clocks.values("deadline")[:1])}
        )
