"""Reads of organisation data, each applying the viewer's data scope."""

import datetime as dt

from django.db.models import Q, QuerySet

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import ApiToken, Division, LoginLog, Notification, OperationLog, Role, Unit, User
from fazhi.core.normalize import clean_text
from fazhi.core.scope import get_scoped_or_404, has_permission, scoped, user_data_scope

# ---------------------------------------------------------------- divisions


def division_list(*, user, q: str = "", active: bool | None = None) -> QuerySet[Division]:
    """Divisions are a public code table (GB/T 2260); whoever may see or keep the org tree sees all of them."""
    from fazhi.core.permissions import division_actions

    qs = Division.objects.select_related("parent")
    if "view" not in division_actions(user=user, obj=None) and not has_permission(user, "org.view"):
        return qs.none()
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(code__startswith=q) | Q(name__icontains=q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("code")


def division_get(*, user, pk) -> Division:
    try:
        return division_list(user=user).get(pk=pk)
    except (Division.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def division_by_code(*, code, field: str = "division") -> Division:
    """Resolve a division given by its code (imports, API); an unknown code names the field."""
    code = clean_text(code)
    division = Division.objects.filter(code=code).first()
    if division is None:
        raise DomainError(f"区划代码“{code}”不存在", field=field)
    return division


# ---------------------------------------------------------------- units


def unit_list(
    *, user, q: str = "", kind: str = "", include_inactive: bool = False, active: bool | None = None
) -> QuerySet[Unit]:
    qs = scoped(Unit.objects.select_related("division", "parent"), user, unit_field="")
    if active is not None:
        qs = qs.filter(is_active=active)
    elif not include_inactive:
        qs = qs.filter(is_active=True)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(division__name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path", "sort_order", "id")


def unit_get(*, user, pk) -> Unit:
    return get_scoped_or_404(
        Unit.objects.select_related("division", "parent", "supervising_unit"), user, pk, unit_field=""
    )


def unit_ref(*, user, pk, field: str = "unit") -> Unit:
    """A unit referenced by id in a request body: unknown or out of scope is a field error (422), not 404."""
    try:
        return unit_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"单位（id={pk}）不存在或不在您的管理范围内", field=field) from None


def unit_by_name(*, user, name, field: str = "unit") -> Unit:
    """Resolve a unit given by full name (or short name if unique) inside the viewer's scope."""
    name = clean_text(name)
    qs = unit_list(user=user, include_inactive=True)
    unit = qs.filter(name=name).first()
    if unit is None:
        matches = list(qs.filter(short_name=name)[:2])
        unit = matches[0] if len(matches) == 1 else None
    if unit is None:
        raise DomainError(f"单位“{name}”不存在或不在您的管理范围内", field=field)
    return unit


def unit_tree_rows(units) -> list[tuple[Unit, int]]:
    """Units with their depth below the shallowest unit listed (for an indented tree)."""
    units = list(units)
    if not units:
        return []
    top = min(u.path.count("/") for u in units)
    return [(u, u.path.count("/") - top) for u in units]


# ---------------------------------------------------------------- users


def user_list(*, user, q: str = "", unit=None, role=None, active: bool | None = None) -> QuerySet[User]:
    """Users in the viewer's scope; `unit` keeps that unit and its sub-units, `role` a role id or code."""
    qs = scoped(User.objects.select_related("unit").prefetch_related("roles"), user, unit_field="unit")
    if user_data_scope(user) == "self":
        qs = qs.filter(pk=user.pk)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(name__icontains=q) | Q(phone__contains=q))
    if unit:
        unit_obj = unit if isinstance(unit, Unit) else Unit.objects.filter(pk=unit).first()
        qs = qs.filter(unit__path__startswith=unit_obj.path) if unit_obj else qs.none()
    if role:
        qs = qs.filter(roles__pk=role) if str(role).isdigit() else qs.filter(roles__code=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.distinct().order_by("unit__path", "id")


def user_get(*, user, pk) -> User:
    qs = User.objects.select_related("unit").prefetch_related("roles")
    if user_data_scope(user) == "self":
        qs = qs.filter(pk=user.pk)
    return get_scoped_or_404(qs, user, pk, unit_field="unit")


# ---------------------------------------------------------------- roles


def role_list(*, user, q: str = "", active: bool | None = None) -> QuerySet[Role]:
    """Roles are shared by all units: only their keeper (role_actions: role.manage with the 全部 scope) lists them."""
    from fazhi.core.permissions import role_actions

    qs = Role.objects.all()
    if "view" not in role_actions(user=user, obj=None):
        return qs.none()
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("id")


def role_choices(*, user) -> QuerySet[Role]:
    """The active roles `user` may give others: all for the security administrator, business roles (no
    administrator duty of 三员分立) for a user manager, none otherwise."""
    from fazhi.core.permissions import SEPARATED_DUTIES

    qs = Role.objects.filter(is_active=True).order_by("id")
    if has_permission(user, "role.manage"):
        return qs
    if not has_permission(user, "user.manage"):
        return qs.none()
    duty_codes = {c for duty in SEPARATED_DUTIES.values() for c in duty}
    return qs.filter(pk__in=[r.pk for r in qs if not set(r.permissions) & duty_codes])


def roles_kept(*, user, target) -> list[Role]:
    """The roles `target` holds that `user` may not give (an administrator duty of 三员分立, an inactive role):
    an edit by `user` keeps them as they are, and the form shows them read-only."""
    if target is None or target.pk is None:
        return []
    grantable = set(role_choices(user=user).values_list("pk", flat=True))
    return [r for r in target.roles.order_by("id") if r.pk not in grantable]


def role_get(*, user, pk) -> Role:
    try:
        return role_list(user=user).get(pk=pk)
    except (Role.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def roles_by_names(*, names: list[str], field: str = "roles") -> list[Role]:
    """Resolve roles given by name or code (imports, API)."""
    roles = []
    for raw in names:
        key = clean_text(raw)
        if not key:
            continue
        role = Role.objects.filter(Q(name=key) | Q(code=key)).first()
        if role is None:
            raise DomainError(f"角色“{key}”不存在", field=field)
        if not role.is_active:
            raise DomainError(f"角色“{key}”已停用", field=field)
        roles.append(role)
    return roles


# ---------------------------------------------------------------- logs


def _day_range(qs, date_from: dt.date | None, date_to: dt.date | None):
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def login_log_list(
    *,
    user,
    q: str = "",
    ip: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    success: bool | None = None,
) -> QuerySet[LoginLog]:
    qs = LoginLog.objects.select_related("user")
    if user_data_scope(user) != "all":
        qs = scoped(qs, user, unit_field="user__unit")
    q, ip = clean_text(q), clean_text(ip)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(user__name__icontains=q))
    if ip:
        qs = qs.filter(ip__startswith=ip)
    if success is not None:
        qs = qs.filter(success=success)
    return _day_range(qs, date_from, date_to).order_by("-at", "-id")


def operation_log_list(
    *,
    user,
    q: str = "",
    action: str = "",
    ip: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[OperationLog]:
    qs = OperationLog.objects.all()
    if user_data_scope(user) != "all":
        qs = scoped(qs, user, unit_field="user__unit")
    q, action, ip = clean_text(q), clean_text(action), clean_text(ip)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(summary__icontains=q))
    if action:
        qs = qs.filter(action__icontains=action)
    if ip:
        qs = qs.filter(ip__startswith=ip)
    return _day_range(qs, date_from, date_to).order_by("-at", "-id")


def chain_anchor_list(*, user):
    """The daily anchors of the chains' heads, for the audit administrator to export and keep outside the system
    (only the 全部 scope: the anchors cover every unit's records)."""
    from fazhi.core.audit import anchors_list
    from fazhi.core.permissions import log_actions

    if "export" not in log_actions(user=user) or user_data_scope(user) != "all":
        return []
    return anchors_list()


def operation_actions() -> list[str]:
    return list(OperationLog.objects.order_by("action").values_list("action", flat=True).distinct()[:200])


# ---------------------------------------------------------------- API tokens


def _token_owner_visible(*, user, owner) -> bool:
    """Someone else's tokens are a user manager's business, for a user inside his scope."""
    if owner is None or owner.pk == user.pk:
        return True
    return has_permission(user, "user.manage") and user_list(user=user).filter(pk=owner.pk).exists()


def token_list(*, user, owner=None) -> QuerySet[ApiToken]:
    """The viewer's own tokens, or `owner`'s for a user manager whose scope holds `owner` (none otherwise)."""
    if not _token_owner_visible(user=user, owner=owner):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=owner or user).order_by("-id")


def token_get(*, user, pk, owner=None) -> ApiToken:
    if not _token_owner_visible(user=user, owner=owner):
        raise NotFound()
    try:
        return ApiToken.objects.select_related("user").get(pk=pk, user=owner or user)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# ---------------------------------------------------------------- notifications


def notification_list(*, user, q: str = "", read: bool | None = None) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if read is not None:
        qs = qs.filter(read_at__isnull=not read)
    return qs


# ---------------------------------------------------------------- online sessions


def session_online_list(*, user, now: dt.datetime | None = None):
    """Signed-in sessions that are still alive: not ended, active within the idle timeout and younger than the
    session lifetime. Scoped by the signed-in user's unit."""
    from django.conf import settings
    from django.utils import timezone

    from fazhi.core.models import UserSession
    from fazhi.core.sessions import TOUCH_SECONDS

    now = now or timezone.now()
    qs = UserSession.objects.select_related("user", "user__unit").filter(
        ended_at__isnull=True,
        # The record is touched at most once a TOUCH_SECONDS: allow for that.
        last_activity__gte=now - dt.timedelta(minutes=settings.FAZHI["SESSION_IDLE_MINUTES"], seconds=TOUCH_SECONDS),
        login_at__gte=now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE),
    )
    return scoped(qs, user, unit_field="user__unit").order_by("-last_activity", "-id")


def session_get(*, user, pk, now: dt.datetime | None = None):
    """One online session inside the viewer's scope; NotFound otherwise."""
    return get_scoped_or_404(
        session_online_list(user=user, now=now), user, pk, unit_field="user__unit", owner_field="user"
    )
