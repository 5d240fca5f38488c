"""Every write of suggestions, proposals and disclosure requests: the flows, their clocks and timeline, and every
refusal (a Chinese message naming the field, nothing written). Dates are the 2025/2026 calendars, passed as today."""

import datetime as dt

import pytest
from django.test import override_settings

from fazhi.core.errors import DomainError, Forbidden
from fazhi.documents.models import GeneratedDocument
from fazhi.requests import selectors, services
from fazhi.requests.models import DisclosureRequest, Proposal, ProposalReply
from fazhi.requests.tests import factories as F
from fazhi.tracking.models import Clock, TimelineEvent, TrackedItem

pytestmark = pytest.mark.django_db
D = dt.date


def _counts():
    return (
        TimelineEvent.objects.count(),
        Clock.objects.count(),
        TrackedItem.objects.count(),
        GeneratedDocument.objects.count(),
        Proposal.objects.count(),
        DisclosureRequest.objects.count(),
    )


def refused(call, field: str, text: str = ""):
    """The call is refused with a message on `field` and writes nothing."""
    before = _counts()
    with pytest.raises(DomainError) as exc:
        call()
    fields = [exc.value.field] + [e["field"] for e in exc.value.errors]
    assert field in fields, (exc.value.field, exc.value.message)
    if text:
        assert text in exc.value.message or any(text in e["message"] for e in exc.value.errors)
    assert _counts() == before
    return exc.value


# ================================================================ proposals


def test_register_refuses_every_problem_at_once():
    error = refused(
        lambda: services.proposal_register(
            by=F.user("supervisor"),
            session=F.session(),
            number=" ",
            title="",
            text="",
            proposers="",
            today=D(2025, 7, 1),
        ),
        "number",
    )
    assert {e["field"] for e in error.errors} == {"number", "title", "text", "proposers"}


def test_register_refuses_a_number_already_used_in_the_session():
    p = F.proposal(lead=None)
    refused(
        lambda: services.proposal_register(
            by=F.user("supervisor"),
            session=p.session,
            number=f"第{p.number}号",
            title="t",
            text="x",
            proposers="张三",
            today=D(2025, 7, 1),
        ),
        "number",
        "已有",
    )


def test_only_the_assigning_body_registers_and_assigns():
    with pytest.raises(Forbidden):
        services.proposal_register(
            by=F.user("agency"),
            session=F.session(),
            number="1",
            title="t",
            text="x",
            proposers="张三",
            today=D(2025, 7, 1),
        )
    p = F.proposal(lead=None)
    with pytest.raises(Forbidden):
        services.proposal_assign(by=F.user("agency"), proposal=p, lead_unit=F.unit(F.MARKET), today=D(2025, 7, 1))


def test_assignment_opens_the_reply_clock_and_the_co_units_clocks():
    p = F.proposal(on=D(2025, 7, 1), co=(F.ECOLOGY,))
    assert p.status == "assigned" and p.lead_unit.name == F.MARKET
    # 3 months from 2025-07-01 end on National Day → 2025-10-09 (test_rules has the counting).
    assert p.reply_deadline == D(2025, 10, 9)
    reply_clock = Clock.objects.get(item=p.item, name="reply")
    assert (reply_clock.deadline, reply_clock.rule_cap) == (D(2025, 10, 9), 3)
    co = p.units.get(role="co")
    assert co.view_deadline == D(2025, 8, 1)
    assert Clock.objects.get(item=co.item, name="co_view").deadline == D(2025, 8, 1)
    assert set(p.items.values_list("kind", flat=True)) == {"proposal", "proposal_co"}
    assert p.item.events.filter(action="clock_opened").exists()


def test_assignment_refuses_the_lead_unit_as_co_unit():
    p = F.proposal(lead=None)
    refused(
        lambda: services.proposal_assign(
            by=F.user("supervisor"),
            proposal=p,
            lead_unit=F.unit(F.MARKET),
            co_units=[F.unit(F.MARKET)],
            on=D(2025, 7, 1),
            today=D(2025, 7, 1),
        ),
        "co_units",
    )


