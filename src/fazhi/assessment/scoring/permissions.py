"""Permissions of 考核评价.

- `assessment.view`: read the runs within one's scope — a unit its own scores and evidence once published, a
  leader (scope 全部) everything, read-only;
- `assessment.manage`: frameworks, runs, computing, review and manual scoring, appeals, finalising (监督人员,
  the assessors: they see the units of the groups their scope reaches);
- `assessment.appeal`: file a 申诉 for one's own unit (部门法制员).
"""

from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "法治建设考核"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("assessment.view", "查看考核结果（本单位得分与佐证）", GROUP),
            Permission("assessment.manage", "管理指标体系，组织考核、评分、处理申诉、定档", GROUP),
            Permission("assessment.appeal", "对本单位考核得分提出申诉", GROUP),
        ],
        menu=[
            MenuEntry("考核结果", "assessment:scoring:run_list", "assessment.view", GROUP),
            MenuEntry("指标体系", "assessment:scoring:framework_list", "assessment.manage", GROUP),
            MenuEntry("计算指标", "assessment:scoring:source_list", "assessment.manage", GROUP),
        ],
        grants={
            "supervisor": ["assessment.view", "assessment.manage"],
            "agency_legal": ["assessment.view", "assessment.appeal"],
            "leader": ["assessment.view"],
        },
    )


def is_assessor(user) -> bool:
    """Scores the units his data scope reaches (an assessor of the groups under him)."""
    from fazhi.core.scope import has_permission, user_data_scope

    return has_permission(user, "assessment.manage") and user_data_scope(user) != "self"


def is_organiser(user) -> bool:
    """Runs the jurisdiction's assessment: frameworks, runs, publishing, appeals, finalising (scope 全部)."""
    from fazhi.core.scope import has_permission, user_data_scope

    return has_permission(user, "assessment.manage") and user_data_scope(user) == "all"


def sees_internal(user) -> bool:
    """Runs still under review are seen by assessors; every unit of a run by the 全部 scope (organiser, leader)."""
    from fazhi.core.scope import has_permission, user_data_scope

    return user_data_scope(user) == "all" and (
        has_permission(user, "assessment.view") or has_permission(user, "assessment.manage")
    )


def framework_actions(*, user, obj) -> set[str]:
    if not is_assessor(user):
        return set()
    if obj is None:
        return {"view"} | ({"create", "import"} if is_organiser(user) else set())
    actions = {"view", "export"}
    if is_organiser(user) and not obj.runs.exists():
        # A draft: no run uses it yet. Once one does, its nodes are frozen (the run's scores point at them).
        actions |= {"import", "edit"}
    return actions


def run_actions(*, user, obj) -> set[str]:
    """What the user may do with run `obj` (already visible to him; None: the list / a new run)."""
    from fazhi.core.scope import has_permission

    viewer = has_permission(user, "assessment.view") or is_assessor(user)
    if obj is None:
        return ({"view"} if viewer else set()) | ({"create"} if is_organiser(user) else set())
    actions = {"view", "export"} if viewer else set()
    if is_organiser(user):
        if obj.status == "computed":
            actions |= {"compute", "publish"}
        elif obj.status == "published":
            actions |= {"answer", "finalise"}
    return actions


def member_actions(*, user, obj) -> set[str]:
    """A unit's scores in a run (already visible): `appeal` for the unit's own legal officer while the run is
    published; `score` for an assessor whose scope reaches the unit while the run is open."""
    from fazhi.core.scope import has_permission

    actions = {"view"}
    if has_permission(user, "assessment.appeal") and user.unit_id == obj.unit_id and obj.run.status == "published":
        actions.add("appeal")
    if is_assessor(user) and obj.run.status in ("computed", "published"):
        actions.add("score")
    return actions
