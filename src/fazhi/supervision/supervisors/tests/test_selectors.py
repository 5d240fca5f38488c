"""Reads of the invited supervisors: the data scope of every list, masking and the logged reveal, the activity
ledger (this area's records and every registered duty source), his own page, and what the portal shows."""

import datetime as dt

import pytest

from fazhi.core.errors import NotFound
from fazhi.core.models import OperationLog, Role, Unit, User
from fazhi.supervision import duties
from fazhi.supervision.supervisors import selectors, services
from fazhi.supervision.supervisors.tests import factories as fx
from fazhi.supervision.supervisors.tests.test_services import _assign

pytestmark = pytest.mark.django_db
TODAY = fx.today


@pytest.fixture
def viewer_elsewhere(db):
    """Reads invited supervisors, in another unit's subtree (生态环境局)."""
    role = Role.objects.create(
        code="invited_viewer", name="外单位查看", data_scope="subtree", permissions=["invited.view"]
    )
    user = User.objects.create(username="invited_viewer", unit=Unit.objects.get(name=fx.ENVIRONMENT))
    user.roles.add(role)
    return user


@pytest.fixture
def world(users):
    by, monitor = users["supervisor"], users["monitor"]
    mine, _ = fx.appointed(by=by, account=monitor)
    other, _ = fx.appointed(by=by)
    duty = _assign(by, mine)
    other_duty = _assign(by, other)
    opinion = services.submission_create(by=monitor, kind="opinion", content="建议公开执法投诉电话，方便监督。")
    other_opinion = services.submission_create(by=other.user, kind="opinion", content="另一位特邀监督员的意见建议。")
    return {
        "mine": mine,
        "other": other,
        "duty": duty,
        "other_duty": other_duty,
        "opinion": opinion,
        "other_opinion": other_opinion,
    }


def test_another_units_viewer_sees_nothing_of_the_justice_bureaus(users, world, viewer_elsewhere):
    v = viewer_elsewhere
    assert not selectors.campaign_list(user=v).exists()
    assert not selectors.application_list(user=v).exists()
    assert not selectors.supervisor_list(user=v).exists()
    assert not selectors.duty_list(user=v).exists()
    assert not selectors.submission_list(user=v).exists()
    with pytest.raises(NotFound):
        selectors.supervisor_get(user=v, pk=world["mine"].pk)
    with pytest.raises(NotFound):
        selectors.campaign_get(user=v, pk=world["mine"].campaign_id)
    assert selectors.ledger(user=v, year=TODAY().year) == []
    # The leader (全部) sees all of it.
    assert selectors.supervisor_list(user=users["leader"]).count() == 2


def test_an_invited_supervisor_sees_only_what_is_his(users, world):
    monitor = users["monitor"]
    assert list(selectors.duty_list(user=monitor)) == [world["duty"]]
    assert list(selectors.submission_list(user=monitor)) == [world["opinion"]]
    assert list(selectors.supervisor_list(user=monitor)) == [world["mine"]]
    assert not selectors.campaign_list(user=monitor).exists()
    assert not selectors.application_list(user=monitor).exists()
    for get, pk in (
        (selectors.duty_get, world["other_duty"].pk),
        (selectors.submission_get, world["other_opinion"].pk),
        (selectors.supervisor_get, world["other"].pk),
        (selectors.application_get, world["mine"].application_id),
    ):
        with pytest.raises(NotFound):
            get(user=monitor, pk=pk)


def test_his_own_page_holds_only_his_work(users, world):
    work = selectors.my_work(user=users["monitor"])
    assert work.record == world["mine"]
    assert work.duties == [world["duty"]]
    assert [s for s, _ in work.submissions] == [world["opinion"]]
    assert work.submissions[0][1].status == "待答复"
    assert [r.supervisor for r in work.ledger] == [world["mine"]]


def test_the_personal_data_is_masked_and_a_reveal_is_logged(users, world):
    a = world["mine"].application
    shown = selectors.applicant_display(user=users["supervisor"], application=a)
    assert shown.masked and shown.id_number == a.id_number[:6] + "********" + a.id_number[-4:]
    assert shown.phone == a.phone[:3] + "****" + a.phone[-4:] and shown.name.endswith("某")
    full = selectors.applicant_display(user=users["supervisor"], application=a, reveal_reason="核实居住年限")
    assert not full.masked and full.id_number == a.id_number
    log = OperationLog.objects.filter(action="查看特邀监督员报名人信息").get()
    assert "核实居住年限" in log.summary
    # The leader reads but may not unmask.
    assert selectors.applicant_display(user=users["leader"], application=a, reveal_reason="想看").masked


