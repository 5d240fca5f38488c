"""Every write of 通报与年度报告. One transaction each.

季度通报: a draft for a quarter (by the worker after the quarter ends, or by hand) with each unit's key figures, the
assessment ranking (from the scoring area, when it has one), charts and the problems found; regenerating refreshes
the figures and every section nobody edited; publishing takes a 发文字号 and stores the 公文 (internal).
年度报告: a draft in five parts with the year's figures and charts; the unit edits and submits it, the Justice Bureau
approves or returns it, then publishes it on the portal. A department's report is a tracked item due 1 March.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment.reports import metrics, rules
from fazhi.assessment.reports.models import AssessmentReport, ReportFigure, ReportSection
from fazhi.assessment.reports.permissions import may_manage, report_actions
from fazhi.assessment.reports.tracking_kinds import ANNUAL_ITEM
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden
from fazhi.core.models import Unit, User

DOC_TYPE = "法治政府建设季度通报"


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _name(unit: Unit) -> str:
    return unit.short_name or unit.name


def _url(report: AssessmentReport) -> str:
    return reverse("assessment:reports:report_detail", args=[report.pk])


def bulletin_units(issuer: Unit) -> list[Unit]:
    """The units a bulletin reports on: the departments the issuer supervises at its level and the governments
    one level down (district and county governments)."""
    parent = issuer.parent
    qs = Unit.objects.filter(is_active=True, parent=parent).exclude(pk=issuer.pk)
    return list(qs.filter(kind__in=("agency", "government")).order_by("sort_order", "id"))


def annual_subject(unit: Unit) -> str:
    return rules.GOVERNMENT if unit.kind == "government" else rules.DEPARTMENT


# ---------------------------------------------------------------- figures


class _Counts:
    """Counts per metric and period, computed once per run (the worker drafts many reports in one go)."""

    def __init__(self):
        self.cache: dict = {}
        self.paths = dict(Unit.objects.values_list("pk", "path"))

    def get(self, code: str, start: dt.date, end: dt.date):
        key = (code, start, end)
        if key not in self.cache:
            self.cache[key] = metrics.metric_counts(code, start, end)
        return self.cache[key]

    def value(self, code: str, start: dt.date, end: dt.date, unit: Unit) -> int | None:
        counts = self.get(code, start, end)
        return None if counts is None else metrics.subtree_sum(counts, self.paths, unit)


def _months(year: int) -> list[tuple[int, dt.date, dt.date]]:
    out = []
    for m in range(1, 13):
        start = dt.date(year, m, 1)
        end = (dt.date(year + (m == 12), 1 if m == 12 else m + 1, 1)) - dt.timedelta(days=1)
        out.append((m, start, end))
    return out


def _figures(report: AssessmentReport, counts: _Counts) -> list[ReportFigure]:
    start, end = report.period_start, report.period_end
    root = report.unit.parent or report.unit if report.kind == rules.BULLETIN else report.unit
    rows = []
    per_unit = bulletin_units(report.unit) if report.kind == rules.BULLETIN else []
    if report.kind == rules.ANNUAL and annual_subject(report.unit) == rules.GOVERNMENT:
        per_unit = [
            u for u in Unit.objects.filter(parent=report.unit, is_active=True, kind__in=("agency", "government"))
        ]
    for code, metric in metrics.metrics_for(report.kind).items():
        rows.append(
            ReportFigure(
                report=report,
                metric=code,
                label=metric.label,
                period_start=start,
                period_end=end,
                value=counts.value(code, start, end, root),
            )
        )
        for u in per_unit:
            rows.append(
                ReportFigure(
                    report=report,
                    metric=code,
                    label=metric.label,
                    unit=u,
                    period_start=start,
                    period_end=end,
                    value=counts.value(code, start, end, u),
                )
            )
        if report.kind == rules.ANNUAL and metric.monthly:
            for m, ms, me in _months(report.year):
                rows.append(
                    ReportFigure(
                        report=report,
                        metric=code,
                        label=f"{metric.label}（{m}月）",
                        month=m,
                        period_start=ms,
                        period_end=me,
                        value=counts.value(code, ms, me, root),
                    )
                )
    ReportFigure.objects.filter(report=report).delete()
    return ReportFigure.objects.bulk_create(rows)


def _total_line(figures: list[ReportFigure]) -> str:
    parts = []
    for f in figures:
        if f.unit_id is None and f.month is None and f.value is not None:
            parts.append(f"{f.label}{f.value}{metrics.METRICS[f.metric].unit_label}")
    return "，".join(parts) if parts else "暂无可统计的数据"


# ---------------------------------------------------------------- section texts


def _ranking_text(year: int, quarter: int | None) -> str:
    try:
        from fazhi.assessment.scoring.selectors import unit_ranking
    except ImportError:
        return "暂无考核排名：考核评价模块尚未启用。"
    rows = unit_ranking(year=year, quarter=quarter)
    if not rows:
        return "暂无考核排名：本期尚未完成考核评价。"
    lines, group = [], None
    for r in rows:
        if r.get("group") != group:
            group = r.get("group")
            lines.append(f"（{'一二三四五六七八九十'[min(len([x for x in lines if x.startswith('（')]), 9)]}）{group}")
        lines.append(f"第{r['rank']}名：{r['unit_name']}，{r['score']}分。")
    return "\n".join(lines)


def _problems_text(report: AssessmentReport) -> str:
    from fazhi.assessment.oversight.models import OversightRectification

    overdue = (
        OversightRectification.objects.filter(deadline__lte=report.period_end)
        .exclude(signed_off_on__isnull=False, signed_off_on__lte=report.period_end)
        .filter(unit__path__startswith=(report.unit.parent or report.unit).path)
        .select_related("unit", "problem")
        .order_by("deadline", "id")
    )
    n = overdue.count()
    if not n:
        return "截至本期末，督察发现的问题均已按期整改销号。"
    lines = [
        f"截至{report.period_end.year}年{report.period_end.month}月{report.period_end.day}日，督察发现的问题中有{n}项逾期未销号："
    ]
    for i, r in enumerate(overdue[:20], start=1):
        lines.append(f"{i}．{_name(r.unit)}：{r.problem.description}（整改期限{r.deadline:%Y-%m-%d}）")
    if n > 20:
        lines.append(f"其余{n - 20}项见整改台账。")
    return "\n".join(lines)


def _bulletin_texts(report: AssessmentReport, figures: list[ReportFigure]) -> dict[str, str]:
    label = rules.quarter_label(report.year, report.quarter)
    by_unit: dict[int, list[ReportFigure]] = {}
    for f in figures:
        if f.unit_id is not None and f.month is None:
            by_unit.setdefault(f.unit_id, []).append(f)
    lines = []
    for _uid, cells in by_unit.items():
        parts = [f"{c.label}{c.value}{metrics.METRICS[c.metric].unit_label}" for c in cells if c.value is not None]
        lines.append(f"{_name(cells[0].unit)}：{'，'.join(parts) or '无数据'}。")
    return {
        "overview": f"{label}，全市{_total_line(figures)}。各单位数据由平台按业务记录自动统计，每个数字可追溯到具体记录。",
        "figures": "\n".join(lines) or "本期无数据。",
        "ranking": _ranking_text(report.year, report.quarter),
        "problems": _problems_text(report),
        "requirements": "各单位要对照本通报查找差距，逾期未整改的督察问题须在下季度内完成整改并报送佐证材料；"
        "执法规则校验预警较多的单位要开展案卷自查。本通报纳入年度法治政府建设考核。",
    }


def _annual_texts(report: AssessmentReport, figures: list[ReportFigure]) -> dict[str, str]:
    from fazhi.assessment.oversight.selectors import problem_counts_for_units

    unit = report.unit
    ids = list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    counts = problem_counts_for_units(unit_ids=ids, start=report.period_start, end=report.period_end)
    due = sum(d for d, _ in counts.values())
    done = sum(x for _, x in counts.values())
    return {
        "measures": f"{report.year}年，{unit.name}深入贯彻落实法治政府建设实施纲要，全面推进严格规范公正文明执法。"
        f"全年{_total_line(figures)}。\n（一）严格规范公正文明执法。（请补充具体举措和成效）\n（二）强化行政执法监督。（请补充）",
        "shortcomings": f"全年到期的法治督察整改事项{due}项，按期销号{done}项"
        f"{'，尚有' + str(due - done) + '项未按期完成整改' if due > done else ''}。"
        "（请补充存在的不足及其原因）",
        "leaders": "党政主要负责人切实履行推进法治建设第一责任人职责，（请补充专题研究法治建设、年终述法、学法等情况）",
        "plan": f"{report.year + 1}年，将重点做好以下工作：（请补充下一年度主要安排）",
        "other": "无。",
    }


def _write_sections(report: AssessmentReport, texts: dict[str, str], parts) -> None:
    existing = {s.key: s for s in report.sections.all()}
    for order, (key, title) in enumerate(parts, start=1):
        section = existing.get(key)
        if section is None:
            ReportSection.objects.create(report=report, key=key, order=order, title=title, text=texts[key])
        elif not section.edited:
            section.text = texts[key]
            section.save(update_fields=["text"])


# ---------------------------------------------------------------- generation


def bulletin_generate_check(
    *, by: User | None, issuer: Unit, year: int, quarter: int, today: dt.date | None = None, lock: bool = False
) -> AssessmentReport | None:
    """Why the quarter's bulletin cannot be drafted now (raised), else its existing draft or None. The page checks
    this before it hands the work to a job, so that a refusal comes back beside its field."""
    if by is not None:
        from fazhi.assessment.oversight.permissions import unit_in_scope

        if not (may_manage(by) and unit_in_scope(by, issuer)):
            raise Forbidden()
    if quarter not in (1, 2, 3, 4):
        raise DomainError("季度应为 1–4", field="quarter")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("年度无效", field="year")
    _, end = rules.quarter_range(year, quarter)
    if end >= _today(today):
        raise DomainError(f"{rules.quarter_label(year, quarter)}尚未结束，不能生成通报", field="quarter")
    reports = AssessmentReport.objects.select_for_update() if lock else AssessmentReport.objects
    report = reports.filter(kind=rules.BULLETIN, unit=issuer, year=year, quarter=quarter).first()
    if report is not None and report.status != rules.DRAFT:
        raise DomainError("本季度通报已发布，不能重新生成", field="status")
    return report


@transaction.atomic
def bulletin_generate(
    *, by: User | None, issuer: Unit, year: int, quarter: int, today: dt.date | None = None, counts=None, ip=None
) -> AssessmentReport:
    """Draft (or refresh the draft of) the quarter's bulletin. Idempotent: one per issuer and quarter; a published
    bulletin is never regenerated."""
    report = bulletin_generate_check(by=by, issuer=issuer, year=year, quarter=quarter, today=today, lock=True)
    start, end = rules.quarter_range(year, quarter)
    if report is None:
        report = AssessmentReport.objects.create(
            kind=rules.BULLETIN,
            unit=issuer,
            year=year,
            quarter=quarter,
            period_start=start,
            period_end=end,
            title=f"关于{rules.quarter_label(year, quarter)}法治政府建设情况的通报",
            created_by=by,
        )
    figures = _figures(report, counts or _Counts())
    _write_sections(report, _bulletin_texts(report, figures), rules.BULLETIN_PARTS)
    report.generated_at = timezone.now()
    report.save(update_fields=["generated_at"])
    log_operation(user=by, action="生成季度通报", obj=report, summary=report.title, ip=ip)
    return report


def annual_generate_check(
    *, by: User | None, unit: Unit, year: int, today: dt.date | None = None, lock: bool = False
) -> AssessmentReport | None:
    """Why a unit's annual report on `year` cannot be drafted now (raised), else its existing draft or None."""
    today = _today(today)
    if by is not None:
        from fazhi.assessment.oversight.permissions import unit_in_scope
        from fazhi.core.scope import has_permission

        own = has_permission(by, "report.edit") and by.unit_id == unit.pk
        if not (own or (may_manage(by) and unit_in_scope(by, unit))):
            raise Forbidden()
    if not isinstance(year, int) or not 2000 <= year <= today.year:
        raise DomainError("年度无效：只能为已开始的年度生成年度报告", field="year")
    reports = AssessmentReport.objects.select_for_update() if lock else AssessmentReport.objects
    report = reports.filter(kind=rules.ANNUAL, unit=unit, year=year).first()
    if report is not None and report.status not in rules.EDITABLE:
        raise DomainError("年度报告已提交审核或已发布，不能重新生成", field="status")
    return report


