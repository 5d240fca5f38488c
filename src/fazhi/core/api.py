"""Organisation API: divisions, units, users, roles and the caller's own tokens.

Same permissions and data scope as the pages: a missing permission answers 403, an object outside the
caller's scope 404, a bad value 422 naming the field (DomainError, see fazhi/api.py).
"""

import datetime as dt

from ninja import Router, Schema, Status

from fazhi.core import selectors, services
from fazhi.core.apitypes import Limit, Offset
from fazhi.core.audit import client_ip
from fazhi.core.scope import user_data_scope, user_permissions
from fazhi.core.selectors import notification_list, unit_list
from fazhi.core.tokens import LoginAuth, PermissionAuth

router = Router(tags=["组织"])

MAX_LIMIT = 1000


def _window(qs, limit: int, offset: int):
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    return qs[offset : offset + limit]


# ---------------------------------------------------------------- schemas


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    division: str


class UnitDetailOut(UnitOut):
    parent_id: int | None
    supervising_unit_id: int | None
    credit_code: str
    sort_order: int
    is_active: bool


class UnitIn(Schema):
    name: str
    kind: str
    division: str
    short_name: str = ""
    parent_id: int | None = None
    supervising_unit_id: int | None = None
    credit_code: str = ""
    sort_order: int = 0


class UnitPatch(Schema):
    name: str | None = None
    kind: str | None = None
    division: str | None = None
    short_name: str | None = None
    parent_id: int | None = None
    supervising_unit_id: int | None = None
    credit_code: str | None = None
    sort_order: int | None = None
    is_active: bool | None = None


class DivisionOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_code: str | None
    is_active: bool


class DivisionIn(Schema):
    code: str
    name: str
    parent_code: str | None = None


class DivisionPatch(Schema):
    code: str | None = None
    name: str | None = None
    parent_code: str | None = None
    is_active: bool | None = None


class UserOut(Schema):
    id: int
    username: str
    name: str
    unit_id: int | None
    unit: str
    roles: list[str]
    phone: str
    email: str
    is_active: bool
    must_change_password: bool
    locked: bool
    last_login: dt.datetime | None


class UserIn(Schema):
    username: str
    name: str
    unit_id: int
    roles: list[str] = []
    phone: str = ""
    email: str = ""
    password: str


class UserPatch(Schema):
    username: str | None = None
    name: str | None = None
    unit_id: int | None = None
    roles: list[str] | None = None
    phone: str | None = None
    email: str | None = None
    password: str | None = None
    is_active: bool | None = None


class RoleOut(Schema):
    id: int
    code: str
    name: str
    data_scope: str
    permissions: list[str]
    description: str
    is_active: bool


class RoleIn(Schema):
    code: str
    name: str
    data_scope: str = "unit"
    permissions: list[str] = []
    description: str = ""


class RolePatch(Schema):
    code: str | None = None
    name: str | None = None
    data_scope: str | None = None
    permissions: list[str] | None = None
    description: str | None = None
    is_active: bool | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


class TokenCreated(TokenOut):
    secret: str


class TokenIn(Schema):
    name: str = ""


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


# ---------------------------------------------------------------- serialisers


def _unit(u) -> dict:
    return {
        "id": u.id,
        "name": u.name,
        "short_name": u.short_name,
        "kind": u.kind,
        "division": u.division.code,
    }


def _unit_detail(u) -> dict:
    return _unit(u) | {
        "parent_id": u.parent_id,
        "supervising_unit_id": u.supervising_unit_id,
        "credit_code": u.credit_code,
        "sort_order": u.sort_order,
        "is_active": u.is_active,
    }


def _division(d) -> dict:
    return {
        "id": d.id,
        "code": d.code,
        "name": d.name,
        "level": d.level,
        "parent_code": d.parent.code if d.parent_id else None,
        "is_active": d.is_active,
    }


