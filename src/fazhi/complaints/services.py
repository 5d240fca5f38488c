"""Every write of the complaints app. One transaction each; the handling steps go through the tracking core
(`item_open` / `item_record` / `item_close`), so each step is an event of the item's SM3-chained timeline.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fazhi.complaints import rules
from fazhi.complaints.models import CATEGORIES, CHANNELS, SATISFACTION, Complaint, DisciplineTransfer, Message, Reply
from fazhi.complaints.tracking_kinds import COMPLAINT
from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.bulk import bulk_insert, existing_values
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Unit
from fazhi.core.normalize import clean_text
from fazhi.core.query_codes import password_digest, query_password, random_code
from fazhi.core.scope import has_permission
from fazhi.core.search import index_tokens
from fazhi.tracking.services import item_annotate, item_close, item_open, item_record
from fazhi.workdays.calendar import working_days_between

PUBLIC_CHANNELS = ("web", "api")
ANONYMOUS_NOTE = (
    "匿名投诉不填写姓名和电话：我们无法电话回访或短信告知，办理进展和答复只能凭查询码和查询密码查看；"
    "内容不具体的匿名投诉可能无法核实。"
)


# ---------------------------------------------------------------- codes and passwords


def _random(n: int) -> str:
    return random_code(n)


def _new_tracking_code() -> str:
    """TS + date + 8 random characters (32^8 ≈ 10^12 a day: a clash is rare, and checked before use)."""
    return f"TS{timezone.localdate():%y%m%d}{_random(8)}"


def _unused_tracking_codes(n: int) -> list[str]:
    prefix = f"TS{timezone.localdate():%y%m%d}"  # _new_tracking_code's, read once for the batch
    codes: set[str] = set()
    while len(codes) < n:
        fresh = {prefix + _random(8) for _ in range(n - len(codes))} - codes
        fresh -= existing_values(Complaint, "tracking_code", fresh)
        codes |= fresh
    return list(codes)


def _password_for(submit_token: str | None) -> str:
    return query_password(submit_token, purpose="complaint-password")


# Kept under this name: supervision imports it.
password_hash = password_digest


def _set_password(complaint: Complaint, password: str) -> None:
    complaint.password_salt = secrets.token_hex(8)
    complaint.password_hash = password_hash(complaint.password_salt, password)


# ---------------------------------------------------------------- validation helpers


def _require(user, code: str) -> None:
    if not has_permission(user, code):
        raise Forbidden()


def _category(value: str, *, required: bool = True) -> str:
    value = clean_text(value)
    codes = dict(CATEGORIES)
    if value in codes:
        return value
    by_label = {label: code for code, label in CATEGORIES}
    if value in by_label:
        return by_label[value]
    if not value and not required:
        return "other"
    raise DomainError(
        f"投诉类别“{value}”无效，应为：{'、'.join(codes.values())}" if value else "请选择投诉类别", field="category"
    )


def _description(value: str, *, limit: int | None = rules.DESCRIPTION_MAX) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if len(clean_text(text)) < rules.DESCRIPTION_MIN:
        raise DomainError(f"投诉内容不能为空，且至少 {rules.DESCRIPTION_MIN} 个字，请写明事情经过", field="description")
    if limit is not None and len(text) > limit:
        raise DomainError(f"投诉内容不能超过 {limit} 字（当前 {len(text)} 字）", field="description")
    return text


def _short(value: str, *, field: str, label: str, limit: int) -> str:
    text = clean_text(value)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字", field=field)
    return text


def _phone(value: str, *, field: str = "phone") -> str:
    phone = clean_text(value).replace(" ", "").replace("+86", "")
    if phone and not rules.phone_ok(phone):
        raise DomainError(f"联系电话“{phone}”格式不正确（手机号 11 位，座机如 0731-12345678）", field=field)
    return phone


def _email(value: str) -> str:
    from fazhi.core.normalize import email_valid

    email = clean_text(value)
    if email and not email_valid(email):
        raise DomainError(f"电子邮箱“{email}”格式不正确", field="email")
    return email


def files_check(files) -> None:
    """Refuse a file that is not an image or PDF, or too big, before anything is written."""
    files = list(files or [])
    if len(files) > rules.MAX_FILES:
        raise DomainError(f"附件最多 {rules.MAX_FILES} 个", field="attachments")
    for f in files:
        head = f.read(8)
        f.seek(0)
        problem = rules.file_type_problem(name=getattr(f, "name", "") or "", size=f.size, head=head)
        if problem:
            raise DomainError(problem, field="attachments")


def _refusal(problems: list[DomainError]) -> DomainError:
    """One error carrying every field's problem (`errors`); its own message and field are the first one's."""
    if len(problems) == 1:
        return problems[0]
    first = problems[0]
    return DomainError(
        first.message, field=first.field, errors=[{"field": p.field, "message": p.message} for p in problems]
    )


RATE_LOCK_SPACE = 0x66617A68  # "fazh": the first key of the advisory locks below


def _rate_lock(*keys: str) -> None:
    """Serialise the public submissions of one IP address / phone number until the transaction ends, so that
    the count and the insert of one submission cannot interleave with another's (20 concurrent submissions got
    13 through a 5-per-hour limit when they could). PostgreSQL: transaction-scoped advisory locks, taken in a
    fixed order. SQLite: transactions begin IMMEDIATE (settings), which serialises every writer already."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted({k for k in keys if k}):
            digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RATE_LOCK_SPACE, digest])


