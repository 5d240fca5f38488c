"""Penalty cases at province scale: the set-based bulk check over 1M cases, and the portal's disclosure search.

Setup (idempotent, PostgreSQL): the demo organisation, 15 agencies with one penalty item and 20 certified officers
each, then 1,000,000 decided and disclosed cases, 2 handlers each (1 in 20 with one), and their disclosures —
all by `INSERT … SELECT generate_series`, so the rows cost seconds, not hours.

Figures: the bulk check (`cases_check_all`: every rule over every case in one set-based SELECT, then the
`CaseCheck` side table refilled with only the results that changed or were missing; on freshly generated rows,
which have none, that is every row — the first run — and then a repeat run) against a plain sequential scan of
the cases table in the same run (count(*) with index scans disabled, warm cache), and the ratio; the p95 of 200
portal searches (`selectors.disclosure_search`, varied agency / period / party type / keyword / next page).
"""

import datetime as dt
import random
import statistics
import time

N_CASES = 1_000_000
SEARCHES = 200


def _setup() -> dict:
    from django.db import connection, transaction

    from fazhi.core.demo.build import CITY_AGENCIES, build_org, build_users
    from fazhi.core.models import Unit
    from fazhi.enforcement.models import Agency, Case, Certificate, DiscretionTier, Officer, PowerItem

    build_org()
    build_users()
    agencies = []
    with transaction.atomic():
        for i, (name, _) in enumerate(CITY_AGENCIES):
            agency = Agency.objects.get_or_create(unit=Unit.objects.get(name=name))[0]
            agencies.append(agency)
            item = PowerItem.objects.filter(agency=agency, code=f"BENCH-{i}").first()
            if item is None:
                item = PowerItem.objects.create(
                    agency=agency, code=f"BENCH-{i}", name="基准测试处罚事项", kind="penalty", major=i % 5 == 0
                )
                DiscretionTier.objects.create(
                    power_item=item, level="ordinary", circumstances="一般", fine_min=1000, fine_max=10000
                )
            for k in range(20):
                number = f"BENCH{i:02d}{k:02d}"
                officer = Officer.objects.filter(id_number=number).first()
                if officer is None:
                    officer = Officer.objects.create(agency=agency, name=f"执法{i}-{k}", id_number=number)
                    expired = k == 19
                    Certificate.objects.create(
                        officer=officer,
                        number=f"C{number}",
                        valid_from=dt.date(2018, 1, 1),
                        valid_to=dt.date(2022, 6, 30) if expired else dt.date(2030, 12, 31),
                    )
    existing = Case.objects.count()
    created = 0
    started = time.perf_counter()
    if existing < N_CASES:
        item_ids = [PowerItem.objects.get(agency=a, code=f"BENCH-{i}").pk for i, a in enumerate(agencies)]
        tier_ids = [DiscretionTier.objects.filter(power_item_id=p).first().pk for p in item_ids]
        officer_ids = [
            list(Officer.objects.filter(agency=a).order_by("id").values_list("id", flat=True)) for a in agencies
        ]
        agency_ids = [a.pk for a in agencies]
        n_ag = len(agencies)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO enforcement_case (agency_id, power_item_id, number, title, procedure, stage, party_kind,
                    party_name, party_id_number, party_uscc, violation_ended_on, limitation_extended, filed_on,
                    notified_on, major, extension_days, hearing_requested, legal_review_on, outcome, decision_number,
                    decided_on, penalty_kinds, fine, tier_id, served_on, disclosed_on, created_at)
                SELECT (%(agencies)s::int[])[1 + g %% %(n)s], (%(items)s::int[])[1 + g %% %(n)s],
                    'BENCH-' || g, '基准案件' || g,
                    CASE WHEN g %% 10 = 0 THEN 'simple' ELSE 'general' END, 'disclosure',
                    CASE WHEN g %% 3 = 0 THEN 'person' ELSE 'organisation' END,
                    CASE WHEN g %% 3 = 0 THEN '张' || g ELSE '示例商贸有限公司' || g END,
                    CASE WHEN g %% 3 = 0 THEN '11010519491231002X' ELSE '' END,
                    CASE WHEN g %% 3 = 0 THEN '' ELSE '91110000600037341L' END,
                    f.d - (g %% 900), g %% 7 = 0, f.d,
                    f.d + 20, g %% 17 = 0, CASE WHEN g %% 23 = 0 THEN 30 ELSE 0 END, false,
                    CASE WHEN g %% 19 = 0 THEN NULL ELSE f.d + 25 + (g * 7) %% 100 END,
                    'penalty', '示罚〔' || EXTRACT(YEAR FROM f.d)::int || '〕' || g || '号',
                    f.d + 25 + (g * 7) %% 100, '["罚款"]'::jsonb, 500 + (g * 13) %% 12000,
                    CASE WHEN g %% 4 = 0 THEN (%(tiers)s::int[])[1 + g %% %(n)s] END,
                    f.d + 25 + (g * 7) %% 100 + g %% 12, f.d + 25 + (g * 7) %% 100 + g %% 14, now()
                FROM generate_series(%(lo)s, %(hi)s) AS g,
                     LATERAL (SELECT DATE '2020-01-01' + (g %% 2000) AS d) f
                """,
                {
                    "agencies": agency_ids,
                    "items": item_ids,
                    "tiers": tier_ids,
                    "n": n_ag,
                    "lo": existing + 1,
                    "hi": N_CASES,
                },
            )
            created = cur.rowcount
            # Two handlers per case (one in twenty cases has only one); officer 19 of each agency has lapsed.
            cur.execute(
                """
                INSERT INTO enforcement_casehandler (case_id, officer_id)
                SELECT k.id, (%(officers)s::int[])[a.i][1 + (k.id + s) %% 20]
                FROM enforcement_case k
                JOIN unnest(%(agencies)s::int[]) WITH ORDINALITY AS a(agency_id, i) ON a.agency_id = k.agency_id
                CROSS JOIN generate_series(0, 1) AS s
                WHERE k.number LIKE 'BENCH-%%' AND NOT EXISTS (
                    SELECT 1 FROM enforcement_casehandler h WHERE h.case_id = k.id)
                  AND (s = 0 OR k.id %% 20 <> 0)
                """,
                {"officers": officer_ids, "agencies": agency_ids},
            )
            cur.execute(
                """
                INSERT INTO enforcement_disclosure (case_id, agency_id, published_on, decision_number, party_kind,
                    party_display, party_code_display, summary, fine, search, withdraw_reason)
                SELECT k.id, k.agency_id, k.disclosed_on, k.decision_number, k.party_kind,
                    CASE WHEN k.party_kind = 'person' THEN '张某' ELSE k.party_name END,
                    CASE WHEN k.party_kind = 'person' THEN '110105********002X' ELSE k.party_uscc END,
                    k.title || '。处罚决定：罚款人民币 ' || k.fine || ' 元。', k.fine,
                    CASE WHEN k.party_kind = 'person' THEN '张某 110105********002X' ELSE k.party_name || ' '
                        || k.party_uscc END || ' ' || k.decision_number || ' ' || k.title, ''
                FROM enforcement_case k
                WHERE k.number LIKE 'BENCH-%%' AND k.disclosed_on IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM enforcement_disclosure d WHERE d.case_id = k.id)
                """
            )
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE enforcement_case")
            cur.execute("VACUUM ANALYZE enforcement_casehandler")
            cur.execute("VACUUM ANALYZE enforcement_disclosure")
    from fazhi.enforcement.models import Disclosure

    return {
        "cases": Case.objects.count(),
        "cases_created": created,
        "disclosures": Disclosure.objects.filter(withdrawn_at__isnull=True).count(),
        "setup_seconds": round(time.perf_counter() - started, 2),
        "agency_ids": [a.pk for a in agencies],
    }


def _seq_scan_seconds() -> float:
    from django.db import connection, transaction

    best = None
    for _ in range(3):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL enable_indexscan = off")
            cur.execute("SET LOCAL enable_indexonlyscan = off")
            cur.execute("SET LOCAL enable_bitmapscan = off")
            t = time.perf_counter()
            cur.execute("SELECT count(*) FROM enforcement_case")
            cur.fetchone()
            took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return best


def _searches(agency_ids: list[int]) -> dict:
    from fazhi.enforcement.selectors import disclosure_search

    rng = random.Random(42)
    times = []
    kinds = []
    for i in range(SEARCHES):
        kwargs = {}
        mode = i % 8
        if mode in (0, 4):
            kwargs["agency"] = rng.choice(agency_ids)
        if mode in (1, 4, 6):
            start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 2000))
            kwargs["date_from"], kwargs["date_to"] = start, start + dt.timedelta(days=30)
        if mode in (2, 6):
            kwargs["party_kind"] = rng.choice(["person", "organisation"])
        if mode == 3:
            kwargs["q"] = f"示罚〔{rng.randrange(2020, 2026)}〕{rng.randrange(1, N_CASES)}号"
        if mode == 5:
            kwargs["q"] = f"示例商贸有限公司{rng.randrange(1, N_CASES)}"
        t = time.perf_counter()
        page = disclosure_search(**kwargs)
        if mode == 7 and page.next_cursor:  # the next pages of the newest decisions
            for _ in range(3):
                page = disclosure_search(cursor=page.next_cursor) if page.next_cursor else page
        times.append(time.perf_counter() - t)
        kinds.append(mode)
    times_ms = sorted(x * 1000 for x in times)
    p95 = times_ms[int(len(times_ms) * 0.95) - 1]
    return {
        "searches": len(times_ms),
        "search_p50_ms": round(statistics.median(times_ms), 2),
        "search_p95_ms": round(p95, 2),
        "search_max_ms": round(times_ms[-1], 2),
    }


def run() -> dict:
    from django.db import connection

    from fazhi.enforcement.bulk_checks import cases_check_all

    if connection.vendor != "postgresql":
        return {"skipped": "bench_cases needs PostgreSQL (BENCH_DATABASE_URL)"}
    figures = _setup()
    agency_ids = figures.pop("agency_ids")
    from fazhi.enforcement.models import CaseCheck

    stored_before = CaseCheck.objects.count()  # 0 on a fresh database: the first run checks never-checked cases
    seq = _seq_scan_seconds()
    first = cases_check_all(as_of=dt.date(2026, 1, 5), sync_warnings=False)
    second = cases_check_all(as_of=dt.date(2026, 1, 5), sync_warnings=False)
    seq_after = _seq_scan_seconds()
    with_errors = CaseCheck.objects.filter(errors__gt=0).count()
    figures.update(
        {
            "seq_scan_seconds": round(seq, 3),
            "seq_scan_after_seconds": round(seq_after, 3),
            "results_stored_before": stored_before,
            "bulk_check_seconds": first["check_seconds"],
            "bulk_check_rows_written": first["updated"] + first["inserted"],
            "bulk_check_rerun_seconds": second["check_seconds"],
            "bulk_check_rerun_rows_written": second["updated"] + second["inserted"],
            "bulk_check_cases": first["cases"],
            "calendar_days": first["calendar_days"],
            "ratio_bulk_to_seq_scan": round(first["check_seconds"] / max(seq, 1e-6), 1),
            "ratio_rerun_to_seq_scan": round(second["check_seconds"] / max(seq, 1e-6), 1),
            "cases_with_errors": with_errors,
            **_searches(agency_ids),
        }
    )
    return figures