def _user(u) -> dict:
    now = dt.datetime.now(dt.UTC)
    return {
        "id": u.id,
        "username": u.username,
        "name": u.name,
        "unit_id": u.unit_id,
        "unit": u.unit.name if u.unit_id else "",
        "roles": [r.code for r in u.roles.all()],
        "phone": u.phone,
        "email": u.email,
        "is_active": u.is_active,
        "must_change_password": u.must_change_password,
        "locked": bool(u.locked_until and u.locked_until > now),
        "last_login": u.last_login,
    }


def _role(r) -> dict:
    return {
        "id": r.id,
        "code": r.code,
        "name": r.name,
        "data_scope": r.data_scope,
        "permissions": list(r.permissions),
        "description": r.description,
        "is_active": r.is_active,
    }


def _token(t) -> dict:
    return {
        "id": t.id,
        "name": t.name,
        "prefix": t.prefix,
        "created_at": t.created_at,
        "last_used_at": t.last_used_at,
        "revoked": t.revoked_at is not None,
    }


# ---------------------------------------------------------------- units


@router.get(
    "/units", response=list[UnitOut], summary="当前用户可见的单位", auth=PermissionAuth("org.view", "org.manage")
)
def units(request, q: str = "", kind: str = "", limit: Limit = 200):
    qs = unit_list(user=request.auth, q=q, kind=kind)[: max(1, min(limit, 1000))]
    return [_unit(u) for u in qs]


@router.post("/units", response={201: UnitDetailOut}, summary="新增单位", auth=PermissionAuth("org.manage"))
def unit_create(request, payload: UnitIn):
    user = request.auth
    unit = services.unit_save(
        by=user,
        name=payload.name,
        kind=payload.kind,
        short_name=payload.short_name,
        division=selectors.division_by_code(code=payload.division, field="division"),
        parent=selectors.unit_ref(user=user, pk=payload.parent_id, field="parent") if payload.parent_id else None,
        supervising_unit=(
            selectors.unit_ref(user=user, pk=payload.supervising_unit_id, field="supervising_unit")
            if payload.supervising_unit_id
            else None
        ),
        credit_code=payload.credit_code,
        sort_order=payload.sort_order,
        ip=client_ip(request),
    )
    return Status(201, _unit_detail(unit))


@router.get(
    "/units/{unit_id}",
    response=UnitDetailOut,
    summary="单位详情",
    auth=PermissionAuth("org.view", "org.manage"),
)
def unit_detail(request, unit_id: int):
    return _unit_detail(selectors.unit_get(user=request.auth, pk=unit_id))


@router.patch(
    "/units/{unit_id}",
    response=UnitDetailOut,
    summary="修改单位（只改给出的字段）",
    auth=PermissionAuth("org.manage"),
)
def unit_update(request, unit_id: int, payload: UnitPatch):
    user = request.auth
    unit = selectors.unit_get(user=user, pk=unit_id)
    given = payload.dict(exclude_unset=True)
    parent = unit.parent
    if "parent_id" in given:
        parent = selectors.unit_ref(user=user, pk=given["parent_id"], field="parent") if given["parent_id"] else None
    supervising = unit.supervising_unit
    if "supervising_unit_id" in given:
        supervising = (
            selectors.unit_ref(user=user, pk=given["supervising_unit_id"], field="supervising_unit")
            if given["supervising_unit_id"]
            else None
        )
    division = (
        selectors.division_by_code(code=given["division"], field="division") if given.get("division") else unit.division
    )
    unit = services.unit_save(
        by=user,
        instance=unit,
        name=given.get("name", unit.name),
        kind=given.get("kind", unit.kind),
        short_name=given.get("short_name", unit.short_name),
        division=division,
        parent=parent,
        supervising_unit=supervising,
        credit_code=given.get("credit_code", unit.credit_code),
        sort_order=given.get("sort_order", unit.sort_order),
        is_active=given.get("is_active", unit.is_active),
        ip=client_ip(request),
    )
    return _unit_detail(unit)


# ---------------------------------------------------------------- divisions


@router.get("/divisions", response=list[DivisionOut], summary="行政区划", auth=PermissionAuth("org.manage"))
def divisions(request, q: str = "", active: bool | None = None, limit: Limit = 200, offset: Offset = 0):
    qs = selectors.division_list(user=request.auth, q=q, active=active)
    return [_division(d) for d in _window(qs, limit, offset)]


