"""The demo step and the periodic job: a campaign in 公示 with applicants by all three routes (one ineligible),
appointed supervisors, and `monitor` an invited supervisor with observations, a problem report answered through its
clue, an opinion answered and training; the term-expiry job registered and idempotent."""

import pytest

from fazhi.supervision.supervisors import selectors
from fazhi.supervision.supervisors.models import Application, InvitedSupervisor, RecruitmentCampaign

pytestmark = pytest.mark.django_db


def test_the_expiry_scan_is_a_registered_periodic_job():
    from fazhi.core.schedule import PERIODIC
    from fazhi.supervision.supervisors.tasks import term_expiry_scan_task

    assert term_expiry_scan_task.module_path in PERIODIC
    assert term_expiry_scan_task.call() == 0


def test_the_demo(users):
    from fazhi.core.demo.build import DEMO_STEPS, build_demo

    assert (60, "fazhi.supervision.supervisors.demo.build") in DEMO_STEPS
    build_demo()
    current = RecruitmentCampaign.objects.get(status="publicity")
    routes = set(current.applications.values_list("route", flat=True))
    assert routes == {"self", "unit", "invite"}
    ineligible = current.applications.get(eligible=False)
    assert ineligible.status == "failed" and ineligible.eligibility[0]["field"] == "is_functionary"
    assert (
        current.objections.filter(status="pending").exists() and current.objections.filter(status="answered").exists()
    )
    assert InvitedSupervisor.objects.filter(status="serving").count() >= 4
    assert InvitedSupervisor.objects.filter(status="resigned").exists()
    monitor = users["monitor"]
    work = selectors.my_work(user=monitor)
    assert work.record is not None and work.record.status == "serving"
    assert {d.status for d in work.duties} == {"assigned", "recorded"}
    kinds = {d.link_kind for d in work.duties}
    assert "case" in kinds or "inspection_record" in kinds
    problem = next(s for s, _ in work.submissions if s.kind == "problem")
    feedback = next(f for s, f in work.submissions if s.kind == "problem")
    assert problem.clue_code and feedback.reply and "批评教育" in feedback.reply["text"]
    assert any(s.kind == "opinion" and s.answered_at for s, _ in work.submissions)
    assert work.trainings.count() == 2
    assert work.record.expiry_item is not None  # the term runs out within the reminder window
    assert Application.objects.filter(route="invite").exclude(invitation_number="").exists()
    build_demo()  # idempotent
    assert RecruitmentCampaign.objects.count() == 2
