import datetime as dt

import pytest
from django.utils import timezone

from fazhi.complaints import services
from fazhi.complaints.models import Complaint, Message, Reply
from fazhi.complaints.tests import factories as f
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.models import OperationLog

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- intake and bad input


def test_submit_gives_code_and_password_that_opens_it():
    complaint, password = f.submit()
    assert complaint.tracking_code.startswith("TS") and len(password) == 10
    assert complaint.status == "received" and complaint.password_hash != password
    found = services.complaint_public_query(code=complaint.tracking_code.lower(), password=password, ip="10.0.0.1")
    assert found.pk == complaint.pk


@pytest.mark.parametrize(
    "description, message",
    [
        ("", "不能为空"),
        ("   太短  ", "至少"),
        ("很长" * 1001, "不能超过 2000 字"),
    ],
)
def test_bad_description_names_the_field_and_writes_nothing(description, message):
    before = Complaint.objects.count()
    with pytest.raises(DomainError) as exc:
        f.submit(description=description)
    assert exc.value.field == "description" and message in exc.value.message
    assert Complaint.objects.count() == before


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"category": "nonsense"}, "category"),
        ({"phone": "12345"}, "phone"),
        ({"name": ""}, "name"),
        ({"consent": False}, "consent"),
        ({"email": "not-an-email"}, "email"),
        ({"place": "路" * 201}, "place"),
        ({"occurred_on": dt.date.today() + dt.timedelta(days=3)}, "occurred_on"),
    ],
)
def test_bad_fields(kwargs, field):
    with pytest.raises(DomainError) as exc:
        f.submit(**kwargs)
    assert exc.value.field == field


