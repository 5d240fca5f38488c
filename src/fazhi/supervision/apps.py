from importlib import import_module

from django.apps import AppConfig

# The app is large, so each area is a package with the usual rooms (models, rules, permissions, services,
# selectors, forms, views, api, urls, tasks, demo, tests) and its own `setup.setup()`, called once from ready().
AREAS = ("supervisors", "reviews", "instruments", "accountability")


class SupervisionConfig(AppConfig):
    name = "fazhi.supervision"
    label = "supervision"
    verbose_name = "执法监督"

    def ready(self) -> None:
        from fazhi.supervision import links  # noqa: F401  (registers the link kinds of other apps)

        for area in AREAS:
            import_module(f"fazhi.supervision.{area}.setup").setup()
