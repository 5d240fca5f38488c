"""Public pages of 依法决策 (no login, mobile first): the annual catalogues of major decisions, draft decisions open
for comment (the comment form, moderated; the commenter reads the answer with his code), published decisions, the
full-text search over published normative documents and decisions, documents with their state (a repealed or expired
one says so), cleanup results."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import public
from fazhi.core.errors import DomainError
from fazhi.core.forms import add_domain_error
from fazhi.rulemaking import antibot, rules, selectors, services
from fazhi.rulemaking.forms import CommentForm, LookupForm, PortalSearchForm

SESSION_RECEIPT = "rulemaking_comment_receipt"


@public
def home_view(request):
    today = timezone.localdate()
    consultations = list(selectors.public_consultations(today=today)[:10])
    for c in consultations:
        c.is_open = rules.comment_open(starts_on=c.starts_on, ends_on=c.ends_on, today=today)
    return render(
        request,
        "portal/rulemaking/home.html",
        {
            "catalogues": selectors.public_catalogues()[:10],
            "consultations": consultations,
            "recent": selectors.portal_search(limit=10).rows,
            "cleanups": selectors.public_cleanups()[:5],
            "form": PortalSearchForm(),
        },
    )


@public
def search_view(request):
    form = PortalSearchForm(request.GET or None)
    page = selectors.portal_search(
        q=form.value("q"), kind=form.value("kind"), state=form.value("state"), cursor=request.GET.get("cursor", "")
    )
    return render(
        request,
        "portal/rulemaking/search.html",
        {"form": form, "page": page, "first_page": not request.GET.get("cursor")},
    )


@public
def catalogue_view(request, pk: int):
    catalogue = selectors.public_catalogue_get(pk)
    return render(
        request,
        "portal/rulemaking/catalogue.html",
        {
            "catalogue": catalogue,
            "decisions": selectors.public_catalogue_decisions(catalogue),
            "adjustments": catalogue.adjustments.select_related("decision"),
            "citation": rules.CATALOGUE_CITATION,
        },
    )


@public
def consultation_list_view(request):
    today = timezone.localdate()
    consultations = list(selectors.public_consultations(today=today)[:100])
    for c in consultations:
        c.is_open = rules.comment_open(starts_on=c.starts_on, ends_on=c.ends_on, today=today)
    return render(request, "portal/rulemaking/consultations.html", {"consultations": consultations})


def _consultation_page(request, consultation, form, status=200):
    today = timezone.localdate()
    answered = consultation.answers_published_on is not None
    return render(
        request,
        "portal/rulemaking/consultation.html",
        {
            "c": consultation,
            "d": consultation.decision,
            "is_open": rules.comment_open(starts_on=consultation.starts_on, ends_on=consultation.ends_on, today=today),
            "answered": answered,
            "comments": selectors.public_comments(consultation),
            "hearing": selectors.hearing_of(consultation.decision),
            "materials": consultation.materials.all(),
            "form": form,
            "citation": rules.COMMENT_CITATION,
            "min_days": rules.COMMENT_MIN_DAYS,
        },
        status=status,
    )


@public
@never_cache
def consultation_view(request, pk: int):
    consultation = selectors.public_consultation_get(pk)
    if request.method != "POST":
        return _consultation_page(request, consultation, CommentForm(initial={"form_token": antibot.issue_token()}))
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            antibot.check_token(data["form_token"], honeypot=data["website"])
            _, code = services.comment_submit(
                consultation=consultation,
                content=data["content"],
                name=data["name"],
                contact=data["contact"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_domain_error(form, exc, above=("form_token", "website"))
        else:
            request.session[SESSION_RECEIPT] = {"code": code, "consultation": consultation.pk}
            return redirect("portal:rulemaking_comment_receipt")
    if form.errors.get("form_token") or not form.data.get("form_token"):
        form.data = form.data.copy()
        form.data["form_token"] = antibot.issue_token()
    return _consultation_page(request, consultation, form, status=422)


@public
@never_cache
def comment_receipt_view(request):
    receipt = request.session.get(SESSION_RECEIPT)
    if not receipt:
        return redirect("portal:rulemaking_consultations")
    return render(request, "portal/rulemaking/receipt.html", {"receipt": receipt})


@public
@never_cache
def comment_lookup_view(request):
    comment, form = None, LookupForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_lookup(code=form.cleaned_data["code"], ip=client_ip(request))
        except DomainError as exc:
            form.add_error("code", exc.message)
    answered = bool(comment and comment.consultation.answers_published_on)
    return render(
        request,
        "portal/rulemaking/lookup.html",
        {"form": form, "comment": comment, "answered": answered},
        status=422 if form.errors else 200,
    )


@public
def document_view(request, pk: int):
    document = selectors.public_document_get(pk)
    state = rules.portal_state(state=document.state, valid_until=document.valid_until, today=timezone.localdate())
    return render(request, "portal/rulemaking/document.html", {"doc": document, "state": state})


@public
def decision_view(request, pk: int):
    decision = selectors.public_decision_get(pk)
    return render(
        request,
        "portal/rulemaking/decision.html",
        {"d": decision, "consultation": selectors.consultation_of(decision)},
    )


@public
def cleanup_view(request, pk: int):
    campaign = selectors.public_cleanup_get(pk)
    return render(
        request,
        "portal/rulemaking/cleanup.html",
        {"campaign": campaign, "entries": campaign.entries.select_related("document", "document__issuer")},
    )


@public
def material_view(request, pk: int):
    return attachment_response(selectors.public_material(pk))
