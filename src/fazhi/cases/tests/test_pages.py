"""Case pages: list/export, file form errors, detail with checks and stage forms, scope, warnings, statistics,
import, portal disclosure search, demo."""

import datetime as dt
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.cases import services
from fazhi.cases.models import Case
from fazhi.cases.tests import case_factories as cf
from fazhi.core.models import OperationLog

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def m(org, users):
    return cf.market(org, users)


@pytest.fixture
def case(m, users):
    return services.case_file(
        by=users["agency"],
        **cf.case_kwargs(
            m,
            handlers=[m["o1"].pk],
            party_kind="person",
            party_name="张三",
            party_id_number=cf.PERSON_ID,
            party_uscc="",
        ),
    )


def test_list_and_export(case, login_as):
    c = login_as("agency")
    r = c.get("/enforcement/cases/")
    assert r.status_code == 200 and case.number in r.content.decode()
    r = c.get("/enforcement/cases/?format=xlsx&has_errors=1")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert case.number not in c.get("/enforcement/cases/?stage=closed").content.decode()


def test_file_form_bad_uscc_shows_field_error_and_saves_nothing(m, login_as):
    c = login_as("agency")
    assert c.get("/enforcement/cases/new/").status_code == 200
    data = {
        "agency": m["agency"].pk,
        "power_item": m["item"].pk,
        "title": "销售过期食品",
        "procedure": "general",
        "party_kind": "organisation",
        "party_name": "某公司",
        "party_uscc": "91110000600037341X",
        "filed_on": "2025/3/3",
        "handlers": [m["o1"].pk, m["o2"].pk],
    }
    r = c.post("/enforcement/cases/new/", data)
    assert r.status_code == 422 and "GB 32100-2015" in r.content.decode()
    assert not Case.objects.exists()
    data["party_uscc"] = cf.ORG_USCC
    r = c.post("/enforcement/cases/new/", data)
    assert r.status_code == 302
    assert Case.objects.get().filed_on == D(2025, 3, 3)


