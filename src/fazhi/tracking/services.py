"""Every write to tracked items and supervision tasks. One transaction each, timeline event included."""

import datetime as dt
from dataclasses import dataclass

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
from fazhi.tracking import clocks, rules
from fazhi.tracking.models import Clock, ClockEvent, SupervisionTask, TaskAssignment, TimelineEvent, TrackedItem
from fazhi.tracking.registry import TASK_ASSIGNMENT, kind_label
from fazhi.tracking.signals import clocks_moved
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
    for row in Clock.objects.filter(item=item, is_open=True).prefetch_related("events"):
        # The duty is done: every period still running stops with it (on the day of its last event at the
        # earliest, since a clock's events run forward).
        last = clock_fold(row).last_on
        clock_event(clock=row, kind="stop", on=max(done_on, last or done_on), by=by, basis=f"事项{label}")
    item.refresh_from_db(fields=["deadline", "event_count", "last_hash", "head_mac", "paused"])
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


# ---------------------------------------------------------------- statutory clocks (法定期限)


def _clock_rule(unit: str, length: int, cap: int, basis: str) -> clocks.ClockRule:
    try:
        return clocks.ClockRule(unit=unit, length=length, extension_cap=cap, basis=clean_text(basis or ""))
    except clocks.ClockError as exc:
        raise DomainError(exc.message, field=exc.field) from None


def clock_events(clock: Clock) -> list[clocks.ClockEvent]:
    """The clock's stored events as the pure module's events, in the order they happened."""
    return [
        clocks.ClockEvent(
            kind=e.kind,
            on=e.on,
            amount=e.amount,
            rule=clocks.ClockRule(e.rule_unit, e.rule_length, e.rule_basis, e.rule_cap) if e.kind == "switch" else None,
        )
        for e in sorted(clock.events.all(), key=lambda e: e.seq)
    ]


def clock_fold(clock: Clock, events: list[clocks.ClockEvent] | None = None) -> clocks.ClockState:
    """The clock's state from its first rule, its first start and every event (the stored fields are a copy)."""
    rule = clocks.ClockRule(clock.initial_unit, clock.initial_length, clock.initial_basis, clock.initial_cap)
    return clocks.clock_state(rule, clock.initial_start, clock_events(clock) if events is None else events)


def _clock_copy(clock: Clock, state: clocks.ClockState) -> list[str]:
    """Copy the derived state onto the row; returns the fields that changed."""
    values = {
        "rule_unit": state.rule.unit,
        "rule_length": state.rule.length,
        "rule_cap": state.rule.extension_cap,
        "basis": state.rule.basis,
        "start": state.start,
        "extended": state.extended,
        "deadline": state.deadline,
        "deadline_confirmed": is_confirmed(state.start, state.deadline),
        "paused": state.paused,
        "is_open": state.open,
        "stopped_on": state.stopped_on,
    }
    changed = [name for name, value in values.items() if getattr(clock, name) != value]
    for name in changed:
        setattr(clock, name, values[name])
    return changed


def _follow_fields(open_clocks: list[Clock]) -> dict:
    """What an item shows for its open clocks (ordered by deadline, id): the nearest running one's deadline,
    source and confirmation; paused when every open clock is paused; with none open, only "not paused"."""
    running = [c for c in open_clocks if not c.paused]
    nearest = running[0] if running else (open_clocks[0] if open_clocks else None)
    fields = {"paused": bool(open_clocks) and not running}
    if nearest is not None:
        fields |= {
            "deadline": nearest.deadline,
            "deadline_confirmed": nearest.deadline_confirmed,
            "deadline_source": f"{nearest.label}：{nearest.basis}"[:200],
            "limit_kind": "fixed",  # the clocks own the deadline; items_recompute_deadlines leaves it alone
        }
    return fields


def _item_follow_clocks(item: TrackedItem) -> None:
    """The item's deadline, source and light follow its nearest running clock (the inbox and the lights read
    the item). With every open clock paused the item is paused; with none open it keeps its last deadline."""
    fields = _follow_fields(list(Clock.objects.filter(item=item, is_open=True).order_by("deadline", "id")))
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    if changed:
        for name in changed:
            setattr(item, name, fields[name])
        item.save(update_fields=changed)


