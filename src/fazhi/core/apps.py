from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs):
    from fazhi.core.services import roles_ensure_defaults

    roles_ensure_defaults()


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "组织与权限"

    def ready(self):
        post_migrate.connect(_ensure_roles, sender=self)
