"""Periodic background jobs. Each app registers its tasks here from its AppConfig.ready(); the worker's
scheduler (`fazhi worker`) enqueues whatever is due on every tick, so core never imports domain apps.

A task is enqueued only if none of its runs is still waiting or running, so a slow worker never piles them up, and
finished runs older than a day are deleted (one per tick would otherwise accumulate for ever).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Periodic:
    task: object  # a django.tasks Task
    every: dt.timedelta | None  # None: on every tick of the scheduler
    when: Callable[[], bool] | None  # an extra condition (e.g. "a mailbox is configured")

    @property
    def path(self) -> str:
        return self.task.module_path


PERIODIC: dict[str, Periodic] = {}


def register_periodic(task, *, every: dt.timedelta | None = None, when: Callable[[], bool] | None = None) -> None:
    job = Periodic(task=task, every=every, when=when)
    PERIODIC[job.path] = job


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every registered job that is due now. Returns the paths enqueued."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    enqueued = []
    for path, job in PERIODIC.items():
        runs = DBTaskResult.objects.filter(task_path=path)
        runs.successful().filter(finished_at__lt=now - dt.timedelta(days=1)).delete()
        if job.when is not None and not job.when():
            continue
        # One run at a time: never a second copy while one waits or runs (on another worker, after failover).
        if runs.filter(status__in=["READY", "RUNNING"]).exists():
            continue
        if job.every is not None and runs.filter(enqueued_at__gt=now - job.every).exists():
            continue
        job.task.enqueue()
        enqueued.append(path)
    return enqueued


def run_all_now() -> dict[str, object]:
    """Run every registered job once, in this process (`fazhi worker --once`, cron, tests)."""
    results = {}
    for path, job in PERIODIC.items():
        if job.when is not None and not job.when():
            continue
        results[path] = job.task.call()
    return results
