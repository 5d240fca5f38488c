"""督办 API: the inbox, tracked items with their timeline, supervision tasks. Parse, call, serialise."""

import datetime as dt
import json

from ninja import Router, Schema, Status
from pydantic import ValidationError as PydanticError

from fazhi.core.apitypes import Limit, Offset
from fazhi.core.audit import client_ip
from fazhi.core.errors import DomainError
from fazhi.core.tokens import PermissionAuth
from fazhi.tracking import selectors, services
from fazhi.tracking.registry import kind_label

router = Router(tags=["督办"])


# ---------------------------------------------------------------- schemas


class InboxItemOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    unit: str
    status: str
    deadline: dt.date
    deadline_confirmed: bool
    deadline_source: str
    light: str
    url: str


class DeskRowOut(Schema):
    title: str
    url: str
    deadline: dt.date
    deadline_source: str
    unit: str
    light: str


class DeskSectionOut(Schema):
    code: str
    label: str
    total: int
    rows: list[DeskRowOut]


class SupervisedOut(Schema):
    counts: dict[str, int]
    items: list[InboxItemOut]


class InboxOut(Schema):
    counts: dict[str, int]
    total: int
    items: list[InboxItemOut]
    # The 督办 desk: red and yellow items of the supervised units, and the registered sections (待受理投诉, …).
    supervised: SupervisedOut
    sections: list[DeskSectionOut]


class UrgeIn(Schema):
    comment: str = ""


class UrgeOut(Schema):
    item_id: int
    seq: int
    notified: int


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    sm3: str
    url: str


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    actor_unit: str
    action: str
    action_label: str
    comment: str
    data: dict
    attachments: list[AttachmentOut]
    prev_hash: str
    hash: str


class ClockOut(Schema):
    name: str
    label: str
    rule: str  # "60日", "5个工作日", "3个月"
    start: dt.date
    deadline: dt.date
    paused: bool
    open: bool
    extended: int
    basis: str


class ItemOut(InboxItemOut):
    start_date: dt.date
    closed_at: dt.datetime | None
    closed_on_time: bool | None
    paused: bool
    clocks: list[ClockOut]
    timeline: list[EventOut]


class TaskIn(Schema):
    title: str
    basis: str
    deadline: dt.date
    description: str = ""


class TaskOut(Schema):
    id: int
    title: str
    basis: str
    description: str
    owner_unit: str
    deadline: dt.date
    status: str
    created_at: dt.datetime
    unit_count: int
    accepted_count: int


class TaskListOut(Schema):
    total: int
    items: list[TaskOut]


class AssignIn(Schema):
    unit_id: int
    deadline: dt.date
    requirement: str = ""


class AssignmentOut(Schema):
    id: int
    task_id: int
    task_title: str
    unit_id: int
    unit: str
    requirement: str
    deadline: dt.date
    progress: int
    status: str
    light: str
    item_id: int
    url: str


class TaskDetailOut(TaskOut):
    assignments: list[AssignmentOut]


class ReportIn(Schema):
    progress: int
    text: str
    submit: bool = False


class AcceptIn(Schema):
    comment: str = ""


class ReturnIn(Schema):
    reason: str


class BoardUnitOut(Schema):
    id: int
    name: str


class BoardCellOut(Schema):
    unit_id: int
    assignment_id: int
    light: str
    status: str
    progress: int
    deadline: dt.date


class BoardRowOut(Schema):
    task_id: int
    title: str
    deadline: dt.date
    cells: list[BoardCellOut]


class BoardOut(Schema):
    units: list[BoardUnitOut]
    rows: list[BoardRowOut]


# ---------------------------------------------------------------- serialisers


def clock_out(c) -> dict:
    """One clock as ClockOut (also for the domain apps' own API answers)."""
    from fazhi.tracking.clocks import UNITS

    return {
        "name": c.name,
        "label": c.label,
        "rule": f"{c.rule_length}{UNITS[c.rule_unit]}",
        "start": c.start,
        "deadline": c.deadline,
        "paused": c.paused,
        "open": c.is_open,
        "extended": c.extended,
        "basis": c.basis,
    }


def _inbox_item(i) -> dict:
    return {
        "id": i.id,
        "kind": i.kind,
        "kind_label": kind_label(i.kind),
        "title": i.title,
        "unit": str(i.unit),
        "status": i.status,
        "deadline": i.deadline,
        "deadline_confirmed": i.deadline_confirmed,
        "deadline_source": i.deadline_source,
        "light": i.light,
        "url": i.url or f"/items/{i.id}/",
    }


