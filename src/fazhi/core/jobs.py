"""Long jobs a user starts and follows on 我的任务 (an import of 100k rows, a bulk check): a `Job` row that the
user's pages poll, run by `fazhi worker` through one task (`core.tasks.job_run_task`).

An app registers what a kind of job does with `register_job_kind(kind, label=..., run=...)` from its `ready()`;
`run(job, params)` reports progress with `job_progress(job, done, total, message)` and returns an `Outcome`
(a failed outcome is a result too: an import whose rows did not pass keeps its error list). An exception marks
the job failed with a Chinese message; a job whose worker died is marked failed when it is next read, so no job
stays 进行中 for ever.

Progress is written on the job runner's own connection: a runner that holds a transaction open (all-or-nothing
writes) should report before and after it, since what it writes inside is seen only after its commit.
"""

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import Job

logger = logging.getLogger("fazhi.jobs")

PROGRESS_SECONDS = 0.5  # at most one progress write per this long: a 100k-row loop must not write 100k times
LIST_LIMIT = 200
LOST_MESSAGE = "后台进程中断，任务未完成（未写入任何数据的任务可直接重新提交）"


@dataclass
class Outcome:
    ok: bool = True
    message: str = ""  # the one sentence the job page shows
    summary: dict = field(default_factory=dict)  # JSON: counts, messages, links
    file: bytes | None = None  # kept in default_storage, downloaded from the job page
    filename: str = ""


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: str
    run: Callable[[Job, dict], Outcome]


JOB_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: str, *, label: str, run: Callable[[Job, dict], Outcome]) -> None:
    JOB_KINDS[kind] = JobKind(kind=kind, label=label, run=run)


def _clock() -> float:
    return time.monotonic()


# ---------------------------------------------------------------- services


def job_start(kind: str, *, by, params: dict, label: str = "", run_now: bool = False, now=None) -> Job:
    """Record a job of `by` and queue it for the worker (after commit, so the worker finds the row). With
    `run_now` it runs here and now instead: a small file need not wait for a worker."""
    spec = JOB_KINDS[kind]  # an unknown kind is a programming error, not a user's
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            label=label or spec.label,
            created_by=by,
            unit_id=by.unit_id,
            params=params,
            created_at=now or timezone.now(),
        )
        if not run_now:
            transaction.on_commit(partial(_enqueue, job.pk))
    if run_now:
        job_run(job.pk)
        job.refresh_from_db()
    return job


def _enqueue(job_pk: int) -> None:
    from fazhi.core.tasks import job_run_task

    result = job_run_task.enqueue(job_pk)
    Job.objects.filter(pk=job_pk).update(task_id=str(result.id))


def job_progress(job: Job, done: int, total: int | None = None, message: str = "") -> bool:
    """Record how far `job` is. Written at most every PROGRESS_SECONDS (the last step, done == total, always);
    returns whether it was written."""
    last = getattr(job, "_progress_at", None)
    final = total is not None and total > 0 and done >= total
    if last is not None and not final and _clock() - last < PROGRESS_SECONDS:
        return False
    job._progress_at = _clock()
    fields = {"done": max(0, done), "message": message[:200]}
    if total is not None:
        fields["total"] = max(0, total)
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
    return True


def job_run(job_pk: int, *, reraise: bool = False, now=None) -> str:
    """Run one job to its end; returns its final status. A job already finished is left alone (a task re-queued
    after its worker died must not do the work twice)."""
    job = Job.objects.select_related("created_by").filter(pk=job_pk).first()
    if job is None or job.is_finished:
        return job.status if job else ""
    job.status, job.started_at = Job.RUNNING, now or timezone.now()
    Job.objects.filter(pk=job.pk).update(status=job.status, started_at=job.started_at)
    spec = JOB_KINDS.get(job.kind)
    try:
        if spec is None:
            raise DomainError(f"未知的任务类型“{job.kind}”，请联系管理员")
        outcome = spec.run(job, job.params)
    except DomainError as exc:  # the user's input, found bad while running (an upload that expired, ...)
        outcome = Outcome(ok=False, message=exc.message)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            Outcome(ok=False, message=f"任务执行出错（{type(exc).__name__}），未完成；请重新提交，仍失败请联系管理员"),
        )
        if reraise:
            raise  # the task's own record keeps the traceback
        return job.status
    _finish(job, outcome)
    return job.status


