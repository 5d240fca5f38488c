"""Reads of tracked items and supervision tasks, each applying the viewer's data scope."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fazhi.core.errors import NotFound
from fazhi.core.models import Attachment, Unit
from fazhi.core.normalize import clean_text
from fazhi.core.scope import scope_q, user_data_scope, user_permissions
from fazhi.core.selectors import unit_list
from fazhi.tracking import rules
from fazhi.tracking.models import Clock, SupervisionTask, TaskAssignment, TimelineEvent, TrackedItem
from fazhi.tracking.registry import KINDS
from fazhi.workdays.calendar import add_working_days

OPEN_STATUSES = ("open", "returned")


def yellow_until(day: dt.date) -> dt.date:
    """The last deadline that shows yellow on `day`: the N-th working day after it."""
    return add_working_days(day, settings.FAZHI["YELLOW_WORKING_DAYS"])


def with_light(qs: QuerySet, *, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return qs.annotate(light=rules.light_expression(today=today, yellow_until=yellow_until(today)))


def _either(*conditions: Q) -> Q:
    """OR of scope filters where an empty Q means "everything".

    Django's `Q() | x` drops the empty operand and returns `x`, which would narrow an all-scope user to `x`.
    """
    if any(not c for c in conditions):
        return Q()
    result = conditions[0]
    for c in conditions[1:]:
        result |= c
    return result


def _turn_q(user) -> Q:
    """Items whose next step is this user's: assigned to them, or to their unit in a step their roles allow."""
    perms = user_permissions(user)
    steps = []
    for kind in KINDS.values():
        if kind.act_permission in perms:
            steps.append(Q(kind=kind.code, status__in=OPEN_STATUSES))
        if kind.review_permission in perms:
            steps.append(Q(kind=kind.code, status="review"))
    mine = Q(action_user=user) & ~Q(status="closed")
    if user.unit_id is None or not steps:
        return mine
    unit_q = steps[0]
    for step in steps[1:]:
        unit_q |= step
    return mine | (Q(action_user__isnull=True, action_unit_id=user.unit_id) & unit_q)


@dataclass
class Inbox:
    items: QuerySet
    counts: dict[str, int]
    total: int


def inbox(*, user, light: str = "", kind: str = "", q: str = "", today: dt.date | None = None) -> Inbox:
    """我的待办: every open item the user must act on, most urgent first, with counts per colour."""
    today = today or timezone.localdate()
    base = with_light(TrackedItem.objects.filter(_turn_q(user)), today=today)
    if kind:
        base = base.filter(kind=kind)
    q = clean_text(q)
    if q:
        base = base.filter(title__icontains=q)
    until = yellow_until(today)
    counts = base.aggregate(
        red=Count("id", filter=Q(deadline__lt=today, paused=False)),
        yellow=Count("id", filter=Q(deadline__gte=today, deadline__lte=until, paused=False)),
        green=Count("id", filter=Q(deadline__gt=until, paused=False)),
        paused=Count("id", filter=Q(paused=True)),
    )
    if light in ("red", "yellow", "green", "paused"):
        base = base.filter(rules.light_q(light=light, today=today, yellow_until=until))
    items = base.select_related("unit").order_by("deadline", "id")
    return Inbox(items=items, counts=counts, total=sum(counts.values()))


# ---------------------------------------------------------------- the supervisor's 督办 desk


def supervised_q(user) -> Q:
    """Open items of the units the user's unit supervises (Unit.supervising_unit), of the kinds the user
    reviews — the same people a red item escalates to (reminders). Nothing for a user without a unit."""
    perms = user_permissions(user)
    kinds = [k.code for k in KINDS.values() if k.review_permission in perms]
    if user.unit_id is None or not kinds:
        return Q(pk__in=[])
    return Q(unit__supervising_unit_id=user.unit_id, kind__in=kinds) & ~Q(status="closed")


def item_actions(*, user, item: TrackedItem) -> set[str]:
    """What the user may do with a tracked item from the desk: 催办 ("urge") an open item of a supervised unit."""
    if item.status == "closed":
        return set()
    if not TrackedItem.objects.filter(supervised_q(user), pk=item.pk).exists():
        return set()
    return {"urge"}


