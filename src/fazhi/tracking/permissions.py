"""Permissions of 督办: the inbox, tracked items and their timelines, supervision tasks."""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("inbox.view", "我的待办", "督办"),
            Permission("task.view", "查看督导任务", "督办"),
            Permission("task.manage", "创建、分解、验收督导任务", "督办"),
            Permission("task.report", "填报督导任务进展", "督办"),
            Permission("dashboard.view", "查看看板", "督办"),
            Permission("timeline.verify", "校验督办时间线", "系统"),
        ],
        menu=[
            MenuEntry("我的待办", "tracking:inbox", "inbox.view", "工作台"),
            MenuEntry("督导任务", "tracking:task_list", "task.view", "督办"),
            MenuEntry("任务看板", "tracking:task_board", "task.view", "督办"),
            MenuEntry("时间线校验", "tracking:verify", "timeline.verify", "系统管理"),
        ],
        grants={
            "admin": ["inbox.view", "task.view"],
            "audit_admin": ["timeline.verify"],
            "supervisor": ["inbox.view", "task.view", "task.manage", "dashboard.view", "timeline.verify"],
            "agency_legal": ["inbox.view", "task.view", "task.report"],
            "officer": ["inbox.view"],
            "invited_supervisor": ["inbox.view"],
            "leader": ["inbox.view", "task.view", "dashboard.view"],
        },
    )


# The predicate of task assignments is tracking.selectors.assignment_actions (it reads the assignment's
# state as well as the user); it is re-exported here so that every app's predicates live in permissions.py.
from fazhi.tracking.selectors import assignment_actions  # noqa: E402, F401
