"""建议提案 and 依申请公开 in a real browser, at desktop and phone widths: a suggestion is registered, assigned,
replied (drafted, signed, issued with its number) and rated by the deputy through his signed link on a phone; a
disclosure request is registered, corrected, extended (a second extension past the cap refused beside its field)
and answered with a numbered document."""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, confirm, new_page, sign_in

pytestmark = pytest.mark.browser
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def test_a_proposal_is_assigned_replied_and_rated(browser, demo_site):
    from fazhi.requests.models import Proposal

    base = demo_site.url
    staff = sign_in(new_page(browser, **DESKTOP), base, "supervisor")
    try:
        staff.goto(f"{base}/requests/proposals/new/")
        staff.select_option("#id_session", label="示例市第十八届人民代表大会第五次会议")
        staff.fill("#id_number", "9901")
        staff.fill("#id_title", "浏览器测试：关于增设社区便民服务点的建议")
        staff.fill("#id_proposers", "王建国，东城区代表团，13807310001\n李秀英，西城区代表团")
        staff.fill("#id_text", "建议在新建小区增设便民服务点。")
        staff.click("#form-submit")
        staff.wait_for_url(re.compile(r"/requests/proposals/\d+/$"))
        pk = int(re.search(r"/proposals/(\d+)/", staff.url).group(1))
        assert staff.inner_text("#proposal-status") == "待交办"
        staff.select_option("#assign_lead_unit", label="示例市市场监督管理局")
        staff.click("#assign-submit")
        staff.wait_for_url(re.compile(rf"/requests/proposals/{pk}/$"))
        assert staff.inner_text("#proposal-status") == "办理中"
        assert staff.locator("#clocks .clock[data-clock=reply]").count() == 1
    finally:
        staff.context.close()

    for width, options in (("desktop", DESKTOP), ("phone", PHONE)):
        unit = sign_in(new_page(browser, **options), base, "agency")
        try:
            unit.goto(f"{base}/requests/proposals/{pk}/")
            assert unit.evaluate(OVERFLOW) <= 0, f"{width}: the proposal page scrolls sideways"
            if width == "phone":
                continue
            unit.fill("#draft_reply_text", "我局已会同街道在新建小区设置便民服务点 12 处。")
            unit.select_option("#draft_reply_classification", "C")
            unit.click("#reply-submit")
            # C without its reasons: refused beside the field, nothing saved.
            assert "C类答复须说明" in unit.locator("#reply-form .field-error").inner_text()
            unit.select_option("#draft_reply_classification", "A")
            unit.click("#reply-submit")
            unit.wait_for_url(re.compile(rf"/requests/proposals/{pk}/$"))
            unit.fill("#approve_reply_signer", "局长 王某")
            unit.click("#approve-submit")
            confirm(unit)
            unit.locator(".reply[data-status=approved]").wait_for()
            unit.click("#issue-submit")
            confirm(unit)
            unit.locator(".reply[data-status=issued]").wait_for()
            assert unit.inner_text("#proposal-status") == "已答复待评价"
            number = unit.inner_text(".reply-number")
            assert re.fullmatch(r"市场监管局建复〔\d{4}〕\d+号", number), number
            assert unit.locator("#documents .document").count() == 1
            rating_url = unit.inner_text("#rating-url").strip()
        finally:
            unit.context.close()

    # The deputy opens his link on a phone and rates both parts.
    deputy = new_page(browser, **PHONE)
    try:
        deputy.goto(rating_url)
        assert deputy.evaluate(OVERFLOW) <= 0
        assert "浏览器测试：关于增设社区便民服务点的建议" in deputy.inner_text("#rating-proposal")
        deputy.check("#id_attitude_0")
        deputy.check("#id_result_1")
        deputy.click("#submit-rating")
        deputy.locator("#rating-done").wait_for()
        assert "基本满意" in deputy.inner_text("#rating-done")
        # The same link cannot be used twice; a link naming another proposal is refused with the reason.
        deputy.goto(rating_url)
        assert deputy.locator("#rating-refused").is_visible()
        other = Proposal.objects.exclude(pk=pk).filter(status="replied").first()
        deputy.goto(rating_url.replace(f"/proposals/{pk}/", f"/proposals/{other.pk}/"))
        assert "另一件" in deputy.inner_text("#rating-refused")
    finally:
        deputy.context.close()
    p = Proposal.objects.get(pk=pk)
    assert (p.status, p.attitude, p.result) == ("done", "satisfied", "basic")


