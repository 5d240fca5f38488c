import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Division, Notification
from fazhi.inspections import draw as draw_algo
from fazhi.inspections import selectors, services
from fazhi.inspections.imports import IMPORTER, enterprise_import
from fazhi.inspections.models import Draw, DrawAssignment, Enterprise, InspectionRecord
from fazhi.inspections.tests import factories as fx
from fazhi.tracking.models import TrackedItem

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def market(users):
    agency = fx.make_agency(fx.MARKET)
    item = fx.make_item(agency)
    officers = fx.make_pool(agency, 4)
    fx.make_enterprises(20, risk="d_high")
    fx.make_enterprises(30, risk="a_low", division="439903")
    return {"agency": agency, "item": item, "officers": officers, "user": users["agency"]}


def _plan(m, **kw):
    data = {
        "by": m["user"],
        "agency": m["agency"],
        "year": TODAY().year,
        "name": "年度计划",
        "items": [m["item"]],
        "proportions": {"d_high": 50, "低风险": "10%"},
        "period_start": TODAY(),
        "period_end": TODAY() + dt.timedelta(days=90),
    }
    data.update(kw)
    return services.plan_create(**data)


def _published_plan(m):
    plan = _plan(m)
    return services.plan_publish(by=m["user"], plan=plan)


# ---------------------------------------------------------------- enterprises


