"""Reads of the inspections app. Plans, draws and records are scoped by the agency's unit; the enterprise
directory (a public register) is visible to anyone with inspection.view, its legal representatives masked."""

import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import connection
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.masking import mask_name
from fazhi.core.models import Division
from fazhi.core.normalize import clean_text
from fazhi.core.reveal import reveal_log
from fazhi.core.reveal import reveal_reason as reveal_reason_check
from fazhi.core.scope import get_scoped_or_404, has_permission, scoped, user_data_scope
from fazhi.core.scope import scope_q as unit_scope_q
from fazhi.inspections import draw as draw_algo
from fazhi.inspections import rules
from fazhi.inspections.models import (
    MONTHS,
    RISK_LABELS,
    AgencyMonthTally,
    AgencyYearTally,
    ConflictDeclaration,
    Draw,
    DrawAssignment,
    Enterprise,
    EnterpriseYearTally,
    InspectionFeedback,
    InspectionItem,
    InspectionRecord,
    InspectorPoolEntry,
    Plan,
    QuietDay,
    month_field,
    month_non_plan_field,
)
from fazhi.inspections.rules import QuietSpan
from fazhi.registry.models import Agency, Certificate, Officer

AGENCY_SCOPE = {"unit_field": "agency__unit"}
DRAW_SCOPE = {"unit_field": "plan__agency__unit"}
PUBLIC_DRAW_STATUSES = ("published", "superseded")


def _pk(value):
    return getattr(value, "pk", value)


def burden_threshold() -> int:
    return int(settings.FAZHI.get("INSPECTION_BURDEN_THRESHOLD", 3))


# ---------------------------------------------------------------- divisions


def division_subtree_ids(division: Division) -> list[int]:
    """The division and all its descendants (the tree is small: a province has a few thousand)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Division.objects.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pk)
    out, stack = [], [division.pk]
    while stack:
        pk = stack.pop()
        out.append(pk)
        stack.extend(children.get(pk, []))
    return out


def division_ancestor_ids(division_id: int) -> list[int]:
    parents = dict(Division.objects.values_list("id", "parent_id"))
    out, cur = [], division_id
    while cur is not None and cur not in out:
        out.append(cur)
        cur = parents.get(cur)
    return out


def division_by_code(*, code: str, field: str = "division") -> Division:
    division = Division.objects.filter(code=clean_text(code)).first()
    if division is None:
        raise DomainError(f"行政区划代码“{code}”不存在", field=field)
    return division


# ---------------------------------------------------------------- enterprises


def enterprise_list(
    *, user, q: str = "", division=None, risk_level: str = "", industry: str = "", credit_grade: str = ""
) -> QuerySet[Enterprise]:
    """The enterprise directory is shared by every agency that inspects (one directory, 国发〔2019〕5号)."""
    qs = Enterprise.objects.select_related("division")
    if not has_permission(user, "inspection.view"):
        return qs.none()
    q = clean_text(q)
    if q:
        code = q.upper().replace(" ", "")
        qs = qs.filter(
            Q(name__icontains=q) | Q(uscc=code) | Q(uscc__startswith=code) if len(code) >= 6 else Q(name__icontains=q)
        )
    if division:
        qs = qs.filter(division_id__in=division_subtree_ids(division))
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    industry = clean_text(industry).upper()
    if industry:
        qs = qs.filter(industry__startswith=industry)
    if credit_grade:
        qs = qs.filter(credit_grade=credit_grade)
    return qs.order_by("id")


def enterprise_get(*, user, pk) -> Enterprise:
    try:
        return enterprise_list(user=user).get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def enterprise_ref(*, pk, field: str = "enterprise") -> Enterprise:
    try:
        return Enterprise.objects.select_related("division").get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError, TypeError):
        raise DomainError(f"市场主体（id={pk}）不存在", field=field) from None


def enterprise_may_reveal(*, user) -> bool:
    return has_permission(user, "inspection.manage") or has_permission(user, "personal.reveal")


def enterprise_legal_rep_display(*, user, enterprise: Enterprise, reveal_reason: str | None = None, ip=None) -> str:
    """Masked unless an inspection manager gives a reason; an unmasked view is logged (design.md §4)."""
    if reveal_reason is not None and enterprise_may_reveal(user=user):
        reveal_log(user=user, obj=enterprise, what="法定代表人", reason=reveal_reason_check(reveal_reason), ip=ip)
        return enterprise.legal_representative
    return mask_name(enterprise.legal_representative)


def enterprise_inspections(*, user, enterprise: Enterprise) -> QuerySet[InspectionRecord]:
    """The enterprise's inspections the viewer may see: the same records as `record_list` (本人: his own)."""
    return InspectionRecord.objects.filter(record_scope_q(user), enterprise=enterprise).select_related(
        "agency__unit", "item"
    )


# ---------------------------------------------------------------- agencies, items, pool


def agencies_for(*, user) -> QuerySet[Agency]:
    return scoped(Agency.objects.select_related("unit").filter(is_active=True), user, unit_field="unit").order_by(
        "unit__sort_order", "id"
    )


