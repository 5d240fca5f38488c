"""Pages of the tracking core: 我的待办, item detail, supervision tasks and their board. Thin: parse, call, render."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST

from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.scope import has_permission
from fazhi.tracking import selectors, services
from fazhi.tracking.forms import ABOVE_THE_FORM, AcceptForm, AssignForm, ReportForm, ReturnForm, TaskForm
from fazhi.tracking.models import SupervisionTask, TaskAssignment
from fazhi.tracking.registry import KINDS
from fazhi.tracking.rules import LIGHTS
from fazhi.tracking.timeline import verify_chains

TASK_STATUS = dict(SupervisionTask.STATUSES)
ASSIGNMENT_STATUS = dict(TaskAssignment.STATUSES)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@permission_required("inbox.view")
def inbox_view(request):
    box = selectors.inbox(
        user=request.user,
        light=request.GET.get("light", ""),
        kind=request.GET.get("kind", ""),
        q=request.GET.get("q", ""),
    )
    page = Paginator(box.items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "tracking/inbox.html",
        {
            "page": page,
            "counts": box.counts,
            "total": box.total,
            "kinds": KINDS.values(),
            "lights": LIGHTS,
            "filters": request.GET,
            "desk": selectors.desk(user=request.user),
        },
    )


@require_POST
@permission_required("inbox.view")
def item_urge_view(request, pk: int):
    """催办 from the 督办 desk; the service checks that the user supervises the item's unit."""
    item = selectors.item_for_urge(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.item_urge(item=item, by=request.user, comment=request.POST.get("comment", "")),
        done=f"已催办：{item.title}",
        then="tracking:inbox",
    )


@permission_required("inbox.view")
def item_detail_view(request, pk: int):
    item = selectors.item_get(user=request.user, pk=pk)
    return render(
        request,
        "tracking/item_detail.html",
        {
            "item": item,
            "events": selectors.item_timeline(item=item),
            "clocks": selectors.item_clocks(item=item),
            "light_label": LIGHTS.get(item.light, ""),
            "kind_label": KINDS[item.kind].label if item.kind in KINDS else item.kind,
        },
    )


@permission_required("inbox.view")
def attachment_download_view(request, pk: int):
    return attachment_response(selectors.attachment_get(user=request.user, pk=pk))


# ---------------------------------------------------------------- 督导任务


@permission_required("task.view")
def task_list_view(request):
    q, status = request.GET.get("q", ""), request.GET.get("status", "")
    tasks = selectors.task_list(user=request.user, q=q, status=status)
    if request.GET.get("format") == "xlsx":
        rows = (
            (
                t.title,
                t.basis,
                t.owner_unit,
                t.deadline,
                TASK_STATUS.get(t.status, t.status),
                t.unit_count,
                t.accepted_count,
                t.created_at,
            )
            for t in tasks.iterator()
        )
        return xlsx_response(
            export_filename("督导任务"),
            ["任务名称", "任务依据", "督导单位", "总体期限", "状态", "分解单位数", "已验收单位数", "创建时间"],
            rows,
            sheet="督导任务",
        )
    page = Paginator(tasks, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "tracking/task_list.html",
        {
            "page": page,
            "filters": request.GET,
            "statuses": SupervisionTask.STATUSES,
        },
    )


@permission_required("task.manage")
def task_create_view(request):
    form = TaskForm(request.POST or None)
    return act_on_form(
        request,
        form,
        lambda d: services.task_create(by=request.user, ip=client_ip(request), **d),
        done=lambda task: f"已创建督导任务“{task.title}”，请分解到责任单位",
        then=lambda task: ("tracking:task_detail", task.pk),
        above=ABOVE_THE_FORM,
    ) or render(request, "tracking/task_form.html", {"form": form})


def _task_detail_context(request, task, assign_form=None) -> dict:
    can_manage = has_permission(request.user, "task.manage")
    units = selectors.assignable_units(user=request.user)
    return {
        "task": task,
        "assignments": selectors.assignment_list(user=request.user, task=task),
        "assign_form": assign_form or AssignForm(units=units),
        "can_manage": can_manage,
        "lights": LIGHTS,
        "assignment_status": ASSIGNMENT_STATUS,
        "task_status": TASK_STATUS,
    }


@permission_required("task.view")
def task_detail_view(request, pk: int):
    task = selectors.task_get(user=request.user, pk=pk)
    return render(request, "tracking/task_detail.html", _task_detail_context(request, task))


