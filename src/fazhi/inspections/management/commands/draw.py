"""`fazhi draw verify <id>`: re-run a published draw from its published data and check every hash.

`fazhi draw verify --file verification.json` does the same offline, from the JSON that
GET /api/v1/draws/{id}/verification returns (no database needed for the check itself).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.errors import NotFound
from fazhi.inspections import draw as draw_algo
from fazhi.inspections import selectors


class Command(BaseCommand):
    help = "核验双随机抽取：按公布的种子和名录重新抽取，核对承诺值和各哈希"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("draw_id", nargs="?", type=int)
        parser.add_argument("--file", help="由 /api/v1/draws/{id}/verification 下载的 JSON 文件")

    def handle(self, *args, action, draw_id=None, file=None, **options):
        if file:
            with open(file, encoding="utf-8") as fh:
                data = json.load(fh)
            ok, problems = draw_algo.verify(data)
            label = f"文件 {file}"
        elif draw_id is not None:
            try:
                draw = selectors.public_draw_get(pk=draw_id)
            except NotFound:
                raise CommandError(f"第 {draw_id} 次抽取不存在或其计划未公示") from None
            ok, problems = selectors.draw_verify(draw=draw)
            label = f"第 {draw_id} 次抽取（{draw.plan.name} / {draw.item.name}）"
        else:
            raise CommandError("请给出抽取编号，或用 --file 指定核验数据文件")
        if ok:
            self.stdout.write(self.style.SUCCESS(f"{label}：核验通过"))
            return
        for p in problems:
            self.stderr.write(f"  - {p}")
        raise CommandError(f"{label}：核验不通过")
