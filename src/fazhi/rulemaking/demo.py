"""Demo data of 依法决策, all through the services and dated relative to the day the demo is built:

- last year's catalogue of 示例市人民政府 with a decision taken through every step (consultation with answered comments,
  hearing, experts, risk, legality review, discussion, publication, an execution report and a post-evaluation) and
  one removed by an adjustment;
- this year's catalogue: 市场监管局's draft open for comment (comments pending, published, withheld), 生态环境局's
  decision in legality review (without public participation, for a stated reason), a 人大代表建议 waiting to start;
- normative documents: a government one filed (one filing late), 市场监管局's published this year (filings running)
  and one in legality review, an expired 暂行 one, one near the end of its validity (reminded), one repealed by this
  year's cleanup; an incidental review from a reconsideration on its clocks.

Idempotent: nothing is added when the first decision exists.
"""

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

from fazhi.core.clock import backdated, office_hours
from fazhi.core.demo.build import demo_legal_officer
from fazhi.core.models import Unit
from fazhi.rulemaking import services
from fazhi.rulemaking.models import MajorDecision, PublicComment

D1 = "示例市农贸市场升级改造实施方案"
_n = {"i": 0}


@contextmanager
def on(day: dt.date):
    _n["i"] += 1
    with backdated(office_hours(day, _n["i"])):
        yield


def _u(name: str) -> Unit:
    return Unit.objects.get(name=name)


def build(*, units, users) -> None:
    if MajorDecision.objects.filter(title=D1).exists():
        return
    today = timezone.localdate()
    _last_year(users, today)
    _this_year(users, today)
    _normative(users, today)


def _speeches():
    return [
        {"speaker": "常务副市长", "role": "member", "position": "agree", "opinion": "同意"},
        {"speaker": "副市长（分管住建）", "role": "member", "position": "agree", "opinion": "建议加快进度"},
        {
            "speaker": "副市长（分管财政）",
            "role": "member",
            "position": "disagree",
            "opinion": "资金压力较大，建议分两年实施",
        },
        {"speaker": "市长", "role": "head", "position": "agree", "opinion": "同意，按分年度计划实施"},
    ]


