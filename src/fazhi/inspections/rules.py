"""Pure rules of 双随机、一公开 and 涉企行政检查, each with its source. No I/O."""

import datetime as dt
import re
from dataclasses import dataclass

from fazhi.inspections.draw import FULL

# 国发〔2019〕5号《关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》: 抽查检查结果通过国家企业
# 信用信息公示系统等按照“谁检查、谁录入、谁公开”的原则，自产生之日起 20 个工作日内依法向社会公示。
PUBLICATION_WORKING_DAYS = 20
PUBLICATION_SOURCE = f"国发〔2019〕5号：抽查检查结果自产生之日起{PUBLICATION_WORKING_DAYS}个工作日内向社会公示"

# Enforcement acts, inspections included, are carried out by at least two officers holding a valid 行政执法证
# (《行政处罚法》第四十二条; the officers show their certificates when they inspect, 第五十五条).
INSPECTORS_MIN = 2
INSPECTOR_CITATION = "《行政处罚法》第四十二条"

# Non-plan inspections (neither drawn nor planned) must state why (涉企行政检查须有法定依据和事由).
NON_PLAN_SOURCES = ("complaint", "referral", "emergency", "other")
# 企业安静生产日: only complaint-driven and emergency inspections may enter (the local quiet-day rules
# commonly exempt 投诉举报、转办交办的违法线索 and 突发事件/安全生产事故).
QUIET_DAY_EXEMPT = ("complaint", "emergency")
# Public forms are rate limited (design §4 安全; 等保 三级 资源控制): the enterprise feedback form, which can also
# file a complaint, takes at most this many submissions per network address per hour.
FEEDBACK_IP_HOUR = 10
FEEDBACK_WINDOW_SECONDS = 3600
SOURCE_LABELS = {
    "random": "双随机抽查",
    "complaint": "投诉举报",
    "referral": "转办交办",
    "emergency": "突发事件应急",
    "other": "其他",
}


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
            return f"{day:%Y-%m-%d} 是{hit.label}的企业安静生产日：因{SOURCE_LABELS[source]}进入检查的，须填写检查事由"
        return None
    return (
        f"{day:%Y-%m-%d} 是{hit.label}的企业安静生产日（{hit.start:%m月%d日}至{hit.end:%m月%d日}），"
        "除投诉举报、突发事件应急外不得安排检查"
    )


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


@dataclass(frozen=True)
class Segment:
    """One signed piece of a burden date range: `kind` "year" (yearly tallies, start..end are whole years),
    "month" (monthly tallies, whole months) or "days" (the records themselves, start..end inclusive)."""

    kind: str
    sign: int
    start: dt.date
    end: dt.date


def _month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def _within_month(sign: int, lo: dt.date, hi: dt.date) -> list[Segment]:
    """Days lo..hi of one month: the records of those days, or the month's tally less the other days,
    whichever reads fewer days of records."""
    first, last = lo.replace(day=1), _month_end(lo)
    covered = (hi - lo).days + 1
    length = (last - first).days + 1
    if covered == length:
        return [Segment("month", sign, first, last)]
    if covered <= length - covered:
        return [Segment("days", sign, lo, hi)]
    out = [Segment("month", sign, first, last)]
    if lo > first:
        out.append(Segment("days", -sign, first, lo - dt.timedelta(days=1)))
    if hi < last:
        out.append(Segment("days", -sign, hi + dt.timedelta(days=1), last))
    return out


def _within_year(sign: int, lo: dt.date, hi: dt.date) -> list[Segment]:
    """Days lo..hi of one year as whole months (one segment) plus the partial months at the ends."""
    out: list[Segment] = []
    if lo.replace(day=1) == hi.replace(day=1):
        return _within_month(sign, lo, hi)
    head_end = _month_end(lo)
    tail_start = hi.replace(day=1)
    body_start = lo if lo.day == 1 else head_end + dt.timedelta(days=1)
    body_end = hi if hi == _month_end(hi) else tail_start - dt.timedelta(days=1)
    if lo.day != 1:
        out += _within_month(sign, lo, head_end)
    if body_start <= body_end:
        out.append(Segment("month", sign, body_start, body_end))
    if hi != _month_end(hi):
        out += _within_month(sign, tail_start, hi)
    return out


