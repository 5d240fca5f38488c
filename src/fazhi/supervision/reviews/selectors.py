"""Reads of 行政执法案卷评查, each applying the viewer's scope:

- a campaign: its organising unit in the viewer's (unit-wide) scope, or an agency it reviews in that scope, or the
  viewer is in its reviewer pool;
- a file: the campaign's managers (organising unit in scope); its reviewers; the reviewed agency (unit in a unit-wide
  scope) once the campaign has published its results. The 本人 scope (invited supervisors, officers) reaches only
  what the user is assigned;
- an 评查意见: the campaign's organising unit or the agency in scope.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import Role, User
from fazhi.core.normalize import clean_text
from fazhi.core.scope import scope_q, user_data_scope
from fazhi.registry.models import Agency
from fazhi.supervision.reviews import rules, sampling
from fazhi.supervision.reviews.models import (
    Campaign,
    CampaignReviewer,
    CampaignSample,
    ReviewFile,
    ReviewOpinion,
    Rubric,
    RubricItem,
    RubricSection,
    ScoreLine,
    ScoreSheet,
)

NOTHING = Q(pk__in=[])


def _pk(value):
    return getattr(value, "pk", value)


def _unit_scope_q(user, unit_field: str) -> Q:
    """The viewer's unit-wide scope over `unit_field`; nothing for the 本人 scope (it reaches no unit)."""
    if user_data_scope(user) == "self":
        return NOTHING
    return scope_q(user, unit_field=unit_field)


def _either(*parts: Q) -> Q:
    """OR of scope filters where an empty Q means "everything" (Django drops an empty operand of |)."""
    if any(not p for p in parts):
        return Q()
    out = parts[0]
    for p in parts[1:]:
        out |= p
    return out


# ---------------------------------------------------------------- rubrics


def rubric_list(*, user, q: str = "", year: int | None = None, case_type: str = "") -> QuerySet[Rubric]:
    """Rubrics are one set for the jurisdiction (permissions.rubric_actions): every review user reads them."""
    qs = Rubric.objects.annotate(
        item_count=Count("items", distinct=True), campaign_count=Count("campaigns", distinct=True)
    )
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(basis__icontains=q))
    if year:
        qs = qs.filter(year=year)
    if case_type:
        qs = qs.filter(case_type=case_type)
    return qs.order_by("-year", "case_type", "-version", "-id")