def _back_on_the_request(page, pk):
    page.wait_for_load_state()
    assert re.search(rf"/requests/disclosure/{pk}/$", page.url), page.inner_text("#request-actions")


def test_a_disclosure_request_is_corrected_extended_and_answered(browser, demo_site):
    from django.utils import timezone

    base = demo_site.url
    today = timezone.localdate().isoformat()
    page = sign_in(new_page(browser, **DESKTOP), base, "agency")
    try:
        page.goto(f"{base}/requests/disclosure/new/")
        page.select_option("#id_channel", "window")
        page.fill("#id_received_on", today)
        page.select_option("#id_applicant_kind", "person")
        page.fill("#id_applicant_name", "浏览器测试申请人")
        page.fill("#id_phone", "13907318888")
        page.fill("#id_content", "浏览器测试：本局2025年度行政执法统计年报")
        page.click("#disclosure-submit")
        page.wait_for_load_state()
        assert re.search(r"/requests/disclosure/\d+/$", page.url), page.inner_text("main")
        pk = int(re.search(r"/disclosure/(\d+)/", page.url).group(1))
        assert page.inner_text("#request-status") == "办理中"
        deadline = page.inner_text("#answer-deadline .clock-deadline")

        page.fill("#correction_requested-reason", "请写明所需统计年报的具体名称")
        page.click("#submit-correction_requested")
        _back_on_the_request(page, pk)
        assert page.inner_text("#request-status") == "待补正"
        assert page.locator("#answer-paused").is_visible()
        assert page.locator("#documents .document").count() == 1  # the numbered 补正告知书

        page.fill("#correction_received-reason", "申请人当日补正")
        page.click("#submit-correction_received")
        _back_on_the_request(page, pk)
        assert page.inner_text("#request-status") == "办理中"
        assert page.inner_text("#answer-deadline .clock-deadline") == deadline  # restarted the same day

        page.fill("#extended-days", "10")
        page.fill("#extended-reason", "需要汇总多个科室的数据")
        page.click("#submit-extended")
        _back_on_the_request(page, pk)
        assert "已延长 10 个工作日" in page.inner_text("#answer-deadline")
        page.fill("#extended-days", "11")
        page.fill("#extended-reason", "仍需核对")
        page.click("#submit-extended")
        error = page.locator("#event-extended .field-error[data-field=days]")
        assert "最多还可延长10个工作日" in error.inner_text()

        page.select_option("#answered-answer", "disclosed")
        page.click("#submit-answered")
        confirm(page)
        _back_on_the_request(page, pk)
        assert page.inner_text("#request-status") == "已答复待送达"
        assert re.search(r"市场监管局信公〔\d{4}〕\d+号", page.inner_text("#answer"))
        assert page.locator("#timeline .timeline-event[data-action=clock_extend]").count() == 1
    finally:
        page.context.close()

    phone = sign_in(new_page(browser, **PHONE), base, "agency")
    try:
        for url in (
            f"/requests/disclosure/{pk}/",
            "/requests/disclosure/",
            "/requests/disclosure/report/",
            "/requests/proposals/stats/",
        ):
            phone.goto(base + url)
            assert phone.evaluate(OVERFLOW) <= 0, f"390 px {url} scrolls sideways"
    finally:
        phone.context.close()


def test_the_public_request_form_on_a_phone(browser, demo_site):
    base = demo_site.url
    citizen = new_page(browser, **PHONE)
    try:
        citizen.goto(f"{base}/portal/requests/disclosure/new/")
        assert citizen.evaluate(OVERFLOW) <= 0
        citizen.wait_for_timeout(2100)  # a person takes a moment: the form's timestamp refuses instant posts
        citizen.fill("#id_agency", "示例市生态环境局")
        citizen.fill("#id_name", "浏览器测试市民")
        citizen.fill("#id_id_number", "430102199003071234")
        citizen.fill("#id_phone", "13907317777")
        citizen.fill("#id_content", "本市2025年度重点排污单位名录")
        citizen.click("#submit-request")
        assert "同意" in citizen.inner_text("#error-summary")  # consent missing: named, nothing written
        citizen.check("#id_consent")
        citizen.click("#submit-request")
        citizen.locator("#receipt").wait_for()
        code = citizen.inner_text("#tracking-code")
        password = citizen.inner_text("#query-password")
        citizen.goto(f"{base}/portal/requests/disclosure/status/")
        citizen.fill("#id_code", code)
        citizen.fill("#id_password", password)
        citizen.click("#status-submit")
        assert citizen.inner_text("#status-label") == "待确认收到"
    finally:
        citizen.context.close()
