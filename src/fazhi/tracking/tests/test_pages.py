import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.models import Notification
from fazhi.tracking.models import SupervisionTask, TimelineEvent
from fazhi.tracking.tests.conftest import MARKET

pytestmark = pytest.mark.django_db


def test_inbox_lists_coloured_items_with_links(market_assignment, login_as):
    r = login_as("agency").get("/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-light="green"' in html and f"/tasks/assignments/{market_assignment.pk}/" in html
    assert r.context["counts"]["green"] == 1


def test_task_list_search_and_export(task, login_as):
    client = login_as("supervisor")
    r = client.get("/tasks/?q=公示&status=active")
    assert r.status_code == 200 and task.title in r.content.decode()
    assert task.title not in client.get("/tasks/?q=不存在").content.decode()
    r = client.get("/tasks/?format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "任务名称" and ws["A2"].value == task.title


def test_create_task_page(login_as, today):
    client = login_as("supervisor")
    assert client.get("/tasks/new/").status_code == 200
    r = client.post("/tasks/new/", {"title": "", "basis": "依据", "deadline": "2020-01-01"})
    assert r.status_code == 200 and not SupervisionTask.objects.exists()
    r = client.post("/tasks/new/", {"title": "任务", "basis": "依据", "deadline": "2020-01-01"})
    assert "总体期限不能早于今天" in r.content.decode()
    deadline = today + dt.timedelta(days=30)
    r = client.post("/tasks/new/", {"title": "任务", "basis": "依据", "deadline": f"{deadline:%Y年%m月%d日}"})
    task = SupervisionTask.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/tasks/{task.pk}/" and task.deadline == deadline


def test_create_task_needs_manage_permission(login_as):
    assert login_as("agency").get("/tasks/new/").status_code == 403


def test_split_form(task, org, login_as, today):
    client = login_as("supervisor")
    r = client.get(f"/tasks/{task.pk}/")
    assert r.status_code == 200 and 'id="assign-form"' in r.content.decode()
    deadline = (today + dt.timedelta(days=10)).isoformat()
    r = client.post(f"/tasks/{task.pk}/assign/", {"unit": org[MARKET].pk, "deadline": deadline, "requirement": "x"})
    assert r.status_code == 302
    r = client.post(f"/tasks/{task.pk}/assign/", {"unit": org[MARKET].pk, "deadline": deadline})
    assert r.status_code == 422 and "已分解" in r.content.decode()
    r = client.post(
        f"/tasks/{task.pk}/assign/",
        {"unit": org["示例市生态环境局"].pk, "deadline": (task.deadline + dt.timedelta(days=1)).isoformat()},
    )
    assert r.status_code == 422 and "总体期限" in r.content.decode()
    r = client.post(f"/tasks/{task.pk}/assign/", {"unit": org["示例市司法局"].pk, "deadline": deadline})
    assert r.status_code == 422  # not an agency or township: not in the picker
    assert task.assignments.count() == 1
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'class="assignment-row"' in html and "<progress" in html


def test_report_accept_flow_on_pages(market_assignment, login_as):
    url = f"/tasks/assignments/{market_assignment.pk}/"
    agency = login_as("agency")
    html = agency.get(url).content.decode()
    assert 'id="report-form"' in html and 'id="accept-form"' not in html
    r = agency.post(url + "report/", {"progress": "101", "text": "x"})
    assert r.status_code == 422 and "0 到 100" in r.content.decode()
    r = agency.post(
        url + "report/",
        {
            "progress": "100",
            "text": "已完成",
            "submit_for_acceptance": "on",
            "attachments": SimpleUploadedFile("报告.pdf", b"%PDF-1.4"),
        },
    )
    assert r.status_code == 302
    html = agency.get(url).content.decode()
    assert 'id="report-form"' not in html and "报告.pdf" in html

    sup = login_as("supervisor")
    assert 'id="accept-form"' in sup.get(url).content.decode()
    r = sup.post(url + "return/", {"reason": ""})
    assert r.status_code == 422
    r = sup.post(url + "accept/", {"comment": "合格"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="assignment-panel">') and "已验收通过" in html
    assert "<html" not in html  # only the partial
    market_assignment.refresh_from_db()
    assert market_assignment.status == "accepted"


def test_report_for_another_unit_is_404_or_403(market_assignment, login_as):
    url = f"/tasks/assignments/{market_assignment.pk}/report/"
    assert login_as("agency2").post(url, {"progress": "10", "text": "x"}).status_code == 404
    assert login_as("supervisor").post(url, {"progress": "10", "text": "x"}).status_code == 403


def test_attachment_download_is_scoped_and_never_inline(market_assignment, users, login_as):
    from fazhi.tracking.services import assignment_report

    assignment_report(
        by=users["agency"],
        assignment=market_assignment,
        progress=10,
        text="附件",
        files=[SimpleUploadedFile("page.txt", b"<html>hi</html>")],
    )
    att = TimelineEvent.objects.get(item=market_assignment.item, seq=2).attachments.get()
    r = login_as("agency").get(f"/attachments/{att.pk}/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert r["Content-Type"].startswith("text/plain") and b"".join(r.streaming_content) == b"<html>hi</html>"
    assert login_as("agency2").get(f"/attachments/{att.pk}/").status_code == 404


def test_item_detail_page(market_assignment, login_as):
    r = login_as("supervisor").get(f"/items/{market_assignment.item_id}/")
    assert r.status_code == 200 and "timeline-event" in r.content.decode()


def test_board_and_export(market_assignment, submitted, login_as):
    client = login_as("supervisor")
    r = client.get("/tasks/board/")
    html = r.content.decode()
    assert r.status_code == 200 and 'data-status="submitted"' in html and "cell-green" in html
    r = client.get("/tasks/board/?format=xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["C1"].value == MARKET and "待验收" in ws["C2"].value


def test_verify_page(market_assignment, login_as):
    client = login_as("supervisor")
    assert "已校验" not in client.get("/system/verify/").content.decode()
    assert "未发现问题" in client.get("/system/verify/?run=1").content.decode()
    TimelineEvent.objects.filter(item=market_assignment.item).update(comment="篡改")
    html = client.get("/system/verify/?run=1").content.decode()
    assert "发现 1 处问题" in html and "篡改" in html
    assert login_as("agency").get("/system/verify/").status_code == 403


def test_menu_links_resolve(login_as):
    html = login_as("supervisor").get("/").content.decode()
    for url in ("/tasks/", "/tasks/board/", "/system/verify/"):
        assert f'href="{url}"' in html


def test_opening_a_notification_marks_it_read(market_assignment, users, login_as):
    n = Notification.objects.create(
        recipient=users["agency"], title="【黄牌】", dedup_key="t", url=f"/tasks/assignments/{market_assignment.pk}/"
    )
    client = login_as("agency")
    assert 'id="unread-count">1<' in client.get("/notifications/").content.decode()
    r = client.get(f"/notifications/{n.pk}/")
    assert r.status_code == 302 and r["Location"] == n.url
    n.refresh_from_db()
    assert n.read_at is not None
    # Someone else's notice is not theirs to open.
    other = Notification.objects.create(recipient=users["agency2"], title="x", dedup_key="t2", url="/")
    client.get(f"/notifications/{other.pk}/")
    other.refresh_from_db()
    assert other.read_at is None


def test_pages_have_no_inline_script(market_assignment, login_as):
    html = login_as("agency").get(f"/tasks/assignments/{market_assignment.pk}/").content.decode()
    assert "<script>" not in html and " onclick=" not in html and ' style="' not in html
