import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import OperationLog, Unit
from fazhi.registry.demo import id_number
from fazhi.registry.models import Agency, Certificate, Officer, PowerItem
from fazhi.registry.tests.helpers import ECO, MARKET, agency, item, officer, today

pytestmark = pytest.mark.django_db


def read_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.fixture
def data():
    market = agency()
    return {
        "market": market,
        "eco": agency(ECO),
        "item": item(market, code="P-1", major=True),
        "o": officer(market, 31, name="王执法", valid_to=today() + dt.timedelta(days=12)),
        "e": officer(agency(ECO), 32, name="赵环保"),
    }


def test_registry_menu_links_and_lists_render(login_as, data):
    c = login_as("agency")
    home = c.get("/", follow=True).content.decode()
    for name in ("registry:agency_list", "registry:power_item_list", "registry:officer_list"):
        assert reverse(name) in home
        r = c.get(reverse(name))
        assert r.status_code == 200
    assert MARKET in c.get(reverse("registry:agency_list")).content.decode()
    assert "P-1" in c.get(reverse("registry:power_item_list")).content.decode()


def test_registry_officer_list_masks_id_numbers(login_as, data):
    o = data["o"]
    body = login_as("agency").get(reverse("registry:officer_list")).content.decode()
    assert "王执法" in body and "赵环保" not in body
    assert o.id_number not in body
    assert f"{o.id_number[:6]}********{o.id_number[-4:]}" in body
    assert "即将到期" in body


def test_registry_officer_detail_reveal_is_logged(login_as, data):
    o = data["o"]
    c = login_as("agency")
    body = c.get(reverse("registry:officer_detail", args=[o.pk])).content.decode()
    assert o.id_number not in body and "即将到期" in body and "12 天后到期" in body
    assert not OperationLog.objects.filter(action="查看身份证号").exists()
    url = reverse("registry:officer_detail", args=[o.pk])
    body = c.get(url + "?reveal=1").content.decode()  # a link reveals nothing and logs nothing
    assert o.id_number not in body and not OperationLog.objects.filter(action="查看身份证号").exists()
    body = c.post(url, {"reveal_reason": ""}).content.decode()
    assert o.id_number not in body and "须填写理由" in body
    body = c.post(url, {"reveal_reason": "核对身份"}).content.decode()
    assert o.id_number in body
    log = OperationLog.objects.get(action="查看身份证号", object_id=str(o.pk), username="agency")
    assert "核对身份" in log.summary
    # A reader without registry.manage never sees it.
    body = login_as("leader").post(url, {"reveal_reason": "好奇"}).content.decode()
    assert o.id_number not in body and 'id="reveal-link"' not in body


def test_registry_scope_on_pages(login_as, data):
    other = login_as("agency2")
    assert other.get(reverse("registry:officer_detail", args=[data["o"].pk])).status_code == 404
    assert other.get(reverse("registry:power_item_detail", args=[data["item"].pk])).status_code == 404
    assert other.get(reverse("registry:agency_detail", args=[data["market"].pk])).status_code == 404
    assert other.get(reverse("registry:officer_edit", args=[data["o"].pk])).status_code == 404
    assert login_as("agency").get(reverse("registry:officer_detail", args=[data["o"].pk])).status_code == 200
    assert login_as("officer").get(reverse("registry:officer_create")).status_code == 403
    assert login_as("admin").get(reverse("registry:officer_list")).status_code == 403


def test_registry_exports_read_back(login_as, data):
    c = login_as("agency")
    rows = read_xlsx(c.get(reverse("registry:officer_list") + "?format=xlsx").content)
    assert rows[0][:3] == ["姓名", "身份证号", "所属执法主体"]
    assert rows[1][0] == "王执法" and "*" in rows[1][1] and rows[1][1] != data["o"].id_number
    rows = read_xlsx(c.get(reverse("registry:power_item_list") + "?format=xlsx").content)
    assert rows[0][0] == "事项编码" and len(rows) == 3  # one row per tier
    assert rows[1][0] == rows[2][0] == "P-1" and rows[1][10] == "一般" and rows[2][10] == "严重"
    rows = read_xlsx(c.get(reverse("registry:agency_list") + "?format=xlsx").content)
    assert rows[0][0] == "单位全称" and rows[1][0] == MARKET


def test_registry_officer_create_page_bad_id(login_as, data):
    c = login_as("agency")
    r = c.post(
        reverse("registry:officer_create"),
        {"agency": data["market"].pk, "name": "新人", "id_number": "110101199003070039", "is_active": "on"},
    )
    assert r.status_code == 200 and "GB 11643" in r.content.decode()
    assert not Officer.objects.filter(name="新人").exists()
    r = c.post(
        reverse("registry:officer_create"),
        {"agency": data["market"].pk, "name": "新人", "id_number": id_number(40), "is_active": "on"},
    )
    assert r.status_code == 302
    o = Officer.objects.get(name="新人")
    r = c.post(
        reverse("registry:certificate_create", args=[o.pk]),
        {"number": "N-1", "valid_from": "2025-05-01", "valid_to": "2025-04-01"},
    )
    assert r.status_code == 200 and "不能早于" in r.content.decode()
    assert not Certificate.objects.filter(number="N-1").exists()


