"""Writes of 考核评价, each in one transaction, each checking the user's actions again (`by=None`: the system)."""

import dataclasses
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from fazhi.assessment.scoring import indicators, rules, selectors
from fazhi.assessment.scoring.models import Appeal, AssessmentRun, Framework, Indicator, RunUnit, Score
from fazhi.assessment.scoring.permissions import framework_actions, member_actions, run_actions
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.normalize import clean_text

COLUMNS = [
    ("编号", "code"),
    ("级别", "level"),
    ("上级编号", "parent"),
    ("指标名称", "name"),
    ("分值", "points"),
    ("权重", "weight"),
    ("评分方式", "method"),
    ("计算函数", "source"),
    ("换算方式", "mapping"),
    ("换算参数", "params"),
    ("目标值", "target"),
    ("封顶分值", "cap"),
    ("评分标准", "criteria"),
]
METHOD_LABELS = dict(Indicator.METHODS)
METHOD_CODES = {label: code for code, label in Indicator.METHODS} | {"分组": "group"}
MAPPING_CODES = {"线性": "linear", "分档": "thresholds"}


def _check(allowed: set[str], action: str, by) -> None:
    if by is not None and action not in allowed:
        raise Forbidden()


def _decimal(value, *, field: str, where: str, required: bool = True) -> Decimal | None:
    text = clean_text(str(value if value is not None else ""))
    if text == "":
        if required:
            raise DomainError(f"{where}：{field}不能为空", field=field)
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise DomainError(f"{where}：{field}“{text}”不是数字", field=field) from None
    if not d.is_finite() or abs(d) >= Decimal(10**6):
        raise DomainError(f"{where}：{field}“{text}”超出范围", field=field)
    return d


def _params(text: str, *, mapping: str, where: str) -> dict:
    """换算参数: linear "low-high" (e.g. 60-100, or 20-0 when lower is better); thresholds "95:10;90:8;80:5"."""
    text = clean_text(text or "").replace("；", ";").replace("：", ":").replace("～", "-").replace("~", "-")
    if not text:
        return {}
    try:
        if mapping == "thresholds":
            steps = [
                [str(Decimal(a)), str(Decimal(p))] for a, p in (part.split(":") for part in text.split(";") if part)
            ]
            return {"steps": steps}
        low, high = text.rsplit("-", 1) if text.count("-") == 1 else text.split("-", 1)
        return {"low": str(Decimal(low)), "high": str(Decimal(high))}
    except (ValueError, InvalidOperation):
        raise DomainError(
            f"{where}：换算参数“{text}”格式不正确（线性如 60-100，分档如 95:10;90:8）", field="params"
        ) from None


def _node(raw: dict, row: int | None) -> tuple[rules.NodeSpec, dict]:
    where = f"第{row}行" if row else "指标"
    method_text = clean_text(str(raw.get("method") or ""))
    method = METHOD_CODES.get(method_text, method_text)
    mapping_text = clean_text(str(raw.get("mapping") or ""))
    mapping = MAPPING_CODES.get(mapping_text, mapping_text)
    if method == "computed" and mapping not in ("linear", "thresholds"):
        mapping = "linear"
    try:
        level = int(Decimal(clean_text(str(raw.get("level") or "0"))))
    except InvalidOperation:
        raise DomainError(f"{where}：级别应为1、2或3", field="level") from None
    points = _decimal(raw.get("points"), field="points", where=where)
    weight = _decimal(raw.get("weight"), field="weight", where=where, required=False)
    spec = rules.NodeSpec(
        code=clean_text(str(raw.get("code") or "")),
        name=clean_text(str(raw.get("name") or ""))[:200],
        level=level,
        parent=clean_text(str(raw.get("parent") or "")),
        points=points,
        method=method,
        source=clean_text(str(raw.get("source") or "")),
        cap=_decimal(raw.get("cap"), field="cap", where=where, required=False),
        row=row,
        weight=rules.WEIGHT_DEFAULT if weight is None else weight,
    )
    extra = {
        "mapping": mapping if method == "computed" else "",
        "params": _params(str(raw.get("params") or ""), mapping=mapping, where=where) if method == "computed" else {},
        "target": _decimal(raw.get("target"), field="target", where=where, required=False),
        "criteria": clean_text(str(raw.get("criteria") or ""))[:500],
    }
    return spec, extra


