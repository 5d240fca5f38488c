import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.complaints import selectors, services
from fazhi.complaints.tests import factories as f
from fazhi.core.errors import NotFound
from fazhi.core.models import OperationLog

pytestmark = pytest.mark.django_db


def test_agency_sees_only_its_assigned_complaints(users):
    mine, _ = f.assigned(users)
    unassigned, _ = f.submit()
    ids = set(selectors.complaint_list(user=users["agency"]).values_list("pk", flat=True))
    assert mine.pk in ids and unassigned.pk not in ids
    assert selectors.complaint_get(user=users["agency"], pk=mine.pk).pk == mine.pk
    with pytest.raises(NotFound):
        selectors.complaint_get(user=users["agency2"], pk=mine.pk)
    assert not selectors.complaint_list(user=users["agency2"]).filter(pk=mine.pk).exists()


def test_supervisor_sees_all(users):
    a, _ = f.assigned(users)
    b, _ = f.submit()
    ids = set(selectors.complaint_list(user=users["supervisor"]).values_list("pk", flat=True))
    assert {a.pk, b.pk} <= ids


def test_invited_supervisor_sees_own_clues_only(users):
    clue = services.clue_register(
        by=users["monitor"], category="profit", description="某执法大队下达罚款任务指标，以罚代管。"
    )
    other, _ = f.submit()
    qs = selectors.complaint_list(user=users["monitor"])
    assert list(qs.values_list("pk", flat=True)) == [clue.pk]
    assert other.pk not in qs.values_list("pk", flat=True)


def test_identity_masked_for_agency_and_never_revealed(users):
    complaint, _ = f.assigned(users, name="欧阳晓明", phone="13912345678", email="oyxm@example.com")
    ident = selectors.complainant_identity(user=users["agency"], complaint=complaint, reveal_reason="核实")
    assert (
        ident.masked and ident.name == "欧阳某" and ident.phone == "139****5678" and ident.email == "o***@example.com"
    )
    assert not OperationLog.objects.filter(action="查看投诉人信息").exists()


def test_identity_revealed_to_supervisor_and_logged(users):
    complaint, _ = f.submit(name="王小明", phone="13912345678")
    masked = selectors.complainant_identity(user=users["supervisor"], complaint=complaint)
    assert masked.masked and masked.name == "王某"
    full = selectors.complainant_identity(
        user=users["supervisor"], complaint=complaint, reveal_reason="回访核实", ip="10.0.0.9"
    )
    assert not full.masked and full.name == "王小明" and full.phone == "13912345678"
    log = OperationLog.objects.get(action="查看投诉人信息")
    assert log.user == users["supervisor"] and log.object_id == str(complaint.pk) and log.ip == "10.0.0.9"


def test_duplicates_same_place_similar_text(users):
    a, _ = f.submit(
        place="东城区人民路12号", description="人民路12号的烧烤店油烟扰民，城管执法人员多次接到投诉都不处理。"
    )
    b, _ = f.submit(place="东城区人民路12号", description="人民路12号烧烤店油烟扰民严重，城管执法人员接到投诉不处理。")
    c, _ = f.submit(place="东城区人民路12号", description="我要投诉出租车司机绕路多收费，交通执法部门没有回复。")
    d, _ = f.submit(place="西城区新桥镇", description="人民路12号的烧烤店油烟扰民，城管执法人员多次接到投诉都不处理。")
    found = [d.complaint.pk for d in selectors.complaint_duplicates(complaint=a)]
    assert b.pk in found and c.pk not in found and d.pk not in found


def test_public_view_shows_progress_and_reply_only(users):
    complaint, _ = f.replied(users)
    view = selectors.public_view(complaint=complaint)
    assert view.status_label == "已受理，正在办理" and view.reply is None  # not approved yet
    services.complaint_approve(by=users["supervisor"], complaint=complaint)
    complaint.refresh_from_db()
    view = selectors.public_view(complaint=complaint)
    assert view.reply["findings"].startswith("经核查") and view.may_rate
    assert not hasattr(view, "agency") and "张法制" not in str(view.__dict__)