def test_enterprise_create_validates_credit_code(users):
    div = Division.objects.get(code="439902")
    e = services.enterprise_create(
        by=users["agency"],
        uscc=" " + fx.make_uscc(1).lower(),
        name="甲公司",
        division=div,
        industry="c1391",
        risk_level="高风险",
    )
    assert e.uscc == fx.make_uscc(1) and e.industry == "C1391" and e.risk_level == "d_high"
    with pytest.raises(DomainError) as exc:
        services.enterprise_create(by=users["agency"], uscc="91439902000000001X", name="乙", division=div)
    assert exc.value.field == "uscc" and "GB 32100" in exc.value.message
    with pytest.raises(DomainError, match="已登记"):
        services.enterprise_create(by=users["agency"], uscc=fx.make_uscc(1), name="丙", division=div)
    with pytest.raises(Forbidden):
        services.enterprise_create(by=users["monitor"], uscc=fx.make_uscc(2), name="丁", division=div)


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    ws = book.active
    ws.append([c.header for c in IMPORTER.columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    return buf


def test_import_dry_run_then_commit(users):
    rows = [
        [fx.make_uscc(101), "导入一", "有限责任公司", "C1391", "439902", "", "张三", "高风险", "A", ""],
        [fx.make_uscc(102), "导入二", "", "", "439903", "", "", "", "", "高新园区"],
    ]
    result = enterprise_import(by=users["agency"], fileobj=_xlsx(rows), commit=False)
    assert not result.has_errors and not result.committed
    assert not Enterprise.objects.filter(name="导入一").exists()
    result = enterprise_import(by=users["agency"], fileobj=_xlsx(rows), commit=True)
    assert result.committed and Enterprise.objects.get(name="导入二").group == "高新园区"


def test_import_duplicate_in_file_names_both_rows_and_writes_nothing(users):
    code = fx.make_uscc(201)
    rows = [
        [code, "甲", "", "", "439902"],
        [fx.make_uscc(202), "乙", "", "", "439902"],
        [code.lower(), "甲二", "", "", "439902"],
        ["123", "丙", "", "", "439902"],
        [fx.make_uscc(203), "丁", "", "", "999999"],
    ]
    result = enterprise_import(by=users["agency"], fileobj=_xlsx(rows), commit=True)
    assert not result.committed
    messages = result.messages
    assert any("第 4 行" in m and "第 2 行重复" in m for m in messages)
    assert any("第 5 行" in m and "GB 32100" in m for m in messages)
    assert any("第 6 行" in m and "999999" in m for m in messages)
    assert not Enterprise.objects.filter(name__in=["甲", "乙"]).exists()


# ---------------------------------------------------------------- plans and draws


def test_plan_rejects_proportion_above_100(market):
    with pytest.raises(DomainError) as exc:
        _plan(market, proportions={"d_high": 120})
    assert exc.value.field == "proportions" and "0%–100%" in exc.value.message
    with pytest.raises(DomainError, match="不是数字"):
        _plan(market, proportions={"d_high": "很多"})


def test_plan_publish_before_period_start(market):
    plan = _plan(market, period_start=TODAY() - dt.timedelta(days=1))
    with pytest.raises(DomainError, match="开始"):
        services.plan_publish(by=market["user"], plan=plan)


def test_commit_draw_publish_and_verify(market, users):
    plan = _published_plan(market)
    draw = services.draw_commit(by=market["user"], plan=plan, item=market["item"])
    assert draw.status == "committed" and draw.candidate_count == 50 and draw.inspector_count == 4
    public = selectors.draw_verification(draw=draw)
    assert public["seed"] is None and public["commitment"] == draw.commitment
    draw = services.draw_perform(by=market["user"], draw=draw)
    assigned = DrawAssignment.objects.filter(draw=draw)
    assert assigned.count() == 10 + 3  # ⌈20 × 50 %⌉ + ⌈30 × 10 %⌉
    for a in assigned:
        assert a.inspectors.count() == 2
    services.draw_publish(by=market["user"], draw=draw)
    draw.refresh_from_db()
    assert selectors.draw_verify(draw=draw) == (True, [])
    Draw.objects.filter(pk=draw.pk).update(candidates=draw.candidates.replace("d_high", "a_low", 1))
    draw.refresh_from_db()
    ok, problems = selectors.draw_verify(draw=draw)
    assert not ok and problems


def test_draw_excludes_conflicts_and_recently_inspected(market):
    ents = list(Enterprise.objects.filter(risk_level="d_high"))
    for e in ents:
        for o in market["officers"][:2]:
            services.conflict_declare(by=market["user"], officer=o, enterprise=e, reason="亲属任职")
    plan = _published_plan(market)
    draw = services.draw_perform(
        by=market["user"], draw=services.draw_commit(by=market["user"], plan=plan, item=market["item"])
    )
    blocked = {o.pk for o in market["officers"][:2]}
    for a in draw.assignments.filter(risk_level="d_high"):
        assert not blocked & {o.pk for o in a.inspectors.all()}
    # Record an inspection for the same item; the next draw leaves that enterprise out.
    a = draw.assignments.first()
    services.inspection_record_create(by=market["user"], assignment=a, inspected_on=TODAY())
    again = services.draw_commit(by=market["user"], plan=plan, item=market["item"])
    ids = {eid for eid, _ in draw_algo.parse_candidates(again.candidates)}
    assert a.enterprise_id not in ids and again.candidate_count == 49


def test_draw_with_empty_or_small_pool_draws_nothing(users):
    agency = fx.make_agency(fx.ECO)
    item = fx.make_item(agency)
    fx.make_enterprises(5)
    m = {"agency": agency, "item": item, "user": users["agency2"]}
    plan = _published_plan(m)
    with pytest.raises(DomainError, match="检查人员库为空"):
        services.draw_commit(by=m["user"], plan=plan, item=item)
    fx.make_pool(agency, 1)
    fx.make_officer(agency, certified=False)  # not in the pool anyway
    with pytest.raises(DomainError, match="检查人员不足"):
        services.draw_commit(by=m["user"], plan=plan, item=item)
    assert not Draw.objects.filter(plan=plan).exists()


def test_redraw_needs_reason_and_voids_the_old_draw(market):
    plan = _published_plan(market)
    draw = services.draw_perform(
        by=market["user"], draw=services.draw_commit(by=market["user"], plan=plan, item=market["item"])
    )
    with pytest.raises(DomainError, match="理由"):
        services.draw_redraw(by=market["user"], draw=draw, reason=" ")
    new = services.draw_redraw(by=market["user"], draw=draw, reason="候选名录遗漏新登记企业")
    draw.refresh_from_db()
    assert draw.status == "superseded" and new.redraw_of == draw and new.status == "committed"
    assert selectors.draw_revealed(draw)  # the voided draw's seed and result become public
    assert selectors.draw_verify(draw=draw) == (True, [])


def test_other_agency_cannot_draw(market, users):
    plan = _published_plan(market)
    with pytest.raises(Forbidden):
        services.draw_commit(by=users["agency2"], plan=plan, item=market["item"])


# ---------------------------------------------------------------- records, quiet days, burden


def test_record_opens_publication_item_and_publish_closes_it(market):
    plan = _published_plan(market)
    draw = services.draw_perform(
        by=market["user"], draw=services.draw_commit(by=market["user"], plan=plan, item=market["item"])
    )
    record = services.inspection_record_create(
        by=market["user"],
        assignment=draw.assignments.first(),
        inspected_on=TODAY(),
        result="corrected",
        problems="台账缺失",
    )
    item = record.publication_item
    assert item.kind == "inspection_publication" and item.limit_days == 20 and item.limit_kind == "working"
    assert "国发〔2019〕5号" in item.deadline_source
    services.inspection_record_publish(by=market["user"], record=record)
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_on_time
    with pytest.raises(DomainError, match="已登记"):
        services.inspection_record_create(by=market["user"], assignment=draw.assignments.first(), inspected_on=TODAY())


def test_non_plan_record_needs_reason_and_two_inspectors(market):
    e = Enterprise.objects.first()
    kw = {"by": market["user"], "enterprise": e, "agency": market["agency"], "inspected_on": TODAY()}
    with pytest.raises(DomainError, match="事由"):
        services.inspection_record_create(source="complaint", inspectors=market["officers"][:2], **kw)
    with pytest.raises(DomainError, match="抽取结果"):
        services.inspection_record_create(source="random", inspectors=market["officers"][:2], **kw)
    with pytest.raises(DomainError, match="两名以上"):
        services.inspection_record_create(source="complaint", reason="投诉", inspectors=market["officers"][:1], **kw)
    r = services.inspection_record_create(source="referral", reason="交办", inspectors=market["officers"][:2], **kw)
    assert r.is_non_plan


def test_quiet_day_blocks_routine_but_not_complaint(market, users):
    e = Enterprise.objects.filter(division__code="439903").first()
    day = TODAY() - dt.timedelta(days=1)
    services.quiet_day_create(
        by=users["supervisor"], division=Division.objects.get(code="439900"), start_date=day, end_date=day
    )
    kw = {
        "by": market["user"],
        "enterprise": e,
        "agency": market["agency"],
        "inspected_on": day,
        "inspectors": market["officers"][:2],
    }
    with pytest.raises(DomainError, match="安静生产日"):
        services.inspection_record_create(source="referral", reason="交办", **kw)
    services.inspection_record_create(source="complaint", reason="投诉举报", **kw)
    with pytest.raises(Forbidden):
        services.quiet_day_create(by=market["user"], group="园区", start_date=day, end_date=day)


def test_burden_threshold_warns_supervisor_and_ranks(market, users, settings):
    settings.FAZHI = {**settings.FAZHI, "INSPECTION_BURDEN_THRESHOLD": 2}
    e = Enterprise.objects.first()
    for k in range(3):
        services.inspection_record_create(
            by=market["user"],
            enterprise=e,
            agency=market["agency"],
            source="complaint",
            reason=f"投诉{k}",
            inspected_on=TODAY(),
            inspectors=market["officers"][:2],
        )
    assert Notification.objects.filter(recipient=users["supervisor"], title__contains=e.name).exists()
    b = selectors.burden_statistics(
        user=users["supervisor"], date_from=dt.date(TODAY().year, 1, 1), date_to=dt.date(TODAY().year, 12, 31)
    )
    assert b.total == 3 and b.non_plan == 3 and b.over_threshold == 1 and b.enterprises == 1
    assert b.by_enterprise[0]["enterprise_id"] == e.pk and b.by_enterprise[0]["over"]
    assert b.by_agency[0]["inspections"] == 3
    assert (
        InspectionRecord.objects.count() == 3 and TrackedItem.objects.filter(kind="inspection_publication").count() == 3
    )
    # The supervisor's whole-year view reads the tallies; the agency's (unit scope) counts the records.
    year = (dt.date(TODAY().year, 1, 1), dt.date(TODAY().year, 12, 31))
    by_records = selectors.burden_statistics(user=market["user"], date_from=year[0], date_to=year[1])
    assert b.basis == "tally" and by_records.basis == "records"
    assert (b.total, b.non_plan, b.enterprises, b.by_enterprise) == (
        by_records.total,
        by_records.non_plan,
        by_records.enterprises,
        by_records.by_enterprise,
    )
    assert services.burden_tallies_rebuild() == 3  # the enterprise's and the agency's year, the agency's month
    assert services.burden_scan() == 1
    assert Notification.objects.filter(recipient=users["supervisor"], title__contains="超过 2 次").exists()
    again = selectors.burden_statistics(user=users["supervisor"], date_from=year[0], date_to=year[1])
    assert (again.total, again.by_enterprise, again.by_agency) == (b.total, b.by_enterprise, b.by_agency)


# ---------------------------------------------------------------- joint draws, feedback, month tallies


@pytest.fixture
def joint(market):
    eco = fx.make_agency(fx.ECO)
    eco_item = fx.make_item(eco)
    eco_officers = fx.make_pool(eco, 3)
    return {**market, "eco": eco, "eco_item": eco_item, "eco_officers": eco_officers}


def test_joint_plan_draw_verifies_and_records_one_visit(joint):
    m = joint
    with pytest.raises(DomainError, match="选择至少一项"):
        _plan(m, joint_agencies=[m["eco"]])
    plan = _plan(m, items=[m["item"], m["eco_item"]], joint_agencies=[m["eco"]])
    assert plan.is_joint and list(plan.joint_agencies.all()) == [m["eco"]]
    services.plan_publish(by=m["user"], plan=plan)
    draw = services.draw_commit(by=m["user"], plan=plan)
    assert draw.algorithm == draw_algo.JOINT_ALGORITHM and set(draw.joint_items.all()) == {m["item"], m["eco_item"]}
    draw = services.draw_publish(by=m["user"], draw=services.draw_perform(by=m["user"], draw=draw))
    assert selectors.draw_verify(draw=draw) == (True, [])
    for a in draw.assignments.prefetch_related("inspectors"):
        assert {o.agency_id for o in a.inspectors.all()} == {m["agency"].pk, m["eco"].pk}
    data = selectors.draw_verification(draw=draw)
    assert data["inspector_agencies"][str(m["eco_officers"][0].pk)] == m["eco"].pk
    assert not draw_algo.verify(
        {
            **data,
            "inspectors": data["inspectors"].replace(
                f"{m['eco_officers'][0].pk},{m['eco'].pk}", f"{m['eco_officers'][0].pk},{m['agency'].pk}"
            ),
        }
    )[0]
    a = draw.assignments.first()
    record = services.inspection_record_create(by=m["user"], assignment=a, inspected_on=TODAY())
    assert record.agency == m["agency"] and {o.agency_id for o in record.inspectors.all()} == {
        m["agency"].pk,
        m["eco"].pk,
    }


def _published_record(m):
    e = Enterprise.objects.first()
    record = services.inspection_record_create(
        by=m["user"],
        enterprise=e,
        agency=m["agency"],
        source="complaint",
        reason="投诉举报",
        inspected_on=TODAY(),
        inspectors=m["officers"][:2],
    )
    return services.inspection_record_publish(by=m["user"], record=record)


def test_feedback_token_rates_once_and_reports_misconduct(market, users):
    from fazhi.complaints.models import Complaint
    from fazhi.core.errors import NotFound

    record = _published_record(market)
    token = selectors.feedback_token(record=record)
    assert selectors.feedback_record_by_token(token=token) == record
    from django.core import signing

    forged = signing.dumps({"r": record.pk, "e": record.enterprise_id}, salt="another-salt")
    foreign = signing.dumps({"r": record.pk, "e": record.enterprise_id + 1}, salt=selectors.FEEDBACK_SALT)
    for bad in ("", "x", token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, foreign):
        with pytest.raises(NotFound):
            selectors.feedback_record_by_token(token=bad)
    feedback, complaint, password = services.inspection_feedback_submit(
        record=record,
        rating="不满意",
        comment="态度生硬",
        description="检查人员要求企业购买指定的检测服务，否则不予通过",
        name="张经理",
        phone="13800138000",
        consent=True,
        ip="10.0.0.9",
    )
    assert feedback.rating == "dissatisfied" and feedback.score == 1 and complaint.pk and password
    assert Complaint.objects.get(pk=complaint.pk).agency_named_id == market["agency"].unit_id
    with pytest.raises(DomainError, match="不能重复评价"):
        services.inspection_feedback_submit(record=record, rating="satisfied")
    rows = selectors.feedback_by_agency(
        user=users["supervisor"], date_from=TODAY() - dt.timedelta(days=1), date_to=TODAY()
    )
    assert rows == [
        {
            "agency_id": market["agency"].pk,
            "name": market["agency"].unit.name,
            "count": 1,
            "average": 1.0,
            "satisfied": 0,
            "basic": 0,
            "dissatisfied": 1,
        }
    ]


def test_feedback_needs_a_published_record(market):
    e = Enterprise.objects.first()
    record = services.inspection_record_create(
        by=market["user"],
        enterprise=e,
        agency=market["agency"],
        source="complaint",
        reason="投诉",
        inspected_on=TODAY(),
        inspectors=market["officers"][:2],
    )
    from fazhi.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.feedback_record_by_token(token=selectors.feedback_token(record=record))
    with pytest.raises(DomainError, match="公示后"):
        services.inspection_feedback_submit(record=record, rating="satisfied")


def _tally_rows() -> list[tuple]:
    from fazhi.inspections.models import AgencyMonthTally, AgencyYearTally, EnterpriseYearTally

    return [
        sorted(tuple(v for k, v in row.items() if k != "id") for row in model.objects.values())
        for model in (EnterpriseYearTally, AgencyYearTally, AgencyMonthTally)
    ]


def test_month_rollup_and_raw_records_rank_identically_for_any_range(market, users):
    import random

    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st

    rng = random.Random(7)
    ents = list(Enterprise.objects.order_by("id")[:12])
    eco = fx.make_agency(fx.ECO)
    start = dt.date(TODAY().year - 2, 11, 20)  # three calendar years, so ranges cross one or two new years
    span = 800
    for k in range(150):
        agency = market["agency"] if k % 3 else eco
        record = InspectionRecord.objects.create(
            enterprise=rng.choice(ents),
            agency=agency,
            source="random" if k % 4 else "complaint",
            inspected_on=start + dt.timedelta(days=rng.randrange(span)),
        )
        services._tally_add(record)  # the upkeep of inspection_record_create, record by record
    kept = _tally_rows()
    services.burden_tallies_rebuild()
    assert _tally_rows() == kept  # the incremental upkeep and the rebuild agree, month columns included
    records = list(InspectionRecord.objects.values("enterprise_id", "agency_id", "source", "inspected_on"))

    @hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.integers(min_value=-40, max_value=span + 40), st.integers(min_value=0, max_value=span))
    def same_as_counting_records(offset, length):
        a = start + dt.timedelta(days=offset)
        b = a + dt.timedelta(days=length)
        rolled = selectors.burden_statistics(user=users["supervisor"], date_from=a, date_to=b, threshold=2)
        raw = [r for r in records if a <= r["inspected_on"] <= b]
        counts: dict = {}
        non_plan: dict = {}
        for r in raw:
            counts[r["enterprise_id"]] = counts.get(r["enterprise_id"], 0) + 1
            non_plan[r["enterprise_id"]] = non_plan.get(r["enterprise_id"], 0) + (r["source"] != "random")
        expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        assert rolled.basis == "tally"
        assert [(r["enterprise_id"], r["inspections"], r["non_plan"]) for r in rolled.by_enterprise] == [
            (e, n, non_plan[e]) for e, n in expected
        ]
        assert rolled.enterprises == len(counts) and rolled.over_threshold == sum(n > 2 for n in counts.values())
        assert rolled.total == len(raw) and rolled.non_plan == sum(r["source"] != "random" for r in raw)
        per_agency: dict = {}
        for r in raw:
            per_agency[r["agency_id"]] = per_agency.get(r["agency_id"], 0) + 1
        assert sorted((r["agency_id"], r["inspections"]) for r in rolled.by_agency) == sorted(per_agency.items())

    same_as_counting_records()


# ---------------------------------------------------------------- the object scope of an item (issue 9)


def _industry(enterprises, code):
    Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]).update(industry=code)