def framework_nodes_check(rows: list[tuple[int | None, dict]], *, total: Decimal) -> list[tuple[rules.NodeSpec, dict]]:
    """Parse and check a whole framework; the first problem is raised (field and row named)."""
    parsed = [_node(raw, row) for row, raw in rows]
    problems = rules.framework_problems(
        [spec for spec, _ in parsed], total=total, known_sources=indicators.known_sources()
    )
    if problems:
        p = problems[0]
        raise DomainError(p.message, field=p.field)
    return parsed


@transaction.atomic
def framework_create(*, year: int, name: str, total_points=100, note: str = "", by) -> Framework:
    _check(framework_actions(user=by, obj=None), "create", by)
    name = clean_text(name or "")
    if not name:
        raise DomainError("名称不能为空", field="name")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("年度无效", field="year")
    if Framework.objects.filter(year=year).exists():
        raise DomainError(f"{year}年的指标体系已存在", field="year")
    total = _decimal(total_points, field="total_points", where="总分")
    if total <= 0:
        raise DomainError("总分应大于0", field="total_points")
    fw = Framework.objects.create(year=year, name=name[:100], total_points=total, note=clean_text(note)[:300])
    log_operation(user=by, action="create", obj=fw, summary=f"新建考核指标体系 {fw}")
    return fw


@transaction.atomic
def framework_replace(*, framework: Framework, rows: list[tuple[int | None, dict]], by) -> int:
    """Replace the framework's tree by these rows (an import): all rows are checked together, nothing is written
    unless the whole framework holds (points add up, functions exist). Not once a run uses it."""
    _check(framework_actions(user=by, obj=framework), "import", by)
    if framework.runs.exists():
        raise DomainError("已有考核使用该指标体系，不能再导入", field="file")
    parsed = framework_nodes_check(rows, total=framework.total_points)
    framework.indicators.all().delete()
    by_code: dict[str, Indicator] = {}
    for i, (spec, extra) in enumerate(parsed):
        node = Indicator.objects.create(
            framework=framework,
            parent=by_code.get(spec.parent),
            level=spec.level,
            code=spec.code,
            name=spec.name,
            points=spec.points,
            method=spec.method,
            source=spec.source if spec.method == "computed" else "",
            cap=spec.cap,
            weight=spec.weight,
            sort_order=i,
            **extra,
        )
        by_code[spec.code] = node
    log_operation(user=by, action="import", obj=framework, summary=f"导入指标 {len(parsed)} 项")
    return len(parsed)


def _draft_check(*, framework, specs: list[rules.NodeSpec]) -> None:
    problems = rules.framework_problems(
        specs, total=framework.total_points, known_sources=indicators.known_sources(), complete=False
    )
    if problems:
        raise DomainError(problems[0].message, field=problems[0].field)


def _editable(framework, by) -> Framework:
    from fazhi.assessment.scoring.permissions import is_organiser

    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.runs.exists() and (by is None or is_organiser(by)):
        raise DomainError("已有考核使用该指标体系，不能再修改指标", field="framework")
    _check(framework_actions(user=by, obj=framework), "edit", by)
    return framework


NODE_FIELDS = ("code", "name", "points", "weight", "method", "source", "mapping", "params", "target", "cap", "criteria")


