"""Demo 考核: a framework for last year and this year whose areas follow the 2021 市县法治政府建设示范指标体系
(the points are our own, and the framework says so), last year's assessment finalised with an appeal answered,
and this year's computed and under review. Deterministic; skipped when frameworks exist."""

import datetime as dt

from django.utils import timezone

from fazhi.assessment.scoring import rules, services
from fazhi.assessment.scoring.models import Framework

# (code, level, parent, name, points, method, source, mapping, params, target, cap, criteria)
DEMO_ROWS = [
    ("1", 1, "", "政府职能依法全面履行", 10, "分组", "", "", "", "", "", ""),
    ("1.1", 2, "1", "权责清单制度落实", 10, "人工评分", "", "", "", "", "", "权责清单动态调整、及时公布"),
    ("2", 1, "", "依法行政制度体系完善", 10, "分组", "", "", "", "", "", ""),
    ("2.1", 2, "2", "行政规范性文件管理", 10, "分组", "", "", "", "", "", ""),
    ("2.1.1", 3, "2.1", "规范性文件合法性审核", 4, "人工评分", "", "", "", "", "", "应审尽审"),
    ("2.1.2", 3, "2.1", "规范性文件报备率", 3, "自动计算", "normative_filed", "线性", "80-100", 100, "", ""),
    ("2.1.3", 3, "2.1", "规范性文件报备及时率", 3, "自动计算", "normative_timely", "线性", "80-100", 100, "", ""),
    ("3", 1, "", "重大行政决策科学民主合法", 10, "分组", "", "", "", "", "", ""),
    ("3.1", 2, "3", "重大行政决策法定程序履行", 10, "人工评分", "", "", "", "", "", "目录管理、公众参与、合法性审查"),
    ("4", 1, "", "行政执法严格规范公正文明", 30, "分组", "", "", "", "", "", ""),
    ("4.1", 2, "4", "执法规范化", 20, "分组", "", "", "", "", "", ""),
    ("4.1.1", 3, "4.1", "处罚案件法定规则校验合规率", 8, "自动计算", "cases_compliant", "线性", "80-100", 95, "", ""),
    ("4.1.2", 3, "4.1", "案卷评查平均分", 7, "自动计算", "review_mean", "线性", "60-100", 85, "", ""),
    ("4.1.3", 3, "4.1", "双随机抽查占比", 2, "自动计算", "inspections_random", "线性", "50-100", 90, "", ""),
    ("4.1.4", 3, "4.1", "抽查结果按期公示率", 2, "自动计算", "inspections_published", "线性", "80-100", 100, "", ""),
    ("4.1.5", 3, "4.1", "超频次涉企检查占比", 1, "自动计算", "inspections_over", "线性", "20-0", 0, "", ""),
    ("4.2", 2, "4", "投诉举报办理", 10, "分组", "", "", "", "", "", ""),
    (
        "4.2.1",
        3,
        "4.2",
        "投诉举报按期答复率",
        6,
        "自动计算",
        "complaints_on_time",
        "分档",
        "95:6;90:4;80:2",
        95,
        "",
        "",
    ),
    ("4.2.2", 3, "4.2", "投诉举报满意率", 4, "自动计算", "complaints_satisfied", "线性", "60-100", 90, "", ""),
    ("5", 1, "", "行政权力制约监督科学有效", 15, "分组", "", "", "", "", "", ""),
    ("5.1", 2, "5", "监督文书按期回复率", 5, "自动计算", "instruments_on_time", "线性", "50-100", 100, "", ""),
    ("5.2", 2, "5", "督察问题按期整改率", 5, "自动计算", "problems_rectified", "线性", "50-100", 100, "", ""),
    ("5.3", 2, "5", "政府信息公开申请按期答复率", 3, "自动计算", "disclosures_on_time", "线性", "80-100", 100, "", ""),
    ("5.4", 2, "5", "建议提案按期答复率", 2, "自动计算", "proposals_on_time", "线性", "80-100", 100, "", ""),
    ("6", 1, "", "突发事件依法预防处置", 5, "分组", "", "", "", "", "", ""),
    ("6.1", 2, "6", "应急预案和依法处置", 5, "人工评分", "", "", "", "", "", "预案完备、依法处置"),
    ("7", 1, "", "社会矛盾纠纷依法有效化解", 15, "分组", "", "", "", "", "", ""),
    ("7.1", 2, "7", "行政复议纠错率", 4, "自动计算", "reconsideration_corrected", "线性", "30-0", 10, "", ""),
    ("7.2", 2, "7", "行政应诉败诉率", 4, "自动计算", "litigation_lost", "线性", "30-0", 10, "", ""),
    ("7.3", 2, "7", "负责人出庭应诉率", 4, "自动计算", "heads_appeared", "线性", "50-100", 90, "", ""),
    (
        "7.4",
        2,
        "7",
        "司法建议、检察建议按期回复率",
        3,
        "自动计算",
        "suggestions_replied",
        "线性",
        "80-100",
        100,
        "",
        "",
    ),
    ("8", 1, "", "政府工作人员法治思维和依法行政能力", 5, "分组", "", "", "", "", "", ""),
    ("8.1", 2, "8", "领导干部学法", 2, "人工评分", "", "", "", "", "", "学法制度落实"),
    ("8.2", 2, "8", "执法人员持证率", 3, "自动计算", "officers_certified", "线性", "80-100", 100, "", ""),
    ("B1", 1, "", "法治建设工作获上级表彰或推广", 3, "加分项", "", "", "", "", 3, "每项加1分，最多3分"),
    ("D1", 1, "", "发生执法过错被上级通报", 5, "扣分项", "", "", "", "", 5, "每次扣1分，最多5分"),
    ("V1", 1, "", "发生严重违法行政行为造成恶劣社会影响", 0, "一票否决", "", "", "", "", "", "一票否决"),
]
FIELDS = [
    "code",
    "level",
    "parent",
    "name",
    "points",
    "method",
    "source",
    "mapping",
    "params",
    "target",
    "cap",
    "criteria",
]


