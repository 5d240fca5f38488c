"""Several `fazhi worker` processes on one database (design.md §2).

- Each process has a unique worker id (host, pid, random suffix) and a row in WorkerHeartbeat that a thread
  touches every WORKER_HEARTBEAT_SECONDS, in the database's clock (hosts' clocks may differ).
- django-tasks-db hands each READY task to exactly one worker (SELECT … FOR UPDATE SKIP LOCKED).
- The periodic scheduler runs in one worker at a time: the one that holds a session-level PostgreSQL
  advisory lock on a connection of its own. When that process dies its connection closes, PostgreSQL
  releases the lock, and the next worker to try takes over within one tick. On SQLite there is one worker
  and it always schedules.
- The scheduler also reaps: a task RUNNING under a worker whose heartbeat is older than WORKER_LEASE_SECONDS
  is re-queued once (its worker_ids keep the dead worker's id), and failed with a WorkerLost record if it
  was already re-queued before. The stale heartbeat row is deleted; a worker that finds its row gone, or that
  could not beat for most of a lease, exits at once, so a task is never run by two workers at the same time.
"""

import datetime as dt
import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import DateTimeField, ExpressionWrapper
from django.db.models.functions import Now

from fazhi.core.models import WorkerHeartbeat

logger = logging.getLogger("fazhi.worker")

# pg_try_advisory_lock(bigint): one key for the scheduler of this database ("fazhi" in ASCII).
SCHEDULER_LOCK_KEY = 0x66617A6869
EXIT_LEASE_LOST = 75  # EX_TEMPFAIL: the service manager restarts the worker


class WorkerLost(Exception):
    """Recorded on a task whose worker died while running it, twice."""


def worker_id_new() -> str:
    host = socket.gethostname().split(".")[0][:40]
    return f"{host}-{os.getpid()}-{secrets.token_hex(4)}"


def _heartbeat_seconds() -> float:
    return float(settings.FAZHI["WORKER_HEARTBEAT_SECONDS"])


def _lease_seconds() -> float:
    return float(settings.FAZHI["WORKER_LEASE_SECONDS"])


def _db_now_minus(seconds: float) -> ExpressionWrapper:
    return ExpressionWrapper(Now() - dt.timedelta(seconds=seconds), output_field=DateTimeField())


def heartbeat_register(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": Now(), "seen_at": Now()},
    )


def heartbeat_beat(*, worker_id: str, is_scheduler: bool) -> bool:
    """Touch this worker's row. False when the row is gone: another worker declared this one dead."""
    return bool(WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=Now(), is_scheduler=is_scheduler))


def heartbeat_remove(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_reap(*, lease_seconds: float | None = None) -> dict[str, list[str]]:
    """Re-queue (once) or fail every RUNNING task whose worker has stopped beating. Idempotent."""
    from django_tasks_db.models import DBTaskResult

    lease = _lease_seconds() if lease_seconds is None else lease_seconds
    requeued: list[str] = []
    failed: list[str] = []
    with transaction.atomic():
        alive = set(
            WorkerHeartbeat.objects.filter(seen_at__gte=_db_now_minus(lease)).values_list("worker_id", flat=True)
        )
        # Started before the lease: a task claimed a moment ago by a worker whose first beat is in flight is safe.
        running = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=_db_now_minus(lease))
            .select_for_update(skip_locked=True)
        )
        dead_workers = set()
        for result in running:
            worker = result.worker_ids[-1] if result.worker_ids else ""
            if worker in alive:
                continue
            dead_workers.add(worker)
            if len(result.worker_ids) <= 1:
                result.status = "READY"
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                requeued.append(str(result.id))
                logger.warning("task %s (%s) re-queued: worker %s stopped", result.id, result.task_path, worker)
            else:
                result.set_failed(
                    WorkerLost(
                        f"执行该任务的后台进程 {worker} 已停止响应；任务已先后由 {len(result.worker_ids)} 个进程执行，"
                        "不再自动重试，请检查后重新提交"
                    )
                )
                failed.append(str(result.id))
                logger.error("task %s (%s) failed: worker %s stopped again", result.id, result.task_path, worker)
        WorkerHeartbeat.objects.filter(seen_at__lt=_db_now_minus(lease)).delete()
    return {"requeued": requeued, "failed": failed}


