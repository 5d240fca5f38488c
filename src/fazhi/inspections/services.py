"""Every write of the inspections app: one transaction each, operation log included."""

import datetime as dt
import json
import re
import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.identifiers import clean_uscc
from fazhi.core.models import Division, Role, User
from fazhi.core.normalize import clean_text, parse_date
from fazhi.core.services import notify
from fazhi.core.throttle import throttle_hit, throttle_wait_minutes
from fazhi.inspections import draw as draw_algo
from fazhi.inspections import permissions, rules, selectors
from fazhi.inspections.models import (
    CREDIT_GRADES,
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
from fazhi.inspections.tracking_kinds import INSPECTION_PUBLICATION
from fazhi.registry.models import Agency, Officer, PowerItem
from fazhi.tracking.services import item_close, item_open

INDUSTRY = re.compile(r"^[A-T](\d{2}(\d{1,2})?)?$")


def _today(today: dt.date | None = None) -> dt.date:
    return today or timezone.localdate()


def _require_agency(by, agency: Agency) -> None:
    """The actor keeps this agency's inspections (the predicates' own test: right, scope)."""
    if not permissions.agency_keeper(user=by, agency=agency):
        raise Forbidden()


def _require_action(actions: set[str], action: str) -> None:
    """The object's predicate offers the step; checked after the state messages, so a wrong state still
    gets its explanation and anything else the predicate withholds is a refusal."""
    if action not in actions:
        raise Forbidden()


def _choice(value, choices, *, field: str, label: str) -> str:
    value = clean_text(value)
    codes = {c for c, _ in choices}
    by_label = {lab: c for c, lab in choices}
    if value in codes:
        return value
    if value in by_label:
        return by_label[value]
    raise DomainError(f"{label}“{value}”无效，应为：{'、'.join(lab for _, lab in choices)}", field=field)


# ---------------------------------------------------------------- enterprises


def enterprise_clean(
    *,
    uscc,
    name,
    kind="llc",
    industry="",
    division: Division,
    address="",
    legal_representative="",
    risk_level="b_general",
    credit_grade="B",
    group="",
) -> dict:
    """Validate and normalise one enterprise (shared by the form, the API and the Excel import)."""
    name = clean_text(name)
    if not name:
        raise DomainError("名称不能为空", field="name")
    industry = clean_text(industry).upper().replace(" ", "")
    if industry and not INDUSTRY.match(industry):
        raise DomainError(
            f"国民经济行业分类“{industry}”无效（GB/T 4754：门类字母加 2–4 位数字，如 C1391）", field="industry"
        )
    if division is None:
        raise DomainError("所在区划不能为空", field="division")
    return {
        "uscc": clean_uscc(uscc or "", field="uscc"),
        "name": name[:200],
        "kind": _choice(kind or "llc", Enterprise.KINDS, field="kind", label="类型"),
        "industry": industry,
        "division": division,
        "address": clean_text(address)[:200],
        "legal_representative": clean_text(legal_representative)[:50],
        "risk_level": _choice(
            risk_level or "b_general", list(RISK_LABELS.items()), field="risk_level", label="风险等级"
        ),
        "credit_grade": _choice(
            credit_grade or "B",
            CREDIT_GRADES + [(g, g) for g, _ in CREDIT_GRADES],
            field="credit_grade",
            label="信用等级",
        ),
        "group": clean_text(group)[:50],
    }


@transaction.atomic
def enterprise_create(*, by, ip=None, **fields) -> Enterprise:
    _require_action(permissions.enterprise_actions(user=by, obj=None), "create")
    data = enterprise_clean(**fields)
    existing = Enterprise.objects.filter(uscc=data["uscc"]).first()
    if existing:
        raise DomainError(f"统一社会信用代码 {data['uscc']} 已登记（{existing.name}）", field="uscc")
    enterprise = Enterprise.objects.create(**data)
    log_operation(user=by, action="登记市场主体", obj=enterprise, summary=f"{enterprise.name} {enterprise.uscc}", ip=ip)
    return enterprise


@transaction.atomic
def enterprise_update(*, by, enterprise: Enterprise, ip=None, **fields) -> Enterprise:
    _require_action(permissions.enterprise_actions(user=by, obj=enterprise), "edit")
    data = enterprise_clean(**fields)
    if Enterprise.objects.filter(uscc=data["uscc"]).exclude(pk=enterprise.pk).exists():
        raise DomainError(f"统一社会信用代码 {data['uscc']} 已登记", field="uscc")
    for key, value in data.items():
        setattr(enterprise, key, value)
    enterprise.save()
    log_operation(user=by, action="修改市场主体", obj=enterprise, summary=enterprise.name, ip=ip)
    return enterprise


# ---------------------------------------------------------------- inspection items, pool, conflicts


@transaction.atomic
def inspection_item_save(
    *,
    by,
    agency: Agency,
    power_item: PowerItem,
    targets: str,
    method: str = "onsite",
    basis: str = "",
    name: str = "",
    scope_industries: str = "",
    scope_risk_levels: list[str] | tuple = (),
    ip=None,
) -> InspectionItem:
    """Add or update an item of the 抽查事项清单, with the object scope its draws take their candidates from."""
    _require_agency(by, agency)
    if power_item.agency_id != agency.pk:
        raise DomainError("权责清单事项不属于该执法主体", field="power_item")
    if power_item.kind != "inspection":
        raise DomainError(f"“{power_item.name}”不是行政检查类事项，不能列入抽查事项清单", field="power_item")
    targets = clean_text(targets)
    if not targets:
        raise DomainError("抽查对象不能为空", field="targets")
    if not basis:
        basis = "；".join(str(b) for b in power_item.legal_bases.all())
    basis = clean_text(basis)
    if not basis:
        raise DomainError("检查依据不能为空", field="basis")
    industries, error = rules.industry_scope_parse(clean_text(scope_industries))
    if error:
        raise DomainError(error, field="scope_industries")
    levels = list(dict.fromkeys(scope_risk_levels or []))
    unknown = [lv for lv in levels if lv not in RISK_LABELS]
    if unknown:
        raise DomainError(f"风险等级“{unknown[0]}”无效", field="scope_risk_levels")
    item, _ = InspectionItem.objects.update_or_create(
        agency=agency,
        power_item=power_item,
        defaults={
            "name": clean_text(name) or power_item.name,
            "targets": targets,
            "method": _choice(method, InspectionItem.METHODS, field="method", label="检查方式"),
            "basis": basis,
            "scope_industries": "、".join(industries),
            "scope_risk_levels": sorted(levels),
            "is_active": True,
        },
    )
    log_operation(user=by, action="维护抽查事项", obj=item, summary=f"{agency} {item.name}", ip=ip)
    return item


@transaction.atomic
def pool_add(*, by, officer: Officer, note: str = "", today: dt.date | None = None, ip=None) -> InspectorPoolEntry:
    agency = officer.agency
    _require_agency(by, agency)
    if not officer.is_active:
        raise DomainError(f"{officer.name}不在岗，不能加入检查人员库", field="officer")
    from fazhi.registry.selectors import officer_certificate_on

    if officer_certificate_on(officer=officer, day=_today(today)) is None:
        raise DomainError(
            f"{officer.name}没有有效的行政执法证，不能加入检查人员库（{rules.INSPECTOR_CITATION}）", field="officer"
        )
    entry, created = InspectorPoolEntry.objects.get_or_create(
        officer=officer, defaults={"agency": agency, "note": clean_text(note)}
    )
    if not created:
        raise DomainError(f"{officer.name}已在检查人员库中", field="officer")
    log_operation(user=by, action="加入检查人员库", obj=entry, summary=f"{agency} {officer.name}", ip=ip)
    return entry


@transaction.atomic
def pool_set_available(*, by, entry: InspectorPoolEntry, available: bool, note: str = "", ip=None):
    _require_action(permissions.pool_entry_actions(user=by, obj=entry), "toggle")
    entry.available, entry.note = available, clean_text(note) or entry.note
    entry.save(update_fields=["available", "note"])
    log_operation(
        user=by,
        action="调整检查人员状态",
        obj=entry,
        summary=f"{entry.officer} {'可参加' if available else '暂不参加'}抽查",
        ip=ip,
    )
    return entry


@transaction.atomic
def conflict_declare(*, by, officer: Officer, enterprise: Enterprise, reason: str, ip=None) -> ConflictDeclaration:
    """An officer may declare for themselves; a legal officer of the agency for any of its officers."""
    if not (officer.user_id and officer.user_id == getattr(by, "pk", None)):
        _require_agency(by, officer.agency)
    reason = clean_text(reason)
    if not reason:
        raise DomainError("请说明利害关系（如亲属关系、曾任职、持股等）", field="reason")
    try:
        with transaction.atomic():
            decl = ConflictDeclaration.objects.create(officer=officer, enterprise=enterprise, reason=reason[:200])
    except IntegrityError:
        raise DomainError(f"{officer.name}已申报与“{enterprise.name}”的利害关系", field="enterprise") from None
    log_operation(user=by, action="申报利害关系", obj=decl, summary=f"{officer.name} / {enterprise.name}", ip=ip)
    return decl


# ---------------------------------------------------------------- plans


def proportions_clean(raw: dict) -> dict[str, int]:
    """{"d_high": 30, "低风险": "5%"} → basis points per level code; rejects anything outside 0–100 %."""
    out: dict[str, int] = {}
    by_label = {label: code for code, label in RISK_LABELS.items()}
    for key, value in (raw or {}).items():
        level = by_label.get(clean_text(key), clean_text(key))
        if level not in RISK_LABELS:
            raise DomainError(f"风险等级“{key}”无效，应为：{'、'.join(RISK_LABELS.values())}", field="proportions")
        text = clean_text(value).rstrip("%％").strip() if not isinstance(value, int | float) else value
        try:
            number = float(text) if text != "" else 0.0
        except (TypeError, ValueError):
            raise DomainError(f"“{RISK_LABELS[level]}”的抽取比例“{value}”不是数字", field="proportions") from None
        if number != number or number < 0 or number > 100:
            raise DomainError(
                f"“{RISK_LABELS[level]}”的抽取比例应在 0%–100% 之间（当前 {number:g}%）", field="proportions"
            )
        out[level] = round(number * 100)
    for level in RISK_LABELS:
        out.setdefault(level, 0)
    message = rules.proportions_check(out, RISK_LABELS)
    if message:
        raise DomainError(message, field="proportions")
    return dict(sorted(out.items()))


@transaction.atomic
def plan_create(
    *,
    by,
    agency: Agency,
    year: int,
    name: str,
    items: list[InspectionItem],
    proportions: dict,
    period_start,
    period_end,
    exclusion_days: int = 365,
    inspectors_per_enterprise: int = 2,
    joint_agencies: list[Agency] | None = None,
    ip=None,
) -> Plan:
    """A plan of one agency, or with `joint_agencies` a 跨部门联合抽查 plan led by `agency`: one visit per drawn
    enterprise covering every participant's items, with inspectors of each participating agency."""
    _require_agency(by, agency)
    joint = sorted({a.pk: a for a in (joint_agencies or []) if a.pk != agency.pk}.values(), key=lambda a: a.pk)
    participants = {agency.pk, *(a.pk for a in joint)}
    name = clean_text(name)
    if not name:
        raise DomainError("计划名称不能为空", field="name")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("年度无效", field="year")
    start = parse_date(period_start, field="period_start", label="抽查期起")
    end = parse_date(period_end, field="period_end", label="抽查期止")
    if end < start:
        raise DomainError("抽查期止不能早于抽查期起", field="period_end")
    if not items:
        raise DomainError("请至少选择一项抽查事项", field="items")
    if any(i.agency_id not in participants for i in items):
        raise DomainError(
            "抽查事项须属于牵头部门或联合抽查参与部门的抽查事项清单"
            if joint
            else "抽查事项须属于本执法主体的抽查事项清单",
            field="items",
        )
    without_items = [a for a in [agency, *joint] if not any(i.agency_id == a.pk for i in items)]
    if joint and without_items:
        raise DomainError(
            f"联合抽查须为每个参与部门选择至少一项抽查事项：{'、'.join(str(a) for a in without_items)}尚未选择",
            field="items",
        )
    if not isinstance(inspectors_per_enterprise, int) or inspectors_per_enterprise < draw_algo.MIN_PER_ENTERPRISE:
        raise DomainError("每户检查人员不得少于 2 名（执法检查须两名以上执法人员）", field="inspectors_per_enterprise")
    if joint and inspectors_per_enterprise < len(participants):
        raise DomainError(
            f"联合抽查每户检查人员不得少于参与部门数（{len(participants)} 名，每个部门至少 1 名）",
            field="inspectors_per_enterprise",
        )
    if not isinstance(exclusion_days, int) or not 0 <= exclusion_days <= 3650:
        raise DomainError("排除期应为 0–3650 天", field="exclusion_days")
    plan = Plan.objects.create(
        agency=agency,
        year=year,
        name=name[:200],
        proportions=proportions_clean(proportions),
        period_start=start,
        period_end=end,
        exclusion_days=exclusion_days,
        inspectors_per_enterprise=inspectors_per_enterprise,
        is_joint=bool(joint),
        created_by=by,
    )
    plan.items.set(items)
    plan.joint_agencies.set(joint)
    log_operation(
        user=by,
        action="制定跨部门联合抽查计划" if joint else "制定抽查计划",
        obj=plan,
        summary=plan.name + (f"（参与部门：{'、'.join(str(a) for a in joint)}）" if joint else ""),
        ip=ip,
    )
    return plan


@transaction.atomic
def plan_publish(*, by, plan: Plan, today: dt.date | None = None, ip=None) -> Plan:
    _require_agency(by, plan.agency)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in rules.PLAN_PUBLISHABLE:
        raise DomainError("该计划已公示", field="status")
    message = rules.plan_publish_check(today=_today(today), period_start=plan.period_start)
    if message:
        raise DomainError(message, field="period_start")
    _require_action(permissions.plan_actions(user=by, obj=plan), "publish")
    plan.status, plan.published_at = "published", timezone.now()
    plan.save(update_fields=["status", "published_at"])
    log_operation(user=by, action="公示抽查计划", obj=plan, summary=plan.name, ip=ip)
    return plan


# ---------------------------------------------------------------- draws


@transaction.atomic
def draw_commit(
    *,
    by,
    plan: Plan,
    item: InspectionItem | None = None,
    today: dt.date | None = None,
    redraw_of: Draw | None = None,
    ip=None,
) -> Draw:
    """Freeze the candidate and inspector lists, pick a secret seed and publish the commitment (its hashes).
    A joint plan's draw covers all its items; a single-agency draw covers `item`."""
    _require_agency(by, plan.agency)
    plan = Plan.objects.select_related("agency__unit").get(pk=plan.pk)
    if plan.status not in rules.PLAN_DRAWABLE:
        raise DomainError("抽查计划公示后才能抽取", field="plan")
    _require_action(permissions.plan_actions(user=by, obj=plan), "draw")
    if plan.is_joint:
        items = list(plan.items.order_by("agency_id", "id"))
        item = next((i for i in items if i.agency_id == plan.agency_id), items[0])
    else:
        item = plan.items.filter(pk=item.pk).first() if item is not None else None
        if item is None:
            raise DomainError("该抽查事项不在本计划中", field="item")
        items = [item]  # as stored: its object scope is what the draw commits to
    day = _today(today)
    per = plan.inspectors_per_enterprise
    if plan.is_joint:
        agencies = [plan.agency, *plan.joint_agencies.order_by("id")]
        pairs = selectors.frozen_joint_inspectors(agencies=agencies, day=day)
        for agency in agencies:
            if not any(a == agency.pk for _, a in pairs):
                raise DomainError(
                    f"{agency}检查人员库为空：联合抽查每户须有每个参与部门至少 1 名检查人员，未进行抽取",
                    field="inspectors",
                )
        inspectors = [o for o, _ in pairs]
    else:
        agencies = [plan.agency]
        inspectors = selectors.frozen_inspectors(agency=plan.agency, day=day)
    if not inspectors:
        raise DomainError("检查人员库为空：请先将持有效执法证的在岗人员加入检查人员库，未进行抽取", field="inspectors")
    if len(inspectors) < per:
        raise DomainError(
            f"检查人员不足：每户须至少 {per} 名检查人员，库中可用人员仅 {len(inspectors)} 名，未进行抽取",
            field="inspectors",
        )
    scope = selectors.draw_scope(items=items)
    candidates = selectors.frozen_candidates(
        agency=plan.agency, items=items, exclusion_days=plan.exclusion_days, day=day, scopes=scope
    )
    if not candidates:
        raise DomainError(
            "没有符合条件的抽查对象（辖区内无抽查事项对象范围内的存续市场主体，或均在排除期内），未进行抽取",
            field="candidates",
        )
    conflicts = selectors.frozen_conflicts(officer_ids=inspectors)
    seed = secrets.token_hex(32)
    if plan.is_joint:
        algorithm = draw_algo.JOINT_ALGORITHM
        texts = {
            "candidates": draw_algo.canonical_candidates(candidates),
            "inspectors": draw_algo.canonical_joint_inspectors(pairs),
            "conflicts": draw_algo.canonical_conflicts(conflicts),
            "params": draw_algo.canonical_joint_params(
                proportions=plan.proportions,
                per_enterprise=per,
                agencies=[a.pk for a in agencies],
                lead=plan.agency_id,
                scope=scope,
            ),
        }
    else:
        algorithm = draw_algo.ALGORITHM
        texts = {
            "candidates": draw_algo.canonical_candidates(candidates),
            "inspectors": draw_algo.canonical_inspectors(inspectors),
            "conflicts": draw_algo.canonical_conflicts(conflicts),
            "params": draw_algo.canonical_params(proportions=plan.proportions, per_enterprise=per, scope=scope),
        }
    hashes = {f"{k}_hash": draw_algo.sm3_hex(v.encode("ascii")) for k, v in texts.items()}
    s_hash = draw_algo.seed_hash(seed)
    commitment = draw_algo.commitment_of(seed_hash=s_hash, algorithm=algorithm, **hashes)
    draw = Draw.objects.create(
        plan=plan,
        item=item,
        algorithm=algorithm,
        seed=seed,
        seed_hash=s_hash,
        commitment=commitment,
        candidate_count=len(candidates),
        inspector_count=len(inspectors),
        redraw_of=redraw_of,
        created_by=by,
        **texts,
        **hashes,
    )
    if plan.is_joint:
        draw.joint_items.set(items)
    log_operation(
        user=by,
        action="抽取承诺",
        obj=draw,
        summary=f"{plan.name} / {'、'.join(i.name for i in items)}：对象 {len(candidates)} 户，"
        f"检查人员 {len(inspectors)} 名，承诺值 {commitment}",
        ip=ip,
    )
    return draw


def _lock_draw(draw: Draw) -> Draw:
    return Draw.objects.select_for_update(of=("self",)).select_related("plan__agency__unit", "item").get(pk=draw.pk)


@transaction.atomic
def draw_perform(*, by, draw: Draw, ip=None) -> Draw:
    """Run the documented algorithm on the frozen lists. On any error nothing is drawn."""
    _require_agency(by, draw.plan.agency)
    draw = _lock_draw(draw)
    if draw.status not in rules.DRAW_PERFORMABLE:
        raise DomainError(f"当前状态为“{draw.get_status_display()}”，不能抽取", field="status")
    _require_action(permissions.draw_actions(user=by, obj=draw), "perform")
    proportions, per = draw_algo.params_from({"params": draw.params})
    try:
        if draw.algorithm == draw_algo.JOINT_ALGORITHM:
            params = json.loads(draw.params)
            result = draw_algo.draw_joint(
                seed=draw.seed,
                candidates=draw_algo.parse_candidates(draw.candidates),
                inspectors=draw_algo.parse_joint_inspectors(draw.inspectors),
                conflicts=draw_algo.parse_conflicts(draw.conflicts),
                proportions=proportions,
                per_enterprise=per,
                agencies=params["agencies"],
                lead=params["lead"],
            )
        else:
            result = draw_algo.draw(
                seed=draw.seed,
                candidates=draw_algo.parse_candidates(draw.candidates),
                inspectors=draw_algo.parse_inspectors(draw.inspectors),
                conflicts=draw_algo.parse_conflicts(draw.conflicts),
                proportions=proportions,
                per_enterprise=per,
            )
    except draw_algo.DrawError as exc:
        raise DomainError(f"{exc.message}（未进行抽取）", field=exc.field or "draw") from None
    assignments = DrawAssignment.objects.bulk_create(
        [
            DrawAssignment(draw=draw, position=i, enterprise_id=r["enterprise"], risk_level=r["level"])
            for i, r in enumerate(result.rows, start=1)
        ],
        batch_size=2000,
    )
    through = DrawAssignment.inspectors.through
    through.objects.bulk_create(
        [
            through(drawassignment_id=a.pk, officer_id=o)
            for a, r in zip(assignments, result.rows, strict=True)
            for o in r["inspectors"]
        ],
        batch_size=5000,
    )
    draw.result, draw.result_hash = result.canonical, result.hash
    draw.status, draw.drawn_at = "drawn", timezone.now()
    draw.save(update_fields=["result", "result_hash", "status", "drawn_at"])
    log_operation(
        user=by,
        action="双随机抽取",
        obj=draw,
        summary=f"{draw.plan.name} / {draw.item.name}：抽中 {len(result.rows)} 户，结果哈希 {result.hash}",
        ip=ip,
    )
    return draw


@transaction.atomic
def draw_publish(*, by, draw: Draw, ip=None) -> Draw:
    """Publish the seed, the frozen lists and the result: from now on anyone can re-run the draw."""
    _require_agency(by, draw.plan.agency)
    draw = _lock_draw(draw)
    if draw.status not in rules.DRAW_PUBLISHABLE:
        raise DomainError("只有已抽取的结果才能公布", field="status")
    _require_action(permissions.draw_actions(user=by, obj=draw), "publish")
    draw.status, draw.published_at = "published", timezone.now()
    draw.save(update_fields=["status", "published_at"])
    log_operation(user=by, action="公布抽取结果", obj=draw, summary=f"{draw.plan.name} / {draw.item.name}", ip=ip)
    return draw


@transaction.atomic
def draw_redraw(*, by, draw: Draw, reason: str, today: dt.date | None = None, ip=None) -> Draw:
    """Void a draw and commit a new one. The reason is required, logged and shown on the portal."""
    _require_agency(by, draw.plan.agency)
    reason = clean_text(reason)
    if len(reason) < 4:
        raise DomainError("重新抽取须说明理由（不少于 4 个字），理由将向社会公开", field="reason")
    old = _lock_draw(draw)
    if old.status not in rules.DRAW_REDRAWABLE:
        raise DomainError("该次抽取已作废，不能再次重抽", field="status")
    _require_action(permissions.draw_actions(user=by, obj=old), "redraw")
    if old.assignments.filter(record__isnull=False).exists():
        raise DomainError("已有检查记录对应该次抽取结果，不能重新抽取", field="status")
    old.status, old.superseded_reason, old.superseded_at = "superseded", reason[:500], timezone.now()
    old.save(update_fields=["status", "superseded_reason", "superseded_at"])
    log_operation(user=by, action="重新抽取", obj=old, summary=f"作废第 {old.pk} 次抽取：{reason}", ip=ip)
    return draw_commit(by=by, plan=old.plan, item=old.item, today=today, redraw_of=old, ip=ip)


# ---------------------------------------------------------------- inspection records


def _supervisors() -> list[User]:
    role_ids = [r.pk for r in Role.objects.filter(is_active=True) if "inspection.supervise" in (r.permissions or [])]
    return list(User.objects.filter(is_active=True, roles__in=role_ids).distinct())


def _burden_warn(*, enterprise: Enterprise, day: dt.date) -> None:
    start, end = rules.period_bounds(period="year", day=day)
    count = selectors.enterprise_inspection_count(enterprise=enterprise, date_from=start, date_to=end)
    threshold = selectors.burden_threshold()
    if rules.burden_exceeds(count=count, threshold=threshold):
        notify(
            recipients=_supervisors(),
            level="warning",
            title=f"涉企检查频次预警：{enterprise.name} {start.year} 年已被检查 {count} 次",
            body=f"超过 {threshold} 次的预警线，建议统筹为跨部门联合抽查，减少对企业的干扰。",
            url=f"/inspections/burden/?year={start.year}",
            dedup_key=f"inspection-burden:{enterprise.pk}:{start.year}:{count}",
        )


@transaction.atomic
def inspection_record_create(
    *,
    by,
    enterprise: Enterprise | None = None,
    agency: Agency | None = None,
    assignment: DrawAssignment | None = None,
    item: InspectionItem | None = None,
    source: str = "random",
    reason: str = "",
    inspected_on,
    result: str = "ok",
    problems: str = "",
    measures: str = "",
    inspectors=(),
    files=(),
    ip=None,
    today: dt.date | None = None,
) -> InspectionRecord:
    if assignment is not None:
        draw = assignment.draw
        if draw.status not in rules.DRAW_RECORDABLE:
            raise DomainError("该抽取结果已作废或尚未抽取", field="assignment")
        _require_action(permissions.draw_actions(user=by, obj=draw), "record")
        if hasattr(assignment, "record"):
            raise DomainError("该户已登记检查记录", field="assignment")
        source, agency, item, enterprise = "random", draw.plan.agency, draw.item, assignment.enterprise
        inspectors = list(inspectors) or list(assignment.inspectors.all())
    allowed = {agency.pk} if agency is not None else set()
    if assignment is not None and assignment.draw.plan.is_joint:
        # One joint visit: a single record under the lead agency, inspectors from every participant.
        allowed |= set(assignment.draw.plan.joint_agencies.values_list("id", flat=True))
    if enterprise is None:
        raise DomainError("请选择被检查的市场主体", field="enterprise")
    if agency is None:
        raise DomainError("请选择实施检查的执法主体", field="agency")
    _require_agency(by, agency)
    source = clean_text(source) or "random"
    reason = clean_text(reason)
    message = rules.non_plan_reason_check(source=source, reason=reason)
    if message:
        raise DomainError(message, field="reason" if source in rules.SOURCE_LABELS else "source")
    if source == "random" and assignment is None:
        raise DomainError("双随机抽查记录须对应一次抽取结果；计划外检查请选择检查来源并说明事由", field="source")
    if item is not None and item.agency_id != agency.pk:
        raise DomainError("抽查事项不属于该执法主体", field="item")
    day = parse_date(inspected_on, field="inspected_on", label="检查日期")
    if day > _today(today):
        raise DomainError("检查日期不能晚于今天", field="inspected_on")
    spans = selectors.quiet_spans_for(enterprise=enterprise, day_from=day, day_to=day)
    message = rules.quiet_day_check(day=day, source=source, reason=reason, spans=spans)
    if message:
        raise DomainError(message, field="inspected_on")
    inspectors = list(inspectors)
    if any(o.agency_id not in allowed for o in inspectors):
        raise DomainError("检查人员须为本执法主体（联合抽查为各参与部门）的执法人员", field="inspectors")
    if len({o.pk for o in inspectors}) < rules.INSPECTORS_MIN:
        raise DomainError(f"检查须由两名以上执法人员实施（{rules.INSPECTOR_CITATION}）", field="inspectors")
    record = InspectionRecord.objects.create(
        enterprise=enterprise,
        agency=agency,
        item=item,
        assignment=assignment,
        source=source,
        reason=reason[:500],
        inspected_on=day,
        result=_choice(result, InspectionRecord.RESULTS, field="result", label="检查结果"),
        problems=clean_text(problems),
        measures=clean_text(measures),
        created_by=by,
    )
    record.inspectors.set(inspectors)
    if files:
        record.attachments.set(attachments_store(files=files, by=by))
    record.publication_item = item_open(
        kind=INSPECTION_PUBLICATION.code,
        title=f"公示检查结果：{enterprise.name}",
        unit=agency.unit,
        by=by,
        start=day,
        limit_kind="working",
        limit_days=rules.PUBLICATION_WORKING_DAYS,
        deadline_source=rules.PUBLICATION_SOURCE,
        url=f"/inspections/records/{record.pk}/",
    )
    record.save(update_fields=["publication_item"])
    _tally_add(record)
    log_operation(
        user=by,
        action="登记检查记录",
        obj=record,
        summary=f"{enterprise.name}（{rules.SOURCE_LABELS[source]}）{day:%Y-%m-%d}",
        ip=ip,
    )
    _burden_warn(enterprise=enterprise, day=day)
    return record


def _tally_add(record: InspectionRecord) -> None:
    """Keep the burden tallies in step with the records (same transaction, row locked): the enterprise's
    year row (total and the month's column), the agency's year and month rows."""
    non_plan = int(record.is_non_plan)
    year, month = record.inspected_on.year, record.inspected_on.replace(day=1)
    m, np = month_field(month.month), month_non_plan_field(month.month)
    for model, period, key, extra in (
        (
            EnterpriseYearTally,
            {"year": year},
            {"enterprise_id": record.enterprise_id},
            {m: F(m) + 1, np: F(np) + non_plan},
        ),
        (AgencyYearTally, {"year": year}, {"agency_id": record.agency_id}, {}),
        (AgencyMonthTally, {"month": month}, {"agency_id": record.agency_id}, {}),
    ):
        tally, _ = model.objects.select_for_update().get_or_create(**period, **key)
        model.objects.filter(pk=tally.pk).update(total=F("total") + 1, non_plan=F("non_plan") + non_plan, **extra)


@transaction.atomic
def burden_tallies_rebuild(*, kinds: tuple[str, ...] = ("year", "month")) -> int:
    """Recompute the yearly (enterprise rows with their month columns, agency rows) and/or the agencies'
    monthly tallies from the records with INSERT … SELECT … GROUP BY (set-based)."""
    non_plan = ~Q(source="random")
    targets = []
    if "year" in kinds:
        per_month = {}
        for month in MONTHS:
            in_month = Q(inspected_on__month=month)
            per_month[month_field(month)] = Count("id", filter=in_month)
            per_month[month_non_plan_field(month)] = Count("id", filter=in_month & non_plan)
        targets += [
            (EnterpriseYearTally, "enterprise_id", "year", ExtractYear("inspected_on"), per_month),
            (AgencyYearTally, "agency_id", "year", ExtractYear("inspected_on"), {}),
        ]
    if "month" in kinds:
        targets += [(AgencyMonthTally, "agency_id", "month", TruncMonth("inspected_on"), {})]
    written = 0
    for model, key, column, period, extra in targets:
        model.objects.all().delete()
        select = (
            InspectionRecord.objects.order_by()
            .annotate(p=period)
            .values(key, "p")
            .annotate(t=Count("id"), np=Count("id", filter=non_plan), **extra)
        )
        sql, params = select.query.sql_with_params()
        table = model._meta.db_table
        columns = "".join(f', "{c}"' for c in extra)
        values = "".join(f', s."{c}"' for c in extra)
        with connection.cursor() as cur:
            cur.execute(
                f'INSERT INTO {table} ("{key}", "{column}", "total", "non_plan"{columns}) '
                f'SELECT s."{key}", s.p, s.t, s.np{values} FROM ({sql}) s',
                params,
            )
            written += cur.rowcount
    return written


def burden_scan(*, today: dt.date | None = None) -> int:
    """Count the enterprises above the threshold this year (from the tallies) and tell the supervisors once
    per count; returns the count."""
    year = _today(today).year
    threshold = selectors.burden_threshold()
    over = EnterpriseYearTally.objects.filter(year=year, total__gt=threshold).count()
    if over:
        notify(
            recipients=_supervisors(),
            level="warning",
            title=f"{year} 年有 {over} 户企业被检查超过 {threshold} 次",
            body="建议统筹相关部门的检查事项，开展跨部门联合抽查，减少对企业的干扰。",
            url=f"/inspections/burden/?year={year}",
            dedup_key=f"inspection-burden-scan:{year}:{over}",
        )
    return over


@transaction.atomic
def inspection_record_publish(
    *, by, record: InspectionRecord, ip=None, today: dt.date | None = None
) -> InspectionRecord:
    _require_agency(by, record.agency)
    record = (
        InspectionRecord.objects.select_for_update(of=("self",))
        .select_related("publication_item", "enterprise")
        .get(pk=record.pk)
    )
    if not rules.record_publishable(published_on=record.published_on):
        raise DomainError("该检查结果已公示", field="status")
    _require_action(permissions.record_actions(user=by, obj=record), "publish")
    record.published_on = _today(today)
    record.save(update_fields=["published_on"])
    if record.publication_item and record.publication_item.status != "closed":
        item_close(
            item=record.publication_item,
            by=by,
            label="已公示",
            comment="检查结果已向社会公示",
            closed_on=today,
        )
    log_operation(user=by, action="公示检查结果", obj=record, summary=record.enterprise.name, ip=ip)
    return record


# ---------------------------------------------------------------- quiet days


@transaction.atomic
def quiet_day_create(
    *, by, start_date, end_date, division: Division | None = None, group: str = "", note: str = "", ip=None
) -> QuietDay:
    _require_action(permissions.quiet_day_actions(user=by, obj=None), "create")
    start = parse_date(start_date, field="start_date", label="起始日期")
    end = parse_date(end_date, field="end_date", label="截止日期")
    if end < start:
        raise DomainError("截止日期不能早于起始日期", field="end_date")
    group = clean_text(group)
    if division is None and not group:
        raise DomainError("请选择区划或填写企业分组", field="division")
    qd = QuietDay.objects.create(
        division=division, group=group[:50], start_date=start, end_date=end, note=clean_text(note)[:200], created_by=by
    )
    log_operation(user=by, action="设定企业安静生产日", obj=qd, summary=str(qd), ip=ip)
    return qd


# ---------------------------------------------------------------- enterprise feedback


def feedback_rate_check(*, ip: str | None, now: float | None = None) -> None:
    """Count one submission of the public feedback form from `ip`; over the hourly limit it is refused.
    Counted before the form is validated, so that invalid posts cannot hammer the page either."""
    if not ip:
        return
    count = throttle_hit(scope="inspection-feedback", ident=ip, window_seconds=rules.FEEDBACK_WINDOW_SECONDS, now=now)
    if count > rules.FEEDBACK_IP_HOUR:
        wait = throttle_wait_minutes(window_seconds=rules.FEEDBACK_WINDOW_SECONDS, now=now)
        raise DomainError(
            f"提交过于频繁：同一网络 1 小时内最多提交 {rules.FEEDBACK_IP_HOUR} 次评价，请 {wait} 分钟后再试",
            field="rate",
        )


@transaction.atomic
def inspection_feedback_submit(
    *,
    record: InspectionRecord,
    rating: str,
    comment: str = "",
    category: str = "",
    description: str = "",
    name: str = "",
    phone: str = "",
    consent: bool = False,
    ip=None,
) -> tuple[InspectionFeedback, object | None, str]:
    """The inspected enterprise rates a published inspection once (reached only through its signed link,
    see `selectors.feedback_record_by_token`). A report of improper conduct becomes a complaint against the
    inspecting agency through the complaints service (channel 网上投诉: the complaint model has no channel
    of its own for inspection feedback). Returns the feedback, the complaint (or None) and its password."""
    from fazhi.complaints.services import complaint_submit

    record = (
        InspectionRecord.objects.select_for_update(of=("self",))
        .select_related("enterprise", "agency__unit")
        .get(pk=record.pk)
    )
    if record.published_on is None:
        raise DomainError("检查结果公示后才能评价", field="rating")
    if InspectionFeedback.objects.filter(record=record).exists():
        raise DomainError("该次检查已评价，不能重复评价", field="rating")
    rating = _choice(rating, InspectionFeedback.RATINGS, field="rating", label="评价")
    complaint, password = None, ""
    if clean_text(description):
        complaint, password = complaint_submit(
            channel="web",
            category=category or "misconduct",
            description=description,
            place=clean_text(record.enterprise.name)[:200],
            party=f"{record.agency.unit.name}（{record.inspected_on:%Y-%m-%d} 涉企检查）"[:100],
            occurred_on=record.inspected_on,
            agency_named=record.agency.unit,
            anonymous=not (clean_text(name) or clean_text(phone)),
            name=name,
            phone=phone,
            consent=consent,
            ip=ip,
        )
    feedback = InspectionFeedback.objects.create(
        record=record,
        agency=record.agency,
        rating=rating,
        score=InspectionFeedback.SCORES[rating],
        comment=clean_text(comment)[:1000],
        complaint=complaint,
    )
    log_operation(
        user=None,
        action="企业评价检查",
        obj=feedback,
        summary=f"{record.enterprise.name}：{feedback.get_rating_display()}"
        + (f"，反映不当行为（{complaint.tracking_code}）" if complaint else ""),
        ip=ip,
    )
    return feedback, complaint, password
