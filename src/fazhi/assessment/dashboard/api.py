"""API of 领导驾驶舱 (/api/v1/assessment/dashboard): the same figures as the page, scoped to the caller."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from fazhi.assessment.dashboard import selectors
from fazhi.core.tokens import PermissionAuth

router = Router(tags=["领导驾驶舱"])


class DashboardFigureOut(Schema):
    code: str
    name: str
    value: Decimal | None
    target: Decimal | None
    unit: str
    red: bool
    available: bool


class RedOut(Schema):
    kind: str
    label: str
    count: int


class DashboardOut(Schema):
    year: int
    run_id: int | None
    figures: list[DashboardFigureOut]
    trend: dict
    ranking: dict
    red: list[RedOut]
    red_total: int
    problems: dict | None


@router.get("/dashboard", auth=PermissionAuth("dashboard.view"), response=DashboardOut, summary="领导驾驶舱数据")
def dashboard(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)):
    b = selectors.dashboard(user=request.auth, year=year)
    return {
        "year": b.year,
        "run_id": b.run.pk if b.run else None,
        "figures": [f.__dict__ for f in b.figures],
        "trend": b.trend,
        "ranking": {
            g: [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in m.items()} for m in ms]
            for g, ms in b.ranking.items()
        },
        "red": [{"kind": k, "label": lbl, "count": n} for k, lbl, n in b.red],
        "red_total": b.red_total,
        "problems": b.problems,
    }