def test_a_wrongly_assigned_item_is_returned_within_the_window_and_reassigned():
    p = F.proposal(on=D(2025, 9, 26))
    row = p.units.get(role="lead")
    legal = F.user("agency")
    # 5 working days after 2025-09-26 end on 2025-10-10: a request on 10-11 is refused, nothing written.
    refused(
        lambda: services.proposal_return_request(
            by=legal, row=row, reason="不属于本局职责", on=D(2025, 10, 11), today=D(2025, 10, 11)
        ),
        "on",
        "已超过退回期限",
    )
    refused(
        lambda: services.proposal_return_request(
            by=legal, row=row, reason=" ", on=D(2025, 10, 10), today=D(2025, 10, 10)
        ),
        "reason",
    )
    services.proposal_return_request(
        by=legal, row=row, reason="不属于本局职责，建议交交通运输局", on=D(2025, 10, 10), today=D(2025, 10, 10)
    )
    p.refresh_from_db()
    assert p.status == "return_requested"
    # Accepting a return of the lead unit needs the new unit.
    refused(
        lambda: services.proposal_return_decide(
            by=F.user("supervisor"), row=row, accept=True, on=D(2025, 10, 13), today=D(2025, 10, 13)
        ),
        "new_unit",
    )
    services.proposal_return_decide(
        by=F.user("supervisor"),
        row=row,
        accept=True,
        new_unit=F.unit(F.TRANSPORT),
        on=D(2025, 10, 13),
        today=D(2025, 10, 13),
    )
    p.refresh_from_db()
    assert (p.status, p.lead_unit.name, p.assigned_on) == ("assigned", F.TRANSPORT, D(2025, 10, 13))
    row.refresh_from_db()
    assert (row.active, row.status, row.item.status) == (False, "returned", "closed")
    # A fresh period of 3 months from the new 交办: 2026-01-13.
    assert p.reply_deadline == D(2026, 1, 13)
    assert p.items.count() == 2


def test_a_refused_return_needs_a_reason_and_the_unit_goes_on():
    p = F.proposal(on=D(2025, 9, 26))
    row = p.units.get(role="lead")
    services.proposal_return_request(
        by=F.user("agency"), row=row, reason="不属于本局职责", on=D(2025, 9, 29), today=D(2025, 9, 29)
    )
    refused(
        lambda: services.proposal_return_decide(
            by=F.user("supervisor"), row=row, accept=False, on=D(2025, 9, 30), today=D(2025, 9, 30)
        ),
        "comment",
    )
    services.proposal_return_decide(
        by=F.user("supervisor"),
        row=row,
        accept=False,
        comment="属于贵局职责，请继续办理",
        on=D(2025, 9, 30),
        today=D(2025, 9, 30),
    )
    p.refresh_from_db()
    assert p.status == "assigned" and p.reply_deadline == D(2025, 12, 26)


def test_extension_to_six_months_with_consent_and_its_cap():
    p = F.proposal(on=D(2025, 7, 1))
    legal = F.user("agency")
    refused(
        lambda: services.proposal_extension_request(
            by=legal, proposal=p, months=4, reason="涉及面广", on=D(2025, 9, 1), today=D(2025, 9, 1)
        ),
        "months",
        "六个月",
    )
    refused(
        lambda: services.proposal_extension_request(
            by=legal, proposal=p, months=3, reason="涉及面广", on=D(2025, 10, 10), today=D(2025, 10, 10)
        ),
        "on",
        "届满",
    )
    services.proposal_extension_request(
        by=legal, proposal=p, months=3, reason="涉及面广、处理难度大", on=D(2025, 9, 1), today=D(2025, 9, 1)
    )
    with pytest.raises(Forbidden):  # the unit cannot consent to its own extension
        services.proposal_extension_decide(by=legal, proposal=p, approve=True, on=D(2025, 9, 2), today=D(2025, 9, 2))
    services.proposal_extension_decide(
        by=F.user("supervisor"), proposal=p, approve=True, comment="同意", on=D(2025, 9, 2), today=D(2025, 9, 2)
    )
    p.refresh_from_db()
    assert (p.extension_months, p.reply_deadline) == (3, D(2026, 1, 4))
    assert "同意延期3个月" in p.extension_consent
    clock = Clock.objects.get(item=p.item, name="reply")
    assert clock.extended == 3 and clock.events.filter(kind="extend").exists()
    # The cap is reached: a further request is refused, naming the cap.
    refused(
        lambda: services.proposal_extension_request(
            by=legal, proposal=p, months=1, reason="再延", on=D(2025, 9, 3), today=D(2025, 9, 3)
        ),
        "months",
        "最多还可延长0个月",
    )


