"""The predicates of the invited-supervisor entities: each action in exactly the states and scopes it belongs to,
and the services refuse a caller the predicate does not offer the step to (403), changing nothing."""

import datetime as dt

import pytest

from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Role, Unit, User
from fazhi.core.permissions import DEFAULT_ROLES
from fazhi.supervision.supervisors import services
from fazhi.supervision.supervisors.permissions import (
    application_actions,
    campaign_actions,
    duty_actions,
    my_actions,
    objection_actions,
    submission_actions,
    supervisor_actions,
    training_actions,
)
from fazhi.supervision.supervisors.tests import factories as fx

pytestmark = pytest.mark.django_db
TODAY = fx.today


@pytest.fixture
def outsider(db):
    """A manager of invited supervisors in another unit's subtree (生态环境局)."""
    role = Role.objects.create(
        code="invited_outsider",
        name="外单位特邀监督员管理",
        data_scope="subtree",
        permissions=["invited.view", "invited.manage", "personal.reveal"],
    )
    user = User.objects.create(username="invited_outsider", unit=Unit.objects.get(name=fx.ENVIRONMENT))
    user.roles.add(role)
    return user


def test_grants_of_the_built_in_roles():
    assert {"invited.view", "invited.manage"} <= set(DEFAULT_ROLES["supervisor"][2])
    assert "invited.view" in DEFAULT_ROLES["leader"][2] and "invited.manage" not in DEFAULT_ROLES["leader"][2]
    assert "invited.duty" in DEFAULT_ROLES["invited_supervisor"][2]
    assert not {"invited.view", "invited.manage"} & set(DEFAULT_ROLES["invited_supervisor"][2])
    assert not {"invited.view", "invited.manage", "invited.duty"} & set(DEFAULT_ROLES["agency_legal"][2])


def test_campaign_actions_follow_its_state(users):
    by = users["supervisor"]
    assert campaign_actions(user=by, obj=None) == {"view", "create"}
    assert campaign_actions(user=users["leader"], obj=None) == {"view"}
    assert campaign_actions(user=users["monitor"], obj=None) == set()
    c = fx.campaign(by=by, publish=False)
    assert campaign_actions(user=by, obj=c) == {"view", "edit", "publish"}
    c = services.campaign_publish(by=by, campaign=c)
    assert campaign_actions(user=by, obj=c) == {"view", "enter", "publicity"}
    assert campaign_actions(user=users["leader"], obj=c) == {"view"}
    c, _ = fx.in_publicity(by=by, start=TODAY())
    assert campaign_actions(user=by, obj=c, today=TODAY()) == {"view", "objection"}
    assert campaign_actions(user=by, obj=c, today=c.publicity_end + dt.timedelta(days=1)) == {"view", "close"}


def test_another_units_manager_may_do_nothing_and_the_services_refuse_him(users, outsider):
    by = users["supervisor"]
    c = fx.campaign(by=by)
    a = fx.apply(c)
    assert campaign_actions(user=outsider, obj=c) == set()
    assert application_actions(user=outsider, obj=a) == set()
    for call in (
        lambda: services.application_review(by=outsider, application=a, passed=True),
        lambda: services.campaign_publicity_start(by=outsider, campaign=c),
        lambda: services.application_enter(by=outsider, campaign=c, route="unit", data=fx.person(recommender="x")),
    ):
        with pytest.raises(Forbidden):
            call()
    a.refresh_from_db()
    assert a.status == "submitted" and c.applications.count() == 1
    # His own unit's campaign is his.
    own = fx.campaign(by=outsider, organiser=outsider.unit)
    assert "publicity" in campaign_actions(user=outsider, obj=own)


def test_application_actions_follow_its_state(users):
    by = users["supervisor"]
    c = fx.campaign(by=by)
    submitted = fx.apply(c)
    invited = services.application_enter(by=by, campaign=c, route="invite", data=fx.person())
    assert application_actions(user=by, obj=submitted) == {"view", "reveal", "review"}
    assert application_actions(user=by, obj=invited) == {"view", "reveal", "invite_reply"}
    assert application_actions(user=users["leader"], obj=submitted) == {"view"}  # no personal.reveal
    assert application_actions(user=users["agency"], obj=submitted) == set()
    c, (a, _) = fx.in_publicity(by=by, start=TODAY())
    assert application_actions(user=by, obj=a, today=TODAY()) == {"view", "reveal", "objection"}
    after = c.publicity_end + dt.timedelta(days=1)
    assert application_actions(user=by, obj=a, today=after) == {"view", "reveal", "appoint"}


