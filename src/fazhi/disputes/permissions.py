"""Permissions of 争议化解: reconsideration (the Justice Bureau as the 行政复议机构), litigation and the heads'
court appearance (each agency's legal officer for its own suits), judicial and procuratorial suggestions, and the
statistics. One predicate per entity: pages show its buttons, the API and views refuse the rest, services check it
again before they write."""

from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "争议化解"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("reconsideration.view", "查看行政复议案件", GROUP),
            Permission(
                "reconsideration.manage", "办理行政复议（受理、审理、决定、意见书、附带审查、复议委员会）", GROUP
            ),
            Permission("reconsideration.answer", "被申请人答复行政复议、报送意见书纠正情况", GROUP),
            Permission("litigation.view", "查看行政应诉案件和负责人出庭情况", GROUP),
            Permission("litigation.manage", "登记和办理行政应诉案件、维护本单位负责人名单", GROUP),
            Permission("suggestion.view", "查看司法建议和检察建议", GROUP),
            Permission("suggestion.manage", "登记和答复司法建议、检察建议", GROUP),
            Permission("dispute.stats", "行政争议统计（纠错率、出庭率、败诉率）", GROUP),
        ],
        menu=[
            MenuEntry("行政复议", "disputes:reconsideration_list", "reconsideration.view", GROUP),
            MenuEntry("附带审查", "disputes:normative_list", "reconsideration.manage", GROUP),
            MenuEntry("行政复议委员会", "disputes:committee_list", "reconsideration.manage", GROUP),
            MenuEntry("行政应诉", "disputes:litigation_list", "litigation.view", GROUP),
            MenuEntry("负责人名单", "disputes:head_list", "litigation.view", GROUP),
            MenuEntry("司法建议和检察建议", "disputes:suggestion_list", "suggestion.view", GROUP),
            MenuEntry("争议统计", "disputes:stats", "dispute.stats", GROUP),
        ],
        grants={
            "supervisor": [
                "reconsideration.view",
                "reconsideration.manage",
                "litigation.view",
                "litigation.manage",
                "suggestion.view",
                "suggestion.manage",
                "dispute.stats",
            ],
            "agency_legal": [
                "reconsideration.view",
                "reconsideration.answer",
                "litigation.view",
                "litigation.manage",
                "suggestion.view",
                "suggestion.manage",
                "dispute.stats",
            ],
            "leader": ["reconsideration.view", "litigation.view", "suggestion.view", "dispute.stats"],
        },
    )


# ---------------------------------------------------------------- predicates


def unit_in_scope(user, unit) -> bool:
    """The unit is one the user's data scope reaches (core.scope.scope_q on one object). The 本人 scope reaches
    no unit: it keeps only what the user registered himself (the selectors' owner field)."""
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def _has(user, code: str) -> bool:
    from fazhi.core.scope import has_permission

    return has_permission(user, code)


def reconsideration_body(*, user, obj) -> bool:
    """The user runs reconsideration for this case's body (the 行政复议机构)."""
    return _has(user, "reconsideration.manage") and unit_in_scope(user, obj.body_unit)


def reconsideration_respondent(*, user, obj) -> bool:
    """The user answers for the respondent agency."""
    return _has(user, "reconsideration.answer") and unit_in_scope(user, obj.respondent_unit)


def reconsideration_actions(*, user, obj) -> set[str]:
    """What `user` may do with reconsideration `obj` (already inside the user's scope). Event actions are named
    after the events (rules.EVENT_STATES) and follow the state; the others are the procedure's side steps."""
    from fazhi.disputes import rules

    actions = {"view"} if _has(user, "reconsideration.view") else set()
    if reconsideration_body(user=user, obj=obj):
        actions |= {"view", "reveal", "documents"}
        for kind, states in rules.EVENT_STATES.items():
            if obj.status in states:
                actions.add(kind)
        if obj.status == "accepted" and obj.procedure == "ordinary":
            actions.discard("switched")  # 第五十五条: only a simple case turns ordinary
        if obj.status in ("accepted", "suspended") and obj.copy_sent_on:
            actions.discard("copied")
        if obj.status in ("accepted", "suspended") and (obj.answered_on or not obj.copy_sent_on):
            actions.discard("answered")
        if obj.served_on:
            actions.discard("served")
        if obj.status in ("accepted", "suspended"):
            actions |= {"hearing", "refer", "normative", "opinion"}
        if obj.status in ("decided", "terminated"):
            actions.add("opinion")
            if obj.status == "decided" and obj.published_on is None and obj.served_on is not None:
                actions.add("publish")
        if obj.status not in ("refused", "abandoned"):
            actions.add("link_case")
        if obj.status in ("review", "correction", "accepted", "suspended"):
            actions.add("particulars")  # the application's particulars, until the decision
    if (
        reconsideration_respondent(user=user, obj=obj)
        and obj.status in ("accepted", "suspended")
        and obj.copy_sent_on
        and not obj.answered_on
    ):
        actions |= {"view", "answered"}
    return actions


def opinion_actions(*, user, obj) -> set[str]:
    actions = {"view"} if _has(user, "reconsideration.view") else set()
    if _has(user, "reconsideration.answer") and unit_in_scope(user, obj.agency_unit) and obj.reported_on is None:
        actions |= {"view", "report"}
    return actions


def normative_review_actions(*, user, obj) -> set[str]:
    """The request's record only: the rule-making module handles the review (rulemaking.permissions)."""
    if reconsideration_body(user=user, obj=obj.reconsideration) or _has(user, "reconsideration.view"):
        return {"view"}
    return set()


def committee_actions(*, user, obj) -> set[str]:
    """The 行政复议委员会 (`obj` None: a new one)."""
    if not _has(user, "reconsideration.manage"):
        return set()
    if obj is None:
        return {"create"}
    return {"view", "member"} if unit_in_scope(user, obj.unit) else set()


def litigation_keeper(*, user, unit) -> bool:
    return _has(user, "litigation.manage") and unit_in_scope(user, unit)


def litigation_actions(*, user, obj) -> set[str]:
    """A suit (`obj` None: registering one)."""
    from fazhi.core.scope import user_data_scope

    if obj is None:
        keeps = _has(user, "litigation.manage") and user_data_scope(user) != "self"
        return {"create"} if keeps else set()
    actions = {"view"} if _has(user, "litigation.view") else set()
    if not litigation_keeper(user=user, unit=obj.defendant_unit):
        return actions
    actions |= {"view", "hearing", "appearance"}
    if obj.defence_on is None:
        actions.add("defence")
    if obj.status == "pending":
        actions.add("judgment")
    if obj.status == "judged":
        if obj.appealed_on is None and obj.effective_on is None:
            actions |= {"appeal", "effective"}
        actions.add("enforcement")
    if obj.status == "closed" and obj.enforcement == "pending":
        actions.add("enforcement")
    return actions


def suggestion_actions(*, user, obj) -> set[str]:
    from fazhi.core.scope import user_data_scope

    if obj is None:
        keeps = _has(user, "suggestion.manage") and user_data_scope(user) != "self"
        return {"create"} if keeps else set()
    actions = {"view"} if _has(user, "suggestion.view") else set()
    if _has(user, "suggestion.manage") and unit_in_scope(user, obj.agency_unit) and obj.status == "open":
        actions |= {"view", "reply"}
    return actions


def head_actions(*, user, agency) -> set[str]:
    """The list of heads of `agency` (who may appear in court for it)."""
    actions = {"view"} if _has(user, "litigation.view") and unit_in_scope(user, agency.unit) else set()
    if litigation_keeper(user=user, unit=agency.unit):
        actions |= {"view", "edit"}
    return actions
