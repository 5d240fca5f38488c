"""Background jobs of the tracking core, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task

from fazhi.tracking.reminders import scan_deadlines
from fazhi.tracking.services import clocks_recompute, items_recompute_deadlines


@task()
def scan_deadlines_task() -> dict:
    return scan_deadlines()


@task()
def chains_anchor_task() -> list[str]:
    """Daily: write each chain's head (logs and timelines) as an anchor entry of the operation log."""
    from fazhi.tracking.anchors import chains_anchor

    return [f"{a.chain}:{a.count}" for a in chains_anchor()]


@task()
def recompute_deadlines_task() -> int:
    return items_recompute_deadlines() + clocks_recompute()


def recompute_deadlines_on_calendar_change(sender=None, **kwargs) -> None:
    """workdays' calendar_changed: every stored deadline is recomputed in the background."""
    import datetime as dt

    from django.utils import timezone

    from fazhi.workdays import calendar

    task = recompute_deadlines_task
    if task.get_backend().supports_defer:
        # A worker in another process rereads the override table at most RECHECK_SECONDS late.
        task = task.using(run_after=timezone.now() + dt.timedelta(seconds=calendar.RECHECK_SECONDS + 1))
    task.enqueue()
