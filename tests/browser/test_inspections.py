"""双随机、一公开 in a real browser: the agency commits, draws and publishes; the public verifies (通过)."""

import datetime as dt
import re

import pytest

from tests.browser.conftest import confirm

pytestmark = pytest.mark.browser
TEST_PLAN = "浏览器测试食品经营抽查计划"


def test_agency_creates_and_publishes_a_plan(page, login, demo_site):
    from django.utils import timezone

    # A plan is published before its period begins: the period starts tomorrow, whatever day this runs.
    start = timezone.localdate() + dt.timedelta(days=1)
    login("agency")
    page.goto(f"{demo_site.url}/inspections/plans/new/")
    page.select_option("#id_agency", label="示例市市场监督管理局")
    page.fill("#id_year", str(start.year))
    page.fill("#id_name", TEST_PLAN)
    page.locator("input[name=items]").first.check()
    page.fill("#id_period_start", start.isoformat())
    page.fill("#id_period_end", (start + dt.timedelta(days=30)).isoformat())
    page.fill("#id_p_a_low", "5")
    page.fill("#id_p_d_high", "50")
    page.click("#plan-form button[type=submit]")
    page.wait_for_load_state()
    assert re.search(r"/inspections/plans/\d+/$", page.url), page.inner_text("main")
    page.click("#publish-plan")
    confirm(page)
    page.wait_for_url(re.compile(r"/inspections/plans/\d+/$"))
    assert page.inner_text("#plan-status") == "已公示"


def test_agency_draws_and_public_verifies(page, login, demo_site, browser):
    from fazhi.inspections.models import Plan

    # The demo's own published plan of 市场监管局 (not one another test made).
    plan = (
        Plan.objects.filter(agency__unit__name="示例市市场监督管理局", status="published")
        .exclude(name=TEST_PLAN)
        .order_by("-year", "-id")
        .first()
    )
    login("agency")
    page.goto(f"{demo_site.url}/inspections/plans/{plan.pk}/")
    page.click("#commit-draw")
    confirm(page)
    page.wait_for_url(re.compile(r"/inspections/draws/\d+/$"))
    assert re.search(r"/inspections/draws/\d+/$", page.url)
    assert page.inner_text("#draw-status") == "已承诺"
    commitment = page.inner_text("#commitment").strip()
    assert len(commitment) == 64
    assert "公布后公开" in page.inner_text("#seed")
    # The parameters read as Chinese, not as JSON.
    params = page.locator("#draw-params li").all_inner_texts()
    assert any(line.startswith("抽取比例") and "%" in line for line in params), params
    assert any(line.startswith("每户企业检查人员") for line in params), params
    page.click("#perform-draw")
    confirm(page)
    page.locator("#draw-status", has_text="已抽取").wait_for()
    assert page.locator(".assignment-row").count() > 0
    page.click("#publish-draw")
    confirm(page)
    page.locator("#draw-status", has_text="已公布").wait_for()
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
