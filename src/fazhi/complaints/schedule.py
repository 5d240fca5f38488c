"""What the worker's scheduler enqueues for the complaints app on every interval (worker.py calls this)."""

import datetime as dt

from django.utils import timezone


def _enqueue_once(task, suffix: str) -> None:
    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult.objects.filter(task_path__endswith=suffix)
    if not results.filter(status="READY").exists():
        task.enqueue()
    results.successful().filter(finished_at__lt=timezone.now() - dt.timedelta(days=1)).delete()


def complaints_schedule() -> None:
    from fazhi.complaints import routing
    from fazhi.complaints.conf import conf
    from fazhi.complaints.tasks import mail_poll_task, messages_send_task, routing_train_task

    if conf()["IMAP_HOST"]:
        _enqueue_once(mail_poll_task, "mail_poll_task")
    _enqueue_once(messages_send_task, "messages_send_task")
    age = routing.model_age_hours()
    if age is None or age >= conf()["RETRAIN_HOURS"]:
        _enqueue_once(routing_train_task, "routing_train_task")
