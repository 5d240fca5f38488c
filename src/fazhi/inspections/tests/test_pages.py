import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from fazhi.inspections import services
from fazhi.inspections.models import Draw
from fazhi.inspections.tests import factories as fx

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def published_draw(users):
    agency = fx.make_agency(fx.MARKET)
    item = fx.make_item(agency)
    fx.make_pool(agency, 3)
    fx.make_enterprises(8, risk="d_high")
    user = users["agency"]
    plan = services.plan_create(
        by=user,
        agency=agency,
        year=TODAY().year,
        name="页面计划",
        items=[item],
        proportions={"d_high": 50},
        period_start=TODAY(),
        period_end=TODAY(),
    )
    services.plan_publish(by=user, plan=plan)
    draw = services.draw_perform(by=user, draw=services.draw_commit(by=user, plan=plan, item=item))
    return services.draw_publish(by=user, draw=draw)


def test_staff_pages_render(login_as, published_draw):
    c = login_as("agency")
    for url in [
        "/inspections/enterprises/",
        "/inspections/pool/",
        "/inspections/plans/",
        "/inspections/plans/new/",
        f"/inspections/plans/{published_draw.plan_id}/",
        f"/inspections/draws/{published_draw.pk}/",
        "/inspections/records/",
        "/inspections/records/new/",
        "/inspections/quiet-days/",
        "/inspections/enterprises/import/",
        "/inspections/enterprises/new/",
    ]:
        r = c.get(url)
        assert r.status_code == 200, url
    assert "通过" in c.get(f"/inspections/draws/{published_draw.pk}/").content.decode()
    r = c.get("/inspections/enterprises/?format=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert c.get("/inspections/enterprises/import/template/").status_code == 200
    assert c.get("/inspections/burden/").status_code == 403
    assert login_as("supervisor").get("/inspections/burden/").status_code == 200
    assert login_as("supervisor").get("/inspections/burden/?format=xlsx").status_code == 200
    assert login_as("agency2").get(f"/inspections/draws/{published_draw.pk}/").status_code == 404


def test_plan_form_rejects_proportion_above_100(login_as, published_draw):
    c = login_as("agency")
    item = published_draw.item
    r = c.post(
        "/inspections/plans/new/",
        {
            "agency": item.agency_id,
            "year": TODAY().year,
            "name": "超比例",
            "items": [item.pk],
            "period_start": TODAY().isoformat(),
            "period_end": TODAY().isoformat(),
            "exclusion_days": 365,
            "inspectors_per_enterprise": 2,
            "p_a_low": "0",
            "p_b_general": "0",
            "p_c_elevated": "0",
            "p_d_high": "101",
        },
    )
    assert r.status_code == 422 and "0%–100%" in r.content.decode()


def test_draw_page_flow(login_as, published_draw, users):
    c = login_as("agency")
    plan = published_draw.plan
    r = c.post(f"/inspections/plans/{plan.pk}/draws/", {"item": published_draw.item_id})
    new = Draw.objects.exclude(pk=published_draw.pk).get()
    assert r.status_code == 302 and new.status == "committed"
    c.post(f"/inspections/draws/{new.pk}/draw/")
    c.post(f"/inspections/draws/{new.pk}/publish/")
    new.refresh_from_db()
    assert new.status == "published"
    r = c.post(f"/inspections/draws/{new.pk}/redraw/", {"reason": ""})
    assert r.status_code == 422


def test_portal_pages_and_verification(client, published_draw):
    assert client.get("/portal/inspections/plans/").status_code == 200
    assert "页面计划" in client.get(f"/portal/inspections/plans/{published_draw.plan_id}/").content.decode()
    page = client.get(f"/portal/inspections/draws/{published_draw.pk}/").content.decode()
    assert "通过" in page and "不通过" not in page and published_draw.seed in page
    Draw.objects.filter(pk=published_draw.pk).update(seed="ab" * 32)
    page = client.get(f"/portal/inspections/draws/{published_draw.pk}/").content.decode()
    assert "不通过" in page
    assert client.get("/portal/inspections/results/").status_code == 200


def test_draw_verify_command(published_draw, capsys, tmp_path):
    call_command("draw", "verify", str(published_draw.pk))
    assert "核验通过" in capsys.readouterr().out
    Draw.objects.filter(pk=published_draw.pk).update(inspectors=published_draw.inspectors + "1\n")
    with pytest.raises(Exception, match="核验不通过"):
        call_command("draw", "verify", str(published_draw.pk))
    _ = dt


def test_import_pages_preview_then_confirm(login_as):
    import io
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from fazhi.inspections.imports import IMPORTER
    from fazhi.inspections.models import Enterprise

    book = Workbook()
    ws = book.active
    ws.append([c.header for c in IMPORTER.columns])
    ws.append([fx.make_uscc(8001), "页面导入企业", "有限责任公司", "C1391", "439902"])
    buf = io.BytesIO()
    book.save(buf)
    c = login_as("agency")
    upload = SimpleUploadedFile(
        "企业.xlsx", buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    page = c.post("/inspections/enterprises/import/", {"file": upload}).content.decode()
    assert "全部校验通过" in page and not Enterprise.objects.filter(name="页面导入企业").exists()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    r = c.post("/inspections/enterprises/import/confirm/", {"token": token})
    assert r.status_code == 302 and Enterprise.objects.filter(name="页面导入企业").exists()
    bad = SimpleUploadedFile("企业.csv", b"a,b", content_type="text/csv")
    assert ".xlsx" in c.post("/inspections/enterprises/import/", {"file": bad}).content.decode()


def test_feedback_page_forged_token_404_and_rating_twice_refused(client, published_draw):
    from fazhi.inspections import selectors
    from fazhi.inspections.models import InspectionFeedback

    a = published_draw.assignments.first()
    user = published_draw.created_by
    record = services.inspection_record_create(by=user, assignment=a, inspected_on=timezone.localdate())
    services.inspection_record_publish(by=user, record=record)
    token = selectors.feedback_token(record=record)
    assert client.get("/portal/inspections/feedback/forged:token/").status_code == 404
    assert client.get(f"/portal/inspections/feedback/{token}x/").status_code == 404
    page = client.get(f"/portal/inspections/feedback/{token}/")
    assert page.status_code == 200 and "对本次检查的评价" in page.content.decode()
    assert client.post(f"/portal/inspections/feedback/{token}/", {"rating": "satisfied"}).status_code == 200
    again = client.post(f"/portal/inspections/feedback/{token}/", {"rating": "dissatisfied"})
    assert again.status_code == 409 and "不能重复评价" in again.content.decode()
    assert InspectionFeedback.objects.get(record=record).rating == "satisfied"


def test_feedback_form_is_rate_limited_per_address(client, published_draw):
    from fazhi.inspections import rules, selectors
    from fazhi.inspections.models import InspectionFeedback

    user = published_draw.created_by
    record = services.inspection_record_create(
        by=user, assignment=published_draw.assignments.first(), inspected_on=timezone.localdate()
    )
    services.inspection_record_publish(by=user, record=record)
    url = f"/portal/inspections/feedback/{selectors.feedback_token(record=record)}/"
    for _ in range(rules.FEEDBACK_IP_HOUR):  # invalid posts count too
        assert client.post(url, {"rating": ""}).status_code == 422
    limited = client.post(url, {"rating": "satisfied"})
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()
    assert not InspectionFeedback.objects.filter(record=record).exists()
    other = client.post(url, {"rating": "satisfied"}, REMOTE_ADDR="10.20.30.40")
    assert other.status_code == 200 and InspectionFeedback.objects.filter(record=record).exists()


def test_public_draw_page_names_the_object_scope(client, published_draw):
    page = client.get(f"/portal/inspections/draws/{published_draw.pk}/").content.decode()
    assert 'id="draw-scope"' in page and "国民经济行业（GB/T 4754）不限；风险等级 不限" in page


def test_item_form_edits_the_object_scope(login_as, published_draw):
    c = login_as("agency")
    item = published_draw.item
    page = c.get(f"/inspections/pool/?edit={item.pk}").content.decode()
    assert "修改抽查事项" in page and 'name="scope_industries"' in page
    r = c.post(
        "/inspections/pool/",
        {
            "action": "item",
            "power_item": item.power_item_id,
            "targets": "食品生产企业",
            "scope_industries": "C14、H62",
            "scope_risk_levels": ["d_high"],
            "method": "onsite",
            "basis": "《某法》第十条",
        },
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.scope_industries == "C14、H62" and item.scope_risk_levels == ["d_high"]
    page = c.get("/inspections/pool/").content.decode()
    assert "行业：C14、H62" in page and "风险等级：高风险" in page
    r = c.post(
        "/inspections/pool/",
        {
            "action": "item",
            "power_item": item.power_item_id,
            "targets": "x",
            "scope_industries": "食品",
            "method": "onsite",
            "basis": "b",
        },
    )
    assert r.status_code == 200 and "行业代码“食品”无效" in r.content.decode()


def _xlsx_rows(response) -> list[list]:
    import io

    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_plan_list_search_and_export(login_as, published_draw):
    c = login_as("agency")
    assert "页面计划" in c.get("/inspections/plans/", {"q": "页面"}).content.decode()
    assert "页面计划" not in c.get("/inspections/plans/", {"q": "没有这个计划"}).content.decode()
    assert "页面计划" not in c.get("/inspections/plans/", {"status": "draft"}).content.decode()
    rows = _xlsx_rows(c.get("/inspections/plans/", {"q": "页面", "format": "xlsx"}))
    assert rows[0][:3] == ["年度", "计划名称", "执法主体"] and [r[1] for r in rows[1:]] == ["页面计划"]
    assert rows[1][-1] == "已公示"


def test_pool_list_search_and_export(login_as, published_draw):
    from fazhi.inspections.models import InspectorPoolEntry

    c = login_as("agency")
    entry = InspectorPoolEntry.objects.select_related("officer").order_by("id").first()
    html = c.get("/inspections/pool/", {"q": entry.officer.name}).content.decode()
    assert 'id="pool-filter"' in html and entry.officer.name in html
    rows = _xlsx_rows(c.get("/inspections/pool/", {"format": "xlsx"}))
    assert rows[0] == ["执法主体", "姓名", "执法证", "利害关系申报", "状态"]
    assert len(rows) - 1 == InspectorPoolEntry.objects.count()
    rows = _xlsx_rows(c.get("/inspections/pool/", {"format": "xlsx", "available": "no"}))
    assert len(rows) == 1  # every entry is available


def test_quiet_day_list_search_and_export(login_as, users):
    from fazhi.core.models import Division

    division = Division.objects.get(code="439902")
    services.quiet_day_create(
        by=users["supervisor"], division=division, group="", start_date=TODAY(), end_date=TODAY(), note="迎检月"
    )
    c = login_as("supervisor")
    assert "迎检月" in c.get("/inspections/quiet-days/", {"q": "迎检"}).content.decode()
    assert "迎检月" not in c.get("/inspections/quiet-days/", {"q": "无此"}).content.decode()
    rows = _xlsx_rows(c.get("/inspections/quiet-days/", {"format": "xlsx", "year": TODAY().year}))
    assert (
        rows[0] == ["区划 / 企业分组", "起始日期", "截止日期", "说明"]
        and rows[1][0] == "东城区"
        and rows[1][3] == "迎检月"
    )


def test_draw_parameters_read_as_chinese(login_as, published_draw):
    html = login_as("agency").get(f"/inspections/draws/{published_draw.pk}/").content.decode()
    assert "抽取比例（按风险等级）：" in html and "高风险 50%" in html
    assert "每户企业检查人员：" in html
