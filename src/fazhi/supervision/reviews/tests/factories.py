"""Rows for the case-file review tests: decided cases made with the ORM (the cases app's services are tested there;
their stored checks through `case_run_checks`), rubrics and campaigns through this area's own services."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from fazhi.cases.models import Case, CaseHandler
from fazhi.cases.services import case_run_checks
from fazhi.cases.tests import case_factories as cf
from fazhi.core.models import Unit, User
from fazhi.supervision.reviews import demo, services
from fazhi.supervision.reviews.models import Campaign, Rubric

_seq = itertools.count(1)
MARKET, ECOLOGY, CITY = "示例市市场监督管理局", "示例市生态环境局", "示例市城市管理综合执法局"


def today() -> dt.date:
    return timezone.localdate()


def rubric(*, name: str = "测试评查标准", year: int | None = None) -> Rubric:
    """The demo's realistic rubric (基础标准 / 文书规范, eight veto items) under a name of its own."""
    return services.rubric_create(
        by=None, name=name, year=year or today().year, case_type="penalty", spec=demo.rubric_spec()
    )


def agency_setup(unit: Unit) -> dict:
    ag = cf.agency(unit)
    return {
        "agency": ag,
        "item": cf.power_item(ag),
        "o1": cf.officer(ag, f"甲{next(_seq)}"),
        "o2": cf.officer(ag, f"乙{next(_seq)}"),
    }


def decided_case(setup: dict, *, decided_on: dt.date | None = None, flaw: str = "", procedure: str = "general") -> Case:
    """A decided, served and disclosed penalty case of the agency. `flaw`: "service_late" (served 20 days after the
    decision), "one_handler" (handlers_min_two), "major" (a major decision without legal review)."""
    decided = decided_on or today() - dt.timedelta(days=20)
    n = next(_seq)
    case = Case.objects.create(
        agency=setup["agency"],
        power_item=setup["item"],
        number=f"测试评查〔{decided.year}〕{n}号",
        title=f"测试案件{n}",
        procedure=procedure,
        stage="closed",
        party_kind="organisation",
        party_name="示例市某某商贸有限公司",
        party_uscc=cf.ORG_USCC,
        filed_on=decided - dt.timedelta(days=30),
        major=flaw == "major",
        decided_on=decided,
        outcome="penalty",
        decision_number=f"测罚〔{decided.year}〕{n}号",
        penalty_kinds=["警告"],
        served_on=decided + dt.timedelta(days=20 if flaw == "service_late" else 1),
        disclosed_on=decided + dt.timedelta(days=2),
        closed_on=decided + dt.timedelta(days=25),
    )
    CaseHandler.objects.create(case=case, officer=setup["o1"])
    if flaw != "one_handler":
        CaseHandler.objects.create(case=case, officer=setup["o2"])
    case_run_checks(case=case, as_of=today())
    return case


def user(username: str) -> User:
    return User.objects.get(username=username)


def campaign(*, units: list[Unit], by=None, rubric_obj=None, **kwargs) -> Campaign:
    by = by or user("supervisor")
    agencies = [cf.agency(u) for u in units]
    defaults = {
        "name": f"测试评查活动{next(_seq)}",
        "year": today().year,
        "period_start": today() - dt.timedelta(days=365),
        "period_end": today(),
        "deadline": today() + dt.timedelta(days=30),
        "min_per_agency": 2,
        "percent": Decimal("10"),
    }
    defaults.update(kwargs)
    return services.campaign_create(by=by, rubric=rubric_obj or rubric(), agencies=agencies, today=today(), **defaults)


def drawn_campaign(*, units: list[Unit], reviewers=("supervisor",), assign: bool = True, **kwargs) -> Campaign:
    by = user("supervisor")
    c = campaign(units=units, by=by, **kwargs)
    for name in reviewers:
        services.pool_add(by=by, campaign=c, user=user(name))
    services.sample_commit(by=by, campaign=c, today=today())
    services.sample_draw(by=by, campaign=c)
    if assign:
        services.files_auto_assign(by=by, campaign=c, today=today())
    c.refresh_from_db()
    return c


def score_all(c: Campaign, *, extra: str = "5.2") -> None:
    """Every reviewer confirms his prefilled lines, adds one deduction and submits."""
    rubric_obj = c.rubric
    for file in c.files.select_related("case").order_by("position"):
        for reviewer in (file.reviewer, file.second_reviewer):
            if reviewer is None:
                continue
            sheet = services.sheet_open(by=reviewer, file=file, today=today())
            for line in sheet.lines.all():
                services.sheet_line_decide(by=reviewer, line=line, decision="confirm")
            services.sheet_line_add(
                by=reviewer, sheet=sheet, rubric_item=rubric_obj.items.get(code=extra), note="文书有错别字"
            )
            services.sheet_submit(by=reviewer, sheet=sheet, today=today())


def finished_campaign(*, agency_units: list[Unit]) -> Campaign:
    """A campaign of these units alone with decided cases of its own: sampled, scored, published, its report and
    its 评查意见 issued."""
    for unit in agency_units:
        setup = agency_setup(unit)
        decided_case(setup)
        decided_case(setup, flaw="service_late")
        decided_case(setup, decided_on=today() - dt.timedelta(days=40))
    by = user("supervisor")
    c = drawn_campaign(units=agency_units)
    score_all(c)
    services.campaign_publish(by=by, campaign=c, today=today())
    services.campaign_report(by=by, campaign=c, today=today())
    services.opinions_issue(by=by, campaign=c, prefix="测评", today=today())
    c.refresh_from_db()
    return c