def _event(e) -> dict:
    return {
        "seq": e.seq,
        "at": e.at,
        "actor": e.actor_name,
        "actor_unit": e.actor_unit,
        "action": e.action,
        "action_label": e.action_label,
        "comment": e.comment,
        "data": e.data,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
        "attachments": [
            {"id": f.pk, "name": f.name, "size": f.size, "sm3": f.sm3, "url": f"/attachments/{f.pk}/"}
            for f in e.attachments.all()
        ],
    }


def _task(t, unit_count=None, accepted_count=None) -> dict:
    return {
        "id": t.id,
        "title": t.title,
        "basis": t.basis,
        "description": t.description,
        "owner_unit": str(t.owner_unit),
        "deadline": t.deadline,
        "status": t.status,
        "created_at": t.created_at,
        "unit_count": getattr(t, "unit_count", unit_count or 0),
        "accepted_count": getattr(t, "accepted_count", accepted_count or 0),
    }


def _assignment(a) -> dict:
    return {
        "id": a.id,
        "task_id": a.task_id,
        "task_title": a.task.title,
        "unit_id": a.unit_id,
        "unit": a.unit.name,
        "requirement": a.requirement,
        "deadline": a.deadline,
        "progress": a.progress,
        "status": a.status,
        "light": a.light,
        "item_id": a.item_id,
        "url": f"/tasks/assignments/{a.id}/",
    }


def _fresh_assignment(request, pk: int) -> dict:
    return _assignment(selectors.assignment_get(user=request.auth, pk=pk))


# ---------------------------------------------------------------- inbox and items


@router.get("/inbox", response=InboxOut, summary="我的待办", auth=PermissionAuth("inbox.view"))
def inbox_endpoint(request, light: str = "", kind: str = "", q: str = "", limit: Limit = 100, offset: Offset = 0):
    """The same items, order, counts and filters as the home page (我的待办)."""
    box = selectors.inbox(user=request.auth, light=light, kind=kind, q=q)
    desk = selectors.desk(user=request.auth)
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    return {
        "counts": box.counts,
        "total": box.total,
        "items": [_inbox_item(i) for i in box.items[offset : offset + limit]],
        "supervised": {"counts": desk.supervised_counts, "items": [_inbox_item(i) for i in desk.supervised]},
        "sections": [{"code": s.code, "label": s.label, "total": s.total, "rows": s.rows} for s in desk.sections],
    }


@router.post(
    "/items/{item_id}/urge",
    response={201: UrgeOut},
    summary="催办：提醒责任单位（站内通知，已配置邮件时同时发邮件）并记入时间线",
    auth=PermissionAuth("inbox.view"),
)
def item_urge_endpoint(request, item_id: int, payload: UrgeIn):
    item = selectors.item_for_urge(user=request.auth, pk=item_id)
    event = services.item_urge(item=item, by=request.auth, comment=payload.comment)
    return Status(201, {"item_id": item.pk, "seq": event.seq, "notified": event.data["notified"]})


@router.get("/items/{item_id}", response=ItemOut, summary="督办事项及其时间线", auth=PermissionAuth("inbox.view"))
def item_endpoint(request, item_id: int):
    item = selectors.item_get(user=request.auth, pk=item_id)
    data = _inbox_item(item)
    data.update(
        start_date=item.start_date,
        closed_at=item.closed_at,
        closed_on_time=item.closed_on_time,
        paused=item.paused,
        clocks=[clock_out(c) for c in selectors.item_clocks(item=item)],
        timeline=[_event(e) for e in selectors.item_timeline(item=item)],
    )
    return data


# ---------------------------------------------------------------- 督导任务


@router.get("/tasks", response=TaskListOut, summary="督导任务列表", auth=PermissionAuth("task.view"))
def task_list_endpoint(request, q: str = "", status: str = "", limit: Limit = 50, offset: Offset = 0):
    tasks = selectors.task_list(user=request.auth, q=q, status=status)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return {"total": tasks.count(), "items": [_task(t) for t in tasks[offset : offset + limit]]}


@router.post("/tasks", response={201: TaskOut}, summary="新建督导任务", auth=PermissionAuth("task.manage"))
def task_create_endpoint(request, payload: TaskIn):
    task = services.task_create(by=request.auth, ip=client_ip(request), **payload.dict())
    return Status(201, _task(task))


@router.get("/tasks/board", response=BoardOut, summary="任务看板：每个任务按单位着色", auth=PermissionAuth("task.view"))
def task_board_endpoint(request, status: str = "active"):
    board = selectors.task_board(user=request.auth, status=status)
    return {
        "units": [{"id": u.id, "name": u.name} for u in board.units],
        "rows": [
            {
                "task_id": task.id,
                "title": task.title,
                "deadline": task.deadline,
                "cells": [
                    {
                        "unit_id": a.unit_id,
                        "assignment_id": a.id,
                        "light": a.light,
                        "status": a.status,
                        "progress": a.progress,
                        "deadline": a.deadline,
                    }
                    for a in cells
                    if a is not None
                ],
            }
            for task, cells in board.rows
        ],
    }


