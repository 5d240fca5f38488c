"""Public pages of the registry: 执法主体公示 and each agency's power list (no personal data)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fazhi.core.decorators import public
from fazhi.core.errors import NotFound
from fazhi.registry import selectors as registry_selectors


@public
def portal_agency_list_view(request):
    """执法主体公示: name, legal status, jurisdiction, domains and how many power items each holds."""
    q = request.GET.get("q", "")
    agencies = registry_selectors.public_agency_list(q=q)
    page = Paginator(agencies, 30).get_page(request.GET.get("page"))
    return render(request, "portal/agencies.html", {"page": page, "q": q})


@public
def portal_agency_detail_view(request, pk: int):
    try:
        agency = registry_selectors.public_agency_get(pk=pk)
    except NotFound:
        raise Http404("执法主体不存在") from None
    return render(
        request,
        "portal/agency_detail.html",
        {"agency": agency, "items": registry_selectors.public_power_items(agency=agency)},
    )
