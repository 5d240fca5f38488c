"""调解 services: registration (masked parties, sources, the complaint link), sessions, the two outcomes with their
required fields (Chinese message naming the field, nothing written), the 调解协议书, follow-up, court referral."""

import datetime as dt

import pytest

from fazhi.core.errors import DomainError, Forbidden
from fazhi.legalservices.mediation import rules, services
from fazhi.legalservices.mediation.models import MediationCase, MediationSession
from fazhi.legalservices.mediation.permissions import case_actions
from fazhi.legalservices.mediation.tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def test_register_session_and_agreement(users):
    case = f.case(users["supervisor"], today=TODAY)
    assert case.number.startswith("TJ2026-") and case.status == rules.REGISTERED and case.item_id is None
    services.session_add(by=users["supervisor"], case=case, held_on=TODAY, notes="释法说理", today=TODAY)
    case.refresh_from_db()
    assert case.status == rules.MEDIATING
    services.case_close(
        by=users["supervisor"], case=case, outcome=rules.SUCCESS, agreement="赵小红三日内疏通排水沟。", today=TODAY
    )
    case.refresh_from_db()
    assert case.status == rules.SUCCESS and case.performance == "pending" and case.document_id
    import io

    from docx import Document

    from fazhi.documents.models import GeneratedDocument
    from fazhi.documents.selectors import document_bytes

    doc = GeneratedDocument.objects.get(pk=case.document_id)
    text = "\n".join(p.text for p in Document(io.BytesIO(document_bytes(doc))).paragraphs)
    assert "人民调解协议书" in text and "王大明" in text and "疏通排水沟" in text
    services.case_follow_up(by=users["supervisor"], case=case, performance="performed", today=TODAY)
    case.refresh_from_db()
    assert case.performance == "performed" and case.performance_checked_on == TODAY


def test_close_without_outcome_names_the_field_and_writes_nothing(users):
    case = f.case(users["supervisor"], today=TODAY)
    with pytest.raises(DomainError) as exc:
        services.case_close(by=users["supervisor"], case=case, outcome="", today=TODAY)
    assert exc.value.field == "outcome" and "调解结果" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.case_close(by=users["supervisor"], case=case, outcome=rules.SUCCESS, agreement=" ", today=TODAY)
    assert exc.value.field == "agreement"
    with pytest.raises(DomainError) as exc:
        services.case_close(by=users["supervisor"], case=case, outcome=rules.FAILED, today=TODAY)
    assert exc.value.field == "next_channel"
    case.refresh_from_db()
    assert case.status == rules.REGISTERED and case.closed_on is None and case.document_id is None


def test_failed_with_next_channel(users):
    case = f.case(users["supervisor"], today=TODAY)
    services.case_close(
        by=users["supervisor"], case=case, outcome=rules.FAILED, next_channel="arbitration", today=TODAY
    )
    case.refresh_from_db()
    assert case.status == rules.FAILED and case.get_next_channel_display() == "仲裁" and not case.document_id
    with pytest.raises(DomainError):
        services.session_add(by=None, case=case, held_on=TODAY, notes="x", today=TODAY)


def test_court_referral_period_item_and_return(users):
    case = f.case(
        users["supervisor"],
        today=TODAY,
        source=rules.SOURCE_COURT,
        court_name="东城区人民法院",
        court_referred_on=TODAY - dt.timedelta(days=6),
    )
    assert case.court_due == TODAY - dt.timedelta(days=6) + dt.timedelta(days=rules.COURT_REFERRAL_DAYS)
    assert case.item.deadline == case.court_due and case.item.deadline_source == rules.COURT_REFERRAL_SOURCE
    services.case_close(by=users["supervisor"], case=case, outcome=rules.SUCCESS, agreement="还款。", today=TODAY)
    case = MediationCase.objects.get(pk=case.pk)
    services.court_return(by=users["supervisor"], case=case, today=TODAY)
    case.refresh_from_db()
    case.item.refresh_from_db()
    assert case.court_returned_on == TODAY and case.item.status == "closed"


def test_court_referral_needs_the_court(users):
    with pytest.raises(DomainError) as exc:
        f.case(users["supervisor"], today=TODAY, source=rules.SOURCE_COURT)
    assert exc.value.field == "court_name"
    assert not MediationCase.objects.exists()


def test_bad_input(users):
    o = f.org()
    for kwargs, field in [
        ({"kind": "xx"}, "kind"),
        ({"applicant": ""}, "applicant"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"received_on": TODAY + dt.timedelta(days=1)}, "received_on"),
        ({"source": rules.SOURCE_COMPLAINT}, "complaint_id"),
    ]:
        with pytest.raises(DomainError) as exc:
            f.case(users["supervisor"], the_org=o, today=TODAY, **kwargs)
        assert exc.value.field == field, kwargs
    assert not MediationCase.objects.exists() and not MediationSession.objects.exists()


def test_complaint_out_of_scope_becomes_a_dispute(users):
    """The complaints desk closes a neighbours' quarrel as out of scope; mediation takes it, linked by the complaint."""
    from fazhi.complaints import services as cs
    from fazhi.complaints.tests import factories as cf

    complaint, _ = cf.submit()
    o = f.org()
    with pytest.raises(DomainError) as exc:  # still open at the complaints desk
        f.case(users["supervisor"], the_org=o, today=TODAY, source=rules.SOURCE_COMPLAINT, complaint_id=complaint.pk)
    assert exc.value.field == "complaint_id"
    cs.complaint_out_of_scope(
        by=users["supervisor"],
        complaint=complaint,
        reason="属民间纠纷，转人民调解",
        transferred_to="南山镇人民调解委员会",
    )
    case = f.case(users["supervisor"], the_org=o, today=TODAY, source=rules.SOURCE_COMPLAINT, complaint_id=complaint.pk)
    assert case.complaint_id == complaint.pk
    from fazhi.legalservices.mediation.selectors import complaint_label

    label, url = complaint_label(user=users["supervisor"], complaint_id=complaint.pk)
    assert complaint.tracking_code in label and url
    with pytest.raises(DomainError) as exc:  # once only
        f.case(users["supervisor"], the_org=o, today=TODAY, source=rules.SOURCE_COMPLAINT, complaint_id=complaint.pk)
    assert exc.value.field == "complaint_id"


