import datetime as dt
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone


def _schedule_forever(interval: int, stop: threading.Event) -> None:
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    from fazhi.enforcement.tasks import certificates_expiry_scan_task
    from fazhi.tracking.tasks import scan_deadlines_task

    while not stop.is_set():
        close_old_connections()
        # Enqueue a scan only if none is waiting, so a slow worker never piles them up.
        waiting = DBTaskResult.objects.filter(
            task_path__endswith="scan_deadlines_task", status="READY"
        ).exists()
        if not waiting:
            scan_deadlines_task.enqueue()
        # 执法证到期提醒 (enforcement registry), on the same schedule and with the same clean-up.
        cert_scans = DBTaskResult.objects.filter(task_path__endswith="certificates_expiry_scan_task")
        if not cert_scans.filter(status="READY").exists():
            certificates_expiry_scan_task.enqueue()
        cert_scans.successful().filter(finished_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
        # 投诉举报: poll the complaint mailbox, retry messages to complainants, retrain routing when stale.
        from fazhi.complaints.schedule import complaints_schedule

        complaints_schedule()
        # 涉企检查频次: one summary notice to supervisors when enterprises pass the yearly threshold (deduplicated).
        from fazhi.inspections.tasks import burden_scan_task

        burden_scans = DBTaskResult.objects.filter(task_path__endswith="burden_scan_task")
        if not burden_scans.filter(status="READY").exists():
            burden_scan_task.enqueue()
        burden_scans.successful().filter(finished_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
        # One finished scan per interval would pile up forever; keep a day of them for the record.
        DBTaskResult.objects.successful().filter(
            task_path__endswith="scan_deadlines_task", finished_at__lt=timezone.now() - dt.timedelta(days=1)
        ).delete()
        stop.wait(interval)


class Command(BaseCommand):
    help = "后台任务进程：按计划扫描期限并发送提醒，执行队列中的任务"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=settings.FAZHI["SCAN_INTERVAL_SECONDS"])
        parser.add_argument("--once", action="store_true", help="扫描一次后退出（用于 cron 或测试）")

    def handle(self, *args, **opts):
        if opts["once"]:
            from fazhi.enforcement.services import certificates_expiry_scan
            from fazhi.tracking.reminders import scan_deadlines

            self.stdout.write(str(scan_deadlines()))
            self.stdout.write(str(certificates_expiry_scan()))
            return
        stop = threading.Event()
        scheduler = threading.Thread(target=_schedule_forever, args=(opts["interval"], stop), daemon=True)
        scheduler.start()
        try:
            # No autoreloader: under DEBUG it would fork a second process with a second scheduler.
            call_command("db_worker", queue_name="*", interval=1, reload=False)
        finally:
            stop.set()
