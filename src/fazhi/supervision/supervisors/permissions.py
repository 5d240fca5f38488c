"""Permissions of 特邀行政执法监督员: codes, menu, grants, and one `<entity>_actions` predicate per entity.

- `invited.view`: read campaigns, applications (masked), supervisors, their ledger (supervisors, leaders);
- `invited.manage`: recruit, review, publicise, appoint, assign duties, answer, review yearly, end a term
  (the supervisors of the organising unit);
- `invited.duty`: the invited supervisor's own page, recording his duties, sending opinions and problem reports.

Each predicate answers for an object already fetched inside the viewer's scope (selectors); the write actions
also require the object's unit inside a unit-wide scope, so a 本人-scope user never manages anything.
"""

import datetime as dt

from django.utils import timezone

from fazhi.core.permissions import MenuEntry, Permission, register

GROUP = "执法监督"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("invited.view", "查看特邀监督员招募、报名、聘任和履职台账", GROUP),
            Permission("invited.manage", "特邀监督员招募、资格初审、公示、聘任、分派观摩、考核和解聘", GROUP),
            Permission("invited.duty", "特邀监督员：我的监督工作、记录观摩、提交意见和问题反映", GROUP),
        ],
        menu=[
            MenuEntry("我的监督工作", "supervision:supervisors:mine", "invited.duty", GROUP),
            MenuEntry("特邀监督员招募", "supervision:supervisors:campaign_list", "invited.view", GROUP),
            MenuEntry("特邀监督员报名", "supervision:supervisors:application_list", "invited.view", GROUP),
            MenuEntry("特邀监督员名册", "supervision:supervisors:supervisor_list", "invited.view", GROUP),
            MenuEntry("观摩与检查", "supervision:supervisors:duty_list", "invited.view", GROUP),
            MenuEntry("意见与问题反映", "supervision:supervisors:submission_list", "invited.view", GROUP),
            MenuEntry("特邀监督员培训", "supervision:supervisors:training_list", "invited.view", GROUP),
            MenuEntry("特邀监督员履职台账", "supervision:supervisors:ledger", "invited.view", GROUP),
        ],
        grants={
            "supervisor": ["invited.view", "invited.manage"],
            "leader": ["invited.view"],
            "invited_supervisor": ["invited.duty"],
        },
    )


# ---------------------------------------------------------------- helpers


def _has(user, code: str) -> bool:
    from fazhi.core.scope import has_permission

    return has_permission(user, code)


def _in_scope(user, unit) -> bool:
    """The unit is one the user's unit-wide data scope reaches (core.scope.scope_q on one object)."""
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def _manager(user, unit) -> bool:
    """Manages the invited supervisors of this unit: invited.manage and the unit inside a unit-wide scope."""
    return _has(user, "invited.manage") and _in_scope(user, unit)


def _viewer(user, unit) -> bool:
    return _has(user, "invited.view") and _in_scope(user, unit)


def manages_some(user) -> bool:
    """A new object (a campaign, a training, a duty to assign): the user manages some unit's supervisors."""
    from fazhi.core.scope import user_data_scope

    return _has(user, "invited.manage") and user_data_scope(user) != "self" and bool(user.unit_id)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# ---------------------------------------------------------------- predicates


def campaign_actions(*, user, obj, today: dt.date | None = None) -> set[str]:
    """A recruitment campaign (`obj` None: the list, a new one)."""
    from fazhi.supervision.supervisors import rules

    if obj is None:
        return ({"view"} if _has(user, "invited.view") else set()) | ({"create"} if manages_some(user) else set())
    today = _today(today)
    actions = {"view"} if _viewer(user, obj.organiser) else set()
    if not _manager(user, obj.organiser):
        return actions
    actions.add("view")
    if obj.status == "draft":
        actions |= {"edit", "publish"}
    if obj.status == "open":
        actions |= {"enter", "publicity"}
    if rules.publicity_running(status=obj.status, start=obj.publicity_start, end=obj.publicity_end, today=today):
        actions.add("objection")
    if rules.publicity_over(status=obj.status, end=obj.publicity_end, today=today):
        actions.add("close")
    return actions


