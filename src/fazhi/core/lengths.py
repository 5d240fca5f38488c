"""Text longer than its column is refused with a Chinese message naming the field (issue 8: a
100,000-character case title was stored on SQLite, which does not enforce `max_length`; PostgreSQL would
have answered 500).

One check for every model of fazhi, on `pre_save`, so that services, forms, the API and imports all meet it
without a length check of their own; `lengths_check(obj)` is there for the few bulk_create paths."""

from django.db import models

from fazhi.core.errors import DomainError


def lengths_check(instance, *, fields=None) -> None:
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        limit = getattr(field, "max_length", None)
        if not limit or not isinstance(field, models.CharField):
            continue
        value = getattr(instance, field.attname, None)
        if value is not None and len(str(value)) > limit:
            raise DomainError(f"“{field.verbose_name}”不能超过 {limit} 个字符（现为 {len(str(value))} 个）", field=field.name)


def _on_pre_save(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw or not sender.__module__.startswith("fazhi."):
        return
    lengths_check(instance, fields=update_fields)


def install() -> None:
    models.signals.pre_save.connect(_on_pre_save, dispatch_uid="fazhi.core.lengths")
