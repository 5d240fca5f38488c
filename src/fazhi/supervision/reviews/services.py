"""Every write of 行政执法案卷评查: one transaction each, the timeline event in the same transaction, the
permission predicate checked again before writing (`by=None` is the system: the demo, commands)."""

import datetime as dt
import secrets
from collections import Counter
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.normalize import clean_text
from fazhi.core.scope import has_permission
from fazhi.documents.services import document_store, number_take
from fazhi.registry.models import PowerItem
from fazhi.supervision.reviews import permissions, reports, rules, sampling, selectors
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
from fazhi.supervision.reviews.tracking_kinds import REVIEW_CAMPAIGN, REVIEW_FILE, REVIEW_RECTIFICATION
from fazhi.supervision.signals import wrong_case_found
from fazhi.tracking.services import item_annotate, item_close, item_open, item_record

OPINION_DOC_TYPE = "案卷评查意见书"
MAX_DEFECTS = 99


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _require(by, actions: set[str], action: str) -> None:
    """The object's predicate offers the step (the system, `by=None`, may do anything)."""
    if by is not None and action not in actions:
        raise Forbidden()


def _problems_error(problems: list[rules.Problem]) -> DomainError:
    first = problems[0]
    return DomainError(first.message, field=first.field, row=first.row, errors=[p.as_dict() for p in problems])


def _text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = clean_text(value)
    if required and not text:
        raise DomainError(f"{label}不能为空", field=field)
    if len(text) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 字", field=field)
    return text


# ---------------------------------------------------------------- rubrics


def _points(value, *, field: str, label: str, row: int | None = None) -> Decimal | None:
    try:
        number = rules.to_points(value)
    except ValueError:
        where = f"第 {row} 行：" if row else ""
        raise DomainError(f"{where}{label}“{value}”不是有效的分值", field=field, row=row) from None
    if number is not None and (number < 0 or number > rules.MAX_POINTS):
        where = f"第 {row} 行：" if row else ""
        raise DomainError(f"{where}{label}应在 0 到 {rules.pts(rules.MAX_POINTS)} 分之间", field=field, row=row)
    return number


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return clean_text(value) in ("是", "Y", "y", "1", "true", "True", "√")


def rubric_spec_from(data: dict) -> rules.RubricSpec:
    """A rubric spec from plain input (API JSON, the Excel rows): {"total", "excellent_min", "pass_min",
    "sections": [{"code", "title", "group", "points", "row"}], "items": [{"code", "title", "kind", "section",
    "points", "deduction", "caps_excellent", "rule_code", "category", "guidance", "row"}]}. Numbers that are not
    numbers are DomainErrors; the rubric's own soundness is rules.rubric_problems."""
    sections, items = [], []
    for s in data.get("sections") or []:
        row = s.get("row")
        sections.append(
            rules.SectionSpec(
                code=clean_text(s.get("code"))[:20],
                title=clean_text(s.get("title"))[:100],
                group=clean_text(s.get("group"))[:50],
                points=_points(s.get("points"), field="points", label="分部分值", row=row),
                row=row,
            )
        )
    for i in data.get("items") or []:
        row = i.get("row")
        kind = clean_text(i.get("kind")) or "scored"
        kind = {"评分项": "scored", "否决项": "veto"}.get(kind, kind)
        items.append(
            rules.ItemSpec(
                code=clean_text(i.get("code"))[:20],
                title=clean_text(i.get("title"))[:300],
                kind=kind,
                section=clean_text(i.get("section"))[:20],
                points=_points(i.get("points"), field="points", label="分值", row=row),
                deduction=_points(i.get("deduction"), field="deduction", label="每处扣分", row=row),
                caps_excellent=_flag(i.get("caps_excellent")),
                rule_code=clean_text(i.get("rule_code"))[:40],
                category=clean_text(i.get("category"))[:20],
                guidance=clean_text(i.get("guidance"))[:500],
                row=row,
            )
        )
    return rules.RubricSpec(
        sections=tuple(sections),
        items=tuple(items),
        total=_points(data.get("total", rules.DEFAULT_TOTAL), field="total", label="总分") or Decimal(0),
        excellent_min=_points(
            data.get("excellent_min", rules.DEFAULT_EXCELLENT_MIN), field="excellent_min", label="优秀分数线"
        ),
        pass_min=_points(data.get("pass_min", rules.DEFAULT_PASS_MIN), field="pass_min", label="合格分数线"),
    )


def rubric_check(spec: rules.RubricSpec) -> None:
    problems = rules.rubric_problems(spec, known_rules=selectors.known_rule_codes())
    if problems:
        raise _problems_error(problems)


def rubric_header_check(*, name, year, case_type, basis) -> tuple[str, int, str, str]:
    """The rubric's name, year, case type and basis, cleaned; a DomainError naming the field otherwise."""
    name = _text(name, field="name", label="标准名称", max_length=200)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("年度应为 2000 到 2100 之间的整数", field="year")
    if case_type not in dict(PowerItem.KINDS):
        raise DomainError(f"案卷类型“{case_type}”无效", field="case_type")
    basis = _text(basis, field="basis", label="制定依据", max_length=300, required=False)
    return name, year, case_type, basis


def _rubric_write(rubric: Rubric, spec: rules.RubricSpec) -> None:
    rubric.items.all().delete()
    rubric.sections.all().delete()
    sections = {}
    for n, s in enumerate(spec.sections, 1):
        sections[s.code] = RubricSection.objects.create(
            rubric=rubric, group=s.group, code=s.code, title=s.title, points=s.points, sort_order=n
        )
    RubricItem.objects.bulk_create(
        [
            RubricItem(
                rubric=rubric,
                section=sections.get(i.section) if i.kind == "scored" else None,
                kind=i.kind,
                code=i.code,
                title=i.title,
                category=i.category,
                points=(i.points or Decimal(0)) if i.kind == "scored" else Decimal(0),
                deduction=i.deduction if i.kind == "scored" else None,
                caps_excellent=i.caps_excellent and i.kind == "scored",
                rule_code=i.rule_code,
                guidance=i.guidance,
                sort_order=n,
            )
            for n, i in enumerate(spec.items, 1)
        ]
    )


