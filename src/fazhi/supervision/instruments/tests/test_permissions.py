"""instrument_actions / risk_actions are the one answer to "what may this user do": every step they offer the service
accepts, every step they withhold the service refuses (a DomainError or a refusal)."""

import pytest
from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import AccessError, DomainError
from fazhi.core.permissions import DEFAULT_ROLES
from fazhi.supervision.instruments import rules, services
from fazhi.supervision.instruments.permissions import instrument_actions, risk_actions
from fazhi.supervision.instruments.tests import factories as f

pytestmark = pytest.mark.django_db

STEPS = ("edit", "issue", "discard", "acknowledge", "reply", "accept", "return", "record_interview")


def _attempt(step, *, user, inst) -> bool:
    now = timezone.now()
    calls = {
        "edit": lambda: services.instrument_update(
            by=user,
            instrument=inst,
            title=inst.title,
            facts=inst.facts,
            requirements=inst.requirements,
            recipient=inst.recipient,
            interview_at=inst.interview_at,
            interview_place=inst.interview_place,
        ),
        "issue": lambda: services.instrument_issue(by=user, instrument=inst),
        "discard": lambda: services.instrument_discard(by=user, instrument=inst, reason="不再需要"),
        "acknowledge": lambda: services.instrument_acknowledge(by=user, instrument=inst),
        "reply": lambda: services.instrument_reply(by=user, instrument=inst, findings="已核查", measures="已整改"),
        "accept": lambda: services.instrument_accept(by=user, instrument=inst),
        "return": lambda: services.instrument_return(by=user, instrument=inst, reason="不具体"),
        "record_interview": lambda: services.instrument_record_interview(
            by=user, instrument=inst, held_at=now, place="会议室", participants="甲、乙", content="约谈内容"
        ),
    }
    try:
        with transaction.atomic():
            calls[step]()
            transaction.set_rollback(True)
    except (DomainError, AccessError):
        return False
    return True


def _in_state(users, state: str, kind: str):
    extra = {"interview_at": timezone.now(), "reply_required": True} if kind == rules.INTERVIEW else {}
    if state == "draft":
        return f.draft(users, kind=kind, **extra)
    inst = f.issued(users, kind=kind, **extra)
    if state in ("acknowledged", "replied"):
        services.instrument_acknowledge(by=users["agency"], instrument=inst)
    if state == "replied":
        services.instrument_reply(by=users["agency"], instrument=f.fresh(inst), findings="已核查", measures="已整改")
    return f.fresh(inst)


@pytest.mark.parametrize("kind", [rules.OPINION, rules.INTERVIEW])
@pytest.mark.parametrize("state", ["draft", "delivered", "acknowledged", "replied"])
@pytest.mark.parametrize("username", ["supervisor", "agency", "agency2", "leader"])
def test_the_predicate_and_the_services_agree(users, state, kind, username):
    inst = _in_state(users, state, kind)
    user = users[username]
    offered = instrument_actions(user=user, obj=inst)
    for step in STEPS:
        inst = f.fresh(inst)
        assert _attempt(step, user=user, inst=inst) == (step in offered), (step, state, kind, username)


def test_grants():
    assert {"instrument.view", "instrument.issue"} <= set(DEFAULT_ROLES["supervisor"][2])
    assert {"instrument.view", "instrument.reply"} <= set(DEFAULT_ROLES["agency_legal"][2])
    assert "instrument.issue" not in DEFAULT_ROLES["agency_legal"][2]
    assert "instrument.view" in DEFAULT_ROLES["leader"][2]
    for role in ("invited_supervisor", "officer"):
        assert not {c for c in DEFAULT_ROLES[role][2] if c.startswith("instrument.")}
    assert {"document.view", "document.manage"} <= set(DEFAULT_ROLES["supervisor"][2])
    assert {"document.view", "document.manage"} <= set(DEFAULT_ROLES["admin"][2])
    assert "document.manage" not in DEFAULT_ROLES["agency_legal"][2]


def test_list_level_actions(users):
    assert instrument_actions(user=users["supervisor"], obj=None) == {"view", "create"}
    assert instrument_actions(user=users["agency"], obj=None) == {"view"}
    assert instrument_actions(user=users["monitor"], obj=None) == set()
    assert risk_actions(user=users["supervisor"], obj=None) == {"view", "scan"}
    assert risk_actions(user=users["agency"], obj=None) == set()
    assert risk_actions(user=users["leader"], obj=None) == set()


def test_the_detail_page_shows_only_the_offered_steps(users, login_as):
    inst = _in_state(users, "delivered", rules.OPINION)
    page = login_as("agency").get(f"/supervision/instruments/{inst.pk}/").content.decode()
    assert 'id="acknowledge-form"' in page and 'id="reply-form"' not in page and 'id="review-forms"' not in page
    page = login_as("supervisor").get(f"/supervision/instruments/{inst.pk}/").content.decode()
    assert 'id="acknowledge-form"' not in page and 'id="issue-form"' not in page
    page = login_as("leader").get(f"/supervision/instruments/{inst.pk}/").content.decode()
    assert "<form" not in page.split('id="timeline"')[0].split("instrument-facts")[1]
