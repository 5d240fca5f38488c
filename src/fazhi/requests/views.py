"""Staff pages of 建议提案 and 依申请公开. Thin: parse, call a service or selector, render."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.actions import act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.masking import mask_phone
from fazhi.core.reveal import reveal_log, reveal_request
from fazhi.requests import forms as f
from fazhi.requests import permissions as perms
from fazhi.requests import rules, selectors, services
from fazhi.requests.models import CHANNELS, Proposal
from fazhi.tracking import rules as tracking_rules
from fazhi.tracking.selectors import yellow_until

PROPOSAL_ANY = ("proposal.view",)
PROPOSAL_WRITE = ("proposal.manage", "proposal.reply", "proposal.approve")


# ================================================================ sessions


@permission_required("proposal.view")
def session_list_view(request):
    actions = perms.session_actions(user=request.user, obj=None)
    form = f.SessionForm(request.POST or None)
    if request.method == "POST":
        if "create" not in actions:
            raise Forbidden()
        response = act_on_form(
            request,
            form,
            lambda d: services.session_create(by=request.user, **d),
            done=lambda s: f"已登记“{s.name}”",
            then="requests:session_list",
        )
        if response:
            return response
    sessions = selectors.session_list()
    if request.method == "GET" and request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename("会议届次"),
            ["名称", "机关", "届次", "会议", "年度", "开幕日期"],
            ((s.name, s.get_body_display(), s.term, s.meeting, s.year, s.opened_on) for s in sessions),
            sheet="会议届次",
        )
    q = (request.GET.get("q") or "").strip()
    if q:
        sessions = sessions.filter(name__icontains=q)
    page = Paginator(sessions, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "requests/session_list.html",
        {"page": page, "form": form, "actions": actions, "filters": request.GET},
        status=422 if form.errors else 200,
    )


# ================================================================ proposals


def _proposal_filters(request) -> selectors.ProposalFilters:
    v = f.ProposalFilterForm(request.GET).values()
    return selectors.ProposalFilters(
        q=v.get("q") or "",
        session=v.get("session"),
        kind=v.get("kind") or "",
        status=v.get("status") or "",
        unit=v.get("unit"),
        light=v.get("light") or "",
        classification=v.get("classification") or "",
    )


@permission_required("proposal.view")
def proposal_list_view(request):
    qs = selectors.proposal_list(user=request.user, filters=_proposal_filters(request))
    if request.GET.get("format") == "xlsx":
        rows = (
            (
                p.session.name,
                p.get_kind_display(),
                p.number,
                p.title,
                "、".join(x.name for x in p.proposers.all()),
                p.lead_unit.name if p.lead_unit_id else "",
                p.assigned_on,
                p.reply_deadline,
                p.get_status_display(),
                p.first_replied_on,
                {True: "是", False: "否"}.get(p.on_time, ""),
                p.get_classification_display(),
                p.get_attitude_display(),
                p.get_result_display(),
            )
            for p in qs.prefetch_related("proposers").iterator(chunk_size=2000)
        )
        return xlsx_response(
            export_filename("建议提案"),
            [
                "会议届次",
                "类别",
                "编号",
                "标题",
                "提出人",
                "主办单位",
                "交办日期",
                "答复期限",
                "状态",
                "答复日期",
                "按期答复",
                "办理结果分类",
                "办理态度评价",
                "办理结果评价",
            ],
            rows,
            sheet="建议提案",
        )
    page = Paginator(qs.prefetch_related("proposers"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "requests/proposal_list.html",
        {
            "page": page,
            "filters": request.GET,
            "sessions": selectors.session_list(),
            "statuses": Proposal.STATUSES,
            "actions": perms.proposal_actions(user=request.user, obj=None),
        },
    )


@permission_required("proposal.manage")
def proposal_create_view(request):
    if "create" not in perms.proposal_actions(user=request.user, obj=None):
        raise Forbidden()
    form = f.ProposalForm(request.POST or None, sessions=selectors.session_list())
    return act_on_form(
        request,
        form,
        lambda d: services.proposal_register(by=request.user, **d),
        done=lambda p: f"已登记第{p.number}号{p.kind_word}",
        then=lambda p: ("requests:proposal_detail", p.pk),
    ) or render(
        request,
        "requests/form.html",
        {"form": form, "title": "登记建议提案", "back": "requests:proposal_list"},
        status=422 if form.errors else 200,
    )


def _proposer_rows(request, proposal, actions):
    """Proposers with their phones masked; in full after a reveal POST with a reason (logged)."""
    reveal_error, reason = "", None
    try:
        reason = reveal_request(request) if "reveal" in actions else None
    except DomainError as exc:
        reveal_error = exc.message
    if reason is not None:
        reveal_log(user=request.user, obj=proposal, what="提出人联系电话", reason=reason, ip=client_ip(request))
    rows = [
        {"p": p, "phone": p.phone if reason is not None else (mask_phone(p.phone) if p.phone else "")}
        for p in proposal.proposers.all()
    ]
    return rows, reason is not None, reveal_error


def _unit_form(action, *, units, data=None, auto_id="id_%s"):
    if action == "view_submit":
        return f.CoViewForm(data, auto_id=auto_id)
    if action == "request_return":
        return f.ReturnRequestForm(data, auto_id=auto_id)
    return f.ReturnDecideForm(data, units=units, auto_id=auto_id)


def _proposal_page(request, proposal, *, bound=None, status=200):
    user = request.user
    actions = perms.proposal_actions(user=user, obj=proposal)
    proposers, revealed, reveal_error = _proposer_rows(request, proposal, actions)
    units = selectors.proposal_assignable_units(user=user)
    reply = selectors.proposal_current_reply(proposal)
    reply_actions = perms.proposal_reply_actions(user=user, obj=reply) if reply else set()
    co_bound = (bound or {}).get("co", {})
    rows = []
    for u in proposal.units.all():
        row_actions = []
        for a in sorted(perms.proposal_unit_actions(user=user, obj=u)):
            form = co_bound.get((u.pk, a)) or _unit_form(a, units=units, auto_id=f"u{u.pk}_{a}_%s")
            row_actions.append((a, form))
        rows.append({"row": u, "actions": row_actions})
    rating_url = ""
    if reply and reply.status == "issued" and not reply.rated_on and proposal.status == "replied":
        path = selectors.rating_link_path(reply=reply)
        rating_url = request.build_absolute_uri(path) if path else ""
    initial_reply = (
        {
            "text": reply.text,
            "classification": reply.classification,
            "c_reason": reply.c_reason,
            "contact": reply.contact,
        }
        if reply and reply.status == "draft"
        else {}
    )
    forms = {
        "assign": f.AssignForm(units=units, initial={"on": timezone.localdate().isoformat()}),
        "request_return": f.ReturnRequestForm(),
        "decide_return": f.ReturnDecideForm(units=units),
        "request_extension": f.ExtensionRequestForm(),
        "decide_extension": f.ExtensionDecideForm(),
        "draft_reply": f.ReplyForm(initial=initial_reply),
        "approve_reply": f.ApproveForm(),
        "issue_reply": f.IssueForm(),
        "record_rating": f.RatingRecordForm(proposers=proposal.proposers.all()),
        "secret": f.SecretForm(initial={"secret": proposal.secret, "secret_reason": proposal.secret_reason}),
    }
    for name, form in forms.items():
        form.auto_id = f"{name}_%s"  # several forms on one page: ids stay unique
    forms.update({k: v for k, v in (bound or {}).items() if k != "co"})
    current_round = 2 if proposal.status == "rereplying" else 1
    may_draft = "draft_reply" in actions and (reply is None or reply.round != current_round or "edit" in reply_actions)
    item = proposal.item
    light = (
        tracking_rules.light(
            status=item.status,
            deadline=item.deadline,
            today=timezone.localdate(),
            yellow_until=yellow_until(timezone.localdate()),
            paused=item.paused,
        )
        if item is not None
        else ""
    )
    return render(
        request,
        "requests/proposal_detail.html",
        {
            "p": proposal,
            "actions": actions,
            "proposers": proposers,
            "revealed": revealed,
            "may_reveal": "reveal" in actions and not revealed,
            "reveal_error": reveal_error,
            "rows": rows,
            "replies": sorted(proposal.replies.all(), key=lambda r: r.round),
            "reply": reply,
            "reply_actions": reply_actions,
            "may_draft": may_draft,
            "light": light,
            "forms": forms,
            "clocks": selectors.proposal_clocks(proposal=proposal),
            "timeline": selectors.proposal_timeline(proposal=proposal),
            "documents": selectors.proposal_documents(proposal=proposal),
            "rating_url": rating_url,
            "return_deadline": (rules.return_deadline(proposal.assigned_on) if proposal.assigned_on else None),
            "pending_co": selectors.proposal_pending_co_views(proposal),
            "bases": {
                "reply": rules.REPLY_BASIS.get(proposal.kind, ""),
                "return": rules.RETURN_BASIS,
                "rating": rules.RATING_BASIS,
                "publication": rules.PUBLICATION_BASIS,
            },
        },
        status=status,
    )


@permission_required("proposal.view")
def proposal_detail_view(request, pk: int):
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    return _proposal_page(
        request,
        proposal,
        status=422
        if request.method == "POST"
        and "reveal_reason" in request.POST
        and not request.POST.get("reveal_reason", "").strip()
        else 200,
    )


def _reply_of(proposal):
    reply = selectors.proposal_current_reply(proposal)
    if reply is None:
        raise DomainError("尚未起草答复", field="status")
    return reply


# action -> (form factory, service call, done message)
def _proposal_action(request, proposal, action):
    user = request.user
    units = selectors.proposal_assignable_units(user=user)
    lead_row = next((u for u in proposal.units.all() if u.role == "lead" and u.active), None)
    today = timezone.localdate()
    table = {
        "assign": (
            f.AssignForm(request.POST, units=units),
            lambda d: services.proposal_assign(
                by=user,
                proposal=proposal,
                lead_unit=d["lead_unit"],
                co_units=list(d["co_units"]),
                on=d["on"],
                comment=d["comment"],
                today=today,
            ),
            "已交办",
        ),
        "request_return": (
            f.ReturnRequestForm(request.POST),
            lambda d: services.proposal_return_request(
                by=user, row=lead_row, reason=d["reason"], on=d["on"], today=today
            ),
            "已申请退回，等待交办机关决定",
        ),
        "decide_return": (
            f.ReturnDecideForm(request.POST, units=units),
            lambda d: services.proposal_return_decide(
                by=user,
                row=lead_row,
                accept=d["accept"],
                new_unit=d["new_unit"],
                comment=d["comment"],
                on=d["on"],
                today=today,
            ),
            "已处理退回申请",
        ),
        "request_extension": (
            f.ExtensionRequestForm(request.POST),
            lambda d: services.proposal_extension_request(
                by=user, proposal=proposal, months=d["months"], reason=d["reason"], on=d["on"], today=today
            ),
            "已申请延期，等待交办机关同意",
        ),
        "decide_extension": (
            f.ExtensionDecideForm(request.POST),
            lambda d: services.proposal_extension_decide(
                by=user, proposal=proposal, approve=d["approve"], comment=d["comment"], on=d["on"], today=today
            ),
            "已处理延期申请",
        ),
        "draft_reply": (
            f.ReplyForm(request.POST),
            lambda d: services.proposal_reply_save(by=user, proposal=proposal, **d),
            "答复已保存",
        ),
        "approve_reply": (
            f.ApproveForm(request.POST),
            lambda d: services.proposal_reply_approve(
                by=user, reply=_reply_of(proposal), signer=d["signer"], on=d["on"], today=today
            ),
            "答复已签发",
        ),
        "issue_reply": (
            f.IssueForm(request.POST),
            lambda d: services.proposal_reply_issue(by=user, reply=_reply_of(proposal), on=d["on"], today=today),
            "答复已印发，文号已取",
        ),
        "record_rating": (
            f.RatingRecordForm(request.POST, proposers=proposal.proposers.all()),
            lambda d: services.proposal_rating_record(
                by=user,
                proposal=proposal,
                proposer=d["proposer"],
                attitude=d["attitude"],
                result=d["result"],
                comment=d["comment"],
                on=d["on"],
                today=today,
            ),
            "评价已登记",
        ),
        "secret": (
            f.SecretForm(request.POST),
            lambda d: services.proposal_secret_set(
                by=user, proposal=proposal, secret=d["secret"], reason=d["secret_reason"]
            ),
            "公开设置已保存",
        ),
    }
    if action not in table:
        raise Http404()
    return table[action]


@require_POST
@permission_required(*PROPOSAL_WRITE)
def proposal_action_view(request, pk: int, action: str):
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    form, call, done = _proposal_action(request, proposal, action)
    form.auto_id = f"{action}_%s"
    needed = {"approve_reply": "approve", "issue_reply": "issue"}.get(action)
    if needed:
        reply = selectors.proposal_current_reply(proposal)
        if reply is None or needed not in perms.proposal_reply_actions(user=request.user, obj=reply):
            raise Forbidden()
    elif action not in perms.proposal_actions(user=request.user, obj=proposal):
        raise Forbidden()
    return act_on_form(
        request, form, call, done=done, then=("requests:proposal_detail", proposal.pk)
    ) or _proposal_page(request, selectors.proposal_get(user=request.user, pk=pk), bound={action: form}, status=422)


@require_POST
@permission_required("proposal.manage", "proposal.reply")
def proposal_unit_action_view(request, pk: int, unit_pk: int, action: str):
    """A co-unit's view or return request, or the assigning body's decision on a co-unit's return."""
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    row = next((u for u in proposal.units.all() if u.pk == unit_pk), None)
    if row is None:
        raise Http404()
    user, today = request.user, timezone.localdate()
    units = selectors.proposal_assignable_units(user=user)
    calls = {
        "view_submit": (
            lambda d: services.proposal_co_view_submit(by=user, row=row, text=d["text"], on=d["on"], today=today),
            "协办意见已提交",
        ),
        "request_return": (
            lambda d: services.proposal_return_request(by=user, row=row, reason=d["reason"], on=d["on"], today=today),
            "已申请退回，等待交办机关决定",
        ),
        "decide_return": (
            lambda d: services.proposal_return_decide(
                by=user,
                row=row,
                accept=d["accept"],
                new_unit=d["new_unit"],
                comment=d["comment"],
                on=d["on"],
                today=today,
            ),
            "已处理退回申请",
        ),
    }
    if action not in calls:
        raise Http404()
    if action not in perms.proposal_unit_actions(user=user, obj=row):
        raise Forbidden()
    call, done = calls[action]
    form = _unit_form(action, units=units, data=request.POST, auto_id=f"u{row.pk}_{action}_%s")
    return act_on_form(
        request, form, call, done=done, then=("requests:proposal_detail", proposal.pk)
    ) or _proposal_page(
        request, selectors.proposal_get(user=user, pk=pk), bound={"co": {(row.pk, action): form}}, status=422
    )


