"""Shared test fixtures. The demo organisation (示例市 units and one user per role) is built once per test
database and every test runs in a transaction that is rolled back."""

import datetime as dt
import os

import pytest

os.environ.setdefault("FAZHI_ALLOW_GENERATED_KEY", "1")

_traveller = None


def pytest_configure(config):
    """`FAZHI_TEST_SHIFT_DAYS=365` runs the session with the clock moved that many days ahead (time-machine,
    ticking), to prove that no test depends on the day it runs. CI runs the suite once this way."""
    global _traveller
    shift = int(os.environ.get("FAZHI_TEST_SHIFT_DAYS") or 0)
    if shift:
        import time_machine

        _traveller = time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=shift), tick=True)
        _traveller.start()


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config):
    if _traveller is not None:
        return f"clock shifted: FAZHI_TEST_SHIFT_DAYS={os.environ['FAZHI_TEST_SHIFT_DAYS']} (now {dt.datetime.now():%Y-%m-%d})"
    return None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from fazhi.core.demo.build import build_org, build_users

    with django_db_blocker.unblock():
        build_org()
        build_users()


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """A test that edits the override table must not leak its calendar into the next test."""
    yield
    from fazhi.workdays import calendar

    if calendar.dirty:
        calendar.reset_cache()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and lockout counters live in the cache: one test's failed logins must not throttle the next."""
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def unscheduled_year():
    """A year that no official schedule covers (see UNSCHEDULED_YEAR); fails loudly if the package ever
    carries it, instead of letting the tests that rely on it pass for the wrong reason."""
    from fazhi.workdays import calendar
    from fazhi.workdays.tests import UNSCHEDULED_YEAR

    assert UNSCHEDULED_YEAR not in calendar.PACKAGE_YEARS
    assert calendar.RANGE_START.year <= UNSCHEDULED_YEAR <= calendar.RANGE_END.year
    return UNSCHEDULED_YEAR


@pytest.fixture
def org(db):
    from fazhi.core.models import Unit

    return {u.name: u for u in Unit.objects.all()}


@pytest.fixture
def users(db):
    from fazhi.core.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def dept_admin(users):
    """The agency legal officer also made administrator of its own agency (subtree scope)."""
    from fazhi.core.models import Role

    role = Role.objects.create(
        code="dept_admin",
        name="部门管理员",
        data_scope="subtree",
        permissions=["org.view", "org.manage", "user.manage"],
    )
    users["agency"].roles.add(role)
    return users["agency"]


def _client_for(username):
    from django.test import Client

    from fazhi.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def login_as(db):
    """`login_as("agency")` gives a Django test client logged in as that demo user."""
    return _client_for


@pytest.fixture
def api_client(db):
    """`api_client("agency")` gives a client that sends that user's bearer token."""
    from django.test import Client

    from fazhi.core.models import User
    from fazhi.core.services import token_create

    def make(username):
        _, secret = token_create(user=User.objects.get(username=username))
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
