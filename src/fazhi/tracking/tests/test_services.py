import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import DomainError, Forbidden
from fazhi.tracking.models import SupervisionTask, TrackedItem
from fazhi.tracking.services import (
    assignment_accept,
    assignment_report,
    assignment_return,
    item_change_deadline,
    item_close,
    item_open,
    item_record,
    task_assign,
    task_create,
)
from fazhi.tracking.tests.conftest import ECOLOGY, MARKET
from fazhi.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- generic item


def test_item_open_from_working_days_cites_its_source(org, users):
    start = dt.date(2025, 9, 29)  # Monday before the National Day holiday
    item = item_open(
        kind="test",
        title="答复投诉",
        unit=org[MARKET],
        by=users["supervisor"],
        start=start,
        limit_kind="working",
        limit_days=5,
        deadline_source="《信访工作条例》第三十二条",
    )
    assert item.deadline == add_working_days(start, 5)
    assert item.deadline > dt.date(2025, 10, 8)  # the holiday week does not count
    assert item.deadline_source == "《信访工作条例》第三十二条"
    assert item.action_unit == org[MARKET]
    e = item.events.get()
    assert (e.seq, e.action, e.prev_hash) == (1, "created", "")
    assert item.event_count == 1 and item.last_hash == e.hash


@pytest.mark.parametrize("source", ["", "   "])
def test_item_open_requires_a_source(org, users, source):
    with pytest.raises(DomainError) as exc:
        item_open(
            kind="test",
            title="x",
            unit=org[MARKET],
            by=None,
            start=dt.date(2025, 3, 3),
            limit_kind="working",
            limit_days=5,
            deadline_source=source,
        )
    assert exc.value.field == "deadline_source"
    assert not TrackedItem.objects.filter(kind="test").exists()


def test_item_open_rejects_bad_limits(org):
    base = dict(kind="test", title="x", unit=org[MARKET], by=None, start=dt.date(2025, 3, 3), deadline_source="依据")
    with pytest.raises(DomainError) as exc:
        item_open(**base, limit_kind="working", limit_days=0)
    assert exc.value.field == "limit_days"
    with pytest.raises(DomainError) as exc:
        item_open(**base, limit_kind="fixed", deadline=None)
    assert exc.value.field == "deadline"
    with pytest.raises(DomainError) as exc:
        item_open(**base, limit_kind="fixed", deadline=dt.date(2025, 3, 1))
    assert exc.value.field == "deadline"


def test_item_record_and_close_chain_events(org, users, today):
    item = item_open(
        kind="test",
        title="x",
        unit=org[MARKET],
        by=None,
        start=today,
        deadline_source="依据",
        deadline=today + dt.timedelta(days=3),
    )
    item_record(
        item=item,
        by=users["agency"],
        action="note",
        label="办理",
        comment="已受理",
        status="review",
        action_unit=org["示例市司法局"],
    )
    item.refresh_from_db()
    assert item.status == "review" and item.action_unit == org["示例市司法局"]
    item = item_close(item=item, by=users["supervisor"], comment="办结")
    assert item.status == "closed" and item.closed_on_time is True
    events = list(item.events.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    with pytest.raises(DomainError):
        item_record(item=item, by=None, action="note", label="办理")
    with pytest.raises(DomainError):
        item_close(item=item, by=None)


def test_item_closed_late_keeps_that(org, today):
    item = item_open(
        kind="test",
        title="x",
        unit=org[MARKET],
        by=None,
        start=today - dt.timedelta(days=10),
        deadline_source="依据",
        deadline=today - dt.timedelta(days=1),
    )
    assert item_close(item=item, by=None).closed_on_time is False


def test_change_deadline_needs_reason(org, today):
    item = item_open(
        kind="test",
        title="x",
        unit=org[MARKET],
        by=None,
        start=today,
        deadline_source="依据",
        deadline=today + dt.timedelta(days=3),
    )
    with pytest.raises(DomainError) as exc:
        item_change_deadline(item=item, by=None, deadline=today + dt.timedelta(days=9), reason=" ")
    assert exc.value.field == "reason"
    item = item_change_deadline(item=item, by=None, deadline=today + dt.timedelta(days=9), reason="延期批准")
    assert item.deadline == today + dt.timedelta(days=9)
    assert item.events.last().data == {
        "from": (today + dt.timedelta(days=3)).isoformat(),
        "to": (today + dt.timedelta(days=9)).isoformat(),
    }


# ---------------------------------------------------------------- 督导任务


def test_task_create_and_assign(task, market_assignment, org, users):
    assert task.owner_unit == org["示例市司法局"] and task.status == "active"
    a = market_assignment
    assert a.status == "assigned" and a.progress == 0
    assert a.item.kind == "task_assignment" and a.item.unit == org[MARKET]
    assert a.item.url == f"/tasks/assignments/{a.pk}/"
    assert "督导任务分解期限" in a.item.deadline_source


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"title": " "}, "title"),
        ({"basis": ""}, "basis"),
        ({"deadline": None}, "deadline"),
        ({"deadline": dt.date(2000, 1, 1)}, "deadline"),
    ],
)
def test_task_create_bad_input(users, today, kwargs, field):
    data = {"title": "任务", "basis": "依据", "deadline": today + dt.timedelta(days=30), **kwargs}
    with pytest.raises(DomainError) as exc:
        task_create(by=users["supervisor"], **data)
    assert exc.value.field == field
    assert not SupervisionTask.objects.exists()


