"""The 发文字号 registers: pages, API, permission codes and data scope; a register for a past year is refused."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.permissions import DEFAULT_ROLES, MENU
from fazhi.documents.models import DocumentNumberRegister
from fazhi.documents.permissions import register_actions
from fazhi.documents.services import number_take, register_create

pytestmark = pytest.mark.django_db
MARKET, ECOLOGY, JUSTICE = "示例市市场监督管理局", "示例市生态环境局", "示例市司法局"


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def registers(org, users, year):
    justice = register_create(by=None, unit=org[JUSTICE], doc_type="行政执法监督意见书", year=year, prefix="示司监")
    market = register_create(by=None, unit=org[MARKET], doc_type="行政处罚决定书", year=year, prefix="示市监罚")
    for _ in range(3):
        number_take(unit=org[JUSTICE], doc_type="行政执法监督意见书", year=year, by=users["supervisor"])
    return {"justice": justice, "market": market}


def test_permission_codes_grants_and_menu():
    assert {"document.view", "document.manage"} <= set(DEFAULT_ROLES["supervisor"][2])
    assert {"document.view", "document.manage"} <= set(DEFAULT_ROLES["admin"][2])
    assert (
        "document.view" in DEFAULT_ROLES["agency_legal"][2]
        and "document.manage" not in DEFAULT_ROLES["agency_legal"][2]
    )
    entry = next(e for e in MENU if e.url_name == "documents:register_list")
    assert (entry.label, entry.group, entry.permission) == ("发文字号", "执法监督", "document.view")


def test_create_validates_and_refuses_a_past_year(org, users, year):
    sup = users["supervisor"]
    with pytest.raises(DomainError) as exc:
        register_create(by=sup, unit=org[JUSTICE], doc_type="监督意见书", year=year - 1, prefix="示司监")
    assert exc.value.field == "year" and f"{year - 1}" in exc.value.message
    for kwargs, field in (
        ({"doc_type": " "}, "doc_type"),
        ({"prefix": ""}, "prefix"),
        ({"prefix": "示司监〔"}, "prefix"),
        ({"year": 2101}, "year"),
    ):
        data = {"unit": org[JUSTICE], "doc_type": "监督意见书", "year": year, "prefix": "示司监", **kwargs}
        with pytest.raises(DomainError) as exc:
            register_create(by=sup, **data)
        assert exc.value.field == field
    assert not DocumentNumberRegister.objects.exists()
    register_create(by=sup, unit=org[JUSTICE], doc_type="监督意见书", year=year + 1, prefix="示司监")
    with pytest.raises(DomainError) as exc:
        register_create(by=sup, unit=org[JUSTICE], doc_type="监督意见书", year=year + 1, prefix="别的")
    assert exc.value.field == "doc_type"
    with pytest.raises(Forbidden):
        register_create(by=users["agency"], unit=org[MARKET], doc_type="处罚决定书", year=year, prefix="市监")


def test_the_registers_follow_the_data_scope(users, registers):
    from fazhi.documents.selectors import register_list

    assert set(register_list(user=users["supervisor"])) == {registers["justice"], registers["market"]}
    assert set(register_list(user=users["agency"])) == {registers["market"]}
    assert set(register_list(user=users["agency2"])) == set()
    assert register_actions(user=users["supervisor"], obj=None) == {"view", "create"}
    assert register_actions(user=users["agency"], obj=registers["market"]) == {"view"}


def test_pages(login_as, users, registers, org, year):
    c = login_as("supervisor")
    page = c.get("/documents/registers/").content.decode()
    assert 'id="register-filter"' in page and 'id="new-register"' in page and f"示司监〔{year}〕4号" in page
    assert c.get("/documents/registers/", {"q": "处罚"}).content.decode().count('class="register-row"') == 1
    book = load_workbook(io.BytesIO(c.get("/documents/registers/", {"format": "xlsx"}).content))
    rows = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert rows[0][:5] == ["发文机关", "文种", "年份", "发文机关代字", "已用至"] and len(rows) == 3
    detail = c.get(f"/documents/registers/{registers['justice'].pk}/").content.decode()
    assert f"示司监〔{year}〕3号" in detail and "李监督" in detail and detail.count('class="number-row"') == 3
    assert (
        c.get(f"/documents/registers/{registers['justice'].pk}/", {"q": "2号"})
        .content.decode()
        .count('class="number-row"')
        == 1
    )
    book = load_workbook(
        io.BytesIO(c.get(f"/documents/registers/{registers['justice'].pk}/", {"format": "xlsx"}).content)
    )
    assert [cell.value for cell in next(book.active.iter_rows())] == ["序号", "发文字号", "取号人", "取号时间"]
    # create: a past year is refused beside the field, nothing written
    form = {"unit": org[JUSTICE].pk, "doc_type": "工作提示函", "year": year - 1, "prefix": "示司监函"}
    r = c.post("/documents/registers/new/", form)
    assert r.status_code == 200 and 'data-field="year"' in r.content.decode() and "已经过去" in r.content.decode()
    assert not DocumentNumberRegister.objects.filter(doc_type="工作提示函").exists()
    r = c.post("/documents/registers/new/", {**form, "year": year})
    created = DocumentNumberRegister.objects.get(doc_type="工作提示函")
    assert r.status_code == 302 and r["Location"] == f"/documents/registers/{created.pk}/"
    # an agency reads its own unit's registers only and creates none
    ag = login_as("agency")
    assert ag.get("/documents/registers/").content.decode().count('class="register-row"') == 1
    assert ag.get(f"/documents/registers/{registers['justice'].pk}/").status_code == 404
    assert ag.get("/documents/registers/new/").status_code == 403
    assert login_as("agency2").get(f"/documents/registers/{registers['market'].pk}/").status_code == 404
    assert login_as("monitor").get("/documents/registers/").status_code == 403


def test_api(api_client, registers, org, year):
    sup = api_client("supervisor")
    listed = sup.get("/api/v1/documents/registers", {"year": year}).json()
    assert {r["doc_type"] for r in listed} == {"行政执法监督意见书", "行政处罚决定书"}
    justice = next(r for r in listed if r["prefix"] == "示司监")
    assert justice["last_number"] == 3 and justice["taken"] == 3 and justice["next_number"] == f"示司监〔{year}〕4号"
    numbers = sup.get(f"/api/v1/documents/registers/{justice['id']}/numbers").json()
    assert [n["text"] for n in numbers] == [f"示司监〔{year}〕{n}号" for n in (3, 2, 1)]
    assert numbers[0]["taken_by"] == "李监督"
    body = {"unit_id": org[JUSTICE].pk, "doc_type": "通报", "year": year - 1, "prefix": "示司监通"}
    r = sup.post("/api/v1/documents/registers", body, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "year"
    r = sup.post(
        "/api/v1/documents/registers", {**body, "unit_id": 99999999, "year": year}, content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["field"] == "unit_id"
    r = sup.post("/api/v1/documents/registers", {**body, "year": year}, content_type="application/json")
    assert r.status_code == 201 and r.json()["next_number"] == f"示司监通〔{year}〕1号"
    ag = api_client("agency")
    assert [r["unit"] for r in ag.get("/api/v1/documents/registers").json()] == [MARKET]
    assert ag.get(f"/api/v1/documents/registers/{justice['id']}").status_code == 404
    assert ag.post("/api/v1/documents/registers", body, content_type="application/json").status_code == 403
    assert api_client("agency2").get(f"/api/v1/documents/registers/{registers['market'].pk}/numbers").status_code == 404
