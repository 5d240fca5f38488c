"""Reads of penalty cases and disclosures, each applying the viewer's data scope."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from fazhi.cases.checks import case_facts, certificate_on
from fazhi.cases.models import Case, CaseCheck, CaseHandler, Disclosure, DisclosureWord
from fazhi.cases.rules import RULES, check_case
from fazhi.core.audit import log_operation
from fazhi.core.errors import NotFound
from fazhi.core.masking import mask_id_number
from fazhi.core.normalize import clean_text
from fazhi.core.scope import has_permission, scope_q, user_data_scope
from fazhi.core.search import search_filter, unestimated, walking_word
from fazhi.registry.models import Agency, Certificate, DiscretionTier, ListEntry, Officer, PowerItem
from fazhi.registry.selectors import list_entries_for
from fazhi.tracking.selectors import item_timeline

# ---------------------------------------------------------------- cases


def _pk(value):
    return getattr(value, "pk", value)


def case_scope_q(user, *, through: str = "") -> Q:
    """Cases the user may see: 本人 — cases he handles (as the officer linked to his login, via a subquery so
    that two handlers never duplicate a row); otherwise the agency's unit within his data scope.
    `through` is the path to the case from another model ("case__" for `CaseCheck`)."""

    if user_data_scope(user) == "self":
        return Q(**{f"{through}pk__in": CaseHandler.objects.filter(officer__user_id=user.pk).values("case_id")})
    return scope_q(user, unit_field=f"{through}agency__unit")


@dataclass
class CaseFilters:
    agency: int | None = None
    stage: str = ""
    procedure: str = ""
    party_kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    has_errors: bool | None = None
    rule: str = ""


def case_list(*, user, filters: CaseFilters | None = None) -> QuerySet:
    f = filters or CaseFilters()
    qs = Case.objects.filter(case_scope_q(user)).select_related("agency__unit", "power_item", "check_result")
    if f.agency:
        qs = qs.filter(agency_id=f.agency)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.procedure:
        qs = qs.filter(procedure=f.procedure)
    if f.party_kind:
        qs = qs.filter(party_kind=f.party_kind)
    if f.date_from:
        qs = qs.filter(filed_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(filed_on__lte=f.date_to)
    q = clean_text(f.q)
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(party_name__icontains=q)
            | Q(decision_number__icontains=q)
        )
    if f.has_errors is True:
        qs = qs.filter(check_result__errors__gt=0)
    elif f.has_errors is False:  # 无预警: checked without error, or not checked yet
        qs = qs.filter(Q(check_result__isnull=True) | Q(check_result__errors=0))
    if f.rule:
        qs = qs.filter(check_result__rules__icontains=f'"{f.rule}"')
    return qs.order_by("-filed_on", "-id")


def case_get(*, user, pk):
    try:
        return (
            Case.objects.filter(case_scope_q(user))
            .select_related(
                "agency__unit",
                "power_item",
                "tier",
                "list_entry",
                "item",
                "service_item",
                "disclosure_item",
                "warning_item",
                "check_result",
            )
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def case_check_result(case) -> CaseCheck | None:
    """The stored result of the statutory checks of a case (loaded with it by `case_list` / `case_get`), or None
    when it was never checked."""
    try:
        return case.check_result
    except CaseCheck.DoesNotExist:
        return None


def case_checks(*, case, as_of: dt.date | None = None) -> list:
    """The statutory findings of a stored case, today: the same rules and facts as `POST /cases/check`."""
    return check_case(case_facts(case, as_of=as_of or timezone.localdate()))


@dataclass
class CaseHandlerRow:
    officer: Officer
    certificate: Certificate | None


def case_handlers(*, case) -> list[CaseHandlerRow]:
    """Each handler with the certificate that speaks for him on the act date (decision, else filing)."""
    act = case.decided_on or case.filed_on
    rows = []
    for ch in case.casehandler_set.select_related("officer").prefetch_related("officer__certificates"):
        rows.append(CaseHandlerRow(ch.officer, certificate_on(list(ch.officer.certificates.all()), act)))
    return rows


def case_party_display(*, user, case, ip=None) -> str:
    """The party's ID number or credit code: in full to supervisors (each view logged), masked to others."""
    if case.party_kind == "organisation":
        return case.party_uscc
    if not case.party_id_number:
        return ""
    if has_permission(user, "case.supervise"):
        log_operation(user=user, action="查看当事人身份证号", obj=case, summary=case.number, ip=ip)
        return case.party_id_number
    return mask_id_number(case.party_id_number)


def case_extensions(*, case) -> QuerySet:
    return case.extensions.select_related("recorded_by").order_by("approved_on", "id")


def case_stage_clocks(*, case) -> list[tuple]:
    """The statutory clocks that ran after the decision, as (tracked item, label) for the case page."""
    clocks = [(case.service_item, "送达"), (case.disclosure_item, "公示")]
    return [(item, label) for item, label in clocks if item is not None]


def case_timeline(*, case):
    return item_timeline(item=case.item) if case.item_id else []


def case_agency_choices(*, user) -> QuerySet[Agency]:
    """Agencies the user may file a case for: active agencies within his data scope."""
    return Agency.objects.filter(scope_q(user, unit_field="unit"), is_active=True).select_related("unit")


def case_officer_choices(*, agency_ids) -> QuerySet[Officer]:
    return (
        Officer.objects.filter(agency_id__in=agency_ids, is_active=True)
        .select_related("agency__unit")
        .order_by("agency_id", "name", "id")
    )


def case_power_item_choices(*, agency_ids) -> QuerySet[PowerItem]:
    return (
        PowerItem.objects.filter(agency_id__in=agency_ids, kind="penalty", is_current=True, is_active=True)
        .select_related("agency__unit")
        .order_by("agency_id", "code")
    )


def case_tier_choices(*, case) -> QuerySet:
    return DiscretionTier.objects.filter(power_item_id=case.power_item_id).order_by("sort_order", "id")


def case_exempt_entries(*, case) -> QuerySet[ListEntry]:
    return list_entries_for(agency=case.agency, item=case.power_item).filter(kind="exempt")


def case_disclosure(*, case):
    return Disclosure.objects.filter(case=case).first()


def review_candidates(
    *, agency_ids, date_from: dt.date, date_to: dt.date, power_item_kind: str = "penalty", procedures=()
) -> QuerySet:
    """Cases a case-file review (supervision.reviews) may sample: of these agencies, decided in the period, of this
    kind of power item (and these procedures, if any), each annotated `flagged` — its stored statutory check found an
    error (cases.CaseCheck). Not scoped to a viewer: the campaign defines the scope and its service checks who may
    draw. One join with the side table, so a million cases are read set-based."""
    agency_ids = list(agency_ids)
    # The kind through the items' ids, read first, not a join nor a subquery: the planner then sees a list of
    # constants it has statistics for, and the scan stays on the index `case_review_scope` (index only), however
    # stale the small items table's statistics (with a subquery it took one item for all and read the whole table).
    items = list(PowerItem.objects.filter(agency_id__in=agency_ids, kind=power_item_kind).values_list("pk", flat=True))
    qs = Case.objects.filter(
        agency_id__in=agency_ids, decided_on__gte=date_from, decided_on__lte=date_to, power_item_id__in=items
    )
    if procedures:
        qs = qs.filter(procedure__in=list(procedures))
    return qs.annotate(flagged=ExpressionWrapper(Q(check_result__errors__gt=0), output_field=BooleanField()))


# ---- statistics: set-based over the stored check results


def _checked_cases(*, user, date_from=None, date_to=None) -> QuerySet:
    """The stored check results of the cases in the user's scope, by filing date (one join, no per-row work)."""
    qs = CaseCheck.objects.filter(case_scope_q(user, through="case__"))
    if date_from:
        qs = qs.filter(case__filed_on__gte=date_from)
    if date_to:
        qs = qs.filter(case__filed_on__lte=date_to)
    return qs


def _rate(checked: int, errors: int) -> float | None:
    return round(100.0 * (checked - errors) / checked, 1) if checked else None


def compliance_by_agency(*, user, date_from=None, date_to=None) -> list[dict]:
    """Per agency: cases checked, cases with errors, compliance rate (%) — one GROUP BY query."""
    rows = (
        _checked_cases(user=user, date_from=date_from, date_to=date_to)
        .values("case__agency_id", "case__agency__unit__name", "case__agency__unit__sort_order")
        .annotate(checked=Count("pk"), errors=Count("pk", filter=Q(errors__gt=0)))
        .order_by("case__agency__unit__sort_order", "case__agency_id")
    )
    return [
        {
            "agency_id": r["case__agency_id"],
            "agency": r["case__agency__unit__name"],
            "checked": r["checked"],
            "errors": r["errors"],
            "rate": _rate(r["checked"], r["errors"]),
        }
        for r in rows
    ]


def compliance_by_rule(*, user, date_from=None, date_to=None) -> list[dict]:
    """Per rule: cases checked, cases breaking it, compliance rate (%) — one aggregate query."""
    qs = _checked_cases(user=user, date_from=date_from, date_to=date_to)
    counts = qs.aggregate(
        checked=Count("pk"),
        **{f"r{i}": Count("pk", filter=Q(rules__icontains=f'"{code}"')) for i, code in enumerate(RULES)},
    )
    checked = counts["checked"]
    return [
        {
            "rule": code,
            "title": r.title,
            "citation": r.citation,
            "checked": checked,
            "errors": counts[f"r{i}"],
            "rate": _rate(checked, counts[f"r{i}"]),
        }
        for i, (code, r) in enumerate(RULES.items())
    ]


def warning_list(*, user, agency=None, rule: str = "") -> QuerySet:
    """风险预警: cases whose stored checks found an error, most recent first."""
    return case_list(
        user=user, filters=CaseFilters(agency=_pk(agency) if agency else None, has_errors=True, rule=rule)
    ).select_related("warning_item")


# ---- public disclosure (portal): masked at publication, never withdrawn rows

DISCLOSURE_PAGE = 20


@dataclass
class DisclosurePage:
    rows: list
    next_cursor: str


def _cursor(value: str) -> tuple[dt.date, int] | None:
    try:
        day, pk = value.split("_", 1)
        return dt.date.fromisoformat(day), int(pk)
    except (ValueError, AttributeError):
        return None


