"""The published draw parameters (canonical JSON, hashed into the commitment) told in plain Chinese."""

import json

from django import template

from fazhi.inspections.models import RISK_LABELS

register = template.Library()


def _percent(basis_points: int) -> str:
    return f"{basis_points / 100:g}%"


@register.filter
def draw_params_text(params: str) -> list[str]:
    """One line per parameter, e.g. "抽取比例：低风险 5%、高风险 50%"; [] when the text is not the JSON we wrote."""
    try:
        data = json.loads(params or "")
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    lines = []
    proportions = data.get("proportions") or {}
    if proportions:
        shares = "、".join(
            f"{RISK_LABELS.get(level, level)} {_percent(int(bp))}" for level, bp in sorted(proportions.items())
        )
        lines.append(f"抽取比例（按风险等级）：{shares}")
    if data.get("per_enterprise"):
        lines.append(f"每户企业检查人员：{int(data['per_enterprise'])} 名")
    if data.get("agencies"):
        from fazhi.registry.models import Agency

        names = dict(Agency.objects.filter(pk__in=data["agencies"]).values_list("pk", "unit__name"))
        lead = names.get(data.get("lead"), "")
        others = [names.get(pk, f"#{pk}") for pk in data["agencies"] if pk != data.get("lead")]
        lines.append(f"联合抽查：牵头部门 {lead or '#' + str(data.get('lead'))}；参与部门 {'、'.join(others) or '无'}")
    scopes = data.get("scope") or []
    items = {}
    if scopes:
        from fazhi.inspections.models import InspectionItem

        items = dict(InspectionItem.objects.filter(pk__in=[s.get("item") for s in scopes]).values_list("pk", "name"))
    for scope in scopes:
        industries = "、".join(scope.get("industries") or []) or "不限"
        levels = "、".join(RISK_LABELS.get(level, level) for level in scope.get("risk_levels") or []) or "不限"
        item = items.get(scope.get("item"), f"#{scope.get('item')}")
        lines.append(f"候选企业范围（{item}）：行业代码 {industries}；风险等级 {levels}")
    if "scope" in data and not data["scope"]:
        lines.append("候选企业范围：名录内全部企业")
    return lines
