"""Every write to organisation, users, roles, tokens and notifications. Each runs in one transaction."""

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError
from fazhi.core.models import ApiToken, Division, LoginLog, Notification, Role, Unit, User
from fazhi.core.normalize import clean_text
from fazhi.core.passwords import password_problem
from fazhi.core.permissions import DEFAULT_ROLES, PERMISSION_CODES

DIVISION_CODE = re.compile(r"^\d{6}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,50}$")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


# ---------------------------------------------------------------- divisions


def _division_level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def division_validate(*, code: str, name: str, parent: Division | None, instance: Division | None = None):
    if not DIVISION_CODE.match(code):
        raise DomainError(f"区划代码“{code}”无效：应为 6 位数字（GB/T 2260）", field="code")
    if not name:
        raise DomainError("名称不能为空", field="name")
    clash = Division.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).first()
    if clash:
        raise DomainError(f"区划代码“{code}”已被“{clash.name}”使用", field="code")
    if parent is not None and not parent.is_active and getattr(instance, "parent_id", None) != parent.pk:
        raise DomainError(f"上级区划“{parent.name}”已停用", field="parent")
    if parent is not None and instance is not None:
        node = parent
        while node is not None:
            if node.pk == instance.pk:
                raise DomainError("上级区划不能是本区划或其下级", field="parent")
            node = node.parent


@transaction.atomic
def division_save(
    *,
    by,
    code: str,
    name: str,
    parent: Division | None = None,
    level: str = "",
    instance: Division | None = None,
    is_active: bool = True,
    ip=None,
) -> Division:
    code, name = clean_text(code), clean_text(name)
    division_validate(code=code, name=name, parent=parent, instance=instance)
    if instance is not None and instance.is_active and not is_active:
        _division_check_deactivate(instance)
    division = instance or Division()
    division.code, division.name, division.parent, division.is_active = code, name, parent, is_active
    division.level = level or _division_level(code)
    division.save()
    log_operation(
        user=by, action="修改行政区划" if instance else "新增行政区划", obj=division, summary=f"{code} {name}", ip=ip
    )
    return division


def _division_check_deactivate(division: Division) -> None:
    if division.children.filter(is_active=True).exists():
        raise DomainError(f"“{division.name}”还有启用的下级区划，请先停用下级区划", field="is_active")
    if division.units.filter(is_active=True).exists():
        raise DomainError(f"“{division.name}”还有启用的单位，请先停用或迁移这些单位", field="is_active")


@transaction.atomic
def division_set_active(*, by, division: Division, active: bool, ip=None) -> Division:
    if not active:
        _division_check_deactivate(division)
    division.is_active = active
    division.save(update_fields=["is_active"])
    log_operation(
        user=by,
        action="启用行政区划" if active else "停用行政区划",
        obj=division,
        summary=f"{division.code} {division.name}",
        ip=ip,
    )
    return division


# ---------------------------------------------------------------- units


def unit_validate(*, name: str, kind: str, division, parent: Unit | None, instance: Unit | None = None):
    if not name:
        raise DomainError("单位全称不能为空", field="name")
    if kind not in dict(Unit.KINDS):
        raise DomainError(f"单位类型“{kind}”无效", field="kind")
    if division is None:
        raise DomainError("所在区划不能为空", field="division")
    if not division.is_active and getattr(instance, "division_id", None) != division.pk:
        raise DomainError(f"区划“{division.name}”已停用", field="division")
    if Unit.objects.filter(name=name).exclude(pk=getattr(instance, "pk", None)).exists():
        raise DomainError(f"单位“{name}”已存在", field="name")
    if parent is not None and not parent.is_active and getattr(instance, "parent_id", None) != parent.pk:
        raise DomainError(f"上级单位“{parent.name}”已停用", field="parent")
    if parent is not None and instance is not None and instance.pk:
        if parent.pk == instance.pk or parent.path.startswith(instance.path):
            raise DomainError("上级单位不能是本单位或其下级单位", field="parent")


@transaction.atomic
def unit_save(
    *,
    by,
    name: str,
    kind: str,
    division: Division,
    parent: Unit | None = None,
    short_name: str = "",
    supervising_unit: Unit | None = None,
    credit_code: str = "",
    sort_order: int = 0,
    is_active: bool = True,
    instance: Unit | None = None,
    ip=None,
) -> Unit:
    name, short_name = clean_text(name), clean_text(short_name)
    unit_validate(name=name, kind=kind, division=division, parent=parent, instance=instance)
    if instance is not None and instance.is_active and not is_active:
        _unit_check_deactivate(instance)
    unit = instance or Unit()
    old_path = unit.path if unit.pk else None
    unit.name, unit.short_name, unit.kind, unit.division = name, short_name, kind, division
    unit.parent, unit.supervising_unit, unit.credit_code = parent, supervising_unit, clean_text(credit_code)
    unit.sort_order, unit.is_active = sort_order, is_active
    unit.save()
    new_path = f"{parent.path if parent else '/'}{unit.pk}/"
    if new_path != unit.path:
        Unit.objects.filter(pk=unit.pk).update(path=new_path)
        if old_path and old_path != "/":
            # Move the whole subtree in one statement: replace the old prefix by the new one.
            Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
            )
        unit.path = new_path
    log_operation(user=by, action="修改单位" if instance else "新增单位", obj=unit, summary=name, ip=ip)
    return unit