def test_task_create_needs_permission(users, today):
    with pytest.raises(Forbidden):
        task_create(by=users["agency"], title="任务", basis="依据", deadline=today + dt.timedelta(days=30))


def test_split_deadline_after_task_deadline(task, org, users):
    with pytest.raises(DomainError) as exc:
        task_assign(by=users["supervisor"], task=task, unit=org[MARKET], deadline=task.deadline + dt.timedelta(days=1))
    assert exc.value.field == "deadline" and "总体期限" in exc.value.message


def test_split_deadline_in_the_past(task, org, users, today):
    with pytest.raises(DomainError) as exc:
        task_assign(by=users["supervisor"], task=task, unit=org[MARKET], deadline=today - dt.timedelta(days=1))
    assert exc.value.field == "deadline"


def test_task_dates_are_judged_against_the_day_given(org, users):
    """`today=` decides what "in the past" means, so the same call gives the same answer on any day."""
    day = dt.date(2025, 3, 3)  # a Monday
    task = task_create(
        by=users["supervisor"], title="任务", basis="依据", deadline=day + dt.timedelta(days=30), today=day
    )
    with pytest.raises(DomainError) as exc:
        task_assign(by=users["supervisor"], task=task, unit=org[MARKET], deadline=day - dt.timedelta(days=1), today=day)
    assert exc.value.field == "deadline" and "早于今天" in exc.value.message
    a = task_assign(by=users["supervisor"], task=task, unit=org[MARKET], deadline=day + dt.timedelta(days=7), today=day)
    assert a.item.start_date == day and a.item.deadline == day + dt.timedelta(days=7)


def test_split_duplicate_unit(task, market_assignment, org, users, today):
    with pytest.raises(DomainError) as exc:
        task_assign(by=users["supervisor"], task=task, unit=org[MARKET], deadline=today + dt.timedelta(days=5))
    assert exc.value.field == "unit" and "已分解" in exc.value.message
    assert task.assignments.count() == 1


def test_split_needs_permission(task, org, users, today):
    with pytest.raises(Forbidden):
        task_assign(by=users["agency"], task=task, unit=org[ECOLOGY], deadline=today + dt.timedelta(days=5))


def test_report_progress_then_submit_then_accept(market_assignment, ecology_assignment, users):
    a = assignment_report(by=users["agency"], assignment=market_assignment, progress=40, text="已部署")
    assert (a.status, a.progress) == ("in_progress", 40)
    a = assignment_report(by=users["agency"], assignment=a, progress=100, text="已完成", submit=True)
    assert a.status == "submitted"
    a.item.refresh_from_db()
    assert a.item.status == "review" and a.item.action_unit == a.task.owner_unit
    a = assignment_accept(by=users["supervisor"], assignment=a, comment="合格")
    a.item.refresh_from_db()
    assert a.status == "accepted" and a.item.status == "closed" and a.item.closed_on_time is True
    assert a.task.status == "active"  # the ecology bureau's share is still open
    assert [e.action for e in a.item.events.order_by("seq")] == ["created", "progress", "submitted", "closed"]


def test_task_done_when_every_share_accepted(submitted, users):
    assignment_accept(by=users["supervisor"], assignment=submitted)
    submitted.task.refresh_from_db()
    assert submitted.task.status == "done"


