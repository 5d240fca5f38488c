"""The 督办 kind of a legal-opinion request: due on the requester's deadline, closed by the 法律意见书."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

LEGAL_OPINION = register(ItemKind("legal_opinion", "法律意见", "adviser.manage", "adviser.manage"))


def _visible(user) -> Q:
    from fazhi.legalservices.advisers.models import LegalOpinion
    from fazhi.legalservices.advisers.selectors import opinion_scope_q

    return Q(pk__in=LegalOpinion.objects.filter(opinion_scope_q(user), item__isnull=False).values("item_id"))


register_visibility(LEGAL_OPINION.code, _visible)
