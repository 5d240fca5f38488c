"""Browser tests: Playwright (Python) driving Debian's chromium against a live server.

Each test gets a freshly flushed database (live_server needs real commits), so the demo org is built per
test through the `demo_site` fixture.
"""

import os
import re
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def demo_site(live_server, transactional_db):
    from fazhi.core.demo.build import build_demo

    build_demo()
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def login(page, demo_site):
    """`login("supervisor")` signs the page in through the login form."""
    from fazhi.core.demo.build import DEMO_PASSWORD

    def do(username, password=DEMO_PASSWORD):
        page.goto(f"{demo_site.url}/login/")
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return do


def url_re(path: str):
    return re.compile(re.escape(path) + r"(\?.*)?$")
