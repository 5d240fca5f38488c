"""Background jobs of core, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task


@task()
def logs_purge_task() -> dict:
    """Daily: link any log entry left unchained, then drop login and operation log entries past retention."""
    from fazhi.core.audit import logs_purge

    return logs_purge()


@task()
def jobs_prune_task() -> dict:
    """Daily: finished jobs past JOB_RETENTION_DAYS and their files; uploads never confirmed."""
    from fazhi.core.jobs import jobs_prune

    return jobs_prune()


@task()
def job_run_task(job_id: int) -> str:
    """A job a user started (我的任务); its progress and result are on the Job row."""
    from fazhi.core.jobs import job_run

    return job_run(job_id, reraise=True)
