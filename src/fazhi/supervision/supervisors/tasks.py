"""Background jobs of the invited supervisors, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task


@task()
def term_expiry_scan_task() -> int:
    """Open the term-expiry item of each serving invited supervisor whose term ends within the reminder window
    (idempotent: an item is opened once per supervisor)."""
    from fazhi.supervision.supervisors.services import term_expiry_scan

    return term_expiry_scan()
