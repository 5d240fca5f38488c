"""Background jobs of 依法决策, run by the database-backed worker (`fazhi worker`)."""

from django.tasks import task


@task()
def validity_scan_task() -> dict:
    """Normative documents: reminders six months before their validity ends; expired ones marked so."""
    from fazhi.rulemaking.services import normative_validity_scan

    return normative_validity_scan()
