import datetime as dt
from decimal import Decimal

import pytest

from fazhi.cases.models import Case
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.models import OperationLog, Unit
from fazhi.registry import services
from fazhi.registry.demo import id_number
from fazhi.registry.models import Agency, Certificate, Officer, PowerItem, TrainingRecord
from fazhi.registry.tests.helpers import BASIS, ECO, MARKET, TIERS, agency, item, officer, today, user
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.selectors import inbox

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- agencies


def test_registry_agency_save_and_duplicate_unit():
    a = services.agency_save(
        by=user("agency"),
        unit=Unit.objects.get(name=MARKET),
        legal_status="法定",
        jurisdiction=" 示例市 ",
        domains=["食品安全", "食品安全", " 产品质量 "],
    )
    assert a.legal_status == "statutory" and a.jurisdiction == "示例市" and a.domains == ["食品安全", "产品质量"]
    assert OperationLog.objects.filter(action="新增执法主体", object_id=str(a.pk)).exists()
    with pytest.raises(DomainError) as e:
        services.agency_save(by=user("agency"), unit=Unit.objects.get(name=MARKET))
    assert e.value.field == "unit" and "已登记为执法主体" in e.value.message


def test_registry_entrusted_agency_needs_entrusting_agency():
    unit = Unit.objects.get(name="东城区城关街道办事处")
    with pytest.raises(DomainError) as e:
        services.agency_save(by=None, unit=unit, legal_status="entrusted")
    assert e.value.field == "entrusting_agency"
    principal = agency("东城区城市管理综合执法局")
    a = services.agency_save(by=None, unit=unit, legal_status="委托", entrusting_agency=principal)
    assert a.entrusting_agency == principal
    # A statutory agency drops a stale entrusting agency.
    a = services.agency_save(by=None, unit=unit, legal_status="statutory", entrusting_agency=principal, instance=a)
    assert a.entrusting_agency is None


def test_registry_agency_save_checks_permission_and_scope():
    with pytest.raises(Forbidden):
        services.agency_save(by=user("officer"), unit=Unit.objects.get(name=MARKET))
    with pytest.raises(NotFound):
        services.agency_save(by=user("agency2"), unit=Unit.objects.get(name=MARKET))
    assert not Agency.objects.filter(unit__name=MARKET).exists()


# ---------------------------------------------------------------- power items and versions


def test_registry_power_item_create_with_bases_and_tiers():
    it = item(agency())
    assert (it.version, it.is_current) == (1, True)
    assert [b.law for b in it.legal_bases.all()] == ["《中华人民共和国食品安全法》"]
    tiers = list(it.tiers.all())
    assert [t.level for t in tiers] == ["ordinary", "grave"]
    assert tiers[0].fine_max == Decimal("70000.00") and tiers[1].multiple_min == Decimal("10.00")


def test_registry_edit_creates_new_version_and_case_keeps_old():
    ag = agency()
    v1 = item(ag, major=False)
    case = Case.objects.create(
        agency=ag,
        power_item=v1,
        number="示市监罚〔2025〕1号",
        title="销售不合格食品",
        party_kind="organisation",
        party_name="某公司",
        filed_on=today(),
    )
    v2 = services.power_item_save(
        by=user("agency"), instance=v1, agency=ag, code=v1.code, name="新名称", kind="penalty", major=True
    )
    v1.refresh_from_db()
    case.refresh_from_db()
    assert (v2.version, v2.is_current, v2.major, v2.name) == (2, True, True, "新名称")
    assert v1.is_current is False and v1.name == "对生产经营不合格食品的处罚"
    assert case.power_item_id == v1.pk
    # Bases and tiers copied when not given; the old version keeps its own rows.
    assert v2.legal_bases.count() == 1 and v2.tiers.count() == 2 and v1.tiers.count() == 2
    v3 = services.power_item_save(
        by=None, instance=v2, agency=ag, code=v1.code, name="新名称", kind="penalty", tiers=[TIERS[0]]
    )
    assert v3.version == 3 and v3.tiers.count() == 1 and v2.tiers.count() == 2
    assert PowerItem.objects.filter(agency=ag, code=v1.code, is_current=True).get() == v3
    with pytest.raises(DomainError) as e:
        services.power_item_save(by=None, instance=v1, agency=ag, code=v1.code, name="x", kind="penalty")
    assert "只能修改现行版本" in e.value.message


