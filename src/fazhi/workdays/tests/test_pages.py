import datetime as dt

import pytest

from fazhi.workdays.models import CalendarOverride, CalendarYear
from fazhi.workdays.tests import UNSCHEDULED_YEAR

Y = UNSCHEDULED_YEAR  # no official schedule: plain Monday–Friday, never confirmed

pytestmark = pytest.mark.django_db

CALC = "/workdays/calculator/"
CAL = "/workdays/calendar/"


def test_calculator_renders_full_page(login_as):
    r = login_as("officer").get(CALC)
    assert r.status_code == 200
    html = r.content.decode()
    assert "期限计算器" in html and 'hx-get="/workdays/calculator/"' in html
    assert 'id="calc-result"' in html


def test_calculator_htmx_partial_working_days(login_as):
    r = login_as("supervisor").get(
        CALC, {"start": "2025-09-30", "n": "5", "kind": "working"}, headers={"HX-Request": "true"}
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert html.lstrip().startswith('<div id="calc-result">')
    assert "<html" not in html
    assert 'data-date="2025-10-14"' in html and "星期二" in html and "已确认" in html
    assert "行政处罚法》第八十五条" in html
    # The holidays crossed, with the adjusted Saturday.
    assert "2025-10-01" in html and "2025-10-11" in html and "国庆节调休上班" in html


def test_calculator_natural_days_cites_civil_procedure_law_and_rolls(login_as):
    r = login_as("officer").get(
        CALC, {"start": "2025-09-01", "n": "30", "kind": "calendar"}, headers={"HX-Request": "true"}
    )
    html = r.content.decode()
    assert 'data-date="2025-10-09"' in html
    assert "民事诉讼法》第八十五条" in html
    assert "2025-10-01" in html and "顺延" in html


def test_calculator_unconfirmed_year_and_bad_input(login_as):
    client = login_as("officer")
    html = client.get(CALC, {"start": f"{UNSCHEDULED_YEAR}-03-03", "n": "5"}, headers={"HX-Request": "true"})
    html = html.content.decode()
    assert "未确认" in html and str(UNSCHEDULED_YEAR) in html
    html = client.get(CALC, {"start": "2025-13-01", "n": "5"}, headers={"HX-Request": "true"}).content.decode()
    assert 'id="calc-error"' in html and "起算日期" in html
    html = client.get(CALC, {"start": "2025-10-01", "n": "五"}).content.decode()
    assert "期限天数" in html and "应为整数" in html and "<html" in html


def test_calculator_needs_login(client):
    r = client.get(CALC)
    assert r.status_code == 302


def test_calendar_admin_forbidden_for_agency(login_as):
    client = login_as("agency")
    assert client.get(CAL).status_code == 403
    assert (
        client.post(
            "/workdays/calendar/overrides/new/", {"date": f"{Y}-10-01", "is_working_day": "0", "name": "国庆节"}
        ).status_code
        == 403
    )
    assert not CalendarOverride.objects.exists()


def test_calendar_admin_shows_year_grid(login_as):
    html = login_as("admin").get(CAL, {"year": "2025"}).content.decode()
    assert "工作日历 · 2025 年" in html
    assert 'class="wd-holiday" data-date="2025-10-01"' in html
    assert 'class="wd-adjusted" data-date="2025-10-11"' in html
    assert 'class="wd-weekend" data-date="2025-10-12"' in html
    assert 'class="wd-workday" data-date="2025-10-13"' in html
    assert "已确认" in html


def test_calendar_admin_bad_year_redirects(login_as):
    r = login_as("admin").get(CAL, {"year": "1066"})
    assert r.status_code == 302


def test_calendar_admin_create_edit_delete(login_as, django_capture_on_commit_callbacks):
    client = login_as("admin")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/workdays/calendar/overrides/new/",
            {"year": str(Y), "date": f"{Y}-10-01", "is_working_day": "0", "name": "国庆节"},
        )
    assert r.status_code == 302 and r.headers["Location"] == f"/workdays/calendar/?year={Y}"
    o = CalendarOverride.objects.get()
    html = client.get(CAL, {"year": str(Y)}).content.decode()
    assert f'class="wd-holiday" data-date="{Y}-10-01"' in html and "国庆节" in html

    r = client.post(
        "/workdays/calendar/overrides/new/",
        {"year": str(Y), "date": f"{Y}-10-01", "is_working_day": "0", "name": "国庆节"},
    )
    assert r.status_code == 422 and "已有调整记录" in r.content.decode()

    r = client.post(
        f"/workdays/calendar/overrides/{o.pk}/edit/", {"date": f"{Y}-10-04", "is_working_day": "0", "name": ""}
    )
    assert r.status_code == 422 and "名称不能为空" in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"/workdays/calendar/overrides/{o.pk}/edit/",
            {"date": f"{Y}-10-04", "is_working_day": "0", "name": "国庆节"},
        )
    assert r.status_code == 302
    o.refresh_from_db()
    assert o.date == dt.date(Y, 10, 4)

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/workdays/calendar/overrides/{o.pk}/delete/")
    assert r.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert client.post(f"/workdays/calendar/overrides/{o.pk}/delete/").status_code == 404


def test_calendar_year_confirm_form(login_as, django_capture_on_commit_callbacks):
    client = login_as("admin")
    r = client.post("/workdays/calendar/year/", {"year": str(Y), "source": "", "confirmed": "1"})
    assert r.status_code == 422 and "依据" in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/workdays/calendar/year/", {"year": str(Y), "source": "国办发明电〔2026〕1号", "confirmed": "1"}
        )
    assert r.status_code == 302
    assert CalendarYear.objects.get(year=Y).confirmed
    assert "国办发明电〔2026〕1号" in client.get(CAL, {"year": str(Y)}).content.decode()


def test_calendar_import_uses_the_generic_importer(login_as):
    from django.urls import reverse

    client = login_as("admin")
    url = reverse("core:import", args=["calendar"])
    assert f'href="{url}"' in client.get(CAL).content.decode()
    r = client.get(url)
    assert r.status_code == 200 and "节假日安排" in r.content.decode()
    assert login_as("agency").get(url).status_code in (403, 404)
