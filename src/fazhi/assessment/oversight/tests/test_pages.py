"""Pages of 法治督察 (no browser): campaign list and detail, problem form with errors beside fields, Excel import
preview, the ledger with search, paging and export, a rectification's steps, sign-off refused without evidence."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from fazhi.assessment.oversight import rules, services
from fazhi.assessment.oversight.importers import ProblemImporter
from fazhi.assessment.oversight.models import OversightProblem
from fazhi.assessment.oversight.tests import factories as f

pytestmark = pytest.mark.django_db
LEDGER = "/assessment/oversight/problems/"


def test_campaign_pages_and_problem_errors(org, login_as):
    today = timezone.localdate()
    c = f.campaign(org, today=today)
    sup = login_as("supervisor")
    assert 'id="new-campaign"' in sup.get("/assessment/oversight/campaigns/").content.decode()
    page = sup.get(f"/assessment/oversight/campaigns/{c.pk}/").content.decode()
    assert 'id="problem-form"' in page and 'id="import-form"' in page
    r = sup.post(
        f"/assessment/oversight/campaigns/{c.pk}/problems/",
        {"aspect": "决策方面", "description": "问题", "units": [org[f.MARKET].pk], "deadline": "2000-01-01"},
    )
    assert r.status_code == 422 and 'data-field="deadline"' in r.content.decode()
    assert not OversightProblem.objects.exists()
    r = sup.post(
        f"/assessment/oversight/campaigns/{c.pk}/problems/",
        {
            "aspect": "决策方面",
            "description": "未公开目录",
            "units": [org[f.MARKET].pk],
            "deadline": (today + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert r.status_code == 302 and OversightProblem.objects.count() == 1
    assert login_as("agency").get("/assessment/oversight/campaigns/").status_code == 403


def test_import_preview_then_commit(org, login_as):
    today = timezone.localdate()
    c = f.campaign(org, today=today)
    wb = Workbook()
    wb.active.append([col.header for col in ProblemImporter.columns])
    wb.active.append(["决策方面", "未公开目录", "", f.MARKET, (today + dt.timedelta(days=20)).isoformat(), None, None])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "问题清单.xlsx"
    sup = login_as("supervisor")
    r = sup.post(f"/assessment/oversight/campaigns/{c.pk}/import/", {"file": buf, "step": "check"})
    body = r.content.decode()
    assert r.status_code == 200 and 'id="import-commit"' in body and not OversightProblem.objects.exists()
    token = body.split('name="token" value="')[1].split('"')[0]
    r = sup.post(f"/assessment/oversight/campaigns/{c.pk}/import/", {"token": token, "step": "commit"})
    assert r.status_code == 302 and OversightProblem.objects.count() == 1


def test_ledger_search_paging_export_and_scope(org, login_as):
    today = timezone.localdate()
    c = f.campaign(org, today=today)
    for n in range(21):
        f.problem(org, c, today=today, text=f"问题{n}")
    f.problem(org, c, today=today, units=(f.ECOLOGY,), text="生态环境局的问题")
    sup = login_as("supervisor")
    page = sup.get(LEDGER).content.decode()
    assert "第 1 / 2 页" in page and 'id="open-counts"' in page
    found = sup.get(LEDGER, {"q": "生态环境局的问题"}).content.decode()
    assert found.count('class="ledger-row"') == 1
    r = sup.get(LEDGER, {"q": "生态环境局的问题", "format": "xlsx"})
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows()]
    assert rows[0][:5] == ["督察", "问题方面", "序号", "问题描述", "责任单位"] and rows[1][4] == f.ECOLOGY
    assert login_as("agency2").get(LEDGER).content.decode().count('class="ledger-row"') == 1
    assert login_as("monitor").get(LEDGER).status_code == 403


def test_rectification_steps_on_the_page(org, login_as):
    today = timezone.localdate()
    c = f.campaign(org, today=today)
    rect = f.problem(org, c, today=today).rectifications.get()
    url = f"/assessment/oversight/problems/{rect.pk}/"
    agency, sup = login_as("agency"), login_as("supervisor")
    assert 'id="report-form"' in agency.get(url).content.decode()
    agency.post(url + "report/", {"text": "已整改", "hand_in": "on"})
    rect.refresh_from_db()
    assert rect.status == rules.SUBMITTED
    r = sup.post(url + "signoff/", {"comment": ""})
    assert r.status_code == 422 and "没有整改佐证材料" in r.content.decode()
    sup.post(url + "return/", {"reason": "请补充佐证"})
    agency.post(url + "report/", {"text": "补充", "hand_in": "on", "attachments": f.pdf()})
    assert sup.post(url + "signoff/", {"comment": "同意"}).status_code == 302
    rect.refresh_from_db()
    assert rect.status == rules.SIGNED_OFF
    page = sup.get(url).content.decode()
    assert 'class="evidence-file' in page and 'data-action="closed"' in page
    assert login_as("agency2").get(url).status_code == 404


def test_other_unit_sees_nothing(org, login_as, users):
    rect = f.problem(org, f.campaign(org, today=timezone.localdate()), today=timezone.localdate()).rectifications.get()
    services.rectification_plan(by=users["agency"], rectification=rect, plan="方案")
    assert login_as("agency2").get(f"/assessment/oversight/problems/{rect.pk}/").status_code == 404
