"""Staff pages of 特邀行政执法监督员 and the invited supervisor's own page. Thin: parse, call, render."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.actions import act_on_form
from fazhi.core.attachments import attachment_response
from fazhi.core.audit import client_ip
from fazhi.core.decorators import permission_required
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.exports import export_filename, xlsx_response
from fazhi.core.masking import mask_id_number, mask_name, mask_phone
from fazhi.core.reveal import reveal_request
from fazhi.supervision.supervisors import forms as f
from fazhi.supervision.supervisors import permissions as perms
from fazhi.supervision.supervisors import rules, selectors, services

NS = "supervision:supervisors"
SESSION_ACCOUNT = "invited_account"
VIEW, MANAGE, DUTY = "invited.view", "invited.manage", "invited.duty"


def _ip(request):
    return client_ip(request)


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 10 else None


def _page(request, qs, per: int = 30):
    return Paginator(qs, per).get_page(request.GET.get("page"))


def _agency(name: str, field: str = "agency"):
    from fazhi.complaints.selectors import agency_by_name

    return agency_by_name(name=name, field=field) if (name or "").strip() else None


def _agency_names():
    from fazhi.complaints.selectors import assignable_agencies

    return assignable_agencies().values_list("name", flat=True)


# ---------------------------------------------------------------- campaigns


@permission_required(VIEW)
def campaign_list_view(request):
    g = request.GET
    qs = selectors.campaign_list(
        user=request.user, q=g.get("q", ""), status=g.get("status", ""), year=_int(g.get("year"))
    )
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("特邀监督员招募"),
            ["年度", "公告标题", "组织单位", "拟聘名额", "报名期", "状态", "公示期", "报名人数", "聘任人数"],
            (
                (
                    c.year,
                    c.title,
                    c.organiser.name,
                    c.quota,
                    f"{c.apply_from} 至 {c.apply_until}",
                    c.get_status_display(),
                    f"{c.publicity_start} 至 {c.publicity_end}" if c.publicity_start else "",
                    c.application_count,
                    c.appointed_count,
                )
                for c in qs.iterator(chunk_size=2000)
            ),
            sheet="招募",
        )
    return render(
        request,
        "supervision/supervisors/campaign_list.html",
        {
            "page": _page(request, qs),
            "filters": g,
            "statuses": rules.CAMPAIGN_STATUSES,
            "actions": perms.campaign_actions(user=request.user, obj=None),
        },
    )


def _campaign_form(request, campaign=None):
    today = timezone.localdate()
    initial = f.CampaignForm.defaults(today) | {"organiser": request.user.unit_id}
    if campaign is not None:
        initial = {name: getattr(campaign, name) for name in f.CampaignForm.base_fields if name != "organiser"}
        initial["organiser"] = campaign.organiser_id
    return f.CampaignForm(
        request.POST or None, initial=initial, organisers=selectors.organiser_units(user=request.user)
    )


@permission_required(MANAGE)
def campaign_create_view(request):
    form = _campaign_form(request)
    if request.method == "POST" and "create" not in perms.campaign_actions(user=request.user, obj=None):
        raise Forbidden()
    return act_on_form(
        request,
        form,
        lambda d: services.campaign_create(
            by=request.user,
            title=d["title"],
            year=d["year"],
            quota=d["quota"],
            apply_from=d["apply_from"],
            apply_until=d["apply_until"],
            announcement=d["announcement"],
            organiser=d["organiser"],
            conditions=form.conditions(),
            publicity_days=d["publicity_days"],
            term_years=d["term_years"],
            ip=_ip(request),
        ),
        done="已保存招募公告草稿，发布后在公开平台公布",
        then=lambda c: (f"{NS}:campaign_detail", c.pk),
    ) or render(
        request,
        "supervision/supervisors/form.html",
        {"form": form, "title": "新建特邀监督员招募", "back": f"{NS}:campaign_list"},
        status=422 if form.errors else 200,
    )


@permission_required(MANAGE)
def campaign_edit_view(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    if "edit" not in perms.campaign_actions(user=request.user, obj=campaign):
        raise Forbidden()
    form = _campaign_form(request, campaign)
    return act_on_form(
        request,
        form,
        lambda d: services.campaign_update(
            by=request.user,
            campaign=campaign,
            title=d["title"],
            year=d["year"],
            quota=d["quota"],
            apply_from=d["apply_from"],
            apply_until=d["apply_until"],
            announcement=d["announcement"],
            conditions=form.conditions(),
            publicity_days=d["publicity_days"],
            term_years=d["term_years"],
            ip=_ip(request),
        ),
        done="已修改招募公告",
        then=(f"{NS}:campaign_detail", campaign.pk),
    ) or render(
        request,
        "supervision/supervisors/form.html",
        {"form": form, "title": f"修改：{campaign.title}", "back": f"{NS}:campaign_list"},
        status=422 if form.errors else 200,
    )


@permission_required(VIEW)
def campaign_detail_view(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    return render(request, "supervision/supervisors/campaign_detail.html", _campaign_context(request, campaign))


def _campaign_context(request, campaign, **extra):
    applications = selectors.application_list(
        user=request.user, filters=selectors.ApplicationFilters(campaign=campaign.pk)
    )
    return {
        "c": campaign,
        "actions": perms.campaign_actions(user=request.user, obj=campaign),
        "conditions": rules.conditions_text(campaign.conditions),
        "counts": selectors.campaign_counts(campaign=campaign),
        "applications": [(a, selectors.masked_applicant(a)) for a in applications[:200]],
        "objections": selectors.objection_list(user=request.user, campaign=campaign.pk)[:200],
        "supervisors": selectors.supervisor_list(user=request.user, campaign=campaign.pk)[:200],
        "events": selectors.timeline(item_ids=[campaign.item_id]),
        "documents": selectors.documents(kind="invited_campaign", pk=campaign.pk),
        "entry_form": extra.get("entry_form") or f.StaffApplicationForm(initial={"route": "unit"}),
    }


@require_POST
@permission_required(MANAGE)
def campaign_action_view(request, pk: int, action: str):
    from fazhi.core.actions import act

    campaign = selectors.campaign_get(user=request.user, pk=pk)
    calls = {
        "publish": (services.campaign_publish, "招募公告已在公开平台发布"),
        "publicity": (services.campaign_publicity_start, "已开始公示，公示名单和公示期已在公开平台公布"),
        "close": (services.campaign_close, "招募已结束"),
    }
    if action not in calls:
        raise Http404()
    call, done = calls[action]
    return act(
        request,
        lambda: call(by=request.user, campaign=campaign, ip=_ip(request)),
        done=done,
        then=(f"{NS}:campaign_detail", campaign.pk),
    )


@require_POST
@permission_required(MANAGE)
def application_enter_view(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    form = f.StaffApplicationForm(request.POST, request.FILES)
    return act_on_form(
        request,
        form,
        lambda d: services.application_enter(
            by=request.user,
            campaign=campaign,
            route=d["route"],
            data=form.applicant(),
            files=request.FILES.getlist("attachments"),
            ip=_ip(request),
        ),
        done=lambda a: (
            f"已登记{a.get_route_display()}（{a.tracking_code}）" + ("，已生成函询函" if a.route == "invite" else "")
        ),
        then=lambda a: (f"{NS}:application_detail", a.pk),
    ) or render(
        request,
        "supervision/supervisors/campaign_detail.html",
        _campaign_context(request, campaign, entry_form=form),
        status=422,
    )


# ---------------------------------------------------------------- applications


def _application_filters(g) -> selectors.ApplicationFilters:
    return selectors.ApplicationFilters(
        q=g.get("q", ""),
        campaign=_int(g.get("campaign")),
        route=g.get("route", ""),
        status=g.get("status", ""),
        eligible=g.get("eligible", ""),
    )


@permission_required(VIEW)
def application_list_view(request):
    g = request.GET
    qs = selectors.application_list(user=request.user, filters=_application_filters(g))
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("特邀监督员报名"),
            [
                "查询码",
                "招募",
                "报名方式",
                "姓名",
                "性别",
                "出生年月",
                "身份证号",
                "联系电话",
                "工作单位及职务",
                "符合条件",
                "不符合的条件",
                "状态",
            ],
            (
                (
                    a.tracking_code,
                    a.campaign.title,
                    a.get_route_display(),
                    mask_name(a.name),
                    a.gender,
                    f"{a.birth_date:%Y-%m}",
                    mask_id_number(a.id_number),
                    mask_phone(a.phone),
                    a.employer,
                    a.eligible,
                    "；".join(x["message"] for x in a.eligibility),
                    a.get_status_display(),
                )
                for a in qs.iterator(chunk_size=2000)
            ),
            sheet="报名",
        )
    page = _page(request, qs)
    rows = [(a, selectors.masked_applicant(a)) for a in page.object_list]
    return render(
        request,
        "supervision/supervisors/application_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": g,
            "routes": rules.ROUTES,
            "statuses": rules.APPLICATION_STATUSES,
            "campaigns": selectors.campaign_list(user=request.user)[:100],
        },
    )


def _application_context(request, application, **forms_):
    actions = perms.application_actions(user=request.user, obj=application)
    reveal_error = ""
    try:
        reason = reveal_request(request)
    except DomainError as exc:
        reason, reveal_error = None, exc.message
    applicant = selectors.applicant_display(
        user=request.user, application=application, reveal_reason=reason, ip=_ip(request)
    )
    failed = "\n".join(x["message"] for x in application.eligibility)
    return {
        "a": application,
        "c": application.campaign,
        "term_source": rules.term_source(application.campaign.term_years),
        "actions": actions,
        "applicant": applicant,
        "age": selectors.application_age(application),
        "may_reveal": "reveal" in actions and applicant.masked,
        "reveal_error": reveal_error,
        "objections": application.objections.all(),
        "pending_objections": selectors.pending_objections(application=application),
        "appointment": getattr(application, "appointment", None) if application.status == "appointed" else None,
        "events": selectors.timeline(item_ids=[application.item_id]),
        "documents": selectors.documents(kind="invited_application", pk=application.pk),
        "review_form": forms_.get("review_form") or f.ReviewForm(initial={"reason": failed}),
        "reply_form": forms_.get("reply_form") or f.InviteReplyForm(),
        "objection_form": forms_.get("objection_form") or f.ObjectionForm(),
    }


@permission_required(VIEW)
def application_detail_view(request, pk: int):
    """GET shows the page; a POST with a reason reveals the personal data (logged)."""
    application = selectors.application_get(user=request.user, pk=pk)
    return render(
        request, "supervision/supervisors/application_detail.html", _application_context(request, application)
    )


@require_POST
@permission_required(MANAGE)
def application_action_view(request, pk: int, action: str):
    application = selectors.application_get(user=request.user, pk=pk)
    ip, back = _ip(request), (f"{NS}:application_detail", application.pk)
    if action == "review":
        form = f.ReviewForm(request.POST)

        def call(d):
            return services.application_review(
                by=request.user, application=application, passed=d["decision"] == "pass", reason=d["reason"], ip=ip
            )

        done, key = "已记录资格初审结论", "review_form"
    elif action == "reply":
        form = f.InviteReplyForm(request.POST)

        def call(d):
            return services.application_invite_reply(
                by=request.user, application=application, accepted=d["accepted"] == "1", note=d["note"], ip=ip
            )

        done, key = "已登记函询回复", "reply_form"
    elif action == "objection":
        form = f.ObjectionForm(request.POST)

        def call(d):
            return services.objection_enter(
                by=request.user, application=application, content=d["content"], name=d["name"], phone=d["phone"], ip=ip
            )

        done, key = "已登记公示异议，请核查后答复", "objection_form"
    elif action == "appoint":
        return _appoint(request, application)
    else:
        raise Http404()
    return act_on_form(request, form, call, done=done, then=back) or render(
        request,
        "supervision/supervisors/application_detail.html",
        _application_context(request, application, **{key: form}),
        status=422,
    )


def _appoint(request, application):
    from fazhi.core.actions import act

    def done(result):
        supervisor, password = result
        # The initial password is shown once, on the next page, and then forgotten (like an API token).
        request.session[SESSION_ACCOUNT] = {"supervisor": supervisor.pk, "password": password}
        return f"已聘任{supervisor.name}，聘书编号 {supervisor.number}"

    return act(
        request,
        lambda: services.supervisor_appoint(by=request.user, application=application, ip=_ip(request)),
        done=done,
        then=lambda r: (f"{NS}:supervisor_account", r[0].pk) if r else (f"{NS}:application_detail", application.pk),
    )


@permission_required(VIEW)
def application_attachment_view(request, pk: int, attachment_pk: int):
    application = selectors.application_get(user=request.user, pk=pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise NotFound()
    return attachment_response(attachment)


@permission_required(VIEW)
def application_document_view(request, pk: int, document_pk: int):
    application = selectors.application_get(user=request.user, pk=pk)
    document = selectors.document_get(kind="invited_application", pk=application.pk, document_pk=document_pk)
    return attachment_response(document.attachment)


@permission_required(VIEW)
def campaign_document_view(request, pk: int, document_pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    document = selectors.document_get(kind="invited_campaign", pk=campaign.pk, document_pk=document_pk)
    return attachment_response(document.attachment)


# ---------------------------------------------------------------- objections


@permission_required(VIEW)
def objection_list_view(request):
    g = request.GET
    qs = selectors.objection_list(
        user=request.user, q=g.get("q", ""), campaign=_int(g.get("campaign")), status=g.get("status", "")
    )
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("特邀监督员公示异议"),
            ["收到时间", "招募", "拟聘任人员", "来源", "异议内容", "状态", "核查结论", "核查答复"],
            (
                (
                    o.received_at,
                    o.campaign.title,
                    o.application.name,
                    o.get_channel_display(),
                    o.content,
                    o.get_status_display(),
                    "" if o.upheld is None else ("异议成立" if o.upheld else "异议不成立"),
                    o.answer,
                )
                for o in qs.iterator(chunk_size=2000)
            ),
            sheet="公示异议",
        )
    return render(
        request,
        "supervision/supervisors/objection_list.html",
        {"page": _page(request, qs), "filters": g, "statuses": rules.OBJECTION_STATUSES},
    )


def _objection_context(request, objection, form=None):
    return {
        "o": objection,
        "actions": perms.objection_actions(user=request.user, obj=objection),
        "form": form or f.ObjectionAnswerForm(),
        "phone": mask_phone(objection.objector_phone),
        "name": mask_name(objection.objector_name),
        # An objection is a step of its campaign's and its candidate's timelines.
        "events": selectors.timeline(item_ids=[objection.campaign.item_id]).filter(
            action__in=("objection", "objection_answered")
        ),
    }


@permission_required(VIEW)
def objection_detail_view(request, pk: int):
    objection = selectors.objection_get(user=request.user, pk=pk)
    if request.method == "POST":
        if "answer" not in perms.objection_actions(user=request.user, obj=objection):
            raise Forbidden()
        form = f.ObjectionAnswerForm(request.POST)
        return act_on_form(
            request,
            form,
            lambda d: services.objection_answer(
                by=request.user, objection=objection, answer=d["answer"], upheld=d["upheld"] == "1", ip=_ip(request)
            ),
            done="已答复异议",
            then=(f"{NS}:objection_detail", objection.pk),
        ) or render(
            request,
            "supervision/supervisors/objection_detail.html",
            _objection_context(request, objection, form),
            status=422,
        )
    return render(request, "supervision/supervisors/objection_detail.html", _objection_context(request, objection))


# ---------------------------------------------------------------- supervisors


@permission_required(VIEW)
def supervisor_list_view(request):
    g = request.GET
    qs = selectors.supervisor_list(
        user=request.user, q=g.get("q", ""), status=g.get("status", ""), campaign=_int(g.get("campaign"))
    )
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("特邀监督员名册"),
            [
                "姓名",
                "聘书编号",
                "聘任单位",
                "工作单位及职务",
                "联系电话",
                "聘任日期",
                "聘期届满",
                "状态",
                "离任日期",
                "离任原因",
            ],
            (
                (
                    s.name,
                    s.number,
                    s.unit.name,
                    s.application.employer,
                    mask_phone(s.application.phone),
                    s.appointed_on,
                    s.term_end,
                    s.get_status_display(),
                    s.ended_on,
                    s.end_reason,
                )
                for s in qs.iterator(chunk_size=2000)
            ),
            sheet="名册",
        )
    return render(
        request,
        "supervision/supervisors/supervisor_list.html",
        {
            "page": _page(request, qs),
            "filters": g,
            "statuses": rules.SUPERVISOR_STATUSES,
            "campaigns": selectors.campaign_list(user=request.user)[:100],
        },
    )


def _supervisor_context(request, supervisor, **forms_):
    actions = perms.supervisor_actions(user=request.user, obj=supervisor)
    reveal_error = ""
    try:
        reason = reveal_request(request)
    except DomainError as exc:
        reason, reveal_error = None, exc.message
    applicant = selectors.applicant_display(
        user=request.user, application=supervisor.application, reveal_reason=reason, ip=_ip(request)
    )
    today = timezone.localdate()
    return {
        "s": supervisor,
        "a": supervisor.application,
        "term_source": rules.term_source(supervisor.campaign.term_years),
        "actions": actions,
        "applicant": applicant,
        "may_reveal": "reveal" in actions and applicant.masked,
        "reveal_error": reveal_error,
        "reviews": selectors.supervisor_reviews(supervisor=supervisor),
        "duties": selectors.duty_list(user=request.user, filters=selectors.DutyFilters(supervisor=supervisor.pk))[:50],
        "submissions": selectors.submission_list(user=request.user).filter(supervisor=supervisor)[:50],
        "trainings": supervisor.trainings.order_by("-held_on")[:50],
        "ledger": selectors.ledger(user=request.user, year=today.year, supervisor=supervisor),
        "columns": selectors.ledger_columns(),
        "events": selectors.supervisor_timeline(user=request.user, supervisor=supervisor),
        "documents": selectors.documents(kind="invited_supervisor", pk=supervisor.pk),
        "review_form": forms_.get("review_form") or f.AnnualReviewForm(initial={"year": today.year}),
        "end_form": forms_.get("end_form") or f.EndForm(),
        "assign_form": forms_.get("assign_form") or _assign_form(request, supervisor),
    }


def _link_kinds():
    from fazhi.supervision.links import LINK_KINDS

    return [(k.code, k.label) for k in LINK_KINDS.values() if k.code in ("case", "inspection_record")]


def _assign_form(request, supervisor=None, data=None):
    return f.DutyAssignForm(
        data,
        initial={"supervisor": supervisor.pk if supervisor else None, "planned_on": timezone.localdate()},
        supervisors=selectors.supervisors_serving(user=request.user),
        link_kinds=_link_kinds(),
    )


@permission_required(VIEW, DUTY)
def supervisor_detail_view(request, pk: int):
    supervisor = selectors.supervisor_get(user=request.user, pk=pk)
    if "view" not in perms.supervisor_actions(user=request.user, obj=supervisor):
        raise NotFound()
    return render(request, "supervision/supervisors/supervisor_detail.html", _supervisor_context(request, supervisor))


@require_POST
@permission_required(MANAGE)
def supervisor_action_view(request, pk: int, action: str):
    supervisor = selectors.supervisor_get(user=request.user, pk=pk)
    ip, back = _ip(request), (f"{NS}:supervisor_detail", supervisor.pk)
    if action == "review":
        form = f.AnnualReviewForm(request.POST)

        def call(d):
            return services.annual_review_record(
                by=request.user, supervisor=supervisor, year=d["year"], grade=d["grade"], comment=d["comment"], ip=ip
            )

        done, key = "已记录年度考核", "review_form"
    elif action == "end":
        form = f.EndForm(request.POST)

        def call(d):
            return services.supervisor_end(
                by=request.user, supervisor=supervisor, ending=d["ending"], reason=d["reason"], ip=ip
            )

        done, key = "已办理离任，账号已停用特邀监督员权限", "end_form"
    else:
        raise Http404()
    return act_on_form(request, form, call, done=done, then=back) or render(
        request,
        "supervision/supervisors/supervisor_detail.html",
        _supervisor_context(request, supervisor, **{key: form}),
        status=422,
    )


@permission_required(MANAGE)
def supervisor_account_view(request, pk: int):
    """The new account's initial password, shown once right after the appointment."""
    supervisor = selectors.supervisor_get(user=request.user, pk=pk)
    if "account" not in perms.supervisor_actions(user=request.user, obj=supervisor):
        raise Forbidden()
    shown = request.session.get(SESSION_ACCOUNT) or {}
    password = shown.get("password") if shown.get("supervisor") == supervisor.pk else None
    if password is not None:
        del request.session[SESSION_ACCOUNT]
    return render(
        request,
        "supervision/supervisors/account.html",
        {
            "s": supervisor,
            "password": password,
            "documents": selectors.documents(kind="invited_supervisor", pk=supervisor.pk),
        },
    )