@pytest.mark.parametrize(
    ("tier", "field", "text"),
    [
        ({"fine_min": 900, "fine_max": 100}, "tiers.0.fine_max", "大于上限"),
        ({"multiple_min": 5, "multiple_max": 2}, "tiers.0.multiple_max", "大于上限"),
        ({"fine_min": -1}, "tiers.0.fine_min", "不能为负数"),
        ({"fine_max": "abc"}, "tiers.0.fine_max", "不是有效数字"),
        ({"penalty_kinds": ["打板子"]}, "tiers.0.penalty_kinds", "第九条"),
        ({"level": "超级严重"}, "tiers.0.level", "阶次"),
        ({"circumstances": ""}, "tiers.0.circumstances", "适用情形"),
    ],
)
def test_registry_bad_tier_names_field_and_saves_nothing(tier, field, text):
    ag = agency()
    bad = {"level": "ordinary", "circumstances": "情形", "penalty_kinds": ["罚款"], **tier}
    with pytest.raises(DomainError) as e:
        item(ag, tiers=[bad])
    assert e.value.field == field and text in e.value.message
    assert not PowerItem.objects.filter(agency=ag).exists()


def test_registry_power_item_other_bad_input():
    ag = agency()
    with pytest.raises(DomainError) as e:
        services.power_item_save(by=None, agency=ag, code="X", name="x", kind="penalty", legal_bases=[])
    assert e.value.field == "legal_bases"
    with pytest.raises(DomainError) as e:
        services.power_item_save(
            by=None, agency=ag, code="X", name="x", kind="penalty", legal_bases=[{"law": "某法", "article": ""}]
        )
    assert e.value.field == "legal_bases.0.article"
    with pytest.raises(DomainError) as e:
        services.power_item_save(by=None, agency=ag, code="X", name="x", kind="罚", legal_bases=[BASIS])
    assert e.value.field == "kind"
    item(ag, code="DUP")
    with pytest.raises(DomainError) as e:
        item(ag, code="DUP")
    assert e.value.field == "code" and "已存在" in e.value.message


def test_registry_fine_implies_fine_kind():
    it = item(agency(), tiers=[{"level": "一般", "circumstances": "c", "penalty_kinds": ["警告"], "fine_max": 200}])
    assert it.tiers.get().penalty_kinds == ["警告", "罚款"]


def test_registry_list_entry_must_belong_to_agency():
    market, eco = agency(), agency(ECO)
    other = item(eco, code="E1")
    with pytest.raises(DomainError) as e:
        services.list_entry_save(
            by=None, agency=market, kind="exempt", circumstances="首违", legal_basis="第三十三条", power_item=other
        )
    assert e.value.field == "power_item"
    entry = services.list_entry_save(
        by=None, agency=market, kind="不予处罚", circumstances="首违不罚", legal_basis="《行政处罚法》第三十三条"
    )
    assert entry.kind == "exempt"


# ---------------------------------------------------------------- officers and certificates


def test_registry_officer_invalid_id_saves_nothing():
    with pytest.raises(DomainError) as e:
        services.officer_save(by=user("agency"), agency=agency(), name="张三", id_number="110101199003070039")
    assert e.value.field == "id_number" and "GB 11643" in e.value.message
    assert "199003070039" not in e.value.message  # the message masks the number
    assert not Officer.objects.exists()


def test_registry_officer_unknown_place_code_is_a_field_error():
    with pytest.raises(DomainError) as e:
        services.officer_save(by=None, agency=agency(), name="张三", id_number="439900198503120012")
    assert e.value.field == "id_number"


def test_registry_officer_id_normalised_and_duplicate_rejected():
    number = id_number(7)
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    o = services.officer_save(by=None, agency=agency(), name=" 李 四 ", id_number=f" {full_width} ")
    assert o.id_number == number and o.name == "李 四"
    with pytest.raises(DomainError) as e:
        services.officer_save(by=None, agency=agency(ECO), name="王五", id_number=number)
    assert e.value.field == "id_number" and "已登记" in e.value.message
    assert Officer.objects.count() == 1
    log = OperationLog.objects.get(action="新增执法人员")
    assert number not in log.summary


