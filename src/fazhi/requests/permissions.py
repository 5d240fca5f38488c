"""Permissions of 建议提案 and 依申请公开: codes, menu, grants to the built-in roles, and one predicate per entity.

Who does what:
- the assigning body (交办机关: the government office or, on this platform, the Justice Bureau — `proposal.manage`)
  registers and assigns suggestions and proposals, decides returns and extensions, marks replies secret;
- the units (`proposal.reply`, `proposal.approve`) handle what is assigned to them or a unit below them:
  return a wrongly assigned item, give a co-unit's view, draft, approve (签发) and issue the reply;
- `disclosure_request.handle` handles the requests addressed to the user's own unit or a unit below it;
  `disclosure_request.approve` is the consent of the head of the disclosure office to an extension;
- the government office (leader) and the Justice Bureau read everything in their scope; units their own.
Handling follows the unit tree (the user's unit and below), not the data scope: a supervisor who reads every
unit's requests answers only his own bureau's.
"""

from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "建议提案与依申请公开"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("proposal.view", "查看人大代表建议、政协提案及办理统计", GROUP),
            Permission("proposal.manage", "登记、交办建议提案，处理退回和延期申请，设定不予公开", GROUP),
            Permission("proposal.reply", "承办建议提案：申请退回、提出协办意见、起草答复、登记评价", GROUP),
            Permission("proposal.approve", "签发并印发建议提案答复", GROUP),
            Permission("disclosure_request.view", "查看政府信息公开申请及年度报告数据", GROUP),
            Permission("disclosure_request.handle", "办理政府信息公开申请：登记、补正、征求意见、答复、送达", GROUP),
            Permission("disclosure_request.approve", "同意延长答复期限（政府信息公开工作机构负责人）", GROUP),
        ],
        menu=[
            MenuEntry("建议提案", "requests:proposal_list", "proposal.view", GROUP),
            MenuEntry("会议届次", "requests:session_list", "proposal.view", GROUP),
            MenuEntry("建议提案办理统计", "requests:proposal_stats", "proposal.view", GROUP),
            MenuEntry("依申请公开", "requests:disclosure_list", "disclosure_request.view", GROUP),
            MenuEntry("信息公开年度报告数据", "requests:disclosure_report", "disclosure_request.view", GROUP),
        ],
        grants={
            "supervisor": [
                "proposal.view",
                "proposal.manage",
                "proposal.reply",
                "proposal.approve",
                "disclosure_request.view",
                "disclosure_request.handle",
                "disclosure_request.approve",
            ],
            "agency_legal": [
                "proposal.view",
                "proposal.reply",
                "proposal.approve",
                "disclosure_request.view",
                "disclosure_request.handle",
                "disclosure_request.approve",
            ],
            "leader": ["proposal.view", "disclosure_request.view"],
        },
    )


# ---------------------------------------------------------------- helpers


def _unit_in_scope(user, unit) -> bool:
    """The unit is one the user's data scope reaches (core.scope.scope_q on one object)."""
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def unit_is_users(user, unit) -> bool:
    """The unit is the user's own or one below it: who may act for it (whatever the data scope)."""
    return bool(unit is not None and user.unit_id and unit.path.startswith(user.unit.path))


def _has(user, code: str) -> bool:
    from fazhi.core.scope import has_permission

    return has_permission(user, code)


def _manager(user, proposal) -> bool:
    from fazhi.core.scope import user_data_scope

    if not _has(user, "proposal.manage") or user_data_scope(user) == "self":
        return False
    return proposal is None or proposal.lead_unit_id is None or _unit_in_scope(user, proposal.lead_unit)


# ---------------------------------------------------------------- proposals


def session_actions(*, user, obj) -> set[str]:
    """Sessions are the jurisdiction's: every reader lists them, the assigning body adds them."""
    actions = {"view"} if _has(user, "proposal.view") else set()
    if _manager(user, None):
        actions.add("create")
    return actions


def proposal_actions(*, user, obj) -> set[str]:
    """What `user` may do with proposal `obj` (already inside his scope; None: a new one). The detail page shows
    these buttons, the views and the API refuse the rest, the services check them again."""
    from fazhi.requests import rules

    if obj is None:
        return ({"view"} if _has(user, "proposal.view") else set()) | ({"create"} if _manager(user, None) else set())
    actions = {"view"} if _has(user, "proposal.view") else set()
    if _manager(user, obj):
        actions |= {"view", "secret", "reveal"}
        if obj.status == "registered":
            actions.add("assign")
        if obj.status == "return_requested":
            actions.add("decide_return")
        if obj.extension_requested and obj.status in ("assigned", "return_requested"):
            actions.add("decide_extension")
        if obj.status == "replied":
            actions.add("record_rating")
    lead = unit_is_users(user, obj.lead_unit)
    if lead and _has(user, "proposal.reply"):
        actions |= {"view", "reveal"}
        if obj.status == "assigned":
            actions.add("request_return")
            if not obj.extension_requested and obj.extension_months < rules.EXTENSION_CAP_MONTHS:
                actions.add("request_extension")
        if obj.status in ("assigned", "rereplying"):
            actions.add("draft_reply")
        if obj.status == "replied":
            actions.add("record_rating")
    if lead and _has(user, "proposal.approve"):
        actions.add("view")
    return actions


def proposal_unit_actions(*, user, obj) -> set[str]:
    """A co-unit's share (`obj` a ProposalUnit of role "co"): its own unit gives its view or asks to be
    released; the assigning body decides such a request."""
    actions = set()
    if obj.role == "co" and obj.active and unit_is_users(user, obj.unit) and _has(user, "proposal.reply"):
        if obj.status == "assigned":
            actions |= {"view_submit", "request_return"}
    if obj.status == "return_requested" and _manager(user, obj.proposal):
        actions.add("decide_return")
    return actions


def proposal_reply_actions(*, user, obj) -> set[str]:
    """A reply (`obj` a ProposalReply): the lead unit edits its draft, approves (签发) and issues it."""
    actions = set()
    if not unit_is_users(user, obj.unit) or obj.unit_id != obj.proposal.lead_unit_id:
        return actions
    if obj.proposal.status not in ("assigned", "rereplying"):
        return actions
    if obj.status == "draft" and _has(user, "proposal.reply"):
        actions.add("edit")
    if obj.status == "draft" and _has(user, "proposal.approve"):
        actions.add("approve")
    if obj.status == "approved" and _has(user, "proposal.approve"):
        actions.add("issue")
    return actions


# ---------------------------------------------------------------- disclosure requests


def disclosure_request_actions(*, user, obj) -> set[str]:
    """What `user` may do with request `obj` (inside his scope; None: registering a new one). The events the
    request's state allows come from rules.EVENT_FROM; "extended" also needs the disclosure office head's consent
    (disclosure_request.approve)."""
    from fazhi.requests import rules

    if obj is None:
        handle = _has(user, "disclosure_request.handle") and bool(user.unit_id)
        return ({"view"} if _has(user, "disclosure_request.view") else set()) | ({"create"} if handle else set())
    actions = {"view"} if _has(user, "disclosure_request.view") else set()
    if _has(user, "disclosure_request.handle") and unit_is_users(user, obj.agency):
        actions |= {"view", "reveal"}
        for kind, states in rules.EVENT_FROM.items():
            if obj.status in states and (kind != "extended" or _has(user, "disclosure_request.approve")):
                actions.add(kind)
        if obj.status == "processing" and obj.correction_requested_on:
            actions.discard("correction_requested")  # 一次性告知 (第三十条)
    if "view" in actions and _has(user, "personal.reveal"):
        actions.add("reveal")
    return actions
