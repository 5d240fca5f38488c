from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "fazhi.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from fazhi.complaints.permissions import register_permissions

        register_permissions()
        from fazhi.core.demo.build import register_demo_step

        register_demo_step("fazhi.complaints.demo.build_complaints", order=50)
        from fazhi.complaints import (
            hotline_import,  # noqa: F401  (registers the 12345 import with core's import job)
            tracking_kinds,  # noqa: F401  (registers the item kind)
        )
        from fazhi.complaints.schedule import register_complaint_jobs

        register_complaint_jobs()
        from fazhi.core.warmup import register

        # Loaded by `fazhi serve` / `fazhi worker` at start-up, not here (every command and test run passes here).
        register("routing", "fazhi.complaints.routing.warm")
