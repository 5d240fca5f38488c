"""Browser tests: Playwright (Python) driving Debian's chromium against a live server.

The demo is built once per browser session: `demo_site` commits it into the test database and starts one
live server for the whole package. Tests therefore share that data; a test that writes uses data of its own
(unique names, its own plan or complaint), and `_reset_between_tests` undoes what a test cannot avoid
leaving behind (login lockouts, rate-limit counters in the cache). When the package is done the database is
put back to what the other tests expect (the bare organisation and one user per role).

pytest-django's own `live_server` fixture is not used on purpose: a test that requests it is made
transactional and the database is flushed after it, which would throw the demo away after every test. The
tests here carry the `django_db` mark (so that pytest-django creates the test database for them), and
`_django_db_helper` is replaced for them by one that neither wraps a test in a transaction nor flushes.
"""

import os
import re
import shutil
from pathlib import Path

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
DESKTOP = {"viewport": {"width": 1440, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36",
}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture
def _django_db_helper(demo_site):
    """For browser tests: the committed demo, no per-test transaction, no flush (see the module docstring)."""
    return None


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker):
    """One live server over the committed demo, for every browser test."""
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from fazhi.core.demo.build import build_demo, build_org, build_users

    with django_db_blocker.unblock():
        build_demo()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            build_org()
            build_users()
            from fazhi.workdays import calendar

            calendar.reset_cache()


@pytest.fixture(autouse=True)
def _reset_between_tests(request):
    """What a test leaves behind that the next one must not see: lockouts and cached counters."""
    yield
    if "demo_site" not in request.fixturenames:
        return
    from django.core.cache import caches

    from fazhi.core.models import User

    for cache in caches.all():
        cache.clear()
    User.objects.filter(failed_logins__gt=0).update(failed_logins=0, locked_until=None)
    User.objects.filter(locked_until__isnull=False).update(locked_until=None)


def new_page(browser, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    return pg


@pytest.fixture
def page(browser):
    pg = new_page(browser)
    yield pg
    pg.context.close()


def sign_in(page, base_url, username, password=None):
    """Signs `page` in through the login form (dropping any earlier session first)."""
    from fazhi.core.demo.build import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base_url}/login/")
    page.fill("#username", username)
    page.fill("#password", password or DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.fixture
def login(page, demo_site):
    """`login("supervisor")` signs the page in through the login form."""

    def do(username, password=None):
        return sign_in(page, demo_site.url, username, password)

    return do


def confirm(page):
    """Accepts the confirmation dialog that an irreversible action opens (data-confirm)."""
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    dialog.locator("#confirm-ok").click()


def url_re(path: str):
    return re.compile(re.escape(path) + r"(\?.*)?$")
