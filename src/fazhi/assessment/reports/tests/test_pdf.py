"""Reports as PDF, rendered by LibreOffice from their 公文 (page and API), read back with pdftotext; another unit's
user gets nothing; a host without LibreOffice answers 503 with the reason."""

import datetime as dt
import shutil
import subprocess

import pytest

from fazhi.assessment.reports import services
from fazhi.documents.gongwen import soffice_path

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (soffice_path() and shutil.which("pdftotext")), reason="LibreOffice / pdftotext missing"),
]
MARKET, JUSTICE = "示例市市场监督管理局", "示例市司法局"


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


def test_bulletin_pdf_page_and_annual_pdf_api(org, login_as, api_client, tmp_path):
    bulletin = services.bulletin_generate(
        by=None, issuer=org[JUSTICE], year=2026, quarter=2, today=dt.date(2026, 7, 15)
    )
    r = login_as("supervisor").get(f"/assessment/reports/{bulletin.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = b"".join(r.streaming_content) if r.streaming else r.content
    assert pdf.startswith(b"%PDF")
    assert "季度" in _text(pdf, tmp_path).replace(" ", "")
    annual = services.annual_generate(by=None, unit=org[MARKET], year=2025, today=dt.date(2026, 1, 10))
    r = api_client("agency").get(f"/api/v1/assessment/reports/{annual.pk}/pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert "法治政府建设" in _text(r.content, tmp_path).replace(" ", "")
    assert api_client("agency2").get(f"/api/v1/assessment/reports/{annual.pk}/pdf").status_code == 404
    assert login_as("agency2").get(f"/assessment/reports/{annual.pk}/pdf/").status_code == 404
    docx = api_client("agency").get(f"/api/v1/assessment/reports/{annual.pk}/document")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_without_libreoffice_the_pdf_answers_503(org, login_as, api_client, monkeypatch):
    annual = services.annual_generate(by=None, unit=org[MARKET], year=2025, today=dt.date(2026, 1, 10))
    monkeypatch.setenv("PATH", "/nonexistent")
    r = login_as("agency").get(f"/assessment/reports/{annual.pk}/pdf/")
    assert r.status_code == 503 and "LibreOffice" in r.content.decode()
    r = api_client("agency").get(f"/api/v1/assessment/reports/{annual.pk}/pdf")
    assert r.status_code == 503 and "LibreOffice" in r.json()["detail"]
