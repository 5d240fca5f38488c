"""争议化解 at province scale (PostgreSQL).

1. Correction-rate statistics over 200,000 reconsiderations (three years, every agency of the demo organisation,
   ~40 % decided, a fifth of those corrected) with 20,000 suits and 4,000 suggestions: `dispute_stats` by agency,
   by division and by year, for one year and for all years, max of 5 runs each (target ≤ 300 ms). The cases are
   bulk-loaded, so their count rows (ReconsiderationTally, which the services keep step by step) are rebuilt once
   by `reconsideration_tallies_rebuild` (timed). Floor in the same run: `SELECT count(*)` over the
   reconsideration table (the least any statistic counted from the cases costs). The same statistics counted
   live from the cases (the 本人 scope's path) are timed too, for comparison.
2. Recomputing 100,000 open statutory clocks after a calendar change (target ≤ 30 s): 50,000 tracked items with
   two working-day clocks each (受理审查 5 working days; 被申请人答复 10 working days, a third of them paused and
   resumed), starting in the last week of March 2055 (no official schedule: fazhi.workdays.tests.UNSCHEDULED_YEAR);
   a week of new holidays (1–7 April) is entered and `clocks_recompute` refolds them all — the worst case: nearly
   every clock moves, and every moved deadline is an event on its item's SM3 chain. Floor in the same run: reading
   every open clock's columns and events and one set-based UPDATE touching every open clock (what any recompute
   must at least do). The bench's items are rebuilt on every run; a sample of their chains is verified after.
"""

import datetime as dt
import random
import statistics
import time

N_RECONSIDERATIONS = 200_000
N_ITEMS = 50_000  # two clocks each
YEARS = (2024, 2025, 2026)
BENCH_CODE = "BENCH"
BENCH_KIND = "bench_reconsideration"
UNSCHEDULED = 2055
RUNS = 5


def _agencies() -> list:
    from fazhi.core.demo.build import build_org, build_users
    from fazhi.core.models import Unit
    from fazhi.registry.models import Agency

    build_org()
    build_users()
    for unit in Unit.objects.filter(kind="agency"):
        Agency.objects.get_or_create(unit=unit)
    return list(Agency.objects.select_related("unit"))


