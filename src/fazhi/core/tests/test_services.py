"""Writes to the org tree, users, roles and tokens: validation with Chinese messages, and nothing changes
on bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.models import ApiToken, Division, LoginLog, OperationLog, Role, Unit, User
from fazhi.core.passwords import password_problem
from fazhi.core.selectors import division_by_code
from fazhi.core.services import (
    division_save,
    division_set_active,
    login_attempt,
    role_save,
    token_create,
    token_revoke,
    unit_save,
    unit_set_active,
    user_reset_password,
    user_save,
    user_set_active,
    user_unlock,
)
from fazhi.core.tokens import user_for_token

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Chushi@2026x"


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Short1!", False),  # too short
        ("abcdefghijk", False),  # one class
        ("abcdefgh12", False),  # two classes
        ("kxqmwpzt1!", True),  # lower, digit, special (not a run: abcdefgh1! is refused as a sequence)
        ("KXQMWPzt12", True),  # upper, lower, digit
        ("Ab1!Ab1!Ab", True),
    ],
)
def test_password_policy(password, ok):
    assert (password_problem(password) is None) is ok


def test_password_policy_message_is_chinese():
    assert password_problem("abc") == "密码至少 10 位"
    assert "至少三类" in password_problem("abcdefghijkl")


def _unit_kwargs(org, **over):
    kwargs = {
        "name": "示例市测试局",
        "kind": "agency",
        "division": Division.objects.get(code="439900"),
        "parent": org["示例市人民政府"],
    }
    return kwargs | over


# ---------------------------------------------------------------- divisions


def test_division_invalid_code(users):
    with pytest.raises(DomainError) as exc:
        division_save(by=users["admin"], code="4399", name="错误区")
    assert exc.value.field == "code"
    assert "6 位数字" in exc.value.message
    assert not Division.objects.filter(name="错误区").exists()


def test_division_full_width_code_is_normalised(users):
    d = division_save(by=users["admin"], code="４３９９０４", name="北湖区", parent=Division.objects.get(code="439900"))
    assert d.code == "439904"
    assert d.level == "county"


def test_division_duplicate_code(users):
    with pytest.raises(DomainError, match="已被“示例市”使用"):
        division_save(by=users["admin"], code="439900", name="重复市")


def test_unknown_division_code_names_field():
    with pytest.raises(DomainError) as exc:
        division_by_code(code="999999", field="parent")
    assert exc.value.field == "parent"
    assert exc.value.message == "区划代码“999999”不存在"


def test_division_cannot_be_its_own_ancestor(users):
    city = Division.objects.get(code="439900")
    district = Division.objects.get(code="439902")
    with pytest.raises(DomainError, match="不能是本区划或其下级"):
        division_save(by=users["admin"], instance=city, code=city.code, name=city.name, parent=district)
    city.refresh_from_db()
    assert city.parent.code == "430000"


def test_division_with_units_cannot_be_disabled(users):
    city = Division.objects.get(code="439900")
    with pytest.raises(DomainError, match="还有启用的"):
        division_set_active(by=users["admin"], division=city, active=False)
    city.refresh_from_db()
    assert city.is_active


# ---------------------------------------------------------------- units


def test_unit_create_sets_path_and_logs(users, org):
    unit = unit_save(by=users["admin"], **_unit_kwargs(org))
    assert unit.path == f"{org['示例市人民政府'].path}{unit.pk}/"
    assert OperationLog.objects.filter(action="新增单位", object_id=str(unit.pk), username="admin").exists()


def test_unit_duplicate_name(users, org):
    with pytest.raises(DomainError) as exc:
        unit_save(by=users["admin"], **_unit_kwargs(org, name="示例市司法局"))
    assert exc.value.field == "name"
    assert exc.value.message == "单位“示例市司法局”已存在"


def test_unit_invalid_kind(users, org):
    with pytest.raises(DomainError) as exc:
        unit_save(by=users["admin"], **_unit_kwargs(org, kind="bank"))
    assert exc.value.field == "kind"
    assert not Unit.objects.filter(name="示例市测试局").exists()


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_unit_cannot_be_its_own_ancestor(users, org, target):
    market = org["示例市市场监督管理局"]
    child = unit_save(by=users["admin"], **_unit_kwargs(org, parent=market))
    grandchild = unit_save(by=users["admin"], **_unit_kwargs(org, name="示例市测试局一科", parent=child))
    parent = {"self": market, "child": child, "grandchild": grandchild}[target]
    before = Unit.objects.get(pk=market.pk).path
    with pytest.raises(DomainError) as exc:
        unit_save(
            by=users["admin"],
            instance=market,
            name=market.name,
            kind=market.kind,
            division=market.division,
            parent=parent,
        )
    assert exc.value.field == "parent"
    assert exc.value.message == "上级单位不能是本单位或其下级单位"
    assert Unit.objects.get(pk=market.pk).path == before


def test_unit_move_rewrites_subtree_paths(users, org):
    market = org["示例市市场监督管理局"]
    branch = org["示例市市场监督管理局东城分局"]
    justice = org["示例市司法局"]
    unit_save(
        by=users["admin"],
        instance=market,
        name=market.name,
        kind=market.kind,
        division=market.division,
        parent=justice,
    )
    branch.refresh_from_db()
    assert branch.path == f"{justice.path}{market.pk}/{branch.pk}/"


def test_unit_with_active_children_cannot_be_disabled(users, org):
    market = org["示例市市场监督管理局"]
    with pytest.raises(DomainError, match="下级单位"):
        unit_set_active(by=users["admin"], unit=market, active=False)
    market.refresh_from_db()
    assert market.is_active


def test_unit_disable_and_enable(users, org):
    unit = unit_save(by=users["admin"], **_unit_kwargs(org))
    unit_set_active(by=users["admin"], unit=unit, active=False)
    assert not Unit.objects.get(pk=unit.pk).is_active
    with pytest.raises(DomainError, match="已停用"):
        unit_save(by=users["admin"], **_unit_kwargs(org, name="示例市测试局二科", parent=unit))
    unit_set_active(by=users["admin"], unit=unit, active=True)
    assert Unit.objects.get(pk=unit.pk).is_active


# ---------------------------------------------------------------- users


def _user_kwargs(org, **over):
    return {
        "username": "newbie",
        "name": "新人",
        "unit": org["示例市市场监督管理局"],
        "roles": [],
        "password": GOOD_PASSWORD,
    } | over


def test_user_create_must_change_password(users, org):
    user = user_save(by=users["admin"], **_user_kwargs(org, roles=[Role.objects.get(code="officer")]))
    assert user.must_change_password
    assert user.check_password(GOOD_PASSWORD)
    assert [r.code for r in user.roles.all()] == ["officer"]


def test_user_duplicate_username_case_insensitive(users, org):
    with pytest.raises(DomainError) as exc:
        user_save(by=users["admin"], **_user_kwargs(org, username="Agency"))
    assert exc.value.field == "username"
    assert exc.value.message == "用户名“Agency”已存在"


def test_user_weak_password(users, org):
    with pytest.raises(DomainError) as exc:
        user_save(by=users["admin"], **_user_kwargs(org, password="password"))
    assert exc.value.field == "password"
    assert not User.objects.filter(username="newbie").exists()


def test_user_unknown_unit(users, org):
    with pytest.raises(DomainError) as exc:
        user_save(by=users["admin"], **_user_kwargs(org, unit=None))
    assert exc.value.field == "unit"


@pytest.mark.parametrize(
    ("field", "value"), [("phone", "12345"), ("email", "not-an-email"), ("username", "a b"), ("name", "  ")]
)
def test_user_bad_fields(users, org, field, value):
    with pytest.raises(DomainError) as exc:
        user_save(by=users["admin"], **_user_kwargs(org, **{field: value}))
    assert exc.value.field == field
    assert not User.objects.filter(username="newbie").exists()


def test_user_cannot_disable_self(users):
    admin = users["admin"]
    with pytest.raises(DomainError, match="不能停用自己"):
        user_set_active(by=admin, user=admin, active=False)
    assert User.objects.get(pk=admin.pk).is_active


def test_user_reset_password_forces_change_and_unlocks(users):
    officer = users["officer"]
    officer.locked_until = timezone.now() + dt.timedelta(minutes=10)
    officer.save()
    with pytest.raises(DomainError):
        user_reset_password(by=users["admin"], user=officer, password="weak")
    user_reset_password(by=users["admin"], user=officer, password=GOOD_PASSWORD)
    officer.refresh_from_db()
    assert officer.must_change_password and officer.locked_until is None
    assert officer.check_password(GOOD_PASSWORD)


# ---------------------------------------------------------------- login and lockout


def test_lockout_after_five_failures_for_fifteen_minutes(users, settings):
    from fazhi.core.demo.build import DEMO_PASSWORD

    for _ in range(4):
        # No remaining-attempts counter: it would tell that the account exists.
        with pytest.raises(DomainError) as exc:
            login_attempt(username="officer", password="Wrong-Password-1")
        assert exc.value.message == "用户名或密码错误"
    with pytest.raises(DomainError, match="账号已锁定 15 分钟"):
        login_attempt(username="officer", password="Wrong-Password-1")
    officer = User.objects.get(username="officer")
    remaining = officer.locked_until - timezone.now()
    assert dt.timedelta(minutes=14) < remaining <= dt.timedelta(minutes=15)
    with pytest.raises(DomainError, match="锁定"):
        login_attempt(username="officer", password=DEMO_PASSWORD)
    assert LoginLog.objects.filter(username="officer", success=False).count() == 6
    # Unlocked by an admin, the right password works again.
    user_unlock(by=users["admin"], user=officer)
    assert login_attempt(username="officer", password=DEMO_PASSWORD) == officer


def test_lock_expires(users):
    from fazhi.core.demo.build import DEMO_PASSWORD

    officer = users["officer"]
    officer.locked_until = timezone.now() - dt.timedelta(seconds=1)
    officer.save()
    assert login_attempt(username="officer", password=DEMO_PASSWORD) == officer


def test_disabled_user_cannot_log_in(users):
    from fazhi.core.demo.build import DEMO_PASSWORD

    user_set_active(by=users["admin"], user=users["officer"], active=False)
    with pytest.raises(DomainError, match="已停用"):
        login_attempt(username="officer", password=DEMO_PASSWORD)


# ---------------------------------------------------------------- roles


def test_role_unknown_permission(users):
    with pytest.raises(DomainError) as exc:
        role_save(by=users["secadmin"], code="clerk", name="文书", data_scope="unit", permissions=["nope.x"])
    assert exc.value.field == "permissions"
    assert not Role.objects.filter(code="clerk").exists()


def test_role_bad_scope_and_code(users):
    with pytest.raises(DomainError) as exc:
        role_save(by=users["secadmin"], code="clerk", name="文书", data_scope="world", permissions=[])
    assert exc.value.field == "data_scope"
    with pytest.raises(DomainError) as exc:
        role_save(by=users["secadmin"], code="Clerk!", name="文书", data_scope="unit", permissions=[])
    assert exc.value.field == "code"


# ---------------------------------------------------------------- tokens


def test_token_create_and_revoke(users):
    token, secret = token_create(user=users["agency"], name="对接")
    assert secret.startswith("fz_") and token.key_hash != secret
    assert user_for_token(secret) == users["agency"]
    token_revoke(token=token, by=users["agency"])
    assert user_for_token(secret) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


# ---------------------------------------------------------------- warm-up at process start (issue 9)


def test_serve_warms_in_gunicorns_master_and_worker_before_its_first_task(monkeypatch):
    from django.core.management import call_command

    from fazhi.core import gunicorn_conf, warmup

    seen = []
    monkeypatch.setattr(warmup, "WARMERS", {"probe": lambda: seen.append("warm"), "broken": lambda: 1 / 0})
    import sys

    monkeypatch.setattr(sys, "argv", list(sys.argv))  # serve replaces sys.argv for gunicorn
    argv = []
    monkeypatch.setattr("gunicorn.app.wsgiapp.run", lambda: argv.extend(sys.argv))
    call_command("serve", "--port", "8999")
    assert argv[argv.index("--config") + 1] == "python:fazhi.core.gunicorn_conf"

    class Server:
        class log:
            @staticmethod
            def info(*args):
                seen.append(args[1])

    gunicorn_conf.when_ready(Server())
    assert seen[0] == "warm" and "probe" in seen[1] and "broken" not in seen[1]  # a failing warmer is skipped
