"""The invited-supervisor objects of one unit for tests/test_scope.py: a campaign that this unit organises (so that
its applications, objections, supervisors, duties, submissions and trainings are all the unit's), with a document,
an attachment and an id of each kind. Built through the services as the system (`by=None`)."""

import datetime as dt

from fazhi.supervision.supervisors import services
from fazhi.supervision.supervisors.tests import factories as fx


def build(unit) -> dict[str, list[int]]:
    today = fx.today()
    start = fx.publicity_over_start()
    c = fx.campaign(organiser=unit, opened_on=start - dt.timedelta(days=5))
    a, _ = services.application_submit_public(
        campaign=c, data=fx.person(), consent=True, files=[fx.pdf()], today=start - dt.timedelta(days=4)
    )
    invited = services.application_enter(
        by=None, campaign=c, route="invite", data=fx.person(), today=start - dt.timedelta(days=4)
    )
    services.application_invite_reply(by=None, application=invited, accepted=False, today=start - dt.timedelta(days=3))
    services.application_review(by=None, application=a, passed=True, today=start - dt.timedelta(days=2))
    c = services.campaign_publicity_start(by=None, campaign=c, today=start)
    objection = services.objection_submit_public(
        campaign=c, application_id=a.pk, content="反映该拟聘任人员的情况，请核实。" * 2, today=start
    )
    services.objection_answer(by=None, objection=objection, answer="经核查异议不成立。", upheld=False, today=start)
    supervisor, _ = services.supervisor_appoint(by=None, application=a, today=today - dt.timedelta(days=5))
    duty = services.duty_assign(
        by=None,
        supervisor=supervisor,
        kind="observation",
        link_kind="complaint",
        link_id=_any_complaint(),
        planned_on=today - dt.timedelta(days=3),
        today=today - dt.timedelta(days=4),
    )
    services.duty_record(
        by=supervisor.user,
        duty=duty,
        observed_on=today - dt.timedelta(days=3),
        findings="执法人员规范亮证，告知权利，记录完整。",
        files=[fx.pdf("照片.pdf")],
        today=today - dt.timedelta(days=2),
    )
    opinion = services.submission_create(
        by=supervisor.user, kind="opinion", content="建议公开执法投诉电话，方便群众监督。", files=[fx.pdf("意见.pdf")]
    )
    training = services.training_create(
        by=None, unit=unit, topic="范围测试培训", held_on=today - dt.timedelta(days=1), hours=2, attendees=[supervisor]
    )
    campaign_doc = services_documents(kind="invited_campaign", pk=c.pk)
    invite_doc = services_documents(kind="invited_application", pk=invited.pk)
    supervisor_doc = services_documents(kind="invited_supervisor", pk=supervisor.pk)
    return {
        "invited_campaign": [c.pk],
        "invited_campaign_document": [c.pk, campaign_doc],
        "invited_application": [a.pk],
        "invited_application_attachment": [a.pk, a.attachments.first().pk],
        "invited_application_document": [invited.pk, invite_doc],
        "invited_objection": [objection.pk],
        "invited_supervisor": [supervisor.pk],
        "invited_supervisor_document": [supervisor.pk, supervisor_doc],
        "invited_duty": [duty.pk],
        "invited_duty_attachment": [duty.pk, duty.attachments.first().pk],
        "invited_submission": [opinion.pk],
        "invited_submission_attachment": [opinion.pk, opinion.attachments.first().pk],
        "invited_training": [training.pk],
    }


def services_documents(*, kind: str, pk: int) -> int:
    from fazhi.documents.selectors import documents_for

    return documents_for(object_kind=kind, object_id=pk).first().pk


def _any_complaint() -> int:
    """Any complaint will do as the linked record: the duty's scope is its supervisor's unit, not the link's."""
    from fazhi.complaints.models import Complaint
    from fazhi.complaints.services import complaint_submit

    found = Complaint.objects.order_by("id").values_list("pk", flat=True).first()
    if found:
        return found
    complaint, _ = complaint_submit(
        channel="hotline", category="other", description="范围测试用的热线工单内容，至少十个字。", name="测试"
    )
    return complaint.pk
