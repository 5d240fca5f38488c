"""Pure rules of 依法决策, each number with its citation (pinned by tests/test_rules.py). No database.

Major decisions follow 《重大行政决策程序暂行条例》(国务院令第713号, 2019). Where shared/domain.md cites an article
that the text puts elsewhere, the text wins (see docs/rulemaking.md "与 domain.md 的差异"):
- hearing materials 7 days before the hearing are in 第十六条第三款 (第十七条 is the order of the hearing itself);
- post-evaluation (第三十六条) excludes "决策作出前承担主要论证评估工作的单位"; the issue also excludes the unit that
  did the legality review, which is kept here as a configurable local rule (on by default).
Normative documents follow 国办发〔2018〕37号 and 国办发〔2018〕115号 and local rules (configurable values).
Incidental review (附带审查) follows 《行政复议法》(2023) 第十三条, 第五十六条, 第五十八条至第六十条.

Configurable values are read from the environment (RULEMAKING_…) and may be overridden as a whole by
`settings.FAZHI_RULEMAKING`; the statutory value is the default.
"""

import datetime as dt
import os
from dataclasses import dataclass

from fazhi.workdays import calendar as workdays

REGULATION = "《重大行政决策程序暂行条例》"

# ---------------------------------------------------------------- configuration


def conf() -> dict:
    from django.conf import settings

    env = os.environ

    def number(name: str, default: int) -> int:
        value = env.get(f"RULEMAKING_{name}", "").strip()
        return int(value) if value.isdigit() else default

    base = {
        "NORMATIVE_REVIEW_DAYS": number("NORMATIVE_REVIEW_DAYS", 10),
        "NORMATIVE_FILING_DAYS": number("NORMATIVE_FILING_DAYS", 30),
        "NORMATIVE_EFFECTIVE_DAYS": number("NORMATIVE_EFFECTIVE_DAYS", 30),
        "NORMATIVE_VALIDITY_YEARS": number("NORMATIVE_VALIDITY_YEARS", 5),
        "NORMATIVE_PROVISIONAL_YEARS": number("NORMATIVE_PROVISIONAL_YEARS", 2),
        "EXPIRY_REMINDER_MONTHS": number("EXPIRY_REMINDER_MONTHS", 6),
        "EVALUATION_EXCLUDES_REVIEWER": env.get("RULEMAKING_EVALUATION_EXCLUDES_REVIEWER", "1").strip()
        not in ("0", ""),
        "COMMENT_IP_HOUR": number("COMMENT_IP_HOUR", 5),
        "COMMENT_IP_DAY": number("COMMENT_IP_DAY", 20),
        "LOOKUP_FAIL_HOUR": number("LOOKUP_FAIL_HOUR", 10),
    }
    return {**base, **getattr(settings, "FAZHI_RULEMAKING", {})}


# ---------------------------------------------------------------- catalogue and launch

CATALOGUE_CITATION = f"{REGULATION}第三条第三款：决策事项目录、标准经同级党委同意后向社会公布，并根据实际情况调整"
SOURCE_CITATION = f"{REGULATION}第十条：决策事项建议的来源与研究论证"
LAUNCH_CITATION = f"{REGULATION}第十一条：决定启动决策程序的，明确决策承办单位"
PLAN_SOURCE = f"本地工作安排：列入年度决策事项目录（{REGULATION}第三条第三款）的事项当年作出决策"
PROPOSAL_SOURCES = ("deputy", "cppcc")

# ---------------------------------------------------------------- public participation

COMMENT_MIN_DAYS = 30
COMMENT_CITATION = (
    f"{REGULATION}第十五条：公开征求意见的期限一般不少于{COMMENT_MIN_DAYS}日；因情况紧急等原因需要缩短期限的，"
    "公开征求意见时应当予以说明"
)
PARTICIPATION_CITATION = f"{REGULATION}第十四条：采取便于社会公众参与的方式充分听取意见，依法不予公开的决策事项除外"
ADOPTION_CITATION = f"{REGULATION}第十八条：对社会各方面提出的意见进行归纳整理、研究论证，充分采纳合理意见"
COMMENT_MIN_CHARS = 5
COMMENT_MAX_CHARS = 2000
HEARING_MATERIALS_DAYS = 7
HEARING_CITATION = (
    f"{REGULATION}第十六条：提前公布听证参加人遴选办法和名单，听证会材料应当于召开听证会{HEARING_MATERIALS_DAYS}日前"
    "送达听证参加人"
)
HEARING_RECORD_CITATION = f"{REGULATION}第十七条：听证参加人确认听证会记录并签字"

