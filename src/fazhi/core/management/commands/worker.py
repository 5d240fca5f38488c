import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "后台任务进程：按计划执行期限扫描、提醒、统计等任务，并执行队列中的任务（PostgreSQL 上可同时运行多个）"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=settings.FAZHI["SCAN_INTERVAL_SECONDS"])
        parser.add_argument(
            "--once", action="store_true", help="把所有计划任务在本进程执行一次后退出（用于 cron 或测试）"
        )
        parser.add_argument(
            "--worker-id", default="", help="进程标识，在所有主机中必须唯一（默认：主机名-进程号-随机串）"
        )

    def handle(self, *args, **opts):
        if opts["once"]:
            from fazhi.core.schedule import run_all_now

            for path, result in run_all_now().items():
                self.stdout.write(f"{path}: {result}")
            return
        from fazhi.core import workers
        from fazhi.core.warmup import warm_all

        state = workers.WorkerState(worker_id=opts["worker_id"] or workers.worker_id_new())
        # Registered before the first task is claimed, so a task is never RUNNING under an unknown worker.
        workers.heartbeat_register(worker_id=state.worker_id)
        threads = [
            threading.Thread(target=workers.heartbeat_loop, args=(state,), daemon=True, name="heartbeat"),
            threading.Thread(target=workers.watchdog_loop, args=(state,), daemon=True, name="watchdog"),
            threading.Thread(
                target=workers.scheduler_loop,
                args=(state,),
                kwargs={"interval": opts["interval"]},
                daemon=True,
                name="scheduler",
            ),
        ]
        for thread in threads:
            thread.start()
        try:
            # jieba and the routing model, once, before the first task is claimed (the heartbeat runs meanwhile).
            warm_all()
            # No autoreloader: under DEBUG it would fork a second process with a second scheduler.
            call_command("db_worker", queue_name="*", interval=1, reload=False, worker_id=state.worker_id)
        finally:
            state.stop.set()
            for thread in threads:
                thread.join(timeout=5)
            workers.heartbeat_remove(worker_id=state.worker_id)