@router.post("/divisions", response={201: DivisionOut}, summary="新增行政区划", auth=PermissionAuth("org.manage"))
def division_create(request, payload: DivisionIn):
    parent = selectors.division_by_code(code=payload.parent_code, field="parent") if payload.parent_code else None
    division = services.division_save(
        by=request.auth, code=payload.code, name=payload.name, parent=parent, ip=client_ip(request)
    )
    return Status(201, _division(division))


@router.patch(
    "/divisions/{division_id}",
    response=DivisionOut,
    summary="修改行政区划（只改给出的字段）",
    auth=PermissionAuth("org.manage"),
)
def division_update(request, division_id: int, payload: DivisionPatch):
    division = selectors.division_get(user=request.auth, pk=division_id)
    given = payload.dict(exclude_unset=True)
    parent = division.parent
    if "parent_code" in given:
        parent = selectors.division_by_code(code=given["parent_code"], field="parent") if given["parent_code"] else None
    division = services.division_save(
        by=request.auth,
        instance=division,
        code=given.get("code", division.code),
        name=given.get("name", division.name),
        parent=parent,
        level=division.level if "code" not in given else "",
        is_active=given.get("is_active", division.is_active),
        ip=client_ip(request),
    )
    return _division(division)


# ---------------------------------------------------------------- users


@router.get("/users", response=list[UserOut], summary="用户（按数据范围）", auth=PermissionAuth("user.manage"))
def users(
    request,
    q: str = "",
    unit_id: int | None = None,
    role: str = "",
    active: bool | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
):
    qs = selectors.user_list(user=request.auth, q=q, unit=unit_id, role=role or None, active=active)
    return [_user(u) for u in _window(qs, limit, offset)]


@router.post(
    "/users",
    response={201: UserOut},
    summary="新增用户（首次登录须修改密码）",
    auth=PermissionAuth("user.manage"),
)
def user_create(request, payload: UserIn):
    user = services.user_save(
        by=request.auth,
        username=payload.username,
        name=payload.name,
        unit=selectors.unit_ref(user=request.auth, pk=payload.unit_id, field="unit_id"),
        roles=selectors.roles_by_names(names=payload.roles),
        phone=payload.phone,
        email=payload.email,
        password=payload.password,
        ip=client_ip(request),
    )
    return Status(201, _user(user))


@router.get("/users/{user_id}", response=UserOut, summary="用户详情", auth=PermissionAuth("user.manage"))
def user_detail(request, user_id: int):
    return _user(selectors.user_get(user=request.auth, pk=user_id))


@router.patch(
    "/users/{user_id}",
    response=UserOut,
    summary="修改用户（只改给出的字段；给出密码即重置）",
    auth=PermissionAuth("user.manage"),
)
def user_update(request, user_id: int, payload: UserPatch):
    target = selectors.user_get(user=request.auth, pk=user_id)
    given = payload.dict(exclude_unset=True)
    unit = (
        selectors.unit_ref(user=request.auth, pk=given["unit_id"], field="unit_id")
        if given.get("unit_id")
        else target.unit
    )
    roles = (
        selectors.roles_by_names(names=given["roles"]) if given.get("roles") is not None else list(target.roles.all())
    )
    target = services.user_save(
        by=request.auth,
        instance=target,
        username=given.get("username") or target.username,
        name=given.get("name") or target.name,
        unit=unit,
        roles=roles,
        phone=given.get("phone", target.phone) or "",
        email=given.get("email", target.email) or "",
        password=given.get("password") or None,
        is_active=given.get("is_active", target.is_active),
        ip=client_ip(request),
    )
    return _user(target)


class UserRolesIn(Schema):
    roles: list[str]


@router.put(
    "/users/{user_id}/roles",
    response=UserOut,
    summary="授予角色（安全管理员；不能修改自己的角色，三员分立）",
    auth=PermissionAuth("role.manage"),
)
def user_roles_set(request, user_id: int, payload: UserRolesIn):
    target = selectors.user_get(user=request.auth, pk=user_id)
    services.user_set_roles(
        by=request.auth, user=target, roles=selectors.roles_by_names(names=payload.roles), ip=client_ip(request)
    )
    return _user(selectors.user_get(user=request.auth, pk=user_id))


