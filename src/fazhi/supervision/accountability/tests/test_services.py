"""Services of 专项监督与责任追究: every state change on the timeline, documents with numbers taken at issue, bad
input refused with a Chinese message naming the field and nothing written, the wrong_case_found contract."""

import datetime as dt

import pytest
from django.db import transaction

from fazhi.core.errors import DomainError, Forbidden
from fazhi.documents.models import DocumentNumber, GeneratedDocument
from fazhi.supervision.accountability import rules, services
from fazhi.supervision.accountability.models import (
    AccountabilityOfficer,
    AccountabilityProposal,
    AccountabilityRecord,
    AccountabilitySanction,
    Investigation,
    InvestigationStep,
    TypicalCase,
)
from fazhi.supervision.accountability.tests import factories as f
from fazhi.supervision.signals import wrong_case_found
from fazhi.tracking.models import TimelineEvent, TrackedItem
from fazhi.tracking.timeline import verify_chains
from fazhi.workdays.calendar import deadline_calendar_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(org, users):
    return f.world(org, users)


def _calendar(days: int) -> dt.date:
    """The deadline of a natural-day period from today (a last day on a holiday moves to the next working day)."""
    return deadline_calendar_days(f.today(), days).deadline


def _verified(item) -> bool:
    _, _, problems = verify_chains(TrackedItem.objects.filter(pk=item.pk))
    return problems == []


def _actions(item) -> list[str]:
    return list(TimelineEvent.objects.filter(item=item).order_by("seq").values_list("action", flat=True))


def _refused(call, field: str) -> DomainError:
    with pytest.raises(DomainError) as exc:
        call()
    fields = [e["field"] for e in exc.value.errors] or [exc.value.field]
    assert field in fields, (field, fields, exc.value.message)
    return exc.value


# ---------------------------------------------------------------- investigations


def test_open_on_a_case_tracks_the_local_deadline(w, users):
    inv = f.open_investigation(users, w["case"])
    assert inv.status == "open" and inv.unit == w["market"] and inv.case_id == w["case"].pk
    assert inv.basis_label.startswith(w["case"].number)
    assert set(inv.investigators.values_list("username", flat=True)) == {"supervisor", "monitor"}
    assert inv.item.deadline == _calendar(rules.investigation_days())
    assert inv.item.deadline_source == rules.investigation_source()
    assert inv.item.kind == "investigation" and inv.item.unit.name == "示例市司法局"
    assert inv.item.url == f"/supervision/accountability/investigations/{inv.pk}/"
    assert _actions(inv.item) == ["created"]


def test_open_refuses_bad_input_and_writes_nothing(w, users, org):
    items_before = TimelineEvent.objects.count()
    exc = _refused(
        lambda: f.open_investigation(users, w["case"], title="", reason="短", team=[users["supervisor"].pk]),
        "title",
    )
    fields = {e["field"] for e in exc.errors}
    assert fields == {"title", "reason", "investigators"}
    assert all("调查" in e["message"] or "请填写" in e["message"] for e in exc.errors)
    _refused(lambda: f.open_investigation(users, w["case"], basis_kind="nothing"), "basis_kind")
    _refused(lambda: f.open_investigation(users, w["case"], basis_id=999999), "basis_id")
    # The agency's legal officer is not a supervisor: he cannot be on the team.
    exc = _refused(
        lambda: f.open_investigation(users, w["case"], team=[users["supervisor"].pk, users["agency"].pk]),
        "investigators",
    )
    assert "张法制" in exc.message
    # A case's unit is the one investigated.
    _refused(lambda: f.open_investigation(users, w["case"], unit=org[f.ECOLOGY]), "unit")
    assert Investigation.objects.count() == 0 and TimelineEvent.objects.count() == items_before


def test_open_on_an_unassigned_complaint_needs_the_unit(w, users, org):
    from fazhi.complaints.tests import factories as cf

    complaint, _ = cf.submit()
    _refused(lambda: f.open_investigation(users, w["case"], basis_kind="complaint", basis_id=complaint.pk), "unit")
    inv = f.open_investigation(users, w["case"], basis_kind="complaint", basis_id=complaint.pk, unit=org[f.MARKET])
    assert inv.unit == org[f.MARKET] and inv.case_id is None and inv.basis_label.startswith("投诉")