@transaction.atomic
def indicator_save(*, framework: Framework, data: dict, indicator: Indicator | None = None, by) -> Indicator:
    """Add a node (under `data["parent"]`, a node's code; empty for 一级) or change one, while the framework is a
    draft. `data` holds the import's columns (the same parsing and the same checks as an Excel import, on the
    whole framework as it would stand): a function that does not exist, a weight out of range, children whose
    points exceed their parent's, a leaf with children… are refused with the field named; nothing is written."""
    framework = _editable(framework, by)
    nodes = {n.pk: n for n in framework.indicators.all()}
    codes = {pk: n.code for pk, n in nodes.items()}
    if indicator is not None:
        if indicator.pk not in nodes:
            raise NotFound()
        indicator = nodes[indicator.pk]
        parent = nodes.get(indicator.parent_id)
    else:
        parent_code = clean_text(str(data.get("parent") or ""))
        parent = next((n for n in nodes.values() if n.code == parent_code), None) if parent_code else None
        if parent_code and parent is None:
            raise DomainError(f"上级指标“{parent_code}”不存在", field="parent")
    raw = {k: data.get(k) for k in NODE_FIELDS}
    raw["level"] = parent.level + 1 if parent else 1
    raw["parent"] = parent.code if parent else ""
    if not clean_text(str(raw.get("method") or "")):
        raise DomainError("请选择评分方式", field="method")
    spec, extra = _node(raw, None)
    others = [
        selectors.spec_of(n, parent_code=codes.get(n.parent_id, ""))
        for pk, n in nodes.items()
        if indicator is None or pk != indicator.pk
    ]
    if indicator is not None and spec.code != indicator.code:
        # children follow a renamed parent
        others = [o if o.parent != indicator.code else dataclasses.replace(o, parent=spec.code) for o in others]
    _draft_check(framework=framework, specs=[*others, spec])
    fields = {
        "code": spec.code,
        "name": spec.name,
        "level": spec.level,
        "points": spec.points,
        "weight": spec.weight,
        "method": spec.method,
        "source": spec.source if spec.method == "computed" else "",
        "cap": spec.cap,
        **extra,
    }
    if indicator is None:
        last = max((n.sort_order for n in nodes.values()), default=-1)
        indicator = Indicator.objects.create(framework=framework, parent=parent, sort_order=last + 1, **fields)
        log_operation(user=by, action="create", obj=framework, summary=f"新增指标 {spec.code} {spec.name}")
    else:
        for k, v in fields.items():
            setattr(indicator, k, v)
        indicator.save()
        log_operation(user=by, action="update", obj=framework, summary=f"修改指标 {spec.code} {spec.name}")
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by) -> int:
    """Remove a node and the nodes under it while the framework is a draft. Returns how many went."""
    framework = _editable(indicator.framework, by)
    nodes = list(framework.indicators.all())
    gone = {indicator.pk}
    changed = True
    while changed:
        changed = False
        for n in nodes:
            if n.parent_id in gone and n.pk not in gone:
                gone.add(n.pk)
                changed = True
    codes = {n.pk: n.code for n in nodes}
    _draft_check(
        framework=framework,
        specs=[selectors.spec_of(n, parent_code=codes.get(n.parent_id, "")) for n in nodes if n.pk not in gone],
    )
    Indicator.objects.filter(pk__in=gone).delete()
    log_operation(
        user=by,
        action="delete",
        obj=framework,
        summary=f"删除指标 {indicator.code} {indicator.name}（共 {len(gone)} 项）",
    )
    return len(gone)


def framework_complete_check(*, framework) -> None:
    """A run uses only a framework that holds completely (every point given out, every group with children)."""
    problems = rules.framework_problems(
        selectors.framework_specs(framework=framework),
        total=framework.total_points,
        known_sources=indicators.known_sources(),
        complete=True,
    )
    if problems:
        raise DomainError(f"指标体系尚未完成：{problems[0].message}", field="framework")


def params_text(n: Indicator) -> str:
    """换算参数 as written in the import (and the edit form)."""
    if n.mapping == "thresholds":
        return ";".join(f"{a}:{p}" for a, p in n.params.get("steps", []))
    if n.params:
        return f"{n.params.get('low', '')}-{n.params.get('high', '')}"
    return ""


