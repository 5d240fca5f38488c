"""The numbers, citations and kinds of 专项监督与责任追究, pinned; the pure rules, with Hypothesis where they take
free text."""

import re

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.masking import mask_name
from fazhi.supervision.accountability import rules


def test_local_defaults_and_their_citations():
    # No national statute sets these periods: each is a local default, configurable, and says so.
    assert rules.DEFAULTS["INVESTIGATION_DAYS"] == 60
    assert rules.DEFAULTS["INVESTIGATION_EXTENSION_MAX_DAYS"] == 30
    assert rules.DEFAULTS["RECORD_DAYS"] == 60
    assert rules.DEFAULTS["PROPOSAL_DAYS"] == 15
    assert rules.DEFAULTS["TYPICAL_PUBLISH_DAYS"] == 30
    assert rules.DEFAULTS["REFERRAL_FOLLOW_UP_DAYS"] == 30
    assert rules.investigation_source() == (
        "专项监督调查期限60日（本地规定，可配置；依据《山东省行政执法监督条例》第二十一条、第二十五条开展专项监督和专门调查）"
    )
    for source in (rules.record_source(), rules.proposal_source(), rules.typical_source()):
        assert "本地" in source and "可配置" in source


def test_investigators_steps_and_referral_citations():
    assert rules.INVESTIGATORS_MIN == 2
    assert rules.INVESTIGATORS_CITATION == "《山东省行政执法监督条例》第二十二条"
    assert rules.STEP_CITATION == "《山东省行政执法监督条例》第二十三条"
    assert rules.REFERRAL_CITATION == "《中华人民共和国监察法》（2024年修正）第三十七条"
    assert [code for code, _ in rules.STEP_KINDS][:4] == ["file_review", "interview", "site_check", "explanation"]
    assert dict(rules.CONCLUSIONS) == {"substantiated": "问题属实", "partly": "部分属实", "unsubstantiated": "不属实"}


def test_responsibilities_are_data_with_citations():
    labels = [label for _, label, _ in rules.RESPONSIBILITIES]
    assert labels == [
        "批评教育",
        "责令检查",
        "通报批评",
        "暂扣或吊销行政执法证",
        "调离执法岗位",
        "取消执法资格",
        "移送纪检监察",
        "依法给予处分",
    ]
    assert rules.RESPONSIBILITY_CITATIONS["sanction"].startswith("《公职人员政务处分法》第七条")
    assert "本地" in rules.RESPONSIBILITY_CITATIONS["certificate"]
    assert dict(rules.FAULTS) == {"intent": "故意", "gross": "重大过失", "ordinary": "一般过失"}
    assert "law_unclear" in dict(rules.EXEMPTION_GROUNDS)
    assert "三个区分开来" in rules.EXEMPTION_CITATION


def test_settings_override_the_local_values(monkeypatch):
    with override_settings(FAZHI_ACCOUNTABILITY={"INVESTIGATION_DAYS": 45}):
        assert rules.investigation_days() == 45
        assert rules.investigation_source().startswith("专项监督调查期限45日")
    monkeypatch.setenv("ACCOUNTABILITY_RECORD_DAYS", "90")
    assert rules.record_days() == 90
    monkeypatch.setenv("ACCOUNTABILITY_RECORD_DAYS", "不是数字")
    assert rules.record_days() == 60


def test_state_gates():
    assert rules.investigation_may_conclude(status="open", steps=1)
    assert not rules.investigation_may_conclude(status="open", steps=0)
    assert not rules.investigation_may_conclude(status="concluded", steps=3)
    assert rules.investigation_may_refer(status="open", conclusion="")
    assert rules.investigation_may_refer(status="concluded", conclusion="partly")
    assert not rules.investigation_may_refer(status="concluded", conclusion="unsubstantiated")
    assert rules.typical_may_publish(status="draft") and not rules.typical_may_publish(status="withdrawn")
    assert rules.typical_may_withdraw(status="published") and not rules.typical_may_withdraw(status="draft")


# ---------------------------------------------------------------- outcome of one officer

KINDS = [code for code, _ in rules.RESPONSIBILITY_CHOICES]
FAULTS = [code for code, _ in rules.FAULTS]
GROUNDS = [code for code, _ in rules.EXEMPTION_GROUNDS]