def test_draw_candidates_are_the_items_object_scope(market):
    food, chemical = fx.make_enterprises(6, risk="d_high"), fx.make_enterprises(5, risk="d_high")
    _industry(food, "C1431")
    _industry(chemical, "C2614")
    item = services.inspection_item_save(
        by=market["user"],
        agency=market["agency"],
        power_item=market["item"].power_item,
        targets="食品生产经营企业",
        basis="《某法》第十条",
        scope_industries=" c14，H62",
        scope_risk_levels=["d_high"],
    )
    assert item.scope_industries == "C14、H62" and item.scope_risk_levels == ["d_high"]
    plan = _published_plan(market)
    draw = services.draw_commit(by=market["user"], plan=plan, item=item)
    ids = {eid for eid, _ in draw_algo.parse_candidates(draw.candidates)}
    assert ids == {e.pk for e in food}  # not the chemical firms, nor the 50 firms without an industry
    assert f'"scope":[{{"industries":["C14","H62"],"item":{item.pk},"risk_levels":["d_high"]}}]' in draw.params
    draw = services.draw_perform(by=market["user"], draw=draw)
    draw = services.draw_publish(by=market["user"], draw=draw)
    assert selectors.draw_verify(draw=draw) == (True, [])
    assert selectors.draw_scope_display(draw=draw) == [
        {"item": item.name, "industries": "C14、H62", "risk_levels": "高风险"}
    ]
    # The committed scope is checked on verification: a candidate outside it is reported.
    Enterprise.objects.filter(pk=food[0].pk).update(industry="C2614")
    ok, problems = selectors.draw_verify(draw=draw)
    assert not ok and "不在承诺的抽查对象范围内" in problems[0]