@transaction.atomic
def rubric_create(
    *, by, name: str, year: int, case_type: str, spec: rules.RubricSpec, basis: str = "", previous=None, ip=None
) -> Rubric:
    """A new rubric, version 1 for its year and case type or the next one."""
    _require(by, permissions.rubric_actions(user=by, obj=None), "create")
    name, year, case_type, basis = rubric_header_check(name=name, year=year, case_type=case_type, basis=basis)
    rubric_check(spec)
    last = (
        Rubric.objects.select_for_update()
        .filter(year=year, case_type=case_type)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    rubric = Rubric.objects.create(
        name=name,
        year=year,
        case_type=case_type,
        version=(last or 0) + 1,
        total=spec.total,
        excellent_min=spec.excellent_min,
        pass_min=spec.pass_min,
        basis=basis,
        previous=previous,
        created_by=by,
    )
    _rubric_write(rubric, spec)
    log_operation(user=by, action="新建评查标准", obj=rubric, summary=str(rubric), ip=ip)
    return rubric


@transaction.atomic
def rubric_replace(*, by, rubric: Rubric, name: str, basis: str = "", spec: rules.RubricSpec, ip=None) -> Rubric:
    """Replace the content of a rubric no campaign uses yet; a rubric in use is frozen (a new version instead)."""
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric.campaigns.exists():
        raise DomainError("评查标准已被评查活动使用，不能修改；请另建新版本", field="rubric")
    rubric.frozen = False
    _require(by, permissions.rubric_actions(user=by, obj=rubric), "edit")
    name, _, _, basis = rubric_header_check(name=name, year=rubric.year, case_type=rubric.case_type, basis=basis)
    rubric_check(spec)
    rubric.name, rubric.basis = name, basis
    rubric.total, rubric.excellent_min, rubric.pass_min = spec.total, spec.excellent_min, spec.pass_min
    rubric.save(update_fields=["name", "basis", "total", "excellent_min", "pass_min"])
    _rubric_write(rubric, spec)
    log_operation(user=by, action="修改评查标准", obj=rubric, summary=str(rubric), ip=ip)
    return rubric


@transaction.atomic
def rubric_new_version(*, by, rubric: Rubric, ip=None) -> Rubric:
    """A copy of the rubric as the next version of its year and case type, to edit and use in new campaigns."""
    _require(by, permissions.rubric_actions(user=by, obj=rubric), "version")
    spec = selectors.rubric_spec(rubric=rubric)
    return rubric_create(
        by=by,
        name=rubric.name,
        year=rubric.year,
        case_type=rubric.case_type,
        spec=spec,
        basis=rubric.basis,
        previous=rubric,
        ip=ip,
    )


# ---------------------------------------------------------------- campaigns


def _campaign_url(campaign) -> str:
    return reverse("supervision:reviews:campaign_detail", args=[campaign.pk])


def _file_url(file) -> str:
    return reverse("supervision:reviews:file_detail", args=[file.pk])


def _lock_campaign(campaign: Campaign) -> Campaign:
    return (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("rubric", "owner_unit", "item", "lead")
        .get(pk=campaign.pk)
    )


def _campaign_event(campaign, *, by, action: str, label: str, comment: str = "", data: dict | None = None) -> None:
    if campaign.item_id is None:
        return
    if campaign.item.status == "closed":
        item_annotate(item=campaign.item, by=by, action=action, label=label, comment=comment, data=data)
    else:
        item_record(item=campaign.item, by=by, action=action, label=label, comment=comment, data=data)


def _agency_allowed(by, agency) -> bool:
    """An agency a campaign of `by` may review: inside his scope, or one his unit supervises."""
    return by is None or permissions.unit_in_scope(by, agency.unit) or agency.unit.supervising_unit_id == by.unit_id


@transaction.atomic
def campaign_create(
    *,
    by,
    name: str,
    year: int,
    rubric: Rubric,
    agencies: list,
    period_start: dt.date,
    period_end: dt.date,
    deadline: dt.date,
    procedures: list[str] | tuple = (),
    min_per_agency: int | None = None,
    percent=None,
    include_flagged: bool = True,
    double_review: bool = False,
    disagreement_points=None,
    lead=None,
    owner_unit=None,
    today: dt.date | None = None,
    ip=None,
) -> Campaign:
    """A campaign of the user's unit: scope (agencies, decision period, procedures; the rubric's case type), sample
    parameters (at least N files or P % per agency, every flagged case if asked) and review settings."""
    day = _today(today)
    _require(by, permissions.campaign_actions(user=by, obj=None), "create")
    owner_unit = owner_unit or (by.unit if by is not None else None)
    if owner_unit is None:
        raise DomainError("当前用户未归属任何单位，不能组织评查活动", field="owner_unit")
    name = _text(name, field="name", label="活动名称", max_length=200)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("年度应为 2000 到 2100 之间的整数", field="year")
    if not isinstance(rubric, Rubric):
        raise DomainError("请选择评查标准", field="rubric")
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)  # in use from now on: frozen
    agencies = list(agencies or [])
    if not agencies:
        raise DomainError("请至少选择一个被评查单位", field="agencies")
    for agency in agencies:
        if not agency.is_active:
            raise DomainError(f"被评查单位“{agency}”已停用", field="agencies")
        if not _agency_allowed(by, agency):
            raise DomainError(f"被评查单位“{agency}”不在本单位监督范围内", field="agencies")
    if not isinstance(period_start, dt.date) or not isinstance(period_end, dt.date):
        raise DomainError("请填写评查案卷的决定日期范围", field="period_start")
    if period_end < period_start:
        raise DomainError("决定日期止不能早于决定日期起", field="period_end")
    if not isinstance(deadline, dt.date):
        raise DomainError("请填写评查完成期限", field="deadline")
    if deadline < day:
        raise DomainError("评查完成期限不能早于今天", field="deadline")
    procedures = sorted(set(procedures or ()))
    if any(p not in dict(Campaign.PROCEDURES) for p in procedures):
        raise DomainError("程序应为普通程序或简易程序", field="procedures")
    if min_per_agency is None:
        min_per_agency = rules.min_per_agency_default()
    try:
        percent_bp = rules.percent_to_bp(rules.percent_default() if percent in (None, "") else percent)
    except (ValueError, ArithmeticError):
        raise DomainError("抽取比例应为 0 到 100 之间的百分数", field="percent") from None
    problem = rules.sample_params_problem(min_per_agency=min_per_agency, percent_bp=percent_bp)
    if problem:
        raise DomainError(problem.message, field=problem.field)
    threshold = _points(
        rules.disagreement_points_default() if disagreement_points in (None, "") else disagreement_points,
        field="disagreement_points",
        label="分歧分差",
    )
    if threshold is None or threshold <= 0 or threshold > rubric.total:
        raise DomainError(f"分歧分差应大于 0 且不超过总分 {rules.pts(rubric.total)} 分", field="disagreement_points")
    lead = lead or by
    if lead is not None and not has_permission(lead, "review.manage"):
        raise DomainError(f"“{lead}”没有组织评查的权限，不能担任评查组长", field="lead")
    campaign = Campaign.objects.create(
        name=name,
        year=year,
        rubric=rubric,
        period_start=period_start,
        period_end=period_end,
        procedures=procedures,
        min_per_agency=min_per_agency,
        percent_bp=percent_bp,
        include_flagged=bool(include_flagged),
        double_review=bool(double_review),
        disagreement_points=threshold,
        deadline=deadline,
        owner_unit=owner_unit,
        lead=lead,
        created_by=by,
    )
    campaign.agencies.set(agencies)
    campaign.item = item_open(
        kind=REVIEW_CAMPAIGN.code,
        title=f"案卷评查：{name}",
        unit=owner_unit,
        by=by,
        start=day,
        deadline=deadline,
        deadline_source="评查活动方案确定的评查完成期限",
        url=_campaign_url(campaign),
        comment=f"被评查单位：{'、'.join(str(a) for a in agencies)}；决定日期 {period_start} 至 {period_end}；"
        f"评查标准：{rubric}",
    )
    campaign.save(update_fields=["item"])
    log_operation(user=by, action="新建评查活动", obj=campaign, summary=name, ip=ip)
    return campaign


