"""Every write to tracked items and supervision tasks. One transaction each, timeline event included."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core import clock
from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.integrity import key_id
from fazhi.core.models import Attachment, Unit, User
from fazhi.core.normalize import clean_text
from fazhi.core.scope import has_permission, scope_q
from fazhi.tracking import rules
from fazhi.tracking.models import SupervisionTask, TaskAssignment, TimelineEvent, TrackedItem
from fazhi.tracking.registry import TASK_ASSIGNMENT, kind_label
from fazhi.tracking.timeline import HASH_VERSION, event_hash, head_mac
from fazhi.workdays.calendar import deadline_calendar_days, deadline_working_days, is_confirmed


def today() -> dt.date:
    return timezone.localdate()


def compute_deadline(
    *, start: dt.date, limit_kind: str, limit_days: int | None, deadline: dt.date | None = None
) -> tuple[dt.date, bool]:
    """The deadline of an item from its limit: working days or natural days from the start, or fixed."""
    if limit_kind == "working":
        d = deadline_working_days(start, limit_days or 0)
        return d.deadline, d.confirmed
    if limit_kind == "calendar":
        d = deadline_calendar_days(start, limit_days or 0)
        return d.deadline, d.confirmed
    if deadline is None:
        raise DomainError("办理期限不能为空", field="deadline")
    return deadline, is_confirmed(start, deadline)


def _append_event(
    *,
    item: TrackedItem,
    by: User | None,
    action: str,
    label: str,
    comment: str = "",
    data: dict | None = None,
    attachments: list[Attachment] | tuple = (),
) -> TimelineEvent:
    """Append one event to the item's chain. The caller holds the item row locked."""
    seq = item.event_count + 1
    at = clock.now()
    if clock.is_backdated() and item.event_count:
        # The demo's instants are picked per step; a chain still reads forward in time.
        last = TimelineEvent.objects.filter(item=item, seq=item.event_count).values_list("at", flat=True).first()
        if last and at <= last:
            at = clock.next_after(last)
    actor_name = by.display_name if by else "系统"
    actor_unit = str(by.unit) if by and by.unit_id else ""
    signer = key_id()
    event = TimelineEvent.objects.create(
        item=item,
        seq=seq,
        at=at,
        actor=by,
        actor_name=actor_name,
        actor_unit=actor_unit,
        action=action,
        action_label=label,
        comment=comment,
        data=data or {},
        prev_hash=item.last_hash,
        hash=event_hash(
            version=HASH_VERSION,
            prev_hash=item.last_hash,
            key=signer,
            item_id=item.pk,
            seq=seq,
            at=at,
            actor_id=by.pk if by else None,
            actor_name=actor_name,
            actor_unit=actor_unit,
            action=action,
            action_label=label,
            comment=comment,
            data=data or {},
            attachments=[{"sm3": a.sm3, "name": a.name, "size": a.size} for a in attachments],
        ),
        hash_version=HASH_VERSION,
        key_id=signer,
    )
    if attachments:
        event.attachments.set(attachments)
    item.event_count, item.last_hash = seq, event.hash
    item.head_mac = head_mac(item_id=item.pk, count=seq, last_hash=event.hash)
    TrackedItem.objects.filter(pk=item.pk).update(event_count=seq, last_hash=event.hash, head_mac=item.head_mac)
    return event


