"""调解 and 法律顾问 end to end in a real browser: the supervisor registers a dispute (desktop), records a session,
tries to close it without an outcome (the error beside its field), closes it with an agreement and finds the
调解协议书; on a phone the list fits. A village adviser's contract shows on the coverage page and on the division
page (system administrator)."""

import datetime as dt
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def _login(browser, base, username, options):
    from fazhi.core.demo.build import DEMO_PASSWORD

    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    pg.goto(f"{base}/login/")
    pg.fill("#username", username)
    pg.fill("#password", DEMO_PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_load_state()
    return ctx, pg


def test_a_mediation_from_registration_to_agreement(browser, demo_site):
    base = demo_site.url
    ctx, pg = _login(browser, base, "supervisor", DESKTOP)
    pg.goto(f"{base}/legalservices/mediation/")
    pg.click("#new-case")
    pg.select_option("#id_org", label="南山镇人民调解委员会")
    pg.select_option("#id_kind", "neighbour")
    pg.select_option("#id_source", "grid")
    pg.fill("#id_applicant", "浏览器甲")
    pg.fill("#id_respondent", "浏览器乙")
    pg.fill("#id_facts", "两户因院墙滴水发生争执（浏览器测试）。")
    pg.fill("#id_amount", "1500")
    pg.click("#case-submit")
    pg.wait_for_url(re.compile(r".*/legalservices/mediation/\d+/$"))
    assert pg.get_attribute("#case-status", "data-status") == "registered"
    facts = pg.inner_text("#case-facts")
    assert "浏某" in facts and "浏览器甲" not in facts

    pg.fill("#id_held_on", dt.date.today().isoformat())
    pg.fill("#id_place", "南山镇调解室")
    pg.fill("#id_notes", "释法说理，双方同意加装排水槽。")
    pg.click("#session-submit")
    pg.locator("#case-status[data-status='mediating']").wait_for()
    assert pg.locator("#sessions .session").count() == 1

    pg.click("#close-submit")
    pg.locator(".field-outcome .field-error").wait_for()
    assert "请选择调解结果" in pg.inner_text(".field-outcome")
    pg.select_option("#id_outcome", "success")
    pg.fill("#id_agreement", "浏览器乙于十日内加装排水槽，费用由双方各半承担。")
    pg.fill("#id_performance_terms", "十日内")
    pg.click("#close-submit")
    pg.locator("#case-status[data-status='success']").wait_for()
    assert pg.locator("#documents .document").count() == 1
    assert "人民调解协议书" in pg.inner_text("#documents")
    with pg.expect_download() as download:
        pg.click("#documents .document a")
    assert download.value.suggested_filename.endswith(".docx")

    pg.select_option("#id_performance", "performed")
    pg.click("#follow-submit")
    assert "已履行" in pg.inner_text("#performance")

    pg.goto(f"{base}/legalservices/mediation/stats/?dimension=org")
    assert "南山镇人民调解委员会" in pg.inner_text("#stats-table")
    ctx.close()

    ctx, ph = _login(browser, base, "supervisor", PHONE)
    ph.goto(f"{base}/legalservices/mediation/")
    assert ph.locator(".case-row").count() >= 1
    assert ph.evaluate("document.documentElement.scrollWidth") <= 390
    ctx.close()


def test_village_adviser_coverage_on_the_division_page(browser, demo_site):
    base = demo_site.url
    ctx, pg = _login(browser, base, "supervisor", DESKTOP)
    # The demo leaves 桃源村 (南山县) without an adviser: 4 of 5, red.
    pg.goto(f"{base}/legalservices/advisers/coverage/")
    assert pg.get_attribute(".coverage-row[data-code='439921']", "data-light") == "red"
    assert "桃源村" in pg.inner_text("#uncovered")
    pg.goto(f"{base}/legalservices/advisers/?kind=village")
    pg.fill("#id_name", "浏览器顾问")
    pg.select_option("#id_kind", "village")
    pg.fill("#id_firm", "湖南南山律师事务所")
    pg.select_option("#id_unit", label="南山县石门乡人民政府")
    pg.click("#adviser-submit")
    pg.wait_for_url(re.compile(r".*/legalservices/advisers/\d+/$"))
    year = dt.date.today().year
    pg.select_option("#id_village", label="桃源村")
    pg.fill("#id_start", f"{year}-01-01")
    pg.fill("#id_end", f"{year}-12-31")
    pg.click("#contract-submit")
    assert "桃源村" in pg.inner_text("#contracts")
    pg.goto(f"{base}/legalservices/advisers/coverage/")
    assert pg.get_attribute(".coverage-row[data-code='439921']", "data-light") == "green"
    ctx.close()

    ctx, admin = _login(browser, base, "admin", DESKTOP)
    admin.goto(f"{base}/system/divisions/?q=439921")
    admin.click("table a:has-text('编辑')")
    admin.wait_for_url(re.compile(r".*/system/divisions/\d+/$"))
    figures = admin.inner_text("#division-figures")
    assert "村（居）法律顾问" in figures and "100.0%" in figures
    assert admin.locator("#division-figures .light-green").count() == 1
    ctx.close()
