import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core.errors import NotFound
from fazhi.core.models import Division, OperationLog
from fazhi.inspections import selectors, services
from fazhi.inspections.tests import factories as fx

pytestmark = pytest.mark.django_db


def test_enterprise_search_by_name_code_division_and_masking(users):
    div = Division.objects.get(code="439903")
    e = services.enterprise_create(
        by=users["agency"],
        uscc=fx.make_uscc(7001, "439903"),
        name="西城恒达食品有限公司",
        division=div,
        legal_representative="欧阳小明",
        industry="C1431",
    )
    fx.make_enterprises(3)
    find = lambda **kw: list(selectors.enterprise_list(user=users["agency"], **kw))  # noqa: E731
    assert find(q="恒达") == [e]
    assert find(q=e.uscc.lower()) == [e]
    assert find(q=e.uscc[:10]) == [e]
    assert e in find(division=Division.objects.get(code="439900"))
    assert find(division=div) == [e]
    assert find(industry="c14") == [e]
    assert selectors.enterprise_legal_rep_display(user=users["agency"], enterprise=e) == "欧阳某"
    assert not OperationLog.objects.filter(action="查看法定代表人").exists()
    assert (
        selectors.enterprise_legal_rep_display(user=users["agency"], enterprise=e, reveal_reason="检查前核对")
        == "欧阳小明"
    )
    assert OperationLog.objects.filter(action="查看法定代表人").exists()
    assert (
        selectors.enterprise_legal_rep_display(user=users["leader"], enterprise=e, reveal_reason="检查前核对")
        == "欧阳某"
    )


def test_records_and_plans_scoped_by_agency(users):
    market = fx.make_agency(fx.MARKET)
    officers = fx.make_pool(market, 2)
    (e,) = fx.make_enterprises(1)
    r = services.inspection_record_create(
        by=users["agency"],
        enterprise=e,
        agency=market,
        source="complaint",
        reason="投诉",
        inspected_on=timezone.localdate(),
        inspectors=officers,
    )
    assert list(selectors.record_list(user=users["agency"])) == [r]
    assert list(selectors.record_list(user=users["agency2"])) == []
    assert list(selectors.record_list(user=users["supervisor"])) == [r]
    with pytest.raises(NotFound):
        selectors.record_get(user=users["agency2"], pk=r.pk)
    assert not selectors.public_record_list().exists()
    services.inspection_record_publish(by=users["agency"], record=r)
    assert list(selectors.public_record_list(q=e.uscc)) == [r]


def test_quiet_spans_cover_ancestor_divisions_and_groups(users):
    (e,) = fx.make_enterprises(1, division="439902", group="高新园区")
    day = timezone.localdate() + dt.timedelta(days=30)  # quiet days are set ahead; any future day will do
    services.quiet_day_create(
        by=users["supervisor"], division=Division.objects.get(code="439900"), start_date=day, end_date=day
    )
    services.quiet_day_create(by=users["supervisor"], group="高新园区", start_date=day, end_date=day)
    services.quiet_day_create(
        by=users["supervisor"], division=Division.objects.get(code="439903"), start_date=day, end_date=day
    )
    labels = {s.label for s in selectors.quiet_spans_for(enterprise=e, day_from=day, day_to=day)}
    assert labels == {"示例市", "企业分组“高新园区”"}


@pytest.fixture
def two_records(users):
    """Two records of the market agency's enterprise; the officer inspected only the first."""
    from fazhi.inspections.models import InspectionFeedback

    market = fx.make_agency(fx.MARKET)
    officers = fx.make_pool(market, 3)
    officers[0].user = users["officer"]
    officers[0].save(update_fields=["user"])
    (e,) = fx.make_enterprises(1)
    day = timezone.localdate()
    records = [
        services.inspection_record_create(
            by=users["agency"],
            enterprise=e,
            agency=market,
            source="complaint",
            reason="投诉",
            inspected_on=day,
            inspectors=team,
        )
        for team in (officers[:2], officers[1:])
    ]
    for r in records:
        InspectionFeedback.objects.create(record=r, agency=market, rating="satisfied", score=3)
    return e, records


def test_enterprise_inspections_follow_the_record_scope(users, two_records):
    e, (mine, other) = two_records
    # 本人 scope: the officer sees on the enterprise page just what his record list shows, not his unit's.
    assert list(selectors.enterprise_inspections(user=users["officer"], enterprise=e)) == [mine]
    assert list(selectors.record_list(user=users["officer"])) == [mine]
    assert set(selectors.enterprise_inspections(user=users["agency"], enterprise=e)) == {mine, other}
    assert list(selectors.enterprise_inspections(user=users["agency2"], enterprise=e)) == []


def test_burden_and_ratings_follow_the_record_scope(users, two_records):
    from fazhi.core.models import Role

    officer = users["officer"]
    officer.roles.add(Role.objects.create(code="self_supervise", name="本人监测", data_scope="self",
                                          permissions=["inspection.view", "inspection.supervise"]))  # fmt: skip
    officer._fazhi_roles = None
    day = timezone.localdate()
    mine = selectors.burden_statistics(user=officer, date_from=day, date_to=day)
    assert mine.total == 1
    assert selectors.burden_statistics(user=users["agency"], date_from=day, date_to=day).total == 2
    assert [r["count"] for r in selectors.feedback_by_agency(user=officer, date_from=day, date_to=day)] == [1]
    assert [r["count"] for r in selectors.feedback_by_agency(user=users["agency"], date_from=day, date_to=day)] == [2]
    assert selectors.feedback_by_agency(user=users["agency2"], date_from=day, date_to=day) == []


def test_inspection_figures_for_the_assessment(users, two_records, monkeypatch):
    """Per agency unit: 双随机 share, results published by their deadline, and inspections adding to a burden."""
    _, (first, _) = two_records
    unit = first.agency.unit_id
    day = timezone.localdate()
    services.inspection_record_publish(by=users["agency"], record=first)
    figures = selectors.inspection_figures_by_unit(date_from=day, date_to=day + dt.timedelta(days=60))
    assert figures["random"][unit] == (0, 2)  # both came from complaints
    assert figures["published"][unit] == (1, 2)
    assert figures["over"][unit] == (0, 2)  # two inspections: not above the default threshold
    monkeypatch.setattr(selectors, "burden_threshold", lambda: 1)
    assert selectors.inspection_figures_by_unit(date_from=day, date_to=day)["over"][unit] == (2, 2)
    assert (
        selectors.inspection_figures_by_unit(date_from=day + dt.timedelta(days=1), date_to=day + dt.timedelta(days=2))[
            "random"
        ]
        == {}
    )
