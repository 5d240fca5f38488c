"""What an invited supervisor (特邀行政执法监督员) has been given to do and has done, gathered from every area.

The supervisors area owns the invited supervisor and shows his own page and activity ledger; other areas (case-file
reviews, inspections joined …) register a source here from their `setup.setup()`, so the supervisors area never
imports them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DutyRow:
    title: str
    url: str
    status: str  # Chinese: "待评查", "已提交"
    due: dt.date | None = None
    done: bool = False


@dataclass(frozen=True)
class DutySource:
    code: str
    label: str  # "案卷评查"
    # rows(user) -> the user's assignments from this source, open ones first (his own page)
    rows: Callable[[object], list[DutyRow]]
    # done_counts(user_ids, date_from, date_to) -> {user_id: number done in the period} (the activity ledger)
    done_counts: Callable[[list[int], dt.date, dt.date], dict[int, int]]


DUTY_SOURCES: dict[str, DutySource] = {}


def register_duty_source(source: DutySource) -> DutySource:
    DUTY_SOURCES[source.code] = source
    return source
