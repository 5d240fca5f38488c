"""年终述法: the report file uploaded per leader and year, the per-unit status, scope (page and API)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Attachment
from fazhi.legalservices.study import selectors, services
from fazhi.legalservices.study.models import StudyLawReport

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)
UNIT_A, UNIT_B = "示例市市场监督管理局", "示例市生态环境局"


def _pdf(name="述法报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 report", content_type="application/pdf")


def _reports(org):
    """Two leaders of unit A and one of unit B with a 2026 述法 record."""
    a = org[UNIT_A]
    made = [
        services.report_save(by=None, unit=a, year=2026, leader_name=n, leader_post="局长", content="述法", today=TODAY)
        for n in ("王局长", "李副局长")
    ]
    made.append(
        services.report_save(
            by=None, unit=org[UNIT_B], year=2026, leader_name="陈局长", leader_post="局长", content="述法", today=TODAY
        )
    )
    return made


def test_the_status_shows_who_has_and_has_not_uploaded(org, users):
    wang, *_ = _reports(org)
    services.report_file_upload(by=users["agency"], report=wang, file=_pdf())
    status = selectors.report_file_status(user=users["supervisor"], year=2026)
    by_unit = {s.unit.name: s for s in status}
    assert by_unit[UNIT_A].uploaded == ["王局长"] and by_unit[UNIT_A].missing == ["李副局长"]
    assert by_unit[UNIT_A].expected == 2
    assert by_unit[UNIT_B].uploaded == [] and by_unit[UNIT_B].missing == ["陈局长"]
    # unit A's 法制员 sees only his own unit
    assert [s.unit.name for s in selectors.report_file_status(user=users["agency"], year=2026)] == [UNIT_A]
    assert [r.leader_name for r in selectors.report_list(user=users["agency"], has_file=False)] == ["李副局长"]
    # submitting the text again keeps the uploaded file
    services.report_save(
        by=users["agency"], year=2026, leader_name="王局长", leader_post="局长", content="修改", today=TODAY
    )
    wang.refresh_from_db()
    assert wang.attachment is not None and wang.content == "修改"


def test_bad_files_are_refused_and_nothing_is_written(org, users):
    wang, _, chen = _reports(org)
    with pytest.raises(DomainError) as err:
        services.report_file_upload(by=users["agency"], report=wang, file=None)
    assert err.value.field == "file" and "述法报告文件" in err.value.message
    with pytest.raises(DomainError) as err:
        services.report_file_upload(
            by=users["agency"], report=wang, file=SimpleUploadedFile("x.exe", b"MZ", content_type="text/plain")
        )
    assert err.value.field == "file" and "述法报告文件" in err.value.message and "类型不允许" in err.value.message
    with pytest.raises(Forbidden):
        services.report_file_upload(by=users["agency"], report=chen, file=_pdf())
    assert not Attachment.objects.exists()
    assert not StudyLawReport.objects.filter(attachment__isnull=False).exists()


def test_pages_upload_list_and_download_within_scope(org, login_as):
    wang, _, chen = _reports(org)
    c = login_as("agency")
    url = f"/legalservices/study/reports/{wang.pk}/"
    assert 'id="report-upload"' in c.get(url).content.decode()
    r = c.post(url + "upload/", {})
    assert r.status_code == 422 and "请选择述法报告文件" in r.content.decode()
    r = c.post(url + "upload/", {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert r.status_code == 422 and "述法报告文件：" in r.content.decode()
    assert not Attachment.objects.exists()
    assert c.post(url + "upload/", {"file": _pdf()}).status_code == 302
    r = c.get(url + "file/")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert b"".join(r.streaming_content) == b"%PDF-1.4 report"
    page = c.get("/legalservices/study/reports/?year=2026").content.decode()
    status = page.split('id="report-status"')[1].split("</table>")[0]
    assert "王局长" in status and "李副局长" in status and "陈局长" not in status
    assert "未上传" in c.get("/legalservices/study/reports/?year=2026&file=0").content.decode()
    r = c.get("/legalservices/study/reports/?year=2026&format=xlsx")
    assert r.status_code == 200
    # unit B's report (with its file): 404 for unit A, page and download and upload
    services.report_file_upload(by=None, report=chen, file=_pdf("b.pdf"))
    other = f"/legalservices/study/reports/{chen.pk}/"
    assert c.get(other).status_code == 404
    assert c.post(other + "upload/", {"file": _pdf()}).status_code == 404
    assert c.get(other + "file/").status_code == 404
    # a viewer without study.report reads but does not upload
    assert login_as("officer").post(url + "upload/", {"file": _pdf()}).status_code == 403


def test_api_upload_status_and_download(org, api_client):
    wang, _, chen = _reports(org)
    api = api_client("agency")
    base = "/api/v1/legalservices/study/reports"
    r = api.post(f"{base}/{wang.pk}/file", {})
    assert r.status_code == 422 and r.json()["field"] == "file", r.text
    r = api.post(f"{base}/{wang.pk}/file", {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert r.status_code == 422 and "述法报告文件" in r.json()["detail"], r.text
    assert not Attachment.objects.exists()
    r = api.post(f"{base}/{wang.pk}/file", {"file": _pdf()})
    assert r.status_code == 200 and r.json()["file_name"] == "述法报告.pdf"
    r = api.get(f"{base}/{wang.pk}/file")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 report"
    assert api.get(f"{base}/files?year=2026").json() == [
        {"unit": UNIT_A, "expected": 2, "uploaded": ["王局长"], "missing": ["李副局长"]}
    ]
    assert [x["leader_name"] for x in api.get(f"{base}?has_file=true").json()] == ["王局长"]
    assert api_client("supervisor").get(f"{base}/{chen.pk}/file").status_code == 404  # no file yet
    services.report_file_upload(by=None, report=chen, file=_pdf("b.pdf"))
    assert api_client("supervisor").get(f"{base}/{chen.pk}/file").status_code == 200
    assert api.post(f"{base}/{chen.pk}/file", {"file": _pdf()}).status_code == 404
    assert api.get(f"{base}/{chen.pk}/file").status_code == 404
    chen.refresh_from_db()
    assert chen.attachment.name == "b.pdf"
