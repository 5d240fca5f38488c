import datetime as dt

from django.core.cache import cache


def test_dashboard_renders_and_drills_down(run, login_as, users, year):
    from fazhi.assessment.scoring import services

    cache.clear()
    services.run_publish(run=run, by=users["supervisor"], today=dt.date(year, 12, 31))
    c = login_as("leader")
    r = c.get(f"/assessment/dashboard/?year={year}")
    body = r.content.decode()
    assert r.status_code == 200
    assert "cockpit-data" in body and "vendor/echarts/echarts.min.js" in body
    assert run.name in body and "重点指标与目标" in body
    assert c.get("/assessment/dashboard/red/").status_code == 200
    assert login_as("agency").get("/assessment/dashboard/").status_code == 403


def test_dashboard_api(run, api_client, year):
    cache.clear()
    r = api_client("leader").get(f"/api/v1/assessment/dashboard?year={year}")
    assert r.status_code == 200
    d = r.json()
    assert d["run_id"] == run.pk and len(d["trend"]["months"]) == 12
    assert any(f["code"] == "4.2.1" for f in d["figures"])
    # The oversight area may not be installed: then "unavailable", never zero.
    try:
        import fazhi.assessment.oversight.selectors  # noqa: F401
    except ImportError:
        assert d["problems"] is None


def test_red_rule():
    from decimal import Decimal

    from fazhi.assessment.dashboard.rules import is_red

    assert is_red(Decimal(80), Decimal(90), higher_is_better=True)
    assert is_red(Decimal(20), Decimal(10), higher_is_better=False)
    assert not is_red(None, Decimal(10), higher_is_better=True)


def test_worker_keeps_the_jurisdiction_figures_warm(run, users, year):
    from fazhi.assessment.dashboard import selectors

    cache.clear()
    today = dt.date(year, 6, 30)
    # The leader and the supervisor (both 全部, different permissions): one page each.
    assert selectors.dashboard_warm(today=today) == {"warmed": 2, "scopes": 2, "year": year}
    assert cache.get(selectors._board_key(user=users["leader"], year=year, today=today)) is not None
    board = selectors.dashboard(user=users["leader"], today=today)
    assert board.run is not None and board.run.pk == run.pk


def test_a_leader_lands_on_the_dashboard_after_login_and_others_on_the_inbox(db, client):
    """The dashboard is the leader's home page (core.home); a page asked for with ?next= still wins."""
    from fazhi.core.demo.build import DEMO_PASSWORD

    r = client.post("/login/", {"username": "leader", "password": DEMO_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/assessment/dashboard/"
    client.post("/logout/")
    r = client.post("/login/", {"username": "leader", "password": DEMO_PASSWORD, "next": "/complaints/"})
    assert r["Location"] == "/complaints/"
    client.post("/logout/")
    r = client.post("/login/", {"username": "supervisor", "password": DEMO_PASSWORD})
    assert r["Location"] == "/"