def test_stats_by_dimensions(users):
    answered, _ = f.answered(users)
    services.complaint_rate(complaint=answered, satisfaction="basic")
    f.submit(category="inaction")
    for dimension in ("channel", "category", "agency", "division", "month"):
        rows = selectors.complaint_stats(user=users["supervisor"], dimension=dimension)
        assert sum(r.received for r in rows) >= 2
    rows = {r.label: r for r in selectors.complaint_stats(user=users["supervisor"], dimension="agency")}
    row = rows["示例市市场监督管理局"]
    assert row.answered == 1 and row.on_time_rate == 1.0 and row.satisfaction_rate == 1.0 and row.avg_days == 0
    agency_rows = selectors.complaint_stats(user=users["agency2"], dimension="agency")
    assert all(r.label != "示例市市场监督管理局" for r in agency_rows)


def test_stats_rollup_gives_the_same_figures_as_live(users):
    import datetime as dt

    from django.utils import timezone

    from fazhi.complaints.models import Complaint, MonthlyStat

    done, _ = f.answered(users)
    services.complaint_rate(complaint=done, satisfaction="satisfied")
    f.answered(users)
    f.submit(category="inaction")
    f.assigned(users)
    # Spread them over past months so that the rollup covers them.
    for i, c in enumerate(Complaint.objects.order_by("pk")):
        Complaint.objects.filter(pk=c.pk).update(received_at=timezone.now() - dt.timedelta(days=40 * (i + 1)))
    before = {
        d: [r.__dict__ for r in selectors.complaint_stats(user=users["supervisor"], dimension=d)]
        for d in selectors.DIMENSIONS
    }
    agency_before = [r.__dict__ for r in selectors.complaint_stats(user=users["agency"], dimension="month")]
    result = services.stats_refresh()
    assert result["months"] >= 3 and MonthlyStat.objects.exists()
    for d in selectors.DIMENSIONS:
        assert [r.__dict__ for r in selectors.complaint_stats(user=users["supervisor"], dimension=d)] == before[d]
    assert [r.__dict__ for r in selectors.complaint_stats(user=users["agency"], dimension="month")] == agency_before
    # A date range that cuts months in two: partial months live, whole months from the rollup.
    start = timezone.localdate() - dt.timedelta(days=100)
    ranged = selectors.complaint_stats(user=users["supervisor"], dimension="channel", date_from=start)
    assert sum(r.received for r in ranged) == Complaint.objects.filter(received_at__date__gte=start).count()
    assert services.stats_refresh()["months"] >= 1  # the months with open complaints are rebuilt again


def test_assigned_complaint_in_agency_inbox_and_red_when_overdue(users):
    import datetime as dt

    from django.utils import timezone

    from fazhi.tracking.selectors import inbox
    from fazhi.tracking.services import item_change_deadline

    complaint, _ = f.assigned(users)
    box = inbox(user=users["agency"], kind="complaint")
    assert complaint.item_id in [i.pk for i in box.items]
    item_change_deadline(
        item=complaint.item,
        by=users["supervisor"],
        deadline=timezone.localdate() - dt.timedelta(days=1),
        reason="测试超期",
    )
    assert inbox(user=users["agency"], kind="complaint").counts["red"] == 1
    assert complaint.pk in selectors.complaint_list(
        user=users["supervisor"], filters=selectors.ComplaintFilters(light="red")
    ).values_list("pk", flat=True)
    services.complaint_reply(
        by=users["agency"], complaint=complaint, findings="经核查属实，已整改。", measures="批评教育"
    )
    assert complaint.item_id in [i.pk for i in inbox(user=users["supervisor"], kind="complaint").items]
    assert complaint.item_id not in [i.pk for i in inbox(user=users["agency"], kind="complaint").items]


# ---------------------------------------------------------------- the 督办 desk's 待受理 section (issue 9)


