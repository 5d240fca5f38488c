from django.apps import AppConfig


class RequestsConfig(AppConfig):
    """Deputies' suggestions, CPPCC proposals and information disclosure on request. The package is
    `fazhi.requests` (never imported as plain `requests`, the HTTP library's name); the label is "requests"."""

    name = "fazhi.requests"
    label = "requests"
    verbose_name = "建议提案与依申请公开"

    def ready(self) -> None:
        from fazhi.requests.permissions import register_permissions

        register_permissions()
        from fazhi.core.demo.build import register_demo_step

        register_demo_step("fazhi.requests.demo.build_requests", order=57)
        import datetime as dt

        from fazhi.core.schedule import register_periodic
        from fazhi.requests import (
            imports,  # noqa: F401  (registers the Excel import of suggestions and proposals)
            tracking_kinds,  # noqa: F401  (registers the item kinds and the desk sections)
        )
        from fazhi.requests.tasks import disclosure_lapse_task

        register_periodic(disclosure_lapse_task, every=dt.timedelta(hours=6))
