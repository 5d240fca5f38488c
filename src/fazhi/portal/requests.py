"""Public pages of 建议提案 and 依申请公开 (no login, mobile first): the disclosure request form, its receipt and
status page; the published replies to deputies' suggestions and CPPCC proposals; the proposer's rating page,
reached through his signed link only."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from fazhi.complaints import antibot
from fazhi.core.audit import client_ip
from fazhi.core.decorators import public
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.forms import add_domain_error
from fazhi.requests import forms, rules, selectors, services

SESSION_RECEIPT = "disclosure_receipt"


# ---------------------------------------------------------------- information disclosure on request


@public
@never_cache
def disclosure_form_view(request):
    if request.method == "POST":
        form = forms.PublicDisclosureForm(request.POST)
        try:
            services.public_rate_check(ip=client_ip(request))
        except DomainError as exc:
            form.is_valid()
            form.add_error(None, exc.message)
            return _form_page(request, form, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                nonce = antibot.check_token(data["form_token"], honeypot=data["website"])
                refused, agency = [], None
                try:
                    agency = selectors.unit_by_name(name=data["agency"], field="agency")
                except DomainError as exc:
                    refused = [exc]
                request_obj, password = services.disclosure_submit_public(
                    agency=agency,
                    applicant_kind=data["applicant_kind"],
                    org_type=data["org_type"],
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    content=data["content"],
                    form_wanted=data["form_wanted"],
                    consent=data["consent"],
                    ip=client_ip(request),
                    submit_token=f"portal:{nonce}",
                    refused=refused,
                )
            except DomainError as exc:
                add_domain_error(form, exc, above=("form_token", "website"))
            else:
                request.session[SESSION_RECEIPT] = {"code": request_obj.tracking_code, "password": password}
                return redirect("portal:disclosure_receipt")
        if form.errors.get("form_token") or "form_token" not in form.data:
            form.data = form.data.copy()
            form.data["form_token"] = antibot.issue_token()
        return _form_page(request, form, status=422 if form.errors else 200)
    return _form_page(request, forms.PublicDisclosureForm(initial={"form_token": antibot.issue_token()}))


def _form_page(request, form, *, status=200):
    return render(
        request,
        "portal/requests/disclosure_form.html",
        {
            "form": form,
            "agencies": selectors.public_agencies().values_list("name", flat=True),
            "answer_days": rules.ANSWER_WORKING_DAYS,
        },
        status=status,
    )


@public
@never_cache
def disclosure_receipt_view(request):
    receipt = request.session.get(SESSION_RECEIPT)
    if not receipt:
        return redirect("portal:disclosure_form")
    return render(
        request,
        "portal/requests/disclosure_receipt.html",
        {"receipt": receipt, "correction_days": rules.CORRECTION_NOTICE_WORKING_DAYS},
    )


@public
@never_cache
def disclosure_status_view(request):
    view, status = None, 200
    if request.method == "POST":
        form = forms.StatusQueryForm(request.POST)
        if form.is_valid():
            try:
                found = services.disclosure_public_query(
                    code=form.cleaned_data["code"], password=form.cleaned_data["password"], ip=client_ip(request)
                )
            except NotFound as exc:
                form.add_error(None, exc.message)
                status = 404
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                view = selectors.public_request_view(request=found)
        else:
            status = 422
    else:
        form = forms.StatusQueryForm(initial={"code": request.GET.get("code", "")})
    return render(request, "portal/requests/disclosure_status.html", {"form": form, "view": view}, status=status)


# ---------------------------------------------------------------- replies to suggestions and proposals


@public
def proposal_list_view(request):
    session = request.GET.get("session", "")
    replies = selectors.public_reply_list(
        q=request.GET.get("q", ""), session=int(session) if session.isdigit() else None
    )
    page = Paginator(replies, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/requests/proposal_list.html",
        {"page": page, "filters": request.GET, "sessions": selectors.session_list()},
    )


@public
def proposal_detail_view(request, pk: int):
    try:
        proposal = selectors.public_proposal_get(pk=pk)
    except NotFound:
        raise Http404("记录不存在") from None
    return render(
        request,
        "portal/requests/proposal_detail.html",
        {
            "p": proposal,
            "replies": sorted(proposal.replies.all(), key=lambda r: r.round),
            "labels": rules.CLASSIFICATION_LABELS,
        },
    )


@public
@never_cache
def proposal_rating_view(request, pk: int, token: str):
    """The deputy's or member's rating page (两项满意度), reached through the signed link he received with the
    reply. A link of another proposal, of someone who is not the lead proposer, or past its window is refused with
    the reason; nothing is written."""
    try:
        proposal = selectors.public_rating_proposal(pk=pk)
    except NotFound:
        raise Http404("记录不存在") from None
    refusal = ""
    try:
        claim = selectors.rating_claim(token)
        if claim.proposal_id != proposal.pk:
            refusal = "该评价链接属于另一件建议（提案）：只有本件的提出人可以评价本件答复"
    except DomainError as exc:
        refusal = exc.message
    reply = selectors.proposal_current_reply(proposal)
    if not refusal and request.method != "POST" and (proposal.status != "replied" or reply is None or reply.rated_on):
        refusal = "本件答复已评价，或已在重新办理中，无需再次评价"
    form = forms.RatingForm(request.POST or None)
    done, status = None, 200
    if request.method == "POST":
        try:
            services.public_rate_check(ip=client_ip(request), scope="proposal-rating")
            if form.is_valid():
                reply = services.proposal_rate_by_link(
                    proposal=proposal,
                    token=token,
                    attitude=form.cleaned_data["attitude"],
                    result=form.cleaned_data["result"],
                    comment=form.cleaned_data["comment"],
                    ip=client_ip(request),
                )
                done = reply
        except DomainError as exc:
            if exc.field in form.fields:
                add_domain_error(form, exc)
            else:
                refusal = exc.message
            status = 429 if exc.field == "rate" else 422
    elif refusal:
        status = 422
    return render(
        request,
        "portal/requests/rating.html",
        {
            "p": proposal,
            "reply": reply if not refusal else None,
            "form": form,
            "done": done,
            "refusal": refusal,
            "basis": rules.RATING_BASIS,
        },
        status=status,
    )
