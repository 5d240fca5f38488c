"""The predicates that pages, API and services read: what each role may do with each record, and the grants."""

import pytest

from fazhi.core.permissions import DEFAULT_ROLES, MENU_GROUPS
from fazhi.disputes import permissions
from fazhi.disputes.tests.conftest import MARKET, D

pytestmark = pytest.mark.django_db


def test_grants_and_menu():
    supervisor, agency, leader = (DEFAULT_ROLES[r][2] for r in ("supervisor", "agency_legal", "leader"))
    assert "reconsideration.manage" in supervisor and "reconsideration.manage" not in agency
    assert "reconsideration.answer" in agency and "litigation.manage" in agency
    assert not {"reconsideration.manage", "litigation.manage", "suggestion.manage"} & set(leader)
    assert not [
        c for c in DEFAULT_ROLES["invited_supervisor"][2] if c.split(".")[0] in ("reconsideration", "litigation")
    ]
    assert MENU_GROUPS.index("双随机、一公开") < MENU_GROUPS.index("争议化解") < MENU_GROUPS.index("执法监督")


def test_reconsideration_actions_follow_role_and_state(apply, event, users):
    rc = apply(received_on=D(2025, 9, 1))
    body = permissions.reconsideration_actions(user=users["supervisor"], obj=rc)
    assert {"accepted", "refused", "correction_requested"} <= body
    assert not {"decided", "extended", "answered"} & body
    assert permissions.reconsideration_actions(user=users["agency"], obj=rc) == {"view"}
    assert permissions.reconsideration_actions(user=users["leader"], obj=rc) == {"view"}
    rc = event(rc, "accepted", D(2025, 9, 2))
    rc = event(rc, "copied", D(2025, 9, 3))
    assert "answered" in permissions.reconsideration_actions(user=users["agency"], obj=rc)
    assert "answered" not in permissions.reconsideration_actions(user=users["agency2"], obj=rc)
    body = permissions.reconsideration_actions(user=users["supervisor"], obj=rc)
    assert {"decided", "extended", "suspended", "hearing", "normative"} <= body and "switched" not in body
    assert "copied" not in body
    rc = event(rc, "decided", D(2025, 10, 1), outcome="upheld", reason="理由")
    body = permissions.reconsideration_actions(user=users["supervisor"], obj=rc)
    assert "served" in body and "publish" not in body and "decided" not in body


def test_litigation_and_suggestion_actions(agencies, users):
    from fazhi.disputes.services import litigation_register, suggestion_register

    lit = litigation_register(
        by=users["agency"],
        court="示例市东城区人民法院",
        case_number="（2025）湘9902行初40号",
        plaintiff={"kind": "person", "name": "王建国"},
        defendant=agencies[MARKET],
        act="罚款5000元的行政处罚决定",
        filed_on=D(2025, 9, 10),
        served_on=D(2025, 9, 20),
    )
    assert {"defence", "hearing", "appearance", "judgment"} <= permissions.litigation_actions(
        user=users["agency"], obj=lit
    )
    assert permissions.litigation_actions(user=users["agency2"], obj=lit) == {"view"}
    assert permissions.litigation_actions(user=users["leader"], obj=lit) == {"view"}
    assert permissions.litigation_actions(user=users["officer"], obj=None) == set()
    s = suggestion_register(
        by=users["agency"],
        kind="judicial",
        issuer="示例市中级人民法院",
        number="示法建〔2026〕8号",
        agency=agencies[MARKET],
        content="建议加强说理",
        received_on=D(2026, 4, 1),
    )
    assert "reply" in permissions.suggestion_actions(user=users["agency"], obj=s)
    assert "reply" not in permissions.suggestion_actions(user=users["agency2"], obj=s)
    assert permissions.head_actions(user=users["agency"], agency=agencies[MARKET]) == {"view", "edit"}
    assert permissions.head_actions(user=users["agency2"], agency=agencies[MARKET]) == set()
