"""This area's part of SupervisionConfig.ready(): permissions, demo step, tracking kinds, periodic jobs."""

import datetime as dt


def _instrument_link(user, pk: int):
    """Link kind "instrument": an instrument resolved inside the viewer's scope (None: the system)."""
    from django.urls import reverse

    from fazhi.core.errors import NotFound
    from fazhi.supervision.instruments.models import Instrument
    from fazhi.supervision.instruments.selectors import instrument_get
    from fazhi.supervision.links import Linked

    if user is None:
        inst = Instrument.objects.filter(pk=pk).first()
        if inst is None:
            raise NotFound()
    else:
        inst = instrument_get(user=user, pk=pk)
    return Linked(
        "instrument",
        inst.pk,
        f"{inst.number or '（草稿）'} {inst.kind_label}：{inst.title}",
        reverse("supervision:instruments:instrument_detail", args=[inst.pk]),
        inst.recipient_id,
    )


def setup() -> None:
    from fazhi.core.demo.build import register_demo_step
    from fazhi.core.schedule import register_periodic
    from fazhi.supervision.instruments import tracking_kinds  # noqa: F401  (registers the item kind)
    from fazhi.supervision.instruments.permissions import register_permissions
    from fazhi.supervision.instruments.tasks import decisions_propose_task, risks_scan_task
    from fazhi.supervision.links import LinkKind, register_link_kind

    register_permissions()
    register_link_kind(LinkKind("instrument", "监督文书", _instrument_link))
    register_demo_step("fazhi.supervision.instruments.demo.build", order=62)
    register_periodic(decisions_propose_task, every=dt.timedelta(hours=1))
    register_periodic(risks_scan_task, every=dt.timedelta(hours=6))
