import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.imports import run_import
from fazhi.registry.demo import id_number
from fazhi.registry.imports import importer_for, registry_template_xlsx
from fazhi.registry.models import Agency, Certificate, DiscretionTier, Officer, PowerItem
from fazhi.registry.tests.helpers import ECO, MARKET, agency, item, user

pytestmark = pytest.mark.django_db


def xlsx(headers, rows) -> io.BytesIO:
    """A real .xlsx written the way Excel users hand them in (numbers as numbers, text as text)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value not in (None, ""):
                ws.write(r, c, value)
    book.close()
    buffer.seek(0)
    return buffer


def run(key, headers, rows, *, username="agency", commit=False):
    return run_import(importer_for(key), xlsx(headers, rows), by=user(username), commit=commit)


AGENCY_HEADERS = ["单位全称", "主体资格", "委托机关", "管辖范围", "执法领域"]
OFFICER_HEADERS = ["姓名", "身份证号", "所属执法主体", "职务/岗位", "执法证编号", "发证机关", "有效期起", "有效期止"]
ITEM_HEADERS = [
    "事项编码",
    "事项名称",
    "事项类型",
    "实施主体",
    "重大执法决定",
    "生效日期",
    "法律法规名称",
    "条",
    "款/项",
    "条文",
    "裁量阶次",
    "阶次名称",
    "适用情形",
    "处罚种类",
    "罚款下限（元）",
    "罚款上限（元）",
    "违法所得倍数下限",
    "违法所得倍数上限",
]


def item_row(
    code="F-1",
    *,
    head=True,
    level="一般",
    fine=(1000, 5000),
    law="《中华人民共和国食品安全法》",
    article="第一百二十六条",
    agency_name=MARKET,
):
    item_cols = (
        [code, "对未建立进货查验记录的处罚", "行政处罚", agency_name, "否", "2025-01-01"]
        if head
        else [code, "", "", "", "", ""]
    )
    basis = [law, article, "", ""] if law else ["", "", "", ""]
    return [*item_cols, *basis, level, "", f"{level}情形", "罚款", fine[0], fine[1], "", ""]


# ---------------------------------------------------------------- agencies


def test_registry_import_agencies_dry_run_then_commit():
    rows = [
        [MARKET, "法定", "", "示例市", "市场监管、食品安全"],
        ["示例市市场监督管理局东城分局", "授权", "", "东城区", "市场监管"],
    ]
    result = run("agencies", AGENCY_HEADERS, rows)
    assert not result.has_errors and not result.committed
    assert not Agency.objects.exists()
    result = run("agencies", AGENCY_HEADERS, rows, commit=True)
    assert result.committed
    assert Agency.objects.get(unit__name=MARKET).domains == ["市场监管", "食品安全"]
    assert Agency.objects.get(unit__name="示例市市场监督管理局东城分局").legal_status == "authorised"


def test_registry_import_agencies_bad_rows_write_nothing():
    rows = [
        [MARKET, "法定", "", "", ""],
        ["示例市不存在局", "法定", "", "", ""],
        [ECO, "法定", "", "", ""],  # outside agency's scope
        ["示例市市场监督管理局东城分局", "委托", "", "", ""],
    ]
    result = run("agencies", AGENCY_HEADERS, rows, commit=True)
    assert not result.committed and not Agency.objects.exists()
    messages = result.messages
    assert any(m.startswith("第 3 行“单位全称”") and "不存在" in m for m in messages)
    assert any(m.startswith("第 4 行“单位全称”") for m in messages)
    assert any(m.startswith("第 5 行“委托机关”") for m in messages)
    assert result.rows[0].ok


# ---------------------------------------------------------------- power items with tiers


def test_registry_import_power_items_one_row_per_tier():
    agency()
    rows = [
        item_row("F-1", level="一般", fine=(1000, 5000)),
        item_row("", head=False, level="较重", fine=(5000, 20000), law="《食品安全法实施条例》", article="第七十五条"),
        item_row("F-1", level="严重", fine=(20000, 50000), law=""),
        item_row("F-2", level="轻微", fine=(0, 1000)),
    ]
    result = run("power-items", ITEM_HEADERS, rows)
    assert not result.has_errors, result.messages
    assert not PowerItem.objects.exists()
    result = run("power-items", ITEM_HEADERS, rows, commit=True)
    assert result.committed
    f1 = PowerItem.objects.get(code="F-1")
    assert f1.version == 1
    assert [t.get_level_display() for t in f1.tiers.all()] == ["一般", "较重", "严重"]
    assert [b.law for b in f1.legal_bases.all()] == ["《中华人民共和国食品安全法》", "《食品安全法实施条例》"]
    assert PowerItem.objects.get(code="F-2").tiers.count() == 1


def test_registry_import_existing_code_makes_new_version():
    ag = agency()
    old = item(ag, code="F-1")
    result = run(
        "power-items", ITEM_HEADERS, [item_row("F-1"), item_row("", head=False, level="严重", law="")], commit=True
    )
    assert result.committed, result.messages
    old.refresh_from_db()
    new = PowerItem.objects.get(code="F-1", is_current=True)
    assert old.is_current is False and new.version == 2 and new.tiers.count() == 2 and old.tiers.count() == 2


def test_registry_import_power_items_one_bad_row_writes_nothing():
    agency()
    rows = [
        item_row("F-1"),
        item_row("", head=False, level="较重", fine=(9000, 100), law=""),
        item_row("F-2", agency_name="示例市不存在局"),
    ]
    result = run("power-items", ITEM_HEADERS, rows, commit=True)
    assert not result.committed
    assert not PowerItem.objects.exists() and not DiscretionTier.objects.exists()
    msgs = result.messages
    assert any(m.startswith("第 3 行“罚款上限（元）”") and "大于上限" in m for m in msgs), msgs
    assert any(m.startswith("第 4 行“实施主体”") for m in msgs), msgs


def test_registry_import_continuation_of_failed_head_is_reported():
    agency()
    rows = [item_row("F-1", fine=(9, 1)), item_row("", head=False, level="严重", law="")]
    result = run("power-items", ITEM_HEADERS, rows, commit=True)
    assert any(m.startswith("第 3 行“事项编码”") and "首行有错误" in m for m in result.messages), result.messages
    assert not PowerItem.objects.exists()


# ---------------------------------------------------------------- officers with certificates


def test_registry_import_officers():
    agency()
    rows = [
        ["张三", id_number(51), MARKET, "执法队员", "C-51", "示例市人民政府", "2024/1/1", "2029年12月31日"],
        ["李四", id_number(52).lower(), "市场监管局", "", "", "", "", ""],
    ]
    result = run("officers", OFFICER_HEADERS, rows)
    assert not result.has_errors, result.messages
    assert not Officer.objects.exists()
    assert run("officers", OFFICER_HEADERS, rows, commit=True).committed
    assert Officer.objects.count() == 2
    cert = Certificate.objects.get(number="C-51")
    assert (cert.officer.name, str(cert.valid_to)) == ("张三", "2029-12-31")


def test_registry_import_officers_bad_rows_write_nothing():
    agency()
    agency(ECO)
    rows = [
        ["张三", id_number(53), MARKET, "", "", "", "", ""],
        ["李四", "110101199003070039", MARKET, "", "", "", "", ""],  # bad check digit
        ["王五", id_number(54), "示例市不存在局", "", "", "", "", ""],  # unknown agency
        ["赵六", id_number(55), ECO, "", "", "", "", ""],  # outside scope
        ["孙七", id_number(53), MARKET, "", "", "", "", ""],  # duplicate of row 2
        ["周八", id_number(56), MARKET, "", "C-56", "", "2025-06-01", "2025-05-01"],
    ]  # dates reversed
    result = run("officers", OFFICER_HEADERS, rows, commit=True)
    assert not result.committed
    assert not Officer.objects.exists() and not Certificate.objects.exists()
    msgs = result.messages
    assert any(m.startswith("第 3 行“身份证号”") and "GB 11643" in m for m in msgs), msgs
    assert any(m.startswith("第 4 行“所属执法主体”") and "不存在" in m for m in msgs), msgs
    assert any(m.startswith("第 5 行“所属执法主体”") for m in msgs), msgs
    assert any(m.startswith("第 6 行“身份证号”") and "已登记" in m for m in msgs), msgs
    assert any(m.startswith("第 7 行“有效期止”") and "不能早于" in m for m in msgs), msgs


# ---------------------------------------------------------------- templates and pages


@pytest.mark.parametrize("key", ["agencies", "power-items", "officers"])
def test_registry_template_reads_back(key):
    importer = importer_for(key)
    book = load_workbook(io.BytesIO(registry_template_xlsx(importer)), read_only=True)
    headers = [str(h).rstrip("*") for h in next(book.worksheets[0].iter_rows(values_only=True))]
    assert headers == [c.header for c in importer.columns]
    notes = "\n".join(str(r[0]) for r in book["说明"].iter_rows(values_only=True) if r and r[0])
    assert "全部不导入" in notes
    if key == "power-items":
        assert "一行一个裁量阶次" in notes and "可重复填写或留空" in notes


def test_registry_filled_template_imports():
    agency()
    importer = importer_for("officers")
    book = load_workbook(io.BytesIO(registry_template_xlsx(importer)))
    sheet = book.worksheets[0]
    sheet["B2"] = id_number(60)  # the example ID is valid; make it unique to this test
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    result = run_import(importer, out, by=user("agency"), commit=True)
    assert result.committed, result.messages
    assert Officer.objects.get().name == "张三"


def test_registry_import_pages(login_as, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    agency()
    c = login_as("agency")
    url = reverse("registry:registry_import", args=["officers"])
    assert c.get(url).status_code == 200
    template = c.get(reverse("registry:registry_import_template", args=["officers"]))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    bad = xlsx(OFFICER_HEADERS, [["李四", "110101199003070039", MARKET, "", "", "", "", ""]]).getvalue()
    r = c.post(url, {"file": SimpleUploadedFile("o.xlsx", bad)})
    body = r.content.decode()
    assert "第 2 行“身份证号”" in body and 'id="confirm-btn"' not in body
    good = xlsx(OFFICER_HEADERS, [["李四", id_number(61), MARKET, "", "", "", "", ""]]).getvalue()
    r = c.post(url, {"file": SimpleUploadedFile("o.xlsx", good)})
    token = r.context["token"]
    assert 'id="confirm-btn"' in r.content.decode() and not Officer.objects.exists()
    r = c.post(reverse("registry:registry_import_confirm", args=["officers"]), {"token": token})
    assert r.status_code == 302 and Officer.objects.get().name == "李四"
    assert login_as("officer").get(url).status_code == 403
    assert c.get(reverse("registry:registry_import", args=["nope"])).status_code == 404
