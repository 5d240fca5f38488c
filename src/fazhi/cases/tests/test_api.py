"""Case API: list/create/detail/update/advance/extensions/compliance, public disclosures, scope and permission."""

import datetime as dt

import pytest

from fazhi.cases import services
from fazhi.cases.bulk_checks import cases_check_all
from fazhi.cases.models import Case
from fazhi.cases.tests import case_factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(org, users):
    return cf.market(org, users)


def body(m, **overrides):
    data = {
        "power_item_id": m["item"].pk,
        "title": "销售过期食品",
        "party_kind": "organisation",
        "party_name": "示例市某某商贸有限公司",
        "party_uscc": cf.ORG_USCC,
        "filed_on": "2025-03-03",
        "handlers": [m["o1"].pk, m["o2"].pk],
        "violation_ended_on": "2025年2月20日",
    }
    data.update(overrides)
    return data


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def advance(client, pk, stage, **data):
    return post(client, f"/api/v1/cases/{pk}/advance", {"stage": stage, "data": data})


def test_create_advance_and_detail_carry_same_checks_as_check_endpoint(m, api_client):
    c = api_client("agency")
    r = post(c, "/api/v1/cases", body(m, handlers=[m["o1"].pk]))
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["next_stages"] == ["investigation"]
    assert advance(c, pk, "investigation").status_code == 200
    assert advance(c, pk, "notice", notified_on="2025-03-20").status_code == 200
    r = advance(
        c,
        pk,
        "decision",
        decision_number="示市监罚〔2025〕2号",
        decided_on="2025-07-01",
        penalty_kinds=["罚款"],
        fine="20000",
        tier=m["item"].tiers.first().pk,
    )
    assert r.status_code == 200, r.content
    detail = c.get(f"/api/v1/cases/{pk}").json()
    assert {f["rule"] for f in detail["checks"]} == {"handlers_min_two", "decision_overdue", "fine_outside_tier"}
    assert detail["check_rules"] == ["handlers_min_two", "decision_overdue", "fine_outside_tier"]
    # The same case described in full to the pre-check endpoint gives the same findings.
    cert = m["o1"].certificates.get()
    payload = {
        "procedure": "general",
        "party": {"kind": "organisation", "uscc": cf.ORG_USCC},
        "handlers": [
            {
                "name": "陈执法",
                "certificate": cert.number,
                "valid_from": str(cert.valid_from),
                "valid_to": str(cert.valid_to),
            }
        ],
        "violation_ended_on": "2025-02-20",
        "filed_on": "2025-03-03",
        "decided_on": "2025-07-01",
        "major": False,
        "fine": 20000,
        "tier": {"min": 1000, "max": 10000},
    }
    assert post(c, "/api/v1/cases/check", payload).json()["checks"] == detail["checks"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"party_kind": "person", "party_name": "张三", "party_id_number": "110105194912310021"}, "party_id_number"),
        ({"party_uscc": "9111000060003734"}, "party_uscc"),
        ({"power_item_id": 987654}, "power_item"),
        ({"filed_on": "2025-13-01"}, "filed_on"),
    ],
)
def test_bad_input_422_with_field(m, api_client, overrides, field):
    r = post(api_client("agency"), "/api/v1/cases", body(m, **overrides))
    assert r.status_code == 422
    assert r.json()["field"] == field and r.json()["detail"]
    assert not Case.objects.exists()


def test_handler_of_another_agency_422(m, org, api_client):
    other = cf.officer(cf.agency(org[cf.ECOLOGY]), "环境执法")
    r = post(api_client("agency"), "/api/v1/cases", body(m, handlers=[m["o1"].pk, other.pk]))
    assert r.status_code == 422 and r.json()["field"] == "handlers"


@pytest.mark.parametrize(
    ("fine", "decided_on", "field"),
    [
        ("0", "2025-04-02", "fine"),
        ("-1", "2025-04-02", "fine"),
        ("一千", "2025-04-02", "fine"),
        ("100", "2025-03-01", "decided_on"),
    ],
)
def test_bad_decision_422(m, api_client, fine, decided_on, field):
    c = api_client("agency")
    pk = post(c, "/api/v1/cases", body(m)).json()["id"]
    advance(c, pk, "investigation")
    advance(c, pk, "notice", notified_on="2025-03-03" if field == "decided_on" else "2025-03-20")
    r = advance(c, pk, "decision", decision_number="X", decided_on=decided_on, penalty_kinds=["罚款"], fine=fine)
    assert r.status_code == 422 and r.json()["field"] == field
    assert Case.objects.get(pk=pk).stage == "notice"