def test_received_complaints_are_on_the_supervisors_desk_with_their_acceptance_deadline(users):
    import datetime as dt

    from django.utils import timezone

    from fazhi.tracking.selectors import desk
    from fazhi.workdays.calendar import add_calendar_days

    today = timezone.localdate()
    web, _ = f.submit()
    old = timezone.now() - dt.timedelta(days=20)
    hotline, _ = f.submit(channel="hotline", received_at=old, name="", phone="")
    sections = {s.code: s for s in desk(user=users["supervisor"], today=today).sections}
    queue = sections["complaints_received"]
    assert queue.label == "待受理投诉" and queue.total == 2
    rows = {r["url"]: r for r in queue.rows}
    first = rows[f"/complaints/{hotline.pk}/"]
    assert first is queue.rows[0]  # oldest first
    assert first["light"] == "red" and "12345" in first["deadline_source"]
    row = rows[f"/complaints/{web.pk}/"]
    assert row["deadline"] == add_calendar_days(today, 15) and "信访工作条例" in row["deadline_source"]
    assert row["light"] == "green"
    # Not for those who do not triage.
    assert "complaints_received" not in {s.code for s in desk(user=users["agency"], today=today).sections}


# ---------------------------------------------------------------- keyword search (core/search.py)

_SEARCH_ALPHABET = "李四张三罚款噪音扰民川市aAbB19 ，-①ßı"


def _search_ids(users, q: str, among: set[int]) -> set[int]:
    qs = selectors.complaint_list(user=users["supervisor"], filters=selectors.ComplaintFilters(q=q))
    return set(qs.values_list("pk", flat=True)) & among


def _icontains_ids(q: str, among: set[int]) -> set[int]:
    from django.db.models import Q

    from fazhi.complaints.models import Complaint
    from fazhi.core.normalize import clean_text

    q = clean_text(q)
    return set(
        Complaint.objects.filter(
            Q(tracking_code__iexact=q)
            | Q(work_order_no__iexact=q)
            | Q(description__icontains=q)
            | Q(place__icontains=q)
            | Q(party__icontains=q),
            pk__in=among,
        ).values_list("pk", flat=True)
    )


def test_search_finds_two_character_names_and_terms(users):
    noisy, _ = f.submit(description="楼下KTV噪音扰民营业到深夜，多次反映无果。", party="李四", place="东城区滨江路")
    fined, _ = f.submit(description="执法人员当场罚款五千元且不开具票据，态度恶劣。", party="张三")
    assert noisy.search_tokens and "李四" in noisy.search_tokens.split()
    among = {noisy.pk, fined.pk}
    assert _search_ids(users, "李四", among) == {noisy.pk}
    assert _search_ids(users, "罚款", among) == {fined.pk}
    assert _search_ids(users, "噪音扰民", among) == {noisy.pk}
    assert _search_ids(users, "滨江", among) == {noisy.pk}
    assert _search_ids(users, "ktv", among) == {noisy.pk}
    assert _search_ids(users, "李四川", among) == set()
    assert _search_ids(users, noisy.tracking_code.lower(), among) == {noisy.pk}


