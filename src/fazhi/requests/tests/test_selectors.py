"""Reads: the data scope of proposals and requests, the offered proposal_ref, the statistics with their lights,
the annual report's figures and the dispute counter registry, the masking of applicants."""

import datetime as dt

import pytest

from fazhi.core.demo.build import demo_legal_officer
from fazhi.core.errors import NotFound
from fazhi.core.models import OperationLog
from fazhi.requests import registry, selectors
from fazhi.requests.tests import factories as F

pytestmark = pytest.mark.django_db
D = dt.date


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_units_see_what_is_assigned_to_them_the_bureau_and_the_government_everything():
    p = F.proposal(co=(F.ECOLOGY,))
    q = F.proposal(lead=F.TRANSPORT)
    transport = demo_legal_officer(F.unit(F.TRANSPORT))
    assert _ids(selectors.proposal_list(user=F.user("agency"))) == {p.pk}
    assert _ids(selectors.proposal_list(user=F.user("agency2"))) == {p.pk}  # as co-unit
    assert _ids(selectors.proposal_list(user=transport)) == {q.pk}
    for name in ("supervisor", "leader"):
        assert _ids(selectors.proposal_list(user=F.user(name))) >= {p.pk, q.pk}
    assert _ids(selectors.proposal_list(user=F.user("officer"))) == set()
    with pytest.raises(NotFound):
        selectors.proposal_get(user=transport, pk=p.pk)


def test_proposal_ref_for_other_apps():
    p = F.proposal()
    label, url = selectors.proposal_ref(user=F.user("leader"), pk=p.pk)
    assert label.startswith("示例市第十八届人民代表大会第四次会议 第") and p.title in label
    assert url == f"/requests/proposals/{p.pk}/"
    with pytest.raises(NotFound):
        selectors.proposal_ref(user=F.user("agency2"), pk=p.pk)
    with pytest.raises(NotFound):
        selectors.proposal_ref(user=F.user("leader"), pk=999999)


def test_a_returned_unit_still_sees_the_item_it_returned():
    from fazhi.requests import services

    p = F.proposal(on=D(2025, 9, 26))
    row = p.units.get(role="lead")
    services.proposal_return_request(
        by=F.user("agency"), row=row, reason="不属于本局", on=D(2025, 9, 29), today=D(2025, 9, 29)
    )
    services.proposal_return_decide(
        by=F.user("supervisor"),
        row=row,
        accept=True,
        new_unit=F.unit(F.ECOLOGY),
        on=D(2025, 9, 30),
        today=D(2025, 9, 30),
    )
    assert p.pk in _ids(selectors.proposal_list(user=F.user("agency")))
    assert p.pk in _ids(selectors.proposal_list(user=F.user("agency2")))


def test_statistics_by_unit_with_the_goal_lights():
    today = D(2026, 1, 20)
    on_time = F.proposal(on=D(2025, 7, 1))
    F.replied(on_time, on=D(2025, 9, 1))
    late = F.proposal(on=D(2025, 7, 1))
    F.replied(late, on=D(2025, 10, 10), classification="C", c_reason="条件限制")
    F.proposal(on=D(2025, 7, 1))  # open, its 2025-10-09 deadline long past: overdue
    F.proposal(on=D(2026, 1, 5), today=today)  # open, not due yet: not counted in the on-time rate
    from fazhi.requests import services
    from fazhi.requests.models import Proposal

    services.proposal_rating_record(
        by=F.user("supervisor"),
        proposal=Proposal.objects.get(pk=on_time.pk),
        proposer=on_time.proposers.get(is_lead=True),
        attitude="satisfied",
        result="basic",
        on=D(2025, 9, 5),
        today=D(2025, 9, 5),
    )
    rows, total = selectors.proposal_stats(user=F.user("supervisor"), today=today)
    (market,) = [r for r in rows if r.label == F.MARKET]
    assert (market.total, market.replied, market.due, market.on_time, market.overdue_open) == (4, 2, 3, 1, 1)
    assert (market.a, market.b, market.c) == (1, 0, 1)
    assert market.rates["on_time"] == {"value": 33.3, "light": "red"}
    assert market.rates["result"] == {"value": 100.0, "light": "green"}
    assert market.rates["replied"]["value"] == 50.0
    assert total.total >= 4
    by_session, _ = selectors.proposal_stats(user=F.user("supervisor"), group="session", today=today)
    assert {r.label for r in by_session} == {"示例市第十八届人民代表大会第四次会议"}
    mine, _ = selectors.proposal_stats(user=F.user("agency2"), today=today)
    assert mine == []


def test_disclosure_scope():
    r = F.request()
    assert _ids(selectors.disclosure_list(user=F.user("agency"))) == {r.pk}
    assert _ids(selectors.disclosure_list(user=F.user("agency2"))) == set()
    for name in ("supervisor", "leader"):
        assert r.pk in _ids(selectors.disclosure_list(user=F.user(name)))
    with pytest.raises(NotFound):
        selectors.disclosure_get(user=F.user("agency2"), pk=r.pk)
    # The applicant's name is found by an exact match only.
    assert _ids(selectors.disclosure_list(user=F.user("agency"), filters=selectors.DisclosureFilters(q="张"))) == set()
    assert _ids(selectors.disclosure_list(user=F.user("agency"), filters=selectors.DisclosureFilters(q="张三"))) == {
        r.pk
    }


