"""Permissions of penalty cases: handling, supervision (warnings, compliance) and the public disclosure."""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("case.view", "查看行政处罚案件", "行政执法"),
            Permission("case.handle", "登记和办理行政处罚案件", "行政执法"),
            Permission("case.supervise", "案件风险预警与合规统计", "行政执法"),
            Permission("disclosure.manage", "执法决定公示与撤回", "行政执法"),
        ],
        menu=[
            MenuEntry("行政处罚案件", "cases:case_list", "case.view", "行政执法"),
            MenuEntry("风险预警", "cases:warning_list", "case.supervise", "行政执法"),
            MenuEntry("合规统计", "cases:compliance", "case.supervise", "行政执法"),
        ],
        grants={
            "supervisor": ["case.view", "case.supervise", "disclosure.manage"],
            "agency_legal": ["case.view", "case.handle", "disclosure.manage"],
            "officer": ["case.view", "case.handle"],
            "leader": ["case.view", "case.supervise"],
        },
    )


# ---------------------------------------------------------------- predicates
# The services check the same rights again (with the object inside the actor's scope, else 404).


# Which permission each action on a case needs. The services check the same table (`case_action_check`) and
# answer a state gate (a closed case, a decided one) with its own message instead of a bare 403.
CASE_ACTION_PERMISSIONS = {
    "view": "case.view",
    "create": "case.handle",
    "edit": "case.handle",
    "advance": "case.handle",
    "attach": "case.handle",
    "extend": "case.handle",
}


def case_actions(*, user, obj) -> set[str]:
    """A penalty case (inside the user's scope), or None for what the user may do without one (file a case)."""
    from fazhi.core.scope import has_permission

    actions = {action for action, code in CASE_ACTION_PERMISSIONS.items() if has_permission(user, code)}
    if obj is None:
        return actions & {"view", "create"}
    actions.discard("create")
    if obj.stage == "closed":
        actions -= {"edit", "extend"}
    elif obj.decided_on is not None:
        actions.discard("extend")  # 《行政处罚法》第六十条: only the decision's limit is extended
    return actions


def case_supervision_actions(*, user, obj=None) -> set[str]:
    """What a supervisor may do over every case at once (no object): `bulk_check`, the statutory check of every
    case now (风险预警 page, `POST /cases/check-all`), as the nightly run does. It reads and summarises every
    unit's cases, so it needs the 全部 data scope besides case.supervise."""
    from fazhi.core.scope import has_permission, user_data_scope

    if has_permission(user, "case.supervise") and user_data_scope(user) == "all":
        return {"bulk_check"}
    return set()


def disclosure_actions(*, user, obj) -> set[str]:
    from fazhi.core.scope import has_permission

    if obj is not None and obj.withdrawn_at is None and has_permission(user, "disclosure.manage"):
        return {"withdraw"}
    return set()
