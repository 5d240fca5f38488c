"""Hostile files on every import page (issue 8): a damaged or oversized workbook is a form error
"文件无法读取：<原因>" on the page, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core.tests import hostile_xlsx as hx

pytestmark = pytest.mark.django_db

# (user, url name, url args, importer key: the page's header row is that importer's columns)
PAGES = [
    ("admin", "core:import", ["units"], "units"),
    ("admin", "core:import", ["users"], "users"),
    ("admin", "core:import", ["calendar"], "calendar"),
    ("agency", "core:import", ["cases"], "cases"),
    ("agency", "registry:registry_import", ["officers"], "officers"),
    ("agency", "inspections:enterprise_import", [], "enterprises"),
    ("supervisor", "complaints:hotline_import", [], "hotline"),
]


def _headers(key: str) -> list[str]:
    from fazhi.complaints.hotline_import import IMPORTER as HOTLINE
    from fazhi.core.imports import IMPORTERS
    from fazhi.inspections.imports import IMPORTER as ENTERPRISES
    from fazhi.registry.imports import importer_for

    importer = {"hotline": HOTLINE, "enterprises": ENTERPRISES}.get(key) or IMPORTERS.get(key) or importer_for(key)
    return [c.header for c in importer.columns][:26]


FILES = ["truncated_xml", "non_numeric_number", "bad_shared_string_index", "bad_cell_reference", "not_a_zip"]


@pytest.mark.parametrize("user,name,args,key", PAGES, ids=[f"{p[1]}:{''.join(p[2])}" for p in PAGES])
@pytest.mark.parametrize("hostile", FILES)
def test_import_page_answers_a_damaged_workbook_with_a_file_error(login_as, user, name, args, key, hostile):
    build, word = hx.hostile_files(_headers(key))[hostile]
    upload = SimpleUploadedFile("导入.xlsx", build(), content_type="application/octet-stream")
    r = login_as(user).post(reverse(name, args=args), {"file": upload})
    assert r.status_code == 200
    html = r.content.decode()
    assert "文件无法读取" in html and word in html
