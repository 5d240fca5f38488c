"""矛盾纠纷调解 statistics over 1,000,000 disputes (PostgreSQL; target ≤ 300 ms).

The disputes are generated with one INSERT … SELECT generate_series: 200 mediation organisations in the demo's
districts and townships, 10 kinds, 5 sources, received over five years (≈ 200,000 a year), 90 % concluded of which
97 % successful, amounts up to 100,000 yuan. Timed:
1. `selectors.mediation_stats` for one year by organisation, division, kind and month, as the Justice Bureau's
   supervisor (whole-city scope) — the statistics page and its API; whole months are read from the monthly
   roll-up (MediationMonthly, rebuilt after the bulk load by `mediation_monthly_rebuild`);
2. the same over all five years by organisation (the page's default, no period), then a period that is not whole
   months (counted from the disputes: an index-only scan of the covering index) and all five years counted live;
3. `selectors.mediation_figures` for one district's units for one year (the assessment module's call, which filters
   by the unit tree).
Floor: a plain `count(*)` of the same year's rows (an index-only scan of the covering index), measured in the same
run. Figures: median and max of the runs, and the median's ratio to the floor.

Last figures (PostgreSQL, 2 cores shared with several other helpers' test runs: 1-minute load average 13–16, under
which the floor — a count(*) of one year's 199,655 rows — took 169 ms):
- whole-month periods from the roll-up: one year by organisation 48 ms, by division 39 ms, by kind 18 ms, by month
  15 ms; all five years by organisation 43 ms (0.1–0.3 × the floor);
- counted from the disputes (index-only scan): 15 Jan – 15 Dec by organisation 288 ms, by month 296 ms (1.7–1.8 ×);
  all five years (1M rows) 903 ms (5.4 ×) — why whole months go to the roll-up;
- mediation_figures for one district's units and one year: 204 ms (1.2 ×).
Before the covering index was used (Count("id") forced a heap scan) one year took 330–400 ms at a load of 11.
"""

import datetime as dt
import statistics
import time

N = 1_000_000
N_ORGS = 200
RUNS = 15
YEAR = 2026


def _build() -> None:
    from django.db import connection, transaction

    from fazhi.core.demo.build import build_org, build_users
    from fazhi.core.models import Unit
    from fazhi.legalservices.mediation.models import MediationCase, MediationOrg

    build_org()
    build_users()
    if MediationCase.objects.count() >= N:
        from fazhi.legalservices.mediation.models import MediationMonthly
        from fazhi.legalservices.mediation.services import mediation_monthly_rebuild

        if not MediationMonthly.objects.exists():
            mediation_monthly_rebuild()
        return
    townships = list(Unit.objects.filter(kind__in=("township", "justice")).select_related("division"))
    with transaction.atomic():
        MediationCase.objects.all().delete()
        MediationOrg.objects.filter(name__startswith="基准").delete()
        orgs = [
            MediationOrg(
                name=f"基准调解委员会{i:03d}",
                kind="village",
                unit=townships[i % len(townships)],
                division=townships[i % len(townships)].division,
            )
            for i in range(N_ORGS)
        ]
        MediationOrg.objects.bulk_create(orgs)
        org_ids = list(
            MediationOrg.objects.filter(name__startswith="基准")
            .order_by("pk")
            .values_list("pk", "unit_id", "division_id")
        )
        with connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE bench_orgs (n int, org_id bigint, unit_id bigint, division_id bigint)")
            cur.executemany(
                "INSERT INTO bench_orgs VALUES (%s, %s, %s, %s)", [(i, *row) for i, row in enumerate(org_ids)]
            )
            table = MediationCase._meta.db_table
            cur.execute(
                f"""
                INSERT INTO {table} (number, org_id, unit_id, division_id, kind, source, applicant, applicant_phone,
                    respondent, facts, amount, received_on, status, court_name, court_case_no, agreement,
                    performance_terms, next_channel, failure_reason, performance, performance_note, imported,
                    created_at, closed_on)
                SELECT 'B' || g, o.org_id, o.unit_id, o.division_id,
                    (ARRAY['marriage','neighbour','land','contract','damage','labour','medical','traffic','property','other'])[1 + g % 10],
                    (ARRAY['walk_in','grid','court','hotline','walk_in'])[1 + (g / 10) % 5],
                    '甲', '', '乙', '基准', (g % 100000)::numeric, d.day,
                    CASE WHEN g % 10 = 0 THEN 'mediating' WHEN g % 33 = 1 THEN 'failed' ELSE 'success' END,
                    '', '', '', '', '', '', '', '', true, now(),
                    CASE WHEN g % 10 = 0 THEN NULL ELSE d.day + 7 END
                FROM generate_series(1, {N}) g
                JOIN bench_orgs o ON o.n = g % {N_ORGS}
                CROSS JOIN LATERAL (SELECT DATE '{YEAR - 4}-01-01' + (g % 1826) AS day) d
                """
            )
            cur.execute("DROP TABLE bench_orgs")
    with connection.cursor() as cur:
        cur.execute(f"VACUUM ANALYZE {MediationCase._meta.db_table}")
    from fazhi.legalservices.mediation.services import mediation_monthly_rebuild

    mediation_monthly_rebuild()


def _time(fn, runs: int = RUNS) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _fig(samples: list[float], floor: float) -> dict:
    med = statistics.median(samples)
    return {"median_ms": round(med, 1), "max_ms": round(max(samples), 1), "ratio_to_floor": round(med / floor, 1)}


def run() -> dict:
    from django.db import connection

    from fazhi.core.models import Unit, User
    from fazhi.legalservices.mediation import selectors
    from fazhi.legalservices.mediation.models import MediationCase

    t = time.perf_counter()
    _build()
    built_s = time.perf_counter() - t
    user = User.objects.get(username="supervisor")
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    table = MediationCase._meta.db_table

    def floor_query():
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {table} WHERE received_on BETWEEN %s AND %s", [start, end])
            cur.fetchone()

    floor_query()  # warm
    floor = statistics.median(_time(floor_query))
    figures = {
        "disputes": MediationCase.objects.count(),
        "year_rows": MediationCase.objects.filter(received_on__range=(start, end)).count(),
        "build_s": round(built_s, 1),
        "floor_count_year_ms": round(floor, 1),
    }
    for dimension in ("org", "division", "kind", "month"):
        selectors.mediation_stats(user=user, dimension=dimension, start=start, end=end)
        samples = _time(lambda d=dimension: selectors.mediation_stats(user=user, dimension=d, start=start, end=end))
        figures[f"stats_year_by_{dimension}"] = _fig(samples, floor)
    samples = _time(lambda: selectors.mediation_stats(user=user, dimension="org"))
    figures["stats_all_years_by_org"] = _fig(samples, floor)
    # A period that is not whole months is counted from the disputes themselves (the covering index).
    mid_start, mid_end = dt.date(YEAR, 1, 15), dt.date(YEAR, 12, 15)
    for dimension in ("org", "month"):
        samples = _time(
            lambda d=dimension: selectors.mediation_stats(user=user, dimension=d, start=mid_start, end=mid_end)
        )
        figures[f"live_partial_year_by_{dimension}"] = _fig(samples, floor)
    samples = _time(lambda: selectors.mediation_stats(user=user, dimension="org", live=True), runs=5)
    figures["live_all_years_by_org"] = _fig(samples, floor)
    district = Unit.objects.get(name="南山县人民政府")
    samples = _time(lambda: selectors.mediation_figures(unit_ids=[district.pk], start=start, end=end))
    figures["figures_one_district_year"] = _fig(samples, floor)
    return figures
