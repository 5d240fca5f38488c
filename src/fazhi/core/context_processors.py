from django.urls import NoReverseMatch, reverse

from fazhi.core.models import Notification
from fazhi.core.permissions import MENU
from fazhi.core.scope import user_permissions


def _section(path: str, url: str) -> bool:
    """The menu entry at `url` owns `path` (its own page and the pages under it; "/" only itself)."""
    if url == "/":
        return path == "/"
    return path == url or path.startswith(url.rstrip("/") + "/")


def navigation(request):
    """The sidebar (menu groups the user may see, the current entry marked) and the breadcrumb trail."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    perms = user_permissions(user)
    path = getattr(request, "path", "")
    groups: dict[str, list[dict]] = {}
    current = None
    for entry in MENU:
        if entry.permission and entry.permission not in perms:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        link = {"label": entry.label, "url": url, "active": False, "group": entry.group}
        groups.setdefault(entry.group, []).append(link)
        # The longest matching address wins: /inspections/plans/7/ belongs to 抽查计划, not to a shorter entry.
        if _section(path, url) and (current is None or len(url) > len(current["url"])):
            current = link
    if current is not None:
        current["active"] = True
    nav = [
        {"name": name, "entries": entries, "active": any(e["active"] for e in entries), "key": f"nav-group-{i}"}
        for i, (name, entries) in enumerate(groups.items())
    ]
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {
        "nav_groups": nav,
        "nav_current": current,
        "nav_current_exact": current is not None and current["url"] == path,
        "user_perms": perms,
        "unread_notifications": unread,
    }
