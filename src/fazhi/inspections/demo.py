"""Demo data of 双随机、一公开: ~300 enterprises in 示例市 with valid credit codes, inspection item lists,
inspector pools, a published plan and a completed, published draw for 市场监管局 and a joint one (跨部门联合抽查)
led by 生态环境局 with 市场监管局, some
inspection records (one late to publish, one over the burden threshold) and a quiet day.

Idempotent: enterprises by credit code, items by (agency, power item), plans by name. The draw seed is
random by design (that is the point of a draw); everything else is deterministic.
"""

import datetime as dt

from django.utils import timezone
from stdnum.cn import uscc as uscc_std

from fazhi.core.models import Division, User
from fazhi.inspections import services
from fazhi.inspections.models import (
    ConflictDeclaration,
    Enterprise,
    InspectionItem,
    InspectionRecord,
    InspectorPoolEntry,
    Plan,
    QuietDay,
)
from fazhi.registry.models import Agency, Certificate, Officer, PowerItem

N_ENTERPRISES = 300
DIVISIONS = ["439902", "439903", "439921"]
SUFFIXES = [
    "科技有限公司",
    "食品有限公司",
    "商贸有限公司",
    "化工有限公司",
    "餐饮店",
    "超市",
    "制衣厂",
    "建材有限公司",
    "电子有限公司",
    "农产品专业合作社",
]
WORDS = [
    "恒达",
    "鑫源",
    "华兴",
    "永盛",
    "泰丰",
    "宏图",
    "金桥",
    "瑞祥",
    "长青",
    "东方",
    "天成",
    "博远",
    "和美",
    "佳禾",
    "万通",
    "新峰",
    "福润",
    "德隆",
    "安康",
    "星河",
]
INDUSTRIES = ["C1391", "C1431", "F5211", "F5212", "C2614", "H6210", "F5261", "C3031", "C3982", "A0141"]
KIND_BY_SUFFIX = {"餐饮店": "individual", "超市": "individual", "农产品专业合作社": "coop", "制衣厂": "sole"}
RISKS = ["a_low"] * 4 + ["b_general"] * 3 + ["c_elevated"] * 2 + ["d_high"]
NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["建国", "秀英", "志强", "丽华", "海峰", "桂兰", "春生", "玉梅", "国平", "晓东"]
AGENCIES = {
    "示例市市场监督管理局": (
        "agency",
        "330217110000",
        "食品生产经营企业",
        {"a_low": 3, "b_general": 5, "c_elevated": 10, "d_high": 20},
    ),
    "示例市生态环境局": (
        "agency2",
        "330220029000",
        "排放大气污染物的企业事业单位",
        {"a_low": 2, "b_general": 5, "c_elevated": 10, "d_high": 30},
    ),
}
# The object scope of each agency's item (GB/T 4754 prefixes of INDUSTRIES): food production (C13 农副食品加工,
# C14 食品制造), food retail (F521 综合零售) and catering (H62 餐饮); air emitters: food processing, chemicals
# (C26), building materials (C30) and restaurants' cooking fumes (H62, 《大气污染防治法》第八十一条). The joint draw
# takes the enterprises inside both: C13, C14 and H62.
SCOPES = {"agency": "C13、C14、F521、H62", "agency2": "C13、C14、C26、C30、H62"}


def demo_uscc(seq: int, division: str) -> str:
    """91 (enterprise, company) + division code + a 9-character organisation code + the GB 32100 check."""
    base = f"91{division}{seq:08d}A"
    return base + uscc_std.calc_check_digit(base)


def build_enterprises() -> list[Enterprise]:
    divisions = {d.code: d for d in Division.objects.filter(code__in=DIVISIONS)}
    existing = set(Enterprise.objects.values_list("uscc", flat=True))
    new = []
    for i in range(1, N_ENTERPRISES + 1):
        code = DIVISIONS[i % 3]
        uscc = demo_uscc(i, code)
        if uscc in existing:
            continue
        suffix = SUFFIXES[i % len(SUFFIXES)]
        new.append(
            Enterprise(
                uscc=uscc,
                name=f"示例市{WORDS[i % len(WORDS)]}{WORDS[(i * 7) % len(WORDS)]}{suffix}"
                + (f"（{i}号）" if i > 40 else ""),
                kind=KIND_BY_SUFFIX.get(suffix, "llc"),
                industry=INDUSTRIES[i % len(INDUSTRIES)],
                division=divisions[code],
                address=f"示例市{divisions[code].name}{WORDS[i % 20]}路 {i} 号",
                legal_representative=NAMES[i % len(NAMES)] + GIVEN[(i * 3) % len(GIVEN)],
                risk_level=RISKS[(i * 7) % len(RISKS)],
                credit_grade="ABCD"[0 if i % 9 else 2] if i % 31 else "B",
                group="高新园区" if i % 10 == 0 else "",
            )
        )
    Enterprise.objects.bulk_create(new)
    return list(Enterprise.objects.filter(uscc__startswith="91439").order_by("id"))


def _ensure_officers(agency: Agency, today: dt.date) -> None:
    """Fallback when the registry demo has not given the agency two certified officers."""
    valid = Officer.objects.filter(
        agency=agency,
        is_active=True,
        certificates__status="active",
        certificates__valid_from__lte=today,
        certificates__valid_to__gte=today,
    ).distinct()
    for k in range(max(0, 3 - valid.count())):
        number = f"DEMO{agency.pk:04d}{k:02d}"
        officer = Officer.objects.filter(name=f"抽查员{agency.pk}-{k}", agency=agency).first()
        if officer is None:
            from stdnum.cn import ric

            body = f"43990219800101{agency.pk % 100:02d}{k}"
            officer = Officer.objects.create(
                agency=agency, name=f"抽查员{agency.pk}-{k}", id_number=body + ric.calc_check_digit(body)
            )
        Certificate.objects.get_or_create(
            number=number,
            defaults={
                "officer": officer,
                "issuer": "示例市人民政府",
                "valid_from": today - dt.timedelta(days=365),
                "valid_to": today + dt.timedelta(days=365 * 4),
            },
        )


