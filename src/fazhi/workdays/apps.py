from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "fazhi.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from fazhi.workdays.permissions import register_permissions

        register_permissions()
        # Registers the holiday-schedule importer with the generic Excel import pages of core.
        from fazhi.workdays import imports  # noqa: F401
