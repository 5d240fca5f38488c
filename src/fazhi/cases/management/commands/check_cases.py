"""`fazhi check_cases`: run the statutory checks over every case now (or enqueue them for the worker)."""

import json

from django.core.management.base import BaseCommand

from fazhi.core.normalize import parse_date


class Command(BaseCommand):
    help = "对全部行政处罚案件执行法定规则校验（集合运算），并同步风险预警事项"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", default="", help="按哪一天判断未决案件是否超期（默认今天）")
        parser.add_argument("--no-warnings", action="store_true", help="只写校验结果，不开关风险预警事项")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行")

    def handle(self, *args, **options):
        if options["enqueue"]:
            from fazhi.cases.tasks import cases_check_all_task

            result = cases_check_all_task.enqueue()
            self.stdout.write(f"已提交后台任务 {result.id}")
            return
        from fazhi.cases.bulk_checks import cases_check_all

        as_of = parse_date(options["as_of"], field="as_of") if options["as_of"] else None
        result = cases_check_all(as_of=as_of, sync_warnings=not options["no_warnings"])
        self.stdout.write(json.dumps(result, ensure_ascii=False))
