"""Staff pages of penalty cases (thin: parse, call service/selector, render)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.cases import forms, selectors, services
from fazhi.cases import imports as case_import
from fazhi.cases import stages as stage_rules
from fazhi.cases.permissions import case_actions, case_supervision_actions, disclosure_actions
from fazhi.cases.related import related_for
from fazhi.cases.rules import RULES
from fazhi.core.actions import act_on_form
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError
from fazhi.core.exports import export_filename, xlsx_file_response, xlsx_response
from fazhi.core.scope import has_permission
from fazhi.registry.rules import PENALTY_KINDS

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
        "cases/case_list.html",
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
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/case_form.html",
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
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/case_form.html",
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
        "cases/case_detail.html",
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
            "related": related_for(user=request.user, case=case),
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

    def advance(data):
        data = {key: (value.pk if key in ("tier", "list_entry") and value is not None else value)
                for key, value in data.items()}  # fmt: skip
        files = request.FILES.getlist(f"{stage}-attachments")
        return services.case_advance(case=case, by=request.user, stage=stage, data=data, attachments=files,
                                     ip=client_ip(request))  # fmt: skip

    done = f"已办理“{stage_rules.STAGE_LABELS[stage]}”"
    back = ("cases:case_detail", case.pk)
    return act_on_form(request, form, advance, done=done, then=back) or _case_detail(
        request, case, stage_forms={stage: form}, status=422
    )


@require_POST
@permission_required("case.handle")
def case_extend_view(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    form = forms.ExtensionForm(request.POST, prefix="ext")
    return act_on_form(
        request,
        form,
        lambda d: services.case_extend(case=case, by=request.user, ip=client_ip(request), **d),
        done=lambda _: f"已延长办案期限 {form.cleaned_data['days']} 日",
        then=("cases:case_detail", case.pk),
    ) or _case_detail(request, case, extension_form=form, status=422)


@require_POST
@permission_required("disclosure.manage")
def disclosure_withdraw_view(request, pk: int):
    disclosure = selectors.disclosure_get(user=request.user, pk=pk)
    form = forms.WithdrawForm(request.POST, prefix="wd")

    def withdraw(d):
        return services.disclosure_withdraw(disclosure=disclosure, by=request.user, reason=d["reason"],
                                            ip=client_ip(request))  # fmt: skip

    done = act_on_form(request, form, withdraw, done="已撤回公示", then=("cases:case_detail", disclosure.case_id))
    if done:
        return done
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
    return render(request, "cases/case_compliance.html", {"period": period, "by_agency": by_agency, "by_rule": by_rule})


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
    return render(
        request,
        "cases/case_warnings.html",
        {
            "page": page,
            "filter": form,
            "rules": RULES,
            "can_check_all": "bulk_check" in case_supervision_actions(user=request.user),
        },
    )


@require_POST
@permission_required("case.supervise")
def case_check_all_view(request):
    """「立即全面校验」: the bulk check as a job; its page shows the progress and the summary."""
    from fazhi.cases.bulk_checks import cases_check_all_start

    job = cases_check_all_start(by=request.user)
    return redirect("core:job_detail", job.pk)
