"""Permissions of 投诉举报: intake, triage, handling, the hotline, statistics."""

from fazhi.core.permissions import MenuEntry, Permission, register


def register_permissions() -> None:
    register(
        permissions=[
            Permission("complaint.view", "查看投诉举报", "投诉举报"),
            Permission("complaint.triage", "投诉受理、交办、审核答复、合并、转办", "投诉举报"),
            Permission("complaint.handle", "办理并答复交办的投诉", "投诉举报"),
            Permission("complaint.import", "导入和推送12345热线工单", "投诉举报"),
            Permission("complaint.stats", "投诉举报统计", "投诉举报"),
            Permission("clue.create", "登记问题线索", "投诉举报"),
        ],
        menu=[
            MenuEntry("投诉举报", "complaints:list", "complaint.view", "投诉举报"),
            MenuEntry("登记问题线索", "complaints:clue_create", "clue.create", "投诉举报"),
            MenuEntry("12345工单导入", "complaints:hotline_import", "complaint.import", "投诉举报"),
            MenuEntry("投诉统计", "complaints:stats", "complaint.stats", "投诉举报"),
        ],
        grants={
            "supervisor": ["complaint.view", "complaint.triage", "complaint.import", "complaint.stats", "clue.create"],
            "agency_legal": ["complaint.view", "complaint.handle", "complaint.stats", "clue.create"],
            "invited_supervisor": ["clue.create"],
            "leader": ["complaint.view", "complaint.stats"],
        },
    )
