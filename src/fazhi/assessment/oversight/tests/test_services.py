"""法治督察 services: a campaign, problems assigned to units as tracked items, the unit's plan, progress and
evidence, 对账销号 (evidence required) and return, links and clues; bad input names its field, nothing written."""

import datetime as dt

import pytest

from fazhi.assessment.oversight import rules, services
from fazhi.assessment.oversight.models import OversightCampaign, OversightProblem, OversightRectification
from fazhi.assessment.oversight.tests import factories as f
from fazhi.core.errors import DomainError, Forbidden
from fazhi.tracking.models import TrackedItem

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_problem_assigned_to_units_is_tracked_with_its_deadline(org):
    c = f.campaign(org, today=TODAY)
    p = f.problem(org, c, today=TODAY, units=(f.MARKET, f.ECOLOGY), deadline=dt.date(2026, 8, 31))
    rects = list(p.rectifications.order_by("unit__sort_order"))
    assert [r.unit.name for r in rects] == [f.MARKET, f.ECOLOGY]
    item = rects[0].item
    assert item.kind == "oversight_rectification" and item.deadline == dt.date(2026, 8, 31)
    assert item.deadline_source == rules.RECTIFICATION_SOURCE and item.unit.name == f.MARKET
    assert p.aspect.order == 1 and p.order == 1


def test_rectified_and_signed_off_closes_the_item_on_time(org, users):
    c = f.campaign(org, today=TODAY)
    rect = f.problem(org, c, today=TODAY).rectifications.get()
    agency, supervisor = users["agency"], users["supervisor"]
    services.rectification_plan(by=agency, rectification=rect, plan="补充公示并建立提醒")
    services.rectification_report(by=agency, rectification=rect, text="已补充公示", files=[f.pdf()], submit=True)
    rect.refresh_from_db()
    assert rect.status == rules.SUBMITTED and rect.item.status == "review"
    services.rectification_signoff(by=supervisor, rectification=rect, comment="同意销号", today=TODAY)
    rect.refresh_from_db()
    assert rect.status == rules.SIGNED_OFF and rect.signed_off_on == TODAY
    item = TrackedItem.objects.get(pk=rect.item_id)
    assert item.status == "closed" and item.closed_on_time is True
    assert [e.action for e in item.events.order_by("seq")] == ["created", "plan", "submitted", "closed"]


def test_signoff_without_evidence_is_refused_in_chinese(org, users):
    c = f.campaign(org, today=TODAY)
    rect = f.problem(org, c, today=TODAY).rectifications.get()
    services.rectification_report(by=users["agency"], rectification=rect, text="已整改", submit=True)
    with pytest.raises(DomainError) as e:
        services.rectification_signoff(by=users["supervisor"], rectification=rect, today=TODAY)
    assert e.value.field == "evidence" and "佐证材料" in e.value.message
    rect.refresh_from_db()
    assert rect.status == rules.SUBMITTED and rect.signed_off_on is None


def test_return_sends_it_back_to_the_unit(org, users):
    c = f.campaign(org, today=TODAY)
    rect = f.problem(org, c, today=TODAY).rectifications.get()
    services.rectification_report(by=users["agency"], rectification=rect, text="已整改", files=[f.pdf()], submit=True)
    services.rectification_return(by=users["supervisor"], rectification=rect, reason="材料不全")
    rect.refresh_from_db()
    assert rect.status == rules.RETURNED and rect.returns == 1 and rect.item.status == "returned"
    # the unit hands it in again
    services.rectification_report(by=users["agency"], rectification=rect, text="补充材料", files=[f.pdf()], submit=True)
    rect.refresh_from_db()
    assert rect.status == rules.SUBMITTED


def test_other_unit_and_wrong_roles_are_refused(org, users):
    c = f.campaign(org, today=TODAY)
    rect = f.problem(org, c, today=TODAY).rectifications.get()
    with pytest.raises(DomainError) as e:
        services.rectification_plan(by=users["agency2"], rectification=rect, plan="x")
    assert e.value.field == "unit"
    with pytest.raises(Forbidden):
        services.rectification_signoff(by=users["agency"], rectification=rect)
    with pytest.raises(DomainError) as e:  # not handed in yet
        services.rectification_signoff(by=users["supervisor"], rectification=rect)
    assert e.value.field == "status"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"aspect": ""}, "aspect"),
        ({"description": " "}, "description"),
        ({"units": []}, "units"),
        ({"deadline": None}, "deadline"),
        ({"deadline": TODAY - dt.timedelta(days=1)}, "deadline"),
        ({"deadline": TODAY + dt.timedelta(days=rules.DEADLINE_MAX_DAYS + 1)}, "deadline"),
        ({"bases": [("nonsense", 1)]}, "basis_kind"),
    ],
)
def test_bad_problem_input_names_the_field_and_writes_nothing(org, kwargs, field):
    c = f.campaign(org, today=TODAY)
    args = {
        "by": None,
        "campaign": c,
        "aspect": "决策方面",
        "description": "问题",
        "units": [org[f.MARKET]],
        "deadline": TODAY + dt.timedelta(days=10),
        "today": TODAY,
        **kwargs,
    }
    with pytest.raises(DomainError) as e:
        services.problem_add(**args)
    assert e.value.field == field
    assert (
        not OversightProblem.objects.exists()
        and not TrackedItem.objects.filter(kind="oversight_rectification").exists()
    )


