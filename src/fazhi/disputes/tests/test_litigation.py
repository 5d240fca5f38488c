"""Litigation (行政应诉): the filing limits, the 答辩 and appeal clocks, the heads' appearance checked against the
agency's list, the judgment and its accountability signal; judicial and procuratorial suggestions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import DomainError, Forbidden
from fazhi.disputes import rules, selectors, services
from fazhi.disputes.models import CourtHearing, Litigation, Suggestion
from fazhi.disputes.tests.conftest import ECOLOGY, MARKET, PERSON_ID, D
from fazhi.tracking.models import TrackedItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def suit(agencies, users):
    def make(**overrides):
        data = {
            "court": "示例市东城区人民法院",
            "case_number": "（2025）湘9902行初15号",
            "plaintiff": {"kind": "person", "name": "王建国", "id_number": PERSON_ID},
            "defendant": agencies[MARKET],
            "act": "罚款5000元的行政处罚决定",
            "filed_on": D(2025, 9, 10),
            "served_on": D(2025, 9, 20),
            "known_on": D(2025, 6, 1),
        }
        data.update(overrides)
        return services.litigation_register(by=users["agency"], **data)

    return make


def test_defence_within_fifteen_days_over_national_day(suit):
    # Served 2025-09-20 (Sat): 15 days → 10月5日, inside the holiday (10月1日—8日) → 10月9日 (第六十七条,
    # 民事诉讼法第八十五条 through 行政诉讼法第一百零一条).
    lit = suit()
    assert lit.item.clocks.get(name="defence").deadline == D(2025, 10, 9)
    assert lit.item.unit.name == MARKET
    assert not lit.period_expired  # 6 months from 6/1 → 12/1


def test_the_filing_limits_are_flagged(suit):
    # 15 days after the reconsideration decision was received (第四十五条): 2025-09-01 + 15 = 9月16日.
    lit = suit(decision_received_on=D(2025, 9, 1), filed_on=D(2025, 9, 17), case_number="（2025）湘9902行初16号")
    assert lit.period_deadline == D(2025, 9, 16) and lit.period_expired
    found = {w.rule for w in services.selectors.litigation_warnings(lit=lit, today=D(2025, 9, 25))}
    assert "suit_period_expired" in found
    with pytest.raises(DomainError) as exc:
        suit(case_number="（2025）湘9902行初16号")  # twice the same number
    assert exc.value.field == "case_number"


def test_an_agency_cannot_register_another_agencys_suit(suit, agencies):
    with pytest.raises(DomainError) as exc:
        suit(defendant=agencies[ECOLOGY], case_number="（2025）湘9902行初17号")
    assert exc.value.field == "defendant"
    assert not Litigation.objects.exists()


def test_the_heads_appearance(suit, heads, users):
    lit = suit()
    hearing = services.court_hearing_add(
        by=users["agency"],
        litigation=lit,
        held_on=D(2025, 11, 5),
        summons_received_on=D(2025, 11, 3),
        head_summoned=True,
    )
    # A head of another agency is not on this agency's list.
    with pytest.raises(DomainError) as exc:
        services.court_hearing_record(by=users["agency"], hearing=hearing, head=heads["ecology"], today=D(2025, 11, 6))
    assert exc.value.field == "head" and "负责人名单" in exc.value.message
    # A lawyer alone is not an appearance.
    with pytest.raises(DomainError) as exc:
        services.court_hearing_record(
            by=users["agency"],
            hearing=hearing,
            lawyer_name="李律师",
            absence_ground="3",
            absence_reason="出差",
            today=D(2025, 11, 6),
        )
    assert exc.value.field == "staff_name" and "律师" in exc.value.message
    # Absent head: the reason needs its proof.
    with pytest.raises(DomainError) as exc:
        services.court_hearing_record(
            by=users["agency"],
            hearing=hearing,
            staff_name="张法制",
            absence_ground="3",
            absence_reason="参加市政府常务会议",
            today=D(2025, 11, 6),
        )
    assert exc.value.field == "attachments"
    assert not CourtHearing.objects.get(pk=hearing.pk).recorded
    services.court_hearing_record(
        by=users["agency"],
        hearing=hearing,
        staff_name="张法制",
        lawyer_name="李律师",
        absence_ground="3",
        absence_reason="参加市政府常务会议",
        files=[SimpleUploadedFile("会议通知.pdf", b"%PDF-1.4 notice")],
        today=D(2025, 11, 6),
    )
    second = services.court_hearing_add(by=users["agency"], litigation=lit, held_on=D(2025, 12, 3))
    services.court_hearing_record(by=users["agency"], hearing=second, head=heads["principal"], today=D(2025, 12, 4))
    found = {w.rule for w in services.selectors.litigation_warnings(lit=lit, today=D(2025, 12, 4))}
    assert "summons_short" in found  # served 11/3 for 11/5: less than three days
    assert "head_absent_summoned" in found
    rows = {r.key: r for r in services.selectors.dispute_stats(dimension="agency", year=2025)}
    row = rows[str(lit.defendant_unit_id)]
    assert (row.hearings, row.head_hearings, row.appearance_rate) == (2, 1, 0.5)


def test_judgment_appeal_period_and_loss(suit, users, heads):
    from fazhi.supervision.signals import wrong_case_found

    lit = suit()
    got = []
    wrong_case_found.connect(lambda sender, **kw: got.append(kw), dispatch_uid="lit-test", weak=False)
    try:
        # Judgment served 2026-02-05 (Thu): 15 days → 2月20日, 春节 (2月15日—23日) → 2月24日 (第八十五条).
        lit = services.litigation_judgment(
            by=users["agency"],
            litigation=lit,
            kind="annulled",
            judgment_on=D(2026, 2, 3),
            served_on=D(2026, 2, 5),
            today=D(2026, 2, 6),
        )
    finally:
        wrong_case_found.disconnect(dispatch_uid="lit-test")
    assert lit.lost and lit.status == "judged" and lit.enforcement == "pending"
    assert lit.item.clocks.get(name="appeal").deadline == D(2026, 2, 24)
    assert got[0]["source_kind"] == "litigation" and got[0]["unit_id"] == lit.defendant_unit_id
    with pytest.raises(DomainError) as exc:
        services.litigation_appeal(by=users["agency"], litigation=lit, appealed_on=D(2026, 2, 25), appealed_by="被告")
    assert exc.value.field == "appealed_on"
    services.litigation_effective(by=users["agency"], litigation=lit, today=D(2026, 2, 25))
    lit.refresh_from_db()
    assert lit.effective_on == D(2026, 2, 25) and lit.status == "judged"
    services.litigation_enforcement(
        by=users["agency"],
        litigation=lit,
        enforcement="done",
        note="已撤销原处罚决定并退还罚款",
        enforced_on=D(2026, 3, 10),
        today=D(2026, 3, 11),
    )
    lit.refresh_from_db()
    assert lit.status == "closed" and TrackedItem.objects.get(pk=lit.item_id).status == "closed"


def test_a_ruling_has_ten_days(suit, users):
    # A ruling served 2026-02-05: 10 days → 2月15日, 春节 → 2月24日.
    lit = services.litigation_judgment(
        by=users["agency"], litigation=suit(), kind="dismissed_suit", judgment_on=D(2026, 2, 5), today=D(2026, 2, 6)
    )
    assert not lit.lost
    assert lit.item.clocks.get(name="appeal").rule_length == rules.APPEAL_DAYS["ruling"] == 10
    assert lit.item.clocks.get(name="appeal").deadline == D(2026, 2, 24)


def test_procuratorial_suggestion_two_months_and_urgent_fifteen_days(agencies, users):
    # Received 2026-03-31: two months → 5月31日 (Sunday) → 6月1日.
    s = services.suggestion_register(
        by=users["agency"],
        kind="procuratorial",
        issuer="示例市人民检察院",
        number="示检行公建〔2026〕3号",
        agency=agencies[MARKET],
        content="对辖区内校园周边食品经营者监管不到位，请依法履行监督管理职责",
        received_on=D(2026, 3, 31),
    )
    assert s.deadline == D(2026, 6, 1)
    # Urgent, received 2026-09-20: 15 days → 10月5日, 国庆 (10月1日—7日) → 10月8日.
    urgent = services.suggestion_register(
        by=users["agency"],
        kind="procuratorial",
        issuer="示例市人民检察院",
        number="示检行公建〔2026〕9号",
        agency=agencies[MARKET],
        content="某企业违法排放持续扩大损害，请立即依法处置",
        received_on=D(2026, 9, 20),
        urgent=True,
    )
    assert urgent.deadline == D(2026, 10, 8)
    with pytest.raises(DomainError) as exc:
        services.suggestion_register(
            by=users["agency"],
            kind="procuratorial",
            issuer="示例市人民检察院",
            number="示检行公建〔2026〕10号",
            agency=agencies[MARKET],
            content="请依法履职",
            received_on=D(2026, 9, 20),
            months=3,
        )
    assert exc.value.field == "months"
    with pytest.raises(Forbidden):
        services.suggestion_reply(by=users["agency2"], suggestion=s, reply="已整改", replied_on=D(2026, 5, 20))
    services.suggestion_reply(
        by=users["agency"],
        suggestion=s,
        reply="已开展专项检查并立案3件",
        replied_on=D(2026, 5, 20),
        today=D(2026, 5, 21),
    )
    s.refresh_from_db()
    assert s.on_time and s.status == "replied"
    # For the assessment: replied on time of those due in the period, per agency unit.
    unit = agencies[MARKET].unit_id
    june = selectors.dispute_figures_by_unit(date_from=D(2026, 6, 1), date_to=D(2026, 6, 30))
    assert june["suggestions"][unit] == (1, 1)
    october = selectors.dispute_figures_by_unit(date_from=D(2026, 10, 1), date_to=D(2026, 10, 31))
    assert october["suggestions"][unit] == (0, 1)  # the urgent one, not replied


def test_judicial_suggestion_period_set_by_the_court(agencies, users):
    s = services.suggestion_register(
        by=users["agency"],
        kind="judicial",
        issuer="示例市中级人民法院",
        number="示法建〔2026〕2号",
        agency=agencies[MARKET],
        content="行政处罚决定书说理不充分，建议加强法制审核",
        received_on=D(2026, 4, 1),
        days=30,
    )
    # 30 days from 4/1 → 5月1日, 劳动节 → 5月6日.
    assert s.deadline == D(2026, 5, 6)
    assert Suggestion.objects.get(pk=s.pk).item.clocks.get().basis == rules.SUGGESTION_CITATION["judicial"]


def test_a_calendar_change_moves_the_deadlines_the_records_keep(apply, event, agencies, users):
    """The decision and reply deadlines kept on the records (lists, exports, the reply rate) follow their clocks when
    the calendar changes, and a reply is on time against the moved deadline."""
    from fazhi.tracking.services import clocks_recompute
    from fazhi.workdays import calendar
    from fazhi.workdays.models import CalendarOverride

    rc = event(apply(received_on=D(2026, 3, 3)), "accepted", D(2026, 3, 9))
    assert rc.decision_deadline == D(2026, 5, 8)  # 3/9 + 60 days, a Friday
    s = services.suggestion_register(
        by=users["agency"],
        kind="procuratorial",
        issuer="示例市人民检察院",
        number="示检行公建〔2026〕4号",
        agency=agencies[MARKET],
        content="请依法履行监督管理职责",
        received_on=D(2026, 3, 31),
    )
    assert s.deadline == D(2026, 6, 1)
    # Two days off are declared: each period whose last day it is ends on the next working day.
    added = [
        CalendarOverride.objects.create(date=D(2026, 5, 8), is_working_day=False, name="调休"),
        CalendarOverride.objects.create(date=D(2026, 6, 1), is_working_day=False, name="调休"),
    ]
    calendar.dirty = True
    calendar.invalidate()
    try:
        assert clocks_recompute() >= 2
        rc.refresh_from_db()
        s.refresh_from_db()
        # Saturday 5/9 is a working day in 2026 (调休 for May Day).
        assert rc.decision_deadline == D(2026, 5, 9) and s.deadline == D(2026, 6, 2)
        s = services.suggestion_reply(
            by=users["agency"], suggestion=s, reply="已开展专项检查", replied_on=D(2026, 6, 2), today=D(2026, 6, 3)
        )
        assert s.on_time
    finally:
        for override in added:
            override.delete()
        calendar.dirty = True
        calendar.invalidate()
