"""附带审查 has one owner: the rule-making module's IncidentalReview handles the review and runs its clocks. Before,
the disputes app's NormativeReview ran a second set of clocks on an item of its own. This links every request to
the review the rule-making module received for it (same reconsideration, day and clauses) and stops the clocks of
the old disputes-side items, so that the inbox shows the review once. Nothing is deleted: the old items keep
their timeline."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    NormativeReview = apps.get_model("disputes", "NormativeReview")
    IncidentalReview = apps.get_model("rulemaking", "IncidentalReview")
    TrackedItem = apps.get_model("tracking", "TrackedItem")
    Clock = apps.get_model("tracking", "Clock")
    for nr in NormativeReview.objects.all().order_by("pk"):
        owner = (
            IncidentalReview.objects.filter(
                source_review_id__isnull=True,
                reconsideration_url__endswith=f"/reconsiderations/{nr.reconsideration_id}/",
                received_on=nr.started_on,
                clauses=nr.articles,
            )
            .order_by("pk")
            .first()
        )
        if owner is not None:
            owner.source_review_id = nr.pk
            owner.save(update_fields=["source_review_id"])
        if nr.item_id and owner is not None:
            Clock.objects.filter(item_id=nr.item_id, is_open=True).update(is_open=False)
            TrackedItem.objects.filter(pk=nr.item_id).exclude(status="closed").update(
                status="closed", closed_at=timezone.now()
            )


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0001_initial"),
        ("rulemaking", "0004_incidental_source_review"),
        ("tracking", "0004_statutory_clocks"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