def _last_year(users, today: dt.date) -> None:
    sup, gov, justice = users["supervisor"], _u("示例市人民政府"), _u("示例市司法局")
    housing = _u("示例市住房和城乡建设局")
    legal = demo_legal_officer(housing)
    year = today.year - 1
    day = dt.date(year, 3, 2)
    with on(day):
        d = services.decision_propose(
            by=legal,
            title="示例市城镇老旧小区改造三年行动计划",
            organ=gov,
            lead_unit=housing,
            year=year,
            source="department",
            category="plan",
            today=day,
            summary="改造2000年前建成的老旧小区，完善水电气和无障碍设施",
        )
        removed = services.decision_propose(
            by=sup,
            title="示例市城区停车收费标准调整方案",
            organ=gov,
            lead_unit=housing,
            year=year,
            source="leader",
            source_detail="分管副市长",
            today=day,
        )
        cat = services.catalogue_create(by=sup, organ=gov, year=year, today=day)
        services.catalogue_include(by=sup, catalogue=cat, decision=d, today=day)
        services.catalogue_include(by=sup, catalogue=cat, decision=removed, today=day)
    with on(day + dt.timedelta(days=3)):
        services.catalogue_consent(
            by=sup,
            catalogue=cat,
            consent_on=day + dt.timedelta(days=3),
            consent_ref=f"市委常委会会议纪要〔{year}〕5号",
            today=day + dt.timedelta(days=3),
        )
        services.catalogue_publish(by=sup, catalogue=cat, today=day + dt.timedelta(days=3))
    d.refresh_from_db()
    t = day + dt.timedelta(days=5)
    with on(t):
        services.decision_set_procedures(
            by=legal,
            decision=d,
            public_participation=True,
            hearing_required=True,
            hearing_reason="直接涉及居民切身利益",
            today=t,
        )
        c = services.consultation_open(
            by=legal,
            decision=d,
            starts_on=t,
            days=30,
            draft_text="一、改造范围\n二、改造内容\n三、资金筹措\n四、实施步骤",
            explanation="根据国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见起草",
            today=t,
        )
    for i, (content, answer, reason) in enumerate(
        [
            ("建议优先加装电梯，老人上下楼困难。", "adopted", "已在改造内容中增加加装电梯专项。"),
            ("改造期间请安排临时停车位。", "partly", "已要求施工方案安排临时停车，具体数量视场地而定。"),
            ("建议由居民自己出全部改造费用。", "not_adopted", "基础类改造由财政资金保障，居民出资按自愿原则。"),
        ]
    ):
        with on(t + dt.timedelta(days=2 + i)):
            comment, _ = services.comment_submit(
                consultation=c, content=content, name="居民", today=t + dt.timedelta(days=2 + i)
            )
            services.comment_moderate(by=legal, decision=d, comment=comment, publish=True)
            services.comment_answer(by=legal, decision=d, comment=comment, answer=answer, reason=reason)
    t = c.ends_on + dt.timedelta(days=1)
    with on(t):
        services.consultation_publish_answers(
            by=legal, decision=d, adoption_summary="收到意见3条，采纳1条，部分采纳1条。", today=t
        )
        services.hearing_plan(
            by=legal,
            decision=d,
            organiser="示例市住房和城乡建设局",
            held_on=t + dt.timedelta(days=12),
            place="市政务服务中心三楼会议室",
            selection_rules="个人报名与社区推荐相结合，随机抽取，居民代表不少于半数",
            rules_published_on=t - dt.timedelta(days=20),
            participants="王某（居民代表）\n李某（居民代表）\n赵某（物业企业）\n孙某（律师）",
            participants_published_on=t - dt.timedelta(days=5),
            materials_sent_on=t + dt.timedelta(days=2),
            today=t,
        )
    t = t + dt.timedelta(days=12)
    with on(t):
        services.hearing_held(
            by=legal, decision=d, record_confirmed=True, summary="4名参加人发表意见，均同意改造方案", today=t
        )
        expert = services.expert_add(
            by=legal, decision=d, name="陈教授", organisation="示例大学建筑学院", field="城市更新"
        )
        services.expert_add(
            by=legal,
            decision=d,
            name="周工",
            organisation="示例建设集团",
            field="工程造价",
            interest="所在企业拟参与改造工程投标",
        )
        services.expert_opinion(
            by=legal,
            decision=d,
            expert=expert,
            opinion="方案必要可行，建议明确长效管理机制",
            signed=True,
            opinion_on=t,
            today=t,
        )
        services.expert_complete(by=legal, decision=d, adoption="已增加长效管理章节", today=t)
        services.risk_assess(
            by=legal,
            decision=d,
            assessor="示例市社会稳定风险评估中心",
            risk_points="施工扰民；费用分摊争议",
            measures="分期施工、公示分摊方案、设立投诉电话",
            level="medium",
            controllable=True,
            assessed_on=t,
            today=t,
        )
        services.review_submit(by=legal, decision=d, reviewer_unit=justice, working_days=7, today=t)
    t = t + dt.timedelta(days=6)
    with on(t):
        services.review_opinion(
            by=sup,
            decision=d,
            opinion="lawful_after_changes",
            opinion_text="第三部分资金筹措应明确财政资金的预算程序",
            today=t,
        )
        services.review_changes(by=legal, decision=d, changes_text="已补充预算程序条款", today=t)
    t = t + dt.timedelta(days=10)
    with on(t):
        services.discussion_record(
            by=sup,
            decision=d,
            meeting_name=f"市政府{year}年第9次常务会议",
            held_on=t,
            members_total=9,
            members_present=8,
            attendees="市长、副市长、秘书长；列席：市住建局、市财政局、市司法局",
            speeches=_speeches(),
            dissent="副市长（分管财政）认为资金压力较大，建议分两年实施",
            outcome="adopted",
            today=t,
        )
    t = t + dt.timedelta(days=5)
    with on(t):
        services.decision_publish(
            by=sup,
            decision=d,
            published_on=t,
            channels="市政府公报、市政府网站、示例日报",
            decision_text="一、改造范围：2000年底前建成的城镇老旧小区\n二、改造内容：基础类、完善类、提升类\n三、实施期限：三年",
            party_report_on=t - dt.timedelta(days=2),
            adoption_note="采纳加装电梯、临时停车等意见；采纳专家长效管理建议",
            prefix="示政决",
            today=t,
        )
    t = dt.date(year, 10, 15)
    with on(t):
        services.execution_report(
            by=legal,
            decision=d,
            period=f"{year}年前三季度",
            reported_on=t,
            content="已开工小区46个，完工21个",
            problems="部分小区居民意见不一，加装电梯进度慢",
            today=t,
        )
        services.evaluation_start(
            by=sup,
            decision=d,
            trigger="opinions",
            trigger_note="12345热线反映施工扰民较多",
            evaluator_name="示例市社会科学院",
            started_on=t,
            today=t,
        )
    t = dt.date(year, 12, 10)
    with on(t):
        services.evaluation_result(
            by=sup, decision=d, result="总体达到预期，施工组织需改进", conclusion="continue", today=t
        )
        services.catalogue_adjust(
            by=sup,
            catalogue=cat,
            kind="remove",
            decision=removed,
            reason="国家停车收费政策调整，待上级政策明确后再行研究",
            today=t,
        )