def _clock_timeline(*, item, clock, by, action, label, comment, data) -> TimelineEvent:
    return _append_event(item=item, by=by, action=action, label=f"{label}：{clock.label}", comment=comment, data=data)


@transaction.atomic
def clock_open(
    *,
    item: TrackedItem,
    name: str,
    label: str,
    unit: str,
    length: int,
    basis: str,
    start: dt.date,
    by: User | None,
    extension_cap: int = 0,
    comment: str = "",
) -> Clock:
    """Start a statutory period on an item (the first day, `start`, is not counted). Domain services call it;
    they have checked who may act."""
    item = _lock(item)
    if item.status == "closed":
        raise DomainError("事项已办结，不能再开始计时", field="status")
    name, label = clean_text(name or ""), clean_text(label or "")
    if not name or not label:
        raise DomainError("期限名称不能为空", field="label")
    if not isinstance(start, dt.date):
        raise DomainError("起算日不能为空", field="start")
    if Clock.objects.filter(item=item, name=name).exists():
        raise DomainError(f"该事项已有“{label}”期限", field="name")
    rule = _clock_rule(unit, length, extension_cap, basis)
    state = clocks.clock_start(rule, start)
    clock = Clock(
        item=item,
        name=name,
        label=label,
        initial_unit=rule.unit,
        initial_length=rule.length,
        initial_cap=rule.extension_cap,
        initial_basis=rule.basis,
        initial_start=start,
        rule_unit=rule.unit,
        rule_length=rule.length,
        basis=rule.basis,
        start=start,
        deadline=state.deadline,
    )
    _clock_copy(clock, state)
    clock.save()
    _clock_timeline(
        item=item,
        clock=clock,
        by=by,
        action="clock_opened",
        label="开始计时",
        comment=comment,
        data={
            "clock": name,
            "start": start.isoformat(),
            "rule": rule.text,
            "deadline": state.deadline.isoformat(),
            "basis": rule.basis,
        },
    )
    _item_follow_clocks(item)
    return clock


# Events a person must give a reason for (中止 grounds, why extended, why the procedure changed).
_REASON_REQUIRED = {"pause", "extend", "switch"}


@transaction.atomic
def clock_event(
    *,
    clock: Clock,
    kind: str,
    on: dt.date,
    by: User | None,
    basis: str,
    reason: str = "",
    amount: int = 0,
    unit: str = "",
    length: int | None = None,
    extension_cap: int = 0,
    rule_basis: str = "",
) -> Clock:
    """One event of a clock: pause, resume, restart, extend (by `amount` units), switch (to `unit`/`length`/
    `extension_cap` with `rule_basis`) or stop. Refused with a Chinese message when the clock cannot take it
    then (an extension past the cap, a resume without a pause …); on the item's timeline with its basis."""
    item = _lock(clock.item)
    clock = Clock.objects.select_for_update().get(pk=clock.pk)
    basis, reason = clean_text(basis or ""), clean_text(reason or "")
    if not basis:
        raise DomainError("计时事件须注明法律依据", field="basis")
    if kind in _REASON_REQUIRED and not reason:
        raise DomainError(f"{clocks.EVENT_KINDS.get(kind, kind)}须说明理由", field="reason")
    new_rule = _clock_rule(unit, length, extension_cap, rule_basis) if kind == "switch" else None
    events = clock_events(clock)
    before = clock_fold(clock, events)
    event = clocks.ClockEvent(kind=kind, on=on, amount=amount or 0, rule=new_rule)
    try:
        after = clocks.clock_apply(before, event)
    except clocks.ClockError as exc:
        raise DomainError(exc.message, field=exc.field) from None
    data = {
        "clock": clock.name,
        "kind": kind,
        "on": on.isoformat(),
        "basis": basis,
        "deadline_before": before.deadline.isoformat(),
        "deadline": after.deadline.isoformat(),
    }
    if kind == "extend":
        data["amount"] = f"{amount}{clocks.UNITS[after.rule.unit]}"
    if new_rule is not None:
        data["rule"] = f"{new_rule.text}（{new_rule.basis}）"
    timeline = _clock_timeline(
        item=item,
        clock=clock,
        by=by,
        action=f"clock_{kind}",
        label=clocks.EVENT_KINDS[kind],
        comment=reason,
        data=data,
    )
    clock.event_count += 1
    ClockEvent.objects.create(
        clock=clock,
        seq=clock.event_count,
        kind=kind,
        on=on,
        amount=amount or 0,
        rule_unit=new_rule.unit if new_rule else "",
        rule_length=new_rule.length if new_rule else None,
        rule_cap=new_rule.extension_cap if new_rule else None,
        rule_basis=new_rule.basis if new_rule else "",
        reason=reason,
        basis=basis,
        by=by if getattr(by, "pk", None) else None,
        timeline_event=timeline,
    )
    changed = _clock_copy(clock, after)
    clock.save(update_fields=[*changed, "event_count"])
    _item_follow_clocks(item)
    return clock