def test_the_co_units_view_comes_first():
    p = F.proposal(on=D(2025, 7, 1), co=(F.ECOLOGY,))
    legal = F.user("agency")
    reply = services.proposal_reply_save(by=legal, proposal=p, text="答复", classification="A")
    reply = services.proposal_reply_approve(
        by=legal, reply=reply, signer="局长 王某", on=D(2025, 7, 20), today=D(2025, 7, 20)
    )
    refused(
        lambda: services.proposal_reply_issue(by=legal, reply=reply, on=D(2025, 7, 21), today=D(2025, 7, 21)),
        "co_units",
        "协办单位尚未提出协办意见",
    )
    row = p.units.get(role="co")
    with pytest.raises(Forbidden):  # only the co-unit gives its view
        services.proposal_co_view_submit(by=legal, row=row, text="意见", on=D(2025, 7, 21), today=D(2025, 7, 21))
    services.proposal_co_view_submit(
        by=F.user("agency2"), row=row, text="同意主办单位意见。", on=D(2025, 7, 21), today=D(2025, 7, 21)
    )
    row.refresh_from_db()
    assert row.status == "viewed" and row.item.status == "closed" and row.item.closed_on_time
    reply = services.proposal_reply_issue(by=legal, reply=reply, on=D(2025, 7, 22), today=D(2025, 7, 22))
    assert reply.status == "issued"


def test_a_co_unit_that_lets_its_month_pass_does_not_hold_the_reply_up():
    p = F.proposal(on=D(2025, 7, 1), co=(F.ECOLOGY,))
    F.replied(p, on=D(2025, 8, 4))  # the co-unit's month ended 2025-08-01
    row = p.units.get(role="co")
    assert row.item.status == "closed" and row.item.closed_on_time is False


def test_reply_classification_and_signature_are_required():
    p = F.proposal()
    legal = F.user("agency")
    refused(
        lambda: services.proposal_reply_save(by=legal, proposal=p, text="答复", classification=""), "classification"
    )
    refused(lambda: services.proposal_reply_save(by=legal, proposal=p, text="答复", classification="C"), "c_reason")
    reply = services.proposal_reply_save(by=legal, proposal=p, text="答复", classification="C", c_reason="资金不足")
    refused(
        lambda: services.proposal_reply_approve(
            by=legal, reply=reply, signer="", on=D(2025, 7, 5), today=D(2025, 7, 5)
        ),
        "signer",
    )
    with pytest.raises(Forbidden):  # another unit cannot touch it
        services.proposal_reply_save(by=F.user("agency2"), proposal=p, text="x", classification="A")


def test_issue_numbers_the_reply_closes_the_item_and_publishes_it():
    p = F.proposal(on=D(2025, 7, 1))
    reply = F.replied(p, on=D(2025, 9, 15))
    p.refresh_from_db()
    assert reply.number == "市场监管局建复〔2025〕1号"
    assert (p.status, p.on_time, p.first_replied_on, p.classification) == ("replied", True, D(2025, 9, 15), "A")
    assert p.item.status == "closed" and p.item.closed_on_time
    assert reply.published and reply.document.number == reply.number
    assert p.item.events.filter(action="document").exists()
    # A second reply of the same unit takes the next number.
    q = F.proposal(on=D(2025, 7, 1))
    assert F.replied(q, on=D(2025, 10, 20)).number == "市场监管局建复〔2025〕2号"
    q.refresh_from_db()
    assert q.on_time is False  # after 2025-10-09
    refused(  # issued: nothing more to edit
        lambda: services.proposal_reply_save(by=F.user("agency"), proposal=p, text="x", classification="A"),
        "status",
        "已答复",
    )


