"""Several workers: heartbeats, reaping the tasks of a dead worker, and the scheduler's advisory lock."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from fazhi.core import workers
from fazhi.core.models import WorkerHeartbeat
from fazhi.core.schedule import enqueue_due

pytestmark = pytest.mark.django_db

TASK = "fazhi.tracking.tasks.scan_deadlines_task"


def _db_ago(**delta):
    """A moment relative to the database's clock, which the reaper reads (not this process's clock)."""
    return workers._db_now_minus(dt.timedelta(**delta).total_seconds())


def _running(*worker_ids, minutes_ago=10):
    return DBTaskResult.objects.create(
        task_path=TASK,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status="RUNNING",
        started_at=_db_ago(minutes=minutes_ago),
        worker_ids=list(worker_ids),
    )


def _beat(worker_id, seconds_ago=0):
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        host="h",
        pid=1,
        started_at=_db_ago(hours=1),
        seen_at=_db_ago(seconds=seconds_ago),
    )


def test_a_dead_workers_task_is_requeued_once_then_failed_with_a_record():
    _beat("alive")
    _beat("dead", seconds_ago=600)
    mine = _running("alive")
    lost = _running("dead")
    never_beat = _running("gone")

    result = workers.tasks_reap(lease_seconds=60)

    assert set(result["requeued"]) == {str(lost.id), str(never_beat.id)} and result["failed"] == []
    lost.refresh_from_db()
    assert lost.status == "READY" and lost.started_at is None and lost.worker_ids == ["dead"]
    mine.refresh_from_db()
    assert mine.status == "RUNNING"
    # The stale heartbeat is gone, so the dead worker, should it wake, stops instead of finishing the task.
    assert not WorkerHeartbeat.objects.filter(worker_id="dead").exists()
    assert workers.heartbeat_beat(worker_id="dead", is_scheduler=False) is False
    assert workers.heartbeat_beat(worker_id="alive", is_scheduler=True) is True

    # The second worker to take it dies too: the task fails, with the reason recorded.
    DBTaskResult.objects.filter(pk=lost.pk).update(
        status="RUNNING", started_at=_db_ago(minutes=5), worker_ids=["dead", "dead-2"]
    )
    result = workers.tasks_reap(lease_seconds=60)
    assert result["failed"] == [str(lost.id)]
    lost.refresh_from_db()
    assert lost.status == "FAILED"
    assert lost.exception_class_path == "fazhi.core.workers.WorkerLost"
    assert "dead-2" in lost.traceback and "不再自动重试" in lost.traceback
    # Reaping again changes nothing.
    assert workers.tasks_reap(lease_seconds=60) == {"requeued": [], "failed": []}


def test_a_task_claimed_just_now_is_left_alone():
    fresh = _running("starting", minutes_ago=0)
    assert workers.tasks_reap(lease_seconds=60) == {"requeued": [], "failed": []}
    fresh.refresh_from_db()
    assert fresh.status == "RUNNING"


def test_heartbeat_register_and_remove():
    worker_id = workers.worker_id_new()
    assert len(worker_id) <= 64 and worker_id != workers.worker_id_new()
    workers.heartbeat_register(worker_id=worker_id)
    assert workers.heartbeat_beat(worker_id=worker_id, is_scheduler=True)
    assert WorkerHeartbeat.objects.get(worker_id=worker_id).is_scheduler
    workers.heartbeat_remove(worker_id=worker_id)
    assert not workers.heartbeat_beat(worker_id=worker_id, is_scheduler=False)


def test_a_running_periodic_job_is_not_enqueued_again():
    assert TASK in enqueue_due()
    DBTaskResult.objects.filter(task_path=TASK).update(status="RUNNING", started_at=timezone.now())
    assert TASK not in enqueue_due()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks: PostgreSQL only")
def test_one_scheduler_lock_at_a_time_and_takeover():
    first, second = workers.SchedulerLock(), workers.SchedulerLock()
    try:
        assert first.hold()
        assert first.hold()  # kept, on its own connection
        assert not second.hold()
        first.release()  # the holder's session ends, as when its process dies
        assert second.hold()
        assert not first.hold()
    finally:
        first.release()
        second.release()
