"""Hostile values on the API and the pages (issue 8): out-of-range numbers and dates, wrong JSON types and
over-long text are a 422 with a Chinese message, never a 500; control and bidi characters are stripped;
e-mail addresses are checked with Django's EmailValidator."""

import pytest
from django.test import RequestFactory

from fazhi.core.normalize import clean_text, email_valid, strip_controls

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def assert_422(r):
    assert r.status_code == 422, r.content
    body = r.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body  # a Chinese message


# ---------------------------------------------------------------- numbers, dates and JSON types


@pytest.mark.parametrize("year", [0, 10000, -1])
def test_burden_statistics_refuse_impossible_years(api_client, year):
    assert_422(api_client("supervisor").get(f"/api/v1/inspections/burden?year={year}"))


@pytest.mark.parametrize("param", ["date_from=0001-01-01", "date_to=1899-12-31", "date_from=9999-12-31"])
def test_dates_outside_1900_2100_are_refused(api_client, param):
    assert_422(api_client("supervisor").get(f"/api/v1/inspections/burden?{param}"))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units?limit=99999999999999999999999",
        "/api/v1/divisions?offset=99999999999999999999999",
        "/api/v1/users?offset=9223372036854775807",
        "/api/v1/complaints?offset=99999999999999999999999",
        "/api/v1/cases?offset=99999999999999999999999",
        "/api/v1/units/99999999999999999999999",
    ],
)
def test_list_filters_and_ids_out_of_range(api_client, users, url):
    from fazhi.core.models import Role

    users["supervisor"].roles.add(*Role.objects.all())
    r = api_client("supervisor").get(url)
    assert r.status_code in (200, 404, 422), r.content  # a limit is clamped; an offset or id is refused


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"party": "x"}, "party"),
        ({"party": ["x"]}, "party"),
        ({"handlers": 5}, "handlers"),
        ({"handlers": ["张三"]}, "handlers.0"),
        ({"tier": "x"}, "tier"),
        ({"extension_days": 10**20}, "extension_days"),
        ({"extension_days": True}, "extension_days"),
        ({"filed_on": "0001-01-01"}, "filed_on"),
    ],
)
def test_case_check_with_wrong_json_types(api_client, payload, field):
    r = post(api_client("agency"), "/api/v1/cases/check", payload)
    assert_422(r)
    assert r.json()["field"] == field


@pytest.mark.parametrize("body", ["{not json", "false", "[1, 2]", '"x"'])
def test_body_that_is_not_a_json_object_is_a_chinese_400(api_client, body):
    r = api_client("agency").post("/api/v1/tokens", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"] == "请求体应为 JSON 对象"


# ---------------------------------------------------------------- lengths against the column


def test_a_case_title_longer_than_its_column_is_refused(org, users, api_client):
    from fazhi.cases.models import Case
    from fazhi.cases.tests import case_factories as cf

    m = cf.market(org, users)
    body = {
        "power_item_id": m["item"].pk,
        "title": "长" * 100_000,
        "party_kind": "organisation",
        "party_name": "示例市某某商贸有限公司",
        "party_uscc": cf.ORG_USCC,
        "filed_on": "2025-03-03",
        "handlers": [m["o1"].pk, m["o2"].pk],
    }
    before = Case.objects.count()
    r = post(api_client("agency"), "/api/v1/cases", body)
    assert_422(r)
    assert r.json()["field"] == "title" and "200" in r.json()["detail"]
    assert Case.objects.count() == before


def test_every_model_refuses_text_longer_than_its_column(users):
    from fazhi.core.errors import DomainError
    from fazhi.core.models import Division

    with pytest.raises(DomainError) as exc:
        Division.objects.create(code="439999", name="区" * 1000)
    assert exc.value.field == "name"


# ---------------------------------------------------------------- control and bidi characters

HOSTILE = "示例\u202e局\u2066\x07\x00单位\u200f"


def test_strip_controls_removes_control_and_bidi_characters():
    assert strip_controls(HOSTILE) == "示例局单位"
    assert strip_controls("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert strip_controls({"a": [HOSTILE, 1]}) == {"a": ["示例局单位", 1]}
    assert clean_text(HOSTILE) == "示例局单位"


def test_api_json_bodies_lose_control_characters(api_client):
    r = post(api_client("admin"), "/api/v1/tokens", {"name": "脚本\u202e令牌\x01"})
    assert r.status_code == 201, r.content
    assert r.json()["name"] == "脚本令牌"


def test_form_fields_and_query_strings_lose_control_characters():
    from fazhi.core.input_cleaning import InputCleaningMiddleware

    seen = {}

    def view(request):
        seen["get"] = request.GET["q"]
        seen["post"] = request.POST["name"]
        return None

    request = RequestFactory().post("/x/?q=a%E2%80%AEb%07", {"name": HOSTILE})
    InputCleaningMiddleware(view)(request)
    assert seen == {"get": "ab", "post": "示例局单位"}


# ---------------------------------------------------------------- e-mail


@pytest.mark.parametrize("address", ["x@.example.com", "x@example..com", "a b@example.com", "x@exa_mple.com"])
def test_bad_email_addresses_are_refused(address, api_client, users):
    assert not email_valid(address)
    r = patch(api_client("admin"), f"/api/v1/users/{users['officer'].pk}", {"email": address})
    assert_422(r)
    assert r.json()["field"] == "email"


def test_good_email_address_is_accepted():
    assert email_valid("zhang.san@sfj.example.gov.cn")


def test_every_model_refuses_none_in_a_not_null_column(users):
    from fazhi.core.errors import DomainError
    from fazhi.core.models import Division

    with pytest.raises(DomainError) as exc:
        Division.objects.create(code="439998", name=None)
    assert exc.value.field == "name"


@pytest.mark.parametrize("field", ["name", "kind", "division", "sort_order", "is_active"])
def test_null_in_a_required_field_of_a_patch_is_a_422(api_client, org, field):
    unit = org["示例市司法局"]
    r = patch(api_client("admin"), f"/api/v1/units/{unit.pk}", {field: None})
    assert r.status_code in (200, 422), r.content  # null means "unchanged" or is refused, never a 500
    if r.status_code == 422:
        assert_422(r)


def test_a_path_that_matches_no_route_answers_json_404(api_client):
    r = api_client("agency").get("/api/v1/cases/abc")
    assert r.status_code == 404 and r.json()["detail"] == "记录不存在或无权访问"


def test_anonymous_write_without_a_session_is_401_not_a_csrf_403(client):
    r = client.post("/api/v1/units", {"name": "x"}, content_type="application/json")
    assert r.status_code == 401 and r.json()["detail"] == "未登录或令牌无效"