def _rate_limit(*, ip: str | None, phone: str) -> None:
    """Refuse a public submission over the limits. Call inside the transaction that inserts the complaint."""
    limits = rules.rate_limits()
    _rate_lock(f"ip:{ip}" if ip else "", f"phone:{phone}" if phone else "")
    now = timezone.now()
    if ip:
        recent = Complaint.objects.filter(ip=ip, channel__in=PUBLIC_CHANNELS)
        if recent.filter(received_at__gte=now - dt.timedelta(hours=1)).count() >= limits["ip_hour"]:
            raise DomainError(
                f"提交过于频繁：同一网络 1 小时内最多提交 {limits['ip_hour']} 件投诉，请稍后再试或拨打 12345",
                field="rate",
            )
        if recent.filter(received_at__gte=now - dt.timedelta(days=1)).count() >= limits["ip_day"]:
            raise DomainError(
                f"提交过于频繁：同一网络 24 小时内最多提交 {limits['ip_day']} 件投诉，请明天再试", field="rate"
            )
    if phone:
        if (
            Complaint.objects.filter(
                complainant_phone=phone, channel__in=PUBLIC_CHANNELS, received_at__gte=now - dt.timedelta(days=1)
            ).count()
            >= limits["phone_day"]
        ):
            raise DomainError(
                f"同一联系电话 24 小时内最多提交 {limits['phone_day']} 件投诉；补充材料请用原查询码联系我们",
                field="phone",
            )


# ---------------------------------------------------------------- intake