def test_only_supervisors_open(w, users):
    with pytest.raises(Forbidden):
        f.open_investigation(users, w["case"], by=users["agency"])


def test_steps_with_materials_on_the_timeline(w, users):
    inv = f.open_investigation(users, w["case"])
    f.with_step(users, inv, files=[f.pdf()])
    f.with_step(users, inv, by=users["monitor"], kind="interview", text="询问当事人，其称未被告知陈述申辩权利。")
    events = TimelineEvent.objects.filter(item=inv.item).order_by("seq")
    assert [e.action_label for e in events] == ["立项", "调阅案卷", "询问"]
    assert events[1].attachments.get().name == "笔录.pdf"
    assert _verified(inv.item)
    # Not a member: the other supervisor may record (supervisor's right), the agency may not.
    with pytest.raises(Forbidden):
        f.with_step(users, inv, by=users["agency"])
    _refused(lambda: f.with_step(users, inv, kind="bogus", done_on=f.today() + dt.timedelta(days=1), text=""), "kind")
    exc = _refused(lambda: f.with_step(users, inv, done_on=f.today() + dt.timedelta(days=1)), "done_on")
    assert exc.message == "日期不能晚于今天"
    _refused(lambda: f.with_step(users, inv, done_on=f.ago(5)), "done_on")  # before the opening
    assert InvestigationStep.objects.filter(investigation=inv).count() == 2


def test_an_invited_supervisor_not_on_the_team_cannot_record(w, users, org):
    other = f.second_supervisor(org)
    inv = f.open_investigation(users, w["case"], team=[users["supervisor"].pk, other.pk])
    with pytest.raises(Forbidden):
        f.with_step(users, inv, by=users["monitor"])


def test_agency_statement(w, users):
    inv = f.open_investigation(users, w["case"])
    services.investigation_statement(by=users["agency"], investigation=inv, text="本局对适用裁量基准的情况说明如下。")
    assert inv.steps.get().kind == "statement"
    assert _actions(inv.item)[-1] == "statement"
    with pytest.raises(Forbidden):  # 生态环境局 gives no 说明 about 市场监管局
        services.investigation_statement(by=users["agency2"], investigation=inv, text="与本局无关的说明内容。")
    # A statement is not an investigation step: the investigation still cannot be concluded.
    _refused(
        lambda: services.investigation_conclude(
            by=users["supervisor"],
            investigation=inv,
            conclusion="substantiated",
            findings=f.FINDINGS,
            measures="责令限期改正",
        ),
        "conclusion",
    )


def test_notice_takes_its_number_at_issue(w, users):
    inv = f.open_investigation(users, w["case"])
    assert not DocumentNumber.objects.exists()
    document = services.investigation_notice_issue(by=users["supervisor"], investigation=inv)
    inv.refresh_from_db()
    year = f.today().year
    assert inv.notice_number == f"司监调〔{year}〕1号" == document.number
    assert document.object_kind == "investigation" and document.object_id == inv.pk
    assert document.attachment.name == "专项监督调查通知书.docx"
    assert _actions(inv.item)[-1] == "document"
    _refused(lambda: services.investigation_notice_issue(by=users["supervisor"], investigation=inv), "status")
    second = services.investigation_notice_issue(
        by=users["supervisor"], investigation=f.open_investigation(users, w["eco_case"])
    )
    assert second.number == f"司监调〔{year}〕2号"


def test_a_refused_issue_gives_its_number_back(w, users):
    inv = f.open_investigation(users, w["case"])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.investigation_notice_issue(by=users["supervisor"], investigation=inv)
        raise RuntimeError("rolled back after the number was taken")
    document = services.investigation_notice_issue(by=users["supervisor"], investigation=inv)
    assert document.number.endswith("〕1号")


def test_extend_once_within_the_local_maximum(w, users):
    inv = f.open_investigation(users, w["case"])
    before = inv.item.deadline
    _refused(
        lambda: services.investigation_extend(by=users["supervisor"], investigation=inv, days=31, reason="案情复杂"),
        "days",
    )
    _refused(
        lambda: services.investigation_extend(by=users["supervisor"], investigation=inv, days=10, reason=""), "reason"
    )
    services.investigation_extend(by=users["supervisor"], investigation=inv, days=30, reason="需调取银行流水")
    inv.refresh_from_db()
    assert inv.item.deadline == before + dt.timedelta(days=30) and inv.extended_days == 30
    assert _actions(inv.item)[-1] == "deadline_changed"
    _refused(
        lambda: services.investigation_extend(by=users["supervisor"], investigation=inv, days=5, reason="再延长"),
        "days",
    )


