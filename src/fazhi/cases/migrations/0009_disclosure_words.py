"""Each disclosure's ASCII words in the portal's order (cases.DisclosureWord), kept by a trigger on PostgreSQL and
filled for the rows already there. A word is a token of three or more of 0-9A-Z (core/search.py stores them so);
the trigger takes them from the search tokens, so every writer of the tokens keeps the words too."""

import django.db.models.deletion
from django.db import migrations, models

WORD = r"^[0-9A-Z]{3,60}$"

TRIGGER = f"""
CREATE OR REPLACE FUNCTION cases_disclosure_words() RETURNS trigger LANGUAGE plpgsql
    -- Planned for each row: a plan cached while the table was small would scan it for every row once it is not.
    SET plan_cache_mode = force_custom_plan AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.search_tokens <> '' THEN
        DELETE FROM cases_disclosureword WHERE disclosure_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO cases_disclosureword (disclosure_id, word, published_on)
        SELECT DISTINCT NEW.id, t, NEW.published_on FROM unnest(string_to_array(NEW.search_tokens, ' ')) AS t
        WHERE t ~ '{WORD}';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_disclosure_words AFTER INSERT OR DELETE ON cases_disclosure
    FOR EACH ROW EXECUTE FUNCTION cases_disclosure_words();
CREATE TRIGGER cases_disclosure_words_update AFTER UPDATE OF search_tokens, published_on ON cases_disclosure
    FOR EACH ROW WHEN (OLD.search_tokens IS DISTINCT FROM NEW.search_tokens OR OLD.published_on IS DISTINCT FROM
    NEW.published_on) EXECUTE FUNCTION cases_disclosure_words();
INSERT INTO cases_disclosureword (disclosure_id, word, published_on)
SELECT DISTINCT d.id, t, d.published_on FROM cases_disclosure AS d, unnest(string_to_array(d.search_tokens, ' ')) AS t
WHERE t ~ '{WORD}';
ANALYZE cases_disclosureword;
"""

UNDO = """
DROP TRIGGER IF EXISTS cases_disclosure_words_update ON cases_disclosure;
DROP TRIGGER IF EXISTS cases_disclosure_words ON cases_disclosure;
DROP FUNCTION IF EXISTS cases_disclosure_words();
"""


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute(sql)  # no parameters: several statements, and a function body with its own semicolons


def create_trigger(apps, schema_editor):
    _run(schema_editor, TRIGGER)


def drop_trigger(apps, schema_editor):
    _run(schema_editor, UNDO)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_case_review_scope_by_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="DisclosureWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=60)),
                ("published_on", models.DateField()),
                (
                    "disclosure",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.disclosure",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        models.F("word"),
                        models.OrderBy(models.F("published_on"), descending=True),
                        models.OrderBy(models.F("disclosure"), descending=True),
                        name="disclosure_word_order",
                    )
                ],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