def rubric_get(*, user, pk) -> Rubric:
    try:
        rubric = Rubric.objects.get(pk=pk)
    except (Rubric.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    rubric.frozen = rubric.campaigns.exists()
    return rubric


def rubric_ref(*, pk, field: str = "rubric") -> Rubric:
    """A rubric named in an input: a bad id is the input's error."""
    try:
        return Rubric.objects.get(pk=int(pk))
    except (Rubric.DoesNotExist, ValueError, TypeError):
        raise DomainError(f"评查标准“{pk}”不存在", field=field) from None


def rubric_sections(*, rubric) -> list[RubricSection]:
    return list(
        rubric.sections.prefetch_related(Prefetch("items", queryset=RubricItem.objects.order_by("sort_order", "id")))
    )


def rubric_veto_items(*, rubric) -> QuerySet[RubricItem]:
    return rubric.items.filter(kind="veto").order_by("sort_order", "id")


def rubric_spec(*, rubric) -> rules.RubricSpec:
    """The stored rubric as the pure spec the rules score with."""
    sections = list(rubric.sections.all())
    codes = {s.pk: s.code for s in sections}
    return rules.RubricSpec(
        sections=tuple(rules.SectionSpec(s.code, s.title, s.points, s.group) for s in sections),
        items=tuple(
            rules.ItemSpec(
                code=i.code,
                title=i.title,
                kind=i.kind,
                section=codes.get(i.section_id, ""),
                points=i.points,
                deduction=i.deduction,
                caps_excellent=i.caps_excellent,
                rule_code=i.rule_code,
                category=i.category,
                guidance=i.guidance,
            )
            for i in rubric.items.all()
        ),
        total=rubric.total,
        excellent_min=rubric.excellent_min,
        pass_min=rubric.pass_min,
    )


def rubric_rows(*, rubric) -> list[list]:
    """The rubric as the rows of its Excel form (imports.RubricImporter's columns, in order)."""
    rows = []
    for s in rubric.sections.all():
        rows.append(["分部", s.group, s.code, "", s.title, s.points, None, "", "", "", ""])
        for i in s.items.order_by("sort_order", "id"):
            rows.append(
                [
                    "评分项",
                    "",
                    i.code,
                    s.code,
                    i.title,
                    i.points,
                    i.deduction,
                    "是" if i.caps_excellent else "",
                    i.rule_code,
                    "",
                    i.guidance,
                ]
            )
    for i in rubric_veto_items(rubric=rubric):
        rows.append(["否决项", "", i.code, "", i.title, None, None, "", i.rule_code, i.category, i.guidance])
    return rows


def rubric_choices(*, case_type: str = "") -> QuerySet[Rubric]:
    qs = Rubric.objects.all()
    return qs.filter(case_type=case_type) if case_type else qs


def known_rule_codes() -> list[str]:
    from fazhi.cases.rules import RULES

    return list(RULES)


def rule_catalogue() -> list[tuple[str, str, str]]:
    """(code, title, citation) of the cases app's statutory checks, for the rubric pages."""
    from fazhi.cases.rules import RULES

    return [(r.code, r.title, r.citation) for r in RULES.values()]


# ---------------------------------------------------------------- campaigns


def campaign_visible_q(user) -> Q:
    if user_data_scope(user) == "self":
        return Q(reviewers__user=user) if user.is_authenticated else NOTHING
    return _either(
        scope_q(user, unit_field="owner_unit"),
        Q(
            pk__in=Campaign.agencies.through.objects.filter(scope_q(user, unit_field="agency__unit")).values(
                "campaign_id"
            )
        ),
        Q(pk__in=CampaignReviewer.objects.filter(user=user).values("campaign_id")),
    )


def campaign_list(*, user, q: str = "", year: int | None = None, status: str = "") -> QuerySet[Campaign]:
    qs = Campaign.objects.filter(campaign_visible_q(user)).distinct().select_related("rubric", "owner_unit", "lead")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(rubric__name__icontains=q))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        file_count=Count("files", distinct=True),
        final_count=Count("files", filter=Q(files__status="final"), distinct=True),
    ).order_by("-year", "-id")


def campaign_get(*, user, pk) -> Campaign:
    try:
        return (
            Campaign.objects.filter(campaign_visible_q(user))
            .distinct()
            .select_related("rubric", "owner_unit", "lead", "item")
            .get(pk=pk)
        )
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def campaign_agencies(*, campaign) -> QuerySet[Agency]:
    return campaign.agencies.select_related("unit").order_by("unit__sort_order", "id")


def campaign_sample(*, campaign) -> CampaignSample | None:
    return CampaignSample.objects.filter(campaign=campaign).defer("candidates_z", "flagged_z", "result").first()


def campaign_pool(*, campaign) -> QuerySet[CampaignReviewer]:
    return campaign.reviewers.select_related("user__unit").order_by("id")


def pool_loads(*, campaign) -> dict[int, int]:
    """Files assigned to each reviewer of the campaign (first or second)."""
    loads: Counter = Counter()
    for row in campaign.files.exclude(reviewer=None).values("reviewer_id").annotate(n=Count("id")):
        loads[row["reviewer_id"]] += row["n"]
    for row in campaign.files.exclude(second_reviewer=None).values("second_reviewer_id").annotate(n=Count("id")):
        loads[row["second_reviewer_id"]] += row["n"]
    return dict(loads)


def reviewer_kind(user) -> str:
    codes = {r.code for r in user.roles.all()}
    for kind in ("invited_supervisor", "agency_legal", "supervisor"):
        if kind in codes:
            return kind
    return "other"