def test_conclude_closes_the_item_writes_the_report_and_proposes(w, users):
    inv = f.concluded(users, w["case"])
    assert inv.status == "concluded" and inv.conclusion == "substantiated" and inv.concluded_on == f.today()
    assert inv.item.status == "closed" and inv.item.closed_on_time
    titles = list(
        GeneratedDocument.objects.filter(object_kind="investigation", object_id=inv.pk).values_list("title", flat=True)
    )
    assert titles == ["专项监督调查报告"]
    assert _actions(inv.item)[-2:] == ["document", "closed"]
    proposal = AccountabilityProposal.objects.get(source_kind="investigation", source_id=inv.pk)
    assert proposal.unit == w["market"] and proposal.case_id == w["case"].pk and proposal.reason == f.FINDINGS
    assert proposal.source_url == f"/supervision/accountability/investigations/{inv.pk}/"
    _refused(lambda: f.with_step(users, inv), "status")


def test_conclusion_input(w, users):
    inv = f.with_step(users, f.open_investigation(users, w["case"]))
    call = lambda **kw: services.investigation_conclude(by=users["supervisor"], investigation=inv, **kw)  # noqa: E731
    exc = _refused(lambda: call(conclusion="", findings="", measures=""), "conclusion")
    assert {e["field"] for e in exc.errors} == {"conclusion", "findings"}
    _refused(lambda: call(conclusion="substantiated", findings=f.FINDINGS, measures=""), "measures")
    _refused(lambda: call(conclusion="unsubstantiated", findings=f.FINDINGS, propose=True), "propose")
    inv.refresh_from_db()
    assert inv.status == "open" and not AccountabilityProposal.objects.exists()
    call(conclusion="不属实", findings=f.FINDINGS)  # the label is accepted too
    inv.refresh_from_db()
    assert inv.conclusion == "unsubstantiated" and not AccountabilityProposal.objects.exists()


def test_referral_followed_up_until_the_result(w, users):
    inv = f.concluded(users, w["case"])
    _refused(
        lambda: services.investigation_refer(by=users["supervisor"], investigation=inv, organ="", reason="短"), "organ"
    )
    referral = services.investigation_refer(
        by=users["supervisor"],
        investigation=inv,
        organ="示例市纪委监委",
        reason="执法人员涉嫌利用职务便利收取当事人财物。",
    )
    assert referral.letter_number == f"司监移〔{f.today().year}〕1号" and referral.status == "pending"
    services.referral_follow_up(by=users["supervisor"], referral=referral, text="已受理，正在初核。")
    services.referral_follow_up(by=users["supervisor"], referral=referral, text="已办结。", result="给予政务警告处分。")
    referral.refresh_from_db()
    assert (
        referral.status == "resulted" and referral.result == "给予政务警告处分。" and referral.follow_ups.count() == 2
    )
    # The investigation's item is closed: the referral steps are annotations of its chain.
    assert _actions(inv.item)[-4:] == ["document", "referral", "referral_follow_up", "referral_result"]
    assert _verified(inv.item)
    _refused(lambda: services.referral_follow_up(by=users["supervisor"], referral=referral, text="再次跟踪"), "status")


def test_no_referral_after_an_unfounded_conclusion(w, users):
    inv = f.concluded(users, w["case"], conclusion="unsubstantiated", propose=False)
    _refused(
        lambda: services.investigation_refer(
            by=users["supervisor"], investigation=inv, organ="示例市纪委监委", reason="涉嫌违纪违法的问题线索。"
        ),
        "status",
    )


# ---------------------------------------------------------------- the signal's contract


