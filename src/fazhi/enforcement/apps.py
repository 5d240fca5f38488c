from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    """The former enforcement app, split into `registry` and `cases`. It keeps only its migrations: databases
    made by the old code apply them up to the one that hands its tables to the two new apps (0006, 0007)."""

    name = "fazhi.enforcement"
    label = "enforcement"
    verbose_name = "行政执法（已拆分为 registry 与 cases）"