def test_report_with_attachment_stores_sm3(market_assignment, users):
    upload = SimpleUploadedFile("自查报告.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    a = assignment_report(by=users["agency"], assignment=market_assignment, progress=30, text="见附件", files=[upload])
    event = a.item.events.order_by("seq").last()
    (att,) = event.attachments.all()
    import hashlib

    assert att.sm3 == hashlib.new("sm3", b"%PDF-1.4 test").hexdigest()
    assert att.size == 13 and att.name == "自查报告.pdf"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("evil.html", b"<script>", "类型不允许"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_report_rejects_bad_attachments(market_assignment, users, name, content, message):
    with pytest.raises(DomainError) as exc:
        assignment_report(
            by=users["agency"],
            assignment=market_assignment,
            progress=30,
            text="见附件",
            files=[SimpleUploadedFile(name, content)],
        )
    assert message in exc.value.message and exc.value.field == "attachments"
    market_assignment.refresh_from_db()
    assert market_assignment.progress == 0


def test_attachment_size_limit():
    from fazhi.core.attachments import MAX_SIZE, attachment_check

    with pytest.raises(DomainError, match="20 MB"):
        attachment_check(name="big.zip", size=MAX_SIZE + 1)
    assert attachment_check(name="ok.ZIP", size=MAX_SIZE) == "zip"


@pytest.mark.parametrize("progress", [-1, 101, "50", None, True])
def test_report_progress_out_of_range(market_assignment, users, progress):
    with pytest.raises(DomainError) as exc:
        assignment_report(by=users["agency"], assignment=market_assignment, progress=progress, text="x")
    assert exc.value.field == "progress"


def test_report_progress_cannot_decrease(market_assignment, users):
    assignment_report(by=users["agency"], assignment=market_assignment, progress=60, text="x")
    with pytest.raises(DomainError) as exc:
        assignment_report(by=users["agency"], assignment=market_assignment, progress=50, text="y")
    assert exc.value.field == "progress" and "60%" in exc.value.message


def test_report_needs_text(market_assignment, users):
    with pytest.raises(DomainError) as exc:
        assignment_report(by=users["agency"], assignment=market_assignment, progress=10, text="  ")
    assert exc.value.field == "text"


def test_submit_below_100(market_assignment, users):
    with pytest.raises(DomainError) as exc:
        assignment_report(by=users["agency"], assignment=market_assignment, progress=90, text="x", submit=True)
    assert exc.value.field == "progress" and "100%" in exc.value.message


def test_report_for_another_unit(market_assignment, users):
    with pytest.raises(Forbidden):
        assignment_report(by=users["agency2"], assignment=market_assignment, progress=10, text="x")
    with pytest.raises(Forbidden):  # the supervisor has no task.report
        assignment_report(by=users["supervisor"], assignment=market_assignment, progress=10, text="x")


def test_no_report_after_submit(submitted, users):
    with pytest.raises(DomainError) as exc:
        assignment_report(by=users["agency"], assignment=submitted, progress=100, text="x")
    assert exc.value.field == "status"


def test_accept_something_not_submitted(market_assignment, users):
    with pytest.raises(DomainError) as exc:
        assignment_accept(by=users["supervisor"], assignment=market_assignment)
    assert exc.value.field == "status"
    with pytest.raises(DomainError):
        assignment_return(by=users["supervisor"], assignment=market_assignment, reason="材料不全")


def test_accept_needs_permission(submitted, users):
    with pytest.raises(Forbidden):
        assignment_accept(by=users["agency"], assignment=submitted)


def test_return_without_reason(submitted, users):
    with pytest.raises(DomainError) as exc:
        assignment_return(by=users["supervisor"], assignment=submitted, reason="  ")
    assert exc.value.field == "reason"
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_return_then_report_again(submitted, users, org):
    a = assignment_return(by=users["supervisor"], assignment=submitted, reason="缺少整改清单")
    a.item.refresh_from_db()
    assert a.status == "returned" and a.item.status == "returned" and a.item.action_unit == org[MARKET]
    assert a.item.events.order_by("seq").last().comment == "缺少整改清单"
    a = assignment_report(by=users["agency"], assignment=a, progress=100, text="已补充", submit=True)
    assert a.status == "submitted"
