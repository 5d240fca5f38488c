import pytest

from tests.browser.conftest import DESKTOP, PHONE, new_page, sign_in

pytestmark = pytest.mark.browser


def test_debug(browser, demo_site):
    for opts, tag in ((DESKTOP, "d"), (PHONE, "p")):
        pg = sign_in(new_page(browser, **opts), demo_site.url, "supervisor")
        hrefs = [a.get_attribute("href") for a in pg.locator("#sidebar nav a").all()]
        print(tag, len(hrefs))
        for href in hrefs:
            pg.goto(demo_site.url + href)
            before = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            # Undo the table wrapping: would the page scroll sideways without it?
            pg.evaluate("document.querySelectorAll('.table-wrap').forEach(w => w.replaceWith(...w.childNodes))")
            after = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            print(tag, href, before, after, pg.evaluate("document.getElementById('sidebar').getBoundingClientRect().width"))
        pg.goto(demo_site.url + "/inspections/plans/")
        pg.screenshot(path=f"/tmp/frame-{tag}-plans.png", full_page=False)
        pg.goto(demo_site.url + "/system/units/")
        pg.screenshot(path=f"/tmp/frame-{tag}-units.png", full_page=False)
        pg.goto(demo_site.url + "/complaints/")
        pg.screenshot(path=f"/tmp/frame-{tag}-complaints.png", full_page=False)
        pg.context.close()
