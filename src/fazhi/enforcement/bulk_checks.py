"""The statutory checks over every stored case at once, as set-based SQL (design.md §4: no per-row loops).

Which rules run how:
- set-based (one SELECT over the whole table into a temporary result table, then one UPDATE of the changed
  results and one INSERT of the new ones into the `CaseCheck` side table): all ten rules of `rules.py` —
  handlers_min_two, handler_certificate_invalid, decision_overdue, legal_review_missing, hearing_notice_short,
  service_late, disclosure_late, fine_outside_tier, on_the_spot_limit, limitation_expired;
- per row: any rule added to `rules.py` without an SQL twin here (`SQL_RULES`) — it still runs, case by case
  through `case_facts`, so a new rule is never silently skipped; and the 风险预警 items of the cases whose
  state changed (`services.cases_sync_warnings`), which are few after the first run.

Working-day and calendar arithmetic is not repeated in SQL: a temporary calendar table maps every day of the
span the cases need to its precomputed limits (next working day, + 7 / + 20 working days, + 2 / + 5 years) with
`workdays.calendar` itself, so the SQL joins where Python would call `add_working_days`. `ord` (the date's
ordinal) turns "filed_on + 90 + extension days" into an integer join that works on SQLite and PostgreSQL alike.

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

from django.db import connection, transaction
from django.utils import timezone

from fazhi.enforcement.models import Case, CaseCheck, CaseHandler, Certificate, DiscretionTier, PowerItem
from fazhi.enforcement.rules import (
    DECISION_DAYS,
    DISCLOSURE_WORKING_DAYS,
    HEARING_NOTICE_WORKING_DAYS,
    LIMITATION_YEARS,
    LIMITATION_YEARS_EXTENDED,
    ON_THE_SPOT_LIMIT,
    RULES,
    SERVICE_WORKING_DAYS,
)
from fazhi.workdays.calendar import add_working_days, next_working_day

CAL = "fz_check_cal"
# Every case's computed result, before it is compared with the stored one.
RES = "fz_check_res"
# The active certificates, copied into an analysed temporary table: with the certificate table's statistics
# stale or missing (a freshly loaded database), PostgreSQL estimated one active certificate and planned the
# anti-join as a nested loop over every certificate per handler — 26 s of a 31 s run on 1M cases.
CERTS = "fz_check_cert"

# One SQL condition per rule over the aliases of `_flags_sql` (k case, p power item, t tier, hc handler counts,
# hb cases with an uncertified handler,
# cf/cd/chn/cv calendar rows of filed_on, decided_on, hearing_notice_on, violation_ended_on, cdl the decision
# deadline's row). Each mirrors the function of the same name in rules.py.
SQL_RULES = {
    "handlers_min_two": "k.procedure <> 'simple' AND COALESCE(hc.n, 0) < 2",
    "handler_certificate_invalid": "hb.case_id IS NOT NULL",
    "decision_overdue": "((k.decided_on IS NOT NULL AND k.decided_on > cdl.roll)"
    " OR (k.decided_on IS NULL AND %(as_of)s > cdl.roll))",
    "legal_review_missing": "(k.major OR p.major) AND k.decided_on IS NOT NULL"
    " AND (k.legal_review_on IS NULL OR k.legal_review_on > k.decided_on)",
    "hearing_notice_short": "k.hearing_notice_on IS NOT NULL AND k.hearing_on IS NOT NULL AND k.hearing_on < chn.hear",
    "service_late": "k.decided_on IS NOT NULL AND k.served_on IS NOT NULL AND k.served_on > cd.serve",
    "disclosure_late": "k.decided_on IS NOT NULL AND k.disclosed_on IS NOT NULL AND k.disclosed_on >"
    " (CASE WHEN p.kind = 'penalty' THEN cd.disc_penalty WHEN p.kind = 'licence'"
    " THEN cd.disc_licence ELSE cd.disc_other END)",
    "fine_outside_tier": "k.fine IS NOT NULL AND t.id IS NOT NULL AND (t.fine_min IS NOT NULL OR t.fine_max IS NOT NULL)"
    " AND ((t.fine_min IS NOT NULL AND k.fine < t.fine_min)"
    " OR (t.fine_max IS NOT NULL AND k.fine > t.fine_max))",
    "on_the_spot_limit": "k.procedure = 'simple' AND k.fine IS NOT NULL"
    " AND ((k.party_kind = 'person' AND k.fine > %(spot_person)s)"
    " OR (k.party_kind = 'organisation' AND k.fine > %(spot_org)s))",
    "limitation_expired": "k.violation_ended_on IS NOT NULL AND k.filed_on >"
    " (CASE WHEN k.limitation_extended THEN cv.lim_long ELSE cv.lim_short END)",
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


def _build_calendar(lo: dt.date, hi: dt.date) -> int:
    """The temporary calendar table for [lo, hi]: each day with its precomputed limits."""
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
    cols = "day, ord, roll, hear, serve, disc_penalty, disc_licence, disc_other, lim_short, lim_long"
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {CAL}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {CAL} (day DATE PRIMARY KEY, ord INTEGER NOT NULL UNIQUE, roll DATE, "
            f"hear DATE, serve DATE, disc_penalty DATE, disc_licence DATE, disc_other DATE, lim_short DATE, "
            f"lim_long DATE)"
        )
        if pg:
            with cur.cursor.copy(f"COPY {CAL} ({cols}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
            cur.execute(f"ANALYZE {CAL}")
        else:
            cur.executemany(f"INSERT INTO {CAL} ({cols}) VALUES ({', '.join(['%s'] * 10)})", rows)
    return len(rows)


def _build_certificates() -> None:
    cert = Certificate._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {CERTS}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {CERTS} AS SELECT officer_id, valid_from, valid_to FROM {cert} "
            f"WHERE status = 'active'"
        )
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {CERTS}")


def _flags_sql(codes: list[str]) -> str:
    case, handler = Case._meta.db_table, CaseHandler._meta.db_table
    item, tier = PowerItem._meta.db_table, DiscretionTier._meta.db_table
    # Handler counts; and the cases with a handler lacking an active certificate that covers the act date
    # (decision, else filing) — a NOT EXISTS outside any aggregate over the analysed copy of the active
    # certificates (`_build_certificates`), so PostgreSQL plans it as a hash anti-join.
    counts = f"SELECT case_id, COUNT(*) AS n FROM {handler} GROUP BY case_id"
    uncertified = (
        f"SELECT DISTINCT h.case_id FROM {handler} h JOIN {case} k2 ON k2.id = h.case_id "
        f"WHERE NOT EXISTS (SELECT 1 FROM {CERTS} c WHERE c.officer_id = h.officer_id "
        f"AND c.valid_from <= COALESCE(k2.decided_on, k2.filed_on) "
        f"AND c.valid_to >= COALESCE(k2.decided_on, k2.filed_on))"
    )
    flags = ", ".join(f"CASE WHEN {SQL_RULES[c]} THEN 1 ELSE 0 END AS f{i}" for i, c in enumerate(codes))
    return (
        f"SELECT k.id, {flags} FROM {case} k "
        f"JOIN {item} p ON p.id = k.power_item_id "
        f"LEFT JOIN {tier} t ON t.id = k.tier_id "
        f"LEFT JOIN ({counts}) hc ON hc.case_id = k.id "
        f"LEFT JOIN ({uncertified}) hb ON hb.case_id = k.id "
        f"LEFT JOIN {CAL} cf ON cf.day = k.filed_on "
        f"LEFT JOIN {CAL} cdl ON cdl.ord = cf.ord + {DECISION_DAYS} + k.extension_days "
        f"LEFT JOIN {CAL} cd ON cd.day = k.decided_on "
        f"LEFT JOIN {CAL} chn ON chn.day = k.hearing_notice_on "
        f"LEFT JOIN {CAL} cv ON cv.day = k.violation_ended_on"
    )


def _results_sql(codes: list[str]) -> str:
    """Every case's result: its id, the count and the JSON list of the rules it breaks."""
    pg = connection.vendor == "postgresql"
    count = " + ".join(f"x.f{i}" for i in range(len(codes))) or "0"
    parts = " || ".join(f"CASE WHEN x.f{i} = 1 THEN ',\"{c}\"' ELSE '' END" for i, c in enumerate(codes)) or "''"
    rules = f"'[' || SUBSTR({parts}, 2) || ']'"
    if pg:
        rules = f"CAST({rules} AS jsonb)"
    return f"SELECT x.id, {count} AS n, {rules} AS rules FROM ({_flags_sql(codes)}) x"


