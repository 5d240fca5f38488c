"""Every write to organisation, users, roles, tokens and notifications. Each runs in one transaction."""

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import ApiToken, Division, LoginLog, Notification, Role, Unit, User
from fazhi.core.normalize import clean_text, email_valid
from fazhi.core.passwords import password_problem
from fazhi.core.permissions import (
    DEFAULT_ROLES,
    PERMISSION_CODES,
    SEPARATED_DUTIES,
    division_actions,
    duties_combined,
    role_actions,
    token_actions,
    unit_actions,
    user_actions,
)
from fazhi.core.throttle import throttle_hit, throttle_undo, throttle_wait_minutes

DIVISION_CODE = re.compile(r"^\d{6}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,50}$")


def _require(by, actions: set[str], action: str) -> None:
    """Services check the entity's predicate again. `by=None` is the system itself (migrations, demo, CLI)."""
    if by is not None and action not in actions:
        raise Forbidden()


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
    _require(by, division_actions(user=by, obj=instance) if by else set(), "edit" if instance else "create")
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
    _require(by, division_actions(user=by, obj=division) if by else set(), "toggle")
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
    _require(by, unit_actions(user=by, obj=instance) if by else set(), "edit" if instance else "create")
    name, short_name = clean_text(name), clean_text(short_name)
    if by is not None and not _unit_within_scope(by, parent):
        raise DomainError("只能在本人数据范围内的单位下新增或移动单位", field="parent")
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


def _unit_within_scope(by, unit: Unit | None) -> bool:
    from fazhi.core.scope import scope_q, user_data_scope

    if user_data_scope(by) == "all":
        return True
    return unit is not None and Unit.objects.filter(scope_q(by, unit_field=""), pk=unit.pk).exists()


def _unit_check_deactivate(unit: Unit) -> None:
    if unit.children.filter(is_active=True).exists():
        raise DomainError(f"“{unit.name}”还有启用的下级单位，请先停用下级单位", field="is_active")
    if unit.users.filter(is_active=True).exists():
        raise DomainError(f"“{unit.name}”还有启用的用户，请先停用或调整这些用户", field="is_active")


@transaction.atomic
def unit_set_active(*, by, unit: Unit, active: bool, ip=None) -> Unit:
    _require(by, unit_actions(user=by, obj=unit) if by else set(), "toggle")
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
    _require(by, role_actions(user=by, obj=instance) if by else set(), "edit" if instance else "create")
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
    _check_separated_duties(permissions, field="permissions")
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
    _require(by, role_actions(user=by, obj=role) if by else set(), "toggle")
    role.is_active = active
    role.save(update_fields=["is_active"])
    log_operation(user=by, action="启用角色" if active else "停用角色", obj=role, summary=role.name, ip=ip)
    return role


def _check_separated_duties(codes, *, field: str) -> None:
    duties = duties_combined(codes)
    if len(duties) > 1:
        raise DomainError(f"三员分立：{'、'.join(duties)}的权限不能由同一角色或同一账号兼有", field=field)


def _check_role_grant(*, by, target: User | None, roles: list[Role]) -> None:
    """Who may give which roles: nobody changes their own roles; a user manager gives business roles; only the
    security administrator (role.manage) gives a role that carries an administrator duty. 三员分立 holds."""
    current = set(target.roles.values_list("pk", flat=True)) if target is not None else set()
    wanted = {r.pk for r in roles}
    granted = [r for r in roles if r.pk not in current]
    _check_separated_duties({c for r in roles for c in r.permissions}, field="roles")
    if by is None or (wanted == current and target is not None):
        return
    if target is not None and target.pk == by.pk:
        raise DomainError("不能修改自己的角色", field="roles")
    if "grant_roles" in user_actions(user=by, obj=target):
        return
    duty_codes = {c for duty in SEPARATED_DUTIES.values() for c in duty}
    reserved = [r.name for r in granted if set(r.permissions) & duty_codes]
    if reserved:
        raise DomainError(f"管理员角色只能由安全管理员授予：{'、'.join(reserved)}", field="roles")


