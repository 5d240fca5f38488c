"""The reconsideration procedure on its statutory clocks, with hand-computed deadlines across the 2025 and 2026
holidays (国办发明电〔2024〕12号, 〔2025〕7号), refusals that write nothing, the 决定书, the accountability signal.

2025: 国庆中秋 10月1日—8日 放假, 9月28日（周日）、10月11日（周六）上班.
2026: 春节 2月15日—23日 放假, 2月14日（周六）、2月28日（周六）上班; 劳动节 5月1日—5日 放假, 5月9日（周六）上班;
      国庆 10月1日—7日 放假, 9月20日（周日）、10月10日（周六）上班.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import DomainError, Forbidden
from fazhi.disputes import rules, selectors, services
from fazhi.disputes.models import Reconsideration
from fazhi.disputes.tests.conftest import ECOLOGY, MARKET, ORG_USCC, D, clocks_of
from fazhi.tracking.models import TimelineEvent, TrackedItem
from fazhi.tracking.timeline import verify_chains
from fazhi.workdays.calendar import is_working_day

pytestmark = pytest.mark.django_db


def test_the_holidays_these_examples_rely_on():
    assert not is_working_day(D(2025, 10, 8)) and is_working_day(D(2025, 10, 11))
    assert not is_working_day(D(2026, 2, 23)) and is_working_day(D(2026, 2, 14)) and is_working_day(D(2026, 2, 28))
    assert not is_working_day(D(2026, 5, 5)) and not is_working_day(D(2026, 10, 7)) and is_working_day(D(2026, 10, 8))


def test_acceptance_review_over_national_day_then_deemed_acceptance(apply, event):
    # Received 2025-09-30 (Tue). Five working days, the first day not counted: 10月9日, 10日, 11日 (adjusted
    # Saturday), 13日, 14日 → the review ends 2025-10-14 (第三十条 + 第八十八条).
    rc = apply(received_on=D(2025, 9, 30))
    assert clocks_of(rc)["acceptance_review"].deadline == D(2025, 10, 14)
    assert rc.item.deadline == D(2025, 10, 14)
    # Nothing happened by 10月14日: on the next day the application is deemed accepted as of 10月14日
    # (第三十条第三款), and the 60 days run from then: 10月14日 + 60 = 12月13日, a Saturday → 12月15日.
    result = services.reconsiderations_deem(today=D(2025, 10, 15))
    assert result == {"accepted": 1, "abandoned": 0}
    rc.refresh_from_db()
    assert (rc.status, rc.accepted_on, rc.acceptance_deemed) == ("accepted", D(2025, 10, 14), True)
    clocks = clocks_of(rc)
    assert clocks["decision"].deadline == D(2025, 12, 15)
    assert not clocks["acceptance_review"].is_open
    # A refusal after that day is refused, naming the deemed acceptance.
    with pytest.raises(DomainError) as exc:
        event(rc, "refused", D(2025, 10, 16), reason="不属于行政复议范围")
    assert "视为受理" in exc.value.message and exc.value.field == "kind"


def test_correction_over_spring_festival_restarts_the_review(apply, event):
    # Received 2026-02-10 (Tue): review 2/11, 2/12, 2/13, 2/14 (adjusted Saturday), 2/24 (after 2/15—23) → 2/24.
    rc = apply(received_on=D(2026, 2, 10))
    assert clocks_of(rc)["acceptance_review"].deadline == D(2026, 2, 24)
    # 补正 on 2/12: the review pauses; the applicant's ten working days from 2/12: 2/13, 2/14, 2/24, 2/25, 2/26,
    # 2/27, 2/28 (adjusted Saturday), 3/2, 3/3, 3/4 → 2026-03-04 (第三十一条第二款).
    rc = event(rc, "correction_requested", D(2026, 2, 12), reason="请补充提交行政处罚决定书复印件和身份证明")
    clocks = clocks_of(rc)
    assert rc.status == "correction"
    assert clocks["acceptance_review"].paused
    assert clocks["correction_reply"].deadline == D(2026, 3, 4)
    assert TrackedItem.objects.get(pk=rc.item_id).deadline == D(2026, 3, 4)  # the item follows the running clock
    # A second notice is refused: one notice lists every item (第三十一条第一款).
    with pytest.raises(DomainError) as exc:
        event(rc, "correction_requested", D(2026, 2, 13), reason="再补充一份证据")
    assert "一次性" in exc.value.message
    # Materials in on 3/3: the review starts afresh, five working days: 3/4, 3/5, 3/6, 3/9, 3/10 → 2026-03-10.
    rc = event(rc, "correction_received", D(2026, 3, 3))
    clocks = clocks_of(rc)
    assert rc.status == "review"
    assert not clocks["correction_reply"].is_open
    assert clocks["acceptance_review"].deadline == D(2026, 3, 10) and not clocks["acceptance_review"].paused
    # Accepted on 3/9 (ordinary): 3/9 + 60 = 5/8 (Friday); extended by 30 days: 6/7 (Sunday) → 6/8.
    rc = event(rc, "accepted", D(2026, 3, 9))
    assert clocks_of(rc)["decision"].deadline == D(2026, 5, 8)
    rc = event(rc, "extended", D(2026, 4, 20), days=30, reason="案情复杂，需要现场勘验", approver="复议科科长 陈某")
    assert clocks_of(rc)["decision"].deadline == D(2026, 6, 8)
    assert rc.decision_deadline == D(2026, 6, 8) and rc.extension_days == 30
    # Past 30 days in total: refused, nothing written.
    before = TimelineEvent.objects.filter(item=rc.item).count()
    with pytest.raises(DomainError) as exc:
        event(rc, "extended", D(2026, 4, 21), days=1, reason="还需补充鉴定", approver="复议科科长 陈某")
    assert exc.value.field == "days" and "30" in exc.value.message
    assert TimelineEvent.objects.filter(item=rc.item).count() == before
    assert Reconsideration.objects.get(pk=rc.pk).extension_days == 30


def test_correction_period_passes_and_the_application_is_deemed_abandoned(apply, event):
    rc = apply(received_on=D(2026, 2, 10))
    rc = event(rc, "correction_requested", D(2026, 2, 12), reason="请写明具体的行政复议请求")
    # The period ended 2026-03-04; materials dated 3/5 come too late.
    with pytest.raises(DomainError) as exc:
        event(rc, "correction_received", D(2026, 3, 5))
    assert "视为放弃" in exc.value.message
    assert Reconsideration.objects.get(pk=rc.pk).status == "correction"  # the refusal rolled everything back
    services.reconsiderations_deem(today=D(2026, 3, 5))
    rc.refresh_from_db()
    assert rc.status == "abandoned"
    assert TrackedItem.objects.get(pk=rc.item_id).status == "closed"


def test_suspension_adds_the_natural_days_and_resumption_restarts_the_count(apply, event):
    # Accepted 2025-09-01 (Mon): 60 days → 10月31日 (Fri). Suspended 9/20, resumed 10/10: (9/20, 10/10] is 20
    # days not counted → 11月20日 (Thu).
    rc = apply(received_on=D(2025, 8, 29))
    rc = event(rc, "accepted", D(2025, 9, 1))
    assert clocks_of(rc)["decision"].deadline == D(2025, 10, 31)
    rc = event(rc, "suspended", D(2025, 9, 20), ground="5", reason="申请人因病住院，不能参加行政复议")
    assert rc.status == "suspended" and clocks_of(rc)["decision"].paused
    assert TrackedItem.objects.get(pk=rc.item_id).paused
    with pytest.raises(DomainError) as exc:
        event(rc, "decided", D(2025, 9, 25), outcome="upheld")
    assert "中止" in exc.value.message
    rc = event(rc, "resumed", D(2025, 10, 10), reason="申请人已出院")
    assert rc.status == "accepted"
    assert clocks_of(rc)["decision"].deadline == D(2025, 11, 20)


def test_simple_procedure_eligibility_switch_and_no_extension(apply, event):
    with pytest.raises(DomainError) as exc:
        apply(procedure="simple", amount=5000)
    assert exc.value.field == "procedure" and "第五十三条" in exc.value.message
    assert not Reconsideration.objects.exists()
    # 2,000 yuan: simple. Accepted 2026-03-02: 30 days → 4月1日; the copy 3 working days, the answer 5.
    rc = apply(procedure="simple", amount=2000, received_on=D(2026, 2, 27))
    rc = event(rc, "accepted", D(2026, 3, 2))
    clocks = clocks_of(rc)
    assert clocks["decision"].deadline == D(2026, 4, 1)
    assert clocks["respondent_copy"].deadline == D(2026, 3, 5)
    with pytest.raises(DomainError) as exc:
        event(rc, "extended", D(2026, 3, 10), days=10, reason="情况复杂")
    assert exc.value.field == "days" and "简易程序" in exc.value.message
    # Switched on 3/20 (第五十五条): same start, 60 days → 5月1日, 劳动节 → 5月6日.
    rc = event(rc, "switched", D(2026, 3, 20), reason="案情复杂，不宜适用简易程序", approver="复议科科长 陈某")
    assert rc.procedure == "ordinary"
    assert clocks_of(rc)["decision"].deadline == D(2026, 5, 6)
    with pytest.raises(DomainError):
        event(rc, "switched", D(2026, 3, 21), reason="再转一次", approver="科长")


def test_copy_and_answer_clocks_of_the_respondent(apply, event, users):
    # Accepted 2025-09-26 (Fri): the copy within 7 working days: 9/28 (adjusted Sunday), 9/29, 9/30, 10/9, 10/10,
    # 10/11 (adjusted Saturday), 10/13 → 10月13日 (第四十八条).
    rc = apply(received_on=D(2025, 9, 24))
    rc = event(rc, "accepted", D(2025, 9, 26))
    assert clocks_of(rc)["respondent_copy"].deadline == D(2025, 10, 13)
    # Copy sent 10/13, received the same day: answer within ten working days: 10/14–17, 10/20–24, 10/27 → 10月27日.
    rc = event(rc, "copied", D(2025, 10, 13))
    clocks = clocks_of(rc)
    assert clocks["respondent_answer"].deadline == D(2025, 10, 27)
    assert rc.answer_item.unit.name == MARKET and rc.answer_item.kind == "reconsideration_answer"
    # The ecology bureau's officer is not the respondent's: refused.
    with pytest.raises(Forbidden):
        event(rc, "answered", D(2025, 10, 20), by=users["agency2"], reason="答复")
    rc = event(rc, "answered", D(2025, 10, 20), by=users["agency"], reason="原处罚决定事实清楚、证据确凿，请求维持")
    assert rc.answered_on == D(2025, 10, 20)
    assert TrackedItem.objects.get(pk=rc.answer_item_id).closed_on_time is True
    # The respondent cannot decide.
    with pytest.raises(Forbidden):
        event(rc, "decided", D(2025, 10, 21), by=users["agency"], outcome="upheld")


def test_a_decision_before_acceptance_and_a_correction_after_are_refused(apply, event):
    rc = apply(received_on=D(2025, 9, 1))
    with pytest.raises(DomainError) as exc:
        event(rc, "decided", D(2025, 9, 2), outcome="annulled")
    assert exc.value.field == "kind" and "尚未受理" in exc.value.message
    rc = event(rc, "accepted", D(2025, 9, 3))
    with pytest.raises(DomainError) as exc:
        event(rc, "correction_requested", D(2025, 9, 4), reason="补充材料")
    assert "补正" in exc.value.message and exc.value.field == "kind"
    with pytest.raises(DomainError) as exc:
        event(rc, "decided", D(2025, 9, 10), outcome="驳斥")
    assert exc.value.field == "outcome"
    with pytest.raises(DomainError) as exc:
        event(rc, "accepted", D(2025, 9, 2))
    assert exc.value.field == "kind"


def test_a_decision_corrects_the_case_issues_the_document_and_proposes_accountability(apply, event, users):
    from fazhi.documents.selectors import document_bytes
    from fazhi.supervision.signals import wrong_case_found

    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    wrong_case_found.connect(receiver, dispatch_uid="disputes-test")
    try:
        rc = apply(received_on=D(2025, 9, 1))
        rc = event(rc, "accepted", D(2025, 9, 2))
        rc = event(
            rc,
            "decided",
            D(2025, 10, 20),
            outcome="撤销",
            redo=True,
            reason="被申请人认定违法事实的主要证据不足",
        )
    finally:
        wrong_case_found.disconnect(dispatch_uid="disputes-test")
    assert (rc.status, rc.outcome, rc.corrected, rc.on_time) == ("decided", "annulled", True, True)
    assert rc.decision_number.startswith("示政复〔2025〕")
    assert len(received) == 1
    signal = received[0]
    assert signal["source_kind"] == "reconsideration" and signal["source_id"] == rc.pk
    assert signal["unit_id"] == rc.respondent_unit_id and signal["case_id"] is None
    assert signal["today"] == D(2025, 10, 20) and "撤销" in signal["source_label"]
    assert signal["by"] == users["supervisor"] and signal["source_url"].endswith(f"/disputes/reconsiderations/{rc.pk}/")
    docs = list(services.selectors.reconsideration_documents(rc=rc))
    assert [d.title for d in docs] == ["行政复议决定书"] and docs[0].number == rc.decision_number
    from io import BytesIO

    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(document_bytes(docs[0]))).paragraphs)
    assert "被申请人：示例市市场监督管理局" in text and "十五日内" in text and "责令被申请人" in text
    item = TrackedItem.objects.get(pk=rc.item_id)
    assert item.status == "closed" and item.closed_on_time
    assert all(not c.is_open for c in clocks_of(rc).values())
    _, _, problems = verify_chains(TrackedItem.objects.filter(pk=rc.item_id), check_files=False)
    assert problems == []


def test_the_application_period_is_flagged_not_refused(apply):
    # Known 2025-08-02: 60 days → 10月1日, 国庆节 → 10月9日 (民事诉讼法第八十五条). Applied 10/10: late, registered.
    rc = apply(known_on=D(2025, 8, 2), received_on=D(2025, 10, 10))
    assert rc.period_deadline == D(2025, 10, 9) and rc.period_expired
    warnings = {w.rule: w for w in services.selectors.reconsideration_warnings(rc=rc, today=D(2025, 10, 10))}
    assert warnings["application_period_expired"].citation == rules.APPLICATION_CITATION
    on_time = apply(known_on=D(2025, 8, 2), received_on=D(2025, 10, 9), applicant={
        "kind": "organisation", "name": "示例市东湖食品商行", "uscc": ORG_USCC,
    })  # fmt: skip
    assert not on_time.period_expired


def test_bad_input_names_each_field_and_writes_nothing(apply, agencies):
    with pytest.raises(DomainError) as exc:
        apply(
            applicant={"kind": "person", "name": "", "id_number": "110105194912310021"},
            act="",
            known_on=D(2025, 9, 5),
            received_on=D(2025, 9, 1),
        )
    fields = {e["field"] for e in exc.value.errors}
    assert {"applicant.name", "applicant.id_number", "act", "known_on"} <= fields
    assert not Reconsideration.objects.exists() and not TrackedItem.objects.filter(kind="reconsideration").exists()


def test_the_body_must_be_the_users(apply, agencies, org, users):
    from fazhi.core.models import Role, User

    role = Role.objects.create(
        code="district_body", name="区复议", data_scope="subtree", permissions=["reconsideration.manage"]
    )
    district = User.objects.create(username="dj", unit=org["东城区司法局"], must_change_password=False)
    district.roles.add(role)
    with pytest.raises(DomainError) as exc:
        apply(by=district)
    assert exc.value.field == "respondent" and "示例市司法局" in exc.value.message


def test_online_application_with_attachments_and_the_public_query(agencies):
    files = [SimpleUploadedFile("决定书.pdf", b"%PDF-1.4 test")]
    rc, password = services.reconsideration_apply_online(
        applicant={"kind": "person", "name": "李秀英", "id_number": "11010519491231002X", "phone": "13907310002"},
        respondent_name=MARKET,
        act="2026年3月2日作出的罚款5000元的行政处罚决定",
        known_on=D(2026, 3, 5),
        request="请求撤销该行政处罚决定",
        facts="执法人员未出示证件，认定事实不清，处罚明显过重。",
        consent=True,
        files=files,
        ip="203.0.113.9",
        submit_token="web:abc",
    )
    assert rc.channel == "online" and rc.attachments.count() == 1 and len(password) == 10
    again, same = services.reconsideration_apply_online(
        applicant={"kind": "person", "name": "李秀英", "id_number": "11010519491231002X"},
        respondent_name=MARKET,
        act="2026年3月2日作出的罚款5000元的行政处罚决定",
        known_on=D(2026, 3, 5),
        request="请求撤销该行政处罚决定",
        facts="执法人员未出示证件，认定事实不清，处罚明显过重。",
        consent=True,
        ip="203.0.113.9",
        submit_token="web:abc",
    )
    assert again.pk == rc.pk and same == password
    assert services.reconsideration_public_query(code=rc.tracking_code, password=password, ip="1.2.3.4").pk == rc.pk
    from fazhi.core.errors import NotFound

    with pytest.raises(NotFound):
        services.reconsideration_public_query(code=rc.tracking_code, password="WRONG", ip="1.2.3.4")
    with pytest.raises(DomainError) as exc:
        services.reconsideration_apply_online(
            applicant={"kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            respondent_name="不存在的局",
            act="x",
            known_on=D(2026, 3, 5),
            request="",
            facts="",
            consent=False,
        )
    fields = {e["field"] for e in exc.value.errors}
    assert {"respondent", "consent", "request", "facts", "act"} <= fields


def test_hearing_notice_five_working_days_and_the_head(apply, event, heads, users):
    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "accepted", D(2025, 9, 2))
    # Notice on 2025-09-26 (Fri): five working days 9/28, 9/29, 9/30, 10/9, 10/10 → the hearing not before 10/10.
    with pytest.raises(DomainError) as exc:
        services.reconsideration_hearing_add(
            by=users["supervisor"],
            reconsideration=rc,
            notice_on=D(2025, 9, 26),
            held_on=D(2025, 10, 9),
            place="复议听证室",
            matters="处罚幅度",
        )
    assert exc.value.field == "held_on" and "2025年10月10日" in exc.value.message
    hearing = services.reconsideration_hearing_add(
        by=users["supervisor"],
        reconsideration=rc,
        notice_on=D(2025, 9, 26),
        held_on=D(2025, 10, 10),
        place="复议听证室",
        matters="处罚幅度",
    )
    with pytest.raises(DomainError) as exc:
        services.reconsideration_hearing_record(
            by=users["supervisor"], hearing=hearing, head_attended=True, head=heads["ecology"]
        )
    assert exc.value.field == "head"
    services.reconsideration_hearing_record(
        by=users["supervisor"], hearing=hearing, head_attended=True, head=heads["deputy"]
    )
    hearing.refresh_from_db()
    assert hearing.head_attended and hearing.head == heads["deputy"]


def test_opinion_letter_sixty_days_and_the_agency_report(apply, event, users, agencies):
    rc = apply(received_on=D(2026, 7, 20))
    rc = event(rc, "accepted", D(2026, 7, 22))
    # Received 2026-08-02 (Sun): 60 days → 10月1日, 国庆节 (10月1日—7日) → 10月8日 (第七十六条).
    opinion = services.opinion_issue(
        by=users["supervisor"],
        reconsideration=rc,
        agency=agencies[MARKET],
        content="对同类违法行为的罚款数额明显不统一，请规范裁量基准的适用",
        issued_on=D(2026, 7, 31),
        received_on=D(2026, 8, 2),
    )
    assert opinion.item.clocks.get(name="opinion_report").deadline == D(2026, 10, 8)
    assert opinion.number.startswith("示政复意〔2026〕")
    with pytest.raises(Forbidden):
        services.opinion_report(by=users["agency2"], opinion=opinion, report="已整改", reported_on=D(2026, 9, 1))
    services.opinion_report(
        by=users["agency"], opinion=opinion, report="已修订裁量基准并组织培训", reported_on=D(2026, 9, 1)
    )
    opinion.refresh_from_db()
    assert opinion.reported_on == D(2026, 9, 1) and TrackedItem.objects.get(pk=opinion.item_id).closed_on_time


def test_normative_review_suspends_the_case_and_hands_it_to_rulemaking(apply, event, users):
    """The request is recorded here and the case suspended; the rule-making module owns the review and its clocks
    (one item, one set of clocks), and its result comes back to the request and the case's timeline."""
    from fazhi.rulemaking import services as rulemaking
    from fazhi.rulemaking.models import IncidentalReview

    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "accepted", D(2025, 9, 2))
    review = services.normative_review_open(
        by=users["supervisor"],
        reconsideration=rc,
        document_title="示例市市场监督管理局关于规范食品经营许可的通知",
        document_number="示市监发〔2024〕8号",
        issuer="示例市市场监督管理局",
        articles="第五条",
        source="applicant",
        competent=True,
        started_on=D(2025, 9, 10),
    )
    rc.refresh_from_db()
    assert rc.status == "suspended" and rc.suspension_ground == "9"
    assert review.item_id is None  # no second set of clocks here
    owner = IncidentalReview.objects.get(source_review_id=review.pk)
    assert owner.path == "handle"  # the body said it may handle it
    clocks = {c.name: c for c in owner.item.clocks.all()}
    # 30 days from 9/10 → 10月10日 (Fri); the maker is told within 3 working days: 9/11, 9/12, 9/15 → 9月15日.
    assert clocks["handle"].deadline == D(2025, 10, 10)
    assert clocks["notice"].deadline == D(2025, 9, 15)
    state = selectors.normative_review_states([review])[review.pk]
    assert state["status"] == "received" and {c.name for c in state["clocks"] if c.is_open} == {"handle", "notice"}
    rulemaking.incidental_notify(by=users["supervisor"], review=owner, notified_on=D(2025, 9, 12), today=D(2025, 9, 12))
    rulemaking.incidental_conclude(
        by=users["supervisor"],
        review=owner,
        conclusion="lawful",
        text="相关条款符合上位法",
        concluded_on=D(2025, 9, 30),
        today=D(2025, 9, 30),
    )
    review.refresh_from_db()
    assert (review.status, review.result, review.handled_on) == ("handled", "lawful", D(2025, 9, 30))
    assert selectors.reconsideration_timeline(rc=rc).filter(action="normative_concluded").exists()


