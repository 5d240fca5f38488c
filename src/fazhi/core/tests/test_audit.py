"""The keyed SM3 chains of the login and operation logs: append-only, verified, purged only past retention."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core.audit import log_chain_seal, log_chain_verify, log_login, log_operation, logs_purge
from fazhi.core.models import ChainSeal, LogImmutableError, LoginLog, OperationLog, Role
from fazhi.core.schedule import PERIODIC

pytestmark = pytest.mark.django_db


def _ops(users, n=5, *, at=None):
    if at is None:
        return [
            log_operation(user=users["admin"], action="新增单位", summary=f"第{i}个", ip="10.0.0.1") for i in range(n)
        ]
    return [
        OperationLog.objects.create(user=users["admin"], username="admin", action="新增单位", summary=f"第{i}个", at=at)
        for i in range(n)
    ]


@pytest.fixture
def empty_chains(db):
    """Start from empty chains (the session's setup wrote entries of its own; rolled back after the test)."""
    OperationLog.objects.all()._purge()
    LoginLog.objects.all()._purge()
    ChainSeal.objects.filter(name__in=["login", "operation"]).delete()


def _raw(sql, params=()):
    """What someone with database access does: plain SQL, past every guard of the application."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _seq(log) -> int:
    return OperationLog.objects.values_list("seq", flat=True).get(pk=log.pk)


def test_entries_are_chained_after_commit(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _ops(users, 2)
    a, b = OperationLog.objects.filter(pk__in=[first.pk, second.pk]).order_by("seq")
    assert a.seq and b.seq == a.seq + 1 and b.prev_hash == a.hash and len(b.hash) == 64
    report = log_chain_verify(chain="operation")
    assert (report.status, report.problems, report.pending) == ("ok", [], 0)


def test_an_entry_not_yet_chained_is_still_covered_by_its_mac(users):
    (log,) = _ops(users, 1)
    assert log.mac and _seq(log) is None
    assert log_chain_verify(chain="operation").status == "ok"
    _raw("UPDATE core_operationlog SET summary = '伪造' WHERE id = %s", [log.pk])
    report = log_chain_verify(chain="operation")
    assert report.status == "broken" and f"id={log.pk}" in report.problems[0]


def test_altered_entry_is_detected_with_its_position(users):
    logs = _ops(users)
    log_chain_seal(chain="operation")
    _raw("UPDATE core_operationlog SET username = 'agency' WHERE id = %s", [logs[2].pk])
    report = log_chain_verify(chain="operation")
    assert report.status == "broken"
    assert report.problems == [f"在第 {_seq(logs[2])} 条处断裂：内容与哈希不符（已被篡改）"]


def test_deleted_middle_entry_is_detected(users):
    logs = _ops(users)
    log_chain_seal(chain="operation")
    _raw("DELETE FROM core_operationlog WHERE id = %s", [logs[1].pk])
    report = log_chain_verify(chain="operation")
    assert report.status == "broken" and "被删除" in report.problems[0]


def test_cut_tail_is_detected(users):
    logs = _ops(users)
    log_chain_seal(chain="operation")
    _raw("DELETE FROM core_operationlog WHERE id = %s", [logs[-1].pk])
    report = log_chain_verify(chain="operation")
    assert report.status == "broken" and "末尾记录被删除" in report.problems[-1]


def test_rewritten_entry_with_recomputed_plain_sm3_is_detected(users):
    """Without the key, an attacker who recomputes the hashes (plain SM3) still fails."""
    from fazhi.core.integrity import sm3_hex

    logs = _ops(users, 2)
    log_chain_seal(chain="operation")
    forged = sm3_hex("伪造".encode())
    _raw("UPDATE core_operationlog SET summary = '伪造', mac = %s WHERE id = %s", [forged, logs[0].pk])
    assert log_chain_verify(chain="operation").status == "broken"


def test_login_log_is_chained_too(users):
    log_login(
        username="officer",
        user=users["officer"],
        success=False,
        reason="密码错误",
        ip="::ffff:10.0.0.9",
        user_agent="x",
    )
    log_chain_seal(chain="login")
    assert log_chain_verify(chain="login").status == "ok"
    _raw("UPDATE core_loginlog SET success = %s WHERE username = 'officer'", [True])
    assert log_chain_verify(chain="login").status == "broken"


def test_wrong_key_is_reported_as_key_mismatch(users, settings):
    _ops(users, 1)
    log_chain_seal(chain="operation")
    settings.TIMELINE_HMAC_KEY = "another key"
    report = log_chain_verify(chain="operation")
    assert report.status == "key" and "密钥不符" in report.problems[0]


def test_logs_cannot_be_altered_through_the_orm(users):
    (log,) = _ops(users, 1)
    log.summary = "改写"
    with pytest.raises(LogImmutableError):
        log.save()
    with pytest.raises(LogImmutableError):
        OperationLog.objects.filter(pk=log.pk).update(summary="改写")
    with pytest.raises(LogImmutableError):
        OperationLog.objects.filter(pk=log.pk).delete()
    with pytest.raises(LogImmutableError):
        log.delete()
    with pytest.raises(LogImmutableError):
        LoginLog.objects.all().update(reason="")
    assert OperationLog.objects.get(pk=log.pk).summary == "第0个"


def test_purge_keeps_180_days_and_the_chain_still_verifies(users, settings, empty_chains):
    now = timezone.now()
    old = _ops(users, 3, at=now - dt.timedelta(days=200))
    young = _ops(users, 2, at=now - dt.timedelta(days=170))
    settings.FAZHI = {**settings.FAZHI, "LOG_RETENTION_DAYS": 30}  # below the statutory minimum: 180 applies
    purged = logs_purge(now=now)
    assert purged["operation"] >= 3
    assert not OperationLog.objects.filter(pk__in=[x.pk for x in old]).exists()
    assert OperationLog.objects.filter(pk__in=[x.pk for x in young]).count() == 2
    seal = ChainSeal.objects.get(name="operation")
    assert seal.base_seq == _seq(young[0]) - 1
    checkpoint = OperationLog.objects.get(action="清理日志", summary__startswith="操作日志")
    assert seal.base_hash in checkpoint.summary and "保存期限 180 天" in checkpoint.summary
    log_chain_seal(chain="operation")
    report = log_chain_verify(chain="operation")
    assert (report.status, report.purged_through) == ("ok", seal.base_seq)
    # Purging again removes nothing younger than the retention period.
    assert logs_purge(now=now)["operation"] == 0


def test_purge_removes_only_a_prefix_of_the_chain(users, empty_chains):
    """An old entry chained after a young one stays, so that the chain has no hole."""
    now = timezone.now()
    (young,) = _ops(users, 1, at=now - dt.timedelta(days=1))
    (late_old,) = _ops(users, 1, at=now - dt.timedelta(days=400))
    logs_purge(now=now)
    assert OperationLog.objects.filter(pk__in=[young.pk, late_old.pk]).count() == 2
    log_chain_seal(chain="operation")
    assert log_chain_verify(chain="operation").status == "ok"


def test_moved_checkpoint_is_detected(users, empty_chains):
    now = timezone.now()
    _ops(users, 3, at=now - dt.timedelta(days=300))
    _ops(users, 2)
    logs_purge(now=now)
    _raw("UPDATE core_chainseal SET base_seq = base_seq + 1 WHERE name = 'operation'")
    assert log_chain_verify(chain="operation").status == "broken"


def test_purge_is_a_daily_periodic_job():
    job = PERIODIC["fazhi.core.tasks.logs_purge_task"]
    assert job.every == dt.timedelta(hours=24)


def test_verify_command_checks_the_log_chains(users, capsys):
    logs = _ops(users, 2)
    log_chain_seal(chain="operation")
    log_chain_seal(chain="login")
    call_command("verify")
    out = capsys.readouterr().out
    assert "操作日志：正常" in out and "登录日志：正常" in out
    _raw("UPDATE core_operationlog SET action = '查看' WHERE id = %s", [logs[1].pk])
    with pytest.raises(SystemExit) as exc:
        call_command("verify")
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert "操作日志：断裂" in out and f"在第 {_seq(logs[1])} 条处断裂" in out


@pytest.fixture
def auditor(users):
    role = Role.objects.create(
        code="test_auditor", name="测试审计", data_scope="all", permissions=["log.view", "log.export"]
    )
    users["supervisor"].roles.add(role)
    return "supervisor"


def _xlsx_rows(response):
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_log_exports_carry_the_chain(users, login_as, auditor):
    logs = _ops(users, 1)
    log_chain_seal(chain="operation")
    rows = _xlsx_rows(login_as(auditor).get(reverse("core:operation_log"), {"q": "第0个", "format": "xlsx"}))
    assert rows[0][-2:] == ("链序号", "链哈希")
    hash_ = OperationLog.objects.values_list("hash", flat=True).get(pk=logs[0].pk)
    assert rows[1][-1] == hash_
    log_login(username="officer", user=None, success=False, reason="密码错误", ip=None, user_agent="")
    rows = _xlsx_rows(login_as(auditor).get(reverse("core:login_log"), {"q": "officer", "format": "xlsx"}))
    assert rows[0][-2:] == ("链序号", "链哈希")


def test_there_is_no_route_that_changes_a_log(login_as, auditor, users):
    from django.urls import URLResolver, get_resolver

    def names(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from names(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif p.name:
                yield prefix + p.name

    log_routes = {n for n in names(get_resolver().url_patterns) if n.endswith("_log") or "_log_" in n}
    assert log_routes == {"core:login_log", "core:operation_log"}  # the two lists, nothing that edits
    (log,) = _ops(users, 1)
    client = login_as(auditor)
    for name in ("core:operation_log", "core:login_log"):
        client.post(reverse(name), {"id": log.pk, "summary": "改写", "action": "删除"})
    assert OperationLog.objects.get(pk=log.pk).summary == "第0个"


def test_a_key_set_after_migrate_is_adopted_by_an_empty_chain(users, empty_chains):
    """`migrate` seals the empty chains with whatever key it found; the operator may set TIMELINE_HMAC_KEY after."""
    ChainSeal.objects.create(name="operation", key_id="0123456789abcdef")
    _ops(users, 2)
    log_chain_seal(chain="operation")
    assert log_chain_verify(chain="operation").status == "ok"


def test_bulk_created_entries_are_signed_and_chained(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = OperationLog.objects.bulk_create(
            [OperationLog(user=users["admin"], username="admin", action="批量", summary=f"第{i}条") for i in range(3)]
        )
        LoginLog.objects.bulk_create([LoginLog(username="admin", success=False, reason="密码错误", ip="10.0.0.9")])
    rows = OperationLog.objects.filter(pk__in=[m.pk for m in made])
    assert all(r.mac and r.seq and len(r.hash) == 64 for r in rows)
    assert log_chain_verify(chain="operation").status == "ok"
    assert log_chain_verify(chain="login").status == "ok"
    _raw("UPDATE core_operationlog SET summary = '伪造' WHERE id = %s", [made[1].pk])
    assert log_chain_verify(chain="operation").status == "broken"


def test_bulk_create_cannot_overwrite_entries(users):
    with pytest.raises(LogImmutableError):
        OperationLog.objects.bulk_create([OperationLog(username="x", action="a")], ignore_conflicts=True)
