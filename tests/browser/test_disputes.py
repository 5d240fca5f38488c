"""争议化解 end to end in a real browser: a citizen applies for reconsideration on a phone; the supervisor asks for
补正, receives it, accepts, extends and decides with a 决定书, and the agency's correction rate changes; an agency
records a suit, its head's appearance and the judgment."""

import re

import pytest

from tests.browser.conftest import PHONE, confirm

pytestmark = pytest.mark.browser

MARKET = "示例市市场监督管理局"


def _login(browser, base, username, **options):
    from fazhi.core.demo.build import DEMO_PASSWORD

    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    pg.goto(f"{base}/login/")
    pg.fill("#username", username)
    pg.fill("#password", DEMO_PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_load_state()
    return ctx, pg


def _csp_errors(pg) -> list:
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Security Policy" in m.text else None)
    return errors


def _market_rate(pg, base) -> str:
    pg.goto(f"{base}/disputes/stats/")
    pg.wait_for_selector("#stats-chart svg")
    row = pg.locator("#stats-table tr.stat-row", has_text=MARKET)
    return row.locator("td.correction-rate").inner_text().strip()


def _step(pg, kind: str, fields: dict, *, confirm_dialog: bool = False) -> None:
    """Open one procedural step's panel, fill its fields (prefixed by the step) and submit."""
    if not pg.locator(f"#event-{kind}").evaluate("e => e.open"):
        pg.click(f"#event-{kind} summary")
    for name, value in fields.items():
        selector = f"#id_{kind}-{name}"
        if pg.locator(selector).evaluate("e => e.tagName") == "SELECT":
            pg.select_option(selector, value)
        else:
            pg.fill(selector, value)
    pg.click(f"#submit-{kind}")
    if confirm_dialog:
        confirm(pg)
    pg.wait_for_load_state()


def test_citizen_applies_and_the_supervisor_corrects_accepts_extends_decides(browser, demo_site, tmp_path):
    import datetime as dt

    base = demo_site.url
    citizen_ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **PHONE)
    citizen = citizen_ctx.new_page()
    citizen.set_default_timeout(20000)
    errors = _csp_errors(citizen)

    # 1. A citizen applies online, on a phone-sized screen, with the penalty decision attached.
    citizen.goto(f"{base}/portal/")
    citizen.click("#link-reconsideration")
    assert citizen.locator("#rc-apply-form").is_visible()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.check("#id_applicant_kind_0")
    citizen.fill("#id_applicant_name", "赵小红")
    citizen.fill("#id_applicant_id_number", "430102199201010061")
    citizen.fill("#id_applicant_phone", "13907319999")
    citizen.fill("#id_respondent", MARKET)
    citizen.fill("#id_act", "罚款6000元并没收违法所得的行政处罚决定")
    citizen.fill("#id_known_on", (dt.date.today() - dt.timedelta(days=8)).isoformat())
    citizen.fill("#id_request", "请求撤销该行政处罚决定")
    citizen.fill("#id_facts", "执法人员检查时未出示执法证件，也未告知陈述、申辩的权利，认定违法所得的证据不足。")
    decision = tmp_path / "行政处罚决定书.pdf"
    decision.write_bytes(b"%PDF-1.4\n% scan\n")
    citizen.set_input_files("#id_attachments", str(decision))
    citizen.check("#id_consent")
    citizen.wait_for_timeout(2100)  # a person takes longer than the form's 2-second minimum
    citizen.click("#submit-rc")
    citizen.wait_for_url(re.compile(r".*/portal/reconsideration/receipt/$"))
    code = citizen.inner_text("#rc-code").strip()
    password = citizen.inner_text("#rc-password").strip()
    assert code.startswith("FY") and len(password) == 10

    # 2. The supervisor notes the market bureau's correction rate, then finds the application.
    sup_ctx, sup = _login(browser, base, "supervisor")
    sup_errors = _csp_errors(sup)
    before = _market_rate(sup, base)
    sup.goto(f"{base}/disputes/reconsiderations/?q={code}")
    sup.click(f"tr[data-code='{code}'] a")
    assert sup.inner_text("#rc-status") == "受理审查"
    assert "430102********0061" in sup.inner_text("#rc-applicant")
    detail = sup.url

    # 补正: one notice listing every item; the review clock pauses.
    _step(sup, "correction_requested", {"reason": "1. 身份证复印件；2. 行政处罚决定书送达回证"})
    assert sup.inner_text("#rc-status") == "补正中"
    assert sup.locator("tr.clock[data-clock='acceptance_review']").get_attribute("data-paused") == "1"
    assert sup.locator("tr.clock[data-clock='correction_reply']").get_attribute("data-open") == "1"

    # The applicant sees what to correct.
    citizen.goto(f"{base}/portal/reconsideration/status/?code={code}")
    citizen.fill("#id_password", password)
    citizen.click("#rc-query-submit")
    assert citizen.inner_text("#rc-public-status") == "补正中"
    assert "送达回证" in citizen.inner_text("#rc-public-correction")

    # Materials in: the review restarts; then accepted, extended (≤ 30 days) and decided.
    _step(sup, "correction_received", {"reason": "申请人当面提交补正材料"})
    assert sup.inner_text("#rc-status") == "受理审查"
    assert sup.locator("tr.clock[data-clock='acceptance_review']").get_attribute("data-paused") == "0"
    _step(sup, "accepted", {})
    assert sup.inner_text("#rc-status") == "审理中"
    assert sup.locator("tr.clock[data-clock='decision']").count() == 1
    _step(sup, "extended", {"days": "31", "reason": "案情复杂，需要调取监控录像", "approver": "行政复议科科长 何某"})
    assert "延长不得超过30日" in sup.inner_text("#event-extended")  # beside the field, nothing written
    _step(sup, "extended", {"days": "15", "reason": "案情复杂，需要调取监控录像", "approver": "行政复议科科长 何某"})
    assert "已延长 15 日" in sup.inner_text("#rc-extension")
    _step(
        sup,
        "decided",
        {"outcome": "annulled", "reason": "被申请人认定违法所得的主要证据不足，且未告知陈述申辩权利，程序违法。"},
        confirm_dialog=True,
    )
    sup.locator("#rc-status", has_text="已作出决定").wait_for()
    assert "纠错" in sup.inner_text("#rc-decision")
    assert sup.locator("#rc-documents .document", has_text="行政复议决定书").count() == 1
    with sup.expect_download() as download:
        sup.locator("#rc-documents .document a").first.click()
    assert download.value.suggested_filename.endswith(".docx")

    # 3. The market bureau's correction rate moved.
    after = _market_rate(sup, base)
    assert after != before, (before, after)

    # The agency sees the decision on its own case page and cannot act as the body.
    ag_ctx, ag = _login(browser, base, "agency", **PHONE)
    ag.goto(detail)
    assert ag.inner_text("#rc-status") == "已作出决定"
    assert ag.locator("#rc-actions .event-form").count() == 0
    assert ag.evaluate("document.documentElement.scrollWidth") <= 390
    assert not errors and not sup_errors, errors + sup_errors
    for ctx in (citizen_ctx, sup_ctx, ag_ctx):
        ctx.close()