def test_stage_order_422(m, api_client):
    c = api_client("agency")
    pk = post(c, "/api/v1/cases", body(m)).json()["id"]
    r = advance(c, pk, "service", served_on="2025-03-04")
    assert r.status_code == 422 and r.json()["field"] == "stage"


def test_scope_404_and_permission_403(m, api_client):
    pk = post(api_client("agency"), "/api/v1/cases", body(m)).json()["id"]
    other = api_client("agency2")
    assert other.get(f"/api/v1/cases/{pk}").status_code == 404
    assert advance(other, pk, "investigation").status_code == 404
    assert other.patch(f"/api/v1/cases/{pk}", {"title": "x"}, content_type="application/json").status_code == 404
    assert pk not in [x["id"] for x in other.get("/api/v1/cases").json()]
    r = api_client("supervisor").post(
        f"/api/v1/cases/{pk}/advance", {"stage": "investigation"}, content_type="application/json"
    )
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}
    assert api_client("agency").get("/api/v1/cases/compliance").status_code == 403
    assert api_client("monitor").get("/api/v1/cases").status_code == 403


def test_officer_sees_only_his_cases(m, users, api_client):
    mine = post(api_client("agency"), "/api/v1/cases", body(m)).json()["id"]
    other_officer = cf.officer(m["agency"], "刘执法")
    theirs = post(api_client("agency"), "/api/v1/cases", body(m, handlers=[m["o2"].pk, other_officer.pk])).json()["id"]
    c = api_client("officer")
    ids = [x["id"] for x in c.get("/api/v1/cases").json()]
    assert ids == [mine]
    assert c.get(f"/api/v1/cases/{theirs}").status_code == 404
    assert c.get(f"/api/v1/cases/{mine}").json()["party_code"] == cf.ORG_USCC


def test_party_id_masked_except_supervisor(m, api_client):
    pk = post(
        api_client("agency"),
        "/api/v1/cases",
        body(m, party_kind="person", party_name="张三", party_id_number=cf.PERSON_ID, party_uscc=""),
    ).json()["id"]
    assert api_client("agency").get(f"/api/v1/cases/{pk}").json()["party_code"] == "110105********002X"
    assert api_client("supervisor").get(f"/api/v1/cases/{pk}").json()["party_code"] == cf.PERSON_ID


