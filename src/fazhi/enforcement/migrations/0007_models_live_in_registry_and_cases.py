"""The enforcement app's models now live in `registry` and `cases` (their tables renamed by 0006): drop them from
this app's state only. Nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0006_hand_tables_to_registry_and_cases"),
        ("registry", "0002_rename_indexes"),
        ("cases", "0002_rename_indexes"),
        ("inspections", "0006_fields_point_at_registry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # Cases first: they point at the registry.
                migrations.DeleteModel(name="Disclosure"),
                migrations.DeleteModel(name="CaseExtension"),
                migrations.DeleteModel(name="CaseHandler"),
                migrations.DeleteModel(name="CaseCheck"),
                migrations.DeleteModel(name="Case"),
                migrations.DeleteModel(name="TrainingRecord"),
                migrations.DeleteModel(name="Certificate"),
                migrations.DeleteModel(name="Officer"),
                migrations.DeleteModel(name="ListEntry"),
                migrations.DeleteModel(name="DiscretionTier"),
                migrations.DeleteModel(name="LegalBasis"),
                migrations.DeleteModel(name="PowerItem"),
                migrations.DeleteModel(name="Agency"),
            ],
            database_operations=[],
        ),
    ]
