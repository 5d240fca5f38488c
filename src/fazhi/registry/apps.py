from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "fazhi.registry"
    label = "registry"
    verbose_name = "执法主体与人员"

    def ready(self) -> None:
        from fazhi.core.demo.build import register_demo_step
        from fazhi.core.schedule import register_periodic
        from fazhi.registry import (
            imports,  # noqa: F401  (registers the importers with the import job)
            tracking_kinds,  # noqa: F401  (registers the item kinds)
        )
        from fazhi.registry.permissions import register_permissions
        from fazhi.registry.tasks import certificates_expiry_scan_task

        register_permissions()
        register_demo_step("fazhi.registry.demo.build_registry", order=20)
        register_periodic(certificates_expiry_scan_task)
