"""This area's part of AssessmentConfig.ready(): permissions, demo step, tracking kind, periodic jobs."""

import datetime as dt


def setup() -> None:
    from fazhi.assessment.reports import tracking_kinds  # noqa: F401  (registers the item kind)
    from fazhi.assessment.reports.permissions import register_permissions
    from fazhi.assessment.reports.tasks import annual_drafts_task, bulletin_drafts_task
    from fazhi.core.demo.build import register_demo_step
    from fazhi.core.schedule import register_periodic

    register_permissions()
    register_demo_step("fazhi.assessment.reports.demo.build", order=92)
    register_periodic(bulletin_drafts_task, every=dt.timedelta(hours=6))
    register_periodic(annual_drafts_task, every=dt.timedelta(hours=12))
    from fazhi.assessment.reports.jobs import JOB_KIND, report_job_run
    from fazhi.core.jobs import register_job_kind

    register_job_kind(JOB_KIND, label="生成通报或年度报告", run=report_job_run)
