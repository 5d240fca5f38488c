"""Operation log: who did what, when, from where. Services call `log_operation` inside their transaction."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from fazhi.core.integrity import canonical, key_id, keyed_sm3, same
from fazhi.core.models import ChainSeal, LoginLog, OperationLog


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind a reverse proxy the operator lists it in TRUSTED_PROXIES; then the client is the last address of
    # X-Forwarded-For that is not one of those proxies. Otherwise trust only REMOTE_ADDR (the header is forgeable).
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.FAZHI.get("TRUSTED_PROXIES") or []
    if remote not in proxies:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in proxies:
            return hop if _is_ip(hop) else remote
    return remote


def _is_ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def log_operation(*, user, action: str, obj=None, summary: str = "", ip: str | None = None) -> OperationLog:
    return OperationLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type=obj._meta.verbose_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        ip=ip,
    )


# ---------------------------------------------------------------- keyed chains of the logs
#
# Each entry carries `mac` = HMAC-SM3(key, its fields), set at insert (ChainedLog.save), so that an altered or
# forged entry is detected without the chain. Just after the inserting transaction commits, the entry is linked:
# `seq` (1, 2, 3, … in commit order), `prev_hash`, `hash` = HMAC-SM3(key, prev_hash + seq/id/mac), and the
# chain's ChainSeal holds the keyed head, so a deleted entry or a cut tail is detected too. Linking after the
# commit keeps the chain's lock out of every service transaction (no waits, no deadlocks).

CHAIN_LABELS = {"login": "登录日志", "operation": "操作日志"}


def _chain_model(chain: str):
    return {"login": LoginLog, "operation": OperationLog}[chain]


def _canonical_value(name: str, value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if name == "ip" and value and ":" in value:
        try:
            return clean_ipv6_address(value)  # as GenericIPAddressField stores it
        except ValidationError:
            return value
    return value


def log_entry_mac(chain: str, values: dict) -> str:
    """The one canonical serialisation of a log entry, keyed. ChainedLog.save and the verifier both call it."""
    payload = {"chain": chain, **{k: _canonical_value(k, v) for k, v in values.items()}}
    return keyed_sm3(canonical(payload))


def _link_hash(chain: str, prev_hash: str, seq: int, entry_id: int, mac: str) -> str:
    return keyed_sm3(prev_hash.encode() + canonical({"chain": chain, "seq": seq, "id": entry_id, "mac": mac}))


def chain_seal_mac(seal) -> str:
    fields = ("name", "seq", "head", "base_seq", "base_hash", "key_id")
    return keyed_sm3(canonical({f: getattr(seal, f) for f in fields}))


def chain_seal_lock(name: str):
    """The seal row of a chain, locked (created on first use). Call inside a transaction."""
    seal = ChainSeal.objects.select_for_update().filter(name=name).first()
    if seal is None:
        seal = ChainSeal(name=name, key_id=key_id(), updated_at=timezone.now())
        seal.mac = chain_seal_mac(seal)
        seal.save()
    return seal


def chain_seal_save(seal) -> None:
    seal.updated_at = timezone.now()
    seal.mac = chain_seal_mac(seal)
    seal.save()


def log_chain_schedule_seal(chain: str) -> None:
    """Link the entry just after its transaction commits; once per transaction and chain, however many entries
    it wrote (each linking run takes all that are pending)."""
    connection = transaction.get_connection()
    if any(getattr(entry[1], "fazhi_chain", None) == chain for entry in connection.run_on_commit):
        return

    def seal() -> None:
        log_chain_seal(chain=chain)

    seal.fazhi_chain = chain
    transaction.on_commit(seal, robust=True)


def log_chain_seal(*, chain: str, batch: int = 2000) -> int:
    """Link every committed entry not yet in the chain, in id order. Returns how many were linked."""
    model = _chain_model(chain)
    linked = 0
    while True:
        with transaction.atomic():
            seal = chain_seal_lock(chain)
            pending = list(model.objects.filter(seq__isnull=True).order_by("id").values_list("id", "mac")[:batch])
            if not pending:
                return linked
            if seal.seq == seal.base_seq == 0:
                seal.key_id = key_id()  # nothing signed yet: the chain belongs to the key that signs first
            seq, head = seal.seq, seal.head
            for entry_id, mac in pending:
                seq += 1
                link = _link_hash(chain, head, seq, entry_id, mac)
                model.objects.filter(pk=entry_id)._seal(seq=seq, prev_hash=head, hash=link)
                head = link
            seal.seq, seal.head = seq, head
            chain_seal_save(seal)
            linked += len(pending)
        if len(pending) < batch:
            return linked


@dataclass
class LogChainReport:
    chain: str
    entries: int = 0
    pending: int = 0
    purged_through: int = 0
    status: str = "ok"  # ok / broken / key
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return CHAIN_LABELS[self.chain]

    def fail(self, status: str, message: str) -> None:
        if self.status == "ok" or status == "key":
            self.status = status
        if len(self.problems) < 50:
            self.problems.append(message)


def log_chain_verify(*, chain: str) -> LogChainReport:
    """Walk one log chain from its checkpoint to its head: every entry's MAC, every link, the sealed head."""
    model = _chain_model(chain)
    report = LogChainReport(chain=chain)
    seal = ChainSeal.objects.filter(name=chain).first()
    signed = seal is not None and (seal.seq or seal.base_seq)  # an empty chain is the strictest state anyway
    if signed and seal.key_id != key_id():
        report.fail("key", "密钥不符：当前 TIMELINE_HMAC_KEY 不是写入这条链时的密钥，无法校验")
        return report
    if signed and not same(seal.mac, chain_seal_mac(seal)):
        report.fail("broken", "链头或清理检查点记录被篡改")
    base_seq, base_hash = (seal.base_seq, seal.base_hash) if seal else (0, "")
    head_seq, head = (seal.seq, seal.head) if seal else (0, "")
    report.purged_through = base_seq
    expected, prev = base_seq + 1, base_hash
    fields = ("id", "seq", "mac", "prev_hash", "hash", *model.CHAIN_FIELDS)
    qs = model.objects.filter(seq__gt=base_seq).order_by("seq").values_list(*fields)
    for row in qs.iterator(chunk_size=5000):
        entry_id, seq, mac, prev_hash, stored = row[:5]
        values = dict(zip(model.CHAIN_FIELDS, row[5:], strict=True))
        report.entries += 1
        if seq != expected:
            report.fail("broken", f"在第 {expected} 条处断裂：第 {expected}–{seq - 1} 条被删除")
        if not same(prev_hash, prev):
            report.fail("broken", f"在第 {seq} 条处断裂：与前一条的链接不符")
        if not same(mac, log_entry_mac(chain, values)):
            report.fail("broken", f"在第 {seq} 条处断裂：内容与哈希不符（已被篡改）")
        if not same(stored, _link_hash(chain, prev_hash, seq, entry_id, mac)):
            report.fail("broken", f"在第 {seq} 条处断裂：链哈希不符")
        expected, prev = seq + 1, stored
    if expected - 1 != head_seq or not same(prev, head):
        report.fail("broken", f"链尾不符：应有到第 {head_seq} 条，实为第 {expected - 1} 条（末尾记录被删除）")
    # Entries committed a moment ago and not linked yet: their own MAC still proves them unaltered.
    pending = model.objects.filter(seq__isnull=True).order_by("id").values_list("id", "mac", *model.CHAIN_FIELDS)
    for row in pending.iterator(chunk_size=5000):
        report.pending += 1
        if not same(row[1], log_entry_mac(chain, dict(zip(model.CHAIN_FIELDS, row[2:], strict=True)))):
            report.fail("broken", f"未入链的记录 id={row[0]} 内容与哈希不符（已被篡改）")
    return report


