import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def _schedule_forever(interval: int, stop: threading.Event) -> None:
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    from fazhi.tracking.tasks import scan_deadlines_task

    while not stop.is_set():
        close_old_connections()
        # Enqueue a scan only if none is waiting, so a slow worker never piles them up.
        waiting = DBTaskResult.objects.filter(
            task_path__endswith="scan_deadlines_task", status="READY"
        ).exists()
        if not waiting:
            scan_deadlines_task.enqueue()
        stop.wait(interval)


class Command(BaseCommand):
    help = "后台任务进程：按计划扫描期限并发送提醒，执行队列中的任务"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=settings.FAZHI["SCAN_INTERVAL_SECONDS"])
        parser.add_argument("--once", action="store_true", help="扫描一次后退出（用于 cron 或测试）")

    def handle(self, *args, **opts):
        if opts["once"]:
            from fazhi.tracking.reminders import scan_deadlines

            self.stdout.write(str(scan_deadlines()))
            return
        stop = threading.Event()
        scheduler = threading.Thread(target=_schedule_forever, args=(opts["interval"], stop), daemon=True)
        scheduler.start()
        try:
            call_command("db_worker", queue_name="*", interval=1)
        finally:
            stop.set()
            time.sleep(0)
