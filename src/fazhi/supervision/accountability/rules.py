"""Pure rules of 专项监督与责任追究: every number with its source, the kinds of step, fault, responsibility and
exemption as data, state gates, and the masking of a typical case for the public. No I/O.

Nothing here is set by a national statute with a number: the investigation period, its extension, the period of an
accountability procedure and of publication are **local rules** (the province's 行政执法监督条例 and the city's
行政执法过错责任追究 / 尽职免责 rules), so each is a setting with a default (`settings.FAZHI_ACCOUNTABILITY`, a
dict, or the environment variables named below), and every citation says it is local.
"""

import os
import re

from django.conf import settings

from fazhi.core.masking import mask_id_number, mask_name, mask_phone

# ---------------------------------------------------------------- local settings

# The province's supervision regulation taken as the example of a local rule (the provinces' texts differ).
REGULATION = "《山东省行政执法监督条例》"
DEFAULTS = {
    # 专项监督调查: the regulation provides 专项监督 and 专门调查 (第二十一条, 第二十五条) but no period; 60 days is the
    # local working practice and configurable.
    "INVESTIGATION_DAYS": 60,
    "INVESTIGATION_EXTENSION_MAX_DAYS": 30,
    # 错案责任追究: from opening a record to the decision (local 行政执法过错责任追究 rules).
    "RECORD_DAYS": 60,
    # A proposal waits this long for the supervisor (the 督办 desk shows it with its light).
    "PROPOSAL_DAYS": 15,
    # 典型案例通报: from choosing a case to publishing it.
    "TYPICAL_PUBLISH_DAYS": 30,
    # 移送纪检监察: the supervisor follows a referral up at least this often until the organ's result is in.
    "REFERRAL_FOLLOW_UP_DAYS": 30,
    # 发文机关代字 of the documents the Justice Bureau issues (used when its register of the year is new).
    "NOTICE_PREFIX": "司监调",
    "REFERRAL_PREFIX": "司监移",
    "RECORD_NOTICE_PREFIX": "司监追",
    "TYPICAL_PREFIX": "司监通",
}
ENV = {
    "INVESTIGATION_DAYS": "ACCOUNTABILITY_INVESTIGATION_DAYS",
    "INVESTIGATION_EXTENSION_MAX_DAYS": "ACCOUNTABILITY_INVESTIGATION_EXTENSION_MAX_DAYS",
    "RECORD_DAYS": "ACCOUNTABILITY_RECORD_DAYS",
    "PROPOSAL_DAYS": "ACCOUNTABILITY_PROPOSAL_DAYS",
    "TYPICAL_PUBLISH_DAYS": "ACCOUNTABILITY_TYPICAL_PUBLISH_DAYS",
    "REFERRAL_FOLLOW_UP_DAYS": "ACCOUNTABILITY_REFERRAL_FOLLOW_UP_DAYS",
}


def setting(name: str):
    """A local value: `settings.FAZHI_ACCOUNTABILITY[name]`, else its environment variable, else the default."""
    configured = getattr(settings, "FAZHI_ACCOUNTABILITY", {}) or {}
    if name in configured:
        return configured[name]
    env = ENV.get(name)
    raw = os.environ.get(env, "").strip() if env else ""
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return DEFAULTS[name]


def investigation_days() -> int:
    return int(setting("INVESTIGATION_DAYS"))


def investigation_source() -> str:
    return (
        f"专项监督调查期限{investigation_days()}日（本地规定，可配置；"
        f"依据{REGULATION}第二十一条、第二十五条开展专项监督和专门调查）"
    )


def record_days() -> int:
    return int(setting("RECORD_DAYS"))


def record_source() -> str:
    return f"错案责任追究办理期限{record_days()}日（本地行政执法过错责任追究规定，可配置）"


def proposal_days() -> int:
    return int(setting("PROPOSAL_DAYS"))


def proposal_source() -> str:
    return f"追责建议{proposal_days()}日内处理（本地规定，可配置）"


def typical_publish_days() -> int:
    return int(setting("TYPICAL_PUBLISH_DAYS"))


def typical_source() -> str:
    return f"典型案例选定后{typical_publish_days()}日内通报（本地规定，可配置）"


