"""The invited-supervisor services: recruitment by the three routes, 资格初审, 公示 with objections, 聘任 with the
聘书 and the account, the term, reviews and leaving, duties, submissions and training. Bad input is refused with
a Chinese message naming the field, and nothing is written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import User
from fazhi.documents.selectors import documents_for
from fazhi.supervision.supervisors import rules, services
from fazhi.supervision.supervisors.models import (
    AnnualReview,
    Application,
    Duty,
    InvitedSupervisor,
    Objection,
    RecruitmentCampaign,
    Submission,
    Training,
)
from fazhi.supervision.supervisors.tests import factories as fx
from fazhi.tracking.models import TrackedItem
from fazhi.workdays.calendar import add_working_days

pytestmark = pytest.mark.django_db
TODAY = fx.today


def _fields(exc: DomainError) -> dict[str, str]:
    return {e["field"]: e["message"] for e in exc.as_dict()["errors"]}


# ---------------------------------------------------------------- campaigns


def test_a_campaign_takes_the_configured_defaults(users):
    c = fx.campaign(by=users["supervisor"], publish=False)
    assert (c.min_age, c.max_age, c.min_residency_years, c.publicity_days, c.term_years) == (25, 65, 3, 5, 5)
    assert c.organiser.name == fx.JUSTICE and c.status == "draft" and c.item is None


def test_publishing_opens_the_campaigns_item_to_the_application_deadline(users):
    c = fx.campaign(by=users["supervisor"])
    assert c.status == "open" and c.published_on == TODAY()
    assert c.item.kind == "invited_campaign" and c.item.deadline == c.apply_until
    assert "报名截止" in c.item.deadline_source
    event = c.item.events.get()
    assert "年龄25周岁以上" in event.comment


def test_bad_campaign_values_are_all_named_and_nothing_is_written(users):
    before = RecruitmentCampaign.objects.count()
    with pytest.raises(DomainError) as err:
        services.campaign_create(
            by=users["supervisor"],
            title="",
            year=2026,
            quota=0,
            apply_from=TODAY(),
            apply_until=TODAY() - dt.timedelta(days=1),
            conditions=rules.Conditions(40, 30, 3, True, True),
        )
    fields = _fields(err.value)
    assert fields["title"] == "请填写公告标题"
    assert "拟聘名额" in fields["quota"]
    assert fields["apply_until"] == "报名截止日期不能早于报名开始日期"
    assert "最高年龄" in fields["max_age"]
    assert RecruitmentCampaign.objects.count() == before


def test_only_a_draft_changes_and_a_stale_deadline_is_not_published(users):
    by = users["supervisor"]
    c = fx.campaign(
        by=by, publish=False, apply_until=TODAY() - dt.timedelta(days=1), apply_from=TODAY() - dt.timedelta(days=9)
    )
    with pytest.raises(DomainError) as err:
        services.campaign_publish(by=by, campaign=c)
    assert err.value.field == "apply_until"
    c = fx.campaign(by=by)
    with pytest.raises(DomainError, match="已发布，不能修改"):
        services.campaign_update(
            by=by,
            campaign=c,
            title="x",
            year=c.year,
            quota=3,
            apply_from=c.apply_from,
            apply_until=c.apply_until,
            announcement="",
            conditions=c.conditions,
            publicity_days=5,
            term_years=5,
        )


def test_another_units_staff_cannot_run_the_campaign(users, org):
    c = fx.campaign(by=users["supervisor"])
    with pytest.raises(Forbidden):
        services.campaign_publicity_start(by=users["agency"], campaign=c)


# ---------------------------------------------------------------- 个人自荐


def test_a_citizen_applies_with_a_tracking_code_and_the_review_item_opens(users):
    c = fx.campaign(by=users["supervisor"])
    data = fx.person(id_number=fx.id_number(age=41, male=False))
    a, password = services.application_submit_public(
        campaign=c, data=data, consent=True, files=[fx.pdf()], ip="203.0.113.9", today=TODAY()
    )
    assert a.tracking_code.startswith("TY") and len(password) == 10
    assert a.status == "submitted" and a.eligible and a.eligibility == []
    assert a.gender == "女" and rules.age_on(a.birth_date, TODAY()) == 41
    assert a.attachments.count() == 1
    assert a.item.kind == "invited_application"
    assert a.item.deadline == add_working_days(TODAY(), 10)
    assert services.application_public_query(code=a.tracking_code, password=password, ip="1.1.1.1").pk == a.pk


def test_an_ineligible_applicant_is_refused_with_each_failed_condition_and_nothing_is_written(users):
    c = fx.campaign(by=users["supervisor"])
    before = (Application.objects.count(), TrackedItem.objects.count())
    data = fx.person(id_number=fx.id_number(age=22), residency_years=1, is_functionary=True, has_sanctions=True)
    with pytest.raises(DomainError) as err:
        services.application_submit_public(campaign=c, data=data, consent=True, today=TODAY())
    fields = _fields(err.value)
    assert fields == {
        "id_number": "年龄不符合招募条件：应为25至65周岁，按身份证号计算为22周岁",
        "residency_years": "本地居住年限不符合招募条件：应满3年，填报为1年",
        "is_functionary": "在职的国家公职人员不能担任特邀行政执法监督员（招募条件）",
        "has_sanctions": "受过刑事处罚、被开除公职或受过其他处分、行政拘留的，不能担任特邀行政执法监督员（招募条件）",
    }
    assert (Application.objects.count(), TrackedItem.objects.count()) == before


def test_every_bad_field_is_named_at_once(users):
    c = fx.campaign(by=users["supervisor"])
    with pytest.raises(DomainError) as err:
        services.application_submit_public(
            campaign=c,
            data={
                "name": "",
                "id_number": "430121198001011234",
                "phone": "123",
                "address": "",
                "residency_years": None,
            },
            consent=False,
            files=[SimpleUploadedFile("a.exe", b"MZ")],
            today=TODAY(),
        )
    fields = _fields(err.value)
    assert fields["name"] == "请填写姓名"
    assert "身份证号" in fields["id_number"] and "GB 11643" in fields["id_number"]
    assert "联系电话" in fields["phone"]
    assert fields["address"] == "请填写住址"
    assert fields["residency_years"] == "本地居住年限应为整数"
    assert "是否为在职的国家公职人员" in fields["is_functionary"]
    assert fields["consent"] == "请阅读并同意个人信息处理说明后再提交"
    assert "a.exe" in fields["attachments"]
    assert not Application.objects.filter(campaign=c).exists()


def test_a_double_submit_is_one_application_and_the_same_password(users):
    c = fx.campaign(by=users["supervisor"])
    data = fx.person()
    first = services.application_submit_public(
        campaign=c, data=data, consent=True, submit_token="web:abc", today=TODAY()
    )
    again = services.application_submit_public(
        campaign=c, data=data, consent=True, submit_token="web:abc", today=TODAY()
    )
    assert first == again and c.applications.count() == 1


def test_one_application_per_person_and_campaign(users):
    c = fx.campaign(by=users["supervisor"])
    data = fx.person()
    services.application_submit_public(campaign=c, data=data, consent=True, today=TODAY())
    with pytest.raises(DomainError) as err:
        services.application_submit_public(campaign=c, data=data, consent=True, today=TODAY())
    assert err.value.field == "id_number" and "已报名" in err.value.message


def test_applications_outside_the_window_are_refused(users):
    c = fx.campaign(by=users["supervisor"])
    with pytest.raises(DomainError) as err:
        services.application_submit_public(
            campaign=c, data=fx.person(), consent=True, today=c.apply_until + dt.timedelta(days=1)
        )
    assert err.value.field == "campaign"


def test_the_public_form_is_rate_limited_per_network_address(users, settings):
    settings.FAZHI_INVITED_SUPERVISORS = {"APPLY_IP_HOUR": 2}
    c = fx.campaign(by=users["supervisor"])
    for _ in range(2):
        services.application_submit_public(campaign=c, data=fx.person(), consent=True, ip="198.51.100.7", today=TODAY())
    with pytest.raises(DomainError) as err:
        services.application_submit_public(campaign=c, data=fx.person(), consent=True, ip="198.51.100.7", today=TODAY())
    assert err.value.field == "rate" and "1 小时内最多提交 2 份" in err.value.message
    assert c.applications.count() == 2
    services.application_submit_public(campaign=c, data=fx.person(), consent=True, ip="198.51.100.8", today=TODAY())


def test_a_wrong_code_and_a_wrong_password_look_alike_and_failures_are_limited(users, settings):
    from fazhi.core.errors import NotFound

    settings.FAZHI_INVITED_SUPERVISORS = {"QUERY_FAIL_HOUR": 3}
    c = fx.campaign(by=users["supervisor"])
    a, password = services.application_submit_public(campaign=c, data=fx.person(), consent=True, today=TODAY())
    for code, pw in ((a.tracking_code, "WRONG"), ("TY000000NOPE", password), (a.tracking_code, "")):
        with pytest.raises(NotFound) as err:
            services.application_public_query(code=code, password=pw, ip="192.0.2.1")
        assert err.value.message == "查询码或查询密码不正确"
    with pytest.raises(DomainError) as err:
        services.application_public_query(code=a.tracking_code, password=password, ip="192.0.2.1")
    assert err.value.field == "rate"
    assert services.application_public_query(code=a.tracking_code.lower(), password=password.lower(), ip="192.0.2.2")


# ---------------------------------------------------------------- 单位推荐 and 函询


def test_a_unit_recommendation_is_recorded_even_if_ineligible_with_its_reasons(users):
    c = fx.campaign(by=users["supervisor"])
    a = services.application_enter(
        by=users["supervisor"],
        campaign=c,
        route="unit",
        data=fx.person(is_functionary=True, recommender="示例市人大常委会办公室"),
    )
    assert a.status == "submitted" and a.route == "unit" and a.recommender == "示例市人大常委会办公室"
    assert not a.eligible and [x["field"] for x in a.eligibility] == ["is_functionary"]
    assert "不符合招募条件" in a.item.events.get().comment
    assert a.password_hash == "-"  # staff entries are not queried on the portal


def test_a_recommendation_needs_its_recommender(users):
    c = fx.campaign(by=users["supervisor"])
    with pytest.raises(DomainError) as err:
        services.application_enter(by=users["supervisor"], campaign=c, route="unit", data=fx.person())
    assert err.value.field == "recommender"


def test_an_invitation_generates_a_numbered_letter_and_waits_for_the_reply(users):
    by = users["supervisor"]
    c = fx.campaign(by=by)
    a = services.application_enter(by=by, campaign=c, route="invite", data=fx.person())
    assert a.status == "invited"
    assert a.invitation_number == f"示司特函〔{TODAY().year}〕1号"
    doc = documents_for(object_kind="invited_application", object_id=a.pk).get()
    assert doc.number == a.invitation_number and doc.item_id == a.item_id
    assert a.item.events.filter(action="document").exists()
    second = services.application_enter(by=by, campaign=c, route="invite", data=fx.person())
    assert second.invitation_number.endswith("〕2号")
    a = services.application_invite_reply(by=by, application=a, accepted=True, note="电话回复同意")
    assert a.status == "submitted"
    second = services.application_invite_reply(by=by, application=second, accepted=False)
    assert second.status == "declined" and second.item.status == "closed"
    with pytest.raises(DomainError):
        services.application_invite_reply(by=by, application=second, accepted=True)


def test_self_application_is_not_a_staff_route(users):
    c = fx.campaign(by=users["supervisor"])
    with pytest.raises(DomainError) as err:
        services.application_enter(by=users["supervisor"], campaign=c, route="self", data=fx.person())
    assert err.value.field == "route"


# ---------------------------------------------------------------- 资格初审


def test_review_pass_or_fail_with_a_reason_closes_the_review_item(users):
    by = users["supervisor"]
    c = fx.campaign(by=by)
    a, b = fx.apply(c), fx.apply(c)
    with pytest.raises(DomainError) as err:
        services.application_review(by=by, application=b, passed=False, reason="")
    assert err.value.field == "reason"
    a = services.application_review(by=by, application=a, passed=True)
    b = services.application_review(by=by, application=b, passed=False, reason="材料不全，无法核实居住年限")
    assert (a.status, b.status) == ("passed", "failed")
    assert a.item.status == "closed" and a.item.closed_on_time
    assert b.review_reason == "材料不全，无法核实居住年限"
    with pytest.raises(DomainError, match="只有待资格初审"):
        services.application_review(by=by, application=a, passed=True)


def test_an_ineligible_applicant_cannot_pass_the_review(users):
    by = users["supervisor"]
    c = fx.campaign(by=by)
    a = services.application_enter(
        by=by, campaign=c, route="unit", data=fx.person(residency_years=0, recommender="某单位")
    )
    with pytest.raises(DomainError) as err:
        services.application_review(by=by, application=a, passed=True)
    assert err.value.field == "decision" and "本地居住年限" in err.value.message
    a.refresh_from_db()
    assert a.status == "submitted"


# ---------------------------------------------------------------- 公示 and objections


def test_publicity_waits_for_every_review_and_lasts_n_working_days(users):
    by = users["supervisor"]
    c = fx.campaign(by=by)
    a, b = fx.apply(c), fx.apply(c)
    services.application_review(by=by, application=a, passed=True)
    with pytest.raises(DomainError, match="还有 1 份报名未完成资格初审"):
        services.campaign_publicity_start(by=by, campaign=c)
    services.application_review(by=by, application=b, passed=False, reason="不符合")
    c = services.campaign_publicity_start(by=by, campaign=c, today=TODAY())
    assert c.status == "publicity" and c.publicity_start == TODAY()
    assert c.publicity_end == add_working_days(TODAY(), 5)
    assert (
        c.item.deadline == c.publicity_end
        and "公示5个工作日" in c.item.events.filter(action="deadline_changed").get().comment
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("publicized", "failed")
    notice = documents_for(object_kind="invited_campaign", object_id=c.pk).get()
    assert notice.title == "关于拟聘任特邀行政执法监督员的公示" and notice.item_id == c.item_id
    assert a.item.events.filter(action="publicity").exists()


def test_publicity_needs_a_candidate(users):
    by = users["supervisor"]
    c = fx.campaign(by=by)
    services.application_review(by=by, application=fx.apply(c), passed=False, reason="不符合")
    with pytest.raises(DomainError, match="没有资格初审通过的人员"):
        services.campaign_publicity_start(by=by, campaign=c)


def test_objections_only_during_the_publicity_and_each_is_answered(users):
    by = users["supervisor"]
    start = TODAY()
    c, (a, b) = fx.in_publicity(by=by, start=start)
    with pytest.raises(DomainError) as err:
        services.objection_submit_public(campaign=c, application_id=a.pk, content="太短", today=start)
    assert err.value.field == "content"
    with pytest.raises(DomainError) as err:
        services.objection_submit_public(
            campaign=c, application_id=999999, content="反映该候选人的情况请核实一下", today=start
        )
    assert err.value.field == "application"
    o = services.objection_submit_public(
        campaign=c,
        application_id=a.pk,
        content="反映该候选人长期不在本地居住，请核实。",
        phone="13800001111",
        today=start,
    )
    assert o.channel == "portal" and o.status == "pending"
    assert c.item.events.filter(action="objection").exists() and a.item.events.filter(action="objection").exists()
    late = c.publicity_end + dt.timedelta(days=1)
    with pytest.raises(DomainError) as err:
        services.objection_submit_public(
            campaign=c, application_id=a.pk, content="公示期过后才提出的异议内容", today=late
        )
    assert err.value.field == "campaign"
    o = services.objection_answer(by=by, objection=o, answer="经核查，其在本地居住已满十年，异议不成立。", upheld=False)
    assert o.status == "answered" and o.upheld is False
    with pytest.raises(DomainError, match="已答复"):
        services.objection_answer(by=by, objection=o, answer="再答复一次。", upheld=True)
    staff = services.objection_enter(by=by, application=b, content="来信反映其曾受过行政拘留，请核实。")
    services.objection_answer(by=by, objection=staff, answer="经公安机关核实，情况属实，异议成立。", upheld=True)
    b.refresh_from_db()
    assert b.status == "objection_upheld"


def test_a_public_objection_is_rate_limited_and_idempotent(users, settings):
    settings.FAZHI_INVITED_SUPERVISORS = {"OBJECTION_IP_HOUR": 1}
    c, (a, _) = fx.in_publicity(by=users["supervisor"], start=TODAY())
    kw = {"campaign": c, "application_id": a.pk, "content": "反映该候选人的情况，请核实。", "today": TODAY()}
    first = services.objection_submit_public(ip="203.0.113.5", submit_token="web:1", **kw)
    assert services.objection_submit_public(ip="203.0.113.5", submit_token="web:1", **kw) == first
    with pytest.raises(DomainError) as err:
        services.objection_submit_public(ip="203.0.113.5", **kw)
    assert err.value.field == "rate"
    assert Objection.objects.filter(campaign=c).count() == 1


# ---------------------------------------------------------------- 聘任


def test_appointment_only_after_the_publicity_with_every_objection_answered(users):
    by = users["supervisor"]
    start = TODAY() - dt.timedelta(days=20)
    c, (a, b) = fx.in_publicity(by=by, start=start)
    with pytest.raises(DomainError, match="公示期结束后才能聘任"):
        services.supervisor_appoint(by=by, application=a, today=c.publicity_end)
    o = services.objection_submit_public(
        campaign=c, application_id=a.pk, content="反映该候选人的情况，请核实。", today=start
    )
    with pytest.raises(DomainError) as err:
        services.supervisor_appoint(by=by, application=b, today=TODAY())
    assert err.value.field == "objections"
    services.objection_answer(by=by, objection=o, answer="经核查异议不成立。", upheld=False)
    supervisor, password = services.supervisor_appoint(by=by, application=a, today=TODAY())
    assert supervisor.status == "serving" and supervisor.appointed_on == TODAY()
    assert supervisor.term_end == rules.term_end(TODAY(), 5)
    assert supervisor.number == f"示司特聘〔{TODAY().year}〕1号"
    a.refresh_from_db()
    assert a.status == "appointed"
    certificate = documents_for(object_kind="invited_supervisor", object_id=supervisor.pk).get()
    assert certificate.number == supervisor.number and certificate.item_id == a.item_id
    event = a.item.events.get(action="appointed")
    assert supervisor.number in event.comment
    # The account: the invited_supervisor role, the organiser's unit, the password changed at first login.
    user = supervisor.user
    assert user.check_password(password) and user.must_change_password
    assert list(user.roles.values_list("code", flat=True)) == ["invited_supervisor"]
    assert user.unit == c.organiser and user.name == a.name
    from fazhi.core.passwords import password_problem

    assert password_problem(password) is None


def test_the_quota_holds(users):
    by = users["supervisor"]
    c, (a, b) = fx.in_publicity(by=by, start=TODAY() - dt.timedelta(days=20))
    RecruitmentCampaign.objects.filter(pk=c.pk).update(quota=1)
    services.supervisor_appoint(by=by, application=a, today=TODAY())
    with pytest.raises(DomainError) as err:
        services.supervisor_appoint(by=by, application=b, today=TODAY())
    assert err.value.field == "quota"
    assert not InvitedSupervisor.objects.filter(application=b).exists()


def test_a_refused_appointment_takes_no_number(users):
    from fazhi.documents.models import DocumentNumber

    by = users["supervisor"]
    _c, (a, _) = fx.in_publicity(by=by, start=TODAY())
    with pytest.raises(DomainError):
        services.supervisor_appoint(by=by, application=a, today=TODAY())
    assert not DocumentNumber.objects.filter(register__doc_type="聘书").exists()


def test_a_reappointed_person_keeps_his_account(users):
    by = users["supervisor"]
    first, _ = fx.appointed(by=by, on=TODAY() - dt.timedelta(days=200))
    services.supervisor_end(by=by, supervisor=first, ending="resigned", reason="本人申请辞任")
    first.user.refresh_from_db()
    assert not first.user.is_active
    _c, (a,) = fx.in_publicity(by=by, start=TODAY() - dt.timedelta(days=20), people=1)
    Application.objects.filter(pk=a.pk).update(id_number=first.application.id_number)
    a.refresh_from_db()
    again, password = services.supervisor_appoint(by=by, application=a, today=TODAY())
    again.user.refresh_from_db()
    assert again.user_id == first.user_id and again.user.is_active and again.user.must_change_password
    assert again.user.check_password(password)


def test_the_system_may_appoint_an_existing_account_but_staff_may_not(users):
    by = users["supervisor"]
    _c, (a, _b) = fx.in_publicity(by=by, start=TODAY() - dt.timedelta(days=20))
    with pytest.raises(Forbidden):
        services.supervisor_appoint(by=by, application=a, account=users["officer"])
    supervisor, password = services.supervisor_appoint(by=None, application=a, account=users["monitor"], today=TODAY())
    assert supervisor.user == users["monitor"] and password is None


# ---------------------------------------------------------------- the term


def test_the_expiry_item_opens_n_days_ahead_once(users):
    supervisor, _ = fx.appointed(by=users["supervisor"])
    assert services.term_expiry_scan(today=TODAY()) == 0
    before = supervisor.term_end - dt.timedelta(days=61)
    assert services.term_expiry_scan(today=before) == 0
    day = supervisor.term_end - dt.timedelta(days=60)
    assert services.term_expiry_scan(today=day) == 1
    assert services.term_expiry_scan(today=day) == 0
    supervisor.refresh_from_db()
    item = supervisor.expiry_item
    assert item.kind == "invited_term" and item.deadline == supervisor.term_end and item.status == "open"
    assert "聘期5年" in item.deadline_source


def test_expiry_is_recorded_after_the_term_and_closes_the_item(users):
    by = users["supervisor"]
    supervisor, _ = fx.appointed(by=by)
    end = supervisor.term_end
    services.term_expiry_scan(today=end - dt.timedelta(days=10))
    with pytest.raises(DomainError) as err:
        services.supervisor_end(
            by=by, supervisor=supervisor, ending="expired", reason="", today=end - dt.timedelta(days=1)
        )
    assert err.value.field == "ending"
    supervisor = services.supervisor_end(by=by, supervisor=supervisor, ending="expired", reason="", today=end)
    assert supervisor.status == "expired" and supervisor.end_reason == "聘期届满"
    supervisor.expiry_item.refresh_from_db()
    assert supervisor.expiry_item.status == "closed"


def test_dismissal_needs_a_reason_cancels_duties_and_takes_the_role(users):
    by = users["supervisor"]
    supervisor, _ = fx.appointed(by=by)
    duty = _assign(by, supervisor)
    with pytest.raises(DomainError) as err:
        services.supervisor_end(by=by, supervisor=supervisor, ending="dismissed", reason="")
    assert err.value.field == "reason"
    services.supervisor_end(by=by, supervisor=supervisor, ending="dismissed", reason="无正当理由连续两次不参加活动")
    duty.refresh_from_db()
    assert duty.status == "cancelled" and duty.item.status == "closed"
    user = User.objects.get(pk=supervisor.user_id)
    assert not user.is_active and not user.roles.exists()
    assert supervisor.application.item.events.filter(action="dismissed").exists()


def test_an_account_with_other_roles_keeps_them(users):
    by = users["supervisor"]
    supervisor, _ = fx.appointed(by=by, account=users["officer"])
    services.supervisor_end(by=by, supervisor=supervisor, ending="resigned", reason="本人申请")
    officer = User.objects.get(username="officer")
    assert officer.is_active and list(officer.roles.values_list("code", flat=True)) == ["officer"]


def test_one_annual_review_per_year_of_the_term(users):
    by = users["supervisor"]
    supervisor, _ = fx.appointed(by=by, on=TODAY() - dt.timedelta(days=400))
    year = TODAY().year - 1
    review = services.annual_review_record(by=by, supervisor=supervisor, year=year, grade="excellent", comment="积极")
    assert review.get_grade_display() == "优秀"
    with pytest.raises(DomainError) as err:
        services.annual_review_record(by=by, supervisor=supervisor, year=year, grade="competent")
    assert err.value.field == "year" and "每年只考核一次" in err.value.message
    with pytest.raises(DomainError) as err:
        services.annual_review_record(by=by, supervisor=supervisor, year=TODAY().year + 1, grade="competent")
    assert err.value.field == "year"
    with pytest.raises(DomainError) as err:
        services.annual_review_record(by=by, supervisor=supervisor, year=TODAY().year, grade="incompetent")
    assert err.value.field == "comment"
    with pytest.raises(DomainError) as err:
        services.annual_review_record(by=by, supervisor=supervisor, year=TODAY().year, grade="great")
    assert err.value.field == "grade"
    assert AnnualReview.objects.filter(supervisor=supervisor).count() == 1


# ---------------------------------------------------------------- duties


def _assign(by, supervisor, **kw):
    from fazhi.complaints.services import complaint_submit

    complaint, _ = complaint_submit(
        channel="hotline", category="other", description="观摩关联的热线工单内容，至少十个字。", name="测试"
    )
    values = {"kind": "observation", "link_kind": "complaint", "link_id": complaint.pk, "planned_on": TODAY()} | kw
    return services.duty_assign(by=by, supervisor=supervisor, **values)


def test_a_supervisor_assigns_an_observation_and_the_invited_supervisor_records_it(users):
    from fazhi.core.models import Notification

    by = users["supervisor"]
    supervisor, _ = fx.appointed(by=by, account=users["monitor"])
    duty = _assign(by, supervisor, place="东城区人民路")
    assert duty.status == "assigned" and duty.subject.startswith("问题线索") is False
    assert duty.item.kind == "invited_duty" and duty.item.deadline == add_working_days(TODAY(), 5)
    assert Notification.objects.filter(recipient=users["monitor"], dedup_key=f"invited-duty:{duty.pk}").exists()
    with pytest.raises(Forbidden):
        services.duty_record(by=by, duty=duty, observed_on=TODAY(), findings="执法人员规范亮证执法过程完整")
    with pytest.raises(DomainError) as err:
        services.duty_record(by=users["monitor"], duty=duty, observed_on=TODAY() + dt.timedelta(days=1), findings="短")
    assert set(_fields(err.value)) == {"observed_on", "findings"}
    duty = services.duty_record(
        by=users["monitor"],
        duty=duty,
        observed_on=TODAY(),
        findings="执法人员两人到场，出示证件，告知权利。",
        opinion="建议当场反馈检查结果",
        files=[fx.pdf("现场.pdf")],
    )
    assert duty.status == "recorded" and duty.attachments.count() == 1
    duty.item.refresh_from_db()
    assert duty.item.status == "closed" and duty.item.closed_on_time
    assert duty.item.events.get(action="recorded").attachments.count() == 1


def test_a_link_outside_the_assigning_users_scope_is_a_wrong_input(users):
    by = users["supervisor"]
    supervisor, _ = fx.appointed(by=by)
    with pytest.raises(DomainError) as err:
        services.duty_assign(
            by=by, supervisor=supervisor, kind="observation", link_kind="case", link_id=999999, planned_on=TODAY()
        )
    assert err.value.field == "link_id"
    with pytest.raises(DomainError) as err:
        services.duty_assign(
            by=by, supervisor=supervisor, kind="observation", link_kind="nonsense", link_id=1, planned_on=TODAY()
        )
    assert err.value.field == "link_kind"
    assert not Duty.objects.filter(supervisor=supervisor).exists()


def test_the_inspection_record_link_kind_resolves_in_the_viewers_scope(users, org):
    from fazhi.inspections import services as inspection_services
    from fazhi.inspections.tests import factories as ifx
    from fazhi.supervision.links import link_label, link_resolve

    agency = ifx.make_agency(ifx.MARKET)
    officers = ifx.make_pool(agency, 2)
    enterprise = ifx.make_enterprises(1)[0]
    record = inspection_services.inspection_record_create(
        by=users["agency"],
        enterprise=enterprise,
        agency=agency,
        source="complaint",
        reason="投诉举报",
        inspected_on=TODAY(),
        inspectors=officers,
    )
    linked = link_resolve(user=users["supervisor"], kind="inspection_record", pk=record.pk)
    assert linked.unit_id == agency.unit_id and enterprise.name in linked.label
    assert link_label(user=users["agency2"], kind="inspection_record", pk=record.pk) is None
    assert link_label(user=users["monitor"], kind="inspection_record", pk=record.pk) is None


def test_he_records_an_observation_of_his_own(users):
    supervisor, _ = fx.appointed(by=users["supervisor"], account=users["monitor"])
    duty = services.duty_self_record(
        by=users["monitor"],
        kind="inspection",
        subject="城管执法局占道经营整治",
        observed_on=TODAY(),
        findings="执法队员先劝导后处理，文明规范。",
    )
    assert duty.supervisor == supervisor and duty.status == "recorded" and duty.item.status == "closed"
    with pytest.raises(Forbidden):
        services.duty_self_record(
            by=users["officer"],
            kind="inspection",
            subject="x",
            observed_on=TODAY(),
            findings="执法队员先劝导后处理文明规范",
        )


def test_an_ended_supervisor_records_nothing(users):
    by = users["supervisor"]
    supervisor, _ = fx.appointed(by=by, account=users["monitor"])
    services.supervisor_end(by=by, supervisor=supervisor, ending="resigned", reason="本人申请")
    with pytest.raises(Forbidden):
        services.submission_create(by=users["monitor"], kind="opinion", content="离任之后还想提出的意见建议内容")


# ---------------------------------------------------------------- submissions


def test_a_problem_report_becomes_a_clue_and_its_answer_comes_back(users, org):
    from fazhi.complaints import services as complaints
    from fazhi.supervision.supervisors.selectors import submission_feedback

    by, monitor = users["supervisor"], users["monitor"]
    fx.appointed(by=by, account=monitor)
    market = org[fx.MARKET]
    s = services.submission_create(
        by=monitor,
        kind="problem",
        category="misconduct",
        agency=market,
        content="执法人员检查时未出示执法证件，态度生硬。",
        place="西城区新华路集贸市场",
    )
    assert s.clue_id and s.clue_code.startswith("TS")
    from fazhi.complaints.selectors import complaint_get

    clue = complaint_get(user=by, pk=s.clue_id)
    assert clue.channel == "clue" and clue.created_by == monitor and clue.agency_named == market
    assert submission_feedback(user=monitor, submission=s).status == f"问题线索 {clue.tracking_code}：已收到，等待受理"
    clue = complaints.complaint_assign(by=by, complaint=clue, agency=market)
    complaints.complaint_reply(by=users["agency"], complaint=clue, findings="经核实情况属实。", measures="已批评教育。")
    complaints.complaint_approve(by=by, complaint=clue)
    feedback = submission_feedback(user=monitor, submission=s)
    assert feedback.status.endswith("已答复，请评价")
    assert "已批评教育" in feedback.reply["text"] and feedback.reply["by"] == str(market)


def test_a_bad_problem_report_writes_neither_the_report_nor_a_clue(users):
    from fazhi.complaints.models import Complaint

    fx.appointed(by=users["supervisor"], account=users["monitor"])
    before = Complaint.objects.count()
    with pytest.raises(DomainError) as err:
        services.submission_create(by=users["monitor"], kind="problem", category="nonsense", content="短")
    assert {"category", "description"} <= set(_fields(err.value))
    assert Complaint.objects.count() == before and not Submission.objects.exists()


def test_an_opinion_is_answered_on_its_limit(users):
    from fazhi.core.models import Notification

    by, monitor = users["supervisor"], users["monitor"]
    fx.appointed(by=by, account=monitor)
    s = services.submission_create(by=monitor, kind="opinion", content="建议公开各部门的执法投诉电话。")
    assert s.item.kind == "invited_opinion" and s.item.deadline == add_working_days(TODAY(), 15)
    with pytest.raises(Forbidden):
        services.submission_answer(by=monitor, submission=s, answer="自己答复自己")
    s = services.submission_answer(by=by, submission=s, answer="已统一为12345热线并公开。")
    assert s.answered_at and s.item.status == "closed"
    assert Notification.objects.filter(recipient=monitor, dedup_key=f"invited-answer:{s.pk}").exists()
    with pytest.raises(DomainError):
        services.submission_answer(by=by, submission=s, answer="再答复一次")


# ---------------------------------------------------------------- training


def test_training_with_attendees_on_their_timelines(users):
    by = users["supervisor"]
    a, _ = fx.appointed(by=by)
    b, _ = fx.appointed(by=by)
    t = services.training_create(by=by, topic="行政处罚法解读", held_on=TODAY(), hours="3.5", attendees=[a])
    assert t.hours == pytest.approx(3.5) and list(t.attendees.all()) == [a]
    assert a.application.item.events.filter(action="training").exists()
    assert services.training_attend(by=by, training=t, attendees=[b]) == 1
    assert services.training_attend(by=by, training=t, attendees=[b]) == 0
    with pytest.raises(DomainError) as err:
        services.training_create(by=by, topic="", held_on=TODAY() + dt.timedelta(days=1), hours=0)
    assert set(_fields(err.value)) == {"topic", "held_on", "hours"}
    assert Training.objects.count() == 1
