"""Rules of 调解: kinds, sources, outcomes, the court-referral period, the success rate. Pure functions and the
numbers with their sources; pinned by tests/test_rules.py.

Sources:
- 《中华人民共和国人民调解法》(2010): 第十七条 (当事人申请或调解委员会主动调解), 第十八条 (法院、公安机关在受理前
  告知当事人申请人民调解), 第二十六条 (调解不成的终止调解，告知仲裁、行政、司法等途径), 第二十八条、第二十九条
  (调解协议书及其载明事项、生效), 第三十一条 (调解协议具有法律约束力；调解委员会监督履行), 第三十三条 (三十日内共同申请
  司法确认).
- 《最高人民法院关于人民法院特邀调解的规定》(法释〔2016〕14号) 第二十七条第一款: 人民法院委派调解的案件，调解期限为30日。
  但是双方当事人同意延长调解期限的，不受此限; 第三款: 期限自特邀调解组织或者特邀调解员签字接收法院移交材料之日起计算 —
  the period of a court referral (诉前调解 is 委派调解). Checked against the text of the provision (LawRefBook/Laws,
  司法解释/最高人民法院关于人民法院特邀调解的规定(2016-06-28).md); 《人民法院在线调解规则》(法释〔2021〕23号) 第二十四条 sets
  the same thirty days for 立案前在线调解. Earlier versions cited 第二十二条 (which is about admissions made while
  mediating): corrected. Neither text caps an agreed extension; COURT_EXTENSION_MAX_DAYS is our local cap (one
  extension, at most that many days, with the parties' consent or the court's approval), which an operator who
  follows a local court's practice changes here only.
"""

import datetime as dt
from decimal import Decimal

# ---------------------------------------------------------------- organisations

ORG_VILLAGE, ORG_TOWNSHIP, ORG_INDUSTRY, ORG_STATIONED = "village", "township", "industry", "stationed"
ORG_KINDS = [
    (ORG_VILLAGE, "村（社区）人民调解委员会"),
    (ORG_TOWNSHIP, "乡镇（街道）人民调解委员会"),
    (ORG_INDUSTRY, "行业性专业性人民调解委员会"),
    (ORG_STATIONED, "派驻调解组织（法院、公安、信访等）"),
]
ORG_KIND_LABELS = dict(ORG_KINDS)

# ---------------------------------------------------------------- disputes

KINDS = [
    ("marriage", "婚姻家庭纠纷"),
    ("neighbour", "邻里纠纷"),
    ("land", "土地山林纠纷"),
    ("contract", "合同纠纷"),
    ("damage", "损害赔偿纠纷"),
    ("labour", "劳动争议"),
    ("medical", "医疗纠纷"),
    ("traffic", "道路交通事故纠纷"),
    ("property", "物业纠纷"),
    ("other", "其他纠纷"),
]
KIND_LABELS = dict(KINDS)

SOURCE_WALK_IN, SOURCE_GRID, SOURCE_COURT, SOURCE_AGENCY, SOURCE_HOTLINE, SOURCE_COMPLAINT = (
    "walk_in",
    "grid",
    "court",
    "agency",
    "hotline",
    "complaint",
)
# 人民调解 (the first two and the last two), 诉前调解 (court) and 行政调解 (agency): a dispute an administrative
# agency mediates within its remit (e.g. 公安 on minor injuries, 市场监管 on consumer disputes) and records here.
SOURCES = [
    (SOURCE_WALK_IN, "当事人申请（来访）"),
    (SOURCE_GRID, "网格排查"),
    (SOURCE_COURT, "法院委派（诉前调解）"),
    (SOURCE_AGENCY, "行政机关调解（行政调解）"),
    (SOURCE_HOTLINE, "12345 热线转办"),
    (SOURCE_COMPLAINT, "投诉举报转来（不属于行政执法投诉）"),
]
SOURCE_LABELS = dict(SOURCES)


