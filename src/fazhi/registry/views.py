"""Staff pages of the enforcement registry (thin: parse, call service/selector, render)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import imports as core_imports
from fazhi.core.actions import act, act_on_form
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError
from fazhi.core.exports import export_filename, xlsx_file_response, xlsx_response
from fazhi.core.masking import mask_id_number
from fazhi.core.reveal import reveal_request
from fazhi.registry import forms, selectors, services
from fazhi.registry import imports as registry_imports
from fazhi.registry.permissions import registry_actions
from fazhi.registry.related import agency_figures

# ---------------------------------------------------------------- registry: agencies, power items, officers

REGISTRY_PER_PAGE = 20


def _registry_page(request, qs):
    return Paginator(qs, REGISTRY_PER_PAGE).get_page(request.GET.get("page"))


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _can_manage(request) -> bool:
    return "manage" in registry_actions(user=request.user)


def _registry_form_page(request, *, title, form, back_url, template="registry/registry_form.html", extra=None):
    return render(request, template, {"title": title, "form": form, "back_url": back_url, **(extra or {})})


# ---- agencies

AGENCY_HEADERS = ["单位全称", "主体资格", "委托机关", "管辖范围", "执法领域", "现行事项数", "在岗执法人员数", "启用"]


@permission_required("registry.view")
def agency_list_view(request):
    f = forms.AgencyFilterForm(request.GET)
    qs = selectors.agency_list(user=request.user, q=f.value("q", ""), legal_status=f.value("legal_status", ""))
    if _wants_xlsx(request):
        rows = (
            [
                a.unit.name,
                a.get_legal_status_display(),
                a.entrusting_agency.unit.name if a.entrusting_agency else "",
                a.jurisdiction,
                "、".join(a.domains),
                a.item_count,
                a.officer_count,
                a.is_active,
            ]
            for a in qs
        )
        return xlsx_response(export_filename("执法主体"), AGENCY_HEADERS, rows, sheet="执法主体")
    return render(
        request,
        "registry/agency_list.html",
        {"filter": f, "page": _registry_page(request, qs), "can_manage": _can_manage(request)},
    )


@permission_required("registry.view")
def agency_detail_view(request, pk: int):
    agency = selectors.agency_get(user=request.user, pk=pk)
    return render(
        request,
        "registry/agency_detail.html",
        {
            "agency": agency,
            "can_manage": _can_manage(request),
            "items": selectors.power_item_list(user=request.user, agency=agency),
            "entries": selectors.list_entries_for(agency=agency),
            "officers": selectors.officer_list(user=request.user, agency=agency)[:200],
            "figures": agency_figures(user=request.user, agency=agency),
        },
    )


@permission_required("registry.manage")
def agency_edit_view(request, pk: int | None = None):
    instance = selectors.agency_get(user=request.user, pk=pk) if pk else None
    initial = None
    if instance:
        initial = {
            "unit": instance.unit_id,
            "legal_status": instance.legal_status,
            "entrusting_agency": instance.entrusting_agency_id,
            "jurisdiction": instance.jurisdiction,
            "domains": "、".join(instance.domains),
            "is_active": instance.is_active,
        }
    form = forms.AgencyForm(
        request.POST or None,
        initial=initial,
        units=selectors.agency_unit_choices(user=request.user, instance=instance),
        agencies=selectors.agency_list(user=request.user).exclude(pk=pk or 0),
    )

    def save(data):
        return services.agency_save(
            by=request.user,
            instance=instance,
            unit=data["unit"],
            legal_status=data["legal_status"],
            entrusting_agency=data["entrusting_agency"],
            jurisdiction=data["jurisdiction"],
            domains=core_imports.parse_list(data["domains"]),
            is_active=data["is_active"],
            ip=client_ip(request),
        )

    return act_on_form(
        request, form, save, done="执法主体已保存", then=lambda agency: ("registry:agency_detail", agency.pk)
    ) or _registry_form_page(
        request,
        title=f"编辑执法主体：{instance}" if instance else "新增执法主体",
        form=form,
        back_url=reverse("registry:agency_list"),
    )


@permission_required("registry.manage")
def list_entry_create_view(request, agency_pk: int):
    agency = selectors.agency_get(user=request.user, pk=agency_pk)
    items = selectors.power_item_list(user=request.user, agency=agency)
    form = forms.ListEntryForm(
        request.POST or None,
        items=items,
        initial={"power_item": request.GET.get("item")} if request.GET.get("item") else None,
    )
    return act_on_form(
        request,
        form,
        lambda d: services.list_entry_save(by=request.user, agency=agency, ip=client_ip(request), **d),
        done="清单条目已保存",
        then=("registry:agency_detail", agency.pk),
    ) or _registry_form_page(
        request,
        title=f"新增不予处罚 / 从轻减轻清单条目：{agency}",
        form=form,
        back_url=reverse("registry:agency_detail", args=[agency.pk]),
    )


# ---- power items

POWER_ITEM_HEADERS = [c.header for c in registry_imports.PowerItemImporter.columns] + ["版本"]


def _power_item_rows(qs):
    """One row per tier (an item without tiers is one row), in the columns of the import template."""
    for item in qs.prefetch_related("legal_bases", "tiers"):
        bases, tiers = list(item.legal_bases.all()), list(item.tiers.all())
        for i in range(max(1, len(tiers), len(bases))):
            b = bases[i] if i < len(bases) else None
            t = tiers[i] if i < len(tiers) else None
            yield [
                item.code,
                item.name,
                item.get_kind_display(),
                item.agency.unit.name,
                "是" if item.major else "否",
                item.effective_from,
                b.law if b else "",
                b.article if b else "",
                b.clause if b else "",
                b.text if b else "",
                t.get_level_display() if t else "",
                t.name if t else "",
                t.circumstances if t else "",
                "、".join(t.penalty_kinds) if t else "",
                *[
                    ("" if v is None else str(v))
                    for v in ((t.fine_min, t.fine_max, t.multiple_min, t.multiple_max) if t else (None,) * 4)
                ],
                item.version,
            ]


@permission_required("registry.view")
def power_item_list_view(request):
    agencies = selectors.agency_list(user=request.user)
    f = forms.PowerItemFilterForm(request.GET, agencies=agencies)
    major = {"1": True, "0": False}.get(request.GET.get("major", ""))
    qs = selectors.power_item_list(
        user=request.user, q=f.value("q", ""), kind=f.value("kind", ""), agency=f.value("agency"), major=major
    )
    if _wants_xlsx(request):
        return xlsx_response(export_filename("权责清单"), POWER_ITEM_HEADERS, _power_item_rows(qs), sheet="权责清单")
    return render(
        request,
        "registry/power_item_list.html",
        {
            "filter": f,
            "page": _registry_page(request, qs.prefetch_related("legal_bases")),
            "can_manage": _can_manage(request),
        },
    )


@permission_required("registry.view")
def power_item_detail_view(request, pk: int):
    item = selectors.power_item_get(user=request.user, pk=pk)
    return render(
        request,
        "registry/power_item_detail.html",
        {
            "item": item,
            "bases": item.legal_bases.all(),
            "tiers": item.tiers.all(),
            "versions": selectors.power_item_versions(item=item),
            "entries": selectors.list_entries_for(agency=item.agency, item=item),
            "can_manage": _can_manage(request),
        },
    )


def _formset_rows(formset, keys) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if any(data.get(k) for k in keys):
            rows.append({k: data.get(k) for k in keys})
    return rows


@permission_required("registry.manage")
def power_item_edit_view(request, pk: int | None = None):
    instance = selectors.power_item_get(user=request.user, pk=pk) if pk else None
    agencies = selectors.agency_list(user=request.user)
    initial, bases_initial, tiers_initial = None, None, None
    if instance:
        initial = {
            "agency": instance.agency_id,
            "code": instance.code,
            "name": instance.name,
            "kind": instance.kind,
            "major": instance.major,
            "effective_from": timezone.localdate().isoformat(),
        }
        bases_initial = list(instance.legal_bases.values("law", "article", "clause", "text"))
        tiers_initial = [
            {
                **t,
                "fine_min": t["fine_min"] if t["fine_min"] is not None else "",
                "fine_max": t["fine_max"] if t["fine_max"] is not None else "",
                "multiple_min": t["multiple_min"] if t["multiple_min"] is not None else "",
                "multiple_max": t["multiple_max"] if t["multiple_max"] is not None else "",
            }
            for t in instance.tiers.values(
                "level",
                "name",
                "circumstances",
                "penalty_kinds",
                "fine_min",
                "fine_max",
                "multiple_min",
                "multiple_max",
            )
        ]
    elif request.GET.get("agency"):
        initial = {"agency": request.GET["agency"]}
    form = forms.PowerItemForm(request.POST or None, initial=initial, agencies=agencies, editing=bool(instance))
    bases = forms.BasisFormSet(request.POST or None, initial=bases_initial, prefix="bases")
    tiers = forms.TierFormSet(request.POST or None, initial=tiers_initial, prefix="tiers")

    def save(data):
        return services.power_item_save(
            by=request.user,
            instance=instance,
            agency=data["agency"],
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            major=data["major"],
            effective_from=data["effective_from"] or None,
            legal_bases=_formset_rows(bases, ("law", "article", "clause", "text")),
            tiers=_formset_rows(
                tiers,
                (
                    "level",
                    "name",
                    "circumstances",
                    "penalty_kinds",
                    "fine_min",
                    "fine_max",
                    "multiple_min",
                    "multiple_max",
                ),
            ),
            ip=client_ip(request),
        )

    if request.method == "POST" and all([form.is_valid(), bases.is_valid(), tiers.is_valid()]):
        response = act_on_form(
            request,
            form,
            save,
            done=lambda item: f"已保存：{item.code} 第 {item.version} 版" if instance else "事项已新增",
            then=lambda item: ("registry:power_item_detail", item.pk),
        )
        if response:
            return response
    title = f"修改事项（生成新版本）：{instance}" if instance else "新增权责清单事项"
    return render(
        request,
        "registry/power_item_form.html",
        {
            "title": title,
            "form": form,
            "bases": bases,
            "tiers": tiers,
            "instance": instance,
            "back_url": reverse("registry:power_item_detail", args=[pk]) if pk else reverse("registry:power_item_list"),
        },
    )


# ---- officers

OFFICER_HEADERS = [
    "姓名",
    "身份证号",
    "所属执法主体",
    "职务/岗位",
    "执法证编号",
    "有效期起",
    "有效期止",
    "证件状态",
    "在岗",
]


@permission_required("registry.view")
def officer_list_view(request):
    agencies = selectors.agency_list(user=request.user)
    f = forms.OfficerFilterForm(request.GET, agencies=agencies)
    qs = selectors.officer_list(
        user=request.user, q=f.value("q", ""), agency=f.value("agency"), cert_status=f.value("cert_status", "")
    )
    if _wants_xlsx(request):
        labels = dict(selectors.Certificate.STATUSES)
        rows = (
            [
                o.name,
                mask_id_number(o.id_number),
                o.agency.unit.name,
                o.post,
                o.cert_number or "",
                o.cert_valid_from,
                o.cert_valid_to,
                labels.get(o.cert_status, "无证"),
                o.is_active,
            ]
            for o in qs
        )
        return xlsx_response(export_filename("执法人员"), OFFICER_HEADERS, rows, sheet="执法人员")
    page = _registry_page(request, qs)
    today = timezone.localdate()
    for o in page.object_list:
        o.id_masked = mask_id_number(o.id_number)
        o.cert_state = selectors.certificate_state_of(
            status=o.cert_status, valid_from=o.cert_valid_from, valid_to=o.cert_valid_to, today=today
        )
    return render(
        request,
        "registry/officer_list.html",
        {
            "filter": f,
            "page": page,
            "can_manage": _can_manage(request),
            "state_labels": selectors.CERT_STATE_LABELS,
        },
    )


@permission_required("registry.view")
def officer_detail_view(request, pk: int):
    officer = selectors.officer_get(user=request.user, pk=pk)
    reveal_error = ""
    try:
        reason = reveal_request(request)
    except DomainError as exc:
        reason, reveal_error = None, exc.message
    revealed = reason is not None and selectors.officer_may_reveal(user=request.user)
    today = timezone.localdate()
    certificates = list(selectors.officer_certificates(officer=officer))
    for c in certificates:
        c.state = selectors.certificate_state(c, today=today)
        c.days_left = (c.valid_to - today).days
    return render(
        request,
        "registry/officer_detail.html",
        {
            "officer": officer,
            "can_manage": _can_manage(request),
            "may_reveal": selectors.officer_may_reveal(user=request.user),
            "revealed": revealed,
            "reveal_error": reveal_error,
            "id_display": selectors.officer_id_number_display(
                user=request.user, officer=officer, reveal_reason=reason, ip=client_ip(request)
            ),
            "certificates": certificates,
            "state_labels": selectors.CERT_STATE_LABELS,
            "training": selectors.officer_training(officer=officer),
            "training_min": selectors.training_min_hours(),
            "status_form": forms.CertificateStatusForm(),
            "today": today,
        },
    )


@permission_required("registry.manage")
def officer_edit_view(request, pk: int | None = None):
    instance = selectors.officer_get(user=request.user, pk=pk) if pk else None
    initial = None
    if instance:
        # The ID number is not put back into the form (that would be an unaudited unmasked view): blank keeps it.
        initial = {
            "agency": instance.agency_id,
            "name": instance.name,
            "post": instance.post,
            "is_active": instance.is_active,
        }
    elif request.GET.get("agency"):
        initial = {"agency": request.GET["agency"]}
    form = forms.OfficerForm(
        request.POST or None,
        initial=initial,
        agencies=selectors.agency_list(user=request.user),
        masked_id=mask_id_number(instance.id_number) if instance else "",
    )

    def save(data):
        return services.officer_save(
            by=request.user,
            instance=instance,
            agency=data["agency"],
            name=data["name"],
            id_number=data["id_number"] or (instance.id_number if instance else ""),
            post=data["post"],
            user=instance.user if instance else None,
            is_active=data["is_active"],
            ip=client_ip(request),
        )

    return act_on_form(
        request, form, save, done="执法人员已保存", then=lambda officer: ("registry:officer_detail", officer.pk)
    ) or _registry_form_page(
        request,
        title=f"编辑执法人员：{instance}" if instance else "新增执法人员",
        form=form,
        back_url=reverse("registry:officer_detail", args=[pk]) if pk else reverse("registry:officer_list"),
    )


@permission_required("registry.manage")
def certificate_create_view(request, pk: int):
    officer = selectors.officer_get(user=request.user, pk=pk)
    form = forms.CertificateForm(request.POST or None)
    return act_on_form(
        request,
        form,
        lambda d: services.certificate_save(by=request.user, officer=officer, ip=client_ip(request), **d),
        done="执法证已登记",
        then=("registry:officer_detail", officer.pk),
    ) or _registry_form_page(
        request,
        title=f"登记执法证：{officer}",
        form=form,
        back_url=reverse("registry:officer_detail", args=[officer.pk]),
    )


@permission_required("registry.manage")
@require_POST
def certificate_status_view(request, pk: int, cert_pk: int):
    officer = selectors.officer_get(user=request.user, pk=pk)
    certificate = selectors.officer_certificates(officer=officer).filter(pk=cert_pk).first()
    if certificate is None:
        raise Http404("记录不存在或无权访问")
    form = forms.CertificateStatusForm(request.POST)
    back = ("registry:officer_detail", officer.pk)
    if not form.is_valid():
        messages.error(request, "请选择证件状态")
        return redirect(*back)
    return act(
        request,
        lambda: services.certificate_set_status(
            by=request.user, certificate=certificate, ip=client_ip(request), **form.cleaned_data
        ),
        done=lambda _: f"执法证 {certificate.number} 状态已改为“{certificate.get_status_display()}”",
        then=back,
    )


@permission_required("registry.manage")
def training_create_view(request, pk: int):
    officer = selectors.officer_get(user=request.user, pk=pk)
    form = forms.TrainingForm(request.POST or None, initial={"year": timezone.localdate().year})

    def save(data):
        return services.training_record_save(
            by=request.user,
            officer=officer,
            year=data["year"],
            hours=data["hours"],
            exam_score=data["exam_score"] or None,
            exam_passed={"1": True, "0": False}.get(data["exam_passed"]),
            ip=client_ip(request),
        )

    then = ("registry:officer_detail", officer.pk)
    return act_on_form(request, form, save, done="培训考试记录已保存", then=then) or _registry_form_page(
        request,
        title=f"登记培训考试：{officer}",
        form=form,
        back_url=reverse("registry:officer_detail", args=[officer.pk]),
    )


# ---- Excel import (a fresh importer per run: the power item importer keeps state between rows)


def _registry_importer(request, key):
    importer = registry_imports.importer_for(key)
    if importer is None:
        raise Http404("没有这种导入")
    if not importer.allowed(request.user):
        raise PermissionDenied("无权访问")
    return importer


def _registry_import_page(request, importer, *, file_error="", result=None, token=""):
    return render(
        request,
        "core/admin/import.html",
        {
            "importer": importer,
            "file_error": file_error,
            "result": result,
            "token": token,
            "list_url": reverse(importer.list_url_name),
            "notes": getattr(importer, "notes", []),
            "urls": core_imports.import_urls(importer.key, token=token, namespace="registry", prefix="registry_import"),
        },
    )


@permission_required("registry.manage")
def registry_import_view(request, key):
    importer = _registry_importer(request, key)
    if request.method != "POST":
        return _registry_import_page(request, importer)
    uploaded = request.FILES.get("file")
    try:
        token = core_imports.upload_store(user=request.user, uploaded=uploaded)
        if core_imports.upload_is_large(
            uploaded
        ):  # checked by a job: its page shows the progress, then the confirmation
            return redirect("core:job_detail", _registry_import_job_start(request, importer, token, check_only=True).pk)
        result = core_imports.import_file(importer, user=request.user, token=token, commit=False, ip=client_ip(request))
    except DomainError as exc:
        return _registry_import_page(request, importer, file_error=exc.message)
    return _registry_import_page(request, importer, result=result, token=token)


def _registry_import_job_start(request, importer, token, *, check_only=False):
    return core_imports.import_job_start(
        importer,
        by=request.user,
        name=f"registry:{importer.key}",
        token=token,
        page_url=reverse("registry:registry_import", args=[importer.key]),
        confirm_url=reverse("registry:registry_import_confirm", args=[importer.key]),
        ip=client_ip(request),
        check_only=check_only,
    )


@permission_required("registry.manage")
@require_POST
def registry_import_confirm_view(request, key):
    """The import runs as a job (我的任务): its page shows the progress, the rows imported or every error."""
    importer = _registry_importer(request, key)
    try:
        job = _registry_import_job_start(request, importer, request.POST.get("token", ""))
    except DomainError as exc:
        return _registry_import_page(request, importer, file_error=exc.message)
    return redirect("core:job_detail", job.pk)


@permission_required("registry.manage")
def registry_import_template_view(request, key):
    importer = _registry_importer(request, key)
    return xlsx_file_response(f"{importer.title}导入模板.xlsx", registry_imports.registry_template_xlsx(importer))


@permission_required("registry.manage")
def registry_import_errors_view(request, key, token):
    importer = _registry_importer(request, key)
    try:
        result = core_imports.import_file(importer, user=request.user, token=token, commit=False, ip=client_ip(request))
    except DomainError as exc:
        raise Http404(exc.message) from None
    return xlsx_file_response(f"{importer.title}导入错误清单.xlsx", core_imports.errors_xlsx(result))