def agency_get(*, user, pk) -> Agency:
    return get_scoped_or_404(Agency.objects.select_related("unit"), user, pk, unit_field="unit")


def agency_ref(*, user, pk, field: str = "agency") -> Agency:
    try:
        return agency_get(user=user, pk=pk)
    except NotFound:
        raise DomainError(f"执法主体（id={pk}）不存在或不在您的管理范围内", field=field) from None


def item_list(*, user, agency=None) -> QuerySet[InspectionItem]:
    qs = scoped(InspectionItem.objects.select_related("agency__unit", "power_item"), user, **AGENCY_SCOPE)
    if agency:
        qs = qs.filter(agency_id=_pk(agency))
    return qs.order_by("agency__unit__sort_order", "agency_id", "id")


def items_ref(*, user, agency, pks, field: str = "items") -> list[InspectionItem]:
    pks = [int(p) for p in pks or []]
    items = list(item_list(user=user, agency=agency).filter(pk__in=pks, is_active=True))
    missing = set(pks) - {i.pk for i in items}
    if missing:
        raise DomainError(f"抽查事项（id={', '.join(map(str, sorted(missing)))}）不属于该执法主体或已停用", field=field)
    return items


def joint_agency_choices() -> QuerySet[Agency]:
    """Agencies that may be invited to a joint plan: any active agency with an active inspection item (the
    lead need not manage them; their items and pools join the draw)."""
    return (
        Agency.objects.select_related("unit")
        .filter(is_active=True, inspection_items__is_active=True)
        .distinct()
        .order_by("unit__sort_order", "id")
    )


def joint_item_choices(*, user) -> QuerySet[InspectionItem]:
    """Items a plan may list: the viewer's agencies' items and those of agencies that may join a joint plan."""
    own = item_list(user=user).filter(is_active=True).values("pk")
    return (
        InspectionItem.objects.select_related("agency__unit", "power_item")
        .filter(Q(pk__in=own) | Q(agency__in=joint_agency_choices()), is_active=True)
        .order_by("agency_id", "id")
    )


def items_for_plan(*, user, agency, joint_agencies, pks, field: str = "items") -> list[InspectionItem]:
    """The lead's items (scoped) and the participating agencies' active items among `pks`."""
    pks = [int(p) for p in pks or []]
    own = list(item_list(user=user, agency=agency).filter(pk__in=pks, is_active=True))
    others = list(InspectionItem.objects.filter(pk__in=pks, is_active=True, agency__in=[a.pk for a in joint_agencies]))
    items = own + [i for i in others if i.agency_id != _pk(agency)]
    missing = set(pks) - {i.pk for i in items}
    if missing:
        raise DomainError(
            f"抽查事项（id={', '.join(map(str, sorted(missing)))}）不属于牵头或参与部门或已停用", field=field
        )
    return items


def joint_agencies_ref(*, pks, field: str = "joint_agencies") -> list[Agency]:
    pks = sorted({int(p) for p in pks or []})
    found = list(joint_agency_choices().filter(pk__in=pks))
    missing = set(pks) - {a.pk for a in found}
    if missing:
        raise DomainError(f"执法主体（id={', '.join(map(str, sorted(missing)))}）不存在或没有抽查事项", field=field)
    return found


def _valid_certificate(day: dt.date):
    return Certificate.objects.filter(
        officer=OuterRef("officer"), status="active", valid_from__lte=day, valid_to__gte=day
    )


def pool_list(
    *, user, agency=None, q: str = "", available: bool | None = None, today: dt.date | None = None
) -> QuerySet[InspectorPoolEntry]:
    today = today or timezone.localdate()
    qs = scoped(InspectorPoolEntry.objects.select_related("officer", "agency__unit"), user, **AGENCY_SCOPE)
    if agency:
        qs = qs.filter(agency_id=_pk(agency))
    q = clean_text(q)
    if q:
        qs = qs.filter(
            Q(officer__name__icontains=q)
            | Q(agency__unit__name__icontains=q)
            | Q(agency__unit__short_name__icontains=q)
        )
    if available is not None:
        qs = qs.filter(available=available)
    return qs.annotate(
        certified=Exists(_valid_certificate(today)), conflict_count=Count("officer__conflicts")
    ).order_by("agency_id", "officer_id")


def pool_entry_get(*, user, pk) -> InspectorPoolEntry:
    return get_scoped_or_404(
        InspectorPoolEntry.objects.select_related("officer", "agency__unit"), user, pk, **AGENCY_SCOPE
    )


def officer_ref(*, user, pk, field: str = "officer") -> Officer:
    try:
        return get_scoped_or_404(Officer.objects.select_related("agency__unit"), user, pk, **AGENCY_SCOPE)
    except NotFound:
        raise DomainError(f"执法人员（id={pk}）不存在或不在您的管理范围内", field=field) from None


def officer_of_user(*, user) -> Officer:
    officer = Officer.objects.filter(user=user, is_active=True).select_related("agency__unit").first()
    if officer is None:
        raise DomainError("您的账号未关联执法人员，请填写 officer_id", field="officer_id")
    return officer


