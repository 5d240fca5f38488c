"""The statutory checks over every stored case at once, as set-based SQL (design.md §4: no per-row loops).

Which rules run how:
- set-based: all ten rules of `rules.py` — handlers_min_two, handler_certificate_invalid, decision_overdue,
  legal_review_missing, hearing_notice_short, service_late, disclosure_late, fine_outside_tier, on_the_spot_limit,
  limitation_expired — as one CASE expression per rule summed into one bit mask per case, in one pass over the
  cases (`_mask_sql`); a temporary table of every mask (`_build_masks`) gives its count and JSON list, so no JSON
  is built per row. On PostgreSQL that pass, its comparison with the stored result and the writes are one
  statement (`_store_pg`); on SQLite the results go through a temporary table (`_store_sqlite`);
- per row: any rule added to `rules.py` without an SQL twin here (`SQL_RULES`) — it still runs, case by case
  through `case_facts`, so a new rule is never silently skipped; and the 风险预警 items of the cases whose
  state changed (`services.cases_sync_warnings`), which are few after the first run.

Working-day and calendar arithmetic is not repeated in SQL: every day of the span the cases need is mapped to its
precomputed limits (next working day, + 7 / + 20 working days, + 2 / + 5 years) with `workdays.calendar` itself —
on SQLite a temporary calendar table joined by day (`ord`, the date's ordinal, turns "filed_on + 90 + extension
days" into an integer join), on PostgreSQL arrays subscripted by the day's offset (`CALENDAR_SQL`).

Handlers (PostgreSQL): one aggregate over the handler table, never joined back to the cases — per case the number
of handlers, how many hold an active certificate at all, and the days common to all their certificates' merged
spans; the act date must fall in that common span. Only a handler whose active certificates leave a gap is looked up
certificate by certificate (`PG_RULES`).

Profile (EXPLAIN ANALYZE, 1M cases, 2M handlers; bench/bench_cases.py has the figures): the former form spent its
time in five hash joins with the calendar table, a DISTINCT anti-join that scanned the cases a second time, JSON
assembled per row, a temporary result table and then two more hash joins with the side table, and 1.4 s in JIT
compilation; what is left is one scan of the cases, the handlers' aggregate and one hash join each with the
aggregate and the side table.

What is stored, one `CaseCheck` row per checked case: `rules` = the codes of the rules with an error, in catalogue
order; `errors` = their number (rules, not findings: two uncertified handlers are one broken rule); `checked_at` =
when that stored result was last written. A bulk run writes only the rows whose result changed (or never had one):
every case is checked when it is saved, so in steady state a run rewrites the few cases whose dates crossed a limit.
The side table is narrow with two indexes, so even the first run over a million never-checked cases is cheap; the
case table (15 indexes) is only read. `services.case_rules_of` gives the same from the per-case findings, and
tests/test_bulk_check.py holds the two to the same answer.
"""

import datetime as dt
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from fazhi.cases.models import Case, CaseCheck, CaseHandler
from fazhi.cases.rules import (
    DECISION_DAYS,
    DISCLOSURE_WORKING_DAYS,
    HEARING_NOTICE_WORKING_DAYS,
    LIMITATION_YEARS,
    LIMITATION_YEARS_EXTENDED,
    ON_THE_SPOT_LIMIT,
    RULES,
    SERVICE_WORKING_DAYS,
)
from fazhi.registry.models import Certificate, DiscretionTier, PowerItem
from fazhi.workdays.calendar import add_working_days, next_working_day

