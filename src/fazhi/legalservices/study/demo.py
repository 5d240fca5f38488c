"""Demo data of 学法用法: a question bank in three subjects, last year's closed-book examination with results per
unit, this year's examination open for the demo logins, 会前学法 records and 年终述法 reports. Deterministic."""

import datetime as dt

from django.utils import timezone

from fazhi.core.models import Unit, User
from fazhi.legalservices.study import rules, services
from fazhi.legalservices.study.models import StudyExam, StudyQuestion

JUSTICE, GOV, MARKET, ECOLOGY = "示例市司法局", "示例市人民政府", "示例市市场监督管理局", "示例市生态环境局"

SINGLE = [
    ("行政处罚法", "行政处罚的设定和实施，应当遵循的原则是？", ["公正、公开", "效率优先", "从重从快", "内部决定"], "A"),
    ("行政处罚法", "违法行为在几年内未被发现的，一般不再给予行政处罚？", ["一年", "二年", "三年", "五年"], "B"),
    (
        "行政处罚法",
        "执法人员当场作出行政处罚决定的，应当向当事人出示什么？",
        ["工作证", "执法证件", "介绍信", "身份证"],
        "B",
    ),
    (
        "行政处罚法",
        "行政机关应当自行政处罚案件立案之日起几日内作出行政处罚决定？",
        ["三十日", "六十日", "九十日", "一百二十日"],
        "C",
    ),
    (
        "行政许可法",
        "行政机关应当自受理行政许可申请之日起多少日内作出决定？",
        ["十日", "十五日", "二十日", "三十日"],
        "C",
    ),
    (
        "行政许可法",
        "申请材料不齐全的，行政机关应当当场或者在几日内一次告知申请人需要补正的全部内容？",
        ["三日", "五日", "七日", "十日"],
        "B",
    ),
    ("宪法", "我国的根本法是？", ["宪法", "刑法", "民法典", "立法法"], "A"),
    ("宪法", "国家宪法日是每年的哪一天？", ["3月15日", "10月1日", "12月4日", "7月1日"], "C"),
    ("宪法", "中华人民共和国的一切权力属于？", ["人民", "国务院", "全国人大常委会", "各级政府"], "A"),
    (
        "行政许可法",
        "行政许可的实施机关可以对已设定的行政许可的实施情况进行什么？",
        ["评价", "废止", "撤销", "变更"],
        "A",
    ),
]
MULTIPLE = [
    ("行政处罚法", "下列属于行政处罚种类的有？", ["警告、通报批评", "罚款", "没收违法所得", "责令检讨"], "ABC"),
    (
        "行政处罚法",
        "行政机关在作出行政处罚决定之前，应当告知当事人的内容有？",
        ["拟作出的处罚内容", "事实、理由、依据", "陈述、申辩权", "执法人员家庭住址"],
        "ABC",
    ),
    ("行政许可法", "行政许可应当遵循的原则有？", ["公开", "公平", "公正", "有偿"], "ABC"),
    (
        "宪法",
        "宪法宣誓适用于下列哪些人员？",
        ["各级人大选举产生的国家工作人员", "人大常委会任命的国家工作人员", "普通群众", "人民法院任命的审判员"],
        "ABD",
    ),
    (
        "行政处罚法",
        "行政执法“三项制度”包括？",
        ["行政执法公示", "执法全过程记录", "重大执法决定法制审核", "执法人员轮岗"],
        "ABC",
    ),
]
JUDGE = [
    ("行政处罚法", "执法人员少于两人时也可以调查取证。", "错误"),
    ("行政处罚法", "当事人有陈述、申辩的权利，行政机关不得因当事人陈述、申辩而给予更重的处罚。", "正确"),
    ("行政许可法", "行政许可申请可以通过电子数据交换和电子邮件等方式提出。", "正确"),
    ("宪法", "宪法是国家的根本大法，具有最高的法律效力。", "正确"),
    ("宪法", "全国人民代表大会常务委员会是最高国家行政机关。", "错误"),
    ("行政许可法", "行政机关实施行政许可，可以向申请人提出购买指定商品的要求。", "错误"),
]


