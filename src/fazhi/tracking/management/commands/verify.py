from django.core.management.base import BaseCommand

from fazhi.core.audit import CHAIN_LABELS, log_chain_verify
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.timeline import verify_chains

KIND_LABELS = {"broken": "断裂", "attachment": "附件不符", "key": "密钥不符"}


class Command(BaseCommand):
    help = (
        "校验所有督办时间线的哈希链（含附件文件内容）以及登录日志、操作日志的哈希链，逐项报告：正常 / 在第 N 个"
        "事件处断裂 / 附件不符 / 密钥不符，并比对每日外部锚点；有任何问题时退出码为 1。-v 2 时也列出正常的事项。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-files", action="store_true", help="不读取附件文件内容（只校验哈希链）")

    def handle(self, *args, **opts):
        failed = False
        items, events, problems = verify_chains(TrackedItem.objects.all(), check_files=not opts["no_files"], whole=True)
        by_item: dict[int | None, list] = {}
        for p in problems:
            by_item.setdefault(p.item_id, []).append(p)
        for p in by_item.pop(None, []):
            self.stdout.write(f"时间线（全部）：{KIND_LABELS[p.kind]}：{p.problem}")
        for item_id, found in sorted(by_item.items()):
            first = found[0]
            where = f"在第 {first.seq} 个事件处" if first.seq else "在末端"
            self.stdout.write(f"事项 {item_id}：{KIND_LABELS[first.kind]}，{where}")
            for p in found:
                self.stdout.write(f"  事项 {item_id}" + (f" 第 {p.seq} 个事件" if p.seq else "") + f"：{p.problem}")
        if opts["verbosity"] >= 2:
            broken = set(by_item)
            for item_id in TrackedItem.objects.order_by("id").values_list("id", flat=True).iterator():
                if item_id not in broken:
                    self.stdout.write(f"事项 {item_id}：正常")
        self.stdout.write(
            f"督办时间线：已校验 {items} 个事项、{events} 个事件，{items - len(by_item)} 个正常，"
            f"发现 {len(problems)} 处问题"
        )
        failed |= bool(problems)

        for chain in CHAIN_LABELS:
            report = log_chain_verify(chain=chain)
            purged = f"（第 {report.purged_through} 条及以前已按保存期限清理）" if report.purged_through else ""
            if report.status == "ok":
                self.stdout.write(f"{report.label}：正常，{report.entries} 条已入链、{report.pending} 条待入链{purged}")
                continue
            failed = True
            self.stdout.write(f"{report.label}：{KIND_LABELS[report.status]}{purged}")
            for problem in report.problems:
                self.stdout.write(f"  {report.label}：{problem}")

        from fazhi.tracking.anchors import anchors_verify

        anchored = anchors_verify()
        if anchored.problems:
            failed = True
            self.stdout.write(f"外部锚点：{len(anchored.problems)} 处与现有链不符（共 {anchored.anchors} 个锚点）")
            for problem in anchored.problems:
                self.stdout.write(f"  {problem}")
        else:
            self.stdout.write(f"外部锚点：正常，{anchored.anchors} 个锚点均与现有链一致")
        if failed:
            raise SystemExit(1)