@permission_required(VIEW, DUTY)
def supervisor_document_view(request, pk: int, document_pk: int):
    supervisor = selectors.supervisor_get(user=request.user, pk=pk)
    if "view" not in perms.supervisor_actions(user=request.user, obj=supervisor):
        raise NotFound()
    document = selectors.document_get(kind="invited_supervisor", pk=supervisor.pk, document_pk=document_pk)
    return attachment_response(document.attachment)


# ---------------------------------------------------------------- duties


@permission_required(VIEW)
def duty_list_view(request):
    g = request.GET
    filters = selectors.DutyFilters(
        q=g.get("q", ""), kind=g.get("kind", ""), status=g.get("status", ""), supervisor=_int(g.get("supervisor"))
    )
    qs = selectors.duty_list(user=request.user, filters=filters)
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("特邀监督员观摩与检查"),
            [
                "特邀监督员",
                "类型",
                "观摩对象",
                "执法单位",
                "安排日期",
                "地点",
                "状态",
                "观摩日期",
                "观摩情况",
                "意见建议",
                "记录期限",
            ],
            (
                (
                    d.supervisor.name,
                    d.get_kind_display(),
                    d.subject,
                    d.agency.name if d.agency_id else "",
                    d.planned_on,
                    d.place,
                    d.get_status_display(),
                    d.observed_on,
                    d.findings,
                    d.opinion,
                    d.item.deadline if d.item_id else None,
                )
                for d in qs.iterator(chunk_size=2000)
            ),
            sheet="观摩与检查",
        )
    return render(
        request,
        "supervision/supervisors/duty_list.html",
        {
            "page": _page(request, qs),
            "filters": g,
            "kinds": rules.DUTY_KINDS,
            "statuses": rules.DUTY_STATUSES,
            "may_assign": perms.manages_some(request.user),
        },
    )


