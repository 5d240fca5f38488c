"""Pages of the tracking core: 我的待办, item detail, supervision tasks and their board."""

from django.core.paginator import Paginator
from django.shortcuts import render

from fazhi.core.decorators import permission_required
from fazhi.tracking.registry import KINDS
from fazhi.tracking.rules import LIGHTS
from fazhi.tracking.selectors import inbox


@permission_required("inbox.view")
def inbox_view(request):
    box = inbox(user=request.user, light=request.GET.get("light", ""), kind=request.GET.get("kind", ""),
                q=request.GET.get("q", ""))
    page = Paginator(box.items, 30).get_page(request.GET.get("page"))
    return render(request, "tracking/inbox.html", {
        "page": page, "counts": box.counts, "total": box.total, "kinds": KINDS.values(), "lights": LIGHTS,
        "filters": request.GET,
    })
