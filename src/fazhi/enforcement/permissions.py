"""Permissions of enforcement: the registry (agencies, power lists, officers) and penalty cases."""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("registry.view", "查看执法主体、权责清单、执法人员", "行政执法"),
            Permission("registry.manage", "维护执法主体、权责清单、执法人员", "行政执法"),
            Permission("case.view", "查看行政处罚案件", "行政执法"),
            Permission("case.handle", "登记和办理行政处罚案件", "行政执法"),
            Permission("case.supervise", "案件风险预警与合规统计", "行政执法"),
            Permission("disclosure.manage", "执法决定公示与撤回", "行政执法"),
        ],
        menu=[
            MenuEntry("执法主体", "enforcement:agency_list", "registry.view", "行政执法"),
            MenuEntry("权责清单", "enforcement:power_item_list", "registry.view", "行政执法"),
            MenuEntry("执法人员", "enforcement:officer_list", "registry.view", "行政执法"),
            MenuEntry("行政处罚案件", "enforcement:case_list", "case.view", "行政执法"),
            MenuEntry("风险预警", "enforcement:warning_list", "case.supervise", "行政执法"),
            MenuEntry("合规统计", "enforcement:compliance", "case.supervise", "行政执法"),
        ],
        grants={
            "supervisor": ["registry.view", "registry.manage", "case.view", "case.supervise", "disclosure.manage"],
            "agency_legal": ["registry.view", "registry.manage", "case.view", "case.handle", "disclosure.manage"],
            "officer": ["registry.view", "case.view", "case.handle"],
            "leader": ["registry.view", "case.view", "case.supervise"],
        },
    )


# ---------------------------------------------------------------- predicates
# The services check the same rights again (with the object inside the actor's scope, else 404).


def registry_actions(*, user, obj=None) -> set[str]:
    """Agencies, power items, list entries and officers (`obj` inside the user's scope, or None for a list).
    The registry is a unit's shared record: the 本人 scope reads it but keeps none of it."""
    from fazhi.core.scope import has_permission, user_data_scope

    actions = {"view"} if has_permission(user, "registry.view") else set()
    if has_permission(user, "registry.manage") and user_data_scope(user) != "self":
        actions |= {"view", "create", "manage"}
    return actions


def case_actions(*, user, obj) -> set[str]:
    """A penalty case (inside the user's scope)."""
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "case.view") else set()
    if has_permission(user, "case.handle"):
        actions |= {"advance", "attach"}
        if obj.stage != "closed":
            actions.add("edit")
            if obj.decided_on is None:
                actions.add("extend")  # 《行政处罚法》第六十条: only the decision's limit is extended
    return actions


def disclosure_actions(*, user, obj) -> set[str]:
    from fazhi.core.scope import has_permission

    if obj is not None and obj.withdrawn_at is None and has_permission(user, "disclosure.manage"):
        return {"withdraw"}
    return set()
