"""Instruments for the tests, made through the services (so every test object passed the same checks)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.models import Unit
from fazhi.supervision.instruments import rules, services

MARKET = "示例市市场监督管理局"
ECOLOGY = "示例市生态环境局"
MARKET_EAST = "示例市市场监督管理局东城分局"
PDF = b"%PDF-1.4\n" + b"0" * 64


def unit(name: str = MARKET) -> Unit:
    return Unit.objects.get(name=name)


def pdf(name: str = "整改材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def draft(users, *, kind: str = rules.OPINION, recipient: str | None = MARKET, **kwargs):
    data = {
        "by": users["supervisor"],
        "kind": kind,
        "title": "关于行政处罚案件超期问题的监督意见",
        "facts": "抽查发现部分行政处罚案件超过九十日办案期限，未办理延期手续。",
        "requirements": "请逐件查明原因，补办延期手续，健全期限预警。",
        "recipient": unit(recipient) if recipient else None,
    }
    if kind == rules.INTERVIEW:
        data.setdefault("interview_place", "示例市司法局三楼会议室")
    data.update(kwargs)
    return services.instrument_create(**data)


def issued(users, *, today: dt.date | None = None, decision_kind=None, **kwargs):
    inst = draft(users, **kwargs)
    return services.instrument_issue(by=users["supervisor"], instrument=inst, today=today, decision_kind=decision_kind)


def replied(users, *, by="agency", today: dt.date | None = None, **kwargs):
    inst = issued(users, today=today, **kwargs)
    services.instrument_acknowledge(by=users[by], instrument=inst)
    services.instrument_reply(
        by=users[by],
        instrument=inst,
        findings="经逐件核查，超期案件 3 件。",
        measures="已补办延期手续并设置期限预警。",
        files=[pdf()],
        today=today,
    )
    inst.refresh_from_db()
    return inst


def fresh(inst):
    from fazhi.supervision.instruments.models import Instrument

    return Instrument.objects.select_related("item", "recipient", "issuing_unit", "follows").get(pk=inst.pk)