def indicator_initial(n: Indicator) -> dict:
    """A node as the edit form (and the API) shows it."""
    return {
        "code": n.code,
        "name": n.name,
        "points": n.points,
        "weight": n.weight,
        "method": n.method,
        "source": n.source,
        "mapping": n.mapping,
        "params": params_text(n),
        "target": "" if n.target is None else n.target,
        "cap": "" if n.cap is None else n.cap,
        "criteria": n.criteria,
    }


def framework_rows(*, framework) -> list[list]:
    """The framework as spreadsheet rows (the same columns the import reads)."""
    from fazhi.assessment.scoring.selectors import framework_tree

    out = []
    for n in framework_tree(framework=framework):
        params = params_text(n)
        out.append(
            [
                n.code,
                n.level,
                n.parent.code if n.parent_id else "",
                n.name,
                n.points,
                n.weight,
                METHOD_LABELS.get(n.method, n.method),
                n.source,
                dict(Indicator.MAPPINGS).get(n.mapping, ""),
                params,
                n.target if n.target is not None else "",
                n.cap if n.cap is not None else "",
                n.criteria,
            ]
        )
    return out


# ---------------------------------------------------------------- runs


def _adjust_list(values, *, field: str, sign: int) -> list[str]:
    out = []
    for v in values:
        d = _decimal(v, field=field, where="名次加减分")
        if d * sign < 0:
            raise DomainError("前三名为加分、后三名为扣分，请检查符号", field=field)
        out.append(str(d))
    if len(out) > 5:
        raise DomainError("名次加减分最多5档", field=field)
    return out


@transaction.atomic
def run_create(
    *,
    framework: Framework,
    name: str,
    quarter: int | None = None,
    groups: dict[int, str] | None = None,
    appeal_days: int = rules.APPEAL_DAYS,
    top_adjust=None,
    bottom_adjust=None,
    by,
    now=None,
) -> AssessmentRun:
    """A new run of the framework's year (or a quarter of it) over the units in their groups; computed at once."""
    from fazhi.assessment.scoring.selectors import assessable_units, default_group, framework_leaves, period_of
    from fazhi.core.models import Unit

    _check(run_actions(user=by, obj=None), "create", by)
    name = clean_text(name or "")
    if not name:
        raise DomainError("名称不能为空", field="name")
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise DomainError("季度应为1至4", field="quarter")
    if not isinstance(appeal_days, int) or not 0 <= appeal_days <= 30:
        raise DomainError("申诉期限应为0至30个工作日", field="appeal_days")
    leaves = framework_leaves(framework=framework)
    if not leaves:
        raise DomainError("指标体系还没有指标，请先导入", field="framework")
    framework_complete_check(framework=framework)
    if groups is None:
        groups = {u.pk: g for u in assessable_units() if (g := default_group(u))}
    if not groups:
        raise DomainError("没有参加考核的单位", field="groups")
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(groups))}
    if len(units) != len(groups):
        raise DomainError("参加考核的单位不存在", field="groups")
    for uid, g in groups.items():
        if not clean_text(g or ""):
            raise DomainError(f"{units[uid].name}没有考核组", field="groups")
    start, end = period_of(year=framework.year, quarter=quarter)
    run = AssessmentRun.objects.create(
        framework=framework,
        year=framework.year,
        quarter=quarter,
        name=name[:100],
        period_start=start,
        period_end=end,
        appeal_days=appeal_days,
        top_adjust=_adjust_list(rules.TOP_ADJUST if top_adjust is None else top_adjust, field="top_adjust", sign=1),
        bottom_adjust=_adjust_list(
            rules.BOTTOM_ADJUST if bottom_adjust is None else bottom_adjust, field="bottom_adjust", sign=-1
        ),
        created_by=by if getattr(by, "pk", None) else None,
    )
    members = RunUnit.objects.bulk_create(
        [RunUnit(run=run, unit_id=uid, group=clean_text(g)[:40]) for uid, g in groups.items()]
    )
    # The computed figures go in with the rows (one INSERT), not as an UPDATE of every row afterwards.
    figures = _figures(run=run, inds=[i for i in leaves if i.method == "computed"])
    Score.objects.bulk_create(
        [
            Score(run=run, member=m, indicator=ind, **figures.get((m.unit_id, ind.pk), {}))
            for m in members
            for ind in leaves
        ],
        batch_size=2000,
    )
    run.computed_at = now or timezone.now()
    run.save(update_fields=["computed_at"])
    run_totals(run=run)
    log_operation(user=by, action="create", obj=run, summary=f"组织考核 {run.name}，{len(members)} 个单位")
    return run