def reviewer_candidates(*, campaign=None) -> QuerySet[User]:
    """Active users who may score (review.score): supervisors, agency legal officers, invited supervisors."""
    role_ids = [r.pk for r in Role.objects.filter(is_active=True) if "review.score" in (r.permissions or [])]
    qs = User.objects.filter(is_active=True, roles__in=role_ids).distinct().select_related("unit")
    if campaign is not None:
        qs = qs.exclude(pk__in=campaign.reviewers.values("user_id"))
    return qs.order_by("unit__sort_order", "unit_id", "id")


def reviewer_ref(*, pk, field: str = "reviewer") -> User:
    try:
        return User.objects.select_related("unit").get(pk=int(pk), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError):
        raise DomainError(f"用户“{pk}”不存在或已停用", field=field) from None


def agency_choices() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("unit").order_by("unit__sort_order", "id")


def agencies_ref(*, pks, field: str = "agencies") -> list[Agency]:
    try:
        wanted = {int(p) for p in pks}
    except (TypeError, ValueError):
        raise DomainError("被评查单位无效", field=field) from None
    found = list(Agency.objects.filter(pk__in=wanted).select_related("unit"))
    if len(found) != len(wanted):
        missing = sorted(wanted - {a.pk for a in found})
        raise DomainError(f"被评查单位“{missing[0]}”不存在", field=field)
    return found


def candidate_queryset(*, campaign) -> QuerySet:
    """The cases in the campaign's scope (cases.selectors.review_candidates), each with `flagged`."""
    from fazhi.cases.selectors import review_candidates

    return review_candidates(
        agency_ids=list(campaign.agencies.values_list("pk", flat=True)),
        date_from=campaign.period_start,
        date_to=campaign.period_end,
        power_item_kind=campaign.rubric.case_type,
        procedures=campaign.procedures or (),
    )


FREEZE_WORK_MEM = "128MB"


def frozen_candidates(*, campaign) -> tuple[str, str, int, int]:
    """The candidate and flagged lists of the campaign's scope, frozen now, in sampling's canonical form: (candidates
    text, flagged text, candidates, flagged). Set-based: one GROUP BY per agency with the ids aggregated in order, on
    PostgreSQL over an index-only scan of `case_review_scope` (agency, id), so a million cases come back as a hundred
    rows with no sort of the million; the flagged cases in a second query (in the first, the join with the check
    results made the planner sort every row by agency: half the time)."""
    from django.db import connection
    from django.db.models import StringAgg, TextField, Value
    from django.db.models.functions import Cast

    qs = candidate_queryset(campaign=campaign)
    if connection.features.supports_aggregate_order_by_clause:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            with connection.cursor() as cur:  # the per-agency aggregates of a million ids stay in memory; no JIT
                cur.execute(f"SET LOCAL work_mem = '{FREEZE_WORK_MEM}'")
                cur.execute("SET LOCAL jit = off")

        if connection.vendor == "postgresql":
            from django.contrib.postgres.aggregates import ArrayAgg
            from django.db.models import Func

            # array_agg sorts the ids themselves (a datum sort, already in order here); STRING_AGG … ORDER BY id would
            # sort (text, id) tuples, which costs twice as much.
            id_list = Func(
                ArrayAgg("id", order_by="id"), Value(","), function="array_to_string", output_field=TextField()
            )
        else:
            id_list = StringAgg(Cast("id", TextField()), Value(","), order_by="id")

        def by_agency(cases) -> tuple[str, int]:
            rows = (
                cases.order_by()
                .values("agency_id")
                .annotate(n=Count("id"), ids=id_list)
                .order_by("agency_id")
                .values_list("agency_id", "n", "ids")
            )
            lines, total = [], 0
            for agency, n, ids in rows:
                lines.append(f"{agency}:{ids}\n")
                total += n
            return "".join(lines), total

        # `flagged` is not read by the first query: PostgreSQL drops its left join with the check results.
        cand_text, total = by_agency(qs)
        flag_text, total_flagged = by_agency(qs.filter(flagged=True))
        return cand_text, flag_text, total, total_flagged
    candidates: dict[int, list[int]] = {}
    flagged: dict[int, list[int]] = {}
    for agency, case, warn in qs.order_by("agency_id", "id").values_list("agency_id", "id", "flagged").iterator(5000):
        candidates.setdefault(agency, []).append(case)
        if warn:
            flagged.setdefault(agency, []).append(case)
    return (
        sampling.canonical_groups(candidates),
        sampling.canonical_groups(flagged),
        sum(map(len, candidates.values())),
        sum(map(len, flagged.values())),
    )


