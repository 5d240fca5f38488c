"""The enforcement app was split into `registry` and `cases` (enforcement 0006/0007, registry and cases 0001/0002,
inspections 0006). A database filled by the old code keeps every row and every link across that move."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("enforcement", "0005_case_stage_clocks"), ("inspections", "0005_inspection_item_scope")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_written_by_the_old_app_survive_the_split():
    old = _migrate(BEFORE)
    division = old.get_model("core", "Division").objects.create(code="990001", name="迁移测试市", level="city")
    unit = old.get_model("core", "Unit").objects.create(name="示例市旧数据局", kind="agency", division=division)
    agency = old.get_model("enforcement", "Agency").objects.create(unit=unit, jurisdiction="示例市")
    item = old.get_model("enforcement", "PowerItem").objects.create(
        agency=agency, code="OLD-1", name="对旧数据违法行为的处罚", kind="penalty", effective_from=dt.date(2020, 1, 1)
    )
    officer = old.get_model("enforcement", "Officer").objects.create(agency=agency, name="旧人员", id_number="X")
    old.get_model("enforcement", "Certificate").objects.create(
        officer=officer, number="OLD0001", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2030, 1, 1)
    )
    case = old.get_model("enforcement", "Case").objects.create(
        agency=agency, power_item=item, number="旧〔2025〕1号", title="旧案", party_kind="organisation",
        party_name="旧公司", filed_on=dt.date(2025, 3, 3), decided_on=dt.date(2025, 4, 1), fine=Decimal("5000"),
    )  # fmt: skip
    old.get_model("enforcement", "CaseHandler").objects.create(case=case, officer=officer)
    old.get_model("enforcement", "Disclosure").objects.create(
        case=case, agency=agency, published_on=dt.date(2025, 4, 3), decision_number="旧罚〔2025〕1号",
        party_kind="organisation", party_display="旧公司", summary="罚款五千元",
    )  # fmt: skip
    old.get_model("inspections", "InspectorPoolEntry").objects.create(agency=agency, officer=officer)

    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())

    from fazhi.cases.models import Case, Disclosure
    from fazhi.inspections.models import InspectorPoolEntry
    from fazhi.registry.models import Agency, Officer

    moved = Case.objects.select_related("agency__unit", "power_item").get(number="旧〔2025〕1号")
    assert (moved.pk, moved.agency.pk, moved.agency.unit.name) == (case.pk, agency.pk, "示例市旧数据局")
    assert moved.power_item.code == "OLD-1" and moved.fine == Decimal("5000")
    assert list(moved.handlers.values_list("name", flat=True)) == ["旧人员"]
    assert Disclosure.objects.get(case=moved).decision_number == "旧罚〔2025〕1号"
    assert Officer.objects.get(pk=officer.pk).certificates.get().number == "OLD0001"
    assert InspectorPoolEntry.objects.get(officer_id=officer.pk).agency == Agency.objects.get(pk=agency.pk)
    tables = set(connection.introspection.table_names())
    assert {"registry_agency", "registry_officer", "cases_case", "cases_disclosure"} <= tables
    assert not {t for t in tables if t.startswith("enforcement_")}
    # New rows get fresh keys after the old ones (the sequences moved with their tables).
    new_agency_unit = type(moved.agency.unit).objects.create(name="新单位", kind="agency", division_id=division.pk)
    assert Agency.objects.create(unit=new_agency_unit).pk > agency.pk