# ---------------------------------------------------------------- experts and risk

EXPERT_CITATION = f"{REGULATION}第十九条：专家、专业机构提供书面论证意见的，应当署名、盖章"
EXPERT_INTEREST_CITATION = f"{REGULATION}第二十条：不得选择与决策事项有直接利害关系的专家、专业机构"
RISK_CITATION = f"{REGULATION}第二十三条：形成风险评估报告，明确风险点，提出风险防范措施和处置预案"
RISK_GATE_CITATION = f"{REGULATION}第二十四条：风险不可控的，在采取调整决策草案等措施确保风险可控后，可以作出决策"

# ---------------------------------------------------------------- legality review, discussion, publication

DECISION_REVIEW_MIN_WORKING_DAYS = 7
LEGALITY_REVIEW_CITATION = f"{REGULATION}第二十六条：送请合法性审查，应当保证必要的审查时间，一般不少于{DECISION_REVIEW_MIN_WORKING_DAYS}个工作日"
LEGALITY_GATE_CITATION = (
    f"{REGULATION}第二十五条：决策草案未经合法性审查或者经审查不合法的，不得提交决策机关讨论；"
    "对国家尚无明确规定的探索性改革决策事项，可以明示法律风险，提交决策机关讨论"
)
LEGALITY_CHANGES_CITATION = f"{REGULATION}第二十八条：决策承办单位根据合法性审查意见进行必要的调整或者补充"
DISCUSSION_CITATION = (
    f"{REGULATION}第三十条：决策草案经常务会议或者全体会议讨论，行政首长最后发表意见；与多数人意见不一致的应当说明理由；"
    "不同意见应当如实载明"
)
DISCUSSION_MATERIALS_CITATION = f"{REGULATION}第二十九条：提交讨论应当报送的材料"
PARTY_REPORT_CITATION = f"{REGULATION}第三十一条：重大行政决策出台前应当按照规定向同级党委请示报告"
PUBLICATION_CITATION = (
    f"{REGULATION}第三十二条：通过政府公报、政府网站和报纸等途径及时公布，说明公众意见、专家论证意见的采纳情况"
)
ARCHIVE_CITATION = f"{REGULATION}第三十三条：履行决策程序形成的记录、材料及时完整归档"
EXECUTION_CITATION = f"{REGULATION}第三十四条、第三十五条：决策执行单位报告执行情况，发现问题及时报告"
EVALUATION_CITATION = f"{REGULATION}第三十六条：决策后评估，决策作出前承担主要论证评估工作的单位除外"
EVALUATION_REVIEWER_POLICY = "本地规则（可配置）：后评估不由作出合法性审查的部门承担"
DECISION_DOC_TYPE = "重大行政决策"

# The steps of a decision in the order the 条例 sets them (第二章 → 第三章 → 第四章).
DECISION_STEPS = ("consultation", "hearing", "expert", "risk", "review", "discussion", "publication")
STEP_LABELS = {
    "consultation": "公开征求意见",
    "hearing": "听证",
    "expert": "专家论证",
    "risk": "风险评估",
    "review": "合法性审查",
    "discussion": "集体讨论决定",
    "publication": "决策公布",
}
STEP_CITATIONS = {
    "consultation": COMMENT_CITATION,
    "hearing": HEARING_CITATION,
    "expert": EXPERT_CITATION,
    "risk": RISK_GATE_CITATION,
    "review": LEGALITY_GATE_CITATION,
    "discussion": DISCUSSION_CITATION,
    "publication": PUBLICATION_CITATION,
}