def sample_published(*, campaign) -> dict | None:
    """What anyone re-runs the sample from (sampling.verify): None before the draw (the seed is secret)."""
    sample = CampaignSample.objects.filter(campaign=campaign).first()
    if sample is None:
        return None
    data = {
        "algorithm": sample.algorithm,
        "commitment": sample.commitment,
        "seed_hash": sample.seed_hash,
        "candidates_hash": sample.candidates_hash,
        "flagged_hash": sample.flagged_hash,
        "params_hash": sample.params_hash,
        "params": sample.params,
        "candidate_count": sample.candidate_count,
        "flagged_count": sample.flagged_count,
        "committed_at": sample.committed_at,
        "drawn_at": sample.drawn_at,
        "seed": None,
        "candidates": None,
        "flagged": None,
        "result": None,
        "result_hash": None,
    }
    if sample.revealed:
        data.update(
            seed=sample.seed,
            candidates=sample.candidates,
            flagged=sample.flagged,
            result=sample.result,
            result_hash=sample.result_hash,
        )
    return data


def sample_verify(*, campaign) -> tuple[bool | None, list[str]]:
    """Re-run the drawn sample from its published data (None before the draw)."""
    data = sample_published(campaign=campaign)
    if data is None or data["seed"] is None:
        return None, []
    return sampling.verify(data)


# ---------------------------------------------------------------- files


def file_visible_q(user) -> Q:
    """Files the user may see (see the module docstring)."""
    if not user.is_authenticated:
        return NOTHING
    mine = Q(reviewer=user) | Q(second_reviewer=user)
    if user_data_scope(user) == "self":
        return mine
    return _either(
        scope_q(user, unit_field="campaign__owner_unit"),
        mine,
        Q(campaign__status="published") & scope_q(user, unit_field="agency__unit"),
    )


@dataclass
class FileFilters:
    campaign: int | None = None
    agency: int | None = None
    status: str = ""
    grade: str = ""
    q: str = ""
    mine: bool = False


def file_list(*, user, filters: FileFilters | None = None) -> QuerySet[ReviewFile]:
    f = filters or FileFilters()
    qs = ReviewFile.objects.filter(file_visible_q(user)).select_related(
        "campaign", "case", "agency__unit", "reviewer", "second_reviewer"
    )
    if f.mine:
        qs = qs.filter(Q(reviewer=user) | Q(second_reviewer=user))
    if f.campaign:
        qs = qs.filter(campaign_id=f.campaign)
    if f.agency:
        qs = qs.filter(agency_id=f.agency)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.grade:
        qs = qs.filter(grade=f.grade)
    q = clean_text(f.q)
    if q:
        qs = qs.filter(Q(case__number__icontains=q) | Q(case__title__icontains=q) | Q(campaign__name__icontains=q))
    return qs.order_by("-campaign_id", "position")


