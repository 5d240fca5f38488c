import re
import time

import pytest
from django.test import Client

from fazhi.complaints import antibot
from fazhi.complaints.models import Complaint
from fazhi.complaints.tests import factories as f
from fazhi.core.models import OperationLog

pytestmark = pytest.mark.django_db


def _form_data(**over):
    data = {
        "category": "misconduct",
        "agency": "示例市市场监督管理局",
        "place": "东城区人民路",
        "description": f.TEXT,
        "name": "王小明",
        "phone": f.next_phone(),
        "consent": "on",
        "website": "",
        "form_token": antibot.issue_token(now=time.time() - 10),
    }
    data.update(over)
    return data


def test_public_form_renders_mobile_first_without_inline_script():
    r = Client().get("/portal/complaints/new/")
    html = r.content.decode()
    assert r.status_code == 200 and 'name="viewport"' in html and 'name="website"' in html
    assert "<script>" not in html and "onclick" not in html
    assert "script-src 'self'" in r["Content-Security-Policy"]
    assert "示例市市场监督管理局" in html  # the searchable list of agencies


def test_public_submit_receipt_and_double_submit_is_one_complaint():
    c = Client()
    data = _form_data()
    r1 = c.post("/portal/complaints/new/", data)
    assert r1.status_code == 302 and r1["Location"].endswith("/portal/complaints/receipt/")
    receipt = c.get("/portal/complaints/receipt/").content.decode()
    code = re.search(r'id="tracking-code">(\w+)<', receipt).group(1)
    password = re.search(r'id="query-password">(\w+)<', receipt).group(1)
    r2 = Client().post("/portal/complaints/new/", data)  # the same form sent again (double click)
    assert r2.status_code == 302
    assert Complaint.objects.filter(description=f.TEXT).count() == 1
    status = c.post("/portal/complaints/status/", {"code": code, "password": password}).content.decode()
    assert "已收到，等待受理" in status


def test_files_on_public_form():
    c = Client()
    ok = c.post(
        "/portal/complaints/new/", {**_form_data(), "attachments": [f.upload("a.png"), f.upload("b.pdf", f.PDF)]}
    )
    assert ok.status_code == 302
    bad = c.post(
        "/portal/complaints/new/", {**_form_data(phone=f.next_phone()), "attachments": [f.upload("x.exe", b"MZ00")]}
    )
    assert bad.status_code == 200 and "类型不支持" in bad.content.decode()


@pytest.mark.parametrize(
    "over, message",
    [
        ({"website": "http://spam"}, "提交失败"),
        ({"form_token": "tampered"}, "表单已失效"),
        ({"description": ""}, "投诉内容不能为空"),
        ({"description": "太短了"}, "至少 10 个字"),
        ({"consent": ""}, "同意个人信息处理说明"),
    ],
)
def test_public_form_refuses(over, message):
    r = Client().post("/portal/complaints/new/", _form_data(**over))
    assert r.status_code == 200 and message in r.content.decode()
    assert not Complaint.objects.exists()


def test_public_form_shows_every_problem_at_once():
    """One submit names every field that needs fixing (it took four submits before)."""
    r = Client().post(
        "/portal/complaints/new/",
        _form_data(category="", description="太短", name="", phone="123", email="x@", consent="", agency="没有这个局"),
    )
    html = r.content.decode()
    assert r.status_code == 200 and not Complaint.objects.exists()
    for message in (
        "请选择投诉类别",
        "至少 10 个字",
        "请填写姓名",
        "联系电话“123”格式不正确",
        "电子邮箱“x@”格式不正确",
        "同意个人信息处理说明",
        "单位“没有这个局”不在列表中",
    ):
        assert message in html, message
    fields = re.findall(r'class="summary-error" data-field="(\w+)"', html)
    assert set(fields) == {"category", "description", "name", "phone", "email", "consent", "agency"}


def test_too_fast_submission_is_refused():
    r = Client().post("/portal/complaints/new/", _form_data(form_token=antibot.issue_token()))
    assert "提交过快" in r.content.decode() and not Complaint.objects.exists()


def test_status_wrong_password_no_hint():
    complaint, _ = f.submit()
    a = Client().post("/portal/complaints/status/", {"code": complaint.tracking_code, "password": "WRONG12345"})
    b = Client().post("/portal/complaints/status/", {"code": "TS000000ABCDEF", "password": "WRONG12345"})
    assert "查询码或查询密码不正确" in a.content.decode() and "查询码或查询密码不正确" in b.content.decode()


