"""Permissions of 法治督察: codes, menu, grants and the `<entity>_actions` predicates.

- `oversight.view`: read — the supervising side its campaigns and ledgers, a unit its own rectifications;
- `oversight.manage`: run campaigns, import problem lists, sign off or return rectifications, link records, refer
  clues (监督人员 of the supervising unit);
- `oversight.rectify`: plan, report progress and hand in evidence for one's own unit (部门法制员).
"""

from fazhi.assessment.oversight import rules
from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "法治建设考核"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("oversight.view", "查看法治督察与整改台账", GROUP),
            Permission("oversight.manage", "组织法治督察，交办问题，对账销号，移送线索", GROUP),
            Permission("oversight.rectify", "填报本单位督察问题的整改方案、进展和佐证材料", GROUP),
        ],
        menu=[
            MenuEntry("法治督察", "assessment:oversight:campaign_list", "oversight.manage", GROUP),
            MenuEntry("督察整改台账", "assessment:oversight:problem_list", "oversight.view", GROUP),
        ],
        grants={
            "supervisor": ["oversight.view", "oversight.manage"],
            "agency_legal": ["oversight.view", "oversight.rectify"],
            "leader": ["oversight.view"],
        },
    )


def unit_in_scope(user, unit) -> bool:
    """The unit is one the user's data scope reaches; the 本人 scope reaches none."""
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def may_manage(user) -> bool:
    from fazhi.core.scope import has_permission, user_data_scope

    scope = user_data_scope(user)
    return has_permission(user, "oversight.manage") and scope != "self" and (scope == "all" or bool(user.unit_id))


def campaign_actions(*, user, obj) -> set[str]:
    """What `user` may do with a campaign (None: the list / a new one)."""
    from fazhi.core.scope import has_permission

    viewer = has_permission(user, "oversight.view") or has_permission(user, "oversight.manage")
    if obj is None:
        return ({"view"} if viewer else set()) | ({"create", "view"} if may_manage(user) else set())
    actions = {"view"} if viewer else set()
    if may_manage(user) and unit_in_scope(user, obj.lead_unit):
        actions.add("view")
        if obj.status == "active":
            actions |= {"add_problem", "import", "close"}
    return actions


def rectification_actions(*, user, obj) -> set[str]:
    """What `user` may do with one unit's rectification of a problem (already inside the user's scope)."""
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "oversight.view") or has_permission(user, "oversight.manage") else set()
    if may_manage(user) and unit_in_scope(user, obj.problem.campaign.lead_unit):
        actions |= {"view", "link", "refer"}
        if obj.status in rules.SIGNABLE:
            actions |= {"signoff", "return"}
    if has_permission(user, "oversight.rectify") and user.unit_id and user.unit_id == obj.unit_id:
        if obj.status in rules.UNIT_WORKABLE:
            actions |= {"plan", "report", "submit"}
    return actions
