"""The registry predicate: what the pages offer, and the services refuse the same."""

import pytest

from fazhi.core.errors import Forbidden
from fazhi.core.models import Role
from fazhi.registry import services
from fazhi.registry.permissions import registry_actions
from fazhi.registry.tests.helpers import agency, user

pytestmark = pytest.mark.django_db


def test_registry_is_kept_by_managers_of_a_unit_not_by_the_self_scope(users):
    assert "manage" in registry_actions(user=user("agency"))
    assert registry_actions(user=user("leader")) == {"view"}
    officer = users["officer"]
    officer.roles.add(Role.objects.create(code="self_keeper", name="本人维护", data_scope="self",
                                          permissions=["registry.view", "registry.manage"]))  # fmt: skip
    officer._fazhi_roles = None
    assert "manage" not in registry_actions(user=officer)
    with pytest.raises(Forbidden):
        services.agency_save(by=officer, instance=agency(), unit=agency().unit, legal_status="statutory",
                             domains=["市场监管"])  # fmt: skip
