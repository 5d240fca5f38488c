"""Staff pages and the public portal pages: lists with search, paging and Excel; objects with their steps, clocks,
documents and timeline; refusals shown beside the field (422, nothing written); scope (404)."""

import datetime as dt
import time

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.complaints import antibot
from fazhi.core.exports import XLSX_TYPE
from fazhi.requests import selectors
from fazhi.requests.models import DisclosureRequest, Proposal
from fazhi.requests.tests import factories as F
from fazhi.tracking.models import TimelineEvent

pytestmark = pytest.mark.django_db
D = dt.date


# ---------------------------------------------------------------- proposals


def test_proposal_list_search_paging_and_export(login_as):
    p = F.proposal()
    F.proposal(lead=F.TRANSPORT)
    c = login_as("agency")
    r = c.get("/requests/proposals/")
    assert r.status_code == 200 and f"第{p.number}号".encode() in r.content
    assert c.get("/requests/proposals/?q=农贸&page=1").status_code == 200
    assert b"proposal-row" not in c.get("/requests/proposals/?q=不存在的词").content
    r = c.get("/requests/proposals/?format=xlsx")
    assert r.status_code == 200 and r["Content-Type"] == XLSX_TYPE
    r = login_as("supervisor").get("/requests/proposals/?status=assigned&light=red&session=x")
    assert r.status_code == 200


def test_proposal_page_shows_steps_clocks_documents_and_timeline(login_as):
    p = F.proposal(co=(F.ECOLOGY,))
    F.replied(p, on=D(2025, 8, 4))
    c = login_as("agency")
    r = c.get(f"/requests/proposals/{p.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    for needle in (
        'id="clocks"',
        'id="timeline"',
        'id="documents"',
        "市场监管局建复〔2025〕1号",
        "138****0001",
        "答复期限",
    ):
        assert needle in html, needle
    doc = selectors.proposal_documents(proposal=p).first()
    r = c.get(f"/requests/proposals/{p.pk}/documents/{doc.pk}/")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    # The co-unit reads it, an uninvolved unit does not (nor its document).
    assert login_as("agency2").get(f"/requests/proposals/{p.pk}/").status_code == 200
    outsider = Client()
    outsider.force_login(__import__("fazhi.core.demo.build", fromlist=["x"]).demo_legal_officer(F.unit(F.TRANSPORT)))
    assert outsider.get(f"/requests/proposals/{p.pk}/").status_code == 404
    assert outsider.get(f"/requests/proposals/{p.pk}/documents/{doc.pk}/").status_code == 404


def test_reveal_of_proposers_phones_needs_a_reason(login_as):
    p = F.proposal()
    c = login_as("agency")
    r = c.post(f"/requests/proposals/{p.pk}/", {"reveal_reason": "联系代表"})
    assert "13807310001" in r.content.decode()
    r = c.post(f"/requests/proposals/{p.pk}/", {"reveal_reason": " "})
    assert "13807310001" not in r.content.decode() and "理由" in r.content.decode()


def test_assign_and_reply_through_the_pages_with_errors_beside_the_field(login_as):
    p = F.proposal(lead=None, today=timezone.localdate())
    boss = login_as("supervisor")
    r = boss.post(f"/requests/proposals/{p.pk}/assign/", {"lead_unit": "", "on": ""})
    assert r.status_code == 422 and "field-error" in r.content.decode()
    market = F.unit(F.MARKET)
    r = boss.post(f"/requests/proposals/{p.pk}/assign/", {"lead_unit": market.pk, "co_units": [market.pk]})
    assert r.status_code == 422 and "主办单位不能同时是协办单位" in r.content.decode()
    r = boss.post(f"/requests/proposals/{p.pk}/assign/", {"lead_unit": market.pk})
    assert r.status_code == 302
    legal = login_as("agency")
    before = TimelineEvent.objects.count()
    r = legal.post(f"/requests/proposals/{p.pk}/draft_reply/", {"text": "已办理", "classification": "C"})
    assert r.status_code == 422 and "C类答复须说明" in r.content.decode()
    assert TimelineEvent.objects.count() == before
    assert (
        legal.post(f"/requests/proposals/{p.pk}/draft_reply/", {"text": "已办理", "classification": "A"}).status_code
        == 302
    )
    assert legal.post(f"/requests/proposals/{p.pk}/approve_reply/", {"signer": "局长 王某"}).status_code == 302
    assert legal.post(f"/requests/proposals/{p.pk}/issue_reply/", {}).status_code == 302
    p.refresh_from_db()
    assert p.status == "replied"
    html = legal.get(f"/requests/proposals/{p.pk}/").content.decode()
    assert 'id="rating-url"' in html and "/portal/requests/proposals/" in html
    # A refused action is 403 for who may not take it, 404 out of scope.
    assert login_as("agency2").post(f"/requests/proposals/{p.pk}/secret/", {}).status_code == 404
    assert legal.post(f"/requests/proposals/{p.pk}/assign/", {}).status_code == 403


