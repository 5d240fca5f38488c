from importlib import import_module

from django.apps import AppConfig

# Each area is a package with the usual rooms (models, rules, permissions, services, selectors, forms, views, api,
# urls, tasks, demo, tests) and its own `setup.setup()`, called once from ready() (as in the supervision app).
AREAS = ("mediation", "advisers", "outreach", "study")


class LegalservicesConfig(AppConfig):
    name = "fazhi.legalservices"
    label = "legalservices"
    verbose_name = "公共法律服务与普法"

    def ready(self) -> None:
        for area in AREAS:
            import_module(f"fazhi.legalservices.{area}.setup").setup()