def test_a_later_app_feeds_the_ledger_through_the_signal_alone(w, users):
    """A sender that is not of this area today (the disputes app's reconsideration, once built): only the
    signal's keyword arguments; sending twice proposes once."""
    kwargs = {
        "source_kind": "reconsideration",
        "source_id": 4711,
        "source_label": "行政复议决定：撤销原处罚决定",
        "source_url": "",
        "unit_id": w["market"].pk,
        "case_id": w["case"].pk,
        "reason": "适用依据错误，复议机关决定撤销。",
        "by": None,
        "today": f.today(),
    }
    wrong_case_found.send(sender="disputes.Reconsideration", **kwargs)
    wrong_case_found.send(sender="disputes.Reconsideration", **kwargs)
    proposal = AccountabilityProposal.objects.get()
    assert (proposal.source_kind, proposal.source_id, proposal.status) == ("reconsideration", 4711, "pending")
    assert proposal.item.kind == "accountability_proposal"
    assert proposal.item.deadline == _calendar(rules.proposal_days())
    assert proposal.item.unit.name == "示例市司法局"  # the unit's supervising Justice Bureau answers for it
    record = f.record_for(users, w, case_id=None, proposal=proposal)
    assert record.source_kind == "reconsideration" and record.case_id == w["case"].pk


def test_a_bad_signal_rolls_the_sender_back(w, users):
    with pytest.raises(DomainError) as exc, transaction.atomic():
        f.concluded(users, w["case"], propose=False)  # the sender's own writes, then a bad signal
        wrong_case_found.send(sender=None, source_kind="litigation", source_id=1, unit_id=999999, reason="")
    assert {e["field"] for e in exc.value.errors} == {"unit_id", "reason"}
    assert not Investigation.objects.exists() and not AccountabilityProposal.objects.exists()


def test_dismiss_a_proposal(w, users):
    proposal = f.proposal_for(users, w)
    _refused(lambda: services.proposal_dismiss(by=users["supervisor"], proposal=proposal, reason=""), "reason")
    services.proposal_dismiss(by=users["supervisor"], proposal=proposal, reason="经复核，责任人员已调离且情节轻微。")
    proposal.refresh_from_db()
    assert proposal.status == "dismissed" and proposal.item.status == "closed"
    _refused(lambda: f.record_for(users, w, case_id=None, proposal=proposal), "proposal")


# ---------------------------------------------------------------- records


