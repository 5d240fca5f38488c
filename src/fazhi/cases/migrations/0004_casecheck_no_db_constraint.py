"""The case check side table without a database foreign key (see `CaseCheck.case`): the first bulk check of a million
cases spent most of its time in the per-row constraint check."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_disclosure_search_tokens"),
    ]

    operations = [
        migrations.AlterField(
            model_name="casecheck",
            name="case",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="check_result",
                serialize=False,
                to="cases.case",
            ),
        ),
    ]
