"""Demo 监督文书: every kind in various states — an 意见书 answered and accepted, an overdue 意见书 with the proposed
决定书, a 建议书 waiting to be signed for, a 工作提示函 waiting for review, a 约谈 with its record, a 决定书 about a
penalty case, a 通报, a returned 意见书, a draft — and the 执法风险预警提醒 proposals. Deterministic; skipped when
instruments exist already. Runs after the cases and complaints it takes its bases from."""

import datetime as dt

from django.utils import timezone

from fazhi.core.clock import backdated, office_hours
from fazhi.core.errors import DomainError
from fazhi.core.models import Unit
from fazhi.documents.services import register_create
from fazhi.supervision.instruments import rules, services
from fazhi.supervision.instruments.models import Instrument

JUSTICE = "示例市司法局"
MARKET, ECOLOGY, CITY, HOUSING, TRANSPORT = (
    "示例市市场监督管理局",
    "示例市生态环境局",
    "示例市城市管理综合执法局",
    "示例市住房和城乡建设局",
    "示例市交通运输局",
)
# 示例市司法局's 发文机关代字 for each kind (a real bureau sets its own on the 发文字号 page).
PREFIXES = {
    rules.OPINION: "示司监",
    rules.RECOMMENDATION: "示司监建",
    rules.REMINDER: "示司监函",
    rules.INTERVIEW: "示司监约",
    rules.DECISION: "示司监决",
    rules.BULLETIN: "示司监通",
}


def _registers(unit: Unit, years) -> None:
    for year in sorted(set(years)):
        for kind, prefix in PREFIXES.items():
            try:
                register_create(
                    by=None,
                    unit=unit,
                    doc_type=rules.DOC_TYPES[kind],
                    year=year,
                    prefix=prefix,
                    today=dt.date(year, 1, 1),
                )
            except DomainError:
                pass  # exists already


def _case_of(supervisor, unit: Unit):
    from fazhi.cases.selectors import case_list

    return case_list(user=supervisor).filter(agency__unit=unit).order_by("id").first()


def _complaint_of(supervisor, unit: Unit):
    from fazhi.complaints.selectors import complaint_list

    return complaint_list(user=supervisor).filter(agency=unit).order_by("id").first()


def _at(day: dt.date, n: int):
    return backdated(office_hours(day, n))


