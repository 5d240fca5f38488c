"""Background job of 学法用法 (idempotent): collect and mark the papers whose time ran out."""

from django.tasks import task


@task()
def papers_time_out_task() -> dict:
    from fazhi.legalservices.study.services import papers_time_out

    return {"collected": papers_time_out()}
