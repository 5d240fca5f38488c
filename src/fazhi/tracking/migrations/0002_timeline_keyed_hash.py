from django.db import migrations, models


def seal_legacy_events(apps, schema_editor):
    """Every event so far keeps its version-1 hash (plain SM3). Seal, with the key, how far version 1 goes
    (the last event id) and a digest of each item's last version-1 event: from now on an event cannot be
    rewritten and passed off as an old one, nor an old chain rewritten, without the verifier noticing."""
    from fazhi.core.audit import chain_seal_mac
    from fazhi.core.integrity import key_id
    from fazhi.tracking.timeline import LEGACY_SEAL, head_mac, legacy_digest

    TimelineEvent = apps.get_model("tracking", "TimelineEvent")
    ChainSeal = apps.get_model("core", "ChainSeal")
    heads: dict[int, tuple[int, int, str]] = {}
    last_id = 0
    rows = TimelineEvent.objects.order_by("item_id", "seq").values_list("id", "item_id", "seq", "hash")
    for event_id, item_id, seq, hash_ in rows.iterator(chunk_size=5000):
        heads[item_id] = (item_id, seq, hash_)
        last_id = max(last_id, event_id)
    TrackedItem = apps.get_model("tracking", "TrackedItem")
    batch = []
    for item in TrackedItem.objects.only("id", "event_count", "last_hash").iterator(chunk_size=2000):
        item.head_mac = head_mac(item_id=item.pk, count=item.event_count, last_hash=item.last_hash)
        batch.append(item)
        if len(batch) >= 2000:
            TrackedItem.objects.bulk_update(batch, ["head_mac"])
            batch = []
    TrackedItem.objects.bulk_update(batch, ["head_mac"])
    seal = ChainSeal(name=LEGACY_SEAL, seq=last_id, head=legacy_digest(list(heads.values())), key_id=key_id())
    seal.mac = chain_seal_mac(seal)
    seal.save()


def unseal(apps, schema_editor):
    apps.get_model("core", "ChainSeal").objects.filter(name="timeline.v1").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_log_hash_chain"),
        ("tracking", "0001_initial"),
    ]

    operations = [
        # Existing events are version 1; the default for new rows is then 2.
        migrations.AddField(
            model_name="timelineevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="timelineevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AddField(
            model_name="trackeditem",
            name="head_mac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="timelineevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(seal_legacy_events, unseal),
    ]