def test_a_state_that_does_not_offer_a_step_is_refused_with_a_message(users):
    by = users["supervisor"]
    c = fx.campaign(by=by)
    a = services.application_review(by=by, application=fx.apply(c), passed=True)
    assert "review" not in application_actions(user=by, obj=a)
    with pytest.raises(DomainError):
        services.application_review(by=by, application=a, passed=False, reason="再审")
    assert "appoint" not in application_actions(user=by, obj=a)
    with pytest.raises(DomainError):
        services.supervisor_appoint(by=by, application=a)


def test_objection_and_submission_answers_for_the_manager_only(users):
    by, monitor = users["supervisor"], users["monitor"]
    _c, (a, _) = fx.in_publicity(by=by, start=TODAY())
    o = services.objection_enter(by=by, application=a, content="来电反映该候选人的情况，请核实。")
    assert objection_actions(user=by, obj=o) == {"view", "answer"}
    assert objection_actions(user=users["leader"], obj=o) == {"view"}
    assert objection_actions(user=monitor, obj=o) == set()
    fx.appointed(by=by, account=monitor)
    s = services.submission_create(by=monitor, kind="opinion", content="建议公开执法投诉电话，方便监督。")
    assert submission_actions(user=by, obj=s) == {"view", "answer"}
    assert submission_actions(user=monitor, obj=s) == {"view"}
    assert submission_actions(user=users["leader"], obj=s) == {"view"}
    with pytest.raises(Forbidden):
        services.submission_answer(by=users["leader"], submission=s, answer="领导不能答复")


def test_supervisor_and_duty_actions(users):
    by, monitor = users["supervisor"], users["monitor"]
    record, _ = fx.appointed(by=by, account=monitor)
    assert supervisor_actions(user=by, obj=record) == {"view", "reveal", "account", "review", "end", "assign"}
    assert supervisor_actions(user=monitor, obj=record) == {"view"}
    assert supervisor_actions(user=users["leader"], obj=record) == {"view"}
    assert supervisor_actions(user=by, obj=record, today=record.term_end) >= {"expire", "assign"}
    assert "assign" not in supervisor_actions(user=by, obj=record, today=record.term_end + dt.timedelta(days=1))
    other, _ = fx.appointed(by=by)
    assert supervisor_actions(user=monitor, obj=other) == set()
    from fazhi.supervision.supervisors.tests.test_services import _assign

    duty = _assign(by, record)
    assert duty_actions(user=monitor, obj=duty) == {"view", "record"}
    assert duty_actions(user=by, obj=duty) == {"view", "cancel"}
    assert duty_actions(user=other.user, obj=duty) == set()
    with pytest.raises(Forbidden):
        services.duty_record(by=other.user, duty=duty, observed_on=TODAY(), findings="别人的观摩不能由我记录。")
    with pytest.raises(Forbidden):
        services.duty_cancel(by=monitor, duty=duty, reason="自己取消")
    assert my_actions(user=monitor, record=record) == {"view", "record", "submit"}
    assert my_actions(user=by, record=record) == set()
    services.supervisor_end(by=by, supervisor=record, ending="resigned", reason="本人申请")
    record.refresh_from_db()
    monitor = User.objects.get(pk=monitor.pk)  # a new request: the role is gone with the term
    assert my_actions(user=monitor, record=record) == set()
    duty.refresh_from_db()  # cancelled with the term
    assert duty_actions(user=by, obj=duty) == {"view"}


def test_training_actions(users, outsider):
    by = users["supervisor"]
    assert training_actions(user=by, obj=None) == {"view", "create"}
    assert training_actions(user=users["leader"], obj=None) == {"view"}
    t = services.training_create(by=by, topic="培训", held_on=TODAY(), hours=2)
    assert training_actions(user=by, obj=t) == {"view", "attend"}
    assert training_actions(user=outsider, obj=t) == set()
    with pytest.raises(Forbidden):
        services.training_attend(by=outsider, training=t, attendees=[])