@permission_required(MANAGE)
def duty_assign_view(request):
    form = _assign_form(request, data=request.POST or None)
    if request.method == "GET" and request.GET.get("supervisor"):
        form.initial["supervisor"] = _int(request.GET["supervisor"])
    return act_on_form(
        request,
        form,
        lambda d: services.duty_assign(
            by=request.user,
            supervisor=d["supervisor"],
            kind=d["kind"],
            link_kind=d["link_kind"],
            link_id=d["link_id"],
            planned_on=d["planned_on"],
            place=d["place"],
            note=d["note"],
            ip=_ip(request),
        ),
        done="已安排，并已通知特邀监督员",
        then=lambda duty: (f"{NS}:duty_detail", duty.pk),
    ) or render(
        request,
        "supervision/supervisors/form.html",
        {"form": form, "title": "安排现场观摩或参加执法检查", "back": f"{NS}:duty_list", "form_id": "assign-form"},
        status=422 if form.errors else 200,
    )


def _duty_context(request, duty, record_form=None, cancel_form=None):
    return {
        "d": duty,
        "actions": perms.duty_actions(user=request.user, obj=duty),
        "link": selectors.duty_link(user=request.user, duty=duty),
        "events": selectors.timeline(item_ids=[duty.item_id]),
        "record_form": record_form or f.DutyRecordForm(initial={"observed_on": duty.planned_on}),
        "cancel_form": cancel_form or f.ReasonForm(),
        "attachments": duty.attachments.all(),
    }


