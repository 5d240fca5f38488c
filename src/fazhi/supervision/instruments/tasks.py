"""Background jobs of 监督文书, run by the database-backed worker (`fazhi worker`); both are idempotent."""

from django.tasks import task


@task()
def decisions_propose_task() -> dict:
    """Propose a 行政执法监督决定书 for every unheeded 意见书 that has none."""
    from fazhi.supervision.instruments.services import decisions_propose

    return decisions_propose()


@task()
def risks_scan_task() -> dict:
    """执法风险预警提醒: one proposal per agency and period whose figures reached a threshold."""
    from fazhi.supervision.instruments.services import risks_scan

    return risks_scan()
