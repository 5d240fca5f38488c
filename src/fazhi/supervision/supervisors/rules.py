"""Rules of 特邀行政执法监督员 (invited supervisors): recruitment conditions, the eligibility check, 公示, the term,
state gates and the limits of their duties. Pure functions; no I/O (the configurable values are read from
settings through `conf()`).

No national law or regulation governs invited supervisors: every deployment follows its own local rules
(各地特邀行政执法监督员工作办法, e.g. 《怀化市人民政府特邀行政执法监督员管理办法》: 函询、自荐（单位推荐）、资格初审、公示、
聘任; duties of 现场观摩、监督检查、反映意见建议、培训). So every number here is this platform's default in line with
common local practice, and a deployment changes it with `settings.FAZHI_INVITED_SUPERVISORS = {"TERM_YEARS": 3, …}`.
"""

import datetime as dt
from dataclasses import dataclass

LOCAL = "各地特邀行政执法监督员工作办法（地方规定，如《怀化市人民政府特邀行政执法监督员管理办法》）"
LOCAL_NOTE = "本平台默认值，按本地规定可配置"

DEFAULTS = {
    # Recruitment conditions (a campaign copies them when it is created and may change them).
    "MIN_AGE": 25,
    "MAX_AGE": 65,
    "MIN_RESIDENCY_YEARS": 3,
    "EXCLUDE_FUNCTIONARIES": True,
    "REQUIRE_NO_SANCTIONS": True,
    "QUOTA": 30,
    # 资格初审 within so many working days of receiving an application.
    "INITIAL_REVIEW_WORKING_DAYS": 10,
    # 公示 commonly 5 working days.
    "PUBLICITY_WORKING_DAYS": 5,
    # 聘期 commonly 5 years.
    "TERM_YEARS": 5,
    # The term-expiry reminder opens this many days before the term ends.
    "EXPIRY_REMINDER_DAYS": 60,
    # An assigned 现场观摩 / joined inspection is written up within so many working days after it.
    "RECORD_WORKING_DAYS": 5,
    # An opinion (意见建议) is answered within so many working days.
    "OPINION_REPLY_WORKING_DAYS": 15,
    # Public forms: submissions per network address per hour; failed status queries per address per hour.
    "APPLY_IP_HOUR": 5,
    "OBJECTION_IP_HOUR": 5,
    "QUERY_FAIL_HOUR": 10,
    # 发文机关代字 of the 聘书 and of the 函询函 registers (documents.number_take), when a register is new.
    "CERTIFICATE_PREFIX": "示司特聘",
    "INVITATION_PREFIX": "示司特函",
}


def conf() -> dict:
    from django.conf import settings

    return {**DEFAULTS, **getattr(settings, "FAZHI_INVITED_SUPERVISORS", {})}


# Citations shown with each number (`{% cite "supervision.supervisors" "…_SOURCE" %}`).
CONDITIONS_SOURCE = f"{LOCAL}：招募条件（年龄、居住年限、非在职公职人员、未受处分），{LOCAL_NOTE}"
ROUTES_SOURCE = f"{LOCAL}：个人自荐、单位推荐、定向邀请（函询）→ 资格初审 → 公示 → 聘任"


def review_source() -> str:
    return f"{LOCAL}：收到报名后{conf()['INITIAL_REVIEW_WORKING_DAYS']}个工作日内完成资格初审（{LOCAL_NOTE}）"


def publicity_source(days: int | None = None) -> str:
    days = days if days is not None else conf()["PUBLICITY_WORKING_DAYS"]
    return f"{LOCAL}：拟聘任人员名单公示{days}个工作日（{LOCAL_NOTE}；期间不计首日）"


def term_source(years: int | None = None) -> str:
    years = years if years is not None else conf()["TERM_YEARS"]
    return f"{LOCAL}：聘期{years}年，期满可以续聘（{LOCAL_NOTE}）；届满日按{TERM_END_CITATION}计算"


def record_source() -> str:
    return f"{LOCAL}：现场观摩、参加检查后{conf()['RECORD_WORKING_DAYS']}个工作日内记录观摩情况和意见（{LOCAL_NOTE}）"


def opinion_source() -> str:
    return f"{LOCAL}：对特邀监督员反映的意见建议{conf()['OPINION_REPLY_WORKING_DAYS']}个工作日内答复（{LOCAL_NOTE}）"


