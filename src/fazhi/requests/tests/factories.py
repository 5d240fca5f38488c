"""Helpers that build suggestions, proposals and disclosure requests through the services (no model shortcuts)."""

import datetime as dt

from fazhi.core.models import Division, Unit, User
from fazhi.requests import services
from fazhi.requests.models import Session

MARKET = "示例市市场监督管理局"
ECOLOGY = "示例市生态环境局"
TRANSPORT = "示例市交通运输局"
JUSTICE = "示例市司法局"


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def user(username: str) -> User:
    return User.objects.get(username=username)


def session(*, body: str = "npc", year: int = 2025, term: int = 18, meeting: int = 4) -> Session:
    existing = Session.objects.filter(body=body, term=term, meeting=meeting, year=year).first()
    if existing:
        return existing
    return services.session_create(
        by=user("supervisor"),
        body=body,
        term=term,
        meeting=meeting,
        year=year,
        division=Division.objects.get(code="439900"),
    )


_numbers = iter(range(1, 100_000))


def proposal(
    *,
    on: dt.date = dt.date(2025, 7, 1),
    lead: str | None = MARKET,
    co: tuple[str, ...] = (),
    proposers: str = "王建国，东城区代表团，13807310001\n李秀英，西城区代表团",
    body: str = "npc",
    today: dt.date | None = None,
):
    """A suggestion registered and (with `lead`) assigned on `on`."""
    today = today or on
    p = services.proposal_register(
        by=user("supervisor"),
        session=session(body=body, year=on.year),
        number=f"{next(_numbers):04d}",
        title="关于规范农贸市场计量器具管理的建议",
        text="部分农贸市场电子秤缺斤短两，建议推行智慧计量监管。",
        proposers=proposers,
        registered_on=on,
        today=today,
    )
    if lead:
        p = services.proposal_assign(
            by=user("supervisor"),
            proposal=p,
            lead_unit=unit(lead),
            co_units=[unit(n) for n in co],
            on=on,
            today=today,
        )
    return p


def replied(p, *, on: dt.date, classification: str = "A", by: str = "agency", c_reason: str = ""):
    """Draft, approve and issue the reply of the current round on `on`."""
    legal = user(by)
    reply = services.proposal_reply_save(
        by=legal, proposal=p, text="已制定工作方案，明确责任分工。", classification=classification, c_reason=c_reason
    )
    reply = services.proposal_reply_approve(by=legal, reply=reply, signer="局长 王某", on=on, today=on)
    return services.proposal_reply_issue(by=legal, reply=reply, on=on, today=on)


def request(
    *,
    received_on: dt.date = dt.date(2025, 9, 26),
    agency: str = MARKET,
    by: str = "agency",
    channel: str = "window",
    kind: str = "person",
    today: dt.date | None = None,
):
    r, _ = services.disclosure_register(
        by=user(by),
        agency=unit(agency),
        applicant_kind=kind,
        applicant_name="张三" if kind == "person" else "示例律师事务所",
        org_type="" if kind == "person" else "legal",
        phone="13907310001",
        content="2025年度本市食品安全抽检计划及抽检结果",
        channel=channel,
        received_on=received_on,
        today=today or received_on,
    )
    return r


def event(r, kind: str, on: dt.date, *, by: str = "agency", today: dt.date | None = None, **kwargs):
    return services.disclosure_event(by=user(by), request=r, kind=kind, on=on, today=today or on, **kwargs)
