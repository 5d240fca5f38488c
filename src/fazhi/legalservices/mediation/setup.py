"""This area's part of LegalservicesConfig.ready(): permissions, demo step, tracking kind, importer."""


def setup() -> None:
    from fazhi.core.demo.build import register_demo_step
    from fazhi.legalservices.mediation import imports, tracking_kinds  # noqa: F401  (register the importer, the kind)
    from fazhi.legalservices.mediation.permissions import register_permissions

    register_permissions()
    register_demo_step("fazhi.legalservices.mediation.demo.build", order=70)
