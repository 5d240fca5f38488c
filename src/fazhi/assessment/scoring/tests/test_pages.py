import datetime as dt
import io

import xlsxwriter

from fazhi.assessment.scoring import services
from fazhi.assessment.scoring.demo import FIELDS, demo_rows
from fazhi.assessment.scoring.models import Framework


def test_supervisor_pages(run, login_as):
    c = login_as("supervisor")
    assert c.get("/assessment/scoring/").status_code == 200
    r = c.get(f"/assessment/scoring/{run.pk}/")
    assert r.status_code == 200
    assert "30分、20分、10分" in r.content.decode()
    r = c.get(f"/assessment/scoring/{run.pk}/?format=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    member = run.members.first()
    assert c.get(f"/assessment/scoring/units/{member.pk}/").status_code == 200
    score = member.scores.filter(indicator__method="computed").first()
    assert c.get(f"/assessment/scoring/scores/{score.pk}/").status_code == 200
    assert c.get("/assessment/scoring/indicators/").status_code == 200
    assert c.get(f"/assessment/scoring/frameworks/{run.framework_id}/?format=xlsx").status_code == 200


def test_agency_sees_only_its_own_after_publishing(run, login_as, users, year):
    c = login_as("agency")
    own = run.members.get(unit=users["agency"].unit)
    other = run.members.exclude(unit__path__startswith=users["agency"].unit.path).first()
    assert c.get(f"/assessment/scoring/units/{own.pk}/").status_code == 404  # still under review
    services.run_publish(run=run, by=users["supervisor"], today=dt.date(year, 12, 31))
    assert c.get(f"/assessment/scoring/units/{own.pk}/").status_code == 200
    assert c.get(f"/assessment/scoring/units/{other.pk}/").status_code == 404
    body = c.get(f"/assessment/scoring/{run.pk}/").content.decode()
    assert users["agency"].unit.name in body and other.unit.name not in body


def test_leader_reads_everything_and_writes_nothing(run, login_as):
    c = login_as("leader")
    assert c.get(f"/assessment/scoring/{run.pk}/").status_code == 200
    assert c.post(f"/assessment/scoring/{run.pk}/publish/").status_code == 403
    score = run.scores.filter(indicator__method="manual").first()
    r = c.post(f"/assessment/scoring/scores/{score.pk}/", {"do": "score", "points": "1", "note": "x"})
    assert r.status_code == 403


def _xlsx(rows) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet()
    headers = {f: h for h, f in services.COLUMNS}
    ws.write_row(0, 0, [headers[f] for f in FIELDS])
    for i, (_, raw) in enumerate(rows, start=1):
        ws.write_row(i, 0, [raw[f] for f in FIELDS])
    wb.close()
    return buf.getvalue()


def test_import_refuses_points_that_do_not_add_up(login_as, users, year):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fw = services.framework_create(year=year, name="导入测试", by=users["supervisor"])
    rows = demo_rows()
    rows[11][1]["points"] = 12  # 4.1.1 (8 → 12): 4.1 no longer adds up
    c = login_as("supervisor")
    f = SimpleUploadedFile("指标.xlsx", _xlsx(rows))
    r = c.post(f"/assessment/scoring/frameworks/{fw.pk}/", {"file": f})
    assert r.status_code == 422
    assert "4.1 的下级指标分值合计 24" in r.content.decode()
    assert not fw.indicators.exists()
    f = SimpleUploadedFile("指标.xlsx", _xlsx(demo_rows()))
    r = c.post(f"/assessment/scoring/frameworks/{fw.pk}/", {"file": f})
    assert r.status_code == 302 and fw.indicators.count() == len(demo_rows())
    assert Framework.objects.filter(year=year).count() == 1


def test_appeal_through_the_page_after_its_period(run, login_as, users, year):
    from django.utils import timezone

    services.run_publish(run=run, by=users["supervisor"], today=dt.date(year, 1, 5))
    run.refresh_from_db()
    run.appeal_until = timezone.localdate() - dt.timedelta(days=1)  # the page files with today's date
    run.save()
    score = run.members.get(unit=users["agency"].unit).scores.first()
    r = login_as("agency").post(
        f"/assessment/scoring/scores/{score.pk}/", {"do": "appeal", "reason": "材料齐全，请复核"}
    )
    assert r.status_code == 422
    assert "申诉期限已过" in r.content.decode() and not score.appeals.exists()
