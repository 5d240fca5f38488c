from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "fazhi.inspections"
    label = "inspections"
    verbose_name = "双随机、一公开"

    def ready(self) -> None:
        from fazhi.inspections.permissions import register_permissions

        register_permissions()
        from fazhi.core.demo.build import register_demo_step

        register_demo_step("fazhi.inspections.demo.build_inspections", order=30)
        from fazhi.core.schedule import register_periodic
        from fazhi.inspections import (
            imports,  # noqa: F401  (registers the enterprise import job)
            tracking_kinds,  # noqa: F401  (registers the item kinds)
        )
        from fazhi.inspections.tasks import burden_scan_task

        register_periodic(burden_scan_task)
