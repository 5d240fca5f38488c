from django.urls import NoReverseMatch, reverse

from fazhi.core.models import Notification
from fazhi.core.permissions import MENU
from fazhi.core.scope import user_permissions


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    perms = user_permissions(user)
    groups: dict[str, list[dict]] = {}
    for entry in MENU:
        if entry.permission not in perms:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        groups.setdefault(entry.group, []).append({"label": entry.label, "url": url, "active": request.path == url})
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"nav_groups": groups, "user_perms": perms, "unread_notifications": unread}
