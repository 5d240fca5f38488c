"""Reads of 依法决策: scope of the lists, the filing statistics, the portal search (bigrams, keyset pages, state)."""

import datetime as dt

import pytest

from fazhi.core.errors import NotFound
from fazhi.core.search import index_tokens
from fazhi.rulemaking import selectors, services
from fazhi.rulemaking.models import NormativeFiling, PortalEntry
from fazhi.rulemaking.tests import factories as fx

pytestmark = pytest.mark.django_db


def test_lists_follow_the_unit_scope(users):
    d = fx.decision(users, to="listed")
    doc = fx.normative(users, to="review")
    for who, sees in (("agency", True), ("agency2", False), ("supervisor", True), ("leader", True)):
        assert selectors.decision_list(user=users[who]).filter(pk=d.pk).exists() == sees, who
        assert selectors.normative_list(user=users[who]).filter(pk=doc.pk).exists() == sees, who
    found = selectors.decision_list(user=users["agency"], filters=selectors.DecisionFilters(q="农贸"))
    assert list(found) == [d] and found[0].light in ("green", "yellow", "red")


def test_filing_statistics_per_unit_and_year(users):
    day = fx.today()
    docs = [fx.normative(users, to="published", title=f"示例市市场监督管理局规定{i}", day=day) for i in range(4)]
    agency = users["agency"]
    due = docs[0].filings.get().due_on
    services.normative_file(by=agency, document=docs[0], authority="gov", filed_on=day, proper=True, today=day)
    services.normative_file(by=agency, document=docs[1], authority="gov", filed_on=day, proper=False, today=day)
    late = due + dt.timedelta(days=5)
    services.normative_file(by=agency, document=docs[2], authority="gov", filed_on=late, proper=True, today=late)
    stats = selectors.filing_stats(user=users["supervisor"], year=day.year, today=late)
    row = next(r for r in stats.rows if r.unit == fx.MARKET)
    assert (row.due, row.filed, row.timely, row.proper, row.overdue_open) == (4, 3, 2, 2, 1)
    assert (row.filing_rate, row.timely_rate, row.proper_rate) == (75.0, 50.0, 66.7)
    assert stats.total.due == 4
    # The same counts, system-wide and per unit id, for the assessment module.
    figures = selectors.filing_figures_by_unit(year=day.year)
    uid = fx.unit(fx.MARKET).pk
    assert figures["filed"][uid] == (3, 4) and figures["timely"][uid] == (2, 4)
    assert selectors.filing_figures_by_unit(year=day.year - 5) == {"filed": {}, "timely": {}}
    assert selectors.filing_stats(user=users["agency2"], year=day.year).rows == []
    assert selectors.filing_stats(user=users["supervisor"], year=day.year - 5).rows == []


def _entry(n: int, title: str, text: str, day: dt.date, state: str = "in_force", valid_until=None) -> PortalEntry:
    search = f"{title} 示政规〔2055〕{n}号 示例市人民政府 {text}"
    return PortalEntry.objects.create(
        kind="normative",
        object_id=10_000 + n,
        title=title,
        number=f"示政规〔2055〕{n}号",
        issuer="示例市人民政府",
        published_on=day,
        state=state,
        valid_until=valid_until,
        search=search,
        search_tokens=index_tokens(search),
    )


def test_portal_search_two_character_terms_keyset_pages_and_state():
    base = dt.date(2055, 3, 1)
    for n in range(25):
        _entry(n, f"关于农贸市场管理的规定{n}", "市场开办者应当建立进货查验制度", base + dt.timedelta(days=n))
    _entry(99, "关于扬尘污染防治的规定", "施工工地应当设置围挡", base, state="repealed")
    _entry(98, "关于噪声污染防治的暂行规定", "夜间施工须经批准", base, valid_until=base)
    first = selectors.portal_search(q="农贸", today=base + dt.timedelta(days=40))
    assert len(first.rows) == 20 and first.next_cursor
    assert [r.published_on for r in first.rows] == sorted((r.published_on for r in first.rows), reverse=True)
    second = selectors.portal_search(q="农贸", cursor=first.next_cursor, today=base + dt.timedelta(days=40))
    assert len(second.rows) == 5 and not second.next_cursor
    assert not {r.pk for r in first.rows} & {r.pk for r in second.rows}
    assert [r.title for r in selectors.portal_search(q="围挡").rows] == ["关于扬尘污染防治的规定"]
    assert [r.title for r in selectors.portal_search(q="示政规〔2055〕99号").rows] == ["关于扬尘污染防治的规定"]
    today = base + dt.timedelta(days=1)
    assert selectors.portal_search(q="噪声", today=today).rows[0].shown_state == "expired"
    assert [r.title for r in selectors.portal_search(state="repealed", today=today).rows] == ["关于扬尘污染防治的规定"]
    assert "关于噪声污染防治的暂行规定" in [r.title for r in selectors.portal_search(state="expired", today=today).rows]
    assert "关于噪声污染防治的暂行规定" not in [
        r.title for r in selectors.portal_search(state="in_force", today=today).rows
    ]
    assert selectors.portal_search(q="没有这样的文件").rows == []


def test_public_reads_show_only_what_is_published(users):
    d = fx.decision(users, to="consultation")
    c = services.consultation_open(
        by=users["agency"],
        decision=d,
        starts_on=fx.today() + dt.timedelta(days=2),
        days=30,
        draft_text="草案",
        today=fx.today(),
    )
    assert not selectors.public_consultations(today=fx.today()).filter(pk=c.pk).exists()
    assert selectors.public_consultations(today=fx.today() + dt.timedelta(days=2)).filter(pk=c.pk).exists()
    doc = fx.normative(users, to="registered")
    with pytest.raises(NotFound):
        selectors.public_document_get(doc.pk)
    assert not NormativeFiling.objects.filter(document=doc).exists()
