"""The services of 监督文书: draft → issue (number, 公文, deadline, delivery) → acknowledge → reply → accept / return;
约谈记录, 通报, the proposed 决定书 for an unheeded 意见书, wrong_case_found, the risk-warning proposals."""

import datetime as dt
import io

import pytest
from docx import Document

from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Notification
from fazhi.documents.models import DocumentNumberRegister, GeneratedDocument
from fazhi.documents.selectors import document_bytes
from fazhi.documents.services import register_create
from fazhi.supervision.instruments import rules, services
from fazhi.supervision.instruments.models import Instrument, InstrumentBasis, InstrumentReply, RiskProposal
from fazhi.supervision.instruments.tests import factories as f
from fazhi.supervision.signals import wrong_case_found
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.timeline import verify_chains
from fazhi.workdays.calendar import deadline_calendar_days, deadline_working_days

pytestmark = pytest.mark.django_db


def _actions(inst) -> list[str]:
    return list(inst.item.events.order_by("seq").values_list("action", flat=True))


# ---------------------------------------------------------------- drafts


def test_a_draft_has_no_number_and_no_item(users):
    inst = f.draft(users)
    assert inst.status == rules.DRAFT and inst.number == "" and inst.item_id is None
    assert inst.issuing_unit.name == "示例市司法局"
    assert not DocumentNumberRegister.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recipient": None}, "recipient"),
        ({"title": "  "}, "title"),
        ({"facts": ""}, "facts"),
        ({"requirements": ""}, "requirements"),
        ({"kind": "memo"}, "kind"),
        ({"kind": rules.DECISION, "decision_kind": "fine"}, "decision_kind"),
        ({"bases": [("case", 99999999)]}, "basis_id"),
        ({"bases": [("nonsense", 1)]}, "basis_kind"),
    ],
)
def test_bad_drafts_are_refused_and_nothing_is_written(users, changes, field):
    with pytest.raises(DomainError) as exc:
        f.draft(users, **changes)
    assert exc.value.field == field and exc.value.message
    assert not Instrument.objects.exists() and not InstrumentBasis.objects.exists()


def test_a_basis_outside_the_issuers_scope_is_refused(users, org):
    from fazhi.complaints.tests import factories as cf
    from fazhi.core.models import Role, User

    complaint, _ = cf.assigned(users)
    inst = f.draft(users, bases=[("complaint", complaint.pk)])  # the city supervisor sees it
    assert inst.bases.get().label.startswith("投诉")
    role = Role.objects.create(
        code="district_supervisor",
        name="区监督人员",
        data_scope="subtree",
        permissions=["instrument.view", "instrument.issue", "complaint.view"],
    )
    district = User.objects.create(username="district", name="区监督", unit=org["东城区司法局"])
    district.roles.add(role)
    with pytest.raises(DomainError) as exc:
        f.draft(users, by=district, kind=rules.BULLETIN, recipient=None, bases=[("complaint", complaint.pk)])
    assert exc.value.field == "basis_id" and "不存在或无权查看" in exc.value.message
    assert Instrument.objects.count() == 1


def test_only_the_issuing_side_drafts(users):
    for name in ("agency", "leader", "monitor", "officer"):
        with pytest.raises(Forbidden):
            f.draft(users, by=users[name])


def test_a_recipient_outside_the_issuers_choices_is_refused(users, org):
    with pytest.raises(DomainError) as exc:
        f.draft(users, recipient="示例市司法局")  # not an agency or township
    assert exc.value.field == "recipient"


# ---------------------------------------------------------------- issue