@router.get(
    "/tasks/{task_id}", response=TaskDetailOut, summary="督导任务详情及分解情况", auth=PermissionAuth("task.view")
)
def task_detail_endpoint(request, task_id: int):
    user = request.auth
    task = selectors.task_get(user=user, pk=task_id)
    assignments = list(selectors.assignment_list(user=user, task=task))
    data = _task(task, len(assignments), sum(a.status == "accepted" for a in assignments))
    data["assignments"] = [_assignment(a) for a in assignments]
    return data


@router.post(
    "/tasks/{task_id}/assignments",
    response={201: AssignmentOut},
    summary="分解任务到责任单位",
    auth=PermissionAuth("task.manage"),
)
def task_assign_endpoint(request, task_id: int, payload: AssignIn):
    user = request.auth
    task = selectors.task_get(user=user, pk=task_id)
    unit = selectors.assignable_units(user=user).filter(pk=payload.unit_id).first()
    if unit is None:
        raise DomainError(f"责任单位（unit_id={payload.unit_id}）不存在或不可分解", field="unit_id")
    assignment = services.task_assign(
        by=user, task=task, unit=unit, deadline=payload.deadline, requirement=payload.requirement, ip=client_ip(request)
    )
    return Status(201, _fresh_assignment(request, assignment.pk))


@router.get(
    "/assignments/{assignment_id}", response=AssignmentOut, summary="任务分解详情", auth=PermissionAuth("task.view")
)
def assignment_endpoint(request, assignment_id: int):
    return _fresh_assignment(request, assignment_id)


REPORT_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": ReportIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "progress": {"type": "integer"},
                        "text": {"type": "string"},
                        "submit": {"type": "boolean"},
                        "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                    "required": ["progress", "text"],
                }
            },
        },
        "required": True,
    }
}


def _report_input(request) -> tuple[ReportIn, list]:
    """JSON, or multipart form fields plus `attachments` files."""
    if request.content_type == "multipart/form-data":
        raw = {k: request.POST.get(k) for k in ("progress", "text", "submit") if k in request.POST}
        if "submit" in raw:
            raw["submit"] = str(raw["submit"]).strip().lower() in {"1", "true", "on", "yes"}
        files = request.FILES.getlist("attachments")
    else:
        try:
            raw = json.loads(request.body or b"{}")
        except ValueError:
            raise DomainError("请求体不是有效的 JSON", field="body") from None
        files = []
    if not isinstance(raw, dict):
        raise DomainError("请求体应为 JSON 对象", field="body")
    try:
        return ReportIn.model_validate(raw), files
    except PydanticError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ())) or "body"
        label = {"progress": "完成进度", "text": "进展情况", "submit": "提交验收"}.get(field, field)
        raise DomainError(f"参数“{label}”无效或缺失", field=field) from None


@router.post(
    "/assignments/{assignment_id}/reports",
    response=AssignmentOut,
    summary="填报进展（可提交验收）",
    openapi_extra=REPORT_BODY,
    auth=PermissionAuth("task.report"),
)
def assignment_report_endpoint(request, assignment_id: int):
    user = request.auth
    assignment = selectors.assignment_get(user=user, pk=assignment_id)
    data, files = _report_input(request)
    services.assignment_report(
        by=user, assignment=assignment, progress=data.progress, text=data.text, submit=data.submit, files=files
    )
    return _fresh_assignment(request, assignment_id)


@router.post(
    "/assignments/{assignment_id}/accept",
    response=AssignmentOut,
    summary="验收通过",
    auth=PermissionAuth("task.manage"),
)
def assignment_accept_endpoint(request, assignment_id: int, payload: AcceptIn | None = None):
    user = request.auth
    assignment = selectors.assignment_get(user=user, pk=assignment_id)
    services.assignment_accept(
        by=user, assignment=assignment, comment=payload.comment if payload else "", ip=client_ip(request)
    )
    return _fresh_assignment(request, assignment_id)


@router.post(
    "/assignments/{assignment_id}/return",
    response=AssignmentOut,
    summary="退回（须说明理由）",
    auth=PermissionAuth("task.manage"),
)
def assignment_return_endpoint(request, assignment_id: int, payload: ReturnIn):
    user = request.auth
    assignment = selectors.assignment_get(user=user, pk=assignment_id)
    services.assignment_return(by=user, assignment=assignment, reason=payload.reason, ip=client_ip(request))
    return _fresh_assignment(request, assignment_id)
