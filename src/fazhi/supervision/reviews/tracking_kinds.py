"""Kinds of 督办 item that case-file reviews open (imported by `setup.setup()`).

- `review_campaign`: a campaign, on its 评查完成期限; the organising unit runs it (review.manage);
- `review_file`: a sampled file, its reviewer's turn until it is final;
- `review_rectification`: the rectification an 评查意见 asks of an agency (review.rectify), signed off or returned by
  the supervisor (review.manage).
Each item follows the scope of the object it tracks.
"""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

REVIEW_CAMPAIGN = register(ItemKind("review_campaign", "案卷评查活动", "review.manage", "review.manage"))
REVIEW_FILE = register(ItemKind("review_file", "评查案卷", "review.score", "review.manage"))
REVIEW_RECTIFICATION = register(ItemKind("review_rectification", "案卷评查整改", "review.rectify", "review.manage"))


def _campaign_items(user) -> Q:
    from fazhi.supervision.reviews.models import Campaign
    from fazhi.supervision.reviews.selectors import campaign_visible_q

    return Q(pk__in=Campaign.objects.filter(campaign_visible_q(user)).values("item_id"))


def _file_items(user) -> Q:
    from fazhi.supervision.reviews.models import ReviewFile
    from fazhi.supervision.reviews.selectors import file_visible_q

    return Q(pk__in=ReviewFile.objects.filter(file_visible_q(user)).values("item_id"))


def _opinion_items(user) -> Q:
    from fazhi.supervision.reviews.models import ReviewOpinion
    from fazhi.supervision.reviews.selectors import opinion_visible_q

    return Q(pk__in=ReviewOpinion.objects.filter(opinion_visible_q(user)).values("item_id"))


register_visibility(REVIEW_CAMPAIGN.code, _campaign_items)
register_visibility(REVIEW_FILE.code, _file_items)
register_visibility(REVIEW_RECTIFICATION.code, _opinion_items)
