"""System administration in a real browser: import units from Excel with a dry run, then confirm."""

import io
import re

import pytest
import xlsxwriter

from tests.browser.conftest import url_re

pytestmark = pytest.mark.browser

HEADERS = ["单位全称*", "简称", "类型*", "所在区划代码*", "上级单位"]


def units_xlsx(parent_of_second: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet("单位")
    ws.write_row(0, 0, HEADERS)
    ws.write_row(1, 0, ["示例市数据资源局", "数据局", "其他", "439900", "示例市人民政府"])
    ws.write_row(2, 0, ["示例市数据资源局数据科", "数据科", "其他", "439900", parent_of_second])
    book.close()
    return buffer.getvalue()


def _upload(page, content: bytes):
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "单位导入.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        ],
    )
    page.click("#preview-btn")
    page.wait_for_load_state()


def test_admin_imports_units_after_fixing_a_bad_row(login, demo_site):
    from fazhi.core.models import Unit

    page = login("admin")
    page.goto(f"{demo_site.url}/system/units/")
    page.click("#import-link")
    page.wait_for_url(url_re("/system/import/units/"))
    assert page.locator("#template-link").is_visible()

    _upload(page, units_xlsx(parent_of_second="示例市数据资源总局"))
    errors = page.locator("#import-errors").inner_text()
    assert "第 3 行“上级单位”：单位“示例市数据资源总局”不存在" in errors
    assert page.locator("tr.row-error").count() == 1
    assert page.locator("#confirm-btn").count() == 0
    assert not Unit.objects.filter(name__startswith="示例市数据资源局").exists()

    _upload(page, units_xlsx(parent_of_second="示例市数据资源局"))
    assert "校验通过：共 2 行" in page.locator("#import-ok").inner_text()
    assert not Unit.objects.filter(name__startswith="示例市数据资源局").exists()
    page.click("#confirm-btn")  # the import runs as a job (我的任务); a small file at once
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    assert "已导入单位 2 条" in page.locator("#job-result").inner_text()
    page.click("#job-result-link")
    page.wait_for_url(url_re("/system/units/"))

    page.fill("input[name=q]", "数据资源局")
    page.click("#filter-form button[type=submit]")
    page.wait_for_load_state()
    rows = page.locator("#unit-table tr.unit-row")
    assert rows.count() == 2
    assert "示例市数据资源局数据科" in rows.nth(1).inner_text()
    assert Unit.objects.get(name="示例市数据资源局数据科").parent.name == "示例市数据资源局"
