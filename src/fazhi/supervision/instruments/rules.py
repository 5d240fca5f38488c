"""Pure rules of 监督文书 (supervision instruments): kinds, reply periods with their citations, state gates, when
an 意见书 goes unheeded, and the thresholds of 执法风险预警提醒. No I/O besides reading the configuration.

Configuration (statutory or local value as default; every value overridable by a deployment):

- environment: ``INSTRUMENT_REPLY_DAYS="opinion=30,decision=30,recommendation=30,reminder=15,interview=30"``,
  ``INSTRUMENT_UNHEEDED_RETURNS=2``, ``INSTRUMENT_RISK_MONTHS=3``, ``INSTRUMENT_RISK_WARNINGS=10``,
  ``INSTRUMENT_RISK_COMPLAINTS=20``;
- or the Django setting ``FAZHI_INSTRUMENTS`` (wins over the environment), e.g.
  ``{"REPLY": {"opinion": {"days": 20, "limit_kind": "working", "source": "《某市行政执法监督办法》第十条"}},
  "UNHEEDED_RETURNS": 3, "RISK_WARNINGS": 8}``.

A reply period changed without a citation of its own keeps the default's citation marked as a local value.
"""

import datetime as dt
import os
from dataclasses import dataclass

from django.conf import settings

# ---------------------------------------------------------------- kinds

OPINION, RECOMMENDATION, REMINDER, INTERVIEW, DECISION, BULLETIN = (
    "opinion",
    "recommendation",
    "reminder",
    "interview",
    "decision",
    "bulletin",
)
KINDS = [
    (OPINION, "行政执法监督意见书"),
    (RECOMMENDATION, "行政执法监督建议书"),
    (REMINDER, "工作提示函"),
    (INTERVIEW, "约谈"),
    (DECISION, "行政执法监督决定书"),
    (BULLETIN, "通报"),
]
KIND_LABELS = dict(KINDS)

# 《山东省行政执法监督条例》第二十九条第一款: the four decisions that follow an unheeded 意见书.
PERFORM, CORRECT, REVOKE, CONFIRM_ILLEGAL = "perform", "correct", "revoke", "confirm_illegal"
DECISION_KINDS = [
    (PERFORM, "责令履行"),
    (CORRECT, "责令改正"),
    (REVOKE, "撤销"),
    (CONFIRM_ILLEGAL, "确认违法"),
]
DECISION_KIND_LABELS = dict(DECISION_KINDS)
DECISION_CITATIONS = {
    PERFORM: "《山东省行政执法监督条例》第二十九条第一款第（一）项、第三十条",
    CORRECT: "《山东省行政执法监督条例》第二十九条第一款第（二）项、第三十一条",
    REVOKE: "《山东省行政执法监督条例》第二十九条第一款第（三）项、第三十二条",
    CONFIRM_ILLEGAL: "《山东省行政执法监督条例》第二十九条第一款第（四）项、第三十三条",
}
# A decision of these kinds says that an enforcement act was wrong: when it concerns a penalty case it proposes an
# accountability record (supervision.signals.wrong_case_found). 责令履行 concerns inaction, not a wrong decision.
WRONG_CASE_DECISIONS = (CORRECT, REVOKE, CONFIRM_ILLEGAL)

# Where each kind stands in law or policy (shown on the form and in the document).
KIND_BASIS = {
    OPINION: "《山东省行政执法监督条例》第二十八条：发现行政执法行为违法或者不当的，应当发出《行政执法监督意见书》",
    RECOMMENDATION: "行政执法监督建议：对执法工作中带有普遍性的问题提出改进建议（本地行政执法监督规定）",
    REMINDER: "工作提示函：对执法风险和苗头性问题提醒提示（本地行政执法监督规定；执法风险预警提醒制度）",
    INTERVIEW: "《山东省行政执法监督条例》第二十六条：违法或者不当比例较高的，可以约请相关负责人进行谈话",
    DECISION: "《山东省行政执法监督条例》第二十九条：逾期未按照《行政执法监督意见书》自行纠正的，作出处理决定",
    BULLETIN: "通报：对行政执法监督中发现的问题或经验在本辖区内通报（本地行政执法监督规定）",
}

# The register (发文字号登记簿) of each kind: 文种 and the default 发文机关代字 used when the issuing unit has no
# register of that kind yet (a register created on the 发文字号 page wins; configurable: PREFIXES).
DOC_TYPES = {kind: label for kind, label in KINDS}
DOC_TYPES[INTERVIEW] = "约谈通知书"
DEFAULT_PREFIXES = {
    OPINION: "司监意",
    RECOMMENDATION: "司监建",
    REMINDER: "司监函",
    INTERVIEW: "司监约",
    DECISION: "司监决",
    BULLETIN: "司监通",
}