# ---------------------------------------------------------------- roles


@router.get("/roles", response=list[RoleOut], summary="角色", auth=PermissionAuth("role.manage"))
def roles(request, q: str = "", active: bool | None = None):
    return [_role(r) for r in selectors.role_list(user=request.auth, q=q, active=active)]


@router.post("/roles", response={201: RoleOut}, summary="新增角色", auth=PermissionAuth("role.manage"))
def role_create(request, payload: RoleIn):
    role = services.role_save(by=request.auth, ip=client_ip(request), **payload.dict())
    return Status(201, _role(role))


@router.patch(
    "/roles/{role_id}", response=RoleOut, summary="修改角色（只改给出的字段）", auth=PermissionAuth("role.manage")
)
def role_update(request, role_id: int, payload: RolePatch):
    role = selectors.role_get(user=request.auth, pk=role_id)
    given = payload.dict(exclude_unset=True)
    fields = {
        f: given[f] if given.get(f) is not None else getattr(role, f)
        for f in ("code", "name", "data_scope", "permissions", "description", "is_active")
    }
    role = services.role_save(by=request.auth, instance=role, ip=client_ip(request), **fields)
    return _role(role)


# ---------------------------------------------------------------- tokens


@router.get("/tokens", response=list[TokenOut], summary="我的 API 令牌", auth=LoginAuth())
def tokens(request):
    return [_token(t) for t in selectors.token_list(user=request.auth)]


@router.post("/tokens", response={201: TokenCreated}, summary="创建 API 令牌（密钥只返回这一次）", auth=LoginAuth())
def token_create(request, payload: TokenIn):
    token, secret = services.token_create(user=request.auth, name=payload.name, ip=client_ip(request))
    return Status(201, _token(token) | {"secret": secret})


@router.delete("/tokens/{token_id}", response={204: None}, summary="吊销 API 令牌", auth=LoginAuth())
def token_revoke(request, token_id: int):
    token = selectors.token_get(user=request.auth, pk=token_id)
    services.token_revoke(token=token, by=request.auth, ip=client_ip(request))
    return Status(204, None)


# ---------------------------------------------------------------- me, notifications


@router.get("/me", response=MeOut, summary="当前用户", auth=LoginAuth())
def me(request):
    user = request.auth
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "unit_id": user.unit_id,
        "permissions": sorted(user_permissions(user)),
        "data_scope": user_data_scope(user),
    }


@router.get("/notifications", response=list[NotificationOut], summary="我的通知", auth=LoginAuth())
def notifications(request, unread: bool = False):
    qs = notification_list(user=request.auth)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [
        {
            "id": n.id,
            "title": n.title,
            "body": n.body,
            "url": n.url,
            "level": n.level,
            "created_at": n.created_at.isoformat(),
            "read": n.read_at is not None,
        }
        for n in qs[:200]
    ]


# ---------------------------------------------------------------- 我的任务 (background jobs)


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    status_label: str
    done: int
    total: int
    percent: int
    message: str
    error: str
    result: dict
    has_file: bool
    created_at: str
    started_at: str | None
    finished_at: str | None


def _job(job) -> dict:
    return {
        "id": job.id,
        "kind": job.kind,
        "label": job.label,
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "result": job.result,
        "has_file": bool(job.result_file),
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


@router.get("/jobs", response=list[JobOut], summary="我的任务（本人提交的后台任务）", auth=LoginAuth())
def jobs(request, limit: Limit = 50, offset: Offset = 0):
    from fazhi.core.jobs import job_list, jobs_mark_lost

    page = list(_window(job_list(user=request.auth), limit, offset))
    jobs_mark_lost(page)
    return [_job(j) for j in page]


@router.get("/jobs/{job_id}", response=JobOut, summary="任务详情与进度", auth=LoginAuth())
def job_detail(request, job_id: int):
    from fazhi.core.jobs import job_get

    return _job(job_get(user=request.auth, pk=job_id))
