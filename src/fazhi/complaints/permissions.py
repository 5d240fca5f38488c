"""Permissions of 投诉举报: intake, triage, handling, the hotline, statistics."""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("complaint.view", "查看投诉举报", "投诉举报"),
            Permission("complaint.triage", "投诉受理、交办、审核答复、合并、转办", "投诉举报"),
            Permission("complaint.handle", "办理并答复交办的投诉", "投诉举报"),
            Permission("complaint.import", "导入和推送12345热线工单", "投诉举报"),
            Permission("complaint.stats", "投诉举报统计", "投诉举报"),
            Permission("clue.create", "登记问题线索", "投诉举报"),
        ],
        menu=[
            MenuEntry("投诉举报", "complaints:list", "complaint.view", "投诉举报"),
            MenuEntry("登记问题线索", "complaints:clue_create", "clue.create", "投诉举报"),
            MenuEntry("12345工单导入", "complaints:hotline_import", "complaint.import", "投诉举报"),
            MenuEntry("投诉统计", "complaints:stats", "complaint.stats", "投诉举报"),
        ],
        grants={
            "supervisor": ["complaint.view", "complaint.triage", "complaint.import", "complaint.stats", "clue.create"],
            "agency_legal": ["complaint.view", "complaint.handle", "complaint.stats", "clue.create"],
            "invited_supervisor": ["clue.create"],
            "leader": ["complaint.view", "complaint.stats"],
        },
    )


# ---------------------------------------------------------------- predicates

# The states in which each step of a complaint can be taken (the services enforce the same states).
ASSIGNABLE = ("received", "reopened")
ANSWERABLE = ("assigned", "returned")


def complaint_actions(*, user, obj) -> set[str]:
    """What `user` may do with complaint `obj` (already inside the user's scope). The detail page shows exactly
    these buttons; the services refuse the same steps (a wrong state with a message, a missing right with 403)."""
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "complaint.view") else set()
    if has_permission(user, "complaint.triage"):
        actions |= {"reveal", "discipline", "follow_up", "outbox"}
        if obj.status in ASSIGNABLE:
            actions |= {"assign", "suggest"}
        if obj.status == "received":
            actions |= {"out_of_scope", "merge"}
        if obj.status == "reopened":
            actions.add("review_close")
        if obj.status == "replied":
            actions |= {"approve", "return"}
    if has_permission(user, "complaint.handle") and obj.status in ANSWERABLE and complaint_is_units(user=user, obj=obj):
        actions.add("reply")
    return actions


def complaint_is_units(*, user, obj) -> bool:
    """The complaint is assigned to the user's unit or one below it (who may answer it)."""
    return bool(user.unit_id and obj.agency_id and obj.agency.path.startswith(user.unit.path))