@permission_required(VIEW, DUTY)
def duty_detail_view(request, pk: int):
    duty = selectors.duty_get(user=request.user, pk=pk)
    if "view" not in perms.duty_actions(user=request.user, obj=duty):
        raise NotFound()
    return render(request, "supervision/supervisors/duty_detail.html", _duty_context(request, duty))


@require_POST
@permission_required(VIEW, DUTY)
def duty_action_view(request, pk: int, action: str):
    duty = selectors.duty_get(user=request.user, pk=pk)
    actions = perms.duty_actions(user=request.user, obj=duty)
    if "view" not in actions:
        raise NotFound()
    back = (f"{NS}:duty_detail", duty.pk)
    if action == "record":
        if "record" not in actions:
            raise Forbidden()
        form = f.DutyRecordForm(request.POST)
        return act_on_form(
            request,
            form,
            lambda d: services.duty_record(
                by=request.user,
                duty=duty,
                observed_on=d["observed_on"],
                findings=d["findings"],
                opinion=d["opinion"],
                files=request.FILES.getlist("attachments"),
                ip=_ip(request),
            ),
            done="已记录观摩情况",
            then=back,
        ) or render(request, "supervision/supervisors/duty_detail.html", _duty_context(request, duty, form), status=422)
    if action == "cancel":
        if "cancel" not in actions:
            raise Forbidden()
        form = f.ReasonForm(request.POST)
        return act_on_form(
            request,
            form,
            lambda d: services.duty_cancel(by=request.user, duty=duty, reason=d["reason"], ip=_ip(request)),
            done="已取消安排",
            then=back,
        ) or render(
            request,
            "supervision/supervisors/duty_detail.html",
            _duty_context(request, duty, cancel_form=form),
            status=422,
        )
    raise Http404()


