"""Staff pages of the enforcement registry and cases (thin: parse, call service/selector, render)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import imports as core_imports
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError
from fazhi.core.exports import export_filename, xlsx_file_response, xlsx_response
from fazhi.core.masking import mask_id_number
from fazhi.core.reveal import reveal_request
from fazhi.core.scope import has_permission
from fazhi.enforcement import case_import, forms, registry_imports, selectors, services
from fazhi.enforcement import stages as stage_rules
from fazhi.enforcement.permissions import case_actions, disclosure_actions, registry_actions
from fazhi.enforcement.rules import PENALTY_KINDS, RULES

# ---------------------------------------------------------------- registry: agencies, power items, officers

REGISTRY_PER_PAGE = 20


def _registry_page(request, qs):
    return Paginator(qs, REGISTRY_PER_PAGE).get_page(request.GET.get("page"))


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _can_manage(request) -> bool:
    return "manage" in registry_actions(user=request.user)


def _require_manage(request) -> None:
    if not _can_manage(request):
        raise PermissionDenied("无权访问")


def _domain_error(form, exc: DomainError) -> None:
    """A service error beside its field; nested fields ("tiers.0.fine_max") are shown above the form."""
    if exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


def _registry_form_page(request, *, title, form, back_url, template="enforcement/registry_form.html", extra=None):
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
        "enforcement/agency_list.html",
        {"filter": f, "page": _registry_page(request, qs), "can_manage": _can_manage(request)},
    )


@permission_required("registry.view")
def agency_detail_view(request, pk: int):
    agency = selectors.agency_get(user=request.user, pk=pk)
    return render(
        request,
        "enforcement/agency_detail.html",
        {
            "agency": agency,
            "can_manage": _can_manage(request),
            "items": selectors.power_item_list(user=request.user, agency=agency),
            "entries": selectors.list_entries_for(agency=agency),
            "officers": selectors.officer_list(user=request.user, agency=agency)[:200],
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = services.agency_save(
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
        except DomainError as exc:
            _domain_error(form, exc)
        else:
            messages.success(request, "执法主体已保存")
            return redirect("enforcement:agency_detail", pk=agency.pk)
    return _registry_form_page(
        request,
        title=f"编辑执法主体：{instance}" if instance else "新增执法主体",
        form=form,
        back_url=reverse("enforcement:agency_list"),
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
    if request.method == "POST" and form.is_valid():
        try:
            services.list_entry_save(by=request.user, agency=agency, ip=client_ip(request), **form.cleaned_data)
        except DomainError as exc:
            _domain_error(form, exc)
        else:
            messages.success(request, "清单条目已保存")
            return redirect("enforcement:agency_detail", pk=agency.pk)
    return _registry_form_page(
        request,
        title=f"新增不予处罚 / 从轻减轻清单条目：{agency}",
        form=form,
        back_url=reverse("enforcement:agency_detail", args=[agency.pk]),
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
        "enforcement/power_item_list.html",
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
        "enforcement/power_item_detail.html",
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
    if request.method == "POST" and all([form.is_valid(), bases.is_valid(), tiers.is_valid()]):
        data = form.cleaned_data
        try:
            item = services.power_item_save(
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
        except DomainError as exc:
            _domain_error(form, exc)
        else:
            messages.success(request, f"已保存：{item.code} 第 {item.version} 版" if instance else "事项已新增")
            return redirect("enforcement:power_item_detail", pk=item.pk)
    title = f"修改事项（生成新版本）：{instance}" if instance else "新增权责清单事项"
    return render(
        request,
        "enforcement/power_item_form.html",
        {
            "title": title,
            "form": form,
            "bases": bases,
            "tiers": tiers,
            "instance": instance,
            "back_url": reverse("enforcement:power_item_detail", args=[pk])
            if pk
            else reverse("enforcement:power_item_list"),
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
        "enforcement/officer_list.html",
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
        "enforcement/officer_detail.html",
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer = services.officer_save(
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
        except DomainError as exc:
            _domain_error(form, exc)
        else:
            messages.success(request, "执法人员已保存")
            return redirect("enforcement:officer_detail", pk=officer.pk)
    return _registry_form_page(
        request,
        title=f"编辑执法人员：{instance}" if instance else "新增执法人员",
        form=form,
        back_url=reverse("enforcement:officer_detail", args=[pk]) if pk else reverse("enforcement:officer_list"),
    )


@permission_required("registry.manage")
def certificate_create_view(request, pk: int):
    officer = selectors.officer_get(user=request.user, pk=pk)
    form = forms.CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_save(by=request.user, officer=officer, ip=client_ip(request), **form.cleaned_data)
        except DomainError as exc:
            _domain_error(form, exc)
        else:
            messages.success(request, "执法证已登记")
            return redirect("enforcement:officer_detail", pk=officer.pk)
    return _registry_form_page(
        request,
        title=f"登记执法证：{officer}",
        form=form,
        back_url=reverse("enforcement:officer_detail", args=[officer.pk]),
    )


@permission_required("registry.manage")
@require_POST
def certificate_status_view(request, pk: int, cert_pk: int):
    officer = selectors.officer_get(user=request.user, pk=pk)
    certificate = selectors.officer_certificates(officer=officer).filter(pk=cert_pk).first()
    if certificate is None:
        raise Http404("记录不存在或无权访问")
    form = forms.CertificateStatusForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_set_status(
                by=request.user, certificate=certificate, ip=client_ip(request), **form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"执法证 {certificate.number} 状态已改为“{certificate.get_status_display()}”")
    else:
        messages.error(request, "请选择证件状态")
    return redirect("enforcement:officer_detail", pk=officer.pk)


@permission_required("registry.manage")
def training_create_view(request, pk: int):
    officer = selectors.officer_get(user=request.user, pk=pk)
    form = forms.TrainingForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.training_record_save(
                by=request.user,
                officer=officer,
                year=data["year"],
                hours=data["hours"],
                exam_score=data["exam_score"] or None,
                exam_passed={"1": True, "0": False}.get(data["exam_passed"]),
                ip=client_ip(request),
            )
        except DomainError as exc:
            _domain_error(form, exc)
        else:
            messages.success(request, "培训考试记录已保存")
            return redirect("enforcement:officer_detail", pk=officer.pk)
    return _registry_form_page(
        request,
        title=f"登记培训考试：{officer}",
        form=form,
        back_url=reverse("enforcement:officer_detail", args=[officer.pk]),
    )


# ---- Excel import (a fresh importer per run: the power item importer keeps state between rows)


def _registry_importer(request, key):
    importer = registry_imports.importer_for(key)
    if importer is None:
        raise Http404("没有这种导入")
    _require_manage(request)
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
            "urls": core_imports.import_urls(
                importer.key, token=token, namespace="enforcement", prefix="registry_import"
            ),
        },
    )


@permission_required("registry.manage")
def registry_import_view(request, key):
    importer = _registry_importer(request, key)
    if request.method != "POST":
        return _registry_import_page(request, importer)
    try:
        token = core_imports.upload_store(user=request.user, uploaded=request.FILES.get("file"))
        result = core_imports.import_file(importer, user=request.user, token=token, commit=False, ip=client_ip(request))
    except DomainError as exc:
        return _registry_import_page(request, importer, file_error=exc.message)
    return _registry_import_page(request, importer, result=result, token=token)


@permission_required("registry.manage")
@require_POST
def registry_import_confirm_view(request, key):
    importer = _registry_importer(request, key)
    token = request.POST.get("token", "")
    try:
        result = core_imports.import_file(importer, user=request.user, token=token, commit=True, ip=client_ip(request))
    except DomainError as exc:
        return _registry_import_page(request, importer, file_error=exc.message)
    if not result.committed:
        messages.error(request, "数据已变化，校验未通过，未导入任何数据")
        return _registry_import_page(request, importer, result=result, token=token)
    messages.success(request, f"已导入{importer.title} {len(result.rows)} 行")
    return redirect(importer.list_url_name)


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


# ---------------------------------------------------------------- cases

CASES_PER_PAGE = 30
CASE_HEADERS = [
    "案号",
    "案由",
    "办案机关",
    "执法事项",
    "程序",
    "阶段",
    "当事人类型",
    "当事人",
    "立案日期",
    "决定书文号",
    "决定日期",
    "罚款（元）",
    "送达日期",
    "公示日期",
    "结案日期",
    "预警数",
    "预警规则",
]


def _case_rule_choices():
    return [(code, r.title) for code, r in RULES.items()]


def _case_row(c) -> list:
    result = selectors.case_check_result(c)
    errors, rules = (result.errors, result.rules) if result else ("", [])
    return [
        c.number,
        c.title,
        c.agency.unit.name,
        f"{c.power_item.code} {c.power_item.name}",
        c.get_procedure_display(),
        c.get_stage_display(),
        c.get_party_kind_display(),
        c.party_name,
        c.filed_on,
        c.decision_number,
        c.decided_on,
        float(c.fine) if c.fine is not None else "",
        c.served_on,
        c.disclosed_on,
        c.closed_on,
        errors,
        "、".join(RULES[r].title for r in rules if r in RULES),
    ]


@permission_required("case.view")
def case_list_view(request):
    form = forms.CaseFilterForm(
        request.GET or None, agencies=selectors.case_agency_choices(user=request.user), rules=_case_rule_choices()
    )
    cases = selectors.case_list(user=request.user, filters=form.filters())
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename("行政处罚案件"),
            CASE_HEADERS,
            (_case_row(c) for c in cases.iterator(chunk_size=2000)),
            sheet="行政处罚案件",
        )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/case_list.html",
        {
            "page": page,
            "filter": form,
            "can_handle": has_permission(request.user, "case.handle"),
            "rules": RULES,
        },
    )


def _case_form(request, *, data=None, initial=None, editing=False, agency=None):
    agencies = selectors.case_agency_choices(user=request.user)
    ids = [agency.pk] if agency is not None else list(agencies.values_list("pk", flat=True))
    return forms.CaseForm(
        data,
        initial=initial,
        editing=editing,
        agencies=agencies,
        power_items=selectors.case_power_item_choices(agency_ids=ids),
        officers=selectors.case_officer_choices(agency_ids=ids),
    )


@permission_required("case.handle")
def case_create_view(request):
    agencies = selectors.case_agency_choices(user=request.user)
    own = agencies.filter(unit_id=request.user.unit_id).first()
    form = _case_form(
        request, data=request.POST or None, initial={"agency": own, "filed_on": timezone.localdate().isoformat()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_file(
                by=request.user,
                agency=d["agency"],
                power_item=d["power_item"],
                title=d["title"],
                procedure=d["procedure"],
                party_kind=d["party_kind"],
                party_name=d["party_name"],
                party_id_number=d["party_id_number"],
                party_uscc=d["party_uscc"],
                filed_on=d["filed_on"],
                violation_ended_on=d["violation_ended_on"],
                limitation_extended=d["limitation_extended"],
                major=d["major"],
                handlers=list(d["handlers"]),
                number=d["number"],
                comment=d["comment"],
                attachments=request.FILES.getlist("attachments"),
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已立案：{case.number}")
            return redirect("enforcement:case_detail", pk=case.pk)
    return render(
        request,
        "enforcement/case_form.html",
        {"form": form, "title": "行政处罚立案", "creating": True},
        status=422 if request.method == "POST" else 200,
    )


@permission_required("case.handle")
def case_edit_view(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    initial = {
        "power_item": case.power_item,
        "title": case.title,
        "procedure": case.procedure,
        "party_kind": case.party_kind,
        "party_name": case.party_name,
        "party_id_number": case.party_id_number,
        "party_uscc": case.party_uscc,
        "violation_ended_on": case.violation_ended_on.isoformat() if case.violation_ended_on else "",
        "limitation_extended": case.limitation_extended,
        "major": case.major,
        "handlers": list(case.handlers.all()),
    }
    form = _case_form(request, data=request.POST or None, initial=initial, editing=True, agency=case.agency)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["handlers"] = list(d["handlers"])
        try:
            services.case_update(by=request.user, case=case, data=d, ip=client_ip(request))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "案件信息已保存")
            return redirect("enforcement:case_detail", pk=case.pk)
    return render(
        request,
        "enforcement/case_form.html",
        {"form": form, "title": f"修改案件 {case.number}", "case": case},
        status=422 if request.method == "POST" else 200,
    )


def _stage_form(case, stage, data=None):
    cls = forms.STAGE_FORMS[stage]
    if stage == "decision":
        return cls(
            data,
            prefix=stage,
            tiers=selectors.case_tier_choices(case=case),
            entries=selectors.case_exempt_entries(case=case),
            penalty_kinds=PENALTY_KINDS,
            initial={"decided_on": timezone.localdate().isoformat()},
        )
    initial = {}
    if stage in ("service", "closed", "execution", "legal_review", "notice", "disclosure"):
        key = {
            "service": "served_on",
            "closed": "closed_on",
            "execution": "executed_on",
            "legal_review": "legal_review_on",
            "notice": "notified_on",
            "disclosure": "disclosed_on",
        }[stage]
        initial[key] = timezone.localdate().isoformat()
    return cls(data, prefix=stage, initial=initial)


def _case_detail(request, case, *, stage_forms=None, extension_form=None, withdraw_form=None, status=200):
    actions = case_actions(user=request.user, obj=case)
    next_stages = stage_rules.next_stages(case) if "advance" in actions else []
    stage_forms = stage_forms or {}
    forms_list = [(s, stage_rules.STAGE_LABELS[s], stage_forms.get(s) or _stage_form(case, s)) for s in next_stages]
    disclosure = selectors.case_disclosure(case=case)
    return render(
        request,
        "enforcement/case_detail.html",
        {
            "case": case,
            "checks": selectors.case_checks(case=case),
            "stepper": stage_rules.stepper(case),
            "handlers": selectors.case_handlers(case=case),
            "events": selectors.case_timeline(case=case),
            "stage_clocks": selectors.case_stage_clocks(case=case),
            "party_code": selectors.case_party_display(user=request.user, case=case, ip=client_ip(request)),
            "extensions": selectors.case_extensions(case=case),
            "stage_forms": forms_list,
            "actions": actions,
            "can_handle": "advance" in actions,
            "can_extend": "extend" in actions,
            "extension_form": extension_form or forms.ExtensionForm(prefix="ext"),
            "disclosure": disclosure,
            "can_withdraw": "withdraw" in disclosure_actions(user=request.user, obj=disclosure),
            "withdraw_form": withdraw_form or forms.WithdrawForm(prefix="wd"),
            "rules": RULES,
        },
        status=status,
    )


@permission_required("case.view")
def case_detail_view(request, pk: int):
    return _case_detail(request, selectors.case_get(user=request.user, pk=pk))


@require_POST
@permission_required("case.handle")
def case_advance_view(request, pk: int, stage: str):
    case = selectors.case_get(user=request.user, pk=pk)
    if stage not in forms.STAGE_FORMS:
        raise Http404("阶段不存在")
    form = _stage_form(case, stage, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        for key in ("tier", "list_entry"):
            if data.get(key) is not None:
                data[key] = data[key].pk
        try:
            services.case_advance(
                case=case,
                by=request.user,
                stage=stage,
                data=data,
                attachments=request.FILES.getlist(f"{stage}-attachments"),
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已办理“{stage_rules.STAGE_LABELS[stage]}”")
            return redirect("enforcement:case_detail", pk=case.pk)
    return _case_detail(request, case, stage_forms={stage: form}, status=422)


@require_POST
@permission_required("case.handle")
def case_extend_view(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    form = forms.ExtensionForm(request.POST, prefix="ext")
    if form.is_valid():
        try:
            services.case_extend(case=case, by=request.user, ip=client_ip(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已延长办案期限 {form.cleaned_data['days']} 日")
            return redirect("enforcement:case_detail", pk=case.pk)
    return _case_detail(request, case, extension_form=form, status=422)


@require_POST
@permission_required("disclosure.manage")
def disclosure_withdraw_view(request, pk: int):
    disclosure = selectors.disclosure_get(user=request.user, pk=pk)
    form = forms.WithdrawForm(request.POST, prefix="wd")
    if form.is_valid():
        try:
            services.disclosure_withdraw(
                disclosure=disclosure, by=request.user, reason=form.cleaned_data["reason"], ip=client_ip(request)
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已撤回公示")
            return redirect("enforcement:case_detail", pk=disclosure.case_id)
    case = selectors.case_get(user=request.user, pk=disclosure.case_id)
    return _case_detail(request, case, withdraw_form=form, status=422)


@permission_required("case.handle")
def case_import_view(request):
    return redirect("core:import", key=case_import.CaseImporter.key)


COMPLIANCE_HEADERS = ["办案机关", "已校验案件数", "有预警案件数", "合规率（%）"]
RULE_HEADERS = ["规则", "依据", "已校验案件数", "违反案件数", "合规率（%）"]


@permission_required("case.supervise")
def case_compliance_view(request):
    period = forms.PeriodForm(request.GET or None)
    kwargs = {"date_from": period.value("date_from"), "date_to": period.value("date_to")}
    by_agency = selectors.compliance_by_agency(user=request.user, **kwargs)
    by_rule = selectors.compliance_by_rule(user=request.user, **kwargs)
    if request.GET.get("format") == "xlsx":
        return xlsx_file_response(export_filename("执法合规统计"), compliance_xlsx(by_agency, by_rule))
    return render(
        request, "enforcement/case_compliance.html", {"period": period, "by_agency": by_agency, "by_rule": by_rule}
    )


def compliance_xlsx(by_agency, by_rule) -> bytes:
    """Two sheets: per agency and per rule."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for title, headers, rows in (
        ("按办案机关", COMPLIANCE_HEADERS, [[r["agency"], r["checked"], r["errors"], r["rate"]] for r in by_agency]),
        ("按规则", RULE_HEADERS, [[r["title"], r["citation"], r["checked"], r["errors"], r["rate"]] for r in by_rule]),
    ):
        ws = book.add_worksheet(title)
        ws.write_row(0, 0, headers, bold)
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, ["" if v is None else v for v in row])
        ws.set_column(0, 1, 30)
    book.close()
    return buffer.getvalue()


@permission_required("case.supervise")
def case_warning_list_view(request):
    form = forms.CaseFilterForm(
        request.GET or None, agencies=selectors.case_agency_choices(user=request.user), rules=_case_rule_choices()
    )
    f = form.filters()
    cases = selectors.warning_list(user=request.user, agency=f.agency, rule=f.rule)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename("风险预警"),
            CASE_HEADERS,
            (_case_row(c) for c in cases.iterator(chunk_size=2000)),
            sheet="风险预警",
        )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "enforcement/case_warnings.html", {"page": page, "filter": form, "rules": RULES})