def test_registry_power_item_edit_page_creates_version(login_as, data):
    c = login_as("agency")
    v1 = data["item"]
    url = reverse("registry:power_item_edit", args=[v1.pk])
    form = c.get(url)
    assert form.status_code == 200 and "第 2 版" in form.content.decode()
    post = {
        "name": "改名后的事项",
        "kind": "penalty",
        "major": "on",
        "effective_from": "",
        "bases-TOTAL_FORMS": "2",
        "bases-INITIAL_FORMS": "0",
        "bases-0-law": "《中华人民共和国食品安全法》",
        "bases-0-article": "第一百二十四条",
        "tiers-TOTAL_FORMS": "2",
        "tiers-INITIAL_FORMS": "0",
        "tiers-0-level": "ordinary",
        "tiers-0-circumstances": "初次",
        "tiers-0-penalty_kinds": ["警告", "罚款"],
        "tiers-0-fine_min": "100",
        "tiers-0-fine_max": "50",
    }
    r = c.post(url, post)
    assert r.status_code == 200 and "大于上限" in r.content.decode()
    assert PowerItem.objects.filter(code="P-1").count() == 1
    post["tiers-0-fine_max"] = "5000"
    r = c.post(url, post)
    assert r.status_code == 302
    v2 = PowerItem.objects.get(code="P-1", is_current=True)
    assert v2.version == 2 and v2.name == "改名后的事项" and v2.tiers.get().penalty_kinds == ["警告", "罚款"]
    body = c.get(reverse("registry:power_item_detail", args=[v1.pk])).content.decode()
    assert 'id="old-version"' in body and "已取代" in body


def test_registry_agency_create_page(login_as, data):
    c = login_as("agency")
    branch = Unit.objects.get(name="示例市市场监督管理局东城分局")
    r = c.post(
        reverse("registry:agency_create"),
        {
            "unit": branch.pk,
            "legal_status": "authorised",
            "jurisdiction": "东城区",
            "domains": "市场监管、食品安全",
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    assert Agency.objects.get(unit=branch).domains == ["市场监管", "食品安全"]
    r = c.post(
        reverse("registry:agency_create"),
        {"unit": Unit.objects.get(name="东城区城关街道办事处").pk, "legal_status": "entrusted", "is_active": "on"},
    )
    assert r.status_code == 200  # the street office is not in this user's scope: not a choice


def test_registry_certificate_status_page(login_as, data):
    c = login_as("agency")
    cert = data["o"].certificates.get()
    url = reverse("registry:certificate_status", args=[data["o"].pk, cert.pk])
    c.post(url, {"status": "suspended", "reason": ""})
    cert.refresh_from_db()
    assert cert.status == "active"
    c.post(url, {"status": "suspended", "reason": "涉嫌违纪"})
    cert.refresh_from_db()
    assert cert.status == "suspended"
    other = data["e"].certificates.get()
    bad = reverse("registry:certificate_status", args=[data["o"].pk, other.pk])
    assert c.post(bad, {"status": "revoked", "reason": "x"}).status_code == 404


def test_registry_portal_agencies_public(client, data):
    body = client.get("/portal/").content.decode()
    assert "/portal/agencies/" in body
    r = client.get("/portal/agencies/")
    assert r.status_code == 200
    body = r.content.decode()
    assert MARKET in body and ECO in body and "法定" in body
    assert data["o"].id_number[-4:] not in body and "王执法" not in body
    r = client.get(f"/portal/agencies/{data['market'].pk}/")
    body = r.content.decode()
    assert r.status_code == 200 and "P-1" in body and "第一百二十四条" in body
    assert "王执法" not in body and "CERT" not in body
    assert client.get("/portal/agencies/999999/").status_code == 404


def test_registry_officer_edit_page_never_shows_full_id(login_as, data):
    o = data["o"]
    c = login_as("agency")
    url = reverse("registry:officer_edit", args=[o.pk])
    body = c.get(url).content.decode()
    assert o.id_number not in body and o.id_number[-4:] in body
    r = c.post(
        url, {"agency": data["market"].pk, "name": "王执法", "id_number": "", "post": "大队长", "is_active": "on"}
    )
    assert r.status_code == 302
    o.refresh_from_db()
    assert (o.post, o.id_number) == ("大队长", id_number(31))
