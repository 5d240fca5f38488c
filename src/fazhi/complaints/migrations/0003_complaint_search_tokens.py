"""Search tokens for the complaint list's keyword search (core/search.py): the column, filled for the rows already
there, and on PostgreSQL its GIN index plus indexes on UPPER() of the two codes the same search matches exactly."""

from django.db import migrations, models

BATCH = 2000
INDEXES = {
    "complaint_search_gin": "USING gin (array_to_tsvector(string_to_array(search_tokens, ' ')))",
    "complaint_code_upper": "(UPPER(tracking_code::text))",
    "complaint_work_order_upper": "(UPPER(work_order_no::text))",
}


def fill_tokens(apps, schema_editor):
    from fazhi.core.search import index_tokens

    Complaint = apps.get_model("complaints", "Complaint")
    postgres = schema_editor.connection.vendor == "postgresql"
    table = Complaint._meta.db_table
    memo: dict[tuple, str] = {}  # generated and imported rows repeat their texts
    last = 0
    while True:
        rows = list(
            Complaint.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "description", "place", "party")[:BATCH]
        )
        if not rows:
            break
        last = rows[-1][0]
        ids, tokens = [], []
        for pk, *texts in rows:
            key = tuple(texts)
            if key not in memo:
                if len(memo) > 50_000:
                    memo.clear()
                memo[key] = index_tokens(*texts)
            ids.append(pk)
            tokens.append(memo[key])
        if postgres:
            # One statement per batch; bulk_update's CASE over 2,000 ids grows with the square of the batch.
            with schema_editor.connection.cursor() as cur:
                cur.execute(
                    f"UPDATE {table} AS c SET search_tokens = v.t FROM unnest(%s::bigint[], %s::text[]) AS v(id, t)"
                    " WHERE c.id = v.id",
                    [ids, tokens],
                )
        else:
            Complaint.objects.bulk_update(
                [Complaint(pk=pk, search_tokens=t) for pk, t in zip(ids, tokens, strict=True)], ["search_tokens"]
            )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON complaints_complaint {definition}")
    schema_editor.execute("ANALYZE complaints_complaint")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_monthly_stats"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="search_tokens",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
