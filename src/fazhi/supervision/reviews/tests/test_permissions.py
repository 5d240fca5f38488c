"""The predicates of case-file review and the grants behind them."""

import pytest

from fazhi.core.permissions import DEFAULT_ROLES
from fazhi.supervision.reviews import permissions as p
from fazhi.supervision.reviews import services
from fazhi.supervision.reviews.tests import factories as fx

pytestmark = pytest.mark.django_db


def test_grants():
    grants = {role: set(codes) for role, (_, _, codes) in DEFAULT_ROLES.items()}
    assert {"review.view", "review.manage", "review.score"} <= grants["supervisor"]
    assert {"review.view", "review.score", "review.rectify"} <= grants["agency_legal"]
    assert "review.manage" not in grants["agency_legal"]
    assert {"review.view", "review.score"} <= grants["invited_supervisor"]
    assert "review.view" in grants["leader"] and "review.score" not in grants["leader"]
    assert not {c for c in grants["officer"] if c.startswith("review.")}


def test_rubrics_are_defined_by_a_manager_of_the_whole_jurisdiction(users, dept_admin):
    from fazhi.core.models import Role

    rubric = fx.rubric()
    assert p.rubric_actions(user=users["supervisor"], obj=rubric) == {"view", "export", "create", "version", "edit"}
    assert p.rubric_actions(user=users["agency"], obj=rubric) == {"view", "export"}
    assert p.rubric_actions(user=users["officer"], obj=rubric) == set()
    district = Role.objects.create(
        code="district_sup", name="区监督", data_scope="subtree", permissions=["review.manage"]
    )
    users["agency2"].roles.add(district)
    assert "create" not in p.rubric_actions(user=users["agency2"], obj=None)


def test_campaign_actions_follow_the_state(users, org):
    c = fx.campaign(units=[org[fx.MARKET]])
    supervisor, agency = users["supervisor"], users["agency"]
    assert {"commit", "pool", "files"} <= p.campaign_actions(user=supervisor, obj=c)
    assert "draw" not in p.campaign_actions(user=supervisor, obj=c)
    assert p.campaign_actions(user=agency, obj=c) == {"view"}
    c.status = "reviewing"
    assert {"assign", "publish", "report"} <= p.campaign_actions(user=supervisor, obj=c)
    c.status = "published"
    assert {"opinions", "report"} <= p.campaign_actions(user=supervisor, obj=c)
    assert "pool" not in p.campaign_actions(user=supervisor, obj=c)
    assert p.campaign_actions(user=agency, obj=c) == {"view", "summary", "documents"}
    assert "create" in p.campaign_actions(user=supervisor, obj=None)
    assert "create" not in p.campaign_actions(user=agency, obj=None)


def test_file_and_opinion_actions(users, org):
    market = fx.agency_setup(org[fx.MARKET])
    fx.decided_case(market, flaw="service_late")
    c = fx.drawn_campaign(units=[org[fx.MARKET]], reviewers=("monitor",), min_per_agency=1)
    file = c.files.get()
    assert file.reviewer == users["monitor"]
    assert "score" in p.file_actions(user=users["monitor"], obj=file)
    assert "score" not in p.file_actions(user=users["supervisor"], obj=file)
    assert {"assign", "sheets"} <= p.file_actions(user=users["supervisor"], obj=file)
    sheet = services.sheet_open(by=users["monitor"], file=file, today=fx.today())
    for line in sheet.lines.all():
        services.sheet_line_decide(by=users["monitor"], line=line, decision="confirm")
    services.sheet_submit(by=users["monitor"], sheet=sheet, today=fx.today())
    file.refresh_from_db()
    assert "score" not in p.file_actions(user=users["monitor"], obj=file)
    assert "document" in p.file_actions(user=users["monitor"], obj=file)
    assert "document" not in p.file_actions(user=users["agency"], obj=file)  # not published yet

    services.campaign_publish(by=users["supervisor"], campaign=c, today=fx.today())
    issued = services.opinions_issue(by=users["supervisor"], campaign=c, prefix="测评", today=fx.today())
    opinion = issued[0]
    assert opinion.item_id  # the late service is a defect to rectify
    assert p.opinion_actions(user=users["agency"], obj=opinion) == {"view", "report"}
    assert p.opinion_actions(user=users["agency2"], obj=opinion) == {"view"}
    assert p.opinion_actions(user=users["supervisor"], obj=opinion) == {"view"}
    services.opinion_report(by=users["agency"], opinion=opinion, text="已整改")
    opinion.refresh_from_db()
    assert p.opinion_actions(user=users["supervisor"], obj=opinion) == {"view", "signoff", "return"}
    assert p.opinion_actions(user=users["agency"], obj=opinion) == {"view"}
