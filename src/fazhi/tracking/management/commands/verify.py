from django.core.management.base import BaseCommand

from fazhi.tracking.models import TrackedItem
from fazhi.tracking.timeline import verify_chains


class Command(BaseCommand):
    help = "校验所有督办时间线的 SM3 哈希链，报告被篡改或删除的事件；有问题时退出码为 1"

    def handle(self, *args, **opts):
        items, events, problems = verify_chains(TrackedItem.objects.all())
        for p in problems:
            where = f"事项 {p.item_id}" + (f" 第 {p.seq} 个事件" if p.seq else "")
            self.stdout.write(f"{where}：{p.problem}")
        self.stdout.write(f"已校验 {items} 个事项、{events} 个事件，发现 {len(problems)} 处问题")
        if problems:
            raise SystemExit(1)
