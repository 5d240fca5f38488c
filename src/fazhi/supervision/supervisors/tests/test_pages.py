"""The invited-supervisor pages: lists with search, paging and Excel export, objects with their timeline and
documents, forms that show each refusal beside its field (422) and write nothing, the logged reveal, the
one-time initial password, his own page, and the portal (the application form, the status page, the 公示 and its
objection form, the roster)."""

import datetime as dt
import time

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.complaints import antibot
from fazhi.core.models import OperationLog
from fazhi.supervision.supervisors.models import Application, Objection, RecruitmentCampaign
from fazhi.supervision.supervisors.tests import factories as fx
from fazhi.supervision.supervisors.tests.test_services import _assign

pytestmark = pytest.mark.django_db
TODAY = fx.today
NS = "supervision:supervisors"


def url(name, *args):
    return reverse(f"{NS}:{name}", args=args)


@pytest.fixture
def world(users):
    by = users["supervisor"]
    mine, _ = fx.appointed(by=by, account=users["monitor"])
    duty = _assign(by, mine)
    c = fx.campaign(by=by)
    a = fx.apply(c)
    return {"mine": mine, "duty": duty, "campaign": c, "application": a}


def test_every_list_searches_pages_and_exports(login_as, world):
    client = login_as("supervisor")
    for name in (
        "campaign_list",
        "application_list",
        "supervisor_list",
        "duty_list",
        "submission_list",
        "training_list",
        "objection_list",
        "ledger",
    ):
        r = client.get(url(name), {"q": "测试"})
        assert r.status_code == 200, name
        assert b'method="get"' in r.content and "导出 Excel".encode() in r.content, name
        x = client.get(url(name), {"format": "xlsx"})
        assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats"), name
    r = client.get(url("application_list"), {"q": world["application"].tracking_code})
    assert world["application"].tracking_code.encode() in r.content
    assert world["application"].name.encode() not in r.content  # masked in the list


def test_an_object_page_shows_its_timeline_and_documents(login_as, world):
    client = login_as("supervisor")
    r = client.get(url("supervisor_detail", world["mine"].pk))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="timeline"' in html and "聘任" in html and 'id="documents"' in html and "特邀行政执法监督员聘书" in html
    doc = world["mine"].pk
    from fazhi.documents.selectors import documents_for

    d = documents_for(object_kind="invited_supervisor", object_id=doc).get()
    r = client.get(url("supervisor_document", doc, d.pk))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert client.get(url("supervisor_document", doc, 999999)).status_code == 404
    r = client.get(url("campaign_detail", world["campaign"].pk))
    assert 'id="timeline"' in r.content.decode() and "发布招募公告" in r.content.decode()


def test_the_campaign_form_shows_each_refusal_beside_its_field(login_as):
    client = login_as("supervisor")
    before = RecruitmentCampaign.objects.count()
    r = client.post(
        url("campaign_create"),
        {
            "title": "页面招募",
            "organiser": fx.unit().pk,
            "year": TODAY().year,
            "quota": 3,
            "apply_from": TODAY().isoformat(),
            "apply_until": (TODAY() - dt.timedelta(days=1)).isoformat(),
            "min_age": 40,
            "max_age": 30,
            "min_residency_years": 3,
            "publicity_days": 5,
            "term_years": 5,
        },
    )
    assert r.status_code == 422
    form = r.context["form"]
    assert form.errors["apply_until"] == ["报名截止日期不能早于报名开始日期"]
    assert "最高年龄" in form.errors["max_age"][0]
    assert RecruitmentCampaign.objects.count() == before


def test_staff_enter_an_invitation_and_see_the_letter(login_as, world):
    client = login_as("supervisor")
    c = world["campaign"]
    data = fx.person() | {"route": "invite", "is_functionary": "0", "has_sanctions": "0"}
    r = client.post(url("application_enter", c.pk), data)
    assert r.status_code == 302
    a = Application.objects.get(id_number=data["id_number"])
    page = client.get(r["Location"]).content.decode()
    assert "关于邀请担任特邀行政执法监督员的函" in page and a.invitation_number in page
    r = client.post(
        url("application_enter", c.pk),
        fx.person(name="") | {"route": "unit", "is_functionary": "", "has_sanctions": "0"},
    )
    assert r.status_code == 422
    errors = r.context["entry_form"].errors
    assert errors["name"] == ["请填写姓名"] and errors["recommender"] == ["请填写推荐单位"]
    assert "请选择是否为在职的国家公职人员" in errors["is_functionary"][0]


