import datetime as dt

from django.apps import AppConfig


class RulemakingConfig(AppConfig):
    name = "fazhi.rulemaking"
    label = "rulemaking"
    verbose_name = "依法决策"

    def ready(self) -> None:
        from fazhi.rulemaking.permissions import register_permissions

        register_permissions()
        from fazhi.core.demo.build import register_demo_step

        register_demo_step("fazhi.rulemaking.demo.build", order=56)
        from fazhi.core.schedule import register_periodic
        from fazhi.rulemaking import tracking_kinds  # noqa: F401  (registers the item kinds)
        from fazhi.rulemaking.tasks import validity_scan_task

        register_periodic(validity_scan_task, every=dt.timedelta(hours=6))
        # 附带审查 recorded in a reconsideration (disputes app) is received here, inside the sender's transaction.
        from fazhi.disputes.signals import normative_review_requested
        from fazhi.rulemaking.services import incidental_review_from_reconsideration

        normative_review_requested.connect(incidental_review_from_reconsideration, dispatch_uid="rulemaking-incidental")
