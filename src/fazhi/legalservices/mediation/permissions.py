"""Permissions of 调解: codes, menu, grants and the `<entity>_actions` predicates.

- `mediation.view`: read the mediation organisations, disputes and statistics of one's scope;
- `mediation.manage`: keep the organisations and mediators, register disputes, record sessions and outcomes,
  follow up performance, return results to the court, import ledgers (the Justice Bureau and its 司法所).
"""

from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "公共法律服务与普法"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("mediation.view", "查看调解组织、矛盾纠纷调解和统计", GROUP),
            Permission("mediation.manage", "登记和办理矛盾纠纷调解，管理调解组织、调解员，导入调解台账", GROUP),
        ],
        menu=[
            MenuEntry("矛盾纠纷调解", "legalservices:mediation:case_list", "mediation.view", GROUP),
            MenuEntry("调解组织", "legalservices:mediation:org_list", "mediation.view", GROUP),
            MenuEntry("调解统计", "legalservices:mediation:stats", "mediation.view", GROUP),
        ],
        grants={
            "supervisor": ["mediation.view", "mediation.manage"],
            "leader": ["mediation.view"],
        },
    )


def _in_scope(user, unit) -> bool:
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

    return user is None or (has_permission(user, "mediation.manage") and user_data_scope(user) != "self")


def case_actions(*, user, obj) -> set[str]:
    """What `user` may do with dispute `obj` (None: the list and a new registration)."""
    from fazhi.core.scope import has_permission
    from fazhi.legalservices.mediation import rules

    viewer = user is None or has_permission(user, "mediation.view") or has_permission(user, "mediation.manage")
    if obj is None:
        return ({"view"} if viewer else set()) | ({"create", "import"} if may_manage(user) else set())
    actions = {"view"} if viewer else set()
    if may_manage(user) and (user is None or _in_scope(user, obj.unit)):
        actions.add("view")
        if obj.status in rules.OPEN_STATUSES:
            actions |= {"session", "close"}
            if (
                obj.source == rules.SOURCE_COURT
                and obj.court_due
                and not obj.court_returned_on
                and not obj.court_extended_days
            ):
                actions.add("court_extend")
        if obj.status == rules.SUCCESS:
            actions.add("follow_up")
        if obj.source == rules.SOURCE_COURT and obj.status not in rules.OPEN_STATUSES and not obj.court_returned_on:
            actions.add("court_return")
    return actions


def org_actions(*, user, obj) -> set[str]:
    from fazhi.core.scope import has_permission

    viewer = has_permission(user, "mediation.view") or has_permission(user, "mediation.manage")
    if obj is None:
        return ({"view"} if viewer else set()) | ({"create"} if may_manage(user) else set())
    actions = {"view"} if viewer else set()
    if may_manage(user) and _in_scope(user, obj.unit):
        actions |= {"view", "edit", "deactivate"} if obj.is_active else {"view", "activate"}
        if obj.is_active:
            actions.add("mediator")
    return actions