def test_secret_replies_are_not_published():
    p = F.proposal()
    F.replied(p, on=D(2025, 8, 1))
    refused(
        lambda: services.proposal_secret_set(by=F.user("supervisor"), proposal=p, secret=True, reason=""),
        "secret_reason",
    )
    services.proposal_secret_set(by=F.user("supervisor"), proposal=p, secret=True, reason="涉及个人隐私")
    assert not ProposalReply.objects.get(proposal=p).published
    assert not selectors.public_reply_list().filter(proposal=p).exists()


def _token(p):
    reply = selectors.proposal_current_reply(Proposal.objects.get(pk=p.pk))
    return selectors.rating_token(reply=reply, proposer=selectors.lead_proposer(p))


def test_the_proposer_rates_through_his_signed_link():
    p = F.proposal(on=D(2025, 7, 1))
    F.replied(p, on=D(2025, 8, 1))
    reply = services.proposal_rate_by_link(
        proposal=p, token=_token(p), attitude="satisfied", result="basic", today=D(2025, 8, 5)
    )
    p.refresh_from_db()
    assert (p.status, p.attitude, p.result, p.rated_on) == ("done", "satisfied", "basic", D(2025, 8, 5))
    assert reply.rating_channel == "link" and reply.rated_by.is_lead
    refused(
        lambda: services.proposal_rate_by_link(
            proposal=p, token=_token(p), attitude="satisfied", result="satisfied", today=D(2025, 8, 6)
        ),
        "token",
        "已评价",
    )


def test_a_rating_through_another_proposals_link_or_an_expired_link_is_refused():
    p = F.proposal(on=D(2025, 7, 1))
    q = F.proposal(on=D(2025, 7, 1))
    F.replied(p, on=D(2025, 8, 1))
    F.replied(q, on=D(2025, 8, 1))
    refused(
        lambda: services.proposal_rate_by_link(
            proposal=p, token=_token(q), attitude="satisfied", result="satisfied", today=D(2025, 8, 5)
        ),
        "token",
        "另一件",
    )
    # 15 working days after 2025-08-01 end on 2025-08-22; the link is refused the day after.
    refused(
        lambda: services.proposal_rate_by_link(
            proposal=p, token=_token(p), attitude="satisfied", result="satisfied", today=D(2025, 8, 23)
        ),
        "token",
        "过期",
    )
    refused(
        lambda: services.proposal_rate_by_link(
            proposal=p, token=_token(p)[:-2] + "xx", attitude="satisfied", result="satisfied", today=D(2025, 8, 5)
        ),
        "token",
        "无效",
    )
    # A co-signer's link is not the lead proposer's.
    reply = selectors.proposal_current_reply(Proposal.objects.get(pk=p.pk))
    other = p.proposers.get(is_lead=False)
    token = selectors.rating_token(reply=reply, proposer=other)
    refused(
        lambda: services.proposal_rate_by_link(
            proposal=p, token=token, attitude="satisfied", result="satisfied", today=D(2025, 8, 5)
        ),
        "token",
        "领衔",
    )
    assert not ProposalReply.objects.filter(rated_on__isnull=False).exists()


def test_a_paper_rating_must_be_the_proposers():
    p = F.proposal(on=D(2025, 7, 1))
    q = F.proposal(on=D(2025, 7, 1))
    F.replied(p, on=D(2025, 8, 1))
    stranger = q.proposers.get(is_lead=True)
    refused(
        lambda: services.proposal_rating_record(
            by=F.user("supervisor"),
            proposal=p,
            proposer=stranger,
            attitude="satisfied",
            result="satisfied",
            on=D(2025, 8, 3),
            today=D(2025, 8, 3),
        ),
        "proposer",
        "不是本件的提出人",
    )
    refused(
        lambda: services.proposal_rating_record(
            by=F.user("supervisor"),
            proposal=p,
            proposer=p.proposers.get(is_lead=False),
            attitude="satisfied",
            result="satisfied",
            on=D(2025, 8, 3),
            today=D(2025, 8, 3),
        ),
        "proposer",
        "领衔",
    )