@permission_required(VIEW, DUTY)
def duty_attachment_view(request, pk: int, attachment_pk: int):
    duty = selectors.duty_get(user=request.user, pk=pk)
    attachment = duty.attachments.filter(pk=attachment_pk).first()
    if attachment is None or "view" not in perms.duty_actions(user=request.user, obj=duty):
        raise NotFound()
    return attachment_response(attachment)


# ---------------------------------------------------------------- submissions


@permission_required(VIEW)
def submission_list_view(request):
    g = request.GET
    qs = selectors.submission_list(
        user=request.user, q=g.get("q", ""), kind=g.get("kind", ""), answered=g.get("answered", "")
    )
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("特邀监督员意见与问题反映"),
            ["提交时间", "特邀监督员", "类型", "涉及单位", "内容", "问题线索", "答复", "答复时间"],
            (
                (
                    s.submitted_at,
                    s.supervisor.name,
                    s.get_kind_display(),
                    s.agency.name if s.agency_id else "",
                    s.content,
                    s.clue_code,
                    s.answer,
                    s.answered_at,
                )
                for s in qs.iterator(chunk_size=2000)
            ),
            sheet="意见与问题反映",
        )
    return render(
        request,
        "supervision/supervisors/submission_list.html",
        {"page": _page(request, qs), "filters": g, "kinds": rules.SUBMISSION_KINDS},
    )


