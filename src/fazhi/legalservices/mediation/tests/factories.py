"""Mediation objects for the tests, made through the services."""

import datetime as dt

from fazhi.core.models import Division, Unit
from fazhi.legalservices.mediation import rules, services

TOWNSHIP = "南山县南山镇人民政府"


def org(name: str = "测试镇人民调解委员会", unit: str = TOWNSHIP, code: str = "439921"):
    o = services.org_create(
        by=None,
        name=name,
        kind=rules.ORG_TOWNSHIP,
        unit=Unit.objects.get(name=unit),
        division=Division.objects.get(code=code),
    )
    services.mediator_add(by=None, org=o, name="罗调解", phone="13907430001")
    return o


def case(by=None, *, the_org=None, today: dt.date, **kwargs):
    data = {
        "by": by,
        "org": the_org or org(),
        "kind": "neighbour",
        "source": rules.SOURCE_WALK_IN,
        "applicant": "王大明",
        "applicant_phone": "13807431234",
        "respondent": "赵小红",
        "facts": "因排水沟堵塞发生争执。",
        "amount": "3000",
        "received_on": today - dt.timedelta(days=5),
        "today": today,
    }
    data.update(kwargs)
    return services.case_register(**data)