def _store_sql() -> list[str]:
    """Refill the side table from the computed results: rewrite the rows whose result changed, add the cases never
    checked. The case table itself is not written, so its many indexes cost nothing here."""
    check = CaseCheck._meta.db_table
    return [
        f"UPDATE {check} SET errors = r.n, rules = r.rules, checked_at = %(now)s FROM {RES} r "
        f"WHERE {check}.case_id = r.id AND ({check}.errors <> r.n OR {check}.rules <> r.rules)",
        f"INSERT INTO {check} (case_id, errors, rules, checked_at) SELECT r.id, r.n, r.rules, %(now)s FROM {RES} r "
        f"WHERE NOT EXISTS (SELECT 1 FROM {check} c WHERE c.case_id = r.id)",
    ]


def _per_row(codes: list[str], as_of: dt.date | None) -> int:
    """Rules with no SQL twin: run case by case and merged into the stored result."""
    from fazhi.enforcement.checks import case_facts

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


def cases_check_all(*, as_of: dt.date | None = None, sync_warnings: bool = True) -> dict:
    """Run every statutory check on every case (set-based), store the results, then sync 风险预警 items."""
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    codes = [c for c in RULES if c in SQL_RULES]
    per_row_codes = [c for c in RULES if c not in SQL_RULES]
    result = {"cases": 0, "calendar_days": 0, "set_based_rules": codes, "per_row_rules": per_row_codes}
    with transaction.atomic():
        span = _span()
        if span is None:
            return {**result, "seconds": 0.0}
        result["calendar_days"] = _build_calendar(*span)
        _build_certificates()
        pg = connection.vendor == "postgresql"
        params = {
            "as_of": as_of if pg else as_of.isoformat(),
            "now": timezone.now(),
            "spot_person": ON_THE_SPOT_LIMIT["person"],
            "spot_org": ON_THE_SPOT_LIMIT["organisation"],
        }
        if not pg:
            params["spot_person"], params["spot_org"] = float(params["spot_person"]), float(params["spot_org"])
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {RES}")
            cur.execute(f"CREATE TEMPORARY TABLE {RES} AS {_results_sql(codes)}", params)
            if pg:
                cur.execute(f"ANALYZE {RES}")
            cur.execute(f"SELECT COUNT(*) FROM {RES}")
            result["cases"] = cur.fetchone()[0]
            update, insert = _store_sql()
            cur.execute(update, {"now": params["now"]})
            result["updated"] = cur.rowcount
            cur.execute(insert, {"now": params["now"]})
            result["inserted"] = cur.rowcount
            cur.execute(f"DROP TABLE IF EXISTS {RES}")
            cur.execute(f"DROP TABLE IF EXISTS {CAL}")
            cur.execute(f"DROP TABLE IF EXISTS {CERTS}")
        if per_row_codes:
            result["per_row_updated"] = _per_row(per_row_codes, as_of)
    result["check_seconds"] = round(time.perf_counter() - started, 3)
    if sync_warnings:
        from fazhi.enforcement.services import cases_sync_warnings

        result["warnings"] = cases_sync_warnings(today=as_of)
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result
