"""亮牌 (traffic-light) rule. Pure: the caller passes today and the yellow threshold date.

green: more than N working days left; yellow: N or fewer working days left (N = YELLOW_WORKING_DAYS,
default 2) — i.e. the deadline is on or before the N-th working day after today; red: past the deadline.
A closed item has no light; it keeps whether it closed on time. An item whose every running statutory clock is
paused (中止, fazhi.tracking.clocks) has no colour either: its period does not run.
"""

import datetime as dt

from django.db.models import Case, CharField, Q, Value, When

LIGHTS = {"green": "绿牌", "yellow": "黄牌", "red": "红牌", "paused": "中止计时", "closed": "已办结"}


def light(*, status: str, deadline: dt.date, today: dt.date, yellow_until: dt.date, paused: bool = False) -> str:
    if status == "closed":
        return "closed"
    if paused:
        return "paused"
    if deadline < today:
        return "red"
    if deadline <= yellow_until:
        return "yellow"
    return "green"


def light_expression(*, today: dt.date, yellow_until: dt.date, prefix: str = "") -> Case:
    """The same rule as `light`, as a SQL expression for lists and counts over many items.
    `prefix` reaches the tracked item from another model ("item__")."""
    return Case(
        When(Q(**{f"{prefix}status": "closed"}), then=Value("closed")),
        When(Q(**{f"{prefix}paused": True}), then=Value("paused")),
        When(Q(**{f"{prefix}deadline__lt": today}), then=Value("red")),
        When(Q(**{f"{prefix}deadline__lte": yellow_until}), then=Value("yellow")),
        default=Value("green"),
        output_field=CharField(),
    )


def light_q(*, light: str, today: dt.date, yellow_until: dt.date, prefix: str = "") -> Q:
    """The open items of one colour, as a plain deadline range (so an index on the deadline serves it)."""
    open_q = ~Q(**{f"{prefix}status": "closed"})
    if light == "paused":
        return open_q & Q(**{f"{prefix}paused": True})
    open_q &= Q(**{f"{prefix}paused": False})
    if light == "red":
        return open_q & Q(**{f"{prefix}deadline__lt": today})
    if light == "yellow":
        return open_q & Q(**{f"{prefix}deadline__gte": today, f"{prefix}deadline__lte": yellow_until})
    if light == "green":
        return open_q & Q(**{f"{prefix}deadline__gt": yellow_until})
    if light == "closed":
        return Q(**{f"{prefix}status": "closed"})
    return Q()


def closed_on_time(*, closed_on: dt.date, deadline: dt.date) -> bool:
    return closed_on <= deadline