CAL = "fz_check_cal"
# Every case's computed result, before it is compared with the stored one.
RES = "fz_check_res"
# The active certificates, copied into an analysed temporary table: with the certificate table's statistics
# stale or missing (a freshly loaded database), PostgreSQL estimated one active certificate and planned the
# anti-join as a nested loop over every certificate per handler — 26 s of a 31 s run on 1M cases.
CERTS = "fz_check_cert"
# PostgreSQL: each officer's active-certificate span (`_build_certificates`).
OFFICERS = "fz_check_off"
# Every combination of broken rules with its count and JSON list (`_build_masks`).
MASKS = "fz_check_mask"
# The working memory of the one statement on PostgreSQL (SET LOCAL: this transaction only). At the default 4MB the
# aggregate over the handlers and the hash joins of a million rows ran in batches through temporary files.
WORK_MEM = "256MB"

# One SQL condition per rule over the aliases of `_mask_sql` (k case, p power item, t tier, hc handler counts,
# hb cases with an uncertified handler) and the calendar's limits in braces (`CALENDAR_SQL`: the decision deadline,
# the earliest hearing, the last days to serve and to disclose, the end of the limitation period). Each mirrors the
# function of the same name in rules.py.
SQL_RULES = {
    "handlers_min_two": "k.procedure <> 'simple' AND COALESCE(hc.n, 0) < 2",
    "handler_certificate_invalid": "hb.case_id IS NOT NULL",
    "decision_overdue": "((k.decided_on IS NOT NULL AND k.decided_on > {deadline})"
    " OR (k.decided_on IS NULL AND %(as_of)s > {deadline}))",
    "legal_review_missing": "(k.major OR p.major) AND k.decided_on IS NOT NULL"
    " AND (k.legal_review_on IS NULL OR k.legal_review_on > k.decided_on)",
    "hearing_notice_short": "k.hearing_notice_on IS NOT NULL AND k.hearing_on IS NOT NULL AND k.hearing_on < {hear}",
    "service_late": "k.decided_on IS NOT NULL AND k.served_on IS NOT NULL AND k.served_on > {serve}",
    "disclosure_late": "k.decided_on IS NOT NULL AND k.disclosed_on IS NOT NULL AND k.disclosed_on >"
    " (CASE WHEN p.kind = 'penalty' THEN {disc_penalty} WHEN p.kind = 'licence'"
    " THEN {disc_licence} ELSE {disc_other} END)",
    "fine_outside_tier": "k.fine IS NOT NULL AND t.id IS NOT NULL AND (t.fine_min IS NOT NULL OR t.fine_max IS NOT NULL)"
    " AND ((t.fine_min IS NOT NULL AND k.fine < t.fine_min)"
    " OR (t.fine_max IS NOT NULL AND k.fine > t.fine_max))",
    "on_the_spot_limit": "k.procedure = 'simple' AND k.fine IS NOT NULL"
    " AND ((k.party_kind = 'person' AND k.fine > %(spot_person)s)"
    " OR (k.party_kind = 'organisation' AND k.fine > %(spot_org)s))",
    "limitation_expired": "k.violation_ended_on IS NOT NULL AND k.filed_on >"
    " (CASE WHEN k.limitation_extended THEN {lim_long} ELSE {lim_short} END)",
}

# Where each calendar limit is read from. SQLite: the rows of the temporary calendar table joined by day (cf/cd/chn/cv
# the rows of filed_on, decided_on, hearing_notice_on, violation_ended_on, cdl the decision deadline's row).
# PostgreSQL: the same limits as arrays indexed by day (`day - first day + 1`), passed as parameters — a subscript
# instead of five hash joins of a million rows each.
CAL_COLUMNS = ("roll", "hear", "serve", "disc_penalty", "disc_licence", "disc_other", "lim_short", "lim_long")
CALENDAR_SQL = {
    "sqlite": {
        "deadline": "cdl.roll",
        "hear": "chn.hear",
        "serve": "cd.serve",
        "disc_penalty": "cd.disc_penalty",
        "disc_licence": "cd.disc_licence",
        "disc_other": "cd.disc_other",
        "lim_short": "cv.lim_short",
        "lim_long": "cv.lim_long",
    },
    "postgresql": {
        "deadline": f"(%(cal_roll)s::date[])[k.filed_on - %(cal_lo)s::date + {1 + DECISION_DAYS} + k.extension_days]",
        "hear": "(%(cal_hear)s::date[])[k.hearing_notice_on - %(cal_lo)s::date + 1]",
        "serve": "(%(cal_serve)s::date[])[k.decided_on - %(cal_lo)s::date + 1]",
        "disc_penalty": "(%(cal_disc_penalty)s::date[])[k.decided_on - %(cal_lo)s::date + 1]",
        "disc_licence": "(%(cal_disc_licence)s::date[])[k.decided_on - %(cal_lo)s::date + 1]",
        "disc_other": "(%(cal_disc_other)s::date[])[k.decided_on - %(cal_lo)s::date + 1]",
        "lim_short": "(%(cal_lim_short)s::date[])[k.violation_ended_on - %(cal_lo)s::date + 1]",
        "lim_long": "(%(cal_lim_long)s::date[])[k.violation_ended_on - %(cal_lo)s::date + 1]",
    },
}

