"""The hash chain of timelines: how an event is serialised and hashed (one place), and how chains are verified.

Version 2 (every event written now) is keyed, HMAC-SM3 with settings.TIMELINE_HMAC_KEY, and covers every field
the timeline shows plus the name, size and SM3 of each attachment; the verifier also reads each attachment's
bytes through the storage API and compares them with that SM3. Version 1 (plain SM3, written before the key
existed) stays verifiable, but only for the events sealed as legacy by migration tracking 0002.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from fazhi.core.attachments import attachment_digest
from fazhi.core.audit import chain_seal_mac
from fazhi.core.integrity import canonical, key_id, keyed_sm3, same, sm3_hex
from fazhi.core.models import ChainSeal

HASH_VERSION = 2
LEGACY_SEAL = "timeline.v1"


def event_content(
    *,
    version: int,
    item_id: int,
    seq: int,
    at: dt.datetime,
    actor_id,
    actor_name: str,
    actor_unit: str,
    action: str,
    action_label: str,
    comment: str,
    data: dict,
    attachments: list[dict],
    key: str = "",
) -> bytes:
    """The one canonical serialisation of a timeline event. `attachments`: dicts of name, size, sm3."""
    if version == 1:
        payload = {
            "item": item_id,
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor_id,
            "actor_name": actor_name,
            "action": action,
            "comment": comment,
            "data": data,
            "attachments": sorted(a["sm3"] for a in attachments),
        }
    else:
        payload = {
            "v": version,
            "key": key,
            "item": item_id,
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "actor_name": actor_name,
            "actor_unit": actor_unit,
            "action": action,
            "action_label": action_label,
            "comment": comment,
            "data": data,
            "attachments": sorted([a["sm3"], a["name"], a["size"]] for a in attachments),
        }
    return canonical(payload)


def event_hash(*, version: int, prev_hash: str, **fields) -> str:
    """The chain hash of an event: its content (event_content) after the previous event's hash."""
    content = event_content(version=version, **fields)
    if version == 1:
        return sm3_hex(prev_hash.encode() + content)
    return keyed_sm3(prev_hash.encode() + content)


def head_mac(*, item_id: int, count: int, last_hash: str) -> str:
    """The keyed head of an item's chain, so that removing its last events cannot be hidden."""
    return keyed_sm3(canonical({"item": item_id, "count": count, "head": last_hash}))


def legacy_digest(heads: list[tuple[int, int, str]]) -> str:
    """SM3 of the last version-1 event (item, seq, hash) of every item, sealed with the key at migration."""
    return sm3_hex(canonical(sorted([list(h) for h in heads])))


@dataclass(frozen=True)
class ChainProblem:
    item_id: int | None  # None: a problem of the whole store (the key, the legacy seal)
    seq: int | None
    problem: str
    kind: str = "broken"  # broken / attachment / key


def _attachment_rows(item_ids) -> dict[int, list[dict]]:
    from fazhi.tracking.models import TimelineEvent

    rows: dict[int, list[dict]] = {}
    through = TimelineEvent.attachments.through
    values = through.objects.filter(timelineevent__item_id__in=item_ids).values_list(
        "timelineevent_id", "attachment_id", "attachment__sm3", "attachment__name", "attachment__size"
    )
    for event_id, attachment_id, sm3, name, size in values.iterator(chunk_size=5000):
        rows.setdefault(event_id, []).append({"id": attachment_id, "sm3": sm3, "name": name, "size": size})
    return rows


