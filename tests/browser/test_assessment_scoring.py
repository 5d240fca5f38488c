"""考核 end to end in a real browser: the supervisor runs the year's assessment (a missing name shown beside its
field), assessors' manual scores are in, he publishes; the market bureau's legal officer appeals one figure on a
phone; after the appeal period the supervisor upholds it and finalises: the ranking and the result notice are on
the page, and the bureau's officer downloads the notice from his unit's page. The leader's dashboard renders with its charts and drills down to the red items and the ranking."""

import datetime as dt
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser
NAME = "年度法治政府建设考核（浏览器测试）"


def _login(browser, base, username, options):
    from fazhi.core.demo.build import DEMO_PASSWORD

    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    pg = ctx.new_page()
    pg.set_default_timeout(30000)
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Security Policy" in m.text else None)
    pg.goto(f"{base}/login/")
    pg.fill("#username", username)
    pg.fill("#password", DEMO_PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_load_state()
    return ctx, pg, errors


def test_run_appeal_finalise_and_dashboard(browser, demo_site):
    from django.utils import timezone

    from fazhi.assessment.scoring import services
    from fazhi.assessment.scoring.models import AssessmentRun, Framework

    base = demo_site.url
    year = timezone.localdate().year
    sup_ctx, sup, sup_errors = _login(browser, base, "supervisor", DESKTOP)

    # 1. The supervisor runs the year's assessment; the name is required.
    sup.goto(f"{base}/assessment/scoring/")
    sup.click("#new-run")
    sup.select_option("#id_framework", str(Framework.objects.get(year=year).pk))
    sup.fill("#id_name", " ")
    sup.click("#submit")
    assert "名称不能为空" in sup.content() or "这个字段是必填项" in sup.content()
    sup.fill("#id_name", f"{year}{NAME}")
    sup.click("#submit")
    sup.wait_for_url(re.compile(r".*/assessment/scoring/\d+/$"))
    run = AssessmentRun.objects.get(name=f"{year}{NAME}")
    assert sup.locator(".member-row").count() == run.members.count()

    # The assessors score the manual items (their own pages are tested elsewhere); then he publishes.
    for s in run.scores.filter(indicator__method="manual"):
        services.score_set(score=s, points=s.indicator.points, note="按材料评分", by=None)
    sup.reload()
    sup.click("#publish")
    sup.locator("#run-status", has_text="申诉期").wait_for()

    # 2. The market bureau's legal officer appeals one figure on a phone.
    ag_ctx, ag, ag_errors = _login(browser, base, "agency", PHONE)
    member = run.members.get(unit__name="示例市市场监督管理局")
    ag.goto(f"{base}/assessment/scoring/units/{member.pk}/")
    ag.locator(".score-row[data-method='computed'] a").first.click()
    ag.wait_for_url(re.compile(r".*/assessment/scoring/scores/\d+/$"))
    ag.fill("#id_reason", "本单位投诉按期答复的数据有误，附系统截图，请复核。")
    ag.click("#appeal-submit")
    ag.locator("#appeal-list", has_text="待处理").wait_for()
    assert ag.evaluate("document.documentElement.scrollWidth") <= 390
    # The officer sees only his own unit in the ranking.
    ag.goto(f"{base}/assessment/scoring/{run.pk}/")
    assert ag.locator(".member-row").count() < run.members.count()

    # 3. The appeal period is over (time passes): the supervisor upholds the appeal and finalises.
    AssessmentRun.objects.filter(pk=run.pk).update(appeal_until=timezone.localdate() - dt.timedelta(days=1))
    sup.reload()
    form = sup.locator(".appeal-answer").first
    form.locator("select").select_option("1")
    form.locator("input[name=points]").fill("1")  # within every computed item's points
    form.locator("input[name=answer]").fill("经核实数据有误，予以调整。")
    form.locator("button").click()
    sup.locator(".appeal-row[data-status='upheld']").wait_for()
    sup.click("#finalise")
    sup.locator("#notice").wait_for()
    assert "已定档" in sup.inner_text("#run-status")
    assert sup.locator(".member-row[data-rank='1']").count() >= 2  # one first place per group
    with sup.expect_download() as dl:
        sup.click("#export-link")
    assert dl.value.suggested_filename.endswith(".xlsx")
    # The notice reaches the market bureau: its officer finds it on his unit's page, ready to download.
    ag.goto(f"{base}/assessment/scoring/units/{member.pk}/")
    ag.locator("#notice-link a").wait_for()
    with ag.expect_download() as dl:
        ag.click("#notice-link a")
    assert dl.value.suggested_filename.endswith(".docx")

    # 4. The leader's dashboard renders with data and drills down.
    lead_ctx, lead, lead_errors = _login(browser, base, "leader", DESKTOP)
    lead.goto(f"{base}/assessment/dashboard/")
    lead.locator("#trend-chart svg").wait_for()
    lead.locator("#ranking-chart svg").wait_for()
    assert lead.locator(".key-figure").count() > 0
    assert NAME in lead.inner_text("#run-link")
    lead.click("#red-card")
    lead.wait_for_url(re.compile(r".*/assessment/dashboard/red/$"))
    lead.go_back()
    lead.locator(".ranking-table a").first.click()
    lead.wait_for_url(re.compile(r".*/assessment/scoring/units/\d+/$"))
    assert lead.locator(".score-row").count() > 0
    assert not (sup_errors or ag_errors or lead_errors), "no CSP violations"
    for ctx in (sup_ctx, ag_ctx, lead_ctx):
        ctx.close()