@permission_required("proposal.view")
def proposal_document_view(request, pk: int, document_pk: int):
    document = selectors.proposal_document_get(user=request.user, pk=pk, document_pk=document_pk)
    return attachment_response(document.attachment)


def _light_label(light: str) -> str:
    return {"green": "绿", "yellow": "黄", "red": "红"}.get(light, "—")


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


@permission_required("proposal.view")
def proposal_stats_view(request):
    form = f.StatsForm(request.GET)
    v = form.cleaned_data if form.is_valid() else {}
    group = v.get("group") or "unit"
    rows, total = selectors.proposal_stats(
        user=request.user, group=group, session=v.get("session"), year=v.get("year"), kind=v.get("kind") or ""
    )
    if request.GET.get("format") == "xlsx":
        data = [
            (
                r.label,
                r.total,
                r.replied,
                _pct(r.rates["replied"]["value"]),
                r.due,
                r.on_time,
                _pct(r.rates["on_time"]["value"]),
                _light_label(r.rates["on_time"]["light"]),
                r.overdue_open,
                r.a,
                r.b,
                r.c,
                r.rated,
                _pct(r.rates["attitude"]["value"]),
                _pct(r.rates["result"]["value"]),
                _light_label(r.rates["result"]["light"]),
                r.first_dissatisfied,
            )
            for r in [*rows, total]
        ]
        return xlsx_response(
            export_filename("建议提案办理统计"),
            [
                "承办单位" if group == "unit" else "会议届次",
                "交办件数",
                "已答复",
                "办复率",
                "应答复",
                "按期答复",
                "按期答复率",
                "按期亮灯",
                "超期未答复",
                "A类",
                "B类",
                "C类",
                "已评价",
                "态度满意率",
                "结果满意率",
                "结果亮灯",
                "首次不满意",
            ],
            data,
            sheet="办理统计",
        )
    return render(
        request,
        "requests/proposal_stats.html",
        {
            "rows": rows,
            "total": total,
            "group": group,
            "filters": request.GET,
            "sessions": selectors.session_list(),
            "goal": rules.GOAL_PERCENT,
            "yellow_from": rules.goal_yellow_from(),
        },
    )


