"""Values that their column cannot hold are refused with a Chinese message naming the field (issue 8): text
longer than `max_length` (a 100,000-character case title was stored on SQLite, which does not enforce it;
PostgreSQL would have answered 500) and None in a NOT NULL column (an API `null` for a required field).

One check for every model of fazhi, on `pre_save`, so that services, forms, the API and imports all meet it
without checks of their own; `columns_check(obj)` is there for the few bulk_create paths."""

from django.db import models

from fazhi.core.errors import DomainError


def columns_check(instance, *, fields=None) -> None:
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        value = getattr(instance, field.attname, None)
        if value is None:
            if not field.null and not _filled_by_django(field):
                raise DomainError(f"“{field.verbose_name}”不能为空", field=field.name)
            continue
        limit = getattr(field, "max_length", None)
        if limit and isinstance(field, models.CharField) and len(str(value)) > limit:
            raise DomainError(
                f"“{field.verbose_name}”不能超过 {limit} 个字符（现为 {len(str(value))} 个）", field=field.name
            )


def _filled_by_django(field) -> bool:
    """Fields whose value is set during the insert itself: the primary key, auto_now dates, database defaults."""
    return (
        field.primary_key
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
        or field.has_db_default()
        or isinstance(field, models.GeneratedField)
    )


def _on_pre_save(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw or not sender.__module__.startswith("fazhi."):
        return
    columns_check(instance, fields=update_fields)


def install() -> None:
    models.signals.pre_save.connect(_on_pre_save, dispatch_uid="fazhi.core.columns")
