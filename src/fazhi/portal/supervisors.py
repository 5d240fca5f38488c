"""Public pages of 特邀行政执法监督员 (no login, mobile first): the recruitment announcements, 个人自荐 with its
receipt and status page, the 公示 with its objection form, and the roster of serving supervisors.

The forms reuse the complaint form's bot protection (complaints.antibot: a honeypot and a signed timestamp whose
nonce is also the submission's idempotency key) and its status query form."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from fazhi.complaints import antibot
from fazhi.complaints.forms import StatusQueryForm
from fazhi.core.audit import client_ip
from fazhi.core.decorators import public
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.forms import add_domain_error
from fazhi.supervision.supervisors import forms, rules, selectors, services

SESSION_RECEIPT = "invited_receipt"
ABOVE = ("form_token", "website", "campaign")


def _fresh_token(form) -> None:
    """A new token for the next try only when the old one was unusable; otherwise the same key (idempotent)."""
    if form.errors.get("form_token") or "form_token" not in form.data:
        form.data = form.data.copy()
        form.data["form_token"] = antibot.issue_token()


@public
def invited_list_view(request):
    campaigns = Paginator(selectors.public_campaigns(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/supervisors/list.html", {"page": campaigns, "today": timezone.localdate()})


def _campaign_context(campaign, *, today, objection_form=None):
    candidates = selectors.public_candidates(campaign=campaign)
    running = rules.publicity_running(
        status=campaign.status, start=campaign.publicity_start, end=campaign.publicity_end, today=today
    )
    if running and objection_form is None:
        objection_form = forms.PortalObjectionForm(
            initial={"form_token": antibot.issue_token()},
            candidates=[a for a in candidates if a.status == "publicized"],
        )
    return {
        "c": campaign,
        "conditions": rules.conditions_text(campaign.conditions),
        "open": rules.campaign_takes_applications(
            status=campaign.status, apply_from=campaign.apply_from, apply_until=campaign.apply_until, today=today
        ),
        "candidates": candidates,
        "publicity_running": running,
        "objection_form": objection_form if running else None,
    }


@public
@never_cache
def invited_campaign_view(request, pk: int):
    campaign = selectors.public_campaign_get(pk=pk)
    return render(request, "portal/supervisors/campaign.html", _campaign_context(campaign, today=timezone.localdate()))


def _limited(exc: DomainError) -> bool:
    return exc.field == "rate" or any(e.get("field") == "rate" for e in exc.errors)


@public
@never_cache
def invited_apply_view(request, pk: int):
    campaign = selectors.public_campaign_get(pk=pk)
    status = 200
    if request.method == "POST":
        form = forms.PortalApplicationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                nonce = antibot.check_token(data["form_token"], honeypot=data["website"])
                application, password = services.application_submit_public(
                    campaign=campaign,
                    data=form.applicant(),
                    consent=data["consent"],
                    files=request.FILES.getlist("attachments"),
                    ip=client_ip(request),
                    submit_token=f"web:{nonce}",
                )
            except DomainError as exc:
                add_domain_error(form, exc, above=ABOVE)
                status = 429 if _limited(exc) else 422
            else:
                request.session[SESSION_RECEIPT] = {"code": application.tracking_code, "password": password}
                return redirect("portal:invited_receipt")
        _fresh_token(form)
        status = status if status != 200 else 422
    else:
        form = forms.PortalApplicationForm(initial={"form_token": antibot.issue_token()})
    open_now = rules.campaign_takes_applications(
        status=campaign.status,
        apply_from=campaign.apply_from,
        apply_until=campaign.apply_until,
        today=timezone.localdate(),
    )
    return render(
        request,
        "portal/supervisors/apply.html",
        {"c": campaign, "form": form, "conditions": rules.conditions_text(campaign.conditions), "open": open_now},
        status=status,
    )


@public
@never_cache
def invited_receipt_view(request):
    receipt = request.session.get(SESSION_RECEIPT)
    if not receipt:
        return redirect("portal:invited_status")
    return render(request, "portal/supervisors/receipt.html", {"receipt": receipt})


@public
@never_cache
def invited_status_view(request):
    stage = None
    if request.method == "POST":
        form = StatusQueryForm(request.POST)
        if form.is_valid():
            try:
                application = services.application_public_query(
                    code=form.cleaned_data["code"], password=form.cleaned_data["password"], ip=client_ip(request)
                )
            except (NotFound, DomainError) as exc:
                form.add_error(None, exc.message)
            else:
                stage = selectors.public_stage(application=application)
    else:
        form = StatusQueryForm(initial={"code": request.GET.get("code", "")})
    return render(
        request,
        "portal/supervisors/status.html",
        {"form": None if stage else form, "stage": stage},
        status=422 if form.errors else 200,
    )


@public
@never_cache
def invited_objection_view(request, pk: int):
    """An objection to a candidate during the 公示 (POST only; the form is on the campaign's page)."""
    campaign = selectors.public_campaign_get(pk=pk)
    if request.method != "POST":
        return redirect("portal:invited_campaign", campaign.pk)
    today = timezone.localdate()
    candidates = [a for a in selectors.public_candidates(campaign=campaign) if a.status == "publicized"]
    form = forms.PortalObjectionForm(request.POST, candidates=candidates)
    done, limited = None, False
    if form.is_valid():
        data = form.cleaned_data
        try:
            nonce = antibot.check_token(data["form_token"], honeypot=data["website"])
            services.objection_submit_public(
                campaign=campaign,
                application_id=data["application"],
                content=data["content"],
                name=data["name"],
                phone=data["phone"],
                ip=client_ip(request),
                submit_token=f"web:{nonce}",
            )
        except DomainError as exc:
            add_domain_error(form, exc, above=ABOVE)
            limited = _limited(exc)
        else:
            done = "异议已收到。我们将核查并答复；留有联系电话的，核查结果将电话告知。"
    if done is None:
        _fresh_token(form)
    context = _campaign_context(campaign, today=today, objection_form=None if done else form)
    context["objection_done"] = done
    status = 200 if done else (429 if limited else 422)
    return render(request, "portal/supervisors/campaign.html", context, status=status)


@public
def invited_roster_view(request):
    page = Paginator(selectors.public_roster(), 50).get_page(request.GET.get("page"))
    return render(request, "portal/supervisors/roster.html", {"page": page})