@require_POST
@permission_required("task.manage")
def task_assign_view(request, pk: int):
    task = selectors.task_get(user=request.user, pk=pk)
    form = AssignForm(request.POST, units=selectors.assignable_units(user=request.user))
    return act_on_form(
        request,
        form,
        lambda d: services.task_assign(by=request.user, task=task, ip=client_ip(request), **d),
        done=lambda a: f"已分解给“{a.unit.name}”，期限 {a.deadline:%Y-%m-%d}",
        then=("tracking:task_detail", task.pk),
        above=ABOVE_THE_FORM,
    ) or render(request, "tracking/task_detail.html", _task_detail_context(request, task, form), status=422)


@permission_required("task.view")
def task_board_view(request):
    status = request.GET.get("status", "active")
    board = selectors.task_board(user=request.user, status=status)
    if request.GET.get("format") == "xlsx":
        headers = ["任务名称", "总体期限", *[u.name for u in board.units]]
        rows = ([task.title, task.deadline, *[_board_cell(a) for a in cells]] for task, cells in board.rows)
        return xlsx_response(export_filename("督导任务看板"), headers, rows, sheet="任务看板")
    return render(
        request,
        "tracking/task_board.html",
        {
            "board": board,
            "status": status,
            "statuses": SupervisionTask.STATUSES,
            "lights": LIGHTS,
            "assignment_status": ASSIGNMENT_STATUS,
        },
    )


def _board_cell(assignment) -> str:
    if assignment is None:
        return ""
    state = ASSIGNMENT_STATUS.get(assignment.status, assignment.status)
    return f"{LIGHTS.get(assignment.light, '')} {state} {assignment.progress}% 期限{assignment.deadline:%Y-%m-%d}"


# ---------------------------------------------------------------- one unit's share


def _assignment_context(
    request, assignment, *, report_form=None, accept_form=None, return_form=None, notice=""
) -> dict:
    actions = selectors.assignment_actions(user=request.user, assignment=assignment)
    return {
        "a": assignment,
        "item": assignment.item,
        "events": selectors.item_timeline(item=assignment.item),
        "actions": actions,
        "lights": LIGHTS,
        "assignment_status": ASSIGNMENT_STATUS,
        "notice": notice,
        "report_form": report_form or ReportForm(initial={"progress": assignment.progress}),
        "accept_form": accept_form or AcceptForm(),
        "return_form": return_form or ReturnForm(),
    }


def _assignment_render(request, assignment, *, status=200, **kwargs):
    template = "tracking/assignment_detail.html"
    if _is_htmx(request):
        template += "#panel"
    return render(request, template, _assignment_context(request, assignment, **kwargs), status=status)


@permission_required("task.view")
def assignment_detail_view(request, pk: int):
    return _assignment_render(request, selectors.assignment_get(user=request.user, pk=pk))


def _assignment_action(request, pk: int, form_class, form_key: str, call, done: str):
    """Shared flow of the report / accept / return forms: validate, call the service, answer. An htmx request gets
    the fresh panel with the notice in it (no flash, it would show again on the next page)."""
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    form = form_class(request.POST)
    htmx = _is_htmx(request)

    def then(_):
        if htmx:
            return _assignment_render(request, selectors.assignment_get(user=request.user, pk=pk), notice=done)
        return ("tracking:assignment_detail", pk)

    return act_on_form(
        request,
        form,
        lambda d: call(assignment, d),
        done=None if htmx else done,
        then=then,
        above=ABOVE_THE_FORM,
    ) or _assignment_render(request, assignment, status=422, **{form_key: form})


@require_POST
@permission_required("task.report")
def assignment_report_view(request, pk: int):
    def call(assignment, data):
        services.assignment_report(
            by=request.user,
            assignment=assignment,
            progress=data["progress"],
            text=data["text"],
            submit=data["submit_for_acceptance"],
            files=request.FILES.getlist("attachments"),
        )

    return _assignment_action(request, pk, ReportForm, "report_form", call, "进展已填报")


@require_POST
@permission_required("task.manage")
def assignment_accept_view(request, pk: int):
    def call(assignment, data):
        services.assignment_accept(
            by=request.user, assignment=assignment, comment=data["comment"], ip=client_ip(request)
        )

    return _assignment_action(request, pk, AcceptForm, "accept_form", call, "已验收通过")


@require_POST
@permission_required("task.manage")
def assignment_return_view(request, pk: int):
    def call(assignment, data):
        services.assignment_return(by=request.user, assignment=assignment, reason=data["reason"], ip=client_ip(request))

    return _assignment_action(request, pk, ReturnForm, "return_form", call, "已退回责任单位")


# ---------------------------------------------------------------- 时间线校验


@permission_required("timeline.verify")
def verify_view(request):
    context = {"ran": False}
    if request.GET.get("run"):
        # Attachment bytes are re-read by `fazhi verify` (all of them can be far too many for one request).
        items, events, problems = verify_chains(selectors.items_for_verify(user=request.user), check_files=False)
        context.update(ran=True, items=items, events=events, problems=problems)
    return render(request, "tracking/verify.html", context)
