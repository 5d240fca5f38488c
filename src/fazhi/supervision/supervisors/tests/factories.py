"""Builders for the invited-supervisor tests: valid ID numbers, applicants, and campaigns taken to each stage
through the services, with dates relative to today (never fixed dates that would expire)."""

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import ric

from fazhi.core.models import Unit
from fazhi.supervision.supervisors import services
from fazhi.workdays.calendar import add_working_days

JUSTICE = "示例市司法局"
MARKET = "示例市市场监督管理局"
ENVIRONMENT = "示例市生态环境局"
_seq = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


def id_number(*, age: int = 40, on: dt.date | None = None, male: bool = True, n: int | None = None) -> str:
    """A valid 居民身份证号 of someone `age` full years old on `on` (长沙县 430121, valid for every birth year)."""
    on = on or today()
    birth = (
        on.replace(year=on.year - age) - dt.timedelta(days=1)
        if (on.month, on.day) != (2, 29)
        else dt.date(on.year - age, 2, 28)
    )
    n = next(_seq) if n is None else n
    body = f"430121{birth:%Y%m%d}{n % 100:02d}{1 if male else 2}"
    return body + ric.calc_check_digit(body + "0")


def person(**overrides) -> dict:
    n = next(_seq)
    data = {
        "name": f"测试人{n}",
        "id_number": id_number(n=n),
        "phone": f"1390731{n % 10000:04d}",
        "address": f"湖南省示例市东城区人民路{n}号",
        "residency_years": 10,
        "occupation": "律师",
        "employer": "示例律师事务所",
        "is_functionary": False,
        "has_sanctions": False,
        "statement": "愿意参与行政执法监督。",
    }
    return data | overrides


def pdf(name: str = "简历.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def unit(name: str = JUSTICE) -> Unit:
    return Unit.objects.get(name=name)


def campaign(*, by=None, organiser: Unit | None = None, opened_on: dt.date | None = None, publish: bool = True, **kw):
    """A campaign taking applications from `opened_on` (default: today) for 30 days."""
    opened_on = opened_on or today()
    values = {
        "title": f"特邀监督员招募测试{next(_seq)}",
        "year": opened_on.year,
        "quota": 5,
        "apply_from": opened_on,
        "apply_until": opened_on + dt.timedelta(days=30),
    } | kw
    c = services.campaign_create(by=by, organiser=organiser or unit(), **values)
    return services.campaign_publish(by=by, campaign=c, today=opened_on) if publish else c


def apply(c, *, on: dt.date | None = None, **overrides):
    application, _ = services.application_submit_public(
        campaign=c, data=person(**overrides), consent=True, today=on or c.apply_from
    )
    return application


def in_publicity(*, by=None, organiser=None, start: dt.date, people: int = 2):
    """A campaign whose 公示 began on `start`, with `people` candidates (applied and passed the day before)."""
    c = campaign(by=by, organiser=organiser, opened_on=start - dt.timedelta(days=5))
    made = [apply(c, on=start - dt.timedelta(days=4)) for _ in range(people)]
    for a in made:
        services.application_review(by=by, application=a, passed=True, today=start - dt.timedelta(days=1))
    c = services.campaign_publicity_start(by=by, campaign=c, today=start)
    for a in made:
        a.refresh_from_db()
    return c, made


def publicity_over_start() -> dt.date:
    """A 公示 start such that the 公示 is over today (5 working days are at most 9 natural days)."""
    return today() - dt.timedelta(days=20)


def appointed(*, by=None, organiser=None, account=None, on: dt.date | None = None):
    """An invited supervisor appointed `on` (default: 5 days ago), through the whole procedure."""
    on = on or today() - dt.timedelta(days=5)
    start = on - dt.timedelta(days=15)
    c, (a,) = in_publicity(by=by, organiser=organiser, start=start, people=1)
    assert add_working_days(start, c.publicity_days) < on
    supervisor, password = services.supervisor_appoint(
        by=by if account is None else None, application=a, today=on, account=account
    )
    return supervisor, password
