"""依法决策 in a real browser: a citizen comments on a draft decision on the portal (phone), the lead unit moderates
and answers it, the answers are published when the period has closed, and the citizen reads his answer with his code;
a normative document goes from legality review to publication, filing and the portal search."""

import re

import pytest

from tests.browser.conftest import PHONE, sign_in

pytestmark = pytest.mark.browser

DECISION = "浏览器测试：示例市社区菜市场便民改造方案"
DOCUMENT = "示例市市场监督管理局浏览器测试规范性文件管理规定"
COMMENT = "建议改造期间保留临时摊位，并在周末施工，减少对居民买菜的影响。"


def _context(browser, **options):
    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    page = ctx.new_page()
    page.set_default_timeout(20000)
    return ctx, page


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _draft_decision():
    """A decision of the demo's published catalogue (added by an adjustment), open for comment from today."""
    from django.utils import timezone

    from fazhi.core.models import Unit, User
    from fazhi.rulemaking import services
    from fazhi.rulemaking.models import DecisionCatalogue

    today = timezone.localdate()
    agency, sup = User.objects.get(username="agency"), User.objects.get(username="supervisor")
    gov = Unit.objects.get(name="示例市人民政府")
    catalogue = DecisionCatalogue.objects.get(organ=gov, year=today.year)
    d = services.decision_propose(by=agency, title=DECISION, organ=gov, lead_unit=agency.unit, year=today.year,
                                  source="department", today=today)  # fmt: skip
    services.catalogue_adjust(by=sup, catalogue=catalogue, kind="add", decision=d, reason="浏览器测试增列", today=today)
    d.refresh_from_db()
    services.decision_set_procedures(by=agency, decision=d, public_participation=True, today=today)
    services.consultation_open(by=agency, decision=d, starts_on=today, days=30, today=today,
                               draft_text="第一条 改造本市社区菜市场。\n第二条 改造期间设置临时摊位。")  # fmt: skip
    d.refresh_from_db()
    return d


def _close_the_period(decision):
    """The 30 days pass: the period is moved back so that it closed yesterday (the clock keeps its own dates)."""
    import datetime as dt

    from django.utils import timezone

    from fazhi.rulemaking.models import Consultation

    today = timezone.localdate()
    Consultation.objects.filter(decision=decision).update(
        starts_on=today - dt.timedelta(days=31), ends_on=today - dt.timedelta(days=1)
    )


def test_a_citizen_comments_and_later_reads_the_answer(browser, demo_site):
    base = demo_site.url
    decision = _draft_decision()
    citizen_ctx, citizen = _context(browser, **PHONE)
    citizen.goto(f"{base}/portal/")
    citizen.click("#link-rulemaking")
    citizen.click("text=意见征集")
    citizen.click(f"text={DECISION}")
    assert "第二条 改造期间设置临时摊位" in citizen.inner_text("#draft-text")
    _fits(citizen, 390)
    citizen.fill("#id_content", COMMENT)
    citizen.wait_for_timeout(2100)  # a person takes longer than the form's minimum
    citizen.click("#submit-comment")
    citizen.wait_for_url(re.compile(r".*/portal/rulemaking/comments/receipt/$"))
    code = citizen.inner_text("#comment-code").strip()
    assert code.startswith("YJ") and len(code) == 12
    # Before moderation the comment is not public.
    citizen.goto(f"{base}/portal/rulemaking/consultations/{decision.consultation.pk}/")
    assert COMMENT not in citizen.inner_text("#public-comments")

    staff_ctx, staff = _context(browser)
    sign_in(staff, base, "agency")
    staff.goto(f"{base}/rulemaking/decisions/{decision.pk}/")
    row = staff.locator(".comment-row", has_text=COMMENT)
    row.locator(".moderate-form select[name=publish]").select_option("1")
    row.locator(".moderate-form button").click()
    staff.wait_for_load_state()
    row = staff.locator(".comment-row", has_text=COMMENT)
    row.locator(".answer-form select[name=answer]").select_option("partly")
    row.locator(".answer-form textarea[name=reason]").fill("已要求周末施工；临时摊位视场地设置。")
    row.locator(".answer-form button").click()
    staff.wait_for_load_state()
    assert "部分采纳" in staff.locator(".comment-row", has_text=COMMENT).inner_text()
    # The answer stays private until the period has closed and the answers are published.
    citizen.goto(f"{base}/portal/rulemaking/comments/lookup/")
    citizen.fill("#id_code", code)
    citizen.click("#lookup-submit")
    assert "征求意见期满后公布采纳情况" in citizen.inner_text("#lookup-answer")

    _close_the_period(decision)
    staff.goto(f"{base}/rulemaking/decisions/{decision.pk}/")
    staff.click("#action-answers_publish summary")
    staff.fill("#action-answers_publish textarea[name=adoption_summary]", "收到意见1条，部分采纳。")
    staff.click("#submit-answers_publish")
    staff.wait_for_load_state()
    assert "意见采纳情况已公布" in staff.inner_text("main")
    assert staff.locator('.decision-step[data-step="consultation"]').get_attribute("data-done") == "1"

    citizen.goto(f"{base}/portal/rulemaking/comments/lookup/")
    citizen.fill("#id_code", code)
    citizen.click("#lookup-submit")
    answer = citizen.inner_text("#lookup-answer")
    assert "部分采纳" in answer and "周末施工" in answer
    _fits(citizen, 390)
    citizen.goto(f"{base}/portal/rulemaking/consultations/{decision.consultation.pk}/")
    assert COMMENT in citizen.inner_text("#public-comments") and "周末施工" in citizen.inner_text("#public-comments")
    staff_ctx.close()
    citizen_ctx.close()


