"""The 督办 kind of a court referral (诉前调解): its period runs from the referral to the result returned to the court."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

COURT_REFERRAL = register(ItemKind("mediation_court", "诉前调解", "mediation.manage", "mediation.manage"))


def _visible(user) -> Q:
    from fazhi.legalservices.mediation.models import MediationCase
    from fazhi.legalservices.mediation.selectors import case_scope_q

    return Q(pk__in=MediationCase.objects.filter(case_scope_q(user), item__isnull=False).values("item_id"))


register_visibility(COURT_REFERRAL.code, _visible)
