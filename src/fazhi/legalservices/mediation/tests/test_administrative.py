"""行政调解: a dispute mediated by an administrative agency, a source next to 人民调解 and 诉前调解 — registered,
filtered on the list (page and API) and named in the export's 调解类别 column."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.legalservices.mediation import rules
from fazhi.legalservices.mediation.tests import factories as f

pytestmark = pytest.mark.django_db
LIST = "/legalservices/mediation/"


def test_category_by_source():
    assert rules.SOURCE_LABELS[rules.SOURCE_AGENCY] == "行政机关调解（行政调解）"
    assert rules.category(rules.SOURCE_AGENCY) == "行政调解"
    assert rules.category(rules.SOURCE_COURT) == "诉前调解"
    assert rules.category(rules.SOURCE_WALK_IN) == rules.category(rules.SOURCE_GRID) == "人民调解"


def test_an_administrative_mediation_is_registered_filtered_and_exported(login_as, api_client):
    o = f.org()
    today = timezone.localdate()
    admin = f.case(the_org=o, today=today, source=rules.SOURCE_AGENCY, facts="消费纠纷行政调解")
    f.case(the_org=o, today=today, facts="邻里纠纷")
    assert admin.source == "agency" and admin.court_due is None
    c = login_as("supervisor")
    page = c.get(LIST).content.decode()
    assert "行政机关调解（行政调解）" in page.split('id="case-filter"')[1]
    found = c.get(LIST + "?source=agency").content.decode()
    assert found.count('class="case-row"') == 1 and admin.number in found
    r = c.get(LIST + "?source=agency&format=xlsx")
    content = b"".join(r.streaming_content) if r.streaming else r.content
    rows = [[x.value for x in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]
    assert rows[0][3:5] == ["来源", "调解类别"]
    assert rows[1][3:5] == ["行政机关调解（行政调解）", "行政调解"] and len(rows) == 2
    api = api_client("supervisor")
    got = api.get("/api/v1/legalservices/mediation/cases?source=agency").json()
    assert [x["number"] for x in got] == [admin.number] and got[0]["source"] == "agency"