def build(*, units: dict, users: dict) -> list[str]:
    if Instrument.objects.exists():
        return []
    supervisor, agency, agency2 = users["supervisor"], users["agency"], users["agency2"]
    from fazhi.core.demo.build import demo_legal_officer

    today = timezone.localdate()
    unit = {name: Unit.objects.get(name=name) for name in (JUSTICE, MARKET, ECOLOGY, CITY, HOUSING, TRANSPORT)}
    day = {n: today - dt.timedelta(days=n) for n in (2, 5, 7, 8, 10, 12, 15, 18, 20, 25, 30, 38, 40, 50)}
    _registers(unit[JUSTICE], [d.year for d in day.values()] + [today.year])
    case = _case_of(supervisor, unit[MARKET])
    complaint = _complaint_of(supervisor, unit[ECOLOGY])
    made = []

    def draft(kind, recipient, title, facts, requirements, bases=(), **extra):
        return services.instrument_create(
            by=supervisor,
            kind=kind,
            title=title,
            facts=facts,
            requirements=requirements,
            recipient=unit[recipient] if recipient else None,
            bases=bases,
            **extra,
        )

    def issue(inst, when: dt.date, n: int, **kw):
        with _at(when, n):
            return services.instrument_issue(by=supervisor, instrument=inst, today=when, **kw)

    # 1. 意见书 to 市场监管局 on a penalty case: signed for, answered in time, accepted.
    first = draft(
        rules.OPINION,
        MARKET,
        "关于行政处罚案件办理期限和法制审核问题的监督意见",
        "经调阅你局2026年办结的行政处罚案卷，发现部分案件超过九十日办案期限且未办理延期手续，"
        "部分重大执法决定未经法制审核即作出处罚决定。",
        "一是对超期案件逐件查明原因，依法补办延期审批手续；二是严格落实重大执法决定法制审核制度，"
        "未经法制审核或审核未通过的不得作出决定；三是健全案件办理期限预警机制。",
        bases=[("case", case.pk)] if case else [],
    )
    issue(first, day[40], 1)
    with _at(day[38], 2):
        services.instrument_acknowledge(by=agency, instrument=first)
    with _at(day[20], 3):
        services.instrument_reply(
            by=agency,
            instrument=first,
            findings="经逐件核查，超期案件3件，均因检验鉴定耗时较长且未及时办理延期审批。",
            measures="已补办延期审批手续，修订《案件审核办法》，并在办案系统中设置期限预警。",
            today=day[20],
        )
    with _at(day[18], 4):
        services.instrument_accept(by=supervisor, instrument=first, comment="整改措施具体，予以采纳。")
    made.append(first)

    # 2. 意见书 to 生态环境局 on a complaint: signed for, never answered — overdue; the job proposes a 决定书.
    overdue = draft(
        rules.OPINION,
        ECOLOGY,
        "关于群众投诉偷排问题查处不力的监督意见",
        "群众多次投诉新桥镇化工厂夜间偷排废水，你局接到投诉后未及时到现场调查核实，至今未作出处理。",
        "请你局立即组织现场检查，依法查处违法排污行为，并将查处结果书面报告本机关。",
        bases=[("complaint", complaint.pk)] if complaint else [],
    )
    issue(overdue, day[50], 5)
    with _at(day[50] + dt.timedelta(days=1), 6):
        services.instrument_acknowledge(by=agency2, instrument=overdue)
    services.decisions_propose(today=today)
    made.append(overdue)

    # 3. 建议书 to 城管执法局, delivered, not yet signed for.
    made.append(
        issue(
            draft(
                rules.RECOMMENDATION,
                CITY,
                "关于规范暂扣物品管理的监督建议",
                "近期投诉反映执法人员收缴摊贩物品时未开具暂扣清单，物品保管和退还流程不清。",
                "建议制定暂扣物品登记、保管、退还制度，统一使用暂扣物品清单，并公开退还流程。",
            ),
            day[5],
            7,
        )
    )

    # 4. 工作提示函 to 住建局: answered, waiting for the supervisor's review.
    reminder = draft(
        rules.REMINDER,
        HOUSING,
        "关于商品房预售监管执法风险的工作提示函",
        "群众投诉反映部分开发企业违规预售、逾期交房，相关执法检查记录不完整。",
        "请对辖区在售项目开展一次专项检查，完善检查记录，并反馈检查情况。",
    )
    issue(reminder, day[10], 8)
    housing_legal = demo_legal_officer(unit[HOUSING])
    with _at(day[8], 9):
        services.instrument_acknowledge(by=housing_legal, instrument=reminder)
    with _at(day[2], 10):
        services.instrument_reply(
            by=housing_legal,
            instrument=reminder,
            findings="已对12个在售项目开展专项检查，发现2个项目存在违规预售。",
            measures="已立案查处2起，补全检查记录，建立预售资金监管月报制度。",
            today=day[2],
        )
    made.append(reminder)

    # 5. 约谈 of 市场监管局 with its record (no written report asked for): completed.
    interview = draft(
        rules.INTERVIEW,
        MARKET,
        "关于行政执法投诉集中问题的约谈",
        "本季度针对你局执法人员的投诉明显增多，集中反映不出示执法证件、执法态度粗暴等问题。",
        "请你局分析投诉集中的原因，提出整改措施，在约谈时作出说明。",
        interview_at=office_hours(day[7], 3),
        interview_place="示例市司法局三楼会议室",
        reply_required=False,
    )
    issue(interview, day[12], 11)
    with _at(day[12], 12):
        services.instrument_acknowledge(by=agency, instrument=interview)
    with _at(day[7], 13):
        services.instrument_record_interview(
            by=supervisor,
            instrument=interview,
            held_at=office_hours(day[7], 3),
            place="示例市司法局三楼会议室",
            participants="示例市司法局 李监督；示例市市场监督管理局 分管副局长、法规科科长 张法制",
            content="通报投诉情况；市场监管局分析了原因，承诺一个月内开展执法规范化专项整治，"
            "全面落实亮证执法和执法全过程记录。",
        )
    made.append(interview)

    # 6. 决定书（责令改正）to 市场监管局 about a penalty case: delivered (it proposes accountability for the case).
    if case:
        decision = draft(
            rules.DECISION,
            MARKET,
            "关于纠正行政处罚决定法律适用错误的决定",
            "你局作出的行政处罚决定适用法律条款错误，经本机关监督意见书指出后仍未自行纠正。",
            "请你局依法改正该处罚决定，并向当事人送达改正后的决定书。",
            bases=[("case", case.pk)],
            decision_kind=rules.CORRECT,
        )
        made.append(issue(decision, day[8], 14))

    # 7. 通报, published to every agency the bureau supervises.
    made.append(
        issue(
            draft(
                rules.BULLETIN,
                None,
                "关于上季度行政执法监督情况的通报",
                "上季度全市共开展案卷评查120件，发出监督意见书6份；市场监管、生态环境等部门整改及时，"
                "个别部门存在回复逾期情况。",
                "请各部门对照通报问题开展自查，举一反三，规范执法行为。",
            ),
            day[15],
            15,
        )
    )

    # 8. 意见书 to 市场监管局 whose reply was returned once: the agency must answer again.
    returned = draft(
        rules.OPINION,
        MARKET,
        "关于执法全过程记录不完整问题的监督意见",
        "抽查发现你局部分现场检查未按规定进行音像记录，执法记录仪数据未及时归档。",
        "请完善执法全过程记录制度，补齐记录，并报告整改情况。",
    )
    issue(returned, day[25], 16)
    with _at(day[25], 17):
        services.instrument_acknowledge(by=agency, instrument=returned)
    with _at(day[15], 18):
        services.instrument_reply(
            by=agency,
            instrument=returned,
            findings="已组织自查。",
            measures="将加强管理。",
            today=day[15],
        )
    with _at(day[12], 19):
        services.instrument_return(
            by=supervisor,
            instrument=returned,
            reason="回复过于笼统：未说明自查范围和发现的问题，整改措施无具体内容和完成时限。",
            today=day[12],
        )
    made.append(returned)

    # 9. A draft 意见书 (no number until issued).
    made.append(
        draft(
            rules.OPINION,
            TRANSPORT,
            "关于超限运输执法裁量问题的监督意见",
            "抽查发现对同类超限运输违法行为的罚款数额差异较大，未说明适用裁量基准的理由。",
            "请严格执行行政处罚裁量基准，在处罚决定书中说明裁量理由。",
        )
    )

    # 10. 执法风险预警提醒: the demo's figures are small, so it is computed with low demonstration thresholds.
    services.risks_scan(today=today, thresholds=rules.RiskThresholds(rules.RISK_MONTHS, 3, 4))
    return [f"监督文书：{len(made)} 份（含系统建议的决定书草稿）"]