# The columns a refold reads (the rule as first set, the start, the stored derived state) and the events' columns.
_SCAN = ("pk", "item_id", "initial_unit", "initial_length", "initial_basis", "initial_cap", "initial_start")
_STORED = ("deadline", "deadline_confirmed", "event_count")
_EVENT_COLUMNS = ("clock_id", "kind", "on", "amount", "rule_unit", "rule_length", "rule_basis", "rule_cap")
_FOLLOW_FIELDS = ["paused", "deadline", "deadline_confirmed", "deadline_source", "limit_kind"]


def _rule(unit: str, length: int, basis: str, cap: int) -> clocks.ClockRule:
    key = (unit, length, basis, cap)
    rule = _RULES.get(key)
    if rule is None:
        rule = _RULES[key] = clocks.ClockRule(unit, length, basis, cap)
    return rule


_RULES: dict[tuple, clocks.ClockRule] = {}


def _refold(
    rows: list[tuple], history: dict[int, list[clocks.ClockEvent]], folds: dict | None = None
) -> dict[int, tuple]:
    """The clocks among `rows` (_SCAN + _STORED tuples) whose refold under today's calendar gives another deadline or
    confirmation: {clock id: (state, deadline, confirmed, the row's stored values)}. Plain tuples, not model
    instances: a refold reads every open clock, and building 100k models cost more than the folds themselves.

    A fold is a pure function of the rule, the start, the events and the calendar, and the calendar does not change
    during one recompute: clocks with the same rule, start and events (most of a day's intake: the same 5 or 10
    working days from the same day) are folded once (`folds`, kept by the caller across batches)."""
    out = {}
    folds = {} if folds is None else folds
    for pk, _, unit, length, basis, cap, start, deadline, confirmed, count in rows:
        events = tuple(history.get(pk, ()))
        key = (unit, length, basis, cap, start, events)
        fold = folds.get(key)
        if fold is None:
            state = clocks.clock_state(_rule(unit, length, basis, cap), start, events)
            fold = folds[key] = (state, state.deadline, is_confirmed(state.start, state.deadline))
        state, new_deadline, new_confirmed = fold
        if new_deadline != deadline or new_confirmed != confirmed:
            out[pk] = (state, new_deadline, new_confirmed, (deadline, confirmed, count))
    return out


def _histories(lo: int, hi: int) -> dict[int, list[clocks.ClockEvent]]:
    """The events of the clocks with ids in [lo, hi], in order (a range, not an id list: no huge parameter list)."""
    history: dict[int, list[clocks.ClockEvent]] = {}
    events = ClockEvent.objects.filter(clock_id__gte=lo, clock_id__lte=hi).order_by("clock_id", "seq")
    for clock_id, kind, on, amount, r_unit, r_length, r_basis, r_cap in events.values_list(*_EVENT_COLUMNS):
        rule = _rule(r_unit, r_length, r_basis, r_cap) if kind == "switch" else None
        history.setdefault(clock_id, []).append(clocks.ClockEvent(kind=kind, on=on, amount=amount, rule=rule))
    return history