def build_inspections(*, units, users) -> None:
    today = timezone.localdate()
    enterprises = build_enterprises()
    by_user = {u.username: u for u in User.objects.filter(username__in=["agency", "agency2", "supervisor"])}
    made: dict[str, tuple[Agency, InspectionItem]] = {}
    for unit_name, (username, code, targets, proportions) in AGENCIES.items():
        agency = Agency.objects.filter(unit__name=unit_name).select_related("unit").first()
        user = by_user.get(username)
        power_item = PowerItem.objects.filter(agency=agency, code=code, is_current=True).first() if agency else None
        if agency is None or user is None or power_item is None:
            continue
        item = InspectionItem.objects.filter(
            agency=agency, power_item=power_item
        ).first() or services.inspection_item_save(
            by=user, agency=agency, power_item=power_item, targets=targets, scope_industries=SCOPES[username]
        )
        made[username] = (agency, item)
        _ensure_officers(agency, today)
        for officer in Officer.objects.filter(agency=agency, is_active=True, pool_entry__isnull=True):
            if officer.certificates.filter(status="active", valid_from__lte=today, valid_to__gte=today).exists():
                InspectorPoolEntry.objects.create(agency=agency, officer=officer)
        first = InspectorPoolEntry.objects.filter(agency=agency).order_by("officer_id").first()
        if first and not ConflictDeclaration.objects.filter(officer=first.officer).exists():
            services.conflict_declare(
                by=user, officer=first.officer, enterprise=enterprises[agency.pk % 7], reason="配偶在该企业任职"
            )
        # 生态环境局 leads a 跨部门联合抽查 with 市场监管局 (one visit, inspectors of both agencies).
        partner = made.get("agency") if username == "agency2" else None
        kind = "牵头跨部门联合抽查计划" if partner else "双随机抽查计划"
        name = f"{today.year}年度{agency.unit.short_name or agency.unit.name}{kind}"
        if Plan.objects.filter(name=name).exists():
            continue
        end = max(dt.date(today.year, 12, 31), today + dt.timedelta(days=60))
        plan = services.plan_create(
            by=user,
            agency=agency,
            year=today.year,
            name=name,
            items=[item, partner[1]] if partner else [item],
            proportions=proportions,
            period_start=today,
            period_end=end,
            joint_agencies=[partner[0]] if partner else None,
        )
        services.plan_publish(by=user, plan=plan, today=today)
        draw = services.draw_commit(by=user, plan=plan, item=item, today=today)
        draw = services.draw_perform(by=user, draw=draw)
        draw = services.draw_publish(by=user, draw=draw)
        assignments = list(draw.assignments.select_related("enterprise").order_by("position")[:3])
        for k, a in enumerate(assignments):
            record = services.inspection_record_create(
                by=user,
                assignment=a,
                inspected_on=today,
                result="ok" if k else "corrected",
                problems="" if k else "进货查验记录不全",
                measures="" if k else "责令限期整改",
            )
            if k == 0:
                services.inspection_record_publish(by=user, record=record)
    _build_non_plan(enterprises, by_user, today)
    division = Division.objects.filter(code="439921").first()
    supervisor = by_user.get("supervisor")
    if division and supervisor and not QuietDay.objects.exists():
        start = today + dt.timedelta(days=7)
        services.quiet_day_create(
            by=supervisor,
            division=division,
            start_date=start,
            end_date=start + dt.timedelta(days=4),
            note="南山县企业安静生产周",
        )
        services.quiet_day_create(
            by=supervisor,
            group="高新园区",
            start_date=today.replace(day=1) + dt.timedelta(days=40),
            end_date=today.replace(day=1) + dt.timedelta(days=44),
            note="园区企业安静生产日",
        )


def _build_non_plan(enterprises, by_user, today) -> None:
    """Non-plan inspections: one complaint-driven result overdue for publication (red), and one enterprise
    inspected by both agencies often enough to cross the burden threshold."""
    if InspectionRecord.objects.exclude(source="random").exists():
        return
    target = enterprises[11]
    for k, (username, unit_name) in enumerate(
        [
            ("agency", "示例市市场监督管理局"),
            ("agency2", "示例市生态环境局"),
            ("agency", "示例市市场监督管理局"),
            ("agency2", "示例市生态环境局"),
        ]
    ):
        user = by_user.get(username)
        agency = Agency.objects.filter(unit__name=unit_name).first()
        officers = list(Officer.objects.filter(agency=agency, pool_entry__isnull=False).order_by("id")[:2])
        if user is None or agency is None or len(officers) < 2:
            return
        day = today - dt.timedelta(days=40 - k * 8)
        if day.year != today.year:
            day = today
        source = ["complaint", "referral", "complaint", "emergency"][k]
        services.inspection_record_create(
            by=user,
            enterprise=target,
            agency=agency,
            source=source,
            inspected_on=day,
            reason=[
                "12345 热线转来的投诉：后厨卫生问题",
                "上级交办：群众反映夜间排放异味",
                "消费者投诉过期食品",
                "突发环境事件排查",
            ][k],
            result="corrected" if k % 2 else "ok",
            inspectors=officers,
        )