def test_issue_takes_a_number_opens_the_item_stores_the_document_and_delivers(users, today):
    inst = f.issued(users, today=today)
    assert inst.status == rules.DELIVERED and inst.issued_on == today
    assert inst.number == f"司监意〔{today.year}〕1号"  # the default prefix of a new register
    item = inst.item
    assert item.kind == "instrument" and item.unit.name == f.MARKET and item.action_unit.name == f.MARKET
    # 第二十八条: 三十日 from receipt, natural days, last day moved off a rest day
    assert item.deadline == deadline_calendar_days(today, 30).deadline
    assert "第二十八条" in item.deadline_source and item.limit_kind == "calendar" and item.limit_days == 30
    assert _actions(inst) == ["created", "issued", "document", "delivered"]
    doc = GeneratedDocument.objects.get(object_kind="instrument", object_id=inst.pk)
    assert doc.number == inst.number and doc.item_id == item.pk
    text = "\n".join(p.text for p in Document(io.BytesIO(document_bytes(doc))).paragraphs)
    for expected in (
        "行政执法监督意见书",
        inst.number,
        f"{f.MARKET}：",
        "基本事实",
        "办理期限",
        "第二十八条",
        "示例市司法局",
    ):
        assert expected in text
    note = Notification.objects.get(recipient=users["agency"], dedup_key=f"instrument:{inst.pk}:delivered")
    assert inst.number in note.title and note.url.endswith(f"/supervision/instruments/{inst.pk}/")
    assert not Notification.objects.filter(recipient=users["agency2"]).exists()
    checked, events, problems = verify_chains(TrackedItem.objects.filter(pk=item.pk))
    assert (checked, events, problems) == (1, 4, [])


def test_numbers_come_from_the_register_gapless_per_kind(users, today):
    register_create(
        by=None, unit=users["supervisor"].unit, doc_type="行政执法监督意见书", year=today.year, prefix="示司监"
    )
    first = f.issued(users, today=today)
    second = f.issued(users, today=today, recipient=f.ECOLOGY)
    reminder = f.issued(users, today=today, kind=rules.REMINDER)
    assert (first.number, second.number) == (f"示司监〔{today.year}〕1号", f"示司监〔{today.year}〕2号")
    assert reminder.number == f"司监函〔{today.year}〕1号"
    # 工作提示函: 15 working days (local rule)
    assert reminder.item.deadline == deadline_working_days(today, 15).deadline


def test_a_refused_issue_takes_no_number(users, today):
    inst = f.draft(users, kind=rules.DECISION)
    with pytest.raises(DomainError) as exc:
        services.instrument_issue(by=users["supervisor"], instrument=inst, today=today)
    assert exc.value.field == "decision_kind"
    assert not DocumentNumberRegister.objects.exists() and Instrument.objects.get().status == rules.DRAFT
    services.instrument_issue(by=users["supervisor"], instrument=inst, today=today, decision_kind=rules.PERFORM)
    assert Instrument.objects.get().number == f"司监决〔{today.year}〕1号"


