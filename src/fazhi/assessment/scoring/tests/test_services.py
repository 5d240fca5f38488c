import datetime as dt
from decimal import Decimal

import pytest

from fazhi.assessment.scoring import rules, selectors, services
from fazhi.assessment.scoring.demo import demo_rows
from fazhi.assessment.scoring.models import Framework, Indicator, RunUnit
from fazhi.core.errors import DomainError, Forbidden


def test_demo_framework_adds_up(framework):
    assert framework.indicators.count() == len(demo_rows())
    assert "并非官方分值" in framework.note
    top = framework.indicators.filter(level=1).exclude(method__in=("bonus", "deduction", "veto"))
    assert sum(i.points for i in top) == Decimal(100)


def test_points_that_do_not_add_up_are_refused(db, users, year):
    fw = services.framework_create(year=year, name="测试", by=users["supervisor"])
    rows = demo_rows()
    rows[1][1]["points"] = 9  # 1.1 no longer adds up to 1
    with pytest.raises(DomainError) as e:
        services.framework_replace(framework=fw, rows=rows, by=users["supervisor"])
    assert e.value.field == "points" and "1 的下级指标分值合计 9" in e.value.message
    assert not Indicator.objects.filter(framework=fw).exists()


def test_unknown_function_is_refused(db, users, year):
    fw = services.framework_create(year=year, name="测试", by=users["supervisor"])
    rows = demo_rows()
    rows[11][1]["source"] = "no_such_function"  # 4.1.1
    with pytest.raises(DomainError) as e:
        services.framework_replace(framework=fw, rows=rows, by=users["supervisor"])
    assert e.value.field == "source" and "no_such_function" in e.value.message and "第13行" in e.value.message
    assert not Indicator.objects.filter(framework=fw).exists()


def test_agency_cannot_create_framework(db, users, year):
    with pytest.raises(Forbidden):
        services.framework_create(year=year, name="测试", by=users["agency"])


def test_run_groups_and_scores(run):
    groups = set(run.members.values_list("group", flat=True))
    assert groups == set(rules.GROUPS)
    leaves = run.framework.indicators.exclude(method="group").count()
    assert run.scores.count() == run.members.count() * leaves
    # Without data a computed indicator has no figure (not zero points); the oversight module may be missing.
    s = run.scores.filter(indicator__source="problems_rectified").first()
    from fazhi.assessment.scoring.indicators import source_available

    assert s.available is source_available("problems_rectified")
    assert s.points is None or s.available


def test_full_flow_appeal_finalise_ranking(run, users, year):
    sup, agency = users["supervisor"], users["agency"]
    published = dt.date(year, 12, 31)
    services.run_publish(run=run, by=sup, today=published)
    run.refresh_from_db()
    assert run.appeal_until > published
    member = run.members.get(unit=agency.unit)
    score = member.scores.filter(indicator__method="manual").first()
    appeal = services.appeal_file(score=score, reason="材料已齐全，请复核评分。", by=agency, today=published)
    with pytest.raises(DomainError) as e:
        services.run_finalise(run=run, by=sup, today=run.appeal_until + dt.timedelta(days=1))
    assert e.value.field == "appeals"
    services.appeal_answer(appeal=appeal, upheld=True, answer="予以调整", points=score.indicator.points, by=sup)
    score.refresh_from_db()
    assert score.points == score.indicator.points
    with pytest.raises(DomainError) as e:
        services.run_finalise(run=run, by=sup, today=run.appeal_until)
    assert e.value.field == "appeal_until"
    services.run_finalise(run=run, by=sup, today=run.appeal_until + dt.timedelta(days=1))
    run.refresh_from_db()
    assert run.status == "finalised" and run.notice_document is not None
    ranking = selectors.unit_ranking(year=year)
    assert ranking and {r["group"] for r in ranking} == set(rules.GROUPS)
    firsts = [r for r in ranking if r["rank"] == 1]
    assert firsts and isinstance(firsts[0]["score"], Decimal)
    tops = RunUnit.objects.filter(run=run, rank=1)
    assert all(m.adjustment == 30 for m in tops)


def test_appeal_after_its_period_is_refused(run, users, year):
    sup, agency = users["supervisor"], users["agency"]
    services.run_publish(run=run, by=sup, today=dt.date(year, 12, 31))
    run.refresh_from_db()
    score = run.members.get(unit=agency.unit).scores.first()
    with pytest.raises(DomainError) as e:
        services.appeal_file(
            score=score, reason="材料已齐全，请复核评分。", by=agency, today=run.appeal_until + dt.timedelta(days=1)
        )
    assert e.value.field == "filed_on" and "申诉期限已过" in e.value.message
    assert not score.appeals.exists()


def test_other_unit_cannot_appeal(run, users, year):
    services.run_publish(run=run, by=users["supervisor"], today=dt.date(year, 12, 31))
    other = run.members.exclude(unit=users["agency"].unit).first()
    with pytest.raises(Forbidden):
        services.appeal_file(
            score=other.scores.first(), reason="不是本单位的得分", by=users["agency"], today=dt.date(year, 12, 31)
        )


def test_veto_goes_last(run, users):
    sup = users["supervisor"]
    member = run.members.filter(group=rules.GROUPS[1]).order_by("rank").first()
    veto = member.scores.get(indicator__method="veto")
    services.score_set(score=veto, points=1, note="发生严重违法行为", by=sup)
    member.refresh_from_db()
    assert member.vetoed
    assert member.rank == run.members.filter(group=member.group).count()


def test_unit_ranking_empty(db):
    assert selectors.unit_ranking(year=2001) == []
    assert not Framework.objects.filter(year=2001).exists()
