"""法治督察 and the quarterly bulletin in a real browser: the market bureau's legal officer reports a 督察 problem
rectified with evidence on a phone; the supervisor signs it off (对账销号) on the desktop; then the supervisor
generates a quarter's bulletin, follows a figure to the records behind it, and publishes it with a 发文字号."""

import re

import pytest
from django.utils import timezone

from tests.browser.conftest import DESKTOP, PHONE, confirm
from tests.browser.test_supervision_instruments import _fits_a_phone, _login

pytestmark = pytest.mark.browser


def test_problem_rectified_and_signed_off_then_bulletin(browser, demo_site, tmp_path):
    base = demo_site.url
    # 1. The legal officer opens an open rectification of his unit from the ledger, on a phone.
    ag_ctx, ag, ag_errors = _login(browser, base, "agency", PHONE)
    ag.goto(f"{base}/assessment/oversight/problems/?status=assigned")
    ag.locator("#ledger-table .ledger-row a").first.click()
    ag.wait_for_url(re.compile(r".*/assessment/oversight/problems/\d+/$"))
    detail = ag.url
    _fits_a_phone(ag)
    ag.fill("#id_plan", "成立整改专班，补充公示，建立到期提醒。")
    ag.click("#plan-submit")
    ag.locator("#rect-status[data-status='in_progress']").wait_for()
    evidence = tmp_path / "整改佐证.pdf"
    evidence.write_bytes(b"%PDF-1.4\n" + b"0" * 64)
    ag.fill("#id_text", "已完成整改，相关制度已印发，附佐证材料。")
    ag.check("#id_hand_in")
    ag.set_input_files("#report-files", str(evidence))
    ag.click("#report-submit")
    ag.locator("#rect-status[data-status='submitted']").wait_for()
    assert "整改佐证.pdf" in ag.inner_text("#reports")

    # 2. The supervisor checks the evidence and signs it off.
    sup_ctx, sup, sup_errors = _login(browser, base, "supervisor", DESKTOP)
    sup.goto(detail)
    sup.fill("#id_comment", "经核对佐证材料，同意销号。")
    sup.click("#signoff-submit")
    sup.locator("#rect-status[data-status='signed_off']").wait_for()
    assert "同意销号" in sup.inner_text("#rect-signoff")
    assert sup.locator("#timeline [data-action='closed']").count() == 1

    # 3. The bulletin of the quarter before last comes out (the demo published last quarter's).
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(2):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    sup.goto(f"{base}/assessment/reports/")
    sup.fill("#id_b-year", str(year))
    sup.select_option("#id_b-quarter", str(quarter))
    sup.click("#bulletin-submit")
    # Drafting is a job (我的任务): its page waits for the worker, which this test plays, then links to the report.
    sup.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    from fazhi.core.jobs import job_run

    job_run(int(sup.url.rstrip("/").rsplit("/", 1)[1]))
    sup.locator("#job-result-link").click()
    sup.wait_for_url(re.compile(r".*/assessment/reports/\d+/$"))
    report_url = sup.url
    assert sup.get_attribute("#report-status", "data-status") == "draft"
    assert sup.locator(".section[data-key='ranking']").count() == 1
    sup.locator("#figure-totals .figure-link").first.click()
    sup.locator("#figure-records").wait_for()
    sup.goto(report_url)
    sup.click("#publish-submit")
    confirm(sup)
    sup.locator("#report-status[data-status='published']").wait_for()
    assert re.fullmatch(r"示司通〔\d{4}〕\d+号", sup.inner_text("#report-number").strip())
    assert ag_errors == [] and sup_errors == []
    ag_ctx.close()
    sup_ctx.close()
