"""Working-day arithmetic: 1M add_working_days and 1M working_days_between calls (target: ≤ 2 s per 1M adds).

Starts are spread over 2000–2060 (the compiled range, package years and weekends-only years alike) plus a
slice outside it; n is spread over 0–60 working days, the usual statutory limits.
"""

import datetime as dt
import random
import time

CALLS = 1_000_000
TARGET_SECONDS = 2.0


def _inputs(seed: int = 20250930) -> tuple[list[dt.date], list[int], list[dt.date]]:
    rng = random.Random(seed)
    base = dt.date(2000, 1, 1).toordinal()
    span = dt.date(2060, 12, 31).toordinal() - base
    pool = [dt.date.fromordinal(base + rng.randrange(span)) for _ in range(10_000)]
    # 2% outside the compiled range, to keep the closed-form fallback honest.
    pool[:200] = [
        dt.date(1990 + rng.randrange(10), 1 + rng.randrange(12), 1 + rng.randrange(28)) for _ in range(100)
    ] + [dt.date(2061 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)) for _ in range(100)]
    starts = [pool[i % len(pool)] for i in range(CALLS)]
    ns = [rng.randrange(61) for _ in range(CALLS)]
    ends = [s + dt.timedelta(days=rng.randrange(400)) for s in starts[:10_000]] * (CALLS // 10_000)
    return starts, ns, ends


def run() -> dict:
    from fazhi.workdays import calendar

    calendar.reset_cache()
    t0 = time.perf_counter()
    calendar.table()
    compile_seconds = time.perf_counter() - t0

    starts, ns, ends = _inputs()
    add = calendar.add_working_days
    between = calendar.working_days_between

    t0 = time.perf_counter()
    results = [add(d, n) for d, n in zip(starts, ns, strict=True)]
    add_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    counts = [between(a, b) for a, b in zip(starts, ends, strict=True)]
    between_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    for d, n in zip(starts[:100_000], ns[:100_000], strict=True):
        calendar.deadline_working_days(d, n)
    deadline_seconds = time.perf_counter() - t0

    # A cheap correctness check on the timed results, so a fast wrong answer cannot pass.
    assert all(between(d, r) == n for d, n, r in zip(starts[:1000], ns[:1000], results[:1000], strict=True) if n)
    return {
        "add_working_days_1M_seconds": round(add_seconds, 3),
        "working_days_between_1M_seconds": round(between_seconds, 3),
        "deadline_working_days_100k_seconds": round(deadline_seconds, 3),
        "compile_seconds": round(compile_seconds, 3),
        "target_seconds": TARGET_SECONDS,
        "within_target": add_seconds <= TARGET_SECONDS,
        "calls": CALLS,
        "checksum": sum(counts) % 1_000_003,
    }