def test_committee_referral_needs_a_sitting_committee(apply, event, users, org):
    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "accepted", D(2025, 9, 2))
    with pytest.raises(DomainError) as exc:
        services.reconsideration_refer(
            by=users["supervisor"], reconsideration=rc, ground="1", referred_on=D(2025, 9, 20)
        )
    assert exc.value.field == "referred_on"
    committee = services.committee_save(
        by=users["supervisor"], name="示例市人民政府行政复议委员会", term_from=D(2024, 1, 1), term_to=D(2027, 12, 31)
    )
    services.committee_member_add(
        by=users["supervisor"], committee=committee, name="钱教授", kind="scholar", organisation="示例大学法学院教授"
    )
    referral = services.reconsideration_refer(
        by=users["supervisor"], reconsideration=rc, ground="1", referred_on=D(2025, 9, 20)
    )
    services.referral_opinion(
        by=users["supervisor"], referral=referral, opinion="建议变更罚款数额", opinion_on=D(2025, 9, 25)
    )
    referral.refresh_from_db()
    assert referral.opinion == "建议变更罚款数额"


def test_publication_masks_the_applicant(apply, event, users):
    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "accepted", D(2025, 9, 2))
    rc = event(rc, "decided", D(2025, 10, 10), outcome="varied", reason="王建国的违法情节轻微，罚款5000元明显不当")
    with pytest.raises(DomainError):
        services.reconsideration_publish(by=users["supervisor"], reconsideration=rc, today=D(2025, 10, 12))
    rc = event(rc, "served", D(2025, 10, 11))
    services.reconsideration_publish(by=users["supervisor"], reconsideration=rc, today=D(2025, 10, 12))
    rc.refresh_from_db()
    assert "王建国" not in rc.published_text and "王某" in rc.published_text and "13907310001" not in rc.published_text