def clocks_recompute(*, batch: int = 2000) -> int:
    """After the calendar changed: refold every open clock; a moved deadline is stored, put on its item's
    timeline and followed by the item. Returns how many clocks moved.

    Set-based per batch, so that a province's 100k open clocks refold in seconds (bench/bench_disputes.py): the
    moved clocks' items are locked (as clock_event locks them, so no event can slip in between), their clocks
    refolded under the lock, the timeline events chained in memory item by item and inserted at once, and
    clocks and items written back with one statement per batch. Every moved deadline still gets its own event
    on its item's chain."""
    moved = 0
    last_id = 0
    folds: dict = {}
    while True:
        rows = list(
            Clock.objects.filter(is_open=True, pk__gt=last_id).order_by("pk").values_list(*_SCAN, *_STORED)[:batch]
        )
        if not rows:
            return moved
        last_id = rows[-1][0]
        changed = _refold(rows, _histories(rows[0][0], last_id), folds)
        if changed:
            moved += _clocks_store_moved(sorted({r[1] for r in rows if r[0] in changed}), changed)


def _select(sql: str, ids: list[int], orm) -> list[tuple]:
    """Rows for a list of ids: `= ANY(array)` on PostgreSQL (one parameter, however many ids), else the ORM's
    `__in` (`orm`: a callable returning the queryset of tuples)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return list(orm())
    with connection.cursor() as cur:
        cur.execute(sql, [ids])
        return cur.fetchall()


@transaction.atomic
def _clocks_store_moved(item_ids: list[int], folded: dict[int, tuple]) -> int:
    heads = {
        pk: [count, last]
        for pk, count, last in _select(
            "SELECT id, event_count, last_hash FROM tracking_trackeditem WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
            item_ids,
            lambda: (
                TrackedItem.objects.select_for_update()
                .filter(pk__in=item_ids)
                .order_by("pk")
                .values_list("pk", "event_count", "last_hash")
            ),
        )
    }
    columns = [*_SCAN, *_STORED, "paused", "label", "basis", "name"]
    sql_columns = ", ".join("id" if c == "pk" else c for c in columns)
    rows = _select(
        f"SELECT {sql_columns} FROM tracking_clock WHERE item_id = ANY(%s) AND is_open ORDER BY item_id, id",
        item_ids,
        lambda: (
            Clock.objects.filter(item_id__in=item_ids, is_open=True).order_by("item_id", "pk").values_list(*columns)
        ),
    )
    # Under the items' locks no event can be added to their clocks. A clock that changed between the scan and the
    # lock (another event count or stored deadline) is refolded here; the others keep the scan's fold.
    width = len(_SCAN) + len(_STORED)
    stale = [r[:width] for r in rows if r[0] in folded and tuple(r[len(_SCAN) : width]) != folded[r[0]][3]]
    stale_ids = {r[0] for r in stale}
    changed = {pk: f for pk, f in folded.items() if pk not in stale_ids}
    if stale:
        changed |= _refold(stale, _histories(min(stale_ids), max(stale_ids)))
    open_ids = {r[0] for r in rows}
    changed = {pk: f for pk, f in changed.items() if pk in open_ids}
    if not changed:
        return 0
    at = clock.now()
    signer = key_id()
    events, updates = [], []
    open_by_item: dict[int, list[_OpenClock]] = {pk: [] for pk in heads}
    for pk, item_id, *_, old, old_confirmed, _count, paused, label, basis, name in rows:
        if pk not in changed:
            open_by_item[item_id].append(_OpenClock(pk, label, basis, old, old_confirmed, paused))
            continue
        state, deadline, confirmed, _ = changed[pk]
        open_by_item[item_id].append(_OpenClock(pk, label, state.rule.basis, deadline, confirmed, state.paused))
        # A calendar change moves only what the calendar decides: the deadline and whether it is confirmed (the rule,
        # the start, extensions and pauses come from the events alone).
        updates.append([deadline, confirmed, pk])
        if deadline == old:
            continue
        head = heads[item_id]
        seq = head[0] + 1
        event_label = f"日历调整重算期限：{label}"
        data = {"clock": name, "from": old.isoformat(), "to": deadline.isoformat()}
        digest = event_hash(
            version=HASH_VERSION,
            prev_hash=head[1],
            key=signer,
            item_id=item_id,
            seq=seq,
            at=at,
            actor_id=None,
            actor_name="系统",
            actor_unit="",
            action="clock_recomputed",
            action_label=event_label,
            comment="",
            data=data,
            attachments=[],
        )
        events.append(
            {
                "item_id": item_id,
                "seq": seq,
                "at": at,
                "actor_name": "系统",
                "action": "clock_recomputed",
                "action_label": event_label,
                "data": data,
                "prev_hash": head[1],
                "hash": digest,
                "hash_version": HASH_VERSION,
                "key_id": signer,
            }
        )
        head[0], head[1] = seq, digest
    _events_insert(events)
    _bulk_set(Clock, ["deadline", "deadline_confirmed"], updates)
    item_rows = []
    for pk, (count, last) in heads.items():
        follow = _follow_fields(sorted(open_by_item[pk], key=lambda c: (c.deadline, c.id)))
        item_rows.append(
            [
                follow["paused"],
                follow["deadline"],
                follow["deadline_confirmed"],
                follow["deadline_source"],
                follow["limit_kind"],
                count,
                last,
                head_mac(item_id=pk, count=count, last_hash=last),
                pk,
            ]
        )
    _bulk_set(TrackedItem, [*_FOLLOW_FIELDS, "event_count", "last_hash", "head_mac"], item_rows)
    clocks_moved.send(sender=Clock, item_ids=list(heads))
    return len(changed)


_EVENT_INSERT = (
    "item_id",
    "seq",
    "at",
    "actor_name",
    "actor_unit",
    "action",
    "action_label",
    "comment",
    "data",
    "prev_hash",
    "hash",
    "hash_version",
    "key_id",
)


def _events_insert(events: list[dict]) -> None:
    """Append the refold's timeline events: one COPY on PostgreSQL (the values are plain; `data` goes as JSON),
    bulk_create elsewhere."""
    from django.db import connection

    if not events:
        return
    if connection.vendor != "postgresql":
        TimelineEvent.objects.bulk_create([TimelineEvent(**e) for e in events], batch_size=1000)
        return
    from psycopg.types.json import Jsonb

    columns = ", ".join(_EVENT_INSERT)
    with connection.cursor() as cur, cur.cursor.copy(f"COPY tracking_timelineevent ({columns}) FROM STDIN") as copy:
        for e in events:
            copy.write_row(
                (
                    e["item_id"],
                    e["seq"],
                    e["at"],
                    e["actor_name"],
                    "",
                    e["action"],
                    e["action_label"],
                    "",
                    Jsonb(e["data"]),
                    e["prev_hash"],
                    e["hash"],
                    e["hash_version"],
                    e["key_id"],
                )
            )


@dataclass(frozen=True)
class _OpenClock:
    """What an item's follow rule reads of an open clock (_follow_fields), without a model instance."""

    id: int
    label: str
    basis: str
    deadline: dt.date
    deadline_confirmed: bool
    paused: bool