def conflict_list(*, user, agency=None) -> QuerySet[ConflictDeclaration]:
    qs = scoped(
        ConflictDeclaration.objects.select_related("officer__agency__unit", "enterprise"),
        user,
        unit_field="officer__agency__unit",
    )
    if agency:
        qs = qs.filter(officer__agency_id=_pk(agency))
    return qs


def frozen_inspectors(*, agency: Agency, day: dt.date) -> list[int]:
    """Available pool members of the agency, in post, holding a certificate valid on `day`."""
    return list(
        InspectorPoolEntry.objects.filter(agency=agency, available=True, officer__is_active=True)
        .filter(Exists(_valid_certificate(day)))
        .order_by("officer_id")
        .values_list("officer_id", flat=True)
    )


def frozen_joint_inspectors(*, agencies: list[Agency], day: dt.date) -> list[tuple[int, int]]:
    """(officer id, agency id) of the available certified pool members of every participating agency."""
    return list(
        InspectorPoolEntry.objects.filter(agency__in=agencies, available=True, officer__is_active=True)
        .filter(Exists(_valid_certificate(day)))
        .order_by("officer_id")
        .values_list("officer_id", "agency_id")
    )


def frozen_conflicts(*, officer_ids: list[int]) -> list[tuple[int, int]]:
    return list(
        ConflictDeclaration.objects.filter(officer_id__in=officer_ids)
        .order_by("officer_id", "enterprise_id")
        .values_list("officer_id", "enterprise_id")
    )


def draw_scope(*, items: list[InspectionItem]) -> list[dict]:
    """The object scope of each item of a draw, in the form committed in its parameters (draw.canonical_params)."""
    return [
        rules.item_scope(
            item_id=i.pk,
            industries=rules.industry_scope_parse(i.scope_industries)[0],
            risk_levels=list(i.scope_risk_levels or []),
        )
        for i in items
    ]


def scope_q(scopes: list[dict]) -> Q:
    """`rules.in_scope` as a query: inside every item's industries (by prefix) and risk levels."""
    q = Q()
    for scope in scopes:
        if scope["industries"]:
            any_industry = Q()
            for code in scope["industries"]:
                any_industry |= Q(industry__startswith=code)
            q &= any_industry
        if scope["risk_levels"]:
            q &= Q(risk_level__in=scope["risk_levels"])
    return q


def frozen_candidates(
    *, agency: Agency, items: list[InspectionItem], exclusion_days: int, day: dt.date, scopes: list[dict] | None = None
) -> list[tuple[int, str]]:
    """Active enterprises in the (lead) agency's division (and below) and in the items' object scope, less those
    inspected for any of the items within the exclusion window (a joint draw's record carries the lead item,
    reached via its draw)."""
    since = day - dt.timedelta(days=exclusion_days)
    recent = InspectionRecord.objects.filter(
        Q(item__in=items) | Q(assignment__draw__joint_items__in=items),
        enterprise=OuterRef("pk"),
        inspected_on__gte=since,
    )
    scopes = draw_scope(items=items) if scopes is None else scopes
    return list(
        Enterprise.objects.filter(is_active=True, division_id__in=division_subtree_ids(agency.unit.division))
        .filter(scope_q(scopes))
        .exclude(Exists(recent))
        .order_by("id")
        .values_list("id", "risk_level")
    )


# ---------------------------------------------------------------- plans and draws


def plan_list(*, user, year: int | None = None, agency=None, status: str = "", q: str = "") -> QuerySet[Plan]:
    qs = scoped(Plan.objects.select_related("agency__unit"), user, **AGENCY_SCOPE)
    q = clean_text(q)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(agency__unit__name__icontains=q) | Q(agency__unit__short_name__icontains=q)
        )
    if year:
        qs = qs.filter(year=year)
    if agency:
        qs = qs.filter(agency_id=_pk(agency))
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(item_count=Count("items", distinct=True), draw_count=Count("draws", distinct=True))


def plan_get(*, user, pk) -> Plan:
    return get_scoped_or_404(
        Plan.objects.select_related("agency__unit").prefetch_related("items"), user, pk, **AGENCY_SCOPE
    )


def draw_list(*, user, plan=None, status: str = "") -> QuerySet[Draw]:
    qs = scoped(Draw.objects.select_related("plan__agency__unit", "item"), user, **DRAW_SCOPE).defer(
        "candidates", "inspectors", "conflicts", "result"
    )
    if plan:
        qs = qs.filter(plan_id=_pk(plan))
    if status:
        qs = qs.filter(status=status)
    return qs


def draw_get(*, user, pk) -> Draw:
    return get_scoped_or_404(
        Draw.objects.select_related("plan__agency__unit", "item", "redraw_of"), user, pk, **DRAW_SCOPE
    )


def draw_assignments(*, draw: Draw) -> QuerySet[DrawAssignment]:
    return (
        DrawAssignment.objects.filter(draw=draw)
        .select_related("enterprise", "record")
        .prefetch_related("inspectors__agency__unit")
        .order_by("position")
    )


