"""Reads of organisation data, each applying the viewer's data scope."""

from django.db.models import Q, QuerySet

from fazhi.core.models import Notification, Unit
from fazhi.core.normalize import clean_text
from fazhi.core.scope import scoped


def unit_list(*, user, q: str = "", kind: str = "", include_inactive: bool = False) -> QuerySet[Unit]:
    qs = scoped(Unit.objects.select_related("division", "parent"), user, unit_field="")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(division__name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path", "sort_order", "id")


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)
