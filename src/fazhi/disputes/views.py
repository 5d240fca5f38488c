"""Staff pages of 争议化解 (thin: parse, call a service or selector, render). A refused step re-renders its page
with the form bound and the service's message beside the field (422)."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.actions import act, act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.paging import CappedPaginator
from fazhi.core.reveal import reveal_request
from fazhi.disputes import forms, rules, selectors, services
from fazhi.disputes.models import AgencyHead, NormativeReview
from fazhi.disputes.permissions import (
    committee_actions,
    head_actions,
    litigation_actions,
    normative_review_actions,
    opinion_actions,
    reconsideration_actions,
    suggestion_actions,
)
from fazhi.tracking.rules import LIGHTS


def _fields(exc: DomainError) -> DomainError:
    """The services name nested inputs "applicant.name"; the forms call them "applicant_name"."""
    errors = [{**e, "field": (e.get("field") or "").replace(".", "_")} for e in exc.errors]
    return DomainError(exc.message, field=exc.field.replace(".", "_"), errors=errors)


def _act_on_form(request, form, call, *, done, then, above=()):
    def wrapped(data):
        try:
            return call(data)
        except DomainError as exc:
            raise _fields(exc) from None

    return act_on_form(request, form, wrapped, done=done, then=then, above=above)


def _pct(value) -> str:
    return "" if value is None else f"{value:.1%}"


def _page(request, qs, per: int = 20):
    return CappedPaginator(qs, per).get_page(request.GET.get("page"))


# ---------------------------------------------------------------- reconsideration


RC_HEADERS = [
    "查询码",
    "申请人",
    "被申请人",
    "行政行为",
    "申请方式",
    "收到日期",
    "状态",
    "程序",
    "受理日期",
    "决定期限",
    "决定日期",
    "决定类型",
    "纠错",
    "按期",
    "超过申请期限",
]


@permission_required("reconsideration.view")
def reconsideration_list_view(request):
    f = forms.ReconsiderationFilterForm(request.GET)
    filters = selectors.ReconsiderationFilters(
        q=f.value("q", ""),
        status=f.value("status", ""),
        procedure=f.value("procedure", ""),
        outcome=f.value("outcome", ""),
        year=f.value("year"),
        light=f.value("light", ""),
    )
    qs = selectors.reconsideration_list(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                r.tracking_code,
                selectors.public_applicant_name(r),
                r.respondent_unit.name,
                r.act,
                r.get_channel_display(),
                r.received_on,
                r.get_status_display(),
                r.get_procedure_display(),
                r.accepted_on,
                r.decision_deadline,
                r.decided_on,
                rules.OUTCOMES[r.outcome][0] if r.outcome in rules.OUTCOMES else "",
                r.corrected,
                r.on_time if r.decided_on else "",
                r.period_expired,
            ]
            for r in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(export_filename("行政复议案件"), RC_HEADERS, rows, sheet="行政复议")
    return render(
        request,
        "disputes/reconsideration_list.html",
        {
            "filter": f,
            "page": _page(request, qs),
            "lights": LIGHTS,
            "outcomes": {k: v[0] for k, v in rules.OUTCOMES.items()},
        },
    )


@permission_required("reconsideration.manage")
def reconsideration_create_view(request):
    form = forms.ReconsiderationForm(
        request.POST or None,
        initial={"received_on": timezone.localdate(), "procedure": "ordinary", "told_of_right": True},
    )

    def register(data):
        respondent = selectors.respondent_by_name(name=data["respondent"])
        case = selectors.case_for_link(user=request.user, pk=data["case"]) if data.get("case") else None
        return services.reconsideration_register(
            by=request.user,
            applicant={
                "kind": data["applicant_kind"],
                "name": data["applicant_name"],
                "id_number": data["applicant_id_number"],
                "uscc": data["applicant_uscc"],
                "phone": data["applicant_phone"],
                "address": data["applicant_address"],
            },
            respondent=respondent,
            act=data["act"],
            known_on=data["known_on"],
            received_on=data["received_on"],
            procedure=data["procedure"],
            amount=data["amount"],
            channel=data["channel"],
            submitted_on=data["submitted_on"],
            forwarded_on=data["forwarded_on"],
            act_kind=data["act_kind"],
            act_number=data["act_number"],
            act_date=data["act_date"],
            act_on_the_spot=data["act_on_the_spot"],
            act_is_warning=data["act_is_warning"],
            parties_agree_simple=data["parties_agree_simple"],
            real_property=data["real_property"],
            told_of_right=data["told_of_right"],
            right_known_on=data["right_known_on"],
            obstacle_from=data["obstacle_from"],
            obstacle_to=data["obstacle_to"],
            obstacle_reason=data["obstacle_reason"],
            request=data["request"],
            facts=data["facts"],
            agent_name=data["agent_name"],
            agent_kind=data["agent_kind"],
            third_parties=data["third_parties"],
            case=case,
            files=request.FILES.getlist("attachments"),
            ip=client_ip(request),
        )

    return _act_on_form(
        request,
        form,
        register,
        done=lambda rc: f"已登记行政复议申请 {rc.tracking_code}",
        then=lambda rc: ("disputes:reconsideration_detail", rc.pk),
    ) or render(
        request,
        "disputes/reconsideration_form.html",
        {"form": form, "respondents": selectors.respondent_choices().values_list("unit__name", flat=True)},
        status=422 if request.method == "POST" else 200,
    )


EVENT_FIELDS = {
    "correction_requested": ("on", "reason", "received_on"),
    "correction_extended": ("on", "days", "reason"),
    "correction_received": ("on", "reason"),
    "accepted": ("on", "procedure"),
    "refused": ("on", "ground", "reason", "competent_body"),
    "switched": ("on", "reason", "approver"),
    "copied": ("on", "received_on"),
    "answered": ("on", "reason"),
    "suspended": ("on", "ground", "reason"),
    "resumed": ("on", "reason"),
    "extended": ("on", "days", "reason", "approver"),
    "terminated": ("on", "ground", "reason"),
    "decided": ("on", "outcome", "redo", "reason"),
    "served": ("on",),
}
EVENT_REASON_LABELS = {
    "correction_requested": "需要补正的事项（一次性载明）",
    "correction_extended": "延长补正期限的正当理由",
    "correction_received": "补正材料说明",
    "refused": "不予受理的理由",
    "switched": "不宜适用简易程序的理由",
    "answered": "书面答复内容",
    "suspended": "中止的理由",
    "resumed": "恢复审理的说明",
    "extended": "情况复杂、需要延长的理由",
    "terminated": "终止的理由",
    "decided": "认定的事实和理由",
}
GROUND_CHOICES = {
    "refused": rules.REFUSAL_GROUNDS,
    "suspended": rules.SUSPENSION_GROUNDS,
    "terminated": rules.TERMINATION_GROUNDS,
}


def _event_forms(rc, actions, bound=None) -> list[dict]:
    today = timezone.localdate()
    out = []
    for kind in EVENT_FIELDS:
        if kind not in actions:
            continue
        form = bound if bound is not None and bound.prefix == kind else None
        form = form or forms.EventForm(initial={"on": today, "procedure": rc.procedure}, prefix=kind)
        out.append(
            {
                "kind": kind,
                "label": rules.EVENT_LABELS[kind],
                "form": form,
                "fields": EVENT_FIELDS[kind],
                "reason_label": EVENT_REASON_LABELS.get(kind, "说明"),
                "grounds": GROUND_CHOICES.get(kind, {}),
                "open": bound is not None and form is bound,
            }
        )
    return out


def _rc_context(request, rc, *, bound=None, extra=None) -> dict:
    user = request.user
    actions = reconsideration_actions(user=user, obj=rc)
    reveal_error = ""
    try:
        reason = reveal_request(request) if "reveal" in actions else None
    except DomainError as exc:
        reason, reveal_error = None, exc.message
    heads = selectors.heads_of(agency=rc.respondent)
    ctx = {
        "rc": rc,
        "actions": actions,
        "applicant": selectors.applicant_display(user=user, rc=rc, reveal_reason=reason, ip=client_ip(request)),
        "reveal_error": reveal_error,
        "warnings": selectors.reconsideration_warnings(rc=rc),
        "simple_grounds": selectors.reconsideration_simple_grounds(rc=rc),
        "clocks": selectors.reconsideration_clocks(rc=rc),
        "timeline": selectors.reconsideration_timeline(rc=rc),
        "documents": selectors.reconsideration_documents(rc=rc) if "view" in actions else [],
        "hearings": selectors.reconsideration_hearings(rc=rc),
        "referrals": selectors.reconsideration_referrals(rc=rc),
        "opinions": [(o, opinion_actions(user=user, obj=o)) for o in selectors.reconsideration_opinions(rc=rc)],
        "reviews": selectors.reconsideration_normative_reviews(rc=rc),
        "attachments": rc.attachments.all(),
        "event_forms": _event_forms(rc, actions, bound),
        "outcome_label": rules.OUTCOMES[rc.outcome][0] if rc.outcome in rules.OUTCOMES else "",
        "outcome_citation": rules.OUTCOMES[rc.outcome][1] if rc.outcome in rules.OUTCOMES else "",
        "hearing_form": forms.HearingForm(prefix="hearing"),
        "record_forms": {h.pk: forms.HearingRecordForm(heads=heads, prefix=f"h{h.pk}") for h in rc.hearings.all()},
        "refer_form": forms.ReferForm(initial={"referred_on": timezone.localdate()}, prefix="refer"),
        "referral_form": forms.ReferralOpinionForm(initial={"opinion_on": timezone.localdate()}, prefix="referral"),
        "opinion_form": forms.OpinionIssueForm(
            initial={"agency": rc.respondent_unit.name, "issued_on": timezone.localdate()}, prefix="opinion"
        ),
        "report_form": forms.OpinionReportForm(initial={"reported_on": timezone.localdate()}, prefix="report"),
        "normative_form": forms.NormativeForm(
            initial={"started_on": timezone.localdate(), "competent": True}, prefix="normative"
        ),
        "respondents": selectors.respondent_choices().values_list("unit__name", flat=True),
        "particulars_form": forms.ParticularsForm(
            initial={name: getattr(rc, name) for name in services.PARTICULARS}, prefix="particulars"
        ),
    }
    ctx.update(extra or {})
    return ctx


@permission_required("reconsideration.view", "reconsideration.answer")
def reconsideration_detail_view(request, pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    return render(request, "disputes/reconsideration_detail.html", _rc_context(request, rc))


def _rc_page(request, rc, *, status=422, **extra):
    rc = selectors.reconsideration_get(user=request.user, pk=rc.pk)
    return render(request, "disputes/reconsideration_detail.html", _rc_context(request, rc, **extra), status=status)


@require_POST
@permission_required("reconsideration.manage", "reconsideration.answer")
def reconsideration_event_view(request, pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    kind = request.POST.get("kind", "")
    # Each step's form on the page carries its kind as prefix, so that no two forms share an element id.
    form = forms.EventForm(request.POST, prefix=kind if kind in EVENT_FIELDS else None)

    def run(data):
        return services.reconsideration_event(
            by=request.user,
            reconsideration=rc,
            kind=kind,
            on=data["on"],
            reason=data["reason"],
            days=data["days"],
            outcome=data["outcome"],
            ground=data["ground"],
            competent_body=data["competent_body"],
            approver=data["approver"],
            procedure=data["procedure"],
            redo=data["redo"],
            received_on=data["received_on"],
            files=request.FILES.getlist("attachments"),
            ip=client_ip(request),
        )

    label = rules.EVENT_LABELS.get(kind, "办理")
    return _act_on_form(
        request, form, run, done=f"已{label}", then=("disputes:reconsideration_detail", rc.pk)
    ) or _rc_page(request, rc, bound=form)


@require_POST
@permission_required("reconsideration.manage")
def reconsideration_hearing_view(request, pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    form = forms.HearingForm(request.POST, prefix="hearing")
    return _act_on_form(
        request,
        form,
        lambda d: services.reconsideration_hearing_add(by=request.user, reconsideration=rc, ip=client_ip(request), **d),
        done="已通知听证",
        then=("disputes:reconsideration_detail", rc.pk),
    ) or _rc_page(request, rc, extra={"hearing_form": form, "open": "hearing"})


@require_POST
@permission_required("reconsideration.manage")
def reconsideration_hearing_record_view(request, pk: int, hearing_pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    hearing = rc.hearings.filter(pk=hearing_pk).first()
    if hearing is None:
        raise Http404()
    form = forms.HearingRecordForm(
        request.POST, heads=selectors.heads_of(agency=rc.respondent), prefix=f"h{hearing.pk}"
    )
    return _act_on_form(
        request,
        form,
        lambda d: services.reconsideration_hearing_record(by=request.user, hearing=hearing, ip=client_ip(request), **d),
        done="已记录听证情况",
        then=("disputes:reconsideration_detail", rc.pk),
    ) or _rc_page(request, rc, extra={"record_forms": {hearing.pk: form}})


@require_POST
@permission_required("reconsideration.manage")
def reconsideration_refer_view(request, pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    form = forms.ReferForm(request.POST, prefix="refer")
    return _act_on_form(
        request,
        form,
        lambda d: services.reconsideration_refer(by=request.user, reconsideration=rc, ip=client_ip(request), **d),
        done="已提请行政复议委员会咨询",
        then=("disputes:reconsideration_detail", rc.pk),
    ) or _rc_page(request, rc, extra={"refer_form": form})


@require_POST
@permission_required("reconsideration.manage")
def referral_opinion_view(request, pk: int, referral_pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    referral = rc.referrals.filter(pk=referral_pk).first()
    if referral is None:
        raise Http404()
    form = forms.ReferralOpinionForm(request.POST, prefix="referral")
    return _act_on_form(
        request,
        form,
        lambda d: services.referral_opinion(by=request.user, referral=referral, ip=client_ip(request), **d),
        done="已记录咨询意见",
        then=("disputes:reconsideration_detail", rc.pk),
    ) or _rc_page(request, rc, extra={"referral_form": form})


@require_POST
@permission_required("reconsideration.manage")
def opinion_issue_view(request, pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    form = forms.OpinionIssueForm(request.POST, prefix="opinion")

    def issue(d):
        agency = selectors.respondent_by_name(name=d["agency"], field="agency")
        return services.opinion_issue(
            by=request.user,
            reconsideration=rc,
            agency=agency,
            content=d["content"],
            issued_on=d["issued_on"],
            received_on=d["received_on"],
            ip=client_ip(request),
        )

    return _act_on_form(
        request, form, issue, done="已制发行政复议意见书", then=("disputes:reconsideration_detail", rc.pk)
    ) or _rc_page(request, rc, extra={"opinion_form": form})


@require_POST
@permission_required("reconsideration.answer")
def opinion_report_view(request, pk: int):
    opinion = selectors.opinion_get(user=request.user, pk=pk)
    form = forms.OpinionReportForm(request.POST, prefix="report")
    rc = opinion.reconsideration
    return _act_on_form(
        request,
        form,
        lambda d: services.opinion_report(
            by=request.user,
            opinion=opinion,
            files=request.FILES.getlist("attachments"),
            ip=client_ip(request),
            **d,
        ),
        done="已报送纠正情况",
        then=("disputes:reconsideration_detail", rc.pk),
    ) or _rc_page(request, rc, extra={"report_form": form})


@require_POST
@permission_required("reconsideration.manage")
def normative_open_view(request, pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    form = forms.NormativeForm(request.POST, prefix="normative")
    return _act_on_form(
        request,
        form,
        lambda d: services.normative_review_open(by=request.user, reconsideration=rc, ip=client_ip(request), **d),
        done="已登记附带审查，案件中止审理",
        then=lambda review: ("disputes:normative_detail", review.pk),
    ) or _rc_page(request, rc, extra={"normative_form": form})


@require_POST
@permission_required("reconsideration.manage")
def reconsideration_particulars_view(request, pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    form = forms.ParticularsForm(request.POST, prefix="particulars")

    def save(d):
        reason = d.pop("reason")
        return services.reconsideration_particulars(
            by=request.user, reconsideration=rc, changes=d, reason=reason, ip=client_ip(request)
        )

    return _act_on_form(
        request, form, save, done="已更正申请信息", then=("disputes:reconsideration_detail", rc.pk)
    ) or _rc_page(request, rc, extra={"particulars_form": form})


@require_POST
@permission_required("reconsideration.manage")
def reconsideration_link_case_view(request, pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)

    def link():
        case = selectors.case_for_link(user=request.user, pk=request.POST.get("case"))
        return services.reconsideration_link_case(by=request.user, reconsideration=rc, case=case, ip=client_ip(request))

    return act(request, link, done="已关联行政处罚案件", then=("disputes:reconsideration_detail", rc.pk))


@require_POST
@permission_required("reconsideration.manage")
def reconsideration_publish_view(request, pk: int):
    rc = selectors.reconsideration_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.reconsideration_publish(by=request.user, reconsideration=rc, ip=client_ip(request)),
        done="已在门户网站公开（个人信息已脱敏）",
        then=("disputes:reconsideration_detail", rc.pk),
    )


@permission_required("reconsideration.view", "reconsideration.answer")
def reconsideration_document_view(request, pk: int, doc_pk: int):
    document = selectors.reconsideration_document(user=request.user, pk=pk, doc_pk=doc_pk)
    return attachment_response(document.attachment)


@permission_required("reconsideration.view", "litigation.view", "suggestion.view")
def attachment_view(request, pk: int):
    return attachment_response(selectors.reconsideration_attachment(user=request.user, pk=pk))


# ---------------------------------------------------------------- normative reviews and the committee


@permission_required("reconsideration.manage")
def normative_list_view(request):
    f = forms.FilterForm(request.GET)
    qs = selectors.normative_list(user=request.user, q=f.value("q", ""), status=request.GET.get("status", ""))
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                r.document_title,
                r.document_number,
                r.issuer,
                r.articles,
                r.get_source_display(),
                r.started_on,
                r.get_status_display(),
                r.transferred_to,
                r.get_result_display(),
            ]
            for r in qs
        )
        headers = ["文件名称", "文号", "制定机关", "相关条款", "来源", "开始日期", "状态", "转送机关", "处理结果"]
        return xlsx_response(export_filename("规范性文件附带审查"), headers, rows, sheet="附带审查")
    return render(
        request,
        "disputes/normative_list.html",
        {"filter": f, "page": _page(request, qs), "statuses": NormativeReview.STATUSES},
    )


def _normative_page(request, review, *, status=200):
    state = selectors.normative_review_states([review]).get(review.pk)
    # The old record's own item (before the rule-making module owned the clocks) still shows its history.
    items = [i for i in (review.item_id, state and state["item_id"]) if i]
    return render(
        request,
        "disputes/normative_detail.html",
        {
            "review": review,
            "actions": normative_review_actions(user=request.user, obj=review),
            "state": state,
            "clocks": state["clocks"] if state else selectors.item_clocks_of(review.item_id),
            "timeline": selectors.timeline_of(*items),
        },
        status=status,
    )


@permission_required("reconsideration.view")
def normative_detail_view(request, pk: int):
    return _normative_page(request, selectors.normative_get(user=request.user, pk=pk))


@permission_required("reconsideration.manage")
def committee_list_view(request):
    form = forms.CommitteeForm(request.POST or None)
    if request.method == "POST":
        done = _act_on_form(
            request,
            form,
            lambda d: services.committee_save(by=request.user, ip=client_ip(request), **d),
            done="已设立行政复议委员会",
            then="disputes:committee_list",
        )
        if done:
            return done
    elif request.GET.get("format") == "xlsx":
        rows = (
            [
                c.name,
                c.unit.name,
                f"{c.term_from:%Y-%m-%d}至{c.term_to:%Y-%m-%d}",
                m.name,
                m.get_kind_display(),
                m.organisation,
                "在任" if m.is_active else "离任",
            ]
            for c in selectors.committees(user=request.user).select_related("unit")
            for m in c.members.all()
        )
        headers = ["委员会", "行政复议机构", "本届任期", "委员", "类别", "工作单位及职务", "状态"]
        return xlsx_response(export_filename("行政复议委员会委员"), headers, rows, sheet="委员")
    return render(
        request,
        "disputes/committee_list.html",
        {
            "committees": selectors.committees(user=request.user),
            "form": form,
            "member_form": forms.MemberForm(),
            "can_create": "create" in committee_actions(user=request.user, obj=None),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@permission_required("reconsideration.manage")
def committee_member_view(request, pk: int):
    committee = selectors.committee_get(user=request.user, pk=pk)
    form = forms.MemberForm(request.POST)
    return _act_on_form(
        request,
        form,
        lambda d: services.committee_member_add(by=request.user, committee=committee, ip=client_ip(request), **d),
        done="已增加委员",
        then="disputes:committee_list",
    ) or render(
        request,
        "disputes/committee_list.html",
        {
            "committees": selectors.committees(user=request.user),
            "form": forms.CommitteeForm(),
            "member_form": form,
            "member_for": committee.pk,
            "can_create": True,
        },
        status=422,
    )


# ---------------------------------------------------------------- litigation

LIT_HEADERS = [
    "案号",
    "法院",
    "审级",
    "原告",
    "被告",
    "被诉行政行为",
    "起诉日期",
    "收到起诉状副本",
    "答辩日期",
    "开庭次数",
    "负责人出庭次数",
    "裁判结果",
    "败诉",
    "状态",
]


@permission_required("litigation.view")
def litigation_list_view(request):
    f = forms.LitigationFilterForm(request.GET)
    lost = {"1": True, "0": False}.get(request.GET.get("lost", ""))
    qs = selectors.litigation_list(
        user=request.user,
        filters=selectors.LitigationFilters(
            q=f.value("q", ""), status=f.value("status", ""), year=f.value("year"), lost=lost
        ),
    )
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                lit.case_number,
                lit.court,
                lit.get_instance_display(),
                lit.plaintiff_name,
                lit.defendant_unit.name,
                lit.act,
                lit.filed_on,
                lit.served_on,
                lit.defence_on,
                lit.hearing_count,
                lit.head_count,
                rules.JUDGMENTS[lit.judgment_kind][0] if lit.judgment_kind in rules.JUDGMENTS else "",
                lit.lost,
                lit.get_status_display(),
            ]
            for lit in qs
        )
        return xlsx_response(export_filename("行政应诉案件"), LIT_HEADERS, rows, sheet="行政应诉")
    return render(
        request,
        "disputes/litigation_list.html",
        {
            "filter": f,
            "page": _page(request, qs),
            "can_create": "create" in litigation_actions(user=request.user, obj=None),
            "judgments": {k: v[0] for k, v in rules.JUDGMENTS.items()},
        },
    )


def _defendants(user):
    from fazhi.registry.selectors import agency_list

    return agency_list(user=user)


@permission_required("litigation.manage")
def litigation_create_view(request):
    form = forms.LitigationForm(
        request.POST or None, agencies=_defendants(request.user), initial={"served_on": timezone.localdate()}
    )

    def register(d):
        case = selectors.case_for_link(user=request.user, pk=d["case"]) if d.get("case") else None
        rc = (
            selectors.reconsideration_ref(user=request.user, pk=d["reconsideration"])
            if d.get("reconsideration")
            else None
        )
        return services.litigation_register(
            by=request.user,
            court=d["court"],
            case_number=d["case_number"],
            instance=d["instance"],
            plaintiff={
                "kind": d["plaintiff_kind"],
                "name": d["plaintiff_name"],
                "id_number": d["plaintiff_id_number"],
                "uscc": d["plaintiff_uscc"],
            },
            defendant=d["defendant"],
            act=d["act"],
            act_date=d["act_date"],
            real_property=d["real_property"],
            known_on=d["known_on"],
            decision_received_on=d["decision_received_on"],
            filed_on=d["filed_on"],
            served_on=d["served_on"],
            case=case,
            reconsideration=rc,
            ip=client_ip(request),
        )

    return _act_on_form(
        request,
        form,
        register,
        done=lambda lit: f"已登记应诉案件 {lit.case_number}",
        then=lambda lit: ("disputes:litigation_detail", lit.pk),
    ) or render(
        request, "disputes/litigation_form.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


def _litigation_page(request, lit, *, forms_bound=None, status=200):
    actions = litigation_actions(user=request.user, obj=lit)
    heads = selectors.heads_of(agency=lit.defendant)
    hearings = list(selectors.litigation_hearings(lit=lit))
    bound = forms_bound or {}
    return render(
        request,
        "disputes/litigation_detail.html",
        {
            "lit": lit,
            "actions": actions,
            "plaintiff": selectors.plaintiff_display(lit=lit),
            "warnings": selectors.litigation_warnings(lit=lit),
            "clocks": selectors.litigation_clocks(lit=lit),
            "timeline": selectors.timeline_of(lit.item_id),
            "hearings": hearings,
            "heads": heads,
            "appearance_forms": {
                h.pk: bound.get(f"appearance-{h.pk}") or forms.AppearanceForm(heads=heads, prefix=f"a{h.pk}")
                for h in hearings
            },
            "action_forms": {
                action: (bound.get("action") if bound.get("open") == action else None)
                or forms.LitigationActionForm(initial={"on": timezone.localdate()}, prefix=action)
                for action in LIT_ACTIONS
            },
            "open_action": bound.get("open", ""),
            "judgment_label": rules.JUDGMENTS[lit.judgment_kind][0] if lit.judgment_kind in rules.JUDGMENTS else "",
            "suggestions": lit.suggestions.all(),
            "documents": selectors.litigation_documents(lit=lit),
            "absence_grounds": rules.ABSENCE_GROUNDS,
        },
        status=status,
    )


@permission_required("litigation.view")
def litigation_detail_view(request, pk: int):
    return _litigation_page(request, selectors.litigation_get(user=request.user, pk=pk))


LIT_ACTIONS = ("defence", "hearing", "judgment", "appeal", "effective", "enforcement", "link_case")


@require_POST
@permission_required("litigation.manage")
def litigation_action_view(request, pk: int, action: str):
    lit = selectors.litigation_get(user=request.user, pk=pk)
    if action not in LIT_ACTIONS:
        raise Http404()
    form = forms.LitigationActionForm(request.POST, prefix=action)
    ip = client_ip(request)

    def run(d):
        by = request.user
        if action == "defence":
            return services.litigation_defence(by=by, litigation=lit, on=d["on"], ip=ip)
        if action == "hearing":
            return services.court_hearing_add(
                by=by,
                litigation=lit,
                held_on=d["held_on"],
                summons_received_on=d["summons_received_on"],
                head_summoned=d["head_summoned"],
                files=request.FILES.getlist("hearing-summons"),
                ip=ip,
            )
        if action == "judgment":
            return services.litigation_judgment(
                by=by, litigation=lit, kind=d["kind"], judgment_on=d["on"], served_on=d["served_on"], ip=ip
            )
        if action == "appeal":
            return services.litigation_appeal(
                by=by, litigation=lit, appealed_on=d["on"], appealed_by=d["appealed_by"], ip=ip
            )
        if action == "effective":
            return services.litigation_effective(by=by, litigation=lit, ip=ip)
        if action == "enforcement":
            return services.litigation_enforcement(
                by=by, litigation=lit, enforcement=d["enforcement"], note=d["note"], enforced_on=d["on"], ip=ip
            )
        case = selectors.case_for_link(user=by, pk=d["case"])
        return services.litigation_link_case(by=by, litigation=lit, case=case, ip=ip)

    return _act_on_form(
        request, form, run, done="已记录", then=("disputes:litigation_detail", lit.pk)
    ) or _litigation_page(request, lit, forms_bound={"action": form, "open": action}, status=422)


@require_POST
@permission_required("litigation.manage")
def court_appearance_view(request, pk: int, hearing_pk: int):
    lit = selectors.litigation_get(user=request.user, pk=pk)
    hearing = lit.hearings.filter(pk=hearing_pk).first()
    if hearing is None:
        raise Http404()
    form = forms.AppearanceForm(request.POST, heads=selectors.heads_of(agency=lit.defendant), prefix=f"a{hearing.pk}")
    return _act_on_form(
        request,
        form,
        lambda d: services.court_hearing_record(
            by=request.user,
            hearing=hearing,
            files=request.FILES.getlist(f"a{hearing.pk}-attachments"),
            ip=client_ip(request),
            **d,
        ),
        done="已登记出庭应诉情况",
        then=("disputes:litigation_detail", lit.pk),
    ) or _litigation_page(request, lit, forms_bound={f"appearance-{hearing.pk}": form}, status=422)


# ---------------------------------------------------------------- heads


@permission_required("litigation.view")
def head_list_view(request):
    agencies = selectors.head_agencies(user=request.user)
    form = forms.HeadForm(request.POST or None, agencies=agencies)
    if request.method == "POST":

        def save(d):
            return services.head_save(
                by=request.user,
                agency=d["agency"],
                name=d["name"],
                post=d["post"],
                kind=d["kind"],
                ip=client_ip(request),
            )

        done = _act_on_form(request, form, save, done="已加入负责人名单", then="disputes:head_list")
        if done:
            return done
    f = forms.FilterForm(request.GET)
    heads = selectors.head_list(user=request.user, q=f.value("q", ""))
    if request.GET.get("format") == "xlsx":
        rows = ([h.agency.unit.name, h.name, h.post, h.get_kind_display()] for h in heads)
        return xlsx_response(
            export_filename("行政机关负责人名单"), ["执法主体", "姓名", "职务", "类别"], rows, sheet="负责人"
        )
    editable = {a.pk for a in agencies if "edit" in head_actions(user=request.user, agency=a)}
    return render(
        request,
        "disputes/head_list.html",
        {
            "page": _page(request, heads, per=50),
            "filter": f,
            "form": form,
            "editable": editable,
            "kinds": AgencyHead.KINDS,
            "can_edit": bool(editable),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@permission_required("litigation.manage")
def head_deactivate_view(request, pk: int):
    head = selectors.head_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.head_deactivate(by=request.user, head=head, ip=client_ip(request)),
        done=f"已将{head.name}移出负责人名单",
        then="disputes:head_list",
    )


# ---------------------------------------------------------------- suggestions


SUG_HEADERS = ["类型", "提出机关", "文号", "被建议单位", "收到日期", "紧急", "答复期限", "答复日期", "按期答复", "状态"]


@permission_required("suggestion.view")
def suggestion_list_view(request):
    f = forms.SuggestionFilterForm(request.GET)
    qs = selectors.suggestion_list(
        user=request.user,
        filters=selectors.SuggestionFilters(
            q=f.value("q", ""), kind=f.value("kind", ""), status=f.value("status", ""), year=f.value("year")
        ),
    )
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                s.get_kind_display(),
                s.issuer,
                s.number,
                s.agency_unit.name,
                s.received_on,
                s.urgent,
                s.deadline,
                s.replied_on,
                s.on_time if s.replied_on else "",
                s.get_status_display(),
            ]
            for s in qs
        )
        return xlsx_response(export_filename("司法建议和检察建议"), SUG_HEADERS, rows, sheet="建议")
    return render(
        request,
        "disputes/suggestion_list.html",
        {
            "filter": f,
            "page": _page(request, qs),
            "lights": LIGHTS,
            "can_create": "create" in suggestion_actions(user=request.user, obj=None),
        },
    )


@permission_required("suggestion.manage")
def suggestion_create_view(request):
    from fazhi.registry.selectors import agency_list

    form = forms.SuggestionForm(
        request.POST or None, agencies=agency_list(user=request.user), initial={"received_on": timezone.localdate()}
    )
    return _act_on_form(
        request,
        form,
        lambda d: services.suggestion_register(by=request.user, ip=client_ip(request), **d),
        done=lambda s: f"已登记{s.get_kind_display()} {s.number}",
        then=lambda s: ("disputes:suggestion_detail", s.pk),
    ) or render(
        request, "disputes/suggestion_form.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


def _suggestion_page(request, s, *, reply_form=None, status=200):
    return render(
        request,
        "disputes/suggestion_detail.html",
        {
            "s": s,
            "actions": suggestion_actions(user=request.user, obj=s),
            "clocks": selectors.item_clocks_of(s.item_id),
            "timeline": selectors.timeline_of(s.item_id),
            "reply_form": reply_form or forms.SuggestionReplyForm(initial={"replied_on": timezone.localdate()}),
            "attachments": s.attachments.all(),
        },
        status=status,
    )


@permission_required("suggestion.view")
def suggestion_detail_view(request, pk: int):
    return _suggestion_page(request, selectors.suggestion_get(user=request.user, pk=pk))


@require_POST
@permission_required("suggestion.manage")
def suggestion_reply_view(request, pk: int):
    s = selectors.suggestion_get(user=request.user, pk=pk)
    form = forms.SuggestionReplyForm(request.POST)
    return _act_on_form(
        request,
        form,
        lambda d: services.suggestion_reply(
            by=request.user, suggestion=s, files=request.FILES.getlist("attachments"), ip=client_ip(request), **d
        ),
        done="已答复",
        then=("disputes:suggestion_detail", s.pk),
    ) or _suggestion_page(request, s, reply_form=form, status=422)


# ---------------------------------------------------------------- statistics

STAT_HEADERS = [
    "维度",
    "复议申请",
    "受理",
    "不予受理",
    "审结",
    "作出决定",
    "纠错",
    "纠错率",
    "按期决定",
    "按期决定率",
    "变更",
    "撤销",
    "确认违法",
    "责令履行",
    "确认无效",
    "维持",
    "驳回请求",
    "驳回申请",
    "调解",
    "撤回终止",
    "其他终止",
    "行政诉讼",
    "裁判",
    "败诉",
    "败诉率",
    "开庭",
    "负责人出庭",
    "出庭率",
    "司法/检察建议",
    "应答复",
    "按期答复",
    "按期答复率",
]


@permission_required("dispute.stats")
def stats_view(request):
    dimension = request.GET.get("dimension", "agency")
    if dimension not in selectors.DIMENSIONS:
        dimension = "agency"
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    if year is not None and not 2000 <= year <= 2100:
        year = None
    if dimension != "year" and year is None and "year" not in request.GET:
        year = timezone.localdate().year
    rows = selectors.dispute_stats(user=request.user, dimension=dimension, year=year)
    totals = selectors.stats_totals(rows)
    if request.GET.get("format") == "xlsx":
        data = (
            [
                r.label,
                r.applications,
                r.accepted,
                r.refused,
                r.concluded,
                r.decided,
                r.corrected,
                _pct(r.correction_rate),
                r.on_time,
                _pct(r.on_time_rate),
                *(r.outcomes.get(code, 0) for code in rules.OUTCOMES),
                r.suits,
                r.judged,
                r.lost,
                _pct(r.loss_rate),
                r.hearings,
                r.head_hearings,
                _pct(r.appearance_rate),
                r.suggestions,
                r.suggestions_due,
                r.replied_on_time,
                _pct(r.reply_rate),
            ]
            for r in [*rows, totals]
        )
        title = f"行政争议统计_按{selectors.DIMENSIONS[dimension]}" + (f"_{year}年" if year else "")
        return xlsx_response(export_filename(title), STAT_HEADERS, data, sheet="行政争议统计")

    def pct_list(attr):
        return [None if getattr(r, attr) is None else round(getattr(r, attr) * 100, 1) for r in rows]

    chart = {
        "labels": [r.label for r in rows],
        "applications": [r.applications for r in rows],
        "suits": [r.suits for r in rows],
        "correction_rate": pct_list("correction_rate"),
        "loss_rate": pct_list("loss_rate"),
        "appearance_rate": pct_list("appearance_rate"),
    }
    this_year = timezone.localdate().year
    return render(
        request,
        "disputes/stats.html",
        {
            "rows": rows,
            "totals": totals,
            "dimension": dimension,
            "dimensions": list(selectors.DIMENSIONS.items()),
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "chart": chart,
            "query": request.GET.urlencode(),
            "correction_citation": "纠错率 =（变更 + 撤销 + 确认违法 + 确认无效 + 责令履行）÷ 作出行政复议决定的案件数",
        },
    )