def _unit_check_deactivate(unit: Unit) -> None:
    if unit.children.filter(is_active=True).exists():
        raise DomainError(f"“{unit.name}”还有启用的下级单位，请先停用下级单位", field="is_active")
    if unit.users.filter(is_active=True).exists():
        raise DomainError(f"“{unit.name}”还有启用的用户，请先停用或调整这些用户", field="is_active")


@transaction.atomic
def unit_set_active(*, by, unit: Unit, active: bool, ip=None) -> Unit:
    if not active:
        _unit_check_deactivate(unit)
    elif unit.parent is not None and not unit.parent.is_active:
        raise DomainError(f"上级单位“{unit.parent.name}”已停用，请先启用上级单位", field="is_active")
    unit.is_active = active
    unit.save(update_fields=["is_active"])
    log_operation(user=by, action="启用单位" if active else "停用单位", obj=unit, summary=unit.name, ip=ip)
    return unit


# ---------------------------------------------------------------- roles


@transaction.atomic
def role_save(
    *,
    by,
    code: str,
    name: str,
    data_scope: str,
    permissions: list[str],
    description: str = "",
    is_active: bool = True,
    instance: Role | None = None,
    ip=None,
) -> Role:
    code, name = clean_text(code), clean_text(name)
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", code):
        raise DomainError("角色编码应为小写字母开头的字母、数字、下划线", field="code")
    if not name:
        raise DomainError("角色名称不能为空", field="name")
    if data_scope not in dict(Role.SCOPES):
        raise DomainError(f"数据范围“{data_scope}”无效", field="data_scope")
    unknown = sorted(set(permissions) - PERMISSION_CODES)
    if unknown:
        raise DomainError(f"未知的权限：{'、'.join(unknown)}", field="permissions")
    if Role.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        raise DomainError(f"角色编码“{code}”已存在", field="code")
    if Role.objects.filter(name=name).exclude(pk=getattr(instance, "pk", None)).exists():
        raise DomainError(f"角色名称“{name}”已存在", field="name")
    role = instance or Role()
    role.code, role.name, role.data_scope = code, name, data_scope
    role.permissions, role.description, role.is_active = sorted(set(permissions)), description, is_active
    role.save()
    log_operation(user=by, action="修改角色" if instance else "新增角色", obj=role, summary=name, ip=ip)
    return role


@transaction.atomic
def role_set_active(*, by, role: Role, active: bool, ip=None) -> Role:
    role.is_active = active
    role.save(update_fields=["is_active"])
    log_operation(user=by, action="启用角色" if active else "停用角色", obj=role, summary=role.name, ip=ip)
    return role


def roles_ensure_defaults() -> None:
    """Create the built-in roles if missing and add any permission a newer release gave them."""
    for code, (name, scope, perms) in DEFAULT_ROLES.items():
        role, created = Role.objects.get_or_create(
            code=code, defaults={"name": name, "data_scope": scope, "permissions": perms}
        )
        if not created and set(perms) - set(role.permissions):
            role.permissions = sorted(set(role.permissions) | set(perms))
            role.save(update_fields=["permissions"])


# ---------------------------------------------------------------- users


def user_validate_password(password: str, *, field: str = "password") -> None:
    problem = password_problem(password)
    if problem:
        raise DomainError(problem, field=field)


@transaction.atomic
def user_save(
    *,
    by,
    username: str,
    name: str,
    unit: Unit | None,
    roles: list[Role],
    phone: str = "",
    email: str = "",
    password: str | None = None,
    is_active: bool = True,
    instance: User | None = None,
    ip=None,
) -> User:
    username, name, phone = clean_text(username), clean_text(name), clean_text(phone)
    if not USERNAME.match(username):
        raise DomainError("用户名应为 3–50 位字母、数字或 _ . @ -", field="username")
    if User.objects.filter(username__iexact=username).exclude(pk=getattr(instance, "pk", None)).exists():
        raise DomainError(f"用户名“{username}”已存在", field="username")
    if not name:
        raise DomainError("姓名不能为空", field="name")
    if unit is None:
        raise DomainError("所属单位不能为空", field="unit")
    if not unit.is_active and getattr(instance, "unit_id", None) != unit.pk:
        raise DomainError(f"单位“{unit.name}”已停用", field="unit")
    if phone and not re.fullmatch(r"1\d{10}|0\d{2,3}-?\d{7,8}", phone):
        raise DomainError(f"手机号“{phone}”格式不正确", field="phone")
    email = clean_text(email)
    if email and not EMAIL.fullmatch(email):
        raise DomainError(f"邮箱“{email}”格式不正确", field="email")
    if instance is not None and instance.pk == getattr(by, "pk", None) and not is_active:
        raise DomainError("不能停用自己的账号", field="is_active")
    if instance is None and not password:
        raise DomainError("新用户须设置初始密码", field="password")
    if password:
        user_validate_password(password)
    user = instance or User()
    user.username, user.name, user.unit, user.phone, user.email = username, name, unit, phone, email
    user.is_active = is_active
    if password:
        user.set_password(password)
        # A password set by someone else must be changed by its owner at first login.
        user.must_change_password = True
    user.save()
    user.roles.set(roles)
    log_operation(user=by, action="修改用户" if instance else "新增用户", obj=user, summary=username, ip=ip)
    return user


