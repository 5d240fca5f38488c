"""Background jobs (我的任务): queued → running → done or failed, throttled progress, the worker running the
task, and nobody but the starter seeing a job."""

import pytest
from django_tasks_db.models import DBTaskResult

from fazhi.core import jobs
from fazhi.core.errors import DomainError
from fazhi.core.models import Job

pytestmark = pytest.mark.django_db

KIND = "test_job"
seen: dict = {}


def _work(job, params):
    """A job of the test kind: reports progress, records what the job row said meanwhile, then does as told."""
    jobs.job_progress(job, 1, 3, "第一步")
    seen["during"] = Job.objects.values_list("status", "done", "total", "message").get(pk=job.pk)
    if params.get("raise") == "domain":
        raise DomainError("导入文件已失效，请重新上传", field="file")
    if params.get("raise") == "bug":
        raise RuntimeError("boom")
    if params.get("fail"):
        return jobs.Outcome(ok=False, message="校验未通过", summary={"messages": ["第 2 行“名称”：必填"]}, file=b"PK")
    return jobs.Outcome(message="完成 3 条", summary={"count": 3})


@pytest.fixture(autouse=True)
def test_kind():
    jobs.register_job_kind(KIND, label="测试任务", run=_work)
    seen.clear()
    yield
    jobs.JOB_KINDS.pop(KIND, None)


