import datetime as dt

import pytest
from django.core import mail

from fazhi.core.models import Notification
from fazhi.tracking.reminders import scan_deadlines
from fazhi.tracking.services import assignment_accept, item_change_deadline, task_assign
from fazhi.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 3)  # a Monday; every deadline below is relative to it


@pytest.fixture
def items(task, org, users, today):
    """Market bureau: yellow on TODAY; ecology bureau: red on TODAY; city management: green."""
    market = task_assign(
        by=users["supervisor"], task=task, unit=org["示例市市场监督管理局"], deadline=today + dt.timedelta(days=5)
    )
    ecology = task_assign(
        by=users["supervisor"], task=task, unit=org["示例市生态环境局"], deadline=today + dt.timedelta(days=5)
    )
    green = task_assign(
        by=users["supervisor"], task=task, unit=org["示例市城市管理综合执法局"], deadline=today + dt.timedelta(days=5)
    )
    item_change_deadline(item=market.item, by=None, deadline=add_working_days(TODAY, 1), reason="测试")
    item_change_deadline(item=ecology.item, by=None, deadline=TODAY - dt.timedelta(days=1), reason="测试")
    item_change_deadline(item=green.item, by=None, deadline=add_working_days(TODAY, 10), reason="测试")
    return {"market": market, "ecology": ecology, "green": green}


def _to(user):
    return list(Notification.objects.filter(recipient=user).values_list("level", "dedup_key"))


def test_yellow_notifies_the_action_unit(items, users):
    sent = scan_deadlines(today=TODAY)
    assert sent == {"yellow": 1, "red": 2}
    ((level, key),) = _to(users["agency"])
    assert level == "yellow" and key.startswith(f"item:{items['market'].item_id}:yellow:")
    n = Notification.objects.get(recipient=users["agency"])
    assert "黄牌" in n.title and n.url == f"/tasks/assignments/{items['market'].pk}/"


def test_red_also_notifies_the_supervising_unit(items, users):
    scan_deadlines(today=TODAY)
    assert [lvl for lvl, _ in _to(users["agency2"])] == ["red"]
    # The Justice Bureau supervises the agencies: its reviewers (task.manage) hear of the red item.
    assert [lvl for lvl, _ in _to(users["supervisor"])] == ["red"]
    # Users without the kind's permission hear nothing.
    assert _to(users["officer"]) == [] and _to(users["admin"]) == [] and _to(users["monitor"]) == []


def test_rerun_notifies_nothing_new(items):
    scan_deadlines(today=TODAY)
    count = Notification.objects.count()
    assert scan_deadlines(today=TODAY) == {"yellow": 0, "red": 0}
    assert Notification.objects.count() == count


def test_yellow_then_red_is_a_new_notice(items, users):
    scan_deadlines(today=TODAY)
    scan_deadlines(today=add_working_days(TODAY, 2))
    assert sorted(lvl for lvl, _ in _to(users["agency"])) == ["red", "yellow"]


def test_moved_deadline_notifies_again(items, users):
    scan_deadlines(today=TODAY)
    market = items["market"]
    item_change_deadline(item=market.item, by=None, deadline=TODAY, reason="提前")
    assert scan_deadlines(today=TODAY)["yellow"] == 1
    assert len(_to(users["agency"])) == 2


def test_closed_items_are_not_reminded(items, users):
    from fazhi.tracking.services import assignment_report

    a = assignment_report(by=users["agency"], assignment=items["market"], progress=100, text="完成", submit=True)
    assignment_accept(by=users["supervisor"], assignment=a)
    scan_deadlines(today=TODAY)
    assert _to(users["agency"]) == []


def test_review_items_remind_the_reviewer(items, users):
    from fazhi.tracking.services import assignment_report

    assignment_report(by=users["agency"], assignment=items["market"], progress=100, text="完成", submit=True)
    scan_deadlines(today=TODAY)
    keys = [k for _, k in _to(users["supervisor"])]
    assert any(k.startswith(f"item:{items['market'].item_id}:yellow") for k in keys)


def test_email_sent_when_smtp_configured(items, users, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.FAZHI = {**settings.FAZHI, "EMAIL_ENABLED": True}
    users["agency"].email = "agency@example.cn"
    users["agency"].save(update_fields=["email"])
    mail.outbox.clear()
    scan_deadlines(today=TODAY)
    assert [m.to for m in mail.outbox] == [["agency@example.cn"]]
    assert "黄牌" in mail.outbox[0].subject
    assert Notification.objects.get(recipient=users["agency"]).emailed_at is not None
    scan_deadlines(today=TODAY)
    assert len(mail.outbox) == 1  # never twice


def test_no_email_without_smtp(items, users, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.FAZHI = {**settings.FAZHI, "EMAIL_ENABLED": False}
    users["agency"].email = "agency@example.cn"
    users["agency"].save(update_fields=["email"])
    mail.outbox.clear()
    scan_deadlines(today=TODAY)
    assert mail.outbox == []


def test_background_task_runs_the_scan(items):
    from fazhi.tracking.tasks import scan_deadlines_task

    result = scan_deadlines_task.call()
    assert set(result) == {"yellow", "red"}
