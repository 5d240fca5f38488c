"""Pure rules of complaint handling: deadlines with their sources, duplicate similarity, what the public sees,
input limits (the complainant's identity is masked by `fazhi.core.masking`). No I/O; the deadline table can be overridden (conf.py: COMPLAINT_DEADLINES).
"""

import re
from dataclasses import dataclass

from fazhi.complaints.conf import conf

# ---------------------------------------------------------------- input limits

DESCRIPTION_MIN = 10
# The public form's limit (a person typing into a box). Work orders that other systems hand over are never
# refused for their length: the 12345 hotline records what the citizen said, and real messages run to 3,700
# characters and more; they are stored whole (a text column) and routed on their whole text. So is an e-mail:
# the citizen wrote it elsewhere, and cutting it would lose what he said (and the note of skipped attachments).
DESCRIPTION_MAX = 2000
UNLIMITED_CHANNELS = ("hotline", "email")


def description_max(channel: str) -> int | None:
    """The longest description a channel accepts, or None when it takes any length."""
    return None if channel in UNLIMITED_CHANNELS else DESCRIPTION_MAX


PLACE_MAX = 200
PARTY_MAX = 100
NAME_MAX = 50
MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
# Images and PDF only: the form says so, and the first bytes must agree with the extension.
FILE_SIGNATURES = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF-",),
}
ALLOWED_FILES_LABEL = "JPG、PNG 图片或 PDF 文件"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")

# Public form: at least this long between showing the form and submitting it (a person reads and types).
FORM_MIN_SECONDS = 2
FORM_MAX_SECONDS = 4 * 3600


def file_type_problem(*, name: str, size: int, head: bytes) -> str:
    """Why a complainant's file is refused, or "" when it is acceptable."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FILE_SIGNATURES:
        return f"附件“{name}”的类型不支持：只接受{ALLOWED_FILES_LABEL}"
    if size <= 0:
        return f"附件“{name}”是空文件"
    if size > MAX_FILE_BYTES:
        return f"附件“{name}”超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的大小限制"
    if not any(head.startswith(sig) for sig in FILE_SIGNATURES[ext]):
        return f"附件“{name}”的内容与扩展名不符：只接受{ALLOWED_FILES_LABEL}"
    return ""


def phone_ok(phone: str) -> bool:
    return bool(MOBILE.match(phone) or LANDLINE.match(phone))


# ---------------------------------------------------------------- rate limits (configurable)


def rate_limits() -> dict:
    """Per IP per hour and per day, per phone per day, failed status queries per IP per hour."""
    return {"ip_hour": 5, "ip_day": 20, "phone_day": 3, "query_fail_hour": 10, **conf()["RATE_LIMITS"]}


# ---------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class DeadlineRule:
    working_days: int
    source: str


# No national law fixes a time limit for complaints about enforcement conduct. The defaults are this
# platform's configuration in line with common local rules (simple matters ≈ 10 working days, matters that
# need an investigation ≈ 15), all well inside the 60-day limit of 《信访工作条例》(2022) for complaints in
# general. A deployment sets its own table with COMPLAINT_DEADLINES="inaction=10,abuse=15,…".
LOCAL_NOTE = "本地配置默认值；一般不超过《信访工作条例》（2022）规定的受理之日起60日"
DEFAULT_DEADLINES = {
    "inaction": DeadlineRule(10, f"执法不作为投诉：10个工作日内答复（{LOCAL_NOTE}）"),
    "delay": DeadlineRule(10, f"执法慢作为投诉：10个工作日内答复（{LOCAL_NOTE}）"),
    "abuse": DeadlineRule(15, f"执法乱作为投诉：15个工作日内答复（须调查核实；{LOCAL_NOTE}）"),
    "misconduct": DeadlineRule(10, f"执法不文明不规范投诉：10个工作日内答复（{LOCAL_NOTE}）"),
    "profit": DeadlineRule(15, f"逐利执法投诉：15个工作日内答复（须调查核实；{LOCAL_NOTE}）"),
    "other": DeadlineRule(15, f"其他执法问题投诉：15个工作日内答复（{LOCAL_NOTE}）"),
}
# 12345 work orders carry the hotline centre's own limit: 国办发〔2020〕53号 sets none nationally; the common
# local rule is a reply within 5 working days. The shorter of the two applies.
HOTLINE_RULE = DeadlineRule(
    5, "12345热线工单：5个工作日内答复（国办发〔2020〕53号未设统一时限，按本地热线工单规定，可配置）"
)


@dataclass(frozen=True)
class AcceptanceRule:
    days: int
    limit_kind: str  # "calendar" / "working", as in tracking's limits
    source: str


# 受理: how long a complaint may wait in the queue before it is accepted and handed over (交办), merged or
# refused. The general limit is that of petitions (15 natural days); 12345 work orders are signed for within
# 1 working day under the common local hotline rules (国办发〔2020〕53号 sets no national limit).
ACCEPTANCE_RULE = AcceptanceRule(15, "calendar", "《信访工作条例》（2022）：收到之日起15日内区分情况处理")
HOTLINE_ACCEPTANCE_RULE = AcceptanceRule(
    1, "working", "12345热线工单：1个工作日内签收（国办发〔2020〕53号未设统一时限，按本地热线工单规定）"
)


def acceptance_rule(*, channel: str) -> AcceptanceRule:
    return HOTLINE_ACCEPTANCE_RULE if channel == "hotline" else ACCEPTANCE_RULE


def deadline_rule(*, category: str, channel: str = "") -> DeadlineRule:
    overrides = conf()["DEADLINES"]
    base = DEFAULT_DEADLINES.get(category, DEFAULT_DEADLINES["other"])
    if category in overrides:
        base = DeadlineRule(
            int(overrides[category]), f"{base.source.split('：')[0]}：{overrides[category]}个工作日内答复（本地配置）"
        )
    if channel == "hotline":
        hotline_days = int(overrides.get("hotline", HOTLINE_RULE.working_days))
        if hotline_days < base.working_days:
            return DeadlineRule(hotline_days, HOTLINE_RULE.source.replace("5个", f"{hotline_days}个"))
    return base


# ---------------------------------------------------------------- what the public sees

PUBLIC_STATUS = {
    "received": "已收到，等待受理",
    "assigned": "已受理，正在办理",
    "replied": "已受理，正在办理",
    "returned": "已受理，正在办理",
    "answered": "已答复，请评价",
    "reopened": "已收到您的评价，正在复核",
    "closed": "已办结",
    "out_of_scope": "不属于行政执法投诉受理范围，已转有关部门",
}


def public_status(status: str) -> str:
    return PUBLIC_STATUS.get(status, "已收到")


def reply_visible(status: str) -> bool:
    """The reply reaches the public once the supervisor approved it."""
    return status in ("answered", "reopened", "closed")


def may_rate(*, status: str, satisfaction: str) -> bool:
    return status == "answered" and not satisfaction


def may_reopen(*, reopened: bool) -> bool:
    """Dissatisfaction reopens a complaint once; a second 不满意 closes it after the supervisor's review."""
    return not reopened


