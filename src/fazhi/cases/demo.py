"""Demo penalty cases: 30 cases of 市场监管局, 生态环境局 and 城管执法局 in every stage, a few breaking a statutory
rule (so that 风险预警 shows), several disclosed. Dates are relative to the day the demo is built; everything goes
through the case services, so the timeline, the checks and the warnings are the real ones. Idempotent.
"""

import datetime as dt

from django.utils import timezone

from fazhi.cases.models import Case
from fazhi.cases.services import case_advance, case_extend, case_file, disclosure_withdraw
from fazhi.core.clock import backdated, office_hours
from fazhi.registry.models import Agency, DiscretionTier, ListEntry, Officer, PowerItem

MARKET, ECOLOGY, CITY = "示例市市场监督管理局", "示例市生态环境局", "示例市城市管理综合执法局"
STAGE_ORDER = [
    "filed",
    "investigation",
    "notice",
    "hearing",
    "legal_review",
    "decision",
    "service",
    "disclosure",
    "execution",
    "closed",
]
PERSONS = [
    ("王建国", "110105198503120039"),
    ("李秀英", "11010519491231002X"),
    ("张伟", "430102199201010061"),
    ("刘芳", "430103198807080074"),
]
ORGS = [
    ("示例市东湖食品商行", "91110000600037341L"),
    ("示例市新桥化工有限公司", "91439900MA4L000109"),
    ("示例市城关餐饮管理有限公司", "91439900MA4L00021D"),
    ("示例市南山建材有限公司", "91439900MA4L00032H"),
]

# (agency, power item code, target stage, party index (negative = person), days ago filed, options)
PLAN = [
    (MARKET, "330217126000", "closed", 0, 150, {}),
    (MARKET, "330217126000", "disclosure", 1, 120, {}),
    (MARKET, "330217126000", "execution", -1, 110, {}),
    (MARKET, "330217124000", "disclosure", 2, 100, {}),
    (MARKET, "330217124000", "legal_review", 3, 60, {}),
    (MARKET, "330217126000", "service", -2, 70, {"serve_after": 15}),  # service_late
    (MARKET, "330217126000", "decision", 0, 40, {"fine": "60000"}),  # fine_outside_tier
    (MARKET, "330217126000", "notice", 1, 25, {"hearing": True}),
    (MARKET, "330217049000", "investigation", 2, 130, {}),  # decision_overdue (still open after 90 days)
    (MARKET, "330217126000", "filed", -3, 5, {"handlers": 1}),  # handlers_min_two
    (MARKET, "330217126000", "decision", 3, 30, {"suspended": True}),  # handler_certificate_invalid
    (MARKET, "330217126000", "closed", -4, 160, {"no_penalty": True}),
    (ECOLOGY, "330220099000", "closed", 1, 170, {}),
    (ECOLOGY, "330220099000", "disclosure", 1, 140, {"disclose_after": 25}),  # disclosure_late
    (ECOLOGY, "330220083000", "hearing", 3, 80, {"hearing": True}),
    (ECOLOGY, "330220083000", "execution", 1, 125, {}),
    (ECOLOGY, "330220099000", "investigation", 3, 20, {"extend": True}),
    (ECOLOGY, "330220099000", "legal_review", 1, 45, {}),
    (ECOLOGY, "330220083000", "decision", 3, 50, {}),
    (ECOLOGY, "330220099000", "disclosure", 1, 115, {"withdraw": True}),
    (CITY, "330219034000", "closed", -1, 60, {"simple": True}),
    (CITY, "330219034000", "service", -2, 12, {"simple": True, "fine": "500"}),  # on_the_spot_limit
    (CITY, "330219034000", "decision", -3, 3, {"simple": True}),
    (CITY, "330219042000", "disclosure", 3, 95, {}),
    (CITY, "330219042000", "closed", 2, 150, {}),
    (CITY, "330219042000", "notice", -4, 18, {}),
    (CITY, "330219042000", "execution", 3, 105, {}),
    (CITY, "330219042000", "filed", 2, 2, {}),
    (CITY, "330219034000", "disclosure", -1, 85, {}),
    (CITY, "330219042000", "service", 2, 65, {}),
]


def _party(index: int) -> dict:
    if index < 0:
        name, number = PERSONS[(-index - 1) % len(PERSONS)]
        return {"party_kind": "person", "party_name": name, "party_id_number": number}
    name, code = ORGS[index % len(ORGS)]
    return {"party_kind": "organisation", "party_name": name, "party_uscc": code}


def _fine_for(item: PowerItem, options: dict) -> tuple[list[str], str | None, int | None]:
    if options.get("fine"):
        tier = DiscretionTier.objects.filter(power_item=item, fine_max__isnull=False).order_by("sort_order").first()
        return ["罚款"], options["fine"], tier.pk if tier else None
    tier = DiscretionTier.objects.filter(power_item=item, fine_min__isnull=False).order_by("sort_order").first()
    if tier is None:
        return ["警告"], None, None
    return ["罚款"], str(tier.fine_min), tier.pk