def log_retention_days() -> int:
    """At least 180 days whatever the setting says (网络安全法 第二十一条: 网络日志留存不少于六个月)."""
    return max(180, int(settings.FAZHI.get("LOG_RETENTION_DAYS", 180)))


def logs_purge(*, now=None) -> dict[str, int]:
    """Delete the entries of each log chain older than the retention period — only a prefix of the chain, so it
    still verifies from the checkpoint left in its seal (and recorded in the operation log)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=log_retention_days())
    purged = {}
    for chain in CHAIN_LABELS:
        model = _chain_model(chain)
        log_chain_seal(chain=chain)
        with transaction.atomic():
            seal = chain_seal_lock(chain)
            live = model.objects.filter(seq__gt=seal.base_seq)
            first_young = live.filter(at__gte=cutoff).aggregate(m=Min("seq"))["m"]
            through = first_young - 1 if first_young else seal.seq
            if through <= seal.base_seq:
                purged[chain] = 0
                continue
            base_hash = model.objects.filter(seq=through).values_list("hash", flat=True).first() or ""
            first = seal.base_seq + 1
            count, _ = live.filter(seq__lte=through)._purge()
            seal.base_seq, seal.base_hash = through, base_hash
            chain_seal_save(seal)
            log_operation(
                user=None,
                action="清理日志",
                summary=(
                    f"{CHAIN_LABELS[chain]}：清理第 {first}–{through} 条（{count} 条，{cutoff:%Y-%m-%d} 之前，"
                    f"保存期限 {log_retention_days()} 天）；检查点哈希 {base_hash}"
                ),
            )
            purged[chain] = count
    return purged


def log_login(*, username: str, user, success: bool, reason: str, ip, user_agent: str):
    return LoginLog.objects.create(
        username=username[:150], user=user, success=success, reason=reason, ip=ip, user_agent=(user_agent or "")[:255]
    )


# ---------------------------------------------------------------- external anchors of the chains
#
# Once a day each chain's head (name, last id, count, head hash, date) is written down as an operation-log entry
# of its own (action ANCHOR_ACTION), which the audit administrator exports and keeps outside the system. Whoever
# later rewrites a chain, even with the key, cannot make it contain the anchored heads again: `fazhi verify`
# compares every anchor with the chain as it is now, and the exported anchors show a rewrite of the anchors too.

ANCHOR_ACTION = "链头锚定"
ANCHOR_OBJECT = "哈希链"
ANCHOR_LABELS = {**CHAIN_LABELS, "timeline": "督办时间线"}
_ANCHOR_RE = None


@dataclass(frozen=True)
class Anchor:
    chain: str
    day: dt.date
    last_id: int
    count: int
    head: str
    entry_id: int = 0  # the operation-log entry that holds it
    at: dt.datetime | None = None

    @property
    def label(self) -> str:
        return ANCHOR_LABELS.get(self.chain, self.chain)


def anchor_summary(anchor: Anchor) -> str:
    """The one text form of an anchor, read back by `anchors_list` (so it must stay parseable)."""
    return (
        f"{anchor.label}：chain={anchor.chain} day={anchor.day:%Y-%m-%d} last_id={anchor.last_id} "
        f"count={anchor.count} head={anchor.head or '-'}"
    )


def _anchor_parse(entry_id: int, at, object_id: str, summary: str) -> Anchor | None:
    import re

    global _ANCHOR_RE
    if _ANCHOR_RE is None:
        _ANCHOR_RE = re.compile(r"chain=(\S+) day=(\d{4}-\d{2}-\d{2}) last_id=(\d+) count=(\d+) head=([0-9a-f]{64}|-)$")
    m = _ANCHOR_RE.search(summary or "")
    if m is None or m.group(1) != object_id:
        return None
    head = "" if m.group(5) == "-" else m.group(5)
    day = dt.date.fromisoformat(m.group(2))
    return Anchor(m.group(1), day, int(m.group(3)), int(m.group(4)), head, entry_id=entry_id, at=at)


def chain_anchor_write(*, chain: str, last_id: int, count: int, head: str, today: dt.date | None = None) -> Anchor:
    """Record one chain's head as an operation-log entry (the entry carries its own MAC and joins the chain)."""
    anchor = Anchor(chain, today or timezone.localdate(), int(last_id), int(count), head or "")
    entry = OperationLog.objects.create(
        user=None,
        username="",
        action=ANCHOR_ACTION,
        object_type=ANCHOR_OBJECT,
        object_id=chain,
        summary=anchor_summary(anchor),
    )
    return Anchor(anchor.chain, anchor.day, anchor.last_id, anchor.count, anchor.head, entry.pk, entry.at)


