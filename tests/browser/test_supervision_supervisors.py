"""特邀行政执法监督员 in a real browser: a citizen applies on the portal (phone width) → 资格初审 → 公示 → once the
公示 is over (the clock moved past it), 聘任 with the 聘书 and a one-time initial password → the new supervisor logs
in, must change the password, and records an observation on his own page (phone width)."""

import datetime as dt
import re

import pytest

from tests.browser.conftest import PHONE, confirm, new_page

pytestmark = pytest.mark.browser
NEW_PASSWORD = "Jiandu#Yuan2027x"


def _fits(page) -> None:
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"sideways scrolling: {width}px"


def _open_campaign():
    from django.utils import timezone

    from fazhi.core.models import Unit
    from fazhi.supervision.supervisors import services

    today = timezone.localdate()
    c = services.campaign_create(
        by=None,
        title=f"浏览器测试特邀监督员招募{timezone.now():%H%M%S%f}",
        year=today.year,
        quota=3,
        apply_from=today,
        apply_until=today + dt.timedelta(days=10),
        organiser=Unit.objects.get(name="示例市司法局"),
    )
    return services.campaign_publish(by=None, campaign=c, today=today)


def _person():
    from fazhi.supervision.supervisors.tests import factories as fx

    return fx.person(name="林志远", phone="13807310099", address="湖南省示例市东城区人民路88号", residency_years=12)