@transaction.atomic
def annual_generate(
    *, by: User | None, unit: Unit, year: int, today: dt.date | None = None, counts=None, ip=None
) -> AssessmentReport:
    """Draft (or refresh) a unit's annual report on `year`; a department's report is a tracked item due 1 March."""
    today = _today(today)
    report = annual_generate_check(by=by, unit=unit, year=year, today=today, lock=True)
    subject = annual_subject(unit)
    if report is None:
        report = AssessmentReport.objects.create(
            kind=rules.ANNUAL,
            subject=subject,
            unit=unit,
            year=year,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            title=f"{unit.name}{year}年法治政府建设年度报告",
            created_by=by,
        )
        if subject == rules.DEPARTMENT:
            from fazhi.tracking.services import item_open

            report.item = item_open(
                kind=ANNUAL_ITEM.code,
                title=report.title,
                unit=unit,
                by=by,
                start=min(today, rules.annual_deadline(year)),
                deadline=rules.annual_deadline(year),
                deadline_source=rules.ANNUAL_REPORT_SOURCE,
                url=_url(report),
            )
            report.save(update_fields=["item"])
    figures = _figures(report, counts or _Counts())
    _write_sections(report, _annual_texts(report, figures), rules.ANNUAL_PARTS)
    report.generated_at = timezone.now()
    report.save(update_fields=["generated_at"])
    log_operation(user=by, action="生成年度报告", obj=report, summary=report.title, ip=ip)
    return report