def test_termination_and_mediation_are_concluded_but_not_decided(apply, event):
    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "accepted", D(2025, 9, 2))
    rc = event(rc, "terminated", D(2025, 9, 20), ground="1", reason="申请人与被申请人达成和解，撤回申请")
    assert (rc.status, rc.outcome, rc.corrected) == ("terminated", "withdrawn", False)
    assert "终止" in rc.decision_number or rc.decision_number.startswith("示政复")
    other = apply(
        received_on=D(2025, 9, 1), applicant={"kind": "person", "name": "张伟", "id_number": "430102199201010061"}
    )
    other = event(other, "accepted", D(2025, 9, 2))
    other = event(other, "decided", D(2025, 9, 30), outcome="mediated", reason="双方达成调解协议")
    assert other.status == "decided" and other.outcome == "mediated" and not other.corrected


def test_the_agency_head_list(agencies, users):
    head = services.head_save(by=users["agency"], agency=agencies[MARKET], name="周局长", post="局长", kind="principal")
    with pytest.raises(DomainError) as exc:
        services.head_save(by=users["agency"], agency=agencies[MARKET], name="周局长", post="局长", kind="principal")
    assert exc.value.field == "name"
    with pytest.raises(Forbidden):
        services.head_save(by=users["agency"], agency=agencies[ECOLOGY], name="某", post="局长", kind="principal")
    services.head_deactivate(by=users["agency"], head=head)
    head.refresh_from_db()
    assert not head.is_active


