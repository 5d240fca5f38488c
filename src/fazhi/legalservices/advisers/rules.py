"""Rules of 法律顾问: kinds, the village coverage goal and its lights, legal-opinion kinds and the default period.
Pinned by tests/test_rules.py.

Sources:
- 中共中央办公厅、国务院办公厅《关于推行法律顾问制度和公职律师公司律师制度的意见》(2016): 党政机关普遍设立法律顾问、
  公职律师; 法律顾问参与重大决策、规范性文件、合同的合法性审查和诉讼.
- 中共中央办公厅、国务院办公厅《关于加快推进公共法律服务体系建设的意见》(2019): 健全村（居）法律顾问制度, 一村（居）
  一法律顾问 — the 100 % coverage goal (the seeds: "全县138个村(社区)续签法律顾问合同 … 覆盖率达100%").
- The yellow band below the goal is a local choice (COVERAGE_YELLOW_FROM), not a statutory number.
"""

import datetime as dt

GOVERNMENT, GOV_LAWYER, VILLAGE = "government", "gov_lawyer", "village"
ADVISER_KINDS = [(GOVERNMENT, "政府法律顾问"), (GOV_LAWYER, "公职律师"), (VILLAGE, "村（居）法律顾问")]
ADVISER_KIND_LABELS = dict(ADVISER_KINDS)
ADVISER_CITATION = "中办、国办《关于推行法律顾问制度和公职律师公司律师制度的意见》（2016年）"

VILLAGE_KINDS = [("village", "村"), ("community", "社区")]

COVERAGE_GOAL = 100.0
COVERAGE_YELLOW_FROM = 90.0
COVERAGE_CITATION = "中办、国办《关于加快推进公共法律服务体系建设的意见》（2019年）：一村（居）一法律顾问"

SERVICE_KINDS = [
    ("consultation", "法律咨询"),
    ("lecture", "法治讲座"),
    ("document_review", "审核文件"),
    ("contract_review", "审核合同"),
    ("mediation", "参与调解"),
    ("other", "其他"),
]
SERVICE_KIND_LABELS = dict(SERVICE_KINDS)

OPINION_KINDS = [
    ("contract", "合同审查"),
    ("major_decision", "重大行政决策"),
    ("normative_document", "行政规范性文件"),
    ("litigation", "行政诉讼与复议"),
    ("other", "其他法律事务"),
]
OPINION_KIND_LABELS = dict(OPINION_KINDS)
# What an opinion request may link to (the record kept by another module), by kind of request.
RELATED_KINDS = [("decision", "重大行政决策"), ("normative", "行政规范性文件"), ("litigation", "行政应诉案件")]
OPINION_STATUSES = [("pending", "待分派"), ("routed", "顾问办理中"), ("answered", "已出具意见")]
OPINION_DEFAULT_WORKING_DAYS = 5
OPINION_PERIOD_SOURCE = "请求单位确定的答复期限（未确定的，本地工作规则为 5 个工作日）"

NAME_MAX = 50
TEXT_MAX = 5000


def coverage_rate(*, villages: int, covered: int) -> float | None:
    return round(covered * 100 / villages, 1) if villages else None


def coverage_light(rate: float | None) -> str:
    """green at the goal, yellow from COVERAGE_YELLOW_FROM, red below; none without villages."""
    if rate is None:
        return "none"
    if rate >= COVERAGE_GOAL:
        return "green"
    return "yellow" if rate >= COVERAGE_YELLOW_FROM else "red"


def coverage_day(*, year: int, today: dt.date) -> dt.date:
    """A village counts as covered in `year` when a contract is in force on this day: today in the current
    year, the last day of a past year, the first day of a future one."""
    if year == today.year:
        return today
    return dt.date(year, 12, 31) if year < today.year else dt.date(year, 1, 1)


def periods_overlap(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> bool:
    return a_start <= b_end and b_start <= a_end
