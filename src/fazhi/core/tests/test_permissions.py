"""core's predicates and the checks its services make again: roles, 三员分立, org tree, tokens."""

import pytest
from django.urls import reverse

from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Division, Role, Unit
from fazhi.core.permissions import DEFAULT_ROLES, duties_combined, role_actions, user_actions
from fazhi.core.services import (
    division_save,
    role_save,
    roles_ensure_defaults,
    token_create,
    token_revoke,
    unit_save,
    user_save,
    user_set_roles,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.mark.parametrize("username", ["monitor", "officer", "agency", "supervisor", "admin", "auditor"])
def test_nobody_but_the_security_administrator_patches_a_role(api_client, username):
    """The audit found any logged-in user could PATCH a role to 全部 with role.manage (200)."""
    role = Role.objects.get(code="officer")
    before = (role.data_scope, sorted(role.permissions), role.is_active)
    c = api_client(username)
    for body in ({"data_scope": "all", "permissions": ["role.manage", "user.manage"]}, {"is_active": False}, {}):
        r = c.patch(f"/api/v1/roles/{role.pk}", body, content_type=JSON)
        assert r.status_code == 403, (username, body, r.status_code)
    role.refresh_from_db()
    assert (role.data_scope, sorted(role.permissions), role.is_active) == before


def test_the_security_administrator_patches_a_role(api_client):
    role = Role.objects.get(code="leader")
    r = api_client("secadmin").patch(f"/api/v1/roles/{role.pk}", {"description": "只读"}, content_type=JSON)
    assert r.status_code == 200 and r.json()["description"] == "只读"


def test_role_services_check_the_permission_themselves(users):
    with pytest.raises(Forbidden):
        role_save(by=users["admin"], code="x_role", name="某角色", data_scope="unit", permissions=[])
    role = Role.objects.get(code="officer")
    with pytest.raises(Forbidden):
        role_save(by=users["officer"], instance=role, code="officer", name=role.name, data_scope="all",
                  permissions=["role.manage"])  # fmt: skip
    assert not Role.objects.filter(code="x_role").exists()


def test_a_role_manager_with_a_narrow_scope_defines_no_roles(users, dept_admin):
    dept_admin.roles.add(Role.objects.create(code="dept_sec", name="部门安全员", data_scope="subtree",
                                             permissions=["role.manage"]))  # fmt: skip
    assert role_actions(user=dept_admin, obj=None) == set()


def test_separated_duties_cannot_meet_in_one_role(users):
    assert duties_combined(["org.manage", "log.view"]) == ["系统管理员", "审计管理员"]
    for perms in (["user.manage", "role.manage"], ["role.manage", "log.view"], ["org.manage", "log.export"]):
        with pytest.raises(DomainError) as exc:
            role_save(by=users["secadmin"], code="mixed", name="混合", data_scope="all", permissions=perms)
        assert exc.value.field == "permissions" and "三员分立" in exc.value.message
    assert not Role.objects.filter(code="mixed").exists()


def test_separated_duties_cannot_meet_in_one_account(users):
    target = users["leader"]
    admin, audit = Role.objects.get(code="admin"), Role.objects.get(code="audit_admin")
    with pytest.raises(DomainError) as exc:
        user_set_roles(by=users["secadmin"], user=target, roles=[admin, audit])
    assert exc.value.field == "roles" and "三员分立" in exc.value.message
    assert list(target.roles.values_list("code", flat=True)) == ["leader"]


def test_the_built_in_roles_respect_separated_duties():
    for code, (_name, _scope, perms) in DEFAULT_ROLES.items():
        assert len(duties_combined(perms)) <= 1, code
    assert "role.manage" not in DEFAULT_ROLES["admin"][2] and "log.view" not in DEFAULT_ROLES["admin"][2]
    assert "log.view" in DEFAULT_ROLES["audit_admin"][2] and "role.manage" in DEFAULT_ROLES["security_admin"][2]


def test_an_upgraded_admin_role_loses_the_duties_of_the_other_two():
    role = Role.objects.get(code="admin")
    role.permissions = sorted({*role.permissions, "role.manage", "log.view"})
    role.save()
    roles_ensure_defaults()
    role.refresh_from_db()
    assert "role.manage" not in role.permissions and "log.view" not in role.permissions
    assert "user.manage" in role.permissions


def test_user_manager_gives_business_roles_but_not_administrator_roles(users, org):
    admin = users["admin"]
    officer_role, sec = Role.objects.get(code="officer"), Role.objects.get(code="security_admin")
    user = user_save(by=admin, username="newofficer", name="新执法员", unit=org["示例市市场监督管理局"],
                     roles=[officer_role], password="Zx!9kLmq2w")  # fmt: skip
    assert list(user.roles.all()) == [officer_role]
    with pytest.raises(DomainError) as exc:
        user_save(by=admin, instance=user, username=user.username, name=user.name, unit=user.unit, roles=[sec])
    assert exc.value.field == "roles" and "安全管理员" in exc.value.message
    assert list(user.roles.all()) == [officer_role]


def test_nobody_changes_their_own_roles(users):
    sec = users["secadmin"]
    with pytest.raises(Forbidden):
        user_set_roles(by=sec, user=sec, roles=[*sec.roles.all(), Role.objects.get(code="audit_admin")])
    admin = users["admin"]
    with pytest.raises(DomainError):
        user_save(by=admin, instance=admin, username=admin.username, name=admin.name, unit=admin.unit,
                  roles=[*admin.roles.all(), Role.objects.get(code="supervisor")])  # fmt: skip
    assert "grant_roles" not in user_actions(user=sec, obj=sec)


def test_the_security_administrator_grants_roles_through_the_api(api_client, users):
    target = users["leader"]
    supervisor = Role.objects.get(code="supervisor")
    r = api_client("secadmin").put(f"/api/v1/users/{target.pk}/roles", {"roles": ["supervisor"]}, content_type=JSON)
    assert r.status_code == 200 and r.json()["roles"] == ["supervisor"]
    assert list(target.roles.all()) == [supervisor]
    r = api_client("admin").put(f"/api/v1/users/{target.pk}/roles", {"roles": ["leader"]}, content_type=JSON)
    assert r.status_code == 403


def test_org_services_check_permission_and_scope(users, org, dept_admin):
    city = Division.objects.get(code="439900")
    with pytest.raises(Forbidden):
        unit_save(by=users["officer"], name="示例市某局", kind="agency", division=city, parent=org["示例市人民政府"])
    with pytest.raises(DomainError) as exc:  # a department administrator adds nothing outside its subtree
        unit_save(by=dept_admin, name="示例市某局", kind="agency", division=city, parent=None)
    assert exc.value.field == "parent"
    with pytest.raises(Forbidden):  # divisions are national data: only a manager of the whole jurisdiction
        division_save(by=dept_admin, code="439909", name="西湖区", parent=city)
    assert not Unit.objects.filter(name="示例市某局").exists()
    assert not Division.objects.filter(code="439909").exists()


def test_a_token_is_revoked_by_its_owner_or_a_user_manager(users):
    token, _ = token_create(user=users["agency"])
    with pytest.raises(Forbidden):
        token_revoke(token=token, by=users["officer"])
    token_revoke(token=token, by=users["admin"])
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_only_the_audit_administrator_reads_and_exports_the_logs(login_as, users):
    from django.urls import reverse

    from fazhi.core.models import Role

    for name in ("core:login_log", "core:operation_log"):
        url = reverse(name)
        assert login_as("auditor").get(url, {"format": "xlsx"}).status_code == 200
        for other in ("admin", "secadmin", "supervisor"):
            assert login_as(other).get(url).status_code == 403
    reader = Role.objects.create(code="log_reader", name="日志查阅", data_scope="all", permissions=["log.view"])
    users["leader"].roles.add(reader)
    c = login_as("leader")
    assert c.get(reverse("core:login_log")).status_code == 200
    assert c.get(reverse("core:login_log"), {"format": "xlsx"}).status_code == 403


def test_user_edit_keeps_the_roles_the_editor_cannot_grant(users, org):
    """A user manager edits the audit administrator: the 审计管理员 role stays (only the security administrator
    gives or takes it), the business role chosen on the form is added."""
    admin, auditor = users["admin"], users["auditor"]
    audit_role, leader_role = Role.objects.get(code="audit_admin"), Role.objects.get(code="leader")
    user_save(by=admin, instance=auditor, username=auditor.username, name="郑审计改", unit=auditor.unit,
              roles=[leader_role])  # fmt: skip
    auditor.refresh_from_db()
    assert auditor.name == "郑审计改"
    assert set(auditor.roles.all()) == {audit_role, leader_role}
    # The security administrator may take it away (user_set_roles), and so nothing is kept for him.
    user_set_roles(by=users["secadmin"], user=auditor, roles=[leader_role])
    assert list(auditor.roles.all()) == [leader_role]


def test_user_edit_page_shows_kept_roles_read_only_and_saving_keeps_them(login_as, users):
    auditor = users["auditor"]
    c = login_as("admin")
    url = reverse("core:user_edit", args=[auditor.pk])
    page = c.get(url).content.decode()
    assert 'id="kept-roles"' in page and "审计管理员" in page and "disabled" in page
    r = c.post(
        url,
        {"username": auditor.username, "name": auditor.name, "unit": auditor.unit_id, "phone": "", "email": ""},
    )
    assert r.status_code == 302
    assert list(auditor.roles.values_list("code", flat=True)) == ["audit_admin"]