def test_dissatisfied_asks_for_a_new_reply_within_a_month_then_the_item_ends():
    p = F.proposal(on=D(2025, 12, 1))
    F.replied(p, on=D(2026, 1, 9))
    refused(
        lambda: services.proposal_rate_by_link(
            proposal=p, token=_token(p), attitude="satisfied", result="dissatisfied", today=D(2026, 1, 15)
        ),
        "comment",
    )
    services.proposal_rate_by_link(
        proposal=p,
        token=_token(p),
        attitude="satisfied",
        result="dissatisfied",
        comment="没有实质解决",
        today=D(2026, 1, 15),
    )
    p.refresh_from_db()
    assert p.status == "rereplying" and p.first_dissatisfied
    # A month from 2026-01-15 ends in the Spring Festival: 2026-02-24.
    assert p.reply_deadline == D(2026, 2, 24)
    assert Clock.objects.get(item=p.item, name="rereply").deadline == D(2026, 2, 24)
    second = F.replied(p, on=D(2026, 2, 10))
    assert second.round == 2 and second.number == "市场监管局建复〔2026〕2号"  # the first was 2026's 1号
    p.refresh_from_db()
    assert p.status == "replied" and p.on_time  # the first reply's timeliness stays
    services.proposal_rate_by_link(
        proposal=p, token=_token(p), attitude="basic", result="dissatisfied", comment="仍不满意", today=D(2026, 2, 12)
    )
    p.refresh_from_db()
    assert p.status == "done"  # no third round: a second dissatisfaction is recorded, not reopened


# ================================================================ disclosure requests


def test_registration_checks_the_receipt_day_of_article_31():
    def register(**kw):
        data = dict(
            by=F.user("agency"),
            agency=F.unit(F.MARKET),
            applicant_kind="person",
            applicant_name="张三",
            content="2025年度食品安全抽检计划",
            channel="window",
            received_on=D(2025, 10, 9),
            submitted_on=D(2025, 10, 9),
            today=D(2025, 10, 9),
        )
        return services.disclosure_register(**{**data, **kw})

    refused(lambda: register(submitted_on=D(2025, 10, 8)), "received_on", "提交之日")
    refused(lambda: register(received_on=D(2025, 10, 10), submitted_on=D(2025, 10, 10)), "received_on", "晚于今天")
    refused(lambda: register(channel="pigeon"), "channel")
    refused(lambda: register(agency=F.unit(F.ECOLOGY)), "agency", "只能登记本单位")
    error = refused(lambda: register(applicant_kind="alien", applicant_name="", content="x"), "applicant_kind")
    assert {e["field"] for e in error.errors} >= {"applicant_kind", "name", "content"}
    r, password = register(channel="post", submitted_on=D(2025, 9, 30))
    assert r.status == "processing" and len(password) == 10
    # Signed for on Thursday 2025-10-09: 10/10 1, 10/11 (Saturday, adjusted) 2, … 11/5 20.
    assert Clock.objects.get(item=r.item, name="answer").deadline == D(2025, 11, 5)


def test_answer_period_and_timeline():
    r = F.request(received_on=D(2025, 9, 26))
    clock = selectors.disclosure_answer_clock(request=r)
    assert (clock.deadline, clock.paused, clock.is_open) == (D(2025, 10, 30), False, True)
    assert r.item.deadline == D(2025, 10, 30)
    assert "第三十三条第二款" in r.item.deadline_source


