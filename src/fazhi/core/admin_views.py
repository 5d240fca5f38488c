"""System administration pages: divisions, units, users, roles, logs, Excel import and export.

Thin: parse the request, call a selector or service, render. Validation lives in core/services.py.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fazhi.core import forms, imports, selectors, services
from fazhi.core.actions import act, act_on_form
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_by_key, permission_required
from fazhi.core.division_figures import division_figures
from fazhi.core.errors import DomainError
from fazhi.core.exports import export_filename, xlsx_file_response, xlsx_response
from fazhi.core.normalize import parse_date
from fazhi.core.permissions import division_actions, log_actions, role_actions

PER_PAGE = 20


def _page(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _form_page(request, *, title, form, back_url, toggle=None, extra=None):
    context = {"title": title, "form": form, "back_url": back_url, "toggle": toggle, **(extra or {})}
    return render(request, "core/admin/form.html", context)


def _toggle(*, url, active):
    return {"url": url, "active": active}


# ---------------------------------------------------------------- divisions


@permission_required("org.manage")
def division_list_view(request):
    f = forms.DivisionFilterForm(request.GET)
    qs = selectors.division_list(user=request.user, q=f.value("q", ""), active=f.active_value())
    if _wants_xlsx(request):
        rows = ([d.code, d.name, d.get_level_display(), d.parent.code if d.parent else "", d.is_active] for d in qs)
        return xlsx_response(export_filename("行政区划"), ["区划代码", "名称", "级别", "上级区划代码", "启用"], rows)
    return render(request, "core/admin/division_list.html", {"filter": f, "page": _page(request, qs)})


@permission_required("org.manage")
def division_edit_view(request, pk=None):
    instance = selectors.division_get(user=request.user, pk=pk) if pk else None
    actions = division_actions(user=request.user, obj=instance)
    if request.method == "POST" and ("edit" if instance else "create") not in actions:
        raise PermissionDenied("无权修改行政区划")
    initial = {"code": instance.code, "name": instance.name, "parent": instance.parent_id} if instance else None
    form = forms.DivisionForm(
        request.POST or None,
        initial=initial,
        divisions=selectors.division_list(user=request.user, active=None if pk else True),
    )

    def save(data):
        is_active = instance.is_active if instance else True
        return services.division_save(
            by=request.user, instance=instance, ip=client_ip(request), is_active=is_active, **data
        )

    toggle = _toggle(url=reverse("core:division_toggle", args=[pk]), active=instance.is_active) if pk else None
    figures = division_figures(user=request.user, division=instance) if instance else []
    return act_on_form(request, form, save, done="行政区划已保存", then="core:division_list") or _form_page(
        request,
        title=f"编辑行政区划：{instance}" if instance else "新增行政区划",
        form=form,
        back_url=reverse("core:division_list"),
        toggle=toggle,
        extra={"figures": figures},
    )


@permission_required("org.manage")
@require_POST
def division_toggle_view(request, pk):
    division = selectors.division_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.division_set_active(
            by=request.user,
            division=division,
            active=request.POST.get("active") == "1",
            ip=client_ip(request),
        ),
        done=lambda _: f"“{division.name}”已{'启用' if division.is_active else '停用'}",
        then="core:division_list",
    )


# ---------------------------------------------------------------- units


@permission_required("org.manage")
def unit_list_view(request):
    f = forms.UnitFilterForm(request.GET)
    qs = selectors.unit_list(
        user=request.user,
        q=f.value("q", ""),
        kind=f.value("kind", ""),
        active=f.active_value(),
        include_inactive=True,
    )
    if _wants_xlsx(request):
        rows = (
            [
                u.name,
                u.short_name,
                u.get_kind_display(),
                u.division.code,
                u.parent.name if u.parent else "",
                u.credit_code,
                u.sort_order,
                u.is_active,
            ]
            for u in qs
        )
        headers = ["单位全称", "简称", "类型", "所在区划代码", "上级单位", "统一社会信用代码", "排序", "启用"]
        return xlsx_response(export_filename("单位"), headers, rows)
    page = _page(request, qs)
    return render(
        request,
        "core/admin/unit_list.html",
        {"filter": f, "page": page, "tree": selectors.unit_tree_rows(page.object_list)},
    )


@permission_required("org.manage")
def unit_edit_view(request, pk=None):
    instance = selectors.unit_get(user=request.user, pk=pk) if pk else None
    initial = None
    if instance:
        initial = {f: getattr(instance, f) for f in ("name", "short_name", "kind", "credit_code", "sort_order")}
        initial |= {
            "division": instance.division_id,
            "parent": instance.parent_id,
            "supervising_unit": instance.supervising_unit_id,
        }
    form = forms.UnitForm(
        request.POST or None,
        initial=initial,
        divisions=selectors.division_list(user=request.user, active=None if pk else True),
        units=selectors.unit_list(user=request.user, include_inactive=bool(pk)),
    )

    def save(data):
        data["sort_order"] = data["sort_order"] or 0
        is_active = instance.is_active if instance else True
        return services.unit_save(
            by=request.user, instance=instance, ip=client_ip(request), is_active=is_active, **data
        )

    toggle = _toggle(url=reverse("core:unit_toggle", args=[pk]), active=instance.is_active) if pk else None
    return act_on_form(request, form, save, done="单位已保存", then="core:unit_list") or _form_page(
        request,
        title=f"编辑单位：{instance.name}" if instance else "新增单位",
        form=form,
        back_url=reverse("core:unit_list"),
        toggle=toggle,
    )


@permission_required("org.manage")
@require_POST
def unit_toggle_view(request, pk):
    unit = selectors.unit_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.unit_set_active(
            by=request.user, unit=unit, active=request.POST.get("active") == "1", ip=client_ip(request)
        ),
        done=lambda _: f"“{unit.name}”已{'启用' if unit.is_active else '停用'}",
        then="core:unit_list",
    )


# ---------------------------------------------------------------- users


def _user_units(request):
    return selectors.unit_list(user=request.user)


@permission_required("user.manage")
def user_list_view(request):
    f = forms.UserFilterForm(request.GET, units=_user_units(request), roles=selectors.role_choices(user=request.user))
    qs = selectors.user_list(
        user=request.user,
        q=f.value("q", ""),
        unit=f.value("unit"),
        role=getattr(f.value("role"), "pk", None),
        active=f.active_value(),
    )
    if _wants_xlsx(request):
        rows = (
            [
                u.username,
                u.name,
                u.unit.name if u.unit else "",
                "、".join(r.name for r in u.roles.all()),
                u.phone,
                u.email,
                u.is_active,
                u.last_login,
            ]
            for u in qs
        )
        headers = ["用户名", "姓名", "所属单位", "角色", "手机号", "邮箱", "启用", "最近登录"]
        return xlsx_response(export_filename("用户"), headers, rows)
    return render(request, "core/admin/user_list.html", {"filter": f, "page": _page(request, qs)})


def _user_roles(request):
    return selectors.role_choices(user=request.user)


@permission_required("user.manage")
def user_create_view(request):
    form = forms.UserForm(request.POST or None, units=_user_units(request), roles=_user_roles(request))
    return act_on_form(
        request,
        form,
        lambda d: services.user_save(by=request.user, ip=client_ip(request), **{**d, "roles": list(d["roles"])}),
        done=lambda _: f"用户“{form.cleaned_data['username']}”已创建，首次登录须修改密码",
        then="core:user_list",
    ) or _form_page(request, title="新增用户", form=form, back_url=reverse("core:user_list"))


def _user_edit_page(request, target, *, form=None, reset_form=None):
    form = form or forms.UserForm(
        initial={
            "username": target.username,
            "name": target.name,
            "unit": target.unit_id,
            "roles": list(target.roles.all()),
            "phone": target.phone,
            "email": target.email,
        },
        units=_user_units(request),
        roles=_user_roles(request),
        creating=False,
    )
    context = {
        "target": target,
        "form": form,
        "kept_roles": selectors.roles_kept(user=request.user, target=target),
        "reset_form": reset_form or forms.PasswordResetForm(),
        "tokens": selectors.token_list(user=request.user, owner=target),
    }
    return render(request, "core/admin/user_edit.html", context)


@permission_required("user.manage")
def user_edit_view(request, pk):
    target = selectors.user_get(user=request.user, pk=pk)
    if request.method != "POST":
        return _user_edit_page(request, target)
    form = forms.UserForm(request.POST, units=_user_units(request), roles=_user_roles(request), creating=False)

    def save(data):
        return services.user_save(
            by=request.user,
            instance=target,
            is_active=target.is_active,
            ip=client_ip(request),
            **{**data, "roles": list(data["roles"])},
        )

    response = act_on_form(request, form, save, done="用户已保存", then=("core:user_edit", target.pk))
    if response:
        return response
    target.refresh_from_db()  # a refused save may have changed it in memory
    return _user_edit_page(request, target, form=form)


@permission_required("user.manage")
@require_POST
def user_password_reset_view(request, pk):
    target = selectors.user_get(user=request.user, pk=pk)
    form = forms.PasswordResetForm(request.POST)
    return act_on_form(
        request,
        form,
        lambda d: services.user_reset_password(
            by=request.user, user=target, password=d["password"], ip=client_ip(request)
        ),
        done="密码已重置，该用户下次登录时须修改密码",
        then=("core:user_edit", target.pk),
    ) or _user_edit_page(request, target, reset_form=form)


@permission_required("user.manage")
@require_POST
def user_unlock_view(request, pk):
    target = selectors.user_get(user=request.user, pk=pk)
    services.user_unlock(by=request.user, user=target, ip=client_ip(request))
    messages.success(request, "账号已解锁")
    return redirect("core:user_edit", pk=target.pk)


@permission_required("user.manage")
@require_POST
def user_toggle_view(request, pk):
    target = selectors.user_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.user_set_active(
            by=request.user, user=target, active=request.POST.get("active") == "1", ip=client_ip(request)
        ),
        done=lambda _: f"用户“{target.username}”已{'启用' if target.is_active else '停用'}",
        then=("core:user_edit", target.pk),
    )


@permission_required("user.manage")
@require_POST
def user_token_revoke_view(request, pk, token_id):
    target = selectors.user_get(user=request.user, pk=pk)
    token = selectors.token_get(user=request.user, pk=token_id, owner=target)
    services.token_revoke(token=token, by=request.user, ip=client_ip(request))
    messages.success(request, f"令牌 {token.prefix}… 已吊销")
    return redirect("core:user_edit", pk=target.pk)


# ---------------------------------------------------------------- roles


@permission_required("role.manage")
def role_list_view(request):
    f = forms.RoleFilterForm(request.GET)
    qs = selectors.role_list(user=request.user, q=f.value("q", ""), active=f.active_value())
    if _wants_xlsx(request):
        rows = (
            [r.code, r.name, r.get_data_scope_display(), "、".join(r.permissions), r.description, r.is_active]
            for r in qs
        )
        return xlsx_response(
            export_filename("角色"), ["角色编码", "角色名称", "数据范围", "功能权限", "说明", "启用"], rows
        )
    return render(request, "core/admin/role_list.html", {"filter": f, "page": _page(request, qs)})


@permission_required("role.manage")
def role_edit_view(request, pk=None):
    instance = selectors.role_get(user=request.user, pk=pk) if pk else None
    if request.method == "POST" and ("edit" if instance else "create") not in role_actions(
        user=request.user, obj=instance
    ):
        raise PermissionDenied("无权修改角色")
    initial = None
    if instance:
        initial = {f: getattr(instance, f) for f in ("code", "name", "data_scope", "permissions", "description")}
    form = forms.RoleForm(request.POST or None, initial=initial)

    def save(data):
        is_active = instance.is_active if instance else True
        return services.role_save(
            by=request.user, instance=instance, ip=client_ip(request), is_active=is_active, **data
        )

    response = act_on_form(request, form, save, done="角色已保存", then="core:role_list")
    if response:
        return response
    toggle = _toggle(url=reverse("core:role_toggle", args=[pk]), active=instance.is_active) if pk else None
    context = {
        "title": f"编辑角色：{instance.name}" if instance else "新增角色",
        "form": form,
        "toggle": toggle,
        "back_url": reverse("core:role_list"),
    }
    return render(request, "core/admin/role_form.html", context)


@permission_required("role.manage")
@require_POST
def role_toggle_view(request, pk):
    role = selectors.role_get(user=request.user, pk=pk)
    services.role_set_active(
        by=request.user, role=role, active=request.POST.get("active") == "1", ip=client_ip(request)
    )
    messages.success(request, f"角色“{role.name}”已{'启用' if role.is_active else '停用'}")
    return redirect("core:role_list")


# ---------------------------------------------------------------- logs


def _log_filters(request) -> tuple[dict, list[str]]:
    values = {k: request.GET.get(k, "") for k in ("q", "ip", "date_from", "date_to", "success", "action")}
    parsed, errors = dict(values), []
    for name, label in (("date_from", "起始日期"), ("date_to", "截止日期")):
        parsed[name] = None
        if values[name]:
            try:
                parsed[name] = parse_date(values[name], field=name, label=label)
            except DomainError as exc:
                errors.append(exc.message)
    return {"raw": values, **parsed}, errors


@permission_required("log.view")
def login_log_view(request):
    f, errors = _log_filters(request)
    qs = selectors.login_log_list(
        user=request.user,
        q=f["q"],
        ip=f["ip"],
        date_from=f["date_from"],
        date_to=f["date_to"],
        success={"1": True, "0": False}.get(f["success"]),
    )
    if _wants_xlsx(request) and "export" not in log_actions(user=request.user):
        raise PermissionDenied("无权导出日志")
    if _wants_xlsx(request):
        rows = (
            [
                log.at,
                log.username,
                log.user.name if log.user else "",
                log.ip,
                log.success,
                log.reason,
                log.user_agent,
                log.seq,
                log.hash,
            ]
            for log in qs
        )
        # The chain columns make an exported file an anchor outside the database (docs/tamper-evidence.md).
        headers = ["时间", "用户名", "姓名", "IP", "成功", "说明", "浏览器", "链序号", "链哈希"]
        return xlsx_response(export_filename("登录日志"), headers, rows)
    return render(request, "core/admin/login_log.html", {"f": f["raw"], "errors": errors, "page": _page(request, qs)})


@permission_required("log.view")
def operation_log_view(request):
    f, errors = _log_filters(request)
    qs = selectors.operation_log_list(
        user=request.user,
        q=f["q"],
        action=f["action"],
        ip=f["ip"],
        date_from=f["date_from"],
        date_to=f["date_to"],
    )
    if _wants_xlsx(request) and "export" not in log_actions(user=request.user):
        raise PermissionDenied("无权导出日志")
    if _wants_xlsx(request):
        rows = (
            [log.at, log.username, log.action, log.object_type, log.object_id, log.summary, log.ip, log.seq, log.hash]
            for log in qs
        )
        headers = ["时间", "用户", "操作", "对象类型", "对象", "摘要", "IP", "链序号", "链哈希"]
        return xlsx_response(export_filename("操作日志"), headers, rows)
    return render(
        request,
        "core/admin/operation_log.html",
        {
            "f": f["raw"],
            "errors": errors,
            "page": _page(request, qs),
            "actions": selectors.operation_actions(),
        },
    )


@permission_required("log.export")
def chain_anchor_export_view(request):
    """The chains' daily anchors as a spreadsheet, to be kept outside the system (docs/tamper-evidence.md)."""
    if "export" not in log_actions(user=request.user):
        raise PermissionDenied("无权导出日志")
    rows = (
        [a.day, a.chain, a.label, a.last_id, a.count, a.head, a.entry_id, a.at]
        for a in selectors.chain_anchor_list(user=request.user)
    )
    headers = ["锚定日期", "链", "链名称", "最后一条记录 id", "条数", "链头哈希", "锚点日志 id", "记录时间"]
    return xlsx_response(export_filename("哈希链锚点"), headers, rows)


