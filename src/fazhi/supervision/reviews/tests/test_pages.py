"""Pages of case-file review: lists with search, paging and export; forms that show the service's refusal beside
the field; the score sheet; documents through routes that check the object's scope."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from fazhi.supervision.reviews import selectors
from fazhi.supervision.reviews.imports import rubric_xlsx
from fazhi.supervision.reviews.models import Campaign, Rubric
from fazhi.supervision.reviews.tests import factories as fx

pytestmark = pytest.mark.django_db
R = "/supervision/reviews"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_lists_search_and_export(login_as, org, users):
    c = fx.finished_campaign(agency_units=[org[fx.MARKET]])
    sup = login_as("supervisor")
    for path, marker in [
        ("/campaigns/", "campaign-row"),
        ("/rubrics/", "rubric-row"),
        ("/files/", "file-row"),
        ("/opinions/", "opinion-row"),
    ]:
        page = sup.get(R + path)
        assert page.status_code == 200 and marker in page.content.decode(), path
        assert 'id="export-link"' in page.content.decode()
        export = sup.get(R + path, {"format": "xlsx"})
        assert export["Content-Type"] == XLSX, path
        assert load_workbook(io.BytesIO(export.content)).active.max_row >= 2, path
    assert "campaign-row" not in sup.get(R + "/campaigns/", {"q": "不存在的活动"}).content.decode()
    files = sup.get(R + "/files/", {"campaign": c.pk, "grade": "fail"}).content.decode()
    assert files.count("file-row") == c.files.filter(grade="fail").count()
    summary = sup.get(f"{R}/campaigns/{c.pk}/summary/")
    assert summary.status_code == 200 and fx.MARKET in summary.content.decode()
    assert sup.get(f"{R}/campaigns/{c.pk}/summary/", {"format": "xlsx"})["Content-Type"] == XLSX
    rubric = sup.get(f"{R}/rubrics/{c.rubric_id}/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(rubric.content)).active.values)
    assert rows[0][:3] == ("类型", "类别", "编号") and rows[1][0] == "分部"


def test_the_campaign_page_shows_the_sample_timeline_and_documents(login_as, org, users):
    c = fx.finished_campaign(agency_units=[org[fx.MARKET]])
    sup = login_as("supervisor")
    html = sup.get(f"{R}/campaigns/{c.pk}/").content.decode()
    assert c.sample.commitment in html and c.sample.seed in html and 'id="verify-result"' in html and "通过" in html
    assert "timeline-event" in html and "document-link" in html
    doc = selectors.documents_of(kind="review_campaign", pk=c.pk).first()
    download = sup.get(f"{R}/campaigns/{c.pk}/documents/{doc.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    file = c.files.first()
    doc = selectors.documents_of(kind="review_file", pk=file.pk).first()
    assert sup.get(f"{R}/files/{file.pk}/documents/{doc.pk}/").status_code == 200
    # agency2 neither reviews nor is reviewed here: nothing of it is visible.
    other = login_as("agency2")
    assert other.get(f"{R}/campaigns/{c.pk}/").status_code == 404
    assert other.get(f"{R}/files/{file.pk}/documents/{doc.pk}/").status_code == 404


def test_a_campaign_form_shows_the_refusal_beside_the_field(login_as, org):
    fx.agency_setup(org[fx.MARKET])
    rubric = fx.rubric()
    sup = login_as("supervisor")
    data = {
        "name": "页面评查活动",
        "year": fx.today().year,
        "rubric": rubric.pk,
        "period_start": str(fx.today() - dt.timedelta(days=30)),
        "period_end": str(fx.today() - dt.timedelta(days=60)),
        "min_per_agency": 3,
        "percent": "5",
        "disagreement_points": "10",
        "deadline": str(fx.today() + dt.timedelta(days=10)),
        "agencies": [selectors.agency_choices().get(unit=org[fx.MARKET]).pk],
    }
    r = sup.post(f"{R}/campaigns/new/", data)
    assert r.status_code == 422 and "决定日期止不能早于决定日期起" in r.content.decode()
    assert 'id="field-period_end"' in r.content.decode()
    assert not Campaign.objects.exists()
    data["period_end"] = str(fx.today())
    r = sup.post(f"{R}/campaigns/new/", data)
    assert r.status_code == 302
    assert login_as("agency").post(f"{R}/campaigns/{Campaign.objects.get().pk}/commit/").status_code == 403


def test_the_rubric_import_page_checks_then_imports(login_as, users):
    rows = selectors.rubric_rows(rubric=fx.rubric())
    sup = login_as("supervisor")
    header = {"name": "页面导入标准", "year": 2032, "case_type": "penalty", "total": "100", "excellent_min": "90",
              "pass_min": "60"}  # fmt: skip
    bad = [list(r) for r in rows]
    bad[1][6] = 9
    r = sup.post(f"{R}/rubrics/import/", {**header, "file": SimpleUploadedFile("r.xlsx", rubric_xlsx(bad))})
    assert r.status_code == 422 and "超过该项分值" in r.content.decode() and 'id="import-errors"' in r.content.decode()
    r = sup.post(f"{R}/rubrics/import/", {**header, "file": SimpleUploadedFile("r.xlsx", rubric_xlsx(rows))})
    assert r.status_code == 200 and 'id="import-ok"' in r.content.decode()
    assert not Rubric.objects.filter(name="页面导入标准").exists()
    token = r.context["token"]
    r = sup.post(f"{R}/rubrics/import/", {**header, "token": token})
    assert r.status_code == 302
    assert Rubric.objects.get(name="页面导入标准").items.count() == len(rows) - 6
    assert sup.get(f"{R}/rubrics/import/template/")["Content-Type"] == XLSX
    assert login_as("agency").get(f"{R}/rubrics/import/").status_code == 403


def test_scoring_on_the_sheet_page(login_as, org, users):
    market = fx.agency_setup(org[fx.MARKET])
    fx.decided_case(market, flaw="service_late")
    c = fx.drawn_campaign(units=[org[fx.MARKET]], reviewers=("monitor",), min_per_agency=1)
    file = c.files.get()
    monitor = login_as("monitor")
    url = f"{R}/files/{file.pk}/sheet/"
    assert "open-sheet" in monitor.get(url).content.decode()
    assert monitor.post(url, {"action": "open"}).status_code == 302
    line = file.sheets.get().lines.get()
    page = monitor.get(url).content.decode()
    assert "法定校验预填" in page and line.citation in page
    r = monitor.post(url, {"action": "override", "line": line.pk, "reason": ""})
    assert r.status_code == 422 and "推翻预填扣分须说明理由" in r.content.decode()
    r = monitor.post(url, {"action": "submit", "comment": ""})
    assert r.status_code == 422 and "未确认或推翻" in r.content.decode()
    assert monitor.post(url, {"action": "confirm", "line": line.pk}).status_code == 302
    item = c.rubric.items.get(code="4.4")
    r = monitor.post(url, {"action": "add", "rubric_item": item.pk, "defects": 3, "note": "送达回证缺页"})
    assert r.status_code == 422 and "超过" in r.content.decode() and 'id="field-defects"' in r.content.decode()
    r = monitor.post(url, {"action": "submit", "comment": "评查完毕"})
    assert r.status_code == 302
    file.refresh_from_db()
    assert file.status == "final" and file.score == 99
    detail = monitor.get(f"{R}/files/{file.pk}/").content.decode()
    assert "99 分" in detail and "document-link" in detail and "timeline-event" in detail
    assert login_as("agency2").get(url).status_code == 404


def test_the_agency_reports_rectification_with_a_file(login_as, org, users):
    c = fx.finished_campaign(agency_units=[org[fx.MARKET]])
    opinion = c.opinions.get()
    agency = login_as("agency")
    page = agency.get(f"{R}/opinions/{opinion.pk}/").content.decode()
    assert opinion.number in page and 'id="report-form"' in page
    r = agency.post(f"{R}/opinions/{opinion.pk}/report/", {"text": ""})
    assert r.status_code == 422
    upload = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 rectified", content_type="application/pdf")
    r = agency.post(f"{R}/opinions/{opinion.pk}/report/", {"text": "已整改", "attachments": [upload]})
    assert r.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "reported"
    assert opinion.item.events.filter(action="rectification_reported", attachments__name="整改报告.pdf").exists()
    assert agency.post(f"{R}/opinions/{opinion.pk}/signoff/", {"comment": "x"}).status_code == 403
    sup = login_as("supervisor")
    assert sup.post(f"{R}/opinions/{opinion.pk}/signoff/", {"comment": "同意销号"}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == "closed"
