"""The 调解 pages (no browser): list with search, paging and Excel; registration; detail with each step; the error
beside its field; organisations; statistics with chart and export; the ledger import (dry run, row errors)."""

import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from fazhi.legalservices.mediation import rules
from fazhi.legalservices.mediation.models import MediationCase
from fazhi.legalservices.mediation.tests import factories as f

pytestmark = pytest.mark.django_db
LIST = "/legalservices/mediation/"


def _xlsx(response) -> list[list]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]


def test_list_search_paging_export(login_as):
    o = f.org()
    today = timezone.localdate()
    for n in range(21):
        f.case(the_org=o, today=today, facts=f"纠纷 {n}")
    c = login_as("supervisor")
    page = c.get(LIST).content.decode()
    assert 'id="case-filter"' in page and "第 1 / 2 页" in page and 'id="new-case"' in page
    found = c.get(LIST + "?q=纠纷 20").content.decode()
    assert found.count('class="case-row"') == 1
    rows = _xlsx(c.get(LIST + "?format=xlsx"))
    assert rows[0][0] == "编号" and len(rows) == 22 and rows[1][4] == "人民调解" and rows[1][5] == "王某"


def test_register_and_close_on_the_pages(login_as):
    o = f.org()
    c = login_as("supervisor")
    r = c.post(
        LIST + "new/",
        {
            "org": o.pk,
            "kind": "neighbour",
            "source": "walk_in",
            "applicant": "王大明",
            "respondent": "赵小红",
            "facts": "纠纷。",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    case = MediationCase.objects.get()
    detail = c.get(r["Location"]).content.decode()
    assert "王某" in detail and "王大明" not in detail and 'id="close-form"' in detail
    r = c.post(f"{LIST}{case.pk}/close/", {"outcome": ""})
    assert r.status_code == 422
    assert 'data-field="outcome"' in r.content.decode() and "请选择调解结果" in r.content.decode()
    r = c.post(f"{LIST}{case.pk}/close/", {"outcome": rules.SUCCESS, "agreement": "赵小红三日内疏通排水沟。"})
    assert r.status_code == 302
    detail = c.get(f"{LIST}{case.pk}/").content.decode()
    assert "人民调解协议书" in detail and 'id="follow-form"' in detail
    case.refresh_from_db()
    r = c.get(f"{LIST}{case.pk}/documents/{case.document_id}/")
    assert r.status_code == 200


def test_register_error_beside_field(login_as):
    o = f.org()
    r = login_as("supervisor").post(
        LIST + "new/",
        {"org": o.pk, "kind": "neighbour", "source": "court", "applicant": "王", "respondent": "赵", "facts": "x"},
    )
    assert r.status_code == 422 and 'data-field="court_name"' in r.content.decode()
    assert not MediationCase.objects.exists()


def test_orgs_and_stats(login_as):
    o = f.org()
    f.case(the_org=o, today=timezone.localdate())
    c = login_as("supervisor")
    assert "测试镇人民调解委员会" in c.get(LIST + "orgs/").content.decode()
    page = c.get(f"{LIST}orgs/{o.pk}/").content.decode()
    assert "罗调解" in page and "139****0001" in page
    r = c.post(f"{LIST}orgs/{o.pk}/", {"name": "邓调解", "phone": ""})
    assert r.status_code == 302
    stats = c.get(LIST + "stats/?dimension=kind").content.decode()
    assert "邻里纠纷" in stats and 'id="stats-chart"' in stats
    assert c.get(LIST + "stats/chart.png?dimension=kind")["Content-Type"] == "image/png"
    rows = _xlsx(c.get(LIST + "stats/?dimension=org&format=xlsx"))
    assert rows[0][0] == "调解组织" and rows[-1][0] == "合计"
    assert c.get(LIST + "stats/?dimension=org&start=2026-02-01&end=2026-01-01").status_code == 422


def _ledger(rows) -> io.BytesIO:
    from fazhi.core.imports import IMPORTERS

    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in IMPORTERS["mediation-ledger"].columns])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_ledger_import_all_or_nothing(users):
    from fazhi.core.imports import IMPORTERS, run_import

    f.org()
    importer = IMPORTERS["mediation-ledger"]
    good = [
        "测试镇人民调解委员会",
        "邻里纠纷",
        "当事人申请（来访）",
        "张三",
        "李四",
        "排水沟纠纷。",
        2000,
        "2026-03-02",
        "",
        "调解成功",
        "2026-03-10",
        "疏通排水沟。",
        "",
    ]
    bad = [*good[:9], "调解成功", "2026-03-10", "", ""]
    result = run_import(importer, _ledger([good, bad]), by=users["supervisor"], commit=True)
    assert result.has_errors and not result.committed
    assert [r.number for r in result.error_rows] == [3]
    assert result.error_rows[0].errors[0][0] == "协议内容" and "调解协议内容" in result.messages[0]
    assert not MediationCase.objects.exists()
    result = run_import(importer, _ledger([good]), by=users["supervisor"], commit=False)
    assert not result.has_errors and not MediationCase.objects.exists()
    result = run_import(importer, _ledger([good]), by=users["supervisor"], commit=True)
    assert not result.has_errors
    case = MediationCase.objects.get()
    assert case.status == rules.SUCCESS and case.imported and case.amount == 2000


