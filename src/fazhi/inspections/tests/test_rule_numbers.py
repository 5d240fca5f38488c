"""The statutory numbers of 双随机、一公开 and 涉企行政检查 with their citations, pinned."""

from fazhi.inspections import rules


def test_publication_limit_and_source():
    assert rules.PUBLICATION_WORKING_DAYS == 20
    assert rules.PUBLICATION_SOURCE == "国发〔2019〕5号：抽查检查结果自产生之日起20个工作日内向社会公示"


def test_inspectors_and_their_article():
    assert rules.INSPECTORS_MIN == 2
    assert rules.INSPECTOR_CITATION == "《行政处罚法》第四十二条"


def test_quiet_day_exemptions_and_non_plan_sources():
    assert rules.QUIET_DAY_EXEMPT == ("complaint", "emergency")
    assert rules.NON_PLAN_SOURCES == ("complaint", "referral", "emergency", "other")