def _build_reconsiderations(agencies) -> int:
    from fazhi.core.bulk import bulk_insert
    from fazhi.core.models import Unit
    from fazhi.disputes.models import Litigation, Reconsideration, Suggestion
    from fazhi.disputes.rules import CORRECTING

    have = Reconsideration.objects.filter(tracking_code__startswith=BENCH_CODE).count()
    if have >= N_RECONSIDERATIONS:
        return 0
    rng = random.Random(20261207)
    justice = Unit.objects.get(name="示例市司法局")
    outcomes = ["upheld"] * 45 + ["rejected"] * 10 + ["annulled"] * 12 + ["varied"] * 6 + ["unlawful"] * 3
    outcomes += ["perform"] * 2 + ["void"] * 1 + ["mediated"] * 8 + ["withdrawn"] * 10 + ["dismissed"] * 3
    rows = []
    for i in range(have, N_RECONSIDERATIONS):
        agency = agencies[i % len(agencies)]
        received = dt.date(rng.choice(YEARS), 1, 1) + dt.timedelta(days=rng.randint(0, 360))
        decided = rng.random() < 0.4
        outcome = rng.choice(outcomes) if decided else ""
        decided_on = received + dt.timedelta(days=rng.randint(20, 95)) if decided else None
        rows.append(
            {
                "tracking_code": f"{BENCH_CODE}{i:09d}",
                "channel": "window",
                "status": ("terminated" if outcome == "withdrawn" else "decided") if decided else "accepted",
                "procedure": "ordinary",
                "body_unit_id": justice.pk,
                "respondent_id": agency.pk,
                "respondent_unit_id": agency.unit_id,
                "division_id": agency.unit.division_id,
                "applicant_kind": "person",
                "applicant_name": "基准申请人",
                "act": "罚款的行政处罚决定",
                "known_on": received - dt.timedelta(days=20),
                "submitted_on": received,
                "received_on": received,
                "accepted_on": received + dt.timedelta(days=5),
                "decided_on": decided_on,
                "outcome": outcome,
                "corrected": outcome in CORRECTING,
                "on_time": (decided_on - received).days <= 70 if decided else None,
            }
        )
        if len(rows) == 20_000:
            bulk_insert(Reconsideration, rows)
            rows = []
    if rows:
        bulk_insert(Reconsideration, rows)
    # Suits and suggestions at a tenth and a fiftieth of that (their own tables are grouped alongside).
    lit_rows, sug_rows = [], []
    for i in range(N_RECONSIDERATIONS // 10):
        agency = agencies[i % len(agencies)]
        filed = dt.date(rng.choice(YEARS), 1, 1) + dt.timedelta(days=rng.randint(0, 360))
        judged = rng.random() < 0.6
        lit_rows.append(
            {
                "court": "示例市中级人民法院",
                "case_number": f"{BENCH_CODE}行初{i:07d}号",
                "plaintiff_kind": "person",
                "plaintiff_name": "基准原告",
                "defendant_id": agency.pk,
                "defendant_unit_id": agency.unit_id,
                "division_id": agency.unit.division_id,
                "act": "罚款",
                "filed_on": filed,
                "served_on": filed + dt.timedelta(days=5),
                "judgment_kind": "annulled" if judged and rng.random() < 0.2 else ("dismissed_claim" if judged else ""),
                "judgment_on": filed + dt.timedelta(days=90) if judged else None,
                "status": "judged" if judged else "pending",
            }
        )
    for row in lit_rows:
        row["lost"] = row["judgment_kind"] == "annulled"
    for i in range(N_RECONSIDERATIONS // 50):
        agency = agencies[i % len(agencies)]
        received = dt.date(rng.choice(YEARS), 1, 1) + dt.timedelta(days=rng.randint(0, 360))
        replied = rng.random() < 0.7
        sug_rows.append(
            {
                "kind": "judicial",
                "issuer": "示例市中级人民法院",
                "number": f"{BENCH_CODE}法建{i:07d}号",
                "agency_id": agency.pk,
                "agency_unit_id": agency.unit_id,
                "division_id": agency.unit.division_id,
                "content": "建议",
                "received_on": received,
                "deadline": received + dt.timedelta(days=61),
                "status": "replied" if replied else "open",
                "replied_on": received + dt.timedelta(days=40) if replied else None,
                "on_time": True if replied else None,
            }
        )
    if not Litigation.objects.filter(case_number__startswith=BENCH_CODE).exists():
        bulk_insert(Litigation, lit_rows)
        bulk_insert(Suggestion, sug_rows)
    return N_RECONSIDERATIONS - have


def _rebuild_tallies() -> float:
    from fazhi.disputes.services import reconsideration_tallies_rebuild

    t0 = time.perf_counter()
    reconsideration_tallies_rebuild()
    return round(time.perf_counter() - t0, 2)


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _stats_figures() -> dict:
    from django.db import connection

    from fazhi.disputes.selectors import dispute_stats

    with connection.cursor() as cur:
        # What autovacuum does after a bulk load: statistics, and the visibility map the index-only scans need.
        cur.execute("VACUUM ANALYZE disputes_reconsideration")
        cur.execute("VACUUM ANALYZE disputes_litigation")

    def floor():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM disputes_reconsideration")
            cur.fetchone()

    figures = {"floor_count_ms": round(max(_timed(floor) for _ in range(RUNS)), 1)}
    for dimension in ("agency", "division", "year"):
        for year in (2025, None):
            if dimension == "year" and year is not None:
                continue
            runs = [_timed(lambda d=dimension, y=year: dispute_stats(dimension=d, year=y)) for _ in range(RUNS)]
            key = f"{dimension}_{year or 'all'}"
            figures[f"{key}_max_ms"] = round(max(runs), 1)
            figures[f"{key}_median_ms"] = round(statistics.median(runs), 1)
    worst = max(v for k, v in figures.items() if k.endswith("_max_ms"))
    figures["worst_max_ms"] = worst
    figures["worst_ratio_to_floor"] = round(worst / figures["floor_count_ms"], 2)
    from fazhi.disputes import selectors

    def live(dimension, year):
        rows = {}

        def row(k):
            k = "" if k is None else str(k)
            return rows.setdefault(k, selectors.DisputeRow(key=k, label=k))

        unit_key = {"agency": "respondent_unit_id", "division": "division_id"}.get(dimension, "")
        selectors._reconsideration_live(row, None, dimension, year, unit_key)
        return rows

    live_runs = [_timed(lambda: live("agency", 2025)) for _ in range(RUNS)]
    figures["live_agency_2025_reconsiderations_only_max_ms"] = round(max(live_runs), 1)
    counted = {r.key: (r.applications, r.decided, r.corrected) for r in dispute_stats(dimension="agency", year=2025)}
    live_rows = {k: (r.applications, r.decided, r.corrected) for k, r in live("agency", 2025).items()}
    figures["counts_equal_live"] = counted == live_rows
    rows = dispute_stats(dimension="agency", year=2025)
    figures["agencies"] = len(rows)
    figures["decided_2025"] = sum(r.decided for r in rows)
    figures["correction_rate_2025"] = round(sum(r.corrected for r in rows) / max(1, figures["decided_2025"]), 4)
    return figures


# ---------------------------------------------------------------- clocks


def _reset_clocks() -> None:
    from django.db import connection, transaction

    from fazhi.tracking.models import TrackedItem
    from fazhi.workdays import calendar
    from fazhi.workdays.models import CalendarOverride

    CalendarOverride.objects.filter(date__year=UNSCHEDULED).delete()
    calendar.invalidate()
    items = TrackedItem.objects.filter(kind=BENCH_KIND).values("pk")
    with transaction.atomic(), connection.cursor() as cur:
        # The bench's own rows only, in the order of their protecting keys.
        for sql in (
            "DELETE FROM tracking_clockevent WHERE clock_id IN (SELECT id FROM tracking_clock WHERE item_id IN ({}))",
            "DELETE FROM tracking_clock WHERE item_id IN ({})",
            "DELETE FROM tracking_timelineevent WHERE item_id IN ({})",
        ):
            query, params = items.query.sql_with_params()
            cur.execute(sql.format(query), params)
        TrackedItem.objects.filter(kind=BENCH_KIND).delete()


def _build_clocks() -> int:
    """50k items, two clocks each, every clock's stored state its fold under today's calendar."""
    from django.db import transaction

    from fazhi.core.bulk import bulk_insert
    from fazhi.core.models import Unit
    from fazhi.tracking import clocks
    from fazhi.tracking.models import Clock, ClockEvent, TrackedItem
    from fazhi.workdays.calendar import is_confirmed

    rng = random.Random(2055)
    units = list(Unit.objects.filter(kind="agency"))
    justice = Unit.objects.get(name="示例市司法局")
    review_rule = clocks.ClockRule("working", 5, "《行政复议法》第三十条、第八十八条")
    answer_rule = clocks.ClockRule("working", 10, "《行政复议法》第四十八条")
    with transaction.atomic():
        item_rows = []
        starts = []
        for i in range(N_ITEMS):
            start = dt.date(UNSCHEDULED, 3, 25) + dt.timedelta(days=rng.randint(0, 6))
            starts.append(start)
            item_rows.append(
                {
                    "kind": BENCH_KIND,
                    "title": f"基准复议 {i:06d}",
                    "unit_id": justice.pk,
                    "action_unit_id": rng.choice(units).pk if i % 4 == 0 else justice.pk,
                    "start_date": start,
                    "deadline": start,
                    "deadline_source": "基准",
                    "limit_kind": "fixed",
                    "status": "open",
                }
            )
        bulk_insert(TrackedItem, item_rows)
        item_ids = list(TrackedItem.objects.filter(kind=BENCH_KIND).order_by("pk").values_list("pk", flat=True))
        clock_rows, histories = [], []
        for item_id, start in zip(item_ids, starts, strict=True):
            for name, label, rule in (
                ("acceptance_review", "受理审查", review_rule),
                ("respondent_answer", "被申请人答复", answer_rule),
            ):
                events = []
                if name == "respondent_answer" and rng.random() < 0.33:
                    p = start + dt.timedelta(days=rng.randint(1, 3))
                    events = [
                        clocks.ClockEvent("pause", p),
                        clocks.ClockEvent("resume", p + dt.timedelta(days=rng.randint(1, 4))),
                    ]
                state = clocks.clock_state(rule, start, events)
                clock_rows.append(
                    {
                        "item_id": item_id,
                        "name": name,
                        "label": label,
                        "initial_unit": rule.unit,
                        "initial_length": rule.length,
                        "initial_cap": rule.extension_cap,
                        "initial_basis": rule.basis,
                        "initial_start": start,
                        "rule_unit": rule.unit,
                        "rule_length": rule.length,
                        "rule_cap": rule.extension_cap,
                        "basis": rule.basis,
                        "start": state.start,
                        "extended": state.extended,
                        "deadline": state.deadline,
                        "deadline_confirmed": is_confirmed(state.start, state.deadline),
                        "paused": state.paused,
                        "is_open": True,
                        "event_count": len(events),
                    }
                )
                histories.append(events)
        bulk_insert(Clock, clock_rows)
        clock_ids = list(
            Clock.objects.filter(item_id__in=item_ids).order_by("item_id", "name").values_list("pk", flat=True)
        )
        # zip order: clocks were made per item as (acceptance_review, respondent_answer), the same order by name.
        event_rows = []
        for clock_id, events in zip(clock_ids, histories, strict=True):
            for seq, e in enumerate(events, start=1):
                event_rows.append(
                    {
                        "clock_id": clock_id,
                        "seq": seq,
                        "kind": e.kind,
                        "on": e.on,
                        "amount": e.amount,
                        "basis": "《行政复议法》第三十九条",
                        "reason": "基准",
                    }
                )
        bulk_insert(ClockEvent, event_rows)
    return len(clock_rows)


def _clock_figures() -> dict:
    from django.db import connection

    from fazhi.tracking.models import Clock, TimelineEvent, TrackedItem
    from fazhi.tracking.services import clocks_recompute
    from fazhi.tracking.timeline import verify_chains
    from fazhi.workdays import calendar
    from fazhi.workdays.models import CalendarOverride

    _reset_clocks()
    t0 = time.perf_counter()
    made = _build_clocks()
    build_seconds = round(time.perf_counter() - t0, 1)

    def vacuum():
        # What autovacuum does between a bulk load (or a mass update) and the next job: both timings then start
        # from the same clean tables.
        with connection.cursor() as cur:
            for table in ("tracking_clock", "tracking_clockevent", "tracking_trackeditem", "tracking_timelineevent"):
                cur.execute(f"VACUUM ANALYZE {table}")

    vacuum()
    assert clocks_recompute() == 0  # the stored states are the folds: nothing moves before the change

    def floor():
        n = 0
        last = 0
        while True:
            chunk = list(
                Clock.objects.filter(is_open=True, pk__gt=last).order_by("pk").prefetch_related("events")[:2000]
            )
            if not chunk:
                break
            last = chunk[-1].pk
            n += sum(1 + len(c.events.all()) for c in chunk)
        with connection.cursor() as cur:
            cur.execute("UPDATE tracking_clock SET deadline = deadline WHERE is_open")
        return n

    t0 = time.perf_counter()
    floor()
    floor_seconds = time.perf_counter() - t0
    vacuum()

    # The State Council's schedule for 2055 arrives: a week of holidays in the middle of the clocks' periods.
    for day in range(1, 8):
        CalendarOverride.objects.create(date=dt.date(UNSCHEDULED, 4, day), is_working_day=False, name="基准假期")
    calendar.invalidate()
    events_before = TimelineEvent.objects.filter(item__kind=BENCH_KIND).count()
    assert events_before == 0
    t0 = time.perf_counter()
    moved = clocks_recompute()
    seconds = time.perf_counter() - t0
    events_after = TimelineEvent.objects.filter(item__kind=BENCH_KIND).count()
    folds = _fold_figures()
    ids = list(TrackedItem.objects.filter(kind=BENCH_KIND).order_by("pk").values_list("pk", flat=True))
    sample = TrackedItem.objects.filter(pk__in=random.Random(7).sample(ids, 200))
    _, checked_events, problems = verify_chains(sample, check_files=False)
    return {
        "clocks": made,
        "build_seconds": build_seconds,
        "moved": moved,
        "timeline_events_written": events_after - events_before,
        "recompute_seconds": round(seconds, 2),
        "floor_seconds": round(floor_seconds, 2),
        "ratio_to_floor": round(seconds / floor_seconds, 1),
        "chains_verified_sample": f"{sample.count()} items / {checked_events} events, {len(problems)} problems",
        "folds": folds,
    }


class _NoMemo(dict):
    """A fold cache that keeps nothing: every clock folded on its own (the refold before folds were shared)."""

    def __setitem__(self, key, value) -> None:
        pass


def _fold_figures() -> dict:
    """The pure-Python part of a recompute, the refold of every open clock, timed with the folds shared across
    clocks with the same rule, start and events (what clocks_recompute does) and with every clock folded on its
    own, over the same rows read once beforehand."""
    from fazhi.tracking.models import Clock
    from fazhi.tracking.services import _SCAN, _STORED, _histories, _refold

    batches = []
    last = 0
    while True:
        rows = list(Clock.objects.filter(is_open=True, pk__gt=last).order_by("pk").values_list(*_SCAN, *_STORED)[:2000])
        if not rows:
            break
        last = rows[-1][0]
        batches.append((rows, _histories(rows[0][0], last)))

    def timed(make):
        t0 = time.perf_counter()
        shared = make()
        for rows, history in batches:
            _refold(rows, history, shared)
        return time.perf_counter() - t0, len(shared)

    each, _ = timed(_NoMemo)
    memo, distinct = timed(dict)
    return {
        "clocks": sum(len(r) for r, _ in batches),
        "distinct_folds": distinct,
        "each_seconds": round(each, 2),
        "shared_seconds": round(memo, 2),
        "ratio_each_to_shared": round(each / memo, 1) if memo else None,
    }


def run() -> dict:
    from django.db import connection

    if connection.vendor != "postgresql":
        return {"skipped": "PostgreSQL only (set DATABASE_URL)"}
    started = time.perf_counter()
    agencies = _agencies()
    created = _build_reconsiderations(agencies)
    build = round(time.perf_counter() - started, 1)
    tally_seconds = _rebuild_tallies()
    import os

    return {
        "database": connection.vendor,
        # The machine is shared: absolute times vary with its load; the ratios to the floors measured in the same
        # run are the figures to compare.
        "load_average_1_5_15": [round(x, 1) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "reconsiderations": N_RECONSIDERATIONS,
        "created": created,
        "build_seconds": build,
        "tally_rebuild_seconds": tally_seconds,
        "statistics": _stats_figures(),
        "clock_recompute": _clock_figures(),
    }
