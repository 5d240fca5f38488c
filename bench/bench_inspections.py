"""双随机、一公开 at province scale.

1. The pure draw (`fazhi.inspections.draw.draw`) over 1,000,000 candidate enterprises and 20,000 inspectors with
   50,000 declared conflicts (target ≤ 2 s), plus the canonical serialisation + SM3 of the lists (done once at
   commit) and a full verification (re-run + every hash), reported apart.
2. Burden statistics (`selectors.burden_statistics`) over 5,000,000 inspection records on PostgreSQL
   (target ≤ 1 s for any date range: one row per enterprise and year whose month columns cover the range's
   whole months, plus the records of the partial months' edge days). The records are generated once with
   INSERT … SELECT generate_series and reused.

Run by bench/run.py after django.setup() and migrate.
"""

import random
import statistics
import time

N_ENTERPRISES = 1_000_000
N_INSPECTORS = 20_000
N_CONFLICTS = 50_000
PROPORTIONS = {"a_low": 300, "b_general": 500, "c_elevated": 1000, "d_high": 2000}
LEVELS = list(PROPORTIONS)

N_RECORDS = 5_000_000
N_BENCH_ENTERPRISES = 500_000
BENCH_PREFIX = "B"  # bench enterprises' credit codes start with this (never a valid code: bench data only)


def _draw_figures() -> dict:
    from fazhi.inspections import draw as d

    rng = random.Random(20260101)
    candidates = [(i, LEVELS[rng.randrange(4)]) for i in range(1, N_ENTERPRISES + 1)]
    inspectors = list(range(1, N_INSPECTORS + 1))
    conflicts = [(rng.randrange(1, N_INSPECTORS + 1), rng.randrange(1, N_ENTERPRISES + 1)) for _ in range(N_CONFLICTS)]
    seed = "5a" * 32
    times = []
    for _ in range(3):
        started = time.perf_counter()
        result = d.draw(
            seed=seed,
            candidates=candidates,
            inspectors=inspectors,
            conflicts=conflicts,
            proportions=PROPORTIONS,
            per_enterprise=2,
        )
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    texts = {
        "candidates": d.canonical_candidates(candidates),
        "inspectors": d.canonical_inspectors(inspectors),
        "conflicts": d.canonical_conflicts(conflicts),
        "params": d.canonical_params(proportions=PROPORTIONS, per_enterprise=2),
    }
    hashes = {f"{k}_hash": d.sm3_hex(v.encode("ascii")) for k, v in texts.items()}
    commit_seconds = time.perf_counter() - started
    s_hash = d.seed_hash(seed)
    published = {
        "seed": seed,
        "seed_hash": s_hash,
        **texts,
        **hashes,
        "result": result.canonical,
        "result_hash": result.hash,
        "commitment": d.commitment_of(seed_hash=s_hash, **hashes),
    }
    started = time.perf_counter()
    ok, problems = d.verify(published)
    verify_seconds = time.perf_counter() - started
    loads: dict[int, int] = {}
    for row in result.rows:
        for o in row["inspectors"]:
            loads[o] = loads.get(o, 0) + 1
    return {
        "draw_enterprises": N_ENTERPRISES,
        "draw_inspectors": N_INSPECTORS,
        "draw_conflicts": N_CONFLICTS,
        "drawn": len(result.rows),
        "draw_seconds_median": round(statistics.median(times), 3),
        "draw_seconds_max": round(max(times), 3),
        "commit_serialise_and_hash_seconds": round(commit_seconds, 3),
        "verify_seconds": round(verify_seconds, 3),
        "verified": ok and not problems,
        "inspector_load_min": min(loads.values()),
        "inspector_load_max": max(loads.values()),
    }


