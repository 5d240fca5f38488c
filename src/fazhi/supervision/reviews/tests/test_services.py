"""Every write of case-file review: what it does, and the bad input it refuses (a Chinese message naming the field,
nothing written)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from fazhi.cases.rules import RULES
from fazhi.core.errors import DomainError, Forbidden
from fazhi.documents.selectors import documents_for
from fazhi.supervision.reviews import demo, permissions, rules, sampling, selectors, services
from fazhi.supervision.reviews.imports import IMPORTER, rubric_xlsx
from fazhi.supervision.reviews.models import Campaign, ReviewFile, Rubric, RubricItem, ScoreLine
from fazhi.supervision.reviews.tests import factories as fx
from fazhi.supervision.signals import wrong_case_found
from fazhi.workdays.calendar import deadline_calendar_days

pytestmark = pytest.mark.django_db
MARKET, ECOLOGY = fx.MARKET, fx.ECOLOGY
D = Decimal


@pytest.fixture
def market(org):
    return fx.agency_setup(org[MARKET])


@pytest.fixture
def ecology(org):
    return fx.agency_setup(org[ECOLOGY])


@pytest.fixture
def signals():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    wrong_case_found.connect(receiver, dispatch_uid="review-test")
    yield received
    wrong_case_found.disconnect(dispatch_uid="review-test")


# ---------------------------------------------------------------- rubrics


def test_a_rubric_is_created_versioned_and_frozen_once_used(users, org, market):
    first = fx.rubric()
    assert first.version == 1 and first.sections.count() == 6 and first.items.filter(kind="veto").count() == 8
    assert (
        first.items.get(code="4.2").rule_code == "legal_review_missing" and first.items.get(code="4.2").caps_excellent
    )
    again = services.rubric_replace(by=users["supervisor"], rubric=first, name="改名", spec=demo.rubric_spec())
    assert again.name == "改名"
    fx.campaign(units=[org[MARKET]], rubric_obj=first)
    with pytest.raises(DomainError) as exc:
        services.rubric_replace(by=users["supervisor"], rubric=first, name="再改", spec=demo.rubric_spec())
    assert exc.value.field == "rubric" and "新版本" in exc.value.message
    first.frozen = True
    assert "edit" not in permissions.rubric_actions(user=users["supervisor"], obj=first)
    second = services.rubric_new_version(by=users["supervisor"], rubric=first)
    assert (second.version, second.previous_id, second.items.count()) == (2, first.pk, first.items.count())


def test_a_rubric_whose_points_do_not_add_up_is_refused_and_nothing_written(users):
    data = {"sections": [{"code": "一", "title": "主体", "points": 50, "row": 2}], "items": []}
    data["items"] = [{"code": "1.1", "title": "x", "section": "一", "points": 10, "deduction": 12, "row": 3}]
    before = Rubric.objects.count()
    with pytest.raises(DomainError) as exc:
        services.rubric_create(
            by=users["supervisor"],
            name="错误标准",
            year=2030,
            case_type="penalty",
            spec=services.rubric_spec_from(data),
        )
    fields = {(e["field"], e.get("row")) for e in exc.value.errors}
    assert ("points", None) in fields and ("deduction", 3) in fields
    assert "每处扣分 12 分超过该项分值 10 分" in " ".join(e["message"] for e in exc.value.errors)
    assert Rubric.objects.count() == before


def test_only_a_manager_with_the_whole_scope_defines_rubrics(users, dept_admin):
    with pytest.raises(Forbidden):
        services.rubric_create(by=users["agency"], name="x", year=2030, case_type="penalty", spec=demo.rubric_spec())


def _upload(rows) -> SimpleUploadedFile:
    return io.BytesIO(rubric_xlsx(rows))


def test_the_excel_round_trip_and_an_all_or_nothing_import(users):
    rubric = fx.rubric()
    rows = selectors.rubric_rows(rubric=rubric)
    header = {"name": "导入的标准", "year": 2031, "case_type": "penalty", "total": "100", "excellent_min": "90",
              "pass_min": "60"}  # fmt: skip
    dry = IMPORTER.run(_upload(rows), by=users["supervisor"], header=header)
    assert not dry.has_errors and not dry.committed and not Rubric.objects.filter(name="导入的标准").exists()
    done = IMPORTER.run(_upload(rows), by=users["supervisor"], header=header, commit=True)
    assert done.committed
    imported = Rubric.objects.get(name="导入的标准")
    assert selectors.rubric_rows(rubric=imported) == rows

    bad = [list(r) for r in rows]
    bad[1][6] = 9  # 1.1: 4 points, 9 per defect
    bad[0][5] = 15  # section 一: the sections add up to 105
    result = IMPORTER.run(_upload(bad), by=users["supervisor"], header={**header, "name": "坏标准"}, commit=True)
    assert result.has_errors and not result.committed
    messages = result.messages
    assert any(m.startswith("第 3 行“每处扣分”") and "超过该项分值" in m for m in messages), messages
    assert any("合计 105 分，与总分 100 分不符" in m for m in messages), messages
    assert not Rubric.objects.filter(name="坏标准").exists()


# ---------------------------------------------------------------- campaigns and the sample


def test_campaign_input_is_checked_field_by_field(users, org, market):
    by, rubric = users["supervisor"], fx.rubric()
    base = {
        "name": "评查",
        "year": 2030,
        "rubric": rubric,
        "agencies": [market["agency"]],
        "period_start": fx.today() - dt.timedelta(days=30),
        "period_end": fx.today(),
        "deadline": fx.today() + dt.timedelta(days=10),
        "today": fx.today(),
    }
    for change, field in [
        ({"agencies": []}, "agencies"),
        ({"period_end": fx.today() - dt.timedelta(days=60)}, "period_end"),
        ({"deadline": fx.today() - dt.timedelta(days=1)}, "deadline"),
        ({"percent": "150"}, "percent"),
        ({"min_per_agency": 0, "percent": 0}, "min_per_agency"),
        ({"disagreement_points": "0"}, "disagreement_points"),
        ({"procedures": ["summary"]}, "procedures"),
        ({"name": ""}, "name"),
    ]:
        with pytest.raises(DomainError) as exc:
            services.campaign_create(by=by, **{**base, **change})
        assert exc.value.field == field, (change, exc.value.message)
    assert not Campaign.objects.exists()
    with pytest.raises(Forbidden):
        services.campaign_create(by=users["agency"], **base)


def test_commit_then_draw_is_stratified_flags_included_and_verifiable(users, org, market, ecology):
    for _ in range(4):
        fx.decided_case(market)
    flagged = fx.decided_case(market, flaw="service_late")
    fx.decided_case(ecology)
    fx.decided_case(market, decided_on=fx.today() - dt.timedelta(days=400))  # outside the period
    c = fx.campaign(units=[org[MARKET], org[ECOLOGY]], min_per_agency=2, percent=Decimal("10"))
    by = users["supervisor"]
    with pytest.raises(DomainError) as exc:
        services.sample_draw(by=by, campaign=c)
    assert exc.value.field == "status"
    sample = services.sample_commit(by=by, campaign=c, today=fx.today())
    assert (sample.candidate_count, sample.flagged_count) == (6, 1)
    assert f"{market['agency'].pk}:" in sample.candidates and str(flagged.pk) in sample.flagged
    assert sample.commitment == sampling.commitment_of(
        seed_hash=sample.seed_hash,
        candidates_hash=sample.candidates_hash,
        flagged_hash=sample.flagged_hash,
        params_hash=sample.params_hash,
    )
    assert selectors.sample_published(campaign=c)["seed"] is None  # secret until the draw
    with pytest.raises(DomainError):
        services.sample_commit(by=by, campaign=c, today=fx.today())
    services.sample_draw(by=by, campaign=c)
    c.refresh_from_db()
    assert c.status == "reviewing"
    files = list(c.files.order_by("position"))
    market_files = [f for f in files if f.agency_id == market["agency"].pk]
    assert len([f for f in market_files if f.reason == "random"]) == 2
    assert flagged.pk in {f.case_id for f in market_files}
    assert len([f for f in files if f.agency_id == ecology["agency"].pk]) == 1
    assert selectors.sample_verify(campaign=c) == (True, [])
    assert c.item.events.filter(action="sample_drawn").exists()


def test_a_campaign_with_nothing_to_sample_draws_nothing(users, org, market):
    c = fx.campaign(units=[org[MARKET]])
    with pytest.raises(DomainError) as exc:
        services.sample_commit(by=users["supervisor"], campaign=c, today=fx.today())
    assert exc.value.field == "candidates"
    c.refresh_from_db()
    assert c.status == "draft"


# ---------------------------------------------------------------- reviewers


def test_assignment_is_balanced_and_nobody_reviews_his_own_agency(users, org, market, ecology):
    for _ in range(3):
        fx.decided_case(market)
        fx.decided_case(ecology)
    c = fx.drawn_campaign(units=[org[MARKET], org[ECOLOGY]], reviewers=("supervisor", "agency2", "monitor"))
    files = list(c.files.select_related("reviewer"))
    assert all(f.reviewer_id for f in files)
    assert not [f for f in files if f.agency_id == ecology["agency"].pk and f.reviewer == users["agency2"]]
    loads = selectors.pool_loads(campaign=c)
    assert max(loads.values()) - min(loads.values()) <= 1
    target = next(f for f in files if f.agency_id == ecology["agency"].pk)
    before = target.reviewer_id
    with pytest.raises(DomainError) as exc:
        services.file_assign(by=users["supervisor"], file=target, reviewer=users["agency2"], today=fx.today())
    assert exc.value.field == "reviewer" and exc.value.message.startswith("评查人员不得评查本单位案卷")
    target.refresh_from_db()
    assert target.reviewer_id == before
    with pytest.raises(DomainError) as exc:
        services.file_assign(by=users["supervisor"], file=target, reviewer=users["leader"], today=fx.today())
    assert exc.value.field == "reviewer" and "评查人员库" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.pool_add(by=users["supervisor"], campaign=c, user=users["officer"])
    assert exc.value.field == "reviewer" and "没有案卷评查权限" in exc.value.message


def test_a_branch_reviews_neither_its_bureau_nor_itself(users, org, market):
    from fazhi.core.models import Role, User

    branch = org["示例市市场监督管理局东城分局"]
    legal = User.objects.create(username="branch_legal", unit=branch, must_change_password=False)
    legal.roles.add(Role.objects.get(code="agency_legal"))
    fx.decided_case(market)
    c = fx.drawn_campaign(units=[org[MARKET]], reviewers=("supervisor",), assign=False)
    services.pool_add(by=users["supervisor"], campaign=c, user=legal)
    with pytest.raises(DomainError) as exc:
        services.file_assign(by=users["supervisor"], file=c.files.first(), reviewer=legal, today=fx.today())
    assert exc.value.field == "reviewer"


# ---------------------------------------------------------------- score sheets


def _one_file(org, market, users, *, flaw="service_late", **kwargs):
    fx.decided_case(market, flaw=flaw)
    c = fx.drawn_campaign(units=[org[MARKET]], min_per_agency=1, percent=Decimal("0"), **kwargs)
    return c, c.files.get()


def test_the_sheet_opens_with_the_statutory_deductions_prefilled(users, org, market):
    c, file = _one_file(org, market, users)
    by = users["supervisor"]
    sheet = services.sheet_open(by=by, file=file, today=fx.today())
    line = sheet.lines.get()
    assert (line.rubric_item.code, line.source, line.decision) == ("4.4", "prefill", "pending")
    assert line.citation == RULES["service_late"].citation and "七个工作日" in line.finding
    assert file.item.events.filter(action="sheet_opened").exists()
    with pytest.raises(DomainError) as exc:
        services.sheet_submit(by=by, sheet=sheet, today=fx.today())
    assert exc.value.field == "lines" and "未确认或推翻" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.sheet_line_decide(by=by, line=line, decision="override", reason="  ")
    assert exc.value.field == "reason"
    line.refresh_from_db()
    assert line.decision == "pending"
    services.sheet_line_decide(by=by, line=line, decision="confirm")
    item = c.rubric.items.get(code="4.4")  # 3 points, 1 per defect: one already deducted
    with pytest.raises(DomainError) as exc:
        services.sheet_line_add(by=by, sheet=sheet, rubric_item=item, defects=3, note="送达回证缺失")
    assert exc.value.field == "defects" and "超过该项分值 3 分" in exc.value.message
    assert sheet.lines.count() == 1
    with pytest.raises(DomainError) as exc:
        services.sheet_line_add(by=by, sheet=sheet, rubric_item=item, defects=1, note="")
    assert exc.value.field == "note"
    services.sheet_line_add(by=by, sheet=sheet, rubric_item=c.rubric.items.get(code="2.3"), defects=1, note="缺书证")
    result = services.sheet_submit(by=by, sheet=sheet, today=fx.today())
    assert (result.score, result.grade) == (D(95), "pass")  # 2.3 caps the grade below 优秀
    file.refresh_from_db()
    assert (file.status, file.score, file.grade, file.final_sheet_id) == ("final", D(95), "pass", sheet.pk)
    assert file.item.status == "closed"
    doc = documents_for(object_kind="review_file", object_id=file.pk).get()
    text = "\n".join(p.text for p in Document(doc.attachment.file.open("rb")).paragraphs)
    assert "行政执法案卷评查评分表" in text and "得分 95 分" in text and RULES["service_late"].citation in text


def test_an_override_keeps_its_reason_on_the_timeline(users, org, market):
    _, file = _one_file(org, market, users)
    by = users["supervisor"]
    sheet = services.sheet_open(by=by, file=file, today=fx.today())
    services.sheet_line_decide(by=by, line=sheet.lines.get(), decision="override", reason="已当场送达，有签收")
    services.sheet_submit(by=by, sheet=sheet, today=fx.today())
    file.refresh_from_db()
    assert (file.score, file.grade) == (D(100), "excellent")
    assert file.item.events.filter(action="prefill_overridden", comment__contains="已当场送达").exists()


def test_a_failed_veto_item_makes_the_file_fail_and_proposes_accountability(users, org, market, signals):
    _, file = _one_file(org, market, users, flaw="one_handler")
    by = users["supervisor"]
    sheet = services.sheet_open(by=by, file=file, today=fx.today())
    veto = sheet.lines.get(rubric_item__code="F3")
    assert veto.kind == "veto" and veto.citation == RULES["handlers_min_two"].citation
    services.sheet_line_decide(by=by, line=veto, decision="confirm")
    services.sheet_submit(by=by, sheet=sheet, today=fx.today())
    file.refresh_from_db()
    assert (file.score, file.grade, file.veto) == (D(0), "fail", True)
    [signal] = signals
    assert signal["source_kind"] == "review_file" and signal["source_id"] == file.pk
    assert signal["case_id"] == file.case_id and signal["unit_id"] == market["agency"].unit_id
    assert "不合格" in signal["source_label"] and signal["today"] == fx.today()


def test_only_the_assigned_reviewer_scores(users, org, market):
    _, file = _one_file(org, market, users)
    with pytest.raises(Forbidden):
        services.sheet_open(by=users["monitor"], file=file, today=fx.today())


def test_two_reviewers_who_disagree_wait_for_the_lead(users, org, market):
    c, file = _one_file(org, market, users, flaw="", reviewers=("supervisor", "monitor"), double_review=True)
    assert file.reviewer_id and file.second_reviewer_id
    first = services.sheet_open(by=file.reviewer, file=file, today=fx.today())
    services.sheet_submit(by=file.reviewer, sheet=first, today=fx.today())
    second = services.sheet_open(by=file.second_reviewer, file=file, today=fx.today())
    for code in ("2.3", "3.2"):
        item = c.rubric.items.get(code=code)
        services.sheet_line_add(by=file.second_reviewer, sheet=second, rubric_item=item, defects=2, note="问题")
    services.sheet_submit(by=file.second_reviewer, sheet=second, today=fx.today())  # 84 against 100
    file.refresh_from_db()
    assert file.status == "disagreement"
    with pytest.raises(DomainError) as exc:
        services.file_resolve(by=users["supervisor"], file=file, choose="second", reason="", today=fx.today())
    assert exc.value.field == "reason"
    services.file_resolve(by=users["supervisor"], file=file, choose="second", reason="证据链确有缺陷", today=fx.today())
    file.refresh_from_db()
    assert (file.status, file.score, file.final_sheet_id, file.resolution) == (
        "final",
        D(84),
        second.pk,
        "证据链确有缺陷",
    )


def test_two_reviewers_within_the_threshold_give_the_mean(users, org, market):
    c, file = _one_file(org, market, users, flaw="", reviewers=("supervisor", "monitor"), double_review=True)
    for reviewer, code in ((file.reviewer, "5.1"), (file.second_reviewer, "2.3")):
        sheet = services.sheet_open(by=reviewer, file=file, today=fx.today())
        services.sheet_line_add(by=reviewer, sheet=sheet, rubric_item=c.rubric.items.get(code=code), note="问题")
        services.sheet_submit(by=reviewer, sheet=sheet, today=fx.today())
    file.refresh_from_db()
    assert (file.status, file.score, file.grade) == ("final", D("97.5"), "pass")  # 2.3 caps the grade


# ---------------------------------------------------------------- results


def test_publish_report_opinions_and_rectification(users, org, market, ecology):
    for setup in (market, ecology):
        fx.decided_case(setup)
        fx.decided_case(setup, flaw="service_late")
    by = users["supervisor"]
    c = fx.drawn_campaign(units=[org[MARKET], org[ECOLOGY]], reviewers=("supervisor", "monitor"))
    with pytest.raises(DomainError) as exc:
        services.campaign_publish(by=by, campaign=c, today=fx.today())
    assert exc.value.field == "status" and "未定稿" in exc.value.message
    fx.score_all(c)
    services.campaign_publish(by=by, campaign=c, today=fx.today())
    c.refresh_from_db()
    assert c.status == "published" and c.published_on == fx.today() and c.item.status == "closed"

    document = services.campaign_report(by=by, campaign=c, today=fx.today())
    docx = Document(document.attachment.file.open("rb"))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "各单位排名" in text and "图1  各单位案卷平均分" in text and "图2  案卷等次分布" in text
    table = docx.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["名次", "单位", "案卷数", "平均分", "优秀", "合格", "不合格"]
    assert {table.rows[i].cells[1].text for i in (1, 2)} == {MARKET, ECOLOGY}
    assert len(docx.inline_shapes) == 2

    with pytest.raises(DomainError) as exc:
        services.opinions_issue(by=by, campaign=c, prefix="", today=fx.today())
    assert exc.value.field == "prefix"
    assert not c.opinions.exists()
    issued = services.opinions_issue(by=by, campaign=c, prefix="测评", today=fx.today())
    assert [o.number for o in issued] == [f"测评〔{fx.today().year}〕1号", f"测评〔{fx.today().year}〕2号"]
    opinion = next(o for o in issued if o.agency_id == market["agency"].pk)
    assert opinion.status == "issued" and any(d["item"] == "4.4" for d in opinion.defects)
    assert opinion.item.deadline == deadline_calendar_days(fx.today(), rules.rectification_days()).deadline
    assert opinion.item.deadline_source == rules.RECTIFICATION_SOURCE
    doc = documents_for(object_kind="review_opinion", object_id=opinion.pk).get()
    assert doc.number == opinion.number
    with pytest.raises(DomainError):
        services.opinions_issue(by=by, campaign=c, prefix="测评", today=fx.today())

    agency = users["agency"]
    with pytest.raises(Forbidden):
        services.opinion_report(by=users["agency2"], opinion=opinion, text="整改完毕")
    with pytest.raises(DomainError) as exc:
        services.opinion_report(by=agency, opinion=opinion, text=" ")
    assert exc.value.field == "text"
    services.opinion_report(by=agency, opinion=opinion, text="已整改")
    opinion.refresh_from_db()
    assert opinion.status == "reported" and opinion.item.status == "review"
    with pytest.raises(DomainError) as exc:
        services.opinion_return(by=by, opinion=opinion, reason="")
    assert exc.value.field == "reason"
    services.opinion_return(by=by, opinion=opinion, reason="送达问题未举一反三")
    opinion.refresh_from_db()
    assert opinion.status == "returned" and opinion.item.status == "returned"
    services.opinion_report(by=agency, opinion=opinion, text="已补充整改并组织学习")
    services.opinion_signoff(by=by, opinion=opinion, comment="同意销号")
    opinion.refresh_from_db()
    assert opinion.status == "closed" and opinion.item.status == "closed"
    actions = [e.action for e in opinion.item.events.order_by("seq")]
    assert actions[:1] == ["created"] and "rectification_returned" in actions and actions[-1] == "closed"


def test_figures_for_the_assessment_module(users, org, market):
    c = fx.finished_campaign(agency_units=[org[MARKET]])
    rows = selectors.review_scores_by_unit(date_from=fx.today(), date_to=fx.today())
    [row] = rows
    final = list(c.files.filter(status="final"))
    assert row["unit_id"] == org[MARKET].pk and row["files"] == len(final)
    mean = sum(f.score for f in final) / len(final)
    assert row["mean"] == mean.quantize(D("0.1"))
    assert row["excellent"] + row["pass"] + row["fail"] == len(final)
    assert selectors.review_scores_by_unit(date_from=fx.today() + dt.timedelta(days=1), date_to=fx.today()) == []


def test_nothing_is_written_when_a_line_is_refused(users, org, market):
    _, file = _one_file(org, market, users)
    sheet = services.sheet_open(by=users["supervisor"], file=file, today=fx.today())
    before = ScoreLine.objects.count()
    other = RubricItem.objects.exclude(rubric=file.campaign.rubric).first() or fx.rubric(name="另一标准").items.first()
    with pytest.raises(DomainError) as exc:
        services.sheet_line_add(by=users["supervisor"], sheet=sheet, rubric_item=other, note="x")
    assert exc.value.field == "rubric_item"
    assert ScoreLine.objects.count() == before
    assert ReviewFile.objects.get(pk=file.pk).status == "assigned"
