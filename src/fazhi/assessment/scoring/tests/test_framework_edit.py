"""Weights in the totals, framework nodes edited while a draft (service, page, API), and the result notice
delivered to the assessed units."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.assessment.scoring import rules, services
from fazhi.assessment.scoring.models import Indicator
from fazhi.core.errors import DomainError, Forbidden


def _node(**kw):
    return {"weight": "1", "source": "", "mapping": "", "params": "", "target": "", "cap": "", "criteria": ""} | kw


@pytest.fixture
def draft(db, users, year):
    return services.framework_create(year=year, name="草稿指标体系", by=users["supervisor"])


def _refused(field, call):
    with pytest.raises(DomainError) as e:
        call()
    assert e.value.field == field, e.value.message
    return e.value.message


def test_weights_count_in_the_total(run, users, api_client, login_as):
    member = run.members.order_by("pk").first()
    before = member.total
    top = run.framework.indicators.get(code="1")
    leaf = run.framework.indicators.get(code="1.1")
    got = member.scores.get(indicator=leaf).points
    Indicator.objects.filter(pk=top.pk).update(weight=Decimal(2))
    services.run_totals(run=run)
    member.refresh_from_db()
    assert member.total == before + got  # 1.1 now counts twice
    Indicator.objects.filter(pk=leaf.pk).update(weight=Decimal("0.5"))
    services.run_totals(run=run)
    member.refresh_from_db()
    assert member.total == before  # 2 × 0.5
    rows = api_client("supervisor").get(f"/api/v1/assessment/members/{member.pk}/scores").json()
    assert {r["indicator_code"]: Decimal(r["path_weight"]) for r in rows}["1.1"] == 1
    page = login_as("supervisor").get(f"/assessment/scoring/frameworks/{run.framework_id}/").content.decode()
    assert 'class="node-weight">2<' in page and 'class="node-weight">0.50<' in page
    assert "node-edit" not in page  # a run uses it: no editing


def test_draft_nodes_added_changed_and_removed_with_the_imports_checks(draft, users):
    sup = users["supervisor"]
    save = services.indicator_save
    area = save(framework=draft, data=_node(code="1", name="依法行政", points="100", method="group"), by=sup)
    manual = save(
        framework=draft, data=_node(parent="1", code="1.1", name="人工项", points="60", method="manual"), by=sup
    )
    assert manual.level == 2 and manual.parent_id == area.pk
    msg = _refused(
        "points",
        lambda: save(
            framework=draft, data=_node(parent="1", code="1.2", name="超", points="41", method="manual"), by=sup
        ),
    )
    assert "超过其分值 100" in msg
    msg = _refused(
        "source",
        lambda: save(
            framework=draft,
            data=_node(parent="1", code="1.2", name="算", points="40", method="computed", source="nope"),
            by=sup,
        ),
    )
    assert "计算函数“nope”不存在" in msg
    assert "权重" in _refused(
        "weight",
        lambda: save(
            framework=draft,
            data=_node(parent="1", code="1.2", name="权", points="40", method="manual", weight="0"),
            by=sup,
        ),
    )
    _refused(
        "weight",
        lambda: save(
            framework=draft,
            data=_node(parent="1", code="1.2", name="权", points="40", method="manual", weight="二"),
            by=sup,
        ),
    )
    _refused(
        "cap",
        lambda: save(framework=draft, data=_node(code="9", name="加分", points="5", method="bonus"), by=sup),
    )
    _refused(
        "parent",
        lambda: save(
            framework=draft, data=_node(parent="7", code="7.1", name="无", points="1", method="manual"), by=sup
        ),
    )
    _refused(
        "code",
        lambda: save(
            framework=draft, data=_node(parent="1", code="1.1", name="重", points="1", method="manual"), by=sup
        ),
    )
    assert draft.indicators.count() == 2
    # incomplete: 40 points of area 1 not yet given out — no run yet
    assert any(
        "尚差 40" in g
        for g in rules.framework_gaps(services.selectors.framework_specs(framework=draft), total=draft.total_points)
    )
    _refused("framework", lambda: services.run_create(framework=draft, name="试考核", by=sup))
    computed = save(
        framework=draft,
        data=_node(
            parent="1",
            code="1.2",
            name="投诉按期",
            points="40",
            method="computed",
            source="complaints_on_time",
            mapping="thresholds",
            params="95:40;80:20",
            weight="1.5",
        ),
        by=sup,
    )
    assert computed.params == {"steps": [["95", "40"], ["80", "20"]]} and computed.weight == Decimal("1.5")
    # a leaf with children is refused; changing the parent's points below its children too
    _refused(
        "method",
        lambda: save(
            framework=draft,
            indicator=area,
            data=_node(code="1", name="依法行政", points="100", method="manual"),
            by=sup,
        ),
    )
    _refused(
        "points",
        lambda: save(
            framework=draft, indicator=area, data=_node(code="1", name="依法行政", points="90", method="group"), by=sup
        ),
    )
    save(
        framework=draft,
        indicator=manual,
        data=_node(code="1.1", name="人工项（改）", points="60", method="manual", weight="2"),
        by=sup,
    )
    manual.refresh_from_db()
    assert manual.name == "人工项（改）" and manual.weight == 2
    with pytest.raises(Forbidden):
        save(framework=draft, data=_node(code="2", name="x", points="1", method="manual"), by=users["leader"])
    services.indicator_delete(indicator=computed, by=sup)
    assert draft.indicators.count() == 2
    computed = save(
        framework=draft,
        data=_node(
            parent="1", code="1.2", name="投诉按期", points="40", method="computed", source="complaints_on_time"
        ),
        by=sup,
    )
    run = services.run_create(framework=draft, name="试考核", by=sup)
    assert run.members.exists()
    _refused(
        "framework",
        lambda: save(
            framework=draft, indicator=manual, data=_node(code="1.1", name="再改", points="60", method="manual"), by=sup
        ),
    )
    _refused("framework", lambda: services.indicator_delete(indicator=computed, by=sup))


def test_import_refuses_a_bad_weight_naming_the_row(draft, users):
    from fazhi.assessment.scoring.demo import demo_rows

    rows = demo_rows()
    rows[3][1]["weight"] = "0"
    msg = _refused("weight", lambda: services.framework_replace(framework=draft, rows=rows, by=users["supervisor"]))
    assert msg.startswith(f"第{rows[3][0]}行") and "权重" in msg
    assert not draft.indicators.exists()


def test_framework_editing_pages(draft, login_as):
    c = login_as("supervisor")
    r = c.post(
        f"/assessment/scoring/frameworks/{draft.pk}/nodes/new/",
        {"code": "1", "name": "一", "points": "100", "method": "group", "weight": "1"},
    )
    assert r.status_code == 302
    r = c.post(
        f"/assessment/scoring/frameworks/{draft.pk}/nodes/new/",
        {"parent": "1", "code": "1.1", "name": "算", "points": "100", "method": "computed", "source": "nope"},
    )
    assert r.status_code == 422 and "计算函数“nope”不存在" in r.content.decode()
    r = c.post(
        f"/assessment/scoring/frameworks/{draft.pk}/nodes/new/",
        {"parent": "1", "code": "1.1", "name": "人工", "points": "100", "method": "manual", "weight": "1.5"},
    )
    assert r.status_code == 302
    page = c.get(f"/assessment/scoring/frameworks/{draft.pk}/").content.decode()
    assert "node-edit" in page and '加权满分 <span id="full-marks">150.00</span>' in page
    node = draft.indicators.get(code="1.1")
    r = c.post(
        f"/assessment/scoring/nodes/{node.pk}/",
        {"code": "1.1", "name": "人工", "points": "100", "method": "manual", "weight": "11"},
    )
    assert r.status_code == 422 and "权重" in r.content.decode()
    assert c.get(f"/assessment/scoring/nodes/{node.pk}/").status_code == 200
    assert c.post(f"/assessment/scoring/nodes/{node.pk}/delete/").status_code == 302
    assert not draft.indicators.filter(code="1.1").exists()
    leader = login_as("leader")
    assert leader.post(f"/assessment/scoring/frameworks/{draft.pk}/nodes/new/", {}).status_code in (403, 404)


def test_framework_editing_api(db, api_client, year):
    sup = api_client("supervisor")
    r = sup.post(
        "/api/v1/assessment/frameworks", {"year": year, "name": "接口指标体系"}, content_type="application/json"
    )
    assert r.status_code == 201 and "edit" in r.json()["actions"]
    fid = r.json()["id"]
    post = lambda body: sup.post(f"/api/v1/assessment/frameworks/{fid}/nodes", body, content_type="application/json")  # noqa: E731
    assert post({"code": "1", "name": "一", "points": "100", "method": "group", "weight": "2"}).status_code == 201
    r = post({"parent": "1", "code": "1.1", "name": "算", "points": "100", "method": "computed", "source": "nope"})
    assert r.status_code == 422 and "source" in r.content.decode()
    r = post({"parent": "1", "code": "1.1", "name": "人工", "points": "100", "method": "manual", "weight": "1.5"})
    assert r.status_code == 201 and Decimal(r.json()["path_weight"]) == 3
    nid = r.json()["id"]
    detail = sup.get(f"/api/v1/assessment/frameworks/{fid}").json()
    assert Decimal(detail["weighted_full_marks"]) == 300 and detail["gaps"] == []
    r = sup.put(
        f"/api/v1/assessment/nodes/{nid}",
        {"code": "1.1", "name": "人工", "points": "120", "method": "manual"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "points" in r.content.decode()
    assert sup.delete(f"/api/v1/assessment/nodes/{nid}").status_code == 204
    agency = api_client("agency")
    assert (
        agency.post(f"/api/v1/assessment/frameworks/{fid}/nodes", {}, content_type="application/json").status_code
        == 403
    )
    assert api_client("leader").delete(f"/api/v1/assessment/nodes/{nid}").status_code == 403


def test_the_notice_reaches_each_assessed_unit(run, users, login_as, year):
    from fazhi.core.models import Notification

    sup, agency, other = users["supervisor"], users["agency"], users["agency2"]
    services.run_publish(run=run, by=sup, today=dt.date(year, 12, 31))
    run.refresh_from_db()
    services.run_finalise(run=run, by=sup, today=run.appeal_until + dt.timedelta(days=1))
    run.refresh_from_db()
    mine = run.members.get(unit=agency.unit)
    note = Notification.objects.get(recipient=agency, dedup_key=f"assessment:{run.pk}:notice")
    assert note.url == f"/assessment/scoring/units/{mine.pk}/"
    assert run.notice_document.number in note.title and f"第{mine.rank}名" in note.body
    assert f"/assessment/scoring/{run.pk}/notice/" in note.body
    theirs = Notification.objects.filter(recipient=other, dedup_key=f"assessment:{run.pk}:notice")
    assert all(n.url != note.url for n in theirs)  # each unit hears of its own result only
    c = login_as("agency")
    page = c.get(note.url)
    assert page.status_code == 200 and "notice-link" in page.content.decode()
    assert c.get(f"/assessment/scoring/{run.pk}/notice/").status_code == 200
    assert login_as("agency2").get(note.url).status_code == 404
    assert services.notice_deliver(run=run) == 0  # once per user
