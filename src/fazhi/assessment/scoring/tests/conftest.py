import pytest

from fazhi.workdays.tests import UNSCHEDULED_YEAR


@pytest.fixture
def year():
    return UNSCHEDULED_YEAR


@pytest.fixture
def framework(db, year):
    from fazhi.assessment.scoring.demo import framework_demo

    return framework_demo(year=year)


@pytest.fixture
def run(framework, users):
    from fazhi.assessment.scoring import services

    run = services.run_create(framework=framework, name="测试考核", by=users["supervisor"])
    for s in run.scores.filter(indicator__method="manual"):
        services.score_set(score=s, points=s.indicator.points - 1, note="按材料评分", by=users["supervisor"])
    return run