def build_cases(*, units: dict, users: dict) -> list[str]:
    today = timezone.localdate()
    if Case.objects.filter(number__contains="演示").exists():
        return []
    by_agency = {MARKET: users.get("agency"), ECOLOGY: users.get("agency2"), CITY: None}
    made = []
    for n, (agency_name, code, target, party, ago, options) in enumerate(PLAN, start=1):
        agency = Agency.objects.filter(unit__name=agency_name).select_related("unit").first()
        item = PowerItem.objects.filter(agency=agency, code=code, is_current=True).first() if agency else None
        if item is None:
            continue
        officers = list(Officer.objects.filter(agency=agency).order_by("id"))
        if options.get("suspended"):
            chosen = [officers[0], officers[4]] if len(officers) > 4 else officers[:2]
        else:
            chosen = officers[: options.get("handlers", 2)]
        by = by_agency[agency_name]
        filed = today - dt.timedelta(days=ago)
        with backdated(office_hours(filed, n)):
            case = case_file(
                by=by,
                agency=agency,
                power_item=item.pk,
                title=item.name.removeprefix("对").split("的行政处罚")[0],
                procedure="simple" if options.get("simple") else "general",
                filed_on=filed,
                handlers=[o.pk for o in chosen],
                number=f"{agency.unit.short_name}演示〔{filed.year}〕{n}号",
                violation_ended_on=filed - dt.timedelta(days=10),
                **_party(party),
            )
        made.append(case.number)
        _advance(case, by, item, target, filed, today, options, n)
    return made


def _day(start: dt.date, offset: int, today: dt.date) -> dt.date:
    return min(start + dt.timedelta(days=offset), today)


def _advance(case, by, item, target, filed, today, options, n) -> None:
    stop = STAGE_ORDER.index(target)
    simple = case.procedure == "simple"
    decided = _day(filed, 0 if simple else 30, today)
    if stop in (STAGE_ORDER.index("decision"), STAGE_ORDER.index("service")) and not options.get("serve_after"):
        # A case left waiting for 送达 or 公示 was decided two days ago, so that its clock (7 working days from
        # the decision) is still running: only the cases built to break a rule show red.
        decided = max(decided, today - dt.timedelta(days=2))
    if options.get("extend"):
        case_extend(
            case=case, by=by, days=30, reason="案情复杂，需补充检测鉴定", approver="局长 周某", approved_on=today
        )
    steps = []
    if not simple:
        steps += [
            ("investigation", {"date": _day(filed, 1, today), "comment": "现场检查，制作现场检查笔录，拍照取证"}),
            (
                "notice",
                {
                    "notified_on": _day(filed, 20, today),
                    "hearing_requested": bool(options.get("hearing")),
                    "comment": "送达行政处罚事先告知书",
                },
            ),
        ]
        if options.get("hearing"):
            steps.append(
                (
                    "hearing",
                    {
                        "hearing_notice_on": _day(filed, 22, today),
                        "hearing_on": _day(filed, 29, today),
                        "comment": "当事人到场陈述申辩",
                    },
                )
            )
        if item.major or stop == STAGE_ORDER.index("legal_review"):
            steps.append(
                (
                    "legal_review",
                    {
                        "legal_review_on": _day(filed, 29, today),
                        "comment": "事实清楚，证据确凿，适用依据正确，程序合法，同意",
                    },
                )
            )
    if options.get("no_penalty"):
        entry = ListEntry.objects.filter(agency=case.agency, kind="exempt").first()
        decision = {"outcome": "no_penalty", "list_entry": entry.pk if entry else None}
    else:
        kinds, fine, tier = _fine_for(item, options)
        decision = {"penalty_kinds": kinds, "fine": fine, "tier": tier}
    steps.append(
        (
            "decision",
            {
                "decision_number": f"{case.agency.unit.short_name}罚〔{decided.year}〕{n}号",
                "decided_on": decided,
                **decision,
            },
        )
    )
    steps.append(("service", {"served_on": _day(decided, options.get("serve_after", 1), today), "method": "直接送达"}))
    if not simple:
        steps.append(("disclosure", {"disclosed_on": _day(decided, options.get("disclose_after", 3), today)}))
        if not options.get("no_penalty"):
            steps.append(("execution", {"executed_on": _day(decided, 12, today)}))
    steps.append(("closed", {"closed_on": _day(decided, 15, today)}))
    for stage, data in steps:
        if STAGE_ORDER.index(stage) > stop:
            break
        day = next((v for v in data.values() if isinstance(v, dt.date)), today)
        with backdated(office_hours(day, n + STAGE_ORDER.index(stage))):
            case = case_advance(case=case, by=by, stage=stage, data=data)
    if options.get("withdraw") and hasattr(case, "disclosure"):
        disclosure_withdraw(disclosure=case.disclosure, by=by, reason="行政复议决定撤销原处罚决定，撤回公示")
