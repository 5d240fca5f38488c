"""法律顾问 services: one adviser per village and period (Chinese error naming the field, nothing written), the
coverage by division with its lights, service records, legal opinions from request to 法律意见书, yearly counts,
the roster import (row and column of the clash)."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from fazhi.core.errors import DomainError
from fazhi.legalservices.advisers import rules, selectors, services
from fazhi.legalservices.advisers.models import AdviserContract, LegalAdviser, LegalOpinion
from fazhi.legalservices.advisers.tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)
Y_START, Y_END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def test_second_contract_same_village_overlapping_is_refused():
    v = f.village()
    f.village_contract(v, start=Y_START, end=Y_END)
    other = f.adviser(name="邓律师")
    with pytest.raises(DomainError) as exc:
        services.contract_create(
            by=None, adviser=other, start=dt.date(2026, 12, 1), end=dt.date(2027, 11, 30), village=v
        )
    assert exc.value.field == "village" and "石桥村" in exc.value.message and "不能重叠" in exc.value.message
    assert AdviserContract.objects.count() == 1
    # The next period is fine (renewal).
    services.contract_create(by=None, adviser=other, start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31), village=v)


def test_contract_bad_input():
    v = f.village()
    a = f.adviser()
    with pytest.raises(DomainError) as exc:
        services.contract_create(by=None, adviser=a, start=Y_END, end=Y_START, village=v)
    assert exc.value.field == "end"
    with pytest.raises(DomainError) as exc:
        services.contract_create(by=None, adviser=a, start=Y_START, end=Y_END)
    assert exc.value.field == "village"
    gov = f.adviser(kind=rules.GOVERNMENT, name="欧阳顾问", unit="示例市人民政府")
    with pytest.raises(DomainError) as exc:
        services.contract_create(by=None, adviser=gov, start=Y_START, end=Y_END, village=v)
    assert exc.value.field == "village"
    assert not AdviserContract.objects.exists()


def test_coverage_by_division_with_lights(org):
    covered = [f.village(n) for n in ("石桥村", "青山村", "南山社区")]
    f.village("城关社区", unit="东城区城关街道办事处", code="439902")
    for v in covered:
        f.village_contract(v, start=Y_START, end=Y_END)
    rows = {r["code"]: r for r in selectors.village_adviser_coverage(year=2026, today=TODAY)}
    assert rows["439921"]["villages"] == 3 and rows["439921"]["rate"] == 100.0 and rows["439921"]["light"] == "green"
    assert rows["439902"]["rate"] == 0.0 and rows["439902"]["light"] == "red"
    assert rows["439900"]["villages"] == 4 and rows["439900"]["covered"] == 3 and rows["439900"]["rate"] == 75.0
    # Past year: the contracts were not in force on 31 December 2025.
    assert all(r["covered"] == 0 for r in selectors.village_adviser_coverage(year=2025, today=TODAY))


def test_division_figures_hook(users, org):
    from fazhi.core.division_figures import division_figures
    from fazhi.core.models import Division

    v = f.village()
    f.village_contract(v, start=dt.date(2000, 1, 1), end=dt.date(2099, 12, 31))
    figures = division_figures(user=users["admin"], division=Division.objects.get(code="439921"))
    rate = [x for x in figures if x.label.startswith("覆盖率")]
    assert rate and rate[0].value == "100.0%" and rate[0].light == "green"
    assert division_figures(user=users["admin"], division=Division.objects.get(code="439903")) == []


def test_opinion_from_request_to_document(users, org):
    gov = f.adviser(kind=rules.GOVERNMENT, name="欧阳顾问", unit="示例市人民政府")
    agency = users["agency"]
    o = services.opinion_request(
        by=agency,
        unit=agency.unit,
        kind="contract",
        subject="采购合同",
        question="违约条款是否合法？",
        deadline=TODAY + dt.timedelta(days=7),
        today=TODAY,
    )
    assert o.item.deadline == TODAY + dt.timedelta(days=7) and o.status == "pending"
    with pytest.raises(DomainError) as exc:
        services.opinion_request(
            by=agency, unit=org["示例市生态环境局"], kind="contract", subject="x", question="y", today=TODAY
        )
    assert exc.value.field == "unit"
    sup = users["supervisor"]
    services.opinion_route(by=sup, opinion=o, adviser=gov)
    with pytest.raises(DomainError) as exc:
        services.opinion_answer(by=sup, opinion=o, text=" ", today=TODAY)
    assert exc.value.field == "text"
    o = services.opinion_answer(
        by=sup, opinion=o, text="一、违约金过高。\n二、补充验收条款。", suggestions=2, today=TODAY
    )
    o.item.refresh_from_db()
    assert o.status == "answered" and o.document_id and o.item.status == "closed"
    services.service_record(by=sup, adviser=gov, kind="document_review", on=TODAY, count=3, today=TODAY)
    counts = selectors.yearly_counts(user=sup, year=2026)
    assert counts["contracts_reviewed"] == 1 and counts["documents_reviewed"] == 3 and counts["suggestions"] == 2
    assert selectors.opinion_list(user=agency).count() == 1
    assert selectors.opinion_list(user=users["officer"]).count() == 0


def test_opinion_default_period_is_working_days(users):
    o = services.opinion_request(
        by=users["agency"], unit=users["agency"].unit, kind="other", subject="咨询", question="问题", today=TODAY
    )
    assert o.item.limit_kind == "working" and o.item.limit_days == rules.OPINION_DEFAULT_WORKING_DAYS
    assert o.deadline == o.item.deadline


def _roster(rows) -> io.BytesIO:
    from fazhi.core.imports import IMPORTERS

    wb = Workbook()
    wb.active.append([c.header for c in IMPORTERS["adviser-roster"].columns])
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_roster_import_refuses_an_overlap_with_its_row(users):
    from fazhi.core.imports import IMPORTERS, run_import

    f.village()
    row = [
        "村（居）法律顾问",
        "谭律师",
        "湖南南山律师事务所",
        "14399202010000001",
        "",
        "南山县南山镇人民政府",
        "石桥村",
        "2026-01-01",
        "2026-12-31",
    ]
    second = [
        "村（居）法律顾问",
        "邓律师",
        "湖南南山律师事务所",
        "14399202010000002",
        "",
        "南山县南山镇人民政府",
        "石桥村",
        "2026-06-01",
        "2027-05-31",
    ]
    result = run_import(IMPORTERS["adviser-roster"], _roster([row, second]), by=users["supervisor"], commit=True)
    assert result.has_errors and [r.number for r in result.error_rows] == [3]
    assert result.error_rows[0].errors[0][0] == "村（社区）" and "不能重叠" in result.messages[0]
    assert not LegalAdviser.objects.exists() and not AdviserContract.objects.exists()
    result = run_import(IMPORTERS["adviser-roster"], _roster([row]), by=users["supervisor"], commit=True)
    assert not result.has_errors and AdviserContract.objects.get().village.name == "石桥村"
    assert LegalOpinion.objects.count() == 0


def test_terminated_contract_stops_counting_from_its_day_and_frees_the_village(users):
    v = f.village()
    c = f.village_contract(v, start=Y_START, end=Y_END)
    row = lambda: {r["code"]: r for r in selectors.village_adviser_coverage(year=2026, today=TODAY)}["439921"]  # noqa: E731
    assert row()["covered"] == 1
    for data, field in (
        ({"on": Y_START, "reason": "x"}, "on"),
        ({"on": dt.date(2027, 1, 1), "reason": "x"}, "on"),
        ({"on": dt.date(2026, 6, 10), "reason": " "}, "reason"),
    ):
        with pytest.raises(DomainError) as exc:
            services.contract_terminate(by=users["supervisor"], contract=c, today=TODAY, **data)
        assert exc.value.field == field
    assert AdviserContract.objects.get(pk=c.pk).terminated_on is None
    # Terminated from 1 July: still in force on 15 June.
    services.contract_terminate(
        by=users["supervisor"], contract=c, on=dt.date(2026, 7, 1), reason="律师调离", today=TODAY
    )
    assert row()["covered"] == 1
    with pytest.raises(DomainError):
        services.contract_terminate(by=None, contract=c, on=dt.date(2026, 6, 1), reason="再次", today=TODAY)
    # Another village, terminated on 10 June: not covered on 15 June; a new adviser may start that day.
    v2 = f.village("青山村")
    c3 = f.village_contract(v2, start=Y_START, end=Y_END, a=f.adviser(name="欧律师"))
    services.contract_terminate(by=None, contract=c3, on=dt.date(2026, 6, 10), reason="解除", today=TODAY)
    assert row()["covered"] == 1 and row()["villages"] == 2
    with pytest.raises(DomainError):
        f.village_contract(v2, start=dt.date(2026, 6, 9), end=Y_END, a=f.adviser(name="晚律师"))
    f.village_contract(v2, start=dt.date(2026, 6, 10), end=Y_END, a=f.adviser(name="新律师"))
    assert row()["covered"] == 2


def test_adviser_taken_off_the_roster_after_his_contracts_end(users):
    from fazhi.core.errors import Forbidden

    v = f.village()
    c = f.village_contract(v, start=Y_START, end=Y_END)
    a = c.adviser
    with pytest.raises(DomainError) as exc:
        services.adviser_set_active(by=users["supervisor"], adviser=a, active=False, today=TODAY)
    assert exc.value.field == "is_active" and "先终止合同" in exc.value.message
    services.contract_terminate(by=None, contract=c, on=TODAY, reason="调离", today=TODAY)
    services.adviser_set_active(by=users["supervisor"], adviser=a, active=False, today=TODAY)
    a.refresh_from_db()
    assert not a.is_active and a not in selectors.adviser_list(user=users["supervisor"])
    assert a in selectors.adviser_list(user=users["supervisor"], active=False)
    with pytest.raises(Forbidden):
        services.contract_create(
            by=users["supervisor"], adviser=a, start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31), village=v
        )
    assert AdviserContract.objects.filter(adviser=a).count() == 1
