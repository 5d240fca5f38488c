"""Permissions of 双随机、一公开: the directory, plans, draws, records, quiet days and the burden monitor."""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("inspection.view", "查看市场主体、抽查计划、抽取和检查记录", "双随机、一公开"),
            Permission("inspection.manage", "维护抽查事项、检查人员库、计划，抽取和登记检查记录", "双随机、一公开"),
            Permission("inspection.supervise", "涉企检查频次监测、企业安静生产日", "双随机、一公开"),
        ],
        menu=[
            MenuEntry("市场主体", "inspections:enterprise_list", "inspection.view", "双随机、一公开"),
            MenuEntry("抽查计划", "inspections:plan_list", "inspection.view", "双随机、一公开"),
            MenuEntry("检查人员库", "inspections:pool_list", "inspection.view", "双随机、一公开"),
            MenuEntry("检查记录", "inspections:record_list", "inspection.view", "双随机、一公开"),
            MenuEntry("检查频次监测", "inspections:burden", "inspection.supervise", "双随机、一公开"),
            MenuEntry("企业安静生产日", "inspections:quiet_day_list", "inspection.view", "双随机、一公开"),
        ],
        grants={
            "supervisor": ["inspection.view", "inspection.supervise"],
            "agency_legal": ["inspection.view", "inspection.manage"],
            "officer": ["inspection.view"],
            "leader": ["inspection.view", "inspection.supervise"],
        },
    )


# ---------------------------------------------------------------- predicates
# What a user may do with each object the pages act on: the permission code, the object's agency inside the
# user's data scope, and the state gates of rules.py. Pages show these buttons, the API and the views refuse
# the rest, and every service checks the same predicate again before it writes.


def _unit_in_scope(user, unit) -> bool:
    """The unit is one the user's data scope reaches (the same test as core.scope.scope_q, on one object)."""
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None:
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def agency_keeper(*, user, agency) -> bool:
    """The user keeps this agency's 双随机 work (items, pool, plans, draws, records): inspection.manage with the
    agency inside a unit-wide scope. Plans and draws are the unit's record, so the 本人 scope keeps none."""
    from fazhi.core.scope import has_permission, user_data_scope

    return bool(
        agency is not None
        and has_permission(user, "inspection.manage")
        and user_data_scope(user) != "self"
        and _unit_in_scope(user, agency.unit)
    )


def _keeps_some(user) -> bool:
    """A new object ("create", `obj` None): the user keeps the inspections of at least one agency."""
    from fazhi.core.scope import has_permission, user_data_scope

    scope = user_data_scope(user)
    return has_permission(user, "inspection.manage") and scope != "self" and (scope == "all" or bool(user.unit_id))


def _new(user) -> set[str]:
    from fazhi.core.scope import has_permission

    return ({"view"} if has_permission(user, "inspection.view") else set()) | (
        {"view", "create"} if _keeps_some(user) else set()
    )


def _viewer(user, unit) -> set[str]:
    from fazhi.core.scope import has_permission

    return {"view"} if has_permission(user, "inspection.view") and _unit_in_scope(user, unit) else set()


def enterprise_actions(*, user, obj) -> set[str]:
    """The enterprise directory is one shared register (国发〔2019〕5号: 检查对象名录库), so it has no unit:
    every inspection user reads it, a keeper of some agency's inspections maintains it. `obj` None: the list."""
    from fazhi.inspections.selectors import enterprise_may_reveal

    actions = _new(user)
    if "create" in actions:
        actions |= {"import"} | ({"edit"} if obj is not None else set())
    if obj is not None and "view" in actions and enterprise_may_reveal(user=user):
        actions.add("reveal")
    return actions


def inspection_item_actions(*, user, obj) -> set[str]:
    """An item of an agency's 抽查事项清单 (`obj` None: a new one)."""
    if obj is None:
        return _new(user)
    actions = _viewer(user, obj.agency.unit)
    if agency_keeper(user=user, agency=obj.agency):
        actions |= {"view", "edit"}
    return actions


def pool_entry_actions(*, user, obj) -> set[str]:
    """An officer's entry in the 检查人员库, turned on and off while on leave etc. (`obj` None: adding one)."""
    if obj is None:
        return _new(user)
    actions = _viewer(user, obj.agency.unit)
    if agency_keeper(user=user, agency=obj.agency):
        actions |= {"view", "toggle"}
    return actions


def plan_actions(*, user, obj) -> set[str]:
    """A 双随机 plan (`obj` None: a new one)."""
    from fazhi.inspections import rules

    if obj is None:
        return _new(user)
    actions = _viewer(user, obj.agency.unit)
    if agency_keeper(user=user, agency=obj.agency):
        actions.add("view")
        if obj.status in rules.PLAN_PUBLISHABLE:
            actions.add("publish")
        if obj.status in rules.PLAN_DRAWABLE:
            actions.add("draw")
    return actions


def draw_actions(*, user, obj) -> set[str]:
    """A draw of a plan. "perform" runs it, "publish" reveals seed and result, "redraw" voids it and commits
    anew (the service also refuses once an inspection was registered against its result), "record" registers
    the inspection of a drawn enterprise."""
    from fazhi.inspections import rules

    actions = _viewer(user, obj.plan.agency.unit)
    if agency_keeper(user=user, agency=obj.plan.agency):
        actions.add("view")
        for action, states in (
            ("perform", rules.DRAW_PERFORMABLE),
            ("publish", rules.DRAW_PUBLISHABLE),
            ("redraw", rules.DRAW_REDRAWABLE),
            ("record", rules.DRAW_RECORDABLE),
        ):
            if obj.status in states:
                actions.add(action)
    return actions


def record_actions(*, user, obj) -> set[str]:
    """An inspection record (`obj` None: a new non-plan one). With the 本人 scope the user sees those he
    inspected or registered."""
    from fazhi.core.scope import has_permission, user_data_scope
    from fazhi.inspections import rules

    if obj is None:
        return _new(user)
    actions = set()
    if has_permission(user, "inspection.view"):
        if user_data_scope(user) == "self":
            # .all() so that a list that prefetched the inspectors asks nothing more per record
            mine = obj.created_by_id == user.pk or any(o.user_id == user.pk for o in obj.inspectors.all())
            actions |= {"view"} if mine else set()
        else:
            actions |= _viewer(user, obj.agency.unit)
    if agency_keeper(user=user, agency=obj.agency):
        actions.add("view")
        if rules.record_publishable(published_on=obj.published_on):
            actions.add("publish")
    if "view" in actions and obj.published_on is not None:
        actions.add("feedback_link")  # the enterprise's signed rating link, handed over by the agency
    return actions


def quiet_day_actions(*, user, obj) -> set[str]:
    """企业安静生产日 are set by the supervisors for the whole jurisdiction and published to every enterprise."""
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "inspection.view") else set()
    if has_permission(user, "inspection.supervise") and obj is None:
        actions.add("create")
    return actions
