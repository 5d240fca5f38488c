"""The order of a penalty case's stages (《中华人民共和国行政处罚法》第五章). Pure functions, no I/O.

General procedure (普通程序): 立案 → 调查取证 → 告知 (第四十四条) → 听证 only when the party asked for it
(第六十三条、第六十四条) → 法制审核, required before the decision when the case or its power item is major
(第五十八条), optional otherwise → 决定 → 送达 (第六十一条) → 公示 (第四十八条) → 执行 → 结案; 公示 and 执行 may be
skipped (no social impact to disclose; 不予处罚 or nothing left to execute).
Simple procedure (简易程序, 第五十一条、第五十二条): 立案 → 决定 → 送达 → 结案.
"""

from fazhi.cases.rules import LEGAL_REVIEW_CITATION

STAGES = [
    ("filed", "立案"),
    ("investigation", "调查取证"),
    ("notice", "告知"),
    ("hearing", "听证"),
    ("legal_review", "法制审核"),
    ("decision", "决定"),
    ("service", "送达"),
    ("disclosure", "公示"),
    ("execution", "执行"),
    ("closed", "结案"),
]
STAGE_LABELS = dict(STAGES)
SIMPLE_PATH = ["filed", "decision", "service", "closed"]


def review_required(case) -> bool:
    """第五十八条: legal review before the decision for major enforcement decisions."""
    return bool(case.major or case.power_item.major)


def next_stages(case) -> list[str]:
    """The stages a case may enter next, in the order the page offers them."""
    stage = case.stage
    if case.procedure == "simple":
        i = SIMPLE_PATH.index(stage) if stage in SIMPLE_PATH else len(SIMPLE_PATH) - 1
        return SIMPLE_PATH[i + 1 : i + 2]
    decision = [] if review_required(case) and case.legal_review_on is None else ["decision"]
    return {
        "filed": ["investigation"],
        "investigation": ["notice"],
        "notice": ["hearing"] if case.hearing_requested else ["legal_review", *decision],
        "hearing": ["legal_review", *decision],
        "legal_review": ["decision"],
        "decision": ["service"],
        "service": ["disclosure", "execution", "closed"],
        "disclosure": ["execution", "closed"],
        "execution": ["closed"],
        "closed": [],
    }.get(stage, [])


def blocked_reason(case, stage: str) -> str:
    """Why a stage is not open, for the error message (empty when it is simply out of order)."""
    if stage == "hearing" and not case.hearing_requested:
        return "：当事人未申请听证"
    if stage == "decision" and review_required(case) and case.legal_review_on is None:
        return f"：重大执法决定须先经法制审核（{LEGAL_REVIEW_CITATION}）"
    if case.procedure == "simple" and stage not in SIMPLE_PATH:
        return "：简易程序不经此阶段"
    return ""


def stepper(case) -> list[dict]:
    """The stages shown on the case page: done / current / todo, skipping those this case does not pass."""
    path = SIMPLE_PATH if case.procedure == "simple" else [code for code, _ in STAGES]
    if case.procedure != "simple" and not case.hearing_requested:
        path = [s for s in path if s != "hearing"]
    current = path.index(case.stage) if case.stage in path else 0
    return [
        {"code": s, "label": STAGE_LABELS[s], "state": "done" if i < current else "current" if i == current else "todo"}
        for i, s in enumerate(path)
    ]