def _figures(*, run: AssessmentRun, inds: list[Indicator]) -> dict[tuple[int, int], dict]:
    """(unit, indicator) -> the computed fields of its score: one pass per source over every unit of the run."""
    from fazhi.core.models import Unit

    assessed = set(run.members.values_list("unit_id", flat=True))
    paths = dict(Unit.objects.values_list("pk", "path"))
    data = indicators.compute(
        sorted({ind.source for ind in inds}), assessed=assessed, paths=paths, start=run.period_start, end=run.period_end
    )
    out: dict[tuple[int, int], dict] = {}
    for ind in inds:
        per_unit = data.get(ind.source)
        source = indicators.SOURCES.get(ind.source)
        for uid in assessed:
            if per_unit is None:
                out[(uid, ind.pk)] = {
                    "available": False,
                    "value": None,
                    "numerator": None,
                    "denominator": None,
                    "points": None,
                }
                continue
            pair = per_unit.get(uid)
            value = indicators.value_of(source, pair)
            out[(uid, ind.pk)] = {
                "available": True,
                "value": value,
                "numerator": int(pair[0]) if pair and source.kind == "rate" else None,
                "denominator": int(pair[1]) if pair else None,
                "points": rules.points_for(
                    value, points=ind.points, mapping=ind.mapping or "linear", params=ind.params
                ),
            }
    return out


@transaction.atomic
def run_compute(*, run: AssessmentRun, by, now=None) -> int:
    """Recompute every computed indicator for every unit of the run, keeping what assessors have scored by
    hand; then totals and ranks."""
    _check(run_actions(user=by, obj=run), "compute", by)
    run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
    if run.status != "computed":
        raise DomainError("考核结果已公布，不能重新计算", field="status")
    inds = list(run.framework.indicators.filter(method="computed"))
    figures = _figures(run=run, inds=inds)
    changed = []
    for score in run.scores.filter(indicator__method="computed").select_related("member"):
        fields = figures.get((score.member.unit_id, score.indicator_id))
        if fields is None:
            continue
        if score.reviewed_by_id is not None or score.reviewed_at is not None:
            fields = {k: v for k, v in fields.items() if k != "points"}
        for k, v in fields.items():
            setattr(score, k, v)
        changed.append(score)
    Score.objects.bulk_update(changed, ["available", "value", "numerator", "denominator", "points"], batch_size=500)
    run.computed_at = now or timezone.now()
    run.save(update_fields=["computed_at"])
    run_totals(run=run)
    return len(changed)


