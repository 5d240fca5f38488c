"""Background jobs of the disputes app, run by the worker (`fazhi worker`)."""

import datetime as dt

from django.tasks import task


@task()
def reconsiderations_deem_task() -> dict:
    """Daily: applications whose review period passed without a refusal are deemed accepted (《行政复议法》第三十条
    第三款); those whose correction period passed without the materials are deemed abandoned (第三十一条第二款)."""
    from fazhi.disputes.services import reconsiderations_deem

    return reconsiderations_deem()


def register_dispute_jobs() -> None:
    from fazhi.core.schedule import register_periodic

    register_periodic(reconsiderations_deem_task, every=dt.timedelta(hours=1))
