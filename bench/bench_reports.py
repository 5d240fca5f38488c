"""Reports: the government's 法治政府建设年度报告 with its charts (issue 14: an annual report with 10 charts rendered
≤ 10 s) — figures drawn from the year's data (12 months × every metric, and a split by unit), then the 公文 with
every chart. The floor, measured in the same run: one empty 公文 plus one bar chart per chart of the report.
Printed: the figures (annual_generate), the charts (total and per chart), the 公文, their total (least of RUNS) and
the total scaled to 10 charts.

Last figures (PostgreSQL, 2 cores shared with other test runs, load 4.4–5.2; 1M cases and complaints in the
database): 12 charts, figures 1.8 s + charts 3.4 s (0.28 s each) + 公文 0.16 s = 5.6 s (5.1 s for 10 charts),
floor 3.4 s. Before: 14.8 s (figures 4.5 s; the charts drawn twice with tight_layout, 10.3 s).

Run by bench/run.py after django.setup() and migrate.
"""

import datetime as dt
import random
import time

RECTIFICATIONS = 20000
RUNS = 3  # figures are the least of the runs: other work on the machine only ever adds


def _data(year: int) -> None:
    from django.db import transaction

    from fazhi.assessment.oversight.models import (
        OversightAspect,
        OversightCampaign,
        OversightProblem,
        OversightRectification,
    )
    from fazhi.core.demo.build import build_org, build_users
    from fazhi.core.models import Unit

    with transaction.atomic():
        build_org()
        build_users()
    if OversightCampaign.objects.filter(title="基准测试督察").exists():
        return
    rnd = random.Random(14)
    units = list(Unit.objects.filter(kind__in=("agency", "government", "township")))
    with transaction.atomic():
        justice = Unit.objects.get(name="示例市司法局")
        c = OversightCampaign.objects.create(
            kind="field",
            title="基准测试督察",
            lead_unit=justice,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 1, 31),
        )
        aspect = OversightAspect.objects.create(campaign=c, order=1, title="基准方面")
        problems = OversightProblem.objects.bulk_create(
            OversightProblem(campaign=c, aspect=aspect, order=n, description=f"基准问题{n}") for n in range(1, 1501)
        )
        rows, seen = [], set()
        wanted = min(RECTIFICATIONS, len(problems) * len(units) // 2)  # pairs are unique: leave room to draw
        while len(rows) < wanted:
            p, u = rnd.choice(problems), rnd.choice(units)
            if (p.pk, u.pk) in seen:
                continue
            seen.add((p.pk, u.pk))
            deadline = dt.date(year, 1, 1) + dt.timedelta(days=rnd.randrange(365))
            signed = deadline + dt.timedelta(days=rnd.randrange(-20, 20)) if rnd.random() < 0.6 else None
            rows.append(
                OversightRectification(
                    problem=p,
                    unit=u,
                    deadline=deadline,
                    status="signed_off" if signed else "assigned",
                    signed_off_on=signed,
                )
            )
        OversightRectification.objects.bulk_create(rows, batch_size=2000)


def run() -> dict:
    from fazhi.assessment.oversight.models import OversightRectification
    from fazhi.assessment.reports import services
    from fazhi.assessment.reports.documents import report_charts, report_docx
    from fazhi.assessment.reports.models import AssessmentReport
    from fazhi.core.models import Unit
    from fazhi.documents.charts import bar_chart
    from fazhi.documents.gongwen import Gongwen, gongwen_docx

    year = dt.date.today().year - 1
    _data(year)
    gov = Unit.objects.get(name="示例市人民政府")
    bar_chart(["预热"], [1], "预热")  # matplotlib's first figure loads the fonts: a worker pays it once

    totals, figures_runs, chart_runs, docx_runs, floors = [], [], [], [], []
    for _ in range(RUNS):
        AssessmentReport.objects.filter(kind="annual", unit=gov, year=year).delete()
        began = time.perf_counter()
        report = services.annual_generate(by=None, unit=gov, year=year)
        figures_seconds = time.perf_counter() - began
        began = time.perf_counter()
        charts = report_charts(report)
        charts_seconds = time.perf_counter() - began
        began = time.perf_counter()
        content = report_docx(report, charts=charts)
        docx_seconds = time.perf_counter() - began
        figures_runs.append(figures_seconds)
        chart_runs.append(charts_seconds)
        docx_runs.append(docx_seconds)
        totals.append(figures_seconds + charts_seconds + docx_seconds)

        began = time.perf_counter()
        gongwen_docx(Gongwen(title="空白公文", body=["正文"]))
        for n in range(len(charts)):
            bar_chart([f"{m}月" for m in range(1, 13)], [n + m for m in range(12)], "基准")
        floors.append(time.perf_counter() - began)

    total, floor = min(totals), min(floors)
    charts_seconds = min(chart_runs)
    return {
        "rectifications": OversightRectification.objects.count(),
        "charts": len(charts),
        "figures": report.figures.count(),
        "docx_bytes": len(content),
        "runs": RUNS,
        "figures_seconds": round(min(figures_runs), 3),
        "charts_seconds": round(charts_seconds, 3),
        "per_chart_seconds": round(charts_seconds / len(charts), 3) if charts else None,
        "docx_seconds": round(min(docx_runs), 3),
        "total_seconds": round(total, 3),
        "total_seconds_each_run": [round(t, 3) for t in totals],
        "target_seconds": 10,
        "ten_chart_estimate_seconds": round(total - charts_seconds + 10 * charts_seconds / len(charts), 3)
        if charts
        else None,
        "floor_seconds": round(floor, 3),
        "ratio_to_floor": round(total / floor, 2) if floor else None,
    }