def _submission_context(request, submission, form=None):
    return {
        "s": submission,
        "actions": perms.submission_actions(user=request.user, obj=submission),
        "feedback": selectors.submission_feedback(user=request.user, submission=submission),
        "events": selectors.timeline(item_ids=[submission.item_id]),
        "form": form or f.SubmissionAnswerForm(),
        "attachments": submission.attachments.all(),
    }


@permission_required(VIEW, DUTY)
def submission_detail_view(request, pk: int):
    submission = selectors.submission_get(user=request.user, pk=pk)
    actions = perms.submission_actions(user=request.user, obj=submission)
    if "view" not in actions:
        raise NotFound()
    if request.method == "POST":
        if "answer" not in actions:
            raise Forbidden()
        form = f.SubmissionAnswerForm(request.POST)
        return act_on_form(
            request,
            form,
            lambda d: services.submission_answer(
                by=request.user, submission=submission, answer=d["answer"], ip=_ip(request)
            ),
            done="已答复，特邀监督员可在“我的监督工作”中看到",
            then=(f"{NS}:submission_detail", submission.pk),
        ) or render(
            request,
            "supervision/supervisors/submission_detail.html",
            _submission_context(request, submission, form),
            status=422,
        )
    return render(request, "supervision/supervisors/submission_detail.html", _submission_context(request, submission))


