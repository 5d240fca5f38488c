"""Demo data of 调解: organisations in 南山县 and 东城区, their mediators, and disputes in every state (a court
referral returned to the court, an agreement with its 调解协议书, a failure with its next channel, open cases)."""

import datetime as dt

from django.utils import timezone

from fazhi.core.models import Division, Unit
from fazhi.legalservices.mediation import rules, services
from fazhi.legalservices.mediation.models import MediationCase, MediationOrg

ORGS = [
    ("南山镇人民调解委员会", rules.ORG_TOWNSHIP, "南山县南山镇人民政府", "439921", ["罗调解", "邓调解"]),
    ("南山镇石桥村人民调解委员会", rules.ORG_VILLAGE, "南山县南山镇人民政府", "439921", ["石村长"]),
    ("南山县医疗纠纷人民调解委员会", rules.ORG_INDUSTRY, "南山县司法局", "439921", ["韩医调"]),
    ("东城区人民法院诉前调解工作室", rules.ORG_STATIONED, "东城区司法局", "439902", ["冯特邀"]),
    ("城关街道人民调解委员会", rules.ORG_TOWNSHIP, "东城区城关街道办事处", "439902", ["许调解"]),
]

CASES = [
    # (org index, kind, source, applicant, respondent, amount, days ago received, outcome, channel)
    (0, "neighbour", rules.SOURCE_WALK_IN, "王大明", "赵小红", 3000, 40, rules.SUCCESS, ""),
    (1, "land", rules.SOURCE_GRID, "李建国", "周长富", 12000, 35, rules.SUCCESS, ""),
    (2, "medical", rules.SOURCE_WALK_IN, "陈秀英", "南山县人民医院", 86000, 30, rules.FAILED, "litigation"),
    (3, "contract", rules.SOURCE_COURT, "刘志强", "孙海涛", 45000, 25, rules.SUCCESS, ""),
    (4, "property", rules.SOURCE_HOTLINE, "吴小芳", "示例物业公司", 1800, 12, "", ""),
    (3, "damage", rules.SOURCE_COURT, "黄国平", "林晓东", 23000, 5, "", ""),
    (0, "marriage", rules.SOURCE_WALK_IN, "郑美玲", "何志明", 0, 3, "", ""),
]


def build(*, units, users) -> None:
    if MediationOrg.objects.exists():
        return
    today = timezone.localdate()
    orgs = []
    for name, kind, unit_name, code, mediators in ORGS:
        org = services.org_create(
            by=None,
            name=name,
            kind=kind,
            unit=Unit.objects.get(name=unit_name),
            division=Division.objects.get(code=code),
        )
        for i, m in enumerate(mediators):
            services.mediator_add(by=None, org=org, name=m, phone=f"1390743{i:04d}", is_full_time=i == 0)
        orgs.append(org)
    for org_i, kind, source, applicant, respondent, amount, ago, outcome, channel in CASES:
        org = orgs[org_i]
        received = today - dt.timedelta(days=ago)
        case = services.case_register(
            by=None,
            org=org,
            kind=kind,
            source=source,
            applicant=applicant,
            applicant_phone="13807431234",
            respondent=respondent,
            facts=f"双方因{rules.KIND_LABELS[kind]}发生争执，申请调解。",
            amount=amount,
            received_on=received,
            mediator=org.mediators.first(),
            court_name="东城区人民法院" if source == rules.SOURCE_COURT else "",
            today=today,
        )
        services.session_add(
            by=None,
            case=case,
            held_on=received + dt.timedelta(days=2),
            place="调解室",
            notes="听取双方陈述，释法说理。",
            today=today,
        )
        if outcome:
            closed = received + dt.timedelta(days=10)
            services.case_close(
                by=None,
                case=case,
                outcome=outcome,
                closed_on=closed,
                agreement="一、被申请人于本协议生效之日起十日内一次性支付申请人赔偿款。\n二、双方就此纠纷再无其他争议。"
                if outcome == rules.SUCCESS
                else "",
                performance_terms="十日内一次性支付" if outcome == rules.SUCCESS else "",
                next_channel=channel,
                failure_reason="双方对赔偿数额分歧较大" if outcome == rules.FAILED else "",
                today=today,
            )
            case = MediationCase.objects.get(pk=case.pk)
            if source == rules.SOURCE_COURT:
                services.court_return(by=None, case=case, returned_on=closed + dt.timedelta(days=1), today=today)
            if outcome == rules.SUCCESS and ago > 30:
                services.case_follow_up(by=None, case=case, performance="performed", note="已按约履行", today=today)
