"""Public pages of 双随机、一公开: published plans, draws with their verification, published results."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fazhi.core.audit import client_ip
from fazhi.core.decorators import public
from fazhi.core.errors import DomainError, NotFound
from fazhi.inspections import forms, selectors, services
from fazhi.inspections.models import RISK_LABELS


def _get_or_404(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404("记录不存在") from None


@public
def plan_list_view(request):
    year = request.GET.get("year", "")
    plans = selectors.public_plan_list(year=int(year) if year.isdigit() else None)
    return render(request, "portal/inspections/plan_list.html", {"plans": plans})


@public
def plan_detail_view(request, pk: int):
    plan = _get_or_404(selectors.public_plan_get, pk=pk)
    return render(
        request,
        "portal/inspections/plan_detail.html",
        {
            "plan": plan,
            "draws": selectors.public_draw_list(plan=plan),
            "proportions": [(RISK_LABELS[k], v / 100) for k, v in sorted(plan.proportions.items())],
        },
    )


@public
def draw_detail_view(request, pk: int):
    """The public verification page: it re-runs the draw from the published seed and lists (通过/不通过)."""
    draw = _get_or_404(selectors.public_draw_get, pk=pk)
    revealed = selectors.draw_revealed(draw)
    verified, problems = selectors.draw_verify(draw=draw) if revealed else (None, [])
    assignments = selectors.draw_assignments(draw=draw) if revealed else []
    return render(
        request,
        "portal/inspections/draw_detail.html",
        {
            "draw": draw,
            "revealed": revealed,
            "verified": verified,
            "problems": problems,
            "assignments": assignments,
            "scope": selectors.draw_scope_display(draw=draw),
        },
    )


@public
def record_list_view(request):
    records = selectors.public_record_list(q=request.GET.get("q", ""))
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    return render(request, "portal/inspections/record_list.html", {"page": page, "filters": request.GET})


@public
def feedback_view(request, token: str):
    """The inspected enterprise's page, reached by its signed link only: rate the inspection once and
    optionally report improper conduct (becomes a complaint). A forged or altered token is a 404."""
    record = _get_or_404(selectors.feedback_record_by_token, token=token)
    feedback = selectors.record_feedback(record=record)
    form = forms.FeedbackForm(request.POST or None) if feedback is None else None
    done = None
    if request.method == "POST":
        try:
            services.feedback_rate_check(ip=client_ip(request))
        except DomainError as exc:
            return render(
                request,
                "portal/inspections/feedback.html",
                {"record": record, "feedback": feedback, "form": None, "done": {"limited": exc.message}},
                status=429,
            )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            feedback, complaint, password = services.inspection_feedback_submit(
                record=record, ip=client_ip(request), **form.cleaned_data
            )
        except DomainError as exc:
            forms.add_domain_error(form, exc)
        else:
            done = {"complaint": complaint, "password": password}
            form = None
    elif request.method == "POST" and feedback is not None:
        done = {"refused": True}
    status = 422 if form is not None and form.errors else (409 if done and done.get("refused") else 200)
    return render(
        request,
        "portal/inspections/feedback.html",
        {"record": record, "feedback": feedback, "form": form, "done": done},
        status=status,
    )
