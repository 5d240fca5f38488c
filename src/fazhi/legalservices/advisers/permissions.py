"""Permissions of 法律顾问: codes, menu, grants and the `<entity>_actions` predicates.

- `adviser.view`: the roster, contracts, coverage, service records and the opinions of one's scope;
- `adviser.manage`: keep the roster, villages, contracts and service records, route opinion requests and record
  the advisers' opinions (the Justice Bureau);
- `opinion.request`: ask for a legal opinion for one's own unit (部门法制员).
"""

from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "公共法律服务与普法"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("adviser.view", "查看法律顾问名册、合同、覆盖率和法律意见", GROUP),
            Permission("adviser.manage", "管理法律顾问名册、合同、服务记录，分派并录入法律意见", GROUP),
            Permission("opinion.request", "为本单位提出法律意见请求", GROUP),
        ],
        menu=[
            MenuEntry("法律顾问", "legalservices:advisers:adviser_list", "adviser.view", GROUP),
            MenuEntry("村（居）法律顾问覆盖率", "legalservices:advisers:coverage", "adviser.view", GROUP),
            MenuEntry("法律意见", "legalservices:advisers:opinion_list", "adviser.view", GROUP),
            MenuEntry("法律意见", "legalservices:advisers:opinion_list", "opinion.request", GROUP),
        ],
        grants={
            "supervisor": ["adviser.view", "adviser.manage"],
            "leader": ["adviser.view"],
            "agency_legal": ["opinion.request"],
        },
    )


def in_scope(user, unit) -> bool:
    from fazhi.core.scope import user_data_scope

    if user is None:
        return True
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

    return user is None or (has_permission(user, "adviser.manage") and user_data_scope(user) != "self")


def adviser_actions(*, user, obj) -> set[str]:
    from fazhi.core.scope import has_permission

    viewer = user is None or has_permission(user, "adviser.view") or has_permission(user, "adviser.manage")
    if obj is None:
        return ({"view"} if viewer else set()) | ({"create", "import"} if may_manage(user) else set())
    actions = {"view"} if viewer else set()
    if may_manage(user) and in_scope(user, obj.unit):
        if obj.is_active:
            actions |= {"view", "edit", "contract", "service", "terminate", "deactivate"}
        else:
            actions |= {"view", "activate"}
    return actions


def opinion_actions(*, user, obj) -> set[str]:
    from fazhi.core.scope import has_permission

    viewer = user is None or has_permission(user, "adviser.view") or has_permission(user, "adviser.manage")
    requester = user is not None and has_permission(user, "opinion.request") and bool(user.unit_id)
    if obj is None:
        return ({"view"} if viewer or requester else set()) | ({"create"} if requester or may_manage(user) else set())
    actions = {"view"} if viewer else set()
    if requester and user.unit_id == obj.unit_id:
        actions.add("view")
    if may_manage(user) and in_scope(user, obj.unit):
        actions.add("view")
        if obj.status in ("pending", "routed"):
            actions.add("route")
        if obj.status == "routed":
            actions.add("answer")
    return actions