# PostgreSQL's twins where they differ: the handlers' aggregate `hc` there carries n (handlers), nc (handlers with
# any active certificate), lo..hi (the days all their certificate spans cover) and multi (a span with gaps, decided
# by the exact subquery over the active certificates).
PG_RULES = {
    "handler_certificate_invalid": "COALESCE(hc.n, 0) > 0 AND (hc.nc < hc.n OR CASE WHEN hc.multi THEN EXISTS ("
    f"SELECT 1 FROM {CaseHandler._meta.db_table} h2 WHERE h2.case_id = k.id AND NOT EXISTS (SELECT 1 FROM {CERTS} c "
    "WHERE c.officer_id = h2.officer_id AND c.valid_from <= COALESCE(k.decided_on, k.filed_on) "
    "AND c.valid_to >= COALESCE(k.decided_on, k.filed_on))) "
    "ELSE NOT (COALESCE(k.decided_on, k.filed_on) BETWEEN hc.lo AND hc.hi) END)",
}


def _years_later(day: dt.date, years: int) -> dt.date | None:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, as rules.limitation_expired
        try:
            return day.replace(year=day.year + years, day=28)
        except ValueError:
            return None


def _span() -> tuple[dt.date, dt.date] | None:
    """The first and last day any check looks up, or None without cases."""
    sql = (
        f"SELECT MIN(filed_on), MAX(filed_on), MIN(violation_ended_on), MAX(violation_ended_on), "
        f"MIN(decided_on), MAX(decided_on), MIN(hearing_notice_on), MAX(hearing_notice_on), "
        f"MAX(extension_days) FROM {Case._meta.db_table}"
    )
    with connection.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone()
    if row is None or row[0] is None:
        return None
    days = [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in row[:8]]
    days = [d for d in days if d is not None]
    lo, hi = min(days), max(days)
    hi = max(
        hi,
        (row[1] if isinstance(row[1], dt.date) else dt.date.fromisoformat(row[1]))
        + dt.timedelta(days=DECISION_DAYS + (row[8] or 0)),
    )
    return lo, hi


