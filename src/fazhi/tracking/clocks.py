"""Statutory clocks: the deadline of a period as a pure function of its rule, its start, its events and the
working-day calendar (fazhi.workdays.calendar). No database, no clock of the machine.

How the law counts (《民事诉讼法》(2023) 第八十五条, applied by 《行政诉讼法》第一百零一条 and 《行政复议法》第八十八条):
- the first day is not counted: a period of N days that starts on day d ends N days after d;
- working days ("三日、五日、七日、十日" of the 复议法, the 二日 … 七日 of the 处罚法): the N-th working day after d;
- natural days and months: d + N days (or the same day N months on, the month's last day when it has no such
  day); when that last day is a rest day (法定休假日, weekends included) the period ends on the first working
  day after it.

Events:
- pause (中止, a third party consulted …) on day p and resume on day r: the days in (p, r] do not count, so a
  working-day deadline moves by exactly the working days in (p, r], a natural-day one by r − p days;
- restart (补正 received: 重新计算): the period starts again from the restart day as a fresh clock, pauses and
  extensions before it forgotten;
- extend (延期) by n units of the rule, never past the rule's cap in total;
- switch to another rule (简易程序 → 普通程序): same start, the new rule from then on, pauses and extensions kept;
- stop: the duty was done (or the period no longer runs) on that day; the clock is closed.
"""

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass, field, replace

from fazhi.workdays import calendar as workdays

UNITS = {"working": "个工作日", "calendar": "日", "months": "个月"}
EVENT_KINDS = {
    "pause": "中止计时",
    "resume": "恢复计时",
    "restart": "重新计算",
    "extend": "延长期限",
    "switch": "变更期限规则",
    "stop": "停止计时",
}


class ClockError(ValueError):
    """An event the clock cannot take at that point; the message is Chinese, `field` names the input."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ClockRule:
    unit: str  # "working" | "calendar" | "months"
    length: int
    basis: str  # the citation of the period, e.g. 《行政复议法》第三十条
    extension_cap: int = 0  # most units of the rule all extensions together may add; 0: not extendable

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ClockError(f"期限单位“{self.unit}”无效", field="unit")
        if not isinstance(self.length, int) or self.length < 1:
            raise ClockError("期限长度应为正整数", field="length")
        if not isinstance(self.extension_cap, int) or self.extension_cap < 0:
            raise ClockError("延长上限不能为负数", field="extension_cap")
        if not (self.basis or "").strip():
            raise ClockError("期限须注明法律依据", field="basis")

    @property
    def text(self) -> str:
        return f"{self.length}{UNITS[self.unit]}"


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    on: dt.date
    amount: int = 0  # units of the rule, for "extend"
    rule: ClockRule | None = None  # the new rule, for "switch"


@dataclass(frozen=True)
class ClockState:
    rule: ClockRule
    start: dt.date
    paused_units: int = 0  # working days (working rule) or natural days (calendar, months) not counted
    extended: int = 0  # units of the rule added by extensions
    paused_since: dt.date | None = None
    stopped_on: dt.date | None = None
    last_on: dt.date | None = None  # the day of the latest event (events run forward in time)
    events: tuple = field(default=(), repr=False)

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    @property
    def open(self) -> bool:
        return self.stopped_on is None

    @property
    def nominal(self) -> dt.date:
        """The last day before the rest-day roll-forward (equal to the deadline for working days)."""
        rule = self.rule
        if rule.unit == "working":
            return workdays.add_working_days(self.start, rule.length + self.extended + self.paused_units)
        if rule.unit == "calendar":
            return self.start + dt.timedelta(days=rule.length + self.extended + self.paused_units)
        return add_months(self.start, rule.length + self.extended) + dt.timedelta(days=self.paused_units)

    @property
    def deadline(self) -> dt.date:
        """The last day of the period. While paused, the deadline as it stands before the pause ends (the days
        of the running pause are added on resume)."""
        nominal = self.nominal
        return nominal if self.rule.unit == "working" else workdays.next_working_day(nominal)

    @property
    def extension_left(self) -> int:
        return self.rule.extension_cap - self.extended


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when that month is shorter (1月31日 + 1 → 2月28/29日)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def clock_start(rule: ClockRule, start: dt.date) -> ClockState:
    return ClockState(rule=rule, start=start, last_on=start)


def clock_apply(state: ClockState, event: ClockEvent) -> ClockState:
    """The clock after one more event, or ClockError when the event cannot happen at that point."""
    if not isinstance(event.on, dt.date):
        raise ClockError("事件日期不能为空", field="on")
    if event.kind not in EVENT_KINDS:
        raise ClockError(f"计时事件“{event.kind}”无效", field="kind")
    if not state.open:
        raise ClockError(f"该期限已于{state.stopped_on:%Y年%-m月%-d日}停止计时", field="kind")
    if state.last_on is not None and event.on < state.last_on:
        raise ClockError(f"事件日期不能早于上一事件（{state.last_on:%Y年%-m月%-d日}）", field="on")
    kind, on = event.kind, event.on
    if state.paused and kind not in ("resume", "restart", "stop"):
        raise ClockError("期限已中止，请先恢复计时", field="kind")
    state = replace(state, last_on=on, events=(*state.events, event))
    if kind == "pause":
        return replace(state, paused_since=on)
    if kind == "resume":
        if not state.paused:
            raise ClockError("期限未中止，无需恢复", field="kind")
        return replace(
            state,
            paused_units=state.paused_units + _paused_between(state.rule, state.paused_since, on),
            paused_since=None,
        )
    if kind == "restart":
        # 重新计算: a fresh period from the restart day; what happened before no longer counts.
        return replace(state, start=on, paused_units=0, extended=0, paused_since=None)
    if kind == "extend":
        if not isinstance(event.amount, int) or event.amount < 1:
            raise ClockError("延长的期限应为正整数", field="days")
        if state.rule.extension_cap == 0:
            raise ClockError(f"该期限不得延长（{state.rule.basis}）", field="days")
        if event.amount > state.extension_left:
            unit = UNITS[state.rule.unit]
            raise ClockError(
                f"延长不得超过{state.rule.extension_cap}{unit}（{state.rule.basis}），"
                f"已延长{state.extended}{unit}，最多还可延长{state.extension_left}{unit}",
                field="days",
            )
        return replace(state, extended=state.extended + event.amount)
    if kind == "switch":
        if event.rule is None:
            raise ClockError("请指定新的期限规则", field="rule")
        if event.rule.unit != state.rule.unit and state.paused_units:
            # Paused time is counted in the old rule's unit; a change of unit would misread it.
            raise ClockError("已有中止期间的期限不能改为另一种计算单位", field="rule")
        if state.extended > event.rule.extension_cap:
            raise ClockError("已延长的期限超过新规则允许的上限", field="rule")
        return replace(state, rule=event.rule)
    # stop: a running pause ends with it
    if state.paused:
        state = replace(
            state,
            paused_units=state.paused_units + _paused_between(state.rule, state.paused_since, on),
            paused_since=None,
        )
    return replace(state, stopped_on=on)


def _paused_between(rule: ClockRule, since: dt.date, until: dt.date) -> int:
    if rule.unit == "working":
        return workdays.working_days_between(since, until)
    return (until - since).days


def clock_state(rule: ClockRule, start: dt.date, events=()) -> ClockState:
    """Fold the events (in the order given: the order they happened) over a fresh clock."""
    state = clock_start(rule, start)
    for event in events:
        state = clock_apply(state, event)
    return state
