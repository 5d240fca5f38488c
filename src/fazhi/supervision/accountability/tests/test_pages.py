"""Pages of 专项监督与责任追究 and the portal's 典型案例通报: lists with search, paging and Excel export; objects
with their timeline and documents; forms that show each problem beside its field (422) and write nothing."""

import io

import pytest
from openpyxl import load_workbook

from fazhi.supervision.accountability import services
from fazhi.supervision.accountability.models import (
    AccountabilityRecord,
    Investigation,
    InvestigationStep,
    TypicalCase,
)
from fazhi.supervision.accountability.tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/supervision/accountability"


@pytest.fixture
def w(org, users):
    return f.world(org, users)


def _xlsx(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_investigation_pages(w, users, login_as):
    inv = f.with_step(users, f.open_investigation(users, w["case"]))
    f.open_investigation(users, w["eco_case"], title="选择性执法问题")
    c = login_as("supervisor")
    page = c.get(f"{BASE}/investigations/").content.decode()
    assert "罚款超出裁量基准问题" in page and "选择性执法问题" in page and 'id="export-link"' in page
    assert "选择性执法" not in c.get(f"{BASE}/investigations/?q=裁量").content.decode()
    rows = _xlsx(c.get(f"{BASE}/investigations/?format=xlsx&q=裁量"))
    assert rows[0][:3] == ["调查事项", "关联对象", "被调查单位"] and rows[1][0] == "罚款超出裁量基准问题"
    detail = c.get(f"{BASE}/investigations/{inv.pk}/").content.decode()
    for marker in ('id="step-form"', 'id="conclude-form"', 'id="refer-form"', 'id="timeline"', 'id="documents"'):
        assert marker in detail
    assert "《山东省行政执法监督条例》第二十三条" in detail
    # The agency sees its own investigation read-only, with its statement form; the other agency nothing.
    agency = login_as("agency").get(f"{BASE}/investigations/{inv.pk}/").content.decode()
    assert 'id="statement-form"' in agency and 'id="step-form"' not in agency and 'id="conclude-form"' not in agency
    assert login_as("agency2").get(f"{BASE}/investigations/{inv.pk}/").status_code == 404
    assert login_as("monitor").get(f"{BASE}/investigations/{inv.pk}/").status_code == 200


def test_investigation_create_form(w, users, login_as):
    c = login_as("supervisor")
    assert c.get(f"{BASE}/investigations/new/?basis_id={w['case'].number}").status_code == 200
    r = c.post(
        f"{BASE}/investigations/new/",
        {
            "basis_kind": "case",
            "basis_id": "不存在的案号",
            "title": "罚款问题",
            "reason": "短",
            "investigators": [users["supervisor"].pk],
        },
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "“不存在的案号”不存在或无权查看" in page
    assert not Investigation.objects.exists()
    r = c.post(
        f"{BASE}/investigations/new/",
        {
            "basis_kind": "case",
            "basis_id": w["case"].number,
            "title": "罚款问题",
            "reason": "短",
            "investigators": [users["supervisor"].pk],
        },
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "请填写调查事由（至少 10 个字）" in page and "调查人员不得少于 2 人" in page
    r = c.post(
        f"{BASE}/investigations/new/",
        {
            "basis_kind": "case",
            "basis_id": w["case"].number,
            "title": "罚款超出裁量基准问题",
            "reason": f.REASON,
            "investigators": [users["supervisor"].pk, users["monitor"].pk],
        },
    )
    inv = Investigation.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{BASE}/investigations/{inv.pk}/"


def test_investigation_actions_through_the_page(w, users, login_as):
    inv = f.open_investigation(users, w["case"])
    c = login_as("supervisor")
    r = c.post(
        f"{BASE}/investigations/{inv.pk}/steps/", {"step-kind": "file_review", "step-done_on": "", "step-text": ""}
    )
    assert r.status_code == 422 and "请填写" in r.content.decode()
    assert not InvestigationStep.objects.exists()
    r = c.post(
        f"{BASE}/investigations/{inv.pk}/steps/",
        {
            "step-kind": "file_review",
            "step-done_on": f.today().isoformat(),
            "step-text": "调阅案卷，核对罚款金额。",
            "attachments": [f.pdf()],
        },
    )
    assert r.status_code == 302 and InvestigationStep.objects.get().attachments.count() == 1
    assert c.post(f"{BASE}/investigations/{inv.pk}/notice/").status_code == 302
    inv.refresh_from_db()
    assert inv.notice_number
    document = inv.item.documents.get()
    r = c.get(f"{BASE}/investigations/{inv.pk}/documents/{document.pk}/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert login_as("agency2").get(f"{BASE}/investigations/{inv.pk}/documents/{document.pk}/").status_code == 404
    r = c.post(
        f"{BASE}/investigations/{inv.pk}/conclude/", {"conclude-conclusion": "substantiated", "conclude-findings": "短"}
    )
    assert r.status_code == 422 and "请填写查明的事实" in r.content.decode()
    r = c.post(
        f"{BASE}/investigations/{inv.pk}/conclude/",
        {
            "conclude-conclusion": "substantiated",
            "conclude-findings": f.FINDINGS,
            "conclude-measures": "追究有关人员责任",
            "conclude-propose": "on",
        },
    )
    assert r.status_code == 302
    inv.refresh_from_db()
    assert inv.status == "concluded"
    r = c.post(
        f"{BASE}/investigations/{inv.pk}/referrals/", {"refer-organ": "", "refer-reason": "", "refer-referred_on": ""}
    )
    assert r.status_code == 422
    r = c.post(
        f"{BASE}/investigations/{inv.pk}/referrals/",
        {
            "refer-organ": "示例市纪委监委",
            "refer-reason": "涉嫌违纪违法的问题线索移送。",
            "refer-referred_on": f.today().isoformat(),
        },
    )
    assert r.status_code == 302
    referral = inv.referrals.get()
    prefix = f"followup{referral.pk}"
    r = c.post(
        f"{BASE}/referrals/{referral.pk}/follow-up/", {f"{prefix}-on": f.today().isoformat(), f"{prefix}-text": ""}
    )
    assert r.status_code == 422
    r = c.post(
        f"{BASE}/referrals/{referral.pk}/follow-up/",
        {f"{prefix}-on": f.today().isoformat(), f"{prefix}-text": "已受理初核。"},
    )
    assert r.status_code == 302 and referral.follow_ups.count() == 1


def test_proposal_and_record_pages(w, users, login_as):
    proposal = f.proposal_for(users, w)
    c = login_as("supervisor")
    assert "专项监督调查" in c.get(f"{BASE}/proposals/").content.decode()
    rows = _xlsx(c.get(f"{BASE}/proposals/?format=xlsx"))
    assert rows[0][0] == "来源" and len(rows) == 2
    detail = c.get(f"{BASE}/proposals/{proposal.pk}/").content.decode()
    assert 'id="open-record"' in detail and 'id="timeline"' in detail
    assert login_as("agency").get(f"{BASE}/proposals/{proposal.pk}/").status_code == 403
    form = c.get(f"{BASE}/records/new/?proposal={proposal.pk}").content.decode()
    # The case's handlers are preselected.
    assert form.count("checked") >= 2 and "陈执法" in form
    r = c.post(f"{BASE}/records/new/", {"proposal": proposal.pk, "officers": [], "reason": "短"})
    assert r.status_code == 422 and not AccountabilityRecord.objects.exists()
    r = c.post(
        f"{BASE}/records/new/",
        {
            "proposal": proposal.pk,
            "officers": [w["o1"].pk, w["o2"].pk],
            "reason": "专项调查认定罚款超出裁量基准，追究责任。",
        },
    )
    record = AccountabilityRecord.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{BASE}/records/{record.pk}/"
    detail = c.get(f"{BASE}/records/{record.pk}/").content.decode()
    assert 'id="decide-form"' in detail and f"/enforcement/officers/{w['o1'].pk}/" in detail and "执法证：" in detail
    o1, o2 = w["o1"].pk, w["o2"].pk
    r = c.post(
        f"{BASE}/records/{record.pk}/decide/",
        {
            f"exempt_{o1}": "on",
            f"fault_{o2}": "",
            "decision": "",
            "decision_organ": "示例市市场监督管理局",
            "decision_on": f.today().isoformat(),
        },
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "陈执法：请选择尽职免责的情形" in page and "王执法：请选择至少一种责任种类" in page
    r = c.post(
        f"{BASE}/records/{record.pk}/decide/",
        {
            f"exempt_{o1}": "on",
            f"exemption_ground_{o1}": "law_unclear",
            f"exemption_reason_{o1}": "上位法修订，条款衔接不明确。",
            f"fault_{o2}": "ordinary",
            f"responsibilities_{o2}": ["public_criticism"],
            "decision": "主办人员尽职免责；协办人员通报批评。",
            "decision_organ": "示例市市场监督管理局",
            "decision_on": f.today().isoformat(),
        },
    )
    assert r.status_code == 302
    record.refresh_from_db()
    assert record.status == "decided"
    listing = c.get(f"{BASE}/records/?q=陈执法").content.decode()
    assert "免责" in listing
    rows = _xlsx(c.get(f"{BASE}/records/?format=xlsx"))
    assert "尽职免责" in rows[1][8] and "通报批评" in rows[1][8]
    assert login_as("agency").get(f"{BASE}/records/{record.pk}/").status_code == 200
    assert login_as("agency2").get(f"{BASE}/records/{record.pk}/").status_code == 404


def test_direct_record_needs_a_case(w, users, login_as):
    c = login_as("supervisor")
    assert 'id="case-lookup"' in c.get(f"{BASE}/records/new/").content.decode()
    r = c.get(f"{BASE}/records/new/?case=不存在的案号")
    assert r.status_code == 422 and "不存在或无权查看" in r.content.decode()
    page = c.get(f"{BASE}/records/new/?case={w['case'].number}").content.decode()
    assert 'id="record-form"' in page and f.MARKET in page


def test_stats_page_and_export(w, users, login_as):
    f.decided(users, w, exempt_first=True)
    c = login_as("supervisor")
    page = c.get(f"{BASE}/stats/").content.decode()
    assert 'data-unit="示例市市场监督管理局"' in page and 'id="stats-total"' in page
    rows = _xlsx(c.get(f"{BASE}/stats/?format=xlsx"))
    assert rows[0][:5] == ["责任单位", "追责记录", "已决定", "涉及人员", "尽职免责"]
    assert rows[1][:5] == [f.MARKET, 1, 1, 2, 1] and rows[-1][0] == "合计"
    assert "本年度没有追责记录" in login_as("agency2").get(f"{BASE}/stats/").content.decode()


def test_typical_pages_and_the_portal(w, users, login_as, client):
    record = f.decided(users, w)
    c = login_as("supervisor")
    r = c.post(f"{BASE}/typical/new/", {"record": record.pk, **f.TYPICAL, "summary": "短"})
    assert r.status_code == 422 and not TypicalCase.objects.exists()
    r = c.post(
        f"{BASE}/typical/new/",
        {"record": record.pk, **f.TYPICAL, "summary": f"当事人{f.PARTY}销售过期食品，执法人员罚款超出基准上限。"},
    )
    typical = TypicalCase.objects.get()
    assert r.status_code == 302 and typical.record == record
    detail = c.get(f"{BASE}/typical/{typical.pk}/").content.decode()
    assert 'id="preview-problems"' in detail and "王某" in detail
    r = c.post(f"{BASE}/typical/{typical.pk}/publish/")
    assert r.status_code == 422 and 'data-field="summary"' in r.content.decode()
    r = c.post(f"{BASE}/typical/{typical.pk}/edit/", f.TYPICAL)
    assert r.status_code == 302
    assert c.post(f"{BASE}/typical/{typical.pk}/publish/").status_code == 302
    typical.refresh_from_db()
    assert typical.status == "published"
    assert "执法人员超出裁量基准罚款" in c.get(f"{BASE}/typical/?q=裁量").content.decode()
    assert _xlsx(c.get(f"{BASE}/typical/?format=xlsx"))[1][3] == "已发布"
    # The portal: the masked copy only.
    listing = client.get("/portal/typical-cases/?q=裁量").content.decode()
    assert "执法人员超出裁量基准罚款典型案例" in listing
    page = client.get(f"/portal/typical-cases/{typical.pk}/").content.decode()
    assert "陈某、王某" in page and "王某" in page
    for secret in ("陈执法", "王执法", f.PARTY, "13907310000", f.PARTY_ID):
        assert secret not in page
    r = c.post(f"{BASE}/typical/{typical.pk}/withdraw/", {"reason": ""})
    assert r.status_code == 422
    c.post(f"{BASE}/typical/{typical.pk}/withdraw/", {"reason": "当事人已提起行政诉讼。"})
    assert client.get(f"/portal/typical-cases/{typical.pk}/").status_code == 404
    assert "没有符合条件的典型案例" in client.get("/portal/typical-cases/").content.decode()
    assert "当事人已提起行政诉讼" in c.get(f"{BASE}/typical/{typical.pk}/").content.decode()


def test_draft_typical_case_is_not_on_the_portal(w, users, client):
    typical = f.typical(users, w)
    assert client.get(f"/portal/typical-cases/{typical.pk}/").status_code == 404
    services.typical_publish(by=users["supervisor"], typical=typical)
    assert client.get(f"/portal/typical-cases/{typical.pk}/").status_code == 200


def test_menu_lists_the_pages_for_each_role(users, login_as):
    supervisor = login_as("supervisor").get(f"{BASE}/investigations/").content.decode()
    for label in ("专项监督调查", "追责建议", "错案责任追究", "追责统计", "典型案例通报"):
        assert label in supervisor
    agency = login_as("agency").get(f"{BASE}/records/").content.decode()
    assert "追责建议" not in agency
    assert login_as("monitor").get(f"{BASE}/records/").status_code == 403
