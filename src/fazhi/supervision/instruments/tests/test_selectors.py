"""Who sees which instrument; the reply statistics per unit; the risk figures (new cases / complaints selectors)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.attachments import attachment_store
from fazhi.core.errors import DomainError, NotFound
from fazhi.supervision.instruments import rules, selectors, services
from fazhi.supervision.instruments.tests import factories as f
from fazhi.supervision.links import link_resolve
from fazhi.tracking.selectors import item_get

pytestmark = pytest.mark.django_db


def _visible(user) -> set[int]:
    return set(selectors.instrument_list(user=user).values_list("pk", flat=True))


def test_each_user_sees_only_what_is_his(users, today):
    draft = f.draft(users)
    market = f.issued(users, today=today)
    ecology = f.issued(users, today=today, recipient=f.ECOLOGY)
    bulletin = f.issued(users, today=today, kind=rules.BULLETIN, recipient=None, requirements="")
    assert _visible(users["supervisor"]) == {draft.pk, market.pk, ecology.pk, bulletin.pk}
    assert _visible(users["leader"]) == {market.pk, ecology.pk, bulletin.pk}  # drafts stay on the issuing side
    assert _visible(users["agency"]) == {market.pk, bulletin.pk}
    assert _visible(users["agency2"]) == {ecology.pk, bulletin.pk}
    for name in ("monitor", "officer", "admin"):  # invited supervisors, the 本人 scope, no permission
        assert _visible(users[name]) == set()
    with pytest.raises(NotFound):
        selectors.instrument_get(user=users["agency2"], pk=market.pk)
    with pytest.raises(NotFound):
        selectors.instrument_get(user=users["agency"], pk=draft.pk)
    # the tracked item (timeline, attachments) follows the instrument
    assert item_get(user=users["agency"], pk=market.item_id).pk == market.item_id
    with pytest.raises(NotFound):
        item_get(user=users["agency2"], pk=market.item_id)


def test_a_parent_agency_sees_its_branchs_instruments(users, today):
    east = f.issued(users, today=today, recipient=f.MARKET_EAST)
    assert east.pk in _visible(users["agency"]) and east.pk not in _visible(users["agency2"])


def test_filters(users, today):
    market = f.issued(users, today=today, title="关于执法公示问题的监督意见")
    reminder = f.issued(users, today=today, kind=rules.REMINDER, recipient=f.ECOLOGY)
    sup = users["supervisor"]

    def ids(**kw):
        return set(
            selectors.instrument_list(user=sup, filters=selectors.InstrumentFilters(**kw)).values_list("pk", flat=True)
        )

    assert ids(q="执法公示") == {market.pk}
    assert ids(q=market.number) == {market.pk}
    assert ids(q="生态环境") == {reminder.pk}
    assert ids(kind=rules.REMINDER) == {reminder.pk}
    assert ids(status=rules.DELIVERED) == {market.pk, reminder.pk}
    assert ids(light="green") == {market.pk, reminder.pk} and ids(light="red") == set()
    assert ids(date_from=today + dt.timedelta(days=1)) == set()
    row = selectors.instrument_list(user=sup).get(pk=market.pk)
    assert row.light == "green"


def test_the_link_kind_follows_the_scope(users, today):
    market = f.issued(users, today=today)
    linked = link_resolve(user=users["agency"], kind="instrument", pk=market.pk)
    assert linked.unit_id == market.recipient_id and market.number in linked.label
    assert linked.url == f"/supervision/instruments/{market.pk}/"
    with pytest.raises(DomainError) as exc:
        link_resolve(user=users["agency2"], kind="instrument", pk=market.pk)
    assert exc.value.field == "basis_id"


def test_files_of_an_instrument_only(users, today):
    inst = f.replied(users, today=today)
    doc = selectors.instrument_documents(instrument=inst).get()
    evidence = inst.replies.get().attachments.get()
    for pk in (doc.attachment_id, evidence.pk):
        assert selectors.instrument_file_get(user=users["agency"], pk=inst.pk, attachment_pk=pk).pk == pk
    with pytest.raises(NotFound):
        selectors.instrument_file_get(user=users["agency2"], pk=inst.pk, attachment_pk=doc.attachment_id)
    stranger = attachment_store(file=SimpleUploadedFile("别处.pdf", f.PDF), by=None)
    with pytest.raises(NotFound):
        selectors.instrument_file_get(user=users["supervisor"], pk=inst.pk, attachment_pk=stranger.pk)
    other = f.issued(users, today=today, recipient=f.ECOLOGY)
    with pytest.raises(NotFound):  # a file of another instrument through this one's route
        selectors.instrument_file_get(user=users["supervisor"], pk=other.pk, attachment_pk=doc.attachment_id)


def test_reply_stats_per_recipient(users, today):
    old = today - dt.timedelta(days=45)
    on_time = f.replied(users, today=old)
    services.instrument_accept(by=users["supervisor"], instrument=on_time)
    f.issued(users, today=old)  # never answered: overdue
    f.issued(users, today=today)  # running
    late = f.issued(users, today=old, recipient=f.ECOLOGY)
    services.instrument_acknowledge(by=users["agency2"], instrument=late)
    services.instrument_reply(by=users["agency2"], instrument=late, findings="已查", measures="已改", today=today)
    services.instrument_accept(by=users["supervisor"], instrument=late)
    f.issued(users, today=today, kind=rules.BULLETIN, recipient=None, requirements="")  # needs no reply
    f.draft(users)
    rows = {r.unit: r for r in selectors.instrument_reply_stats(date_from=old, date_to=today, today=today)}
    assert set(rows) == {f.MARKET, f.ECOLOGY}
    market, ecology = rows[f.MARKET], rows[f.ECOLOGY]
    assert (market.issued, market.replied_on_time, market.overdue, market.open) == (3, 1, 1, 1)
    assert market.on_time_rate == round(1 / 3, 4)
    assert (ecology.issued, ecology.replied_on_time, ecology.overdue, ecology.open) == (1, 0, 1, 0)
    # the period is the issue date; a viewer sees his units only
    assert selectors.instrument_reply_stats(date_from=today, date_to=today, today=today)[0].issued == 1
    mine = selectors.instrument_reply_stats(date_from=None, date_to=None, user=users["agency2"], today=today)
    assert [r.unit for r in mine] == [f.ECOLOGY]


def test_risk_figures_count_warnings_and_complaints_per_agency_in_the_period(users, org, today):
    from fazhi.complaints import services as complaint_services
    from fazhi.complaints.tests import factories as cf
    from fazhi.tracking.services import item_open

    start, end = rules.risk_period(today, 3)
    for day in (start, end, start - dt.timedelta(days=1)):
        item_open(
            kind="case_warning",
            title="风险预警",
            unit=org[f.MARKET],
            by=None,
            start=day,
            deadline=day,
            deadline_source="测试",
        )
    cf.assigned(users)
    kept, _ = cf.assigned(users)
    duplicate, _ = cf.submit()
    complaint_services.complaint_merge(by=users["supervisor"], primary=kept, duplicate=duplicate)  # not counted
    cf.submit()  # not assigned to any agency yet
    figures = selectors.risk_figures(date_from=start, date_to=end)
    assert figures[org[f.MARKET].pk] == (2, 2)
    assert org[f.ECOLOGY].pk not in figures