def assignment_get(*, user, pk) -> DrawAssignment:
    return get_scoped_or_404(
        DrawAssignment.objects.select_related("draw__plan__agency__unit", "draw__item", "enterprise"),
        user,
        pk,
        unit_field="draw__plan__agency__unit",
    )


# ---------------------------------------------------------------- public (portal and the public API)


def public_plan_list(*, year: int | None = None) -> QuerySet[Plan]:
    qs = Plan.objects.filter(status="published").select_related("agency__unit").prefetch_related("items")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "agency__unit__sort_order", "id")


def public_plan_get(*, pk) -> Plan:
    try:
        return public_plan_list().get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def public_draw_list(*, plan=None) -> QuerySet[Draw]:
    qs = (
        Draw.objects.filter(plan__status="published")
        .select_related("plan__agency__unit", "item")
        .defer("candidates", "inspectors", "conflicts", "result")
    )
    if plan:
        qs = qs.filter(plan_id=_pk(plan))
    return qs.order_by("-committed_at", "-id")


def public_draw_get(*, pk) -> Draw:
    """Any draw of a published plan: its commitment is public from the moment it is made."""
    try:
        return Draw.objects.select_related("plan__agency__unit", "item", "redraw_of").get(
            pk=pk, plan__status="published"
        )
    except (Draw.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def draw_revealed(draw: Draw) -> bool:
    """Seed, lists and result are public once the draw is published (or voided by a redraw after drawing)."""
    return draw.status == "published" or (draw.status == "superseded" and draw.drawn_at is not None)


def draw_verification(*, draw: Draw) -> dict:
    """Everything needed to re-run the draw offline (design: `fazhi draw verify`, the public page, the API)."""
    revealed = draw_revealed(draw)
    data = {
        "id": draw.pk,
        "algorithm": draw.algorithm,
        "status": draw.status,
        "plan": draw.plan.name,
        "agency": draw.plan.agency.unit.name,
        "item": draw.item.name,
        "committed_at": draw.committed_at,
        "drawn_at": draw.drawn_at,
        "published_at": draw.published_at,
        "commitment": draw.commitment,
        "seed_hash": draw.seed_hash,
        "candidates_hash": draw.candidates_hash,
        "inspectors_hash": draw.inspectors_hash,
        "conflicts_hash": draw.conflicts_hash,
        "params_hash": draw.params_hash,
        "params": draw.params,
        "candidate_count": draw.candidate_count,
        "inspector_count": draw.inspector_count,
        "redraw_of": draw.redraw_of_id,
        "superseded_reason": draw.superseded_reason,
        "seed": None,
        "candidates": None,
        "inspectors": None,
        "conflicts": None,
        "result": None,
        "result_hash": None,
    }
    data["lead_agency_id"] = draw.plan.agency_id
    data["inspector_agencies"] = None
    if revealed:
        data.update(
            seed=draw.seed,
            candidates=draw.candidates,
            inspectors=draw.inspectors,
            conflicts=draw.conflicts,
            result=draw.result,
            result_hash=draw.result_hash,
        )
        if draw.algorithm == draw_algo.JOINT_ALGORITHM:
            pairs = draw_algo.parse_joint_inspectors(draw.inspectors)
        else:
            pairs = [(o, draw.plan.agency_id) for o in draw_algo.parse_inspectors(draw.inspectors)]
        data["inspector_agencies"] = {str(o): a for o, a in pairs}
    return data


def draw_committed_scope(*, draw: Draw) -> list[dict] | None:
    """The object scope committed with the draw (None for draws committed before scopes existed)."""
    try:
        scope = json.loads(draw.params).get("scope")
    except (ValueError, AttributeError):
        return None
    return scope if isinstance(scope, list) else None


def draw_scope_display(*, draw: Draw) -> list[dict]:
    """The committed scope in words, per item, for the public page: which enterprises the candidates were."""
    scope = draw_committed_scope(draw=draw)
    if scope is None:
        return []
    names = dict(InspectionItem.objects.filter(pk__in=[s["item"] for s in scope]).values_list("pk", "name"))
    return [
        {
            "item": names.get(s["item"], f"#{s['item']}"),
            "industries": "、".join(s["industries"]) or "不限",
            "risk_levels": "、".join(RISK_LABELS.get(level, level) for level in s["risk_levels"]) or "不限",
        }
        for s in scope
    ]


def draw_verify(*, draw: Draw) -> tuple[bool, list[str]]:
    """The pure re-run (draw.verify), plus the candidate list's definition against the directory: every
    candidate's industry inside the committed scope (the risk levels travel in the list itself)."""
    if not draw_revealed(draw):
        return False, ["抽取结果尚未公布，目前只能核对承诺值"]
    _, problems = draw_algo.verify(draw_verification(draw=draw))
    scope = draw_committed_scope(draw=draw)
    if scope:
        ids = [eid for eid, _ in draw_algo.parse_candidates(draw.candidates)]
        industries = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "industry"))
        for eid in ids:
            if not rules.in_scope(industry=industries.get(eid, ""), risk_level="", scopes=_industries_only(scope)):
                problems.append(
                    f"抽查对象名录中的对象 {eid} 的行业（{industries.get(eid) or '无'}）不在承诺的抽查对象范围内"
                )
                break
    return not problems, problems