def referral_follow_up_days() -> int:
    return int(setting("REFERRAL_FOLLOW_UP_DAYS"))


def referral_follow_up_source() -> str:
    return f"移送纪检监察后每{referral_follow_up_days()}日跟踪一次，直至反馈处理结果（本地规定，可配置）"


# ---------------------------------------------------------------- investigations

# 执行行政执法监督公务活动时，不得少于两人 (the province's rule; other provinces say the same).
INVESTIGATORS_MIN = 2
INVESTIGATORS_CITATION = f"{REGULATION}第二十二条"
# The ways of investigating that the regulation lists (查阅调取案卷, 询问, 实地调查 …).
STEP_CITATION = f"{REGULATION}第二十三条"
STEP_KINDS = [
    ("file_review", "调阅案卷"),
    ("interview", "询问"),
    ("site_check", "现场核查"),
    ("explanation", "听取说明"),
    ("evidence", "调取证据"),
    ("expert", "专家论证"),
    ("other", "其他"),
]
# The agency's own account (说明) on an investigation or a record about it: a step of its own kind.
STATEMENT = ("statement", "被调查单位说明")
STEP_KIND_CHOICES = [*STEP_KINDS, STATEMENT]
CONCLUSIONS = [("substantiated", "问题属实"), ("partly", "部分属实"), ("unsubstantiated", "不属实")]
# A conclusion that finds the problem (in whole or in part) may propose accountability and a referral.
FINDING_CONCLUSIONS = ("substantiated", "partly")
# 移送纪检监察: state organs that find clues of a public servant's misconduct hand them to the supervisory organ.
REFERRAL_CITATION = "《中华人民共和国监察法》（2024年修正）第三十七条"
TEXT_MAX = 5000


def investigation_may_step(*, status: str) -> bool:
    return status == "open"


def investigation_may_conclude(*, status: str, steps: int) -> bool:
    """A conclusion rests on at least one recorded step of the investigation."""
    return status == "open" and steps > 0


def investigation_may_refer(*, status: str, conclusion: str) -> bool:
    """During the investigation, or after a conclusion that found the problem."""
    return status == "open" or conclusion in FINDING_CONCLUSIONS


# ---------------------------------------------------------------- accountability

FAULTS = [("intent", "故意"), ("gross", "重大过失"), ("ordinary", "一般过失")]

# The kinds of responsibility, each with where it comes from. 《行政执法责任制》 instruments and the province's
# 行政执法过错责任追究 rules are local; 处分 follows 《公职人员政务处分法》.
RESPONSIBILITIES = [
    ("criticism", "批评教育", "《中华人民共和国公务员法》第五十七条；本地行政执法过错责任追究规定"),
    ("self_examination", "责令检查", "《中华人民共和国公务员法》第五十七条；《公职人员政务处分法》第十二条"),
    ("public_criticism", "通报批评", f"{REGULATION}第三十八条；本地行政执法过错责任追究规定"),
    ("certificate", "暂扣或吊销行政执法证", "本地行政执法证件管理规定（如《山东省行政执法证件管理办法》）"),
    ("post_transfer", "调离执法岗位", f"{REGULATION}第三十八条"),
    ("disqualification", "取消执法资格", "本地行政执法证件管理规定；本地行政执法过错责任追究规定"),
    ("referral", "移送纪检监察", REFERRAL_CITATION),
    ("sanction", "依法给予处分", "《公职人员政务处分法》第七条；《中华人民共和国行政处罚法》第七十六条"),
]
RESPONSIBILITY_CHOICES = [(code, label) for code, label, _ in RESPONSIBILITIES]
RESPONSIBILITY_CITATIONS = {code: citation for code, _, citation in RESPONSIBILITIES}