@transaction.atomic
def pool_add(*, by, campaign: Campaign, user, ip=None) -> CampaignReviewer:
    """Add a reviewer to the campaign's pool: a user who may score (review.score)."""
    campaign = _lock_campaign(campaign)
    if campaign.status not in rules.CAMPAIGN_POOL_EDITABLE:
        raise DomainError("评查结果已公布，不能再调整评查人员库", field="status")
    _require(by, permissions.campaign_actions(user=by, obj=campaign), "pool")
    if user is None or not user.is_active:
        raise DomainError("请选择评查人员", field="reviewer")
    if not has_permission(user, "review.score"):
        raise DomainError(f"“{user}”没有案卷评查权限（监督人员、部门法制员或特邀监督员）", field="reviewer")
    if campaign.reviewers.filter(user=user).exists():
        raise DomainError(f"“{user}”已在评查人员库中", field="reviewer")
    entry = CampaignReviewer.objects.create(
        campaign=campaign, user=user, kind=selectors.reviewer_kind(user), added_by=by
    )
    _campaign_event(
        campaign,
        by=by,
        action="reviewer_added",
        label="加入评查人员",
        comment=f"{user.display_name}（{user.unit or ''}）",
    )
    log_operation(user=by, action="加入评查人员", obj=campaign, summary=str(user), ip=ip)
    return entry


@transaction.atomic
def pool_remove(*, by, campaign: Campaign, user, ip=None) -> None:
    campaign = _lock_campaign(campaign)
    if campaign.status not in rules.CAMPAIGN_POOL_EDITABLE:
        raise DomainError("评查结果已公布，不能再调整评查人员库", field="status")
    _require(by, permissions.campaign_actions(user=by, obj=campaign), "pool")
    entry = campaign.reviewers.filter(user=user).first()
    if entry is None:
        raise DomainError("该用户不在评查人员库中", field="reviewer")
    if campaign.files.filter(reviewer=user).exists() or campaign.files.filter(second_reviewer=user).exists():
        raise DomainError(f"“{user}”已分配了案卷，不能移出评查人员库；请先改派", field="reviewer")
    entry.delete()
    _campaign_event(campaign, by=by, action="reviewer_removed", label="移出评查人员", comment=user.display_name)
    log_operation(user=by, action="移出评查人员", obj=campaign, summary=str(user), ip=ip)


# ---------------------------------------------------------------- the verifiable sample


def _scope_of(campaign: Campaign) -> dict:
    return {
        "agencies": sorted(campaign.agencies.values_list("pk", flat=True)),
        "case_type": campaign.rubric.case_type,
        "period": [campaign.period_start.isoformat(), campaign.period_end.isoformat()],
        "procedures": sorted(campaign.procedures or []),
        "rubric": campaign.rubric_id,
    }


@transaction.atomic
def sample_commit(*, by, campaign: Campaign, today: dt.date | None = None, ip=None) -> CampaignSample:
    """Freeze the candidate list (set-based) and publish the commitment: SM3 of a secret seed, of the frozen
    candidate and flagged lists and of the parameters. Nothing is drawn yet; the scope can no longer change."""
    campaign = _lock_campaign(campaign)
    if campaign.status not in rules.CAMPAIGN_COMMITTABLE:
        raise DomainError("评查活动已抽样，不能再次承诺", field="status")
    _require(by, permissions.campaign_actions(user=by, obj=campaign), "commit")
    cand_text, flag_text, candidate_count, flagged_count = selectors.frozen_candidates(campaign=campaign)
    if not candidate_count:
        raise DomainError(
            "评查范围内没有符合条件的案卷（被评查单位在该期间没有作出决定的此类案件），未进行抽样", field="candidates"
        )
    params = sampling.canonical_params(
        min_per_agency=campaign.min_per_agency,
        percent_bp=campaign.percent_bp,
        include_flagged=campaign.include_flagged,
        scope=_scope_of(campaign),
    )
    seed = secrets.token_hex(32)
    hashes = {
        "candidates_hash": sampling.sm3_hex(cand_text.encode("ascii")),
        "flagged_hash": sampling.sm3_hex(flag_text.encode("ascii")),
        "params_hash": sampling.sm3_hex(params.encode("ascii")),
    }
    s_hash = sampling.seed_hash(seed)
    commitment = sampling.commitment_of(seed_hash=s_hash, **hashes)
    sample = CampaignSample.objects.create(
        campaign=campaign,
        algorithm=sampling.ALGORITHM,
        seed=seed,
        seed_hash=s_hash,
        candidates_z=CampaignSample.pack(cand_text),
        candidate_count=candidate_count,
        flagged_z=CampaignSample.pack(flag_text),
        flagged_count=flagged_count,
        params=params,
        commitment=commitment,
        **hashes,
    )
    campaign.status = "committed"
    campaign.save(update_fields=["status"])
    _campaign_event(
        campaign,
        by=by,
        action="sample_committed",
        label="抽样承诺",
        comment=f"候选案卷 {sample.candidate_count} 件（预警 {sample.flagged_count} 件），承诺值 {commitment}",
        data={"commitment": commitment, "seed_hash": s_hash, **hashes},
    )
    log_operation(user=by, action="评查抽样承诺", obj=campaign, summary=f"承诺值 {commitment}", ip=ip)
    return sample


