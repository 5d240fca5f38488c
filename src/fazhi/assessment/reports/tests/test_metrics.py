"""The figures the reports draw from requests, rule-making, supervision, litigation and training: registered for the
reports the issue names, each traced to its records (the leader, who sees everything, finds as many records as
the figure counts), and unavailable — None, never 0 — when the module is missing."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.assessment.reports import metrics, rules, selectors, services
from fazhi.assessment.reports.models import ReportFigure

pytestmark = pytest.mark.django_db
GOV, MARKET = "示例市人民政府", "示例市市场监督管理局"
NEW = (
    "litigations",
    "decisions",
    "normative_filed",
    "normative_timely",
    "proposals",
    "proposals_on_time",
    "disclosures",
    "disclosures_on_time",
    "reviews",
    "instruments",
    "instruments_on_time",
    "training_hours",
    "exams_passed",
)


def test_the_annual_report_and_bulletin_figures_the_issue_names():
    annual = metrics.metrics_for(rules.ANNUAL)
    # cases, complaints, inspections, reviews, reconsiderations, suits, documents, proposals, training
    for code in ("cases", "complaints", "inspections", "reviews", "reconsiderations", "litigations"):
        assert code in annual
    for code in ("normative_filed", "proposals", "proposals_on_time", "disclosures_on_time", "training_hours"):
        assert code in annual
    bulletin = metrics.metrics_for(rules.BULLETIN)
    assert "proposals_on_time" in bulletin and "reviews" in bulletin and "instruments_on_time" in bulletin
    assert "training_hours" not in bulletin and not metrics.METRICS["training_hours"].monthly


def test_new_figures_are_computed_and_traced_to_their_records(org, users):
    from fazhi.cases.tests import case_factories
    from fazhi.registry.models import TrainingRecord

    officer = case_factories.officer(case_factories.agency(org[MARKET]), "王培训")
    TrainingRecord.objects.update_or_create(
        officer=officer, year=2025, defaults={"hours": 40, "exam_passed": True, "exam_score": 90}
    )
    r = services.annual_generate(by=None, unit=org[GOV], year=2025, today=dt.date(2026, 1, 10))
    totals = {f.metric: f for f in r.figures.filter(unit__isnull=True, month__isnull=True)}
    for code in NEW:
        assert totals[code].value is not None, code  # every module is installed: a number, maybe 0
    assert totals["training_hours"].value >= 40 and totals["exams_passed"].value >= 1
    assert not r.figures.filter(metric="training_hours", month__isnull=False).exists()
    leader = users["leader"]
    for code in NEW:
        f = totals[code]
        records = selectors.figure_records(user=leader, report=r, figure=f)
        if code not in ("training_hours",) and f.value <= metrics.RECORDS_MAX:
            assert len(records) == f.value, code
        assert all(url.startswith("/") for _, url in records)
    trained = selectors.figure_records(user=leader, report=r, figure=totals["exams_passed"])
    assert any(url == reverse("registry:officer_detail", args=[officer.pk]) for _, url in trained)
    assert "执法人员培训学时" in r.sections.get(key="measures").text


def test_a_missing_module_leaves_its_figure_unavailable(org, monkeypatch):
    def missing(start, end):
        raise ImportError("no module")

    old = metrics.METRICS["training_hours"]
    monkeypatch.setitem(
        metrics.METRICS,
        "training_hours",
        metrics.Metric(old.code, old.label, old.unit_label, missing, old.records, old.kinds, old.monthly),
    )
    r = services.annual_generate(by=None, unit=org[MARKET], year=2025, today=dt.date(2026, 1, 10))
    assert ReportFigure.objects.filter(report=r, metric="training_hours", value__isnull=True).exists()
    assert not ReportFigure.objects.filter(report=r, metric="training_hours", value=0).exists()
    assert "执法人员培训学时" not in r.sections.get(key="measures").text
