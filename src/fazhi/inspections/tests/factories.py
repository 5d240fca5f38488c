"""Small builders for inspections tests: agencies with an inspection item, certified officers, enterprises."""

import datetime as dt

from django.utils import timezone
from stdnum.cn import ric
from stdnum.cn import uscc as uscc_std

from fazhi.core.models import Division, Unit
from fazhi.inspections.models import Enterprise, InspectionItem, InspectorPoolEntry
from fazhi.registry.models import Agency, Certificate, Officer, PowerItem

_seq = {"n": 0}


def next_seq() -> int:
    _seq["n"] += 1
    return _seq["n"]


def make_uscc(seq: int, division: str = "439902") -> str:
    base = f"91{division}{seq:08d}T"
    return base + uscc_std.calc_check_digit(base)


def make_agency(unit_name: str) -> Agency:
    unit = Unit.objects.get(name=unit_name)
    agency, _ = Agency.objects.get_or_create(unit=unit)
    return agency


def make_officer(agency: Agency, *, certified: bool = True, user=None) -> Officer:
    n = next_seq()
    body = f"430102198001{(n % 28) + 1:02d}{n % 1000:03d}"
    officer = Officer.objects.create(
        agency=agency, name=f"检查员{n}", id_number=body + ric.calc_check_digit(body), user=user
    )
    today = timezone.localdate()
    Certificate.objects.create(
        officer=officer,
        number=f"T{n:08d}",
        valid_from=today - dt.timedelta(days=100),
        valid_to=today + dt.timedelta(days=1000) if certified else today - dt.timedelta(days=1),
    )
    return officer


def make_item(agency: Agency) -> InspectionItem:
    n = next_seq()
    power = PowerItem.objects.create(agency=agency, code=f"INSP{n}", name=f"监督检查{n}", kind="inspection")
    return InspectionItem.objects.create(
        agency=agency, power_item=power, name=power.name, targets="辖区企业", basis="《某法》第十条"
    )


def make_pool(agency: Agency, n: int = 3) -> list[Officer]:
    officers = [make_officer(agency) for _ in range(n)]
    for o in officers:
        InspectorPoolEntry.objects.create(agency=agency, officer=o)
    return officers


def make_enterprises(n: int, *, division: str = "439902", risk: str = "b_general", group: str = "") -> list:
    div = Division.objects.get(code=division)
    return Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=make_uscc(next_seq() + 50000, division),
                name=f"测试企业{i}",
                division=div,
                risk_level=risk,
                group=group,
            )
            for i in range(n)
        ]
    )


MARKET = "示例市市场监督管理局"
ECO = "示例市生态环境局"
