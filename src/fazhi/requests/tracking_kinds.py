"""Kinds of 督办 item that the requests app opens (imported at start-up by `RequestsConfig.ready`)."""

from django.db.models import Q

from fazhi.tracking.registry import DeskSection, ItemKind, register, register_desk_section, register_visibility

# The lead unit's handling of a suggestion or proposal (reply within 3 months of 交办), a co-unit's view (1 month),
# a new reply after a dissatisfied rating (1 month). The assigning body (proposal.manage) reviews nothing in the
# item itself; its decisions (returns, extensions) are actions on the proposal.
PROPOSAL = register(ItemKind("proposal", "建议提案办理", "proposal.reply", "proposal.manage"))
PROPOSAL_CO = register(ItemKind("proposal_co", "建议提案协办", "proposal.reply", "proposal.manage"))
# A disclosure request's answer (20 working days of 第三十三条, with its pauses, restart and extension).
DISCLOSURE = register(
    ItemKind("disclosure_request", "依申请公开", "disclosure_request.handle", "disclosure_request.handle")
)


def _proposal_items_visible(user) -> Q:
    """Every item of a proposal (handling, co-units' views, re-reply) follows the proposal."""
    from fazhi.requests.models import Proposal
    from fazhi.requests.selectors import proposal_scope_q

    through = Proposal.items.through
    return Q(
        pk__in=through.objects.filter(proposal__in=Proposal.objects.filter(proposal_scope_q(user))).values(
            "trackeditem_id"
        )
    )


def _disclosure_items_visible(user) -> Q:
    from fazhi.requests.models import DisclosureRequest
    from fazhi.requests.selectors import disclosure_scope_q

    return Q(pk__in=DisclosureRequest.objects.filter(disclosure_scope_q(user)).values("item_id"))


register_visibility(PROPOSAL.code, _proposal_items_visible)
register_visibility(PROPOSAL_CO.code, _proposal_items_visible)
register_visibility(DISCLOSURE.code, _disclosure_items_visible)


def _confirmation_rows(user, today):
    from fazhi.requests.selectors import confirmation_queue

    return confirmation_queue(user, today)


# Online requests from the portal wait for the agency's confirmation (第三十一条第三项: the day both sides confirm
# is the day of receipt); the desk lists them for those who handle requests.
register_desk_section(DeskSection("disclosure_unconfirmed", "待确认的信息公开申请", _confirmation_rows))


def _decision_rows(user, today):
    from fazhi.requests.selectors import decision_queue

    return decision_queue(user, today)


# The assigning body's desk lists the returns and extensions waiting for its decision.
register_desk_section(DeskSection("proposal_decisions", "待决定的建议提案退回、延期申请", _decision_rows))