def _build_calendar(lo: dt.date, hi: dt.date) -> dict:
    """Each day of [lo, hi] with its precomputed limits: on SQLite the temporary calendar table (returns {}), on
    PostgreSQL the parameters of `CALENDAR_SQL` (one array per limit; a limit that does not exist is 9999-12-31,
    never reached, as NULLs would make every subscript a walk along the array)."""
    pg = connection.vendor == "postgresql"
    rows = []
    day = lo
    one = dt.timedelta(days=1)
    while day <= hi:
        values = (
            day,
            day.toordinal(),
            next_working_day(day),
            add_working_days(day, HEARING_NOTICE_WORKING_DAYS),
            add_working_days(day, SERVICE_WORKING_DAYS),
            add_working_days(day, DISCLOSURE_WORKING_DAYS["penalty"]),
            add_working_days(day, DISCLOSURE_WORKING_DAYS["licence"]),
            add_working_days(day, DISCLOSURE_WORKING_DAYS["other"]),
            _years_later(day, LIMITATION_YEARS),
            _years_later(day, LIMITATION_YEARS_EXTENDED),
        )
        rows.append(values if pg else tuple(v.isoformat() if isinstance(v, dt.date) else v for v in values))
        day += one
    if pg:
        arrays = {f"cal_{c}": [r[2 + i] or dt.date.max for r in rows] for i, c in enumerate(CAL_COLUMNS)}
        return {"cal_lo": lo, "calendar_days": len(rows), **arrays}
    cols = "day, ord, roll, hear, serve, disc_penalty, disc_licence, disc_other, lim_short, lim_long"
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {CAL}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {CAL} (day DATE PRIMARY KEY, ord INTEGER NOT NULL UNIQUE, roll DATE, "
            f"hear DATE, serve DATE, disc_penalty DATE, disc_licence DATE, disc_other DATE, lim_short DATE, "
            f"lim_long DATE)"
        )
        cur.executemany(f"INSERT INTO {CAL} ({cols}) VALUES ({', '.join(['%s'] * 10)})", rows)
    return {"calendar_days": len(rows)}


def _build_certificates() -> None:
    cert = Certificate._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {CERTS}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {CERTS} AS SELECT officer_id, valid_from, valid_to FROM {cert} "
            f"WHERE status = 'active'"
        )
        if connection.vendor == "postgresql":
            cur.execute(f"CREATE INDEX ON {CERTS} (officer_id)")
            cur.execute(f"ANALYZE {CERTS}")
            # Each officer's days covered by an active certificate, merged (a renewal that starts the day after the
            # old one ends is one span): the span's first and last day, and whether it has gaps (`multi`).
            cur.execute(f"DROP TABLE IF EXISTS {OFFICERS}")
            cur.execute(
                f"CREATE TEMPORARY TABLE {OFFICERS} AS SELECT s.officer_id, lower(range_merge(s.m)) AS lo, "
                f"upper(range_merge(s.m)) - 1 AS hi, (SELECT COUNT(*) FROM unnest(s.m)) > 1 AS multi "
                f"FROM (SELECT officer_id, range_agg(daterange(valid_from, valid_to, '[]')) AS m FROM {CERTS} "
                f"GROUP BY officer_id) s"
            )
            cur.execute(f"ALTER TABLE {OFFICERS} ADD PRIMARY KEY (officer_id)")
            cur.execute(f"ANALYZE {OFFICERS}")


