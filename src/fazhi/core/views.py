"""Login, logout, password change and notifications. Admin pages for the org tree are in admin_views.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fazhi.core.actions import act
from fazhi.core.audit import client_ip
from fazhi.core.decorators import login_only, public
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.home import home_for
from fazhi.core.selectors import notification_list, token_get, token_list
from fazhi.core.services import (
    login_attempt,
    notifications_mark_read,
    token_create,
    token_revoke,
    user_change_password,
)


@public
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    conf = settings.FAZHI
    context = {
        "next": next_url,
        "username": "",
        "error": "",
        "max_failures": conf["LOGIN_MAX_FAILURES"],
        "lock_minutes": conf["LOGIN_LOCK_MINUTES"],
    }
    if request.method == "POST":
        context["username"] = request.POST.get("username", "")
        try:
            user = login_attempt(
                username=context["username"],
                password=request.POST.get("password", ""),
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "core/login.html", context, status=200)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user.must_change_password:
            return redirect("core:password_change")
        return redirect(next_url or home_for(user))
    return render(request, "core/login.html", context)


@public
@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:login")


@login_only
def password_change_view(request):
    context = {"error": "", "field": ""}
    if request.method == "POST":

        def change():
            new = request.POST.get("new_password", "")
            if new != request.POST.get("new_password2", ""):
                raise DomainError("两次输入的新密码不一致", field="new_password2")
            user_change_password(
                user=request.user,
                old_password=request.POST.get("old_password", ""),
                new_password=new,
                ip=client_ip(request),
            )
            # Keep this session valid after the hash changed (the others end); its key rotates, its record follows.
            update_session_auth_hash(request, request.user)

        def refused(exc):
            context.update(error=exc.message, field=exc.field)
            return render(request, "core/password_change.html", context)

        return act(request, change, done="密码已修改", then="/", on_error=refused)
    return render(request, "core/password_change.html", context)


@login_only
def notifications_view(request):
    g = request.GET
    notices = notification_list(
        user=request.user, q=g.get("q", ""), read={"yes": True, "no": False}.get(g.get("read", ""))
    )
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("通知"),
            ["时间", "标题", "内容", "状态"],
            (
                (n.created_at, n.title, n.body, "已读" if n.read_at else "未读")
                for n in notices.iterator(chunk_size=2000)
            ),
            sheet="通知",
        )
    page = Paginator(notices, 30).get_page(g.get("page"))
    return render(request, "core/notifications.html", {"page": page, "filters": g})


@login_only
@require_POST
def notifications_read_view(request):
    notifications_mark_read(user=request.user)
    return redirect("core:notifications")


@login_only
def tokens_view(request):
    """The viewer's own API tokens. A new secret is rendered once in the response and never stored."""
    context = {"secret": "", "error": ""}
    if request.method == "POST":
        _, context["secret"] = token_create(user=request.user, name=request.POST.get("name", ""), ip=client_ip(request))
    context["tokens"] = token_list(user=request.user)
    response = render(request, "core/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_only
@require_POST
def token_revoke_view(request, pk):
    try:
        token = token_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404("令牌不存在") from None
    token_revoke(token=token, by=request.user, ip=client_ip(request))
    messages.success(request, f"令牌 {token.prefix}… 已吊销")
    return redirect("core:tokens")


@login_only
def notification_open_view(request, pk: int):
    """Opening a notice marks it read, then goes where it points (only ever inside this site)."""
    notice = notification_list(user=request.user).filter(pk=pk).first()
    if notice is None:
        return redirect("core:notifications")
    notifications_mark_read(user=request.user, ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("core:notifications")


# ---------------------------------------------------------------- 我的任务 (background jobs)


@login_only
def job_list_view(request):
    from fazhi.core.jobs import LIST_LIMIT, job_list, jobs_mark_lost

    jobs = list(job_list(user=request.user)[:LIST_LIMIT])
    jobs_mark_lost(jobs)
    return render(request, "core/jobs.html", {"jobs": jobs})


@login_only
def job_detail_view(request, pk: int):
    """The job and, while it runs, a partial that htmx fetches again every 2 s (the page can be left and
    reopened at any time: everything shown is on the Job row)."""
    from fazhi.core.jobs import job_get
    from fazhi.core.permissions import job_actions

    job = job_get(user=request.user, pk=pk)
    template = "core/job_detail.html#status" if request.headers.get("HX-Request") == "true" else "core/job_detail.html"
    return render(request, template, {"job": job, "actions": job_actions(user=request.user, obj=job)})


@login_only
def job_download_view(request, pk: int):
    from django.http import FileResponse

    from fazhi.core.jobs import job_get, job_result_open

    job = job_get(user=request.user, pk=pk)
    return FileResponse(job_result_open(user=request.user, job=job), as_attachment=True, filename=job.result_filename)
