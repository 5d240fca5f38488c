"""Permissions and data scope of a user. Every selector that lists or fetches scoped data uses these."""

from django.db.models import Q, QuerySet

from fazhi.core.errors import NotFound

SCOPE_ORDER = {"self": 0, "unit": 1, "subtree": 2, "all": 3}


def _active_roles(user):
    cached = getattr(user, "_fazhi_roles", None)
    if cached is None:
        cached = list(user.roles.filter(is_active=True)) if user.is_authenticated else []
        user._fazhi_roles = cached
    return cached


def user_permissions(user) -> set[str]:
    perms: set[str] = set()
    for role in _active_roles(user):
        perms.update(role.permissions or [])
    return perms


def has_permission(user, code: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and code in user_permissions(user))


def user_data_scope(user) -> str:
    """The widest data scope among the user's roles; a user with no role sees only their own things."""
    roles = _active_roles(user)
    if not roles:
        return "self"
    return max((r.data_scope for r in roles), key=SCOPE_ORDER.__getitem__)


def scope_q(user, *, unit_field: str = "unit", owner_field: str | None = None) -> Q:
    """A filter that keeps rows whose unit (or owner) the user may see.

    `unit_field` names the path to a Unit from the queried model ("" when the model is Unit itself).
    """
    scope = user_data_scope(user)
    prefix = f"{unit_field}__" if unit_field else ""
    if scope == "all":
        return Q()
    if user.unit_id is None:
        return Q(pk__in=[])
    if scope == "subtree":
        return Q(**{f"{prefix}path__startswith": user.unit.path})
    if scope == "self" and owner_field:
        return Q(**{owner_field: user})
    return Q(**{f"{unit_field}_id": user.unit_id}) if unit_field else Q(pk=user.unit_id)


def scoped(qs: QuerySet, user, *, unit_field: str = "unit", owner_field: str | None = None) -> QuerySet:
    return qs.filter(scope_q(user, unit_field=unit_field, owner_field=owner_field))


def get_scoped_or_404(qs: QuerySet, user, pk, **scope_kwargs):
    """Fetch one object inside the viewer's scope; outside the scope it does not exist (404)."""
    try:
        return scoped(qs, user, **scope_kwargs).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