def test_patch_list_filters_extension_and_compliance(m, api_client):
    c = api_client("agency")
    pk = post(c, "/api/v1/cases", body(m, handlers=[m["o1"].pk])).json()["id"]
    r = c.patch(
        f"/api/v1/cases/{pk}",
        {"title": "销售过期食品（更正）", "handlers": [m["o1"].pk, m["o2"].pk]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["title"] == "销售过期食品（更正）"
    r = post(c, f"/api/v1/cases/{pk}/extensions", {"days": 30, "reason": "案情复杂", "approver": "局长"})
    assert r.status_code == 201 and r.json()["total_extension_days"] == 30
    assert post(c, f"/api/v1/cases/{pk}/extensions", {"days": 0, "reason": "x", "approver": "y"}).status_code == 422
    assert [x["id"] for x in c.get("/api/v1/cases?q=更正").json()] == [pk]
    assert c.get("/api/v1/cases?stage=decision").json() == []
    cases_check_all(as_of=dt.date(2025, 5, 1), sync_warnings=False)
    stats = api_client("supervisor").get("/api/v1/cases/compliance").json()
    row = next(r for r in stats["by_agency"] if r["agency_id"] == m["agency"].pk)
    assert row == {"agency_id": m["agency"].pk, "agency": cf.MARKET, "checked": 1, "errors": 0, "rate": 100.0}
    assert len(stats["by_rule"]) == 10


def test_public_disclosures_and_withdrawal(m, users, client, api_client):
    by = users["agency"]
    case = services.case_file(
        by=by, **cf.case_kwargs(m, party_kind="person", party_name="李四", party_id_number=cf.PERSON_ID, party_uscc="")
    )
    case = services.case_advance(case=case, by=by, stage="investigation", data={})
    case = services.case_advance(case=case, by=by, stage="notice", data={"notified_on": "2025-03-20"})
    case = services.case_advance(
        case=case,
        by=by,
        stage="decision",
        data={"decision_number": "示市监罚〔2025〕9号", "decided_on": "2025-04-02", "penalty_kinds": ["警告"]},
    )
    case = services.case_advance(case=case, by=by, stage="service", data={"served_on": "2025-04-03"})
    case = services.case_advance(case=case, by=by, stage="disclosure", data={"disclosed_on": "2025-04-07"})
    r = client.get("/api/v1/disclosures?party_kind=person&q=罚〔2025〕9")
    assert r.status_code == 200
    items = r.json()["items"]
    assert len(items) == 1 and items[0]["party"] == "李某" and items[0]["party_code"] == "110105********002X"
    assert "李四" not in r.content.decode()
    d_id = items[0]["id"]
    r = post(api_client("agency"), f"/api/v1/disclosures/{d_id}/withdraw", {"reason": ""})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    assert post(api_client("officer"), f"/api/v1/disclosures/{d_id}/withdraw", {"reason": "x"}).status_code == 403
    assert post(api_client("agency2"), f"/api/v1/disclosures/{d_id}/withdraw", {"reason": "x"}).status_code == 404
    r = post(api_client("agency"), f"/api/v1/disclosures/{d_id}/withdraw", {"reason": "决定已被撤销"})
    assert r.status_code == 200 and r.json()["withdrawn"] is True
    assert client.get("/api/v1/disclosures").json()["items"] == []


def _file(name="送达回证.pdf", content=b"%PDF-1.4 test"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_advance_multipart_with_attachment_on_timeline(m, api_client):
    import json

    from fazhi.core.models import Attachment

    c = api_client("agency")
    pk = post(c, "/api/v1/cases", body(m)).json()["id"]
    r = c.post(
        f"/api/v1/cases/{pk}/advance",
        {"stage": "investigation", "data": json.dumps({"date": "2025-03-05"}), "attachments": [_file("询问笔录.pdf")]},
    )
    assert r.status_code == 200, r.content
    assert r.json()["stage"] == "investigation"
    event = Case.objects.get(pk=pk).item.events.get(action="stage_investigation")
    att = event.attachments.get()
    assert att.name == "询问笔录.pdf" and len(att.sm3) == 64
    # A file of a forbidden type is a field error, and the stage does not move.
    r = c.post(
        f"/api/v1/cases/{pk}/advance",
        {"stage": "notice", "data": json.dumps({"notified_on": "2025-03-20"}), "attachments": [_file("x.exe", b"MZ")]},
    )
    assert r.status_code == 422 and r.json()["field"] == "attachments"
    assert Case.objects.get(pk=pk).stage == "investigation" and Attachment.objects.count() == 1
    r = c.post(f"/api/v1/cases/{pk}/advance", {"stage": "notice", "data": "{not json"})
    assert r.status_code == 422 and r.json()["field"] == "data"
    r = c.post(f"/api/v1/cases/{pk}/advance", {"data": "{}"})
    assert r.status_code == 422 and r.json()["field"] == "stage"


def test_case_attachments_endpoint(m, api_client):
    from fazhi.core.models import Attachment

    c = api_client("agency")
    pk = post(c, "/api/v1/cases", body(m)).json()["id"]
    r = c.post(
        f"/api/v1/cases/{pk}/attachments",
        {"comment": "补充现场照片", "attachments": [_file("现场.jpg", b"\xff\xd8\xff jpeg"), _file("笔录.pdf")]},
    )
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["case_id"] == pk and [a["name"] for a in out["attachments"]] == ["现场.jpg", "笔录.pdf"]
    assert all(len(a["sm3"]) == 64 for a in out["attachments"])
    event = Case.objects.get(pk=pk).item.events.get(action="case_attachments")
    assert event.comment == "补充现场照片" and event.attachments.count() == 2
    # Bad input names the field and stores nothing.
    r = c.post(f"/api/v1/cases/{pk}/attachments", {"comment": "x"})
    assert r.status_code == 422 and r.json()["field"] == "attachments"
    r = c.post(f"/api/v1/cases/{pk}/attachments", {"attachments": [_file("a.pdf"), _file("b.html", b"<script>")]})
    assert r.status_code == 422 and r.json()["field"] == "attachments"
    r = post(c, f"/api/v1/cases/{pk}/attachments", {"attachments": []})
    assert r.status_code == 422 and r.json()["field"] == "attachments"
    assert Attachment.objects.count() == 2
    # Permission and scope.
    r = api_client("supervisor").post(f"/api/v1/cases/{pk}/attachments", {"attachments": [_file()]})
    assert r.status_code == 403 and r.json() == {"detail": "无权访问"}
    assert api_client("agency2").post(f"/api/v1/cases/{pk}/attachments", {"attachments": [_file()]}).status_code == 404
    assert (
        api_client("agency2")
        .post(f"/api/v1/cases/{pk}/advance", {"stage": "investigation", "attachments": [_file()]})
        .status_code
        == 404
    )
    assert Attachment.objects.count() == 2
