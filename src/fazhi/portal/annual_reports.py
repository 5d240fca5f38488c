"""Public pages of 法治政府建设年度报告: only reports approved and published (after the confidentiality check)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fazhi.assessment.reports import selectors
from fazhi.core.decorators import public
from fazhi.core.errors import NotFound


@public
def annual_report_list_view(request):
    q = (request.GET.get("q") or "").strip()[:100]
    year = request.GET.get("year") or ""
    reports = selectors.public_annual_list(q=q, year=int(year) if year.isdigit() and len(year) == 4 else None)
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    return render(request, "portal/annual_reports/list.html", {"page": page, "q": q, "year": year})


@public
def annual_report_detail_view(request, pk: int):
    try:
        report = selectors.public_annual_get(pk=pk)
    except NotFound:
        raise Http404("记录不存在") from None
    return render(
        request,
        "portal/annual_reports/detail.html",
        {
            "r": report,
            "sections": report.sections.order_by("order"),
            "totals": report.figures.filter(unit__isnull=True, month__isnull=True),
        },
    )