def _submit(page, action: str, fields: dict[str, str], *, selects: dict[str, str] | None = None) -> None:
    form = f"#action-{action}"
    page.click(f"{form} summary")
    for name, value in (selects or {}).items():
        page.select_option(f"{form} [name={name}]", label=value)
    for name, value in fields.items():
        page.fill(f"{form} [name={name}]", value)
    page.click(f"#submit-{action}")
    page.wait_for_load_state()


def test_a_normative_document_from_review_to_publication_and_filing(browser, demo_site):
    from django.utils import timezone

    base = demo_site.url
    today = timezone.localdate().isoformat()
    agency_ctx, agency = _context(browser)
    sign_in(agency, base, "agency")
    agency.goto(f"{base}/rulemaking/normative/new/")
    agency.fill("#id_title", DOCUMENT)
    agency.select_option("#id_issuer", label="示例市市场监督管理局")
    agency.select_option("#id_drafting_unit", label="示例市市场监督管理局")
    agency.fill("#id_draft_text", "第一条 为规范管理，制定本规定。\n第二条 本规定自公布之日起30日后施行。")
    agency.click("#rulemaking-form button[type=submit]")
    agency.wait_for_url(re.compile(r"/rulemaking/normative/\d+/$"))
    url = agency.url
    _submit(agency, "submit", {}, selects={"reviewing_unit": "示例市司法局"})
    assert agency.inner_text("#normative-stage") == "合法性审核中"
    assert "合法性审核" in agency.inner_text("#clocks")

    sup_ctx, sup = _context(browser, **PHONE)
    sign_in(sup, base, "supervisor")
    sup.goto(url)
    _fits(sup, 390)
    _submit(sup, "review", {"text": "制定主体、程序和内容合法"}, selects={"opinion": "合法"})
    assert "已出具合法性审核意见" in sup.inner_text("main")

    agency.goto(url)
    _submit(agency, "deliberate", {"meeting": "局务会议", "deliberated_on": today})
    assert agency.inner_text("#normative-stage") == "已集体审议，待登记印发"
    assert agency.locator("#action-publish").count() == 0  # no publication before 三统一

    sup.goto(url)
    _submit(sup, "register", {"prefix": "示市监规"})
    number = sup.inner_text("#normative-number").strip()
    assert re.fullmatch(r"示市监规〔\d{4}〕\d+号", number), number

    agency.goto(url)
    _submit(agency, "publish", {})
    assert agency.inner_text("#normative-stage") == "已公布"
    assert "未报备" in agency.inner_text("#filing-table")
    _submit(
        agency,
        "file",
        {"filed_on": today, "receipt": "示政备〔浏览器〕1号"},
        selects={"authority": "本级人民政府", "proper": "是"},
    )
    filing = agency.inner_text("#filing-table")
    assert "按期" in filing and today in filing

    public_ctx, public = _context(browser, **PHONE)
    public.goto(f"{base}/portal/rulemaking/search/?q=浏览器测试")
    result = public.locator(".search-row", has_text=DOCUMENT)
    assert number in result.inner_text() and "有效" in result.inner_text()
    _fits(public, 390)
    result.locator("a").first.click()
    public.wait_for_load_state()
    assert "第二条 本规定自公布之日起30日后施行。" in public.inner_text("#document-text")
    for ctx in (agency_ctx, sup_ctx, public_ctx):
        ctx.close()