def test_delivery_emails_the_recipients_who_reply(users, today, mail_on, django_capture_on_commit_callbacks):
    users["agency"].email = "agency@example.cn"
    users["agency"].save(update_fields=["email"])
    users["agency2"].email = "agency2@example.cn"
    users["agency2"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        inst = f.issued(users, today=today)
    assert [m.to for m in mail_on] == [["agency@example.cn"]]
    assert inst.number in mail_on[0].subject
    delivered = inst.item.events.get(action="delivered")
    assert delivered.data == {"notified": 1, "emailed": 1}


def test_only_a_draft_is_issued_and_only_by_the_issuing_side(users, today):
    inst = f.issued(users, today=today)
    with pytest.raises(DomainError) as exc:
        services.instrument_issue(by=users["supervisor"], instrument=inst, today=today)
    assert exc.value.field == "status"
    other = f.draft(users)
    with pytest.raises(Forbidden):
        services.instrument_issue(by=users["agency"], instrument=other, today=today)


# ---------------------------------------------------------------- the recipient and the review


def test_acknowledge_reply_accept(users, today):
    inst = f.replied(users, today=today)
    assert inst.status == rules.REPLIED and inst.item.status == "review"
    assert inst.item.action_unit == inst.issuing_unit
    reply = inst.replies.get()
    assert reply.on_time and reply.attachments.count() == 1 and reply.unit.name == f.MARKET
    assert Notification.objects.filter(recipient=users["supervisor"], dedup_key__startswith="instrument:").exists()
    services.instrument_accept(by=users["supervisor"], instrument=inst, comment="予以采纳")
    inst = f.fresh(inst)
    assert inst.status == rules.ACCEPTED and inst.answered_on == today and inst.answered_on_time
    assert inst.item.status == "closed" and inst.item.closed_on_time
    assert _actions(inst)[-3:] == ["acknowledged", "replied", "closed"]
    replied = inst.item.events.get(action="replied")
    assert replied.attachments.count() == 1  # the evidence is inside the event hash
    assert verify_chains(TrackedItem.objects.filter(pk=inst.item_id))[2] == []


def test_a_reply_for_another_unit_is_refused_naming_the_instrument(users, org, east_legal, today):
    inst = f.issued(users, today=today, recipient=f.MARKET_EAST)
    # 市场监管局's legal officer sees its 东城分局's instrument, but it is not addressed to his unit
    with pytest.raises(DomainError) as exc:
        services.instrument_acknowledge(by=users["agency"], instrument=inst)
    assert (exc.value.field, exc.value.message) == ("instrument", "该文书不是发给本单位的")
    services.instrument_acknowledge(by=east_legal, instrument=inst)
    with pytest.raises(DomainError) as exc:
        services.instrument_reply(
            by=users["agency"], instrument=f.fresh(inst), findings="已核查", measures="已整改", files=[f.pdf()]
        )
    assert (exc.value.field, exc.value.message) == ("instrument", "该文书不是发给本单位的")
    assert not InstrumentReply.objects.exists() and f.fresh(inst).status == rules.ACKNOWLEDGED
    with pytest.raises(DomainError) as exc:  # another agency altogether
        services.instrument_reply(by=users["agency2"], instrument=f.fresh(inst), findings="x", measures="y")
    assert exc.value.field == "instrument"
    with pytest.raises(Forbidden):  # no right to reply at all
        services.instrument_reply(by=users["leader"], instrument=f.fresh(inst), findings="x", measures="y")


def test_reply_needs_acknowledgement_findings_and_measures(users, today):
    inst = f.issued(users, today=today)
    with pytest.raises(DomainError) as exc:
        services.instrument_reply(by=users["agency"], instrument=inst, findings="已核查", measures="已整改")
    assert exc.value.field == "status" and "签收" in exc.value.message
    services.instrument_acknowledge(by=users["agency"], instrument=inst)
    for findings, measures, field in (("", "已整改", "findings"), ("已核查", " ", "measures")):
        with pytest.raises(DomainError) as exc:
            services.instrument_reply(by=users["agency"], instrument=inst, findings=findings, measures=measures)
        assert exc.value.field == field
    with pytest.raises(DomainError) as exc:
        services.instrument_reply(
            by=users["agency"], instrument=inst, findings="已核查", measures="已整改", files=[f.pdf("病毒.exe")]
        )
    assert exc.value.field == "attachments"
    assert not InstrumentReply.objects.exists()


def test_a_late_reply_is_recorded_as_late(users, today):
    issued_on = today - dt.timedelta(days=45)
    inst = f.replied(users, today=issued_on)  # replied the same day: on time
    assert inst.replies.get().on_time
    late = f.issued(users, today=issued_on, recipient=f.ECOLOGY)
    services.instrument_acknowledge(by=users["agency2"], instrument=late)
    services.instrument_reply(by=users["agency2"], instrument=late, findings="已核查", measures="已整改", today=today)
    services.instrument_accept(by=users["supervisor"], instrument=late)
    late = f.fresh(late)
    assert late.answered_on_time is False and late.item.closed_on_time is False


def test_return_sends_it_back_and_the_agency_replies_again(users, today):
    inst = f.replied(users, today=today)
    with pytest.raises(DomainError) as exc:
        services.instrument_return(by=users["supervisor"], instrument=inst, reason=" ")
    assert exc.value.field == "reason"
    services.instrument_return(by=users["supervisor"], instrument=inst, reason="整改措施不具体")
    inst = f.fresh(inst)
    assert inst.status == rules.RETURNED and inst.returns == 1
    assert inst.item.status == "returned" and inst.item.action_unit.name == f.MARKET
    assert inst.replies.get().status == "returned"
    assert Notification.objects.filter(recipient=users["agency"], title__startswith="【退回】").exists()
    services.instrument_reply(by=users["agency"], instrument=inst, findings="补充核查", measures="逐项整改并限期完成")
    services.instrument_accept(by=users["supervisor"], instrument=f.fresh(inst))
    assert f.fresh(inst).status == rules.ACCEPTED
    assert list(f.fresh(inst).replies.values_list("status", flat=True)) == ["returned", "accepted"]


def test_only_the_issuing_side_reviews(users, today):
    inst = f.replied(users, today=today)
    with pytest.raises(Forbidden):
        services.instrument_accept(by=users["agency"], instrument=inst)
    with pytest.raises(Forbidden):
        services.instrument_return(by=users["leader"], instrument=inst, reason="x")


# ---------------------------------------------------------------- 约谈 and 通报


def test_an_interview_needs_time_and_place_and_closes_with_its_record(users, today):
    from django.utils import timezone

    inst = f.draft(users, kind=rules.INTERVIEW, reply_required=False)
    with pytest.raises(DomainError) as exc:
        services.instrument_issue(by=users["supervisor"], instrument=inst, today=today)
    assert exc.value.field == "interview_at"
    now = timezone.now()
    services.instrument_update(
        by=users["supervisor"],
        instrument=inst,
        title=inst.title,
        facts=inst.facts,
        requirements=inst.requirements,
        recipient=inst.recipient,
        interview_at=now,
        interview_place="三楼会议室",
        reply_required=False,
    )
    inst = services.instrument_issue(by=users["supervisor"], instrument=f.fresh(inst), today=today)
    assert not inst.needs_reply and inst.item.deadline == timezone.localdate(now)
    assert inst.number.startswith("司监约")
    services.instrument_acknowledge(by=users["agency"], instrument=inst)
    with pytest.raises(DomainError) as exc:
        services.instrument_reply(by=users["agency"], instrument=f.fresh(inst), findings="x", measures="y")
    assert "无需书面回复" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.instrument_record_interview(
            by=users["supervisor"], instrument=f.fresh(inst), held_at=now, place="", participants="张三", content="内容"
        )
    assert exc.value.field == "place"
    services.instrument_record_interview(
        by=users["supervisor"],
        instrument=f.fresh(inst),
        held_at=now,
        place="三楼会议室",
        participants="李监督；张法制",
        content="通报问题，部门作出整改承诺。",
    )
    inst = f.fresh(inst)
    assert inst.status == rules.ACCEPTED and inst.item.status == "closed"
    assert inst.interview_record.participants == "李监督；张法制"
    assert GeneratedDocument.objects.filter(object_kind="instrument", object_id=inst.pk).count() == 2
    assert "interview_recorded" in _actions(inst)


def test_an_interview_with_a_report_needs_the_record_before_acceptance(users, today):
    from django.utils import timezone

    now = timezone.now()
    inst = f.replied(users, today=today, kind=rules.INTERVIEW, interview_at=now, reply_required=True)
    with pytest.raises(DomainError) as exc:
        services.instrument_accept(by=users["supervisor"], instrument=inst)
    assert exc.value.field == "interview"
    services.instrument_record_interview(
        by=users["supervisor"], instrument=inst, held_at=now, place="会议室", participants="甲、乙", content="约谈内容"
    )
    assert f.fresh(inst).status == rules.REPLIED  # the report is still to be reviewed
    services.instrument_accept(by=users["supervisor"], instrument=f.fresh(inst))
    assert f.fresh(inst).status == rules.ACCEPTED


def test_a_bulletin_is_published_to_the_supervised_units_without_a_deadline(users, org, today):
    inst = f.issued(users, today=today, kind=rules.BULLETIN, recipient=None, requirements="")
    assert inst.status == rules.PUBLISHED and not inst.needs_reply
    audience = set(inst.audience.values_list("name", flat=True))
    # the city bureau supervises the city agencies and, through the district bureaus, the districts' units
    assert {f.MARKET, f.ECOLOGY, "东城区城市管理综合执法局", "南山县南山镇人民政府"} <= audience
    assert "示例市司法局" not in audience and "示例市人民政府" not in audience
    assert inst.item.status == "closed" and _actions(inst)[-1] == "closed"
    assert Notification.objects.filter(recipient=users["agency2"], dedup_key=f"instrument:{inst.pk}:delivered").exists()


# ---------------------------------------------------------------- unheeded 意见书 → 决定书


@pytest.fixture
def market_case(org, users):
    from fazhi.cases import services as case_services
    from fazhi.cases.tests import case_factories as cf

    m = cf.market(org, users)
    return case_services.case_file(by=users["agency"], **cf.case_kwargs(m))


def test_an_overdue_opinion_gets_one_prefilled_decision(users, today, market_case):
    opinion = f.issued(users, today=today - dt.timedelta(days=45), bases=[("case", market_case.pk)])
    services.instrument_acknowledge(by=users["agency"], instrument=opinion)
    assert services.decisions_propose(today=today) == {"proposed": 1}
    decision = Instrument.objects.get(kind=rules.DECISION)
    assert decision.status == rules.DRAFT and decision.origin == "proposed" and decision.follows_id == opinion.pk
    assert decision.recipient_id == opinion.recipient_id and decision.issuing_unit_id == opinion.issuing_unit_id
    assert opinion.number in decision.facts and "逾期" in decision.proposal_reason
    assert set(decision.bases.values_list("kind", "object_id")) == {
        ("instrument", opinion.pk),
        ("case", market_case.pk),
    }
    assert "decision_proposed" in _actions(f.fresh(opinion))
    assert Notification.objects.filter(recipient=users["supervisor"], title__startswith="【建议】").exists()
    # idempotent; a dismissed proposal is not made again either
    assert services.decisions_propose(today=today) == {"proposed": 0}
    with pytest.raises(DomainError):
        services.instrument_discard(by=users["supervisor"], instrument=decision, reason="")
    services.instrument_discard(by=users["supervisor"], instrument=decision, reason="已口头督促，暂不作出决定")
    assert services.decisions_propose(today=today) == {"proposed": 0}
    assert Instrument.objects.filter(kind=rules.DECISION).count() == 1


def test_an_opinion_in_time_or_answered_in_time_is_not_unheeded(users, today):
    f.issued(users, today=today)
    answered = f.replied(users, today=today - dt.timedelta(days=45), recipient=f.ECOLOGY, by="agency2")
    assert answered.replies.get().on_time  # waiting for the review: the delay is not the agency's
    assert services.decisions_propose(today=today) == {"proposed": 0}


def test_returned_twice_proposes_a_decision_at_once(users, today):
    inst = f.replied(users, today=today)
    services.instrument_return(by=users["supervisor"], instrument=inst, reason="不具体")
    services.instrument_reply(by=users["agency"], instrument=f.fresh(inst), findings="再查", measures="再改")
    assert not Instrument.objects.filter(kind=rules.DECISION).exists()
    services.instrument_return(by=users["supervisor"], instrument=f.fresh(inst), reason="仍不具体")
    decision = Instrument.objects.get(kind=rules.DECISION)
    assert decision.follows_id == inst.pk and "退回2次" in decision.proposal_reason
    assert services.decisions_propose(today=today) == {"proposed": 0}


def test_issuing_the_decision_closes_the_opinion_and_reports_the_wrong_case(users, today, market_case):
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    wrong_case_found.connect(receiver, dispatch_uid="instrument-test")
    try:
        opinion = f.issued(users, today=today - dt.timedelta(days=45), bases=[("case", market_case.pk)])
        services.decisions_propose(today=today)
        decision = Instrument.objects.get(kind=rules.DECISION)
        decision = services.instrument_issue(
            by=users["supervisor"], instrument=decision, decision_kind=rules.REVOKE, today=today
        )
    finally:
        wrong_case_found.disconnect(dispatch_uid="instrument-test")
    assert decision.status == rules.DELIVERED and decision.decision_kind == rules.REVOKE
    assert "第二十九条第二款" in decision.item.deadline_source
    opinion = f.fresh(opinion)
    assert opinion.status == rules.ESCALATED and opinion.item.status == "closed"
    assert opinion.item.events.order_by("-seq").first().action_label == "转监督决定"
    assert len(received) == 1
    signal = received[0]
    assert (signal["source_kind"], signal["source_id"], signal["case_id"]) == (
        "instrument",
        decision.pk,
        market_case.pk,
    )
    assert signal["unit_id"] == decision.recipient_id and "撤销" in signal["source_label"]
    assert signal["by"] == users["supervisor"] and signal["today"] == today


def test_a_decision_to_perform_reports_no_wrong_case(users, today, market_case):
    received = []
    wrong_case_found.connect(lambda **kw: received.append(kw), dispatch_uid="instrument-test-2", weak=False)
    try:
        f.issued(users, today=today, kind=rules.DECISION, decision_kind=rules.PERFORM, bases=[("case", market_case.pk)])
    finally:
        wrong_case_found.disconnect(dispatch_uid="instrument-test-2")
    assert received == []


def test_a_manual_decision_on_an_opinion_follows_it(users, today):
    opinion = f.issued(users, today=today - dt.timedelta(days=45))
    decision = f.draft(users, kind=rules.DECISION, bases=[("instrument", opinion.pk)])
    assert decision.follows_id == opinion.pk
    assert services.decisions_propose(today=today) == {"proposed": 0}


# ---------------------------------------------------------------- 执法风险预警提醒


def _warnings(unit, n: int, start: dt.date):
    from fazhi.tracking.services import item_open

    for k in range(n):
        item_open(
            kind="case_warning",
            title=f"风险预警 {k}",
            unit=unit,
            by=None,
            start=start,
            limit_kind="working",
            limit_days=5,
            deadline_source="测试",
        )


def test_risk_scan_proposes_once_per_agency_and_period_with_the_figures(users, org, today):
    from fazhi.complaints.tests import factories as cf

    start, end = rules.risk_period(today, 3)
    _warnings(org[f.MARKET], 4, start)
    _warnings(org[f.ECOLOGY], 1, start)
    for _ in range(2):
        cf.assigned(users)  # complaints about 市场监管局
    t = rules.RiskThresholds(3, 4, 2)
    assert services.risks_scan(today=today, thresholds=t) == {"created": 1}
    p = RiskProposal.objects.get()
    assert (p.unit.name, p.period_start, p.period_end, p.warnings, p.complaints) == (f.MARKET, start, end, 4, 2)
    assert (p.warnings_threshold, p.complaints_threshold) == (4, 2) and "预警 4 件" in p.reasons
    assert p.supervising_unit.name == "示例市司法局"
    assert Notification.objects.filter(recipient=users["supervisor"], dedup_key=f"risk:{p.pk}").exists()
    # never twice, even when the figures grow
    _warnings(org[f.MARKET], 3, start)
    assert services.risks_scan(today=today, thresholds=t) == {"created": 0}
    assert services.risks_scan(by=users["supervisor"], today=today, thresholds=t) == {"created": 0}
    with pytest.raises(Forbidden):
        services.risks_scan(by=users["agency"], today=today)


def test_the_default_thresholds_are_not_crossed_by_a_few(users, org, today):
    _warnings(org[f.MARKET], 9, rules.risk_period(today, 3)[0])
    assert services.risks_scan(today=today) == {"created": 0}
    _warnings(org[f.MARKET], 1, rules.risk_period(today, 3)[0])
    assert services.risks_scan(today=today) == {"created": 1}


def test_a_proposal_becomes_a_prefilled_reminder_or_is_dismissed(users, org, today):
    start = rules.risk_period(today, 3)[0]
    _warnings(org[f.MARKET], 2, start)
    _warnings(org[f.ECOLOGY], 2, start)
    services.risks_scan(today=today, thresholds=rules.RiskThresholds(3, 2, 99))
    market, ecology = (RiskProposal.objects.get(unit__name=n) for n in (f.MARKET, f.ECOLOGY))
    with pytest.raises(Forbidden):
        services.risk_draft(by=users["agency"], proposal=market)
    reminder = services.risk_draft(by=users["supervisor"], proposal=market)
    assert reminder.kind == rules.REMINDER and reminder.status == rules.DRAFT and reminder.origin == "risk"
    assert reminder.recipient.name == f.MARKET and "预警 2 件" in reminder.facts and "阈值 2" in reminder.facts
    market.refresh_from_db()
    assert market.status == "drafted" and market.reminder_id == reminder.pk
    with pytest.raises(DomainError) as exc:
        services.risk_draft(by=users["supervisor"], proposal=market)
    assert exc.value.field == "status"
    with pytest.raises(DomainError) as exc:
        services.risk_dismiss(by=users["supervisor"], proposal=ecology, reason="")
    assert exc.value.field == "reason"
    services.risk_dismiss(by=users["supervisor"], proposal=ecology, reason="已由专项检查覆盖")
    ecology.refresh_from_db()
    assert ecology.status == "dismissed" and ecology.dismissed_reason == "已由专项检查覆盖"
    services.instrument_issue(by=users["supervisor"], instrument=reminder, today=today)
    assert f.fresh(reminder).number.startswith("司监函")


# ---------------------------------------------------------------- the tracking core does the rest


def test_the_inbox_and_the_lights_come_from_the_tracking_core(users, today):
    from fazhi.tracking.reminders import scan_deadlines
    from fazhi.tracking.selectors import inbox

    late = f.issued(users, today=today - dt.timedelta(days=45))
    assert [i.pk for i in inbox(user=users["agency"], today=today).items] == [late.item_id]
    assert not inbox(user=users["agency2"], today=today).items.exists()
    scan_deadlines(today=today)
    red = f"item:{late.item_id}:red:{late.item.deadline:%Y%m%d}"
    # red: the recipient, and the supervisors of its supervising unit (示例市司法局)
    assert Notification.objects.filter(recipient=users["agency"], dedup_key=red).exists()
    assert Notification.objects.filter(recipient=users["supervisor"], dedup_key=red).exists()
    services.instrument_acknowledge(by=users["agency"], instrument=late)
    services.instrument_reply(by=users["agency"], instrument=f.fresh(late), findings="已核查", measures="已整改")
    assert [i.pk for i in inbox(user=users["supervisor"], today=today).items] == [late.item_id]  # to review


def test_the_number_of_returns_is_configurable(users, today, settings):
    settings.FAZHI_INSTRUMENTS = {"UNHEEDED_RETURNS": 1}
    inst = f.replied(users, today=today)
    services.instrument_return(by=users["supervisor"], instrument=inst, reason="不具体")
    assert Instrument.objects.get(kind=rules.DECISION).proposal_reason == "回复被退回1次仍未纠正"


def test_one_proposal_per_opinion_even_when_asked_twice(users, today):
    opinion = f.issued(users, today=today - dt.timedelta(days=45))
    first = services._propose_decision(opinion, "逾期")
    assert first is not None and services._propose_decision(opinion, "逾期") is None
    assert Instrument.objects.filter(follows=opinion).count() == 1