def verify_chains(
    items: QuerySet, *, check_files: bool = True, whole: bool = False
) -> tuple[int, int, list[ChainProblem]]:
    """Walk every event of `items` in order. Returns (items checked, events checked, problems).

    Detects an altered event (hash mismatch, any shown field), a removed or reordered event (sequence gap or
    broken link), a removed last event (the item's stored count and head hash no longer match), an event
    rewritten as version 1 after the key came in, an attachment whose bytes in storage no longer match its SM3
    (`check_files`), and a wrong key. `whole`: `items` is every item, so the legacy seal's digest is checked too.
    """
    from fazhi.core.models import Attachment
    from fazhi.tracking.models import TimelineEvent

    problems: list[ChainProblem] = []
    current_key = key_id()
    seal = ChainSeal.objects.filter(name=LEGACY_SEAL).first()
    legacy_through = 0
    # A seal of no legacy events (a database created after the upgrade) protects nothing and is the strictest
    # state anyway (every version-1 event is refused), so a key set after `migrate` does not count against it.
    if seal is not None and seal.seq:
        legacy_through = seal.seq
        if seal.key_id != current_key:
            problems.append(
                ChainProblem(None, None, "密钥不符：当前 TIMELINE_HMAC_KEY 不是升级时封存所用的密钥", kind="key")
            )
        elif not same(seal.mac, chain_seal_mac(seal)):
            problems.append(ChainProblem(None, None, "旧版事件的封存记录被篡改"))

    heads = {
        i["id"]: (i["event_count"], i["last_hash"], i["head_mac"])
        for i in items.values("id", "event_count", "last_hash", "head_mac").iterator(chunk_size=5000)
    }
    # A subquery rather than a list of ids: a list of 100k ids exceeds SQLite's bound-parameter limit.
    item_ids = items.values("id")
    attachments = _attachment_rows(item_ids)

    events_checked = 0
    current_item, expected_seq, prev = None, 0, ""
    seen: dict[int, tuple[int, str]] = {}
    legacy_heads: dict[int, tuple[int, int, str]] = {}
    checked_files: dict[int, bool] = {}
    other_key: set[int] = set()
    fields = (
        "id",
        "item_id",
        "seq",
        "at",
        "actor_id",
        "actor_name",
        "actor_unit",
        "action",
        "action_label",
        "comment",
        "data",
        "prev_hash",
        "hash",
        "hash_version",
        "key_id",
    )
    qs = TimelineEvent.objects.filter(item_id__in=item_ids).order_by("item_id", "seq").values_list(*fields)
    for row in qs.iterator(chunk_size=5000):
        ev = dict(zip(fields, row, strict=True))
        eid, item_id, seq, version = ev["id"], ev["item_id"], ev["seq"], ev["hash_version"]
        events_checked += 1
        if item_id != current_item:
            current_item, expected_seq, prev = item_id, 1, ""
        if seq != expected_seq:
            problems.append(ChainProblem(item_id, seq, f"序号不连续：应为 {expected_seq}，实为 {seq}（有事件被删除）"))
        if ev["prev_hash"] != prev:
            problems.append(ChainProblem(item_id, seq, "与前一事件的哈希链接不符（前序事件被删除或篡改）"))
        event_attachments = attachments.get(eid, [])
        if version == 1 and eid > legacy_through:
            problems.append(ChainProblem(item_id, seq, "旧版（无密钥）哈希出现在启用密钥之后（事件被改写）"))
        elif version == 1:
            legacy_heads[item_id] = (item_id, seq, ev["hash"])
        if version != 1 and ev["key_id"] != current_key:
            problems.append(ChainProblem(item_id, seq, "密钥不符：事件由另一密钥签写，无法校验", kind="key"))
            other_key.add(item_id)
        elif version not in (1, HASH_VERSION):
            problems.append(ChainProblem(item_id, seq, f"未知的哈希版本 {version}"))
        else:
            stored = event_hash(
                version=version,
                prev_hash=ev["prev_hash"],
                key=ev["key_id"],
                item_id=item_id,
                seq=seq,
                at=ev["at"],
                actor_id=ev["actor_id"],
                actor_name=ev["actor_name"],
                actor_unit=ev["actor_unit"],
                action=ev["action"],
                action_label=ev["action_label"],
                comment=ev["comment"],
                data=ev["data"],
                attachments=event_attachments,
            )
            if not same(stored, ev["hash"]):
                problems.append(ChainProblem(item_id, seq, "事件内容与哈希不符（已被篡改）"))
        if check_files:
            for a in event_attachments:
                if a["id"] not in checked_files:
                    attachment = Attachment.objects.only("file").get(pk=a["id"])
                    checked_files[a["id"]] = attachment_digest(attachment) == a["sm3"]
                if not checked_files[a["id"]]:
                    problems.append(
                        ChainProblem(
                            item_id, seq, f"附件“{a['name']}”的文件内容与登记的 SM3 不符或文件缺失", kind="attachment"
                        )
                    )
        prev = ev["hash"]
        expected_seq = seq + 1
        seen[item_id] = (seq, ev["hash"])
    for item_id, (count, head, mac) in heads.items():
        last_seq, last_hash = seen.get(item_id, (0, ""))
        if count != last_seq or head != last_hash:
            problems.append(
                ChainProblem(item_id, None, f"事件数或末端哈希与记录不符（应有 {count} 个事件，末事件被删除）")
            )
        elif (count or mac) and not same(mac, head_mac(item_id=item_id, count=count, last_hash=head)):
            kind = "key" if item_id in other_key else "broken"
            problems.append(ChainProblem(item_id, None, "事件数与末端哈希未经密钥签名（末事件被删除后改写）", kind))
    if whole and (legacy_through or legacy_heads):
        sealed = seal.head if legacy_through else legacy_digest([])
        if legacy_digest(list(legacy_heads.values())) != sealed:
            problems.append(ChainProblem(None, None, "旧版事件与升级时封存的摘要不符（升级前的事件被改写或删除）"))
    return len(heads), events_checked, problems
