"""This area's part of SupervisionConfig.ready(): permissions, demo step, tracking kinds, periodic jobs, and the
link kind "inspection_record" (a 现场观摩 or a joined inspection points to an inspection record)."""

import datetime as dt

from django.urls import reverse

DEMO_ORDER = 60


def _inspection_record(user, pk: int):
    """An inspection record, resolved through the inspections selectors in the viewer's scope (None: the system)."""
    from fazhi.core.errors import NotFound
    from fazhi.inspections.models import InspectionRecord
    from fazhi.inspections.selectors import record_get
    from fazhi.supervision.links import Linked

    if user is None:
        record = InspectionRecord.objects.select_related("enterprise", "agency__unit").filter(pk=pk).first()
        if record is None:
            raise NotFound()
    else:
        record = record_get(user=user, pk=pk)
    return Linked(
        "inspection_record",
        record.pk,
        f"{record.inspected_on:%Y-%m-%d} {record.agency.unit} 检查 {record.enterprise.name}",
        reverse("inspections:record_detail", args=[record.pk]),
        record.agency.unit_id,
    )


def setup() -> None:
    from fazhi.core.demo.build import register_demo_step
    from fazhi.core.schedule import register_periodic
    from fazhi.supervision.links import LinkKind, register_link_kind
    from fazhi.supervision.supervisors import tracking_kinds  # noqa: F401  (registers the item kinds)
    from fazhi.supervision.supervisors.permissions import register_permissions
    from fazhi.supervision.supervisors.tasks import term_expiry_scan_task

    register_permissions()
    register_link_kind(LinkKind("inspection_record", "涉企检查记录", _inspection_record))
    register_demo_step("fazhi.supervision.supervisors.demo.build", order=DEMO_ORDER)
    register_periodic(term_expiry_scan_task, every=dt.timedelta(hours=6))