def burden_segments(date_from: dt.date, date_to: dt.date) -> list[Segment]:
    """Split a date range into signed pieces whose counts add up to the range's counts, reading as few
    records as possible: whole years from the yearly tallies; a year mostly covered as its tally less the
    uncovered months and days; otherwise whole months from the monthly tallies; records only for the parts
    of the partial months at the ends (whichever side of the month is shorter)."""
    out: list[Segment] = []
    for year in range(date_from.year, date_to.year + 1):
        jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
        lo, hi = max(date_from, jan1), min(date_to, dec31)
        covered = (hi - lo).days + 1
        length = (dec31 - jan1).days + 1
        if covered == length:
            out.append(Segment("year", 1, jan1, dec31))
        elif covered * 2 > length:
            out.append(Segment("year", 1, jan1, dec31))
            if lo > jan1:
                out += _within_year(-1, jan1, lo - dt.timedelta(days=1))
            if hi < dec31:
                out += _within_year(-1, hi + dt.timedelta(days=1), dec31)
        else:
            out += _within_year(1, lo, hi)
    merged: list[Segment] = []
    for seg in out:  # adjacent whole months of the same sign read as one range
        prev = merged[-1] if merged else None
        if (
            prev
            and prev.kind == seg.kind == "month"
            and prev.sign == seg.sign
            and prev.end + dt.timedelta(days=1) == seg.start
        ):
            merged[-1] = Segment("month", seg.sign, prev.start, seg.end)
        else:
            merged.append(seg)
    return merged


# ---------------------------------------------------------------- the object scope of an inspection item

# 抽查事项清单 names each item's 抽查对象; a draw takes its candidates from the enterprises in that scope only
# (国发〔2019〕5号: 检查对象名录库 per item, objects drawn at random from it). Industries are GB/T 4754 codes or
# their prefixes: 门类 letter, 大类 (2 digits), 中类 (3) or 小类 (4), e.g. "C", "C13", "F521", "H6210".
INDUSTRY_CODE = re.compile(r"^[A-T](\d{2}(\d{1,2})?)?$")


def industry_scope_parse(text: str) -> tuple[list[str], str | None]:
    """The industry codes of a scope as written by staff ("C13、c14, F521"), sorted and unique, or an error."""
    parts = [p.strip().upper() for p in re.split(r"[、,，;；\s]+", text or "") if p.strip()]
    bad = [p for p in parts if not INDUSTRY_CODE.match(p)]
    if bad:
        return [], f"行业代码“{bad[0]}”无效：应为 GB/T 4754 的门类字母加 2 至 4 位数字，如 C13、F521"
    return sorted(set(parts)), None


def item_scope(*, item_id: int, industries: list[str], risk_levels: list[str]) -> dict:
    """One item's scope as committed in a draw's parameters (sorted lists; empty = not restricted)."""
    return {"industries": sorted(industries), "item": int(item_id), "risk_levels": sorted(risk_levels)}


def in_scope(*, industry: str, risk_level: str, scopes: list[dict]) -> bool:
    """Whether an enterprise is a candidate: inside every item's scope (a joint draw applies each of its items
    to every enterprise it draws, so each item's objects must include it)."""
    for scope in scopes:
        if scope["industries"] and not any((industry or "").startswith(code) for code in scope["industries"]):
            return False
        if scope["risk_levels"] and risk_level not in scope["risk_levels"]:
            return False
    return True


# ---------------------------------------------------------------- state gates (permissions.py and services.py)

# 国发〔2019〕5号 “一公开”: a plan is published once, before its period; only a published plan is drawn from.
PLAN_PUBLISHABLE = ("draft",)
PLAN_DRAWABLE = ("published",)
# A verifiable draw runs committed → drawn → published; any draw not yet voided may be voided and drawn again
# (with a public reason), and the inspections of a drawn (or published) result are registered against it.
DRAW_PERFORMABLE = ("committed",)
DRAW_PUBLISHABLE = ("drawn",)
DRAW_REDRAWABLE = ("committed", "drawn", "published")
DRAW_RECORDABLE = ("drawn", "published")


def record_publishable(*, published_on) -> bool:
    """A result is made public once (国发〔2019〕5号: 抽查检查结果向社会公示)."""
    return published_on is None
