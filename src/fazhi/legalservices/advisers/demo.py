"""Demo data of 法律顾问: the villages of 南山县 and 东城区 (one still without an adviser, so the lights show), the
government advisers and a government lawyer, village advisers with their contracts, service records, and legal
opinions (one answered with its 法律意见书, one waiting)."""

import datetime as dt

from django.utils import timezone

from fazhi.core.models import Division, Unit
from fazhi.legalservices.advisers import rules, services
from fazhi.legalservices.advisers.models import AdviserVillage

VILLAGES = [
    ("南山县南山镇人民政府", "439921", ["石桥村", "青山村", "南山社区"]),
    ("南山县石门乡人民政府", "439921", ["石门村", "桃源村"]),
    ("东城区城关街道办事处", "439902", ["城关社区", "东门社区"]),
]
UNCOVERED = "桃源村"


def build(*, units, users) -> None:
    if AdviserVillage.objects.exists():
        return
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    gov = units["gov"]
    justice = units["justice"]
    g1 = services.adviser_create(
        by=None,
        kind=rules.GOVERNMENT,
        name="欧阳顾问",
        firm="湖南示例律师事务所",
        license_no="14399201810000001",
        unit=gov,
    )
    services.contract_create(by=None, adviser=g1, start=start, end=end, unit=gov, fee=60000)
    g2 = services.adviser_create(by=None, kind=rules.GOV_LAWYER, name="沈公职", firm="", unit=justice)
    services.contract_create(by=None, adviser=g2, start=start, end=end, unit=justice)
    n = 0
    for unit_name, code, names in VILLAGES:
        unit = Unit.objects.get(name=unit_name)
        for name in names:
            village = services.village_create(
                by=None,
                name=name,
                unit=unit,
                division=Division.objects.get(code=code),
                kind="community" if name.endswith("社区") else "village",
            )
            if name == UNCOVERED:
                continue
            n += 1
            adviser = services.adviser_create(
                by=None,
                kind=rules.VILLAGE,
                name=f"村居顾问{n}",
                firm="湖南南山律师事务所",
                license_no=f"1439920201{n:07d}",
                unit=unit,
            )
            services.contract_create(by=None, adviser=adviser, start=start, end=end, village=village)
            services.service_record(
                by=None,
                adviser=adviser,
                kind="consultation",
                on=today - dt.timedelta(days=3),
                count=4,
                village=village,
                note="解答土地承包、婚姻家庭咨询",
                today=today,
            )
            if n == 1:
                services.service_record(
                    by=None,
                    adviser=adviser,
                    kind="lecture",
                    on=today - dt.timedelta(days=10),
                    count=1,
                    village=village,
                    note="民法典进农村法治讲座",
                    today=today,
                )
    services.service_record(
        by=None, adviser=g1, kind="contract_review", on=today - dt.timedelta(days=5), count=6, today=today
    )
    services.service_record(
        by=None, adviser=g1, kind="document_review", on=today - dt.timedelta(days=5), count=4, today=today
    )
    done = services.opinion_request(
        by=None,
        unit=units["示例市住房和城乡建设局"],
        kind="contract",
        subject="老旧小区改造项目施工合同",
        question="合同违约责任条款是否合法、完备？",
        deadline=today + dt.timedelta(days=7),
        today=today,
    )
    services.opinion_route(by=None, opinion=done, adviser=g1)
    services.opinion_answer(
        by=None,
        opinion=done,
        text="一、违约金比例约定过高，建议调整。\n二、补充工程款支付节点与验收衔接条款。",
        suggestions=2,
        today=today,
    )
    services.opinion_request(
        by=None,
        unit=units["示例市市场监督管理局"],
        kind="normative_document",
        subject="关于规范农贸市场管理的通知（送审稿）",
        question="是否涉及减损市场主体权利、增加义务的内容？",
        today=today,
    )
