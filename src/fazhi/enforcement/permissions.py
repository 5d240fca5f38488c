"""Permissions of enforcement: the registry (agencies, power lists, officers) and penalty cases."""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("registry.view", "查看执法主体、权责清单、执法人员", "行政执法"),
            Permission("registry.manage", "维护执法主体、权责清单、执法人员", "行政执法"),
            Permission("case.view", "查看行政处罚案件", "行政执法"),
            Permission("case.handle", "登记和办理行政处罚案件", "行政执法"),
            Permission("case.supervise", "案件风险预警与合规统计", "行政执法"),
            Permission("disclosure.manage", "执法决定公示与撤回", "行政执法"),
        ],
        menu=[
            MenuEntry("执法主体", "enforcement:agency_list", "registry.view", "行政执法"),
            MenuEntry("权责清单", "enforcement:power_item_list", "registry.view", "行政执法"),
            MenuEntry("执法人员", "enforcement:officer_list", "registry.view", "行政执法"),
            MenuEntry("行政处罚案件", "enforcement:case_list", "case.view", "行政执法"),
            MenuEntry("风险预警", "enforcement:warning_list", "case.supervise", "行政执法"),
            MenuEntry("合规统计", "enforcement:compliance", "case.supervise", "行政执法"),
        ],
        grants={
            "supervisor": ["registry.view", "registry.manage", "case.view", "case.supervise", "disclosure.manage"],
            "agency_legal": ["registry.view", "registry.manage", "case.view", "case.handle", "disclosure.manage"],
            "officer": ["registry.view", "case.view", "case.handle"],
            "leader": ["registry.view", "case.view", "case.supervise"],
        },
    )
