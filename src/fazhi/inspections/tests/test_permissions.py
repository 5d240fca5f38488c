"""The inspections predicates: each action only in the right state and scope, and every write service refuses a
caller the predicate does not offer the step to, changing nothing."""

import pytest
from django.utils import timezone

from fazhi.core.errors import Forbidden
from fazhi.core.models import Role
from fazhi.inspections import services
from fazhi.inspections.models import (
    ConflictDeclaration,
    Draw,
    Enterprise,
    InspectionItem,
    InspectionRecord,
    InspectorPoolEntry,
    Plan,
    QuietDay,
)
from fazhi.inspections.permissions import (
    draw_actions,
    enterprise_actions,
    inspection_item_actions,
    plan_actions,
    pool_entry_actions,
    quiet_day_actions,
    record_actions,
)
from fazhi.inspections.tests import factories as fx

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def market(users):
    agency = fx.make_agency(fx.MARKET)
    item = fx.make_item(agency)
    officers = fx.make_pool(agency, 3)
    fx.make_enterprises(6, risk="d_high")
    return {"agency": agency, "item": item, "officers": officers}


def _plan(market, users, *, publish=False):
    plan = services.plan_create(
        by=users["agency"],
        agency=market["agency"],
        year=TODAY().year,
        name="权限测试计划",
        items=[market["item"]],
        proportions={"d_high": 50},
        period_start=TODAY(),
        period_end=TODAY(),
    )
    return services.plan_publish(by=users["agency"], plan=plan) if publish else plan


def _draw(market, users, *, to="committed"):
    by = users["agency"]
    draw = services.draw_commit(by=by, plan=_plan(market, users, publish=True), item=market["item"])
    if to in ("drawn", "published"):
        draw = services.draw_perform(by=by, draw=draw)
    if to == "published":
        draw = services.draw_publish(by=by, draw=draw)
    return draw


def _record(market, users, *, publish=False):
    draw = _draw(market, users, to="drawn")
    by = users["agency"]
    record = services.inspection_record_create(by=by, assignment=draw.assignments.first(), inspected_on=TODAY())
    return services.inspection_record_publish(by=by, record=record) if publish else record


def _self_scope_manager(users):
    """An officer given inspection.manage with the 本人 scope: plans and draws are the unit's, not his."""
    officer = users["officer"]
    role = Role.objects.create(code="self_insp", name="本人检查", data_scope="self",
                               permissions=["inspection.view", "inspection.manage"])  # fmt: skip
    officer.roles.add(role)
    officer._fazhi_roles = None
    return officer


# ---------------------------------------------------------------- the predicates


def test_plan_actions_follow_state_and_scope(market, users):
    plan = _plan(market, users)
    assert plan_actions(user=users["agency"], obj=plan) == {"view", "publish"}
    assert plan_actions(user=users["leader"], obj=plan) == {"view"}
    assert plan_actions(user=users["agency2"], obj=plan) == set()  # another agency's legal officer
    assert plan_actions(user=users["monitor"], obj=plan) == set()
    plan = services.plan_publish(by=users["agency"], plan=plan)
    assert plan_actions(user=users["agency"], obj=plan) == {"view", "draw"}
    assert plan_actions(user=users["agency2"], obj=plan) == set()
    assert plan_actions(user=users["agency"], obj=None) == {"view", "create"}
    assert plan_actions(user=users["leader"], obj=None) == {"view"}
    assert "publish" not in plan_actions(user=_self_scope_manager(users), obj=plan)


def test_draw_actions_follow_the_draw_states(market, users):
    agency, leader, other = users["agency"], users["leader"], users["agency2"]
    draw = _draw(market, users)
    assert draw_actions(user=agency, obj=draw) == {"view", "perform", "redraw"}
    draw = services.draw_perform(by=agency, draw=draw)
    assert draw_actions(user=agency, obj=draw) == {"view", "publish", "redraw", "record"}
    draw = services.draw_publish(by=agency, draw=draw)
    assert draw_actions(user=agency, obj=draw) == {"view", "redraw", "record"}
    new = services.draw_redraw(by=agency, draw=draw, reason="抽取参数录入有误")
    old = Draw.objects.get(pk=draw.pk)
    assert draw_actions(user=agency, obj=old) == {"view"}  # voided: nothing more to do with it
    assert draw_actions(user=agency, obj=new) == {"view", "perform", "redraw"}
    assert draw_actions(user=leader, obj=new) == {"view"}
    assert draw_actions(user=other, obj=new) == set()


