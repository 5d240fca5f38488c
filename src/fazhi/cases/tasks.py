"""Background jobs of penalty cases, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task


@task()
def cases_check_all_task() -> dict:
    """The statutory checks over every case (set-based), then the 风险预警 items of the cases that changed."""
    from fazhi.cases.bulk_checks import cases_check_all
    from fazhi.cases.services import cases_stage_clocks_sync

    repaired = cases_stage_clocks_sync()
    return {**cases_check_all(), "stage_clocks_repaired": repaired}