def complaint_submit(
    *,
    channel: str,
    category: str,
    description: str,
    place: str = "",
    party: str = "",
    occurred_on: dt.date | None = None,
    agency_named: Unit | None = None,
    anonymous: bool = False,
    name: str = "",
    phone: str = "",
    email: str = "",
    consent: bool = False,
    files=(),
    ip: str | None = None,
    submit_token: str | None = None,
    by=None,
    received_at: dt.datetime | None = None,
    refused: list[DomainError] | None = None,
) -> tuple[Complaint, str]:
    """A complaint from the public form or API (or a clue from staff). Returns it and its query password.

    With `submit_token` a repeated submission (double click, retry) returns the first complaint and the same
    password, and writes nothing. `refused` are problems the caller already found in its own input (an unknown
    agency name); they are reported with the fields' own, and nothing is written.
    """
    if channel not in dict(CHANNELS):
        raise DomainError(f"渠道“{channel}”无效", field="channel")
    if submit_token:
        existing = Complaint.objects.filter(submit_token=submit_token).first()
        if existing is not None:
            return existing, _password_for(submit_token)
    # Every field is checked before refusing, so that the form shows all its problems after one submit.
    problems: list[DomainError] = list(refused or [])

    def checked(check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except DomainError as exc:
            problems.append(exc)
            return ""

    category = checked(_category, category)
    description = checked(_description, description, limit=rules.description_max(channel))
    place = checked(_short, place, field="place", label="发生地点", limit=rules.PLACE_MAX)
    party = checked(_short, party, field="party", label="被投诉单位或人员", limit=rules.PARTY_MAX)
    if occurred_on and occurred_on > timezone.localdate():
        problems.append(DomainError("发生时间不能晚于今天", field="occurred_on"))
    if anonymous:
        name, phone, email = "", "", ""
    else:
        before = len(problems)
        name = checked(_short, name, field="name", label="姓名", limit=rules.NAME_MAX)
        phone = checked(_phone, phone)
        email = checked(_email, email)
        refused_fields = {p.field for p in problems[before:]}
        if channel in PUBLIC_CHANNELS and not name and "name" not in refused_fields:
            problems.append(DomainError("请填写姓名，或选择匿名投诉", field="name"))
        if channel in PUBLIC_CHANNELS and not phone and "phone" not in refused_fields:
            problems.append(DomainError("请填写联系电话，或选择匿名投诉", field="phone"))
    if channel in PUBLIC_CHANNELS and not consent:
        problems.append(DomainError("请阅读并同意个人信息处理说明后再提交", field="consent"))
    if agency_named is not None and not agency_named.is_active:
        problems.append(DomainError(f"单位“{agency_named.name}”已停用", field="agency"))
    files = list(files or [])
    checked(files_check, files)
    if problems:
        raise _refusal(problems)
    password = _password_for(submit_token)
    try:
        with transaction.atomic():
            if channel in PUBLIC_CHANNELS:
                # Counted and inserted in this one transaction, under a lock (see _rate_limit).
                _rate_limit(ip=ip, phone=phone)
            complaint = Complaint(
                tracking_code=_unused_tracking_codes(1)[0],
                channel=channel,
                category=category,
                description=description,
                place=place,
                party=party,
                search_tokens=index_tokens(description, place, party),
                occurred_on=occurred_on,
                agency_named=agency_named,
                anonymous=anonymous,
                complainant_name=name,
                complainant_phone=phone,
                complainant_email=email,
                consent_at=timezone.now() if consent else None,
                ip=ip,
                submit_token=submit_token or None,
                created_by=by if getattr(by, "pk", None) else None,
                received_at=received_at or timezone.now(),
            )
            _set_password(complaint, password)
            complaint.save()
            if files:
                complaint.attachments.set(attachments_store(files=files, by=by))
            if channel == "clue":
                log_operation(user=by, action="登记问题线索", obj=complaint, summary=complaint.tracking_code, ip=ip)
    except IntegrityError:
        # Two identical submissions raced: the other one won, answer with it.
        existing = Complaint.objects.filter(submit_token=submit_token).first() if submit_token else None
        if existing is None:
            raise
        return existing, password
    return complaint, password


def clue_register(
    *,
    by,
    category: str,
    description: str,
    place: str = "",
    party: str = "",
    occurred_on: dt.date | None = None,
    agency_named: Unit | None = None,
    files=(),
    ip=None,
) -> Complaint:
    """问题线索: registered by staff or an invited supervisor; the registrant is the contact."""
    _require(by, "clue.create")
    complaint, _ = complaint_submit(
        channel="clue",
        category=category,
        description=description,
        place=place,
        party=party,
        occurred_on=occurred_on,
        agency_named=agency_named,
        name=by.display_name,
        phone=by.phone or "",
        email=by.email or "",
        files=files,
        ip=ip,
        by=by,
    )
    return complaint


def _unit_by_full_name(name: str, *, field: str) -> Unit:
    unit = Unit.objects.filter(name=name, is_active=True).first()
    if unit is None:
        raise DomainError(f"承办单位“{name}”不存在：请填写单位全称", field=field)
    return unit


def hotline_upsert(
    *,
    by,
    work_order_no: str,
    received_at: dt.datetime,
    content: str,
    caller_name: str = "",
    caller_phone: str = "",
    handling_unit: str = "",
    category: str = "",
) -> tuple[Complaint, bool]:
    """A 12345 work order, idempotent on its number: pushed twice, it is one complaint. Returns (it, created)."""
    _require(by, "complaint.import")
    work_order_no = clean_text(work_order_no)
    if not work_order_no:
        raise DomainError("工单编号不能为空", field="work_order_no")
    if len(work_order_no) > 40:
        raise DomainError("工单编号不能超过 40 个字符", field="work_order_no")
    existing = Complaint.objects.filter(work_order_no=work_order_no).first()
    if existing is not None:
        return existing, False
    if not isinstance(received_at, dt.datetime):
        raise DomainError("受理时间不能为空", field="received_at")
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    handling_unit = clean_text(handling_unit)
    unit = _unit_by_full_name(handling_unit, field="handling_unit") if handling_unit else None
    try:
        with transaction.atomic():
            complaint, _ = complaint_submit(
                channel="hotline",
                category=_category(category, required=False),
                description=content,
                name=caller_name,
                phone=caller_phone,
                agency_named=unit,
                by=by,
                received_at=received_at,
            )
            complaint.work_order_no, complaint.handling_unit_name = work_order_no, handling_unit
            complaint.save(update_fields=["work_order_no", "handling_unit_name"])
    except IntegrityError:
        existing = Complaint.objects.filter(work_order_no=work_order_no).first()
        if existing is None:
            raise
        return existing, False
    return complaint, True


def email_intake(
    *,
    message_id: str,
    sender: str,
    sender_name: str,
    subject: str,
    body: str,
    received_at: dt.datetime | None,
    files: list[tuple[str, bytes]],
) -> Complaint | None:
    """A message of the complaint mailbox; None when that Message-ID was taken in before (exactly once).

    Attachments that are not images or PDF are left out and listed in the description, so that the
    complaint is still taken in.
    """
    message_id = (message_id or "").strip()[:300]
    if message_id and Complaint.objects.filter(message_id=message_id).exists():
        return None
    text = "\n".join(p for p in [clean_text(subject), (body or "").strip()] if p)
    kept, skipped = [], []
    for name, data in files:
        upload = SimpleUploadedFile(name or "附件", data)
        problem = rules.file_type_problem(name=upload.name, size=len(data), head=data[:8])
        (skipped if problem or len(kept) >= rules.MAX_FILES else kept).append(upload)
    if skipped:
        text += "\n（邮件附件未收录：" + "、".join(f.name for f in skipped) + "，类型或大小不符合要求）"
    if len(clean_text(text)) < rules.DESCRIPTION_MIN:
        text = f"{text}\n（邮件正文过短，请核实）".strip()
    email = _safe_email(sender)
    with transaction.atomic():
        complaint, _ = complaint_submit(
            channel="email",
            category="other",
            description=text.ljust(rules.DESCRIPTION_MIN, "。"),
            name=clean_text(sender_name)[: rules.NAME_MAX],
            email=email,
            files=kept,
            received_at=received_at,
        )
        complaint.message_id = message_id or None
        complaint.save(update_fields=["message_id"])
    return complaint


def _safe_email(value: str) -> str:
    try:
        return _email(value)
    except DomainError:
        return ""


# ---------------------------------------------------------------- handling


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _require_supervisor(by) -> None:
    _require(by, "complaint.triage")
    if by.unit_id is None:
        raise DomainError("当前用户未归属任何单位", field="unit")


def _event(
    complaint: Complaint,
    *,
    by,
    action: str,
    label: str,
    comment: str = "",
    data=None,
    attachments=(),
    status=None,
    action_unit=None,
) -> None:
    """A step on the complaint's tracked item; after the item closed, an annotation on its timeline."""
    if complaint.item_id and complaint.item.status == "closed":
        item_annotate(item=complaint.item, by=by, action=action, label=label, comment=comment, data=data)
    elif complaint.item_id:
        item_record(
            item=complaint.item,
            by=by,
            action=action,
            label=label,
            comment=comment,
            data=data,
            attachments=attachments,
            status=status,
            action_unit=action_unit,
        )


@transaction.atomic
def complaint_assign(
    *,
    by,
    complaint: Complaint,
    agency: Unit,
    category: str = "",
    comment: str = "",
    ip=None,
    today: dt.date | None = None,
) -> Complaint:
    """受理并交办: the supervisor accepts the complaint and gives it to the responsible agency, on the working-day
    limit of its category. After a dissatisfied rating (reopened), the same opens the second handling."""
    _require_supervisor(by)
    complaint = _lock(complaint)
    if complaint.status not in ("received", "reopened"):
        raise DomainError(f"投诉当前状态为“{complaint.get_status_display()}”，不能交办", field="status")
    if not isinstance(agency, Unit) or not agency.is_active:
        raise DomainError("请选择承办单位", field="agency")
    if agency.kind not in ("agency", "township", "government"):
        raise DomainError(f"“{agency.name}”不是执法部门，不能承办投诉", field="agency")
    if category:
        complaint.category = _category(category)
    rule = rules.deadline_rule(category=complaint.category, channel=complaint.channel)
    today = today or timezone.localdate()
    comment = clean_text(comment)
    if complaint.status == "reopened":
        # The first rating is kept on the new handling's timeline; the complainant rates the second reply anew.
        first = f"投诉人首次评价：{complaint.get_satisfaction_display()} {complaint.rating_comment}".strip()
        comment = f"{first}；{comment}" if comment else first
    item = item_open(
        kind=COMPLAINT.code,
        title=f"{complaint.tracking_code} {complaint.title}",
        unit=agency,
        by=by,
        start=today,
        limit_kind="working",
        limit_days=rule.working_days,
        deadline_source=rule.source,
        url=f"/complaints/{complaint.pk}/",
        comment=comment,
    )
    if complaint.status == "reopened":
        complaint.prior_item = complaint.item
        complaint.satisfaction, complaint.rating_comment, complaint.rated_at = "", "", None
    complaint.item = item
    complaint.agency, complaint.division_id = agency, agency.division_id
    complaint.supervising_unit_id = by.unit_id
    complaint.accepted_at = complaint.accepted_at or timezone.now()
    complaint.deadline_days, complaint.routing_confirmed = rule.working_days, True
    complaint.status = "assigned"
    complaint.save()
    log_operation(
        user=by, action="交办投诉", obj=complaint, summary=f"{complaint.tracking_code} → {agency.name}", ip=ip
    )
    return complaint


def _require_agency_user(by, complaint: Complaint) -> None:
    _require(by, "complaint.handle")
    from fazhi.complaints.permissions import complaint_is_units

    if not complaint_is_units(user=by, obj=complaint):
        raise Forbidden("只能办理交办给本单位的投诉")


@transaction.atomic
def complaint_reply(*, by, complaint: Complaint, findings: str, measures: str, files=(), ip=None) -> Reply:
    """The agency's reply: what it found and what it did. Goes to the supervisor for approval."""
    _require(by, "complaint.handle")
    complaint = _lock(complaint)
    _require_agency_user(by, complaint)
    if complaint.status not in ("assigned", "returned"):
        raise DomainError(f"投诉当前状态为“{complaint.get_status_display()}”，不能答复", field="status")
    findings, measures = (findings or "").strip(), (measures or "").strip()
    if len(findings) < 5:
        raise DomainError("请填写调查核实情况（至少 5 个字）", field="findings")
    if len(measures) < 2:
        raise DomainError("请填写处理措施", field="measures")
    if len(findings) > 5000 or len(measures) > 5000:
        raise DomainError("调查核实情况和处理措施各不能超过 5000 字", field="findings")
    files = list(files or [])
    files_check(files)
    attachments = attachments_store(files=files, by=by)
    reply = Reply.objects.create(complaint=complaint, findings=findings, measures=measures, by=by, unit=by.unit)
    if attachments:
        reply.attachments.set(attachments)
    _event(
        complaint,
        by=by,
        action="replied",
        label="提交答复",
        comment=f"调查核实：{findings}\n处理措施：{measures}",
        attachments=attachments,
        status="review",
        action_unit=complaint.supervising_unit or by.unit,
    )
    complaint.status = "replied"
    complaint.save(update_fields=["status"])
    log_operation(user=by, action="答复投诉", obj=complaint, summary=complaint.tracking_code, ip=ip)
    return reply


def _pending_reply(complaint: Complaint) -> Reply:
    reply = complaint.replies.filter(status="pending").order_by("-at", "-id").first()
    if complaint.status != "replied" or reply is None:
        raise DomainError("没有待审核的答复", field="status")
    return reply


@transaction.atomic
def complaint_return(*, by, complaint: Complaint, reason: str, ip=None) -> Complaint:
    """The supervisor sends the reply back with reasons; the agency's clock keeps running."""
    _require_supervisor(by)
    complaint = _lock(complaint)
    reply = _pending_reply(complaint)
    reason = (reason or "").strip()
    if len(clean_text(reason)) < 2:
        raise DomainError("退回须说明理由", field="reason")
    reply.status, reply.review_comment = "returned", reason
    reply.reviewed_by, reply.reviewed_at = by, timezone.now()
    reply.save()
    _event(
        complaint,
        by=by,
        action="returned",
        label="退回答复",
        comment=reason,
        status="returned",
        action_unit=complaint.agency,
    )
    complaint.status = "returned"
    complaint.save(update_fields=["status"])
    log_operation(user=by, action="退回投诉答复", obj=complaint, summary=reason, ip=ip)
    return complaint


@transaction.atomic
def complaint_approve(
    *, by, complaint: Complaint, comment: str = "", ip=None, today: dt.date | None = None
) -> Complaint:
    """The supervisor approves the reply: the handling item closes (on time or not) and the reply goes out to the
    complainant and to every complainant whose complaint was merged into this one."""
    _require_supervisor(by)
    complaint = _lock(complaint)
    reply = _pending_reply(complaint)
    reply.status, reply.review_comment = "approved", (comment or "").strip()
    reply.reviewed_by, reply.reviewed_at = by, timezone.now()
    reply.save()
    item = item_close(
        item=complaint.item, by=by, comment=comment or "答复审核通过", label="答复审核通过", closed_on=today
    )
    today = today or timezone.localdate()
    complaint.status, complaint.answered_at = "answered", timezone.now()
    complaint.on_time = (
        item.closed_on_time if complaint.on_time is None else (complaint.on_time and item.closed_on_time)
    )
    complaint.handling_days = working_days_between(item.start_date, today) + (complaint.handling_days or 0)
    complaint.save()
    for target in [complaint, *complaint.merged.all()]:
        _notify(
            target,
            subject=f"您的投诉（{target.tracking_code}）已答复",
            body=f"调查核实情况：{reply.findings}\n处理措施：{reply.measures}\n请凭查询码和查询密码查看并评价。",
        )
    log_operation(user=by, action="审核通过投诉答复", obj=complaint, summary=complaint.tracking_code, ip=ip)
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, satisfaction: str, comment: str = "", by=None, ip=None) -> Complaint:
    """满意 / 基本满意 close the complaint; 不满意 reopens it once for the supervisor's review."""
    complaint = _lock(complaint)
    if satisfaction not in dict(SATISFACTION):
        raise DomainError("请选择满意、基本满意或不满意", field="satisfaction")
    if not rules.may_rate(status=complaint.status, satisfaction=complaint.satisfaction):
        raise DomainError("当前不能评价：投诉尚未答复或已经评价", field="satisfaction")
    comment = clean_text(comment)
    if len(comment) > 500:
        raise DomainError("评价意见不能超过 500 字", field="comment")
    complaint.satisfaction, complaint.rating_comment, complaint.rated_at = satisfaction, comment, timezone.now()
    if satisfaction == "dissatisfied" and rules.may_reopen(reopened=complaint.reopened):
        complaint.status, complaint.reopened = "reopened", True
    else:
        complaint.status, complaint.closed_at = "closed", timezone.now()
    complaint.save()
    _event(
        complaint,
        by=by,
        action="rated",
        label=f"群众评价：{complaint.get_satisfaction_display()}",
        comment=comment,
        data={"satisfaction": satisfaction, "reopened": complaint.status == "reopened"},
    )
    log_operation(
        user=by,
        action="投诉评价",
        obj=complaint,
        summary=f"{complaint.tracking_code} {complaint.get_satisfaction_display()} {comment}"[:500],
        ip=ip,
    )
    return complaint