def _build_masks(codes: list[str]) -> None:
    """Every combination of broken rules (a bit per rule, `_mask_sql`) with its count and its JSON list in
    catalogue order, so the pass over the cases computes one integer per case and no JSON."""
    import json

    pg = connection.vendor == "postgresql"
    rows = []
    for mask in range(1 << len(codes)):
        broken = [c for i, c in enumerate(codes) if mask >> i & 1]
        rows.append((mask, len(broken), json.dumps(broken)))
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {MASKS}")
        kind = "jsonb" if pg else "TEXT"
        cur.execute(f"CREATE TEMPORARY TABLE {MASKS} (mask INTEGER PRIMARY KEY, n INTEGER NOT NULL, rules {kind})")
        if pg:
            with cur.cursor.copy(f"COPY {MASKS} (mask, n, rules) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
            cur.execute(f"ANALYZE {MASKS}")
        else:
            cur.executemany(f"INSERT INTO {MASKS} (mask, n, rules) VALUES (%s, %s, %s)", rows)


def _rule_sql(code: str) -> str:
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    sql = PG_RULES[code] if vendor == "postgresql" and code in PG_RULES else SQL_RULES[code]
    return sql.format_map(CALENDAR_SQL[vendor])


def _mask_sql(codes: list[str]) -> str:
    """Every case's id and the bit mask of the rules it breaks (bit i: codes[i]), in one pass over the cases."""
    case, handler = Case._meta.db_table, CaseHandler._meta.db_table
    item, tier = PowerItem._meta.db_table, DiscretionTier._meta.db_table
    if connection.vendor == "postgresql":
        # One aggregate over the handlers, with no join back to the cases: how many, how many hold any active
        # certificate, and the days common to all their certificates' spans (`OFFICERS`); a case whose handlers
        # have certificates with gaps (rare) is decided exactly by `PG_RULES`' subquery.
        handlers = (
            f"LEFT JOIN (SELECT h.case_id, COUNT(*) AS n, COUNT(o.officer_id) AS nc, MAX(o.lo) AS lo, "
            f"MIN(o.hi) AS hi, BOOL_OR(o.multi) AS multi FROM {handler} h "
            f"LEFT JOIN {OFFICERS} o ON o.officer_id = h.officer_id GROUP BY h.case_id) hc ON hc.case_id = k.id "
        )
    else:
        # Handler counts; and the cases with a handler lacking an active certificate that covers the act date
        # (decision, else filing).
        handlers = (
            f"LEFT JOIN (SELECT case_id, COUNT(*) AS n FROM {handler} GROUP BY case_id) hc ON hc.case_id = k.id "
            f"LEFT JOIN (SELECT DISTINCT h.case_id FROM {handler} h JOIN {case} k2 ON k2.id = h.case_id "
            f"WHERE NOT EXISTS (SELECT 1 FROM {CERTS} c WHERE c.officer_id = h.officer_id "
            f"AND c.valid_from <= COALESCE(k2.decided_on, k2.filed_on) "
            f"AND c.valid_to >= COALESCE(k2.decided_on, k2.filed_on))) hb ON hb.case_id = k.id "
        )
        handlers += (
            f"LEFT JOIN {CAL} cf ON cf.day = k.filed_on "
            f"LEFT JOIN {CAL} cdl ON cdl.ord = cf.ord + {DECISION_DAYS} + k.extension_days "
            f"LEFT JOIN {CAL} cd ON cd.day = k.decided_on "
            f"LEFT JOIN {CAL} chn ON chn.day = k.hearing_notice_on "
            f"LEFT JOIN {CAL} cv ON cv.day = k.violation_ended_on"
        )
    mask = " + ".join(f"(CASE WHEN {_rule_sql(c)} THEN {1 << i} ELSE 0 END)" for i, c in enumerate(codes)) or "0"
    return (
        f"SELECT k.id AS id, {mask} AS mask FROM {case} k "
        f"JOIN {item} p ON p.id = k.power_item_id "
        f"LEFT JOIN {tier} t ON t.id = k.tier_id "
        f"{handlers}"
    )


def _store_pg(codes: list[str], params: dict) -> dict:
    """PostgreSQL: compute, compare and store in one statement. Each case's result meets its stored one in the same
    pass (`r`: 0 unchanged, 1 changed, 2 never checked); then an UPDATE of the changed and an INSERT of the new —
    not INSERT … ON CONFLICT DO UPDATE … WHERE changed, which locks, and so rewrites, every conflicting row even
    when its result is unchanged."""
    check = CaseCheck._meta.db_table
    sql = (
        f"WITH r AS MATERIALIZED (SELECT x.id, x.mask, CASE WHEN c.case_id IS NULL THEN 2 "
        f"WHEN c.errors <> m.n OR c.rules <> m.rules THEN 1 ELSE 0 END AS state FROM ({_mask_sql(codes)} OFFSET 0) x "
        f"JOIN {MASKS} m ON m.mask = x.mask LEFT JOIN {check} c ON c.case_id = x.id), "
        f"up AS (UPDATE {check} c SET errors = m.n, rules = m.rules, checked_at = %(now)s FROM r "
        f"JOIN {MASKS} m ON m.mask = r.mask WHERE r.state = 1 AND c.case_id = r.id RETURNING 1), "
        f"ins AS (INSERT INTO {check} (case_id, errors, rules, checked_at) SELECT r.id, m.n, m.rules, %(now)s "
        f"FROM r JOIN {MASKS} m ON m.mask = r.mask WHERE r.state = 2 RETURNING 1) "
        f"SELECT (SELECT COUNT(*) FROM r), (SELECT COUNT(*) FROM r WHERE r.mask <> 0), "
        f"(SELECT COUNT(*) FROM up), (SELECT COUNT(*) FROM ins)"
    )
    with connection.cursor() as cur:
        # The hash joins and the aggregate over a million rows stay in memory rather than in batches on disk.
        cur.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        # The subquery of PG_RULES inflates the estimated cost past the JIT thresholds: compiling the expressions
        # took 1.4 s of a 10 s run and saved nothing on plain comparisons.
        cur.execute("SET LOCAL jit = off")
        cur.execute(sql, params)
        cases, with_errors, updated, inserted = cur.fetchone()
    return {"cases": cases, "with_errors": with_errors, "updated": updated, "inserted": inserted}


def _store_sqlite(codes: list[str], params: dict) -> dict:
    """SQLite (no data-modifying CTE): the results into a temporary table, then an UPDATE and an INSERT."""
    check = CaseCheck._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {RES}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {RES} AS SELECT r.id AS id, m.n AS n, m.rules AS rules FROM "
            f"({_mask_sql(codes)}) r JOIN {MASKS} m ON m.mask = r.mask",
            params,
        )
        cur.execute(f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END), 0) FROM {RES}")
        cases, with_errors = cur.fetchone()
        cur.execute(
            f"UPDATE {check} SET errors = r.n, rules = r.rules, checked_at = %(now)s FROM {RES} r "
            f"WHERE {check}.case_id = r.id AND ({check}.errors <> r.n OR {check}.rules <> r.rules)",
            params,
        )
        updated = cur.rowcount
        cur.execute(
            f"INSERT INTO {check} (case_id, errors, rules, checked_at) SELECT r.id, r.n, r.rules, %(now)s "
            f"FROM {RES} r WHERE NOT EXISTS (SELECT 1 FROM {check} c WHERE c.case_id = r.id)",
            params,
        )
        inserted = cur.rowcount
        cur.execute(f"DROP TABLE IF EXISTS {RES}")
    return {"cases": cases, "with_errors": with_errors, "updated": updated, "inserted": inserted}