@permission_required(VIEW, DUTY)
def submission_attachment_view(request, pk: int, attachment_pk: int):
    submission = selectors.submission_get(user=request.user, pk=pk)
    attachment = submission.attachments.filter(pk=attachment_pk).first()
    if attachment is None or "view" not in perms.submission_actions(user=request.user, obj=submission):
        raise NotFound()
    return attachment_response(attachment)


# ---------------------------------------------------------------- training


@permission_required(VIEW)
def training_list_view(request):
    g = request.GET
    qs = selectors.training_list(user=request.user, q=g.get("q", ""), year=_int(g.get("year")))
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename("特邀监督员培训"),
            ["培训日期", "培训主题", "学时", "地点", "组织单位", "参训人数"],
            (
                (t.held_on, t.topic, float(t.hours), t.place, t.unit.name, t.attendee_count)
                for t in qs.iterator(chunk_size=2000)
            ),
            sheet="培训",
        )
    actions = perms.training_actions(user=request.user, obj=None)
    form = None
    if "create" in actions:
        form = f.TrainingForm(
            initial={"held_on": timezone.localdate(), "hours": 2},
            supervisors=selectors.supervisors_serving(user=request.user),
        )
    return render(
        request,
        "supervision/supervisors/training_list.html",
        {"page": _page(request, qs), "filters": g, "actions": actions, "form": form},
    )


@permission_required(MANAGE)
def training_create_view(request):
    form = f.TrainingForm(request.POST or None, supervisors=selectors.supervisors_serving(user=request.user))
    return act_on_form(
        request,
        form,
        lambda d: services.training_create(
            by=request.user,
            topic=d["topic"],
            held_on=d["held_on"],
            hours=d["hours"],
            place=d["place"],
            note=d["note"],
            attendees=list(d["attendees"]),
            ip=_ip(request),
        ),
        done="已登记培训",
        then=lambda t: (f"{NS}:training_detail", t.pk),
    ) or render(
        request,
        "supervision/supervisors/form.html",
        {"form": form, "title": "登记特邀监督员培训", "back": f"{NS}:training_list"},
        status=422 if form.errors else 200,
    )