def test_correction_once_within_seven_working_days_and_the_period_restarts():
    r = F.request(received_on=D(2026, 1, 5))
    refused(lambda: F.event(r, "correction_requested", D(2026, 1, 15), reason="写明文件名称"), "on", "7个工作日")
    refused(lambda: F.event(r, "correction_requested", D(2026, 1, 8)), "reason")
    F.event(r, "correction_requested", D(2026, 1, 8), reason="请写明所需文件的名称或文号", days=30)
    r.refresh_from_db()
    answer = selectors.disclosure_answer_clock(request=r)
    assert r.status == "correction" and answer.paused
    assert r.item.paused is False  # the applicant's correction clock runs
    assert GeneratedDocument.objects.filter(
        object_kind="disclosure_request", object_id=r.pk, number__contains="信补"
    ).exists()
    refused(lambda: F.event(r, "answered", D(2026, 1, 9), answer="disclosed"), "kind", "尚未补正")
    refused(lambda: F.event(r, "abandoned", D(2026, 1, 9)), "on", "届满前")
    F.event(r, "correction_received", D(2026, 2, 12), reason="已补正")
    r.refresh_from_db()
    answer = selectors.disclosure_answer_clock(request=r)
    # 20 working days from 2026-02-12 across the Spring Festival: 2026-03-18 (test_rules has the counting).
    assert (r.status, answer.deadline, answer.paused, answer.start) == (
        "processing",
        D(2026, 3, 18),
        False,
        D(2026, 2, 12),
    )
    refused(lambda: F.event(r, "correction_requested", D(2026, 2, 13), reason="再补正"), "kind", "一次性")


def test_consultation_is_not_counted():
    r = F.request(received_on=D(2025, 4, 1))
    refused(lambda: F.event(r, "consultation_started", D(2025, 4, 10), party="nobody"), "party")
    F.event(r, "consultation_started", D(2025, 4, 10), party_name="某超市有限公司", reason="涉及商业秘密")
    r.refresh_from_db()
    assert r.status == "consulting" and selectors.disclosure_answer_clock(request=r).paused
    assert Clock.objects.get(item=r.item, name="consultation").deadline == D(2025, 4, 30)
    refused(lambda: F.event(r, "answered", D(2025, 4, 11), answer="disclosed"), "kind", "征求意见尚未结束")
    refused(lambda: F.event(r, "extended", D(2025, 4, 11), days=5, reason="x"), "kind")
    F.event(r, "consultation_ended", D(2025, 4, 30), reason="第三方同意公开")
    r.refresh_from_db()
    assert selectors.disclosure_answer_clock(request=r).deadline == D(2025, 5, 23)
    assert r.item.deadline == D(2025, 5, 23)


def test_a_consultation_counts_no_more_than_the_other_sides_fifteen_working_days():
    # An opinion that comes late: the answer period runs again from the consultation's last day (2025-04-30).
    late = F.request(received_on=D(2025, 4, 1))
    F.event(late, "consultation_started", D(2025, 4, 10), party_name="某超市有限公司")
    F.event(late, "consultation_ended", D(2025, 5, 9), reason="第三方逾期提出意见")
    assert selectors.disclosure_answer_clock(request=late).deadline == D(2025, 5, 23)
    # No opinion at all: the job ends the consultation on its last day, with what the silence means.
    silent = F.request(received_on=D(2025, 4, 1))
    F.event(silent, "consultation_started", D(2025, 4, 10), party="agency", party_name="示例市住建局")
    assert services.disclosure_consultation_lapse(today=D(2025, 4, 30)) == 0
    assert services.disclosure_consultation_lapse(today=D(2025, 5, 6)) == 1
    silent.refresh_from_db()
    consultation = silent.consultations.get()
    assert (silent.status, consultation.ended_on) == ("processing", D(2025, 4, 30))
    assert "视为同意公开" in consultation.opinion
    assert selectors.disclosure_answer_clock(request=silent).deadline == D(2025, 5, 23)
    assert services.disclosure_consultation_lapse(today=D(2025, 5, 7)) == 0


def test_extension_up_to_twenty_working_days_with_the_heads_consent():
    r = F.request(received_on=D(2025, 12, 15), today=D(2025, 12, 15))
    refused(lambda: F.event(r, "extended", D(2026, 1, 5), days=21, reason="信息量大"), "days", "延长不得超过20个工作日")
    refused(lambda: F.event(r, "extended", D(2026, 1, 5), days=5), "reason")
    refused(lambda: F.event(r, "extended", D(2026, 1, 5), days=0, reason="x"), "days")
    refused(lambda: F.event(r, "extended", D(2026, 1, 14), days=5, reason="x"), "on", "届满")
    F.event(r, "extended", D(2026, 1, 5), days=10, reason="信息量大")
    refused(lambda: F.event(r, "extended", D(2026, 1, 6), days=11, reason="仍需检索"), "days", "最多还可延长10个工作日")
    F.event(r, "extended", D(2026, 1, 6), days=10, reason="仍需检索")
    r.refresh_from_db()
    assert r.extended_days == 20 and selectors.disclosure_answer_clock(request=r).deadline == D(2026, 2, 10)
    # The applicant is told: one numbered notice per extension.
    assert (
        GeneratedDocument.objects.filter(
            object_id=r.pk, object_kind="disclosure_request", number__contains="信延"
        ).count()
        == 2
    )


