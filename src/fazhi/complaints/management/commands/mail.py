import imaplib

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "投诉邮箱：fazhi mail poll 读取新邮件并登记为投诉（每封一次）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["poll"])

    def handle(self, *args, action, **opts):
        from fazhi.complaints.mailbox import poll

        try:
            result = poll()
        except (OSError, imaplib.IMAP4.error) as exc:
            raise CommandError(f"无法读取投诉邮箱：{exc}") from None
        if not result["configured"]:
            self.stdout.write("未配置投诉邮箱（COMPLAINT_IMAP_HOST 等环境变量）")
            return
        self.stdout.write(f"新登记投诉 {result['created']} 件，跳过已登记邮件 {result['skipped']} 封")
