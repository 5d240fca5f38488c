"""Public complaint pages (no login, mobile first): the form, the receipt, the status page, the rating."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from fazhi.complaints import antibot, forms, selectors, services
from fazhi.complaints.services import ANONYMOUS_NOTE
from fazhi.core.audit import client_ip
from fazhi.core.decorators import public
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.forms import add_domain_error

SESSION_RECEIPT = "complaint_receipt"
SESSION_VERIFIED = "complaint_verified"


def _form_error(form, exc: DomainError) -> None:
    """Every problem the service found, each on its field (all at once: the citizen fixes them in one go)."""
    add_domain_error(form, exc, above=("form_token", "website"))


@public
@never_cache
def complaint_form_view(request):
    if request.method == "POST":
        form = forms.PublicComplaintForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                nonce = antibot.check_token(data["form_token"], honeypot=data["website"])
                refused = []
                try:
                    agency = selectors.agency_by_name(name=data["agency"])
                except DomainError as exc:
                    agency, refused = None, [exc]
                complaint, password = services.complaint_submit(
                    channel="web",
                    category=data["category"],
                    description=data["description"],
                    place=data["place"],
                    party=data["party"],
                    occurred_on=data["occurred_on"],
                    agency_named=agency,
                    anonymous=data["anonymous"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    consent=data["consent"],
                    files=request.FILES.getlist("attachments"),
                    ip=client_ip(request),
                    submit_token=f"web:{nonce}",
                    refused=refused,
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                request.session[SESSION_RECEIPT] = {"code": complaint.tracking_code, "password": password}
                return redirect("complaints_public:receipt")
        # A fresh token for the next try only when the old one was unusable; otherwise keep the same key.
        if form.errors.get("form_token") or "form_token" not in form.data:
            form.data = form.data.copy()
            form.data["form_token"] = antibot.issue_token()
    else:
        form = forms.PublicComplaintForm(initial={"form_token": antibot.issue_token()})
    return render(
        request,
        "complaints/public_form.html",
        {
            "form": form,
            "agencies": selectors.assignable_agencies().values_list("name", flat=True),
            "anonymous_note": ANONYMOUS_NOTE,
        },
    )


@public
@never_cache
def complaint_receipt_view(request):
    receipt = request.session.get(SESSION_RECEIPT)
    if not receipt:
        return redirect("complaints_public:form")
    return render(request, "complaints/public_receipt.html", {"receipt": receipt})


def _show_status(request, complaint, *, rating_form=None):
    request.session[SESSION_VERIFIED] = complaint.tracking_code
    view = selectors.public_view(complaint=complaint)
    return render(
        request,
        "complaints/public_status.html",
        {
            "view": view,
            "rating_form": rating_form or forms.RatingForm(initial={"code": complaint.tracking_code}),
            "query_form": None,
        },
    )


@public
@never_cache
def complaint_status_view(request):
    if request.method == "POST":
        form = forms.StatusQueryForm(request.POST)
        if form.is_valid():
            try:
                complaint = services.complaint_public_query(
                    code=form.cleaned_data["code"], password=form.cleaned_data["password"], ip=client_ip(request)
                )
            except NotFound as exc:
                form.add_error(None, exc.message)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return _show_status(request, complaint)
    else:
        form = forms.StatusQueryForm(initial={"code": request.GET.get("code", "")})
    return render(request, "complaints/public_status.html", {"query_form": form, "view": None})


@public
@never_cache
def complaint_rate_view(request):
    """Rating after a successful query in this browser session (the code is remembered, not the password)."""
    if request.method != "POST":
        return redirect("complaints_public:status")
    form = forms.RatingForm(request.POST)
    code = request.POST.get("code", "")
    if not code or request.session.get(SESSION_VERIFIED) != code:
        return redirect("complaints_public:status")
    try:
        complaint = selectors.public_complaint_by_code(code=code)
    except NotFound:
        return redirect("complaints_public:status")
    if form.is_valid():
        try:
            complaint = services.complaint_rate(
                complaint=complaint,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _show_status(request, complaint)
    return _show_status(request, complaint, rating_form=form)
