"""The 督办 kind of a department's annual report (due 1 March), imported by `setup.setup()`."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

ANNUAL_ITEM = register(ItemKind("annual_report", "法治政府建设年度报告", "report.edit", "report.manage"))


def _visible(user) -> Q:
    from fazhi.assessment.reports.models import AssessmentReport
    from fazhi.assessment.reports.selectors import report_scope_q

    return Q(pk__in=AssessmentReport.objects.filter(report_scope_q(user), item__isnull=False).values("item_id"))


register_visibility(ANNUAL_ITEM.code, _visible)
