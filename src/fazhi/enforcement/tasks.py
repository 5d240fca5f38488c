"""Background jobs of the enforcement app, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task

# ---------------------------------------------------------------- registry


@task()
def certificates_expiry_scan_task() -> dict:
    from fazhi.enforcement.services import certificates_expiry_scan

    return certificates_expiry_scan()


# ---------------------------------------------------------------- cases


@task()
def cases_check_all_task() -> dict:
    """The statutory checks over every case (set-based), then the 风险预警 items of the cases that changed."""
    from fazhi.enforcement.bulk_checks import cases_check_all
    from fazhi.enforcement.services import cases_stage_clocks_sync

    repaired = cases_stage_clocks_sync()
    return {**cases_check_all(), "stage_clocks_repaired": repaired}
