"""Excel import: real xlsx files, dry run, all-or-nothing, row/column error messages, template, uploads."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from fazhi.core.errors import DomainError
from fazhi.core.imports import (
    IMPORTERS,
    errors_xlsx,
    import_file,
    parse_list,
    run_import,
    template_xlsx,
    upload_open,
    upload_store,
)
from fazhi.core.models import Division, Unit, User

pytestmark = pytest.mark.django_db

UNIT_HEADERS = [
    "单位全称*",
    "简称",
    "类型*",
    "所在区划代码*",
    "上级单位",
    "监督单位",
    "统一社会信用代码",
    "排序",
]


def xlsx(headers, rows) -> io.BytesIO:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet("数据")
    ws.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    book.close()
    buffer.seek(0)
    return buffer


def unit_rows(bad_parent="示例市北湖区人民政府"):
    return [
        ["示例市北湖区人民政府", "北湖区政府", "人民政府", "439900", "示例市人民政府", "", "", 200],
        # Refers to the row above: a parent defined earlier in the same file.
        ["示例市北湖区司法局", "北湖区司法局", "justice", 439900, bad_parent, "示例市司法局", "", 201],
        [
            "示例市北湖区城市管理综合执法局",
            "",
            "执法部门",
            "４３９９００",
            "示例市北湖区人民政府",
            "",
            "",
            "",
        ],
    ]


def test_dry_run_writes_nothing(users):
    before = Unit.objects.count()
    result = run_import(IMPORTERS["units"], xlsx(UNIT_HEADERS, unit_rows()), by=users["admin"])
    assert not result.has_errors, result.messages
    assert len(result.rows) == 3 and not result.committed
    assert Unit.objects.count() == before


def test_confirmed_import_writes_all_rows_with_tree(users, org):
    result = run_import(IMPORTERS["units"], xlsx(UNIT_HEADERS, unit_rows()), by=users["admin"], commit=True)
    assert result.committed
    district = Unit.objects.get(name="示例市北湖区人民政府")
    justice = Unit.objects.get(name="示例市北湖区司法局")
    assert justice.parent == district and justice.supervising_unit == org["示例市司法局"]
    assert justice.path.startswith(district.path)
    assert Unit.objects.get(name="示例市北湖区城市管理综合执法局").kind == "agency"


def test_one_bad_row_writes_nothing_and_names_row_and_column(users):
    before = Unit.objects.count()
    result = run_import(
        IMPORTERS["units"],
        xlsx(UNIT_HEADERS, unit_rows(bad_parent="示例市不存在局")),
        by=users["admin"],
        commit=True,
    )
    assert not result.committed
    assert Unit.objects.count() == before
    assert [r.number for r in result.error_rows] == [3]
    assert result.messages == ["第 3 行“上级单位”：单位“示例市不存在局”不存在或不在您的管理范围内"]
    # Rows after the bad one are still checked.
    assert result.rows[2].ok


def test_every_row_is_checked(users):
    rows = [
        ["", "", "人民政府", "439900", "", "", "", ""],
        ["示例市甲局", "", "银行", "439900", "", "", "", ""],
        ["示例市乙局", "", "执法部门", "123", "", "", "", "x"],
        ["示例市司法局", "", "司法局", "439900", "", "", "", ""],
    ]
    result = run_import(IMPORTERS["units"], xlsx(UNIT_HEADERS, rows), by=users["admin"])
    messages = result.messages
    assert messages[0] == "第 2 行“单位全称”：必填"
    assert messages[1].startswith("第 3 行“类型”：“银行”无效")
    assert "第 4 行“排序”：“x”不是整数" in messages
    assert "第 5 行“单位全称”：单位“示例市司法局”已存在" in messages


def test_duplicate_within_file_is_an_error(users):
    rows = [["示例市丙局", "", "执法部门", "439900", "", "", "", ""]] * 2
    result = run_import(IMPORTERS["units"], xlsx(UNIT_HEADERS, rows), by=users["admin"], commit=True)
    assert result.messages == ["第 3 行“单位全称”：单位“示例市丙局”已存在"]
    assert not Unit.objects.filter(name="示例市丙局").exists()


def test_missing_required_column(users):
    result = run_import(IMPORTERS["units"], xlsx(["单位全称", "简称"], [["示例市丁局", ""]]), by=users["admin"])
    assert result.file_errors == ["缺少必填列“类型”：请使用下载的模板"]


def test_not_an_excel_file(users):
    result = run_import(IMPORTERS["units"], io.BytesIO(b"PK\x03\x04garbage"), by=users["admin"])
    assert result.file_errors and "无法读取" in result.file_errors[0]


def test_division_import_with_parent_in_file(users):
    rows = [
        ["439905", "北湖区", "439900"],
        ["439906", "南湖区", "４３９９００"],
        ["439907", "坏区", "999999"],
    ]
    result = run_import(
        IMPORTERS["divisions"],
        xlsx(["区划代码", "名称", "上级区划代码"], rows),
        by=users["admin"],
        commit=True,
    )
    assert result.messages == ["第 4 行“上级区划代码”：区划代码“999999”不存在"]
    assert not Division.objects.filter(code="439905").exists()
    result = run_import(
        IMPORTERS["divisions"],
        xlsx(["区划代码", "名称", "上级区划代码"], rows[:2]),
        by=users["admin"],
        commit=True,
    )
    assert result.committed
    assert Division.objects.get(code="439906").parent.code == "439900"


USER_HEADERS = ["用户名", "姓名", "所属单位", "角色", "手机号", "邮箱", "初始密码"]


def test_user_import_sets_password_and_forced_change(users):
    rows = [
        ["zhangsan", "张三", "示例市市场监督管理局", "部门法制员、officer", "13800000000", "", "Chushi@2026"],
        ["lisi", "李四", "示例市生态环境局", "", 13900000000, "li@example.cn", "Chushi@2026"],
    ]
    result = run_import(IMPORTERS["users"], xlsx(USER_HEADERS, rows), by=users["admin"], commit=True)
    assert result.committed, result.messages
    zhang = User.objects.get(username="zhangsan")
    assert zhang.must_change_password and zhang.check_password("Chushi@2026")
    assert {r.code for r in zhang.roles.all()} == {"agency_legal", "officer"}
    assert User.objects.get(username="lisi").phone == "13900000000"


def test_user_import_preview_and_error_list_never_show_initial_passwords(users):
    from fazhi.core.imports import errors_xlsx

    rows = [
        ["zhangsan", "张三", "示例市市场监督管理局", "", "", "", "Chushi@2026"],
        ["wangwu", "王五", "示例市无此局", "", "", "", "Secret#Pass99"],
    ]
    result = run_import(IMPORTERS["users"], xlsx(USER_HEADERS, rows), by=users["admin"])
    shown = [v for row in result.rows for v in row.values]
    assert "Chushi@2026" not in shown and "Secret#Pass99" not in shown and "******" in shown
    sheet = load_workbook(io.BytesIO(errors_xlsx(result))).active
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row]
    assert any("示例市无此局" in c for c in cells)
    assert not any("Secret#Pass99" in c or "Chushi@2026" in c for c in cells)


def test_user_import_weak_password_and_unknown_role(users):
    rows = [
        ["zhangsan", "张三", "示例市市场监督管理局", "", "", "", "passwordpassword"],
        ["wangwu", "王五", "示例市市场监督管理局", "超级管理员", "", "", "Chushi@2026"],
        ["zhaoliu", "赵六", "示例市无此局", "", "", "", "Chushi@2026"],
    ]
    result = run_import(IMPORTERS["users"], xlsx(USER_HEADERS, rows), by=users["admin"], commit=True)
    assert result.messages == [
        "第 2 行“初始密码”：密码须包含大写字母、小写字母、数字、特殊字符中的至少三类",
        "第 3 行“角色”：角色“超级管理员”不存在",
        "第 4 行“所属单位”：单位“示例市无此局”不存在或不在您的管理范围内",
    ]
    assert not User.objects.filter(username__in=["zhangsan", "wangwu", "zhaoliu"]).exists()


def test_user_import_respects_scope(users, org):
    """A unit outside the importer's data scope cannot be named, even if it exists."""
    from fazhi.core.models import Role

    dept_admin = Role.objects.create(
        code="dept_admin", name="部门管理员", data_scope="subtree", permissions=["org.view", "user.manage"]
    )
    users["agency"].roles.add(dept_admin)
    rows = [["zhangsan", "张三", "示例市生态环境局", "", "", "", "Chushi@2026"]]
    result = run_import(IMPORTERS["users"], xlsx(USER_HEADERS, rows), by=users["agency"], commit=True)
    assert "不在您的管理范围内" in result.messages[0]


