"""季度通报 and 年度报告: drafts with figures traced to records, edited sections kept across regeneration, review
and approval, publication refused before approval (Chinese, named field), the bulletin's number and document, the
1 March item of a department, the worker's idempotent drafts, the ranking section without a ranking."""

import datetime as dt

import pytest

from fazhi.assessment.reports import rules, selectors, services, tasks
from fazhi.assessment.reports.models import AssessmentReport, ReportFigure
from fazhi.core.errors import DomainError, Forbidden

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 15)
JUSTICE, GOV, MARKET, ECOLOGY = "示例市司法局", "示例市人民政府", "示例市市场监督管理局", "示例市生态环境局"


def _oversight(org, *, deadline):
    from fazhi.assessment.oversight import services as o

    c = o.campaign_create(
        by=None,
        kind="field",
        title="督察",
        period_start=dt.date(2026, 1, 5),
        period_end=dt.date(2026, 1, 20),
        units=[org[MARKET]],
        lead_unit=org[JUSTICE],
    )
    return o.problem_add(
        by=None,
        campaign=c,
        aspect="执法方面",
        description="处罚决定未按期公示",
        units=[org[MARKET]],
        deadline=deadline,
        today=dt.date(2026, 1, 25),
    )


def test_bulletin_draft_figures_sections_and_publish(org, users):
    _oversight(org, deadline=dt.date(2026, 5, 31))
    r = services.bulletin_generate(by=users["supervisor"], issuer=org[JUSTICE], year=2026, quarter=2, today=TODAY)
    assert r.status == rules.DRAFT and r.period_start == dt.date(2026, 4, 1) and r.period_end == dt.date(2026, 6, 30)
    assert [s.key for s in r.sections.order_by("order")] == [k for k, _ in rules.BULLETIN_PARTS]
    oversight = r.figures.get(metric="oversight", unit=org[MARKET])
    assert oversight.value == 1
    records = selectors.figure_records(user=users["supervisor"], report=r, figure=oversight)
    assert len(records) == 1 and "/assessment/oversight/problems/" in records[0][1]
    problems = r.sections.get(key="problems").text
    assert "1项逾期未销号" in problems and "处罚决定未按期公示" in problems
    assert "暂无考核排名" in r.sections.get(key="ranking").text
    published = services.report_publish(by=users["supervisor"], report=r, today=TODAY, prefix="示司通")
    assert published.status == rules.PUBLISHED and published.number == "示司通〔2026〕1号"
    assert published.document.attachment.name.endswith(".docx")
    # published internally: another unit's legal officer reads it
    assert selectors.report_list(user=users["agency2"]).filter(pk=r.pk).exists()
    with pytest.raises(DomainError) as e:
        services.bulletin_generate(by=users["supervisor"], issuer=org[JUSTICE], year=2026, quarter=2, today=TODAY)
    assert e.value.field == "status"


def test_bulletin_for_an_unfinished_quarter_is_refused(org, users):
    with pytest.raises(DomainError) as e:
        services.bulletin_generate(by=users["supervisor"], issuer=org[JUSTICE], year=2026, quarter=3, today=TODAY)
    assert e.value.field == "quarter" and "尚未结束" in e.value.message
    with pytest.raises(Forbidden):
        services.bulletin_generate(by=users["agency"], issuer=org[JUSTICE], year=2026, quarter=2, today=TODAY)
    assert not AssessmentReport.objects.exists()


def test_edited_section_survives_regeneration(org, users):
    r = services.bulletin_generate(by=None, issuer=org[JUSTICE], year=2026, quarter=2, today=TODAY)
    services.section_edit(by=users["supervisor"], report=r, key="requirements", text="人工写的要求")
    _oversight(org, deadline=dt.date(2026, 6, 1))
    again = services.regenerate(by=users["supervisor"], report=r, today=TODAY)
    assert again.pk == r.pk
    assert again.sections.get(key="requirements").text == "人工写的要求"
    assert again.figures.get(metric="oversight", unit__isnull=True).value == 1  # figures refreshed
    with pytest.raises(DomainError) as e:
        services.section_edit(by=users["supervisor"], report=r, key="requirements", text=" ")
    assert e.value.field == "text"


