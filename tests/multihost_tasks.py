"""Tasks that the multi-host test (test_multihost.py) enqueues into its own cluster's workers. Each run writes
a row to `multihost_runs`, a table of that test's scratch database, so the test can count the runs."""

import time

from django.db import connection
from django.tasks import task


def _record(name: str, n: int, worker: str, phase: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO multihost_runs (name, n, worker, phase) VALUES (%s, %s, %s, %s)", [name, n, worker, phase]
        )


@task(takes_context=True)
def record_run(context, n: int) -> int:
    _record("record", n, context.task_result.worker_ids[-1], "done")
    return n


@task(takes_context=True)
def slow_run(context, seconds: float) -> str:
    worker = context.task_result.worker_ids[-1]
    _record("slow", 0, worker, "start")
    time.sleep(seconds)
    _record("slow", 0, worker, "done")
    return worker
