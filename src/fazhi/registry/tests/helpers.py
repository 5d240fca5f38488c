"""Small builders for the registry tests (plain functions, so that every test says what it sets up)."""

import datetime as dt

from django.utils import timezone

from fazhi.core.models import Unit, User
from fazhi.registry.demo import id_number
from fazhi.registry.models import Agency
from fazhi.registry.services import agency_save, certificate_save, officer_save, power_item_save

MARKET = "示例市市场监督管理局"
ECO = "示例市生态环境局"
MARKET_BRANCH = "示例市市场监督管理局东城分局"

BASIS = {"law": "《中华人民共和国食品安全法》", "article": "第一百二十四条", "clause": "第一款", "text": "……"}
TIERS = [
    {
        "level": "ordinary",
        "circumstances": "货值金额不足一万元",
        "penalty_kinds": ["罚款"],
        "fine_min": 50000,
        "fine_max": 70000,
    },
    {
        "level": "grave",
        "circumstances": "货值金额一万元以上",
        "penalty_kinds": ["罚款", "没收违法所得"],
        "multiple_min": 10,
        "multiple_max": 20,
    },
]


def today() -> dt.date:
    return timezone.localdate()


def user(username: str) -> User:
    return User.objects.get(username=username)


def agency(unit_name: str = MARKET) -> Agency:
    unit = Unit.objects.get(name=unit_name)
    return Agency.objects.filter(unit=unit).first() or agency_save(
        by=None, unit=unit, jurisdiction="示例市", domains=["市场监管"]
    )


def item(ag: Agency, code: str = "T-001", *, tiers=None, major: bool = False, name: str = "对生产经营不合格食品的处罚"):
    return power_item_save(
        by=None,
        agency=ag,
        code=code,
        name=name,
        kind="penalty",
        major=major,
        legal_bases=[BASIS],
        tiers=TIERS if tiers is None else tiers,
    )


def officer(
    ag: Agency, seq: int, *, name: str = "", valid_to: dt.date | None = None, cert: bool = True, status: str = "active"
):
    o = officer_save(by=None, agency=ag, name=name or f"人员{seq}", id_number=id_number(seq), post="执法队员")
    if cert:
        certificate_save(
            by=None,
            officer=o,
            number=f"CERT{seq:05d}",
            valid_from=today() - dt.timedelta(days=365),
            valid_to=valid_to or today() + dt.timedelta(days=700),
            status=status,
        )
    return o
