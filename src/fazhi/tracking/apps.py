from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "fazhi.tracking"
    label = "tracking"
    verbose_name = "督办"

    def ready(self) -> None:
        from fazhi.tracking.permissions import register_permissions

        register_permissions()
        from fazhi.core.demo.build import register_demo_step

        register_demo_step("fazhi.tracking.demo.build_tasks", order=10)
        import datetime as dt

        from fazhi.core.schedule import register_periodic
        from fazhi.tracking.tasks import (
            chains_anchor_task,
            recompute_deadlines_on_calendar_change,
            scan_deadlines_task,
        )
        from fazhi.workdays.signals import calendar_changed

        register_periodic(scan_deadlines_task)
        register_periodic(chains_anchor_task, every=dt.timedelta(hours=24))
        calendar_changed.connect(recompute_deadlines_on_calendar_change, dispatch_uid="tracking-recompute")
