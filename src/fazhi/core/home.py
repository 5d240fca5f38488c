"""Where a user lands after login when no page was asked for: an app may give a role its own home page (the leaders'
dashboard for 领导), registered from its ready(); everyone else lands on the 督办 inbox at "/"."""

from django.urls import reverse

HOMES: dict[str, str] = {}  # role code -> URL name


def register_home(role: str, url_name: str) -> None:
    HOMES[role] = url_name


def home_for(user) -> str:
    """The first registered home among the user's roles (by role code, so the answer does not depend on join order)."""
    for code in sorted(user.roles.values_list("code", flat=True)):
        if code in HOMES:
            return reverse(HOMES[code])
    return "/"
