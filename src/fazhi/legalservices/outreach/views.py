"""Pages of 普法 (thin: parse, call a service or selector, render)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.decorators import permission_required
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.paging import CappedPaginator
from fazhi.legalservices.outreach import forms, rules, selectors, services
from fazhi.legalservices.outreach.permissions import activity_actions, duty_list_actions, literate_actions
from fazhi.tracking.rules import LIGHTS

NS = "legalservices:outreach"
VIEW = "outreach.view"
EDIT = ("outreach.edit", "outreach.manage")


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


# ---------------------------------------------------------------- responsibility lists


@permission_required(VIEW)
def list_index_view(request):
    year = _year(request)
    qs = selectors.duty_lists(user=request.user, year=year, q=request.GET.get("q", ""))
    form = forms.ListCreateForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.duty_list_create(by=request.user, year=d["year"]),
            done="清单已创建，请添加事项后公布",
            then=lambda dl: (f"{NS}:list_detail", dl.pk),
        )
        if response is not None:
            return response
    return render(
        request,
        "legalservices/outreach/list_index.html",
        {"lists": qs, "year": year, "form": form, "actions": duty_list_actions(user=request.user, obj=None)},
        status=422 if form.is_bound else 200,
    )


@permission_required(VIEW)
def list_detail_view(request, pk: int):
    duty_list = selectors.duty_list_get(user=request.user, pk=pk)
    today = timezone.localdate()
    form = forms.ItemForm(request.POST or None)
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.duty_item_add(by=request.user, duty_list=duty_list, **d),
            done="事项已添加",
            then=(f"{NS}:list_detail", pk),
        )
        if response is not None:
            return response
    items = list(selectors.duty_items(duty_list=duty_list))
    if request.GET.get("format") == "xlsx":
        rows = (
            [i.content, i.laws, "、".join(i.target_groups), i.deadline, i.done_on or "", i.activity_count]
            for i in items
        )
        return xlsx_response(
            export_filename(f"{duty_list.unit.name}{duty_list.year}年普法责任清单"),
            ["普法任务", "重点宣传的法律法规", "普法对象", "完成期限", "完成日期", "活动次数"],
            rows,
            sheet="普法责任清单",
        )
    from fazhi.tracking.rules import light as light_rule
    from fazhi.tracking.selectors import yellow_until

    until = yellow_until(today)
    for i in items:
        i.light = (
            light_rule(status=i.item.status, deadline=i.item.deadline, today=today, yellow_until=until)
            if i.item_id
            else ""
        )
    return render(
        request,
        "legalservices/outreach/list_detail.html",
        {
            "duty_list": duty_list,
            "items": items,
            "form": form,
            "complete_form": forms.CompleteForm(),
            "actions": duty_list_actions(user=request.user, obj=duty_list),
            "lights": LIGHTS,
        },
        status=422 if form.is_bound else 200,
    )


@require_POST
@permission_required(*EDIT)
def list_publish_view(request, pk: int):
    duty_list = selectors.duty_list_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.duty_list_publish(by=request.user, duty_list=duty_list),
        done="清单已公布，各事项已进入督办",
        then=(f"{NS}:list_detail", pk),
    )


@require_POST
@permission_required(*EDIT)
def item_complete_view(request, pk: int, item_pk: int):
    duty_list = selectors.duty_list_get(user=request.user, pk=pk)
    entry = selectors.duty_item_get(user=request.user, duty_list=duty_list, pk=item_pk)
    form = forms.CompleteForm(request.POST)
    form.is_valid()
    return act(
        request,
        lambda: services.duty_item_complete(
            by=request.user,
            entry=entry,
            done_on=form.cleaned_data.get("done_on"),
            comment=form.cleaned_data.get("comment", ""),
        ),
        done="事项已完成",
        then=(f"{NS}:list_detail", pk),
    )


@require_POST
@permission_required(*EDIT)
def item_remove_view(request, pk: int, item_pk: int):
    duty_list = selectors.duty_list_get(user=request.user, pk=pk)
    entry = selectors.duty_item_get(user=request.user, duty_list=duty_list, pk=item_pk)
    return act(
        request,
        lambda: services.duty_item_remove(by=request.user, entry=entry),
        done="事项已删除",
        then=(f"{NS}:list_detail", pk),
    )


# ---------------------------------------------------------------- activities


@permission_required(VIEW)
def activity_list_view(request):
    f = forms.FilterForm(request.GET)
    filters = selectors.ActivityFilters(
        q=f.value("q", ""), kind=f.value("kind", ""), date_from=f.value("date_from"), date_to=f.value("date_to")
    )
    qs = selectors.activity_list(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                a.held_on,
                a.unit.name,
                a.kind_label,
                rules.VENUE_LABELS.get(a.venue, ""),
                a.title,
                a.place,
                a.attendance,
                a.laws,
                a.files,
            ]
            for a in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(
            export_filename("普法活动"),
            ["日期", "组织单位", "类型", "“六进”类别", "活动名称", "地点", "参加人数", "宣传的法律法规", "材料数"],
            rows,
            sheet="普法活动",
        )
    return render(
        request,
        "legalservices/outreach/activity_list.html",
        {
            "filter": f,
            "page": CappedPaginator(qs, 20).get_page(request.GET.get("page")),
            "actions": activity_actions(user=request.user, obj=None),
        },
    )


@permission_required(*EDIT)
def activity_create_view(request):
    items = selectors.open_items_of_unit(user=request.user)
    form = forms.ActivityForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.activity_save(by=request.user, **d),
            done="普法活动已登记",
            then=lambda a: (f"{NS}:activity_detail", a.pk),
        )
        if response is not None:
            return response
    return render(
        request,
        "legalservices/outreach/form.html",
        {"form": form, "title": "登记普法活动", "multipart": True},
        status=422 if form.is_bound else 200,
    )


@permission_required(VIEW)
def activity_detail_view(request, pk: int):
    activity = selectors.activity_get(user=request.user, pk=pk)
    return render(
        request,
        "legalservices/outreach/activity_detail.html",
        {
            "activity": activity,
            "files": activity.attachments.order_by("pk"),
            "venue": rules.VENUE_LABELS.get(activity.venue, ""),
            "actions": activity_actions(user=request.user, obj=activity),
        },
    )


@require_POST
@permission_required(*EDIT)
def activity_attach_view(request, pk: int):
    activity = selectors.activity_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.activity_attach(by=request.user, activity=activity, files=request.FILES.getlist("files")),
        done=lambda s: f"已上传 {len(s)} 个文件",
        then=(f"{NS}:activity_detail", pk),
    )


@permission_required(VIEW)
def activity_file_view(request, pk: int, attachment_pk: int):
    activity = selectors.activity_get(user=request.user, pk=pk)
    return attachment_response(
        selectors.activity_attachment(user=request.user, activity=activity, attachment_pk=attachment_pk)
    )


# ---------------------------------------------------------------- 法律明白人


@permission_required(VIEW)
def literate_list_view(request):
    q = request.GET.get("q", "")
    qs = selectors.literate_list(user=request.user, q=q)
    if request.GET.get("format") == "xlsx":
        rows = (
            [r.division, r.township, r.village, r.name, r.id_number, r.phone, r.occupation, r.appointed_on or ""]
            for r in selectors.literate_rows(qs.iterator(chunk_size=2000))
        )
        return xlsx_response(
            export_filename("法律明白人名册"),
            ["县（市、区）", "乡镇（街道）", "村（社区）", "姓名", "身份证号", "手机号", "身份", "确认日期"],
            rows,
            sheet="法律明白人",
        )
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "legalservices/outreach/literate_list.html",
        {
            "q": q,
            "page": page,
            "rows": selectors.literate_rows(page.object_list),
            "villages": selectors.literate_by_village(user=request.user)[:200],
            "actions": literate_actions(user=request.user, obj=None),
        },
    )


@permission_required(*EDIT)
def literate_create_view(request):
    form = forms.LiterateForm(request.POST or None)
    if request.method == "POST":
        response = act_on_form(
            request,
            form,
            lambda d: services.literate_save(by=request.user, **d),
            done="已登记",
            then=f"{NS}:literate_list",
        )
        if response is not None:
            return response
    return render(
        request,
        "legalservices/outreach/form.html",
        {"form": form, "title": "登记法律明白人"},
        status=422 if form.is_bound else 200,
    )


@require_POST
@permission_required(*EDIT)
def literate_retire_view(request, pk: int):
    person = selectors.literate_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.literate_retire(by=request.user, person=person),
        done="已出册",
        then=f"{NS}:literate_list",
    )


# ---------------------------------------------------------------- completion


@permission_required(VIEW)
def completion_view(request):
    year = _year(request)
    rows = selectors.outreach_completion(year=year, user=request.user)
    months = selectors.activities_by_month(year=year, user=request.user)
    if request.GET.get("format") == "xlsx" and request.GET.get("by") == "month":
        return xlsx_response(
            export_filename(f"{year}年普法活动按月统计"),
            ["月份", "活动次数", "参加人次"],
            ([f"{m['month']}月", m["activities"], m["attendance"]] for m in months),
            sheet="按月活动",
        )
    if request.GET.get("format") == "xlsx":
        data = (
            [
                r.unit_name,
                "已公布" if r.published else "未公布",
                r.total,
                r.done,
                r.done_on_time,
                r.overdue,
                r.rate,
                r.activities,
                r.attendance,
                LIGHTS.get(r.light, r.light),
            ]
            for r in rows
        )
        return xlsx_response(
            export_filename(f"{year}年谁执法谁普法完成情况"),
            ["单位", "清单", "事项", "已完成", "按期完成", "逾期未完成", "完成率(%)", "活动次数", "参加人次", "亮牌"],
            data,
            sheet="完成情况",
        )
    chart = {
        "units": [r.unit_name for r in rows],
        "rate": [r.rate for r in rows],
        "unit_activities": [r.activities for r in rows],
        "months": [f"{m['month']}月" for m in months],
        "activities": [m["activities"] for m in months],
        "attendance": [m["attendance"] for m in months],
    }
    return render(
        request,
        "legalservices/outreach/completion.html",
        {"rows": rows, "year": year, "lights": LIGHTS, "chart": chart, "months": months},
    )
