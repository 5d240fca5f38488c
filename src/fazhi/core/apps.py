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

        import datetime as dt

        from fazhi.core.schedule import register_periodic
        from fazhi.core.tasks import jobs_prune_task, logs_purge_task

        register_periodic(logs_purge_task, every=dt.timedelta(hours=24))
        register_periodic(jobs_prune_task, every=dt.timedelta(hours=24))

        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from fazhi.core import logfilters, sessions

        user_logged_in.connect(sessions.on_user_logged_in, dispatch_uid="fazhi.core.session_login")
        user_logged_out.connect(sessions.on_user_logged_out, dispatch_uid="fazhi.core.session_logout")
        logfilters.install()

        from fazhi.core import columns

        columns.install()

        from fazhi.core import imports  # noqa: F401  (registers core's importers and the import job)
