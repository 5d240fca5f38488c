"""Penalty cases in the browser: an officer takes a case from filing to disclosure; the supervisor sees the
warnings; the public sees the masked disclosure. (The decision number is one the demo does not use.)"""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def sign_in(login):
    return login


def _advance(page, stage, fields=None, checks=()):
    form = page.locator(f"#stage-{stage}")
    for name, value in (fields or {}).items():
        form.locator(f"[name='{stage}-{name}']").fill(value)
    for name in checks:
        form.locator(f"input[name='{stage}-penalty_kinds'][value='{name}']").check()
    form.locator(f"#submit-{stage}").click()
    page.wait_for_load_state()
    assert page.locator("#case-stage").inner_text() != ""


def test_officer_files_case_and_takes_it_to_disclosure(sign_in, demo_site):
    from fazhi.registry.models import Officer

    page = sign_in("officer")
    page.goto(f"{demo_site.url}/enforcement/cases/new/")
    page.select_option(
        "#id_power_item",
        label="330217126000 对食品生产经营者未按规定建立并执行进货查验记录等制度的行政处罚（示例市市场监督管理局）",
    )
    page.fill("#id_title", "未建立进货查验记录")
    page.select_option("#id_party_kind", "person")
    page.fill("#id_party_name", "赵小六")
    page.fill("#id_party_id_number", "11010519491231002X")
    me = Officer.objects.get(user__username="officer")
    colleague = Officer.objects.filter(agency=me.agency).exclude(pk=me.pk).order_by("id").first()
    page.check(f"input[name='handlers'][value='{me.pk}']")
    page.check(f"input[name='handlers'][value='{colleague.pk}']")
    page.click("#case-submit")
    page.wait_for_load_state()
    assert page.locator("#case-stage").inner_text() == "立案"
    assert page.locator("#party-code").inner_text() == "110105********002X"
    assert page.locator("#checks-ok").is_visible()

    _advance(page, "investigation")
    _advance(page, "notice")
    _advance(page, "decision", {"decision_number": "示市监罚〔2026〕90101号"}, checks=["警告"])
    assert page.locator("#case-stage").inner_text() == "决定"
    _advance(page, "service")
    _advance(page, "disclosure")
    assert page.locator("#case-stage").inner_text() == "公示"
    assert "赵某" in page.locator("#case-disclosure").inner_text()
    steps = page.locator("#case-stepper [data-state='done']")
    assert steps.count() >= 6
    assert page.locator("tr.timeline-event[data-action='stage_disclosure']").count() == 1

    # The public sees the masked disclosure.
    page.context.clear_cookies()
    page.goto(f"{demo_site.url}/portal/")
    page.click("#link-disclosures")
    page.fill("#id_q", "90101号")
    page.click("#disclosure-search button[type=submit]")
    page.wait_for_load_state()
    row = page.locator("tr.disclosure-row")
    assert row.count() == 1
    text = row.inner_text()
    assert "赵某" in text and "110105********002X" in text
    assert "赵小六" not in page.content() and "11010519491231002X" not in page.content()


def test_supervisor_sees_warnings(sign_in, demo_site):
    page = sign_in("supervisor")
    page.goto(f"{demo_site.url}/enforcement/cases/warnings/")
    rows = page.locator("tr.warning-row")
    assert rows.count() >= 5
    row = page.locator("tr.warning-row", has_text="执法人员不少于两人").first
    row.locator("a").first.click()
    page.wait_for_load_state()
    finding = page.locator(".check-finding[data-rule='handlers_min_two']")
    assert finding.is_visible()
    assert "第四十二条" in finding.inner_text()
    page.goto(f"{demo_site.url}/enforcement/cases/compliance/")
    assert page.locator("#compliance-agency tbody tr").count() >= 3
