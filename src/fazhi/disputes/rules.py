"""The statutory rules of administrative disputes: every number, its article, and the pure functions that apply
them. No database. Deadlines are folds of fazhi.tracking.clocks over the working-day calendar, so that a rule here
and the clock of a stored case count the same way.

How periods count (《行政复议法》第八十八条, 《行政诉讼法》第一百零一条 → 《民事诉讼法》第八十五条): the first day is
not counted; the 复议法's "三日、五日、七日、十日" are working days; any other period (60 days, 30 days, 15 days, months,
years) runs in natural days and, when its last day is a rest day, ends on the next working day.

Where this module departs from shared/domain.md, the law's text is followed and the departure is said beside it.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from fazhi.tracking.clocks import ClockEvent, ClockRule, clock_state
from fazhi.workdays.calendar import add_working_days

FUYI = "《行政复议法》"
SUSONG = "《行政诉讼法》"
APPEARANCE_RULES = "最高人民法院《关于行政机关负责人出庭应诉若干问题的规定》"

# ---------------------------------------------------------------- reconsideration: application (第二十条、第二十一条)

APPLICATION_DAYS = 60  # 第二十条第一款: 自知道或者应当知道该行政行为之日起六十日内
APPLICATION_CITATION = f"{FUYI}第二十条第一款"
NOT_TOLD_MAX_MONTHS = 12  # 第二十条第三款: 自知道或者应当知道行政行为内容之日起最长不得超过一年
NOT_TOLD_CITATION = f"{FUYI}第二十条第三款"
OBSTACLE_CITATION = f"{FUYI}第二十条第二款"
ABSOLUTE_MONTHS_REAL_PROPERTY = 20 * 12  # 第二十一条: 因不动产 … 自行政行为作出之日起超过二十年
ABSOLUTE_MONTHS_OTHER = 5 * 12  # … 其他 … 超过五年
ABSOLUTE_CITATION = f"{FUYI}第二十一条"
FORWARD_WORKING_DAYS = 5  # 第三十二条第二款: 自收到行政复议申请之日起五日内转送
FORWARD_CITATION = f"{FUYI}第三十二条"

# ---------------------------------------------------------------- acceptance (第三十条、第三十一条)

ACCEPTANCE_WORKING_DAYS = 5  # 第三十条第一款 + 第八十八条第二款
ACCEPTANCE_CITATION = f"{FUYI}第三十条、第八十八条"
DEEMED_ACCEPTANCE_CITATION = f"{FUYI}第三十条第三款"
REFUSAL_CITATION = f"{FUYI}第三十条第二款"
CORRECTION_NOTICE_CITATION = f"{FUYI}第三十一条第一款"
CORRECTION_WORKING_DAYS = 10  # 第三十一条第二款 + 第八十八条第二款
CORRECTION_CITATION = f"{FUYI}第三十一条第二款、第八十八条"
CORRECTION_RESTART_CITATION = f"{FUYI}第三十一条第三款"
DISMISS_APPLICATION_CITATION = f"{FUYI}第三十三条"

# ---------------------------------------------------------------- hearing (第四十八条至第五十五条)

COPY_WORKING_DAYS = {"ordinary": 7, "simple": 3}  # 第四十八条 / 第五十四条: 受理之日起七日（简易三日）内发送副本
ANSWER_WORKING_DAYS = {"ordinary": 10, "simple": 5}  # 收到副本之日起十日（简易五日）内提出书面答复
COPY_CITATION = {"ordinary": f"{FUYI}第四十八条", "simple": f"{FUYI}第五十四条"}
ANSWER_CITATION = COPY_CITATION
NO_ANSWER_CITATION = f"{FUYI}第七十条"
HEARING_NOTICE_WORKING_DAYS = 5  # 第五十一条第一款: 举行听证的五日前书面通知 (+ 第八十八条)
HEARING_CITATION = f"{FUYI}第五十条、第五十一条"
HEAD_AT_HEARING_CITATION = f"{FUYI}第五十一条第三款"
COMMITTEE_CITATION = f"{FUYI}第五十二条"
SIMPLE_AMOUNT_MAX = Decimal("3000")  # 第五十三条第一款第三项: 案件涉及款额三千元以下
SIMPLE_CITATION = f"{FUYI}第五十三条"
SWITCH_CITATION = f"{FUYI}第五十五条"

# ---------------------------------------------------------------- decision (第六十二条; 中止 第三十九条; 终止 第四十一条)

DECISION_DAYS = {"ordinary": 60, "simple": 30}
DECISION_CITATION = {"ordinary": f"{FUYI}第六十二条第一款", "simple": f"{FUYI}第六十二条第二款"}
EXTENSION_MAX_DAYS = 30  # 第六十二条第一款: 延长期限最多不得超过三十日 (普通程序; 简易程序不得延长)
SUSPENSION_CITATION = f"{FUYI}第三十九条"
RESUMPTION_CITATION = f"{FUYI}第三十九条第二款"
TERMINATION_CITATION = f"{FUYI}第四十一条"
SUSPENDED_TERMINATION_DAYS = 60  # 第四十一条第五项: 依第三十九条第一款第一、二、四项中止满六十日
SUSPENDED_TERMINATION_GROUNDS = ("1", "2", "4")
OPINION_DAYS = 60  # 第七十六条: 自收到行政复议意见书之日起六十日内报送纠正情况
OPINION_CITATION = f"{FUYI}第七十六条"
PUBLICATION_CITATION = f"{FUYI}第七十九条"
DECISION_DOCUMENT_CITATION = f"{FUYI}第七十五条"
SUIT_AFTER_DECISION_DAYS = 15  # 《行政诉讼法》第四十五条: 收到复议决定书之日起十五日内

# 附带审查 (第五十六条至第六十条): recorded here, handled on its clocks by the rule-making module (rulemaking.rules
# INCIDENTAL_*: 30 days, 7 / 3 / 10 working days, 60 days), which tells the result back.
NORMATIVE_CITATION = {"applicant": f"{FUYI}第五十六条", "ex_officio": f"{FUYI}第五十七条"}
NORMATIVE_MAKER_CITATION = f"{FUYI}第五十八条"
NORMATIVE_RESULT_CITATION = f"{FUYI}第五十九条"
NORMATIVE_REPLY_CITATION = f"{FUYI}第六十条"

SUSPENSION_GROUNDS = {
    "1": "作为申请人的公民死亡，其近亲属尚未确定是否参加行政复议",
    "2": "作为申请人的公民丧失参加行政复议的行为能力，尚未确定法定代理人",
    "3": "作为申请人的公民下落不明",
    "4": "作为申请人的法人或者其他组织终止，尚未确定权利义务承受人",
    "5": "申请人、被申请人因不可抗力或者其他正当理由，不能参加行政复议",
    "6": "依法进行调解、和解，申请人和被申请人同意中止",
    "7": "案件涉及的法律适用问题需要有权机关作出解释或者确认",
    "8": "案件审理需要以其他案件的审理结果为依据，而其他案件尚未审结",
    "9": "有第五十六条或者第五十七条规定的情形（规范性文件附带审查）",
    "10": "需要中止行政复议的其他情形",
}
TERMINATION_GROUNDS = {
    "1": "申请人撤回行政复议申请，行政复议机构准予撤回",
    "2": "作为申请人的公民死亡，没有近亲属或者其近亲属放弃行政复议权利",
    "3": "作为申请人的法人或者其他组织终止，没有权利义务承受人或者其承受人放弃行政复议权利",
    "4": "申请人因同一违法行为涉嫌犯罪，被采取刑事强制措施",
    "5": "依第三十九条第一款第一、二、四项中止满六十日，中止原因仍未消除",
}
REFUSAL_GROUNDS = {
    "parties": "没有明确的申请人或者符合规定的被申请人",
    "interest": "申请人与行政行为没有利害关系",
    "request": "没有具体的行政复议请求和理由",
    "period": "超过法定申请期限",
    "scope": "不属于行政复议范围",
    "jurisdiction": "不属于本机关管辖",
    "duplicate": "已受理过同一申请或者人民法院已受理同一行政行为的诉讼",
}

# Outcomes (第六十三条至第七十四条, 第三十三条). `corrects`: counts towards the correction rate; `decides`: a 行政复议决定
# that ends the case on its merits or its admissibility, the correction rate's denominator.
OUTCOMES = {
    "varied": ("变更", f"{FUYI}第六十三条"),
    "annulled": ("撤销或者部分撤销", f"{FUYI}第六十四条"),
    "unlawful": ("确认违法", f"{FUYI}第六十五条"),
    "perform": ("责令限期履行", f"{FUYI}第六十六条"),
    "void": ("确认无效", f"{FUYI}第六十七条"),
    "upheld": ("维持", f"{FUYI}第六十八条"),
    "rejected": ("驳回行政复议请求", f"{FUYI}第六十九条"),
    "dismissed": ("驳回行政复议申请", f"{FUYI}第三十三条"),
    "mediated": ("调解", f"{FUYI}第七十三条"),
    "withdrawn": ("和解后撤回申请（终止）", f"{FUYI}第七十四条、第四十一条第一项"),
    "terminated": ("终止行政复议", TERMINATION_CITATION),
}
CORRECTING = frozenset({"varied", "annulled", "unlawful", "perform", "void"})
# domain.md: correction rate = (变更 + 撤销 + 确认违法 + 确认无效 + 责令履行) ÷ decided. "Decided" is read as the
# cases closed by a 行政复议决定: a 调解书 (第七十三条) is not a decision, and a withdrawal ends in 终止 (第七十四条).
DECIDED = frozenset({"varied", "annulled", "unlawful", "perform", "void", "upheld", "rejected", "dismissed"})
OUTCOME_ALIASES = {label: code for code, (label, _) in OUTCOMES.items()} | {
    "变更": "varied",
    "撤销": "annulled",
    "部分撤销": "annulled",
    "责令履行": "perform",
    "驳回": "rejected",
    "和解": "withdrawn",
    "撤回": "withdrawn",
}

# Which events the law allows in which state (the services check the same table; the page shows the same buttons).
EVENT_STATES = {
    "correction_requested": ("review",),
    "correction_extended": ("correction",),
    "correction_received": ("correction",),
    "accepted": ("review",),
    "refused": ("review",),
    "switched": ("accepted",),
    "copied": ("accepted", "suspended"),
    "answered": ("accepted", "suspended"),
    "suspended": ("accepted",),
    "resumed": ("suspended",),
    "extended": ("accepted",),
    "terminated": ("accepted", "suspended"),
    "decided": ("accepted",),
    "served": ("decided", "terminated"),
}
EVENT_LABELS = {
    "correction_requested": "通知补正",
    "correction_extended": "延长补正期限",
    "correction_received": "收到补正材料",
    "accepted": "受理",
    "refused": "不予受理",
    "switched": "转为普通程序",
    "copied": "发送申请书副本",
    "answered": "被申请人答复",
    "suspended": "中止审理",
    "resumed": "恢复审理",
    "extended": "延长审理期限",
    "terminated": "终止行政复议",
    "decided": "作出行政复议决定",
    "served": "送达决定书",
}
OPEN_STATUSES = ("review", "correction", "accepted", "suspended")


def event_refusal(*, kind: str, status: str) -> str:
    """The Chinese reason an event cannot happen in `status` ("" when it can)."""
    if kind not in EVENT_STATES:
        return f"事件“{kind}”无效，应为：{'、'.join(EVENT_STATES)}"
    if status in EVENT_STATES[kind]:
        return ""
    label = EVENT_LABELS[kind]
    if kind == "decided" and status in ("review", "correction"):
        return f"尚未受理，不能作出行政复议决定：决定期限自受理之日起计算（{DECISION_CITATION['ordinary']}）"
    if kind == "correction_requested" and status not in ("review", "correction"):
        return f"申请已不在受理审查阶段，不能再通知补正：补正通知应当自收到申请之日起五日内发出（{CORRECTION_NOTICE_CITATION}）"
    if kind == "correction_requested" and status == "correction":
        return f"已通知补正，补正通知应当一次性载明需要补正的事项（{CORRECTION_NOTICE_CITATION}）"
    if kind in ("accepted", "refused") and status == "correction":
        return f"正在等待申请人补正，收到补正材料后再作受理审查（{CORRECTION_RESTART_CITATION}）"
    if kind in ("accepted", "refused"):
        return f"申请已{_status_label(status)}，不能再{label}"
    if kind == "resumed":
        return "审理未中止，无需恢复"
    if kind in ("suspended", "extended", "switched", "copied", "answered", "terminated") and status in (
        "review",
        "correction",
    ):
        return f"尚未受理，不能{label}"
    if kind in ("extended", "switched", "decided") and status == "suspended":
        return f"审理已中止，请先恢复审理再{label}（{RESUMPTION_CITATION}）"
    return f"案件当前为“{_status_label(status)}”，不能{label}"


def _status_label(status: str) -> str:
    from fazhi.disputes.models import Reconsideration

    return dict(Reconsideration.STATUSES).get(status, status)


# ---------------------------------------------------------------- clock rules


def acceptance_rule() -> ClockRule:
    return ClockRule("working", ACCEPTANCE_WORKING_DAYS, ACCEPTANCE_CITATION)


def correction_rule() -> ClockRule:
    # The law allows "合理的补正期限" when the applicant has good reason, without a number: the cap is local.
    return ClockRule("working", CORRECTION_WORKING_DAYS, CORRECTION_CITATION, extension_cap=correction_extension_cap())


def correction_extension_cap() -> int:
    """Working days the correction period may be extended in total (第三十一条第二款 sets no number; default 10)."""
    return int(getattr(settings, "DISPUTES_CORRECTION_EXTENSION_CAP", 10))


def copy_rule(procedure: str) -> ClockRule:
    return ClockRule("working", COPY_WORKING_DAYS[procedure], COPY_CITATION[procedure])


def answer_rule(procedure: str) -> ClockRule:
    return ClockRule("working", ANSWER_WORKING_DAYS[procedure], ANSWER_CITATION[procedure])


def decision_rule(procedure: str) -> ClockRule:
    cap = EXTENSION_MAX_DAYS if procedure == "ordinary" else 0
    return ClockRule("calendar", DECISION_DAYS[procedure], DECISION_CITATION[procedure], extension_cap=cap)


def opinion_rule() -> ClockRule:
    return ClockRule("calendar", OPINION_DAYS, OPINION_CITATION)


# ---------------------------------------------------------------- application period


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    citation: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "message": self.message, "citation": self.citation}


@dataclass(frozen=True)
class ApplicationPeriod:
    deadline: dt.date  # the last day to apply
    citation: str
    absolute_deadline: dt.date | None
    warnings: tuple[Finding, ...]

    @property
    def expired(self) -> bool:
        return any(w.rule == "application_period_expired" for w in self.warnings)


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def application_period(
    *,
    known_on: dt.date,
    submitted_on: dt.date,
    told_of_right: bool = True,
    right_known_on: dt.date | None = None,
    act_date: dt.date | None = None,
    real_property: bool = False,
    obstacle_from: dt.date | None = None,
    obstacle_to: dt.date | None = None,
) -> ApplicationPeriod:
    """Whether an application was made in time (第二十条) and inside the absolute limits (第二十一条).

    60 days after the day the applicant knew or should have known of the act; when the agency did not tell of
    the right to apply, 60 days after the applicant learned of it, but never more than one year after knowing the
    act. Time lost to force majeure or another proper reason (obstacle_from → obstacle_to) is not counted: the
    period "continues" once the obstacle is gone (第二十条第二款), a pause of the clock. An application outside
    these limits is still registered and flagged with the article; the body decides (第三十条第一款第四项).
    """
    obstacle = []
    if obstacle_from and obstacle_to and obstacle_to > obstacle_from:
        obstacle = [ClockEvent("pause", obstacle_from), ClockEvent("resume", obstacle_to)]

    def fold(rule: ClockRule, start: dt.date) -> dt.date:
        events = [e for e in obstacle if e.on >= start]
        if len(events) == 1:  # the obstacle began before the period did: only its end counts
            events = [ClockEvent("pause", start), events[0]]
        return clock_state(rule, start, events).deadline

    if told_of_right:
        citation = APPLICATION_CITATION
        deadline = fold(ClockRule("calendar", APPLICATION_DAYS, citation), known_on)
    else:
        citation = NOT_TOLD_CITATION
        cap = fold(ClockRule("months", NOT_TOLD_MAX_MONTHS, citation), known_on)
        if right_known_on is None:
            deadline = cap
        else:
            deadline = min(cap, fold(ClockRule("calendar", APPLICATION_DAYS, citation), right_known_on))
    if obstacle:
        citation = f"{citation}、第二款"
    warnings = []
    if submitted_on > deadline:
        warnings.append(
            Finding(
                "application_period_expired",
                f"申请于{_d(submitted_on)}提出，申请期限已于{_d(deadline)}届满"
                + ("（未告知申请权利，自知道行政行为内容之日起最长一年）" if not told_of_right else "")
                + "：仍予登记，由行政复议机关审查决定是否受理",
                citation,
            )
        )
    absolute = None
    if act_date is not None:
        months = ABSOLUTE_MONTHS_REAL_PROPERTY if real_property else ABSOLUTE_MONTHS_OTHER
        absolute = clock_state(ClockRule("months", months, ABSOLUTE_CITATION), act_date).deadline
        if submitted_on > absolute:
            warnings.append(
                Finding(
                    "application_absolute_limit",
                    f"行政行为作出于{_d(act_date)}，"
                    f"{'因不动产提出的申请超过二十年' if real_property else '申请超过五年'}，依法不予受理",
                    ABSOLUTE_CITATION,
                )
            )
    if known_on > submitted_on:
        warnings.append(
            Finding("known_after_application", "知道行政行为之日晚于提出申请之日，请核实", APPLICATION_CITATION)
        )
    return ApplicationPeriod(deadline=deadline, citation=citation, absolute_deadline=absolute, warnings=tuple(warnings))


def forward_late(*, agency_received_on: dt.date, forwarded_on: dt.date) -> Finding | None:
    """第三十二条: an agency that keeps its penalty forwards the application within five working days."""
    due = add_working_days(agency_received_on, FORWARD_WORKING_DAYS)
    if forwarded_on > due:
        return Finding(
            "forward_late",
            f"处罚机关{_d(agency_received_on)}收到申请，应于{_d(due)}前转送，实际{_d(forwarded_on)}转送",
            FORWARD_CITATION,
        )
    return None


# ---------------------------------------------------------------- simple procedure (第五十三条)


def simple_grounds(
    *, on_the_spot: bool, warning: bool, amount: Decimal | None, disclosure: bool, parties_agree: bool
) -> list[str]:
    """The grounds of 第五十三条 a case meets (empty: the simple procedure is not allowed)."""
    grounds = []
    if on_the_spot:
        grounds.append("被申请行政复议的行政行为是当场作出（第一款第一项）")
    if warning:
        grounds.append("被申请行政复议的行政行为是警告或者通报批评（第一款第二项）")
    if amount is not None and amount <= SIMPLE_AMOUNT_MAX:
        grounds.append(f"案件涉及款额{amount:g}元，在三千元以下（第一款第三项）")
    if disclosure:
        grounds.append("属于政府信息公开案件（第一款第四项）")
    if parties_agree:
        grounds.append("当事人各方同意适用简易程序（第二款）")
    return grounds


# ---------------------------------------------------------------- hearing notice, suspension


def hearing_notice_problem(*, notice_on: dt.date, held_on: dt.date) -> str:
    earliest = add_working_days(notice_on, HEARING_NOTICE_WORKING_DAYS)
    if held_on < earliest:
        return (
            f"{_d(notice_on)}通知的听证不得早于{_d(earliest)}：应当于举行听证的五个工作日前书面通知当事人"
            f"（{HEARING_CITATION}、第八十八条）"
        )
    return ""


def termination_due(*, ground: str, suspended_on: dt.date | None, today: dt.date) -> Finding | None:
    """第四十一条第五项: suspended on ground 1, 2 or 4 for sixty days with the cause still there → terminate."""
    if suspended_on is None or ground not in SUSPENDED_TERMINATION_GROUNDS:
        return None
    due = clock_state(ClockRule("calendar", SUSPENDED_TERMINATION_DAYS, TERMINATION_CITATION), suspended_on).deadline
    if today > due:
        return Finding(
            "suspension_sixty_days",
            f"依第三十九条第一款第{ground}项中止已满六十日（{_d(due)}届满），中止原因仍未消除的，应当决定终止",
            f"{TERMINATION_CITATION}第五项",
        )
    return None


# ---------------------------------------------------------------- rates


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def correction_rate(*, corrected: int, decided: int) -> float | None:
    """纠错率 = (变更 + 撤销 + 确认违法 + 确认无效 + 责令履行) ÷ 作出行政复议决定的案件 (see DECIDED)."""
    return ratio(corrected, decided)


# ---------------------------------------------------------------- litigation (《行政诉讼法》)

SUIT_MONTHS = 6  # 第四十六条第一款: 知道或者应当知道作出行政行为之日起六个月内
SUIT_CITATION = f"{SUSONG}第四十六条"
SUIT_AFTER_RECONSIDERATION_CITATION = f"{SUSONG}第四十五条"
SUIT_ABSOLUTE_CITATION = f"{SUSONG}第四十六条第二款"
DEFENCE_DAYS = 15  # 第六十七条: 收到起诉状副本之日起十五日内提交证据和答辩状
DEFENCE_CITATION = f"{SUSONG}第六十七条"
APPEAL_DAYS = {"judgment": 15, "ruling": 10}  # 第八十五条
APPEAL_CITATION = f"{SUSONG}第八十五条"
SUMMONS_DAYS = 3  # 规定第五条第二款: 开庭三日前送达出庭通知书
SUMMONS_CITATION = f"{APPEARANCE_RULES}第五条"
HEAD_CITATION = f"{SUSONG}第三条第三款；{APPEARANCE_RULES}第二条"
STAFF_CITATION = f"{APPEARANCE_RULES}第十条"
ABSENCE_CITATION = f"{APPEARANCE_RULES}第八条、第九条"
ABSENCE_GROUNDS = {
    "1": "不可抗力",
    "2": "意外事件",
    "3": "需要履行他人不能代替的公务",
    "4": "无法出庭的其他正当事由",
}

# Judgments and rulings (第六十九条至第七十八条); `lost`: the agency lost the suit (败诉).
JUDGMENTS = {
    "dismissed_claim": ("判决驳回诉讼请求", "judgment", False, f"{SUSONG}第六十九条"),
    "annulled": ("判决撤销或者部分撤销", "judgment", True, f"{SUSONG}第七十条"),
    "perform": ("判决限期履行法定职责", "judgment", True, f"{SUSONG}第七十二条"),
    "payment": ("判决履行给付义务", "judgment", True, f"{SUSONG}第七十三条"),
    "unlawful": ("判决确认违法", "judgment", True, f"{SUSONG}第七十四条"),
    "void": ("判决确认无效", "judgment", True, f"{SUSONG}第七十五条"),
    "varied": ("判决变更", "judgment", True, f"{SUSONG}第七十七条"),
    "contract": ("判决承担行政协议责任", "judgment", True, f"{SUSONG}第七十八条"),
    "dismissed_suit": ("裁定驳回起诉", "ruling", False, f"{SUSONG}第五十一条"),
    "withdrawn": ("裁定准许撤诉", "ruling", False, f"{SUSONG}第六十二条"),
    "mediated": ("调解结案", "ruling", False, f"{SUSONG}第六十条"),
}


def appeal_rule(judgment_kind: str) -> ClockRule:
    form = JUDGMENTS[judgment_kind][1]
    return ClockRule("calendar", APPEAL_DAYS[form], APPEAL_CITATION)


def defence_rule() -> ClockRule:
    return ClockRule("calendar", DEFENCE_DAYS, DEFENCE_CITATION)


@dataclass(frozen=True)
class SuitPeriod:
    deadline: dt.date | None
    citation: str
    warnings: tuple[Finding, ...]


def suit_period(
    *,
    filed_on: dt.date,
    known_on: dt.date | None = None,
    decision_received_on: dt.date | None = None,
    act_date: dt.date | None = None,
    real_property: bool = False,
) -> SuitPeriod:
    """Whether a suit was filed in time: 15 days after receiving the reconsideration decision (第四十五条), else
    six months after knowing of the act (第四十六条第一款); never 20 years (real property) / 5 years after the act
    (第四十六条第二款). The court decides; the defendant agency's record shows the article."""
    warnings = []
    deadline, citation = None, SUIT_CITATION
    if decision_received_on is not None:
        citation = SUIT_AFTER_RECONSIDERATION_CITATION
        deadline = clock_state(ClockRule("calendar", SUIT_AFTER_DECISION_DAYS, citation), decision_received_on).deadline
    elif known_on is not None:
        deadline = clock_state(ClockRule("months", SUIT_MONTHS, citation), known_on).deadline
    if deadline is not None and filed_on > deadline:
        warnings.append(
            Finding("suit_period_expired", f"起诉于{_d(filed_on)}，起诉期限已于{_d(deadline)}届满", citation)
        )
    if act_date is not None:
        months = ABSOLUTE_MONTHS_REAL_PROPERTY if real_property else ABSOLUTE_MONTHS_OTHER
        limit = clock_state(ClockRule("months", months, SUIT_ABSOLUTE_CITATION), act_date).deadline
        if filed_on > limit:
            warnings.append(
                Finding(
                    "suit_absolute_limit",
                    f"行政行为作出于{_d(act_date)}，起诉已超过{'二十年' if real_property else '五年'}，人民法院不予受理",
                    SUIT_ABSOLUTE_CITATION,
                )
            )
    return SuitPeriod(deadline=deadline, citation=citation, warnings=tuple(warnings))


