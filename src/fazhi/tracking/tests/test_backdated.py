"""The demo's plausible instants (`fazhi.core.clock.backdated`): events take them, still read forward in time on
each timeline, never lie in the future, and stay sealed by the chain like any other event."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core.clock import backdated, office_hours
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.services import item_open, item_record
from fazhi.tracking.tests.conftest import MARKET
from fazhi.tracking.timeline import verify_chains

pytestmark = pytest.mark.django_db


def _open(org, users):
    return item_open(kind="test", title="演示事项", unit=org[MARKET], by=users["supervisor"],
                     start=timezone.localdate(), limit_kind="working", limit_days=5, deadline_source="测试依据")  # fmt: skip


def test_events_take_the_backdated_instant_and_move_forward(org, users):
    filed = office_hours(timezone.localdate() - dt.timedelta(days=40), 3)
    with backdated(filed, step=dt.timedelta(days=1)):
        item = _open(org, users)
        item_record(item=item, by=users["supervisor"], action="note", label="第二步")
        item_record(item=item, by=users["supervisor"], action="note", label="第三步")
    times = list(item.events.order_by("seq").values_list("at", flat=True))
    assert times == [filed, filed + dt.timedelta(days=1), filed + dt.timedelta(days=2)]
    assert 9 <= timezone.localtime(filed).hour < 17
    # Outside the context the clock is real again.
    item_record(item=item, by=users["supervisor"], action="note", label="当前")
    assert item.events.order_by("-seq").first().at > timezone.now() - dt.timedelta(minutes=1)
    assert verify_chains(TrackedItem.objects.filter(pk=item.pk))[2] == []


def test_backdated_never_records_the_future(org, users):
    with backdated(timezone.now() + dt.timedelta(days=3)):
        item = _open(org, users)
    assert item.events.get().at <= timezone.now()