# ================================================================ disclosure requests


def _disclosure_filters(request) -> selectors.DisclosureFilters:
    v = f.DisclosureFilterForm(request.GET).values()
    return selectors.DisclosureFilters(
        q=v.get("q") or "",
        status=v.get("status") or "",
        channel=v.get("channel") or "",
        agency=v.get("agency"),
        light=v.get("light") or "",
        year=v.get("year"),
        answer=v.get("answer") or "",
    )


@permission_required("disclosure_request.view")
def disclosure_list_view(request):
    qs = selectors.disclosure_list(user=request.user, filters=_disclosure_filters(request))
    if request.GET.get("format") == "xlsx":
        rows = (
            (
                r.tracking_code,
                r.agency.name,
                r.get_channel_display(),
                r.get_applicant_kind_display(),
                r.submitted_on,
                r.received_on,
                r.title,
                r.get_status_display(),
                r.item.deadline if r.item_id and r.status not in rules.CONCLUDED_STATES else None,
                r.extended_days,
                rules.ANSWER[r.answer_kind].label if r.answer_kind in rules.ANSWER else "",
                r.answered_on,
                r.answer_number,
                {True: "是", False: "否"}.get(r.on_time, ""),
                r.delivered_on,
            )
            for r in qs.iterator(chunk_size=2000)
        )
        return xlsx_response(
            export_filename("政府信息公开申请"),
            [
                "查询码",
                "受理机关",
                "申请方式",
                "申请人类型",
                "提交日期",
                "收到申请之日",
                "所需信息",
                "状态",
                "答复期限",
                "已延长（工作日）",
                "答复类型",
                "答复日期",
                "答复书文号",
                "按期答复",
                "送达日期",
            ],
            rows,
            sheet="依申请公开",
        )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "requests/disclosure_list.html",
        {
            "page": page,
            "filters": request.GET,
            "statuses": selectors.DisclosureRequest.STATUSES,
            "channels": CHANNELS,
            "answers": [(a.code, a.label) for a in rules.ANSWER_KINDS],
            "actions": perms.disclosure_request_actions(user=request.user, obj=None),
        },
    )


