"""The portal search's stored vector (core/search.py), GIN-indexed on PostgreSQL with a raised statistics target."""

from django.db import migrations

from fazhi.core.search import vector_index_sql

TABLE = "rulemaking_portalentry"
INDEX = "rulemaking_portal_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in vector_index_sql(TABLE, "search_vector", INDEX):
            schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("rulemaking", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
