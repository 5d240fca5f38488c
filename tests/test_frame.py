"""The page frame without a browser: error pages in Chinese inside the layout, breadcrumbs, the menu marking
its entry, the favicon, the notifications list's search and export."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_404_for_a_signed_in_user_keeps_the_menu(login_as):
    r = login_as("supervisor").get("/inspections/plans/999999/")
    html = r.content.decode()
    assert r.status_code == 404
    assert 'id="error-title">页面不存在<' in html
    assert 'id="sidebar"' in html and "我的待办" in html
    assert "Not Found" not in html


def test_404_for_the_public_is_plain_and_leads_to_the_portal():
    r = Client().get("/portal/no-such-page/")
    html = r.content.decode()
    assert r.status_code == 404 and "页面不存在" in html
    assert 'id="sidebar"' not in html and "法治政府建设公开平台" in html
    assert 'href="/portal/" id="error-home"' in html


def test_403_is_chinese_and_shows_our_reason(login_as):
    r = login_as("officer").get("/system/users/")
    html = r.content.decode()
    assert r.status_code == 403
    assert "无权访问" in html and 'id="sidebar"' in html
    assert "Forbidden" not in html


def test_csrf_failure_is_chinese():
    r = Client(enforce_csrf_checks=True).post("/login/", {"username": "supervisor", "password": "x"})
    html = r.content.decode()
    assert r.status_code == 403
    assert "页面已过期" in html and "CSRF verification failed" not in html


def test_500_page_is_chinese_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "服务器出错" in html and "Server Error" not in html


def test_menu_marks_the_section_and_breadcrumbs_name_the_page(login_as):
    c = login_as("supervisor")
    html = c.get("/inspections/plans/").content.decode()
    assert 'class="active" aria-current="page">抽查计划<' in html
    assert '<li class="breadcrumb-item">双随机、一公开</li>' in html
    # A page below a menu entry: the entry stays marked and links back; the page's title ends the trail.
    html = c.get("/tasks/new/").content.decode()
    assert 'class="active" aria-current="page">督导任务<' in html
    assert '<a href="/tasks/">督导任务</a>' in html


def test_favicon_is_served(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"].endswith("/static/fazhi/favicon.svg")


def test_notifications_search_and_export(login_as, users):
    from fazhi.core.models import Notification

    Notification.objects.create(
        recipient=users["agency"], title="执法证即将到期", body="陈执法的执法证 30 天后到期", dedup_key="t1"
    )
    Notification.objects.create(recipient=users["agency"], title="督导任务退回", body="请补充材料", dedup_key="t2")
    c = login_as("agency")
    html = c.get("/notifications/", {"q": "执法证"}).content.decode()
    assert "执法证即将到期" in html and "督导任务退回" not in html
    r = c.get("/notifications/", {"format": "xlsx", "read": "no"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("时间", "标题", "内容", "状态")
    assert {row[1] for row in rows[1:]} == {"督导任务退回", "执法证即将到期"}
    assert c.get("/notifications/", {"format": "xlsx", "read": "yes"}).status_code == 200
