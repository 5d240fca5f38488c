"""This area's part of SupervisionConfig.ready(): permissions, tracking kinds, the "review_file" link kind, the
"案卷评查" duty source of invited supervisors, and the demo step (order 61)."""


def setup() -> None:
    from fazhi.core.demo.build import register_demo_step
    from fazhi.supervision.duties import DutySource, register_duty_source
    from fazhi.supervision.links import LinkKind, register_link_kind
    from fazhi.supervision.reviews import selectors, tracking_kinds  # noqa: F401  (registers the item kinds)
    from fazhi.supervision.reviews.permissions import register_permissions

    register_permissions()
    register_link_kind(LinkKind("review_file", "评查案卷", selectors.link_resolve))
    register_duty_source(DutySource("reviews", "案卷评查", selectors.duty_rows, selectors.duty_done_counts))
    register_demo_step("fazhi.supervision.reviews.demo.build", order=61)
