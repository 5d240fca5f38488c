"""The 督办 kind a complaint's handling is tracked as (imported at start-up by `ComplaintsConfig.ready`)."""

from django.db.models import Q

from fazhi.tracking.registry import DeskSection, ItemKind, register, register_desk_section, register_visibility

# The agency's legal officer (complaint.handle) investigates and replies; the supervisor (complaint.triage)
# approves or returns the reply while the item waits in "review".
COMPLAINT = register(ItemKind("complaint", "投诉举报", "complaint.handle", "complaint.triage"))


def _complaint_items_visible(user) -> Q:
    """A complaint's items (its handling, and the one before a merge or reopening) follow the complaint."""
    from fazhi.complaints.models import Complaint
    from fazhi.complaints.selectors import complaint_scope_q

    visible = Complaint.objects.filter(complaint_scope_q(user))
    return Q(pk__in=visible.values("item_id")) | Q(pk__in=visible.values("prior_item_id"))


register_visibility(COMPLAINT.code, _complaint_items_visible)


def _acceptance_rows(user, today):
    from fazhi.complaints.selectors import acceptance_queue

    return acceptance_queue(user, today)


# The supervisor's 督办 desk lists the complaints waiting to be accepted, with their acceptance deadline.
register_desk_section(DeskSection("complaints_received", "待受理投诉", _acceptance_rows))
