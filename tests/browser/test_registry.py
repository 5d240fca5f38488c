import re

import pytest

from tests.browser.conftest import url_re

pytestmark = pytest.mark.browser

MASKED = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")


def test_agency_sees_masked_officers_and_expiring_certificate(login):
    page = login("agency")
    page.click("aside >> text=执法人员")
    page.wait_for_url(url_re("/enforcement/officers/"))
    assert page.locator("h1").inner_text() == "执法人员"
    ids = page.locator("#officer-table td.id-number").all_inner_texts()
    assert ids and all(MASKED.match(i.strip()) for i in ids)
    # The demo has one certificate in 市场监管局 expiring within 30 days.
    page.select_option("select[name=cert_status]", "expiring")
    page.wait_for_url(re.compile(r"cert_status=expiring"))
    rows = page.locator("tr.officer-row")
    assert rows.count() == 1
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/enforcement/officers/\d+/$"))
    assert MASKED.match(page.locator("#id-number").inner_text().strip())
    expiring = page.locator("tr.cert-row-expiring")
    assert expiring.count() == 1
    assert "即将到期" in expiring.inner_text() and "天后到期" in expiring.inner_text()
    # Revealing the number is a POST with a reason, logged; a blank reason is refused in place.
    number = page.locator("#id-number").inner_text().strip()
    page.fill("#reveal-link-reason", "")
    page.click("#reveal-link button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#id-number").inner_text().strip() == number
    page.fill("#reveal-link-reason", "核对执法证信息")
    page.click("#reveal-link button[type=submit]")
    page.wait_for_load_state()
    full = page.locator("#id-number").inner_text().strip()
    assert "*" not in full and full[-4:] == number[-4:]
    from fazhi.core.models import OperationLog

    assert OperationLog.objects.filter(action="查看身份证号", summary__contains="核对执法证信息").exists()
    # The reminder is also in the agency's inbox.
    # The demo fills the inbox past one page: look the reminder up by its title.
    page.goto(page.url.split("/enforcement/")[0] + "/?q=执法证即将到期")
    assert page.locator("tr.inbox-item", has_text="执法证即将到期").count() == 1


def test_public_agency_list(page, demo_site):
    page.goto(f"{demo_site.url}/portal/")
    page.click("#link-agencies")
    page.wait_for_url(url_re("/portal/agencies/"))
    rows = page.locator("tr.public-agency")
    assert rows.count() >= 3
    page.click("text=示例市市场监督管理局")
    assert page.locator("tr.public-item", has_text="第一百二十四条").count() == 1
    assert "身份证" not in page.content()
