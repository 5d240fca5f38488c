"""Pure rules of 行政执法案卷评查: rubric validation, scoring, grading, disagreement, sample sizes. No I/O.

A rubric (评查标准) is data, because provinces and years differ (e.g. 鲁司〔2023〕33号《山东省行政处罚案卷评查规则》,
local standards): veto items (否决项: 主体, 资格, 证据, 事实, 定性, 适用法律, 程序, 两名以上执法人员 — any failure makes
the file 不合格 with score 0), sections of points (分部) whose items deduct a number of points per defect (每处扣分) down
to a floor of 0 for the section, items that cap the grade (一票否决优秀: any defect there keeps the file from 优秀), and
grade bands (default 优秀 ≥ 90, 合格 ≥ 60, below that 不合格).

Configurable values are Django settings read here, with the common value as default:
`FAZHI_REVIEW_RECTIFICATION_DAYS` (30), `FAZHI_REVIEW_DISAGREEMENT_POINTS` (10), `FAZHI_REVIEW_MIN_PER_AGENCY` (3),
`FAZHI_REVIEW_PERCENT` (5).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

# The source the rubric model follows (cited on the rubric pages and in the documents).
RUBRIC_SOURCE = "鲁司〔2023〕33号《山东省行政处罚案卷评查规则》等省级案卷评查规则（评查标准按年度、案卷类型维护）"

DEFAULT_TOTAL = Decimal("100")
DEFAULT_EXCELLENT_MIN = Decimal("90")
DEFAULT_PASS_MIN = Decimal("60")

GRADES = [("excellent", "优秀"), ("pass", "合格"), ("fail", "不合格")]
GRADE_LABELS = dict(GRADES)
ITEM_KINDS = [("scored", "评分项"), ("veto", "否决项")]

# The veto categories the national and provincial rules name (shared/domain.md); a rubric's veto items carry one.
VETO_CATEGORIES = ["主体", "资格", "证据", "事实", "定性", "适用法律", "程序", "执法人员"]

# Largest values the forms and the Excel import accept (bounds on input, not rules).
MAX_POINTS = Decimal("1000")
MAX_ITEMS = 300

# Rectification of the defects an 评查意见 lists: the common period of local supervision rules (e.g.
# 《山东省行政执法监督条例》第二十八条 sets 30 days for correcting what supervision found).
RECTIFICATION_DAYS_DEFAULT = 30
RECTIFICATION_SOURCE = "《山东省行政执法监督条例》第二十八条等地方规定（案卷评查意见整改期限，可配置）"

DISAGREEMENT_POINTS_DEFAULT = Decimal("10")
MIN_PER_AGENCY_DEFAULT = 3
PERCENT_DEFAULT = Decimal("5")

# Why a reviewer may not review his own agency's files: the recusal rule every 评查 rule states.
OWN_UNIT_MESSAGE = "评查人员不得评查本单位案卷"


def rectification_days() -> int:
    return int(getattr(settings, "FAZHI_REVIEW_RECTIFICATION_DAYS", RECTIFICATION_DAYS_DEFAULT))


def disagreement_points_default() -> Decimal:
    return Decimal(str(getattr(settings, "FAZHI_REVIEW_DISAGREEMENT_POINTS", DISAGREEMENT_POINTS_DEFAULT)))


def min_per_agency_default() -> int:
    return int(getattr(settings, "FAZHI_REVIEW_MIN_PER_AGENCY", MIN_PER_AGENCY_DEFAULT))


def percent_default() -> Decimal:
    return Decimal(str(getattr(settings, "FAZHI_REVIEW_PERCENT", PERCENT_DEFAULT)))


# ---------------------------------------------------------------- state gates

CAMPAIGN_EDITABLE = ("draft",)
CAMPAIGN_POOL_EDITABLE = ("draft", "committed", "reviewing")
CAMPAIGN_COMMITTABLE = ("draft",)
CAMPAIGN_DRAWABLE = ("committed",)
CAMPAIGN_REVIEWING = ("reviewing",)
CAMPAIGN_PUBLISHED = ("published",)
FILE_OPEN = ("pending", "assigned")
OPINION_REPORTABLE = ("issued", "returned")
OPINION_REVIEWABLE = ("reported",)


def reviewer_conflict(*, reviewer_unit_path: str | None, agency_unit_path: str) -> bool:
    """The reviewer belongs to the reviewed agency: the same unit, a unit inside it (a branch 分局), or a unit it
    sits in (the agency's parent bureau of a vertical branch). `path` is the unit tree path ("/1/4/9/")."""
    if not reviewer_unit_path:
        return False
    return reviewer_unit_path.startswith(agency_unit_path) or agency_unit_path.startswith(reviewer_unit_path)


# ---------------------------------------------------------------- rubric validation


def to_points(value) -> Decimal | None:
    """A points value as Decimal (one decimal place), or None when empty; ValueError when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValueError(value) from None
    if not number.is_finite() or abs(number) > MAX_POINTS * 1000:
        raise ValueError(value)
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SectionSpec:
    code: str
    title: str
    points: Decimal
    group: str = ""
    row: int | None = None  # the Excel row it came from, for the messages


@dataclass(frozen=True)
class ItemSpec:
    code: str
    title: str
    kind: str = "scored"  # scored / veto
    section: str = ""  # the section's code (scored items)
    points: Decimal | None = None
    deduction: Decimal | None = None  # per defect
    caps_excellent: bool = False
    rule_code: str = ""
    category: str = ""  # veto items: 主体, 资格, 证据 …
    guidance: str = ""
    row: int | None = None


@dataclass(frozen=True)
class RubricSpec:
    sections: tuple[SectionSpec, ...]
    items: tuple[ItemSpec, ...]
    total: Decimal = DEFAULT_TOTAL
    excellent_min: Decimal = DEFAULT_EXCELLENT_MIN
    pass_min: Decimal = DEFAULT_PASS_MIN

    @property
    def section_map(self) -> dict[str, SectionSpec]:
        return {s.code: s for s in self.sections}

    @property
    def item_map(self) -> dict[str, ItemSpec]:
        return {i.code: i for i in self.items}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    row: int | None = None

    def as_dict(self) -> dict:
        out = {"field": self.field, "message": self.message}
        if self.row is not None:
            out["row"] = self.row
        return out


def pts(value) -> str:
    """Points as people write them: 12, 97.5 (never 12.0 or 1E+2)."""
    if value is None:
        return "—"
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text in ("-0", "") else text


def _p(value: Decimal | None) -> str:
    return pts(value)


def _where(row: int | None) -> str:
    return f"第 {row} 行：" if row else ""


def rubric_problems(spec: RubricSpec, *, known_rules: Iterable[str] = ()) -> list[Problem]:
    """Every reason the rubric cannot be used, each naming its field (and Excel row). Empty: the rubric is sound.

    - the sections' points add up to the rubric's total (100 by default);
    - a scored item belongs to a section, is worth more than 0 and no more than its section, and deducts a positive
      number of points per defect, no more than the item's points;
    - veto items carry no points and no deduction;
    - grade bands: 0 < 合格线 ≤ 优秀线 ≤ 总分.
    """
    out: list[Problem] = []
    known = set(known_rules)
    if spec.total is None or spec.total <= 0 or spec.total > MAX_POINTS:
        out.append(Problem("total", f"总分应大于 0 且不超过 {pts(MAX_POINTS)} 分"))
        return out
    if spec.pass_min is None or spec.pass_min <= 0:
        out.append(Problem("pass_min", "合格分数线应大于 0"))
    elif spec.excellent_min is None or spec.excellent_min < spec.pass_min:
        out.append(Problem("excellent_min", f"优秀分数线不能低于合格分数线（{_p(spec.pass_min)} 分）"))
    elif spec.excellent_min > spec.total:
        out.append(Problem("excellent_min", f"优秀分数线不能高于总分（{_p(spec.total)} 分）"))
    if not spec.sections:
        out.append(Problem("sections", "评查标准至少应有一个评分分部"))
    if len(spec.items) > MAX_ITEMS:
        out.append(Problem("items", f"评查项目不能超过 {MAX_ITEMS} 项"))
    sections: dict[str, SectionSpec] = {}
    for s in spec.sections:
        if not s.code:
            out.append(Problem("code", f"{_where(s.row)}分部编号不能为空", s.row))
            continue
        if s.code in sections:
            out.append(Problem("code", f"{_where(s.row)}分部编号“{s.code}”重复", s.row))
            continue
        sections[s.code] = s
        if not s.title:
            out.append(Problem("title", f"{_where(s.row)}分部“{s.code}”的名称不能为空", s.row))
        if s.points is None or s.points <= 0:
            out.append(Problem("points", f"{_where(s.row)}分部“{s.code}”的分值应大于 0", s.row))
    section_sum = sum((s.points or Decimal(0) for s in sections.values()), Decimal(0))
    if sections and section_sum != spec.total:
        out.append(
            Problem("points", f"各分部分值合计 {_p(section_sum)} 分，与总分 {_p(spec.total)} 分不符（应相加等于总分）")
        )
    seen: set[str] = set()
    used_sections: set[str] = set()
    for i in spec.items:
        where = _where(i.row)
        if not i.code:
            out.append(Problem("code", f"{where}项目编号不能为空", i.row))
            continue
        if i.code in seen or i.code in sections:
            out.append(Problem("code", f"{where}项目编号“{i.code}”重复", i.row))
            continue
        seen.add(i.code)
        label = f"“{i.code}”"
        if not i.title:
            out.append(Problem("title", f"{where}项目{label}的评查内容不能为空", i.row))
        if i.rule_code and i.rule_code not in known:
            out.append(Problem("rule_code", f"{where}项目{label}对应的法定规则“{i.rule_code}”不存在", i.row))
        if i.kind == "veto":
            if i.points:
                out.append(Problem("points", f"{where}否决项{label}不计分值（应留空或为 0）", i.row))
            if i.deduction:
                out.append(Problem("deduction", f"{where}否决项{label}不设每处扣分（应留空）", i.row))
            if i.caps_excellent:
                out.append(Problem("caps_excellent", f"{where}否决项{label}不适用“一票否决优秀”", i.row))
            continue
        if i.kind != "scored":
            out.append(Problem("kind", f"{where}项目{label}的类型应为“评分项”或“否决项”", i.row))
            continue
        section = sections.get(i.section)
        if section is None:
            out.append(Problem("section", f"{where}评分项{label}所属分部“{i.section}”不存在", i.row))
            continue
        used_sections.add(section.code)
        if i.points is None or i.points <= 0:
            out.append(Problem("points", f"{where}评分项{label}的分值应大于 0", i.row))
            continue
        if section.points is not None and i.points > section.points:
            out.append(
                Problem(
                    "points",
                    f"{where}评分项{label}分值 {_p(i.points)} 分超过所属分部“{section.title or section.code}”的 "
                    f"{_p(section.points)} 分",
                    i.row,
                )
            )
        if i.deduction is None or i.deduction <= 0:
            out.append(Problem("deduction", f"{where}评分项{label}的每处扣分应为正数", i.row))
        elif i.deduction > i.points:
            out.append(
                Problem(
                    "deduction",
                    f"{where}评分项{label}每处扣分 {_p(i.deduction)} 分超过该项分值 {_p(i.points)} 分",
                    i.row,
                )
            )
    for code, s in sections.items():
        if code not in used_sections:
            out.append(Problem("section", f"{_where(s.row)}分部“{s.title or code}”没有评分项", s.row))
    return out


# ---------------------------------------------------------------- scoring


def line_deduction(*, defects: int, per_defect: Decimal) -> Decimal:
    """Points one line deducts: 每处扣分 × 处数 (the service refuses a line beyond its item's points)."""
    return (per_defect * defects).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Score:
    score: Decimal
    grade: str
    veto: bool  # a veto item failed
    capped: bool  # an item that caps the grade was deducted
    sections: dict[str, Decimal] = field(default_factory=dict)  # section code -> its score

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[self.grade]


def grade_of(*, score: Decimal, veto: bool, capped: bool, excellent_min: Decimal, pass_min: Decimal) -> str:
    """优秀 / 合格 / 不合格 by the bands; a failed veto item is 不合格 whatever the points, a capped item never 优秀."""
    if veto or score < pass_min:
        return "fail"
    if score >= excellent_min and not capped:
        return "excellent"
    return "pass"


def sheet_score(spec: RubricSpec, *, deductions: Mapping[str, Decimal], vetoes: Iterable[str] = ()) -> Score:
    """The score of one score sheet.

    `deductions`: item code → points deducted on that item (summed over its lines); an item never loses more than its
    points, a section never goes below 0. `vetoes`: codes of failed veto items — any one makes the score 0 and the
    grade 不合格. Codes the rubric does not know are ignored.
    """
    items = spec.item_map
    veto = any(items.get(code) is not None and items[code].kind == "veto" for code in vetoes)
    lost: dict[str, Decimal] = {s.code: Decimal(0) for s in spec.sections}
    capped = False
    for code, points in deductions.items():
        item = items.get(code)
        if item is None or item.kind != "scored" or item.section not in lost or not points or points <= 0:
            continue
        lost[item.section] += min(points, item.points or Decimal(0))
        capped = capped or item.caps_excellent
    sections = {s.code: max(Decimal(0), (s.points or Decimal(0)) - lost[s.code]) for s in spec.sections}
    score = Decimal(0) if veto else sum(sections.values(), Decimal(0))
    score = min(score, spec.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    grade = grade_of(score=score, veto=veto, capped=capped, excellent_min=spec.excellent_min, pass_min=spec.pass_min)
    return Score(score=score, grade=grade, veto=veto, capped=capped, sections=sections)


def disagreement(*, first: Decimal, second: Decimal, first_veto: bool, second_veto: bool, threshold: Decimal) -> bool:
    """Two reviewers disagree when their scores differ by more than the campaign's threshold (10 points by
    default), or one failed a veto item and the other did not: the campaign lead decides."""
    return abs(first - second) > threshold or first_veto != second_veto


def combined_score(first: Decimal, second: Decimal) -> Decimal:
    """The file's score when two reviewers agree (within the threshold): their mean, to one decimal place."""
    return ((first + second) / 2).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- sample parameters


def percent_to_bp(value) -> int:
    """A percentage (5, "5", 2.5) → basis points (500, 250); ValueError outside 0–100."""
    number = Decimal(str(value).strip().rstrip("%"))
    if not number.is_finite() or number < 0 or number > 100:
        raise ValueError(value)
    return int((number * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def sample_params_problem(*, min_per_agency, percent_bp) -> Problem | None:
    if not isinstance(min_per_agency, int) or isinstance(min_per_agency, bool) or not 0 <= min_per_agency <= 10000:
        return Problem("min_per_agency", "每个单位至少抽取的案卷数应为 0 到 10000 的整数")
    if not isinstance(percent_bp, int) or isinstance(percent_bp, bool) or not 0 <= percent_bp <= 10000:
        return Problem("percent", "抽取比例应在 0%–100% 之间")
    if min_per_agency == 0 and percent_bp == 0:
        return Problem("min_per_agency", "每个单位至少抽取的案卷数和抽取比例不能同时为 0")
    return None