def _files_insert(campaign: Campaign, rows: list[tuple[int, int, str]]) -> None:
    """The drawn files, set-based: one INSERT … SELECT FROM unnest(arrays) on PostgreSQL, in the order of the cases
    (each row's foreign-key check reads its case: in id order the table's pages come one after another, not at
    random; the positions are the draw's either way)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                f"""INSERT INTO {ReviewFile._meta.db_table}
                        (campaign_id, case_id, agency_id, position, reason, status, grade, veto, resolution)
                    SELECT %s, t.c, t.a, t.p, t.r, 'pending', '', false, ''
                    FROM unnest(%s::bigint[], %s::bigint[], %s::int[], %s::text[]) AS t(c, a, p, r)
                    ORDER BY t.c""",
                [
                    campaign.pk,
                    [r[0] for r in rows],
                    [r[1] for r in rows],
                    list(range(1, len(rows) + 1)),
                    [r[2] for r in rows],
                ],
            )
        return
    ReviewFile.objects.bulk_create(
        [
            ReviewFile(campaign=campaign, case_id=case, agency_id=agency, position=n, reason=reason)
            for n, (case, agency, reason) in enumerate(rows, start=1)
        ],
        batch_size=2000,
    )


@transaction.atomic
def sample_draw(*, by, campaign: Campaign, ip=None) -> CampaignSample:
    """Draw the sample from the frozen lists (sampling.sample), reveal the seed, create the files (set-based)."""
    campaign = _lock_campaign(campaign)
    if campaign.status not in rules.CAMPAIGN_DRAWABLE:
        raise DomainError("请先进行抽样承诺（冻结候选名录），再抽取", field="status")
    _require(by, permissions.campaign_actions(user=by, obj=campaign), "draw")
    sample = CampaignSample.objects.select_for_update().get(campaign=campaign)
    try:
        result = sampling.sample_canonical(
            seed=sample.seed,
            candidates=sample.candidates,
            flagged=sample.flagged,
            min_per_agency=campaign.min_per_agency,
            percent_bp=campaign.percent_bp,
            include_flagged=campaign.include_flagged,
        )
    except sampling.SampleError as exc:
        raise DomainError(f"{exc.message}（未进行抽取）", field=exc.field or "sample") from None
    _files_insert(campaign, result.rows)
    sample.result, sample.result_hash, sample.drawn_at = result.canonical, result.hash, timezone.now()
    sample.save(update_fields=["result", "result_hash", "drawn_at"])
    campaign.status = "reviewing"
    campaign.save(update_fields=["status"])
    flagged = sum(1 for r in result.rows if r[2] == "flagged")
    _campaign_event(
        campaign,
        by=by,
        action="sample_drawn",
        label="抽取案卷",
        comment=f"抽取案卷 {len(result.rows)} 件（其中法定校验预警 {flagged} 件），结果哈希 {result.hash}；公开随机种子",
        data={"files": len(result.rows), "result_hash": result.hash, "seed": sample.seed},
    )
    log_operation(
        user=by, action="评查抽取案卷", obj=campaign, summary=f"{len(result.rows)} 件，结果哈希 {result.hash}", ip=ip
    )
    return sample


# ---------------------------------------------------------------- assignment


def _conflict(user, agency) -> bool:
    return rules.reviewer_conflict(
        reviewer_unit_path=user.unit.path if user.unit_id else None, agency_unit_path=agency.unit.path
    )


def _check_reviewer(campaign, user, agency, *, field: str) -> None:
    if not campaign.reviewers.filter(user=user).exists():
        raise DomainError(f"“{user}”不在本次活动的评查人员库中，请先加入", field=field)
    if _conflict(user, agency):
        raise DomainError(f"{rules.OWN_UNIT_MESSAGE}：“{user}”属于被评查单位{agency}", field=field)


def _file_item(file: ReviewFile, *, by, today: dt.date) -> None:
    """The file's tracked item (its timeline and the reviewer's 待办), opened at its first assignment."""
    if file.item_id is not None:
        return
    campaign = file.campaign
    file.item = item_open(
        kind=REVIEW_FILE.code,
        title=f"评查案卷：{file.case.number}（{campaign.name}）",
        unit=campaign.owner_unit,
        by=by,
        start=today,
        deadline=max(campaign.deadline, today),
        deadline_source="评查活动方案确定的评查完成期限",
        person=file.reviewer,
        action_unit=file.reviewer.unit if file.reviewer and file.reviewer.unit_id else campaign.owner_unit,
        url=_file_url(file),
        comment=f"抽取序号 {file.position}（{file.get_reason_display()}）",
    )
    file.save(update_fields=["item"])


def _set_reviewers(file: ReviewFile, *, reviewer, second, by, today: dt.date, how: str) -> None:
    old = (file.reviewer_id, file.second_reviewer_id)
    for role, user in (("first", reviewer), ("second", second)):
        current = file.sheets.filter(role=role).first()
        if current is not None and current.reviewer_id != getattr(user, "pk", None):
            if current.status == "submitted":
                field = "reviewer" if role == "first" else "second_reviewer"
                raise DomainError("该评查人员已提交评分，不能改派", field=field)
            current.delete()
    file.reviewer, file.second_reviewer = reviewer, second
    file.status = "assigned" if reviewer else "pending"
    file.save(update_fields=["reviewer", "second_reviewer", "status"])
    _file_item(file, by=by, today=today)
    if (file.reviewer_id, file.second_reviewer_id) != old and file.item_id:
        names = reviewer.display_name + (f"、{second.display_name}" if second else "")
        item_record(
            item=file.item,
            by=by,
            action="assigned",
            label="分配评查人员" if how == "auto" else "指定评查人员",
            comment=names,
            data={"reviewer": reviewer.pk, "second_reviewer": getattr(second, "pk", None)},
            action_unit=reviewer.unit if reviewer.unit_id else None,
        )
        from fazhi.tracking.models import TrackedItem

        TrackedItem.objects.filter(pk=file.item_id).update(person=reviewer, action_user=reviewer)


@transaction.atomic
def file_assign(
    *, by, file: ReviewFile, reviewer, second_reviewer=None, today: dt.date | None = None, ip=None
) -> ReviewFile:
    """Assign a file by hand. Refused: someone outside the pool, anyone of the reviewed agency (评查人员不得评查本单位
    案卷), the same person twice, a campaign of double review without a second reviewer."""
    day = _today(today)
    file = (
        ReviewFile.objects.select_for_update(of=("self",))
        .select_related("campaign__owner_unit", "campaign__rubric", "agency__unit", "case", "item")
        .get(pk=file.pk)
    )
    campaign = file.campaign
    if campaign.status not in rules.CAMPAIGN_REVIEWING or file.status not in rules.FILE_OPEN:
        raise DomainError("该案卷已定稿或活动不在评查中，不能分配", field="status")
    _require(by, permissions.file_actions(user=by, obj=file), "assign")
    if reviewer is None:
        raise DomainError("请选择评查人员", field="reviewer")
    _check_reviewer(campaign, reviewer, file.agency, field="reviewer")
    if second_reviewer is not None:
        if second_reviewer.pk == reviewer.pk:
            raise DomainError("第二评查人员不能与评查人员为同一人", field="second_reviewer")
        _check_reviewer(campaign, second_reviewer, file.agency, field="second_reviewer")
    elif campaign.double_review:
        raise DomainError("本次活动每卷须两名评查人员，请指定第二评查人员", field="second_reviewer")
    _set_reviewers(file, reviewer=reviewer, second=second_reviewer, by=by, today=day, how="manual")
    log_operation(user=by, action="指定评查人员", obj=file, summary=f"{file.case.number} → {reviewer}", ip=ip)
    return file


@transaction.atomic
def files_auto_assign(*, by, campaign: Campaign, today: dt.date | None = None, ip=None) -> dict:
    """Assign every unassigned file (and the second reviewer where double review asks for one), balanced and
    deterministic: files in draw order, each to the eligible pool member with the fewest files so far (ties: lowest
    user id), never one of the reviewed agency. Returns {"assigned": n, "unassigned": [file positions]}."""
    day = _today(today)
    campaign = _lock_campaign(campaign)
    if campaign.status not in rules.CAMPAIGN_REVIEWING:
        raise DomainError("评查活动不在评查中，不能分配案卷", field="status")
    _require(by, permissions.campaign_actions(user=by, obj=campaign), "assign")
    pool = [m.user for m in campaign.reviewers.select_related("user__unit").order_by("user_id")]
    if not pool:
        raise DomainError("评查人员库为空：请先加入评查人员", field="reviewer")
    loads = Counter(selectors.pool_loads(campaign=campaign))
    todo = campaign.files.filter(status="pending")
    if campaign.double_review:
        todo = campaign.files.filter(status__in=rules.FILE_OPEN).filter(
            Q(reviewer__isnull=True) | Q(second_reviewer__isnull=True)
        )
    assigned, unassigned = 0, []
    for file in todo.select_related("agency__unit", "case", "reviewer__unit", "campaign__owner_unit").order_by(
        "position"
    ):
        reviewer = file.reviewer
        if reviewer is None:
            reviewer = _least_loaded(pool, loads, file.agency, exclude=())
            if reviewer is None:
                unassigned.append(file.position)
                continue
            loads[reviewer.pk] += 1
        second = file.second_reviewer
        if campaign.double_review and second is None:
            second = _least_loaded(pool, loads, file.agency, exclude=(reviewer.pk,))
            if second is None:
                unassigned.append(file.position)
                if file.reviewer is None:
                    loads[reviewer.pk] -= 1
                continue
            loads[second.pk] += 1
        _set_reviewers(file, reviewer=reviewer, second=second, by=by, today=day, how="auto")
        assigned += 1
    _campaign_event(
        campaign,
        by=by,
        action="auto_assigned",
        label="自动分配案卷",
        comment=f"分配 {assigned} 件"
        + (f"；{len(unassigned)} 件无可回避的评查人员，请补充评查人员库" if unassigned else ""),
        data={"assigned": assigned, "unassigned": unassigned},
    )
    log_operation(user=by, action="自动分配评查案卷", obj=campaign, summary=f"{assigned} 件", ip=ip)
    return {"assigned": assigned, "unassigned": unassigned}


def _least_loaded(pool, loads, agency, *, exclude) -> object | None:
    eligible = [u for u in pool if u.pk not in exclude and not _conflict(u, agency)]
    if not eligible:
        return None
    return min(eligible, key=lambda u: (loads[u.pk], u.pk))


# ---------------------------------------------------------------- score sheets


def _lock_file(file: ReviewFile) -> ReviewFile:
    return (
        ReviewFile.objects.select_for_update(of=("self",))
        .select_related("campaign__rubric", "campaign__owner_unit", "campaign__lead", "case", "agency__unit", "item")
        .get(pk=file.pk)
    )


def _role_of(file: ReviewFile, user) -> str:
    if user.pk == file.reviewer_id:
        return "first"
    if user.pk == file.second_reviewer_id:
        return "second"
    raise Forbidden()


@transaction.atomic
def sheet_open(*, by, file: ReviewFile, today: dt.date | None = None) -> ScoreSheet:
    """The reviewer's sheet of the file, created on first opening with the deductions the case's statutory checks
    imply prefilled (rubric items whose `rule_code` the checks raised), each with the check's finding and citation,
    waiting to be confirmed or overridden."""
    day = _today(today)
    file = _lock_file(file)
    _require(by, permissions.file_actions(user=by, obj=file), "score")
    role = _role_of(file, by)
    sheet = file.sheets.filter(role=role).first()
    if sheet is not None:
        return sheet
    sheet = ScoreSheet.objects.create(file=file, reviewer=by, role=role)
    findings: dict[str, list] = {}
    for finding in selectors.case_findings(case=file.case, today=day):
        findings.setdefault(finding.rule, []).append(finding)
    prefilled = 0
    for item in file.campaign.rubric.items.exclude(rule_code="").order_by("sort_order", "id"):
        found = findings.get(item.rule_code)
        if not found:
            continue
        defects = min(len(found), MAX_DEFECTS)
        points = Decimal(0)
        if item.kind == "scored":
            # The checks count what they see; a prefill never deducts more than its item is worth.
            points = min(rules.line_deduction(defects=defects, per_defect=item.deduction or Decimal(0)), item.points)
        ScoreLine.objects.create(
            sheet=sheet,
            rubric_item=item,
            kind="veto" if item.kind == "veto" else "deduction",
            defects=defects,
            points=points,
            source="prefill",
            decision="pending",
            rule_code=item.rule_code,
            citation=found[0].citation[:300],
            finding="；".join(f.message for f in found)[:500],
        )
        prefilled += 1
    if file.item_id:
        item_record(
            item=file.item,
            by=by,
            action="sheet_opened",
            label="开始评查",
            comment=f"{'第二' if role == 'second' else ''}评分表，依法定校验结果预填 {prefilled} 项",
            data={"prefilled": prefilled, "role": role},
        )
    return sheet


def _lock_sheet(sheet: ScoreSheet) -> ScoreSheet:
    return ScoreSheet.objects.select_for_update(of=("self",)).select_related("file").get(pk=sheet.pk)


def _editable_sheet(by, sheet: ScoreSheet) -> ScoreSheet:
    sheet = _lock_sheet(sheet)
    file = _lock_file(sheet.file)
    sheet.file = file
    if by is not None and sheet.reviewer_id != by.pk:
        raise Forbidden()
    if sheet.status != "draft":
        raise DomainError("评分表已提交，不能修改", field="status")
    _require(by, permissions.file_actions(user=by, obj=file), "score")
    return sheet


def _item_total(sheet: ScoreSheet, item: RubricItem, *, exclude=None) -> Decimal:
    lines = sheet.lines.filter(rubric_item=item, kind="deduction").exclude(decision="overridden")
    if exclude is not None:
        lines = lines.exclude(pk=exclude.pk)
    return sum((line.points for line in lines), Decimal(0))


def _check_within_item(sheet: ScoreSheet, item: RubricItem, points: Decimal, *, exclude=None, field: str) -> None:
    """A deduction never goes beyond its item: the item's lines together stay within the item's points."""
    already = _item_total(sheet, item, exclude=exclude)
    if already + points > item.points:
        if already:
            message = f"“{item.code} {item.title}”已扣 {rules.pts(already)} 分，再扣 {rules.pts(points)} 分将超过该项分值 {rules.pts(item.points)} 分"
        else:
            message = f"扣分 {rules.pts(points)} 分超过“{item.code} {item.title}”的分值 {rules.pts(item.points)} 分"
        raise DomainError(message, field=field)


@transaction.atomic
def sheet_line_add(*, by, sheet: ScoreSheet, rubric_item: RubricItem, defects: int = 1, note: str = "") -> ScoreLine:
    """The reviewer's own deduction (处数 × 每处扣分, never beyond the item's points) or failed veto item, with a
    description of the defect."""
    sheet = _editable_sheet(by, sheet)
    rubric = sheet.file.campaign.rubric
    if rubric_item is None or rubric_item.rubric_id != rubric.pk:
        raise DomainError("评查项目不属于本次评查标准", field="rubric_item")
    note = _text(note, field="note", label="问题描述", max_length=500)
    if rubric_item.kind == "veto":
        if sheet.lines.filter(rubric_item=rubric_item).exclude(decision="overridden").exists():
            raise DomainError(f"否决项“{rubric_item.code}”已标记为不符合", field="rubric_item")
        line = ScoreLine.objects.create(sheet=sheet, rubric_item=rubric_item, kind="veto", defects=1, note=note)
    else:
        if isinstance(defects, bool) or not isinstance(defects, int) or not 1 <= defects <= MAX_DEFECTS:
            raise DomainError(f"处数应为 1 到 {MAX_DEFECTS} 的整数", field="defects")
        points = rules.line_deduction(defects=defects, per_defect=rubric_item.deduction or Decimal(0))
        _check_within_item(sheet, rubric_item, points, field="defects")
        line = ScoreLine.objects.create(
            sheet=sheet, rubric_item=rubric_item, kind="deduction", defects=defects, points=points, note=note
        )
    return line


@transaction.atomic
def sheet_line_decide(*, by, line: ScoreLine, decision: str, reason: str = "", note: str = "") -> ScoreLine:
    """Confirm or override a prefilled line; overriding needs a reason (the timeline keeps it)."""
    sheet = _editable_sheet(by, line.sheet)
    line = ScoreLine.objects.select_for_update().select_related("rubric_item").get(pk=line.pk, sheet=sheet)
    if line.source != "prefill":
        raise DomainError("只有依法定校验预填的扣分需要确认或推翻", field="decision")
    reason = _text(reason, field="reason", label="理由", max_length=500, required=False)
    note = _text(note, field="note", label="问题描述", max_length=500, required=False)
    if decision == "confirm":
        if line.kind == "deduction":
            _check_within_item(sheet, line.rubric_item, line.points, exclude=line, field="decision")
        line.decision = "confirmed"
    elif decision == "override":
        if not reason:
            raise DomainError("推翻预填扣分须说明理由", field="reason")
        line.decision = "overridden"
    else:
        raise DomainError("请选择确认或推翻", field="decision")
    line.reason = reason
    line.note = note or line.note
    line.save(update_fields=["decision", "reason", "note"])
    if decision == "override" and sheet.file.item_id:
        item_annotate(
            item=sheet.file.item,
            by=by,
            action="prefill_overridden",
            label="推翻预填扣分",
            comment=f"{line.rubric_item.code} {line.rubric_item.title}：{reason}",
            data={"line": line.pk, "rule": line.rule_code},
        )
    return line


@transaction.atomic
def sheet_line_remove(*, by, line: ScoreLine) -> None:
    sheet = _editable_sheet(by, line.sheet)
    line = ScoreLine.objects.select_for_update().get(pk=line.pk, sheet=sheet)
    if line.source == "prefill":
        raise DomainError("预填扣分不能删除，如不成立请推翻并说明理由", field="line")
    line.delete()


def sheet_preview(*, sheet: ScoreSheet) -> rules.Score:
    """The score the sheet gives now (lines that count)."""
    spec = selectors.rubric_spec(rubric=sheet.file.campaign.rubric)
    deductions: dict[str, Decimal] = {}
    vetoes = []
    for line in sheet.lines.select_related("rubric_item"):
        if not line.counts:
            continue
        if line.kind == "veto":
            vetoes.append(line.rubric_item.code)
        else:
            deductions[line.rubric_item.code] = deductions.get(line.rubric_item.code, Decimal(0)) + line.points
    return rules.sheet_score(spec, deductions=deductions, vetoes=vetoes)


@transaction.atomic
def sheet_submit(*, by, sheet: ScoreSheet, comment: str = "", today: dt.date | None = None, ip=None) -> ScoreSheet:
    """Submit the sheet: every prefilled line decided; the score and grade are rules.sheet_score. The file becomes
    final (one reviewer, or two within the threshold) or waits for the lead (two reviewers who disagree)."""
    day = _today(today)
    sheet = _editable_sheet(by, sheet)
    pending = sheet.lines.filter(decision="pending").count()
    if pending:
        raise DomainError(f"还有 {pending} 项依法定校验预填的扣分未确认或推翻", field="lines")
    comment = _text(comment, field="comment", label="评查意见", max_length=2000, required=False)
    score = sheet_preview(sheet=sheet)
    sheet.score, sheet.grade, sheet.veto, sheet.capped = score.score, score.grade, score.veto, score.capped
    sheet.comment, sheet.status = comment, "submitted"
    sheet.submitted_at, sheet.submitted_on = timezone.now(), day
    sheet.save(update_fields=["score", "grade", "veto", "capped", "comment", "status", "submitted_at", "submitted_on"])
    file = sheet.file
    if file.item_id:
        item_record(
            item=file.item,
            by=by,
            action="sheet_submitted",
            label="提交评分",
            comment=f"{rules.pts(score.score)} 分，{score.grade_label}" + (f"。{comment}" if comment else ""),
            data={"score": str(score.score), "grade": score.grade, "role": sheet.role},
        )
    _file_progress(file, by=by, today=day)
    log_operation(
        user=by, action="提交案卷评分", obj=file, summary=f"{file.case.number}：{rules.pts(score.score)} 分", ip=ip
    )
    return sheet


def _file_progress(file: ReviewFile, *, by, today: dt.date) -> None:
    sheets = {s.role: s for s in file.sheets.all()}
    first = sheets.get("first")
    if file.second_reviewer_id is None:
        if first is not None and first.status == "submitted":
            _finalise(file, sheet=first, score=first.score, grade=first.grade, veto=first.veto, by=by, today=today)
        return
    second = sheets.get("second")
    if first is None or second is None or first.status != "submitted" or second.status != "submitted":
        return
    campaign = file.campaign
    if rules.disagreement(
        first=first.score,
        second=second.score,
        first_veto=first.veto,
        second_veto=second.veto,
        threshold=campaign.disagreement_points,
    ):
        file.status = "disagreement"
        file.save(update_fields=["status"])
        if file.item_id:
            item_record(
                item=file.item,
                by=by,
                action="disagreement",
                label="评分分歧",
                comment=f"两名评查人员评分分别为 {rules.pts(first.score)} 分、{rules.pts(second.score)} 分，相差超过 "
                f"{rules.pts(campaign.disagreement_points)} 分或否决项意见不一，待评查组长裁定",
                action_unit=campaign.owner_unit,
            )
        return
    mean = rules.combined_score(first.score, second.score)
    veto = first.veto and second.veto
    grade = rules.grade_of(
        score=mean,
        veto=veto,
        capped=first.capped or second.capped,
        excellent_min=campaign.rubric.excellent_min,
        pass_min=campaign.rubric.pass_min,
    )
    _finalise(file, sheet=first, score=Decimal(0) if veto else mean, grade=grade, veto=veto, by=by, today=today)


@transaction.atomic
def file_resolve(
    *, by, file: ReviewFile, choose: str, reason: str, today: dt.date | None = None, ip=None
) -> ReviewFile:
    """The campaign lead settles a disagreement: one of the two sheets stands, with a reason."""
    day = _today(today)
    file = _lock_file(file)
    if file.status != "disagreement":
        raise DomainError("该案卷没有待裁定的评分分歧", field="status")
    _require(by, permissions.file_actions(user=by, obj=file), "resolve")
    reason = _text(reason, field="reason", label="裁定理由", max_length=500)
    sheet = file.sheets.filter(role=choose, status="submitted").first() if choose in ("first", "second") else None
    if sheet is None:
        raise DomainError("请选择采纳哪一名评查人员的评分", field="choose")
    file.resolution = reason
    _finalise(file, sheet=sheet, score=sheet.score, grade=sheet.grade, veto=sheet.veto, by=by, today=day)
    log_operation(user=by, action="裁定评分分歧", obj=file, summary=f"{file.case.number}：{reason}", ip=ip)
    return file


def _sheet_document(file: ReviewFile, sheet: ScoreSheet, *, score, grade, today: dt.date) -> bytes:
    rubric = file.campaign.rubric
    lines = list(sheet.lines.filter(decision="confirmed").select_related("rubric_item__section").order_by("id"))
    preview = sheet_preview(sheet=sheet)
    sections = [
        {"code": s.code, "group": s.group, "title": s.title, "points": s.points, "score": preview.sections.get(s.code)}
        for s in rubric.sections.all()
    ]

    def row(line):
        return {
            "code": line.rubric_item.code,
            "title": line.rubric_item.title,
            "points": line.points,
            "defects": line.defects,
            "note": line.note or line.finding,
            "citation": line.citation,
        }

    reviewers = [u.display_name for u in (file.reviewer, file.second_reviewer) if u is not None]
    return reports.score_sheet_docx(
        campaign=file.campaign,
        file=file,
        case=file.case,
        agency_name=file.agency.unit.name,
        reviewers=reviewers,
        sections=sections,
        vetoes=[row(line) for line in lines if line.kind == "veto"],
        deductions=[row(line) for line in lines if line.kind == "deduction"],
        score=score,
        grade=grade,
        resolution=file.resolution,
        issuer=file.campaign.owner_unit.name,
        today=today,
    )


def _finalise(file: ReviewFile, *, sheet: ScoreSheet, score, grade: str, veto: bool, by, today: dt.date) -> None:
    """The file's result stands: its score sheet (document) is stored on its timeline, its item closes, and a
    不合格 file proposes accountability (supervision.signals.wrong_case_found)."""
    file.status, file.score, file.grade, file.veto = "final", score, grade, veto
    file.final_sheet, file.final_on = sheet, today
    file.save(update_fields=["status", "score", "grade", "veto", "final_sheet", "final_on", "resolution"])
    content = _sheet_document(file, sheet, score=score, grade=grade, today=today)
    document_store(
        by=by,
        item=file.item,
        title=f"案卷评查评分表（{file.case.number}）",
        content=content,
        filename=f"案卷评查评分表_{file.case.number}.docx",
        object_kind="review_file",
        object_id=file.pk,
    )
    label = rules.GRADE_LABELS[grade]
    if file.item_id:
        item_close(item=file.item, by=by, label="定稿", comment=f"{rules.pts(score)} 分，{label}", closed_on=today)
    if grade == "fail":
        wrong_case_found.send(
            sender=ReviewFile,
            source_kind="review_file",
            source_id=file.pk,
            source_label=f"{file.campaign.name}：不合格（{rules.pts(score)}分）",
            source_url=_file_url(file),
            unit_id=file.agency.unit_id,
            case_id=file.case_id,
            reason="案卷评查不合格：" + ("否决项不符合要求" if veto else f"得分 {rules.pts(score)} 分，低于合格分数线"),
            by=by,
            today=today,
        )


# ---------------------------------------------------------------- results


@transaction.atomic
def campaign_publish(*, by, campaign: Campaign, today: dt.date | None = None, ip=None) -> Campaign:
    """Publish the results: every file final; the reviewed agencies now see their files' results."""
    day = _today(today)
    campaign = _lock_campaign(campaign)
    if campaign.status not in rules.CAMPAIGN_REVIEWING:
        raise DomainError("评查活动不在评查中，不能公布结果", field="status")
    _require(by, permissions.campaign_actions(user=by, obj=campaign), "publish")
    open_files = campaign.files.exclude(status="final").count()
    if open_files:
        raise DomainError(f"还有 {open_files} 件案卷未定稿，不能公布评查结果", field="status")
    campaign.status, campaign.published_at, campaign.published_on = "published", timezone.now(), day
    campaign.save(update_fields=["status", "published_at", "published_on"])
    totals = selectors.campaign_totals(campaign=campaign)
    if campaign.item_id and campaign.item.status != "closed":
        item_close(
            item=campaign.item,
            by=by,
            label="公布评查结果",
            comment=f"案卷 {totals['final']} 件，平均 {rules.pts(totals['mean'] or 0)} 分；优秀 {totals['excellent']}、"
            f"合格 {totals['pass']}、不合格 {totals['fail']}",
            closed_on=day,
        )
    log_operation(user=by, action="公布评查结果", obj=campaign, summary=campaign.name, ip=ip)
    return campaign