def roles_ensure_defaults() -> None:
    """Create the built-in roles if missing and add any permission a newer release gave them."""
    for code, (name, scope, perms) in DEFAULT_ROLES.items():
        role, created = Role.objects.get_or_create(
            code=code, defaults={"name": name, "data_scope": scope, "permissions": perms}
        )
        if created:
            continue
        # 三员分立: a built-in role keeps no administrator duty its default does not give it (an upgrade from a
        # release whose 系统管理员 also managed roles and read the logs loses those two).
        retired = {c for duty in SEPARATED_DUTIES.values() for c in duty} - set(perms)
        updated = (set(role.permissions) | set(perms)) - retired
        if updated != set(role.permissions):
            role.permissions = sorted(updated)
            role.save(update_fields=["permissions"])


# ---------------------------------------------------------------- users


def user_validate_password(password: str, *, field: str = "password", username: str = "") -> None:
    problem = password_problem(password, username=username)
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
    _require(by, user_actions(user=by, obj=instance) if by else set(), "edit" if instance else "create")
    if by is not None and instance is not None:
        # Who may not grant a role may not take it away either: an edit never drops what the editor cannot give.
        from fazhi.core.selectors import roles_kept

        roles = list({r.pk: r for r in [*roles, *roles_kept(user=by, target=instance)]}.values())
    _check_role_grant(by=by, target=instance, roles=roles)
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
    if email and not email_valid(email):
        raise DomainError(f"邮箱“{email}”格式不正确", field="email")
    if instance is not None and instance.pk == getattr(by, "pk", None) and not is_active:
        raise DomainError("不能停用自己的账号", field="is_active")
    if instance is None and not password:
        raise DomainError("新用户须设置初始密码", field="password")
    if password:
        user_validate_password(password, username=username)
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
def user_set_roles(*, by, user: User, roles: list[Role], ip=None) -> User:
    """The security administrator's grant: change only a user's roles."""
    _require(by, user_actions(user=by, obj=user) if by else set(), "grant_roles")
    _check_role_grant(by=by, target=user, roles=roles)
    user.roles.set(roles)
    log_operation(user=by, action="授予角色", obj=user, summary="、".join(r.name for r in roles) or "无", ip=ip)
    return user


@transaction.atomic
def user_set_active(*, by, user: User, active: bool, ip=None) -> User:
    _require(by, user_actions(user=by, obj=user) if by else set(), "toggle" if not active else "edit")
    if not active and user.pk == getattr(by, "pk", None):
        raise DomainError("不能停用自己的账号", field="is_active")
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_operation(user=by, action="启用用户" if active else "停用用户", obj=user, summary=user.username, ip=ip)
    return user


@transaction.atomic
def user_reset_password(*, by, user: User, password: str, ip=None) -> None:
    """An administrator sets a new password; the owner must change it at the next login. Until then the user's
    API tokens are suspended (tokens.user_for_token) and the session API answers 403 (middleware)."""
    _require(by, user_actions(user=by, obj=user) if by else set(), "reset_password")
    user_validate_password(password, username=user.username)
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    log_operation(user=by, action="重置密码", obj=user, summary=user.username, ip=ip)


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str, ip=None) -> None:
    if not user.check_password(old_password):
        raise DomainError("原密码不正确", field="old_password")
    user_validate_password(new_password, field="new_password", username=user.username)
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