def test_an_extension_needs_the_approve_permission():
    from fazhi.core.models import Role

    r = F.request(received_on=D(2025, 12, 15))
    handler = F.user("agency")
    role = Role.objects.create(
        code="dr_handler",
        name="只办理",
        data_scope="subtree",
        permissions=["disclosure_request.view", "disclosure_request.handle"],
    )
    handler.roles.set([role])
    handler = F.user("agency")
    with pytest.raises(Forbidden):
        services.disclosure_event(
            by=handler, request=r, kind="extended", on=D(2026, 1, 5), days=5, reason="x", today=D(2026, 1, 5)
        )


def test_answers_need_their_grounds_and_are_numbered_documents():
    r = F.request(received_on=D(2025, 9, 26))
    refused(lambda: F.event(r, "answered", D(2025, 10, 20), answer="withheld", reason="涉及"), "ground")
    refused(lambda: F.event(r, "answered", D(2025, 10, 20), answer="not_held", reason="不属于"), "competent_body")
    refused(lambda: F.event(r, "answered", D(2025, 10, 20), answer="maybe"), "answer")
    refused(lambda: F.event(r, "delivered", D(2025, 10, 20)), "kind")
    F.event(r, "answered", D(2025, 10, 20), answer="不予公开", ground="属于国家秘密", reason="经审查属于国家秘密")
    r.refresh_from_db()
    assert (r.status, r.answer_kind, r.answer_ground, r.on_time) == ("answered", "withheld", "state_secret", True)
    assert r.answer_number == "市场监管局信公〔2025〕1号" and r.concluded_on == D(2025, 10, 20)
    assert r.item.status == "closed" and not Clock.objects.filter(item=r.item, is_open=True).exists()
    refused(lambda: F.event(r, "delivered", D(2025, 10, 17)), "on")
    F.event(r, "delivered", D(2025, 10, 21), method="邮寄")
    r.refresh_from_db()
    assert (r.status, r.delivered_on) == ("delivered", D(2025, 10, 21))
    assert r.item.events.filter(action="delivered").exists()


def test_a_late_answer_is_recorded_as_late():
    r = F.request(received_on=D(2025, 9, 26))
    F.event(r, "answered", D(2025, 10, 31), answer="disclosed")
    r.refresh_from_db()
    assert r.on_time is False and r.item.closed_on_time is False


def test_only_the_addressed_unit_handles_a_request():
    r = F.request()
    with pytest.raises(Forbidden):
        F.event(r, "answered", D(2025, 10, 9), by="agency2", answer="disclosed")
    with pytest.raises(Forbidden):
        F.event(r, "answered", D(2025, 10, 9), by="supervisor", answer="disclosed")
    with pytest.raises(Forbidden):
        F.event(r, "answered", D(2025, 10, 9), by="leader", answer="disclosed")


def test_lapsed_corrections_are_deemed_abandoned_by_the_job():
    r = F.request(received_on=D(2025, 9, 26))
    F.event(r, "correction_requested", D(2025, 9, 29), reason="请写明文件名称", days=5)
    # 5 working days after Monday 2025-09-29: 9/30, 10/9, 10/10, 10/11 (Saturday, adjusted), 10/13.
    deadline = Clock.objects.get(item=r.item, name="correction").deadline
    assert deadline == D(2025, 10, 13)
    assert services.disclosure_lapse(today=D(2025, 10, 13)) == 0
    assert services.disclosure_lapse(today=D(2025, 10, 15)) == 1
    r.refresh_from_db()
    assert (r.status, r.concluded_on) == ("abandoned", D(2025, 10, 14))


