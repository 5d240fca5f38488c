import pytest
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
