"""Permissions of 监督文书: codes, menu, grants, and one `<entity>_actions` predicate per entity.

- `instrument.view`: read the instruments addressed to one's units (agencies) or, for a supervisor, all of his;
- `instrument.issue`: draft, issue, review replies, record 约谈, handle the proposals (监督人员);
- `instrument.reply`: acknowledge and reply for one's own unit (部门法制员 of the recipient).

Agency users see only instruments addressed to their units (and the 通报 published to them); drafts never leave
the issuing side; the 本人 scope (officers, invited supervisors) sees none.
"""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("instrument.view", "查看监督文书", "执法监督"),
            Permission("instrument.issue", "拟制、签发监督文书，审核回复，处理预警建议", "执法监督"),
            Permission("instrument.reply", "签收并回复发给本单位的监督文书", "执法监督"),
        ],
        menu=[
            MenuEntry("监督文书", "supervision:instruments:instrument_list", "instrument.view", "执法监督"),
            MenuEntry("执法风险预警", "supervision:instruments:risk_list", "instrument.issue", "执法监督"),
            MenuEntry("文书回复统计", "supervision:instruments:stats", "instrument.view", "执法监督"),
        ],
        grants={
            "supervisor": ["instrument.view", "instrument.issue"],
            "agency_legal": ["instrument.view", "instrument.reply"],
            "leader": ["instrument.view"],
        },
    )


# ---------------------------------------------------------------- predicates


def unit_in_scope(user, unit) -> bool:
    """The unit is one the user's data scope reaches (core.scope.scope_q on one object); 本人 reaches none."""
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def may_issue(user) -> bool:
    """The user drafts and issues instruments for his unit (instrument.issue with a unit-wide scope)."""
    from fazhi.core.scope import has_permission, user_data_scope

    scope = user_data_scope(user)
    return has_permission(user, "instrument.issue") and scope != "self" and (scope == "all" or bool(user.unit_id))


def instrument_actions(*, user, obj) -> set[str]:
    """What `user` may do with instrument `obj` (already inside the user's scope; None: the list / a new one).
    Pages show exactly these buttons, the API refuses the rest, and each service checks the same again."""
    from fazhi.core.scope import has_permission
    from fazhi.supervision.instruments import rules

    viewer = has_permission(user, "instrument.view") or has_permission(user, "instrument.issue")
    if obj is None:
        return ({"view"} if viewer else set()) | ({"create", "view"} if may_issue(user) else set())
    actions = {"view"} if viewer else set()
    if may_issue(user) and unit_in_scope(user, obj.issuing_unit):
        actions.add("view")
        if obj.status == rules.DRAFT:
            actions |= {"edit", "issue", "discard"}
        recorded = obj.kind == rules.INTERVIEW and _has_record(obj)
        if obj.status in rules.REVIEWABLE:
            actions.add("return")
            if obj.kind != rules.INTERVIEW or recorded:  # a 约谈's report is judged with its record
                actions.add("accept")
        if obj.kind == rules.INTERVIEW and obj.status in rules.INTERVIEW_RECORDABLE and not recorded:
            actions.add("record_interview")
    if has_permission(user, "instrument.reply") and user.unit_id and user.unit_id == obj.recipient_id:
        if obj.status in rules.ACKNOWLEDGEABLE:
            actions.add("acknowledge")
        if obj.status in rules.REPLYABLE and obj.needs_reply:
            actions.add("reply")
    return actions


def _has_record(obj) -> bool:
    from fazhi.supervision.instruments.models import InterviewRecord

    return InterviewRecord.objects.filter(instrument_id=obj.pk).exists()


def risk_actions(*, user, obj) -> set[str]:
    """A 执法风险预警提醒 proposal (None: the list and the 立即计算 button)."""
    if not may_issue(user):
        return set()
    if obj is None:
        return {"view", "scan"}
    if not unit_in_scope(user, obj.unit):
        return set()
    return {"view"} | ({"draft", "dismiss"} if obj.status == "proposed" else set())
