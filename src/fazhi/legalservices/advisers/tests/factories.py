"""法律顾问 objects for the tests, made through the services."""

import datetime as dt

from fazhi.core.models import Division, Unit
from fazhi.legalservices.advisers import rules, services

TOWNSHIP = "南山县南山镇人民政府"


def village(name: str = "石桥村", unit: str = TOWNSHIP, code: str = "439921"):
    return services.village_create(
        by=None, name=name, unit=Unit.objects.get(name=unit), division=Division.objects.get(code=code)
    )


def adviser(kind: str = rules.VILLAGE, name: str = "谭律师", unit: str = TOWNSHIP, **kwargs):
    return services.adviser_create(
        by=None, kind=kind, name=name, firm="湖南南山律师事务所", unit=Unit.objects.get(name=unit), **kwargs
    )


def village_contract(v, *, start: dt.date, end: dt.date, a=None):
    return services.contract_create(by=None, adviser=a or adviser(), start=start, end=end, village=v)
