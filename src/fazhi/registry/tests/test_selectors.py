import datetime as dt

import pytest

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import OperationLog
from fazhi.registry import selectors, services
from fazhi.registry.tests.helpers import ECO, MARKET, MARKET_BRANCH, agency, item, officer, today, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    market, branch, eco = agency(MARKET), agency(MARKET_BRANCH), agency(ECO)
    return {
        "market": market,
        "branch": branch,
        "eco": eco,
        "m1": officer(market, 11, name="甲"),
        "m2": officer(market, 12, name="乙", valid_to=today() + dt.timedelta(days=10)),
        "b1": officer(branch, 13, name="丙"),
        "e1": officer(eco, 14, name="丁", cert=False),
        "item": item(market, code="M-1", major=True),
        "eco_item": item(eco, code="E-1"),
    }


def test_registry_agency_scope(registry):
    names = {a.unit.name for a in selectors.agency_list(user=user("agency"))}
    assert names == {MARKET, MARKET_BRANCH}
    assert {a.unit.name for a in selectors.agency_list(user=user("agency2"))} == {ECO}
    assert selectors.agency_list(user=user("supervisor")).count() == 3
    with pytest.raises(NotFound):
        selectors.agency_get(user=user("agency2"), pk=registry["market"].pk)
    with pytest.raises(DomainError) as e:
        selectors.agency_ref(user=user("agency2"), pk=registry["market"].pk, field="agency_id")
    assert e.value.field == "agency_id"
    listed = selectors.agency_list(user=user("supervisor")).get(pk=registry["market"].pk)
    assert (listed.item_count, listed.officer_count) == (1, 2)


def test_registry_officer_scope(registry):
    assert {o.name for o in selectors.officer_list(user=user("agency"))} == {"甲", "乙", "丙"}
    assert {o.name for o in selectors.officer_list(user=user("agency2"))} == {"丁"}
    with pytest.raises(NotFound):
        selectors.officer_get(user=user("agency2"), pk=registry["m1"].pk)
    assert selectors.officer_get(user=user("agency"), pk=registry["b1"].pk).name == "丙"


def test_registry_officer_role_sees_only_own_record(registry):
    me = user("officer")
    assert selectors.officer_list(user=me).count() == 0
    services.officer_save(
        by=None,
        agency=registry["market"],
        name="陈执法",
        id_number=registry["m1"].id_number,
        user=me,
        instance=registry["m1"],
    )
    assert [o.pk for o in selectors.officer_list(user=me)] == [registry["m1"].pk]


def test_registry_officer_filters(registry):
    u = user("agency")
    assert [o.name for o in selectors.officer_list(user=u, cert_status="expiring")] == ["乙"]
    assert [o.name for o in selectors.officer_list(user=u, expiring_within=30)] == ["乙"]
    assert {o.name for o in selectors.officer_list(user=u, cert_status="valid")} == {"甲", "乙", "丙"}
    assert [o.name for o in selectors.officer_list(user=user("agency2"), cert_status="none")] == ["丁"]
    assert [o.name for o in selectors.officer_list(user=u, q="乙")] == ["乙"]
    assert [o.name for o in selectors.officer_list(user=u, q=registry["m1"].id_number)] == ["甲"]
    assert [o.name for o in selectors.officer_list(user=u, agency=registry["branch"])] == ["丙"]
    services.certificate_set_status(
        by=None, certificate=registry["m1"].certificates.get(), status="suspended", reason="调查中"
    )
    assert [o.name for o in selectors.officer_list(user=u, cert_status="suspended")] == ["甲"]
    row = selectors.officer_list(user=u).get(pk=registry["m2"].pk)
    assert row.cert_number == "CERT00012" and row.cert_valid_to == today() + dt.timedelta(days=10)


def test_registry_id_number_masked_unless_manager_reveals(registry):
    o = registry["m1"]
    masked = selectors.officer_id_number_display(user=user("agency"), officer=o)
    assert masked == f"{o.id_number[:6]}********{o.id_number[-4:]}"
    assert not OperationLog.objects.filter(action="查看身份证号").exists()
    with pytest.raises(DomainError):
        selectors.officer_id_number_display(user=user("agency"), officer=o, reveal_reason="")
    assert selectors.officer_id_number_display(user=user("agency"), officer=o, reveal_reason="核对") == o.id_number
    log = OperationLog.objects.get(action="查看身份证号")
    assert log.username == "agency" and log.object_id == str(o.pk)
    # Without registry.manage the number stays masked even when asked, and nothing is logged.
    assert selectors.officer_id_number_display(user=user("leader"), officer=o, reveal_reason="核对") == masked
    assert OperationLog.objects.filter(action="查看身份证号").count() == 1