def _lock(report: AssessmentReport) -> AssessmentReport:
    return AssessmentReport.objects.select_for_update(of=("self",)).select_related("unit", "item").get(pk=report.pk)


def _gate(by, report, action: str, message: str, *, field: str = "status") -> None:
    if by is None:
        return
    if action in report_actions(user=by, obj=report):
        return
    from fazhi.assessment.oversight.permissions import unit_in_scope
    from fazhi.core.scope import has_permission

    manager = may_manage(by) and unit_in_scope(by, report.unit)
    own = has_permission(by, "report.edit") and by.unit_id == report.unit_id
    if action in ("approve", "return", "publish") and not manager:
        raise Forbidden()
    if action in ("edit", "submit", "regenerate") and not (manager or own):
        raise Forbidden()
    raise DomainError(message, field=field)


@transaction.atomic
def section_edit(*, by: User | None, report: AssessmentReport, key: str, text: str, ip=None) -> ReportSection:
    report = _lock(report)
    _gate(by, report, "edit", "报告已提交审核或已发布，不能修改")
    section = report.sections.filter(key=key).first()
    if section is None:
        raise DomainError(f"章节“{key}”不存在", field="key")
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(f"“{section.title}”的正文不能为空", field="text")
    if len(text) > rules.TEXT_MAX:
        raise DomainError(f"正文不能超过 {rules.TEXT_MAX} 字", field="text")
    section.text, section.edited, section.edited_by, section.edited_at = text, True, by, timezone.now()
    section.save(update_fields=["text", "edited", "edited_by", "edited_at"])
    log_operation(user=by, action="修改报告章节", obj=report, summary=section.title, ip=ip)
    return section


