import datetime as dt
import io

import pytest

from fazhi.core.errors import DomainError, Forbidden
from fazhi.legalservices.outreach import rules, selectors, services
from fazhi.legalservices.outreach.models import LegalLiterate, OutreachActivity
from fazhi.tracking.models import TrackedItem

pytestmark = pytest.mark.django_db

YEAR = 2055  # UNSCHEDULED_YEAR: no official holiday schedule needed
JAN = dt.date(YEAR, 1, 10)
MARKET = "示例市市场监督管理局"


def _list(users, today=JAN):
    dl = services.duty_list_create(by=users["agency"], year=YEAR, today=today)
    a = services.duty_item_add(
        by=users["agency"],
        duty_list=dl,
        content="食品安全法进社区",
        target_groups="社区居民、企业经营管理人员",
        deadline=dt.date(YEAR, 3, 31),
        today=today,
    )
    b = services.duty_item_add(
        by=users["agency"],
        duty_list=dl,
        content="宪法宣传周",
        target_groups=["公职人员"],
        deadline=dt.date(YEAR, 12, 10),
        today=today,
    )
    return dl, a, b


def test_publishing_tracks_every_item_with_its_deadline(users):
    dl, a, _b = _list(users)
    services.duty_list_publish(by=users["agency"], duty_list=dl, today=JAN)
    a.refresh_from_db()
    item = TrackedItem.objects.get(pk=a.item_id)
    assert item.kind == "outreach_duty" and item.deadline == dt.date(YEAR, 3, 31) and item.unit.name == MARKET
    assert a.target_groups == ["社区居民", "企业经营管理人员"]
    with pytest.raises(DomainError):
        services.duty_list_publish(by=users["agency"], duty_list=dl, today=JAN)


def test_a_second_list_for_the_same_year_is_refused(users):
    _list(users)
    with pytest.raises(DomainError) as err:
        services.duty_list_create(by=users["agency"], year=YEAR, today=JAN)
    assert err.value.field == "year"


def test_another_units_list_is_not_editable(users):
    dl, _, _ = _list(users)
    with pytest.raises(Forbidden):
        services.duty_item_add(
            by=users["agency2"],
            duty_list=dl,
            content="x",
            target_groups="群众",
            deadline=dt.date(YEAR, 5, 1),
            today=JAN,
        )


def test_completion_lights(users):
    dl, a, _b = _list(users)
    services.duty_list_publish(by=users["agency"], duty_list=dl, today=JAN)
    april = dt.date(YEAR, 4, 10)
    rows = {r.unit_name: r for r in selectors.outreach_completion(year=YEAR, today=april)}
    market = rows[MARKET]
    assert (market.total, market.done, market.overdue, market.light) == (2, 0, 1, "red")
    assert rows["示例市生态环境局"].light == "red" and not rows["示例市生态环境局"].published
    services.duty_item_complete(by=users["agency"], entry=a, done_on=dt.date(YEAR, 3, 30), today=april)
    market = {r.unit_name: r for r in selectors.outreach_completion(year=YEAR, today=april)}[MARKET]
    assert (market.done, market.done_on_time, market.overdue, market.light, market.rate) == (1, 1, 0, "green", 50)
    a.refresh_from_db()
    assert TrackedItem.objects.get(pk=a.item_id).closed_on_time


def test_activities_are_checked_and_join_the_item_timeline(users):
    dl, a, _ = _list(users)
    services.duty_list_publish(by=users["agency"], duty_list=dl, today=JAN)
    with pytest.raises(DomainError) as err:
        services.activity_save(by=users["agency"], kind=rules.SIX_INTO, title="进社区", held_on=JAN, today=JAN)
    assert err.value.field == "venue"
    with pytest.raises(DomainError) as err:
        services.activity_save(by=users["agency"], kind=rules.CONSTITUTION_WEEK, title="宣传周", held_on=JAN, today=JAN)
    assert err.value.field == "held_on"
    with pytest.raises(DomainError) as err:
        services.activity_save(
            by=users["agency"], kind=rules.CASE_EXPLAIN, title="x", held_on=JAN + dt.timedelta(days=1), today=JAN
        )
    assert err.value.field == "held_on"
    assert not OutreachActivity.objects.exists()
    act = services.activity_save(
        by=users["agency"],
        kind=rules.SIX_INTO,
        venue="community",
        title="进社区",
        held_on=JAN,
        attendance="120",
        duty_item=a,
        today=JAN,
    )
    assert act.attendance == 120
    a.refresh_from_db()
    assert a.item.events.filter(action="outreach_activity").exists()


def test_constitution_week():
    start, end = rules.constitution_week(2026)
    assert start <= dt.date(2026, 12, 4) <= end and start.weekday() == 0


def test_literate_roster_is_masked_and_imported_all_or_nothing(users, org):
    from fazhi.core.exports import xlsx_bytes
    from fazhi.core.models import Division
    from fazhi.legalservices.outreach.imports import LiterateImporter
    from fazhi.registry.demo import id_number

    county = Division.objects.filter(level="county").first()
    headers = [c.header for c in LiterateImporter.columns]
    good = [county.name, "城关街道办事处", "东关社区", "张明理", id_number(9101), "13912345678", "村民", "2026-03-01"]
    bad = [county.name, "城关街道办事处", "东关社区", "李守法", "110105194912310029", "", "", ""]
    from fazhi.core.imports import run_import

    result = run_import(
        LiterateImporter(), io.BytesIO(xlsx_bytes(headers, [good, bad])), by=users["agency"], commit=True
    )
    assert result.has_errors and not result.committed and not LegalLiterate.objects.exists()
    assert any("身份证号" in h for r in result.rows for h, _ in r.errors)
    result = run_import(LiterateImporter(), io.BytesIO(xlsx_bytes(headers, [good])), by=users["agency"], commit=True)
    assert result.committed
    row = selectors.literate_rows(selectors.literate_list(user=users["agency"]))[0]
    assert row.name == "张某" and "*" in row.id_number and row.phone == "139****5678"
    assert selectors.literate_by_village(user=users["agency"])[0]["n"] == 1
