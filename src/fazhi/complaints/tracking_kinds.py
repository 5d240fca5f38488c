"""The 督办 kind a complaint's handling is tracked as (imported at start-up by `ComplaintsConfig.ready`)."""

from fazhi.tracking.registry import ItemKind, register

# The agency's legal officer (complaint.handle) investigates and replies; the supervisor (complaint.triage)
# approves or returns the reply while the item waits in "review".
COMPLAINT = register(ItemKind("complaint", "投诉举报", "complaint.handle", "complaint.triage"))
