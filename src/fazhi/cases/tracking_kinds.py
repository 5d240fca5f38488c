"""Kinds of 督办 item that penalty cases open (imported at start-up by `CasesConfig.ready`)."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

# An open penalty case: handled by the agency's officers (case.handle) on the 90-day limit of 第六十条.
CASE = register(ItemKind("case", "行政处罚案件", "case.handle", "case.supervise"))
# A statutory check of a case found an error: the agency corrects it, the Justice Bureau supervises.
CASE_WARNING = register(ItemKind("case_warning", "风险预警", "case.handle", "case.supervise"))
# After the decision the case's own item closes and each later statutory clock is an item of its own:
# 送达 within 7 working days (第六十一条), then 公示 within 7 working days of the decision (国办发〔2018〕118号).
CASE_SERVICE = register(ItemKind("case_service", "处罚决定送达", "case.handle", "case.supervise"))
CASE_DISCLOSURE = register(ItemKind("case_disclosure", "处罚决定公示", "case.handle", "case.supervise"))


def _case_items_visible(user) -> Q:
    """A case's items (its 90-day limit, service, disclosure, warnings) follow the case: 本人 — his own cases."""
    from fazhi.cases.models import Case
    from fazhi.cases.selectors import case_scope_q

    visible = Case.objects.filter(case_scope_q(user))
    q = Q()
    for field in ("item_id", "service_item_id", "disclosure_item_id", "warning_item_id"):
        q |= Q(pk__in=visible.values(field))
    return q


for _kind in (CASE, CASE_WARNING, CASE_SERVICE, CASE_DISCLOSURE):
    register_visibility(_kind.code, _case_items_visible)