@dataclass(frozen=True)
class Procedures:
    public_participation: bool = True
    hearing: bool = False
    expert_argument: bool = True
    risk_assessment: bool = True


def steps_required(p: Procedures) -> tuple[str, ...]:
    """The steps this decision goes through; legality review, discussion and publication always (第二十五条、
    第三十条、第三十二条)."""
    skip = set()
    if not p.public_participation:
        skip |= {"consultation", "hearing"}
    if not p.hearing:
        skip.add("hearing")
    if not p.expert_argument:
        skip.add("expert")
    if not p.risk_assessment:
        skip.add("risk")
    return tuple(s for s in DECISION_STEPS if s not in skip)


def next_step(required: tuple[str, ...], done: set[str]) -> str | None:
    """The first required step not done yet (None: every step done)."""
    return next((s for s in required if s not in done), None)


def step_gate(step: str, required: tuple[str, ...], done: set[str]) -> str | None:
    """Why `step` cannot be taken now, or None. A step comes only after every earlier required step is done."""
    if step not in DECISION_STEPS:
        return f"程序步骤“{step}”无效"
    if step not in required:
        return f"本决策事项未确定{STEP_LABELS[step]}程序"
    if step in done:
        return f"{STEP_LABELS[step]}已完成"
    missing = [s for s in required[: required.index(step)] if s not in done]
    if missing:
        first = missing[0]
        return f"须先完成{STEP_LABELS[first]}，才能进行{STEP_LABELS[step]}（{STEP_CITATIONS[first]}）"
    return None


def procedures_problems(
    *,
    public_participation: bool,
    participation_omit_reason: str,
    hearing: bool,
    hearing_reason: str,
    expert_argument: bool,
    expert_omit_reason: str,
    risk_assessment: bool,
    risk_omit_reason: str,
) -> list[tuple[str, str]]:
    """(field, message) for every procedure left out without a reason."""
    problems = []
    if not public_participation and not participation_omit_reason.strip():
        problems.append(
            ("participation_omit_reason", f"不公开征求意见须说明理由（如依法不予公开）——{PARTICIPATION_CITATION}")
        )
    if hearing and not public_participation:
        problems.append(("hearing_required", "听证属于公众参与程序，不进行公众参与时不能召开听证会"))
    if hearing and not hearing_reason.strip():
        problems.append(("hearing_reason", "召开听证会须说明理由（如直接涉及切身利益、存在较大分歧，或法律法规规定）"))
    if not expert_argument and not expert_omit_reason.strip():
        problems.append(("expert_omit_reason", f"不进行专家论证须说明理由——{EXPERT_CITATION}"))
    if not risk_assessment and not risk_omit_reason.strip():
        problems.append(
            ("risk_omit_reason", "不进行风险评估须说明理由（如已按有关规定评估，不作重复评估——第二十二条）")
        )
    return problems


# ---------------------------------------------------------------- consultation


def consultation_end(starts_on: dt.date, days: int) -> dt.date:
    """The last day comments are taken: the start day not counted, a last day that is a rest day moves to the next
    working day (《民事诉讼法》第八十五条)."""
    return workdays.deadline_calendar_days(starts_on, days).deadline


def comment_period_problem(*, days, shortened_reason: str) -> str | None:
    if not isinstance(days, int) or days < 1:
        return "征求意见期限应为正整数（日）"
    if days < COMMENT_MIN_DAYS and not (shortened_reason or "").strip():
        return f"征求意见期限少于{COMMENT_MIN_DAYS}日（当前{days}日），须说明缩短期限的理由——{COMMENT_CITATION}"
    return None


def comment_open(*, starts_on: dt.date, ends_on: dt.date, today: dt.date) -> bool:
    return starts_on <= today <= ends_on


def answers_publishable(*, ends_on: dt.date, today: dt.date) -> bool:
    """Answers go public once the period has closed (the day after its last day)."""
    return today > ends_on