@transaction.atomic
def complaint_review_close(*, by, complaint: Complaint, comment: str, ip=None) -> Complaint:
    """After 不满意: the supervisor finds the reply sound and closes the complaint with reasons."""
    _require_supervisor(by)
    complaint = _lock(complaint)
    if complaint.status != "reopened":
        raise DomainError("只有不满意待复核的投诉可以复核办结", field="status")
    comment = (comment or "").strip()
    if len(clean_text(comment)) < 2:
        raise DomainError("复核办结须说明理由", field="comment")
    complaint.status, complaint.closed_at = "closed", timezone.now()
    complaint.save(update_fields=["status", "closed_at"])
    _event(complaint, by=by, action="review_closed", label="复核办结", comment=comment)
    _notify(
        complaint,
        subject=f"您的投诉（{complaint.tracking_code}）复核结果",
        body=f"经复核，维持原答复。复核意见：{comment}",
    )
    log_operation(user=by, action="复核办结投诉", obj=complaint, summary=comment, ip=ip)
    return complaint


@transaction.atomic
def complaint_out_of_scope(*, by, complaint: Complaint, reason: str, transferred_to: str = "", ip=None) -> Complaint:
    """Not about administrative enforcement: transferred with a recorded reason, the complainant told."""
    _require_supervisor(by)
    complaint = _lock(complaint)
    if complaint.status != "received":
        raise DomainError("只有待受理的投诉可以作不予受理（转办）处理", field="status")
    reason, transferred_to = clean_text(reason), clean_text(transferred_to)
    if len(reason) < 2:
        raise DomainError("请说明不属于受理范围的理由", field="reason")
    complaint.status, complaint.out_of_scope_reason = "out_of_scope", reason[:500]
    complaint.transferred_to, complaint.closed_at = transferred_to[:100], timezone.now()
    complaint.save()
    to = f"，已转{transferred_to}办理" if transferred_to else ""
    _notify(
        complaint,
        subject=f"您的投诉（{complaint.tracking_code}）不属于行政执法投诉受理范围",
        body=f"理由：{reason}{to}。",
    )
    log_operation(user=by, action="投诉不予受理转办", obj=complaint, summary=f"{reason} {transferred_to}", ip=ip)
    return complaint


