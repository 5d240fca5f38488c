import datetime as dt

import pytest
from django.utils import timezone

from fazhi.legalservices.study.models import ExamPaper
from fazhi.legalservices.study.tests.factories import bank, exam

pytestmark = pytest.mark.django_db


def test_an_officer_sits_an_exam_through_the_api(api_client, org, users):
    bank()
    e = exam(unit=org["示例市司法局"], candidates=[users["officer"]])
    paper = ExamPaper.objects.get(exam=e, user=users["officer"])
    client = api_client("officer")
    r = client.post(f"/api/v1/legalservices/study/papers/{paper.pk}/start")
    assert r.status_code == 200, r.content
    body = r.json()
    assert len(body["questions"]) == 8 and body["remaining_seconds"] > 0
    q = body["questions"][0]
    r = client.post(
        f"/api/v1/legalservices/study/papers/{paper.pk}/answers",
        {"question_id": q["question_id"], "answer": "Z"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "answer"
    r = client.post(
        f"/api/v1/legalservices/study/papers/{paper.pk}/answers",
        {"question_id": q["question_id"], "answer": "A"},
        content_type="application/json",
    )
    assert r.status_code == 200
    again = client.get(f"/api/v1/legalservices/study/papers/{paper.pk}").json()
    assert again["questions"][0]["given"] == "A" and again["deadline"] == body["deadline"]
    r = client.post(
        f"/api/v1/legalservices/study/papers/{paper.pk}/submit", {"answers": {}}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    # A supervisor sees the results per unit; another candidate's paper is not the officer's business.
    results = api_client("supervisor").get(f"/api/v1/legalservices/study/results?year={e.year}").json()
    assert results[0]["sat"] == 1
    other = ExamPaper.objects.create(exam=e, user=users["agency"], unit=users["agency"].unit, seed=1, question_ids=[])
    assert client.get(f"/api/v1/legalservices/study/papers/{other.pk}").status_code == 404


def test_late_submission_is_refused_with_a_chinese_message(api_client, org, users):
    bank()
    e = exam(unit=org["示例市司法局"], candidates=[users["officer"]])
    paper = ExamPaper.objects.get(exam=e, user=users["officer"])
    ExamPaper.objects.filter(pk=paper.pk).update(
        status="started",
        started_at=timezone.now() - dt.timedelta(hours=2),
        deadline=timezone.now() - dt.timedelta(hours=1),
    )
    r = api_client("officer").post(
        f"/api/v1/legalservices/study/papers/{paper.pk}/submit", {"answers": {}}, content_type="application/json"
    )
    assert r.status_code == 422 and "超过考试时限" in r.json()["detail"]


def test_one_question_added_edited_and_withdrawn_through_the_api(api_client):
    from fazhi.legalservices.study.models import StudyQuestion

    sup = api_client("supervisor")
    base = "/api/v1/legalservices/study/questions"
    new = {"subject": "宪法", "kind": "multiple", "stem": "国家机构包括", "options": ["甲", "乙", "丙"], "answer": "AD"}
    r = sup.post(base, new, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "answer" and "选项 ABC" in r.json()["detail"]
    r = sup.post(base, {**new, "answer": ""}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "answer" and "正确答案不能为空" in r.json()["detail"]
    assert not StudyQuestion.objects.exists()
    r = sup.post(base, {**new, "answer": "AC"}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = sup.put(f"{base}/{pk}", {**new, "kind": "judge", "answer": "错误"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["options"] == ["正确", "错误"] and r.json()["answer"] == "B"
    r = sup.post(f"{base}/{pk}/active", {"active": False}, content_type="application/json")
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert [q["id"] for q in sup.get(f"{base}?active=0").json()] == [pk]
    assert sup.get(f"{base}?active=1").json() == []
    r = sup.post(f"{base}/{pk}/active", {"active": False}, content_type="application/json")
    assert r.status_code == 403  # withdrawn already: only 重新启用 is open
    # Those who only take exams do not reach the bank.
    assert api_client("officer").get(f"{base}/{pk}").status_code == 403


def test_question_pages(login_as):
    from fazhi.legalservices.study.models import StudyQuestion

    c = login_as("supervisor")
    url = "/legalservices/study/questions/"
    assert 'id="question-new"' in c.get(url).content.decode()
    data = {"subject": "宪法", "kind": "single", "stem": "宪法是", "options": "根本法\n普通法", "answer": "C"}
    r = c.post(url + "new/", data)
    page = r.content.decode()
    assert r.status_code == 422 and "正确答案“C”与题型或选项不符" in page.split('id="field-answer"')[1]
    assert not StudyQuestion.objects.exists()
    r = c.post(url + "new/", {**data, "answer": "A"})
    assert r.status_code == 302
    q = StudyQuestion.objects.get()
    page = c.get(f"{url}{q.pk}/").content.decode()
    assert 'id="question-form"' in page and 'id="question-deactivate"' in page and "根本法\n普通法" in page
    r = c.post(f"{url}{q.pk}/", {**data, "answer": "B", "stem": "宪法是什么"})
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.answer == "B" and q.stem == "宪法是什么"
    assert c.post(f"{url}{q.pk}/active/", {"active": "0"}).status_code == 302
    q.refresh_from_db()
    assert not q.is_active and 'id="question-activate"' in c.get(f"{url}{q.pk}/").content.decode()
    assert login_as("officer").get(f"{url}{q.pk}/").status_code == 403
