"""Demo data of 普法: responsibility lists of two agencies (one on track, one with an overdue item), activities
of each kind, and a 法律明白人 roster. Deterministic."""

import datetime as dt

from django.utils import timezone

from fazhi.core.models import Division, Unit
from fazhi.legalservices.outreach import rules, services
from fazhi.legalservices.outreach.models import OutreachDutyList

MARKET, ECOLOGY, JUSTICE = "示例市市场监督管理局", "示例市生态环境局", "示例市司法局"


def _id(seq: int) -> str:
    from fazhi.registry.demo import id_number

    return id_number(9000 + seq)


def build(*, units: dict, users: dict) -> list[str]:
    if OutreachDutyList.objects.exists():
        return []
    today = timezone.localdate()
    year = today.year
    unit = {name: Unit.objects.get(name=name) for name in (MARKET, ECOLOGY, JUSTICE)}
    jan = dt.date(year, 1, 15)
    made = []
    for name, tasks in (
        (
            MARKET,
            [
                ("开展食品安全法进社区宣传", "《中华人民共和国食品安全法》", ["社区居民"], 90, True),
                (
                    "在执法检查中对经营者实时普法",
                    "《中华人民共和国产品质量法》",
                    ["执法对象", "企业经营管理人员"],
                    200,
                    False,
                ),
                ("宪法宣传周集中宣传", "《中华人民共和国宪法》", ["公职人员", "社区居民"], 340, False),
            ],
        ),
        (
            ECOLOGY,
            [
                ("环保法律进企业专题讲座", "《中华人民共和国环境保护法》", ["企业经营管理人员"], 40, False),
                ("以案释法：典型环境违法案例发布", "《中华人民共和国大气污染防治法》", ["执法对象"], 300, False),
            ],
        ),
    ):
        dl = services.duty_list_create(by=None, unit=unit[name], year=year, today=jan)
        entries = []
        for content, laws, groups, offset, done in tasks:
            deadline = min(dt.date(year, 1, 1) + dt.timedelta(days=offset), dt.date(year, 12, 31))
            entries.append(
                (
                    services.duty_item_add(
                        by=None,
                        duty_list=dl,
                        content=content,
                        laws=laws,
                        target_groups=groups,
                        deadline=deadline,
                        today=jan,
                    ),
                    done,
                )
            )
        services.duty_list_publish(by=None, duty_list=dl, today=jan)
        for entry, done in entries:
            if done and entry.deadline <= today:
                services.duty_item_complete(
                    by=None, entry=entry, done_on=entry.deadline - dt.timedelta(days=3), today=today
                )
        made.append(dl)
    first = made[0].items.order_by("deadline").first()
    for n, (u, kind, venue, title, people) in enumerate(
        (
            (MARKET, rules.SIX_INTO, "community", "食品安全法律进社区", 120),
            (MARKET, rules.CASE_EXPLAIN, "", "以案释法：过期食品处罚案例解读", 45),
            (ECOLOGY, rules.SIX_INTO, "enterprise", "环保法律进企业", 80),
            (JUSTICE, rules.CULTURE_SITE, "", "法治文化公园宪法主题展", 300),
        )
    ):
        held = max(dt.date(year, 1, 1), today - dt.timedelta(days=10 + 7 * n))
        services.activity_save(
            by=None,
            unit=unit[u],
            kind=kind,
            venue=venue,
            title=title,
            held_on=held,
            attendance=people,
            place="示例市",
            laws="",
            duty_item=first if n == 0 and first.duty_list.unit == unit[u] else None,
            today=today,
        )
    last_week = rules.constitution_week(year - 1)[0] + dt.timedelta(days=3)
    services.activity_save(
        by=None,
        unit=unit[JUSTICE],
        kind=rules.CONSTITUTION_WEEK,
        title=f"{year - 1}年宪法宣传周广场活动",
        held_on=last_week,
        attendance=500,
        place="人民广场",
        laws="《中华人民共和国宪法》",
        today=today,
    )
    county = Division.objects.filter(level="county").order_by("code").first()
    if county is not None:
        for n, (township, village, name) in enumerate(
            (
                ("城关街道办事处", "东关社区", "张明理"),
                ("城关街道办事处", "东关社区", "李守法"),
                ("城关街道办事处", "西关社区", "王懂法"),
                ("东湖街道办事处", "湖滨村", "赵明白"),
            )
        ):
            services.literate_save(
                by=None,
                unit=unit[JUSTICE],
                division=county,
                township=township,
                village=village,
                name=name,
                id_number=_id(n),
                phone=f"1391234{n:04d}",
                occupation="村（居）民",
            )
    return ["普法：责任清单 2 份、普法活动 5 次、法律明白人 4 名"]