def test_particulars_are_completed_before_the_decision_and_each_change_is_on_the_timeline(apply, event, users):
    """An application registered without the act's date and amount (as online ones are): they are completed later,
    the simple procedure becomes possible, the period is checked again, and the old values stay on the timeline."""
    rc = apply(received_on=D(2026, 2, 10))
    assert rc.amount is None and rc.act_date is None
    rc = services.reconsideration_particulars(
        by=users["supervisor"],
        reconsideration=rc,
        changes={"act_date": D(2026, 1, 20), "amount": "2000", "agent_name": "李律师", "agent_kind": "律师"},
        reason="申请人补充提交处罚决定书",
    )
    rc.refresh_from_db()
    assert (rc.act_date, str(rc.amount), rc.agent_name) == (D(2026, 1, 20), "2000.00", "李律师")
    last = TimelineEvent.objects.filter(item=rc.item).order_by("-seq").first()
    assert last.action == "particulars_changed" and "涉及款额（元）：2000.00" in last.comment
    assert last.data["before"]["amount"] is None and last.data["period_expired"] is False
    # 2,000 yuan is a ground for the simple procedure now (第五十三条).
    assert rules.simple_grounds(
        on_the_spot=False, warning=False, amount=rc.amount, disclosure=False, parties_agree=False
    )
    # Unchanged values write nothing.
    count = TimelineEvent.objects.filter(item=rc.item).count()
    services.reconsideration_particulars(by=users["supervisor"], reconsideration=rc, changes={"agent_name": "李律师"})
    assert TimelineEvent.objects.filter(item=rc.item).count() == count
    # Bad values: each field named, nothing written.
    with pytest.raises(DomainError) as exc:
        services.reconsideration_particulars(
            by=users["supervisor"],
            reconsideration=rc,
            changes={"amount": "很多", "act_date": D(2026, 2, 9)},
        )
    assert {e["field"] for e in exc.value.errors} == {"amount", "act_date"}
    with pytest.raises(DomainError) as exc:
        services.reconsideration_particulars(by=users["supervisor"], reconsideration=rc, changes={"act": "别的行为"})
    assert exc.value.field == "act"
    rc.refresh_from_db()
    assert str(rc.amount) == "2000.00" and TimelineEvent.objects.filter(item=rc.item).count() == count
    # Another unit's officer cannot; after the decision nobody can.
    with pytest.raises(Forbidden):
        services.reconsideration_particulars(by=users["agency2"], reconsideration=rc, changes={"agent_name": "张某"})
    rc = event(rc, "accepted", D(2026, 2, 12))
    rc = event(rc, "decided", D(2026, 3, 2), outcome="upheld", reason="事实清楚，证据确凿")
    with pytest.raises(DomainError) as exc:
        services.reconsideration_particulars(by=users["supervisor"], reconsideration=rc, changes={"agent_name": "张某"})
    assert exc.value.field == "status"


def test_a_simple_case_keeps_a_ground_for_the_simple_procedure(apply, users):
    rc = apply(received_on=D(2026, 2, 10), amount="2000", procedure="simple")
    with pytest.raises(DomainError) as exc:
        services.reconsideration_particulars(by=users["supervisor"], reconsideration=rc, changes={"amount": "5000"})
    assert exc.value.field == "procedure" and "第五十三条" in exc.value.message
    rc = services.reconsideration_particulars(
        by=users["supervisor"], reconsideration=rc, changes={"amount": "5000", "parties_agree_simple": True}
    )
    assert str(rc.amount) == "5000.00" and rc.parties_agree_simple