@permission_required(VIEW)
def training_detail_view(request, pk: int):
    training = selectors.training_get(user=request.user, pk=pk)
    actions = perms.training_actions(user=request.user, obj=training)
    attendees = selectors.training_attendees(training=training)
    form = None
    if "attend" in actions:
        form = f.AttendForm(
            request.POST or None,
            supervisors=selectors.supervisors_serving(user=request.user, on=training.held_on).exclude(
                pk__in=attendees.values("pk")
            ),
        )
        if request.method == "POST":
            response = act_on_form(
                request,
                form,
                lambda d: services.training_attend(
                    by=request.user, training=training, attendees=list(d["attendees"]), ip=_ip(request)
                ),
                done=lambda n: f"已增加 {n} 名参训人员",
                then=(f"{NS}:training_detail", training.pk),
            )
            if response:
                return response
    elif request.method == "POST":
        raise Forbidden()
    return render(
        request,
        "supervision/supervisors/training_detail.html",
        {"t": training, "attendees": attendees, "actions": actions, "form": form},
        status=422 if form is not None and form.errors else 200,
    )


# ---------------------------------------------------------------- the ledger


@permission_required(VIEW)
def ledger_view(request):
    g = request.GET
    year = _int(g.get("year")) or timezone.localdate().year
    year = min(max(year, 2000), 2100)
    rows = selectors.ledger(user=request.user, year=year, q=g.get("q", ""))
    columns = selectors.ledger_columns()
    if g.get("format") == "xlsx":
        return xlsx_response(
            export_filename(f"{year}年特邀监督员履职台账"),
            ["姓名", "聘书编号", "状态", *[label for _, label in columns], "培训学时", "合计", "年度考核"],
            (
                (
                    r.supervisor.name,
                    r.supervisor.number,
                    r.supervisor.get_status_display(),
                    *r.cells,
                    r.hours,
                    r.total,
                    r.grade,
                )
                for r in rows
            ),
            sheet="履职台账",
        )
    page = _page(request, rows, 50)
    return render(
        request,
        "supervision/supervisors/ledger.html",
        {"page": page, "columns": columns, "year": year, "filters": g},
    )


# ---------------------------------------------------------------- the invited supervisor's own page


@permission_required(DUTY)
def mine_view(request):
    work = selectors.my_work(user=request.user)
    return render(
        request,
        "supervision/supervisors/mine.html",
        {
            "work": work,
            "actions": perms.my_actions(user=request.user, record=work.record),
            "columns": selectors.ledger_columns(),
        },
    )


@permission_required(DUTY)
def mine_record_view(request):
    record = selectors.supervisor_of_user(user=request.user)
    if "record" not in perms.my_actions(user=request.user, record=record):
        raise Forbidden()
    form = f.SelfRecordForm(request.POST or None, initial={"observed_on": timezone.localdate()})

    def call(d):
        agency = _agency(d["agency"])
        return services.duty_self_record(
            by=request.user,
            kind=d["kind"],
            subject=d["subject"],
            agency=agency,
            place=d["place"],
            observed_on=d["observed_on"],
            findings=d["findings"],
            opinion=d["opinion"],
            files=request.FILES.getlist("attachments"),
            ip=_ip(request),
        )

    return act_on_form(
        request, form, call, done="已记录观摩情况", then=lambda duty: (f"{NS}:duty_detail", duty.pk)
    ) or render(
        request,
        "supervision/supervisors/mine_form.html",
        {
            "form": form,
            "title": "记录现场观摩或参加执法检查",
            "agencies": _agency_names(),
            "form_id": "self-record-form",
        },
        status=422 if form.errors else 200,
    )


@permission_required(DUTY)
def mine_submit_view(request):
    record = selectors.supervisor_of_user(user=request.user)
    if "submit" not in perms.my_actions(user=request.user, record=record):
        raise Forbidden()
    form = f.SubmissionForm(request.POST or None, initial={"kind": request.GET.get("kind", "opinion")})

    def call(d):
        return services.submission_create(
            by=request.user,
            kind=d["kind"],
            content=d["content"],
            category=d["category"],
            agency=_agency(d["agency"]),
            place=d["place"],
            party=d["party"],
            occurred_on=d["occurred_on"],
            files=request.FILES.getlist("attachments"),
            ip=_ip(request),
        )

    return act_on_form(
        request,
        form,
        call,
        done=lambda s: f"已提交，问题线索查询码 {s.clue_code}" if s.clue_code else "已提交，请等待答复",
        then="supervision:supervisors:mine",
    ) or render(
        request,
        "supervision/supervisors/mine_form.html",
        {"form": form, "title": "提交意见建议或问题反映", "agencies": _agency_names(), "form_id": "submission-form"},
        status=422 if form.errors else 200,
    )