def hearing_problems(
    *, held_on: dt.date, rules_published_on: dt.date, participants_published_on: dt.date, materials_sent_on: dt.date
) -> list[tuple[str, str]]:
    problems = []
    if rules_published_on > participants_published_on:
        problems.append(("rules_published_on", "遴选办法应当在遴选听证参加人之前公布"))
    if participants_published_on >= held_on:
        problems.append(("participants_published_on", f"听证参加人名单应当提前向社会公布——{HEARING_CITATION}"))
    latest = held_on - dt.timedelta(days=HEARING_MATERIALS_DAYS)
    if materials_sent_on > latest:
        problems.append(
            (
                "materials_sent_on",
                f"听证会材料应当于听证会{HEARING_MATERIALS_DAYS}日前（{latest:%Y-%m-%d}前）送达——{HEARING_CITATION}",
            )
        )
    return problems


# ---------------------------------------------------------------- legality review and discussion


def review_days_problem(days) -> str | None:
    if not isinstance(days, int) or days < DECISION_REVIEW_MIN_WORKING_DAYS:
        return f"合法性审查时间不少于{DECISION_REVIEW_MIN_WORKING_DAYS}个工作日——{LEGALITY_REVIEW_CITATION}"
    if days > 60:
        return "合法性审查时间不宜超过60个工作日"
    return None


def review_allows_discussion(*, opinion: str, exploratory: bool, changes_done: bool) -> str | None:
    """Why a reviewed draft may not go to discussion, or None (第二十五条、第二十八条)."""
    if opinion == "lawful":
        return None
    if opinion == "lawful_after_changes":
        return (
            None if changes_done else f"审查意见为修改后合法，承办单位须先按审查意见修改——{LEGALITY_CHANGES_CITATION}"
        )
    if opinion == "risk_disclosed":
        return None if exploratory else "只有探索性改革决策事项才能明示法律风险提交讨论——第二十五条"
    if opinion == "unlawful":
        return f"经审查不合法的决策草案不得提交讨论——{LEGALITY_GATE_CITATION}"
    return f"决策草案未经合法性审查，不得提交决策机关讨论——{LEGALITY_GATE_CITATION}"


SPEECH_POSITIONS = {"agree": "同意", "disagree": "不同意", "abstain": "弃权"}


def discussion_problems(
    *, members_total: int, members_present: int, speeches: list[dict], dissent: str, head_reason: str, outcome: str
) -> list[tuple[str, str]]:
    problems = []
    if not isinstance(members_total, int) or members_total < 1:
        problems.append(("members_total", "会议组成人员总数应为正整数"))
    elif not isinstance(members_present, int) or not 1 <= members_present <= members_total:
        problems.append(("members_present", "出席人数应在 1 至会议组成人员总数之间"))
    if not speeches:
        problems.append(("speeches", f"须记录会议组成人员的发言，行政首长最后发表意见——{DISCUSSION_CITATION}"))
        return problems
    heads = [i for i, s in enumerate(speeches) if s.get("role") == "head"]
    if len(heads) != 1:
        problems.append(("speeches", "发言记录中须有且只有一位行政首长"))
    elif heads[0] != len(speeches) - 1:
        problems.append(("speeches", f"行政首长应当最后发表意见——{DISCUSSION_CITATION}"))
    for s in speeches:
        if s.get("position") not in SPEECH_POSITIONS:
            problems.append(("speeches", f"“{s.get('speaker', '')}”的表态应为同意、不同意或弃权"))
            break
    members = [s for s in speeches if s.get("role") != "head"]
    if any(s.get("position") == "disagree" for s in members) and not (dissent or "").strip():
        problems.append(("dissent", f"会议中有不同意见，应当如实载明——{DISCUSSION_CITATION}"))
    agree = sum(1 for s in members if s.get("position") == "agree")
    against = sum(1 for s in members if s.get("position") == "disagree")
    majority = "adopted" if agree > against else ("rejected" if against > agree else None)
    if outcome in ("adopted", "rejected") and majority and majority != outcome and not (head_reason or "").strip():
        problems.append(("head_reason", f"行政首长拟作出的决定与多数人意见不一致，应当说明理由——{DISCUSSION_CITATION}"))
    return problems


