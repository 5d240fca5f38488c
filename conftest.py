"""Shared test fixtures. The demo organisation (示例市 units and one user per role) is built once per test
database and every test runs in a transaction that is rolled back."""

import os

import pytest

os.environ.setdefault("FAZHI_ALLOW_GENERATED_KEY", "1")


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
        permissions=["org.view", "org.manage", "user.manage", "log.view"],
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