def test_record_actions_follow_publication_and_scope(market, users):
    record = _record(market, users)
    assert record_actions(user=users["agency"], obj=record) == {"view", "publish"}
    assert record_actions(user=users["leader"], obj=record) == {"view"}
    assert record_actions(user=users["agency2"], obj=record) == set()
    assert record_actions(user=users["officer"], obj=record) == set()  # 本人: neither inspected nor registered it
    inspector = record.inspectors.first()
    inspector.user = users["officer"]
    inspector.save(update_fields=["user"])
    assert record_actions(user=users["officer"], obj=InspectionRecord.objects.get(pk=record.pk)) == {"view"}
    record = services.inspection_record_publish(by=users["agency"], record=record)
    assert record_actions(user=users["agency"], obj=record) == {"view", "feedback_link"}
    assert record_actions(user=users["agency2"], obj=record) == set()


def test_item_and_pool_entry_actions_stay_with_their_agency(market, users):
    item, entry = market["item"], InspectorPoolEntry.objects.filter(agency=market["agency"]).first()
    assert inspection_item_actions(user=users["agency"], obj=item) == {"view", "edit"}
    assert pool_entry_actions(user=users["agency"], obj=entry) == {"view", "toggle"}
    for name in ("agency2", "monitor"):
        assert inspection_item_actions(user=users[name], obj=item) == set()
        assert pool_entry_actions(user=users[name], obj=entry) == set()
    assert pool_entry_actions(user=users["leader"], obj=entry) == {"view"}
    assert pool_entry_actions(user=users["agency"], obj=None) == {"view", "create"}
    assert pool_entry_actions(user=users["leader"], obj=None) == {"view"}


def test_enterprise_and_quiet_day_actions(market, users):
    e = Enterprise.objects.first()
    # One shared directory: any keeper of inspections maintains it; the legal representative is revealed by them.
    assert enterprise_actions(user=users["agency"], obj=e) == {"view", "create", "import", "edit", "reveal"}
    assert enterprise_actions(user=users["agency"], obj=None) == {"view", "create", "import"}
    assert enterprise_actions(user=users["leader"], obj=e) == {"view"}
    assert enterprise_actions(user=users["officer"], obj=e) == {"view"}
    assert enterprise_actions(user=users["monitor"], obj=e) == set()
    assert quiet_day_actions(user=users["supervisor"], obj=None) == {"view", "create"}
    assert quiet_day_actions(user=users["agency"], obj=None) == {"view"}
    assert quiet_day_actions(user=users["monitor"], obj=None) == set()


# ---------------------------------------------------------------- every write service refuses the same


def test_enterprise_writes_refused_without_the_action(market, users):
    division = Enterprise.objects.first().division
    with pytest.raises(Forbidden):
        services.enterprise_create(by=users["leader"], uscc=fx.make_uscc(9101), name="越权企业", division=division)
    assert not Enterprise.objects.filter(name="越权企业").exists()
    e = Enterprise.objects.first()
    with pytest.raises(Forbidden):
        services.enterprise_update(by=users["leader"], enterprise=e, uscc=e.uscc, name="改名", division=division)
    assert Enterprise.objects.get(pk=e.pk).name == e.name


def test_item_save_refused_outside_the_agency(market, users):
    item = market["item"]
    with pytest.raises(Forbidden):
        services.inspection_item_save(by=users["agency2"], agency=item.agency, power_item=item.power_item,
                                      targets="改过的对象")  # fmt: skip
    assert InspectionItem.objects.get(pk=item.pk).targets == item.targets


def test_pool_writes_refused_outside_the_agency(market, users):
    officer = fx.make_officer(market["agency"])
    with pytest.raises(Forbidden):
        services.pool_add(by=users["agency2"], officer=officer)
    assert not InspectorPoolEntry.objects.filter(officer=officer).exists()
    entry = InspectorPoolEntry.objects.filter(agency=market["agency"]).first()
    with pytest.raises(Forbidden):
        services.pool_set_available(by=users["agency2"], entry=entry, available=False)
    assert InspectorPoolEntry.objects.get(pk=entry.pk).available


def test_conflict_declaration_refused_for_another_agencys_officer(market, users):
    officer, e = market["officers"][0], Enterprise.objects.first()
    with pytest.raises(Forbidden):
        services.conflict_declare(by=users["agency2"], officer=officer, enterprise=e, reason="亲属关系")
    assert not ConflictDeclaration.objects.filter(officer=officer).exists()


