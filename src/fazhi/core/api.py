from ninja import Router, Schema

from fazhi.core.selectors import notification_list, unit_list
from fazhi.core.scope import user_data_scope, user_permissions

router = Router(tags=["组织"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    division: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    unit_id: int | None
    permissions: list[str]
    data_scope: str


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    level: str
    created_at: str
    read: bool


@router.get("/units", response=list[UnitOut], summary="当前用户可见的单位")
def units(request, q: str = "", kind: str = "", limit: int = 200):
    qs = unit_list(user=request.auth, q=q, kind=kind)[: max(1, min(limit, 1000))]
    return [
        {"id": u.id, "name": u.name, "short_name": u.short_name, "kind": u.kind, "division": u.division.code}
        for u in qs
    ]


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    user = request.auth
    return {
        "id": user.id, "username": user.username, "name": user.name, "unit_id": user.unit_id,
        "permissions": sorted(user_permissions(user)), "data_scope": user_data_scope(user),
    }


@router.get("/notifications", response=list[NotificationOut], summary="我的通知")
def notifications(request, unread: bool = False):
    qs = notification_list(user=request.auth)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [
        {"id": n.id, "title": n.title, "body": n.body, "url": n.url, "level": n.level,
         "created_at": n.created_at.isoformat(), "read": n.read_at is not None}
        for n in qs[:200]
    ]
