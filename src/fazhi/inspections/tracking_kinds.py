"""Kinds of 督办 item that the inspections app opens (imported at start-up by `InspectionsConfig.ready`)."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

# An inspection result is published within 20 working days of being produced (国发〔2019〕5号); the item
# closes itself when the record is published, and turns yellow/red like every other deadline.
INSPECTION_PUBLICATION = register(
    ItemKind("inspection_publication", "检查结果公示", "inspection.manage", "inspection.manage")
)


def _record_items_visible(user) -> Q:
    """The publication item of an inspection record follows the record."""
    from fazhi.inspections.models import InspectionRecord
    from fazhi.inspections.selectors import record_scope_q

    return Q(pk__in=InspectionRecord.objects.filter(record_scope_q(user)).values("publication_item_id"))


register_visibility(INSPECTION_PUBLICATION.code, _record_items_visible)