def regenerate_check(*, by: User | None, report: AssessmentReport) -> None:
    _gate(by, report, "regenerate", "报告已提交审核或已发布，不能重新生成")


def regenerate(*, by: User | None, report: AssessmentReport, today: dt.date | None = None, ip=None):
    regenerate_check(by=by, report=report)
    if report.kind == rules.BULLETIN:
        return bulletin_generate(
            by=by, issuer=report.unit, year=report.year, quarter=report.quarter, today=today, ip=ip
        )
    return annual_generate(by=by, unit=report.unit, year=report.year, today=today, ip=ip)


@transaction.atomic
def annual_submit(*, by: User | None, report: AssessmentReport, ip=None) -> AssessmentReport:
    report = _lock(report)
    if report.kind != rules.ANNUAL:
        raise DomainError("只有年度报告需要提交审核", field="kind")
    _gate(by, report, "submit", "报告不是草稿，不能提交审核")
    report.status, report.submitted_at = rules.REVIEW, timezone.now()
    report.save(update_fields=["status", "submitted_at"])
    if report.item_id:
        from fazhi.tracking.services import item_record

        item_record(
            item=report.item,
            by=by,
            action="submitted",
            label="提交审核",
            status="review",
            action_unit=report.unit.supervising_unit or report.unit,
        )
    log_operation(user=by, action="提交年度报告审核", obj=report, summary=report.title, ip=ip)
    return report


