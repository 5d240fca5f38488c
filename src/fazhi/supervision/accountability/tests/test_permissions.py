"""The predicates: what each role may do with each object, in each state."""

import pytest

from fazhi.supervision.accountability import services
from fazhi.supervision.accountability.permissions import (
    investigation_actions,
    proposal_actions,
    record_actions,
    referral_actions,
    typical_case_actions,
)
from fazhi.supervision.accountability.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(org, users):
    return f.world(org, users)


def test_investigation_actions_by_role_and_state(w, users):
    assert investigation_actions(user=users["supervisor"], obj=None) == {"view", "create"}
    assert investigation_actions(user=users["agency"], obj=None) == {"view"}
    assert investigation_actions(user=users["officer"], obj=None) == set()
    inv = f.open_investigation(users, w["case"])
    assert investigation_actions(user=users["supervisor"], obj=inv) == {"view", "step", "notice", "extend", "refer"}
    assert investigation_actions(user=users["monitor"], obj=inv) == {"view", "step"}
    assert investigation_actions(user=users["agency"], obj=inv) == {"view", "statement"}
    assert investigation_actions(user=users["agency2"], obj=inv) == {"view"}  # (the selector hides it from him)
    assert investigation_actions(user=users["leader"], obj=inv) == {"view"}
    f.with_step(users, inv)
    assert "conclude" in investigation_actions(user=users["supervisor"], obj=inv)
    services.investigation_conclude(
        by=users["supervisor"], investigation=inv, conclusion="partly", findings=f.FINDINGS, measures="责令改正"
    )
    inv.refresh_from_db()
    assert investigation_actions(user=users["supervisor"], obj=inv) == {"view", "refer"}
    assert investigation_actions(user=users["monitor"], obj=inv) == {"view"}
    assert investigation_actions(user=users["agency"], obj=inv) == {"view"}


def test_referral_actions(w, users):
    inv = f.concluded(users, w["case"])
    referral = services.investigation_refer(
        by=users["supervisor"], investigation=inv, organ="示例市纪委监委", reason="涉嫌违纪违法的问题线索移送。"
    )
    assert referral_actions(user=users["supervisor"], obj=referral) == {"view", "follow_up"}
    assert referral_actions(user=users["agency"], obj=referral) == {"view"}
    services.referral_follow_up(by=users["supervisor"], referral=referral, text="已反馈。", result="给予诫勉处理。")
    referral.refresh_from_db()
    assert referral_actions(user=users["supervisor"], obj=referral) == {"view"}


def test_proposal_actions(w, users):
    proposal = f.proposal_for(users, w)
    assert proposal_actions(user=users["supervisor"], obj=proposal) == {"view", "open", "dismiss"}
    assert proposal_actions(user=users["agency"], obj=proposal) == set()
    assert proposal_actions(user=users["leader"], obj=None) == set()


def test_record_actions(w, users):
    assert record_actions(user=users["supervisor"], obj=None) == {"view", "create"}
    assert record_actions(user=users["leader"], obj=None) == {"view"}
    record = f.record_for(users, w)
    assert record_actions(user=users["supervisor"], obj=record) == {"view", "decide", "notice", "typical"}
    assert record_actions(user=users["agency"], obj=record) == {"view", "statement"}
    assert record_actions(user=users["agency2"], obj=record) == {"view"}
    assert record_actions(user=users["leader"], obj=record) == {"view"}
    services.record_decide(
        by=users["supervisor"],
        record=record,
        outcomes=[
            {"officer": w["o1"].pk, "fault": "ordinary", "responsibilities": ["criticism"]},
            {"officer": w["o2"].pk, "fault": "ordinary", "responsibilities": ["criticism"]},
        ],
        decision="批评教育。",
        decision_organ="示例市市场监督管理局",
        decision_on=f.today(),
    )
    record.refresh_from_db()
    assert record_actions(user=users["supervisor"], obj=record) == {"view", "typical"}
    assert record_actions(user=users["agency"], obj=record) == {"view"}


def test_typical_case_actions(w, users):
    typical = f.typical(users, w)
    assert typical_case_actions(user=users["supervisor"], obj=typical) == {"view", "edit", "publish"}
    assert typical_case_actions(user=users["agency"], obj=typical) == {"view"}
    services.typical_publish(by=users["supervisor"], typical=typical)
    typical.refresh_from_db()
    assert typical_case_actions(user=users["supervisor"], obj=typical) == {"view", "withdraw"}
    services.typical_withdraw(by=users["supervisor"], typical=typical, reason="当事人已提起行政诉讼。")
    typical.refresh_from_db()
    assert typical_case_actions(user=users["supervisor"], obj=typical) == {"view"}


def test_grants_of_the_built_in_roles():
    from fazhi.core.permissions import DEFAULT_ROLES

    def granted(role):
        return {c for c in DEFAULT_ROLES[role][2] if c.startswith(("investigation.", "accountability."))}

    assert granted("supervisor") == {
        "investigation.view",
        "investigation.manage",
        "investigation.join",
        "accountability.view",
        "accountability.manage",
    }
    assert granted("agency_legal") == {"investigation.view", "accountability.view", "accountability.respond"}
    assert granted("invited_supervisor") == {"investigation.view", "investigation.join"}
    assert granted("leader") == {"investigation.view", "accountability.view"}
    assert granted("officer") == set()