def test_unit_outside_the_campaign_is_refused(org):
    c = f.campaign(org, today=TODAY, units=(f.MARKET,))
    with pytest.raises(DomainError) as e:
        f.problem(org, c, today=TODAY, units=(f.ECOLOGY,))
    assert e.value.field == "units" and "被督察单位" in e.value.message


def test_campaign_bad_input(org, users):
    with pytest.raises(DomainError) as e:
        services.campaign_create(
            by=users["supervisor"], kind="x", title="t", period_start=TODAY, period_end=TODAY, units=[org[f.MARKET]]
        )
    assert e.value.field == "kind"
    with pytest.raises(DomainError) as e:
        services.campaign_create(
            by=users["supervisor"],
            kind="field",
            title="t",
            period_start=TODAY,
            period_end=TODAY - dt.timedelta(1),
            units=[org[f.MARKET]],
        )
    assert e.value.field == "period_end"
    with pytest.raises(Forbidden):
        services.campaign_create(
            by=users["agency"], kind="field", title="t", period_start=TODAY, period_end=TODAY, units=[org[f.MARKET]]
        )
    assert not OversightCampaign.objects.exists()


def test_link_and_clue_with_feedback(org, users):
    c = f.campaign(org, today=TODAY)
    rect = f.problem(org, c, today=TODAY).rectifications.get()
    sup = users["supervisor"]
    with pytest.raises(DomainError) as e:
        services.problem_link_add(by=sup, rectification=rect, kind="case", object_id=99999999)
    assert e.value.field == "basis_id"
    clue = services.clue_refer(
        by=sup, rectification=rect, recipient="示例市纪委监委", summary="涉嫌违纪", referred_on=TODAY, today=TODAY
    )
    with pytest.raises(DomainError) as e:
        services.clue_feedback(by=sup, clue=clue, feedback="x", feedback_on=TODAY - dt.timedelta(1), today=TODAY)
    assert e.value.field == "feedback_on"
    services.clue_feedback(by=sup, clue=clue, feedback="已立案审查", feedback_on=TODAY, close=True, today=TODAY)
    clue.refresh_from_db()
    assert clue.status == "closed"
    with pytest.raises(Forbidden):
        services.clue_refer(by=users["agency"], rectification=rect, recipient="x", summary="y", today=TODAY)


def test_import_dry_run_then_all_or_nothing(org, users):
    import io

    from openpyxl import Workbook

    from fazhi.assessment.oversight.importers import ProblemImporter

    c = f.campaign(org, today=TODAY)

    def book(rows):
        wb = Workbook()
        ws = wb.active
        ws.append([col.header for col in ProblemImporter.columns])
        for r in rows:
            ws.append(r)
        out = io.BytesIO()
        wb.save(out)
        out.seek(0)
        return out

    good = [
        ["决策方面", "未公开决策目录", "公开目录", f.MARKET, "2026-09-30", None, None],
        ["执法方面", "公示超期", "", f"{f.MARKET}、{f.ECOLOGY}", "2026-10-31", None, None],
    ]
    bad = [*good, ["执法方面", "问题", "", "示例市不存在局", "2026-10-31", None, None]]
    result = ProblemImporter(c, today=TODAY).run(book(bad), by=users["supervisor"], commit=True)
    assert not result.committed and any("第 4 行“责任单位”" in m for m in result.messages)
    assert not OversightProblem.objects.filter(campaign=c).exists()
    dry = ProblemImporter(c, today=TODAY).run(book(good), by=users["supervisor"], commit=False)
    assert not dry.has_errors and not dry.committed and not OversightProblem.objects.filter(campaign=c).exists()
    done = ProblemImporter(c, today=TODAY).run(book(good), by=users["supervisor"], commit=True)
    assert done.committed and OversightProblem.objects.filter(campaign=c).count() == 2
    assert OversightRectification.objects.filter(problem__campaign=c).count() == 3
