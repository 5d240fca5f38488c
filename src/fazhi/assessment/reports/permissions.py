"""Permissions of 通报与年度报告.

- `report.view`: read the reports of units in one's scope and every published 季度通报 (published internally);
- `report.manage`: generate the 季度通报 and the government's annual report, review and approve annual reports,
  publish (监督人员 of the Justice Bureau);
- `report.edit`: draft and submit one's own unit's annual report (部门法制员).
"""

from fazhi.assessment.reports import rules
from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "法治建设考核"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("report.view", "查看季度通报和法治政府建设年度报告", GROUP),
            Permission("report.manage", "生成季度通报，审核、批准和发布年度报告", GROUP),
            Permission("report.edit", "起草、提交本单位法治政府建设年度报告", GROUP),
        ],
        menu=[MenuEntry("通报与年度报告", "assessment:reports:report_list", "report.view", GROUP)],
        grants={
            "supervisor": ["report.view", "report.manage"],
            "agency_legal": ["report.view", "report.edit"],
            "leader": ["report.view"],
        },
    )


def may_manage(user) -> bool:
    from fazhi.core.scope import has_permission, user_data_scope

    scope = user_data_scope(user)
    return has_permission(user, "report.manage") and scope != "self" and (scope == "all" or bool(user.unit_id))


def report_actions(*, user, obj) -> set[str]:
    from fazhi.assessment.oversight.permissions import unit_in_scope
    from fazhi.core.scope import has_permission

    viewer = any(has_permission(user, c) for c in ("report.view", "report.manage", "report.edit"))
    if obj is None:
        actions = {"view"} if viewer else set()
        if may_manage(user):
            actions |= {"generate_bulletin", "generate_annual"}
        if has_permission(user, "report.edit") and user.unit_id:
            actions.add("generate_own")
        return actions
    actions = {"view"} if viewer else set()
    manager = may_manage(user) and unit_in_scope(user, obj.unit)
    own = has_permission(user, "report.edit") and user.unit_id == obj.unit_id
    if obj.kind == rules.BULLETIN:
        if manager and obj.status == rules.DRAFT:
            actions |= {"edit", "regenerate", "publish"}
        return actions
    if obj.status in rules.EDITABLE and (own or manager):
        actions |= {"edit", "regenerate", "submit"}
    if manager and obj.status == rules.REVIEW:
        actions |= {"approve", "return"}
    if manager and obj.status == rules.APPROVED:
        actions.add("publish")
    return actions
