"""Permissions of 专项监督与责任追究: codes, menu, grants, and one `<entity>_actions` predicate per entity.

The supervisor (监督人员) opens and concludes investigations, refers to 纪检监察, handles proposals, opens and
decides accountability records and publishes typical cases. An agency (部门法制员) reads the investigations and
records about its own units and adds its 说明 while they are open. An invited supervisor (特邀监督员) sees only the
investigations he is a member of, and records their steps. A leader reads everything.

Each predicate answers for an object already inside the user's data scope (the selectors apply it); the pages show
exactly the buttons it returns, the API and the views refuse the rest, and the services check it again after their
own state messages (a wrong state is explained with a DomainError, anything else withheld is a 403).
"""

from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "执法监督"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("investigation.view", "查看专项监督调查", GROUP),
            Permission("investigation.manage", "专项监督调查立项、签发通知书、作出结论、移送纪检监察", GROUP),
            Permission("investigation.join", "作为调查组成员参加专项监督调查（记录调查步骤）", GROUP),
            Permission("accountability.view", "查看错案责任追究、追责统计和典型案例", GROUP),
            Permission("accountability.manage", "处理追责建议、错案责任追究立案和决定登记、典型案例通报", GROUP),
            Permission("accountability.respond", "就涉及本单位的专项调查和责任追究提交说明", GROUP),
        ],
        menu=[
            MenuEntry("专项监督调查", "supervision:accountability:investigation_list", "investigation.view", GROUP),
            MenuEntry("追责建议", "supervision:accountability:proposal_list", "accountability.manage", GROUP),
            MenuEntry("错案责任追究", "supervision:accountability:record_list", "accountability.view", GROUP),
            MenuEntry("追责统计", "supervision:accountability:stats", "accountability.view", GROUP),
            MenuEntry("典型案例通报", "supervision:accountability:typical_list", "accountability.view", GROUP),
        ],
        grants={
            "supervisor": [
                "investigation.view",
                "investigation.manage",
                "investigation.join",
                "accountability.view",
                "accountability.manage",
            ],
            "agency_legal": ["investigation.view", "accountability.view", "accountability.respond"],
            "invited_supervisor": ["investigation.view", "investigation.join"],
            "leader": ["investigation.view", "accountability.view"],
        },
    )


# ---------------------------------------------------------------- helpers


def _has(user, code: str) -> bool:
    from fazhi.core.scope import has_permission

    return has_permission(user, code)


def _scope(user) -> str:
    from fazhi.core.scope import user_data_scope

    return user_data_scope(user)


def unit_in_scope(user, unit) -> bool:
    """The unit is one the user's data scope reaches (core.scope.scope_q on one object), or one his unit
    supervises (a district Justice Bureau and the agencies of its district)."""
    scope = _scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if unit.supervising_unit_id == user.unit_id:
        return True
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def own_unit(user, unit) -> bool:
    """The unit is the user's own or below it: whose 说明 the user may give (never by the data scope alone)."""
    return bool(unit is not None and user.unit_id and _scope(user) != "self" and unit.path.startswith(user.unit.path))


def _manages(user, code: str, unit) -> bool:
    return _has(user, code) and _scope(user) != "self" and unit_in_scope(user, unit)


def _creates(user, code: str) -> bool:
    scope = _scope(user)
    return _has(user, code) and scope != "self" and (scope == "all" or bool(user.unit_id))


# ---------------------------------------------------------------- predicates


def investigation_is_member(*, user, obj) -> bool:
    return bool(user.pk) and obj.investigators.filter(pk=user.pk).exists()


def investigation_actions(*, user, obj) -> set[str]:
    """专项监督调查 (`obj` None: the list and a new one). "step" records a step (supervisors, and the members of
    the investigation team), "statement" is the agency's 说明, "notice" issues the 调查通知书."""
    from fazhi.supervision.accountability import rules

    actions = {"view"} if _has(user, "investigation.view") else set()
    if obj is None:
        return actions | ({"create"} if _creates(user, "investigation.manage") else set())
    is_open = obj.status == "open"
    if _manages(user, "investigation.manage", obj.unit):
        actions.add("view")
        if is_open:
            actions |= {"step"}
            if not obj.notice_number:
                actions.add("notice")
            if not obj.extended_days:
                actions.add("extend")
            if rules.investigation_may_conclude(status=obj.status, steps=obj.steps.exclude(kind="statement").count()):
                actions.add("conclude")
        if rules.investigation_may_refer(status=obj.status, conclusion=obj.conclusion):
            actions.add("refer")
    if is_open and _has(user, "investigation.join") and investigation_is_member(user=user, obj=obj):
        actions.add("step")
    if is_open and _has(user, "accountability.respond") and own_unit(user, obj.unit):
        actions.add("statement")
    return actions


def referral_actions(*, user, obj) -> set[str]:
    """A referral to 纪检监察 is followed up by the supervisor until the organ's result is recorded."""
    actions = investigation_actions(user=user, obj=obj.investigation) & {"view"}
    if obj.status == "pending" and _manages(user, "investigation.manage", obj.investigation.unit):
        actions.add("follow_up")
    return actions


def proposal_actions(*, user, obj) -> set[str]:
    """A proposal of accountability (`obj` None: the list). The supervisor opens a record from it or dismisses it."""
    if obj is None:
        return {"view"} if _has(user, "accountability.manage") else set()
    if not _manages(user, "accountability.manage", obj.unit):
        return set()
    return {"view"} | ({"open", "dismiss"} if obj.status == "pending" else set())


def record_actions(*, user, obj) -> set[str]:
    """错案责任追究 record (`obj` None: the list and a new one opened directly for a case)."""
    actions = {"view"} if _has(user, "accountability.view") else set()
    if obj is None:
        return actions | ({"create"} if _creates(user, "accountability.manage") else set())
    is_open = obj.status == "open"
    if _manages(user, "accountability.manage", obj.unit):
        actions.add("view")
        if is_open:
            actions.add("decide")
            if not obj.notice_number:
                actions.add("notice")
        if obj.case_id:
            actions.add("typical")
    if is_open and _has(user, "accountability.respond") and own_unit(user, obj.unit):
        actions.add("statement")
    return actions


def typical_case_actions(*, user, obj) -> set[str]:
    """典型案例通报 (`obj` None: the list and choosing a new one)."""
    from fazhi.supervision.accountability import rules

    actions = {"view"} if _has(user, "accountability.view") else set()
    if obj is None:
        return actions | ({"create"} if _creates(user, "accountability.manage") else set())
    if _manages(user, "accountability.manage", obj.unit):
        actions.add("view")
        if rules.typical_may_edit(status=obj.status):
            actions.add("edit")
        if rules.typical_may_publish(status=obj.status):
            actions.add("publish")
        if rules.typical_may_withdraw(status=obj.status):
            actions.add("withdraw")
    return actions