@permission_required("disclosure_request.handle")
def disclosure_create_view(request):
    if "create" not in perms.disclosure_request_actions(user=request.user, obj=None):
        raise Forbidden()
    agencies = selectors.disclosure_agencies(user=request.user)
    form = f.DisclosureForm(
        request.POST or None,
        agencies=agencies,
        initial={"agency": request.user.unit_id, "received_on": timezone.localdate().isoformat(), "channel": "window"},
    )
    return act_on_form(
        request,
        form,
        lambda d: services.disclosure_register(by=request.user, **d)[0],
        done=lambda r: f"已登记申请，查询码 {r.tracking_code}",
        then=lambda r: ("requests:disclosure_detail", r.pk),
    ) or render(
        request,
        "requests/disclosure_form.html",
        {"form": form, "receipt_rules": rules.RECEIPT_RULES},
        status=422 if form.errors else 200,
    )


# The fields each event's form shows (one DisclosureEventForm for all).
EVENT_FIELDS = {
    "confirmed": ["on", "reason"],
    "correction_requested": ["on", "reason", "days"],
    "correction_received": ["on", "reason"],
    "consultation_started": ["on", "party", "party_name", "reason"],
    "consultation_ended": ["on", "reason"],
    "extended": ["on", "days", "reason"],
    "answered": ["on", "answer", "ground", "competent_body", "reason"],
    "delivered": ["on", "method", "reason"],
    "abandoned": ["on", "reason"],
    "withdrawn": ["on", "reason"],
}
EVENT_HELP = {
    "confirmed": rules.RECEIPT_RULES["online"],
    "correction_requested": "说明：需要补正的事项（一次性告知）；工作日数：补正期限，不填按本地默认",
    "correction_received": "答复期限自收到补正的申请之日起重新计算（第三十条）；逾期补正的须说明正当理由",
    "consultation_started": "征求意见期间不计入答复期限（第三十三条第三款），对方 15 个工作日内提出意见",
    "extended": "经政府信息公开工作机构负责人同意并告知申请人，合计不超过 20 个工作日（第三十三条第二款）",
    "answered": "不予公开、不予处理须选依据；部分公开、不予公开等须在说明中写明理由；非本机关负责公开的须写明负责公开的机关",
    "abandoned": "补正期限届满后，申请人无正当理由逾期不补正的，视为放弃申请（第三十条）",
}


