"""The case predicates: what the pages offer, and the services refuse the same."""

import pytest

from fazhi.cases.permissions import case_actions, disclosure_actions
from fazhi.registry.tests.helpers import user

pytestmark = pytest.mark.django_db


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


def test_services_and_pages_read_one_table_of_case_actions():
    """The services check `CASE_ACTION_PERMISSIONS`; the predicate grants exactly those actions on an open case."""
    from fazhi.cases.permissions import CASE_ACTION_PERMISSIONS

    agency_user = user("agency")
    assert case_actions(user=agency_user, obj=_Case("investigation")) == set(CASE_ACTION_PERMISSIONS) - {"create"}
    assert case_actions(user=agency_user, obj=None) == {"view", "create"}
    assert case_actions(user=user("leader"), obj=None) == {"view"}
