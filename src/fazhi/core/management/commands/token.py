from django.core.management.base import BaseCommand, CommandError

from fazhi.core.models import ApiToken, User
from fazhi.core.services import token_create


class Command(BaseCommand):
    help = "API 令牌：token create 用户名 | token list 用户名 | token revoke 前缀"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("target")
        parser.add_argument("--name", default="命令行创建")

    def handle(self, *args, **opts):
        if opts["action"] == "revoke":
            from django.utils import timezone

            n = ApiToken.objects.filter(prefix=opts["target"], revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            self.stdout.write(f"已吊销 {n} 个令牌")
            return
        user = User.objects.filter(username=opts["target"]).first()
        if user is None:
            raise CommandError(f"用户“{opts['target']}”不存在")
        if opts["action"] == "create":
            _, secret = token_create(user=user, name=opts["name"])
            self.stdout.write(secret)
        else:
            for t in user.api_tokens.all():
                state = "已吊销" if t.revoked_at else "有效"
                self.stdout.write(f"{t.prefix}\t{t.name}\t{t.created_at:%Y-%m-%d}\t{state}")
