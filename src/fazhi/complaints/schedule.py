"""The complaints app's periodic jobs, registered with the worker's scheduler (fazhi.core.schedule)."""

from fazhi.core.schedule import register_periodic


def _mailbox_configured() -> bool:
    from fazhi.complaints.conf import conf

    return bool(conf()["IMAP_HOST"])


def _routing_model_stale() -> bool:
    from fazhi.complaints import routing
    from fazhi.complaints.conf import conf

    age = routing.model_age_hours()
    return age is None or age >= conf()["RETRAIN_HOURS"]


def register_complaint_jobs() -> None:
    from fazhi.complaints.tasks import mail_poll_task, messages_send_task, routing_train_task, stats_refresh_task

    register_periodic(mail_poll_task, when=_mailbox_configured)
    register_periodic(messages_send_task)
    register_periodic(stats_refresh_task)
    register_periodic(routing_train_task, when=_routing_model_stale)
