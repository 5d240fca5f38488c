"""Public 行政复议 pages (no login, mobile first): the online application (《行政复议法》第二十二条第二款: 互联网渠道),
its receipt with the tracking code and password, the status page, and the decisions published under 第七十九条."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from fazhi.complaints import antibot
from fazhi.core.audit import client_ip
from fazhi.core.decorators import public
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.forms import add_domain_error
from fazhi.disputes import forms, selectors, services

SESSION_RECEIPT = "reconsideration_receipt"


def _form_error(form, exc: DomainError) -> None:
    errors = [{**e, "field": (e.get("field") or "").replace(".", "_")} for e in exc.errors]
    add_domain_error(
        form,
        DomainError(exc.message, field=exc.field.replace(".", "_"), errors=errors),
        above=("form_token", "website"),
    )


@public
@never_cache
def apply_view(request):
    if request.method == "POST":
        form = forms.PublicApplicationForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                nonce = antibot.check_token(d["form_token"], honeypot=d["website"])
                rc, password = services.reconsideration_apply_online(
                    applicant={
                        "kind": d["applicant_kind"],
                        "name": d["applicant_name"],
                        "id_number": d["applicant_id_number"],
                        "uscc": d["applicant_uscc"],
                        "phone": d["applicant_phone"],
                        "address": d["applicant_address"],
                    },
                    respondent_name=d["respondent"],
                    act=d["act"],
                    known_on=d["known_on"],
                    request=d["request"],
                    facts=d["facts"],
                    act_number=d["act_number"],
                    told_of_right=d["told_of_right"],
                    consent=d["consent"],
                    files=request.FILES.getlist("attachments"),
                    ip=client_ip(request),
                    submit_token=f"web:{nonce}",
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                request.session[SESSION_RECEIPT] = {
                    "code": rc.tracking_code,
                    "password": password,
                    "warnings": [w.as_dict() for w in selectors.reconsideration_warnings(rc=rc)],
                    "respondent": rc.respondent_unit.name,
                    "body": rc.body_unit.name,
                }
                return redirect("portal:reconsideration_receipt")
        if form.errors.get("form_token") or "form_token" not in form.data:
            form.data = form.data.copy()
            form.data["form_token"] = antibot.issue_token()
    else:
        form = forms.PublicApplicationForm(initial={"form_token": antibot.issue_token()})
    return render(
        request,
        "portal/reconsideration/apply.html",
        {"form": form, "respondents": selectors.respondent_choices().values_list("unit__name", flat=True)},
    )


@public
@never_cache
def receipt_view(request):
    receipt = request.session.get(SESSION_RECEIPT)
    if not receipt:
        return redirect("portal:reconsideration_apply")
    return render(request, "portal/reconsideration/receipt.html", {"receipt": receipt})


@public
@never_cache
def status_view(request):
    view = None
    if request.method == "POST":
        form = forms.PublicQueryForm(request.POST)
        if form.is_valid():
            try:
                rc = services.reconsideration_public_query(
                    code=form.cleaned_data["code"], password=form.cleaned_data["password"], ip=client_ip(request)
                )
            except (NotFound, DomainError) as exc:
                form.add_error(None, exc.message)
            else:
                view = selectors.public_view(rc=rc)
    else:
        form = forms.PublicQueryForm(initial={"code": request.GET.get("code", "")})
    return render(request, "portal/reconsideration/status.html", {"form": form, "view": view})


@public
def decision_list_view(request):
    q = request.GET.get("q", "")
    page = Paginator(selectors.public_decisions(q=q), 20).get_page(request.GET.get("page"))
    return render(request, "portal/reconsideration/decisions.html", {"page": page, "q": q})


@public
def decision_detail_view(request, pk: int):
    return render(request, "portal/reconsideration/decision.html", {"rc": selectors.public_decision_get(pk=pk)})