def run_totals(*, run: AssessmentRun) -> None:
    """Totals, veto, group ranks and the top / bottom adjustments, from the scores as they stand."""
    members = list(run.members.all())
    weights = selectors.framework_weights(framework_id=run.framework_id)
    per: dict[int, dict] = {m.pk: {"scored": [], "bonus": [], "deduction": [], "veto": False} for m in members}
    for s in run.scores.select_related("indicator").only(
        "member_id", "points", "indicator__method", "indicator__cap", "indicator__points"
    ):
        bucket = per[s.member_id]
        method = s.indicator.method
        weight = weights.get(s.indicator_id, rules.WEIGHT_DEFAULT)
        if method in rules.SCORED:
            bucket["scored"].append((s.points, weight))
        elif method in ("bonus", "deduction") and s.points:
            bucket[method].append((s.points, s.indicator.cap or s.indicator.points, weight))
        elif method == "veto" and s.points:
            bucket["veto"] = True
    for m in members:
        b = per[m.pk]
        m.total = rules.total_points(scored=b["scored"], bonus=b["bonus"], deduction=b["deduction"])
        m.vetoed = b["veto"]
    groups: dict[str, list[RunUnit]] = {}
    for m in members:
        groups.setdefault(m.group, []).append(m)
    for ms in groups.values():
        ranks = rules.rank_group([(m.pk, m.total, m.vetoed) for m in ms])
        adj = rules.adjustments(ranks, top=run.top_adjust, bottom=run.bottom_adjust)
        for m in ms:
            m.rank = ranks[m.pk]
            m.adjustment = adj[m.pk]
    RunUnit.objects.bulk_update(members, ["total", "vetoed", "rank", "adjustment"], batch_size=1000)


@transaction.atomic
def score_set(*, score: Score, points, note: str = "", evidence=None, by, now=None) -> Score:
    """An assessor's points for one figure (manual scoring, a correction, a bonus / deduction, a veto)."""
    run = AssessmentRun.objects.select_for_update().get(pk=score.run_id)
    score.member.run = run
    _check(member_actions(user=by, obj=score.member), "score", by)
    if run.status == "finalised":
        raise DomainError("考核已定档，不能再修改得分", field="points")
    ind = score.indicator
    value = _decimal(points, field="points", where="得分")
    if value < 0:
        raise DomainError("得分不能为负数", field="points")
    limit = ind.cap if ind.method in ("bonus", "deduction") and ind.cap is not None else ind.points
    if ind.method == "veto":
        value = Decimal(1) if value else Decimal(0)
    elif value > limit:
        raise DomainError(f"得分不能超过{limit}分", field="points")
    note = clean_text(note or "")[:500]
    if ind.method == "manual" and not note and evidence is None and score.evidence_id is None:
        raise DomainError("人工评分须写明评分说明或上传佐证材料", field="note")
    if evidence is not None:
        from fazhi.core.attachments import attachment_store

        score.evidence = attachment_store(file=evidence, by=by)
    score.points = value
    score.note = note
    score.reviewed_by = by if getattr(by, "pk", None) else None
    score.reviewed_at = now or timezone.now()
    score.save()
    run_totals(run=run)
    log_operation(user=by, action="update", obj=run, summary=f"{score.member.unit.name} {ind.code} 评分 {value}")
    return score


@transaction.atomic
def run_publish(*, run: AssessmentRun, by, today: dt.date | None = None) -> AssessmentRun:
    """Publish the reviewed scores to the units; the appeal period runs `appeal_days` working days from today."""
    from fazhi.workdays.calendar import add_working_days

    _check(run_actions(user=by, obj=run), "publish", by)
    run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
    if run.status != "computed":
        raise DomainError("只有计算完成、尚未公布的考核可以公布", field="status")
    missing = run.scores.filter(indicator__method="manual", points__isnull=True).count()
    if missing:
        raise DomainError(f"还有 {missing} 项人工评分指标未评分", field="status")
    today = today or timezone.localdate()
    run.status = "published"
    run.published_on = today
    run.appeal_until = add_working_days(today, run.appeal_days) if run.appeal_days else today
    run.save(update_fields=["status", "published_on", "appeal_until"])
    log_operation(user=by, action="publish", obj=run, summary=f"公布考核结果，申诉截止 {run.appeal_until}")
    return run