def _disclosure_page(request, req, *, bound=None, status=200):
    user = request.user
    actions = perms.disclosure_request_actions(user=user, obj=req)
    reveal_error, reason = "", None
    try:
        reason = reveal_request(request) if "reveal" in actions else None
    except DomainError as exc:
        reveal_error, status = exc.message, 422
    applicant = selectors.applicant_display(user=user, request=req, reveal_reason=reason, ip=client_ip(request))
    event_kinds = [k for k in rules.EVENT_KINDS if k in actions]
    today = timezone.localdate()
    forms = {
        k: f.DisclosureEventForm(initial={"kind": k, "on": today.isoformat()}, auto_id=f"{k}-%s") for k in event_kinds
    }
    if bound:
        forms.update(bound)
    answer_clock = selectors.disclosure_answer_clock(request=req)
    return render(
        request,
        "requests/disclosure_detail.html",
        {
            "r": req,
            "actions": actions,
            "applicant": applicant,
            "may_reveal": "reveal" in actions and reason is None,
            "reveal_error": reveal_error,
            "event_forms": [
                (k, rules.EVENT_KINDS[k], forms[k], [forms[k][name] for name in EVENT_FIELDS[k]], EVENT_HELP.get(k, ""))
                for k in event_kinds
            ],
            "clocks": selectors.disclosure_clocks(request=req),
            "answer_clock": answer_clock,
            "timeline": selectors.disclosure_timeline(request=req),
            "documents": selectors.disclosure_documents(request=req),
            "answer_label": rules.ANSWER[req.answer_kind].label if req.answer_kind in rules.ANSWER else "",
            "correction_notice_deadline": (
                rules.correction_notice_deadline(req.received_on)
                if req.received_on and not req.correction_requested_on
                else None
            ),
            "receipt_rule": rules.RECEIPT_RULES.get(req.channel, ""),
        },
        status=status,
    )