@transaction.atomic
def campaign_report(*, by, campaign: Campaign, today: dt.date | None = None, ip=None):
    """The campaign report (charts of the mean per agency and of the grades, the ranking table), stored on the
    campaign's timeline; generated again whenever asked (a report during the review is an interim one)."""
    day = _today(today)
    campaign = _lock_campaign(campaign)
    _require(by, permissions.campaign_actions(user=by, obj=campaign), "report")
    summary = selectors.campaign_summary(campaign=campaign)
    content = reports.campaign_report_docx(
        campaign=campaign,
        agencies=[a.unit.name for a in selectors.campaign_agencies(campaign=campaign)],
        summary=summary,
        totals=selectors.campaign_totals(campaign=campaign),
        defects=selectors.campaign_defects(campaign=campaign),
        sample=selectors.sample_published(campaign=campaign),
        issuer=campaign.owner_unit.name,
        today=day,
    )
    document = document_store(
        by=by,
        item=campaign.item,
        title=f"{campaign.name}情况报告",
        content=content,
        filename=f"{campaign.name}情况报告.docx",
        object_kind="review_campaign",
        object_id=campaign.pk,
    )
    log_operation(user=by, action="生成评查报告", obj=campaign, summary=campaign.name, ip=ip)
    return document


def _opinion_url(opinion) -> str:
    return reverse("supervision:reviews:opinion_detail", args=[opinion.pk])


