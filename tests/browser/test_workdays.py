import pytest

pytestmark = pytest.mark.browser


def test_supervisor_computes_five_working_days_across_national_day(login, demo_site):
    page = login("supervisor")
    page.click("aside.sidebar >> text=期限计算器")
    assert page.locator("h1").inner_text() == "期限计算器"
    page.fill("#start", "2025-09-30")
    page.fill("#n", "5")
    page.select_option("#kind", "working")
    page.evaluate("window.__noReload = true")
    page.click("#calc-submit")
    deadline = page.locator("#calc-deadline")
    deadline.wait_for()
    # 10/1–10/8 off; 10/9, 10/10, 10/11 (adjusted Saturday), 10/13, 10/14.
    assert deadline.inner_text() == "2025-10-14"
    assert page.locator("#calc-weekday").inner_text() == "星期二"
    assert page.locator("#calc-confirmed").inner_text() == "已确认"
    assert "国庆节调休上班" in page.locator("#calc-crossed").inner_text()
    # HTMX swapped the result in place (no page load) and pushed the query into the address bar.
    assert page.evaluate("window.__noReload") is True
    assert "start=2025-09-30" in page.url
