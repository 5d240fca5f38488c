"""Pure rules of 普法 (legal outreach, "谁执法谁普法"): activity kinds, the responsibility list's deadlines, and the
year's completion light per unit. No I/O besides the configuration.

Configuration: the Django setting ``FAZHI_OUTREACH`` (e.g. ``{"YELLOW_RATE": 80}``) or the environment
``OUTREACH_YELLOW_RATE``; the setting wins.
"""

import datetime as dt
import os
from decimal import Decimal

from django.conf import settings

DUTY_SOURCE = "“谁执法谁普法”普法责任制：国家机关按照普法责任清单在年度内完成普法任务（《关于实行国家机关“谁执法谁普法”普法责任制的意见》）"
SIX_INTO_SOURCE = "法律“六进”：法律进机关、进乡村、进社区、进学校、进企业、进单位"
CONSTITUTION_WEEK_SOURCE = (
    "宪法宣传周：每年 12 月 4 日国家宪法日所在的一周（《全国人民代表大会常务委员会关于设立国家宪法日的决定》）"
)
LITERATE_SOURCE = "农村“法律明白人”培养工程：每个行政村（社区）培养一定数量的“法律明白人”"

SIX_INTO, CONSTITUTION_WEEK, CASE_EXPLAIN, CULTURE_SITE, OTHER = (
    "six_into",
    "constitution_week",
    "case_explain",
    "culture_site",
    "other",
)
ACTIVITY_KINDS = [
    (SIX_INTO, "法律“六进”"),
    (CONSTITUTION_WEEK, "宪法宣传周"),
    (CASE_EXPLAIN, "以案释法"),
    (CULTURE_SITE, "法治文化阵地"),
    (OTHER, "其他普法活动"),
]
ACTIVITY_KIND_LABELS = dict(ACTIVITY_KINDS)
VENUES = [
    ("organ", "进机关"),
    ("village", "进乡村"),
    ("community", "进社区"),
    ("school", "进学校"),
    ("enterprise", "进企业"),
    ("unit", "进单位"),
]
VENUE_LABELS = dict(VENUES)

TARGET_GROUPS = ["领导干部", "公职人员", "青少年", "企业经营管理人员", "农民", "社区居民", "外来务工人员", "执法对象"]

DRAFT, PUBLISHED = "draft", "published"
LIST_STATUSES = [(DRAFT, "编制中"), (PUBLISHED, "已公布")]

DEFAULT_YELLOW_RATE = 80
MAX_ATTENDANCE = 1_000_000


def conf() -> dict:
    raw = (os.environ.get("OUTREACH_YELLOW_RATE") or "").strip()
    base = {"YELLOW_RATE": int(raw) if raw.isdigit() else DEFAULT_YELLOW_RATE}
    base.update(getattr(settings, "FAZHI_OUTREACH", {}) or {})
    return base


def constitution_week(year: int) -> tuple[dt.date, dt.date]:
    """The week (Monday to Sunday) that holds 12 December 4, 国家宪法日."""
    day = dt.date(year, 12, 4)
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def completion_rate(*, done: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(done) * 100 / total).quantize(Decimal("0.1"))


def completion_light(*, total: int, done: int, overdue: int, due_by_today: int) -> str:
    """The year's completion of a unit's list.

    red: an item past its deadline is not done (or the unit has no list at all: total 0);
    yellow: no item overdue, but fewer than YELLOW_RATE % of the items due by today are done on time;
    green: otherwise."""
    if total == 0 or overdue:
        return "red"
    if due_by_today and (Decimal(done) * 100 / due_by_today) < conf()["YELLOW_RATE"]:
        return "yellow"
    return "green"
