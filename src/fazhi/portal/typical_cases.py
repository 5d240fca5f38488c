"""Public pages of 典型案例通报: only published cases, and of them only the masked copy taken at publication."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fazhi.core.decorators import public
from fazhi.core.errors import NotFound
from fazhi.supervision.accountability import selectors
from fazhi.supervision.accountability.forms import PortalSearchForm


@public
def typical_case_list_view(request):
    form = PortalSearchForm(
        request.GET or None, agencies=selectors.public_typical_agencies(), years=selectors.public_typical_years()
    )
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    cases = selectors.public_typical_list(q=data.get("q") or "", agency=data.get("agency") or "", year=data.get("year"))
    page = Paginator(cases, 10).get_page(request.GET.get("page"))
    return render(request, "portal/typical_cases/list.html", {"form": form, "page": page})


@public
def typical_case_detail_view(request, pk: int):
    try:
        case = selectors.public_typical_get(pk=pk)
    except NotFound:
        raise Http404("记录不存在") from None
    return render(request, "portal/typical_cases/detail.html", {"t": case})