@transaction.atomic
def appeal_file(*, score: Score, reason: str, evidence=None, by, today: dt.date | None = None) -> Appeal:
    """A unit's 申诉 against one figure, within the appeal period of the run."""
    score.member.run = run = AssessmentRun.objects.get(pk=score.member.run_id)  # as it stands now
    _check(member_actions(user=by, obj=score.member), "appeal", by)
    today = today or timezone.localdate()
    if run.status != "published":
        raise DomainError("考核结果尚未公布或已定档，不能申诉", field="score")
    if not rules.appeal_open(today=today, until=run.appeal_until):
        raise DomainError(f"申诉期限已过（截至{run.appeal_until:%Y年%m月%d日}）", field="filed_on")
    reason = clean_text(reason or "")
    if len(reason) < 5:
        raise DomainError("请写明申诉理由（不少于5个字）", field="reason")
    if score.appeals.filter(status="open").exists():
        raise DomainError("该项已有待处理的申诉", field="score")
    attachment = None
    if evidence is not None:
        from fazhi.core.attachments import attachment_store

        attachment = attachment_store(file=evidence, by=by)
    appeal = Appeal.objects.create(
        score=score,
        reason=reason[:2000],
        evidence=attachment,
        filed_on=today,
        filed_by=by if getattr(by, "pk", None) else None,
    )
    log_operation(
        user=by, action="create", obj=appeal, summary=f"{score.member.unit.name} 对 {score.indicator.code} 申诉"
    )
    return appeal


@transaction.atomic
def appeal_answer(*, appeal: Appeal, upheld: bool, answer: str, points=None, by, now=None) -> Appeal:
    """The assessor's answer; an upheld appeal may correct the figure's points."""
    _check(run_actions(user=by, obj=appeal.score.run), "answer", by)
    if appeal.status != "open":
        raise DomainError("该申诉已处理", field="status")
    answer = clean_text(answer or "")
    if not answer:
        raise DomainError("请填写处理意见", field="answer")
    if upheld and points not in (None, ""):
        score_set(score=appeal.score, points=points, note=f"申诉成立：{answer}"[:500], by=None, now=now)
    appeal.status = "upheld" if upheld else "rejected"
    appeal.answer = answer[:2000]
    appeal.answered_by = by if getattr(by, "pk", None) else None
    appeal.answered_at = now or timezone.now()
    appeal.save()
    log_operation(user=by, action="update", obj=appeal, summary=f"申诉{'成立' if upheld else '不成立'}")
    return appeal


@transaction.atomic
def run_finalise(*, run: AssessmentRun, by, today: dt.date | None = None) -> AssessmentRun:
    """Close the run once its appeal period is over and every appeal is answered: final totals, ranks and
    adjustments, and the result notice as a 公文 (documents app)."""
    _check(run_actions(user=by, obj=run), "finalise", by)
    run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
    today = today or timezone.localdate()
    if run.status != "published":
        raise DomainError("只有已公布的考核可以定档", field="status")
    if rules.appeal_open(today=today, until=run.appeal_until):
        raise DomainError(f"申诉期尚未结束（截至{run.appeal_until:%Y年%m月%d日}）", field="appeal_until")
    open_n = Appeal.objects.filter(score__run=run, status="open").count()
    if open_n:
        raise DomainError(f"还有 {open_n} 件申诉未处理", field="appeals")
    run_totals(run=run)
    run.status = "finalised"
    run.finalised_at = timezone.now()
    run.notice_document = _notice(run=run, by=by, today=today)
    run.save(update_fields=["status", "finalised_at", "notice_document"])
    sent = notice_deliver(run=run)
    log_operation(user=by, action="finalise", obj=run, summary=f"考核定档 {run.name}，结果通报送达 {sent} 人")
    return run


