"""Every statutory number of penalty cases and its citation, pinned: a change to one is a change to the law's
reading and must be made here on purpose (《中华人民共和国行政处罚法》, 2021 revision; 国办发〔2018〕118号)."""

from decimal import Decimal

from fazhi.cases import rules

LAW = "《中华人民共和国行政处罚法》"


def test_time_limits_and_their_articles():
    assert rules.LAW == LAW
    assert rules.DECISION_DAYS == 90  # natural days from 立案
    assert rules.DECISION_SOURCE == f"{LAW}第六十条"
    assert rules.SERVICE_WORKING_DAYS == 7  # "七日" is working days (第八十五条)
    assert "第六十一条" in rules.SERVICE_SOURCE and "第八十五条" in rules.SERVICE_SOURCE
    assert rules.HEARING_NOTICE_WORKING_DAYS == 7
    assert rules.DISCLOSURE_WORKING_DAYS == {"penalty": 7, "licence": 7, "other": 20}
    assert "国办发〔2018〕118号" in rules.DISCLOSURE_POLICY and rules.DISCLOSURE_SOURCE.startswith(
        rules.DISCLOSURE_POLICY
    )
    assert (rules.LIMITATION_YEARS, rules.LIMITATION_YEARS_EXTENDED) == (2, 5)


def test_decision_limit_counts_natural_days_and_extensions():
    import datetime as dt

    # Filed 2025-03-03: day 90 is 2025-06-01, a Sunday, so the limit rolls to Monday 2025-06-03 (06-02 is 端午节).
    assert rules.decision_limit(filed_on=dt.date(2025, 3, 3)) == dt.date(2025, 6, 3)
    assert rules.decision_limit(filed_on=dt.date(2025, 3, 3), extension_days=30) == dt.date(2025, 7, 1)


def test_amounts_and_kinds():
    assert rules.ON_THE_SPOT_LIMIT == {"person": Decimal("200"), "organisation": Decimal("3000")}


def test_citations_named_in_messages():
    assert rules.MITIGATION_CITATION == "《行政处罚法》第三十二条"
    assert rules.EXEMPTION_CITATION == "《行政处罚法》第三十三条"
    assert rules.LEGAL_REVIEW_CITATION == "《行政处罚法》第五十八条"
    assert rules.EXTENSION_CITATION == "《行政处罚法》第六十条"
    assert rules.DISCLOSURE_CITATION == f"{LAW}第四十八条"


def test_local_defaults_are_marked_as_such():
    assert rules.WARNING_WORKING_DAYS == 5


def test_each_rule_cites_its_article():
    assert {code: r.citation for code, r in rules.RULES.items()} == {
        "handlers_min_two": f"{LAW}第四十二条",
        "handler_certificate_invalid": f"{LAW}第四十二条",
        "decision_overdue": f"{LAW}第六十条",
        "legal_review_missing": f"{LAW}第五十八条",
        "hearing_notice_short": f"{LAW}第六十四条、第八十五条",
        "service_late": f"{LAW}第六十一条、第八十五条",
        "disclosure_late": rules.DISCLOSURE_POLICY,
        "fine_outside_tier": f"{LAW}第三十四条（行政处罚裁量基准）",
        "on_the_spot_limit": f"{LAW}第五十一条",
        "limitation_expired": f"{LAW}第三十六条",
    }


def test_stage_gate_cites_the_legal_review_article():
    from types import SimpleNamespace

    from fazhi.cases.stages import blocked_reason

    case = SimpleNamespace(
        major=True, power_item=SimpleNamespace(major=False), legal_review_on=None, procedure="general"
    )
    assert rules.LEGAL_REVIEW_CITATION in blocked_reason(case, "decision")