def test_annual_report_review_approval_publication(org, users):
    agency, sup = users["agency"], users["supervisor"]
    r = services.annual_generate(by=agency, unit=org[MARKET], year=2025, today=dt.date(2026, 1, 10))
    assert [s.key for s in r.sections.order_by("order")] == [k for k, _ in rules.ANNUAL_PARTS]
    assert r.subject == rules.DEPARTMENT and r.item.deadline == dt.date(2026, 3, 1)
    assert r.item.deadline_source == rules.ANNUAL_REPORT_SOURCE
    assert r.figures.filter(month__isnull=False, metric="cases").count() == 12
    with pytest.raises(DomainError) as e:  # publishing before approval
        services.report_publish(by=sup, report=r, today=dt.date(2026, 2, 1))
    assert e.value.field == "status" and "尚未审核批准" in e.value.message
    services.section_edit(by=agency, report=r, key="leaders", text="主要负责人专题研究法治建设3次。")
    services.annual_submit(by=agency, report=r)
    with pytest.raises(DomainError) as e:
        services.section_edit(by=agency, report=r, key="leaders", text="改")
    assert e.value.field == "status"
    with pytest.raises(Forbidden):
        services.annual_approve(by=agency, report=r)
    services.annual_return(by=sup, report=r, reason="请补充第三部分")
    r.refresh_from_db()
    assert r.status == rules.DRAFT
    services.annual_submit(by=agency, report=r)
    services.annual_approve(by=sup, report=r, comment="同意")
    with pytest.raises(Forbidden):
        services.report_publish(by=agency, report=r)
    done = services.report_publish(by=sup, report=r, today=dt.date(2026, 2, 20))
    assert done.status == rules.PUBLISHED and done.item.status == "closed" and done.item.closed_on_time is True
    assert selectors.public_annual_list().filter(pk=r.pk).exists()


def test_government_report_splits_by_unit(org):
    r = services.annual_generate(by=None, unit=org[GOV], year=2025, today=dt.date(2026, 1, 10))
    assert r.subject == rules.GOVERNMENT and r.item is None
    assert r.figures.filter(metric="cases", unit=org[MARKET]).exists()


def test_worker_drafts_are_idempotent(org):
    assert tasks.bulletin_drafts(today=TODAY) == 1
    assert tasks.bulletin_drafts(today=TODAY) == 0
    b = AssessmentReport.objects.get(kind=rules.BULLETIN)
    assert (b.year, b.quarter) == (2026, 2)
    made = tasks.annual_drafts(today=dt.date(2026, 1, 5))
    assert made > 5 and tasks.annual_drafts(today=dt.date(2026, 1, 6)) == 0
    assert AssessmentReport.objects.filter(kind=rules.ANNUAL, unit=org[MARKET], year=2025).exists()
    assert tasks.annual_drafts(today=dt.date(2026, 3, 2)) == 0


def test_unavailable_metric_is_none_not_zero(org, monkeypatch):
    from fazhi.assessment.reports import metrics

    def missing(start, end):
        raise ImportError("no module")

    monkeypatch.setitem(
        metrics.METRICS,
        "cases",
        metrics.Metric("cases", "行政处罚决定", "件", missing, metrics.METRICS["cases"].records),
    )
    r = services.bulletin_generate(by=None, issuer=org[JUSTICE], year=2026, quarter=2, today=TODAY)
    assert ReportFigure.objects.filter(report=r, metric="cases", value__isnull=True).exists()
    assert "行政处罚决定" not in r.sections.get(key="overview").text


def test_ranking_section_uses_the_scoring_contract(org, monkeypatch):
    import sys
    import types

    fake = types.ModuleType("fazhi.assessment.scoring.selectors")
    fake.unit_ranking = lambda *, year, quarter=None: [
        {"unit_id": org[MARKET].pk, "unit_name": MARKET, "group": "市政府部门", "score": 95.5, "rank": 1}
    ]
    monkeypatch.setitem(sys.modules, "fazhi.assessment.scoring.selectors", fake)
    r = services.bulletin_generate(by=None, issuer=org[JUSTICE], year=2026, quarter=2, today=TODAY)
    text = r.sections.get(key="ranking").text
    assert "市政府部门" in text and f"第1名：{MARKET}，95.5分" in text


def test_rules():
    assert rules.annual_deadline(2025) == dt.date(2026, 3, 1)
    assert rules.quarter_range(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert rules.previous_quarter(dt.date(2026, 1, 3)) == (2025, 4)
    assert rules.publish_problem(rules.DRAFT).startswith("年度报告尚未审核批准")
    assert rules.publish_problem(rules.APPROVED) == ""
    assert "3月1日" in rules.ANNUAL_REPORT_SOURCE
