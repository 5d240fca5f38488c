"""Permissions of the enforcement registry: agencies, power lists, officers and their certificates."""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("registry.view", "查看执法主体、权责清单、执法人员", "行政执法"),
            Permission("registry.manage", "维护执法主体、权责清单、执法人员", "行政执法"),
        ],
        menu=[
            MenuEntry("执法主体", "registry:agency_list", "registry.view", "行政执法"),
            MenuEntry("权责清单", "registry:power_item_list", "registry.view", "行政执法"),
            MenuEntry("执法人员", "registry:officer_list", "registry.view", "行政执法"),
        ],
        grants={
            "supervisor": ["registry.view", "registry.manage"],
            "agency_legal": ["registry.view", "registry.manage"],
            "officer": ["registry.view"],
            "leader": ["registry.view"],
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
