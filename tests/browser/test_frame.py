"""The frame in a real browser: the sidebar keeps one width on every page at 1440 px, no staff page scrolls
sideways at 390 px (the menu is a drawer there), breadcrumbs, the Chinese 404 page, confirmation dialogs."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, new_page, sign_in

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# What the user reads is about the work, not about the software it is built with.
LIBRARIES = ("chinese-calendar", "chinesecalendar", "jieba", "xlsxwriter", "openpyxl", "scikit", "Django", "htmx")
# Every box of a filter form (method=get) has a <label for> or an aria-label.
UNLABELLED = """Array.from(document.querySelectorAll("main form[method=get] input:not([type=hidden]), main form[method=get] select"))
  .filter(el => !el.getAttribute("aria-label") && !(el.id && document.querySelector('label[for="' + el.id + '"]')))
  .map(el => el.name)"""
SIDEBAR_WIDTH = "document.getElementById('sidebar').getBoundingClientRect().width"


def _menu(page) -> list[tuple[str, str]]:
    links = page.locator("#sidebar nav a")
    return [(a.inner_text().strip(), a.get_attribute("href")) for a in links.all()]


@pytest.mark.parametrize("username", ["supervisor", "agency"])
def test_every_menu_page_fits_and_keeps_the_sidebar_width(browser, demo_site, username):
    desktop = sign_in(new_page(browser, **DESKTOP), demo_site.url, username)
    phone = sign_in(new_page(browser, **PHONE), demo_site.url, username)
    try:
        menu = _menu(desktop)
        assert len(menu) >= 8, menu
        widths, wide, errors = {}, [], []
        for label, href in menu:
            response = desktop.goto(demo_site.url + href)
            if response.status != 200:
                errors.append(f"{label} {href}: {response.status}")
                continue
            widths[label] = desktop.evaluate(SIDEBAR_WIDTH)
            if desktop.evaluate(OVERFLOW) > 0:
                wide.append(f"1440 px {label} {href}")
            assert desktop.locator("#sidebar a.active").inner_text().strip() == label
            assert label in desktop.locator("#breadcrumbs").inner_text()
            text = desktop.locator("main").inner_text()
            named = [name for name in LIBRARIES if name.lower() in text.lower()]
            if named:
                errors.append(f"{label} {href} names {named}")
            unlabelled = desktop.evaluate(UNLABELLED)
            if unlabelled:
                errors.append(f"{label} {href}: filter boxes without a label: {unlabelled}")

            phone.goto(demo_site.url + href)
            if phone.evaluate(OVERFLOW) > 0:
                wide.append(f"390 px {label} {href}: {phone.evaluate(OVERFLOW)} px too wide")
        assert not errors, errors
        assert not wide, "\n".join(wide)
        assert len(set(widths.values())) == 1, widths
        assert 180 <= next(iter(widths.values())) <= 260
    finally:
        desktop.context.close()
        phone.context.close()


def test_phone_menu_is_a_drawer_and_groups_fold(browser, demo_site):
    phone = sign_in(new_page(browser, **PHONE), demo_site.url, "supervisor")
    try:
        sidebar = phone.locator("#sidebar")
        assert not sidebar.is_visible()
        phone.click("#sidebar-toggle")
        sidebar.wait_for(state="visible")
        phone.locator("#sidebar a", has_text="抽查计划").click()
        phone.wait_for_load_state()
        assert phone.locator("h1").inner_text() == "双随机抽查计划"
        assert not phone.locator("#sidebar").is_visible()
    finally:
        phone.context.close()

    desktop = sign_in(new_page(browser, **DESKTOP), demo_site.url, "supervisor")
    try:
        group = (
            desktop.locator('.nav-group[data-group="系统管理"]')
            if desktop.locator('.nav-group[data-group="系统管理"]').count()
            else desktop.locator(".nav-group").last
        )
        link = group.locator("a").first
        assert link.is_visible()
        group.locator("button.group").click()
        link.wait_for(state="hidden")
        assert group.locator("button.group").get_attribute("aria-expanded") == "false"
        desktop.reload()  # the folded group stays folded
        assert not group.locator("a").first.is_visible()
        group.locator("button.group").click()
        group.locator("a").first.wait_for(state="visible")
    finally:
        desktop.context.close()


def test_breadcrumbs_lead_back_to_the_list(login, page, demo_site):
    login("agency")
    page.goto(f"{demo_site.url}/inspections/plans/")
    page.locator("#plan-table a").first.click()
    page.wait_for_load_state()
    crumbs = page.locator("#breadcrumbs li").all_inner_texts()
    assert crumbs[:3] == ["首页", "双随机、一公开", "抽查计划"]
    assert crumbs[-1].strip() == page.locator("h1").inner_text().strip() or len(crumbs) == 4
    page.locator("#breadcrumbs a", has_text="抽查计划").click()
    page.wait_for_load_state()
    assert page.url.endswith("/inspections/plans/")


def test_404_is_chinese_inside_the_layout(login, page, demo_site, browser):
    login("supervisor")
    response = page.goto(f"{demo_site.url}/inspections/plans/999999/")
    assert response.status == 404
    assert page.locator("#error-title").inner_text() == "页面不存在"
    assert page.locator("#sidebar nav a").count() >= 8  # the signed-in user can navigate on
    assert "Not Found" not in page.content()
    page.click("#error-home")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "我的待办"

    anonymous = new_page(browser)
    try:
        response = anonymous.goto(f"{demo_site.url}/portal/no-such-page/")
        assert response.status == 404
        assert anonymous.locator("#error-title").inner_text() == "页面不存在"
        assert anonymous.locator("#sidebar").count() == 0
        assert anonymous.locator("#error-home").get_attribute("href") == "/portal/"
    finally:
        anonymous.context.close()


def test_favicon(page, demo_site):
    page.goto(f"{demo_site.url}/portal/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(demo_site.url + icon).status == 200