def test_category_accepts_chinese_label():
    complaint, _ = f.submit(category="逐利执法")
    assert complaint.category == "profit"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("virus.exe", b"MZ" + b"0" * 20, "类型不支持"),
        ("page.html", b"<html>", "类型不支持"),
        ("fake.png", b"%PDF-1.4 not a png", "内容与扩展名不符"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_unsupported_files_are_refused(name, data, message):
    with pytest.raises(DomainError) as exc:
        f.submit(files=[f.upload(name, data)])
    assert exc.value.field == "attachments" and message in exc.value.message
    assert not Complaint.objects.filter(description=f.TEXT).exists()


def test_oversized_file_is_refused(settings):
    big = f.upload("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(DomainError) as exc:
        f.submit(files=[big])
    assert "10 MB" in exc.value.message


def test_too_many_files():
    with pytest.raises(DomainError) as exc:
        f.submit(files=[f.upload(f"p{i}.png") for i in range(6)])
    assert "最多 5 个" in exc.value.message


def test_images_and_pdf_are_stored():
    complaint, _ = f.submit(files=[f.upload("a.png"), f.upload("b.pdf", f.PDF)])
    assert sorted(a.name for a in complaint.attachments.all()) == ["a.png", "b.pdf"]


def test_anonymous_keeps_no_identity():
    complaint, password = f.submit(anonymous=True, name="张三", phone="13900000000")
    assert complaint.anonymous and complaint.complainant_name == "" and complaint.complainant_phone == ""
    assert password


def test_same_submit_token_makes_one_complaint_with_same_password():
    first, p1 = f.submit(submit_token="web:abc123")
    second, p2 = f.submit(submit_token="web:abc123")
    assert first.pk == second.pk and p1 == p2
    assert Complaint.objects.filter(submit_token="web:abc123").count() == 1


def test_rate_limit_per_ip():
    for _ in range(5):
        f.submit(ip="10.1.1.1")
    with pytest.raises(DomainError) as exc:
        f.submit(ip="10.1.1.1")
    assert exc.value.field == "rate"
    f.submit(ip="10.1.1.2")  # another address is not limited


def test_rate_limit_per_phone():
    for i in range(3):
        f.submit(phone="13912345678", ip=f"10.2.0.{i}")
    with pytest.raises(DomainError) as exc:
        f.submit(phone="13912345678", ip="10.2.0.9")
    assert exc.value.field == "phone"


def test_wrong_password_and_unknown_code_answer_the_same():
    complaint, _ = f.submit()
    with pytest.raises(NotFound) as a:
        services.complaint_public_query(code=complaint.tracking_code, password="WRONGWRONG", ip="10.3.0.1")
    with pytest.raises(NotFound) as b:
        services.complaint_public_query(code="TS000000XXXXXX", password="WRONGWRONG", ip="10.3.0.1")
    assert a.value.message == b.value.message == "查询码或查询密码不正确"


def test_failed_queries_are_limited_per_ip():
    complaint, password = f.submit()
    for _ in range(10):
        with pytest.raises(NotFound):
            services.complaint_public_query(code=complaint.tracking_code, password="X", ip="10.4.0.1")
    with pytest.raises(DomainError) as exc:
        services.complaint_public_query(code=complaint.tracking_code, password=password, ip="10.4.0.1")
    assert exc.value.field == "rate"


# ---------------------------------------------------------------- hotline


def test_hotline_twice_is_one_complaint(users):
    kwargs = dict(
        by=users["supervisor"],
        work_order_no="HL001",
        received_at=timezone.now(),
        content="执法人员上门检查时拒不出示证件，态度粗暴。",
        caller_name="李女士",
        caller_phone="13800001111",
        handling_unit="示例市市场监督管理局",
    )
    first, created1 = services.hotline_upsert(**kwargs)
    second, created2 = services.hotline_upsert(**kwargs)
    assert created1 and not created2 and first.pk == second.pk
    assert first.channel == "hotline" and first.agency_named.name == "示例市市场监督管理局"


def test_hotline_unknown_unit_and_permission(users):
    with pytest.raises(DomainError) as exc:
        services.hotline_upsert(
            by=users["supervisor"],
            work_order_no="HL002",
            received_at=timezone.now(),
            content="执法人员上门检查时拒不出示证件。",
            handling_unit="不存在的局",
        )
    assert exc.value.field == "handling_unit"
    with pytest.raises(Forbidden):
        services.hotline_upsert(
            by=users["agency"],
            work_order_no="HL003",
            received_at=timezone.now(),
            content="执法人员上门检查时拒不出示证件。",
        )


# ---------------------------------------------------------------- handling


def test_full_handling_flow_through_tracking(users):
    complaint, _password = f.submit(email="wxm@example.com")
    services.complaint_assign(by=users["supervisor"], complaint=complaint, agency=f.agency())
    complaint.refresh_from_db()
    item = complaint.item
    assert complaint.status == "assigned" and item.kind == "complaint" and item.limit_kind == "working"
    assert item.limit_days == 10 and "10个工作日" in item.deadline_source
    assert complaint.routing_confirmed and complaint.division_id == f.agency().division_id

    services.complaint_reply(
        by=users["agency"],
        complaint=complaint,
        findings="经核查属实，已约谈执法人员。",
        measures="责令整改并致歉。",
        files=[f.upload("证据.pdf", f.PDF)],
    )
    item.refresh_from_db()
    assert item.status == "review" and item.action_unit.name == "示例市司法局"

    services.complaint_return(by=users["supervisor"], complaint=complaint, reason="未说明是否退还罚款")
    item.refresh_from_db()
    assert item.status == "returned" and item.action_unit.name == "示例市市场监督管理局"

    services.complaint_reply(
        by=users["agency"], complaint=complaint, findings="经核查属实，罚款已退还。", measures="责令整改并致歉。"
    )
    services.complaint_approve(by=users["supervisor"], complaint=complaint)
    complaint.refresh_from_db()
    item.refresh_from_db()
    assert complaint.status == "answered" and item.status == "closed" and complaint.on_time is True
    assert complaint.handling_days == 0
    assert [e.action for e in item.events.order_by("seq")] == ["created", "replied", "returned", "replied", "closed"]
    assert Message.objects.filter(complaint=complaint, channel="email").exists()
    assert Message.objects.filter(complaint=complaint, channel="sms").exists()

    services.complaint_rate(complaint=complaint, satisfaction="satisfied")
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.closed_at
    # The rating comes after the item closed and still lands on its tamper-evident timeline.
    rated = item.events.order_by("seq").last()
    assert rated.action == "rated" and rated.data["satisfaction"] == "satisfied"
    from fazhi.tracking.models import TrackedItem
    from fazhi.tracking.timeline import verify_chains

    assert verify_chains(TrackedItem.objects.filter(pk=item.pk))[2] == []


def test_assign_and_approve_count_from_the_day_given(users):
    """`today=`: the working-day limit runs from the day of acceptance and the handling days end on approval."""
    from fazhi.workdays.calendar import add_working_days

    accepted, approved = dt.date(2025, 9, 29), dt.date(2025, 10, 10)  # across the National Day holiday
    complaint, _password = f.submit()
    services.complaint_assign(by=users["supervisor"], complaint=complaint, agency=f.agency(), today=accepted)
    complaint.refresh_from_db()
    assert complaint.item.start_date == accepted and complaint.item.deadline == add_working_days(accepted, 10)
    services.complaint_reply(by=users["agency"], complaint=complaint, findings="经核查属实。", measures="责令整改。")
    services.complaint_approve(by=users["supervisor"], complaint=complaint, today=approved)
    complaint.refresh_from_db()
    # 9-30, 10-9 and 10-10: the working days after 9-29 up to the approval (10-1 to 10-8 are holidays).
    assert complaint.handling_days == 3 and complaint.on_time is True
    assert complaint.item.events.get(action="closed").data["done_on"] == approved.isoformat()


def test_reply_only_by_the_assigned_agency(users):
    complaint, _ = f.assigned(users)
    with pytest.raises(Forbidden):
        services.complaint_reply(by=users["agency2"], complaint=complaint, findings="经核查不属实。", measures="无")


@pytest.mark.parametrize("findings, measures, field", [("", "已处理", "findings"), ("经核查属实情况", "", "measures")])
def test_reply_needs_findings_and_measures(users, findings, measures, field):
    complaint, _ = f.assigned(users)
    with pytest.raises(DomainError) as exc:
        services.complaint_reply(by=users["agency"], complaint=complaint, findings=findings, measures=measures)
    assert exc.value.field == field
    assert not Reply.objects.filter(complaint=complaint).exists()


def test_agency_cannot_assign_or_approve(users):
    complaint, _ = f.submit()
    with pytest.raises(Forbidden):
        services.complaint_assign(by=users["agency"], complaint=complaint, agency=f.agency())
    replied, _ = f.replied(users)
    with pytest.raises(Forbidden):
        services.complaint_approve(by=users["agency"], complaint=replied)


def test_return_needs_reason(users):
    complaint, _ = f.replied(users)
    with pytest.raises(DomainError) as exc:
        services.complaint_return(by=users["supervisor"], complaint=complaint, reason=" ")
    assert exc.value.field == "reason"


def test_dissatisfied_reopens_once_then_closes(users):
    complaint, _ = f.answered(users)
    services.complaint_rate(complaint=complaint, satisfaction="dissatisfied", comment="没有解决")
    complaint.refresh_from_db()
    assert complaint.status == "reopened" and complaint.reopened
    first_item = complaint.item
    last = first_item.events.order_by("seq").last()
    assert (last.action, last.comment, last.data["reopened"]) == ("rated", "没有解决", True)
    services.complaint_assign(by=users["supervisor"], complaint=complaint, agency=f.agency())
    complaint.refresh_from_db()
    assert complaint.prior_item_id == first_item.pk and complaint.item_id != first_item.pk
    services.complaint_reply(
        by=users["agency"], complaint=complaint, findings="再次核查，已督促整改到位。", measures="整改完毕"
    )
    services.complaint_approve(by=users["supervisor"], complaint=complaint)
    services.complaint_rate(complaint=complaint, satisfaction="dissatisfied")
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.satisfaction == "dissatisfied"


def test_rating_only_when_answered(users):
    complaint, _ = f.assigned(users)
    with pytest.raises(DomainError):
        services.complaint_rate(complaint=complaint, satisfaction="satisfied")
    answered, _ = f.answered(users)
    with pytest.raises(DomainError):
        services.complaint_rate(complaint=answered, satisfaction="great")


def test_review_close_after_dissatisfaction(users):
    complaint, _ = f.answered(users)
    services.complaint_rate(complaint=complaint, satisfaction="dissatisfied")
    services.complaint_review_close(by=users["supervisor"], complaint=complaint, comment="原答复依法有据，予以维持")
    complaint.refresh_from_db()
    assert complaint.status == "closed"


def test_out_of_scope_records_reason_and_tells_complainant(users):
    complaint, _ = f.submit(
        description="小区物业乱收停车费，业主委员会不作为，希望有关部门管一管。", email="a@example.com"
    )
    with pytest.raises(DomainError):
        services.complaint_out_of_scope(by=users["supervisor"], complaint=complaint, reason="")
    services.complaint_out_of_scope(
        by=users["supervisor"],
        complaint=complaint,
        reason="属于物业服务纠纷，不涉及行政执法",
        transferred_to="示例市住房和城乡建设局",
    )
    complaint.refresh_from_db()
    assert complaint.status == "out_of_scope" and complaint.transferred_to == "示例市住房和城乡建设局"
    assert complaint.messages.filter(subject__contains="不属于").exists()


def test_merge_shares_handling_and_reply(users):
    primary, _ = f.submit(email="p@example.com")
    duplicate, _password = f.submit(email="d@example.com")
    services.complaint_merge(by=users["supervisor"], primary=primary, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into_id == primary.pk
    services.complaint_assign(by=users["supervisor"], complaint=primary, agency=f.agency())
    services.complaint_reply(
        by=users["agency"], complaint=primary, findings="经核查属实，已整改。", measures="批评教育"
    )
    services.complaint_approve(by=users["supervisor"], complaint=primary)
    assert Message.objects.filter(complaint=duplicate, channel="email").exists()
    from fazhi.complaints.selectors import public_view

    view = public_view(complaint=duplicate)
    assert view.status == "answered" and view.reply["measures"] == "批评教育"


def test_merge_refuses_accepted_duplicate(users):
    primary, _ = f.submit()
    accepted, _ = f.assigned(users)
    with pytest.raises(DomainError):
        services.complaint_merge(by=users["supervisor"], primary=primary, duplicate=accepted)


def test_discipline_transfer_and_follow_up(users):
    complaint, _ = f.assigned(users)
    transfer = services.discipline_transfer(
        by=users["supervisor"], complaint=complaint, organ="示例市纪委监委", reason="执法人员涉嫌索要财物"
    )
    services.discipline_follow_up(by=users["supervisor"], transfer=transfer, follow_up="已立案审查", result="立案")
    transfer.refresh_from_db()
    assert "已立案审查" in transfer.follow_up and transfer.result == "立案"
    assert complaint.item.events.filter(action="discipline_transfer").exists()
    with pytest.raises(DomainError):
        services.discipline_transfer(by=users["supervisor"], complaint=complaint, organ="", reason="x")


def test_clue_registration_by_invited_supervisor(users):
    clue = services.clue_register(
        by=users["monitor"], category="profit", description="某执法大队下达罚款任务指标，以罚代管。", place="南山县"
    )
    assert clue.channel == "clue" and clue.created_by == users["monitor"]
    assert OperationLog.objects.filter(action="登记问题线索").exists()
    with pytest.raises(Forbidden):
        services.clue_register(by=users["officer"], category="profit", description="某执法大队下达罚款任务指标。")


def test_deadline_per_category_is_configurable(users, settings):
    settings.FAZHI_COMPLAINTS = {"DEADLINES": {"misconduct": 3}}
    complaint, _ = f.assigned(users)
    assert complaint.item.limit_days == 3 and "本地配置" in complaint.item.deadline_source


def test_hotline_deadline_is_the_shorter(users):
    complaint, _ = services.hotline_upsert(
        by=users["supervisor"],
        work_order_no="HL009",
        received_at=timezone.now(),
        content="执法人员检查时辱骂商户，态度恶劣。",
        category="abuse",
    )
    services.complaint_assign(by=users["supervisor"], complaint=complaint, agency=f.agency())
    complaint.refresh_from_db()
    assert complaint.item.limit_days == 5 and "12345" in complaint.item.deadline_source


def test_submit_reports_every_field_problem_at_once():
    """The public form learns all its problems from one refusal, not one field per submit."""
    with pytest.raises(DomainError) as caught:
        services.complaint_submit(
            channel="web", category="", description="太短", name="", phone="123", email="x@", consent=False
        )
    fields = [e["field"] for e in caught.value.errors]
    assert sorted(fields) == sorted(["category", "description", "name", "phone", "email", "consent"])
    assert caught.value.field == "category"  # the first one, as before, for callers that read only one
    assert not Complaint.objects.exists()


def test_a_long_email_is_stored_whole_with_its_note_of_skipped_attachments():
    body = "执法人员在检查中态度粗暴，" * 400  # 5,200 characters: the public form's 2,000 do not apply to mail
    complaint = services.email_intake(
        message_id="<long-mail@example.com>", sender="citizen@example.com", sender_name="市民", subject="投诉",
        body=body, received_at=None, files=[("录音.exe", b"MZ\x90\x00")],
    )  # fmt: skip
    assert body.strip() in complaint.description
    assert complaint.description.endswith("类型或大小不符合要求）")