def application_actions(*, user, obj, today: dt.date | None = None) -> set[str]:
    from fazhi.supervision.supervisors import rules

    today = _today(today)
    campaign = obj.campaign
    unit = campaign.organiser
    actions = set()
    if _viewer(user, unit) or (obj.created_by_id and obj.created_by_id == user.pk and _has(user, "invited.view")):
        actions.add("view")
    if "view" in actions and _has(user, "personal.reveal"):
        actions.add("reveal")
    if not _manager(user, unit):
        return actions
    actions.add("view")
    if obj.status in rules.REVIEWABLE:
        actions.add("review")
    if obj.status in rules.INVITE_ANSWERABLE:
        actions.add("invite_reply")
    if obj.status in rules.APPOINTABLE:
        if rules.publicity_over(status=campaign.status, end=campaign.publicity_end, today=today):
            actions.add("appoint")
        if rules.publicity_running(
            status=campaign.status, start=campaign.publicity_start, end=campaign.publicity_end, today=today
        ):
            actions.add("objection")
    return actions


def objection_actions(*, user, obj) -> set[str]:
    unit = obj.campaign.organiser
    actions = {"view"} if _viewer(user, unit) else set()
    if _manager(user, unit):
        actions.add("view")
        if obj.status == "pending":
            actions.add("answer")
    return actions


def supervisor_actions(*, user, obj, today: dt.date | None = None) -> set[str]:
    """An appointed invited supervisor. He himself sees his own record (his page)."""
    from fazhi.supervision.supervisors import rules

    today = _today(today)
    actions = set()
    if _viewer(user, obj.unit) or (obj.user_id == user.pk and _has(user, "invited.duty")):
        actions.add("view")
    if _viewer(user, obj.unit) and _has(user, "personal.reveal"):
        actions.add("reveal")
    if not _manager(user, obj.unit):
        return actions
    actions |= {"view", "account"}
    if obj.status == "serving":
        actions |= {"review", "end"}
        if today >= obj.term_end:
            actions.add("expire")
        if rules.serving_on(status=obj.status, appointed_on=obj.appointed_on, term_end=obj.term_end, day=today):
            actions.add("assign")
    return actions


def duty_actions(*, user, obj, today: dt.date | None = None) -> set[str]:
    """A 现场观摩 / joined inspection: the staff see and cancel it; the invited supervisor it is given to records it."""
    from fazhi.supervision.supervisors import rules

    today = _today(today)
    sup = obj.supervisor
    own = sup.user_id == user.pk and _has(user, "invited.duty")
    actions = {"view"} if _viewer(user, sup.unit) or own else set()
    if (
        own
        and obj.status == "assigned"
        and rules.serving_on(status=sup.status, appointed_on=sup.appointed_on, term_end=sup.term_end, day=today)
    ):
        actions.add("record")
    if _manager(user, sup.unit):
        actions.add("view")
        if obj.status == "assigned":
            actions.add("cancel")
    return actions


def submission_actions(*, user, obj) -> set[str]:
    sup = obj.supervisor
    own = sup.user_id == user.pk and _has(user, "invited.duty")
    actions = {"view"} if _viewer(user, sup.unit) or own else set()
    if _manager(user, sup.unit):
        actions.add("view")
        if obj.kind == "opinion" and obj.answered_at is None:
            actions.add("answer")
    return actions


def training_actions(*, user, obj) -> set[str]:
    """A training session (`obj` None: the list, a new one)."""
    if obj is None:
        return ({"view"} if _has(user, "invited.view") else set()) | ({"create"} if manages_some(user) else set())
    actions = {"view"} if _viewer(user, obj.unit) else set()
    if _manager(user, obj.unit):
        actions |= {"view", "attend"}
    return actions


def my_actions(*, user, record, today: dt.date | None = None) -> set[str]:
    """The invited supervisor's own page: what he may do today (`record` his serving record, or None)."""
    from fazhi.supervision.supervisors import rules

    if record is None or record.user_id != user.pk or not _has(user, "invited.duty"):
        return set()
    actions = {"view"}
    if rules.serving_on(
        status=record.status, appointed_on=record.appointed_on, term_end=record.term_end, day=_today(today)
    ):
        actions |= {"record", "submit"}
    return actions