# 尽职免责 (容错纠错): the grounds on which an officer who did his duty answers for no fault. The list is local
# (each city's 行政执法尽职免责 rules); the principle is the 三个区分开来 of the central guidance.
EXEMPTION_CITATION = (
    "中办《关于进一步激励广大干部新时代新担当新作为的意见》（2018）“三个区分开来”；本地行政执法尽职免责规定"
)
EXEMPTION_GROUNDS = [
    ("procedure_followed", "已履行法定程序和职责，因当事人隐瞒、伪造证据等原因未能发现"),
    ("law_unclear", "依据的法律规定不明确，或有关部门对法律规定的理解不一致"),
    ("superior_order", "执行上级机关的决定、命令，且已向上级提出改正意见"),
    ("objective_limits", "因技术条件、鉴定结论或其他客观条件限制未能发现"),
    ("force_majeure", "因不可抗力或紧急情况未能履行"),
    ("reform", "在改革创新、先行先试中出现失误，且未谋取私利"),
    ("other", "其他符合容错纠错规定的情形"),
]


def outcome_problems(
    *, exempt: bool, fault: str, responsibilities: list[str], ground: str, reason: str
) -> list[tuple[str, str]]:
    """What is wrong with the decision on one officer, as (field, Chinese message): either responsibilities with
    the kind of fault, or an exemption with its ground and reason — never both."""
    problems = []
    faults, kinds, grounds = dict(FAULTS), dict(RESPONSIBILITY_CHOICES), dict(EXEMPTION_GROUNDS)
    unknown = [r for r in responsibilities if r not in kinds]
    if unknown:
        problems.append(("responsibilities", f"责任种类“{'、'.join(unknown)}”无效"))
    if fault and fault not in faults:
        problems.append(("fault", f"过错类型“{fault}”无效，应为：{'、'.join(faults.values())}"))
    if exempt:
        if responsibilities:
            problems.append(("responsibilities", "尽职免责的人员不再确定责任种类"))
        if ground not in grounds:
            problems.append(("exemption_ground", "请选择尽职免责的情形"))
        if len((reason or "").strip()) < 4:
            problems.append(("exemption_reason", "请写明尽职免责的理由（至少 4 个字）"))
    else:
        if not responsibilities:
            problems.append(("responsibilities", "请选择至少一种责任种类，或认定尽职免责"))
        if not fault:
            problems.append(("fault", "请选择过错类型（故意、重大过失或一般过失）"))
        if ground or (reason or "").strip():
            problems.append(("exemption_ground", "未认定尽职免责的，不填写免责情形和理由"))
    return problems


# ---------------------------------------------------------------- typical cases and masking

# 18-digit 居民身份证号 (17 digits and a digit or X) and the old 15-digit form, not inside a longer number.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
PUBLIC_FIELDS = [("title", "标题"), ("summary", "基本案情和存在问题"), ("lesson", "警示教训"), ("handling", "处理情况")]
PUBLICATION_CITATION = "《中华人民共和国个人信息保护法》第十三条、第二十八条；本地典型案例通报规定"


def publication_problems(*, texts: dict[str, str], party_name: str, party_hidden: bool) -> list[tuple[str, str]]:
    """Why the public texts may not go out as written: the party's full name where the masking policy hides it,
    or anything that looks like an ID number. (Phone numbers and officers' names are masked, not refused.)"""
    problems = []
    name = (party_name or "").strip()
    for field, label in PUBLIC_FIELDS:
        text = texts.get(field, "") or ""
        if party_hidden and len(name) >= 2 and name in text:
            problems.append((field, f"{label}中含有当事人全名“{name}”，请改为“{mask_name(name)}”后再发布"))
        found = ID_NUMBER.search(text)
        if found:
            problems.append((field, f"{label}中含有身份证号码“{mask_id_number(found.group(1))}”，请删去后再发布"))
    return problems


def mask_public_text(text: str, *, names: list[str]) -> str:
    """The text as the portal shows it: every listed person's name as 张某, phone numbers and ID numbers masked
    (core.masking). Longer names first, so that 欧阳小明 is not half-replaced by a 欧阳 of another name."""
    out = text or ""
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    out = ID_NUMBER.sub(lambda m: mask_id_number(m.group(1)), out)
    out = MOBILE.sub(lambda m: mask_phone(m.group(0)), out)
    return LANDLINE.sub(lambda m: mask_phone(m.group(0)), out)


def typical_may_edit(*, status: str) -> bool:
    return status == "draft"


def typical_may_publish(*, status: str) -> bool:
    return status == "draft"


def typical_may_withdraw(*, status: str) -> bool:
    return status == "published"