def evaluator_problem(
    *,
    evaluator_name: str,
    evaluator_unit_id: int | None,
    assessors: set[str],
    reviewer_unit_ids: set[int],
    excludes_reviewer: bool,
    reviewer_unit_names: set[str] = frozenset(),
) -> tuple[str, str] | None:
    """The post-evaluation is not done by a unit that argued or assessed the decision before it was taken
    (第三十六条), nor — under the local rule — by the legality reviewer, chosen from the org tree or typed by name."""
    name = (evaluator_name or "").strip()
    if name and name in {a.strip() for a in assessors if a}:
        return "evaluator_name", f"“{name}”在决策作出前承担了论证评估工作，不能承担后评估——{EVALUATION_CITATION}"
    if excludes_reviewer and evaluator_unit_id is not None and evaluator_unit_id in reviewer_unit_ids:
        return "evaluator_unit", f"作出合法性审查的部门不承担后评估——{EVALUATION_REVIEWER_POLICY}"
    if excludes_reviewer and name and name in {n.strip() for n in reviewer_unit_names if n}:
        return "evaluator_name", f"“{name}”作出了合法性审查，不承担后评估——{EVALUATION_REVIEWER_POLICY}"
    return None


# ---------------------------------------------------------------- normative documents

NORMATIVE_REVIEW_MIN_DAYS = 5
NORMATIVE_REVIEW_MAX_DAYS = 15
NORMATIVE_REVIEW_SOURCE = (
    f"国办发〔2018〕115号：合法性审核时限原则上不少于{NORMATIVE_REVIEW_MIN_DAYS}个工作日、"
    f"最长不超过{NORMATIVE_REVIEW_MAX_DAYS}个工作日（本地规定期限，可配置）"
)
NORMATIVE_REVIEW_GATE_CITATION = "国办发〔2018〕115号：未经合法性审核或者经审核不合法的，不得提交集体审议"
NORMATIVE_DELIBERATION_CITATION = "国办发〔2018〕37号：行政规范性文件应当经制定机关常务会议或者办公会议集体审议决定"
THREE_UNIFIED_CITATION = "国办发〔2018〕37号：统一登记、统一编号、统一印发"
NORMATIVE_PUBLISH_CITATION = "国办发〔2018〕37号：行政规范性文件应当通过政府公报、政府网站等向社会公开发布"
NORMATIVE_EFFECTIVE_POLICY = (
    "本地规定（可配置）：一般自公布之日起30日后施行；因保障国家安全、重大公共利益的需要，或者公布后不立即施行将有碍"
    "施行的，可以自公布之日起施行"
)
NORMATIVE_FILING_SOURCE = "国办发〔2018〕37号及本地备案规定：自公布之日起30日内报送备案（可配置）"
NORMATIVE_VALIDITY_POLICY = "本地规定（可配置）：有效期一般为5年，标注“暂行”“试行”的为2年；有效期届满前6个月提醒评估"
NORMATIVE_CLEANUP_CITATION = "国办发〔2018〕37号：建立行政规范性文件动态清理工作机制，清理结果向社会公布"
NORMATIVE_DOC_TYPE = "规范性文件"
PROVISIONAL_WORDS = ("暂行", "试行")


def normative_review_days() -> int:
    """The configured review period, held inside 115号's 5–15 working days."""
    days = conf()["NORMATIVE_REVIEW_DAYS"]
    return min(max(days, NORMATIVE_REVIEW_MIN_DAYS), NORMATIVE_REVIEW_MAX_DAYS)


def normative_review_cap(days: int) -> int:
    """How many working days the review may be extended by: up to the 15-day maximum in total."""
    return max(NORMATIVE_REVIEW_MAX_DAYS - days, 0)


def provisional_title(title: str) -> bool:
    return any(w in (title or "") for w in PROVISIONAL_WORDS)


def normative_kind(issuer_kind: str) -> str:
    return "government" if issuer_kind == "government" else "department"


def filing_targets(kind: str) -> tuple[str, ...]:
    """政府规范性文件: the higher government and the 人大常委会 of the same level; 部门规范性文件: the government of
    the same level (local filing rules)."""
    return ("higher_gov", "congress") if kind == "government" else ("gov",)


