"""Chinese error pages inside the layout: 404, 403 and the CSRF failure (settings.CSRF_FAILURE_VIEW).

The 500 page is templates/500.html, rendered by Django's own handler (through fazhi.core.outage) without the
request: the plain frame, since the database or the session may be what failed.

A signed-in user keeps the sidebar and can navigate on; an anonymous visitor gets the plain frame (the public
portal's for /portal/ addresses).
"""

import re

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

# Only messages our own code raises (Chinese) are shown; Django's English defaults are not, nor the generic
# ones that the page already says.
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_GENERIC = {"无权访问", "记录不存在", "记录不存在或无权访问"}


def _layout(request) -> str:
    user = getattr(request, "user", None)
    anonymous = user is None or not user.is_authenticated
    return "portal/base.html" if anonymous and request.path.startswith("/portal/") else "base.html"


def _detail(exception) -> str:
    first = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(first, str) or first in _GENERIC or not _CHINESE.search(first):
        return ""
    return first


def _page(request, template: str, status: int, **context):
    context.setdefault("layout", _layout(request))
    return render(request, template, context, status=status)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, "errors/404.html", 404, detail=_detail(exception))


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(request, "errors/403.html", 403, detail=_detail(exception))


def csrf_failure(request, reason=""):
    return _page(request, "errors/csrf.html", 403)
