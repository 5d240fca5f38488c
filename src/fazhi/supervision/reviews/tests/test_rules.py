"""The pure rules of case-file review: numbers pinned, rubric validation, scoring and grading (Hypothesis)."""

from decimal import Decimal

from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.supervision.reviews import rules
from fazhi.supervision.reviews.rules import ItemSpec, RubricSpec, SectionSpec

D = Decimal


# ---------------------------------------------------------------- numbers and settings


def test_default_bands_and_values():
    assert rules.DEFAULT_TOTAL == 100
    assert rules.DEFAULT_EXCELLENT_MIN == 90
    assert rules.DEFAULT_PASS_MIN == 60
    assert rules.RECTIFICATION_DAYS_DEFAULT == 30
    assert rules.DISAGREEMENT_POINTS_DEFAULT == 10
    assert "鲁司〔2023〕33号" in rules.RUBRIC_SOURCE
    assert "第二十八条" in rules.RECTIFICATION_SOURCE
    assert rules.OWN_UNIT_MESSAGE == "评查人员不得评查本单位案卷"
    assert set(rules.VETO_CATEGORIES) >= {"主体", "资格", "证据", "事实", "定性", "适用法律", "程序", "执法人员"}


def test_configurable_values_follow_the_settings():
    assert rules.rectification_days() == 30
    assert rules.disagreement_points_default() == 10
    with override_settings(FAZHI_REVIEW_RECTIFICATION_DAYS=15, FAZHI_REVIEW_DISAGREEMENT_POINTS=8):
        assert rules.rectification_days() == 15
        assert rules.disagreement_points_default() == 8
    with override_settings(FAZHI_REVIEW_MIN_PER_AGENCY=5, FAZHI_REVIEW_PERCENT="2.5"):
        assert rules.min_per_agency_default() == 5
        assert rules.percent_default() == D("2.5")


# ---------------------------------------------------------------- rubric validation


def spec(**overrides) -> RubricSpec:
    data = {
        "sections": (
            SectionSpec("一", "主体", D(40), "基础标准", row=2),
            SectionSpec("二", "文书", D(60), "文书规范", row=5),
        ),
        "items": (
            ItemSpec("1.1", "主体适格", section="一", points=D(20), deduction=D(5), row=3),
            ItemSpec("1.2", "出示证件", section="一", points=D(30), deduction=D(10), caps_excellent=True, row=4),
            ItemSpec("2.1", "文书规范", section="二", points=D(60), deduction=D(2), row=6),
            ItemSpec("F1", "主体不适格", kind="veto", row=7),
        ),
    }
    data.update(overrides)
    return RubricSpec(**data)


def fields(problems):
    return [(p.field, p.row) for p in problems]


def test_a_sound_rubric_has_no_problem():
    assert rules.rubric_problems(spec()) == []


def test_sections_must_add_up_to_the_total():
    problems = rules.rubric_problems(spec(total=D(90)))
    assert fields(problems) == [("points", None)]
    assert "合计 100 分，与总分 90 分不符" in problems[0].message


def test_a_deduction_beyond_its_item_names_field_and_row():
    bad = spec(items=(ItemSpec("1.1", "主体适格", section="一", points=D(4), deduction=D(5), row=3), *spec().items[1:]))
    problems = rules.rubric_problems(bad)
    assert fields(problems) == [("deduction", 3)]
    assert problems[0].message == "第 3 行：评分项“1.1”每处扣分 5 分超过该项分值 4 分"


def test_an_item_may_not_exceed_its_section_nor_deduct_nothing():
    bad = spec(
        items=(
            ItemSpec("1.1", "主体适格", section="一", points=D(50), deduction=D(5), row=3),
            ItemSpec("1.2", "出示证件", section="一", points=D(10), deduction=D(0), row=4),
            ItemSpec("2.1", "文书规范", section="二", points=D(10), deduction=D(1), row=6),
        )
    )
    assert fields(rules.rubric_problems(bad)) == [("points", 3), ("deduction", 4)]


def test_veto_items_carry_no_points():
    bad = spec(items=(*spec().items[:3], ItemSpec("F1", "主体不适格", kind="veto", points=D(5), row=7)))
    problems = rules.rubric_problems(bad)
    assert fields(problems) == [("points", 7)]
    assert "否决项“F1”不计分值" in problems[0].message


def test_unknown_section_duplicate_code_unknown_rule_and_bands():
    bad = spec(
        items=(
            *spec().items,
            ItemSpec("3.1", "多余", section="九", points=D(1), deduction=D(1), row=8),
            ItemSpec("1.1", "重复", section="一", points=D(1), deduction=D(1), row=9),
            ItemSpec("F2", "资格", kind="veto", rule_code="no_such_rule", row=10),
        ),
        excellent_min=D(50),
        pass_min=D(60),
    )
    found = fields(rules.rubric_problems(bad, known_rules=["legal_review_missing"]))
    assert ("excellent_min", None) in found
    assert ("section", 8) in found and ("code", 9) in found and ("rule_code", 10) in found


def test_a_section_without_items_is_reported():
    bad = spec(items=spec().items[2:])
    assert fields(rules.rubric_problems(bad)) == [("section", 2)]


