"""Fixtures of the disputes tests: the market and ecology bureaus as registry agencies, their heads, and a helper
that registers a reconsideration through the service (defaults: a person contesting a penalty of the market
bureau, received by the city Justice Bureau)."""

import datetime as dt

import pytest

MARKET = "示例市市场监督管理局"
ECOLOGY = "示例市生态环境局"
PERSON_ID = "11010519491231002X"
ORG_USCC = "91110000600037341L"
D = dt.date


@pytest.fixture
def agencies(org):
    from fazhi.registry.models import Agency

    return {name: Agency.objects.get_or_create(unit=org[name])[0] for name in (MARKET, ECOLOGY)}


@pytest.fixture
def heads(agencies):
    from fazhi.disputes.models import AgencyHead

    market = agencies[MARKET]
    return {
        "principal": AgencyHead.objects.create(agency=market, name="周局长", post="局长", kind="principal"),
        "deputy": AgencyHead.objects.create(agency=market, name="吴副局长", post="副局长", kind="deputy"),
        "ecology": AgencyHead.objects.create(agency=agencies[ECOLOGY], name="郑局长", post="局长", kind="principal"),
    }


@pytest.fixture
def apply(agencies, users):
    """`apply(received_on=…, **overrides)` registers an application as the supervisor (the body)."""
    from fazhi.disputes.services import reconsideration_register

    def make(*, by=None, respondent=MARKET, **overrides):
        data = {
            "applicant": {"kind": "person", "name": "王建国", "id_number": PERSON_ID, "phone": "13907310001"},
            "respondent": agencies[respondent],
            "act": "罚款5000元的行政处罚决定",
            "known_on": overrides.get("received_on", D(2025, 9, 1)) - dt.timedelta(days=10),
            "received_on": D(2025, 9, 1),
            "procedure": "ordinary",
        }
        data.update(overrides)
        return reconsideration_register(by=by or users["supervisor"], **data)

    return make


@pytest.fixture
def event(users):
    """`event(rc, "accepted", on)` as the supervisor; returns the fresh row."""
    from fazhi.disputes.models import Reconsideration
    from fazhi.disputes.services import reconsideration_event

    def run(rc, kind, on, *, by=None, **kw):
        reconsideration_event(by=by or users["supervisor"], reconsideration=rc, kind=kind, on=on, **kw)
        return Reconsideration.objects.get(pk=rc.pk)

    return run


def clocks_of(rc) -> dict:
    from fazhi.disputes.selectors import reconsideration_clocks

    return {c.name: c for c in reconsideration_clocks(rc=rc)}
