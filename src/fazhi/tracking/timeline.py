"""The SM3 hash chain of timelines: how an event's hash is computed and how a chain is verified."""

import hashlib
import json
from dataclasses import dataclass

from django.db.models import QuerySet


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def event_content(
    *,
    item_id: int,
    seq: int,
    at,
    actor_id,
    actor_name: str,
    action: str,
    comment: str,
    data: dict,
    attachment_hashes: list[str],
) -> bytes:
    payload = {
        "item": item_id,
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_name": actor_name,
        "action": action,
        "comment": comment,
        "data": data,
        "attachments": sorted(attachment_hashes),
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, content: bytes) -> str:
    return sm3_hex(prev_hash.encode() + content)


@dataclass(frozen=True)
class ChainProblem:
    item_id: int
    seq: int | None
    problem: str


def verify_chains(items: QuerySet) -> tuple[int, int, list[ChainProblem]]:
    """Walk every event of `items` in order. Returns (items checked, events checked, problems).

    Detects an altered event (hash mismatch), a removed or reordered event (sequence gap or broken link)
    and a removed last event (the item's stored count and head hash no longer match).
    """
    from fazhi.tracking.models import TimelineEvent

    problems: list[ChainProblem] = []
    heads = {i["id"]: (i["event_count"], i["last_hash"]) for i in items.values("id", "event_count", "last_hash")}
    attachments: dict[int, list[str]] = {}
    through = TimelineEvent.attachments.through
    # A subquery rather than a list of ids: a list of 100k ids exceeds SQLite's bound-parameter limit.
    item_ids = items.values("id")
    for event_id, sm3 in through.objects.filter(timelineevent__item_id__in=item_ids).values_list(
        "timelineevent_id", "attachment__sm3"
    ):
        attachments.setdefault(event_id, []).append(sm3)

    events_checked = 0
    current_item, expected_seq, prev = None, 0, ""
    seen: dict[int, tuple[int, str]] = {}
    fields = ("id", "item_id", "seq", "at", "actor_id", "actor_name", "action", "comment", "data", "prev_hash", "hash")
    qs = TimelineEvent.objects.filter(item_id__in=item_ids).order_by("item_id", "seq").values_list(*fields)
    for eid, item_id, seq, at, actor_id, actor_name, action, comment, data, prev_hash, stored in qs.iterator(
        chunk_size=5000
    ):
        events_checked += 1
        if item_id != current_item:
            current_item, expected_seq, prev = item_id, 1, ""
        if seq != expected_seq:
            problems.append(ChainProblem(item_id, seq, f"序号不连续：应为 {expected_seq}，实为 {seq}（有事件被删除）"))
        if prev_hash != prev:
            problems.append(ChainProblem(item_id, seq, "与前一事件的哈希链接不符（前序事件被删除或篡改）"))
        content = event_content(
            item_id=item_id,
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            comment=comment,
            data=data,
            attachment_hashes=attachments.get(eid, []),
        )
        if chain_hash(prev_hash, content) != stored:
            problems.append(ChainProblem(item_id, seq, "事件内容与哈希不符（已被篡改）"))
        prev = stored
        expected_seq = seq + 1
        seen[item_id] = (seq, stored)
    for item_id, (count, head) in heads.items():
        last_seq, last_hash = seen.get(item_id, (0, ""))
        if count != last_seq or head != last_hash:
            problems.append(
                ChainProblem(item_id, None, f"事件数或末端哈希与记录不符（应有 {count} 个事件，末事件被删除）")
            )
    return len(heads), events_checked, problems
