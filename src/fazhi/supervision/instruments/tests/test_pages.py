"""The pages of 监督文书 (no browser): list with search, paging and Excel; the form; the detail page with its
timeline and documents; each step; bad input beside its field; the risk list; the statistics."""

import io

import pytest
from openpyxl import load_workbook

from fazhi.supervision.instruments import rules, services
from fazhi.supervision.instruments.models import Instrument, InstrumentReply, RiskProposal
from fazhi.supervision.instruments.tests import factories as f

pytestmark = pytest.mark.django_db
LIST = "/supervision/instruments/"


def _xlsx(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return [[c.value for c in row] for row in book.active.iter_rows()]


def test_list_search_paging_and_export(login_as, users):
    first = f.issued(users, title="关于执法公示问题的监督意见")
    for n in range(21):
        f.draft(users, title=f"草稿 {n}")
    c = login_as("supervisor")
    page = c.get(LIST).content.decode()
    assert 'id="instrument-filter"' in page and "第 1 / 2 页" in page and 'id="new-instrument"' in page
    found = c.get(LIST, {"q": "执法公示"}).content.decode()
    assert f'data-id="{first.pk}"' in found and found.count('class="instrument-row"') == 1
    rows = _xlsx(c.get(LIST, {"q": "执法公示", "format": "xlsx"}))
    assert rows[0][:4] == ["发文字号", "种类", "标题", "主送单位"]
    assert rows[1][0] == first.number and rows[1][3] == f.MARKET and "第二十八条" in rows[1][8]
    # the agency sees its own instrument only, and no drafts
    agency = login_as("agency").get(LIST).content.decode()
    assert agency.count('class="instrument-row"') == 1 and 'id="new-instrument"' not in agency
    assert login_as("monitor").get(LIST).status_code == 403


def test_create_shows_errors_beside_the_field_and_saves_a_draft(login_as, org, users):
    c = login_as("supervisor")
    assert c.get("/supervision/instruments/new/?kind=interview").status_code == 200
    data = {"kind": "opinion", "title": "关于裁量基准执行问题的监督意见", "facts": "事实", "requirements": "要求"}
    r = c.post("/supervision/instruments/new/", data)
    assert r.status_code == 200 and 'data-field="recipient"' in r.content.decode()
    assert "请选择主送单位" in r.content.decode() and not Instrument.objects.exists()
    r = c.post(
        "/supervision/instruments/new/",
        {**data, "recipient": org[f.MARKET].pk, "basis_kind": "case", "basis_id": "99999999"},
    )
    assert 'data-field="basis_id"' in r.content.decode() and not Instrument.objects.exists()
    r = c.post("/supervision/instruments/new/", {**data, "recipient": org[f.MARKET].pk})
    inst = Instrument.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/instruments/{inst.pk}/"
    assert login_as("agency").get("/supervision/instruments/new/").status_code == 403
    r = c.post(
        f"/supervision/instruments/{inst.pk}/edit/", {**data, "title": "改过的标题", "recipient": org[f.ECOLOGY].pk}
    )
    assert r.status_code == 302 and Instrument.objects.get().title == "改过的标题"


def test_issue_reply_accept_through_the_pages(login_as, users):
    inst = f.draft(users)
    sup, ag = login_as("supervisor"), login_as("agency")
    detail = f"/supervision/instruments/{inst.pk}/"
    page = sup.get(detail).content.decode()
    assert 'id="issue-form"' in page and "签发后开始记录" in page
    assert sup.post(f"{detail}issue/").status_code == 302
    inst = f.fresh(inst)
    assert ag.post(f"{detail}acknowledge/").status_code == 302
    r = ag.post(f"{detail}reply/", {"findings": "", "measures": "已整改"})
    assert r.status_code == 422 and 'data-field="findings"' in r.content.decode()
    assert not InstrumentReply.objects.exists()
    r = ag.post(f"{detail}reply/", {"findings": "已核查", "measures": "已整改", "attachments": [f.pdf()]})
    assert r.status_code == 302
    r = sup.post(f"{detail}return/", {"reason": ""})
    assert r.status_code == 422 and 'data-field="reason"' in r.content.decode()
    assert sup.post(f"{detail}accept/", {"comment": "采纳"}).status_code == 302
    page = ag.get(detail).content.decode()
    assert 'data-status="accepted"' in page and inst.number in page
    assert page.count('class="list-group-item timeline-event"') == 7 and 'class="list-group-item document"' in page
    doc = inst.item.documents.get()
    download = ag.get(f"{detail}files/{doc.attachment_id}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_another_agency_gets_404_everywhere(login_as, users):
    inst = f.issued(users)
    other = login_as("agency2")
    detail = f"/supervision/instruments/{inst.pk}/"
    assert other.get(detail).status_code == 404
    assert other.post(f"{detail}acknowledge/").status_code == 404
    assert other.post(f"{detail}reply/", {"findings": "x", "measures": "y"}).status_code == 404
    doc = inst.item.documents.get()
    assert other.get(f"{detail}files/{doc.attachment_id}/").status_code == 404
    assert login_as("agency").post(f"{detail}accept/").status_code == 403


def test_a_reply_for_another_unit_is_shown_beside_the_instrument(login_as, users, east_legal):
    inst = f.issued(users, recipient=f.MARKET_EAST)
    services.instrument_acknowledge(by=east_legal, instrument=inst)
    r = login_as("agency").post(
        f"/supervision/instruments/{inst.pk}/reply/", {"findings": "已核查", "measures": "已整改"}
    )
    assert r.status_code == 422 and "该文书不是发给本单位的" in r.content.decode()
    assert not InstrumentReply.objects.exists()


def test_a_proposed_decision_is_issued_with_the_kind_picked(login_as, users, today):
    import datetime as dt

    opinion = f.issued(users, today=today - dt.timedelta(days=45))
    services.decisions_propose(today=today)
    decision = Instrument.objects.get(kind=rules.DECISION)
    c = login_as("supervisor")
    page = c.get(f"/supervision/instruments/{decision.pk}/").content.decode()
    assert 'id="proposal-note"' in page and opinion.number in page and 'name="decision_kind"' in page
    r = c.post(f"/supervision/instruments/{decision.pk}/issue/", {"decision_kind": ""})
    assert r.status_code == 422 and 'data-field="decision_kind"' in r.content.decode()
    assert c.post(f"/supervision/instruments/{decision.pk}/issue/", {"decision_kind": "correct"}).status_code == 302
    assert f.fresh(decision).decision_kind == "correct" and f.fresh(opinion).status == rules.ESCALATED
    listed = c.get(LIST, {"origin": "proposed"}).content.decode()
    assert f'data-id="{decision.pk}"' in listed and "系统建议" in listed


def test_interview_record_and_bases_on_the_page(login_as, users):
    from django.utils import timezone

    inst = f.issued(users, kind=rules.INTERVIEW, interview_at=timezone.now(), reply_required=False)
    c = login_as("supervisor")
    detail = f"/supervision/instruments/{inst.pk}/"
    assert 'id="interview-form"' in c.get(detail).content.decode()
    r = c.post(f"{detail}interview/", {"held_at": "", "place": "会议室", "participants": "甲", "content": "内容"})
    assert r.status_code == 422 and 'data-field="held_at"' in r.content.decode()
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    r = c.post(f"{detail}interview/", {"held_at": when, "place": "会议室", "participants": "甲、乙", "content": "内容"})
    assert r.status_code == 302 and f.fresh(inst).status == rules.ACCEPTED
    assert 'id="interview-record"' in c.get(detail).content.decode()
    draft = f.draft(users)
    r = c.post(
        f"/supervision/instruments/{draft.pk}/bases/add/", {"basis_kind": "instrument", "basis_id": str(inst.pk)}
    )
    assert r.status_code == 302 and draft.bases.get().object_id == inst.pk
    r = c.post(f"/supervision/instruments/{draft.pk}/bases/add/", {"basis_kind": "instrument", "basis_id": "99999999"})
    assert r.status_code == 422 and 'data-field="basis_id"' in r.content.decode()
    c.post(f"/supervision/instruments/{draft.pk}/bases/remove/", {"basis": draft.bases.get().pk})
    assert not draft.bases.exists()
    r = c.post(f"/supervision/instruments/{draft.pk}/discard/", {"reason": ""})
    assert r.status_code == 422
    assert c.post(f"/supervision/instruments/{draft.pk}/discard/", {"reason": "重复"}).status_code == 302
    assert f.fresh(draft).status == rules.DISMISSED


def test_risk_page_scan_draft_dismiss_export(login_as, users, org):
    from fazhi.supervision.instruments.tests.test_services import _warnings
    from fazhi.tracking.services import today

    start = rules.risk_period(today(), rules.RISK_MONTHS)[0]
    _warnings(org[f.MARKET], rules.RISK_WARNINGS, start)
    _warnings(org[f.ECOLOGY], rules.RISK_WARNINGS, start)
    c = login_as("supervisor")
    page = c.get("/supervision/instruments/risks/").content.decode()
    assert 'id="risk-scan"' in page and "暂无执法风险预警提醒" in page and f"达到 {rules.RISK_WARNINGS} 件" in page
    assert c.post("/supervision/instruments/risks/scan/").status_code == 302
    market, ecology = (RiskProposal.objects.get(unit__name=n) for n in (f.MARKET, f.ECOLOGY))
    r = c.post(f"/supervision/instruments/risks/{ecology.pk}/dismiss/", {"reason": ""})
    assert r.status_code == 422 and 'data-field="reason"' in r.content.decode()
    assert c.post(f"/supervision/instruments/risks/{ecology.pk}/dismiss/", {"reason": "已覆盖"}).status_code == 302
    r = c.post(f"/supervision/instruments/risks/{market.pk}/draft/")
    market.refresh_from_db()
    assert r["Location"] == f"/supervision/instruments/{market.reminder_id}/"
    rows = _xlsx(c.get("/supervision/instruments/risks/", {"format": "xlsx"}))
    assert rows[0][0] == "执法部门" and {r[8] for r in rows[1:]} == {"已拟制提示函", "不予提示"}
    assert len(c.get("/supervision/instruments/risks/", {"q": "生态"}).content.decode().split('class="risk-row"')) == 2
    assert login_as("agency").get("/supervision/instruments/risks/").status_code == 403
    assert login_as("agency").post(f"/supervision/instruments/risks/{market.pk}/draft/").status_code == 403


def test_stats_page_and_export(login_as, users):
    f.issued(users)
    c = login_as("supervisor")
    page = c.get("/supervision/instruments/stats/").content.decode()
    assert f'data-unit="{f.MARKET}"' in page and 'id="stats-filter"' in page
    rows = _xlsx(c.get("/supervision/instruments/stats/", {"format": "xlsx"}))
    assert rows[0] == ["主送单位", "应回复文书", "按期回复", "逾期", "办理中", "按期回复率"]
    assert rows[1][:5] == [f.MARKET, 1, 0, 0, 1]
    assert f.MARKET not in login_as("agency2").get("/supervision/instruments/stats/").content.decode()
