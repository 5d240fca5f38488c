"""Public pages (no login): enforcement disclosure, agency list. Read only, through domain selectors."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fazhi.core.decorators import public
from fazhi.core.errors import NotFound
from fazhi.enforcement import selectors as enforcement_selectors


@public
def portal_home_view(request):
    return render(request, "portal/home.html", {})


# ---------------------------------------------------------------- agencies (registry)


@public
def portal_agency_list_view(request):
    """执法主体公示: name, legal status, jurisdiction, domains and how many power items each holds."""
    q = request.GET.get("q", "")
    agencies = enforcement_selectors.public_agency_list(q=q)
    page = Paginator(agencies, 30).get_page(request.GET.get("page"))
    return render(request, "portal/agencies.html", {"page": page, "q": q})


@public
def portal_agency_detail_view(request, pk: int):
    try:
        agency = enforcement_selectors.public_agency_get(pk=pk)
    except NotFound:
        raise Http404("执法主体不存在") from None
    return render(
        request,
        "portal/agency_detail.html",
        {"agency": agency, "items": enforcement_selectors.public_power_items(agency=agency)},
    )


# ---------------------------------------------------------------- disclosure (cases)


@public
def portal_disclosure_list_view(request):
    """执法决定公示: disclosed decisions (party masked at publication), searchable, keyset-paginated."""
    from fazhi.enforcement.forms import DisclosureSearchForm

    form = DisclosureSearchForm(request.GET or None, agencies=enforcement_selectors.disclosure_agencies())
    page = enforcement_selectors.disclosure_search(
        agency=form.value("agency"),
        date_from=form.value("date_from"),
        date_to=form.value("date_to"),
        party_kind=form.value("party_kind") or "",
        q=form.value("q") or "",
        cursor=request.GET.get("cursor", ""),
    )
    return render(
        request, "portal/disclosures.html", {"form": form, "page": page, "first_page": not request.GET.get("cursor")}
    )