@transaction.atomic
def complaint_merge(*, by, primary: Complaint, duplicate: Complaint, ip=None) -> Complaint:
    """Merge a duplicate into the primary: one handling; the duplicate's complainant gets the primary's reply."""
    _require_supervisor(by)
    if primary.pk == duplicate.pk:
        raise DomainError("不能与自身合并", field="duplicate")
    primary, duplicate = _lock(primary), _lock(duplicate)
    if duplicate.status != "received":
        raise DomainError(f"投诉 {duplicate.tracking_code} 已受理，不能再合并", field="duplicate")
    if primary.status in ("merged", "out_of_scope", "closed"):
        raise DomainError(
            f"投诉 {primary.tracking_code} 已{primary.get_status_display()}，不能作为合并对象", field="primary"
        )
    if duplicate.merged.exists():
        raise DomainError(f"投诉 {duplicate.tracking_code} 已有合并进来的投诉，请选它作为主件", field="duplicate")
    duplicate.merged_into, duplicate.status = primary, "merged"
    duplicate.save(update_fields=["merged_into", "status"])
    _event(
        primary,
        by=by,
        action="merged",
        label="合并重复投诉",
        comment=f"合并 {duplicate.tracking_code}",
        data={"merged": duplicate.tracking_code},
    )
    log_operation(
        user=by,
        action="合并重复投诉",
        obj=primary,
        summary=f"{duplicate.tracking_code} → {primary.tracking_code}",
        ip=ip,
    )
    return duplicate