def demo_rows() -> list[tuple[int, dict]]:
    return [(i + 2, dict(zip(FIELDS, row, strict=True))) for i, row in enumerate(DEMO_ROWS)]


def framework_demo(*, year: int) -> Framework:
    fw = services.framework_create(
        year=year, name=f"{year}年度法治政府建设考核指标体系", note=rules.DEMO_POINTS_NOTE, by=None
    )
    services.framework_replace(framework=fw, rows=demo_rows(), by=None)
    return fw


def _manual(run, seed: int) -> None:
    for i, score in enumerate(run.scores.filter(indicator__method="manual").select_related("indicator", "member")):
        pts = score.indicator.points - (i * 7 + seed + score.member.unit_id) % 4
        services.score_set(score=score, points=max(pts, 0), note="按佐证材料评分（演示）", by=None)


def build(*, units=None, users=None) -> None:
    if Framework.objects.exists():
        return
    today = timezone.localdate()
    last = framework_demo(year=today.year - 1)
    framework_demo(year=today.year)
    run = services.run_create(framework=last, name=f"{last.year}年度法治政府建设考核", by=None)
    _manual(run, 1)
    published = dt.date(last.year + 1, 1, 10)
    run = services.run_publish(run=run, by=None, today=published)
    member = run.members.filter(group=rules.GROUPS[1]).order_by("rank").last()
    score = member.scores.filter(indicator__method="manual").first()
    appeal = services.appeal_file(
        score=score, reason="本单位已按期调整并公布权责清单，佐证材料见附件，评分偏低。", by=None, today=published
    )
    services.appeal_answer(
        appeal=appeal, upheld=True, answer="经核实，材料齐全，予以调整。", points=score.indicator.points, by=None
    )
    services.run_finalise(run=run, by=None, today=run.appeal_until + dt.timedelta(days=1))
    current = Framework.objects.get(year=today.year)
    run2 = services.run_create(framework=current, name=f"{current.year}年度法治政府建设考核（进行中）", by=None)
    _manual(run2, 2)
