"""Demo reports: last quarter's bulletin published, and last year's annual reports — the city government's approved
and published on the portal, 市场监管局's draft (its 1 March item open), 生态环境局's waiting for review."""

from django.utils import timezone

from fazhi.assessment.reports import rules, services
from fazhi.assessment.reports.models import AssessmentReport
from fazhi.core.models import Unit


def build(*, units=None, users=None) -> list[str]:
    if AssessmentReport.objects.exists():
        return ["通报与年度报告：已存在，跳过"]
    today = timezone.localdate()
    units = {u.name: u for u in Unit.objects.all()}
    justice, gov = units["示例市司法局"], units["示例市人民政府"]
    year, quarter = rules.previous_quarter(today)
    counts = services._Counts()
    bulletin = services.bulletin_generate(
        by=None, issuer=justice, year=year, quarter=quarter, today=today, counts=counts
    )
    services.report_publish(by=None, report=bulletin, today=today, prefix="示司通")
    last = today.year - 1
    city = services.annual_generate(by=None, unit=gov, year=last, today=today, counts=counts)
    services.section_edit(
        by=None,
        report=city,
        key="leaders",
        text="市政府主要负责人全年主持召开常务会议专题研究法治政府建设4次，带头年终述法，组织政府常务会议会前学法12次。",
    )
    services.annual_submit(by=None, report=city)
    services.annual_approve(by=None, report=city, comment="经保密审查，同意公开。")
    services.report_publish(by=None, report=city, today=today)
    services.annual_generate(by=None, unit=units["示例市市场监督管理局"], year=last, today=today, counts=counts)
    eco = services.annual_generate(by=None, unit=units["示例市生态环境局"], year=last, today=today, counts=counts)
    services.annual_submit(by=None, report=eco)
    return [f"通报与年度报告：{AssessmentReport.objects.count()} 份"]
