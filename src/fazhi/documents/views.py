"""Pages of 公文: the 发文字号 registers (thin: parse, call a service or selector, render)."""

from django.shortcuts import render
from django.utils import timezone

from fazhi.core.actions import act_on_form
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import Forbidden
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.paging import CappedPaginator
from fazhi.documents import forms, selectors, services
from fazhi.documents.permissions import register_actions

VIEW = ("document.view", "document.manage")
LIST_HEADERS = ["发文机关", "文种", "年份", "发文机关代字", "已用至", "已取号数", "下一个发文字号", "建立时间"]
NUMBER_HEADERS = ["序号", "发文字号", "取号人", "取号时间"]


@permission_required(*VIEW)
def register_list_view(request):
    f = forms.RegisterFilterForm(request.GET)
    qs = selectors.register_list(user=request.user, q=f.value("q", ""), year=f.value("year"))
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                r.unit.name,
                r.doc_type,
                r.year,
                r.prefix,
                r.last_number,
                r.taken,
                f"{r.prefix}〔{r.year}〕{r.last_number + 1}号",
                r.created_at,
            ]
            for r in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("发文字号登记簿"), LIST_HEADERS, rows, sheet="发文字号登记簿")
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/register_list.html",
        {"filter": f, "page": page, "actions": register_actions(user=request.user, obj=None)},
    )


@permission_required("document.manage")
def register_create_view(request):
    if "create" not in register_actions(user=request.user, obj=None):
        raise Forbidden()
    units = selectors.register_unit_choices(user=request.user)
    initial = {"year": timezone.localdate().year, "unit": request.user.unit_id}
    form = forms.RegisterForm(request.POST or None, initial=initial, units=units)

    def create(d):
        return services.register_create(
            by=request.user,
            unit=d["unit"],
            doc_type=d["doc_type"],
            year=d["year"],
            prefix=d["prefix"],
            ip=client_ip(request),
        )

    return act_on_form(
        request,
        form,
        create,
        done=lambda r: f"已新建登记簿：{r.unit.name} {r.year} 年“{r.doc_type}”",
        then=lambda r: ("documents:register_detail", r.pk),
    ) or render(request, "documents/register_form.html", {"form": form, "doc_types": selectors.register_doc_types()})


@permission_required(*VIEW)
def register_detail_view(request, pk: int):
    register = selectors.register_get(user=request.user, pk=pk)
    f = forms.NumberFilterForm(request.GET)
    numbers = selectors.register_numbers(register=register, q=f.value("q", ""))
    if request.GET.get("format") == "xlsx":
        rows = (
            [n.number, n.text, n.taken_by.display_name if n.taken_by_id else "系统", n.taken_at]
            for n in numbers.iterator(chunk_size=2000)
        )
        name = export_filename(
            f"发文字号_{register.unit.short_name or register.unit.name}_{register.doc_type}_{register.year}"
        )
        return xlsx_response(name, NUMBER_HEADERS, rows, sheet="发文字号")
    page = CappedPaginator(numbers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/register_detail.html",
        {
            "register": register,
            "filter": f,
            "page": page,
            "next_number": f"{register.prefix}〔{register.year}〕{register.last_number + 1}号",
            "actions": register_actions(user=request.user, obj=register),
        },
    )
