"""Pure rules of 法治督察: campaign kinds, the states of a problem's rectification and what each allows, and the
citations behind them. No I/O.

A 督察 campaign (实地督察 or 专项督察) finds problems; each problem is assigned to one or more units, each with a
rectification deadline tracked on the tracking core; the unit plans, reports progress and hands in evidence; the
supervisor signs the problem off (对账销号) or returns it.
"""

import datetime as dt

# The regulation is cited by name only: the platform does not pin article numbers it cannot check here. The
# sign-off (对账销号) and referral practice follow published local practice (e.g. the Huaihua rectification drive).
OVERSIGHT_CITATION = "《法治政府建设与责任落实督察工作规定》（中共中央办公厅、国务院办公厅，2019年）"
RECTIFICATION_SOURCE = "督察单位在问题清单中确定的整改期限（《法治政府建设与责任落实督察工作规定》）"
SIGNOFF_CITATION = "督察问题整改“对账销号”：逐项核对整改佐证材料后销号（地方督察整改做法）"
CLUE_CITATION = "法治建设方面涉嫌违纪、职务犯罪的问题线索移交纪检监察机关（《法治政府建设与责任落实督察工作规定》）"

FIELD, SPECIAL = "field", "special"
CAMPAIGN_KINDS = [(FIELD, "实地督察"), (SPECIAL, "专项督察")]
CAMPAIGN_KIND_LABELS = dict(CAMPAIGN_KINDS)

CAMPAIGN_STATUSES = [("active", "进行中"), ("closed", "已结束")]

# A rectification: assigned → (plan) → in progress → submitted (evidence handed in, waiting for 对账) → signed off;
# a returned one is back with the unit.
ASSIGNED, IN_PROGRESS, SUBMITTED, RETURNED, SIGNED_OFF = (
    "assigned",
    "in_progress",
    "submitted",
    "returned",
    "signed_off",
)
RECTIFICATION_STATUSES = [
    (ASSIGNED, "待整改"),
    (IN_PROGRESS, "整改中"),
    (SUBMITTED, "待销号"),
    (RETURNED, "已退回"),
    (SIGNED_OFF, "已销号"),
]
RECTIFICATION_STATUS_LABELS = dict(RECTIFICATION_STATUSES)
UNIT_WORKABLE = (ASSIGNED, IN_PROGRESS, RETURNED)  # the unit may plan, report progress, hand in
SIGNABLE = (SUBMITTED,)

CLUE_STATUSES = [("referred", "已移送"), ("feedback", "已反馈"), ("closed", "已办结")]

TITLE_MAX = 200
TEXT_MAX = 4000
# A deadline more than this many days after the campaign's end is almost certainly a typo (a wrong year).
DEADLINE_MAX_DAYS = 730


def deadline_problem(*, deadline: dt.date | None, start: dt.date) -> str:
    """Why a rectification deadline is not acceptable ("" when it is)."""
    if deadline is None:
        return "请填写整改期限"
    if deadline < start:
        return f"整改期限 {deadline:%Y-%m-%d} 不能早于交办日 {start:%Y-%m-%d}"
    if (deadline - start).days > DEADLINE_MAX_DAYS:
        return f"整改期限 {deadline:%Y-%m-%d} 超过交办日后 {DEADLINE_MAX_DAYS} 天，请核对年份"
    return ""


def signed_off_on_time(*, signed_off_on: dt.date | None, deadline: dt.date) -> bool:
    """A problem counts as rectified on time when it was signed off by its deadline."""
    return signed_off_on is not None and signed_off_on <= deadline