@pytest.fixture
def reviews_source():
    """A duty source as the case-file review area registers one, alone in the registry for the test (the real
    sources of the other areas are checked in tests/test_cross_app.py)."""
    calls = []
    saved = dict(duties.DUTY_SOURCES)
    duties.DUTY_SOURCES.clear()

    def done_counts(user_ids, date_from, date_to):
        calls.append((tuple(user_ids), date_from, date_to))
        return {uid: 2 for uid in user_ids}

    source = duties.register_duty_source(
        duties.DutySource(
            code="test_reviews",
            label="案卷评查（测试）",
            rows=lambda user: [duties.DutyRow(title="2026年案卷评查第3卷", url="/x/", status="待评查")],
            done_counts=done_counts,
        )
    )
    yield calls
    duties.DUTY_SOURCES.pop(source.code)
    duties.DUTY_SOURCES.update(saved)


def test_the_ledger_counts_each_kind_in_the_year_and_every_duty_source(users, world, reviews_source):
    by, monitor = users["supervisor"], users["monitor"]
    mine = world["mine"]
    services.duty_record(by=monitor, duty=world["duty"], observed_on=TODAY(), findings="执法人员规范亮证告知权利。")
    services.duty_self_record(
        by=monitor, kind="inspection", subject="参加联合检查", observed_on=TODAY(), findings="检查过程规范，记录完整。"
    )
    services.training_create(by=by, topic="培训一", held_on=TODAY(), hours="2.5", attendees=[mine, world["other"]])
    services.annual_review_record(by=by, supervisor=mine, year=TODAY().year, grade="excellent")
    rows = {r.supervisor.pk: r for r in selectors.ledger(user=by, year=TODAY().year)}
    row = rows[mine.pk]
    assert row.counts == {"observation": 1, "inspection": 1, "training": 1, "opinion": 1, "problem": 0}
    assert row.sources == {"source:test_reviews": 2}
    assert row.hours == 2.5 and row.grade == "优秀" and row.total == 6
    assert row.cells == [1, 1, 1, 1, 0, 2]
    assert rows[world["other"].pk].counts["observation"] == 0  # his duty is not recorded yet
    assert reviews_source[-1][1:] == (dt.date(TODAY().year, 1, 1), dt.date(TODAY().year, 12, 31))
    assert selectors.ledger_columns()[-1] == ("source:test_reviews", "案卷评查（测试）")
    # Another year counts nothing of this one.
    last = {r.supervisor.pk: r for r in selectors.ledger(user=by, year=TODAY().year - 1)}
    assert mine.pk not in last or last[mine.pk].counts["observation"] == 0
    # His page shows the source's rows.
    work = selectors.my_work(user=monitor)
    assert work.source_rows == [
        ("案卷评查（测试）", [duties.DutyRow(title="2026年案卷评查第3卷", url="/x/", status="待评查")])
    ]


def test_the_public_stage_gives_the_reasons_of_a_refusal(users):
    by = users["supervisor"]
    c = fx.campaign(by=by)
    a = services.application_enter(
        by=by, campaign=c, route="unit", data=fx.person(is_functionary=True, recommender="某单位")
    )
    a = services.application_review(by=by, application=a, passed=False, reason="在职公务员")
    stage = selectors.public_stage(application=a)
    assert stage.stage == "资格初审未通过"
    assert stage.reasons == ["在职的国家公职人员不能担任特邀行政执法监督员（招募条件）", "在职公务员"]
    _c2, (x, _) = fx.in_publicity(by=by, start=TODAY())
    o = services.objection_enter(by=by, application=x, content="来信反映其受过行政拘留，请核实。")
    services.objection_answer(by=by, objection=o, answer="经核实属实，异议成立。", upheld=True)
    x.refresh_from_db()
    stage = selectors.public_stage(application=x)
    assert stage.stage == "公示期间异议成立，不予聘任" and stage.reasons == ["经核实属实，异议成立。"]


def test_the_portal_shows_published_campaigns_candidates_and_the_serving_roster(users):
    by = users["supervisor"]
    draft = fx.campaign(by=by, publish=False)
    c, made = fx.in_publicity(by=by, start=TODAY())
    assert draft not in selectors.public_campaigns() and c in selectors.public_campaigns()
    with pytest.raises(NotFound):
        selectors.public_campaign_get(pk=draft.pk)
    assert {a.pk for a in selectors.public_candidates(campaign=c)} == {a.pk for a in made}
    open_one = fx.campaign(by=by)
    fx.apply(open_one)
    assert selectors.public_candidates(campaign=open_one) == []
    serving, _ = fx.appointed(by=by)
    ended, _ = fx.appointed(by=by)
    services.supervisor_end(by=by, supervisor=ended, ending="resigned", reason="本人申请")
    assert list(selectors.public_roster()) == [serving]
