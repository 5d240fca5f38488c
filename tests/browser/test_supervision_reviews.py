"""行政执法案卷评查 in a real browser: a supervisor sets up a campaign, commits and draws its sample (verified), scores the
files with the deductions the statutory checks prefilled, publishes and downloads the report; the pages of an invited
supervisor's assignment fit a phone."""

import re

import pytest

from tests.browser.conftest import PHONE, confirm, new_page, sign_in

pytestmark = pytest.mark.browser
NAME = "浏览器测试案卷评查"


def test_a_campaign_sampled_scored_with_prefilled_deductions_and_its_report_downloaded(page, login, demo_site):
    from django.utils import timezone

    from fazhi.core.models import User
    from fazhi.supervision.reviews.models import Campaign, ScoreLine

    today = timezone.localdate()
    login("supervisor")
    page.goto(f"{demo_site.url}/supervision/reviews/campaigns/")
    page.click("#new-campaign")
    page.fill("#id_name", NAME)
    page.select_option("#id_rubric", index=1)
    page.locator("label", has_text="示例市市场监督管理局").first.click()
    page.locator("label", has_text="示例市城市管理综合执法局").first.click()
    page.fill("#id_period_start", today.replace(year=today.year - 1).isoformat())
    page.fill("#id_period_end", today.isoformat())
    page.fill("#id_min_per_agency", "1")
    page.fill("#id_percent", "0")
    page.fill("#id_deadline", today.replace(year=today.year + 1).isoformat())
    page.click("#campaign-form button[type=submit]")
    page.wait_for_url(re.compile(r"/supervision/reviews/campaigns/\d+/$"))
    assert page.inner_text("#campaign-status") == "草稿"

    page.select_option("#id_user", value=str(User.objects.get(username="supervisor").pk))
    with page.expect_navigation():
        page.click("#pool-add")
    assert "李监督" in page.inner_text("#pool-table")

    page.click("#commit-sample")
    confirm(page)
    page.locator("#campaign-status", has_text="已承诺").wait_for()
    commitment = page.inner_text("#commitment").strip()
    assert len(commitment) == 64 and "抽取后公开" in page.inner_text("#seed")
    page.click("#draw-sample")
    confirm(page)
    page.locator("#campaign-status", has_text="评查中").wait_for()
    assert len(page.inner_text("#seed").strip()) == 64
    assert "通过" in page.inner_text("#verify-result") and "不通过" not in page.inner_text("#verify-result")
    assert page.inner_text("#commitment").strip() == commitment
    with page.expect_navigation():
        page.click("#auto-assign")
    campaign = Campaign.objects.get(name=NAME)
    files = list(campaign.files.order_by("position"))
    assert files and all(f.reviewer.username == "supervisor" for f in files)

    prefilled_seen = 0
    for file in files:
        page.goto(f"{demo_site.url}/supervision/reviews/files/{file.pk}/sheet/")
        with page.expect_navigation():
            page.click("#open-sheet")
        prefilled = page.locator(".line-row[data-source=prefill]").count()
        prefilled_seen += prefilled
        for left in range(prefilled, 0, -1):
            assert page.locator(".confirm-line").count() == left
            with page.expect_navigation():
                page.locator(".confirm-line").first.click()
        assert page.locator(".line-row[data-decision=pending]").count() == 0
        page.click("#submit-sheet")
        confirm(page)
        page.wait_for_url(re.compile(rf"/supervision/reviews/files/{file.pk}/$"))
        assert page.inner_text("#file-status") == "已定稿"
    assert prefilled_seen > 0, "the drawn flagged cases open with their statutory deductions prefilled"
    assert ScoreLine.objects.filter(sheet__file__campaign=campaign, source="prefill", decision="confirmed").exists()

    page.goto(f"{demo_site.url}/supervision/reviews/campaigns/{campaign.pk}/")
    page.click("#publish-results")
    confirm(page)
    page.locator("#campaign-status", has_text="已公布").wait_for()
    with page.expect_navigation():
        page.click("#make-report")
    with page.expect_download() as download:
        page.locator(".document-link", has_text="情况报告").first.click()
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(2) == b"PK"
    assert download.value.suggested_filename.endswith(".docx")

    with page.expect_navigation():
        page.click("#summary-link")
    assert page.locator(".summary-row").count() >= 1


def test_an_invited_supervisors_assignment_fits_a_phone(browser, demo_site):
    from fazhi.core.models import User
    from fazhi.supervision.reviews.models import ReviewFile

    monitor = User.objects.get(username="monitor")
    file = ReviewFile.objects.filter(reviewer=monitor, campaign__status="reviewing").first()
    phone = sign_in(new_page(browser, **PHONE), demo_site.url, "monitor")
    for path in (
        "/supervision/reviews/files/",
        f"/supervision/reviews/files/{file.pk}/",
        f"/supervision/reviews/files/{file.pk}/sheet/",
    ):
        phone.goto(demo_site.url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    phone.goto(f"{demo_site.url}/supervision/reviews/files/")
    assert phone.locator(".file-row").count() == ReviewFile.objects.filter(reviewer=monitor).count()
    other = ReviewFile.objects.exclude(reviewer=monitor).first()
    response = phone.goto(f"{demo_site.url}/supervision/reviews/files/{other.pk}/")
    assert response.status == 404
    phone.context.close()