def _referral(users, days_ago=6):
    return f.case(
        users["supervisor"],
        today=TODAY,
        source=rules.SOURCE_COURT,
        court_name="东城区人民法院",
        court_referred_on=TODAY - dt.timedelta(days=days_ago),
    )


def test_court_referral_extended_once_on_the_clock(users):
    from fazhi.tracking.models import Clock, TimelineEvent

    case = _referral(users)
    due = case.court_due
    clock = Clock.objects.get(item=case.item, name=services.COURT_CLOCK)
    assert clock.deadline == due
    case = services.court_extend(
        by=users["supervisor"], case=case, days=15, ground="consent", reason="双方同意继续协商", today=TODAY
    )
    case.item.refresh_from_db()
    assert case.court_due == due + dt.timedelta(days=15) and case.court_extended_days == 15
    assert case.item.deadline == case.court_due
    event = TimelineEvent.objects.filter(item=case.item).order_by("-id").first()
    assert "双方同意继续协商" in event.comment or "双方同意继续协商" in str(event.data)
    assert "court_extend" not in case_actions(user=users["supervisor"], obj=case)
    with pytest.raises(DomainError) as exc:
        services.court_extend(by=None, case=case, days=5, ground="court", reason="再延", today=TODAY)
    assert exc.value.field == "days" and "一次" in exc.value.message
    assert MediationCase.objects.get(pk=case.pk).court_extended_days == 15


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"days": rules.COURT_EXTENSION_MAX_DAYS + 1, "ground": "consent", "reason": "x"}, "days"),
        ({"days": 0, "ground": "consent", "reason": "x"}, "days"),
        ({"days": "十", "ground": "consent", "reason": "x"}, "days"),
        ({"days": 5, "ground": "nope", "reason": "x"}, "ground"),
        ({"days": 5, "ground": "court", "reason": " "}, "reason"),
    ],
)
def test_court_extension_bad_input_writes_nothing(users, data, field):
    case = _referral(users)
    with pytest.raises(DomainError) as exc:
        services.court_extend(by=users["supervisor"], case=case, today=TODAY, **data)
    assert exc.value.field == field
    case.refresh_from_db()
    assert case.court_extended_days == 0 and case.court_due == TODAY + dt.timedelta(days=24)


def test_court_extension_refused_after_the_period_or_not_a_referral(users):
    case = _referral(users, days_ago=40)
    with pytest.raises(DomainError) as exc:
        services.court_extend(by=None, case=case, days=5, ground="court", reason="法院准许", today=TODAY)
    assert exc.value.field == "on"
    walk_in = f.case(users["supervisor"], the_org=case.org, today=TODAY)
    with pytest.raises(Forbidden):
        services.court_extend(by=users["supervisor"], case=walk_in, days=5, ground="court", reason="x", today=TODAY)
    assert MediationCase.objects.get(pk=walk_in.pk).court_extended_days == 0


def test_org_and_mediator_edited_and_deactivated_keep_history(users):
    from fazhi.core.models import Division
    from fazhi.legalservices.mediation.models import Mediator

    case = f.case(users["supervisor"], today=TODAY)
    org = case.org
    mediator = Mediator.objects.get(org=org)
    other = services.mediator_add(by=users["supervisor"], org=org, name="李调解")
    with pytest.raises(DomainError) as exc:
        services.mediator_update(by=users["supervisor"], mediator=other, name="罗调解")
    assert exc.value.field == "name"
    services.mediator_update(by=users["supervisor"], mediator=other, name="李明", phone="13900000000")
    services.mediator_set_active(by=users["supervisor"], mediator=mediator, active=False)
    with pytest.raises(DomainError) as exc:
        services.session_add(
            by=users["supervisor"], case=case, held_on=TODAY, notes="x", mediator=mediator, today=TODAY
        )
    assert exc.value.field == "mediator" and "已离任" in exc.value.message
    assert not MediationSession.objects.exists()
    session = services.session_add(by=users["supervisor"], case=case, held_on=TODAY, notes="x", today=TODAY)
    assert session.mediator_id is None  # the dispute's own mediator has left
    # The organisation: renamed, then deactivated; its dispute stays, new ones are refused.
    services.org_update(
        by=users["supervisor"], org=org, name="改名人民调解委员会", kind=rules.ORG_TOWNSHIP, division=org.division
    )
    with pytest.raises(DomainError) as exc:
        services.org_update(by=users["supervisor"], org=org, name="", kind="village", division=Division.objects.first())
    assert exc.value.field == "name"
    services.org_set_active(by=users["supervisor"], org=org, active=False)
    org.refresh_from_db()
    assert org.name == "改名人民调解委员会" and not org.is_active
    with pytest.raises(DomainError) as exc:
        f.case(users["supervisor"], the_org=org, today=TODAY)
    assert exc.value.field == "org"
    with pytest.raises(DomainError):
        services.mediator_add(by=None, org=org, name="新人")
    assert MediationCase.objects.filter(org=org).count() == 1
    with pytest.raises(Forbidden):
        services.org_set_active(by=users["leader"], org=org, active=True)
