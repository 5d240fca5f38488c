"""The supervisor's 督办 desk (issue 9): supervised units' red and yellow items, registered sections, 催办."""

import datetime as dt

import pytest
from django.core import mail

from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.models import Notification
from fazhi.tracking import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def red(market_assignment, today):
    services.item_change_deadline(
        item=market_assignment.item, by=None, deadline=today - dt.timedelta(days=1), reason="测试：已超期"
    )
    market_assignment.item.refresh_from_db()
    return market_assignment.item


def test_desk_holds_the_red_and_yellow_items_of_supervised_units(red, ecology_assignment, users, today):
    desk = selectors.desk(user=users["supervisor"], today=today)
    lights = {i.pk: i.light for i in desk.supervised}
    assert lights == {red.pk: "red", ecology_assignment.item_id: "yellow"}
    assert desk.supervised_counts == {"red": 1, "yellow": 1}
    # The market bureau supervises nobody: its legal officer's desk has no supervised items.
    assert list(selectors.desk(user=users["agency"], today=today).supervised) == []


def test_green_items_stay_off_the_desk(market_assignment, users, today):
    assert list(selectors.desk(user=users["supervisor"], today=today).supervised) == []


def test_urge_notifies_the_responsible_unit_and_is_on_the_timeline(red, users, today):
    event = services.item_urge(item=red, by=users["supervisor"], comment="请于明日前报送", today=today)
    assert event.action == "urged" and event.action_label == "催办" and event.comment == "请于明日前报送"
    assert event.data["light"] == "red" and event.data["notified"] >= 1
    notice = Notification.objects.get(recipient=users["agency"], dedup_key=event.data["key"])
    assert notice.title.startswith("【催办】") and "已超期" in notice.title and notice.level == "red"
    with pytest.raises(DomainError, match="今天已催办"):
        services.item_urge(item=red, by=users["supervisor"], today=today)
    assert red.events.filter(action="urged").count() == 1


def test_only_a_supervisor_of_the_unit_may_urge(red, users, today):
    with pytest.raises(Forbidden):  # sees the item (it is his unit's), but supervises nobody
        services.item_urge(item=red, by=users["agency"], today=today)
    with pytest.raises(NotFound):  # another agency: the item does not exist for him
        services.item_urge(item=red, by=users["agency2"], today=today)
    assert not red.events.filter(action="urged").exists()


def test_closed_item_is_not_urged(submitted, users, today):
    from fazhi.tracking.services import assignment_accept

    assignment_accept(by=users["supervisor"], assignment=submitted)
    submitted.item.refresh_from_db()
    with pytest.raises(DomainError, match="已办结"):
        services.item_urge(item=submitted.item, by=users["supervisor"], today=today)


def test_urge_emails_when_smtp_is_configured(red, users, today, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.FAZHI = {**settings.FAZHI, "EMAIL_ENABLED": True}
    users["agency"].email = "agency@example.cn"
    users["agency"].save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.item_urge(item=red, by=users["supervisor"], today=today)
    assert ["agency@example.cn"] in [m.to for m in mail.outbox]
    assert any(m.subject.startswith("【催办】") for m in mail.outbox)


# ---------------------------------------------------------------- API


def test_inbox_api_carries_the_desk_and_urge_route(red, api_client):
    c = api_client("supervisor")
    body = c.get("/api/v1/inbox").json()
    assert [i["id"] for i in body["supervised"]["items"]] == [red.pk]
    assert body["supervised"]["counts"]["red"] == 1 and isinstance(body["sections"], list)
    r = c.post(f"/api/v1/items/{red.pk}/urge", {"comment": "请尽快办理"}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["item_id"] == red.pk and r.json()["notified"] >= 1
    again = c.post(f"/api/v1/items/{red.pk}/urge", {}, content_type="application/json")
    assert again.status_code == 422


def test_urge_api_permissions(red, api_client):
    assert (
        api_client("agency").post(f"/api/v1/items/{red.pk}/urge", {}, content_type="application/json").status_code
        == 403
    )
    assert (
        api_client("agency2").post(f"/api/v1/items/{red.pk}/urge", {}, content_type="application/json").status_code
        == 404
    )
    assert (
        api_client("supervisor").post("/api/v1/items/99999999/urge", {}, content_type="application/json").status_code
        == 404
    )


# ---------------------------------------------------------------- page (no browser)


def test_desk_page_lists_and_urges(red, login_as):
    c = login_as("supervisor")
    page = c.get("/").content.decode()
    assert 'id="desk-supervised"' in page and f'data-item="{red.pk}"' in page and "催办</button>" in page
    r = c.post(f"/items/{red.pk}/urge/", {"comment": "页面催办"})
    assert r.status_code == 302
    assert red.events.filter(action="urged", comment="页面催办").exists()
    assert "已催办" in c.get("/").content.decode()
    assert 'id="desk-supervised"' not in login_as("agency").get("/").content.decode()
    assert login_as("agency").post(f"/items/{red.pk}/urge/").status_code == 403
    assert login_as("agency2").post(f"/items/{red.pk}/urge/").status_code == 404
