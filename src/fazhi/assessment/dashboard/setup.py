"""This area's part of AssessmentConfig.ready(): permissions and the job that keeps the figures warm."""


def setup() -> None:
    import datetime as dt

    from fazhi.assessment.dashboard.permissions import register_permissions
    from fazhi.assessment.dashboard.rules import WARM_MINUTES
    from fazhi.assessment.dashboard.tasks import dashboard_warm_task
    from fazhi.core.home import register_home
    from fazhi.core.schedule import register_periodic

    register_permissions()
    register_home("leader", "assessment:dashboard:home")
    register_periodic(dashboard_warm_task, every=dt.timedelta(minutes=WARM_MINUTES))
