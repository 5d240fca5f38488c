"""The worker's scheduler: every app's periodic jobs, enqueued once while waiting, daily jobs once a day."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fazhi.core.schedule import PERIODIC, enqueue_due

pytestmark = pytest.mark.django_db


def test_apps_register_their_jobs():
    paths = set(PERIODIC)
    assert "fazhi.tracking.tasks.scan_deadlines_task" in paths
    assert "fazhi.registry.tasks.certificates_expiry_scan_task" in paths
    assert "fazhi.cases.tasks.cases_check_all_task" in paths


def test_a_waiting_job_is_not_enqueued_twice():
    first = enqueue_due()
    assert "fazhi.tracking.tasks.scan_deadlines_task" in first
    assert "fazhi.tracking.tasks.scan_deadlines_task" not in enqueue_due()
    assert DBTaskResult.objects.filter(task_path="fazhi.tracking.tasks.scan_deadlines_task").count() == 1


def test_daily_job_waits_a_day_after_it_ran():
    path = "fazhi.cases.tasks.cases_check_all_task"
    assert path in enqueue_due()
    DBTaskResult.objects.filter(task_path=path).update(status="SUCCESSFUL", finished_at=timezone.now())
    assert path not in enqueue_due()
    later = timezone.now() + dt.timedelta(hours=25)
    assert path in enqueue_due(now=later)


def test_worker_once_runs_every_job(capsys):
    call_command("worker", "--once")
    out = capsys.readouterr().out
    assert "scan_deadlines_task" in out
    assert "certificates_expiry_scan_task" in out
