from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "fazhi.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        # Registers the holiday-schedule importer with the generic Excel import pages of core.
        from fazhi.workdays import imports  # noqa: F401
