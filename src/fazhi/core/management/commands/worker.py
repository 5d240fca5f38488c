import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def _schedule_forever(interval: int, stop: threading.Event) -> None:
    from django.db import close_old_connections

    from fazhi.core.schedule import enqueue_due

    while not stop.is_set():
        close_old_connections()
        enqueue_due()
        stop.wait(interval)


class Command(BaseCommand):
    help = "后台任务进程：按计划执行期限扫描、提醒、统计等任务，并执行队列中的任务"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=settings.FAZHI["SCAN_INTERVAL_SECONDS"])
        parser.add_argument(
            "--once", action="store_true", help="把所有计划任务在本进程执行一次后退出（用于 cron 或测试）"
        )

    def handle(self, *args, **opts):
        if opts["once"]:
            from fazhi.core.schedule import run_all_now

            for path, result in run_all_now().items():
                self.stdout.write(f"{path}: {result}")
            return
        stop = threading.Event()
        scheduler = threading.Thread(target=_schedule_forever, args=(opts["interval"], stop), daemon=True)
        scheduler.start()
        try:
            # No autoreloader: under DEBUG it would fork a second process with a second scheduler.
            call_command("db_worker", queue_name="*", interval=1, reload=False)
        finally:
            stop.set()
