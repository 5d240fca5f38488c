from importlib import import_module

from django.apps import AppConfig

# Each area is a package with the usual rooms (models, rules, permissions, services, selectors, forms, views, api,
# urls, tasks, demo, tests) and its own `setup.setup()`, called once from ready() (as in the supervision app).
AREAS = ("scoring", "dashboard", "oversight", "reports")


class AssessmentConfig(AppConfig):
    name = "fazhi.assessment"
    label = "assessment"
    verbose_name = "法治建设考核"

    def ready(self) -> None:
        for area in AREAS:
            import_module(f"fazhi.assessment.{area}.setup").setup()
