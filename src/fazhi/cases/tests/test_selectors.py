"""Case selectors: scope (本人 / subtree / all), filters, statistics, warning list, public disclosure search."""

import datetime as dt

import pytest

from fazhi.cases import selectors, services
from fazhi.cases.bulk_checks import cases_check_all
from fazhi.cases.tests import case_factories as cf
from fazhi.core.models import OperationLog

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world(org, users):
    m = cf.market(org, users)
    by = users["agency"]
    extra = cf.officer(m["agency"], "刘执法")
    mine = services.case_file(by=by, **cf.case_kwargs(m))  # handled by the `officer` login (o1)
    theirs = services.case_file(
        by=by,
        **cf.case_kwargs(
            m,
            handlers=[m["o2"].pk, extra.pk],
            title="无照经营",
            party_kind="person",
            party_name="张三",
            party_id_number=cf.PERSON_ID,
            party_uscc="",
        ),
    )
    eco = cf.agency(org[cf.ECOLOGY])
    eco_item = cf.power_item(eco)
    e1 = cf.officer(eco, "环境一")
    eco_case = services.case_file(
        by=users["agency2"],
        power_item=eco_item.pk,
        title="超标排放",
        party_kind="organisation",
        party_name="某化工厂",
        party_uscc=cf.ORG_USCC,
        filed_on=D(2025, 5, 6),
        handlers=[e1.pk],
    )
    return {"m": m, "mine": mine, "theirs": theirs, "eco_case": eco_case}


def ids(qs):
    return {c.pk for c in qs}


def test_scope_per_role(world, users):
    w = world
    assert ids(selectors.case_list(user=users["officer"])) == {w["mine"].pk}
    assert ids(selectors.case_list(user=users["agency"])) == {w["mine"].pk, w["theirs"].pk}
    assert ids(selectors.case_list(user=users["agency2"])) == {w["eco_case"].pk}
    assert ids(selectors.case_list(user=users["supervisor"])) == {w["mine"].pk, w["theirs"].pk, w["eco_case"].pk}
    # Two handlers never duplicate a row.
    assert selectors.case_list(user=users["supervisor"]).count() == 3


def test_filters(world, users):
    sup = users["supervisor"]
    F = selectors.CaseFilters
    assert ids(selectors.case_list(user=sup, filters=F(party_kind="person"))) == {world["theirs"].pk}
    assert ids(selectors.case_list(user=sup, filters=F(q="超标"))) == {world["eco_case"].pk}
    assert ids(selectors.case_list(user=sup, filters=F(date_from=D(2025, 5, 1)))) == {world["eco_case"].pk}
    assert ids(selectors.case_list(user=sup, filters=F(agency=world["m"]["agency"].pk, stage="filed"))) == {
        world["mine"].pk,
        world["theirs"].pk,
    }
    assert ids(selectors.case_list(user=sup, filters=F(rule="handlers_min_two"))) == {world["eco_case"].pk}
    assert ids(selectors.warning_list(user=sup, rule="handlers_min_two")) == {world["eco_case"].pk}


def test_party_display_masked_and_unmasked_view_logged(world, users):
    case = world["theirs"]
    assert selectors.case_party_display(user=users["agency"], case=case) == "110105********002X"
    assert not OperationLog.objects.filter(action="查看当事人身份证号").exists()
    assert selectors.case_party_display(user=users["supervisor"], case=case) == cf.PERSON_ID
    assert OperationLog.objects.filter(action="查看当事人身份证号", object_id=str(case.pk)).exists()


def test_compliance_statistics(world, users):
    cases_check_all(as_of=D(2025, 5, 10), sync_warnings=False)
    rows = {r["agency"]: r for r in selectors.compliance_by_agency(user=users["supervisor"])}
    assert rows[cf.MARKET]["checked"] == 2 and rows[cf.MARKET]["errors"] == 0 and rows[cf.MARKET]["rate"] == 100.0
    assert rows[cf.ECOLOGY]["checked"] == 1 and rows[cf.ECOLOGY]["errors"] == 1 and rows[cf.ECOLOGY]["rate"] == 0.0
    by_rule = {r["rule"]: r for r in selectors.compliance_by_rule(user=users["supervisor"])}
    assert by_rule["handlers_min_two"]["errors"] == 1 and by_rule["handlers_min_two"]["checked"] == 3
    assert by_rule["service_late"]["errors"] == 0 and by_rule["service_late"]["rate"] == 100.0
    # An agency sees only its own numbers.
    assert [r["agency"] for r in selectors.compliance_by_agency(user=users["agency2"])] == [cf.ECOLOGY]


