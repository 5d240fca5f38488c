"""Fixtures of the tracking tests: a supervision task split to the market and ecology bureaus."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.workdays.calendar import add_working_days

MARKET = "示例市市场监督管理局"
ECOLOGY = "示例市生态环境局"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def task(users, today):
    from fazhi.tracking.services import task_create

    return task_create(
        by=users["supervisor"],
        title="行政执法公示制度落实检查",
        basis="《法治政府建设实施纲要》",
        deadline=today + dt.timedelta(days=90),
        description="检查公示情况",
    )


@pytest.fixture
def market_assignment(task, org, users, today):
    from fazhi.tracking.services import task_assign

    return task_assign(
        by=users["supervisor"],
        task=task,
        unit=org[MARKET],
        deadline=add_working_days(today, 10),
        requirement="报送自查报告",
    )


@pytest.fixture
def ecology_assignment(task, org, users, today):
    from fazhi.tracking.services import task_assign

    return task_assign(
        by=users["supervisor"],
        task=task,
        unit=org[ECOLOGY],
        deadline=add_working_days(today, 1),
        requirement="报送自查报告",
    )


@pytest.fixture
def submitted(market_assignment, users):
    from fazhi.tracking.services import assignment_report

    return assignment_report(by=users["agency"], assignment=market_assignment, progress=100, text="已完成", submit=True)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
