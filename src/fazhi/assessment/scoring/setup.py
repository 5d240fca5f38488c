"""This area's part of AssessmentConfig.ready(): permissions, the built-in computed indicators, demo step."""


def setup() -> None:
    from fazhi.assessment.scoring.permissions import register_permissions
    from fazhi.assessment.scoring.sources import register_builtin
    from fazhi.core.demo.build import register_demo_step

    register_permissions()
    register_builtin()
    register_demo_step("fazhi.assessment.scoring.demo.build", order=90)