def test_court_extension_page(login_as):
    import datetime as dt

    today = timezone.localdate()
    case = f.case(today=today, source="court", court_name="东城区人民法院", court_referred_on=today, received_on=today)
    c = login_as("supervisor")
    assert 'id="extend-form"' in c.get(f"{LIST}{case.pk}/").content.decode()
    r = c.post(f"{LIST}{case.pk}/court-extend/", {"days": "10", "ground": "consent", "reason": ""})
    assert r.status_code == 422 and 'data-field="reason"' in r.content.decode()
    r = c.post(f"{LIST}{case.pk}/court-extend/", {"days": "10", "ground": "consent", "reason": "双方同意"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.court_due == today + dt.timedelta(days=40)
    detail = c.get(f"{LIST}{case.pk}/").content.decode()
    assert 'id="court-extension"' in detail and 'id="extend-form"' not in detail
    assert login_as("leader").post(f"{LIST}{case.pk}/court-extend/", {"days": "5"}).status_code == 403


def test_org_and_mediator_pages_edit_and_deactivate(login_as):
    from fazhi.legalservices.mediation.models import MediationOrg, Mediator

    o = f.org()
    m = Mediator.objects.get(org=o)
    c = login_as("supervisor")
    page = c.get(f"{LIST}orgs/{o.pk}/").content.decode()
    assert 'id="org-edit-form"' in page and 'id="org-deactivate"' in page
    r = c.post(f"{LIST}orgs/{o.pk}/edit/", {"name": "", "kind": "village", "division": o.division_id})
    assert r.status_code == 422 and 'data-field="name"' in r.content.decode()
    r = c.post(f"{LIST}orgs/{o.pk}/edit/", {"name": "页面改名调委会", "kind": "village", "division": o.division_id})
    assert r.status_code == 302 and MediationOrg.objects.get(pk=o.pk).name == "页面改名调委会"
    page = c.get(f"{LIST}orgs/{o.pk}/mediators/{m.pk}/").content.decode()
    assert 'id="mediator-edit-form"' in page and 'id="mediator-deactivate"' in page
    r = c.post(f"{LIST}orgs/{o.pk}/mediators/{m.pk}/", {"name": "罗三", "phone": ""})
    assert r.status_code == 302 and Mediator.objects.get(pk=m.pk).name == "罗三"
    assert c.post(f"{LIST}orgs/{o.pk}/mediators/{m.pk}/active/", {"active": "0"}).status_code == 302
    assert not Mediator.objects.get(pk=m.pk).is_active
    assert c.post(f"{LIST}orgs/{o.pk}/active/", {"active": "0"}).status_code == 302
    page = c.get(f"{LIST}orgs/{o.pk}/").content.decode()
    assert 'id="org-activate"' in page and 'id="mediator-form"' not in page and "已离任" in page
    assert "页面改名调委会" in c.get(f"{LIST}orgs/?state=inactive").content.decode()
    assert "页面改名调委会" not in c.get(f"{LIST}orgs/").content.decode()
    leader = login_as("leader")
    assert leader.post(f"{LIST}orgs/{o.pk}/active/", {"active": "1"}).status_code == 403
    assert leader.post(f"{LIST}orgs/{o.pk}/mediators/{m.pk}/", {"name": "x"}).status_code == 403
