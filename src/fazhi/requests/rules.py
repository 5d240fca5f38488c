"""Pure rules of deputies' suggestions, CPPCC proposals and information disclosure on request, each number with
its source. Statutory numbers are constants; the local ones (the window for returning a wrongly assigned item,
the co-units' period, the re-reply period, the rating window, the correction period …) are read from
`settings.FAZHI_REQUESTS` with the value below as default. No I/O beyond the working-day calendar.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from fazhi.tracking.clocks import ClockRule, clock_start
from fazhi.workdays.calendar import add_working_days


def conf() -> dict:
    """Local settings: `FAZHI_REQUESTS = {"RETURN_WORKING_DAYS": 7, …}` in the deployment's settings."""
    return getattr(settings, "FAZHI_REQUESTS", {}) or {}


def _setting(name: str, default: int) -> int:
    value = conf().get(name, default)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default


# ================================================================ deputies' suggestions and CPPCC proposals

# 《全国人民代表大会和地方各级人民代表大会代表法》(2025) 第五十一条第二款: 自交办之日起三个月内答复；涉及面广、处理难度大的，
# 应当自交办之日起六个月内答复. The local rules add that the longer period needs the assigning body's consent
# (《北京市人民代表大会代表建议、批评和意见办理条例》(2014) 第二十一条; 《山东省人民代表大会代表建议、批评和意见办理工作条例》
# (2017) 第十九条), so the 6 months are an extension of the 3-month clock by at most 3 months, with that consent.
REPLY_MONTHS = 3
REPLY_MAX_MONTHS = 6
EXTENSION_CAP_MONTHS = REPLY_MAX_MONTHS - REPLY_MONTHS
REPLY_BASIS = {
    "suggestion": "《代表法》（2025）第五十一条第二款：自交办之日起三个月内答复；涉及面广、处理难度大的，经交办机关同意，六个月内答复",
    # The CPPCC's own rules set the same periods (national and local 提案工作条例).
    "proposal": "《中国人民政治协商会议全国委员会提案工作条例》及本地政协提案工作规定：自交办之日起三个月内办复，情况复杂的经交办机关同意最迟六个月",
}
# Returning a wrongly assigned item: "收到之日起五日内…说明情况…未经交办机关同意，承办单位不得擅自退回或者转办"
# (山东 2017 第十二条); other places give 7 (上海) or 10 (河南 2017 第十四条) working days. Local: a setting.
RETURN_WORKING_DAYS_DEFAULT = 5
RETURN_BASIS = "《山东省人民代表大会代表建议、批评和意见办理工作条例》（2017）第十二条：不属于本单位职责范围的，及时说明情况，未经交办机关同意不得擅自退回（本地规定）"
# Co-units send their view to the lead unit "收到…之日起一个月内" (山东 2017 第二十一条; 上海: 一个月; 河南 2017 第十八条: 两个月).
CO_VIEW_MONTHS_DEFAULT = 1
CO_VIEW_BASIS = "《山东省人民代表大会代表建议、批评和意见办理工作条例》（2017）第二十一条：协办单位收到之日起一个月内将处理意见告主办单位（本地规定）"
# A dissatisfied deputy gets a new reply "在一个月内" (浙江 2016 第四十三条; 山东 2017 第二十四条; 河南 2017 第二十二条).
REREPLY_MONTHS_DEFAULT = 1
REREPLY_BASIS = "《浙江省实施〈代表法〉办法》（2016）第四十三条、《山东省人民代表大会代表建议、批评和意见办理工作条例》（2017）第二十四条：对答复不满意的，一个月内重新办理答复（本地规定）"
# The deputy gives his written feedback "自收到答复意见后十五个工作日内" (北京 2014 第二十三条; 河南 2017: 十个工作日): the
# signed rating link is valid that long.
RATING_WORKING_DAYS_DEFAULT = 15
RATING_BASIS = "《北京市人民代表大会代表建议、批评和意见办理条例》（2014）第二十三条：代表自收到答复后十五个工作日内反馈意见（本地规定）"
RATING_WHO = "《山东省人民代表大会代表建议、批评和意见办理工作条例》（2017）第二十三条：联名提出的，由领衔代表征求并综合联名代表的意见后反馈"
# Replies are public unless they touch state, commercial or private secrets (山东 2017 第二十七条第二款; 代表法 第五十一条第三款).
PUBLICATION_BASIS = "《代表法》（2025）第五十一条第三款；《山东省人民代表大会代表建议、批评和意见办理工作条例》（2017）第二十七条第二款：涉及国家秘密、商业秘密和个人隐私的不予公开"

