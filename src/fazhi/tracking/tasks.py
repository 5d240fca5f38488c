"""Background jobs of the tracking core, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task

from fazhi.tracking.reminders import scan_deadlines
from fazhi.tracking.services import items_recompute_deadlines


@task()
def scan_deadlines_task() -> dict:
    return scan_deadlines()


@task()
def recompute_deadlines_task() -> int:
    return items_recompute_deadlines()
