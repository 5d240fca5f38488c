"""Reads of case-file review: who sees what (reviewers their files, agencies their results once published, the 本人
scope only its assignments), the campaign summary, the frozen candidate list, the duty source and the link kind."""

from decimal import Decimal

import pytest

from fazhi.core.errors import NotFound
from fazhi.supervision.duties import DUTY_SOURCES
from fazhi.supervision.links import LINK_KINDS, link_label
from fazhi.supervision.reviews import sampling, selectors, services
from fazhi.supervision.reviews.tests import factories as fx
from fazhi.tracking.selectors import inbox

pytestmark = pytest.mark.django_db
MARKET, ECOLOGY = fx.MARKET, fx.ECOLOGY


@pytest.fixture
def campaign(org, users):
    market, ecology = fx.agency_setup(org[MARKET]), fx.agency_setup(org[ECOLOGY])
    for _ in range(3):
        fx.decided_case(market)
        fx.decided_case(ecology)
    return fx.drawn_campaign(units=[org[MARKET], org[ECOLOGY]], reviewers=("supervisor", "agency2", "monitor"))


def _files(user, **kw):
    return set(selectors.file_list(user=user, filters=selectors.FileFilters(**kw)).values_list("pk", flat=True))


def test_reviewers_see_their_files_agencies_their_results_once_published(campaign, users, org):
    everything = set(campaign.files.values_list("pk", flat=True))
    assigned = {u: set(campaign.files.filter(reviewer=users[u]).values_list("pk", flat=True)) for u in users}
    ecology_files = set(campaign.files.filter(agency__unit=org[ECOLOGY]).values_list("pk", flat=True))
    market_files = everything - ecology_files
    assert _files(users["supervisor"]) == everything
    assert _files(users["leader"]) == everything
    assert _files(users["monitor"]) == assigned["monitor"] != set()
    assert _files(users["agency2"]) == assigned["agency2"] <= market_files
    assert _files(users["agency"]) == set()
    some_other = next(iter(everything - assigned["monitor"]))
    with pytest.raises(NotFound):
        selectors.file_get(user=users["monitor"], pk=some_other)
    # The campaign itself: the pool, the reviewed agencies, the organiser.
    for name in ("supervisor", "agency", "agency2", "monitor", "leader"):
        assert selectors.campaign_get(user=users[name], pk=campaign.pk)
    with pytest.raises(NotFound):
        selectors.campaign_get(user=users["officer"], pk=campaign.pk)

    fx.score_all(campaign)
    services.campaign_publish(by=users["supervisor"], campaign=campaign, today=fx.today())
    assert _files(users["agency"]) == market_files
    assert _files(users["agency2"]) == assigned["agency2"] | ecology_files
    assert _files(users["monitor"]) == assigned["monitor"]  # the 本人 scope: his assignments only


def test_a_reviewer_reads_his_own_sheet_the_agency_the_one_that_stands(campaign, users, org):
    fx.score_all(campaign)
    file = campaign.files.filter(reviewer=users["monitor"]).first()
    own = selectors.file_sheets(user=users["monitor"], file=selectors.file_get(user=users["monitor"], pk=file.pk))
    assert [s.reviewer_id for s in own] == [users["monitor"].pk]
    services.campaign_publish(by=users["supervisor"], campaign=campaign, today=fx.today())
    agency_user = users["agency"] if file.agency.unit == org[MARKET] else users["agency2"]
    seen = selectors.file_sheets(user=agency_user, file=selectors.file_get(user=agency_user, pk=file.pk))
    assert [s.pk for s in seen] == [file.final_sheet_id]


def test_the_summary_ranks_agencies_by_mean_with_grades_and_defects(campaign, users, org):
    fx.score_all(campaign)
    summary = selectors.campaign_summary(campaign=campaign)
    assert {r["agency"] for r in summary} == {MARKET, ECOLOGY}
    for row in summary:
        files = list(campaign.files.filter(agency_id=row["agency_id"]))
        mean = sum(f.score for f in files) / len(files)
        assert row["mean"] == mean.quantize(Decimal("0.1"))
        assert (row["files"], row["final"]) == (len(files), len(files))
        assert row["excellent"] + row["pass"] + row["fail"] == len(files)
        assert row["defects"][0] == {
            "code": "5.2",
            "title": campaign.rubric.items.get(code="5.2").title,
            "files": len(files),
        }
    assert [r["rank"] for r in summary] == [1, 2] and summary[0]["mean"] >= summary[1]["mean"]
    totals = selectors.campaign_totals(campaign=campaign)
    assert totals["final"] == totals["files"] == campaign.files.count()
    assert selectors.campaign_defects(campaign=campaign)[0]["code"] == "5.2"


def test_the_frozen_list_is_the_canonical_text_of_the_scope(campaign):
    from fazhi.cases.selectors import review_candidates

    cand_text, flag_text, n, n_flagged = selectors.frozen_candidates(campaign=campaign)
    rows = review_candidates(
        agency_ids=list(campaign.agencies.values_list("pk", flat=True)),
        date_from=campaign.period_start,
        date_to=campaign.period_end,
    ).values_list("agency_id", "id", "flagged")
    groups, warned = {}, {}
    for agency, case, flag in rows:
        groups.setdefault(agency, []).append(case)
        if flag:
            warned.setdefault(agency, []).append(case)
    assert cand_text == sampling.canonical_groups(groups) and n == sum(map(len, groups.values()))
    assert flag_text == sampling.canonical_groups(warned) and n_flagged == sum(map(len, warned.values()))
    assert sampling.parse_groups(cand_text) == {a: sorted(v) for a, v in groups.items()}
    assert campaign.sample.candidates == cand_text


def test_the_duty_source_lists_an_invited_supervisors_assignments(campaign, users):
    source = DUTY_SOURCES["reviews"]
    assert source.label == "案卷评查"
    mine = campaign.files.filter(reviewer=users["monitor"]).count()
    rows = source.rows(users["monitor"])
    assert len(rows) == mine and {r.status for r in rows} == {"待评查"} and not any(r.done for r in rows)
    fx.score_all(campaign)
    rows = source.rows(users["monitor"])
    assert all(r.done and r.status == "已提交" for r in rows)
    counts = source.done_counts([users["monitor"].pk, users["leader"].pk], fx.today(), fx.today())
    assert counts == {users["monitor"].pk: mine}


def test_the_link_kind_follows_the_viewers_scope(campaign, users):
    file = campaign.files.filter(reviewer=users["monitor"]).first()
    assert "review_file" in LINK_KINDS
    linked = link_label(user=users["monitor"], kind="review_file", pk=file.pk)
    assert linked.url.endswith(f"/supervision/reviews/files/{file.pk}/") and campaign.name in linked.label
    assert linked.unit_id == file.agency.unit_id
    assert link_label(user=users["agency"], kind="review_file", pk=file.pk) is None
    assert LINK_KINDS["review_file"].resolve(None, file.pk).id == file.pk


def test_a_reviewers_files_are_in_his_inbox(campaign, users):
    items = inbox(user=users["monitor"], today=fx.today()).items
    mine = set(campaign.files.filter(reviewer=users["monitor"]).values_list("item_id", flat=True))
    assert mine and mine <= {i.pk for i in items}


def test_opinions_follow_the_agency(org, users):
    c = fx.finished_campaign(agency_units=[org[MARKET]])
    opinion = c.opinions.get()
    assert selectors.opinion_get(user=users["agency"], pk=opinion.pk)
    for name in ("agency2", "monitor"):
        with pytest.raises(NotFound):
            selectors.opinion_get(user=users[name], pk=opinion.pk)
