"""Every write of 普法, each in one transaction, checking the actor's rights itself (`by=None`: the system).
The items of a published responsibility list are tracked items (kind "outreach_duty"): their deadlines, lights,
reminders and SM3 timeline come from the tracking core."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.identifiers import clean_id_number
from fazhi.core.masking import mask_id_number, mask_name
from fazhi.core.normalize import clean_text, parse_date
from fazhi.legalservices.outreach import rules
from fazhi.legalservices.outreach.models import LegalLiterate, OutreachActivity, OutreachDutyItem, OutreachDutyList
from fazhi.legalservices.outreach.permissions import (
    activity_actions,
    duty_list_actions,
    literate_actions,
    may_edit,
)
from fazhi.legalservices.outreach.tracking_kinds import OUTREACH_DUTY
from fazhi.tracking.services import item_annotate, item_close, item_open


def _require(actions: set[str], action: str) -> None:
    if action not in actions:
        raise Forbidden()


def _text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = clean_text(value)
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 个字符", field=field)
    return text


def _day(value, *, field: str, label: str, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not clean_text(value):
        if required:
            raise DomainError(f"{label}不能为空", field=field)
        return None
    return parse_date(value, field=field, label=label)


def _unit_of(by, unit):
    unit = unit or getattr(by, "unit", None)
    if unit is None:
        raise DomainError("责任单位不能为空", field="unit")
    if by is not None and not may_edit(by, unit):
        raise Forbidden()
    return unit


# ---------------------------------------------------------------- responsibility lists


@transaction.atomic
def duty_list_create(*, by, year, unit=None, today: dt.date | None = None) -> OutreachDutyList:
    unit = _unit_of(by, unit)
    this_year = (today or timezone.localdate()).year
    try:
        year = int(clean_text(year))
    except ValueError:
        raise DomainError(f"年度“{clean_text(year)}”不是有效年份", field="year") from None
    if not this_year - 1 <= year <= this_year + 1:
        raise DomainError(f"年度应在 {this_year - 1}–{this_year + 1} 之间", field="year")
    if OutreachDutyList.objects.filter(unit=unit, year=year).exists():
        raise DomainError(f"{unit.name}已有 {year} 年普法责任清单", field="year")
    duty_list = OutreachDutyList.objects.create(unit=unit, year=year, created_by=by)
    log_operation(user=by, action="编制普法责任清单", obj=duty_list, summary=str(duty_list))
    return duty_list


def _open_item(*, by, entry: OutreachDutyItem, today: dt.date) -> None:
    duty_list = entry.duty_list
    entry.item = item_open(
        kind=OUTREACH_DUTY.code,
        title=f"普法责任：{entry.content}"[:200],
        unit=duty_list.unit,
        by=by,
        start=min(today, entry.deadline),
        deadline_source=rules.DUTY_SOURCE[:200],
        deadline=entry.deadline,
        url=reverse("legalservices:outreach:list_detail", args=[duty_list.pk]),
    )
    entry.save(update_fields=["item"])


@transaction.atomic
def duty_item_add(
    *, by, duty_list: OutreachDutyList, content, deadline, laws="", target_groups=(), today: dt.date | None = None
) -> OutreachDutyItem:
    """An item of the list: what, for whom, by when. On a published list it is tracked at once."""
    if by is not None:
        _require(duty_list_actions(user=by, obj=duty_list), "add_item")
    today = today or timezone.localdate()
    content = _text(content, field="content", label="普法任务", limit=300)
    day = _day(deadline, field="deadline", label="完成期限")
    if day.year != duty_list.year:
        raise DomainError(f"完成期限应在 {duty_list.year} 年内", field="deadline")
    if duty_list.status == rules.PUBLISHED and day < today:
        raise DomainError("清单已公布，新增事项的完成期限不能早于今天", field="deadline")
    groups = [clean_text(g) for g in (target_groups or []) if clean_text(g)]
    if isinstance(target_groups, str):
        groups = [g for g in clean_text(target_groups).replace("，", ",").replace("、", ",").split(",") if g.strip()]
    if not groups:
        raise DomainError("请填写普法对象", field="target_groups")
    entry = OutreachDutyItem.objects.create(
        duty_list=duty_list,
        content=content,
        laws=_text(laws, field="laws", label="重点宣传的法律法规", limit=300, required=False),
        target_groups=[g.strip()[:30] for g in groups][:20],
        deadline=day,
    )
    if duty_list.status == rules.PUBLISHED:
        _open_item(by=by, entry=entry, today=today)
    log_operation(user=by, action="新增普法责任事项", obj=entry, summary=f"{duty_list} {content[:30]}")
    return entry


@transaction.atomic
def duty_item_remove(*, by, entry: OutreachDutyItem) -> None:
    entry = OutreachDutyItem.objects.select_related("duty_list__unit").get(pk=entry.pk)
    if by is not None:
        _require(duty_list_actions(user=by, obj=entry.duty_list), "remove_item")
    if entry.duty_list.status != rules.DRAFT:
        raise DomainError("清单已公布，事项不能删除", field="status")
    log_operation(user=by, action="删除普法责任事项", obj=entry, summary=entry.content[:30])
    entry.delete()


@transaction.atomic
def duty_list_publish(*, by, duty_list: OutreachDutyList, today: dt.date | None = None) -> OutreachDutyList:
    """Publish the list: every item becomes a tracked item with its deadline (the unit answers for it)."""
    if by is not None:
        _require(duty_list_actions(user=by, obj=duty_list), "publish")
    duty_list = OutreachDutyList.objects.select_for_update().get(pk=duty_list.pk)
    if duty_list.status != rules.DRAFT:
        raise DomainError("清单已公布", field="status")
    entries = list(duty_list.items.all())
    if not entries:
        raise DomainError("清单还没有事项，不能公布", field="items")
    today = today or timezone.localdate()
    for entry in entries:
        _open_item(by=by, entry=entry, today=today)
    duty_list.status, duty_list.published_at = rules.PUBLISHED, timezone.now()
    duty_list.save(update_fields=["status", "published_at"])
    log_operation(user=by, action="公布普法责任清单", obj=duty_list, summary=f"{duty_list}：{len(entries)} 项")
    return duty_list


@transaction.atomic
def duty_item_complete(
    *, by, entry: OutreachDutyItem, done_on=None, comment="", today: dt.date | None = None
) -> OutreachDutyItem:
    """Done: the tracked item closes on the day the task was done (on time or not, judged on that day)."""
    entry = OutreachDutyItem.objects.select_for_update().select_related("duty_list__unit").get(pk=entry.pk)
    if by is not None:
        _require(duty_list_actions(user=by, obj=entry.duty_list), "complete_item")
    if entry.done_on is not None:
        raise DomainError("该事项已完成", field="done_on")
    today = today or timezone.localdate()
    day = _day(done_on, field="done_on", label="完成日期", required=False) or today
    if day > today:
        raise DomainError("完成日期不能晚于今天", field="done_on")
    if day.year < entry.duty_list.year:
        raise DomainError(f"完成日期不能早于 {entry.duty_list.year} 年", field="done_on")
    entry.done_on = day
    entry.save(update_fields=["done_on"])
    if entry.item_id:
        item_close(item=entry.item, by=by, comment=clean_text(comment)[:500], label="完成", closed_on=day)
    log_operation(user=by, action="完成普法责任事项", obj=entry, summary=f"{entry.content[:30]} {day}")
    return entry


# ---------------------------------------------------------------- activities


@transaction.atomic
def activity_save(
    *,
    by,
    kind,
    title,
    held_on,
    attendance=0,
    venue="",
    place="",
    laws="",
    summary="",
    duty_item: OutreachDutyItem | None = None,
    files=(),
    unit=None,
    today: dt.date | None = None,
) -> OutreachActivity:
    unit = _unit_of(by, unit)
    if by is not None:
        _require(activity_actions(user=by, obj=None), "create")
    today = today or timezone.localdate()
    if kind not in rules.ACTIVITY_KIND_LABELS:
        raise DomainError(f"活动类型“{clean_text(kind)}”无效", field="kind")
    venue = clean_text(venue)
    if kind == rules.SIX_INTO and venue not in rules.VENUE_LABELS:
        raise DomainError("法律“六进”活动须选择进机关、乡村、社区、学校、企业或单位", field="venue")
    if kind != rules.SIX_INTO:
        venue = ""
    day = _day(held_on, field="held_on", label="活动日期")
    if day > today:
        raise DomainError("活动日期不能晚于今天（活动开展后登记）", field="held_on")
    if kind == rules.CONSTITUTION_WEEK:
        start, end = rules.constitution_week(day.year)
        if not start <= day <= end:
            raise DomainError(f"宪法宣传周活动应在 {start:%m月%d日}—{end:%m月%d日} 之间", field="held_on")
    try:
        people = int(clean_text(attendance) or 0) if not isinstance(attendance, int) else attendance
    except ValueError:
        raise DomainError(f"参加人数“{clean_text(attendance)}”不是整数", field="attendance") from None
    if not 0 <= people <= rules.MAX_ATTENDANCE:
        raise DomainError("参加人数超出范围", field="attendance")
    if duty_item is not None:
        duty_item = OutreachDutyItem.objects.select_related("duty_list", "item").get(pk=duty_item.pk)
    if duty_item is not None and duty_item.duty_list.unit_id != unit.pk:
        raise DomainError("只能关联本单位普法责任清单中的事项", field="duty_item")
    stored = attachments_store(files=files, by=by)
    activity = OutreachActivity.objects.create(
        unit=unit,
        kind=kind,
        venue=venue,
        title=_text(title, field="title", label="活动名称", limit=200),
        held_on=day,
        place=_text(place, field="place", label="地点", limit=200, required=False),
        attendance=people,
        laws=_text(laws, field="laws", label="宣传的法律法规", limit=300, required=False),
        summary=_text(summary, field="summary", label="活动简况", limit=5000, required=False),
        duty_item=duty_item,
        created_by=by,
    )
    if stored:
        activity.attachments.add(*stored)
    if duty_item is not None and duty_item.item_id:
        item_annotate(
            item=duty_item.item,
            by=by,
            action="outreach_activity",
            label="开展普法活动",
            comment=f"{day} {activity.title}（{people} 人）",
            attachments=stored,
        )
    log_operation(user=by, action="登记普法活动", obj=activity, summary=f"{activity.kind_label} {activity.title}")
    return activity


@transaction.atomic
def activity_attach(*, by, activity: OutreachActivity, files) -> list:
    if by is not None:
        _require(activity_actions(user=by, obj=activity), "attach")
    stored = attachments_store(files=files, by=by)
    if not stored:
        raise DomainError("请选择要上传的材料或照片", field="files")
    activity.attachments.add(*stored)
    log_operation(user=by, action="上传普法活动材料", obj=activity, summary=f"{len(stored)} 个文件")
    return stored


# ---------------------------------------------------------------- 法律明白人


@transaction.atomic
def literate_save(
    *, by, division, township, village, name, id_number, phone="", occupation="", appointed_on=None, unit=None
) -> LegalLiterate:
    unit = _unit_of(by, unit)
    if by is not None:
        _require(literate_actions(user=by, obj=None), "create")
    if division is None:
        raise DomainError("行政区划不能为空", field="division")
    number = clean_id_number(id_number)
    if LegalLiterate.objects.filter(id_number=number).exists():
        raise DomainError(f"身份证号 {mask_id_number(number)} 已在法律明白人名册中", field="id_number")
    phone = clean_text(phone).replace(" ", "").replace("-", "")
    if phone and (not phone.isdigit() or len(phone) != 11 or not phone.startswith("1")):
        raise DomainError("手机号应为 11 位数字", field="phone")
    person = LegalLiterate.objects.create(
        unit=unit,
        division=division,
        township=_text(township, field="township", label="乡镇（街道）", limit=100),
        village=_text(village, field="village", label="村（社区）", limit=100),
        name=_text(name, field="name", label="姓名", limit=50),
        id_number=number,
        phone=phone,
        occupation=_text(occupation, field="occupation", label="身份", limit=50, required=False),
        appointed_on=_day(appointed_on, field="appointed_on", label="确认日期", required=False),
    )
    # Neither the ID number nor the phone goes into the log.
    log_operation(user=by, action="登记法律明白人", obj=person, summary=f"{person.village} {mask_name(person.name)}")
    return person


@transaction.atomic
def literate_retire(*, by, person: LegalLiterate) -> LegalLiterate:
    if by is not None:
        _require(literate_actions(user=by, obj=person), "retire")
    if not person.is_active:
        raise DomainError("已不在册", field="is_active")
    person.is_active = False
    person.save(update_fields=["is_active"])
    log_operation(user=by, action="法律明白人出册", obj=person, summary=f"{person.village} {mask_name(person.name)}")
    return person