def test_co_unit_view_through_its_page(login_as):
    p = F.proposal(co=(F.ECOLOGY,), today=timezone.localdate(), on=timezone.localdate())
    row = p.units.get(role="co")
    c = login_as("agency2")
    assert f'data-unit="{F.ECOLOGY}"'.encode() in c.get(f"/requests/proposals/{p.pk}/").content
    r = c.post(f"/requests/proposals/{p.pk}/units/{row.pk}/view_submit/", {"text": ""})
    assert r.status_code == 422
    r = c.post(f"/requests/proposals/{p.pk}/units/{row.pk}/view_submit/", {"text": "同意主办单位意见"})
    assert r.status_code == 302
    assert (
        login_as("agency").post(f"/requests/proposals/{p.pk}/units/{row.pk}/view_submit/", {"text": "x"}).status_code
        == 403
    )


def test_sessions_and_statistics_pages(login_as):
    boss = login_as("supervisor")
    r = boss.post("/requests/sessions/", {"body": "cppcc", "term": 13, "meeting": 5, "year": 2026})
    assert r.status_code == 302
    assert "政协示例市第十三届委员会第五次会议" in boss.get("/requests/sessions/").content.decode()
    r = boss.post("/requests/sessions/", {"body": "cppcc", "term": 13, "meeting": 5, "year": 2026})
    assert r.status_code == 422 and "已登记" in r.content.decode()
    assert login_as("agency").post("/requests/sessions/", {"body": "npc"}).status_code == 403
    p = F.proposal()
    F.replied(p, on=D(2025, 8, 1))
    r = boss.get("/requests/proposals/stats/")
    assert r.status_code == 200 and "light-green" in r.content.decode() and F.MARKET in r.content.decode()
    assert boss.get("/requests/proposals/stats/?format=xlsx")["Content-Type"] == XLSX_TYPE
    assert boss.get("/requests/proposals/stats/?group=session").status_code == 200


# ---------------------------------------------------------------- disclosure requests


def test_disclosure_pages(login_as):
    c = login_as("agency")
    today = timezone.localdate()
    r = c.post(
        "/requests/disclosure/new/",
        {
            "agency": F.unit(F.MARKET).pk,
            "channel": "window",
            "submitted_on": today - dt.timedelta(days=1),
            "received_on": today,
            "applicant_kind": "person",
            "applicant_name": "张三",
            "content": "所需信息",
        },
    )
    assert r.status_code == 422 and "提交之日" in r.content.decode()
    assert not DisclosureRequest.objects.exists()
    r = c.post(
        "/requests/disclosure/new/",
        {
            "agency": F.unit(F.MARKET).pk,
            "channel": "window",
            "received_on": today,
            "applicant_kind": "person",
            "applicant_name": "张三",
            "phone": "13907310001",
            "content": "2025年食品抽检计划",
        },
    )
    assert r.status_code == 302
    req = DisclosureRequest.objects.get()
    html = c.get(f"/requests/disclosure/{req.pk}/").content.decode()
    for needle in ('id="clocks"', 'id="timeline"', 'id="documents"', "张某", 'id="event-extended"', "第三十三条"):
        assert needle in html, needle
    r = c.post(
        f"/requests/disclosure/{req.pk}/events/", {"kind": "extended", "on": today, "days": 25, "reason": "量大"}
    )
    assert r.status_code == 422 and "延长不得超过20个工作日" in r.content.decode()
    r = c.post(f"/requests/disclosure/{req.pk}/events/", {"kind": "answered", "on": today, "answer": "disclosed"})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == "answered"
    doc = selectors.disclosure_documents(request=req).first()
    assert c.get(f"/requests/disclosure/{req.pk}/documents/{doc.pk}/").status_code == 200
    assert login_as("agency2").get(f"/requests/disclosure/{req.pk}/").status_code == 404
    assert login_as("agency2").get(f"/requests/disclosure/{req.pk}/documents/{doc.pk}/").status_code == 404
    assert login_as("leader").get(f"/requests/disclosure/{req.pk}/").status_code == 200
    assert login_as("leader").post(f"/requests/disclosure/{req.pk}/events/", {"kind": "delivered"}).status_code == 403
    r = c.get("/requests/disclosure/?q=张三")
    assert req.tracking_code in r.content.decode()
    assert c.get("/requests/disclosure/?format=xlsx")["Content-Type"] == XLSX_TYPE
    r = c.post(f"/requests/disclosure/{req.pk}/", {"reveal_reason": "送达"})
    assert "13907310001" in r.content.decode()


