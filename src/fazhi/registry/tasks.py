"""Background jobs of the registry, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task


@task()
def certificates_expiry_scan_task() -> dict:
    from fazhi.registry.services import certificates_expiry_scan

    return certificates_expiry_scan()