def login_attempt(*, username: str, password: str, ip=None, user_agent: str = "", now=None) -> User:
    """Check a login. Locks the account after LOGIN_MAX_FAILURES failures for LOGIN_LOCK_MINUTES, and an IP
    address after LOGIN_IP_MAX_FAILURES failed logins (any accounts) in LOGIN_IP_WINDOW_MINUTES.

    A wrong password and an unknown user get the same answer, and an unknown user name "locks" like an
    account does (counted in the cache), so that nothing tells which accounts exist. The failure count and the
    login log are committed before the error is raised, so a refused login still counts towards the lock.
    """
    conf = settings.FAZHI
    username = clean_text(username)
    now = now or timezone.now()
    ip_window = max(1, conf["LOGIN_IP_WINDOW_MINUTES"]) * 60
    ip_throttle = {"scope": "login-ip", "ident": ip or "", "window_seconds": ip_window, "now": now.timestamp()}
    # Every attempt is counted before the password is checked (atomically, so parallel guesses cannot pass
    # together); a successful login takes its count back.
    ip_limited = bool(ip and conf["LOGIN_IP_MAX_FAILURES"])  # 0 turns the IP throttle off
    if ip_limited and throttle_hit(**ip_throttle) > conf["LOGIN_IP_MAX_FAILURES"]:
        minutes = throttle_wait_minutes(window_seconds=ip_window, now=now.timestamp())
        _log_login(
            username=username, user=None, success=False, reason="IP 登录失败次数过多", ip=ip, user_agent=user_agent
        )
        raise DomainError(f"本机登录失败次数过多，请 {minutes} 分钟后再试", field="username")
    error: DomainError | None = None
    wrong = DomainError("用户名或密码错误", field="password")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        if user is None:
            User().set_password(password)  # as long as a real check, so timing tells nothing either
            reason, error = "用户不存在", _login_unknown_user(username=username, now=now) or wrong
        elif user.locked_until and user.locked_until > now:
            reason, error = "账号锁定中", _login_locked(until=user.locked_until, now=now)
        elif not user.check_password(password):
            user.failed_logins += 1
            reason, error = "密码错误", wrong
            if user.failed_logins >= conf["LOGIN_MAX_FAILURES"]:
                user.locked_until = now + dt.timedelta(minutes=conf["LOGIN_LOCK_MINUTES"])
                user.failed_logins = 0
                reason, error = "密码错误，账号已锁定", _login_lock_error()
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
    if ip_limited:
        throttle_undo(**ip_throttle)
    return user


def _login_lock_error() -> DomainError:
    conf = settings.FAZHI
    return DomainError(
        f"连续 {conf['LOGIN_MAX_FAILURES']} 次密码错误，账号已锁定 {conf['LOGIN_LOCK_MINUTES']} 分钟", field="username"
    )


def _login_locked(*, until: dt.datetime, now: dt.datetime) -> DomainError:
    minutes = max(1, int((until - now).total_seconds() // 60) + 1)
    return DomainError(f"登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试", field="username")


def _login_unknown_user(*, username: str, now: dt.datetime) -> DomainError | None:
    """Failures for a user name that does not exist, counted and "locked" exactly like an account's."""
    conf = settings.FAZHI
    key = hashlib.sha256(username.lower().encode()).hexdigest()[:32]
    until = cache.get(f"fazhi:login-ghost-lock:{key}")
    if until and until > now.timestamp():
        return _login_locked(until=dt.datetime.fromtimestamp(until, dt.UTC), now=now)
    count_key = f"fazhi:login-ghost:{key}"
    cache.add(count_key, 0, timeout=24 * 3600)
    try:
        failures = cache.incr(count_key)
    except ValueError:
        failures = 1
    if failures < conf["LOGIN_MAX_FAILURES"]:
        return None
    cache.delete(count_key)
    lock_seconds = conf["LOGIN_LOCK_MINUTES"] * 60
    cache.set(f"fazhi:login-ghost-lock:{key}", now.timestamp() + lock_seconds, timeout=lock_seconds)
    return _login_lock_error()


@transaction.atomic
def user_unlock(*, by, user: User, ip=None) -> None:
    _require(by, user_actions(user=by, obj=user) if by else set(), "unlock")
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
    _require(by, token_actions(user=by, obj=token) if by else set(), "revoke")
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


# ---------------------------------------------------------------- online sessions


@transaction.atomic
def session_force_logout(*, by, session, ip=None, now: dt.datetime | None = None) -> None:
    """The security administrator ends a signed-in session (等保 三级 强制下线). The session is removed from the
    store, and its record is marked, so its next request — page or API — is refused even on a store that
    missed the removal."""
    from fazhi.core.permissions import session_actions
    from fazhi.core.sessions import END_FORCED, session_record_end, session_store_delete

    _require(by, session_actions(user=by, obj=session), "force_logout")
    if session.ended_at is not None:
        raise DomainError("该会话已结束", field="session")
    session_record_end(session_key=session.session_key, reason=END_FORCED, by=by, now=now)
    session_store_delete(session.session_key)
    log_operation(
        user=by,
        action="强制下线",
        obj=session.user,
        summary=f"{session.user.username}（{session.user.display_name}）IP {session.ip or '-'}",
        ip=ip,
    )
