import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from fazhi.tracking.models import TimelineEvent, TrackedItem
from fazhi.tracking.services import assignment_report
from fazhi.tracking.timeline import verify_chains

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(market_assignment, users):
    """An item with four events: created, two progress reports, a submission."""
    for progress, text in ((30, "部署"), (60, "推进")):
        assignment_report(by=users["agency"], assignment=market_assignment, progress=progress, text=text)
    assignment_report(by=users["agency"], assignment=market_assignment, progress=100, text="完成", submit=True)
    return market_assignment.item


def _problems(item):
    return verify_chains(TrackedItem.objects.filter(pk=item.pk))


def test_clean_chain_passes(chain):
    items, events, problems = _problems(chain)
    assert (items, events, problems) == (1, 4, [])


def test_altered_comment_is_detected(chain):
    TimelineEvent.objects.filter(item=chain, seq=2).update(comment="已全部完成")
    _, _, problems = _problems(chain)
    assert [(p.seq, "篡改" in p.problem) for p in problems] == [(2, True)]


def test_altered_data_is_detected(chain):
    TimelineEvent.objects.filter(item=chain, seq=3).update(data={"progress": 90})
    assert any(p.seq == 3 for p in _problems(chain)[2])


def test_deleted_middle_event_is_detected(chain):
    TimelineEvent.objects.filter(item=chain, seq=2).delete()
    _, _, problems = _problems(chain)
    assert problems and problems[0].seq == 3
    assert any("删除" in p.problem for p in problems)


def test_deleted_last_event_is_detected(chain):
    TimelineEvent.objects.filter(item=chain, seq=4).delete()
    _, _, problems = _problems(chain)
    assert len(problems) == 1 and problems[0].seq is None and "末事件" in problems[0].problem


