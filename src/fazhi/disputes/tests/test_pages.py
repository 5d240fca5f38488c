"""Pages: lists with search, paging and export; the case page with its clocks, timeline and documents; a refused
step shown beside its field (422); the agency's view limited to its own disputes; the portal; the case and agency
pages of other apps showing what disputes hold about them."""

import datetime as dt

import pytest

from fazhi.disputes.models import Reconsideration
from fazhi.disputes.tests.conftest import ECOLOGY, MARKET, PERSON_ID, D

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(apply, event):
    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "accepted", D(2025, 9, 2))
    return event(rc, "decided", D(2025, 10, 10), outcome="annulled", reason="主要证据不足")


def test_list_search_export(login_as, apply):
    apply(received_on=D(2025, 9, 1))
    apply(received_on=D(2025, 9, 2), applicant={"kind": "person", "name": "张伟", "id_number": "430102199201010061"})
    page = login_as("supervisor").get("/disputes/reconsiderations/?q=张伟")
    html = page.content.decode()
    assert page.status_code == 200 and "张伟" in html and "王建国" not in html
    export = login_as("supervisor").get("/disputes/reconsiderations/?format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_detail_shows_clocks_timeline_documents_and_masks(login_as, decided):
    page = login_as("supervisor").get(f"/disputes/reconsiderations/{decided.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-clock="decision"' in html and "《行政复议法》第六十二条第一款" in html
    assert 'id="timeline"' in html and "作出行政复议决定" in html
    assert "行政复议决定书" in html and decided.decision_number in html
    assert PERSON_ID not in html and "110105********002X" in html
    from fazhi.disputes.selectors import reconsideration_documents

    d = reconsideration_documents(rc=decided).first()
    download = login_as("supervisor").get(f"/disputes/reconsiderations/{decided.pk}/documents/{d.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert login_as("agency2").get(f"/disputes/reconsiderations/{decided.pk}/documents/{d.pk}/").status_code == 404


def test_reveal_is_a_logged_post(login_as, decided):
    from fazhi.core.models import OperationLog

    page = login_as("supervisor").post(f"/disputes/reconsiderations/{decided.pk}/", {"reveal_reason": "核对申请人身份"})
    assert PERSON_ID in page.content.decode()
    assert OperationLog.objects.filter(action="查看行政复议申请人信息").exists()


def test_a_refused_step_is_shown_beside_its_field(login_as, apply, event):
    rc = apply(received_on=D(2025, 9, 1))
    rc = event(rc, "accepted", D(2025, 9, 2))
    r = login_as("supervisor").post(
        f"/disputes/reconsiderations/{rc.pk}/events/",
        {
            "kind": "extended",
            "extended-on": "2025-09-20",
            "extended-days": "31",
            "extended-reason": "案情复杂",
            "extended-approver": "科长",
        },
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert "延长不得超过30日" in html and 'id="event-extended" open' in html
    assert Reconsideration.objects.get(pk=rc.pk).extension_days == 0
    r = login_as("supervisor").post(
        f"/disputes/reconsiderations/{rc.pk}/events/",
        {
            "kind": "extended",
            "extended-on": "2025-09-20",
            "extended-days": "20",
            "extended-reason": "案情复杂",
            "extended-approver": "科长",
        },
    )
    assert r.status_code == 302 and Reconsideration.objects.get(pk=rc.pk).extension_days == 20
    # The page names who approved (第六十二条): without an approver the step is refused beside the field.
    r = login_as("supervisor").post(
        f"/disputes/reconsiderations/{rc.pk}/events/",
        {"kind": "extended", "extended-on": "2025-09-21", "extended-days": "5", "extended-reason": "再补充鉴定"},
    )
    assert r.status_code == 422 and "请填写批准人" in r.content.decode()
    assert Reconsideration.objects.get(pk=rc.pk).extension_days == 20


def test_create_page(login_as, agencies):
    client = login_as("supervisor")
    assert client.get("/disputes/reconsiderations/new/").status_code == 200
    data = {
        "channel": "window",
        "applicant_kind": "person",
        "applicant_name": "王建国",
        "applicant_id_number": PERSON_ID,
        "respondent": MARKET,
        "act": "罚款5000元的行政处罚决定",
        "act_kind": "penalty",
        "procedure": "simple",
        "amount": "5000",
        "known_on": "2025-09-01",
        "received_on": "2025-09-10",
        "told_of_right": "on",
    }
    r = client.post("/disputes/reconsiderations/new/", data)
    assert r.status_code == 422 and "第五十三条" in r.content.decode()
    r = client.post("/disputes/reconsiderations/new/", {**data, "procedure": "ordinary"})
    assert r.status_code == 302
    assert Reconsideration.objects.get().respondent_unit.name == MARKET


def test_agencies_see_only_their_own(login_as, apply):
    market = apply(received_on=D(2025, 9, 1))
    ecology = apply(received_on=D(2025, 9, 1), respondent=ECOLOGY)
    agency = login_as("agency")
    html = agency.get("/disputes/reconsiderations/").content.decode()
    assert market.tracking_code in html and ecology.tracking_code not in html
    assert agency.get(f"/disputes/reconsiderations/{ecology.pk}/").status_code == 404
    assert agency.get(f"/disputes/reconsiderations/{market.pk}/").status_code == 200
    r = agency.post(
        f"/disputes/reconsiderations/{ecology.pk}/events/", {"kind": "answered", "answered-on": "2025-09-10"}
    )
    assert r.status_code == 404
    r = agency.post(
        f"/disputes/reconsiderations/{market.pk}/events/", {"kind": "accepted", "accepted-on": "2025-09-03"}
    )
    assert r.status_code == 403


def test_case_page_and_agency_page_show_the_correction(login_as, apply, event, org, agencies, users):
    from fazhi.cases.services import case_file
    from fazhi.cases.tests.case_factories import officer, power_item

    item = power_item(agencies[MARKET])
    o1, o2 = officer(agencies[MARKET], "陈执法"), officer(agencies[MARKET], "王执法")
    case = case_file(
        by=users["agency"],
        agency=agencies[MARKET],
        power_item=item.pk,
        title="销售过期食品",
        party_kind="person",
        party_name="王建国",
        party_id_number=PERSON_ID,
        filed_on=D(2025, 6, 1),
        handlers=[o1.pk, o2.pk],
        violation_ended_on=D(2025, 5, 20),
    )
    rc = apply(received_on=D(2025, 9, 1), case=case)
    rc = event(rc, "accepted", D(2025, 9, 2))
    rc = event(rc, "decided", D(2025, 10, 10), outcome="annulled", reason="主要证据不足")
    page = login_as("agency").get(f"/enforcement/cases/{case.pk}/")
    html = page.content.decode()
    assert 'id="case-related"' in html and rc.decision_number in html and "已纠错" in html
    assert "list-group-item-danger" in html
    agency_page = login_as("supervisor").get(f"/enforcement/agencies/{agencies[MARKET].pk}/")
    html = agency_page.content.decode()
    assert 'id="agency-figures"' in html and 'data-label="被纠错"' in html
    # Another agency's officer sees the case of neither.
    assert login_as("agency2").get(f"/enforcement/cases/{case.pk}/").status_code == 404


def test_stats_page_and_export(login_as, decided):
    page = login_as("supervisor").get("/disputes/stats/?year=2025")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="stats-chart"' in html and MARKET in html
    assert "100.0%" in html
    export = login_as("supervisor").get("/disputes/stats/?year=2025&format=xlsx")
    assert export.status_code == 200
    assert login_as("officer").get("/disputes/stats/").status_code == 403


def test_litigation_pages(login_as, agencies, heads):
    client = login_as("agency")
    assert client.get("/disputes/litigations/new/").status_code == 200
    r = client.post(
        "/disputes/litigations/new/",
        {
            "court": "示例市东城区人民法院",
            "case_number": "（2025）湘9902行初30号",
            "instance": "first",
            "plaintiff_kind": "person",
            "plaintiff_name": "王建国",
            "defendant": agencies[MARKET].pk,
            "act": "罚款5000元的行政处罚决定",
            "filed_on": "2025-09-10",
            "served_on": "2025-09-20",
        },
    )
    assert r.status_code == 302
    from fazhi.disputes.models import Litigation

    lit = Litigation.objects.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    notice = SimpleUploadedFile("出庭通知书.pdf", b"%PDF-1.4 notice", content_type="application/pdf")
    r = client.post(
        f"/disputes/litigations/{lit.pk}/act/hearing/",
        {"hearing-held_on": "2025-11-05", "hearing-summons_received_on": "2025-10-20", "hearing-summons": notice},
    )
    assert r.status_code == 302
    hearing = lit.hearings.get()
    assert [a.name for a in hearing.summons_files.all()] == ["出庭通知书.pdf"]
    assert "出庭通知书.pdf" in client.get(f"/disputes/litigations/{lit.pk}/").content.decode()
    r = client.post(
        f"/disputes/litigations/{lit.pk}/hearings/{hearing.pk}/appearance/", {f"a{hearing.pk}-lawyer_name": "李律师"}
    )
    assert r.status_code == 422 and "律师" in r.content.decode()
    r = client.post(
        f"/disputes/litigations/{lit.pk}/hearings/{hearing.pk}/appearance/",
        {f"a{hearing.pk}-head": heads["principal"].pk},
    )
    assert r.status_code == 302
    html = client.get(f"/disputes/litigations/{lit.pk}/").content.decode()
    assert "周局长" in html and 'data-clock="defence"' in html
    assert login_as("agency2").get(f"/disputes/litigations/{lit.pk}/").status_code == 404
    assert client.get("/disputes/litigations/?format=xlsx").status_code == 200
    assert client.get("/disputes/heads/").status_code == 200


def test_suggestion_and_head_pages(login_as, agencies):
    client = login_as("agency")
    r = client.post(
        "/disputes/heads/", {"agency": agencies[MARKET].pk, "name": "周局长", "post": "局长", "kind": "principal"}
    )
    assert r.status_code == 302
    assert "周局长" in client.get("/disputes/heads/", {"q": "周局"}).content.decode()
    assert "周局长" not in client.get("/disputes/heads/", {"q": "没有这个人"}).content.decode()
    r = client.post(
        "/disputes/suggestions/new/",
        {
            "kind": "judicial",
            "issuer": "示例市中级人民法院",
            "number": "示法建〔2026〕5号",
            "agency": agencies[MARKET].pk,
            "content": "建议加强行政处罚决定书的说理",
            "received_on": "2026-04-01",
        },
    )
    assert r.status_code == 302
    from fazhi.disputes.models import Suggestion

    s = Suggestion.objects.get()
    page = client.get(f"/disputes/suggestions/{s.pk}/").content.decode()
    assert 'data-clock="suggestion_reply"' in page
    assert login_as("agency2").get(f"/disputes/suggestions/{s.pk}/").status_code == 404
    assert client.get("/disputes/suggestions/?format=xlsx").status_code == 200


def test_portal_apply_receipt_status(client, agencies):
    import time

    from fazhi.complaints import antibot

    page = client.get("/portal/reconsideration/")
    assert page.status_code == 200 and 'id="rc-apply-form"' in page.content.decode()
    data = {
        "applicant_kind": "person",
        "applicant_name": "李秀英",
        "applicant_id_number": PERSON_ID,
        "applicant_phone": "13907310002",
        "respondent": MARKET,
        "act": "罚款5000元的行政处罚决定",
        "known_on": (dt.date.today() - dt.timedelta(days=5)).isoformat(),
        "told_of_right": "on",
        "request": "请求撤销",
        "facts": "执法人员未出示证件，认定事实不清。",
        "consent": "on",
        "form_token": antibot.issue_token(now=time.time() - 10),  # a person takes seconds to fill it in
    }
    r = client.post("/portal/reconsideration/", {**data, "consent": ""})
    assert r.status_code == 200 and 'data-field="consent"' in r.content.decode()
    r = client.post("/portal/reconsideration/", data)
    assert r.status_code == 302
    receipt = client.get("/portal/reconsideration/receipt/").content.decode()
    rc = Reconsideration.objects.get()
    assert rc.tracking_code in receipt and rc.channel == "online"
    status = client.post("/portal/reconsideration/status/", {"code": rc.tracking_code, "password": "BADPASSWRD"})
    assert "查询码或查询密码不正确" in status.content.decode()


def test_published_decisions_on_the_portal(client, users, decided, event):
    from fazhi.disputes.services import reconsideration_publish

    rc = event(decided, "served", D(2025, 10, 12))
    reconsideration_publish(by=users["supervisor"], reconsideration=rc, today=D(2025, 10, 13))
    html = client.get("/portal/reconsideration/decisions/").content.decode()
    assert rc.decision_number in html
    detail = client.get(f"/portal/reconsideration/decisions/{rc.pk}/").content.decode()
    assert "王某" in detail and "王建国" not in detail and PERSON_ID not in detail


def test_particulars_are_corrected_on_the_case_page(login_as, apply):
    rc = apply(received_on=D(2025, 9, 1))
    page = login_as("supervisor").get(f"/disputes/reconsiderations/{rc.pk}/")
    assert 'id="particulars"' in page.content.decode()
    form = {
        "particulars-act_kind": "penalty",
        "particulars-amount": "很多",
        "particulars-third_parties": "示例市某某有限公司",
    }
    r = login_as("supervisor").post(f"/disputes/reconsiderations/{rc.pk}/particulars/", form)
    assert r.status_code == 422 and 'id="particulars" open' in r.content.decode()
    assert Reconsideration.objects.get(pk=rc.pk).third_parties == ""
    r = login_as("supervisor").post(
        f"/disputes/reconsiderations/{rc.pk}/particulars/",
        form | {"particulars-amount": "1500", "particulars-reason": "补充第三人"},
    )
    assert r.status_code == 302
    rc.refresh_from_db()
    assert (str(rc.amount), rc.third_parties) == ("1500.00", "示例市某某有限公司")
    # The respondent agency does not correct the body's record.
    r = login_as("agency").post(f"/disputes/reconsiderations/{rc.pk}/particulars/", form | {"particulars-amount": "9"})
    assert r.status_code in (403, 404)
    assert str(Reconsideration.objects.get(pk=rc.pk).amount) == "1500.00"


def test_committee_members_export(login_as, users):
    import io

    from openpyxl import load_workbook

    from fazhi.disputes import services

    committee = services.committee_save(
        by=users["supervisor"], name="示例市行政复议委员会", term_from=D(2025, 1, 1), term_to=D(2027, 12, 31)
    )
    services.committee_member_add(
        by=users["supervisor"], committee=committee, name="钱教授", kind="scholar", organisation="示例大学法学院教授"
    )
    page = login_as("supervisor").get("/disputes/committees/")
    assert 'id="export-members"' in page.content.decode()
    export = login_as("supervisor").get("/disputes/committees/?format=xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("委员会", "行政复议机构", "本届任期", "委员")
    assert ("示例市行政复议委员会", "钱教授", "学者") == (rows[1][0], rows[1][3], rows[1][4])
