"""The 法律顾问 pages (no browser): roster with search and export, adviser with contracts (the clash beside its field),
coverage with lights and the village form, opinions, and the coverage on the division page."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.legalservices.advisers.models import AdviserContract
from fazhi.legalservices.advisers.tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/legalservices/advisers/"


def test_roster_contract_and_coverage_pages(login_as, org):
    v = f.village()
    a = f.adviser(phone="13907431111")
    c = login_as("supervisor")
    page = c.get(BASE + "?q=谭").content.decode()
    assert "谭律师" in page and 'id="adviser-form"' in page and 'id="yearly-counts"' in page
    r = c.get(BASE + "?format=xlsx")
    rows = [[x.value for x in row] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows()]
    assert rows[1][1] == "谭律师" and rows[1][4] == "139****1111"
    year = timezone.localdate().year
    data = {"village": v.pk, "start": f"{year}-01-01", "end": f"{year}-12-31"}
    assert c.post(f"{BASE}{a.pk}/contracts/", data).status_code == 302
    other = f.adviser(name="邓律师")
    r = c.post(f"{BASE}{other.pk}/contracts/", data)
    assert r.status_code == 422 and 'data-field="village"' in r.content.decode() and "不能重叠" in r.content.decode()
    assert AdviserContract.objects.count() == 1
    cov = c.get(BASE + "coverage/").content.decode()
    assert 'data-code="439921" data-light="green"' in cov
    r = c.post(
        BASE + "coverage/", {"name": "青山村", "kind": "village", "unit": org[f.TOWNSHIP].pk, "division": v.division_id}
    )
    assert r.status_code == 302
    assert 'data-code="439921" data-light="red"' in c.get(BASE + "coverage/").content.decode()  # 1 of 2 = 50 %


def test_coverage_on_the_division_page(login_as):
    v = f.village()
    f.village_contract(v, start=dt.date(2000, 1, 1), end=dt.date(2099, 12, 31))
    page = login_as("admin").get(f"/system/divisions/{v.division_id}/").content.decode()
    assert 'id="division-figures"' in page and "村（居）法律顾问" in page and "100.0%" in page and "light-green" in page


def test_opinion_pages(login_as, users):
    gov = f.adviser(kind="government", name="欧阳顾问", unit="示例市人民政府")
    ag = login_as("agency")
    r = ag.post(
        BASE + "opinions/",
        {"unit": users["agency"].unit_id, "kind": "contract", "subject": "采购合同", "question": "q"},
    )
    assert r.status_code == 302
    detail = r["Location"]
    assert 'id="route-form"' not in ag.get(detail).content.decode()
    sup = login_as("supervisor")
    assert 'id="route-form"' in sup.get(detail).content.decode()
    assert sup.post(detail + "route/", {"adviser": gov.pk}).status_code == 302
    r = sup.post(detail + "answer/", {"text": "", "suggestions": 0})
    assert r.status_code == 422 and 'data-field="text"' in r.content.decode()
    assert sup.post(detail + "answer/", {"text": "合法。", "suggestions": 1}).status_code == 302
    page = ag.get(detail).content.decode()
    assert "法律意见书" in page and "合法。" in page
    assert "采购合同" in ag.get(BASE + "opinions/").content.decode()


def test_contract_termination_and_roster_state_pages(login_as):
    import datetime as dt

    from django.utils import timezone

    from fazhi.legalservices.advisers.models import AdviserContract, LegalAdviser
    from fazhi.legalservices.advisers.tests import factories as f

    today = timezone.localdate()
    c = f.village_contract(f.village(), start=today - dt.timedelta(days=30), end=today + dt.timedelta(days=300))
    client = login_as("supervisor")
    url = f"/legalservices/advisers/{c.adviser_id}/"
    page = client.get(url).content.decode()
    assert f'id="terminate-form-{c.pk}"' in page and 'id="adviser-deactivate"' in page
    assert 'id="adviser-edit-form"' in page
    r = client.post(f"{url}edit/", {"name": "", "firm": "所"})
    assert r.status_code == 422 and 'data-field="name"' in r.content.decode()
    assert client.post(f"{url}edit/", {"name": "谭三", "firm": "所"}).status_code == 302
    assert LegalAdviser.objects.get(pk=c.adviser_id).name == "谭三"
    r = client.post(f"{url}contracts/{c.pk}/terminate/", {"on": str(today), "reason": ""})
    assert r.status_code == 422 and 'data-field="reason"' in r.content.decode()
    r = client.post(f"{url}contracts/{c.pk}/terminate/", {"on": str(today), "reason": "调离"})
    assert r.status_code == 302 and AdviserContract.objects.get(pk=c.pk).terminated_on == today
    assert "提前终止：调离" in client.get(url).content.decode()
    assert client.post(f"{url}active/", {"active": "0"}).status_code == 302
    assert not LegalAdviser.objects.get(pk=c.adviser_id).is_active
    assert 'id="adviser-activate"' in client.get(url).content.decode()
    assert login_as("leader").post(f"{url}active/", {"active": "1"}).status_code == 403
