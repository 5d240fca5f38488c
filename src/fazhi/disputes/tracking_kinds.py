"""Kinds of 督办 item the disputes app opens (imported at start-up by `DisputesConfig.ready`). Each item follows
the scope of the record it tracks."""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

# The 行政复议机构 reviews, accepts and decides on the case's clocks (受理审查, 补正, 发送副本, 复议决定).
RECONSIDERATION = register(ItemKind("reconsideration", "行政复议", "reconsideration.manage", "reconsideration.manage"))
# The respondent answers within 10 (simple: 5) working days of receiving the copy (第四十八条、第五十四条).
RECONSIDERATION_ANSWER = register(
    ItemKind("reconsideration_answer", "行政复议答复", "reconsideration.answer", "reconsideration.manage")
)
# The agency reports its correction within 60 days of receiving a 行政复议意见书 (第七十六条).
OPINION = register(
    ItemKind("reconsideration_opinion", "行政复议意见书", "reconsideration.answer", "reconsideration.manage")
)
# 附带审查 of a normative document (第五十六条至第六十条).
NORMATIVE_REVIEW = register(
    ItemKind("normative_review", "规范性文件附带审查", "reconsideration.manage", "reconsideration.manage")
)
# The defendant's 答辩 (15 days), appeal periods (15 / 10 days).
LITIGATION = register(ItemKind("litigation", "行政应诉", "litigation.manage", "litigation.manage"))
# The reply to a 司法建议 / 检察建议.
SUGGESTION = register(ItemKind("suggestion", "司法建议和检察建议", "suggestion.manage", "suggestion.manage"))


def _visible(model_name: str, scope_fn: str, fields: tuple[str, ...]):
    def visible(user) -> Q:
        from fazhi.disputes import models, selectors

        model = getattr(models, model_name)
        rows = model.objects.filter(getattr(selectors, scope_fn)(user))
        q = Q(pk__in=[])
        for f in fields:
            q |= Q(pk__in=rows.values(f))
        return q

    return visible


register_visibility(RECONSIDERATION.code, _visible("Reconsideration", "reconsideration_scope_q", ("item_id",)))
register_visibility(
    RECONSIDERATION_ANSWER.code, _visible("Reconsideration", "reconsideration_scope_q", ("answer_item_id",))
)
register_visibility(OPINION.code, _visible("OpinionLetter", "opinion_scope_q", ("item_id",)))
register_visibility(NORMATIVE_REVIEW.code, _visible("NormativeReview", "normative_scope_q", ("item_id",)))
register_visibility(LITIGATION.code, _visible("Litigation", "litigation_scope_q", ("item_id",)))
register_visibility(SUGGESTION.code, _visible("Suggestion", "suggestion_scope_q", ("item_id",)))