def test_agency_records_a_suit_a_heads_appearance_and_a_judgment(browser, demo_site):
    import datetime as dt

    base = demo_site.url
    ctx, ag = _login(browser, base, "agency")
    errors = _csp_errors(ag)
    today = dt.date.today()
    ag.goto(f"{base}/disputes/litigations/")
    ag.click("#lit-create")
    ag.fill("#id_court", "示例市东城区人民法院")
    number = f"（{today.year}）湘9902行初9{today:%m%d}号"
    ag.fill("#id_case_number", number)
    ag.select_option("#id_plaintiff_kind", "organisation")
    ag.fill("#id_plaintiff_name", "示例市城关餐饮管理有限公司")
    ag.select_option("#id_defendant", label=MARKET)
    ag.fill("#id_act", "责令停业整顿并罚款的行政处罚决定")
    ag.fill("#id_filed_on", (today - dt.timedelta(days=20)).isoformat())
    ag.fill("#id_served_on", (today - dt.timedelta(days=15)).isoformat())
    ag.click("#lit-submit")
    ag.wait_for_url(re.compile(r".*/disputes/litigations/\d+/$"))
    assert ag.locator("tr.clock[data-clock='defence']").count() == 1

    # A hearing today, with the court's summons; then who appeared.
    ag.click("#action-hearing summary")
    ag.fill("#id_hearing-held_on", today.isoformat())
    ag.fill("#id_hearing-summons_received_on", (today - dt.timedelta(days=4)).isoformat())
    ag.check("#id_hearing-head_summoned")
    ag.click("#submit-hearing")
    ag.wait_for_load_state()
    form = ag.locator(".appearance-form").first
    # A lawyer alone is refused, beside the field.
    form.locator("input[name$='-lawyer_name']").fill("湖南示例律师事务所 孙律师")
    form.locator("button[type=submit]").click()
    ag.wait_for_load_state()
    assert "只委托律师出庭不视为出庭应诉" in ag.inner_text("#lit-hearings")
    form = ag.locator(".appearance-form").first
    form.locator("select[name$='-head']").select_option(label="周建华（局长）")
    form.locator("button[type=submit]").click()
    ag.wait_for_load_state()
    assert "负责人 周建华" in ag.inner_text("#lit-hearings")
    assert ag.locator(".court-hearing[data-head='1']").count() == 1

    # The judgment: annulled, lost; the appeal period runs.
    ag.click("#action-judgment summary")
    ag.select_option("#id_judgment-kind", "annulled")
    ag.fill("#id_judgment-on", today.isoformat())
    ag.click("#submit-judgment")
    confirm(ag)
    ag.locator("#lit-status", has_text="已判决/裁定").wait_for()
    assert "败诉" in ag.inner_text("#lit-judgment")
    assert ag.locator("tr.clock[data-clock='appeal']").count() == 1
    assert not errors, errors
    ctx.close()
