"""View guards. Every page view declares one (tests/test_routes.py walks the URL patterns to check):

- `permission_required(code, ...)`: signed in and holding one of the codes, else 403;
- `login_only`: any signed-in user, only for the user's own things (password, notifications, tokens);
- `public`: no login (the portal, the login page);
- `permission_by_key`: signed in; the page's `key` argument names what it serves and the view checks that
  thing's own permission (the Excel import pages: each importer names its permission).

Inside a guarded view a missing object is 404 and a refused action 403 (NotFound / Forbidden).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from fazhi.core.errors import Forbidden, NotFound
from fazhi.core.scope import has_permission

LOGIN = "login"
PUBLIC = "public"
BY_KEY = "by-key"


def _domain_errors_as_http(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None

    return wrapped


def permission_required(*codes: str):
    if not codes:
        raise ValueError("permission_required needs a permission code; use login_only or public")

    def decorator(view):
        inner = _domain_errors_as_http(view)

        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not any(has_permission(request.user, code) for code in codes):
                raise PermissionDenied("无权访问")
            return inner(request, *args, **kwargs)

        wrapped.fazhi_permission = codes
        return wrapped

    return decorator


def login_only(view):
    wrapped = login_required(_domain_errors_as_http(view))
    wrapped.fazhi_permission = LOGIN
    return wrapped


def public(view):
    wrapped = _domain_errors_as_http(view)
    wrapped.fazhi_permission = PUBLIC
    return wrapped


def permission_by_key(view):
    wrapped = login_required(_domain_errors_as_http(view))
    wrapped.fazhi_permission = BY_KEY
    return wrapped
