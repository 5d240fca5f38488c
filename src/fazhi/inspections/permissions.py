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