def notice_deliver(*, run: AssessmentRun) -> int:
    """送达: each assessed unit's users who read or appeal its scores get an in-app notice of the result notice,
    with their own total and rank, a link to their unit's result page and the notice's download. Idempotent (one
    notice per user and run). Returns how many notices were new."""
    from django.conf import settings
    from django.urls import reverse

    from fazhi.core.services import notify
    from fazhi.tracking import reminders

    if run.notice_document_id is None:
        return 0
    doc = run.notice_document
    people = selectors.unit_people(
        unit_ids=list(run.members.values_list("unit_id", flat=True)), permissions=rules.NOTICE_PERMISSIONS
    )
    by_unit: dict[int, list] = {}
    for p in people:
        by_unit.setdefault(p.unit_id, []).append(p)
    notice_url = reverse("assessment:scoring:run_notice", args=[run.pk])
    sent = 0
    for m in run.members.select_related("unit"):
        recipients = by_unit.get(m.unit_id, [])
        if not recipients:
            continue
        adj = f"，目标考核{'加' if m.adjustment > 0 else '扣'}{abs(m.adjustment)}分" if m.adjustment else ""
        sent += notify(
            recipients=recipients,
            title=f"【{rules.NOTICE_DOC_TYPE}】{doc.number} {doc.title}"[:200],
            body=f"{m.unit.name}：{m.group}第{m.rank}名，{m.total}分{adj}。通报下载：{notice_url}",
            url=reverse("assessment:scoring:member_detail", args=[m.pk]),
            level="info",
            dedup_key=f"assessment:{run.pk}:notice",
        )
    if settings.FAZHI["EMAIL_ENABLED"]:
        transaction.on_commit(reminders.email_pending)
    return sent


def _notice(*, run: AssessmentRun, by, today: dt.date):
    """The result notice (考核结果通报) as a GB/T 9704 document with a ranking chart, numbered and stored."""
    from fazhi.core.models import Unit
    from fazhi.documents.charts import bar_chart
    from fazhi.documents.gongwen import Figure, Gongwen, gongwen_docx
    from fazhi.documents.services import document_store, number_take

    issuer = getattr(by, "unit", None) or Unit.objects.filter(kind="justice").order_by("path").first()
    number = (
        number_take(
            unit=issuer,
            doc_type=rules.NOTICE_DOC_TYPE,
            year=today.year,
            by=by,
            prefix=f"{(issuer.short_name or issuer.name)[:1]}{rules.NOTICE_PREFIX}",
            today=today,
        )
        if issuer
        else None
    )
    body = [
        f"根据{run.framework.name}，现将{run.name}结果通报如下。",
        "一、考核结果",
    ]
    figures = []
    for group in run.members.values_list("group", flat=True).distinct().order_by("group"):
        members = list(run.members.filter(group=group).select_related("unit").order_by("rank", "unit__sort_order"))
        body.append(f"（{'一二三四五六七八九'[len(figures) % 9]}）{group}")
        for m in members:
            adj = f"，目标考核{'加' if m.adjustment > 0 else '扣'}{abs(m.adjustment)}分" if m.adjustment else ""
            veto = "（一票否决）" if m.vetoed else ""
            body.append(f"第{m.rank}名 {m.unit.name}，{m.total}分{veto}{adj}。")
        png = bar_chart(
            [m.unit.short_name or m.unit.name for m in members], [float(m.total) for m in members], f"{group}得分"
        )
        figures.append(Figure(png=png, caption=f"{group}考核得分"))
        body.append(figures[-1])
    body += ["二、有关要求", f"{rules.ADJUST_SOURCE}。请各单位对照失分指标认真整改。"]
    spec = Gongwen(
        title=f"关于{run.name}结果的通报",
        body=body,
        issuer_mark=f"{issuer.name}文件" if issuer else "",
        number=number.text if number else "",
        recipients="各区县人民政府，市政府各部门",
        signature=issuer.name if issuer else "",
        date=today,
    )
    content = gongwen_docx(spec)
    return document_store(
        by=by if getattr(by, "pk", None) else None,
        title=spec.title,
        number=spec.number,
        content=content,
        filename=f"{run.name}结果通报.docx",
        object_kind="assessment_run",
        object_id=run.pk,
    )