def test_rating_on_status_page(users):
    complaint, password = f.answered(users)
    c = Client()
    page = c.post(
        "/portal/complaints/status/", {"code": complaint.tracking_code, "password": password}
    ).content.decode()
    assert "调查核实情况" in page and 'id="rating-form"' in page
    assert "张法制" not in page  # no agency staff names on the public page
    r = c.post("/portal/complaints/rate/", {"code": complaint.tracking_code, "satisfaction": "satisfied"})
    assert "您的评价：满意" in r.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "closed"


def test_rating_without_verified_session_is_refused(users):
    complaint, _ = f.answered(users)
    r = Client().post("/portal/complaints/rate/", {"code": complaint.tracking_code, "satisfaction": "satisfied"})
    assert r.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered"


def test_agency2_gets_404_on_page(login_as, users):
    complaint, _ = f.assigned(users)
    assert login_as("agency").get(f"/complaints/{complaint.pk}/").status_code == 200
    assert login_as("agency2").get(f"/complaints/{complaint.pk}/").status_code == 404


def test_agency_sees_masked_identity_supervisor_reveals_logged(login_as, users):
    complaint, _ = f.assigned(users, name="王小明", phone="13912345678")
    agency_page = login_as("agency").post(f"/complaints/{complaint.pk}/", {"reveal_reason": "x"}).content.decode()
    assert "王某" in agency_page and "13912345678" not in agency_page and "王小明" not in agency_page
    sup = login_as("supervisor")
    masked = sup.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "13912345678" not in masked and 'id="reveal-identity"' in masked
    assert "13912345678" not in sup.get(f"/complaints/{complaint.pk}/?reveal=1").content.decode()
    full = sup.post(f"/complaints/{complaint.pk}/", {"reveal_reason": "电话回访"}).content.decode()
    assert "13912345678" in full
    assert OperationLog.objects.filter(action="查看投诉人信息", object_id=str(complaint.pk)).count() == 1


def test_staff_flow_through_pages(login_as, users, settings, tmp_path):
    from fazhi.complaints import routing

    settings.VAR_DIR = tmp_path
    routing.reset_cache()
    complaint, _ = f.submit()
    sup, ag = login_as("supervisor"), login_as("agency")
    page = sup.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="assign-form"' in page
    agency = f.agency()
    r = sup.post(f"/complaints/{complaint.pk}/assign/", {"agency": agency.pk, "category": "misconduct"})
    assert r.status_code == 302
    r = ag.post(
        f"/complaints/{complaint.pk}/reply/",
        {"findings": "经核查属实。", "measures": "已整改到位", "attachments": [f.upload("r.pdf", f.PDF)]},
    )
    assert r.status_code == 302
    assert sup.post(f"/complaints/{complaint.pk}/return/", {"reason": ""}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "replied"  # the empty reason was refused
    sup.post(f"/complaints/{complaint.pk}/approve/", {"comment": "同意"})
    complaint.refresh_from_db()
    assert complaint.status == "answered"
    reply_file = complaint.replies.get().attachments.get()
    assert ag.get(f"/complaints/attachments/{reply_file.pk}/").status_code == 200
    assert login_as("agency2").get(f"/complaints/attachments/{reply_file.pk}/").status_code == 404
    routing.reset_cache()


def test_list_search_and_export(login_as, users):
    complaint, _ = f.assigned(users)
    r = login_as("agency").get("/complaints/", {"q": complaint.tracking_code})
    assert complaint.tracking_code in r.content.decode()
    x = login_as("supervisor").get("/complaints/?format=xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")


def test_clue_page(login_as):
    r = login_as("monitor").post(
        "/complaints/clues/new/", {"category": "profit", "description": "某执法大队下达罚款任务指标，以罚代管。"}
    )
    assert r.status_code == 302 and Complaint.objects.filter(channel="clue").exists()
    assert login_as("officer").get("/complaints/clues/new/").status_code == 403


def test_stats_page_and_export(login_as, users):
    f.answered(users)
    page = login_as("supervisor").get("/complaints/stats/?dimension=month").content.decode()
    assert "echarts.min.js" in page and 'id="stats-data"' in page
    x = login_as("supervisor").get("/complaints/stats/?dimension=agency&format=xlsx")
    assert x.status_code == 200
    assert login_as("officer").get("/complaints/stats/").status_code == 403
