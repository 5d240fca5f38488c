"""投诉举报 end to end in a real browser: a citizen submits on a phone, the supervisor triages with the routing
suggestions, the agency replies, the supervisor approves, the citizen reads the reply and rates it."""

import re

import pytest

from tests.browser.conftest import PHONE, confirm

pytestmark = pytest.mark.browser

TEXT = "人民路农贸市场有摊位销售过期变质的熟食，向市场监管执法人员反映后，执法人员态度恶劣，未出示执法证件。"


def _login(browser, base, username):
    from fazhi.core.demo.build import DEMO_PASSWORD

    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    pg.goto(f"{base}/login/")
    pg.fill("#username", username)
    pg.fill("#password", DEMO_PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_load_state()
    return ctx, pg


def test_citizen_supervisor_agency_citizen(browser, demo_site):
    base = demo_site.url
    citizen_ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
    citizen = citizen_ctx.new_page()
    citizen.set_default_timeout(20000)
    errors = []
    citizen.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" and "Security Policy" in m.text else None
    )

    # 1. The citizen submits on a phone-sized screen.
    citizen.goto(f"{base}/portal/")
    citizen.click("#link-complaint")
    assert citizen.locator("#complaint-form").is_visible()
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the form must fit a phone screen without sideways scrolling"
    citizen.check("#id_category_3")  # 执法不文明不规范
    citizen.fill("#id_agency", "示例市市场监督管理局")
    citizen.fill("#id_place", "东城区人民路农贸市场")
    citizen.fill("#id_description", TEXT)
    citizen.check("#id_anonymous")
    assert citizen.locator("#contact-fields").is_hidden()  # anonymous hides name and phone
    citizen.uncheck("#id_anonymous")
    citizen.fill("#id_name", "王小明")
    citizen.fill("#id_phone", "13907310001")
    citizen.check("#id_consent")
    citizen.wait_for_timeout(2100)  # a person takes longer than the form's 2-second minimum
    citizen.click("#submit-complaint")
    citizen.wait_for_url(re.compile(r".*/portal/complaints/receipt/$"))
    code = citizen.inner_text("#tracking-code").strip()
    password = citizen.inner_text("#query-password").strip()
    assert code.startswith("TS") and len(password) == 10

    citizen.click("#go-status")
    citizen.fill("#id_password", password)
    citizen.click("#query-submit")
    assert citizen.inner_text("#public-status") == "已收到，等待受理"

    # 2. The supervisor triages with the suggestions and assigns.
    sup_ctx, sup = _login(browser, base, "supervisor")
    sup.goto(f"{base}/complaints/?q={code}")
    sup.click(f"tr[data-code='{code}'] a")
    assert sup.locator("#suggestions .suggestion").count() >= 1
    assert sup.locator("#suggestions .suggestion").first.get_attribute("data-agency") == "示例市市场监督管理局"
    assert "王某" in sup.inner_text("#complainant")  # masked until asked for
    sup.select_option("#assign-agency", label="示例市市场监督管理局")
    sup.click("#assign-submit")
    assert sup.inner_text("#complaint-status") == "办理中"
    detail_url = sup.url

    # 3. The agency investigates and replies; it sees the complainant masked.
    ag_ctx, ag = _login(browser, base, "agency")
    ag.goto(detail_url)
    assert "王小明" not in ag.inner_text("#complainant") and "13907310001" not in ag.content()
    ag.fill("#findings", "经现场核查，该摊位确有销售过期熟食的情况，执法人员检查时未出示证件属实。")
    ag.fill("#measures", "已没收过期食品并立案调查；对当事执法人员批评教育，责令今后规范亮证执法。")
    ag.click("#reply-submit")
    assert ag.inner_text("#complaint-status") == "答复待审核"

    # 4. The supervisor approves the reply.
    sup.goto(detail_url)
    sup.click("#approve-submit")
    confirm(sup)
    sup.locator("#complaint-status", has_text="已答复待评价").wait_for()
    assert sup.inner_text("#complaint-status") == "已答复待评价"

    # 5. The citizen reads the reply and rates it.
    citizen.goto(f"{base}/portal/complaints/status/?code={code}")
    citizen.fill("#id_password", password)
    citizen.click("#query-submit")
    assert "没收过期食品" in citizen.inner_text("#public-reply")
    citizen.check("#id_satisfaction_0")
    citizen.click("#rate-submit")
    assert citizen.inner_text("#public-status") == "已办结"
    assert "满意" in citizen.inner_text("#rated")
    assert not errors, "\n".join(errors)
    for ctx in (citizen_ctx, sup_ctx, ag_ctx):
        ctx.close()


def test_stats_page_draws_chart(browser, demo_site):
    ctx, pg = _login(browser, demo_site.url, "supervisor")
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Security Policy" in m.text else None)
    pg.goto(f"{demo_site.url}/complaints/stats/?dimension=category")
    pg.wait_for_selector("#stats-chart svg")
    assert pg.locator("#stats-table tbody tr").count() >= 3
    assert not errors, errors
    ctx.close()


def test_public_form_shows_every_error_in_one_submit(browser, demo_site):
    """Four submits used to be needed to learn what was missing; the browser's own bubbles are off too."""
    ctx = browser.new_context(locale="en-US", **PHONE)  # an English browser must not show English bubbles
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    pg.goto(f"{demo_site.url}/portal/complaints/new/")
    pg.fill("#id_description", "太短")
    pg.fill("#id_phone", "123")
    pg.wait_for_timeout(2100)  # past the form's 2-second minimum
    pg.click("#submit-complaint")
    pg.wait_for_load_state()
    summary = pg.locator("#error-summary li.summary-error")
    fields = {li.get_attribute("data-field") for li in summary.all()}
    assert {"category", "description", "name", "phone", "consent"} <= fields, fields
    assert pg.locator("#complaint-form .field-error").count() == summary.count()
    text = pg.inner_text("#form-errors")
    assert "请选择投诉类别" in text and "至少 10 个字" in text and "格式不正确" in text
    assert pg.evaluate("document.activeElement.id") == "form-errors"
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    # What was typed is kept.
    assert pg.input_value("#id_description") == "太短"
    ctx.close()
