"""The Excel import of a session's suggestions: all-or-nothing with a dry run, each error named by row and column,
registered and assigned through the same services as the pages."""

import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from fazhi.core.imports import IMPORTERS, run_import, template_xlsx
from fazhi.requests.imports import parse_proposers
from fazhi.requests.models import Proposal
from fazhi.requests.tests import factories as F

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    ws = book.active
    ws.append([c.header for c in IMPORTERS["proposals"].columns])
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    return buf


def test_proposers_with_their_delegations():
    assert parse_proposers("王建国（东城区代表团）、李秀英(西城区代表团)、张伟") == [
        {"name": "王建国", "delegation": "东城区代表团"},
        {"name": "李秀英", "delegation": "西城区代表团"},
        {"name": "张伟", "delegation": ""},
    ]


def test_import_dry_run_then_commit_registers_and_assigns():
    session = F.session(year=timezone.localdate().year)
    today = timezone.localdate().isoformat()
    rows = [
        (
            session.name,
            "0101",
            "关于规范农贸市场计量器具管理的建议",
            "王建国（东城区代表团）、李秀英",
            "建议推行智慧计量。",
            F.MARKET,
            F.ECOLOGY,
            today,
        ),
        (session.name, "0102", "关于优化公交线网的建议", "张伟", "建议优化线网。", "", "", ""),
    ]
    importer, boss = IMPORTERS["proposals"], F.user("supervisor")
    preview = run_import(importer, _xlsx(rows), by=boss, commit=False)
    assert not preview.has_errors and not Proposal.objects.exists()
    done = run_import(importer, _xlsx(rows), by=boss, commit=True)
    assert done.committed
    first = Proposal.objects.get(number="0101")
    assert (first.status, first.lead_unit.name) == ("assigned", F.MARKET)
    assert first.units.get(role="co").unit.name == F.ECOLOGY
    assert list(first.proposers.values_list("name", "is_lead")) == [("王建国", True), ("李秀英", False)]
    assert Proposal.objects.get(number="0102").status == "registered"
    assert b"PK" == template_xlsx(importer)[:2]


def test_import_is_all_or_nothing_with_row_errors():
    session = F.session(year=timezone.localdate().year)
    rows = [
        (session.name, "0201", "标题", "王建国", "内容", F.MARKET, "", ""),
        ("不存在的会议", "0202", "标题", "王建国", "内容", "", "", ""),
        (session.name, "0201", "标题", "王建国", "内容", "", "", ""),
        (session.name, "0203", "标题", "王建国", "内容", "不存在的局", "", ""),
        (session.name, "0204", "标题", "", "内容", "", "", ""),
    ]
    result = run_import(IMPORTERS["proposals"], _xlsx(rows), by=F.user("supervisor"), commit=True)
    assert not result.committed and not Proposal.objects.exists()
    messages = result.messages
    assert any("第 3 行" in m and "会议届次" in m for m in messages)
    assert any("第 4 行" in m and "已有第0201号" in m for m in messages)
    assert any("第 5 行" in m and "主办单位" in m for m in messages)
    assert any("第 6 行“提出人”" in m for m in messages)
    assert not IMPORTERS["proposals"].allowed(F.user("agency"))
