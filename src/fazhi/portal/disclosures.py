"""Public pages of penalty cases: 执法决定公示, masked at publication, searchable, keyset-paginated."""

from django.shortcuts import render

from fazhi.cases import selectors as case_selectors
from fazhi.core.decorators import public


@public
def portal_disclosure_list_view(request):
    """执法决定公示: disclosed decisions (party masked at publication), searchable, keyset-paginated."""
    from fazhi.cases.forms import DisclosureSearchForm

    form = DisclosureSearchForm(request.GET or None, agencies=case_selectors.disclosure_agencies())
    page = case_selectors.disclosure_search(
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
