from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "投诉分办模型：fazhi routing train 重新训练；fazhi routing suggest 文本 试算建议"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["train", "suggest"])
        parser.add_argument("text", nargs="?", default="")

    def handle(self, *args, action, text, **opts):
        from fazhi.complaints import routing

        if action == "train":
            result = routing.train()
            self.stdout.write(
                f"训练完成：{result['samples']} 条历史分办，{result['agencies']} 个单位，"
                f"权责清单覆盖 {result['power_agencies']} 个执法主体，用时 {result['seconds']} 秒；"
                f"模型文件 {result['path']}"
            )
            return
        if not text:
            raise CommandError("请给出投诉文本")
        for s in routing.suggest(text):
            self.stdout.write(f"{s.score:.3f} {s.agency}（{s.category}）：{'；'.join(s.reasons)}")