def test_template_downloads_and_reads_back():
    for importer in IMPORTERS.values():
        book = load_workbook(io.BytesIO(template_xlsx(importer)), read_only=True)
        assert book.sheetnames == [importer.title, "说明"]
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        assert [h.rstrip("*") for h in rows[0]] == [c.header for c in importer.columns]
        assert len(rows) == 2  # header + example
        notes = [r[0] for r in book["说明"].iter_rows(values_only=True)]
        assert importer.columns[0].header in notes


def test_filled_template_imports(users):
    """The example row of the units template is a valid unit."""
    importer = IMPORTERS["units"]
    result = run_import(importer, io.BytesIO(template_xlsx(importer)), by=users["admin"])
    assert not result.has_errors, result.messages


def test_errors_xlsx_reads_back(users):
    result = run_import(
        IMPORTERS["units"], xlsx(UNIT_HEADERS, unit_rows(bad_parent="示例市不存在局")), by=users["admin"]
    )
    rows = list(load_workbook(io.BytesIO(errors_xlsx(result))).active.iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "错误")
    assert rows[1][0] == 3 and rows[1][1] == "上级单位" and "第 3 行" in rows[1][2]


# ---------------------------------------------------------------- uploads


def _upload(content: bytes, name="units.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_upload_rejects_wrong_type_and_size(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError, match=r"\.xlsx"):
        upload_store(user=users["admin"], uploaded=_upload(b"a,b", name="units.csv"))
    with pytest.raises(DomainError, match="不是有效的"):
        upload_store(user=users["admin"], uploaded=_upload(b"<html>", name="units.xlsx"))
    with pytest.raises(DomainError, match="5 MB"):
        upload_store(user=users["admin"], uploaded=_upload(b"PK\x03\x04" + b"0" * (5 * 1024 * 1024)))


def test_upload_is_scoped_to_uploader(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    token = upload_store(user=users["admin"], uploaded=_upload(xlsx(UNIT_HEADERS, unit_rows()).getvalue()))
    with pytest.raises(DomainError, match="失效"):
        upload_open(user=users["supervisor"], token=token)
    with pytest.raises(DomainError, match="失效"):
        upload_open(user=users["admin"], token="../../etc/passwd")
    result = import_file(IMPORTERS["units"], user=users["admin"], token=token, commit=True)
    assert result.committed
    # The file is gone once imported.
    with pytest.raises(DomainError):
        upload_open(user=users["admin"], token=token)


def test_parse_list_separators():
    assert parse_list("部门法制员、执法人员，领导; admin") == ["部门法制员", "执法人员", "领导", "admin"]


def test_stale_previews_are_pruned(users, settings, tmp_path):
    import os
    import time

    settings.MEDIA_ROOT = tmp_path
    content = xlsx(UNIT_HEADERS, unit_rows()).getvalue()
    old = upload_store(user=users["admin"], uploaded=_upload(content))
    path = tmp_path / "imports" / str(users["admin"].pk) / f"{old}.xlsx"
    two_days_ago = time.time() - 2 * 86400
    os.utime(path, (two_days_ago, two_days_ago))
    fresh = upload_store(user=users["admin"], uploaded=_upload(content))
    assert not path.exists()
    assert upload_open(user=users["admin"], token=fresh)


def test_run_import_reports_progress_every_n_rows(users, monkeypatch):
    from fazhi.core import imports

    monkeypatch.setattr(imports, "PROGRESS_ROWS", 2)
    calls = []
    result = run_import(
        IMPORTERS["units"],
        xlsx(UNIT_HEADERS, unit_rows()),
        by=users["admin"],
        progress=lambda *step: calls.append(step),
    )
    assert not result.has_errors
    # Excel rows 2 and 4 read (the header is row 1), then the 2nd and the last of the 3 rows checked.
    assert calls == [
        (2, 0, "正在读取文件：第 2 行"),
        (4, 0, "正在读取文件：第 4 行"),
        (2, 3, "正在校验：2 / 3 行"),
        (3, 3, "正在校验：3 / 3 行"),
    ]