def test_detail_shows_checks_stepper_and_advances(case, login_as):
    c = login_as("agency")
    r = c.get(f"/enforcement/cases/{case.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-rule="handlers_min_two"' in html and "《中华人民共和国行政处罚法》第四十二条" in html
    assert "110105********002X" in html and cf.PERSON_ID not in html
    assert 'id="stage-investigation"' in html
    r = c.post(f"/enforcement/cases/{case.pk}/advance/investigation/", {"investigation-date": "2025-03-04"})
    assert r.status_code == 302
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg")
    r = c.post(
        f"/enforcement/cases/{case.pk}/advance/notice/",
        {"notice-notified_on": "2025-03-20", "notice-attachments": photo},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.stage == "notice"
    assert case.item.events.get(action="stage_notice").attachments.count() == 1
    r = c.post(
        f"/enforcement/cases/{case.pk}/advance/decision/",
        {
            "decision-outcome": "penalty",
            "decision-decision_number": "X",
            "decision-decided_on": "2025-03-01",
            "decision-penalty_kinds": ["警告"],
        },
    )
    assert r.status_code == 422 and "不能早于" in r.content.decode()


def test_supervisor_sees_id_and_view_is_logged(case, login_as):
    html = login_as("supervisor").get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert cf.PERSON_ID in html
    assert OperationLog.objects.filter(action="查看当事人身份证号", object_id=str(case.pk)).exists()
    assert 'id="stage-investigation"' not in html  # no case.handle


def test_scope_404_and_officer_list(case, m, users, login_as):
    assert login_as("agency2").get(f"/enforcement/cases/{case.pk}/").status_code == 404
    assert login_as("agency2").post(f"/enforcement/cases/{case.pk}/advance/investigation/").status_code == 404
    other = services.case_file(by=users["agency"], **cf.case_kwargs(m, handlers=[m["o2"].pk], title="无照经营"))
    html = login_as("officer").get("/enforcement/cases/").content.decode()
    assert case.number in html and other.number not in html
    assert login_as("officer").get(f"/enforcement/cases/{other.pk}/").status_code == 404


def test_warning_list_compliance_and_permissions(case, login_as):
    c = login_as("supervisor")
    html = c.get("/enforcement/cases/warnings/").content.decode()
    assert case.number in html and "执法人员不少于两人" in html
    assert case.number not in c.get("/enforcement/cases/warnings/?rule=service_late").content.decode()
    r = c.get("/enforcement/cases/compliance/")
    assert r.status_code == 200 and 'id="compliance-rule"' in r.content.decode()
    r = c.get("/enforcement/cases/compliance/?format=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert login_as("agency").get("/enforcement/cases/warnings/").status_code == 403
    assert login_as("agency").get("/enforcement/cases/compliance/").status_code == 403


def test_extension_and_withdraw_forms(case, users, login_as):
    c = login_as("agency")
    r = c.post(f"/enforcement/cases/{case.pk}/extensions/", {"ext-days": "30", "ext-approver": "", "ext-reason": "x"})
    assert r.status_code == 422
    r = c.post(
        f"/enforcement/cases/{case.pk}/extensions/",
        {"ext-days": "30", "ext-approver": "局长", "ext-reason": "案情复杂"},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.extension_days == 30


def _xlsx(rows) -> SimpleUploadedFile:
    from fazhi.cases.imports import CaseImporter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, [c.header for c in CaseImporter.columns])
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, [row.get(c.field, "") for c in CaseImporter.columns])
    book.close()
    return SimpleUploadedFile("cases.xlsx", buffer.getvalue())


def test_import_dry_run_row_errors_all_or_nothing(m, login_as):
    c = login_as("agency")
    assert c.get("/enforcement/cases/import/").status_code == 302
    assert c.get("/system/import/cases/template/").status_code == 200
    cert1, cert2 = m["o1"].certificates.get().number, m["o2"].certificates.get().number
    good = {
        "agency": cf.MARKET,
        "power_item": m["item"].code,
        "title": "销售过期食品",
        "party_kind": "法人或其他组织",
        "party_name": "某公司",
        "party_uscc": cf.ORG_USCC,
        "handlers": f"{cert1}、{cert2}",
        "filed_on": "2025-03-03",
        "decision_number": "旧〔2025〕1号",
        "decided_on": "2025-04-02",
        "penalty_kinds": "警告",
        "served_on": "2025-04-03",
        "closed_on": "2025-04-10",
    }
    bad = {**good, "party_uscc": "123", "decision_number": "旧〔2025〕2号"}
    r = c.post("/system/import/cases/", {"file": _xlsx([good, bad])})
    html = r.content.decode()
    assert "第 3 行" in html and "统一社会信用代码" in html
    assert not Case.objects.exists()
    r = c.post("/system/import/cases/", {"file": _xlsx([good])})
    token = r.context["token"]
    r = c.post("/system/import/cases/confirm/", {"token": token})
    assert r.status_code == 302
    imported = Case.objects.get()
    assert imported.stage == "closed" and imported.decision_number == "旧〔2025〕1号"


def test_portal_disclosures_masked(m, users, client):
    by = users["agency"]
    case = services.case_file(
        by=by,
        **cf.case_kwargs(m, party_kind="person", party_name="欧阳明", party_id_number=cf.PERSON_ID, party_uscc=""),
    )
    for stage, data in [
        ("investigation", {}),
        ("notice", {"notified_on": D(2025, 3, 20)}),
        (
            "decision",
            {"decision_number": "示市监罚〔2025〕77号", "decided_on": D(2025, 4, 2), "penalty_kinds": ["警告"]},
        ),
        ("service", {"served_on": D(2025, 4, 3)}),
        ("disclosure", {"disclosed_on": D(2025, 4, 7)}),
    ]:
        case = services.case_advance(case=case, by=by, stage=stage, data=data)
    assert "行政处罚决定公示" in client.get("/portal/").content.decode()
    html = client.get("/portal/disclosures/?party_kind=person&q=77号").content.decode()
    assert "欧阳某" in html and "110105********002X" in html
    assert "欧阳明" not in html and cf.PERSON_ID not in html
    services.disclosure_withdraw(disclosure=case.disclosure, by=by, reason="决定已撤销")
    assert "欧阳某" not in client.get("/portal/disclosures/").content.decode()


def test_demo_builds_cases_with_warnings_and_disclosures(org, users):
    from fazhi.cases.demo import build_cases
    from fazhi.core.demo.build import build_org
    from fazhi.registry.demo import build_registry

    units = build_org()
    build_registry(units=units, users=users)
    build_cases(units=units, users=users)
    assert Case.objects.count() == 30
    assert set(Case.objects.values_list("stage", flat=True)) >= {
        "filed",
        "investigation",
        "notice",
        "hearing",
        "legal_review",
        "decision",
        "service",
        "disclosure",
        "execution",
        "closed",
    }
    assert Case.objects.filter(check_result__errors__gt=0).count() >= 5
    assert Case.objects.filter(disclosure__isnull=False).count() >= 5
    build_cases(units=units, users=users)  # idempotent
    assert Case.objects.count() == 30
