"""This area's part of LegalservicesConfig.ready(): permissions, the tracking kind of a list item, the roster
importer and the demo step."""


def _duty_items_visible(user):
    """A list item's 督办 item (its timeline, its files) follows the list's unit scope."""
    from django.db.models import Q

    from fazhi.core.scope import scope_q, user_data_scope
    from fazhi.legalservices.outreach.models import OutreachDutyItem

    if user_data_scope(user) == "self":
        return Q(pk__in=[])
    return Q(
        pk__in=OutreachDutyItem.objects.filter(scope_q(user, unit_field="duty_list__unit"), item__isnull=False).values(
            "item_id"
        )
    )


def setup() -> None:
    from fazhi.core.demo.build import register_demo_step
    from fazhi.core.imports import register
    from fazhi.legalservices.outreach.imports import LiterateImporter
    from fazhi.legalservices.outreach.permissions import register_permissions
    from fazhi.legalservices.outreach.tracking_kinds import OUTREACH_DUTY
    from fazhi.tracking.registry import register_visibility

    register_permissions()
    register(LiterateImporter())
    register_visibility(OUTREACH_DUTY.code, _duty_items_visible)
    register_demo_step("fazhi.legalservices.outreach.demo.build", order=78)
