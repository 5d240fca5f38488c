"""Reads of the org tree, users, roles and logs: filters and data scope."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import LoginLog, OperationLog
from fazhi.core.selectors import (
    division_list,
    login_log_list,
    operation_log_list,
    role_choices,
    role_list,
    roles_by_names,
    unit_by_name,
    unit_get,
    unit_list,
    unit_tree_rows,
    user_get,
    user_list,
)

pytestmark = pytest.mark.django_db


def test_division_list_search(users):
    assert [d.code for d in division_list(user=users["admin"], q="4399")] == [
        "439900",
        "439902",
        "439903",
        "439921",
    ]
    assert [d.name for d in division_list(user=users["admin"], q="南山")] == ["南山县"]


def test_unit_list_active_filter(users, org):
    admin = users["admin"]
    unit = org["示例市水利局"]
    unit.is_active = False
    unit.save()
    assert unit not in unit_list(user=admin)
    assert unit in unit_list(user=admin, include_inactive=True)
    assert list(unit_list(user=admin, active=False)) == [unit]


def test_unit_tree_rows_depth_and_contiguity(users, org):
    rows = unit_tree_rows(unit_list(user=users["admin"]))
    assert rows[0] == (org["示例市人民政府"], 0)
    depth = dict(rows)
    assert depth[org["示例市司法局"]] == 1
    assert depth[org["示例市市场监督管理局东城分局"]] == 2
    # Each unit comes right after its ancestors: a parent always precedes its children.
    seen = set()
    for unit, _ in rows:
        assert unit.parent_id is None or unit.parent_id in seen
        seen.add(unit.pk)


def test_unit_get_outside_scope_is_not_found(users, org):
    assert unit_get(user=users["agency"], pk=org["示例市市场监督管理局东城分局"].pk)
    with pytest.raises(NotFound):
        unit_get(user=users["agency"], pk=org["示例市生态环境局"].pk)
    with pytest.raises(NotFound):
        unit_get(user=users["agency"], pk="abc")


def test_unit_by_name_full_short_and_scope(users, org):
    assert unit_by_name(user=users["admin"], name="示例市司法局") == org["示例市司法局"]
    assert unit_by_name(user=users["admin"], name="市司法局") == org["示例市司法局"]
    with pytest.raises(DomainError) as exc:
        unit_by_name(user=users["agency"], name="示例市司法局", field="parent")
    assert exc.value.field == "parent"


def test_user_list_scope_and_filters(users, org, dept_admin):
    assert {u.username for u in user_list(user=dept_admin)} == {"agency", "officer"}
    admin = users["admin"]
    assert {u.username for u in user_list(user=admin, unit=org["示例市司法局"].pk)} == {
        "admin",
        "supervisor",
        "monitor",
        "secadmin",
        "auditor",
    }
    assert [u.username for u in user_list(user=admin, role="leader")] == ["leader"]
    assert [u.username for u in user_list(user=admin, q="张法")] == ["agency"]
    users["monitor"].is_active = False
    users["monitor"].save()
    assert [u.username for u in user_list(user=admin, active=False)] == ["monitor"]
    # Under the city government: everyone but nobody twice (roles join).
    assert user_list(user=admin, unit=org["示例市人民政府"]).count() == len(users)


def test_officer_self_scope_sees_only_self(users):
    assert [u.username for u in user_list(user=users["officer"])] == ["officer"]
    with pytest.raises(NotFound):
        user_get(user=users["officer"], pk=users["agency"].pk)


def test_user_get_other_agency_not_found(users, dept_admin):
    with pytest.raises(NotFound):
        user_get(user=dept_admin, pk=users["agency2"].pk)


def test_role_list_and_lookup(users):
    assert role_list(user=users["secadmin"], q="监督").count() == 2
    assert role_list(user=users["admin"]).count() == 0  # 三员分立: roles are the security administrator's
    assert "security_admin" not in {r.code for r in role_choices(user=users["admin"])}
    assert "officer" in {r.code for r in role_choices(user=users["admin"])}
    assert [r.code for r in roles_by_names(names=["系统管理员", "officer", ""])] == ["admin", "officer"]
    with pytest.raises(DomainError, match="角色“x”不存在"):
        roles_by_names(names=["x"])


def test_login_log_filters_and_scope(users, dept_admin):
    now = timezone.now()
    LoginLog.objects.create(
        username="officer", user=users["officer"], success=False, ip="10.0.0.5", at=now - dt.timedelta(days=3)
    )
    LoginLog.objects.create(username="agency2", user=users["agency2"], success=True, ip="10.0.0.6", at=now)
    admin = users["admin"]
    assert login_log_list(user=admin, success=False, q="officer").count() == 1
    assert login_log_list(user=admin, ip="10.0.0.6").count() == 1
    today = timezone.localdate()
    assert [x.username for x in login_log_list(user=admin, date_from=today)] == ["agency2"]
    assert [x.username for x in login_log_list(user=admin, date_to=today - dt.timedelta(days=1))] == ["officer"]
    # A subtree log viewer sees its own agency's logins only.
    assert [x.username for x in login_log_list(user=dept_admin)] == ["officer"]


def test_operation_log_filters(users):
    OperationLog.objects.create(username="admin", user=users["admin"], action="新增单位", summary="示例市某局")
    OperationLog.objects.create(username="admin", user=users["admin"], action="停用用户", summary="x")
    assert operation_log_list(user=users["admin"], action="新增单位", q="某局").count() == 1


def test_someone_elses_tokens_only_for_a_user_manager_with_them_in_scope(users, dept_admin):
    from fazhi.core.selectors import token_get, token_list
    from fazhi.core.services import token_create

    token, _ = token_create(user=users["agency2"])
    # The system administrator (全部 scope) keeps every user's tokens.
    assert list(token_list(user=users["admin"], owner=users["agency2"])) == [token]
    assert token_get(user=users["admin"], pk=token.pk, owner=users["agency2"]) == token
    # A unit's own user manager does not reach another agency's user, nor does someone without user.manage.
    for viewer in (dept_admin, users["leader"]):
        assert list(token_list(user=viewer, owner=users["agency2"])) == []
        with pytest.raises(NotFound):
            token_get(user=viewer, pk=token.pk, owner=users["agency2"])
    assert list(token_list(user=users["agency2"])) == [token]