def test_the_review_form_and_the_reasons_of_an_ineligible_applicant(login_as, users, world):
    from fazhi.supervision.supervisors import services

    client = login_as("supervisor")
    a = services.application_enter(
        by=users["supervisor"],
        campaign=world["campaign"],
        route="unit",
        data=fx.person(residency_years=1, recommender="x单位"),
    )
    page = client.get(url("application_detail", a.pk)).content.decode()
    assert "本地居住年限不符合招募条件：应满3年，填报为1年" in page and 'id="review-form"' in page
    r = client.post(url("application_action", a.pk, "review"), {"decision": "pass"})
    assert r.status_code == 422 and "不符合招募条件，不能通过初审" in r.content.decode()
    r = client.post(url("application_action", a.pk, "review"), {"decision": "fail", "reason": "居住年限不足"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "failed"


def test_personal_data_is_revealed_only_by_post_with_a_reason(login_as, world):
    client = login_as("supervisor")
    a = world["application"]
    page = client.get(url("application_detail", a.pk)).content.decode()
    assert a.id_number not in page and a.phone not in page and 'name="reveal_reason"' in page
    r = client.post(url("application_detail", a.pk), {"reveal_reason": ""})
    assert a.id_number not in r.content.decode() and "须填写理由" in r.content.decode()
    r = client.post(url("application_detail", a.pk), {"reveal_reason": "资格初审核实身份"})
    assert a.id_number in r.content.decode()
    assert OperationLog.objects.filter(action="查看特邀监督员报名人信息", summary__contains="资格初审核实身份").exists()
    leader = login_as("leader").get(url("application_detail", a.pk)).content.decode()
    assert 'name="reveal_reason"' not in leader and 'id="review-form"' not in leader


def test_the_appointment_shows_the_initial_password_once(login_as, users):
    from fazhi.supervision.supervisors.models import InvitedSupervisor

    client = login_as("supervisor")
    _c, (a, _) = fx.in_publicity(by=users["supervisor"], start=TODAY() - dt.timedelta(days=20))
    r = client.post(url("application_action", a.pk, "appoint"))
    supervisor = InvitedSupervisor.objects.get(application=a)
    assert r["Location"] == url("supervisor_account", supervisor.pk)
    page = client.get(r["Location"]).content.decode()
    assert 'id="account-password"' in page and supervisor.user.username in page
    again = client.get(r["Location"]).content.decode()
    assert 'id="account-password"' not in again and "只在聘任后显示一次" in again


def test_his_own_page_and_nobody_elses(login_as, users, world):
    me = login_as("monitor")
    page = me.get(url("mine")).content.decode()
    assert world["duty"].subject in page and world["mine"].number in page
    other, _ = fx.appointed(by=users["supervisor"])
    other_duty = _assign(users["supervisor"], other)
    assert me.get(url("duty_detail", other_duty.pk)).status_code == 404
    assert me.get(url("supervisor_detail", other.pk)).status_code == 404
    assert me.get(url("duty_list")).status_code == 403
    assert me.get(url("campaign_list")).status_code == 403
    r = me.post(url("duty_action", world["duty"].pk, "record"), {"observed_on": TODAY().isoformat(), "findings": "短"})
    assert r.status_code == 422 and "观摩情况至少 10 个字" in r.content.decode()
    r = me.post(
        url("duty_action", world["duty"].pk, "record"),
        {"observed_on": TODAY().isoformat(), "findings": "执法人员两人到场，出示证件，告知权利。"},
    )
    assert r.status_code == 302
    r = me.post(
        url("mine_submit"),
        {"kind": "problem", "category": "misconduct", "content": "执法人员检查时未出示执法证件，态度生硬。"},
    )
    assert r.status_code == 302
    page = me.get(url("mine")).content.decode()
    assert "问题线索 TS" in page and "已收到，等待受理" in page
    assert login_as("supervisor").get(url("mine")).status_code == 403


def test_objections_are_answered_on_their_page(login_as, users):
    client = login_as("supervisor")
    _c, (a, _) = fx.in_publicity(by=users["supervisor"], start=TODAY())
    r = client.post(url("application_action", a.pk, "objection"), {"content": "来信反映该候选人的情况，请核实。"})
    assert r.status_code == 302
    o = Objection.objects.get(application=a)
    r = client.post(url("objection_detail", o.pk), {"upheld": "1", "answer": ""})
    assert r.status_code == 422
    r = client.post(url("objection_detail", o.pk), {"upheld": "1", "answer": "经核实属实，异议成立。"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "objection_upheld"


# ---------------------------------------------------------------- the portal


def _token(seconds_ago: int = 10) -> str:
    return antibot.issue_token(now=time.time() - seconds_ago)


def _form(**kw) -> dict:
    data = fx.person() | {
        "is_functionary": "0",
        "has_sanctions": "0",
        "consent": "on",
        "form_token": _token(),
        "website": "",
    }
    return data | kw


def test_a_citizen_applies_on_the_portal_and_queries_the_stage(users):
    c = fx.campaign(by=users["supervisor"])
    client = Client()
    page = client.get(reverse("portal:invited_campaign", args=[c.pk])).content.decode()
    assert "我要报名" in page and "年龄25周岁以上" in page
    r = client.post(reverse("portal:invited_apply", args=[c.pk]), _form())
    assert r.status_code == 302 and r["Location"] == reverse("portal:invited_receipt")
    receipt = client.get(r["Location"]).content.decode()
    a = Application.objects.get(campaign=c)
    assert a.tracking_code in receipt
    password = client.session["invited_receipt"]["password"]
    r = client.post(reverse("portal:invited_status"), {"code": a.tracking_code, "password": password})
    assert "已收到报名，等待资格初审" in r.content.decode()
    r = client.post(reverse("portal:invited_status"), {"code": a.tracking_code, "password": "WRONG"})
    assert r.status_code == 422 and "查询码或查询密码不正确" in r.content.decode()


def test_the_portal_form_names_each_failed_condition_and_writes_nothing(users):
    c = fx.campaign(by=users["supervisor"])
    r = Client().post(
        reverse("portal:invited_apply", args=[c.pk]),
        _form(id_number=fx.id_number(age=20), residency_years="1", is_functionary="1", has_sanctions="1"),
    )
    assert r.status_code == 422
    errors = r.context["form"].errors
    assert errors["id_number"] == ["年龄不符合招募条件：应为25至65周岁，按身份证号计算为20周岁"]
    assert errors["residency_years"] == ["本地居住年限不符合招募条件：应满3年，填报为1年"]
    assert "在职的国家公职人员不能担任" in errors["is_functionary"][0]
    assert "受过刑事处罚" in errors["has_sanctions"][0]
    assert not Application.objects.filter(campaign=c).exists()


def test_bots_are_turned_away(users):
    c = fx.campaign(by=users["supervisor"])
    for data in (_form(website="http://spam"), _form(form_token=_token(0)), _form(form_token="forged")):
        r = Client().post(reverse("portal:invited_apply", args=[c.pk]), data)
        assert r.status_code == 422 and r.context["form"].non_field_errors()
    assert not Application.objects.filter(campaign=c).exists()


def test_the_publicity_and_the_objection_form_on_the_portal(users):
    c, (a, b) = fx.in_publicity(by=users["supervisor"], start=TODAY())
    client = Client()
    page = client.get(reverse("portal:invited_campaign", args=[c.pk])).content.decode()
    assert a.name in page and b.name in page and a.id_number not in page and 'id="objection-form"' in page
    data = {"application": a.pk, "content": "太短", "form_token": _token(), "website": ""}
    r = client.post(reverse("portal:invited_objection", args=[c.pk]), data)
    assert r.status_code == 422 and r.context["objection_form"].errors["content"]
    data["content"] = "反映该候选人的情况，请核实。"
    data["form_token"] = _token()
    r = client.post(reverse("portal:invited_objection", args=[c.pk]), data)
    assert r.status_code == 200 and "异议已收到" in r.content.decode()
    assert Objection.objects.filter(application=a, channel="portal").count() == 1


def test_the_portal_roster_and_home_link(users):
    serving, _ = fx.appointed(by=users["supervisor"])
    page = Client().get(reverse("portal:invited_roster")).content.decode()
    assert serving.name in page and serving.number in page
    assert reverse("portal:invited_list") in Client().get(reverse("portal:home")).content.decode()


def test_he_reads_his_own_record_without_the_objections_against_him(login_as, users):
    from fazhi.supervision.supervisors import services

    by = users["supervisor"]
    c, (a,) = fx.in_publicity(by=by, start=TODAY() - dt.timedelta(days=20), people=1)
    o = services.objection_enter(
        by=by, application=a, content="来电反映其邻居说他经常不在家，请核实。", today=c.publicity_start
    )
    services.objection_answer(by=by, objection=o, answer="经核查异议不成立。", upheld=False)
    supervisor, _ = services.supervisor_appoint(by=by, application=a, account=None, today=TODAY())
    staff_page = login_as("supervisor").get(url("supervisor_detail", supervisor.pk)).content.decode()
    assert "邻居说他经常不在家" in staff_page
    own = login_as(supervisor.user.username)
    supervisor.user.must_change_password = False
    supervisor.user.save(update_fields=["must_change_password"])
    page = own.get(url("supervisor_detail", supervisor.pk)).content.decode()
    assert supervisor.number in page and "邻居说他经常不在家" not in page
    assert 'id="annual-review-form"' not in page and 'id="end-form"' not in page
