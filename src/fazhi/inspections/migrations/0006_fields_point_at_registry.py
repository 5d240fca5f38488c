"""The registry's models moved out of the enforcement app under the same tables: only Django's state changes.

The many-to-many tables keep their names and columns (inspections_plan_joint_agencies.agency_id, …), so the
fields are altered in place instead of dropped and re-added as makemigrations would propose.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0005_inspection_item_scope'),
        ('registry', '0002_rename_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='agencymonthtally',
                    name='agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.agency'),
                ),
                migrations.AlterField(
                    model_name='agencyyeartally',
                    name='agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.agency'),
                ),
                migrations.AlterField(
                    model_name='conflictdeclaration',
                    name='officer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='conflicts', to='registry.officer'),
                ),
                migrations.AlterField(
                    model_name='inspectionfeedback',
                    name='agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.agency'),
                ),
                migrations.AlterField(
                    model_name='inspectionitem',
                    name='agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspection_items', to='registry.agency', verbose_name='实施主体'),
                ),
                migrations.AlterField(
                    model_name='inspectionitem',
                    name='power_item',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspection_items', to='registry.poweritem', verbose_name='权责清单事项'),
                ),
                migrations.AlterField(
                    model_name='inspectionrecord',
                    name='agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspection_records', to='registry.agency'),
                ),
                migrations.AlterField(
                    model_name='inspectorpoolentry',
                    name='agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspector_pool', to='registry.agency'),
                ),
                migrations.AlterField(
                    model_name='inspectorpoolentry',
                    name='officer',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='pool_entry', to='registry.officer', verbose_name='执法人员'),
                ),
                migrations.AlterField(
                    model_name='plan',
                    name='agency',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspection_plans', to='registry.agency', verbose_name='实施主体'),
                ),
                migrations.AlterField(
                    model_name='drawassignment',
                    name='inspectors',
                    field=models.ManyToManyField(related_name='draw_assignments', to='registry.officer'),
                ),
                migrations.AlterField(
                    model_name='inspectionrecord',
                    name='inspectors',
                    field=models.ManyToManyField(blank=True, related_name='inspection_records', to='registry.officer'),
                ),
                migrations.AlterField(
                    model_name='plan',
                    name='joint_agencies',
                    field=models.ManyToManyField(blank=True, related_name='joint_inspection_plans', to='registry.agency', verbose_name='联合抽查参与部门'),
                ),
            ],
            database_operations=[],
        ),
    ]