def run_queued() -> list[DBTaskResult]:
    """What `fazhi worker` does with each waiting task: claim it and run it (django-tasks-db's own Worker; its
    loop is not used because it closes the connection, which would end the test's transaction)."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = []
    while (result := DBTaskResult.objects.ready().get_locked()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        ran.append(result)
    return ran


def _start(user, django_capture_on_commit_callbacks, **params) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        return jobs.job_start(KIND, by=user, params=params)


def test_a_job_is_queued_then_the_worker_runs_it_to_done(users, django_capture_on_commit_callbacks):
    job = _start(users["agency"], django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.QUEUED and job.label == "测试任务" and job.unit_id == users["agency"].unit_id
    assert job.task_id and DBTaskResult.objects.get(pk=job.task_id).status == "READY"

    ran = run_queued()

    assert [r.task_path for r in ran] == ["fazhi.core.tasks.job_run_task"] and ran[0].status == "SUCCESSFUL"
    assert seen["during"] == ("running", 1, 3, "第一步")
    job.refresh_from_db()
    assert job.status == Job.DONE and job.message == "完成 3 条" and job.result == {"count": 3}
    assert job.done == 3 and job.percent == 100 and job.started_at and job.finished_at and job.error == ""
    # A task run again (re-queued after a lost worker) leaves the finished job as it is.
    assert jobs.job_run(job.pk) == Job.DONE and "during" in seen


def test_a_job_is_not_queued_before_its_row_is_committed(users):
    jobs.job_start(KIND, by=users["agency"], params={})
    assert not DBTaskResult.objects.exists()  # the worker would not find the job yet


def test_an_exception_fails_the_job_with_a_chinese_message(users, django_capture_on_commit_callbacks):
    bug = _start(users["agency"], django_capture_on_commit_callbacks, **{"raise": "bug"})
    bad_input = _start(users["agency"], django_capture_on_commit_callbacks, **{"raise": "domain"})
    results = {r.args_kwargs["args"][0]: r for r in run_queued()}

    bug.refresh_from_db()
    assert bug.status == Job.FAILED and "RuntimeError" in bug.error and "请重新提交" in bug.error
    assert bug.finished_at is not None
    assert results[bug.pk].status == "FAILED"  # the task keeps the traceback for the operator
    bad_input.refresh_from_db()
    assert bad_input.status == Job.FAILED and bad_input.error == "导入文件已失效，请重新上传"


def test_a_failed_outcome_keeps_its_messages_and_file(users, django_capture_on_commit_callbacks):
    job = jobs.job_start(KIND, by=users["agency"], params={"fail": True}, run_now=True)
    assert job.status == Job.FAILED and job.error == "校验未通过"
    assert job.result["messages"] == ["第 2 行“名称”：必填"] and job.result_file
    with jobs.job_result_open(user=users["agency"], job=job) as fh:
        assert fh.read() == b"PK"


def test_progress_is_written_at_most_every_half_second(users, monkeypatch):
    now = [100.0]
    monkeypatch.setattr(jobs, "_clock", lambda: now[0])
    job = Job.objects.create(kind=KIND, label="测试任务", created_by=users["agency"])

    assert jobs.job_progress(job, 10, 1000, "a")
    now[0] += 0.2
    assert not jobs.job_progress(job, 20, 1000, "b")
    assert Job.objects.get(pk=job.pk).done == 10
    now[0] += 0.4
    assert jobs.job_progress(job, 30, 1000, "c")
    now[0] += 0.1
    assert jobs.job_progress(job, 1000, 1000, "last")  # the last step always
    assert Job.objects.values_list("done", "total", "message").get(pk=job.pk) == (1000, 1000, "last")


def test_a_job_whose_worker_was_lost_is_shown_failed(users, django_capture_on_commit_callbacks):
    job = _start(users["agency"], django_capture_on_commit_callbacks)
    job.refresh_from_db()
    Job.objects.filter(pk=job.pk).update(status=Job.RUNNING)
    DBTaskResult.objects.filter(pk=job.task_id).update(status="FAILED")
    job = jobs.job_get(user=users["agency"], pk=job.pk)
    assert job.status == Job.FAILED and job.error == jobs.LOST_MESSAGE


# ---------------------------------------------------------------- pages, API, permissions


def test_the_owner_follows_the_job_and_nobody_else_sees_it(users, login_as):
    job = jobs.job_start(KIND, by=users["agency"], params={"fail": True}, run_now=True)
    mine = login_as("agency")
    page = mine.get("/jobs/").content.decode()
    assert f"/jobs/{job.pk}/" in page and "测试任务" in page
    page = mine.get(f"/jobs/{job.pk}/").content.decode()
    assert "校验未通过" in page and "必填" in page and "every 2s" not in page  # finished: no more polling
    assert mine.get(f"/jobs/{job.pk}/download/").status_code == 200
    api = mine.get(f"/api/v1/jobs/{job.pk}").json()
    assert api["status"] == "failed" and api["status_label"] == "失败" and api["has_file"]
    assert [j["id"] for j in mine.get("/api/v1/jobs").json()] == [job.pk]

    other = login_as("supervisor")  # sees every unit's cases, still not another's jobs
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/", f"/api/v1/jobs/{job.pk}"):
        assert other.get(url).status_code == 404, url
    assert other.get("/api/v1/jobs").json() == []
    assert "测试任务" not in other.get("/jobs/").content.decode()


def test_a_running_job_page_polls_and_shows_progress(users, login_as):
    job = Job.objects.create(kind=KIND, label="测试任务", created_by=users["agency"], status=Job.RUNNING)
    jobs.job_progress(job, 250, 1000, "正在校验：250 / 1000 行")
    c = login_as("agency")
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and 'value="250"' in page and "25%" in page
    partial = c.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith("<div") and "<html" not in partial and "正在校验" in partial


def test_my_jobs_is_in_every_users_menu(login_as):
    assert 'href="/jobs/"' in login_as("officer").get("/jobs/").content.decode()


def test_old_finished_jobs_and_stale_uploads_are_pruned_running_ones_kept(
    users, settings, django_capture_on_commit_callbacks
):
    import datetime as dt
    import os

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    settings.FAZHI = {**settings.FAZHI, "JOB_RETENTION_DAYS": 30}
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        old = jobs.job_start(KIND, by=users["supervisor"], params={"fail": True})
    run_queued()
    old.refresh_from_db()
    assert old.result_file and default_storage.exists(old.result_file)
    Job.objects.filter(pk=old.pk).update(finished_at=now - dt.timedelta(days=31))
    recent = jobs.job_start(KIND, by=users["supervisor"], params={})
    Job.objects.filter(pk=recent.pk).update(status=Job.DONE, finished_at=now - dt.timedelta(days=29))
    waiting = jobs.job_start(KIND, by=users["supervisor"], params={})  # queued for ever: never pruned
    Job.objects.filter(pk=waiting.pk).update(created_at=now - dt.timedelta(days=400))
    upload = default_storage.save(f"imports/{users['supervisor'].pk}/stale.xlsx", ContentFile(b"PK"))

    two_days_ago = (now - dt.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(upload), (two_days_ago, two_days_ago))

    result = jobs.jobs_prune(now=now)
    assert result["jobs"] == 1 and result["files"] == 1 and result["uploads"] >= 1
    assert not Job.objects.filter(pk=old.pk).exists() and not default_storage.exists(old.result_file)
    assert set(Job.objects.filter(pk__in=[recent.pk, waiting.pk]).values_list("pk", flat=True)) == {
        recent.pk,
        waiting.pk,
    }
    assert not default_storage.exists(upload)