def build(*, units: dict, users: dict) -> list[str]:
    if StudyExam.objects.exists():
        return []
    for subject, stem, options, answer in SINGLE:
        services.question_save(by=None, subject=subject, kind=rules.SINGLE, stem=stem, options=options, answer=answer)
    for subject, stem, options, answer in MULTIPLE:
        services.question_save(by=None, subject=subject, kind=rules.MULTIPLE, stem=stem, options=options, answer=answer)
    for subject, stem, answer in JUDGE:
        services.question_save(by=None, subject=subject, kind=rules.JUDGE, stem=stem, options=[], answer=answer)
    subjects = ["行政处罚法", "行政许可法", "宪法"]
    now = timezone.now()
    unit = {name: Unit.objects.get(name=name) for name in (JUSTICE, GOV, MARKET, ECOLOGY)}
    candidates = list(
        User.objects.filter(unit__kind="agency", roles__code__in=["agency_legal", "officer"])
        .distinct()
        .order_by("pk")[:12]
    )

    # Last year's closed-book examination: sat, marked, closed (a spread of results for the unit table).
    last = services.exam_create(
        by=None,
        unit=unit[JUSTICE],
        title=f"{now.year - 1}年度行政执法人员集中闭卷考试",
        kind=rules.ANNUAL,
        year=now.year - 1,
        subjects=subjects,
        single_count=6,
        multiple_count=3,
        judge_count=4,
        duration_minutes=60,
        opens_at=now - dt.timedelta(days=400),
        closes_at=now - dt.timedelta(days=399),
    )
    services.exam_enrol(by=None, exam=last, users=candidates, seed_base=1000)
    services.exam_open(by=None, exam=last)
    start = last.opens_at + dt.timedelta(minutes=5)
    for n, paper in enumerate(last.papers.order_by("pk")):
        services.paper_start(by=paper.user, paper=paper, now=start)
        for k, q in enumerate(StudyQuestion.objects.in_bulk(paper.question_ids).values()):
            right = (k + n) % 5 != 0 if n % 4 else k % 2 == 0  # every fourth candidate guesses half
            services.paper_answer(
                by=paper.user, paper=paper, question_id=q.pk, answer=q.answer if right else "", now=start
            )
        services.paper_submit(by=paper.user, paper=paper, now=start + dt.timedelta(minutes=40))
    services.exam_close(by=None, exam=last, now=last.closes_at)

    # This year's examination, open now for the demo logins (the `officer` 陈执法 among them).
    current = services.exam_create(
        by=None,
        unit=unit[JUSTICE],
        title=f"{now.year}年度行政执法人员集中闭卷考试",
        kind=rules.ANNUAL,
        year=now.year,
        subjects=subjects,
        single_count=5,
        multiple_count=2,
        judge_count=3,
        duration_minutes=30,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=60),
    )
    services.exam_enrol(by=None, exam=current, users=[users["officer"], users["agency"], *candidates], seed_base=5000)
    services.exam_open(by=None, exam=current)

    today = timezone.localdate()
    for days, meeting, topic, law, presenter_unit, presenter in (
        (40, "市政府第18次常务会议", "食品安全监管", "《中华人民共和国食品安全法》", MARKET, "王局长"),
        (25, "市政府第19次常务会议", "生态环境保护", "《中华人民共和国环境保护法》", ECOLOGY, "刘局长"),
        (10, "市政府第20次常务会议", "行政执法监督", "《山东省行政执法监督条例》", JUSTICE, "李局长"),
    ):
        services.session_save(
            by=None,
            unit=unit[GOV],
            meeting=meeting,
            held_on=today - dt.timedelta(days=days),
            topic=topic,
            law_title=law,
            presenting_unit=unit[presenter_unit],
            presenter=presenter,
            attendees=28,
        )
    for u, leader, post in ((MARKET, "王局长", "局长"), (ECOLOGY, "刘局长", "局长")):
        services.report_save(
            by=None,
            unit=unit[u],
            year=today.year - 1,
            leader_name=leader,
            leader_post=post,
            content="一、履行推进法治建设第一责任人职责情况\n二、学法用法、依法决策情况\n三、存在的问题和下一步打算",
        )
    return [f"学法用法：题库 {len(SINGLE) + len(MULTIPLE) + len(JUDGE)} 题，考试 2 场，会前学法 3 次，年终述法 2 份"]
