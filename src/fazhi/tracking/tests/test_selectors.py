import datetime as dt

import pytest

from fazhi.core.errors import NotFound
from fazhi.tracking import selectors
from fazhi.tracking.services import item_change_deadline, task_assign
from fazhi.tracking.tests.conftest import MARKET

pytestmark = pytest.mark.django_db


def _ids(box):
    return {i.pk for i in box.items}


def test_agency_sees_its_own_assignment_only(market_assignment, ecology_assignment, users):
    assert _ids(selectors.inbox(user=users["agency"])) == {market_assignment.item_id}
    assert _ids(selectors.inbox(user=users["agency2"])) == {ecology_assignment.item_id}


def test_supervisor_sees_submitted_items_awaiting_acceptance(market_assignment, ecology_assignment, submitted, users):
    box = selectors.inbox(user=users["supervisor"])
    assert _ids(box) == {submitted.item_id}
    assert box.items[0].status == "review"
    assert _ids(selectors.inbox(user=users["agency"])) == set()  # no longer the unit's turn


def test_officer_and_leader_have_no_unit_turn(market_assignment, users):
    assert selectors.inbox(user=users["officer"]).total == 0
    assert selectors.inbox(user=users["leader"]).total == 0


def test_counts_per_colour_and_filters(task, org, users, today):
    from fazhi.workdays.calendar import add_working_days

    units = ["示例市市场监督管理局", "示例市城市管理综合执法局", "示例市住房和城乡建设局", "示例市交通运输局"]
    plan = [add_working_days(today, 10), add_working_days(today, 15), add_working_days(today, 1), today]
    for name, deadline in zip(units, plan, strict=True):
        a = task_assign(by=users["supervisor"], task=task, unit=org[name], deadline=deadline)
        if name == "示例市城市管理综合执法局":
            item_change_deadline(item=a.item, by=None, deadline=today - dt.timedelta(days=2), reason="测试")
    # The supervisor reviews; make the agency-side items show for a user of each unit via a fake unit turn.
    from fazhi.tracking.models import TrackedItem

    TrackedItem.objects.filter(kind="task_assignment").update(status="review", action_unit=org["示例市司法局"])
    box = selectors.inbox(user=users["supervisor"])
    assert box.counts == {"red": 1, "yellow": 2, "green": 1, "paused": 0} and box.total == 4
    lights = [i.light for i in box.items]
    assert lights == ["red", "yellow", "yellow", "green"]  # most urgent first
    assert [i.light for i in selectors.inbox(user=users["supervisor"], light="yellow").items] == ["yellow"] * 2
    assert selectors.inbox(user=users["supervisor"], q="不存在的关键词").total == 0
    assert selectors.inbox(user=users["supervisor"], kind="other_kind").total == 0


def test_item_and_assignment_scope(market_assignment, users):
    assert selectors.item_get(user=users["agency"], pk=market_assignment.item_id)
    assert selectors.item_get(user=users["supervisor"], pk=market_assignment.item_id)
    assert selectors.assignment_get(user=users["leader"], pk=market_assignment.pk)
    with pytest.raises(NotFound):
        selectors.item_get(user=users["agency2"], pk=market_assignment.item_id)
    with pytest.raises(NotFound):
        selectors.assignment_get(user=users["agency2"], pk=market_assignment.pk)
    with pytest.raises(NotFound):
        selectors.assignment_get(user=users["agency"], pk="abc")


def test_task_visibility(task, market_assignment, users):
    assert list(selectors.task_list(user=users["supervisor"])) == [task]
    assert list(selectors.task_list(user=users["agency"])) == [task]
    assert list(selectors.task_list(user=users["agency2"])) == []
    with pytest.raises(NotFound):
        selectors.task_get(user=users["agency2"], pk=task.pk)


def test_supervisor_sees_a_task_before_it_is_split(task, users):
    assert selectors.task_get(user=users["supervisor"], pk=task.pk) == task


def test_board_rows_by_unit(task, market_assignment, ecology_assignment, submitted, users):
    board = selectors.task_board(user=users["supervisor"])
    assert [u.name for u in board.units] == [MARKET, "示例市生态环境局"]
    ((row_task, cells),) = board.rows
    assert row_task == task and [c.status for c in cells] == ["submitted", "assigned"]
    agency_board = selectors.task_board(user=users["agency"])
    assert [u.name for u in agency_board.units] == [MARKET]


def test_assignable_units_are_agencies_and_townships(users):
    kinds = set(selectors.assignable_units(user=users["supervisor"]).values_list("kind", flat=True))
    assert kinds == {"agency", "township"}


def test_assignment_actions(submitted, ecology_assignment, users):
    assert selectors.assignment_actions(user=users["supervisor"], assignment=submitted).can_review
    assert not selectors.assignment_actions(user=users["agency"], assignment=submitted).can_report
    assert selectors.assignment_actions(user=users["agency2"], assignment=ecology_assignment).can_report
    assert not selectors.assignment_actions(user=users["supervisor"], assignment=ecology_assignment).can_review
