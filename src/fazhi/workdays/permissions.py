"""Permissions of the working-day calendar and the deadline calculator."""

from fazhi.core.permissions import MenuEntry, Permission, register
from fazhi.core.scope import has_permission, user_data_scope


def register_permissions() -> None:
    register(
        permissions=[
            Permission("workdays.use", "使用期限计算器", "督办"),
            Permission("calendar.manage", "维护工作日历", "系统"),
        ],
        menu=[
            MenuEntry("期限计算器", "workdays:calculator", "workdays.use", "督办"),
            MenuEntry("工作日历", "workdays:override_list", "calendar.manage", "系统管理"),
        ],
        grants={
            "admin": ["workdays.use", "calendar.manage"],
            "supervisor": ["workdays.use"],
            "agency_legal": ["workdays.use"],
            "officer": ["workdays.use"],
        },
    )


def override_actions(*, user, obj) -> set[str]:
    """The override table is the whole jurisdiction's calendar: its keeper edits it, everyone reads it."""
    actions = {"view"} if has_permission(user, "workdays.use") or has_permission(user, "calendar.manage") else set()
    # One calendar serves the whole deployment, so only a keeper with the 全部 scope changes it.
    if has_permission(user, "calendar.manage") and user_data_scope(user) == "all":
        actions |= {"create"} | ({"edit", "delete"} if obj is not None else set())
    return actions
