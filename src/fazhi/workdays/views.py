"""期限计算器 and the admin page of the working-day calendar (overrides, confirmed years, import)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.actions import act
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError
from fazhi.workdays import calendar, forms, selectors, services


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@permission_required("workdays.use")
def calculator_view(request):
    values = {
        "start": request.GET.get("start", ""),
        "n": request.GET.get("n", ""),
        "kind": request.GET.get("kind", "working"),
    }
    context = {"values": values, "kinds": forms.KINDS, "result": None, "error": "", "field": ""}
    if values["start"] or values["n"]:
        try:
            start = forms.parse_start(values["start"], field="start", label="起算日期")
            n = forms.parse_days(values["n"], field="n", label="期限天数", required=True)
            context["result"] = selectors.deadline_explain(start=start, n=n, kind=forms.parse_kind(values["kind"]))
        except DomainError as exc:
            context.update(error=exc.message, field=exc.field)
    template = "workdays/calculator.html#result" if _is_htmx(request) else "workdays/calculator.html"
    return render(request, template, context)


def _calendar_url(year: int) -> str:
    return f"{reverse('workdays:override_list')}?year={year}"


def _calendar_context(year: int, **extra) -> dict:
    context = {
        "year": year,
        "years": selectors.year_choices(around=year),
        "status": selectors.year_status(year=year),
        "months": selectors.year_grid(year=year),
        "overrides": selectors.override_list(year=year),
        "form": {"date": "", "is_working_day": "0", "name": ""},
        "form_error": "",
        "form_field": "",
        "year_error": "",
        "package_range": f"{min(calendar.PACKAGE_YEARS)}–{max(calendar.PACKAGE_YEARS)}",
    }
    context.update(extra)
    return context


@permission_required("calendar.manage")
def override_list_view(request):
    try:
        year = forms.parse_year(request.GET.get("year"), default=timezone.localdate().year)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_calendar_url(timezone.localdate().year))
    return render(request, "workdays/override_list.html", _calendar_context(year))


def _year_or_current(value) -> int:
    """The year a failed form returns to: the one submitted if usable, else this year."""
    try:
        return forms.parse_year(value, default=timezone.localdate().year)
    except DomainError:
        return timezone.localdate().year


@permission_required("calendar.manage")
@require_POST
def override_create_view(request):
    form = {k: request.POST.get(k, "") for k in ("date", "is_working_day", "name")}

    def refused(exc):
        year = _year_or_current(request.POST.get("year"))
        context = _calendar_context(year, form=form, form_error=exc.message, form_field=exc.field)
        return render(request, "workdays/override_list.html", context, status=422)

    return act(
        request,
        lambda: services.override_save(
            by=request.user,
            date=form["date"],
            is_working_day=forms.parse_is_working_day(form["is_working_day"]),
            name=form["name"],
            ip=client_ip(request),
        ),
        done=lambda override: f"已新增：{override}",
        then=lambda override: _calendar_url(override.date.year),
        on_error=refused,
    )


@permission_required("calendar.manage")
def override_edit_view(request, pk: int):
    override = selectors.override_get(pk=pk)
    if override is None:
        raise Http404("记录不存在")
    form = {
        "date": override.date.isoformat(),
        "is_working_day": "1" if override.is_working_day else "0",
        "name": override.name,
    }
    context = {"override": override, "form": form, "error": "", "field": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("date", "is_working_day", "name")}

        def refused(exc):
            context.update(form=form, error=exc.message, field=exc.field)
            return render(request, "workdays/override_edit.html", context, status=422)

        return act(
            request,
            lambda: services.override_save(
                by=request.user,
                instance=override,
                date=form["date"],
                is_working_day=forms.parse_is_working_day(form["is_working_day"]),
                name=form["name"],
                ip=client_ip(request),
            ),
            done=lambda _: f"已修改：{override}",
            then=lambda _: _calendar_url(override.date.year),
            on_error=refused,
        )
    return render(request, "workdays/override_edit.html", context)


@permission_required("calendar.manage")
@require_POST
def override_delete_view(request, pk: int):
    override = selectors.override_get(pk=pk)
    if override is None:
        raise Http404("记录不存在")
    year, text = override.date.year, str(override)
    services.override_delete(by=request.user, override=override, ip=client_ip(request))
    messages.success(request, f"已删除：{text}")
    return redirect(_calendar_url(year))


@permission_required("calendar.manage")
@require_POST
def calendar_year_view(request):
    year = _year_or_current(request.POST.get("year"))
    return act(
        request,
        lambda: services.calendar_year_save(
            by=request.user,
            year=request.POST.get("year", ""),
            source=request.POST.get("source", ""),
            confirmed=request.POST.get("confirmed") == "1",
            ip=client_ip(request),
        ),
        done=lambda record: f"{record.year} 年度已{'确认' if record.confirmed else '取消确认'}",
        then=lambda record: _calendar_url(record.year),
        on_error=lambda exc: render(
            request, "workdays/override_list.html", _calendar_context(year, year_error=exc.message), status=422
        ),
    )
