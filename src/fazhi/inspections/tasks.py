"""Background jobs of the inspections app, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task


@task()
def burden_tallies_rebuild_task() -> int:
    """Recompute the yearly burden tallies from the records (set-based; after a bulk load of records)."""
    from fazhi.inspections.services import burden_tallies_rebuild

    return burden_tallies_rebuild()


@task()
def burden_scan_task() -> int:
    """One summary notice to the supervisors when enterprises are above the yearly burden threshold."""
    from fazhi.inspections.services import burden_scan

    return burden_scan()