def _industries_only(scope: list[dict]) -> list[dict]:
    return [{**s, "risk_levels": []} for s in scope]


def public_record_list(*, agency=None, q: str = "") -> QuerySet[InspectionRecord]:
    qs = InspectionRecord.objects.filter(published_on__isnull=False).select_related(
        "enterprise", "agency__unit", "item"
    )
    if agency:
        qs = qs.filter(agency_id=_pk(agency))
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc=q.upper()))
    return qs.order_by("-published_on", "-id")


def public_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(inspection_plans__status="published").select_related("unit").distinct()


# ---------------------------------------------------------------- records


@dataclass
class RecordFilters:
    q: str = ""
    agency: int | None = None
    source: str = ""
    published: str = ""  # "yes" / "no"
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def record_scope_q(user) -> Q:
    """Records the user may see: by the agency's unit; with the 本人 scope those he inspected or registered."""
    if user_data_scope(user) == "self":
        inspected = InspectionRecord.inspectors.through.objects.filter(officer__user_id=user.pk)
        return Q(pk__in=inspected.values("inspectionrecord_id")) | Q(created_by=user)
    return unit_scope_q(user, **AGENCY_SCOPE)


def record_list(*, user, filters: RecordFilters | None = None) -> QuerySet[InspectionRecord]:
    f = filters or RecordFilters()
    qs = InspectionRecord.objects.filter(record_scope_q(user)).select_related(
        "enterprise", "agency__unit", "item", "publication_item"
    )
    q = clean_text(f.q)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc=q.upper()))
    if f.agency:
        qs = qs.filter(agency_id=f.agency)
    if f.source == "non_plan":
        qs = qs.exclude(source="random")
    elif f.source:
        qs = qs.filter(source=f.source)
    if f.published == "yes":
        qs = qs.filter(published_on__isnull=False)
    elif f.published == "no":
        qs = qs.filter(published_on__isnull=True)
    if f.date_from:
        qs = qs.filter(inspected_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(inspected_on__lte=f.date_to)
    return qs.order_by("-inspected_on", "-id")


def record_get(*, user, pk) -> InspectionRecord:
    try:
        return (
            InspectionRecord.objects.filter(record_scope_q(user))
            .select_related("enterprise", "agency__unit", "item", "publication_item", "assignment__draw")
            .prefetch_related("inspectors", "attachments")
            .get(pk=pk)
        )
    except (InspectionRecord.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def quiet_day_list(*, user, q: str = "", year: int | None = None) -> QuerySet[QuietDay]:
    # Quiet days are published to every enterprise; any inspection user reads them all.
    qs = QuietDay.objects.select_related("division").order_by("-start_date", "-id")
    if not has_permission(user, "inspection.view"):
        return qs.none()
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(division__name__icontains=q) | Q(group__icontains=q) | Q(note__icontains=q))
    if year:
        qs = qs.filter(start_date__year__lte=year, end_date__year__gte=year)
    return qs


def quiet_spans_for(*, enterprise: Enterprise, day_from: dt.date, day_to: dt.date) -> list[QuietSpan]:
    """Quiet days that cover the enterprise (its division or an ancestor, or its group) within the dates."""
    cond = Q(division_id__in=division_ancestor_ids(enterprise.division_id))
    if enterprise.group:
        cond |= Q(group=enterprise.group)
    spans = []
    for qd in QuietDay.objects.filter(cond, start_date__lte=day_to, end_date__gte=day_from).select_related("division"):
        label = qd.division.name if qd.division_id else f"企业分组“{qd.group}”"
        spans.append(QuietSpan(label=label, start=qd.start_date, end=qd.end_date))
    return spans


# ---------------------------------------------------------------- inspection burden (set-based)


@dataclass
class Burden:
    date_from: dt.date
    date_to: dt.date
    threshold: int
    total: int
    non_plan: int
    enterprises: int
    over_threshold: int
    by_enterprise: list[dict]
    by_agency: list[dict]
    basis: str = "records"  # "tally" when read from the yearly tallies


def _burden_records(*, user, date_from: dt.date, date_to: dt.date) -> QuerySet[InspectionRecord]:
    return InspectionRecord.objects.filter(record_scope_q(user), inspected_on__gte=date_from, inspected_on__lte=date_to)


def _days_sql(*, key: str, seg: rules.Segment) -> tuple[str, list]:
    """(key, n, non_plan) from the records of the segment's days (the covering index, index-only)."""
    sign = "-" if seg.sign < 0 else ""
    return (
        f'SELECT "{key}" AS k, CAST({sign}COUNT(*) AS INTEGER) AS n, '
        f"CAST({sign}SUM(CASE WHEN source <> 'random' THEN 1 ELSE 0 END) AS INTEGER) AS np "
        f'FROM {InspectionRecord._meta.db_table} WHERE inspected_on BETWEEN %s AND %s GROUP BY "{key}"',
        [seg.start, seg.end],
    )


def _agency_segments_sql(*, date_from: dt.date, date_to: dt.date) -> tuple[str, list]:
    """(agency_id, n, non_plan) per agency over the range, summed from the signed pieces of
    `rules.burden_segments`: yearly and monthly tallies plus the records of the partial months' days."""
    parts, params = [], []
    for seg in rules.burden_segments(date_from, date_to):
        if seg.kind == "year":
            parts.append(
                f"SELECT agency_id AS k, %s * total AS n, %s * non_plan AS np "
                f"FROM {AgencyYearTally._meta.db_table} WHERE year BETWEEN %s AND %s"
            )
            params += [seg.sign, seg.sign, seg.start.year, seg.end.year]
        elif seg.kind == "month":
            parts.append(
                f"SELECT agency_id AS k, %s * total AS n, %s * non_plan AS np "
                f"FROM {AgencyMonthTally._meta.db_table} WHERE month BETWEEN %s AND %s"
            )
            params += [seg.sign, seg.sign, seg.start, seg.end]
        else:
            sql, more = _days_sql(key="agency_id", seg=seg)
            parts.append(sql)
            params += more
    union = " UNION ALL ".join(parts)
    sql = (
        f'SELECT u.k AS "agency_id", SUM(u.n) AS n, SUM(u.np) AS non_plan FROM ({union}) u '
        "GROUP BY u.k HAVING SUM(u.n) > 0"
    )
    return sql, params


def _month_weights(segments: list[rules.Segment]) -> dict[int, dict[int, int]]:
    """{year: {month: weight}}: how many times each whole month counts, from the year and month segments."""
    weights: dict[int, dict[int, int]] = {}
    for seg in segments:
        if seg.kind == "days":
            continue
        day = seg.start
        while day <= seg.end:
            per_year = weights.setdefault(day.year, {})
            per_year[day.month] = per_year.get(day.month, 0) + seg.sign
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return {y: {m: w for m, w in months.items() if w} for y, months in weights.items()}


def _enterprise_range_sql(*, date_from: dt.date, date_to: dt.date) -> tuple[str, list]:
    """(enterprise_id, n, non_plan) per enterprise over the range: for each year, one row per enterprise whose
    month columns are summed over the whole months the range covers, plus (or less) the records of the
    partial months' days (`rules.burden_segments`). The years' rows are read in one scan; a range inside one
    year with no partial days is that scan alone, otherwise the pieces are grouped by enterprise. The pieces
    are integers so that PostgreSQL sums them as bigint, not numeric."""
    segments = rules.burden_segments(date_from, date_to)
    weights = {year: months for year, months in sorted(_month_weights(segments).items()) if months}
    parts, params, positive = [], [], False
    if weights:

        def expr(field, months) -> str:
            return " + ".join(f'"{field(m)}"' if w == 1 else f'{w} * "{field(m)}"' for m, w in sorted(months.items()))

        n_when, np_when, n_params = [], [], []
        for year, months in weights.items():
            if months == dict.fromkeys(MONTHS, 1):  # the whole year: its totals
                n, np = '"total"', '"non_plan"'
            else:
                n, np = expr(month_field, months), expr(month_non_plan_field, months)
            n_when.append(f"WHEN %s THEN {n}")
            np_when.append(f"WHEN %s THEN {np}")
            n_params.append(year)
        # One scan of the years' rows; the year picks which month columns count.
        n_case, np_case = f"CASE year {' '.join(n_when)} END", f"CASE year {' '.join(np_when)} END"
        in_years = ", ".join(["%s"] * len(weights))
        # With only positive weights a row whose months hold no inspection adds nothing: leave it out.
        positive = all(w > 0 for months in weights.values() for w in months.values())
        parts.append(
            f"SELECT enterprise_id AS k, {n_case} AS n, {np_case} AS np "
            f"FROM {EnterpriseYearTally._meta.db_table} WHERE year IN ({in_years})"
            + (f" AND {n_case} > 0" if positive else "")
        )
        params += [*n_params, *n_params, *weights, *(n_params if positive else [])]
    one_row_each = len(weights) == 1 and positive
    for seg in segments:
        if seg.kind == "days":
            sql, more = _days_sql(key="enterprise_id", seg=seg)
            parts.append(sql)
            params += more
            one_row_each = False
    if not parts:
        return 'SELECT 0 AS "enterprise_id", 0 AS n, 0 AS non_plan WHERE 1 = 0', []
    if len(parts) == 1 and one_row_each:  # one year's rows, one per enterprise: nothing to group
        return f'SELECT u.k AS "enterprise_id", u.n AS n, u.np AS non_plan FROM ({parts[0]}) u', params
    union = " UNION ALL ".join(parts)
    sql = (
        f'SELECT u.k AS "enterprise_id", SUM(u.n) AS n, SUM(u.np) AS non_plan FROM ({union}) u '
        "GROUP BY u.k HAVING SUM(u.n) > 0"
    )
    return sql, params


def burden_statistics(
    *, user, date_from: dt.date, date_to: dt.date, threshold: int | None = None, limit: int = 50
) -> Burden:
    """Inspections per enterprise across all agencies in the period, the enterprises above the threshold
    and the agencies ranked by the inspections they made. Every figure is one GROUP BY query."""
    threshold = burden_threshold() if threshold is None else threshold
    base = _burden_records(user=user, date_from=date_from, date_to=date_to)
    # An all-scope viewer (the supervisor's monitor) reads the tallies (enterprises: one row per year with
    # month columns; agencies: year and month rows) and the records only for the partial months at the ends
    # of the range; a narrower scope counts the records themselves.
    use_tally = user_data_scope(user) == "all"
    if use_tally:
        inner, params = _enterprise_range_sql(date_from=date_from, date_to=date_to)
        agency_sql, agency_params = _agency_segments_sql(date_from=date_from, date_to=date_to)
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT a.agency_id, a.n, a.non_plan FROM ({agency_sql}) a ORDER BY a.n DESC, a.agency_id LIMIT %s",
                [*agency_params, limit],
            )
            by_agency_rows = [{"agency_id": r[0], "n": int(r[1]), "non_plan": int(r[2])} for r in cur.fetchall()]
    else:
        per_ent = (
            base.order_by()
            .values("enterprise_id")
            .annotate(n=Count("id"), non_plan=Count("id", filter=~Q(source="random")))
        )
        per_agency = (
            base.order_by()
            .values("agency_id")
            .annotate(n=Count("id"), non_plan=Count("id", filter=~Q(source="random")))
        )
        inner, params = per_ent.query.sql_with_params()
        by_agency_rows = list(per_agency.order_by("-n", "agency_id")[:limit])
    # One pass: the grouped rows carry the whole-set totals as window aggregates, so the ranking, the
    # enterprise count, the totals and the count above the threshold come from a single scan.
    sql = (
        f"SELECT p.enterprise_id, p.n, p.non_plan, COUNT(*) OVER (), SUM(p.n) OVER (), SUM(p.non_plan) OVER (), "
        f"SUM(CASE WHEN p.n > %s THEN 1 ELSE 0 END) OVER () FROM ({inner}) p "
        f"ORDER BY p.n DESC, p.enterprise_id LIMIT %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [threshold, *params, limit])
        rows = cur.fetchall()
    top = [{"enterprise_id": r[0], "n": int(r[1]), "non_plan": int(r[2])} for r in rows]
    enterprise_count, total, non_plan, over = (rows[0][3], rows[0][4], rows[0][5], rows[0][6]) if rows else (0, 0, 0, 0)
    totals = {"total": int(total or 0), "non_plan": int(non_plan or 0)}
    ids = [r["enterprise_id"] for r in top]
    names = {e["id"]: e for e in Enterprise.objects.filter(id__in=ids).values("id", "name", "uscc")}
    agencies_per = dict(
        base.filter(enterprise_id__in=ids)
        .order_by()
        .values("enterprise_id")
        .annotate(a=Count("agency_id", distinct=True))
        .values_list("enterprise_id", "a")
    )
    by_enterprise = [
        {
            "enterprise_id": r["enterprise_id"],
            "name": names.get(r["enterprise_id"], {}).get("name", ""),
            "uscc": names.get(r["enterprise_id"], {}).get("uscc", ""),
            "inspections": r["n"],
            "non_plan": r["non_plan"],
            "agencies": agencies_per.get(r["enterprise_id"], 0),
            "over": r["n"] > threshold,
        }
        for r in top
    ]
    agency_names = dict(
        Agency.objects.filter(id__in=[r["agency_id"] for r in by_agency_rows]).values_list("id", "unit__name")
    )
    by_agency = [
        {
            "agency_id": r["agency_id"],
            "name": agency_names.get(r["agency_id"], ""),
            "inspections": r["n"],
            "non_plan": r["non_plan"],
        }
        for r in by_agency_rows
    ]
    return Burden(
        date_from=date_from,
        date_to=date_to,
        threshold=threshold,
        total=totals["total"] or 0,
        non_plan=totals["non_plan"] or 0,
        enterprises=int(enterprise_count or 0),
        over_threshold=int(over or 0),
        basis="tally" if use_tally else "records",
        by_enterprise=by_enterprise,
        by_agency=by_agency,
    )


def enterprise_inspection_count(*, enterprise: Enterprise, date_from: dt.date, date_to: dt.date) -> int:
    return InspectionRecord.objects.filter(
        enterprise=enterprise, inspected_on__gte=date_from, inspected_on__lte=date_to
    ).count()


def officers_for(*, user, agency=None) -> QuerySet[Officer]:
    qs = scoped(Officer.objects.select_related("agency__unit").filter(is_active=True), user, **AGENCY_SCOPE)
    if agency:
        qs = qs.filter(agency_id=_pk(agency))
    return qs.order_by("agency_id", "id")


def inspection_power_items(*, user):
    from fazhi.registry.models import PowerItem

    return scoped(
        PowerItem.objects.select_related("agency__unit").filter(kind="inspection", is_current=True, is_active=True),
        user,
        **AGENCY_SCOPE,
    ).order_by("agency_id", "code")


def inspection_power_item_get(*, user, pk):
    """A 行政检查 power item inside the user's scope, or 404."""
    item = inspection_power_items(user=user).filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


def enterprise_by_uscc(*, uscc: str, field: str = "uscc") -> Enterprise:
    code = clean_text(uscc).upper().replace(" ", "")
    enterprise = Enterprise.objects.filter(uscc=code).first()
    if enterprise is None:
        raise DomainError(f"统一社会信用代码为“{code}”的市场主体未登记", field=field)
    return enterprise


def divisions_all() -> QuerySet[Division]:
    return Division.objects.filter(is_active=True).order_by("code")


# ---------------------------------------------------------------- enterprise feedback

FEEDBACK_SALT = "fazhi.inspections.feedback"


def feedback_token(*, record: InspectionRecord) -> str:
    """The enterprise's link token: record and enterprise ids signed with the secret key (HMAC), so it
    cannot be guessed or altered and opens this one record of this one enterprise."""
    return signing.dumps({"r": record.pk, "e": record.enterprise_id}, salt=FEEDBACK_SALT, compress=False)


def feedback_record_by_token(*, token: str) -> InspectionRecord:
    """The published record the token was issued for; NotFound for a forged, altered or foreign token."""
    try:
        data = signing.loads(token or "", salt=FEEDBACK_SALT)
        pk, enterprise_id = int(data["r"]), int(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound() from None
    record = (
        InspectionRecord.objects.select_related("enterprise", "agency__unit", "item")
        .filter(pk=pk, enterprise_id=enterprise_id, published_on__isnull=False)
        .first()
    )
    if record is None:
        raise NotFound()
    return record


def record_feedback(*, record: InspectionRecord) -> InspectionFeedback | None:
    return InspectionFeedback.objects.filter(record=record).select_related("complaint").first()


def feedback_by_agency(*, user, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Enterprise ratings of the inspections in the period, per agency (one GROUP BY): count, average score
    (满意 3, 基本满意 2, 不满意 1) and the count of each rating."""
    qs = InspectionFeedback.objects.filter(record__inspected_on__gte=date_from, record__inspected_on__lte=date_to)
    if user_data_scope(user) == "self":  # the ratings of his own inspections, as record_list shows them
        qs = qs.filter(record__in=InspectionRecord.objects.filter(record_scope_q(user)).values("pk"))
    else:
        qs = scoped(qs, user, **AGENCY_SCOPE)
    rows = list(
        qs.order_by()
        .values("agency_id", "agency__unit__name")
        .annotate(
            n=Count("id"),
            avg=Avg("score"),
            satisfied=Count("id", filter=Q(rating="satisfied")),
            basic=Count("id", filter=Q(rating="basic")),
            dissatisfied=Count("id", filter=Q(rating="dissatisfied")),
        )
        .order_by("-avg", "agency_id")
    )
    return [
        {
            "agency_id": r["agency_id"],
            "name": r["agency__unit__name"],
            "count": r["n"],
            "average": round(float(r["avg"] or 0), 2),
            "satisfied": r["satisfied"],
            "basic": r["basic"],
            "dissatisfied": r["dissatisfied"],
        }
        for r in rows
    ]


def inspection_counts_by_unit(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Per agency unit: inspection records dated in [date_from, date_to] (for the reports of assessment)."""
    rows = (
        InspectionRecord.objects.filter(inspected_on__gte=date_from, inspected_on__lte=date_to)
        .values("agency__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["agency__unit_id"]: r["n"] for r in rows}


def inspection_figures_by_unit(*, date_from: dt.date, date_to: dt.date) -> dict[str, dict[int, tuple[int, int]]]:
    """For the assessment module (考核), system-wide, per agency unit (one GROUP BY each):
    "random" — inspections made by 双随机 draws, of all inspections dated in the period;
    "published" — results published by their deadline (20 working days), of the results whose deadline fell in it;
    "over" — inspections of enterprises inspected more than the burden threshold in the period (all agencies
    together), of all the unit's inspections: the inspection burden it adds."""
    records = InspectionRecord.objects.filter(inspected_on__gte=date_from, inspected_on__lte=date_to)
    over = (
        records.order_by()
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .filter(n__gt=burden_threshold())
        .values("enterprise_id")
    )
    per_unit = (
        records.values("agency__unit_id")
        .annotate(
            n=Count("id"),
            random=Count("id", filter=Q(source="random")),
            over=Count("id", filter=Q(enterprise_id__in=over)),
        )
        .order_by()
    )
    published = (
        InspectionRecord.objects.filter(
            publication_item__deadline__gte=date_from, publication_item__deadline__lte=date_to
        )
        .values("agency__unit_id")
        .annotate(
            n=Count("id"),
            k=Count("id", filter=Q(published_on__isnull=False, published_on__lte=F("publication_item__deadline"))),
        )
        .order_by()
    )
    return {
        "random": {r["agency__unit_id"]: (r["random"], r["n"]) for r in per_unit},
        "over": {r["agency__unit_id"]: (r["over"], r["n"]) for r in per_unit},
        "published": {r["agency__unit_id"]: (r["k"], r["n"]) for r in published},
    }
