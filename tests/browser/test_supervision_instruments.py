"""监督文书 end to end in a real browser: the supervisor drafts and issues an 意见书 (desktop), the market bureau's
legal officer signs for it and replies with evidence on a phone, the supervisor accepts it; the timeline and the
generated 公文 are on the page; the demo's risk proposal and the 发文字号 register are there too."""

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, confirm

pytestmark = pytest.mark.browser
TITLE = "关于执法记录仪使用不规范的监督意见（浏览器测试）"


def _login(browser, base, username, options):
    from fazhi.core.demo.build import DEMO_PASSWORD

    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Security Policy" in m.text else None)
    pg.goto(f"{base}/login/")
    pg.fill("#username", username)
    pg.fill("#password", DEMO_PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_load_state()
    return ctx, pg, errors


def _fits_a_phone(pg):
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling at phone width"


def test_an_opinion_issued_replied_and_accepted(browser, demo_site, tmp_path):
    base = demo_site.url
    sup_ctx, sup, sup_errors = _login(browser, base, "supervisor", DESKTOP)

    # 1. The supervisor drafts the 意见书; a missing recipient is shown beside its field.
    sup.goto(f"{base}/supervision/instruments/")
    sup.click("#new-instrument")
    sup.select_option("#id_kind", "opinion")
    sup.fill("#id_title", TITLE)
    sup.fill("#id_facts", "抽查发现部分现场检查未开启执法记录仪，音像资料未按规定归档。")
    sup.fill("#id_requirements", "请开展专项自查，完善执法全过程记录制度，并书面报告整改情况。")
    sup.click("#save-draft")
    assert "请选择主送单位" in sup.inner_text(".field-recipient")
    sup.select_option("#id_recipient", label="示例市市场监督管理局")
    sup.click("#save-draft")
    sup.wait_for_url(re.compile(r".*/supervision/instruments/\d+/$"))
    assert sup.get_attribute("#instrument-status", "data-status") == "draft"
    assert "草稿" in sup.inner_text("#instrument-number")
    detail = sup.url

    # 2. It is issued: a number from the register, the 公文, the reply deadline with its citation.
    sup.click("#issue-submit")
    confirm(sup)
    sup.locator("#instrument-status[data-status='delivered']").wait_for()
    number = sup.inner_text("#instrument-number").strip()
    assert re.fullmatch(r"示司监〔\d{4}〕\d+号", number), number
    assert "第二十八条" in sup.inner_text("#instrument-deadline")
    assert sup.locator("#documents .document").count() == 1
    assert sup.get_attribute("#instrument-light", "data-light") == "green"

    # 3. The market bureau's legal officer signs for it and replies with evidence, on a phone.
    ag_ctx, ag, ag_errors = _login(browser, base, "agency", PHONE)
    ag.goto(f"{base}/supervision/instruments/?q={number}")
    ag.click(f"#instrument-table a:has-text('{TITLE[:10]}')")
    ag.wait_for_url(re.compile(re.escape(detail) + "$"))
    _fits_a_phone(ag)
    ag.click("#acknowledge-submit")
    ag.locator("#instrument-status[data-status='acknowledged']").wait_for()
    evidence = tmp_path / "自查报告.pdf"
    evidence.write_bytes(b"%PDF-1.4\n" + b"0" * 64)
    ag.fill("#id_findings", "已对全局 2026 年现场检查逐件核查，未开启执法记录仪 6 次。")
    ag.fill("#id_measures", "已修订《执法全过程记录实施办法》，落实每日归档，并对相关人员批评教育。")
    ag.set_input_files("#reply-files", str(evidence))
    ag.click("#reply-submit")
    ag.locator("#instrument-status[data-status='replied']").wait_for()
    assert "自查报告.pdf" in ag.inner_text("#replies")
    _fits_a_phone(ag)

    # 4. The supervisor accepts the reply; the timeline shows every step.
    sup.goto(detail)
    assert "未开启执法记录仪 6 次" in sup.inner_text("#replies")
    sup.fill("#review-forms #id_comment", "整改措施具体，予以采纳。")
    sup.click("#accept-submit")
    confirm(sup)
    sup.locator("#instrument-status[data-status='accepted']").wait_for()
    actions = [e.get_attribute("data-action") for e in sup.locator("#timeline .timeline-event").all()]
    assert actions == ["created", "issued", "document", "delivered", "acknowledged", "replied", "closed"]
    with sup.expect_download() as download:
        sup.click("#documents .document a")
    assert download.value.suggested_filename.endswith(".docx")

    # The agency sees it closed; another agency cannot open it.
    ag.goto(detail)
    assert ag.get_attribute("#instrument-status", "data-status") == "accepted"
    other_ctx, other, _ = _login(browser, base, "agency2", PHONE)
    assert other.goto(detail).status == 404
    assert not sup_errors and not ag_errors, sup_errors + ag_errors
    for ctx in (sup_ctx, ag_ctx, other_ctx):
        ctx.close()


def test_the_demo_proposals_and_registers_at_phone_width(browser, demo_site):
    base = demo_site.url
    ctx, pg, errors = _login(browser, base, "supervisor", PHONE)
    pg.goto(f"{base}/supervision/instruments/?origin=proposed")
    assert pg.locator("#instrument-table .instrument-row[data-kind='decision']").count() >= 1
    _fits_a_phone(pg)
    pg.click("#instrument-table .instrument-row[data-kind='decision'] a")
    assert pg.locator("#proposal-note").is_visible()
    assert pg.locator("#issue-form select[name='decision_kind']").is_visible()
    _fits_a_phone(pg)
    pg.goto(f"{base}/supervision/instruments/risks/")
    assert pg.locator("#risk-table .risk-row").count() >= 1
    _fits_a_phone(pg)
    pg.goto(f"{base}/documents/registers/")
    assert pg.locator("#register-table .register-row").count() >= 6
    _fits_a_phone(pg)
    pg.goto(f"{base}/supervision/instruments/stats/")
    assert pg.locator("#stats-table .stat-row").count() >= 1
    _fits_a_phone(pg)
    assert not errors, errors
    ctx.close()