def _build_records() -> None:
    from django.db import connection, transaction

    from fazhi.core.demo.build import build_org, build_users
    from fazhi.core.models import Division, Unit
    from fazhi.inspections.models import Enterprise, InspectionRecord
    from fazhi.registry.models import Agency

    with transaction.atomic():
        build_org()
        build_users()
    for unit in Unit.objects.filter(kind="agency"):
        Agency.objects.get_or_create(unit=unit)
    agency_ids = list(Agency.objects.order_by("id").values_list("id", flat=True))
    division = Division.objects.get(code="439902")
    have = Enterprise.objects.filter(uscc__startswith=BENCH_PREFIX).count()
    with connection.cursor() as cur:
        if have < N_BENCH_ENTERPRISES:
            cur.execute(
                """INSERT INTO inspections_enterprise (uscc, name, kind, industry, division_id, address,
                       legal_representative, risk_level, credit_grade, "group", is_active, created_at)
                   SELECT %s || lpad(g::text, 17, '0'), '基准企业' || g, 'llc', 'C1391', %s, '', '',
                          (ARRAY['a_low','b_general','c_elevated','d_high'])[1 + g %% 4], 'B', '', true, now()
                   FROM generate_series(%s, %s) g""",
                [BENCH_PREFIX, division.pk, have + 1, N_BENCH_ENTERPRISES],
            )
        have_records = InspectionRecord.objects.count()
        if have_records < N_RECORDS:
            cur.execute("SELECT min(id) FROM inspections_enterprise WHERE uscc LIKE %s", [BENCH_PREFIX + "%"])
            first = cur.fetchone()[0]
            # Skewed: a tenth of the enterprises get half the inspections (the burden the monitor looks for).
            cur.execute(
                """INSERT INTO inspections_inspectionrecord (enterprise_id, agency_id, source, reason, inspected_on,
                       result, problems, measures, created_at)
                   SELECT %s + CASE WHEN g %% 2 = 0 THEN (g::bigint * 7919) %% %s ELSE (g::bigint * 104729) %% %s END,
                          (%s::int[])[1 + g %% %s],
                          CASE WHEN g %% 10 = 0 THEN 'complaint' WHEN g %% 17 = 0 THEN 'referral' ELSE 'random' END,
                          '', DATE '2025-01-01' + (g %% 730), 'ok', '', '', now()
                   FROM generate_series(%s, %s) g""",
                [
                    first,
                    N_BENCH_ENTERPRISES // 10,
                    N_BENCH_ENTERPRISES,
                    agency_ids,
                    len(agency_ids),
                    have_records + 1,
                    N_RECORDS,
                ],
            )
    from fazhi.inspections.models import AgencyMonthTally, EnterpriseYearTally
    from fazhi.inspections.services import burden_tallies_rebuild

    kinds = tuple(
        k for k, model in (("year", EnterpriseYearTally), ("month", AgencyMonthTally)) if not model.objects.exists()
    )
    if kinds:
        started = time.perf_counter()
        burden_tallies_rebuild(kinds=kinds)
        print(f"tallies {kinds} rebuilt in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE inspections_inspectionrecord")
        cur.execute("ANALYZE inspections_enterprise")
        cur.execute("ANALYZE inspections_enterpriseyeartally")
        cur.execute("ANALYZE inspections_agencymonthtally")


def _burden_figures() -> dict:
    import datetime as dt

    from django.db import connection

    from fazhi.core.models import User
    from fazhi.inspections import selectors

    if connection.vendor != "postgresql":
        return {"burden": "skipped: needs PostgreSQL (DATABASE_URL=postgres://…)"}
    _build_records()
    supervisor = User.objects.get(username="supervisor")
    figures = {"burden_records": N_RECORDS}
    # The supervisor's monitor reads the enterprises' year rows (month columns) plus the records of the partial
    # months' edge days (rules.burden_segments): whole years, a quarter, ranges that are not whole months.
    cases = [
        ("year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("two_years", dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
        ("quarter", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        ("arbitrary", dt.date(2025, 2, 17), dt.date(2025, 11, 3)),
        ("year_less_a_day", dt.date(2025, 1, 1), dt.date(2025, 12, 30)),
        ("across_years", dt.date(2025, 8, 9), dt.date(2026, 3, 20)),
        # the most edge days: two years' rows plus half a month of records at each end
        ("two_years_half_months", dt.date(2025, 1, 16), dt.date(2026, 12, 15)),
    ]
    for label, start, end in cases:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            b = selectors.burden_statistics(user=supervisor, date_from=start, date_to=end, threshold=12)
            times.append(time.perf_counter() - started)
        figures[f"burden_{label}_basis"] = b.basis
        figures[f"burden_{label}_rows"] = b.total
        figures[f"burden_{label}_enterprises"] = b.enterprises
        figures[f"burden_{label}_over_threshold"] = b.over_threshold
        figures[f"burden_{label}_seconds_median"] = round(statistics.median(times), 3)
        figures[f"burden_{label}_seconds_max"] = round(max(times), 3)
    return figures


def run() -> dict:
    figures = _draw_figures()
    figures.update(_burden_figures())
    return figures
