from django.core.management.base import BaseCommand

from fazhi.core.demo.build import build_demo, demo_allowed


class Command(BaseCommand):
    help = "构建示例市演示数据（幂等）。只写入内置的默认 SQLite 数据库；其他数据库须明确加 --force"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="在 DATABASE_URL 指定的数据库中也加载演示数据（含公开的演示密码，切勿用于生产库）",
        )

    def handle(self, *args, force=False, **opts):
        if not demo_allowed() and not force:
            # `make run` calls this on every start: against a real database it must load nothing.
            self.stdout.write("未加载演示数据：DATABASE_URL 指向外部数据库。确需加载请运行 fazhi demo --force")
            return
        for line in build_demo():
            self.stdout.write(line)