# ---------------------------------------------------------------- configuration


def _env_table(value: str) -> dict[str, int]:
    table = {}
    for part in (value or "").split(","):
        key, _, days = part.partition("=")
        if days.strip().isdigit() and int(days) > 0:
            table[key.strip()] = int(days)
    return table


def _env_int(name: str, default: int) -> int:
    raw = (os.environ.get(name) or "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def conf() -> dict:
    env_days = _env_table(os.environ.get("INSTRUMENT_REPLY_DAYS", ""))
    base = {
        "REPLY": {kind: {"days": days} for kind, days in env_days.items()},
        "PREFIXES": {},
        "UNHEEDED_RETURNS": _env_int("INSTRUMENT_UNHEEDED_RETURNS", UNHEEDED_RETURNS),
        "UNHEEDED_ON_OVERDUE": True,
        "RISK_MONTHS": _env_int("INSTRUMENT_RISK_MONTHS", RISK_MONTHS),
        "RISK_WARNINGS": _env_int("INSTRUMENT_RISK_WARNINGS", RISK_WARNINGS),
        "RISK_COMPLAINTS": _env_int("INSTRUMENT_RISK_COMPLAINTS", RISK_COMPLAINTS),
    }
    return {**base, **getattr(settings, "FAZHI_INSTRUMENTS", {})}


def default_prefix(kind: str) -> str:
    return {**DEFAULT_PREFIXES, **conf()["PREFIXES"]}.get(kind, "司监")


# ---------------------------------------------------------------- reply periods


@dataclass(frozen=True)
class ReplyRule:
    days: int
    limit_kind: str  # "calendar" (自然日) or "working" (工作日), as tracking counts them
    source: str


LOCAL = "（本地配置）"
# 第二十八条 and 第二十九条 count "自收到之日起三十日内": natural days from receipt (delivery in the system is receipt;
# the day of receipt does not count, a last day on a rest day moves to the next working day — workdays.calendar).
DEFAULT_REPLY = {
    OPINION: ReplyRule(
        30,
        "calendar",
        "《山东省行政执法监督条例》第二十八条：自收到《行政执法监督意见书》之日起三十日内自行纠正",
    ),
    DECISION: ReplyRule(
        30,
        "calendar",
        "《山东省行政执法监督条例》第二十九条第二款：自收到决定书之日起三十日内报告执行情况",
    ),
    RECOMMENDATION: ReplyRule(
        30,
        "calendar",
        "行政执法监督建议书：收到之日起三十日内书面反馈采纳情况（本地规定，参照《山东省行政执法监督条例》第二十八条）",
    ),
    REMINDER: ReplyRule(
        15,
        "working",
        "工作提示函：收到之日起十五个工作日内反馈整改情况（本地规定，可配置）",
    ),
    INTERVIEW: ReplyRule(
        30,
        "calendar",
        "约谈：约谈后三十日内书面报告整改情况（本地规定，参照《山东省行政执法监督条例》第二十六条、第二十八条）",
    ),
}
BULLETIN_SOURCE = "通报无需回复（在本辖区内发布）"
LIMIT_KIND_LABELS = {"calendar": "日", "working": "个工作日"}


def reply_rule(kind: str) -> ReplyRule | None:
    """The reply period of a kind, with its citation; None for a kind that needs no reply (通报)."""
    default = DEFAULT_REPLY.get(kind)
    if default is None:
        return None
    override = conf()["REPLY"].get(kind) or {}
    days = override.get("days", default.days)
    limit_kind = override.get("limit_kind", default.limit_kind)
    if not isinstance(days, int) or isinstance(days, bool) or days <= 0 or limit_kind not in LIMIT_KIND_LABELS:
        return default
    if "source" in override:
        source = str(override["source"])
    elif (days, limit_kind) == (default.days, default.limit_kind):
        source = default.source
    else:
        source = f"{KIND_LABELS[kind]}：收到之日起{days}{LIMIT_KIND_LABELS[limit_kind]}内反馈{LOCAL}"
    return ReplyRule(days, limit_kind, source)


def needs_reply(*, kind: str, reply_required: bool = True) -> bool:
    """通报 never needs a reply; a 约谈 needs one only when the supervisor asks for a written report besides the
    约谈记录; every other kind does."""
    if kind == BULLETIN:
        return False
    if kind == INTERVIEW:
        return bool(reply_required)
    return True


# ---------------------------------------------------------------- states

DRAFT, DELIVERED, ACKNOWLEDGED, REPLIED, RETURNED, ACCEPTED, PUBLISHED, ESCALATED, DISMISSED = (
    "draft",
    "delivered",
    "acknowledged",
    "replied",
    "returned",
    "accepted",
    "published",
    "escalated",
    "dismissed",
)
STATUSES = [
    (DRAFT, "草稿"),
    (DELIVERED, "已送达待签收"),
    (ACKNOWLEDGED, "已签收办理中"),
    (REPLIED, "已回复待审核"),
    (RETURNED, "已退回重办"),
    (ACCEPTED, "已办结"),
    (PUBLISHED, "已发布"),
    (ESCALATED, "已转监督决定"),
    (DISMISSED, "已撤销"),
]
STATUS_LABELS = dict(STATUSES)
UNISSUED = (DRAFT, DISMISSED)  # internal to the issuing unit: never shown to the recipient
OPEN = (DELIVERED, ACKNOWLEDGED, REPLIED, RETURNED)  # the recipient still owes something or awaits a review
CLOSED = (ACCEPTED, PUBLISHED, ESCALATED)
ACKNOWLEDGEABLE = (DELIVERED,)
REPLYABLE = (ACKNOWLEDGED, RETURNED)
REVIEWABLE = (REPLIED,)
INTERVIEW_RECORDABLE = (DELIVERED, ACKNOWLEDGED, RETURNED, REPLIED)


# ---------------------------------------------------------------- unheeded 意见书 → 监督决定书

# 第二十九条: an 意见书 not followed within its period is followed by a decision. Besides the overdue case, an
# agency whose reply was returned this many times has not corrected either (local practice, configurable).
UNHEEDED_RETURNS = 2


def unheeded_reason(
    *,
    status: str,
    deadline: dt.date | None,
    today: dt.date,
    returns: int,
    pending_reply_on_time: bool = False,
    returns_limit: int = UNHEEDED_RETURNS,
    on_overdue: bool = True,
) -> str:
    """Why an issued 意见书 counts as unheeded (Chinese, for the proposal), or "" when it does not.

    A reply waiting for the supervisor's review that came in time does not make it unheeded: the delay is the
    reviewer's, not the agency's."""
    if status not in OPEN:
        return ""
    if returns_limit and returns >= returns_limit:
        return f"回复被退回{returns}次仍未纠正"
    if on_overdue and deadline is not None and deadline < today:
        if status == REPLIED and pending_reply_on_time:
            return ""
        return f"逾期（期限 {deadline:%Y-%m-%d}）未按意见书纠正"
    return ""


def reply_on_time(*, replied_on: dt.date, deadline: dt.date) -> bool:
    return replied_on <= deadline


# ---------------------------------------------------------------- 执法风险预警提醒

# Local defaults of this platform (no statute sets them): a quarter as the period, 10 statutory-check warnings
# (风险预警 opened by the case checks) or 20 complaints about the agency in it. 怀化市 plan: “建立健全行政执法风险预警
# 提醒等制度”; configurable per deployment.
RISK_MONTHS = 3
RISK_WARNINGS = 10
RISK_COMPLAINTS = 20
RISK_SOURCE = "执法风险预警提醒制度（本地规定）：统计期内法定规则校验预警或投诉件数达到阈值的，向执法部门发出工作提示函"


@dataclass(frozen=True)
class RiskThresholds:
    months: int
    warnings: int
    complaints: int


def risk_thresholds() -> RiskThresholds:
    c = conf()
    months = c["RISK_MONTHS"] if c["RISK_MONTHS"] in (1, 2, 3, 4, 6, 12) else RISK_MONTHS
    return RiskThresholds(months, int(c["RISK_WARNINGS"]), int(c["RISK_COMPLAINTS"]))


def risk_period(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The fixed period (months long, aligned on 1 January) that contains `day`: a quarter by default."""
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError("the period must divide the year")
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    last_month = first_month + months - 1
    end = dt.date(day.year, 12, 31) if last_month == 12 else dt.date(day.year, last_month + 1, 1) - dt.timedelta(1)
    return start, end


def risk_previous_period(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    start, _ = risk_period(day, months)
    return risk_period(start - dt.timedelta(days=1), months)


def risk_crossed(*, warnings: int, complaints: int, thresholds: RiskThresholds) -> list[str]:
    """The figures that reached their threshold (Chinese), empty when none did."""
    crossed = []
    if thresholds.warnings and warnings >= thresholds.warnings:
        crossed.append(f"法定规则校验预警 {warnings} 件（阈值 {thresholds.warnings}）")
    if thresholds.complaints and complaints >= thresholds.complaints:
        crossed.append(f"投诉举报 {complaints} 件（阈值 {thresholds.complaints}）")
    return crossed


# ---------------------------------------------------------------- input limits

TITLE_MAX = 200
TEXT_MAX = 5000
REASON_MAX = 500
