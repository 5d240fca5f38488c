"""The 督办 kinds of this area (imported by setup.setup()). Each item follows the data scope of its object."""

from fazhi.tracking.registry import DeskSection, ItemKind, register, register_desk_section, register_visibility

# The supervisor conducts and concludes the investigation on its deadline.
INVESTIGATION = register(ItemKind("investigation", "专项监督调查", "investigation.manage", "investigation.manage"))
# A proposal waits for the supervisor to open a record or dismiss it.
PROPOSAL = register(ItemKind("accountability_proposal", "追责建议", "accountability.manage", "accountability.manage"))
# An accountability record runs from its opening to the decision.
RECORD = register(ItemKind("accountability", "错案责任追究", "accountability.manage", "accountability.manage"))
# A chosen typical case runs from its choice to its publication (withdrawal is annotated after).
TYPICAL = register(ItemKind("typical_case", "典型案例通报", "accountability.manage", "accountability.manage"))


def _investigations(user):
    from fazhi.supervision.accountability.selectors import investigation_items_q

    return investigation_items_q(user)


def _proposals(user):
    from fazhi.supervision.accountability.selectors import proposal_items_q

    return proposal_items_q(user)


def _records(user):
    from fazhi.supervision.accountability.selectors import record_items_q

    return record_items_q(user)


def _typical(user):
    from fazhi.supervision.accountability.selectors import typical_items_q

    return typical_items_q(user)


register_visibility(INVESTIGATION.code, _investigations)
register_visibility(PROPOSAL.code, _proposals)
register_visibility(RECORD.code, _records)
register_visibility(TYPICAL.code, _typical)


def _referrals_due(user, today):
    from fazhi.supervision.accountability.selectors import referrals_due

    return referrals_due(user, today)


# The supervisor's desk: referrals to 纪检监察 whose follow-up is due, until the organ's result is recorded.
register_desk_section(DeskSection("accountability_referrals", "移送纪检监察待跟踪", _referrals_due))
