from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.backup import backup_restore
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = "从 fazhi backup 的备份目录恢复：先核对 SM3 清单，只写入空数据库；完成后请运行 fazhi verify"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="fazhi backup 写出的备份目录")

    def handle(self, *args, **opts):
        try:
            result = backup_restore(source=Path(opts["directory"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已恢复数据库（{result['database']}）与 {result['files']} 个文件；请运行 fazhi verify 校验")