@transaction.atomic
def opinions_issue(
    *, by, campaign: Campaign, prefix: str = "", today: dt.date | None = None, ip=None
) -> list[ReviewOpinion]:
    """评查意见 to every reviewed agency that has none yet: a number from the organising unit's register (taken
    here, as the document is issued), the document listing its defects, and — when there are defects — a
    rectification item on the tracking core (deadline rules.rectification_days(), calendar days)."""
    day = _today(today)
    campaign = _lock_campaign(campaign)
    if campaign.status not in rules.CAMPAIGN_PUBLISHED:
        raise DomainError("评查结果公布后才能印发评查意见", field="status")
    _require(by, permissions.campaign_actions(user=by, obj=campaign), "opinions")
    done = set(campaign.opinions.values_list("agency_id", flat=True))
    agencies = [a for a in selectors.campaign_agencies(campaign=campaign) if a.pk not in done]
    agencies = [a for a in agencies if campaign.files.filter(agency=a).exists()]
    if not agencies:
        raise DomainError("各被评查单位的评查意见均已印发", field="status")
    issued = []
    for agency in agencies:
        files = selectors.agency_file_defects(campaign=campaign, agency=agency)
        defects = [
            {
                "file": f["file"].pk,
                "case": f["file"].case.number,
                "item": line.rubric_item.code,
                "title": line.rubric_item.title,
                "kind": line.kind,
                "points": str(line.points),
                "note": line.note or line.finding,
            }
            for f in files
            for line in f["lines"]
        ]
        number = number_take(
            unit=campaign.owner_unit, doc_type=OPINION_DOC_TYPE, year=day.year, by=by, prefix=prefix, today=day
        ).text
        opinion = ReviewOpinion.objects.create(
            campaign=campaign,
            agency=agency,
            number=number,
            issued_on=day,
            issued_by=by,
            defects=defects,
            status="issued" if defects else "closed",
        )
        if defects:
            opinion.item = item_open(
                kind=REVIEW_RECTIFICATION.code,
                title=f"案卷评查整改：{agency.unit.name}（{campaign.name}）",
                unit=agency.unit,
                by=by,
                start=day,
                limit_kind="calendar",
                limit_days=rules.rectification_days(),
                deadline_source=rules.RECTIFICATION_SOURCE,
                url=_opinion_url(opinion),
                comment=f"{number}：问题 {len(defects)} 项",
            )
            opinion.save(update_fields=["item"])
        content = reports.opinion_docx(
            campaign=campaign,
            agency_name=agency.unit.name,
            number=number,
            files=[
                {
                    "number": f["file"].case.number,
                    "title": f["file"].case.title,
                    "score": f["file"].score,
                    "grade": f["file"].grade,
                    "lines": [
                        {
                            "code": line.rubric_item.code,
                            "title": line.rubric_item.title,
                            "points": line.points,
                            "note": line.note or line.finding,
                            "kind": line.kind,
                        }
                        for line in f["lines"]
                    ],
                }
                for f in files
            ],
            issuer=campaign.owner_unit.name,
            deadline=opinion.item.deadline if opinion.item_id else None,
            today=day,
        )
        document_store(
            by=by,
            item=opinion.item,
            title=f"行政执法案卷评查意见书（{agency.unit.name}）",
            number=number,
            content=content,
            filename=f"案卷评查意见书_{agency.unit.name}.docx",
            object_kind="review_opinion",
            object_id=opinion.pk,
        )
        issued.append(opinion)
    _campaign_event(
        campaign,
        by=by,
        action="opinions_issued",
        label="印发评查意见",
        comment="、".join(f"{o.agency.unit.name}（{o.number}）" for o in issued),
    )
    log_operation(user=by, action="印发案卷评查意见", obj=campaign, summary=f"{len(issued)} 份", ip=ip)
    return issued


