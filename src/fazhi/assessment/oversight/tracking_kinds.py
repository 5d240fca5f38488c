"""The 督办 kind a rectification is tracked as (imported by `setup.setup()`)."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

# The responsible unit's legal officer (oversight.rectify) reports and hands in; the supervisor (oversight.manage)
# signs off or returns while the item waits in "review". Lights and reminders come from the tracking core.
RECTIFICATION = register(ItemKind("oversight_rectification", "督察问题整改", "oversight.rectify", "oversight.manage"))


def _visible(user) -> Q:
    from fazhi.assessment.oversight.models import OversightRectification
    from fazhi.assessment.oversight.selectors import rectification_scope_q

    return Q(
        pk__in=OversightRectification.objects.filter(rectification_scope_q(user), item__isnull=False).values("item_id")
    )


register_visibility(RECTIFICATION.code, _visible)