# ---------------------------------------------------------------- Excel import


def _importer(request, key) -> imports.Importer:
    importer = imports.IMPORTERS.get(key)
    if importer is None:
        raise Http404("没有这种导入")
    if not importer.allowed(request.user):
        raise PermissionDenied("无权访问")
    return importer


def _import_page(request, importer, *, file_error="", result=None, token=""):
    context = {
        "importer": importer,
        "file_error": file_error,
        "result": result,
        "token": token,
        "list_url": reverse(importer.list_url_name) if importer.list_url_name else "",
        "urls": imports.import_urls(importer.key, token=token),
    }
    return render(request, "core/admin/import.html", context)


@permission_by_key
def import_view(request, key):
    importer = _importer(request, key)
    if request.method != "POST":
        return _import_page(request, importer)
    uploaded = request.FILES.get("file")
    try:
        token = imports.upload_store(user=request.user, uploaded=uploaded)
        if imports.upload_is_large(uploaded):  # checked by a job: its page shows the progress, then the confirmation
            return redirect("core:job_detail", _import_job_start(request, importer, token, check_only=True).pk)
        result = imports.import_file(importer, user=request.user, token=token, commit=False, ip=client_ip(request))
    except DomainError as exc:
        return _import_page(request, importer, file_error=exc.message)
    return _import_page(request, importer, result=result, token=token)


