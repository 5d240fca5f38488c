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
        from django.db.models import fields

        # Django 6.1's empty choice of selects has no zh-hans translation yet; Django lets ready() set it.
        fields.BLANK_CHOICE_LABEL = "- 请选择 -"
        post_migrate.connect(_ensure_roles, sender=self)