def item_for_urge(*, user, pk) -> TrackedItem:
    """An item the user may see or supervises (else 404); whether he may urge it is the service's check."""
    try:
        return (
            TrackedItem.objects.filter(item_visible_q(user) | supervised_q(user))
            .select_related("action_user", "unit")
            .get(pk=pk)
        )
    except (TrackedItem.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class DeskSectionRows:
    code: str
    label: str
    rows: list[dict]
    total: int


@dataclass
class Desk:
    supervised: QuerySet  # red and yellow items of the supervised units, most urgent first
    supervised_counts: dict[str, int]
    sections: list[DeskSectionRows]


def desk(*, user, today: dt.date | None = None, limit: int = 50) -> Desk:
    """督办 desk, the rest of 我的待办: the red and yellow items of the units the user supervises (not those
    that are the user's own turn anyway) and the sections other apps register (待受理 complaints, …)."""
    from fazhi.tracking.registry import DESK_SECTIONS

    today = today or timezone.localdate()
    until = yellow_until(today)
    urgent = (
        TrackedItem.objects.filter(supervised_q(user), deadline__lte=until, paused=False)
        .exclude(_turn_q(user))
        .select_related("unit", "action_unit")
    )
    counts = urgent.aggregate(
        red=Count("id", filter=Q(deadline__lt=today)), yellow=Count("id", filter=Q(deadline__gte=today))
    )
    supervised = with_light(urgent, today=today).order_by("deadline", "id")[:limit]
    sections = []
    for section in DESK_SECTIONS.values():
        found = section.rows(user, today)
        if found is None:
            continue
        rows, total = found
        sections.append(
            DeskSectionRows(
                section.code,
                section.label,
                [
                    {
                        "title": r.title,
                        "url": r.url,
                        "deadline": r.deadline,
                        "deadline_source": r.deadline_source,
                        "unit": r.unit,
                        "light": rules.light(status="open", deadline=r.deadline, today=today, yellow_until=until),
                    }
                    for r in rows
                ],
                total,
            )
        )
    return Desk(supervised=supervised, supervised_counts=counts, sections=sections)


def _unit_visible_q(user) -> Q:
    """Items of a kind that tracks no scoped object: by the item's units, or with the 本人 scope only the
    user's own (responsible for it, or whose turn it is)."""
    if user_data_scope(user) == "self":
        return Q(person=user) | Q(action_user=user)
    return _either(scope_q(user, unit_field="unit"), scope_q(user, unit_field="action_unit"), Q(action_user=user))


def item_visible_q(user) -> Q:
    """Items, and so their timelines and attachments, follow the scope of the object they track."""
    from fazhi.tracking.registry import VISIBILITY

    plain = [code for code in KINDS if code not in VISIBILITY]
    parts = [Q(kind__in=plain) & _unit_visible_q(user), Q(action_user=user)]
    parts += [Q(kind=code) & visible(user) for code, visible in VISIBILITY.items()]
    return _either(*parts)


def items_for_verify(*, user) -> QuerySet[TrackedItem]:
    return TrackedItem.objects.filter(item_visible_q(user))


def item_get(*, user, pk) -> TrackedItem:
    try:
        return with_light(TrackedItem.objects.filter(item_visible_q(user))).select_related("unit").get(pk=pk)
    except (TrackedItem.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def item_clocks(*, item: TrackedItem) -> list[Clock]:
    """The item's statutory clocks, running ones first by deadline (the item's page and API)."""
    return list(item.clocks.order_by("-is_open", "deadline", "id"))


def clock_status_label(clock: Clock) -> str:
    if not clock.is_open:
        return f"已停止（{clock.stopped_on:%Y-%m-%d}）"
    return "中止计时" if clock.paused else "计时中"


def item_timeline(*, item: TrackedItem):
    return item.events.order_by("seq").select_related("actor").prefetch_related("attachments")


def attachment_get(*, user, pk) -> Attachment:
    """An attachment of a timeline event of an item the viewer may see; anything else does not exist."""
    through = TimelineEvent.attachments.through
    visible = through.objects.filter(
        attachment_id=OuterRef("pk"), timelineevent__item__in=TrackedItem.objects.filter(item_visible_q(user))
    )
    try:
        return Attachment.objects.filter(Exists(visible)).get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def assignable_units(*, user) -> QuerySet[Unit]:
    """Units a task can be split to: the active agencies and townships the viewer can see."""
    return unit_list(user=user).filter(kind__in=("agency", "township"))


# ---------------------------------------------------------------- 督导任务


def _task_visible_q(user) -> Q:
    return _either(
        scope_q(user, unit_field="owner_unit"),
        Q(pk__in=TaskAssignment.objects.filter(scope_q(user, unit_field="unit")).values("task_id")),
    )


def task_list(*, user, q: str = "", status: str = "") -> QuerySet[SupervisionTask]:
    qs = SupervisionTask.objects.filter(_task_visible_q(user)).select_related("owner_unit")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(basis__icontains=q))
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        unit_count=Count("assignments", distinct=True),
        accepted_count=Count("assignments", filter=Q(assignments__status="accepted"), distinct=True),
    ).order_by("-created_at", "-id")