# ---------------------------------------------------------------- vocabulary

ROUTES = [("self", "个人自荐"), ("unit", "单位推荐"), ("invite", "定向邀请（函询）")]
PUBLIC_ROUTES = ("self",)
STAFF_ROUTES = ("unit", "invite")

CAMPAIGN_STATUSES = [("draft", "草稿"), ("open", "报名中"), ("publicity", "公示中"), ("closed", "已结束")]
APPLICATION_STATUSES = [
    ("invited", "已发函询，待回复"),
    ("declined", "谢绝邀请"),
    ("submitted", "待资格初审"),
    ("passed", "初审通过"),
    ("failed", "初审未通过"),
    ("publicized", "公示中"),
    ("objection_upheld", "异议成立，不予聘任"),
    ("appointed", "已聘任"),
    ("not_appointed", "未聘任"),
]
SUPERVISOR_STATUSES = [("serving", "在聘"), ("dismissed", "解聘"), ("resigned", "辞任"), ("expired", "期满")]
ENDINGS = ("dismissed", "resigned", "expired")
GRADES = [("excellent", "优秀"), ("competent", "称职"), ("basic", "基本称职"), ("incompetent", "不称职")]
DUTY_KINDS = [("observation", "现场观摩"), ("inspection", "参加执法检查")]
DUTY_STATUSES = [("assigned", "待记录"), ("recorded", "已记录"), ("cancelled", "已取消")]
SUBMISSION_KINDS = [("opinion", "意见建议"), ("problem", "问题反映")]
OBJECTION_STATUSES = [("pending", "待答复"), ("answered", "已答复")]

# ---------------------------------------------------------------- state gates (services and predicates)

APPLY_STATUSES = ("open",)  # campaigns taking applications
REVIEWABLE = ("submitted",)
INVITE_ANSWERABLE = ("invited",)
PENDING_APPLICATION = ("invited", "submitted")  # no 公示 while any of these remain
APPOINTABLE = ("publicized",)
# What the public status page says of each stage; "failed" and "objection_upheld" come with their reasons.
PUBLIC_STAGES = {
    "invited": "已发出邀请，等待回复",
    "declined": "已谢绝邀请",
    "submitted": "已收到报名，等待资格初审",
    "passed": "资格初审通过，等待公示",
    "failed": "资格初审未通过",
    "publicized": "公示中",
    "objection_upheld": "公示期间异议成立，不予聘任",
    "appointed": "已聘任",
    "not_appointed": "本次招募未聘任",
}


def campaign_takes_applications(*, status: str, apply_from: dt.date, apply_until: dt.date, today: dt.date) -> bool:
    return status in APPLY_STATUSES and apply_from <= today <= apply_until


def publicity_running(*, status: str, start: dt.date | None, end: dt.date | None, today: dt.date) -> bool:
    return status == "publicity" and start is not None and end is not None and start <= today <= end


def publicity_over(*, status: str, end: dt.date | None, today: dt.date) -> bool:
    """Appointment only after the 公示 ends: the day after its last day."""
    return status == "publicity" and end is not None and today > end


# ---------------------------------------------------------------- identity and age


def birth_date_from_id(id_number: str) -> dt.date:
    """The birth date written in digits 7–14 of a 居民身份证号 (GB 11643); the number was checked before."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_from_id(id_number: str) -> str:
    """Digit 17: odd for men, even for women (GB 11643)."""
    return "男" if int(id_number[16]) % 2 else "女"


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years of age on `day` (a birthday on 29 February counts on 1 March in common years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# 《民法典》第二百零一条、第二百零三条: a period counted in years does not count its first day and ends on the
# corresponding day of the last year (the month's last day when there is none: 29 February → 28 February).
TERM_END_CITATION = "《民法典》第二百零一条、第二百零三条"


def term_end(appointed_on: dt.date, years: int) -> dt.date:
    """The last day of a term of `years` years that begins on `appointed_on`: appointment + years."""
    try:
        return appointed_on.replace(year=appointed_on.year + years)
    except ValueError:  # 29 February into a common year: no corresponding day, the month's last day
        return dt.date(appointed_on.year + years, 2, 28)


def reminder_opens_on(*, term_end: dt.date, reminder_days: int) -> dt.date:
    return term_end - dt.timedelta(days=reminder_days)


# ---------------------------------------------------------------- eligibility


@dataclass(frozen=True)
class Conditions:
    """A campaign's conditions; 0 / False switches a condition off."""

    min_age: int
    max_age: int
    min_residency_years: int
    exclude_functionaries: bool
    require_no_sanctions: bool


