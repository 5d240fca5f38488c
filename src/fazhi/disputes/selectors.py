"""Reads of the disputes app, each applying the viewer's scope: the 行政复议机构 (reconsideration.manage) sees the
cases of its body unit, an agency the cases where it is the respondent or the defendant (its unit subtree), the
本人 scope only what the user registered. Applicants' and plaintiffs' identity numbers are masked; in full only
through a logged reveal."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.masking import mask_id_number, mask_name, mask_phone
from fazhi.core.models import Attachment, Division, Unit
from fazhi.core.normalize import clean_text
from fazhi.core.reveal import reveal_log
from fazhi.core.reveal import reveal_reason as reveal_reason_check
from fazhi.core.scope import has_permission, scope_q, user_data_scope
from fazhi.disputes import rules
from fazhi.disputes.models import (
    AgencyHead,
    Committee,
    CommitteeReferral,
    CourtHearing,
    Litigation,
    NormativeReview,
    OpinionLetter,
    Reconsideration,
    ReconsiderationHearing,
    Suggestion,
)
from fazhi.tracking.models import Clock, TimelineEvent
from fazhi.tracking.selectors import yellow_until


def _either(*conditions: Q) -> Q:
    """OR of scope filters where an empty Q means "everything" (Django drops an empty operand of |)."""
    if any(not c for c in conditions):
        return Q()
    result = conditions[0]
    for c in conditions[1:]:
        result |= c
    return result


def _none() -> Q:
    return Q(pk__in=[])


# ---------------------------------------------------------------- scopes


def reconsideration_scope_q(user) -> Q:
    """The body sees its cases (and, with the 全部 scope, every case); an agency the cases where it is the
    respondent; the 本人 scope what the user registered himself."""
    if user is None:
        return Q()
    scope = user_data_scope(user)
    if scope == "self":
        return Q(created_by_id=user.pk) if user.pk else _none()
    parts = [scope_q(user, unit_field="respondent_unit")]
    if has_permission(user, "reconsideration.manage"):
        parts.append(scope_q(user, unit_field="body_unit"))
    return _either(*parts)


def opinion_scope_q(user) -> Q:
    visible = Reconsideration.objects.filter(reconsideration_scope_q(user))
    if user is not None and user_data_scope(user) != "self":
        return _either(Q(reconsideration__in=visible), scope_q(user, unit_field="agency_unit"))
    return Q(reconsideration__in=visible)


def normative_scope_q(user) -> Q:
    return Q(reconsideration__in=Reconsideration.objects.filter(reconsideration_scope_q(user)))


def litigation_scope_q(user) -> Q:
    if user is None:
        return Q()
    if user_data_scope(user) == "self":
        return Q(created_by_id=user.pk) if user.pk else _none()
    return scope_q(user, unit_field="defendant_unit")


def suggestion_scope_q(user) -> Q:
    if user is None:
        return Q()
    if user_data_scope(user) == "self":
        return Q(created_by_id=user.pk) if user.pk else _none()
    return scope_q(user, unit_field="agency_unit")


def head_scope_q(user) -> Q:
    if user_data_scope(user) == "self":
        return _none()
    return scope_q(user, unit_field="agency__unit")


# ---------------------------------------------------------------- reconsideration


@dataclass
class ReconsiderationFilters:
    q: str = ""
    status: str = ""
    procedure: str = ""
    outcome: str = ""
    respondent: int | None = None
    year: int | None = None
    light: str = ""


def reconsideration_list(*, user, filters: ReconsiderationFilters | None = None, today: dt.date | None = None):
    from fazhi.tracking import rules as tracking_rules

    f = filters or ReconsiderationFilters()
    today = today or timezone.localdate()
    until = yellow_until(today)
    qs = Reconsideration.objects.filter(reconsideration_scope_q(user)).select_related(
        "respondent_unit", "body_unit", "item"
    )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.procedure:
        qs = qs.filter(procedure=f.procedure)
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.respondent:
        qs = qs.filter(respondent_unit_id=f.respondent)
    if f.year:
        qs = qs.filter(received_on__gte=dt.date(f.year, 1, 1), received_on__lte=dt.date(f.year, 12, 31))
    if f.light in ("red", "yellow", "green", "paused"):
        qs = qs.filter(tracking_rules.light_q(light=f.light, today=today, yellow_until=until, prefix="item__"))
    q = clean_text(f.q)
    if q:
        qs = qs.filter(
            Q(tracking_code__iexact=q)
            | Q(applicant_name__icontains=q)
            | Q(act__icontains=q)
            | Q(act_number__icontains=q)
            | Q(decision_number__icontains=q)
            | Q(respondent_unit__name__icontains=q)
        )
    return qs.annotate(
        light=tracking_rules.light_expression(today=today, yellow_until=until, prefix="item__")
    ).order_by("-received_on", "-id")


def reconsideration_get(*, user, pk) -> Reconsideration:
    try:
        return (
            Reconsideration.objects.filter(reconsideration_scope_q(user))
            .select_related("respondent__unit", "respondent_unit", "body_unit", "item", "answer_item", "case")
            .get(pk=pk)
        )
    except (Reconsideration.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def reconsideration_ref(*, user, pk, field: str = "reconsideration") -> Reconsideration:
    try:
        return reconsideration_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"行政复议案件（id={pk}）不存在或无权访问", field=field) from None


def reconsideration_clocks(*, rc: Reconsideration) -> list[Clock]:
    """Every statutory clock of the case: the body's (受理审查, 补正, 发送副本, 决定) and the respondent's answer."""
    items = [i for i in (rc.item_id, rc.answer_item_id) if i]
    return list(Clock.objects.filter(item_id__in=items).order_by("-is_open", "deadline", "id"))


def reconsideration_timeline(*, rc: Reconsideration) -> QuerySet[TimelineEvent]:
    items = [i for i in (rc.item_id, rc.answer_item_id) if i]
    items += list(OpinionLetter.objects.filter(reconsideration=rc).exclude(item=None).values_list("item_id", flat=True))
    items += list(
        NormativeReview.objects.filter(reconsideration=rc).exclude(item=None).values_list("item_id", flat=True)
    )
    return (
        TimelineEvent.objects.filter(item_id__in=items)
        .select_related("actor", "item")
        .prefetch_related("attachments")
        .order_by("at", "item_id", "seq")
    )


def reconsideration_warnings(*, rc: Reconsideration, today: dt.date | None = None) -> list[rules.Finding]:
    """What the platform found, each with its rule and article: the application period (第二十条、第二十一条),
    a late forwarding (第三十二条), a lapsed review, a late or missing answer, a suspension due for termination."""
    today = today or timezone.localdate()
    period = rules.application_period(
        known_on=rc.known_on,
        submitted_on=rc.submitted_on,
        told_of_right=rc.told_of_right,
        right_known_on=rc.right_known_on,
        act_date=rc.act_date,
        real_property=rc.real_property,
        obstacle_from=rc.obstacle_from,
        obstacle_to=rc.obstacle_to,
    )
    found = list(period.warnings)
    if rc.channel == "forwarded" and rc.forwarded_on:
        late = rules.forward_late(agency_received_on=rc.submitted_on, forwarded_on=rc.forwarded_on)
        if late:
            found.append(late)
    clocks = {c.name: c for c in reconsideration_clocks(rc=rc)}
    review = clocks.get("acceptance_review")
    if rc.status == "review" and review and review.is_open and not review.paused and review.deadline < today:
        found.append(
            rules.Finding(
                "acceptance_deemed",
                f"受理审查期限已于{review.deadline:%Y-%m-%d}届满，未作出不予受理决定，视为受理（系统每日自动登记）",
                rules.DEEMED_ACCEPTANCE_CITATION,
            )
        )
    if rc.acceptance_deemed and rc.accepted_on:
        found.append(
            rules.Finding(
                "acceptance_deemed",
                f"受理审查期限届满未作出不予受理决定，自{rc.accepted_on:%Y-%m-%d}起视为受理",
                rules.DEEMED_ACCEPTANCE_CITATION,
            )
        )
    answer = clocks.get("respondent_answer")
    if answer and answer.is_open and not answer.paused and answer.deadline < today:
        found.append(
            rules.Finding(
                "answer_overdue",
                f"被申请人应于{answer.deadline:%Y-%m-%d}前提出书面答复并提交证据、依据；逾期不答复的，视为该行政行为"
                "没有证据、依据",
                f"{answer.basis}；{rules.NO_ANSWER_CITATION}",
            )
        )
    decision = clocks.get("decision")
    if decision and decision.is_open and not decision.paused and decision.deadline < today:
        found.append(
            rules.Finding(
                "decision_overdue",
                f"行政复议决定期限已于{decision.deadline:%Y-%m-%d}届满",
                decision.basis,
            )
        )
    if rc.status == "suspended":
        due = rules.termination_due(ground=rc.suspension_ground, suspended_on=rc.suspended_on, today=today)
        if due:
            found.append(due)
    if rc.procedure == "simple" and not reconsideration_simple_grounds(rc=rc):
        found.append(rules.Finding("simple_ineligible", "本案不符合适用简易程序的情形", rules.SIMPLE_CITATION))
    return found


def reconsideration_simple_grounds(*, rc: Reconsideration) -> list[str]:
    return rules.simple_grounds(
        on_the_spot=rc.act_on_the_spot,
        warning=rc.act_is_warning,
        amount=rc.amount,
        disclosure=rc.act_kind == "disclosure",
        parties_agree=rc.parties_agree_simple,
    )


def applicant_display(*, user, rc: Reconsideration, reveal_reason: str | None = None, ip=None) -> dict:
    """The applicant's identity: an organisation's code is public registration data; a person's ID number and
    phone masked, in full only to the body after a logged reason."""
    from fazhi.disputes.permissions import reconsideration_body

    full = reveal_reason is not None and reconsideration_body(user=user, obj=rc)
    if full:
        reveal_log(user=user, obj=rc, what="行政复议申请人信息", reason=reveal_reason_check(reveal_reason), ip=ip)
    person = rc.applicant_kind == "person"
    return {
        "name": rc.applicant_name,
        "code": (rc.applicant_id_number if full else mask_id_number(rc.applicant_id_number))
        if person
        else rc.applicant_uscc,
        "phone": rc.applicant_phone if full else mask_phone(rc.applicant_phone),
        "address": rc.applicant_address,
        "masked": person and not full,
    }


def reconsideration_hearings(*, rc) -> QuerySet[ReconsiderationHearing]:
    return rc.hearings.select_related("head")


def reconsideration_referrals(*, rc) -> QuerySet[CommitteeReferral]:
    return rc.referrals.select_related("committee")


def reconsideration_opinions(*, rc) -> QuerySet[OpinionLetter]:
    return rc.opinions.select_related("agency_unit", "item")


def reconsideration_normative_reviews(*, rc) -> QuerySet[NormativeReview]:
    return rc.normative_reviews.select_related("item")


def reconsideration_attachment(*, user, pk) -> Attachment:
    """A file of an application, a hearing of a suit, a suggestion's reply or an opinion's report that the viewer
    may see; anything else does not exist."""
    through = Reconsideration.attachments.through
    visible = Reconsideration.objects.filter(reconsideration_scope_q(user))
    checks = [
        Exists(through.objects.filter(attachment_id=OuterRef("pk"), reconsideration__in=visible)),
        Exists(
            OpinionLetter.attachments.through.objects.filter(
                attachment_id=OuterRef("pk"), opinionletter__in=OpinionLetter.objects.filter(opinion_scope_q(user))
            )
        ),
        Exists(
            Litigation.attachments.through.objects.filter(
                attachment_id=OuterRef("pk"), litigation__in=Litigation.objects.filter(litigation_scope_q(user))
            )
        ),
        Exists(
            CourtHearing.attachments.through.objects.filter(
                attachment_id=OuterRef("pk"),
                courthearing__litigation__in=Litigation.objects.filter(litigation_scope_q(user)),
            )
        ),
        Exists(
            CourtHearing.summons_files.through.objects.filter(
                attachment_id=OuterRef("pk"),
                courthearing__litigation__in=Litigation.objects.filter(litigation_scope_q(user)),
            )
        ),
        Exists(
            Suggestion.attachments.through.objects.filter(
                attachment_id=OuterRef("pk"), suggestion__in=Suggestion.objects.filter(suggestion_scope_q(user))
            )
        ),
    ]
    condition = checks[0]
    for c in checks[1:]:
        condition |= c
    try:
        return Attachment.objects.filter(condition).get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def reconsideration_documents(*, rc):
    from fazhi.documents.selectors import documents_for

    return documents_for(object_kind="reconsideration", object_id=rc.pk)


def reconsideration_document(*, user, pk, doc_pk):
    rc = reconsideration_get(user=user, pk=pk)
    try:
        return reconsideration_documents(rc=rc).get(pk=doc_pk)
    except Exception:
        raise NotFound() from None


def respondent_by_name(*, name: str, field: str = "respondent"):
    """The respondent named by its unit's full name (or a unique short name), among the registry's agencies."""
    from fazhi.registry.selectors import public_agency_list

    name = clean_text(name)
    if not name:
        raise DomainError("请填写被申请人（作出行政行为的行政机关全称）", field=field)
    qs = public_agency_list()
    agency = qs.filter(unit__name=name).first()
    if agency is None:
        matches = list(qs.filter(unit__short_name=name)[:2])
        agency = matches[0] if len(matches) == 1 else None
    if agency is None:
        raise DomainError(f"被申请人“{name}”不在执法主体名录中：请填写行政机关全称", field=field)
    return agency


def respondent_choices():
    from fazhi.registry.selectors import public_agency_list

    return public_agency_list()


def case_for_link(*, user, pk, field: str = "case"):
    """A penalty case the viewer may see, to link to a reconsideration or a suit (cases.selectors scopes it)."""
    from fazhi.cases.selectors import case_get

    try:
        return case_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"行政处罚案件（id={pk}）不存在或无权访问", field=field) from None


def body_unit_for(unit: Unit) -> Unit | None:
    """The 行政复议机构 for an act of `unit`: the Justice Bureau of the government the agency belongs to
    (第二十四条: the 本级人民政府 reviews its departments' acts; its 司法局 is the 行政复议机构, 第四条)."""
    seen = set()
    current = unit
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        supervising = current.supervising_unit
        if supervising is not None and supervising.kind == "justice":
            return supervising
        if current.kind == "government":
            justice = current.children.filter(kind="justice", is_active=True).order_by("sort_order", "id").first()
            if justice is not None:
                return justice
        current = current.parent
    return None


def committees(*, user) -> QuerySet[Committee]:
    if user_data_scope(user) == "self":
        return Committee.objects.none()
    return Committee.objects.filter(scope_q(user, unit_field="unit")).prefetch_related("members")


def committee_get(*, user, pk) -> Committee:
    try:
        return committees(user=user).get(pk=pk)
    except (Committee.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def committee_for(*, unit: Unit, on: dt.date) -> Committee | None:
    return Committee.objects.filter(unit=unit, term_from__lte=on, term_to__gte=on).order_by("-term_from").first()


# ---------------------------------------------------------------- opinions and normative reviews


def opinion_get(*, user, pk) -> OpinionLetter:
    try:
        return (
            OpinionLetter.objects.filter(opinion_scope_q(user))
            .select_related("reconsideration__body_unit", "agency_unit", "item")
            .get(pk=pk)
        )
    except (OpinionLetter.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def normative_list(*, user, status: str = "", q: str = "") -> QuerySet[NormativeReview]:
    qs = NormativeReview.objects.filter(normative_scope_q(user)).select_related(
        "reconsideration__respondent_unit", "item"
    )
    if status:
        qs = qs.filter(status=status)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(document_title__icontains=q) | Q(issuer__icontains=q) | Q(document_number__icontains=q))
    return qs.order_by("-started_on", "-id")


def normative_get(*, user, pk) -> NormativeReview:
    try:
        return normative_list(user=user).select_related("reconsideration__body_unit").get(pk=pk)
    except (NormativeReview.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def normative_review_states(reviews) -> dict[int, dict]:
    """How the rule-making module, which owns each 附带审查 and its clocks, stands with these requests: by request id,
    the handling unit, path, status, open clocks and its page (rulemaking.selectors, a system read; the caller
    has already checked that the viewer may see the requests)."""
    from django.urls import reverse

    from fazhi.rulemaking.selectors import incidental_for_reconsideration

    owned = incidental_for_reconsideration(source_review_ids=[r.pk for r in reviews])
    return {
        pk: {
            "id": ir.pk,
            "unit": ir.unit.name,
            "path": ir.path,
            "path_label": ir.get_path_display(),
            "status": ir.status,
            "status_label": ir.get_status_display(),
            "forwarded_to": ir.forwarded_to,
            "item_id": ir.item_id,
            "clocks": item_clocks_of(ir.item_id) if ir.item_id else [],
            "url": reverse("rulemaking:incidental_detail", args=[ir.pk]),
        }
        for pk, ir in owned.items()
    }


def normative_review_for_rulemaking(*, pk=None, open_only: bool = False) -> QuerySet[NormativeReview]:
    """For the rule-making module (system reads, no viewer): the reviews of normative documents requested in
    reconsiderations, with the document, the issuer, the clauses, the status and the result."""
    qs = NormativeReview.objects.select_related("reconsideration").order_by("-started_on", "-id")
    if pk is not None:
        qs = qs.filter(pk=pk)
    if open_only:
        qs = qs.filter(status__in=("pending", "transferred"))
    return qs


# ---------------------------------------------------------------- litigation


@dataclass
class LitigationFilters:
    q: str = ""
    status: str = ""
    defendant: int | None = None
    year: int | None = None
    lost: bool | None = None


def litigation_list(*, user, filters: LitigationFilters | None = None) -> QuerySet[Litigation]:
    f = filters or LitigationFilters()
    qs = Litigation.objects.filter(litigation_scope_q(user)).select_related("defendant_unit", "item")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.defendant:
        qs = qs.filter(defendant_unit_id=f.defendant)
    if f.year:
        qs = qs.filter(filed_on__gte=dt.date(f.year, 1, 1), filed_on__lte=dt.date(f.year, 12, 31))
    if f.lost is not None:
        qs = qs.filter(lost=f.lost)
    q = clean_text(f.q)
    if q:
        qs = qs.filter(
            Q(case_number__icontains=q) | Q(plaintiff_name__icontains=q) | Q(act__icontains=q) | Q(court__icontains=q)
        )
    return qs.annotate(
        hearing_count=Count("hearings", distinct=True),
        head_count=Count("hearings", filter=Q(hearings__head_appeared=True), distinct=True),
    ).order_by("-filed_on", "-id")


def litigation_get(*, user, pk) -> Litigation:
    try:
        return (
            Litigation.objects.filter(litigation_scope_q(user))
            .select_related("defendant__unit", "defendant_unit", "item", "case", "reconsideration")
            .get(pk=pk)
        )
    except (Litigation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def litigation_clocks(*, lit: Litigation) -> list[Clock]:
    if not lit.item_id:
        return []
    return list(Clock.objects.filter(item_id=lit.item_id).order_by("-is_open", "deadline", "id"))


def litigation_hearings(*, lit) -> QuerySet[CourtHearing]:
    return lit.hearings.select_related("head").prefetch_related("attachments")


def court_hearing_get(*, user, pk) -> CourtHearing:
    try:
        return CourtHearing.objects.select_related("litigation__defendant__unit", "litigation__defendant_unit").get(
            pk=pk, litigation__in=Litigation.objects.filter(litigation_scope_q(user))
        )
    except (CourtHearing.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def litigation_warnings(*, lit: Litigation, today: dt.date | None = None) -> list[rules.Finding]:
    today = today or timezone.localdate()
    period = rules.suit_period(
        filed_on=lit.filed_on,
        known_on=lit.known_on,
        decision_received_on=lit.decision_received_on,
        act_date=lit.act_date,
        real_property=lit.real_property,
    )
    found = list(period.warnings)
    for c in litigation_clocks(lit=lit):
        if c.is_open and not c.paused and c.deadline < today:
            found.append(rules.Finding(f"{c.name}_overdue", f"{c.label}期限已于{c.deadline:%Y-%m-%d}届满", c.basis))
    for h in lit.hearings.all():
        note = rules.summons_short(received_on=h.summons_received_on, held_on=h.held_on)
        if note:
            found.append(rules.Finding("summons_short", note, rules.SUMMONS_CITATION))
        if h.recorded and not h.head_appeared and h.head_summoned:
            found.append(
                rules.Finding(
                    "head_absent_summoned",
                    f"{h.held_on:%Y-%m-%d}开庭，法院通知负责人出庭而负责人未出庭",
                    rules.HEAD_CITATION,
                )
            )
    return found


def plaintiff_display(*, lit: Litigation) -> dict:
    person = lit.plaintiff_kind == "person"
    return {
        "name": lit.plaintiff_name,
        "code": mask_id_number(lit.plaintiff_id_number) if person else lit.plaintiff_uscc,
    }


def litigation_documents(*, lit):
    from fazhi.documents.selectors import documents_for

    return documents_for(object_kind="litigation", object_id=lit.pk)


def litigation_document(*, user, pk, doc_pk):
    lit = litigation_get(user=user, pk=pk)
    try:
        return litigation_documents(lit=lit).get(pk=doc_pk)
    except Exception:
        raise NotFound() from None


# ---------------------------------------------------------------- heads


def head_list(*, user, agency=None, active: bool | None = True, q: str = "") -> QuerySet[AgencyHead]:
    qs = AgencyHead.objects.filter(head_scope_q(user)).select_related("agency__unit")
    if agency is not None:
        qs = qs.filter(agency=agency)
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(post__icontains=q) | Q(agency__unit__name__icontains=q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("agency__unit__sort_order", "agency_id", "kind", "id")


def head_get(*, user, pk) -> AgencyHead:
    try:
        return head_list(user=user, active=None).get(pk=pk)
    except (AgencyHead.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def heads_of(*, agency) -> QuerySet[AgencyHead]:
    """The heads on the agency's list who may appear for it (the services check appearances against it)."""
    return AgencyHead.objects.filter(agency=agency, is_active=True).order_by("kind", "id")


def head_agencies(*, user):
    """Agencies whose list of heads the viewer may keep or read."""
    from fazhi.registry.selectors import agency_list

    if user_data_scope(user) == "self":
        return agency_list(user=user).none()
    return agency_list(user=user)


# ---------------------------------------------------------------- suggestions


@dataclass
class SuggestionFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    agency: int | None = None
    year: int | None = None


def suggestion_list(*, user, filters: SuggestionFilters | None = None, today: dt.date | None = None):
    from fazhi.tracking import rules as tracking_rules

    f = filters or SuggestionFilters()
    today = today or timezone.localdate()
    qs = Suggestion.objects.filter(suggestion_scope_q(user)).select_related("agency_unit", "item")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.agency:
        qs = qs.filter(agency_unit_id=f.agency)
    if f.year:
        qs = qs.filter(received_on__gte=dt.date(f.year, 1, 1), received_on__lte=dt.date(f.year, 12, 31))
    q = clean_text(f.q)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(issuer__icontains=q) | Q(content__icontains=q))
    return qs.annotate(
        light=tracking_rules.light_expression(today=today, yellow_until=yellow_until(today), prefix="item__")
    ).order_by("-received_on", "-id")


def suggestion_get(*, user, pk) -> Suggestion:
    try:
        return (
            Suggestion.objects.filter(suggestion_scope_q(user))
            .select_related("agency__unit", "agency_unit", "item", "litigation")
            .get(pk=pk)
        )
    except (Suggestion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def item_clocks_of(item_id) -> list[Clock]:
    if not item_id:
        return []
    return list(Clock.objects.filter(item_id=item_id).order_by("-is_open", "deadline", "id"))


def timeline_of(*item_ids) -> QuerySet[TimelineEvent]:
    ids = [i for i in item_ids if i]
    return (
        TimelineEvent.objects.filter(item_id__in=ids)
        .select_related("actor")
        .prefetch_related("attachments")
        .order_by("at", "item_id", "seq")
    )


# ---------------------------------------------------------------- statistics

DIMENSIONS = {"agency": "单位", "division": "区划", "year": "年度"}


@dataclass
class DisputeRow:
    key: str
    label: str
    applications: int = 0
    accepted: int = 0
    refused: int = 0
    concluded: int = 0
    decided: int = 0
    corrected: int = 0
    on_time: int = 0
    outcomes: dict = field(default_factory=dict)
    suits: int = 0
    judged: int = 0
    lost: int = 0
    hearings: int = 0
    head_hearings: int = 0
    suggestions: int = 0
    suggestions_due: int = 0
    replied_on_time: int = 0

    @property
    def correction_rate(self) -> float | None:
        return rules.correction_rate(corrected=self.corrected, decided=self.decided)

    @property
    def on_time_rate(self) -> float | None:
        return rules.ratio(self.on_time, self.concluded)

    @property
    def loss_rate(self) -> float | None:
        return rules.ratio(self.lost, self.judged)

    @property
    def appearance_rate(self) -> float | None:
        return rules.ratio(self.head_hearings, self.hearings)

    @property
    def reply_rate(self) -> float | None:
        return rules.ratio(self.replied_on_time, self.suggestions_due)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "applications": self.applications,
            "accepted": self.accepted,
            "refused": self.refused,
            "concluded": self.concluded,
            "decided": self.decided,
            "corrected": self.corrected,
            "correction_rate": self.correction_rate,
            "on_time": self.on_time,
            "on_time_rate": self.on_time_rate,
            "outcomes": self.outcomes,
            "suits": self.suits,
            "judged": self.judged,
            "lost": self.lost,
            "loss_rate": self.loss_rate,
            "hearings": self.hearings,
            "head_hearings": self.head_hearings,
            "appearance_rate": self.appearance_rate,
            "suggestions": self.suggestions,
            "suggestions_due": self.suggestions_due,
            "replied_on_time": self.replied_on_time,
            "reply_rate": self.reply_rate,
        }


def _year_range(year: int | None, column: str) -> Q:
    if year is None:
        return Q()
    return Q(**{f"{column}__gte": dt.date(year, 1, 1), f"{column}__lte": dt.date(year, 12, 31)})


def _grouped(
    qs: QuerySet, key: str, date_column: str, year: int | None, aggregates: dict, dimension: str, also: tuple = ()
) -> list:
    """`aggregates` grouped by the dimension — the unit or division column, or the year of `date_column` — and by
    the columns `also`."""
    from django.db.models.functions import ExtractYear

    qs = qs.filter(_year_range(year, date_column)).exclude(**{f"{date_column}__isnull": True})
    if dimension == "year":
        qs = qs.annotate(k=ExtractYear(date_column))
    else:
        qs = qs.annotate(k=F(key))
    return list(qs.values("k", *also).annotate(**aggregates).order_by())


TALLY_FIELDS = ("applications", "accepted", "refused", "concluded", "decided", "corrected", "on_time")


def _tally_scope_q(user) -> Q:
    """The count rows a viewer may read: as reconsideration_scope_q, on the rows' unit ids."""
    if user is None or user_data_scope(user) == "all":
        return Q()
    units = Unit.objects.filter(scope_q(user, unit_field="")).values("pk")
    visible = Q(respondent_unit_id__in=units)
    if has_permission(user, "reconsideration.manage"):
        visible |= Q(body_unit_id__in=units)
    return visible


def _reconsideration_counts(row, user, dimension: str, year: int | None) -> None:
    """Applications, acceptance and outcomes from the count rows the services keep (ReconsiderationTally): a few
    hundred rows however many cases."""
    from django.db.models import Sum

    from fazhi.disputes.models import OUTCOME_CODES, ReconsiderationTally

    column = {"agency": "respondent_unit_id", "division": "division_id", "year": "year"}[dimension]
    tallies = ReconsiderationTally.objects.filter(_tally_scope_q(user))
    if year is not None:
        tallies = tallies.filter(year=year)
    sums = {name: Sum(name) for name in TALLY_FIELDS} | {f"o_{code}": Sum(f"o_{code}") for code in OUTCOME_CODES}
    for r in tallies.values(column).annotate(**sums).order_by():
        key = r[column]
        target = row(None if dimension == "division" and key == 0 else key)
        for name in TALLY_FIELDS:
            setattr(target, name, getattr(target, name) + (r[name] or 0))
        for code in OUTCOME_CODES:
            if r[f"o_{code}"]:
                target.outcomes[code] = target.outcomes.get(code, 0) + r[f"o_{code}"]


def _reconsideration_live(row, user, dimension: str, year: int | None, unit_key: str) -> None:
    """The same figures counted from the cases themselves (the 本人 scope)."""
    rcs = Reconsideration.objects.filter(reconsideration_scope_q(user)).order_by()
    key = unit_key or "respondent_unit_id"
    accepted = ExpressionWrapper(Q(accepted_on__isnull=False), output_field=BooleanField())
    for r in _grouped(
        rcs.annotate(acc=accepted), key, "received_on", year, {"n": Count("id")}, dimension, ("status", "acc")
    ):
        target = row(r["k"])
        target.applications += r["n"]
        target.accepted += r["n"] if r["acc"] else 0
        target.refused += r["n"] if r["status"] == "refused" else 0
    for r in _grouped(
        rcs.exclude(outcome=""),
        key,
        "decided_on",
        year,
        {"n": Count("id")},
        dimension,
        ("outcome", "corrected", "on_time"),
    ):
        target = row(r["k"])
        target.concluded += r["n"]
        target.decided += r["n"] if r["outcome"] in rules.DECIDED else 0
        target.corrected += r["n"] if r["corrected"] else 0
        target.on_time += r["n"] if r["on_time"] else 0
        target.outcomes[r["outcome"]] = target.outcomes.get(r["outcome"], 0) + r["n"]


def dispute_stats(
    *, user=None, dimension: str = "agency", year: int | None = None, today: dt.date | None = None
) -> list[DisputeRow]:
    """Per agency (the respondent / defendant / addressee), division or year: applications, accepted, outcomes,
    the correction rate (rules.correction_rate), decisions on time, suits, the heads' appearance rate, the loss
    rate, suggestions replied on time. Set-based: one grouped query per table. `user` None: the system (the
    assessment module), no scope. Intake counts by the year received or filed; outcomes by the year decided or
    judged; hearings by the year held; suggestions by the year received. Reconsiderations are read from the count
    rows the services keep (ReconsiderationTally), the other, smaller tables grouped live."""
    if dimension not in DIMENSIONS:
        dimension = "agency"
    today = today or timezone.localdate()
    unit_key = {"agency": "respondent_unit_id", "division": "division_id"}.get(dimension, "")
    rows: dict = {}

    def row(k) -> DisputeRow:
        k = "" if k is None else str(k)
        return rows.setdefault(k, DisputeRow(key=k, label=k))

    if user is None or user_data_scope(user) != "self":
        _reconsideration_counts(row, user, dimension, year)
    else:  # 本人: only what he registered, which no count row knows
        _reconsideration_live(row, user, dimension, year, unit_key)

    lit_key = {"agency": "defendant_unit_id", "division": "division_id"}.get(dimension, "defendant_unit_id")
    lits = Litigation.objects.filter(litigation_scope_q(user)).order_by()
    for r in _grouped(lits, lit_key, "filed_on", year, {"suits": Count("id")}, dimension):
        row(r["k"]).suits = r["suits"]
    for r in _grouped(
        lits.exclude(judgment_kind=""),
        lit_key,
        "judgment_on",
        year,
        {"judged": Count("id"), "lost": Count("id", filter=Q(lost=True))},
        dimension,
    ):
        target = row(r["k"])
        target.judged, target.lost = r["judged"], r["lost"]
    hearing_key = {"agency": "litigation__defendant_unit_id", "division": "litigation__division_id"}.get(
        dimension, "litigation__defendant_unit_id"
    )
    hearings = CourtHearing.objects.filter(recorded=True, litigation__in=lits).order_by()
    for r in _grouped(
        hearings,
        hearing_key,
        "held_on",
        year,
        {"hearings": Count("id"), "head_hearings": Count("id", filter=Q(head_appeared=True))},
        dimension,
    ):
        target = row(r["k"])
        target.hearings, target.head_hearings = r["hearings"], r["head_hearings"]

    sug_key = {"agency": "agency_unit_id", "division": "division_id"}.get(dimension, "agency_unit_id")
    sugs = Suggestion.objects.filter(suggestion_scope_q(user)).order_by()
    for r in _grouped(
        sugs,
        sug_key,
        "received_on",
        year,
        {
            "suggestions": Count("id"),
            "due": Count("id", filter=Q(status="replied") | Q(deadline__lt=today)),
            "replied_on_time": Count("id", filter=Q(on_time=True)),
        },
        dimension,
    ):
        target = row(r["k"])
        target.suggestions, target.suggestions_due, target.replied_on_time = (
            r["suggestions"],
            r["due"],
            r["replied_on_time"],
        )

    ids = [int(k) for k in rows if k]
    if dimension == "agency":
        names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif dimension == "division":
        names = dict(Division.objects.filter(pk__in=ids).values_list("pk", "name"))
    else:
        names = {int(k): f"{k}年" for k in rows if k}
    for k, r in rows.items():
        r.label = names.get(int(k), k) if k else "（未注明）"
    ordered = list(rows.values())
    if dimension == "year":
        ordered.sort(key=lambda r: r.key)
    else:
        ordered.sort(key=lambda r: (-r.applications - r.suits, r.label))
    return ordered


def stats_totals(rows: list[DisputeRow]) -> DisputeRow:
    total = DisputeRow(key="", label="合计")
    for r in rows:
        for name in (
            "applications",
            "accepted",
            "refused",
            "concluded",
            "decided",
            "corrected",
            "on_time",
            "suits",
            "judged",
            "lost",
            "hearings",
            "head_hearings",
            "suggestions",
            "suggestions_due",
            "replied_on_time",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        for code, n in r.outcomes.items():
            total.outcomes[code] = total.outcomes.get(code, 0) + n
    return total


def agency_correction_rate(*, unit_id: int, year: int) -> float | None:
    """The correction rate of one agency in one year (the assessment module, the agency page)."""
    for r in dispute_stats(dimension="agency", year=year):
        if r.key == str(unit_id):
            return r.correction_rate
    return None


# ---------------------------------------------------------------- public (portal)


def public_decisions(*, q: str = "") -> QuerySet[Reconsideration]:
    """Decisions published on the portal (第七十九条), personal data masked at publication."""
    qs = Reconsideration.objects.filter(published_on__isnull=False).select_related("respondent_unit")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(decision_number__icontains=q) | Q(respondent_unit__name__icontains=q))
    return qs.order_by("-published_on", "-id")


def public_decision_get(*, pk) -> Reconsideration:
    try:
        return public_decisions().get(pk=pk)
    except (Reconsideration.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


PUBLIC_STEPS = [
    ("received_on", "已收到申请"),
    ("correction_requested_on", "通知补正"),
    ("correction_received_on", "收到补正材料"),
    ("accepted_on", "已受理"),
    ("decided_on", "已作出决定"),
    ("served_on", "决定书已送达"),
]


def public_view(*, rc: Reconsideration) -> dict:
    """Progress for the applicant: states and dates, the items to correct, the result; nothing internal."""
    return {
        "tracking_code": rc.tracking_code,
        "status": rc.status,
        "status_label": rc.get_status_display(),
        "respondent": rc.respondent_unit.name,
        "received_on": rc.received_on,
        "steps": [{"label": label, "on": getattr(rc, name)} for name, label in PUBLIC_STEPS if getattr(rc, name)],
        "correction_items": rc.correction_items if rc.status == "correction" else "",
        "refusal_reason": rc.refusal_reason if rc.status == "refused" else "",
        "competent_body": rc.competent_body if rc.status == "refused" else "",
        "outcome": rules.OUTCOMES[rc.outcome][0] if rc.outcome in rules.OUTCOMES else "",
        "decision_number": rc.decision_number,
        "decided_on": rc.decided_on,
    }


def public_applicant_name(rc: Reconsideration) -> str:
    return mask_name(rc.applicant_name) if rc.applicant_kind == "person" else rc.applicant_name


# ---------------------------------------------------------------- what the case page and the agency page show


def case_related_records(*, user, case) -> list:
    """The reconsiderations and suits about a penalty case that the viewer may see (cases.related provider)."""
    from django.urls import reverse

    from fazhi.cases.related import Related

    found = []
    for rc in Reconsideration.objects.filter(reconsideration_scope_q(user), case=case).order_by("received_on", "id"):
        outcome = rules.OUTCOMES[rc.outcome][0] if rc.outcome in rules.OUTCOMES else rc.get_status_display()
        note = f"{outcome}（{rc.decided_on:%Y-%m-%d}）" if rc.decided_on else f"{rc.get_status_display()}"
        found.append(
            Related(
                kind="行政复议",
                label=rc.decision_number or rc.tracking_code,
                url=reverse("disputes:reconsideration_detail", args=[rc.pk]),
                note=note + ("，已纠错" if rc.corrected else ""),
                alert=rc.corrected,
            )
        )
    for lit in Litigation.objects.filter(litigation_scope_q(user), case=case).order_by("filed_on", "id"):
        label = rules.JUDGMENTS[lit.judgment_kind][0] if lit.judgment_kind in rules.JUDGMENTS else "审理中"
        found.append(
            Related(
                kind="行政诉讼",
                label=f"{lit.court} {lit.case_number}",
                url=reverse("disputes:litigation_detail", args=[lit.pk]),
                note=label + ("，败诉" if lit.lost else ""),
                alert=lit.lost,
            )
        )
    return found


def agency_dispute_figures(*, user, agency, year: int | None = None) -> list:
    """This year's reconsideration and litigation figures of an agency, counted within the viewer's scope
    (registry.related provider)."""
    from django.urls import reverse

    from fazhi.registry.related import AgencyFigure

    if not (has_permission(user, "reconsideration.view") or has_permission(user, "litigation.view")):
        return []
    year = year or timezone.localdate().year
    rows = {r.key: r for r in dispute_stats(user=user, dimension="agency", year=year)}
    row = rows.get(str(agency.unit_id))
    if row is None:
        row = DisputeRow(key=str(agency.unit_id), label=agency.unit.name)
    group = f"行政复议与应诉（{year}年）"
    url = reverse("disputes:stats") + f"?year={year}"

    def pct(v):
        return "—" if v is None else f"{v:.1%}"

    return [
        AgencyFigure(group, "行政复议申请", f"{row.applications} 件", url),
        AgencyFigure(group, "作出复议决定", f"{row.decided} 件", url),
        AgencyFigure(group, "被纠错", f"{row.corrected} 件", url),
        AgencyFigure(group, "纠错率", pct(row.correction_rate), url),
        AgencyFigure(group, "行政诉讼", f"{row.suits} 件", url),
        AgencyFigure(group, "败诉率", pct(row.loss_rate), url),
        AgencyFigure(group, "负责人出庭率", pct(row.appearance_rate), url),
    ]


# ---------------------------------------------------------------- for the requests app's annual disclosure report


def disclosure_dispute_counts(unit_ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """Reconsiderations about 政府信息公开 received in `year` per respondent unit, and suits brought against a
    disclosure reconsideration's respondent in `year` (《政府信息公开条例》第五十条第三项). Suits record no act kind
    of their own, so a suit counts here only when it follows a disclosure reconsideration."""
    counts = {unit_id: {"reconsiderations": 0, "suits": 0} for unit_id in unit_ids}
    for row in (
        Reconsideration.objects.filter(act_kind="disclosure", respondent_unit_id__in=unit_ids, received_on__year=year)
        .values("respondent_unit_id")
        .annotate(n=Count("id"))
    ):
        counts[row["respondent_unit_id"]]["reconsiderations"] = row["n"]
    for row in (
        Litigation.objects.filter(
            reconsideration__act_kind="disclosure", defendant_unit_id__in=unit_ids, filed_on__year=year
        )
        .values("defendant_unit_id")
        .annotate(n=Count("id"))
    ):
        counts[row["defendant_unit_id"]]["suits"] = row["n"]
    return counts


def dispute_figures_by_unit(*, date_from: dt.date, date_to: dt.date) -> dict[str, dict[int, tuple[int, int]]]:
    """For the assessment module (考核), system-wide, per respondent / defendant unit in [date_from, date_to]:
    "corrected" (reconsiderations corrected, decided — by the day decided), "lost" (suits lost, judged — by the
    judgment day), "appeared" (hearings a head attended, hearings held), "suggestions" (judicial and procuratorial suggestions replied
    on time, of those due in the period). Four GROUP BY queries."""
    rc = (
        Reconsideration.objects.filter(
            decided_on__gte=date_from, decided_on__lte=date_to, outcome__in=sorted(rules.DECIDED)
        )
        .values("respondent_unit_id")
        .annotate(n=Count("pk"), k=Count("pk", filter=Q(corrected=True)))
        .order_by()
    )
    lit = (
        Litigation.objects.filter(judgment_on__gte=date_from, judgment_on__lte=date_to)
        .values("defendant_unit_id")
        .annotate(n=Count("pk"), k=Count("pk", filter=Q(lost=True)))
        .order_by()
    )
    hearings = (
        CourtHearing.objects.filter(held_on__gte=date_from, held_on__lte=date_to)
        .values("litigation__defendant_unit_id")
        .annotate(n=Count("pk"), k=Count("pk", filter=Q(head_appeared=True)))
        .order_by()
    )
    # Suggestions whose reply was due in the period: (replied on time, due).
    suggestions = (
        Suggestion.objects.filter(deadline__gte=date_from, deadline__lte=date_to)
        .values("agency_unit_id")
        .annotate(n=Count("pk"), k=Count("pk", filter=Q(on_time=True)))
        .order_by()
    )
    return {
        "suggestions": {r["agency_unit_id"]: (r["k"], r["n"]) for r in suggestions},
        "corrected": {r["respondent_unit_id"]: (r["k"], r["n"]) for r in rc},
        "lost": {r["defendant_unit_id"]: (r["k"], r["n"]) for r in lit},
        "appeared": {r["litigation__defendant_unit_id"]: (r["k"], r["n"]) for r in hearings},
    }


def litigation_counts_by_defendant(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Per defendant unit: administrative suits filed in [date_from, date_to] (reports of assessment)."""
    rows = (
        Litigation.objects.filter(filed_on__gte=date_from, filed_on__lte=date_to)
        .values("defendant_unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["defendant_unit_id"]: r["n"] for r in rows}


def reconsideration_counts_by_respondent(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Per respondent unit: reconsideration applications received in [date_from, date_to] (reports of assessment)."""
    rows = (
        Reconsideration.objects.filter(received_on__gte=date_from, received_on__lte=date_to)
        .values("respondent_unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["respondent_unit_id"]: r["n"] for r in rows}
