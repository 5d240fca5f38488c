"""Excel import of a session's suggestions or proposals through the generic importer of fazhi.core.imports (template,
dry-run preview, all-or-nothing write, error list by row and column): 会议届次 | 编号 | 标题 | 提出人 | 内容 |
主办单位 | 协办单位 | 交办日期. A row with a lead unit is registered and assigned in one go, through the same services
as the pages and the API."""

import re

from fazhi.core import imports
from fazhi.core.imports import Column, Importer, parse_day, parse_list
from fazhi.core.normalize import clean_text

# 王建国（东城区代表团）、李秀英(西城区代表团)、张伟
_PROPOSER = re.compile(r"^(?P<name>[^（(]+)(?:[（(](?P<delegation>[^）)]*)[）)])?$")


def parse_proposers(value) -> list[dict]:
    """Names separated by 、，; each may carry its delegation or sector in brackets; the first is the lead."""
    out = []
    for part in re.split(r"[、，,；;\n]+", clean_text(value)):
        part = part.strip()
        m = _PROPOSER.match(part) if part else None
        if m:
            out.append({"name": m["name"].strip(), "delegation": (m["delegation"] or "").strip()})
    return out


class ProposalImporter(Importer):
    key = "proposals"
    title = "建议提案"
    permission = "proposal.manage"
    list_url_name = "requests:proposal_list"
    columns = [
        Column(
            "会议届次", "session", True, example="示例市第十八届人民代表大会第五次会议", help="须已在“会议届次”中登记"
        ),
        Column("编号", "number", True, example="0012"),
        Column("标题", "title", True, example="关于规范农贸市场计量器具管理的建议"),
        Column(
            "提出人",
            "proposers",
            True,
            parser=parse_proposers,
            example="王建国（东城区代表团）、李秀英（西城区代表团）",
            help="多人用顿号分隔，第一人为领衔人；括号内为代表团或界别",
        ),
        Column("内容", "text", True, example="建议推行智慧计量监管。"),
        Column("主办单位", "lead_unit", example="示例市市场监督管理局", help="单位全称；填写则同时交办"),
        Column("协办单位", "co_units", parser=parse_list, example="", help="单位全称，多个用顿号分隔"),
        Column("交办日期", "assigned_on", parser=parse_day, example="2026-03-20", help="不填为今天"),
    ]

    def save_row(self, data, *, by, ip=None):
        from fazhi.core.errors import DomainError
        from fazhi.requests import selectors, services
        from fazhi.requests.models import Session

        session = Session.objects.filter(name=data["session"]).first()
        if session is None:
            raise DomainError(f"会议届次“{data['session']}”不存在，请先登记", field="session")
        lead = selectors.unit_by_name(name=data["lead_unit"], field="lead_unit") if data["lead_unit"] else None
        co = [selectors.unit_by_name(name=n, field="co_units") for n in data["co_units"] or []]
        if co and lead is None:
            raise DomainError("填写协办单位的，须同时填写主办单位", field="lead_unit")
        proposal = services.proposal_register(
            by=by,
            session=session,
            number=data["number"],
            title=data["title"],
            text=data["text"],
            proposers=data["proposers"],
            registered_on=data["assigned_on"] or None,
        )
        if lead is not None:
            proposal = services.proposal_assign(
                by=by, proposal=proposal, lead_unit=lead, co_units=co, on=data["assigned_on"] or None
            )
        return proposal


imports.register(ProposalImporter())
