"""Permissions of 依法决策 and the one predicate per entity that pages, the API and the services all read.

Codes: the lead unit (承办单位) and the drafting unit (起草单位) work with `decision.manage` / `normative.manage`; the
Justice Bureau reviews legality (`decision.review`, `normative.review`: legality review, 统一登记编号, cleanups,
incidental reviews); `decision.organ` acts for the decision organ (catalogue, 党委 consent, collective discussion,
publication, post-evaluation); the government office and the leaders read everything (`*.view`, scope 全部).

A predicate returns what the user may do *now*: his roles on the object (permission + data scope) cut by the state
gates of rules.py. Services check the role part again (Forbidden when missing) and answer a wrong state with a
DomainError naming what is missing."""

from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "依法决策"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("decision.view", "查看重大行政决策和决策事项目录", GROUP),
            Permission("decision.manage", "承办重大行政决策（公众参与、专家论证、风险评估、送审、执行报告）", GROUP),
            Permission("decision.review", "重大行政决策合法性审查", GROUP),
            Permission("decision.organ", "决策机关事务（目录编制与公布、集体讨论、决策公布、后评估）", GROUP),
            Permission("normative.view", "查看行政规范性文件、备案统计、清理和附带审查", GROUP),
            Permission("normative.manage", "起草、报审、审议、公布、报备行政规范性文件", GROUP),
            Permission("normative.review", "规范性文件合法性审核、统一登记编号、清理、附带审查", GROUP),
        ],
        menu=[
            MenuEntry("决策事项目录", "rulemaking:catalogue_list", "decision.view", GROUP),
            MenuEntry("重大行政决策", "rulemaking:decision_list", "decision.view", GROUP),
            MenuEntry("行政规范性文件", "rulemaking:normative_list", "normative.view", GROUP),
            MenuEntry("备案统计", "rulemaking:filing_stats", "normative.view", GROUP),
            MenuEntry("规范性文件清理", "rulemaking:cleanup_list", "normative.view", GROUP),
            MenuEntry("附带审查", "rulemaking:incidental_list", "normative.view", GROUP),
        ],
        grants={
            "supervisor": ["decision.view", "decision.review", "decision.organ", "normative.view", "normative.review"],
            "agency_legal": ["decision.view", "decision.manage", "normative.view", "normative.manage"],
            "leader": ["decision.view", "normative.view"],
        },
    )


# ---------------------------------------------------------------- roles on an object


def unit_in_scope(user, unit) -> bool:
    """The unit is one the user's data scope reaches (core.scope.scope_q on one object)."""
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None:
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def keeps(user, code: str, *units) -> bool:
    """The user holds `code` with a unit-wide scope reaching one of `units` (these are the unit's records; the
    本人 scope keeps none)."""
    from fazhi.core.scope import has_permission, user_data_scope

    return (
        has_permission(user, code)
        and user_data_scope(user) != "self"
        and any(u is not None and unit_in_scope(user, u) for u in units)
    )


def keeps_some(user, code: str) -> bool:
    from fazhi.core.scope import has_permission, user_data_scope

    scope = user_data_scope(user)
    return has_permission(user, code) and scope != "self" and (scope == "all" or bool(user.unit_id))


def _sees(user, code: str, *units) -> bool:
    from fazhi.core.scope import has_permission

    return has_permission(user, code) and any(u is not None and unit_in_scope(user, u) for u in units)


# ---------------------------------------------------------------- catalogues


def catalogue_actions(*, user, obj) -> set[str]:
    """A catalogue is published: every holder of decision.view reads it. The organ's office compiles it, records
    the 党委's consent, publishes and adjusts it (`obj` None: a new one)."""
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "decision.view") or has_permission(user, "decision.organ") else set()
    if obj is None:
        return actions | ({"create"} if keeps_some(user, "decision.organ") else set())
    if keeps(user, "decision.organ", obj.organ):
        actions.add("view")
        if obj.status == "draft":
            actions |= {"include", "consent"}
        elif obj.status == "consented":
            actions |= {"include", "publish"}
        else:
            actions.add("adjust")
    return actions


# ---------------------------------------------------------------- decisions


def decision_roles(*, user, obj) -> set[str]:
    """view / manage (lead unit) / review (legality reviewer) / organ (the organ's office) on this decision."""
    roles = set()
    if _sees(user, "decision.view", obj.lead_unit, obj.organ):
        roles.add("view")
    if keeps(user, "decision.manage", obj.lead_unit):
        roles |= {"view", "manage"}
    if keeps(user, "decision.review", obj.lead_unit, obj.organ):
        roles |= {"view", "review"}
    if keeps(user, "decision.organ", obj.organ):
        roles |= {"view", "organ"}
    return roles


