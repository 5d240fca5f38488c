"""Pages of 领导驾驶舱 (read-only)."""

from django.shortcuts import render

from fazhi.assessment.dashboard import selectors
from fazhi.core.decorators import permission_required
from fazhi.core.paging import CappedPaginator
from fazhi.tracking.registry import KINDS


def _year(request) -> int | None:
    try:
        y = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return y if 2000 <= y <= 2100 else None


@permission_required("dashboard.view")
def home_view(request):
    board = selectors.dashboard(user=request.user, year=_year(request))
    return render(
        request,
        "assessment/dashboard/home.html",
        {"board": board, "chart": selectors.chart_data(board), "years": range(board.year, board.year - 5, -1)},
    )


@permission_required("dashboard.view")
def red_list_view(request):
    from fazhi.tracking.selectors import overdue_items

    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    page = CappedPaginator(overdue_items(user=request.user, kind=kind), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/dashboard/red_list.html",
        {"page": page, "kind": kind, "kinds": KINDS},
    )
