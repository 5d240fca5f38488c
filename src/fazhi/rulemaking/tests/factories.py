"""Builders for 依法决策 tests: a published catalogue, a decision taken to a given step, a normative document taken
to a given stage, all through the services (so every builder is itself a run of the procedure)."""

import datetime as dt

from django.utils import timezone

from fazhi.core.models import Unit
from fazhi.rulemaking import services
from fazhi.rulemaking.models import DecisionCatalogue, MajorDecision, NormativeDocument

GOV = "示例市人民政府"
JUSTICE = "示例市司法局"
MARKET = "示例市市场监督管理局"
ECOLOGY = "示例市生态环境局"


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def today() -> dt.date:
    return timezone.localdate()


def catalogue(users, *, year: int | None = None, publish: bool = True, decisions=(), day=None):
    """A catalogue of the city government with the given proposals (MajorDecision) listed, consented and
    published."""
    day = day or today()
    existing = DecisionCatalogue.objects.filter(organ=unit(GOV), year=year or day.year, status="published").first()
    if existing is not None:  # a second decision of the same test joins by a documented adjustment
        for d in decisions:
            services.catalogue_adjust(
                by=users["supervisor"], catalogue=existing, kind="add", decision=d, reason="增列", today=day
            )
        return existing
    cat = services.catalogue_create(by=users["supervisor"], organ=unit(GOV), year=year or day.year, today=day)
    for d in decisions:
        services.catalogue_include(by=users["supervisor"], catalogue=cat, decision=d, today=day)
    if publish:
        services.catalogue_consent(
            by=users["supervisor"], catalogue=cat, consent_on=day, consent_ref="市委常委会会议纪要", today=day
        )
        services.catalogue_publish(by=users["supervisor"], catalogue=cat, today=day)
    return cat


def proposal(
    users, *, title="示例市农贸市场升级改造实施方案", lead=MARKET, by="agency", day=None, **kw
) -> MajorDecision:
    day = day or today()
    return services.decision_propose(
        by=users[by],
        title=title,
        organ=unit(GOV),
        lead_unit=unit(lead),
        year=day.year,
        source=kw.pop("source", "department"),
        today=day,
        **kw,
    )


STEPS = ["listed", "consultation", "hearing", "expert", "risk", "review", "discussion", "publication", "published"]


