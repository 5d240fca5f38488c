"""Pure rules of 双随机、一公开 and 涉企行政检查, each with its source. No I/O."""

import datetime as dt
from dataclasses import dataclass

from fazhi.inspections.draw import FULL

# 国发〔2019〕5号《关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》: 抽查检查结果通过国家企业
# 信用信息公示系统等按照“谁检查、谁录入、谁公开”的原则，自产生之日起 20 个工作日内依法向社会公示。
PUBLICATION_WORKING_DAYS = 20
PUBLICATION_SOURCE = "国发〔2019〕5号：抽查检查结果自产生之日起20个工作日内向社会公示"

# Non-plan inspections (neither drawn nor planned) must state why (涉企行政检查须有法定依据和事由).
NON_PLAN_SOURCES = ("complaint", "referral", "emergency", "other")
# 企业安静生产日: only complaint-driven and emergency inspections may enter (the local quiet-day rules
# commonly exempt 投诉举报、转办交办的违法线索 and 突发事件/安全生产事故).
QUIET_DAY_EXEMPT = ("complaint", "emergency")
SOURCE_LABELS = {"random": "双随机抽查", "complaint": "投诉举报", "referral": "转办交办", "emergency": "突发事件应急",
                 "other": "其他"}


@dataclass(frozen=True)
class QuietSpan:
    label: str  # "东城区" or "分组“高新园区”"
    start: dt.date
    end: dt.date


def quiet_day_check(*, day: dt.date, source: str, reason: str, spans: list[QuietSpan]) -> str | None:
    """The refusal message when `day` falls on a quiet day that applies, or None when the inspection may go ahead.

    A complaint-driven or emergency inspection may still go ahead, but only with its reason written down.
    """
    hit = next((s for s in spans if s.start <= day <= s.end), None)
    if hit is None:
        return None
    if source in QUIET_DAY_EXEMPT:
        if not (reason or "").strip():
            return (f"{day:%Y-%m-%d} 是{hit.label}的企业安静生产日：因{SOURCE_LABELS[source]}进入检查的，"
                    "须填写检查事由")
        return None
    return (f"{day:%Y-%m-%d} 是{hit.label}的企业安静生产日（{hit.start:%m月%d日}至{hit.end:%m月%d日}），"
            "除投诉举报、突发事件应急外不得安排检查")


def non_plan_reason_check(*, source: str, reason: str) -> str | None:
    if source not in SOURCE_LABELS:
        return f"检查来源“{source}”无效"
    if source in NON_PLAN_SOURCES and not (reason or "").strip():
        return f"计划外检查（{SOURCE_LABELS[source]}）须说明检查事由"
    return None


def proportions_check(proportions: dict[str, int], levels: dict[str, str]) -> str | None:
    """Every level known, every proportion 0–100 % (basis points 0–10000), at least one above zero."""
    for level, bp in proportions.items():
        if level not in levels:
            return f"风险等级“{level}”无效"
        if not isinstance(bp, int) or bp < 0 or bp > FULL:
            return f"“{levels[level]}”的抽取比例应在 0%–100% 之间（当前 {bp / 100:g}%）"
    if not any(proportions.values()):
        return "至少一个风险等级的抽取比例应大于 0"
    return None


def plan_publish_check(*, today: dt.date, period_start: dt.date) -> str | None:
    """The plan is made public before the inspection period starts (“一公开”: 抽查计划向社会公开)."""
    if today > period_start:
        return f"抽查计划须在抽查期开始（{period_start:%Y-%m-%d}）前公示，已过期的计划请调整抽查期后再公示"
    return None


def burden_exceeds(*, count: int, threshold: int) -> bool:
    """Above the threshold the supervisor is warned and a joint inspection (跨部门联合抽查) is suggested."""
    return count > threshold


def period_bounds(*, period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month, quarter or year containing `day`."""
    if period == "month":
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    elif period == "quarter":
        q = (day.month - 1) // 3
        start = dt.date(day.year, 3 * q + 1, 1)
        end = (dt.date(day.year + (q == 3), (3 * q + 3) % 12 + 1, 1)) - dt.timedelta(days=1)
    else:
        start, end = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return start, end
