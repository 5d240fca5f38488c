"""The registry's statutory numbers and citations, pinned: a change to one is a change to the law's reading and
must be made here on purpose (《中华人民共和国行政处罚法》, 2021 revision)."""

from fazhi.registry import rules as registry_rules


def test_the_law_and_the_kinds_of_penalty():
    assert registry_rules.LAW == "《中华人民共和国行政处罚法》" and registry_rules.LAW_SHORT == "《行政处罚法》"
    assert registry_rules.PENALTY_KINDS_CITATION == "《行政处罚法》第九条"
    assert registry_rules.PENALTY_KINDS == [
        "警告",
        "通报批评",
        "罚款",
        "没收违法所得",
        "没收非法财物",
        "暂扣许可证件",
        "降低资质等级",
        "吊销许可证件",
        "限制开展生产经营活动",
        "责令停产停业",
        "责令关闭",
        "限制从业",
        "行政拘留",
        "其他",
    ]


def test_who_may_enforce():
    assert registry_rules.ENTRUSTMENT_CITATION == "《行政处罚法》第二十条"
    assert registry_rules.CERTIFICATE_CITATION == "《行政处罚法》第四十二条"
    assert registry_rules.LEGAL_REVIEW_CITATION == "《行政处罚法》第五十八条"


def test_pages_cite_from_the_rules_not_literally():
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    literal = re.compile(r"《[^》]+》第[一二三四五六七八九十百]+条")
    found = [
        f"{p.relative_to(templates)}: {m}" for p in templates.rglob("*.html") for m in literal.findall(p.read_text())
    ]
    assert found == []


def test_certificate_reminder_is_a_local_default():
    assert registry_rules.CERTIFICATE_EXPIRY_DAYS == 30
    source = registry_rules.CERTIFICATE_EXPIRY_SOURCE
    assert "本地规定" in source and "30 日" in source