def task_get(*, user, pk) -> SupervisionTask:
    try:
        return SupervisionTask.objects.filter(_task_visible_q(user)).select_related("owner_unit").get(pk=pk)
    except (SupervisionTask.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def assignment_list(*, user, task: SupervisionTask | None = None, today: dt.date | None = None) -> QuerySet:
    """Assignments the viewer may see (all of a visible task's for its owner unit; otherwise their own)."""
    today = today or timezone.localdate()
    if user_data_scope(user) == "self":  # 本人: only the assignments he answers for or must act on
        visible = Q(item__person=user) | Q(item__action_user=user)
    else:
        visible = _either(scope_q(user, unit_field="unit"), scope_q(user, unit_field="task__owner_unit"))
    qs = TaskAssignment.objects.filter(visible).select_related("unit", "task", "task__owner_unit", "item")
    if task is not None:
        qs = qs.filter(task=task)
    return qs.annotate(
        light=rules.light_expression(today=today, yellow_until=yellow_until(today), prefix="item__")
    ).order_by("task_id", "unit__sort_order", "unit_id")


def assignment_get(*, user, pk) -> TaskAssignment:
    try:
        return assignment_list(user=user).get(pk=pk)
    except (TaskAssignment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@dataclass
class AssignmentActions:
    can_report: bool
    can_review: bool


def assignment_actions(*, user, assignment: TaskAssignment) -> AssignmentActions:
    """Which forms the viewer gets on an assignment page (the services check the same again on submit)."""
    perms = user_permissions(user)
    can_report = (
        "task.report" in perms
        and user.unit_id == assignment.unit_id
        and assignment.status not in ("submitted", "accepted")
    )
    can_review = (
        "task.manage" in perms
        and assignment.status == "submitted"
        and Unit.objects.filter(scope_q(user, unit_field=""), pk=assignment.task.owner_unit_id).exists()
    )
    return AssignmentActions(can_report=can_report, can_review=can_review)


@dataclass
class Board:
    units: list
    rows: list  # [(task, [assignment or None per unit])]


def task_board(*, user, status: str = "active") -> Board:
    """Every visible task by unit, coloured: the supervisor's overview."""
    tasks = list(task_list(user=user, status=status))
    assignments = list(assignment_list(user=user).filter(task__in=tasks))
    units = sorted({a.unit for a in assignments}, key=lambda u: (u.sort_order, u.id))
    index = {(a.task_id, a.unit_id): a for a in assignments}
    rows = [(t, [index.get((t.id, u.id)) for u in units]) for t in tasks]
    return Board(units=units, rows=rows)


def overdue_items(*, user, kind: str = "", today: dt.date | None = None) -> QuerySet[TrackedItem]:
    """Open items past their deadline (red, not paused) that the user may see, most overdue first — the red items
    of the leaders' dashboard and its drill-down list."""
    today = today or timezone.localdate()
    qs = TrackedItem.objects.filter(item_visible_q(user), deadline__lt=today, paused=False).exclude(status="closed")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("unit").order_by("deadline", "id")


def overdue_tally(*, user, today: dt.date | None = None) -> tuple[list[tuple[str, str, int]], dict[int, int]]:
    """The user's visible red items counted two ways from one GROUP BY (the visibility filter is the costly part
    to build and plan): by kind as overdue_counts, and {unit_id: count} (the leaders' dashboard's division tree)."""
    rows = overdue_items(user=user, today=today).values("kind", "unit_id").annotate(n=Count("id")).order_by()
    kinds: dict[str, int] = {}
    units: dict[int, int] = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + r["n"]
        units[r["unit_id"]] = units.get(r["unit_id"], 0) + r["n"]
    ordered = sorted(kinds.items(), key=lambda kn: (-kn[1], kn[0]))
    return [(k, KINDS[k].label if k in KINDS else k, n) for k, n in ordered], units


def overdue_counts(*, user, today: dt.date | None = None) -> list[tuple[str, str, int]]:
    """(kind, label, count) of the user's visible red items by kind, largest first: one GROUP BY."""
    rows = overdue_items(user=user, today=today).values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    return [(r["kind"], KINDS[r["kind"]].label if r["kind"] in KINDS else r["kind"], r["n"]) for r in rows]
