"""`fazhi review_sample_verify <campaign id>`: re-run a case-file review's drawn sample from its published data and
check every hash and the commitment (like `fazhi draw verify`).

`fazhi review_sample_verify --file sample.json` does the same offline, from the JSON that
GET /api/v1/supervision/reviews/campaigns/{id}/sample returns (no database needed for the check itself).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from fazhi.supervision.reviews import sampling, selectors
from fazhi.supervision.reviews.models import Campaign


class Command(BaseCommand):
    help = "核验案卷评查抽样：按公布的种子、候选名录和参数重新抽取，核对承诺值和各哈希"

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", nargs="?", type=int)
        parser.add_argument("--file", help="由 /api/v1/supervision/reviews/campaigns/{id}/sample 下载的 JSON 文件")

    def handle(self, *args, campaign_id=None, file=None, **options):
        if file:
            with open(file, encoding="utf-8") as fh:
                data = json.load(fh)
            if not data.get("seed"):
                raise CommandError(f"文件 {file} 中没有随机种子：抽取之前无法核验")
            ok, problems = sampling.verify(data)
            label = f"文件 {file}"
        elif campaign_id is not None:
            campaign = Campaign.objects.filter(pk=campaign_id).first()
            if campaign is None:
                raise CommandError(f"评查活动 {campaign_id} 不存在")
            ok, problems = selectors.sample_verify(campaign=campaign)
            if ok is None:
                raise CommandError(f"评查活动 {campaign_id}（{campaign.name}）尚未抽取：抽取之前随机种子保密，无法核验")
            label = f"评查活动 {campaign_id}（{campaign.name}）"
        else:
            raise CommandError("请给出评查活动编号，或用 --file 指定核验数据文件")
        if ok:
            self.stdout.write(self.style.SUCCESS(f"{label}：抽样核验通过"))
            return
        for p in problems:
            self.stderr.write(f"  - {p}")
        raise CommandError(f"{label}：抽样核验不通过")
