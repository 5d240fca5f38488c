"""The invited-supervisor API: the whole procedure through /api/v1/supervision/invited/, the portal's public routes,
422 naming the field with nothing written, personal data masked, and the data scope (another unit's staff and
an invited supervisor reach only what is theirs)."""

import datetime as dt

import pytest
from django.test import Client

from fazhi.core.models import Role, Unit, User
from fazhi.supervision.supervisors.models import Application, Duty, RecruitmentCampaign
from fazhi.supervision.supervisors.tests import factories as fx
from fazhi.supervision.supervisors.tests.test_services import _assign

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision"
TODAY = fx.today


def _post(client, url, data=None):
    return client.post(url, data=data or {}, content_type="application/json")


def _person(**kw) -> dict:
    return fx.person(**kw)


def test_the_procedure_through_the_api(api_client, users):
    sup = api_client("supervisor")
    today = TODAY()
    r = _post(
        sup,
        f"{API}/invited/campaigns",
        {
            "title": "API 招募",
            "year": today.year,
            "quota": 3,
            "apply_from": today.isoformat(),
            "apply_until": (today + dt.timedelta(days=20)).isoformat(),
        },
    )
    assert r.status_code == 201, r.content
    c = r.json()
    assert c["status"] == "draft" and c["conditions"]["min_age"] == 25 and "publish" in c["actions"]
    assert _post(sup, f"{API}/invited/campaigns/{c['id']}/publish").json()["status"] == "open"
    # A citizen applies through the public API (no login) and queries the stage.
    public = Client()
    r = _post(public, f"{API}/public/invited/campaigns/{c['id']}/applications", _person(consent=True))
    assert r.status_code == 201, r.content
    receipt = r.json()
    r = public.get(
        f"{API}/public/invited/applications/{receipt['tracking_code']}", HTTP_X_QUERY_PASSWORD=receipt["query_password"]
    )
    assert r.status_code == 200 and r.json()["stage"] == "已收到报名，等待资格初审"
    # A unit's recommendation of a serving civil servant: recorded, with the failed condition listed.
    r = _post(
        sup,
        f"{API}/invited/campaigns/{c['id']}/applications",
        _person(route="unit", recommender="示例市人大常委会办公室", is_functionary=True),
    )
    assert r.status_code == 201, r.content
    unit_app = r.json()
    assert not unit_app["eligible"] and unit_app["eligibility"][0]["field"] == "is_functionary"
    assert "*" in unit_app["id_number"] and "*" in unit_app["phone"]  # masked in the API
    self_app = Application.objects.get(tracking_code=receipt["tracking_code"])
    r = _post(sup, f"{API}/invited/applications/{unit_app['id']}/review", {"passed": True})
    assert r.status_code == 422 and r.json()["field"] == "decision"
    assert (
        _post(
            sup, f"{API}/invited/applications/{unit_app['id']}/review", {"passed": False, "reason": "在职公务员"}
        ).status_code
        == 200
    )
    assert _post(sup, f"{API}/invited/applications/{self_app.pk}/review", {"passed": True}).json()["status"] == "passed"
    r = _post(sup, f"{API}/invited/campaigns/{c['id']}/publicity")
    assert r.status_code == 200 and r.json()["status"] == "publicity"
    # An objection from the public; answered by staff.
    r = _post(
        public,
        f"{API}/public/invited/campaigns/{c['id']}/objections",
        {"application_id": self_app.pk, "content": "反映该候选人的情况，请核实。"},
    )
    assert r.status_code == 201
    r = sup.get(f"{API}/invited/objections?campaign_id={c['id']}")
    objection = r.json()[0]
    r = _post(
        sup, f"{API}/invited/objections/{objection['id']}/answer", {"upheld": False, "answer": "经核查异议不成立。"}
    )
    assert r.json()["status"] == "answered"
    # Appointment waits for the end of the 公示.
    r = _post(sup, f"{API}/invited/applications/{self_app.pk}/appoint")
    assert r.status_code == 422 and "公示期结束后" in r.json()["detail"]
    RecruitmentCampaign.objects.filter(pk=c["id"]).update(
        publicity_start=today - dt.timedelta(days=15), publicity_end=today - dt.timedelta(days=1)
    )
    r = _post(sup, f"{API}/invited/applications/{self_app.pk}/appoint")
    assert r.status_code == 201, r.content
    appointed = r.json()
    assert appointed["initial_password"] and appointed["number"].startswith("示司特聘〔")
    user = User.objects.get(username=appointed["username"])
    assert user.must_change_password and user.check_password(appointed["initial_password"])
    r = sup.get(f"{API}/invited/supervisors/{appointed['supervisor_id']}")
    assert r.json()["status"] == "serving"
    r = _post(
        sup,
        f"{API}/invited/supervisors/{appointed['supervisor_id']}/reviews",
        {"year": today.year, "grade": "competent"},
    )
    assert r.status_code == 201 and r.json()["grade_label"] == "称职"
    r = sup.get(f"{API}/invited/ledger?year={today.year}")
    assert r.status_code == 200 and r.json()["rows"][0]["name"] == self_app.name