@permission_required("disclosure_request.view")
def disclosure_detail_view(request, pk: int):
    return _disclosure_page(request, selectors.disclosure_get(user=request.user, pk=pk))


@require_POST
@permission_required("disclosure_request.handle")
def disclosure_event_view(request, pk: int):
    req = selectors.disclosure_get(user=request.user, pk=pk)
    kind = request.POST.get("kind", "")
    form = f.DisclosureEventForm(request.POST, auto_id=f"{kind}-%s" if kind in rules.EVENT_KINDS else "id_%s")
    response = act_on_form(
        request,
        form,
        lambda d: services.disclosure_event(by=request.user, request=req, **d),
        done=lambda r: f"已登记：{rules.EVENT_KINDS.get(kind, kind)}",
        then=("requests:disclosure_detail", req.pk),
    )
    if response:
        return response
    return _disclosure_page(
        request,
        selectors.disclosure_get(user=request.user, pk=pk),
        bound={kind: form} if kind in rules.EVENT_KINDS else None,
        status=422,
    )


@permission_required("disclosure_request.view")
def disclosure_document_view(request, pk: int, document_pk: int):
    document = selectors.disclosure_document_get(user=request.user, pk=pk, document_pk=document_pk)
    return attachment_response(document.attachment)


def _report_table(report) -> list[tuple[str, str, list[int]]]:
    """The rows of table 三 in the national layout: (key, label, one figure per applicant column)."""
    columns = [c for c, _ in rules.REPORT_COLUMNS]
    return [
        ("received", "一、本年新收政府信息公开申请数量", [report.received[c] for c in columns]),
        ("carried_in", "二、上年结转政府信息公开申请数量", [report.carried_in[c] for c in columns]),
        *[
            (key, f"三、本年度办理结果 {label}", [report.results[key][c] for c in columns])
            for key, label in rules.REPORT_ROWS
        ],
        ("total", "三、本年度办理结果（七）总计", [report.results["total"][c] for c in columns]),
        ("carried_out", "四、结转下年度继续办理", [report.carried_out[c] for c in columns]),
    ]