def disclosure_search(
    *,
    agency=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    party_kind: str = "",
    q: str = "",
    cursor: str = "",
    limit: int = DISCLOSURE_PAGE,
) -> DisclosurePage:
    """Disclosed decisions, newest first, keyset-paginated on (published_on, id): every page costs the same. A
    keyword is searched through the search tokens (core/search.py: two-character names and terms included), among
    the newest rows after the cursor that hold the page (`first`), so a common term's page reads only its window."""
    after = _cursor(cursor) if cursor else None
    q = clean_text(q)[:50]
    rows = None
    if q:
        word = walking_word(Disclosure.objects.all(), "search_vector", q)
        if word:
            rows = _disclosures_holding(word, q, agency, date_from, date_to, party_kind, after, limit)
    if rows is None:
        qs = Disclosure.objects.filter(_disclosure_filters("", agency, date_from, date_to, party_kind, after, "id"))
        if q:
            qs = search_filter(
                qs, "search_vector", q, fields=["search"], newest=("-published_on", "-id"), first=limit + 1
            )
        rows = list(qs.select_related("agency__unit").order_by("-published_on", "-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = f"{rows[-1].published_on.isoformat()}_{rows[-1].pk}" if more and rows else ""
    return DisclosurePage(rows=rows, next_cursor=next_cursor)


def _disclosure_filters(on: str, agency, date_from, date_to, party_kind, after, id_field: str) -> Q:
    """The portal's filters and the cursor, on the disclosure itself (`on` "") or through a related row (`on`
    "disclosure__"); dates and the cursor on `published_on` and `id_field` of the row queried, which follow the
    disclosure's."""
    cond = Q(**{f"{on}withdrawn_at__isnull": True})
    if agency:
        cond &= Q(**{f"{on}agency_id": _pk(agency)})
    if date_from:
        cond &= Q(published_on__gte=date_from)
    if date_to:
        cond &= Q(published_on__lte=date_to)
    if party_kind in ("person", "organisation"):
        cond &= Q(**{f"{on}party_kind": party_kind})
    if after:
        # The first condition repeats what the second implies, as a range the ordering index can start from.
        cond &= Q(published_on__lte=after[0]) & (
            Q(published_on__lt=after[0]) | Q(published_on=after[0], **{f"{id_field}__lt": after[1]})
        )
    return cond


def _disclosures_holding(word, q, agency, date_from, date_to, party_kind, after, limit) -> list[Disclosure]:
    """The first `limit` + 1 disclosures containing `q`, newest first, read by walking those that hold the ASCII
    `word` of `q` (core/search.py `walking_word`) in the portal's order: the same rows as the substring search,
    since every disclosure containing `q` holds `word`."""
    # The substring test told to the planner as "half the rows" (it guesses a few for LIKE '%…%' and would rather
    # scan every disclosure); so it walks the word's index in order and stops at the page.
    ids = list(
        DisclosureWord.objects.filter(
            _disclosure_filters("disclosure__", agency, date_from, date_to, party_kind, after, "disclosure_id"),
            unestimated(Q(disclosure__search__icontains=q)),
            word=word,
        )
        .order_by("-published_on", "-disclosure_id")
        .values_list("disclosure_id", flat=True)[: limit + 1]
    )
    found = Disclosure.objects.select_related("agency__unit").in_bulk(ids)
    return [found[pk] for pk in ids]


def disclosure_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("unit").order_by("unit__sort_order", "id")


def disclosure_get(*, user, pk):
    """A disclosure of a case the user may see (for withdrawal); 404 otherwise."""
    try:
        return (
            Disclosure.objects.select_related("case", "agency__unit")
            .filter(case__in=Case.objects.filter(case_scope_q(user)))
            .get(pk=pk)
        )
    except (Disclosure.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# ---- for the 执法风险预警提醒 of supervision (system-wide: the job computes every agency's figures)


def case_warning_counts(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Per agency unit: the 风险预警 items the statutory checks opened in [date_from, date_to] — every warning
    counts, also one since closed or replaced by a later one (one GROUP BY over the tracked items)."""
    from fazhi.cases.tracking_kinds import CASE_WARNING
    from fazhi.tracking.models import TrackedItem

    rows = (
        TrackedItem.objects.filter(kind=CASE_WARNING.code, start_date__gte=date_from, start_date__lte=date_to)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["unit_id"]: r["n"] for r in rows}


def case_compliance_by_unit(*, date_from: dt.date, date_to: dt.date) -> dict[int, tuple[int, int]]:
    """For the assessment module (考核): per agency unit, over the cases filed in [date_from, date_to] that the
    statutory checks have seen: (cases without any warning, cases checked) — system-wide, one GROUP BY."""
    rows = (
        CaseCheck.objects.filter(case__filed_on__gte=date_from, case__filed_on__lte=date_to)
        .values("case__agency__unit_id")
        .annotate(checked=Count("pk"), errors=Count("pk", filter=Q(errors__gt=0)))
        .order_by()
    )
    return {r["case__agency__unit_id"]: (r["checked"] - r["errors"], r["checked"]) for r in rows}


# The cases each rule the assessment scores on its own applies to (the rules themselves skip the others).
ASSESSED_RULES = {
    "disclosure_late": Q(decided_on__isnull=False, disclosed_on__isnull=False),
    "legal_review_missing": Q(decided_on__isnull=False) & (Q(major=True) | Q(power_item__major=True)),
    "handler_certificate_invalid": Q(),
}


def _failed(rule: str) -> Q:
    # The stored list of failed rules as text ('["disclosure_late", …]'): JSON containment is PostgreSQL-only.
    return Q(rules_text__contains=f'"{rule}"')


def case_rule_compliance_by_unit(*, rule: str, date_from: dt.date, date_to: dt.date) -> dict[int, tuple[int, int]]:
    """For the assessment module: per agency unit, over the checked cases filed in [date_from, date_to] that the
    statutory rule `rule` (one of ASSESSED_RULES) applies to: (cases it found nothing wrong with, cases) — one GROUP
    BY."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    rows = (
        Case.objects.filter(ASSESSED_RULES[rule], filed_on__gte=date_from, filed_on__lte=date_to)
        .filter(check_result__isnull=False)
        .annotate(rules_text=Cast("check_result__rules", TextField()))
        .values("agency__unit_id")
        .annotate(n=Count("pk"), failed=Count("pk", filter=_failed(rule)))
        .order_by()
    )
    return {r["agency__unit_id"]: (r["n"] - r["failed"], r["n"]) for r in rows}


def case_rule_checked_of(*, rule: str, unit_ids, date_from: dt.date, date_to: dt.date, limit: int = 200) -> list:
    """The cases behind case_rule_compliance_by_unit for some units: (id, number, the rule failed), failures first."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    rows = (
        Case.objects.filter(ASSESSED_RULES[rule], filed_on__gte=date_from, filed_on__lte=date_to)
        .filter(agency__unit_id__in=list(unit_ids), check_result__isnull=False)
        .annotate(
            rules_text=Cast("check_result__rules", TextField()),
            failed=ExpressionWrapper(_failed(rule), output_field=BooleanField()),
        )
        .order_by("-failed", "-filed_on", "-pk")
        .values_list("pk", "number", "failed")[:limit]
    )
    return list(rows)


def cases_checked_of(*, unit_ids, date_from: dt.date, date_to: dt.date, limit: int = 200) -> list[tuple]:
    """The cases behind case_compliance_by_unit for some units: (id, number, warnings)."""
    return list(
        CaseCheck.objects.filter(
            case__agency__unit_id__in=list(unit_ids), case__filed_on__gte=date_from, case__filed_on__lte=date_to
        )
        .order_by("-errors", "-case__filed_on", "-pk")
        .values_list("case_id", "case__number", "errors")[:limit]
    )


def case_monthly_counts(*, user, year: int) -> dict[int, tuple[int, int]]:
    """Per month of `year` (1-12) in the user's scope: (cases filed, cases closed) — two GROUP BY queries."""
    from django.db.models.functions import ExtractMonth

    scoped = Case.objects.filter(case_scope_q(user))
    # count(*), not count(id): the dates' own indexes (case_filed_on, case_closed_on) then answer without the table.
    filed = scoped.filter(filed_on__year=year).annotate(m=ExtractMonth("filed_on")).values("m").annotate(n=Count("*"))
    closed = (
        scoped.filter(closed_on__year=year).annotate(m=ExtractMonth("closed_on")).values("m").annotate(n=Count("*"))
    )
    f = {r["m"]: r["n"] for r in filed.order_by()}
    c = {r["m"]: r["n"] for r in closed.order_by()}
    return {m: (f.get(m, 0), c.get(m, 0)) for m in range(1, 13)}


# ---- for the reports of assessment (system-wide figures per unit; the records behind them through case_list)


def case_decided_counts(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Per agency unit: penalty cases decided in [date_from, date_to] (one GROUP BY)."""
    rows = (
        Case.objects.filter(decided_on__gte=date_from, decided_on__lte=date_to)
        .values("agency__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["agency__unit_id"]: r["n"] for r in rows}