# The common A/B/C classification of replies (the local handling rules): C needs the reasons written down.
CLASSIFICATION_LABELS = {
    "A": "A类（所提问题已经解决或基本解决）",
    "B": "B类（所提问题列入计划逐步解决）",
    "C": "C类（所提问题因条件限制暂不能解决）",
}
# 两项满意度: the proposer rates the attitude and the result of the handling.
SATISFACTION_LABELS = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}
# The goal of every rate is 100 %: green at the goal, yellow from GOAL_YELLOW_FROM %, red below.
GOAL_PERCENT = 100
GOAL_YELLOW_FROM_DEFAULT = 90

CHINESE_DIGITS = "零一二三四五六七八九"


def return_working_days() -> int:
    return _setting("RETURN_WORKING_DAYS", RETURN_WORKING_DAYS_DEFAULT)


def co_view_months() -> int:
    return _setting("CO_VIEW_MONTHS", CO_VIEW_MONTHS_DEFAULT)


def rereply_months() -> int:
    return _setting("REREPLY_MONTHS", REREPLY_MONTHS_DEFAULT)


def rating_working_days() -> int:
    return _setting("RATING_WORKING_DAYS", RATING_WORKING_DAYS_DEFAULT)


def goal_yellow_from() -> int:
    value = _setting("GOAL_YELLOW_FROM", GOAL_YELLOW_FROM_DEFAULT)
    return min(value, GOAL_PERCENT)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 20 → 二十, 18 → 十八, 105 → 一百零五 (届次 and 会议 are written this way)."""
    if n < 0:
        raise ValueError("negative")
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + CHINESE_DIGITS[rest]
    else:
        tail = (CHINESE_DIGITS[1] if rest < 20 else "") + chinese_number(rest)
    return chinese_number(hundreds) + "百" + tail


def session_name(*, body: str, division: str, term: int, meeting: int, year: int) -> str:
    """示例市第十八届人民代表大会第五次会议 / 政协示例市第十三届委员会第五次会议; meeting 0: 闭会期间 of that year."""
    if body == "npc":
        base = f"{division}第{chinese_number(term)}届人民代表大会"
        return f"{base}第{chinese_number(meeting)}次会议" if meeting else f"{base}常务委员会（{year}年闭会期间）"
    base = f"政协{division}第{chinese_number(term)}届委员会"
    return f"{base}第{chinese_number(meeting)}次会议" if meeting else f"{base}常务委员会（{year}年闭会期间）"


def reply_rule(kind: str) -> ClockRule:
    return ClockRule(
        unit="months",
        length=REPLY_MONTHS,
        basis=REPLY_BASIS.get(kind, REPLY_BASIS["suggestion"]),
        extension_cap=EXTENSION_CAP_MONTHS,
    )


def co_view_rule() -> ClockRule:
    return ClockRule(unit="months", length=co_view_months(), basis=CO_VIEW_BASIS)


def rereply_rule() -> ClockRule:
    return ClockRule(unit="months", length=rereply_months(), basis=REREPLY_BASIS)


def period_end(rule: ClockRule, start: dt.date) -> dt.date:
    """The last day of a fresh period of `rule` from `start` (the tracking core's counting)."""
    return clock_start(rule, start).deadline


def return_deadline(assigned_on: dt.date) -> dt.date:
    return add_working_days(assigned_on, return_working_days())


def return_problem(*, assigned_on: dt.date, on: dt.date) -> str | None:
    """Why a unit may no longer return the item as wrongly assigned on `on` (None: it may)."""
    last = return_deadline(assigned_on)
    if on > last:
        return (
            f"已超过退回期限：认为不属于本单位职责的，应在交办之日起{return_working_days()}个工作日内"
            f"（至{last:%Y年%-m月%-d日}）说明理由申请退回；逾期未经交办机关同意不得退回（{RETURN_BASIS}）"
        )
    if on < assigned_on:
        return "退回日期不能早于交办日期"
    return None


def reply_issue_problem(*, pending: list[tuple[str, dt.date]], on: dt.date) -> str | None:
    """Co-units give their view first: the lead unit replies once every co-unit has, or its period has run out.
    `pending` are the co-units without a view yet, with the last day of their period."""
    waiting = [(name, due) for name, due in pending if on <= due]
    if not waiting:
        return None
    names = "、".join(f"{name}（期限至{due:%Y-%m-%d}）" for name, due in waiting)
    return f"协办单位尚未提出协办意见：{names}。主办单位应在协办意见提出后统一答复（{CO_VIEW_BASIS}）"


def classification_problem(*, classification: str, c_reason: str) -> tuple[str, str] | None:
    """(field, message) when the classification is missing or a C reply gives no reasons."""
    if classification not in CLASSIFICATION_LABELS:
        return "classification", "请选择办理结果分类：A类、B类或C类"
    if classification == "C" and not (c_reason or "").strip():
        return "c_reason", "C类答复须说明因条件限制暂不能解决的原因"
    return None


def rating_problems(*, attitude: str, result: str, comment: str) -> list[tuple[str, str]]:
    problems = []
    for field, value, label in (("attitude", attitude, "办理态度"), ("result", result, "办理结果")):
        if value not in SATISFACTION_LABELS:
            problems.append((field, f"请评价{label}：满意、基本满意或不满意"))
    if not problems and rating_dissatisfied(attitude=attitude, result=result) and not (comment or "").strip():
        problems.append(("comment", "对办理态度或办理结果不满意的，请填写具体意见（将据此重新办理）"))
    return problems


def rating_dissatisfied(*, attitude: str, result: str) -> bool:
    """Dissatisfied with the attitude or the result: the item is handled again (浙江 2016 第四十三条)."""
    return "dissatisfied" in (attitude, result)


def rating_link_expires(issued_on: dt.date) -> dt.date:
    return add_working_days(issued_on, rating_working_days())


def rate(numerator: int, denominator: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to measure."""
    if not denominator:
        return None
    return round(100 * numerator / denominator, 1)


def goal_light(percent: float | None) -> str:
    """The 100 % goal as a light: green at the goal, yellow from GOAL_YELLOW_FROM, red below; "" without data."""
    if percent is None:
        return ""
    if percent >= GOAL_PERCENT:
        return "green"
    return "yellow" if percent >= goal_yellow_from() else "red"


# ================================================================ information disclosure on request

REGULATION = "《政府信息公开条例》（2019）"
# 第三十三条第二款: 不能当场答复的，应当自收到申请之日起20个工作日内予以答复；需要延长答复期限的，应当经政府信息公开工作机构
# 负责人同意并告知申请人，延长的期限最长不得超过20个工作日. 第三款: 征求第三方和其他机关意见所需时间不计算在前款规定的期限内.
ANSWER_WORKING_DAYS = 20
EXTENSION_CAP_WORKING_DAYS = 20
ANSWER_BASIS = (
    f"{REGULATION}第三十三条第二款：自收到申请之日起20个工作日内答复；经政府信息公开工作机构负责人同意并告知申请人，"
    "可延长，最长不超过20个工作日"
)
# 第三十条: 内容不明确的，自收到申请之日起7个工作日内一次性告知申请人作出补正…答复期限自行政机关收到补正的申请之日起计算。
# 申请人无正当理由逾期不补正的，视为放弃申请.
CORRECTION_NOTICE_WORKING_DAYS = 7
CORRECTION_NOTICE_BASIS = (
    f"{REGULATION}第三十条：自收到申请之日起7个工作日内一次性告知补正，答复期限自收到补正的申请之日起计算"
)
# The "合理的补正期限" is the agency's to set (第三十条); the default is local practice, a setting.
CORRECTION_WORKING_DAYS_DEFAULT = 15
CORRECTION_BASIS = f"{REGULATION}第三十条：申请人在告知的合理补正期限内补正，无正当理由逾期不补正的，视为放弃申请"
# 第三十二条 (third party) and 第三十四条 (another agency): 自收到征求意见书之日起15个工作日内提出意见.
CONSULTATION_WORKING_DAYS = 15
CONSULTATION_BASIS = {
    "third_party": f"{REGULATION}第三十二条：第三方自收到征求意见书之日起15个工作日内提出意见；征求意见所需时间不计入答复期限（第三十三条第三款）",
    "agency": f"{REGULATION}第三十四条：被征求意见机关自收到征求意见书之日起15个工作日内提出意见，逾期视为同意公开；所需时间不计入答复期限（第三十三条第三款）",
}
PAUSE_BASIS = f"{REGULATION}第三十三条第三款：征求第三方和其他机关意见所需时间不计算在答复期限内"
# A consultation the other side let run out ends on its last day (the periodic job), with what the silence means.
CONSULTATION_LAPSED = {
    "third_party": "第三方逾期未提出意见，由本机关依照规定决定是否公开（第三十二条）",
    "agency": "被征求意见机关逾期未提出意见，视为同意公开（第三十四条）",
}
RESTART_BASIS = f"{REGULATION}第三十条：答复期限自行政机关收到补正的申请之日起计算"
RECEIPT_BASIS = f"{REGULATION}第三十一条"
# 《行政复议法》(2023) 第二十条 (60 days) and 《行政诉讼法》第四十六条 (6 months): told in every answer.
REMEDY_NOTE = "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。"

# Public request form: per network address per hour (design §4 rate limits), and failed status queries per hour.
PORTAL_IP_HOUR_DEFAULT = 5
RATING_IP_HOUR = 10
QUERY_FAIL_HOUR_DEFAULT = 10
WINDOW_SECONDS = 3600
CONTENT_MIN = 5
CONTENT_MAX = 2000


# Online requests wait for the agency's confirmation, whose day is the day of receipt (第三十一条第三项). The law sets no
# period for confirming; the desk reminds after this many working days (local practice, a setting).
CONFIRM_WORKING_DAYS_DEFAULT = 1
CONFIRM_BASIS = "本地管理要求：网上申请提交后及时确认收到（第三十一条第三项：以双方确认之日为收到申请之日）"


def confirm_working_days() -> int:
    return _setting("CONFIRM_WORKING_DAYS", CONFIRM_WORKING_DAYS_DEFAULT)


def correction_working_days() -> int:
    return _setting("CORRECTION_WORKING_DAYS", CORRECTION_WORKING_DAYS_DEFAULT)


def portal_ip_hour() -> int:
    return _setting("PORTAL_IP_HOUR", PORTAL_IP_HOUR_DEFAULT)


def query_fail_hour() -> int:
    return _setting("QUERY_FAIL_HOUR", QUERY_FAIL_HOUR_DEFAULT)


def answer_rule() -> ClockRule:
    return ClockRule(
        unit="working", length=ANSWER_WORKING_DAYS, basis=ANSWER_BASIS, extension_cap=EXTENSION_CAP_WORKING_DAYS
    )


def correction_rule(days: int | None = None) -> ClockRule:
    return ClockRule(unit="working", length=days or correction_working_days(), basis=CORRECTION_BASIS)


def consultation_rule(party: str) -> ClockRule:
    return ClockRule(unit="working", length=CONSULTATION_WORKING_DAYS, basis=CONSULTATION_BASIS[party])


# 第三十一条: the day an application counts as received, by how it came.
RECEIPT_RULES = {
    "window": "当面提交的，以提交之日为收到申请之日（第三十一条第一项）",
    "post": "以邮寄方式提交的，以行政机关签收之日为收到申请之日（第三十一条第二项）",
    "letter": "以平常信函等无需签收的方式邮寄的，以收到当日与申请人确认之日为收到申请之日（第三十一条第二项）",
    "online": "通过互联网渠道提交的，以双方确认之日为收到申请之日（第三十一条第三项）",
    "fax": "通过政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日（第三十一条第三项）",
}


def receipt_problem(*, channel: str, submitted_on: dt.date, received_on: dt.date, today: dt.date) -> str | None:
    """Why `received_on` cannot be the day of receipt of an application that came by `channel` and was
    submitted (sent, faxed, posted online) on `submitted_on`."""
    if channel not in RECEIPT_RULES:
        return f"申请方式“{channel}”无效，应为：{'、'.join(RECEIPT_RULES)}"
    if received_on > today:
        return "收到申请之日不能晚于今天"
    if channel == "window" and received_on != submitted_on:
        return RECEIPT_RULES["window"]
    if received_on < submitted_on:
        return f"收到申请之日不能早于提交日期（{submitted_on:%Y-%m-%d}）"
    return None


def correction_notice_deadline(received_on: dt.date) -> dt.date:
    return add_working_days(received_on, CORRECTION_NOTICE_WORKING_DAYS)


# The events of a request and the states each may happen in (anything else is refused with the reason).
EVENT_KINDS = {
    "confirmed": "确认收到申请",
    "correction_requested": "告知补正",
    "correction_received": "收到补正",
    "consultation_started": "征求意见",
    "consultation_ended": "收到意见",
    "extended": "延长答复期限",
    "answered": "答复",
    "delivered": "送达",
    "abandoned": "视为放弃申请",
    "withdrawn": "申请人撤回",
}
EVENT_FROM = {
    "confirmed": ("awaiting_confirmation",),
    "correction_requested": ("processing",),
    "correction_received": ("correction",),
    "consultation_started": ("processing",),
    "consultation_ended": ("consulting",),
    "extended": ("processing",),
    "answered": ("processing",),
    "delivered": ("answered",),
    "abandoned": ("correction",),
    "withdrawn": ("awaiting_confirmation", "processing", "correction", "consulting"),
}
STATE_HINT = {
    "awaiting_confirmation": "申请尚未确认收到",
    "correction": "申请人尚未补正（收到补正后答复；无正当理由逾期不补正的，视为放弃申请）",
    "consulting": "征求意见尚未结束，请先登记收到意见",
    "answered": "申请已答复",
    "delivered": "申请已答复并送达",
    "abandoned": "申请已视为放弃",
    "withdrawn": "申请已撤回",
    "processing": "申请正在办理",
}
FINAL_STATES = ("delivered", "abandoned", "withdrawn")
CONCLUDED_STATES = ("answered", "delivered", "abandoned", "withdrawn")


def event_problem(*, status: str, kind: str, corrections_asked: int = 0) -> str | None:
    """Why the event cannot happen to a request in `status` (None: it may)."""
    if kind not in EVENT_KINDS:
        return f"事件“{kind}”无效，应为：{'、'.join(EVENT_KINDS)}"
    if status not in EVENT_FROM[kind]:
        return f"不能{EVENT_KINDS[kind]}：{STATE_HINT.get(status, status)}"
    if kind == "correction_requested" and corrections_asked:
        return f"补正应一次性告知，已告知过补正，不能再次要求补正（{CORRECTION_NOTICE_BASIS}）"
    return None


@dataclass(frozen=True)
class AnswerKind:
    code: str
    label: str
    article: str
    report_row: str  # the row of the annual report's table (see REPORT_ROWS); "" when the ground decides


ANSWER_KINDS = [
    AnswerKind("disclosed", "予以公开", "第三十六条第二项", "disclosed"),
    AnswerKind("public_already", "已主动公开（告知获取途径）", "第三十六条第一项", "disclosed"),
    AnswerKind("partial", "部分公开", "第三十七条", "partial"),
    AnswerKind("withheld", "不予公开", "第三十六条第三项", ""),
    AnswerKind("not_exist", "信息不存在", "第三十六条第四项", "unavailable_not_held"),
    AnswerKind("not_held", "非本机关负责公开", "第三十六条第五项", "unavailable_not_held"),
    AnswerKind("needs_creation", "需另行制作（不予提供）", "第三十八条", "unavailable_creation"),
    AnswerKind("unclear", "补正后申请内容仍不明确", "第三十条", "unavailable_unclear"),
    AnswerKind("repeat", "重复申请（不予重复处理）", "第三十六条第六项", "not_processed_repeat"),
    AnswerKind("not_processed", "不予处理", "第三十五条、第三十九条", ""),
    AnswerKind("other", "其他处理", "", "other_other"),
]
ANSWER = {a.code: a for a in ANSWER_KINDS}
# 不予公开 and its grounds (第十四条 to 第十六条, 第三十六条第七项), as the annual report counts them.
WITHHELD_GROUNDS = {
    "state_secret": ("属于国家秘密", "第十四条"),
    "law_prohibits": ("其他法律行政法规禁止公开", "第十四条"),
    "three_safety": ("危及“三安全一稳定”", "第十四条"),
    "third_party": ("保护第三方合法权益", "第十五条"),
    "internal": ("属于三类内部事务信息", "第十六条第一款"),
    "process": ("属于四类过程性信息", "第十六条第二款"),
    "enforcement_file": ("属于行政执法案卷", "第十六条第二款"),
    "administrative_query": ("属于行政查询事项", "第三十六条第七项"),
}
NOT_PROCESSED_GROUNDS = {
    "petition": ("信访举报投诉类申请", "第三十九条第一款"),
    "publication": ("要求提供公开出版物", "第三十九条第二款"),
    "excessive": ("无正当理由大量反复申请", "第三十五条"),
    "confirm": ("要求行政机关确认或重新出具已获取信息", "第三十六条"),
}
# Words a caller may use for an answer kind besides its code and label.
ANSWER_ALIASES = {
    "公开": "disclosed",
    "予以公开": "disclosed",
    "已主动公开": "public_already",
    "部分公开": "partial",
    "不予公开": "withheld",
    "不公开": "withheld",
    "信息不存在": "not_exist",
    "政府信息不存在": "not_exist",
    "非本机关掌握": "not_held",
    "非本机关负责公开": "not_held",
    "不属于本机关公开职责": "not_held",
    "重复申请": "repeat",
    "不予处理": "not_processed",
    "其他处理": "other",
    "partially_disclosed": "partial",
    "refused": "withheld",
    "nonexistent": "not_exist",
    "not_ours": "not_held",
}


def answer_code(value: str) -> str:
    """The code of an answer kind given as code, label or a common word ("" when unknown)."""
    value = (value or "").strip()
    if value in ANSWER:
        return value
    for a in ANSWER_KINDS:
        if value == a.label:
            return a.code
    return ANSWER_ALIASES.get(value, ANSWER_ALIASES.get(value.lower(), ""))


def ground_code(kind: str, value: str) -> str:
    grounds = WITHHELD_GROUNDS if kind == "withheld" else NOT_PROCESSED_GROUNDS if kind == "not_processed" else {}
    value = (value or "").strip()
    if value in grounds:
        return value
    for code, (label, _) in grounds.items():
        if value == label:
            return code
    return ""


def answer_problems(*, kind: str, ground: str, reason: str, competent_body: str) -> list[tuple[str, str]]:
    """(field, message) for each thing an answer of `kind` lacks (第三十六条, 第三十七条)."""
    if kind not in ANSWER:
        labels = "、".join(a.label for a in ANSWER_KINDS)
        return [("answer", f"请选择答复类型：{labels}")]
    problems = []
    if kind in ("withheld", "not_processed") and not ground:
        grounds = WITHHELD_GROUNDS if kind == "withheld" else NOT_PROCESSED_GROUNDS
        problems.append(("ground", f"{ANSWER[kind].label}须注明依据：{'、'.join(g[0] for g in grounds.values())}"))
    if kind in ("withheld", "partial", "not_processed", "not_held", "other") and not (reason or "").strip():
        problems.append(("reason", f"{ANSWER[kind].label}须向申请人说明理由（{ANSWER[kind].article or '第三十六条'}）"))
    if kind == "not_held" and not (competent_body or "").strip():
        problems.append(
            (
                "competent_body",
                "非本机关负责公开的，能够确定负责公开的机关的，应告知其名称、联系方式（第三十六条第五项）",
            )
        )
    return problems


def report_row(kind: str, ground: str) -> str:
    if kind == "withheld":
        return f"withheld_{ground or 'law_prohibits'}"
    if kind == "not_processed":
        return f"not_processed_{ground or 'petition'}"
    if kind == "abandoned":
        return "other_abandoned"
    if kind == "withdrawn":
        return "other_other"
    answer = ANSWER.get(kind)
    return answer.report_row if answer else "other_other"


# The rows of table 三 of the annual report (国务院办公厅政府信息与政务公开办公室 2021 年公布的
# 《中华人民共和国政府信息公开工作年度报告格式》), in order; the figures are per applicant type (columns).
REPORT_ROWS = [
    ("disclosed", "（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    *[
        (f"withheld_{code}", f"（三）不予公开 {i}．{label}")
        for i, (code, (label, _)) in enumerate(WITHHELD_GROUNDS.items(), 1)
    ],
    ("unavailable_not_held", "（四）无法提供 1．本机关不掌握相关政府信息"),
    ("unavailable_creation", "（四）无法提供 2．没有现成信息需要另行制作"),
    ("unavailable_unclear", "（四）无法提供 3．补正后申请内容仍不明确"),
    ("not_processed_petition", "（五）不予处理 1．信访举报投诉类申请"),
    ("not_processed_repeat", "（五）不予处理 2．重复申请"),
    ("not_processed_publication", "（五）不予处理 3．要求提供公开出版物"),
    ("not_processed_excessive", "（五）不予处理 4．无正当理由大量反复申请"),
    ("not_processed_confirm", "（五）不予处理 5．要求行政机关确认或重新出具已获取信息"),
    ("other_abandoned", "（六）其他处理 1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_fee", "（六）其他处理 2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "（六）其他处理 3．其他"),
]
REPORT_COLUMNS = [
    ("person", "自然人"),
    *[
        (f"org_{code}", label)
        for code, label in [
            ("business", "商业企业"),
            ("research", "科研机构"),
            ("charity", "社会公益组织"),
            ("legal", "法律服务机构"),
            ("other", "其他"),
        ]
    ],
    ("total", "总计"),
]
REPORT_BASIS = f"{REGULATION}第五十条；《中华人民共和国政府信息公开工作年度报告格式》（2021）"


# ================================================================ documents

# The document types this app issues, with the code that follows the issuer's abbreviation in the number
# (GB/T 9704 §7.2.4: 发文机关代字 + 〔年份〕 + 序号). A deployment names each unit's abbreviation in
# FAZHI_REQUESTS["ISSUER_CODES"] = {"示例市市场监督管理局": "示市监"}; without one the unit's short name is used.
DOC_TYPES = {
    "suggestion_reply": ("人大代表建议答复", "建复"),
    "proposal_reply": ("政协提案答复", "提复"),
    "disclosure_answer": ("政府信息公开申请答复书", "信公"),
    "correction_notice": ("政府信息公开申请补正告知书", "信补"),
    "extension_notice": ("延长政府信息公开答复期限告知书", "信延"),
    "consultation_letter": ("政府信息公开征求意见书", "信征"),
}


def issuer_prefix(*, unit_name: str, short_name: str, doc_type: str) -> str:
    codes = conf().get("ISSUER_CODES") or {}
    base = codes.get(unit_name) or short_name or unit_name
    return f"{base}{DOC_TYPES[doc_type][1]}"


def proposer_lines(text: str) -> list[dict]:
    """Proposers typed one per line as "姓名，代表团或界别，电话" (the last two optional; commas or spaces); the
    first line is the lead proposer (领衔)."""
    import re

    out = []
    for line in (text or "").replace("\r", "\n").split("\n"):
        parts = [p.strip() for p in re.split(r"[，,；;\t]+", line.strip()) if p.strip()]
        if not parts:
            continue
        name = parts[0]
        delegation = parts[1] if len(parts) > 1 else ""
        phone = parts[2] if len(parts) > 2 else ""
        out.append({"name": name, "delegation": delegation, "phone": phone})
    return out


# Citations the pages show beside their explanations (templates cite these, never an article of their own).
RECEIPT_CITATION = RECEIPT_BASIS
REQUEST_RIGHT_CITATION = f"{REGULATION}第二十七条、第二十九条"
RECEIPT_AND_ANSWER_CITATION = f"{REGULATION}第三十一条、第三十三条"

# Citations the pages show (templates cite them, never spell an article out).
ANSWER_PERIOD_CITATION = f"{REGULATION}第三十三条"
CORRECTION_NOTICE_CITATION = f"{REGULATION}第三十条"
