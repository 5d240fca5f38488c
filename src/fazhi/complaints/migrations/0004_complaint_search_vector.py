"""The complaint search's stored vector (core/search.py): a column generated from `search_tokens`, on PostgreSQL
GIN-indexed in place of the index over the expression (which re-split every candidate row's tokens), with a
statistics target that lets the planner know how common each bigram is."""

from django.db import migrations, models

from fazhi.core.search import TokenVector, TokenVectorField, vector_index_sql

TABLE = "complaints_complaint"
INDEX = "complaint_search_vector_gin"
OLD_INDEX = "complaint_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    for sql in vector_index_sql(TABLE, "search_vector", INDEX):
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON {TABLE} "
        "USING gin (array_to_tsvector(string_to_array(search_tokens, ' ')))"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_complaint_search_tokens"),
    ]

    operations = [
        # Rows inserted by SQL (the benchmark's generated ones) start with no tokens rather than fail.
        migrations.AlterField(
            model_name="complaint",
            name="search_tokens",
            field=models.TextField(blank=True, default="", db_default="", editable=False),
        ),
        migrations.AddField(
            model_name="complaint",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=TokenVector(models.F("search_tokens")),
                output_field=TokenVectorField(null=True),
            ),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
