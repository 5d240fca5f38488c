"""View guards: login plus a function permission. A missing permission is 403; a missing object is 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from fazhi.core.errors import Forbidden, NotFound
from fazhi.core.scope import has_permission


def permission_required(code: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_permission(request.user, code):
                raise PermissionDenied("无权访问")
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from None
            except Forbidden as exc:
                raise PermissionDenied(exc.message) from None

        return wrapped

    return decorator
