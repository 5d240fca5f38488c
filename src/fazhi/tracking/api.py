import datetime as dt

from ninja import Router, Schema

from fazhi.tracking.registry import kind_label
from fazhi.tracking.selectors import inbox

router = Router(tags=["督办"])


class InboxItemOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    unit: str
    status: str
    deadline: dt.date
    deadline_source: str
    light: str
    url: str


class InboxOut(Schema):
    counts: dict[str, int]
    total: int
    items: list[InboxItemOut]


@router.get("/inbox", response=InboxOut, summary="我的待办")
def inbox_endpoint(request, light: str = "", kind: str = "", q: str = "", limit: int = 100, offset: int = 0):
    box = inbox(user=request.auth, light=light, kind=kind, q=q)
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    items = [
        {"id": i.id, "kind": i.kind, "kind_label": kind_label(i.kind), "title": i.title, "unit": str(i.unit),
         "status": i.status, "deadline": i.deadline, "deadline_source": i.deadline_source, "light": i.light,
         "url": i.url}
        for i in box.items[offset: offset + limit]
    ]
    return {"counts": box.counts, "total": box.total, "items": items}