class SchedulerLock:
    """The scheduler's PostgreSQL advisory lock, held on a connection that nothing else uses: a session-level
    lock lives exactly as long as its session (behind pgbouncer, that connection must bypass transaction
    pooling; docs/operations.md)."""

    def __init__(self) -> None:
        self._conn = None

    def hold(self) -> bool:
        """Whether this process holds the lock now, taking it if it is free."""
        if self._conn is not None:
            try:
                with self._conn.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                        "AND pid = pg_backend_pid() AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = %s",
                        [SCHEDULER_LOCK_KEY],
                    )
                    if cursor.fetchone()[0]:
                        return True
            except Exception:
                logger.warning("scheduler lock connection lost", exc_info=True)
            self.release()
        try:
            self._conn = connections.create_connection("default")
            self._conn.ensure_connection()
            with self._conn.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [SCHEDULER_LOCK_KEY])
                if cursor.fetchone()[0]:
                    return True
        except Exception:
            logger.warning("scheduler lock unavailable", exc_info=True)
        self.release()
        return False

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                logger.debug("closing the scheduler lock connection failed", exc_info=True)
            self._conn = None


@dataclass
class WorkerState:
    worker_id: str
    stop: threading.Event = field(default_factory=threading.Event)
    is_scheduler: bool = False
    last_beat: float = field(default_factory=time.monotonic)


def scheduler_loop(state: WorkerState, *, interval: float) -> None:
    """Take or keep the scheduler lock every heartbeat; while held, reap a few times per lease and enqueue the
    periodic jobs every `interval` (at once after taking over)."""
    from fazhi.core.schedule import enqueue_due

    lock = SchedulerLock() if connection.vendor == "postgresql" else None
    last_enqueue: float | None = None
    last_reap: float | None = None
    # A worker is declared dead only after a whole lease, so reaping a few times per lease is soon enough.
    reap_every = max(_heartbeat_seconds(), _lease_seconds() / 4)
    try:
        while not state.stop.is_set():
            close_old_connections()
            try:
                held = lock.hold() if lock is not None else True
                if held and not state.is_scheduler:
                    logger.warning("worker %s now runs the scheduler", state.worker_id)
                state.is_scheduler = held
                if held:
                    if last_reap is None or time.monotonic() - last_reap >= reap_every:
                        tasks_reap()
                        last_reap = time.monotonic()
                    if last_enqueue is None or time.monotonic() - last_enqueue >= interval:
                        enqueue_due()
                        last_enqueue = time.monotonic()
                else:
                    last_enqueue = last_reap = None
            except Exception:
                logger.exception("scheduler tick failed")
            state.stop.wait(_heartbeat_seconds())
    finally:
        if lock is not None:
            lock.release()
        close_old_connections()


def heartbeat_loop(state: WorkerState) -> None:
    """Beat; exit the whole process when the scheduler has declared this worker dead."""
    while not state.stop.wait(_heartbeat_seconds()):
        close_old_connections()
        try:
            if not heartbeat_beat(worker_id=state.worker_id, is_scheduler=state.is_scheduler):
                logger.critical("worker %s was declared dead by the scheduler; exiting", state.worker_id)
                os._exit(EXIT_LEASE_LOST)
            state.last_beat = time.monotonic()
        except Exception:
            logger.exception("heartbeat failed")


def watchdog_loop(state: WorkerState) -> None:
    """Exit when no beat got through for most of a lease: the scheduler may soon re-queue this worker's task,
    and it must not run in two places. A thread of its own, because a beat can hang on a dead connection."""
    beat, lease = _heartbeat_seconds(), _lease_seconds()
    while not state.stop.wait(beat / 2):
        silent = time.monotonic() - state.last_beat
        if silent > lease - 2 * beat:
            logger.critical("worker %s could not beat for %.0f s; exiting", state.worker_id, silent)
            os._exit(EXIT_LEASE_LOST)