@transaction.atomic
def annual_approve(*, by: User | None, report: AssessmentReport, comment: str = "", ip=None) -> AssessmentReport:
    report = _lock(report)
    _gate(by, report, "approve", "报告未提交审核，不能批准")
    report.status, report.approved_by, report.approved_at = rules.APPROVED, by, timezone.now()
    report.review_comment = (comment or "").strip()[:1000]
    report.save(update_fields=["status", "approved_by", "approved_at", "review_comment"])
    if report.item_id:
        from fazhi.tracking.services import item_annotate

        item_annotate(item=report.item, by=by, action="approved", label="审核批准", comment=report.review_comment)
    log_operation(user=by, action="批准年度报告", obj=report, summary=report.title, ip=ip)
    return report


@transaction.atomic
def annual_return(*, by: User | None, report: AssessmentReport, reason: str, ip=None) -> AssessmentReport:
    report = _lock(report)
    _gate(by, report, "return", "报告未提交审核，不能退回")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("退回理由不能为空", field="reason")
    report.status, report.review_comment = rules.DRAFT, reason[:1000]
    report.save(update_fields=["status", "review_comment"])
    if report.item_id:
        from fazhi.tracking.services import item_record

        item_record(
            item=report.item,
            by=by,
            action="returned",
            label="退回修改",
            comment=reason,
            status="returned",
            action_unit=report.unit,
        )
    log_operation(user=by, action="退回年度报告", obj=report, summary=reason[:100], ip=ip)
    return report


@transaction.atomic
def report_publish(
    *, by: User | None, report: AssessmentReport, today: dt.date | None = None, prefix: str = "", ip=None
) -> AssessmentReport:
    """A bulletin: take its 发文字号, store the 公文, publish internally. An annual report: only once approved; store the
    document, publish on the portal and close the 1 March item."""
    from fazhi.assessment.reports.documents import report_docx
    from fazhi.documents.services import document_store, number_take

    report = _lock(report)
    today = _today(today)
    if report.kind == rules.ANNUAL:
        why = rules.publish_problem(report.status)
        _gate(by, report, "publish", why or "不能发布")  # a manager is told why; anyone else is refused
        if why:
            raise DomainError(why, field="status")
    else:
        _gate(by, report, "publish", "通报已发布")
        if report.status != rules.DRAFT:
            raise DomainError("通报已发布", field="status")
        number = number_take(
            unit=report.unit,
            doc_type=DOC_TYPE,
            year=today.year,
            by=by,
            prefix=prefix or _prefix(report.unit),
            today=today,
        )
        report.number = number.text
    content = report_docx(report, date=today)
    document = document_store(
        by=by,
        item=report.item,
        title=report.title,
        number=report.number,
        content=content,
        filename=f"{report.title}.docx",
        object_kind="assessment_report",
        object_id=report.pk,
    )
    report.document, report.status, report.published_by, report.published_on = document, rules.PUBLISHED, by, today
    report.save(update_fields=["document", "status", "published_by", "published_on", "number"])
    if report.item_id and report.item.status != "closed":
        from fazhi.tracking.services import item_close

        item_close(item=report.item, by=by, label="报告已发布", closed_on=today)
        report.item.refresh_from_db()
    log_operation(user=by, action="发布报告", obj=report, summary=report.title, ip=ip)
    return report


def _prefix(unit: Unit) -> str:
    """A 发文机关代字 for a first register (a bureau sets its own on the 发文字号 page): 示例市司法局 → 示司通."""
    name = unit.name
    return f"{name[0]}司通" if "司法" in name else f"{name[0]}法通"
