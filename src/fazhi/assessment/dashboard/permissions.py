"""Permissions of 领导驾驶舱: `dashboard.view` (leaders, supervisors), read-only; every figure follows the
viewer's data scope through the selectors it comes from."""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[Permission("dashboard.view", "查看领导驾驶舱", "法治建设考核")],
        menu=[MenuEntry("领导驾驶舱", "assessment:dashboard:home", "dashboard.view", "法治建设考核")],
        grants={"leader": ["dashboard.view"], "supervisor": ["dashboard.view"]},
    )


def dashboard_actions(*, user, obj=None) -> set[str]:
    from fazhi.core.scope import has_permission

    return {"view", "print"} if has_permission(user, "dashboard.view") else set()
