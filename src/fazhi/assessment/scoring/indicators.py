"""The registry of computed indicators (计算指标): each a function over the platform's own data that gives, for
every unit at once, a pair (numerator, denominator) for a period, and the records behind one unit's figure.

Other modules register theirs with `register(Source(...))` from their ready(); the built-in ones read each domain
app through its selectors (`sources.py`). A source whose module is not installed (or lacks the selector) is
listed as unavailable and its indicators are not scored, never scored zero."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    area: str  # the module it reads, for people: 投诉举报, 行政执法案件, …
    module: str  # the selectors module it needs
    selector: str  # the function of that module it needs
    counts: Callable  # (start, end, memo) -> {unit_id: (numerator, denominator)} by the unit owning the records
    records: Callable | None = None  # (unit_ids, start, end) -> [Evidence]
    kind: str = "rate"  # rate: numerator / denominator in %; mean: numerator / denominator as is
    unit: str = "%"
    higher_is_better: bool = True
    description: str = ""


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.key] = source


def source_available(key: str) -> bool:
    """The source is registered and its module (with the selector) can be imported."""
    source = SOURCES.get(key)
    if source is None:
        return False
    try:
        module = import_module(source.module)
    except ImportError:
        return False
    return callable(getattr(module, source.selector, None))


def known_sources() -> set[str]:
    return set(SOURCES)


def catalogue() -> list[dict]:
    return [
        {
            "key": s.key,
            "label": s.label,
            "area": s.area,
            "unit": s.unit,
            "kind": s.kind,
            "higher_is_better": s.higher_is_better,
            "available": source_available(s.key),
            "description": s.description,
        }
        for s in SOURCES.values()
    ]


def value_of(source: Source, pair: tuple | None) -> Decimal | None:
    """The figure of a (numerator, denominator) pair: None when there is nothing to measure."""
    if not pair or not pair[1]:
        return None
    num, den = Decimal(str(pair[0])), Decimal(str(pair[1]))
    figure = num * 100 / den if source.kind == "rate" else num / den
    return figure.quantize(Decimal("0.01"))


def roll_up(per_unit: dict[int, tuple], *, paths: dict[int, str], assessed: set[int]) -> dict[int, tuple]:
    """Sum the pairs of every unit into each assessed unit it belongs to (itself or an ancestor): a district
    government answers for its departments and townships, a city department for its branches."""
    out: dict[int, list] = {}
    for uid, (num, den) in per_unit.items():
        path = paths.get(uid)
        if not path:
            continue
        for part in path.strip("/").split("/"):
            owner = int(part)
            if owner in assessed:
                acc = out.setdefault(owner, [0, 0])
                acc[0] += num
                acc[1] += den
    return {uid: (acc[0], acc[1]) for uid, acc in out.items()}


def compute(
    keys: list[str], *, assessed: set[int], paths: dict[int, str], start: dt.date, end: dt.date
) -> dict[str, dict[int, tuple] | None]:
    """Every requested source for every assessed unit in one pass (None: the source is unavailable)."""
    memo: dict = {"unit_ids": list(paths)}
    out: dict[str, dict[int, tuple] | None] = {}
    for key in keys:
        if not source_available(key):
            out[key] = None
            continue
        out[key] = roll_up(SOURCES[key].counts(start, end, memo), paths=paths, assessed=assessed)
    return out


def records(key: str, *, unit_ids, start: dt.date, end: dt.date) -> list[Evidence] | None:
    source = SOURCES.get(key)
    if source is None or source.records is None or not source_available(key):
        return None
    return source.records(list(unit_ids), start, end)