def _clamp(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


def _this_year(users, today: dt.date) -> None:
    sup, agency, agency2 = users["supervisor"], users["agency"], users["agency2"]
    gov, justice = _u("示例市人民政府"), _u("示例市司法局")
    market, ecology, housing = _u("示例市市场监督管理局"), _u("示例市生态环境局"), _u("示例市住房和城乡建设局")
    start = _clamp(max(dt.date(today.year, 1, 5), today - dt.timedelta(days=40)), today)
    with on(start):
        d1 = services.decision_propose(
            by=agency,
            title=D1,
            organ=gov,
            lead_unit=market,
            year=today.year,
            source="department",
            summary="对城区12个农贸市场进行标准化改造",
            today=start,
        )
        d2 = services.decision_propose(
            by=agency2,
            title="示例市重点流域水污染防治专项资金使用方案",
            organ=gov,
            lead_unit=ecology,
            year=today.year,
            source="leader",
            source_detail="市长",
            today=start,
        )
        d3 = services.decision_propose(
            by=sup,
            title="示例市既有住宅加装电梯补助办法",
            organ=gov,
            lead_unit=housing,
            year=today.year,
            source="deputy",
            source_detail="市人大代表张某等5人",
            proposal_number=f"第{today.year % 100:02d}0123号",
            proposal_title="关于出台既有住宅加装电梯补助政策的建议",
            today=start,
        )
        cat = services.catalogue_create(by=sup, organ=gov, year=today.year, today=start)
        for d in (d1, d2, d3):
            services.catalogue_include(by=sup, catalogue=cat, decision=d, today=start)
        services.catalogue_consent(
            by=sup, catalogue=cat, consent_on=start, consent_ref=f"市委常委会会议纪要〔{today.year}〕2号", today=start
        )
        services.catalogue_publish(by=sup, catalogue=cat, today=start)
    for d in (d1, d2):
        d.refresh_from_db()
    # 生态环境局: without public participation (a stated reason), argued, assessed, now in legality review.
    t = _clamp(start + dt.timedelta(days=1), today)
    with on(t):
        services.decision_set_procedures(
            by=agency2,
            decision=d2,
            public_participation=False,
            participation_omit_reason="方案涉及尚未公开的财政预算安排，依法不予公开",
            expert_argument=True,
            risk_assessment=True,
            today=t,
        )
        e = services.expert_add(
            by=agency2, decision=d2, name="吴研究员", organisation="示例市环境科学研究院", field="水环境"
        )
        services.expert_opinion(
            by=agency2, decision=d2, expert=e, opinion="资金分配应向上游倾斜", signed=True, opinion_on=t, today=t
        )
        services.expert_complete(by=agency2, decision=d2, adoption="已调整分配系数", today=t)
        services.risk_assess(
            by=agency2,
            decision=d2,
            assessor="示例市生态环境局",
            risk_points="项目单位配套资金不到位",
            measures="建立资金拨付与进度挂钩机制",
            level="low",
            controllable=True,
            assessed_on=t,
            today=t,
        )
    t = min(max(today - dt.timedelta(days=2), start + dt.timedelta(days=1)), today)
    with on(t):
        services.review_submit(
            by=agency2,
            decision=d2,
            reviewer_unit=justice,
            working_days=10,
            materials_note="决策草案、起草说明、专家论证意见、风险评估报告",
            today=t,
        )
    # 市场监管局: the draft open for comment now (the browser test comments on it).
    t = _clamp(today - dt.timedelta(days=3), today)
    t = max(t, start)
    with on(t):
        services.decision_set_procedures(by=agency, decision=d1, public_participation=True, today=t)
        c = services.consultation_open(
            by=agency,
            decision=d1,
            starts_on=t,
            days=30,
            draft_text="第一条 为提升农贸市场环境，保障食品安全，制定本方案。\n第二条 改造范围为城区12个农贸市场。\n第三条 改造期间设置临时过渡摊位。",
            explanation="根据《农贸市场建设规范》及本市实际起草",
            how_to_comment="通过本平台在线提交意见",
            today=t,
        )
    samples = [
        ("希望改造期间不要全部关闭，分批施工。", "published"),
        ("建议增加停车位和无障碍通道。", "published"),
        ("这是广告，请加微信……", "withheld"),
        ("摊位租金会不会上涨？请说明。", "pending"),
    ]
    for content, status in samples:
        with on(t):
            comment, _ = services.comment_submit(consultation=c, content=content, today=t)
            if status != "pending":
                services.comment_moderate(
                    by=agency,
                    decision=d1,
                    comment=comment,
                    publish=status == "published",
                    reason="与决策草案无关的商业广告",
                )
    first = PublicComment.objects.filter(consultation=c, status="published").order_by("id").first()
    services.comment_answer(by=agency, decision=d1, comment=first, answer="adopted", reason="已改为分三批施工")


def _normative(users, today: dt.date) -> None:
    sup, agency, agency2 = users["supervisor"], users["agency"], users["agency2"]
    gov, justice = _u("示例市人民政府"), _u("示例市司法局")
    market, ecology, commerce = _u("示例市市场监督管理局"), _u("示例市生态环境局"), _u("示例市商务局")
    commerce_legal = demo_legal_officer(commerce)

    def publish(by, title, issuer, drafting, day, prefix, text, publish_day=None):
        with on(day):
            doc = services.normative_create(
                by=by,
                title=title,
                issuer=issuer,
                drafting_unit=drafting,
                draft_text=text,
                explanation="依据上位法并结合本市实际起草",
            )
            services.normative_submit(by=by, document=doc, reviewing_unit=justice, today=day)
        review_day = day + dt.timedelta(days=6)
        with on(review_day):
            services.normative_review(
                by=sup, document=doc, opinion="lawful", text="制定主体、程序和内容合法", today=review_day
            )
            services.normative_deliberate(
                by=by,
                document=doc,
                meeting="常务会议" if issuer == gov else "局务会议",
                deliberated_on=review_day,
                today=review_day,
            )
            services.normative_register(by=sup, document=doc, prefix=prefix, today=review_day)
        pday = publish_day or review_day + dt.timedelta(days=2)
        with on(pday):
            services.normative_publish(by=by, document=doc, published_on=pday, today=pday)
        doc.refresh_from_db()
        return doc

    last = dt.date(today.year - 1, 9, 1)
    n1 = publish(
        commerce_legal,
        "示例市人民政府关于进一步优化营商环境的若干规定",
        gov,
        commerce,
        last,
        "示政规",
        "第一条 为持续优化营商环境，制定本规定。\n第二条 政务服务事项实行一网通办。\n第三条 涉企检查实行双随机、一公开。",
    )
    filed = n1.published_on + dt.timedelta(days=20)
    with on(filed):
        services.normative_file(
            by=commerce_legal,
            document=n1,
            authority="higher_gov",
            filed_on=filed,
            proper=True,
            receipt=f"湖南省人民政府备案登记〔{filed.year}〕88号",
            today=filed,
        )
    late = n1.published_on + dt.timedelta(days=45)
    with on(late):
        services.normative_file(
            by=commerce_legal,
            document=n1,
            authority="congress",
            filed_on=late,
            proper=False,
            note="缺少起草说明，已补报",
            today=late,
        )
    # An expired 暂行 one, one close to the end of its validity, one repealed in this year's cleanup.
    old = dt.date(today.year - 3, 4, 1)
    publish(
        agency,
        "示例市农贸市场管理暂行办法",
        market,
        market,
        old,
        "示市监规",
        "第一条 为规范农贸市场管理，制定本办法。\n第二条 市场开办者应当建立进货查验制度。",
    )
    near = today - dt.timedelta(days=2 * 365 - 80)
    publish(
        agency,
        "示例市网络交易监督管理试行办法",
        market,
        market,
        near,
        "示市监规",
        "第一条 为规范网络交易活动，制定本办法。\n第二条 平台经营者应当核验入驻商家身份。",
    )
    repealed = publish(
        agency2,
        "示例市扬尘污染防治管理规定",
        ecology,
        ecology,
        dt.date(today.year - 2, 5, 10),
        "示环规",
        "第一条 为防治扬尘污染，制定本规定。\n第二条 施工工地应当设置围挡。",
    )
    # 市场监管局 this year: published (filing running) and one in legality review.
    this = today - dt.timedelta(days=12)
    n2 = publish(
        agency,
        "示例市市场监督管理局行政处罚裁量基准适用规定",
        market,
        market,
        this,
        "示市监规",
        "第一条 为规范行政处罚裁量权，制定本规定。\n第二条 行政处罚裁量基准分为不予处罚、从轻、一般、从重四个阶次。\n第三条 首次违法且危害后果轻微并及时改正的，可以不予行政处罚。",
        publish_day=today - dt.timedelta(days=5),
    )
    with on(today - dt.timedelta(days=3)):
        pending = services.normative_create(
            by=agency,
            title="示例市市场监督管理局轻微违法行为不予处罚清单",
            issuer=market,
            drafting_unit=market,
            draft_text="一、轻微违法行为清单\n二、适用条件",
        )
        services.normative_submit(
            by=agency, document=pending, reviewing_unit=justice, today=today - dt.timedelta(days=3)
        )
    services.normative_validity_scan(today=today)
    # This year's cleanup: the 扬尘 rules are repealed (a new regulation replaced them), the others kept.
    with on(today - dt.timedelta(days=1)):
        campaign = services.cleanup_create(
            by=sup,
            title=f"{today.year}年度行政规范性文件清理",
            organiser=gov,
            year=today.year,
            basis="省政府办公厅关于开展规范性文件清理工作的通知",
            today=today - dt.timedelta(days=1),
        )
        services.cleanup_add_documents(by=sup, campaign=campaign)
        for entry in campaign.entries.select_related("document"):
            if entry.document_id == repealed.pk:
                services.cleanup_decide(
                    by=sup,
                    campaign=campaign,
                    entry=entry,
                    result="repeal",
                    reason="《示例市扬尘污染防治条例》已施行，本规定内容已被吸收",
                )
            elif entry.document_id == n1.pk:
                services.cleanup_decide(
                    by=sup, campaign=campaign, entry=entry, result="amend", reason="第三条应与新修订的上位法衔接"
                )
            else:
                services.cleanup_decide(
                    by=sup, campaign=campaign, entry=entry, result="keep", reason="符合上位法，继续有效"
                )
        services.cleanup_publish(by=sup, campaign=campaign, today=today - dt.timedelta(days=1))
    # An incidental review from a reconsideration, on its clocks: the maker's answer is due.
    received = today - dt.timedelta(days=4)
    with on(received):
        review = services.incidental_review_receive(
            document=n2,
            clauses="第三条",
            reconsideration_label=f"示例市人民政府行政复议案件〔{today.year}〕第15号",
            received_on=received,
            requested_by_unit=justice,
            path="handle",
            today=received,
        )
    with on(received + dt.timedelta(days=1)):
        services.incidental_notify(by=sup, review=review, notified_on=received + dt.timedelta(days=1), today=today)
