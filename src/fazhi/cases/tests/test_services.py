"""Case services: filing, stage order, bad input, extensions, warnings, disclosure and withdrawal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.cases import services
from fazhi.cases.models import Case, CaseExtension, Disclosure
from fazhi.cases.tests import case_factories as cf
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.models import OperationLog
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.timeline import verify_chains

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def m(org, users):
    return cf.market(org, users)


def file_case(m, users, username="agency", **overrides) -> Case:
    return services.case_file(by=users[username], **cf.case_kwargs(m, **overrides))


def run_general(case, by, *, decided=D(2025, 4, 2), fine="5000", tier=None):
    case = services.case_advance(case=case, by=by, stage="investigation", data={"date": D(2025, 3, 4)})
    case = services.case_advance(case=case, by=by, stage="notice", data={"notified_on": D(2025, 3, 20)})
    return services.case_advance(
        case=case,
        by=by,
        stage="decision",
        data={
            "decision_number": "示市监罚〔2025〕1号",
            "decided_on": decided,
            "penalty_kinds": ["警告", "罚款"],
            "fine": fine,
            "tier": tier,
        },
    )


def test_file_creates_case_handlers_and_tracked_item(m, users):
    case = file_case(m, users)
    assert case.number.startswith("市场监管局立〔2025〕")
    assert case.stage == "filed"
    assert set(case.handlers.values_list("name", flat=True)) == {"陈执法", "王执法"}
    item = case.item
    assert item.kind == "case" and item.unit == m["agency"].unit
    assert item.deadline_source == "《中华人民共和国行政处罚法》第六十条"
    assert item.limit_kind == "calendar" and item.limit_days == 90
    assert item.deadline == D(2025, 6, 3)  # 2025-06-01 is a rest day (端午), rolled forward
    events = list(item.events.order_by("seq"))
    assert [e.action for e in events] == ["created", "filed"]


def test_full_general_procedure_with_attachments_and_disclosure(m, users):
    by = users["agency"]
    case = file_case(m, users)
    case = run_general(case, by, tier=m["item"].tiers.first().pk)
    assert case.stage == "decision" and case.fine == Decimal("5000.00")
    photo = SimpleUploadedFile("送达回证.jpg", b"\xff\xd8\xff\xe0 photo bytes", content_type="image/jpeg")
    case = services.case_advance(
        case=case, by=by, stage="service", data={"served_on": D(2025, 4, 3)}, attachments=[photo]
    )
    case = services.case_advance(case=case, by=by, stage="disclosure", data={"disclosed_on": D(2025, 4, 8)})
    case = services.case_advance(case=case, by=by, stage="execution", data={"executed_on": D(2025, 4, 20)})
    case = services.case_advance(case=case, by=by, stage="closed", data={"closed_on": D(2025, 4, 21)})
    case.refresh_from_db()
    assert case.stage == "closed" and case.item.status == "closed"
    service_event = case.item.events.get(action="stage_service")
    att = service_event.attachments.get()
    assert att.size > 0 and len(att.sm3) == 64
    _, _, problems = verify_chains(TrackedItem.objects.filter(pk=case.item_id))
    assert problems == []
    assert case.check_result.errors == 0 and case.check_result.rules == []
    d = case.disclosure
    assert d.party_display == "示例市某某商贸有限公司" and d.party_code_display == cf.ORG_USCC


def test_stage_order_enforced(m, users):
    by = users["agency"]
    case = file_case(m, users)
    with pytest.raises(DomainError, match="不能进入“决定”") as exc:
        services.case_advance(case=case, by=by, stage="decision", data={})
    assert exc.value.field == "stage"
    case = services.case_advance(case=case, by=by, stage="investigation", data={})
    case = services.case_advance(case=case, by=by, stage="notice", data={"notified_on": D(2025, 3, 20)})
    with pytest.raises(DomainError, match="未申请听证"):
        services.case_advance(case=case, by=by, stage="hearing", data={})
    assert Case.objects.get(pk=case.pk).stage == "notice"


def test_hearing_only_when_requested(m, users):
    by = users["agency"]
    case = file_case(m, users)
    case = services.case_advance(case=case, by=by, stage="investigation", data={})
    case = services.case_advance(
        case=case, by=by, stage="notice", data={"notified_on": D(2025, 3, 20), "hearing_requested": True}
    )
    with pytest.raises(DomainError, match="不能进入“决定”"):
        services.case_advance(case=case, by=by, stage="decision", data={})
    case = services.case_advance(
        case=case, by=by, stage="hearing", data={"hearing_notice_on": D(2025, 3, 24), "hearing_on": D(2025, 4, 2)}
    )
    assert case.stage == "hearing" and case.hearing_on == D(2025, 4, 2)


def test_legal_review_required_for_major_item(m, users):
    by = users["agency"]
    case = file_case(m, users, power_item=m["major_item"].pk)
    case = services.case_advance(case=case, by=by, stage="investigation", data={})
    case = services.case_advance(case=case, by=by, stage="notice", data={"notified_on": D(2025, 3, 20)})
    with pytest.raises(DomainError, match="法制审核"):
        services.case_advance(
            case=case,
            by=by,
            stage="decision",
            data={"decision_number": "X", "decided_on": D(2025, 4, 2), "penalty_kinds": ["警告"]},
        )
    with pytest.raises(DomainError, match="审核意见"):
        services.case_advance(case=case, by=by, stage="legal_review", data={"legal_review_on": D(2025, 3, 30)})
    case = services.case_advance(
        case=case, by=by, stage="legal_review", data={"legal_review_on": D(2025, 3, 30), "comment": "同意"}
    )
    case = services.case_advance(
        case=case,
        by=by,
        stage="decision",
        data={"decision_number": "X", "decided_on": D(2025, 4, 2), "penalty_kinds": ["警告"]},
    )
    assert case.stage == "decision" and "legal_review_missing" not in case.check_result.rules


def test_simple_procedure_path(m, users):
    by = users["agency"]
    case = file_case(
        m,
        users,
        procedure="simple",
        party_kind="person",
        party_name="张三",
        party_id_number=cf.PERSON_ID,
        party_uscc="",
    )
    with pytest.raises(DomainError):
        services.case_advance(case=case, by=by, stage="investigation", data={})
    case = services.case_advance(
        case=case,
        by=by,
        stage="decision",
        data={
            "decision_number": "当场〔2025〕1号",
            "decided_on": D(2025, 3, 3),
            "penalty_kinds": "罚款",
            "fine": "500",
        },
    )
    assert case.check_result.rules == ["on_the_spot_limit"]  # a citizen: at most 200 yuan on the spot
    case = services.case_advance(case=case, by=by, stage="service", data={"served_on": D(2025, 3, 3)})
    with pytest.raises(DomainError):
        services.case_advance(case=case, by=by, stage="disclosure", data={})
    case = services.case_advance(case=case, by=by, stage="closed", data={"closed_on": D(2025, 3, 4)})
    assert case.stage == "closed"


def test_no_penalty_cites_exemption_entry(m, users):
    by = users["agency"]
    case = file_case(m, users)
    case = services.case_advance(case=case, by=by, stage="investigation", data={})
    case = services.case_advance(case=case, by=by, stage="notice", data={"notified_on": D(2025, 3, 20)})
    with pytest.raises(DomainError) as exc:
        services.case_advance(
            case=case,
            by=by,
            stage="decision",
            data={"outcome": "no_penalty", "decision_number": "不罚〔2025〕1号", "decided_on": D(2025, 4, 2)},
        )
    assert exc.value.field == "list_entry"
    case = services.case_advance(
        case=case,
        by=by,
        stage="decision",
        data={
            "outcome": "no_penalty",
            "decision_number": "不罚〔2025〕1号",
            "decided_on": D(2025, 4, 2),
            "list_entry": m["exempt"].pk,
        },
    )
    assert case.outcome == "no_penalty" and case.list_entry == m["exempt"] and case.fine is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {"party_kind": "person", "party_name": "张三", "party_id_number": "110105194912310021", "party_uscc": ""},
            "party_id_number",
        ),
        ({"party_uscc": "91110000600037341X"}, "party_uscc"),
        ({"power_item": 999999}, "power_item"),
        ({"filed_on": "2025-02-30"}, "filed_on"),
        ({"violation_ended_on": D(2025, 3, 10)}, "filed_on"),  # the act ended after the filing
        ({"handlers": []}, "handlers"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_input_names_field_and_saves_nothing(m, users, overrides, field):
    before = Case.objects.count(), TrackedItem.objects.count()
    with pytest.raises(DomainError) as exc:
        file_case(m, users, **overrides)
    assert exc.value.field == field
    assert (Case.objects.count(), TrackedItem.objects.count()) == before


def test_handler_of_another_agency_is_refused(m, org, users):
    other = cf.officer(cf.agency(org[cf.ECOLOGY]), "环境执法")
    with pytest.raises(DomainError, match="不属于办案机关") as exc:
        file_case(m, users, handlers=[m["o1"].pk, other.pk])
    assert exc.value.field == "handlers"
    assert not Case.objects.exists()


def test_power_item_of_another_agency_is_unknown(m, org, users):
    foreign = cf.power_item(cf.agency(org[cf.ECOLOGY]))
    with pytest.raises(DomainError) as exc:
        file_case(m, users, power_item=foreign.pk)
    assert exc.value.field == "power_item"


@pytest.mark.parametrize(("fine", "message"), [("0", "大于 0"), ("-5", "大于 0"), ("abc", "不是有效金额")])
def test_bad_fine(m, users, fine, message):
    case = file_case(m, users)
    by = users["agency"]
    case = services.case_advance(case=case, by=by, stage="investigation", data={})
    case = services.case_advance(case=case, by=by, stage="notice", data={"notified_on": D(2025, 3, 20)})
    with pytest.raises(DomainError, match=message) as exc:
        services.case_advance(
            case=case,
            by=by,
            stage="decision",
            data={"decision_number": "X", "decided_on": D(2025, 4, 2), "penalty_kinds": ["罚款"], "fine": fine},
        )
    assert exc.value.field == "fine"
    assert Case.objects.get(pk=case.pk).stage == "notice"


def test_decision_before_filing_is_refused(m, users):
    case = file_case(m, users)
    by = users["agency"]
    case = services.case_advance(case=case, by=by, stage="investigation", data={})
    case = services.case_advance(case=case, by=by, stage="notice", data={"notified_on": D(2025, 3, 20)})
    with pytest.raises(DomainError, match="不能早于") as exc:
        services.case_advance(
            case=case,
            by=by,
            stage="decision",
            data={"decision_number": "X", "decided_on": D(2025, 3, 1), "penalty_kinds": ["警告"]},
        )
    assert exc.value.field == "decided_on"
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.decided_on is None and fresh.stage == "notice"


def test_warning_item_opened_and_closed(m, users):
    by = users["agency"]
    today = dt.date.today()
    case = file_case(
        m,
        users,
        handlers=[m["o1"].pk],
        filed_on=today - dt.timedelta(days=5),
        violation_ended_on=today - dt.timedelta(days=9),
    )  # one officer only
    case.refresh_from_db()
    assert case.check_result.rules == ["handlers_min_two"]
    warning = case.warning_item
    assert warning.kind == "case_warning" and warning.status == "open"
    assert warning.unit == m["agency"].unit
    assert warning.deadline_source == "《中华人民共和国行政处罚法》第四十二条"
    assert warning.limit_kind == "working" and warning.limit_days == 5
    # Errors that stay keep the same item; correcting them closes it.
    services.case_update(by=by, case=case, data={"title": "销售过期食品（更正）"})
    case.refresh_from_db()
    assert case.warning_item_id == warning.pk
    services.case_update(by=by, case=case, data={"handlers": [m["o1"].pk, m["o2"].pk]})
    case.refresh_from_db()
    warning.refresh_from_db()
    assert case.check_result.errors == 0 and warning.status == "closed"


def test_expired_certificate_on_act_date_is_an_error(m, users):
    expired = cf.officer(m["agency"], "李过期", valid_from=D(2018, 1, 1), valid_to=D(2024, 12, 31))
    case = file_case(m, users, handlers=[m["o1"].pk, expired.pk])
    assert "handler_certificate_invalid" in Case.objects.get(pk=case.pk).check_result.rules


def test_extension_records_approver_and_moves_deadline(m, users):
    by = users["agency"]
    case = file_case(m, users)
    with pytest.raises(DomainError) as exc:
        services.case_extend(case=case, by=by, days=30, reason="", approver="局长")
    assert exc.value.field == "reason"
    ext = services.case_extend(
        case=case, by=by, days=30, reason="案情复杂", approver="局长 王某", approved_on=D(2025, 5, 20)
    )
    case.refresh_from_db()
    assert isinstance(ext, CaseExtension) and ext.approver == "局长 王某"
    assert case.extension_days == 30
    assert case.item.deadline == D(2025, 7, 1)  # 2025-03-03 + 120 days, a Tuesday
    assert case.item.events.filter(action="deadline_changed").exists()


def test_person_disclosure_masked_and_withdrawal_needs_reason(m, users):
    by = users["agency"]
    case = file_case(m, users, party_kind="person", party_name="欧阳明", party_id_number=cf.PERSON_ID, party_uscc="")
    case = run_general(case, by)
    case = services.case_advance(case=case, by=by, stage="service", data={"served_on": D(2025, 4, 3)})
    case = services.case_advance(case=case, by=by, stage="disclosure", data={"disclosed_on": D(2025, 4, 8)})
    d = Disclosure.objects.get(case=case)
    assert d.party_display == "欧阳某"
    assert d.party_code_display == "110105********002X"
    assert "欧阳明" not in d.search and cf.PERSON_ID not in d.search
    with pytest.raises(DomainError) as exc:
        services.disclosure_withdraw(disclosure=d, by=by, reason=" ")
    assert exc.value.field == "reason"
    services.disclosure_withdraw(disclosure=d, by=by, reason="决定被复议机关撤销")
    d.refresh_from_db()
    assert d.withdrawn_at is not None and d.withdraw_reason == "决定被复议机关撤销"
    assert OperationLog.objects.filter(action="撤回执法决定公示", summary__contains="复议").exists()
    assert case.item.events.filter(action="disclosure_withdrawn").exists()


def test_scope_and_permission_on_writes(m, users):
    case = file_case(m, users)
    with pytest.raises(NotFound):
        services.case_advance(case=case, by=users["agency2"], stage="investigation", data={})
    with pytest.raises(Forbidden):
        services.case_advance(case=case, by=users["supervisor"], stage="investigation", data={})


def test_officer_files_only_with_himself_as_handler(m, users):
    with pytest.raises(DomainError, match="包含本人"):
        file_case(m, users, username="officer", handlers=[m["o2"].pk, cf.officer(m["agency"], "赵执法").pk])
    case = file_case(m, users, username="officer")
    assert case.agency == m["agency"]


def test_import_row_runs_through_the_stages(m, users):
    case = services.case_import_row(
        by=users["agency"],
        data={
            **cf.case_kwargs(m),
            "decided_on": D(2025, 4, 2),
            "decision_number": "旧系统〔2025〕8号",
            "penalty_kinds": ["罚款"],
            "fine": "3000",
            "served_on": D(2025, 4, 3),
            "disclosed_on": D(2025, 4, 9),
            "closed_on": D(2025, 4, 30),
        },
    )
    assert case.stage == "closed" and case.disclosure.decision_number == "旧系统〔2025〕8号"
    case.refresh_from_db()
    stored = (case.decided_on, case.fine, case.served_on, case.disclosed_on, case.closed_on)
    assert stored == (D(2025, 4, 2), Decimal("3000"), D(2025, 4, 3), D(2025, 4, 9), D(2025, 4, 30))
    # Through the same services as a case handled here: every stage in the statutory order on the timeline.
    actions = [a for a in case.item.events.order_by("seq").values_list("action", flat=True) if a.startswith("stage_")]
    assert actions == [
        "stage_investigation",
        "stage_notice",
        "stage_decision",
        "stage_service",
        "stage_disclosure",
        "stage_closed",
    ]


# ---------------------------------------------------------------- the clocks after the decision (issue 9)


def _decided_in_time(m, users, today):
    """Filed 95 days ago, decided on day 30 — within the 90 days of 第六十条 — and entered only today."""
    filed = today - dt.timedelta(days=95)
    case = file_case(m, users, filed_on=filed, violation_ended_on=filed - dt.timedelta(days=10))
    by = users["agency"]
    case = services.case_advance(case=case, by=by, stage="investigation", data={"date": filed})
    case = services.case_advance(case=case, by=by, stage="notice", data={"notified_on": filed + dt.timedelta(20)})
    decided = filed + dt.timedelta(days=30)
    data = {"decision_number": "示市监罚〔演示〕24号", "decided_on": decided, "penalty_kinds": ["警告"]}
    return services.case_advance(case=case, by=by, stage="decision", data=data), decided


def test_decision_in_time_closes_the_case_item_and_opens_the_service_clock(m, users):
    from fazhi.cases.rules import service_deadline

    today = timezone.localdate()
    case, decided = _decided_in_time(m, users, today)
    case.refresh_from_db()
    assert case.item.status == "closed" and case.item.closed_on_time is True  # judged on 决定日期, not entry day
    clock = case.service_item
    assert clock.kind == "case_service" and clock.status == "open"
    assert clock.start_date == decided and clock.deadline == service_deadline(decided)
    assert "第六十一条" in clock.deadline_source and clock.unit == case.agency.unit
    # The new deadline and its basis are on the case's own timeline, which goes on after the item closed.
    note = case.item.events.get(action="clock_case_service")
    assert note.data["deadline"] == clock.deadline.isoformat() and "第六十一条" in note.data["source"]
    assert case.disclosure_item is None


def test_case_decided_and_disclosed_in_time_is_neither_red_nor_escalated(m, users):
    from fazhi.core.models import Notification
    from fazhi.tracking.reminders import scan_deadlines
    from fazhi.tracking.selectors import inbox

    today = timezone.localdate()
    by = users["agency"]
    case, decided = _decided_in_time(m, users, today)
    case = services.case_advance(case=case, by=by, stage="service", data={"served_on": decided + dt.timedelta(1)})
    case.refresh_from_db()
    assert case.service_item.status == "closed" and case.service_item.closed_on_time is True
    disclosure = case.disclosure_item
    assert disclosure.kind == "case_disclosure" and disclosure.start_date == decided
    assert "118号" in disclosure.deadline_source
    case = services.case_advance(
        case=case, by=by, stage="disclosure", data={"disclosed_on": decided + dt.timedelta(days=3)}
    )
    case.refresh_from_db()
    assert case.disclosure_item.status == "closed" and case.disclosure_item.closed_on_time is True
    ids = [case.item_id, case.service_item_id, case.disclosure_item_id]
    assert not TrackedItem.objects.filter(pk__in=ids).exclude(status="closed").exists()
    assert inbox(user=by, today=today).counts["red"] == 0
    scan_deadlines(today=today)
    assert not Notification.objects.filter(title__contains=case.number).exists()
    # 执行 and 结案 still land on the case's timeline; every chain holds.
    case = services.case_advance(case=case, by=by, stage="execution", data={"executed_on": today})
    case = services.case_advance(case=case, by=by, stage="closed", data={"closed_on": today})
    actions = list(case.item.events.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["stage_execution", "stage_closed"]
    _, _, problems = verify_chains(TrackedItem.objects.filter(pk__in=ids))
    assert problems == []


def test_unserved_decision_is_red_on_its_service_clock_only(m, users):
    from fazhi.tracking.selectors import with_light

    today = timezone.localdate()
    case, _ = _decided_in_time(m, users, today)
    mine = TrackedItem.objects.filter(pk__in=[case.item_id, case.service_item_id])
    lights = dict(with_light(mine, today=today).values_list("kind", "light"))
    assert lights == {"case": "closed", "case_service": "red"}
    late = today - dt.timedelta(days=1)
    case = services.case_advance(case=case, by=users["agency"], stage="service", data={"served_on": late})
    case.refresh_from_db()
    assert case.service_item.closed_on_time is False
    assert case.disclosure_item.status == "open"
    # 公示 skipped (no social impact): the stage machine goes on to 执行 and the clock ends with it.
    case = services.case_advance(case=case, by=users["agency"], stage="execution", data={"executed_on": today})
    case.refresh_from_db()
    assert case.disclosure_item.status == "closed"


def test_simple_procedure_has_no_disclosure_clock(m, users):
    today = timezone.localdate()
    by = users["agency"]
    case = file_case(
        m,
        users,
        procedure="simple",
        party_kind="person",
        party_name="张三",
        party_id_number=cf.PERSON_ID,
        party_uscc="",
        filed_on=today,
        violation_ended_on=today,
    )
    data = {"decision_number": "当场〔演示〕1号", "decided_on": today, "penalty_kinds": "警告"}
    case = services.case_advance(case=case, by=by, stage="decision", data=data)
    case = services.case_advance(case=case, by=by, stage="service", data={"served_on": today})
    case.refresh_from_db()
    assert case.item.status == "closed" and case.service_item.closed_on_time is True
    assert case.disclosure_item is None


def test_cases_decided_before_the_clocks_are_repaired_once(m, users):
    """A case stored by the old code: decided, its 第六十条 item still open, no service clock."""
    today = timezone.localdate()
    case, decided = _decided_in_time(m, users, today)
    old_clock = case.service_item_id
    Case.objects.filter(pk=case.pk).update(service_item=None)
    TrackedItem.objects.filter(pk=case.item_id).update(status="open", closed_at=None, closed_on_time=None)
    assert services.cases_stage_clocks_sync() == 1
    case.refresh_from_db()
    assert case.item.status == "closed" and case.item.closed_on_time is True
    assert case.service_item_id not in (None, old_clock) and case.service_item.start_date == decided
    assert services.cases_stage_clocks_sync() == 0
    _, _, problems = verify_chains(TrackedItem.objects.filter(pk__in=[case.item_id, case.service_item_id]))
    assert problems == []
