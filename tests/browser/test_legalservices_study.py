"""学法用法 in a real browser: the officer 陈执法 sits a timed examination (once at desktop width, once on a phone):
the paper and the clock survive a reload, each answer is saved as it is given, the paper is marked on submission,
and the result reaches his training record in the registry, where the market bureau's legal officer reads it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


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


def _exam_for_officer(title: str):
    from fazhi.core.models import Unit, User
    from fazhi.legalservices.study import rules, services
    from fazhi.legalservices.study.models import ExamPaper

    now = timezone.now()
    exam = services.exam_create(
        by=None,
        unit=Unit.objects.get(name="示例市司法局"),
        title=title,
        kind=rules.ANNUAL,
        year=timezone.localdate().year,
        subjects=["行政处罚法", "宪法"],
        single_count=3,
        multiple_count=1,
        judge_count=2,
        duration_minutes=20,
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(hours=2),
    )
    officer = User.objects.get(username="officer")
    services.exam_enrol(by=None, exam=exam, users=[officer])
    services.exam_open(by=None, exam=exam)
    return ExamPaper.objects.get(exam=exam, user=officer)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_officer_sits_a_timed_exam_and_the_result_reaches_the_registry(browser, demo_site, width):
    from fazhi.legalservices.study.models import StudyQuestion

    base = demo_site.url
    title = f"浏览器测试考试（{width}）"
    paper = _exam_for_officer(title)
    keys = StudyQuestion.objects.in_bulk(paper.question_ids)
    ctx, pg, errors = _login(browser, base, "officer", DESKTOP if width == "desktop" else PHONE)

    pg.goto(f"{base}/legalservices/study/")
    pg.click(f"#my-exams a:has-text('{title}')")
    pg.wait_for_url(re.compile(rf".*/legalservices/study/papers/{paper.pk}/$"))
    pg.click("#start-exam")
    pg.locator("#exam-timer").wait_for()
    # The page shows --:-- until its script starts the clock.
    expect(pg.locator("#exam-clock")).to_have_text(re.compile(r"^\s*\d\d:\d\d\s*$"))
    if width == "phone":
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling at phone width"

    def answer(number: int):
        q = keys[paper.question_ids[number - 1]]
        for letter in q.answer:
            pg.click(f"#q{number}{letter}")
        pg.locator(f"form.question[data-number='{number}'] .saved").wait_for()
        # A multiple-choice answer is saved once per click: let the last save land before going on.
        pg.wait_for_load_state("networkidle")

    # The first answer is saved at once; a reload shows the same paper, the answer and a clock still running.
    answer(1)
    pg.reload()
    pg.locator("#exam-timer").wait_for()
    first = keys[paper.question_ids[0]]
    assert pg.is_checked(f"#q1{first.answer[0]}")
    assert pg.locator("form.question").count() == len(paper.question_ids)
    for number in range(2, len(paper.question_ids) + 1):
        answer(number)
    pg.click("#submit-exam")
    pg.locator("#exam-result").wait_for()
    assert pg.inner_text("#paper-score").strip() == "100.0"
    assert "合格" in pg.inner_text("#paper-verdict")
    assert errors == []
    ctx.close()

    # The market bureau's legal officer reads it on 陈执法's page in the registry.
    from fazhi.registry.models import Officer

    officer = Officer.objects.get(user__username="officer")
    ctx, pg, _ = _login(browser, base, "agency", DESKTOP if width == "desktop" else PHONE)
    pg.goto(f"{base}/enforcement/officers/{officer.pk}/")
    row = pg.locator("#training tbody tr", has_text=str(timezone.localdate().year)).first
    assert "100.0" in row.inner_text() and "合格" in row.inner_text()
    ctx.close()


def test_submit_waits_for_an_answer_still_being_saved(browser, demo_site):
    """交卷 clicked while the last answer's save is in flight: the page holds the submission until the save has
    landed, so the answer is marked. The save is held back by the test (no timing), then let through."""
    from fazhi.legalservices.study.models import StudyQuestion

    base = demo_site.url
    paper = _exam_for_officer("浏览器测试考试（交卷等待保存）")
    keys = StudyQuestion.objects.in_bulk(paper.question_ids)
    ctx, pg, errors = _login(browser, base, "officer", DESKTOP)
    pg.goto(f"{base}/legalservices/study/papers/{paper.pk}/")
    pg.click("#start-exam")
    pg.locator("#exam-timer").wait_for()
    expect(pg.locator("#exam-clock")).to_have_text(re.compile(r"^\s*\d\d:\d\d\s*$"))
    last = len(paper.question_ids)
    for number in range(1, last):
        for letter in keys[paper.question_ids[number - 1]].answer:
            pg.click(f"#q{number}{letter}")
        pg.locator(f"form.question[data-number='{number}'] .saved").wait_for()
        pg.wait_for_load_state("networkidle")
    held = []
    pg.route("**/answer/", lambda route: held.append(route))
    q = keys[paper.question_ids[last - 1]]
    assert len(q.answer) == 1  # the paper ends with true-false questions: one click, one save
    pg.click(f"#q{last}{q.answer}")
    while not held:  # the route handler runs while playwright waits
        pg.wait_for_timeout(50)
    pg.click("#submit-exam")
    pg.locator("#submit-wait", has_text="正在保存答案").wait_for()
    assert pg.is_disabled("#submit-exam") and pg.locator("#exam-result").count() == 0
    for route in held:
        route.continue_()
    pg.locator("#exam-result").wait_for()
    assert pg.inner_text("#paper-score").strip() == "100.0"
    assert errors == []
    ctx.close()