def _login(page, base, username, password=None):
    from fazhi.core.demo.build import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#username", username)
    page.fill("#password", password or DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_apply_review_publicity_appointment_and_first_observation(browser, demo_site):
    import time_machine

    from fazhi.supervision.supervisors.models import Application, RecruitmentCampaign

    base = demo_site.url
    campaign = _open_campaign()
    person = _person()
    errors = []

    # 1. A citizen applies on a phone.
    citizen = new_page(browser, **PHONE)
    citizen.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    citizen.goto(f"{base}/portal/")
    citizen.click("#link-invited")
    citizen.wait_for_url(re.compile(r".*/portal/invited/$"))
    citizen.click(f"text={campaign.title}")
    citizen.wait_for_url(re.compile(r".*/portal/invited/\d+/$"))
    assert "年龄25周岁以上" in citizen.inner_text("#conditions")
    citizen.click("#go-apply")
    citizen.wait_for_url(re.compile(r".*/portal/invited/\d+/apply/$"))
    _fits(citizen)
    # First an ineligible answer: the condition is named beside its field and nothing is stored.
    citizen.fill("#id_name", person["name"])
    citizen.fill("#id_id_number", person["id_number"])
    citizen.fill("#id_phone", person["phone"])
    citizen.fill("#id_address", person["address"])
    citizen.fill("#id_residency_years", "1")
    citizen.fill("#id_employer", person["employer"])
    citizen.check("#id_is_functionary_0")
    citizen.check("#id_has_sanctions_0")
    citizen.check("#id_consent")
    citizen.wait_for_timeout(2100)  # a person takes longer than the form's 2-second minimum
    citizen.click("#submit-application")
    citizen.wait_for_load_state()
    summary = citizen.inner_text("#error-summary")
    assert "本地居住年限不符合招募条件：应满3年，填报为1年" in summary
    assert not Application.objects.filter(campaign=campaign).exists()
    citizen.fill("#id_residency_years", "12")
    citizen.check("#id_consent")
    citizen.wait_for_timeout(2100)
    citizen.click("#submit-application")
    citizen.wait_for_url(re.compile(r".*/portal/invited/receipt/$"))
    code = citizen.inner_text("#tracking-code").strip()
    password = citizen.inner_text("#query-password").strip()
    assert code.startswith("TY") and len(password) == 10
    citizen.click("#go-status")
    citizen.fill("#id_password", password)
    citizen.click("#query-submit")
    assert citizen.inner_text("#public-stage") == "已收到报名，等待资格初审"

    # 2. The supervisor reviews the application (masked) and starts the 公示.
    staff = new_page(browser)
    _login(staff, base, "supervisor")
    staff.goto(f"{base}/supervision/invited/applications/?q={code}")
    staff.click(f"tr[data-code='{code}'] a")
    assert "林某" in staff.inner_text("#applicant-name") and person["id_number"] not in staff.content()
    assert staff.locator("#eligible-yes").is_visible()
    staff.check("#id_decision_0")
    staff.click("#review-submit")
    staff.locator("#application-status", has_text="初审通过").wait_for()
    staff.goto(f"{base}/supervision/invited/campaigns/{campaign.pk}/")
    staff.click("#start-publicity")
    confirm(staff)
    staff.locator("#campaign-status", has_text="公示中").wait_for()
    campaign = RecruitmentCampaign.objects.get(pk=campaign.pk)
    assert staff.locator("#documents .document-row", has_text="公示").count() == 1

    # The citizen sees himself on the 公示 and his stage.
    citizen.goto(f"{base}/portal/invited/{campaign.pk}/")
    assert citizen.locator(f".candidate[data-name='{person['name']}']").count() == 1
    assert citizen.inner_text("#publicity-period").startswith(f"{campaign.publicity_start:%Y-%m-%d}")
    _fits(citizen)

    # 3. After the 公示 ends the supervisor appoints him: the 聘书 and the account, its password shown once.
    after = dt.datetime.combine(campaign.publicity_end + dt.timedelta(days=1), dt.time(10, 0))
    with time_machine.travel(after.astimezone(), tick=True):
        _login(staff, base, "supervisor")  # the session idled out across the days
        staff.goto(f"{base}/supervision/invited/applications/?q={code}")
        staff.click(f"tr[data-code='{code}'] a")
        staff.click("#appoint-submit")
        confirm(staff)
        staff.wait_for_url(re.compile(r".*/supervision/invited/supervisors/\d+/account/$"))
        username = staff.inner_text("#account-username").strip()
        initial = staff.inner_text("#account-password").strip()
        number = staff.inner_text("#account-number").strip()
        assert (
            number.startswith("示司特聘〔") and staff.locator("#documents .document-row", has_text="聘书").count() == 1
        )
        staff.reload()
        assert staff.locator("#account-password").count() == 0  # shown once

        # 4. The new invited supervisor logs in on his phone, must change the password, records an observation.
        me = new_page(browser, **PHONE)
        me.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        _login(me, base, username, initial)
        assert "/password/" in me.url and "首次登录" in me.inner_text("main")
        me.fill("#old_password", initial)
        me.fill("#new_password", NEW_PASSWORD)
        me.fill("#new_password2", NEW_PASSWORD)
        me.click("main button")
        me.wait_for_load_state()
        me.goto(f"{base}/supervision/invited/mine/")
        assert number in me.inner_text("#my-record")
        _fits(me)
        me.click("#self-record")
        me.select_option("#id_kind", "observation")
        me.fill("#id_subject", "市场监管局农贸市场食品安全检查")
        me.fill("#id_agency", "示例市市场监督管理局")
        me.fill("#id_findings", "执法人员两人到场，主动出示执法证件，告知当事人权利，检查记录完整。")
        me.fill("#id_opinion", "建议检查结束后当场反馈检查结果。")
        me.click("#form-submit")
        me.wait_for_load_state()
        assert re.search(r"/supervision/invited/duties/\d+/$", me.url), me.inner_text("main")
        assert me.inner_text("#duty-status") == "已记录"
        me.goto(f"{base}/supervision/invited/mine/")
        assert me.locator(".my-duty[data-status='recorded']", has_text="农贸市场食品安全检查").count() == 1
        _fits(me)
        me.context.close()
    staff.context.close()
    citizen.context.close()
    assert not [e for e in errors if "Security Policy" in e], errors