@transaction.atomic
def item_open(
    *,
    kind: str,
    title: str,
    unit: Unit,
    by: User | None,
    start: dt.date,
    deadline_source: str,
    limit_kind: str = "fixed",
    limit_days: int | None = None,
    deadline: dt.date | None = None,
    person: User | None = None,
    action_unit: Unit | None = None,
    url: str = "",
    comment: str = "",
) -> TrackedItem:
    deadline_source, title = clean_text(deadline_source), clean_text(title)
    if not deadline_source:
        raise DomainError("期限依据不能为空：每个期限都须注明法律或政策依据", field="deadline_source")
    if not title:
        raise DomainError("标题不能为空", field="title")
    if limit_kind not in ("working", "calendar", "fixed"):
        raise DomainError(f"期限类型“{limit_kind}”无效", field="limit_kind")
    if limit_kind != "fixed" and (not isinstance(limit_days, int) or limit_days <= 0):
        raise DomainError("期限天数应为正整数", field="limit_days")
    due, confirmed = compute_deadline(start=start, limit_kind=limit_kind, limit_days=limit_days, deadline=deadline)
    if due < start:
        raise DomainError("办理期限不能早于起算日", field="deadline")
    item = TrackedItem.objects.create(
        kind=kind,
        title=title,
        unit=unit,
        person=person,
        action_unit=action_unit or unit,
        start_date=start,
        limit_kind=limit_kind,
        limit_days=limit_days,
        deadline=due,
        deadline_confirmed=confirmed,
        deadline_source=deadline_source,
        url=url,
    )
    _append_event(
        item=item,
        by=by,
        action="created",
        label="立项",
        comment=comment,
        data={"deadline": due.isoformat(), "unit": unit.name, "source": deadline_source},
    )
    return item


def _lock(item: TrackedItem) -> TrackedItem:
    return TrackedItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def item_record(
    *,
    item: TrackedItem,
    by: User | None,
    action: str,
    label: str,
    comment: str = "",
    data: dict | None = None,
    attachments=(),
    status: str | None = None,
    action_unit: Unit | None = None,
) -> TimelineEvent:
    """Record a step on an open item, optionally moving it to another status or another unit's turn."""
    item = _lock(item)
    if item.status == "closed":
        raise DomainError("事项已办结，不能再办理", field="status")
    fields = []
    if status and status != item.status:
        item.status = status
        fields.append("status")
    if action_unit and action_unit.pk != item.action_unit_id:
        item.action_unit = action_unit
        fields.append("action_unit")
    if fields:
        item.save(update_fields=fields)
    return _append_event(
        item=item, by=by, action=action, label=label, comment=comment, data=data, attachments=attachments
    )


@transaction.atomic
def item_annotate(
    *,
    item: TrackedItem,
    by: User | None,
    action: str,
    label: str,
    comment: str = "",
    data: dict | None = None,
    attachments: list[Attachment] | tuple = (),
) -> TimelineEvent:
    """Append a step that changes neither status nor turn — also after closure (e.g. the complainant's
    rating of a closed complaint), so that nothing that happens to an item is missing from its chain."""
    item = _lock(item)
    return _append_event(
        item=item, by=by, action=action, label=label, comment=comment, data=data, attachments=attachments
    )


@transaction.atomic
def item_close(
    *, item: TrackedItem, by: User | None, comment: str = "", label: str = "办结", closed_on: dt.date | None = None
) -> TrackedItem:
    """Close an item. `closed_on` is the day the duty was done when that is recorded later (a decision dated
    before the day it is entered); whether it was on time is judged on that day, not on the day of entry."""
    item = _lock(item)
    if item.status == "closed":
        raise DomainError("事项已办结", field="status")
    now = timezone.now()
    done_on = closed_on or timezone.localdate(now)
    item.status, item.closed_at = "closed", now
    item.closed_on_time = rules.closed_on_time(closed_on=done_on, deadline=item.deadline)
    item.save(update_fields=["status", "closed_at", "closed_on_time"])
    data = {"on_time": item.closed_on_time}
    if closed_on is not None:
        data["done_on"] = closed_on.isoformat()
    _append_event(item=item, by=by, action="closed", label=label, comment=comment, data=data)
    return item


