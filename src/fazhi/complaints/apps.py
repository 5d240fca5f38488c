from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "fazhi.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from fazhi.complaints import tracking_kinds  # noqa: F401  (registers the item kind)
        from fazhi.complaints.schedule import register_complaint_jobs

        register_complaint_jobs()
