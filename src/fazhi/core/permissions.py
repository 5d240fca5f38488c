"""Function permissions and the menu they open. A role grants a set of these codes plus a data scope.

Later modules add their codes here so that the role editor lists every one of them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Permission:
    code: str
    label: str
    group: str


PERMISSIONS: list[Permission] = [
    Permission("org.view", "查看组织机构", "组织机构"),
    Permission("org.manage", "维护行政区划和单位", "组织机构"),
    Permission("user.manage", "维护用户", "用户与角色"),
    Permission("role.manage", "维护角色", "用户与角色"),
    Permission("log.view", "查看登录日志和操作日志", "系统"),
    Permission("calendar.manage", "维护工作日历", "系统"),
    Permission("timeline.verify", "校验督办时间线", "系统"),
    Permission("workdays.use", "使用期限计算器", "督办"),
    Permission("inbox.view", "我的待办", "督办"),
    Permission("task.view", "查看督导任务", "督办"),
    Permission("task.manage", "创建、分解、验收督导任务", "督办"),
    Permission("task.report", "填报督导任务进展", "督办"),
    Permission("dashboard.view", "查看看板", "督办"),
    Permission("registry.view", "查看执法主体、权责清单、执法人员", "行政执法"),
    Permission("registry.manage", "维护执法主体、权责清单、执法人员", "行政执法"),
    Permission("case.view", "查看行政处罚案件", "行政执法"),
    Permission("case.handle", "登记和办理行政处罚案件", "行政执法"),
    Permission("case.supervise", "案件风险预警与合规统计", "行政执法"),
    Permission("disclosure.manage", "执法决定公示与撤回", "行政执法"),
    Permission("complaint.view", "查看投诉举报", "投诉举报"),
    Permission("complaint.triage", "投诉受理、交办、审核答复、合并、转办", "投诉举报"),
    Permission("complaint.handle", "办理并答复交办的投诉", "投诉举报"),
    Permission("complaint.import", "导入和推送12345热线工单", "投诉举报"),
    Permission("complaint.stats", "投诉举报统计", "投诉举报"),
    Permission("clue.create", "登记问题线索", "投诉举报"),
    Permission("inspection.view", "查看市场主体、抽查计划、抽取和检查记录", "双随机、一公开"),
    Permission("inspection.manage", "维护抽查事项、检查人员库、计划，抽取和登记检查记录", "双随机、一公开"),
    Permission("inspection.supervise", "涉企检查频次监测、企业安静生产日", "双随机、一公开"),
]
PERMISSION_CODES = {p.code for p in PERMISSIONS}


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    permission: str
    group: str


MENU: list[MenuEntry] = [
    MenuEntry("我的待办", "tracking:inbox", "inbox.view", "工作台"),
    MenuEntry("督导任务", "tracking:task_list", "task.view", "督办"),
    MenuEntry("任务看板", "tracking:task_board", "task.view", "督办"),
    MenuEntry("期限计算器", "workdays:calculator", "workdays.use", "督办"),
    MenuEntry("执法主体", "enforcement:agency_list", "registry.view", "行政执法"),
    MenuEntry("权责清单", "enforcement:power_item_list", "registry.view", "行政执法"),
    MenuEntry("执法人员", "enforcement:officer_list", "registry.view", "行政执法"),
    MenuEntry("行政处罚案件", "enforcement:case_list", "case.view", "行政执法"),
    MenuEntry("风险预警", "enforcement:warning_list", "case.supervise", "行政执法"),
    MenuEntry("合规统计", "enforcement:compliance", "case.supervise", "行政执法"),
    MenuEntry("投诉举报", "complaints:list", "complaint.view", "投诉举报"),
    MenuEntry("登记问题线索", "complaints:clue_create", "clue.create", "投诉举报"),
    MenuEntry("12345工单导入", "complaints:hotline_import", "complaint.import", "投诉举报"),
    MenuEntry("投诉统计", "complaints:stats", "complaint.stats", "投诉举报"),
    MenuEntry("市场主体", "inspections:enterprise_list", "inspection.view", "双随机、一公开"),
    MenuEntry("抽查计划", "inspections:plan_list", "inspection.view", "双随机、一公开"),
    MenuEntry("检查人员库", "inspections:pool_list", "inspection.view", "双随机、一公开"),
    MenuEntry("检查记录", "inspections:record_list", "inspection.view", "双随机、一公开"),
    MenuEntry("检查频次监测", "inspections:burden", "inspection.supervise", "双随机、一公开"),
    MenuEntry("企业安静生产日", "inspections:quiet_day_list", "inspection.view", "双随机、一公开"),
    MenuEntry("行政区划", "core:division_list", "org.manage", "系统管理"),
    MenuEntry("单位", "core:unit_list", "org.manage", "系统管理"),
    MenuEntry("用户", "core:user_list", "user.manage", "系统管理"),
    MenuEntry("角色", "core:role_list", "role.manage", "系统管理"),
    MenuEntry("工作日历", "workdays:override_list", "calendar.manage", "系统管理"),
    MenuEntry("时间线校验", "tracking:verify", "timeline.verify", "系统管理"),
    MenuEntry("登录日志", "core:login_log", "log.view", "系统管理"),
    MenuEntry("操作日志", "core:operation_log", "log.view", "系统管理"),
]

# The built-in roles of design.md §1: code -> (name, data scope, permissions).
DEFAULT_ROLES: dict[str, tuple[str, str, list[str]]] = {
    "admin": (
        "系统管理员",
        "all",
        [
            "org.view",
            "org.manage",
            "user.manage",
            "role.manage",
            "log.view",
            "calendar.manage",
            "timeline.verify",
            "workdays.use",
            "inbox.view",
            "task.view",
        ],
    ),
    "supervisor": (
        "监督人员",
        "all",
        [
            "org.view",
            "workdays.use",
            "inbox.view",
            "task.view",
            "task.manage",
            "dashboard.view",
            "timeline.verify",
            "registry.view",
            "registry.manage",
            "case.view",
            "case.supervise",
            "disclosure.manage",
            "inspection.view",
            "inspection.supervise",
        ],
    ),
    "agency_legal": (
        "部门法制员",
        "subtree",
        [
            "org.view",
            "workdays.use",
            "inbox.view",
            "task.view",
            "task.report",
            "registry.view",
            "registry.manage",
            "case.view",
            "case.handle",
            "disclosure.manage",
            "inspection.view",
            "inspection.manage",
        ],
    ),
    "officer": (
        "执法人员",
        "self",
        ["workdays.use", "inbox.view", "registry.view", "case.view", "case.handle", "inspection.view"],
    ),
    "invited_supervisor": ("特邀监督员", "self", ["inbox.view"]),
    "leader": (
        "领导",
        "all",
        [
            "org.view",
            "inbox.view",
            "task.view",
            "dashboard.view",
            "registry.view",
            "case.view",
            "case.supervise",
            "inspection.view",
            "inspection.supervise",
        ],
    ),
}

# 投诉举报 (complaints): grants added in one block so that edits of the role lists above do not collide.
for _role, _codes in {
    "supervisor": ["complaint.view", "complaint.triage", "complaint.import", "complaint.stats", "clue.create"],
    "agency_legal": ["complaint.view", "complaint.handle", "complaint.stats", "clue.create"],
    "invited_supervisor": ["clue.create"],
    "leader": ["complaint.view", "complaint.stats"],
}.items():
    DEFAULT_ROLES[_role][2].extend(c for c in _codes if c not in DEFAULT_ROLES[_role][2])
