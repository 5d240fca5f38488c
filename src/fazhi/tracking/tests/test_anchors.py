"""Daily external anchors of the chains: written as operation-log entries, exported for the audit administrator,
and compared by `fazhi verify` with the chains as they are now, so that even a rewrite made with the key shows."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.audit import (
    ANCHOR_ACTION,
    _link_hash,
    anchors_list,
    chain_seal_lock,
    chain_seal_save,
    log_chain_seal,
    log_chain_verify,
    log_entry_mac,
    log_operation,
)
from fazhi.core.models import OperationLog, Role
from fazhi.core.schedule import PERIODIC
from fazhi.tracking.anchors import anchors_verify, chains_anchor
from fazhi.tracking.models import TimelineAnchorHead, TimelineEvent, TrackedItem
from fazhi.tracking.services import assignment_report
from fazhi.tracking.timeline import event_hash, head_mac, verify_chains

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def chain(market_assignment, users):
    for progress, text in ((30, "部署"), (60, "推进")):
        assignment_report(by=users["agency"], assignment=market_assignment, progress=progress, text=text)
    return market_assignment.item


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_daily_job_anchors_every_chain_and_verify_agrees(chain, users, capsys):
    log_operation(user=users["admin"], action="新增单位", summary="锚定前")
    anchors = chains_anchor(today=DAY)
    assert [a.chain for a in anchors] == ["login", "operation", "timeline"]
    assert all(a.day == DAY for a in anchors)
    op = next(a for a in anchors if a.chain == "operation")
    assert op.count > 0 and len(op.head) == 64 and op.last_id
    # Each anchor is an operation-log entry of its own, and reads back the same.
    entries = OperationLog.objects.filter(action=ANCHOR_ACTION).order_by("id")
    assert [e.object_id for e in entries] == ["login", "operation", "timeline"]
    assert [(a.chain, a.count, a.head) for a in anchors_list()] == [(a.chain, a.count, a.head) for a in anchors]
    assert TimelineAnchorHead.objects.get(item=chain).seq == chain.events.count()
    assert anchors_verify().problems == []
    call_command("verify", "--no-files")
    assert "外部锚点：正常" in capsys.readouterr().out
    assert PERIODIC["fazhi.tracking.tasks.chains_anchor_task"].every == dt.timedelta(hours=24)


def test_log_chain_rewritten_with_the_key_is_caught_by_its_anchor(users, capsys):
    log = log_operation(user=users["admin"], action="新增单位", summary="真实内容")
    log_chain_seal(chain="operation")
    anchors = chains_anchor(today=DAY)
    op = next(a for a in anchors if a.chain == "operation")
    target = OperationLog.objects.get(seq=op.count)
    # An insider with the key rewrites the anchored entry and recomputes its MAC, its link and the seal.
    _raw("UPDATE core_operationlog SET summary = %s WHERE id = %s", ["改写内容", target.pk])
    target = OperationLog.objects.get(pk=target.pk)
    mac = log_entry_mac("operation", {f: getattr(target, f) for f in OperationLog.CHAIN_FIELDS})
    link = _link_hash("operation", target.prev_hash, target.seq, target.pk, mac)
    _raw("UPDATE core_operationlog SET mac = %s, hash = %s WHERE id = %s", [mac, link, target.pk])
    later = list(OperationLog.objects.filter(seq__gt=target.seq).order_by("seq"))
    prev = link
    for e in later:  # the anchor entries written after it: relink them too
        prev_link = _link_hash("operation", prev, e.seq, e.pk, e.mac)
        _raw("UPDATE core_operationlog SET prev_hash = %s, hash = %s WHERE id = %s", [prev, prev_link, e.pk])
        prev = prev_link
    seal = chain_seal_lock("operation")
    seal.head = prev
    chain_seal_save(seal)
    assert log_chain_verify(chain="operation").status == "ok"  # the chain alone cannot tell
    problems = anchors_verify().problems
    assert len(problems) == 1 and "操作日志" in problems[0] and f"第 {op.count} 条" in problems[0]
    assert log.pk  # the entry written before the anchor is the one covered
    with pytest.raises(SystemExit):
        call_command("verify", "--no-files")
    assert "外部锚点：1 处与现有链不符" in capsys.readouterr().out


def test_timeline_rewritten_with_the_key_is_caught_by_its_anchor(chain):
    chains_anchor(today=DAY)
    TimelineEvent.objects.filter(item=chain, seq=2).update(comment="已全部完成")
    prev = ""
    for e in TimelineEvent.objects.filter(item=chain).order_by("seq"):  # recomputed with the real key
        e.prev_hash = prev
        e.hash = prev = event_hash(version=2, prev_hash=prev, key=e.key_id, item_id=e.item_id, seq=e.seq, at=e.at,
                                   actor_id=e.actor_id, actor_name=e.actor_name, actor_unit=e.actor_unit,
                                   action=e.action, action_label=e.action_label, comment=e.comment, data=e.data,
                                   attachments=[])  # fmt: skip
        e.save()
    count = chain.events.count()
    TrackedItem.objects.filter(pk=chain.pk).update(
        last_hash=prev, head_mac=head_mac(item_id=chain.pk, count=count, last_hash=prev)
    )
    assert verify_chains(TrackedItem.objects.filter(pk=chain.pk))[2] == []  # consistent again
    problems = anchors_verify().problems
    assert any(f"事项 {chain.pk}" in p and "哈希不符" in p for p in problems)


def test_altered_anchor_heads_are_detected(chain):
    chains_anchor(today=DAY)
    TimelineAnchorHead.objects.filter(item=chain).update(seq=1, hash=chain.events.get(seq=1).hash)
    problems = anchors_verify().problems
    assert problems and "锚定链头记录" in problems[-1]


def test_a_new_anchor_moves_the_heads_on(chain, users, market_assignment):
    chains_anchor(today=DAY)
    assignment_report(by=users["agency"], assignment=market_assignment, progress=90, text="收尾")
    chains_anchor(today=DAY + dt.timedelta(days=1))
    assert TimelineAnchorHead.objects.get(item=chain).seq == chain.events.count()
    assert anchors_verify().problems == []


def test_audit_administrator_exports_the_anchors(chain, users, login_as):
    chains_anchor(today=DAY)
    auditor = users["auditor"]
    assert auditor.roles.filter(code="audit_admin").exists()
    r = login_as("auditor").get(reverse("core:chain_anchor_export"))
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("锚定日期", "链", "链名称")
    assert [row[1] for row in rows[1:]] == ["login", "operation", "timeline"]
    for other in ("admin", "secadmin", "leader"):
        assert login_as(other).get(reverse("core:chain_anchor_export")).status_code == 403
    narrow = Role.objects.create(code="narrow_audit", name="本单位审计", data_scope="unit",
                                 permissions=["log.view", "log.export"])  # fmt: skip
    users["agency"].roles.add(narrow)
    rows = list(
        load_workbook(io.BytesIO(login_as("agency").get(reverse("core:chain_anchor_export")).content)).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 1  # the anchors cover every unit: not for a narrower scope
