"""The problem list of a campaign from Excel (问题清单导入): one row per problem, checked as a whole and written all
or nothing (fazhi.core.imports), with a dry run first."""

import datetime as dt

from fazhi.core.errors import DomainError
from fazhi.core.imports import Column, Importer, parse_day, parse_list, parse_text


class ProblemImporter(Importer):
    key = "oversight_problems"
    title = "督察问题清单"
    permission = "oversight.manage"
    list_url_name = "assessment:oversight:campaign_list"
    unit = "个问题"
    columns = [
        Column("问题方面", "aspect", required=True, example="重大行政决策方面"),
        Column("问题描述", "description", required=True, example="部分重大行政决策未按规定开展风险评估"),
        Column("整改要求", "requirement", example="完善决策程序，补齐风险评估"),
        Column("责任单位", "units", required=True, parser=parse_list, example="示例市市场监督管理局、示例市生态环境局"),
        Column("整改期限", "deadline", required=True, parser=parse_day, example="2027-06-30"),
        Column(
            "关联类型", "basis_kind", parser=parse_text, example="case", help="可选：case、complaint、instrument 等"
        ),
        Column("关联编号", "basis_id", parser=parse_text, example=""),
    ]

    def __init__(self, campaign=None, *, today: dt.date | None = None):
        self.campaign = campaign
        self.today = today
        self._units = {}
        for u in campaign.units.all() if campaign is not None else ():
            self._units[u.name] = u
            if u.short_name:
                self._units.setdefault(u.short_name, u)

    def save_row(self, data: dict, *, by, ip=None):
        from fazhi.assessment.oversight.services import problem_add

        units = []
        for name in data["units"] or []:
            unit = self._units.get(name)
            if unit is None:
                raise DomainError(f"“{name}”不是本次督察的被督察单位", field="units")
            units.append(unit)
        bases = [(data.get("basis_kind") or "", data.get("basis_id") or "")] if data.get("basis_kind") else []
        return problem_add(
            by=by,
            campaign=self.campaign,
            aspect=data["aspect"],
            description=data["description"],
            requirement=data.get("requirement") or "",
            units=units,
            deadline=data["deadline"],
            bases=bases,
            today=self.today,
            ip=ip,
        )
