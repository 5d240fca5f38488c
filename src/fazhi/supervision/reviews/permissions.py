"""Permissions of 行政执法案卷评查: codes, menu, grants, and one `<entity>_actions` predicate per entity.

- `review.view`: see campaigns, rubrics and the files one may see (see `selectors.file_visible_q`);
- `review.manage`: the Justice Bureau's supervisors: rubrics (with the 全部 scope: rubrics are jurisdiction-wide),
  campaigns of their unit (sample, reviewers, assignment, publication, report, 评查意见, sign-off of rectification);
- `review.score`: reviewers (supervisors, agency legal officers, invited supervisors) score the files assigned to them;
- `review.rectify`: the agency's legal officer reports the rectification of an 评查意见 (the act permission of the
  rectification item on the tracking core).
"""

from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "执法监督"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("review.view", "查看案卷评查活动、评查标准、评查结果", GROUP),
            Permission(
                "review.manage", "维护评查标准，组织评查活动（抽样、分配、裁定、公布、评查意见、整改销号）", GROUP
            ),
            Permission("review.score", "评查分配给本人的案卷（评分）", GROUP),
            Permission("review.rectify", "报送案卷评查意见的整改情况", GROUP),
        ],
        menu=[
            MenuEntry("案卷评查", "supervision:reviews:campaign_list", "review.view", GROUP),
            MenuEntry("我的评查案卷", "supervision:reviews:file_list", "review.score", GROUP),
            MenuEntry("评查标准", "supervision:reviews:rubric_list", "review.view", GROUP),
            MenuEntry("评查意见与整改", "supervision:reviews:opinion_list", "review.view", GROUP),
        ],
        grants={
            "supervisor": ["review.view", "review.manage", "review.score"],
            "agency_legal": ["review.view", "review.score", "review.rectify"],
            "invited_supervisor": ["review.view", "review.score"],
            "leader": ["review.view"],
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
    """The unit is one the user's (unit-wide) data scope reaches; the 本人 scope reaches no unit."""
    scope = _scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def campaign_manager(*, user, campaign) -> bool:
    """The user runs this campaign: review.manage with its organising unit inside a unit-wide scope."""
    return bool(campaign is not None and _has(user, "review.manage") and unit_in_scope(user, campaign.owner_unit))


# ---------------------------------------------------------------- predicates


def rubric_actions(*, user, obj) -> set[str]:
    """Rubrics are one set for the whole jurisdiction: every review user reads them; only a manager with the 全部
    scope defines them. A rubric a campaign uses is frozen ("edit" withheld): a change is a new version."""
    actions = {"view", "export"} if _has(user, "review.view") else set()
    if _has(user, "review.manage") and _scope(user) == "all":
        actions |= {"view", "create"}
        if obj is not None:
            actions.add("version")
            if not getattr(obj, "frozen", obj.campaigns.exists()):
                actions.add("edit")
    return actions


def campaign_actions(*, user, obj) -> set[str]:
    """A campaign the user sees (`obj` None: the list / a new one). Everyone who sees it gets its summary and
    report once the results are published; its manager runs it, by the state gates rules.CAMPAIGN_*."""
    from fazhi.supervision.reviews import rules

    actions = {"view"} if _has(user, "review.view") else set()
    if obj is None:
        if _has(user, "review.manage") and _scope(user) != "self" and (_scope(user) == "all" or user.unit_id):
            actions |= {"view", "create"}
        return actions
    if "view" in actions and obj.status in rules.CAMPAIGN_PUBLISHED:
        actions |= {"summary", "documents"}
    if not campaign_manager(user=user, campaign=obj):
        return actions
    actions |= {"view", "summary", "documents", "files"}
    status = obj.status
    if status in rules.CAMPAIGN_POOL_EDITABLE:
        actions.add("pool")
    if status in rules.CAMPAIGN_COMMITTABLE:
        actions.add("commit")
    if status in rules.CAMPAIGN_DRAWABLE:
        actions.add("draw")
    if status in rules.CAMPAIGN_REVIEWING:
        actions |= {"assign", "publish", "report"}
    if status in rules.CAMPAIGN_PUBLISHED:
        actions |= {"report", "opinions"}
    return actions


def file_actions(*, user, obj) -> set[str]:
    """A review file the user sees (selectors.file_get). "score": his own sheet is still open; "assign": the
    campaign's manager while it is under review; "resolve": the campaign lead when the two reviewers disagree;
    "document": the score sheet once the file is final (for the agency: once published)."""
    from fazhi.supervision.reviews import rules

    actions = {"view"} if _has(user, "review.view") or _has(user, "review.score") else set()
    campaign = obj.campaign
    reviewing = campaign.status in rules.CAMPAIGN_REVIEWING
    mine = user.pk in (obj.reviewer_id, obj.second_reviewer_id)
    if mine and _has(user, "review.score") and reviewing and obj.status in rules.FILE_OPEN:
        sheet = next((s for s in obj.sheets.all() if s.reviewer_id == user.pk), None)
        if sheet is None or sheet.status == "draft":
            actions.add("score")
    manager = campaign_manager(user=user, campaign=campaign)
    if manager and reviewing and obj.status in rules.FILE_OPEN:
        actions.add("assign")
    if (
        obj.status == "disagreement"
        and reviewing
        and (user.pk == campaign.lead_id or (campaign.lead_id is None and manager))
    ):
        actions.add("resolve")
    if obj.status == "final" and (manager or mine or campaign.status == "published"):
        actions.add("document")
    if manager:
        actions.add("sheets")  # every sheet of the file, not only one's own
    return actions


def opinion_actions(*, user, obj) -> set[str]:
    """An 评查意见 and its rectification item: the agency ("report", with review.rectify and the agency in a
    unit-wide scope), the campaign's manager ("signoff", "return")."""
    from fazhi.supervision.reviews import rules

    actions = {"view"} if _has(user, "review.view") else set()
    if obj is None:
        return actions
    if _has(user, "review.rectify") and unit_in_scope(user, obj.agency.unit) and obj.status in rules.OPINION_REPORTABLE:
        actions.add("report")
    if campaign_manager(user=user, campaign=obj.campaign) and obj.status in rules.OPINION_REVIEWABLE:
        actions |= {"signoff", "return"}
    return actions
