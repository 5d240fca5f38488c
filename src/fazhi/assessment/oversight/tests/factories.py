"""Small builders for the 法治督察 tests."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.assessment.oversight import rules, services

MARKET, ECOLOGY, JUSTICE = "示例市市场监督管理局", "示例市生态环境局", "示例市司法局"


def campaign(org, *, by=None, today: dt.date, units=(MARKET, ECOLOGY), title="实地督察"):
    return services.campaign_create(
        by=by,
        kind=rules.FIELD,
        title=title,
        period_start=today - dt.timedelta(days=30),
        period_end=today - dt.timedelta(days=20),
        units=[org[u] for u in units],
        lead_unit=org[JUSTICE],
    )


def problem(
    org, c, *, today: dt.date, units=(MARKET,), deadline=None, aspect="行政执法规范化方面", text="处罚决定未按期公示"
):
    return services.problem_add(
        by=None,
        campaign=c,
        aspect=aspect,
        description=text,
        requirement="补充公示",
        units=[org[u] for u in units],
        deadline=deadline or today + dt.timedelta(days=30),
        today=today,
    )


def pdf(name="佐证.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")
