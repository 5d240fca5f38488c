"""Background job of 领导驾驶舱: keep the jurisdiction-wide figures warm, so that a leader's page is a cache read."""

from django.tasks import task


@task()
def dashboard_warm_task() -> dict:
    """Rebuild the 全部-scope dashboard of this year for the first leader found (the figures do not depend on
    which one: the key of that scope names no user)."""
    from fazhi.assessment.dashboard.selectors import dashboard_warm

    return dashboard_warm()