def category(source: str) -> str:
    """调解类别 of a dispute by its source: 诉前调解 (court), 行政调解 (agency), otherwise 人民调解."""
    return {SOURCE_COURT: "诉前调解", SOURCE_AGENCY: "行政调解"}.get(source, "人民调解")


SOURCE_CITATION = "《人民调解法》第十七条、第十八条"

# ---------------------------------------------------------------- status and outcome

REGISTERED, MEDIATING, SUCCESS, FAILED = "registered", "mediating", "success", "failed"
STATUSES = [(REGISTERED, "已受理"), (MEDIATING, "调解中"), (SUCCESS, "调解成功"), (FAILED, "调解不成功")]
STATUS_LABELS = dict(STATUSES)
OPEN_STATUSES = (REGISTERED, MEDIATING)
OUTCOMES = [(SUCCESS, "调解成功"), (FAILED, "调解不成功")]

CHANNELS = [("litigation", "诉讼"), ("arbitration", "仲裁"), ("adjudication", "行政裁决"), ("petition", "信访")]
CHANNEL_LABELS = dict(CHANNELS)
FAILED_CITATION = (
    "《人民调解法》第二十六条：调解不成的，应当终止调解，并告知当事人依法通过仲裁、行政、司法等途径维护权利"
)
AGREEMENT_CITATION = "《人民调解法》第二十八条、第二十九条（调解协议书载明事项，签名盖章之日起生效）"
CONFIRMATION_DAYS = 30
CONFIRMATION_CITATION = "《人民调解法》第三十三条：自调解协议生效之日起三十日内共同向人民法院申请司法确认"

PERFORMANCE = [("pending", "待回访"), ("performed", "已履行"), ("partly", "部分履行"), ("not_performed", "未履行")]
PERFORMANCE_LABELS = dict(PERFORMANCE)
PERFORMANCE_CITATION = "《人民调解法》第三十一条：人民调解委员会应当对调解协议的履行情况进行监督，督促当事人履行"

# ---------------------------------------------------------------- court referrals (诉前调解)

COURT_REFERRAL_DAYS = 30
COURT_REFERRAL_SOURCE = "《最高人民法院关于人民法院特邀调解的规定》第二十七条：人民法院委派调解的案件，调解期限为三十日"
COURT_REFERRAL_CITATION = COURT_REFERRAL_SOURCE + "；双方当事人同意延长调解期限的，不受此限"

# One extension of a referral, agreed by the parties or approved by the court, for a reason. The provision sets no
# upper bound ("不受此限"): the cap is local practice, kept here so that an operator changes one number.
COURT_EXTENSION_MAX_DAYS = 30
COURT_EXTENSION_TIMES = 1
COURT_EXTENSION_CITATION = (
    "《最高人民法院关于人民法院特邀调解的规定》第二十七条：双方当事人同意延长调解期限的，不受此限"
    f"（本地做法：延长一次，最长{COURT_EXTENSION_MAX_DAYS}日）"
)
COURT_EXTENSION_GROUNDS = [("consent", "各方当事人同意延长"), ("court", "委派法院准许延长")]
COURT_EXTENSION_GROUND_LABELS = dict(COURT_EXTENSION_GROUNDS)

# ---------------------------------------------------------------- limits of input

NAME_MAX = 50
TEXT_MAX = 5000
AMOUNT_MAX = Decimal("999999999999.99")


def court_due(*, referred_on: dt.date, extension_days: int = 0) -> dt.date:
    """The day a court-referred mediation must be finished and its result returned (calendar days)."""
    return referred_on + dt.timedelta(days=COURT_REFERRAL_DAYS + extension_days)


def success_rate(*, success: int, mediated: int) -> float | None:
    """调解成功率 = 调解成功 ÷ 调结（成功 + 不成功）; None when nothing was concluded."""
    return round(success * 100 / mediated, 1) if mediated else None


def confirmation_until(*, agreed_on: dt.date) -> dt.date:
    return agreed_on + dt.timedelta(days=CONFIRMATION_DAYS)
