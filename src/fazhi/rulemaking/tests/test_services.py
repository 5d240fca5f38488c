"""The services of 依法决策: the procedure of a decision in the 条例's order, each step with its article on the SM3
timeline; normative documents from review to filing and cleanup; incidental reviews on their clocks. Every refusal
is a Chinese message naming its field, and nothing is written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import DomainError
from fazhi.core.models import Notification
from fazhi.documents.models import DocumentNumber, GeneratedDocument
from fazhi.rulemaking import rules, selectors, services
from fazhi.rulemaking.models import (
    CatalogueAdjustment,
    Consultation,
    Discussion,
    Expert,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    NormativeFiling,
    PortalEntry,
    PublicComment,
)
from fazhi.rulemaking.tests import factories as fx
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.timeline import verify_chains
from fazhi.workdays import calendar as workdays

pytestmark = pytest.mark.django_db


def _refused(call, field: str, *words: str) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.field == field, (info.value.field, info.value.message)
    for w in words:
        assert w in info.value.message, info.value.message
    return info.value


def verify_ok(item) -> bool:
    item.refresh_from_db()
    _, events, problems = verify_chains(TrackedItem.objects.filter(pk=item.pk))
    return events == item.event_count and problems == []


def _labels(item) -> list[str]:
    return list(item.events.order_by("seq").values_list("action_label", flat=True))


# ---------------------------------------------------------------- catalogue


def test_catalogue_is_consented_then_published_and_items_are_tracked_from_listing(users):
    day = fx.today()
    d = fx.proposal(users, day=day)
    cat = fx.catalogue(users, decisions=[d], publish=False, day=day)
    _refused(
        lambda: services.catalogue_publish(by=users["supervisor"], catalogue=cat, today=day),
        "consent_on",
        "同级党委同意",
    )
    d.refresh_from_db()
    assert d.stage == "listed" and d.item.kind == "major_decision"
    assert d.item.deadline >= dt.date(d.year, 12, 31)  # the plan clock: the year of the catalogue
    services.catalogue_consent(
        by=users["supervisor"], catalogue=cat, consent_on=day, consent_ref="市委常委会会议纪要", today=day
    )
    services.catalogue_publish(by=users["supervisor"], catalogue=cat, today=day)
    assert _labels(d.item)[-2:] == ["目录经同级党委同意", "目录向社会公布"]
    cat.refresh_from_db()
    assert cat.status == "published" and cat.published_on == day


def test_a_proposal_from_a_deputy_names_the_suggestion(users):
    _refused(lambda: fx.proposal(users, by="supervisor", source="deputy"), "proposal_number", "人大代表建议", "第十条")
    d = fx.proposal(
        users, by="supervisor", source="cppcc", proposal_number="第0088号", proposal_title="关于农贸市场改造的提案"
    )
    shown = selectors.proposal_display(user=users["supervisor"], decision=d)
    assert shown["label"] == "第0088号 关于农贸市场改造的提案" and shown["proposal_id"] is None
    assert not MajorDecision.objects.filter(source="deputy").exists()


def test_a_linked_suggestion_is_shown_through_the_requests_app(users):
    from fazhi.requests.tests import factories as requests_fx

    suggestion = requests_fx.proposal(on=fx.today())
    d = fx.proposal(users, by="supervisor", source="deputy", proposal_number="第1号", proposal_id=suggestion.pk)
    shown = selectors.proposal_display(user=users["supervisor"], decision=d)
    assert shown["url"] == f"/requests/proposals/{suggestion.pk}/" and suggestion.title in shown["label"]
    # Outside the viewer's scope the link is not shown, only the reference as entered.
    assert selectors.proposal_display(user=users["agency2"], decision=d)["url"] == ""
    # A proposal that does not exist (or that the proposer may not see) is refused on its field.
    _refused(
        lambda: fx.proposal(users, by="supervisor", source="deputy", proposal_number="第2号", proposal_id=10**9),
        "proposal_id",
    )


def test_adjustments_during_the_year_need_a_reason(users):
    day = fx.today()
    d = fx.proposal(users, day=day)
    cat = fx.catalogue(users, decisions=[d], day=day)
    added = fx.proposal(users, title="示例市夜间经济发展措施", day=day)
    sup = users["supervisor"]
    _refused(lambda: services.catalogue_adjust(by=sup, catalogue=cat, kind="add", decision=added, reason=" "), "reason")
    assert not CatalogueAdjustment.objects.exists()
    services.catalogue_adjust(by=sup, catalogue=cat, kind="add", decision=added, reason="市委决定增列", today=day)
    added.refresh_from_db()
    assert added.catalogue == cat and added.stage == "listed" and added.item is not None
    services.catalogue_adjust(by=sup, catalogue=cat, kind="remove", decision=d, reason="上级政策调整", today=day)
    d.refresh_from_db()
    assert d.stage == "removed" and d.item.status == "closed"
    assert list(cat.adjustments.values_list("kind", flat=True)) == ["add", "remove"]
    _refused(
        lambda: services.catalogue_include(by=sup, catalogue=cat, decision=fx.proposal(users, title="再增一项")),
        "catalogue",
    )


# ---------------------------------------------------------------- the order of the steps


def test_the_whole_procedure_in_order_on_one_timeline(users):
    d = fx.decision(users, to="published", hearing=True)
    labels = _labels(d.item)
    order = [
        "启动决策程序，确定适用程序",
        "向社会公开征求意见",
        "公布公众意见采纳情况",
        "公布听证会信息",
        "举行听证会",
        "专家论证意见",
        "专家论证完成",
        "风险评估：中风险，风险可控",
        "送请合法性审查",
        "合法性审查意见：合法",
        "集体讨论决定：通过",
        "决策公布",
        "决策作出并公布",
    ]
    positions = [labels.index(x) for x in order]
    assert positions == sorted(positions)
    assert d.item.status == "closed"
    assert d.number.startswith("示政决〔") and d.number.endswith("〕1号")
    assert GeneratedDocument.objects.filter(object_kind="major_decision", object_id=d.pk, number=d.number).exists()
    entry = PortalEntry.objects.get(kind="decision", object_id=d.pk)
    assert entry.title == d.title and "改造范围" in entry.search
    # every event with its article, and the chain verifies
    cited = [
        e.data.get("citation", "") for e in d.item.events.filter(action__in=["procedures", "discussed", "published"])
    ]
    assert all("条例" in c for c in cited)
    assert verify_ok(d.item)


def test_discussion_without_a_legality_review_is_refused_and_nothing_written(users):
    d = fx.decision(users, to="review")
    before = d.item.event_count
    error = _refused(
        lambda: services.discussion_record(by=users["supervisor"], decision=d, **fx.discussion_args(fx.today())),
        "stage",
        "合法性审查",
        "第二十五条",
    )
    assert "讨论" in error.message
    assert not Discussion.objects.exists()
    d.item.refresh_from_db()
    assert d.item.event_count == before


def test_an_unlawful_draft_goes_back_and_is_reviewed_again(users):
    d = fx.decision(users, to="review")
    agency, sup, day = users["agency"], users["supervisor"], fx.today()
    justice = fx.unit(fx.JUSTICE)
    services.review_submit(by=agency, decision=d, reviewer_unit=justice, working_days=7, today=day)
    services.review_opinion(by=sup, decision=d, opinion="unlawful", opinion_text="超越法定权限", today=day)
    d.refresh_from_db()
    assert d.stage == "review"
    _refused(lambda: services.discussion_record(by=sup, decision=d, **fx.discussion_args(day)), "stage", "合法性审查")
    review = services.review_submit(by=agency, decision=d, reviewer_unit=justice, working_days=8, today=day)
    assert review.round == 2
    clock = d.item.clocks.get(name="review2")
    assert clock.deadline == workdays.add_working_days(day, 8) and clock.rule_unit == "working"
    services.review_opinion(by=sup, decision=d, opinion="lawful_after_changes", opinion_text="第二条须修改", today=day)
    d.refresh_from_db()
    assert d.stage == "review"
    services.review_changes(by=agency, decision=d, changes_text="已修改第二条", today=day)
    d.refresh_from_db()
    assert d.stage == "discussion"


def test_legality_review_at_least_seven_working_days_on_its_clock(users):
    d = fx.decision(users, to="review")
    day = fx.today()
    _refused(
        lambda: services.review_submit(
            by=users["agency"], decision=d, reviewer_unit=fx.unit(fx.JUSTICE), working_days=5, today=day
        ),
        "working_days",
        "7个工作日",
        "第二十六条",
    )
    _refused(
        lambda: services.review_submit(by=users["agency"], decision=d, reviewer_unit=fx.unit(fx.MARKET), today=day),
        "reviewer_unit",
    )
    assert not LegalityReview.objects.exists()
    services.review_submit(by=users["agency"], decision=d, reviewer_unit=fx.unit(fx.JUSTICE), today=day)
    d.item.refresh_from_db()
    assert d.item.deadline == workdays.add_working_days(day, 7)
    assert d.item.status == "review" and d.item.action_unit == fx.unit(fx.JUSTICE)


def test_procedures_left_out_need_their_reasons(users):
    d = fx.decision(users, to="listed")
    error = _refused(
        lambda: services.decision_set_procedures(
            by=users["agency"], decision=d, public_participation=False, expert_argument=False, today=fx.today()
        ),
        "participation_omit_reason",
    )
    assert [e["field"] for e in error.errors] == ["participation_omit_reason", "expert_omit_reason"]
    d.refresh_from_db()
    assert not d.procedures_set
    services.decision_set_procedures(
        by=users["agency"],
        decision=d,
        public_participation=False,
        participation_omit_reason="依法不予公开",
        expert_argument=False,
        expert_omit_reason="不涉及专业技术问题",
        risk_assessment=False,
        risk_omit_reason="已按规定评估",
        today=fx.today(),
    )
    d.refresh_from_db()
    assert d.stage == "review"
    steps = {s.code: s for s in selectors.decision_steps(d)}
    assert not steps["consultation"].required and steps["consultation"].omit_reason == "依法不予公开"
    assert steps["review"].current


def test_procedures_wait_for_the_published_catalogue(users):
    d = fx.proposal(users)
    fx.catalogue(users, decisions=[d], publish=False)
    d.refresh_from_db()
    _refused(
        lambda: services.decision_set_procedures(by=users["agency"], decision=d, public_participation=True),
        "stage",
        "目录",
        "同级党委同意",
    )


# -------- public comment


def _consultation(users, d, *, days=30, reason="", start=None):
    return services.consultation_open(
        by=users["agency"],
        decision=d,
        starts_on=start or fx.today(),
        days=days,
        draft_text="草案",
        shortened_reason=reason,
        today=fx.today(),
    )


def test_comment_period_under_thirty_days_needs_a_reason_shown_publicly(users):
    d = fx.decision(users, to="consultation")
    _refused(lambda: _consultation(users, d, days=20), "shortened_reason", "30日", "第十五条")
    assert not Consultation.objects.exists()
    c = _consultation(users, d, days=20, reason="防汛形势紧急，须在汛期前实施")
    assert c.shortened_reason and c.ends_on == rules.consultation_end(fx.today(), 20)
    clock = d.item.clocks.get(name="consultation")
    assert clock.deadline == c.ends_on and "缩短期限的理由" in clock.basis
    public = selectors.public_consultation_get(c.pk)
    assert public.shortened_reason == "防汛形势紧急，须在汛期前实施"


def test_comments_are_moderated_answered_and_published_after_the_period(users):
    d = fx.decision(users, to="consultation")
    day = fx.today()
    c = _consultation(users, d)
    agency = users["agency"]
    first, code = services.comment_submit(consultation=c, content="建议分批施工，减少影响。", name="张三", today=day)
    spam, _ = services.comment_submit(consultation=c, content="加微信领取优惠券", today=day)
    assert code.startswith("YJ") and len(code) == 12 and first.code_hash != code
    assert list(selectors.public_comments(c)) == []  # nothing shows before moderation
    _refused(lambda: services.comment_moderate(by=agency, decision=d, comment=spam, publish=False), "reason")
    services.comment_moderate(by=agency, decision=d, comment=spam, publish=False, reason="商业广告")
    services.comment_moderate(by=agency, decision=d, comment=first, publish=True)
    assert list(selectors.public_comments(c)) == [first]
    _refused(
        lambda: services.comment_answer(by=agency, decision=d, comment=first, answer="adopted", reason=""), "reason"
    )
    _refused(
        lambda: services.consultation_publish_answers(by=agency, decision=d, adoption_summary="综述", today=c.ends_on),
        "ends_on",
        "期满后",
    )
    after = c.ends_on + dt.timedelta(days=1)
    _refused(
        lambda: services.consultation_publish_answers(by=agency, decision=d, adoption_summary="综述", today=after),
        "comments",
        "未答复",
    )
    services.comment_answer(by=agency, decision=d, comment=first, answer="partly", reason="已调整为分两批施工")
    services.consultation_publish_answers(by=agency, decision=d, adoption_summary="采纳1条", today=after)
    d.refresh_from_db()
    assert d.stage == "expert"
    event = d.item.events.get(action="consultation_answered")
    assert event.data["published"] == 1 and event.data["withheld"] == 1 and len(event.data["comments_sm3"]) == 64
    looked = services.comment_lookup(code=code.lower())
    assert looked == first and looked.get_answer_display() == "部分采纳"
    _refused(
        lambda: services.comment_answer(by=agency, decision=d, comment=first, answer="adopted", reason="改"), "comment"
    )


def test_a_comment_after_the_period_closed_is_refused(users):
    d = fx.decision(users, to="consultation")
    c = _consultation(users, d)
    _refused(
        lambda: services.comment_submit(
            consultation=c, content="迟到的意见，请考虑。", today=c.ends_on + dt.timedelta(days=1)
        ),
        "content",
        "截止",
    )
    _refused(lambda: services.comment_submit(consultation=c, content="太短", today=fx.today()), "content", "不少于")
    assert not PublicComment.objects.exists()


def test_comments_are_rate_limited_per_address(users, settings):
    settings.FAZHI_RULEMAKING = {"COMMENT_IP_HOUR": 2}
    d = fx.decision(users, to="consultation")
    c = _consultation(users, d)
    for _ in range(2):
        services.comment_submit(consultation=c, content="同一网络提交的意见", ip="10.1.2.3", now=1_000_000)
    _refused(
        lambda: services.comment_submit(consultation=c, content="同一网络提交的意见", ip="10.1.2.3", now=1_000_000),
        "form_token",
        "过于频繁",
    )
    services.comment_submit(consultation=c, content="另一网络提交的意见", ip="10.1.2.4", now=1_000_000)
    assert PublicComment.objects.count() == 3


def test_a_wrong_code_finds_nothing_and_is_rate_limited(users, settings):
    settings.FAZHI_RULEMAKING = {"LOOKUP_FAIL_HOUR": 1}
    _refused(lambda: services.comment_lookup(code="YJAAAAAAAAAA", ip="10.0.0.9", now=5_000_000), "code", "查询码")
    _refused(lambda: services.comment_lookup(code="YJAAAAAAAAAA", ip="10.0.0.9", now=5_000_000), "form_token", "过多")


# -------- hearing, experts, risk


def test_hearing_materials_seven_days_before_and_record_signed(users):
    d = fx.decision(users, to="hearing", hearing=True)
    day = fx.today()
    args = dict(
        organiser="市场监管局",
        held_on=day + dt.timedelta(days=10),
        place="会议室",
        selection_rules="随机抽取",
        rules_published_on=day - dt.timedelta(days=5),
        participants="甲\n乙",
        participants_published_on=day,
        materials_sent_on=day + dt.timedelta(days=5),
        today=day,
    )
    _refused(
        lambda: services.hearing_plan(by=users["agency"], decision=d, **args), "materials_sent_on", "7日前", "第十六条"
    )
    services.hearing_plan(by=users["agency"], decision=d, **(args | {"materials_sent_on": day + dt.timedelta(days=3)}))
    _refused(
        lambda: services.hearing_held(by=users["agency"], decision=d, record_confirmed=True, summary="举行", today=day),
        "held_on",
    )
    later = day + dt.timedelta(days=10)
    _refused(
        lambda: services.hearing_held(
            by=users["agency"], decision=d, record_confirmed=False, summary="举行", today=later
        ),
        "record_confirmed",
        "第十七条",
    )
    services.hearing_held(by=users["agency"], decision=d, record_confirmed=True, summary="举行", today=later)
    d.refresh_from_db()
    assert d.stage == "expert"


def test_an_expert_with_an_interest_is_excluded_and_opinions_are_signed(users):
    d = fx.decision(users, to="expert")
    agency, day = users["agency"], fx.today()
    conflicted = services.expert_add(by=agency, decision=d, name="周工", interest="所在企业拟投标")
    assert conflicted.excluded
    _refused(
        lambda: services.expert_opinion(
            by=agency, decision=d, expert=conflicted, opinion="可行", signed=True, opinion_on=day, today=day
        ),
        "expert",
        "利害关系",
        "第二十条",
    )
    _refused(lambda: services.expert_complete(by=agency, decision=d, adoption="采纳", today=day), "experts")
    expert = services.expert_add(by=agency, decision=d, name="王教授")
    _refused(
        lambda: services.expert_opinion(
            by=agency, decision=d, expert=expert, opinion="可行", signed=False, opinion_on=day, today=day
        ),
        "signed",
        "署名",
    )
    assert Expert.objects.get(pk=expert.pk).opinion == ""
    services.expert_opinion(
        by=agency, decision=d, expert=expert, opinion="可行", signed=True, opinion_on=day, today=day
    )
    services.expert_complete(by=agency, decision=d, adoption="采纳", today=day)
    d.refresh_from_db()
    assert d.stage == "risk"
    assert "专家因利害关系排除" in _labels(d.item)


def test_an_uncontrollable_risk_stops_the_decision_until_reassessed(users):
    d = fx.decision(users, to="risk")
    day = fx.today()
    args = dict(
        assessor="评估中心", risk_points="群体性事件", measures="暂缓", level="high", assessed_on=day, today=day
    )
    services.risk_assess(by=users["agency"], decision=d, controllable=False, **args)
    d.refresh_from_db()
    assert d.stage == "risk"
    _refused(
        lambda: services.review_submit(by=users["agency"], decision=d, reviewer_unit=fx.unit(fx.JUSTICE), today=day),
        "stage",
        "风险评估",
    )
    services.risk_assess(by=users["agency"], decision=d, controllable=True, **(args | {"level": "medium"}))
    d.refresh_from_db()
    assert d.stage == "review"


# -------- discussion, publication, afterwards


def test_the_head_speaks_last_and_dissent_is_minuted(users):
    d = fx.decision(users, to="discussion")
    day, sup = fx.today(), users["supervisor"]
    speeches = fx.discussion_args(day)["speeches"]
    wrong = [speeches[-1], *speeches[:-1]]
    _refused(
        lambda: services.discussion_record(by=sup, decision=d, **fx.discussion_args(day, speeches=wrong)),
        "speeches",
        "最后发表意见",
    )
    dissent = [{"speaker": "副市长乙", "role": "member", "position": "disagree"}, speeches[-1]]
    _refused(
        lambda: services.discussion_record(by=sup, decision=d, **fx.discussion_args(day, speeches=dissent)), "dissent"
    )
    error = _refused(
        lambda: services.discussion_record(
            by=sup, decision=d, **fx.discussion_args(day, speeches=dissent, dissent="资金不足")
        ),
        "head_reason",
    )
    assert "多数人意见不一致" in error.message
    assert not Discussion.objects.exists()
    services.discussion_record(
        by=sup,
        decision=d,
        **fx.discussion_args(day, speeches=dissent, dissent="资金不足", head_reason="资金已列入预算"),
    )
    d.refresh_from_db()
    assert d.stage == "publication" and d.decided_on == day


def test_a_rejected_draft_ends_the_procedure(users):
    d = fx.decision(users, to="discussion")
    services.discussion_record(
        by=users["supervisor"],
        decision=d,
        **fx.discussion_args(fx.today(), outcome="rejected", head_reason="条件不成熟"),
    )
    d.refresh_from_db()
    assert d.stage == "not_adopted" and d.item.status == "closed"


def test_publication_after_reporting_to_the_party_committee(users):
    d = fx.decision(users, to="publication")
    day, sup = d.decided_on, users["supervisor"]
    args = dict(
        published_on=day,
        channels="政府网站",
        decision_text="决策内容",
        adoption_note="已采纳",
        prefix="示政决",
        today=day,
    )
    _refused(
        lambda: services.decision_publish(by=sup, decision=d, party_report_on=day + dt.timedelta(days=1), **args),
        "party_report_on",
        "第三十一条",
    )
    _refused(
        lambda: services.decision_publish(by=sup, decision=d, party_report_on=day, **(args | {"adoption_note": ""})),
        "adoption_note",
        "第三十二条",
    )
    assert not DocumentNumber.objects.exists()
    services.decision_publish(by=sup, decision=d, party_report_on=day, **args)
    d.refresh_from_db()
    assert d.stage == "published" and d.party_report_on == day


def test_execution_and_post_evaluation_not_by_who_assessed_or_reviewed(users):
    d = fx.decision(users, to="published")
    sup, day = users["supervisor"], fx.today() + dt.timedelta(days=60)
    services.execution_report(
        by=users["agency"], decision=d, period="上半年", reported_on=day, content="进展顺利", today=day
    )
    _refused(
        lambda: services.evaluation_start(
            by=sup,
            decision=d,
            trigger="opinions",
            trigger_note="投诉较多",
            evaluator_name="示例市社会稳定风险评估中心",
            today=day,
        ),
        "evaluator_name",
        "第三十六条",
    )
    _refused(
        lambda: services.evaluation_start(
            by=sup,
            decision=d,
            trigger="opinions",
            trigger_note="投诉较多",
            evaluator_unit=fx.unit(fx.JUSTICE),
            today=day,
        ),
        "evaluator_unit",
    )
    services.evaluation_start(
        by=sup, decision=d, trigger="opinions", trigger_note="投诉较多", evaluator_name="示例市社会科学院", today=day
    )
    services.evaluation_result(by=sup, decision=d, result="达到预期", conclusion="continue", today=day)
    labels = _labels(d.item)
    assert labels[-3:] == ["决策执行情况报告", "启动决策后评估", "决策后评估结论：继续执行"]
    assert verify_ok(d.item)


def test_step_attachments_land_on_the_timeline_with_their_sm3(users):
    d = fx.decision(users, to="risk")
    day = fx.today()
    report = SimpleUploadedFile("风险评估报告.pdf", b"%PDF-1.4 report")
    services.risk_assess(
        by=users["agency"],
        decision=d,
        assessor="中心",
        risk_points="点",
        measures="措施",
        level="low",
        controllable=True,
        assessed_on=day,
        files=[report],
        today=day,
    )
    event = d.item.events.get(action="risk_assessed")
    attachment = event.attachments.get()
    assert attachment.name == "风险评估报告.pdf" and len(attachment.sm3) == 64


# ---------------------------------------------------------------- normative documents


def test_a_normative_document_from_review_to_filing(users):
    day = fx.today()
    doc = fx.normative(users, to="review", day=day)
    item = selectors.normative_review_item(doc)
    clock = item.clocks.get(name="review")
    assert clock.rule_length == 10 and clock.rule_cap == 5
    assert clock.deadline == workdays.add_working_days(day, 10)
    assert item.status == "review" and item.action_unit == fx.unit(fx.JUSTICE)
    services.normative_review(by=users["supervisor"], document=doc, opinion="lawful", text="合法", today=day)
    services.normative_deliberate(by=users["agency"], document=doc, meeting="局务会议", deliberated_on=day, today=day)
    services.normative_register(by=users["supervisor"], document=doc, prefix="示市监规", today=day)
    doc.refresh_from_db()
    assert doc.number == f"示市监规〔{day.year}〕1号"
    services.normative_publish(by=users["agency"], document=doc, today=day)
    doc.refresh_from_db()
    assert doc.effective_on == day + dt.timedelta(days=30)
    assert doc.valid_until == rules.valid_until(doc.effective_on, 5)
    filing = doc.filings.get()
    assert filing.authority == "gov" and filing.due_on == rules.filing_due(day)
    assert PortalEntry.objects.get(kind="normative", object_id=doc.pk).number == doc.number
    filing_item = selectors.normative_filing_item(doc)
    assert filing_item.clocks.get(name="filing_gov").deadline == filing.due_on
    services.normative_file(by=users["agency"], document=doc, authority="gov", filed_on=day, proper=True, today=day)
    filing_item.refresh_from_db()
    assert filing_item.status == "closed" and filing_item.closed_on_time
    assert verify_ok(item) and verify_ok(filing_item)
    assert "统一登记、统一编号、统一印发" in _labels(item) and "向社会公布" in _labels(item)


def test_a_government_document_is_filed_with_the_higher_government_and_the_congress(users):
    day = fx.today()
    doc = services.normative_create(
        by=users["agency"],
        title="示例市人民政府关于农贸市场管理的规定",
        issuer=fx.unit(fx.GOV),
        drafting_unit=fx.unit(fx.MARKET),
        draft_text="第一条",
    )
    assert doc.kind == "government"
    services.normative_submit(by=users["agency"], document=doc, reviewing_unit=fx.unit(fx.JUSTICE), today=day)
    services.normative_review(by=users["supervisor"], document=doc, opinion="lawful", text="合法", today=day)
    services.normative_deliberate(
        by=users["agency"], document=doc, meeting="市政府常务会议", deliberated_on=day, today=day
    )
    services.normative_register(by=users["supervisor"], document=doc, prefix="示政规", today=day)
    services.normative_publish(by=users["agency"], document=doc, today=day)
    doc.refresh_from_db()
    assert doc.number == f"示政规〔{day.year}〕1号"
    assert {f.authority: f.authority_name for f in doc.filings.all()} == {
        "higher_gov": "湖南省人民政府",
        "congress": "示例市人大常委会",
    }
    late = doc.filings.get(authority="congress").due_on + dt.timedelta(days=3)
    services.normative_file(
        by=users["agency"], document=doc, authority="higher_gov", filed_on=day, proper=True, today=day
    )
    services.normative_file(
        by=users["agency"], document=doc, authority="congress", filed_on=late, proper=False, today=late
    )
    item = selectors.normative_filing_item(doc)
    assert item.status == "closed" and "报本级人大常委会备案（逾期）" in _labels(item)


def test_publishing_without_a_number_is_refused(users):
    doc = fx.normative(users, to="deliberated")
    _refused(
        lambda: services.normative_publish(by=users["agency"], document=doc, today=fx.today()), "number", "统一编号"
    )
    doc.refresh_from_db()
    assert doc.stage == "deliberated" and not PortalEntry.objects.exists() and not NormativeFiling.objects.exists()


def test_deliberation_needs_a_lawful_review(users):
    doc = fx.normative(users, to="review")
    _refused(
        lambda: services.normative_deliberate(
            by=users["agency"], document=doc, meeting="局务会议", deliberated_on=fx.today(), today=fx.today()
        ),
        "review_opinion",
        "115号",
    )
    services.normative_review(
        by=users["supervisor"], document=doc, opinion="unlawful", text="违反上位法", today=fx.today()
    )
    doc.refresh_from_db()
    assert doc.stage == "drafting"
    assert selectors.normative_review_item(doc).status == "closed"
    services.normative_submit(by=users["agency"], document=doc, reviewing_unit=fx.unit(fx.JUSTICE), today=fx.today())
    assert doc.items.filter(role="review").count() == 2


def test_the_review_extension_stops_at_fifteen_working_days(users):
    doc = fx.normative(users, to="review")
    sup, day = users["supervisor"], fx.today()
    services.normative_review_extend(by=sup, document=doc, days=3, reason="征求上级部门意见", today=day)
    clock = selectors.normative_review_item(doc).clocks.get(name="review")
    assert clock.extended == 3 and clock.deadline == workdays.add_working_days(day, 13)
    error = _refused(
        lambda: services.normative_review_extend(by=sup, document=doc, days=3, reason="再延长", today=day),
        "days",
        "最多还可延长2个工作日",
    )
    assert "115号" in error.message
    clock.refresh_from_db()
    assert clock.extended == 3


def test_effective_date_and_validity_rules(users):
    doc = fx.normative(users, to="registered", title="示例市网络交易监督管理试行办法")
    day = fx.today()
    _refused(
        lambda: services.normative_publish(by=users["agency"], document=doc, effective_on=day, today=day),
        "early_effect_reason",
        "30日",
    )
    _refused(
        lambda: services.normative_publish(by=users["agency"], document=doc, validity_years=5, today=day),
        "validity_years",
        "暂行、试行",
    )
    services.normative_publish(
        by=users["agency"], document=doc, effective_on=day, early_effect_reason="公布后不立即施行将有碍施行", today=day
    )
    doc.refresh_from_db()
    assert doc.provisional and doc.validity_years == 2 and doc.valid_until == rules.valid_until(day, 2)


def test_validity_reminder_six_months_before_and_expiry(users):
    doc = fx.normative(users, to="published")
    early = rules.months_before(doc.valid_until, 6) - dt.timedelta(days=1)
    assert services.normative_validity_scan(today=early) == {"reminded": 0, "expired": 0}
    due = rules.months_before(doc.valid_until, 6)
    assert services.normative_validity_scan(today=due) == {"reminded": 1, "expired": 0}
    assert Notification.objects.filter(recipient=users["agency"], title__contains="到期提醒").count() == 1
    assert services.normative_validity_scan(today=due) == {"reminded": 0, "expired": 0}
    after = doc.valid_until + dt.timedelta(days=1)
    assert services.normative_validity_scan(today=after)["expired"] == 1
    doc.refresh_from_db()
    assert doc.state == "expired" and PortalEntry.objects.get(object_id=doc.pk).state == "expired"
    assert "有效期届满失效" in _labels(selectors.normative_review_item(doc))


def test_a_cleanup_repeals_with_reasons_and_the_portal_shows_it(users):
    keep = fx.normative(users, to="published")
    gone = fx.normative(users, to="published", title="示例市市场监督管理局广告监管暂行规定")
    sup = users["supervisor"]
    campaign = services.cleanup_create(by=sup, title="年度清理", organiser=fx.unit(fx.GOV), year=fx.today().year)
    assert services.cleanup_add_documents(by=sup, campaign=campaign) == 2
    entries = {e.document_id: e for e in campaign.entries.all()}
    _refused(lambda: services.cleanup_publish(by=sup, campaign=campaign), "entries", "未作出清理结论")
    _refused(
        lambda: services.cleanup_decide(
            by=users["agency"], campaign=campaign, entry=entries[gone.pk], result="repeal", reason=""
        ),
        "reason",
    )
    services.cleanup_decide(
        by=users["agency"], campaign=campaign, entry=entries[gone.pk], result="repeal", reason="已被新规定取代"
    )
    services.cleanup_decide(by=sup, campaign=campaign, entry=entries[keep.pk], result="keep", reason="继续有效")
    services.cleanup_publish(by=sup, campaign=campaign, today=fx.today())
    gone.refresh_from_db()
    assert gone.state == "repealed" and "已被新规定取代" in gone.repeal_reason
    page = selectors.portal_search(q=gone.title[:4], state="repealed")
    assert [r.object_id for r in page.rows] == [gone.pk] and page.rows[0].shown_state == "repealed"
    assert selectors.public_cleanup_get(campaign.pk) == campaign


# ---------------------------------------------------------------- incidental review


def test_incidental_review_handled_on_its_clocks(users):
    doc = fx.normative(users, to="published")
    sup, day = users["supervisor"], fx.today()
    review = services.incidental_review_receive(
        document=doc,
        clauses="第二条",
        reconsideration_label="复议案件〔2026〕第1号",
        received_on=day,
        requested_by_unit=fx.unit(fx.JUSTICE),
        today=day,
    )
    assert review.maker_unit == fx.unit(fx.MARKET) and doc.number in review.document_ref
    clocks = {c.name: c for c in review.item.clocks.all()}
    assert clocks["handle"].deadline == workdays.deadline_calendar_days(day, 30).deadline
    services.incidental_route(by=sup, review=review, path="handle")
    notice = review.item.clocks.get(name="notice")
    assert notice.deadline == workdays.add_working_days(day, 3) and notice.rule_unit == "working"
    _refused(
        lambda: services.incidental_conclude(by=sup, review=review, conclusion="lawful", text="合法", today=day),
        "status",
        "第五十八条",
    )
    services.incidental_notify(by=sup, review=review, notified_on=day, today=day)
    answer = review.item.clocks.get(name="answer")
    assert answer.deadline == workdays.add_working_days(day, 10)
    review.item.refresh_from_db()
    assert review.item.action_unit == fx.unit(fx.MARKET)
    services.incidental_answer(
        by=users["agency"], review=review, answer="该条款有上位法依据", answered_on=day, today=day
    )
    services.incidental_conclude(
        by=sup, review=review, conclusion="unlawful", text="第二条违反上位法，停止执行", today=day
    )
    review.refresh_from_db()
    doc.refresh_from_db()
    assert review.status == "concluded" and review.item.status == "closed"
    assert doc.suspended_clauses.startswith("第二条")
    assert "附带审查：决定停止条款执行并责令纠正" in _labels(selectors.normative_review_item(doc))


def test_the_notice_counts_from_the_suspension_of_the_reconsideration(users):
    day = fx.today() - dt.timedelta(days=10)
    suspended = day + dt.timedelta(days=2)
    review = services.incidental_review_receive(
        document_ref="某规范性文件",
        reconsideration_label="复议案件3",
        received_on=day,
        suspended_on=suspended,
        requested_by_unit=fx.unit(fx.JUSTICE),
        path="handle",
    )
    assert review.item.clocks.get(name="notice").deadline == workdays.add_working_days(suspended, 3)
    _refused(
        lambda: services.incidental_review_receive(
            document_ref="文件",
            reconsideration_label="案件",
            received_on=day,
            suspended_on=day - dt.timedelta(days=1),
            requested_by_unit=fx.unit(fx.JUSTICE),
        ),
        "suspended_on",
    )


def test_incidental_review_forwarded_within_seven_working_days_and_replied(users):
    sup, day = users["supervisor"], fx.today()
    review = services.incidental_review_receive(
        document_ref="某部门规章（外单位）",
        reconsideration_label="复议案件2",
        received_on=day,
        requested_by_unit=fx.unit(fx.JUSTICE),
        path="forward",
        today=day,
    )
    clocks = {c.name: c for c in review.item.clocks.all()}
    assert not clocks["handle"].is_open
    assert clocks["forward"].deadline == workdays.add_working_days(day, 7)
    services.incidental_forward(by=sup, review=review, forwarded_to="湖南省司法厅", forwarded_on=day, today=day)
    reply = review.item.clocks.get(name="reply")
    assert reply.deadline == workdays.deadline_calendar_days(day, 60).deadline
    services.incidental_reply(
        by=sup, review=review, conclusion="lawful", text="相关条款合法", replied_on=day, today=day
    )
    review.refresh_from_db()
    assert review.status == "concluded" and review.item.status == "closed"


def test_incidental_review_received_by_forwarding(users):
    day = fx.today()
    review = services.incidental_review_receive(
        document_ref="某县规范性文件",
        reconsideration_label="转送案件",
        received_on=day,
        requested_by_unit=fx.unit(fx.JUSTICE),
        path="forwarded_in",
        today=day,
    )
    assert [c.name for c in review.item.clocks.all()] == ["reply"]
    _refused(
        lambda: services.incidental_review_receive(
            document_ref=" ",
            reconsideration_label="案件",
            received_on=day,
            requested_by_unit=fx.unit(fx.JUSTICE),
            today=day,
        ),
        "document_ref",
    )


def test_nothing_is_written_when_a_normative_step_is_refused(users):
    doc = fx.normative(users, to="published")
    count = NormativeDocument.objects.count()
    _refused(
        lambda: services.normative_file(
            by=users["agency"], document=doc, authority="congress", filed_on=fx.today(), proper=True
        ),
        "authority",
    )
    assert NormativeDocument.objects.count() == count and not doc.filings.filter(filed_on__isnull=False).exists()
