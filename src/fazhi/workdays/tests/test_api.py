import re

import pytest
from django.test import Client

from fazhi.workdays.models import CalendarOverride
from fazhi.workdays.tests import UNSCHEDULED_YEAR

Y = UNSCHEDULED_YEAR  # no official schedule: plain Monday–Friday, never confirmed

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
URL = "/api/v1/workdays/deadline"


@pytest.fixture
def officer(api_client):
    return api_client("officer")


def test_deadline_working_days(officer):
    r = officer.get(URL, {"start": "2025-09-30", "working_days": "5"})
    assert r.status_code == 200
    assert r.json() == {"start": "2025-09-30", "deadline": "2025-10-14", "confirmed": True}


def test_deadline_calendar_days_rolls_off_the_holiday(officer):
    r = officer.get(URL, {"start": "2025/9/1", "calendar_days": "30"})
    assert r.json() == {"start": "2025-09-01", "deadline": "2025-10-09", "confirmed": True}


def test_deadline_beyond_known_years_is_unconfirmed(officer):
    r = officer.get(URL, {"start": f"{Y}-05-03", "working_days": "10"})
    assert r.status_code == 200
    assert r.json()["confirmed"] is False


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2025-02-30", "working_days": "5"}, "start"),
        ({"start": "明天", "working_days": "5"}, "start"),
        ({"working_days": "5"}, "start"),
        ({"start": "2025-09-30"}, "working_days"),
        ({"start": "2025-09-30", "working_days": "5", "calendar_days": "5"}, "working_days"),
        ({"start": "2025-09-30", "working_days": "-1"}, "working_days"),
        ({"start": "2025-09-30", "working_days": "2.5"}, "working_days"),
        ({"start": "2025-09-30", "calendar_days": "abc"}, "calendar_days"),
        ({"start": "2025-09-30", "calendar_days": "99999"}, "calendar_days"),
        ({"start": "9999-12-31", "calendar_days": "3660"}, "start"),
    ],
)
def test_deadline_bad_parameters_are_422_in_chinese(officer, params, field):
    r = officer.get(URL, params)
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == field
    assert CJK.search(body["detail"])
    assert field in body["detail"]


def test_deadline_requires_login():
    r = Client().get(URL, {"start": "2025-09-30", "working_days": "5"})
    assert r.status_code == 401
    assert r.json() == {"detail": "未登录或令牌无效"}


def test_is_working_day(officer):
    r = officer.get("/api/v1/workdays/is-working-day", {"date": "2025-10-11"})
    assert r.json() == {
        "date": "2025-10-11",
        "is_working_day": True,
        "kind": "adjusted",
        "kind_label": "调休上班",
        "name": "国庆节调休上班",
        "confirmed": True,
    }
    r = officer.get("/api/v1/workdays/is-working-day", {"date": "2025-10-06"})
    assert r.json()["is_working_day"] is False and r.json()["name"] == "中秋节"
    r = officer.get("/api/v1/workdays/is-working-day", {"date": "x"})
    assert r.status_code == 422 and r.json()["field"] == "date"


def test_between(officer):
    r = officer.get("/api/v1/workdays/between", {"start": "2025-09-30", "end": "2025-10-14"})
    assert r.json() == {"start": "2025-09-30", "end": "2025-10-14", "working_days": 5, "confirmed": True}
    r = officer.get("/api/v1/workdays/between", {"start": "2025-09-30"})
    assert r.status_code == 422 and r.json()["field"] == "end"


def test_overrides_list_and_write_need_calendar_manage(api_client, officer, django_capture_on_commit_callbacks):
    admin = api_client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(
            "/api/v1/workdays/overrides",
            {"date": f"{Y}-10-01", "is_working_day": False, "name": "国庆节"},
            content_type="application/json",
        )
    assert r.status_code == 201
    created = r.json()
    assert created["date"] == f"{Y}-10-01" and created["name"] == "国庆节"
    assert officer.get("/api/v1/workdays/overrides", {"year": Y}).json() == [created]
    assert officer.get("/api/v1/workdays/is-working-day", {"date": f"{Y}-10-01"}).json()["is_working_day"] is False

    r = officer.post(
        "/api/v1/workdays/overrides",
        {"date": f"{Y}-10-04", "is_working_day": False, "name": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}
    r = officer.delete(f"/api/v1/workdays/overrides/{created['id']}")
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}

    assert admin.delete(f"/api/v1/workdays/overrides/{created['id']}").status_code == 204
    assert not CalendarOverride.objects.exists()
    assert admin.delete(f"/api/v1/workdays/overrides/{created['id']}").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"date": f"{Y}-10-01", "is_working_day": False, "name": ""}, "name"),
        ({"date": "2025-10-09", "is_working_day": True, "name": "x"}, "is_working_day"),
        ({"date": "2070-10-01", "is_working_day": False, "name": "x"}, "date"),
        ({"is_working_day": False, "name": "x"}, "date"),
        ({"date": f"{Y}-10-01", "is_working_day": "也许", "name": "x"}, "is_working_day"),
    ],
)
def test_override_write_errors_are_422_in_chinese(api_client, payload, field):
    r = api_client("admin").post("/api/v1/workdays/overrides", payload, content_type="application/json")
    assert r.status_code == 422
    body = r.json()
    assert CJK.search(body["detail"])
    # Body fields are reported under the body parameter's name: "payload.date".
    assert field in [e["field"].split(".")[-1] for e in body["errors"]]


def test_override_delete_bad_id_is_422(api_client):
    r = api_client("admin").delete("/api/v1/workdays/overrides/abc")
    assert r.status_code == 422
    assert "override_id" in r.json()["detail"]
