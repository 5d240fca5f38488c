"""The enforcement predicates: what the pages offer, and the services refuse the same."""

import pytest

from fazhi.core.errors import Forbidden
from fazhi.core.models import Role
from fazhi.enforcement import services
from fazhi.enforcement.permissions import case_actions, disclosure_actions, registry_actions
from fazhi.enforcement.tests.registry_helpers import agency, user

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


class _Case:
    def __init__(self, stage, decided_on=None):
        self.stage, self.decided_on = stage, decided_on


def test_case_actions_follow_the_stage():
    import datetime as dt

    agency_user, leader = user("agency"), user("leader")
    assert {"edit", "extend", "advance"} <= case_actions(user=agency_user, obj=_Case("investigation"))
    decided = case_actions(user=agency_user, obj=_Case("decision", decided_on=dt.date(2026, 1, 5)))
    assert "extend" not in decided and "edit" in decided  # 第六十条: only the decision's limit is extended
    assert "edit" not in case_actions(user=agency_user, obj=_Case("closed", decided_on=dt.date(2026, 1, 5)))
    assert case_actions(user=leader, obj=_Case("investigation")) == {"view"}


class _Disclosure:
    def __init__(self, withdrawn_at=None):
        self.withdrawn_at = withdrawn_at


def test_disclosure_withdrawn_once_by_its_manager():
    assert disclosure_actions(user=user("agency"), obj=_Disclosure()) == {"withdraw"}
    assert disclosure_actions(user=user("agency"), obj=_Disclosure(withdrawn_at="x")) == set()
    assert disclosure_actions(user=user("leader"), obj=_Disclosure()) == set()
    assert disclosure_actions(user=user("agency"), obj=None) == set()
