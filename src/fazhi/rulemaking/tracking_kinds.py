"""Kinds of 督办 item that 依法决策 opens (imported at start-up by `RulemakingConfig.ready`). Each item follows the
data scope of the object it tracks. While the Justice Bureau holds the item (legality review, handling an incidental
review) the item waits in "review", so that it appears in the reviewers' 我的待办; otherwise it is the unit's."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

MAJOR_DECISION = register(ItemKind("major_decision", "重大行政决策", "decision.manage", "decision.review"))
NORMATIVE_REVIEW = register(
    ItemKind("normative_review", "规范性文件合法性审核", "normative.manage", "normative.review")
)
NORMATIVE_FILING = register(ItemKind("normative_filing", "规范性文件备案", "normative.manage", "normative.review"))
INCIDENTAL_REVIEW = register(
    ItemKind("incidental_review", "规范性文件附带审查", "normative.manage", "normative.review")
)


def _decision_items(user) -> Q:
    from fazhi.rulemaking.models import MajorDecision
    from fazhi.rulemaking.selectors import decision_scope_q

    return Q(pk__in=MajorDecision.objects.filter(decision_scope_q(user)).values("item_id"))


def _normative_items(user) -> Q:
    from fazhi.rulemaking.models import NormativeDocument, NormativeItem
    from fazhi.rulemaking.selectors import normative_scope_q

    visible = NormativeDocument.objects.filter(normative_scope_q(user))
    return Q(pk__in=NormativeItem.objects.filter(document__in=visible).values("item_id"))


def _incidental_items(user) -> Q:
    from fazhi.rulemaking.models import IncidentalReview
    from fazhi.rulemaking.selectors import incidental_scope_q

    return Q(pk__in=IncidentalReview.objects.filter(incidental_scope_q(user)).values("item_id"))


register_visibility(MAJOR_DECISION.code, _decision_items)
register_visibility(NORMATIVE_REVIEW.code, _normative_items)
register_visibility(NORMATIVE_FILING.code, _normative_items)
register_visibility(INCIDENTAL_REVIEW.code, _incidental_items)
