"""Records a supervision record stems from or points to: a penalty case, a complaint or clue, a review file, an
instrument… Each kind registers how to resolve an id *for a viewer*, so a link is shown and followed only inside
the viewer's data scope, and an area never reaches into another app's models.

Kinds of other apps are registered here (cases, complaints); each supervision area registers its own in its
`setup.setup()` ("review_file", "instrument", "investigation" …).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from fazhi.core.errors import DomainError, NotFound


@dataclass(frozen=True)
class Linked:
    kind: str
    id: int
    label: str  # Chinese, one line: "市监罚〔2026〕12号 销售过期食品"
    url: str
    unit_id: int | None  # the unit that answers for the record (an agency's unit), when it has one


@dataclass(frozen=True)
class LinkKind:
    code: str
    label: str  # "行政处罚案件"
    # resolve(user, pk) -> Linked; raises NotFound when the record does not exist or the user may not see it.
    # user None: the system (no scope).
    resolve: Callable[[object, int], Linked]


LINK_KINDS: dict[str, LinkKind] = {}


def register_link_kind(kind: LinkKind) -> LinkKind:
    LINK_KINDS[kind.code] = kind
    return kind


def link_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in LINK_KINDS.values()]


def link_resolve(*, user, kind: str, pk, field: str = "basis") -> Linked:
    """The linked record for a form or API input: an unknown kind, a bad id or a record outside the viewer's
    scope is a DomainError on `field` (the input is wrong), never a hint that the record exists."""
    link_kind = LINK_KINDS.get(kind or "")
    if link_kind is None:
        raise DomainError(f"关联对象类型“{kind}”无效", field=f"{field}_kind")
    try:
        return link_kind.resolve(user, int(pk))
    except (NotFound, TypeError, ValueError):
        raise DomainError(f"{link_kind.label}“{pk}”不存在或无权查看", field=f"{field}_id") from None


def link_label(*, user, kind: str, pk) -> Linked | None:
    """For display: the link if the viewer may see it, else None (the page shows the kind only)."""
    link_kind = LINK_KINDS.get(kind or "")
    if link_kind is None or pk is None:
        return None
    try:
        return link_kind.resolve(user, int(pk))
    except NotFound:
        return None


# ---------------------------------------------------------------- kinds of other apps


def _case(user, pk: int) -> Linked:
    from fazhi.cases.models import Case
    from fazhi.cases.selectors import case_get

    if user is None:
        case = Case.objects.select_related("agency").filter(pk=pk).first()
        if case is None:
            raise NotFound()
    else:
        case = case_get(user=user, pk=pk)
    return Linked(
        "case",
        case.pk,
        f"{case.number} {case.title}",
        reverse("cases:case_detail", args=[case.pk]),
        case.agency.unit_id,
    )


def _complaint(user, pk: int) -> Linked:
    from fazhi.complaints.models import Complaint
    from fazhi.complaints.selectors import complaint_get

    if user is None:
        complaint = Complaint.objects.filter(pk=pk).first()
        if complaint is None:
            raise NotFound()
    else:
        complaint = complaint_get(user=user, pk=pk)
    prefix = "问题线索" if complaint.channel == "clue" else "投诉"
    return Linked(
        "complaint",
        complaint.pk,
        f"{prefix} {complaint}",
        reverse("complaints:detail", args=[complaint.pk]),
        complaint.agency_id,
    )


register_link_kind(LinkKind("case", "行政处罚案件", _case))
register_link_kind(LinkKind("complaint", "投诉举报 / 问题线索", _complaint))
