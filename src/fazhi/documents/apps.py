from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "fazhi.documents"
    label = "documents"
    verbose_name = "公文"

    def ready(self) -> None:
        from fazhi.documents.permissions import register_permissions

        register_permissions()
