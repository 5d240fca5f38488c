"""督办 in a real browser: the coloured inbox, and a task split, reported, accepted and shown on the board."""

import datetime as dt

import pytest

from tests.browser.conftest import confirm

pytestmark = pytest.mark.browser


def test_inbox_shows_coloured_items_for_supervisor_and_agency(login, page):
    login("supervisor")
    rows = page.locator("tr.inbox-item")
    assert rows.count() >= 1
    assert rows.first.get_attribute("data-light") in {"green", "yellow", "red"}
    assert page.locator("#count-red .badge").inner_text().isdigit()
    page.click("#user-menu")
    page.click("#logout")
    page.wait_for_load_state()
    login("agency")
    rows = page.locator("tr.inbox-item")
    assert rows.count() >= 1
    assert rows.first.locator(".light").count() == 1
    # Filtering by colour keeps only that colour.
    colour = rows.first.get_attribute("data-light")
    page.click(f"#count-{colour}")
    page.wait_for_load_state()
    lights = {r.get_attribute("data-light") for r in page.locator("tr.inbox-item").all()}
    assert lights == {colour}


def _login_other(browser, demo_site, username):
    from fazhi.core.demo.build import DEMO_PASSWORD

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.goto(f"{demo_site.url}/login/")
    pg.fill("#username", username)
    pg.fill("#password", DEMO_PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_load_state()
    return context, pg


def test_task_split_reported_and_accepted(login, page, browser, demo_site, tmp_path):
    sup = login("supervisor")
    deadline = dt.date.today() + dt.timedelta(days=40)
    sup.goto(f"{demo_site.url}/tasks/")
    sup.click("#new-task")
    sup.fill("#id_title", "浏览器测试：执法案卷自查")  # stored NFKC-normalised, so match on a substring
    sup.fill("#id_basis", "《行政执法案卷评查办法》")
    sup.fill("#id_deadline", deadline.isoformat())
    sup.fill("#id_description", "各单位自查近一年案卷")
    sup.click("#task-form button[type=submit]")
    sup.wait_for_url(lambda u: u.rstrip("/").split("/")[-1].isdigit())
    task_url = sup.url
    for unit in ("示例市市场监督管理局", "示例市生态环境局"):
        sup.select_option("#id_unit", label=unit)
        sup.fill("#assign-form #id_deadline", (deadline - dt.timedelta(days=10)).isoformat())
        sup.fill("#id_requirement", "报送自查报告")
        sup.click("#assign-form button[type=submit]")
        sup.wait_for_load_state()
        assert sup.locator(f'tr.assignment-row[data-unit="{unit}"]').count() == 1
    market_row = sup.locator('tr.assignment-row[data-unit="示例市市场监督管理局"]')
    assert market_row.get_attribute("data-light") == "green"

    context, agency = _login_other(browser, demo_site, "agency")
    try:
        # The demo fills the agency's inbox past one page: look the new item up by its title.
        agency.goto(f"{demo_site.url}/?q=执法案卷自查")
        agency.locator("tr.inbox-item a", has_text="执法案卷自查").first.click()
        agency.wait_for_selector("#report-form")
        report = tmp_path / "自查报告.txt"
        report.write_text("自查完成", encoding="utf-8")
        agency.fill("#id_progress", "100")
        agency.fill("#id_text", "自查已全部完成，报告见附件")
        agency.set_input_files("#id_attachments", str(report))
        agency.check("#id_submit_for_acceptance")
        agency.click("#report-submit")
        agency.wait_for_selector('#assignment-status[data-status="submitted"]')
        assert agency.locator("#report-form").count() == 0
        assert agency.locator("text=自查报告.txt").count() == 1
    finally:
        context.close()

    sup.goto(task_url)
    sup.locator('tr.assignment-row[data-unit="示例市市场监督管理局"] a', has_text="详情").click()
    sup.wait_for_selector("#accept-form")
    sup.fill("#id_comment", "材料齐全")
    sup.click("#accept-submit")
    sup.wait_for_selector('#assignment-status[data-status="accepted"]')

    sup.goto(f"{demo_site.url}/tasks/board/")
    row = sup.locator("tr.board-row", has_text="执法案卷自查")
    cell = row.locator('td.board-cell[data-unit="示例市市场监督管理局"]')
    assert cell.get_attribute("data-status") == "accepted"
    assert cell.get_attribute("data-light") == "closed"
    assert "cell-closed" in cell.get_attribute("class")
    other = row.locator('td.board-cell[data-unit="示例市生态环境局"]')
    assert other.get_attribute("data-light") == "green"


def test_refused_report_shows_its_errors_in_place(login, page, demo_site):
    """htmx used to drop a 422 answer, so a refused report looked as if nothing happened."""
    login("agency")
    page.locator("tr.inbox-item a", has_text="三项制度").click()
    page.wait_for_selector("#report-form")
    status = page.get_attribute("#assignment-status", "data-status")
    page.evaluate("window.__noReload = true")
    page.fill("#id_progress", "150")
    page.fill("#id_text", "")
    page.click("#report-submit")
    errors = page.locator("#report-form .field-error")
    errors.first.wait_for()
    text = " ".join(errors.all_inner_texts())
    assert "必填" in text or "不能为空" in text or "0 到 100" in text, text
    assert page.evaluate("window.__noReload") is True  # swapped in place, no page load
    assert page.get_attribute("#assignment-status", "data-status") == status

    page.fill("#id_text", "已完成一半")
    page.click("#report-submit")
    page.locator("#report-form .field-error", has_text="0 到 100").wait_for()


def test_return_without_reason_is_shown_in_place_and_other_errors_as_toast(login, page, demo_site):
    from fazhi.tracking.models import TaskAssignment

    assignment = TaskAssignment.objects.filter(status="submitted").order_by("id").first()
    assert assignment is not None, "the demo has an assignment waiting for acceptance"
    login("supervisor")
    page.goto(f"{demo_site.url}/tasks/assignments/{assignment.pk}/")
    page.wait_for_selector("#return-form")
    page.evaluate("window.__noReload = true")
    page.click("#return-submit")
    confirm(page)
    error = page.locator("#return-form .field-error")
    error.wait_for()
    assert error.inner_text().strip()
    assert page.evaluate("window.__noReload") is True
    assert page.get_attribute("#assignment-status", "data-status") == "submitted"

    # An answer that is not a form (here a 404) becomes a toast instead of nothing.
    page.evaluate("htmx.ajax('GET', '/tasks/assignments/999999999/', {target: '#assignment-panel', swap: 'outerHTML'})")
    toast = page.locator("#toasts .toast")
    toast.wait_for()
    assert "不存在" in toast.inner_text()
    assert page.locator("#assignment-panel").count() == 1