def decision(users, *, to: str = "listed", hearing: bool = False, day=None, title=None, **procedures) -> MajorDecision:
    """A decision of 市场监管局 taken through the steps up to `to` (the stage it is left in). Dates run forward
    from `day`: the consultation takes 30 days, everything after it happens on the day after it closed."""
    day = day or today()
    agency, supervisor = users["agency"], users["supervisor"]
    d = proposal(users, day=day, **({"title": title} if title else {}))
    catalogue(users, decisions=[d], day=day)
    d.refresh_from_db()
    if to == "listed":
        return d
    args = {
        "public_participation": True,
        "hearing_required": hearing,
        "hearing_reason": "直接涉及经营户切身利益" if hearing else "",
        "expert_argument": True,
        "risk_assessment": True,
    } | procedures
    services.decision_set_procedures(by=agency, decision=d, today=day, **args)
    d.refresh_from_db()
    later = day
    if d.stage == "consultation" and to != "consultation":
        consultation = services.consultation_open(
            by=agency, decision=d, starts_on=day, days=30, draft_text="一、总则\n二、改造标准", today=day
        )
        later = consultation.ends_on + dt.timedelta(days=1)
        services.consultation_publish_answers(by=agency, decision=d, adoption_summary="未收到意见", today=later)
        d.refresh_from_db()
    if d.stage == "hearing" and to != "hearing":
        services.hearing_plan(
            by=agency,
            decision=d,
            organiser="示例市市场监督管理局",
            held_on=later,
            place="市政府第一会议室",
            selection_rules="自愿报名、随机抽取，经营户代表不少于三分之一",
            rules_published_on=later - dt.timedelta(days=20),
            participants="张三（经营户代表）\n李四（消费者代表）",
            participants_published_on=later - dt.timedelta(days=10),
            materials_sent_on=later - dt.timedelta(days=8),
            today=later,
        )
        services.hearing_held(by=agency, decision=d, record_confirmed=True, summary="各方充分发表意见", today=later)
        d.refresh_from_db()
    if d.stage == "expert" and to != "expert":
        expert = services.expert_add(by=agency, decision=d, name="王教授", organisation="示例大学法学院")
        services.expert_opinion(
            by=agency, decision=d, expert=expert, opinion="方案可行", signed=True, opinion_on=later, today=later
        )
        services.expert_complete(by=agency, decision=d, adoption="已采纳专家意见", today=later)
        d.refresh_from_db()
    if d.stage == "risk" and to != "risk":
        services.risk_assess(
            by=agency,
            decision=d,
            assessor="示例市社会稳定风险评估中心",
            risk_points="经营户搬迁安置",
            measures="分批改造、过渡摊位",
            level="medium",
            controllable=True,
            assessed_on=later,
            today=later,
        )
        d.refresh_from_db()
    if d.stage == "review" and to != "review":
        services.review_submit(by=agency, decision=d, reviewer_unit=unit(JUSTICE), working_days=7, today=later)
        services.review_opinion(
            by=supervisor, decision=d, opinion="lawful", opinion_text="符合法定权限和程序", today=later
        )
        d.refresh_from_db()
    if d.stage == "discussion" and to != "discussion":
        services.discussion_record(by=supervisor, decision=d, **discussion_args(later))
        d.refresh_from_db()
    if d.stage == "publication" and to != "publication":
        services.decision_publish(
            by=supervisor,
            decision=d,
            published_on=later,
            channels="政府公报、政府网站",
            decision_text="一、改造范围\n二、实施步骤",
            party_report_on=later,
            adoption_note="公众意见和专家意见均已研究采纳",
            prefix="示政决",
            today=later,
        )
        d.refresh_from_db()
    assert d.stage == to, (d.stage, to)
    return d


def discussion_args(day, **over) -> dict:
    return {
        "meeting_name": "市政府第12次常务会议",
        "held_on": day,
        "members_total": 9,
        "members_present": 8,
        "attendees": "市长、副市长、秘书长",
        "speeches": [
            {"speaker": "副市长甲", "role": "member", "position": "agree", "opinion": "同意"},
            {"speaker": "副市长乙", "role": "member", "position": "agree", "opinion": "同意"},
            {"speaker": "市长", "role": "head", "position": "agree", "opinion": "同意，按程序公布"},
        ],
        "outcome": "adopted",
        "today": day,
    } | over


# ---------------------------------------------------------------- normative documents

NORMATIVE_STAGES = ["drafting", "review", "reviewed", "deliberated", "registered", "published"]


def normative(
    users,
    *,
    to: str = "drafting",
    title="示例市市场监督管理局行政处罚裁量基准适用规定",
    issuer=MARKET,
    day=None,
    prefix="示市监规",
    opinion="lawful",
) -> NormativeDocument:
    day = day or today()
    agency, supervisor = users["agency"], users["supervisor"]
    doc = services.normative_create(
        by=agency, title=title, issuer=unit(issuer), drafting_unit=unit(MARKET), draft_text="第一条 为了……\n第二条 ……"
    )
    if to == "drafting":
        return doc
    services.normative_submit(by=agency, document=doc, reviewing_unit=unit(JUSTICE), today=day)
    doc.refresh_from_db()
    if to == "review":
        return doc
    services.normative_review(by=supervisor, document=doc, opinion=opinion, text="符合上位法规定", today=day)
    doc.refresh_from_db()
    if to == "reviewed":
        return doc
    if opinion == "lawful_after_changes":
        services.normative_changes(by=agency, document=doc, changes_text="已按意见修改第二条")
    services.normative_deliberate(by=agency, document=doc, meeting="局务会议", deliberated_on=day, today=day)
    doc.refresh_from_db()
    if to == "deliberated":
        return doc
    services.normative_register(by=supervisor, document=doc, prefix=prefix, today=day)
    doc.refresh_from_db()
    if to == "registered":
        return doc
    services.normative_publish(by=agency, document=doc, published_on=day, today=day)
    doc.refresh_from_db()
    return doc