def _per_row(codes: list[str], as_of: dt.date | None) -> int:
    """Rules with no SQL twin: run case by case and merged into the stored result."""
    from fazhi.cases.checks import case_facts

    order = list(RULES)
    n = 0
    for case in Case.objects.select_related("power_item", "tier", "check_result").iterator(chunk_size=2000):
        facts = case_facts(case, as_of=as_of)
        extra = {c for c in codes if any(f.severity == "error" for f in RULES[c].check(facts))}
        if extra:
            stored = set(case.check_result.rules)
            merged = [c for c in order if c in stored | extra]
            CaseCheck.objects.filter(pk=case.pk).update(rules=merged, errors=len(merged))
            n += 1
    return n


def cases_check_all(
    *,
    as_of: dt.date | None = None,
    sync_warnings: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict:
    """Run every statutory check on every case (set-based), store the results, then sync 风险预警 items.
    `progress(done, total, message)` hears each phase (the job of 「立即全面校验」 shows them)."""
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    codes = [c for c in RULES if c in SQL_RULES]
    per_row_codes = [c for c in RULES if c not in SQL_RULES]
    result = {"cases": 0, "calendar_days": 0, "set_based_rules": codes, "per_row_rules": per_row_codes}
    phases = 2 + bool(per_row_codes) + bool(sync_warnings)
    step = 0

    def report(message: str) -> None:
        nonlocal step
        if progress is not None:
            progress(step, phases, message)
        step += 1

    pg = connection.vendor == "postgresql"
    report("正在准备工作日历和执法证有效期")
    with transaction.atomic():
        span = _span()
        if span is None:
            result.update(with_errors=0, updated=0, inserted=0)
            return {**result, "seconds": 0.0}
        calendar = _build_calendar(*span)
        result["calendar_days"] = calendar.pop("calendar_days")
        _build_certificates()
        _build_masks(codes)
    report(f"正在对全部案件逐条计算 {len(codes)} 项法定规则并写入结果")
    params = {
        "as_of": as_of if pg else as_of.isoformat(),
        "now": timezone.now(),
        "spot_person": ON_THE_SPOT_LIMIT["person"],
        "spot_org": ON_THE_SPOT_LIMIT["organisation"],
        **calendar,
    }
    if not pg:
        params["spot_person"], params["spot_org"] = float(params["spot_person"]), float(params["spot_org"])
    with transaction.atomic():
        result.update(_store_pg(codes, params) if pg else _store_sqlite(codes, params))
        if per_row_codes:
            report("正在逐案检查尚无集合运算的规则")
            result["per_row_updated"] = _per_row(per_row_codes, as_of)
    with connection.cursor() as cur:
        for table in (RES, CAL, CERTS, OFFICERS, MASKS):
            cur.execute(f"DROP TABLE IF EXISTS {table}")
    result["check_seconds"] = round(time.perf_counter() - started, 3)
    if sync_warnings:
        from fazhi.cases.services import cases_sync_warnings

        report("正在开立和办结风险预警")
        result["warnings"] = cases_sync_warnings(today=as_of)
    report("已完成")
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result


# ---------------------------------------------------------------- the bulk check as a job (我的任务)

JOB_KIND = "cases_check"
JOB_LABEL = "案件法定规则批量检查"


def cases_check_all_start(*, by, as_of: dt.date | None = None):
    """「立即全面校验」: queue the bulk check as a job of `by` (a supervisor); returns the Job, whose page shows the
    progress and the summary. The nightly run (`tasks.cases_check_all_task`) does the same without a job."""
    from fazhi.cases.permissions import case_supervision_actions
    from fazhi.core.errors import Forbidden
    from fazhi.core.jobs import job_start

    if "bulk_check" not in case_supervision_actions(user=by):
        raise Forbidden("无权发起案件法定规则批量检查")
    return job_start(JOB_KIND, by=by, params={"as_of": as_of.isoformat() if as_of else None})


def check_summary(result: dict) -> dict:
    """The figures a person reads from a run of `cases_check_all` (the job's summary)."""
    warnings = result.get("warnings") or {}
    return {
        "cases": result.get("cases", 0),
        "with_errors": result.get("with_errors", 0),
        "changed": result.get("updated", 0) + result.get("inserted", 0) + result.get("per_row_updated", 0),
        "warnings_opened": warnings.get("opened", 0),
        "warnings_closed": warnings.get("closed", 0),
    }


def cases_check_job(job, params: dict):
    """The job's runner: `cases_check_all` with its phases reported as progress, then the summary."""
    from django.urls import reverse

    from fazhi.core.jobs import Outcome, job_progress

    as_of = dt.date.fromisoformat(params["as_of"]) if params.get("as_of") else None

    def progress(done: int, total: int, message: str) -> None:
        job_progress(job, done, total, message)

    summary = check_summary(cases_check_all(as_of=as_of, progress=progress))
    message = (
        f"已检查 {summary['cases']} 件案件，{summary['with_errors']} 件存在问题，{summary['changed']} 件结果有变化；"
        f"风险预警新开 {summary['warnings_opened']} 件、办结 {summary['warnings_closed']} 件"
    )
    return Outcome(
        message=message,
        summary={**summary, "url": reverse("cases:warning_list"), "url_label": "查看风险预警"},
    )