def _disclose(users, m, n, day, **party):
    by = users["agency"]
    case = services.case_file(by=by, **cf.case_kwargs(m, **party))
    case = services.case_advance(case=case, by=by, stage="investigation", data={})
    case = services.case_advance(case=case, by=by, stage="notice", data={"notified_on": day - dt.timedelta(days=3)})
    case = services.case_advance(
        case=case,
        by=by,
        stage="decision",
        data={"decision_number": f"示市监罚〔2025〕{n}号", "decided_on": day, "penalty_kinds": ["警告"]},
    )
    case = services.case_advance(case=case, by=by, stage="service", data={"served_on": day})
    services.case_advance(case=case, by=by, stage="disclosure", data={"disclosed_on": day})
    return case


def test_disclosure_search_keyset_and_filters(org, users):
    m = cf.market(org, users)
    for n in range(5):
        _disclose(users, m, n, D(2025, 4, 1) + dt.timedelta(days=n))
    _disclose(
        users,
        m,
        99,
        D(2025, 4, 10),
        party_kind="person",
        party_name="王五",
        party_id_number=cf.PERSON_ID,
        party_uscc="",
    )
    first = selectors.disclosure_search(limit=4)
    assert first.rows[0].decision_number == "示市监罚〔2025〕99号" and first.next_cursor
    second = selectors.disclosure_search(limit=4, cursor=first.next_cursor)
    assert len(second.rows) == 2 and not second.next_cursor
    assert {d.pk for d in first.rows}.isdisjoint({d.pk for d in second.rows})
    assert [d.party_display for d in selectors.disclosure_search(party_kind="person").rows] == ["王某"]
    assert selectors.disclosure_search(q="王五").rows == []  # the full name is never published
    assert len(selectors.disclosure_search(q="罚〔2025〕3号").rows) == 1
    assert len(selectors.disclosure_search(date_from=D(2025, 4, 3), date_to=D(2025, 4, 4)).rows) == 2
    assert selectors.disclosure_search(cursor="garbage").rows  # a bad cursor is ignored


def test_disclosure_search_finds_two_character_terms_page_by_page(org, users, monkeypatch):
    """Two-character names and terms (pg_trgm cannot index them) through the search tokens; every term pages
    through its rows with the keyset cursor exactly once each, whether it is looked up
    through the index alone or within a window of the newest rows (on PostgreSQL; the window forced tight here)."""
    from fazhi.cases.models import Disclosure
    from fazhi.core import search

    m = cf.market(org, users)
    for n in range(7):
        _disclose(users, m, n, D(2025, 4, 1) + dt.timedelta(days=n % 3))
    _disclose(
        users,
        m,
        99,
        D(2025, 4, 10),
        party_kind="person",
        party_name="王五",
        party_id_number=cf.PERSON_ID,
        party_uscc="",
    )
    shown = Disclosure.objects.get(decision_number="示市监罚〔2025〕99号")
    assert "王某" in shown.search_tokens.split()
    assert [d.pk for d in selectors.disclosure_search(q="王某").rows] == [shown.pk]
    assert [d.pk for d in selectors.disclosure_search(q="王某", party_kind="organisation").rows] == []
    everyone = set(Disclosure.objects.values_list("pk", flat=True))
    days = sorted(Disclosure.objects.values_list("published_on", flat=True))

    def tight_window(db, table, column, kind):  # every token common, the quantiles those of the rows here
        return ({}, 1.0) if kind == "vector" else (days, float(len(days)))

    for window in (False, True):
        if window:
            monkeypatch.setattr(search, "_stats", tight_window)
            monkeypatch.setattr(search, "WINDOW_SLACK", 0.5)
            monkeypatch.setattr(search, "WINDOW_GROWTH", 1.5)
            monkeypatch.setattr(search, "WINDOW_MAX", 2.0)
        for q, limit in (("警告", 3), ("示市监", 2), ("罚〔2025〕3号", 3), ("2025", 20)):
            seen, cursor = [], ""
            while True:
                page = selectors.disclosure_search(q=q, limit=limit, cursor=cursor)
                seen += [d.pk for d in page.rows]
                if not page.next_cursor:
                    break
                cursor = page.next_cursor
            expected = set(Disclosure.objects.filter(search__icontains=q).values_list("pk", flat=True))
            assert len(seen) == len(set(seen)) and set(seen) == expected & everyone, (q, window)
    assert len(selectors.disclosure_search(q="罚〔2025〕3号").rows) == 1


