from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "fazhi.disputes"
    label = "disputes"
    verbose_name = "争议化解"

    def ready(self) -> None:
        from fazhi.disputes.permissions import register_permissions

        register_permissions()
        from fazhi.core.demo.build import register_demo_step

        register_demo_step("fazhi.disputes.demo.build_disputes", order=55)
        from fazhi.disputes import tracking_kinds  # noqa: F401  (registers the item kinds)
        from fazhi.disputes.tasks import register_dispute_jobs

        register_dispute_jobs()
        # The case page and the agency page show what disputes hold about them, without importing this app.
        from fazhi.cases.related import register_related
        from fazhi.disputes.selectors import agency_dispute_figures, case_related_records
        from fazhi.registry.related import register_agency_figures

        register_related(case_related_records)
        register_agency_figures(agency_dispute_figures)
        # The annual information-disclosure report (requests app) counts the disputes about disclosure.
        from fazhi.disputes.selectors import disclosure_dispute_counts
        from fazhi.requests.registry import register_disclosure_dispute_counter

        register_disclosure_dispute_counter(disclosure_dispute_counts)
        # 附带审查: the rule-making module owns the review and its clocks and tells the result back.
        from fazhi.disputes.services import normative_review_concluded
        from fazhi.rulemaking.signals import incidental_review_concluded

        incidental_review_concluded.connect(normative_review_concluded, dispatch_uid="disputes-normative-concluded")
        # A calendar change moves the clocks; the deadlines the records keep follow them.
        from fazhi.disputes.services import deadline_copies_refresh
        from fazhi.tracking.signals import clocks_moved

        clocks_moved.connect(deadline_copies_refresh, dispatch_uid="disputes-deadline-copies")
