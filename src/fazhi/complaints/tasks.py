"""Background jobs of the complaints app, run by the database-backed worker (`fazhi worker`)."""

import imaplib
import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task()
def routing_train_task() -> dict:
    """Retrain the routing model from the confirmed assignments and the hotline orders."""
    from fazhi.complaints.routing import train

    return train()


@task()
def mail_poll_task() -> dict:
    """Take in the new messages of the complaint mailbox (exactly once each)."""
    from fazhi.complaints.mailbox import poll

    try:
        return poll()
    except (OSError, imaplib.IMAP4.error) as exc:
        logger.warning("complaint mailbox poll failed: %s", exc)
        return {"error": str(exc)}


@task()
def messages_send_task() -> int:
    """Retry the messages to complainants that the gateway could not send yet."""
    from fazhi.complaints.services import messages_send

    return messages_send()


@task()
def stats_refresh_task() -> dict:
    """Rebuild the monthly statistics rollup for the months that can still change."""
    from fazhi.complaints.services import stats_refresh

    return stats_refresh()
