"""complaint_actions is the one answer to "what may this user do with this complaint": the page shows its
buttons, and each step it offers the service accepts while each step it withholds the service refuses."""

import pytest

from fazhi.complaints import services
from fazhi.complaints.permissions import complaint_actions
from fazhi.complaints.tests import factories as f
from fazhi.core.errors import AccessError, DomainError

pytestmark = pytest.mark.django_db


def _attempt(step, *, user, complaint, users):
    """Run one step through its service; True if it went through."""
    calls = {
        "assign": lambda: services.complaint_assign(by=user, complaint=complaint, agency=f.agency()),
        "reply": lambda: services.complaint_reply(
            by=user, complaint=complaint, findings="经现场核实，情况属实。", measures="已责令整改并约谈。"
        ),
        "approve": lambda: services.complaint_approve(by=user, complaint=complaint),
        "return": lambda: services.complaint_return(by=user, complaint=complaint, reason="材料不全"),
        "out_of_scope": lambda: services.complaint_out_of_scope(by=user, complaint=complaint, reason="不属于执法投诉"),
    }
    from django.db import transaction

    try:
        with transaction.atomic():
            calls[step]()
            transaction.set_rollback(True)
    except (DomainError, AccessError):
        return False
    return True


@pytest.mark.parametrize("state", ["received", "assigned", "replied"])
@pytest.mark.parametrize("username", ["supervisor", "agency", "agency2", "leader"])
def test_the_predicate_and_the_services_agree(users, state, username):
    if state == "received":
        complaint, _ = f.submit()
    elif state == "assigned":
        complaint, _ = f.assigned(users)
    else:
        complaint, _ = f.assigned(users)
        services.complaint_reply(
            by=users["agency"], complaint=complaint, findings="经现场核实，情况属实。", measures="已责令整改并约谈。"
        )
        complaint.refresh_from_db()
    user = users[username]
    offered = complaint_actions(user=user, obj=complaint)
    for step in ("assign", "reply", "approve", "return", "out_of_scope"):
        complaint.refresh_from_db()
        assert _attempt(step, user=user, complaint=complaint, users=users) == (step in offered), (step, state)


def test_the_detail_page_shows_only_the_offered_steps(login_as, users):
    complaint, _ = f.assigned(users)
    assert 'id="reply-form"' in login_as("agency").get(f"/complaints/{complaint.pk}/").content.decode()
    page = login_as("supervisor").get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="reply-form"' not in page and 'id="assign-form"' not in page and 'id="discipline-submit"' in page