def test_an_ineligible_public_application_is_a_422_naming_each_field_and_writes_nothing(api_client, users):
    c = fx.campaign(by=users["supervisor"])
    r = _post(
        Client(),
        f"{API}/public/invited/campaigns/{c.pk}/applications",
        _person(id_number=fx.id_number(age=70), residency_years=0, has_sanctions=True, consent=True),
    )
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"id_number", "residency_years", "has_sanctions"}
    assert not Application.objects.filter(campaign=c).exists()


def test_a_wrong_password_is_a_404_like_a_wrong_code(users):
    c = fx.campaign(by=users["supervisor"])
    a = fx.apply(c)
    r = Client().get(f"{API}/public/invited/applications/{a.tracking_code}?password=WRONG")
    assert r.status_code == 404 and r.json() == {"detail": "查询码或查询密码不正确"}


def test_public_campaigns_and_roster(users):
    by = users["supervisor"]
    draft = fx.campaign(by=by, publish=False)
    c, made = fx.in_publicity(by=by, start=TODAY())
    listed = {x["id"] for x in Client().get(f"{API}/public/invited/campaigns").json()}
    assert c.pk in listed and draft.pk not in listed
    assert Client().get(f"{API}/public/invited/campaigns/{draft.pk}").status_code == 404
    detail = Client().get(f"{API}/public/invited/campaigns/{c.pk}").json()
    assert {x["name"] for x in detail["candidates"]} == {a.name for a in made}
    assert "id_number" not in detail["candidates"][0] and "phone" not in detail["candidates"][0]
    serving, _ = fx.appointed(by=by)
    roster = Client().get(f"{API}/public/invited/roster").json()
    assert [x["name"] for x in roster] == [serving.name]


def test_another_units_user_and_a_user_without_the_permission(api_client, users):
    by = users["supervisor"]
    supervisor, _ = fx.appointed(by=by)
    c = supervisor.campaign
    role = Role.objects.create(
        code="inv_out", name="外单位", data_scope="subtree", permissions=["invited.view", "invited.manage"]
    )
    outsider = User.objects.create(
        username="inv_out", unit=Unit.objects.get(name=fx.ENVIRONMENT), must_change_password=False
    )
    outsider.roles.add(role)
    from fazhi.core.services import token_create

    _, secret = token_create(user=outsider)
    out = Client(headers={"Authorization": f"Bearer {secret}"})
    assert out.get(f"{API}/invited/campaigns/{c.pk}").status_code == 404
    assert out.get(f"{API}/invited/supervisors/{supervisor.pk}").status_code == 404
    assert _post(out, f"{API}/invited/campaigns/{c.pk}/close").status_code == 404
    assert out.get(f"{API}/invited/supervisors").json() == []
    agency = api_client("agency")
    assert agency.get(f"{API}/invited/campaigns").status_code == 403
    assert api_client("leader").get(f"{API}/invited/campaigns/{c.pk}").status_code == 200
    assert _post(api_client("leader"), f"{API}/invited/campaigns/{c.pk}/close").status_code == 403


