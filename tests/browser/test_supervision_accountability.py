"""专项监督与责任追究 in a real browser: the supervisor opens an investigation on a case, records a step and concludes
it; the conclusion's proposal is opened as an accountability record; the case is published as a typical case and the
public reads it masked on the portal (desktop, and a phone without sideways scrolling)."""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, confirm, new_page, sign_in

pytestmark = pytest.mark.browser

TITLE = "浏览器测试：送达超期问题"
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _case():
    """The demo's case of 市场监管局 against 李秀英 (a natural person), which the demo leaves uninvestigated."""
    from fazhi.cases.models import Case

    return Case.objects.get(agency__unit__name="示例市市场监督管理局", party_name="李秀英")


def test_investigation_record_and_typical_case(browser, demo_site):
    from fazhi.cases.selectors import case_handlers
    from fazhi.core.models import User

    base = demo_site.url
    case = _case()
    handlers = [row.officer.name for row in case_handlers(case=case)]
    monitor = User.objects.get(username="monitor")
    page = sign_in(new_page(browser, **DESKTOP), base, "supervisor")
    try:
        # 1. Open the investigation on the case, by its 案号.
        page.goto(f"{base}/supervision/accountability/investigations/")
        page.click("#new-investigation")
        page.select_option("#id_basis_kind", "case")
        page.fill("#id_basis_id", case.number)
        page.fill("#id_title", TITLE)
        page.fill("#id_reason", "风险预警显示该案决定书送达超过法定期限，群众反映执法人员未当场交付决定书。")
        page.check(f"input[name=investigators][value='{monitor.pk}']")
        page.click("#investigation-submit")
        page.wait_for_url(re.compile(r"/supervision/accountability/investigations/\d+/$"))
        assert page.inner_text("#investigation-status") == "调查中"
        assert page.inner_text("#investigation-unit") == "示例市市场监督管理局"
        detail_url = page.url

        # 2. A conclusion needs a step first; record one.
        assert page.locator("#conclude-form").count() == 0
        page.select_option("#id_step-kind", "file_review")
        page.fill("#id_step-text", "调阅全部案卷，决定书作出后第十五日方才送达，未见当事人不在场的记录。")
        page.click("#step-submit")
        page.wait_for_load_state()
        assert page.locator(".step-row").count() == 1
        assert page.locator(".timeline-event[data-action=step]").count() == 1

        # 3. Conclude 问题属实 and propose accountability.
        page.select_option("#id_conclude-conclusion", "substantiated")
        page.fill("#id_conclude-findings", "决定书未当场交付，亦未在七个工作日内送达，问题属实。")
        page.fill("#id_conclude-measures", "责令改正，追究承办人员责任。")
        page.check("#id_conclude-propose")
        page.click("#conclude-submit")
        confirm(page)
        page.locator("#investigation-status", has_text="已结论").wait_for()
        assert "问题属实" in page.inner_text("#investigation-conclusion")
        assert page.locator(".document-row", has_text="专项监督调查报告").count() == 1

        # 4. The proposal is on the supervisor's list: open a record from it, the case's handlers preselected.
        page.goto(f"{base}/supervision/accountability/proposals/?status=pending")
        page.locator(".proposal-row a", has_text=TITLE).click()
        page.wait_for_url(re.compile(r"/proposals/\d+/$"))
        page.click("#open-record")
        page.wait_for_url(re.compile(r"/records/new/\?proposal=\d+$"))
        for name in handlers:
            assert page.get_by_label(re.compile(name)).is_checked()
        page.click("#record-submit")
        page.wait_for_url(re.compile(r"/supervision/accountability/records/\d+/$"))
        assert page.inner_text("#record-status") == "追责中"
        assert page.locator(".officer-row").count() == len(handlers)

        # 5. Choose the case as a typical case, written for the public; publish; read it on the portal.
        page.click("#mark-typical")
        page.fill("#id_title", "执法文书送达超期典型案例")
        page.fill(
            "#id_summary",
            f"某局执法人员{'、'.join(handlers)}在查处李某违法经营一案中，作出处罚决定后未当场交付决定书，"
            "亦未在法定期限内送达。当事人通过13907310002反映。",
        )
        page.fill("#id_lesson", "行政处罚决定书应当当场交付，当事人不在场的应当在七个工作日内送达。")
        page.fill("#id_handling", "责令改正，对承办人员立案追责。")
        page.click("#typical-submit")
        page.wait_for_url(re.compile(r"/supervision/accountability/typical/\d+/$"))
        assert "李某" in page.inner_text("#typical-preview")
        page.click("#publish-typical")
        confirm(page)
        page.locator("#typical-status", has_text="已发布").wait_for()
        portal_path = page.get_attribute("#portal-link", "href")
    finally:
        page.context.close()

    for options in (DESKTOP, PHONE):
        public = new_page(browser, **options)
        try:
            public.goto(f"{base}/portal/typical-cases/?q=送达超期")
            public.locator(".typical-case", has_text="执法文书送达超期典型案例").click()
            public.wait_for_url(re.compile(re.escape(portal_path) + "$"))
            text = public.inner_text("#typical-case")
            assert "李某" in text and "李秀英" not in text and "13907310002" not in text
            for name in handlers:
                assert name not in text and f"{name[0]}某" in text
            assert public.evaluate(OVERFLOW) <= 0
        finally:
            public.context.close()

    # The investigation's page stays readable on a phone.
    phone = sign_in(new_page(browser, **PHONE), base, "supervisor")
    try:
        phone.goto(detail_url)
        assert phone.evaluate(OVERFLOW) <= 0
    finally:
        phone.context.close()


def test_invited_supervisor_sees_only_his_investigations(browser, demo_site):
    from fazhi.supervision.accountability.models import Investigation

    page = sign_in(new_page(browser, **PHONE), demo_site.url, "monitor")
    try:
        page.goto(f"{demo_site.url}/supervision/accountability/investigations/")
        mine = set(Investigation.objects.filter(investigators__username="monitor").values_list("title", flat=True))
        shown = {t.strip() for t in page.locator(".investigation-row td:first-child").all_inner_texts()}
        assert shown and shown <= mine
        assert page.evaluate(OVERFLOW) <= 0
        other = Investigation.objects.exclude(investigators__username="monitor").first()
        if other is not None:
            response = page.goto(f"{demo_site.url}/supervision/accountability/investigations/{other.pk}/")
            assert response.status == 404
    finally:
        page.context.close()