@given(
    fault=st.sampled_from(FAULTS),
    kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True),
)
def test_a_responsibility_with_its_fault_is_accepted(fault, kinds):
    assert rules.outcome_problems(exempt=False, fault=fault, responsibilities=kinds, ground="", reason="") == []


@given(ground=st.sampled_from(GROUNDS), reason=st.text(min_size=4).filter(lambda s: len(s.strip()) >= 4))
def test_an_exemption_with_ground_and_reason_is_accepted(ground, reason):
    assert rules.outcome_problems(exempt=True, fault="", responsibilities=[], ground=ground, reason=reason) == []


@given(
    exempt=st.booleans(),
    fault=st.sampled_from(["", *FAULTS, "bogus"]),
    kinds=st.lists(st.sampled_from([*KINDS, "bogus"]), max_size=3, unique=True),
    ground=st.sampled_from(["", *GROUNDS, "bogus"]),
    reason=st.text(max_size=10),
)
def test_outcome_problems_name_a_field_in_chinese(exempt, fault, kinds, ground, reason):
    problems = rules.outcome_problems(exempt=exempt, fault=fault, responsibilities=kinds, ground=ground, reason=reason)
    for field, message in problems:
        assert field in ("fault", "responsibilities", "exemption_ground", "exemption_reason")
        assert re.search(r"[\u4e00-\u9fff]", message)
    # Exempt and punished at once is never accepted.
    if exempt and kinds:
        assert problems


def test_outcome_problems_explain_what_is_missing():
    fields = [f for f, _ in rules.outcome_problems(exempt=False, fault="", responsibilities=[], ground="", reason="")]
    assert fields == ["responsibilities", "fault"]
    fields = [f for f, _ in rules.outcome_problems(exempt=True, fault="", responsibilities=[], ground="", reason="")]
    assert fields == ["exemption_ground", "exemption_reason"]


# ---------------------------------------------------------------- publication of a typical case

SURNAMES = "王李张刘陈杨赵黄周吴"
NAME = st.builds(
    lambda s, g: s + g, st.sampled_from(SURNAMES), st.text(alphabet="建国秀英伟芳明华", min_size=1, max_size=2)
)
FILLER = st.text(alphabet="执法人员在查处一案中罚款超出基准当事人反映问题属实，。", max_size=40)


@given(before=FILLER, name=NAME, after=FILLER)
def test_the_party_full_name_refuses_publication(before, name, after):
    text = before + name + after
    problems = rules.publication_problems(texts={"summary": text}, party_name=name, party_hidden=True)
    assert problems and problems[0][0] == "summary" and mask_name(name) in problems[0][1]
    # An organisation's name shown in full by the disclosure policy is no leak.
    assert rules.publication_problems(texts={"summary": text}, party_name=name, party_hidden=False) == []


@given(
    before=FILLER, digits=st.text(alphabet="0123456789", min_size=17, max_size=17), last=st.sampled_from("0123456789X")
)
def test_an_id_number_refuses_publication(before, digits, last):
    problems = rules.publication_problems(texts={"lesson": before + digits + last}, party_name="", party_hidden=True)
    assert [f for f, _ in problems] == ["lesson"]


@given(
    before=FILLER,
    names=st.lists(NAME, min_size=1, max_size=3),
    after=FILLER,
    phone=st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
)
def test_masked_text_holds_no_listed_name_and_no_phone(before, names, after, phone):
    text = before + "".join(names) + after + phone
    masked = rules.mask_public_text(text, names=names)
    for name in names:
        assert name not in masked or mask_name(name).startswith(name)  # 王某 is the masked form itself
    assert phone not in masked and phone[:3] in masked
    assert not rules.MOBILE.search(masked)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("执法人员欧阳小明和欧阳某某", "执法人员欧阳某和欧阳某某"),
        ("电话 0731-12345678", "电话 073******5678"),
        ("身份证 11010519491231002X 已核", "身份证 110105********002X 已核"),
    ],
)
def test_masking_examples(text, shown):
    assert rules.mask_public_text(text, names=["欧阳小明"]) == shown