def test_an_invited_supervisor_reaches_only_what_is_his(api_client, users):
    by, monitor = users["supervisor"], users["monitor"]
    mine, _ = fx.appointed(by=by, account=monitor)
    other, _ = fx.appointed(by=by)
    duty = _assign(by, mine)
    other_duty = _assign(by, other)
    me = api_client("monitor")
    page = me.get(f"{API}/invited/mine").json()
    assert page["supervisor"]["id"] == mine.pk and [d["id"] for d in page["duties"]] == [duty.pk]
    assert me.get(f"{API}/invited/duties/{other_duty.pk}").status_code == 404
    assert me.get(f"{API}/invited/supervisors/{other.pk}").status_code == 404
    assert me.get(f"{API}/invited/supervisors/{mine.pk}").status_code == 200
    assert me.get(f"{API}/invited/duties").status_code == 403  # the lists are the staff's
    assert (
        _post(
            me,
            f"{API}/invited/duties/{other_duty.pk}/record",
            {"observed_on": TODAY().isoformat(), "findings": "x" * 12},
        ).status_code
        == 404
    )
    r = _post(me, f"{API}/invited/duties/{duty.pk}/record", {"observed_on": TODAY().isoformat(), "findings": "短"})
    assert r.status_code == 422 and r.json()["field"] == "findings"
    r = _post(
        me,
        f"{API}/invited/duties/{duty.pk}/record",
        {"observed_on": TODAY().isoformat(), "findings": "执法人员两人到场，出示证件，告知权利。"},
    )
    assert r.status_code == 200 and r.json()["status"] == "recorded"
    assert Duty.objects.get(pk=duty.pk).status == "recorded"
    r = _post(
        me,
        f"{API}/invited/mine/submissions",
        {"kind": "problem", "category": "执法不文明不规范", "content": "执法人员检查时未出示执法证件，态度生硬。"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["clue_code"].startswith("TS") and r.json()["feedback"]["status"].endswith("已收到，等待受理")
    r = _post(
        me,
        f"{API}/invited/mine/duties",
        {
            "kind": "observation",
            "subject": "城管占道整治",
            "observed_on": TODAY().isoformat(),
            "findings": "执法规范，先劝导后处理。",
        },
    )
    assert r.status_code == 201


def test_training_and_duty_assignment_through_the_api(api_client, users):
    by = users["supervisor"]
    mine, _ = fx.appointed(by=by, account=users["monitor"])
    sup = api_client("supervisor")
    r = _post(
        sup,
        f"{API}/invited/trainings",
        {"topic": "业务培训", "held_on": TODAY().isoformat(), "hours": "2", "attendee_ids": [mine.pk]},
    )
    assert r.status_code == 201 and r.json()["attendees"] == [mine.pk]
    r = _post(
        sup,
        f"{API}/invited/trainings",
        {"topic": "业务培训", "held_on": TODAY().isoformat(), "hours": "2", "attendee_ids": [999999]},
    )
    assert r.status_code == 422 and r.json()["field"] == "attendee_ids"
    r = _post(
        sup,
        f"{API}/invited/duties",
        {
            "supervisor_id": mine.pk,
            "kind": "observation",
            "link_kind": "case",
            "link_id": 999999,
            "planned_on": TODAY().isoformat(),
        },
    )
    assert r.status_code == 422 and r.json()["field"] == "link_id"


def test_an_objects_detail_carries_its_timeline_and_documents(api_client, login_as, users):
    supervisor, _ = fx.appointed(by=users["supervisor"])
    r = api_client("supervisor").get(f"{API}/invited/supervisors/{supervisor.pk}")
    body = r.json()
    labels = [e["label"] for e in body["timeline"]]
    assert "资格初审通过" in labels and "聘任" in labels and "生成文书" in labels
    (doc,) = body["documents"]
    assert doc["number"] == supervisor.number
    download = login_as("supervisor").get(doc["url"])
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    campaign = api_client("supervisor").get(f"{API}/invited/campaigns/{supervisor.campaign_id}").json()
    assert campaign["documents"][0]["title"] == "关于拟聘任特邀行政执法监督员的公示"
    assert any(e["action"] == "publicity" for e in campaign["timeline"])
    # Lists stay light.
    listed = api_client("supervisor").get(f"{API}/invited/supervisors").json()[0]
    assert listed["timeline"] == [] and listed["documents"] == []