def filing_due(published_on: dt.date) -> dt.date:
    return workdays.deadline_calendar_days(published_on, conf()["NORMATIVE_FILING_DAYS"]).deadline


def effective_default(published_on: dt.date) -> dt.date:
    return published_on + dt.timedelta(days=conf()["NORMATIVE_EFFECTIVE_DAYS"])


def effective_problem(*, published_on: dt.date, effective_on: dt.date, reason: str) -> str | None:
    if effective_on < published_on:
        return "施行日期不能早于公布日期"
    if effective_on < effective_default(published_on) and not (reason or "").strip():
        days = conf()["NORMATIVE_EFFECTIVE_DAYS"]
        return f"公布后不足{days}日施行的，须说明理由——{NORMATIVE_EFFECTIVE_POLICY}"
    return None


def validity_max(provisional: bool) -> int:
    c = conf()
    return c["NORMATIVE_PROVISIONAL_YEARS"] if provisional else c["NORMATIVE_VALIDITY_YEARS"]


def validity_problem(*, years, provisional: bool) -> str | None:
    top = validity_max(provisional)
    if not isinstance(years, int) or not 1 <= years <= top:
        kind = "暂行、试行文件" if provisional else "规范性文件"
        return f"{kind}有效期应为 1 至 {top} 年——{NORMATIVE_VALIDITY_POLICY}"
    return None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def valid_until(effective_on: dt.date, years: int) -> dt.date:
    """The last day in force: `years` after the effective day, that day not included."""
    return add_years(effective_on, years) - dt.timedelta(days=1)


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    import calendar as _calendar

    return dt.date(year, month + 1, min(day.day, _calendar.monthrange(year, month + 1)[1]))


def expiry_reminder_due(*, valid_until: dt.date, today: dt.date) -> bool:
    return months_before(valid_until, conf()["EXPIRY_REMINDER_MONTHS"]) <= today <= valid_until


def portal_state(*, state: str, valid_until: dt.date | None, today: dt.date) -> str:
    """What the portal shows: a document past its validity is expired even before the nightly job marks it."""
    if state == "in_force" and valid_until is not None and valid_until < today:
        return "expired"
    return state


def rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


# ---------------------------------------------------------------- incidental review (附带审查)

RECONSIDERATION_LAW = "《行政复议法》（2023）"
INCIDENTAL_APPLICATION_CITATION = f"{RECONSIDERATION_LAW}第十三条：申请行政复议时一并提出对规范性文件的附带审查申请"
INCIDENTAL_HANDLE_DAYS = 30
INCIDENTAL_HANDLE_SOURCE = f"{RECONSIDERATION_LAW}第五十六条：有权处理的，应当在三十日内依法处理"
INCIDENTAL_FORWARD_WORKING_DAYS = 7
INCIDENTAL_FORWARD_SOURCE = f"{RECONSIDERATION_LAW}第五十六条：无权处理的，应当在七日内转送有权处理的行政机关"
INCIDENTAL_NOTICE_WORKING_DAYS = 3
INCIDENTAL_NOTICE_SOURCE = (
    f"{RECONSIDERATION_LAW}第五十八条：行政复议机构自行政复议中止之日起三日内书面通知制定机关提出书面答复"
)
INCIDENTAL_ANSWER_WORKING_DAYS = 10
INCIDENTAL_ANSWER_SOURCE = f"{RECONSIDERATION_LAW}第五十八条：制定机关自收到书面通知之日起十日内提交书面答复"
INCIDENTAL_CONCLUSION_CITATION = (
    f"{RECONSIDERATION_LAW}第五十九条：认为相关条款合法的，在行政复议决定书中一并告知；超越权限或者违反上位法的，"
    "决定停止该条款的执行，并责令制定机关予以纠正"
)
INCIDENTAL_REPLY_DAYS = 60
INCIDENTAL_REPLY_SOURCE = (
    f"{RECONSIDERATION_LAW}第六十条：接受转送的机关自收到转送之日起六十日内将处理意见回复转送的机关"
)
WORKING_DAYS_NOTE = f"{RECONSIDERATION_LAW}第八十八条：“三日”“五日”“七日”“十日”指工作日"
