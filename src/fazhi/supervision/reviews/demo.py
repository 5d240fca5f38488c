"""Demo of 行政执法案卷评查 (order 61, after the cases): a realistic rubric (基础标准 主体/证据/适用法律/程序, 文书规范
制作/案卷管理, eight veto items), a finished campaign (sampled, scored with the prefilled deductions, some files
不合格, published, report and 评查意见 issued, one rectification signed off) and one in progress whose files are
assigned to `supervisor`, `agency2` (市场监管局 files) and `monitor`. Everything goes through the services, dated
relative to the day the demo is built. Idempotent. The sample's seed is random by design (that is the point of a
verifiable draw), so which files are drawn differs from one build to the next; everything else is deterministic."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from fazhi.core.clock import backdated, office_hours
from fazhi.registry.models import Agency
from fazhi.supervision.reviews import rules, selectors, services
from fazhi.supervision.reviews.models import Campaign, Rubric

MARKET, ECOLOGY, CITY = "示例市市场监督管理局", "示例市生态环境局", "示例市城市管理综合执法局"
RUBRIC_NAME = "行政处罚案卷评查标准"
FINISHED = "案卷评查（第一批）"
IN_PROGRESS = "案卷评查（第二批）"
OPINION_PREFIX = "示司评"

# (group, code, title, points)
SECTIONS = [
    ("基础标准", "一", "执法主体", 10),
    ("基础标准", "二", "证据", 20),
    ("基础标准", "三", "适用法律", 20),
    ("基础标准", "四", "执法程序", 20),
    ("文书规范", "五", "文书制作", 20),
    ("文书规范", "六", "案卷管理", 10),
]
# (section, code, title, points, per defect, caps 优秀, statutory check)
ITEMS = [
    ("一", "1.1", "执法主体名称、执法依据在文书中表述准确", 4, 2, False, ""),
    ("一", "1.2", "委托执法的，委托手续完备并以委托机关名义作出决定", 3, 3, False, ""),
    ("一", "1.3", "调查取证时执法人员出示执法证件、告知身份", 3, 1, False, ""),
    ("二", "2.1", "现场检查（勘验）笔录、询问笔录制作规范，有当事人签名或见证", 6, 2, False, ""),
    ("二", "2.2", "书证、物证、电子数据等证据来源合法、形式完备", 6, 2, False, ""),
    ("二", "2.3", "证据相互印证，形成完整的证据链", 8, 4, True, ""),
    ("三", "3.1", "引用法律条款准确、完整（具体到条、款、项）", 8, 2, False, ""),
    ("三", "3.2", "罚款在裁量基准幅度内，裁量理由充分", 8, 4, True, "fine_outside_tier"),
    ("三", "3.3", "从轻、减轻或者不予处罚符合法定情形", 4, 2, False, ""),
    ("四", "4.1", "立案审批手续完备，立案之日起九十日内作出决定", 4, 2, False, "decision_overdue"),
    ("四", "4.2", "重大执法决定在作出决定前经法制审核", 6, 6, True, "legal_review_missing"),
    ("四", "4.3", "依法告知陈述、申辩、听证权利，听证通知符合期限", 4, 2, False, "hearing_notice_short"),
    ("四", "4.4", "行政处罚决定书七个工作日内送达", 3, 1, False, "service_late"),
    ("四", "4.5", "简易程序的适用符合罚款限额", 3, 3, False, "on_the_spot_limit"),
    ("五", "5.1", "文书格式规范、要素齐全，文号连续", 8, 1, False, ""),
    ("五", "5.2", "文书内容表述准确，无错别字、涂改", 6, 1, False, ""),
    ("五", "5.3", "决定书载明履行方式、期限及申请复议、提起诉讼的途径", 6, 2, False, ""),
    ("六", "6.1", "行政处罚决定按期公示（七个工作日内）", 4, 2, False, "disclosure_late"),
    ("六", "6.2", "案卷材料齐全，按顺序装订，有卷内目录和备考表", 3, 1, False, ""),
    ("六", "6.3", "执法全过程记录（音像记录）材料归档", 3, 1, False, ""),
]
# (code, category, title, statutory check)
VETOES = [
    ("F1", "主体", "执法主体不具有行政处罚权或者超越法定职权", ""),
    ("F2", "资格", "执法人员未取得行政执法证件或者证件已失效、被暂扣", "handler_certificate_invalid"),
    ("F3", "执法人员", "实施行政处罚的执法人员少于两人", "handlers_min_two"),
    ("F4", "证据", "主要证据不足，或者证据系以非法手段取得", ""),
    ("F5", "事实", "违法事实不清", ""),
    ("F6", "定性", "违法行为定性错误", ""),
    ("F7", "适用法律", "适用法律、法规、规章错误，或者超过追责时效仍给予处罚", "limitation_expired"),
    ("F8", "程序", "严重违反法定程序（应当听证而未组织听证等）", ""),
]

# Deductions reviewers find by reading the files (the checks cannot see them): per file position, (item, defects,
# note). Positions 2 and 6 also fail a veto item (主要证据不足): the demo shows 优秀, 合格 and 不合格 files.
FINDINGS = {
    1: [("2.1", 1, "询问笔录未由当事人逐页签名")],
    2: [("5.2", 2, "决定书中当事人住所、违法时间表述有误"), ("6.3", 1, "现场执法音像记录未归档")],
    3: [("3.1", 3, "决定书只引用法律名称，未具体到条、款、项"), ("2.3", 1, "违法所得计算缺少相应书证印证")],
    4: [("5.1", 2, "送达回证未填写送达方式，文号不连续")],
    5: [("2.2", 3, "抽样检验报告为复印件，未加盖检验机构印章"), ("6.2", 2, "卷内目录缺失，材料未按顺序装订")],
    6: [("1.3", 1, "现场检查笔录未记载出示执法证件")],
}
VETO_AT = (2, 6)


def rubric_spec() -> rules.RubricSpec:
    return services.rubric_spec_from(
        {
            "sections": [{"group": g, "code": c, "title": t, "points": p} for g, c, t, p in SECTIONS],
            "items": [
                {
                    "kind": "scored",
                    "section": s,
                    "code": c,
                    "title": t,
                    "points": p,
                    "deduction": d,
                    "caps_excellent": cap,
                    "rule_code": rule,
                }
                for s, c, t, p, d, cap, rule in ITEMS
            ]
            + [
                {"kind": "veto", "code": c, "category": cat, "title": t, "rule_code": rule}
                for c, cat, t, rule in VETOES
            ],
        }
    )


def _rubric(today: dt.date) -> Rubric:
    existing = Rubric.objects.filter(name=RUBRIC_NAME, year=today.year, case_type="penalty").first()
    if existing:
        return existing
    return services.rubric_create(
        by=None,
        name=RUBRIC_NAME,
        year=today.year,
        case_type="penalty",
        basis="参照鲁司〔2023〕33号《山东省行政处罚案卷评查规则》，结合本市实际制定",
        spec=rubric_spec(),
    )


def _agencies(*names) -> list[Agency]:
    return list(Agency.objects.filter(unit__name__in=names).select_related("unit").order_by("unit__sort_order"))


def _score(file, reviewer, day: dt.date, n: int, *, veto: bool = False) -> None:
    """A reviewer reads the file: confirms the prefilled deductions (overrides one on the first file), adds what the
    checks cannot see, fails a veto item where the file has one, and submits."""
    with backdated(office_hours(day, n)):
        sheet = services.sheet_open(by=reviewer, file=file, today=day)
        overridden = False
        for line in selectors.sheet_lines(sheet=sheet):
            if line.source != "prefill":
                continue
            if not overridden and line.kind == "deduction" and n % 3 == 1:
                services.sheet_line_decide(
                    by=reviewer, line=line, decision="override", reason="经核实案卷中的相关材料，该问题不成立，不扣分"
                )
                overridden = True
            else:
                services.sheet_line_decide(by=reviewer, line=line, decision="confirm")
        rubric = file.campaign.rubric
        for code, defects, note in FINDINGS.get(n % 7, []):
            item = rubric.items.get(code=code)
            if sheet.lines.filter(rubric_item=item).exists():
                continue
            services.sheet_line_add(by=reviewer, sheet=sheet, rubric_item=item, defects=defects, note=note)
        if veto and not sheet.lines.filter(kind="veto", decision="confirmed").exists():
            item = rubric.items.get(code="F4")
            services.sheet_line_add(
                by=reviewer, sheet=sheet, rubric_item=item, note="认定违法所得的主要证据仅有当事人陈述，无其他证据佐证"
            )
        services.sheet_submit(by=reviewer, sheet=sheet, comment="案卷评查完毕", today=day)


def build(*, units: dict, users: dict) -> list[str]:
    today = timezone.localdate()
    if Campaign.objects.filter(name__endswith=FINISHED).exists():
        return []
    supervisor, agency2, monitor = users["supervisor"], users["agency2"], users["monitor"]
    rubric = _rubric(today)
    made = []

    # ---- a finished campaign: sampled, scored, published, report and 评查意见, one rectification signed off
    start = today - dt.timedelta(days=28)
    with backdated(office_hours(start, 1)):
        done = services.campaign_create(
            by=supervisor,
            name=f"{start.year}年度{FINISHED}",
            year=start.year,
            rubric=rubric,
            agencies=_agencies(MARKET, ECOLOGY, CITY),
            period_start=today - dt.timedelta(days=365),
            period_end=start,
            deadline=start + dt.timedelta(days=20),
            min_per_agency=2,
            percent=Decimal("10"),
            include_flagged=True,
            today=start,
        )
        for u in (supervisor, agency2, monitor):
            services.pool_add(by=supervisor, campaign=done, user=u)
        services.sample_commit(by=supervisor, campaign=done, today=start)
        services.sample_draw(by=supervisor, campaign=done)
        services.files_auto_assign(by=supervisor, campaign=done, today=start)
    files = list(done.files.select_related("campaign__rubric", "case", "agency__unit").order_by("position"))
    for n, file in enumerate(files, start=1):
        day = start + dt.timedelta(days=2 + n % 10)
        _score(file, file.reviewer, day, n, veto=n in VETO_AT)
    published = start + dt.timedelta(days=14)
    with backdated(office_hours(published, 3)):
        services.campaign_publish(by=supervisor, campaign=done, today=published)
        services.campaign_report(by=supervisor, campaign=done, today=published)
        opinions = services.opinions_issue(by=supervisor, campaign=done, prefix=OPINION_PREFIX, today=published)
    to_rectify = [o for o in opinions if o.item_id]
    if to_rectify:
        first = to_rectify[0]
        legal = users["agency"] if first.agency.unit.name == MARKET else agency2
        if first.agency.unit.name not in (MARKET, ECOLOGY):
            from fazhi.core.demo.build import demo_legal_officer

            legal = demo_legal_officer(first.agency.unit)
        with backdated(office_hours(published + dt.timedelta(days=6), 4)):
            services.opinion_report(
                by=legal,
                opinion=first,
                text="已逐项整改：补充询问笔录签名，重新装订案卷并补齐卷内目录，组织全员学习评查标准",
            )
        with backdated(office_hours(published + dt.timedelta(days=8), 5)):
            services.opinion_signoff(by=supervisor, opinion=first, comment="整改到位，同意销号")
    made.append(done.name)

    # ---- one in progress: files assigned to supervisor, agency2 (市场监管局 files) and monitor
    begin = today - dt.timedelta(days=3)
    with backdated(office_hours(begin, 6)):
        running = services.campaign_create(
            by=supervisor,
            name=f"{today.year}年度{IN_PROGRESS}",
            year=today.year,
            rubric=rubric,
            agencies=_agencies(MARKET, ECOLOGY),
            period_start=today - dt.timedelta(days=365),
            period_end=today,
            deadline=today + dt.timedelta(days=30),
            min_per_agency=3,
            percent=Decimal("10"),
            include_flagged=True,
            today=begin,
        )
        for u in (supervisor, agency2, monitor):
            services.pool_add(by=supervisor, campaign=running, user=u)
        services.sample_commit(by=supervisor, campaign=running, today=begin)
        services.sample_draw(by=supervisor, campaign=running)
        turn = {MARKET: [agency2, supervisor, monitor], ECOLOGY: [supervisor, monitor]}
        counters = {MARKET: 0, ECOLOGY: 0}
        for file in running.files.select_related("agency__unit", "case", "campaign__rubric").order_by("position"):
            name = file.agency.unit.name
            reviewer = turn[name][counters[name] % len(turn[name])]
            counters[name] += 1
            services.file_assign(by=supervisor, file=file, reviewer=reviewer, today=begin)
    mine = running.files.filter(reviewer=supervisor).order_by("position")
    started = mine.filter(reason="flagged").first() or mine.first()
    if started is not None:
        with backdated(office_hours(today - dt.timedelta(days=1), 7)):
            services.sheet_open(by=supervisor, file=started, today=today)
    made.append(running.name)
    return made
