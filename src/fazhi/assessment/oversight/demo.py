"""Demo 法治督察: a 实地督察 whose problem list has 9 aspects and 34 problems (text of our own, in the manner of a
provincial rule-of-law field inspection report), assigned to city agencies and district governments, in every state
of rectification — planned, in progress, handed in, returned, signed off on time and late, overdue — with a problem
linked to a penalty case and a clue referred to 纪检监察; and a smaller 专项督察. Deterministic; skipped when campaigns
exist already. Runs after the cases it links to."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.assessment.oversight import rules, services
from fazhi.assessment.oversight.models import OversightCampaign, OversightRectification
from fazhi.core.models import Unit

JUSTICE = "示例市司法局"
MARKET, ECOLOGY, CITY, HOUSING, TRANSPORT, HR, HEALTH, EDU = (
    "示例市市场监督管理局",
    "示例市生态环境局",
    "示例市城市管理综合执法局",
    "示例市住房和城乡建设局",
    "示例市交通运输局",
    "示例市人力资源和社会保障局",
    "示例市卫生健康委员会",
    "示例市教育局",
)
EAST, WEST, SOUTH = "东城区人民政府", "西城区人民政府", "南山县人民政府"

# (aspect, [(problem, requirement, [units])]) — 9 aspects, 34 problems.
PROBLEM_LIST = [
    (
        "党政主要负责人履行推进法治建设第一责任人职责方面",
        [
            (
                "部分单位党组（党委）全年专题研究法治建设不足两次，研究内容多为听取汇报",
                "每半年至少专题研究一次，形成会议纪要并落实",
                [HOUSING, EAST],
            ),
            (
                "个别单位主要负责人年终述法流于形式，未报告履行第一责任人职责的具体情况",
                "按照述法要点逐项报告，并接受评议",
                [TRANSPORT],
            ),
            (
                "法治建设年度计划与部门工作要点脱节，任务未分解到科室",
                "制定任务分工表，明确责任科室和完成时限",
                [HR, WEST],
            ),
            ("部分单位未按期报送上一年度法治政府建设情况报告", "在规定期限内报送并在门户网站公开", [HEALTH]),
        ],
    ),
    (
        "重大行政决策方面",
        [
            ("年度重大行政决策事项目录未向社会公开", "编制并公开年度目录，纳入动态调整", [EAST, SOUTH]),
            ("个别重大行政决策未开展风险评估即提交集体讨论", "补充风险评估，完善决策档案", [HOUSING]),
            ("公众参与的意见采纳情况未向社会反馈", "建立意见采纳反馈制度", [CITY]),
            ("合法性审查意见未作为决策档案归档", "规范决策全过程记录与归档", [WEST]),
        ],
    ),
    (
        "行政规范性文件管理方面",
        [
            ("部分规范性文件未经合法性审核即印发", "清理未经审核的文件，建立审核台账", [EDU, SOUTH]),
            ("规范性文件备案超过法定时限", "严格在印发后及时报送备案", [MARKET]),
            ("文件清理不及时，已失效文件仍在门户网站显示为有效", "开展专项清理并更新文件库", [TRANSPORT]),
        ],
    ),
    (
        "行政执法规范化方面",
        [
            ("行政处罚决定未在法定期限内公示", "严格执行执法公示制度，补充公示", [MARKET, CITY]),
            ("部分案卷缺少法制审核意见", "重大执法决定一律经法制审核", [ECOLOGY]),
            ("执法全过程记录设备配备不足，现场执法记录不完整", "配齐执法记录仪并规范使用", [CITY]),
            ("裁量基准未及时根据上位法修订更新", "修订裁量基准并公开", [MARKET, HEALTH]),
            ("个别执法人员未持有效执法证件从事执法活动", "清理执法人员，未取证人员不得单独执法", [SOUTH]),
        ],
    ),
    (
        "涉企行政检查方面",
        [
            ("同一企业一年内被多个部门重复检查", "推行联合检查和“企业安静生产日”", [HOUSING, ECOLOGY]),
            ("双随机抽查计划未按期公示", "按期公示抽查计划和结果", [MARKET]),
            ("检查结果未及时录入监管平台", "检查结束后及时录入并公示", [TRANSPORT]),
            ("部分检查未出示检查通知或未告知企业权利", "规范检查程序和文书", [EAST]),
        ],
    ),
    (
        "行政复议和行政应诉方面",
        [
            ("行政机关负责人出庭应诉率偏低", "落实负责人出庭应诉制度，提高出庭率", [WEST, HR]),
            ("复议决定履行不到位，个别决定超期未履行", "建立复议决定履行监督台账", [HOUSING]),
            ("败诉案件未开展原因分析和整改", "逐案分析并形成整改报告", [CITY]),
            ("司法建议、检察建议回复不及时", "在规定期限内书面回复", [ECOLOGY]),
        ],
    ),
    (
        "政务公开和信息公开方面",
        [
            ("依申请公开答复超期", "建立依申请公开办理时限提醒", [HR, SOUTH]),
            ("主动公开目录未按标准目录更新", "对照标准目录更新公开内容", [EDU]),
            ("政策解读材料与文件不同步发布", "做到政策文件与解读同步发布", [TRANSPORT]),
        ],
    ),
    (
        "投诉举报和执法监督方面",
        [
            ("行政执法投诉举报办理超期，答复内容简单", "规范办理程序，提高答复质量", [MARKET, CITY]),
            ("执法监督意见书回复不及时，整改措施不具体", "按期书面回复并附整改佐证", [ECOLOGY]),
            ("案卷评查发现的问题未建立整改台账", "建立台账并对账销号", [HEALTH]),
            ("特邀行政执法监督员意见未及时反馈", "建立意见办理反馈机制", [EAST]),
        ],
    ),
    (
        "法治宣传教育和队伍建设方面",
        [
            ("“谁执法谁普法”责任清单未公开", "制定并公开普法责任清单", [WEST, EDU]),
            ("执法人员年度法律知识培训学时不足", "保证每人每年不少于规定学时", [TRANSPORT, HOUSING]),
            ("领导干部学法制度落实不到位，学法记录不全", "建立学法台账，如实记录", [HEALTH]),
        ],
    ),
]

EVIDENCE = b"%PDF-1.4\n% demo evidence\n"


def _evidence(name: str):
    return [SimpleUploadedFile(name, EVIDENCE, content_type="application/pdf")]


def _case_of(unit: Unit):
    try:
        from fazhi.cases.models import Case
    except ImportError:  # the cases module is not installed
        return None
    return Case.objects.filter(agency__unit=unit).order_by("id").first()


def build(*, units=None, users=None) -> list[str]:
    if OversightCampaign.objects.exists():
        return ["法治督察：已存在，跳过"]
    today = timezone.localdate()
    units = {u.name: u for u in Unit.objects.all()}
    justice = units[JUSTICE]
    names = sorted({n for _, problems in PROBLEM_LIST for *_, us in problems for n in us})
    start = today - dt.timedelta(days=200)
    campaign = services.campaign_create(
        by=None,
        kind=rules.FIELD,
        title=f"{start.year}年度法治政府建设实地督察",
        period_start=start,
        period_end=start + dt.timedelta(days=20),
        units=[units[n] for n in names],
        scope="对党政主要负责人履行推进法治建设第一责任人职责、依法决策、规范性文件、行政执法、涉企检查、复议应诉、"
        "政务公开、执法监督和法治队伍建设等九个方面开展实地督察（本演示的问题清单为自拟内容）。",
        team="组长：市委依法治市办常务副主任\n成员：市司法局法治督察科、行政执法协调监督科工作人员",
        lead_unit=justice,
    )
    n = 0
    rects: list[OversightRectification] = []
    for aspect, problems in PROBLEM_LIST:
        for description, requirement, unit_names in problems:
            n += 1
            # Deadlines spread from three months ago to four months ahead: some due, some overdue, some to come.
            deadline = today + dt.timedelta(days=-90 + (n * 7) % 210)
            problem = services.problem_add(
                by=None,
                campaign=campaign,
                aspect=aspect,
                description=description,
                requirement=requirement,
                units=[units[u] for u in unit_names],
                deadline=deadline,
                today=start + dt.timedelta(days=25),
            )
            rects.extend(problem.rectifications.order_by("id"))
    # States of rectification, by position: every 5th signed off on time, every 7th handed in, every 9th returned,
    # every 4th planned and in progress; the rest untouched (the overdue ones among them show red).
    for i, rect in enumerate(rects):
        if i % 5 == 0:
            services.rectification_plan(
                by=None, rectification=rect, plan="成立整改专班，逐项制定措施，明确责任人和时限。"
            )
            services.rectification_report(
                by=None,
                rectification=rect,
                text="已完成整改，相关制度已印发。",
                files=_evidence("整改佐证材料.pdf"),
                submit=True,
            )
            on = min(rect.deadline, today) if i % 10 == 0 else rect.deadline + dt.timedelta(days=3)
            services.rectification_signoff(
                by=None, rectification=rect, comment="经核对佐证材料，同意销号。", today=min(on, today)
            )
        elif i % 7 == 0:
            services.rectification_plan(by=None, rectification=rect, plan="对照问题清单，分三个阶段推进整改。")
            services.rectification_report(
                by=None,
                rectification=rect,
                text="整改已完成，申请对账销号。",
                files=_evidence("整改完成报告.pdf"),
                submit=True,
            )
        elif i % 9 == 0:
            services.rectification_report(
                by=None, rectification=rect, text="已完成部分整改。", files=_evidence("阶段整改情况.pdf"), submit=True
            )
            services.rectification_return(
                by=None, rectification=rect, reason="佐证材料不足以证明问题已整改到位，请补充。"
            )
        elif i % 4 == 0:
            services.rectification_plan(by=None, rectification=rect, plan="制定整改方案，明确时间表和路线图。")
            services.rectification_report(by=None, rectification=rect, text="正在推进整改，已完成调研摸底。")
    market = units[MARKET]
    market_rect = next((r for r in rects if r.unit_id == market.pk), None)
    case = _case_of(market)
    if market_rect is not None and case is not None:
        services.problem_link_add(by=None, rectification=market_rect, kind="case", object_id=case.pk)
    if market_rect is not None:
        services.clue_refer(
            by=None,
            rectification=market_rect,
            recipient="示例市纪委监委",
            summary="督察中发现个别执法人员在案件办理中涉嫌违反廉洁纪律，移送审查。",
            referred_on=start + dt.timedelta(days=30),
            today=today,
        )
    special = services.campaign_create(
        by=None,
        kind=rules.SPECIAL,
        title=f"{today.year}年涉企行政检查专项督察",
        period_start=today - dt.timedelta(days=30),
        period_end=today - dt.timedelta(days=20),
        units=[units[ECOLOGY], units[HOUSING]],
        scope="涉企检查频次、联合检查和检查结果公示情况。",
        team="市司法局行政执法协调监督科",
        lead_unit=justice,
    )
    services.problem_add(
        by=None,
        campaign=special,
        aspect="涉企行政检查方面",
        description="同一企业季度内被检查三次以上，未实行联合检查",
        requirement="合并检查事项，实行“进一次门、查多项事”",
        units=[units[ECOLOGY], units[HOUSING]],
        deadline=today + dt.timedelta(days=45),
        today=today - dt.timedelta(days=18),
    )
    return [f"法治督察：{OversightCampaign.objects.count()} 次督察，{n + 1} 个问题，{len(rects) + 2} 项整改"]
