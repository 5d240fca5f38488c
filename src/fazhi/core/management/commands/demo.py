from django.core.management.base import BaseCommand

from fazhi.core.demo.build import build_demo


class Command(BaseCommand):
    help = "构建示例市演示数据（幂等：已存在的数据不会重复创建）"

    def handle(self, *args, **opts):
        summary = build_demo()
        for line in summary:
            self.stdout.write(line)