def test_the_annual_report_figures_balance_per_applicant_type(no_dispute_counters):
    carried = F.request(received_on=D(2024, 12, 20), today=D(2024, 12, 20))
    F.event(carried, "answered", D(2025, 1, 10), answer="disclosed")
    org = F.request(received_on=D(2025, 3, 3), kind="organisation")
    F.event(org, "answered", D(2025, 3, 20), answer="withheld", ground="third_party", reason="第三方不同意")
    abandoned = F.request(received_on=D(2025, 6, 2))
    F.event(abandoned, "correction_requested", D(2025, 6, 3), reason="请写明名称", days=3)
    F.event(abandoned, "abandoned", D(2025, 6, 12))
    F.request(received_on=D(2025, 12, 22))  # still open at the year's end: carried forward
    F.request(received_on=D(2025, 5, 6), agency=F.ECOLOGY, by="agency2")
    rep = selectors.disclosure_report(user=F.user("agency"), year=2025)
    assert rep.received == {**rep.received, "person": 2, "org_legal": 1, "total": 3}
    assert rep.carried_in["total"] == 1 and rep.carried_out["total"] == 1
    assert rep.results["disclosed"]["person"] == 1
    assert rep.results["withheld_third_party"]["org_legal"] == 1
    assert rep.results["other_abandoned"]["person"] == 1
    assert rep.received["total"] + rep.carried_in["total"] == rep.results["total"]["total"] + rep.carried_out["total"]
    assert rep.disputes is None
    (unit,) = rep.per_unit
    assert (unit["received"], unit["carried_in"], unit["concluded"], unit["carried_out"]) == (3, 1, 3, 1)
    assert (unit["disclosed"], unit["withheld"], unit["other"], unit["disputes"]) == (1, 1, 1, None)
    everyone = selectors.disclosure_report(user=F.user("supervisor"), year=2025)
    assert everyone.received["total"] == 4
    only = selectors.disclosure_report(user=F.user("supervisor"), year=2025, unit=F.unit(F.ECOLOGY))
    assert only.received["total"] == 1


def test_the_disputes_app_feeds_the_reconsiderations_and_suits(no_dispute_counters):
    r = F.request(received_on=D(2025, 3, 3))
    market = F.unit(F.MARKET)

    def counter(unit_ids, year):
        return {market.pk: {"reconsiderations": 2, "suits": 1}} if year == 2025 else {}

    registry.register_disclosure_dispute_counter(counter)
    try:
        rep = selectors.disclosure_report(user=F.user("agency"), year=2025)
        assert rep.disputes == {"reconsiderations": 2, "suits": 1}
        assert rep.per_unit[0]["disputes"] == {"reconsiderations": 2, "suits": 1}
        assert registry.dispute_counts([market.pk, 999], 2024) == {
            market.pk: {"reconsiderations": 0, "suits": 0},
            999: {"reconsiderations": 0, "suits": 0},
        }
    finally:
        registry.unregister_disclosure_dispute_counter(counter)
    assert registry.dispute_counts([r.agency_id], 2025) is None


def test_applicants_are_masked_and_revealed_only_with_a_logged_reason():
    r = F.request()
    shown = selectors.applicant_display(user=F.user("agency"), request=r)
    assert shown.masked and shown.name == "张某" and shown.phone == "139****0001"
    before = OperationLog.objects.count()
    full = selectors.applicant_display(user=F.user("agency"), request=r, reveal_reason="送达答复需要联系申请人")
    assert (full.masked, full.name, full.phone) == (False, "张三", "13907310001")
    assert OperationLog.objects.count() == before + 1
    # The government office reads requests but has no need to know who asked.
    leader = selectors.applicant_display(user=F.user("leader"), request=r, reveal_reason="好奇")
    assert leader.masked
    org = F.request(kind="organisation")
    assert selectors.applicant_display(user=F.user("leader"), request=org).name == "示例律师事务所"


def test_only_published_replies_reach_the_portal():
    from fazhi.requests import services

    shown = F.proposal()
    F.replied(shown, on=D(2025, 8, 1))
    hidden = F.proposal()
    F.replied(hidden, on=D(2025, 8, 1))
    services.proposal_secret_set(by=F.user("supervisor"), proposal=hidden, secret=True, reason="涉及个人隐私")
    draft = F.proposal()
    assert set(selectors.public_reply_list().values_list("proposal_id", flat=True)) == {shown.pk}
    assert selectors.public_proposal_get(pk=shown.pk).pk == shown.pk
    for p in (hidden, draft):
        with pytest.raises(NotFound):
            selectors.public_proposal_get(pk=p.pk)


def test_the_desk_lists_what_waits_for_a_decision_or_a_confirmation(login_as):
    from django.utils import timezone

    from fazhi.requests import services

    today = timezone.localdate()
    p = F.proposal(on=today, today=today)
    services.proposal_return_request(
        by=F.user("agency"), row=p.units.get(role="lead"), reason="不属于本局职责", on=today, today=today
    )
    rows, total = selectors.decision_queue(F.user("supervisor"), today)
    assert total == 1 and rows[0].title.startswith("退回申请") and rows[0].deadline == p.reply_deadline
    assert selectors.decision_queue(F.user("agency"), today) is None
    services.disclosure_submit_public(
        agency=F.unit(F.MARKET),
        applicant_kind="person",
        name="张三",
        id_number="430102199003071234",
        phone="13907310001",
        content="食品抽检计划",
        consent=True,
        today=today,
    )
    html = login_as("agency").get("/").content.decode()
    assert "待确认的信息公开申请" in html and "食品抽检计划" in html
    assert "待决定的建议提案退回、延期申请" in login_as("supervisor").get("/").content.decode()
    # Both kinds of item reach the handling unit's inbox.
    assert "建议提案办理" in login_as("agency").get("/").content.decode()
