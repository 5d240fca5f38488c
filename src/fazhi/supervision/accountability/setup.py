"""This area's part of SupervisionConfig.ready(): permissions, demo step, tracking kinds, the link kind
"investigation", the invited supervisors' duty source, and the receiver of `wrong_case_found`."""


def _investigation_link(user, pk: int):
    from fazhi.supervision.accountability.selectors import investigation_get, investigation_system_get
    from fazhi.supervision.links import Linked

    investigation = investigation_system_get(pk=pk) if user is None else investigation_get(user=user, pk=pk)
    from django.urls import reverse

    return Linked(
        "investigation",
        investigation.pk,
        f"专项监督调查：{investigation.title}",
        reverse("supervision:accountability:investigation_detail", args=[investigation.pk]),
        investigation.unit_id,
    )


def _investigator_rows(user):
    from fazhi.supervision.accountability.selectors import investigator_duty_rows

    return investigator_duty_rows(user)


def _investigator_done(user_ids, date_from, date_to):
    from fazhi.supervision.accountability.selectors import investigator_done_counts

    return investigator_done_counts(user_ids, date_from, date_to)


def _propose(sender, **kwargs):
    from fazhi.supervision.accountability.services import proposal_receive

    return proposal_receive(sender, **kwargs)


def setup() -> None:
    from fazhi.core.demo.build import register_demo_step
    from fazhi.supervision.accountability import tracking_kinds  # noqa: F401  (registers the item kinds)
    from fazhi.supervision.accountability.permissions import register_permissions
    from fazhi.supervision.duties import DutySource, register_duty_source
    from fazhi.supervision.links import LinkKind, register_link_kind
    from fazhi.supervision.signals import wrong_case_found

    register_permissions()
    register_link_kind(LinkKind("investigation", "专项监督调查", _investigation_link))
    register_duty_source(DutySource("investigation", "专项监督调查", _investigator_rows, _investigator_done))
    # Later apps (disputes: reconsideration, litigation) send the signal; this area never imports them.
    wrong_case_found.connect(_propose, weak=False, dispatch_uid="fazhi.supervision.accountability.proposal")
    register_demo_step("fazhi.supervision.accountability.demo.build", order=63)