def test_a_query_of_common_bigrams_walks_the_disclosures_holding_its_word(org, users, monkeypatch):
    """示罚〔2020〕-like queries: every bigram is common, so a page would walk the whole table; instead the rows that
    hold the word 2025 are walked in the portal's order (PostgreSQL: DisclosureWord, kept by a trigger). Every page
    holds exactly the substring search's rows, each once."""
    from django.db import connection

    from fazhi.cases.models import Disclosure, DisclosureWord
    from fazhi.core import search

    m = cf.market(org, users)
    for n in range(6):
        _disclose(users, m, n, D(2025, 4, 1) + dt.timedelta(days=n % 4))
    monkeypatch.setattr(search, "_stats", lambda db, table, column, kind: ({}, 1.0))  # every token common
    if connection.vendor != "postgresql":
        assert search.walking_word(Disclosure.objects.all(), "search_vector", "〔2025〕") is None
        return
    assert search.walking_word(Disclosure.objects.all(), "search_vector", "〔2025〕") == "2025"
    assert search.walking_word(Disclosure.objects.all(), "search_vector", "2025") is None  # not bounded
    # The trigger keeps the words: on insert (above), on a change of the tokens, on delete.
    one = Disclosure.objects.get(decision_number="示市监罚〔2025〕3号")
    assert set(DisclosureWord.objects.filter(disclosure=one).values_list("word", flat=True)) >= {"2025"}
    Disclosure.objects.filter(pk=one.pk).update(search_tokens="ABC 2026")
    assert set(DisclosureWord.objects.filter(disclosure=one).values_list("word", flat=True)) == {"ABC", "2026"}
    Disclosure.objects.filter(pk=one.pk).update(search_tokens=one.search_tokens)
    for q, limit in (("〔2025〕", 2), ("罚〔2025〕3号", 3), ("市监罚〔2025〕", 4), ("〔2024〕", 2)):
        seen, cursor = [], ""
        while True:
            page = selectors.disclosure_search(q=q, limit=limit, cursor=cursor)
            seen += [d.pk for d in page.rows]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        expected = list(
            Disclosure.objects.filter(search__icontains=q, withdrawn_at__isnull=True)
            .order_by("-published_on", "-id")
            .values_list("pk", flat=True)
        )
        assert seen == expected, q
    assert [d.pk for d in selectors.disclosure_search(q="〔2025〕", party_kind="person").rows] == []


def test_windows_without_any_match_widen_fast(org, users, monkeypatch):
    """A query no newest window holds (a number that is not there): each empty window widens 32-fold, so two are
    counted before the index over the whole table answers (eight-fold, it took three; each reads the rarest bigram
    again)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fazhi.core import search

    m = cf.market(org, users)
    for n in range(4):
        _disclose(users, m, n, D(2025, 4, 1) + dt.timedelta(days=n))
    if connection.vendor != "postgresql":
        return
    days = [D(2025, 4, 1) + dt.timedelta(days=n) for n in range(4)]
    monkeypatch.setattr(
        search, "_stats", lambda db, table, column, kind: ({}, 0.01) if kind == "vector" else (days, 1e6)
    )
    with CaptureQueriesContext(connection) as queries:
        assert selectors.disclosure_search(q="示市监罚〔2025〕77号").rows == []
    assert sum("COUNT(*)" in q["sql"] for q in queries.captured_queries) == 2
