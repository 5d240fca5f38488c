"""Kinds of 督办 item of the invited supervisors (registered from setup.setup()). Each follows its object's scope.

All of them are the organising unit's to act on (invited.manage): the campaign to its end, the 资格初审 of an
application, the write-up of an assigned 现场观摩 (the staff follow it up; the invited supervisor sees it on his
own page), the answer to an opinion, and the term that is about to expire.
"""

from django.db.models import Q

from fazhi.tracking.registry import ItemKind, register, register_visibility

CAMPAIGN = register(ItemKind("invited_campaign", "特邀监督员招募", "invited.manage", "invited.manage"))
APPLICATION = register(ItemKind("invited_application", "特邀监督员资格初审", "invited.manage", "invited.manage"))
DUTY = register(ItemKind("invited_duty", "特邀监督员观摩记录", "invited.manage", "invited.manage"))
OPINION = register(ItemKind("invited_opinion", "特邀监督员意见答复", "invited.manage", "invited.manage"))
TERM = register(ItemKind("invited_term", "特邀监督员聘期届满", "invited.manage", "invited.manage"))


def _campaigns(user) -> Q:
    from fazhi.supervision.supervisors.models import RecruitmentCampaign
    from fazhi.supervision.supervisors.selectors import campaign_scope_q

    return Q(pk__in=RecruitmentCampaign.objects.filter(campaign_scope_q(user)).values("item_id"))


def _applications(user) -> Q:
    from fazhi.supervision.supervisors.models import Application
    from fazhi.supervision.supervisors.selectors import application_scope_q

    return Q(pk__in=Application.objects.filter(application_scope_q(user)).values("item_id"))


def _duties(user) -> Q:
    from fazhi.supervision.supervisors.models import Duty
    from fazhi.supervision.supervisors.selectors import duty_scope_q

    return Q(pk__in=Duty.objects.filter(duty_scope_q(user)).values("item_id"))


def _opinions(user) -> Q:
    from fazhi.supervision.supervisors.models import Submission
    from fazhi.supervision.supervisors.selectors import submission_scope_q

    return Q(pk__in=Submission.objects.filter(submission_scope_q(user)).values("item_id"))


def _terms(user) -> Q:
    from fazhi.supervision.supervisors.models import InvitedSupervisor
    from fazhi.supervision.supervisors.selectors import supervisor_scope_q

    return Q(pk__in=InvitedSupervisor.objects.filter(supervisor_scope_q(user)).values("expiry_item_id"))


register_visibility(CAMPAIGN.code, _campaigns)
register_visibility(APPLICATION.code, _applications)
register_visibility(DUTY.code, _duties)
register_visibility(OPINION.code, _opinions)
register_visibility(TERM.code, _terms)
