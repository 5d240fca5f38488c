"""Demo of 专项监督与责任追究 (step 63, after the cases and complaints): an investigation in progress on a case of
市场监管局 (notice issued, steps by a supervisor and an invited supervisor, the agency's 说明); one concluded 问题属实
and referred to 纪检监察 (followed up, no result yet), whose proposal became a record decided with 通报批评, published
as a typical case; one concluded 部分属实 on a complaint, its proposal waiting; one 不属实 about 生态环境局; a record
opened directly for a closed case, decided with one officer's 尽职免责. Everything goes through the services, dated
relative to the day the demo is built. Idempotent (skipped when an investigation exists)."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from fazhi.core.clock import backdated, office_hours
from fazhi.supervision.accountability import services
from fazhi.supervision.accountability.models import AccountabilityProposal, Investigation

MARKET, ECOLOGY = "示例市市场监督管理局", "示例市生态环境局"


def _cases(user, agency_unit):
    from fazhi.cases.selectors import CaseFilters, case_list

    return case_list(user=user, filters=CaseFilters(q="演示")).filter(agency__unit=agency_unit)


def _when(day: dt.date, n: int):
    return backdated(office_hours(day, n))


def build(*, units: dict, users: dict) -> list[str]:
    if Investigation.objects.exists():
        return []
    supervisor, monitor, agency = users.get("supervisor"), users.get("monitor"), users.get("agency")
    market, ecology = units.get(MARKET), units.get(ECOLOGY)
    if not (supervisor and monitor and agency and market and ecology):
        return []
    market_cases = _cases(supervisor, market)
    open_case = market_cases.filter(stage="decision", party_kind="organisation").order_by("-filed_on").first()
    person_case = market_cases.filter(party_kind="person", stage="execution").order_by("filed_on").first()
    closed_case = market_cases.filter(stage="closed", party_kind="organisation").order_by("filed_on").first()
    eco_case = _cases(supervisor, ecology).filter(decided_on__isnull=False).order_by("filed_on").first()
    if not (open_case and person_case and closed_case):
        return []
    today = timezone.localdate()
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    team = [supervisor.pk, monitor.pk]
    made = []

    # 1. In progress: notice issued, three steps, the agency's 说明.
    with _when(day(20), 1):
        inv = services.investigation_open(
            by=supervisor,
            basis_kind="case",
            basis_id=open_case.pk,
            title=f"{open_case.title}案罚款超出裁量基准",
            reason="风险预警显示该案罚款金额超出裁量基准上限，群众反映执法人员未听取当事人陈述申辩，"
            "属重大行政执法案件，开展专项监督调查。",
            investigators=team,
            today=day(20),
        )
    with _when(day(19), 2):
        services.investigation_notice_issue(by=supervisor, investigation=inv, today=day(19))
    with _when(day(15), 3):
        services.investigation_step_record(
            by=supervisor,
            investigation=inv,
            kind="file_review",
            done_on=day(15),
            text="调阅该案全部案卷，核对立案审批表、现场检查笔录、事先告知书和处罚决定书；罚款6万元，超出所适用裁量阶次上限。",
            today=day(15),
        )
    with _when(day(12), 4):
        services.investigation_step_record(
            by=monitor,
            investigation=inv,
            kind="interview",
            done_on=day(12),
            text="询问当事人委托代理人，其称告知书送达后三日内即作出决定，未能充分陈述申辩。",
            today=day(12),
        )
    with _when(day(10), 5):
        services.investigation_statement(
            by=agency,
            investigation=inv,
            text="本局对该案适用裁量基准的情况作如下说明：当事人违法行为持续时间较长，承办人员认为应从重处罚，但未履行集体讨论程序。",
            today=day(10),
        )
    made.append(inv.title)

    # 2. Concluded 问题属实, referred to 纪检监察; the proposal becomes a record decided with 通报批评.
    with _when(day(75), 6):
        inv2 = services.investigation_open(
            by=supervisor,
            basis_kind="case",
            basis_id=person_case.pk,
            title=f"{person_case.title}案执法人员违规收费问题",
            reason="问题线索反映该案执法人员在执行中收取当事人“服务费”，未开具罚没票据，开展专项监督调查。",
            investigators=team,
            today=day(75),
        )
    with _when(day(74), 7):
        services.investigation_notice_issue(by=supervisor, investigation=inv2, today=day(74))
    for n, (kind, ago, by, text) in enumerate(
        [
            (
                "file_review",
                70,
                supervisor,
                "调阅案卷和罚没款缴款凭证，发现缴款金额与决定书一致，另有一笔2000元未入账。",
            ),
            ("interview", 60, supervisor, "询问当事人王某，称执法人员以“加急办理”为由收取2000元现金。"),
            ("site_check", 55, monitor, "到当事人经营场所核查，当事人提供转账记录截图，与其陈述一致。"),
        ]
    ):
        with _when(day(ago), 8 + n):
            services.investigation_step_record(
                by=by, investigation=inv2, kind=kind, done_on=day(ago), text=text, today=day(ago)
            )
    with _when(day(20), 11):
        services.investigation_conclude(
            by=supervisor,
            investigation=inv2,
            conclusion="substantiated",
            findings="该案承办人员在执行阶段以“加急办理”为由收取当事人现金2000元，未开具票据，未上缴财政，问题属实。",
            measures="责令市场监管局退还违规收取的款项，对相关人员追究责任；涉嫌违纪违法的问题线索移送纪检监察机关。",
            propose=True,
            today=day(20),
        )
    with _when(day(18), 12):
        referral = services.investigation_refer(
            by=supervisor,
            investigation=inv2,
            organ="示例市纪委监委",
            reason="执法人员利用职务便利收取当事人现金2000元，涉嫌违反《公职人员政务处分法》的有关规定。",
            referred_on=day(18),
            today=day(18),
        )
    with _when(day(5), 13):
        services.referral_follow_up(
            by=supervisor, referral=referral, text="电话询问，纪委监委已受理，正在初核。", on=day(5), today=day(5)
        )
    made.append(inv2.title)

    proposal = AccountabilityProposal.objects.get(source_kind="investigation", source_id=inv2.pk)
    from fazhi.cases.selectors import case_handlers

    handlers = [row.officer for row in case_handlers(case=person_case)]
    with _when(day(17), 14):
        record = services.record_open(
            by=supervisor,
            proposal=proposal,
            officers=[o.pk for o in handlers],
            reason="专项监督调查认定执法人员违规收取当事人现金、未开具票据，属执法过错，依法追究责任。",
            today=day(17),
        )
    with _when(day(16), 15):
        services.record_notice_issue(by=supervisor, record=record, today=day(16))
    with _when(day(12), 16):
        services.record_statement(
            by=agency,
            record=record,
            text="本局已责令承办人员退还违规收取的款项，并对全局执法人员开展警示教育。",
            today=day(12),
        )
    outcomes = [
        {
            "officer": handlers[0].pk,
            "fault": "intent",
            "responsibilities": ["public_criticism", "certificate", "referral"],
        }
    ] + [{"officer": o.pk, "fault": "ordinary", "responsibilities": ["criticism"]} for o in handlers[1:]]
    with _when(day(6), 17):
        services.record_decide(
            by=supervisor,
            record=record,
            outcomes=outcomes,
            decision="对主办人员通报批评，暂扣行政执法证六个月，问题线索已移送纪委监委；对协办人员批评教育。",
            decision_organ="示例市市场监督管理局",
            decision_on=day(6),
            today=day(6),
        )
    names = "、".join(o.name for o in handlers)
    with _when(day(5), 18):
        typical = services.typical_mark(
            by=supervisor,
            record=record,
            title="执法人员违规收取当事人费用典型案例",
            summary=f"某区市场监管部门执法人员{names}在查处王某销售过期食品一案中，以“加急办理”为由收取当事人现金2000元，"
            "未开具罚没票据、未上缴财政。群众通过举报电话13907310000反映问题后，经专项监督调查，问题属实。",
            lesson="执法人员必须严格执行罚缴分离和票据管理规定，任何以执法为名收取费用的行为都将被严肃追责。",
            handling="对主办人员通报批评、暂扣行政执法证，问题线索移送纪委监委；对协办人员批评教育；违规收取的款项已退还当事人。",
            today=day(5),
        )
    with _when(day(3), 19):
        services.typical_publish(by=supervisor, typical=typical, today=day(3))

    # 3. Concluded 部分属实 on a complaint against 市场监管局: the proposal waits for the supervisor.
    from fazhi.complaints.selectors import ComplaintFilters, complaint_list

    complaint = (
        complaint_list(user=supervisor, filters=ComplaintFilters(category="misconduct"))
        .filter(Q(agency=market) | Q(agency_named=market))
        .order_by("received_at")
        .first()
    )
    if complaint is not None:
        with _when(day(40), 20):
            inv3 = services.investigation_open(
                by=supervisor,
                basis_kind="complaint",
                basis_id=complaint.pk,
                unit=market if complaint.agency_id is None else None,
                title="执法人员检查时未出示执法证件问题",
                reason="投诉反映执法人员检查时态度恶劣、未出示执法证件，且反映的问题较为普遍，开展专项监督调查。",
                investigators=team,
                today=day(40),
            )
        with _when(day(30), 21):
            services.investigation_step_record(
                by=monitor,
                investigation=inv3,
                kind="site_check",
                done_on=day(30),
                text="随机跟随两次日常检查，执法人员均出示了执法证件，但检查记录未载明出示证件情况。",
                today=day(30),
            )
        with _when(day(8), 22):
            services.investigation_conclude(
                by=supervisor,
                investigation=inv3,
                conclusion="partly",
                findings="执法人员未出示证件的问题部分属实：个别检查记录未载明出示证件情况，态度恶劣的问题未查实。",
                measures="建议市场监管局规范检查记录，对涉事执法人员批评教育。",
                propose=True,
                today=day(8),
            )
        made.append(inv3.title)

    # 4. 生态环境局: concluded 不属实.
    if eco_case is not None:
        with _when(day(50), 23):
            inv4 = services.investigation_open(
                by=supervisor,
                basis_kind="case",
                basis_id=eco_case.pk,
                title=f"{eco_case.title}案是否存在选择性执法",
                reason="有企业反映生态环境部门对同类企业选择性执法，开展专项监督调查。",
                investigators=team,
                today=day(50),
            )
        with _when(day(40), 24):
            services.investigation_step_record(
                by=supervisor,
                investigation=inv4,
                kind="file_review",
                done_on=day(40),
                text="调阅同期同类案件12件，处罚幅度与裁量基准一致，未发现选择性执法。",
                today=day(40),
            )
        with _when(day(30), 25):
            services.investigation_conclude(
                by=supervisor,
                investigation=inv4,
                conclusion="unsubstantiated",
                findings="经调阅同期同类案件，处罚幅度符合裁量基准，反映的选择性执法问题不属实。",
                today=day(30),
            )
        made.append(inv4.title)

    # 5. A record opened directly for a closed case, one officer exempt (尽职免责).
    closed_handlers = [row.officer for row in case_handlers(case=closed_case)]
    with _when(day(30), 26):
        direct = services.record_open(
            by=supervisor,
            case_id=closed_case.pk,
            officers=[o.pk for o in closed_handlers],
            reason="该案处罚决定在行政复议中因适用依据错误被撤销，依法倒查责任。",
            today=day(30),
        )
    outcomes = [
        {
            "officer": closed_handlers[0].pk,
            "exempt": True,
            "exemption_ground": "law_unclear",
            "exemption_reason": "案发时上位法修订，新旧条款衔接不明确，主办人员已请示上级业务部门并按答复执行。",
        }
    ] + [{"officer": o.pk, "fault": "ordinary", "responsibilities": ["self_examination"]} for o in closed_handlers[1:]]
    with _when(day(10), 27):
        services.record_decide(
            by=supervisor,
            record=direct,
            outcomes=outcomes,
            decision="主办人员符合尽职免责情形，不予追责；协办人员未认真核对法律依据，责令作出书面检查。",
            decision_organ="示例市市场监督管理局",
            decision_on=day(10),
            today=day(10),
        )
    return made
