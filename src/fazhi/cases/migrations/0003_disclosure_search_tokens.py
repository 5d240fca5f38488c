"""Search tokens for the portal's disclosure search (core/search.py): the column, filled in batches for the rows
already published, then its stored vector, on PostgreSQL GIN-indexed with a raised statistics target. The trigram
index on `search` (enforcement 0003) stays, for fuzzy names."""

from django.db import migrations, models

from fazhi.core.search import TokenVector, TokenVectorField, vector_index_sql

BATCH = 2000
TABLE = "cases_disclosure"
INDEX = "disclosure_search_vector_gin"


def fill_tokens(apps, schema_editor):
    from fazhi.core.search import index_tokens

    Disclosure = apps.get_model("cases", "Disclosure")
    postgres = schema_editor.connection.vendor == "postgresql"
    last = 0
    while True:
        rows = list(Disclosure.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "search")[:BATCH])
        if not rows:
            break
        last = rows[-1][0]
        ids = [pk for pk, _ in rows]
        tokens = [index_tokens(text) for _, text in rows]
        if postgres:
            # One statement per batch (bulk_update's CASE over 2,000 ids grows with the square of the batch).
            with schema_editor.connection.cursor() as cur:
                cur.execute(
                    f"UPDATE {TABLE} AS d SET search_tokens = v.t FROM unnest(%s::bigint[], %s::text[]) AS v(id, t)"
                    " WHERE d.id = v.id",
                    [ids, tokens],
                )
        else:
            Disclosure.objects.bulk_update(
                [Disclosure(pk=pk, search_tokens=t) for pk, t in zip(ids, tokens, strict=True)], ["search_tokens"]
            )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in vector_index_sql(TABLE, "search_vector", INDEX):
            schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_rename_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosure",
            name="search_tokens",
            field=models.TextField(blank=True, default="", db_default="", editable=False),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AddField(
            model_name="disclosure",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=TokenVector(models.F("search_tokens")),
                output_field=TokenVectorField(null=True),
            ),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
