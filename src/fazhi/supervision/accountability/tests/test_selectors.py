"""Reads of 专项监督与责任追究: the data scope of each object (agency A never sees agency B's, an invited
supervisor only the investigations he is in), statistics by agency and year, the portal's published copy only."""

import datetime as dt

import pytest

from fazhi.core.errors import NotFound
from fazhi.supervision.accountability import selectors, services
from fazhi.supervision.accountability.tests import factories as f
from fazhi.tracking.selectors import item_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(org, users):
    return f.world(org, users)


def test_investigations_follow_the_investigated_unit(w, users, org):
    market = f.open_investigation(users, w["case"])
    eco = f.open_investigation(users, w["eco_case"], team=[users["supervisor"].pk, f.second_supervisor(org).pk])
    seen = lambda name: set(selectors.investigation_list(user=users[name]).values_list("pk", flat=True))  # noqa: E731
    assert seen("supervisor") == seen("leader") == {market.pk, eco.pk}
    assert seen("agency") == {market.pk} and seen("agency2") == {eco.pk}
    # The invited supervisor (本人 scope) sees the investigation whose team he is in, and no other.
    assert seen("monitor") == {market.pk}
    assert seen("officer") == set()
    with pytest.raises(NotFound):
        selectors.investigation_get(user=users["agency2"], pk=market.pk)
    with pytest.raises(NotFound):
        selectors.investigation_get(user=users["monitor"], pk=eco.pk)
    # The item, its timeline and its attachments follow the investigation.
    assert item_get(user=users["agency"], pk=market.item_id)
    with pytest.raises(NotFound):
        item_get(user=users["agency2"], pk=market.item_id)
    with pytest.raises(NotFound):
        item_get(user=users["monitor"], pk=eco.item_id)


def test_investigation_search_and_lights(w, users):
    inv = f.open_investigation(users, w["case"], title="罚款超出裁量基准问题")
    f.open_investigation(users, w["eco_case"], title="选择性执法问题")
    found = selectors.investigation_list(user=users["supervisor"], filters=selectors.InvestigationFilters(q="裁量"))
    assert [i.pk for i in found] == [inv.pk]
    assert found[0].light == "green"
    late = selectors.investigation_list(
        user=users["supervisor"],
        filters=selectors.InvestigationFilters(light="red"),
        today=f.today() + dt.timedelta(days=120),
    )
    assert late.count() == 2


def test_referral_scope_and_the_desk(w, users):
    inv = f.concluded(users, w["case"])
    referral = services.investigation_refer(
        by=users["supervisor"], investigation=inv, organ="示例市纪委监委", reason="涉嫌违纪违法的问题线索移送。"
    )
    assert selectors.referral_get(user=users["agency"], pk=referral.pk) == referral
    with pytest.raises(NotFound):
        selectors.referral_get(user=users["agency2"], pk=referral.pk)
    rows, total = selectors.referrals_due(users["supervisor"], f.today())
    assert (
        total == 1 and rows[0].deadline == f.today() + dt.timedelta(days=30) and "本地规定" in rows[0].deadline_source
    )
    assert selectors.referrals_due(users["agency"], f.today()) is None


def test_proposals_and_records_follow_the_unit(w, users):
    proposal = f.proposal_for(users, w)
    assert selectors.proposal_get(user=users["supervisor"], pk=proposal.pk) == proposal
    with pytest.raises(NotFound):
        selectors.proposal_get(user=users["agency2"], pk=proposal.pk)
    record = f.record_for(users, w, case_id=None, proposal=proposal)
    assert [r.pk for r in selectors.record_list(user=users["agency"])] == [record.pk]
    assert not selectors.record_list(user=users["agency2"]).exists()
    with pytest.raises(NotFound):
        selectors.record_get(user=users["agency2"], pk=record.pk)
    # 本人 scope: the officer sees the records that name him (陈执法 is the `officer` login's registry record).
    assert selectors.record_list(user=users["officer"]).count() == 1
    assert not selectors.record_list(user=users["monitor"]).exists()


def test_record_officers_show_the_registry_read_only(w, users):
    first = f.decided(users, w)
    second = f.record_for(users, w, case_id=w["case"].pk, officers=[w["o1"].pk])
    rows = selectors.record_officers(user=users["supervisor"], record=second)
    (row,) = rows
    assert row.entry.officer == w["o1"] and row.certificate is not None
    assert row.registry_url == f"/enforcement/officers/{w['o1'].pk}/"
    assert [r.pk for r in row.other_records] == [first.pk]
    # A viewer without the registry sees no link to it.
    from fazhi.core.models import Role, User

    role = Role.objects.create(code="acc_only", name="只读追责", data_scope="all", permissions=["accountability.view"])
    reader = User.objects.create(username="reader", unit=w["market"], must_change_password=False)
    reader.roles.add(role)
    assert selectors.record_officers(user=reader, record=second)[0].registry_url == ""
    assert [e.record_id for e in selectors.officer_accountability(user=users["supervisor"], officer=w["o1"])] == [
        second.pk,
        first.pk,
    ]


def test_prefill_from_the_case_handlers(w, users):
    assert selectors.case_handler_officer_ids(user=users["supervisor"], case_id=w["case"].pk) == [
        w["o1"].pk,
        w["o2"].pk,
    ]
    assert selectors.case_handler_officer_ids(user=users["agency2"], case_id=w["case"].pk) == []
    assert set(selectors.unit_officers(user=users["supervisor"], unit=w["market"])) == {w["o1"], w["o2"]}