def test_reviewer_conflict_covers_the_unit_its_branches_and_its_parent_bureau():
    bureau, branch, other = "/1/10/", "/1/10/40/", "/1/11/"
    assert rules.reviewer_conflict(reviewer_unit_path=bureau, agency_unit_path=bureau)
    assert rules.reviewer_conflict(reviewer_unit_path=branch, agency_unit_path=bureau)
    assert rules.reviewer_conflict(reviewer_unit_path=bureau, agency_unit_path=branch)
    assert not rules.reviewer_conflict(reviewer_unit_path=other, agency_unit_path=bureau)
    assert not rules.reviewer_conflict(reviewer_unit_path=None, agency_unit_path=bureau)


# ---------------------------------------------------------------- scoring


def test_a_sheet_is_scored_by_sections_floored_at_zero():
    s = rules.sheet_score(spec(), deductions={"1.1": D(20), "1.2": D(30), "2.1": D(4)})
    assert s.sections == {"一": D(0), "二": D(56)}
    assert s.score == D(56) and s.grade == "fail" and s.capped


def test_a_failed_veto_item_is_zero_and_fail_whatever_the_points():
    s = rules.sheet_score(spec(), deductions={}, vetoes=["F1"])
    assert (s.score, s.grade, s.veto) == (D(0), "fail", True)


def test_a_capped_item_keeps_the_grade_below_excellent():
    s = rules.sheet_score(spec(), deductions={"1.2": D(1)})
    assert s.score == D(99) and s.grade == "pass"
    assert rules.sheet_score(spec(), deductions={"1.1": D(1)}).grade == "excellent"


def test_grade_bands():
    kw = {"excellent_min": D(90), "pass_min": D(60), "veto": False, "capped": False}
    assert rules.grade_of(score=D(90), **kw) == "excellent"
    assert rules.grade_of(score=D("89.9"), **kw) == "pass"
    assert rules.grade_of(score=D(60), **kw) == "pass"
    assert rules.grade_of(score=D("59.9"), **kw) == "fail"


def test_disagreement_and_the_mean():
    assert not rules.disagreement(first=D(80), second=D(90), first_veto=False, second_veto=False, threshold=D(10))
    assert rules.disagreement(first=D(80), second=D("90.5"), first_veto=False, second_veto=False, threshold=D(10))
    assert rules.disagreement(first=D(0), second=D(5), first_veto=True, second_veto=False, threshold=D(10))
    assert rules.combined_score(D(85), D("90.5")) == D("87.8")


def test_points_are_parsed_or_refused():
    assert rules.to_points("4") == D("4.0") and rules.to_points(" 2.45 ") == D("2.5") and rules.to_points("") is None
    for bad in ("abc", "NaN", "Infinity", "1e30"):
        try:
            rules.to_points(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
    assert rules.pts(D("12.0")) == "12" and rules.pts(D("97.5")) == "97.5" and rules.pts(D("100.0")) == "100"


def test_percentages_and_sample_parameters():
    assert rules.percent_to_bp("5") == 500 and rules.percent_to_bp("2.5%") == 250 and rules.percent_to_bp(100) == 10000
    for bad in ("-1", "101", "nan"):
        try:
            rules.percent_to_bp(bad)
        except (ValueError, ArithmeticError):
            continue
        raise AssertionError(bad)
    assert rules.sample_params_problem(min_per_agency=0, percent_bp=0).field == "min_per_agency"
    assert rules.sample_params_problem(min_per_agency=3, percent_bp=10001).field == "percent"
    assert rules.sample_params_problem(min_per_agency=3, percent_bp=500) is None


# ---------------------------------------------------------------- properties


@st.composite
def rubric_and_deductions(draw):
    n_sections = draw(st.integers(1, 5))
    weights = draw(st.lists(st.integers(1, 40), min_size=n_sections, max_size=n_sections))
    total = D(sum(weights))
    sections, items, deductions = [], [], {}
    for s_index, points in enumerate(weights):
        code = f"S{s_index}"
        sections.append(SectionSpec(code, f"分部{s_index}", D(points)))
        for i in range(draw(st.integers(1, 4))):
            item_points = D(draw(st.integers(1, points)))
            per = D(draw(st.integers(1, int(item_points))))
            cap = draw(st.booleans())
            items.append(
                ItemSpec(f"{code}.{i}", "项目", section=code, points=item_points, deduction=per, caps_excellent=cap)
            )
            if draw(st.booleans()):
                deductions[f"{code}.{i}"] = per * draw(st.integers(1, 5))
    items.append(ItemSpec("V1", "否决", kind="veto"))
    excellent = D(draw(st.integers(1, int(total))))
    passing = D(draw(st.integers(1, int(excellent))))
    rubric = RubricSpec(tuple(sections), tuple(items), total=total, excellent_min=excellent, pass_min=passing)
    return rubric, deductions, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(rubric_and_deductions())
def test_scoring_properties(case):
    rubric, deductions, veto = case
    assert rules.rubric_problems(rubric) == []
    s = rules.sheet_score(rubric, deductions=deductions, vetoes=["V1"] if veto else [])
    assert D(0) <= s.score <= rubric.total
    assert all(D(0) <= v <= sec.points for sec in rubric.sections for k, v in s.sections.items() if k == sec.code)
    if veto:
        assert s.score == 0 and s.grade == "fail"
    else:
        assert s.score == sum(s.sections.values())
    items = rubric.item_map
    if any(items[c].caps_excellent and p > 0 for c, p in deductions.items()):
        assert s.grade != "excellent"
    if not deductions and not veto:
        assert s.score == rubric.total and s.grade == "excellent"
