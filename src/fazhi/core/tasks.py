"""Background jobs of core, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task


@task()
def logs_purge_task() -> dict:
    """Daily: link any log entry left unchained, then drop login and operation log entries past retention."""
    from fazhi.core.audit import logs_purge

    return logs_purge()
