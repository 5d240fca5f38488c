import datetime as dt

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fazhi.cases"
    label = "cases"
    verbose_name = "行政处罚案件"

    def ready(self) -> None:
        from fazhi.cases import (
            imports,  # noqa: F401  (registers the case importer, for the import pages and the worker's jobs)
            tracking_kinds,  # noqa: F401  (registers the item kinds)
        )
        from fazhi.cases.bulk_checks import JOB_KIND, JOB_LABEL, cases_check_job
        from fazhi.cases.permissions import register_permissions
        from fazhi.cases.tasks import cases_check_all_task
        from fazhi.core.demo.build import register_demo_step
        from fazhi.core.jobs import register_job_kind
        from fazhi.core.schedule import register_periodic

        register_permissions()
        register_demo_step("fazhi.cases.demo.build_cases", order=40)
        # 风险预警 page / POST /cases/check-all: the same bulk check, now, as a job with progress (我的任务).
        register_job_kind(JOB_KIND, label=JOB_LABEL, run=cases_check_job)
        # Open cases cross their limits as days pass without any save: re-check all of them daily.
        register_periodic(cases_check_all_task, every=dt.timedelta(hours=24))