@permission_required("disclosure_request.view")
def disclosure_report_view(request):
    form = f.ReportForm(request.GET)
    v = form.cleaned_data if form.is_valid() else {}
    year = v.get("year") or timezone.localdate().year
    units = selectors.disclosure_report_units(user=request.user)
    unit = units.filter(pk=v.get("unit")).first() if v.get("unit") else None
    report = selectors.disclosure_report(user=request.user, year=year, unit=unit)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return xlsx_response(
            export_filename(f"{year}年政府信息公开申请情况（分单位）"),
            [
                "单位",
                "本年新收",
                "上年结转",
                "予以公开",
                "部分公开",
                "不予公开",
                "无法提供",
                "不予处理",
                "其他处理",
                "办结合计",
                "按期答复率",
                "结转下年",
                "行政复议",
                "行政诉讼",
            ],
            (
                (
                    u["agency__name"],
                    u["received"],
                    u["carried_in"],
                    u["disclosed"],
                    u["partial"],
                    u["withheld"],
                    u["unavailable"],
                    u["not_processed"],
                    u["other"],
                    u["concluded"],
                    _pct(u["on_time_rate"]),
                    u["carried_out"],
                    u["disputes"]["reconsiderations"] if u["disputes"] is not None else "—",
                    u["disputes"]["suits"] if u["disputes"] is not None else "—",
                )
                for u in report.per_unit
            ),
            sheet="分单位",
        )
    if fmt == "table":
        columns = rules.REPORT_COLUMNS
        rows = [(label, *figures) for _, label, figures in _report_table(report)] + [
            (
                "五、因政府信息公开被申请行政复议（总计）",
                *(["—"] * (len(columns) - 1)),
                report.disputes["reconsiderations"] if report.disputes is not None else "—",
            ),
            (
                "五、因政府信息公开被提起行政诉讼（总计）",
                *(["—"] * (len(columns) - 1)),
                report.disputes["suits"] if report.disputes is not None else "—",
            ),
        ]
        return xlsx_response(
            export_filename(f"{year}年政府信息公开工作年度报告（收到和处理申请情况）"),
            ["项目", *[label if c in ("person", "total") else f"法人或其他组织：{label}" for c, label in columns]],
            rows,
            sheet="收到和处理申请情况",
        )
    return render(
        request,
        "requests/disclosure_report.html",
        {
            "report": report,
            "year": year,
            "unit": unit,
            "units": units,
            "columns": rules.REPORT_COLUMNS,
            "table": _report_table(report),
            "basis": rules.REPORT_BASIS,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )
