"""Stored clocks: the item follows its nearest running clock, every event is on the SM3 timeline with its basis,
refusals write nothing, a calendar change refolds open clocks, and the inbox, lights and API show them."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.models import Notification
from fazhi.tracking import rules
from fazhi.tracking.models import Clock, TrackedItem
from fazhi.tracking.reminders import scan_deadlines
from fazhi.tracking.selectors import inbox, item_get
from fazhi.tracking.services import clock_event, clock_open, clocks_recompute, item_close, item_open
from fazhi.tracking.tasks import recompute_deadlines_task
from fazhi.tracking.tests.conftest import MARKET
from fazhi.tracking.timeline import verify_chains
from fazhi.workdays import calendar
from fazhi.workdays.calendar import add_working_days, next_working_day

pytestmark = pytest.mark.django_db

ACCEPT = "《行政复议法》第三十条"
DECIDE = "《行政复议法》第六十二条"


@pytest.fixture
def item(org, users):
    today = timezone.localdate()
    return item_open(
        kind="task_assignment",  # a kind the market agency's legal officer acts on (inbox.view + task.report)
        title="行政复议申请",
        unit=org[MARKET],
        by=users["supervisor"],
        start=today,
        deadline=today + dt.timedelta(days=90),
        deadline_source="测试",
    )


def _refresh(obj):
    obj.refresh_from_db()
    return obj


def test_the_item_follows_its_nearest_running_clock(item, users):
    start = item.start_date
    review = clock_open(
        item=item,
        name="acceptance_review",
        label="受理审查",
        unit="working",
        length=5,
        basis=ACCEPT,
        start=start,
        by=users["supervisor"],
    )
    decision = clock_open(
        item=item,
        name="decision",
        label="复议决定",
        unit="calendar",
        length=60,
        basis=DECIDE,
        start=start,
        by=users["supervisor"],
        extension_cap=30,
    )
    item = _refresh(item)
    assert review.deadline == add_working_days(start, 5)
    assert decision.deadline == next_working_day(start + dt.timedelta(days=60))
    assert item.deadline == review.deadline and item.limit_kind == "fixed"
    assert ACCEPT in item.deadline_source and "受理审查" in item.deadline_source
    # The review ends: the decision clock is the nearest running one.
    clock_event(clock=review, kind="stop", on=start + dt.timedelta(days=2), by=users["supervisor"], basis=ACCEPT)
    item = _refresh(item)
    assert item.deadline == decision.deadline and DECIDE in item.deadline_source
    actions = list(item.events.order_by("seq").values_list("action", "action_label", "data"))
    assert [a for a, _, _ in actions] == ["created", "clock_opened", "clock_opened", "clock_stop"]
    assert actions[3][1] == "停止计时：受理审查" and actions[3][2]["basis"] == ACCEPT


def test_a_paused_item_is_neither_red_nor_reminded(item, users, org):
    long_ago = timezone.localdate() - dt.timedelta(days=40)
    clock = clock_open(
        item=item,
        name="answer",
        label="答复",
        unit="working",
        length=5,
        basis=ACCEPT,
        start=long_ago,
        by=users["supervisor"],
    )
    today = timezone.localdate()
    item = _refresh(item)
    assert item.deadline < today
    assert item_get(user=users["supervisor"], pk=item.pk).light == "red"
    clock_event(
        clock=clock,
        kind="pause",
        on=long_ago + dt.timedelta(days=1),
        by=users["supervisor"],
        basis="第三十九条",
        reason="申请人丧失参加行政复议的行为能力，尚未确定法定代理人",
    )
    item = _refresh(item)
    assert item.paused
    assert item_get(user=users["supervisor"], pk=item.pk).light == "paused"
    assert rules.light(status="open", deadline=item.deadline, today=today, yellow_until=today, paused=True) == "paused"
    box = inbox(user=users["agency"], today=today)
    assert not box.items.filter(pk=item.pk, light="red").exists()
    assert box.counts["paused"] >= 1 and box.items.filter(pk=item.pk, light="paused").exists()
    assert inbox(user=users["agency"], today=today, light="paused").items.filter(pk=item.pk).exists()
    assert not inbox(user=users["agency"], today=today, light="red").items.filter(pk=item.pk).exists()
    scan_deadlines(today=today)
    assert not Notification.objects.filter(url=item.url or f"/items/{item.pk}/").exists()
    assert not Notification.objects.filter(dedup_key__contains=f"item:{item.pk}:").exists()
    # Resumed today: the working days of the pause are added, and the light runs again.
    clock = clock_event(clock=clock, kind="resume", on=today, by=users["supervisor"], basis="第三十九条第二款")
    item = _refresh(item)
    assert not item.paused and not clock.paused
    assert clock.deadline > today


def test_refused_events_write_nothing(item, users):
    clock = clock_open(
        item=item,
        name="decision",
        label="复议决定",
        unit="calendar",
        length=60,
        basis=DECIDE,
        start=item.start_date,
        by=users["supervisor"],
        extension_cap=30,
    )
    before = (_refresh(item).event_count, clock.deadline, clock.events.count())
    with pytest.raises(DomainError) as exc:
        clock_event(
            clock=clock,
            kind="extend",
            on=item.start_date,
            by=users["supervisor"],
            basis=DECIDE,
            reason="案情复杂",
            amount=31,
        )
    assert exc.value.field == "days" and "30" in exc.value.message
    with pytest.raises(DomainError) as exc:
        clock_event(clock=clock, kind="pause", on=item.start_date, by=users["supervisor"], basis="第三十九条")
    assert exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        clock_event(clock=clock, kind="resume", on=item.start_date, by=users["supervisor"], basis="")
    assert exc.value.field == "basis"
    with pytest.raises(DomainError) as exc:
        clock_event(clock=clock, kind="resume", on=item.start_date, by=users["supervisor"], basis="第三十九条")
    assert "未中止" in exc.value.message
    clock = _refresh(clock)
    assert (_refresh(item).event_count, clock.deadline, clock.events.count()) == before
    # Within the cap: the approver's reason and the basis are on the timeline.
    clock = clock_event(
        clock=clock,
        kind="extend",
        on=item.start_date,
        by=users["supervisor"],
        basis="第六十二条第一款",
        reason="情况复杂，经复议机构负责人批准",
        amount=30,
    )
    assert clock.extended == 30
    last = _refresh(item).events.order_by("-seq").first()
    assert last.action == "clock_extend" and last.comment.startswith("情况复杂") and last.data["amount"] == "30日"


def test_a_switch_keeps_the_start_and_takes_the_new_rule(item, users):
    clock = clock_open(
        item=item,
        name="decision",
        label="复议决定",
        unit="calendar",
        length=30,
        basis="第六十二条第二款",
        start=item.start_date,
        by=users["supervisor"],
    )
    clock = clock_event(
        clock=clock,
        kind="switch",
        on=item.start_date,
        by=users["supervisor"],
        basis="第五十五条",
        reason="案情复杂，不宜适用简易程序",
        unit="calendar",
        length=60,
        extension_cap=30,
        rule_basis="第六十二条第一款",
    )
    assert (clock.rule_length, clock.rule_cap, clock.basis, clock.start) == (
        60,
        30,
        "第六十二条第一款",
        item.start_date,
    )
    assert clock.deadline == next_working_day(item.start_date + dt.timedelta(days=60))


def test_closing_the_item_stops_its_clocks_and_the_chain_verifies(item, users):
    clock = clock_open(
        item=item,
        name="answer",
        label="答复",
        unit="working",
        length=10,
        basis="第四十八条",
        start=item.start_date,
        by=users["supervisor"],
    )
    item_close(item=item, by=users["supervisor"])
    clock = _refresh(clock)
    assert not clock.is_open and clock.stopped_on == timezone.localdate()
    item = _refresh(item)
    assert item.status == "closed" and not item.paused
    _, _, problems = verify_chains(TrackedItem.objects.filter(pk=item.pk), check_files=False)
    assert problems == []


def test_a_calendar_change_refolds_open_clocks(item, users, unscheduled_year):
    from fazhi.workdays.models import CalendarOverride

    start = dt.date(unscheduled_year, 9, 27)  # a Monday (UNSCHEDULED_YEAR has 2027's weekdays)
    clock = clock_open(
        item=item,
        name="answer",
        label="答复",
        unit="working",
        length=5,
        basis="第四十八条",
        start=start,
        by=users["supervisor"],
    )
    assert clock.deadline == dt.date(unscheduled_year, 10, 4)
    stopped = clock_open(
        item=item,
        name="review",
        label="受理审查",
        unit="working",
        length=5,
        basis=ACCEPT,
        start=start,
        by=users["supervisor"],
    )
    clock_event(clock=stopped, kind="stop", on=start, by=users["supervisor"], basis=ACCEPT)
    CalendarOverride.objects.create(date=dt.date(unscheduled_year, 10, 1), is_working_day=False, name="国庆节")
    calendar.dirty = True
    calendar.invalidate()
    assert clocks_recompute() == 1  # the stopped clock is left as it was
    clock, stopped = _refresh(clock), _refresh(stopped)
    assert clock.deadline == dt.date(unscheduled_year, 10, 5)
    assert stopped.deadline == dt.date(unscheduled_year, 10, 4)
    item = _refresh(item)
    assert item.deadline == clock.deadline
    last = item.events.order_by("-seq").first()
    assert last.action == "clock_recomputed" and last.data["to"] == f"{unscheduled_year}-10-05"
    assert clocks_recompute() == 0  # idempotent
    assert recompute_deadlines_task.call() == 0


def test_a_clock_needs_its_basis_and_a_unique_name(item, users):
    with pytest.raises(DomainError) as exc:
        clock_open(
            item=item, name="a", label="答复", unit="working", length=5, basis=" ", start=item.start_date, by=None
        )
    assert exc.value.field == "basis"
    clock_open(
        item=item, name="a", label="答复", unit="working", length=5, basis="第四十八条", start=item.start_date, by=None
    )
    with pytest.raises(DomainError) as exc:
        clock_open(
            item=item,
            name="a",
            label="答复",
            unit="working",
            length=5,
            basis="第四十八条",
            start=item.start_date,
            by=None,
        )
    assert exc.value.field == "name"
    assert Clock.objects.filter(item=item).count() == 1


def test_the_item_page_and_api_show_the_clocks(item, users, login_as, api_client):
    clock_open(
        item=item,
        name="decision",
        label="复议决定",
        unit="calendar",
        length=60,
        basis=DECIDE,
        start=item.start_date,
        by=users["supervisor"],
        extension_cap=30,
    )
    page = login_as("supervisor").get(f"/items/{item.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-clock="decision"' in html and DECIDE in html and "60日" in html
    data = api_client("supervisor").get(f"/api/v1/items/{item.pk}").json()
    assert data["paused"] is False
    assert data["clocks"] == [
        {
            "name": "decision",
            "label": "复议决定",
            "rule": "60日",
            "start": item.start_date.isoformat(),
            "deadline": next_working_day(item.start_date + dt.timedelta(days=60)).isoformat(),
            "paused": False,
            "open": True,
            "extended": 0,
            "basis": DECIDE,
        }
    ]


def test_a_calendar_change_chains_every_moved_clock_of_an_item(item, users, unscheduled_year):
    """The set-based refold: two clocks of one item (and one of another item) move in the same batch; each gets
    its own event, in order on its item's chain, which still verifies; the item follows the nearer clock."""
    from fazhi.workdays.models import CalendarOverride

    start = dt.date(unscheduled_year, 9, 27)  # a Monday
    other = item_open(
        kind="task_assignment",
        title="另一事项",
        unit=item.unit,
        by=users["supervisor"],
        start=start,
        deadline=start + dt.timedelta(days=60),
        deadline_source="测试",
    )
    answer = clock_open(
        item=item, name="answer", label="答复", unit="working", length=5, basis="第四十八条", start=start, by=None
    )
    review = clock_open(
        item=item, name="review", label="审查", unit="working", length=7, basis=ACCEPT, start=start, by=None
    )
    third = clock_open(
        item=other, name="answer", label="答复", unit="working", length=3, basis="第四十八条", start=start, by=None
    )
    assert (answer.deadline, review.deadline, third.deadline) == (
        dt.date(unscheduled_year, 10, 4),
        dt.date(unscheduled_year, 10, 6),
        dt.date(unscheduled_year, 9, 30),
    )
    before = _refresh(item).event_count
    CalendarOverride.objects.create(date=dt.date(unscheduled_year, 9, 29), is_working_day=False, name="调休")
    calendar.dirty = True
    calendar.invalidate()
    assert clocks_recompute(batch=2) == 3  # batches smaller than the clocks: the keyset walk is exercised too
    answer, review, third = _refresh(answer), _refresh(review), _refresh(third)
    assert (answer.deadline, review.deadline, third.deadline) == (
        dt.date(unscheduled_year, 10, 5),
        dt.date(unscheduled_year, 10, 7),
        dt.date(unscheduled_year, 10, 1),
    )
    item = _refresh(item)
    events = list(item.events.filter(seq__gt=before).order_by("seq"))
    assert [e.data["clock"] for e in events] == ["answer", "review"]
    assert all(e.action == "clock_recomputed" for e in events) and item.event_count == before + 2
    assert item.deadline == answer.deadline and "答复" in item.deadline_source
    assert _refresh(other).deadline == third.deadline
    _, _, problems = verify_chains(TrackedItem.objects.filter(pk__in=[item.pk, other.pk]), check_files=False)
    assert problems == []
    assert clocks_recompute() == 0