def test_registry_power_item_list_filters_and_versions(registry):
    u = user("agency")
    assert [i.code for i in selectors.power_item_list(user=u)] == ["M-1"]
    assert selectors.power_item_list(user=u, major=False).count() == 0
    assert selectors.power_item_list(user=u, q="食品安全法").count() == 1
    assert selectors.power_item_list(user=u, kind="licence").count() == 0
    v2 = services.power_item_save(
        by=None, instance=registry["item"], agency=registry["market"], code="M-1", name="新", kind="penalty"
    )
    assert [i.pk for i in selectors.power_item_list(user=u)] == [v2.pk]
    assert selectors.power_item_list(user=u, current_only=False).count() == 2
    assert [v.version for v in selectors.power_item_versions(item=v2)] == [2, 1]
    with pytest.raises(NotFound):
        selectors.power_item_get(user=user("agency2"), pk=v2.pk)


def test_registry_power_item_for_case(registry):
    market = registry["market"]
    assert selectors.power_item_for_case(agency=market, pk=registry["item"].pk) == registry["item"]
    with pytest.raises(DomainError) as e:
        selectors.power_item_for_case(agency=market, pk=registry["eco_item"].pk)
    assert e.value.field == "power_item"
    services.power_item_save(by=None, instance=registry["item"], agency=market, code="M-1", name="新", kind="penalty")
    with pytest.raises(DomainError) as e:
        selectors.power_item_for_case(agency=market, pk=registry["item"].pk)
    assert "现行版本" in e.value.message


def test_registry_officer_certificate_on(registry):
    o = registry["m2"]
    cert = o.certificates.get()
    assert selectors.officer_certificate_on(officer=o, day=today()) == cert
    assert selectors.officer_certificate_on(officer=o, day=today() + dt.timedelta(days=11)) is None
    assert selectors.officer_certificate_on(officer=o, day=cert.valid_from - dt.timedelta(days=1)) is None
    services.certificate_set_status(by=None, certificate=cert, status="suspended", reason="暂扣")
    assert selectors.officer_certificate_on(officer=o, day=today()) is None
    assert selectors.officer_certificate_on(officer=registry["e1"], day=today()) is None


def test_registry_certificates_expiring(registry):
    assert [c.number for c in selectors.certificates_expiring(within_days=30)] == ["CERT00012"]
    assert selectors.certificates_expiring(within_days=5).count() == 0
    assert selectors.certificates_expiring(within_days=30, user=user("agency2")).count() == 0


def test_registry_certificate_state(registry):
    cert = registry["m2"].certificates.get()
    assert selectors.certificate_state(cert) == "expiring"
    assert selectors.certificate_state(cert, today=today() + dt.timedelta(days=11)) == "expired"
    assert selectors.certificate_state(registry["m1"].certificates.get()) == "valid"


def test_registry_training_against_minimum(registry, settings):
    settings.FAZHI = {**settings.FAZHI, "TRAINING_MIN_HOURS": 40}
    services.training_record_save(by=None, officer=registry["m1"], year=2025, hours=30)
    services.training_record_save(by=None, officer=registry["m1"], year=2024, hours=48)
    rows = selectors.officer_training(officer=registry["m1"])
    assert [(r.year, r.met) for r in rows] == [(2025, False), (2024, True)]
    assert rows[0].shortfall == 10
    short = {o.name for o in selectors.training_shortfall(user=user("agency"), year=2025)}
    assert short == {"甲", "乙", "丙"}  # 甲 has 30 < 40; the others have no record for 2025
    services.training_record_save(by=None, officer=registry["m1"], year=2025, hours=40)
    assert "甲" not in {o.name for o in selectors.training_shortfall(user=user("agency"), year=2025)}


def test_registry_public_agencies_have_no_personal_data(registry):
    rows = {a.unit.name: a.item_count for a in selectors.public_agency_list()}
    assert rows[MARKET] == 1 and rows[ECO] == 1 and rows[MARKET_BRANCH] == 0
    assert [i.code for i in selectors.public_power_items(agency=registry["market"])] == ["M-1"]