def summons_short(*, received_on: dt.date | None, held_on: dt.date) -> str:
    """规定第五条: the court serves the summons three days before the hearing (a note, not the agency's fault)."""
    if received_on is not None and (held_on - received_on).days < SUMMONS_DAYS:
        return f"出庭通知书于{_d(received_on)}收到，距开庭不足三日（{SUMMONS_CITATION}）"
    return ""


# ---------------------------------------------------------------- judicial and procuratorial suggestions

SUGGESTION_CITATION = {
    "judicial": "最高人民法院《关于综合治理类司法建议工作若干问题的规定》第八条",
    "procuratorial": "最高人民法院、最高人民检察院《关于检察公益诉讼案件适用法律若干问题的解释》第二十一条",
}
SUGGESTION_DEFAULT_MONTHS = 2
SUGGESTION_URGENT_DAYS = 15  # 检察建议: 紧急情形十五日内书面回复


def suggestion_rule(*, kind: str, urgent: bool, days: int | None = None, months: int | None = None) -> ClockRule:
    """The reply period: as the court sets it (司法建议, normally at most two months), two months for a 检察建议,
    15 days when urgent (damage to the public interest still spreading)."""
    basis = SUGGESTION_CITATION[kind]
    if urgent:
        return ClockRule("calendar", SUGGESTION_URGENT_DAYS, basis)
    if days:
        return ClockRule("calendar", days, basis)
    return ClockRule("months", months or suggestion_default_months(), basis)