def _bulk_set(model, names: list[str], rows: list[list]) -> None:
    """Write back `names` (then the primary key, last in each row) of many rows: one UPDATE … FROM unnest(arrays)
    on PostgreSQL (one array parameter per column, so the statement stays short however many rows), executemany
    elsewhere. Django's bulk_update builds a CASE per row and field in Python, which took ten times the
    database's own work for the calendar refold. Column names come from the model, values are parameters."""
    from django.db import connection

    if not rows:
        return
    fields = [model._meta.get_field(n) for n in names]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [connection.ops.quote_name(f.column) for f in fields]
    if connection.vendor != "postgresql":
        prepared = [
            [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=False)] + [row[-1]] for row in rows
        ]
        sets = ", ".join(f"{c} = %s" for c in columns)
        with connection.cursor() as cur:
            cur.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", prepared)
        return
    arrays = [[row[i] for row in rows] for i in range(len(fields) + 1)]
    casts = [f.db_type(connection) for f in fields] + ["bigint"]
    unnest = ", ".join(f"%s::{t}[]" for t in casts)
    sets = ", ".join(f"{c} = v.c{i}" for i, c in enumerate(columns))
    names_sql = ", ".join(f"c{i}" for i in range(len(columns)))
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {table} AS t SET {sets} FROM unnest({unnest}) AS v({names_sql}, id) WHERE t.id = v.id", arrays
        )


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
