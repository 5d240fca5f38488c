"""Permissions of 普法: codes, menu, grants, and one `<entity>_actions` predicate per entity.

- `outreach.view`: responsibility lists, activities, the roster and the completion table inside one's data scope;
- `outreach.edit`: keep one's own unit's list, activities and 法律明白人 (部门法制员 and the township's staff);
- `outreach.manage`: the Justice Bureau's 普法 office: every unit in its scope, the completion table, exports.
"""

from fazhi.core.permissions import MenuEntry, Permission, register
from fazhi.legalservices.outreach import rules

GROUP = "公共法律服务与普法"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("outreach.view", "查看普法责任清单、普法活动、法律明白人", GROUP),
            Permission("outreach.edit", "编制本单位普法责任清单，登记普法活动和法律明白人", GROUP),
            Permission("outreach.manage", "管理辖区普法工作（全部单位）", GROUP),
        ],
        menu=[
            MenuEntry("普法责任清单", "legalservices:outreach:list_index", "outreach.view", GROUP),
            MenuEntry("普法活动", "legalservices:outreach:activity_list", "outreach.view", GROUP),
            MenuEntry("法律明白人", "legalservices:outreach:literate_list", "outreach.view", GROUP),
            MenuEntry("普法完成情况", "legalservices:outreach:completion", "outreach.view", GROUP),
        ],
        grants={
            "supervisor": ["outreach.view", "outreach.edit", "outreach.manage"],
            "agency_legal": ["outreach.view", "outreach.edit"],
            "leader": ["outreach.view"],
        },
    )


def unit_in_scope(user, unit) -> bool:
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def may_edit(user, unit) -> bool:
    from fazhi.core.scope import has_permission

    return (has_permission(user, "outreach.edit") or has_permission(user, "outreach.manage")) and unit_in_scope(
        user, unit
    )


def duty_list_actions(*, user, obj) -> set[str]:
    """A responsibility list (None: the index and a new list of one's unit)."""
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "outreach.view") else set()
    if obj is None:
        return actions | ({"create"} if user.unit_id and may_edit(user, user.unit) else set())
    if may_edit(user, obj.unit):
        actions |= {"view", "add_item"}
        if obj.status == rules.DRAFT:
            actions |= {"publish", "remove_item"}
        else:
            actions.add("complete_item")
    return actions


def activity_actions(*, user, obj) -> set[str]:
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "outreach.view") else set()
    if obj is None:
        return actions | ({"create"} if user.unit_id and may_edit(user, user.unit) else set())
    if may_edit(user, obj.unit):
        actions |= {"view", "attach"}
    return actions


def literate_actions(*, user, obj) -> set[str]:
    """A 法律明白人: the full ID number and phone are never shown; editors of the unit may add and import."""
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "outreach.view") else set()
    if obj is None:
        return actions | ({"create", "import"} if user.unit_id and may_edit(user, user.unit) else set())
    if may_edit(user, obj.unit):
        actions |= {"view", "retire"}
    return actions