@dataclass(frozen=True)
class Facts:
    birth_date: dt.date
    residency_years: int
    is_functionary: bool
    has_sanctions: bool


@dataclass(frozen=True)
class Failure:
    code: str
    field: str
    message: str


def default_conditions() -> Conditions:
    c = conf()
    return Conditions(
        min_age=c["MIN_AGE"],
        max_age=c["MAX_AGE"],
        min_residency_years=c["MIN_RESIDENCY_YEARS"],
        exclude_functionaries=c["EXCLUDE_FUNCTIONARIES"],
        require_no_sanctions=c["REQUIRE_NO_SANCTIONS"],
    )


def conditions_problem(c: Conditions) -> tuple[str, str] | None:
    """(field, message) when a campaign's conditions do not make sense, else None."""
    if not 0 <= c.min_age <= 120:
        return "min_age", "最低年龄应在 0 至 120 周岁之间"
    if c.max_age and not c.min_age <= c.max_age <= 120:
        return "max_age", "最高年龄应不低于最低年龄，且不超过 120 周岁"
    if not 0 <= c.min_residency_years <= 80:
        return "min_residency_years", "居住年限要求应在 0 至 80 年之间"
    return None


def conditions_text(c: Conditions) -> list[str]:
    """The conditions as the announcement states them."""
    lines = []
    if c.min_age or c.max_age:
        span = f"{c.min_age}周岁以上" + (f"、{c.max_age}周岁以下" if c.max_age else "")
        lines.append(f"年龄{span}（按报名之日计算）")
    if c.min_residency_years:
        lines.append(f"在本地居住满{c.min_residency_years}年")
    if c.exclude_functionaries:
        lines.append("不是在职的国家公职人员")
    if c.require_no_sanctions:
        lines.append("未受过刑事处罚，未被开除公职，未受过其他处分或行政拘留")
    return lines


def eligibility(facts: Facts, conditions: Conditions, *, on: dt.date) -> list[Failure]:
    """Every condition of the campaign the applicant fails, each with its reason and the field it concerns
    (an empty list: eligible). The age is counted on the day of application, from the birth date in the ID."""
    failures = []
    age = age_on(facts.birth_date, on)
    too_young = bool(conditions.min_age) and age < conditions.min_age
    too_old = bool(conditions.max_age) and age > conditions.max_age
    if too_young or too_old:
        wanted = (
            f"{conditions.min_age}至{conditions.max_age}周岁" if conditions.max_age else f"{conditions.min_age}周岁以上"
        )
        failures.append(Failure("age", "id_number", f"年龄不符合招募条件：应为{wanted}，按身份证号计算为{age}周岁"))
    if conditions.min_residency_years and facts.residency_years < conditions.min_residency_years:
        failures.append(
            Failure(
                "residency",
                "residency_years",
                f"本地居住年限不符合招募条件：应满{conditions.min_residency_years}年，填报为{facts.residency_years}年",
            )
        )
    if conditions.exclude_functionaries and facts.is_functionary:
        failures.append(
            Failure("functionary", "is_functionary", "在职的国家公职人员不能担任特邀行政执法监督员（招募条件）")
        )
    if conditions.require_no_sanctions and facts.has_sanctions:
        failures.append(
            Failure(
                "sanctions",
                "has_sanctions",
                "受过刑事处罚、被开除公职或受过其他处分、行政拘留的，不能担任特邀行政执法监督员（招募条件）",
            )
        )
    return failures


# ---------------------------------------------------------------- appointment, reviews, ledger


def quota_left(*, quota: int, appointed: int) -> int:
    return max(0, quota - appointed)


def review_year_problem(*, year: int, appointed_on: dt.date, today: dt.date) -> str | None:
    """An annual review is of a year of the term that has begun (one per year)."""
    if year < appointed_on.year:
        return f"{year}年早于聘任年份（{appointed_on.year}年），不能考核"
    if year > today.year:
        return f"{year}年尚未开始，不能考核"
    return None


def serving_on(*, status: str, appointed_on: dt.date, term_end: dt.date, day: dt.date) -> bool:
    """On duty that day: appointed, not ended, inside the term."""
    return status == "serving" and appointed_on <= day <= term_end


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