# ---------------------------------------------------------------- duplicates

DUPLICATE_DAYS = 30
DUPLICATE_MIN_SIMILARITY = 0.45
_NON_WORD = re.compile(r"[\s\W_]+", re.UNICODE)


def shingles(text: str) -> set[str]:
    """Character bigrams of the text without spaces and punctuation (robust for Chinese, no dictionary)."""
    clean = _NON_WORD.sub("", (text or "").lower())
    if len(clean) < 2:
        return {clean} if clean else set()
    return {clean[i : i + 2] for i in range(len(clean) - 1)}


def text_similarity(a: str, b: str) -> float:
    """Overlap coefficient of bigram sets: a short complaint repeated inside a longer one still matches."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def same_subject(a: dict, b: dict) -> list[str]:
    """What two complaints share: the agency, the party or the place (each a reason to compare texts)."""
    reasons = []
    if a.get("agency_id") and a.get("agency_id") == b.get("agency_id"):
        reasons.append("同一单位")
    for key, label in (("party", "同一被投诉对象"), ("place", "同一地点")):
        va, vb = (a.get(key) or "").strip(), (b.get(key) or "").strip()
        if va and vb and (va in vb or vb in va):
            reasons.append(label)
    return reasons


def duplicate_score(a: dict, b: dict) -> tuple[float, list[str]]:
    """(similarity, reasons) when b is a proposed duplicate of a, else (0, [])."""
    subject = same_subject(a, b)
    if not subject:
        return 0.0, []
    sim = text_similarity(a.get("description", ""), b.get("description", ""))
    if sim < DUPLICATE_MIN_SIMILARITY:
        return 0.0, []
    return sim, [*subject, f"内容相似度 {sim:.0%}"]