def _lock_opinion(opinion: ReviewOpinion) -> ReviewOpinion:
    return (
        ReviewOpinion.objects.select_for_update(of=("self",))
        .select_related("campaign__owner_unit", "agency__unit", "item")
        .get(pk=opinion.pk)
    )


@transaction.atomic
def opinion_report(*, by, opinion: ReviewOpinion, text: str, files=(), ip=None) -> ReviewOpinion:
    """The agency reports its rectification (with attachments): the supervisor's turn to sign off or return."""
    opinion = _lock_opinion(opinion)
    if opinion.status not in rules.OPINION_REPORTABLE:
        raise DomainError("该评查意见当前不需要报送整改情况", field="status")
    _require(by, permissions.opinion_actions(user=by, obj=opinion), "report")
    text = _text(text, field="text", label="整改情况", max_length=5000)
    attachments = attachments_store(files=files, by=by)
    opinion.status = "reported"
    opinion.save(update_fields=["status"])
    item_record(
        item=opinion.item,
        by=by,
        action="rectification_reported",
        label="报送整改情况",
        comment=text,
        attachments=attachments,
        status="review",
        action_unit=opinion.campaign.owner_unit,
    )
    log_operation(user=by, action="报送评查整改情况", obj=opinion, summary=opinion.number, ip=ip)
    return opinion


