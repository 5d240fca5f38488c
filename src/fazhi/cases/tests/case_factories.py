"""Registry rows for the case tests, made directly with the ORM (the registry's own services are tested there)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric

from fazhi.registry.models import Agency, Certificate, DiscretionTier, ListEntry, Officer, PowerItem

PERSON_ID = "11010519491231002X"
ORG_USCC = "91110000600037341L"
MARKET = "示例市市场监督管理局"
ECOLOGY = "示例市生态环境局"
_seq = itertools.count(1)


def id_number(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n // 1000)
    body = f"439900{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def agency(unit) -> Agency:
    return Agency.objects.get_or_create(unit=unit)[0]


def power_item(ag: Agency, *, code: str | None = None, major: bool = False, kind: str = "penalty") -> PowerItem:
    code = code or f"CF-{ag.pk}-{next(_seq)}"
    item = PowerItem.objects.create(
        agency=ag,
        code=code,
        name=f"对违法经营行为的处罚（{code}）",
        kind=kind,
        major=major,
        effective_from=dt.date(2020, 1, 1),
    )
    DiscretionTier.objects.create(
        power_item=item,
        level="ordinary",
        name="一般",
        circumstances="一般情节",
        penalty_kinds=["罚款"],
        fine_min=Decimal("1000"),
        fine_max=Decimal("10000"),
    )
    return item


def officer(
    ag: Agency,
    name: str,
    *,
    user=None,
    valid_from=dt.date(2020, 1, 1),
    valid_to: dt.date | None = None,
    status: str = "active",
    certificate: bool = True,
) -> Officer:
    """An officer with one certificate, by default valid from 2020 until ten years after the day the test runs."""
    valid_to = valid_to or timezone.localdate() + dt.timedelta(days=3650)
    o = Officer.objects.create(agency=ag, name=name, id_number=id_number(), user=user)
    if certificate:
        Certificate.objects.create(
            officer=o, number=f"439900{next(_seq):06d}", valid_from=valid_from, valid_to=valid_to, status=status
        )
    return o


def exempt_entry(ag: Agency) -> ListEntry:
    return ListEntry.objects.create(
        agency=ag,
        kind="exempt",
        circumstances="首次违法且危害后果轻微并及时改正",
        legal_basis="《中华人民共和国行政处罚法》第三十三条第一款",
    )


def market(org, users=None) -> dict:
    """The market bureau with two certified officers (one linked to the demo `officer` login) and an item."""
    ag = agency(org[MARKET])
    linked = users["officer"] if users else None
    return {
        "agency": ag,
        "item": power_item(ag),
        "major_item": power_item(ag, major=True),
        "o1": officer(ag, "陈执法", user=linked),
        "o2": officer(ag, "王执法"),
        "exempt": exempt_entry(ag),
    }


def case_kwargs(m: dict, **overrides) -> dict:
    data = {
        "power_item": m["item"].pk,
        "title": "销售过期食品",
        "party_kind": "organisation",
        "party_name": "示例市某某商贸有限公司",
        "party_uscc": ORG_USCC,
        "filed_on": dt.date(2025, 3, 3),
        "handlers": [m["o1"].pk, m["o2"].pk],
        "violation_ended_on": dt.date(2025, 2, 20),
    }
    data.update(overrides)
    return data