def test_statistics_by_agency_and_year(w, users):
    f.decided(users, w, exempt_first=True)
    record = f.record_for(users, w, case_id=w["eco_case"].pk, officers=[w["e1"].pk, w["e2"].pk])
    services.record_decide(
        by=users["supervisor"],
        record=record,
        outcomes=[
            {"officer": w["e1"].pk, "fault": "gross", "responsibilities": ["public_criticism", "post_transfer"]},
            {"officer": w["e2"].pk, "fault": "ordinary", "responsibilities": ["public_criticism"]},
        ],
        decision="通报批评，主办人员调离执法岗位。",
        decision_organ="示例市生态环境局",
        decision_on=f.today(),
    )
    rows = {r.unit: r for r in selectors.accountability_stats(user=users["supervisor"], year=f.today().year)}
    market, eco = rows[f.MARKET], rows[f.ECOLOGY]
    assert (market.records, market.decided, market.officers, market.exempt) == (1, 1, 2, 1)
    assert market.kinds == {"criticism": 1}
    assert (eco.records, eco.officers, eco.exempt) == (1, 2, 0)
    assert eco.kinds == {"public_criticism": 2, "post_transfer": 1}
    totals = selectors.stats_totals(list(rows.values()))
    assert (totals.records, totals.officers, totals.exempt, totals.kinds["public_criticism"]) == (2, 4, 1, 2)
    # The agency sees its own row only; another year is empty.
    assert [r.unit for r in selectors.accountability_stats(user=users["agency2"], year=f.today().year)] == [f.ECOLOGY]
    assert selectors.accountability_stats(user=users["supervisor"], year=f.today().year - 1) == []
    # The selector for the assessment module: no viewer, keyed by unit.
    counts = selectors.accountability_unit_counts(year=f.today().year, unit_ids=[w["ecology"].pk])
    assert list(counts) == [w["ecology"].pk] and counts[w["ecology"].pk].kinds["post_transfer"] == 1


def test_statistics_take_a_fixed_number_of_queries(w, users, django_assert_max_num_queries):
    for case in (w["case"], w["eco_case"]):
        officers = [w["o1"].pk] if case == w["case"] else [w["e1"].pk]
        f.record_for(users, w, case_id=case.pk, officers=officers)
    with django_assert_max_num_queries(4):
        selectors.accountability_stats(user=users["supervisor"], year=f.today().year)


def test_typical_cases_in_scope_and_on_the_portal(w, users):
    draft = f.typical(users, w)
    assert selectors.typical_get(user=users["agency"], pk=draft.pk) == draft
    with pytest.raises(NotFound):
        selectors.typical_get(user=users["agency2"], pk=draft.pk)
    assert not selectors.public_typical_list().exists()
    with pytest.raises(NotFound):
        selectors.public_typical_get(pk=draft.pk)
    preview = selectors.typical_preview(typical=draft)
    assert preview.party == "王某" and preview.officers == "陈某、王某" and preview.problems == []
    services.typical_publish(by=users["supervisor"], typical=draft)
    assert [t.pk for t in selectors.public_typical_list(q="裁量基准")] == [draft.pk]
    assert not selectors.public_typical_list(q="不存在的词").exists()
    assert selectors.public_typical_agencies() == [f.MARKET]
    assert selectors.public_typical_years() == [f.today().year]
    services.typical_withdraw(by=users["supervisor"], typical=draft, reason="当事人已提起行政诉讼。")
    assert not selectors.public_typical_list().exists()


def test_invited_supervisors_duties(w, users):
    inv = f.concluded(users, w["case"], propose=False)
    rows = selectors.investigator_duty_rows(users["monitor"])
    assert [(r.title, r.done) for r in rows] == [(f"专项监督调查：{inv.title}", True)]
    counts = selectors.investigator_done_counts([users["monitor"].pk, users["agency"].pk], f.ago(1), f.today())
    assert counts == {users["monitor"].pk: 1}
    from fazhi.supervision.duties import DUTY_SOURCES

    assert DUTY_SOURCES["investigation"].rows(users["monitor"]) == rows


def test_basis_lookup_by_number_or_code(w, users):
    from fazhi.core.errors import DomainError

    assert selectors.basis_lookup(user=users["supervisor"], kind="case", ref=w["case"].number) == w["case"].pk
    assert selectors.basis_lookup(user=users["supervisor"], kind="case", ref=str(w["case"].pk)) == w["case"].pk
    with pytest.raises(DomainError) as exc:
        selectors.basis_lookup(user=users["agency2"], kind="case", ref=w["case"].number)
    assert exc.value.field == "basis_id"
    from fazhi.complaints.tests import factories as cf

    complaint, _ = cf.submit()
    assert (
        selectors.basis_lookup(user=users["supervisor"], kind="complaint", ref=complaint.tracking_code) == complaint.pk
    )


def test_the_investigation_link_kind_follows_the_viewer(w, users):
    from fazhi.core.errors import DomainError
    from fazhi.supervision.links import link_label, link_resolve

    inv = f.open_investigation(users, w["case"])
    linked = link_resolve(user=users["agency"], kind="investigation", pk=inv.pk)
    assert (linked.label, linked.url, linked.unit_id) == (
        f"专项监督调查：{inv.title}",
        f"/supervision/accountability/investigations/{inv.pk}/",
        w["market"].pk,
    )
    assert link_resolve(user=None, kind="investigation", pk=inv.pk).id == inv.pk
    assert link_label(user=users["agency2"], kind="investigation", pk=inv.pk) is None
    with pytest.raises(DomainError) as exc:
        link_resolve(user=users["agency2"], kind="investigation", pk=inv.pk)
    assert exc.value.field == "basis_id"