def test_open_from_a_proposal_closes_it(w, users):
    proposal = f.proposal_for(users, w)
    record = f.record_for(users, w, case_id=None, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "opened" and proposal.item.status == "closed" and record.proposal == proposal
    assert record.unit == w["market"] and record.case_label.startswith(w["case"].number)
    assert list(record.officers.values_list("officer__name", flat=True)) == ["陈执法", "王执法"]
    assert record.item.deadline == _calendar(rules.record_days())


def test_open_refuses_officers_of_another_agency_and_writes_nothing(w, users):
    exc = _refused(lambda: f.record_for(users, w, officers=[w["o1"].pk, w["e1"].pk], reason="短"), "officers")
    assert {e["field"] for e in exc.errors} == {"officers", "reason"}
    assert "李环保" in exc.errors[0]["message"]
    _refused(lambda: f.record_for(users, w, officers=[]), "officers")
    _refused(lambda: f.record_for(users, w, case_id=999999), "case_id")
    assert not AccountabilityRecord.objects.exists()
    f.record_for(users, w)
    _refused(lambda: f.record_for(users, w), "case_id")  # one open record per case


def test_decide_each_officer(w, users):
    record = f.decided(users, w, exempt_first=True)
    assert record.status == "decided" and record.item.status == "closed"
    first, second = record.officers.order_by("id")
    assert first.exempt and first.exemption_ground == "law_unclear" and not first.sanctions.exists()
    assert second.fault == "ordinary" and list(second.sanctions.values_list("kind", flat=True)) == ["criticism"]
    assert "尽职免责" in TimelineEvent.objects.filter(item=record.item).last().comment


def test_decide_refuses_per_officer_with_its_field(w, users):
    record = f.record_for(users, w)
    exc = _refused(
        lambda: services.record_decide(
            by=users["supervisor"],
            record=record,
            outcomes=[
                {"officer": w["o1"].pk, "exempt": True, "responsibilities": ["criticism"]},
                {"officer": w["e1"].pk, "fault": "gross", "responsibilities": ["criticism"]},
            ],
            decision="",
            decision_organ="",
            decision_on=f.today() + dt.timedelta(days=1),
        ),
        f"exemption_ground_{w['o1'].pk}",
    )
    fields = {e["field"] for e in exc.errors}
    assert {
        f"responsibilities_{w['o1'].pk}",
        f"exemption_reason_{w['o1'].pk}",
        f"fault_{w['o2'].pk}",  # no outcome for 王执法
        "outcomes",  # 李环保 is not on this record
        "decision",
        "decision_organ",
        "decision_on",
    } <= fields
    assert all(e["message"] for e in exc.errors)
    record.refresh_from_db()
    assert record.status == "open" and not AccountabilitySanction.objects.exists()
    assert not AccountabilityOfficer.objects.filter(decided=True).exists()


def test_record_notice_and_statement(w, users):
    record = f.record_for(users, w)
    document = services.record_notice_issue(by=users["supervisor"], record=record)
    assert document.number == f"司监追〔{f.today().year}〕1号"
    services.record_statement(by=users["agency"], record=record, text="当事执法人员的陈述和申辩。", files=[f.pdf()])
    assert _actions(record.item)[-2:] == ["document", "statement"]
    with pytest.raises(Forbidden):
        services.record_statement(by=users["agency2"], record=record, text="别的单位的说明内容。")


# ---------------------------------------------------------------- typical cases


def test_mark_reads_the_case_for_the_masking(w, users):
    record = f.decided(users, w)
    typical = f.typical(users, w, case_id=None, record=record)
    assert typical.status == "draft" and typical.party_name == f.PARTY and typical.party_kind == "person"
    assert set(typical.officer_names) == {"陈执法", "王执法"}
    assert typical.item.kind == "typical_case"
    _refused(lambda: f.typical(users, w), "case_id")  # chosen once


def test_mark_input(w, users):
    exc = _refused(lambda: f.typical(users, w, title="", summary="短", lesson="", handling=""), "summary")
    assert {e["field"] for e in exc.errors} == {"title", "summary", "lesson", "handling"}
    _refused(lambda: f.typical(users, w, case_id=None), "case_id")
    with pytest.raises(Forbidden):
        f.typical(users, w, by=None)
    assert not TypicalCase.objects.exists()


def test_publication_refuses_the_party_full_name_and_id_numbers(w, users):
    typical = f.typical(users, w, summary=f"当事人{f.PARTY}销售过期食品，执法人员罚款超出裁量基准上限。")
    exc = _refused(lambda: services.typical_publish(by=users["supervisor"], typical=typical), "summary")
    assert "王某" in exc.message
    services.typical_edit(
        by=users["supervisor"], typical=typical, **{**f.TYPICAL, "handling": f"已向当事人（{f.PARTY_ID}）退还罚款。"}
    )
    _refused(lambda: services.typical_publish(by=users["supervisor"], typical=typical), "handling")
    typical.refresh_from_db()
    assert typical.status == "draft" and not typical.public_summary


def test_publication_masks_and_withdrawal_keeps_the_reason(w, users):
    typical = f.typical(users, w)
    services.typical_publish(by=users["supervisor"], typical=typical)
    typical.refresh_from_db()
    assert typical.status == "published" and typical.published_on == f.today()
    assert "陈执法" not in typical.public_summary and "陈某、王某" in typical.public_summary
    assert "13907310000" not in typical.public_summary and "139****0000" in typical.public_summary
    assert typical.public_party == "王某" and typical.public_officers == "陈某、王某"
    assert typical.item.status == "closed"
    document = GeneratedDocument.objects.get(object_kind="typical_case", object_id=typical.pk)
    assert document.number == f"司监通〔{f.today().year}〕1号" and document.title == "典型案例通报"
    _refused(lambda: services.typical_edit(by=users["supervisor"], typical=typical, **f.TYPICAL), "status")
    _refused(lambda: services.typical_withdraw(by=users["supervisor"], typical=typical, reason=""), "reason")
    services.typical_withdraw(by=users["supervisor"], typical=typical, reason="当事人提起诉讼，暂不通报。")
    typical.refresh_from_db()
    assert typical.status == "withdrawn"
    last = TimelineEvent.objects.filter(item=typical.item).last()
    assert (last.action, last.comment) == ("withdrawn", "当事人提起诉讼，暂不通报。")
    # Withdrawn, the case may be chosen again.
    assert f.typical(users, w).status == "draft"