def test_a_late_correction_needs_a_good_reason():
    r = F.request(received_on=D(2025, 9, 26))
    F.event(r, "correction_requested", D(2025, 9, 29), reason="请写明文件名称", days=5)
    refused(lambda: F.event(r, "correction_received", D(2025, 10, 14)), "reason", "正当理由")
    F.event(r, "correction_received", D(2025, 10, 14), reason="申请人住院，逾期有正当理由")
    r.refresh_from_db()
    assert r.status == "processing"


def test_withdrawal_concludes_the_request():
    r = F.request(received_on=D(2025, 9, 26))
    F.event(r, "withdrawn", D(2025, 9, 29), reason="申请人撤回")
    r.refresh_from_db()
    assert (r.status, r.concluded_on, r.item.status) == ("withdrawn", D(2025, 9, 29), "closed")
    refused(lambda: F.event(r, "answered", D(2025, 9, 30), answer="disclosed"), "kind")


def test_future_and_backward_events_are_refused():
    r = F.request(received_on=D(2025, 9, 26))
    refused(lambda: F.event(r, "answered", D(2025, 10, 9), today=D(2025, 10, 8), answer="disclosed"), "on", "晚于今天")
    refused(lambda: F.event(r, "answered", D(2025, 9, 25), answer="disclosed"), "on", "不能早于")


# ---------------------------------------------------------------- the portal


def _public(**kw):
    data = dict(
        agency=F.unit(F.MARKET),
        applicant_kind="person",
        name="张三",
        id_number="430102199003071234",
        phone="13907310001",
        content="2025年度食品安全抽检计划",
        consent=True,
        ip="10.0.0.1",
        today=D(2025, 10, 9),
    )
    return services.disclosure_submit_public(**{**data, **kw})


def test_portal_requests_wait_for_confirmation_and_are_idempotent():
    error = refused(lambda: _public(id_number="", phone="", consent=False), "id_number")
    assert {e["field"] for e in error.errors} == {"id_number", "phone", "consent"}
    refused(lambda: _public(id_number="430102199003071235"), "id_number", "GB 11643")
    r, password = _public(submit_token="portal:abc")
    again, password2 = _public(submit_token="portal:abc")
    assert again.pk == r.pk and password2 == password
    assert (r.status, r.received_on, r.item_id) == ("awaiting_confirmation", None, None)
    rows, total = selectors.confirmation_queue(F.user("agency"), D(2025, 10, 9))
    assert total == 1 and rows[0].deadline == D(2025, 10, 10)
    assert selectors.confirmation_queue(F.user("agency2"), D(2025, 10, 9)) == ([], 0)
    F.event(r, "confirmed", D(2025, 10, 10))
    r.refresh_from_db()
    assert r.received_on == D(2025, 10, 10) and r.status == "processing"
    # 10/11 (Saturday, adjusted) 1, 10/13–17 2–6, 10/20–24 7–11, 10/27–31 12–16, 11/3–6 17–20.
    assert selectors.disclosure_answer_clock(request=r).deadline == D(2025, 11, 6)
    found = services.disclosure_public_query(code=r.tracking_code.lower(), password=password, ip="10.0.0.2")
    assert found.pk == r.pk


def test_status_queries_are_limited_per_address():
    r, password = _public()
    from fazhi.core.errors import NotFound

    for _ in range(10):
        with pytest.raises(NotFound):
            services.disclosure_public_query(code=r.tracking_code, password="WRONG", ip="10.0.0.9")
    with pytest.raises(DomainError) as exc:
        services.disclosure_public_query(code=r.tracking_code, password=password, ip="10.0.0.9")
    assert exc.value.field == "rate"


@override_settings(FAZHI_REQUESTS={"PORTAL_IP_HOUR": 2})
def test_public_submissions_are_rate_limited_per_address():
    services.public_rate_check(ip="10.1.1.1", now=1000.0)
    services.public_rate_check(ip="10.1.1.1", now=1001.0)
    with pytest.raises(DomainError) as exc:
        services.public_rate_check(ip="10.1.1.1", now=1002.0)
    assert exc.value.field == "rate" and "1 小时内最多提交 2 次" in exc.value.message
    services.public_rate_check(ip="10.1.1.2", now=1002.0)