def test_report_page_and_its_exports(login_as, no_dispute_counters):
    r = F.request(received_on=D(2025, 9, 26))
    F.event(r, "answered", D(2025, 10, 9), answer="disclosed")
    c = login_as("supervisor")
    page = c.get("/requests/disclosure/report/?year=2025")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-key="reconsiderations">—' in html and F.MARKET in html
    assert c.get("/requests/disclosure/report/?year=2025&format=xlsx")["Content-Type"] == XLSX_TYPE
    assert c.get("/requests/disclosure/report/?year=2025&format=table")["Content-Type"] == XLSX_TYPE
    assert c.get(f"/requests/disclosure/report/?year=2025&unit={F.unit(F.MARKET).pk}").status_code == 200


# ---------------------------------------------------------------- the portal


def _form(**kw):
    data = {
        "agency": F.MARKET,
        "applicant_kind": "person",
        "name": "张三",
        "id_number": "430102199003071234",
        "phone": "13907310001",
        "content": "2025年度食品安全抽检计划",
        "consent": "on",
        "website": "",
        "form_token": antibot.issue_token(now=time.time() - 30),
    }
    return {**data, **kw}


def test_portal_request_form_receipt_and_status():
    c = Client()
    assert c.get("/portal/requests/disclosure/new/").status_code == 200
    r = c.post("/portal/requests/disclosure/new/", _form(website="http://spam"))
    assert r.status_code == 422 and not DisclosureRequest.objects.exists()
    r = c.post("/portal/requests/disclosure/new/", _form(form_token=antibot.issue_token()))
    assert r.status_code == 422 and "提交过快" in r.content.decode()
    r = c.post("/portal/requests/disclosure/new/", _form(id_number="", agency="不存在的局"))
    assert r.status_code == 422 and "身份证明" in r.content.decode() and "不存在" in r.content.decode()
    r = c.post("/portal/requests/disclosure/new/", _form())
    assert r.status_code == 302
    receipt = c.get(r["Location"])
    req = DisclosureRequest.objects.get()
    assert req.tracking_code in receipt.content.decode() and req.status == "awaiting_confirmation"
    password = c.session["disclosure_receipt"]["password"]
    r = c.post("/portal/requests/disclosure/status/", {"code": req.tracking_code, "password": "WRONG"})
    assert r.status_code == 404
    r = c.post("/portal/requests/disclosure/status/", {"code": req.tracking_code, "password": password})
    assert r.status_code == 200 and "待确认收到" in r.content.decode()


def test_portal_form_is_rate_limited_per_address(settings):
    settings.FAZHI_REQUESTS = {"PORTAL_IP_HOUR": 1}
    c = Client(REMOTE_ADDR="10.9.9.9")
    assert c.post("/portal/requests/disclosure/new/", _form()).status_code == 302
    r = c.post("/portal/requests/disclosure/new/", _form())
    assert r.status_code == 429 and "过于频繁" in r.content.decode()


def test_portal_replies_and_the_rating_link():
    today = timezone.localdate()
    p = F.proposal(on=today - dt.timedelta(days=10), today=today)
    q = F.proposal(on=today - dt.timedelta(days=10), today=today)
    F.replied(p, on=today)
    F.replied(q, on=today)
    c = Client()
    assert p.title in c.get("/portal/requests/proposals/").content.decode()
    assert c.get(f"/portal/requests/proposals/{p.pk}/").status_code == 200
    p, q = Proposal.objects.get(pk=p.pk), Proposal.objects.get(pk=q.pk)
    q_path = selectors.rating_link_path(reply=selectors.proposal_current_reply(q))
    wrong = q_path.replace(f"/proposals/{q.pk}/", f"/proposals/{p.pk}/")
    r = c.get(wrong)
    assert r.status_code == 422 and "另一件" in r.content.decode()
    r = c.post(wrong, {"attitude": "satisfied", "result": "satisfied"})
    assert r.status_code == 422 and not Proposal.objects.filter(rated_on__isnull=False).exists()
    path = selectors.rating_link_path(reply=selectors.proposal_current_reply(p))
    r = c.post(path, {"attitude": "satisfied", "result": "dissatisfied"})
    assert r.status_code == 422 and "具体意见" in r.content.decode()
    r = c.post(path, {"attitude": "satisfied", "result": "dissatisfied", "comment": "仍未解决"})
    assert r.status_code == 200 and "一个月内再次答复" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "rereplying"
    assert c.get(path).status_code == 422  # already rated
    assert c.get(f"/portal/requests/proposals/{p.pk}/rating/forged/").status_code == 422