def test_verify_rejects_a_recomputed_list_outside_the_committed_scope():
    """A forger who recomputes every hash still cannot slip a candidate of another risk level in."""
    scope = [{"item": 1, "industries": [], "risk_levels": ["d_high"]}]
    candidates = draw_algo.canonical_candidates([(1, "d_high"), (2, "a_low")])
    texts = {
        "candidates": candidates,
        "inspectors": draw_algo.canonical_inspectors([10, 11]),
        "conflicts": "",
        "params": draw_algo.canonical_params(
            proportions={"d_high": 10000, "a_low": 10000}, per_enterprise=2, scope=scope
        ),
    }
    seed = "ab" * 32
    hashes = {f"{k}_hash": draw_algo.sm3_hex(v.encode("ascii")) for k, v in texts.items()}
    result = draw_algo.draw(
        seed=seed,
        candidates=draw_algo.parse_candidates(candidates),
        inspectors=[10, 11],
        conflicts=[],
        proportions={"d_high": 10000, "a_low": 10000},
        per_enterprise=2,
    )
    s_hash = draw_algo.seed_hash(seed)
    published = {
        **texts,
        **hashes,
        "seed": seed,
        "seed_hash": s_hash,
        "commitment": draw_algo.commitment_of(seed_hash=s_hash, **hashes),
        "result": result.canonical,
        "result_hash": result.hash,
    }
    ok, problems = draw_algo.verify(published)
    assert not ok and problems == ["抽查对象名录中的对象 2 的风险等级不在承诺的抽查对象范围内"]
    # Without a scope (draws committed before it existed) the same data verifies.
    texts["params"] = draw_algo.canonical_params(proportions={"d_high": 10000, "a_low": 10000}, per_enterprise=2)
    assert '"scope"' not in texts["params"]


@pytest.mark.parametrize(
    ("industries", "levels", "field"),
    [("C1x", [], "scope_industries"), ("食品", [], "scope_industries"), ("C14", ["extreme"], "scope_risk_levels")],
)
def test_item_scope_bad_input_names_the_field(market, industries, levels, field):
    with pytest.raises(DomainError) as exc:
        services.inspection_item_save(
            by=market["user"],
            agency=market["agency"],
            power_item=market["item"].power_item,
            targets="企业",
            basis="《某法》第十条",
            scope_industries=industries,
            scope_risk_levels=levels,
        )
    assert exc.value.field == field


def test_empty_scope_draw_says_so(market):
    services.inspection_item_save(
        by=market["user"],
        agency=market["agency"],
        power_item=market["item"].power_item,
        targets="建筑施工企业",
        basis="《某法》第十条",
        scope_industries="E47",
    )
    plan = _published_plan(market)
    with pytest.raises(DomainError, match="对象范围内") as exc:
        services.draw_commit(by=market["user"], plan=plan, item=market["item"])
    assert exc.value.field == "candidates"
