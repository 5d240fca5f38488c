"""Daily external anchors of the tamper-evident chains (see docs/tamper-evidence.md, “外部锚定”).

The login and operation log chains are anchored by core (`audit.log_chains_anchor`); the timelines, one chain per
tracked item, are anchored here: every item's head goes into TimelineAnchorHead and the keyed digest of all heads
becomes the "timeline" anchor entry of the operation log. The job runs from tracking because it is the app that
knows both kinds of chain (core must not import tracking).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from fazhi.core.audit import CHAIN_LABELS, Anchor, anchors_list, chain_anchor_write, log_anchor_problem
from fazhi.core.audit import log_chains_anchor as _log_chains_anchor
from fazhi.core.integrity import canonical, keyed_sm3, same

TIMELINE = "timeline"


def heads_digest(heads) -> str:
    """Keyed SM3 of every (item, seq, hash) head, sorted: the timeline's head hash in its anchor."""
    return keyed_sm3(canonical(sorted([int(i), int(s), h] for i, s, h in heads)))


@transaction.atomic
def timeline_anchor(*, today: dt.date | None = None) -> Anchor:
    """Record the head of every item's timeline (one consistent read of the items' stored heads)."""
    from fazhi.tracking.models import TimelineAnchorHead, TimelineEvent, TrackedItem

    today = today or timezone.localdate()
    heads = list(TrackedItem.objects.filter(event_count__gt=0).values_list("id", "event_count", "last_hash"))
    known = {i: (s, h) for i, s, h in TimelineAnchorHead.objects.values_list("item_id", "seq", "hash")}
    fresh, moved = [], []
    for item_id, seq, head in heads:
        if item_id not in known:
            fresh.append(TimelineAnchorHead(item_id=item_id, seq=seq, hash=head, anchored_on=today))
        elif known[item_id] != (seq, head):
            moved.append(TimelineAnchorHead(item_id=item_id, seq=seq, hash=head, anchored_on=today))
    TimelineAnchorHead.objects.bulk_create(fresh, batch_size=2000)
    TimelineAnchorHead.objects.bulk_update(moved, ["seq", "hash", "anchored_on"], batch_size=2000)
    count = sum(s for _, s, _ in heads)
    last_id = TimelineEvent.objects.aggregate(m=Max("id"))["m"] or 0
    return chain_anchor_write(chain=TIMELINE, last_id=last_id, count=count, head=heads_digest(heads), today=today)


def chains_anchor(*, today: dt.date | None = None) -> list[Anchor]:
    """The daily job: anchor the two log chains and the timelines."""
    anchors = _log_chains_anchor(today=today)
    anchors.append(timeline_anchor(today=today))
    return anchors


@dataclass
class AnchorReport:
    anchors: int = 0
    problems: list[str] | None = None

    def __post_init__(self):
        self.problems = self.problems or []


def anchors_verify() -> AnchorReport:
    """Every recorded anchor against the chains as they are now. Problems name the chain, the date and where."""
    from fazhi.tracking.models import TimelineAnchorHead, TimelineEvent

    report = AnchorReport()
    timeline_anchors = []
    for anchor in anchors_list():
        report.anchors += 1
        if anchor.chain in CHAIN_LABELS:
            problem = log_anchor_problem(anchor)
            if problem:
                report.problems.append(f"{anchor.label}：{problem}")
        elif anchor.chain == TIMELINE:
            timeline_anchors.append(anchor)
    if not timeline_anchors:
        return report
    now_hash = TimelineEvent.objects.filter(item_id=OuterRef("item_id"), seq=OuterRef("seq")).values("hash")[:1]
    rows = TimelineAnchorHead.objects.annotate(now=Subquery(now_hash)).order_by("item_id")
    heads = []
    for item_id, seq, head, day, now in rows.values_list("item_id", "seq", "hash", "anchored_on", "now").iterator(
        chunk_size=5000
    ):
        heads.append((item_id, seq, head))
        if now is None:
            report.problems.append(f"督办时间线：事项 {item_id} 于 {day:%Y-%m-%d} 锚定的第 {seq} 个事件已不在链中")
        elif not same(now, head):
            report.problems.append(
                f"督办时间线：事项 {item_id} 于 {day:%Y-%m-%d} 锚定的第 {seq} 个事件哈希不符（链被改写后重新计算）"
            )
    latest = timeline_anchors[-1]
    if not same(heads_digest(heads), latest.head):
        report.problems.append(f"督办时间线：锚定链头记录与 {latest.day:%Y-%m-%d} 的锚点摘要不符（锚定记录被改动）")
    total = TimelineEvent.objects.count()
    if total < latest.count:
        report.problems.append(f"督办时间线：{latest.day:%Y-%m-%d} 锚定时共 {latest.count} 个事件，现仅 {total} 个")
    return report