def test_plan_create_refused_outside_the_agency(market, users):
    with pytest.raises(Forbidden):
        services.plan_create(by=users["agency2"], agency=market["agency"], year=TODAY().year, name="越权计划",
                             items=[market["item"]], proportions={"d_high": 50}, period_start=TODAY(),
                             period_end=TODAY())  # fmt: skip
    assert not Plan.objects.filter(name="越权计划").exists()


@pytest.mark.parametrize("caller", ["agency2", "leader", "self_scope"])
def test_plan_publish_refused_without_the_action(market, users, caller):
    plan = _plan(market, users)
    by = _self_scope_manager(users) if caller == "self_scope" else users[caller]
    with pytest.raises(Forbidden):
        services.plan_publish(by=by, plan=plan)
    assert Plan.objects.get(pk=plan.pk).status == "draft"


def test_draw_commit_refused_outside_the_agency(market, users):
    plan = _plan(market, users, publish=True)
    with pytest.raises(Forbidden):
        services.draw_commit(by=users["agency2"], plan=plan, item=market["item"])
    assert not Draw.objects.filter(plan=plan).exists()


def test_draw_perform_refused_without_the_action(market, users):
    draw = _draw(market, users)
    with pytest.raises(Forbidden):
        services.draw_perform(by=users["agency2"], draw=draw)
    assert Draw.objects.get(pk=draw.pk).status == "committed" and not draw.assignments.exists()


def test_draw_publish_refused_without_the_action(market, users):
    draw = _draw(market, users, to="drawn")
    with pytest.raises(Forbidden):
        services.draw_publish(by=users["leader"], draw=draw)
    assert Draw.objects.get(pk=draw.pk).status == "drawn"


def test_draw_redraw_refused_without_the_action(market, users):
    draw = _draw(market, users, to="drawn")
    with pytest.raises(Forbidden):
        services.draw_redraw(by=users["agency2"], draw=draw, reason="越权重新抽取")
    assert Draw.objects.get(pk=draw.pk).status == "drawn"
    assert Draw.objects.filter(plan=draw.plan).count() == 1


def test_record_create_refused_without_the_action(market, users):
    draw = _draw(market, users, to="drawn")
    with pytest.raises(Forbidden):
        services.inspection_record_create(by=users["agency2"], assignment=draw.assignments.first(),
                                          inspected_on=TODAY())  # fmt: skip
    assert not InspectionRecord.objects.exists()


def test_record_publish_refused_without_the_action(market, users):
    record = _record(market, users)
    for name in ("agency2", "leader"):
        with pytest.raises(Forbidden):
            services.inspection_record_publish(by=users[name], record=record)
    assert InspectionRecord.objects.get(pk=record.pk).published_on is None


def test_quiet_day_create_refused_without_the_action(users):
    with pytest.raises(Forbidden):
        services.quiet_day_create(by=users["agency"], start_date=TODAY(), end_date=TODAY(), group="高新园区")
    assert not QuietDay.objects.filter(group="高新园区").exists()


# ---------------------------------------------------------------- pages and API show the predicate


def test_pages_show_the_buttons_the_predicates_return(market, users, login_as):
    plan = _plan(market, users)
    page = login_as("agency").get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert 'id="publish-plan"' in page and 'id="commit-form"' not in page
    assert 'id="publish-plan"' not in login_as("leader").get(f"/inspections/plans/{plan.pk}/").content.decode()
    draw = _draw(market, users, to="drawn")
    page = login_as("agency").get(f"/inspections/draws/{draw.pk}/").content.decode()
    assert 'id="publish-draw"' in page and 'id="perform-draw"' not in page and 'id="redraw-form"' in page
    page = login_as("leader").get(f"/inspections/draws/{draw.pk}/").content.decode()
    assert 'id="publish-draw"' not in page and 'id="redraw-form"' not in page and "?assignment=" not in page


def test_api_reports_the_actions_and_refuses_the_rest(market, users, api_client):
    plan = _plan(market, users)
    assert api_client("agency").get(f"/api/v1/plans/{plan.pk}").json()["actions"] == ["publish", "view"]
    assert api_client("leader").get(f"/api/v1/plans/{plan.pk}").json()["actions"] == ["view"]
    assert api_client("agency2").post(f"/api/v1/plans/{plan.pk}/publish").status_code in (403, 404)
    assert Plan.objects.get(pk=plan.pk).status == "draft"