def _finish(job: Job, outcome: Outcome) -> None:
    with transaction.atomic():
        if outcome.file is not None:
            job.result_file = default_storage.save(
                f"jobs/{job.created_by_id}/{job.pk}-{secrets.token_hex(8)}.xlsx", ContentFile(outcome.file)
            )
            job.result_filename = outcome.filename or "结果.xlsx"
        job.status = Job.DONE if outcome.ok else Job.FAILED
        job.result = outcome.summary
        job.message = outcome.message[:200]
        job.error = "" if outcome.ok else outcome.message
        job.finished_at = timezone.now()
        if outcome.ok and job.total:
            job.done = job.total
        # done and total as last reported: progress written inside a transaction the runner rolled back (a dry
        # run, an import whose rows did not pass) is gone from the row, not from the job in hand.
        job.save(
            update_fields=[
                "status",
                "result",
                "message",
                "error",
                "finished_at",
                "done",
                "total",
                "result_file",
                "result_filename",
            ]
        )


def jobs_mark_lost(jobs) -> None:
    """Unfinished jobs whose task has ended (the reaper failed it after its worker died twice, or it ended
    without reaching the job) are failed with a message, instead of showing 进行中 for ever."""
    from django_tasks_db.models import DBTaskResult

    waiting = {j.task_id: j for j in jobs if not j.is_finished and j.task_id}
    if not waiting:
        return
    ended = DBTaskResult.objects.filter(id__in=list(waiting), status__in=["FAILED", "SUCCESSFUL"]).values_list(
        "id", flat=True
    )
    for task_id in ended:
        job = waiting[str(task_id)]
        # Only if still unfinished in the database: the task may have finished the job a moment ago.
        if Job.objects.filter(pk=job.pk, status__in=[Job.QUEUED, Job.RUNNING]).update(
            status=Job.FAILED, error=LOST_MESSAGE, message=LOST_MESSAGE, finished_at=timezone.now()
        ):
            job.status, job.error, job.message = Job.FAILED, LOST_MESSAGE, LOST_MESSAGE


def jobs_prune(*, now=None) -> dict:
    """Daily: finished jobs older than JOB_RETENTION_DAYS go, with their result files; so do uploads never
    confirmed (a day old). A job still queued or running is never touched."""
    from django.conf import settings

    from fazhi.core.imports import uploads_prune

    now = now or timezone.now()
    old = Job.objects.filter(
        status__in=[Job.DONE, Job.FAILED],
        finished_at__lt=now - dt.timedelta(days=settings.FAZHI["JOB_RETENTION_DAYS"]),
    )
    files = [name for name in old.exclude(result_file="").values_list("result_file", flat=True)]
    jobs, _ = old.delete()
    for name in files:
        default_storage.delete(name)
    return {"jobs": jobs, "files": len(files), "uploads": uploads_prune(now=now)}


# ---------------------------------------------------------------- selectors


def job_list(*, user) -> QuerySet[Job]:
    """The viewer's own jobs, newest first (jobs are nobody else's business, whatever the viewer's roles)."""
    return Job.objects.filter(created_by=user).order_by("-id")


def job_get(*, user, pk) -> Job:
    from fazhi.core.permissions import job_actions

    try:
        job = Job.objects.select_related("created_by").get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if "view" not in job_actions(user=user, obj=job):
        raise NotFound()
    jobs_mark_lost([job])
    return job


def job_result_open(*, user, job: Job):
    """The job's result file, for its owner."""
    from fazhi.core.permissions import job_actions

    if "download" not in job_actions(user=user, obj=job) or not default_storage.exists(job.result_file):
        raise NotFound("结果文件不存在或已清理")
    return default_storage.open(job.result_file, "rb")