# The steps each role takes (the services take the same role for the same step).
MANAGE_STEPS = {
    "procedures",
    "consultation_open",
    "moderate",
    "answer",
    "answers_publish",
    "hearing_plan",
    "hearing_held",
    "expert_add",
    "expert_opinion",
    "expert_complete",
    "risk",
    "review_submit",
    "review_changes",
    "execution",
}
REVIEW_STEPS = {"review_opinion"}
ORGAN_STEPS = {"discussion", "publication", "evaluation_start", "evaluation_result"}


def decision_actions(*, user, obj) -> set[str]:
    """`obj` None: may the user propose a decision ("create")."""
    if obj is None:
        from fazhi.core.scope import has_permission

        return ({"view"} if has_permission(user, "decision.view") else set()) | (
            {"create"} if keeps_some(user, "decision.manage") else set()
        )
    from fazhi.rulemaking.selectors import decision_open_steps

    roles = decision_roles(user=user, obj=obj)
    if not roles:
        return set()
    actions = {"view", "file"}
    open_steps = decision_open_steps(obj)
    if "manage" in roles:
        actions |= open_steps & MANAGE_STEPS
    if "review" in roles:
        actions |= open_steps & REVIEW_STEPS
    if "organ" in roles:
        actions |= open_steps & ORGAN_STEPS
    return actions


# ---------------------------------------------------------------- normative documents


def normative_roles(*, user, obj) -> set[str]:
    roles = set()
    if _sees(user, "normative.view", obj.drafting_unit, obj.issuer):
        roles.add("view")
    if keeps(user, "normative.manage", obj.drafting_unit):
        roles |= {"view", "manage"}
    if keeps(user, "normative.review", obj.drafting_unit, obj.issuer):
        roles |= {"view", "review"}
    return roles


NORMATIVE_MANAGE = {"edit", "submit", "changes", "deliberate", "publish", "file"}
NORMATIVE_REVIEW = {"review", "extend", "register", "publish", "repeal"}


def normative_actions(*, user, obj) -> set[str]:
    if obj is None:
        from fazhi.core.scope import has_permission

        return ({"view"} if has_permission(user, "normative.view") else set()) | (
            {"create"} if keeps_some(user, "normative.manage") else set()
        )
    from fazhi.rulemaking.selectors import normative_open_steps

    roles = normative_roles(user=user, obj=obj)
    if not roles:
        return set()
    actions = {"view"}
    steps = normative_open_steps(obj)
    if "manage" in roles:
        actions |= steps & NORMATIVE_MANAGE
    if "review" in roles:
        actions |= steps & NORMATIVE_REVIEW
    return actions


# ---------------------------------------------------------------- cleanups


def cleanup_actions(*, user, obj) -> set[str]:
    """A cleanup campaign's results are public; the Justice Bureau organises and publishes it (`obj` None: new)."""
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "normative.view") else set()
    if obj is None:
        return actions | ({"create"} if keeps_some(user, "normative.review") else set())
    if obj.status == "open" and keeps(user, "normative.review", obj.organiser):
        actions |= {"view", "add_documents", "publish"}
    return actions


def cleanup_entry_actions(*, user, obj) -> set[str]:
    """An entry is decided by the drafting unit of its document or by the organiser, while the campaign is open."""
    if obj.campaign.status != "open":
        return set()
    if keeps(user, "normative.manage", obj.document.drafting_unit) or keeps(
        user, "normative.review", obj.campaign.organiser
    ):
        return {"decide"}
    return set()


# ---------------------------------------------------------------- incidental reviews


def incidental_roles(*, user, obj) -> set[str]:
    roles = set()
    if _sees(user, "normative.view", obj.unit, obj.maker_unit):
        roles.add("view")
    if keeps(user, "normative.review", obj.unit):
        roles |= {"view", "handle"}
    if obj.maker_unit is not None and keeps(user, "normative.manage", obj.maker_unit):
        roles |= {"view", "maker"}
    return roles


def incidental_actions(*, user, obj) -> set[str]:
    if obj is None:
        from fazhi.core.scope import has_permission

        return ({"view"} if has_permission(user, "normative.view") else set()) | (
            {"create"} if keeps_some(user, "normative.review") else set()
        )
    from fazhi.rulemaking.selectors import incidental_open_steps

    roles = incidental_roles(user=user, obj=obj)
    if not roles:
        return set()
    actions = {"view"}
    steps = incidental_open_steps(obj)
    if "handle" in roles:
        actions |= steps  # the handling body also records an answer the maker sent on paper
    elif "maker" in roles:
        actions |= steps & {"answer"}
    return actions
