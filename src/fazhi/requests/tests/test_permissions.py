"""The predicates (`<entity>_actions`) that pages, API and services all read, the grants to the built-in roles, and
the negative cases by page and API."""

import datetime as dt

import pytest

from fazhi.core.permissions import DEFAULT_ROLES, MENU, MENU_GROUPS, PERMISSION_CODES
from fazhi.requests import permissions as perms
from fazhi.requests.models import Proposal
from fazhi.requests.tests import factories as F

pytestmark = pytest.mark.django_db
D = dt.date
CODES = {
    "proposal.view",
    "proposal.manage",
    "proposal.reply",
    "proposal.approve",
    "disclosure_request.view",
    "disclosure_request.handle",
    "disclosure_request.approve",
}


def test_codes_grants_and_menu():
    assert CODES <= PERMISSION_CODES
    assert {"proposal.manage", "proposal.view"} <= set(DEFAULT_ROLES["supervisor"][2])
    assert "proposal.manage" not in DEFAULT_ROLES["agency_legal"][2]
    assert {"proposal.reply", "disclosure_request.handle"} <= set(DEFAULT_ROLES["agency_legal"][2])
    assert set(DEFAULT_ROLES["leader"][2]) & CODES == {"proposal.view", "disclosure_request.view"}
    assert not set(DEFAULT_ROLES["officer"][2]) & CODES
    assert not set(DEFAULT_ROLES["invited_supervisor"][2]) & CODES
    group = "建议提案与依申请公开"
    assert MENU_GROUPS.index(group) == MENU_GROUPS.index("执法监督") - 1
    assert {e.url_name for e in MENU if e.group == group} == {
        "requests:proposal_list",
        "requests:session_list",
        "requests:proposal_stats",
        "requests:disclosure_list",
        "requests:disclosure_report",
    }


def test_proposal_actions_by_role_and_state():
    registered = F.proposal(lead=None)
    assert {"assign", "secret"} <= perms.proposal_actions(user=F.user("supervisor"), obj=registered)
    assert perms.proposal_actions(user=F.user("agency"), obj=registered) == {"view"}
    assert perms.proposal_actions(user=F.user("leader"), obj=registered) == {"view"}
    assert perms.proposal_actions(user=F.user("officer"), obj=registered) == set()
    p = F.proposal(co=(F.ECOLOGY,))
    lead = perms.proposal_actions(user=F.user("agency"), obj=p)
    assert {"request_return", "request_extension", "draft_reply"} <= lead and "assign" not in lead
    co = perms.proposal_actions(user=F.user("agency2"), obj=p)
    assert not co & {"request_return", "draft_reply", "request_extension"}
    row = p.units.get(role="co")
    assert perms.proposal_unit_actions(user=F.user("agency2"), obj=row) == {"view_submit", "request_return"}
    assert perms.proposal_unit_actions(user=F.user("agency"), obj=row) == set()
    assert perms.proposal_actions(user=F.user("leader"), obj=p) == {"view"}
    boss = perms.proposal_actions(user=F.user("supervisor"), obj=p)
    assert "draft_reply" not in boss  # the bureau handles only what is assigned to itself


def test_reply_actions_follow_its_state():
    p = F.proposal()
    from fazhi.requests import services

    reply = services.proposal_reply_save(by=F.user("agency"), proposal=p, text="答复", classification="A")
    reply = Proposal.objects.get(pk=p.pk).replies.get()
    assert perms.proposal_reply_actions(user=F.user("agency"), obj=reply) == {"edit", "approve"}
    assert perms.proposal_reply_actions(user=F.user("agency2"), obj=reply) == set()
    assert perms.proposal_reply_actions(user=F.user("supervisor"), obj=reply) == set()
    reply = services.proposal_reply_approve(
        by=F.user("agency"), reply=reply, signer="王某", on=D(2025, 7, 2), today=D(2025, 7, 2)
    )
    reply = Proposal.objects.get(pk=p.pk).replies.get()
    assert perms.proposal_reply_actions(user=F.user("agency"), obj=reply) == {"issue"}


def test_disclosure_actions_follow_the_unit_tree_and_the_state():
    r = F.request()
    mine = perms.disclosure_request_actions(user=F.user("agency"), obj=r)
    assert {
        "view",
        "reveal",
        "correction_requested",
        "consultation_started",
        "extended",
        "answered",
        "withdrawn",
    } <= mine
    assert not mine & {"delivered", "confirmed", "correction_received"}
    assert perms.disclosure_request_actions(user=F.user("agency2"), obj=r) == {"view"}
    assert perms.disclosure_request_actions(user=F.user("leader"), obj=r) == {"view"}
    assert perms.disclosure_request_actions(user=F.user("supervisor"), obj=r) == {"view", "reveal"}
    own = F.request(agency=F.JUSTICE, by="supervisor")
    assert "answered" in perms.disclosure_request_actions(user=F.user("supervisor"), obj=own)
    assert perms.disclosure_request_actions(user=F.user("officer"), obj=r) == set()
    assert "create" in perms.disclosure_request_actions(user=F.user("agency"), obj=None)
    assert "create" not in perms.disclosure_request_actions(user=F.user("leader"), obj=None)


@pytest.mark.parametrize("username", ["officer", "monitor"])
def test_users_without_the_codes_get_403_by_page_and_api(login_as, api_client, username):
    r = F.request()
    p = F.proposal()
    page = login_as(username)
    for url in (
        "/requests/proposals/",
        f"/requests/proposals/{p.pk}/",
        "/requests/disclosure/",
        f"/requests/disclosure/{r.pk}/",
        "/requests/disclosure/report/",
        "/requests/proposals/stats/",
    ):
        assert page.get(url).status_code == 403, url
    api = api_client(username)
    for url in (f"/api/v1/proposals/{p.pk}", f"/api/v1/disclosure-requests/{r.pk}", "/api/v1/proposal-stats"):
        assert api.get(url).status_code == 403, url


def test_another_unit_finds_nothing_by_page_or_api(login_as, api_client):
    r = F.request()
    p = F.proposal()
    page, api = login_as("agency2"), api_client("agency2")
    assert page.get(f"/requests/disclosure/{r.pk}/").status_code == 404
    assert page.post(f"/requests/disclosure/{r.pk}/events/", {"kind": "answered"}).status_code == 404
    assert page.get(f"/requests/proposals/{p.pk}/").status_code == 404
    assert page.post(f"/requests/proposals/{p.pk}/draft_reply/", {"text": "x"}).status_code == 404
    assert api.get(f"/api/v1/proposals/{p.pk}").status_code == 404
    r2 = api.post(
        f"/api/v1/proposals/{p.pk}/reply", {"text": "x", "classification": "A"}, content_type="application/json"
    )
    assert r2.status_code == 404