@transaction.atomic
def item_change_deadline(*, item: TrackedItem, by: User | None, deadline: dt.date, reason: str) -> TrackedItem:
    item = _lock(item)
    if item.status == "closed":
        raise DomainError("事项已办结，不能调整期限", field="status")
    if not clean_text(reason):
        raise DomainError("调整期限须说明理由", field="reason")
    if not isinstance(deadline, dt.date):
        raise DomainError("新的办理期限不能为空", field="deadline")
    old = item.deadline
    item.deadline, item.limit_kind = deadline, "fixed"
    item.deadline_confirmed = is_confirmed(item.start_date, deadline)
    item.save(update_fields=["deadline", "limit_kind", "deadline_confirmed"])
    _append_event(
        item=item,
        by=by,
        action="deadline_changed",
        label="调整期限",
        comment=reason,
        data={"from": old.isoformat(), "to": deadline.isoformat()},
    )
    return item


def items_recompute_deadlines() -> int:
    """After the calendar changed: recompute every open item whose limit counts days. Returns how many moved."""
    moved = 0
    qs = (
        TrackedItem.objects.exclude(status="closed")
        .exclude(limit_kind="fixed")
        .only("id", "start_date", "limit_kind", "limit_days", "deadline", "deadline_confirmed")
    )
    for item in qs.iterator(chunk_size=2000):
        due, confirmed = compute_deadline(start=item.start_date, limit_kind=item.limit_kind, limit_days=item.limit_days)
        if due != item.deadline or confirmed != item.deadline_confirmed:
            with transaction.atomic():
                locked = _lock(item)
                old = locked.deadline
                locked.deadline, locked.deadline_confirmed = due, confirmed
                locked.save(update_fields=["deadline", "deadline_confirmed"])
                if due != old:
                    _append_event(
                        item=locked,
                        by=None,
                        action="deadline_recomputed",
                        label="日历调整重算期限",
                        data={"from": old.isoformat(), "to": due.isoformat()},
                    )
            moved += 1
    return moved


# ---------------------------------------------------------------- 督导任务

TASK_SOURCE_DEFAULT = "督导任务分解期限"


def _require(user: User, code: str) -> None:
    if not has_permission(user, code):
        raise Forbidden()


def _may_see_unit(user: User, unit: Unit) -> bool:
    return Unit.objects.filter(scope_q(user, unit_field=""), pk=unit.pk).exists()


def _lock_assignment(assignment: TaskAssignment) -> TaskAssignment:
    return (
        TaskAssignment.objects.select_for_update(of=("self",))
        .select_related("task", "unit", "item")
        .get(pk=assignment.pk)
    )