def file_get(*, user, pk) -> ReviewFile:
    try:
        return (
            ReviewFile.objects.filter(file_visible_q(user))
            .select_related(
                "campaign__rubric",
                "campaign__owner_unit",
                "case",
                "agency__unit",
                "reviewer__unit",
                "second_reviewer__unit",
                "item",
                "final_sheet",
            )
            .prefetch_related("sheets")
            .get(pk=pk)
        )
    except (ReviewFile.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def file_sheets(*, user, file) -> list[ScoreSheet]:
    """The sheets the viewer may read: the manager all; a reviewer his own; the agency (after publication) and
    everyone else the one that stands, once the file is final."""
    from fazhi.supervision.reviews.permissions import file_actions

    sheets = list(
        file.sheets.select_related("reviewer").prefetch_related(
            Prefetch("lines", queryset=ScoreLine.objects.select_related("rubric_item__section").order_by("id"))
        )
    )
    if "sheets" in file_actions(user=user, obj=file):
        return sheets
    visible = [s for s in sheets if s.reviewer_id == user.pk]
    if file.status == "final" and file.final_sheet_id:
        visible += [s for s in sheets if s.pk == file.final_sheet_id and s not in visible]
    return visible


def sheet_of(*, file, user) -> ScoreSheet | None:
    return file.sheets.filter(reviewer=user).first()


def sheet_lines(*, sheet) -> QuerySet[ScoreLine]:
    return sheet.lines.select_related("rubric_item__section").order_by("id")


def line_get(*, sheet, pk) -> ScoreLine:
    try:
        return sheet.lines.select_related("rubric_item").get(pk=pk)
    except (ScoreLine.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def rubric_item_ref(*, rubric, pk, field: str = "rubric_item") -> RubricItem:
    try:
        return rubric.items.select_related("section").get(pk=int(pk))
    except (RubricItem.DoesNotExist, ValueError, TypeError):
        raise DomainError(f"评查项目“{pk}”不属于本次评查标准", field=field) from None


def case_findings(*, case, today: dt.date | None = None) -> list:
    """The statutory findings of the reviewed case today (cases.selectors.case_checks): what prefills a sheet."""
    from fazhi.cases.selectors import case_checks

    return case_checks(case=case, as_of=today or timezone.localdate())


# ---------------------------------------------------------------- results


def _round(value) -> Decimal | None:
    """An average from the database (Decimal, float on SQLite) to one decimal place."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _defect_rows(*, campaign, agency=None):
    """Per (agency, rubric item): the final files whose standing sheet has a line that counts on it. One GROUP BY
    over files → their final sheet → its lines (merge joins on the sheet id), no per-file work."""
    qs = ReviewFile.objects.filter(campaign=campaign, status="final", final_sheet__lines__decision="confirmed")
    if agency is not None:
        qs = qs.filter(agency_id=_pk(agency))
    return (
        qs.values("agency_id", "final_sheet__lines__rubric_item_id")
        .annotate(files=Count("id", distinct=True), lines=Count("final_sheet__lines__id"))
        .order_by()
    )


def _item_labels(*, campaign) -> dict[int, tuple[str, str, str]]:
    return {i.pk: (i.code, i.title, i.kind) for i in campaign.rubric.items.only("code", "title", "kind")}


def campaign_defects(*, campaign, agency=None) -> list[dict]:
    """The defects of the final sheets of the campaign (optionally of one agency): per rubric item, the number of
    files it was found in, most frequent first."""
    labels = _item_labels(campaign=campaign)
    totals: dict[int, list[int]] = {}
    for r in _defect_rows(campaign=campaign, agency=agency):
        entry = totals.setdefault(r["final_sheet__lines__rubric_item_id"], [0, 0])
        entry[0] += r["files"]
        entry[1] += r["lines"]
    out = [
        {"item_id": pk, "code": labels[pk][0], "title": labels[pk][1], "kind": labels[pk][2], "files": f, "lines": n}
        for pk, (f, n) in totals.items()
        if pk in labels
    ]
    out.sort(key=lambda d: (-d["files"], d["code"]))
    return out


def campaign_summary(*, campaign, top: int = 3) -> list[dict]:
    """Per reviewed agency: files sampled and final, mean score, grade distribution and its most frequent
    defects, best mean first (the ranking). Two GROUP BY queries, whatever the number of files."""
    stats = (
        ReviewFile.objects.filter(campaign=campaign)
        .values("agency_id")
        .annotate(
            files=Count("id"),
            final=Count("id", filter=Q(status="final")),
            mean=Avg("score", filter=Q(status="final")),
            excellent=Count("id", filter=Q(status="final", grade="excellent")),
            passed=Count("id", filter=Q(status="final", grade="pass")),
            failed=Count("id", filter=Q(status="final", grade="fail")),
        )
        .order_by()
    )
    labels = _item_labels(campaign=campaign)
    found: dict[int, list[tuple]] = defaultdict(list)
    for r in _defect_rows(campaign=campaign):
        code, title, _ = labels.get(r["final_sheet__lines__rubric_item_id"], ("", "", ""))
        found[r["agency_id"]].append((-r["files"], code, title))
    defects = {
        agency: [{"code": code, "title": title, "files": -n} for n, code, title in sorted(rows)[:top]]
        for agency, rows in found.items()
    }
    names = dict(Agency.objects.filter(pk__in=[s["agency_id"] for s in stats]).values_list("pk", "unit__name"))
    out = []
    for s in stats:
        out.append(
            {
                "agency_id": s["agency_id"],
                "agency": names.get(s["agency_id"], ""),
                "files": s["files"],
                "final": s["final"],
                "mean": _round(s["mean"]),
                "excellent": s["excellent"],
                "pass": s["passed"],
                "fail": s["failed"],
                "defects": defects.get(s["agency_id"], []),
            }
        )
    out.sort(key=lambda r: (r["mean"] is None, -(r["mean"] or 0), r["agency"]))
    for rank, row in enumerate(out, start=1):
        row["rank"] = rank if row["mean"] is not None else None
    return out


def campaign_totals(*, campaign) -> dict:
    agg = ReviewFile.objects.filter(campaign=campaign).aggregate(
        files=Count("id"),
        final=Count("id", filter=Q(status="final")),
        mean=Avg("score", filter=Q(status="final")),
        excellent=Count("id", filter=Q(status="final", grade="excellent")),
        passed=Count("id", filter=Q(status="final", grade="pass")),
        failed=Count("id", filter=Q(status="final", grade="fail")),
        pending=Count("id", filter=Q(status="pending")),
        disagreement=Count("id", filter=Q(status="disagreement")),
    )
    agg["mean"] = _round(agg["mean"])
    agg["pass"] = agg.pop("passed")
    agg["fail"] = agg.pop("failed")
    return agg


def agency_file_defects(*, campaign, agency) -> list[dict]:
    """The defects of one agency's final files, file by file (for its 评查意见)."""
    out = []
    files = (
        ReviewFile.objects.filter(campaign=campaign, agency=agency, status="final")
        .select_related("case", "final_sheet")
        .order_by("position")
    )
    for f in files:
        lines = (
            ScoreLine.objects.filter(sheet_id=f.final_sheet_id, decision="confirmed")
            .select_related("rubric_item")
            .order_by("id")
            if f.final_sheet_id
            else []
        )
        out.append({"file": f, "lines": list(lines)})
    return out


# ---------------------------------------------------------------- 评查意见


def opinion_visible_q(user) -> Q:
    return _either(_unit_scope_q(user, "campaign__owner_unit"), _unit_scope_q(user, "agency__unit"))


def opinion_list(*, user, q: str = "", status: str = "", campaign=None) -> QuerySet[ReviewOpinion]:
    qs = ReviewOpinion.objects.filter(opinion_visible_q(user)).select_related("campaign", "agency__unit", "item")
    q = clean_text(q)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(campaign__name__icontains=q) | Q(agency__unit__name__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if campaign is not None:
        qs = qs.filter(campaign_id=_pk(campaign))
    return qs.order_by("-issued_on", "-id")


def opinion_get(*, user, pk) -> ReviewOpinion:
    try:
        return (
            ReviewOpinion.objects.filter(opinion_visible_q(user))
            .select_related("campaign__owner_unit", "agency__unit", "item", "issued_by")
            .get(pk=pk)
        )
    except (ReviewOpinion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# ---------------------------------------------------------------- documents of an object


def documents_of(*, kind: str, pk: int):
    from fazhi.documents.selectors import documents_for

    return documents_for(object_kind=kind, object_id=pk)


def document_of(*, kind: str, pk: int, document_id):
    try:
        return documents_of(kind=kind, pk=pk).get(pk=document_id)
    except Exception:  # DoesNotExist, ValueError for a bad id
        raise NotFound() from None


# ---------------------------------------------------------------- for other areas and the assessment module


def review_scores_by_unit(*, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """For the assessment module (考核): per reviewed unit (the agency's core Unit), over the campaigns whose results
    were published between `date_from` and `date_to` (inclusive), the mean score, the number of final files and the
    number of each grade. Rows: {"unit_id", "unit", "files", "mean", "excellent", "pass", "fail"}, by unit. System
    level (no viewer): the caller decides who sees the figures. One GROUP BY."""
    rows = (
        ReviewFile.objects.filter(
            status="final",
            campaign__status="published",
            campaign__published_on__gte=date_from,
            campaign__published_on__lte=date_to,
        )
        .values("agency__unit_id", "agency__unit__name", "agency__unit__sort_order")
        .annotate(
            files=Count("id"),
            mean=Avg("score"),
            excellent=Count("id", filter=Q(grade="excellent")),
            passed=Count("id", filter=Q(grade="pass")),
            failed=Count("id", filter=Q(grade="fail")),
        )
        .order_by("agency__unit__sort_order", "agency__unit_id")
    )
    return [
        {
            "unit_id": r["agency__unit_id"],
            "unit": r["agency__unit__name"],
            "files": r["files"],
            "mean": _round(r["mean"]),
            "excellent": r["excellent"],
            "pass": r["passed"],
            "fail": r["failed"],
        }
        for r in rows
    ]


def units_visible(*, user, unit_ids) -> set[int]:
    """Which of these units the viewer's unit-wide scope reaches (none for the 本人 scope)."""
    from fazhi.core.models import Unit

    return set(Unit.objects.filter(_unit_scope_q(user, ""), pk__in=list(unit_ids)).values_list("pk", flat=True))


def duty_rows(user) -> list:
    """The files assigned to the user (supervision.duties, "案卷评查"): open ones first."""
    from django.urls import reverse

    from fazhi.supervision.duties import DutyRow

    rows = []
    files = (
        ReviewFile.objects.filter(Q(reviewer=user) | Q(second_reviewer=user))
        .select_related("campaign", "case")
        .prefetch_related("sheets")
        .order_by("-campaign_id", "position")[:200]
    )
    for f in files:
        sheet = next((s for s in f.sheets.all() if s.reviewer_id == user.pk), None)
        done = sheet is not None and sheet.status == "submitted"
        rows.append(
            DutyRow(
                title=f"{f.campaign.name}：{f.case.number}",
                url=reverse("supervision:reviews:file_detail", args=[f.pk]),
                status="已提交" if done else ("评分中" if sheet else "待评查"),
                due=f.campaign.deadline,
                done=done,
            )
        )
    rows.sort(key=lambda r: (r.done, r.due or dt.date.max))
    return rows


def duty_done_counts(user_ids, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Score sheets each user submitted in the period (the activity ledger)."""
    rows = (
        ScoreSheet.objects.filter(
            reviewer_id__in=list(user_ids),
            status="submitted",
            submitted_on__gte=date_from,
            submitted_on__lte=date_to,
        )
        .values("reviewer_id")
        .annotate(n=Count("id"))
    )
    return {r["reviewer_id"]: r["n"] for r in rows}


def link_resolve(user, pk: int):
    """supervision.links kind "review_file": the file if the viewer may see it (user None: the system)."""
    from django.urls import reverse

    from fazhi.supervision.links import Linked

    qs = ReviewFile.objects.select_related("campaign", "case", "agency")
    if user is not None:
        qs = qs.filter(file_visible_q(user))
    f = qs.filter(pk=pk).first()
    if f is None:
        raise NotFound()
    result = (
        f"{rules.GRADE_LABELS[f.grade]}（{rules.pts(f.score)}分）"
        if f.status == "final" and f.grade
        else f.get_status_display()
    )
    return Linked(
        "review_file",
        f.pk,
        f"{f.campaign.name}：{f.case.number} {result}",
        reverse("supervision:reviews:file_detail", args=[f.pk]),
        f.agency.unit_id,
    )
