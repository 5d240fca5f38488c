from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "fazhi.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def ready(self) -> None:
        from fazhi.enforcement.permissions import register_permissions

        register_permissions()
        from fazhi.core.demo.build import register_demo_step

        register_demo_step("fazhi.enforcement.demo.build_registry", order=20)
        register_demo_step("fazhi.enforcement.demo_cases.build_cases", order=40)
        import datetime as dt

        from fazhi.core.schedule import register_periodic
        from fazhi.enforcement import tracking_kinds  # noqa: F401  (registers the item kinds)
        from fazhi.enforcement.tasks import cases_check_all_task, certificates_expiry_scan_task

        register_periodic(certificates_expiry_scan_task)
        # Open cases cross their limits as days pass without any save: re-check all of them daily.
        register_periodic(cases_check_all_task, every=dt.timedelta(hours=24))