def _import_job_start(request, importer, token, *, check_only=False):
    return imports.import_job_start(
        importer,
        by=request.user,
        name=importer.key,
        token=token,
        page_url=reverse("core:import", args=[importer.key]),
        confirm_url=imports.import_urls(importer.key)["confirm"],
        ip=client_ip(request),
        check_only=check_only,
    )


@permission_by_key
@require_POST
def import_confirm_view(request, key):
    """The import runs as a job (我的任务): its page shows the progress, the rows imported or every error."""
    importer = _importer(request, key)
    try:
        job = _import_job_start(request, importer, request.POST.get("token", ""))
    except DomainError as exc:
        return _import_page(request, importer, file_error=exc.message)
    return redirect("core:job_detail", job.pk)


@permission_by_key
def import_template_view(request, key):
    importer = _importer(request, key)
    return xlsx_file_response(f"{importer.title}导入模板.xlsx", imports.template_xlsx(importer))


@permission_by_key
def import_errors_view(request, key, token):
    importer = _importer(request, key)
    try:
        result = imports.import_file(importer, user=request.user, token=token, commit=False, ip=client_ip(request))
    except DomainError as exc:
        raise Http404(exc.message) from None
    return xlsx_file_response(f"{importer.title}导入错误清单.xlsx", imports.errors_xlsx(result))


# ---------------------------------------------------------------- online sessions (等保 三级 会话管理)


@permission_required("session.manage")
def session_list_view(request):
    qs = selectors.session_online_list(user=request.user)
    current = request.session.session_key
    context = {
        "page": _page(request, qs),
        "current_key": current,
        "idle_minutes": settings.FAZHI["SESSION_IDLE_MINUTES"],
    }
    return render(request, "core/admin/session_list.html", context)


@permission_required("session.manage")
@require_POST
def session_logout_view(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.session_force_logout(by=request.user, session=session, ip=client_ip(request)),
        done=lambda _: f"已强制 {session.user.display_name}（{session.user.username}）下线",
        then="core:session_list",
    )