def suggestion_default_months() -> int:
    return int(getattr(settings, "DISPUTES_SUGGESTION_MONTHS", SUGGESTION_DEFAULT_MONTHS))


def suggestion_period_problem(*, kind: str, days: int | None, months: int | None) -> str:
    """A reply period the court set beyond two months is unusual for a 司法建议 and impossible for a 检察建议."""
    total_days = (days or 0) + 31 * (months or 0)
    if kind == "procuratorial" and (days or months) and total_days > 62:
        return f"检察建议的回复期限为两个月（{SUGGESTION_CITATION['procuratorial']}）"
    return ""


# ---------------------------------------------------------------- documents


def decision_prefix(government_name: str) -> str:
    """发文机关代字 of the 行政复议决定书: the setting, else the first character of the government's name + 政复
    (示例市人民政府 → 示政复)."""
    configured = getattr(settings, "DISPUTES_DECISION_PREFIX", "")
    return configured or f"{government_name[:1]}政复"


# ---------------------------------------------------------------- citations the pages show beside their explanations

HEADS_LIST_CITATION = f"{APPEARANCE_RULES}第二条"
CORRECTION_RATE_CITATION = f"{FUYI}第六十三条至第六十九条、第三十三条"
APPEARANCE_RATE_CITATION = f"{SUSONG}第三条第三款"
APPEARANCE_DUTY_CITATION = f"{SUSONG}第三条第三款，{APPEARANCE_RULES}第二条、第八条至第十条"
SUIT_PERIOD_CITATION = f"{SUSONG}第四十五条、第四十六条"
NORMATIVE_REVIEW_CITATION = f"{FUYI}第十三条、第五十六条至第六十条"

# Citations the pages show (templates cite them, never spell an article out).
NORMATIVE_SUSPENSION_CITATION = f"{FUYI}第三十九条第一款第九项"
APPLICATION_PERIODS_CITATION = f"{FUYI}第二十条、第二十一条"
