"""Statutory checks of a penalty case (行政执法“三项制度” and 《行政处罚法》). Pure functions, no I/O.

Each rule is one function taking `CaseFacts` and returning the findings it raises; each finding carries
the rule code, severity, a Chinese message and the citation. A rule whose inputs are absent raises
nothing. A new rule is one function plus `@rule(...)`.

Reading of the law (《中华人民共和国行政处罚法》, 2021 revision):
- 第八十五条: “本法中‘二日’‘三日’‘五日’‘七日’的规定是指工作日，不含法定节假日。” So the 7-day limits
  of 第六十一条 (service) and 第六十四条 (hearing notice) are counted in working days, although
  shared/domain.md states them as plain days. The 90 days of 第六十条 are natural days.
- Natural-day limits whose last day is a rest day move to the next working day
  (《民事诉讼法》第八十五条, applied to administrative procedure by analogy).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from fazhi.registry.rules import LAW, LAW_SHORT, LEGAL_REVIEW_CITATION  # noqa: F401  (cases cite it too)
from fazhi.workdays.calendar import add_calendar_days, add_working_days

DISCLOSURE_POLICY = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"

DECISION_DAYS = 90  # 第六十条
SERVICE_WORKING_DAYS = 7  # 第六十一条 + 第八十五条
HEARING_NOTICE_WORKING_DAYS = 7  # 第六十四条 + 第八十五条
DISCLOSURE_WORKING_DAYS = {"penalty": 7, "licence": 7, "other": 20}  # 国办发〔2018〕118号
ON_THE_SPOT_LIMIT = {"person": Decimal("200"), "organisation": Decimal("3000")}  # 第五十一条
LIMITATION_YEARS, LIMITATION_YEARS_EXTENDED = 2, 5  # 第三十六条

# Citations that services, stages and messages name (the short title reads better inside a sentence).
MITIGATION_CITATION = f"{LAW_SHORT}第三十二条"  # 从轻、减轻处罚
EXEMPTION_CITATION = f"{LAW_SHORT}第三十三条"  # 不予处罚
DECISION_SOURCE = f"{LAW}第六十条"  # the 90-day decision limit, cited on the case's tracked item
EXTENSION_CITATION = f"{LAW_SHORT}第六十条"  # 90 days "法律、法规、规章另有规定的，从其规定": an approved extension
DISCLOSURE_CITATION = f"{LAW}第四十八条"  # 具有一定社会影响的行政处罚决定应当依法公开


# Not statutory: the working days an agency has to answer a 风险预警 raised by these checks (local practice).
WARNING_WORKING_DAYS = 5

# The clocks that run after the decision, each tracked as its own 督办 item (services.case_decide / case_serve).
SERVICE_SOURCE = f"{LAW}第六十一条、第八十五条（决定书七个工作日内送达）"
DISCLOSURE_SOURCE = f"{DISCLOSURE_POLICY}（行政处罚决定七个工作日内公示）"


def service_deadline(decided_on: dt.date) -> dt.date:
    """第六十一条: a decision not handed over on the spot is served within 7 working days of the decision."""
    return add_working_days(decided_on, SERVICE_WORKING_DAYS)


@dataclass(frozen=True)
class Handler:
    name: str
    certificate: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    status: str = "active"  # active / suspended / revoked


@dataclass(frozen=True)
class CaseFacts:
    procedure: str = "general"  # general / simple
    party_kind: str | None = None  # person / organisation
    handlers: tuple[Handler, ...] | None = None
    violation_ended_on: dt.date | None = None
    limitation_extended: bool = False  # life/health or financial security with harmful consequences
    filed_on: dt.date | None = None
    extension_days: int = 0
    major: bool | None = None
    legal_review_on: dt.date | None = None
    hearing_notice_on: dt.date | None = None
    hearing_on: dt.date | None = None
    decided_on: dt.date | None = None
    served_on: dt.date | None = None
    served_on_the_spot: bool = False
    disclosed_on: dt.date | None = None
    decision_kind: str = "penalty"  # penalty / licence / other
    fine: Decimal | None = None
    tier_min: Decimal | None = None
    tier_max: Decimal | None = None
    as_of: dt.date | None = None  # "today" for open cases; None = judge only what has happened

    @property
    def act_date(self) -> dt.date | None:
        return self.decided_on or self.filed_on


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # error / warning
    message: str
    citation: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "citation": self.citation}


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    citation: str
    check: Callable[[CaseFacts], list[Finding]]


RULES: dict[str, Rule] = {}


def rule(code: str, title: str, citation: str):
    def register(fn: Callable[[CaseFacts], list[str]]):
        def check(facts: CaseFacts) -> list[Finding]:
            return [Finding(code, severity, message, citation) for severity, message in fn(facts)]

        RULES[code] = Rule(code, title, citation, check)
        return fn

    return register


def check_case(facts: CaseFacts) -> list[Finding]:
    """Every registered rule over one case, in registration order."""
    findings: list[Finding] = []
    for r in RULES.values():
        findings.extend(r.check(facts))
    return findings


def _d(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}"


def decision_limit(*, filed_on: dt.date, extension_days: int = 0) -> dt.date:
    """第六十条: 90 natural days from 立案, plus any recorded extension; a last day off work rolls forward."""
    return add_calendar_days(filed_on, DECISION_DAYS + max(0, extension_days or 0))


def decision_deadline(facts: CaseFacts) -> dt.date | None:
    if facts.filed_on is None:
        return None
    return decision_limit(filed_on=facts.filed_on, extension_days=facts.extension_days)


@rule("handlers_min_two", "执法人员不少于两人", f"{LAW}第四十二条")
def handlers_min_two(f: CaseFacts):
    # 简易程序当场处罚, where a law allows it, may be done by one officer.
    if f.handlers is None or f.procedure == "simple":
        return []
    if len(f.handlers) < 2:
        return [("error", f"执法人员仅 {len(f.handlers)} 人，行政处罚应当由两名以上具有执法资格的人员实施")]
    return []


@rule("handler_certificate_invalid", "执法人员持有效执法证", f"{LAW}第四十二条")
def handler_certificate_invalid(f: CaseFacts):
    if not f.handlers:
        return []
    act = f.act_date
    out = []
    for h in f.handlers:
        if not h.certificate:
            out.append(("error", f"执法人员“{h.name}”无行政执法证件"))
        elif h.status != "active":
            label = {"suspended": "暂扣", "revoked": "吊销"}.get(h.status, h.status)
            out.append(("error", f"执法人员“{h.name}”的执法证（{h.certificate}）已{label}"))
        elif act and ((h.valid_from and act < h.valid_from) or (h.valid_to and act > h.valid_to)):
            span = f"{_d(h.valid_from) if h.valid_from else '—'} 至 {_d(h.valid_to) if h.valid_to else '—'}"
            out.append(
                ("error", f"执法人员“{h.name}”的执法证（{h.certificate}）有效期为 {span}，{_d(act)} 不在有效期内")
            )
    return out


@rule("decision_overdue", "立案后九十日内作出决定", f"{LAW}第六十条")
def decision_overdue(f: CaseFacts):
    deadline = decision_deadline(f)
    if deadline is None:
        return []
    ext = f"（含延长 {f.extension_days} 日）" if f.extension_days else ""
    if f.decided_on is not None:
        if f.decided_on > deadline:
            return [
                ("error", f"立案 {_d(f.filed_on)}，应于 {_d(deadline)} 前作出决定{ext}，实际 {_d(f.decided_on)} 作出")
            ]
        return []
    if f.as_of is not None and f.as_of > deadline:
        return [("error", f"立案 {_d(f.filed_on)}，应于 {_d(deadline)} 前作出决定{ext}，至今未作出")]
    return []


@rule("legal_review_missing", "重大执法决定法制审核", f"{LAW}第五十八条")
def legal_review_missing(f: CaseFacts):
    if not f.major or f.decided_on is None:
        return []
    if f.legal_review_on is None:
        return [("error", "重大执法决定未经法制审核即作出决定")]
    if f.legal_review_on > f.decided_on:
        return [("error", f"法制审核（{_d(f.legal_review_on)}）晚于决定日期（{_d(f.decided_on)}），应在决定前完成")]
    return []


@rule("hearing_notice_short", "听证七日前通知", f"{LAW}第六十四条、第八十五条")
def hearing_notice_short(f: CaseFacts):
    if f.hearing_notice_on is None or f.hearing_on is None:
        return []
    earliest = add_working_days(f.hearing_notice_on, HEARING_NOTICE_WORKING_DAYS)
    if f.hearing_on < earliest:
        return [
            (
                "error",
                f"{_d(f.hearing_notice_on)} 通知听证，听证不得早于 {_d(earliest)}（七个工作日后），"
                f"实际定于 {_d(f.hearing_on)}",
            )
        ]
    return []


@rule("service_late", "决定书七日内送达", f"{LAW}第六十一条、第八十五条")
def service_late(f: CaseFacts):
    if f.decided_on is None or f.served_on is None:
        return []
    limit = add_working_days(f.decided_on, SERVICE_WORKING_DAYS)
    if f.served_on > limit:
        return [
            (
                "error",
                f"{_d(f.decided_on)} 作出决定，应于 {_d(limit)} 前送达（七个工作日），实际 {_d(f.served_on)} 送达",
            )
        ]
    return []


@rule("disclosure_late", "执法决定按期公示", DISCLOSURE_POLICY)
def disclosure_late(f: CaseFacts):
    if f.decided_on is None or f.disclosed_on is None:
        return []
    days = DISCLOSURE_WORKING_DAYS.get(f.decision_kind, DISCLOSURE_WORKING_DAYS["other"])
    limit = add_working_days(f.decided_on, days)
    if f.disclosed_on > limit:
        return [
            (
                "error",
                f"{_d(f.decided_on)} 作出决定，应于 {_d(limit)} 前公示（{days} 个工作日），实际 {_d(f.disclosed_on)} 公示",
            )
        ]
    return []


@rule("fine_outside_tier", "罚款在裁量基准幅度内", f"{LAW}第三十四条（行政处罚裁量基准）")
def fine_outside_tier(f: CaseFacts):
    if f.fine is None or (f.tier_min is None and f.tier_max is None):
        return []
    if f.tier_min is not None and f.fine < f.tier_min:
        return [("error", f"罚款 {f.fine} 元低于所选裁量阶次下限 {f.tier_min} 元")]
    if f.tier_max is not None and f.fine > f.tier_max:
        return [("error", f"罚款 {f.fine} 元高于所选裁量阶次上限 {f.tier_max} 元")]
    return []


@rule("on_the_spot_limit", "简易程序罚款限额", f"{LAW}第五十一条")
def on_the_spot_limit(f: CaseFacts):
    if f.procedure != "simple" or f.fine is None or f.party_kind not in ON_THE_SPOT_LIMIT:
        return []
    limit = ON_THE_SPOT_LIMIT[f.party_kind]
    if f.fine > limit:
        who = "公民" if f.party_kind == "person" else "法人或者其他组织"
        return [("error", f"简易程序对{who}罚款不得超过 {limit} 元，本案罚款 {f.fine} 元，应适用普通程序")]
    return []


@rule("limitation_expired", "追责时效", f"{LAW}第三十六条")
def limitation_expired(f: CaseFacts):
    if f.violation_ended_on is None or f.filed_on is None:
        return []
    years = LIMITATION_YEARS_EXTENDED if f.limitation_extended else LIMITATION_YEARS
    end = f.violation_ended_on
    try:
        limit = end.replace(year=end.year + years)
    except ValueError:  # 29 February
        limit = end.replace(year=end.year + years, day=28)
    if f.filed_on > limit:
        return [
            (
                "error",
                f"违法行为 {_d(end)} 终了，{years} 年追责期限至 {_d(limit)}，{_d(f.filed_on)} 立案已超过期限，不再给予行政处罚",
            )
        ]
    return []


def rule_catalogue() -> list[dict]:
    return [{"rule": r.code, "title": r.title, "citation": r.citation} for r in RULES.values()]