def test_deleted_attachment_link_is_detected(market_assignment, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assignment_report(
        by=users["agency"],
        assignment=market_assignment,
        progress=10,
        text="附件",
        files=[SimpleUploadedFile("a.txt", b"hello")],
    )
    event = market_assignment.item.events.get(seq=2)
    event.attachments.clear()
    assert _problems(market_assignment.item)[2]


def test_verify_command_exit_codes(chain, capsys):
    call_command("verify")
    assert "发现 0 处问题" in capsys.readouterr().out
    TimelineEvent.objects.filter(item=chain, seq=1).update(comment="伪造")
    with pytest.raises(SystemExit) as exc:
        call_command("verify")
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert f"事项 {chain.pk} 第 1 个事件" in out


# ---------------------------------------------------------------- issue 8: every shown field, files, the key


def test_forged_actor_unit_is_detected(chain):
    TimelineEvent.objects.filter(item=chain, seq=2).update(actor_unit="示例市人民政府")
    assert [(p.seq, p.kind) for p in _problems(chain)[2]] == [(2, "broken")]


def test_forged_action_label_is_detected(chain):
    TimelineEvent.objects.filter(item=chain, seq=4).update(action_label="验收通过")
    assert [(p.seq, p.kind) for p in _problems(chain)[2]] == [(4, "broken")]


def test_new_events_are_keyed_version_2(chain):
    from fazhi.core.integrity import key_id

    assert set(chain.events.values_list("hash_version", "key_id")) == {(2, key_id())}


def _recompute(item, *, version: int):
    """What an attacker with database access does after editing an event: recompute the whole chain."""
    from fazhi.tracking.timeline import event_hash

    prev = ""
    for e in TimelineEvent.objects.filter(item=item).order_by("seq"):
        e.prev_hash, e.hash_version = prev, version
        e.hash = prev = event_hash(
            version=version,
            prev_hash=prev,
            key=e.key_id,
            item_id=e.item_id,
            seq=e.seq,
            at=e.at,
            actor_id=e.actor_id,
            actor_name=e.actor_name,
            actor_unit=e.actor_unit,
            action=e.action,
            action_label=e.action_label,
            comment=e.comment,
            data=e.data,
            attachments=[{"sm3": a.sm3, "name": a.name, "size": a.size} for a in e.attachments.all()],
        )
        e.save()
    TrackedItem.objects.filter(pk=item.pk).update(last_hash=prev)


def test_rewritten_and_recomputed_with_another_key_is_detected(chain, settings):
    TimelineEvent.objects.filter(item=chain, seq=2).update(comment="已全部完成")
    real = settings.TIMELINE_HMAC_KEY
    settings.TIMELINE_HMAC_KEY = "the attacker's guess"
    _recompute(chain, version=2)  # the attacker does not have the key
    settings.TIMELINE_HMAC_KEY = real
    problems = _problems(chain)[2]
    assert problems and problems[0].seq == 1


def test_rewritten_as_plain_version_1_chain_is_detected(chain):
    """Downgrade: recomputing the old unkeyed hash is refused for events after the legacy boundary."""
    TimelineEvent.objects.filter(item=chain, seq=2).update(comment="已全部完成")
    _recompute(chain, version=1)
    problems = _problems(chain)[2]
    assert {p.seq for p in problems if "旧版" in p.problem} == {1, 2, 3, 4}


def _make_legacy(item):
    """Turn an item's chain into what the code before issue 8 wrote, then seal it as migration 0002 does."""
    import importlib

    from django.apps import apps

    from fazhi.core.models import ChainSeal

    _recompute(item, version=1)
    TimelineEvent.objects.filter(item=item).update(key_id="")
    ChainSeal.objects.filter(name="timeline.v1").delete()
    importlib.import_module("fazhi.tracking.migrations.0002_timeline_keyed_hash").seal_legacy_events(apps, None)


def test_legacy_version_1_chains_still_verify(chain, users, market_assignment):
    _make_legacy(chain)
    assert set(chain.events.values_list("hash_version", flat=True)) == {1}
    assert _problems(chain)[2] == []
    assert verify_chains(TrackedItem.objects.all(), whole=True)[2] == []
    # A new event after the upgrade is keyed and links onto the old chain.
    from fazhi.tracking.services import item_annotate

    item_annotate(item=chain, by=users["supervisor"], action="note", label="备注", comment="升级后")
    assert chain.events.get(seq=5).hash_version == 2
    assert verify_chains(TrackedItem.objects.all(), whole=True)[2] == []


def test_legacy_chain_rewritten_and_recomputed_is_detected(chain):
    _make_legacy(chain)
    TimelineEvent.objects.filter(item=chain, seq=2).update(comment="已全部完成")
    _recompute(chain, version=1)  # a perfect plain-SM3 chain again, item head updated too
    # The events alone cannot tell; the keyed head of the item and the keyed seal of the legacy heads can.
    assert [(p.item_id, p.seq) for p in _problems(chain)[2]] == [(chain.pk, None)]
    problems = verify_chains(TrackedItem.objects.all(), whole=True)[2]
    assert [p.item_id for p in problems] == [chain.pk, None]
    assert "封存" in problems[1].problem


def test_cut_tail_with_head_moved_back_is_detected(chain):
    """Deleting the last event and setting the item's count and head hash to the one before needs the key."""
    previous = TimelineEvent.objects.get(item=chain, seq=3)
    TimelineEvent.objects.filter(item=chain, seq=4).delete()
    TrackedItem.objects.filter(pk=chain.pk).update(event_count=3, last_hash=previous.hash)
    problems = _problems(chain)[2]
    assert [(p.seq, p.kind) for p in problems] == [(None, "broken")] and "末事件被删除" in problems[0].problem


def test_wrong_key_is_reported_as_key_mismatch(chain, settings):
    settings.TIMELINE_HMAC_KEY = "another key"
    problems = _problems(chain)[2]
    assert problems and {p.kind for p in problems} == {"key"}


@pytest.fixture
def with_file(ecology_assignment, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assignment_report(
        by=users["agency2"],
        assignment=ecology_assignment,
        progress=10,
        text="附件",
        files=[SimpleUploadedFile("自查报告.txt", "自查完毕".encode())],
    )
    return ecology_assignment.item.events.get(seq=2).attachments.get()


def _overwrite(attachment, content: bytes):
    """Replace the stored bytes through the storage API, as someone with access to the disk or the bucket can."""
    storage, name = attachment.file.storage, attachment.file.name
    storage.delete(name)
    assert storage.save(name, ContentFile(content)) == name


def test_attachment_overwritten_in_storage_is_detected(with_file, ecology_assignment):
    assert _problems(ecology_assignment.item)[2] == []
    _overwrite(with_file, "自查未完成".encode())
    problems = _problems(ecology_assignment.item)[2]
    assert [(p.seq, p.kind) for p in problems] == [(2, "attachment")]
    assert "自查报告.txt" in problems[0].problem
    assert verify_chains(TrackedItem.objects.filter(pk=ecology_assignment.item.pk), check_files=False)[2] == []


def test_attachment_deleted_from_storage_is_detected(with_file, ecology_assignment):
    with_file.file.storage.delete(with_file.file.name)
    assert [p.kind for p in _problems(ecology_assignment.item)[2]] == ["attachment"]


def test_renamed_attachment_is_detected(with_file, ecology_assignment):
    from fazhi.core.models import Attachment

    Attachment.objects.filter(pk=with_file.pk).update(name="整改完成证明.txt")
    assert [(p.seq, p.kind) for p in _problems(ecology_assignment.item)[2]] == [(2, "broken")]


def test_overwritten_attachment_is_not_served(with_file, login_as):
    from django.urls import reverse

    client = login_as("supervisor")
    url = reverse("tracking:attachment_download", args=[with_file.pk])
    assert client.get(url).status_code == 200
    _overwrite(with_file, b"forged")
    r = client.get(url)
    assert r.status_code == 409 and "SM3" in r.content.decode()


def test_verify_command_reports_each_finding(chain, with_file, ecology_assignment, capsys, settings):
    call_command("verify", verbosity=2)
    out = capsys.readouterr().out
    assert f"事项 {chain.pk}：正常" in out
    TimelineEvent.objects.filter(item=chain, seq=3).update(action_label="验收通过")
    with pytest.raises(SystemExit) as exc:
        call_command("verify")
    assert exc.value.code == 1
    assert f"事项 {chain.pk}：断裂，在第 3 个事件处" in capsys.readouterr().out
    TimelineEvent.objects.filter(item=chain, seq=3).update(action_label="填报进展")
    _overwrite(with_file, b"forged")
    with pytest.raises(SystemExit):
        call_command("verify")
    assert f"事项 {ecology_assignment.item.pk}：附件不符，在第 2 个事件处" in capsys.readouterr().out
    settings.TIMELINE_HMAC_KEY = "another key"
    with pytest.raises(SystemExit):
        call_command("verify", "--no-files")
    out = capsys.readouterr().out
    assert "密钥不符" in out and "附件不符" not in out