def test_registry_certificate_dates_and_number():
    o = officer(agency(), 1, cert=False)
    with pytest.raises(DomainError) as e:
        services.certificate_save(by=None, officer=o, number="C1", valid_from="2025-06-01", valid_to="2025年5月1日")
    assert e.value.field == "valid_to" and "不能早于" in e.value.message
    with pytest.raises(DomainError) as e:
        services.certificate_save(by=None, officer=o, number="C1", valid_from="2025-13-01", valid_to="2026-01-01")
    assert e.value.field == "valid_from"
    c = services.certificate_save(by=None, officer=o, number=" c1 ", valid_from="2025/1/1", valid_to="2029-12-31")
    assert (c.number, c.valid_from, c.valid_to) == ("C1", dt.date(2025, 1, 1), dt.date(2029, 12, 31))
    with pytest.raises(DomainError) as e:
        services.certificate_save(by=None, officer=o, number="C1", valid_from="2025-01-01", valid_to="2029-12-31")
    assert e.value.field == "number"
    assert Certificate.objects.count() == 1


def test_registry_certificate_status_needs_reason():
    o = officer(agency(), 2)
    cert = o.certificates.get()
    with pytest.raises(DomainError) as e:
        services.certificate_set_status(by=user("agency"), certificate=cert, status="revoked")
    assert e.value.field == "reason"
    services.certificate_set_status(by=user("agency"), certificate=cert, status="吊销", reason="违法执法")
    cert.refresh_from_db()
    assert cert.status == "revoked"


def test_registry_training_upsert_and_bad_input():
    o = officer(agency(), 3)
    r = services.training_record_save(by=None, officer=o, year=2025, hours="32.5", exam_score=85)
    assert r.exam_passed is True
    services.training_record_save(by=None, officer=o, year=2025, hours=45, exam_score=50)
    r = TrainingRecord.objects.get(officer=o, year=2025)
    assert (r.hours, r.exam_passed) == (Decimal("45.0"), False)
    with pytest.raises(DomainError) as e:
        services.training_record_save(by=None, officer=o, year=2025, hours=-3)
    assert e.value.field == "hours"
    with pytest.raises(DomainError) as e:
        services.training_record_save(by=None, officer=o, year=2025, hours=3, exam_score=120)
    assert e.value.field == "exam_score"


# ---------------------------------------------------------------- certificate expiry in the inbox


def test_registry_certificate_expiry_item_once_then_closed_on_renewal():
    market = agency()
    o = officer(market, 4, name="到期人", valid_to=today() + dt.timedelta(days=20))
    officer(market, 5, valid_to=today() + dt.timedelta(days=200))  # not yet due
    result = services.certificates_expiry_scan(today())
    assert result["opened"] == 1
    assert services.certificates_expiry_scan(today())["opened"] == 0
    items = TrackedItem.objects.filter(kind="certificate_expiry")
    assert items.count() == 1
    it = items.get()
    assert it.deadline == today() + dt.timedelta(days=20) and it.unit == market.unit
    assert "30 日" in it.deadline_source and "到期人" in it.title
    assert f"/enforcement/officers/{o.pk}/" == it.url
    assert inbox(user=user("agency")).items.filter(pk=it.pk).exists()
    assert not inbox(user=user("agency2")).items.filter(pk=it.pk).exists()
    # Renewal: a newer valid certificate closes the item at once.
    services.certificate_save(
        by=user("agency"), officer=o, number="NEW-1", valid_from=today(), valid_to=today() + dt.timedelta(days=1825)
    )
    it.refresh_from_db()
    assert it.status == "closed"
    assert "已换发新证 NEW-1" in it.events.order_by("-seq").first().comment
    assert services.certificates_expiry_scan(today()) == {"opened": 0, "closed": 0}
    assert TrackedItem.objects.filter(kind="certificate_expiry").count() == 1


def test_registry_certificate_expiry_closed_by_scan_when_revoked():
    o = officer(agency(), 6, valid_to=today() + dt.timedelta(days=5))
    services.certificates_expiry_scan(today())
    cert = o.certificates.get()
    Certificate.objects.filter(pk=cert.pk).update(status="revoked")
    assert services.certificates_expiry_scan(today())["closed"] == 1
    assert TrackedItem.objects.get(kind="certificate_expiry").status == "closed"


def test_registry_certificate_expiry_skips_renewed_and_expired():
    o = officer(agency(), 8, valid_to=today() + dt.timedelta(days=10))
    services.certificate_save(
        by=None, officer=o, number="RENEWED", valid_from=today(), valid_to=today() + dt.timedelta(days=1000)
    )
    officer(agency(), 9, valid_to=today() - dt.timedelta(days=1))
    assert services.certificates_expiry_scan(today())["opened"] == 0
