"""The disclosure search goes through its token vector (core/search.py, cases 0003): the trigram index on UPPER(search)
(enforcement 0003) is no longer what any query needs, and every published decision paid for keeping it up to date.
PostgreSQL only; reversing builds it again."""

from django.db import migrations

INDEX = "enforcement_disclosure_search_trgm"


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_disclosure USING gin (UPPER(search) gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_review_scope"),
    ]

    operations = [migrations.RunPython(drop_index, create_index)]
