"""The instant that timelines record. Always `timezone.now()`, except inside `backdated(...)`, which only the demo
builder uses: a demo built in one second would otherwise show every event of a 150-day-old case at the same
minute. Nothing else may backdate: the timeline's hash covers the instant, so the demo's times are sealed as built.
"""

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_backdated: ContextVar[tuple[dt.datetime, dt.timedelta] | None] = ContextVar("fazhi_backdated", default=None)
STEP = dt.timedelta(minutes=7)


def now() -> dt.datetime:
    value = _backdated.get()
    return value[0] if value else timezone.now()


def next_after(last: dt.datetime) -> dt.datetime:
    """Inside `backdated`: the instant of an event that follows `last` on the same timeline (never after now)."""
    value = _backdated.get()
    return min(last + (value[1] if value else STEP), timezone.now())


def is_backdated() -> bool:
    return _backdated.get() is not None


@contextmanager
def backdated(when: dt.datetime | None, *, step: dt.timedelta = STEP):
    """Events recorded inside take `when` (capped at now); a later event on the same timeline `step` after the
    one before it, so that a chain of steps reads like days of work."""
    token = _backdated.set((min(when, timezone.now()), step) if when else None)
    try:
        yield
    finally:
        _backdated.reset(token)


def office_hours(day: dt.date, n: int = 0) -> dt.datetime:
    """A plausible working-hours instant on `day` (09:00–16:59, spread by `n`), in the local time zone."""
    minutes = 9 * 60 + (n * 97) % (8 * 60)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))