def _check_date(value, field: str, label: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(f"{label}不能为空", field=field)
    return value


@transaction.atomic
def task_create(
    *,
    by: User,
    title: str,
    basis: str,
    deadline: dt.date,
    description: str = "",
    ip=None,
    today: dt.date | None = None,
) -> SupervisionTask:
    _require(by, "task.manage")
    if by.unit_id is None:
        raise DomainError("当前用户未归属任何单位，不能创建督导任务", field="owner_unit")
    title, basis = clean_text(title), clean_text(basis)
    if not title:
        raise DomainError("任务名称不能为空", field="title")
    if not basis:
        raise DomainError("任务依据不能为空", field="basis")
    _check_date(deadline, "deadline", "总体期限")
    if deadline < (today or timezone.localdate()):
        raise DomainError("总体期限不能早于今天", field="deadline")
    if len(title) > 200 or len(basis) > 200:
        raise DomainError("任务名称和任务依据均不能超过 200 字", field="title" if len(title) > 200 else "basis")
    task = SupervisionTask.objects.create(
        title=title,
        basis=basis,
        deadline=deadline,
        description=(description or "").strip(),
        owner_unit=by.unit,
        created_by=by,
    )
    log_operation(user=by, action="新建督导任务", obj=task, summary=title, ip=ip)
    return task


@transaction.atomic
def task_assign(
    *,
    by: User,
    task: SupervisionTask,
    unit: Unit,
    deadline: dt.date,
    requirement: str = "",
    ip=None,
    today: dt.date | None = None,
) -> TaskAssignment:
    """Split a task: give one unit its share, with its own deadline, as a tracked item in its inbox."""
    _require(by, "task.manage")
    task = SupervisionTask.objects.select_for_update().get(pk=task.pk)
    if not _may_see_unit(by, task.owner_unit):
        raise Forbidden()
    if task.status != "active":
        raise DomainError("任务不在推进中，不能分解", field="task")
    _check_date(deadline, "deadline", "完成期限")
    if deadline > task.deadline:
        raise DomainError(f"完成期限不能晚于任务总体期限 {task.deadline:%Y-%m-%d}", field="deadline")
    today = today or timezone.localdate()
    if deadline < today:
        raise DomainError("完成期限不能早于今天", field="deadline")
    if not isinstance(unit, Unit):
        raise DomainError("责任单位不能为空", field="unit")
    if not unit.is_active:
        raise DomainError(f"单位“{unit.name}”已停用", field="unit")
    if not _may_see_unit(by, unit):
        raise DomainError(f"单位“{unit.name}”不在本人管辖范围内", field="unit")
    if task.assignments.filter(unit=unit).exists():
        raise DomainError(f"任务已分解给“{unit.name}”", field="unit")
    item = item_open(
        kind=TASK_ASSIGNMENT.code,
        title=task.title,
        unit=unit,
        by=by,
        start=today,
        deadline=deadline,
        deadline_source=f"{TASK_SOURCE_DEFAULT}（{task.basis}）",
        comment=requirement,
    )
    assignment = TaskAssignment.objects.create(
        task=task, unit=unit, deadline=deadline, requirement=clean_text(requirement), item=item
    )
    item.url = f"/tasks/assignments/{assignment.pk}/"
    item.save(update_fields=["url"])
    log_operation(user=by, action="分解督导任务", obj=task, summary=f"{task.title} → {unit.name}", ip=ip)
    return assignment


def _require_reporter(by: User, assignment: TaskAssignment) -> None:
    _require(by, "task.report")
    if by.unit_id != assignment.unit_id:
        raise Forbidden("只能填报本单位承担的任务")


@transaction.atomic
def assignment_report(
    *, by: User, assignment: TaskAssignment, progress: int, text: str, attachments=(), files=(), submit: bool = False
) -> TaskAssignment:
    """A unit reports progress; with `submit` (only at 100 %) it asks the supervisor to accept.

    `files` are uploads stored here, inside the same transaction as the timeline event that cites them.
    """
    _require_reporter(by, assignment)
    assignment = _lock_assignment(assignment)
    if assignment.status in ("submitted", "accepted"):
        raise DomainError("任务已提交验收或已验收，不能再填报", field="status")
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise DomainError("完成进度应为 0 到 100 之间的整数", field="progress")
    if progress < assignment.progress:
        raise DomainError(f"完成进度不能低于已报的 {assignment.progress}%", field="progress")
    text = (text or "").strip()
    if not text:
        raise DomainError("进展情况不能为空", field="text")
    if submit and progress != 100:
        raise DomainError("完成进度达到 100% 才能提交验收", field="progress")
    attachments = list(attachments) + attachments_store(files=files, by=by)
    assignment.progress = progress
    assignment.status = "submitted" if submit else "in_progress"
    assignment.save(update_fields=["progress", "status"])
    item_record(
        item=assignment.item,
        by=by,
        action="submitted" if submit else "progress",
        label="提交验收" if submit else "填报进展",
        comment=text,
        data={"progress": progress},
        attachments=attachments,
        status="review" if submit else "open",
        action_unit=assignment.task.owner_unit if submit else None,
    )
    return assignment


def _require_reviewer(by: User, assignment: TaskAssignment) -> TaskAssignment:
    _require(by, "task.manage")
    if not _may_see_unit(by, assignment.task.owner_unit):
        raise Forbidden()
    assignment = _lock_assignment(assignment)
    if assignment.status != "submitted":
        raise DomainError("任务未提交验收，不能验收或退回", field="status")
    return assignment


@transaction.atomic
def assignment_accept(*, by: User, assignment: TaskAssignment, comment: str = "", ip=None) -> TaskAssignment:
    assignment = _require_reviewer(by, assignment)
    comment = (comment or "").strip()
    assignment.status = "accepted"
    assignment.save(update_fields=["status"])
    item_close(item=assignment.item, by=by, comment=comment, label="验收通过")
    task = assignment.task
    if not task.assignments.exclude(status="accepted").exists():
        task.status = "done"
        task.save(update_fields=["status"])
    log_operation(user=by, action="验收督导任务", obj=task, summary=f"{task.title} / {assignment.unit.name}", ip=ip)
    return assignment


@transaction.atomic
def assignment_return(*, by: User, assignment: TaskAssignment, reason: str, ip=None) -> TaskAssignment:
    assignment = _require_reviewer(by, assignment)
    reason = (reason or "").strip()
    if not clean_text(reason):
        raise DomainError("退回须说明理由", field="reason")
    assignment.status = "returned"
    assignment.save(update_fields=["status"])
    item_record(
        item=assignment.item,
        by=by,
        action="returned",
        label="退回",
        comment=reason,
        status="returned",
        action_unit=assignment.unit,
    )
    log_operation(user=by, action="退回督导任务", obj=assignment.task, summary=reason, ip=ip)
    return assignment


# ---------------------------------------------------------------- 催办 from the supervisor's desk

URGE_COMMENT_MAX = 500


@transaction.atomic
def item_urge(*, item: TrackedItem, by: User, comment: str = "", today: dt.date | None = None) -> TimelineEvent:
    """催办: a supervisor of the responsible unit reminds whoever's turn it is — an in-app notice (and an e-mail
    when SMTP is configured) — and the reminder is logged on the item's timeline. Once a day per item."""
    from django.conf import settings

    from fazhi.core.services import notify
    from fazhi.tracking import reminders, selectors

    if not TrackedItem.objects.filter(selectors.item_visible_q(by) | selectors.supervised_q(by), pk=item.pk).exists():
        raise NotFound()
    if "urge" not in selectors.item_actions(user=by, item=item):
        if item.status == "closed":
            raise DomainError("事项已办结，无需催办", field="status")
        raise Forbidden("只有责任单位的监督单位可以催办")
    item = _lock(item)
    day = today or timezone.localdate()
    comment = clean_text(comment)
    if len(comment) > URGE_COMMENT_MAX:
        raise DomainError(f"催办意见不能超过 {URGE_COMMENT_MAX} 字", field="comment")
    key = f"urge:{item.pk}:{day:%Y%m%d}"
    if item.events.filter(action="urged", data__key=key).exists():
        raise DomainError("今天已催办过该事项", field="item")
    light = rules.light(status=item.status, deadline=item.deadline, today=day, yellow_until=selectors.yellow_until(day))
    if item.action_user_id:
        recipients = [item.action_user] if item.action_user.is_active else []
    else:
        recipients = reminders._unit_recipients(item.action_unit_id, reminders._permission_for(item), {})
    due = "已超期" if light == "red" else f"将于 {item.deadline:%Y-%m-%d} 到期"
    sent = notify(
        recipients=recipients,
        title=f"【催办】{kind_label(item.kind)}“{item.title}”{due}",
        body=f"{by.unit or ''} {by.display_name} 催办：{comment or '请抓紧办理'}；期限 {item.deadline:%Y-%m-%d}（{item.deadline_source}）",
        url=item.url or reverse("tracking:item_detail", args=[item.pk]),
        level="red" if light == "red" else "yellow",
        dedup_key=key,
    )
    event = _append_event(
        item=item,
        by=by,
        action="urged",
        label="催办",
        comment=comment,
        data={"key": key, "light": light, "deadline": item.deadline.isoformat(), "notified": sent},
    )
    if settings.FAZHI["EMAIL_ENABLED"]:
        transaction.on_commit(reminders.email_pending)
    log_operation(user=by, action="催办督办事项", obj=item, summary=f"{item.title}（通知 {sent} 人）")
    return event
