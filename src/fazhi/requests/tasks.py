"""Background jobs of the requests app (registered in `RequestsConfig.ready`)."""

from django.tasks import task


@task()
def disclosure_lapse_task() -> dict:
    """Daily: requests whose 补正 period ran out without a correction are deemed abandoned (第三十条); consultations
    whose 15 working days ran out without an opinion end (第三十二条、第三十四条)."""
    from fazhi.requests.services import disclosure_consultation_lapse, disclosure_lapse

    return {"abandoned": disclosure_lapse(), "consultations_ended": disclosure_consultation_lapse()}
