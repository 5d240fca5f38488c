import pytest

from fazhi.complaints import rules

# The platform's default reply limits, in working days, per complaint category (no national law fixes them;
# all inside the 60 days from acceptance of 《信访工作条例》(2022)).
DEFAULT_DAYS = {"inaction": 10, "delay": 10, "abuse": 15, "misconduct": 10, "profit": 15, "other": 15}
LABELS = {
    "inaction": "执法不作为投诉",
    "delay": "执法慢作为投诉",
    "abuse": "执法乱作为投诉",
    "misconduct": "执法不文明不规范投诉",
    "profit": "逐利执法投诉",
    "other": "其他执法问题投诉",
}


@pytest.fixture
def no_local_table(settings):
    """The statutory defaults, whatever COMPLAINT_DEADLINES says in the environment running the tests."""
    settings.FAZHI_COMPLAINTS = {"DEADLINES": {}}


@pytest.mark.parametrize("code", sorted(DEFAULT_DAYS))
def test_deadline_defaults_are_pinned_with_their_source(no_local_table, code):
    rule = rules.deadline_rule(category=code)
    assert rule.working_days == DEFAULT_DAYS[code]
    assert rule.source.startswith(f"{LABELS[code]}：{DEFAULT_DAYS[code]}个工作日内答复")
    assert "《信访工作条例》（2022）规定的受理之日起60日" in rule.source
    assert rules.DEFAULT_DEADLINES[code] == rule


def test_unknown_category_falls_back_to_other(no_local_table):
    assert rules.deadline_rule(category="nonsense") == rules.DEFAULT_DEADLINES["other"]


def test_hotline_takes_shorter_limit(no_local_table):
    assert rules.HOTLINE_RULE.working_days == 5
    hotline = rules.deadline_rule(category="abuse", channel="hotline")
    assert hotline.working_days == 5 and hotline.source == rules.HOTLINE_RULE.source
    assert "国办发〔2020〕53号" in hotline.source
    assert rules.deadline_rule(category="inaction", channel="hotline").working_days == 5


def test_local_table_overrides_with_its_own_source(settings):
    settings.FAZHI_COMPLAINTS = {"DEADLINES": {"abuse": 20, "hotline": 3}}
    rule = rules.deadline_rule(category="abuse")
    assert (rule.working_days, rule.source) == (20, "执法乱作为投诉：20个工作日内答复（本地配置）")
    hotline = rules.deadline_rule(category="abuse", channel="hotline")
    assert hotline.working_days == 3 and hotline.source.startswith("12345热线工单：3个工作日内答复")
    # A category whose own limit is already shorter than the hotline's keeps it.
    settings.FAZHI_COMPLAINTS = {"DEADLINES": {"inaction": 2}}
    assert rules.deadline_rule(category="inaction", channel="hotline").working_days == 2


def test_other_numbers_pinned():
    assert rules.DUPLICATE_DAYS == 30 and rules.DUPLICATE_MIN_SIMILARITY == 0.45


def test_file_checks():
    assert rules.file_type_problem(name="a.png", size=10, head=b"\x89PNG\r\n\x1a\n") == ""
    assert rules.file_type_problem(name="a.pdf", size=10, head=b"%PDF-1.7") == ""
    assert rules.file_type_problem(name="a.jpg", size=10, head=b"\xff\xd8\xff\xe0") == ""
    assert "类型不支持" in rules.file_type_problem(name="a.svg", size=10, head=b"<svg")
    assert "内容与扩展名不符" in rules.file_type_problem(name="a.jpg", size=10, head=b"<html>")
    assert "大小限制" in rules.file_type_problem(name="a.pdf", size=rules.MAX_FILE_BYTES + 1, head=b"%PDF-")


def test_similarity():
    a = "人民路12号的烧烤店油烟扰民，城管执法人员多次接到投诉都不处理。"
    assert rules.text_similarity(a, a) == 1.0
    assert rules.text_similarity(a, "出租车绕路多收费") < 0.2
    score, reasons = rules.duplicate_score(
        {"place": "人民路12号", "description": a}, {"place": "东城区人民路12号", "description": a + "请尽快处理"}
    )
    assert score > 0.9 and "同一地点" in reasons
    assert rules.duplicate_score({"place": "甲", "description": a}, {"place": "乙", "description": a}) == (0.0, [])


def test_public_status_and_rating():
    assert rules.public_status("replied") == rules.public_status("assigned")  # internal review is not shown
    assert rules.reply_visible("answered") and not rules.reply_visible("replied")
    assert rules.may_rate(status="answered", satisfaction="") and not rules.may_rate(
        status="answered", satisfaction="basic"
    )
