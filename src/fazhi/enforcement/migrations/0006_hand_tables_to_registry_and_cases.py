"""The enforcement app was split into `registry` and `cases`: its tables take the new apps' names.

Renaming keeps every row and every foreign key (PostgreSQL and SQLite both follow a renamed table). The models
then move in Django's state only: registry 0001 and cases 0001 take them over without touching the database, and
enforcement 0007 drops them from this app's state.
"""

from django.db import migrations

REGISTRY = ["agency", "poweritem", "legalbasis", "discretiontier", "listentry", "officer", "certificate",
            "trainingrecord"]  # fmt: skip
CASES = ["case", "casecheck", "casehandler", "caseextension", "disclosure"]


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0005_case_stage_clocks")]

    operations = [
        *(migrations.AlterModelTable(name=name, table=f"registry_{name}") for name in REGISTRY),
        *(migrations.AlterModelTable(name=name, table=f"cases_{name}") for name in CASES),
    ]
