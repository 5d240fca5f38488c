"""Reads of 通报与年度报告, inside the viewer's scope: a unit's own reports, the reports of units the viewer's scope
reaches, and every published 季度通报 (published internally)."""

from django.db.models import Q, QuerySet

from fazhi.assessment.reports import rules
from fazhi.assessment.reports.models import AssessmentReport, ReportFigure
from fazhi.core.errors import NotFound
from fazhi.core.scope import scope_q, user_data_scope


def report_scope_q(user) -> Q:
    scope = user_data_scope(user)
    if scope == "self":
        return Q(pk__in=[])
    if scope == "all":  # an empty Q() OR-ed with anything would narrow it to that thing
        return Q()
    return scope_q(user, unit_field="unit") | Q(kind=rules.BULLETIN, status=rules.PUBLISHED)


def report_list(*, user, q: str = "", kind: str = "", year: int | None = None, status: str = "") -> QuerySet:
    qs = AssessmentReport.objects.filter(report_scope_q(user)).select_related("unit")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(unit__name__icontains=q) | Q(number__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs


def report_get(*, user, pk) -> AssessmentReport:
    try:
        return AssessmentReport.objects.select_related("unit", "item", "document").get(report_scope_q(user), pk=pk)
    except (AssessmentReport.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def report_sections(*, report):
    return list(report.sections.order_by("order"))


def report_figure_table(*, report) -> dict:
    """The figures as the page shows them: totals per metric, a table per unit, and the monthly series."""
    figures = list(report.figures.select_related("unit").order_by("id"))
    totals = [f for f in figures if f.unit_id is None and f.month is None]
    monthly: dict[str, list] = {}
    per_unit: dict[int, dict] = {}
    for f in figures:
        if f.month is not None:
            monthly.setdefault(f.metric, []).append(f)
        elif f.unit_id is not None:
            row = per_unit.setdefault(f.unit_id, {"unit": f.unit, "cells": []})
            row["cells"].append(f)
    return {"totals": totals, "monthly": monthly, "units": list(per_unit.values())}


def figure_get(*, report, pk) -> ReportFigure:
    try:
        return report.figures.select_related("unit").get(pk=pk)
    except (ReportFigure.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def figure_records(*, user, report, figure) -> list[tuple[str, str]] | None:
    """The records behind one figure, as far as the viewer may see them (None: the module is not available)."""
    from fazhi.assessment.reports.metrics import METRICS

    metric = METRICS.get(figure.metric)
    if metric is None:
        return None
    path = figure.unit.path if figure.unit_id else _root(report).path
    try:
        return metric.records(user, path, figure.period_start, figure.period_end)
    except ImportError:
        return None


def _root(report):
    """The unit whose subtree a report covers: a bulletin its issuer's jurisdiction, an annual report its unit."""
    if report.kind == rules.BULLETIN:
        return report.unit.parent or report.unit
    return report.unit


# ---------------------------------------------------------------- portal (published annual reports only)


def public_annual_list(*, q: str = "", year: int | None = None) -> QuerySet:
    qs = AssessmentReport.objects.filter(kind=rules.ANNUAL, status=rules.PUBLISHED).select_related("unit")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(unit__name__icontains=q))
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "unit__sort_order", "id")


def public_annual_get(*, pk) -> AssessmentReport:
    try:
        return public_annual_list().get(pk=pk)
    except (AssessmentReport.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
