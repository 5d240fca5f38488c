"""System administration pages: guards, forms with field errors, lists, export, import, logs, tokens."""

import io
import time
from urllib.parse import unquote

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.models import ApiToken, Division, Job, LoginLog, OperationLog, Role, Unit, User
from fazhi.core.services import token_create

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Chushi@2026x"

# 三员分立: the system administrator keeps the org tree and users, the security administrator the roles, the
# audit administrator the logs.
ADMIN_PAGES = [
    ("core:division_list", "admin"),
    ("core:division_create", "admin"),
    ("core:unit_list", "admin"),
    ("core:unit_create", "admin"),
    ("core:user_list", "admin"),
    ("core:user_create", "admin"),
    ("core:role_list", "secadmin"),
    ("core:role_create", "secadmin"),
    ("core:login_log", "auditor"),
    ("core:operation_log", "auditor"),
]


def read_xlsx(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


# ---------------------------------------------------------------- guards


@pytest.mark.parametrize(("name", "keeper"), ADMIN_PAGES)
def test_admin_can_open(login_as, name, keeper):
    r = login_as(keeper).get(reverse(name))
    assert r.status_code == 200
    assert "<h1" in r.content.decode()


@pytest.mark.parametrize(("name", "keeper"), ADMIN_PAGES)
def test_agency_user_gets_403(login_as, name, keeper):
    assert login_as("agency").get(reverse(name)).status_code == 403


@pytest.mark.parametrize(("name", "keeper"), ADMIN_PAGES)
def test_the_three_administrators_do_not_open_each_others_pages(login_as, name, keeper):
    for other in {"admin", "secadmin", "auditor"} - {keeper}:
        assert login_as(other).get(reverse(name)).status_code == 403, (other, name)


def test_anonymous_is_sent_to_login(client):
    r = client.get(reverse("core:unit_list"))
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_agency_403_on_import_and_post(login_as, org):
    c = login_as("agency")
    assert c.get(reverse("core:import", args=["units"])).status_code == 403
    assert c.get(reverse("core:import_template", args=["users"])).status_code == 403
    unit = org["示例市司法局"]
    assert c.post(reverse("core:unit_toggle", args=[unit.pk]), {"active": "0"}).status_code == 403
    assert Unit.objects.get(pk=unit.pk).is_active


def test_menu_shows_admin_entries(login_as):
    html = login_as("admin").get(reverse("core:unit_list")).content.decode()
    for label in ("行政区划", "单位", "用户"):
        assert f">{label}</a>" in html
    for label in ("角色", "登录日志", "操作日志"):
        assert f">{label}</a>" not in html
    html = login_as("auditor").get(reverse("core:login_log")).content.decode()
    assert ">登录日志</a>" in html and ">操作日志</a>" in html and ">用户</a>" not in html
    assert reverse("core:tokens") in html


def test_other_agency_unit_and_user_are_404(login_as, dept_admin, org, users):
    c = login_as("agency")
    own_branch = org["示例市市场监督管理局东城分局"]
    assert c.get(reverse("core:unit_edit", args=[own_branch.pk])).status_code == 200
    assert c.get(reverse("core:user_edit", args=[users["officer"].pk])).status_code == 200
    other = org["示例市生态环境局"]
    assert c.get(reverse("core:unit_edit", args=[other.pk])).status_code == 404
    assert c.get(reverse("core:user_edit", args=[users["agency2"].pk])).status_code == 404
    assert c.post(reverse("core:user_toggle", args=[users["agency2"].pk]), {"active": "0"}).status_code == 404
    assert User.objects.get(username="agency2").is_active


def test_scoped_lists(login_as, dept_admin):
    c = login_as("agency")
    html = c.get(reverse("core:unit_list")).content.decode()
    assert "示例市市场监督管理局东城分局" in html and "示例市生态环境局" not in html
    html = c.get(reverse("core:user_list")).content.decode()
    assert "officer" in html and "agency2" not in html
    rows = read_xlsx(c.get(reverse("core:user_list"), {"format": "xlsx"}))
    assert {r[0] for r in rows[1:]} == {"agency", "officer"}


# ---------------------------------------------------------------- divisions


def test_division_create_and_field_error(login_as):
    c = login_as("admin")
    city = Division.objects.get(code="439900")
    r = c.post(reverse("core:division_create"), {"code": "4399X1", "name": "错误区", "parent": city.pk})
    html = r.content.decode()
    assert r.status_code == 200
    assert "is-invalid" in html and "区划代码“4399X1”无效" in html
    assert not Division.objects.filter(name="错误区").exists()
    r = c.post(reverse("core:division_create"), {"code": "439908", "name": "东湖区", "parent": city.pk})
    assert r.status_code == 302
    assert Division.objects.get(code="439908").parent == city


def test_division_disable_refused_with_units(login_as):
    c = login_as("admin")
    city = Division.objects.get(code="439900")
    r = c.post(reverse("core:division_toggle", args=[city.pk]), {"active": "0"}, follow=True)
    assert "还有启用的" in r.content.decode()
    assert Division.objects.get(pk=city.pk).is_active


# ---------------------------------------------------------------- units


def test_unit_list_tree_search_and_pagination(login_as, org):
    c = login_as("admin")
    r = c.get(reverse("core:unit_list"))
    html = r.content.decode()
    assert "tree-depth-1" in html and "└ " in html
    assert "第 1 /" in html  # more than one page of units
    r = c.get(reverse("core:unit_list"), {"q": "司法局", "kind": "justice"})
    assert r.context["page"].paginator.count == 4


def test_unit_export_uses_filters(login_as):
    r = login_as("admin").get(reverse("core:unit_list"), {"q": "司法局", "format": "xlsx"})
    assert "filename*=utf-8''" in r["Content-Disposition"]
    assert "单位_" in unquote(r["Content-Disposition"])
    rows = read_xlsx(r)
    assert rows[0][0] == "单位全称"
    assert {row[0] for row in rows[1:]} == {"示例市司法局", "东城区司法局", "西城区司法局", "南山县司法局"}


def test_unit_made_its_own_ancestor_shows_error(login_as, org):
    c = login_as("admin")
    market = org["示例市市场监督管理局"]
    branch = org["示例市市场监督管理局东城分局"]
    data = {
        "name": market.name,
        "short_name": market.short_name,
        "kind": market.kind,
        "division": market.division_id,
        "parent": branch.pk,
        "sort_order": 1,
    }
    r = c.post(reverse("core:unit_edit", args=[market.pk]), data)
    html = r.content.decode()
    assert r.status_code == 200
    assert "上级单位不能是本单位或其下级单位" in html
    assert 'id="field-parent"' in html and "is-invalid" in html
    assert Unit.objects.get(pk=market.pk).parent == org["示例市人民政府"]


def test_unit_create_and_disable(login_as, org):
    c = login_as("admin")
    city = Division.objects.get(code="439900")
    r = c.post(
        reverse("core:unit_create"),
        {"name": "示例市信访局", "kind": "other", "division": city.pk, "parent": org["示例市人民政府"].pk},
    )
    assert r.status_code == 302
    unit = Unit.objects.get(name="示例市信访局")
    r = c.post(reverse("core:unit_toggle", args=[unit.pk]), {"active": "0"})
    assert r.status_code == 302 and not Unit.objects.get(pk=unit.pk).is_active
    assert "示例市信访局" in c.get(reverse("core:unit_list"), {"active": "0"}).content.decode()


# ---------------------------------------------------------------- users


def test_user_create_field_errors_and_success(login_as, org):
    c = login_as("admin")
    unit = org["示例市市场监督管理局"]
    officer = Role.objects.get(code="officer")
    data = {
        "username": "agency",
        "name": "重名",
        "unit": unit.pk,
        "roles": [officer.pk],
        "password": GOOD_PASSWORD,
    }
    r = c.post(reverse("core:user_create"), data)
    assert "用户名“agency”已存在" in r.content.decode()
    r = c.post(reverse("core:user_create"), data | {"username": "newbie", "password": "weakweakweak"})
    assert "至少三类" in r.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    r = c.post(reverse("core:user_create"), data | {"username": "newbie"})
    assert r.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.must_change_password and list(user.roles.all()) == [officer]


def test_user_edit_roles_reset_unlock_disable(login_as, users, org):
    c = login_as("admin")
    officer = users["officer"]
    url = reverse("core:user_edit", args=[officer.pk])
    html = c.get(url).content.decode()
    assert 'type="checkbox" name="roles"' in html
    legal = Role.objects.get(code="agency_legal")
    r = c.post(
        url,
        {
            "username": "officer",
            "name": "陈执法",
            "unit": officer.unit_id,
            "roles": [legal.pk, Role.objects.get(code="officer").pk],
            "phone": "13800000000",
        },
    )
    assert r.status_code == 302
    assert {r.code for r in User.objects.get(pk=officer.pk).roles.all()} == {"officer", "agency_legal"}

    r = c.post(reverse("core:user_password_reset", args=[officer.pk]), {"password": "short"})
    assert "密码至少 10 位" in r.content.decode()
    r = c.post(reverse("core:user_password_reset", args=[officer.pk]), {"password": GOOD_PASSWORD})
    assert r.status_code == 302
    officer.refresh_from_db()
    assert officer.must_change_password and officer.check_password(GOOD_PASSWORD)

    User.objects.filter(pk=officer.pk).update(failed_logins=3)
    assert c.post(reverse("core:user_unlock", args=[officer.pk])).status_code == 302
    assert User.objects.get(pk=officer.pk).failed_logins == 0

    c.post(reverse("core:user_toggle", args=[officer.pk]), {"active": "0"})
    assert not User.objects.get(pk=officer.pk).is_active
    r = c.post(reverse("core:user_toggle", args=[users["admin"].pk]), {"active": "0"}, follow=True)
    assert "不能停用自己的账号" in r.content.decode()


def test_user_list_filters_and_export(login_as, org):
    c = login_as("admin")
    market = org["示例市市场监督管理局"]
    r = c.get(reverse("core:user_list"), {"unit": market.pk})
    names = {u.username for u in r.context["page"].object_list}
    assert names == {"agency", "officer"}
    role = Role.objects.get(code="leader")
    rows = read_xlsx(c.get(reverse("core:user_list"), {"role": role.pk, "format": "xlsx"}))
    assert [row[0] for row in rows[1:]] == ["leader"]


def test_admin_revokes_user_token(login_as, users):
    token, _ = token_create(user=users["agency"], name="对接")
    c = login_as("admin")
    html = c.get(reverse("core:user_edit", args=[users["agency"].pk])).content.decode()
    assert token.prefix in html
    r = c.post(reverse("core:user_token_revoke", args=[users["agency"].pk, token.pk]))
    assert r.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    # A token id of another user through this user's URL does not exist.
    other, _ = token_create(user=users["agency2"])
    assert c.post(reverse("core:user_token_revoke", args=[users["agency"].pk, other.pk])).status_code == 404


# ---------------------------------------------------------------- roles


def test_role_form_groups_permissions_and_saves(login_as):
    c = login_as("secadmin")
    html = c.get(reverse("core:role_create")).content.decode()
    assert "perm-group" in html and "组织机构" in html and "用户与角色" in html
    r = c.post(
        reverse("core:role_create"),
        {"code": "clerk", "name": "文书", "data_scope": "unit", "permissions": ["org.view", "inbox.view"]},
    )
    assert r.status_code == 302
    assert Role.objects.get(code="clerk").permissions == ["inbox.view", "org.view"]
    r = c.post(reverse("core:role_create"), {"code": "clerk2", "name": "文书", "data_scope": "unit"})
    assert "角色名称“文书”已存在" in r.content.decode()
    role = Role.objects.get(code="clerk")
    c.post(reverse("core:role_toggle", args=[role.pk]), {"active": "0"})
    assert not Role.objects.get(pk=role.pk).is_active


# ---------------------------------------------------------------- logs


def test_login_log_search_and_export(login_as):
    LoginLog.objects.create(username="officer", success=False, reason="密码错误", ip="10.1.2.3")
    LoginLog.objects.create(username="agency", success=True, reason="登录成功", ip="10.9.9.9")
    c = login_as("auditor")
    r = c.get(reverse("core:login_log"), {"ip": "10.1.", "success": "0"})
    assert [log.username for log in r.context["page"].object_list] == ["officer"]
    r = c.get(reverse("core:login_log"), {"date_from": "2020年1月1日", "q": "agency"})
    assert [log.username for log in r.context["page"].object_list] == ["agency"]
    r = c.get(reverse("core:login_log"), {"date_from": "昨天"})
    assert "起始日期“昨天”不是有效日期" in r.content.decode()
    rows = read_xlsx(c.get(reverse("core:login_log"), {"q": "officer", "format": "xlsx"}))
    assert rows[0][:3] == ("时间", "用户名", "姓名") and rows[1][1] == "officer"


def test_operation_log_search(login_as, org):
    city = Division.objects.get(code="439900")
    login_as("admin").post(reverse("core:division_create"), {"code": "439909", "name": "西湖区", "parent": city.pk})
    c = login_as("auditor")
    r = c.get(reverse("core:operation_log"), {"action": "新增行政区划", "q": "西湖区"})
    logs = list(r.context["page"].object_list)
    assert len(logs) == 1 and logs[0].username == "admin"
    assert "新增行政区划" in r.content.decode()
    rows = read_xlsx(c.get(reverse("core:operation_log"), {"q": "西湖区", "format": "xlsx"}))
    assert rows[1][2] == "新增行政区划"
    assert OperationLog.objects.filter(summary__contains="西湖区").count() == 1


# ---------------------------------------------------------------- import pages


def _xlsx(headers, rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_import_preview_confirm(login_as, media):
    c = login_as("admin")
    content = _xlsx(
        ["单位全称", "类型", "所在区划代码", "上级单位"],
        [
            ["示例市数据局", "其他", "439900", "示例市人民政府"],
            ["示例市数据局一科", "其他", "439900", "示例市数据局"],
        ],
    )
    url = reverse("core:import", args=["units"])
    r = c.post(url, {"file": SimpleUploadedFile("单位.xlsx", content)})
    html = r.content.decode()
    assert r.status_code == 200 and "校验通过：共 2 行" in html
    assert not Unit.objects.filter(name="示例市数据局").exists()
    token = r.context["token"]
    r = c.post(reverse("core:import_confirm", args=["units"]), {"token": token})
    job = Job.objects.get(kind="import")
    assert r.status_code == 302 and r["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == Job.DONE and job.message == "已导入单位 2 条"
    assert reverse("core:unit_list") in c.get(r["Location"]).content.decode()
    assert Unit.objects.get(name="示例市数据局一科").parent.name == "示例市数据局"
    # A second confirm of the same file finds it gone.
    r = c.post(reverse("core:import_confirm", args=["units"]), {"token": token})
    assert "导入文件已失效" in r.content.decode()


def test_import_bad_row_shows_error_and_error_list(login_as, media):
    c = login_as("admin")
    content = _xlsx(
        ["单位全称", "类型", "所在区划代码", "上级单位"],
        [
            ["示例市数据局", "其他", "439900", "示例市人民政府"],
            ["示例市数据局一科", "其他", "439900", "示例市数据总局"],
        ],
    )
    r = c.post(reverse("core:import", args=["units"]), {"file": SimpleUploadedFile("u.xlsx", content)})
    html = r.content.decode()
    assert "第 3 行“上级单位”：单位“示例市数据总局”不存在" in html
    assert "confirm-btn" not in html
    rows = read_xlsx(c.get(reverse("core:import_errors", args=["units", r.context["token"]])))
    assert rows[1][:2] == (3, "上级单位")
    # Even a forged confirm writes nothing.
    r = c.post(reverse("core:import_confirm", args=["units"]), {"token": r.context["token"]}, follow=True)
    assert "未导入任何数据" in r.content.decode()
    assert not Unit.objects.filter(name="示例市数据局").exists()


def test_import_rejects_non_xlsx(login_as, media):
    c = login_as("admin")
    r = c.post(reverse("core:import", args=["units"]), {"file": SimpleUploadedFile("u.xls", b"\xd0\xcf\x11\xe0")})
    assert "只支持 Excel 2007 及以上的 .xlsx 文件" in r.content.decode()
    r = c.post(reverse("core:import", args=["units"]), {})
    assert "请选择要上传的 Excel 文件" in r.content.decode()


def test_import_other_users_token_is_invalid(login_as, media, users):
    content = _xlsx(["单位全称", "类型", "所在区划代码"], [["示例市数据局", "其他", "439900"]])
    r = login_as("admin").post(reverse("core:import", args=["units"]), {"file": SimpleUploadedFile("u.xlsx", content)})
    token = r.context["token"]
    other_admin = User.objects.create(
        username="admin2", name="二号管理员", unit=users["admin"].unit, must_change_password=False
    )
    other_admin.roles.set([Role.objects.get(code="admin")])
    r = login_as("admin2").post(reverse("core:import_confirm", args=["units"]), {"token": token})
    assert "导入文件已失效" in r.content.decode()
    assert not Unit.objects.filter(name="示例市数据局").exists()


def test_import_template_download(login_as):
    r = login_as("admin").get(reverse("core:import_template", args=["users"]))
    assert "filename*=utf-8''" in r["Content-Disposition"]
    assert unquote(r["Content-Disposition"].split("''")[1]) == "用户导入模板.xlsx"
    assert read_xlsx(r)[0][0] == "用户名*"


def test_unknown_importer_is_404(login_as):
    assert login_as("admin").get(reverse("core:import", args=["nothing"])).status_code == 404


# ---------------------------------------------------------------- tokens page


def test_tokens_page_create_once_and_revoke(login_as, users):
    c = login_as("agency")
    r = c.post(reverse("core:tokens"), {"name": "对接系统"})
    html = r.content.decode()
    token = ApiToken.objects.get(user=users["agency"], name="对接系统")
    secret = r.context["secret"]
    assert secret in html and secret.startswith(token.prefix)
    assert r["Cache-Control"] == "no-store"
    assert secret not in c.get(reverse("core:tokens")).content.decode()
    other, _ = token_create(user=users["agency2"])
    assert c.post(reverse("core:token_revoke", args=[other.pk])).status_code == 404
    assert c.post(reverse("core:token_revoke", args=[token.pk])).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


# ---------------------------------------------------------------- session controls


def test_forced_password_change_at_first_login(client, users, org):
    from fazhi.core.services import user_save

    user_save(
        by=users["admin"],
        username="firsttimer",
        name="新用户",
        unit=org["示例市司法局"],
        roles=[],
        password=GOOD_PASSWORD,
    )
    r = client.post(reverse("core:login"), {"username": "firsttimer", "password": GOOD_PASSWORD})
    assert r["Location"] == reverse("core:password_change")
    # Every other page redirects to the password change until it is done.
    r = client.get(reverse("core:tokens"))
    assert r.status_code == 302 and r["Location"] == reverse("core:password_change")
    r = client.post(
        reverse("core:password_change"),
        {"old_password": GOOD_PASSWORD, "new_password": "Neue@Passwort1", "new_password2": "Neue@Passwort1"},
    )
    assert r.status_code == 302
    assert client.get(reverse("core:tokens")).status_code == 200


def test_idle_timeout_logs_out(login_as, settings):
    settings.FAZHI = {**settings.FAZHI, "SESSION_IDLE_MINUTES": 1}
    c = login_as("admin")
    assert c.get(reverse("core:unit_list")).status_code == 200
    session = c.session
    session["last_activity"] = int(time.time()) - 61
    session.save()
    r = c.get(reverse("core:unit_list"))
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert c.get(reverse("core:unit_list")).status_code == 302


def test_edit_pages_render_with_current_values(login_as, org, users):
    c = login_as("admin")
    city = Division.objects.get(code="439900")
    html = c.get(reverse("core:division_edit", args=[city.pk])).content.decode()
    assert 'value="439900"' in html and "停用" in html
    html = c.get(reverse("core:unit_edit", args=[org["示例市司法局"].pk])).content.decode()
    assert 'value="示例市司法局"' in html
    role = Role.objects.get(code="admin")
    html = login_as("secadmin").get(reverse("core:role_edit", args=[role.pk])).content.decode()
    assert 'id="perm-org.manage" checked' in html
    html = c.get(reverse("core:user_edit", args=[users["officer"].pk])).content.decode()
    assert 'value="officer"' in html and "重置密码" in html
    assert c.get(reverse("core:division_edit", args=[999999])).status_code == 404
    assert login_as("secadmin").get(reverse("core:role_edit", args=[999999])).status_code == 404
