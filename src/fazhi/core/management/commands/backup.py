from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.backup import backup_remove_partial, backup_write
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）与文件存储中的全部文件，附 SM3 校验清单"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录：新目录或空目录")

    def handle(self, *args, **opts):
        target = Path(opts["directory"])
        created = not target.exists()
        try:
            manifest = backup_write(target=target)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except BaseException:
            if created:
                backup_remove_partial(target)
            raise
        self.stdout.write(
            f"已备份数据库（{manifest['database']['file']}）与 {len(manifest['files'])} 个文件到 {target}"
        )
