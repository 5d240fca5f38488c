"""Permissions of 公文: the 发文字号 registers (numbers are taken by the issuing services, never by hand).

`document.view` reads the registers of the units inside one's data scope and the numbers taken from them;
`document.manage` sets up a register (unit, 文种, year, 发文机关代字) for the current or a later year.
"""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("document.view", "查看发文字号登记簿", "公文"),
            Permission("document.manage", "新建发文字号登记簿", "公文"),
        ],
        menu=[MenuEntry("发文字号", "documents:register_list", "document.view", "执法监督")],
        grants={
            # The system administrator sets the registers up at the start of a year; the supervisors issue.
            "admin": ["document.view", "document.manage"],
            "supervisor": ["document.view", "document.manage"],
            "agency_legal": ["document.view"],
            "leader": ["document.view"],
        },
    )


def register_unit_allowed(*, user, unit) -> bool:
    """The unit is inside the user's data scope (core.scope.scope_q on one unit); 本人 keeps no register."""
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def register_actions(*, user, obj) -> set[str]:
    """A 发文字号 register (`obj` inside the user's scope; None: the list / a new one). Nobody edits a register or
    takes a number by hand: numbers move only inside the transaction that issues a document."""
    from fazhi.core.scope import has_permission, user_data_scope

    actions = {"view"} if has_permission(user, "document.view") else set()
    manager = has_permission(user, "document.manage") and user_data_scope(user) != "self"
    if obj is None and manager and (user_data_scope(user) == "all" or user.unit_id):
        actions |= {"view", "create"}
    if obj is not None and manager and register_unit_allowed(user=user, unit=obj.unit):
        actions.add("view")
    return actions
