"""双随机、一公开 in a real browser: the agency commits, draws and publishes; the public verifies (通过)."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_agency_creates_and_publishes_a_plan(page, login, demo_site):
    login("agency")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{demo_site.url}/inspections/plans/new/")
    page.select_option("#id_agency", label="示例市市场监督管理局")
    page.fill("#id_name", "浏览器测试食品经营抽查计划")
    page.locator("input[name=items]").first.check()
    page.fill("#id_period_start", "2026-12-01")
    page.fill("#id_period_end", "2026-12-31")
    page.fill("#id_p_a_low", "5")
    page.fill("#id_p_d_high", "50")
    page.click("#plan-form button[type=submit]")
    page.wait_for_load_state()
    assert re.search(r"/inspections/plans/\d+/$", page.url), page.inner_text("main")
    page.click("#publish-plan")
    page.wait_for_load_state()
    assert page.inner_text("#plan-status") == "已公示"


def test_agency_draws_and_public_verifies(page, login, demo_site, browser):
    login("agency")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{demo_site.url}/inspections/plans/")
    page.locator("#plan-table a", has_text="市场监管局").first.click()
    page.wait_for_load_state()
    page.click("#commit-draw")
    page.wait_for_load_state()
    assert re.search(r"/inspections/draws/\d+/$", page.url)
    assert page.inner_text("#draw-status") == "已承诺"
    commitment = page.inner_text("#commitment").strip()
    assert len(commitment) == 64
    assert "公布后公开" in page.inner_text("#seed")
    page.click("#perform-draw")
    page.wait_for_load_state()
    assert page.inner_text("#draw-status") == "已抽取"
    assert page.locator(".assignment-row").count() > 0
    page.click("#publish-draw")
    page.wait_for_load_state()
    assert page.inner_text("#draw-status") == "已公布"
    draw_id = re.search(r"/inspections/draws/(\d+)/", page.url).group(1)

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{demo_site.url}/portal/")
    public.click("#link-inspection-plans")
    public.wait_for_load_state()
    public.goto(f"{demo_site.url}/portal/inspections/draws/{draw_id}/")
    result = public.inner_text("#verify-result")
    assert "通过" in result and "不通过" not in result
    assert public.inner_text("#commitment").strip() == commitment
    assert len(public.inner_text("#seed").strip()) == 64
    public.context.close()


def test_enterprise_opens_its_link_and_rates(page, login, demo_site):
    from fazhi.inspections import selectors
    from fazhi.inspections.models import InspectionFeedback, InspectionRecord

    record = InspectionRecord.objects.filter(published_on__isnull=False, feedback__isnull=True).first()
    token = selectors.feedback_token(record=record)
    page.goto(f"{demo_site.url}/portal/inspections/feedback/{token}/")
    assert record.enterprise.name in page.inner_text("#feedback-record")
    page.check("#id_rating_1")
    page.fill("#id_comment", "检查规范，效率较高")
    page.click("#submit-feedback")
    page.wait_for_load_state()
    assert "基本满意" in page.inner_text("#feedback-result")
    assert InspectionFeedback.objects.get(record=record).rating == "basic"
    page.goto(f"{demo_site.url}/portal/inspections/feedback/{token}/")
    assert "不能重复评价" in page.inner_text("#feedback-result")