@transaction.atomic
def discipline_transfer(*, by, complaint: Complaint, organ: str, reason: str, ip=None) -> DisciplineTransfer:
    """Suspected disciplinary violation: moved to 纪检监察 with a record, and followed up."""
    _require_supervisor(by)
    organ, reason = clean_text(organ), (reason or "").strip()
    if not organ:
        raise DomainError("请填写移送机关（如：示例市纪委监委）", field="organ")
    if len(clean_text(reason)) < 2:
        raise DomainError("请填写移送理由", field="reason")
    transfer = DisciplineTransfer.objects.create(complaint=complaint, organ=organ[:100], reason=reason, by=by)
    _event(complaint, by=by, action="discipline_transfer", label="移送纪检监察", comment=f"{organ}：{reason}")
    log_operation(user=by, action="移送纪检监察", obj=complaint, summary=f"{complaint.tracking_code} → {organ}", ip=ip)
    return transfer


@transaction.atomic
def discipline_follow_up(
    *, by, transfer: DisciplineTransfer, follow_up: str, result: str = "", ip=None
) -> DisciplineTransfer:
    _require_supervisor(by)
    follow_up = (follow_up or "").strip()
    if len(clean_text(follow_up)) < 2:
        raise DomainError("请填写跟踪情况", field="follow_up")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    transfer.follow_up = f"{transfer.follow_up}\n{stamp} {follow_up}".strip()
    transfer.result = clean_text(result)[:300] or transfer.result
    transfer.followed_at = timezone.now()
    transfer.save()
    log_operation(user=by, action="跟踪移送纪检监察", obj=transfer.complaint, summary=follow_up, ip=ip)
    return transfer


