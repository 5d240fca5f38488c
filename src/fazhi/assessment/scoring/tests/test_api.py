import datetime as dt


def test_run_api_scoped(run, api_client, users, year):
    from fazhi.assessment.scoring import services

    sup = api_client("supervisor")
    r = sup.get("/api/v1/assessment/runs")
    assert r.status_code == 200 and any(x["id"] == run.pk for x in r.json())
    members = sup.get(f"/api/v1/assessment/runs/{run.pk}/members").json()
    assert len(members) == run.members.count()
    agency = api_client("agency")
    assert agency.get(f"/api/v1/assessment/runs/{run.pk}").status_code == 404  # not published yet
    services.run_publish(run=run, by=users["supervisor"], today=dt.date(year, 12, 31))
    mine = agency.get(f"/api/v1/assessment/runs/{run.pk}/members").json()
    assert {m["unit_id"] for m in mine} <= set(
        run.members.filter(unit__path__startswith=users["agency"].unit.path).values_list("unit_id", flat=True)
    )
    own = run.members.get(unit=users["agency"].unit)
    scores = agency.get(f"/api/v1/assessment/members/{own.pk}/scores").json()
    assert scores and "appeal" in scores[0]["actions"]
    assert (
        agency.put(
            f"/api/v1/assessment/scores/{scores[0]['id']}", {"points": 1}, content_type="application/json"
        ).status_code
        == 403
    )
    r = api_client("leader").post(f"/api/v1/assessment/runs/{run.pk}/finalise")
    assert r.status_code == 403


def test_bad_points_named(run, api_client):
    score = run.scores.filter(indicator__method="manual").first()
    r = api_client("supervisor").put(
        f"/api/v1/assessment/scores/{score.pk}", {"points": 999, "note": "x"}, content_type="application/json"
    )
    assert r.status_code == 422 and "points" in r.content.decode()


def test_catalogue_lists_unavailable(db, api_client):
    rows = api_client("supervisor").get("/api/v1/assessment/indicators").json()
    keys = {r["key"]: r for r in rows}
    assert keys["complaints_on_time"]["available"] is True
    assert "problems_rectified" in keys