def test_imported_orders_get_search_tokens(users):
    import datetime as dt

    from django.utils import timezone

    from fazhi.complaints.models import Complaint

    rows = [
        {
            "work_order_no": "HL-SEARCH-1",
            "received_at": timezone.now() - dt.timedelta(days=1),
            "content": "工地夜间施工噪音扰民，请求查处。",
            "handling_unit_name": "",
            "handling_unit": None,
        },
    ]
    services.hotline_bulk_create(by=users["supervisor"], rows=rows)
    order = Complaint.objects.get(work_order_no="HL-SEARCH-1")
    assert "噪音" in order.search_tokens.split()
    assert _search_ids(users, "噪音", {order.pk}) == {order.pk}
    assert _search_ids(users, "hl-search-1", {order.pk}) == {order.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_search_goes_through_the_token_index_on_postgresql(users):
    from fazhi.complaints.models import Complaint

    complaint, _ = f.submit(description="执法人员当场罚款五千元且不开具票据，态度恶劣。")
    Complaint.objects.filter(pk=complaint.pk).update(search_tokens="")
    # Without its tokens the row is not found: the token index decides, icontains only confirms.
    assert _search_ids(users, "罚款", {complaint.pk}) == set()
    assert _icontains_ids("罚款", {complaint.pk}) == {complaint.pk}
    qs = selectors.complaint_list(user=users["supervisor"], filters=selectors.ComplaintFilters(q="罚款"))
    # The index must be on exactly the expression the query uses; with only bitmap scans allowed it is the way.
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "Bitmap Index Scan on complaint_search_vector_gin" in plan


def test_search_for_a_common_term_pages_through_exactly_its_rows(users, monkeypatch):
    """A list page reads a window of the newest rows (core/search.py, `first`): on PostgreSQL, with a window forced
    tight, the list still holds exactly the substring search's rows, page after page, and its capped count."""
    from fazhi.complaints.models import Complaint
    from fazhi.core import search
    from fazhi.core.paging import CappedPaginator

    common = [f.submit(description=f"执法人员当场罚款{n}元，不开具票据。")[0] for n in range(23)]
    other = [f.submit(description="工地夜间施工噪音扰民，影响休息。")[0] for _ in range(3)]
    among = {c.pk for c in common + other}
    times = sorted(Complaint.objects.values_list("received_at", flat=True))
    assert _search_ids(users, "罚款", among) == _icontains_ids("罚款", among) == {c.pk for c in common}
    for window in (False, True):
        if window:  # every token common and the quantiles those of the rows here: the window starts small
            monkeypatch.setattr(
                search, "_stats", lambda db, t, c, kind: ({}, 1.0) if kind == "vector" else (times, float(len(times)))
            )
            monkeypatch.setattr(search, "WINDOW_SLACK", 0.5)
            monkeypatch.setattr(search, "WINDOW_MAX", 2.0)
        for cap, first in ((200, 201), (15, 16)):
            qs = selectors.complaint_list(
                user=users["supervisor"], filters=selectors.ComplaintFilters(q="罚款"), first=first
            )  # nothing filtered after the window is chosen: `first` promises the list is read as it is
            pages = CappedPaginator(qs, 10, cap=cap)
            seen = [c.pk for n in pages.page_range for c in pages.page(n)]
            everything = sorted(c.pk for c in common)
            if cap == 200:
                assert not pages.capped and pages.count == 23 and sorted(seen) == everything, window
            else:
                assert pages.capped and pages.count == 15 and pages.num_pages == 2, window
                assert seen == [c.pk for c in sorted(common, key=lambda c: (c.received_at, c.pk), reverse=True)][:15]
        rare = selectors.complaint_list(
            user=users["supervisor"], filters=selectors.ComplaintFilters(q="噪音"), first=201
        )
        assert {c.pk for c in rare} == {c.pk for c in other}


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    texts=st.lists(
        st.tuples(
            st.text(alphabet=_SEARCH_ALPHABET, min_size=1, max_size=30),
            st.text(alphabet=_SEARCH_ALPHABET, max_size=8),
            st.text(alphabet=_SEARCH_ALPHABET, max_size=6),
        ),
        min_size=3,
        max_size=8,
    ),
    data=st.data(),
)
def test_search_finds_exactly_what_icontains_finds(users, texts, data):
    """On PostgreSQL through the bigram index, on SQLite through icontains: the same rows either way."""
    from fazhi.complaints.models import Complaint

    created = []
    try:
        for description, place, party in texts:
            created.append(
                services.complaint_submit(
                    channel="clue",
                    category="other",
                    description="投诉举报的具体内容如下：" + description,
                    place=place.strip(),
                    party=party.strip(),
                    name="测试",
                    phone=f.next_phone(),
                    by=users["supervisor"],
                )[0]
            )
        among = {c.pk for c in created}
        queries = data.draw(st.lists(st.text(alphabet=_SEARCH_ALPHABET, min_size=2, max_size=4), max_size=4))
        for description, _, _ in texts:
            start = data.draw(st.integers(min_value=0, max_value=len(description)))
            queries.append(description[start : start + data.draw(st.integers(min_value=2, max_value=6))])
        for q in queries:
            assert _search_ids(users, q, among) == _icontains_ids(q, among), q
    finally:
        Complaint.objects.filter(pk__in=[c.pk for c in created]).delete()