# ---------------------------------------------------------------- messages to complainants


def _notify(complaint: Complaint, *, subject: str, body: str) -> list[Message]:
    """Record a message for each contact the complainant left; the gateway sends it after commit."""
    made = []
    if complaint.complainant_email:
        made.append(
            Message.objects.create(
                complaint=complaint, channel="email", to=complaint.complainant_email, subject=subject[:200], body=body
            )
        )
    if complaint.complainant_phone and rules.MOBILE.match(complaint.complainant_phone):
        made.append(
            Message.objects.create(
                complaint=complaint,
                channel="sms",
                to=complaint.complainant_phone,
                subject=subject[:200],
                body=f"{subject}。请凭查询码查看详情。",
            )
        )
    if made:
        ids = [m.pk for m in made]
        transaction.on_commit(lambda: messages_send(ids=ids))
    return made


def messages_send(*, ids: list[int] | None = None) -> int:
    """Send pending messages through the configured gateway; a failure stays pending with its error."""
    from fazhi.complaints.gateway import gateway

    qs = Message.objects.filter(sent_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    sent = 0
    gw = gateway()
    for message in qs[:500]:
        try:
            gw.send(message)
        except OSError as exc:
            Message.objects.filter(pk=message.pk).update(error=str(exc)[:300])
            continue
        Message.objects.filter(pk=message.pk).update(sent_at=timezone.now(), error="")
        sent += 1
    return sent


# ---------------------------------------------------------------- bulk import of hotline orders


def hotline_bulk_create(*, by, rows: list[dict]) -> int:
    """Insert already-validated work orders in batches (the 100k import). Numbers already present are skipped,
    so a repeated import changes nothing. Each row: work_order_no, received_at, content, caller_name,
    caller_phone, handling_unit (a Unit or None), handling_unit_name, category."""
    _require(by, "complaint.import")
    created = 0
    with transaction.atomic():
        # One lookup of the numbers already imported and one batch of fresh tracking codes for the whole file.
        taken = existing_values(Complaint, "work_order_no", [r["work_order_no"] for r in rows])
        codes = _unused_tracking_codes(len(rows))
        for start in range(0, len(rows), 2000):
            fresh = []
            for r in rows[start : start + 2000]:
                if r["work_order_no"] in taken:
                    continue
                taken.add(r["work_order_no"])
                unit = r.get("handling_unit")
                fresh.append(
                    {
                        "tracking_code": codes.pop(),
                        # Imported orders are queried by work-order number; their password is never shown.
                        "password_salt": "-",
                        "password_hash": "-",
                        "channel": "hotline",
                        "category": r.get("category") or "other",
                        "description": r["content"],
                        "search_tokens": index_tokens(r["content"]),
                        "complainant_name": r.get("caller_name", ""),
                        "complainant_phone": r.get("caller_phone", ""),
                        "work_order_no": r["work_order_no"],
                        "handling_unit_name": r.get("handling_unit_name", ""),
                        "agency_named_id": unit.pk if unit is not None else None,
                        "received_at": r["received_at"],
                        "created_by_id": by.pk,
                    }
                )
            # Every row was checked before (hotline_import), so one COPY per chunk rather than model saves.
            created += bulk_insert(Complaint, fresh)
        log_operation(user=by, action="导入12345工单", summary=f"{created} 件")
    return created


# ---------------------------------------------------------------- public status query


def complaint_public_query(*, code: str, password: str, ip: str | None) -> Complaint:
    """The complaint behind a tracking code and query password. A wrong code and a wrong password get the same
    answer (no hint whether the code exists); failures are counted per IP and limited."""
    from fazhi.complaints.models import QueryAttempt
    from fazhi.core.errors import NotFound

    limit = rules.rate_limits()["query_fail_hour"]
    since = timezone.now() - dt.timedelta(hours=1)
    code = clean_text(code).upper().replace(" ", "")
    password = clean_text(password).upper().replace(" ", "")
    with transaction.atomic():
        # The count and the failure it adds in one transaction under the IP's lock, as for submissions.
        _rate_lock(f"query:{ip}" if ip else "")
        if ip and QueryAttempt.objects.filter(ip=ip, at__gte=since).count() >= limit:
            raise DomainError("查询失败次数过多，请 1 小时后再试", field="rate")
        complaint = Complaint.objects.filter(tracking_code=code).first() if code else None
        ok = (
            complaint is not None
            and complaint.password_hash not in ("", "-")
            and password
            and hmac.compare_digest(password_hash(complaint.password_salt, password), complaint.password_hash)
        )
        if not ok:
            QueryAttempt.objects.create(ip=ip)
    if not ok:
        raise NotFound("查询码或查询密码不正确")
    return complaint


# ---------------------------------------------------------------- statistics rollup


def stats_refresh(*, full: bool = False) -> dict:
    """Rebuild the monthly rollup for the months that can still change: those holding a complaint not yet final,
    and those where a complaint became final since the last refresh (or every month, with `full`)."""
    from django.db.models import Q
    from django.db.models.functions import TruncMonth

    from fazhi.complaints.models import MonthlyStat, StatsState
    from fazhi.complaints.selectors import _AGGREGATES, month_start, next_month

    started = timezone.now()
    state = StatsState.objects.order_by("pk").first() or StatsState.objects.create()
    months_qs = Complaint.objects.annotate(m=TruncMonth("received_at"))
    if not full and state.refreshed_at is not None:
        months_qs = months_qs.filter(
            ~Q(status__in=("closed", "out_of_scope", "merged")) | Q(closed_at__gte=state.refreshed_at)
        )
    months = sorted(
        {
            month_start(timezone.localtime(m).date() if isinstance(m, dt.datetime) else m)
            for m in months_qs.values_list("m", flat=True).distinct()
            if m is not None
        }
    )
    tz = timezone.get_default_timezone()
    with transaction.atomic():
        for month in months:
            start = timezone.make_aware(dt.datetime.combine(month, dt.time()), tz)
            end = timezone.make_aware(dt.datetime.combine(next_month(month), dt.time()), tz)
            rows = (
                Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
                .values("channel", "category", "agency_id", "division_id")
                .annotate(**_AGGREGATES)
                .order_by()
            )
            MonthlyStat.objects.filter(month=month).delete()
            MonthlyStat.objects.bulk_create(
                [
                    MonthlyStat(
                        month=month,
                        **{k: r[k] or 0 for k in _AGGREGATES},
                        channel=r["channel"],
                        category=r["category"],
                        agency_id=r["agency_id"],
                        division_id=r["division_id"],
                    )
                    for r in rows
                ],
                batch_size=2000,
            )
        state.refreshed_at = started
        state.save(update_fields=["refreshed_at"])
    return {"months": len(months), "rows": MonthlyStat.objects.count()}
