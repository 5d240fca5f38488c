"""Counters other apps feed into this one (arrows point down: the disputes app registers, this app never imports it).

The annual information-disclosure report counts the reconsiderations and suits about disclosure (《政府信息公开条例》
第五十条第三项), which live in the disputes app. It registers one function:

    from fazhi.requests.registry import register_disclosure_dispute_counter

    def count(unit_ids: list[int], year: int) -> dict[int, dict[str, int]]:
        return {unit_id: {"reconsiderations": n, "suits": m}, ...}

    register_disclosure_dispute_counter(count)          # from the disputes app's ready()

With none registered the report shows those columns as "—" (unknown), never as 0.
"""

from collections.abc import Callable

DisputeCounter = Callable[[list[int], int], dict[int, dict[str, int]]]
_COUNTERS: list[DisputeCounter] = []
KEYS = ("reconsiderations", "suits")


def register_disclosure_dispute_counter(fn: DisputeCounter) -> None:
    if fn not in _COUNTERS:
        _COUNTERS.append(fn)


def unregister_disclosure_dispute_counter(fn: DisputeCounter) -> None:
    if fn in _COUNTERS:
        _COUNTERS.remove(fn)


def dispute_counts(unit_ids: list[int], year: int) -> dict[int, dict[str, int]] | None:
    """Reconsiderations and suits about disclosure per unit in `year`, summed over every registered counter;
    None when no counter is registered (the figures are unavailable, not zero)."""
    if not _COUNTERS:
        return None
    totals = {unit_id: dict.fromkeys(KEYS, 0) for unit_id in unit_ids}
    for fn in _COUNTERS:
        for unit_id, counts in (fn(list(unit_ids), year) or {}).items():
            if unit_id in totals:
                for key in KEYS:
                    totals[unit_id][key] += int((counts or {}).get(key, 0) or 0)
    return totals