@transaction.atomic
def opinion_signoff(*, by, opinion: ReviewOpinion, comment: str = "", ip=None) -> ReviewOpinion:
    """对账销号: the supervisor accepts the rectification; the item closes."""
    opinion = _lock_opinion(opinion)
    if opinion.status not in rules.OPINION_REVIEWABLE:
        raise DomainError("整改情况尚未报送，不能销号", field="status")
    _require(by, permissions.opinion_actions(user=by, obj=opinion), "signoff")
    comment = _text(comment, field="comment", label="意见", max_length=500, required=False)
    opinion.status = "closed"
    opinion.save(update_fields=["status"])
    item_close(item=opinion.item, by=by, comment=comment, label="整改销号")
    log_operation(user=by, action="评查整改销号", obj=opinion, summary=opinion.number, ip=ip)
    return opinion


@transaction.atomic
def opinion_return(*, by, opinion: ReviewOpinion, reason: str, ip=None) -> ReviewOpinion:
    opinion = _lock_opinion(opinion)
    if opinion.status not in rules.OPINION_REVIEWABLE:
        raise DomainError("整改情况尚未报送，不能退回", field="status")
    _require(by, permissions.opinion_actions(user=by, obj=opinion), "return")
    reason = _text(reason, field="reason", label="退回理由", max_length=500)
    opinion.status = "returned"
    opinion.save(update_fields=["status"])
    item_record(
        item=opinion.item,
        by=by,
        action="rectification_returned",
        label="退回整改",
        comment=reason,
        status="returned",
        action_unit=opinion.agency.unit,
    )
    log_operation(user=by, action="退回评查整改", obj=opinion, summary=reason, ip=ip)
    return opinion