@transaction.atomic
def user_set_active(*, by, user: User, active: bool, ip=None) -> User:
    if not active and user.pk == getattr(by, "pk", None):
        raise DomainError("不能停用自己的账号", field="is_active")
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_operation(user=by, action="启用用户" if active else "停用用户", obj=user, summary=user.username, ip=ip)
    return user


@transaction.atomic
def user_reset_password(*, by, user: User, password: str, ip=None) -> None:
    """An administrator sets a new password; the owner must change it at the next login."""
    user_validate_password(password)
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    log_operation(user=by, action="重置密码", obj=user, summary=user.username, ip=ip)


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str, ip=None) -> None:
    if not user.check_password(old_password):
        raise DomainError("原密码不正确", field="old_password")
    user_validate_password(new_password, field="new_password")
    if old_password == new_password:
        raise DomainError("新密码不能与原密码相同", field="new_password")
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    log_operation(user=user, action="修改密码", obj=user, ip=ip)


def _log_login(*, username: str, user, success: bool, reason: str, ip, user_agent: str) -> None:
    LoginLog.objects.create(
        username=username[:150], user=user, success=success, reason=reason, ip=ip, user_agent=(user_agent or "")[:255]
    )


def login_attempt(*, username: str, password: str, ip=None, user_agent: str = "") -> User:
    """Check a login. Locks the account after LOGIN_MAX_FAILURES failures for LOGIN_LOCK_MINUTES.

    The failure count and the login log are committed before the error is raised, so a refused login
    still counts towards the lock.
    """
    conf = settings.FAZHI
    username = clean_text(username)
    now = timezone.now()
    error: DomainError | None = None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        if user is None:
            reason, error = "用户不存在", DomainError("用户名或密码错误", field="password")
        elif user.locked_until and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            reason = "账号锁定中"
            error = DomainError(f"登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试", field="username")
        elif not user.check_password(password):
            user.failed_logins += 1
            reason = "密码错误"
            if user.failed_logins >= conf["LOGIN_MAX_FAILURES"]:
                user.locked_until = now + dt.timedelta(minutes=conf["LOGIN_LOCK_MINUTES"])
                user.failed_logins = 0
                reason = "密码错误，账号已锁定"
                error = DomainError(
                    f"连续 {conf['LOGIN_MAX_FAILURES']} 次密码错误，账号已锁定 {conf['LOGIN_LOCK_MINUTES']} 分钟",
                    field="username",
                )
            else:
                left = conf["LOGIN_MAX_FAILURES"] - user.failed_logins
                error = DomainError(f"用户名或密码错误，再错 {left} 次将锁定账号", field="password")
            user.save(update_fields=["failed_logins", "locked_until"])
        elif not user.is_active:
            reason, error = "账号已停用", DomainError("账号已停用，请联系管理员", field="username")
        else:
            reason = "登录成功"
            user.failed_logins, user.locked_until, user.last_login = 0, None, now
            user.save(update_fields=["failed_logins", "locked_until", "last_login"])
        _log_login(username=username, user=user, success=error is None, reason=reason, ip=ip, user_agent=user_agent)
    if error is not None:
        raise error
    return user


@transaction.atomic
def user_unlock(*, by, user: User, ip=None) -> None:
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["failed_logins", "locked_until"])
    log_operation(user=by, action="解锁用户", obj=user, summary=user.username, ip=ip)


# ---------------------------------------------------------------- API tokens


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "", by=None, ip=None) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored and shown only now."""
    secret = "fz_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=clean_text(name)[:50], prefix=secret[:10], key_hash=token_hash(secret)
    )
    log_operation(user=by or user, action="创建API令牌", obj=user, summary=f"{user.username} {token.prefix}", ip=ip)
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by, ip=None) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_operation(user=by, action="吊销API令牌", obj=token.user, summary=token.prefix, ip=ip)


# ---------------------------------------------------------------- notifications


def notify(*, recipients, title: str, body: str = "", url: str = "", level: str = "info", dedup_key: str) -> int:
    """Create one notification per recipient unless one with the same key exists. Returns how many were new."""
    recipients = list(recipients)
    existing = set(
        Notification.objects.filter(recipient__in=recipients, dedup_key=dedup_key).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [
        Notification(recipient=r, title=title[:200], body=body, url=url, level=level, dedup_key=dedup_key)
        for r in recipients
        if r.pk not in existing
    ]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
