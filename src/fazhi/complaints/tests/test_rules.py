from fazhi.complaints import rules


def test_deadline_defaults_cite_a_source():
    for code, _ in [("inaction", ""), ("delay", ""), ("abuse", ""), ("misconduct", ""), ("profit", ""), ("other", "")]:
        rule = rules.deadline_rule(category=code)
        assert rule.working_days > 0 and "信访工作条例" in rule.source


def test_hotline_takes_shorter_limit():
    assert rules.deadline_rule(category="abuse", channel="hotline").working_days == 5
    assert "国办发〔2020〕53号" in rules.deadline_rule(category="abuse", channel="hotline").source


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


def test_masks():
    assert rules.mask_phone("13912345678") == "139****5678"
    assert rules.mask_email("abc@example.com") == "a***@example.com"
    assert rules.mask_name("李四") == "李某"
