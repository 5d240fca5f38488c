import os

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "以生产服务器（gunicorn）运行：默认 127.0.0.1:$PORT（8000）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", default=os.environ.get("WEB_WORKERS", "3"))

    def handle(self, *args, **opts):
        from gunicorn.app.wsgiapp import run

        argv = [
            "gunicorn",
            "fazhi.wsgi:application",
            "--bind",
            f"{opts['host']}:{opts['port']}",
            "--workers",
            str(opts["workers"]),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
            # when_ready: jieba and the routing model load once in the master, before the workers fork.
            "--config",
            "python:fazhi.core.gunicorn_conf",
        ]
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            # SQLite serialises writers; threads in few processes keep lock waits short.
            argv += ["--threads", "4"]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
        import sys

        sys.argv = argv
        run()