def log_chains_anchor(*, today: dt.date | None = None) -> list[Anchor]:
    """Anchor the login and operation log chains at their sealed heads (pending entries linked first)."""
    anchors = []
    for chain in CHAIN_LABELS:
        log_chain_seal(chain=chain)
        seal = ChainSeal.objects.filter(name=chain).first()
        count, head = (seal.seq, seal.head) if seal else (0, "")
        model = _chain_model(chain)
        last_id = (model.objects.filter(seq=count).values_list("id", flat=True).first() or 0) if count else 0
        anchors.append(chain_anchor_write(chain=chain, last_id=last_id, count=count, head=head, today=today))
    return anchors


def anchors_list(*, chain: str | None = None) -> list[Anchor]:
    """Every anchor recorded, oldest first (the entries' own MACs are checked by log_chain_verify)."""
    qs = OperationLog.objects.filter(action=ANCHOR_ACTION, object_type=ANCHOR_OBJECT)
    if chain:
        qs = qs.filter(object_id=chain)
    out = []
    for row in qs.order_by("id").values_list("id", "at", "object_id", "summary").iterator(chunk_size=2000):
        anchor = _anchor_parse(*row)
        if anchor is not None:
            out.append(anchor)
    return out


def log_anchor_problem(anchor: Anchor) -> str | None:
    """Whether the log chain still holds the anchored head: the entry at the anchored position with the same
    id and hash (or, once purged, the checkpoint). None when it does; a purged-past anchor is not checkable."""
    model = _chain_model(anchor.chain)
    seal = ChainSeal.objects.filter(name=anchor.chain).first()
    base_seq, base_hash, seq = (seal.base_seq, seal.base_hash, seal.seq) if seal else (0, "", 0)
    where = f"{anchor.day:%Y-%m-%d} 锚定的第 {anchor.count} 条"
    if anchor.count == 0:
        return None
    if anchor.count > seq:
        return f"{where}已不在链中：链现只到第 {seq} 条（链被截短或重建）"
    if anchor.count < base_seq:
        return None  # purged past retention; the checkpoint after it is what the later anchors prove
    if anchor.count == base_seq:
        return None if same(base_hash, anchor.head) else f"{where}与清理检查点的哈希不符（链被重建）"
    row = model.objects.filter(seq=anchor.count).values_list("id", "hash").first()
    if row is None:
        return f"{where}已不在链中（被删除）"
    if row[0] != anchor.last_id or not same(row[1], anchor.head):
        return f"{where}的哈希与链中现有记录不符（链被改写后重新计算）"
    return None
