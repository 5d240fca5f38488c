"""The figures a report draws from the domain apps: each metric counts records per unit for a period (system-wide,
one GROUP BY through the app's selectors) and lists the records behind a figure for a viewer (through the app's
scoped list selectors), so every figure of a report can be traced back. A metric whose app is not installed is
unavailable (None), never zero."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit_label: str  # 件、次、项
    counts: Callable[[dt.date, dt.date], dict[int, int]]  # (start, end) -> {unit_id: n}
    records: Callable[[object, str, dt.date, dt.date], list[tuple[str, str]]]  # (user, unit path, start, end)
    kinds: tuple[str, ...] = ("bulletin", "annual")  # the reports that show it
    monthly: bool = True  # False: a figure of the year (filings, training), no monthly series


RECORDS_MAX = 200
METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> Metric:
    METRICS[metric.code] = metric
    return metric


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


# ---------------------------------------------------------------- cases


def _cases_counts(start, end):
    from fazhi.cases.selectors import case_decided_counts

    return case_decided_counts(date_from=start, date_to=end)


def _cases_records(user, path, start, end):
    from fazhi.cases.selectors import case_list

    qs = (
        case_list(user=user)
        .filter(agency__unit__path__startswith=path, decided_on__gte=start, decided_on__lte=end)
        .order_by("decided_on", "id")[:RECORDS_MAX]
    )
    return [(f"{c.number} {c.title}", reverse("cases:case_detail", args=[c.pk])) for c in qs]


def _warnings_counts(start, end):
    from fazhi.cases.selectors import case_warning_counts

    return case_warning_counts(date_from=start, date_to=end)


def _warnings_records(user, path, start, end):
    from fazhi.cases.tracking_kinds import CASE_WARNING
    from fazhi.tracking.models import TrackedItem
    from fazhi.tracking.selectors import item_visible_q

    qs = (
        TrackedItem.objects.filter(item_visible_q(user), kind=CASE_WARNING.code, unit__path__startswith=path)
        .filter(start_date__gte=start, start_date__lte=end)
        .order_by("start_date", "id")[:RECORDS_MAX]
    )
    return [(i.title, reverse("tracking:item_detail", args=[i.pk])) for i in qs]


# ---------------------------------------------------------------- complaints


def _complaints_counts(start, end):
    from fazhi.complaints.selectors import complaint_counts_by_agency

    return complaint_counts_by_agency(date_from=start, date_to=end)


def _complaints_records(user, path, start, end):
    from fazhi.complaints.selectors import complaint_list

    qs = (
        complaint_list(user=user)
        .filter(agency__path__startswith=path, received_at__gte=_aware(start))
        .filter(received_at__lt=_aware(end + dt.timedelta(days=1)))
        .exclude(status__in=("merged", "out_of_scope"))
        .order_by("received_at", "id")[:RECORDS_MAX]
    )
    return [(f"投诉 {c}", reverse("complaints:detail", args=[c.pk])) for c in qs]


# ---------------------------------------------------------------- inspections


def _inspections_counts(start, end):
    from fazhi.inspections.selectors import inspection_counts_by_unit

    return inspection_counts_by_unit(date_from=start, date_to=end)


def _inspections_records(user, path, start, end):
    from fazhi.inspections.selectors import record_list

    qs = (
        record_list(user=user)
        .filter(agency__unit__path__startswith=path, inspected_on__gte=start, inspected_on__lte=end)
        .order_by("inspected_on", "id")[:RECORDS_MAX]
    )
    return [
        (f"{r.inspected_on:%Y-%m-%d} {r.enterprise}", reverse("inspections:record_detail", args=[r.pk])) for r in qs
    ]


# ---------------------------------------------------------------- disputes


def _reconsideration_counts(start, end):
    from fazhi.disputes.selectors import reconsideration_counts_by_respondent

    return reconsideration_counts_by_respondent(date_from=start, date_to=end)


def _reconsideration_records(user, path, start, end):
    from fazhi.disputes.selectors import reconsideration_list

    qs = (
        reconsideration_list(user=user)
        .filter(respondent_unit__path__startswith=path, received_on__gte=start, received_on__lte=end)
        .order_by("received_on", "id")[:RECORDS_MAX]
    )
    return [(f"行政复议 {r.pk}号", reverse("disputes:reconsideration_detail", args=[r.pk])) for r in qs]


# ---------------------------------------------------------------- 法治督察 (this app)


def _oversight_counts(start, end):
    from fazhi.assessment.oversight.models import OversightRectification

    # order_by(): with the model's ordering, DISTINCT would be over (unit, deadline, id), i.e. every row.
    ids = OversightRectification.objects.values_list("unit_id", flat=True).order_by().distinct()
    from fazhi.assessment.oversight.selectors import problem_counts_for_units

    return {u: due for u, (due, _) in problem_counts_for_units(unit_ids=list(ids), start=start, end=end).items()}


def _oversight_records(user, path, start, end):
    from fazhi.assessment.oversight.selectors import ledger

    qs = ledger(user=user).filter(Q(unit__path__startswith=path), deadline__gte=start, deadline__lte=end)[:RECORDS_MAX]
    return [
        (
            f"{r.unit.name}：{r.problem.description[:50]}（{r.get_status_display()}）",
            reverse("assessment:oversight:problem_detail", args=[r.pk]),
        )
        for r in qs
    ]


register_metric(Metric("cases", "行政处罚决定", "件", _cases_counts, _cases_records))
register_metric(Metric("case_warnings", "执法规则校验预警", "件", _warnings_counts, _warnings_records))
register_metric(Metric("complaints", "行政执法投诉举报", "件", _complaints_counts, _complaints_records))
register_metric(Metric("inspections", "涉企行政检查", "次", _inspections_counts, _inspections_records))
register_metric(Metric("reconsiderations", "行政复议申请", "件", _reconsideration_counts, _reconsideration_records))
register_metric(Metric("oversight", "到期督察整改事项", "项", _oversight_counts, _oversight_records))


# ---------------------------------------------------------------- litigation (disputes)


def _litigation_counts(start, end):
    from fazhi.disputes.selectors import litigation_counts_by_defendant

    return litigation_counts_by_defendant(date_from=start, date_to=end)


def _litigation_records(user, path, start, end):
    from fazhi.disputes.selectors import litigation_list

    qs = (
        litigation_list(user=user)
        .filter(defendant_unit__path__startswith=path, filed_on__gte=start, filed_on__lte=end)
        .order_by("filed_on", "id")[:RECORDS_MAX]
    )
    return [(f"{r.case_number} {r.court}", reverse("disputes:litigation_detail", args=[r.pk])) for r in qs]


# ---------------------------------------------------------------- requests (建议提案, 依申请公开)


def _replies(start, end, key: str, on_time: bool):
    from fazhi.requests.selectors import reply_figures_by_unit

    return {u: (k if on_time else n) for u, (k, n) in reply_figures_by_unit(date_from=start, date_to=end)[key].items()}


def _proposal_records(on_time: bool):
    def records(user, path, start, end):
        from fazhi.requests.selectors import proposal_list

        qs = proposal_list(user=user).filter(
            lead_unit__path__startswith=path, reply_deadline__gte=start, reply_deadline__lte=end
        )
        if on_time:
            qs = qs.filter(on_time=True)
        return [
            (f"{p.number} {p.title}", reverse("requests:proposal_detail", args=[p.pk]))
            for p in qs.order_by("reply_deadline", "id")[:RECORDS_MAX]
        ]

    return records


def _disclosure_records(on_time: bool):
    def records(user, path, start, end):
        from fazhi.requests.selectors import disclosure_list

        qs = disclosure_list(user=user).filter(
            agency__path__startswith=path, answered_on__gte=start, answered_on__lte=end
        )
        if on_time:
            qs = qs.filter(on_time=True)
        return [
            (f"政府信息公开申请 {r.tracking_code}", reverse("requests:disclosure_detail", args=[r.pk]))
            for r in qs.order_by("answered_on", "id")[:RECORDS_MAX]
        ]

    return records


# ---------------------------------------------------------------- rule-making (重大行政决策, 规范性文件)


def _decision_counts(start, end):
    from fazhi.rulemaking.selectors import decision_counts_by_unit

    return decision_counts_by_unit(date_from=start, date_to=end)


def _decision_records(user, path, start, end):
    from fazhi.rulemaking.selectors import decision_list

    qs = (
        decision_list(user=user)
        .filter(lead_unit__path__startswith=path, decided_on__gte=start, decided_on__lte=end)
        .order_by("decided_on", "id")[:RECORDS_MAX]
    )
    return [(f"重大行政决策：{d.title}", reverse("rulemaking:decision_detail", args=[d.pk])) for d in qs]


def _filing_counts(key: str):
    def counts(start, end):
        from fazhi.rulemaking.selectors import filing_figures_by_unit

        # Filings count in the year the document was published: the year the period ends in.
        return {u: k for u, (k, _) in filing_figures_by_unit(year=end.year)[key].items()}

    return counts


def _filing_records(timely: bool):
    def records(user, path, start, end):
        from django.db.models import F

        from fazhi.rulemaking.selectors import normative_list

        cond = {"filings__year": end.year, "filings__unit__path__startswith": path, "filings__filed_on__isnull": False}
        qs = normative_list(user=user).filter(**cond)
        if timely:
            qs = qs.filter(filings__filed_on__lte=F("filings__due_on"))
        return [
            (f"{d.number or ''} {d.title}".strip(), reverse("rulemaking:normative_detail", args=[d.pk]))
            for d in qs.distinct().order_by("id")[:RECORDS_MAX]
        ]

    return records


# ---------------------------------------------------------------- supervision (案卷评查, 监督文书)


def _review_counts(start, end):
    from fazhi.supervision.reviews.selectors import review_scores_by_unit

    return {r["unit_id"]: r["files"] for r in review_scores_by_unit(date_from=start, date_to=end)}


def _review_records(user, path, start, end):
    from fazhi.supervision.reviews.selectors import file_list

    qs = (
        file_list(user=user)
        .filter(
            status="final",
            campaign__status="published",
            campaign__published_on__gte=start,
            campaign__published_on__lte=end,
            agency__unit__path__startswith=path,
        )
        .order_by("campaign_id", "id")[:RECORDS_MAX]
    )
    return [
        (f"{f.campaign.name}：{f.case.number}（{f.score}分）", reverse("supervision:reviews:file_detail", args=[f.pk]))
        for f in qs
    ]


def _instrument_counts(on_time: bool):
    def counts(start, end):
        from fazhi.supervision.instruments.selectors import instrument_reply_stats

        return {
            r.unit_id: (r.replied_on_time if on_time else r.issued)
            for r in instrument_reply_stats(date_from=start, date_to=end, user=None, today=end)
        }

    return counts


def _instrument_records(on_time: bool):
    def records(user, path, start, end):
        from fazhi.supervision.instruments import rules as instrument_rules
        from fazhi.supervision.instruments.selectors import instrument_list

        qs = instrument_list(user=user).filter(
            needs_reply=True, recipient__path__startswith=path, issued_on__gte=start, issued_on__lte=end
        )
        if on_time:
            qs = qs.filter(status=instrument_rules.ACCEPTED, answered_on_time=True)
        return [
            (f"{i.number} {i.title}".strip(), reverse("supervision:instruments:instrument_detail", args=[i.pk]))
            for i in qs.order_by("issued_on", "id")[:RECORDS_MAX]
        ]

    return records


# ---------------------------------------------------------------- training (registry)


def _training_counts(key: str):
    def counts(start, end):
        from fazhi.registry.selectors import training_figures_by_unit

        return training_figures_by_unit(year=end.year)[key]

    return counts


def _training_records(passed: bool):
    def records(user, path, start, end):
        from fazhi.registry.selectors import officer_list

        cond = {"trainings__year": end.year, "agency__unit__path__startswith": path}
        if passed:
            cond["trainings__exam_passed"] = True
        qs = officer_list(user=user).filter(**cond).distinct().order_by("id")[:RECORDS_MAX]
        return [(f"{o.name}（{o.agency}）", reverse("registry:officer_detail", args=[o.pk])) for o in qs]

    return records


ANNUAL_ONLY = ("annual",)
register_metric(Metric("litigations", "行政诉讼案件", "件", _litigation_counts, _litigation_records))
register_metric(
    Metric("decisions", "重大行政决策（作出决定）", "件", _decision_counts, _decision_records, kinds=ANNUAL_ONLY)
)
register_metric(
    Metric(
        "normative_filed",
        "规范性文件报备",
        "件",
        _filing_counts("filed"),
        _filing_records(False),
        kinds=ANNUAL_ONLY,
        monthly=False,
    )
)
register_metric(
    Metric(
        "normative_timely",
        "规范性文件按期报备",
        "件",
        _filing_counts("timely"),
        _filing_records(True),
        kinds=ANNUAL_ONLY,
        monthly=False,
    )
)
register_metric(
    Metric(
        "proposals",
        "到期应答复的建议提案",
        "件",
        lambda s, e: _replies(s, e, "proposals", False),
        _proposal_records(False),
    )
)
register_metric(
    Metric(
        "proposals_on_time",
        "建议提案按期答复",
        "件",
        lambda s, e: _replies(s, e, "proposals", True),
        _proposal_records(True),
    )
)
register_metric(
    Metric(
        "disclosures",
        "办结政府信息公开申请",
        "件",
        lambda s, e: _replies(s, e, "disclosures", False),
        _disclosure_records(False),
    )
)
register_metric(
    Metric(
        "disclosures_on_time",
        "政府信息公开申请按期答复",
        "件",
        lambda s, e: _replies(s, e, "disclosures", True),
        _disclosure_records(True),
    )
)
register_metric(Metric("reviews", "评查行政执法案卷", "卷", _review_counts, _review_records))
register_metric(Metric("instruments", "需回复的监督文书", "件", _instrument_counts(False), _instrument_records(False)))
register_metric(
    Metric("instruments_on_time", "监督文书按期回复", "件", _instrument_counts(True), _instrument_records(True))
)
register_metric(
    Metric(
        "training_hours",
        "执法人员培训学时",
        "学时",
        _training_counts("hours"),
        _training_records(False),
        kinds=ANNUAL_ONLY,
        monthly=False,
    )
)
register_metric(
    Metric(
        "exams_passed",
        "执法人员年度考试合格",
        "人",
        _training_counts("passed"),
        _training_records(True),
        kinds=ANNUAL_ONLY,
        monthly=False,
    )
)


def metrics_for(kind: str) -> dict[str, Metric]:
    """The metrics a report of this kind shows, in registration order."""
    return {code: m for code, m in METRICS.items() if kind in m.kinds}


def metric_counts(code: str, start: dt.date, end: dt.date) -> dict[int, int] | None:
    """The metric's counts per unit, or None when its app is not available."""
    metric = METRICS[code]
    try:
        return metric.counts(start, end)
    except ImportError:
        return None


def subtree_sum(counts: dict[int, int], units, target) -> int:
    """The sum over `target` and the units under it (`units`: id -> path of every unit that has a count)."""
    prefix = target.path
    return sum(n for uid, n in counts.items() if units.get(uid, "").startswith(prefix))
